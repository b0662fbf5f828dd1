//! Hearth's matching engine: which available homes could care for a child, in the order the law
//! asks for (Children Act 1989 s22C), and why.
//!
//! Pure: no I/O, no async, no SQL, no HTTP. The store feeds a [`SupplyIndex`] at start-up
//! ([`SupplyIndex::build`]) and on every change ([`SupplyIndex::update_vacancy`],
//! [`SupplyIndex::set_places`], [`SupplyIndex::upsert_home`], …); the service ranks a
//! [`MatchRequest`] against it with a council's [`Weights`]:
//!
//! ```
//! use hearth_matching::{Contracts, MatchRequest, SupplyIndex, Weights};
//! use hearth_matching::synthetic::{national, SyntheticConfig};
//! use hearth_domain::{GridRef, Sex};
//!
//! let supply = national(SyntheticConfig { homes: 2_000, ..SyntheticConfig::default() });
//! let contracts = Contracts::new(&supply.contracts, SyntheticConfig::default().today)
//!     .with_council_services(&supply.organisations);
//! let index = SupplyIndex::build(&supply.homes, &supply.vacancies, contracts);
//!
//! // A 14-year-old girl, near Coventry's centre, tonight.
//! let near = GridRef { easting: 433_664, northing: 279_160 };
//! let request = MatchRequest::quick(331, 14, Sex::Female, near, SyntheticConfig::default().today);
//! let result = index.rank(&request, &Weights::default(), 10);
//! assert_eq!(result.excluded.total() + result.considered, index.len());
//! for m in &result.matches {
//!     assert_eq!(m.contributions.len(), m.reasons.len());
//! }
//! ```
//!
//! How it works: [`rules`] lists the hard rules (a home failing one is never shown, and is counted
//! under the first it fails), [`weights`] the weighted factors and their default weights with the
//! reasoning, [`needs`] the mapping from a child's needs to homes' skills. The crate's README has
//! the benchmark figures.

/// Serialises a bit set of a code list as the list of its codes (`["foster", "childrens_home"]`), the
/// way the domain's `Skills` does: through `Vec`, with the set's `FromIterator` and `iter`.
macro_rules! serde_as_list {
    ($set:ty, $item:ty) => {
        impl From<Vec<$item>> for $set {
            fn from(v: Vec<$item>) -> Self {
                v.into_iter().collect()
            }
        }

        impl From<$set> for Vec<$item> {
            fn from(s: $set) -> Self {
                s.iter().collect()
            }
        }
    };
}

mod contracts;
mod explain;
mod index;
pub mod needs;
mod rank;
pub mod request;
pub mod rules;
pub mod synthetic;
pub mod weights;

pub use contracts::Contracts;
pub use index::{IndexError, SupplyIndex, Target};
pub use needs::NeedSet;
pub use rank::{Explain, Match, MatchResult, SHOWN_AS_FIELDS, deciding};
pub use request::{
    Area, ChildProfile, HomeBasis, Household, MatchRequest, PlacementKind, PlacementKinds, RequestError,
};
pub use rules::{Exclusions, HardRule};
pub use weights::{Factor, Weights, WeightsError};
