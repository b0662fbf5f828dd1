//! The statutory picture: children looked after on a day, broken down the way DfE's tables and a
//! council's sufficiency strategy print them, with the rate per 10,000 children and five-year trends.

use crate::model::{History, PlacementRecord, Tenths, UNKNOWN_DISTANCE};
use crate::query::{Query, Scope, date_label};
use crate::table::{Column, Table, Value};
use hearth_domain::child::{AgeBand, age_on};
use hearth_domain::council::Locality;
use hearth_domain::{EthnicGroup, LegalStatus, PlaceProvider, PlacementGroup, Sex};
use jiff::civil::Date;

/// One child looked after on the day: what the breakdowns classify.
#[derive(Debug, Clone, Copy)]
pub struct Counted<'a> {
    pub child: u32,
    pub age: i16,
    pub placement: &'a PlacementRecord,
    pub legal_status: Option<LegalStatus>,
}

/// The children of `scope` looked after on `day`, as DfE counts them: in a placement that day, and not
/// there under a series of short breaks (V3/V4, which DfE's counts leave out).
pub fn looked_after_on(history: &History, scope: Scope, day: Date) -> Vec<Counted<'_>> {
    let mut out = Vec::new();
    for (i, child) in history.children.iter().enumerate() {
        if !scope.includes(child.la_code) || child.looked_after_since > day || child.ceased_on.is_some_and(|c| c < day)
        {
            continue;
        }
        let i = u32::try_from(i).unwrap_or(u32::MAX);
        let Some(placement) = history.placement_on(i, day) else { continue };
        let legal_status = history.legal_status_on(i, day);
        if legal_status.is_some_and(LegalStatus::is_short_break) {
            continue;
        }
        out.push(Counted { child: i, age: age_on(child.date_of_birth, day), placement, legal_status });
    }
    out
}

/// A way of splitting the children looked after into categories, each one table as at the day and
/// one trend.
pub struct Breakdown {
    pub id: &'static str,
    pub title: &'static str,
    pub row_heading: &'static str,
    pub labels: &'static [&'static str],
    pub classify: fn(&History, &Counted<'_>) -> usize,
    pub note: Option<&'static str>,
}

impl std::fmt::Debug for Breakdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Breakdown").field("id", &self.id).finish_non_exhaustive()
    }
}

const GROUPS: [PlacementGroup; 8] = PlacementGroup::ALL;

pub const GROUP_LABELS: [&str; 8] = [
    "Foster placements",
    "Secure units and children's homes",
    "Supported accommodation and independent living",
    "Residential schools",
    "Placed for adoption",
    "Placed with parents or others with parental responsibility",
    "Other residential settings",
    "Other placements",
];

pub fn group_index(g: PlacementGroup) -> usize {
    GROUPS.iter().position(|x| *x == g).unwrap_or(GROUPS.len() - 1)
}

const PROVIDERS: [PlaceProvider; 6] = [
    PlaceProvider::Pr1,
    PlaceProvider::Pr2,
    PlaceProvider::Pr3,
    PlaceProvider::Pr4,
    PlaceProvider::Pr5,
    PlaceProvider::Pr0,
];

const ETHNIC: [EthnicGroup; 6] = [
    EthnicGroup::White,
    EthnicGroup::Mixed,
    EthnicGroup::Asian,
    EthnicGroup::Black,
    EthnicGroup::Other,
    EthnicGroup::NotKnown,
];

/// DfE's legal-status groups, with "not recorded" last.
fn legal_group(ls: Option<LegalStatus>) -> usize {
    use LegalStatus as L;
    match ls {
        Some(L::C1) => 0,
        Some(L::C2) => 1,
        Some(L::D1) => 2,
        Some(L::E1) => 3,
        Some(L::V2 | L::V3 | L::V4) => 4,
        Some(L::L1 | L::L2 | L::L3) => 5,
        Some(L::J1 | L::J2 | L::J3) => 6,
        None => 7,
    }
}

