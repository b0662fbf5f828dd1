//! Hearth's storage. One [`Store`] trait, one implementation per backend: SQLite (the embedded default,
//! a file under `./data/`) and PostgreSQL (production). Every write is one transaction that includes its
//! audit row; reads of a child's record write an audit row too.

mod common;
mod convert;
mod error;
mod postgres;
mod rows;
mod sql;
mod sqlite;

pub use error::StoreError;
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

use async_trait::async_trait;
use hearth_domain::audit::{Actor, AuditEntry};
use hearth_domain::child::Child;
use hearth_domain::home::{Home, Vacancy};
use hearth_domain::org::{Organisation, User};
use hearth_domain::placement::Placement;
use hearth_domain::seed::{RegionCounts, RegionSeed};
use hearth_domain::{ChildId, HomeId, VacancyId};
use std::sync::Arc;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite",
            Self::Postgres => "PostgreSQL",
        }
    }
}

/// What to search the audit log for. Empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// The acting user's organisation.
    pub organisation: Option<hearth_domain::OrganisationId>,
    /// The start of the action, compared as text (`"child."`); `_` and `%` are not wildcards.
    pub action_prefix: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    /// The most lines to return, newest first; 0 means no limit.
    pub limit: u32,
}

/// One method per use case; each backend does the rows and the audit row in one transaction.
#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug + 'static {
    fn backend(&self) -> Backend;

    /// Applies any migrations not yet applied; returns how many were applied. Refuses a database that
    /// was migrated by a newer Hearth ([`StoreError::NewerSchema`]).
    async fn migrate(&self) -> Result<usize, StoreError>;

    /// True when the database holds no organisations (nothing has been loaded or created yet).
    async fn is_empty(&self) -> Result<bool, StoreError>;

    /// Loads a whole region in one transaction, keeping the seed's ids, with one audit row for the load.
    /// Refuses a database that already holds data ([`StoreError::Conflict`]).
    async fn load_region(&self, actor: &Actor, seed: &RegionSeed) -> Result<RegionCounts, StoreError>;

    async fn counts(&self) -> Result<RegionCounts, StoreError>;

    async fn organisations(&self) -> Result<Vec<Organisation>, StoreError>;
    async fn users(&self) -> Result<Vec<User>, StoreError>;

    /// Every home, active or not, ordered by id (the matching index is rebuilt from this).
    async fn homes(&self) -> Result<Vec<Home>, StoreError>;
    async fn home(&self, id: HomeId) -> Result<Home, StoreError>;
    /// Every vacancy with at least one place, ordered by id.
    async fn vacancies(&self) -> Result<Vec<Vacancy>, StoreError>;
    /// Sets a vacancy's free places (0 closes it), with an audit row in the same transaction.
    async fn set_vacancy_places(&self, actor: &Actor, id: VacancyId, places: u16) -> Result<Vacancy, StoreError>;

    /// A child's record; writes a `child.read` audit row.
    async fn child(&self, actor: &Actor, id: ChildId) -> Result<Child, StoreError>;
    /// A council's children looked after (open period of care), by DfE LA code, ordered by id.
    async fn children_of(&self, la_code: u16) -> Result<Vec<Child>, StoreError>;
    /// A child's placements, in the order they started.
    async fn placements_of_child(&self, id: ChildId) -> Result<Vec<Placement>, StoreError>;

    /// Audit rows, newest first.
    async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError>;
}

/// Opens the database named by `url`: `sqlite://path` (created if missing) or `postgres://…`.
/// Does not migrate: call [`Store::migrate`].
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PgStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(sqlite::SqliteStore::connect(url).await?))
    } else {
        Err(StoreError::InvalidUrl(error::without_password(url)))
    }
}
