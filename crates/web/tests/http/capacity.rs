//! A home's places and a provider's answers hold at the level people think: free places across a
//! home's vacancies never exceed its places less the children living there (checked inside every
//! vacancy write and accept, under races), a vacancy at 0 places can still be changed, and a provider
//! declines a referral once.

use crate::TestFn;
use crate::fixture::{As, Server, Session};
use crate::marketplace::{offer, offerable, post, provider_session, send, sent_to_all};
use futures::future::join_all;
use hearth_domain::{ChildId, HomeId};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const TESTS: &[(&str, TestFn)] = &[
    ("capacity_a_homes_vacancies_never_offer_more_places_than_it_has_left", |s| Box::pin(vacancies_add_up(s))),
    ("capacity_many_vacancies_and_accepts_at_once_never_overfill_a_home", |s| Box::pin(overfill_race(s))),
    ("capacity_a_provider_declines_a_referral_once_and_an_offer_supersedes_it", |s| Box::pin(one_decline(s))),
];

/// Children placed in `home` now (placements not ended), counted from the store.
async fn placed_in(s: &Server, home: HomeId) -> u32 {
    let provider = s.store.home(home).await.expect("home").provider;
    let all = s.store.placements_with(provider, 0).await.expect("placements");
    all.iter().filter(|p| p.home == Some(home) && p.end.is_none()).count() as u32
}

