//! Signing in and out, and the caller's own sessions.

use crate::App;
use crate::auth::{Auth, origin_of, session_cookie};
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::Path;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use hearth_domain::access::{Credential, Principal};
use hearth_service::Origin;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(sign_in, whoami, sign_out))
        .routes(routes!(my_sessions))
        .routes(routes!(end_session))
        .routes(routes!(sign_out_everywhere))
}

/// The request's origin, for handlers that run before anyone is signed in.
pub struct ReqOrigin(pub Origin);

impl<S: Send + Sync> FromRequestParts<S> for ReqOrigin {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(origin_of(parts)))
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    pub email: String,
    pub password: String,
}

/// Who the caller is and what they may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub user: i64,
    pub organisation: i64,
    pub organisation_kind: String,
    pub la_code: Option<u16>,
    pub role: String,
    /// `session` or `token`.
    pub credential: &'static str,
    /// What this caller may do (capability codes, as API token scopes are written).
    pub capabilities: Vec<&'static str>,
    /// For a session: the token to send as `x-csrf-token` on every request that changes something.
    pub csrf_token: Option<String>,
}

impl Me {
    pub fn new(p: &Principal, csrf: Option<String>) -> Self {
        Self {
            user: p.user.0,
            organisation: p.organisation.0,
            organisation_kind: p.organisation_kind.code().to_owned(),
            la_code: p.la_code,
            role: p.role.code().to_owned(),
            credential: match p.credential {
                Credential::Session => "session",
                Credential::Token => "token",
            },
            capabilities: hearth_domain::access::Capability::ALL
                .iter()
                .filter(|c| p.can(**c))
                .map(|c| c.code())
                .collect(),
            csrf_token: csrf,
        }
    }
}

/// Signs in with an e-mail address and password; sets the session cookie and returns the CSRF token.
/// Repeated failures lock the account, and the address, for 15 minutes.
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignInRequest,
    responses((status = 201, body = Me), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn sign_in(
    State(app): State<App>,
    ReqOrigin(origin): ReqOrigin,
    Json(req): Json<SignInRequest>,
) -> Result<Response, AppError> {
    let signed = app.services.sign_in(&req.email, &req.password, &origin).await?;
    let max_age = signed.expires_at.duration_since(app.services.now()).as_secs();
    let cookie = session_cookie(Some(&signed.session_secret), max_age);
    Ok((StatusCode::CREATED, [(header::SET_COOKIE, cookie)], Json(Me::new(&signed.principal, Some(signed.csrf_token))))
        .into_response())
}

/// Who is signed in (or which organisation's token this is).
#[utoipa::path(get, path = "/api/v1/session", tag = "session",
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
async fn whoami(auth: Auth) -> Json<Me> {
    Json(Me::new(&auth.principal, auth.session.map(|(_, csrf)| csrf)))
}

/// Signs out this session.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "called with an API token, which has no session")))]
async fn sign_out(State(app): State<App>, auth: Auth) -> Result<Response, AppError> {
    let Some((id, _)) = auth.session else {
        return Err(AppError::Invalid(
            hearth_domain::DomainError::new("session", "an API token has no session; revoke the token instead").into(),
        ));
    };
    app.services.sign_out(&auth.principal, id, &auth.origin).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, session_cookie(None, 0))]).into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub id: i64,
    pub created_at: String,
    pub expires_at: String,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The session this request came with.
    pub current: bool,
}

/// The caller's live sessions, newest first.
#[utoipa::path(get, path = "/api/v1/sessions", tag = "session",
    responses((status = 200, body = Vec<SessionView>), (status = 401, body = ErrorBody)))]
async fn my_sessions(State(app): State<App>, auth: Auth) -> Result<Json<Vec<SessionView>>, AppError> {
    let current = auth.session.as_ref().map(|(id, _)| *id);
    let list = app.services.my_sessions(&auth.principal).await?;
    Ok(Json(
        list.into_iter()
            .map(|s| SessionView {
                id: s.id,
                created_at: s.created_at.to_string(),
                expires_at: s.expires_at.to_string(),
                ip: s.ip,
                user_agent: s.user_agent,
                current: Some(s.id) == current,
            })
            .collect(),
    ))
}

/// Ends one of the caller's sessions (another device, say).
#[utoipa::path(delete, path = "/api/v1/sessions/{id}", tag = "session",
    params(("id" = i64, Path, description = "Session id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn end_session(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<StatusCode, AppError> {
    app.services.sign_out(&auth.principal, id, &auth.origin).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Ended {
    pub sessions_ended: u64,
}

/// Signs the caller out everywhere, this session included.
#[utoipa::path(post, path = "/api/v1/sessions/revoke-all", tag = "session",
    responses((status = 200, body = Ended), (status = 401, body = ErrorBody)))]
async fn sign_out_everywhere(State(app): State<App>, auth: Auth) -> Result<Response, AppError> {
    let n = app.services.sign_out_everywhere(&auth.principal, &auth.origin).await?;
    Ok(([(header::SET_COOKIE, session_cookie(None, 0))], Json(Ended { sessions_ended: n })).into_response())
}
