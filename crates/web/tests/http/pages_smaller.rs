//! Issue 17, item 11's smaller things: the header's count of notices clears once they are read; a
//! second referral for a child with an open one is confirmed, not made by accident; the accept page
//! states the child's current placement instead of asking for it.

use crate::TestFn;
use crate::fixture::{As, Server};
use crate::pages::{form_sign_in, get};
use hearth_domain::OrganisationId;
use hearth_domain::org::Role;
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub const TESTS: &[(&str, TestFn)] = &[
    ("pages_notices_reading_them_clears_the_count_for_that_person_and_keeps_them_marked_read", |s| {
        Box::pin(notices_read(s))
    }),
    ("pages_second_referral_for_a_child_is_warned_linked_and_confirmed", |s| Box::pin(second_referral(s))),
    ("pages_accept_states_the_current_placement_and_asks_only_when_there_is_one", |s| Box::pin(accept_current(s))),
];

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

/// Whether a child's referrals include one not yet closed.
async fn has_unclosed(s: &Server, child: hearth_domain::ChildId) -> bool {
    s.store.referrals_of_child(child).await.expect("referrals").iter().any(|(_, status)| !status.is_closed())
}

/// A same-day referral for `reference` as the check page posts it, with `more` fields.
fn check<'a>(csrf: &'a str, reference: &'a str, more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![("csrf_token", csrf), ("child", reference), ("urgency", "same_day")];
    form.extend_from_slice(more);
    form
}

