//! The journeys: each starts signed out at the page a person would bookmark.

use crate::fixture::{As, Server};
use crate::{Browser, Journey};
use hearth_domain::HomeId;
use hearth_domain::org::Role;

pub const JOURNEYS: &[(&str, Journey)] = &[
    ("provider_updates_a_vacancy", |b, s| Box::pin(provider_updates_a_vacancy(b, s))),
    ("provider_manager_adds_a_home_on_a_phone", |b, s| Box::pin(provider_manager_adds_a_home(b, s))),
    ("administrator_adds_a_user", |b, s| Box::pin(administrator_adds_a_user(b, s))),
    ("officer_creates_a_same_day_referral_and_sees_its_matches", |b, s| Box::pin(officer_same_day_referral(b, s))),
    ("a_referral_is_sent_offered_accepted_and_signed", |b, s| Box::pin(sent_offered_accepted_signed(b, s))),
    ("commissioners_read_the_intelligence_page", |b, s| Box::pin(commissioners_read_intelligence(b, s))),
    ("on_a_phone_the_menu_folds_and_the_back_chevron_has_room", |b, s| Box::pin(phone_menu_and_back_link(b, s))),
    ("officer_finds_a_child_and_works_from_the_lists", |b, s| Box::pin(officer_finds_a_child(b, s))),
    ("a_provider_asks_to_join_on_a_phone_is_approved_and_adds_its_first_home", |b, s| Box::pin(provider_joins(b, s))),
];

/// Whether the element `css` is laid out (not hidden).
async fn shown(b: &Browser, css: &str) -> bool {
    let script = "const e = document.querySelector(arguments[0]); return !!e && e.getClientRects().length > 0;";
    b.client.execute(script, vec![serde_json::json!(css)]).await.expect("script").as_bool().unwrap_or(false)
}

/// At 390 px the service navigation folds behind its Menu button, which opens it; a refused page
/// keeps the navigation; a back link's chevron ends before its word begins.
async fn phone_menu_and_back_link(b: &Browser, s: &Server) {
    b.client.set_window_size(390, 844).await.expect("phone size");
    b.visit("/referrals").await;
    b.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    b.wait_for_heading("Your council's referrals").await;
    assert!(!shown(b, "#navigation").await, "the links are folded away on a phone");
    assert!(shown(b, ".govuk-service-navigation__toggle").await, "behind a Menu button");
    b.check("phone-menu-closed").await;
    b.click("Menu").await;
    assert!(shown(b, "#navigation").await, "the Menu button opens the links");
    b.check("phone-menu-open").await;
    // A page the role may not use: the navigation stays, with a way back.
    b.visit("/admin/users").await;
    b.wait_for_heading("Forbidden").await;
    b.wait_for(".govuk-service-navigation__toggle").await;
    b.wait_for("#way-back").await;
    b.check("forbidden").await;
    // The new referral's second question has a back button: its chevron must not touch the word.
    let child = s.store.child_unaudited(s.facts.coventry_child).await.expect("child");
    b.visit("/referrals/new").await;
    b.wait_for_heading("What is the child's reference?").await;
    b.fill("child", child.reference.as_str()).await;
    b.click("Continue").await;
    b.wait_for(".govuk-back-link").await;
    let script = r#"
        const e = document.querySelector('.govuk-back-link');
        const before = getComputedStyle(e, '::before');
        const box = e.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(e);
        const text = range.getBoundingClientRect();
        // The chevron is a square turned 45 degrees: its corners reach out by half its diagonal.
        const side = parseFloat(before.width);
        const centre = box.left + parseFloat(before.left) + side / 2;
        return [centre + side * Math.SQRT2 / 2, text.left];
    "#;
    let got = b.client.execute(script, vec![]).await.expect("script");
    let (chevron_right, text_left) = (got[0].as_f64().expect("chevron"), got[1].as_f64().expect("text"));
    assert!(chevron_right <= text_left, "the chevron ({chevron_right}) overlaps the text ({text_left})");
    b.check("back-link").await;
}

