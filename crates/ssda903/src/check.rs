//! The self-check: the structural rules a return must pass before DfE's own validator sees it. Each
//! problem names the child, the Episodes row, the field and says what is wrong in a sentence. A
//! problem does not stop the export; it is reported beside it.

use crate::{CollectionYear, Episode};
use hearth_domain::{PlaceProvider, ReasonEpisodeCeased};

/// Which rule a problem breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// An episode starts before the one before it ended (or while it is still open).
    Overlap,
    /// DEC is DECOM, or before it.
    EndsOnStartDay,
    /// An open episode (no DEC) that is not the child's last.
    OpenBeforeEnd,
    /// A code the collection year does not accept (PLACE).
    CodeNotValidForYear,
    /// REC X1 without a new episode the same day, or a new episode the same day without X1.
    X1WithoutNextEpisode,
    /// A closed episode without a REC.
    MissingReasonCeased,
    /// PLACE_PROVIDER missing where DfE requires it, or not PR0 for P1.
    PlaceProvider,
}

impl Rule {
    pub const fn code(self) -> &'static str {
        match self {
            Self::Overlap => "overlap",
            Self::EndsOnStartDay => "ends_on_start_day",
            Self::OpenBeforeEnd => "open_before_end",
            Self::CodeNotValidForYear => "code_not_valid_for_year",
            Self::X1WithoutNextEpisode => "x1_without_next_episode",
            Self::MissingReasonCeased => "missing_reason_ceased",
            Self::PlaceProvider => "place_provider",
        }
    }
}

/// One problem: which child, which row of Episodes (1 is the first row under the header), which field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub rule: Rule,
    pub child: String,
    pub row: usize,
    pub field: &'static str,
    pub message: String,
}

/// Checks a year's Episodes rows, which must be ordered by child and then DECOM (as the export writes
/// them).
pub fn check(year: CollectionYear, episodes: &[Episode]) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, e) in episodes.iter().enumerate() {
        let next = episodes.get(i + 1).filter(|n| n.child == e.child);
        let mut problem = |rule: Rule, field: &'static str, message: String| {
            out.push(Problem { rule, child: e.reference.clone(), row: i + 1, field, message });
        };
        if let Some(dec) = e.dec.filter(|d| *d <= e.decom) {
            problem(
                Rule::EndsOnStartDay,
                "DEC",
                format!(
                    "the episode that started on {} ends on {dec}: an episode must end after the day it starts",
                    e.decom
                ),
            );
        }
        if let Some(n) = next {
            match e.dec {
                None => problem(
                    Rule::OpenBeforeEnd,
                    "DEC",
                    format!("the episode is open but another starts on {}: only the last episode may be open", n.decom),
                ),
                Some(dec) if n.decom < dec => problem(
                    Rule::Overlap,
                    "DECOM",
                    format!(
                        "the next episode starts on {} before this one ends on {dec}: episodes must not overlap",
                        n.decom
                    ),
                ),
                _ => {}
            }
        }
        if !e.place.valid_in(year.ending()) {
            problem(
                Rule::CodeNotValidForYear,
                "PLACE",
                format!("placement type {} is not accepted in the {} collection", e.place, year.label()),
            );
        }
        let follows_same_day = next.is_some_and(|n| e.dec == Some(n.decom));
        match (e.dec, e.rec) {
            (Some(_), Some(ReasonEpisodeCeased::MOVE)) if !follows_same_day => problem(
                Rule::X1WithoutNextEpisode,
                "REC",
                "REC is X1 but no new episode starts on the day this one ends".into(),
            ),
            (Some(_), Some(rec)) if follows_same_day && rec != ReasonEpisodeCeased::MOVE => problem(
                Rule::X1WithoutNextEpisode,
                "REC",
                format!("a new episode starts on the day this one ends, so REC must be X1, not {rec}"),
            ),
            (Some(dec), None) => {
                problem(Rule::MissingReasonCeased, "REC", format!("the episode ended on {dec} without a reason (REC)"))
            }
            _ => {}
        }
        match e.place_provider {
            None if e.place.requires_provider() => problem(
                Rule::PlaceProvider,
                "PLACE_PROVIDER",
                format!("placement type {} needs a PLACE_PROVIDER", e.place),
            ),
            Some(p) if e.place == hearth_domain::PlacementType::P1 && p != PlaceProvider::Pr0 => problem(
                Rule::PlaceProvider,
                "PLACE_PROVIDER",
                format!("a placement with parents (P1) must have PLACE_PROVIDER PR0, not {p}"),
            ),
            _ => {}
        }
    }
    out
}
