//! Commissioner intelligence: the sufficiency, stability and market figures a council's
//! commissioners and the regional hub shape the market with, computed live from Hearth's records.
//!
//! Pure: no database, no clock, no HTTP. The service layer reads the records into a [`History`]
//! once per snapshot; every table is then computed in memory, as at any date the records cover.
//! Everything that leaves the portal goes through [`disclosure::protect`] first.

pub mod chart;
pub mod dashboard;
pub mod disclosure;
pub mod download;
pub mod market;
pub mod model;
pub mod query;
pub mod stability;
pub mod statutory;
pub mod synthetic;
pub mod table;

pub use dashboard::{Dashboard, Section, dashboard, snapshot};
pub use model::{History, HistoryInput};
pub use query::{IntelError, Query, Scope};
pub use table::{Column, ColumnKind, Denominator, Row, Sum, Table, Value};
