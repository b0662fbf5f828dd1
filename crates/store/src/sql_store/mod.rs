//! The one implementation of the [`Store`](crate::Store), [`MarketStore`](crate::MarketStore) and
//! [`OpsStore`](crate::OpsStore) traits, compiled once for each backend.
//!
//! sqlx's executors, query builders and bind bounds are concrete per database, so code generic over
//! `DB: sqlx::Database` has to restate a bound for every type it binds or reads, on every function (Rust
//! does not carry a trait's `where` clauses to its users). Instead each backend's file declares this
//! folder as a module of its own, after naming its store `This` and its database `Db`:
//!
//! ```ignore
//! type This = SqliteStore;
//! type Db = sqlx::Sqlite;
//! #[path = "sql_store/mod.rs"]
//! mod sql_store;
//! ```
//!
//! so the code here is ordinary Rust with concrete types, written once and read by an editor like any
//! other module. A backend supplies only what really differs, on `This`:
//!
//! - `pool`, and `url` (the address to name in errors),
//! - `fn migrator()` (its own migrations folder),
//! - `const BACKEND`, `const MAX_BINDS` (bind parameters one statement may carry),
//! - `const MIGRATIONS_TABLE_EXISTS`,
//! - `const LOCK_VACANCY` (read a vacancy's places, locking the row where the dialect can),
//! - `const LOCK_HOME` (read a home's name and places, locking the row where the dialect can),
//! - `async fn begin_write(&self)` (a transaction that will write),
//! - `async fn after_load(&mut Connection)` (fix-ups after a bulk load that keeps ids),
//! - `async fn quick_check(&self)`, `async fn backup_into(&self, path)` (see `ops`).
//!
//! Each area's module holds its use cases as functions taking the store; the trait implementations below
//! only forward to them. Helpers several areas share are methods on `This`.

mod accounts;
mod audit;
mod homes;
mod market;
mod onboarding;
mod ops;
mod records;
mod reference;
mod referrals;
mod region;

use super::{Db, This};
use crate::StoreError;
use hearth_domain::ChildId;
use hearth_domain::HomeId;
use hearth_domain::OfferId;
use hearth_domain::OrganisationId;
use hearth_domain::PlacementId;
use hearth_domain::ReferralId;
use hearth_domain::UserId;
use hearth_domain::VacancyId;
use hearth_domain::audit::Actor;
use jiff::Timestamp;

impl This {
    pub(crate) fn fail(&self, e: sqlx::Error) -> StoreError {
        crate::error::from_sqlx(&self.url, e)
    }

