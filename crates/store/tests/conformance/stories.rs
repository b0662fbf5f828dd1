//! The stories: what any Hearth store must do, whichever database is behind it.

use crate::seeds::{every_code_region, officer, other_provider, small_region, synthetic_region, system};
use crate::{Ctx, On, Story};
use hearth_domain::audit::{Actor, AuditEntry};
use hearth_domain::seed::{RegionCounts, RegionSeed};
use hearth_domain::{ChildId, HomeId, OrganisationId, UserId, VacancyId};
use hearth_store::{AuditQuery, Backend, Store, StoreError};
use std::sync::Arc;

macro_rules! stories {
    ($($on:ident $name:ident),* $(,)?) => {
        pub const ALL: &[Story] = &[$(Story { name: stringify!($name), on: On::$on, run: |store, ctx| Box::pin($name(store, ctx)) }),*];
    };
}

stories! {
    Both migrate_is_idempotent,
    Both fresh_database_is_empty,
    Both load_region_counts_match_the_seed,
    Both records_round_trip_unchanged,
    Both every_code_round_trips,
    Both load_region_refuses_a_non_empty_database,
    Both load_region_is_all_or_nothing,
    Both constraint_failures_map_by_kind,
    Both ids_continue_after_a_load,
    Both set_vacancy_places_is_audited,
    Both set_vacancy_places_on_unknown_vacancy_writes_nothing,
    Both concurrent_vacancy_updates_apply_one_after_another,
    Both child_read_is_audited,
    Both audit_log_is_append_only,
    Both audit_search_filters_and_orders,
    Both newer_schema_is_refused_untouched,
    Both data_survives_reopening,
    Both unreachable_database_is_unavailable,
    SqliteOnly corrupt_file_is_left_untouched,
    Both large_load_crosses_statement_limits,
    BothOnRequest load_region_at_demo_size,
}

async fn migrated(store: &Arc<dyn Store>) {
    store.migrate().await.expect("migrations apply");
}

/// A migrated database holding [`small_region`].
async fn loaded(store: &Arc<dyn Store>) -> RegionSeed {
    migrated(store).await;
    let seed = small_region();
    store.load_region(&system(), &seed).await.expect("the small region loads");
    seed
}

/// Every audit line, newest first.
async fn all_audit(store: &Arc<dyn Store>) -> Vec<AuditEntry> {
    store.audit(&AuditQuery::default()).await.expect("the audit log reads")
}

/// Everything the store can read back equals what the seed says, record for record.
async fn assert_round_trip(store: &Arc<dyn Store>, seed: &RegionSeed) {
    let mut organisations = seed.organisations.clone();
    organisations.sort_by_key(|o| o.id);
    assert_eq!(store.organisations().await.expect("organisations"), organisations);

    let mut users = seed.users.clone();
    users.sort_by_key(|u| u.id);
    assert_eq!(store.users().await.expect("users"), users);

    let mut homes = seed.homes.clone();
    homes.sort_by_key(|h| h.id);
    assert_eq!(store.homes().await.expect("homes"), homes);
    for h in &homes {
        assert_eq!(&store.home(h.id).await.expect("a home"), h);
    }

    let mut open: Vec<_> = seed.vacancies.iter().filter(|v| v.places > 0).cloned().collect();
    open.sort_by_key(|v| v.id);
    assert_eq!(store.vacancies().await.expect("vacancies"), open);

    let mut councils: Vec<u16> = seed.children.iter().map(|c| c.la_code).collect();
    councils.sort_unstable();
    councils.dedup();
    for la in councils {
        let mut looked_after: Vec<_> =
            seed.children.iter().filter(|c| c.la_code == la && c.ceased_on.is_none()).cloned().collect();
        looked_after.sort_by_key(|c| c.id);
        assert_eq!(store.children_of(la).await.expect("children of a council"), looked_after, "council {la}");
    }

    for child in &seed.children {
        let mut placements: Vec<_> = seed.placements.iter().filter(|p| p.child == child.id).cloned().collect();
        placements.sort_by_key(|p| (p.start, p.id));
        assert_eq!(store.placements_of_child(child.id).await.expect("placements"), placements, "child {}", child.id);
    }
}

