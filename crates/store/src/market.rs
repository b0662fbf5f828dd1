//! The marketplace's storage: sendings, offers, declines, acceptance, agreements, placements' endings,
//! the outbox, notices and idempotency keys. Each write is one transaction with its audit row and
//! the notifications it causes, so a crash loses neither the change nor the news of it.
//!
//! The service layer decides what is allowed and prepares every row (who is told, what the
//! placements are); the store makes each change atomic and re-checks, inside the transaction, the
//! facts another request could have changed since (a referral still open, an offer still live, a place
//! still free), answering [`StoreError::Conflict`] with a sentence when one has.

use crate::StoreError;
use async_trait::async_trait;
use hearth_domain::agreement::{Agreement, Signature};
use hearth_domain::audit::Actor;
use hearth_domain::contract::ContractTier;
use hearth_domain::dispatch::SendMode;
use hearth_domain::offer::{Decline, DeclineReason, Offer, OfferDraft};
use hearth_domain::placement::{Ending, Placement};
use hearth_domain::referral::{ReferralStatus, Urgency};
use hearth_domain::{OfferId, OrganisationId, PlacementId, ReferralId, UserId};
use jiff::Timestamp;

/// A home as a list's filter names it: by its number, or by part of its name (any case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HomeMatch {
    Id(hearth_domain::HomeId),
    Name(String),
}

/// Whose placements a list shows: a council's own children's, or those in a provider's homes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlacementScope {
    Council(u16),
    InHomesOf(OrganisationId),
}

/// One page of a placement list, filtered, counted and ordered by the database. Empty fields match
/// everything.
#[derive(Debug, Clone)]
pub struct PlacementQuery {
    pub scope: PlacementScope,
    pub status: Option<hearth_domain::placement::PlacementListStatus>,
    pub home: Option<HomeMatch>,
    /// A child's reference, exactly but for case (a council's scope only).
    pub child_reference: Option<String>,
    /// Started on or after this day.
    pub started_from: Option<jiff::civil::Date>,
    /// Started on or before this day.
    pub started_to: Option<jiff::civil::Date>,
    /// A placement's number, or (a council's scope only) a child's reference.
    pub search: Option<String>,
    /// Placements whose agreement is not yet signed first, then the current ones, then the ended,
    /// each newest first; otherwise newest first.
    pub action_first: bool,
    pub offset: u32,
    /// 0: count only.
    pub limit: u32,
}

/// One placement as a list shows it, with the names it is read by.
#[derive(Debug, Clone)]
pub struct PlacementListItem {
    pub placement: Placement,
    pub child_reference: String,
    pub home_name: Option<String>,
    pub provider_name: Option<String>,
    /// Current, and its agreement's latest version lacks a signature.
    pub to_sign: bool,
}

#[derive(Debug, Clone, Default)]
pub struct PlacementPage {
    pub total: u64,
    pub rows: Vec<PlacementListItem>,
}

/// One page of a provider's offers, filtered, counted and ordered by the database: offers still
/// waiting for the council's answer first (the nearest deadline first), then the rest, newest first.
#[derive(Debug, Clone)]
pub struct OfferQuery {
    pub provider: OrganisationId,
    pub status: Option<hearth_domain::offer::OfferStatus>,
    pub home: Option<HomeMatch>,
    /// The referral's urgency.
    pub urgency: Option<Urgency>,
    /// The offer's start on or after this day.
    pub start_from: Option<jiff::civil::Date>,
    /// The offer's start on or before this day.
    pub start_to: Option<jiff::civil::Date>,
    pub referral: Option<ReferralId>,
    pub offset: u32,
    /// 0: count only.
    pub limit: u32,
}

/// One offer as a provider's list shows it.
#[derive(Debug, Clone)]
pub struct OfferListItem {
    pub offer: Offer,
    pub home_name: String,
    pub la_code: u16,
    pub urgency: Urgency,
    pub referral_status: ReferralStatus,
    /// The referral's open sending's deadline, if it is out with providers now.
    pub deadline: Option<Timestamp>,
}

