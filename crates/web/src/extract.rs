//! The API's extractors: axum's `Json`, `Path` and `Query`, except that whatever they refuse becomes
//! an [`AppError`] (the documented JSON error, never axum's plain text), and that every JSON body and
//! query is held to the domain's text rule before any handler or database sees it: no control
//! characters, no string longer than a person would type, no list longer than a form could hold, no
//! field the route does not know (the bodies' types deny unknown fields). Both databases therefore
//! refuse the same input with the same words.

use crate::error::AppError;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, OptionalFromRequest, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_domain::text::{self, Shape};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// How deep a JSON body may nest. Hearth's deepest body (a referral's details) is two levels; a deep
/// body is an attack on the parser, not a request.
pub const MAX_DEPTH: usize = 4;

/// A JSON request body checked as above, or a JSON response.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(not_json());
        }
        let bytes = Bytes::from_request(req, state).await.map_err(body_error)?;
        parse(&bytes).map(Json)
    }
}

/// An optional body (accepting an offer): none at all is `None`; anything sent is checked as JSON.
impl<T: DeserializeOwned, S: Send + Sync> OptionalFromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Option<Self>, Self::Rejection> {
        let json = is_json(req.headers());
        let bytes = Bytes::from_request(req, state).await.map_err(body_error)?;
        match (json, bytes.is_empty()) {
            (false, true) => Ok(None),
            (false, false) => Err(not_json()),
            (true, _) => parse(&bytes).map(|v| Some(Json(v))),
        }
    }
}

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else { return false };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn not_json() -> AppError {
    AppError::UnsupportedMediaType("send the body as JSON, with the header Content-Type: application/json".into())
}

fn body_error(e: BytesRejection) -> AppError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large()
    } else {
        AppError::Malformed(format!("the request body could not be read: {}", e.body_text()))
    }
}

pub fn too_large() -> AppError {
    AppError::TooLarge(format!(
        "the request is larger than {} KiB; no request to Hearth needs that much",
        crate::MAX_BODY_BYTES / 1024
    ))
}

/// Parses a body: JSON syntax first (400), then the text rule over every value, then the route's type,
/// whose refusal names the field by its path (422).
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        AppError::Malformed(format!("the body is not valid JSON ({e}); check the quotes, commas and brackets"))
    })?;
    check_value(&value, &mut String::new(), 0)?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = match e.path().to_string() {
            p if p == "." => "body".to_owned(),
            p => p,
        };
        AppError::InvalidAt { field, message: e.inner().to_string() }
    })
}

/// Walks a JSON value, holding every string to the domain's paragraph rule and every list to its cap.
/// Fields that must be one line are checked again, more strictly, where the domain parses them.
fn check_value(value: &Value, path: &mut String, depth: usize) -> Result<(), AppError> {
    let at = |path: &str, message: String| AppError::InvalidAt {
        field: if path.is_empty() { "body".to_owned() } else { path.to_owned() },
        message,
    };
    if depth > MAX_DEPTH {
        return Err(at(path, format!("nests more than {MAX_DEPTH} levels deep; no Hearth request does")));
    }
    match value {
        Value::String(s) => {
            text::check("", s, Shape::Paragraphs, text::MAX_PARAGRAPH_CHARS).map_err(|e| at(path, e.message))
        }
        Value::Array(items) => {
            text::check_list("", items.len(), text::MAX_LIST_ITEMS).map_err(|e| at(path, e.message))?;
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                check_value(item, path, depth + 1)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Object(fields) => {
            for (name, item) in fields {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                // A field's name is text too: it is echoed back when refused.
                text::check_line("", name).map_err(|e| at(path, format!("a field name {}", e.message)))?;
                path.push_str(name);
                check_value(item, path, depth + 1)?;
                path.truncate(len);
            }
            Ok(())
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => Ok(()),
    }
}

/// A path parameter. One that does not parse (an id too large, letters for a number) names nothing
/// that exists: 404, like any other address with nothing at it.
#[derive(Debug, Clone, Copy)]
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(e) => Err(AppError::NotFound(format!(
                "there is nothing at {}: {}",
                parts.uri.path(),
                e.body_text().trim_start_matches("Invalid URL: ")
            ))),
        }
    }
}

/// Query parameters: every value one line of text, then the route's type (422 naming the problem).
#[derive(Debug, Clone, Copy, Default)]
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw)
            .map_err(|e| AppError::InvalidAt { field: "query".into(), message: e.to_string() })?;
        for (name, value) in &pairs {
            text::check_line("", value).map_err(|e| AppError::InvalidAt { field: name.clone(), message: e.message })?;
        }
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(e) => Err(AppError::InvalidAt {
                field: "query".into(),
                message: e.body_text().trim_start_matches("Failed to deserialize query string: ").to_owned(),
            }),
        }
    }
}
