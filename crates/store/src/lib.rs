//! Hearth's storage. One [`Store`] trait, one implementation per backend: SQLite (the embedded default,
//! a file under `./data/`) and PostgreSQL (production). Every write is one transaction that includes its
//! audit row; reads of a child's record write an audit row too.

mod accounts;
mod contract_coverage;
mod convert;
mod error;
mod market;
mod market_rows;
mod market_rules;
mod market_sql;
mod onboarding;
mod ops;
mod postgres;
mod rows;
mod sql;
mod sqlite;
mod write_tx;

pub use accounts::*;
pub use error::StoreError;
pub use market::*;
pub use onboarding::{ApplicationRecord, Approval, Approved, InvitationRecord, NewInvitation};
pub use ops::{OpsStore, PruneBefore, Pruned};
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

use async_trait::async_trait;
use hearth_domain::audit::{Actor, AuditEntry};
use hearth_domain::child::Child;
use hearth_domain::home::{Home, Vacancy};
use hearth_domain::org::{Organisation, User};
use hearth_domain::placement::Placement;
use hearth_domain::referral::{Referral, ReferralStatus};
use hearth_domain::referral_form::{ParsedReferral, ReferralDetails};
use hearth_domain::seed::{RegionCounts, RegionSeed};
use hearth_domain::{ChildId, HomeId, OrganisationId, ReferralId, UserId, VacancyId};
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
    /// Only lines at or after this moment.
    pub since: Option<jiff::Timestamp>,
    /// Only lines before this moment.
    pub until: Option<jiff::Timestamp>,
    /// The most lines to return, newest first; 0 means no limit.
    pub limit: u32,
}

/// Whose referrals a list shows: a council's own, or those sent to a provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralScope {
    Council(u16),
    SentTo(OrganisationId),
}

/// One page of a referral list, filtered in SQL. Empty fields match everything.
#[derive(Debug, Clone)]
pub struct ReferralQuery {
    pub scope: ReferralScope,
    pub status: Option<ReferralStatus>,
    pub urgency: Option<hearth_domain::referral::Urgency>,
    /// Needed from on or after this day.
    pub needed_from: Option<jiff::civil::Date>,
    /// Needed from on or before this day.
    pub needed_to: Option<jiff::civil::Date>,
    /// Referrals for this child (a council's scope only).
    pub child: Option<ChildId>,
    /// A referral's number, or (a council's scope only) one of its children's references, exactly
    /// but for case.
    pub reference: Option<String>,
    /// A provider's scope only: live referrals it has neither offered on nor declined.
    pub awaiting_answer_from: Option<OrganisationId>,
    /// Live referrals first, the nearest deadline first among them, then newest first; otherwise
    /// newest first.
    pub action_first: bool,
    pub offset: u32,
    /// 0: count only.
    pub limit: u32,
}

/// A page of referrals with the count of every referral the query matches.
#[derive(Debug, Clone, Default)]
pub struct ReferralPage {
    pub total: u64,
    pub referrals: Vec<Referral>,
    /// The deadline of each listed referral's open sending, if it has one.
    pub deadlines: std::collections::HashMap<ReferralId, jiff::Timestamp>,
    /// The listed referrals' children's references, in the referral's order (a council's scope only).
    pub child_references: std::collections::HashMap<ReferralId, Vec<String>>,
}

/// One entry in a referral's history: its creation (`from` is `None`), an edit (`to` is `None`) or a
/// change of status. Names the user, never what changed (that is in the referral itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReferralEvent {
    pub id: i64,
    pub referral: ReferralId,
    pub from: Option<hearth_domain::referral::ReferralStatus>,
    pub to: Option<hearth_domain::referral::ReferralStatus>,
    pub at: jiff::Timestamp,
    pub user: Option<UserId>,
}

/// What a council's SSDA903 return needs, read in one snapshot: the children with a placement open on
/// any day of the period (children who have left care too), and their whole histories.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReturnRecords {
    /// Ordered by id. Without connected persons, which the return does not hold.
    pub children: Vec<Child>,
    /// Ordered by child and date.
    pub legal_statuses: Vec<hearth_domain::child::LegalStatusChange>,
    /// Each with its home's Ofsted URN; ordered by child and start.
    pub placements: Vec<(Placement, Option<String>)>,
}

