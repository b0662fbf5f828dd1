//! The SSDA903 return from Hearth's own records (summary of the return in `shared/ssda903.md`).
//!
//! - [`episodes`]: a child's placements and legal statuses → the 903 episode chain (RNE, REC, …).
//! - [`derived`]: DfE's PL_DISTANCE, PL_LA and PL_LOCATION, computed from OS eastings and northings.
//! - [`check`]: the structural rules a return must pass, each problem with child, row, field and a sentence.
//! - [`tables`]: the CSV tables with DfE's exact headers and `dd/mm/yyyy` dates, the header-only tables, the
//!   output folder's README and the report.
//!
//! Nothing here reads a database or a clock: [`Export::build`] takes the records and the collection
//! year, and writing goes to any [`std::io::Write`] or a directory.

pub mod check;
pub mod derived;
pub mod episodes;
mod error;
mod export;
pub mod tables;
mod year;

pub use check::{Problem, Rule};
pub use derived::{Derived, GazetteerLocator, Locator, PlLocation};
pub use episodes::{ChildHistory, Episode, PlacedRecord, derive_episodes, group_histories};
pub use error::Ssda903Error;
pub use export::{Export, UnknownDistance};
pub use tables::Table;
pub use year::CollectionYear;
