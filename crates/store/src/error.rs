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

    /// A write refused by a domain rule checked inside its transaction (a home's places); the error
    /// names the field and says what would be accepted.
    #[error("{}", .0.message)]
    Refused(hearth_domain::DomainError),

    /// A value the database refused as invalid (a check constraint or a foreign key).
    #[error("{0}")]
    Invalid(String),

    #[error("'{0}' is not a database address Hearth understands; use sqlite://PATH or postgres://USER@HOST/DB")]
    InvalidUrl(String),

    #[error("cannot reach the database at {url}: {reason}")]
    Unavailable { url: String, reason: String },

    #[error("{path} is not a Hearth database (the file is damaged or is something else); nothing was changed")]
    Corrupt { path: String },

    /// A SQLite file whose pages fail SQLite's own check: serving it would answer some pages with
    /// errors and could spread the damage.
    #[error(
        "{path} is damaged (SQLite's integrity check found: {finding}); restore it from a backup, nothing was changed"
    )]
    Damaged { path: String, finding: String },

    /// Something this backend does not do, with what to do instead.
    #[error("{0}")]
    Unsupported(String),

    #[error(
        "the database was set up by a newer version of Hearth (migration {found} is unknown to this one, which knows up to {known}); upgrade Hearth, nothing was changed"
    )]
    NewerSchema { found: i64, known: i64 },

    #[error("the database failed: {0}")]
    Backend(#[source] sqlx::Error),

    #[error("a migration failed: {0}")]
    Migration(#[source] sqlx::migrate::MigrateError),
}

/// How long connecting may take before the database counts as unreachable: long enough for a busy
/// server, short enough that a wrong address fails while a person is still looking at the screen.
pub(crate) const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// What a refused statement tells the person, the same on every database.
const DUPLICATE: &str = "that would duplicate a record already stored";
const MISSING_REFERENCE: &str = "a record refers to another that does not exist";
const OUT_OF_BOUNDS: &str = "a value is outside what the database allows";
const MISSING_VALUE: &str = "a required value is missing";

/// Maps a failed statement. Constraint failures are told apart by [`sqlx::error::ErrorKind`], never by
/// constraint names.
pub(crate) fn from_sqlx(url: &str, e: sqlx::Error) -> StoreError {
    use sqlx::error::ErrorKind;
    match e {
        sqlx::Error::Database(db) => {
            // The person is told the same sentence whichever database refused; the database's own
            // wording (names of tables, columns and constraints, never values, so no child's details
            // reach a log through an error) goes to the log for whoever runs it.
            let refused = |sentence: &str| {
                tracing::debug!(database = %db.message(), "{sentence}");
                sentence.to_owned()
            };
            match db.kind() {
                ErrorKind::UniqueViolation | ErrorKind::ExclusionViolation => StoreError::Conflict(refused(DUPLICATE)),
                ErrorKind::ForeignKeyViolation => StoreError::Invalid(refused(MISSING_REFERENCE)),
                ErrorKind::CheckViolation => StoreError::Invalid(refused(OUT_OF_BOUNDS)),
                ErrorKind::NotNullViolation => StoreError::Invalid(refused(MISSING_VALUE)),
                _ => StoreError::Backend(sqlx::Error::Database(db)),
            }
        }
        sqlx::Error::Io(io) => unavailable(url, &io),
        sqlx::Error::PoolTimedOut => StoreError::Unavailable {
            url: url.to_owned(),
            reason: format!("no connection could be had within {} seconds", CONNECT_TIMEOUT.as_secs()),
        },
        other => StoreError::Backend(other),
    }
}

/// The network failed: one sentence a person can act on.
pub(crate) fn unavailable(url: &str, io: &std::io::Error) -> StoreError {
    let reason = match io.kind() {
        std::io::ErrorKind::ConnectionRefused => {
            "nothing is accepting connections there; check that the database server is running and the host and port are right"
                .to_owned()
        }
        std::io::ErrorKind::TimedOut => "the server did not answer in time".to_owned(),
        _ => format!("the connection failed ({io}); check the host name and the network"),
    };
    StoreError::Unavailable { url: url.to_owned(), reason }
}

/// A failed migration: a lost connection is still [`StoreError::Unavailable`].
pub(crate) fn from_migrate(url: &str, e: sqlx::migrate::MigrateError) -> StoreError {
    match e {
        sqlx::migrate::MigrateError::Execute(sqlx::Error::Io(io)) => unavailable(url, &io),
        other => StoreError::Migration(other),
    }
}

/// A stored value that no longer parses as its domain type. Names the column, never the value,
/// which could be a child's postcode.
pub(crate) fn unreadable(column: &'static str) -> StoreError {
    StoreError::Backend(sqlx::Error::Decode(format!("the stored {column} is not a value Hearth can read").into()))
}

/// The address with any password left out (and the query string, which may carry one), so that it
/// can be shown and logged.
pub(crate) fn without_password(url: &str) -> String {
    let url = url.split_once('?').map_or(url, |(before, _)| before);
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            format!("{scheme}://{user}@{host}{path}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::without_password;

    #[test]
    fn passwords_are_never_shown() {
        assert_eq!(
            without_password("postgres://hearth:s3cret@db.example:5432/hearth"),
            "postgres://hearth@db.example:5432/hearth"
        );
        assert_eq!(without_password("postgres://postgres@127.0.0.1/x"), "postgres://postgres@127.0.0.1/x");
        assert_eq!(without_password("postgresql://u:p@h"), "postgresql://u@h");
        assert_eq!(without_password("postgres://h/db?password=x&sslmode=require"), "postgres://h/db");
    }
}

/// The domain's refusals of a lifecycle move, taken inside a write with the rows held: conflicts
/// (409), in the domain's words.
macro_rules! conflicts_from_domain {
    ($($refusal:ty),* $(,)?) => {$(
        impl From<$refusal> for StoreError {
            fn from(e: $refusal) -> Self {
                StoreError::Conflict(e.to_string())
            }
        }
    )*};
}
conflicts_from_domain!(
    hearth_domain::referral::NotLive,
    hearth_domain::offer::OfferNotLive,
    hearth_domain::dispatch::DeclineRefused,
);
