//! The GOV.UK-styled pages people use in a browser. They work without JavaScript: every action is a
//! plain form post, protected by the session's CSRF token sent as a form field. Pages are not API
//! routes, so they stay out of the OpenAPI document.

mod account;
mod admin;
mod agreements;
mod assets;
mod contracts;
mod forms;
mod home_forms;
mod homes;
mod intel;
mod lists;
mod new_referral;
mod notices;
mod offers;
mod onboarding;
mod paging;
mod placements;
mod referrals;
mod region;
mod respond;
mod search;
mod sending;
mod words;

use crate::auth::{SESSION_COOKIE, cookie};
use crate::{App, AppError};
use askama::Template;
use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use hearth_domain::access::Principal;
use hearth_domain::seed::RegionCounts;
use hearth_service::ServiceError;
use hearth_service::SessionRecord;

pub fn router() -> Router<App> {
    Router::new()
        .route("/", get(front_page))
        .route("/sign-in", get(account::sign_in_form).post(account::sign_in))
        .route("/sign-out", post(account::sign_out))
        .route("/sessions", get(account::sessions))
        .route("/sessions/end-all", post(account::end_all))
        .route("/sessions/{id}/end", post(account::end_one))
        .route("/static/{*path}", get(assets::serve))
        .merge(admin::router())
        .merge(homes::router())
        .merge(home_forms::router())
        .merge(referrals::router())
        .merge(lists::router())
        .merge(new_referral::router())
        .merge(sending::router())
        .merge(offers::router())
        .merge(respond::router())
        .merge(search::router())
        .merge(agreements::router())
        .merge(placements::router())
        .merge(notices::router())
        .merge(contracts::router())
        .merge(onboarding::router())
        .route("/region", get(region::overview))
        .route("/intel", get(intel::page))
        .route("/intel/{scope}/tables/{file}", get(intel::table_csv))
}

/// What the layout shows around every page.
pub struct Chrome {
    pub user: Option<ChromeUser>,
    pub assets: &'static str,
}

/// A link in the service navigation.
pub struct NavLink {
    pub href: &'static str,
    pub label: &'static str,
    /// A number shown beside the label (the notices unread), when known and not zero.
    pub count: Option<usize>,
}

/// The pages a role has, in the order they appear in the navigation. A page a role may not use is
/// not linked; the service still refuses it if reached by hand.
fn nav_for(p: &Principal, notices: Option<usize>) -> Vec<NavLink> {
    use hearth_domain::access::Capability as C;
    let provider = p.organisation_kind == hearth_domain::org::OrganisationKind::Provider;
    let hub = p.organisation_kind == hearth_domain::org::OrganisationKind::RegionalHub
        && matches!(p.role, hearth_domain::org::Role::RegionalCommissioner | hearth_domain::org::Role::Administrator);
    let links: [(bool, &str, &str); 18] = [
        (p.can(C::EditReferrals), "/referrals", "Referrals"),
        (p.can(C::EditReferrals), "/referrals/new", "New referral"),
        (p.can(C::ViewChildren) && !provider, "/children", "Children"),
        (p.can(C::EditReferrals) && !provider, "/search", "Find a home"),
        (provider && p.can(C::ViewSentReferrals), "/referrals", "Referrals sent to us"),
        (p.can(C::RespondToReferrals), "/offers", "Our offers"),
        (p.can(C::ManageVacancies), "/homes", "Our homes"),
        (p.can(C::ViewPlacements), "/placements", "Placements"),
        (p.can(C::ViewCouncilFigures) || p.can(C::ViewRegionFigures), "/region", "Region overview"),
        (p.can(C::ViewCouncilFigures) || p.can(C::ViewRegionFigures), "/intel", "Intelligence"),
        (p.can(C::ManageContracts), "/contracts", "Contracts"),
        (hub, "/framework", "Framework members"),
        (onboarding::decides_applications(p), "/applications", "Applications to join"),
        (provider, "/organisation", "Our organisation"),
        (p.can(C::ManageUsers), "/admin/users", "Users"),
        (p.can(C::ManageTokens), "/admin/tokens", "API tokens"),
        (p.can(C::ViewAudit), "/admin/audit", "Audit trail"),
        (true, "/notices", "Notices"),
    ];
    links
        .into_iter()
        .filter(|(shown, _, _)| *shown)
        .map(|(_, href, label)| NavLink {
            href,
            label,
            count: if href == "/notices" { notices.filter(|n| *n > 0) } else { None },
        })
        .collect()
}

