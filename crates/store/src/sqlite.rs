//! The SQLite backend: Hearth's embedded default, one file (by default under `./data/`).
//!
//! Durable and safe for several connections: WAL journal (readers never wait for the writer),
//! `synchronous=FULL` (a commit is on disk when it returns), foreign keys enforced, and a busy timeout
//! so a second writer waits its turn instead of failing. Every write transaction starts with
//! `BEGIN IMMEDIATE`, taking the write lock up front: a transaction that reads and then writes cannot
//! then fail half-way because another writer got in first.

use crate::error::{CONNECT_TIMEOUT, from_sqlx};
use crate::{Backend, StoreError};
use sqlx::Sqlite;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

/// SQLite's result code for "file is not a database".
const SQLITE_NOTADB: &str = "26";

/// How long a writer waits for another to finish before giving up (SQLite allows one at a time).
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Several readers alongside the one writer SQLite allows; more would only queue.
const MAX_CONNECTIONS: u32 = 8;

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The file, as errors name it.
    url: String,
    /// This process's writers take turns here (see `write_tx`).
    writer: Arc<tokio::sync::Mutex<()>>,
}

impl SqliteStore {
    const BACKEND: Backend = Backend::Sqlite;
    /// SQLite's default SQLITE_MAX_VARIABLE_NUMBER since 3.32.
    const MAX_BINDS: usize = 32_766;
    const MIGRATIONS_TABLE_EXISTS: &'static str =
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')";
    /// `BEGIN IMMEDIATE` already holds the write lock, so a plain read is enough.
    const LOCK_VACANCY: &'static str = "SELECT places FROM vacancies WHERE id = $1";
    /// The write transaction already holds the whole database (`BEGIN IMMEDIATE`).
    const LOCK_HOME: &'static str = "SELECT name, places FROM homes WHERE id = $1";

    /// Opens (creating if missing, with its folder) the SQLite database at `url`: `sqlite://PATH`,
    /// `sqlite:PATH` or `sqlite::memory:`. A file that is not a database is refused untouched
    /// ([`StoreError::Corrupt`]).
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url).map_err(|_| StoreError::InvalidUrl(url.to_owned()))?;
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let path = options.get_filename().to_owned();
        let shown = path.display().to_string();
        if !in_memory {
            create_parent(&path, &shown)?;
        }
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let mut pool = SqlitePoolOptions::new().max_connections(MAX_CONNECTIONS).acquire_timeout(CONNECT_TIMEOUT);
        if in_memory {
            // An in-memory database lives only while a connection holds it.
            pool = pool.min_connections(1).idle_timeout(None).max_lifetime(None);
        }
        // Opening a connection applies the pragmas above, which read the file's header: a file that is
        // not a database fails here, before anything has been written to it.
        let pool = pool.connect_with(options).await.map_err(|e| open_error(&shown, e))?;
        Ok(Self { pool, url: shown, writer: Arc::default() })
    }

    /// The SQLite migrations, embedded in the binary.
    fn migrator() -> &'static sqlx::migrate::Migrator {
        static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
        &MIGRATOR
    }

    async fn begin_write(&self) -> Result<crate::write_tx::WriteTx<Sqlite>, sqlx::Error> {
        let turn = Arc::clone(&self.writer).lock_owned().await;
        Ok(crate::write_tx::WriteTx::new(self.pool.begin_with("BEGIN IMMEDIATE").await?, Some(turn)))
    }

    /// SQLite hands out `max(id) + 1` for a new row by itself; nothing to fix after a load.
    async fn after_load(_conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        Ok(())
    }
}

/// The store's one implementation, compiled for SQLite (see `sql_store/mod.rs`).
type This = SqliteStore;
type Db = Sqlite;
// Loaded once per backend on purpose: that is how the one implementation gets concrete types.
#[allow(clippy::duplicate_mod)]
#[path = "sql_store/mod.rs"]
mod sql_store;

/// How many of `quick_check`'s findings a refusal names: the first few say what is wrong; a damaged
/// table can produce thousands.
const FINDINGS_SHOWN: usize = 3;

impl SqliteStore {
    /// SQLite's `quick_check`: every page of every table and index is read and its structure checked
    /// (not that indexes match their tables, which takes far longer). One row `ok` when all is well.
    async fn quick_check(&self) -> Result<(), StoreError> {
        let findings: Vec<String> = match sqlx::query_scalar("PRAGMA quick_check").fetch_all(&self.pool).await {
            Ok(rows) => rows,
            // Damage can be bad enough that the check itself fails: that is a finding too.
            Err(sqlx::Error::Database(db)) => vec![db.message().to_owned()],
            Err(e) => return Err(from_sqlx(&self.url, e)),
        };
        if findings.len() == 1 && findings[0] == "ok" {
            return Ok(());
        }
        let mut finding = findings.iter().take(FINDINGS_SHOWN).cloned().collect::<Vec<_>>().join("; ");
        if findings.len() > FINDINGS_SHOWN {
            finding.push_str(&format!(" and {} more", findings.len() - FINDINGS_SHOWN));
        }
        Err(StoreError::Damaged { path: self.url.clone(), finding })
    }

