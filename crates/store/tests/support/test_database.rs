//! A fresh PostgreSQL database for one test, created through an admin address (`HEARTH_TEST_POSTGRES_URL`)
//! and dropped however the test ends, a failed assertion included. Shared by the storage conformance suite
//! and the binary's lifecycle suite (included with `#[path]`), so both make and clean up their databases
//! the same way.

use sqlx::{AssertSqlSafe, Connection, PgConnection};

/// A database of its own on the admin address's server; dropped with this value.
#[derive(Debug)]
pub struct TestDatabase {
    admin: String,
    name: String,
    /// The address of the new database.
    pub url: String,
}

impl TestDatabase {
    /// Creates `{prefix}_{uuid}`. Runs on a runtime of its own, so it is called outside any other.
    pub fn create(admin: &str, prefix: &str) -> Result<Self, String> {
        let name = format!("{prefix}_{}", uuid::Uuid::new_v4().simple());
        on_own_runtime(admin_execute(admin, &format!("CREATE DATABASE \"{name}\"")))
            .map_err(|e| format!("cannot create a test database through HEARTH_TEST_POSTGRES_URL: {e}"))?;
        Ok(Self { admin: admin.to_owned(), url: with_database(admin, &name), name })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // A runtime of its own: the test's may be the thing that panicked.
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        if let Err(e) = on_own_runtime(admin_execute(&self.admin, &sql)) {
            eprintln!("could not drop the test database {}: {e}", self.name);
        }
    }
}

fn on_own_runtime(f: impl std::future::Future<Output = Result<(), sqlx::Error>>) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("no tokio runtime: {e}"))?;
    rt.block_on(f).map_err(|e| e.to_string())
}

async fn admin_execute(admin: &str, sql: &str) -> Result<(), sqlx::Error> {
    let mut conn = PgConnection::connect(admin).await?;
    sqlx::raw_sql(AssertSqlSafe(sql.to_owned())).execute(&mut conn).await?;
    conn.close().await
}

/// The admin URL pointed at another database on the same server.
fn with_database(admin: &str, name: &str) -> String {
    let (base, query) = admin.split_once('?').map_or((admin, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    let mut url = format!("{}/{name}", &base[..path_start]);
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    url
}
