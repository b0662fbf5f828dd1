//! Matching through the API: ranked, explained homes; the quick search; bad input; and the index
//! following vacancy changes so a filled place is never offered.

use crate::TestFn;
use crate::fixture::{As, Server};
use hearth_domain::org::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const TESTS: &[(&str, TestFn)] = &[
    ("quick_search_ranks_explains_and_counts_exclusions", |s| Box::pin(quick_search(s))),
    ("quick_search_refuses_impossible_input_field_by_field", |s| Box::pin(bad_search(s))),
    ("a_referral_gets_ranked_matches_only_for_its_council", |s| Box::pin(referral_matches(s))),
    ("a_vacancy_filled_through_the_api_is_never_offered_again", |s| Box::pin(filled_vacancy(s))),
    ("matches_follow_the_referral_form_as_it_changes", |s| Box::pin(form_steers_matches(s))),
    ("a_council_tunes_its_own_weights_and_its_ranking_follows", |s| Box::pin(tuned_weights(s))),
    ("vacancies_open_and_change_through_the_api_and_the_index_follows", |s| Box::pin(opened_vacancy(s))),
];

async fn opened_vacancy(s: &Server) {
    let f = &s.facts;
    let staff = s.sign_in(f.email(Role::ProviderStaff, f.provider_p)).await;
    let home = s.store.home(f.p_home).await.expect("home");
    let path = format!("/api/v1/homes/{}/vacancies", home.id);
    // Field by field refusal, nothing written.
    let bad = json!({ "places": home.places + 1, "available_from": "2020-01-01", "age_min": 12, "age_max": 9, "sex": "x", "weekly_price": -3 });
    let (status, body) = s.call(Method::POST, &path, As::Browser(&staff), Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().expect("fields").iter().filter_map(|x| x["field"].as_str()).collect();
    for f in ["places", "available_from", "age_min", "sex", "weekly_price"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert_eq!(s.audit_count("vacancy.create").await, 0);
    let sex = if home.sex == hearth_domain::home::SexAccepted::FemaleOnly { "F" } else { "M" };
    let age = home.ages.max;
    let (status, opened) = s
        .call(
            Method::POST,
            &path,
            As::Browser(&staff),
            Some(json!({ "places": 1, "age_min": home.ages.min, "age_max": age })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let id = opened["id"].as_i64().expect("id");
    assert_eq!(s.audit_count("vacancy.create").await, 1);
    assert_eq!(s.store.vacancy(hearth_domain::VacancyId(id)).await.expect("stored").places, 1);
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let near = home.district.as_str();
    let search = format!("/api/v1/search?age={age}&sex={sex}&near={near}&urgency=planned&limit=200");
    // Moved to next June through PATCH, it is not free for a start today.
    let (status, _) = s
        .call(
            Method::PATCH,
            &format!("/api/v1/vacancies/{id}"),
            As::Browser(&staff),
            Some(json!({ "available_from": "2027-06-01" })),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, later) = s.get(&search, As::Browser(&officer)).await;
    assert!(
        !matches(&later).iter().any(|m| m["vacancy"].as_i64() == Some(id)),
        "a vacancy from next June is not free for a start now"
    );
    // Another provider's vacancy is not this provider's to change.
    let (q_vacancy, _) = f.q_vacancy;
    let (status, _) = s
        .call(
            Method::PATCH,
            &format!("/api/v1/vacancies/{q_vacancy}"),
            As::Browser(&staff),
            Some(json!({ "places": 1 })),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn tuned_weights(s: &Server) {
    let commissioner = s.sign_in(s.facts.email(Role::Commissioner, s.facts.coventry)).await;
    let officer = s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    let (status, defaults) = s.get("/api/v1/councils/331/weights", As::Browser(&commissioner)).await;
    assert_eq!(status, StatusCode::OK, "{defaults}");
    assert_eq!(defaults["distance"], 25.0);
    let search = "/api/v1/search?age=15&sex=M&near=CV2&limit=20&urgency=planned";
    let (_, before) = s.get(search, As::Browser(&officer)).await;
    // Price alone: every other factor must stop counting.
    let only_price = json!({ "connected_person": 0, "distance": 0, "inside_area": 0, "school": 0, "siblings": 0,
        "adaptations": 0, "skills": 0, "judgement": 0, "risk": 0, "tier": 0, "price": 100, "household": 0, "pets": 0,
        "preferred_area": 0, "placement_type": 0 });
    let (status, saved) =
        s.call(Method::PUT, "/api/v1/councils/331/weights", As::Browser(&commissioner), Some(only_price)).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["distance"], 0.0);
    assert_eq!(saved["school_half_miles"], 10.0, "a scale not sent keeps its default");
    let (_, after) = s.get(search, As::Browser(&officer)).await;
    let order = |v: &Value| matches(v).iter().map(|m| m["home"].as_i64().expect("home")).collect::<Vec<_>>();
    assert_ne!(order(&before), order(&after), "the council's own weights change its ranking");
    for m in matches(&after) {
        for c in m["contributions"].as_array().expect("contributions") {
            if c["factor"] != "price" {
                assert_eq!(c["points"].as_f64(), Some(0.0), "{} still counts: {m}", c["factor"]);
            }
        }
    }
    assert_eq!(s.audit_count("weights.update").await, 1);
    // Another council's ranking is untouched, and a misspelt or negative weight is refused.
    let (status, body) = s
        .call(Method::PUT, "/api/v1/councils/331/weights", As::Browser(&commissioner), Some(json!({ "distanse": 3 })))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "weights");
    let (status, _) = s
        .call(Method::PUT, "/api/v1/councils/331/weights", As::Browser(&commissioner), Some(json!({ "price": -1 })))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(s.audit_count("weights.update").await, 1, "refused changes write nothing");
    let (status, _) = s.get("/api/v1/councils/330/weights", As::Browser(&commissioner)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "Birmingham's weights are Birmingham's");
}

async fn form_steers_matches(s: &Server) {
    let officer = s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    let form = crate::referrals::form(s.facts.coventry_child.0, "2026-12-20");
    let (status, created) = s.call(Method::POST, "/api/v1/referrals", As::Browser(&officer), Some(form)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().expect("id");
    let path = format!("/api/v1/referrals/{id}/matches?limit=200");
    let kinds = |v: &Value| -> Vec<String> {
        matches(v).iter().map(|m| m["kind"].as_str().expect("kind").to_owned()).collect()
    };
    let (status, before) = s.get(&path, As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert!(kinds(&before).iter().all(|k| !k.starts_with("sa_")), "supported accommodation was marked unsuitable");
    assert!(kinds(&before).iter().any(|k| k.starts_with("foster") || k == "connected_person"), "{:?}", kinds(&before));
    // The officer now rules fostering out: the very next search must follow.
    let patch = json!({ "details": { "foster_suitability": "unsuitable" } });
    let (status, body) =
        s.call(Method::PATCH, &format!("/api/v1/referrals/{id}"), As::Browser(&officer), Some(patch)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, after) = s.get(&path, As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    // An empty list would pass the check below for the wrong reason: other kinds of home still match.
    assert!(!kinds(&after).is_empty(), "no home at all after ruling fostering out: {after}");
    assert!(kinds(&after).iter().all(|k| !k.starts_with("foster")), "fostering still offered: {:?}", kinds(&after));
}

fn matches(v: &Value) -> &Vec<Value> {
    v["matches"].as_array().expect("matches")
}

async fn quick_search(s: &Server) {
    let officer = s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    let (status, body) = s.get("/api/v1/search?age=15&sex=M&near=CV2&limit=10", As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let list = matches(&body);
    assert!(!list.is_empty(), "something is free for a 15-year-old tonight: {body}");
    assert!(list.len() <= 10);
    let scores: Vec<f64> = list.iter().map(|m| m["score"].as_f64().expect("score")).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "ranked by score: {scores:?}");
    // Asked for every sentence, the same homes come with one per factor.
    let (status, full) =
        s.get("/api/v1/search?age=15&sex=M&near=CV2&limit=10&explain=all", As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{full}");
    let full = matches(&full);
    assert_eq!(full.len(), list.len());
    for (m, all) in list.iter().zip(full) {
        assert_eq!(m["home"], all["home"], "the same ranking whatever is explained");
        let contributions = m["contributions"].as_array().expect("contributions");
        assert_eq!(contributions, all["contributions"].as_array().expect("contributions"));
        let every = all["reasons"].as_array().expect("reasons");
        assert_eq!(contributions.len(), every.len(), "explain=all: a sentence per factor");
        let total: f64 = contributions.iter().map(|c| c["points"].as_f64().expect("points")).sum();
        assert!((total - m["score"].as_f64().expect("score")).abs() < 0.05, "contributions add up to the score: {m}");
        assert!(m["distance_miles"].as_f64().expect("miles") < 999.0, "distance known from CV2");
        // By default only what decides the home: the sentences of the two factors with the largest
        // effect either way, biggest first, leaving out what the answer carries as fields of its own.
        let mut by_points: Vec<usize> = (0..contributions.len())
            .filter(|i| !["distance", "tier", "price"].contains(&contributions[*i]["factor"].as_str().expect("factor")))
            .collect();
        by_points.sort_by(|a, b| {
            let p = |i: &usize| contributions[*i]["points"].as_f64().expect("points").abs();
            p(b).total_cmp(&p(a))
        });
        let deciding: Vec<&serde_json::Value> = by_points.iter().take(2).map(|i| &every[*i]).collect();
        let reasons: Vec<&serde_json::Value> = m["reasons"].as_array().expect("reasons").iter().collect();
        assert_eq!(reasons, deciding, "the deciding reasons of {m}");
    }
    let excluded = body["excluded_total"].as_u64().expect("excluded");
    assert!(excluded > 0, "most homes cannot take a 15-year-old tonight");
    assert!(body["excluded"].as_object().expect("by rule").values().any(|n| n.as_u64() > Some(0)));
    let (status, refused) = s.get("/api/v1/search?age=15&sex=M&near=CV2&explain=most", As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"]["fields"][0]["field"], "explain", "{refused}");
}

async fn bad_search(s: &Server) {
    let officer = s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    let (status, body) = s.get("/api/v1/search?age=19&sex=X&near=ZZ99", As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields: Vec<&str> =
        body["error"]["fields"].as_array().expect("fields").iter().filter_map(|f| f["field"].as_str()).collect();
    for f in ["age", "sex", "near"] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
}

async fn referral_matches(s: &Server) {
    let officer = s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    let own = s.facts.coventry_referral_sent_to_p;
    let (status, body) = s.get(&format!("/api/v1/referrals/{own}/matches?limit=5"), As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(matches(&body).len() <= 5);
    let considered = body["considered"].as_u64().expect("considered");
    let excluded = body["excluded_total"].as_u64().expect("excluded");
    assert_eq!(considered + excluded, s.store.homes().await.expect("homes").len() as u64, "every home accounted for");
    let foreign = s.facts.birmingham_referral_not_sent_to_p;
    let (status, _) = s.get(&format!("/api/v1/referrals/{foreign}/matches"), As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn filled_vacancy(s: &Server) {
    let officer = s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    let search = "/api/v1/search?age=15&sex=M&near=CV2&limit=200&urgency=planned";
    let (_, before) = s.get(search, As::Browser(&officer)).await;
    let first = matches(&before).iter().find(|m| m["vacancy"].is_i64()).expect("a match with a vacancy").clone();
    let vacancy = first["vacancy"].as_i64().expect("vacancy");
    let home = first["home"].as_i64().expect("home");
    // Its provider fills the place.
    let v = s.store.vacancy(hearth_domain::VacancyId(vacancy)).await.expect("vacancy");
    let owner = s.store.home(v.home).await.expect("home").provider;
    let role = if s.facts.logins.contains_key(&(Role::ProviderStaff, owner)) {
        Role::ProviderStaff
    } else {
        Role::TeamManager
    };
    let staff = s.sign_in(s.facts.email(role, owner)).await;
    let (status, body) = s
        .call(Method::PUT, &format!("/api/v1/vacancies/{vacancy}"), As::Browser(&staff), Some(json!({ "places": 0 })))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, after) = s.get(search, As::Browser(&officer)).await;
    assert!(
        !matches(&after).iter().any(|m| m["vacancy"].as_i64() == Some(vacancy)),
        "vacancy {vacancy} of home {home} was filled but is still offered"
    );
}
