//! What every response promises, whatever produced it (a handler, an extractor, or a layer in front of
//! them such as the body limit and the timeout): nothing carrying personal data or a secret is kept
//! by a browser or proxy cache, and every API error is the documented JSON.

use crate::error::AppError;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn layer(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let mut res = next.run(req).await;
    if path.starts_with("/api/") && !is_json_error(&res) {
        res = rewrite(res, &path);
    }
    if may_be_cached(&path) {
        return res;
    }
    // Pages, API answers, CSV files and agreements name children and carry session secrets: a shared
    // computer's browser cache or a proxy must not keep them. Simplest honest rule: nothing but the
    // static assets and the health check may be stored.
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Replaces the body with the documented error, keeping the headers the layers set (request id,
/// security headers).
fn rewrite(res: Response, path: &str) -> Response {
    let (mut parts, _) = res.into_parts();
    let (json, body) = json_error(parts.status, path).into_response().into_parts();
    parts.status = json.status;
    parts.headers.remove(header::CONTENT_LENGTH);
    if let Some(ct) = json.headers.get(header::CONTENT_TYPE) {
        parts.headers.insert(header::CONTENT_TYPE, ct.clone());
    }
    Response::from_parts(parts, body)
}

/// The static assets hold nothing personal, and the health check only says "ok".
fn may_be_cached(path: &str) -> bool {
    path.starts_with("/static/") || path == "/health"
}

/// A success, or an error already in the documented shape.
fn is_json_error(res: &Response) -> bool {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return true;
    }
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"))
}

/// The documented error for a status produced outside the handlers (their errors are already JSON).
fn json_error(status: StatusCode, path: &str) -> AppError {
    match status {
        StatusCode::REQUEST_TIMEOUT => AppError::Timeout,
        StatusCode::PAYLOAD_TOO_LARGE => crate::extract::too_large(),
        StatusCode::METHOD_NOT_ALLOWED => {
            AppError::MethodNotAllowed(format!("{path} does not take this method; see the API document"))
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            AppError::UnsupportedMediaType("send the body as JSON, with Content-Type: application/json".into())
        }
        StatusCode::NOT_FOUND => AppError::NotFound(format!("there is nothing at {path}")),
        s if s.is_client_error() => AppError::Malformed(format!(
            "the request could not be understood ({}); check it against the API document",
            s.canonical_reason().unwrap_or("bad request")
        )),
        _ => AppError::InternalMessage(format!("a layer answered {status} without a body")),
    }
}
