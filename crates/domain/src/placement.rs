//! Placements: a child living in a home from a date. Stability, distance and cost figures come from these.

use crate::contract::ContractTier;
use crate::geo::Miles;
use crate::home::WeeklyPrice;
use crate::ids::{ChildId, HomeId, PlacementId, ReferralId};
use crate::ssda903::{PlaceProvider, PlacementType, ReasonEpisodeCeased, ReasonPlaceChange};
use crate::{DomainError, PlacementGroup, Postcode, ValidationErrors};
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
            Some(ReasonEpisodeCeased::X1)
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
                    Ok(ReasonEpisodeCeased::X1) => {
                        errs.push(DomainError::new("reason_ceased", "X1 is for a move: record a move to a new home"));
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
