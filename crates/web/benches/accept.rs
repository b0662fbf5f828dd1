//! Accept-offer throughput and latency through HTTP on loopback, 32 officers at once, on SQLite and
//! (when `HEARTH_TEST_POSTGRES_URL` names an admin address) PostgreSQL.
//!
//!     cargo bench -p hearth-web --bench accept            # 1,500 accepts per database
//!     cargo bench -p hearth-web --bench accept -- 3000    # another number
//!
//! The demo region is loaded, then one open referral with one live offer is prepared per looked-after
//! child (through the store: preparation is not what is measured), then 32 workers accept them through
//! the API as fast as they can, each accept a real one: placements written, the child's current
//! placement ended as a move, the vacancy's place taken, the other offers closed, the outbox and the
//! agreement written. Afterwards the database is checked: one placement per referral, no vacancy below
//! zero, nothing lost. As a yardstick on a shared machine it also measures an authenticated read
//! (`GET /api/v1/session`) at the same concurrency, and prints accepts as a share of that.

#![allow(clippy::print_stdout)] // a benchmark reports on stdout

use futures::future::join_all;
use hearth_demo::{DEMO_PASSWORD, DemoConfig};
use hearth_domain::OfferId;
use hearth_domain::audit::Actor;
use hearth_domain::dispatch::SendMode;
use hearth_domain::home::Vacancy;
use hearth_domain::offer::{OfferDraft, OfferTerms};
use hearth_domain::org::Role;
use hearth_domain::referral::ReferralStatus;
use hearth_domain::referral_form::ReferralInput;
use hearth_service::{AuthPolicy, ManualClock, Services};
use hearth_store::{NewSending, Notify, Store};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const WORKERS: usize = 32;

fn main() {
    let n: usize = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(1500);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let dir = tempfile::tempdir().expect("tempdir");
        let sqlite = format!("sqlite://{}/bench.sqlite", dir.path().display());
        run("SQLite", &sqlite, n).await;
        match std::env::var("HEARTH_TEST_POSTGRES_URL").ok().filter(|s| !s.is_empty()) {
            Some(admin) => {
                let name = format!("hearth_bench_{}", std::process::id());
                let root = admin.rsplit_once('/').map_or(admin.as_str(), |(r, _)| r).to_owned();
                let mut adm = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await.expect("admin");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut adm)
                    .await
                    .expect("create");
                run("PostgreSQL", &format!("{root}/{name}"), n).await;
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                    .execute(&mut adm)
                    .await
                    .expect("drop");
            }
            None => println!("PostgreSQL skipped: set HEARTH_TEST_POSTGRES_URL to an admin address"),
        }
    });
}

