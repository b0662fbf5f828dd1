//! Backups taken while Hearth is being written to hold every write acknowledged before they began,
//! and the copy serves: `hearth backup` for SQLite, the README's pg_dump/pg_restore for PostgreSQL.

use crate::fixture::{Hearth, PER_WRITER, WRITERS, client, health, seed, stored_prices, write_while};
use crate::{Backend, Ctx, On, Story, block};
use std::collections::BTreeSet;
use std::process::Command;

pub const ALL: &[Story] =
    &[Story { name: "a_backup_taken_while_writing_restores_every_acknowledged_write", on: On::Both, run: restore }];

const TRIGGER: usize = 24;

fn run(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn hearth() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hearth"));
    cmd.env_remove("DATABASE_URL");
    cmd
}

fn restore(ctx: &Ctx) {
    let seeded = block(seed(&ctx.url));
    let hearth_process = Hearth::start(&ctx.url, &ctx.dir, &[]);
    let file = ctx.dir.join("backup.copy");
    let mut before_backup = BTreeSet::new();
    let writes = block(async {
        assert_eq!(health(&client(), &hearth_process.base).await.0, 200);
        write_while(&hearth_process.base, &seeded.token, TRIGGER, |so_far| {
            before_backup = so_far;
            match ctx.backend {
                Backend::Sqlite => {
                    let out = run(hearth().args(["backup", "--database", &ctx.url, "--out"]).arg(&file));
                    assert!(String::from_utf8_lossy(&out.stdout).contains("Backed up the SQLite database"));
                }
                Backend::Postgres => {
                    run(Command::new("pg_dump").args(["--format=custom", "--file"]).arg(&file).arg(&ctx.url));
                }
            }
        })
        .await
    });
    assert_eq!(writes.acknowledged().len(), WRITERS * PER_WRITER, "every write was answered: {writes:?}");
    assert!(before_backup.len() >= TRIGGER);

    let (copy_url, _copy_database) = match ctx.backend {
        Backend::Sqlite => {
            // A second backup never overwrites the first.
            let out = hearth().args(["backup", "--database", &ctx.url, "--out"]).arg(&file).output().expect("runs");
            assert!(!out.status.success());
            assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
            (format!("sqlite://{}", file.display()), None)
        }
        Backend::Postgres => {
            // `hearth backup` points PostgreSQL users at pg_dump.
            let out = hearth()
                .args(["backup", "--database", &ctx.url, "--out"])
                .arg(ctx.dir.join("no"))
                .output()
                .expect("runs");
            assert!(String::from_utf8_lossy(&out.stderr).contains("pg_dump"), "{out:?}");
            let (url, guard) = ctx.another_postgres();
            run(Command::new("pg_restore").args(["--no-owner", "--exit-on-error", "--dbname", &url]).arg(&file));
            (url, Some(guard))
        }
    };
    // The copy serves, and holds every write acknowledged before the backup began and nothing that
    // was never acknowledged.
    let served = Hearth::start(&copy_url, &ctx.dir, &[]);
    block(async { assert_eq!(health(&client(), &served.base).await.0, 200) });
    let in_copy: BTreeSet<i64> = block(stored_prices(&copy_url)).into_keys().collect();
    let missing: Vec<_> = before_backup.difference(&in_copy).collect();
    assert!(missing.is_empty(), "acknowledged before the backup but not in it: {missing:?}");
    assert!(in_copy.is_subset(&writes.acknowledged()));
}
