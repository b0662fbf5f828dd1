//! A council's contracts with providers.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::Path;
use axum::extract::State;
use axum::http::StatusCode;
use hearth_domain::contract::ContractInput;
use hearth_service::contracts::ContractView;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(list, create))
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
