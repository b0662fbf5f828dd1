//! The test region, its databases, and a server with a hand-moved clock.

use hearth_demo::{DEMO_PASSWORD, DemoConfig};
use hearth_domain::audit::Actor;
use hearth_domain::org::{OrganisationKind, Role};
use hearth_domain::seed::RegionSeed;
use hearth_domain::{ChildId, HomeId, OrganisationId, ReferralId, UserId, VacancyId};
use hearth_service::{AuthPolicy, ManualClock, Services};
use hearth_store::Store;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use sqlx::{AssertSqlSafe, Connection, PgConnection, SqliteConnection};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::oneshot;

pub const POSTGRES_ENV: &str = "HEARTH_TEST_POSTGRES_URL";
/// Every trial's clock starts here (the demo region is generated as at this day).
pub const START: &str = "2026-11-25T12:00:00Z";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// The demo region, loaded once into a template database per backend, and the records tests need.
#[derive(Debug)]
pub struct Region {
    _dir: tempfile::TempDir,
    sqlite_template: PathBuf,
    pub pg_admin: Option<String>,
    pub pg_template: Option<String>,
    pub facts: Facts,
}

/// Named records of the demo region that the tests use: "own" ones belong to Coventry and provider
/// P, "foreign" ones to Birmingham and provider Q.
#[derive(Debug, Clone)]
pub struct Facts {
    pub coventry: OrganisationId,
    pub birmingham: OrganisationId,
    pub provider_p: OrganisationId,
    pub provider_q: OrganisationId,
    pub hub: OrganisationId,
    pub platform: OrganisationId,
    /// (role, organisation) → e-mail of a demo user.
    pub logins: BTreeMap<(Role, OrganisationId), (UserId, String)>,
    pub coventry_child: ChildId,
    pub birmingham_child: ChildId,
    /// A Coventry referral sent to P, whose offer from P was not accepted: P sees it minimised.
    pub coventry_referral_sent_to_p: ReferralId,
    /// A Coventry referral where P's offer was accepted: P sees it in full.
    pub coventry_referral_accepted_from_p: Option<ReferralId>,
    /// A Coventry referral its own in-house service (the council's organisation) was sent.
    pub coventry_referral_sent_in_house: ReferralId,
    /// A Birmingham referral never sent to P.
    pub birmingham_referral_not_sent_to_p: ReferralId,
    pub p_home: HomeId,
    pub q_home: HomeId,
    pub p_vacancy: (VacancyId, u16),
    pub q_vacancy: (VacancyId, u16),
    pub coventry_vacancy: (VacancyId, u16),
    /// An offer of P's on a Coventry referral, and one of another provider's on a Birmingham one.
    pub p_offer_on_coventry: hearth_domain::OfferId,
    pub other_offer_on_birmingham: hearth_domain::OfferId,
    /// An open Coventry placement in one of P's homes, and an open Birmingham one not in P's homes.
    pub coventry_placement_with_p: hearth_domain::PlacementId,
    pub birmingham_placement: hearth_domain::PlacementId,
}

