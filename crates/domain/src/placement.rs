//! Placements: a child living in a home from a date. Stability, distance and cost figures come from these.

use crate::contract::ContractTier;
use crate::geo::Miles;
use crate::home::WeeklyPrice;
use crate::ids::{ChildId, HomeId, PlacementId, ReferralId};
use crate::lifecycle::Lifecycle;
use crate::ssda903::{PlaceProvider, PlacementType, ReasonEpisodeCeased, ReasonPlaceChange};
use crate::{DomainError, PlacementGroup, Postcode, ValidationErrors, code_list};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placement {
    pub id: PlacementId,
    pub child: ChildId,
    pub la_code: u16,
    /// `None` for placements Hearth does not list a home for (with parents, hospital, custody).
    pub home: Option<HomeId>,
    pub referral: Option<ReferralId>,
    pub placement_type: PlacementType,
    pub provider: PlaceProvider,
    pub tier: Option<ContractTier>,
    pub start: Date,
    pub end: Option<Date>,
    /// Set when the child left care at the end of this placement (an E code); X1 otherwise.
    pub reason_ceased: Option<ReasonEpisodeCeased>,
    pub reason_change: Option<ReasonPlaceChange>,
    pub planned_ending: Option<bool>,
    /// The placement this one followed, when the child moved.
    pub previous: Option<PlacementId>,
    pub step_down: bool,
    pub postcode: Option<Postcode>,
    /// ONS upper-tier code of where the child lives (DfE's PL_LA).
    pub pl_utla: Option<String>,
    /// DfE distance from the child's home; 999.9 when unknown.
    pub distance: Miles,
    pub weekly_cost: Option<WeeklyPrice>,
}

impl Placement {
    pub fn is_open_on(&self, day: Date) -> bool {
        self.start <= day && self.end.is_none_or(|e| e > day)
    }

    /// An ending must come after the start: the SSDA903 forbids an episode that starts and ends on one day.
    pub fn check_end(start: Date, end: Date) -> Result<(), DomainError> {
        if end <= start {
            return Err(DomainError::new(
                "end",
                format!("a placement that started on {start} must end after that day"),
            ));
        }
        Ok(())
    }
}

code_list! {
    /// Where a placement stands. It ends once: by a move to another placement the same day (the
    /// episode ceases [`ReasonEpisodeCeased::MOVE`]), or with the child leaving care (an E code).
    pub enum PlacementStatus ("placement_status") {
        Open = "open" => "Open",
        Moved = "moved" => "Ended by a move",
        Ended = "ended" => "Ended: the child left care",
    }
}

code_list! {
    /// Which placements a list shows: those going on, those ended, or those still waiting for their
    /// Individual Placement Agreement to be signed by both sides (going on ones only).
    pub enum PlacementListStatus ("status") {
        Current = "current" => "Current",
        Ended = "ended" => "Ended",
        ToSign = "to_sign" => "Agreement not yet signed",
    }
}

impl Lifecycle for PlacementStatus {
    const NOUN: &'static str = "placement";
    const MOVES: &'static [(Self, Self)] = &[(Self::Open, Self::Moved), (Self::Open, Self::Ended)];

    fn words(self) -> String {
        self.label().to_lowercase()
    }
}

impl Placement {
    pub fn status(&self) -> PlacementStatus {
        match (self.end, self.reason_ceased) {
            (None, _) => PlacementStatus::Open,
            (Some(_), Some(r)) if r.leaves_care() => PlacementStatus::Ended,
            (Some(_), _) => PlacementStatus::Moved,
        }
    }
}

/// An ending refused; the placement's record, not the request, is at fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EndingRefused {
    /// A conflict (409): someone ended it first.
    AlreadyEnded { placement: PlacementId, end: Option<Date> },
    /// Invalid (422): the database's check that an episode lasts at least a night.
    BeforeStart { placement: PlacementId, end: Date },
}

impl std::fmt::Display for EndingRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::AlreadyEnded { placement, end } => {
                let on = end.map(|d| format!(" (on {d})")).unwrap_or_default();
                write!(f, "placement {placement} has already ended{on}; reload the child's placements")
            }
            Self::BeforeStart { placement, end } => {
                write!(f, "placement {placement} cannot end on {end}: a placement must end after the day it started")
            }
        }
    }
}

/// A move from a children's home or residential school into a family: the step-down commissioners
/// track, because it is better for the child and costs a fraction.
pub fn is_step_down(from: PlacementType, to: PlacementType) -> bool {
    matches!(from.group(), PlacementGroup::ChildrensHomes | PlacementGroup::ResidentialSchools)
        && to.group() == PlacementGroup::Foster
}

/// How a placement ends, as the officer records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndingInput {
    /// `YYYY-MM-DD`: the last night is the night before.
    pub end: String,
    /// SSDA903 REASON_PLACE_CHANGE code: why the child is moving (for a move; optional when the
    /// child leaves care).
    pub reason_change: Option<String>,
    /// SSDA903 REC code (an E code) when the child leaves care; absent for a move (X1).
    pub reason_ceased: Option<String>,
    /// Whether the ending was in the care plan (an unplanned ending is a disruption).
    pub planned: bool,
}

/// A checked ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ending {
    pub end: Date,
    pub reason_ceased: ReasonEpisodeCeased,
    pub reason_change: Option<ReasonPlaceChange>,
    pub planned: bool,
}