pub struct ChromeUser {
    /// The role as a label ("Placement officer").
    pub role: &'static str,
    pub role_lower: String,
    pub role_article: &'static str,
    /// For the sign-out form in the navigation.
    pub csrf_token: String,
    pub nav: Vec<NavLink>,
}

impl Chrome {
    pub fn signed_out() -> Self {
        Self { user: None, assets: assets::VERSION.as_str() }
    }

    pub fn for_visitor(v: &Visitor) -> Self {
        match &v.0 {
            Some((p, s)) => Self::for_principal(p, &s.csrf_token, None),
            None => Self::signed_out(),
        }
    }

    /// `notices` is how many notices the person has, when the page looked (pages re-shown after a
    /// refused post do not, and show the link without a number).
    pub fn for_principal(p: &Principal, csrf_token: &str, notices: Option<usize>) -> Self {
        let role = p.role.label();
        let role_lower = role.to_lowercase();
        let role_article = if role_lower.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        let user =
            ChromeUser { role, role_lower, role_article, csrf_token: csrf_token.to_owned(), nav: nav_for(p, notices) };
        Self { user: Some(user), assets: assets::VERSION.as_str() }
    }
}

/// A row of a table (`tables.html`): its header cell, linked when `href` is given, then its cells.
pub struct TableRow {
    pub head: String,
    pub href: Option<String>,
    pub cells: Vec<String>,
}

/// One line of a GOV.UK error summary; `field` is the id of the input it links to.
#[derive(Debug, Clone)]
pub struct ErrorItem {
    pub field: Option<String>,
    pub message: String,
}

/// Whoever is at the browser: signed in (by the session cookie) or not. A missing, expired or
/// forged cookie is simply "not signed in" here; pages decide what that means.
pub struct Visitor(pub Option<(Principal, SessionRecord)>);

impl FromRequestParts<App> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let Some(secret) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Ok(Self(None));
        };
        match app.services.authenticate_session(&secret).await {
            Ok(found) => Ok(Self(Some(found))),
            Err(ServiceError::Unauthenticated(_)) => Ok(Self(None)),
            Err(e) => Err(PageError(e.into())),
        }
    }
}

/// Someone signed in, for a page that needs it; anyone else is sent to sign in and brought back to
/// the page they asked for.
pub struct Signed {
    pub principal: Principal,
    pub session: SessionRecord,
    /// How many notices the person has, for the header.
    pub notices: Option<usize>,
}

impl Signed {
    pub fn chrome(&self) -> Chrome {
        self.viewer().chrome()
    }

    pub fn viewer(&self) -> Viewer<'_> {
        Viewer { principal: &self.principal, csrf: &self.session.csrf_token, notices: self.notices }
    }
}

/// Whom a page is built for: the signed-in person, the CSRF token its forms carry and the notice
/// count the header shows. A page view ([`Signed`]) and a form post ([`forms::Posted`]) both give one,
/// so a page re-shown after a refused post looks the same as when it was first opened.
pub struct Viewer<'a> {
    pub principal: &'a Principal,
    pub csrf: &'a str,
    pub notices: Option<usize>,
}

impl Viewer<'_> {
    pub fn chrome(&self) -> Chrome {
        Chrome::for_principal(self.principal, self.csrf, self.notices)
    }
}

/// How many notices `p` has not read, for the header. The count is a convenience: if it cannot be
/// read the page still shows, without it (the notices page itself reports the failure).
async fn notice_count(app: &App, p: &Principal) -> Option<usize> {
    app.services.unread_notices(p).await.ok()
}

impl FromRequestParts<App> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        match Visitor::from_request_parts(parts, app).await {
            Ok(Visitor(Some((principal, session)))) => {
                let notices = notice_count(app, &principal).await;
                Ok(Self { principal, session, notices })
            }
            Ok(Visitor(None)) => Err(to_sign_in(parts.uri.path_and_query().map_or(parts.uri.path(), |pq| pq.as_str()))),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// The page to send someone to sign in, coming back to `here` afterwards.
pub fn to_sign_in(here: &str) -> Response {
    Redirect::to(&format!("/sign-in?next={}", urlencode(here))).into_response()
}

/// Percent-encodes everything but unreserved characters (RFC 3986), so the value is safe in a query.
fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Renders a template as an HTML response with `status`.
pub fn render(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => PageError(AppError::InternalMessage(format!("rendering a page: {e}"))).into_response(),
    }
}

