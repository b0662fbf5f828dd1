//! The marketplace's lists as pages and API (issue 17): a council's placements and a provider's
//! "Our offers", filtered, counted and paged by the database, with names instead of numbers, what
//! needs action first, and each organisation's rows only. Checked against the store's own rows.

use crate::TestFn;
use crate::fixture::{As, Server};
use crate::marketplace::{offer, offerable, placed, post, provider_session, sent_to_all};
use crate::pages::{form_sign_in, get};
use hearth_domain::offer::{Offer, OfferStatus};
use hearth_domain::org::Role;
use hearth_domain::placement::Placement;
use hearth_domain::referral::{Referral, Urgency};
use hearth_domain::{HomeId, OrganisationId};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::BTreeMap;

pub const TESTS: &[(&str, TestFn)] = &[
    ("lists_placements_filters_and_paging_count_what_the_store_holds", |s| Box::pin(placement_filters(s))),
    ("lists_placements_agreements_to_sign_first_and_a_providers_own_homes", |s| Box::pin(placements_to_sign(s))),
    ("lists_offers_filters_paging_and_waiting_for_the_council_first", |s| Box::pin(offer_filters(s))),
    ("lists_placements_api_filters_pages_and_counts", |s| Box::pin(placements_api(s))),
    ("lists_referrals_needed_from_dates_filter", |s| Box::pin(referral_dates(s))),
    ("lists_market_bad_filters_are_refused_in_words", |s| Box::pin(bad_filters(s))),
];

async fn signed_in(s: &Server, role: Role, org: OrganisationId) -> String {
    form_sign_in(s, s.facts.logins[&(role, org)].1.as_str(), "/").await.0
}

