//! Tables as CSV files: the row heading and the column headings, then one line a row, with the GSS
//! symbols (`c` suppressed, `x` not available, `z` not applicable) where a figure is not given.

use crate::table::Table;

/// The table as CSV text.
pub fn csv(table: &Table) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = std::iter::once(table.row_heading.clone()).chain(table.columns.iter().map(|c| c.heading.clone()));
    // Writing to memory cannot fail; a line that somehow did would be left out, never half-written.
    let _ = w.write_record(header);
    for r in &table.rows {
        let _ = w.write_record(std::iter::once(r.label.clone()).chain(r.values.iter().map(|v| v.plain())));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// `hearth-331-2026-03-31-placement_type.csv`: only letters, digits, `-`, `_` and `.`.
pub fn file_name(table: &Table, scope: &str, as_at: &str) -> String {
    let raw = format!("hearth-{scope}-{as_at}-{}.csv", table.id);
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c.to_ascii_lowercase() } else { '_' })
        .collect()
}
