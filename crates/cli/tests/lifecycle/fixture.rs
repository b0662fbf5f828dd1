//! A small region (one provider, one manager, one home and an API token), the real `hearth` process,
//! and writers that open vacancies over HTTP as a provider's system would.

use hearth_domain::access::Capability;
use hearth_domain::audit::Actor;
use hearth_domain::home::{
    AgeRange, Home, HomeKind, Judgement, RegistrationStatus, RiskRating, SexAccepted, Skills, WeeklyPrice,
};
use hearth_domain::org::{Email, Organisation, OrganisationKind, Role, Sector, User};
use hearth_domain::seed::RegionSeed;
use hearth_domain::{GridRef, HomeId, OrganisationId, PostcodeDistrict, UserId};
use hearth_store::NewApiToken;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

pub const PROVIDER: OrganisationId = OrganisationId(1);
pub const MANAGER: UserId = UserId(1);
pub const HOME: HomeId = HomeId(1);

/// What the stories need to write: the API token of the provider's manager.
#[derive(Debug, Clone)]
pub struct Seeded {
    pub token: String,
}

fn region() -> RegionSeed {
    let provider = Organisation {
        id: PROVIDER,
        kind: OrganisationKind::Provider,
        name: "Lifecycle Care Ltd".into(),
        la_code: None,
        sector: Some(Sector::Private),
    };
    let manager = User {
        id: MANAGER,
        organisation: PROVIDER,
        email: Email::parse("manager@lifecycle.example").expect("an e-mail"),
        display_name: "Provider Manager".into(),
        role: Role::ProviderManager,
    };
    let home = Home {
        id: HOME,
        provider: PROVIDER,
        kind: HomeKind::ChildrensHome,
        name: "Lifecycle House".into(),
        urn: Some("SC000001".into()),
        registration: RegistrationStatus::Registered,
        judgement: Some(Judgement::Good),
        last_inspected: Some(jiff::civil::date(2025, 6, 12)),
        risk: RiskRating::Low,
        la_code: Some(331),
        utla: "E08000026".into(),
        district: PostcodeDistrict::parse("CV2").expect("a district"),
        grid: GridRef { easting: 435_000, northing: 280_000 },
        // Room for every one-place vacancy the writers open: a home's vacancies may never advertise more
        // places than it has (hearth_domain::capacity), and these tests are about the process, not that.
        places: 1_000,
        ages: AgeRange::new(8, 17).expect("ages"),
        sex: SexAccepted::Any,
        skills: Skills::empty(),
        other_children: 0,
        pets: false,
        weekly_price: WeeklyPrice::new(4_800).expect("a price"),
        active: true,
    };
    RegionSeed { organisations: vec![provider], users: vec![manager], homes: vec![home], ..RegionSeed::default() }
}

/// Migrates the database, loads the small region and issues the manager an API token that may keep
/// the home's vacancies.
pub async fn seed(url: &str) -> Seeded {
    let store = hearth_store::open(url).await.expect("the database opens");
    store.migrate().await.expect("migrate");
    let actor = Actor::system("lifecycle test");
    store.load_region(&actor, &region(), jiff::Timestamp::now()).await.expect("load the small region");
    let token = format!("{}{}", hearth_service::auth::TOKEN_PREFIX, hearth_service::auth::new_secret());
    let record = NewApiToken {
        token_hash: hearth_service::auth::secret_hash(&token),
        organisation: PROVIDER,
        issued_by: MANAGER,
        name: "lifecycle writers".into(),
        scopes: vec![Capability::ManageVacancies],
        created_at: jiff::Timestamp::now(),
        expires_at: None,
    };
    store.create_api_token(&actor, &record).await.expect("a token");
    Seeded { token }
}

/// The vacancies on the home, by weekly price (each writer's request has a price of its own).
pub async fn stored_prices(url: &str) -> BTreeMap<i64, usize> {
    let store = hearth_store::open(url).await.expect("the database reopens");
    let mut by_price = BTreeMap::new();
    for v in store.vacancies().await.expect("vacancies").into_iter().filter(|v| v.home == HOME) {
        *by_price.entry(i64::from(v.weekly_price.pounds())).or_insert(0) += 1;
    }
    by_price
}

/// `hearth serve` on `url`, listening on a free port, its log in the story's folder.
#[derive(Debug)]
pub struct Hearth {
    child: Child,
    pub base: String,
    pub log: std::path::PathBuf,
}

impl Hearth {
    pub fn start(url: &str, dir: &std::path::Path, extra: &[&str]) -> Self {
        let log = dir.join(format!("hearth-{}.log", uuid::Uuid::new_v4().simple()));
        let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args(["serve", "--database", url, "--listen", "127.0.0.1:0"])
            .args(extra)
            .env_remove("DATABASE_URL")
            .env_remove("HEARTH_LISTEN")
            .env_remove("HEARTH_SMTP_URL")
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).expect("a log file"))
            .spawn()
            .expect("hearth starts");
        // The address is printed once the port is bound, so connections from here on are accepted.
        let stdout = child.stdout.take().expect("stdout");
        let mut base = None;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("a line of output");
            if let Some(rest) = line.split("serving ").nth(1) {
                base = rest.split('/').take(3).collect::<Vec<_>>().join("/").into();
                break;
            }
        }
        let Some(base) = base else {
            let status = child.wait().expect("hearth ended");
            panic!("hearth did not start ({status}): {}", std::fs::read_to_string(&log).unwrap_or_default());
        };
        Self { child, base, log }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Sends a signal by name (`TERM`, `KILL`) with the system's `kill`.
    pub fn signal(&self, name: &str) {
        let sent = Command::new("kill").arg(format!("-{name}")).arg(self.pid().to_string()).status().expect("kill");
        assert!(sent.success(), "kill -{name} failed");
    }

    pub fn wait(&mut self) -> ExitStatus {
        self.child.wait().expect("hearth ends")
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Hearth {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().timeout(std::time::Duration::from_secs(60)).build().expect("an HTTP client")
}

/// Waits for `/health` to answer; the server accepts connections from the moment it prints its address.
pub async fn health(http: &reqwest::Client, base: &str) -> (u16, serde_json::Value) {
    let r = http.get(format!("{base}/health")).send().await.expect("/health answers");
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or_default())
}

