//! The `hearth` process's life as an operator sees it: the real binary started, written to over HTTP,
//! stopped with SIGTERM, killed with SIGKILL, restarted, checked, pruned and backed up. Each story runs
//! as the trials `sqlite::<story>` and `postgres::<story>` on a database of its own: a file in a fresh
//! temporary folder, or a database `hearth_ops_<uuid>` created through `HEARTH_TEST_POSTGRES_URL` and
//! dropped afterwards. Without that variable the PostgreSQL trials are reported ignored, never passed.
//!
//! ```text
//! HEARTH_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres cargo test -p hearth --test lifecycle
//! ```

mod backup;
mod fixture;
mod health;
mod retention;
mod stop;
#[path = "../../../store/tests/support/test_database.rs"]
mod test_database;

use libtest_mimic::{Arguments, Failed, Trial};
use std::path::PathBuf;
use test_database::TestDatabase;

const POSTGRES_ENV: &str = "HEARTH_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Which backends a story is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    Both,
    SqliteOnly,
}

#[derive(Debug)]
pub struct Story {
    pub name: &'static str,
    pub on: On,
    pub run: fn(&Ctx),
}

/// A story's database and scratch folder.
#[derive(Debug)]
pub struct Ctx {
    pub backend: Backend,
    pub url: String,
    pub dir: PathBuf,
    /// The PostgreSQL admin address, for stories that make a second database.
    pub admin: Option<String>,
}

impl Ctx {
    /// A fresh PostgreSQL database beside the story's own (dropped with the returned guard).
    pub fn another_postgres(&self) -> (String, TestDatabase) {
        let admin = self.admin.as_deref().expect("PostgreSQL stories have the admin address");
        let database = TestDatabase::create(admin, "hearth_ops").expect("create a database");
        (database.url.clone(), database)
    }
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a tokio runtime")
}

pub fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    runtime().block_on(f)
}

fn run(story: &Story, backend: Backend, admin: Option<&str>) -> Result<(), Failed> {
    let dir = tempfile::tempdir().map_err(|e| format!("no temporary folder: {e}"))?;
    let (url, _database) = match backend {
        Backend::Sqlite => (format!("sqlite://{}", dir.path().join("hearth.sqlite").display()), None),
        Backend::Postgres => {
            let admin = admin.ok_or(format!("{POSTGRES_ENV} is not set"))?;
            let database = TestDatabase::create(admin, "hearth_ops")?;
            (database.url.clone(), Some(database))
        }
    };
    let ctx = Ctx { backend, url, dir: dir.path().to_owned(), admin: admin.map(str::to_owned) };
    (story.run)(&ctx);
    Ok(())
}

fn main() -> std::process::ExitCode {
    let args = Arguments::from_args();
    let admin = std::env::var(POSTGRES_ENV).ok().filter(|u| !u.trim().is_empty());
    if admin.is_none() {
        eprintln!("PostgreSQL lifecycle trials SKIPPED: set {POSTGRES_ENV} to run them");
    }
    let mut trials = Vec::new();
    for story in stop::ALL.iter().chain(health::ALL).chain(retention::ALL).chain(backup::ALL) {
        trials.push(Trial::test(format!("sqlite::{}", story.name), move || run(story, Backend::Sqlite, None)));
        if story.on == On::Both {
            let pg = admin.clone();
            trials.push(
                Trial::test(format!("postgres::{}", story.name), move || run(story, Backend::Postgres, pg.as_deref()))
                    .with_ignored_flag(admin.is_none()),
            );
        }
    }
    libtest_mimic::run(&args, trials).exit_code()
}
