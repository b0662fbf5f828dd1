//! The market, live from the portal: referrals and what became of them, offers, declines, the unmet
//! demand commissioners must commission for, vacancies against demand, block beds, costs and shares.

use crate::model::{History, ReferralRecord};
use crate::query::{Query, Scope, date_label, days_between};
use crate::statutory::{GROUP_LABELS, group_index, year_ending};
use crate::table::{Column, Table, Value};
use hearth_domain::PlacementGroup;
use hearth_domain::child::AgeBand;
use hearth_domain::contract::ContractTier;
use hearth_domain::home::{HomeKind, Judgement};
use hearth_domain::offer::DeclineReason;
use hearth_domain::referral::{Need, ReferralStatus, Urgency};
use jiff::Timestamp;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// The first moment of `day` in England (where every council using Hearth is).
fn start_of(day: Date) -> Timestamp {
    let tz = jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC);
    tz.to_timestamp(day.at(0, 0, 0, 0)).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The scope's referrals made in the period (drafts are not demand: nobody has asked for a home yet),
/// with their index.
pub fn referrals_in<'h>(history: &'h History, q: &Query) -> Vec<(u32, &'h ReferralRecord)> {
    let (from, to) = (start_of(q.from), start_of(q.as_at.tomorrow().unwrap_or(q.as_at)));
    history
        .referrals_made_between(from, to)
        .iter()
        .map(|&i| (i, &history.referrals[i as usize]))
        .filter(|(_, r)| r.status != ReferralStatus::Draft && q.scope.includes(r.la_code))
        .collect()
}

fn period(q: &Query) -> String {
    format!("{} to {}", date_label(q.from), date_label(q.as_at))
}

/// The placement type a referral sought: what the form asked for, else the kind of home first offered.
pub fn sought(history: &History, i: u32, r: &ReferralRecord) -> Option<PlacementGroup> {
    r.sought.or_else(|| {
        history.offers_of(i).first().and_then(|o| history.homes.get(o.home as usize)).map(|h| kind_group(h.kind))
    })
}

pub fn kind_group(kind: HomeKind) -> PlacementGroup {
    kind.placement_type(false).group()
}

const STATUSES: [(ReferralStatus, &str); 4] = [
    (ReferralStatus::Placed, "Placed"),
    (ReferralStatus::Unmet, "Unmet"),
    (ReferralStatus::Withdrawn, "Withdrawn"),
    (ReferralStatus::Open, "Still open"),
];

fn status_column(s: ReferralStatus) -> usize {
    match s {
        ReferralStatus::Placed => 0,
        ReferralStatus::Unmet => 1,
        ReferralStatus::Withdrawn => 2,
        _ => 3,
    }
}

/// Referrals by urgency and what became of them (their status today).
pub fn by_urgency(refs: &[(u32, &ReferralRecord)], q: &Query) -> Table {
    let mut columns = vec![Column::count("Referrals")];
    columns.extend(STATUSES.iter().map(|(_, l)| Column::count(*l)));
    let mut t = Table::new("referrals_by_urgency", format!("Referrals by urgency, {}", period(q)), "Urgency")
        .columns(columns)
        .note("Referrals made in the period, with what has become of them by today.");
    for u in Urgency::ALL {
        let mut counts = [0u64; 4];
        for (_, r) in refs.iter().filter(|(_, r)| r.urgency == *u) {
            counts[status_column(r.status)] += 1;
        }
        let mut values = vec![Value::Count(counts.iter().sum())];
        values.extend(counts.map(Value::Count));
        t.push_row(u.label(), values);
    }
    t.with_total_row("All referrals", |v| v.to_vec()).with_column_total(0, &[1, 2, 3, 4])
}

