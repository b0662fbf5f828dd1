//! What a service call can refuse or fail with. Each variant maps to one HTTP status and one stable
//! code in the web layer; messages are sentences a person can act on and never reveal whether another
//! organisation's record exists.

use hearth_domain::access::{Capability, Denied};
use hearth_domain::agreement::SignRefused;
use hearth_domain::dispatch::DeclineRefused;
use hearth_domain::offer::OfferNotLive;
use hearth_domain::referral::NotLive;
use hearth_domain::{DomainError, ValidationErrors};
use hearth_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// No valid session or token (401).
    #[error("{0}")]
    Unauthenticated(&'static str),
    /// Signed in, but the role or token does not allow this at all (403).
    #[error("your role does not allow this ({})", .0.label().to_lowercase())]
    Forbidden(Capability),
    /// The record does not exist, or belongs to another organisation (404, the same answer for both).
    #[error("{0} was not found")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// Too many failed sign-ins (429); the web layer sends `retry_after_secs` as `Retry-After`.
    #[error(
        "too many failed sign-in attempts from here; try again in {}, or ask your administrator to unlock your account",
        crate::throttle::wait_words(.retry_after_secs)
    )]
    Throttled { retry_after_secs: i64 },
    /// Too many requests to join from one address (429), with when to try again.
    #[error(
        "too many requests to join have come from here lately; try again in {}",
        crate::throttle::wait_words(.retry_after_secs)
    )]
    TooManyApplications { retry_after_secs: i64 },
    #[error("the database cannot be reached; try again shortly")]
    Unavailable,
    #[error("internal failure: {0}")]
    Internal(String),
}

impl ServiceError {
    /// Turns a scoping refusal into the answer the caller gets. `what` names the record as it would
    /// be named if it were missing.
    pub fn denied(d: Denied, what: impl Into<String>) -> Self {
        match d {
            Denied::NotPermitted(c) => Self::Forbidden(c),
            Denied::NotYours => Self::NotFound(what.into()),
        }
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what } => Self::NotFound(what),
            StoreError::Conflict(m) => Self::Conflict(m),
            StoreError::Invalid(m) => Self::Invalid(DomainError::new("request", m).into()),
            StoreError::Refused(e) => Self::Invalid(e.into()),
            StoreError::Unavailable { .. } => Self::Unavailable,
            other => Self::Internal(other.to_string()),
        }
    }
}

/// The lifecycles' refusals: the record's state, not the request, is at fault (409).
macro_rules! conflicts {
    ($($refusal:ty),+) => {$(
        impl From<$refusal> for ServiceError {
            fn from(e: $refusal) -> Self {
                Self::Conflict(e.to_string())
            }
        }
    )+};
}
conflicts!(NotLive, OfferNotLive, DeclineRefused, SignRefused);

impl From<DomainError> for ServiceError {
    fn from(e: DomainError) -> Self {
        Self::Invalid(e.into())
    }
}

impl From<ValidationErrors> for ServiceError {
    fn from(e: ValidationErrors) -> Self {
        Self::Invalid(e)
    }
}
