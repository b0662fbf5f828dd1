//! Sign-in, sessions, CSRF, tokens and scoping through the real server.

use crate::TestFn;
use crate::fixture::{As, Server};
use hearth_domain::org::Role;
use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::json;

pub const TESTS: &[(&str, TestFn)] = &[
    ("sign_in_sets_a_locked_down_cookie_and_knows_the_user", |s| Box::pin(sign_in_cookie(s))),
    ("wrong_password_and_unknown_email_are_the_same_401", |s| Box::pin(wrong_credentials(s))),
    ("repeated_failures_lock_the_account_until_the_window_passes", |s| Box::pin(throttle_account(s))),
    ("repeated_failures_from_one_address_lock_every_account", |s| Box::pin(throttle_address(s))),
    ("cookie_writes_need_the_csrf_token_and_change_nothing_without", |s| Box::pin(csrf(s))),
    ("forged_expired_and_ended_sessions_are_401", |s| Box::pin(dead_sessions(s))),
    ("sign_out_everywhere_ends_every_session", |s| Box::pin(sign_out_everywhere(s))),
    ("tokens_work_within_their_scopes_and_stop_when_revoked", |s| Box::pin(tokens(s))),
    ("tokens_cannot_be_scoped_beyond_their_organisation", |s| Box::pin(token_scopes(s))),
    ("a_changed_role_applies_at_once_and_a_deactivated_user_is_signed_out", |s| Box::pin(deactivation(s))),
    ("providers_see_referrals_minimised_until_their_offer_is_accepted", |s| Box::pin(minimised(s))),
    ("reading_a_child_is_audited_and_a_foreign_child_is_404_unaudited", |s| Box::pin(child_reads(s))),
    ("administrators_search_only_their_own_audit_trail", |s| Box::pin(audit_scope(s))),
];

async fn sign_in_cookie(s: &Server) {
    let email = s.facts.email(Role::PlacementOfficer, s.facts.coventry).to_owned();
    let body = json!({ "email": email.to_uppercase(), "password": hearth_demo::DEMO_PASSWORD });
    let (status, headers, me) = s.call_full(Method::POST, "/api/v1/session", As::Nobody, Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{me}");
    let cookie = headers.get("set-cookie").and_then(|v| v.to_str().ok()).expect("set-cookie");
    for attr in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{attr} missing from {cookie}");
    }
    assert_eq!(me["role"], "placement_officer");
    assert_eq!(me["la_code"], 331);
    let session = s.sign_in(&email).await;
    let (status, me) = s.get("/api/v1/session", As::Browser(&session)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["credential"], "session");
    assert!(me["capabilities"].as_array().expect("caps").iter().any(|c| c == "children:read"));
    assert_eq!(s.audit_count("session.create").await, 2);
}

async fn wrong_credentials(s: &Server) {
    let email = s.facts.email(Role::PlacementOfficer, s.facts.coventry);
    let wrong_pw = s.try_sign_in(email, "not the password").await.expect_err("refused");
    let unknown = s.try_sign_in("nobody@nowhere.example", "not the password").await.expect_err("refused");
    assert_eq!(wrong_pw.0, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.0, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong_pw.1["error"]["code"], "unauthenticated");
    assert_eq!(wrong_pw.1, unknown.1, "the answer must not tell which accounts exist");
    assert_eq!(s.audit_count("session.sign_in_failed").await, 2);
    assert_eq!(s.audit_count("session.create").await, 0);
}

async fn throttle_account(s: &Server) {
    let email = s.facts.email(Role::TeamManager, s.facts.coventry).to_owned();
    for _ in 0..5 {
        assert_eq!(s.try_sign_in(&email, "guess").await.expect_err("wrong").0, StatusCode::UNAUTHORIZED);
    }
    let (status, body) = s.try_sign_in(&email, hearth_demo::DEMO_PASSWORD).await.expect_err("locked");
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"]["code"], "too_many_attempts");
    // Another account from the same address is not locked by one account's failures.
    s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    s.clock.advance(SignedDuration::from_mins(16));
    s.sign_in(&email).await;
}