/// A failure on a page, shown as a page rather than the API's JSON.
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        Self(e)
    }
}

impl From<ServiceError> for PageError {
    fn from(e: ServiceError) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, _) = self.0.status_and_code();
        let message = if status.is_server_error() {
            // The API's error type logs internals once; reuse it for that, and show a sentence.
            drop(self.0.into_response());
            "Sorry, something went wrong on our side. It has been logged; try again later.".to_owned()
        } else {
            forms::capitalise(&self.0.to_string())
        };
        let mut response = error_page(Chrome::signed_out(), status, &message);
        // The page is drawn here without knowing who asked; [`error_chrome`] draws it again with the
        // person's navigation when they are signed in.
        response.extensions_mut().insert(ErrorWords(message));
        response
    }
}

/// What an error page said, so [`error_chrome`] can draw it again around the person's navigation.
#[derive(Clone)]
pub struct ErrorWords(String);

#[derive(Template)]
#[template(path = "error_page.html")]
struct ErrorPage {
    chrome: Chrome,
    title: String,
    error_title: bool,
    paragraphs: Vec<String>,
    forbidden: bool,
}

/// A refusal or failure as a page: what happened in words, and a way back.
fn error_page(chrome: Chrome, status: StatusCode, message: &str) -> Response {
    let page = ErrorPage {
        chrome,
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        error_title: false,
        paragraphs: vec![message.to_owned()],
        forbidden: status == StatusCode::FORBIDDEN,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "error").into_response(),
    }
}

/// Around the pages: an error page shown to someone signed in keeps their navigation (and the notice
/// count), so a refused page is never a dead end. The session is looked up only for error pages.
pub async fn error_chrome(
    State(app): State<App>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let secret = cookie(req.headers(), SESSION_COOKIE);
    let response = next.run(req).await;
    let Some(ErrorWords(message)) = response.extensions().get::<ErrorWords>().cloned() else {
        return response;
    };
    let Some(secret) = secret else {
        return response;
    };
    let Ok((p, session)) = app.services.authenticate_session(&secret).await else {
        return response;
    };
    let notices = notice_count(&app, &p).await;
    let mut again = error_page(Chrome::for_principal(&p, &session.csrf_token, notices), response.status(), &message);
    // Whatever the refusal set (Retry-After, say) still applies.
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            again.headers_mut().insert(name.clone(), value.clone());
        }
    }
    again
}

/// A form a message page offers to submit again (with a fresh CSRF token).
pub struct RetryForm {
    pub action: &'static str,
    pub label: &'static str,
    pub csrf_token: String,
}

#[derive(Template)]
#[template(path = "message.html")]
pub struct Message {
    pub chrome: Chrome,
    pub title: String,
    pub error_title: bool,
    pub errors: Vec<ErrorItem>,
    pub paragraphs: Vec<String>,
    pub retry: Option<RetryForm>,
}

#[derive(Template)]
#[template(path = "front.html")]
struct Front {
    chrome: Chrome,
    title: &'static str,
    error_title: bool,
    counts: Option<RegionCounts>,
    next: hearth_service::lists::NextActions,
}

async fn front_page(State(app): State<App>, visitor: Visitor) -> Result<Response, PageError> {
    let counts = match &visitor.0 {
        // A role that may not see the region's figures still gets the page, without them.
        Some((p, _)) => match app.services.region_counts(p).await {
            Ok(c) => Some(c),
            Err(ServiceError::Forbidden(_)) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let next = match &visitor.0 {
        Some((p, _)) => app.services.next_actions(p).await?,
        None => Default::default(),
    };
    let page = Front { chrome: Chrome::for_visitor(&visitor), title: "Home", error_title: false, counts, next };
    Ok(render(StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::urlencode;

    #[test]
    fn urlencode_keeps_only_unreserved_characters() {
        assert_eq!(urlencode("/sessions?x=1&y=a b"), "%2Fsessions%3Fx%3D1%26y%3Da%20b");
    }
}
