//! The marketplace's rows as both backends return them, and their conversion into domain values (the
//! same rules as `rows.rs`: types both databases decode alike, every value parsed back through the
//! domain, an unreadable value named by its column and never shown).

use crate::convert::{date_from_sql, timestamp_from_sql};
use crate::rows::{narrow, parse, parse_opt, price};
use crate::{Notice, OpenSending, OutboxEmail, Sending, StoreError};
use hearth_domain::agreement::{Agreement, Party, Signature};
use hearth_domain::offer::{Decline, DeclineReason, Offer, OfferStatus, OfferTerms};
use hearth_domain::referral::{ReferralStatus, Urgency};
use hearth_domain::{HomeId, OfferId, OrganisationId, ReferralId, UserId, VacancyId};
use std::collections::HashMap;

fn timestamp_opt(t: Option<time::OffsetDateTime>, column: &'static str) -> Result<Option<jiff::Timestamp>, StoreError> {
    t.map(|t| timestamp_from_sql(t, column)).transpose()
}

/// A COUNT(*), which is never negative.
fn count(v: i64) -> usize {
    usize::try_from(v).unwrap_or_default()
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SendingRow {
    id: i64,
    referral_id: i64,
    mode: String,
    step: Option<String>,
    opened_at: time::OffsetDateTime,
    due_at: time::OffsetDateTime,
    sent_by: Option<i64>,
    overdue_told: bool,
    closed_at: Option<time::OffsetDateTime>,
}

impl TryFrom<SendingRow> for Sending {
    type Error = StoreError;
    fn try_from(r: SendingRow) -> Result<Self, StoreError> {
        Ok(Sending {
            id: r.id,
            referral: ReferralId(r.referral_id),
            mode: parse("referral_sendings.mode", &r.mode, hearth_domain::dispatch::SendMode::parse)?,
            step: parse_opt("referral_sendings.step", r.step, hearth_domain::contract::ContractTier::parse)?,
            opened_at: timestamp_from_sql(r.opened_at, "referral_sendings.opened_at")?,
            due_at: timestamp_from_sql(r.due_at, "referral_sendings.due_at")?,
            sent_by: r.sent_by.map(UserId),
            overdue_told: r.overdue_told,
            closed_at: timestamp_opt(r.closed_at, "referral_sendings.closed_at")?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OpenSendingRow {
    #[sqlx(flatten)]
    sending: SendingRow,
    la_code: i32,
    urgency: String,
    status: String,
    live_offers: i64,
    unanswered: i64,
}

impl TryFrom<OpenSendingRow> for OpenSending {
    type Error = StoreError;
    fn try_from(r: OpenSendingRow) -> Result<Self, StoreError> {
        Ok(OpenSending {
            sending: r.sending.try_into()?,
            la_code: narrow("referrals.la_code", r.la_code)?,
            urgency: parse("referrals.urgency", &r.urgency, Urgency::parse)?,
            status: parse("referrals.status", &r.status, ReferralStatus::parse)?,
            live_offers: count(r.live_offers),
            unanswered: count(r.unanswered),
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OfferRow {
    id: i64,
    referral_id: i64,
    provider_id: i64,
    home_id: i64,
    weekly_price: i32,
    start_date: time::Date,
    status: String,
    made_at: time::OffsetDateTime,
    vacancy_id: Option<i64>,
    includes: String,
    notes: String,
}

impl TryFrom<OfferRow> for Offer {
    type Error = StoreError;
    fn try_from(r: OfferRow) -> Result<Self, StoreError> {
        Ok(Offer {
            id: OfferId(r.id),
            referral: ReferralId(r.referral_id),
            provider: OrganisationId(r.provider_id),
            home: HomeId(r.home_id),
            weekly_price: price("offers.weekly_price", r.weekly_price)?,
            start: date_from_sql(r.start_date, "offers.start_date")?,
            status: parse("offers.status", &r.status, OfferStatus::parse)?,
            made_at: timestamp_from_sql(r.made_at, "offers.made_at")?,
            terms: OfferTerms { vacancy: r.vacancy_id.map(VacancyId), includes: r.includes, notes: r.notes },
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct DeclineRow {
    referral_id: i64,
    provider_id: i64,
    reason: String,
    declined_at: time::OffsetDateTime,
    note: String,
}

impl TryFrom<DeclineRow> for Decline {
    type Error = StoreError;
    fn try_from(r: DeclineRow) -> Result<Self, StoreError> {
        Ok(Decline {
            referral: ReferralId(r.referral_id),
            provider: OrganisationId(r.provider_id),
            reason: parse("declines.reason", &r.reason, DeclineReason::parse)?,
            declined_at: timestamp_from_sql(r.declined_at, "declines.declined_at")?,
            note: r.note,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AgreementRow {
    id: i64,
    referral_id: i64,
    offer_id: i64,
    version: i32,
    text: String,
    text_hash: String,
    created_at: time::OffsetDateTime,
    superseded: bool,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SignatureRow {
    agreement_id: i64,
    party: String,
    user_id: i64,
    organisation_id: i64,
    name: String,
    at: time::OffsetDateTime,
    text_hash: String,
}

/// Agreements with their signatures, which live in their own table (rows in signing order).
pub(crate) fn agreements_with_signatures(
    agreements: Vec<AgreementRow>,
    signatures: Vec<SignatureRow>,
) -> Result<Vec<Agreement>, StoreError> {
    let mut signed: HashMap<i64, Vec<Signature>> = HashMap::new();
    for s in signatures {
        signed.entry(s.agreement_id).or_default().push(Signature {
            party: parse("agreement_signatures.party", &s.party, Party::parse)?,
            user: UserId(s.user_id),
            organisation: OrganisationId(s.organisation_id),
            name: s.name,
            at: timestamp_from_sql(s.at, "agreement_signatures.at")?,
            text_hash: s.text_hash,
        });
    }
    agreements
        .into_iter()
        .map(|a| {
            Ok(Agreement {
                id: a.id,
                referral: ReferralId(a.referral_id),
                offer: OfferId(a.offer_id),
                version: narrow("agreements.version", a.version)?,
                text: a.text,
                text_hash: a.text_hash,
                created_at: timestamp_from_sql(a.created_at, "agreements.created_at")?,
                signatures: signed.remove(&a.id).unwrap_or_default(),
                superseded: a.superseded,
            })
        })
        .collect()
}

/// The facts `sign_agreement` checks, read with the agreement's row locked.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SigningRow {
    pub referral_id: i64,
    pub offer_id: i64,
    pub version: i32,
    pub text_hash: String,
    pub superseded: bool,
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OutboxRow {
    id: i64,
    recipient: String,
    subject: String,
    body: String,
    referral_id: Option<i64>,
    created_at: time::OffsetDateTime,
    attempts: i32,
    sent_at: Option<time::OffsetDateTime>,
    failed_at: Option<time::OffsetDateTime>,
    last_error: Option<String>,
}

impl TryFrom<OutboxRow> for OutboxEmail {
    type Error = StoreError;
    fn try_from(r: OutboxRow) -> Result<Self, StoreError> {
        Ok(OutboxEmail {
            id: r.id,
            to: r.recipient,
            subject: r.subject,
            body: r.body,
            referral: r.referral_id.map(ReferralId),
            created_at: timestamp_from_sql(r.created_at, "outbox.created_at")?,
            attempts: narrow("outbox.attempts", r.attempts)?,
            sent_at: timestamp_opt(r.sent_at, "outbox.sent_at")?,
            failed_at: timestamp_opt(r.failed_at, "outbox.failed_at")?,
            last_error: r.last_error,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct NoticeRow {
    id: i64,
    organisation_id: i64,
    user_id: Option<i64>,
    referral_id: Option<i64>,
    text: String,
    created_at: time::OffsetDateTime,
    read_at: Option<time::OffsetDateTime>,
}

impl TryFrom<NoticeRow> for Notice {
    type Error = StoreError;
    fn try_from(r: NoticeRow) -> Result<Self, StoreError> {
        Ok(Notice {
            id: r.id,
            organisation: OrganisationId(r.organisation_id),
            user: r.user_id.map(UserId),
            referral: r.referral_id.map(ReferralId),
            text: r.text,
            created_at: timestamp_from_sql(r.created_at, "notices.created_at")?,
            read: r.read_at.is_some(),
        })
    }
}

/// A stored idempotency key: what the first request was, and its answer once it has one.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct IdempotencyRow {
    fingerprint: String,
    status: Option<i32>,
    body: Option<String>,
}

impl IdempotencyRow {
    /// What a request carrying `fingerprint` should do about this key.
    pub(crate) fn start(self, fingerprint: &str) -> Result<crate::IdempotencyStart, StoreError> {
        use crate::IdempotencyStart;
        if self.fingerprint != fingerprint {
            return Ok(IdempotencyStart::Mismatch);
        }
        Ok(match self.status {
            None => IdempotencyStart::InProgress,
            Some(status) => IdempotencyStart::Replay {
                status: narrow("idempotency_keys.status", status)?,
                body: self.body.unwrap_or_default(),
            },
        })
    }
}
