//! DfE's "Children looked after in England including adoptions" tables (reporting years 2021–2025,
//! years ending 31 March), as shipped: England, the West Midlands region and the 14 portal councils.
//!
//! Each table's text categories are parsed into enums, so a renamed category in a future release
//! fails the build's tests instead of silently reading as zero. Cells are [`Figure`]s: the GSS symbols
//! `c`, `z`, `x` and `k` are kept, not turned into numbers.

use crate::{Figure, embedded_table, files};
use hearth_domain::{PlaceProvider, PlacementGroup, ReasonPlaceChange};

/// Which level a row describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    National,
    Regional,
    LocalAuthority,
}

/// Who a row is about: England, the West Midlands, or one council.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    pub level: Level,
    /// DfE 3-digit code, for councils.
    pub la_code: Option<u16>,
    pub ons_code: Option<String>,
    pub la_name: Option<String>,
}

/// Reporting year: `2025` is the year ending 31 March 2025.
pub type Year = i16;

/// The columns every shipped DfE table starts with.
type AreaColumns = (Year, String, String, String, String);

fn area(year_and_area: AreaColumns) -> Result<(Year, Area), String> {
    let (year, level, la_code, ons_code, la_name) = year_and_area;
    let level = match level.as_str() {
        "National" => Level::National,
        "Regional" => Level::Regional,
        "Local authority" => Level::LocalAuthority,
        other => return Err(format!("geographic level '{other}' is unknown")),
    };
    let la_code = crate::non_empty(&la_code)
        .map(|c| c.parse::<u16>().map_err(|_| format!("old_la_code '{c}' is not a number")))
        .transpose()?;
    let text = |s: String| (!s.trim().is_empty()).then_some(s);
    Ok((year, Area { level, la_code, ons_code: text(ons_code), la_name: text(la_name) }))
}

/// Inside or outside the responsible council's boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Boundary {
    Inside,
    Outside,
}

/// DfE's distance bands (PL_DISTANCE over 20 miles or not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DistanceBand {
    TwentyOrLess,
    OverTwenty,
    NotKnown,
}

// ---------------------------------------------------------------------------------------------------
// 31 March: placement type, provider, distance and locality

/// The part of the 31 March table a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum March31Group {
    Placement,
    PlaceProviders,
    Distance,
    DistanceAndLocality,
    Locality,
    LaOfPlacement,
}

/// What a 31 March row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum March31Measure {
    /// The group's total (all of the council's children, except for `LaOfPlacement`).
    Total,
    Placement(PlacementGroup),
    /// `None`: "Placement provider not reported".
    Provider(Option<PlaceProvider>),
    Distance(DistanceBand),
    Where(Boundary, DistanceBand),
    Locality(Boundary),
    /// The council's own children placed inside its boundary.
    OwnChildrenInside,
    /// Other councils' children placed inside this council's boundary.
    OtherCouncilsChildrenInside,
}

fn parse_march31(group: &str, characteristic: &str) -> Result<(March31Group, March31Measure), String> {
    use DistanceBand as D;
    use March31Measure as M;
    let g = match group {
        "Placement" => March31Group::Placement,
        "Place providers" => March31Group::PlaceProviders,
        "Distance between home and placement" => March31Group::Distance,
        "Distance between home and placement and locality of placement" => March31Group::DistanceAndLocality,
        "Locality of placement" => March31Group::Locality,
        "LA of placement" => March31Group::LaOfPlacement,
        other => return Err(format!("cla_group '{other}' is unknown")),
    };
    let m = match characteristic {
        "Total" => M::Total,
        "Foster placements" => M::Placement(PlacementGroup::Foster),
        "Secure homes and children's homes" => M::Placement(PlacementGroup::ChildrensHomes),
        "Independent and semi-independent living arrangements/supported accommodation" => {
            M::Placement(PlacementGroup::SupportedAccommodation)
        }
        "Residential schools" => M::Placement(PlacementGroup::ResidentialSchools),
        "Placed for adoption" => M::Placement(PlacementGroup::PlacedForAdoption),
        "Placed with parents or other person with parental responsibility" => M::Placement(PlacementGroup::WithParents),
        "Other residential settings" => M::Placement(PlacementGroup::OtherResidential),
        "Other placements" => M::Placement(PlacementGroup::Other),
        "Own provision (by the LA)" => M::Provider(Some(PlaceProvider::Pr1)),
        "Other LA provision" => M::Provider(Some(PlaceProvider::Pr2)),
        "Other public provision (e.g. by a PCT etc)" => M::Provider(Some(PlaceProvider::Pr3)),
        "Private provision" => M::Provider(Some(PlaceProvider::Pr4)),
        "Voluntary/third sector provision" => M::Provider(Some(PlaceProvider::Pr5)),
        "Parents or other person with parental responsibility" => M::Provider(Some(PlaceProvider::Pr0)),
        "Placement provider not reported" => M::Provider(None),
        "Placed 20 miles or less from home" => M::Distance(D::TwentyOrLess),
        "Placed more than 20 miles from home" => M::Distance(D::OverTwenty),
        "Distance not known or not recorded" => M::Distance(D::NotKnown),
        "1. Placed inside the LA boundary, 20 miles or less from home" => M::Where(Boundary::Inside, D::TwentyOrLess),
        "2. Placed outside the LA boundary, 20 miles or less from home" => M::Where(Boundary::Outside, D::TwentyOrLess),
        "3. Placed inside the LA boundary, more than 20 miles from home" => M::Where(Boundary::Inside, D::OverTwenty),
        "4. Placed outside the LA boundary, more than 20 miles from home" => M::Where(Boundary::Outside, D::OverTwenty),
        "5. Placed inside the LA boundary, distance not known or not recorded" => {
            M::Where(Boundary::Inside, D::NotKnown)
        }
        "6. Placed outside the LA boundary, distance not known or not recorded" => {
            M::Where(Boundary::Outside, D::NotKnown)
        }
        "Placed inside the local authority boundary" => M::Locality(Boundary::Inside),
        "Placed outside the local authority boundary" => M::Locality(Boundary::Outside),
        "1. Own LA children placed internally within the local authority boundary" => M::OwnChildrenInside,
        "2. Other LA children externally placed within the local authority boundary" => M::OtherCouncilsChildrenInside,
        other => return Err(format!("characteristic '{other}' is unknown")),
    };
    Ok((g, m))
}