async fn migrate_is_idempotent(store: Arc<dyn Store>, ctx: &Ctx) {
    let first = store.migrate().await.expect("first migration");
    assert!(first >= 1, "a new database needs the initial migration, {first} applied");
    assert_eq!(store.migrate().await.expect("second migration"), 0);
    assert_eq!(ctx.reopen().await.migrate().await.expect("migration after reopening"), 0);
    let mut raw = ctx.raw().await;
    assert_eq!(raw.i64("SELECT COUNT(*) FROM _sqlx_migrations").await.expect("migrations table"), first as i64);
}

async fn fresh_database_is_empty(store: Arc<dyn Store>, _ctx: &Ctx) {
    migrated(&store).await;
    assert!(store.is_empty().await.expect("is_empty"));
    assert_eq!(store.counts().await.expect("counts"), RegionCounts::default());
    assert!(store.organisations().await.expect("organisations").is_empty());
    assert!(store.users().await.expect("users").is_empty());
    assert!(store.homes().await.expect("homes").is_empty());
    assert!(store.vacancies().await.expect("vacancies").is_empty());
    assert!(store.children_of(331).await.expect("children").is_empty());
    assert!(all_audit(&store).await.is_empty());
}

async fn load_region_counts_match_the_seed(store: Arc<dyn Store>, _ctx: &Ctx) {
    migrated(&store).await;
    let seed = small_region();
    let loaded = store.load_region(&system(), &seed).await.expect("the region loads");
    assert_eq!(loaded, seed.counts());
    assert_eq!(store.counts().await.expect("counts"), seed.counts());
    assert!(!store.is_empty().await.expect("is_empty"));

    let audit = all_audit(&store).await;
    assert_eq!(audit.len(), 1, "one audit line for the whole load: {audit:?}");
    assert_eq!(audit[0].action, "region.load");
    assert_eq!(audit[0].actor_label, "hearth conformance");
    assert_eq!(audit[0].user, None);
}

async fn records_round_trip_unchanged(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    assert_round_trip(&store, &seed).await;
    // child() returns a child whatever their status, the one who has left care included.
    for c in &seed.children {
        assert_eq!(&store.child(&officer(), c.id).await.expect("a child"), c);
    }
    assert!(matches!(store.home(HomeId(9_999)).await, Err(StoreError::NotFound { .. })));
    assert!(store.children_of(330).await.expect("another council").is_empty());
    assert!(store.placements_of_child(ChildId(9_999)).await.expect("no placements").is_empty());
}

async fn every_code_round_trips(store: Arc<dyn Store>, _ctx: &Ctx) {
    migrated(&store).await;
    let seed = every_code_region();
    store.load_region(&system(), &seed).await.expect("every code is accepted by the schema");
    assert_eq!(store.counts().await.expect("counts"), seed.counts());
    assert_round_trip(&store, &seed).await;
}

async fn load_region_refuses_a_non_empty_database(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let audit = all_audit(&store).await;
    // A region that shares no id or e-mail with the loaded one, so only the emptiness rule can refuse it.
    let other = RegionSeed { organisations: vec![other_provider()], ..RegionSeed::default() };
    let refused = store.load_region(&system(), &other).await;
    assert!(matches!(refused, Err(StoreError::Conflict(_))), "{refused:?}");
    assert_eq!(store.counts().await.expect("counts"), seed.counts());
    assert_eq!(all_audit(&store).await, audit, "a refused load writes no audit line");
    assert_round_trip(&store, &seed).await;
}

async fn load_region_is_all_or_nothing(store: Arc<dyn Store>, _ctx: &Ctx) {
    migrated(&store).await;
    let mut broken = small_region();
    // The very last rows inserted name a home that does not exist: everything before them must go too.
    if let Some(visit) = broken.quality_visits.last_mut() {
        visit.home = HomeId(9_999);
    }
    let refused = store.load_region(&system(), &broken).await;
    assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
    assert_eq!(store.counts().await.expect("counts"), RegionCounts::default());
    assert!(store.is_empty().await.expect("is_empty"));
    assert!(all_audit(&store).await.is_empty());

    let seed = small_region();
    store.load_region(&system(), &seed).await.expect("a good region loads after a refused one");
    assert_eq!(store.counts().await.expect("counts"), seed.counts());
}

