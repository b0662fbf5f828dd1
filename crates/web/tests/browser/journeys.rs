//! The journeys: each starts signed out at the page a person would bookmark.

use crate::fixture::Server;
use crate::{Browser, Journey};
use hearth_domain::org::Role;

pub const JOURNEYS: &[(&str, Journey)] = &[
    ("provider_updates_a_vacancy", |b, s| Box::pin(provider_updates_a_vacancy(b, s))),
    ("administrator_adds_a_user", |b, s| Box::pin(administrator_adds_a_user(b, s))),
    ("officer_creates_a_same_day_referral_and_sees_its_matches", |b, s| Box::pin(officer_same_day_referral(b, s))),
];

async fn provider_updates_a_vacancy(b: &Browser, s: &Server) {
    let (vacancy, _) = s.facts.p_vacancy;
    b.visit("/homes").await;
    b.sign_in(s.facts.email(Role::ProviderStaff, s.facts.provider_p)).await;
    b.wait_for_heading("Our homes").await;
    assert_eq!(b.path().await, "/homes", "sign-in returns to the page asked for");
    b.check("our-homes").await;
    let row = format!("#vacancy-{vacancy}");
    // A wrong value: htmx swaps the vacancy's block with the error in words and the input kept.
    b.fill(&format!("places-{vacancy}"), "lots").await;
    b.click(&format!("Save for vacancy {vacancy}")).await;
    b.wait_for(&format!("{row} .govuk-error-message")).await;
    let kept = b.wait_for(&format!("#places-{vacancy}")).await.prop("value").await.expect("value");
    assert_eq!(kept.as_deref(), Some("lots"));
    b.check("our-homes-error").await;
    // A right one: saved in place, and the store has it.
    b.fill(&format!("places-{vacancy}"), "1").await;
    b.click(&format!("Save for vacancy {vacancy}")).await;
    b.wait_for(&format!("{row} [role=status]")).await;
    assert_eq!(b.path().await, "/homes", "htmx saved it without leaving the page");
    let stored = s.store.vacancy(vacancy).await.expect("vacancy");
    assert_eq!(stored.places, 1);
    b.check("our-homes-saved").await;
    // The same page on a phone.
    b.client.set_window_size(390, 844).await.expect("phone size");
    b.visit("/homes").await;
    b.wait_for_heading("Our homes").await;
    b.check("our-homes-phone").await;
}

async fn administrator_adds_a_user(b: &Browser, s: &Server) {
    b.visit("/admin/users").await;
    b.sign_in(s.facts.email(Role::Administrator, s.facts.coventry)).await;
    b.wait_for_heading("Users").await;
    b.check("users").await;
    b.click("Add a user").await;
    b.wait_for_heading("Add a user").await;
    b.check("add-user").await;
    // Nothing filled in: the error summary names every field, and links to it.
    b.click("Add user").await;
    b.wait_for(".govuk-error-summary a[href='#role']").await;
    b.check("add-user-errors").await;
    b.fill("display_name", "Ada Lovelace").await;
    b.fill("email", "ada.lovelace@coventry.example").await;
    b.choose("role").await; // the first role: placement officer
    b.fill("password", "correct horse battery staple").await;
    b.click("Add user").await;
    b.wait_for_heading("Users").await;
    let notice = b.wait_for(".govuk-notification-banner").await.text().await.expect("text");
    assert!(notice.contains("Ada Lovelace was added as placement officer"), "{notice}");
    b.wait_for("a[href^='/admin/users/']").await;
    let table = b.wait_for("table").await.text().await.expect("table");
    assert!(table.contains("ada.lovelace@coventry.example"), "{table}");
    b.check("users-added").await;
}

async fn officer_same_day_referral(b: &Browser, s: &Server) {
    let child = s.store.child_unaudited(s.facts.coventry_child).await.expect("child");
    b.visit("/referrals").await;
    b.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    b.wait_for_heading("Your council's referrals").await;
    b.check("referrals").await;
    b.click("Start a new referral").await;
    b.wait_for_heading("What is the child's reference?").await;
    b.check("new-referral-child").await;
    b.click("Continue").await;
    b.wait_for(".govuk-error-summary a[href='#child']").await;
    b.check("new-referral-child-error").await;
    b.fill("child", child.reference.as_str()).await;
    b.click("Continue").await;
    b.wait_for_heading("How soon does the child need a home?").await;
    b.check("new-referral-urgency").await;
    b.choose("urgency").await; // same day, the first
    b.click("Continue").await;
    // Same day: no date to ask for.
    b.wait_for_heading("What are the child's needs and risks?").await;
    b.check("new-referral-needs").await;
    b.choose("needs").await;
    b.click("Continue").await;
    b.wait_for_heading("Where should the home be?").await;
    b.check("new-referral-district").await;
    b.click("Continue").await;
    b.wait_for_heading("What is going well for the child?").await;
    b.check("new-referral-strengths").await;
    b.fill("strengths", "Loves football; close to her gran.").await;
    b.click("Continue").await;
    b.wait_for_heading("Check your answers").await;
    let answers = b.wait_for(".govuk-summary-list").await.text().await.expect("answers");
    assert!(answers.contains(child.reference.as_str()) && answers.contains("Same day"), "{answers}");
    b.check("new-referral-check").await;
    b.click("Create referral").await;
    b.wait_for_heading("Referral").await;
    b.wait_for(".govuk-notification-banner").await;
    b.check("referral").await;
    b.click("See matching homes").await;
    b.wait_for_heading("Matching homes").await;
    b.wait_for(".govuk-summary-card, main p").await;
    b.check("matches").await;
}
