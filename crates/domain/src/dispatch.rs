//! Sending a referral to providers, and what happens when their answers are due.
//!
//! Three ways to send: to providers the officer chose from the ranked matches, to every fitting
//! provider at once (the "level playing field"), or by the council's cascade: in-house first, then
//! block contracts with free beds, then the regional framework, then spot providers, each step opening
//! only when the one before has no live offer by its deadline. Never "to all": who may receive a
//! referral is decided by the matching engine's hard rules before anything here runs.
//!
//! Pure: the caller passes the clock's reading and the facts; the answer is what to do.

use crate::code_list;
use crate::contract::ContractTier;
use crate::deadlines::{DeadlinePolicy, response_deadline};
use crate::ids::{OfferId, ReferralId};
use crate::lifecycle::Lifecycle;
use crate::referral::Urgency;
use jiff::{SignedDuration, Timestamp};

code_list! {
    /// How a referral was sent.
    pub enum SendMode ("send_mode") {
        Chosen = "chosen" => "To providers the officer chose",
        AllFitting = "all_fitting" => "To every provider with a fitting home",
        Cascade = "cascade" => "By the council's cascade",
    }
}

code_list! {
    /// Where one provider stands on a referral sent to it. It holds one standing answer at a time: a
    /// provider with a live offer withdraws it rather than also declining; one that declined may not
    /// decline again (each decline e-mails the officer and counts in the commissioners' figures) but
    /// may still offer, and the offer supersedes the decline. Offering a second home keeps it "offered".
    pub enum ProviderAnswer ("provider_answer") {
        Awaited = "awaited" => "Not answered yet",
        Offered = "offered" => "Holding a live offer",
        Declined = "declined" => "Declined",
    }
}

impl Lifecycle for ProviderAnswer {
    const NOUN: &'static str = "provider's answer";
    const MOVES: &'static [(Self, Self)] = &[
        (Self::Awaited, Self::Offered),
        (Self::Awaited, Self::Declined),
        (Self::Declined, Self::Offered),
        // Its last live offer withdrawn: it may answer afresh.
        (Self::Offered, Self::Awaited),
    ];

    fn words(self) -> String {
        self.label().to_lowercase()
    }
}

impl ProviderAnswer {
    /// A provider's standing answer from what it holds: a live offer outranks a decline it superseded.
    pub fn of(live_offer: Option<OfferId>, declined: bool) -> Self {
        match (live_offer, declined) {
            (Some(_), _) => Self::Offered,
            (None, true) => Self::Declined,
            (None, false) => Self::Awaited,
        }
    }

    /// Whether the provider, holding `live_offer` and having `declined` (read inside the write that
    /// would decline), may decline `referral`.
    pub fn check_decline(
        referral: ReferralId,
        live_offer: Option<OfferId>,
        declined: bool,
    ) -> Result<(), DeclineRefused> {
        if Self::of(live_offer, declined).can_become(Self::Declined) {
            return Ok(());
        }
        Err(match live_offer {
            Some(offer) => DeclineRefused::LiveOffer { referral, offer },
            None => DeclineRefused::AlreadyDeclined { referral },
        })
    }
}

/// A decline refused, in the sentence the provider reads; a conflict (409): the referral's answers,
/// not the request, are at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DeclineRefused {
    #[error("you have a live offer (offer {offer}) on referral {referral}; withdraw the offer instead of declining")]
    LiveOffer { referral: ReferralId, offer: OfferId },
    #[error(
        "your organisation has already declined referral {referral}; a referral is declined once, though you may \
         still make an offer"
    )]
    AlreadyDeclined { referral: ReferralId },
}

/// A same-day cascade gives each step this long, not the whole same-day window: four steps of four
/// hours would leave a child without a bed overnight. In-house and contracted providers are expected
/// to answer an emergency within the hour.
pub const SAME_DAY_CASCADE_STEP: SignedDuration = SignedDuration::from_hours(1);

/// When the answers to one sending (or one cascade step) opened at `opened_at` are due.
pub fn step_deadline(urgency: Urgency, mode: SendMode, opened_at: Timestamp, policy: &DeadlinePolicy) -> Timestamp {
    let whole = response_deadline(urgency, opened_at, policy);
    if mode == SendMode::Cascade && urgency == Urgency::SameDay {
        whole.min(opened_at.checked_add(SAME_DAY_CASCADE_STEP).unwrap_or(whole))
    } else {
        whole
    }
}

/// The cascade's steps for one referral: the tiers, in cascade order, that have at least one fitting
/// provider. A tier with nobody to ask is skipped rather than waited out.
pub fn cascade_steps(fitting_tiers: impl IntoIterator<Item = ContractTier>) -> Vec<ContractTier> {
    let mut tiers: Vec<ContractTier> = fitting_tiers.into_iter().collect();
    tiers.sort_by_key(|t| t.position());
    tiers.dedup();
    tiers
}

/// Where a sent referral stands, as the escalation job sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendingState {
    pub mode: SendMode,
    /// The cascade step now open (`None` outside a cascade).
    pub step: Option<ContractTier>,
    pub due_at: Timestamp,
    /// Offers made and neither withdrawn nor closed: the officer has something to decide on.
    pub live_offers: usize,
    /// Providers of the open step (or of the whole sending) that have neither offered nor declined.
    pub unanswered: usize,
    /// Cascade tiers after `step` that have a fitting provider.
    pub later_steps: Vec<ContractTier>,
    /// Whether the team manager has already been told that this sending's deadline passed.
    pub overdue_told: bool,
}

