//! Stability: DfE's two measures (three or more placements in the year; long-term children in the
//! same placement for two years) and unplanned endings by placement type and by provider.

use crate::model::{History, PlacementRecord};
use crate::query::{Query, date_label};
use crate::statutory::{Counted, GROUP_LABELS, group_index};
use crate::table::{Column, Table, Value};
use hearth_domain::PlacementGroup;
use jiff::ToSpan;
use jiff::civil::Date;

/// Placements (not temporary ones: holidays, hospital, respite) the child lived in at some time in the
/// year `from..=to`.
fn placements_in_year(history: &History, child: u32, from: Date, to: Date) -> usize {
    history
        .placements_of(child)
        .iter()
        .filter(|p| !p.placement_type.is_temporary() && p.start <= to && p.end.is_none_or(|e| e > from))
        .count()
}

/// When the child's current carer began caring for them: the placement's start, taken back over
/// changes that kept the same carer (a change of status only, such as short-term fostering becoming
/// long-term) and, for a child placed for adoption, over the placement before it, as DfE's
/// long-term measure allows.
fn with_carer_since(history: &History, child: u32, current: &PlacementRecord) -> Date {
    let list = history.placements_of(child);
    let mut since = current.start;
    let mut adoption = current.group() == PlacementGroup::PlacedForAdoption;
    let mut idx = list.iter().position(|p| std::ptr::eq(p, current)).unwrap_or(0);
    while idx > 0 {
        let prev = &list[idx - 1];
        let touches = prev.end == Some(since);
        let same_carer = prev.reason_change == Some(hearth_domain::ReasonPlaceChange::Place);
        if !(touches && (same_carer || adoption)) {
            break;
        }
        // Adoption joins one placement before it, not a whole chain.
        adoption = false;
        since = prev.start;
        idx -= 1;
    }
    since
}

/// The counts behind DfE's two measures for children looked after on `day`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Measures {
    pub looked_after: u64,
    pub three_or_more: u64,
    pub long_term_cohort: u64,
    pub long_term_same_placement: u64,
}

