//! The stories: what any Hearth store must do, whichever database is behind it.

use crate::seeds::{
    actor, email, every_code_region, officer, other_provider, small_region, synthetic_region, system, token_hash, ts,
};
use crate::{Ctx, On, Story};
use hearth_domain::access::Capability;
use hearth_domain::audit::{Actor, AuditEntry};
use hearth_domain::org::{OrganisationKind, Role, User};
use hearth_domain::referral::{Need, Referral, ReferralStatus};
use hearth_domain::referral_form::{DetailsInput, ParsedReferral, ReferralDetails, ReferralInput};
use hearth_domain::seed::{RegionCounts, RegionSeed};
use hearth_domain::{ChildId, HomeId, OrganisationId, ReferralId, UserId, VacancyId};
use hearth_store::{
    Account, ApiTokenRecord, AuditQuery, Backend, FailureCounts, NewApiToken, NewSession, NewUser, Recipient,
    SessionRecord, SignInAttempt, Store, StoreError, UserChange,
};
use jiff::Timestamp;
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
    Both return_records_hold_a_councils_year_with_whole_histories,
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
    Both audit_search_filters_by_time,
    Both vacancy_reads_one_open_or_closed,
    Both referral_read_is_audited,
    Both reads_the_service_allows_are_audited_on_request,
    Both referrals_of_a_council_are_newest_first,
    Both referrals_sent_to_a_provider_are_those_it_answered,
    Both a_created_referral_reads_back_with_its_details_and_history,
    Both referral_edits_and_moves_are_checked_and_audited,
    Both accounts_read_back_by_id_email_and_organisation,
    Both a_taken_email_is_a_conflict_and_writes_nothing,
    Both update_user_changes_and_audits_without_the_hash,
    Both missing_password_hashes_are_set_once,
    Both sessions_are_found_by_hash_and_listed_while_live,
    Both a_session_is_revoked_only_by_its_user,
    Both revoke_all_sessions_ends_only_that_users_live_ones,
    Both api_tokens_round_trip_and_are_revoked_by_their_organisation,
    Both failed_sign_ins_are_counted_by_account_and_address,
    Both migration_0002_sends_an_existing_regions_referrals,
    Both council_weights_are_kept_replaced_and_audited,
    Both vacancies_are_created_and_changed_with_an_audit_line_each,
    Both an_application_is_approved_once_even_at_the_same_moment,
    Both an_invitation_is_used_once_and_a_taken_email_makes_nothing,
    Both newer_schema_is_refused_untouched,
    Both data_survives_reopening,
    Both unreachable_database_is_unavailable,
    SqliteOnly corrupt_file_is_left_untouched,
    Both large_load_crosses_statement_limits,
    BothOnRequest load_region_at_demo_size,
    BothOnRequest return_records_at_national_size,
}

async fn migrated(store: &Arc<dyn Store>) {
    store.migrate().await.expect("migrations apply");
}

/// A migrated database holding [`small_region`].
/// The moment of the stories' changes, by the tests' clock: the store never reads a clock of its own.
fn t0() -> Timestamp {
    ts("2026-11-25T09:00:00Z")
}

async fn loaded(store: &Arc<dyn Store>) -> RegionSeed {
    migrated(store).await;
    let seed = small_region();
    store.load_region(&system(), &seed, t0()).await.expect("the small region loads");
    seed
}

/// The small region with the foster household (home 10, vacancy 20) approved for 12 places, so that a
/// story about vacancy writes is not about its places running out.
async fn loaded_with_room(store: &Arc<dyn Store>) -> RegionSeed {
    migrated(store).await;
    let mut seed = small_region();
    seed.homes.iter_mut().filter(|h| h.id == HomeId(10)).for_each(|h| h.places = 12);
    store.load_region(&system(), &seed, t0()).await.expect("the small region loads");
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

    let mut referring: Vec<u16> = seed.referrals.iter().map(|r| r.la_code).collect();
    referring.sort_unstable();
    referring.dedup();
    for la in referring {
        let theirs = newest_first(seed.referrals.iter().filter(|r| r.la_code == la).cloned().collect());
        assert_eq!(store.referrals_of(la, 0).await.expect("referrals of a council"), theirs, "council {la}");
    }

    // A loaded user has no password yet and is active; their organisation is the seed's.
    for u in &seed.users {
        let organisation = seed.organisations.iter().find(|o| o.id == u.organisation).expect("the user's organisation");
        let expected = Account {
            user: u.clone(),
            password_hash: None,
            active: true,
            organisation_kind: organisation.kind,
            la_code: organisation.la_code,
        };
        assert_eq!(store.account(u.id).await.expect("an account"), expected);
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
    let loaded = store.load_region(&system(), &seed, t0()).await.expect("the region loads");
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
        assert_eq!(&store.child(&officer(), c.id, t0()).await.expect("a child"), c);
    }
    assert!(matches!(store.home(HomeId(9_999)).await, Err(StoreError::NotFound { .. })));
    assert!(store.children_of(330).await.expect("another council").is_empty());
    assert!(store.placements_of_child(ChildId(9_999)).await.expect("no placements").is_empty());
}

/// The SSDA903 read: the council's children with a placement open on a day of the period (one who has
/// left care since included), with every legal status and placement they have, and each home's URN.
async fn return_records_hold_a_councils_year_with_whole_histories(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let (from, to) = (jiff::civil::date(2025, 4, 1), jiff::civil::date(2026, 3, 31));
    let urn = |h: Option<HomeId>| h.and_then(|h| seed.homes.iter().find(|x| x.id == h)).and_then(|h| h.urn.clone());
    for la in [331, 334] {
        let in_period: Vec<ChildId> = seed
            .placements
            .iter()
            .filter(|p| p.la_code == la && p.start <= to && p.end.is_none_or(|e| e >= from))
            .map(|p| p.child)
            .collect();
        let mut children: Vec<_> = seed
            .children
            .iter()
            .filter(|c| in_period.contains(&c.id))
            .map(|c| hearth_domain::child::Child { connected_persons: Vec::new(), ..c.clone() })
            .collect();
        children.sort_by_key(|c| c.id);
        let mut legal: Vec<_> = seed.legal_statuses.iter().filter(|l| in_period.contains(&l.child)).cloned().collect();
        legal.sort_by_key(|l| (l.child, l.from));
        let mut placements: Vec<_> =
            seed.placements.iter().filter(|p| in_period.contains(&p.child)).map(|p| (p.clone(), urn(p.home))).collect();
        placements.sort_by_key(|(p, _)| (p.child, p.start, p.id));
        let read = store.return_records(la, from, to).await.expect("the return's records");
        assert!(la != 331 || !read.children.is_empty(), "Coventry has children in the period");
        assert_eq!(read.children, children, "council {la}");
        assert_eq!(read.legal_statuses, legal, "council {la}");
        assert_eq!(read.placements, placements, "council {la}");
    }
    let nothing = store.return_records(330, from, to).await.expect("a council with nothing");
    assert_eq!(nothing, hearth_store::ReturnRecords::default());
    let before = store.return_records(331, jiff::civil::date(1990, 4, 1), jiff::civil::date(1991, 3, 31)).await;
    assert_eq!(before.expect("a year before anything"), hearth_store::ReturnRecords::default());
}

async fn every_code_round_trips(store: Arc<dyn Store>, _ctx: &Ctx) {
    migrated(&store).await;
    let seed = every_code_region();
    store.load_region(&system(), &seed, t0()).await.expect("every code is accepted by the schema");
    assert_eq!(store.counts().await.expect("counts"), seed.counts());
    assert_round_trip(&store, &seed).await;
}

