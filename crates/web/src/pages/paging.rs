//! GOV.UK pagination for long lists (matching homes, providers to send to): which page is shown,
//! what "Showing 21–40 of 249" says, and which page numbers the control lists (the first, the last,
//! and the current one with its neighbours, gaps as ellipses).

/// One item of the pagination list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageItem {
    Number { n: usize, current: bool },
    Ellipsis,
}

/// A page of a list of `total` items, `per_page` at a time.
#[derive(Debug, Clone)]
pub struct Paging {
    pub page: usize,
    pub pages: usize,
    pub total: usize,
    /// 1-based positions of the first and last item shown (0 and 0 when the list is empty).
    pub first: usize,
    pub last: usize,
    pub items: Vec<PageItem>,
}

impl Paging {
    /// The page asked for, as typed in the address (`?page=`): anything that is not a page number
    /// shows the first page, and a number past the end shows the last, rather than an error page.
    pub fn new(asked: Option<&str>, per_page: usize, total: usize) -> Self {
        let per_page = per_page.max(1);
        let pages = total.div_ceil(per_page).max(1);
        let page = asked.and_then(|p| p.trim().parse::<usize>().ok()).unwrap_or(1).clamp(1, pages);
        let first = if total == 0 { 0 } else { (page - 1) * per_page + 1 };
        let last = (page * per_page).min(total);
        let mut items = Vec::new();
        for n in 1..=pages {
            if n == 1 || n == pages || n.abs_diff(page) <= 1 {
                items.push(PageItem::Number { n, current: n == page });
            } else if items.last() != Some(&PageItem::Ellipsis) {
                items.push(PageItem::Ellipsis);
            }
        }
        Self { page, pages, total, first, last, items }
    }

    /// How many items come before this page's first.
    pub fn skip(&self) -> usize {
        self.first.saturating_sub(1)
    }

    pub fn previous(&self) -> Option<usize> {
        (self.page > 1).then(|| self.page - 1)
    }

    pub fn next(&self) -> Option<usize> {
        (self.page < self.pages).then(|| self.page + 1)
    }

    /// "21–40 of 1,249": what "Showing …" says, with thousands separated.
    pub fn range(&self) -> String {
        let n = |x: usize| super::lists::thousands(x as u64);
        format!("{}–{} of {}", n(self.first), n(self.last), n(self.total))
    }
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{PageItem, Paging};

    fn numbers(p: &Paging) -> String {
        p.items
            .iter()
            .map(|i| match i {
                PageItem::Number { n, current: true } => format!("[{n}]"),
                PageItem::Number { n, .. } => n.to_string(),
                PageItem::Ellipsis => "…".to_owned(),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn pages_count_and_clamp() {
        let p = Paging::new(Some("2"), 20, 249);
        assert_eq!((p.page, p.pages, p.first, p.last, p.skip()), (2, 13, 21, 40, 20));
        assert_eq!(numbers(&p), "1 [2] 3 … 13");
        let last = Paging::new(Some("99"), 20, 249);
        assert_eq!((last.page, last.first, last.last, last.next()), (13, 241, 249, None));
        assert_eq!(numbers(&last), "1 … 12 [13]");
        let junk = Paging::new(Some("two"), 20, 249);
        assert_eq!((junk.page, junk.previous()), (1, None));
        let middle = Paging::new(Some("7"), 20, 249);
        assert_eq!(numbers(&middle), "1 … 6 [7] 8 … 13");
    }

    #[test]
    fn an_empty_list_is_one_empty_page() {
        let p = Paging::new(None, 20, 0);
        assert_eq!((p.page, p.pages, p.first, p.last), (1, 1, 0, 0));
        assert_eq!(numbers(&p), "[1]");
    }
}
