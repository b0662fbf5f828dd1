//! Issue 16, provider onboarding: a provider asks to join, an administrator approves it, its manager
//! sets a password from the e-mailed invitation, signs in and opens a home that a council's search
//! finds at once; and the refusals, each in words: a link used twice, expired or for a deactivated
//! account; a Companies House number or URN in the wrong shape; an application refused with a reason;
//! applications seen only by the hub's administrators and those of the councils they name.

use crate::TestFn;
use crate::fixture::{As, Server, Session};
use hearth_domain::org::Role;
use hearth_mail::SmtpMailer;
use hearth_test_smtp::SmtpSink;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const TESTS: &[(&str, TestFn)] = &[
    ("onboarding_provider_joins_is_approved_signs_in_from_the_invitation_and_its_home_is_found", |s| {
        Box::pin(joins(s))
    }),
    ("onboarding_invitation_used_twice_expired_or_deactivated_is_refused_in_words", |s| Box::pin(invitations(s))),
    ("onboarding_wrong_shapes_named_refusal_with_reason_and_who_sees_what", |s| Box::pin(decisions(s))),
    ("onboarding_asking_to_join_is_throttled_and_tells_nothing", |s| Box::pin(throttled(s))),
    ("onboarding_pages_refuse_in_words_and_are_each_roles_own", |s| Box::pin(pages(s))),
];

const PASSWORD: &str = "kettle orchard lantern";

fn form(name: &str, email: &str, councils: &[&str]) -> Value {
    json!({ "organisation_name": name, "company_number": "12345678", "urn": "SC765432",
        "contact_name": "Rowan Ashby", "contact_email": email, "contact_phone": "024 7600 0000",
        "councils": councils, "framework": true })
}

async fn ask(s: &Server, body: Value) -> (StatusCode, Value) {
    s.call(Method::POST, "/api/v1/applications", As::Nobody, Some(body)).await
}

async fn admin(s: &Server, org: hearth_domain::OrganisationId) -> Session {
    s.sign_in(s.facts.email(Role::Administrator, org)).await
}

/// Delivers the outbox to a fresh sink; returns (recipient, subject, body) of every message.
async fn deliver(s: &Server) -> Vec<(String, String, String)> {
    let sink = SmtpSink::start().await;
    let mailer = SmtpMailer::from_url(&sink.url(), "Hearth <hearth@test.invalid>").expect("mailer");
    let report = s.services.deliver_outbox(&mailer).await.expect("delivery");
    assert_eq!((report.retrying, report.failed), (0, 0), "{report:?}");
    sink.received(report.sent)
        .into_iter()
        .flat_map(|m| m.recipients.into_iter().map(move |r| (r, m.subject.clone(), m.body.clone())))
        .collect()
}

/// The invitation link's secret in the latest invitation e-mailed to `to`.
fn token_for(mail: &[(String, String, String)], to: &str) -> String {
    let body = mail
        .iter()
        .rev()
        .find(|(r, subject, _)| r == to && subject.starts_with("You are invited to Hearth"))
        .map(|(_, _, b)| b.clone())
        .unwrap_or_else(|| panic!("no invitation to {to}: {mail:#?}"));
    let at = body.find("/invitations/").expect("a link") + "/invitations/".len();
    body[at..at + 64].to_owned()
}

async fn accept(s: &Server, token: &str, password: &str) -> (StatusCode, Value) {
    s.call(
        Method::POST,
        "/api/v1/invitations/accept",
        As::Nobody,
        Some(json!({ "token": token, "password": password })),
    )
    .await
}

fn says(body: &Value, field: &str, words: &str) {
    let details = body["error"]["fields"].as_array().cloned().unwrap_or_default();
    let hit = details.iter().any(|d| d["field"] == field && d["message"].as_str().is_some_and(|m| m.contains(words)));
    assert!(hit, "wanted {field}: '…{words}…' in {body}");
}

