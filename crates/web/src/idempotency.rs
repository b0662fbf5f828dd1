//! The `Idempotency-Key` header on API POSTs: the first request with a key runs and its answer is kept;
//! a retry with the same key and the same request gets that answer again (marked
//! `idempotent-replayed: true`), a retry while the first still runs gets 409, and the key reused for a
//! different request gets 422. Answers of 5xx are not kept, so a failed request can be retried.
//! Requests without the header, or without a credential, pass straight through.

use crate::App;
use crate::auth::{SESSION_COOKIE, cookie};
use crate::error::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hearth_domain::{DomainError, ValidationErrors};
use hearth_service::idempotency::{KeyState, fingerprint};

const HEADER: &str = "idempotency-key";
/// Bodies are already limited to 1 MiB by the router; answers kept are limited the same.
const MAX_BODY: usize = crate::MAX_BODY_BYTES;

pub async fn layer(State(app): State<App>, req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(raw_key) = req.headers().get(HEADER) else { return next.run(req).await };
    let key = match raw_key.to_str().map(str::trim) {
        Ok(k) if !k.is_empty() && k.len() <= 255 => k.to_owned(),
        _ => {
            let e = DomainError::new("Idempotency-Key", "the key must be 1 to 255 visible characters");
            return AppError::Invalid(ValidationErrors(vec![e])).into_response();
        }
    };
    let credential = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| cookie(req.headers(), SESSION_COOKIE));
    let Some(credential) = credential else { return next.run(req).await };
    let owner = fingerprint(&[credential.as_bytes()]);

    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return crate::extract::too_large().into_response();
    };
    let print = fingerprint(&[parts.method.as_str().as_bytes(), parts.uri.path().as_bytes(), &bytes]);
    match app.services.idempotency_start(&owner, &key, &print).await {
        Err(e) => return AppError::from(e).into_response(),
        Ok(KeyState::Replay { status, body }) => return replay(status, body),
        Ok(KeyState::InProgress) => {
            return AppError::Conflict(
                "a request with this Idempotency-Key is still being handled; retry in a moment for its answer".into(),
            )
            .into_response();
        }
        Ok(KeyState::Mismatch) => {
            let e = DomainError::new(
                "Idempotency-Key",
                "this key was used for a different request; use a new key for a new request",
            );
            return AppError::Invalid(ValidationErrors(vec![e])).into_response();
        }
        Ok(KeyState::Started) => {}
    }

    let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    let status = response.status();
    let (parts, body) = response.into_parts();
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            let _ = app.services.idempotency_abandon(&owner, &key).await;
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let kept = if status.is_server_error() || status == StatusCode::UNAUTHORIZED {
        app.services.idempotency_abandon(&owner, &key).await
    } else {
        app.services.idempotency_finish(&owner, &key, status.as_u16(), &String::from_utf8_lossy(&bytes)).await
    };
    if let Err(e) = kept {
        // The request itself succeeded: answer it; only a retry of it would run again.
        tracing::error!(error = %e, "idempotency key not recorded");
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn replay(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let mut r = (status, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    r
}