async fn commissioners_read_intelligence(b: &Browser, s: &Server) {
    b.visit("/intel").await;
    b.sign_in(s.facts.email(Role::Commissioner, s.facts.coventry)).await;
    b.wait_for_heading("Intelligence: Coventry").await;
    b.wait_for("figure svg[role=img]").await;
    b.wait_for("#table-placement_type").await;
    b.check("intel-coventry").await;
    // One section at a time: the second tab shows its own section.
    b.wait_for(".govuk-tabs__list-item:nth-child(2) a").await.click().await.expect("the second tab");
    b.wait_for(".govuk-tabs__list-item--selected:nth-child(2)").await;
    b.check("intel-coventry-second-section").await;
    // On a phone: every section in order, readable and accessible.
    b.client.set_window_size(390, 844).await.expect("phone size");
    b.visit("/intel").await;
    b.wait_for_heading("Intelligence: Coventry").await;
    b.check("intel-coventry-phone").await;
    b.client.set_window_size(1280, 800).await.expect("desktop size");
    b.visit("/intel").await;
    b.wait_for_heading("Intelligence: Coventry").await;
    // A date before the records: the error summary, the date kept, no figures.
    b.fill("as_at-year", "2019").await;
    b.click("Show the figures").await;
    b.wait_for(".govuk-error-summary a[href='#as_at']").await;
    b.check("intel-error").await;
    sign_out(b).await;
    b.visit("/intel").await;
    b.sign_in(s.facts.email(Role::RegionalCommissioner, s.facts.hub)).await;
    b.wait_for_heading("Intelligence: West Midlands region").await;
    b.check("intel-region").await;
}

async fn provider_updates_a_vacancy(b: &Browser, s: &Server) {
    let (vacancy, _) = s.facts.p_vacancy;
    b.visit("/homes").await;
    b.sign_in(s.facts.email(Role::ProviderStaff, s.facts.provider_p)).await;
    b.wait_for_heading("Our homes").await;
    assert_eq!(b.path().await, "/homes", "sign-in returns to the page asked for");
    b.check("our-homes").await;
    // The provider's many homes come ten to a page: the home is found by its name.
    let home = s.store.vacancy(vacancy).await.expect("vacancy").home;
    let name = s.store.home(home).await.expect("home").name;
    b.fill("find", &name).await;
    b.click("Find").await;
    b.wait_for(&format!("#vacancy-{vacancy}")).await;
    assert!(b.path().await.starts_with("/homes?find="), "{}", b.path().await);
    let row = format!("#vacancy-{vacancy}");
    // Its form is folded under the vacancy's summary until asked for.
    b.wait_for(&format!("{row} details summary")).await.click().await.expect("opening the vacancy's form");
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
    assert!(b.path().await.starts_with("/homes?find="), "htmx saved it without leaving the page");
    let stored = s.store.vacancy(vacancy).await.expect("vacancy");
    assert_eq!(stored.places, 1);
    b.check("our-homes-saved").await;
    // The same page on a phone.
    b.client.set_window_size(390, 844).await.expect("phone size");
    b.visit("/homes").await;
    b.wait_for_heading("Our homes").await;
    b.check("our-homes-phone").await;
}

/// Issue 16: a provider's manager adds a home on a phone, the error summary first.
async fn provider_manager_adds_a_home(b: &Browser, s: &Server) {
    let children = s.store.children_of(331).await.expect("children");
    let postcode = children
        .iter()
        .filter_map(|c| c.home_postcode.as_ref())
        .map(|p| p.as_str().to_owned())
        .find(|p| p.starts_with("CV2 "))
        .expect("a CV2 postcode");
    b.client.set_window_size(390, 844).await.expect("phone size");
    b.visit("/homes/new").await;
    b.sign_in(s.facts.email(Role::ProviderManager, s.facts.provider_p)).await;
    b.wait_for_heading("Add a home").await;
    b.check("add-home-phone").await;
    b.click("Add home").await;
    b.wait_for(".govuk-error-summary a[href='#places']").await;
    b.check("add-home-errors-phone").await;
    b.select("kind", "foster_agency").await;
    b.fill("name", "Willow household").await;
    b.fill("postcode", &postcode).await;
    b.fill("places", "2").await;
    b.fill("age_min", "5").await;
    b.fill("age_max", "17").await;
    b.choose("skills").await;
    b.choose("emergency").await;
    b.fill("accessibility", "Level access throughout.").await;
    b.fill("weekly_price", "925").await;
    b.click("Add home").await;
    b.wait_for_banner("was added").await;
    assert!(b.path().await.starts_with("/homes?added="), "back on Our homes");
    b.check("add-home-added-phone").await;
    let homes = s.store.homes().await.expect("homes");
    let added = homes.iter().find(|h| h.name == "Willow household").expect("the home was added");
    assert_eq!((added.provider, added.places, added.ages.min), (s.facts.provider_p, 2, 5));
    assert_eq!(added.district.as_str(), "CV2");
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
    b.client.set_window_size(390, 844).await.expect("phone size");
    b.check("users-added-phone").await;
    b.client.set_window_size(1280, 800).await.expect("desktop size");
    // Her page, with the unlock button an administrator uses after failed sign-ins.
    b.click("Ada Lovelace").await;
    b.wait_for_heading("Ada Lovelace").await;
    b.check("user").await;
    b.click("Unlock sign-in for Ada Lovelace").await;
    b.wait_for_heading("Users").await;
    let notice = b.wait_for(".govuk-notification-banner").await.text().await.expect("text");
    assert!(notice.contains("Ada Lovelace can sign in again"), "{notice}");
}

