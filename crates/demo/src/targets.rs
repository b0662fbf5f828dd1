//! What each council's children should look like, read from DfE's tables for the year ending
//! 31 March 2025, with suppressed cells filled in.
//!
//! DfE suppresses small counts (`c`). Within one breakdown the published cells and the total are
//! known, so the suppressed cells share what is left: evenly, the remainder going to the first ones.
//! That is the least-informed guess that keeps every breakdown summing to the published total.

use hearth_domain::council::{Council, WEST_MIDLANDS};
use hearth_domain::{PlaceProvider, PlacementGroup, ReasonPlaceChange};
use hearth_reference::Figure;
use hearth_reference::dfe::{
    self, Boundary, DistanceBand, March31Group, March31Measure, NewPlacementMeasure, Population, StabilityCohort,
    StabilityMeasure,
};

/// The reporting year the demo region reproduces (year ending 31 March 2025).
pub const DFE_YEAR: i16 = 2025;

/// Where a placement is relative to the child's home and council: DfE's six categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Where {
    InsideNear,
    OutsideNear,
    InsideFar,
    OutsideFar,
    InsideUnknown,
    OutsideUnknown,
}

impl Where {
    pub const ALL: [Where; 6] = [
        Self::InsideNear,
        Self::OutsideNear,
        Self::InsideFar,
        Self::OutsideFar,
        Self::InsideUnknown,
        Self::OutsideUnknown,
    ];

    pub const fn inside(self) -> bool {
        matches!(self, Self::InsideNear | Self::InsideFar | Self::InsideUnknown)
    }

    pub const fn distance(self) -> DistanceBand {
        match self {
            Self::InsideNear | Self::OutsideNear => DistanceBand::TwentyOrLess,
            Self::InsideFar | Self::OutsideFar => DistanceBand::OverTwenty,
            Self::InsideUnknown | Self::OutsideUnknown => DistanceBand::NotKnown,
        }
    }

    pub const fn boundary(self) -> Boundary {
        if self.inside() { Boundary::Inside } else { Boundary::Outside }
    }
}

/// DfE's placement groups in the order the generator fills them.
pub const GROUPS: [PlacementGroup; 8] = PlacementGroup::ALL;

/// DfE's provider categories; `None` is "placement provider not reported".
pub const PROVIDERS: [Option<PlaceProvider>; 7] = [
    Some(PlaceProvider::Pr0),
    Some(PlaceProvider::Pr1),
    Some(PlaceProvider::Pr2),
    Some(PlaceProvider::Pr3),
    Some(PlaceProvider::Pr4),
    Some(PlaceProvider::Pr5),
    None,
];

/// One council's published figures, suppressed cells filled in.
#[derive(Debug, Clone)]
pub struct CouncilTargets {
    pub council: &'static Council,
    /// Children looked after at 31 March.
    pub looked_after: u32,
    pub ceasing: u32,
    pub starting: u32,
    /// Per [`GROUPS`].
    pub groups: [u32; 8],
    /// Per [`PROVIDERS`].
    pub providers: [u32; 7],
    /// Per [`Where::ALL`].
    pub places: [u32; 6],
    /// Share of children at 31 March with 3 or more placements during the year.
    pub three_plus_share: f64,
    /// Share of children under 16 looked after for 2.5+ years who lived with the same carer for 2+ years.
    pub same_carer_share: f64,
    /// Share of all children at 31 March who are in that long-term cohort.
    pub long_term_share: f64,
    /// Placement changes in the year by reason.
    pub change_reasons: Vec<(ReasonPlaceChange, u32)>,
    /// New placements in the year by location (distance known only), per [`Where::ALL`]'s first four.
    pub new_placement_places: [u32; 4],
}

