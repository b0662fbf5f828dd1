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
    ("pages_each_role_reaches_only_its_pages", |s| Box::pin(role_pages(s))),
    ("pages_add_user_errors_keep_the_input_but_not_the_password", |s| Box::pin(add_user_errors(s))),
    ("pages_a_lost_session_keeps_the_form_through_sign_in", |s| Box::pin(lost_session(s))),
    ("pages_a_stale_csrf_token_keeps_the_form_and_changes_nothing", |s| Box::pin(stale_csrf(s))),
    ("pages_vacancy_edits_in_place_with_and_without_htmx", |s| Box::pin(vacancy_edit(s))),
    ("pages_new_referral_step_by_step", |s| Box::pin(new_referral(s))),
    ("pages_tokens_are_shown_once_and_audit_dates_are_checked", |s| Box::pin(tokens_and_audit(s))),
];

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

pub(crate) async fn get(s: &Server, path: &str, cookie: Option<&str>) -> (StatusCode, HeaderMap, String) {
    let mut req = client().get(format!("{}{path}", s.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let resp = req.send().await.expect("request");
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.text().await.expect("body"))
}

pub(crate) async fn post(
    s: &Server,
    path: &str,
    cookie: Option<&str>,
    form: &[(&str, &str)],
) -> (StatusCode, HeaderMap, String) {
    let mut req = client().post(format!("{}{path}", s.base)).form(form);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let resp = req.send().await.expect("request");
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.text().await.expect("body"))
}

pub(crate) fn location(h: &HeaderMap) -> &str {
    h.get(LOCATION).and_then(|v| v.to_str().ok()).expect("a Location header")
}

/// Signs in through the form; returns the `name=value` cookie.
/// Posts the sign-in form as a browser does: the form's pre-session token and its cookie, from a
/// `GET /sign-in` first.
pub(crate) async fn post_sign_in(s: &Server, form: &[(&str, &str)]) -> (StatusCode, HeaderMap, String) {
    let (status, headers, html) = get(s, "/sign-in", None).await;
    assert_eq!(status, StatusCode::OK);
    let cookie = headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("hearth_sign_in="))
        .and_then(|c| c.split(';').next())
        .expect("the pre-session cookie")
        .to_owned();
    let token = hidden(&html, "sign_in_token");
    let mut fields = form.to_vec();
    fields.push(("sign_in_token", &token));
    post(s, "/sign-in", Some(&cookie), &fields).await
}

/// The value of a hidden field on a page.
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    html.split(&marker).nth(1).and_then(|r| r.split('"').next()).expect("the hidden field").to_owned()
}

