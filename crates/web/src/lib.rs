//! Hearth's HTTP service (axum): the versioned JSON API under `/api/v1` with its OpenAPI document, the
//! health check, and the pages. Handlers are thin: they extract, call the service, and map
//! errors through [`AppError`].

mod api;
pub mod auth;
pub mod error;
mod extract;
mod idempotency;
mod pages;
mod pdf;
mod response_rules;
pub mod telemetry;

pub use error::AppError;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, StatusCode, Uri, header};
use axum::response::IntoResponse;
use hearth_service::Services;
use hearth_service::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// What every handler can reach: the service layer, never the store directly.
#[derive(Debug, Clone)]
pub struct App {
    pub services: Services,
}

impl App {
    /// Production wiring: the system clock and the default sign-in policy.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self { services: Services::with_defaults(store) }
    }

    pub fn with_services(services: Services) -> Self {
        Self { services }
    }
}

/// The largest request body Hearth reads. The longest real request (a referral with every narrative
/// answer at its limit) is well under it.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The OpenAPI document, as served at `/api/v1/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::routes_and_document().1
}

/// The whole service: API, pages and the layers every request passes through.
pub fn router(app: App) -> Router {
    let (api, spec) = api::routes_and_document();
    let spec = Arc::new(spec);
    let request_id = HeaderName::from_static("x-request-id");
    let api = api.layer(axum::middleware::from_fn_with_state(app.clone(), idempotency::layer));
    api.route("/api/v1/openapi.json", axum::routing::get(move || async move { axum::Json((*spec).clone()) }))
        .merge(pages::router().layer(axum::middleware::from_fn_with_state(app.clone(), pages::error_chrome)))
        .fallback(not_found)
        .with_state(app)
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(telemetry::request_span).on_response(telemetry::request_finished),
        )
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        // Outside the timeout and the body limit, so that their answers are rewritten too.
        .layer(axum::middleware::from_fn(response_rules::layer))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        // Every response: the pages load only Hearth's own vendored files (no inline script, no third
        // party), so the content security policy can be strict; no page may be framed.
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

async fn not_found(uri: Uri) -> impl IntoResponse {
    AppError::NotFound(format!("there is nothing at {}", uri.path()))
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: App,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer address feeds the audit log and sign-in throttling.
    axum::serve(listener, router(app).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