async fn officer_same_day_referral(b: &Browser, s: &Server) {
    create_same_day_referral(b, s).await;
    b.click("See matching homes").await;
    b.wait_for_heading("Matching homes").await;
    b.wait_for(".govuk-summary-card, main p").await;
    b.check("matches").await;
}

/// Signs in as a placement officer from the referrals list and creates a same-day referral through
/// the multi-step form, checking each page; ends on the new referral's page and returns its id.
async fn create_same_day_referral(b: &Browser, s: &Server) -> i64 {
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
    b.wait_for_heading("Are brothers or sisters to be placed at the same time?").await;
    b.check("new-referral-siblings").await;
    b.click("Continue").await;
    // No brothers or sisters: "must they live together" is not asked.
    b.wait_for_heading("How soon does the child need a home?").await;
    b.check("new-referral-urgency").await;
    b.choose("urgency").await; // same day, the first
    b.click("Continue").await;
    // Same day: no date to ask for.
    b.wait_for_heading("What kind of home would suit the child?").await;
    b.check("new-referral-placement-type").await;
    b.choose("foster_suitability").await; // foster care preferred, the first
    b.click("Continue").await;
    b.wait_for_heading("What are the child's needs and risks?").await;
    b.check("new-referral-needs").await;
    b.choose("needs").await;
    b.click("Continue").await;
    b.wait_for_heading("Which needs must the home be able to meet?").await;
    b.check("new-referral-must-meet").await;
    b.click("Continue").await;
    // The pages with nothing to add for this child: each is seen, checked and passed.
    for (heading, name) in [
        ("What other risks should the home know about?", "new-referral-risks"),
        ("What does the child need for their health or a disability?", "new-referral-health"),
        ("Where does the child go to school?", "new-referral-school"),
        ("Where should the home be?", "new-referral-district"),
        ("Are there areas the child must not live in or near?", "new-referral-avoid"),
        ("What is the most the council will pay a week?", "new-referral-price"),
        ("Who can the child live with?", "new-referral-living"),
        ("What are the child's communication and cultural needs?", "new-referral-communication"),
        ("What extra support or orders apply?", "new-referral-support"),
        ("What does the child want?", "new-referral-wishes"),
    ] {
        b.wait_for_heading(heading).await;
        b.check(name).await;
        b.click("Continue").await;
    }
    b.wait_for_heading("What is going well for the child?").await;
    b.check("new-referral-strengths").await;
    b.fill("strengths", "Loves football; close to her gran.").await;
    // The same page on a phone: the form is readable and its button within reach.
    b.client.set_window_size(390, 844).await.expect("phone size");
    b.check("new-referral-strengths-phone").await;
    b.click("Continue").await;
    b.wait_for_heading("Check your answers").await;
    let answers = b.wait_for(".govuk-summary-list").await.text().await.expect("answers");
    assert!(answers.contains(child.reference.as_str()) && answers.contains("Same day"), "{answers}");
    b.check("new-referral-check-phone").await;
    b.client.set_window_size(1280, 800).await.expect("desktop size");
    b.check("new-referral-check").await;
    // A child already on a referral still going (an earlier journey's) is a second one: the page
    // names it and asks, and the officer confirms.
    let going = s.store.referrals_of_child(child.id).await.expect("referrals").iter().any(|(_, st)| !st.is_closed());
    if going {
        b.choose("second").await;
    }
    b.click("Create referral").await;
    b.wait_for_heading("Referral").await;
    b.wait_for(".govuk-notification-banner").await;
    b.check("referral").await;
    let path = b.path().await;
    path.trim_start_matches("/referrals/").split('?').next().and_then(|id| id.parse().ok()).expect("the referral's id")
}

