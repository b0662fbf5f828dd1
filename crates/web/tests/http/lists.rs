//! The lists as pages (issue 17): referrals filtered, searched and paged by the database with the
//! counts a person reads ("Showing 1 to 25 of 1,234 referrals"), a provider's "waiting for our
//! answer", a council's children found by reference, and the front page's next actions, whose
//! numbers are the totals of the lists they link to. Checked against the store's own rows.

use crate::TestFn;
use crate::fixture::Server;
use crate::pages::{form_sign_in, get};
use hearth_domain::OrganisationId;
use hearth_domain::org::Role;
use hearth_domain::referral::{ReferralStatus, Urgency};
use reqwest::StatusCode;

pub const TESTS: &[(&str, TestFn)] = &[
    ("lists_referral_filters_and_paging_count_what_the_store_holds", |s| Box::pin(filters_and_paging(s))),
    ("lists_search_finds_own_children_only_and_never_for_a_provider", |s| Box::pin(search_scoping(s))),
    ("lists_front_page_next_actions_equal_the_lists_they_link_to", |s| Box::pin(next_actions(s))),
    ("lists_children_found_by_reference_and_the_childs_page", |s| Box::pin(children(s))),
    ("lists_bad_filters_are_refused_in_words", |s| Box::pin(bad_filters(s))),
];

async fn signed_in(s: &Server, role: Role, org: OrganisationId) -> String {
    form_sign_in(s, s.facts.logins[&(role, org)].1.as_str(), "/").await.0
}