#[derive(Debug, Clone, Default)]
pub struct OfferPage {
    pub total: u64,
    pub rows: Vec<OfferListItem>,
}

/// An e-mail to queue in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEmail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// An in-app notice: to everyone in `organisation`, or only to `user`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotice {
    pub organisation: OrganisationId,
    pub user: Option<UserId>,
    pub text: String,
}

/// What a change tells people, written in the change's own transaction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notify {
    pub emails: Vec<NewEmail>,
    pub notices: Vec<NewNotice>,
}

/// One sending of a referral: an officer's send, or one step of a cascade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sending {
    pub id: i64,
    pub referral: ReferralId,
    pub mode: SendMode,
    pub step: Option<ContractTier>,
    pub opened_at: Timestamp,
    pub due_at: Timestamp,
    /// `None` when the escalation job opened it.
    pub sent_by: Option<UserId>,
    pub overdue_told: bool,
    pub closed_at: Option<Timestamp>,
}

/// A sending to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSending {
    pub mode: SendMode,
    pub step: Option<ContractTier>,
    pub opened_at: Timestamp,
    pub due_at: Timestamp,
    pub providers: Vec<OrganisationId>,
}

/// An open sending with what the escalation job needs to decide on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenSending {
    pub sending: Sending,
    pub la_code: u16,
    pub urgency: Urgency,
    pub status: ReferralStatus,
    /// Offers on the referral that are still `made`.
    pub live_offers: usize,
    /// Providers this sending reached that have neither offered nor declined since.
    pub unanswered: usize,
}

/// What accepting an offer writes, besides the offer and the referral's status.
#[derive(Debug, Clone, PartialEq)]
pub struct Acceptance {
    pub offer: OfferId,
    pub at: Timestamp,
    /// One per child, ids ignored. A placement whose `previous` is set ends that placement on the
    /// new one's start day as a move: X1, with `move_reason` and `move_planned` on the old one (the
    /// new placements carry no reason of change: that belongs to the episode that ceases).
    pub placements: Vec<Placement>,
    pub move_reason: hearth_domain::ReasonPlaceChange,
    pub move_planned: bool,
    /// Places to take from the offer's vacancy (the number of children).
    pub places: u16,
    /// The text of the Individual Placement Agreement's first version, written in the same
    /// transaction (audited `agreement.create`), so a placement never exists without its agreement.
    pub agreement: Option<String>,
}

/// A move to a new home: the old placement's ending and the new placement (its `previous` is the old).
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub from: PlacementId,
    pub ending: Ending,
    pub to: Placement,
    /// A vacancy to take one place from, when the new home keeps vacancies in Hearth.
    pub vacancy: Option<hearth_domain::VacancyId>,
}

/// One e-mail waiting in (or delivered from) the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEmail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub referral: Option<ReferralId>,
    pub created_at: Timestamp,
    pub attempts: u32,
    pub sent_at: Option<Timestamp>,
    pub failed_at: Option<Timestamp>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: i64,
    pub organisation: OrganisationId,
    pub user: Option<UserId>,
    pub referral: Option<ReferralId>,
    pub text: String,
    pub created_at: Timestamp,
    /// Whether the person it was read for has opened it on the notices page.
    pub read: bool,
}

/// The first request with an idempotency key starts it; a retry finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyStart {
    /// The key is new: go ahead, then [`MarketStore::idempotency_finish`].
    Started,
    /// The key was used for the same request, which finished with this answer: send it again.
    Replay { status: u16, body: String },
    /// The key was used for the same request, which has not finished yet.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

#[async_trait]
pub trait MarketStore: Send + Sync {
    // --- Sending ---

