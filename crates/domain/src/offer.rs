//! A provider's answer to a referral: an offer of a home at a price, or a decline with a reason.

use crate::code_list;
use crate::home::WeeklyPrice;
use crate::ids::{HomeId, OfferId, OrganisationId, ReferralId, VacancyId};
use crate::lifecycle::Lifecycle;
use crate::referral::ReferralStatus;
use crate::text::Shape;
use crate::{DomainError, ValidationErrors};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

code_list! {
    pub enum OfferStatus ("offer_status") {
        Made = "made" => "Offered",
        Withdrawn = "withdrawn" => "Withdrawn by the provider",
        Accepted = "accepted" => "Accepted",
        NotChosen = "not_chosen" => "Closed: another offer was accepted",
        Lapsed = "lapsed" => "Closed: the referral ended",
    }
}

impl OfferStatus {
    /// Offers the officer can still accept (and the provider still withdraw). The store's queries take
    /// these codes as parameters.
    pub const LIVE: &'static [OfferStatus] = &[Self::Made];

    pub fn is_live(self) -> bool {
        Self::LIVE.contains(&self)
    }

    /// What the live offers of a referral become when the referral moves to `referral`: another offer
    /// was chosen when it is placed; they lapse with it when it is withdrawn or unmet. `None`: they stay.
    pub fn when_referral_becomes(referral: ReferralStatus) -> Option<OfferStatus> {
        match referral {
            ReferralStatus::Placed => Some(Self::NotChosen),
            ReferralStatus::Withdrawn | ReferralStatus::Unmet => Some(Self::Lapsed),
            // Not closed: the offers stand.
            _ => None,
        }
    }

    /// `Ok` if an offer in this status can still be accepted or withdrawn; otherwise why not.
    pub fn check_live(self, offer: OfferId) -> Result<(), OfferNotLive> {
        if self.is_live() { Ok(()) } else { Err(OfferNotLive { offer, status: self }) }
    }
}

/// made → withdrawn (by the provider) | accepted | not chosen (another was) | lapsed (the referral ended).
impl Lifecycle for OfferStatus {
    const NOUN: &'static str = "offer";
    const MOVES: &'static [(Self, Self)] = &[
        (Self::Made, Self::Withdrawn),
        (Self::Made, Self::Accepted),
        (Self::Made, Self::NotChosen),
        (Self::Made, Self::Lapsed),
    ];

    fn words(self) -> String {
        self.label().to_lowercase()
    }
}

/// An offer that can no longer be accepted or withdrawn, and what became of it; a conflict (409).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub struct OfferNotLive {
    pub offer: OfferId,
    pub status: OfferStatus,
}

impl fmt::Display for OfferNotLive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.offer;
        match self.status {
            OfferStatus::Withdrawn => write!(f, "offer {id} was withdrawn by the provider"),
            OfferStatus::Accepted => write!(f, "offer {id} has already been accepted"),
            OfferStatus::NotChosen => write!(f, "offer {id} was closed when another offer was accepted"),
            OfferStatus::Lapsed => write!(f, "offer {id} lapsed when the referral ended"),
            // Live when read, not when written: another request changed it in between.
            OfferStatus::Made => write!(f, "offer {id} changed while it was being updated; try again"),
        }
    }
}