async fn run(backend: &str, url: &str, n: usize) {
    let store = hearth_store::open(url).await.expect("open");
    store.migrate().await.expect("migrate");
    let today = jiff::civil::date(2026, 11, 25);
    let seed = hearth_demo::generate(&DemoConfig { seed: 2026, today });
    let actor = Actor::system("bench");
    store.load_region(&actor, &seed, jiff::Timestamp::now()).await.expect("load");
    let hash = hearth_service::auth::hash_password(DEMO_PASSWORD).expect("hash");
    store.set_missing_password_hashes(&actor, &hash, jiff::Timestamp::now()).await.expect("passwords");

    let prepared = Instant::now();
    let offers = prepare(&store, &seed, n).await;
    println!(
        "{backend}: prepared {} referrals with a live offer each in {:.1} s",
        offers.len(),
        prepared.elapsed().as_secs_f64()
    );

    let clock = Arc::new(ManualClock::new("2026-11-25T12:00:00Z".parse().expect("now")));
    let services = Services::new(Arc::clone(&store), clock, AuthPolicy::default());
    services.load_supply().await.expect("index");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(hearth_web::serve(listener, hearth_web::App::with_services(services), async {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::builder().pool_max_idle_per_host(WORKERS).build().expect("client");

    // One signed-in officer per council; 32 workers share them.
    let mut cookies: HashMap<u16, String> = HashMap::new();
    for u in seed.users.iter().filter(|u| u.role == Role::PlacementOfficer) {
        let Some(la) = seed.organisations.iter().find(|o| o.id == u.organisation).and_then(|o| o.la_code) else {
            continue;
        };
        let resp = http
            .post(format!("{base}/api/v1/session"))
            .json(&serde_json::json!({ "email": u.email.as_str(), "password": DEMO_PASSWORD }))
            .send()
            .await
            .expect("sign in");
        let cookie = resp.headers()["set-cookie"].to_str().expect("cookie").split(';').next().expect("c").to_owned();
        let csrf =
            resp.json::<serde_json::Value>().await.expect("json")["csrf_token"].as_str().expect("csrf").to_owned();
        cookies.insert(la, format!("{cookie}\n{csrf}"));
    }

    let places_before = free_places(&store).await;
    let yardstick = reads(&http, &base, cookies.values().next().expect("a session"), offers.len()).await;
    let (latencies, elapsed, outcomes) = accepts(&http, &base, &cookies, &offers).await;
    let rate = offers.len() as f64 / elapsed.as_secs_f64();
    let (p50, p99, max) = percentiles(latencies);
    println!(
        "{backend}: {} accepts by {WORKERS} officers in {:.2} s = {rate:.0} accepts/s; latency p50 {p50:.1} ms, p99 {p99:.1} ms, max {max:.1} ms; {} 201, {} other",
        offers.len(),
        elapsed.as_secs_f64(),
        outcomes.0,
        outcomes.1
    );
    println!(
        "{backend}: yardstick GET /api/v1/session at {WORKERS} concurrent: {yardstick:.0} req/s; accepts run at {:.1}% of it",
        100.0 * rate / yardstick
    );
    check(&store, &offers).await;
    let taken = places_before - free_places(&store).await;
    assert_eq!(taken, outcomes.0 as u64, "each accept takes exactly one place");
    println!("{backend}: {taken} places taken for {} accepts", outcomes.0);
    let _ = stop.send(());
    let _ = server.await;
}

/// One open referral with one live offer for each of the first `n` looked-after children, each offer
/// naming a vacancy in a home with room for it, spread over the region's homes. A home never advertises
/// more than its places less the children living there (the capacity rule every write keeps), so each
/// home with room gets one vacancy of exactly that room (its first vacancy raised or lowered to it, the
/// others closed, or a new one) and the offers take the homes' places in turn.
async fn prepare(store: &Arc<dyn Store>, seed: &hearth_domain::seed::RegionSeed, n: usize) -> Vec<(u16, OfferId)> {
    let actor = Actor::system("bench");
    let at: jiff::Timestamp = "2026-11-25T09:00:00Z".parse().expect("t");
    let mut placed: HashMap<_, u16> = HashMap::new();
    for p in seed.placements.iter().filter(|p| p.end.is_none()) {
        if let Some(h) = p.home {
            *placed.entry(h).or_default() += 1;
        }
    }
    let mut rooms = Vec::new();
    for home in seed.homes.iter().filter(|h| h.active) {
        let room = home.places.saturating_sub(placed.get(&home.id).copied().unwrap_or(0));
        let mut own = seed.vacancies.iter().filter(|v| v.home == home.id);
        // Lowering first: closing the others before raising one keeps every step within the rule.
        let first = own.next();
        for other in own {
            store.set_vacancy_places(&actor, other.id, 0, jiff::Timestamp::now()).await.expect("close a vacancy");
        }
        if room == 0 {
            if let Some(v) = first {
                store
                    .set_vacancy_places(&actor, v.id, 0, jiff::Timestamp::now())
                    .await
                    .expect("close a full home's vacancy");
            }
            continue;
        }
        let vacancy = match first {
            Some(v) => {
                store.set_vacancy_places(&actor, v.id, room, jiff::Timestamp::now()).await.expect("room for the bench")
            }
            None => {
                let v = Vacancy {
                    id: hearth_domain::VacancyId(0),
                    home: home.id,
                    places: room,
                    available_from: jiff::civil::date(2026, 11, 25),
                    ages: home.ages,
                    sex: home.sex,
                    weekly_price: home.weekly_price,
                };
                store.create_vacancy(&actor, &v, jiff::Timestamp::now()).await.expect("a vacancy for the bench")
            }
        };
        rooms.push((vacancy, room));
    }
    // The homes' places in turn: one from each home with room, then a second from each with two, ...
    let mut slots = Vec::new();
    for round in 0.. {
        let before = slots.len();
        slots.extend(rooms.iter().filter(|(_, room)| *room > round).map(|(v, _)| v.clone()));
        if slots.len() == before {
            break;
        }
    }
    assert!(slots.len() >= n, "the region has room for {} accepts, not {n}", slots.len());
    let homes: HashMap<_, _> = seed.homes.iter().map(|h| (h.id, h)).collect();
    let children: Vec<_> = seed
        .children
        .iter()
        .filter(|c| {
            c.ceased_on.is_none()
                && hearth_domain::child::age_on(c.date_of_birth, at.in_tz("UTC").expect("tz").date()) < 17
        })
        .take(n)
        .collect();
    let mut out = Vec::with_capacity(children.len());
    for (i, child) in children.iter().enumerate() {
        let v = &slots[i];
        let home = homes[&v.home];
        let input: ReferralInput = serde_json::from_value(serde_json::json!({
            "children": [child.id.0], "siblings_together": false, "urgency": "same_day",
            "needed_from": "2026-11-25", "needs": [], "details": {}
        }))
        .expect("input");
        let parsed = input.parse(jiff::civil::date(2026, 11, 25)).expect("parsed");
        let r = store.create_referral(&actor, child.la_code, &parsed, at).await.expect("referral");
        store.transition_referral(&actor, r.id, ReferralStatus::Draft, ReferralStatus::Open, at).await.expect("open");
        let due = at.checked_add(jiff::SignedDuration::from_hours(4)).expect("due");
        let sending = NewSending {
            mode: SendMode::Chosen,
            step: None,
            opened_at: at,
            due_at: due,
            providers: vec![home.provider],
        };
        store.open_sending(&actor, r.id, &sending, &Notify::default()).await.expect("send");
        let draft = OfferDraft {
            home: home.id,
            weekly_price: home.weekly_price,
            start: jiff::civil::date(2026, 11, 25),
            terms: OfferTerms { vacancy: Some(v.id), includes: String::new(), notes: String::new() },
        };
        let o = store.make_offer(&actor, r.id, home.provider, &draft, at, &Notify::default()).await.expect("offer");
        out.push((child.la_code, o.id));
    }
    out
}

async fn reads(http: &reqwest::Client, base: &str, session: &str, n: usize) -> f64 {
    let (cookie, _) = session.split_once('\n').expect("session");
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    join_all((0..WORKERS).map(|_| async {
        while next.fetch_add(1, Ordering::Relaxed) < n {
            let r = http.get(format!("{base}/api/v1/session")).header("cookie", cookie).send().await.expect("read");
            assert!(r.status().is_success());
        }
    }))
    .await;
    n as f64 / started.elapsed().as_secs_f64()
}

async fn accepts(
    http: &reqwest::Client,
    base: &str,
    cookies: &HashMap<u16, String>,
    offers: &[(u16, OfferId)],
) -> (Vec<Duration>, Duration, (usize, usize)) {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    let per_worker = join_all((0..WORKERS).map(|_| async {
        let mut mine = Vec::new();
        let mut ok = (0, 0);
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((la, offer)) = offers.get(i) else { break };
            let (cookie, csrf) = cookies[la].split_once('\n').expect("session");
            let t = Instant::now();
            let r = http
                .post(format!("{base}/api/v1/offers/{offer}/accept"))
                .header("cookie", cookie)
                .header("x-csrf-token", csrf)
                .send()
                .await
                .expect("accept");
            mine.push(t.elapsed());
            if r.status() == reqwest::StatusCode::CREATED {
                ok.0 += 1;
            } else {
                ok.1 += 1;
                eprintln!("offer {offer}: {} {}", r.status(), r.text().await.unwrap_or_default());
            }
        }
        (mine, ok)
    }))
    .await;
    let elapsed = started.elapsed();
    let mut all = Vec::new();
    let mut outcomes = (0, 0);
    for (l, (a, b)) in per_worker {
        all.extend(l);
        outcomes.0 += a;
        outcomes.1 += b;
    }
    (all, elapsed, outcomes)
}

fn percentiles(mut l: Vec<Duration>) -> (f64, f64, f64) {
    l.sort();
    let at = |q: f64| l[((l.len() as f64 - 1.0) * q).round() as usize].as_secs_f64() * 1000.0;
    (at(0.5), at(0.99), at(1.0))
}

/// Nothing lost, nothing twice: every accepted offer has exactly one placement per child and no
/// vacancy went below zero.
async fn check(store: &Arc<dyn Store>, offers: &[(u16, OfferId)]) {
    let mut placed = 0;
    for (_, id) in offers {
        let offer = store.offer(*id).await.expect("offer");
        let referral = store.referral_unaudited(offer.referral).await.expect("referral");
        let placements = store.placements_of_child(referral.children[0]).await.expect("placements");
        let made = placements.iter().filter(|p| p.referral == Some(referral.id)).count();
        assert_eq!(made, 1, "referral {} has {made} placements", referral.id);
        placed += 1;
    }
    println!("checked: {placed} referrals placed once each");
}

async fn free_places(store: &Arc<dyn Store>) -> u64 {
    store.vacancies().await.expect("vacancies").iter().map(|v| u64::from(v.places)).sum()
}