    /// Opens a sending: closes the referral's open sending (if any), records the new one, adds each
    /// provider not yet a recipient (one already sent the referral keeps its first `sent_at`), and
    /// writes `notify`; audited `referral.send`, naming the mode, step and providers. The referral
    /// must be open or have offers ([`StoreError::Conflict`] otherwise).
    async fn open_sending(
        &self,
        actor: &Actor,
        referral: ReferralId,
        sending: &NewSending,
        notify: &Notify,
    ) -> Result<Sending, StoreError>;
    /// The referral's open sending.
    async fn open_sending_of(&self, referral: ReferralId) -> Result<Option<Sending>, StoreError>;
    /// Every sending of a referral, oldest first.
    async fn sendings_of(&self, referral: ReferralId) -> Result<Vec<Sending>, StoreError>;
    /// Every open sending of a referral that is open or has offers, with its counts.
    async fn open_sendings(&self) -> Result<Vec<OpenSending>, StoreError>;
    /// Marks an open sending's deadline as told (so the job tells once), with `notify`; audited
    /// `referral.overdue`. A sending already told or closed is left alone (`Ok(false)`).
    async fn mark_overdue(
        &self,
        actor: &Actor,
        sending: i64,
        at: Timestamp,
        notify: &Notify,
    ) -> Result<bool, StoreError>;
    /// Closes the referral's open sending, moves the referral (open or with offers) to unmet, lapses
    /// nothing (there are no live offers) and writes `notify`; audited `referral.unmet`. A referral
    /// that has moved on in the meantime is left alone (`Ok(false)`).
    async fn mark_unmet(
        &self,
        actor: &Actor,
        referral: ReferralId,
        at: Timestamp,
        notify: &Notify,
    ) -> Result<bool, StoreError>;
    /// The providers a referral was sent to, in the order they were sent.
    async fn recipients_of(&self, referral: ReferralId) -> Result<Vec<crate::Recipient>, StoreError>;

    // --- Answers ---

    /// Records an offer from `provider` (a recipient) and, if the referral was open, moves it to
    /// offers; audited `offer.create`. A referral no longer open or with offers, a second live
    /// offer of the same home, or a provider that was not sent the referral is a
    /// [`StoreError::Conflict`].
    async fn make_offer(
        &self,
        actor: &Actor,
        referral: ReferralId,
        provider: OrganisationId,
        offer: &OfferDraft,
        at: Timestamp,
        notify: &Notify,
    ) -> Result<Offer, StoreError>;
    /// Withdraws a live offer of `provider`'s; when no live offer is left the referral goes back to
    /// open. Audited `offer.withdraw`. Not live any more: [`StoreError::Conflict`].
    async fn withdraw_offer(
        &self,
        actor: &Actor,
        offer: OfferId,
        provider: OrganisationId,
        at: Timestamp,
        notify: &Notify,
    ) -> Result<Offer, StoreError>;
    /// Records a decline; audited `referral.decline`. The referral must be open or have offers.
    #[allow(clippy::too_many_arguments)]
    async fn decline(
        &self,
        actor: &Actor,
        referral: ReferralId,
        provider: OrganisationId,
        reason: DeclineReason,
        note: &str,
        at: Timestamp,
        notify: &Notify,
    ) -> Result<Decline, StoreError>;
    async fn offer(&self, id: OfferId) -> Result<Offer, StoreError>;
    /// A referral's offers, oldest first.
    async fn offers_of(&self, referral: ReferralId) -> Result<Vec<Offer>, StoreError>;
    /// A referral's declines, oldest first.
    async fn declines_of(&self, referral: ReferralId) -> Result<Vec<Decline>, StoreError>;

    /// Accepts a live offer, atomically: the offer becomes accepted, the referral placed, every other
    /// live offer not chosen, the vacancy loses `places` (never below zero), the placements are
    /// written (ending any placement they follow), and `notify` is queued; audited `offer.accept`.
    /// Whatever another request changed first (the referral placed or withdrawn, the offer withdrawn,
    /// the last place taken) is a [`StoreError::Conflict`] naming it, and nothing is written.
    async fn accept_offer(
        &self,
        actor: &Actor,
        acceptance: &Acceptance,
        notify: &Notify,
    ) -> Result<Vec<Placement>, StoreError>;

    // --- Agreements ---

