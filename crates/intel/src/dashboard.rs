//! A whole page of figures for one council or the region: every table in its section, with the
//! charts drawn from the tables. [`Dashboard::protected`] applies disclosure control to every table
//! and draws the charts again from what may be published.

use crate::chart::{self, Chart, Series, Unit};
use crate::disclosure;
use crate::model::History;
use crate::query::Query;
use crate::table::{Table, Value};
use crate::{market, stability, statutory};

#[derive(Debug, Clone)]
pub struct Section {
    pub id: &'static str,
    pub title: &'static str,
    pub tables: Vec<Table>,
    pub charts: Vec<Chart>,
}

#[derive(Debug, Clone)]
pub struct Dashboard {
    pub query: Query,
    /// The first day the portal's records cover (trend points before it are "x").
    pub records_from: jiff::civil::Date,
    pub sections: Vec<Section>,
    /// Whether disclosure control has been applied.
    pub protected: bool,
}

impl Dashboard {
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.sections.iter().flat_map(|s| s.tables.iter())
    }

    pub fn table(&self, id: &str) -> Option<&Table> {
        self.tables().find(|t| t.id == id)
    }

    /// The dashboard as it may leave the portal: every table protected, the charts redrawn from them.
    pub fn protected(mut self) -> Self {
        for s in &mut self.sections {
            s.tables = disclosure::protect_all(&s.tables);
            s.charts = charts_for(s.id, &s.tables);
        }
        self.protected = true;
        self
    }
}

/// The "as at" tables of the statutory picture and stability: children looked after on the day, by
/// every breakdown, and DfE's stability measures.
pub fn snapshot(history: &History, q: &Query) -> Vec<Table> {
    snapshot_of(history, q, &statutory::looked_after_on(history, q.scope, q.as_at))
}

