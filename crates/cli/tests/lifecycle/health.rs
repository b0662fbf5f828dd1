//! A database that fails: `/health` says so (503), and a damaged SQLite file is refused at start.

use crate::fixture::{Hearth, client, health, seed};
use crate::{Backend, Ctx, On, Story, block};
use sqlx::{Connection, PgConnection, SqliteConnection};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

pub const ALL: &[Story] = &[
    Story { name: "health_is_503_when_the_database_answers_with_an_error", on: On::Both, run: health_503 },
    Story { name: "a_damaged_sqlite_file_is_refused_at_start_and_left_as_it_was", on: On::SqliteOnly, run: damaged },
];

fn health_503(ctx: &Ctx) {
    block(seed(&ctx.url));
    let hearth = Hearth::start(&ctx.url, &ctx.dir, &[]);
    block(async {
        let http = client();
        assert_eq!(health(&http, &hearth.base).await.0, 200);
        // The database breaks under the running server: a table it reads is gone.
        match ctx.backend {
            Backend::Sqlite => {
                let mut raw = SqliteConnection::connect(&ctx.url).await.expect("a raw connection");
                sqlx::raw_sql("PRAGMA foreign_keys = OFF; DROP TABLE organisations")
                    .execute(&mut raw)
                    .await
                    .expect("drop");
            }
            Backend::Postgres => {
                let mut raw = PgConnection::connect(&ctx.url).await.expect("a raw connection");
                sqlx::raw_sql("DROP TABLE organisations CASCADE").execute(&mut raw).await.expect("drop");
            }
        }
        let (status, body) = health(&http, &hearth.base).await;
        assert_eq!(status, 503, "{body}");
        assert_eq!(body["error"]["code"], "unavailable", "{body}");
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("answered with an error"), "{message}");
    });
}

fn damaged(ctx: &Ctx) {
    block(seed(&ctx.url));
    let file = ctx.dir.join("hearth.sqlite");
    // Everything into the main file, so that the damage below is what a reader sees.
    let (page_size, root) = block(async {
        let mut raw = SqliteConnection::connect(&ctx.url).await.expect("a raw connection");
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut raw).await.expect("checkpoint");
        let page_size: i64 = sqlx::query_scalar("PRAGMA page_size").fetch_one(&mut raw).await.expect("page size");
        let root: i64 = sqlx::query_scalar("SELECT rootpage FROM sqlite_master WHERE name = 'placements'")
            .fetch_one(&mut raw)
            .await
            .expect("the placements table");
        raw.close().await.expect("close");
        (page_size, root)
    });
    // The placements table's first page zeroed, as a failing disk or a bad copy leaves it.
    let mut bytes = std::fs::read(&file).expect("read");
    let start = usize::try_from((root - 1) * page_size).expect("an offset");
    bytes[start..start + usize::try_from(page_size).expect("a size")].fill(0);
    std::fs::write(&file, &bytes).expect("write");

    let out = refused_or_killed(&ctx.url);
    assert!(!out.status.success(), "a damaged file must not be served");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("hearth: ")).collect();
    assert_eq!(lines.len(), 1, "one sentence: {stderr}");
    assert!(lines[0].contains("is damaged") && lines[0].contains("restore it from a backup"), "{stderr}");
    assert!(!lines[0].contains("cannot reach"), "{stderr}");
    assert_eq!(std::fs::read(&file).expect("read"), bytes, "the file is left as it was");
}

/// Runs `hearth serve`; if it gets as far as serving, it is stopped and the story fails, rather than
/// waiting for a server that never ends.
fn refused_or_killed(url: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database", url])
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("hearth runs");
    let stdout = child.stdout.take().expect("stdout");
    for line in BufReader::new(stdout).lines() {
        if line.is_ok_and(|l| l.contains("serving")) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("hearth served the damaged file");
        }
    }
    child.wait_with_output().expect("hearth ends")
}
