//! The intelligence figures at national scale: every dashboard, the "as at" snapshot, disclosure
//! control, and the same tables computed with SQL in SQLite for comparison.
//!
//! `cargo bench -p hearth-intel --bench dashboard`. Prints the history's size and memory first.
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use hearth_intel::synthetic::{SyntheticConfig, national};
use hearth_intel::{History, Query, Scope, dashboard, snapshot};
use jiff::civil::{Date, date};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};
use std::sync::LazyLock;
use std::time::Instant;

const AS_AT: Date = date(2026, 3, 31);

static HISTORY: LazyLock<History> = LazyLock::new(|| {
    let before = rss("VmRSS");
    let started = Instant::now();
    let h = History::new(national(&SyntheticConfig::national()));
    println!(
        "national history: {} councils, {} children, {} placements, {} legal statuses, {} referrals, {} offers, {} declines; \
         built in {:.1} s; about {} MiB in its vectors; resident memory {} MiB before, {} MiB after (peak {} MiB)",
        h.councils.len(),
        h.children.len(),
        h.placements.len(),
        h.legal_statuses.len(),
        h.referrals.len(),
        h.offers.len(),
        h.declines.len(),
        started.elapsed().as_secs_f64(),
        h.approximate_bytes() >> 20,
        before >> 10,
        rss("VmRSS") >> 10,
        rss("VmHWM") >> 10,
    );
    h
});

/// A line of /proc/self/status in KiB (0 where there is none).
fn rss(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// The council with most children, and one of the smallest.
fn councils() -> (u16, u16) {
    let mut by: Vec<(usize, u16)> = HISTORY
        .councils
        .iter()
        .map(|c| (HISTORY.children.iter().filter(|k| k.la_code == c.la_code).count(), c.la_code))
        .collect();
    by.sort_unstable();
    (by.last().unwrap().1, by.first().unwrap().1)
}

fn query(scope: Scope) -> Query {
    Query::new(&HISTORY, scope, AS_AT, None).unwrap()
}

fn main() {
    LazyLock::force(&HISTORY);
    divan::main();
}

#[divan::bench(sample_count = 20)]
fn dashboard_region() -> usize {
    dashboard(&HISTORY, &query(Scope::Region)).sections.len()
}

#[divan::bench(sample_count = 20)]
fn dashboard_region_published() -> usize {
    dashboard(&HISTORY, &query(Scope::Region)).protected().sections.len()
}

#[divan::bench(sample_count = 20)]
fn dashboard_largest_council() -> usize {
    dashboard(&HISTORY, &query(Scope::Council(councils().0))).protected().sections.len()
}

#[divan::bench(sample_count = 20)]
fn dashboard_smallest_council() -> usize {
    dashboard(&HISTORY, &query(Scope::Council(councils().1))).protected().sections.len()
}

#[divan::bench(sample_count = 20)]
fn snapshot_region() -> usize {
    snapshot(&HISTORY, &query(Scope::Region)).len()
}

/// The one table the SQL below computes, from memory.
#[divan::bench(sample_count = 20)]
fn memory_placement_type_region() -> usize {
    let counted = hearth_intel::statutory::looked_after_on(&HISTORY, Scope::Region, AS_AT);
    hearth_intel::statutory::breakdown_table(&HISTORY, &hearth_intel::statutory::BREAKDOWNS[0], &counted, AS_AT)
        .rows
        .len()
}

// --- The same in SQL ---

static RUNTIME: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap());