/// What the escalation job does with one referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escalation {
    /// Nothing yet: the deadline has not passed and some providers may still answer, or there are
    /// offers waiting for the officer.
    Wait,
    /// Open the next step of the cascade, and tell the team manager.
    NextStep(ContractTier),
    /// Everyone Hearth may ask has been asked, and nobody offered: the referral is unmet need.
    Unmet,
    /// Chosen providers did not answer in time: tell the officer and the team manager (once), who
    /// may send to more providers.
    Overdue,
}

impl SendingState {
    /// The decision. A step ends early when every provider in it has answered without a live offer:
    /// waiting out the deadline would only cost the child time.
    pub fn escalation(&self, now: Timestamp) -> Escalation {
        if self.live_offers > 0 {
            return Escalation::Wait;
        }
        let ended = now >= self.due_at || self.unanswered == 0;
        if !ended {
            return Escalation::Wait;
        }
        match self.mode {
            SendMode::Cascade => self.later_steps.first().map_or(Escalation::Unmet, |t| Escalation::NextStep(*t)),
            SendMode::AllFitting => Escalation::Unmet,
            SendMode::Chosen if self.overdue_told => Escalation::Wait,
            SendMode::Chosen => Escalation::Overdue,
        }
    }
}

impl ContractTier {
    /// Cascade order: in-house 0, block 1, framework 2, spot 3.
    pub const fn position(self) -> u8 {
        match self {
            Self::InHouse => 0,
            Self::Block => 1,
            Self::Framework => 2,
            Self::Spot => 3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn at(h: i8, m: i8) -> Timestamp {
        format!("2026-11-25T{h:02}:{m:02}:00Z").parse().unwrap()
    }

    fn state(mode: SendMode, live: usize, unanswered: usize, later: &[ContractTier]) -> SendingState {
        SendingState {
            mode,
            step: Some(ContractTier::InHouse),
            due_at: at(12, 0),
            live_offers: live,
            unanswered,
            later_steps: later.to_vec(),
            overdue_told: false,
        }
    }

    #[test]
    fn a_same_day_cascade_step_is_an_hour_and_planned_ones_keep_working_days() {
        let p = DeadlinePolicy::default();
        assert_eq!(step_deadline(Urgency::SameDay, SendMode::Cascade, at(9, 0), &p), at(10, 0));
        assert_eq!(step_deadline(Urgency::SameDay, SendMode::Chosen, at(9, 0), &p), at(13, 0));
        assert_eq!(
            step_deadline(Urgency::Planned, SendMode::Cascade, at(9, 0), &p),
            response_deadline(Urgency::Planned, at(9, 0), &p)
        );
    }

    #[test]
    fn steps_are_in_cascade_order_without_empty_tiers() {
        let steps = cascade_steps([ContractTier::Spot, ContractTier::InHouse, ContractTier::Spot]);
        assert_eq!(steps, vec![ContractTier::InHouse, ContractTier::Spot]);
    }

    #[test]
    fn the_cascade_moves_on_only_without_a_live_offer() {
        let later = [ContractTier::Block, ContractTier::Spot];
        assert_eq!(state(SendMode::Cascade, 0, 2, &later).escalation(at(11, 59)), Escalation::Wait);
        assert_eq!(
            state(SendMode::Cascade, 0, 2, &later).escalation(at(12, 0)),
            Escalation::NextStep(ContractTier::Block)
        );
        assert_eq!(state(SendMode::Cascade, 1, 0, &later).escalation(at(13, 0)), Escalation::Wait);
        // Everyone in the step declined before the deadline: no point waiting.
        assert_eq!(
            state(SendMode::Cascade, 0, 0, &later).escalation(at(10, 0)),
            Escalation::NextStep(ContractTier::Block)
        );
        assert_eq!(state(SendMode::Cascade, 0, 1, &[]).escalation(at(12, 0)), Escalation::Unmet);
    }

    #[test]
    fn one_standing_answer_per_provider() {
        let r = ReferralId(5);
        assert_eq!(ProviderAnswer::check_decline(r, None, false), Ok(()));
        assert_eq!(
            ProviderAnswer::check_decline(r, Some(OfferId(9)), true).unwrap_err().to_string(),
            "you have a live offer (offer 9) on referral 5; withdraw the offer instead of declining"
        );
        assert_eq!(
            ProviderAnswer::check_decline(r, None, true).unwrap_err().to_string(),
            "your organisation has already declined referral 5; a referral is declined once, though you may still \
             make an offer"
        );
        assert!(ProviderAnswer::Declined.can_become(ProviderAnswer::Offered), "an offer supersedes a decline");
    }

    #[test]
    fn other_modes_end_unmet_or_overdue_once() {
        assert_eq!(state(SendMode::AllFitting, 0, 3, &[]).escalation(at(12, 0)), Escalation::Unmet);
        let mut chosen = state(SendMode::Chosen, 0, 3, &[]);
        assert_eq!(chosen.escalation(at(12, 0)), Escalation::Overdue);
        chosen.overdue_told = true;
        assert_eq!(chosen.escalation(at(12, 0)), Escalation::Wait);
    }
}
