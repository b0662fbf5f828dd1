//! Placements (list, read, end, move), Individual Placement Agreements and in-app notices.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::Path;
use crate::extract::Query;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_domain::DomainError;
use hearth_domain::placement::{EndingInput, PlacementListStatus};
use hearth_domain::{PlacementId, ReferralId};
use hearth_service::lists::{MAX_PER_PAGE, PlacementFilter};
use hearth_service::market::views::{AgreementChange, AgreementView, MoveInput, NoticeView, SignInput};
use hearth_service::views::PlacementView;
use serde::Deserialize;
use utoipa::IntoParams;
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

/// Which placements `GET /api/v1/placements` lists, and which page of them. Empty parameters match
/// everything.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlacementParams {
    /// `current`, `ended`, or `to_sign` (current, its Individual Placement Agreement not yet signed by
    /// both sides).
    #[param(value_type = Option<String>)]
    pub status: Option<PlacementListStatus>,
    /// A home's number, or part of its name (any case).
    pub home: Option<String>,
    /// A child's reference (the child's council only).
    pub child: Option<String>,
    /// Started on or after this day, e.g. 2026-04-01.
    pub started_from: Option<String>,
    /// Started on or before this day.
    pub started_to: Option<String>,
    /// A placement's number, or (the child's council only) a child's reference.
    pub q: Option<String>,
    /// 1 to 10,000; 1 by default.
    pub page: Option<u32>,
    /// 1 to 500; 500 by default.
    pub per_page: Option<u32>,
}

fn iso_date(field: &'static str, raw: Option<&str>) -> Result<Option<jiff::civil::Date>, DomainError> {
    raw.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<jiff::civil::Date>()
                .map_err(|_| DomainError::new(field, format!("'{s}' is not a date; write it like 2026-11-25")))
        })
        .transpose()
}

/// A council's placements, or those in a provider's homes, newest first, filtered and paged;
/// `X-Total-Count` says how many match. Audited as a list read of the placements returned.
#[utoipa::path(get, path = "/api/v1/placements", tag = "placements", params(PlacementParams),
    responses((status = 200, body = Vec<PlacementView>,
            headers(("x-total-count" = u64, description = "How many placements match the filters, on every page"))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn placements(
    State(app): State<App>,
    auth: Auth,
    Query(q): Query<PlacementParams>,
) -> Result<Response, AppError> {
    let filter = PlacementFilter {
        status: q.status,
        home: q.home,
        child: q.child,
        started_from: iso_date("started_from", q.started_from.as_deref())?,
        started_to: iso_date("started_to", q.started_to.as_deref())?,
        search: q.q,
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(MAX_PER_PAGE),
        newest_first: true,
    };
    let list = app.services.placement_list(&auth.principal, &filter, &auth.origin).await?;
    let body: Vec<PlacementView> = list.rows.into_iter().map(|r| r.placement).collect();
    let mut response = Json(body).into_response();
    response.headers_mut().insert(HeaderName::from_static("x-total-count"), HeaderValue::from(list.total));
    Ok(response)
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
