//! The provider's respond page as a browser without JavaScript uses it: the home picker offers only
//! the provider's homes that pass the referral's hard rules, best first, each with why, and explains
//! the others; when none fits, it says so and leads to the decline. And the audit trail names the
//! person and organisation behind each line, in UK time.

use crate::TestFn;
use crate::fixture::{As, Server};
use crate::marketplace::{officer, responder_email, same_day_referral, send};
use crate::pages::{form_sign_in, get, signed_in};
use hearth_domain::org::Role;
use hearth_domain::{HomeId, OrganisationId};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;

pub const TESTS: &[(&str, TestFn)] = &[
    ("pages_respond_offers_only_fitting_homes_best_first_and_explains_the_rest", |s| Box::pin(picker(s))),
    ("pages_respond_with_no_fitting_home_says_so_and_leads_to_the_decline", |s| Box::pin(none_fits(s))),
    ("pages_audit_names_the_person_and_organisation_in_uk_time", |s| Box::pin(audit_who(s))),
    ("pages_a_refused_page_keeps_the_navigation_and_a_way_back", |s| Box::pin(refused_page(s))),
    ("pages_a_submitted_referral_sent_to_nobody_says_so_and_links_to_send", |s| Box::pin(submitted_unsent(s))),
];

async fn submitted_unsent(s: &Server) {
    let officer = officer(s).await;
    let id = same_day_referral(s, &officer).await;
    let (cookie, csrf) = signed_in(s, Role::PlacementOfficer, s.facts.coventry).await;
    let (_, _, html) = get(s, &format!("/referrals/{id}"), Some(&cookie)).await;
    assert!(!html.contains(r#"id="not-sent""#), "a draft is not yet open: {html}");
    let (status, _, html) =
        crate::pages::post(s, &format!("/referrals/{id}/submit"), Some(&cookie), &[("csrf_token", &csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let (_, _, html) = get(s, &format!("/referrals/{id}"), Some(&cookie)).await;
    let inset = html.split(r#"id="not-sent">"#).nth(1).expect("the page says it was sent to nobody");
    assert!(inset.starts_with("This referral is open but not yet sent to anyone"), "{inset}");
    assert!(inset.contains(&format!(r#"href="/referrals/{id}/send">Send it to providers</a>"#)), "{inset}");
    // Once sent, it no longer says so.
    let matches = ranked(s, &officer, id).await;
    let home = matches[0]["home"].as_i64().expect("a fitting home");
    let provider = s.store.home(HomeId(home)).await.expect("home").provider;
    send(s, &officer, id, json!({ "mode": "chosen", "providers": [provider.0] })).await;
    let (_, _, html) = get(s, &format!("/referrals/{id}"), Some(&cookie)).await;
    assert!(!html.contains(r#"id="not-sent""#), "{html}");
    // The provider offers: the officer's notice says who.
    let staff = s.sign_in(&responder_email(s, provider.0)).await;
    let (status, made) = crate::marketplace::offer(s, &staff, id, json!({ "home": home })).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let name = s.store.organisations().await.expect("orgs").into_iter().find(|o| o.id == provider).expect("org").name;
    let (_, _, html) = get(s, "/notices", Some(&cookie)).await;
    assert!(
        html.contains(&format!("Offer on referral {id}")) && html.contains(&format!(" from {}", esc(&name))),
        "{html}"
    );
}

async fn refused_page(s: &Server) {
    let (cookie, _) = signed_in(s, Role::PlacementOfficer, s.facts.coventry).await;
    let (status, _, html) = get(s, "/admin/users", Some(&cookie)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
    // The person's own navigation, with the phone's Menu button (hidden until JavaScript shows it).
    assert!(html.contains(r#"<a class="govuk-service-navigation__link" href="/referrals">"#), "{html}");
    assert!(html.contains(r#"aria-controls="navigation" hidden>Menu</button>"#), "{html}");
    assert!(html.contains(r#"id="way-back""#) && html.contains("ask your organisation"), "{html}");
    // A record that does not exist has a way back too.
    let (status, _, html) = get(s, "/referrals/999999999", Some(&cookie)).await;
    assert!(status.is_client_error(), "{status}");
    assert!(html.contains(r#"id="way-back""#), "{html}");
    // The referral's history is in UK time.
    let officer = officer(s).await;
    let id = same_day_referral(s, &officer).await;
    let (_, _, html) = get(s, &format!("/referrals/{id}"), Some(&cookie)).await;
    assert!(html.contains("(UK time): created as a draft"), "{html}");
    assert!(!html.contains(" UTC"), "{html}");
}

/// Text as the templates escape it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

/// Every home the referral's matching ranks, best first, as the officer's API answers it.
async fn ranked(s: &Server, officer: &crate::fixture::Session, id: i64) -> Vec<Value> {
    let (status, m) = s.get(&format!("/api/v1/referrals/{id}/matches?limit=200"), As::Browser(officer)).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    m["matches"].as_array().expect("matches").clone()
}

/// The radio values of the picker, in page order.
fn offered(html: &str) -> Vec<i64> {
    html.split(r#"name="home" type="radio" value=""#)
        .skip(1)
        .filter_map(|r| r.split('"').next().and_then(|v| v.parse().ok()))
        .collect()
}

/// The provider of a fitting home that also runs homes that cannot meet the referral.
async fn provider_with_both(s: &Server, matches: &[Value]) -> (OrganisationId, Vec<i64>, Vec<(i64, String)>) {
    let homes = s.store.homes().await.expect("homes");
    let fitting: BTreeSet<i64> = matches.iter().filter_map(|m| m["home"].as_i64()).collect();
    for m in matches {
        let provider = s.store.home(HomeId(m["home"].as_i64().expect("home"))).await.expect("home").provider;
        let theirs: Vec<(i64, String)> = homes
            .iter()
            .filter(|h| h.provider == provider && !fitting.contains(&h.id.0))
            .map(|h| (h.id.0, h.name.clone()))
            .collect();
        let has_responder =
            [Role::ProviderStaff, Role::TeamManager].iter().any(|r| s.facts.logins.contains_key(&(*r, provider)));
        if !theirs.is_empty() && has_responder {
            let mut best_first = Vec::new();
            for m in matches {
                let h = m["home"].as_i64().expect("home");
                if s.store.home(HomeId(h)).await.expect("home").provider == provider {
                    best_first.push(h);
                }
            }
            return (provider, best_first, theirs);
        }
    }
    panic!("no provider of a fitting home also runs a home that cannot meet the referral");
}

async fn picker(s: &Server) {
    let officer = officer(s).await;
    let id = same_day_referral(s, &officer).await;
    let matches = ranked(s, &officer, id).await;
    let (provider, best_first, unfit) = provider_with_both(s, &matches).await;
    send(s, &officer, id, json!({ "mode": "chosen", "providers": [provider.0] })).await;

    let (cookie, _) = form_sign_in(s, &responder_email(s, provider.0), "/").await;
    let (status, _, html) = get(s, &format!("/referrals/{id}/respond"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    // Only the homes that pass every hard rule, in the council's order.
    assert_eq!(offered(&html), best_first, "the fitting homes, best first: {html}");
    let first = &matches.iter().find(|m| m["home"] == best_first[0]).expect("ranked");
    let rank = first["rank"].as_i64().expect("rank");
    assert!(html.contains(&format!("Ranked {rank} of {}", matches.len())), "each with its rank: {html}");
    let reasons = first["reasons"].as_array().expect("reasons");
    assert!(
        reasons.iter().any(|r| html.contains(&format!("<br>{}", esc(r.as_str().unwrap_or("-"))))),
        "with the reasons that decide it: {html}"
    );
    // The others are explained in a collapsed list, never offered.
    let details =
        html.split(r#"<details class="govuk-details" id="unfit-homes">"#).nth(1).expect("the others, collapsed");
    assert!(details.contains(&format!("{} of your homes cannot meet this referral", unfit.len())), "{details}");
    for (home, name) in &unfit {
        assert!(!offered(&html).contains(home), "home {home} cannot meet the referral and is not offered");
        assert!(details.contains(&format!("<li>{}: ", esc(name))), "{name} is explained: {details}");
    }
    // Choosing a home fills the offer form for it, and keeps it chosen.
    let chosen = best_first[best_first.len() - 1];
    let (status, _, html) = get(s, &format!("/referrals/{id}/respond?home={chosen}"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&format!(r#"value="{chosen}" aria-describedby="home-{chosen}-hint" checked"#)), "{html}");
    assert!(html.contains(r#"id="weekly_price""#), "the offer form is shown: {html}");
    // A home that cannot meet it, typed into the address by hand, is refused in words.
    let (status, _, html) = get(s, &format!("/referrals/{id}/respond?home={}", unfit[0].0), Some(&cookie)).await;
    // 409 when it has no place free (open a vacancy first), 422 when it could never meet the rules.
    assert!(matches!(status, StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY), "{status}: {html}");
    assert!(html.contains("govuk-error-summary") && !html.contains(r#"id="weekly_price""#), "{html}");
}

async fn none_fits(s: &Server) {
    let officer = officer(s).await;
    let id = same_day_referral(s, &officer).await;
    let matches = ranked(s, &officer, id).await;
    let (provider, _, _) = provider_with_both(s, &matches).await;
    send(s, &officer, id, json!({ "mode": "chosen", "providers": [provider.0] })).await;
    let staff = s.sign_in(&responder_email(s, provider.0)).await;
    // The provider's places fill elsewhere: each vacancy the ranking would use is set to none left,
    // until none of its homes can meet the referral.
    for _ in 0..50 {
        let theirs: Vec<Value> = {
            let mut v = Vec::new();
            for m in ranked(s, &officer, id).await {
                let h = m["home"].as_i64().expect("home");
                if s.store.home(HomeId(h)).await.expect("home").provider == provider {
                    v.push(m);
                }
            }
            v
        };
        let Some(m) = theirs.first() else { break };
        let vacancy = m["vacancy"].as_i64().expect("the home's places are a vacancy");
        let (status, body) = s
            .call(
                Method::PATCH,
                &format!("/api/v1/vacancies/{vacancy}"),
                As::Browser(&staff),
                Some(json!({ "places": 0 })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (cookie, _) = form_sign_in(s, &responder_email(s, provider.0), "/").await;
    let (status, _, html) = get(s, &format!("/referrals/{id}/respond"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(offered(&html).is_empty(), "no home offered: {html}");
    assert!(html.contains("None of your homes can meet this referral"), "{html}");
    assert!(html.contains(r##"href="#reason">Decline the referral</a>"##), "leads to the decline: {html}");
    assert!(html.contains("no vacancy for the child by the start date"), "says why: {html}");
    assert!(!html.contains("Use this home"), "{html}");
}

async fn audit_who(s: &Server) {
    let f = &s.facts;
    // The officer reads a referral through the pages and creates one through the API.
    let officer = officer(s).await;
    let id = same_day_referral(s, &officer).await;
    let (ocookie, _) = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let (status, _, _) = get(s, &format!("/referrals/{id}"), Some(&ocookie)).await;
    assert_eq!(status, StatusCode::OK);
    let account = s.store.account(f.user(Role::PlacementOfficer, f.coventry)).await.expect("officer");
    let person = format!("{} ({})", account.user.display_name, account.user.email.as_str());
    let council = s.store.organisations().await.expect("orgs").into_iter().find(|o| o.id == f.coventry).expect("org");

    // The council's administrator sees the person and the council, not what was done, in the Who column.
    let (admin, _) = signed_in(s, Role::Administrator, f.coventry).await;
    let (status, _, html) = get(s, "/admin/audit?action=referral.", Some(&admin)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let who = format!(
        r#"<td class="govuk-table__cell hearth-break">{}<br><span class="govuk-body-s">{}</span></td>"#,
        esc(&person),
        esc(&council.name)
    );
    assert!(html.contains(&who), "the officer and the council named: {html}");
    assert!(
        !html.contains(r#"hearth-break">create referral"#) && !html.contains(r#"hearth-break">read referral"#),
        "{html}"
    );
    assert!(html.contains("(UK time)") && !html.contains(" UTC"), "times in UK time: {html}");
    // The same through the API.
    let admin_api = s.sign_in(f.email(Role::Administrator, f.coventry)).await;
    let (status, lines) = s.get("/api/v1/audit?action=referral.", As::Browser(&admin_api)).await;
    assert_eq!(status, StatusCode::OK, "{lines}");
    let by_officer: Vec<&Value> =
        lines.as_array().expect("lines").iter().filter(|l| l["user"] == account.user.id.0).collect();
    assert!(!by_officer.is_empty(), "{lines}");
    for l in by_officer {
        assert_eq!(l["who"], person.as_str(), "{l}");
        assert_eq!(l["organisation_name"], council.name.as_str(), "{l}");
    }
}
