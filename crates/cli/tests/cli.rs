//! The `hearth` binary as a person or a script runs it.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn hearth() -> Command {
    let mut cmd = Command::cargo_bin("hearth").expect("binary");
    // The developer's own DATABASE_URL must not leak into the tests.
    cmd.env_remove("DATABASE_URL").env_remove("HEARTH_LISTEN");
    cmd
}

fn sqlite_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("hearth.sqlite").display())
}

/// A failure is one line on stderr that starts `hearth:`, and never a panic.
fn one_clear_sentence(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr).into_owned();
    assert!(!text.contains("panicked"), "panic: {text}");
    assert!(!text.contains("RUST_BACKTRACE"), "backtrace hint: {text}");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one line, got: {text}");
    assert!(lines[0].starts_with("hearth: "), "{text}");
    text
}

#[test]
fn help_names_every_subcommand() {
    hearth().arg("--help").assert().success().stdout(
        predicate::str::contains("serve")
            .and(predicate::str::contains("demo"))
            .and(predicate::str::contains("migrate")),
    );
    hearth().args(["demo", "--help"]).assert().success().stdout(predicate::str::contains("--no-serve"));
}

#[test]
fn migrate_creates_the_database_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("nested/folder/hearth.sqlite").display());
    hearth().args(["migrate", "--database", &url]).assert().success().stdout(predicate::str::contains("up to date"));
    assert!(dir.path().join("nested/folder/hearth.sqlite").exists());
    hearth().args(["migrate", "--database", &url]).assert().success().stdout(predicate::str::contains("(0 migration"));
}

#[test]
fn database_url_comes_from_the_environment_when_no_flag() {
    let dir = tempfile::tempdir().expect("tempdir");
    hearth().arg("migrate").env("DATABASE_URL", sqlite_url(dir.path())).assert().success();
    assert!(dir.path().join("hearth.sqlite").exists());
}

#[test]
fn a_malformed_database_address_is_one_sentence() {
    let out = hearth().args(["migrate", "--database", "mysql://nope"]).assert().failure().get_output().clone();
    let text = one_clear_sentence(&out.stderr);
    assert!(text.contains("sqlite://"), "{text}");
}

#[test]
fn a_malformed_listen_address_is_refused_before_anything_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    hearth()
        .args(["serve", "--listen", "localhost-ish", "--database", &sqlite_url(dir.path())])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--listen"));
    assert!(!dir.path().join("hearth.sqlite").exists(), "nothing should be created when the config is bad");
}

#[test]
fn an_unreachable_database_is_one_sentence() {
    let out = hearth()
        .args(["migrate", "--database", "postgres://postgres@127.0.0.1:1/hearth"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let text = one_clear_sentence(&out.stderr);
    assert!(text.contains("cannot reach the database"), "{text}");
}

#[test]
fn a_corrupt_sqlite_file_is_one_sentence_and_left_as_it_was() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("hearth.sqlite");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&file, &garbage).expect("write");
    let out = hearth().args(["serve", "--database", &sqlite_url(dir.path())]).assert().failure().get_output().clone();
    let text = one_clear_sentence(&out.stderr);
    assert!(text.contains("not a Hearth database"), "{text}");
    assert_eq!(std::fs::read(&file).expect("read"), garbage);
}

#[test]
fn a_database_from_a_newer_hearth_is_refused_and_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = sqlite_url(dir.path());
    hearth().args(["migrate", "--database", &url]).assert().success();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&url).await.expect("connect");
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (99990101000000, 'from the future', 1, x'00', 0)",
        )
        .execute(&mut c)
        .await
        .expect("insert");
    });
    let out = hearth().args(["migrate", "--database", &url]).assert().failure().get_output().clone();
    let text = one_clear_sentence(&out.stderr);
    assert!(text.contains("newer version of Hearth"), "{text}");
}

#[test]
fn demo_fills_an_empty_database_prints_logins_and_keeps_it_next_time() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = sqlite_url(dir.path());
    let out = hearth()
        .args(["demo", "--no-serve", "--database", &url, "--seed", "7", "--today", "2026-11-25"])
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Generated the demo West Midlands (seed 7"), "{text}");
    assert!(text.contains("placement-officer.coventry@hearth.test"), "{text}");
    assert!(text.contains("password: "), "{text}");
    assert!(!text.contains(".eml"), "no server, so no mail folder is made or named: {text}");
    // Where the demo keeps its e-mails is said in its output, and the folder is made.
    let mail = dir.path().join("mail");
    hearth()
        .args(["demo", "--no-serve", "--database", &url, "--seed", "7", "--mail-dir"])
        .arg(&mail)
        .assert()
        .success()
        .stdout(predicate::str::contains("already holds a region"))
        .stdout(predicate::str::contains(format!("E-mails are kept as .eml files in {}", mail.display())));
    assert!(mail.is_dir());
}

#[test]
fn a_relay_and_a_mail_folder_together_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = hearth()
        .args(["serve", "--database", &sqlite_url(dir.path()), "--smtp-url", "smtp://127.0.0.1:25", "--mail-dir"])
        .arg(dir.path())
        .assert()
        .failure()
        .get_output()
        .clone();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("--mail-dir") && text.contains("cannot be used with"), "{text}");
}

#[test]
fn a_malformed_smtp_relay_is_one_sentence_before_serving() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = hearth()
        .args(["serve", "--database", &sqlite_url(dir.path()), "--listen", "127.0.0.1:0", "--smtp-url", "ftp://relay"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let text = one_clear_sentence(&out.stderr);
    assert!(text.contains("SMTP relay"), "{text}");
}

#[test]
fn export_ssda903_writes_the_return_and_refuses_a_bad_council_or_year() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = sqlite_url(dir.path());
    hearth().args(["demo", "--no-serve", "--database", &url, "--today", "2026-11-25"]).assert().success();
    let out_dir = dir.path().join("903");
    let out = hearth()
        .args(["export", "ssda903", "--council", "331", "--year", "2026", "--database", &url, "--out"])
        .arg(&out_dir)
        .assert()
        .success()
        .get_output()
        .clone();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Wrote Coventry's SSDA903 return for 2025 to 2026"), "{text}");
    assert!(text.contains("the self-check found 0 problems"), "{text}");
    let episodes = std::fs::read_to_string(out_dir.join("Episodes.csv")).expect("Episodes.csv");
    assert!(
        episodes.starts_with(
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
        )
    );
    assert!(episodes.lines().count() > 100, "Coventry's episodes");
    for file in ["Header.csv", "UASC.csv", "OC2.csv", "README.txt", "report.txt", "report.csv"] {
        assert!(out_dir.join(file).exists(), "{file}");
    }

    for (flag, value, says) in
        [("--council", "999", "not one of the portal's 14 councils"), ("--year", "1999", "not a collection year")]
    {
        let mut args = vec!["export", "ssda903", "--council", "331", "--year", "2026", "--database", &url];
        let at = args.iter().position(|a| *a == flag).expect("flag") + 1;
        args[at] = value;
        let out = hearth().args(&args).arg("--out").arg(dir.path().join("x")).assert().failure().get_output().clone();
        let text = one_clear_sentence(&out.stderr);
        assert!(text.contains(says), "{text}");
    }
}
