//! Matching: the ranked, explained homes for a referral, and the quick search without one.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::{Path, Query};
use axum::extract::State;
use hearth_domain::ReferralId;
use hearth_service::matching::{MatchesView, QuickSearch, Weights};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(referral_matches))
        .routes(routes!(search))
        .routes(routes!(get_weights, put_weights))
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

/// How the council's matching weighs each factor: its own tuning, or the defaults. Every factor's
/// weight (0 or more) and the two distance scales, in miles.
#[utoipa::path(get, path = "/api/v1/councils/{code}/weights", tag = "referrals",
    params(("code" = String, Path, description = "DfE LA code or ONS code")),
    responses((status = 200, body = Weights), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn get_weights(
    State(app): State<App>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Json<serde_json::Value>, AppError> {
    let c = super::council(&code)?;
    let w = app.services.council_weights(&auth.principal, c.la_code).await?;
    Ok(Json(serde_json::to_value(w).unwrap_or_default()))
}

/// Replaces the council's weights. A factor not sent takes its default; an unknown name or a
/// negative weight is refused with 422. Audited as `weights.update`.
#[utoipa::path(put, path = "/api/v1/councils/{code}/weights", tag = "referrals", request_body = Weights,
    params(("code" = String, Path, description = "DfE LA code or ONS code")),
    responses((status = 200, body = Weights), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn put_weights(
    State(app): State<App>,
    auth: Auth,
    Path(code): Path<String>,
    Json(sent): Json<serde_json::Value>,
) -> Result<Json<serde_json::Value>, AppError> {
    let c = super::council(&code)?;
    let w = app.services.set_council_weights(&auth.principal, c.la_code, sent, &auth.origin).await?;
    Ok(Json(serde_json::to_value(w).unwrap_or_default()))
}
