//! Retention: each kind of short-lived record goes when its period has passed on the service's clock,
//! and `hearth prune` does the same from the command line. The audit log is never pruned.

use crate::fixture::{MANAGER, count, raw_execute, seed};
use crate::{Ctx, On, Story, block};
use hearth_domain::audit::Actor;
use hearth_service::{AuthPolicy, ManualClock, RetentionPolicy, Services};
use hearth_store::{NewSession, Pruned, SignInAttempt, Store};
use jiff::{SignedDuration, Timestamp};
use std::process::Command;
use std::sync::Arc;

pub const ALL: &[Story] = &[
    Story { name: "retention_prunes_each_kind_only_after_its_period", on: On::Both, run: periods },
    Story { name: "hearth_prune_removes_what_is_past_its_period_and_says_so", on: On::Both, run: cli },
];

const T0: &str = "2026-01-05T09:00:00Z";

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

async fn session(store: &Arc<dyn Store>, n: u32, at: Timestamp) {
    let s = NewSession {
        token_hash: format!("{n:064x}"),
        user: MANAGER,
        csrf_token: "csrf".into(),
        created_at: at,
        expires_at: at + hours(10),
        ip: None,
        user_agent: None,
    };
    store.create_session(&Actor::system("test"), &s).await.expect("a session");
}

async fn attempt(store: &Arc<dyn Store>, at: Timestamp) {
    let a = SignInAttempt { email: "manager@lifecycle.example".into(), ip: "192.0.2.1".into(), at, succeeded: false };
    store.record_sign_in(&Actor::system("test"), &a).await.expect("an attempt");
}

/// Two e-mails queued at `at` as the notifications would queue them; the first delivered then.
async fn emails(url: &str, store: &Arc<dyn Store>, at: Timestamp) {
    raw_execute(
        url,
        &format!(
            "INSERT INTO outbox (recipient, subject, body, created_at, next_attempt_at) VALUES \
             ('a@lifecycle.example', 's', 'b', '{at}', '{at}'), ('b@lifecycle.example', 's', 'b', '{at}', '{at}')"
        ),
    )
    .await;
    let first = store.outbox(None).await.expect("the outbox").first().map(|e| e.id).expect("an e-mail");
    store.outbox_sent(first, at).await.expect("delivered");
}

fn periods(ctx: &Ctx) {
    block(async {
        seed(&ctx.url).await;
        let store = hearth_store::open(&ctx.url).await.expect("open");
        let t0: Timestamp = T0.parse().expect("a moment");
        let clock = Arc::new(ManualClock::new(t0));
        let services = Services::new(Arc::clone(&store), clock.clone(), AuthPolicy::default());
        let policy = RetentionPolicy::default();

        session(&store, 1, t0).await; // ends at t0 + 10 h
        attempt(&store, t0).await;
        services.idempotency_start("owner", "answered", "print").await.expect("a key");
        services.idempotency_finish("owner", "answered", 201, "{}").await.expect("answered");
        // Started and never finished: the process died mid-request.
        services.idempotency_start("owner", "crashed", "print").await.expect("a key");
        emails(&ctx.url, &store, t0).await;
        let audit_before = count(&ctx.url, "audit_log").await;

        let at = |h: i64| {
            clock.advance(hours(h));
            &services
        };
        let none = Pruned::default();
        assert_eq!(services.prune(&policy).await.expect("prune"), none, "nothing is past its period yet");
        assert_eq!(at(23).prune(&policy).await.expect("prune"), none, "a key in progress for 23 hours is kept");
        let day = at(2).prune(&policy).await.expect("prune");
        assert_eq!(day, Pruned { idempotency_keys: 1, ..none }, "after a day the crashed request's key is abandoned");
        assert_eq!(at(24 * 5).prune(&policy).await.expect("prune"), none, "answered keys last 7 days");
        assert_eq!(at(24 * 2).prune(&policy).await.expect("prune"), Pruned { idempotency_keys: 1, ..none });
        // Now t0 + 8 days 1 hour; the first session ended at t0 + 10 hours.
        assert_eq!(at(24 * 22).prune(&policy).await.expect("prune"), none, "30 days after it ended, not before");
        session(&store, 2, services.now()).await;
        assert_eq!(at(12).prune(&policy).await.expect("prune"), Pruned { sessions: 1, ..none });
        assert_eq!(count(&ctx.url, "sessions").await, 1, "the recent session stays");
        // Now t0 + 30 days 13 hours; the second session ended 2 hours ago.
        let later = at(24 * 59).prune(&policy).await.expect("prune");
        assert_eq!(later, Pruned { sessions: 1, ..none }, "attempts and e-mails last 90 days");
        let quarter = at(24).prune(&policy).await.expect("prune");
        assert_eq!(quarter, Pruned { sign_in_attempts: 1, emails: 1, ..none });
        assert_eq!(count(&ctx.url, "outbox").await, 1, "an e-mail not yet delivered is never pruned");
        assert_eq!(count(&ctx.url, "idempotency_keys").await, 0);
        assert_eq!(count(&ctx.url, "sign_in_attempts").await, 0);
        assert_eq!(services.prune(&policy).await.expect("prune"), none, "a second run removes nothing");

        let audit_after = count(&ctx.url, "audit_log").await;
        // One line for each prune that removed something, and the second session's; none removed.
        assert_eq!(audit_after, audit_before + 6, "the audit log only grows");
        let lines = store
            .audit(&hearth_store::AuditQuery { action_prefix: Some("retention.prune".into()), ..Default::default() })
            .await
            .expect("audit");
        assert_eq!(lines.len(), 5);
    });
}

fn cli(ctx: &Ctx) {
    let old: Timestamp = "2020-03-02T09:00:00Z".parse().expect("a moment");
    block(async {
        seed(&ctx.url).await;
        let store = hearth_store::open(&ctx.url).await.expect("open");
        session(&store, 1, old).await;
        session(&store, 2, Timestamp::now()).await;
        attempt(&store, old).await;
        attempt(&store, Timestamp::now()).await;
        emails(&ctx.url, &store, old).await;
    });
    let out = Command::new(env!("CARGO_BIN_EXE_hearth"))
        .args(["prune", "--database", &ctx.url, "--keep-emails-days", "3650"])
        .env_remove("DATABASE_URL")
        .output()
        .expect("hearth prune runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("Pruned 1 ended session(s), 1 sign-in attempt(s), 0 idempotency key(s) and 0 e-mail(s)"),
        "{stdout}"
    );
    block(async {
        assert_eq!(count(&ctx.url, "sessions").await, 1);
        assert_eq!(count(&ctx.url, "sign_in_attempts").await, 1);
        assert_eq!(count(&ctx.url, "outbox").await, 2, "kept: --keep-emails-days 3650");
    });
}