code_list! {
    /// Why a provider declined. These feed commissioners' unmet-need figures.
    pub enum DeclineReason ("decline_reason") {
        NoVacancy = "no_vacancy" => "No vacancy",
        CannotMeetNeeds = "cannot_meet_needs" => "Cannot meet the child's needs",
        ImpactOnCurrentChildren = "impact_on_current_children" => "Impact on children already living there",
        Location = "location" => "Location",
        Staffing = "staffing" => "Staffing",
        Price = "price" => "Price",
        Other = "other" => "Other",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    pub id: OfferId,
    pub referral: ReferralId,
    pub provider: OrganisationId,
    pub home: HomeId,
    pub weekly_price: WeeklyPrice,
    pub start: Date,
    pub status: OfferStatus,
    pub made_at: Timestamp,
    pub terms: OfferTerms,
}

/// What an offer says beyond home, price and date. Empty for offers loaded from history.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OfferTerms {
    /// The vacancy the child would take; accepting the offer takes its places.
    pub vacancy: Option<VacancyId>,
    /// What the weekly price includes (education, therapy, 2:1 staffing, transport...).
    pub includes: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decline {
    pub referral: ReferralId,
    pub provider: OrganisationId,
    pub reason: DeclineReason,
    pub declined_at: Timestamp,
    /// Required for `other`; optional otherwise.
    pub note: String,
}

/// The longest free text an offer or decline may carry: a paragraph or two, not a care plan.
pub const MAX_TEXT: usize = 2000;

/// An offer as a provider sends it. Missing price and start date are filled from the home's profile
/// (its vacancy's asking price, the later of the date needed and the date the place is free).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OfferInput {
    /// The provider's home offered (its id).
    pub home: i64,
    /// The vacancy to take the place from; absent for the home's first fitting vacancy.
    pub vacancy: Option<i64>,
    /// Pounds a week; absent for the price the council would pay (its contract's, else the home's).
    pub weekly_price: Option<i64>,
    /// `YYYY-MM-DD`; absent for the later of the date needed and the date the place is free.
    pub start: Option<String>,
    /// What the price includes.
    #[serde(default)]
    pub includes: String,
    #[serde(default)]
    pub notes: String,
}

/// What the home's profile proposes for an offer's blanks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferDefaults {
    pub weekly_price: WeeklyPrice,
    pub start: Date,
}

/// A checked offer, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferDraft {
    pub home: HomeId,
    pub weekly_price: WeeklyPrice,
    pub start: Date,
    pub terms: OfferTerms,
}

impl OfferInput {
    /// Checks every field at once. A start date may not be in the past nor more than a year ahead: an
    /// offer is a bed for this child, soon.
    pub fn parse(&self, defaults: OfferDefaults, today: Date) -> Result<OfferDraft, ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let price = match self.weekly_price {
            Some(p) => errs.check(WeeklyPrice::new(p)),
            None => Some(defaults.weekly_price),
        };
        let start = match self.start.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(defaults.start.max(today)),
            Some(raw) => errs.check(
                raw.parse::<Date>()
                    .map_err(|_| DomainError::new("start", format!("'{raw}' is not a date; write it as YYYY-MM-DD"))),
            ),
        };
        if let Some(d) = start {
            if d < today {
                errs.push(DomainError::new("start", format!("the start date {d} has passed; offer today or later")));
            } else if today.checked_add(jiff::Span::new().years(1)).is_ok_and(|limit| d > limit) {
                errs.push(DomainError::new("start", format!("{d} is more than a year away; offer a nearer date")));
            }
        }
        // An offer's words are copied into the placement agreement, which is signed by its hash.
        check_text(&mut errs, "includes", &self.includes, Shape::Signed);
        check_text(&mut errs, "notes", &self.notes, Shape::Signed);
        match (price, start) {
            (Some(weekly_price), Some(start)) if errs.is_empty() => Ok(OfferDraft {
                home: HomeId(self.home),
                weekly_price,
                start,
                terms: OfferTerms {
                    vacancy: self.vacancy.map(VacancyId),
                    includes: self.includes.trim().to_owned(),
                    notes: self.notes.trim().to_owned(),
                },
            }),
            _ => Err(errs),
        }
    }
}

/// A decline as a provider sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeclineInput {
    /// A [`DeclineReason`] code.
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

impl DeclineInput {
    /// The reason, and the note trimmed. "Other" must say what: an unexplained decline tells
    /// commissioners nothing.
    pub fn parse(&self) -> Result<(DeclineReason, String), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let reason = errs.check(DeclineReason::parse(&self.reason));
        let note = self.note.trim().to_owned();
        check_text(&mut errs, "note", &note, Shape::Paragraphs);
        if reason == Some(DeclineReason::Other) && note.is_empty() {
            errs.push(DomainError::new("note", "say why in a few words when the reason is \"Other\""));
        }
        match reason {
            Some(r) if errs.is_empty() => Ok((r, note)),
            _ => Err(errs),
        }
    }
}

