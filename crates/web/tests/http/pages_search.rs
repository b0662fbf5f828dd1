//! The vacancy search page ("what is free near CV2 for a 14-year-old tonight?"): the same homes in
//! the same order as the API's quick search, every answer on the form changing what is found, paging
//! that follows on, bad answers refused on the page in words, and only for councils' officers.

use crate::TestFn;
use crate::fixture::{As, Server};
use crate::pages::{get, signed_in};
use hearth_domain::org::Role;
use reqwest::StatusCode;

pub const TESTS: &[(&str, TestFn)] = &[
    ("pages_search_finds_what_the_api_finds_and_follows_every_answer", |s| Box::pin(search_page(s))),
    ("pages_search_refuses_bad_answers_in_words_and_is_for_councils_only", |s| Box::pin(bad_search(s))),
];

/// The homes a results page lists, in order, by their rows' ids.
fn rows(html: &str) -> Vec<i64> {
    html.split(r#"<tr class="govuk-table__row" id="home-"#)
        .skip(1)
        .filter_map(|r| r.split('"').next()?.parse().ok())
        .collect()
}

/// The API's quick search for the same officer's council: the best 200 homes' ids, in order.
async fn api_homes(s: &Server, query: &str) -> Vec<i64> {
    let officer = crate::marketplace::officer(s).await;
    let (status, body) = s.get(&format!("/api/v1/search?{query}&limit=200"), As::Browser(&officer)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["matches"].as_array().expect("matches").iter().map(|m| m["home"].as_i64().expect("home")).collect::<Vec<_>>()
}

async fn search_page(s: &Server) {
    let (cookie, _) = signed_in(s, Role::PlacementOfficer, s.facts.coventry).await;
    let (status, _, html) = get(s, "/search", Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Find a home") && !html.contains("id=\"results\""), "the form alone, before a search");
    assert!(html.contains(r#"href="/search""#), "in the officer's navigation");

    let query = "near=CV2&age=15&sex=M&urgency=planned";
    let api = api_homes(s, query).await;
    assert!(api.len() > 20, "a planned search near CV2 fills more than a page: {}", api.len());
    let (status, _, first) = get(s, &format!("/search?{query}"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(rows(&first), api[..20].to_vec(), "page 1 is the API's best 20, in its order");
    assert!(first.contains(&format!("Showing 1–20 of {}", api.len())), "the count");
    let (_, _, second) = get(s, &format!("/search?{query}&page=2"), Some(&cookie)).await;
    assert_eq!(rows(&second), api[20..api.len().min(40)].to_vec(), "page 2 follows on");
    assert!(
        first.contains("/search?near=CV2&amp;age=15&amp;sex=M&amp;urgency=planned&amp;page=2"),
        "paging keeps the search"
    );

    // Every answer on the form changes what is found, as it changes the API's answer.
    let variants = [
        "near=B1&age=15&sex=M&urgency=planned",
        "near=CV2&age=8&sex=M&urgency=planned",
        "near=CV2&age=15&sex=F&urgency=planned",
        "near=CV2&age=15&sex=M&urgency=same_day",
    ];
    for other in variants {
        let api_other = api_homes(s, other).await;
        assert_ne!(api_other, api, "{other} finds something else through the API");
        let (status, _, html) = get(s, &format!("/search?{other}"), Some(&cookie)).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert_eq!(rows(&html), api_other[..api_other.len().min(20)].to_vec(), "{other}: the page follows");
    }
}

async fn bad_search(s: &Server) {
    let (cookie, _) = signed_in(s, Role::PlacementOfficer, s.facts.coventry).await;
    let (status, _, html) = get(s, "/search?near=ZZ99&age=19&sex=M", Some(&cookie)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("govuk-error-summary"), "{html}");
    assert!(html.contains(r##"href="#near""##) && html.contains(r##"href="#age""##), "each error links to its field");
    assert!(html.contains("value=\"ZZ99\""), "what was typed is kept");
    let (status, _, html) = get(s, "/search?near=CV2&age=ten", Some(&cookie)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(html.contains("Enter the child&#x27;s age") || html.contains("Enter the child's age"), "{html}");
    assert!(html.contains("Select the child&#x27;s sex") || html.contains("Select the child's sex"), "{html}");
    // A provider does not search the market for children: the page refuses in words.
    let (cookie, _) = signed_in(s, Role::ProviderStaff, s.facts.provider_p).await;
    let (status, _, html) = get(s, "/search?near=CV2&age=15&sex=M", Some(&cookie)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
}
