//! Issue 16: a provider opens a home, changes it and closes it through the API, matching following
//! each change at once; bad details refused naming the field; and bulk upkeep from a CSV file,
//! previewed, saved whole or not at all, by session and by the provider's API token.

use crate::TestFn;
use crate::fixture::{As, Server, Session};
use crate::referrals::fields;
use hearth_domain::org::Role;
use hearth_domain::{HomeId, OrganisationId};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const TESTS: &[(&str, TestFn)] = &[
    ("homes_opened_home_is_matched_at_once_follows_changes_and_closes_once_empty", |s| Box::pin(life_of_a_home(s))),
    ("homes_bad_details_are_refused_naming_the_field", |s| Box::pin(bad_details(s))),
    ("homes_ofsted_register_fills_and_warns", |s| Box::pin(register(s))),
    ("homes_upkeep_file_previewed_then_saved_whole", |s| Box::pin(upkeep_saved(s))),
    ("homes_upkeep_bad_file_saves_nothing_and_names_rows_and_columns", |s| Box::pin(upkeep_refused(s))),
    ("homes_pages_preview_an_upkeep_file_then_save_it_and_close_a_home", |s| Box::pin(upkeep_pages(s))),
    ("homes_pages_take_the_upkeep_file_as_an_upload", |s| Box::pin(upkeep_upload(s))),
];

async fn manager(s: &Server, org: OrganisationId) -> Session {
    s.sign_in(s.facts.email(Role::ProviderManager, org)).await
}

/// A postcode in `district` that Hearth knows (a Coventry child's home there).
async fn postcode_in(s: &Server, district: &str) -> String {
    let children = s.store.children_of(331).await.expect("children");
    children
        .iter()
        .filter_map(|c| c.home_postcode.as_ref())
        .map(|p| p.as_str().to_owned())
        .find(|p| p.split(' ').next() == Some(district))
        .expect("a postcode in the district")
}

async fn post(s: &Server, who: &Session, path: &str, body: Value) -> (StatusCode, Value) {
    s.call(Method::POST, path, As::Browser(who), Some(body)).await
}

async fn patch_home(s: &Server, who: &Session, id: i64, body: Value) -> (StatusCode, Value) {
    s.call(Method::PATCH, &format!("/api/v1/homes/{id}"), As::Browser(who), Some(body)).await
}