/// Distance bands for the histogram, in tenths of a mile (upper bounds, exclusive).
const HISTOGRAM: [(Tenths, &str); 5] = [
    (50, "Under 5 miles"),
    (100, "5 to 10 miles"),
    (200, "10 to 20 miles"),
    (500, "20 to 50 miles"),
    (u16::MAX, "50 miles or more"),
];

/// DfE's threshold, in tenths of a mile.
const TWENTY_MILES: Tenths = (hearth_domain::Miles::TWENTY.0 * 10.0) as Tenths;

/// DfE counts "20 miles or less" (0 to 20.0) and "over 20 miles".
fn distance_band(d: Tenths) -> usize {
    if d == UNKNOWN_DISTANCE {
        2
    } else if d <= TWENTY_MILES {
        0
    } else {
        1
    }
}

fn histogram_bin(d: Tenths) -> usize {
    if d == UNKNOWN_DISTANCE {
        return HISTOGRAM.len();
    }
    HISTOGRAM.iter().position(|(upper, _)| d < *upper).unwrap_or(HISTOGRAM.len() - 1)
}

pub const BREAKDOWNS: &[Breakdown] = &[
    Breakdown {
        id: "placement_type",
        title: "Children looked after by placement type",
        row_heading: "Placement type",
        labels: &GROUP_LABELS,
        classify: |_, c| group_index(c.placement.group()),
        note: Some("SSDA903 placement types in DfE's groups."),
    },
    Breakdown {
        id: "placement_provider",
        title: "Children looked after by placement provider",
        row_heading: "Provider",
        labels: &[
            "Own provision (by the council)",
            "Other council provision",
            "Other public provision",
            "Private provision",
            "Voluntary or third sector provision",
            "Parents or others with parental responsibility",
        ],
        classify: |_, c| PROVIDERS.iter().position(|p| *p == c.placement.provider).unwrap_or(0),
        note: None,
    },
    Breakdown {
        id: "age_band",
        title: "Children looked after by age",
        row_heading: "Age",
        labels: &["Under 1 year", "1 to 4 years", "5 to 9 years", "10 to 15 years", "16 years and over"],
        classify: |_, c| AgeBand::ALL.iter().position(|b| *b == AgeBand::of_age(c.age)).unwrap_or(0),
        note: Some("Age on the day."),
    },
    Breakdown {
        id: "sex",
        title: "Children looked after by sex",
        row_heading: "Sex",
        labels: &["Male", "Female", "Not known"],
        classify: |h, c| match h.children[c.child as usize].sex {
            Sex::Male => 0,
            Sex::Female => 1,
            Sex::Unknown => 2,
        },
        note: None,
    },
    Breakdown {
        id: "ethnicity",
        title: "Children looked after by ethnic group",
        row_heading: "Ethnic group",
        labels: &[
            "White",
            "Mixed or multiple ethnic groups",
            "Asian or Asian British",
            "Black, African, Caribbean or Black British",
            "Other ethnic group",
            "Refused or not yet obtained",
        ],
        classify: |h, c| ETHNIC.iter().position(|g| *g == h.children[c.child as usize].ethnic_group).unwrap_or(5),
        note: None,
    },
    Breakdown {
        id: "uasc",
        title: "Unaccompanied asylum-seeking children",
        row_heading: "Children",
        labels: &["Unaccompanied asylum-seeking children", "Other children looked after"],
        classify: |h, c| usize::from(!h.children[c.child as usize].uasc),
        note: None,
    },
    Breakdown {
        id: "legal_status",
        title: "Children looked after by legal status",
        row_heading: "Legal status",
        labels: &[
            "Interim care orders",
            "Full care orders",
            "Freed for adoption",
            "Placement order granted",
            "Voluntary agreements under section 20",
            "Detained for child protection",
            "Youth justice legal statuses",
            "Not recorded",
        ],
        classify: |_, c| legal_group(c.legal_status),
        note: Some(
            "Children accommodated under a series of short breaks (V3, V4) are not counted, as in DfE's tables.",
        ),
    },
    Breakdown {
        id: "locality",
        title: "Where children live",
        row_heading: "Where the child lives",
        labels: &["Inside the council's area", "In a neighbouring council's area", "Further away", "Not known"],
        classify: |_, c| match c.placement.locality {
            Some(Locality::InsideCouncil) => 0,
            Some(Locality::NeighbouringCouncil) => 1,
            Some(Locality::Further) => 2,
            None => 3,
        },
        note: Some("The placement's council (DfE's PL_LA) against the child's council and its neighbours."),
    },
    Breakdown {
        id: "distance",
        title: "Distance between home and placement",
        row_heading: "Distance",
        labels: &["20 miles or less", "Over 20 miles", "Not known"],
        classify: |_, c| distance_band(c.placement.distance),
        note: Some(
            "DfE's distance: straight-line miles between the home and placement postcodes on the OS National Grid.",
        ),
    },
    Breakdown {
        id: "distance_histogram",
        title: "Distance from home, in bands",
        row_heading: "Distance",
        labels: &[
            "Under 5 miles",
            "5 to 10 miles",
            "10 to 20 miles",
            "20 to 50 miles",
            "50 miles or more",
            "Not known",
        ],
        classify: |_, c| histogram_bin(c.placement.distance),
        note: None,
    },
];