pub(crate) async fn form_sign_in(s: &Server, email: &str, next: &str) -> (String, String) {
    let (status, headers, body) =
        post_sign_in(s, &[("email", email), ("password", hearth_demo::DEMO_PASSWORD), ("next", next)]).await;
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
        post_sign_in(s, &[("email", &email), ("password", "not the password"), ("next", "/sessions")]).await;
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
    let csrf = csrf_of(&html);
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

/// The CSRF token in a page's forms.
pub(crate) fn csrf_of(html: &str) -> String {
    html.split(r#"name="csrf_token" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a CSRF token in the page")
        .to_owned()
}

/// Signs in as `role` of `org` through the form and returns the cookie and the CSRF token.
pub(crate) async fn signed_in(s: &Server, role: Role, org: hearth_domain::OrganisationId) -> (String, String) {
    let (cookie, _) = form_sign_in(s, s.facts.email(role, org), "/").await;
    let (_, _, html) = get(s, "/sessions", Some(&cookie)).await;
    (cookie, csrf_of(&html))
}

async fn role_pages(s: &Server) {
    let f = &s.facts;
    let sent = format!("/referrals/{}", f.coventry_referral_sent_to_p);
    let foreign = format!("/referrals/{}", f.birmingham_referral_not_sent_to_p);
    type Case<'a> = (Role, hearth_domain::OrganisationId, &'a [(&'a str, StatusCode)]);
    let cases: &[Case] = &[
        (
            Role::PlacementOfficer,
            f.coventry,
            &[
                ("/referrals", StatusCode::OK),
                ("/referrals/new", StatusCode::OK),
                (&sent, StatusCode::OK),
                (&foreign, StatusCode::NOT_FOUND),
                ("/homes", StatusCode::FORBIDDEN),
                ("/admin/users", StatusCode::FORBIDDEN),
                ("/region", StatusCode::FORBIDDEN),
            ],
        ),
        (
            Role::ProviderStaff,
            f.provider_p,
            &[
                ("/homes", StatusCode::OK),
                ("/referrals", StatusCode::OK),
                (&sent, StatusCode::OK),
                (&foreign, StatusCode::NOT_FOUND),
                ("/referrals/new", StatusCode::FORBIDDEN),
                ("/admin/tokens", StatusCode::FORBIDDEN),
            ],
        ),
        (
            Role::Administrator,
            f.coventry,
            &[
                ("/admin/users", StatusCode::OK),
                ("/admin/users/new", StatusCode::OK),
                ("/admin/tokens", StatusCode::OK),
                ("/admin/audit", StatusCode::OK),
                ("/referrals", StatusCode::FORBIDDEN),
                ("/homes", StatusCode::FORBIDDEN),
            ],
        ),
        (Role::Commissioner, f.coventry, &[("/region", StatusCode::OK), ("/referrals", StatusCode::FORBIDDEN)]),
    ];
    for (role, org, pages) in cases {
        let (cookie, _) = signed_in(s, *role, *org).await;
        for (path, want) in *pages {
            let (status, _, html) = get(s, path, Some(&cookie)).await;
            assert_eq!(status, *want, "{role:?} GET {path}");
            assert!(html.contains(r#"id="main-content""#), "{role:?} {path}: a page, not JSON");
            if *want == StatusCode::FORBIDDEN {
                assert!(html.contains("Your role does not allow this"), "{role:?} {path}: said in words");
            }
        }
    }
    // A provider sees the referral sent to it minimised: no child's reference.
    let (cookie, _) = signed_in(s, Role::ProviderStaff, f.provider_p).await;
    let (_, _, html) = get(s, &sent, Some(&cookie)).await;
    let child = s
        .store
        .child_unaudited(s.store.referral_unaudited(f.coventry_referral_sent_to_p).await.expect("r").children[0])
        .await
        .expect("child");
    assert!(html.contains("From Coventry") && !html.contains(child.reference.as_str()), "minimised");
    for path in ["/homes", "/admin/users", "/referrals/new", "/region"] {
        let (status, headers, _) = get(s, path, None).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{path}");
        assert!(location(&headers).starts_with("/sign-in?next=%2F"), "{path}");
    }
}

async fn add_user_errors(s: &Server) {
    let (cookie, csrf) = signed_in(s, Role::Administrator, s.facts.coventry).await;
    let users_before = s.audit_count("user.").await;
    let form = [
        ("csrf_token", csrf.as_str()),
        ("email", "new.person@coventry.example"),
        ("display_name", ""),
        ("role", "placement_officer"),
        ("password", "short"),
    ];
    let (status, _, html) = post(s, "/admin/users/new", Some(&cookie), &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("govuk-error-summary") && html.contains("<title>Error: "));
    assert!(html.contains(r##"<a href="#display_name">"##) && html.contains(r##"<a href="#password">"##), "{html}");
    assert!(html.contains(r#"value="new.person@coventry.example""#), "the e-mail is kept");
    assert!(html.contains(r#"value="placement_officer" checked"#), "the role is kept");
    assert!(!html.contains("short"), "the password is never written into the page");
    assert_eq!(s.audit_count("user.").await, users_before, "nobody was added");
}

async fn lost_session(s: &Server) {
    let form = [
        ("csrf_token", "old"),
        ("email", "kept@coventry.example"),
        ("display_name", "Kept Person"),
        ("role", "team_manager"),
        ("password", "a long enough password"),
    ];
    let (status, _, html) = post(s, "/admin/users/new", None, &form).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        html.contains("Your session has ended") && html.contains(r#"name="next" value="/admin/users/new""#),
        "{html}"
    );
    let resume = html
        .split(r#"name="resume" value=""#)
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("the form is carried")
        .replace("&amp;", "&");
    assert!(
        resume.contains("kept%40coventry.example") && !resume.contains("password") && !resume.contains("csrf"),
        "{resume}"
    );
    let email = s.facts.email(Role::Administrator, s.facts.coventry).to_owned();
    let sign_in = [
        ("email", email.as_str()),
        ("password", hearth_demo::DEMO_PASSWORD),
        ("next", "/admin/users/new"),
        ("resume", resume.as_str()),
    ];
    let (status, headers, html) = post_sign_in(s, &sign_in).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let cookie = headers
        .get(SET_COOKIE)
        .and_then(|v| v.to_str().ok())
        .and_then(|c| c.split(';').next())
        .expect("signed in")
        .to_owned();
    assert!(html.contains(r#"action="/admin/users/new""#) && html.contains(r#"value="Kept Person""#), "{html}");
    let csrf = csrf_of(&html);
    assert_ne!(csrf, "old");
    // Sent again (the password typed again, as the page asks): the user is added.
    let again = [
        ("csrf_token", csrf.as_str()),
        ("email", "kept@coventry.example"),
        ("display_name", "Kept Person"),
        ("role", "team_manager"),
        ("password", "a long enough password"),
    ];
    let (status, headers, _) = post(s, "/admin/users/new", Some(&cookie), &again).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(location(&headers).starts_with("/admin/users?added="));
}

async fn stale_csrf(s: &Server) {
    let (id, places) = s.facts.p_vacancy;
    let (cookie, _) = signed_in(s, Role::ProviderStaff, s.facts.provider_p).await;
    let path = format!("/vacancies/{id}");
    let (status, _, html) =
        post(s, &path, Some(&cookie), &[("csrf_token", "stale"), ("places", "1"), ("weekly_price", "1234")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("nothing was changed") && html.contains(r#"name="weekly_price" value="1234""#), "{html}");
    assert!(html.contains(&format!(r#"action="{path}""#)));
    assert_eq!(s.store.vacancy(id).await.expect("vacancy").places, places);
}

async fn vacancy_edit(s: &Server) {
    let (id, _) = s.facts.p_vacancy;
    let (cookie, csrf) = signed_in(s, Role::ProviderStaff, s.facts.provider_p).await;
    // A provider's many homes come ten to a page, and a home is found by its name.
    let (_, _, page) = get(s, "/homes", Some(&cookie)).await;
    let blocks = page.matches(r#"<section class="govuk-!-margin-bottom-8""#).count();
    let total = s.store.homes().await.expect("homes").iter().filter(|h| h.provider == s.facts.provider_p).count();
    assert_eq!(blocks, total.min(10), "{page}");
    let in_words =
        total.to_string().as_bytes().rchunks(3).rev().map(|c| String::from_utf8_lossy(c)).collect::<Vec<_>>().join(",");
    assert!(page.contains(&format!("Showing 1–{} of {in_words} homes", total.min(10))), "{page}");
    let home = s.store.vacancy(id).await.expect("vacancy").home;
    let name = s.store.home(home).await.expect("home").name;
    let find = format!("/homes?find={}", name.replace(' ', "+").replace('\'', "%27"));
    let (_, _, page) = get(s, &find, Some(&cookie)).await;
    assert!(page.contains(&format!(r#"id="vacancy-{id}""#)) && page.contains("hx-post"), "{page}");
    assert!(
        page.matches(r#"<section class="govuk-!-margin-bottom-8""#).count() < total.max(2),
        "find narrows the list"
    );
    let path = format!("/vacancies/{id}");
    // Without JavaScript: an error comes back as the whole page with a summary linking to the field.
    let bad =
        [("csrf_token", csrf.as_str()), ("places", "many"), ("available_from", "2026-12-01"), ("weekly_price", "900")];
    let (status, _, html) = post(s, &path, Some(&cookie), &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(&format!(r##"<a href="#places-{id}">"##)) && html.contains(r#"value="many""#), "{html}");
    // With htmx: just the vacancy's block.
    let resp = client()
        .post(format!("{}{path}", s.base))
        .header("cookie", &cookie)
        .header("hx-request", "true")
        .form(&bad)
        .send()
        .await
        .expect("post");
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fragment = resp.text().await.expect("body");
    assert!(
        fragment.trim_start().starts_with(&format!(r#"<div class="hearth-vacancy" id="vacancy-{id}">"#)),
        "{fragment}"
    );
    assert!(!fragment.contains("<html"));
    let good =
        [("csrf_token", csrf.as_str()), ("places", "1"), ("available_from", "2026-12-01"), ("weekly_price", "900")];
    let (status, headers, _) = post(s, &path, Some(&cookie), &good).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), format!("/homes?saved={id}#vacancy-{id}"));
    let v = s.store.vacancy(id).await.expect("vacancy");
    assert_eq!((v.places, v.weekly_price.pounds(), v.available_from.to_string().as_str()), (1, 900, "2026-12-01"));
}

async fn new_referral(s: &Server) {
    let (cookie, csrf) = signed_in(s, Role::PlacementOfficer, s.facts.coventry).await;
    let child = s.store.child_unaudited(s.facts.coventry_child).await.expect("child");
    let reference = child.reference.as_str();
    // A wrong answer comes back on the same page, in words, with the answers so far carried.
    let (status, _, html) =
        post(s, "/referrals/new", Some(&cookie), &[("csrf_token", &csrf), ("child", reference), ("step", "urgency")])
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains(r##"<a href="#urgency">Choose how soon"##)
            && html.contains(&format!(r#"name="child" value="{reference}""#)),
        "{html}"
    );
    let (status, _, html) =
        post(s, "/referrals/new", Some(&cookie), &[("csrf_token", &csrf), ("child", "NOSUCH1"), ("step", "child")])
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("No child looked after by your council has the reference NOSUCH1"), "{html}");
    // Planned: the date is asked for, and a past one refused.
    let planned = [("csrf_token", csrf.as_str()), ("child", reference), ("urgency", "planned"), ("step", "urgency")];
    let (_, _, html) = post(s, "/referrals/new", Some(&cookie), &planned).await;
    assert!(html.contains("From what date is the home needed?"), "{html}");
    let past = [
        ("csrf_token", csrf.as_str()),
        ("child", reference),
        ("urgency", "planned"),
        ("needed_from-day", "1"),
        ("needed_from-month", "1"),
        ("needed_from-year", "2020"),
        ("step", "needed_from"),
    ];
    let (status, _, html) = post(s, "/referrals/new", Some(&cookie), &past).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r##"<a href="#needed_from">"##), "{html}");
    let check = [
        ("csrf_token", csrf.as_str()),
        ("child", reference),
        ("urgency", "same_day"),
        ("needs", "cse"),
        ("needs", "missing"),
        ("wheelchair_user", "yes"),
        ("preferred_district", "CV3"),
        ("avoid_districts", "CV1, cv2"),
        ("strengths", "Kind"),
        ("step", "check"),
    ];
    // A district to avoid that is not one comes back on its page, in words.
    let bad_avoid = [
        ("csrf_token", csrf.as_str()),
        ("child", reference),
        ("urgency", "same_day"),
        ("avoid_districts", "CV1, nowhere!"),
        ("step", "avoid"),
    ];
    let (status, _, html) = post(s, "/referrals/new", Some(&cookie), &bad_avoid).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r##"<a href="#avoid_districts">"##) && html.contains("nowhere!"), "{html}");
    let (status, headers, html) = post(s, "/referrals/new", Some(&cookie), &check).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let to = location(&headers).to_owned();
    assert!(to.starts_with("/referrals/") && to.ends_with("?created=true"), "{to}");
    assert_eq!(s.audit_count("referral.create").await, 1);
    let (status, _, html) = get(s, &to, Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Child sexual exploitation, Missing episodes") && html.contains(reference));
    // The form's areas to avoid and wheelchair use are on the referral's page, and steer its matches.
    assert!(html.contains("CV1, CV2") && html.contains("Wheelchair access: the child uses a wheelchair"), "{html}");
    let (status, _, html) = get(s, &to.replace("?created=true", "/matches"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    // A wheelchair user: homes without access are left out and counted under the needs rule.
    assert!(
        html.contains("Matching homes for referral")
            && html.contains("<li>Not registered or approved for a need the home must meet"),
        "{html}"
    );
}

async fn tokens_and_audit(s: &Server) {
    let (cookie, csrf) = signed_in(s, Role::ProviderManager, s.facts.provider_p).await;
    let (status, headers, html) = post(
        s,
        "/admin/tokens",
        Some(&cookie),
        &[("csrf_token", &csrf), ("name", "Rota system"), ("scopes", "homes:read"), ("expires_in_days", "30")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers.get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"));
    assert!(html.contains("Token issued") && html.contains("hearth_"), "{html}");
    let (_, _, again) = get(s, "/admin/tokens", Some(&cookie)).await;
    assert!(again.contains("Rota system") && !again.contains("Token issued"), "shown once");
    let (status, _, html) =
        post(s, "/admin/tokens", Some(&cookie), &[("csrf_token", &csrf), ("name", ""), ("expires_in_days", "soon")])
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains(r##"<a href="#name">"##)
            && html.contains(r##"<a href="#scopes">"##)
            && html.contains(r##"<a href="#expires_in_days">"##),
        "{html}"
    );
    let (cookie, _) = signed_in(s, Role::Administrator, s.facts.coventry).await;
    let (status, _, html) = get(s, "/admin/audit?action=session.&since=yesterday", Some(&cookie)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r##"<a href="#since">"##) && html.contains(r#"value="session.""#), "{html}");
    let (status, _, html) = get(s, "/admin/audit?action=session.&since=2026-11-01", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("session.create"), "{html}");
}
