//! The marketplace through the real server: sending (chosen, all fitting, cascade), offers and
//! declines, accepting exactly once under races, the placement agreement, placements' endings and
//! moves, and the notifications — e-mail delivered to a local SMTP sink the test starts, deadlines
//! driven by the test clock and the escalation job run by hand.

use crate::TestFn;
use crate::fixture::{As, Server, Session};
use futures::future::join_all;
use hearth_domain::OrganisationId;
use hearth_domain::org::Role;
use hearth_mail::SmtpMailer;
use hearth_test_smtp::SmtpSink;
use jiff::SignedDuration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;

pub const TESTS: &[(&str, TestFn)] = &[
    ("market_a_same_day_referral_goes_through_the_cascade_until_placed", |s| Box::pin(cascade_to_placed(s))),
    ("market_a_same_day_referral_goes_through_the_cascade_until_unmet", |s| Box::pin(cascade_to_unmet(s))),
    ("market_racing_offers_and_accepts_leave_one_placement_and_no_negative_places", |s| Box::pin(races(s))),
    ("market_two_referrals_racing_for_a_homes_last_place_one_wins", |s| Box::pin(last_place(s))),
    ("market_bad_answers_get_409_or_422_with_a_sentence", |s| Box::pin(bad_answers(s))),
    ("market_an_idempotency_key_replays_the_first_answer", |s| Box::pin(idempotency(s))),
    ("market_the_agreement_is_signed_by_both_over_its_text_then_versioned", |s| Box::pin(agreement(s))),
    ("market_placements_end_and_move_with_ssda903_codes", |s| Box::pin(placements(s))),
    ("market_the_outbox_survives_a_restart_and_retries_a_dead_relay", |s| Box::pin(outbox_restart(s))),
    ("market_withdrawing_a_referral_lapses_its_offers_and_stops_its_deadline", |s| Box::pin(withdrawn(s))),
];

/// A same-day referral for Coventry's child, needed today, with no price ceiling and no type of home
/// ruled out, so that every tier of the cascade has somebody to ask.
pub(crate) async fn same_day_referral(s: &Server, officer: &Session) -> i64 {
    same_day_referral_of(s, officer, s.facts.coventry_child).await
}