/// Everything the commissioners' figures are computed from, read in one snapshot: every child,
/// legal status, placement, referral (with its children and needs), offer, decline and the first
/// moment each referral reached a provider. Whole tables, so that any council and any date can be
/// answered from memory afterwards.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntelRecords {
    /// Ordered by id; without connected persons.
    pub children: Vec<Child>,
    pub legal_statuses: Vec<hearth_domain::child::LegalStatusChange>,
    pub placements: Vec<Placement>,
    pub referrals: Vec<Referral>,
    pub offers: Vec<hearth_domain::offer::Offer>,
    pub declines: Vec<hearth_domain::offer::Decline>,
    /// When each referral first reached a provider (referrals never sent are absent).
    pub first_sent: Vec<(ReferralId, jiff::Timestamp)>,
    /// The referral form's placement suitability answers, where the form was filled in: foster,
    /// residential, supported accommodation.
    pub suitability: Vec<(ReferralId, [hearth_domain::referral_form::Suitability; 3])>,
}

/// One method per use case; each backend does the rows and the audit row in one transaction. The
/// marketplace's methods are in [`MarketStore`]. Every method that writes an audit row is given the
/// moment (`at`, or a moment in what it writes) by the caller's clock: the database's clock is never read.
#[async_trait]
pub trait Store: MarketStore + OpsStore + Send + Sync + std::fmt::Debug + 'static {
    fn backend(&self) -> Backend;

    /// Applies any migrations not yet applied; returns how many were applied. Refuses a database that
    /// was migrated by a newer Hearth ([`StoreError::NewerSchema`]).
    async fn migrate(&self) -> Result<usize, StoreError>;

    /// True when the database holds no organisations (nothing has been loaded or created yet).
    async fn is_empty(&self) -> Result<bool, StoreError>;

    /// Loads a whole region in one transaction, keeping the seed's ids, with one audit row for the load.
    /// Refuses a database that already holds data ([`StoreError::Conflict`]).
    async fn load_region(
        &self,
        actor: &Actor,
        seed: &RegionSeed,
        at: jiff::Timestamp,
    ) -> Result<RegionCounts, StoreError>;

    async fn counts(&self) -> Result<RegionCounts, StoreError>;

    async fn organisations(&self) -> Result<Vec<Organisation>, StoreError>;
    async fn users(&self) -> Result<Vec<User>, StoreError>;

    /// Every home, active or not, ordered by id (the matching index is rebuilt from this).
    async fn homes(&self) -> Result<Vec<Home>, StoreError>;
    async fn home(&self, id: HomeId) -> Result<Home, StoreError>;
    /// Every vacancy with at least one place, ordered by id.
    async fn vacancies(&self) -> Result<Vec<Vacancy>, StoreError>;
    /// One vacancy, whether or not it has places free.
    async fn vacancy(&self, id: VacancyId) -> Result<Vacancy, StoreError>;
    /// Every contract, by id (the matching index reads those in force).
    async fn contracts(&self) -> Result<Vec<hearth_domain::contract::Contract>, StoreError>;
    /// Records a council's contract with a provider (audited `contract.create`); the contract's id is
    /// ignored. A provider that does not exist is `Invalid`.
    async fn create_contract(
        &self,
        actor: &Actor,
        contract: &hearth_domain::contract::Contract,
        at: jiff::Timestamp,
    ) -> Result<hearth_domain::contract::Contract, StoreError>;
    /// The regional framework's members and their lots (kinds of home), by provider (migration 0016).
    async fn framework_lots(&self) -> Result<Vec<(OrganisationId, hearth_domain::home::HomeKind)>, StoreError>;
    /// Replaces a provider's framework lots (none: it leaves the framework), audited `framework.set`.
    async fn set_framework_lots(
        &self,
        actor: &Actor,
        provider: OrganisationId,
        lots: &[hearth_domain::home::HomeKind],
        at: jiff::Timestamp,
    ) -> Result<(), StoreError>;
    /// Every change of a contract's terms, by contract and date (migration 0015).
    async fn contract_versions(&self) -> Result<Vec<hearth_domain::contract::ContractVersion>, StoreError>;
    /// Records new terms for a contract from a date (audited `contract.change`); a second change
    /// taking effect on the same day replaces the first.
    async fn change_contract_terms(
        &self,
        actor: &Actor,
        version: &hearth_domain::contract::ContractVersion,
        at: jiff::Timestamp,
    ) -> Result<(), StoreError>;
    /// Sets a contract's last day (audited `contract.end`); `NotFound` for no such contract.
    async fn end_contract(
        &self,
        actor: &Actor,
        id: hearth_domain::ContractId,
        ends: jiff::civil::Date,
        at: jiff::Timestamp,
    ) -> Result<(), StoreError>;
    /// A council's matching weights as stored (JSON), `None` when it uses the defaults.
    async fn council_weights(&self, la_code: u16) -> Result<Option<String>, StoreError>;
    /// Replaces a council's matching weights (JSON), audited `weights.update`.
    async fn set_council_weights(
        &self,
        actor: &Actor,
        la_code: u16,
        weights: &str,
        at: jiff::Timestamp,
    ) -> Result<(), StoreError>;
    /// Adds a vacancy to a home (audited `vacancy.create`); the vacancy's id is ignored. An unknown
    /// home is `Invalid`.
    async fn create_vacancy(
        &self,
        actor: &Actor,
        vacancy: &Vacancy,
        at: jiff::Timestamp,
    ) -> Result<Vacancy, StoreError>;
    /// Replaces a vacancy's places, date, ages, sex and price (audited `vacancy.update`); its home
    /// stays. An unknown vacancy is `NotFound` and writes nothing.
    async fn update_vacancy(
        &self,
        actor: &Actor,
        vacancy: &Vacancy,
        at: jiff::Timestamp,
    ) -> Result<Vacancy, StoreError>;
    /// Sets a vacancy's free places (0 closes it), with an audit row in the same transaction.
    async fn set_vacancy_places(
        &self,
        actor: &Actor,
        id: VacancyId,
        places: u16,
        at: jiff::Timestamp,
    ) -> Result<Vacancy, StoreError>;

    /// What Hearth keeps of a home beyond what matching reads (empty for a home never edited here).
    async fn home_profile(&self, id: HomeId) -> Result<hearth_domain::home_upkeep::HomeProfile, StoreError>;
    /// The homes that carry an Ofsted URN, with their providers.
    async fn urn_holders(&self, urn: &str) -> Result<Vec<(HomeId, OrganisationId)>, StoreError>;
    /// Opens a home (`home.id` 0; the database gives its id) or rewrites one, with its skills, profile
    /// and an audit line; refuses places below what the home's children and vacancies take.
    async fn save_home(
        &self,
        actor: &Actor,
        home: &Home,
        profile: &hearth_domain::home_upkeep::HomeProfile,
        at: jiff::Timestamp,
    ) -> Result<Home, StoreError>;
    /// Closes a home if no child lives there on the day (refused naming the placements otherwise);
    /// its vacancies are filled. Returns the vacancies it closed.
    async fn close_home(
        &self,
        actor: &Actor,
        id: HomeId,
        closure: &hearth_domain::home_upkeep::Closure,
        at: jiff::Timestamp,
    ) -> Result<Vec<Vacancy>, StoreError>;
    /// A bulk upkeep file, all or nothing, in one transaction: each (line, vacancy) sets its home's
    /// vacancy and weekly price. Returns every vacancy written.
    async fn apply_upkeep(
        &self,
        actor: &Actor,
        rows: &[(usize, Vacancy)],
        at: jiff::Timestamp,
    ) -> Result<Vec<Vacancy>, StoreError>;

    /// A child's record; writes a `child.read` audit row.
    async fn child(&self, actor: &Actor, id: ChildId, at: jiff::Timestamp) -> Result<Child, StoreError>;
    /// A council's children looked after (open period of care), by DfE LA code, ordered by id.
    async fn children_of(&self, la_code: u16) -> Result<Vec<Child>, StoreError>;
    /// One page of a council's children looked after, ordered by reference, with how many match:
    /// those whose reference starts with `reference_prefix` (letters or digits, any case), or all.
    async fn children_page(
        &self,
        la_code: u16,
        reference_prefix: Option<&str>,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<Child>, u64), StoreError>;
    /// A child's placements, in the order they started.
    async fn placements_of_child(&self, id: ChildId) -> Result<Vec<Placement>, StoreError>;
    /// Council `la_code`'s records for its SSDA903 return for the days `from` to `to` (both included):
    /// three reads in one transaction. Writes no audit row: the service audits the export.
    async fn return_records(
        &self,
        la_code: u16,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<ReturnRecords, StoreError>;

    /// The whole history the intelligence figures are computed from (see [`IntelRecords`]), in one
    /// transaction. Writes no audit row: the service audits what is shown.
    async fn intel_records(&self) -> Result<IntelRecords, StoreError>;

    /// Audit rows, newest first.
    async fn audit(&self, query: &AuditQuery) -> Result<Vec<AuditEntry>, StoreError>;

    // --- Referrals (read side; writing them is the referrals feature's) ---

    /// A referral; writes a `referral.read` audit row (its full view names the children).
    async fn referral(&self, actor: &Actor, id: ReferralId, at: jiff::Timestamp) -> Result<Referral, StoreError>;
    /// Creates a referral as a draft of council `la_code`, made by the actor at `at`: the referral, its
    /// children, needs and details, its first event and a `referral.create` audit row, in one
    /// transaction. A child that does not exist is [`StoreError::Invalid`] (the service checks first).
    async fn create_referral(
        &self,
        actor: &Actor,
        la_code: u16,
        referral: &ParsedReferral,
        at: jiff::Timestamp,
    ) -> Result<Referral, StoreError>;
    /// Replaces a draft or open referral's children, needs, core fields and details, with an edit event
    /// and a `referral.update` audit row. A referral past that is [`StoreError::Conflict`], unchanged.
    async fn update_referral(
        &self,
        actor: &Actor,
        id: ReferralId,
        referral: &ParsedReferral,
        at: jiff::Timestamp,
    ) -> Result<Referral, StoreError>;
    /// The form's details of a referral; the defaults when none were stored (a loaded region's
    /// referrals have none). Does not check that the referral exists, and writes no audit row: the
    /// caller has read (and audited) the referral itself.
    async fn referral_details(&self, id: ReferralId) -> Result<ReferralDetails, StoreError>;
    /// Moves a referral from `from` to `to` if it still has status `from` (else [`StoreError::Conflict`]
    /// and nothing written), with an event and a `referral.status` audit row; sets `closed_at` when
    /// `to` closes it. A move the lifecycle forbids is [`StoreError::Invalid`].
    async fn transition_referral(
        &self,
        actor: &Actor,
        id: ReferralId,
        from: ReferralStatus,
        to: ReferralStatus,
        at: jiff::Timestamp,
    ) -> Result<Referral, StoreError>;
    /// A referral's history, oldest first.
    async fn referral_events(&self, id: ReferralId) -> Result<Vec<ReferralEvent>, StoreError>;
    /// A referral without an audit row: for the minimised view a provider sees, which names no child.
    async fn referral_unaudited(&self, id: ReferralId) -> Result<Referral, StoreError>;
    /// A council's referrals, newest first, at most `limit` (0: all).
    async fn referrals_of(&self, la_code: u16, limit: u32) -> Result<Vec<Referral>, StoreError>;
    /// One page of a referral list with its total, filtered and ordered by the database.
    async fn referral_page(&self, query: &ReferralQuery) -> Result<ReferralPage, StoreError>;
    /// Referrals sent to a provider, newest first, at most `limit` (0: all).
    async fn referrals_sent_to(&self, provider: OrganisationId, limit: u32) -> Result<Vec<Referral>, StoreError>;
    /// Every referral a child is on (alone or with brothers and sisters), newest first, with its status.
    async fn referrals_of_child(
        &self,
        child: ChildId,
    ) -> Result<Vec<(ReferralId, hearth_domain::referral::ReferralStatus)>, StoreError>;
    /// Whether (and how) a referral was sent to a provider. A loaded region's recipients are the
    /// providers that offered or declined.
    async fn recipient(&self, referral: ReferralId, provider: OrganisationId) -> Result<Option<Recipient>, StoreError>;

    /// A child's record WITHOUT an audit row: for the service layer's scoping checks and for views
    /// that disclose no personal details (a provider's minimised referral). The service audits what
    /// it discloses with [`Store::record_read`].
    async fn child_unaudited(&self, id: ChildId) -> Result<Child, StoreError>;
    /// Writes one audit row for a read the service layer has just allowed (`child.read`,
    /// `referral.read`, `placements.read`), with the record's type and id.
    async fn record_read(
        &self,
        actor: &Actor,
        action: &str,
        record_type: &str,
        record_id: &str,
        at: jiff::Timestamp,
    ) -> Result<(), StoreError>;

    /// Writes one audit row for a list the service layer has just allowed (`child.list.read`,
    /// `placement.list.read`, `referral.list.read`): no record id, `detail` says which records (a
    /// count, the ids' range and a hash of them, never their contents).
    async fn record_list_read(
        &self,
        actor: &Actor,
        action: &str,
        record_type: &str,
        detail: &str,
        at: jiff::Timestamp,
    ) -> Result<(), StoreError>;

    // --- Provider onboarding (migration 0018) ---

    /// Records an application to join from address `from_ip` (audited `application.create`).
    async fn create_application(
        &self,
        actor: &Actor,
        form: &hearth_domain::onboarding::ParsedApplication,
        from_ip: &str,
        at: jiff::Timestamp,
    ) -> Result<ApplicationRecord, StoreError>;
    /// Every application, newest first.
    async fn applications(&self) -> Result<Vec<ApplicationRecord>, StoreError>;
    async fn application(&self, id: i64) -> Result<ApplicationRecord, StoreError>;
    /// The approved application an organisation was made from, if it was.
    async fn application_of(&self, organisation: OrganisationId) -> Result<Option<ApplicationRecord>, StoreError>;
    /// When the latest `limit` applications from an address were made, newest first.
    async fn applications_from(&self, ip: &str, limit: u32) -> Result<Vec<jiff::Timestamp>, StoreError>;
    /// Approves a pending application: the provider organisation, its first manager (no password), the
    /// invitation and its e-mail, in one transaction, audited `application.approve`,
    /// `organisation.create`, `user.create` and `invitation.create`. One already decided is a
    /// `Conflict`; a contact e-mail someone already signs in with is `Refused`, naming the field.
    async fn approve_application(&self, actor: &Actor, approval: &Approval) -> Result<Approved, StoreError>;
    /// Refuses a pending application with its reason, e-mailing the contact (audited
    /// `application.refuse`); one already decided is a `Conflict`.
    async fn refuse_application(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
        email: &NewEmail,
        at: jiff::Timestamp,
    ) -> Result<ApplicationRecord, StoreError>;
    /// The invitation whose link's secret hashes to `token_hash`, used or not (the caller checks).
    async fn invitation_by_hash(&self, token_hash: &str) -> Result<Option<InvitationRecord>, StoreError>;
    /// Uses an invitation once: sets the user's password (audited `invitation.accept`). One already used
    /// is a `Conflict` and changes nothing.
    async fn accept_invitation(
        &self,
        actor: &Actor,
        id: i64,
        user: UserId,
        password_hash: &str,
        at: jiff::Timestamp,
    ) -> Result<(), StoreError>;
    /// Sends a user a new invitation, ending any unused one (audited `invitation.create`).
    async fn reinvite(
        &self,
        actor: &Actor,
        user: UserId,
        application: Option<i64>,
        invitation: &NewInvitation,
        email: &NewEmail,
    ) -> Result<InvitationRecord, StoreError>;

    // --- Accounts, sessions, tokens ---

    async fn account(&self, id: UserId) -> Result<Account, StoreError>;
    async fn account_by_email(&self, email: &hearth_domain::org::Email) -> Result<Option<Account>, StoreError>;
    /// The users of one organisation, by id.
    async fn accounts_of(&self, organisation: OrganisationId) -> Result<Vec<Account>, StoreError>;
    /// Adds a user (audited `user.create`); a taken e-mail is a `Conflict`.
    async fn create_user(&self, actor: &Actor, user: &NewUser, at: jiff::Timestamp) -> Result<Account, StoreError>;
    /// Changes a user (audited `user.update`, naming the fields changed, never the password).
    async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        change: &UserChange,
        at: jiff::Timestamp,
    ) -> Result<Account, StoreError>;
    /// Sets one password hash on every user that has none (the demo's shared password): one audit row.
    async fn set_missing_password_hashes(
        &self,
        actor: &Actor,
        hash: &str,
        at: jiff::Timestamp,
    ) -> Result<u64, StoreError>;

    /// Starts a session (audited `session.create`).
    async fn create_session(&self, actor: &Actor, session: &NewSession) -> Result<SessionRecord, StoreError>;
    /// The session whose cookie hashes to `token_hash`, live or not (the caller checks).
    async fn session_by_hash(&self, token_hash: &str) -> Result<Option<SessionRecord>, StoreError>;
    /// A user's live sessions at `now`, newest first.
    async fn sessions_of(&self, user: UserId, now: jiff::Timestamp) -> Result<Vec<SessionRecord>, StoreError>;
    /// Ends one of `user`'s sessions (audited `session.revoke`); another user's session is `NotFound`.
    async fn revoke_session(
        &self,
        actor: &Actor,
        user: UserId,
        session: i64,
        at: jiff::Timestamp,
    ) -> Result<(), StoreError>;
    /// Ends every live session of `user` (audited `session.revoke_all`); returns how many.
    /// Ends every session of `user` still live at `now` (the service's clock, so that "live" means the
    /// same to the store as to whoever is asking).
    async fn revoke_all_sessions(&self, actor: &Actor, user: UserId, now: jiff::Timestamp) -> Result<u64, StoreError>;

    /// Issues an API token (audited `token.create`, naming its scopes).
    async fn create_api_token(&self, actor: &Actor, token: &NewApiToken) -> Result<ApiTokenRecord, StoreError>;
    async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<ApiTokenRecord>, StoreError>;
    /// An organisation's tokens, revoked ones included, newest first.
    async fn api_tokens_of(&self, organisation: OrganisationId) -> Result<Vec<ApiTokenRecord>, StoreError>;
    /// Revokes one of `organisation`'s tokens (audited `token.revoke`); another's is `NotFound`.
    async fn revoke_api_token(
        &self,
        actor: &Actor,
        organisation: OrganisationId,
        id: i64,
        at: jiff::Timestamp,
    ) -> Result<(), StoreError>;

    /// Records a sign-in attempt; a failed one also writes a `session.sign_in_failed` audit row.
    async fn record_sign_in(&self, actor: &Actor, attempt: &SignInAttempt) -> Result<(), StoreError>;
    /// Audits a throttle's decision on a sign-in (`session.locked` when a failure reaches a limit,
    /// `session.sign_in_refused` when an attempt is refused), naming the account by id if the e-mail is
    /// a user's; `detail` says which limit and when it lifts.
    async fn record_sign_in_throttle(
        &self,
        actor: &Actor,
        email: &str,
        action: &str,
        detail: &str,
        at: jiff::Timestamp,
    ) -> Result<(), StoreError>;
    /// Forgets a user's failed sign-ins, so that no throttle holds them back (audited `user.unlock`,
    /// saying how many); returns how many.
    async fn clear_sign_in_failures(&self, actor: &Actor, user: UserId, at: jiff::Timestamp)
    -> Result<u64, StoreError>;
    /// Failed attempts at or after `since` for this e-mail, this address and the two together.
    async fn failed_sign_ins_since(
        &self,
        email: &str,
        ip: &str,
        since: jiff::Timestamp,
    ) -> Result<FailureCounts, StoreError>;
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