/// A fitting home of a provider with a demo member of staff, best ranked first, as the officer's
/// matches list it.
async fn fitting_home_with_staff(s: &Server, id: i64) -> (i64, String) {
    let officer = s.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    let (_, m) = s.get(&format!("/api/v1/referrals/{id}/matches?limit=200"), As::Browser(&officer)).await;
    for home in m["matches"].as_array().expect("matches").iter().filter_map(|h| h["home"].as_i64()) {
        let provider = s.store.home(HomeId(home)).await.expect("home").provider;
        if let Some((_, email)) = s.facts.logins.get(&(Role::ProviderStaff, provider)) {
            return (home, email.clone());
        }
    }
    panic!("no fitting home of a provider with staff in the demo region");
}

async fn sign_out(b: &Browser) {
    b.click("Sign out").await;
    b.wait_for_heading("Sign in").await;
}

async fn sent_offered_accepted_signed(b: &Browser, s: &Server) {
    let id = create_same_day_referral(b, s).await;
    // Send it to every provider with a fitting home.
    b.click("Send to providers").await;
    b.wait_for_heading("Send referral").await;
    b.check("send").await;
    b.choose("mode-all_fitting").await;
    b.click("Send referral").await;
    b.wait_for_heading(&format!("Referral {id}")).await;
    b.wait_for_banner("was sent").await;
    b.check("referral-sent").await;
    sign_out(b).await;

    // A provider of one of the matching homes offers it, with the form filled from the home.
    let (_, provider) = fitting_home_with_staff(s, id).await;
    b.visit(&format!("/referrals/{id}")).await;
    b.sign_in(&provider).await;
    b.wait_for_heading(&format!("Referral {id}")).await;
    b.check("referral-minimised").await;
    b.click("Respond").await;
    b.wait_for_heading("Respond to referral").await;
    b.check("respond").await;
    // The picker lists only homes that can meet the referral, best first: the first is chosen.
    b.choose("home").await;
    b.click("Use this home").await;
    let price = b.wait_for("#weekly_price").await.prop("value").await.expect("value").unwrap_or_default();
    assert!(price.parse::<u32>().is_ok_and(|p| p > 0), "the price is filled in: {price:?}");
    b.fill("includes", "Education on site and weekly therapy").await;
    b.check("respond-offer").await;
    b.click("Send offer").await;
    b.wait_for_heading("Our answers to referral").await;
    b.check("our-offers").await;
    b.client.set_window_size(1280, 800).await.expect("desktop size");
    b.click("Our offers").await;
    b.wait_for_heading("Our offers").await;
    b.wait_for(&format!("a[href='/referrals/{id}']")).await;
    b.check("own-offers").await;
    let tall = crate::screens::page_height(&b.client).await;
    assert!(tall <= 6.0, "our offers is {tall:.1} screens tall");
    sign_out(b).await;

    // The officer compares the offers, accepts, and signs the agreement.
    b.visit(&format!("/referrals/{id}/offers")).await;
    b.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    b.wait_for_heading("Offers on referral").await;
    b.wait_for(".govuk-summary-card").await;
    b.check("offers").await;
    b.client.set_window_size(390, 844).await.expect("phone size");
    b.check("offers-phone").await;
    b.client.set_window_size(1280, 800).await.expect("desktop size");
    b.click("Accept").await;
    b.wait_for_heading("Accept").await;
    b.wait_for(".govuk-warning-text").await;
    b.check("accept").await;
    b.click("Accept and place the child").await;
    b.wait_for_heading("Placement agreement").await;
    b.wait_for(".hearth-agreement").await;
    b.check("agreement").await;
    b.click("Sign for the council").await;
    b.wait_for_banner("You signed the agreement").await;
    b.check("agreement-signed").await;
    // The officer's other new pages: placements (the first is the one just made, with its end and
    // move forms) and notices.
    b.visit("/placements").await;
    b.wait_for_heading("Your council's placements").await;
    b.check("placements").await;
    b.click("Placement ").await;
    b.wait_for_heading("Placement").await;
    b.wait_for("#reason_ceased").await;
    b.check("placement").await;
    b.visit("/notices").await;
    b.wait_for_heading("Notices").await;
    b.check("notices").await;
    let placed = s.store.referral_unaudited(hearth_domain::ReferralId(id)).await.expect("referral");
    assert_eq!(placed.status, hearth_domain::referral::ReferralStatus::Placed);
}

