//! The GOV.UK-styled pages through the real server, as a browser without JavaScript uses them:
//! plain form posts, redirects not followed so each hop can be checked.

use crate::TestFn;
use crate::fixture::{As, Server};
use hearth_domain::org::Role;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};

pub const TESTS: &[(&str, TestFn)] = &[
    ("pages_start_page_and_embedded_css_are_served", |s| Box::pin(start_page(s))),
    ("pages_wrong_password_shows_the_error_summary_and_keeps_the_email", |s| Box::pin(wrong_password(s))),
    ("pages_good_sign_in_sets_the_cookie_and_goes_to_next", |s| Box::pin(good_sign_in(s))),
    ("pages_unsafe_next_goes_to_the_front_page", |s| Box::pin(unsafe_next(s))),
    ("pages_sessions_without_a_session_redirects_to_sign_in", |s| Box::pin(needs_session(s))),
    ("pages_sign_out_needs_the_csrf_token", |s| Box::pin(sign_out(s))),
];

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

async fn get(s: &Server, path: &str, cookie: Option<&str>) -> (StatusCode, HeaderMap, String) {
    let mut req = client().get(format!("{}{path}", s.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let resp = req.send().await.expect("request");
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.text().await.expect("body"))
}

async fn post(s: &Server, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> (StatusCode, HeaderMap, String) {
    let mut req = client().post(format!("{}{path}", s.base)).form(form);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let resp = req.send().await.expect("request");
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.text().await.expect("body"))
}

fn location(h: &HeaderMap) -> &str {
    h.get(LOCATION).and_then(|v| v.to_str().ok()).expect("a Location header")
}

/// Signs in through the form; returns the `name=value` cookie.
async fn form_sign_in(s: &Server, email: &str, next: &str) -> (String, String) {
    let (status, headers, body) =
        post(s, "/sign-in", None, &[("email", email), ("password", hearth_demo::DEMO_PASSWORD), ("next", next)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let set = headers.get(SET_COOKIE).and_then(|v| v.to_str().ok()).expect("set-cookie");
    assert!(set.starts_with("hearth_session=") && set.contains("HttpOnly"), "{set}");
    (set.split(';').next().expect("cookie").to_owned(), location(&headers).to_owned())
}

async fn start_page(s: &Server) {
    let (status, _, html) = get(s, "/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(r#"<html lang="en""#));
    assert!(html.contains(r##"href="#main-content""##) && html.contains(r#"id="main-content""#));
    assert!(html.contains("West Midlands placement portal"));
    assert!(html.contains(r#"href="/sign-in""#) && html.contains("govuk-button--start"));
    assert!(html.contains("Open Government Licence"));
    let css = html.split("href=\"").nth(1).and_then(|r| r.split('"').next()).expect("stylesheet link");
    assert!(css.starts_with("/static/govuk/govuk-frontend.min.css?v="), "{css}");
    let (status, headers, body) = get(s, css, None).await;
    assert_eq!(status, StatusCode::OK);
    let ct = headers.get("content-type").and_then(|v| v.to_str().ok()).expect("content-type");
    assert!(ct.starts_with("text/css"), "{ct}");
    assert!(headers.get("cache-control").and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("max-age=31536000")));
    assert!(body.contains(".govuk-error-summary"));
    let (status, _, _) = get(s, "/static/govuk/nothing.css", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn wrong_password(s: &Server) {
    let email = s.facts.email(Role::PlacementOfficer, s.facts.coventry).to_owned();
    let (status, headers, html) =
        post(s, "/sign-in", None, &[("email", &email), ("password", "not the password"), ("next", "/sessions")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.get(SET_COOKIE).is_none());
    assert!(html.contains("govuk-error-summary"), "{html}");
    assert!(html.contains(r##"<a href="#email">"##) || html.contains(r##"<a href="#password">"##), "{html}");
    assert!(html.contains(&format!(r#"value="{email}""#)), "the e-mail is kept");
    assert!(html.contains(r#"name="next" value="/sessions""#));
    assert!(html.contains("<title>Error: "));
    assert_eq!(s.audit_count("session.sign_in_failed").await, 1);
}

async fn good_sign_in(s: &Server) {
    let email = s.facts.email(Role::PlacementOfficer, s.facts.coventry).to_owned();
    let (cookie, to) = form_sign_in(s, &email, "/sessions").await;
    assert_eq!(to, "/sessions");
    let (status, _, html) = get(s, "/sessions", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Your sessions") && html.contains("This browser"));
    let (status, _, html) = get(s, "/", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Signed in as a placement officer"), "{html}");
    assert!(html.contains(r#"action="/sign-out""#));
}

async fn unsafe_next(s: &Server) {
    let email = s.facts.email(Role::TeamManager, s.facts.coventry).to_owned();
    for next in ["//evil.example", "https://evil.example", "/\\evil.example"] {
        let (_, to) = form_sign_in(s, &email, next).await;
        assert_eq!(to, "/", "{next}");
    }
}

async fn needs_session(s: &Server) {
    let (status, headers, _) = get(s, "/sessions", None).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/sign-in?next=%2Fsessions");
    let (status, headers, _) = get(s, "/sessions", Some("hearth_session=forged")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/sign-in?next=%2Fsessions");
}

async fn sign_out(s: &Server) {
    let email = s.facts.email(Role::Commissioner, s.facts.coventry).to_owned();
    let (cookie, _) = form_sign_in(s, &email, "/").await;
    for form in [&[][..], &[("csrf_token", "wrong")][..]] {
        let (status, headers, html) = post(s, "/sign-out", Some(&cookie), form).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(headers.get(SET_COOKIE).is_none());
        assert!(html.contains("nothing was changed"), "{html}");
    }
    let (status, _, html) = get(s, "/sessions", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "the session still works");
    let csrf = html
        .split(r#"name="csrf_token" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a CSRF token in the page")
        .to_owned();
    assert_eq!(s.audit_count("session.revoke").await, 0);
    let (status, headers, _) = post(s, "/sign-out", Some(&cookie), &[("csrf_token", &csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/sign-in");
    let (status, headers, _) = get(s, "/sessions", Some(&cookie)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the session has ended");
    assert!(location(&headers).starts_with("/sign-in"));
    let session = crate::fixture::Session { cookie, csrf, body: serde_json::Value::Null };
    assert_eq!(s.get("/api/v1/session", As::Browser(&session)).await.0, StatusCode::UNAUTHORIZED);
}
