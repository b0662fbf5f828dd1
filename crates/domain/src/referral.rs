//! Referrals: a council asking for a home for a child or a sibling group. The strength-based form lives
//! in `referral_form`; this is the core that placements, matching and history hang on.

use crate::code_list;
use crate::geo::PostcodeDistrict;
use crate::ids::{ChildId, ReferralId, UserId};
use crate::lifecycle::Lifecycle;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use std::fmt;

code_list! {
    /// How soon a home is needed. Maps to the Placements Data Standard's "Today, <5 days, >5 days".
    pub enum Urgency ("urgency") {
        SameDay = "same_day" => "Same day (emergency)",
        Within72Hours = "within_72_hours" => "Within 72 hours",
        Planned = "planned" => "Planned",
    }
}

code_list! {
    /// draft → open → offers → placed | withdrawn | unmet.
    pub enum ReferralStatus ("referral_status") {
        Draft = "draft" => "Draft",
        Open = "open" => "Open",
        Offers = "offers" => "Offers received",
        Placed = "placed" => "Placed",
        Withdrawn = "withdrawn" => "Withdrawn",
        Unmet = "unmet" => "Unmet",
    }
}

impl ReferralStatus {
    /// A referral is live while it is open or has offers: it can be sent, answered and accepted. The
    /// store's queries take these codes as parameters rather than writing them out.
    pub const LIVE: &'static [ReferralStatus] = &[Self::Open, Self::Offers];

    pub fn is_live(self) -> bool {
        Self::LIVE.contains(&self)
    }

    /// The table's answer ([`Lifecycle::can_become`]), callable without the trait in scope, as the
    /// store's code calls it.
    pub fn can_become(self, to: ReferralStatus) -> bool {
        <Self as Lifecycle>::can_become(self, to)
    }

    /// Placed, withdrawn or unmet: nothing can happen to the referral any more.
    pub fn is_closed(self) -> bool {
        self.is_final()
    }

    /// Where a live referral goes when its count of live offers changes to `live_offers`: the first
    /// offer makes it "offers received", the last one withdrawn makes it open again. `None`: it stays.
    pub fn with_live_offers(self, live_offers: u64) -> Option<ReferralStatus> {
        match (self, live_offers) {
            (Self::Open, 1..) => Some(Self::Offers),
            (Self::Offers, 0) => Some(Self::Open),
            _ => None,
        }
    }

    /// `Ok` if a referral in this status still allows `action`; otherwise why not, in words.
    pub fn check_live(self, referral: ReferralId, action: ReferralAction) -> Result<(), NotLive> {
        if self.is_live() { Ok(()) } else { Err(NotLive { referral, status: self, action }) }
    }
}

/// draft → open → offers → placed | withdrawn | unmet; a referral whose last offer is withdrawn is
/// open again.
impl Lifecycle for ReferralStatus {
    const NOUN: &'static str = "referral";
    const MOVES: &'static [(Self, Self)] = &[
        (Self::Draft, Self::Open),
        (Self::Draft, Self::Withdrawn),
        (Self::Open, Self::Offers),
        (Self::Open, Self::Withdrawn),
        (Self::Open, Self::Unmet),
        (Self::Offers, Self::Placed),
        (Self::Offers, Self::Withdrawn),
        (Self::Offers, Self::Unmet),
        (Self::Offers, Self::Open),
    ];

    fn words(self) -> String {
        self.label().to_lowercase()
    }
}

/// What someone tried to do with a live referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferralAction {
    /// The council sends it to providers.
    Send,
    /// A provider offers a home (the store's check, inside the write).
    Offer,
    /// A provider declines it (the store's check, inside the write).
    Decline,
    /// A provider answers it at all (the service's check, before the write).
    Answer,
    /// The council accepts one of its offers (the service's check, before the write).
    Accept,
    /// The same, checked again inside the accepting write with the referral's row held: a referral
    /// placed by then was placed by someone else since the service looked.
    AcceptHeld,
}

impl ReferralAction {
    /// What the referral no longer being live means for this action.
    const fn consequence(self) -> &'static str {
        match self {
            Self::Send => "only an open referral, or one with offers, can be sent",
            Self::Offer => "it takes no more offers",
            Self::Decline => "there is nothing left to decline",
            Self::Answer => "it no longer takes offers or declines",
            Self::Accept | Self::AcceptHeld => "its offers cannot be accepted any more",
        }
    }
}

/// An action refused because the referral is no longer live (or not yet: a draft). Says what became
/// of the referral, then what that means for the action; a conflict, answered 409.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub struct NotLive {
    pub referral: ReferralId,
    pub status: ReferralStatus,
    pub action: ReferralAction,
}

