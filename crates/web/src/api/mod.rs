//! The versioned JSON API, `/api/v1`. Routes and their OpenAPI documentation are registered together.

mod meta;
mod reference;

use crate::App;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hearth API",
        description = "The West Midlands regional placement portal for children in care.",
        license(name = "MIT")
    ),
    tags(
        (name = "meta", description = "Service health and discovery"),
        (name = "reference", description = "Councils and region-wide reference figures")
    )
)]
struct ApiDoc;

/// Every API route, with the OpenAPI document built from the same registrations.
pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(meta::router()).merge(reference::router())
}
