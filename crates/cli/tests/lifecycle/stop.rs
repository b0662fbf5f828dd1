//! Stopping: SIGTERM drains the requests in flight and exits 0; SIGKILL loses nothing acknowledged.

use crate::fixture::{
    Hearth, Outcome, Writes, client, health, open_vacancy, request, seed, stored_prices, write_while,
};
use crate::{Ctx, On, Story, block};
use std::collections::BTreeSet;

pub const ALL: &[Story] = &[
    Story { name: "sigterm_answers_every_request_in_flight_and_exits_0", on: On::Both, run: sigterm_drains },
    Story { name: "sigkill_loses_no_acknowledged_write_and_a_retry_duplicates_none", on: On::Both, run: sigkill },
];

/// How many acknowledged writes before the stop lands: enough that every writer is in full flow.
const TRIGGER: usize = 24;

fn stored_set(url: &str) -> (BTreeSet<i64>, Vec<i64>) {
    let by_price = block(stored_prices(url));
    let duplicated = by_price.iter().filter(|(_, n)| **n > 1).map(|(p, _)| *p).collect();
    (by_price.into_keys().collect(), duplicated)
}

fn sigterm_drains(ctx: &Ctx) {
    let seeded = block(seed(&ctx.url));
    let mut hearth = Hearth::start(&ctx.url, &ctx.dir, &["--shutdown-grace", "60"]);
    let writes: Writes = block(async {
        assert_eq!(health(&client(), &hearth.base).await.0, 200);
        write_while(&hearth.base, &seeded.token, TRIGGER, |_| hearth.signal("TERM")).await
    });
    let status = hearth.wait();
    assert_eq!(status.code(), Some(0), "SIGTERM ends the process with 0: {status}\n{}", hearth.log_text());
    let acknowledged = writes.acknowledged();
    assert!(acknowledged.len() >= TRIGGER, "the writers were under way: {writes:?}");
    assert!(
        writes.outcomes.values().all(|o| matches!(o, Outcome::Acknowledged | Outcome::Lost)),
        "no request was refused: {writes:?}"
    );
    let (stored, duplicated) = stored_set(&ctx.url);
    assert!(duplicated.is_empty(), "stored twice: {duplicated:?}");
    // Stored but not answered would be a request the server accepted and then dropped; answered but
    // not stored, a lost write.
    assert_eq!(stored, acknowledged, "exactly the acknowledged writes are stored");
    assert!(hearth.log_text().contains("stopped cleanly"), "{}", hearth.log_text());
}

fn sigkill(ctx: &Ctx) {
    let seeded = block(seed(&ctx.url));
    let mut hearth = Hearth::start(&ctx.url, &ctx.dir, &[]);
    let writes = block(async {
        assert_eq!(health(&client(), &hearth.base).await.0, 200);
        write_while(&hearth.base, &seeded.token, TRIGGER, |_| hearth.signal("KILL")).await
    });
    let status = hearth.wait();
    assert_eq!(status.code(), None, "killed by a signal: {status}");
    let acknowledged = writes.acknowledged();
    let lost = writes.lost();
    assert!(acknowledged.len() >= TRIGGER, "the writers were under way: {writes:?}");

    // Restarted on the same database: every acknowledged write is there, and nothing else but the
    // requests that were in flight when the process died (each once at most).
    let restarted = Hearth::start(&ctx.url, &ctx.dir, &[]);
    let (stored, duplicated) = stored_set(&ctx.url);
    assert!(duplicated.is_empty(), "stored twice: {duplicated:?}");
    let missing: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(missing.is_empty(), "acknowledged but not stored after the crash: {missing:?}");
    let unexplained: Vec<_> = stored.difference(&acknowledged).filter(|p| !lost.contains(p)).collect();
    assert!(unexplained.is_empty(), "stored without ever being sent: {unexplained:?}");

    // The client retries what got no answer, with the same keys: nothing is stored twice.
    block(async {
        let http = client();
        assert_eq!(health(&http, &restarted.base).await.0, 200);
        for ((w, n), outcome) in &writes.outcomes {
            if *outcome == Outcome::Lost {
                let (key, price) = request(*w, *n);
                let again = open_vacancy(&http, &restarted.base, &seeded.token, &key, price).await;
                // 201 (it was not stored, or its answer is replayed) or 409 (its key was caught mid-request).
                assert!(matches!(again, Outcome::Acknowledged | Outcome::Refused(409)), "retrying {key}: {again:?}");
            }
        }
    });
    let (_, duplicated) = stored_set(&ctx.url);
    assert!(duplicated.is_empty(), "a retry stored a write twice: {duplicated:?}");
}