    /// Inserts `rows` with multi-row INSERTs, as many rows a statement as the backend's bind
    /// limit allows.
    pub(crate) async fn insert_rows<T>(
        conn: &mut <Db as sqlx::Database>::Connection,
        head: &'static str,
        rows: &[T],
        mut bind: impl FnMut(&mut sqlx::query_builder::Separated<'_, Db, &'static str>, &T),
    ) -> Result<(), sqlx::Error> {
        for chunk in rows.chunks(crate::sql::rows_per_statement(head, Self::MAX_BINDS)) {
            let mut insert = sqlx::QueryBuilder::<Db>::new(head);
            insert.push_values(chunk, |mut row, value| bind(&mut row, value));
            insert.build().execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Writes what the contracts cover (migration 0013's two tables), in the caller's transaction:
    /// a contract is never seen without what it buys.
    pub(crate) async fn write_coverage(
        conn: &mut <Db as sqlx::Database>::Connection,
        contracts: &[hearth_domain::contract::Contract],
    ) -> Result<(), sqlx::Error> {
        let (kinds, homes) = crate::contract_coverage::rows(contracts);
        Self::insert_rows(conn, crate::contract_coverage::INSERT_KINDS, &kinds, |b, (id, kind)| {
            b.push_bind(*id).push_bind(*kind);
        })
        .await?;
        Self::insert_rows(conn, crate::contract_coverage::INSERT_HOMES, &homes, |b, (id, home)| {
            b.push_bind(*id).push_bind(*home);
        })
        .await
    }
}

#[async_trait::async_trait]
impl crate::Store for This {
    fn backend(&self) -> crate::Backend {
        Self::BACKEND
    }

    async fn migrate(&self) -> Result<usize, StoreError> {
        region::migrate(self).await
    }

    async fn is_empty(&self) -> Result<bool, StoreError> {
        region::is_empty(self).await
    }

    async fn load_region(
        &self,
        actor: &Actor,
        seed: &hearth_domain::seed::RegionSeed,
        at: Timestamp,
    ) -> Result<hearth_domain::seed::RegionCounts, StoreError> {
        region::load_region(self, actor, seed, at).await
    }

    async fn counts(&self) -> Result<hearth_domain::seed::RegionCounts, StoreError> {
        region::counts(self).await
    }

    async fn organisations(&self) -> Result<Vec<hearth_domain::org::Organisation>, StoreError> {
        reference::organisations(self).await
    }

    async fn users(&self) -> Result<Vec<hearth_domain::org::User>, StoreError> {
        reference::users(self).await
    }

    async fn homes(&self) -> Result<Vec<hearth_domain::home::Home>, StoreError> {
        reference::homes(self).await
    }

    async fn home(&self, id: HomeId) -> Result<hearth_domain::home::Home, StoreError> {
        reference::home(self, id).await
    }

    async fn vacancies(&self) -> Result<Vec<hearth_domain::home::Vacancy>, StoreError> {
        reference::vacancies(self).await
    }

    async fn contracts(&self) -> Result<Vec<hearth_domain::contract::Contract>, StoreError> {
        reference::contracts(self).await
    }

    async fn vacancy(&self, id: VacancyId) -> Result<hearth_domain::home::Vacancy, StoreError> {
        reference::vacancy(self, id).await
    }

    async fn council_weights(&self, la_code: u16) -> Result<Option<String>, StoreError> {
        reference::council_weights(self, la_code).await
    }

    async fn create_contract(
        &self,
        actor: &Actor,
        c: &hearth_domain::contract::Contract,
        at: Timestamp,
    ) -> Result<hearth_domain::contract::Contract, StoreError> {
        reference::create_contract(self, actor, c, at).await
    }

    async fn framework_lots(
        &self,
    ) -> Result<Vec<(hearth_domain::OrganisationId, hearth_domain::home::HomeKind)>, StoreError> {
        reference::framework_lots(self).await
    }

    async fn set_framework_lots(
        &self,
        actor: &Actor,
        provider: hearth_domain::OrganisationId,
        lots: &[hearth_domain::home::HomeKind],
        at: Timestamp,
    ) -> Result<(), StoreError> {
        reference::set_framework_lots(self, actor, provider, lots, at).await
    }

    async fn contract_versions(&self) -> Result<Vec<hearth_domain::contract::ContractVersion>, StoreError> {
        reference::contract_versions(self).await
    }

    async fn change_contract_terms(
        &self,
        actor: &Actor,
        version: &hearth_domain::contract::ContractVersion,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        reference::change_contract_terms(self, actor, version, at).await
    }

    async fn end_contract(
        &self,
        actor: &Actor,
        id: hearth_domain::ContractId,
        ends: jiff::civil::Date,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        reference::end_contract(self, actor, id, ends, at).await
    }

    async fn set_council_weights(
        &self,
        actor: &Actor,
        la_code: u16,
        weights: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        reference::set_council_weights(self, actor, la_code, weights, at).await
    }

    async fn create_vacancy(
        &self,
        actor: &Actor,
        v: &hearth_domain::home::Vacancy,
        at: Timestamp,
    ) -> Result<hearth_domain::home::Vacancy, StoreError> {
        reference::create_vacancy(self, actor, v, at).await
    }

    async fn update_vacancy(
        &self,
        actor: &Actor,
        v: &hearth_domain::home::Vacancy,
        at: Timestamp,
    ) -> Result<hearth_domain::home::Vacancy, StoreError> {
        reference::update_vacancy(self, actor, v, at).await
    }

    async fn set_vacancy_places(
        &self,
        actor: &Actor,
        id: VacancyId,
        places: u16,
        at: Timestamp,
    ) -> Result<hearth_domain::home::Vacancy, StoreError> {
        reference::set_vacancy_places(self, actor, id, places, at).await
    }

    async fn home_profile(&self, id: HomeId) -> Result<hearth_domain::home_upkeep::HomeProfile, StoreError> {
        homes::home_profile(self, id).await
    }

    async fn urn_holders(&self, urn: &str) -> Result<Vec<(HomeId, OrganisationId)>, StoreError> {
        homes::urn_holders(self, urn).await
    }

    async fn save_home(
        &self,
        actor: &Actor,
        home: &hearth_domain::home::Home,
        profile: &hearth_domain::home_upkeep::HomeProfile,
        at: Timestamp,
    ) -> Result<hearth_domain::home::Home, StoreError> {
        homes::save_home(self, actor, home, profile, at).await
    }

    async fn close_home(
        &self,
        actor: &Actor,
        id: HomeId,
        closure: &hearth_domain::home_upkeep::Closure,
        at: Timestamp,
    ) -> Result<Vec<hearth_domain::home::Vacancy>, StoreError> {
        homes::close_home(self, actor, id, closure, at).await
    }

    async fn apply_upkeep(
        &self,
        actor: &Actor,
        rows: &[(usize, hearth_domain::home::Vacancy)],
        at: Timestamp,
    ) -> Result<Vec<hearth_domain::home::Vacancy>, StoreError> {
        homes::apply_upkeep(self, actor, rows, at).await
    }

    async fn child(
        &self,
        actor: &Actor,
        id: ChildId,
        at: Timestamp,
    ) -> Result<hearth_domain::child::Child, StoreError> {
        records::child(self, actor, id, at).await
    }

    async fn child_unaudited(&self, id: ChildId) -> Result<hearth_domain::child::Child, StoreError> {
        records::child_unaudited(self, id).await
    }

    async fn record_read(
        &self,
        actor: &Actor,
        action: &str,
        record_type: &str,
        record_id: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        audit::record_read(self, actor, action, record_type, record_id, at).await
    }

    async fn record_list_read(
        &self,
        actor: &Actor,
        action: &str,
        record_type: &str,
        detail: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        audit::record_list_read(self, actor, action, record_type, detail, at).await
    }

    async fn children_of(&self, la_code: u16) -> Result<Vec<hearth_domain::child::Child>, StoreError> {
        records::children_of(self, la_code).await
    }

    async fn children_page(
        &self,
        la_code: u16,
        reference_prefix: Option<&str>,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<hearth_domain::child::Child>, u64), StoreError> {
        records::children_page(self, la_code, reference_prefix, offset, limit).await
    }

    async fn placements_of_child(&self, id: ChildId) -> Result<Vec<hearth_domain::placement::Placement>, StoreError> {
        records::placements_of_child(self, id).await
    }

    async fn return_records(
        &self,
        la_code: u16,
        from: jiff::civil::Date,
        to: jiff::civil::Date,
    ) -> Result<crate::ReturnRecords, StoreError> {
        records::return_records(self, la_code, from, to).await
    }

    async fn intel_records(&self) -> Result<crate::IntelRecords, StoreError> {
        records::intel_records(self).await
    }

    async fn audit(&self, query: &crate::AuditQuery) -> Result<Vec<hearth_domain::audit::AuditEntry>, StoreError> {
        audit::audit(self, query).await
    }

    async fn referral(
        &self,
        actor: &Actor,
        id: ReferralId,
        at: Timestamp,
    ) -> Result<hearth_domain::referral::Referral, StoreError> {
        referrals::referral(self, actor, id, at).await
    }

    async fn referral_unaudited(&self, id: ReferralId) -> Result<hearth_domain::referral::Referral, StoreError> {
        referrals::referral_unaudited(self, id).await
    }

    async fn create_referral(
        &self,
        actor: &Actor,
        la_code: u16,
        r: &hearth_domain::referral_form::ParsedReferral,
        at: Timestamp,
    ) -> Result<hearth_domain::referral::Referral, StoreError> {
        referrals::create_referral(self, actor, la_code, r, at).await
    }

    async fn update_referral(
        &self,
        actor: &Actor,
        id: ReferralId,
        r: &hearth_domain::referral_form::ParsedReferral,
        at: Timestamp,
    ) -> Result<hearth_domain::referral::Referral, StoreError> {
        referrals::update_referral(self, actor, id, r, at).await
    }

    async fn referral_details(
        &self,
        id: ReferralId,
    ) -> Result<hearth_domain::referral_form::ReferralDetails, StoreError> {
        referrals::referral_details(self, id).await
    }

    async fn transition_referral(
        &self,
        actor: &Actor,
        id: ReferralId,
        from: hearth_domain::referral::ReferralStatus,
        to: hearth_domain::referral::ReferralStatus,
        at: Timestamp,
    ) -> Result<hearth_domain::referral::Referral, StoreError> {
        referrals::transition_referral(self, actor, id, from, to, at).await
    }

    async fn referral_events(&self, id: ReferralId) -> Result<Vec<crate::ReferralEvent>, StoreError> {
        referrals::referral_events(self, id).await
    }

    async fn referrals_of(
        &self,
        la_code: u16,
        limit: u32,
    ) -> Result<Vec<hearth_domain::referral::Referral>, StoreError> {
        referrals::referrals_of(self, la_code, limit).await
    }

    async fn referral_page(&self, query: &crate::ReferralQuery) -> Result<crate::ReferralPage, StoreError> {
        referrals::referral_page(self, query).await
    }

    async fn referrals_sent_to(
        &self,
        provider: OrganisationId,
        limit: u32,
    ) -> Result<Vec<hearth_domain::referral::Referral>, StoreError> {
        referrals::referrals_sent_to(self, provider, limit).await
    }

    async fn referrals_of_child(
        &self,
        child: ChildId,
    ) -> Result<Vec<(ReferralId, hearth_domain::referral::ReferralStatus)>, StoreError> {
        referrals::referrals_of_child(self, child).await
    }

    async fn recipient(
        &self,
        referral: ReferralId,
        provider: OrganisationId,
    ) -> Result<Option<crate::Recipient>, StoreError> {
        referrals::recipient(self, referral, provider).await
    }

    async fn create_application(
        &self,
        actor: &Actor,
        form: &hearth_domain::onboarding::ParsedApplication,
        from_ip: &str,
        at: Timestamp,
    ) -> Result<crate::ApplicationRecord, StoreError> {
        onboarding::create_application(self, actor, form, from_ip, at).await
    }

    async fn applications(&self) -> Result<Vec<crate::ApplicationRecord>, StoreError> {
        onboarding::applications(self).await
    }

    async fn application(&self, id: i64) -> Result<crate::ApplicationRecord, StoreError> {
        onboarding::application(self, id).await
    }

    async fn application_of(
        &self,
        organisation: OrganisationId,
    ) -> Result<Option<crate::ApplicationRecord>, StoreError> {
        onboarding::application_of(self, organisation).await
    }

    async fn applications_from(&self, ip: &str, limit: u32) -> Result<Vec<Timestamp>, StoreError> {
        onboarding::applications_from(self, ip, limit).await
    }

    async fn approve_application(
        &self,
        actor: &Actor,
        approval: &crate::Approval,
    ) -> Result<crate::Approved, StoreError> {
        onboarding::approve_application(self, actor, approval).await
    }

    async fn refuse_application(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
        email: &crate::NewEmail,
        at: Timestamp,
    ) -> Result<crate::ApplicationRecord, StoreError> {
        onboarding::refuse_application(self, actor, id, reason, email, at).await
    }

    async fn invitation_by_hash(&self, token_hash: &str) -> Result<Option<crate::InvitationRecord>, StoreError> {
        onboarding::invitation_by_hash(self, token_hash).await
    }

    async fn accept_invitation(
        &self,
        actor: &Actor,
        id: i64,
        user: UserId,
        password_hash: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        onboarding::accept_invitation(self, actor, id, user, password_hash, at).await
    }

    async fn reinvite(
        &self,
        actor: &Actor,
        user: UserId,
        application: Option<i64>,
        invitation: &crate::NewInvitation,
        email: &crate::NewEmail,
    ) -> Result<crate::InvitationRecord, StoreError> {
        onboarding::reinvite(self, actor, user, application, invitation, email).await
    }

    async fn account(&self, id: UserId) -> Result<crate::Account, StoreError> {
        accounts::account(self, id).await
    }

    async fn account_by_email(&self, email: &hearth_domain::org::Email) -> Result<Option<crate::Account>, StoreError> {
        accounts::account_by_email(self, email).await
    }

    async fn accounts_of(&self, organisation: OrganisationId) -> Result<Vec<crate::Account>, StoreError> {
        accounts::accounts_of(self, organisation).await
    }

    async fn create_user(
        &self,
        actor: &Actor,
        user: &crate::NewUser,
        at: Timestamp,
    ) -> Result<crate::Account, StoreError> {
        accounts::create_user(self, actor, user, at).await
    }

    async fn update_user(
        &self,
        actor: &Actor,
        id: UserId,
        change: &crate::UserChange,
        at: Timestamp,
    ) -> Result<crate::Account, StoreError> {
        accounts::update_user(self, actor, id, change, at).await
    }

    async fn set_missing_password_hashes(&self, actor: &Actor, hash: &str, at: Timestamp) -> Result<u64, StoreError> {
        accounts::set_missing_password_hashes(self, actor, hash, at).await
    }

    async fn create_session(
        &self,
        actor: &Actor,
        session: &crate::NewSession,
    ) -> Result<crate::SessionRecord, StoreError> {
        accounts::create_session(self, actor, session).await
    }

    async fn session_by_hash(&self, token_hash: &str) -> Result<Option<crate::SessionRecord>, StoreError> {
        accounts::session_by_hash(self, token_hash).await
    }

    async fn sessions_of(&self, user: UserId, now: Timestamp) -> Result<Vec<crate::SessionRecord>, StoreError> {
        accounts::sessions_of(self, user, now).await
    }

    async fn revoke_session(&self, actor: &Actor, user: UserId, session: i64, at: Timestamp) -> Result<(), StoreError> {
        accounts::revoke_session(self, actor, user, session, at).await
    }

    async fn revoke_all_sessions(&self, actor: &Actor, user: UserId, now: Timestamp) -> Result<u64, StoreError> {
        accounts::revoke_all_sessions(self, actor, user, now).await
    }

    async fn create_api_token(
        &self,
        actor: &Actor,
        token: &crate::NewApiToken,
    ) -> Result<crate::ApiTokenRecord, StoreError> {
        accounts::create_api_token(self, actor, token).await
    }

    async fn api_token_by_hash(&self, token_hash: &str) -> Result<Option<crate::ApiTokenRecord>, StoreError> {
        accounts::api_token_by_hash(self, token_hash).await
    }

    async fn api_tokens_of(&self, organisation: OrganisationId) -> Result<Vec<crate::ApiTokenRecord>, StoreError> {
        accounts::api_tokens_of(self, organisation).await
    }

    async fn revoke_api_token(
        &self,
        actor: &Actor,
        organisation: OrganisationId,
        id: i64,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        accounts::revoke_api_token(self, actor, organisation, id, at).await
    }

    async fn record_sign_in(&self, actor: &Actor, attempt: &crate::SignInAttempt) -> Result<(), StoreError> {
        accounts::record_sign_in(self, actor, attempt).await
    }

    async fn failed_sign_ins_since(
        &self,
        email: &str,
        ip: &str,
        since: Timestamp,
    ) -> Result<crate::FailureCounts, StoreError> {
        accounts::failed_sign_ins_since(self, email, ip, since).await
    }

    async fn record_sign_in_throttle(
        &self,
        actor: &Actor,
        email: &str,
        action: &str,
        detail: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        accounts::record_sign_in_throttle(self, actor, email, action, detail, at).await
    }

    async fn clear_sign_in_failures(&self, actor: &Actor, user: UserId, at: Timestamp) -> Result<u64, StoreError> {
        accounts::clear_sign_in_failures(self, actor, user, at).await
    }
}

#[async_trait::async_trait]
impl crate::MarketStore for This {
    async fn open_sending(
        &self,
        actor: &Actor,
        referral: ReferralId,
        sending: &crate::NewSending,
        notify: &crate::Notify,
    ) -> Result<crate::Sending, StoreError> {
        market::open_sending(self, actor, referral, sending, notify).await
    }

    async fn open_sending_of(&self, referral: ReferralId) -> Result<Option<crate::Sending>, StoreError> {
        market::open_sending_of(self, referral).await
    }

    async fn sendings_of(&self, referral: ReferralId) -> Result<Vec<crate::Sending>, StoreError> {
        market::sendings_of(self, referral).await
    }

    async fn open_sendings(&self) -> Result<Vec<crate::OpenSending>, StoreError> {
        market::open_sendings(self).await
    }

    async fn mark_overdue(
        &self,
        actor: &Actor,
        sending: i64,
        at: Timestamp,
        notify: &crate::Notify,
    ) -> Result<bool, StoreError> {
        market::mark_overdue(self, actor, sending, at, notify).await
    }

    async fn mark_unmet(
        &self,
        actor: &Actor,
        referral: ReferralId,
        at: Timestamp,
        notify: &crate::Notify,
    ) -> Result<bool, StoreError> {
        market::mark_unmet(self, actor, referral, at, notify).await
    }

    async fn recipients_of(&self, referral: ReferralId) -> Result<Vec<crate::Recipient>, StoreError> {
        market::recipients_of(self, referral).await
    }

    async fn make_offer(
        &self,
        actor: &Actor,
        referral: ReferralId,
        provider: OrganisationId,
        offer: &hearth_domain::offer::OfferDraft,
        at: Timestamp,
        notify: &crate::Notify,
    ) -> Result<hearth_domain::offer::Offer, StoreError> {
        market::make_offer(self, actor, referral, provider, offer, at, notify).await
    }

    async fn withdraw_offer(
        &self,
        actor: &Actor,
        offer: OfferId,
        provider: OrganisationId,
        at: Timestamp,
        notify: &crate::Notify,
    ) -> Result<hearth_domain::offer::Offer, StoreError> {
        market::withdraw_offer(self, actor, offer, provider, at, notify).await
    }

    async fn decline(
        &self,
        actor: &Actor,
        referral: ReferralId,
        provider: OrganisationId,
        reason: hearth_domain::offer::DeclineReason,
        note: &str,
        at: Timestamp,
        notify: &crate::Notify,
    ) -> Result<hearth_domain::offer::Decline, StoreError> {
        market::decline(self, actor, referral, provider, reason, note, at, notify).await
    }

    async fn offer(&self, id: OfferId) -> Result<hearth_domain::offer::Offer, StoreError> {
        market::offer(self, id).await
    }

    async fn offers_of(&self, referral: ReferralId) -> Result<Vec<hearth_domain::offer::Offer>, StoreError> {
        market::offers_of(self, referral).await
    }

    async fn declines_of(&self, referral: ReferralId) -> Result<Vec<hearth_domain::offer::Decline>, StoreError> {
        market::declines_of(self, referral).await
    }

    async fn accept_offer(
        &self,
        actor: &Actor,
        acceptance: &crate::Acceptance,
        notify: &crate::Notify,
    ) -> Result<Vec<hearth_domain::placement::Placement>, StoreError> {
        market::accept_offer(self, actor, acceptance, notify).await
    }

    async fn create_agreement(
        &self,
        actor: &Actor,
        referral: ReferralId,
        offer: OfferId,
        text: &str,
        at: Timestamp,
    ) -> Result<hearth_domain::agreement::Agreement, StoreError> {
        market::create_agreement(self, actor, referral, offer, text, at).await
    }

    async fn agreement(&self, id: i64) -> Result<hearth_domain::agreement::Agreement, StoreError> {
        market::agreement(self, id).await
    }

    async fn agreements_of(
        &self,
        referral: ReferralId,
    ) -> Result<Vec<hearth_domain::agreement::Agreement>, StoreError> {
        market::agreements_of(self, referral).await
    }

    async fn sign_agreement(
        &self,
        actor: &Actor,
        agreement: i64,
        signature: &hearth_domain::agreement::Signature,
        notify: &crate::Notify,
    ) -> Result<hearth_domain::agreement::Agreement, StoreError> {
        market::sign_agreement(self, actor, agreement, signature, notify).await
    }

    async fn placement(&self, id: PlacementId) -> Result<hearth_domain::placement::Placement, StoreError> {
        market::placement(self, id).await
    }

    async fn placements_with(
        &self,
        provider: OrganisationId,
        limit: u32,
    ) -> Result<Vec<hearth_domain::placement::Placement>, StoreError> {
        market::placements_with(self, provider, limit).await
    }

    async fn placement_page(&self, query: &crate::PlacementQuery) -> Result<crate::PlacementPage, StoreError> {
        market::placement_page(self, query).await
    }

    async fn offer_page(&self, query: &crate::OfferQuery) -> Result<crate::OfferPage, StoreError> {
        market::offer_page(self, query).await
    }

    async fn placements_of_council(
        &self,
        la_code: u16,
        limit: u32,
    ) -> Result<Vec<hearth_domain::placement::Placement>, StoreError> {
        market::placements_of_council(self, la_code, limit).await
    }

    async fn end_placement(
        &self,
        actor: &Actor,
        id: PlacementId,
        ending: &hearth_domain::placement::Ending,
        at: Timestamp,
        notify: &crate::Notify,
    ) -> Result<hearth_domain::placement::Placement, StoreError> {
        market::end_placement(self, actor, id, ending, at, notify).await
    }

    async fn move_placement(
        &self,
        actor: &Actor,
        mv: &crate::Move,
        at: Timestamp,
        notify: &crate::Notify,
    ) -> Result<hearth_domain::placement::Placement, StoreError> {
        market::move_placement(self, actor, mv, at, notify).await
    }

    async fn claim_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<crate::OutboxEmail>, StoreError> {
        market::claim_outbox(self, now, lease_until, limit).await
    }

    async fn outbox_sent(&self, id: i64, at: Timestamp) -> Result<(), StoreError> {
        market::outbox_sent(self, id, at).await
    }

    async fn outbox_failed(
        &self,
        id: i64,
        error: &str,
        at: Timestamp,
        retry_at: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        market::outbox_failed(self, id, error, at, retry_at).await
    }

    async fn outbox(&self, referral: Option<ReferralId>) -> Result<Vec<crate::OutboxEmail>, StoreError> {
        market::outbox(self, referral).await
    }

    async fn notices_for(
        &self,
        organisation: OrganisationId,
        user: UserId,
        limit: u32,
    ) -> Result<Vec<crate::Notice>, StoreError> {
        market::notices_for(self, organisation, user, limit).await
    }

    async fn mark_notices_read(&self, user: UserId, notices: &[i64], at: Timestamp) -> Result<(), StoreError> {
        market::mark_notices_read(self, user, notices, at).await
    }

    async fn idempotency_start(
        &self,
        owner: &str,
        key: &str,
        fingerprint: &str,
        now: Timestamp,
    ) -> Result<crate::IdempotencyStart, StoreError> {
        market::idempotency_start(self, owner, key, fingerprint, now).await
    }

    async fn idempotency_finish(&self, owner: &str, key: &str, status: u16, body: &str) -> Result<(), StoreError> {
        market::idempotency_finish(self, owner, key, status, body).await
    }

    async fn idempotency_abandon(&self, owner: &str, key: &str) -> Result<(), StoreError> {
        market::idempotency_abandon(self, owner, key).await
    }
}

#[async_trait::async_trait]
impl crate::OpsStore for This {
    async fn check_integrity(&self) -> Result<(), StoreError> {
        ops::check_integrity(self).await
    }

    async fn prune(
        &self,
        actor: &Actor,
        before: &crate::ops::PruneBefore,
        at: Timestamp,
    ) -> Result<crate::ops::Pruned, StoreError> {
        ops::prune(self, actor, before, at).await
    }

    async fn backup_to(&self, path: &std::path::Path) -> Result<(), StoreError> {
        ops::backup_to(self, path).await
    }
}
