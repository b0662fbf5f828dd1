//! Signing in and out, and the signed-in person's sessions.

use super::forms::{Fields, capitalise, resend_page};
use super::{Chrome, ErrorItem, Message, PageError, RetryForm, Visitor, render, to_sign_in};
use crate::App;
use crate::auth::{cookie, origin_of, same_secret, session_cookie};
use crate::error::AppError;
use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use hearth_domain::access::Principal;
use hearth_service::Origin;
use serde::Deserialize;

/// The request's origin (address, browser) for the audit trail and throttling.
pub struct PageOrigin(pub Origin);

impl<S: Send + Sync> FromRequestParts<S> for PageOrigin {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(origin_of(parts)))
    }
}

/// Where to go after signing in: only a path on this site. Anything else (another host,
/// `//host`, `/\host` which browsers read as `//host`, control characters) goes to the front page,
/// so a link to the sign-in page cannot bounce someone to a look-alike site.
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control());
    if local { next } else { "/" }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    email_error: Option<String>,
    password_error: Option<String>,
    email: String,
    next: String,
    /// A form that was posted after the session ended, url-encoded, to send again once signed in.
    resume: String,
    notice: Option<&'static str>,
    /// The pre-session token, also in the [`SIGN_IN_COOKIE`], that the form must send back.
    sign_in_token: String,
}

impl SignInPage {
    fn new(chrome: Chrome, email: String, next: String, sign_in_token: String) -> Self {
        Self {
            chrome,
            title: "Sign in",
            error_title: false,
            errors: vec![],
            email_error: None,
            password_error: None,
            email,
            next,
            resume: String::new(),
            notice: None,
            sign_in_token,
        }
    }
}

/// Login CSRF: without this, another site could post its own attacker's credentials to `/sign-in`
/// and sign the victim's browser in as the attacker, so what they then type lands in the attacker's
/// account. The sign-in form carries a random token that must match this pre-session cookie
/// (double submit). The cookie is `SameSite=Strict` and scoped to `/sign-in`, so a cross-site post
/// never carries it, and a page on another site cannot read or set it.
pub const SIGN_IN_COOKIE: &str = "hearth_sign_in";

fn sign_in_cookie(token: &str) -> String {
    format!("{SIGN_IN_COOKIE}={token}; HttpOnly; Secure; SameSite=Strict; Path=/sign-in; Max-Age=86400")
}

const SIGN_IN_COOKIE_GONE: &str = "hearth_sign_in=; HttpOnly; Secure; SameSite=Strict; Path=/sign-in; Max-Age=0";

/// The browser's pre-session token if it has a well-formed one, else a new one (to be set).
fn sign_in_token(headers: &HeaderMap) -> String {
    cookie(headers, SIGN_IN_COOKIE)
        .filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(hearth_service::auth::new_secret)
}

/// A sign-in page, setting the pre-session cookie its form's token must match.
fn sign_in_page(status: StatusCode, page: &SignInPage) -> Response {
    ([(header::SET_COOKIE, sign_in_cookie(&page.sign_in_token))], render(status, page)).into_response()
}

/// The sign-in page for a form posted after the session ended: it carries the form, and once the
/// person has signed in they are offered it to send again, so nothing they typed is lost.
pub fn sign_in_to_resume(action: &str, fields: &Fields) -> Response {
    let token = hearth_service::auth::new_secret();
    let mut page = SignInPage::new(Chrome::signed_out(), String::new(), safe_next(action).to_owned(), token);
    page.resume = fields.encode();
    page.notice = Some(
        "Your session has ended, so your form was not sent. Sign in again and you can send it: \
         what you typed has been kept.",
    );
    sign_in_page(StatusCode::UNAUTHORIZED, &page)
}

#[derive(Deserialize)]
pub struct NextQuery {
    #[serde(default)]
    next: String,
}

pub async fn sign_in_form(visitor: Visitor, headers: HeaderMap, Query(q): Query<NextQuery>) -> Response {
    let token = sign_in_token(&headers);
    let page = SignInPage::new(Chrome::for_visitor(&visitor), String::new(), safe_next(&q.next).to_owned(), token);
    sign_in_page(StatusCode::OK, &page)
}