/// The total the list's count line states: "Showing 1 to 25 of 1,234 placements" → 1234; "No … match" → 0.
pub(crate) fn total(html: &str) -> u64 {
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

/// The table's rows, each as its HTML.
pub(crate) fn rows(html: &str) -> Vec<String> {
    let body = html.split("<tbody").nth(1).and_then(|b| b.split("</tbody>").next()).expect("a table");
    body.split("</tr>").filter(|r| r.contains("govuk-table__header")).map(str::to_owned).collect()
}

/// The placement each row links to.
fn placement_ids(html: &str) -> Vec<i64> {
    rows(html).iter().filter_map(|r| r.split(r#"href="/placements/"#).nth(1)?.split('"').next()?.parse().ok()).collect()
}

/// The offer each row is.
fn offer_ids(html: &str) -> Vec<i64> {
    rows(html).iter().filter_map(|r| r.split(r#"id="offer-"#).nth(1)?.split('"').next()?.parse().ok()).collect()
}

/// Text as askama writes it into a page (numeric character references).
fn esc(s: &str) -> String {
    s.replace('&', "&#38;").replace('<', "&#60;").replace('>', "&#62;").replace('"', "&#34;").replace('\'', "&#39;")
}

fn day(d: jiff::civil::Date) -> String {
    d.strftime("%-d %B %Y").to_string()
}

/// The GOV.UK date input's three boxes for `name`, as a query.
fn date_query(name: &str, d: jiff::civil::Date) -> String {
    format!("{name}-day={}&{name}-month={}&{name}-year={}", d.day(), d.month(), d.year())
}

async fn placement_filters(s: &Server) {
    let f = &s.facts;
    let cookie = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let all: Vec<Placement> = s.store.placements_of_council(331, 0).await.expect("placements");
    assert!(all.len() > 50, "the demo has pages of Coventry placements: {}", all.len());
    let html = page(s, &cookie, "/placements").await;
    assert_eq!(total(&html), all.len() as u64);
    assert!(html.contains("Showing 1 to 25 of"), "{html}");
    assert_eq!(placement_ids(&html).len(), 25, "a page is 25 rows");
    let second = page(s, &cookie, "/placements?page=2").await;
    assert!(second.contains("Showing 26 to 50 of"), "{second}");
    let (one, two) = (placement_ids(&html), placement_ids(&second));
    assert!(one.iter().all(|id| !two.contains(id)), "page 2 follows on");

    // Names, not numbers: the first row's child, home and provider.
    let first = all.iter().find(|p| p.id.0 == one[0]).expect("a Coventry placement");
    let row = &rows(&html)[0];
    let child = s.store.child_unaudited(first.child).await.expect("child");
    assert!(row.contains(&format!(">{}<", child.reference.as_str())), "{row}");
    if let Some(h) = first.home {
        let home = s.store.home(h).await.expect("home");
        assert!(row.contains(&esc(&home.name)), "the home's name: {row}");
        let orgs = s.store.organisations().await.expect("organisations");
        let provider = orgs.iter().find(|o| o.id == home.provider).expect("provider");
        assert!(row.contains(&esc(&provider.name)), "the provider's name: {row}");
        assert!(!row.contains(&format!("Home {h}")), "{row}");
    }

    // Status: current and ended, each count the store's, each row tagged so.
    let current = all.iter().filter(|p| p.end.is_none()).count() as u64;
    let ended = all.len() as u64 - current;
    let html = page(s, &cookie, "/placements?status=current").await;
    assert_eq!(total(&html), current);
    assert!(!html.contains(">Ended</strong>"), "no ended placement among the current");
    let html = page(s, &cookie, "/placements?status=ended").await;
    assert_eq!(total(&html), ended);
    assert_eq!(html.matches(">Ended</strong>").count(), placement_ids(&html).len());

    // A home, by its number and by part of its name in another case.
    let mut by_home: BTreeMap<HomeId, usize> = BTreeMap::new();
    for h in all.iter().filter_map(|p| p.home) {
        *by_home.entry(h).or_default() += 1;
    }
    let (&busiest, &n) = by_home.iter().max_by_key(|(_, n)| **n).expect("a home");
    let html = page(s, &cookie, &format!("/placements?home={busiest}")).await;
    assert_eq!(total(&html), n as u64, "home {busiest}");
    let name = s.store.home(busiest).await.expect("home").name;
    let mut names: BTreeMap<HomeId, String> = BTreeMap::new();
    for h in by_home.keys() {
        names.insert(*h, s.store.home(*h).await.expect("home").name.to_lowercase());
    }
    let part: String = name.chars().take(8).collect::<String>().to_uppercase();
    let want: usize = by_home.iter().filter(|(h, _)| names[h].contains(&part.to_lowercase())).map(|(_, n)| *n).sum();
    let html = page(s, &cookie, &format!("/placements?home={}", urlencode(&part))).await;
    assert_eq!(total(&html), want as u64, "homes named like {part}");

    // A child, by reference (any case), and the search by reference or placement number.
    let child = s.store.child_unaudited(f.coventry_child).await.expect("child");
    let theirs = all.iter().filter(|p| p.child == f.coventry_child).count() as u64;
    let reference = child.reference.as_str().to_lowercase();
    assert_eq!(total(&page(s, &cookie, &format!("/placements?child={reference}")).await), theirs);
    assert_eq!(total(&page(s, &cookie, &format!("/placements?q={reference}")).await), theirs);
    let html = page(s, &cookie, &format!("/placements?q={}", all[7].id)).await;
    assert_eq!(placement_ids(&html), vec![all[7].id.0]);

    // Start dates, as GOV.UK date inputs: on or after, on or before, and both.
    let mut starts: Vec<jiff::civil::Date> = all.iter().map(|p| p.start).collect();
    starts.sort();
    let (from, to) = (starts[starts.len() / 3], starts[2 * starts.len() / 3]);
    let count = |pred: &dyn Fn(jiff::civil::Date) -> bool| all.iter().filter(|p| pred(p.start)).count() as u64;
    let html = page(s, &cookie, &format!("/placements?{}", date_query("started_from", from))).await;
    assert_eq!(total(&html), count(&|d| d >= from));
    let html = page(s, &cookie, &format!("/placements?{}", date_query("started_to", to))).await;
    assert_eq!(total(&html), count(&|d| d <= to));
    let both =
        format!("/placements?{}&{}&status=current", date_query("started_from", from), date_query("started_to", to));
    let html = page(s, &cookie, &both).await;
    let want = all.iter().filter(|p| p.start >= from && p.start <= to && p.end.is_none()).count() as u64;
    assert_eq!(total(&html), want);
    if want > 25 {
        // The pagination keeps the filters.
        assert!(html.contains(&format!("started_from-day={}", from.day())), "{html}");
        assert!(html.contains("status=current&#38;page=2"), "{html}");
    }

    // Another council's placement is never listed, by number or by its child's reference.
    let foreign = f.birmingham_placement;
    assert_eq!(total(&page(s, &cookie, &format!("/placements?q={foreign}")).await), 0);
    let foreign_child = s.store.placement(foreign).await.expect("placement").child;
    let foreign_ref = s.store.child_unaudited(foreign_child).await.expect("child").reference;
    let own_same = s.store.children_of(331).await.expect("children").iter().any(|c| c.reference == foreign_ref);
    if !own_same {
        assert_eq!(total(&page(s, &cookie, &format!("/placements?child={}", foreign_ref.as_str())).await), 0);
    }
    // Each list read is audited, naming how many placements were seen.
    assert!(s.audit_count("placement.list.read").await >= 1);
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") }).collect()
}

async fn placements_to_sign(s: &Server) {
    let (officer, provider, referral, _) = placed(s).await;
    let cookie = officer.cookie.clone();
    let html = page(s, &cookie, "/placements").await;
    let new: Vec<Placement> = s
        .store
        .placements_of_council(331, 0)
        .await
        .expect("placements")
        .into_iter()
        .filter(|p| p.referral.map(|r| r.0) == Some(referral))
        .collect();
    assert_eq!(new.len(), 1, "one child placed");
    let id = new[0].id.0;
    assert_eq!(placement_ids(&html)[0], id, "the placement whose agreement is not signed comes first");
    assert!(rows(&html)[0].contains("Agreement not yet signed"), "{}", rows(&html)[0]);
    let to_sign = page(s, &cookie, "/placements?status=to_sign").await;
    assert!(placement_ids(&to_sign).contains(&id));
    let before = total(&to_sign);
    // The front page's next action counts them and links to that list.
    let front = page(s, &cookie, "/").await;
    assert!(front.contains(&format!(r#"href="/placements?status=to_sign">{before} placement agreement"#)), "{front}");

    // The provider sees it in its homes' list, with the council's name and no child's reference.
    let child = s.store.child_unaudited(new[0].child).await.expect("child");
    let p_html = page(s, &provider.cookie, "/placements").await;
    assert!(placement_ids(&p_html).contains(&id), "{p_html}");
    let row = rows(&p_html).into_iter().find(|r| r.contains(&format!("/placements/{id}\""))).expect("row");
    assert!(row.contains(">Coventry<"), "{row}");
    assert!(!p_html.contains(&format!(">{}<", child.reference.as_str())), "no child's reference for a provider");
    // Exactly the placements in its own homes.
    let org = OrganisationId(provider.body["organisation"].as_i64().expect("organisation"));
    let own = s.store.placements_with(org, 0).await.expect("placements");
    assert_eq!(total(&p_html), own.len() as u64);
    let html = page(s, &provider.cookie, &format!("/placements?q={}", s.facts.birmingham_placement)).await;
    let birmingham_theirs = own.iter().any(|p| p.id == s.facts.birmingham_placement);
    assert_eq!(total(&html), u64::from(birmingham_theirs));

    // Signed by both: no longer waiting.
    let (_, list) = s.get(&format!("/api/v1/referrals/{referral}/agreements"), As::Browser(&officer)).await;
    let (agreement, hash) = (list[0]["id"].as_i64().expect("id"), list[0]["text_hash"].as_str().expect("hash"));
    for who in [&officer, &provider] {
        let (status, body) =
            post(s, format!("/api/v1/agreements/{agreement}/sign"), who, Some(json!({ "text_hash": hash }))).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let to_sign = page(s, &cookie, "/placements?status=to_sign").await;
    assert!(!placement_ids(&to_sign).contains(&id));
    assert_eq!(total(&to_sign), before - 1);
    let front = page(s, &cookie, "/").await;
    if before > 1 {
        assert!(front.contains(&format!(r#"href="/placements?status=to_sign">{} placement agreement"#, before - 1)));
    } else {
        assert!(!front.contains("/placements?status=to_sign"), "{front}");
    }
    let html = page(s, &cookie, &format!("/placements?q={id}")).await;
    assert!(rows(&html)[0].contains(">Current</strong>"), "{html}");
}

/// Every offer of `org`'s on the referrals sent to it, with the referral.
async fn offers_of_org(s: &Server, org: OrganisationId) -> Vec<(Offer, Referral)> {
    let mut out = Vec::new();
    for r in s.store.referrals_sent_to(org, 0).await.expect("sent") {
        for o in s.store.offers_of(r.id).await.expect("offers") {
            if o.provider == org {
                out.push((o, r.clone()));
            }
        }
    }
    out
}

async fn offer_filters(s: &Server) {
    let f = &s.facts;
    // A live offer on a referral out with providers now: it comes first, with its deadline.
    let (officer, id, m) = sent_to_all(s).await;
    let (name, home, _) = offerable(&m, 1).pop().expect("offerable");
    let provider = provider_session(s, &officer, id, &name).await;
    let (status, made) = offer(s, &provider, id, json!({ "home": home, "weekly_price": 5250 })).await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    let made_id = made["id"].as_i64().expect("id");
    let org = OrganisationId(provider.body["organisation"].as_i64().expect("organisation"));
    let all = offers_of_org(s, org).await;
    let cookie = provider.cookie.clone();
    let html = page(s, &cookie, "/offers").await;
    assert_eq!(total(&html), all.len() as u64);
    assert_eq!(offer_ids(&html)[0], made_id, "the offer waiting for the council first: {html}");
    let row = &rows(&html)[0];
    let home_name = s.store.home(HomeId(home)).await.expect("home").name;
    assert!(row.contains(&esc(&home_name)), "{row}");
    assert!(row.contains("£5,250 a week"), "the price in pounds with separators: {row}");
    assert!(row.contains(&format!("Referral {id}<")), "{row}");
    assert!(row.contains(&format!(r#"action="/offers/{made_id}/withdraw""#)), "{row}");
    let (_, sendings) = s.get(&format!("/api/v1/referrals/{id}/sendings"), As::Browser(&officer)).await;
    let due: jiff::Timestamp = sendings[0]["due_at"].as_str().expect("due_at").parse().expect("a time");
    let uk =
        due.to_zoned_datetime(jiff::tz::TimeZone::get("Europe/London").expect("tz")).strftime("%H:%M %a %-d %b %Y");
    assert!(row.contains(&uk.to_string()), "the deadline in UK time ({uk}): {row}");

    // Each status's count is the store's, and its rows say so.
    for status in OfferStatus::ALL {
        let want = all.iter().filter(|(o, _)| o.status == *status).count() as u64;
        let html = page(s, &cookie, &format!("/offers?status={}", status.code())).await;
        assert_eq!(total(&html), want, "status {}", status.code());
        let words = match status {
            OfferStatus::Made => "Offered",
            OfferStatus::Withdrawn => "Withdrawn",
            OfferStatus::Accepted => "Accepted",
            OfferStatus::NotChosen => "Not chosen",
            OfferStatus::Lapsed => "Lapsed",
        };
        assert_eq!(html.matches(&format!(">{words}</strong>")).count(), offer_ids(&html).len());
    }
    // The referral's urgency.
    for urgency in Urgency::ALL {
        let want = all.iter().filter(|(_, r)| r.urgency == *urgency).count() as u64;
        assert_eq!(total(&page(s, &cookie, &format!("/offers?urgency={}", urgency.code())).await), want);
    }
    // A home by number and by name.
    let want = all.iter().filter(|(o, _)| o.home.0 == home).count() as u64;
    assert_eq!(total(&page(s, &cookie, &format!("/offers?home={home}")).await), want);
    let html = page(s, &cookie, &format!("/offers?home={}", urlencode(&home_name.to_lowercase()))).await;
    assert!(total(&html) >= want && offer_ids(&html).contains(&made_id), "{html}");
    // Start dates.
    let today = made["start"].as_str().expect("start").parse::<jiff::civil::Date>().expect("a date");
    let want = all.iter().filter(|(o, _)| o.start >= today).count() as u64;
    assert_eq!(total(&page(s, &cookie, &format!("/offers?{}", date_query("start_from", today))).await), want);
    let earlier = today.yesterday().expect("a day");
    let want = all.iter().filter(|(o, _)| o.start <= earlier).count() as u64;
    let html = page(s, &cookie, &format!("/offers?{}", date_query("start_to", earlier))).await;
    assert_eq!(total(&html), want);
    assert!(!offer_ids(&html).contains(&made_id));
    // A referral's number.
    let html = page(s, &cookie, &format!("/offers?q={id}")).await;
    assert_eq!(offer_ids(&html), vec![made_id]);
    // Paging, when there are pages.
    if all.len() > 25 {
        let second = page(s, &cookie, "/offers?page=2").await;
        assert!(second.contains("Showing 26 to"), "{second}");
        assert!(offer_ids(&second).iter().all(|o| !offer_ids(&html).contains(o)));
    }
    assert!(offer_ids(&page(s, &cookie, "/offers").await).len() <= 25);

    // Another provider's offer never shows, even asked for by its referral's number.
    let theirs = s.store.offer(f.other_offer_on_birmingham).await.expect("offer");
    if theirs.provider != org {
        let html = page(s, &cookie, &format!("/offers?q={}", theirs.referral)).await;
        assert!(!offer_ids(&html).contains(&f.other_offer_on_birmingham.0), "{html}");
        assert_eq!(total(&html), all.iter().filter(|(o, _)| o.referral == theirs.referral).count() as u64);
    }
    // P's own list is P's offers.
    let p = signed_in(s, Role::ProviderStaff, f.provider_p).await;
    let p_all = offers_of_org(s, f.provider_p).await;
    let html = page(s, &p, "/offers").await;
    assert_eq!(total(&html), p_all.len() as u64);
    assert!(p_all.iter().any(|(o, _)| o.id == f.p_offer_on_coventry));
    // A placement officer has no offers to list.
    let officer_page = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let (status, _, _) = get(s, "/offers", Some(&officer_page)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

async fn placements_api(s: &Server) {
    let f = &s.facts;
    let officer = s.sign_in(f.email(Role::PlacementOfficer, f.coventry)).await;
    let all = s.store.placements_of_council(331, 0).await.expect("placements");
    let call = |path: String| {
        let officer = officer.clone();
        async move {
            let resp = reqwest::Client::new()
                .get(format!("{}{path}", s.base))
                .header("cookie", &officer.cookie)
                .send()
                .await
                .expect("response");
            let status = resp.status();
            let count = resp.headers().get("x-total-count").and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
            let body: serde_json::Value = resp.json().await.expect("json");
            (status, count, body)
        }
    };
    let (status, count, body) = call("/api/v1/placements?per_page=10".into()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(count, Some(all.len() as u64));
    let first: Vec<i64> = body.as_array().expect("list").iter().filter_map(|p| p["id"].as_i64()).collect();
    assert_eq!(first.len(), 10);
    let (_, _, body) = call("/api/v1/placements?per_page=10&page=2".into()).await;
    let second: Vec<i64> = body.as_array().expect("list").iter().filter_map(|p| p["id"].as_i64()).collect();
    assert_eq!(second.len(), 10);
    assert!(second.iter().all(|id| !first.contains(id)), "page 2 follows on");
    // Newest first, as before.
    let mut newest: Vec<&Placement> = all.iter().collect();
    newest.sort_by_key(|p| (std::cmp::Reverse(p.start), std::cmp::Reverse(p.id.0)));
    assert_eq!(first, newest.iter().take(10).map(|p| p.id.0).collect::<Vec<_>>());
    let (_, count, _) = call("/api/v1/placements?status=ended&per_page=1".into()).await;
    assert_eq!(count, Some(all.iter().filter(|p| p.end.is_some()).count() as u64));
    let child = s.store.child_unaudited(f.coventry_child).await.expect("child");
    let (_, count, body) = call(format!("/api/v1/placements?child={}", child.reference.as_str())).await;
    assert_eq!(count, Some(all.iter().filter(|p| p.child == f.coventry_child).count() as u64));
    assert!(body.as_array().expect("list").iter().all(|p| p["child"] == f.coventry_child.0));
    let from = all[all.len() / 2].start;
    let (_, count, _) = call(format!("/api/v1/placements?started_from={from}&per_page=1")).await;
    assert_eq!(count, Some(all.iter().filter(|p| p.start >= from).count() as u64));
    let (_, count, _) = call(format!("/api/v1/placements?q={}", f.birmingham_placement)).await;
    assert_eq!(count, Some(0), "another council's placement is not found");
    for (query, field) in [
        ("status=bogus", "query"),
        ("started_from=2026-13-01", "started_from"),
        ("started_from=2026-05-01&started_to=2026-04-01", "started_to"),
        ("per_page=501", "per_page"),
        ("page=abc", "query"),
        ("page=10001", "page"),
        ("child=AB-12", "child"),
        ("home=a%00b", "home"),
    ] {
        let (status, _, body) = call(format!("/api/v1/placements?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert!(body.to_string().contains(field), "{query} names {field}: {body}");
    }
    // A provider cannot find placements by a child's reference: it does not know them.
    let provider = s.sign_in(f.email(Role::ProviderStaff, f.provider_p)).await;
    let (status, body) = s.get("/api/v1/placements?child=ABC", As::Browser(&provider)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = s.get("/api/v1/placements", As::Browser(&provider)).await;
    assert_eq!(status, StatusCode::OK);
    let own = s.store.placements_with(f.provider_p, 0).await.expect("placements");
    assert_eq!(body.as_array().expect("list").len(), own.len().min(500));
}

async fn referral_dates(s: &Server) {
    let f = &s.facts;
    let cookie = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let all = s.store.referrals_of(331, 0).await.expect("referrals");
    let mut days: Vec<jiff::civil::Date> = all.iter().map(|r| r.needed_from).collect();
    days.sort();
    let (from, to) = (days[days.len() / 4], days[3 * days.len() / 4]);
    let html = page(s, &cookie, "/referrals").await;
    assert!(html.contains(r#"name="needed_from-day""#) && html.contains(r#"name="needed_to-year""#), "date inputs");
    let html = page(s, &cookie, &format!("/referrals?{}", date_query("needed_from", from))).await;
    assert_eq!(total(&html), all.iter().filter(|r| r.needed_from >= from).count() as u64);
    let path = format!("/referrals?{}&{}", date_query("needed_from", from), date_query("needed_to", to));
    let html = page(s, &cookie, &path).await;
    let want = all.iter().filter(|r| r.needed_from >= from && r.needed_from <= to).count() as u64;
    assert_eq!(total(&html), want);
    // What was typed is kept in the boxes.
    assert!(html.contains(&format!(r#"name="needed_to-year" type="text" inputmode="numeric" value="{}""#, to.year())));
    // Each row shown was needed within the range (the first page's).
    for row in rows(&html) {
        let id: i64 =
            row.split(r#"href="/referrals/"#).nth(1).and_then(|r| r.split('"').next()?.parse().ok()).expect("id");
        let r = all.iter().find(|r| r.id.0 == id).expect("a Coventry referral");
        assert!(r.needed_from >= from && r.needed_from <= to && row.contains(&day(r.needed_from)), "{row}");
    }
}

async fn bad_filters(s: &Server) {
    let f = &s.facts;
    let officer = signed_in(s, Role::PlacementOfficer, f.coventry).await;
    let provider = signed_in(s, Role::ProviderStaff, f.provider_p).await;
    for (who, path, field) in [
        (&officer, "/placements?status=bogus".to_owned(), "status"),
        (&officer, "/placements?home=a%00b".to_owned(), "home"),
        (&officer, format!("/placements?home={}", "A".repeat(201)), "home"),
        (&officer, "/placements?child=AB-12".to_owned(), "child"),
        (&officer, "/placements?q=a%00b".to_owned(), "q"),
        (&officer, "/placements?started_from-day=31&started_from-month=2&started_from-year=2026".to_owned(), "started_from"),
        (&officer, "/placements?started_to-day=1&started_to-month=1".to_owned(), "started_to"),
        (
            &officer,
            "/placements?started_from-day=2&started_from-month=5&started_from-year=2026&started_to-day=1&started_to-month=5&started_to-year=2026"
                .to_owned(),
            "started_to",
        ),
        (&officer, "/placements?page=0".to_owned(), "page"),
        (&officer, "/placements?page=99999999".to_owned(), "page"),
        (&officer, "/referrals?needed_from-day=40&needed_from-month=1&needed_from-year=2026".to_owned(), "needed_from"),
        (&provider, "/offers?status=open".to_owned(), "status"),
        (&provider, "/offers?urgency=soon".to_owned(), "urgency"),
        (&provider, "/offers?q=abc".to_owned(), "q"),
        (&provider, "/offers?home=a%00b".to_owned(), "home"),
        (&provider, "/offers?start_from-day=1&start_from-month=13&start_from-year=2026".to_owned(), "start_from"),
        (&provider, "/offers?page=99999999".to_owned(), "page"),
    ] {
        let (status, _, html) = get(s, &path, Some(who)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {html}");
        assert!(
            html.contains("govuk-error-summary") && html.contains(&format!(r##"href="#{field}""##)),
            "{path}: {html}"
        );
        assert!(html.contains(r#"id="list-count""#), "the list's page again: {path}");
    }
}