/// The six location cells, suppressed ones filled from the two published margins first (children
/// inside and outside the boundary; within, over and not known 20 miles): a cell that is the only
/// suppressed one in its row or column is exactly what its margin leaves. What no margin settles
/// shares the rest of the total.
pub fn fill_places(cells: &[Figure; 6], by_boundary: [Figure; 2], by_distance: [Figure; 3], total: u32) -> [u32; 6] {
    let mut known: Vec<Option<u32>> = cells.iter().map(|f| f.value()).collect();
    let band = |w: Where| match w.distance() {
        DistanceBand::TwentyOrLess => 0,
        DistanceBand::OverTwenty => 1,
        DistanceBand::NotKnown => 2,
    };
    let lines: Vec<(Vec<usize>, Option<u32>)> = [Boundary::Inside, Boundary::Outside]
        .iter()
        .zip(by_boundary)
        .map(|(b, f)| ((0..6).filter(|&i| Where::ALL[i].boundary() == *b).collect(), f.value()))
        .chain((0..3).map(|d| ((0..6).filter(|&i| band(Where::ALL[i]) == d).collect(), by_distance[d].value())))
        .collect();
    loop {
        let mut progress = false;
        for (members, margin) in &lines {
            let Some(margin) = margin else { continue };
            let hidden: Vec<usize> = members.iter().copied().filter(|&i| known[i].is_none()).collect();
            if let [only] = hidden[..] {
                let rest: u32 = members.iter().filter_map(|&i| known[i]).sum();
                known[only] = Some(margin.saturating_sub(rest));
                progress = true;
            }
        }
        if !progress {
            break;
        }
    }
    let partly: Vec<Figure> = known.iter().map(|k| k.map_or(Figure::Suppressed, Figure::Value)).collect();
    fixed(fill_suppressed(&partly, total))
}

/// Shares the rest of `total` among the suppressed cells.
pub fn fill_suppressed(cells: &[Figure], total: u32) -> Vec<u32> {
    let known: u32 = cells.iter().filter_map(|f| f.value()).sum();
    let hidden = cells.iter().filter(|f| f.value().is_none()).count() as u32;
    let rest = total.saturating_sub(known);
    let mut handed = 0;
    cells
        .iter()
        .map(|f| match f.value() {
            Some(v) => v,
            None => {
                let share = rest / hidden + u32::from(handed < rest % hidden);
                handed += 1;
                share
            }
        })
        .collect()
}

fn march31(la: u16, group: March31Group, measure: March31Measure) -> Figure {
    dfe::march31_figure(la, DFE_YEAR, group, measure).unwrap_or(Figure::NotAvailable)
}

fn count(la: u16, population: Population) -> u32 {
    dfe::children(la, DFE_YEAR, population).and_then(Figure::value).unwrap_or(0)
}

fn ratio(la: u16, cohort: StabilityCohort, measure: StabilityMeasure) -> f64 {
    let get = |m| dfe::stability_figure(la, DFE_YEAR, cohort, m).and_then(|(n, _)| n.value()).unwrap_or(0);
    let total = get(StabilityMeasure::Total);
    if total == 0 { 0.0 } else { f64::from(get(measure)) / f64::from(total) }
}

fn fixed<const N: usize>(v: Vec<u32>) -> [u32; N] {
    let mut out = [0; N];
    for (o, x) in out.iter_mut().zip(v) {
        *o = x;
    }
    out
}

