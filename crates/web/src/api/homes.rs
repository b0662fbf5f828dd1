//! Homes and vacancies: the market for councils and commissioners, a provider's own for providers.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::Path;
use axum::extract::State;
use hearth_domain::{HomeId, VacancyId};
use hearth_service::homes::VacancyInput;
use hearth_service::views::{HomeView, VacancyView};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(homes))
        .routes(routes!(home))
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