/// Referrals by the needs they name (a referral naming several is counted under each).
pub fn by_need(refs: &[(u32, &ReferralRecord)], q: &Query) -> Table {
    let mut t = Table::new("referrals_by_need", format!("Referrals by need, {}", period(q)), "Need")
        .columns(vec![
            Column::count("Referrals"),
            Column::count("Placed"),
            Column::count("Unmet"),
            Column::share_of_column("Unmet (%)", 2, 0),
        ])
        .note("A referral naming several needs is counted under each, so the rows do not add up to a total.");
    let mut c = vec![[0u64; 3]; Need::ALL.len()];
    for (_, r) in refs {
        for need in &r.needs {
            if let Some(k) = Need::ALL.iter().position(|x| x == need) {
                c[k][0] += 1;
                c[k][1] += u64::from(r.status == ReferralStatus::Placed);
                c[k][2] += u64::from(r.status == ReferralStatus::Unmet);
            }
        }
    }
    for (need, [n, placed, unmet]) in Need::ALL.iter().zip(c) {
        t.push_row(
            need.label(),
            vec![Value::Count(n), Value::Count(placed), Value::Count(unmet), Value::NotApplicable],
        );
    }
    t.fill_shares()
}

/// How many offers each referral had.
pub fn offers_per_referral(history: &History, refs: &[(u32, &ReferralRecord)], q: &Query) -> Table {
    const LABELS: [&str; 6] = ["No offers", "1 offer", "2 offers", "3 offers", "4 offers", "5 offers or more"];
    let mut counts = [0u64; 6];
    let mut offers = 0u64;
    for (i, _) in refs {
        let n = history.offers_of(*i).len();
        offers += n as u64;
        counts[n.min(5)] += 1;
    }
    let mut t = Table::new("offers_per_referral", format!("Offers per referral, {}", period(q)), "Offers")
        .columns(vec![Column::count("Referrals"), Column::share_of_total("Percentage", 0)]);
    for (label, n) in LABELS.iter().zip(counts) {
        t.push_row(*label, vec![Value::Count(n), Value::NotApplicable]);
    }
    let total = refs.len() as u64;
    let mean = if total == 0 { "no referrals".to_owned() } else { format!("{:.1}", offers as f64 / total as f64) };
    t.with_total_row("All referrals", |v| v.to_vec())
        .fill_shares()
        .note(format!("Offers per referral on average: {mean}."))
}

