//! Administrators' pages: the organisation's users (add, change role, deactivate), its API tokens
//! (issue, shown once; revoke) and its audit trail. Every check is the service's.

use super::forms::{FormState, Posted};
use super::{Chrome, ErrorItem, PageError, Signed, render};
use crate::App;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::{DomainError, UserId};
use hearth_service::admin::{UserForm, UserView};
use hearth_service::{ApiTokenRecord, AuditQuery};
use serde::Deserialize;

pub fn router() -> Router<App> {
    Router::new()
        .route("/admin/users", get(users))
        .route("/admin/users/new", get(new_user_form).post(add_user))
        .route("/admin/users/{id}", get(user_page))
        .route("/admin/users/{id}/role", post(change_role))
        .route("/admin/users/{id}/active", post(set_active))
        .route("/admin/users/{id}/unlock", post(unlock_user))
        .route("/admin/tokens", get(tokens).post(issue_token))
        .route("/admin/tokens/{id}/revoke", post(revoke_token))
        .route("/admin/audit", get(audit))
}

pub type Reply = Result<Response, PageError>;

fn minute(t: jiff::Timestamp) -> String {
    super::words::london_short(t)
}

/// The roles a person in the caller's organisation can be given.
fn role_options(p: &Principal) -> Vec<(&'static str, &'static str)> {
    p.roles_to_give(p.organisation_kind).map(|r| (r.code(), r.label())).collect()
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    notice: Option<String>,
    users: Vec<UserView>,
}

#[derive(Deserialize)]
pub struct Added {
    added: Option<i64>,
    changed: Option<i64>,
    unlocked: Option<i64>,
}

async fn users(State(app): State<App>, who: Signed, Query(q): Query<Added>) -> Reply {
    let mut users = app.services.users(&who.principal, who.principal.organisation).await?;
    users.sort_by(|a, b| a.display_name.cmp(&b.display_name));
    let named = |id: Option<i64>| id.and_then(|id| users.iter().find(|u| u.id == UserId(id)));
    let notice = match (named(q.added), named(q.changed), named(q.unlocked)) {
        (Some(u), _, _) => Some(format!("{} was added as {}", u.display_name, u.role.label().to_lowercase())),
        (_, Some(u), _) => Some(format!("{}'s account was changed", u.display_name)),
        (_, _, Some(u)) => Some(format!("{} can sign in again: their failed attempts were forgotten", u.display_name)),
        _ => None,
    };
    let page = UsersPage { chrome: who.chrome(), title: "Users", error_title: false, notice, users };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "admin_user_new.html")]
struct NewUserPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    form: FormState,
    roles: Vec<(&'static str, &'static str)>,
    csrf_token: String,
}

fn new_user_page(principal: &Principal, chrome: Chrome, csrf: &str, form: FormState) -> Response {
    let status = form.status();
    let page = NewUserPage {
        chrome,
        title: "Add a user",
        error_title: form.has_errors(),
        errors: form.summary(),
        form,
        roles: role_options(principal),
        csrf_token: csrf.to_owned(),
    };
    render(status, &page)
}

async fn new_user_form(who: Signed) -> Reply {
    // Refuse a role that cannot add users before showing a form it could never send.
    who.principal.require(Capability::ManageUsers).map_err(|d| hearth_service::ServiceError::denied(d, "users"))?;
    Ok(new_user_page(&who.principal, who.chrome(), &who.session.csrf_token, FormState::default()))
}

async fn add_user(State(app): State<App>, post: Posted) -> Reply {
    let f = &post.fields;
    let form = UserForm {
        email: f.get("email").trim().to_owned(),
        display_name: f.get("display_name").to_owned(),
        role: f.get("role").to_owned(),
        password: f.get("password").to_owned(),
    };
    let mut state = FormState::new(post.fields.clone());
    if form.role.is_empty() {
        state.add("role", "Choose the person's role");
    } else {
        let created = app.services.create_user(&post.principal, post.principal.organisation, &form, &post.origin).await;
        if let Some(user) = state.absorb(created, &[])? {
            return Ok(Redirect::to(&format!("/admin/users?added={}", user.id)).into_response());
        }
    }
    let chrome = Chrome::for_principal(&post.principal, &post.session.csrf_token, None);
    Ok(new_user_page(&post.principal, chrome, &post.session.csrf_token, state))
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    errors: Vec<ErrorItem>,
    user: UserView,
    form: FormState,
    roles: Vec<(&'static str, &'static str)>,
    csrf_token: String,
}

