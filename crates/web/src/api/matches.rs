//! Matching: the ranked, explained homes for a referral, and the quick search without one.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use axum::Json;
use axum::extract::{Path, Query, State};
use hearth_domain::ReferralId;
use hearth_service::matching::{MatchesView, QuickSearch};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(referral_matches)).routes(routes!(search))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct Limit {
    /// How many homes to return, 1–200 (default 50).
    pub limit: Option<usize>,
}

/// The most appropriate available homes for one of the council's referrals, in the order s22C asks
/// for, each with its score, per-factor contributions and reasons, distance, tier and price; and how
/// many homes each hard rule left out. An empty list is an answer: nobody can meet the referral.
#[utoipa::path(get, path = "/api/v1/referrals/{id}/matches", tag = "referrals",
    params(("id" = i64, Path, description = "Referral id"), Limit),
    responses((status = 200, body = MatchesView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn referral_matches(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<Limit>,
) -> Result<Json<MatchesView>, AppError> {
    Ok(Json(app.services.matches(&auth.principal, ReferralId(id), q.limit.unwrap_or(50), &auth.origin).await?))
}

/// "What is free near CV2 for a 14-year-old tonight?": the same engine without a referral.
#[utoipa::path(get, path = "/api/v1/search", tag = "referrals", params(QuickSearch),
    responses((status = 200, body = MatchesView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn search(
    State(app): State<App>,
    auth: Auth,
    Query(q): Query<QuickSearch>,
) -> Result<Json<MatchesView>, AppError> {
    Ok(Json(app.services.quick_search(&auth.principal, &q).await?))
}
