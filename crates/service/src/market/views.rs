//! What the marketplace's answers look like to the API and the pages.

use crate::matching::MatchView;
use hearth_domain::agreement::Agreement;
use hearth_domain::contract::ContractTier;
use hearth_domain::dispatch::SendMode;
use hearth_domain::offer::{Decline, Offer, OfferStatus};
use hearth_domain::referral::ReferralStatus;
use hearth_store::{Notice, Sending};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How an officer sends a referral.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendRequest {
    /// `chosen` (to `providers`), `all_fitting` (every provider with a fitting home) or `cascade`
    /// (in-house, block, framework, spot, one step at a time).
    pub mode: String,
    /// For `chosen`: provider organisation ids, each with at least one fitting home.
    #[serde(default)]
    pub providers: Vec<i64>,
}

/// One provider a sending reached.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecipientView {
    pub provider: i64,
    pub name: String,
    #[schema(value_type = String, format = DateTime)]
    pub sent_at: Timestamp,
}

/// A sending: the officer's, or one cascade step.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SendingView {
    pub id: i64,
    pub referral: i64,
    #[schema(value_type = String)]
    pub mode: SendMode,
    /// The cascade tier now asked (`in_house`, `block`, `framework`, `spot`); absent outside a cascade.
    #[schema(value_type = Option<String>)]
    pub step: Option<ContractTier>,
    #[schema(value_type = String, format = DateTime)]
    pub opened_at: Timestamp,
    /// When answers are due (Europe/London working days for planned referrals).
    #[schema(value_type = String, format = DateTime)]
    pub due_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<Timestamp>,
    /// Sent by Hearth's escalation job rather than a person.
    pub automatic: bool,
    /// The providers this sending reached (not those an earlier sending already had).
    pub recipients: Vec<RecipientView>,
}

impl From<&Sending> for SendingView {
    /// Without its recipients: see `Services::sending_views`.
    fn from(s: &Sending) -> Self {
        Self {
            id: s.id,
            referral: s.referral.0,
            mode: s.mode,
            step: s.step,
            opened_at: s.opened_at,
            due_at: s.due_at,
            closed_at: s.closed_at,
            automatic: s.sent_by.is_none(),
            recipients: Vec::new(),
        }
    }
}

/// An offer as the officer compares it (and as its provider sees it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfferView {
    pub id: i64,
    pub referral: i64,
    pub provider: i64,
    pub provider_name: String,
    pub home: i64,
    pub home_name: String,
    pub vacancy: Option<i64>,
    pub weekly_price: u32,
    #[schema(value_type = String, format = Date)]
    pub start: Date,
    /// `made`, `withdrawn`, `accepted`, `not_chosen` or `lapsed`.
    #[schema(value_type = String)]
    pub status: OfferStatus,
    pub status_label: String,
    #[schema(value_type = String, format = DateTime)]
    pub made_at: Timestamp,
    pub includes: String,
    pub notes: String,
    /// The council's contract price with this provider, when it has one.
    pub contract_price: Option<u32>,
    /// The tier the council's contracts put this provider in.
    #[schema(value_type = String)]
    pub tier: ContractTier,
    /// The median asking price of the region's homes of this kind.
    pub regional_median: Option<u32>,
    /// How the matching engine ranks this home for the referral now (absent when the home no longer
    /// passes the hard rules, e.g. its place was taken). Only the referral's council sees it.
    #[serde(rename = "match")]
    pub ranking: Option<MatchView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeclineView {
    pub referral: i64,
    pub provider: i64,
    pub provider_name: String,
    pub reason: String,
    pub reason_label: String,
    pub note: String,
    #[schema(value_type = String, format = DateTime)]
    pub declined_at: Timestamp,
}

impl DeclineView {
    pub(crate) fn of(d: &Decline, provider_name: String) -> Self {
        Self {
            referral: d.referral.0,
            provider: d.provider.0,
            provider_name,
            reason: d.reason.code().to_owned(),
            reason_label: d.reason.label().to_owned(),
            note: d.note.clone(),
            declined_at: d.declined_at,
        }
    }
}

/// Everything answered on a referral, side by side: for the council, every offer and decline; for a
/// provider, its own.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnswersView {
    pub referral: i64,
    #[schema(value_type = String)]
    pub status: ReferralStatus,
    /// The sending now open, with its deadline.
    pub sending: Option<SendingView>,
    pub offers: Vec<OfferView>,
    pub declines: Vec<DeclineView>,
}

