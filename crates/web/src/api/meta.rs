//! Health and discovery.

use crate::App;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(health)).routes(routes!(api_root))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the service and its database answer.
    pub status: &'static str,
    pub version: &'static str,
    /// `SQLite` or `PostgreSQL`.
    pub database: &'static str,
}

/// Liveness and readiness: answers 200 only when the database answers too.
#[utoipa::path(get, path = "/health", tag = "meta",
    responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
async fn health(State(app): State<App>) -> Result<Json<Health>, AppError> {
    app.services.store().is_empty().await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        database: app.services.store().backend().name(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiRoot {
    pub name: &'static str,
    pub version: &'static str,
    /// Where the OpenAPI document is.
    pub openapi: &'static str,
    pub links: Vec<Link>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Link {
    pub rel: &'static str,
    pub href: &'static str,
}

/// The API's front door: its version and where to go next.
#[utoipa::path(get, path = "/api/v1", tag = "meta", responses((status = 200, body = ApiRoot)))]
async fn api_root() -> Json<ApiRoot> {
    Json(ApiRoot {
        name: "Hearth",
        version: env!("CARGO_PKG_VERSION"),
        openapi: "/api/v1/openapi.json",
        links: vec![
            Link { rel: "councils", href: "/api/v1/councils" },
            Link { rel: "region", href: "/api/v1/region" },
            Link { rel: "session", href: "/api/v1/session" },
            Link { rel: "referrals", href: "/api/v1/referrals" },
            Link { rel: "homes", href: "/api/v1/homes" },
            Link { rel: "health", href: "/health" },
        ],
    })
}
