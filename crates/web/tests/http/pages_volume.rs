//! The matches and send pages at the demo region's real volume, as a browser without JavaScript
//! uses them: counts that agree with the API, pages that follow on, ticks that travel between pages
//! of the send form and reach exactly the providers chosen, and no rule or factor code in the words.

use crate::TestFn;
use crate::fixture::{As, Server};
use crate::marketplace::officer;
use crate::pages::{get, location, post, signed_in};
use hearth_domain::HomeId;
use hearth_domain::org::Role;
use hearth_service::matching::{Factor, HardRule};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub const TESTS: &[(&str, TestFn)] = &[
    ("pages_matches_count_and_page_like_the_api", |s| Box::pin(matches_paging(s))),
    ("pages_send_pages_keep_ticks_and_send_from_page_two", |s| Box::pin(send_paging(s))),
    ("pages_placements_and_offers_lists_hold_a_page_at_demo_volume", |s| Box::pin(market_lists_volume(s))),
];

/// The most rows a list's page holds, whatever the region's size: a person reads a page, not a
/// database.
const LIST_ROWS: usize = 25;

/// A council's placements and a provider's offers at the demo's volume: every page at most
/// [`LIST_ROWS`] rows, the count the store's, and the last page the rest.
async fn market_lists_volume(s: &Server) {
    use crate::lists_market::{rows, total};
    let f = &s.facts;
    let (cookie, _) = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let all = s.store.placements_of_council(331, 0).await.expect("placements").len();
    assert!(all > 4 * LIST_ROWS, "the demo's Coventry has pages of placements: {all}");
    let (status, _, html) = get(s, "/placements", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((total(&html), rows(&html).len()), (all as u64, LIST_ROWS));
    let last = all.div_ceil(LIST_ROWS);
    let (_, _, html) = get(s, &format!("/placements?page={last}"), Some(&cookie)).await;
    assert_eq!(rows(&html).len(), all - (last - 1) * LIST_ROWS, "the last page has the rest");

    for provider in [f.provider_p, f.provider_q] {
        let Some((_, email)) = f.logins.get(&(Role::ProviderStaff, provider)) else { continue };
        let (cookie, _) = crate::pages::form_sign_in(s, email, "/").await;
        let (status, _, html) = get(s, "/offers", Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK);
        let shown = rows(&html).len();
        assert!(shown <= LIST_ROWS, "{shown} rows");
        assert_eq!(shown as u64, total(&html).min(LIST_ROWS as u64));
        let (_, _, html) = get(s, "/placements", Some(&cookie)).await;
        assert!(rows(&html).len() <= LIST_ROWS);
    }
}

/// A planned referral for one of Coventry's children that asks little of a home, so that many homes
/// fit: the volume the pages must stay usable at.
async fn broad_referral(s: &Server, officer: &crate::fixture::Session) -> i64 {
    let mut body = crate::referrals::form(s.facts.coventry_child.0, "2026-12-21");
    body["needs"] = json!([]);
    let details = body["details"].as_object_mut().expect("details");
    for field in ["max_weekly_price", "extra_risks"] {
        details.remove(field);
    }
    for (field, value) in [
        ("supported_suitability", "suitable_not_preferred"),
        ("foster_suitability", "suitable_not_preferred"),
        ("cared_for_alongside", "no_preference"),
        ("cultural_needs", "not_required"),
    ] {
        details.insert(field.into(), json!(value));
    }
    let (status, created) = s.call(reqwest::Method::POST, "/api/v1/referrals", As::Browser(officer), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().expect("id")
}

/// The API's answer for a referral's best 200 homes.
async fn api_matches(s: &Server, id: i64) -> Value {
    let api_officer = officer(s).await;
    let (status, m) = s.get(&format!("/api/v1/referrals/{id}/matches?limit=200"), As::Browser(&api_officer)).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    m
}

/// The homes a matches page lists, in order, by the ids of their rows.
fn rows(html: &str) -> Vec<i64> {
    html.split(r#"<tr class="govuk-table__row" id="home-"#)
        .skip(1)
        .filter_map(|r| r.split('"').next()?.parse().ok())
        .collect()
}

/// No hard rule's or weighted factor's code shows through: each has words of its own.
fn no_codes(html: &str) {
    let code = |x: Value| x.as_str().map(str::to_owned).unwrap_or_default();
    let codes = HardRule::ALL
        .iter()
        .map(|r| code(serde_json::to_value(r).unwrap_or_default()))
        .chain(Factor::ALL.iter().map(|f| code(serde_json::to_value(f).unwrap_or_default())));
    for c in codes.filter(|c| c.contains('_')) {
        let spaced = format!("<li>{}:", c.replace('_', " "));
        assert!(!html.contains(&c) && !html.contains(&spaced), "the page shows the code {c}");
    }
}

async fn matches_paging(s: &Server) {
    let api_officer = officer(s).await;
    let id = broad_referral(s, &api_officer).await;
    let api = api_matches(s, id).await;
    let total = api["considered"].as_u64().expect("considered");
    let homes: Vec<i64> =
        api["matches"].as_array().expect("matches").iter().filter_map(|m| m["home"].as_i64()).collect();
    assert!(total > 40, "the demo region gives a same-day referral more than two pages of homes: {total}");
    let (cookie, _) = signed_in(s, Role::PlacementOfficer, s.facts.coventry).await;

    let (status, _, html) = get(s, &format!("/referrals/{id}/matches"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&format!("Showing 1–20 of {total} homes")), "the count is the API's: {html}");
    assert_eq!(rows(&html), homes[..20], "the first page is the API's best 20, in order");
    assert!(html.contains(">Free from</th>"), "each home says when its place is free");
    assert!(html.contains(&format!(r#"href="/referrals/{id}/matches?page=2" rel="next""#)), "a next page");
    assert!(!html.contains(r#"rel="prev""#), "no page before the first");
    no_codes(&html);
    assert!(!html.contains("under16"), "{html}");

    let (status, _, html) = get(s, &format!("/referrals/{id}/matches?page=2"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&format!("Showing 21–40 of {total} homes")), "{html}");
    assert_eq!(rows(&html), homes[20..40], "page 2 is the next 20, ranks 21 to 40");
    assert!(html.contains(">21</td>"), "ranks count from the best, not from the page");
    assert!(html.contains(r#"aria-label="Page 2" aria-current="page""#), "page 2 is marked current");
    no_codes(&html);

    // Past the end, or not a number: the last page, or the first, never an error.
    let last = total.div_ceil(20);
    let (status, _, html) = get(s, &format!("/referrals/{id}/matches?page=9999"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("Showing {}–{total} of {total} homes", (last - 1) * 20 + 1)), "{html}");
    assert_eq!(rows(&html).len() as u64, total - (last - 1) * 20, "the last page has the rest");
    let (status, _, html) = get(s, &format!("/referrals/{id}/matches?page=x"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("Showing 1–20 of {total} homes")), "{html}");
    // Every rule that left homes out is in words.
    let excluded = api["excluded"].as_object().expect("excluded");
    assert!(!excluded.is_empty(), "the demo's rules leave homes out");
    no_codes(&html);
}

/// The providers of a referral's fitting homes in the order the send page lists them (by their
/// best home's rank), from the API's best 200.
async fn providers_in_order(s: &Server, api: &Value) -> Vec<i64> {
    let mut out: Vec<i64> = Vec::new();
    for home in api["matches"].as_array().expect("matches").iter().filter_map(|m| m["home"].as_i64()) {
        let p = s.store.home(HomeId(home)).await.expect("home").provider.0;
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The providers a send page offers to tick, in order.
fn ticks(html: &str) -> Vec<i64> {
    html.split(r#"name="providers" type="checkbox" value=""#)
        .skip(1)
        .filter_map(|r| r.split('"').next()?.parse().ok())
        .collect()
}

async fn send_paging(s: &Server) {
    let api_officer = officer(s).await;
    let id = broad_referral(s, &api_officer).await;
    let api = api_matches(s, id).await;
    let providers = providers_in_order(s, &api).await;
    assert!(providers.len() > 20, "the demo gives more than two pages of providers: {}", providers.len());
    let (cookie, _) = signed_in(s, Role::PlacementOfficer, s.facts.coventry).await;

    let (status, _, html) = get(s, &format!("/referrals/{id}/send"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(ticks(&html), providers[..10], "the first page is the ten best providers");
    if api["considered"].as_u64().is_some_and(|n| n <= 200) {
        assert!(html.contains(&format!("of {} providers", providers.len())), "{html}");
    }
    assert!(html.contains("To providers you choose") && !html.contains("the officer"), "it speaks to you");
    assert!(html.contains(r#"value="all_fitting""#) && html.contains(r#"value="cascade""#), "three ways");
    no_codes(&html);
    let csrf = crate::pages::csrf_of(&html);

    // Page 2 by its link: the next ten.
    let (status, _, html) = get(s, &format!("/referrals/{id}/send?page=2"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(ticks(&html), providers[10..20], "page 2 is the next ten");

    // Ticked on page 1, then the page 2 button: the tick travels in a hidden field, the way kept.
    let (first, second) = (providers[0].to_string(), providers[11].to_string());
    let form =
        [("csrf_token", csrf.as_str()), ("at_page", "1"), ("mode", "chosen"), ("providers", &first), ("page", "2")];
    let (status, _, html) = post(s, &format!("/referrals/{id}/send"), Some(&cookie), &form).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert_eq!(ticks(&html), providers[10..20]);
    assert!(html.contains(&format!(r#"<input type="hidden" name="providers" value="{first}">"#)), "{html}");
    assert!(html.contains("Also ticked on other pages"), "{html}");
    assert!(html.contains(r#"value="chosen" checked"#), "the way chosen is kept");
    assert!(html.contains(r#"name="at_page" value="2""#), "{html}");

    // Sent from page 2: exactly the two ticked reach it.
    let form = [
        ("csrf_token", csrf.as_str()),
        ("at_page", "2"),
        ("mode", "chosen"),
        ("providers", &first),
        ("providers", &second),
    ];
    let (status, headers, html) = post(s, &format!("/referrals/{id}/send"), Some(&cookie), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(location(&headers), format!("/referrals/{id}?sent=true"));
    let (status, sendings) = s.get(&format!("/api/v1/referrals/{id}/sendings"), As::Browser(&api_officer)).await;
    assert_eq!(status, StatusCode::OK, "{sendings}");
    let mut reached: Vec<i64> = sendings[0]["recipients"]
        .as_array()
        .expect("recipients")
        .iter()
        .filter_map(|r| r["provider"].as_i64())
        .collect();
    reached.sort_unstable();
    let mut chosen = vec![providers[0], providers[11]];
    chosen.sort_unstable();
    assert_eq!(reached, chosen, "the sending reached the provider ticked on page 1 and the one on page 2");
}