fn counts_by(history: &History, bd: &Breakdown, counted: &[Counted<'_>]) -> Vec<u64> {
    let mut counts = vec![0u64; bd.labels.len()];
    for c in counted {
        counts[(bd.classify)(history, c).min(bd.labels.len() - 1)] += 1;
    }
    counts
}

/// `bd` as at the day: one row per category and a total, with the number and the percentage.
pub fn breakdown_table(history: &History, bd: &Breakdown, counted: &[Counted<'_>], as_at: Date) -> Table {
    let mut t = Table::new(bd.id, format!("{} on {}", bd.title, date_label(as_at)), bd.row_heading)
        .columns(vec![Column::count("Number"), Column::share_of_total("Percentage", 0)]);
    for (label, n) in bd.labels.iter().zip(counts_by(history, bd, counted)) {
        t.push_row(*label, vec![Value::Count(n), Value::NotApplicable]);
    }
    let mut t = t.with_total_row("All children looked after", |v| v.to_vec()).fill_shares();
    if let Some(note) = bd.note {
        t = t.note(note);
    }
    t
}

/// `bd` on each trend date: one row per date, one column per category and the total. Dates before
/// the records begin are "x" (not available).
pub fn breakdown_trend(history: &History, bd: &Breakdown, censuses: &[(Date, Option<Vec<Counted<'_>>>)]) -> Table {
    let mut columns: Vec<Column> = bd.labels.iter().map(|l| Column::count(*l)).collect();
    columns.push(Column::count("All children looked after"));
    let total = columns.len() - 1;
    let mut t =
        Table::new(format!("{}_trend", bd.id), format!("{}: five-year trend", bd.title), "Date").columns(columns).note(
            "Children looked after on each 31 March, and on the day asked for. x: before the portal's records begin.",
        );
    for (day, census) in censuses {
        let values = match census {
            Some(c) => {
                let counts = counts_by(history, bd, c);
                let sum = counts.iter().sum();
                counts.into_iter().map(Value::Count).chain([Value::Count(sum)]).collect()
            }
            None => vec![Value::NotAvailable; total + 1],
        };
        t.push_row(date_label(*day), values);
    }
    let parts: Vec<usize> = (0..total).collect();
    let available: Vec<usize> = censuses.iter().enumerate().filter(|(_, (_, c))| c.is_some()).map(|(i, _)| i).collect();
    t.sums = available
        .iter()
        .map(|&i| crate::table::Sum { total: (i, total), parts: parts.iter().map(|&j| (i, j)).collect() })
        .collect();
    t
}

/// The population (children under 18) of the scope for a 31 March in `year_ending`.
fn population(history: &History, scope: Scope, year_ending: i16) -> Option<u64> {
    match scope {
        Scope::Council(la) => history.council(la).and_then(|c| c.population_for(year_ending)).map(u64::from),
        Scope::Region => {
            history.councils.iter().map(|c| c.population_for(year_ending).map(u64::from)).sum::<Option<u64>>()
        }
    }
}

/// The year ending 31 March that `day` falls in, as DfE names years (1 April 2025 to 31 March 2026 is 2026).
pub fn year_ending(day: Date) -> i16 {
    if (day.month(), day.day()) <= (3, 31) { day.year() } else { day.year() + 1 }
}

fn rate(count: u64, population: Option<u64>) -> Value {
    match population {
        Some(p) if p > 0 => Value::Number(count as f64 * 10_000.0 / p as f64),
        _ => Value::NotAvailable,
    }
}

/// Children looked after and the rate per 10,000 children: one row per council for the region (with
/// the region's total), one row for a council.
pub fn headline(history: &History, q: &Query, counted: &[Counted<'_>]) -> Table {
    let year = year_ending(q.as_at);
    let mut t =
        Table::new("children_looked_after", format!("Children looked after on {}", date_label(q.as_at)), "Council")
            .columns(vec![
                Column::count("Children looked after"),
                Column::public("Children under 18 in the area"),
                Column::measure("Rate per 10,000 children", 0),
            ])
            .note("Population: ONS mid-year estimates of children under 18, as DfE uses them for its rates.");
    let councils: Vec<_> = history.councils.iter().filter(|c| q.scope.includes(c.la_code)).collect();
    for c in &councils {
        let n = counted.iter().filter(|k| history.children[k.child as usize].la_code == c.la_code).count() as u64;
        let pop = c.population_for(year).map(u64::from);
        t.push_row(c.name.clone(), vec![Value::Count(n), pop.map_or(Value::NotAvailable, Value::Count), rate(n, pop)]);
    }
    if counted.is_empty() {
        t = t.note(
            "No children of this council were looked after on this day: every count is 0 and no percentage is given (z). \
             Population: ONS mid-year estimates of children under 18, as DfE uses them for its rates.",
        );
    }
    if q.scope == Scope::Region {
        let pop = population(history, q.scope, year);
        t = t.with_total_row("All councils", |v| {
            let n = v[0].count().unwrap_or(0);
            vec![v[0], v[1], rate(n, pop)]
        });
    }
    t
}

/// Children looked after and the rate on each trend date.
pub fn headline_trend(history: &History, q: &Query, censuses: &[(Date, Option<Vec<Counted<'_>>>)]) -> Table {
    let mut t = Table::new("children_looked_after_trend", "Children looked after: five-year trend", "Date")
        .columns(vec![Column::count("Children looked after"), Column::measure("Rate per 10,000 children", 0)])
        .note("On each 31 March, and on the day asked for. x: before the portal's records begin.");
    for (day, census) in censuses {
        let values = match census {
            Some(c) => {
                let n = c.len() as u64;
                vec![Value::Count(n), rate(n, population(history, q.scope, year_ending(*day)))]
            }
            None => vec![Value::NotAvailable; 2],
        };
        t.push_row(date_label(*day), values);
    }
    t
}

/// Every trend date's census (`None` before the records begin).
pub fn censuses<'h>(history: &'h History, q: &Query) -> Vec<(Date, Option<Vec<Counted<'h>>>)> {
    q.trend_dates()
        .into_iter()
        .map(|d| (d, (d >= history.records_from).then(|| looked_after_on(history, q.scope, d))))
        .collect()
}
