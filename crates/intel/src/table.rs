//! The tables the figures are published in: rows and columns of counts, shares and measures, with the
//! sums that tie them together (which disclosure control must respect).

use serde::Serialize;

/// One cell.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// A number of children, referrals, placements, places...
    Count(u64),
    /// A percentage, 0 to 100.
    Percent(f64),
    /// Whole pounds.
    Pounds(u64),
    /// A number with a unit the column names (hours, days, a rate per 10,000).
    Number(f64),
    /// Withheld by disclosure control (GSS symbol `c`).
    Suppressed,
    /// Not available: the records do not reach back this far, or nothing to measure (GSS `x`).
    NotAvailable,
    /// Not applicable (GSS `z`).
    NotApplicable,
}

impl Value {
    pub fn count(self) -> Option<u64> {
        match self {
            Self::Count(n) => Some(n),
            _ => None,
        }
    }

    /// The cell as DfE and the GSS write it: figures with thousands separators, `c`, `x`, `z`.
    pub fn display(self) -> String {
        match self {
            Self::Count(n) => thousands(n),
            Self::Pounds(n) => format!("£{}", thousands(n)),
            Self::Percent(p) => format!("{}", p.round()),
            Self::Number(x) => format!("{x:.1}"),
            Self::Suppressed => "c".into(),
            Self::NotAvailable => "x".into(),
            Self::NotApplicable => "z".into(),
        }
    }

    /// The cell for a CSV file: plain numbers (no separators or £), GSS symbols as letters.
    pub fn plain(self) -> String {
        match self {
            Self::Count(n) | Self::Pounds(n) => n.to_string(),
            Self::Percent(p) => format!("{}", p.round()),
            Self::Number(x) => format!("{x:.1}"),
            other => other.display(),
        }
    }
}

/// `n` with a comma between each group of three digits: `7,641,421`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// What a column holds, and so how disclosure control treats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ColumnKind {
    /// Counts of people or their records: small ones are suppressed, and secondary suppression keeps
    /// every sum in [`Table::sums`] from giving a suppressed one away.
    Count,
    /// A percentage of the count in column `of` of the same row, over `denominator`. Suppressed when
    /// either count is.
    Share { of: usize, denominator: Denominator },
    /// A statistic about the items counted in column `of` of the same row (a mean price, a median
    /// wait, a rate per 10,000): suppressed whenever that count is.
    Measure { of: usize },
    /// Not about people (registered places, beds bought): never suppressed.
    Public,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "of", content = "column", rename_all = "snake_case")]
pub enum Denominator {
    /// The same column's count in the table's total row (the last row).
    TotalRow,
    /// The count in another column of the same row.
    Column(usize),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub heading: String,
    pub kind: ColumnKind,
}

impl Column {
    pub fn count(heading: impl Into<String>) -> Self {
        Self { heading: heading.into(), kind: ColumnKind::Count }
    }
    pub fn share_of_total(heading: impl Into<String>, of: usize) -> Self {
        Self { heading: heading.into(), kind: ColumnKind::Share { of, denominator: Denominator::TotalRow } }
    }
    pub fn share_of_column(heading: impl Into<String>, of: usize, denominator: usize) -> Self {
        Self { heading: heading.into(), kind: ColumnKind::Share { of, denominator: Denominator::Column(denominator) } }
    }
    pub fn measure(heading: impl Into<String>, of: usize) -> Self {
        Self { heading: heading.into(), kind: ColumnKind::Measure { of } }
    }
    pub fn public(heading: impl Into<String>) -> Self {
        Self { heading: heading.into(), kind: ColumnKind::Public }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub label: String,
    pub values: Vec<Value>,
}

/// A cell by (row, column).
pub type CellRef = (usize, usize);

/// A published identity: the count at `total` equals the sum of the counts at `parts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sum {
    pub total: CellRef,
    pub parts: Vec<CellRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// A stable name for the API and CSV file names (`placement_type`).
    pub id: String,
    pub title: String,
    /// The heading of the first column (what the rows are).
    pub row_heading: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Every sum the table's counts obey (totals, sub-totals), which disclosure control must keep
    /// from revealing a suppressed count. Filled by [`Table::with_total_row`] and
    /// [`Table::with_column_total`], or by hand.
    pub sums: Vec<Sum>,
    /// What the table counts, where it comes from, its caveats.
    pub note: Option<String>,
}