    /// `VACUUM INTO` writes the database as one read transaction sees it: consistent, while writers
    /// carry on (they are not blocked; WAL readers never are), and compacted. The file must not exist.
    async fn backup_into(&self, path: &Path) -> Result<(), StoreError> {
        let target = path.to_str().ok_or_else(|| {
            StoreError::Invalid(format!("the backup's path {} is not valid UTF-8; choose another", path.display()))
        })?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.pool).await.map_err(|e| from_sqlx(&self.url, e))?;
        Ok(())
    }
}

fn create_parent(path: &Path, shown: &str) -> Result<(), StoreError> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => {
            std::fs::create_dir_all(parent).map_err(|e| StoreError::Unavailable {
                url: shown.to_owned(),
                reason: format!("cannot create the folder {} ({e})", parent.display()),
            })
        }
        _ => Ok(()),
    }
}

fn open_error(shown: &str, e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::Database(db) if db.code().as_deref() == Some(SQLITE_NOTADB) => {
            StoreError::Corrupt { path: shown.to_owned() }
        }
        sqlx::Error::Database(db) => StoreError::Unavailable {
            url: shown.to_owned(),
            reason: format!("SQLite cannot open it ({})", db.message()),
        },
        other => from_sqlx(shown, other),
    }
}

#[cfg(test)]
mod tests {
    use super::SqliteStore;
    use crate::Store;

    async fn pragma(store: &SqliteStore, name: &str) -> String {
        let sql = sqlx::AssertSqlSafe(format!("SELECT CAST((SELECT * FROM pragma_{name}) AS TEXT)"));
        sqlx::query_scalar(sql).fetch_one(&store.pool).await.expect("a pragma")
    }

