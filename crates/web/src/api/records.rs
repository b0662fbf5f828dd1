//! Children and referrals, scoped by the service layer: a council's own in full, a provider's
//! minimised, nobody else's at all.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::Path;
use axum::extract::State;
use hearth_domain::{ChildId, ReferralId};
use hearth_service::views::{ChildView, PlacementView, ReferralSummary, ReferralView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(council_children))
        .routes(routes!(child))
        .routes(routes!(child_placements))
        .routes(routes!(referrals))
        .routes(routes!(referral))
}

/// A council's children looked after. Its own placement officers and team managers only. Audited:
/// one line naming how many records and which.
#[utoipa::path(get, path = "/api/v1/councils/{code}/children", tag = "children",
    params(("code" = String, Path, description = "DfE LA code or ONS code")),
    responses((status = 200, body = Vec<ChildView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn council_children(
    State(app): State<App>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Json<Vec<ChildView>>, AppError> {
    let c = super::council(&code)?;
    Ok(Json(app.services.children(&auth.principal, c.la_code, &auth.origin).await?))
}

/// One child's record. Every read is recorded in the audit log.
#[utoipa::path(get, path = "/api/v1/children/{id}", tag = "children",
    params(("id" = i64, Path, description = "Child id")),
    responses((status = 200, body = ChildView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn child(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<ChildView>, AppError> {
    Ok(Json(app.services.child(&auth.principal, ChildId(id), &auth.origin).await?))
}

/// One child's placements, oldest first. Audited as a read of the child's record.
#[utoipa::path(get, path = "/api/v1/children/{id}/placements", tag = "children",
    params(("id" = i64, Path, description = "Child id")),
    responses((status = 200, body = Vec<PlacementView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn child_placements(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Json<Vec<PlacementView>>, AppError> {
    Ok(Json(app.services.placements_of_child(&auth.principal, ChildId(id), &auth.origin).await?))
}

/// Referrals: a council's own, or those sent to a provider. Newest first, at most 500.
#[utoipa::path(get, path = "/api/v1/referrals", tag = "referrals",
    responses((status = 200, body = Vec<ReferralSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn referrals(State(app): State<App>, auth: Auth) -> Result<Json<Vec<ReferralSummary>>, AppError> {
    Ok(Json(app.services.referrals(&auth.principal, &auth.origin).await?))
}

/// One referral: in full for its council (audited) and for a provider whose offer was accepted;
/// minimised for a provider it was sent to.
#[utoipa::path(get, path = "/api/v1/referrals/{id}", tag = "referrals",
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 200, body = ReferralView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn referral(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<ReferralView>, AppError> {
    Ok(Json(app.services.referral(&auth.principal, ReferralId(id), &auth.origin).await?))
}
