//! Storage errors. Each says, in one sentence, what went wrong and what a person can do about it;
//! none carries a child's details.

/// What can go wrong talking to the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{what} was not found")]
    NotFound { what: String },

    /// A write that breaks a rule the database enforces (a duplicate, a record already changed).
    #[error("{0}")]
    Conflict(String),

    /// A value the database refused as invalid (a check constraint or a foreign key).
    #[error("{0}")]
    Invalid(String),

    #[error("'{0}' is not a database address Hearth understands; use sqlite://PATH or postgres://USER@HOST/DB")]
    InvalidUrl(String),

    #[error("cannot reach the database at {url}: {reason}")]
    Unavailable { url: String, reason: String },

    #[error("{path} is not a Hearth database (the file is damaged or is something else); nothing was changed")]
    Corrupt { path: String },

    #[error(
        "the database was set up by a newer version of Hearth (migration {found} is unknown to this one, which knows up to {known}); upgrade Hearth, nothing was changed"
    )]
    NewerSchema { found: i64, known: i64 },

    #[error("the database failed: {0}")]
    Backend(#[source] sqlx::Error),

    #[error("a migration failed: {0}")]
    Migration(#[source] sqlx::migrate::MigrateError),
}
