//! What signing in and checking a request cost: Argon2id hashing and verifying, the permission and
//! scoping decision every service call makes, and finding the caller behind a session cookie or an
//! API token in the embedded database.
//!
//! `cargo bench -p hearth-service --bench auth`

use hearth_domain::OrganisationId;
use hearth_domain::access::{Capability, Credential, Principal};
use hearth_domain::audit::Actor;
use hearth_domain::org::{Email, Organisation, OrganisationKind, Role, Sector, User};
use hearth_domain::seed::RegionSeed;
use hearth_service::auth::{hash_password, new_secret, secret_hash, verify_password};
use hearth_service::{Clock, Services, SystemClock};
use hearth_store::{NewApiToken, NewSession, Store};
use std::sync::Arc;

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn argon2id_hash() -> String {
    hash_password(divan::black_box("correct horse battery staple")).expect("hash")
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn argon2id_verify(b: divan::Bencher) {
    let hash = hash_password("correct horse battery staple").expect("hash");
    b.bench(|| verify_password(divan::black_box("correct horse battery staple"), &hash));
}

fn officer() -> Principal {
    Principal {
        user: hearth_domain::UserId(1),
        organisation: OrganisationId(1),
        organisation_kind: OrganisationKind::Council,
        la_code: Some(331),
        role: Role::PlacementOfficer,
        credential: Credential::Session,
        scopes: vec![],
    }
}

/// The decision itself: role, capability and the record's council.
#[divan::bench]
fn permission_and_scope_check(b: divan::Bencher) {
    let p = officer();
    b.bench(|| {
        let own = p.require_council(divan::black_box(Capability::ViewChildren), divan::black_box(331)).is_ok();
        let foreign = p.require_council(Capability::ViewChildren, divan::black_box(330)).is_ok();
        own && !foreign
    });
}

struct Fixture {
    rt: tokio::runtime::Runtime,
    services: Services,
    store: Arc<dyn Store>,
    session: String,
    token: String,
    _dir: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("bench.sqlite").display());
    let (services, session, token) = rt.block_on(async {
        let store: Arc<dyn Store> = hearth_store::open(&url).await.expect("open");
        store.migrate().await.expect("migrate");
        let org = OrganisationId(1);
        let seed = RegionSeed {
            organisations: vec![Organisation {
                id: org,
                kind: OrganisationKind::Council,
                name: "Coventry".into(),
                la_code: Some(331),
                sector: Some(Sector::LocalAuthority),
            }],
            users: vec![User {
                id: hearth_domain::UserId(1),
                organisation: org,
                email: Email::parse("officer@example.org").expect("email"),
                display_name: "Officer".into(),
                role: Role::Administrator,
            }],
            ..RegionSeed::default()
        };
        let actor = Actor::system("bench");
        store.load_region(&actor, &seed, jiff::Timestamp::now()).await.expect("load");
        let now = SystemClock.now();
        let session = new_secret();
        let new = NewSession {
            token_hash: secret_hash(&session),
            user: hearth_domain::UserId(1),
            csrf_token: new_secret(),
            created_at: now,
            expires_at: now.checked_add(jiff::SignedDuration::from_hours(10)).expect("time"),
            ip: None,
            user_agent: None,
        };
        store.create_session(&actor, &new).await.expect("session");
        let token = format!("hearth_{}", new_secret());
        let t = NewApiToken {
            token_hash: secret_hash(&token),
            organisation: org,
            issued_by: hearth_domain::UserId(1),
            name: "bench".into(),
            scopes: vec![Capability::ViewReference],
            created_at: now,
            expires_at: None,
        };
        store.create_api_token(&actor, &t).await.expect("token");
        (store, session, token)
    });
    let services = Services::with_defaults(Arc::clone(&services));
    Fixture { rt, store: Arc::clone(services.store()), services, session, token, _dir: dir }
}

/// Who is behind a session cookie, as a request finds out: hash the secret, then the in-process
/// memory of recent sessions (the database is asked once per session every 15 s).
#[divan::bench(sample_count = 500)]
fn authenticate_session(b: divan::Bencher) {
    let f = fixture();
    b.bench(|| f.rt.block_on(f.services.authenticate_session(&f.session)).expect("session").0.user);
}

#[divan::bench(sample_count = 500)]
fn authenticate_token(b: divan::Bencher) {
    let f = fixture();
    b.bench(|| f.rt.block_on(f.services.authenticate_token(&f.token)).expect("token").user);
}

/// The same without that memory, as on the first request of a session or after 15 s: one indexed
/// lookup of the hashed secret and one of the account, in the embedded database.
#[divan::bench(sample_count = 200)]
fn session_lookup_in_sqlite(b: divan::Bencher) {
    let f = fixture();
    let hash = secret_hash(&f.session);
    b.bench(|| {
        f.rt.block_on(async {
            let s = f.store.session_by_hash(&hash).await.expect("lookup").expect("session");
            f.store.account(s.user).await.expect("account").active
        })
    });
}
