//! The marketplace's pages through the real server, as a browser without JavaScript uses them:
//! sending, offering, declining, accepting, signing the agreement, placements and notices; errors
//! come back on the same page with the input kept, refusals and conflicts in words.

use crate::TestFn;
use crate::fixture::Server;
use crate::marketplace::{officer, responder_email, same_day_referral};
use crate::pages::{csrf_of, form_sign_in, get, location, post, signed_in};
use hearth_domain::HomeId;
use hearth_domain::org::Role;
use reqwest::{Method, StatusCode};

pub const TESTS: &[(&str, TestFn)] = &[
    ("pages_market_send_offer_accept_and_sign", |s| Box::pin(send_offer_accept_sign(s))),
    ("pages_market_refusals_and_errors_in_words", |s| Box::pin(refusals(s))),
    ("pages_market_withdraw_and_move", |s| Box::pin(withdraw_and_move(s))),
];

/// The error summary links to `field`, and the page says `words`.
fn summary_links(html: &str, field: &str) {
    assert!(html.contains("govuk-error-summary"), "no error summary: {html}");
    assert!(html.contains(&format!(r##"<a href="#{field}">"##)), "no link to #{field}: {html}");
    assert!(html.contains("<title>Error: "), "the title says there is an error");
}

/// The value a text input with `id` is filled with.
fn value_of(html: &str, id: &str) -> String {
    html.split(&format!(r#"id="{id}" name="{id}" type="text" value=""#))
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or_else(|| panic!("no #{id} filled in: {html}"))
        .to_owned()
}

/// The start date the respond page fills in, as one "day/month/year" entry (the boxes' parts joined).
fn start_of(html: &str) -> String {
    let part = |p: &str| {
        html.split(&format!(r#"name="start-{p}" type="text" inputmode="numeric" value=""#))
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_else(|| panic!("no start-{p} filled in: {html}"))
            .to_owned()
    };
    format!("{}/{}/{}", part("day"), part("month"), part("year"))
}

/// The provider offers `home` with the form as the respond page fills it; returns the offer's id.
async fn offer_through_page(s: &Server, cookie: &str, id: i64, home: i64) -> i64 {
    let (status, _, html) = get(s, &format!("/referrals/{id}/respond?home={home}"), Some(cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let (csrf, h) = (csrf_of(&html), home.to_string());
    let (price, start) = (value_of(&html, "weekly_price"), start_of(&html));
    let form = [
        ("csrf_token", csrf.as_str()),
        ("home", &h),
        ("weekly_price", &price),
        ("start", &start),
        ("includes", "Education"),
    ];
    let (status, headers, html) = post(s, &format!("/referrals/{id}/offer"), Some(cookie), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let to = location(&headers).to_owned();
    let (_, _, html) = get(s, &to, Some(cookie)).await;
    assert!(html.contains("Withdraw"), "the provider may withdraw its live offer");
    to.rsplit('=').next().and_then(|o| o.parse().ok()).expect("the offer's id")
}

async fn send_offer_accept_sign(s: &Server) {
    let api_officer = officer(s).await;
    let id = same_day_referral(s, &api_officer).await;
    let (status, m) =
        s.get(&format!("/api/v1/referrals/{id}/matches?limit=1"), crate::fixture::As::Browser(&api_officer)).await;
    assert_eq!(status, StatusCode::OK, "{m}");
    let home = m["matches"][0]["home"].as_i64().expect("a matching home");
    let provider = s.store.home(HomeId(home)).await.expect("home").provider;

    // The officer's send page: the providers of the matches to choose from, each with why.
    let (cookie, _) = signed_in(s, Role::PlacementOfficer, s.facts.coventry).await;
    let (status, _, html) = get(s, &format!("/referrals/{id}/send"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&format!(r#"value="{provider}""#)), "the best home's provider can be chosen");
    let csrf = csrf_of(&html);
    // Chosen, with nobody chosen: the error links to the checkboxes and the mode stays chosen.
    let (status, _, html) =
        post(s, &format!("/referrals/{id}/send"), Some(&cookie), &[("csrf_token", &csrf), ("mode", "chosen")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    summary_links(&html, "providers");
    assert!(html.contains(r#"value="chosen" checked"#), "the choice is kept");
    let p = provider.to_string();
    let form = [("csrf_token", csrf.as_str()), ("mode", "chosen"), ("providers", p.as_str())];
    let (status, headers, html) = post(s, &format!("/referrals/{id}/send"), Some(&cookie), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(location(&headers), format!("/referrals/{id}?sent=true"));
    let (_, _, html) = get(s, &format!("/referrals/{id}?sent=true"), Some(&cookie)).await;
    assert!(html.contains("Sent to providers") && html.contains("(UK time)"), "{html}");
    assert!(html.contains("Answers due by"), "{html}");

    // The provider: the minimised referral, the respond page filled from the home.
    let email = responder_email(s, provider.0);
    let (pcookie, _) = form_sign_in(s, &email, "/").await;
    let (status, _, html) = get(s, &format!("/referrals/{id}"), Some(&pcookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("/referrals/{id}/respond")), "{html}");
    let (status, _, html) = get(s, &format!("/referrals/{id}/respond?home={home}"), Some(&pcookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let pcsrf = csrf_of(&html);
    let price = value_of(&html, "weekly_price");
    assert!(price.parse::<u32>().is_ok_and(|p| p > 0), "{price}");
    let start = start_of(&html);
    // A negative price: the summary links to the field and the input is kept.
    let h = home.to_string();
    let bad = [
        ("csrf_token", pcsrf.as_str()),
        ("home", &h),
        ("weekly_price", "-5"),
        ("start", &start),
        ("includes", "Education"),
    ];
    let (status, _, html) = post(s, &format!("/referrals/{id}/offer"), Some(&pcookie), &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    summary_links(&html, "weekly_price");
    assert!(html.contains(r#"value="-5""#) && html.contains(">Education</textarea>"), "the input is kept");
    // "Other" without a note.
    let (status, _, html) =
        post(s, &format!("/referrals/{id}/decline"), Some(&pcookie), &[("csrf_token", &pcsrf), ("reason", "other")])
            .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    summary_links(&html, "note");
    assert!(html.contains(r#"value="other" checked"#));
    let offer = offer_through_page(s, &pcookie, id, home).await;

    // The officer compares, confirms and accepts.
    let (status, _, html) = get(s, &format!("/referrals/{id}/offers"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("/referrals/{id}/offers/{offer}/accept")) && html.contains("a week"), "{html}");
    let (status, _, html) = get(s, &format!("/referrals/{id}/offers/{offer}/accept"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("govuk-warning-text") && html.contains("closes every other offer"), "{html}");
    let accept = format!("/referrals/{id}/offers/{offer}/accept");
    let (status, headers, html) = post(s, &accept, Some(&cookie), &[("csrf_token", &csrf), ("planned", "yes")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let to = location(&headers).to_owned();
    assert!(to.starts_with(&format!("/referrals/{id}/agreement?accepted={offer}&placement=")), "{to}");
    let (_, _, html) = get(s, &to, Some(&cookie)).await;
    assert!(html.contains("the child is placed") && html.contains(r#"href="/placements/"#), "{html}");
    // Accepting again is a conflict, said in words on the same page.
    let (status, _, html) = post(s, &accept, Some(&cookie), &[("csrf_token", &csrf), ("planned", "yes")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("govuk-error-summary") && html.contains("cannot be accepted"), "{html}");

    // The agreement: both sides sign over the text's hash; the document downloads.
    let (status, _, html) = get(s, &format!("/referrals/{id}/agreement"), Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("Sign for the council") && html.contains(r#"name="text_hash""#), "{html}");
    let action = html.split(r#"action="/referrals/"#).find(|a| a.contains("/sign\"")).expect("a sign form");
    let sign = format!("/referrals/{}", action.split('"').next().expect("action"));
    let version: i64 = sign.split('/').nth(4).and_then(|v| v.parse().ok()).expect("version id");
    let hash = html.split(r#"name="text_hash" value=""#).nth(1).and_then(|r| r.split('"').next()).expect("hash");
    let (status, _, html) =
        post(s, &sign, Some(&cookie), &[("csrf_token", &csrf), ("text_hash", "not the hash")]).await;
    assert_eq!(status, StatusCode::CONFLICT, "a wrong hash is refused in words: {html}");
    assert!(html.contains("govuk-error-summary"));
    let (status, _, _) = post(s, &sign, Some(&cookie), &[("csrf_token", &csrf), ("text_hash", hash)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, html) = get(s, &format!("/referrals/{id}/agreement"), Some(&pcookie)).await;
    assert!(html.contains("Sign for the provider") && !html.contains("Sign for the council"), "{html}");
    let resp = reqwest::Client::new()
        .request(Method::GET, format!("{}/agreements/{version}/document", s.base))
        .header("cookie", &pcookie)
        .send()
        .await
        .expect("download");
    assert_eq!(resp.status(), StatusCode::OK);
    let disposition = resp.headers().get("content-disposition").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(disposition.starts_with("attachment; filename=\"placement-agreement-"), "{disposition}");
    assert!(resp.text().await.expect("text").contains("SHA-256"));

    // A new version: its changes are required; the first version is then listed as earlier.
    let path = format!("/referrals/{id}/agreement");
    let (status, _, html) = post(s, &path, Some(&cookie), &[("csrf_token", &csrf), ("notes", " ")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    summary_links(&html, "notes");
    let notes = [("csrf_token", csrf.as_str()), ("notes", "Weekly therapy moves to Tuesdays.")];
    let (status, headers, _) = post(s, &path, Some(&cookie), &notes).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&headers), format!("{path}?changed=2"));
    let (_, _, html) = get(s, location(&headers), Some(&cookie)).await;
    assert!(html.contains("Earlier versions") && html.contains("Version 1,") && html.contains("Tuesdays"), "{html}");

    // The provider was told; the header counts the unread notices (reading them clears it: `pages_notices_*`).
    let (_, _, html) = get(s, "/referrals", Some(&pcookie)).await;
    assert!(html.contains("hearth-count"), "{html}");
    let (status, _, html) = get(s, "/notices", Some(&pcookie)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("/referrals/{id}")), "{html}");
}

async fn refusals(s: &Server) {
    let f = &s.facts;
    let (provider, _) = signed_in(s, Role::ProviderStaff, f.provider_p).await;
    // Never sent to P: not found, in words.
    let (status, _, html) =
        get(s, &format!("/referrals/{}/respond", f.birmingham_referral_not_sent_to_p), Some(&provider)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{html}");
    assert!(
        html.contains(&format!("referral {} was not found", f.birmingham_referral_not_sent_to_p))
            || html.contains("not found"),
        "{html}"
    );
    let (status, _, html) = get(s, &format!("/placements/{}", f.birmingham_placement), Some(&provider)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{html}");
    // P's own placement: read-only.
    let (status, _, html) = get(s, &format!("/placements/{}", f.coventry_placement_with_p), Some(&provider)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(!html.contains("Record the end") && !html.contains("Record the move"));
    // A commissioner may not send referrals.
    let (commissioner, _) = signed_in(s, Role::Commissioner, f.coventry).await;
    let (status, _, html) =
        get(s, &format!("/referrals/{}/send", f.coventry_referral_sent_to_p), Some(&commissioner)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{html}");
    assert!(html.contains("govuk-body"), "{html}");
    // The officer ends a placement without a reason: the summary links to the select, the date is kept.
    let (officer, csrf) = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let path = format!("/placements/{}", f.coventry_placement_with_p);
    let (status, _, html) = get(s, &path, Some(&officer)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Record the end") && html.contains(r#"value="E11""#) && !html.contains(r#"value="X1""#),
        "{html}"
    );
    let form = [("csrf_token", csrf.as_str()), ("end", "2026-11-24"), ("end_planned", "no")];
    let (status, _, html) = post(s, &format!("{path}/end"), Some(&officer), &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    summary_links(&html, "reason_ceased");
    assert!(
        html.contains(r#"name="end-day" type="text" inputmode="numeric" value="24""#)
            && html.contains(r#"value="no" checked"#),
        "{html}"
    );
    let form = [("csrf_token", csrf.as_str()), ("end", "2026-11-24"), ("reason_ceased", "E4A"), ("end_planned", "yes")];
    let (status, headers, html) = post(s, &format!("{path}/end"), Some(&officer), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    assert_eq!(location(&headers), format!("{path}?ended=true"));
    let (status, _, html) = get(s, "/placements", Some(&officer)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Your council&#39;s placements") && html.contains(r#"href="/placements/"#), "{html}");
}

async fn withdraw_and_move(s: &Server) {
    let f = &s.facts;
    let api_officer = officer(s).await;
    let id = same_day_referral(s, &api_officer).await;
    crate::marketplace::send(s, &api_officer, id, serde_json::json!({ "mode": "all_fitting" })).await;
    let (_, m) =
        s.get(&format!("/api/v1/referrals/{id}/matches?limit=1"), crate::fixture::As::Browser(&api_officer)).await;
    let home = m["matches"][0]["home"].as_i64().expect("a matching home");
    let provider = s.store.home(HomeId(home)).await.expect("home").provider;
    let (pcookie, _) = form_sign_in(s, &responder_email(s, provider.0), "/").await;
    let offer = offer_through_page(s, &pcookie, id, home).await;
    // "Our offers" lists it with its withdraw form.
    let (status, _, html) = get(s, "/offers", Some(&pcookie)).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains(&format!(r#"action="/offers/{offer}/withdraw""#)), "{html}");
    let csrf = csrf_of(&html);
    let (status, headers, _) =
        post(s, &format!("/offers/{offer}/withdraw"), Some(&pcookie), &[("csrf_token", &csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, html) = get(s, location(&headers), Some(&pcookie)).await;
    assert!(
        html.contains(&format!("Offer {offer} was withdrawn")) && html.contains("Withdrawn by the provider"),
        "{html}"
    );
    let (_, _, html) = get(s, "/offers", Some(&pcookie)).await;
    assert!(!html.contains(&format!(r#"action="/offers/{offer}/withdraw""#)), "a withdrawn offer is not live");
    // Twice is a conflict, in words.
    let (status, _, html) =
        post(s, &format!("/offers/{offer}/withdraw"), Some(&pcookie), &[("csrf_token", &csrf)]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{html}");
    assert!(html.contains("govuk-body"), "{html}");

    // A move: the new home is required and kept as typed; then recorded, and the new placement shown.
    let (cookie, csrf) = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let path = format!("/placements/{}", f.coventry_placement_with_p);
    let form = [
        ("csrf_token", csrf.as_str()),
        ("date", "2026-11-25"),
        ("reason_change", "CARPL"),
        ("planned", "yes"),
        ("home", "nine"),
    ];
    let (status, _, html) = post(s, &format!("{path}/move"), Some(&cookie), &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    summary_links(&html, "home");
    assert!(html.contains(r#"value="nine""#) && html.contains(r#"value="CARPL" selected"#), "{html}");
    let q = f.q_home.0.to_string();
    let form = [
        ("csrf_token", csrf.as_str()),
        ("date", "2026-11-25"),
        ("reason_change", "CARPL"),
        ("planned", "yes"),
        ("home", &q),
    ];
    let (status, headers, html) = post(s, &format!("{path}/move"), Some(&cookie), &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let to = location(&headers).to_owned();
    assert!(to.ends_with(&format!("?moved_from={}", f.coventry_placement_with_p)), "{to}");
    let (status, _, html) = get(s, &to, Some(&cookie)).await;
    assert_eq!(status, StatusCode::OK);
    // The new home by its name, not its number.
    let name = s.store.home(f.q_home).await.expect("home").name;
    let name = name
        .replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;");
    assert!(html.contains(&name) && html.contains("Record the move"), "{html}");
}