/// Every field defaults to empty, so a hand-made post missing one gets the form back with an
/// error rather than a bare 422.
#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    resume: String,
    #[serde(default)]
    sign_in_token: String,
}

const STALE_SIGN_IN: &str = "This sign-in form was out of date or did not come from Hearth, so you were not signed \
     in. Enter your e-mail address and password again.";

pub async fn sign_in(
    State(app): State<App>,
    PageOrigin(origin): PageOrigin,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    let next = safe_next(&form.next).to_owned();
    let token = sign_in_token(&headers);
    let mut page = SignInPage::new(Chrome::signed_out(), form.email.trim().to_owned(), next.clone(), token);
    page.error_title = true;
    page.resume = form.resume.clone();
    // Checked before anything else: a forged post signs nobody in and counts no attempt.
    let from_our_form = cookie(&headers, SIGN_IN_COOKIE).is_some_and(|c| same_secret(&c, &form.sign_in_token));
    if !from_our_form {
        page.errors.push(ErrorItem { field: None, message: STALE_SIGN_IN.into() });
        return Ok(sign_in_page(StatusCode::FORBIDDEN, &page));
    }
    if form.email.trim().is_empty() || form.password.is_empty() {
        if form.email.trim().is_empty() {
            page.email_error = Some("Enter your e-mail address".into());
            page.errors.push(ErrorItem { field: Some("email".into()), message: "Enter your e-mail address".into() });
        }
        if form.password.is_empty() {
            page.password_error = Some("Enter your password".into());
            page.errors.push(ErrorItem { field: Some("password".into()), message: "Enter your password".into() });
        }
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    match app.services.sign_in(&form.email, &form.password, &origin).await {
        Ok(signed) => {
            let max_age = signed.expires_at.duration_since(app.services.now()).as_secs();
            // The session cookie, and the pre-session one gone: it has done its work.
            let cookies = AppendHeaders([
                (header::SET_COOKIE, session_cookie(Some(&signed.session_secret), max_age)),
                (header::SET_COOKIE, SIGN_IN_COOKIE_GONE.to_owned()),
            ]);
            if form.resume.is_empty() {
                return Ok((cookies, Redirect::to(&next)).into_response());
            }
            let chrome = Chrome::for_principal(&signed.principal, &signed.csrf_token, None);
            let kept = Fields::parse(form.resume.as_bytes());
            let page = resend_page(chrome, &next, &kept, &signed.csrf_token, StatusCode::OK, RESUME_MESSAGE);
            Ok((cookies, page).into_response())
        }
        Err(e) => {
            let e = AppError::from(e);
            let (status, _) = e.status_and_code();
            if !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS) {
                return Err(e.into());
            }
            // The service's sentence, which never says whether the account exists.
            let message = capitalise(&e.to_string());
            page.email_error = Some(message.clone());
            page.errors.push(ErrorItem { field: Some("email".into()), message });
            let mut response = render(status, &page);
            response.headers_mut().extend(e.retry_after());
            Ok(response)
        }
    }
}

const RESUME_MESSAGE: &str = "You are signed in. Your form has not been sent yet: send it now.";

/// The form field every page form that changes something carries.
#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

const CSRF_MESSAGE: &str = "This form was out of date or incomplete, so nothing was changed. Try again.";

fn csrf_ok(visitor: &Visitor, form: &CsrfForm) -> bool {
    visitor.0.as_ref().is_some_and(|(_, s)| same_secret(&form.csrf_token, &s.csrf_token))
}

