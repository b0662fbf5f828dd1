//! Issue 17, item 11's smaller things: the header's count of notices clears once they are read; a
//! second referral for a child with an open one is confirmed, not made by accident; the accept page
//! states the child's current placement instead of asking for it.

use crate::TestFn;
use crate::fixture::{As, Server};
use crate::pages::{form_sign_in, get};
use hearth_domain::OrganisationId;
use hearth_domain::org::Role;
use serde_json::Value;

pub const TESTS: &[(&str, TestFn)] =
    &[("pages_notices_reading_them_clears_the_count_for_that_person_and_keeps_them_marked_read", |s| {
        Box::pin(notices_read(s))
    })];

/// The unread count in the header, if it shows one.
fn count(html: &str) -> Option<usize> {
    let after = html.split(r#"class="hearth-count">"#).nth(1)?;
    after.split('<').next()?.trim().parse().ok()
}

/// The notice listed about referral `id`, as the page's list item.
fn notice_about(html: &str, id: i64) -> String {
    html.split("<li>")
        .find(|li| li.contains(&format!(r#"href="/referrals/{id}""#)))
        .unwrap_or_else(|| panic!("no notice about referral {id}: {html}"))
        .to_owned()
}

/// The organisation a referral reached whose name is `name`.
async fn recipient(s: &Server, officer: &crate::fixture::Session, id: i64, name: &str) -> OrganisationId {
    let (_, sendings) = s.get(&format!("/api/v1/referrals/{id}/sendings"), As::Browser(officer)).await;
    sendings
        .as_array()
        .expect("sendings")
        .iter()
        .flat_map(|x| x["recipients"].as_array().cloned().unwrap_or_default())
        .find(|r| r["name"] == name)
        .and_then(|r| r["provider"].as_i64())
        .map(OrganisationId)
        .expect("the provider was sent the referral")
}

async fn notices_read(s: &Server) {
    use crate::marketplace::{offerable, same_day_referral, send, sent_to_all};
    // A referral reaches every fitting provider: each is told, organisation-wide.
    let (officer, first, m) = sent_to_all(s).await;
    let (name, _, _) = offerable(&m, 1).pop().expect("a provider reached");
    let org = recipient(s, &officer, first, &name).await;
    let (staff, _) = form_sign_in(s, s.facts.email(Role::ProviderStaff, org), "/").await;
    let (manager, _) = form_sign_in(s, s.facts.email(Role::ProviderManager, org), "/").await;
    let (_, _, html) = get(s, "/referrals", Some(&staff)).await;
    let before = count(&html).expect("the header counts the unread notices");
    assert!(before >= 1, "{html}");

    // Reading them: each is new to the reader now, and the header on that very page counts none.
    let (_, _, html) = get(s, "/notices", Some(&staff)).await;
    assert!(notice_about(&html, first).contains(">New<"), "{html}");
    assert_eq!(count(&html), None, "read now, so nothing is counted: {html}");
    let (_, _, html) = get(s, "/referrals", Some(&staff)).await;
    assert_eq!(count(&html), None, "the count stays cleared on other pages: {html}");
    // The notice was to the organisation: its other people have not read it.
    let (_, _, html) = get(s, "/referrals", Some(&manager)).await;
    assert!(count(&html).is_some_and(|n| n >= 1), "another person's count is their own: {html}");

    // A new notice is counted on its own; the list keeps the earlier one, marked read.
    let second = same_day_referral(s, &officer).await;
    send(s, &officer, second, serde_json::json!({ "mode": "chosen", "providers": [org.0] })).await;
    let (_, _, html) = get(s, "/referrals", Some(&staff)).await;
    assert_eq!(count(&html), Some(1), "only the new notice is unread: {html}");
    let (_, _, html) = get(s, "/notices", Some(&staff)).await;
    assert!(notice_about(&html, second).contains(">New<"), "{html}");
    let earlier = notice_about(&html, first);
    assert!(earlier.contains(">Read<") && !earlier.contains(">New<"), "{earlier}");

    // The API says which are read; reading through it marks nothing.
    let api = s.sign_in(s.facts.email(Role::ProviderManager, org)).await;
    let (_, listed) = s.get("/api/v1/notices", As::Browser(&api)).await;
    let about = |v: &Value, id: i64| v.as_array().expect("notices").iter().find(|n| n["referral"] == id).cloned();
    assert_eq!(about(&listed, first).expect("listed")["read"], false, "{listed}");
    let (_, _, html) = get(s, "/referrals", Some(&manager)).await;
    assert!(count(&html).is_some_and(|n| n >= 2), "{html}");
    let (_, listed) =
        s.get("/api/v1/notices", As::Browser(&s.sign_in(s.facts.email(Role::ProviderStaff, org)).await)).await;
    assert_eq!(about(&listed, first).expect("listed")["read"], true, "{listed}");
}
