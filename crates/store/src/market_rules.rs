//! The marketplace's rules the store applies (its methods are in `sql_store::market`).

use crate::StoreError;
use hearth_domain::offer::OfferStatus;
use hearth_domain::referral::ReferralStatus;
use hearth_domain::{OfferId, ReferralId};

/// Whether a statement failed on a unique index: the race a guard cannot see coming (two inserts of
/// rows that may not coexist). Told apart by kind, never by the index's name.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

pub(crate) fn is_check_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.kind() == sqlx::error::ErrorKind::CheckViolation)
}

/// A referral is live, and so open to sending and answers, while it is open or has offers.
pub(crate) const fn is_live(status: ReferralStatus) -> bool {
    matches!(status, ReferralStatus::Open | ReferralStatus::Offers)
}

/// Why a change cannot be made to a referral that is no longer live: what became of it, then
/// `consequence`.
pub(crate) fn not_live(id: ReferralId, status: ReferralStatus, consequence: &str) -> StoreError {
    let what = match status {
        ReferralStatus::Draft => format!("referral {id} is still a draft and has not been sent"),
        ReferralStatus::Placed => format!("referral {id} has been placed"),
        ReferralStatus::Withdrawn => format!("referral {id} was withdrawn by the council"),
        ReferralStatus::Unmet => format!("referral {id} was closed as unmet need"),
        ReferralStatus::Open | ReferralStatus::Offers => format!("referral {id} is {}", status.label().to_lowercase()),
    };
    StoreError::Conflict(format!("{what}; {consequence}"))
}

/// Why an offer that is no longer live cannot be accepted or withdrawn.
pub(crate) fn offer_not_live(id: OfferId, status: OfferStatus) -> StoreError {
    StoreError::Conflict(match status {
        OfferStatus::Withdrawn => format!("offer {id} was withdrawn by the provider"),
        OfferStatus::Accepted => format!("offer {id} has already been accepted"),
        OfferStatus::NotChosen => format!("offer {id} was closed when another offer was accepted"),
        OfferStatus::Lapsed => format!("offer {id} lapsed when the referral ended"),
        OfferStatus::Made => format!("offer {id} changed while it was being updated; try again"),
    })
}