impl CouncilTargets {
    pub fn for_council(council: &'static Council) -> Self {
        let la = council.la_code;
        let looked_after = count(la, Population::On31March);
        let groups = GROUPS.map(|g| march31(la, March31Group::Placement, March31Measure::Placement(g)));
        let providers = PROVIDERS.map(|p| march31(la, March31Group::PlaceProviders, March31Measure::Provider(p)));
        let places = Where::ALL
            .map(|w| march31(la, March31Group::DistanceAndLocality, March31Measure::Where(w.boundary(), w.distance())));
        let by_boundary = [Boundary::Inside, Boundary::Outside]
            .map(|b| march31(la, March31Group::Locality, March31Measure::Locality(b)));
        let by_distance = [DistanceBand::TwentyOrLess, DistanceBand::OverTwenty, DistanceBand::NotKnown]
            .map(|d| march31(la, March31Group::Distance, March31Measure::Distance(d)));

        let rows: Vec<_> =
            dfe::new_placements().iter().filter(|r| dfe::CouncilRow::is_council_year(*r, la, DFE_YEAR)).collect();
        let changes_total = rows
            .iter()
            .find(|r| r.measure == NewPlacementMeasure::ChangesTotal)
            .and_then(|r| r.children.value())
            .unwrap_or(0);
        let reasons: Vec<(ReasonPlaceChange, Figure)> = rows
            .iter()
            .filter_map(|r| match r.measure {
                NewPlacementMeasure::ChangeReason(reason) => Some((reason, r.children)),
                _ => None,
            })
            .collect();
        let filled = fill_suppressed(&reasons.iter().map(|(_, f)| *f).collect::<Vec<_>>(), changes_total);
        let change_reasons = reasons.iter().map(|(r, _)| *r).zip(filled).collect();

        let location = |w: Where| {
            rows.iter()
                .find(|r| {
                    r.measure == NewPlacementMeasure::Location { boundary: Some(w.boundary()), distance: w.distance() }
                })
                .map_or(Figure::NotAvailable, |r| r.children)
        };
        let located: Vec<Figure> = Where::ALL[..4].iter().map(|w| location(*w)).collect();
        let new_total = rows.iter().find(|r| r.measure == NewPlacementMeasure::Total).and_then(|r| r.children.value());
        let unknown = rows
            .iter()
            .find(|r| matches!(r.measure, NewPlacementMeasure::Location { boundary: None, .. }))
            .and_then(|r| r.children.value())
            .unwrap_or(0);
        let new_placement_places = fixed(fill_suppressed(&located, new_total.unwrap_or(0).saturating_sub(unknown)));

        let long_term_total =
            dfe::stability_figure(la, DFE_YEAR, StabilityCohort::LongTermUnder16, StabilityMeasure::Total)
                .and_then(|(n, _)| n.value())
                .unwrap_or(0);

        Self {
            council,
            looked_after,
            ceasing: count(la, Population::CeasingInYear),
            starting: count(la, Population::StartingInYear),
            groups: fixed(fill_suppressed(&groups, looked_after)),
            providers: fixed(fill_suppressed(&providers, looked_after)),
            places: fill_places(&places, by_boundary, by_distance, looked_after),
            three_plus_share: ratio(la, StabilityCohort::On31March, StabilityMeasure::ThreeOrMorePlacements),
            same_carer_share: ratio(la, StabilityCohort::LongTermUnder16, StabilityMeasure::SameCarerTwoYears),
            long_term_share: if looked_after == 0 { 0.0 } else { f64::from(long_term_total) / f64::from(looked_after) },
            change_reasons,
            new_placement_places,
        }
    }

    /// All 14 councils, in the domain's order.
    pub fn all() -> Vec<Self> {
        WEST_MIDLANDS.iter().map(Self::for_council).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppressed_cells_share_the_rest() {
        let cells = [Figure::Value(10), Figure::Suppressed, Figure::Value(5), Figure::Suppressed];
        assert_eq!(fill_suppressed(&cells, 20), vec![10, 3, 5, 2]);
        assert_eq!(fill_suppressed(&[Figure::Value(4)], 4), vec![4]);
        // A total below the published cells (never in DfE's LA figures) gives nothing to hide.
        assert_eq!(fill_suppressed(&[Figure::Value(4), Figure::Suppressed], 3), vec![4, 0]);
    }

    #[test]
    fn location_cells_use_the_margins() {
        let c = Figure::Suppressed;
        let v = Figure::Value;
        // Telford and Wrekin 2025: three cells suppressed; the margins settle all three.
        let cells = [v(211), v(86), c, v(59), c, c];
        let filled = fill_places(&cells, [v(213), v(198)], [v(297), v(61), v(53)], 411);
        assert_eq!(filled, [211, 86, 2, 59, 0, 53]);
        assert_eq!(filled.iter().sum::<u32>(), 411);
    }

    #[test]
    fn coventry_adds_up() {
        let cov = CouncilTargets::for_council(&WEST_MIDLANDS[1]);
        assert_eq!(cov.looked_after, 684);
        for breakdown in [&cov.groups[..], &cov.providers[..], &cov.places[..]] {
            assert_eq!(breakdown.iter().sum::<u32>(), 684);
        }
        assert_eq!(cov.groups[0], 486);
        assert!((cov.three_plus_share - 76.0 / 684.0).abs() < 1e-9);
        assert!((cov.same_carer_share - 159.0 / 243.0).abs() < 1e-9);
        assert_eq!(cov.change_reasons.iter().map(|(_, n)| n).sum::<u32>(), 527);
    }
}