async fn officer_finds_a_child(b: &Browser, s: &Server) {
    let child = s.store.child_unaudited(s.facts.coventry_child).await.expect("child");
    let reference = child.reference.as_str();
    b.client.set_window_size(1280, 800).await.expect("desktop size");
    b.visit("/referrals").await;
    b.sign_in(s.facts.email(Role::PlacementOfficer, s.facts.coventry)).await;
    b.wait_for_heading("Your council's referrals").await;
    b.visit("/").await;
    b.wait_for("#next-actions").await;
    b.check("front-next-actions").await;
    b.visit("/referrals").await;
    b.wait_for_heading("Your council's referrals").await;
    b.wait_for(".govuk-pagination").await;
    b.check("referrals-paged").await;
    let tall = crate::screens::page_height(&b.client).await;
    assert!(tall <= 6.0, "the referrals list is {tall:.1} screens tall");
    b.select("status", "placed").await;
    b.click("Filter").await;
    // The filtered page, not the one the click left: its select says what it was filtered by.
    b.wait_for("#status option[value='placed'][selected]").await;
    assert!(b.path().await.contains("status=placed"));
    // The placements at the demo's volume: a page of them, filtered by status.
    b.visit("/placements").await;
    b.wait_for_heading("Your council's placements").await;
    b.wait_for(".govuk-pagination").await;
    b.check("placements-paged").await;
    let tall = crate::screens::page_height(&b.client).await;
    assert!(tall <= 6.0, "the placements list is {tall:.1} screens tall");
    b.select("status", "ended").await;
    b.click("Filter").await;
    b.wait_for("#list-count").await;
    assert!(b.path().await.contains("status=ended"));
    b.visit("/children").await;
    b.wait_for_heading("Find a child").await;
    b.fill("q", reference).await;
    // The form's own button: the navigation's "Find a home" also starts with "Find".
    b.wait_for("form.hearth-search button[type=submit]").await.click().await.expect("clicking Find");
    b.wait_for(&format!("a[href='/children/{}']", child.id)).await;
    b.check("children-found").await;
    b.click(reference).await;
    b.wait_for_heading(&format!("Child {reference}")).await;
    b.check("child").await;
    let tall = crate::screens::page_height(&b.client).await;
    assert!(tall <= 6.0, "the child's page is {tall:.1} screens tall");
    b.click("New referral for this child").await;
    b.wait_for_heading("What is the child's reference?").await;
    let kept = b.wait_for("#child").await.prop("value").await.expect("value");
    assert_eq!(kept.as_deref(), Some(reference));
    // What is free near CV2 for a 14-year-old girl tonight: the form, then the results below it.
    b.visit("/search").await;
    b.wait_for_heading("Find a home").await;
    b.fill("near", "CV2").await;
    b.fill("age", "14").await;
    b.choose("sex").await;
    b.click("Search").await;
    b.wait_for("#results").await;
    b.check("search").await;
    let tall = crate::screens::page_height(&b.client).await;
    assert!(tall <= 6.0, "the search page is {tall:.1} screens tall");
    let first = crate::screens::bottom_of(&b.client, "#matches tbody tr").await;
    assert!(first <= 2.0, "the first home found is {first:.1} screens down");
    b.client.set_window_size(390, 844).await.expect("phone size");
    b.visit("/referrals").await;
    b.wait_for_heading("Your council's referrals").await;
    b.check("referrals-phone").await;
    b.visit("/children").await;
    b.wait_for_heading("Find a child").await;
    b.check("children-phone").await;
    b.visit("/search?near=CV2&age=14&sex=F&urgency=same_day").await;
    b.wait_for("#results").await;
    b.check("search-phone").await;
}

