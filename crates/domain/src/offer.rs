//! A provider's answer to a referral: an offer of a home at a price, or a decline with a reason.

use crate::code_list;
use crate::home::WeeklyPrice;
use crate::ids::{HomeId, OfferId, OrganisationId, ReferralId, VacancyId};
use crate::text::Shape;
use crate::{DomainError, ValidationErrors};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

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
    /// An offer the officer can still accept.
    pub const fn is_live(self) -> bool {
        matches!(self, Self::Made)
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

/// One standing answer per provider a referral. A provider holding a live offer withdraws it rather
/// than declining as well; a provider that has declined may not decline again (each decline e-mails the
/// officer and counts in the commissioners' figures), but may still offer, and the offer supersedes the
/// decline. `live_offer` and `declined` are the provider's, read inside the write that would decline.
/// Refused with the sentence the provider reads (a conflict: the referral's answers, not the request, are
/// at fault).
pub fn check_decline(referral: ReferralId, live_offer: Option<OfferId>, declined: bool) -> Result<(), String> {
    if let Some(offer) = live_offer {
        return Err(format!(
            "you have a live offer (offer {offer}) on referral {referral}; withdraw the offer instead of declining"
        ));
    }
    if declined {
        return Err(format!(
            "your organisation has already declined referral {referral}; a referral is declined once, though \
             you may still make an offer"
        ));
    }
    Ok(())
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
    fn other_needs_a_note() {
        assert!(DeclineInput { reason: "other".into(), note: " ".into() }.parse().is_err());
        assert_eq!(
            DeclineInput { reason: "price".into(), note: String::new() }.parse().unwrap(),
            (DeclineReason::Price, String::new())
        );
        assert!(DeclineInput { reason: "busy".into(), note: String::new() }.parse().is_err());
    }
}