/// A row of "children looked after at 31 March by placement, provider, distance and locality".
#[derive(Debug, Clone, PartialEq)]
pub struct March31Row {
    pub year: Year,
    pub area: Area,
    pub group: March31Group,
    pub measure: March31Measure,
    pub number: Figure,
    pub percentage: Figure,
}

// ---------------------------------------------------------------------------------------------------
// New placements during the year

/// What a new-placements row counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NewPlacementMeasure {
    /// Total new placements in the year.
    Total,
    /// Where new placements were; `boundary` is `None` for "distance not known".
    Location {
        boundary: Option<Boundary>,
        distance: DistanceBand,
    },
    /// Placements that changed in the year (the total of the reasons).
    ChangesTotal,
    ChangeReason(ReasonPlaceChange),
}

fn parse_new_placement(characteristic: &str, breakdown: &str) -> Result<NewPlacementMeasure, String> {
    use NewPlacementMeasure as M;
    use ReasonPlaceChange as R;
    let location = |boundary, distance| Ok(M::Location { boundary, distance });
    match (characteristic, breakdown) {
        ("Location of new placements during the year", b) => match b {
            "Total new placements" => Ok(M::Total),
            "Distance not known or not recorded" => location(None, DistanceBand::NotKnown),
            "Placed inside LA boundary less than 20 miles from home" => {
                location(Some(Boundary::Inside), DistanceBand::TwentyOrLess)
            }
            "Placed inside LA boundary more than 20 miles from home" => {
                location(Some(Boundary::Inside), DistanceBand::OverTwenty)
            }
            "Placed outside LA boundary less than 20 miles from home" => {
                location(Some(Boundary::Outside), DistanceBand::TwentyOrLess)
            }
            "Placed outside LA boundary more than 20 miles from home" => {
                location(Some(Boundary::Outside), DistanceBand::OverTwenty)
            }
            other => Err(format!("location breakdown '{other}' is unknown")),
        },
        ("Reason for placement change during the year", b) => Ok(match b {
            "Total placements changing" => M::ChangesTotal,
            "Allegation (s47)" => M::ChangeReason(R::Alleg),
            "Approval removed" => M::ChangeReason(R::Apprr),
            "Carer requests placement end other than due to child's behaviour" => M::ChangeReason(R::Creqo),
            "Carer requests placement ends due to child's behaviour" => M::ChangeReason(R::Creqb),
            "Change in the status of a placement only" => M::ChangeReason(R::Place),
            "Change to/implementation of care plan" => M::ChangeReason(R::Carpl),
            "Child requests placement to end" => M::ChangeReason(R::Child),
            "Custody arrangement" => M::ChangeReason(R::Custod),
            "Other" => M::ChangeReason(R::Other),
            "Resignation or closure of provision" => M::ChangeReason(R::Close),
            "Responsible/area authority requests placement ends" => M::ChangeReason(R::Lareq),
            "Standards of care concern" => M::ChangeReason(R::Stand),
            other => return Err(format!("reason breakdown '{other}' is unknown")),
        }),
        (other, _) => Err(format!("characteristic '{other}' is unknown")),
    }
}

