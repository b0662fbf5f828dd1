//! Homes and vacancies: the market for councils and commissioners, a provider's own for providers.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::Path;
use crate::extract::Query;
use axum::extract::State;
use hearth_domain::home_upkeep::{ClosureInput, HomeInput};
use hearth_domain::{HomeId, VacancyId};
use hearth_service::home_upkeep::{HomeSaved, OwnHomeView, UpkeepResult};
use hearth_service::homes::VacancyInput;
use hearth_service::views::{HomeView, VacancyView};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(homes, open_home))
        .routes(routes!(home, change_home))
        .routes(routes!(close_home))
        .routes(routes!(upkeep))
        .routes(routes!(set_vacancy, change_vacancy))
        .routes(routes!(open_vacancy))
}

/// Homes: every home for councils and commissioners, a provider's own for providers. No exact locations.
#[utoipa::path(get, path = "/api/v1/homes", tag = "homes",
    responses((status = 200, body = Vec<HomeView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn homes(State(app): State<App>, auth: Auth) -> Result<Json<Vec<HomeView>>, AppError> {
    Ok(Json(app.services.homes(&auth.principal).await?))
}

#[utoipa::path(get, path = "/api/v1/homes/{id}", tag = "homes",
    params(("id" = i64, Path, description = "Home id")),
    responses((status = 200, body = HomeView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn home(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<HomeView>, AppError> {
    Ok(Json(app.services.home(&auth.principal, HomeId(id)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VacancyUpdate {
    /// Places free now; 0 closes the vacancy. Raising them past what the home has left (its places less
    /// the children placed there and its other vacancies' free places) is refused (422).
    pub places: u16,
}

/// Sets a vacancy's free places. Only the organisation running the home may.
#[utoipa::path(put, path = "/api/v1/vacancies/{id}", tag = "homes", request_body = VacancyUpdate,
    params(("id" = i64, Path, description = "Vacancy id")),
    responses((status = 200, body = VacancyView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_vacancy(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(req): Json<VacancyUpdate>,
) -> Result<Json<VacancyView>, AppError> {
    Ok(Json(app.services.set_vacancy_places(&auth.principal, VacancyId(id), req.places, &auth.origin).await?))
}

/// Opens a vacancy on one of the caller's homes: places (default 1), from-date (default today), age
/// range, sex and weekly price (defaults: the home's). Matching offers it from the next search.
#[utoipa::path(post, path = "/api/v1/homes/{id}/vacancies", tag = "homes", request_body = VacancyInput,
    params(("id" = i64, Path, description = "Home id")),
    responses((status = 201, body = VacancyView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn open_vacancy(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(input): Json<VacancyInput>,
) -> Result<(axum::http::StatusCode, Json<VacancyView>), AppError> {
    let v = app.services.create_vacancy(&auth.principal, HomeId(id), &input, &auth.origin).await?;
    Ok((axum::http::StatusCode::CREATED, Json(v)))
}

/// Changes a vacancy: any of places, from-date, ages, sex and price; the rest stay.
#[utoipa::path(patch, path = "/api/v1/vacancies/{id}", tag = "homes", request_body = VacancyInput,
    params(("id" = i64, Path, description = "Vacancy id")),
    responses((status = 200, body = VacancyView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_vacancy(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(input): Json<VacancyInput>,
) -> Result<Json<VacancyView>, AppError> {
    Ok(Json(app.services.change_vacancy(&auth.principal, VacancyId(id), &input, &auth.origin).await?))
}

/// Opens a home for the caller's organisation (`homes:write`: a provider's managers, a council's team
/// managers for in-house homes). Required: `name`, `postcode`, `places`, `age_min`, `age_max`,
/// `weekly_price`, and `kind` unless the `urn` is one Ofsted's register knows, which then fills the
/// kind, places and registration; where the register disagrees with what was sent, the home is
/// saved as sent and `warnings` say so. Matching offers it from the very next search.
#[utoipa::path(post, path = "/api/v1/homes", tag = "homes", request_body = HomeInput,
    responses((status = 201, body = HomeSaved), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn open_home(
    State(app): State<App>,
    auth: Auth,
    Json(input): Json<HomeInput>,
) -> Result<(axum::http::StatusCode, Json<HomeSaved>), AppError> {
    let saved = app.services.open_home(&auth.principal, &input, &auth.origin).await?;
    Ok((axum::http::StatusCode::CREATED, Json(saved)))
}

/// Changes one of the caller's homes: any of its fields; what is not sent stays. Places below the
/// children placed there and its vacancies' free places are refused (422 on `places`).
#[utoipa::path(patch, path = "/api/v1/homes/{id}", tag = "homes", request_body = HomeInput,
    params(("id" = i64, Path, description = "Home id")),
    responses((status = 200, body = HomeSaved), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_home(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(input): Json<HomeInput>,
) -> Result<Json<HomeSaved>, AppError> {
    Ok(Json(app.services.change_home(&auth.principal, HomeId(id), &input, &auth.origin).await?))
}

/// Closes one of the caller's homes on a day (today or earlier) with a reason: it leaves matching and
/// its vacancies are filled. Refused (422 on `closed_on`) while a child still lives there without a
/// move or ending recorded, naming the placements, or when the day is before a placement there began.
#[utoipa::path(post, path = "/api/v1/homes/{id}/close", tag = "homes", request_body = ClosureInput,
    params(("id" = i64, Path, description = "Home id")),
    responses((status = 200, body = OwnHomeView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn close_home(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(input): Json<ClosureInput>,
) -> Result<Json<OwnHomeView>, AppError> {
    Ok(Json(app.services.close_home(&auth.principal, HomeId(id), &input, &auth.origin).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UpkeepQuery {
    /// `true`: check the file and say what it would change, saving nothing.
    #[serde(default)]
    pub preview: bool,
}

/// Bulk upkeep: a CSV file (`Content-Type: text/csv`) with a header naming the columns `home` (a home
/// id, or an Ofsted URN held by one of the caller's homes), `places` (free), `available_from`
/// (YYYY-MM-DD) and `weekly_price` (whole pounds). Each row sets that home's vacancy (its oldest;
/// any others are filled) and weekly price. Checked row by row — every error at once, `row N: …` on
/// the column's field — and saved all or nothing in one transaction; `?preview=true` saves nothing.
#[utoipa::path(post, path = "/api/v1/homes/upkeep", tag = "homes",
    request_body(content = String, content_type = "text/csv"), params(UpkeepQuery),
    responses((status = 200, body = UpkeepResult), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn upkeep(
    State(app): State<App>,
    auth: Auth,
    Query(q): Query<UpkeepQuery>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<UpkeepResult>, AppError> {
    let ct = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence != "text/csv" {
        return Err(AppError::UnsupportedMediaType("send the file as CSV, with Content-Type: text/csv".into()));
    }
    let text = std::str::from_utf8(&body)
        .map_err(|_| AppError::InvalidAt { field: "file".into(), message: "the file is not UTF-8 text".into() })?;
    let result = if q.preview {
        app.services.preview_upkeep(&auth.principal, text).await?
    } else {
        app.services.apply_upkeep(&auth.principal, text, &auth.origin).await?
    };
    Ok(Json(result))
}