impl Facts {
    fn of(seed: &RegionSeed) -> Self {
        let org = |name: &str| seed.organisations.iter().find(|o| o.name == name).map(|o| o.id).expect(name);
        let kind_org =
            |k: OrganisationKind| seed.organisations.iter().find(|o| o.kind == k).map(|o| o.id).expect("org");
        let coventry = org("Coventry");
        let birmingham = org("Birmingham");
        let council_of = |la: u16| {
            seed.organisations
                .iter()
                .find(|o| o.kind == OrganisationKind::Council && o.la_code == Some(la))
                .map(|o| o.id)
        };
        let mut sent: BTreeSet<(ReferralId, OrganisationId)> = BTreeSet::new();
        sent.extend(seed.offers.iter().map(|o| (o.referral, o.provider)));
        sent.extend(seed.declines.iter().map(|d| (d.referral, d.provider)));
        let accepted: BTreeSet<(ReferralId, OrganisationId)> = seed
            .offers
            .iter()
            .filter(|o| o.status == hearth_domain::offer::OfferStatus::Accepted)
            .map(|o| (o.referral, o.provider))
            .collect();
        let home_of = |h: HomeId| seed.homes.iter().find(|x| x.id == h).expect("home");
        let vacancy_of = |owner: OrganisationId| {
            seed.vacancies.iter().find(|v| v.places > 0 && home_of(v.home).provider == owner).map(|v| (v.id, v.places))
        };
        let referral_la = |r: ReferralId| seed.referrals.iter().find(|x| x.id == r).map(|x| x.la_code);
        // P: the provider with the most Coventry referrals sent to it, among those with a vacancy.
        let mut counts: BTreeMap<OrganisationId, usize> = BTreeMap::new();
        for (r, p) in &sent {
            if referral_la(*r) == Some(331) {
                *counts.entry(*p).or_default() += 1;
            }
        }
        let is_provider =
            |id: OrganisationId| seed.organisations.iter().any(|o| o.id == id && o.kind == OrganisationKind::Provider);
        let mut ranked: Vec<(usize, OrganisationId)> = counts
            .into_iter()
            .filter(|(p, _)| is_provider(*p) && vacancy_of(*p).is_some())
            .map(|(p, n)| (n, p))
            .collect();
        ranked.sort_by(|a, b| b.cmp(a));
        let provider_p = ranked.first().map(|x| x.1).expect("a provider with referrals and a vacancy");
        let provider_q = seed
            .organisations
            .iter()
            .find(|o| o.kind == OrganisationKind::Provider && o.id != provider_p && vacancy_of(o.id).is_some())
            .map(|o| o.id)
            .expect("a second provider");
        let coventry_referral_sent_to_p = sent
            .iter()
            .find(|(r, p)| *p == provider_p && referral_la(*r) == Some(331) && !accepted.contains(&(*r, *p)))
            .map(|x| x.0)
            .expect("a referral sent to P");
        let coventry_referral_accepted_from_p =
            accepted.iter().find(|(r, p)| *p == provider_p && referral_la(*r) == Some(331)).map(|x| x.0);
        let coventry_referral_sent_in_house = sent
            .iter()
            .find(|(r, p)| *p == coventry && referral_la(*r) == Some(331))
            .map(|x| x.0)
            .expect("a Coventry referral sent to its in-house service");
        let birmingham_referral_not_sent_to_p = seed
            .referrals
            .iter()
            .find(|r| r.la_code == 330 && !sent.contains(&(r.id, provider_p)))
            .map(|r| r.id)
            .expect("a Birmingham referral");
        let child_of = |la: u16| {
            seed.children.iter().find(|c| c.la_code == la && c.ceased_on.is_none()).map(|c| c.id).expect("child")
        };
        let logins =
            seed.users.iter().map(|u| ((u.role, u.organisation), (u.id, u.email.as_str().to_owned()))).collect();
        let _ = council_of;
        let offer_where = |la: u16, by_p: bool| {
            seed.offers
                .iter()
                .find(|o| referral_la(o.referral) == Some(la) && (o.provider == provider_p) == by_p)
                .map(|o| o.id)
                .expect("an offer")
        };
        let p_homes: BTreeSet<HomeId> = seed.homes.iter().filter(|h| h.provider == provider_p).map(|h| h.id).collect();
        let placement_where = |la: u16, in_p: bool| {
            seed.placements
                .iter()
                .find(|p| p.la_code == la && p.end.is_none() && p.home.is_some_and(|h| p_homes.contains(&h)) == in_p)
                .map(|p| p.id)
                .expect("an open placement")
        };
        Self {
            coventry,
            birmingham,
            provider_p,
            provider_q,
            hub: kind_org(OrganisationKind::RegionalHub),
            platform: kind_org(OrganisationKind::Platform),
            logins,
            coventry_child: child_of(331),
            birmingham_child: child_of(330),
            coventry_referral_sent_to_p,
            coventry_referral_sent_in_house,
            coventry_referral_accepted_from_p,
            birmingham_referral_not_sent_to_p,
            p_home: seed.homes.iter().find(|h| h.provider == provider_p).map(|h| h.id).expect("P home"),
            q_home: seed.homes.iter().find(|h| h.provider == provider_q).map(|h| h.id).expect("Q home"),
            p_vacancy: vacancy_of(provider_p).expect("P vacancy"),
            q_vacancy: vacancy_of(provider_q).expect("Q vacancy"),
            coventry_vacancy: vacancy_of(coventry).expect("a Coventry in-house vacancy"),
            p_offer_on_coventry: offer_where(331, true),
            other_offer_on_birmingham: offer_where(330, false),
            coventry_placement_with_p: placement_where(331, true),
            birmingham_placement: placement_where(330, false),
        }
    }