    /// Adds a new version of an offer's agreement (marking earlier versions superseded); audited
    /// `agreement.create`. Versions count from 1.
    async fn create_agreement(
        &self,
        actor: &Actor,
        referral: ReferralId,
        offer: OfferId,
        text: &str,
        at: Timestamp,
    ) -> Result<Agreement, StoreError>;
    async fn agreement(&self, id: i64) -> Result<Agreement, StoreError>;
    /// A referral's agreements, every version, oldest first.
    async fn agreements_of(&self, referral: ReferralId) -> Result<Vec<Agreement>, StoreError>;
    /// Adds a signature to a version that is not superseded and not yet signed by that party;
    /// audited `agreement.sign`. Otherwise [`StoreError::Conflict`].
    async fn sign_agreement(
        &self,
        actor: &Actor,
        agreement: i64,
        signature: &Signature,
        notify: &Notify,
    ) -> Result<Agreement, StoreError>;

    // --- Placements ---

    async fn placement(&self, id: PlacementId) -> Result<Placement, StoreError>;
    /// Placements in a provider's homes, newest first, at most `limit` (0: all).
    async fn placements_with(&self, provider: OrganisationId, limit: u32) -> Result<Vec<Placement>, StoreError>;
    /// A council's placements, newest first, at most `limit` (0: all).
    async fn placements_of_council(&self, la_code: u16, limit: u32) -> Result<Vec<Placement>, StoreError>;
    /// One page of a placement list with its total, filtered and ordered by the database.
    async fn placement_page(&self, query: &PlacementQuery) -> Result<PlacementPage, StoreError>;
    /// One page of a provider's offers with its total, filtered and ordered by the database.
    async fn offer_page(&self, query: &OfferQuery) -> Result<OfferPage, StoreError>;
    /// Ends an open placement (the child leaves care); audited `placement.end`. Already ended:
    /// [`StoreError::Conflict`].
    async fn end_placement(
        &self,
        actor: &Actor,
        id: PlacementId,
        ending: &Ending,
        at: Timestamp,
        notify: &Notify,
    ) -> Result<Placement, StoreError>;
    /// Ends an open placement as a move and starts the new one linked to it, taking a place from the
    /// vacancy if one is named; audited `placement.move`.
    async fn move_placement(
        &self,
        actor: &Actor,
        mv: &Move,
        at: Timestamp,
        notify: &Notify,
    ) -> Result<Placement, StoreError>;

    // --- Outbox and notices ---

    /// Claims up to `limit` e-mails due at `now` for delivery: each claimed one's next attempt moves
    /// to `lease_until`, so another worker does not send it too, and its attempts go up by one.
    async fn claim_outbox(
        &self,
        now: Timestamp,
        lease_until: Timestamp,
        limit: u32,
    ) -> Result<Vec<OutboxEmail>, StoreError>;
    async fn outbox_sent(&self, id: i64, at: Timestamp) -> Result<(), StoreError>;
    /// A failed attempt: try again at `retry_at`, or give up when it is `None`.
    async fn outbox_failed(
        &self,
        id: i64,
        error: &str,
        at: Timestamp,
        retry_at: Option<Timestamp>,
    ) -> Result<(), StoreError>;
    /// E-mails about a referral (or every one when `None`), oldest first.
    async fn outbox(&self, referral: Option<ReferralId>) -> Result<Vec<OutboxEmail>, StoreError>;
    /// Notices for a user: their organisation's and their own, newest first, at most `limit`.
    async fn notices_for(
        &self,
        organisation: OrganisationId,
        user: UserId,
        limit: u32,
    ) -> Result<Vec<Notice>, StoreError>;
    /// Marks notices (ids from [`MarketStore::notices_for`] for the same person) read by `user` at
    /// `at`; one already read keeps its first time.
    async fn mark_notices_read(&self, user: UserId, notices: &[i64], at: Timestamp) -> Result<(), StoreError>;

    // --- Idempotency ---

    async fn idempotency_start(
        &self,
        owner: &str,
        key: &str,
        fingerprint: &str,
        now: Timestamp,
    ) -> Result<IdempotencyStart, StoreError>;
    async fn idempotency_finish(&self, owner: &str, key: &str, status: u16, body: &str) -> Result<(), StoreError>;
    /// Forgets a started key whose request failed without an answer worth replaying.
    async fn idempotency_abandon(&self, owner: &str, key: &str) -> Result<(), StoreError>;
}
