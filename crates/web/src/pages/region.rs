//! The region overview for commissioners: supply by kind of home against the region's totals, from
//! the services every commissioner may already call.

use super::admin::Reply;
use super::{Chrome, Signed, render};
use crate::App;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use hearth_domain::seed::RegionCounts;

struct KindRow {
    kind: &'static str,
    homes: usize,
    places: u64,
}

/// Download links for the council's SSDA903 return, for its own commissioners and team managers.
struct ReturnLinks {
    council: &'static str,
    la_code: u16,
    year: i16,
    label: String,
    /// (`?table=` value, what it is).
    tables: Vec<(&'static str, &'static str)>,
}

impl ReturnLinks {
    /// The latest collection year that has ended by `today` (1 April to 31 March).
    fn latest(la_code: u16, today: jiff::civil::Date) -> Option<Self> {
        let council = hearth_domain::council::council_by_la_code(la_code)?;
        let ending = if today.month() >= 4 { today.year() } else { today.year() - 1 };
        let year = hearth_ssda903::CollectionYear::new(ending).ok()?;
        Some(Self {
            council: council.name,
            la_code,
            year: year.ending(),
            label: year.label(),
            tables: vec![
                ("episodes", "Episodes (CSV)"),
                ("header", "Header (CSV)"),
                ("uasc", "UASC (CSV)"),
                ("report", "Each episode with DfE's distance, PL_LA and PL_LOCATION (CSV)"),
                ("problems", "The self-check's problems (CSV)"),
            ],
        })
    }
}

#[derive(Template)]
#[template(path = "region.html")]
struct RegionPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    counts: RegionCounts,
    /// The headline figures: (number, what it counts).
    figures: Vec<(u64, &'static str)>,
    kinds: Vec<KindRow>,
    ssda903: Option<ReturnLinks>,
}

pub async fn overview(State(app): State<App>, who: Signed) -> Reply {
    let overview = app.services.region_overview(&who.principal).await?;
    let counts = overview.counts;
    let kinds = overview
        .kinds
        .into_iter()
        .map(|k| KindRow { kind: k.kind.label(), homes: k.homes, places: k.places })
        .collect();
    let figures = vec![
        (counts.children, "children's records"),
        (counts.referrals, "referrals"),
        (counts.placements, "placements"),
        (counts.vacancies, "vacancies"),
    ];
    // The download itself checks again.
    let ssda903 = overview.own_return.and_then(|la| ReturnLinks::latest(la, app.services.today()));
    let page = RegionPage {
        chrome: who.chrome(),
        title: "Region overview",
        error_title: false,
        counts,
        figures,
        kinds,
        ssda903,
    };
    Ok(render(StatusCode::OK, &page))
}