async fn constraint_failures_map_by_kind(store: Arc<dyn Store>, _ctx: &Ctx) {
    migrated(&store).await;

    let mut duplicate = small_region();
    duplicate.users[1].email = duplicate.users[0].email.clone();
    let e = store.load_region(&system(), &duplicate).await;
    assert!(matches!(e, Err(StoreError::Conflict(_))), "a duplicate e-mail is a conflict: {e:?}");

    // AgeRange's fields are public, so a seed can hold a range its constructor would refuse.
    let mut backwards = small_region();
    backwards.homes[0].ages = hearth_domain::home::AgeRange { min: 12, max: 3 };
    let e = store.load_region(&system(), &backwards).await;
    assert!(matches!(e, Err(StoreError::Invalid(_))), "a check failure is invalid: {e:?}");

    let mut orphan = small_region();
    orphan.placements[0].child = ChildId(9_999);
    let e = store.load_region(&system(), &orphan).await;
    assert!(matches!(e, Err(StoreError::Invalid(_))), "a missing parent is invalid: {e:?}");

    let mut same_day = small_region();
    same_day.placements[1].end = Some(same_day.placements[1].start);
    let e = store.load_region(&system(), &same_day).await;
    assert!(matches!(e, Err(StoreError::Invalid(_))), "a placement ending the day it starts is invalid: {e:?}");

    assert!(store.is_empty().await.expect("is_empty"), "no refused load left anything behind");
    assert!(all_audit(&store).await.is_empty());
}

async fn ids_continue_after_a_load(store: Arc<dyn Store>, ctx: &Ctx) {
    let seed = loaded(&store).await;
    let mut raw = ctx.raw().await;
    let organisation = raw
        .i64("INSERT INTO organisations (kind, name) VALUES ('provider', 'A later provider') RETURNING id")
        .await
        .expect("a new organisation gets an id of its own");
    let largest = seed.organisations.iter().map(|o| o.id.0).max().unwrap_or_default();
    assert!(organisation > largest, "new id {organisation} after loaded ids up to {largest}");

    let child = raw
        .i64(
            "INSERT INTO children (la_code, reference, date_of_birth, sex, ethnicity, uasc, disability, sen, \
             legal_status, looked_after_since) \
             VALUES (331, 'NEW1', '2015-01-01', 'F', 'WBRI', false, false, 'none', 'C2', '2026-11-25') RETURNING id",
        )
        .await
        .expect("a new child gets an id of its own");
    let largest = seed.children.iter().map(|c| c.id.0).max().unwrap_or_default();
    assert!(child > largest, "new id {child} after loaded ids up to {largest}");
}

async fn set_vacancy_places_is_audited(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let before = all_audit(&store).await;

    let closed = store.set_vacancy_places(&officer(), VacancyId(21), 0).await.expect("vacancy 21 closes");
    let mut expected = seed.vacancies.iter().find(|v| v.id == VacancyId(21)).cloned().expect("seed vacancy 21");
    expected.places = 0;
    assert_eq!(closed, expected);
    assert!(
        !store.vacancies().await.expect("vacancies").iter().any(|v| v.id == VacancyId(21)),
        "a closed vacancy is not listed"
    );

    let after = all_audit(&store).await;
    assert_eq!(after.len(), before.len() + 1, "exactly one new audit line");
    assert_eq!(&after[1..], &before[..], "older lines are unchanged");
    let line = &after[0];
    assert_eq!(line.action, "vacancy.update");
    assert_eq!(line.record_type, "vacancy");
    assert_eq!(line.record_id.as_deref(), Some("21"));
    assert_eq!(line.user, Some(UserId(1)));
    assert_eq!(line.organisation, Some(OrganisationId(1)));
    assert_eq!(line.actor_label, "officer@coventry.gov.uk");
    assert_eq!(line.from.as_deref(), Some("192.0.2.10"));
    assert_eq!(line.detail.as_deref(), Some("places 2 -> 0"));
    assert!(line.id > before[0].id);

    // And back: a closed vacancy reopens and is listed again.
    let reopened = store.set_vacancy_places(&officer(), VacancyId(22), 3).await.expect("vacancy 22 reopens");
    assert_eq!(reopened.places, 3);
    let listed = store.vacancies().await.expect("vacancies");
    assert_eq!(listed.iter().find(|v| v.id == VacancyId(22)), Some(&reopened));
    assert_eq!(all_audit(&store).await.len(), before.len() + 2);
}