async fn load_region_refuses_a_non_empty_database(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let audit = all_audit(&store).await;
    // A region that shares no id or e-mail with the loaded one, so only the emptiness rule can refuse it.
    let other = RegionSeed { organisations: vec![other_provider()], ..RegionSeed::default() };
    let refused = store.load_region(&system(), &other, t0()).await;
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
    let refused = store.load_region(&system(), &broken, t0()).await;
    assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
    assert_eq!(store.counts().await.expect("counts"), RegionCounts::default());
    assert!(store.is_empty().await.expect("is_empty"));
    assert!(all_audit(&store).await.is_empty());

    let seed = small_region();
    store.load_region(&system(), &seed, t0()).await.expect("a good region loads after a refused one");
    assert_eq!(store.counts().await.expect("counts"), seed.counts());
}

async fn constraint_failures_map_by_kind(store: Arc<dyn Store>, _ctx: &Ctx) {
    migrated(&store).await;

    let mut duplicate = small_region();
    duplicate.users[1].email = duplicate.users[0].email.clone();
    let e = store.load_region(&system(), &duplicate, t0()).await;
    assert!(matches!(e, Err(StoreError::Conflict(_))), "a duplicate e-mail is a conflict: {e:?}");

    // AgeRange's fields are public, so a seed can hold a range its constructor would refuse.
    let mut backwards = small_region();
    backwards.homes[0].ages = hearth_domain::home::AgeRange { min: 12, max: 3 };
    let e = store.load_region(&system(), &backwards, t0()).await;
    assert!(matches!(e, Err(StoreError::Invalid(_))), "a check failure is invalid: {e:?}");

    let mut orphan = small_region();
    orphan.placements[0].child = ChildId(9_999);
    let e = store.load_region(&system(), &orphan, t0()).await;
    assert!(matches!(e, Err(StoreError::Invalid(_))), "a missing parent is invalid: {e:?}");

    let mut same_day = small_region();
    same_day.placements[1].end = Some(same_day.placements[1].start);
    let e = store.load_region(&system(), &same_day, t0()).await;
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

    let closed = store.set_vacancy_places(&officer(), VacancyId(21), 0, t0()).await.expect("vacancy 21 closes");
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
    let reopened = store.set_vacancy_places(&officer(), VacancyId(22), 1, t0()).await.expect("vacancy 22 reopens");
    assert_eq!(reopened.places, 1);
    let listed = store.vacancies().await.expect("vacancies");
    assert_eq!(listed.iter().find(|v| v.id == VacancyId(22)), Some(&reopened));
    assert_eq!(all_audit(&store).await.len(), before.len() + 2);
}

async fn set_vacancy_places_on_unknown_vacancy_writes_nothing(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let before = all_audit(&store).await;
    let e = store.set_vacancy_places(&officer(), VacancyId(9_999), 1, t0()).await;
    assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    assert_eq!(all_audit(&store).await, before, "no audit line for a change that did not happen");
    assert_eq!(store.counts().await.expect("counts"), seed.counts());
}

async fn concurrent_vacancy_updates_apply_one_after_another(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded_with_room(&store).await;
    let writers: Vec<_> = (1..=8u16)
        .map(|places| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.set_vacancy_places(&officer(), VacancyId(20), places, t0()).await })
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
    let child = store.child(&reader, ChildId(103), t0()).await.expect("child 103");
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

    let e = store.child(&reader, ChildId(9_999), t0()).await;
    assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    assert_eq!(all_audit(&store).await.len(), before.len() + 1, "no audit line for a child who is not there");
}

async fn audit_log_is_append_only(store: Arc<dyn Store>, ctx: &Ctx) {
    loaded(&store).await;
    store.set_vacancy_places(&officer(), VacancyId(20), 0, t0()).await.expect("an audited change");
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
    store.set_vacancy_places(&officer(), VacancyId(20), 1, t0()).await.expect("another audited change");
    assert_eq!(all_audit(&store).await.len(), before.len() + 1);
}