/// The history's children, legal statuses and placements in an in-memory SQLite database, indexed
/// as a real deployment's would be.
static DB: LazyLock<SqlitePool> = LazyLock::new(|| {
    RUNTIME.block_on(async {
        let started = Instant::now();
        let options = SqliteConnectOptions::new().in_memory(true);
        let pool = SqlitePoolOptions::new().max_connections(1).connect_with(options).await.unwrap();
        for ddl in [
            "CREATE TABLE children (id INTEGER PRIMARY KEY, la_code INTEGER NOT NULL, date_of_birth TEXT NOT NULL)",
            "CREATE TABLE legal_statuses (child_id INTEGER NOT NULL, from_date TEXT NOT NULL, legal_status TEXT NOT NULL)",
            "CREATE TABLE placements (child_id INTEGER NOT NULL, start_date TEXT NOT NULL, end_date TEXT, grp INTEGER NOT NULL, temporary INTEGER NOT NULL)",
        ] {
            sqlx::query(ddl).execute(&pool).await.unwrap();
        }
        let mut tx = pool.begin().await.unwrap();
        for (i, c) in HISTORY.children.iter().enumerate() {
            sqlx::query("INSERT INTO children VALUES ($1, $2, $3)")
                .bind(i as i64)
                .bind(i64::from(c.la_code))
                .bind(c.date_of_birth.to_string())
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        for l in &HISTORY.legal_statuses {
            sqlx::query("INSERT INTO legal_statuses VALUES ($1, $2, $3)")
                .bind(i64::from(l.child))
                .bind(l.from.to_string())
                .bind(l.legal_status.code())
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        for p in &HISTORY.placements {
            sqlx::query("INSERT INTO placements VALUES ($1, $2, $3, $4, $5)")
                .bind(i64::from(p.child))
                .bind(p.start.to_string())
                .bind(p.end.map(|e| e.to_string()))
                .bind(hearth_intel::statutory::group_index(p.group()) as i64)
                .bind(p.placement_type.is_temporary())
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        for ddl in [
            "CREATE INDEX placements_by_child ON placements (child_id, start_date)",
            "CREATE INDEX placements_by_start ON placements (start_date, end_date)",
            "CREATE INDEX children_by_council ON children (la_code, id)",
            "CREATE INDEX legal_by_child ON legal_statuses (child_id, from_date)",
            "ANALYZE",
        ] {
            sqlx::query(ddl).execute(&pool).await.unwrap();
        }
        println!("SQLite loaded with the history in {:.1} s", started.elapsed().as_secs_f64());
        pool
    })
});

/// Children looked after on the day (not under short breaks) by placement group.
const BY_GROUP: &str = "SELECT p.grp, COUNT(*) FROM placements p JOIN children c ON c.id = p.child_id \
     WHERE p.start_date <= $1 AND (p.end_date IS NULL OR p.end_date > $1) AND ($2 = 0 OR c.la_code = $2) \
     AND COALESCE((SELECT l.legal_status FROM legal_statuses l WHERE l.child_id = p.child_id AND l.from_date <= $1 \
     ORDER BY l.from_date DESC LIMIT 1), '') NOT IN ('V3', 'V4') GROUP BY p.grp";

/// Children looked after on the day with three or more (non-temporary) placements in the year.
const THREE_OR_MORE: &str = "SELECT COUNT(*) FROM (SELECT p.child_id FROM placements p JOIN children c ON c.id = p.child_id \
     WHERE p.start_date <= $1 AND (p.end_date IS NULL OR p.end_date > $1) AND ($2 = 0 OR c.la_code = $2)) AS cla \
     WHERE (SELECT COUNT(*) FROM placements q WHERE q.child_id = cla.child_id AND q.temporary = 0 \
     AND q.start_date <= $1 AND (q.end_date IS NULL OR q.end_date > $3)) >= 3";

fn sql_count(sql: &'static str, la: u16) -> i64 {
    let year_start = hearth_intel::query::default_from(AS_AT).to_string();
    // Loaded before entering the runtime: the load runs on it too.
    let pool: &SqlitePool = &DB;
    RUNTIME.block_on(async {
        let rows = sqlx::query(sql)
            .bind(AS_AT.to_string())
            .bind(i64::from(la))
            .bind(year_start)
            .fetch_all(pool)
            .await
            .unwrap();
        rows.iter().map(|r| r.get::<i64, _>(rows.first().map_or(0, |r| r.len() - 1))).sum()
    })
}

#[divan::bench(sample_count = 5)]
fn sql_placement_type_region() -> i64 {
    sql_count(BY_GROUP, 0)
}

#[divan::bench(sample_count = 5)]
fn sql_placement_type_largest_council() -> i64 {
    sql_count(BY_GROUP, councils().0)
}

#[divan::bench(sample_count = 5)]
fn sql_three_or_more_region() -> i64 {
    sql_count(THREE_OR_MORE, 0)
}

/// What the portal pays to read the placements into memory, once per snapshot.
#[divan::bench(sample_count = 3)]
fn sql_read_all_placements() -> usize {
    let pool: &SqlitePool = &DB;
    RUNTIME.block_on(async {
        sqlx::query("SELECT child_id, start_date, end_date, grp, temporary FROM placements")
            .fetch_all(pool)
            .await
            .unwrap()
            .len()
    })
}
