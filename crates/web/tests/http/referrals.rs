//! The referral form through the real server: creating with field errors, the lifecycle, and the
//! Placements Data Standard v2 export.

use crate::TestFn;
use crate::fixture::{As, Server};
use hearth_domain::org::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const TESTS: &[(&str, TestFn)] = &[
    ("an_impossible_referral_gets_an_error_for_each_field", |s| Box::pin(field_errors(s))),
    ("create_submit_and_read_back_with_its_history_and_a_second_submit_is_409", |s| Box::pin(lifecycle(s))),
    ("changes_stop_once_a_referral_is_withdrawn", |s| Box::pin(patch_and_withdraw(s))),
    ("a_provider_cannot_create_a_referral", |s| Box::pin(provider_refused(s))),
    ("the_standard_export_has_every_field_of_the_standard", |s| Box::pin(standard(s))),
];

/// A whole referral form for one child, needed from `needed_from`.
pub fn form(child: i64, needed_from: &str) -> Value {
    json!({
        "children": [child],
        "siblings_together": false,
        "urgency": "planned",
        "needed_from": needed_from,
        "needs": ["self_harm", "aggression"],
        "preferred_district": "CV2",
        "details": {
            "strengths": "Loves football and is doing well in maths.",
            "school_district": "CV3",
            "communication_needs": "no",
            "language_support": ["none"],
            "cultural_needs": "required",
            "cared_for_alongside": "only_younger",
            "pets": "can",
            "additional_support": "therapeutic_support",
            "deprivation_of_liberty": false,
            "foster_suitability": "preferred",
            "residential_suitability": "suitable_not_preferred",
            "supported_suitability": "unsuitable",
            "extra_risks": ["fire_setting"],
            "max_weekly_price": 2400
        }
    })
}

