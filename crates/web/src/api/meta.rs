//! Health and discovery.

use crate::App;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use axum::extract::State;
use hearth_service::ServiceError;
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

/// Liveness and readiness: 200 only when the database answers; 503 when it cannot be reached or fails.
#[utoipa::path(get, path = "/health", tag = "meta",
    responses((status = 200, body = Health), (status = 503, body = ErrorBody)))]
async fn health(State(app): State<App>) -> Result<Json<Health>, AppError> {
    // Any failure of the database makes the service not ready, whatever its kind: a load balancer
    // or orchestrator must take it out of rotation, not count it as a passing check (a 500 from a
    // damaged or broken database would read as "up" to many of them).
    let database = app.services.check_database().await.map_err(|e| {
        tracing::error!(error = %e, "health check: the database failed");
        AppError::Unavailable(match e {
            ServiceError::Unavailable => "the database cannot be reached; try again shortly".into(),
            _ => "the database answered with an error; the server's log says which".into(),
        })
    })?;
    Ok(Json(Health { status: "ok", version: env!("CARGO_PKG_VERSION"), database }))
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
