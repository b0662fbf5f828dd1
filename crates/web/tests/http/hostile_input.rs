//! Hostile input and the API's contract, as someone testing Hearth from outside would try it: every
//! write route with a NUL, a bidirectional override, a field it does not know, a field too long and a
//! list too long; bodies that are not JSON, too large, or junk; ids and query values that do not
//! parse; who is told "not found"; and which answers a browser may keep. Each refusal is the
//! documented JSON error, the same on both databases, and writes nothing.

use crate::TestFn;
use crate::fixture::{As, Server, Session};
use crate::referrals::fields;
use hearth_domain::org::Role;
use hearth_domain::text::{MAX_LINE_CHARS, MAX_LIST_ITEMS, MAX_PARAGRAPH_CHARS};
use hearth_service::home_upkeep::UPKEEP_MAX_ROWS;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const TESTS: &[(&str, TestFn)] = &[
    ("input_a_referral_has_one_children_key_of_one_type", |s| Box::pin(one_children_key(s))),
    ("input_every_write_route_refuses_hostile_bodies_naming_the_field", |s| Box::pin(write_routes(s))),
    ("input_every_write_route_of_the_api_is_in_the_hostile_list", |s| Box::pin(every_write_route_listed(s))),
    ("input_an_upkeep_file_with_a_nul_or_long_cell_is_refused_by_row_and_column", |s| Box::pin(upkeep_cells(s))),
    ("input_agreement_text_refuses_bidi_overrides", |s| Box::pin(bidi(s))),
    ("input_nul_in_a_query_or_sign_in_is_refused_not_a_server_error", |s| Box::pin(nul_elsewhere(s))),
    ("input_junk_bodies_accept_nothing_and_reset_nothing", |s| Box::pin(junk_bodies(s))),
    ("input_a_huge_list_or_field_is_refused_naming_the_limit", |s| Box::pin(huge(s))),
    ("input_framework_refusals_are_json_with_a_stable_code", |s| Box::pin(framework_refusals(s))),
    ("input_outside_the_council_a_record_is_404_whether_it_exists_or_not", |s| Box::pin(not_found_outside(s))),
    ("input_contracts_take_ons_codes_like_every_council_route", |s| Box::pin(contracts_ons(s))),
    ("input_only_static_assets_and_health_may_be_cached", |s| Box::pin(no_store(s))),
];

/// One write route: who writes, a body, the text field to poison and the list field to overfill.
struct Route {
    method: Method,
    path: String,
    who: (Role, fn(&crate::fixture::Facts) -> hearth_domain::OrganisationId),
    body: Value,
    text: &'static str,
    list: Option<&'static str>,
}

fn coventry(f: &crate::fixture::Facts) -> hearth_domain::OrganisationId {
    f.coventry
}
fn provider_p(f: &crate::fixture::Facts) -> hearth_domain::OrganisationId {
    f.provider_p
}
fn hub(f: &crate::fixture::Facts) -> hearth_domain::OrganisationId {
    f.hub
}

