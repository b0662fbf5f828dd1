//! Placements: a child living in a home from a date. Stability, distance and cost figures come from these.

use crate::contract::ContractTier;
use crate::geo::Miles;
use crate::home::WeeklyPrice;
use crate::ids::{ChildId, HomeId, PlacementId, ReferralId};
use crate::ssda903::{PlaceProvider, PlacementType, ReasonEpisodeCeased, ReasonPlaceChange};
use crate::{DomainError, Postcode};
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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn end_after_start() {
        assert!(Placement::check_end(date(2025, 1, 1), date(2025, 1, 1)).is_err());
        assert!(Placement::check_end(date(2025, 1, 1), date(2025, 1, 2)).is_ok());
    }
}
