//! Provider onboarding: asking to join, deciding applications, invitations, and a provider's own
//! organisation.

use super::session::ReqOrigin;
use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::{Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use hearth_domain::onboarding::ApplicationForm;
use hearth_service::onboarding::{ApplicationReceived, ApplicationView, InvitationView, OurOrganisation};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list, ask_to_join))
        .routes(routes!(one))
        .routes(routes!(approve))
        .routes(routes!(refuse))
        .routes(routes!(reinvite))
        .routes(routes!(accept_invitation))
        .routes(routes!(our_organisation))
}

/// A provider asks to join Hearth (no account needed). The answer is the same whatever Hearth already
/// holds; requests from one address are limited (429 with `Retry-After` past the limit).
#[utoipa::path(post, path = "/api/v1/applications", tag = "onboarding", request_body = ApplicationForm,
    responses((status = 202, body = ApplicationReceived), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody)))]
async fn ask_to_join(
    State(app): State<App>,
    ReqOrigin(origin): ReqOrigin,
    Json(form): Json<ApplicationForm>,
) -> Result<(StatusCode, Json<ApplicationReceived>), AppError> {
    Ok((StatusCode::ACCEPTED, Json(app.services.ask_to_join(&form, &origin).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ApplicationParams {
    /// `pending`, `approved` or `refused`; all when left out.
    pub status: Option<String>,
}

/// The applications to join the caller decides, newest first: every one for the regional hub's
/// administrators, those naming their council for a council's administrators.
#[utoipa::path(get, path = "/api/v1/applications", tag = "onboarding", params(ApplicationParams),
    responses((status = 200, body = Vec<ApplicationView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn list(
    State(app): State<App>,
    auth: Auth,
    Query(q): Query<ApplicationParams>,
) -> Result<Json<Vec<ApplicationView>>, AppError> {
    Ok(Json(app.services.applications(&auth.principal, q.status.as_deref()).await?))
}

/// One application to join.
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "onboarding",
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn one(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<ApplicationView>, AppError> {
    Ok(Json(app.services.application(&auth.principal, id).await?))
}

/// Approves an application: the provider organisation and its first manager are made, and the
/// manager is e-mailed a one-time link (7 days) to set their password. Audited.
#[utoipa::path(post, path = "/api/v1/applications/{id}/approve", tag = "onboarding",
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn approve(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<ApplicationView>, AppError> {
    Ok(Json(app.services.approve_application(&auth.principal, id, &auth.origin).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefuseRequest {
    /// Why, in words the provider is sent.
    pub reason: String,
}

/// Refuses an application with a reason, which the contact is e-mailed. Audited.
#[utoipa::path(post, path = "/api/v1/applications/{id}/refuse", tag = "onboarding", request_body = RefuseRequest,
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn refuse(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(req): Json<RefuseRequest>,
) -> Result<Json<ApplicationView>, AppError> {
    Ok(Json(app.services.refuse_application(&auth.principal, id, &req.reason, &auth.origin).await?))
}

/// Sends an approved application's manager a new invitation; any earlier link stops working.
#[utoipa::path(post, path = "/api/v1/applications/{id}/invitation", tag = "onboarding",
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn reinvite(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<ApplicationView>, AppError> {
    Ok(Json(app.services.reinvite(&auth.principal, id, &auth.origin).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    /// The secret from the invitation link (the part after `/invitations/`).
    pub token: String,
    /// At least 12 characters.
    pub password: String,
}

/// Uses an invitation: sets the invited person's password (once; a link used twice, expired, or for a
/// deactivated account is refused in words). They then sign in as anyone does.
#[utoipa::path(post, path = "/api/v1/invitations/accept", tag = "onboarding", request_body = AcceptInvitationRequest,
    responses((status = 200, body = InvitationView), (status = 422, body = ErrorBody)))]
async fn accept_invitation(
    State(app): State<App>,
    ReqOrigin(origin): ReqOrigin,
    Json(req): Json<AcceptInvitationRequest>,
) -> Result<Json<InvitationView>, AppError> {
    Ok(Json(app.services.accept_invitation(&req.token, &req.password, &origin).await?))
}

/// The caller's own provider organisation: what it told Hearth when it joined, its framework lots, its
/// people and how many homes it runs (a provider's people).
#[utoipa::path(get, path = "/api/v1/organisation", tag = "onboarding",
    responses((status = 200, body = OurOrganisation), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn our_organisation(State(app): State<App>, auth: Auth) -> Result<Json<OurOrganisation>, AppError> {
    Ok(Json(app.services.our_organisation(&auth.principal).await?))
}