async fn audit_search_filters_and_orders(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    let manager =
        Actor { user: Some(UserId(2)), organisation: Some(OrganisationId(2)), label: "manager".into(), from: None };
    store.set_vacancy_places(&officer(), VacancyId(20), 0, t0()).await.expect("update");
    store.child(&manager, ChildId(103), t0()).await.expect("read");
    store.child(&officer(), ChildId(100), t0()).await.expect("read");
    store.set_vacancy_places(&manager, VacancyId(21), 1, t0()).await.expect("update");

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
    store.set_vacancy_places(&officer(), VacancyId(20), 0, t0()).await.expect("update");
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
    store.load_region(&system(), &seed, t0()).await.expect("a large region loads");
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
    store.load_region(&system(), &seed, t0()).await.expect("the demo-sized region loads");
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

/// The SSDA903 read for one council the size of England: 27,000 children, each with 3 or 4 placements
/// (94,500 in all) and the last still open. Prints how long `return_records` takes.
async fn return_records_at_national_size(store: Arc<dyn Store>, ctx: &Ctx) {
    migrated(&store).await;
    let mut seed = synthetic_region(27_000);
    seed.children.iter_mut().for_each(|c| c.la_code = 331);
    seed.placements.iter_mut().for_each(|p| p.la_code = 331);
    store.load_region(&system(), &seed, t0()).await.expect("the region loads");
    let (from, to) = (jiff::civil::date(2025, 4, 1), jiff::civil::date(2026, 3, 31));
    let mut took = Vec::new();
    for _ in 0..5 {
        let started = std::time::Instant::now();
        let read = store.return_records(331, from, to).await.expect("the return's records");
        took.push(started.elapsed().as_secs_f64());
        assert_eq!((read.children.len(), read.placements.len()), (27_000, seed.placements.len()));
    }
    took.sort_by(f64::total_cmp);
    eprintln!(
        "{}: return_records of 27,000 children, {} legal statuses, {} placements: median {:.0} ms (fastest {:.0} ms)",
        ctx.backend.name(),
        seed.legal_statuses.len(),
        seed.placements.len(),
        took[2] * 1000.0,
        took[0] * 1000.0
    );
}

// --- Referrals (read side) ---

/// Referrals as the store lists them: newest first, the higher id first among equals.
fn newest_first(mut referrals: Vec<Referral>) -> Vec<Referral> {
    referrals.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
    referrals
}

fn referral_ids(referrals: &[Referral]) -> Vec<i64> {
    referrals.iter().map(|r| r.id.0).collect()
}

/// The audit lines written since `before` was read, newest first; the older ones must be untouched.
async fn new_audit(store: &Arc<dyn Store>, before: &[AuditEntry]) -> Vec<AuditEntry> {
    let after = all_audit(store).await;
    let added = after.len().checked_sub(before.len()).expect("the audit log only grows");
    assert_eq!(&after[added..], before, "older audit lines are unchanged");
    after[..added].to_vec()
}

/// No audit line carries any of `secrets` (hashes, tokens, e-mails typed, a child's details).
fn assert_not_written(lines: &[AuditEntry], secrets: &[&str]) {
    for line in lines {
        let written = format!("{line:?}");
        for secret in secrets {
            assert!(!written.contains(secret), "an audit line carries {secret:?}: {written}");
        }
    }
}

async fn vacancy_reads_one_open_or_closed(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    assert!(seed.vacancies.iter().any(|v| v.places == 0), "the seed has a closed vacancy");
    for v in &seed.vacancies {
        assert_eq!(&store.vacancy(v.id).await.expect("a vacancy"), v);
    }
    let e = store.vacancy(VacancyId(9_999)).await;
    assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
}

async fn referral_read_is_audited(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let expected = seed.referrals.iter().find(|r| r.id == ReferralId(201)).cloned().expect("seed referral 201");
    let before = all_audit(&store).await;
    let manager = actor(2, 2, "manager@solihull.gov.uk");

    assert_eq!(store.referral(&manager, ReferralId(201), t0()).await.expect("referral 201"), expected);
    let lines = new_audit(&store, &before).await;
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    assert_eq!((line.action.as_str(), line.record_type.as_str()), ("referral.read", "referral"));
    assert_eq!(line.record_id.as_deref(), Some("201"));
    assert_eq!((line.user, line.organisation), (Some(UserId(2)), Some(OrganisationId(2))));
    // Child 103, whom the referral is for.
    assert_not_written(&lines, &["S0001", "B91 3QS", "2011-03-03"]);

    assert_eq!(store.referral_unaudited(ReferralId(201)).await.expect("referral 201"), expected);
    assert_eq!(new_audit(&store, &before).await.len(), 1, "the unaudited read writes nothing");

    for e in
        [store.referral(&manager, ReferralId(9_999), t0()).await, store.referral_unaudited(ReferralId(9_999)).await]
    {
        assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    }
    assert_eq!(new_audit(&store, &before).await.len(), 1, "no audit line for a referral that is not there");
}

async fn reads_the_service_allows_are_audited_on_request(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let before = all_audit(&store).await;
    let child = store.child_unaudited(ChildId(103)).await.expect("child 103");
    assert_eq!(Some(&child), seed.children.iter().find(|c| c.id == ChildId(103)));
    let e = store.child_unaudited(ChildId(9_999)).await;
    assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    assert_eq!(all_audit(&store).await, before, "child_unaudited writes nothing");

    let manager = actor(2, 2, "manager@solihull.gov.uk");
    store.record_read(&manager, "placements.read", "child", "103", t0()).await.expect("a read recorded");
    let lines = new_audit(&store, &before).await;
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    assert_eq!(
        (line.action.as_str(), line.record_type.as_str(), line.record_id.as_deref()),
        ("placements.read", "child", Some("103"))
    );
    assert_eq!((line.user, line.from.as_deref()), (Some(UserId(2)), Some("198.51.100.7")));

    // Not a read: refused, so no line can stand for a change that did not happen.
    let e = store.record_read(&manager, "child.update", "child", "103", t0()).await;
    assert!(matches!(e, Err(StoreError::Invalid(_))), "{e:?}");
    assert_eq!(new_audit(&store, &before).await.len(), 1);
}

async fn referrals_of_a_council_are_newest_first(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let coventry = store.referrals_of(331, 0).await.expect("Coventry's referrals");
    // 203 was made half a second after 204, within the same second.
    assert_eq!(referral_ids(&coventry), [203, 204, 202, 200]);
    assert_eq!(coventry, newest_first(seed.referrals.iter().filter(|r| r.la_code == 331).cloned().collect()));
    assert_eq!(referral_ids(&store.referrals_of(331, 2).await.expect("the newest two")), [203, 204]);
    assert_eq!(referral_ids(&store.referrals_of(331, 9).await.expect("more than there are")), [203, 204, 202, 200]);
    assert_eq!(referral_ids(&store.referrals_of(334, 0).await.expect("Solihull's")), [201]);
    assert!(store.referrals_of(330, 0).await.expect("a council with none").is_empty());
    assert_eq!(all_audit(&store).await.len(), 1, "a list names no child: nothing to audit");
}

async fn referrals_sent_to_a_provider_are_those_it_answered(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let sent = |provider: i64, limit: u32| {
        let store = Arc::clone(&store);
        async move { store.referrals_sent_to(OrganisationId(provider), limit).await.expect("referrals sent") }
    };
    // Provider 4 offered on 201 and (twice) on 204, and declined 202 and 203.
    let to_four = sent(4, 0).await;
    assert_eq!(referral_ids(&to_four), [203, 204, 201, 202]);
    let ours: Vec<Referral> =
        seed.referrals.iter().filter(|r| [201, 202, 203, 204].contains(&r.id.0)).cloned().collect();
    assert_eq!(to_four, newest_first(ours));
    assert_eq!(referral_ids(&sent(4, 1).await), [203]);
    assert_eq!(referral_ids(&sent(5, 0).await), [201]);
    assert_eq!(referral_ids(&sent(3, 0).await), [200]);
    assert!(sent(6, 0).await.is_empty(), "the hub was sent nothing");
    assert!(sent(9_000, 0).await.is_empty(), "an organisation that is not there was sent nothing");

    let recipient = |referral: i64, provider: i64| {
        let store = Arc::clone(&store);
        async move { store.recipient(ReferralId(referral), OrganisationId(provider)).await.expect("a recipient") }
    };
    let sent_to = |referral: i64, provider: i64, sent_at: &str, offer_accepted: bool| Recipient {
        referral: ReferralId(referral),
        provider: OrganisationId(provider),
        sent_at: ts(sent_at),
        offer_accepted,
    };
    assert_eq!(recipient(200, 3).await, Some(sent_to(200, 3, "2023-03-10T09:00:00Z", true)));
    assert_eq!(recipient(201, 4).await, Some(sent_to(201, 4, "2026-09-30T08:15:00.5Z", false)));
    assert_eq!(recipient(204, 4).await, Some(sent_to(204, 4, "2026-10-01T09:00:00Z", false)), "offers not accepted");
    assert_eq!(recipient(202, 4).await, Some(sent_to(202, 4, "2024-02-01T10:00:00Z", false)), "declined");
    assert_eq!(recipient(200, 4).await, None, "never sent");
    assert_eq!(recipient(9_999, 4).await, None);
}

async fn audit_search_filters_by_time(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    // Each line at the moment it is given (the load's is t0): a microsecond apart, then half a second
    // (so that SQLite's text would misorder them if its widths varied), then a minute.
    let after = |micros: i64| t0().checked_add(jiff::SignedDuration::from_micros(micros)).expect("a moment");
    store.set_vacancy_places(&officer(), VacancyId(20), 0, after(1)).await.expect("update");
    store.child(&officer(), ChildId(100), after(500_000)).await.expect("read");
    store.set_vacancy_places(&officer(), VacancyId(21), 1, after(60_000_000)).await.expect("update");

    let all = all_audit(&store).await;
    assert_eq!(all.len(), 4);
    let moments: Vec<Timestamp> = all.iter().map(|line| line.at).collect();
    assert_eq!(moments, [after(60_000_000), after(500_000), after(1), t0()], "the given moments, newest first");
    let at = |i: usize| all[i].at;
    let later = |t: Timestamp| t.checked_add(jiff::SignedDuration::from_millis(1)).expect("a moment");
    let search = |since: Option<Timestamp>, until: Option<Timestamp>| {
        let store = Arc::clone(&store);
        async move { store.audit(&AuditQuery { since, until, ..AuditQuery::default() }).await.expect("audit") }
    };
    assert_eq!(search(Some(at(1)), None).await, all[..2], "since is inclusive");
    assert_eq!(search(None, Some(at(1))).await, all[2..], "until is exclusive");
    assert_eq!(search(Some(at(2)), Some(at(0))).await, all[1..3]);
    assert!(search(Some(at(1)), Some(at(1))).await.is_empty());
    assert!(search(Some(later(at(0))), None).await.is_empty());
    assert_eq!(search(None, Some(later(at(0)))).await, all);

    let recent_changes = store
        .audit(&AuditQuery { since: Some(at(2)), action_prefix: Some("vacancy.".into()), ..AuditQuery::default() })
        .await
        .expect("audit");
    assert_eq!(recent_changes, [all[0].clone(), all[2].clone()]);
    let newest = store.audit(&AuditQuery { since: Some(at(3)), limit: 2, ..AuditQuery::default() }).await;
    assert_eq!(newest.expect("audit"), all[..2]);
}

// --- Accounts ---

/// Argon2id PHC strings in shape; never verified here.
const HASH_A: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$aGFzaGVkLXBhc3N3b3JkLW9uZQ";
const HASH_B: &str = "$argon2id$v=19$m=19456,t=2,p=1$b3RoZXJzYWx0$aGFzaGVkLXBhc3N3b3JkLXR3bw";

fn new_user(organisation: i64, address: &str, role: Role, password_hash: Option<&str>) -> NewUser {
    NewUser {
        organisation: OrganisationId(organisation),
        email: email(address),
        display_name: "Alex Example".into(),
        role,
        password_hash: password_hash.map(Into::into),
    }
}

async fn accounts_read_back_by_id_email_and_organisation(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let first = store.account(UserId(1)).await.expect("user 1");
    let expected = Account {
        user: seed.users[0].clone(),
        password_hash: None,
        active: true,
        organisation_kind: OrganisationKind::Council,
        la_code: Some(331),
    };
    assert_eq!(first, expected);
    assert_eq!(store.account_by_email(&email("Officer@Coventry.GOV.uk")).await.expect("by e-mail"), Some(first));
    assert_eq!(store.account_by_email(&email("nobody@coventry.gov.uk")).await.expect("by e-mail"), None);
    let e = store.account(UserId(9_999)).await;
    assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");

    let before = all_audit(&store).await;
    let admin = actor(4, 6, "commissioner@hub.example");
    let wanted = new_user(4, "Manager@MidlandsCare.example", Role::ProviderManager, Some(HASH_A));
    let created = store.create_user(&admin, &wanted, t0()).await.expect("a new user");
    assert!(created.user.id.0 > 4, "an id after the loaded ones, not {}", created.user.id);
    let user = User { id: created.user.id, ..user_of(&wanted) };
    assert_eq!(
        created,
        Account {
            user,
            password_hash: Some(HASH_A.into()),
            active: true,
            organisation_kind: OrganisationKind::Provider,
            la_code: None,
        }
    );
    assert_eq!(created.user.email.as_str(), "manager@midlandscare.example");
    assert_eq!(store.account(created.user.id).await.expect("by id"), created);
    let by_email = store.account_by_email(&email("MANAGER@midlandscare.example")).await.expect("by e-mail");
    assert_eq!(by_email.as_ref(), Some(&created));
    let theirs = store.accounts_of(OrganisationId(4)).await.expect("Midlands Care's users");
    assert_eq!(theirs.iter().map(|a| a.user.id).collect::<Vec<_>>(), [UserId(3), created.user.id]);
    assert_eq!(theirs[1], created);
    assert!(store.accounts_of(OrganisationId(5)).await.expect("nobody").is_empty());

    let lines = new_audit(&store, &before).await;
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    assert_eq!((line.action.as_str(), line.record_type.as_str()), ("user.create", "user"));
    assert_eq!(line.record_id, Some(created.user.id.to_string()));
    assert_eq!((line.user, line.organisation), (Some(UserId(4)), Some(OrganisationId(6))));
    assert_not_written(&lines, &[HASH_A, "manager@midlandscare.example", "Alex Example"]);
}

/// The user a `NewUser` describes, with a placeholder id.
fn user_of(new: &NewUser) -> User {
    User {
        id: UserId(0),
        organisation: new.organisation,
        email: new.email.clone(),
        display_name: new.display_name.clone(),
        role: new.role,
    }
}

async fn a_taken_email_is_a_conflict_and_writes_nothing(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let before = all_audit(&store).await;
    let taken =
        store.create_user(&officer(), &new_user(1, "OFFICER@coventry.gov.uk", Role::TeamManager, None), t0()).await;
    // The same sentence from either database: never its own wording.
    assert!(
        matches!(&taken, Err(StoreError::Conflict(m)) if m == "that would duplicate a record already stored"),
        "{taken:?}"
    );
    let nowhere =
        store.create_user(&officer(), &new_user(9_999, "new@nowhere.example", Role::Administrator, None), t0()).await;
    assert!(
        matches!(&nowhere, Err(StoreError::Invalid(m)) if m == "a record refers to another that does not exist"),
        "{nowhere:?}"
    );
    assert_eq!(all_audit(&store).await, before, "no audit line for a user who was not added");
    assert_eq!(store.users().await.expect("users"), seed.users);
    // The refused statements spoiled nothing: the next user is added.
    store
        .create_user(&officer(), &new_user(1, "new@coventry.gov.uk", Role::TeamManager, None), t0())
        .await
        .expect("added");
    assert_eq!(new_audit(&store, &before).await.len(), 1);
}

async fn update_user_changes_and_audits_without_the_hash(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let before = all_audit(&store).await;
    let change = UserChange {
        display_name: Some("Pat Example".into()),
        role: Some(Role::TeamManager),
        active: Some(false),
        password_hash: Some(HASH_B.into()),
    };
    let changed = store.update_user(&officer(), UserId(1), &change, t0()).await.expect("user 1 changes");
    let user = User { display_name: "Pat Example".into(), role: Role::TeamManager, ..seed.users[0].clone() };
    assert_eq!((&changed.user, changed.active, changed.password_hash.as_deref()), (&user, false, Some(HASH_B)));
    assert_eq!(store.account(UserId(1)).await.expect("user 1"), changed);

    // What a change leaves out stays as it is.
    let back = UserChange { active: Some(true), ..UserChange::default() };
    let reactivated = store.update_user(&officer(), UserId(1), &back, t0()).await.expect("user 1 changes back");
    assert_eq!(reactivated, Account { active: true, ..changed });

    let lines = new_audit(&store, &before).await;
    let what: Vec<_> =
        lines.iter().map(|l| (l.action.as_str(), l.record_type.as_str(), l.record_id.as_deref())).collect();
    assert_eq!(what, [("user.update", "user", Some("1")); 2]);
    let detail = lines[1].detail.as_deref().unwrap_or_default();
    for field in ["display_name", "role team_manager", "active false", "password"] {
        assert!(detail.contains(field), "the line does not name {field}: {detail}");
    }
    assert_eq!(lines[0].detail.as_deref(), Some("changed active true"));
    assert_not_written(&lines, &[HASH_B, "Pat Example"]);

    let e = store.update_user(&officer(), UserId(9_999), &back, t0()).await;
    assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    assert_eq!(new_audit(&store, &before).await.len(), 2, "no line for a user who is not there");
}

async fn missing_password_hashes_are_set_once(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let own = store
        .create_user(&system(), &new_user(5, "lead@hope.example", Role::Administrator, Some(HASH_A)), t0())
        .await
        .expect("a user with a password of their own");
    let before = all_audit(&store).await;
    let hash_of = |id: UserId| {
        let store = Arc::clone(&store);
        async move { store.account(id).await.expect("an account").password_hash }
    };

    let set = store.set_missing_password_hashes(&system(), HASH_B, t0()).await.expect("the missing hashes are set");
    assert_eq!(set, seed.users.len() as u64);
    for u in &seed.users {
        assert_eq!(hash_of(u.id).await.as_deref(), Some(HASH_B), "user {}", u.id);
    }
    assert_eq!(hash_of(own.user.id).await.as_deref(), Some(HASH_A), "a password of one's own is kept");

    assert_eq!(store.set_missing_password_hashes(&system(), HASH_A, t0()).await.expect("again"), 0);
    assert_eq!(hash_of(UserId(1)).await.as_deref(), Some(HASH_B), "a second call changes no one");

    let lines = new_audit(&store, &before).await;
    assert_eq!(lines.len(), 2, "one line a call");
    assert!(lines.iter().all(|l| l.action == "user.password_set" && l.record_type == "user"), "{lines:?}");
    assert_not_written(&lines, &[HASH_A, HASH_B]);
}

// --- Sessions ---

fn new_session(n: u32, user: i64, created: &str, expires: &str) -> NewSession {
    NewSession {
        token_hash: token_hash(n),
        user: UserId(user),
        csrf_token: format!("csrf-token-{n}"),
        created_at: ts(created),
        expires_at: ts(expires),
        ip: Some("198.51.100.7".into()),
        user_agent: Some("Mozilla/5.0 (conformance)".into()),
    }
}

/// Creates `session`, checks what comes back, and returns it.
async fn started(store: &Arc<dyn Store>, session: &NewSession) -> SessionRecord {
    let record = store.create_session(&officer(), session).await.expect("a session starts");
    let expected = SessionRecord {
        id: record.id,
        user: session.user,
        csrf_token: session.csrf_token.clone(),
        created_at: session.created_at,
        expires_at: session.expires_at,
        revoked_at: None,
        ip: session.ip.clone(),
        user_agent: session.user_agent.clone(),
    };
    assert_eq!(record, expected);
    assert_eq!(store.session_by_hash(&session.token_hash).await.expect("by hash").as_ref(), Some(&record));
    record
}

async fn sessions_are_found_by_hash_and_listed_while_live(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    let before = all_audit(&store).await;
    let now = ts("2026-11-25T12:00:00Z");
    // Started out of time order, so that newest first cannot be id order.
    let sessions = [
        new_session(1, 1, "2026-11-25T09:00:00.25Z", "2026-11-25T17:00:00Z"),
        new_session(2, 1, "2026-11-25T09:00:00Z", "2026-11-25T17:00:00Z"),
        new_session(3, 1, "2026-11-25T11:00:00Z", "2026-11-25T12:00:00.5Z"), // live half a second more
        new_session(4, 1, "2026-11-25T04:00:00Z", "2026-11-25T12:00:00Z"),   // ends at `now`: over
        new_session(5, 1, "2026-11-24T09:00:00Z", "2026-11-24T17:00:00Z"),   // ended yesterday
        new_session(6, 2, "2026-11-25T10:00:00Z", "2026-11-25T18:00:00Z"),   // someone else's
    ];
    let mut records = Vec::new();
    for s in &sessions {
        records.push(started(&store, s).await);
    }
    assert_eq!(store.session_by_hash(&token_hash(99)).await.expect("by hash"), None);
    // Over or not, a session is found by its hash: the caller decides.
    assert!(!store.session_by_hash(&token_hash(5)).await.expect("by hash").expect("found").is_live(now));

    let live = store.sessions_of(UserId(1), now).await.expect("live sessions");
    assert_eq!(live, [records[2].clone(), records[0].clone(), records[1].clone()]);
    assert!(live.iter().all(|s| s.is_live(now)));
    assert_eq!(store.sessions_of(UserId(2), now).await.expect("live sessions"), [records[5].clone()]);

    // The same cookie hash twice: refused (and a collision of SHA-256 is not going to happen otherwise).
    let same_hash = new_session(1, 2, "2026-11-25T10:00:00Z", "2026-11-25T18:00:00Z");
    let duplicate = store.create_session(&officer(), &same_hash).await;
    assert!(matches!(duplicate, Err(StoreError::Conflict(_))), "{duplicate:?}");

    let lines = new_audit(&store, &before).await;
    assert_eq!(lines.len(), sessions.len(), "one line a session, none for the refused one");
    for (line, record) in lines.iter().rev().zip(&records) {
        assert_eq!((line.action.as_str(), line.record_type.as_str()), ("session.create", "session"));
        assert_eq!(line.record_id, Some(record.id.to_string()));
    }
    let secrets: Vec<String> = sessions.iter().flat_map(|s| [s.token_hash.clone(), s.csrf_token.clone()]).collect();
    assert_not_written(&lines, &secrets.iter().map(String::as_str).collect::<Vec<_>>());
}

/// Live whatever the clock says: the store ends sessions at its own "now".
const FAR_AHEAD: &str = "2099-01-01T00:00:00Z";

async fn a_session_is_revoked_only_by_its_user(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    let now = ts("2026-11-25T12:00:00Z");
    let mine = started(&store, &new_session(1, 1, "2026-11-25T09:00:00Z", FAR_AHEAD)).await;
    let other = started(&store, &new_session(2, 1, "2026-11-25T10:00:00Z", FAR_AHEAD)).await;
    let before = all_audit(&store).await;

    // Another user's session, and one that is not there: not found either way, and nothing changes.
    let manager = actor(2, 2, "manager@solihull.gov.uk");
    for (user, id) in [(UserId(2), mine.id), (UserId(1), 9_999)] {
        let e = store.revoke_session(&manager, user, id, t0()).await;
        assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    }
    assert_eq!(all_audit(&store).await, before, "no line for a session that was not ended");
    assert_eq!(store.session_by_hash(&token_hash(1)).await.expect("by hash"), Some(mine.clone()));

    store.revoke_session(&officer(), UserId(1), mine.id, t0()).await.expect("one's own session ends");
    let ended = store.session_by_hash(&token_hash(1)).await.expect("by hash").expect("still kept");
    assert!(ended.revoked_at.is_some() && !ended.is_live(now), "{ended:?}");
    assert_eq!(ended, SessionRecord { revoked_at: ended.revoked_at, ..mine.clone() });
    assert_eq!(store.sessions_of(UserId(1), now).await.expect("live sessions"), [other]);
    let lines = new_audit(&store, &before).await;
    assert_eq!(lines.len(), 1);
    assert_eq!((lines[0].action.as_str(), lines[0].record_type.as_str()), ("session.revoke", "session"));
    assert_eq!((lines[0].record_id.clone(), lines[0].user), (Some(mine.id.to_string()), Some(UserId(1))));

    // Ending it again keeps the moment it ended and writes nothing.
    store.revoke_session(&officer(), UserId(1), mine.id, t0()).await.expect("already ended");
    assert_eq!(store.session_by_hash(&token_hash(1)).await.expect("by hash"), Some(ended));
    assert_eq!(new_audit(&store, &before).await.len(), 1);
}

async fn revoke_all_sessions_ends_only_that_users_live_ones(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    let now = ts("2026-11-25T12:00:00Z");
    // Live at `now` though over by the wall clock: "live" is the caller's clock's, not the machine's.
    started(&store, &new_session(1, 1, "2026-11-25T09:00:00Z", "2026-11-25T19:00:00Z")).await;
    started(&store, &new_session(2, 1, "2026-11-25T10:00:00Z", FAR_AHEAD)).await;
    let expired = started(&store, &new_session(3, 1, "2020-01-01T09:00:00Z", "2020-01-01T17:00:00Z")).await;
    let revoked = started(&store, &new_session(4, 1, "2026-11-25T08:00:00Z", FAR_AHEAD)).await;
    store.revoke_session(&officer(), UserId(1), revoked.id, t0()).await.expect("ended");
    let revoked = store.session_by_hash(&token_hash(4)).await.expect("by hash").expect("kept");
    let theirs = started(&store, &new_session(5, 2, "2026-11-25T10:00:00Z", FAR_AHEAD)).await;
    let before = all_audit(&store).await;

    assert_eq!(store.revoke_all_sessions(&officer(), UserId(1), now).await.expect("all ended"), 2, "the two live ones");
    assert!(store.sessions_of(UserId(1), now).await.expect("live sessions").is_empty());
    let after = |n: u32| {
        let store = Arc::clone(&store);
        async move { store.session_by_hash(&token_hash(n)).await.expect("by hash").expect("kept") }
    };
    assert_eq!(after(3).await, expired, "a session that was over is left as it ended");
    assert_eq!(after(4).await, revoked, "an ended session keeps the moment it ended");
    assert_eq!(store.sessions_of(UserId(2), now).await.expect("live sessions"), [theirs]);

    let lines = new_audit(&store, &before).await;
    assert_eq!(lines.len(), 1);
    let line = &lines[0];
    assert_eq!((line.action.as_str(), line.record_type.as_str()), ("session.revoke_all", "user"));
    assert_eq!(line.record_id.as_deref(), Some("1"));
    assert!(line.detail.as_deref().is_some_and(|d| d.starts_with("2 ")), "{line:?}");

    let e = store.revoke_all_sessions(&officer(), UserId(9_999), now).await;
    assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    assert_eq!(new_audit(&store, &before).await.len(), 1);
}

// --- API tokens ---

fn new_token(n: u32, organisation: i64, issued_by: i64, created: &str, scopes: &[Capability]) -> NewApiToken {
    NewApiToken {
        token_hash: token_hash(n),
        organisation: OrganisationId(organisation),
        issued_by: UserId(issued_by),
        name: format!("Integration {n}"),
        scopes: scopes.to_vec(),
        created_at: ts(created),
        expires_at: None,
    }
}

async fn api_tokens_round_trip_and_are_revoked_by_their_organisation(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    let before = all_audit(&store).await;
    let tokens = [
        // Every capability, so that a scope code the schema cannot keep fails here.
        NewApiToken {
            expires_at: Some(ts("2027-11-25T00:00:00Z")),
            ..new_token(1, 4, 3, "2026-11-25T09:00:00.5Z", Capability::ALL)
        },
        new_token(2, 4, 3, "2026-11-25T09:00:00Z", &[]),
        new_token(3, 4, 3, "2026-11-25T10:00:00Z", &[Capability::RespondToReferrals, Capability::ViewSentReferrals]),
        new_token(4, 1, 1, "2026-11-25T11:00:00Z", &[Capability::ViewReferrals]),
    ];
    let mut records = Vec::new();
    for t in &tokens {
        let issuer = actor(t.issued_by.0, t.organisation.0, "administrator");
        let record = store.create_api_token(&issuer, t).await.expect("a token");
        let expected = ApiTokenRecord {
            id: record.id,
            organisation: t.organisation,
            issued_by: t.issued_by,
            name: t.name.clone(),
            scopes: t.scopes.clone(),
            created_at: t.created_at,
            expires_at: t.expires_at,
            revoked_at: None,
        };
        assert_eq!(record, expected);
        assert_eq!(store.api_token_by_hash(&t.token_hash).await.expect("by hash").as_ref(), Some(&record));
        records.push(record);
    }
    assert_eq!(store.api_token_by_hash(&token_hash(99)).await.expect("by hash"), None);
    let of = |organisation: i64| {
        let store = Arc::clone(&store);
        async move { store.api_tokens_of(OrganisationId(organisation)).await.expect("tokens") }
    };
    assert_eq!(of(4).await, [records[2].clone(), records[0].clone(), records[1].clone()], "newest first");
    assert_eq!(of(1).await, [records[3].clone()]);

    // Another organisation's token, and one that is not there: not found, and nothing changes.
    let created = all_audit(&store).await;
    for (organisation, id) in [(1, records[0].id), (4, 9_999)] {
        let e = store.revoke_api_token(&officer(), OrganisationId(organisation), id, t0()).await;
        assert!(matches!(e, Err(StoreError::NotFound { .. })), "{e:?}");
    }
    assert_eq!(all_audit(&store).await, created);
    assert_eq!(store.api_token_by_hash(&token_hash(1)).await.expect("by hash").as_ref(), Some(&records[0]));

    let manager = actor(3, 4, "staff@midlandscare.example");
    store.revoke_api_token(&manager, OrganisationId(4), records[0].id, t0()).await.expect("revoked");
    let revoked = store.api_token_by_hash(&token_hash(1)).await.expect("by hash").expect("kept");
    assert_eq!(revoked, ApiTokenRecord { revoked_at: revoked.revoked_at, ..records[0].clone() });
    assert!(revoked.revoked_at.is_some() && !revoked.is_live(ts("2026-11-26T00:00:00Z")));
    assert_eq!(of(4).await, [records[2].clone(), revoked.clone(), records[1].clone()], "revoked ones are listed");
    store.revoke_api_token(&manager, OrganisationId(4), records[0].id, t0()).await.expect("already revoked");
    assert_eq!(store.api_token_by_hash(&token_hash(1)).await.expect("by hash"), Some(revoked));

    let lines = new_audit(&store, &before).await;
    let what: Vec<_> = lines.iter().rev().map(|l| (l.action.as_str(), l.record_id.clone())).collect();
    let expected: Vec<_> = records
        .iter()
        .map(|r| ("token.create", Some(r.id.to_string())))
        .chain([("token.revoke", Some(records[0].id.to_string()))])
        .collect();
    assert_eq!(what, expected);
    let every: Vec<&str> = Capability::ALL.iter().map(|c| c.code()).collect();
    assert_eq!(lines[4].detail, Some(format!("scopes {}", every.join(" "))), "the line names the scopes");
    assert_eq!(lines[3].detail.as_deref(), Some("no scopes"));
    let hashes: Vec<String> = tokens.iter().map(|t| t.token_hash.clone()).collect();
    assert_not_written(&lines, &hashes.iter().map(String::as_str).collect::<Vec<_>>());
}

// --- Sign-in attempts ---

async fn failed_sign_ins_are_counted_by_account_and_address(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    let before = all_audit(&store).await;
    let (known, unknown) = ("officer@coventry.gov.uk", "nobody@example.org");
    let (here, there) = ("203.0.113.5", "203.0.113.99");
    for (email, ip, at, succeeded) in [
        (known, here, "2026-11-25T09:59:59.999Z", false), // before the window
        (known, here, "2026-11-25T10:00:00Z", false),     // at its start: counted
        (known, here, "2026-11-25T10:00:00.5Z", false),
        (known, here, "2026-11-25T10:01:00Z", true), // a success is never counted
        (known, there, "2026-11-25T10:02:00Z", false),
        (unknown, here, "2026-11-25T10:03:00Z", false),
    ] {
        let attempt = SignInAttempt { email: email.into(), ip: ip.into(), at: ts(at), succeeded };
        let anonymous = Actor { user: None, organisation: None, label: "sign-in".into(), from: Some(ip.into()) };
        store.record_sign_in(&anonymous, &attempt).await.expect("an attempt is recorded");
    }
    let failures = |email: &'static str, ip: &'static str, since: &'static str| {
        let store = Arc::clone(&store);
        async move { store.failed_sign_ins_since(email, ip, ts(since)).await.expect("failures counted") }
    };
    let counts = |by_account, by_address| (by_account, by_address);
    let failures = |email: &'static str, ip: &'static str, since: &'static str| {
        let failures = failures(email, ip, since);
        async move {
            let f: FailureCounts = failures.await;
            (f.by_account, f.by_address)
        }
    };
    // By the pair too, with the moments a throttle says when it lifts.
    let pair = store.failed_sign_ins_since(known, here, ts("2026-11-25T10:00:00Z")).await.expect("failures counted");
    assert_eq!(pair.by_pair, 2);
    assert_eq!(pair.pair_oldest, Some(ts("2026-11-25T10:00:00Z")));
    assert_eq!(pair.pair_latest, Some(ts("2026-11-25T10:00:00.5Z")));
    assert_eq!(pair.address_oldest, Some(ts("2026-11-25T10:00:00Z")));
    let none = store.failed_sign_ins_since(known, "192.0.2.1", ts("2026-11-25T10:00:00Z")).await.expect("counted");
    assert_eq!((none.by_pair, none.pair_oldest, none.address_oldest), (0, None, None));
    assert_eq!(failures(known, here, "2026-11-25T10:00:00Z").await, counts(3, 3));
    assert_eq!(failures(known, there, "2026-11-25T10:00:00Z").await, counts(3, 1));
    // The same account, typed in another case: an attacker cannot dodge the count that way.
    assert_eq!(failures("Officer@Coventry.gov.uk", there, "2026-11-25T10:00:00Z").await, counts(3, 1));
    assert_eq!(failures(known, here, "2026-11-25T10:00:00.6Z").await, counts(1, 1));
    assert_eq!(failures(unknown, there, "2026-11-25T00:00:00Z").await, counts(1, 1));
    assert_eq!(failures("someone@else.example", "192.0.2.1", "2026-11-25T00:00:00Z").await, counts(0, 0));

    let lines = new_audit(&store, &before).await;
    assert_eq!(lines.len(), 5, "one line a failure, none for the success");
    assert!(lines.iter().all(|l| l.action == "session.sign_in_failed" && l.record_type == "user"), "{lines:?}");
    // Newest first: the unknown e-mail's failure names no user; the others name user 1.
    let named: Vec<_> = lines.iter().map(|l| l.record_id.as_deref()).collect();
    assert_eq!(named, [None, Some("1"), Some("1"), Some("1"), Some("1")]);
    assert_not_written(&lines, &[known, unknown]);
}