    pub fn email(&self, role: Role, org: OrganisationId) -> &str {
        &self.logins.get(&(role, org)).unwrap_or_else(|| panic!("no demo {role:?} in organisation {org}")).1
    }

    pub fn user(&self, role: Role, org: OrganisationId) -> UserId {
        self.logins.get(&(role, org)).unwrap_or_else(|| panic!("no demo {role:?} in organisation {org}")).0
    }
}

async fn load(store: &Arc<dyn Store>, seed: &RegionSeed, hash: &str) {
    store.migrate().await.expect("migrate");
    let actor = Actor::system("test fixture");
    // Loaded when every trial's clock starts, so the audit log's first lines are in the trial's time.
    let at: jiff::Timestamp = START.parse().expect("start");
    store.load_region(&actor, seed, at).await.expect("load the demo region");
    store.set_missing_password_hashes(&actor, hash, at).await.expect("passwords");
}

fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime").block_on(f)
}

impl Region {
    pub fn prepare(pg_admin: Option<&str>, _args: &libtest_mimic::Arguments) -> Self {
        let seed = hearth_demo::generate(&DemoConfig { seed: 2026, today: jiff::civil::date(2026, 11, 25) });
        let facts = Facts::of(&seed);
        let hash = hearth_service::auth::hash_password(DEMO_PASSWORD).expect("hash");
        let dir = tempfile::tempdir().expect("tempdir");
        let sqlite_template = dir.path().join("template.sqlite");
        let pg_template = pg_admin.map(|_| format!("hearth_tpl_{}", uuid::Uuid::new_v4().simple()));
        block(async {
            let url = format!("sqlite://{}", sqlite_template.display());
            let store = hearth_store::open(&url).await.expect("open SQLite");
            load(&store, &seed, &hash).await;
            let mut raw = SqliteConnection::connect(&url).await.expect("raw");
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut raw).await.expect("checkpoint");
            if let (Some(admin), Some(name)) = (pg_admin, &pg_template) {
                let mut adm = PgConnection::connect(admin).await.expect("PostgreSQL admin connection");
                exec(&mut adm, &format!("CREATE DATABASE {name}")).await;
                let store = hearth_store::open(&db_url(admin, name)).await.expect("open PostgreSQL");
                load(&store, &seed, &hash).await;
                drop(store);
                // A template cannot be cloned while anyone is connected to it.
                exec(
                    &mut adm,
                    &format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()"),
                )
                .await;
            }
        });
        Self { _dir: dir, sqlite_template, pg_admin: pg_admin.map(str::to_owned), pg_template, facts }
    }

    pub fn clean_up(&self) {
        if let (Some(admin), Some(name)) = (&self.pg_admin, &self.pg_template) {
            block(async {
                let mut adm = PgConnection::connect(admin).await.expect("admin");
                exec(&mut adm, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
            });
        }
    }
}