async fn throttle_address(s: &Server) {
    for i in 0..20 {
        let r = s.try_sign_in(&format!("spray{i}@example.org"), "Winter2026!").await;
        assert_eq!(r.expect_err("wrong").0, StatusCode::UNAUTHORIZED);
    }
    let email = s.facts.email(Role::Commissioner, s.facts.coventry);
    let (status, _) = s.try_sign_in(email, hearth_demo::DEMO_PASSWORD).await.expect_err("address locked");
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

async fn csrf(s: &Server) {
    let session = s.sign_in(s.facts.email(Role::ProviderStaff, s.facts.provider_p)).await;
    let (vacancy, places) = s.facts.p_vacancy;
    let path = format!("/api/v1/vacancies/{vacancy}");
    let audits = s.audit_count("vacancy.").await;
    let (status, body) = s.call(Method::PUT, &path, As::CookieOnly(&session), Some(json!({ "places": 0 }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "csrf");
    let wrong = crate::fixture::Session { csrf: "0".repeat(64), ..session.clone() };
    let (status, _) = s.call(Method::PUT, &path, As::Browser(&wrong), Some(json!({ "places": 0 }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(s.store.vacancy(vacancy).await.expect("vacancy").places, places, "nothing changed");
    assert_eq!(s.audit_count("vacancy.").await, audits);
    let (status, body) = s.call(Method::PUT, &path, As::Browser(&session), Some(json!({ "places": 0 }))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["places"], 0);
    assert_eq!(s.audit_count("vacancy.").await, audits + 1);
}

async fn dead_sessions(s: &Server) {
    let forged = crate::fixture::Session {
        cookie: format!("hearth_session={}", "ab".repeat(32)),
        csrf: String::new(),
        body: json!(null),
    };
    let (status, body) = s.get("/api/v1/session", As::Browser(&forged)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthenticated");
    let (status, _) = s.get("/api/v1/session", As::Nobody).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let email = s.facts.email(Role::PlacementOfficer, s.facts.coventry);
    let ended = s.sign_in(email).await;
    let (status, _) = s.call(Method::DELETE, "/api/v1/session", As::Browser(&ended), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(s.get("/api/v1/session", As::Browser(&ended)).await.0, StatusCode::UNAUTHORIZED);

    let expiring = s.sign_in(email).await;
    s.clock.advance(SignedDuration::from_hours(9));
    assert_eq!(s.get("/api/v1/session", As::Browser(&expiring)).await.0, StatusCode::OK);
    s.clock.advance(SignedDuration::from_hours(2));
    assert_eq!(s.get("/api/v1/session", As::Browser(&expiring)).await.0, StatusCode::UNAUTHORIZED);
}

async fn sign_out_everywhere(s: &Server) {
    let email = s.facts.email(Role::Commissioner, s.facts.coventry);
    let laptop = s.sign_in(email).await;
    let phone = s.sign_in(email).await;
    let (_, list) = s.get("/api/v1/sessions", As::Browser(&laptop)).await;
    let list = list.as_array().expect("sessions").clone();
    assert_eq!(list.len(), 2);
    assert_eq!(list.iter().filter(|x| x["current"] == true).count(), 1);
    // Another user's session id is not ours to end.
    let other = s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    let (_, theirs) = s.get("/api/v1/sessions", As::Browser(&other)).await;
    let their_id = theirs[0]["id"].as_i64().expect("id");
    let (status, _) = s.call(Method::DELETE, &format!("/api/v1/sessions/{their_id}"), As::Browser(&laptop), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(s.get("/api/v1/session", As::Browser(&other)).await.0, StatusCode::OK);

    let (status, body) = s.call(Method::POST, "/api/v1/sessions/revoke-all", As::Browser(&phone), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["sessions_ended"], 2);
    assert_eq!(s.get("/api/v1/session", As::Browser(&laptop)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(s.get("/api/v1/session", As::Browser(&phone)).await.0, StatusCode::UNAUTHORIZED);
}

async fn tokens(s: &Server) {
    let admin = s.sign_in(s.facts.email(Role::Administrator, s.facts.provider_p)).await;
    let body =
        json!({ "name": "our case system", "scopes": ["sent-referrals:read", "homes:read"], "expires_in_days": 30 });
    let (status, issued) = s.call(Method::POST, "/api/v1/tokens", As::Browser(&admin), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let secret = issued["secret"].as_str().expect("secret").to_owned();
    assert!(secret.starts_with("hearth_"));
    let id = issued["token"]["id"].as_i64().expect("id");

    let (status, me) = s.get("/api/v1/session", As::Bearer(&secret)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["credential"], "token");
    assert_eq!(s.get("/api/v1/referrals", As::Bearer(&secret)).await.0, StatusCode::OK);
    let (status, body) = s.get("/api/v1/homes", As::Bearer(&secret)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.as_array().expect("homes").iter().all(|h| h["provider"] == s.facts.provider_p.0), "own homes only");
    // Outside its scopes: a vacancy update is refused even though the organisation may do it.
    let (vacancy, _) = s.facts.p_vacancy;
    let (status, body) = s
        .call(Method::PUT, &format!("/api/v1/vacancies/{vacancy}"), As::Bearer(&secret), Some(json!({ "places": 0 })))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(body["error"]["code"], "forbidden");
    // Listed without its secret.
    let (_, list) = s.get("/api/v1/tokens", As::Browser(&admin)).await;
    assert!(!list.to_string().contains(&secret));

    let (status, _) = s.call(Method::DELETE, &format!("/api/v1/tokens/{id}"), As::Browser(&admin), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(s.get("/api/v1/referrals", As::Bearer(&secret)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(s.get("/api/v1/referrals", As::Bearer("hearth_0000")).await.0, StatusCode::UNAUTHORIZED);
    // Another organisation's administrator cannot revoke it, nor see that it exists.
    let other = s.sign_in(s.facts.email(Role::Administrator, s.facts.provider_q)).await;
    let (status, _) = s.call(Method::DELETE, &format!("/api/v1/tokens/{id}"), As::Browser(&other), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn token_scopes(s: &Server) {
    let admin = s.sign_in(s.facts.email(Role::Administrator, s.facts.provider_p)).await;
    for scopes in [json!(["children:read"]), json!(["tokens:write"]), json!(["no-such-scope"]), json!([])] {
        let body = json!({ "name": "x", "scopes": scopes });
        let (status, body) = s.call(Method::POST, "/api/v1/tokens", As::Browser(&admin), Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{scopes}: {body}");
        assert_eq!(body["error"]["fields"][0]["field"], "scopes");
    }
    assert_eq!(s.audit_count("token.create").await, 0);
}

async fn deactivation(s: &Server) {
    let officer_email = s.facts.email(Role::PlacementOfficer, s.facts.coventry);
    let officer = s.sign_in(officer_email).await;
    let admin = s.sign_in(s.facts.email(Role::Administrator, s.facts.coventry)).await;
    let id = s.facts.user(Role::PlacementOfficer, s.facts.coventry);
    // A new role applies to the very next request, whatever the server remembers of the session.
    assert_eq!(s.get("/api/v1/session", As::Browser(&officer)).await.1["role"], "placement_officer");
    let (status, _) = s
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            As::Browser(&admin),
            Some(json!({ "role": "team_manager" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(s.get("/api/v1/session", As::Browser(&officer)).await.1["role"], "team_manager");
    let (status, body) = s
        .call(Method::PATCH, &format!("/api/v1/users/{id}"), As::Browser(&admin), Some(json!({ "active": false })))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["active"], false);
    assert_eq!(s.get("/api/v1/session", As::Browser(&officer)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        s.try_sign_in(officer_email, hearth_demo::DEMO_PASSWORD).await.expect_err("inactive").0,
        StatusCode::UNAUTHORIZED
    );
}

async fn minimised(s: &Server) {
    let p = s.sign_in(s.facts.email(Role::ProviderStaff, s.facts.provider_p)).await;
    let id = s.facts.coventry_referral_sent_to_p;
    let reads = s.audit_count("referral.read").await;
    let (status, view) = s.get(&format!("/api/v1/referrals/{id}"), As::Browser(&p)).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["view"], "minimised");
    let text = view.to_string();
    for personal in ["date_of_birth", "reference", "home_postcode", "\"id\":"] {
        if personal == "\"id\":" {
            assert_eq!(view["children"][0].get("id"), None, "no child id");
        } else {
            assert!(!text.contains(personal), "{personal} leaked: {text}");
        }
    }
    assert!(view["children"][0]["age_band"].is_string());
    assert_eq!(s.audit_count("referral.read").await, reads, "a minimised view discloses no child record");
    // Never sent to P: as if it did not exist.
    let other = s.facts.birmingham_referral_not_sent_to_p;
    let (status, body) = s.get(&format!("/api/v1/referrals/{other}"), As::Browser(&p)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
    if let Some(accepted) = s.facts.coventry_referral_accepted_from_p {
        let (status, view) = s.get(&format!("/api/v1/referrals/{accepted}"), As::Browser(&p)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(view["view"], "full", "after acceptance the provider sees the referral in full");
        assert_eq!(s.audit_count("referral.read").await, reads + 1);
    }
    // The council sees its own in full, audited.
    let officer = s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    let (_, view) = s.get(&format!("/api/v1/referrals/{id}"), As::Browser(&officer)).await;
    assert_eq!(view["view"], "full");
    assert!(view["children"][0]["date_of_birth"].is_string());
}

async fn child_reads(s: &Server) {
    let officer = s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    let own = s.facts.coventry_child;
    let foreign = s.facts.birmingham_child;
    let before = s.audit_count("child.read").await;
    let (status, child) = s.get(&format!("/api/v1/children/{own}"), As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(child["la_code"], 331);
    assert_eq!(s.audit_count("child.read").await, before + 1);
    let q = hearth_store::AuditQuery { action_prefix: Some("child.read".into()), limit: 1, ..Default::default() };
    let row = s.store.audit(&q).await.expect("audit").remove(0);
    assert_eq!(row.record_id.as_deref(), Some(own.to_string().as_str()));
    assert_eq!(row.user, Some(s.facts.user(Role::PlacementOfficer, s.facts.coventry)));
    assert_eq!(row.from.as_deref(), Some("127.0.0.1"));
    let (status, body) = s.get(&format!("/api/v1/children/{foreign}"), As::Browser(&officer)).await;
    let (status_missing, body_missing) = s.get("/api/v1/children/999999999", As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(status_missing, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], body_missing["error"]["code"], "a foreign child looks like a missing one");
    assert_eq!(s.audit_count("child.read").await, before + 1);
}

async fn audit_scope(s: &Server) {
    let cov_admin = s.sign_in(s.facts.email(Role::Administrator, s.facts.coventry)).await;
    s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.birmingham)).await;
    let (status, rows) = s.get("/api/v1/audit?action=session.create", As::Browser(&cov_admin)).await;
    assert_eq!(status, StatusCode::OK, "{rows}");
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 2, "the admin's own sign-in and the officer's, not Birmingham's");
    assert!(rows.iter().all(|r| r["organisation"] == s.facts.coventry.0));
    let (status, body) = s.get("/api/v1/audit?since=yesterday", As::Browser(&cov_admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["fields"][0]["field"], "since");
    let platform = s.sign_in(s.facts.email(Role::PlatformAdministrator, s.facts.platform)).await;
    let (_, all) = s.get("/api/v1/audit?action=session.create", As::Browser(&platform)).await;
    assert_eq!(all.as_array().expect("rows").len(), 4);
    let officer = s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    assert_eq!(s.get("/api/v1/audit", As::Browser(&officer)).await.0, StatusCode::FORBIDDEN);
}