// --- Upgrading ---

async fn migration_0002_sends_an_existing_regions_referrals(store: Arc<dyn Store>, ctx: &Ctx) {
    let mut raw = ctx.raw().await;
    raw.migrate_to(1).await.expect("the first migration alone");
    // A region as a Hearth before accounts kept it: a referral one provider offered on (twice) and one declined.
    raw.execute(
        "INSERT INTO organisations (id, kind, name, la_code) VALUES (1, 'council', 'Coventry City Council', 331), \
             (4, 'provider', 'Midlands Care Ltd', NULL), (5, 'provider', 'Hope Homes Trust', NULL), \
             (6, 'provider', 'Not Asked Ltd', NULL); \
         INSERT INTO users (id, organisation_id, email, display_name, role) \
             VALUES (1, 1, 'officer@coventry.gov.uk', 'Placement Officer', 'placement_officer'); \
         INSERT INTO homes (id, provider_id, kind, name, registration, risk, utla, district, easting, northing, \
             places, age_min, age_max, sex, other_children, pets, weekly_price, active) VALUES (11, 4, \
             'childrens_home', 'Oak House', 'registered', 'low', 'E08000029', 'B90', 415000, 277000, 4, 11, 17, \
             'any', 0, false, 5200, true); \
         INSERT INTO referrals (id, la_code, siblings_together, urgency, needed_from, status, created_at) \
             VALUES (200, 331, false, 'planned', '2026-12-01', 'offers', '2026-11-20T09:00:00Z'); \
         INSERT INTO offers (id, referral_id, provider_id, home_id, weekly_price, start_date, status, made_at) \
             VALUES (300, 200, 4, 11, 5200, '2026-12-01', 'withdrawn', '2026-11-21T09:00:00Z'), \
             (301, 200, 4, 11, 5100, '2026-12-01', 'accepted', '2026-11-21T10:00:00Z'); \
         INSERT INTO declines (referral_id, provider_id, reason, declined_at) \
             VALUES (200, 5, 'no_vacancy', '2026-11-21T11:00:00Z');",
    )
    .await
    .expect("a region in the first schema");

    assert!(store.migrate().await.expect("the later migrations apply") >= 1);
    let sent = |referral: i64, provider: i64, offer_accepted: bool| Recipient {
        referral: ReferralId(referral),
        provider: OrganisationId(provider),
        sent_at: ts("2026-11-20T09:00:00Z"),
        offer_accepted,
    };
    let recipient = |provider: i64| {
        let store = Arc::clone(&store);
        async move { store.recipient(ReferralId(200), OrganisationId(provider)).await.expect("a recipient") }
    };
    assert_eq!(recipient(4).await, Some(sent(200, 4, true)));
    assert_eq!(recipient(5).await, Some(sent(200, 5, false)));
    assert_eq!(recipient(6).await, None);
    let to_four = store.referrals_sent_to(OrganisationId(4), 0).await.expect("sent to provider 4");
    assert_eq!(referral_ids(&to_four), [200]);

    let account = store.account(UserId(1)).await.expect("a user from before");
    assert!(account.active && account.password_hash.is_none(), "{account:?}");
}