async fn exec(conn: &mut PgConnection, sql: &str) {
    sqlx::query(AssertSqlSafe(sql.to_owned())).execute(conn).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

/// The admin address with its database name replaced.
fn db_url(admin: &str, db: &str) -> String {
    let (base, query) = admin.split_once('?').map_or((admin, None), |(b, q)| (b, Some(q)));
    let root = base.rsplit_once('/').map_or(base, |(r, _)| r);
    match query {
        Some(q) => format!("{root}/{db}?{q}"),
        None => format!("{root}/{db}"),
    }
}

/// A running Hearth on its own copy of the region.
#[derive(Debug)]
pub struct Server {
    pub base: String,
    pub facts: Facts,
    pub clock: Arc<ManualClock>,
    pub store: Arc<dyn Store>,
    /// The server's own service layer, for what runs in the background in production (the
    /// escalation job, outbox delivery), driven here by hand with the clock.
    pub services: Services,
    pub backend: Backend,
    http: reqwest::Client,
    stop: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

/// A signed-in browser: its cookie and CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
    pub body: Value,
}

/// How a request authenticates.
#[derive(Debug, Clone, Copy)]
pub enum As<'a> {
    Nobody,
    /// Cookie and CSRF header, as the portal's own pages and scripts send.
    Browser(&'a Session),
    /// Cookie without the CSRF header, as a forged cross-site form would arrive.
    CookieOnly(&'a Session),
    Bearer(&'a str),
}

impl Server {
    pub async fn start(region: &Region, backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let (url, pg) = match backend {
            Backend::Sqlite => {
                let file = dir.path().join("hearth.sqlite");
                std::fs::copy(&region.sqlite_template, &file).expect("copy the template");
                (format!("sqlite://{}", file.display()), None)
            }
            Backend::Postgres => {
                let admin = region.pg_admin.clone().expect("admin");
                let template = region.pg_template.clone().expect("template");
                let name = format!("hearth_test_{}", uuid::Uuid::new_v4().simple());
                let mut adm = PgConnection::connect(&admin).await.expect("admin");
                exec(&mut adm, &format!("CREATE DATABASE {name} TEMPLATE {template}")).await;
                (db_url(&admin, &name), Some((admin, name)))
            }
        };
        let store = hearth_store::open(&url).await.expect("open");
        let start: jiff::Timestamp = START.parse().expect("start");
        let clock = Arc::new(ManualClock::new(start));
        let services = Services::new(Arc::clone(&store), clock.clone(), AuthPolicy::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(hearth_web::serve(listener, hearth_web::App::with_services(services.clone()), async {
            let _ = stopped.await;
        }));
        Self {
            base,
            facts: region.facts.clone(),
            clock,
            store,
            services,
            backend,
            http: reqwest::Client::new(),
            stop: Some(stop),
            _dir: dir,
            pg,
        }
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some((admin, name)) = self.pg.take() {
            let mut adm = PgConnection::connect(&admin).await.expect("admin");
            exec(&mut adm, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
        }
    }

    pub async fn call(&self, method: Method, path: &str, who: As<'_>, body: Option<Value>) -> (StatusCode, Value) {
        let (status, _, json) = self.call_full(method, path, who, body).await;
        (status, json)
    }

    pub async fn call_full(
        &self,
        method: Method,
        path: &str,
        who: As<'_>,
        body: Option<Value>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        req = match who {
            As::Nobody => req,
            As::Browser(s) => req.header("cookie", &s.cookie).header("x-csrf-token", &s.csrf),
            As::CookieOnly(s) => req.header("cookie", &s.cookie),
            As::Bearer(t) => req.bearer_auth(t),
        };
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.expect("body");
        let json =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        (status, headers, json)
    }

    /// Posts a CSV file (`Content-Type: text/csv`), as a provider's system sends an upkeep file.
    pub async fn call_csv(&self, path: &str, who: As<'_>, csv: &str) -> (StatusCode, Value) {
        let mut req = self.http.post(format!("{}{path}", self.base)).header("content-type", "text/csv");
        req = match who {
            As::Nobody => req,
            As::Browser(s) => req.header("cookie", &s.cookie).header("x-csrf-token", &s.csrf),
            As::CookieOnly(s) => req.header("cookie", &s.cookie),
            As::Bearer(t) => req.bearer_auth(t),
        };
        let resp = req.body(csv.to_owned()).send().await.expect("request");
        let status = resp.status();
        let text = resp.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str, who: As<'_>) -> (StatusCode, Value) {
        self.call(Method::GET, path, who, None).await
    }

    /// Signs in; panics unless it works.
    pub async fn sign_in(&self, email: &str) -> Session {
        self.try_sign_in(email, DEMO_PASSWORD).await.unwrap_or_else(|(s, b)| panic!("sign-in of {email}: {s} {b}"))
    }

    pub async fn try_sign_in(&self, email: &str, password: &str) -> Result<Session, (StatusCode, Value)> {
        let body = serde_json::json!({ "email": email, "password": password });
        let (status, headers, json) = self.call_full(Method::POST, "/api/v1/session", As::Nobody, Some(body)).await;
        if status != StatusCode::CREATED {
            return Err((status, json));
        }
        let set_cookie = headers.get("set-cookie").and_then(|v| v.to_str().ok()).expect("a session cookie");
        let cookie = set_cookie.split(';').next().expect("cookie").to_owned();
        let csrf = json["csrf_token"].as_str().expect("csrf").to_owned();
        Ok(Session { cookie, csrf, body: json })
    }

    /// The number of audit rows whose action starts with `prefix`.
    pub async fn audit_count(&self, prefix: &str) -> usize {
        let q = hearth_store::AuditQuery { action_prefix: Some(prefix.to_owned()), ..Default::default() };
        self.store.audit(&q).await.expect("audit").len()
    }
}