fn routes(s: &Server, contract: i64, application: i64) -> Vec<Route> {
    let f = &s.facts;
    let child = f.coventry_child.0;
    let referral = f.coventry_referral_sent_to_p.0;
    let placement = f.coventry_placement_with_p.0;
    let (vacancy, _) = f.p_vacancy;
    let user = f.user(Role::PlacementOfficer, f.coventry).0;
    let route =
        |method: Method, path: String, who, body: Value, text, list| Route { method, path, who, body, text, list };
    let officer = (Role::PlacementOfficer, coventry as fn(&_) -> _);
    let manager = (Role::TeamManager, coventry as fn(&_) -> _);
    let provider = (Role::ProviderStaff, provider_p as fn(&_) -> _);
    let admin = (Role::Administrator, coventry as fn(&_) -> _);
    let commissioner = (Role::Commissioner, coventry as fn(&_) -> _);
    let home_manager = (Role::ProviderManager, provider_p as fn(&_) -> _);
    let hub = (Role::RegionalCommissioner, hub as fn(&_) -> _);
    let home = f.p_home.0;
    vec![
        route(
            Method::POST,
            "/api/v1/referrals".into(),
            officer,
            json!({ "children": [child], "urgency": "planned", "needed_from": "2026-12-10", "needs": [],
                "details": { "strengths": "Loves football" } }),
            "details.strengths",
            Some("children"),
        ),
        route(
            Method::PATCH,
            format!("/api/v1/referrals/{referral}"),
            officer,
            json!({ "details": { "health": "Asthma" }, "needs": [] }),
            "details.health",
            Some("needs"),
        ),
        route(
            Method::POST,
            format!("/api/v1/referrals/{referral}/send"),
            officer,
            json!({ "mode": "chosen", "providers": [f.provider_p.0] }),
            "mode",
            Some("providers"),
        ),
        route(
            Method::POST,
            format!("/api/v1/referrals/{referral}/offers"),
            provider,
            json!({ "home": f.p_home.0, "notes": "Ready now" }),
            "notes",
            None,
        ),
        route(
            Method::POST,
            format!("/api/v1/referrals/{referral}/decline"),
            provider,
            json!({ "reason": "other", "note": "Full" }),
            "note",
            None,
        ),
        route(
            Method::POST,
            format!("/api/v1/offers/{}/accept", f.p_offer_on_coventry.0),
            manager,
            json!({ "reason_change": "CARPL" }),
            "reason_change",
            None,
        ),
        route(
            Method::POST,
            format!("/api/v1/referrals/{referral}/agreements"),
            officer,
            json!({ "notes": "Respite every other weekend" }),
            "notes",
            None,
        ),
        route(
            Method::POST,
            "/api/v1/agreements/1/sign".into(),
            officer,
            json!({ "text_hash": "ab" }),
            "text_hash",
            None,
        ),
        route(
            Method::POST,
            format!("/api/v1/placements/{placement}/end"),
            officer,
            json!({ "end": "2026-11-25", "reason_ceased": "E11", "planned": true }),
            "end",
            None,
        ),
        route(
            Method::POST,
            format!("/api/v1/placements/{placement}/move"),
            officer,
            json!({ "date": "2026-11-25", "reason_change": "CARPL", "planned": true, "home": f.p_home.0 }),
            "reason_change",
            None,
        ),
        route(
            Method::POST,
            format!("/api/v1/homes/{}/vacancies", f.p_home.0),
            provider,
            json!({ "places": 1, "sex": "any" }),
            "sex",
            None,
        ),
        route(
            Method::PATCH,
            format!("/api/v1/vacancies/{}", vacancy.0),
            provider,
            json!({ "sex": "any" }),
            "sex",
            None,
        ),
        route(
            Method::POST,
            format!("/api/v1/organisations/{}/users", f.coventry.0),
            admin,
            json!({ "email": "new.officer@coventry.test", "display_name": "New Officer",
                "role": "placement_officer", "password": "a long enough password" }),
            "display_name",
            None,
        ),
        route(Method::PATCH, format!("/api/v1/users/{user}"), admin, json!({ "role": "team_manager" }), "role", None),
        route(
            Method::POST,
            "/api/v1/tokens".into(),
            admin,
            json!({ "name": "Case system", "scopes": ["referrals:read"] }),
            "name",
            Some("scopes"),
        ),
        route(
            Method::POST,
            "/api/v1/councils/331/contracts".into(),
            commissioner,
            json!({ "provider": f.provider_p.0, "tier": "spot", "weekly_price": 900, "starts": "2026-11-01",
                "kinds": ["fostering"] }),
            "tier",
            None,
        ),
        route(
            Method::PUT,
            format!("/api/v1/vacancies/{}", vacancy.0),
            provider,
            json!({ "places": 1 }),
            "places",
            None,
        ),
        route(
            Method::PUT,
            "/api/v1/councils/331/weights".into(),
            commissioner,
            json!({ "distance": 7 }),
            "distance",
            None,
        ),
        route(
            Method::POST,
            "/api/v1/homes".into(),
            home_manager,
            json!({ "kind": "childrens_home", "name": "Hostile House", "postcode": "CV1 1AH", "registration": "applied",
                "places": 2, "age_min": 8, "age_max": 17, "weekly_price": 4000, "accessibility": "Level access" }),
            "accessibility",
            Some("skills"),
        ),
        route(
            Method::PATCH,
            format!("/api/v1/homes/{home}"),
            home_manager,
            json!({ "name": "Renamed House" }),
            "name",
            Some("skills"),
        ),
        route(
            Method::POST,
            format!("/api/v1/homes/{home}/close"),
            home_manager,
            json!({ "closed_on": "2026-11-25", "reason": "The building is sold." }),
            "reason",
            None,
        ),
        route(
            Method::POST,
            format!("/api/v1/contracts/{contract}/terms"),
            commissioner,
            json!({ "takes_effect": "2026-12-01", "weekly_price": 1100 }),
            "takes_effect",
            None,
        ),
        route(
            Method::POST,
            format!("/api/v1/contracts/{contract}/end"),
            commissioner,
            json!({ "ends": "2027-06-30" }),
            "ends",
            None,
        ),
        route(
            Method::PUT,
            format!("/api/v1/framework/{}", f.provider_p.0),
            hub,
            json!({ "lots": ["fostering"] }),
            "lots[0]",
            Some("lots"),
        ),
        route(
            Method::POST,
            "/api/v1/applications".into(),
            officer,
            json!({ "organisation_name": "Hostile Care", "company_number": "12345678", "contact_name": "H Person",
                "contact_email": "hostile@hostile.test", "councils": ["331"] }),
            "organisation_name",
            Some("councils"),
        ),
        route(
            Method::POST,
            format!("/api/v1/applications/{application}/refuse"),
            (Role::Administrator, coventry),
            json!({ "reason": "Not today." }),
            "reason",
            None,
        ),
        route(
            Method::POST,
            "/api/v1/invitations/accept".into(),
            officer,
            json!({ "token": "0".repeat(64), "password": "a long enough password" }),
            "token",
            None,
        ),
    ]
}

