//! Typed identifiers, so a child's id can never be passed where a home's is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($($(#[$m:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )+};
}

id_type!(
    OrganisationId,
    UserId,
    ChildId,
    /// A sibling group: children referred and, where the plan says so, placed together.
    SiblingGroupId,
    HomeId,
    VacancyId,
    ContractId,
    ReferralId,
    OfferId,
    PlacementId,
    QualityVisitId,
    AuditId,
);