fn snapshot_of(history: &History, q: &Query, counted: &[statutory::Counted<'_>]) -> Vec<Table> {
    let mut tables = vec![statutory::headline(history, q, counted)];
    tables.extend(statutory::BREAKDOWNS.iter().map(|bd| statutory::breakdown_table(history, bd, counted, q.as_at)));
    tables.push(stability::stability_table(history, q, counted));
    tables
}

fn market_tables(history: &History, q: &Query) -> Vec<Table> {
    let refs = market::referrals_in(history, q);
    let mut tables = vec![
        market::by_urgency(&refs, q),
        market::by_need(&refs, q),
        market::offers_per_referral(history, &refs, q),
        market::response_times(history, &refs, q),
        market::decline_reasons(history, &refs, q),
    ];
    tables.extend(market::unmet_demand(history, &refs, q));
    tables.push(market::vacancies_against_demand(history, &refs, q));
    tables.push(market::block_occupancy(history, q));
    tables.push(market::costs(history, q));
    tables.push(market::price_trend(history, q));
    tables.push(market::market_share(history, q));
    tables.push(market::homes_by_judgement(history, q));
    tables
}

/// Every section, table and chart of the intelligence page, unprotected (for a council's own people
/// inside the portal); call [`Dashboard::protected`] before anything leaves it. The market is
/// counted on a second thread while the children are counted on this one: they share nothing.
pub fn dashboard(history: &History, q: &Query) -> Dashboard {
    let (picture, stable, marketplace) = std::thread::scope(|scope| {
        let market = scope.spawn(|| market_tables(history, q));
        let censuses = statutory::censuses(history, q);
        // The last trend point is the day asked for: its census serves the day's tables too.
        let today = match censuses.last() {
            Some((d, Some(c))) if *d == q.as_at => snapshot_of(history, q, c),
            _ => snapshot(history, q),
        };
        let mut picture = today;
        let stability_now = picture.pop();
        picture.push(statutory::headline_trend(history, q, &censuses));
        picture.extend(statutory::BREAKDOWNS.iter().map(|bd| statutory::breakdown_trend(history, bd, &censuses)));
        let mut stable: Vec<Table> = stability_now.into_iter().collect();
        stable.push(stability::stability_trend(history, &censuses));
        stable.push(stability::unplanned_by_type(history, q));
        stable.push(stability::unplanned_by_provider(history, q));
        let marketplace = market.join().unwrap_or_else(|_| market_tables(history, q));
        (picture, stable, marketplace)
    });
    let sections = [
        ("picture", "Children looked after", picture),
        ("stability", "Stability", stable),
        ("market", "The market", marketplace),
    ]
    .into_iter()
    .map(|(id, title, tables)| Section { id, title, charts: charts_for(id, &tables), tables })
    .collect();
    Dashboard { query: *q, records_from: history.records_from, sections, protected: false }
}

fn number(v: Value) -> Option<f64> {
    match v {
        Value::Count(n) | Value::Pounds(n) => Some(n as f64),
        Value::Percent(x) | Value::Number(x) => Some(x),
        _ => None,
    }
}

fn row_labels(t: &Table) -> Vec<String> {
    t.rows.iter().map(|r| r.label.clone()).collect()
}

/// One series per column in `cols`, down the rows.
fn column_series(t: &Table, cols: &[usize]) -> Vec<Series> {
    cols.iter()
        .map(|&j| Series {
            label: t.columns[j].heading.clone(),
            points: t.rows.iter().map(|r| number(r.values[j])).collect(),
        })
        .collect()
}

/// A trend table's category columns as percentages of each row's total (the last column).
fn share_series(t: &Table) -> Vec<Series> {
    let total = t.columns.len() - 1;
    (0..total)
        .map(|j| Series {
            label: t.columns[j].heading.clone(),
            points: t
                .rows
                .iter()
                .map(|r| match (number(r.values[j]), number(r.values[total])) {
                    (Some(x), Some(all)) if all > 0.0 => Some(x * 100.0 / all),
                    _ => None,
                })
                .collect(),
        })
        .collect()
}

/// A table's rows (all but the total) as histogram bars of column `col`.
fn bars(t: &Table, col: usize, skip_total: bool) -> Vec<(String, Option<f64>)> {
    let n = if skip_total { t.rows.len().saturating_sub(1) } else { t.rows.len() };
    t.rows[..n].iter().map(|r| (r.label.clone(), number(r.values[col]))).collect()
}

fn charts_for(section: &str, tables: &[Table]) -> Vec<Chart> {
    let find = |id: &str| tables.iter().find(|t| t.id == id);
    let mut out = Vec::new();
    match section {
        "picture" => {
            if let Some(t) = find("children_looked_after_trend") {
                out.push(chart::line(
                    "chart-cla",
                    "Children looked after",
                    &row_labels(t),
                    &column_series(t, &[0]),
                    Unit::Count("children"),
                ));
                out.push(chart::line(
                    "chart-rate",
                    "Children looked after per 10,000 children",
                    &row_labels(t),
                    &column_series(t, &[1]),
                    Unit::Rate("per 10,000"),
                ));
            }
            if let Some(t) = find("placement_type_trend") {
                out.push(chart::stacked_bars(
                    "chart-placement-type",
                    "Placement types over five years (% of children looked after)",
                    &row_labels(t),
                    &share_series(t),
                    Unit::Percent,
                ));
            }
            if let Some(t) = find("distance_histogram") {
                out.push(chart::histogram(
                    "chart-distance",
                    "Distance from home",
                    &bars(t, 0, true),
                    Unit::Count("children"),
                ));
            }
        }
        "stability" => {
            if let Some(t) = find("stability_trend") {
                out.push(chart::line(
                    "chart-stability",
                    "Placement stability over five years",
                    &row_labels(t),
                    &column_series(t, &[2, 5]),
                    Unit::Percent,
                ));
            }
        }
        "market" => {
            if let Some(t) = find("unmet_by_type") {
                out.push(chart::histogram(
                    "chart-unmet",
                    "Unmet referrals by placement type sought",
                    &bars(t, 1, true),
                    Unit::Count("referrals"),
                ));
            }
            if let Some(t) = find("decline_reasons") {
                out.push(chart::histogram(
                    "chart-declines",
                    "Why providers declined",
                    &bars(t, 0, true),
                    Unit::Count("declines"),
                ));
            }
            if let Some(t) = find("price_trend") {
                out.push(chart::line(
                    "chart-prices",
                    "Average weekly cost of new placements",
                    &row_labels(t),
                    &column_series(t, &[1, 3, 5]),
                    Unit::Pounds("a week"),
                ));
            }
        }
        _ => {}
    }
    out
}