async fn set_vacancy_places_on_unknown_vacancy_writes_nothing(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let before = all_audit(&store).await;
    let e = store.set_vacancy_places(&officer(), VacancyId(9_999), 1).await;
    assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    assert_eq!(all_audit(&store).await, before, "no audit line for a change that did not happen");
    assert_eq!(store.counts().await.expect("counts"), seed.counts());
}

async fn concurrent_vacancy_updates_apply_one_after_another(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    let writers: Vec<_> = (1..=8u16)
        .map(|places| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.set_vacancy_places(&officer(), VacancyId(20), places).await })
        })
        .collect();
    for w in writers {
        w.await.expect("the writer ran").expect("every concurrent update succeeds");
    }
    // Oldest first, each line's "before" is the previous line's "after": no update read a stale value.
    let mut lines = store
        .audit(&AuditQuery { action_prefix: Some("vacancy.".into()), ..AuditQuery::default() })
        .await
        .expect("audit");
    lines.reverse();
    assert_eq!(lines.len(), 8);
    let pairs: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            let detail = l.detail.as_deref().and_then(|d| d.strip_prefix("places ")).expect("a places detail");
            let (from, to) = detail.split_once(" -> ").expect("before -> after");
            (from.to_owned(), to.to_owned())
        })
        .collect();
    assert_eq!(pairs[0].0, "1", "the first update saw the loaded value");
    for w in pairs.windows(2) {
        assert_eq!(w[1].0, w[0].1, "updates interleaved: {pairs:?}");
    }
    let last = store.vacancies().await.expect("vacancies").into_iter().find(|v| v.id == VacancyId(20));
    assert_eq!(last.map(|v| v.places.to_string()), Some(pairs[7].1.clone()));
}

async fn child_read_is_audited(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let before = all_audit(&store).await;
    let reader =
        Actor { user: Some(UserId(2)), organisation: Some(OrganisationId(2)), label: "manager".into(), from: None };
    let child = store.child(&reader, ChildId(103)).await.expect("child 103");
    assert_eq!(Some(&child), seed.children.iter().find(|c| c.id == ChildId(103)));

    let after = all_audit(&store).await;
    assert_eq!(after.len(), before.len() + 1);
    let line = &after[0];
    assert_eq!(line.action, "child.read");
    assert_eq!(line.record_type, "child");
    assert_eq!(line.record_id.as_deref(), Some("103"));
    assert_eq!((line.user, line.organisation), (Some(UserId(2)), Some(OrganisationId(2))));
    let written = format!("{line:?}");
    for personal in [child.reference.as_str(), "B91 3QS", "2011-03-03"] {
        assert!(!written.contains(personal), "the audit line carries a child's details: {written}");
    }

    let e = store.child(&reader, ChildId(9_999)).await;
    assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    assert_eq!(all_audit(&store).await.len(), before.len() + 1, "no audit line for a child who is not there");
}

async fn audit_log_is_append_only(store: Arc<dyn Store>, ctx: &Ctx) {
    loaded(&store).await;
    store.set_vacancy_places(&officer(), VacancyId(20), 0).await.expect("an audited change");
    let before = all_audit(&store).await;
    let newest = before[0].id.0;

    let mut raw = ctx.raw().await;
    for tamper in [
        format!("UPDATE audit_log SET detail = 'nothing happened' WHERE id = {newest}"),
        "UPDATE audit_log SET actor_label = 'someone else'".to_owned(),
        format!("DELETE FROM audit_log WHERE id = {newest}"),
        "DELETE FROM audit_log".to_owned(),
    ] {
        assert!(raw.execute(&tamper).await.is_err(), "the database allowed: {tamper}");
    }
    if ctx.backend == Backend::Postgres {
        assert!(raw.execute("TRUNCATE audit_log").await.is_err(), "the database allowed TRUNCATE");
    }
    assert_eq!(all_audit(&store).await, before, "every line is as it was");
    // Appending is still allowed, and the store keeps appending.
    store.set_vacancy_places(&officer(), VacancyId(20), 1).await.expect("another audited change");
    assert_eq!(all_audit(&store).await.len(), before.len() + 1);
}