/// What became of one write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 201: the vacancy was stored.
    Acknowledged,
    /// Any other answer.
    Refused(u16),
    /// No answer: the connection failed or was cut.
    Lost,
}

/// One writer's request: its Idempotency-Key and the weekly price that identifies what it stores.
pub fn request(writer: usize, n: usize) -> (String, i64) {
    (format!("writer-{writer}-request-{n}"), 1_000 + (writer as i64) * 1_000 + n as i64)
}

pub async fn open_vacancy(http: &reqwest::Client, base: &str, token: &str, key: &str, price: i64) -> Outcome {
    let sent = http
        .post(format!("{base}/api/v1/homes/{HOME}/vacancies"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&serde_json::json!({ "places": 1, "weekly_price": price }))
        .send()
        .await;
    match sent {
        Ok(r) if r.status().as_u16() == 201 => match r.bytes().await {
            Ok(_) => Outcome::Acknowledged,
            Err(_) => Outcome::Lost,
        },
        Ok(r) => Outcome::Refused(r.status().as_u16()),
        Err(_) => Outcome::Lost,
    }
}

/// Every request the writers sent and what became of it.
#[derive(Debug, Default)]
pub struct Writes {
    pub outcomes: BTreeMap<(usize, usize), Outcome>,
}

impl Writes {
    pub fn prices(&self, want: impl Fn(&Outcome) -> bool) -> BTreeSet<i64> {
        self.outcomes.iter().filter(|(_, o)| want(o)).map(|((w, n), _)| request(*w, *n).1).collect()
    }

    pub fn acknowledged(&self) -> BTreeSet<i64> {
        self.prices(|o| *o == Outcome::Acknowledged)
    }

    pub fn lost(&self) -> BTreeSet<i64> {
        self.prices(|o| *o == Outcome::Lost)
    }
}

pub const WRITERS: usize = 8;
pub const PER_WRITER: usize = 40;

/// Eight writers, each sending at most `PER_WRITER` requests one after another and stopping at the
/// first that gets no answer. `after` runs once `trigger` writes have been acknowledged, while the
/// writers are still going (the stop, kill or backup lands among requests in flight), and is given
/// the prices of the writes acknowledged by then.
pub async fn write_while(base: &str, token: &str, trigger: usize, after: impl FnOnce(BTreeSet<i64>)) -> Writes {
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(std::sync::Mutex::new(BTreeSet::new()));
    let reached = Arc::new(tokio::sync::Notify::new());
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let (base, token) = (base.to_owned(), token.to_owned());
        let (acknowledged, reached, answered) =
            (Arc::clone(&acknowledged), Arc::clone(&reached), Arc::clone(&answered));
        tasks.push(tokio::spawn(async move {
            // A connection of its own per writer, as separate clients would have.
            let http = client();
            let mut outcomes = Vec::new();
            for n in 0..PER_WRITER {
                let (key, price) = request(w, n);
                let outcome = open_vacancy(&http, &base, &token, &key, price).await;
                let stop = outcome == Outcome::Lost;
                if outcome == Outcome::Acknowledged {
                    answered.lock().expect("the answered set").insert(price);
                }
                if outcome == Outcome::Acknowledged && acknowledged.fetch_add(1, Ordering::SeqCst) + 1 == trigger {
                    reached.notify_one();
                }
                outcomes.push(((w, n), outcome));
                if stop {
                    break;
                }
            }
            // A writer that ran out of requests wakes the story too, so it never waits forever.
            reached.notify_one();
            outcomes
        }));
    }
    reached.notified().await;
    let so_far = answered.lock().expect("the answered set").clone();
    after(so_far);
    let mut writes = Writes::default();
    for t in tasks {
        writes.outcomes.extend(t.await.expect("a writer"));
    }
    writes
}

/// A statement run past Hearth, for setting a scene Hearth has no public way to set, or counting rows.
pub async fn raw_execute(url: &str, sql: &str) {
    use sqlx::Connection;
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url).await.expect("a raw connection");
        sqlx::raw_sql(sql).execute(&mut c).await.expect("the statement");
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.expect("a raw connection");
        sqlx::raw_sql(sql).execute(&mut c).await.expect("the statement");
    }
}

pub async fn count(url: &str, table: &str) -> i64 {
    use sqlx::Connection;
    let sql = sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}"));
    if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url).await.expect("a raw connection");
        sqlx::query_scalar(sql).fetch_one(&mut c).await.expect("a count")
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.expect("a raw connection");
        sqlx::query_scalar(sql).fetch_one(&mut c).await.expect("a count")
    }
}
