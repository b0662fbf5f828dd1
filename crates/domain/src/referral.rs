//! Referrals: a council asking for a home for a child or a sibling group. The strength-based form lives
//! in `referral_form`; this is the core that placements, matching and history hang on.

use crate::code_list;
use crate::geo::PostcodeDistrict;
use crate::ids::{ChildId, ReferralId, UserId};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

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
    pub const fn is_closed(self) -> bool {
        matches!(self, Self::Placed | Self::Withdrawn | Self::Unmet)
    }

    /// The lifecycle's allowed moves; anything else is refused.
    pub const fn can_become(self, next: ReferralStatus) -> bool {
        use ReferralStatus as S;
        matches!(
            (self, next),
            (S::Draft, S::Open)
                | (S::Draft, S::Withdrawn)
                | (S::Open, S::Offers)
                | (S::Open, S::Withdrawn)
                | (S::Open, S::Unmet)
                | (S::Offers, S::Placed)
                | (S::Offers, S::Withdrawn)
                | (S::Offers, S::Unmet)
                | (S::Offers, S::Open)
        )
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
    }
}
