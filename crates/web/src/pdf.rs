//! Plain text as a PDF to file and print: the placement agreement exactly as signed, line for line.
//!
//! Written with `pdf-writer` (typst's low-level PDF writer: no fonts, no images, four small dependencies). The text
//! is set in Courier and the page furniture in Helvetica, two of the PDF standard's 14 base fonts, which every PDF
//! reader has built in: nothing is embedded and nothing is fetched. Courier is monospaced, so a line's width is its
//! length in characters and lines wrap exactly where they should without font metrics, and the text's own spacing
//! (which the signed hash covers) is kept. Content streams are left uncompressed: a few kilobytes, and the words
//! stay findable by any tool that searches the file.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// A4, in points.
const PAGE: (f32, f32) = (595.28, 841.89);
/// 20 mm.
const MARGIN: f32 = 56.7;
const BODY_SIZE: f32 = 10.0;
const LEADING: f32 = 13.0;
const FOOTER_SIZE: f32 = 8.0;
/// Courier's every glyph is 600/1000 of an em wide.
const COURIER_ADVANCE: f32 = 0.6;
/// Room kept at the foot of each page for the footer line.
const FOOTER_ROOM: f32 = 2.0 * LEADING;

/// Characters that fit on a line of body text.
fn columns() -> usize {
    ((PAGE.0 - 2.0 * MARGIN) / (BODY_SIZE * COURIER_ADVANCE)).floor() as usize
}

/// Lines of body text that fit on a page.
fn rows() -> usize {
    ((PAGE.1 - 2.0 * MARGIN - FOOTER_ROOM) / LEADING).floor() as usize
}

/// `text` as an A4 PDF titled `title`; every page's footer says `title`, the page and the page count.
/// A character the base fonts cannot show (outside Windows-1252) is printed as `?`, and a note saying so is added
/// at the end, so the paper never silently differs from the signed text.
pub(crate) fn text_document(title: &str, text: &str) -> Vec<u8> {
    let mut lines: Vec<String> = text.lines().flat_map(|l| wrap(l, columns())).collect();
    if text.chars().any(|c| win_ansi(c).is_none() && c != '\n' && c != '\r' && c != '\t') {
        lines.push(String::new());
        lines.extend(wrap(
            "Note: characters this document's font cannot show are printed as \"?\". The text file and the hash \
             above are of the exact text.",
            columns(),
        ));
    }
    let pages: Vec<&[String]> = if lines.is_empty() { vec![&[][..]] } else { lines.chunks(rows()).collect() };

    let mut pdf = Pdf::new();
    let (catalog, tree, courier, helvetica, info) = (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5));
    // Each page is two objects: the page and its content stream.
    let page_ref = |i: usize| Ref::new(6 + 2 * i as i32);
    let content_ref = |i: usize| Ref::new(7 + 2 * i as i32);
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids((0..pages.len()).map(page_ref)).count(pages.len() as i32);
    pdf.type1_font(courier).base_font(Name(b"Courier")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(helvetica).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info).title(TextStr(title)).producer(TextStr("Hearth"));
    for (i, body) in pages.iter().enumerate() {
        let mut page = pdf.page(page_ref(i));
        page.media_box(Rect::new(0.0, 0.0, PAGE.0, PAGE.1)).parent(tree).contents(content_ref(i));
        page.resources().fonts().pair(Name(b"F1"), courier).pair(Name(b"F2"), helvetica);
        page.finish();

        let mut c = Content::new();
        c.begin_text().set_font(Name(b"F1"), BODY_SIZE).set_leading(LEADING);
        c.next_line(MARGIN, PAGE.1 - MARGIN - BODY_SIZE);
        for line in body.iter() {
            c.show(Str(&encode(line))).next_line_using_leading();
        }
        c.end_text();
        let footer = format!("{title} - page {} of {}", i + 1, pages.len());
        c.begin_text().set_font(Name(b"F2"), FOOTER_SIZE).next_line(MARGIN, MARGIN).show(Str(&encode(&footer)));
        c.end_text();
        pdf.stream(content_ref(i), &c.finish());
    }
    pdf.finish()
}