impl Table {
    pub fn new(id: impl Into<String>, title: impl Into<String>, row_heading: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            title: title.into(),
            row_heading: row_heading.into(),
            columns: Vec::new(),
            rows: Vec::new(),
            sums: Vec::new(),
            note: None,
        }
    }

    pub fn columns(mut self, columns: Vec<Column>) -> Self {
        self.columns = columns;
        self
    }

    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    pub fn push_row(&mut self, label: impl Into<String>, values: Vec<Value>) {
        debug_assert_eq!(values.len(), self.columns.len(), "a row needs one value per column");
        self.rows.push(Row { label: label.into(), values });
    }

    /// Adds a last row, `label`, holding each count column's total over the rows so far (measures
    /// filled by `fill`, called with the total row's counts; shares by [`Table::fill_shares`]), and
    /// records those sums.
    pub fn with_total_row(mut self, label: &str, fill: impl Fn(&[Value]) -> Vec<Value>) -> Self {
        let n = self.rows.len();
        let mut totals = vec![Value::NotApplicable; self.columns.len()];
        for (j, col) in self.columns.iter().enumerate() {
            if matches!(col.kind, ColumnKind::Count | ColumnKind::Public) {
                let sum = self.rows.iter().filter_map(|r| r.values[j].count()).sum();
                totals[j] = Value::Count(sum);
                if col.kind == ColumnKind::Count {
                    self.sums.push(Sum { total: (n, j), parts: (0..n).map(|i| (i, j)).collect() });
                }
            }
        }
        let filled = fill(&totals);
        for (j, v) in filled.into_iter().enumerate() {
            if !matches!(self.columns[j].kind, ColumnKind::Count | ColumnKind::Public) {
                totals[j] = v;
            }
        }
        self.rows.push(Row { label: label.into(), values: totals });
        self
    }

    /// Records that count column `total` is the sum of count columns `parts` in every row.
    pub fn with_column_total(mut self, total: usize, parts: &[usize]) -> Self {
        for i in 0..self.rows.len() {
            self.sums.push(Sum { total: (i, total), parts: parts.iter().map(|&j| (i, j)).collect() });
        }
        self
    }

    /// Computes every share cell from the counts it is a share of (builders leave them
    /// [`Value::NotApplicable`]); a share of nothing stays not applicable.
    pub fn fill_shares(mut self) -> Self {
        let last = self.rows.len().saturating_sub(1);
        for j in 0..self.columns.len() {
            if let ColumnKind::Share { of, denominator } = self.columns[j].kind {
                for i in 0..self.rows.len() {
                    let whole = match denominator {
                        Denominator::TotalRow => self.rows[last].values[of].count(),
                        Denominator::Column(d) => self.rows[i].values[d].count(),
                    };
                    self.rows[i].values[j] = match (self.rows[i].values[of].count(), whole) {
                        (Some(part), Some(whole)) => percent(part, whole),
                        _ => Value::NotApplicable,
                    };
                }
            }
        }
        self
    }

    pub fn cell(&self, (i, j): CellRef) -> Value {
        self.rows[i].values[j]
    }

    /// The row labelled `label`.
    pub fn row(&self, label: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.label == label)
    }
}

/// A percentage of `part` in `whole`, or not applicable when `whole` is 0 (an empty council gives a
/// clear "z", not a division by zero).
pub fn percent(part: u64, whole: u64) -> Value {
    if whole == 0 { Value::NotApplicable } else { Value::Percent(part as f64 * 100.0 / whole as f64) }
}