/// Closes every vacancy of `home` (lowering is always allowed) and says how many places are left.
async fn close_vacancies(s: &Server, who: &Session, home: HomeId) -> u32 {
    for v in s.store.vacancies().await.expect("vacancies").iter().filter(|v| v.home == home) {
        let (status, body) = vacancy(s, who, Method::PUT, v.id.0, json!({ "places": 0 })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let places = u32::from(s.store.home(home).await.expect("home").places);
    places.saturating_sub(placed_in(s, home).await)
}

async fn vacancy(s: &Server, who: &Session, method: Method, id: i64, body: Value) -> (StatusCode, Value) {
    s.call(method, &format!("/api/v1/vacancies/{id}"), As::Browser(who), Some(body)).await
}

async fn open(s: &Server, who: &Session, home: HomeId, places: u32) -> (StatusCode, Value) {
    let path = format!("/api/v1/homes/{home}/vacancies");
    s.call(Method::POST, &path, As::Browser(who), Some(json!({ "places": places }))).await
}

/// A 422 naming `places`, whose sentence says `says`.
fn refused((status, body): (StatusCode, Value), says: &str) {
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let fields = body["error"]["fields"].as_array().expect("fields");
    let field = fields.iter().find(|f| f["field"] == "places").unwrap_or_else(|| panic!("places named: {body}"));
    let sentence = field["message"].as_str().or(body["error"]["message"].as_str()).unwrap_or_default();
    assert!(sentence.contains(says), "the sentence should say {says:?}: {body}");
}

async fn vacancies_add_up(s: &Server) {
    let f = &s.facts;
    let staff = s.sign_in(f.email(hearth_domain::org::Role::ProviderStaff, f.provider_p)).await;
    // One of P's homes with at least two places no child fills.
    let mut chosen = None;
    for h in s.store.homes().await.expect("homes").into_iter().filter(|h| h.provider == f.provider_p && h.active) {
        if u32::from(h.places).saturating_sub(placed_in(s, h.id).await) >= 2 {
            chosen = Some(h);
            break;
        }
    }
    let home = chosen.expect("a home of P's with two places free");
    let left = close_vacancies(s, &staff, home.id).await;
    let (status, a) = open(s, &staff, home.id, 1).await;
    assert_eq!(status, StatusCode::CREATED, "{a}");
    let (status, b) = open(s, &staff, home.id, left - 1).await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    let (a, b) = (a["id"].as_i64().expect("id"), b["id"].as_i64().expect("id"));

    // Full: no further vacancy, and neither can be raised, by POST, PATCH or PUT.
    let audits = s.audit_count("vacancy.").await;
    refused(open(s, &staff, home.id, 1).await, "no place is left to offer");
    refused(vacancy(s, &staff, Method::PATCH, a, json!({ "places": 2 })).await, "so 1 is left; give 0 to 1");
    refused(vacancy(s, &staff, Method::PUT, a, json!({ "places": 2 })).await, "so 1 is left; give 0 to 1");
    assert_eq!(s.audit_count("vacancy.").await, audits, "nothing refused was written");

    // A vacancy at 0 places can still be changed, and PATCH closes one as PUT does.
    let (status, body) = vacancy(s, &staff, Method::PUT, b, json!({ "places": 0 })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = vacancy(s, &staff, Method::PATCH, b, json!({ "weekly_price": 1234 })).await;
    assert_eq!((status, body["weekly_price"].as_i64()), (StatusCode::OK, Some(1234)), "{body}");
    let (status, body) = vacancy(s, &staff, Method::PATCH, b, json!({ "places": 0 })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // What closing freed can be offered again.
    let (status, body) = vacancy(s, &staff, Method::PATCH, a, json!({ "places": 2 })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let advertised: u32 = s
        .store
        .vacancies()
        .await
        .expect("vacancies")
        .iter()
        .filter(|v| v.home == home.id)
        .map(|v| u32::from(v.places))
        .sum();
    assert!(advertised + placed_in(s, home.id).await <= u32::from(home.places));
}

/// A same-day referral of Coventry's `child`, sent to every fitting provider.
async fn referral_of(s: &Server, officer: &Session, child: ChildId) -> i64 {
    let id = crate::marketplace::same_day_referral_of(s, officer, child).await;
    send(s, officer, id, json!({ "mode": "all_fitting" })).await;
    id
}

async fn overfill_race(s: &Server) {
    let (officer, _, m) = sent_to_all(s).await;
    let (_, home, _) = offerable(&m, 1).pop().expect("an offerable home");
    let home = HomeId(home);
    let provider_org = s.store.home(home).await.expect("home").provider;
    let provider = s.sign_in(&crate::marketplace::responder_email(s, provider_org.0)).await;
    let placed_before = placed_in(s, home).await;
    let places = u32::from(s.store.home(home).await.expect("home").places);
    let left = close_vacancies(s, &provider, home).await;
    assert!(left >= 1, "an offerable home has a place left");

    // More one-place vacancies opened at once than the home has places left: exactly `left` open.
    let opened = join_all((0..left + 3).map(|_| open(s, &provider, home, 1))).await;
    let mut vacancies = Vec::new();
    for answer in opened {
        if answer.0 == StatusCode::CREATED {
            vacancies.push(answer.1["id"].as_i64().expect("id"));
        } else {
            refused(answer, "no place is left to offer");
        }
    }
    assert_eq!(vacancies.len() as u32, left, "free places never exceed the places left");

    // Referrals of Coventry children like the first (same sex and age), each offered the home on one
    // of its vacancies, all accepted at once.
    let today = jiff::civil::date(2026, 11, 25);
    let first = s.store.child_unaudited(s.facts.coventry_child).await.expect("child");
    let alike: Vec<ChildId> = s
        .store
        .children_of(331)
        .await
        .expect("children")
        .into_iter()
        .filter(|c| c.sex == first.sex && c.age_on(today) == first.age_on(today))
        .map(|c| c.id)
        .take(left as usize + 6)
        .collect();
    let mut offers = Vec::new();
    for child in alike {
        let id = referral_of(s, &officer, child).await;
        let v = vacancies[offers.len() % vacancies.len()];
        let path = format!("/api/v1/referrals/{id}/offers");
        let body = json!({ "home": home.0, "vacancy": v });
        let (status, made) = s.call(Method::POST, &path, As::Browser(&provider), Some(body)).await;
        // A child the home does not fit (needs, distance) is simply not offered it.
        if status == StatusCode::CREATED {
            offers.push(made["id"].as_i64().expect("id"));
        }
    }
    assert!(offers.len() as u32 > left, "more offers ({}) than places left ({left})", offers.len());
    let accepts = offers.iter().map(|o| post(s, format!("/api/v1/offers/{o}/accept"), &officer, None));
    let results = join_all(accepts).await;
    let won = results.iter().filter(|(st, _)| *st == StatusCode::CREATED).count() as u32;
    for (st, body) in &results {
        if *st != StatusCode::CREATED {
            assert_eq!(*st, StatusCode::CONFLICT, "{body}");
            assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("no free place")), "{body}");
        }
    }
    assert_eq!(won, left, "one child per place left: {results:?}");
    let placed = placed_in(s, home).await;
    assert_eq!(placed, placed_before + left);
    assert!(placed <= places, "never more children placed ({placed}) than places ({places})");
}

async fn answers(s: &Server, officer: &Session, id: i64) -> Value {
    let (status, body) = s.get(&format!("/api/v1/referrals/{id}/offers"), As::Browser(officer)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn one_decline(s: &Server) {
    let (officer, id, m) = sent_to_all(s).await;
    let homes = offerable(&m, 2);
    assert_eq!(homes.len(), 2, "two providers with a fitting home");
    let a = provider_session(s, &officer, id, &homes[0].0).await;
    let b = provider_session(s, &officer, id, &homes[1].0).await;
    let decline = |who| post(s, format!("/api/v1/referrals/{id}/decline"), who, Some(json!({ "reason": "price" })));
    let (status, body) = decline(&b).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let emails = s.store.outbox(Some(hearth_domain::ReferralId(id))).await.expect("outbox").len();
    let audits = s.audit_count("referral.decline").await;
    let (status, body) = decline(&b).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let sentence = body["error"]["message"].as_str().unwrap_or_default();
    assert!(sentence.contains("already declined") && sentence.contains("may still make an offer"), "{body}");
    assert_eq!(s.store.outbox(Some(hearth_domain::ReferralId(id))).await.expect("outbox").len(), emails, "no e-mail");
    assert_eq!(s.audit_count("referral.decline").await, audits, "counted once");
    assert_eq!(answers(s, &officer, id).await["declines"].as_array().expect("declines").len(), 1);

    // A provider holding a live offer withdraws it rather than declining as well.
    let (status, made) = offer(s, &a, id, json!({ "home": homes[0].1 })).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let (status, body) = decline(&a).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("withdraw the offer")), "{body}");

    // The provider that declined may still offer; its decline is superseded, no longer listed.
    let (status, made) = offer(s, &b, id, json!({ "home": homes[1].1 })).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let listed = answers(s, &officer, id).await;
    assert_eq!(listed["declines"].as_array().expect("declines").len(), 0, "{listed}");
    assert_eq!(listed["offers"].as_array().expect("offers").len(), 2, "{listed}");
}
