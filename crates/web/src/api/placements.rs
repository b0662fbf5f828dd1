//! Placements (list, read, end, move), Individual Placement Agreements and in-app notices.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::Path;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_domain::placement::EndingInput;
use hearth_domain::{PlacementId, ReferralId};
use hearth_service::market::views::{AgreementChange, AgreementView, MoveInput, NoticeView, SignInput};
use hearth_service::views::PlacementView;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(placements))
        .routes(routes!(placement))
        .routes(routes!(end))
        .routes(routes!(move_to))
        .routes(routes!(agreements, change_agreement))
        .routes(routes!(sign))
        .routes(routes!(document))
        .routes(routes!(notices))
}

/// A council's placements, or those in a provider's homes, newest first (at most 500).
#[utoipa::path(get, path = "/api/v1/placements", tag = "placements",
    responses((status = 200, body = Vec<PlacementView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn placements(State(app): State<App>, auth: Auth) -> Result<Json<Vec<PlacementView>>, AppError> {
    Ok(Json(app.services.placements(&auth.principal, &auth.origin).await?))
}

/// One placement, for the child's council or the provider whose home it is (audited).
#[utoipa::path(get, path = "/api/v1/placements/{id}", tag = "placements",
    params(("id" = i64, Path, description = "Placement id")),
    responses((status = 200, body = PlacementView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn placement(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<PlacementView>, AppError> {
    Ok(Json(app.services.placement(&auth.principal, PlacementId(id), &auth.origin).await?))
}

/// Ends a placement because the child leaves care, with an SSDA903 E code (`reason_ceased`),
/// optionally a REASON_PLACE_CHANGE, and whether it was planned. To move the child, use `move`.
#[utoipa::path(post, path = "/api/v1/placements/{id}/end", tag = "placements", request_body = EndingInput,
    params(("id" = i64, Path, description = "Placement id")),
    responses((status = 200, body = PlacementView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn end(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(input): Json<EndingInput>,
) -> Result<Json<PlacementView>, AppError> {
    Ok(Json(app.services.end_placement(&auth.principal, PlacementId(id), &input, &auth.origin).await?))
}

/// Moves the child to another home on `date`: this placement ends (X1, with the reason for the change)
/// and a new one starts, linked to it; a move from residential care to a family is flagged as a step
/// down.
#[utoipa::path(post, path = "/api/v1/placements/{id}/move", tag = "placements", request_body = MoveInput,
    params(("id" = i64, Path, description = "Placement id")),
    responses((status = 201, body = PlacementView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn move_to(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(input): Json<MoveInput>,
) -> Result<(StatusCode, Json<PlacementView>), AppError> {
    let moved = app.services.move_placement(&auth.principal, PlacementId(id), &input, &auth.origin).await?;
    Ok((StatusCode::CREATED, Json(moved)))
}

/// Every version of a referral's Individual Placement Agreement, for its council and for the provider
/// whose offer was accepted (audited: it names the children).
#[utoipa::path(get, path = "/api/v1/referrals/{id}/agreements", tag = "placements",
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 200, body = Vec<AgreementView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn agreements(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Json<Vec<AgreementView>>, AppError> {
    Ok(Json(app.services.agreements(&auth.principal, ReferralId(id), &auth.origin).await?))
}

/// A new version of the agreement with changed terms (the council's); both parties sign it again.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/agreements", tag = "placements", request_body = AgreementChange,
    params(("id" = i64, Path, description = "Referral id")),
    responses((status = 201, body = AgreementView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_agreement(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(change): Json<AgreementChange>,
) -> Result<(StatusCode, Json<AgreementView>), AppError> {
    let made = app.services.change_agreement(&auth.principal, ReferralId(id), &change, &auth.origin).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// Signs a version for the caller's side (the council, or the provider), sending back the SHA-256 of
/// the text read. A different hash, a replaced version or a second signature by one side is 409.
#[utoipa::path(post, path = "/api/v1/agreements/{id}/sign", tag = "placements", request_body = SignInput,
    params(("id" = i64, Path, description = "Agreement id")),
    responses((status = 200, body = AgreementView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
async fn sign(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(input): Json<SignInput>,
) -> Result<Json<AgreementView>, AppError> {
    Ok(Json(app.services.sign_agreement(&auth.principal, id, &input, &auth.origin).await?))
}

/// One version as a plain-text document to download, with its hash and signatures.
#[utoipa::path(get, path = "/api/v1/agreements/{id}/document", tag = "placements",
    params(("id" = i64, Path, description = "Agreement id")),
    responses((status = 200, content_type = "text/plain", body = String), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn document(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Response, AppError> {
    let (name, text) = app.services.agreement_document(&auth.principal, id, &auth.origin).await?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8")),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}

/// The caller's in-app notices (their organisation's and their own), newest first.
#[utoipa::path(get, path = "/api/v1/notices", tag = "placements",
    responses((status = 200, body = Vec<NoticeView>), (status = 401, body = ErrorBody)))]
async fn notices(State(app): State<App>, auth: Auth) -> Result<Json<Vec<NoticeView>>, AppError> {
    Ok(Json(app.services.notices(&auth.principal).await?))
}