/// The middle value (the mean of the two middle ones for an even count), found in linear time: the
/// region's million referrals make a full sort the dashboard's slowest step.
fn median(xs: &mut [f64]) -> Option<f64> {
    let n = xs.len();
    if n == 0 {
        return None;
    }
    let (_, upper, _) = xs.select_nth_unstable_by(n / 2, f64::total_cmp);
    let upper = *upper;
    if n % 2 == 1 {
        return Some(upper);
    }
    let lower = xs[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some((lower + upper) / 2.0)
}

fn number(x: Option<f64>) -> Value {
    x.map_or(Value::NotAvailable, Value::Number)
}

/// Time from sending to the first offer, and from referral to placement, by urgency.
pub fn response_times(history: &History, refs: &[(u32, &ReferralRecord)], q: &Query) -> Table {
    let mut t = Table::new("response_times", format!("Time to first offer and to placement, {}", period(q)), "Urgency")
        .columns(vec![
            Column::count("Referrals with an offer"),
            Column::measure("Median hours to first offer", 0),
            Column::count("Referrals placed"),
            Column::measure("Median days to placement", 2),
        ])
        .note("Hours from the referral's first sending to providers (or its making, if never sent) to its first offer; days from the referral's making to its placement.");
    let mut all = (Vec::new(), Vec::new());
    for u in Urgency::ALL {
        let (mut hours, mut days) = (Vec::new(), Vec::new());
        for (i, r) in refs.iter().filter(|(_, r)| r.urgency == *u) {
            if let Some(first) = history.offers_of(*i).first() {
                let sent = r.first_sent_at.unwrap_or(r.created_at);
                hours.push(first.made_at.duration_since(sent).as_secs_f64().max(0.0) / 3600.0);
            }
            if r.status == ReferralStatus::Placed
                && let Some(closed) = r.closed_at
            {
                days.push(closed.duration_since(r.created_at).as_secs_f64().max(0.0) / 86_400.0);
            }
        }
        let (n_hours, n_days) = (hours.len() as u64, days.len() as u64);
        let (mid_hours, mid_days) = (median(&mut hours), median(&mut days));
        t.push_row(u.label(), vec![Value::Count(n_hours), number(mid_hours), Value::Count(n_days), number(mid_days)]);
        all.0.extend(hours);
        all.1.extend(days);
    }
    let (mid_hours, mid_days) = (median(&mut all.0), median(&mut all.1));
    t.with_total_row("All referrals", |v| vec![v[0], number(mid_hours), v[2], number(mid_days)])
}

/// Why providers declined the period's referrals.
pub fn decline_reasons(history: &History, refs: &[(u32, &ReferralRecord)], q: &Query) -> Table {
    let mut counts = vec![0u64; DeclineReason::ALL.len()];
    for (i, _) in refs {
        for d in history.declines_of(*i) {
            counts[DeclineReason::ALL.iter().position(|r| *r == d.reason).unwrap_or(0)] += 1;
        }
    }
    let mut t = Table::new("decline_reasons", format!("Why providers declined, {}", period(q)), "Reason")
        .columns(vec![Column::count("Declines"), Column::share_of_total("Percentage", 0)]);
    for (reason, n) in DeclineReason::ALL.iter().zip(counts) {
        t.push_row(reason.label(), vec![Value::Count(n), Value::NotApplicable]);
    }
    t.with_total_row("All declines", |v| v.to_vec()).fill_shares()
}

fn unmet_columns() -> Vec<Column> {
    vec![Column::count("Referrals"), Column::count("Unmet"), Column::share_of_column("Unmet (%)", 1, 0)]
}

/// Unmet demand (referrals that ended with no acceptable offer) split by `key`, a category index
/// into `labels`; `total` adds a total row (where a referral falls in one category only).
fn unmet_by(
    refs: &[(u32, &ReferralRecord)],
    id: &str,
    title: String,
    row_heading: &str,
    labels: &[String],
    key: impl Fn(u32, &ReferralRecord, &mut Vec<usize>),
    total: bool,
) -> Table {
    let mut c = vec![(0u64, 0u64); labels.len()];
    // One buffer for every referral's categories: a million small allocations cost more than the count.
    let mut keys = Vec::new();
    for (i, r) in refs {
        keys.clear();
        key(*i, r, &mut keys);
        for &k in &keys {
            if let Some(slot) = c.get_mut(k) {
                slot.0 += 1;
                slot.1 += u64::from(r.status == ReferralStatus::Unmet);
            }
        }
    }
    let mut t = Table::new(id, title, row_heading).columns(unmet_columns());
    for (label, (n, unmet)) in labels.iter().zip(c) {
        t.push_row(label.clone(), vec![Value::Count(n), Value::Count(unmet), Value::NotApplicable]);
    }
    if total { t.with_total_row("All referrals", |v| v.to_vec()).fill_shares() } else { t.fill_shares() }
}

fn labels(xs: &[&str]) -> Vec<String> {
    xs.iter().map(|s| (*s).to_owned()).collect()
}

/// The four views of unmet demand: by need, age, area and the placement type sought.
pub fn unmet_demand(history: &History, refs: &[(u32, &ReferralRecord)], q: &Query) -> Vec<Table> {
    let p = period(q);
    let need_labels: Vec<String> = Need::ALL.iter().map(|n| n.label().to_owned()).collect();
    let by_need = unmet_by(
        refs,
        "unmet_by_need",
        format!("Unmet demand by need, {p}"),
        "Need",
        &need_labels,
        |_, r, out| out.extend(r.needs.iter().filter_map(|n| Need::ALL.iter().position(|x| x == n))),
        false,
    )
    .note("Unmet: the referral ended with no acceptable offer. A referral naming several needs is counted under each.");
    let by_age = unmet_by(
        refs,
        "unmet_by_age",
        format!("Unmet demand by age, {p}"),
        "Age on the day needed",
        &labels(&["Under 1 year", "1 to 4 years", "5 to 9 years", "10 to 15 years", "16 years and over"]),
        |_, r, out| out.push(AgeBand::ALL.iter().position(|b| *b == AgeBand::of_age(r.age)).unwrap_or(0)),
        true,
    );
    let mut area_labels: Vec<String> = history.councils.iter().map(|c| c.name.clone()).collect();
    area_labels.push("Outside the portal's councils".into());
    let by_area = unmet_by(
        refs,
        "unmet_by_area",
        format!("Unmet demand by the area the home was wanted in, {p}"),
        "Area",
        &area_labels,
        |_, r, out| {
            out.push(history.councils.iter().position(|c| c.la_code == r.area_la).unwrap_or(history.councils.len()))
        },
        true,
    );
    let mut type_labels = labels(&GROUP_LABELS);
    type_labels.push("Not recorded".into());
    let by_type = unmet_by(
        refs,
        "unmet_by_type",
        format!("Unmet demand by placement type sought, {p}"),
        "Placement type sought",
        &type_labels,
        |i, r, out| out.push(sought(history, i, r).map_or(GROUP_LABELS.len(), group_index)),
        true,
    )
    .note("The type the referral asked for, or else the kind of home first offered.");
    vec![by_need, by_age, by_area, by_type]
}

/// Places free now against live and unmet demand, by placement type, in the scope's area.
pub fn vacancies_against_demand(history: &History, refs: &[(u32, &ReferralRecord)], q: &Query) -> Table {
    let n = GROUP_LABELS.len();
    let (mut places, mut homes, mut live, mut unmet) = (vec![0u64; n], vec![0u64; n], vec![0u64; n], vec![0u64; n]);
    let in_area = |la: Option<u16>| match q.scope {
        Scope::Council(own) => la == Some(own),
        Scope::Region => true,
    };
    let mut counted_home = vec![false; history.homes.len()];
    for v in &history.vacancies {
        let Some(h) = history.homes.get(v.home as usize) else { continue };
        if h.active && v.places > 0 && in_area(h.la_code) {
            let g = group_index(kind_group(h.kind));
            places[g] += u64::from(v.places);
            if !std::mem::replace(&mut counted_home[v.home as usize], true) {
                homes[g] += 1;
            }
        }
    }
    for (i, r) in history.referrals.iter().enumerate() {
        if r.is_live() && in_area(Some(r.area_la)) {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            live[sought(history, i, r).map_or(n - 1, group_index)] += 1;
        }
    }
    for (i, r) in refs.iter().filter(|(_, r)| r.status == ReferralStatus::Unmet) {
        unmet[sought(history, *i, r).map_or(n - 1, group_index)] += 1;
    }
    let mut t = Table::new(
        "vacancies_against_demand",
        format!("Places free today against demand, by placement type (unmet: {})", period(q)),
        "Placement type",
    )
    .columns(vec![
        Column::public("Places free today"),
        Column::public("Homes with a place free"),
        Column::count("Referrals looking for a home today"),
        Column::count("Unmet referrals in the period"),
    ])
    .note(
        "Places and homes in the area (the council's, or the region's); referrals by the area the home is wanted in.",
    );
    for g in 0..n {
        t.push_row(
            GROUP_LABELS[g],
            vec![Value::Count(places[g]), Value::Count(homes[g]), Value::Count(live[g]), Value::Count(unmet[g])],
        );
    }
    t.with_total_row("All placement types", |v| v.to_vec())
}

/// Block contracts in force on the day: beds bought against the council's children living with the
/// provider under a block placement.
pub fn block_occupancy(history: &History, q: &Query) -> Table {
    let mut t = Table::new(
        "block_occupancy",
        format!("Block contracts: beds and children on {}", date_label(q.as_at)),
        "Contract",
    )
    .columns(vec![
        Column::public("Beds bought"),
        Column::count("Children placed under the contract"),
        Column::measure("Occupancy (%)", 1),
    ])
    .note("Children of the contract's council in the provider's homes under a block placement on the day.");
    let mut occupied: BTreeMap<(u16, u32), u64> = BTreeMap::new();
    for p in history.placements.iter().filter(|p| p.tier == Some(ContractTier::Block) && p.is_open_on(q.as_at)) {
        if let Some(org) = p.provider_org {
            *occupied.entry((history.children[p.child as usize].la_code, org)).or_default() += 1;
        }
    }
    for c in history.contracts.iter().filter(|c| {
        c.tier == ContractTier::Block && c.block_beds > 0 && c.in_force(q.as_at) && q.scope.includes(c.la_code)
    }) {
        let n = occupied.get(&(c.la_code, c.provider)).copied().unwrap_or(0);
        let provider = history.providers.get(c.provider as usize).map_or("Provider", |p| p.name.as_str());
        let label = match q.scope {
            Scope::Region => {
                format!("{}: {provider}", history.council(c.la_code).map_or("Council", |x| x.name.as_str()))
            }
            Scope::Council(_) => provider.to_owned(),
        };
        let pct = Value::Number(n as f64 * 100.0 / f64::from(c.block_beds));
        t.push_row(label, vec![Value::Count(u64::from(c.block_beds)), Value::Count(n), pct]);
    }
    t.with_total_row("All block contracts", |v| {
        let (beds, n) = (v[0].count().unwrap_or(0), v[1].count().unwrap_or(0));
        vec![v[0], v[1], if beds == 0 { Value::NotApplicable } else { Value::Number(n as f64 * 100.0 / beds as f64) }]
    })
}

/// Weeks in a year, for annual costs from weekly ones.
const WEEKS_PER_YEAR: f64 = 365.25 / 7.0;

fn pounds(x: f64) -> Value {
    Value::Pounds(x.round().max(0.0) as u64)
}

/// The cost of placements open on the day, by placement type and contract tier, and what they cost
/// over the period: the finance table of a sufficiency strategy, live.
pub fn costs(history: &History, q: &Query) -> Table {
    const TIERS: [(Option<ContractTier>, &str); 5] = [
        (Some(ContractTier::InHouse), "in-house"),
        (Some(ContractTier::Block), "block contract"),
        (Some(ContractTier::Framework), "framework"),
        (Some(ContractTier::Spot), "spot purchase"),
        (None, "no contract recorded"),
    ];
    // (children, sum of weekly costs, spend over the period)
    let mut cells: BTreeMap<(usize, usize), (u64, f64, f64)> = BTreeMap::new();
    for p in &history.placements {
        let Some(cost) = p.weekly_cost else { continue };
        if p.start > q.as_at || p.end.is_some_and(|e| e <= q.from) {
            continue;
        }
        if !q.scope.includes(history.children[p.child as usize].la_code) {
            continue;
        }
        let overlap_from = p.start.max(q.from);
        let overlap_to = p.end.map_or(q.as_at, |e| e.min(q.as_at.tomorrow().unwrap_or(q.as_at)));
        let nights = days_between(overlap_from, overlap_to).max(0);
        let open = p.is_open_on(q.as_at);
        if nights == 0 && !open {
            continue;
        }
        let key = (group_index(p.group()), TIERS.iter().position(|(t, _)| *t == p.tier).unwrap_or(4));
        let e = cells.entry(key).or_default();
        if open {
            e.0 += 1;
            e.1 += f64::from(cost);
        }
        e.2 += f64::from(cost) * nights as f64 / 7.0;
    }
    let mut t = Table::new(
        "costs",
        format!("Costs by placement type and tier on {}, and spend {}", date_label(q.as_at), period(q)),
        "Placement type and tier",
    )
    .columns(vec![
        Column::count("Children placed on the day"),
        Column::measure("Average weekly cost", 0),
        Column::measure("Average annual cost", 0),
        Column::measure("Spend in the period", 0),
    ])
    .note("Weekly costs as agreed for each placement. Annual cost: the weekly cost over 52.18 weeks. Spend: each placement's weekly cost for the nights of the period it lasted.");
    let (mut sum_cost, mut sum_spend) = (0.0, 0.0);
    for ((g, tier), (n, cost, spend)) in &cells {
        let avg = if *n == 0 { None } else { Some(cost / *n as f64) };
        t.push_row(
            format!("{}, {}", GROUP_LABELS[*g], TIERS[*tier].1),
            vec![
                Value::Count(*n),
                avg.map_or(Value::NotAvailable, pounds),
                avg.map_or(Value::NotAvailable, |a| pounds(a * WEEKS_PER_YEAR)),
                pounds(*spend),
            ],
        );
        sum_cost += cost;
        sum_spend += spend;
    }
    t.with_total_row("All placements with a cost", |v| {
        let n = v[0].count().unwrap_or(0);
        let avg = (n > 0).then(|| sum_cost / n as f64);
        vec![
            v[0],
            avg.map_or(Value::NotAvailable, pounds),
            avg.map_or(Value::NotAvailable, |a| pounds(a * WEEKS_PER_YEAR)),
            pounds(sum_spend),
        ]
    })
}

/// The average weekly cost of new placements by year, for the main placement types.
pub fn price_trend(history: &History, q: &Query) -> Table {
    const TYPES: [PlacementGroup; 3] =
        [PlacementGroup::Foster, PlacementGroup::ChildrensHomes, PlacementGroup::SupportedAccommodation];
    let last = year_ending(q.as_at);
    let years: Vec<i16> = (last - 4..=last).collect();
    let mut columns = Vec::new();
    for g in TYPES {
        columns.push(Column::count(format!("{}: new placements", GROUP_LABELS[group_index(g)])));
        let of = columns.len() - 1;
        columns.push(Column::measure(format!("{}: average weekly cost", GROUP_LABELS[group_index(g)]), of));
    }
    let mut t = Table::new("price_trend", "Weekly cost of new placements: five-year trend", "Year")
        .columns(columns)
        .note("Placements that began in each year to 31 March (the latest year so far), with a cost recorded. x: before the portal's records begin.");
    // (count, sum of weekly costs) by year (oldest first) and type: an array, as this reads every placement.
    let mut sums = [[(0u64, 0.0f64); TYPES.len()]; 5];
    let (first_day, first_year) = (jiff::civil::Date::new(last - 5, 4, 1).unwrap_or(q.as_at), last - 4);
    for p in &history.placements {
        if p.start > q.as_at || p.start < first_day {
            continue;
        }
        let (Some(cost), Some(ti)) = (p.weekly_cost, TYPES.iter().position(|g| *g == p.group())) else { continue };
        if !q.scope.includes(history.children[p.child as usize].la_code) {
            continue;
        }
        let e = &mut sums[usize::try_from(year_ending(p.start) - first_year).unwrap_or(0).min(4)][ti];
        e.0 += 1;
        e.1 += f64::from(cost);
    }
    let records_year = year_ending(history.records_from);
    for y in years {
        let label = format!("April {} to March {y}", y - 1);
        if y < records_year {
            t.push_row(label, vec![Value::NotAvailable; TYPES.len() * 2]);
            continue;
        }
        let mut values = Vec::new();
        for &(n, sum) in &sums[usize::try_from(y - first_year).unwrap_or(0).min(4)] {
            values.push(Value::Count(n));
            values.push(if n == 0 { Value::NotAvailable } else { pounds(sum / n as f64) });
        }
        t.push_row(label, values);
    }
    t
}

/// The `n` providers with the most weight, by name, then the rest together as "Other providers",
/// then placements in no home Hearth lists.
pub fn top_providers<V: Copy>(
    history: &History,
    mut items: Vec<(Option<u32>, V)>,
    weight: impl Fn(&V) -> u64,
    n: usize,
    zero: V,
    add: impl Fn(V, V) -> V,
) -> Vec<(String, V)> {
    let unlisted = items.iter().position(|(p, _)| p.is_none()).map(|i| items.remove(i).1);
    items.sort_by(|a, b| weight(&b.1).cmp(&weight(&a.1)).then(a.0.cmp(&b.0)));
    let mut out: Vec<(String, V)> = Vec::new();
    let mut rest = None;
    for (k, (p, v)) in items.into_iter().enumerate() {
        if k < n {
            let name = p.and_then(|p| history.providers.get(p as usize)).map_or("Provider", |x| x.name.as_str());
            out.push((name.to_owned(), v));
        } else {
            rest = Some(add(rest.unwrap_or(zero), v));
        }
    }
    if let Some(r) = rest {
        out.push(("Other providers".into(), r));
    }
    if let Some(u) = unlisted {
        out.push(("Not in a home Hearth lists (with parents, hospital, custody...)".into(), u));
    }
    out
}

/// Children placed on the day by provider: the ten largest, the rest, and the total.
pub fn market_share(history: &History, q: &Query) -> Table {
    let mut by: BTreeMap<Option<u32>, (u64, f64)> = BTreeMap::new();
    for p in history.placements.iter().filter(|p| p.is_open_on(q.as_at)) {
        if !q.scope.includes(history.children[p.child as usize].la_code) {
            continue;
        }
        let e = by.entry(p.provider_org).or_default();
        e.0 += 1;
        e.1 += f64::from(p.weekly_cost.unwrap_or(0));
    }
    let mut t = Table::new("market_share", format!("Market share by provider on {}", date_label(q.as_at)), "Provider")
        .columns(vec![
            Column::count("Children placed"),
            Column::share_of_total("Share (%)", 0),
            Column::measure("Weekly spend", 0),
        ])
        .note("Every placement open on the day, by the organisation running the home (the council's own service included).");
    for (label, (n, spend)) in
        top_providers(history, by.into_iter().collect(), |v| v.0, 10, (0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1))
    {
        t.push_row(label, vec![Value::Count(n), Value::NotApplicable, pounds(spend)]);
    }
    let total_spend: f64 = t
        .rows
        .iter()
        .filter_map(|r| match r.values[2] {
            Value::Pounds(p) => Some(p as f64),
            _ => None,
        })
        .sum();
    t.with_total_row("All providers", |v| vec![v[0], Value::NotApplicable, pounds(total_spend)]).fill_shares()
}

/// Registered homes in the area by Ofsted's latest judgement, with their places.
pub fn homes_by_judgement(history: &History, q: &Query) -> Table {
    const J: [Option<Judgement>; 5] = [
        Some(Judgement::Outstanding),
        Some(Judgement::Good),
        Some(Judgement::RequiresImprovement),
        Some(Judgement::Inadequate),
        None,
    ];
    let mut c = [(0u64, 0u64); 5];
    for h in history.homes.iter().filter(|h| h.active && h.kind.requires_ofsted_registration()) {
        let in_area = match q.scope {
            Scope::Council(own) => h.la_code == Some(own),
            Scope::Region => h.la_code.is_some(),
        };
        if in_area {
            let k = J.iter().position(|j| *j == h.judgement).unwrap_or(4);
            c[k].0 += 1;
            c[k].1 += u64::from(h.places);
        }
    }
    let mut t = Table::new("homes_by_judgement", "Registered homes in the area by Ofsted judgement", "Ofsted judgement")
        .columns(vec![Column::public("Homes"), Column::public("Places")])
        .note("Active children's homes, residential special schools, secure children's homes and supported accommodation in the area, by their latest Ofsted judgement.");
    for (j, (homes, places)) in J.iter().zip(c) {
        t.push_row(j.map_or("Not yet judged", |j| j.label()), vec![Value::Count(homes), Value::Count(places)]);
    }
    t.with_total_row("All registered homes", |v| v.to_vec())
}
