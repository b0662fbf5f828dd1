//! One error type for every handler: it becomes a JSON body with a stable `code` and a sentence a
//! person can act on, and never leaks internals (those go to the log, once, here).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hearth_domain::{DomainError, ValidationErrors};
use hearth_service::ServiceError;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("the form or request is missing its CSRF token, or it is out of date; reload the page and try again")]
    Csrf,
    /// The sentence, and the seconds to send as `Retry-After`.
    #[error("{0}")]
    Throttled(String, i64),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(ValidationErrors),
    /// A value refused where it was read (a JSON body, a query), named by its path in the request.
    #[error("{field}: {message}")]
    InvalidAt { field: String, message: String },
    /// The body is not JSON, or not JSON at all.
    #[error("{0}")]
    Malformed(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("the request took too long and was stopped; try again, or send less at once")]
    Timeout,
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("the service is unavailable: {0}")]
    Unavailable(String),
    #[error("internal failure: {0}")]
    InternalMessage(String),
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable: `malformed` (400), `unauthenticated` (401), `forbidden` and `csrf` (403),
    /// `not_found` (404), `method_not_allowed` (405), `timeout` (408), `conflict` (409), `too_large` (413),
    /// `unsupported_media_type` (415), `invalid` (422), `too_many_attempts` (429), `unavailable` (503),
    /// `internal` (500).
    pub code: &'static str,
    /// What went wrong, in words a person can act on.
    pub message: String,
    /// For `invalid`: one entry per field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldError {
    /// The field as the request named it; nested fields as a path, e.g. `details.health`.
    pub field: String,
    pub message: String,
}

impl From<ServiceError> for AppError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Unauthenticated(m) => Self::Unauthenticated(m.to_owned()),
            e @ ServiceError::Forbidden(_) => Self::Forbidden(e.to_string()),
            ServiceError::NotFound(what) => Self::NotFound(format!("{what} was not found")),
            ServiceError::Conflict(m) => Self::Conflict(m),
            ServiceError::Invalid(errs) => Self::Invalid(errs),
            e @ (ServiceError::Throttled { retry_after_secs }
            | ServiceError::TooManyApplications { retry_after_secs }) => {
                Self::Throttled(e.to_string(), retry_after_secs)
            }
            ServiceError::Unavailable => Self::Unavailable("the database cannot be reached; try again shortly".into()),
            ServiceError::Internal(m) => Self::InternalMessage(m),
        }
    }
}

impl From<ValidationErrors> for AppError {
    fn from(e: ValidationErrors) -> Self {
        Self::Invalid(e)
    }
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        Self::Invalid(e.into())
    }
}

impl AppError {
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated"),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            Self::Csrf => (StatusCode::FORBIDDEN, "csrf"),
            Self::Throttled(..) => (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            Self::Invalid(_) | Self::InvalidAt { .. } => (StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
            Self::Malformed(_) => (StatusCode::BAD_REQUEST, "malformed"),
            Self::UnsupportedMediaType(_) => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type"),
            Self::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
            Self::Timeout => (StatusCode::REQUEST_TIMEOUT, "timeout"),
            Self::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Self::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            Self::InternalMessage(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl AppError {
    /// The `Retry-After` header a refusal carries: when trying again can help.
    pub fn retry_after(&self) -> Option<(axum::http::HeaderName, axum::http::HeaderValue)> {
        match self {
            Self::Throttled(_, secs) => Some((axum::http::header::RETRY_AFTER, axum::http::HeaderValue::from(*secs))),
            _ => None,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        let retry_after = self.retry_after();
        let (message, fields) = match self {
            e @ Self::InternalMessage(_) => {
                tracing::error!(error = %e, "request failed");
                (
                    "something went wrong on our side; it has been logged, try again or contact support".to_owned(),
                    vec![],
                )
            }
            Self::Invalid(errs) => (
                "some of the values sent were not accepted; see fields".to_owned(),
                errs.0.into_iter().map(|e| FieldError { field: e.field.to_owned(), message: e.message }).collect(),
            ),
            Self::InvalidAt { field, message } => {
                ("the value sent was not accepted; see fields".to_owned(), vec![FieldError { field, message }])
            }
            other => (other.to_string(), vec![]),
        };
        let mut response = (status, Json(ErrorBody { error: ErrorDetail { code, message, fields } })).into_response();
        response.headers_mut().extend(retry_after);
        response
    }
}