impl Ending {
    /// The ending of a placement the child moves on from on `end`: the episode ceases with the
    /// SSDA903 move code whatever else was said, since a new placement follows that day.
    pub fn of_move(end: Date, reason_change: ReasonPlaceChange, planned: bool) -> Self {
        Self { end, reason_ceased: ReasonEpisodeCeased::MOVE, reason_change: Some(reason_change), planned }
    }

    /// This ending as a move: the same day, reason and plan, ceasing with the move code.
    pub fn as_move(self) -> Self {
        Self { reason_ceased: ReasonEpisodeCeased::MOVE, ..self }
    }
}

impl EndingInput {
    /// For a placement that started on `start`. `moving` says whether a new placement follows on the
    /// same day: then the episode ceases X1 and the reason for the change is required; otherwise the
    /// child leaves care and an E code is required.
    pub fn parse(&self, start: Date, today: Date, moving: bool) -> Result<Ending, ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let end = errs.check(self.end.trim().parse::<Date>().map_err(|_| {
            DomainError::new("end", format!("'{}' is not a date; write it as YYYY-MM-DD", self.end.trim()))
        }));
        if let Some(end) = end {
            errs.check(Placement::check_end(start, end));
            if end > today {
                errs.push(DomainError::new("end", format!("{end} is in the future; record an ending on the day")));
            }
        }
        let change = match self.reason_change.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => errs.check(ReasonPlaceChange::parse(code)).map(Some),
            None if moving => {
                errs.push(DomainError::new(
                    "reason_change",
                    "say why the child is moving (a REASON_PLACE_CHANGE code)",
                ));
                None
            }
            None => Some(None),
        };
        let ceased = if moving {
            Some(ReasonEpisodeCeased::MOVE)
        } else {
            match self.reason_ceased.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
                None => {
                    errs.push(DomainError::new(
                        "reason_ceased",
                        "say why the child's care ended (an SSDA903 E code); to move the child, record a move",
                    ));
                    None
                }
                Some(code) => match ReasonEpisodeCeased::parse(code) {
                    Ok(ReasonEpisodeCeased::MOVE) => {
                        errs.push(DomainError::new(
                            "reason_ceased",
                            format!("{} is for a move: record a move to a new home", ReasonEpisodeCeased::MOVE),
                        ));
                        None
                    }
                    other => errs.check(other),
                },
            }
        };
        match (end, change, ceased) {
            (Some(end), Some(reason_change), Some(reason_ceased)) if errs.is_empty() => {
                Ok(Ending { end, reason_ceased, reason_change, planned: self.planned })
            }
            _ => Err(errs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ending(end: &str, change: Option<&str>, ceased: Option<&str>) -> EndingInput {
        EndingInput {
            end: end.into(),
            reason_change: change.map(Into::into),
            reason_ceased: ceased.map(Into::into),
            planned: true,
        }
    }

    #[test]
    fn a_move_is_x1_with_a_reason_and_leaving_care_needs_an_e_code() {
        let (start, today) = (date(2026, 1, 1), date(2026, 11, 25));
        let moved = ending("2026-11-20", Some("CARPL"), None).parse(start, today, true).unwrap();
        assert_eq!(
            (moved.reason_ceased, moved.reason_change),
            (ReasonEpisodeCeased::X1, Some(ReasonPlaceChange::Carpl))
        );
        assert_eq!(ending("2026-11-20", None, None).parse(start, today, true).unwrap_err().0[0].field, "reason_change");
        assert!(ending("2026-11-20", None, Some("E13")).parse(start, today, false).is_ok());
        assert!(ending("2026-11-20", None, Some("X1")).parse(start, today, false).is_err());
        assert!(ending("2026-11-20", None, None).parse(start, today, false).is_err());
        assert!(ending("2026-12-20", None, Some("E13")).parse(start, today, false).is_err());
        assert!(ending("2026-01-01", None, Some("E13")).parse(start, today, false).is_err());
    }

    #[test]
    fn a_placement_ends_once_by_a_move_or_leaving_care() {
        let moved = Ending::of_move(date(2026, 3, 1), ReasonPlaceChange::Carpl, true);
        assert_eq!(moved.reason_ceased, ReasonEpisodeCeased::X1);
        let left = Ending { reason_ceased: ReasonEpisodeCeased::E13, ..moved };
        assert_eq!(left.as_move(), moved);
        assert!(PlacementStatus::Open.can_become(PlacementStatus::Moved));
        assert!(PlacementStatus::Ended.is_final() && PlacementStatus::Moved.is_final());
        let refused = EndingRefused::AlreadyEnded { placement: PlacementId(400), end: Some(date(2026, 3, 1)) };
        assert_eq!(
            refused.to_string(),
            "placement 400 has already ended (on 2026-03-01); reload the child's placements"
        );
        let refused = EndingRefused::BeforeStart { placement: PlacementId(4), end: date(2026, 3, 1) };
        assert_eq!(
            refused.to_string(),
            "placement 4 cannot end on 2026-03-01: a placement must end after the day it started"
        );
    }

    #[test]
    fn step_down_is_residential_to_family() {
        assert!(is_step_down(PlacementType::K2, PlacementType::U6));
        assert!(!is_step_down(PlacementType::U6, PlacementType::K2));
        assert!(!is_step_down(PlacementType::K2, PlacementType::K2));
    }

    #[test]
    fn end_after_start() {
        assert!(Placement::check_end(date(2025, 1, 1), date(2025, 1, 1)).is_err());
        assert!(Placement::check_end(date(2025, 1, 1), date(2025, 1, 2)).is_ok());
    }
}