fn new_referral() -> ParsedReferral {
    let input = ReferralInput {
        children: vec![100, 101],
        siblings_together: true,
        urgency: "planned".into(),
        needed_from: "2026-12-14".into(),
        needs: vec!["self_harm".into(), "missing".into()],
        preferred_district: Some("CV2".into()),
        details: DetailsInput {
            strengths: "Loves drawing; settles with routine.".into(),
            pets: Some("can".into()),
            extra_risks: vec!["fire_setting".into()],
            max_weekly_price: Some(2_400),
            ..DetailsInput::default()
        },
    };
    input.parse(jiff::civil::date(2026, 11, 25)).expect("a valid referral")
}

async fn a_created_referral_reads_back_with_its_details_and_history(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    let before = all_audit(&store).await;
    let parsed = new_referral();
    let at = ts("2026-11-25T10:00:00Z");
    let created = store.create_referral(&officer(), 331, &parsed, at).await.expect("created");
    assert_eq!(created.status, ReferralStatus::Draft);
    assert_eq!((created.la_code, created.created_by, created.created_at), (331, Some(UserId(1)), at));
    assert_eq!(ParsedReferral::of(&created, parsed.details.clone()), parsed);
    assert_eq!(store.referral_unaudited(created.id).await.expect("reads"), created);
    assert_eq!(store.referral_details(created.id).await.expect("details"), parsed.details);
    assert_eq!(
        store.referral_details(ReferralId(201)).await.expect("a loaded referral's details"),
        ReferralDetails::default(),
        "a referral without stored details has the defaults"
    );

    let lines = new_audit(&store, &before).await;
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (lines[0].action.as_str(), lines[0].record_id.clone()),
        ("referral.create", Some(created.id.to_string()))
    );
    // The children's references and dates of birth, and the form's words, are never in the audit log.
    assert_not_written(&lines, &["C0001", "C0002", "2012-05-01", "Loves drawing"]);

    let events = store.referral_events(created.id).await.expect("events");
    assert_eq!(events.len(), 1);
    assert_eq!((events[0].from, events[0].to, events[0].user), (None, Some(ReferralStatus::Draft), Some(UserId(1))));

    let unknown = ParsedReferral { children: vec![ChildId(9_999)], ..parsed };
    let e = store.create_referral(&officer(), 331, &unknown, at).await;
    assert!(matches!(e, Err(StoreError::Invalid(_))), "{e:?}");
    assert_eq!(new_audit(&store, &before).await.len(), 1, "a refused referral writes nothing");
}