/// Write routes whose hostile bodies are checked by another test here, each with where.
const CHECKED_ELSEWHERE: &[(&str, &str, &str)] = &[
    ("POST", "/api/v1/session", "input_nul_in_a_query_or_sign_in_is_refused_not_a_server_error"),
    ("POST", "/api/v1/homes/upkeep", "input_an_upkeep_file_with_a_nul_or_long_cell_is_refused_by_row_and_column"),
];

/// Whether a concrete path (`/api/v1/homes/7`) is an instance of a documented one (`/api/v1/homes/{id}`).
fn instance_of(template: &str, concrete: &str) -> bool {
    let concrete = concrete.split('?').next().unwrap_or(concrete);
    let (t, c): (Vec<_>, Vec<_>) = (template.split('/').collect(), concrete.split('/').collect());
    t.len() == c.len() && t.iter().zip(&c).all(|(t, c)| t.starts_with('{') || t == c)
}

/// Every route of the OpenAPI document that takes a body is in [`routes`] or [`CHECKED_ELSEWHERE`], so
/// a new write route cannot ship without its hostile bodies tried.
async fn every_write_route_listed(s: &Server) {
    let listed = routes(s, 1, 1);
    let spec = serde_json::to_value(hearth_web::openapi()).expect("spec");
    let mut missing = vec![];
    let mut found = 0;
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            if op.get("requestBody").is_none() {
                continue;
            }
            found += 1;
            let method = method.to_uppercase();
            let here = listed.iter().any(|r| r.method.as_str() == method && instance_of(path, &r.path));
            let elsewhere = CHECKED_ELSEWHERE.iter().any(|(m, p, _)| *m == method && p == path);
            if !here && !elsewhere {
                missing.push(format!("{method} {path}"));
            }
        }
    }
    assert!(found >= 25, "only {found} routes with a body found in the document");
    assert!(
        missing.is_empty(),
        "write routes with no hostile bodies tried: add them to routes() in tests/http/hostile_input.rs: {missing:?}"
    );
}

/// Puts `value` at a path in a JSON object, written as the API names fields: `details.health`, `lots[0]`.
fn set(body: &mut Value, path: &str, value: Value) {
    let mut at = body;
    for part in path.split('.') {
        at = match part.split_once('[') {
            Some((name, index)) => {
                let i: usize = index.trim_end_matches(']').parse().expect("an index");
                &mut at[name][i]
            }
            None => &mut at[part],
        };
    }
    *at = value;
}

