//! Reference data anyone signed in may read: the councils and the size of the region. No child-level data.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::Path;
use axum::extract::State;
use hearth_domain::council::{self, Council};
use hearth_domain::seed::RegionCounts;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(councils)).routes(routes!(one_council)).routes(routes!(region))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CouncilView {
    /// DfE's 3-digit LA code, as in the SSDA903 return.
    pub la_code: u16,
    /// ONS upper-tier code.
    pub ons_code: &'static str,
    pub name: &'static str,
    /// ONS codes of the councils whose area borders this one.
    pub neighbours: Vec<&'static str>,
}

impl From<&Council> for CouncilView {
    fn from(c: &Council) -> Self {
        Self { la_code: c.la_code, ons_code: c.ons_code, name: c.name, neighbours: c.neighbours.to_vec() }
    }
}

/// The fourteen councils that share the portal.
#[utoipa::path(get, path = "/api/v1/councils", tag = "reference", responses((status = 200, body = Vec<CouncilView>)))]
async fn councils() -> Json<Vec<CouncilView>> {
    Json(council::WEST_MIDLANDS.iter().map(CouncilView::from).collect())
}

/// One council, by DfE code (`331`) or ONS code (`E08000026`).
#[utoipa::path(get, path = "/api/v1/councils/{code}", tag = "reference",
    params(("code" = String, Path, description = "DfE LA code or ONS code")),
    responses((status = 200, body = CouncilView), (status = 404, body = ErrorBody)))]
async fn one_council(Path(code): Path<String>) -> Result<Json<CouncilView>, AppError> {
    let c = super::council(&code)?;
    Ok(Json(c.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegionView {
    pub councils: usize,
    pub organisations: u64,
    pub homes: u64,
    pub vacancies: u64,
    pub children: u64,
    pub referrals: u64,
    pub placements: u64,
}

impl RegionView {
    fn new(c: RegionCounts) -> Self {
        Self {
            councils: council::WEST_MIDLANDS.len(),
            organisations: c.organisations,
            homes: c.homes,
            vacancies: c.vacancies,
            children: c.children,
            referrals: c.referrals,
            placements: c.placements,
        }
    }
}

/// How much the portal holds, region-wide: counts only. Any signed-in role.
#[utoipa::path(get, path = "/api/v1/region", tag = "reference",
    responses((status = 200, body = RegionView), (status = 401, body = ErrorBody)))]
async fn region(State(app): State<App>, auth: Auth) -> Result<Json<RegionView>, AppError> {
    Ok(Json(RegionView::new(app.services.region_counts(&auth.principal).await?)))
}
