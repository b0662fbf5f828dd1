//! Hearth's service layer: every use case, checked against the caller's permissions and scoped to
//! their organisation before the store is touched. The API, the pages and the exports all call these
//! functions, so they all inherit the same rules; nothing about who may see what lives in a handler.
//!
//! [`Services`]' methods are spread over modules named for what they are about:
//! - `auth` sign-in, sessions and API tokens; `admin` users and the audit trail;
//! - `records` children's records; `referrals` writing, submitting and withdrawing referrals;
//! - `matching` the matching index and ranked homes; `homes` homes and vacancies (and a provider's
//!   own, `homes_snapshot` the pages' in-memory copy); `organisations` looking organisations up;
//! - `market` sending, answers and offers, accepting, agreements, placements, escalation, e-mails;
//! - `contracts`, `intel` (figures), `figures` (the commissioning pages' overview and scope),
//!   `ssda903` (the return), `retention`.

pub mod admin;
pub mod auth;
mod auth_cache;
pub mod clock;
pub mod contracts;
mod error;
mod expiring;
mod figures;
pub mod framework;
pub mod home_upkeep;
pub mod homes;
pub mod homes_snapshot;
pub mod idempotency;
pub mod intel;
pub mod lists;
pub mod market;
pub mod matching;
pub mod onboarding;
mod organisations;
mod read_audit;
mod records;
mod referrals;
pub mod retention;
pub mod send_choices;
mod ssda903;
pub mod throttle;
pub mod views;

pub use auth::{AuthPolicy, Origin, SignedIn};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::ServiceError;
pub use figures::{FiguresScope, RegionOverview};
pub use homes::OwnHome;
pub use retention::RetentionPolicy;

/// The store's record types the service's methods take and give, and the trait a caller builds the
/// service on: from here, so the pages and the API depend on the service alone.
pub use hearth_store::{ApiTokenRecord, AuditQuery, SessionRecord, Store};
use std::sync::Arc;

/// The service layer's entry point; cheap to clone.
#[derive(Debug, Clone)]
pub struct Services {
    pub(crate) store: Arc<dyn Store>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) policy: Arc<AuthPolicy>,
    pub(crate) auth_cache: Arc<auth_cache::AuthCache>,
    pub(crate) matching: Arc<matching::MatchingCaches>,
    pub(crate) intel: Arc<intel::IntelSnapshot>,
    /// How long providers have to answer, by urgency.
    pub(crate) deadlines: hearth_domain::deadlines::DeadlinePolicy,
}

impl Services {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, policy: AuthPolicy) -> Self {
        Self {
            store,
            clock,
            policy: Arc::new(policy),
            auth_cache: Arc::default(),
            matching: Arc::default(),
            intel: Arc::default(),
            deadlines: hearth_domain::deadlines::DeadlinePolicy::default(),
        }
    }

    /// Production settings: the system clock and the default sign-in policy.
    pub fn with_defaults(store: Arc<dyn Store>) -> Self {
        Self::new(store, Arc::new(SystemClock), AuthPolicy::default())
    }

    /// The store, for benchmarks that set data up beneath the service. Pages and the API never
    /// reach it: they call the methods here.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Whether the database answers, for the health check: the backend's name, or why not.
    pub async fn check_database(&self) -> Result<&'static str, ServiceError> {
        self.store.is_empty().await?;
        Ok(self.database())
    }

    /// The backend's name (`SQLite`, `PostgreSQL`), for what the server says at start.
    pub fn database(&self) -> &'static str {
        self.store.backend().name()
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// Today in England, where every council using Hearth is.
    pub fn today(&self) -> jiff::civil::Date {
        let tz = jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC);
        self.clock.now().to_zoned_datetime(tz).date()
    }
}