/// A row of "new placements during the year, by location and by reason for placement change".
#[derive(Debug, Clone, PartialEq)]
pub struct NewPlacementRow {
    pub year: Year,
    pub area: Area,
    pub measure: NewPlacementMeasure,
    pub children: Figure,
    pub percent: Figure,
}

// ---------------------------------------------------------------------------------------------------
// Placement stability

/// The three cohorts DfE's stability table reports on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StabilityCohort {
    /// Children looked after on 31 March.
    On31March,
    /// Children looked after on 31 March in the last two years (for 3+ placements over 2 years).
    TwoYears,
    /// Children under 16 looked after continuously for at least 2.5 years.
    LongTermUnder16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StabilityMeasure {
    Total,
    /// 3 or more placements during the year (or the previous 2 years, for [`StabilityCohort::TwoYears`]).
    ThreeOrMorePlacements,
    /// Living with the same carer for at least 2 years.
    SameCarerTwoYears,
}

fn parse_stability(cohort: &str, measure: &str) -> Result<(StabilityCohort, StabilityMeasure), String> {
    let c = match cohort {
        "CLA on 31 March" => StabilityCohort::On31March,
        "CLA 2 years on 31 March" => StabilityCohort::TwoYears,
        "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years" => {
            StabilityCohort::LongTermUnder16
        }
        other => return Err(format!("cla_group '{other}' is unknown")),
    };
    let m = match measure {
        "Total children" => StabilityMeasure::Total,
        "With 3 or more placements during the year" | "With 3 or more placements during the previous 2 years" => {
            StabilityMeasure::ThreeOrMorePlacements
        }
        "Living with the same carer for at least 2 years" => StabilityMeasure::SameCarerTwoYears,
        other => return Err(format!("placement_stability '{other}' is unknown")),
    };
    Ok((c, m))
}

#[derive(Debug, Clone, PartialEq)]
pub struct StabilityRow {
    pub year: Year,
    pub area: Area,
    pub cohort: StabilityCohort,
    pub measure: StabilityMeasure,
    pub children: Figure,
    pub percent: Figure,
}