/// DfE's measures on `day` over `counted` (the children looked after that day).
pub fn measures(history: &History, counted: &[Counted<'_>], day: Date) -> Measures {
    let year_start = crate::query::default_from(day);
    let two_years = day.checked_sub(2.years()).unwrap_or(day);
    let two_and_a_half = day.checked_sub(30.months()).unwrap_or(day);
    let mut m = Measures::default();
    for c in counted {
        m.looked_after += 1;
        if placements_in_year(history, c.child, year_start, day) >= 3 {
            m.three_or_more += 1;
        }
        let child = &history.children[c.child as usize];
        if c.age < 16 && child.looked_after_since <= two_and_a_half {
            m.long_term_cohort += 1;
            if with_carer_since(history, c.child, c.placement) <= two_years {
                m.long_term_same_placement += 1;
            }
        }
    }
    m
}

fn measure_rows(t: &mut Table, m: &Measures) {
    t.push_row(
        "Children with 3 or more placements during the year",
        vec![Value::Count(m.three_or_more), Value::Count(m.looked_after), Value::NotApplicable],
    );
    t.push_row(
        "Children looked after for 2.5 years or more, under 16, living in the same placement for 2 years or more",
        vec![Value::Count(m.long_term_same_placement), Value::Count(m.long_term_cohort), Value::NotApplicable],
    );
}

/// DfE's two measures as at the day.
pub fn stability_table(history: &History, q: &Query, counted: &[Counted<'_>]) -> Table {
    let m = measures(history, counted, q.as_at);
    let mut t = Table::new("stability", format!("Placement stability on {}", date_label(q.as_at)), "Measure")
        .columns(vec![
            Column::count("Children"),
            Column::count("Of children"),
            Column::share_of_column("Percentage", 0, 1),
        ])
        .note(
            "DfE's measures. 3 or more placements: of the children looked after on the day, those who lived in three \
             or more placements in the year up to it (temporary placements not counted). Long-term: children under 16 \
             looked after for at least 2.5 years, living with the same carer for at least 2 years (a change of \
             placement status with the same carer, or a placement for adoption with the carer before, counts as one).",
        );
    measure_rows(&mut t, &m);
    t.fill_shares()
}

/// The two measures' percentages on each trend date.
pub fn stability_trend(history: &History, censuses: &[(Date, Option<Vec<Counted<'_>>>)]) -> Table {
    let mut t = Table::new("stability_trend", "Placement stability: five-year trend", "Date")
        .columns(vec![
            Column::count("Children with 3 or more placements"),
            Column::count("Children looked after"),
            Column::share_of_column("3 or more placements (%)", 0, 1),
            Column::count("Long-term children in the same placement 2+ years"),
            Column::count("Long-term children"),
            Column::share_of_column("Same placement 2+ years (%)", 3, 4),
        ])
        .note("On each 31 March, and on the day asked for. x: before the portal's records begin.");
    for (day, census) in censuses {
        let values = match census {
            Some(c) => {
                let m = measures(history, c, *day);
                vec![
                    Value::Count(m.three_or_more),
                    Value::Count(m.looked_after),
                    Value::NotApplicable,
                    Value::Count(m.long_term_same_placement),
                    Value::Count(m.long_term_cohort),
                    Value::NotApplicable,
                ]
            }
            None => vec![Value::NotAvailable; 6],
        };
        t.push_row(date_label(*day), values);
    }
    let mut t = t.fill_shares();
    // Rows before the records stay "x", not "z".
    for (i, (_, census)) in censuses.iter().enumerate() {
        if census.is_none() {
            t.rows[i].values = vec![Value::NotAvailable; 6];
        }
    }
    t
}

/// Placements of the scope's children that ended in the period (not temporary ones), for the
/// unplanned-endings tables.
fn endings<'h>(history: &'h History, q: &Query) -> impl Iterator<Item = &'h PlacementRecord> {
    let (from, to) = (q.from, q.as_at);
    history.placements.iter().filter(move |p| {
        !p.placement_type.is_temporary()
            && p.end.is_some_and(|e| from <= e && e <= to)
            && q.scope.includes(history.children[p.child as usize].la_code)
    })
}

fn ending_columns() -> Vec<Column> {
    vec![
        Column::count("Placements ended"),
        Column::count("Unplanned endings"),
        Column::share_of_column("Unplanned (%)", 1, 0),
    ]
}

/// Unplanned endings in the period, by placement type.
pub fn unplanned_by_type(history: &History, q: &Query) -> Table {
    let mut ended = [0u64; 8];
    let mut unplanned = [0u64; 8];
    for p in endings(history, q) {
        let g = group_index(p.group());
        ended[g] += 1;
        unplanned[g] += u64::from(p.ended_unplanned());
    }
    let mut t = Table::new(
        "unplanned_endings_by_type",
        format!("Unplanned endings by placement type, {} to {}", date_label(q.from), date_label(q.as_at)),
        "Placement type",
    )
    .columns(ending_columns())
    .note("An ending is unplanned when it was recorded so, or its reason is one DfE counts as a disruption (an allegation, a standards concern, the carer's or the child's request, closure).");
    for g in 0..8 {
        t.push_row(GROUP_LABELS[g], vec![Value::Count(ended[g]), Value::Count(unplanned[g]), Value::NotApplicable]);
    }
    t.with_total_row("All placements", |v| v.to_vec()).fill_shares()
}

/// Unplanned endings in the period by the provider of the home: the ten with most endings, then the
/// rest together.
pub fn unplanned_by_provider(history: &History, q: &Query) -> Table {
    let mut by: std::collections::BTreeMap<Option<u32>, (u64, u64)> = std::collections::BTreeMap::new();
    for p in endings(history, q) {
        let e = by.entry(p.provider_org).or_default();
        e.0 += 1;
        e.1 += u64::from(p.ended_unplanned());
    }
    let mut t = Table::new(
        "unplanned_endings_by_provider",
        format!("Unplanned endings by provider, {} to {}", date_label(q.from), date_label(q.as_at)),
        "Provider",
    )
    .columns(ending_columns());
    let rows = crate::market::top_providers(
        history,
        by.into_iter().collect(),
        |v| v.0,
        10,
        (0, 0),
        |a, b| (a.0 + b.0, a.1 + b.1),
    );
    for (label, (ended, unplanned)) in rows {
        t.push_row(label, vec![Value::Count(ended), Value::Count(unplanned), Value::NotApplicable]);
    }
    t.with_total_row("All providers", |v| v.to_vec()).fill_shares()
}