async fn audit_search_filters_and_orders(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    let manager =
        Actor { user: Some(UserId(2)), organisation: Some(OrganisationId(2)), label: "manager".into(), from: None };
    store.set_vacancy_places(&officer(), VacancyId(20), 0).await.expect("update");
    store.child(&manager, ChildId(103)).await.expect("read");
    store.child(&officer(), ChildId(100)).await.expect("read");
    store.set_vacancy_places(&manager, VacancyId(21), 1).await.expect("update");

    let all = all_audit(&store).await;
    let actions: Vec<&str> = all.iter().map(|l| l.action.as_str()).collect();
    assert_eq!(
        actions,
        ["vacancy.update", "child.read", "child.read", "vacancy.update", "region.load"],
        "newest first"
    );
    assert!(all.windows(2).all(|w| w[0].id > w[1].id));

    let search = |q: AuditQuery| {
        let store = Arc::clone(&store);
        async move { store.audit(&q).await.expect("audit search") }
    };
    let by_officer = search(AuditQuery { organisation: Some(OrganisationId(1)), ..AuditQuery::default() }).await;
    assert_eq!(by_officer.len(), 2);
    assert!(by_officer.iter().all(|l| l.organisation == Some(OrganisationId(1))));

    let reads = search(AuditQuery { action_prefix: Some("child.".into()), ..AuditQuery::default() }).await;
    assert_eq!(reads.iter().map(|l| l.record_id.as_deref()).collect::<Vec<_>>(), [Some("100"), Some("103")]);
    // A prefix is text, not a pattern: '_' matches only '_'.
    assert!(search(AuditQuery { action_prefix: Some("child_".into()), ..AuditQuery::default() }).await.is_empty());

    let one_child = search(AuditQuery {
        record_type: Some("child".into()),
        record_id: Some("103".into()),
        ..AuditQuery::default()
    })
    .await;
    assert_eq!(one_child.len(), 1);
    assert_eq!(one_child[0].user, Some(UserId(2)));

    let newest = search(AuditQuery { limit: 2, ..AuditQuery::default() }).await;
    assert_eq!(newest, all[..2]);
}

async fn newer_schema_is_refused_untouched(store: Arc<dyn Store>, ctx: &Ctx) {
    let seed = loaded(&store).await;
    let mut raw = ctx.raw().await;
    // A line as a later Hearth would leave it: a version this one does not know.
    raw.execute(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         SELECT 20991231000000, 'from a newer Hearth', success, checksum, execution_time \
         FROM _sqlx_migrations ORDER BY version LIMIT 1",
    )
    .await
    .expect("a newer migration recorded");
    let recorded = raw.i64("SELECT COUNT(*) FROM _sqlx_migrations").await.expect("count");
    let audit = all_audit(&store).await;

    for s in [Arc::clone(&store), ctx.reopen().await] {
        match s.migrate().await {
            Err(StoreError::NewerSchema { found, known }) => {
                assert_eq!(found, 20_991_231_000_000);
                assert!(known < found);
            }
            other => panic!("expected NewerSchema, got {other:?}"),
        }
    }
    assert_eq!(raw.i64("SELECT COUNT(*) FROM _sqlx_migrations").await.expect("count"), recorded);
    assert_eq!(store.counts().await.expect("counts"), seed.counts());
    assert_eq!(all_audit(&store).await, audit);
}