/// The total the list's count line states: "Showing 1 to 25 of 1,234 referrals" → 1234; "No … match" → 0.
fn total(html: &str) -> u64 {
    let line = html.split(r#"id="list-count">"#).nth(1).and_then(|r| r.split('<').next()).expect("the count line");
    if line.starts_with("No ") {
        return 0;
    }
    let n = line.split(" of ").nth(1).and_then(|r| r.split(' ').next()).expect("a total");
    n.replace(',', "").parse().expect("a number")
}

async fn page(s: &Server, cookie: &str, path: &str) -> String {
    let (status, _, html) = get(s, path, Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{path}: {html}");
    html
}

async fn filters_and_paging(s: &Server) {
    let f = &s.facts;
    let cookie = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let all = s.store.referrals_of(331, 0).await.expect("referrals");
    assert!(all.len() > 100, "the demo has pages of Coventry referrals");
    let html = page(s, &cookie, "/referrals").await;
    assert_eq!(total(&html), all.len() as u64);
    assert!(html.contains("Showing 1 to 25 of"), "{html}");
    assert!(html.contains(r#"class="govuk-pagination""#) && html.contains(r#"aria-current="page""#));
    let second = page(s, &cookie, "/referrals?page=2").await;
    assert!(second.contains("Showing 26 to 50 of"), "{second}");
    for status in ReferralStatus::ALL {
        let want = all.iter().filter(|r| r.status == *status).count() as u64;
        let html = page(s, &cookie, &format!("/referrals?status={}", status.code())).await;
        assert_eq!(total(&html), want, "status {}", status.code());
        if want > 0 {
            // Every row shown has that status (the tag's words).
            let tags = html.matches("govuk-tag govuk-tag--").count();
            let right = html.matches(&format!(">{}</strong>", status.label())).count();
            assert_eq!(tags, right, "status {}", status.code());
        }
    }
    for urgency in Urgency::ALL {
        let want = all.iter().filter(|r| r.urgency == *urgency && r.status == ReferralStatus::Placed).count() as u64;
        let path = format!("/referrals?status=placed&urgency={}", urgency.code());
        assert_eq!(total(&page(s, &cookie, &path).await), want, "urgency {}", urgency.code());
    }
    // Live referrals come first, and a live one out with providers shows its deadline in UK time.
    let live = all.iter().filter(|r| r.status.is_live()).count();
    if live > 0 {
        let body = html.split("<tbody").nth(1).expect("rows");
        let first_row = body.split("</tr>").next().expect("a row");
        assert!(first_row.contains("govuk-tag--blue"), "a live referral first");
    }
    // Children's references instead of bare ids: the first child of the first referral shown.
    let body = html.split("<tbody").nth(1).expect("rows");
    let shown = body.split(r#"href="/referrals/"#).nth(1).and_then(|r| r.split('"').next()).expect("a referral");
    let shown = all.iter().find(|r| r.id.0.to_string() == shown).expect("listed");
    let child = s.store.child_unaudited(shown.children[0]).await.expect("child");
    assert!(html.contains(child.reference.as_str()), "the child's reference is in the list");
}

async fn search_scoping(s: &Server) {
    let f = &s.facts;
    let officer = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let all = s.store.referrals_of(331, 0).await.expect("referrals");
    // A Coventry child with a referral: found by their reference, in any case.
    let with_child = &all[0];
    let child = s.store.child_unaudited(with_child.children[0]).await.expect("child");
    let reference = child.reference.as_str().to_owned();
    let want = all.iter().filter(|r| r.children.contains(&child.id)).count() as u64;
    let html = page(s, &officer, &format!("/referrals?q={}", reference.to_lowercase())).await;
    assert_eq!(total(&html), want);
    // By the referral's number.
    let html = page(s, &officer, &format!("/referrals?q={}", with_child.id)).await;
    assert_eq!(total(&html), 1);
    // Another council's referral is never found, by number or by its child's reference.
    let foreign = f.birmingham_referral_not_sent_to_p;
    assert_eq!(total(&page(s, &officer, &format!("/referrals?q={foreign}")).await), 0);
    let foreign_child = s.store.child_unaudited(f.birmingham_child).await.expect("child");
    let foreign_ref = foreign_child.reference.as_str();
    let own_same_ref = s
        .store
        .children_of(331)
        .await
        .expect("children")
        .iter()
        .any(|c| c.reference.as_str().eq_ignore_ascii_case(foreign_ref));
    let html = page(s, &officer, &format!("/children?q={foreign_ref}")).await;
    assert!(!html.contains(&format!("/children/{}\"", f.birmingham_child)));
    if !own_same_ref {
        assert_eq!(total(&html), 0);
    }
    let (status, _, _) = get(s, &format!("/children/{}", f.birmingham_child), Some(&officer)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A provider finds a referral sent to it by number, never by a child's reference, and never
    // sees a child's reference in its list.
    let provider = signed_in(s, Role::ProviderStaff, f.provider_p).await;
    let sent = s.store.referral_unaudited(f.coventry_referral_sent_to_p).await.expect("referral");
    let sent_child = s.store.child_unaudited(sent.children[0]).await.expect("child");
    let html = page(s, &provider, &format!("/referrals?view=all&q={}", sent.id)).await;
    assert_eq!(total(&html), 1);
    assert!(!html.contains(&format!(">{}<", sent_child.reference.as_str())), "no child's reference for a provider");
    let html = page(s, &provider, &format!("/referrals?view=all&q={}", sent_child.reference.as_str())).await;
    assert_eq!(total(&html), 0);
    let html = page(s, &provider, &format!("/referrals?view=all&q={foreign}")).await;
    assert_eq!(total(&html), 0);
    let (status, _, _) = get(s, "/children", Some(&provider)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The provider's whole list is what was sent to it.
    let sent_to_p = s.store.referrals_sent_to(f.provider_p, 0).await.expect("sent");
    assert_eq!(total(&page(s, &provider, "/referrals?view=all").await), sent_to_p.len() as u64);
}

/// The number at the start of the next action linking to `href`, if it is shown.
fn action(html: &str, href: &str) -> Option<u64> {
    let after = html.split(&format!(r#"href="{href}">"#)).nth(1)?;
    after.split(' ').next()?.parse().ok()
}

async fn next_actions(s: &Server) {
    let f = &s.facts;
    let officer = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let front = page(s, &officer, "/").await;
    let mut shown = 0;
    for status in ["offers", "open", "draft"] {
        let href = format!("/referrals?status={status}");
        let listed = total(&page(s, &officer, &href).await);
        match action(&front, &href) {
            Some(n) => {
                assert_eq!(n, listed, "{href}");
                shown += 1;
            }
            None => assert_eq!(listed, 0, "{href} has referrals but no next action"),
        }
    }
    assert!(shown > 0, "the demo's Coventry has something to do: {front}");

    let provider = signed_in(s, Role::ProviderStaff, f.provider_p).await;
    let front = page(s, &provider, "/").await;
    let waiting = page(s, &provider, "/referrals").await;
    assert!(waiting.contains("<strong>Waiting for our answer</strong>"), "the default view");
    let listed = total(&waiting);
    assert_eq!(action(&front, "/referrals?view=waiting").unwrap_or(0), listed);
    // Waiting ones are live and a subset of everything sent.
    assert!(listed <= total(&page(s, &provider, "/referrals?view=all").await));
    assert!(!waiting.contains("govuk-tag--grey"), "only live referrals wait for an answer");

    // A role without lists has no next actions.
    let commissioner = signed_in(s, Role::Commissioner, f.coventry).await;
    assert!(!page(s, &commissioner, "/").await.contains("next-actions"));
}

async fn children(s: &Server) {
    let f = &s.facts;
    let officer = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let own = s.store.children_of(331).await.expect("children");
    let html = page(s, &officer, "/children").await;
    assert_eq!(total(&html), own.len() as u64);
    let child = own.iter().find(|c| c.id == f.coventry_child).expect("the child");
    let reference = child.reference.as_str();
    // By the start of the reference, in any case.
    let prefix = &reference[..reference.len().min(3)];
    let want = own.iter().filter(|c| c.reference.as_str().to_uppercase().starts_with(&prefix.to_uppercase())).count();
    let html = page(s, &officer, &format!("/children?q={}", prefix.to_lowercase())).await;
    assert_eq!(total(&html), want as u64);
    let html = page(s, &officer, &format!("/children?q={reference}")).await;
    assert!(html.contains(&format!(r#"href="/children/{}""#, child.id)), "{html}");
    // The child's page: referrals, placements and a new referral for them, the form filled in.
    let html = page(s, &officer, &format!("/children/{}", child.id)).await;
    assert!(html.contains(&format!("Child {reference}")));
    assert!(html.contains(&format!(r#"href="/referrals/new?child={reference}""#)));
    let placements = s.store.placements_of_child(child.id).await.expect("placements");
    for p in &placements {
        assert!(html.contains(&format!(r#"href="/placements/{}""#, p.id)));
    }
    let referrals = s.store.referrals_of(331, 0).await.expect("referrals");
    for r in referrals.iter().filter(|r| r.children.contains(&child.id)).take(50) {
        assert!(html.contains(&format!(r#"href="/referrals/{}""#, r.id)));
    }
    let form = page(s, &officer, &format!("/referrals/new?child={reference}")).await;
    assert!(form.contains(&format!(r#"value="{reference}""#)), "the reference is filled in");
    // The README's "First steps" names this child (the region the tests use: seed 2026, as at
    // 25 November 2026): the first on the page, and the new-referral form takes their reference.
    let first = page(s, &officer, "/children").await;
    let first_row = first.split("<tbody").nth(1).and_then(|b| b.split("</tr>").next()).expect("a row");
    assert!(first_row.contains(">3310002317</a>"), "{first_row}");
    let csrf = crate::pages::hidden(&first, "csrf_token");
    let (status, _, html) = crate::pages::post(
        s,
        "/referrals/new",
        Some(&officer),
        &[("csrf_token", &csrf), ("child", "3310002317"), ("step", "child")],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(!html.contains("govuk-error-summary"), "{html}");
    // Who may not.
    let commissioner = signed_in(s, Role::Commissioner, f.coventry).await;
    let (status, _, _) = get(s, "/children", Some(&commissioner)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn bad_filters(s: &Server) {
    let f = &s.facts;
    let officer = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let long = "A".repeat(41);
    for (path, field) in [
        ("/referrals?status=bogus".to_owned(), "status"),
        ("/referrals?urgency=soon".to_owned(), "urgency"),
        ("/referrals?q=a%00b".to_owned(), "q"),
        (format!("/referrals?q={long}"), "q"),
        ("/referrals?page=0".to_owned(), "page"),
        ("/referrals?page=99999999".to_owned(), "page"),
        ("/children?q=a%00b".to_owned(), "q"),
        ("/children?q=AB-12".to_owned(), "q"),
    ] {
        let (status, _, html) = get(s, &path, Some(&officer)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(
            html.contains("govuk-error-summary") && html.contains(&format!(r##"href="#{field}""##)),
            "{path}: {html}"
        );
    }
}