/// Asks to join naming Coventry and approves as the hub's administrator; returns (application,
/// manager user id, invitation secret).
async fn approved(s: &Server, name: &str, email: &str) -> (i64, i64, String) {
    let (status, got) = ask(s, form(name, email, &["331"])).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{got}");
    let id = got["reference"].as_i64().expect("reference");
    let hub = admin(s, s.facts.hub).await;
    let (status, v) =
        s.call(Method::POST, &format!("/api/v1/applications/{id}/approve"), As::Browser(&hub), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let manager = v["manager"].as_i64().expect("manager");
    let mail = deliver(s).await;
    (id, manager, token_for(&mail, email))
}

async fn joins(s: &Server) {
    let f = &s.facts;
    let email = "rowan@hollybush-care.example";
    let (status, got) = ask(s, form("Hollybush Care", "Rowan@Hollybush-Care.example", &["331", "E08000025"])).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{got}");
    let id = got["reference"].as_i64().expect("reference");
    assert_eq!(s.audit_count("application.create").await, 1);

    // Coventry's and Birmingham's administrators each see it (it names both); the hub's too.
    for org in [f.coventry, f.birmingham, f.hub] {
        let who = admin(s, org).await;
        let (status, list) = s.get("/api/v1/applications?status=pending", As::Browser(&who)).await;
        assert_eq!(status, StatusCode::OK, "{list}");
        assert!(list.as_array().expect("list").iter().any(|a| a["id"] == id), "{org}: {list}");
    }
    let coventry = admin(s, f.coventry).await;
    let (_, one) = s.get(&format!("/api/v1/applications/{id}"), As::Browser(&coventry)).await;
    assert_eq!(one["company_number"], "12345678");
    assert_eq!(one["urn"], "SC765432");
    assert_eq!(one["contact_email"], email);
    assert_eq!(one["status"], "pending");

    // Coventry's administrator approves: an organisation and its manager, invited by e-mail.
    let (status, v) =
        s.call(Method::POST, &format!("/api/v1/applications/{id}/approve"), As::Browser(&coventry), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "approved");
    let provider = v["organisation"].as_i64().expect("organisation");
    for action in ["application.approve", "organisation.create", "invitation.create"] {
        assert_eq!(s.audit_count(action).await, 1, "{action}");
    }
    // Approving twice is refused.
    let (status, v) =
        s.call(Method::POST, &format!("/api/v1/applications/{id}/approve"), As::Browser(&coventry), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");

    // The manager cannot sign in before setting a password.
    assert!(s.try_sign_in(email, hearth_demo::DEMO_PASSWORD).await.is_err());
    let mail = deliver(s).await;
    let token = token_for(&mail, email);
    // Once sent, the outbox no longer holds a working link: only the invitation's hash is kept.
    let kept = s.store.outbox(None).await.expect("outbox");
    let sent = kept.iter().find(|m| m.to == email).expect("the invitation in the outbox");
    assert!(sent.sent_at.is_some() && !sent.body.contains(&token), "{}", sent.body);
    let (status, v) = s.get(&format!("/invitations/{token}"), As::Nobody).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = accept(s, &token, "short").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    says(&v, "password", "at least 12 characters");
    let (status, v) = accept(s, &token, PASSWORD).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["email"], email);
    assert_eq!(s.audit_count("invitation.accept").await, 1);

    // Signed in from the invitation, the manager sees "Our organisation" and opens a home.
    let manager = s.try_sign_in(email, PASSWORD).await.expect("the manager signs in");
    assert_eq!(manager.body["organisation"], provider);
    assert_eq!(manager.body["role"], "provider_manager");
    let (status, ours) = s.get("/api/v1/organisation", As::Browser(&manager)).await;
    assert_eq!(status, StatusCode::OK, "{ours}");
    assert_eq!(ours["name"], "Hollybush Care");
    assert_eq!(ours["company_number"], "12345678");
    assert_eq!(ours["homes"], 0);

    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let (_, before) = s.get("/api/v1/search?age=14&sex=F&near=CV2&limit=500", As::Browser(&officer)).await;
    let postcode = s
        .store
        .children_of(331)
        .await
        .expect("children")
        .iter()
        .filter_map(|c| c.home_postcode.as_ref().map(|p| p.as_str().to_owned()))
        .find(|p| p.starts_with("CV2 "))
        .expect("a CV2 postcode");
    let (status, home) = s
        .call(
            Method::POST,
            "/api/v1/homes",
            As::Browser(&manager),
            Some(json!({ "kind": "foster_agency", "name": "Hollybush Fostering", "postcode": postcode, "places": 2,
                "age_min": 0, "age_max": 17, "sex": "any", "skills": ["teenagers", "emotional_behavioural"],
                "emergency": true, "weekly_price": 880 })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{home}");
    let home_id = home["home"]["id"].as_i64().expect("id");
    let (status, v) = s
        .call(
            Method::POST,
            &format!("/api/v1/homes/{home_id}/vacancies"),
            As::Browser(&manager),
            Some(json!({ "places": 2 })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let found = |m: &Value| m["matches"].as_array().expect("matches").iter().any(|x| x["home"] == home_id);
    assert!(!found(&before));
    let (status, after) = s.get("/api/v1/search?age=14&sex=F&near=CV2&limit=500", As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    let names: Vec<&Value> = after["matches"].as_array().expect("matches").iter().map(|m| &m["name"]).collect();
    assert!(found(&after), "the new provider's home is found at once: {names:?} {}", after["excluded"]);
}

async fn invitations(s: &Server) {
    let f = &s.facts;
    // Used twice.
    let (_, _, token) = approved(s, "Twice Homes", "twice@twice.example").await;
    assert_eq!(accept(s, &token, PASSWORD).await.0, StatusCode::OK);
    let (status, v) = accept(s, &token, "another long password").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    says(&v, "token", "already been used");
    let (status, page) = s.get(&format!("/invitations/{token}"), As::Nobody).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.as_str().is_some_and(|p| p.contains("already been used")), "the page says so: {page}");
    assert!(s.try_sign_in("twice@twice.example", "another long password").await.is_err(), "the password stands");

    // Unknown or malformed.
    let (status, v) = accept(s, &"0".repeat(64), PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    says(&v, "token", "not one Hearth sent");
    let (status, v) = accept(s, "nul\u{0}", PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    // Expired: the link works for 7 days by the service's clock; a new invitation replaces it.
    let (id, _, token) = approved(s, "Late Homes", "late@late.example").await;
    s.clock.advance(jiff::SignedDuration::from_hours(24 * 7 + 1));
    let (status, v) = accept(s, &token, PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    says(&v, "token", "expired");
    let hub = admin(s, f.hub).await;
    let (status, v) =
        s.call(Method::POST, &format!("/api/v1/applications/{id}/invitation"), As::Browser(&hub), None).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let fresh = token_for(&deliver(s).await, "late@late.example");
    assert_ne!(fresh, token);
    assert_eq!(accept(s, &fresh, PASSWORD).await.0, StatusCode::OK);
    let (status, v) =
        s.call(Method::POST, &format!("/api/v1/applications/{id}/invitation"), As::Browser(&hub), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "no invitation once the password is set: {v}");

    // For a deactivated account.
    let (_, manager, token) = approved(s, "Gone Homes", "gone@gone.example").await;
    let platform = s.sign_in(f.email(Role::PlatformAdministrator, f.platform)).await;
    let (status, v) = s
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{manager}"),
            As::Browser(&platform),
            Some(json!({ "active": false })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = accept(s, &token, PASSWORD).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    says(&v, "token", "deactivated");
    assert_eq!(s.audit_count("invitation.accept").await, 2);
}

async fn decisions(s: &Server) {
    let f = &s.facts;
    // Wrong shapes, each field named; nothing stored.
    let mut bad = form("Shapes Ltd", "shapes@shapes.example", &["331"]);
    bad["company_number"] = json!("1234-567");
    bad["urn"] = json!("SC12345");
    let (status, v) = ask(s, bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    says(&v, "company_number", "not a Companies House number");
    says(&v, "urn", "not an Ofsted URN");
    let mut bad = form("Shapes Ltd", "not an address", &["Atlantis"]);
    bad["organisation_name"] = json!("");
    let (status, v) = ask(s, bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    for field in ["organisation_name", "contact_email", "councils"] {
        says(&v, field, "");
    }
    assert_eq!(s.audit_count("application.create").await, 0);
    // Two letters and six digits, and no URN at all, are fine.
    let mut good = form("Letters Ltd", "letters@letters.example", &["331"]);
    good["company_number"] = json!("sc123456");
    good["urn"] = Value::Null;
    let (status, got) = ask(s, good).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{got}");
    let id = got["reference"].as_i64().expect("reference");

    // Who sees it: Coventry's and the hub's administrators; Birmingham's is told it was not found;
    // nobody else may ask.
    let birmingham = admin(s, f.birmingham).await;
    let (status, list) = s.get("/api/v1/applications", As::Browser(&birmingham)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!list.as_array().expect("list").iter().any(|a| a["id"] == id), "{list}");
    let (status, _) = s.get(&format!("/api/v1/applications/{id}"), As::Browser(&birmingham)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) =
        s.call(Method::POST, &format!("/api/v1/applications/{id}/approve"), As::Browser(&birmingham), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for (role, org) in [
        (Role::PlacementOfficer, f.coventry),
        (Role::RegionalCommissioner, f.hub),
        (Role::Administrator, f.provider_p),
        (Role::PlatformAdministrator, f.platform),
    ] {
        let who = s.sign_in(f.email(role, org)).await;
        let (status, _) = s.get("/api/v1/applications", As::Browser(&who)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?}");
    }
    let (status, _) = s.get("/api/v1/applications", As::Nobody).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Refused with a reason, which the contact is e-mailed; then it cannot be approved.
    let coventry = admin(s, f.coventry).await;
    let refuse = format!("/api/v1/applications/{id}/refuse");
    let (status, v) = s.call(Method::POST, &refuse, As::Browser(&coventry), Some(json!({ "reason": "  " }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    says(&v, "reason", "say why");
    let reason = "We could not confirm your Ofsted registration.";
    let (status, v) = s.call(Method::POST, &refuse, As::Browser(&coventry), Some(json!({ "reason": reason }))).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "refused");
    assert_eq!(v["reason"], reason);
    assert_eq!(s.audit_count("application.refuse").await, 1);
    let mail = deliver(s).await;
    assert!(
        mail.iter().any(|(to, subject, body)| to == "letters@letters.example"
            && subject.starts_with("Your request to join Hearth")
            && body.contains(reason)),
        "{mail:#?}"
    );
    let (status, v) =
        s.call(Method::POST, &format!("/api/v1/applications/{id}/approve"), As::Browser(&coventry), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    let (_, refused) = s.get("/api/v1/applications?status=refused", As::Browser(&coventry)).await;
    assert!(refused.as_array().expect("list").iter().any(|a| a["id"] == id));
    let (status, v) = s.get("/api/v1/applications?status=maybe", As::Browser(&coventry)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");

    // A contact whose e-mail someone already signs in with: the approval is refused naming it.
    let taken = f.email(Role::PlacementOfficer, f.coventry).to_owned();
    let (_, got) = ask(s, form("Taken Ltd", &taken, &["331"])).await;
    let id = got["reference"].as_i64().expect("reference");
    let (status, v) =
        s.call(Method::POST, &format!("/api/v1/applications/{id}/approve"), As::Browser(&coventry), None).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    says(&v, "contact_email", "already signs in");
    let (_, one) = s.get(&format!("/api/v1/applications/{id}"), As::Browser(&coventry)).await;
    assert_eq!(one["status"], "pending", "nothing was written");
}

async fn throttled(s: &Server) {
    // The same answer whether or not the organisation or the e-mail is known already.
    let known = s.facts.email(Role::ProviderManager, s.facts.provider_p).to_owned();
    let (a_status, a) = ask(s, form("Fresh Ltd", "fresh@fresh.example", &[])).await;
    let (b_status, b) = ask(s, form("Fresh Ltd", &known, &["331"])).await;
    assert_eq!((a_status, b_status), (StatusCode::ACCEPTED, StatusCode::ACCEPTED));
    assert_eq!(a["message"], b["message"]);
    let max = hearth_service::AuthPolicy::default().max_applications_per_address;
    for n in 2..max {
        let (status, v) = ask(s, form(&format!("Many {n} Ltd"), "many@many.example", &[])).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{n}: {v}");
    }
    let (status, headers, v) = s
        .call_full(
            Method::POST,
            "/api/v1/applications",
            As::Nobody,
            Some(form("One More Ltd", "more@more.example", &[])),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert!(headers.get("retry-after").is_some());
    assert!(v["error"]["message"].as_str().is_some_and(|m| m.contains("requests to join")), "{v}");
    // An hour later the address may ask again.
    s.clock.advance(jiff::SignedDuration::from_mins(61));
    assert_eq!(ask(s, form("Later Ltd", "later@later.example", &[])).await.0, StatusCode::ACCEPTED);
}

async fn pages(s: &Server) {
    use crate::pages::{get, post, signed_in};
    let f = &s.facts;
    // Ask to join without an account: wrong shapes come back named, with what was typed kept.
    let (status, _, html) = get(s, "/join", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ask to join Hearth"));
    let bad = [
        ("organisation_name", "Pages Care"),
        ("company_number", "ABC"),
        ("urn", "SC12"),
        ("contact_name", "Pat Page"),
        ("contact_email", "pat@pages.example"),
        ("councils", "331"),
    ];
    let (status, _, html) = post(s, "/join", None, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("There is a problem"), "error summary first");
    assert!(html.contains(r##"href="#company_number""##) && html.contains(r##"href="#urn""##), "{html}");
    assert!(html.contains(r#"value="Pages Care""#), "the input is kept");
    let mut good = bad;
    good[1] = ("company_number", "01234567");
    good[2] = ("urn", "2507724");
    let (status, _, html) = post(s, "/join", None, &good).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{html}");
    assert!(html.contains("Request received"));
    assert_eq!(s.audit_count("application.create").await, 1);

    // Who has which page.
    type Case<'a> = (Role, hearth_domain::OrganisationId, &'a [(&'a str, StatusCode)]);
    let cases: &[Case] = &[
        (Role::Administrator, f.hub, &[("/applications", StatusCode::OK), ("/framework", StatusCode::OK)]),
        (
            Role::RegionalCommissioner,
            f.hub,
            &[("/framework", StatusCode::OK), ("/applications", StatusCode::FORBIDDEN)],
        ),
        (Role::Administrator, f.coventry, &[("/applications", StatusCode::OK), ("/framework", StatusCode::FORBIDDEN)]),
        (
            Role::PlacementOfficer,
            f.coventry,
            &[("/applications", StatusCode::FORBIDDEN), ("/organisation", StatusCode::FORBIDDEN)],
        ),
        (
            Role::ProviderStaff,
            f.provider_p,
            &[("/organisation", StatusCode::OK), ("/applications", StatusCode::FORBIDDEN)],
        ),
    ];
    for (role, org, pages) in cases {
        let (cookie, _) = signed_in(s, *role, *org).await;
        for (path, want) in *pages {
            let (status, _, html) = get(s, path, Some(&cookie)).await;
            assert_eq!(status, *want, "{role:?} GET {path}");
            assert!(html.contains(r#"id="main-content""#), "{role:?} {path}: a page, not JSON");
        }
    }

    // The start page tells those who may decide it, and only them, that it waits.
    let waiting = "1 application to join waits for your decision";
    for (org, told) in [(f.coventry, true), (f.hub, true), (f.birmingham, false)] {
        let (cookie, _) = signed_in(s, Role::Administrator, org).await;
        let (_, _, html) = get(s, "/", Some(&cookie)).await;
        assert_eq!(html.contains(waiting), told, "{org:?}: {html}");
    }
    // Coventry's administrator refuses it through the page: an empty reason is named; then it is refused.
    let id = s.store.applications().await.expect("applications")[0].id;
    let (cookie, csrf) = signed_in(s, Role::Administrator, f.coventry).await;
    let (_, _, html) = get(s, "/applications", Some(&cookie)).await;
    assert!(html.contains("Pages Care"), "{html}");
    let refuse = format!("/applications/{id}/refuse");
    let (status, _, html) = post(s, &refuse, Some(&cookie), &[("csrf_token", &csrf), ("reason", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains(r##"href="#reason""##), "{html}");
    let (status, _, _) =
        post(s, &refuse, Some(&cookie), &[("csrf_token", &csrf), ("reason", "No registration found.")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, html) = get(s, &format!("/applications/{id}?done=refused"), Some(&cookie)).await;
    assert!(html.contains("No registration found.") && html.contains("Refused"), "{html}");
    let (_, _, html) = get(s, "/", Some(&cookie)).await;
    assert!(!html.contains("application to join"), "decided, it no longer waits: {html}");
    // Approving it now says why not, on the same page.
    let (status, _, html) =
        post(s, &format!("/applications/{id}/approve"), Some(&cookie), &[("csrf_token", &csrf)]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("already been refused"), "{html}");

    // An invitation link that is not one: said in words on the page.
    let (status, _, html) = get(s, &format!("/invitations/{}", "ab".repeat(32)), None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("not one Hearth sent"), "{html}");
    let (status, _, html) = post(
        s,
        &format!("/invitations/{}", "ab".repeat(32)),
        None,
        &[("password", PASSWORD), ("password_again", PASSWORD)],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("not one Hearth sent"), "{html}");
}