async fn data_survives_reopening(store: Arc<dyn Store>, ctx: &Ctx) {
    let seed = loaded(&store).await;
    store.set_vacancy_places(&officer(), VacancyId(20), 0).await.expect("update");
    drop(store);
    let again = ctx.reopen().await;
    assert_eq!(again.migrate().await.expect("migrate"), 0);
    assert_eq!(again.counts().await.expect("counts"), seed.counts());
    assert_eq!(again.homes().await.expect("homes").len(), seed.homes.len());
    assert_eq!(all_audit(&again).await.len(), 2);
    if ctx.backend == Backend::Sqlite {
        let mut raw = ctx.raw().await;
        assert_eq!(raw.text("PRAGMA journal_mode").await.expect("journal mode"), "wal");
    }
}

async fn unreachable_database_is_unavailable(_store: Arc<dyn Store>, ctx: &Ctx) {
    let url = match ctx.backend {
        Backend::Sqlite => {
            // A folder cannot be made where a file already is.
            let blocker = ctx.dir.join("not-a-folder");
            std::fs::write(&blocker, b"a file").expect("a file");
            format!("sqlite://{}/hearth.db", blocker.display())
        }
        Backend::Postgres => "postgres://postgres:not-shown@127.0.0.1:1/x".to_owned(),
    };
    match hearth_store::open(&url).await {
        Err(e @ StoreError::Unavailable { .. }) => {
            assert!(!e.to_string().contains("not-shown"), "a password in an error: {e}");
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
    let e = hearth_store::open("mysql://somewhere/hearth").await;
    assert!(matches!(e, Err(StoreError::InvalidUrl(_))), "{e:?}");
}

async fn corrupt_file_is_left_untouched(_store: Arc<dyn Store>, ctx: &Ctx) {
    let path = ctx.dir.join("garbage.db");
    let garbage: Vec<u8> = (0..8_192u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(&path, &garbage).expect("a garbage file");
    let e = hearth_store::open(&format!("sqlite://{}", path.display())).await;
    assert!(matches!(e, Err(StoreError::Corrupt { .. })), "{e:?}");
    assert_eq!(std::fs::read(&path).expect("the file is still there"), garbage, "the file was changed");
    for sidecar in ["garbage.db-wal", "garbage.db-shm", "garbage.db-journal"] {
        assert!(!ctx.dir.join(sidecar).exists(), "{sidecar} was created");
    }
}

async fn large_load_crosses_statement_limits(store: Arc<dyn Store>, _ctx: &Ctx) {
    migrated(&store).await;
    // 4,200 placements of 19 columns: more binds than one statement may carry on either backend.
    let seed = synthetic_region(1_200);
    assert!(seed.placements.len() * 19 > 65_535);
    store.load_region(&system(), &seed).await.expect("a large region loads");
    assert_eq!(store.counts().await.expect("counts"), seed.counts());
    let first_council = seed.children[0].la_code;
    let mut theirs: Vec<_> = seed.children.iter().filter(|c| c.la_code == first_council).cloned().collect();
    theirs.sort_by_key(|c| c.id);
    assert_eq!(store.children_of(first_council).await.expect("children"), theirs);
    for child in [seed.children[0].id, seed.children[seed.children.len() - 1].id] {
        let mut placements: Vec<_> = seed.placements.iter().filter(|p| p.child == child).cloned().collect();
        placements.sort_by_key(|p| (p.start, p.id));
        assert_eq!(store.placements_of_child(child).await.expect("placements"), placements);
    }
    assert_eq!(store.homes().await.expect("homes"), seed.homes);
}

/// Run on request: prints how long a region of the demo's size takes to load.
async fn load_region_at_demo_size(store: Arc<dyn Store>, ctx: &Ctx) {
    migrated(&store).await;
    let seed = synthetic_region(12_000);
    let started = std::time::Instant::now();
    store.load_region(&system(), &seed).await.expect("the demo-sized region loads");
    let took = started.elapsed();
    let c = seed.counts();
    eprintln!(
        "{}: load_region of {} organisations, {} users, {} homes, {} vacancies, {} children, {} placements, \
         {} referrals, {} offers, {} declines took {:.2} s",
        ctx.backend.name(),
        c.organisations,
        c.users,
        c.homes,
        c.vacancies,
        c.children,
        c.placements,
        c.referrals,
        c.offers,
        seed.declines.len(),
        took.as_secs_f64()
    );
    assert_eq!(store.counts().await.expect("counts"), c);
}
