//! A council's contracts with providers.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use hearth_domain::contract::{ContractInput, EndContractInput, TermsChangeInput};
use hearth_domain::{ContractId, OrganisationId};
use hearth_service::contracts::ContractView;
use hearth_service::framework::{FrameworkLotsInput, FrameworkMemberView};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one))
        .routes(routes!(change_terms))
        .routes(routes!(end))
        .routes(routes!(framework))
        .routes(routes!(set_framework))
}

/// The council's contracts (its commissioners).
#[utoipa::path(get, path = "/api/v1/councils/{code}/contracts", tag = "admin",
    params(("code" = String, Path, description = "DfE LA code or ONS code")),
    responses((status = 200, body = Vec<ContractView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn list(
    State(app): State<App>,
    auth: Auth,
    Path(code): Path<String>,
) -> Result<Json<Vec<ContractView>>, AppError> {
    Ok(Json(app.services.contracts(&auth.principal, super::council(&code)?.la_code).await?))
}

/// Records a contract with a provider: tier, weekly price, block beds (block only), dates. Matching and
/// the cascade use it from the next request.
#[utoipa::path(post, path = "/api/v1/councils/{code}/contracts", tag = "admin", request_body = ContractInput,
    params(("code" = String, Path, description = "DfE LA code or ONS code")),
    responses((status = 201, body = ContractView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn create(
    State(app): State<App>,
    auth: Auth,
    Path(code): Path<String>,
    Json(input): Json<ContractInput>,
) -> Result<(StatusCode, Json<ContractView>), AppError> {
    let made =
        app.services.create_contract(&auth.principal, super::council(&code)?.la_code, &input, &auth.origin).await?;
    Ok((StatusCode::CREATED, Json(made)))
}

/// One of the council's contracts with its terms over time (its commissioners; another council's is 404).
#[utoipa::path(get, path = "/api/v1/contracts/{id}", tag = "admin",
    params(("id" = i64, Path, description = "Contract id")),
    responses((status = 200, body = ContractView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn one(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<ContractView>, AppError> {
    Ok(Json(app.services.contract(&auth.principal, ContractId(id)).await?))
}

/// Changes a contract's weekly price and block beds from a date (today or later, within the
/// contract); the earlier terms are kept. Matching, prices and the cascade use the new terms from
/// that date. A second change on the same date replaces the first.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/terms", tag = "admin", request_body = TermsChangeInput,
    params(("id" = i64, Path, description = "Contract id")),
    responses((status = 200, body = ContractView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_terms(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(input): Json<TermsChangeInput>,
) -> Result<Json<ContractView>, AppError> {
    Ok(Json(app.services.change_contract_terms(&auth.principal, ContractId(id), &input, &auth.origin).await?))
}

/// Ends a contract: `ends` is its last day (today or later); it leaves the cascade and prices the day after.
#[utoipa::path(post, path = "/api/v1/contracts/{id}/end", tag = "admin", request_body = EndContractInput,
    params(("id" = i64, Path, description = "Contract id")),
    responses((status = 200, body = ContractView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn end(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(input): Json<EndContractInput>,
) -> Result<Json<ContractView>, AppError> {
    Ok(Json(app.services.end_contract(&auth.principal, ContractId(id), &input, &auth.origin).await?))
}

/// The regional fostering framework's members and their lots (the hub's regional commissioners and
/// administrators).
#[utoipa::path(get, path = "/api/v1/framework", tag = "admin",
    responses((status = 200, body = Vec<FrameworkMemberView>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
async fn framework(State(app): State<App>, auth: Auth) -> Result<Json<Vec<FrameworkMemberView>>, AppError> {
    Ok(Json(app.services.framework_members(&auth.principal).await?))
}

/// Puts a provider on the framework for its lots (home kind codes, or `fostering` /
/// `supported_accommodation`), replacing what it had; `[]` takes it off. Its homes in those lots rank
/// as the framework tier for every council in the region where no council contract covers them, from
/// the next search (the hub's regional commissioners and administrators).
#[utoipa::path(put, path = "/api/v1/framework/{provider}", tag = "admin", request_body = FrameworkLotsInput,
    params(("provider" = i64, Path, description = "Provider organisation id")),
    responses((status = 200, body = FrameworkMemberView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn set_framework(
    State(app): State<App>,
    auth: Auth,
    Path(provider): Path<i64>,
    Json(input): Json<FrameworkLotsInput>,
) -> Result<Json<FrameworkMemberView>, AppError> {
    let set = app.services.set_framework_lots(&auth.principal, OrganisationId(provider), &input, &auth.origin).await?;
    Ok(Json(set))
}
