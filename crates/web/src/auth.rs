//! Who is asking: a bearer token (API clients) or a session cookie (people), turned into the
//! [`Principal`] every service call takes. Cookie-authenticated requests that change something must
//! also carry the session's CSRF token, so another site cannot make a signed-in browser act.

use crate::{App, AppError};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use hearth_domain::access::Principal;
use hearth_service::Origin;
use std::net::SocketAddr;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "hearth_session";
/// The header (API) or form field (pages) that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A signed-in caller, with the session behind it when there is one.
#[derive(Debug, Clone)]
pub struct Auth {
    pub principal: Principal,
    /// The session's id and CSRF token; `None` for API tokens.
    pub session: Option<(i64, String)>,
    pub origin: Origin,
}

/// Where the request came from. The peer address is used as it is: behind a reverse proxy every
/// request would share the proxy's, so deployments put Hearth's own TLS and address at the edge.
pub fn origin_of(parts: &Parts) -> Origin {
    let ip =
        parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(a)| a.ip().to_string()).unwrap_or_default();
    let user_agent =
        parts.headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).map(|s| s.chars().take(200).collect());
    Origin { ip, user_agent }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim)
}

/// Compares without stopping at the first difference, so response time says nothing about the token.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn changes_something(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<App> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let origin = origin_of(parts);
        if let Some(token) = bearer(&parts.headers) {
            let principal = app.services.authenticate_token(token).await?;
            return Ok(Self { principal, session: None, origin });
        }
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(AppError::Unauthenticated("sign in first: send a session cookie or a bearer token".into()));
        };
        let (principal, session) = app.services.authenticate_session(&secret).await?;
        if changes_something(&parts.method) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
            if !same_secret(sent, &session.csrf_token) {
                return Err(AppError::Csrf);
            }
        }
        Ok(Self { principal, session: Some((session.id, session.csrf_token)), origin })
    }
}

/// The `Set-Cookie` value that starts a session, or (with `None`) ends it in the browser.
pub fn session_cookie(secret: Option<&str>, max_age_secs: i64) -> String {
    match secret {
        Some(s) => format!("{SESSION_COOKIE}={s}; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age={max_age_secs}"),
        None => format!("{SESSION_COOKIE}=; HttpOnly; Secure; SameSite=Lax; Path=/; Max-Age=0"),
    }
}
