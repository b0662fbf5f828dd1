//! The storage conformance suite: one set of stories, each run against SQLite and PostgreSQL as the
//! trials `sqlite::<story>` and `postgres::<story>`, each on a database of its own.
//!
//! SQLite trials use a file in a fresh temporary folder. PostgreSQL trials create a database
//! `hearth_test_<uuid>` through the admin URL in `HEARTH_TEST_POSTGRES_URL` and drop it afterwards;
//! without that variable they are reported as ignored (never as passed), with a line on stderr.
//!
//! ```text
//! HEARTH_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres cargo test -p hearth-store
//! cargo test -p hearth-store --test conformance -- --ignored demo_size   # timings at the demo's size
//! ```

mod seeds;
// `stories!`, which lists a file's stories, is defined there and used by `market` too.
#[macro_use]
mod stories;
mod market;

#[path = "../support/test_database.rs"]
mod test_database;

use hearth_store::{Backend, Store};
use libtest_mimic::{Arguments, Failed, Trial};
use sqlx::{AssertSqlSafe, Connection, PgConnection, SqliteConnection};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use test_database::TestDatabase;

const POSTGRES_ENV: &str = "HEARTH_TEST_POSTGRES_URL";

pub type StoryFuture<'a> = Pin<Box<dyn Future<Output = ()> + 'a>>;
pub type StoryFn = for<'a> fn(Arc<dyn Store>, &'a Ctx) -> StoryFuture<'a>;

/// Which backends a story is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    Both,
    SqliteOnly,
    /// Both, but only on request (`--ignored`): slow measurements rather than checks.
    BothOnRequest,
}

#[derive(Debug)]
pub struct Story {
    pub name: &'static str,
    pub on: On,
    pub run: StoryFn,
}

/// What a story has besides its store: which backend, the database's address, a scratch folder.
#[derive(Debug)]
pub struct Ctx {
    pub backend: Backend,
    pub url: String,
    pub dir: PathBuf,
}

impl Ctx {
    /// Another store on the same database, as a restarted Hearth would open it.
    pub async fn reopen(&self) -> Arc<dyn Store> {
        hearth_store::open(&self.url).await.expect("the database reopens")
    }

    /// A connection past the store, for checking what the database itself allows.
    pub async fn raw(&self) -> Raw {
        match self.backend {
            Backend::Sqlite => {
                Raw::Sqlite(SqliteConnection::connect(&self.url).await.expect("a raw SQLite connection"))
            }
            Backend::Postgres => {
                Raw::Postgres(PgConnection::connect(&self.url).await.expect("a raw PostgreSQL connection"))
            }
        }
    }
}

#[derive(Debug)]
pub enum Raw {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

impl Raw {
    pub async fn execute(&mut self, sql: &str) -> Result<u64, sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_owned());
        Ok(match self {
            Raw::Sqlite(c) => sqlx::raw_sql(sql).execute(c).await?.rows_affected(),
            Raw::Postgres(c) => sqlx::raw_sql(sql).execute(c).await?.rows_affected(),
        })
    }

    pub async fn i64(&mut self, sql: &str) -> Result<i64, sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_owned());
        match self {
            Raw::Sqlite(c) => sqlx::query_scalar(sql).fetch_one(c).await,
            Raw::Postgres(c) => sqlx::query_scalar(sql).fetch_one(c).await,
        }
    }

    /// Applies this backend's migrations up to `version` only: a database as an older Hearth left it.
    pub async fn migrate_to(&mut self, version: i64) -> Result<(), sqlx::migrate::MigrateError> {
        let folder = match self {
            Raw::Sqlite(_) => "sqlite",
            Raw::Postgres(_) => "postgres",
        };
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(folder);
        let migrator = sqlx::migrate::Migrator::new(dir).await?;
        match self {
            Raw::Sqlite(c) => migrator.run_to(version, c).await,
            Raw::Postgres(c) => migrator.run_to(version, c).await,
        }
    }

    pub async fn text(&mut self, sql: &str) -> Result<String, sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_owned());
        match self {
            Raw::Sqlite(c) => sqlx::query_scalar(sql).fetch_one(c).await,
            Raw::Postgres(c) => sqlx::query_scalar(sql).fetch_one(c).await,
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| format!("no tokio runtime: {e}"))
}

fn run_sqlite(story: &Story) -> Result<(), Failed> {
    let dir = tempfile::tempdir().map_err(|e| format!("no temporary folder: {e}"))?;
    let ctx = Ctx {
        backend: Backend::Sqlite,
        url: format!("sqlite://{}", dir.path().join("hearth.db").display()),
        dir: dir.path().to_owned(),
    };
    runtime()?.block_on(async {
        let store = hearth_store::open(&ctx.url).await.map_err(|e| format!("cannot open {}: {e}", ctx.url))?;
        (story.run)(store, &ctx).await;
        Ok(())
    })
}

fn run_postgres(story: &Story, admin: Option<&str>) -> Result<(), Failed> {
    let admin = admin.ok_or(format!("{POSTGRES_ENV} is not set"))?;
    let dir = tempfile::tempdir().map_err(|e| format!("no temporary folder: {e}"))?;
    // Dropped however the story ends, a failed assertion included.
    let database = TestDatabase::create(admin, "hearth_test")?;
    let ctx = Ctx { backend: Backend::Postgres, url: database.url.clone(), dir: dir.path().to_owned() };
    runtime()?.block_on(async {
        let store = hearth_store::open(&ctx.url).await.map_err(|e| format!("cannot open the test database: {e}"))?;
        (story.run)(store, &ctx).await;
        Ok(())
    })
}

fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let admin = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.trim().is_empty());
    if admin.is_none() {
        eprintln!("PostgreSQL conformance suite SKIPPED: set {POSTGRES_ENV} to run it");
    }
    let mut trials = Vec::new();
    for story in stories::ALL.iter().chain(market::ALL) {
        let on_request = story.on == On::BothOnRequest;
        trials.push(
            Trial::test(format!("sqlite::{}", story.name), move || run_sqlite(story)).with_ignored_flag(on_request),
        );
        if story.on != On::SqliteOnly {
            let ignored = on_request || admin.is_none();
            let admin = admin.clone();
            trials.push(
                Trial::test(format!("postgres::{}", story.name), move || run_postgres(story, admin.as_deref()))
                    .with_ignored_flag(ignored),
            );
        }
    }
    libtest_mimic::run(&args, trials).exit_code()
}
