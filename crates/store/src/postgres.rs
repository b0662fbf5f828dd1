//! The PostgreSQL backend, for production.
//!
//! Connecting tries one connection directly before the pool is built: the pool would keep retrying a
//! refused connection until its acquire timeout and then report only "timed out", where a person needs
//! to know at once whether the server is down, the host is wrong or the password is.

use crate::error::{CONNECT_TIMEOUT, from_sqlx, unavailable, without_password};
use crate::{Backend, StoreError};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{Connection, Postgres};

const MAX_CONNECTIONS: u32 = 10;

/// After a load that kept the seed's ids, each identity must continue past the largest id, or the next
/// ordinary insert would collide with a loaded row.
const RESET_IDENTITIES: &str = "
    SELECT setval(pg_get_serial_sequence('organisations', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM organisations;
    SELECT setval(pg_get_serial_sequence('users', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM users;
    SELECT setval(pg_get_serial_sequence('homes', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM homes;
    SELECT setval(pg_get_serial_sequence('vacancies', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM vacancies;
    SELECT setval(pg_get_serial_sequence('contracts', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM contracts;
    SELECT setval(pg_get_serial_sequence('children', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM children;
    SELECT setval(pg_get_serial_sequence('referrals', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM referrals;
    SELECT setval(pg_get_serial_sequence('offers', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM offers;
    SELECT setval(pg_get_serial_sequence('placements', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM placements;
    SELECT setval(pg_get_serial_sequence('quality_visits', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM quality_visits;
";

#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
    /// The address without its password, as errors name it.
    url: String,
}

impl PgStore {
    const BACKEND: Backend = Backend::Postgres;
    /// PostgreSQL's protocol counts bind parameters in 16 bits.
    const MAX_BINDS: usize = 65_535;
    const MIGRATIONS_TABLE_EXISTS: &'static str = "SELECT to_regclass('_sqlx_migrations') IS NOT NULL";
    /// Locks the row, so two officers changing one vacancy at once are applied one after the other and
    /// each audit line's "before" is true.
    const LOCK_VACANCY: &'static str = "SELECT places FROM vacancies WHERE id = $1 FOR UPDATE";
    /// Locks the home's row: every write that changes its places (a vacancy's, an accept's, a move's)
    /// takes it first, so two of them count the home's places one after the other, never both at once.
    /// Locked alone: counting in the same statement would read from before the wait for the lock. NO KEY:
    /// rows that merely refer to the home (an offer, a vacancy) need not wait for it.
    const LOCK_HOME: &'static str = "SELECT name, places FROM homes WHERE id = $1 FOR NO KEY UPDATE";

    /// Connects to `postgres://USER[:PASSWORD]@HOST[:PORT]/DB`. Fails within a few seconds with
    /// [`StoreError::Unavailable`] when the server cannot be reached or refuses the login.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        let shown = without_password(url);
        let options: PgConnectOptions = url.parse().map_err(|_| StoreError::InvalidUrl(shown.clone()))?;
        match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect_with(&options)).await {
            Err(_) => {
                return Err(StoreError::Unavailable {
                    url: shown,
                    reason: format!("the server did not answer within {} seconds", CONNECT_TIMEOUT.as_secs()),
                });
            }
            Ok(Err(e)) => return Err(login_error(&shown, e)),
            Ok(Ok(probe)) => probe.close().await.map_err(|e| from_sqlx(&shown, e))?,
        }
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(CONNECT_TIMEOUT)
            .connect_lazy_with(options);
        Ok(Self { pool, url: shown })
    }

    /// The PostgreSQL migrations, embedded in the binary.
    fn migrator() -> &'static sqlx::migrate::Migrator {
        static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");
        &MIGRATOR
    }

    /// PostgreSQL takes row locks as a transaction goes: writers need no turn.
    async fn begin_write(&self) -> Result<crate::write_tx::WriteTx<Postgres>, sqlx::Error> {
        Ok(crate::write_tx::WriteTx::new(self.pool.begin().await?, None))
    }

    async fn after_load(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
        sqlx::raw_sql(RESET_IDENTITIES).execute(conn).await?;
        Ok(())
    }
}

/// The store's one implementation, compiled for PostgreSQL (see `sql_store/mod.rs`).
type This = PgStore;
type Db = Postgres;
// Loaded once per backend on purpose: that is how the one implementation gets concrete types.
#[allow(clippy::duplicate_mod)]
#[path = "sql_store/mod.rs"]
mod sql_store;

impl PgStore {
    /// PostgreSQL verifies pages as it reads them (and checksums them when the cluster was set up
    /// with `--data-checksums`): nothing to do at start.
    #[allow(clippy::unused_async)]
    async fn quick_check(&self) -> Result<(), StoreError> {
        Ok(())
    }

    #[allow(clippy::unused_async)]
    async fn backup_into(&self, _path: &std::path::Path) -> Result<(), StoreError> {
        Err(StoreError::Unsupported(
            "a PostgreSQL database is backed up with pg_dump (see \"Backups\" in the README), not hearth backup".into(),
        ))
    }
}

/// Why a first connection failed, in words a person can act on. SQLSTATE class 28 is "invalid
/// authorization specification" (wrong user or password); 3D000 is "database does not exist".
fn login_error(shown: &str, e: sqlx::Error) -> StoreError {
    let reason = match &e {
        sqlx::Error::Io(io) => return unavailable(shown, io),
        sqlx::Error::Tls(t) => format!("the secure (TLS) connection failed ({t})"),
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some(code) if code.starts_with("28") => "the server refused the user name or password".to_owned(),
            Some("3D000") => "the database does not exist; create it first".to_owned(),
            _ => format!("the server refused the connection ({})", db.message()),
        },
        _ => return from_sqlx(shown, e),
    };
    StoreError::Unavailable { url: shown.to_owned(), reason }
}