impl fmt::Display for NotLive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.referral;
        match self.status {
            // Two officers accepting at once: the second is told why the first won, not a rule.
            ReferralStatus::Placed if self.action == ReferralAction::AcceptHeld => {
                return write!(
                    f,
                    "referral {id} was placed by another officer a moment ago; reload it to see the placement"
                );
            }
            ReferralStatus::Draft => write!(f, "referral {id} is still a draft and has not been sent"),
            ReferralStatus::Placed => write!(f, "referral {id} has been placed"),
            ReferralStatus::Withdrawn => write!(f, "referral {id} was withdrawn by the council"),
            ReferralStatus::Unmet => write!(f, "referral {id} was closed as unmet need"),
            // Live: `check_live` never refuses it, but a caller may build one; say it plainly.
            live => write!(f, "referral {id} is {}", live.words()),
        }?;
        write!(f, "; {}", self.action.consequence())
    }
}

code_list! {
    /// Needs and risks a referral can name (the Coventry referral form and the Placements Data Standard).
    pub enum Need ("need") {
        EmotionalBehavioural = "emotional_behavioural" => "Emotional and behavioural needs",
        LearningDisability = "learning_disability" => "Learning disability",
        PhysicalDisability = "physical_disability" => "Physical disability",
        SensoryImpairment = "sensory_impairment" => "Sensory impairment",
        MentalHealth = "mental_health" => "Mental health",
        AutismAdhd = "autism_adhd" => "Autism or ADHD traits",
        Aggression = "aggression" => "Aggression",
        Missing = "missing" => "Missing episodes",
        SubstanceMisuse = "substance_misuse" => "Substance misuse",
        Cse = "cse" => "Child sexual exploitation",
        Cce = "cce" => "Child criminal exploitation",
        SelfHarm = "self_harm" => "Self-harm",
        Offending = "offending" => "Offending",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Referral {
    pub id: ReferralId,
    pub la_code: u16,
    /// The child, or the first of a sibling group.
    pub children: Vec<ChildId>,
    pub siblings_together: bool,
    pub urgency: Urgency,
    pub needed_from: Date,
    pub needs: Vec<Need>,
    /// Where the officer would like the home (usually near home or school).
    pub preferred_district: Option<PostcodeDistrict>,
    pub status: ReferralStatus,
    pub created_by: Option<UserId>,
    pub created_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle() {
        assert!(ReferralStatus::Draft.can_become(ReferralStatus::Open));
        assert!(ReferralStatus::Offers.can_become(ReferralStatus::Placed));
        assert!(!ReferralStatus::Placed.can_become(ReferralStatus::Open));
        assert!(!ReferralStatus::Draft.can_become(ReferralStatus::Placed));
        assert!(ReferralStatus::Unmet.is_closed());
        assert!(!ReferralStatus::Draft.is_closed());
        assert_eq!(ReferralStatus::ALL.iter().filter(|s| s.is_live()).count(), ReferralStatus::LIVE.len());
    }

    #[test]
    fn offers_move_a_live_referral_between_open_and_offers() {
        assert_eq!(ReferralStatus::Open.with_live_offers(1), Some(ReferralStatus::Offers));
        assert_eq!(ReferralStatus::Offers.with_live_offers(2), None);
        assert_eq!(ReferralStatus::Offers.with_live_offers(0), Some(ReferralStatus::Open));
        for s in ReferralStatus::ALL {
            if let Some(next) = s.with_live_offers(0).or(s.with_live_offers(1)) {
                assert!(s.can_become(next), "{s} -> {next} is not in the table");
            }
        }
    }

    #[test]
    fn a_referral_no_longer_live_says_what_became_of_it_and_what_that_means() {
        let id = ReferralId(7);
        assert_eq!(ReferralStatus::Offers.check_live(id, ReferralAction::Offer), Ok(()));
        let said = |s: ReferralStatus, a| s.check_live(id, a).unwrap_err().to_string();
        assert_eq!(
            said(ReferralStatus::Withdrawn, ReferralAction::Send),
            "referral 7 was withdrawn by the council; only an open referral, or one with offers, can be sent"
        );
        assert_eq!(
            said(ReferralStatus::Unmet, ReferralAction::Offer),
            "referral 7 was closed as unmet need; it takes no more offers"
        );
        assert_eq!(
            said(ReferralStatus::Draft, ReferralAction::Decline),
            "referral 7 is still a draft and has not been sent; there is nothing left to decline"
        );
        assert_eq!(
            said(ReferralStatus::Placed, ReferralAction::Answer),
            "referral 7 has been placed; it no longer takes offers or declines"
        );
        assert_eq!(
            said(ReferralStatus::Placed, ReferralAction::Accept),
            "referral 7 has been placed; its offers cannot be accepted any more"
        );
        assert_eq!(
            said(ReferralStatus::Placed, ReferralAction::AcceptHeld),
            "referral 7 was placed by another officer a moment ago; reload it to see the placement"
        );
        assert_eq!(
            said(ReferralStatus::Withdrawn, ReferralAction::Accept),
            "referral 7 was withdrawn by the council; its offers cannot be accepted any more"
        );
    }
}
