use thiserror::Error;

/// What can go wrong building or writing a return.
#[derive(Debug, Error)]
pub enum Ssda903Error {
    /// A collection year outside what Hearth can export.
    #[error("{0}")]
    BadYear(String),
    /// A table name that is not one of the return's.
    #[error("'{0}' is not a table of the export; use one of header, episodes, uasc, report, problems")]
    UnknownTable(String),
    #[error("could not write {what}: {source}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("could not write {what}: {source}")]
    Csv {
        what: String,
        #[source]
        source: csv::Error,
    },
}