fn expect_invalid(answer: &Value, field: &str, words: &str, what: &str) {
    assert_eq!(answer["error"]["code"], "invalid", "{what}: {answer}");
    let got = fields(answer);
    assert!(got.iter().any(|g| g == field), "{what}: {field} not named in {got:?}: {answer}");
    assert!(answer.to_string().contains(words), "{what}: no '{words}' in {answer}");
}

async fn write_routes(s: &Server) {
    // A contract still open for its terms and end to be changed.
    let contract = crate::matrix::spare_contract(s, 331).await;
    // An application naming Coventry, waiting for a decision.
    let application = crate::matrix::spare_application(s, true, 0).await;
    let routes = routes(s, contract, application);
    let mut sessions: Vec<Session> = Vec::new();
    for r in &routes {
        sessions.push(s.sign_in(s.facts.email(r.who.0, (r.who.1)(&s.facts))).await);
    }
    let written = s.audit_count("").await;
    for (r, session) in routes.iter().zip(&sessions) {
        let call = |body: Value| s.call(r.method.clone(), &r.path, As::Browser(session), Some(body));
        let what = format!("{} {}", r.method, r.path);

        let mut nul = r.body.clone();
        set(&mut nul, r.text, json!("before\u{0}after"));
        let (status, answer) = call(nul).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what} with a NUL: {answer}");
        expect_invalid(&answer, r.text, "U+0000", &what);

        let mut unknown = r.body.clone();
        unknown["surprise"] = json!(1);
        let (status, answer) = call(unknown).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what} with an unknown field: {answer}");
        assert!(answer.to_string().contains("unknown field `surprise`"), "{what}: {answer}");

        let mut long = r.body.clone();
        set(&mut long, r.text, json!("x".repeat(MAX_PARAGRAPH_CHARS + 1)));
        let (status, answer) = call(long).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what} with a long field: {answer}");
        expect_invalid(&answer, r.text, &format!("keep it to {MAX_PARAGRAPH_CHARS}"), &what);

        if let Some(list) = r.list {
            let mut many = r.body.clone();
            set(&mut many, list, json!((0..=MAX_LIST_ITEMS as i64).collect::<Vec<_>>()));
            let (status, answer) = call(many).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{what} with a long list: {answer}");
            expect_invalid(&answer, list, &format!("at most {MAX_LIST_ITEMS}"), &what);
        }
    }
    assert_eq!(s.audit_count("").await, written, "nothing refused was written or read");
}

/// The upkeep file is CSV, not JSON: its cells are held to the one-line rule row by row, naming the
/// row and the column, and a file of too many rows is refused; nothing is saved.
async fn upkeep_cells(s: &Server) {
    let f = &s.facts;
    let provider = s.sign_in(f.email(Role::ProviderStaff, f.provider_p)).await;
    let home = f.p_home.0;
    let header = "home,places,available_from,weekly_price\n";
    let written = s.audit_count("").await;
    let nul = format!("{header}{home},1,2026-12-01,9\u{0}00\n");
    let (status, answer) = s.call_csv("/api/v1/homes/upkeep", As::Browser(&provider), &nul).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a NUL in a cell: {answer}");
    expect_invalid(&answer, "weekly_price", "U+0000", "upkeep with a NUL");
    assert!(answer.to_string().contains("row 2"), "the row is named: {answer}");

    let long = format!("{header}{home},1,{},900\n", "x".repeat(MAX_LINE_CHARS + 1));
    let (status, answer) = s.call_csv("/api/v1/homes/upkeep", As::Browser(&provider), &long).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a long cell: {answer}");
    expect_invalid(&answer, "available_from", &format!("keep it to {MAX_LINE_CHARS}"), "upkeep with a long cell");

    // A NUL in the header is no column name Hearth knows: refused naming the column it lacks.
    let bad_header = format!("home,places,available_from,weekly\u{0}price\n{home},1,2026-12-01,900\n");
    let (status, answer) = s.call_csv("/api/v1/homes/upkeep", As::Browser(&provider), &bad_header).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a NUL in the header: {answer}");
    expect_invalid(&answer, "weekly_price", "no 'weekly_price' column", "upkeep with a NUL in the header");

    let rows = format!("{header}{}", format!("{home},1,2026-12-01,900\n").repeat(UPKEEP_MAX_ROWS + 1));
    let (status, answer) = s.call_csv("/api/v1/homes/upkeep", As::Browser(&provider), &rows).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "too many rows: {answer}");
    expect_invalid(&answer, "file", &format!("at most {UPKEEP_MAX_ROWS} rows"), "upkeep with too many rows");
    assert_eq!(s.audit_count("").await, written, "nothing refused was written");
}

