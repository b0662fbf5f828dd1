//! The public data Hearth ships inside the binary: West Midlands postcodes and GB postcode districts
//! (OS Code-Point Open), the ONS district lookup, DfE's LA list and statistical neighbours, Ofsted's
//! register of children's social care providers for the region, and DfE's looked-after children tables
//! for the 14 portal councils.
//!
//! The files are gzip'd CSVs in the repository's `reference/` folder (see its `README.md` for where each
//! came from and `ATTRIBUTION.md` for the Open Government Licence statements that must travel with them).
//! They are embedded with `include_bytes!`, so a `hearth` binary works from any directory, and each is
//! decompressed and parsed once, on first use.
//!
//! Every accessor has a `load_*`/`try_*` twin that returns a [`ReferenceError`]; the plain accessors
//! panic instead, because the embedded files are fixed at build time and this crate's tests parse every
//! one of them: a failure there is a build defect, not a run-time condition to handle.

pub mod dfe;
mod figure;
pub mod gazetteer;
pub mod la;
pub mod ofsted;

pub use figure::Figure;
pub use gazetteer::{DistrictCentroid, Gazetteer, UnitPostcode};

use flate2::read::GzDecoder;
use std::io::Read;

/// The embedded files, by the name they have in `reference/`.
pub(crate) mod files {
    macro_rules! embedded {
        ($($name:ident = $file:literal;)+) => {$(
            pub(crate) const $name: (&str, &[u8]) = ($file, include_bytes!(concat!("../../../reference/", $file)));
        )+};
    }
    embedded! {
        POSTCODES = "postcodes_west_midlands.csv.gz";
        DISTRICTS = "postcode_districts_gb.csv.gz";
        LAD_LOOKUP = "lad_utla_lookup.csv.gz";
        LA_LOOKUP = "la_lookup_england.csv.gz";
        STAT_NEIGHBOURS = "statistical_neighbours_west_midlands.csv.gz";
        OFSTED = "ofsted_providers_west_midlands.csv.gz";
        DFE_31_MARCH = "dfe_cla_31_march_placements.csv.gz";
        DFE_NEW_PLACEMENTS = "dfe_cla_new_placements.csv.gz";
        DFE_STABILITY = "dfe_cla_placement_stability.csv.gz";
        DFE_NUMBERS = "dfe_cla_number_and_rate.csv.gz";
    }
}

/// Declares an embedded table: a `load_*` function that parses the file afresh, and an accessor that
/// parses it once, on first use, and keeps it. Rows convert with `TryFrom<$row, Error = String>`.
macro_rules! embedded_table {
    ($(#[$doc:meta])* $get:ident, $load:ident, $cache:ident: $t:ty, $row:ty, $file:expr) => {
        static $cache: std::sync::LazyLock<Vec<$t>> =
            std::sync::LazyLock::new(|| $load().expect(concat!("the embedded ", stringify!($t), " table parses")));

        /// Parses the embedded file afresh (the accessor of the same name keeps one parsed copy).
        pub fn $load() -> Result<Vec<$t>, crate::ReferenceError> {
            crate::read_all($file, |r: $row| <$t>::try_from(r))
        }

        $(#[$doc])*
        pub fn $get() -> &'static [$t] {
            &$cache
        }
    };
}
pub(crate) use embedded_table;

/// Why an embedded file could not be read: which file, which line, what was wrong.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("{file}: cannot decompress: {source}")]
    Decompress { file: &'static str, source: std::io::Error },
    #[error("{file}: {source}")]
    Csv { file: &'static str, source: csv::Error },
    #[error("{file} line {line}: {message}")]
    Value { file: &'static str, line: u64, message: String },
}

/// Decompresses an embedded file into its CSV text.
pub(crate) fn gunzip(file: (&'static str, &[u8])) -> Result<String, ReferenceError> {
    let (name, bytes) = file;
    let mut text = String::with_capacity(bytes.len() * 5);
    GzDecoder::new(bytes)
        .read_to_string(&mut text)
        .map_err(|source| ReferenceError::Decompress { file: name, source })?;
    Ok(text)
}

/// Reads every row of an embedded CSV, handing each to `convert` with serde applied. `R` may borrow
/// from the row (`&str` fields): the row lives only for the call, so a large file costs no allocation
/// per row beyond what `convert` keeps.
pub(crate) fn for_each_row<R, F>(file: (&'static str, &[u8]), mut convert: F) -> Result<(), ReferenceError>
where
    R: for<'de> serde::Deserialize<'de>,
    F: FnMut(R) -> Result<(), String>,
{
    for_each_record(file, |record, headers| {
        let row: R = record.deserialize(Some(headers)).map_err(|e| e.to_string())?;
        convert(row)
    })
}

/// The same for rows that borrow: `convert` deserialises the record itself, so its row type can hold
/// `&str`s for exactly as long as the call.
pub(crate) fn for_each_record<F>(file: (&'static str, &[u8]), mut convert: F) -> Result<(), ReferenceError>
where
    F: FnMut(&csv::StringRecord, &csv::StringRecord) -> Result<(), String>,
{
    let name = file.0;
    let text = gunzip(file)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|source| ReferenceError::Csv { file: name, source })?.clone();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(source) => return Err(ReferenceError::Csv { file: name, source }),
        }
        let line = record.position().map_or(0, csv::Position::line);
        convert(&record, &headers).map_err(|message| ReferenceError::Value { file: name, line, message })?;
    }
}

/// Reads a whole embedded CSV into owned values with `convert`.
pub(crate) fn read_all<R, T, F>(file: (&'static str, &[u8]), mut convert: F) -> Result<Vec<T>, ReferenceError>
where
    R: for<'de> serde::Deserialize<'de>,
    F: FnMut(R) -> Result<T, String>,
{
    let mut out = Vec::new();
    for_each_row(file, |row: R| {
        out.push(convert(row)?);
        Ok(())
    })?;
    Ok(out)
}

/// An empty cell as `None`.
pub(crate) fn non_empty(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// An optional ISO date (`2022-05-11`).
pub(crate) fn opt_date(s: &str) -> Result<Option<jiff::civil::Date>, String> {
    non_empty(s).map(|t| t.parse().map_err(|e| format!("'{t}' is not a date: {e}"))).transpose()
}