async fn user_page_with(app: &App, p: &Principal, csrf: &str, id: i64, mut form: FormState) -> Reply {
    let user = app
        .services
        .users(p, p.organisation)
        .await?
        .into_iter()
        .find(|u| u.id == UserId(id))
        .ok_or_else(|| hearth_service::ServiceError::NotFound(format!("user {id}")))?;
    if form.value("role").is_empty() {
        form.fields.set("role", user.role.code());
    }
    let page = UserPage {
        chrome: Chrome::for_principal(p, csrf, None),
        title: user.display_name.clone(),
        error_title: form.has_errors(),
        errors: form.summary(),
        user,
        form,
        roles: role_options(p),
        csrf_token: csrf.to_owned(),
    };
    let status = page.form.status();
    Ok(render(status, &page))
}

async fn user_page(State(app): State<App>, who: Signed, Path(id): Path<i64>) -> Reply {
    user_page_with(&app, &who.principal, &who.session.csrf_token, id, FormState::default()).await
}

/// Applies a change to a user; field errors come back on the user's page with what was chosen.
async fn change_user(app: &App, post: Posted, id: i64, role: Option<&str>, active: Option<bool>) -> Reply {
    let changed = app.services.update_user(&post.principal, UserId(id), role, active, &post.origin).await;
    let mut state = FormState::new(post.fields.clone());
    if state.absorb(changed, &[])?.is_some() {
        return Ok(Redirect::to(&format!("/admin/users?changed={id}")).into_response());
    }
    user_page_with(app, &post.principal, &post.session.csrf_token, id, state).await
}

async fn change_role(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let role = post.fields.get("role").to_owned();
    change_user(&app, post, id, Some(&role), None).await
}

async fn set_active(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    let active = post.fields.get("active") == "true";
    change_user(&app, post, id, None, Some(active)).await
}

/// Forgets the user's failed sign-ins, so no throttle holds them back.
async fn unlock_user(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    app.services.unlock_user(&post.principal, UserId(id), &post.origin).await?;
    Ok(Redirect::to(&format!("/admin/users?unlocked={id}")).into_response())
}

struct TokenRow {
    id: i64,
    name: String,
    scopes: String,
    created_at: String,
    expires_at: String,
    live: bool,
    status: &'static str,
}

#[derive(Template)]
#[template(path = "admin_tokens.html")]
struct TokensPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    /// A token just issued: its name and secret, shown this once.
    issued: Option<(String, String)>,
    tokens: Vec<TokenRow>,
    form: FormState,
    scopes: Vec<(&'static str, &'static str)>,
    csrf_token: String,
}