// ---------------------------------------------------------------------------------------------------
// Numbers and rates per 10,000

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Population {
    StartingInYear,
    On31March,
    CeasingInYear,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NumberRow {
    pub year: Year,
    pub area: Area,
    pub population: Population,
    /// ONS mid-year estimate of children under 18 in the area.
    pub population_estimate: Figure,
    pub children: Figure,
    pub rate_per_10000: Figure,
}

// ---------------------------------------------------------------------------------------------------
// Loading

/// Every DfE table row shares the area columns, then two category columns and two figures (the
/// numbers table has one category and three figures); tuples read them by position.
type FourColumnRow = (Year, String, String, String, String, String, String, Figure, Figure);
type NumbersColumnRow = (Year, String, String, String, String, String, Figure, Figure, Figure);

fn split(r: FourColumnRow) -> Result<(Year, Area, String, String, Figure, Figure), String> {
    let (y, level, code, ons, name, a, b, f1, f2) = r;
    let (year, area) = area((y, level, code, ons, name))?;
    Ok((year, area, a, b, f1, f2))
}

impl TryFrom<FourColumnRow> for March31Row {
    type Error = String;
    fn try_from(r: FourColumnRow) -> Result<Self, String> {
        let (year, area, group, characteristic, number, percentage) = split(r)?;
        let (group, measure) = parse_march31(&group, &characteristic)?;
        Ok(Self { year, area, group, measure, number, percentage })
    }
}

impl TryFrom<FourColumnRow> for NewPlacementRow {
    type Error = String;
    fn try_from(r: FourColumnRow) -> Result<Self, String> {
        let (year, area, characteristic, breakdown, children, percent) = split(r)?;
        Ok(Self { year, area, measure: parse_new_placement(&characteristic, &breakdown)?, children, percent })
    }
}

impl TryFrom<FourColumnRow> for StabilityRow {
    type Error = String;
    fn try_from(r: FourColumnRow) -> Result<Self, String> {
        let (year, area, cohort, measure, children, percent) = split(r)?;
        let (cohort, measure) = parse_stability(&cohort, &measure)?;
        Ok(Self { year, area, cohort, measure, children, percent })
    }
}

impl TryFrom<NumbersColumnRow> for NumberRow {
    type Error = String;
    fn try_from(r: NumbersColumnRow) -> Result<Self, String> {
        let (y, level, code, ons, name, population, population_estimate, children, rate_per_10000) = r;
        let (year, area) = area((y, level, code, ons, name))?;
        let population = match population.as_str() {
            "Children starting to be looked after each year" => Population::StartingInYear,
            "Children looked after on 31 March each year" => Population::On31March,
            "Children ceasing to be looked after each year" => Population::CeasingInYear,
            other => return Err(format!("population_type '{other}' is unknown")),
        };
        Ok(Self { year, area, population, population_estimate, children, rate_per_10000 })
    }
}

embedded_table!(
    /// Children looked after at 31 March by placement, provider, distance and locality.
    march31, load_march31, MARCH31: March31Row, FourColumnRow, files::DFE_31_MARCH
);
embedded_table!(
    /// New placements during the year by location, and placement changes by reason.
    new_placements, load_new_placements, NEW_PLACEMENTS: NewPlacementRow, FourColumnRow, files::DFE_NEW_PLACEMENTS
);
embedded_table!(
    /// Placement stability: 3+ placements in the year, and long-term stability.
    stability_rows, load_stability, STABILITY: StabilityRow, FourColumnRow, files::DFE_STABILITY
);
embedded_table!(
    /// Children starting, looked after at 31 March, and ceasing, with rates per 10,000 children.
    numbers, load_numbers, NUMBERS: NumberRow, NumbersColumnRow, files::DFE_NUMBERS
);

/// A row that belongs to one council and year.
pub trait CouncilRow {
    fn year(&self) -> Year;
    fn area(&self) -> &Area;
    fn is_council_year(&self, la_code: u16, year: Year) -> bool {
        self.year() == year && self.area().level == Level::LocalAuthority && self.area().la_code == Some(la_code)
    }
}

macro_rules! council_row {
    ($($t:ty),+) => {$(
        impl CouncilRow for $t {
            fn year(&self) -> Year { self.year }
            fn area(&self) -> &Area { &self.area }
        }
    )+};
}
council_row!(March31Row, NewPlacementRow, StabilityRow, NumberRow);

/// A council's figure for one 31 March measure (`None`: no such row).
pub fn march31_figure(la_code: u16, year: Year, group: March31Group, measure: March31Measure) -> Option<Figure> {
    march31()
        .iter()
        .find(|r| r.is_council_year(la_code, year) && r.group == group && r.measure == measure)
        .map(|r| r.number)
}

/// A council's count of children looked after at 31 March (or starting, or ceasing) in a year.
pub fn children(la_code: u16, year: Year, population: Population) -> Option<Figure> {
    numbers().iter().find(|r| r.is_council_year(la_code, year) && r.population == population).map(|r| r.children)
}

/// A council's stability figure and its percentage.
pub fn stability_figure(
    la_code: u16,
    year: Year,
    cohort: StabilityCohort,
    measure: StabilityMeasure,
) -> Option<(Figure, Figure)> {
    stability_rows()
        .iter()
        .find(|r| r.is_council_year(la_code, year) && r.cohort == cohort && r.measure == measure)
        .map(|r| (r.children, r.percent))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_domain::council::WEST_MIDLANDS;

    #[test]
    fn every_table_parses_every_row() {
        assert_eq!(march31().len(), 2_720);
        assert_eq!(new_placements().len(), 1_520);
        assert_eq!(stability_rows().len(), 480);
        assert_eq!(numbers().len(), 240);
        // Suppressed cells are kept as symbols, not numbers.
        assert!(march31().iter().any(|r| r.number.is_suppressed()));
        assert!(new_placements().iter().any(|r| r.percent == Figure::RoundsToZero));
    }

    #[test]
    fn coventry_2025_as_published() {
        use March31Group as G;
        use March31Measure as M;
        assert_eq!(children(331, 2025, Population::On31March), Some(Figure::Value(684)));
        assert_eq!(children(331, 2025, Population::CeasingInYear), Some(Figure::Value(275)));
        assert_eq!(
            march31_figure(331, 2025, G::Placement, M::Placement(PlacementGroup::Foster)),
            Some(Figure::Value(486))
        );
        assert_eq!(
            march31_figure(331, 2025, G::PlaceProviders, M::Provider(Some(PlaceProvider::Pr2))),
            Some(Figure::Suppressed)
        );
        assert_eq!(
            march31_figure(331, 2025, G::DistanceAndLocality, M::Where(Boundary::Outside, DistanceBand::OverTwenty)),
            Some(Figure::Value(96))
        );
        assert_eq!(
            stability_figure(331, 2025, StabilityCohort::On31March, StabilityMeasure::ThreeOrMorePlacements),
            Some((Figure::Value(76), Figure::Value(11)))
        );
    }

    #[test]
    fn the_fourteen_councils_total_11564_in_2025() {
        let total: u32 = WEST_MIDLANDS
            .iter()
            .map(|c| children(c.la_code, 2025, Population::On31March).and_then(Figure::value).unwrap_or(0))
            .sum();
        assert_eq!(total, 11_564);
    }

    #[test]
    fn unknown_categories_are_refused() {
        assert!(parse_march31("Placement", "Foster care").is_err());
        assert!(parse_new_placement("Location of new placements during the year", "Somewhere").is_err());
        assert!(parse_stability("CLA on 31 March", "Happy").is_err());
    }
}