pub async fn sign_out(
    State(app): State<App>,
    PageOrigin(origin): PageOrigin,
    visitor: Visitor,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    let Some((principal, session)) = &visitor.0 else {
        return Ok(Redirect::to("/sign-in").into_response());
    };
    if !csrf_ok(&visitor, &form) {
        let page = Message {
            chrome: Chrome::for_visitor(&visitor),
            title: "Sign out".into(),
            error_title: true,
            errors: vec![ErrorItem { field: None, message: CSRF_MESSAGE.into() }],
            paragraphs: vec!["You are still signed in.".into()],
            retry: Some(RetryForm { action: "/sign-out", label: "Sign out", csrf_token: session.csrf_token.clone() }),
        };
        return Ok(render(StatusCode::FORBIDDEN, &page));
    }
    app.services.sign_out(principal, session.id, &origin).await?;
    Ok(([(header::SET_COOKIE, session_cookie(None, 0))], Redirect::to("/sign-in")).into_response())
}

struct SessionRow {
    id: i64,
    created_at: String,
    expires_at: String,
    ip: String,
    user_agent: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "sessions.html")]
struct SessionsPage {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    errors: Vec<ErrorItem>,
    sessions: Vec<SessionRow>,
    csrf_token: String,
}

/// The sessions page, with `errors` above it (a refused form) and `status`.
async fn sessions_page(
    app: &App,
    visitor: &Visitor,
    status: StatusCode,
    errors: Vec<ErrorItem>,
) -> Result<Response, PageError> {
    let Some((principal, current)) = &visitor.0 else {
        return Ok(to_sign_in("/sessions"));
    };
    let list = app.services.my_sessions(principal).await?;
    let minute = super::words::london_short;
    let sessions = list
        .into_iter()
        .map(|s| SessionRow {
            id: s.id,
            created_at: minute(s.created_at),
            expires_at: minute(s.expires_at),
            ip: s.ip.unwrap_or_default(),
            user_agent: s.user_agent.unwrap_or_default(),
            current: s.id == current.id,
        })
        .collect();
    let page = SessionsPage {
        chrome: Chrome::for_visitor(visitor),
        title: "Your sessions",
        error_title: !errors.is_empty(),
        errors,
        sessions,
        csrf_token: current.csrf_token.clone(),
    };
    Ok(render(status, &page))
}

pub async fn sessions(State(app): State<App>, visitor: Visitor) -> Result<Response, PageError> {
    sessions_page(&app, &visitor, StatusCode::OK, vec![]).await
}

/// The person behind a form on the sessions page, or the answer to give instead: sign in first, or
/// the page again saying the form was stale (and nothing changed).
async fn sessions_form_guard<'v>(
    app: &App,
    visitor: &'v Visitor,
    form: &CsrfForm,
) -> Result<Result<&'v Principal, Response>, PageError> {
    let Some((principal, _)) = &visitor.0 else {
        return Ok(Err(to_sign_in("/sessions")));
    };
    if !csrf_ok(visitor, form) {
        let errors = vec![ErrorItem { field: None, message: CSRF_MESSAGE.into() }];
        return sessions_page(app, visitor, StatusCode::FORBIDDEN, errors).await.map(Err);
    }
    Ok(Ok(principal))
}

pub async fn end_one(
    State(app): State<App>,
    PageOrigin(origin): PageOrigin,
    visitor: Visitor,
    Path(id): Path<i64>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    let principal = match sessions_form_guard(&app, &visitor, &form).await? {
        Ok(p) => p,
        Err(response) => return Ok(response),
    };
    app.services.sign_out(principal, id, &origin).await?;
    Ok(Redirect::to("/sessions").into_response())
}

pub async fn end_all(
    State(app): State<App>,
    PageOrigin(origin): PageOrigin,
    visitor: Visitor,
    Form(form): Form<CsrfForm>,
) -> Result<Response, PageError> {
    let principal = match sessions_form_guard(&app, &visitor, &form).await? {
        Ok(p) => p,
        Err(response) => return Ok(response),
    };
    app.services.sign_out_everywhere(principal, &origin).await?;
    Ok(([(header::SET_COOKIE, session_cookie(None, 0))], Redirect::to("/sign-in")).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next("/sessions?x=1"), "/sessions?x=1");
        for bad in ["", "//evil.example", "https://evil.example", "/\\evil.example", "evil", "/a\nb"] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
    }
}
