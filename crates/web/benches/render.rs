//! How long the main pages take to answer on the server, against the demo region on SQLite: the
//! whole request through the router (session check, service calls with their scoping, the store,
//! the template), with no network in between. Target: a median of 10 ms or less for each.
//!
//! `cargo bench -p hearth-web --bench render`

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use hearth_demo::{DEMO_PASSWORD, DemoConfig};
use hearth_domain::audit::Actor;
use hearth_domain::org::Role;
use hearth_service::{AuthPolicy, ManualClock, Origin, Services};
use std::sync::{Arc, LazyLock};
use tower::ServiceExt;

fn main() {
    divan::main();
}

/// The region, a router over it, and one signed-in cookie per role the pages serve.
struct Bench {
    rt: tokio::runtime::Runtime,
    router: Router,
    cookies: Vec<(Role, String)>,
    referral: i64,
    /// A Coventry referral with offers on it, still open: the send and offers pages.
    offered: i64,
    /// One of Coventry's placements.
    placement: i64,
    _dir: tempfile::TempDir,
}

static BENCH: LazyLock<Bench> = LazyLock::new(|| {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = hearth_demo::generate(&DemoConfig { seed: 2026, today: jiff::civil::date(2026, 11, 25) });
    let (router, cookies, referral) = rt.block_on(async {
        let url = format!("sqlite://{}", dir.path().join("bench.sqlite").display());
        let store = hearth_store::open(&url).await.expect("open");
        store.migrate().await.expect("migrate");
        let actor = Actor::system("bench");
        store.load_region(&actor, &seed, jiff::Timestamp::now()).await.expect("load");
        let hash = hearth_service::auth::hash_password(DEMO_PASSWORD).expect("hash");
        store.set_missing_password_hashes(&actor, &hash, jiff::Timestamp::now()).await.expect("passwords");
        let clock = Arc::new(ManualClock::new("2026-11-25T12:00:00Z".parse().expect("time")));
        let services = Services::new(store, clock, AuthPolicy::default());
        let org = |name: &str| seed.organisations.iter().find(|o| o.name == name).map(|o| o.id).expect("org");
        let provider =
            seed.homes.iter().find(|h| seed.vacancies.iter().any(|v| v.home == h.id)).expect("home").provider;
        let mut cookies = vec![];
        let mut referral = 0;
        for (role, o) in [
            (Role::PlacementOfficer, org("Coventry")),
            (Role::ProviderStaff, provider),
            (Role::Administrator, org("Coventry")),
            (Role::Commissioner, org("Coventry")),
        ] {
            let user = seed.users.iter().find(|u| u.role == role && u.organisation == o).expect("user");
            let signed =
                services.sign_in(user.email.as_str(), DEMO_PASSWORD, &Origin::default()).await.expect("sign in");
            if role == Role::PlacementOfficer {
                referral = services.referrals(&signed.principal, &Origin::default()).await.expect("referrals")[0].id.0;
            }
            cookies.push((role, format!("hearth_session={}", signed.session_secret)));
        }
        (hearth_web::router(hearth_web::App::with_services(services)), cookies, referral)
    });
    let open = |r: &&hearth_domain::referral::Referral| r.la_code == 331 && r.status.is_live();
    let offered = seed
        .referrals
        .iter()
        .filter(open)
        .find(|r| seed.offers.iter().any(|o| o.referral == r.id))
        .map(|r| r.id.0)
        .expect("an open Coventry referral with offers");
    let placement = seed.placements.iter().find(|p| p.la_code == 331).map(|p| p.id.0).expect("a placement");
    Bench { rt, router, cookies, referral, offered, placement, _dir: dir }
});

/// One page, as `role` sees it; panics unless it answers 200.
fn page(role: Role, path: &str) -> usize {
    let b = &*BENCH;
    let cookie = &b.cookies.iter().find(|(r, _)| *r == role).expect("role").1;
    b.rt.block_on(async {
        let req = Request::get(path).header("cookie", cookie).body(Body::empty()).expect("request");
        let resp = b.router.clone().oneshot(req).await.expect("response");
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        axum::body::to_bytes(resp.into_body(), usize::MAX).await.expect("body").len()
    })
}

#[divan::bench]
fn officer_referrals() -> usize {
    page(Role::PlacementOfficer, "/referrals")
}

#[divan::bench]
fn officer_referral() -> usize {
    page(Role::PlacementOfficer, &format!("/referrals/{}", BENCH.referral))
}

#[divan::bench]
fn officer_matches() -> usize {
    page(Role::PlacementOfficer, &format!("/referrals/{}/matches", BENCH.referral))
}

#[divan::bench]
fn officer_new_referral() -> usize {
    page(Role::PlacementOfficer, "/referrals/new")
}

#[divan::bench]
fn provider_homes() -> usize {
    page(Role::ProviderStaff, "/homes")
}

#[divan::bench]
fn provider_referrals() -> usize {
    page(Role::ProviderStaff, "/referrals")
}

#[divan::bench]
fn admin_users() -> usize {
    page(Role::Administrator, "/admin/users")
}

#[divan::bench]
fn admin_audit() -> usize {
    page(Role::Administrator, "/admin/audit")
}

#[divan::bench]
fn commissioner_region() -> usize {
    page(Role::Commissioner, "/region")
}

#[divan::bench]
fn officer_send() -> usize {
    page(Role::PlacementOfficer, &format!("/referrals/{}/send", BENCH.offered))
}

#[divan::bench]
fn officer_offers() -> usize {
    page(Role::PlacementOfficer, &format!("/referrals/{}/offers", BENCH.offered))
}

#[divan::bench]
fn officer_agreement() -> usize {
    page(Role::PlacementOfficer, &format!("/referrals/{}/agreement", BENCH.referral))
}

#[divan::bench]
fn officer_placements() -> usize {
    page(Role::PlacementOfficer, "/placements")
}

#[divan::bench]
fn officer_placement() -> usize {
    page(Role::PlacementOfficer, &format!("/placements/{}", BENCH.placement))
}

#[divan::bench]
fn officer_notices() -> usize {
    page(Role::PlacementOfficer, "/notices")
}

#[divan::bench]
fn provider_placements() -> usize {
    page(Role::ProviderStaff, "/placements")
}

#[divan::bench]
fn provider_offers() -> usize {
    page(Role::ProviderStaff, "/offers")
}

#[divan::bench]
fn officer_search() -> usize {
    page(Role::PlacementOfficer, "/search?near=CV2&age=14&sex=F&urgency=planned")
}

#[divan::bench]
fn officer_children() -> usize {
    page(Role::PlacementOfficer, "/children")
}

#[divan::bench]
fn commissioner_intel() -> usize {
    page(Role::Commissioner, "/intel")
}