async fn bidi(s: &Server) {
    use crate::marketplace::{offerable, placed, provider_session, sent_to_all};
    // An offer's words are copied into the agreement.
    let (officer, referral, m) = sent_to_all(s).await;
    let (name, home, _) = offerable(&m, 1).pop().expect("a home to offer");
    let provider = provider_session(s, &officer, referral, &name).await;
    let offer = json!({ "home": home, "includes": "Pay \u{202E}001\u{202C} a week extra" });
    let path = format!("/api/v1/referrals/{referral}/offers");
    let (status, answer) = s.call(Method::POST, &path, As::Browser(&provider), Some(offer)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    expect_invalid(&answer, "includes", "U+202E", "offer");

    let (officer, _, referral, _) = placed(s).await;
    let path = format!("/api/v1/referrals/{referral}/agreements");
    // "Respite weekly" shown, other words signed: an isolate reorders what the reader sees.
    let change = json!({ "notes": "Respite \u{2066}weekly\u{2069}" });
    let (status, answer) = s.call(Method::POST, &path, As::Browser(&officer), Some(change)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    expect_invalid(&answer, "notes", "U+2066", "agreement");
    let change = json!({ "notes": "Respite \u{202E}ylkeew\u{202C}" });
    let (status, answer) = s.call(Method::POST, &path, As::Browser(&officer), Some(change)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    expect_invalid(&answer, "notes", "U+202E", "agreement");
    // Paragraphs keep their line breaks and tabs, and right-to-left script is text, not a control.
    let notes = "Respite weekly.\n\tمرحبا";
    let (status, made) = s.call(Method::POST, &path, As::Browser(&officer), Some(json!({ "notes": notes }))).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert!(made["text"].as_str().is_some_and(|t| t.contains(notes)), "{made}");
}

async fn nul_elsewhere(s: &Server) {
    let f = &s.facts;
    let admin = s.sign_in(f.email(Role::Administrator, f.coventry)).await;
    let (status, answer) = s.get("/api/v1/audit?action=%00", As::Browser(&admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    expect_invalid(&answer, "action", "U+0000", "audit");
    // A name is one line: a line break is refused through the API and the page alike.
    let add = format!("/api/v1/organisations/{}/users", f.coventry.0);
    let user = json!({ "email": "two.lines@coventry.test", "display_name": "Two\nLines", "role": "placement_officer",
        "password": "a long enough password" });
    let (status, answer) = s.call(Method::POST, &add, As::Browser(&admin), Some(user)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    expect_invalid(&answer, "display_name", "one line", "a name on two lines");
    let (cookie, csrf) = crate::pages::signed_in(s, Role::Administrator, f.coventry).await;
    for name in ["Nul\u{0}Person", "Two\nLines"] {
        let form = [
            ("csrf_token", csrf.as_str()),
            ("email", "page.person@coventry.test"),
            ("display_name", name),
            ("role", "placement_officer"),
            ("password", "a long enough password"),
        ];
        let (status, _, html) = crate::pages::post(s, "/admin/users/new", Some(&cookie), &form).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}");
        assert!(html.contains(r##"<a href="#display_name">"##), "{html}");
    }
    assert_eq!(s.audit_count("user.create").await, 0, "nobody was added");
    let body = json!({ "email": "a\u{0}@hearth.test", "password": "hearth-demo-password" });
    let (status, answer) = s.call(Method::POST, "/api/v1/session", As::Nobody, Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    expect_invalid(&answer, "email", "U+0000", "sign-in");
    // The pages reach the same service calls without the API's checks: a NUL typed into the sign-in
    // form, a token's name or the audit search is refused in words, never stored, never a 500.
    let (status, _, html) =
        crate::pages::post_sign_in(s, &[("email", "a\u{0}@hearth.test"), ("password", "hearth-demo-password")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("U+0000"), "the sign-in page says what is wrong: {html}");
    let form = [("csrf_token", csrf.as_str()), ("name", "case\u{0}system"), ("scopes", "reference:read")];
    let (status, _, html) = crate::pages::post(s, "/admin/tokens", Some(&cookie), &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains(r##"<a href="#name">"##) && html.contains("U+0000"), "{html}");
    assert_eq!(s.audit_count("token.create").await, 0, "no token was issued");
    let (status, _, html) = crate::pages::get(s, "/admin/audit?action=%00", Some(&cookie)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("U+0000"), "{html}");
    // The lists' filters: a NUL in any of them is refused naming it, through the API and the pages.
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    for field in ["home", "child", "q", "started_from"] {
        let (status, answer) = s.get(&format!("/api/v1/placements?{field}=%00"), As::Browser(&officer)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        expect_invalid(&answer, field, "U+0000", "the placements list");
    }
    let (cookie, _) = crate::pages::signed_in(s, Role::PlacementOfficer, f.coventry).await;
    for path in ["/placements?home=%00", "/placements?child=a%00", "/referrals?needed_from-day=1%00"] {
        let (status, _, html) = crate::pages::get(s, path, Some(&cookie)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {html}");
        assert!(html.contains("govuk-error-summary"), "{path}: {html}");
    }
    let (cookie, _) = crate::pages::signed_in(s, Role::ProviderStaff, f.provider_p).await;
    let (status, _, html) = crate::pages::get(s, "/offers?home=%00", Some(&cookie)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("U+0000"), "{html}");
}

async fn junk_bodies(s: &Server) {
    let f = &s.facts;
    let manager = s.sign_in(f.email(Role::TeamManager, f.coventry)).await;
    let offer = f.p_offer_on_coventry.0;
    let junk = json!({ "a": { "a": { "a": { "a": { "a": { "a": 1 } } } } } });
    let path = format!("/api/v1/offers/{offer}/accept");
    let (status, answer) = s.call(Method::POST, &path, As::Browser(&manager), Some(junk)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let (status, answer) = s.call(Method::POST, &path, As::Browser(&manager), Some(json!({ "a": 1 }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(s.audit_count("offer.accept").await, 0, "no offer was accepted");

    let commissioner = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    let path = "/api/v1/councils/331/weights";
    let (_, tuned) = s.call(Method::PUT, path, As::Browser(&commissioner), Some(json!({ "distance": 7 }))).await;
    assert_eq!(tuned["distance"], 7.0, "{tuned}");
    let (status, answer) = s.call(Method::PUT, path, As::Browser(&commissioner), Some(json!([]))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    expect_invalid(&answer, "weights", "object", "weights as a list");
    let (_, now) = s.get(path, As::Browser(&commissioner)).await;
    assert_eq!(now["distance"], 7.0, "a list reset nothing: {now}");
}

async fn huge(s: &Server) {
    let f = &s.facts;
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let ids: Vec<i64> = (1..=10_000).collect();
    let body = json!({ "children": ids, "urgency": "planned", "needed_from": "2026-12-10" });
    let (status, answer) = s.call(Method::POST, "/api/v1/referrals", As::Browser(&officer), Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    expect_invalid(&answer, "children", "10000 items is too many; send at most 100", "10,000 children");
    // Just under the body limit: read, and refused by the field's limit, not stored.
    let body = json!({ "children": [f.coventry_child.0], "urgency": "planned", "needed_from": "2026-12-10",
        "details": { "wishes": "x".repeat(1_048_000) } });
    let (status, answer) = s.call(Method::POST, "/api/v1/referrals", As::Browser(&officer), Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    expect_invalid(&answer, "details.wishes", "1048000 characters is too long; keep it to 10000", "a huge field");
    assert_eq!(s.audit_count("referral.create").await, 0);
}

/// A raw request, for bodies `Server::call` would not send.
async fn raw(s: &Server, method: Method, path: &str, who: &Session, ct: Option<&str>, body: Vec<u8>) -> (u16, Value) {
    let mut req = reqwest::Client::new()
        .request(method, format!("{}{path}", s.base))
        .header("cookie", &who.cookie)
        .header("x-csrf-token", &who.csrf)
        .body(body);
    if let Some(ct) = ct {
        req = req.header("content-type", ct);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let text = resp.text().await.expect("body");
    assert!(ct.starts_with("application/json"), "{path} answered {status} as '{ct}': {text}");
    (status, serde_json::from_str(&text).expect("a JSON error"))
}

/// A request refused before any handler: method, path, content type, body, and the status and code.
type Refused = (Method, String, Option<&'static str>, Vec<u8>, u16, &'static str);

async fn framework_refusals(s: &Server) {
    let f = &s.facts;
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let referral = f.coventry_referral_sent_to_p.0;
    let agreements = format!("/api/v1/referrals/{referral}/agreements");
    let json_ct = Some("application/json");
    let cases: Vec<Refused> = vec![
        (Method::POST, agreements.clone(), json_ct, b"{\"notes\": ".to_vec(), 400, "malformed"),
        (
            Method::POST,
            agreements.clone(),
            Some("text/plain"),
            b"{\"notes\":\"x\"}".to_vec(),
            415,
            "unsupported_media_type",
        ),
        (Method::POST, agreements.clone(), None, b"{\"notes\":\"x\"}".to_vec(), 415, "unsupported_media_type"),
        (Method::POST, agreements.clone(), json_ct, b"{\"notes\": 5}".to_vec(), 422, "invalid"),
        (Method::POST, agreements.clone(), json_ct, vec![b' '; 1024 * 1024 + 1], 413, "too_large"),
        (Method::GET, "/api/v1/referrals/99999999999999999999".into(), None, vec![], 404, "not_found"),
        (Method::GET, format!("/api/v1/referrals/{referral}/matches?limit=lots"), None, vec![], 422, "invalid"),
        (Method::DELETE, "/api/v1/referrals".into(), None, vec![], 405, "method_not_allowed"),
    ];
    for (method, path, ct, body, want, code) in cases {
        let what = format!("{method} {path} ({ct:?})");
        let (status, answer) = raw(s, method, &path, &officer, ct, body).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (want, Some(code)), "{what}: {answer}");
        let message = answer["error"]["message"].as_str().unwrap_or("");
        assert!(message.len() > 20, "{what}: a sentence, not '{message}'");
    }
    // Every status a route can answer before its handler is in the document.
    let (_, doc) = s.get("/api/v1/openapi.json", As::Nobody).await;
    let post = &doc["paths"]["/api/v1/referrals/{id}/agreements"]["post"]["responses"];
    for status in ["400", "401", "403", "404", "408", "409", "413", "415", "422"] {
        assert!(post.get(status).is_some(), "{status} missing from the agreements POST: {post}");
    }
    let get = &doc["paths"]["/api/v1/referrals/{id}/matches"]["get"]["responses"];
    for status in ["404", "408", "422"] {
        assert!(get.get(status).is_some(), "{status} missing from the matches GET: {get}");
    }
}

async fn not_found_outside(s: &Server) {
    let f = &s.facts;
    let missing = 999_999_999;
    let birmingham = s.sign_in(f.email(Role::Commissioner, f.birmingham)).await;
    let provider = s.sign_in(f.email(Role::ProviderStaff, f.provider_q)).await;
    let referral = f.coventry_referral_sent_to_p.0;
    let child = f.coventry_child.0;
    let paths = [
        (format!("/api/v1/referrals/{referral}"), format!("/api/v1/referrals/{missing}")),
        (format!("/api/v1/children/{child}"), format!("/api/v1/children/{missing}")),
        (format!("/api/v1/children/{child}/placements"), format!("/api/v1/children/{missing}/placements")),
    ];
    for who in [&birmingham, &provider] {
        for (exists, not) in &paths {
            let (a, body_a) = s.get(exists, As::Browser(who)).await;
            let (b, body_b) = s.get(not, As::Browser(who)).await;
            assert_eq!((a, b), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND), "{exists}: {body_a} / {body_b}");
            assert_eq!(body_a["error"]["code"], body_b["error"]["code"]);
        }
    }
    // An agreement, by its own id and by its referral's.
    let (officer, _, placed, _) = crate::marketplace::placed(s).await;
    let (_, versions) = s.get(&format!("/api/v1/referrals/{placed}/agreements"), As::Browser(&officer)).await;
    let agreement = versions[0]["id"].as_i64().expect("an agreement");
    let agreements = [
        (format!("/api/v1/agreements/{agreement}/document"), format!("/api/v1/agreements/{missing}/document")),
        (format!("/api/v1/referrals/{placed}/agreements"), format!("/api/v1/referrals/{missing}/agreements")),
    ];
    for (exists, not) in &agreements {
        let (a, body_a) = s.get(exists, As::Browser(&birmingham)).await;
        let (b, body_b) = s.get(not, As::Browser(&birmingham)).await;
        assert_eq!((a, b), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND), "{exists}: {body_a} / {body_b}");
    }
    // Inside the council, a role without the capability is told so.
    let own = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    assert_eq!(s.get(&paths[0].0, As::Browser(&own)).await.0, StatusCode::FORBIDDEN);
}

async fn contracts_ons(s: &Server) {
    let f = &s.facts;
    let commissioner = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    let (by_dfe, list) = s.get("/api/v1/councils/331/contracts", As::Browser(&commissioner)).await;
    let (by_ons, same) = s.get("/api/v1/councils/E08000026/contracts", As::Browser(&commissioner)).await;
    assert_eq!((by_dfe, by_ons), (StatusCode::OK, StatusCode::OK), "{same}");
    assert_eq!(list, same);
    let (status, answer) = s.get("/api/v1/councils/E99999999/contracts", As::Browser(&commissioner)).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")), "{answer}");
}

async fn no_store(s: &Server) {
    let f = &s.facts;
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let css = "/static/";
    let cached_ok = |path: &str| path.starts_with(css) || path == "/health";
    let child = f.coventry_child.0;
    let paths = [
        "/health".to_owned(),
        "/static/hearth.css".to_owned(),
        "/".to_owned(),
        "/sign-in".to_owned(),
        "/referrals".to_owned(),
        format!("/api/v1/children/{child}"),
        "/api/v1/session".to_owned(),
        "/api/v1/nothing-here".to_owned(),
        "/api/v1/councils/331/ssda903/2026?table=episodes".to_owned(),
    ];
    for path in paths {
        let resp = client.get(format!("{}{path}", s.base)).header("cookie", &officer.cookie).send().await.expect("get");
        let cache = resp.headers().get("cache-control").and_then(|v| v.to_str().ok()).map(str::to_owned);
        if cached_ok(&path) {
            assert_ne!(cache.as_deref(), Some("no-store"), "{path}");
        } else {
            assert_eq!(cache.as_deref(), Some("no-store"), "{path} answered {}", resp.status());
        }
    }
}

/// A referral's full view listed its children and, from the summary it includes, their count under the
/// same key: two `"children"` keys of two types, which a JSON parser silently reduces to the last and
/// no schema can describe. The count is `child_count`, in the list and the full view alike.
async fn one_children_key(s: &Server) {
    let f = &s.facts;
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let id = f.coventry_referral_sent_to_p.0;
    let text = reqwest::Client::new()
        .get(format!("{}/api/v1/referrals/{id}", s.base))
        .header("cookie", &officer.cookie)
        .send()
        .await
        .expect("an answer")
        .text()
        .await
        .expect("a body");
    assert_eq!(text.matches("\"children\":").count(), 1, "one children key: {text}");
    let full: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(full["view"], "full");
    let listed = full["children"].as_array().expect("the children, listed").len();
    assert_eq!(full["child_count"].as_u64(), Some(listed as u64), "{full}");
    let (status, list) = s.get("/api/v1/referrals", As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK);
    let first = list.as_array().and_then(|l| l.first()).expect("a referral listed");
    assert!(first["child_count"].as_u64().is_some_and(|n| n >= 1), "{first}");
    assert!(first.get("children").is_none(), "{first}");
}