/// The same for another of Coventry's children.
pub(crate) async fn same_day_referral_of(s: &Server, officer: &Session, child: hearth_domain::ChildId) -> i64 {
    let mut body = crate::referrals::form(child.0, "2026-11-25");
    body["urgency"] = json!("same_day");
    body["needs"] = json!(["self_harm"]);
    let details = body["details"].as_object_mut().expect("details");
    details.remove("max_weekly_price");
    details.insert("supported_suitability".into(), json!("suitable_not_preferred"));
    details.insert("cared_for_alongside".into(), json!("no_preference"));
    let (status, created) = s.call(Method::POST, "/api/v1/referrals", As::Browser(officer), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().expect("id")
}

/// A POST as a signed-in browser; owns its path, so racing requests can be built in a closure.
pub(crate) async fn post(s: &Server, path: String, who: &Session, body: Option<Value>) -> (StatusCode, Value) {
    s.call(Method::POST, &path, As::Browser(who), body).await
}

pub(crate) async fn officer(s: &Server) -> Session {
    s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await
}

/// Whoever answers referrals for an organisation: provider staff, or a council's team manager.
pub(crate) fn responder_email(s: &Server, org: i64) -> String {
    let org = OrganisationId(org);
    [Role::ProviderStaff, Role::TeamManager]
        .iter()
        .find_map(|r| s.facts.logins.get(&(*r, org)).map(|(_, e)| e.clone()))
        .unwrap_or_else(|| panic!("nobody answers for organisation {org}"))
}

/// Every address told when a referral reaches an organisation.
fn responders(s: &Server, org: i64) -> BTreeSet<String> {
    let org = OrganisationId(org);
    [Role::ProviderStaff, Role::ProviderManager, Role::TeamManager]
        .iter()
        .filter_map(|r| s.facts.logins.get(&(*r, org)).map(|(_, e)| e.clone()))
        .collect()
}

pub(crate) async fn send(s: &Server, officer: &Session, id: i64, body: Value) -> Value {
    let (status, sent) =
        s.call(Method::POST, &format!("/api/v1/referrals/{id}/send"), As::Browser(officer), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{sent}");
    sent
}

async fn matches(s: &Server, officer: &Session, id: i64) -> Vec<Value> {
    let (status, m) = s.get(&format!("/api/v1/referrals/{id}/matches?limit=200"), As::Browser(officer)).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    m["matches"].as_array().expect("matches").clone()
}

/// A fitting home of the provider named `name`.
fn home_of(matches: &[Value], name: &str) -> i64 {
    matches.iter().find(|m| m["provider"] == name).and_then(|m| m["home"].as_i64()).expect("a home of the provider")
}

pub(crate) async fn offer(s: &Server, who: &Session, id: i64, body: Value) -> (StatusCode, Value) {
    s.call(Method::POST, &format!("/api/v1/referrals/{id}/offers"), As::Browser(who), Some(body)).await
}

async fn status_of(s: &Server, officer: &Session, id: i64) -> String {
    let (_, r) = s.get(&format!("/api/v1/referrals/{id}"), As::Browser(officer)).await;
    r["status"].as_str().or(r["summary"]["status"].as_str()).expect("status").to_owned()
}

/// Delivers the outbox to a fresh sink; returns (recipient, subject) of every message.
async fn deliver(s: &Server) -> Vec<(String, String)> {
    let sink = SmtpSink::start().await;
    let mailer = SmtpMailer::from_url(&sink.url(), "Hearth <hearth@test.invalid>").expect("mailer");
    let report = s.services.deliver_outbox(&mailer).await.expect("delivery");
    assert_eq!((report.retrying, report.failed), (0, 0), "{report:?}");
    let got = sink.received(report.sent);
    got.into_iter().flat_map(|m| m.recipients.into_iter().map(move |r| (r, m.subject.clone()))).collect()
}

fn told(mail: &[(String, String)], who: &BTreeSet<String>, subject_starts: &str) {
    for addr in who {
        assert!(
            mail.iter().any(|(to, subject)| to == addr && subject.starts_with(subject_starts)),
            "{addr} was not sent '{subject_starts}…'; sent: {mail:#?}"
        );
    }
}

async fn cascade_to_placed(s: &Server) {
    let officer = officer(s).await;
    let id = same_day_referral(s, &officer).await;
    let first = send(s, &officer, id, json!({ "mode": "cascade" })).await;
    assert_eq!(first["mode"], "cascade");
    let first_step = first["step"].as_str().expect("a step").to_owned();
    let first_orgs: Vec<i64> = first["recipients"]
        .as_array()
        .expect("recipients")
        .iter()
        .map(|r| r["provider"].as_i64().expect("id"))
        .collect();
    assert!(!first_orgs.is_empty());
    assert_eq!(status_of(s, &officer, id).await, "open", "a draft is submitted when sent");

    // Nobody answers within the hour: the job opens the next step and tells the team managers.
    let before = s.services.run_escalations().await.expect("run");
    assert_eq!(before.next_steps, 0, "the deadline has not passed");
    s.clock.advance(SignedDuration::from_mins(61));
    let report = s.services.run_escalations().await.expect("run");
    assert_eq!((report.next_steps, report.unmet), (1, 0), "{report:?}");
    assert_eq!(s.services.run_escalations().await.expect("again").next_steps, 0, "idempotent");
    let (_, sendings) = s.get(&format!("/api/v1/referrals/{id}/sendings"), As::Browser(&officer)).await;
    let sendings = sendings.as_array().expect("sendings");
    assert_eq!(sendings.len(), 2);
    assert!(sendings[0]["closed_at"].is_string() && sendings[1]["closed_at"].is_null());
    assert!(sendings[1]["automatic"].as_bool().expect("automatic"));
    assert_ne!(sendings[1]["step"].as_str(), Some(first_step.as_str()));
    let second = &sendings[1]["recipients"].as_array().expect("recipients")[0];

    // A provider of the second step offers its fitting home, pre-filled from its profile.
    let m = matches(s, &officer, id).await;
    let home = home_of(&m, second["name"].as_str().expect("name"));
    let provider = s.sign_in(&responder_email(s, second["provider"].as_i64().expect("id"))).await;
    let (status, minimised) = s.get(&format!("/api/v1/referrals/{id}"), As::Browser(&provider)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(minimised.to_string().find("reference").is_none(), "minimised until accepted: {minimised}");
    let (status, form) = s.get(&format!("/api/v1/referrals/{id}/offer-form?home={home}"), As::Browser(&provider)).await;
    assert_eq!(status, StatusCode::OK, "{form}");
    let (status, made) = offer(s, &provider, id, json!({ "home": home, "includes": "Education on site" })).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    assert_eq!(
        (made["weekly_price"].clone(), made["start"].clone()),
        (form["weekly_price"].clone(), form["start"].clone())
    );
    assert_eq!(status_of(s, &officer, id).await, "offers");
    s.clock.advance(SignedDuration::from_mins(90));
    assert_eq!(s.services.run_escalations().await.expect("run").next_steps, 0, "a live offer stops the cascade");

    // Compared side by side, then accepted.
    let (_, answers) = s.get(&format!("/api/v1/referrals/{id}/offers"), As::Browser(&officer)).await;
    let o = &answers["offers"][0];
    assert!(o["regional_median"].is_u64() && o["tier"].is_string(), "{o}");
    let offer_id = o["id"].as_i64().expect("id");
    let vacancy = o["vacancy"].as_i64();
    let places_before = match vacancy {
        Some(v) => Some(s.store.vacancy(hearth_domain::VacancyId(v)).await.expect("vacancy").places),
        None => None,
    };
    let (status, accepted) =
        s.call(Method::POST, &format!("/api/v1/offers/{offer_id}/accept"), As::Browser(&officer), None).await;
    assert_eq!(status, StatusCode::CREATED, "{accepted}");
    assert_eq!(accepted["placements"].as_array().expect("placements").len(), 1);
    assert!(accepted["agreement"]["text"].as_str().expect("text").contains("INDIVIDUAL PLACEMENT AGREEMENT"));
    assert_eq!(status_of(s, &officer, id).await, "placed");
    if let (Some(v), Some(before)) = (vacancy, places_before) {
        assert_eq!(s.store.vacancy(hearth_domain::VacancyId(v)).await.expect("vacancy").places, before - 1);
    }
    // The provider now sees the referral in full.
    let (_, full) = s.get(&format!("/api/v1/referrals/{id}"), As::Browser(&provider)).await;
    assert!(full["children"][0]["reference"].is_string(), "{full}");

    // Every notification, delivered.
    let mail = deliver(s).await;
    for org in &first_orgs {
        told(&mail, &responders(s, *org), &format!("New referral {id}"));
    }
    told(&mail, &responders(s, second["provider"].as_i64().expect("id")), &format!("New referral {id}"));
    let managers: BTreeSet<String> = [s.facts.email(Role::TeamManager, s.facts.coventry).to_owned()].into();
    told(&mail, &managers, "Cascade moved on");
    let me: BTreeSet<String> = [s.facts.email(Role::PlacementOfficer, s.facts.coventry).to_owned()].into();
    told(&mail, &me, &format!("Offer on referral {id}"));
    told(&mail, &responders(s, second["provider"].as_i64().expect("id")), &format!("Offer {offer_id} accepted"));
    let outbox = s.store.outbox(Some(hearth_domain::ReferralId(id))).await.expect("outbox");
    assert!(outbox.iter().all(|e| e.sent_at.is_some()), "everything queued was sent");
    assert_eq!(mail.len(), outbox.len());
    let (_, notices) = s.get("/api/v1/notices", As::Browser(&provider)).await;
    assert!(notices.as_array().expect("notices").iter().any(|n| n["referral"] == id), "{notices}");
}

async fn cascade_to_unmet(s: &Server) {
    let officer = officer(s).await;
    let id = same_day_referral(s, &officer).await;
    send(s, &officer, id, json!({ "mode": "cascade" })).await;
    let mut steps = 1;
    for _ in 0..6 {
        s.clock.advance(SignedDuration::from_mins(61));
        let r = s.services.run_escalations().await.expect("run");
        steps += r.next_steps;
        if r.unmet == 1 {
            break;
        }
    }
    assert_eq!(status_of(s, &officer, id).await, "unmet");
    let (_, sendings) = s.get(&format!("/api/v1/referrals/{id}/sendings"), As::Browser(&officer)).await;
    let sendings = sendings.as_array().expect("sendings");
    assert_eq!(sendings.len(), steps);
    let tiers: Vec<&str> = sendings.iter().filter_map(|x| x["step"].as_str()).collect();
    let order = ["in_house", "block", "framework", "spot"];
    let positions: Vec<usize> = tiers.iter().map(|t| order.iter().position(|o| o == t).expect("tier")).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "steps in cascade order: {tiers:?}");
    assert!(sendings.iter().all(|x| x["closed_at"].is_string()), "no sending left open");
    assert_eq!(s.services.run_escalations().await.expect("again").unmet, 0, "idempotent");

    let mail = deliver(s).await;
    for sending in sendings {
        for r in sending["recipients"].as_array().expect("recipients") {
            told(&mail, &responders(s, r["provider"].as_i64().expect("id")), &format!("New referral {id}"));
        }
    }
    let council: BTreeSet<String> = [
        s.facts.email(Role::PlacementOfficer, s.facts.coventry).to_owned(),
        s.facts.email(Role::TeamManager, s.facts.coventry).to_owned(),
    ]
    .into();
    told(&mail, &council, "Unmet");
    // An unmet referral takes no more answers.
    let org = sendings[0]["recipients"][0]["provider"].as_i64().expect("id");
    let provider = s.sign_in(&responder_email(s, org)).await;
    let (status, body) = s
        .call(
            Method::POST,
            &format!("/api/v1/referrals/{id}/decline"),
            As::Browser(&provider),
            Some(json!({"reason": "no_vacancy"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
}

/// A referral sent to every fitting provider, with the officer's session and the fitting homes.
pub(crate) async fn sent_to_all(s: &Server) -> (Session, i64, Vec<Value>) {
    let officer = officer(s).await;
    let id = same_day_referral(s, &officer).await;
    send(s, &officer, id, json!({ "mode": "all_fitting" })).await;
    let m = matches(s, &officer, id).await;
    (officer, id, m)
}

/// Providers (by name) with a fitting home and a vacancy, with one home each.
pub(crate) fn offerable(m: &[Value], n: usize) -> Vec<(String, i64, i64)> {
    let mut seen = BTreeSet::new();
    m.iter()
        .filter(|x| x["vacancy"].is_i64())
        .filter(|x| seen.insert(x["provider"].as_str().unwrap_or_default().to_owned()))
        .map(|x| {
            (
                x["provider"].as_str().expect("name").to_owned(),
                x["home"].as_i64().expect("home"),
                x["vacancy"].as_i64().expect("v"),
            )
        })
        .take(n)
        .collect()
}

pub(crate) async fn provider_session(s: &Server, officer: &Session, id: i64, name: &str) -> Session {
    let (_, sendings) = s.get(&format!("/api/v1/referrals/{id}/sendings"), As::Browser(officer)).await;
    let org = sendings
        .as_array()
        .expect("sendings")
        .iter()
        .flat_map(|x| x["recipients"].as_array().cloned().unwrap_or_default())
        .find(|r| r["name"] == name)
        .and_then(|r| r["provider"].as_i64())
        .expect("the provider was sent the referral");
    s.sign_in(&responder_email(s, org)).await
}

async fn races(s: &Server) {
    let (officer, id, m) = sent_to_all(s).await;
    let homes = offerable(&m, 4);
    assert!(homes.len() >= 2, "the demo region has several fitting providers");
    let mut sessions = Vec::new();
    for (name, _, _) in &homes {
        sessions.push(provider_session(s, &officer, id, name).await);
    }
    // Each provider offers its home eight times at once: one offer each is stored, the rest are 409.
    let attempts = homes
        .iter()
        .zip(&sessions)
        .flat_map(|((_, home, _), who)| (0..8).map(move |_| offer(s, who, id, json!({ "home": home }))));
    let answers = join_all(attempts).await;
    let made: Vec<i64> = answers
        .iter()
        .filter(|(st, _)| *st == StatusCode::CREATED)
        .map(|(_, b)| b["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(made.len(), homes.len(), "{answers:?}");
    assert!(answers.iter().all(|(st, _)| *st == StatusCode::CREATED || *st == StatusCode::CONFLICT));
    let (_, listed) = s.get(&format!("/api/v1/referrals/{id}/offers"), As::Browser(&officer)).await;
    let stored: BTreeSet<i64> =
        listed["offers"].as_array().expect("offers").iter().map(|o| o["id"].as_i64().expect("id")).collect();
    assert!(made.iter().all(|o| stored.contains(o)), "every acknowledged offer is stored");

    // Two officers accept different offers at once, several times over: exactly one wins.
    let manager = s.sign_in(s.facts.email(Role::TeamManager, s.facts.coventry)).await;
    let places_before = s.store.vacancies().await.expect("vacancies");
    let accepts = made.iter().flat_map(|o| {
        [&officer, &manager].into_iter().map(move |who| post(s, format!("/api/v1/offers/{o}/accept"), who, None))
    });
    let results = join_all(accepts).await;
    let won: Vec<&Value> = results.iter().filter(|(st, _)| *st == StatusCode::CREATED).map(|(_, b)| b).collect();
    assert_eq!(won.len(), 1, "{results:?}");
    for (st, body) in &results {
        if *st != StatusCode::CREATED {
            assert_eq!(*st, StatusCode::CONFLICT, "{body}");
            assert!(body["error"]["message"].as_str().is_some_and(|m| m.len() > 20), "a sentence: {body}");
        }
    }
    let placements = s.store.placements_of_child(s.facts.coventry_child).await.expect("placements");
    let from_referral = placements.iter().filter(|p| p.referral == Some(hearth_domain::ReferralId(id))).count();
    assert_eq!(from_referral, 1, "one placement for the referral");
    let after = s.store.vacancies().await.expect("vacancies");
    let total = |v: &[hearth_domain::home::Vacancy]| v.iter().map(|x| u32::from(x.places)).sum::<u32>();
    assert!(total(&places_before) - total(&after) <= 1, "one place taken at most");
    let (_, listed) = s.get(&format!("/api/v1/referrals/{id}/offers"), As::Browser(&officer)).await;
    let statuses: Vec<&str> =
        listed["offers"].as_array().expect("offers").iter().filter_map(|o| o["status"].as_str()).collect();
    assert_eq!(statuses.iter().filter(|x| **x == "accepted").count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|x| *x == "accepted" || *x == "not_chosen"), "{statuses:?}");
}

async fn last_place(s: &Server) {
    let (officer, first, m) = sent_to_all(s).await;
    let second = same_day_referral(s, &officer).await;
    send(s, &officer, second, json!({ "mode": "all_fitting" })).await;
    let (name, home, vacancy) = offerable(&m, 1).pop().expect("an offerable home");
    let provider = provider_session(s, &officer, first, &name).await;
    let (status, body) = s
        .call(
            Method::PUT,
            &format!("/api/v1/vacancies/{vacancy}"),
            As::Browser(&provider),
            Some(json!({ "places": 1 })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut offers = Vec::new();
    for id in [first, second] {
        let (status, made) = offer(s, &provider, id, json!({ "home": home, "vacancy": vacancy })).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        offers.push(made["id"].as_i64().expect("id"));
    }
    let results = join_all(offers.iter().map(|o| post(s, format!("/api/v1/offers/{o}/accept"), &officer, None))).await;
    let codes: Vec<StatusCode> = results.iter().map(|r| r.0).collect();
    assert_eq!(codes.iter().filter(|c| **c == StatusCode::CREATED).count(), 1, "{results:?}");
    assert!(codes.contains(&StatusCode::CONFLICT), "{results:?}");
    let v = s.store.vacancy(hearth_domain::VacancyId(vacancy)).await.expect("vacancy");
    assert_eq!(v.places, 0, "the last place is taken once, never below zero");
}

async fn bad_answers(s: &Server) {
    let (officer, id, m) = sent_to_all(s).await;
    let (name, home, _) = offerable(&m, 1).pop().expect("offerable");
    let provider = provider_session(s, &officer, id, &name).await;
    let expect = |(status, body): (StatusCode, Value), want: StatusCode, field: Option<&str>| {
        assert_eq!(status, want, "{body}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| m.len() > 15), "{body}");
        if let Some(f) = field {
            assert!(body["error"]["fields"].as_array().expect("fields").iter().any(|x| x["field"] == f), "{body}");
        }
    };
    expect(
        offer(s, &provider, id, json!({ "home": home, "weekly_price": -40 })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("weekly_price"),
    );
    expect(
        offer(s, &provider, id, json!({ "home": home, "weekly_price": 1_000_000 })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("weekly_price"),
    );
    expect(
        offer(s, &provider, id, json!({ "home": home, "start": "2026-01-01" })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("start"),
    );
    expect(
        offer(s, &provider, id, json!({ "home": s.facts.q_home.0 })).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("home"),
    );
    let decline = |body: Value| post(s, format!("/api/v1/referrals/{id}/decline"), &provider, Some(body));
    expect(decline(json!({ "reason": "other" })).await, StatusCode::UNPROCESSABLE_ENTITY, Some("note"));
    // A provider it was not sent to cannot tell that it exists.
    let foreign = s.sign_in(s.facts.email(Role::ProviderStaff, s.facts.provider_q)).await;
    let (_, sendings) = s.get(&format!("/api/v1/referrals/{id}/sendings"), As::Browser(&officer)).await;
    // Q is such a provider in the demo region: asserted rather than assumed, so that the 404 is always checked.
    let sent_to: BTreeSet<i64> = sendings
        .as_array()
        .expect("sendings")
        .iter()
        .flat_map(|sending| sending["recipients"].as_array().expect("recipients"))
        .map(|recipient| recipient["provider"].as_i64().expect("a provider id"))
        .collect();
    assert!(!sent_to.contains(&s.facts.provider_q.0), "not sent to provider Q ({}): {sendings}", s.facts.provider_q);
    expect(offer(s, &foreign, id, json!({ "home": s.facts.q_home.0 })).await, StatusCode::NOT_FOUND, None);
    // Choosing a provider with no fitting home is refused.
    let other = same_day_referral(s, &officer).await;
    let (status, body) = s
        .call(
            Method::POST,
            &format!("/api/v1/referrals/{other}/send"),
            As::Browser(&officer),
            Some(json!({ "mode": "chosen", "providers": [s.facts.platform.0] })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // After the deadline (same day, sent to all: 4 hours), answers are 409.
    s.clock.advance(SignedDuration::from_hours(5));
    expect(offer(s, &provider, id, json!({ "home": home })).await, StatusCode::CONFLICT, None);
    // A withdrawn referral takes no offers.
    let third = same_day_referral(s, &officer).await;
    send(s, &officer, third, json!({ "mode": "all_fitting" })).await;
    let p3 = provider_session(s, &officer, third, &name).await;
    let (status, _) =
        s.call(Method::POST, &format!("/api/v1/referrals/{third}/withdraw"), As::Browser(&officer), None).await;
    assert_eq!(status, StatusCode::OK);
    expect(offer(s, &p3, third, json!({ "home": home })).await, StatusCode::CONFLICT, None);
    // A home without a free place is 409: close its vacancies first.
    let fourth = same_day_referral(s, &officer).await;
    send(s, &officer, fourth, json!({ "mode": "all_fitting" })).await;
    let p4 = provider_session(s, &officer, fourth, &name).await;
    for v in s.store.vacancies().await.expect("vacancies").iter().filter(|v| v.home.0 == home) {
        let (status, body) = s
            .call(Method::PUT, &format!("/api/v1/vacancies/{}", v.id), As::Browser(&p4), Some(json!({ "places": 0 })))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    expect(offer(s, &p4, fourth, json!({ "home": home })).await, StatusCode::CONFLICT, None);
    assert_eq!(s.audit_count("offer.create").await, 0, "nothing refused was written");
}

async fn idempotency(s: &Server) {
    let (officer, id, m) = sent_to_all(s).await;
    let (name, home, _) = offerable(&m, 1).pop().expect("offerable");
    let provider = provider_session(s, &officer, id, &name).await;
    let post = |body: Value, key: &'static str| {
        let req = reqwest::Client::new()
            .post(format!("{}/api/v1/referrals/{id}/offers", s.base))
            .header("cookie", &provider.cookie)
            .header("x-csrf-token", &provider.csrf)
            .header("idempotency-key", key)
            .json(&body);
        async move {
            let resp = req.send().await.expect("request");
            let replayed = resp.headers().get("idempotent-replayed").is_some();
            (resp.status(), replayed, resp.json::<Value>().await.expect("json"))
        }
    };
    let first = post(json!({ "home": home }), "retry-1").await;
    let again = post(json!({ "home": home }), "retry-1").await;
    assert_eq!((first.0, first.1), (StatusCode::CREATED, false), "{first:?}");
    assert_eq!((again.0, again.1), (StatusCode::CREATED, true), "{again:?}");
    assert_eq!(first.2["id"], again.2["id"]);
    assert_eq!(s.audit_count("offer.create").await, 1, "one offer, not two");
    let reused = post(json!({ "home": home, "notes": "different" }), "retry-1").await;
    assert_eq!(reused.0, StatusCode::UNPROCESSABLE_ENTITY, "{reused:?}");
}

/// Places a same-day referral with one offer; returns (officer, provider, referral, offer).
pub(crate) async fn placed(s: &Server) -> (Session, Session, i64, i64) {
    let (officer, id, m) = sent_to_all(s).await;
    let (name, home, _) = offerable(&m, 1).pop().expect("offerable");
    let provider = provider_session(s, &officer, id, &name).await;
    let (status, made) = offer(s, &provider, id, json!({ "home": home })).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let offer_id = made["id"].as_i64().expect("id");
    let (status, body) =
        s.call(Method::POST, &format!("/api/v1/offers/{offer_id}/accept"), As::Browser(&officer), None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    (officer, provider, id, offer_id)
}

async fn agreement(s: &Server) {
    let (officer, provider, id, _) = placed(s).await;
    let path = format!("/api/v1/referrals/{id}/agreements");
    let (_, list) = s.get(&path, As::Browser(&officer)).await;
    let v1 = list[0].clone();
    let (agreement, hash) = (v1["id"].as_i64().expect("id"), v1["text_hash"].as_str().expect("hash").to_owned());
    let sign = |who: &Session, a: i64, hash: String| {
        let who = who.clone();
        async move { post(s, format!("/api/v1/agreements/{a}/sign"), &who, Some(json!({ "text_hash": hash }))).await }
    };
    let (status, body) = sign(&officer, agreement, "0".repeat(64)).await;
    assert_eq!(status, StatusCode::CONFLICT, "a signature over other words: {body}");
    let (status, body) = sign(&officer, agreement, hash.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = sign(&officer, agreement, hash.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "once per party");
    let (status, body) = sign(&provider, agreement, hash.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["locked"].as_bool().expect("locked"));
    let resp = reqwest::Client::new()
        .get(format!("{}/api/v1/agreements/{agreement}/document", s.base))
        .header("cookie", &provider.cookie)
        .send()
        .await
        .expect("document");
    assert!(resp.headers()["content-disposition"].to_str().expect("header").contains("attachment"));
    let doc = resp.text().await.expect("text");
    assert!(
        doc.contains(&hash) && doc.contains("Signed for the council") && doc.contains("Signed for the provider"),
        "{doc}"
    );
    // A change is a new version, signed again; the old one can no longer be signed.
    let (status, v2) =
        s.call(Method::POST, &path, As::Browser(&officer), Some(json!({ "notes": "Review after 28 days." }))).await;
    assert_eq!(status, StatusCode::CREATED, "{v2}");
    assert_eq!((v2["version"].as_u64(), v2["locked"].as_bool()), (Some(2), Some(false)));
    let (_, list) = s.get(&path, As::Browser(&officer)).await;
    assert!(list[0]["superseded"].as_bool().expect("superseded"));
    // Another provider cannot see it at all.
    let q = s.sign_in(s.facts.email(Role::ProviderStaff, s.facts.provider_q)).await;
    if q.body["organisation"].as_i64() != provider.body["organisation"].as_i64() {
        let (status, _) = s.get(&path, As::Browser(&q)).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
    }
}

async fn placements(s: &Server) {
    let (officer, provider, _, _) = placed(s).await;
    let (_, list) = s.get("/api/v1/placements", As::Browser(&officer)).await;
    let newest = list
        .as_array()
        .expect("list")
        .iter()
        .find(|p| p["end"].is_null() && p["child"] == s.facts.coventry_child.0)
        .expect("the new placement")
        .clone();
    let id = newest["id"].as_i64().expect("id");
    let (status, _) = s.get(&format!("/api/v1/placements/{id}"), As::Browser(&provider)).await;
    assert_eq!(status, StatusCode::OK, "the provider sees placements in its homes");

    // A move: the old placement ends X1 with the reason, the new one follows it.
    let m = matches(s, &officer, same_day_referral(s, &officer).await).await;
    let target = m.iter().find(|x| x["home"] != newest["home"]).expect("another home");
    // Three days on (sessions last ten hours: sign in again).
    s.clock.advance(SignedDuration::from_hours(24 * 3));
    let officer = self::officer(s).await;
    let mv = json!({ "date": "2026-11-28", "reason_change": "CARPL", "planned": true, "home": target["home"] });
    let (status, moved) =
        s.call(Method::POST, &format!("/api/v1/placements/{id}/move"), As::Browser(&officer), Some(mv.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{moved}");
    assert_eq!(moved["previous"], id);
    let (_, old) = s.get(&format!("/api/v1/placements/{id}"), As::Browser(&officer)).await;
    assert_eq!(
        (old["end"].as_str(), old["reason_ceased"].as_str(), old["reason_change"].as_str()),
        (Some("2026-11-28"), Some("X1"), Some("CARPL"))
    );
    let (status, body) =
        s.call(Method::POST, &format!("/api/v1/placements/{id}/move"), As::Browser(&officer), Some(mv)).await;
    assert_eq!(status, StatusCode::CONFLICT, "already ended: {body}");

    // Leaving care needs an E code and a date after the start.
    let new_id = moved["id"].as_i64().expect("id");
    s.clock.advance(SignedDuration::from_hours(24));
    let officer = self::officer(s).await;
    let provider = s.sign_in(&responder_email(s, provider.body["organisation"].as_i64().expect("org"))).await;
    let end = |body: Value| post(s, format!("/api/v1/placements/{new_id}/end"), &officer, Some(body));
    let (status, body) = end(json!({ "end": "2026-11-28", "reason_ceased": "E13", "planned": true })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = end(json!({ "end": "2026-11-28", "reason_ceased": "X1", "planned": true })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, ended) = end(json!({ "end": "2026-11-29", "reason_ceased": "E13", "planned": false })).await;
    assert_eq!(status, StatusCode::OK, "{ended}");
    assert_eq!((ended["reason_ceased"].as_str(), ended["planned_ending"].as_bool()), (Some("E13"), Some(false)));
    let (status, _) = end(json!({ "end": "2026-11-29", "reason_ceased": "E13", "planned": true })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // The provider cannot end the council's placement.
    let (status, _) = s
        .call(
            Method::POST,
            &format!("/api/v1/placements/{id}/end"),
            As::Browser(&provider),
            Some(json!({ "end": "2026-11-29", "reason_ceased": "E13", "planned": true })),
        )
        .await;
    assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{status}");
}

async fn outbox_restart(s: &Server) {
    let (_, _, id, _) = placed(s).await;
    let queued = s.store.outbox(Some(hearth_domain::ReferralId(id))).await.expect("outbox");
    assert!(!queued.is_empty() && queued.iter().all(|e| e.sent_at.is_none()), "queued, not yet sent");
    // The relay is down: every e-mail is kept for a retry, none lost.
    let dead = SmtpMailer::from_url("smtp://127.0.0.1:9", "Hearth <hearth@test.invalid>").expect("mailer");
    let report = s.services.deliver_outbox(&dead).await.expect("delivery");
    assert_eq!((report.sent, report.failed), (0, 0), "{report:?}");
    assert!(report.retrying >= queued.len());
    // A restarted server (new services on the same database) delivers them once the wait is over.
    let restarted =
        hearth_service::Services::new(s.store.clone(), s.clock.clone(), hearth_service::AuthPolicy::default());
    s.clock.advance(SignedDuration::from_mins(2));
    let sink = SmtpSink::start().await;
    let mailer = SmtpMailer::from_url(&sink.url(), "Hearth <hearth@test.invalid>").expect("mailer");
    let report = restarted.deliver_outbox(&mailer).await.expect("delivery");
    assert!(report.sent >= queued.len(), "{report:?}");
    sink.received(report.sent);
    let after = s.store.outbox(Some(hearth_domain::ReferralId(id))).await.expect("outbox");
    assert!(after.iter().all(|e| e.sent_at.is_some() && e.attempts == 2), "{after:?}");
    assert_eq!(restarted.deliver_outbox(&mailer).await.expect("again").sent, 0, "nothing twice");
}

async fn withdrawn(s: &Server) {
    let (officer, id, m) = sent_to_all(s).await;
    let (name, home, _) = offerable(&m, 1).pop().expect("offerable");
    let provider = provider_session(s, &officer, id, &name).await;
    let (status, made) = offer(s, &provider, id, json!({ "home": home })).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let (status, body) = post(s, format!("/api/v1/referrals/{id}/withdraw"), &officer, None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, answers) = s.get(&format!("/api/v1/referrals/{id}/offers"), As::Browser(&officer)).await;
    assert_eq!(answers["offers"][0]["status"], "lapsed", "{answers}");
    assert!(answers["sending"].is_null(), "no sending left open: {answers}");
    let (status, body) = post(s, format!("/api/v1/offers/{}/accept", made["id"]), &officer, None).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // Each refusal says what became of the referral and what that means, in the domain's words.
    let said = |body: &Value| body["error"]["message"].as_str().unwrap_or_default().to_owned();
    assert_eq!(
        said(&body),
        format!("referral {id} was withdrawn by the council; its offers cannot be accepted any more")
    );
    let decline = json!({ "reason": "price" });
    let (status, body) = post(s, format!("/api/v1/referrals/{id}/decline"), &provider, Some(decline)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(
        said(&body),
        format!("referral {id} was withdrawn by the council; it no longer takes offers or declines")
    );
    s.clock.advance(SignedDuration::from_hours(5));
    let report = s.services.run_escalations().await.expect("run");
    assert_eq!((report.checked, report.unmet), (0, 0), "the job no longer watches it: {report:?}");
}
