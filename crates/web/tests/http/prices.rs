//! Prices from the contract that covers the home, and every cached fact the engine uses fresh on the
//! service's clock: through the real server, the clock moved by hand.

use crate::TestFn;
use crate::fixture::{As, Server, Session};
use crate::marketplace::{officer, responder_email, same_day_referral, send};
use hearth_domain::VacancyId;
use hearth_domain::audit::Actor;
use hearth_domain::org::Role;
use hearth_service::Clock;
use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const TESTS: &[(&str, TestFn)] = &[
    ("prices_a_contract_prices_only_the_homes_it_covers_and_a_named_home_beats_its_kind", |s| {
        Box::pin(covered_homes(s))
    }),
    ("prices_a_contract_starting_tomorrow_applies_once_the_clock_passes_its_start", |s| Box::pin(tomorrow(s))),
    ("fresh_weights_written_by_another_process_are_seen_after_their_expiry", |s| Box::pin(weights(s))),
    ("fresh_vacancies_written_by_another_process_are_seen_after_the_index_expires", |s| Box::pin(vacancies(s))),
];

async fn matches(s: &Server, officer: &Session, id: i64) -> Vec<Value> {
    let (status, m) = s.get(&format!("/api/v1/referrals/{id}/matches?limit=200"), As::Browser(officer)).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    m["matches"].as_array().expect("matches").clone()
}

fn match_of(matches: &[Value], home: i64) -> &Value {
    matches.iter().find(|m| m["home"] == home).unwrap_or_else(|| panic!("home {home} no longer matches"))
}