/// Issue 16: a provider asks to join on a phone; the hub's administrator approves it at a desk and puts
/// it on the framework; the manager sets a password from the e-mailed link, signs in on the phone and
/// adds the organisation's first home.
async fn provider_joins(b: &Browser, s: &Server) {
    let email = "morgan@brookside-care.example";
    let password = "heron willow teapot";
    b.client.set_window_size(390, 844).await.expect("phone size");
    b.visit("/").await;
    b.click("ask to join").await;
    b.wait_for_heading("Ask to join Hearth").await;
    b.check("join-phone").await;
    b.click("Ask to join").await;
    b.wait_for(".govuk-error-summary a[href='#company_number']").await;
    b.check("join-errors-phone").await;
    b.fill("organisation_name", "Brookside Care").await;
    b.fill("company_number", "12-34-56-78").await;
    b.fill("contact_name", "Morgan Hale").await;
    b.fill("contact_email", email).await;
    b.click("Ask to join").await;
    // The number in the wrong shape is named, and what was typed is kept.
    b.wait_for(".govuk-error-summary a[href='#company_number']").await;
    let kept = b.wait_for("#organisation_name").await.prop("value").await.expect("value");
    assert_eq!(kept.as_deref(), Some("Brookside Care"));
    b.fill("company_number", "SC123456").await;
    b.fill("urn", "SC765432").await;
    b.choose("councils").await;
    b.choose("framework").await;
    b.click("Ask to join").await;
    b.wait_for_heading("Request received").await;
    b.check("join-received-phone").await;

    // The hub's administrator approves it, at a desk, and puts it on the framework.
    b.client.set_window_size(1280, 900).await.expect("desktop size");
    b.visit("/applications").await;
    b.sign_in(s.facts.email(Role::Administrator, s.facts.hub)).await;
    b.wait_for_heading("Applications to join").await;
    b.check("applications").await;
    b.click("Brookside Care").await;
    b.wait_for_heading("Brookside Care").await;
    b.check("application").await;
    b.click("Approve Brookside Care").await;
    b.wait_for_banner("Approved").await;
    b.check("application-approved").await;
    let provider = s
        .store
        .organisations()
        .await
        .expect("organisations")
        .into_iter()
        .find(|o| o.name == "Brookside Care")
        .expect("the organisation was made");
    b.visit("/framework").await;
    b.wait_for_heading("Framework members").await;
    b.check("framework").await;
    b.select("provider", &provider.id.0.to_string()).await;
    b.choose("lots").await; // fostering, every kind
    b.click("Save lots").await;
    b.wait_for_banner("Saved").await;
    let table = b.wait_for("table").await.text().await.expect("table");
    assert!(table.contains("Brookside Care"), "{table}");
    b.check("framework-saved").await;
    sign_out(b).await;

    // The manager's link, as e-mailed (read from the outbox).
    let mail = s.store.outbox(None).await.expect("outbox");
    let body = &mail.iter().rev().find(|m| m.to == email).expect("an invitation").body;
    let at = body.find("/invitations/").expect("a link");
    let link = body[at..at + "/invitations/".len() + 64].to_owned();

    b.client.set_window_size(390, 844).await.expect("phone size");
    b.visit(&link).await;
    b.wait_for_heading("Set your password").await;
    b.check("set-password-phone").await;
    b.fill("password", password).await;
    b.fill("password_again", "not the same").await;
    b.click("Set password").await;
    b.wait_for(".govuk-error-summary a[href='#password_again']").await;
    b.check("set-password-errors-phone").await;
    b.fill("password", password).await;
    b.fill("password_again", password).await;
    b.click("Set password").await;
    b.wait_for_heading("Your password is set").await;
    b.check("password-set-phone").await;
    // The link works once.
    b.visit(&link).await;
    b.wait_for_heading("cannot be used").await;
    let words = b.wait_for("main").await.text().await.expect("text");
    assert!(words.contains("already been used"), "{words}");

    // Signed in with the new password, the manager adds the first home.
    b.visit("/homes/new").await;
    b.wait_for_heading("Sign in").await;
    b.fill("email", email).await;
    b.fill("password", password).await;
    b.click("Sign in").await;
    b.wait_for_heading("Add a home").await;
    let postcode = s
        .store
        .children_of(331)
        .await
        .expect("children")
        .iter()
        .filter_map(|c| c.home_postcode.as_ref().map(|p| p.as_str().to_owned()))
        .find(|p| p.starts_with("CV2 "))
        .expect("a CV2 postcode");
    b.select("kind", "foster_agency").await;
    b.fill("name", "Brookside household").await;
    b.fill("postcode", &postcode).await;
    b.fill("places", "1").await;
    b.fill("age_min", "0").await;
    b.fill("age_max", "17").await;
    b.fill("weekly_price", "890").await;
    b.click("Add home").await;
    b.wait_for_banner("was added").await;
    b.check("first-home-added-phone").await;
    b.visit("/organisation").await;
    b.wait_for_heading("Brookside Care").await;
    let summary = b.wait_for("main").await.text().await.expect("text");
    assert!(summary.contains("SC123456") && summary.contains("1 open"), "{summary}");
    b.check("our-organisation-phone").await;
    let homes = s.store.homes().await.expect("homes");
    let added = homes.iter().find(|h| h.name == "Brookside household").expect("the home was added");
    assert_eq!(added.provider, provider.id);
}
