//! Hearth's domain: the facts of children's placements and the rules that a council would recognise.
//!
//! No I/O, no async, no SQL, no HTTP: every value here can only be built by parsing, so code that holds
//! one knows it is valid. Storage, the web and the matching engine all build on these types.

mod code_list;

pub mod access;
pub mod agreement;
pub mod audit;
pub mod capacity;
pub mod child;
pub mod contract;
pub mod council;
pub mod deadlines;
pub mod dispatch;
mod error;
pub mod geo;
pub mod home;
pub mod home_upkeep;
pub mod ids;
pub mod lifecycle;
pub mod offer;
pub mod onboarding;
pub mod org;
pub mod placement;
pub mod quality;
pub mod referral;
pub mod referral_form;
pub mod seed;
pub mod ssda903;
pub mod text;

pub use error::{DomainError, ValidationErrors};
pub use geo::{GridRef, Miles, Postcode, PostcodeDistrict};
pub use ids::*;
pub use lifecycle::{Lifecycle, NotAllowed};
pub use ssda903::{
    CategoryOfNeed, EthnicGroup, Ethnicity, LegalStatus, PlaceProvider, PlacementGroup, PlacementType,
    ReasonEpisodeCeased, ReasonNewEpisode, ReasonPlaceChange, Sex,
};
