//! Commissioners' quality-assurance visits to providers' homes.

use crate::code_list;
use crate::ids::{HomeId, QualityVisitId};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

code_list! {
    pub enum VisitOutcome ("visit_outcome") {
        NoConcerns = "no_concerns" => "No concerns",
        MinorConcerns = "minor_concerns" => "Minor concerns, action plan agreed",
        SeriousConcerns = "serious_concerns" => "Serious concerns, escalated",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QualityVisit {
    pub id: QualityVisitId,
    pub home: HomeId,
    pub la_code: u16,
    pub due: Date,
    pub visited: Option<Date>,
    pub outcome: Option<VisitOutcome>,
}

impl QualityVisit {
    pub fn is_overdue(&self, today: Date) -> bool {
        self.visited.is_none() && self.due < today
    }
}