/// One line of text as lines of at most `width` characters, broken after a space where there is one.
fn wrap(line: &str, width: usize) -> Vec<String> {
    let chars: Vec<char> = line.replace('\t', "    ").trim_end().chars().collect();
    let mut out = Vec::new();
    let mut rest = &chars[..];
    while rest.len() > width {
        // Break after the last space that leaves something on this line; a word longer than a line is cut.
        let cut = rest[..=width].iter().rposition(|c| *c == ' ').filter(|&p| p > 0).map_or(width, |p| p + 1);
        out.push(rest[..cut].iter().collect::<String>().trim_end().to_owned());
        rest = &rest[cut..];
    }
    out.push(rest.iter().collect());
    out
}

/// The line in WinAnsiEncoding (Windows-1252), the base fonts' encoding; `?` for what it cannot hold.
fn encode(line: &str) -> Vec<u8> {
    line.chars().map(|c| win_ansi(c).unwrap_or(b'?')).collect()
}

fn win_ansi(c: char) -> Option<u8> {
    let code = c as u32;
    match code {
        0x20..=0x7E | 0xA0..=0xFF => Some(code as u8),
        _ => {
            // The 27 characters Windows-1252 puts in 0x80..0x9F.
            const HIGH: [(char, u8); 27] = [
                ('€', 0x80),
                ('‚', 0x82),
                ('ƒ', 0x83),
                ('„', 0x84),
                ('…', 0x85),
                ('†', 0x86),
                ('‡', 0x87),
                ('ˆ', 0x88),
                ('‰', 0x89),
                ('Š', 0x8A),
                ('‹', 0x8B),
                ('Œ', 0x8C),
                ('Ž', 0x8E),
                ('‘', 0x91),
                ('’', 0x92),
                ('“', 0x93),
                ('”', 0x94),
                ('•', 0x95),
                ('–', 0x96),
                ('—', 0x97),
                ('˜', 0x98),
                ('™', 0x99),
                ('š', 0x9A),
                ('›', 0x9B),
                ('œ', 0x9C),
                ('ž', 0x9E),
                ('Ÿ', 0x9F),
            ];
            HIGH.iter().find(|(h, _)| *h == c).map(|(_, b)| *b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_at_spaces_and_long_words_are_cut() {
        assert_eq!(wrap("one two three", 6), ["one", "two", "three"]);
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), [""]);
        assert_eq!(wrap("\tx", 80), ["    x"]);
        assert_eq!(columns(), 80, "A4 with 20 mm margins in 10 pt Courier");
    }

    #[test]
    fn text_is_in_windows_1252_and_the_rest_is_a_question_mark() {
        assert_eq!(encode("£5 – “ok” é"), b"\xA35 \x96 \x93ok\x94 \xE9");
        assert_eq!(encode("a\u{202E}b 家"), b"a?b ?");
    }

    #[test]
    fn the_document_is_a_pdf_with_its_text_findable_and_pages_counted() {
        let text: String = (1..=130).map(|n| format!("Line {n} (of the text)\n")).collect();
        let pdf = text_document("placement-agreement-7-v1", &text);
        let raw = String::from_utf8_lossy(&pdf);
        assert!(raw.starts_with("%PDF-"), "{raw}");
        assert!(raw.contains("(Line 1 (of the text))"), "the text is in the stream as it reads: {raw}");
        assert!(raw.contains("(Line 130 "), "{raw}");
        let pages = text.lines().count().div_ceil(rows());
        assert!(pages >= 2);
        assert!(raw.contains(&format!("(placement-agreement-7-v1 - page {pages} of {pages})")), "{raw}");
        assert!(raw.contains("/BaseFont /Courier") && !raw.contains("/FontFile"), "a base font, nothing embedded");
        assert!(!raw.contains("can't show") && !raw.contains("cannot show"), "no note when every character fits");
        let odd = String::from_utf8_lossy(&text_document("t", "Child \u{5BB6}\n")).into_owned();
        assert!(odd.contains("(Child ?)") && odd.contains("cannot show"), "{odd}");
    }
}