/// Records a Coventry contract as its commissioner; answers the contract.
async fn record(s: &Server, body: Value) -> Value {
    let commissioner = s.sign_in(s.facts.email(Role::Commissioner, s.facts.coventry)).await;
    let (status, made) =
        s.call(Method::POST, "/api/v1/councils/331/contracts", As::Browser(&commissioner), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    made
}

/// A same-day referral and an agency foster home that fits it, bought on no council's terms: its
/// match, and its provider's id.
async fn foster_home(s: &Server, officer: &Session) -> (i64, Value, i64) {
    let id = same_day_referral(s, officer).await;
    let m = matches(s, officer, id).await;
    let home = m
        .iter()
        .find(|m| m["kind"] == "foster_agency" && m["tier"] != "in_house")
        .cloned()
        .expect("an agency foster home fits");
    let (_, h) = s.get(&format!("/api/v1/homes/{}", home["home"]), As::Browser(officer)).await;
    (id, home, h["provider"].as_i64().expect("its provider"))
}

async fn covered_homes(s: &Server) {
    let officer = officer(s).await;
    let (id, before, provider) = foster_home(s, &officer).await;
    let home = before["home"].as_i64().expect("id");
    let own = before["weekly_price"].clone();
    assert!(before["price_basis"].is_string(), "{before}");

    // A block contract for the provider's children's homes leaves its foster home's price alone.
    record(
        s,
        json!({ "provider": provider, "tier": "block", "weekly_price": 4650, "block_beds": 1,
            "starts": "2026-11-01", "kinds": ["childrens_home"] }),
    )
    .await;
    let after = matches(s, &officer, id).await;
    let m = match_of(&after, home);
    assert_eq!((&m["weekly_price"], &m["price_basis"]), (&own, &before["price_basis"]), "{m}");
    assert_ne!(m["weekly_price"], 4650);

    // The provider's offer form starts from the same price.
    send(s, &officer, id, json!({ "mode": "chosen", "providers": [provider] })).await;
    let staff = s.sign_in(&responder_email(s, provider)).await;
    let form = format!("/api/v1/referrals/{id}/offer-form?home={home}");
    let (status, prefilled) = s.get(&form, As::Browser(&staff)).await;
    assert_eq!(status, StatusCode::OK, "{prefilled}");
    assert_eq!(prefilled["weekly_price"], own);

    // A contract naming the home beats one covering its kind, in the ranking and in the offer form.
    record(
        s,
        json!({ "provider": provider, "tier": "block", "weekly_price": 990, "block_beds": 1,
            "starts": "2026-11-01", "kinds": ["fostering"] }),
    )
    .await;
    let m = match_of(&matches(s, &officer, id).await, home).clone();
    assert_eq!((m["weekly_price"].as_u64(), m["tier"].as_str()), (Some(990), Some("block")), "{m}");
    assert_eq!(m["price_basis"], "the contract price (block, Coventry)");
    let named = record(
        s,
        json!({ "provider": provider, "tier": "spot", "weekly_price": 870, "starts": "2026-11-01",
            "homes": [home] }),
    )
    .await;
    assert_eq!((named["homes"].clone(), named["kinds"].clone()), (json!([home]), json!([])));
    let m = match_of(&matches(s, &officer, id).await, home).clone();
    assert_eq!((m["weekly_price"].as_u64(), m["tier"].as_str()), (Some(870), Some("spot")), "{m}");
    assert_eq!(m["price_basis"], "the contract price for this home (spot, Coventry)");
    let (_, prefilled) = s.get(&form, As::Browser(&staff)).await;
    assert_eq!(prefilled["weekly_price"], 870);

    // A home of another provider cannot be named.
    let commissioner = s.sign_in(s.facts.email(Role::Commissioner, s.facts.coventry)).await;
    let other = json!({ "provider": s.facts.provider_q.0, "tier": "spot", "weekly_price": 870,
        "starts": "2026-11-01", "homes": [home] });
    let (status, answer) =
        s.call(Method::POST, "/api/v1/councils/331/contracts", As::Browser(&commissioner), Some(other)).await;
    if s.facts.provider_q.0 != provider {
        assert_eq!(
            (status, crate::referrals::fields(&answer)),
            (StatusCode::UNPROCESSABLE_ENTITY, vec!["homes".into()])
        );
    }
}

async fn tomorrow(s: &Server) {
    let officer = officer(s).await;
    let (id, before, provider) = foster_home(s, &officer).await;
    let home = before["home"].as_i64().expect("id");
    // The test clock reads 2026-11-25.
    record(
        s,
        json!({ "provider": provider, "tier": "spot", "weekly_price": 777, "starts": "2026-11-26", "homes": [home] }),
    )
    .await;
    let today = match_of(&matches(s, &officer, id).await, home).clone();
    assert_eq!(today["weekly_price"], before["weekly_price"], "not in force today: {today}");
    s.clock.advance(SignedDuration::from_hours(24));
    let officer = self::officer(s).await;
    let next_day = match_of(&matches(s, &officer, id).await, home).clone();
    assert_eq!(next_day["weekly_price"], 777, "in force from its first day, with no restart: {next_day}");
}

async fn weights(s: &Server) {
    let commissioner = s.sign_in(s.facts.email(Role::Commissioner, s.facts.coventry)).await;
    let path = "/api/v1/councils/331/weights";
    let (_, read) = s.get(path, As::Browser(&commissioner)).await;
    assert_eq!(read["distance"], 25.0);
    // Another process, on the same database, tunes them.
    s.store
        .set_council_weights(&Actor::system("another process"), 331, r#"{"distance": 3}"#, s.clock.now())
        .await
        .expect("weights written");
    let (_, cached) = s.get(path, As::Browser(&commissioner)).await;
    assert_eq!(cached["distance"], 25.0, "kept for their time to live");
    s.clock.advance(hearth_service::matching::WEIGHTS_TTL);
    let (_, fresh) = s.get(path, As::Browser(&commissioner)).await;
    assert_eq!(fresh["distance"], 3.0, "read again once expired");
}

async fn vacancies(s: &Server) {
    let officer = officer(s).await;
    let search = "/api/v1/search?age=10&sex=M&near=CV1&limit=200&urgency=planned";
    let (status, before) = s.get(search, As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    let listed = |v: &Value, vacancy: i64| {
        v["matches"].as_array().expect("matches").iter().any(|m| m["vacancy"].as_i64() == Some(vacancy))
    };
    let vacancy = before["matches"]
        .as_array()
        .expect("matches")
        .iter()
        .find_map(|m| m["vacancy"].as_i64())
        .expect("a home with a vacancy matches");
    // Another process fills the vacancy.
    s.store
        .set_vacancy_places(&Actor::system("another process"), VacancyId(vacancy), 0, s.clock.now())
        .await
        .expect("filled");
    let (_, cached) = s.get(search, As::Browser(&officer)).await;
    assert!(listed(&cached, vacancy), "the index serves for its time to live");
    s.clock.advance(hearth_service::matching::SUPPLY_TTL);
    let (_, fresh) = s.get(search, As::Browser(&officer)).await;
    assert!(!listed(&fresh, vacancy), "rebuilt from the database once expired: {fresh}");
}