async fn referral_edits_and_moves_are_checked_and_audited(store: Arc<dyn Store>, _ctx: &Ctx) {
    use ReferralStatus as S;
    loaded(&store).await;
    let parsed = new_referral();
    let id = store.create_referral(&officer(), 331, &parsed, ts("2026-11-25T10:00:00Z")).await.expect("created").id;

    let mut changed = parsed.clone();
    changed.children = vec![ChildId(101)];
    changed.needs = vec![Need::Aggression];
    changed.preferred_district = None;
    changed.details.strengths = "Doing well at school.".into();
    let updated = store.update_referral(&officer(), id, &changed, ts("2026-11-25T11:00:00Z")).await.expect("updated");
    assert_eq!(ParsedReferral::of(&updated, changed.details.clone()), changed);
    assert_eq!(store.referral_details(id).await.expect("details"), changed.details);

    let opened = store.transition_referral(&officer(), id, S::Draft, S::Open, ts("2026-11-25T12:00:00Z")).await;
    assert_eq!(opened.expect("opened").status, S::Open);

    let before = all_audit(&store).await;
    let stale = store.transition_referral(&officer(), id, S::Draft, S::Open, ts("2026-11-25T12:01:00Z")).await;
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    let missing =
        store.transition_referral(&officer(), ReferralId(9_999), S::Draft, S::Open, ts("2026-11-25T12:01:00Z")).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
    let forbidden = store.transition_referral(&officer(), id, S::Open, S::Placed, ts("2026-11-25T12:01:00Z")).await;
    assert!(matches!(forbidden, Err(StoreError::Invalid(_))), "{forbidden:?}");
    assert!(new_audit(&store, &before).await.is_empty(), "refused moves write no audit line");

    let withdrawn = store
        .transition_referral(&officer(), id, S::Open, S::Withdrawn, ts("2026-11-25T13:00:00Z"))
        .await
        .expect("withdrawn");
    assert_eq!((withdrawn.status, withdrawn.closed_at), (S::Withdrawn, Some(ts("2026-11-25T13:00:00Z"))));
    let late = store.update_referral(&officer(), id, &parsed, ts("2026-11-25T14:00:00Z")).await;
    assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");
    assert_eq!(store.referral_details(id).await.expect("details"), changed.details, "a refused edit changes nothing");

    let moves: Vec<(Option<S>, Option<S>)> =
        store.referral_events(id).await.expect("events").iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(
        moves,
        [
            (None, Some(S::Draft)),
            (Some(S::Draft), None),
            (Some(S::Draft), Some(S::Open)),
            (Some(S::Open), Some(S::Withdrawn))
        ]
    );
    let actions: Vec<String> = all_audit(&store)
        .await
        .into_iter()
        .filter(|l| l.record_id.as_deref() == Some(&id.to_string()))
        .map(|l| format!("{} {}", l.action, l.detail.unwrap_or_default()))
        .collect();
    assert_eq!(
        actions,
        [
            "referral.status open -> withdrawn",
            "referral.status draft -> open",
            "referral.update 1 children, 1 needs",
            "referral.create council 331, 2 children, urgency planned"
        ]
    );
}