async fn second_referral(s: &Server) {
    use crate::pages::post;
    let f = &s.facts;
    let (cookie, csrf) = crate::pages::signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let mut free = None;
    for c in s.store.children_of(331).await.expect("children") {
        if !has_unclosed(s, c.id).await {
            free = Some(c);
            break;
        }
    }
    let child = free.expect("a Coventry child with no referral still going");
    let reference = child.reference.as_str().to_owned();

    // No referral going: the check page neither warns nor asks, and creates at once.
    let (status, _, html) =
        post(s, "/referrals/new", Some(&cookie), &check(&csrf, &reference, &[("change", "check")])).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(!html.contains(r#"name="second""#), "nothing to warn about: {html}");
    let (status, headers, html) =
        post(s, "/referrals/new", Some(&cookie), &check(&csrf, &reference, &[("step", "check")])).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let first: i64 = crate::pages::location(&headers)
        .trim_start_matches("/referrals/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("the new referral");

    // Now the child has one: the check page names and links it, and asks.
    let (status, _, html) =
        post(s, "/referrals/new", Some(&cookie), &check(&csrf, &reference, &[("change", "check")])).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(
        html.contains(&format!(r#"<a class="govuk-link" href="/referrals/{first}">referral {first}</a> (draft)"#)),
        "{html}"
    );
    assert!(html.contains(r#"name="second""#), "{html}");
    // "Create referral" without confirming: the error summary leads to the box, nothing is made.
    let before = s.store.referrals_of_child(child.id).await.expect("referrals").len();
    let (status, _, html) =
        post(s, "/referrals/new", Some(&cookie), &check(&csrf, &reference, &[("step", "check")])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(
        html.contains(r##"<a href="#second">"##) && html.contains(&format!("already on referral {first}")),
        "{html}"
    );
    assert_eq!(s.store.referrals_of_child(child.id).await.expect("referrals").len(), before, "nothing made");
    // Confirmed: the second is made.
    let (status, _, html) =
        post(s, "/referrals/new", Some(&cookie), &check(&csrf, &reference, &[("second", "yes"), ("step", "check")]))
            .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(s.store.referrals_of_child(child.id).await.expect("referrals").len(), before + 1);

    // The API takes a second referral without asking: a case system knows what it sends.
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let body = crate::referrals::form(child.id.0, "2026-11-26");
    let (status, made) = s.call(Method::POST, "/api/v1/referrals", As::Browser(&officer), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
}

/// A same-day referral for `child`, sent to every fitting provider, and one provider's offer on it:
/// the referral and the offer.
async fn offered(s: &Server, officer: &crate::fixture::Session, child: hearth_domain::ChildId) -> (i64, i64) {
    use crate::marketplace::{offer, offerable, provider_session, same_day_referral_of, send};
    let id = same_day_referral_of(s, officer, child).await;
    send(s, officer, id, serde_json::json!({ "mode": "all_fitting" })).await;
    let (_, m) = s.get(&format!("/api/v1/referrals/{id}/matches?limit=200"), As::Browser(officer)).await;
    let (name, home, _) = offerable(m["matches"].as_array().expect("matches"), 1).pop().expect("a provider to offer");
    let provider = provider_session(s, officer, id, &name).await;
    let (status, made) = offer(s, &provider, id, serde_json::json!({ "home": home })).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    (id, made["id"].as_i64().expect("offer id"))
}

async fn accept_current(s: &Server) {
    use crate::pages::{location, post};
    let f = &s.facts;
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let (cookie, csrf) = crate::pages::signed_in(s, Role::TeamManager, f.coventry).await;
    // Two of Coventry's children in a placement Hearth holds.
    let mut placed = Vec::new();
    for c in s.store.children_of(331).await.expect("children") {
        let open = s.store.placements_of_child(c.id).await.expect("placements").into_iter().find(|p| p.end.is_none());
        if let Some(p) = open
            && placed.iter().all(|(_, q): &(_, hearth_domain::placement::Placement)| q.id != p.id)
        {
            placed.push((c, p));
        }
        if placed.len() == 2 {
            break;
        }
    }
    let (unplaced, to_end) = placed.pop().expect("two Coventry children in a placement");
    let (child, current) = placed.pop().expect("two Coventry children in a placement");

    // Hearth holds the child's placement: the page states it and when it ends, and asks only why.
    let (id, offer) = offered(s, &officer, child.id).await;
    let page = format!("/referrals/{id}/offers/{offer}/accept");
    let reads = s.audit_count("placements.read").await;
    let (status, _, html) = get(s, &page, Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let stated = html.split(r#"id="current-placement""#).nth(1).expect("the current placement stated");
    assert!(
        stated.contains(&format!("Placement {}", current.id)) && stated.contains("when the new one starts"),
        "{html}"
    );
    assert!(stated.contains(child.reference.as_str()), "{html}");
    assert!(html.contains(r#"name="reason_change""#) && !html.contains("no-current-placement"), "{html}");
    assert_eq!(s.audit_count("placements.read").await, reads + 1, "reading the child's placement is audited");
    let form = [("csrf_token", csrf.as_str()), ("reason_change", "CHILD"), ("planned", "no")];
    let (status, headers, html) = post(s, &page, Some(&cookie), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    assert!(location(&headers).contains("placement="), "{html}");
    let history = s.store.placements_of_child(child.id).await.expect("placements");
    let ended = history.iter().find(|p| p.id == current.id).expect("the earlier placement");
    let new = history.iter().find(|p| p.end.is_none()).expect("the new placement");
    assert_eq!(ended.end, Some(new.start), "the earlier one ends when the new one starts");
    assert_eq!(
        (ended.reason_change.map(|r| r.code()), ended.planned_ending),
        (Some("CHILD"), Some(false)),
        "the reason given is recorded"
    );

    // None held (the other child's placement ended today): nothing to end, so nothing is asked.
    let end = serde_json::json!({ "end": "2026-11-25", "reason_ceased": "E11", "planned": true });
    let (status, body) =
        s.call(Method::POST, &format!("/api/v1/placements/{}/end", to_end.id), As::Browser(&officer), Some(end)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (id, offer) = offered(s, &officer, unplaced.id).await;
    let (status, _, html) = get(s, &format!("/referrals/{id}/offers/{offer}/accept"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(r#"id="no-current-placement""#) && !html.contains(r#"name="reason_change""#), "{html}");
}
