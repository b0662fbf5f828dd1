//! The region overview for commissioners: supply by kind of home against the region's totals, from
//! the services every commissioner may already call.

use super::admin::Reply;
use super::{Chrome, Signed, render};
use crate::App;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use hearth_domain::access::Capability;
use hearth_domain::seed::RegionCounts;
use hearth_service::ServiceError;

struct KindRow {
    kind: &'static str,
    homes: usize,
    places: u64,
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
}

pub async fn overview(State(app): State<App>, who: Signed) -> Reply {
    let p = &who.principal;
    // The figures are for commissioning roles; others have their own pages.
    if !p.can(Capability::ViewCouncilFigures) && !p.can(Capability::ViewRegionFigures) {
        return Err(ServiceError::Forbidden(Capability::ViewCouncilFigures).into());
    }
    let counts = app.services.region_counts(p).await?;
    let kinds = app
        .services
        .supply_by_kind(p)
        .await?
        .into_iter()
        .map(|k| KindRow { kind: k.kind.label(), homes: k.homes, places: k.places })
        .collect();
    let figures = vec![
        (counts.children, "children's records"),
        (counts.referrals, "referrals"),
        (counts.placements, "placements"),
        (counts.vacancies, "vacancies"),
    ];
    let page =
        RegionPage { chrome: who.chrome(), title: "Region overview", error_title: false, counts, figures, kinds };
    Ok(render(StatusCode::OK, &page))
}