async fn tokens_page(app: &App, p: &Principal, csrf: &str, form: FormState, issued: Option<(String, String)>) -> Reply {
    let now = app.services.now();
    let mut rows: Vec<TokenRow> = app
        .services
        .tokens(p)
        .await?
        .into_iter()
        .map(|t: ApiTokenRecord| {
            let live = t.is_live(now);
            TokenRow {
                id: t.id,
                scopes: t.scopes.iter().map(|s| s.code()).collect::<Vec<_>>().join(", "),
                created_at: minute(t.created_at),
                expires_at: t.expires_at.map_or_else(|| "Never".to_owned(), minute),
                status: if t.revoked_at.is_some() {
                    "Revoked"
                } else if live {
                    "Live"
                } else {
                    "Expired"
                },
                live,
                name: t.name,
            }
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    let scopes = Capability::ALL.iter().filter(|c| p.may_grant(**c)).map(|c| (c.code(), c.label())).collect();
    let status = form.status();
    let page = TokensPage {
        chrome: Chrome::for_principal(p, csrf, None),
        title: "API tokens",
        error_title: form.has_errors(),
        errors: form.summary(),
        // A secret must not linger in a browser's or proxy's cache.
        issued,
        tokens: rows,
        form,
        scopes,
        csrf_token: csrf.to_owned(),
    };
    let mut response = render(status, &page);
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn tokens(State(app): State<App>, who: Signed) -> Reply {
    tokens_page(&app, &who.principal, &who.session.csrf_token, FormState::default(), None).await
}

async fn issue_token(State(app): State<App>, post: Posted) -> Reply {
    let f = &post.fields;
    let mut state = FormState::new(f.clone());
    let scopes: Vec<Capability> =
        f.all("scopes").iter().filter_map(|s| state_check(&mut state, Capability::parse(s))).collect();
    // Days that are not a number are sent as 0, which the service refuses with the allowed range,
    // alongside anything else wrong with the form.
    let days = match f.get("expires_in_days").trim() {
        "" => None,
        raw => Some(raw.parse::<u32>().unwrap_or(0)),
    };
    let mut issued = None;
    if !state.has_errors() {
        let result = app.services.issue_token(&post.principal, f.get("name"), &scopes, days, &post.origin).await;
        if let Some((record, secret)) = state.absorb(result, &[])? {
            issued = Some((record.name, secret));
            state = FormState::default();
        }
    }
    tokens_page(&app, &post.principal, &post.session.csrf_token, state, issued).await
}

fn state_check<T>(state: &mut FormState, r: Result<T, DomainError>) -> Option<T> {
    r.map_err(|e| state.add("scopes", e.message)).ok()
}

async fn revoke_token(State(app): State<App>, Path(id): Path<i64>, post: Posted) -> Reply {
    app.services.revoke_token(&post.principal, id, &post.origin).await?;
    Ok(Redirect::to("/admin/tokens").into_response())
}

struct AuditRow {
    at: String,
    actor: String,
    organisation: String,
    action: String,
    record: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    form: FormState,
    rows: Vec<AuditRow>,
    limit: u32,
}

/// The date fields of the search, as days in England (the times the page shows are UK time).
fn day(state: &mut FormState, field: &'static str, end: bool) -> Option<jiff::Timestamp> {
    let what = if end { "the date to search to" } else { "the date to search from" };
    let d = state.date(field, what, false)?;
    let d = if end { d.tomorrow().unwrap_or(d) } else { d };
    super::words::london_day_start(d)
}

const AUDIT_LIMIT: u32 = 200;

async fn audit(State(app): State<App>, who: Signed, Query(q): Query<Vec<(String, String)>>) -> Reply {
    let mut form = FormState::new(super::forms::Fields(q));
    let since = day(&mut form, "since", false);
    let until = day(&mut form, "until", true);
    let mut rows = vec![];
    if !form.has_errors() {
        let query = AuditQuery {
            organisation: None,
            action_prefix: Some(form.value("action").trim().to_owned()).filter(|a| !a.is_empty()),
            record_type: None,
            record_id: None,
            since,
            until,
            limit: AUDIT_LIMIT,
        };
        let found = app.services.audit(&who.principal, query).await;
        // The service names the end of the period `until`: the page's field of the same name.
        if let Some(entries) = form.absorb(found, &[])? {
            rows = entries
                .into_iter()
                .map(|line| (line.entry, line.who, line.organisation_name))
                .map(|(e, who, org)| AuditRow {
                    at: minute(e.at),
                    actor: who,
                    organisation: org.unwrap_or_default(),
                    action: e.action,
                    record: match e.record_id {
                        Some(id) => format!("{} {id}", e.record_type),
                        None => e.record_type,
                    },
                    detail: e.detail.unwrap_or_default(),
                })
                .collect();
        }
    }
    let status = form.status();
    let page = AuditPage {
        chrome: who.chrome(),
        title: "Audit trail",
        error_title: form.has_errors(),
        errors: form.summary(),
        form,
        rows,
        limit: AUDIT_LIMIT,
    };
    Ok(render(status, &page))
}
