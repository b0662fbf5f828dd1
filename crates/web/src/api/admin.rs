//! Administration: an organisation's users, its API tokens and its audit trail.

use crate::App;
use crate::auth::Auth;
use crate::error::{AppError, ErrorBody};
use crate::extract::Json;
use crate::extract::{Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use hearth_domain::access::Capability;
use hearth_domain::{DomainError, OrganisationId, UserId, ValidationErrors};
use hearth_service::admin::{UserForm, UserView};
use hearth_service::{ApiTokenRecord, AuditQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_users, add_user))
        .routes(routes!(change_user))
        .routes(routes!(unlock_user))
        .routes(routes!(list_tokens, issue_token))
        .routes(routes!(revoke_token))
        .routes(routes!(search_audit))
}

/// The users of an organisation: its administrators, and platform administrators.
#[utoipa::path(get, path = "/api/v1/organisations/{id}/users", tag = "admin",
    params(("id" = i64, Path, description = "Organisation id")),
    responses((status = 200, body = Vec<UserView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn list_users(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<Vec<UserView>>, AppError> {
    Ok(Json(app.services.users(&auth.principal, OrganisationId(id)).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    pub email: String,
    pub display_name: String,
    /// A role code, e.g. `placement_officer`; it must fit the organisation's kind.
    pub role: String,
    /// At least 12 characters.
    pub password: String,
}

/// Adds a user to an organisation.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/users", tag = "admin", request_body = NewUserRequest,
    params(("id" = i64, Path, description = "Organisation id")),
    responses((status = 201, body = UserView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn add_user(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(req): Json<NewUserRequest>,
) -> Result<(StatusCode, Json<UserView>), AppError> {
    let form = UserForm { email: req.email, display_name: req.display_name, role: req.role, password: req.password };
    let user = app.services.create_user(&auth.principal, OrganisationId(id), &form, &auth.origin).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Unlocked {
    /// How many recent failed sign-ins were forgotten.
    pub failures_cleared: u64,
}

/// Unlocks a user's sign-in after failed attempts: forgets them, so the user can sign in at once
/// from anywhere. Audited (`user.unlock`). Reactivating a user does the same.
#[utoipa::path(post, path = "/api/v1/users/{id}/unlock", tag = "admin",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = Unlocked), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
async fn unlock_user(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<Json<Unlocked>, AppError> {
    let failures_cleared = app.services.unlock_user(&auth.principal, UserId(id), &auth.origin).await?;
    Ok(Json(Unlocked { failures_cleared }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserChangeRequest {
    pub role: Option<String>,
    /// `false` deactivates the user and ends their sessions at once.
    pub active: Option<bool>,
}

/// Changes a user's role, or deactivates or reactivates them.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "admin", request_body = UserChangeRequest,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn change_user(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<i64>,
    Json(req): Json<UserChangeRequest>,
) -> Result<Json<UserView>, AppError> {
    let user =
        app.services.update_user(&auth.principal, UserId(id), req.role.as_deref(), req.active, &auth.origin).await?;
    Ok(Json(user))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub scopes: Vec<&'static str>,
    pub issued_by: i64,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<ApiTokenRecord> for TokenView {
    fn from(t: ApiTokenRecord) -> Self {
        Self {
            id: t.id,
            name: t.name,
            scopes: t.scopes.iter().map(|s| s.code()).collect(),
            issued_by: t.issued_by.0,
            created_at: t.created_at.to_string(),
            expires_at: t.expires_at.map(|e| e.to_string()),
            revoked_at: t.revoked_at.map(|e| e.to_string()),
        }
    }
}

/// The caller's organisation's API tokens (never their secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "admin",
    responses((status = 200, body = Vec<TokenView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
async fn list_tokens(State(app): State<App>, auth: Auth) -> Result<Json<Vec<TokenView>>, AppError> {
    Ok(Json(app.services.tokens(&auth.principal).await?.into_iter().map(TokenView::from).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTokenRequest {
    /// What uses the token, e.g. "case management system".
    pub name: String,
    /// Scope codes, e.g. `sent-referrals:read`.
    pub scopes: Vec<String>,
    /// 1 to 366; none for a token that lasts until revoked.
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedToken {
    /// The bearer secret: shown this once, stored only as a hash.
    pub secret: String,
    pub token: TokenView,
}

/// Issues an API token for the caller's organisation, limited to the scopes given.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "admin", request_body = NewTokenRequest,
    responses((status = 201, body = IssuedToken), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn issue_token(
    State(app): State<App>,
    auth: Auth,
    Json(req): Json<NewTokenRequest>,
) -> Result<(StatusCode, Json<IssuedToken>), AppError> {
    let mut errors = ValidationErrors::default();
    let scopes: Vec<Capability> = req.scopes.iter().filter_map(|s| errors.check(Capability::parse(s))).collect();
    errors.into_result()?;
    let (record, secret) =
        app.services.issue_token(&auth.principal, &req.name, &scopes, req.expires_in_days, &auth.origin).await?;
    Ok((StatusCode::CREATED, Json(IssuedToken { secret, token: record.into() })))
}

/// Revokes one of the caller's organisation's tokens; it stops working at once.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "admin",
    params(("id" = i64, Path, description = "Token id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn revoke_token(State(app): State<App>, auth: Auth, Path(id): Path<i64>) -> Result<StatusCode, AppError> {
    app.services.revoke_token(&auth.principal, id, &auth.origin).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditParams {
    /// Actions starting with this, e.g. `child.` or `session.sign_in_failed`.
    pub action: Option<String>,
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    /// RFC 3339 time, e.g. 2026-11-25T09:00:00Z.
    pub since: Option<String>,
    pub until: Option<String>,
    /// At most 1,000 (the default).
    pub limit: Option<u32>,
}

fn parse_time(field: &'static str, raw: Option<&str>) -> Result<Option<jiff::Timestamp>, DomainError> {
    raw.map(|s| {
        s.parse::<jiff::Timestamp>()
            .map_err(|_| DomainError::new(field, format!("'{s}' is not a time; write it like 2026-11-25T09:00:00Z")))
    })
    .transpose()
}

/// Searches the caller's organisation's audit trail, newest first. Nobody can change or delete it.
#[utoipa::path(get, path = "/api/v1/audit", tag = "admin", params(AuditParams),
    responses((status = 200, body = Vec<Object>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
async fn search_audit(
    State(app): State<App>,
    auth: Auth,
    Query(q): Query<AuditParams>,
) -> Result<Json<Vec<hearth_service::admin::AuditLine>>, AppError> {
    let mut errors = ValidationErrors::default();
    let since = errors.check(parse_time("since", q.since.as_deref())).flatten();
    let until = errors.check(parse_time("until", q.until.as_deref())).flatten();
    errors.into_result()?;
    let query = AuditQuery {
        organisation: None,
        action_prefix: q.action,
        record_type: q.record_type,
        record_id: q.record_id,
        since,
        until,
        limit: q.limit.unwrap_or(0),
    };
    Ok(Json(app.services.audit(&auth.principal, query).await?))
}