    #[tokio::test]
    async fn connections_are_durable_and_checked() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}/nested/folder/hearth.db", dir.path().display());
        let store = SqliteStore::connect(&url).await.expect("the file and its folders are created");
        assert!(dir.path().join("nested/folder/hearth.db").exists());
        assert_eq!(pragma(&store, "journal_mode").await, "wal");
        assert_eq!(pragma(&store, "synchronous").await, "2", "FULL");
        assert_eq!(pragma(&store, "foreign_keys").await, "1");
        assert_eq!(pragma(&store, "busy_timeout").await, "5000");
    }

    /// The escalation job runs this every 30 s over every open sending: each correlated look-up must be
    /// an index search, never a scan of a whole table once per sending (which took seconds at a few
    /// hundred open sendings). Timing it would be flaky; the plan is what makes it fast.
    #[tokio::test]
    async fn the_escalation_query_searches_by_index() {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("an in-memory database");
        store.migrate().await.expect("migrate");
        let sql = format!("EXPLAIN QUERY PLAN {}", crate::market_sql::OPEN_SENDINGS.get());
        let rows: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&store.pool).await.expect("a plan");
        let plan: Vec<&str> = rows.iter().map(|r| r.3.as_str()).collect();
        // The outer loop over the open sendings is the only scan allowed.
        let scans: Vec<_> = plan.iter().filter(|l| l.starts_with("SCAN") && !l.starts_with("SCAN s")).collect();
        assert!(scans.is_empty(), "whole-table scans inside the per-sending look-ups: {plan:#?}");
        for table in ["t USING COVERING INDEX", "o USING COVERING INDEX", "d USING COVERING INDEX"] {
            assert!(plan.iter().any(|l| l.contains(table)), "{table} missing from {plan:#?}");
        }
    }

    /// A database written before 0012 holds moments of several widths (sqlx's RFC 3339 text, the audit
    /// default's milliseconds): the migration rewrites them at the one width, keeping each moment, so
    /// that text order is time order afterwards.
    #[tokio::test]
    async fn migration_0012_rewrites_stored_moments_at_one_width() {
        let old = tempfile::tempdir().expect("a temporary folder");
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations/sqlite");
        let mut later = 0;
        for entry in std::fs::read_dir(&folder).expect("the migrations") {
            let path = entry.expect("a migration").path();
            let name = path.file_name().and_then(|n| n.to_str()).expect("a name").to_owned();
            if name.as_str() < "0012" {
                std::fs::copy(&path, old.path().join(name)).expect("a copy");
            } else {
                later += 1;
            }
        }
        let store = SqliteStore::connect("sqlite::memory:").await.expect("an in-memory database");
        let before = sqlx::migrate::Migrator::new(old.path()).await.expect("the old migrations");
        before.run(&store.pool).await.expect("migrate to 0011");
        sqlx::raw_sql(
            "INSERT INTO sign_in_attempts (email, ip, succeeded, at) VALUES \
             ('a@example.org', '192.0.2.1', 0, '2026-11-25T09:00:00.5Z'), \
             ('a@example.org', '192.0.2.1', 0, '2026-11-25T09:00:00Z'), \
             ('a@example.org', '192.0.2.1', 0, '2026-11-25T10:00:00.25+01:00'), \
             ('a@example.org', '192.0.2.1', 0, '2026-11-25T09:00:00.123456789Z'); \
             INSERT INTO audit_log (actor_label, action, record_type) VALUES ('test', 'test.write', 'test');",
        )
        .execute(&store.pool)
        .await
        .expect("rows as Hearth wrote them before");

        // 0012 and every migration after it.
        assert_eq!(store.migrate().await.expect("migrate"), later);
        let moments: Vec<String> = sqlx::query_scalar("SELECT at FROM sign_in_attempts ORDER BY at")
            .fetch_all(&store.pool)
            .await
            .expect("the moments");
        assert_eq!(
            moments,
            [
                "2026-11-25T09:00:00.000000000Z",
                "2026-11-25T09:00:00.123456789Z",
                "2026-11-25T09:00:00.250000000Z",
                "2026-11-25T09:00:00.500000000Z"
            ]
        );
        let audit: String =
            sqlx::query_scalar("SELECT at FROM audit_log").fetch_one(&store.pool).await.expect("a line");
        assert_eq!(audit.len(), 30, "{audit}");
        let changed = sqlx::query("UPDATE audit_log SET detail = 'x'").execute(&store.pool).await;
        assert!(changed.is_err(), "the audit log is append-only again");
    }

    /// A span as a test sees it: its name, and its fields' names and values as text.
    type SpanSeen = (String, Vec<(String, String)>);

    /// The spans a test's store calls open.
    #[derive(Default)]
    struct Spans(std::sync::Mutex<Vec<SpanSeen>>);

    impl Spans {
        fn taken(&self) -> Vec<SpanSeen> {
            self.0.lock().expect("the spans").clone()
        }
    }

    struct Fields<'a>(&'a mut Vec<(String, String)>);

    impl tracing::field::Visit for Fields<'_> {
        fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
            self.0.push((field.name().to_owned(), format!("{value:?}")));
        }
    }

    impl tracing::Subscriber for &'static Spans {
        fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
            let mut fields = Vec::new();
            span.record(&mut Fields(&mut fields));
            let mut spans = self.0.lock().expect("the spans");
            spans.push((span.metadata().name().to_owned(), fields));
            tracing::span::Id::from_u64(spans.len() as u64)
        }
        fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
        fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
        fn event(&self, _: &tracing::Event<'_>) {}
        fn enter(&self, _: &tracing::span::Id) {}
        fn exit(&self, _: &tracing::span::Id) {}
    }

    /// Every store method opens a span named for it, carrying ids only: a slow request's log can say
    /// which store calls it made, and never a child's details, a name or an e-mail.
    #[tokio::test]
    async fn store_calls_are_traced_with_ids_only() {
        use crate::MarketStore;
        use hearth_domain::{ChildId, ReferralId, VacancyId};
        let spans: &'static Spans = Box::leak(Box::default());
        let store = SqliteStore::connect("sqlite::memory:").await.expect("an in-memory database");
        store.migrate().await.expect("migrate");
        let _traced = tracing::subscriber::set_default(spans);
        let email = hearth_domain::org::Email::parse("someone@example.org").expect("an e-mail");
        assert!(store.account_by_email(&email).await.expect("a look-up").is_none());
        assert!(store.vacancy(VacancyId(7)).await.is_err());
        assert!(store.child_unaudited(ChildId(5)).await.is_err());
        assert!(store.offers_of(ReferralId(9)).await.expect("none").is_empty());
        let field = |name: &str, value: &str| (name.to_owned(), value.to_owned());
        assert_eq!(
            spans.taken(),
            [
                ("account_by_email".to_owned(), vec![]),
                ("vacancy".to_owned(), vec![field("id", "7")]),
                ("child_unaudited".to_owned(), vec![field("id", "5")]),
                ("offers_of".to_owned(), vec![field("referral", "9")]),
            ]
        );
    }

    #[tokio::test]
    async fn an_in_memory_database_lasts_as_long_as_its_store() {
        let store = SqliteStore::connect("sqlite::memory:").await.expect("an in-memory database");
        assert_eq!(store.migrate().await.expect("migrate"), SqliteStore::migrator().iter().count());
        assert!(store.is_empty().await.expect("is_empty"));
        assert_eq!(store.migrate().await.expect("migrate again"), 0);
    }
}