/// Which of a provider's homes it could offer on a referral: the fitting ones best first, with the
/// council's ranking and reasons, and the others with why they cannot meet it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HomeChoices {
    pub referral: i64,
    /// The provider's homes that pass every hard rule, in the order the council's matching ranks them.
    pub fitting: Vec<MatchView>,
    /// How many homes in the region pass every hard rule: what each fitting home's `rank` is out of.
    pub considered: usize,
    /// The provider's other homes, by name, each with the first hard rule it fails.
    pub unfit: Vec<crate::matching::UnfitHome>,
}

/// What an offer form starts with: the home's profile for this referral.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfferFormView {
    pub referral: i64,
    pub home: i64,
    pub home_name: String,
    pub vacancy: Option<i64>,
    pub weekly_price: u32,
    #[schema(value_type = String, format = Date)]
    pub start: Date,
    /// When answers are due, if a deadline applies to this provider.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub due_at: Option<Timestamp>,
}

/// How the officer records an acceptance when a child is moving from a placement they are in now.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInput {
    /// SSDA903 REASON_PLACE_CHANGE for the placement the child leaves (default `CARPL`, the care plan).
    pub reason_change: Option<String>,
    /// Whether leaving that placement was planned (default yes).
    pub planned: Option<bool>,
}

/// What accepting made.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AcceptedView {
    pub offer: i64,
    pub referral: i64,
    pub placements: Vec<crate::views::PlacementView>,
    /// The Individual Placement Agreement's first version, to be signed by both parties.
    pub agreement: Option<AgreementView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SignatureView {
    pub party: String,
    pub user: i64,
    pub organisation: i64,
    pub name: String,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub text_hash: String,
}

/// One version of an Individual Placement Agreement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgreementView {
    pub id: i64,
    pub referral: i64,
    pub offer: i64,
    pub version: u32,
    pub text: String,
    /// SHA-256 of `text`: send it back when signing, to show which words you signed.
    pub text_hash: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    pub signatures: Vec<SignatureView>,
    /// Both parties have signed: this version can no longer change.
    pub locked: bool,
    pub superseded: bool,
}

impl From<Agreement> for AgreementView {
    fn from(a: Agreement) -> Self {
        let locked = a.is_locked();
        Self {
            id: a.id,
            referral: a.referral.0,
            offer: a.offer.0,
            version: a.version,
            text: a.text,
            text_hash: a.text_hash,
            created_at: a.created_at,
            signatures: a
                .signatures
                .into_iter()
                .map(|s| SignatureView {
                    party: s.party.code().to_owned(),
                    user: s.user.0,
                    organisation: s.organisation.0,
                    name: s.name,
                    at: s.at,
                    text_hash: s.text_hash,
                })
                .collect(),
            locked,
            superseded: a.superseded,
        }
    }
}

/// A signature as sent: the hash of the text the signer read.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInput {
    pub text_hash: String,
}

/// A new version of an agreement, with what changed.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementChange {
    /// The changed or added terms, in words.
    pub notes: String,
}

/// A move to a new home: how the current placement ends, and where the child goes.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    /// `YYYY-MM-DD`: the day of the move (the old placement ends, the new one starts).
    pub date: String,
    /// SSDA903 REASON_PLACE_CHANGE code.
    pub reason_change: String,
    pub planned: bool,
    pub home: i64,
    /// A vacancy of that home to take a place from.
    pub vacancy: Option<i64>,
    pub weekly_cost: Option<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NoticeView {
    pub id: i64,
    pub referral: Option<i64>,
    pub text: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    /// Whether the caller has read it: opening the notices page marks what it shows as read.
    pub read: bool,
}

impl From<Notice> for NoticeView {
    fn from(n: Notice) -> Self {
        Self { id: n.id, referral: n.referral.map(|r| r.0), text: n.text, created_at: n.created_at, read: n.read }
    }
}

impl OfferView {
    pub(crate) fn base(o: &Offer, provider_name: String, home_name: String, tier: ContractTier) -> Self {
        Self {
            id: o.id.0,
            referral: o.referral.0,
            provider: o.provider.0,
            provider_name,
            home: o.home.0,
            home_name,
            vacancy: o.terms.vacancy.map(|v| v.0),
            weekly_price: o.weekly_price.pounds(),
            start: o.start,
            status: o.status,
            status_label: o.status.label().to_owned(),
            made_at: o.made_at,
            includes: o.terms.includes.clone(),
            notes: o.terms.notes.clone(),
            contract_price: None,
            tier,
            regional_median: None,
            ranking: None,
        }
    }
}