fn check_text(errs: &mut ValidationErrors, field: &'static str, value: &str, shape: Shape) {
    errs.check(crate::text::check(field, value, shape, MAX_TEXT));
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const DEFAULTS: OfferDefaults =
        OfferDefaults { weekly_price: WeeklyPrice::from_const(950), start: date(2026, 11, 20) };

    #[test]
    fn blanks_come_from_the_home_and_the_past_is_today() {
        let d = OfferInput { home: 7, ..Default::default() }.parse(DEFAULTS, date(2026, 11, 25)).unwrap();
        assert_eq!((d.weekly_price.pounds(), d.start), (950, date(2026, 11, 25)));
    }

    #[test]
    fn nonsense_is_refused_with_every_field_named() {
        let input = OfferInput {
            home: 7,
            weekly_price: Some(-3),
            start: Some("2026-11-01".into()),
            notes: "x".repeat(MAX_TEXT + 1),
            ..Default::default()
        };
        let errs = input.parse(DEFAULTS, date(2026, 11, 25)).unwrap_err();
        let fields: Vec<_> = errs.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["weekly_price", "start", "notes"]);
        let far = OfferInput { home: 7, start: Some("2028-01-01".into()), ..Default::default() };
        assert!(far.parse(DEFAULTS, date(2026, 11, 25)).is_err());
        let absurd = OfferInput { home: 7, weekly_price: Some(900_000), ..Default::default() };
        assert!(absurd.parse(DEFAULTS, date(2026, 11, 25)).is_err());
    }

    #[test]
    fn offer_words_go_into_the_signed_agreement_so_refuse_bidi_overrides() {
        let offer = OfferInput { home: 1, includes: "Pay \u{202E}001\u{202C}".into(), ..OfferInput::default() };
        let fields: Vec<_> =
            offer.parse(DEFAULTS, date(2026, 11, 25)).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["includes"]);
        // A decline is not signed: its note may carry them (and line breaks).
        assert!(DeclineInput { reason: "other".into(), note: "\u{202E}full\n".into() }.parse().is_ok());
    }

    #[test]
    fn an_offer_no_longer_live_says_what_became_of_it() {
        let said = |s: OfferStatus| s.check_live(OfferId(3)).unwrap_err().to_string();
        assert_eq!(said(OfferStatus::Withdrawn), "offer 3 was withdrawn by the provider");
        assert_eq!(said(OfferStatus::Accepted), "offer 3 has already been accepted");
        assert_eq!(said(OfferStatus::NotChosen), "offer 3 was closed when another offer was accepted");
        assert_eq!(said(OfferStatus::Lapsed), "offer 3 lapsed when the referral ended");
        assert_eq!(OfferStatus::Made.check_live(OfferId(3)), Ok(()));
    }

    #[test]
    fn live_offers_close_with_their_referral() {
        assert_eq!(OfferStatus::when_referral_becomes(ReferralStatus::Placed), Some(OfferStatus::NotChosen));
        assert_eq!(OfferStatus::when_referral_becomes(ReferralStatus::Unmet), Some(OfferStatus::Lapsed));
        assert_eq!(OfferStatus::when_referral_becomes(ReferralStatus::Offers), None);
        for r in ReferralStatus::ALL {
            if let Some(o) = OfferStatus::when_referral_becomes(*r) {
                assert!(OfferStatus::Made.can_become(o) && r.is_closed(), "{r} -> {o}");
            }
        }
    }

    #[test]
    fn other_needs_a_note() {
        assert!(DeclineInput { reason: "other".into(), note: " ".into() }.parse().is_err());
        assert_eq!(
            DeclineInput { reason: "price".into(), note: String::new() }.parse().unwrap(),
            (DeclineReason::Price, String::new())
        );
        assert!(DeclineInput { reason: "busy".into(), note: String::new() }.parse().is_err());
    }
}