/// A foster household in CV2 for any child of 0-17 with the therapeutic skills the test referral
/// asks for, with every place free.
async fn open_household(s: &Server, who: &Session, name: &str) -> i64 {
    let postcode = postcode_in(s, "CV2").await;
    let (status, body) = post(
        s,
        who,
        "/api/v1/homes",
        json!({ "kind": "foster_agency", "name": name, "postcode": postcode, "places": 3, "age_min": 0,
            "age_max": 17, "sex": "any", "skills": ["therapeutic", "emotional_behavioural", "teenagers"],
            "emergency": true, "accessibility": "Ground-floor bedroom and level access.", "weekly_price": 900,
            "price_enhanced": 1100 }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["home"]["district"], "CV2");
    assert_eq!(body["home"]["postcode"], postcode.as_str(), "the provider sees its own home's postcode");
    assert_eq!(body["home"]["price_enhanced"], 1100);
    let id = body["home"]["id"].as_i64().expect("id");
    let (status, v) = post(s, who, &format!("/api/v1/homes/{id}/vacancies"), json!({ "places": 3 })).await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    id
}

fn has_home(matches: &Value, id: i64) -> bool {
    matches["matches"].as_array().expect("matches").iter().any(|m| m["home"] == id)
}

async fn search(s: &Server, officer: &Session) -> Value {
    let (status, body) = s.get("/api/v1/search?age=14&sex=F&near=CV2&limit=500", As::Browser(officer)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn life_of_a_home(s: &Server) {
    let f = &s.facts;
    let p = manager(s, f.provider_p).await;
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let id = open_household(s, &p, "Holly Tree household").await;

    // At once: the quick search and a referral's matches offer it.
    assert!(has_home(&search(s, &officer).await, id), "the new home is in the very next search");
    let (status, referral) =
        post(s, &officer, "/api/v1/referrals", crate::referrals::form(f.coventry_child.0, "2026-11-26")).await;
    assert_eq!(status, StatusCode::CREATED, "{referral}");
    let rid = referral["id"].as_i64().expect("referral id");
    let (status, m) = s.get(&format!("/api/v1/referrals/{rid}/matches?limit=500"), As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    assert!(has_home(&m, id), "the new home is among the referral's matches: {}", m["excluded"]);
    // Councils see it in the market, without its postcode.
    let (_, seen) = s.get(&format!("/api/v1/homes/{id}"), As::Browser(&officer)).await;
    assert_eq!(seen["district"], "CV2");
    assert!(seen.get("postcode").is_none(), "a home's postcode is private: {seen}");

    // Its ages change: the search follows.
    let (status, body) = patch_home(s, &p, id, json!({ "age_min": 0, "age_max": 10 })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(!has_home(&search(s, &officer).await, id), "a 14-year-old no longer fits");
    let (status, body) = patch_home(s, &p, id, json!({ "age_max": 17 })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(has_home(&search(s, &officer).await, id));

    // Another provider cannot change it, nor close it: it does not exist for them.
    let q = manager(s, f.provider_q).await;
    let (status, _) = patch_home(s, &q, id, json!({ "name": "Taken over" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) =
        post(s, &q, &format!("/api/v1/homes/{id}/close"), json!({ "closed_on": "2026-11-25", "reason": "x" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A child moves in: closing is refused while they live there, naming the placement.
    let (status, moved) = post(
        s,
        &officer,
        &format!("/api/v1/placements/{}/move", f.coventry_placement_with_p),
        json!({ "date": "2026-11-25", "reason_change": "CARPL", "planned": true, "home": id }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{moved}");
    let placement = moved["id"].as_i64().expect("placement");
    let close = |on: &str| json!({ "closed_on": on, "reason": "The carers are retiring." });
    let (status, refused) = post(s, &p, &format!("/api/v1/homes/{id}/close"), close("2026-11-25")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(fields(&refused), ["closed_on"]);
    let said = refused["error"]["message"].as_str().unwrap_or_default().to_owned() + &refused.to_string();
    assert!(said.contains(&format!("placement {placement}")), "the refusal names the placement: {refused}");
    // Before the child's placement there began: refused on the date.
    let (status, refused) = post(s, &p, &format!("/api/v1/homes/{id}/close"), close("2026-11-24")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused.to_string().contains("before the start"), "{refused}");
    assert_eq!(s.audit_count("home.close").await, 0, "nothing closed");

    // The council records the child's ending; the next day the home closes and leaves matching.
    s.clock.advance(jiff::SignedDuration::from_hours(24));
    // Sessions last 10 hours: both sign in again the next day.
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let p = manager(s, f.provider_p).await;
    let (status, ended) = post(
        s,
        &officer,
        &format!("/api/v1/placements/{placement}/end"),
        json!({ "end": "2026-11-26", "reason_ceased": "E13", "planned": true }),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    let (status, closed) = post(s, &p, &format!("/api/v1/homes/{id}/close"), close("2026-11-26")).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert_eq!(closed["closed_on"], "2026-11-26");
    assert_eq!(closed["active"], false);
    assert_eq!(s.audit_count("home.close").await, 1);
    assert!(!has_home(&search(s, &officer).await, id), "a closed home is never offered");
    let open: u16 =
        s.store.vacancies().await.expect("vacancies").iter().filter(|v| v.home == HomeId(id)).map(|v| v.places).sum();
    assert_eq!(open, 0, "its vacancies are filled");
    let (status, _) = patch_home(s, &p, id, json!({ "name": "Reopened" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "a closed home is not changed");
}

async fn bad_details(s: &Server) {
    let f = &s.facts;
    let p = manager(s, f.provider_p).await;
    let id = open_household(s, &p, "Rowan household").await;
    let cases = [
        // Its vacancy has 3 places free: the home cannot have fewer.
        ("places", json!({ "places": 1 })),
        ("age_max", json!({ "age_max": 30 })),
        ("age_min", json!({ "age_min": -1 })),
        ("age_min", json!({ "age_min": 12, "age_max": 8 })),
        ("weekly_price", json!({ "weekly_price": 0 })),
        ("urn", json!({ "urn": "12AB" })),
        ("kind", json!({ "kind": "castle" })),
        ("postcode", json!({ "postcode": "not a postcode" })),
        (
            "connected_person",
            json!({ "kind": "childrens_home", "registration": "registered", "connected_person": true }),
        ),
    ];
    let before = s.audit_count("home.update").await;
    for (field, body) in cases {
        let (status, answer) = patch_home(s, &p, id, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(fields(&answer), [field], "{body}: {answer}");
    }
    // A URN another provider's home holds.
    let homes = s.store.homes().await.expect("homes");
    let mine: Vec<&str> =
        homes.iter().filter(|h| h.provider == f.provider_p).filter_map(|h| h.urn.as_deref()).collect();
    let theirs = homes
        .iter()
        .find(|h| h.provider != f.provider_p && h.urn.as_deref().is_some_and(|u| !mine.contains(&u)))
        .and_then(|h| h.urn.clone())
        .expect("another provider's URN");
    let (status, answer) = patch_home(s, &p, id, json!({ "urn": theirs })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(fields(&answer), ["urn"]);
    assert!(answer.to_string().contains("another provider"), "{answer}");
    assert_eq!(s.audit_count("home.update").await, before, "nothing refused was written");
    // A new home without what it needs.
    let (status, answer) = post(s, &p, "/api/v1/homes", json!({ "name": "Half a home" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let named = fields(&answer);
    for f in ["kind", "postcode", "places", "age_min", "age_max", "weekly_price"] {
        assert!(named.iter().any(|n| n == f), "{f} missing from {named:?}");
    }
    // Staff keep vacancies; opening homes is for managers.
    let staff = s.sign_in(f.email(Role::ProviderStaff, f.provider_p)).await;
    let (status, _) = patch_home(s, &staff, id, json!({ "name": "Renamed" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn register(s: &Server) {
    let homes = s.store.homes().await.expect("homes");
    // A provider whose homes carry a URN Ofsted registered, and which no other provider's home holds.
    let (org, urn) = homes
        .iter()
        .filter_map(|h| h.urn.as_ref().map(|u| (h.provider, u.clone())))
        .find(|(org, u)| {
            s.facts.logins.contains_key(&(Role::ProviderManager, *org))
                && homes.iter().all(|o| o.urn.as_ref() != Some(u) || o.provider == *org)
        })
        .expect("a provider with a registered home");
    let who = manager(s, org).await;
    let postcode = postcode_in(s, "CV2").await;
    let base = json!({ "name": "Register test", "postcode": postcode, "urn": urn, "age_min": 8, "age_max": 17,
        "weekly_price": 3000 });
    let mut filled = base.clone();
    filled["places"] = json!(2);
    let (status, body) = post(s, &who, "/api/v1/homes", filled).await;
    assert_eq!(status, StatusCode::CREATED, "the register fills the kind: {body}");
    assert!(body["home"]["kind"].is_string());
    assert!(matches!(body["home"]["registration"].as_str(), Some("registered" | "suspended")), "{body}");
    // Typed differently from the register: saved as typed, with a warning on the field.
    let kind = if body["home"]["kind"] == "secure_childrens_home" { "sa_single" } else { "secure_childrens_home" };
    let mut odd = base.clone();
    odd["kind"] = json!(kind);
    odd["places"] = json!(2);
    odd["registration"] = json!("applied");
    let (status, body) = post(s, &who, "/api/v1/homes", odd).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let warned: Vec<&str> =
        body["warnings"].as_array().expect("warnings").iter().filter_map(|w| w["field"].as_str()).collect();
    assert!(warned.contains(&"kind") && warned.contains(&"registration"), "{body}");
}

fn csv(rows: &[String]) -> String {
    let mut out = "home,places,available_from,weekly_price\n".to_owned();
    for r in rows {
        out.push_str(r);
        out.push('\n');
    }
    out
}

async fn vacancy_of(s: &Server, home: i64) -> Option<(u16, String, u32)> {
    let all = s.store.vacancies().await.expect("vacancies");
    all.iter()
        .filter(|v| v.home == HomeId(home))
        .min_by_key(|v| v.id)
        .map(|v| (v.places, v.available_from.to_string(), v.weekly_price.pounds()))
}

async fn upkeep_saved(s: &Server) {
    let f = &s.facts;
    let p = manager(s, f.provider_p).await;
    let a = open_household(s, &p, "Ash household").await;
    let b = open_household(s, &p, "Beech household").await;
    let file = csv(&[format!("{a},2,2026-12-01,950"), format!("{b},0,2026-11-25,875")]);
    let (status, preview) = s.call_csv("/api/v1/homes/upkeep?preview=true", As::Browser(&p), &file).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert_eq!(preview["saved"], false);
    let changes = preview["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["row"], 2);
    assert_eq!((changes[0]["places_before"].clone(), changes[0]["places"].clone()), (json!(3), json!(2)));
    assert_eq!(vacancy_of(s, a).await, Some((3, "2026-11-25".into(), 900)), "a preview saves nothing");

    // Saved, through the provider's own system with its token.
    let (status, issued) =
        post(s, &p, "/api/v1/tokens", json!({ "name": "homes system", "scopes": ["vacancies:write"] })).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let token = issued["secret"].as_str().expect("secret").to_owned();
    let (status, saved) = s.call_csv("/api/v1/homes/upkeep", As::Bearer(&token), &file).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["saved"], true);
    assert_eq!(vacancy_of(s, a).await, Some((2, "2026-12-01".into(), 950)));
    assert_eq!(vacancy_of(s, b).await, None, "a row of 0 places closes the home's vacancy");
    assert_eq!(s.store.home(HomeId(a)).await.expect("home").weekly_price.pounds(), 950, "the home's price too");
    assert_eq!(s.audit_count("vacancy.upkeep").await, 1);
    // JSON is not a CSV file.
    let (status, _) = s.call(Method::POST, "/api/v1/homes/upkeep", As::Bearer(&token), Some(json!({}))).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

async fn upkeep_refused(s: &Server) {
    let f = &s.facts;
    let p = manager(s, f.provider_p).await;
    let a = open_household(s, &p, "Elm household").await;
    let before = vacancy_of(s, a).await;
    let file = csv(&[
        format!("{a},1,2026-12-01,950"),
        format!("{},1,2026-12-01,950", f.q_home),
        format!("{a},x,2026-13-01,0"),
        "12AB,1,2026-12-01,950".to_owned(),
    ]);
    let (status, answer) = s.call_csv("/api/v1/homes/upkeep", As::Browser(&p), &file).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let text = answer.to_string();
    for (row, column) in [(3, "home"), (4, "places"), (4, "available_from"), (4, "weekly_price"), (5, "home")] {
        let hit = answer["error"]["fields"].as_array().expect("fields").iter().any(|e| {
            e["field"] == column && e["message"].as_str().is_some_and(|m| m.starts_with(&format!("row {row}:")))
        });
        assert!(hit, "row {row}, {column} not named: {text}");
    }
    assert_eq!(vacancy_of(s, a).await, before, "nothing saved");

    // Rows that each read well but whose home cannot hold them: the whole file is refused in the write.
    let placed = s.store.placements_with(f.provider_p, 0).await.expect("placements");
    let full = placed.iter().filter(|pl| pl.end.is_none()).find_map(|pl| pl.home).expect("a home with a child");
    let places = s.store.home(full).await.expect("home").places;
    let file = csv(&[format!("{a},1,2026-12-01,950"), format!("{full},{places},2026-12-01,950")]);
    let (status, answer) = s.call_csv("/api/v1/homes/upkeep", As::Browser(&p), &file).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(answer.to_string().contains("row 3:"), "{answer}");
    assert_eq!(vacancy_of(s, a).await, before, "all or nothing: the good row was not saved");
    assert_eq!(s.audit_count("vacancy.upkeep").await, 0);
}

async fn upkeep_pages(s: &Server) {
    use crate::pages::{get, location, post as post_form, signed_in};
    let f = &s.facts;
    let p = manager(s, f.provider_p).await;
    let a = open_household(s, &p, "Hazel household").await;
    let (cookie, csrf) = signed_in(s, Role::ProviderManager, f.provider_p).await;
    let (status, _, page) = get(s, "/homes?find=Hazel", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("/homes/new") && page.contains(&format!("/homes/{a}/close")), "managers add and close");
    let file = csv(&[format!("{a},1,2026-12-02,990")]);
    // Checked: the changes shown, nothing saved.
    let check = [("csrf_token", csrf.as_str()), ("action", "check"), ("file", file.as_str())];
    let (status, _, html) = post_form(s, "/homes/upkeep", Some(&cookie), &check).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("What the file changes") && html.contains("Hazel household") && html.contains("£990"),
        "{html}"
    );
    assert!(html.contains("Save these changes"));
    assert_eq!(vacancy_of(s, a).await, Some((3, "2026-11-25".into(), 900)), "a check saves nothing");
    // A bad row: the error summary names its row and column.
    let bad = csv(&[format!("{a},1,2026-12-02,0")]);
    let form = [("csrf_token", csrf.as_str()), ("action", "check"), ("file", bad.as_str())];
    let (status, _, html) = post_form(s, "/homes/upkeep", Some(&cookie), &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("govuk-error-summary") && html.contains("Row 2") && html.contains("column weekly_price"),
        "{html}"
    );
    // Saved from the preview.
    let save = [("csrf_token", csrf.as_str()), ("action", "save"), ("file", file.as_str())];
    let (status, headers, _) = post_form(s, "/homes/upkeep", Some(&cookie), &save).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/homes?updated=1");
    assert_eq!(vacancy_of(s, a).await, Some((1, "2026-12-02".into(), 990)));
    // Closing with a date as day, month and year: a date in the future is refused on the page.
    let close = [
        ("csrf_token", csrf.as_str()),
        ("closed_day", "1"),
        ("closed_month", "1"),
        ("closed_year", "2030"),
        ("reason", "Moving to a bigger house."),
    ];
    let (status, _, html) = post_form(s, &format!("/homes/{a}/close"), Some(&cookie), &close).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r##"<a href="#closed_on">"##), "{html}");
    let close = [
        ("csrf_token", csrf.as_str()),
        ("closed_day", "25"),
        ("closed_month", "11"),
        ("closed_year", "2026"),
        ("reason", "Moving to a bigger house."),
    ];
    let (status, headers, _) = post_form(s, &format!("/homes/{a}/close"), Some(&cookie), &close).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), format!("/homes?closed={a}"));
    assert!(!s.store.home(HomeId(a)).await.expect("home").active);
    // Staff keep vacancies but do not add homes.
    let (cookie, _) = signed_in(s, Role::ProviderStaff, f.provider_p).await;
    let (status, _, _) = get(s, "/homes/new", Some(&cookie)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Posts a form as `multipart/form-data` with one file, as a browser sends a form with a file input;
/// the body is written out here (the test client has no multipart support, and the shape is short).
async fn post_with_file(
    s: &Server,
    cookie: &str,
    fields: &[(&str, &str)],
    file: &str,
) -> (StatusCode, reqwest::header::HeaderMap, String) {
    const B: &str = "hearth-test-boundary-7f3a";
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!("--{B}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"));
    }
    body.push_str(&format!(
        "--{B}\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"vacancies.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{file}\r\n--{B}--\r\n"
    ));
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(format!("{}/homes/upkeep", s.base))
        .header("cookie", cookie)
        .header("content-type", format!("multipart/form-data; boundary={B}"))
        .body(body)
        .send()
        .await
        .expect("request");
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.text().await.expect("body"))
}

/// The upkeep page takes the file itself (what a provider with 60 homes exports), not only its
/// rows pasted: the chosen file is checked and previewed, a bad row is named and its rows come back
/// in the box to put right, the file saves from the preview, and the guard still wants the token.
async fn upkeep_upload(s: &Server) {
    use crate::pages::{get, location, post as post_form, signed_in};
    let f = &s.facts;
    let p = manager(s, f.provider_p).await;
    let a = open_household(s, &p, "Rowan household").await;
    let (cookie, csrf) = signed_in(s, Role::ProviderManager, f.provider_p).await;
    let (_, _, page) = get(s, "/homes/upkeep", Some(&cookie)).await;
    assert!(page.contains(r#"enctype="multipart/form-data""#) && page.contains(r#"type="file""#), "{page}");
    let file = csv(&[format!("{a},2,2026-12-04,975")]);
    let (status, _, html) =
        post_with_file(s, &cookie, &[("csrf_token", &csrf), ("action", "check"), ("file", "")], &file).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains("What the file changes") && html.contains("Rowan household") && html.contains("£975"),
        "{html}"
    );
    assert_eq!(vacancy_of(s, a).await, Some((3, "2026-11-25".into(), 900)), "a check saves nothing");
    // The preview carries the uploaded rows to the save button.
    let save = [("csrf_token", csrf.as_str()), ("action", "save"), ("file", file.as_str())];
    assert!(html.contains(&format!("{a},2,2026-12-04,975")), "the preview keeps the file's rows: {html}");
    let (status, headers, _) = post_form(s, "/homes/upkeep", Some(&cookie), &save).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), "/homes?updated=1");
    assert_eq!(vacancy_of(s, a).await, Some((2, "2026-12-04".into(), 975)));
    // A bad row in the file: named by row and column, and the file's rows are in the box.
    let bad = csv(&[format!("{a},1,2026-12-04,0")]);
    let (status, _, html) =
        post_with_file(s, &cookie, &[("csrf_token", &csrf), ("action", "check"), ("file", "")], &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("Row 2") && html.contains("column weekly_price"), "{html}");
    assert!(html.contains(&format!("{a},1,2026-12-04,0\n</textarea>")), "the rows come back to put right: {html}");
    // Neither a file nor rows: said in words.
    let (status, _, html) =
        post_with_file(s, &cookie, &[("csrf_token", &csrf), ("action", "check"), ("file", "")], "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Choose a CSV file, or paste its rows"), "{html}");
    // The CSRF guard holds for a file as for any form.
    let (status, _, _) =
        post_with_file(s, &cookie, &[("csrf_token", "stale"), ("action", "save"), ("file", "")], &file).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A body that says it is multipart and is not: refused as malformed, not a failure of Hearth's.
    let resp = reqwest::Client::new()
        .post(format!("{}/homes/upkeep", s.base))
        .header("cookie", &cookie)
        .header("content-type", "multipart/form-data; boundary=nothing-like-this")
        .body("--other\r\n\0garbage")
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert_eq!(s.audit_count("vacancy.upkeep").await, 1, "only the one save");
}
