//! How the store tells the database's refusals apart (the marketplace's rules themselves are the
//! domain's lifecycles, `hearth_domain::{referral, offer, dispatch}`; its methods are in `sql_store::market`).

/// Whether a statement failed on a unique index: the race a guard cannot see coming (two inserts of
/// rows that may not coexist). Told apart by kind, never by the index's name.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

pub(crate) fn is_check_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.kind() == sqlx::error::ErrorKind::CheckViolation)
}
