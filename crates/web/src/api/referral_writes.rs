//! Writing referrals: create from the referral form, change, submit, withdraw, and the Placements Data
//! Standard v2 export. Handlers only extract and call the service, which decides who may.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use hearth_domain::ReferralId;
use hearth_domain::referral_form::{PdsRecord, ReferralInput, ReferralPatch};
use hearth_service::views::ReferralFull;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(change))
        .routes(routes!(submit))
        .routes(routes!(withdraw))
        .routes(routes!(standard))
}

/// Creates a draft referral for the caller's council from the referral form. Every bad field is
/// reported at once (422): a start date in the past, no children, an unknown code, a child who is not
/// the council's own or not 0 to 17 on the start date.
#[utoipa::path(post, path = "/api/v1/referrals", tag = "referrals", request_body = ReferralInput,
    responses((status = 201, body = ReferralFull), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn create(
    State(app): State<App>,
    auth: Auth,
    Json(input): Json<ReferralInput>,
) -> Result<(StatusCode, Json<ReferralFull>), AppError> {
    let created = app.services.create_referral(&auth.principal, &input, &auth.origin).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Changes a draft or open referral: only the fields sent; `details`, when sent, replaces the form's
/// details whole. A referral past that is 409.
#[utoipa::path(patch, path = "/api/v1/referrals/{id}", tag = "referrals", request_body = ReferralPatch,
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 200, body = ReferralFull), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(patch): Json<ReferralPatch>,
) -> Result<Json<ReferralFull>, AppError> {
    Ok(Json(app.services.update_referral(&auth.principal, ReferralId(id), &patch, &auth.origin).await?))
}

/// Submits a draft referral (draft → open). Anything but a draft is 409.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/submit", tag = "referrals",
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 200, body = ReferralFull), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn submit(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<ReferralFull>, AppError> {
    Ok(Json(app.services.submit_referral(&auth.principal, ReferralId(id), &auth.origin).await?))
}

/// Withdraws a referral that is a draft, open or has offers; a closed one is 409.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/withdraw", tag = "referrals",
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 200, body = ReferralFull), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn withdraw(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<ReferralFull>, AppError> {
    Ok(Json(app.services.withdraw_referral(&auth.principal, ReferralId(id), &auth.origin).await?))
}

/// The referral in the Placements Data Standard v2 shape, one record per child, with the standard's
/// field names and options. The council's own only; audited.
#[utoipa::path(get, path = "/api/v1/referrals/{id}/standard", tag = "referrals",
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 200, body = Vec<Object>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn standard(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<Vec<PdsRecord>>, AppError> {
    Ok(Json(app.services.referral_standard(&auth.principal, ReferralId(id), &auth.origin).await?))
}
