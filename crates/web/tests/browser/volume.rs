//! The pages an officer works through at the demo region's real volume, held to budgets a person
//! feels: on a referral hundreds of homes fit, the matches and send pages stay at most 6 screens
//! tall at 1280 px, and their primary action (the first home; the Send button) is within the first 2
//! screens at 1280 px and on a 390 px phone.

use crate::fixture::{As, Server};
use crate::screens::{bottom_of, page_height};
use crate::{Browser, Journey};
use hearth_domain::org::Role;
use serde_json::json;

pub const JOURNEYS: &[(&str, Journey)] =
    &[("officer_works_the_matches_and_send_pages_at_volume", |b, s| Box::pin(matches_and_send_at_volume(b, s)))];

/// Desktop and phone, as (name, width, height).
const SIZES: [(&str, u32, u32); 2] = [("desktop", 1280, 800), ("phone", 390, 844)];

/// A planned referral that asks little of a home, so that hundreds fit (made through the API).
async fn broad_referral(s: &Server) -> i64 {
    let officer = s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    let body = json!({
        "children": [s.facts.coventry_child.0],
        "siblings_together": false,
        "urgency": "planned",
        "needed_from": "2026-12-21",
        "needs": [],
        "preferred_district": "CV2",
        "details": {
            "strengths": "Loves football and is doing well in maths.",
            "school_district": "CV3",
            "communication_needs": "no",
            "language_support": ["none"],
            "cultural_needs": "not_required",
            "cared_for_alongside": "no_preference",
            "pets": "can",
            "additional_support": "therapeutic_support",
            "deprivation_of_liberty": false,
            "foster_suitability": "suitable_not_preferred",
            "residential_suitability": "suitable_not_preferred",
            "supported_suitability": "suitable_not_preferred"
        }
    });
    let (status, created) = s.call(reqwest::Method::POST, "/api/v1/referrals", As::Browser(&officer), Some(body)).await;
    assert!(status.is_success(), "{status}: {created}");
    created["id"].as_i64().expect("id")
}

/// At each size: the page within 6 screens (at 1280 px), `primary` within the first 2, axe clean,
/// a screenshot.
async fn within_budget(b: &Browser, page: &str, heading: &str, primary: &str) {
    for (size, width, height) in SIZES {
        b.client.set_window_size(width, height).await.expect("window size");
        b.client.refresh().await.expect("reload");
        b.wait_for_heading(heading).await;
        let (tall, at) = (page_height(&b.client).await, bottom_of(&b.client, primary).await);
        eprintln!("{page} at {width} px: {tall:.1} screens tall, {primary} ends at {at:.2} screens");
        if width == 1280 {
            assert!(tall <= 6.0, "{page} is {tall:.1} screens tall at {width} px");
        }
        assert!(at <= 2.0, "{page}: {primary} ends {at:.2} screens down at {width} px");
        b.check(&format!("{page}-{size}")).await;
    }
    b.client.set_window_size(1280, 800).await.expect("window size");
}

async fn matches_and_send_at_volume(b: &Browser, s: &Server) {
    let id = broad_referral(s).await;
    b.visit(&format!("/referrals/{id}/matches")).await;
    b.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    b.wait_for_heading("Matching homes").await;
    let shown = b.wait_for("main p.govuk-body").await.text().await.expect("text");
    assert!(shown.starts_with("Showing 1–20 of "), "{shown}");
    within_budget(b, "matches", "Matching homes", "#matches tbody tr").await;
    // The next page by its link, and a home's reasons opened.
    b.click("Next").await;
    b.wait_for("[aria-current='page'][aria-label='Page 2']").await;
    b.check("matches-page-2").await;
    // Opened, a home's every reason is there to read (the page grows as the person asked).
    b.wait_for("#matches details summary").await.click().await.expect("opening why");
    b.screenshot("matches-page-2-why").await;

    b.visit(&format!("/referrals/{id}/send")).await;
    b.wait_for_heading("Send referral").await;
    within_budget(b, "send", "Send referral", "#send-top").await;
    // Tick the best provider, move to page 2 (the tick goes too), tick one there and send.
    b.choose("mode").await;
    b.choose("providers").await;
    b.click("Next").await;
    b.wait_for("input[name='at_page'][value='2']").await;
    let hint = b.wait_for("#providers-hint").await.text().await.expect("hint");
    assert!(hint.contains("Showing 11–20") && hint.contains("Also ticked on other pages"), "{hint}");
    b.check("send-page-2").await;
    b.choose("providers").await;
    b.click("Send referral").await;
    b.wait_for_heading(&format!("Referral {id}")).await;
    b.wait_for_banner("was sent").await;
    let reached = s.store.recipients_of(hearth_domain::ReferralId(id)).await.expect("recipients");
    assert_eq!(reached.len(), 2, "the provider ticked on page 1 and the one on page 2: {reached:?}");
}
