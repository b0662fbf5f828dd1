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
    ("prices_a_contract_change_takes_effect_on_its_date_and_an_ended_contract_leaves_the_cascade", |s| {
        Box::pin(versions(s))
    }),
    ("framework_members_rank_as_the_framework_tier_where_no_council_contract_covers_them", |s| Box::pin(framework(s))),
    ("fresh_weights_written_by_another_process_are_seen_after_their_expiry", |s| Box::pin(weights(s))),
    ("fresh_vacancies_written_by_another_process_are_seen_after_the_index_expires", |s| Box::pin(vacancies(s))),
    ("fresh_the_index_is_renewed_ahead_of_its_expiry_by_a_rebuild_no_request_waits_for", |s| {
        Box::pin(refresh_ahead(s))
    }),
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

/// A block contract naming a home: its price changed from tomorrow (today's matches keep the old
/// one, tomorrow's the new, the old terms kept in its history), then ended today (it leaves the
/// cascade tomorrow), all on the service's clock.
async fn versions(s: &Server) {
    let f = &s.facts;
    let officer = officer(s).await;
    let (id, before, provider) = foster_home(s, &officer).await;
    let home = before["home"].as_i64().expect("id");
    let made = record(
        s,
        json!({ "provider": provider, "tier": "block", "weekly_price": 800, "block_beds": 1,
            "starts": "2026-11-01", "homes": [home] }),
    )
    .await;
    let contract = format!("/api/v1/contracts/{}", made["id"]);
    let m = match_of(&matches(s, &officer, id).await, home).clone();
    assert_eq!((m["weekly_price"].as_u64(), m["tier"].as_str()), (Some(800), Some("block")), "{m}");

    // The test clock reads 2026-11-25: a change from tomorrow.
    let commissioner = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    let change = json!({ "takes_effect": "2026-11-26", "weekly_price": 850, "block_beds": 2 });
    let (status, changed) =
        s.call(Method::POST, &format!("{contract}/terms"), As::Browser(&commissioner), Some(change)).await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!((changed["weekly_price"].as_u64(), changed["block_beds"].as_u64()), (Some(800), Some(1)), "{changed}");
    let terms = changed["terms"].as_array().expect("terms");
    assert_eq!(terms.len(), 2, "the old terms are kept: {changed}");
    assert_eq!((terms[0]["current"].as_bool(), terms[1]["from"].as_str()), (Some(true), Some("2026-11-26")));
    assert_eq!(s.audit_count("contract.change").await, 1);
    let today = match_of(&matches(s, &officer, id).await, home).clone();
    assert_eq!(today["weekly_price"], 800, "not yet in force: {today}");

    // Bad changes are refused by field, and write nothing.
    let past = json!({ "takes_effect": "2026-11-24", "weekly_price": 0, "block_beds": 0 });
    let (status, answer) =
        s.call(Method::POST, &format!("{contract}/terms"), As::Browser(&commissioner), Some(past)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let got = crate::referrals::fields(&answer);
    for want in ["takes_effect", "weekly_price", "block_beds"] {
        assert!(got.iter().any(|g| g == want), "{want} missing from {got:?}");
    }
    assert_eq!(s.audit_count("contract.change").await, 1, "nothing refused was written");
    // Another council's commissioner is told it does not exist; an officer may not change it.
    let other = s.sign_in(f.email(Role::Commissioner, f.birmingham)).await;
    assert_eq!(s.get(&contract, As::Browser(&other)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(s.get(&contract, As::Browser(&officer)).await.0, StatusCode::FORBIDDEN);

    s.clock.advance(SignedDuration::from_hours(24));
    let officer = self::officer(s).await;
    let next_day = match_of(&matches(s, &officer, id).await, home).clone();
    assert_eq!((next_day["weekly_price"].as_u64(), next_day["tier"].as_str()), (Some(850), Some("block")));
    let commissioner = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    let (_, read) = s.get(&contract, As::Browser(&commissioner)).await;
    assert_eq!((read["weekly_price"].as_u64(), read["block_beds"].as_u64()), (Some(850), Some(2)), "{read}");

    // Ended today (2026-11-26): in force to the end of the day, gone from the cascade the next.
    let end = json!({ "ends": "2026-11-26" });
    let (status, ended) = s.call(Method::POST, &format!("{contract}/end"), As::Browser(&commissioner), Some(end)).await;
    assert_eq!((status, ended["ends"].as_str()), (StatusCode::OK, Some("2026-11-26")), "{ended}");
    assert_eq!(s.audit_count("contract.end").await, 1);
    let m = match_of(&matches(s, &officer, id).await, home).clone();
    assert_eq!(m["tier"], "block", "its last day: {m}");
    s.clock.advance(SignedDuration::from_hours(24));
    let officer = self::officer(s).await;
    let after = match_of(&matches(s, &officer, id).await, home).clone();
    assert_eq!((&after["tier"], &after["weekly_price"]), (&before["tier"], &before["weekly_price"]), "{after}");
    let commissioner = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    let (_, read) = s.get(&contract, As::Browser(&commissioner)).await;
    assert_eq!(read["in_force"], false, "{read}");
    // An ended contract is changed no more.
    let late = json!({ "ends": "2027-01-31" });
    let (status, answer) =
        s.call(Method::POST, &format!("{contract}/end"), As::Browser(&commissioner), Some(late)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    let said = answer["error"]["fields"][0]["message"].as_str().unwrap_or_default();
    assert!(said.contains("ended on 2026-11-26"), "{answer}");
}

/// The hub puts a provider whose home Coventry buys on no contract onto the regional framework for
/// that home's kind: the home ranks as the framework tier at its own price, and leaves it again when
/// the provider leaves the framework.
async fn framework(s: &Server) {
    let f = &s.facts;
    let officer = officer(s).await;
    let id = same_day_referral(s, &officer).await;
    // An agency's foster home: an independent provider's (another council's own homes are spot too).
    let spot = matches(s, &officer, id)
        .await
        .into_iter()
        .find(|m| m["tier"] == "spot" && m["kind"] == "foster_agency")
        .expect("an agency foster home bought on no contract fits");
    let home = spot["home"].as_i64().expect("home");
    let (_, h) = s.get(&format!("/api/v1/homes/{home}"), As::Browser(&officer)).await;
    let provider = h["provider"].as_i64().expect("its provider");
    let path = format!("/api/v1/framework/{provider}");
    let hub = s.sign_in(f.email(Role::RegionalCommissioner, f.hub)).await;

    // Refused: a council's commissioner; a lot that is no kind of home; a council as the provider.
    let commissioner = s.sign_in(f.email(Role::Commissioner, f.coventry)).await;
    let lots = json!({ "lots": [spot["kind"]] });
    assert_eq!(
        s.call(Method::PUT, &path, As::Browser(&commissioner), Some(lots.clone())).await.0,
        StatusCode::FORBIDDEN
    );
    let (status, answer) = s.call(Method::PUT, &path, As::Browser(&hub), Some(json!({ "lots": ["castles"] }))).await;
    assert_eq!(
        (status, crate::referrals::fields(&answer)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["lots".to_owned()]),
        "{answer}"
    );
    let council = format!("/api/v1/framework/{}", f.coventry.0);
    let (status, answer) = s.call(Method::PUT, &council, As::Browser(&hub), Some(lots.clone())).await;
    assert_eq!(
        (status, crate::referrals::fields(&answer)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["provider".to_owned()]),
        "{answer}"
    );
    assert_eq!(s.audit_count("framework.set").await, 0, "nothing refused was written");

    let (status, set) = s.call(Method::PUT, &path, As::Browser(&hub), Some(lots)).await;
    assert_eq!((status, &set["lots"]), (StatusCode::OK, &json!([spot["kind"]])), "{set}");
    assert_eq!(s.audit_count("framework.set").await, 1);
    let (_, members) = s.get("/api/v1/framework", As::Browser(&hub)).await;
    assert!(members.as_array().expect("members").iter().any(|m| m["provider"] == provider), "{members}");
    let m = match_of(&matches(s, &officer, id).await, home).clone();
    assert_eq!((&m["tier"], &m["weekly_price"]), (&json!("framework"), &spot["weekly_price"]), "{m}");

    // Off the framework again: a spot purchase.
    let (status, _) = s.call(Method::PUT, &path, As::Browser(&hub), Some(json!({ "lots": [] }))).await;
    assert_eq!(status, StatusCode::OK);
    let m = match_of(&matches(s, &officer, id).await, home).clone();
    assert_eq!(m["tier"], "spot", "{m}");
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

/// The quick search both freshness tests ask, and whether an answer lists `vacancy`.
const FRESH_SEARCH: &str = "/api/v1/search?age=10&sex=M&near=CV1&limit=200&urgency=planned";

fn listed(v: &Value, vacancy: i64) -> bool {
    v["matches"].as_array().expect("matches").iter().any(|m| m["vacancy"].as_i64() == Some(vacancy))
}

/// An officer's search builds the index; then another process fills the first vacancy it listed.
async fn filled_by_another_process(s: &Server) -> (Session, i64) {
    let officer = officer(s).await;
    let (status, before) = s.get(FRESH_SEARCH, As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    let vacancy = before["matches"]
        .as_array()
        .expect("matches")
        .iter()
        .find_map(|m| m["vacancy"].as_i64())
        .expect("a home with a vacancy matches");
    s.store
        .set_vacancy_places(&Actor::system("another process"), VacancyId(vacancy), 0, s.clock.now())
        .await
        .expect("filled");
    (officer, vacancy)
}

async fn vacancies(s: &Server) {
    let (officer, vacancy) = filled_by_another_process(s).await;
    let (_, cached) = s.get(FRESH_SEARCH, As::Browser(&officer)).await;
    assert!(listed(&cached, vacancy), "the index serves for its time to live");
    s.clock.advance(hearth_service::matching::SUPPLY_TTL);
    let (_, fresh) = s.get(FRESH_SEARCH, As::Browser(&officer)).await;
    assert!(!listed(&fresh, vacancy), "rebuilt from the database once expired: {fresh}");
}

/// Past `REFRESH_AHEAD` (but inside `SUPPLY_TTL`) the index still serves, and the request that finds
/// it so starts a rebuild in the background: once that is done, another process's change is seen
/// before the index would have expired, without any request having waited for the region's read.
async fn refresh_ahead(s: &Server) {
    let (officer, vacancy) = filled_by_another_process(s).await;
    s.services.supply_settled().await;
    let (_, young) = s.get(FRESH_SEARCH, As::Browser(&officer)).await;
    assert!(listed(&young, vacancy), "a young index serves as it is and starts nothing");
    s.services.supply_settled().await;
    let (_, still) = s.get(FRESH_SEARCH, As::Browser(&officer)).await;
    assert!(listed(&still, vacancy), "no rebuild was started while the index was young");
    // Old enough to be renewed, not yet expired: this request serves at once and starts the rebuild.
    s.clock.advance(hearth_service::matching::REFRESH_AHEAD);
    let (status, _) = s.get(FRESH_SEARCH, As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK);
    s.services.supply_settled().await;
    let (_, renewed) = s.get(FRESH_SEARCH, As::Browser(&officer)).await;
    assert!(!listed(&renewed, vacancy), "renewed before SUPPLY_TTL ran out: {renewed}");
}