async fn council_weights_are_kept_replaced_and_audited(store: Arc<dyn Store>, _ctx: &Ctx) {
    store.migrate().await.expect("migrate");
    assert_eq!(store.council_weights(331).await.expect("read"), None, "no row: the defaults apply");
    store.set_council_weights(&system(), 331, r#"{"distance":30}"#, t0()).await.expect("set");
    store.set_council_weights(&system(), 331, r#"{"distance":40}"#, t0()).await.expect("replace");
    assert_eq!(store.council_weights(331).await.expect("read").as_deref(), Some(r#"{"distance":40}"#));
    assert_eq!(store.council_weights(330).await.expect("read"), None, "another council is untouched");
    let lines: Vec<_> = all_audit(&store).await.into_iter().filter(|l| l.action == "weights.update").collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].record_id.as_deref(), Some("331"));
    let before = all_audit(&store).await;
    let refused = store.set_council_weights(&system(), 42, "{}", t0()).await;
    assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
    assert_eq!(all_audit(&store).await, before, "a refused write leaves no audit line");
}

async fn vacancies_are_created_and_changed_with_an_audit_line_each(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded_with_room(&store).await;
    let mut v = seed.vacancies[0].clone();
    v.id = VacancyId(0);
    v.places = 1;
    let created = store.create_vacancy(&system(), &v, t0()).await.expect("create");
    assert_ne!(created.id, VacancyId(0), "the store gives the id");
    assert_eq!(store.vacancy(created.id).await.expect("read"), created);
    let mut changed = created.clone();
    changed.places = 2;
    changed.available_from = changed.available_from.tomorrow().expect("date");
    assert_eq!(store.update_vacancy(&system(), &changed, t0()).await.expect("update"), changed);
    let lines: Vec<_> = all_audit(&store).await.into_iter().filter(|l| l.action.starts_with("vacancy.")).collect();
    assert_eq!(lines.len(), 2);
    let before = all_audit(&store).await;
    let mut missing = changed.clone();
    missing.id = VacancyId(999_999);
    assert!(matches!(store.update_vacancy(&system(), &missing, t0()).await, Err(StoreError::NotFound { .. })));
    let mut orphan = v.clone();
    orphan.home = HomeId(999_999);
    assert!(matches!(store.create_vacancy(&system(), &orphan, t0()).await, Err(StoreError::NotFound { .. })));
    assert_eq!(all_audit(&store).await, before, "refused writes leave no audit line");
}

fn application_form(email: &str) -> hearth_domain::onboarding::ParsedApplication {
    hearth_domain::onboarding::ApplicationForm {
        organisation_name: "Juniper Care".into(),
        company_number: "01234567".into(),
        urn: Some("SC123456".into()),
        contact_name: "Jo Juniper".into(),
        contact_email: email.into(),
        councils: vec!["331".into()],
        framework: true,
        ..Default::default()
    }
    .parse()
    .expect("a good application")
}

fn approval(application: i64, n: u32, to: &str) -> hearth_store::Approval {
    hearth_store::Approval {
        application,
        invitation: hearth_store::NewInvitation {
            token_hash: token_hash(n),
            created_at: t0(),
            expires_at: t0().checked_add(jiff::SignedDuration::from_hours(168)).expect("time"),
        },
        email: hearth_store::NewEmail { to: to.into(), subject: "You are invited".into(), body: "a link".into() },
        at: t0(),
    }
}

/// Provider onboarding (migration 0018): two administrators approving one application at the same moment
/// make one organisation, one manager and one invitation; the other is told it was decided.
async fn an_application_is_approved_once_even_at_the_same_moment(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    let orgs_before = store.organisations().await.expect("organisations").len();
    let app = store.create_application(&system(), &application_form("jo@juniper.example"), "10.0.0.1", t0()).await;
    let app = app.expect("stored");
    assert_eq!(app.status, hearth_domain::onboarding::ApplicationStatus::Pending);
    assert_eq!(app.form.councils, vec![331]);
    assert_eq!(store.applications_from("10.0.0.1", 10).await.expect("recent"), vec![t0()]);
    let approvers: Vec<_> = [7001u32, 7002]
        .into_iter()
        .map(|n| {
            let store = Arc::clone(&store);
            let id = app.id;
            tokio::spawn(
                async move { store.approve_application(&officer(), &approval(id, n, "jo@juniper.example")).await },
            )
        })
        .collect();
    let mut results = vec![];
    for a in approvers {
        results.push(a.await.expect("the approver ran"));
    }
    let made: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(made.len(), 1, "{results:?}");
    assert!(
        results.iter().any(|r| matches!(r, Err(StoreError::Conflict(m)) if m.contains("already been decided"))),
        "{results:?}"
    );
    assert_eq!(store.organisations().await.expect("organisations").len(), orgs_before + 1);
    let approved = made[0];
    assert_eq!(store.application_of(approved.organisation).await.expect("read").map(|a| a.id), Some(app.id));
    let manager = store.account(approved.manager).await.expect("manager");
    assert_eq!((manager.user.role, manager.password_hash.clone()), (Role::ProviderManager, None));
    assert_eq!(store.outbox(None).await.expect("outbox").iter().filter(|m| m.to == "jo@juniper.example").count(), 1);
    let missing = store.approve_application(&officer(), &approval(999_999, 7003, "x@y.example")).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
}

async fn an_invitation_is_used_once_and_a_taken_email_makes_nothing(store: Arc<dyn Store>, _ctx: &Ctx) {
    let seed = loaded(&store).await;
    let app = store.create_application(&system(), &application_form("kit@juniper.example"), "", t0()).await;
    let app = app.expect("stored");
    let approved = store.approve_application(&officer(), &approval(app.id, 7101, "kit@juniper.example")).await;
    let approved = approved.expect("approved");
    let invitation = store.invitation_by_hash(&token_hash(7101)).await.expect("read").expect("found");
    assert_eq!((invitation.user, invitation.used_at), (approved.manager, None));
    store.accept_invitation(&system(), invitation.id, approved.manager, "$argon2id$x", t0()).await.expect("used");
    let again = store.accept_invitation(&system(), invitation.id, approved.manager, "$argon2id$y", t0()).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let account = store.account(approved.manager).await.expect("manager");
    assert_eq!(account.password_hash.as_deref(), Some("$argon2id$x"));

    // A contact who already signs in: refused on the field, nothing made, the application still pending.
    let taken = seed.users[0].email.as_str().to_owned();
    let orgs = store.organisations().await.expect("organisations").len();
    let app = store.create_application(&system(), &application_form(&taken), "", t0()).await.expect("stored");
    let refused = store.approve_application(&officer(), &approval(app.id, 7102, &taken)).await;
    assert!(matches!(&refused, Err(StoreError::Refused(e)) if e.field == "contact_email"), "{refused:?}");
    assert_eq!(store.organisations().await.expect("organisations").len(), orgs);
    let still = store.application(app.id).await.expect("read");
    assert_eq!(still.status, hearth_domain::onboarding::ApplicationStatus::Pending);
    assert!(store.invitation_by_hash(&token_hash(7102)).await.expect("read").is_none());
}