/// The fields an `invalid` answer names.
pub fn fields(answer: &Value) -> Vec<String> {
    answer["error"]["fields"]
        .as_array()
        .map(|a| a.iter().filter_map(|f| f["field"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

async fn field_errors(s: &Server) {
    let f = &s.facts;
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let mut body = form(f.coventry_child.0, "2026-11-20");
    body["children"] = json!([]);
    body["urgency"] = json!("whenever");
    body["details"]["pets"] = json!("dragons");
    let (status, answer) = s.call(Method::POST, "/api/v1/referrals", As::Browser(&officer), Some(body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["code"], "invalid");
    let got = fields(&answer);
    for want in ["children", "needed_from", "urgency", "details.pets"] {
        assert!(got.iter().any(|g| g == want), "{want} missing from {got:?}");
    }

    // Another council's child reads exactly as one that does not exist.
    let foreign = form(f.birmingham_child.0, "2026-11-26");
    let (status, answer) = s.call(Method::POST, "/api/v1/referrals", As::Browser(&officer), Some(foreign)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(fields(&answer), ["children"]);
    let missing = form(999_999_999, "2026-11-26");
    let (_, other) = s.call(Method::POST, "/api/v1/referrals", As::Browser(&officer), Some(missing)).await;
    assert_eq!(
        answer["error"]["fields"][0]["message"].as_str().map(|m| m.replace(&f.birmingham_child.0.to_string(), "N")),
        other["error"]["fields"][0]["message"].as_str().map(|m| m.replace("999999999", "N"))
    );
    assert_eq!(s.audit_count("referral.create").await, 0, "nothing refused is written");
}

async fn create(s: &Server, officer: &crate::fixture::Session) -> (i64, Value) {
    let body = form(s.facts.coventry_child.0, "2026-11-26");
    let (status, created) = s.call(Method::POST, "/api/v1/referrals", As::Browser(officer), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    (created["id"].as_i64().expect("an id"), created)
}

async fn lifecycle(s: &Server) {
    let f = &s.facts;
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let (id, created) = create(s, &officer).await;
    assert_eq!(created["status"], "draft");
    assert_eq!(created["details"]["pets"], "can");
    assert_eq!(created["details"]["max_weekly_price"], 2400);

    let submit = format!("/api/v1/referrals/{id}/submit");
    let (status, opened) = s.call(Method::POST, &submit, As::Browser(&officer), None).await;
    assert_eq!(status, StatusCode::OK, "{opened}");
    assert_eq!(opened["status"], "open");

    let manager = s.sign_in(f.email(Role::TeamManager, f.coventry)).await;
    let (status, read) = s.get(&format!("/api/v1/referrals/{id}"), As::Browser(&manager)).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!((read["view"].as_str(), read["status"].as_str()), (Some("full"), Some("open")));
    assert_eq!(read["details"]["strengths"], "Loves football and is doing well in maths.");
    let trail: Vec<(Value, Value)> =
        read["events"].as_array().expect("events").iter().map(|e| (e["from"].clone(), e["to"].clone())).collect();
    assert_eq!(trail, [(Value::Null, json!("draft")), (json!("draft"), json!("open"))]);

    let (status, again) = s.call(Method::POST, &submit, As::Browser(&officer), None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["error"]["code"], "conflict");
    assert_eq!((s.audit_count("referral.create").await, s.audit_count("referral.status").await), (1, 1));

    // The audit trail names the referral, never the child's details or the form's words.
    let lines = s.store.audit(&hearth_store::AuditQuery::default()).await.expect("audit");
    let written = format!("{lines:?}");
    assert!(!written.contains("Loves football"), "the form's words reached the audit log");
}

async fn patch_and_withdraw(s: &Server) {
    let f = &s.facts;
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let (id, _) = create(s, &officer).await;
    let path = format!("/api/v1/referrals/{id}");
    let patch = json!({ "urgency": "within_72_hours", "needs": ["missing"] });
    let (status, changed) = s.call(Method::PATCH, &path, As::Browser(&officer), Some(patch)).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!((changed["urgency"].as_str(), changed["needs"].clone()), (Some("within_72_hours"), json!(["missing"])));
    assert_eq!(changed["details"]["pets"], "can", "details not sent are kept");

    let (status, bad) =
        s.call(Method::PATCH, &path, As::Browser(&officer), Some(json!({ "needed_from": "2020-01-01" }))).await;
    assert_eq!((status, fields(&bad)), (StatusCode::UNPROCESSABLE_ENTITY, vec!["needed_from".to_owned()]));

    let (status, gone) = s.call(Method::POST, &format!("{path}/withdraw"), As::Browser(&officer), None).await;
    assert_eq!(status, StatusCode::OK, "{gone}");
    assert_eq!(gone["status"], "withdrawn");
    let (status, _) = s.call(Method::PATCH, &path, As::Browser(&officer), Some(json!({ "urgency": "planned" }))).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = s.call(Method::POST, &format!("{path}/withdraw"), As::Browser(&officer), None).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

async fn provider_refused(s: &Server) {
    let f = &s.facts;
    let staff = s.sign_in(f.email(Role::ProviderManager, f.provider_p)).await;
    let body = form(f.coventry_child.0, "2026-11-26");
    let (status, answer) = s.call(Method::POST, "/api/v1/referrals", As::Browser(&staff), Some(body)).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    assert_eq!(s.audit_count("referral.create").await, 0);
}

async fn standard(s: &Server) {
    let f = &s.facts;
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let (id, _) = create(s, &officer).await;
    let (status, records) = s.get(&format!("/api/v1/referrals/{id}/standard"), As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{records}");
    let r = &records.as_array().expect("records")[0];
    for field in [
        "Child ID",
        "When do you need this placement by",
        "Number of siblings to place with",
        "Preferred location for home search",
        "Communication, language and learning needs",
        "Specific communication and language requirements",
        "Adaptation to the home",
        "Cultural needs (e.g. place of worship)",
        "Who can the child be cared for alongside",
        "Can child live with pets/animals?",
        "Additional support",
        "Deprivation of Liberty Order",
        "Foster care suitability",
        "Residential care suitability",
        "Supported accommodation suitability",
        "Risks to the child",
        "Risks to others or property",
        "Actual placement",
        "Officer entering the referral",
        "Date of data entry for the referral",
    ] {
        assert!(r.get(field).is_some(), "{field} missing from {r}");
    }
    for field in [
        "Self-harm",
        "Sexual exploitation",
        "Criminal exploitation",
        "Drug and alcohol use",
        "Eating disorder",
        "Going missing",
        "Other",
    ] {
        assert!(r["Risks to the child"].get(field).is_some(), "risk to the child {field} missing");
    }
    for field in ["Physical harm", "Sexual harm", "Fire-setting", "Harm to animals", "Criminal exploitation", "Other"] {
        assert!(r["Risks to others or property"].get(field).is_some(), "risk to others {field} missing");
    }
    for field in [
        "Total weekly cost (actual weekly fee paid)",
        "Placement location",
        "Preferability of placement location",
        "Education continuity",
        "Provider URN (Ofsted)",
        "How many siblings were placed together",
        "Placement type",
    ] {
        assert!(r["Actual placement"].get(field).is_some(), "placement {field} missing");
    }
    assert_eq!(r["Child ID"], f.coventry_child.0);
    assert_eq!(r["When do you need this placement by"], "<5 days");
    assert_eq!(r["Can child live with pets/animals?"], "Yes - can");
    assert_eq!(r["Who can the child be cared for alongside"], "Only with other younger children");
    assert_eq!(r["Risks to others or property"]["Physical harm"], "Risk present");
    assert_eq!(r["Risks to others or property"]["Fire-setting"], "Risk present");
    assert_eq!(s.audit_count("referral.standard.read").await, 1);

    let staff = s.sign_in(f.email(Role::ProviderStaff, f.provider_p)).await;
    let (status, _) = s.get(&format!("/api/v1/referrals/{id}/standard"), As::Browser(&staff)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a provider never gets the export");
}
