//! The marketplace's stories: sending, answers, acceptance (alone and under a crowd of concurrent
//! callers), agreements, placements' endings, the outbox, notices and idempotency keys. Each is run on
//! both backends like the stories in `stories.rs`, on [`small_region`] (grown where a story needs more
//! homes).

use crate::seeds::{date, officer, small_region, system, ts};
use crate::{Ctx, On, Story};
use hearth_domain::agreement::{Party, Signature, text_hash};
use hearth_domain::audit::{Actor, AuditEntry};
use hearth_domain::contract::ContractTier;
use hearth_domain::dispatch::SendMode;
use hearth_domain::home::{Vacancy, WeeklyPrice};
use hearth_domain::offer::{DeclineReason, Offer, OfferDraft, OfferStatus, OfferTerms};
use hearth_domain::placement::{Ending, Placement};
use hearth_domain::referral::ReferralStatus;
use hearth_domain::referral_form::{DetailsInput, ReferralInput};
use hearth_domain::seed::RegionSeed;
use hearth_domain::{
    ChildId, HomeId, Miles, OfferId, OrganisationId, PlaceProvider, PlacementId, PlacementType, ReasonEpisodeCeased,
    ReasonPlaceChange, ReferralId, UserId, VacancyId,
};
use hearth_store::{
    Acceptance, AuditQuery, IdempotencyStart, Move, NewEmail, NewNotice, NewSending, Notify, OpenSending, Sending,
    Store, StoreError,
};
use jiff::Timestamp;
use std::collections::HashSet;
use std::sync::Arc;

stories! {
    Both a_sending_adds_recipients_once_and_closes_the_one_before,
    Both offers_move_the_referral_to_offers_and_back,
    Both a_second_live_offer_of_one_home_is_a_conflict,
    Both declines_are_recorded_while_the_referral_is_live,
    Both accepting_an_offer_places_the_children,
    Both a_refused_acceptance_writes_nothing,
    Both thirty_two_officers_accepting_at_once_place_the_referral_once,
    Both sixteen_referrals_racing_for_three_places_fill_exactly_three,
    Both a_homes_vacancies_never_offer_more_places_than_it_has_left,
    Both a_home_never_has_more_children_placed_than_places,
    Both many_vacancies_and_accepts_at_once_never_overfill_a_home,
    Both one_standing_decline_per_provider_which_an_offer_supersedes,
    Both agreements_are_versioned_and_signed_once_per_party,
    Both placements_end_and_move_once,
    Both concurrent_outbox_claims_never_share_an_email,
    Both failed_emails_are_retried_or_given_up,
    Both idempotency_keys_start_replay_and_refuse,
    Both open_sendings_count_live_offers_and_unanswered_providers,
    Both unmet_and_overdue_are_told_once,
}

// --- Fixtures ---

/// The officer's "now" at the start of each story.
const T0: &str = "2026-11-25T09:00:00Z";

fn at(minutes: i64) -> Timestamp {
    ts(T0).checked_add(jiff::SignedDuration::from_mins(minutes)).expect("a test moment")
}

async fn loaded(store: &Arc<dyn Store>) -> RegionSeed {
    store.migrate().await.expect("migrations apply");
    let seed = small_region();
    store.load_region(&system(), &seed, at(0)).await.expect("the small region loads");
    seed
}

/// The small region with `extra` more homes of provider 4, each with a vacancy of one place (home and
/// vacancy ids from 5000).
async fn loaded_with_homes(store: &Arc<dyn Store>, extra: i64) -> RegionSeed {
    store.migrate().await.expect("migrations apply");
    let mut seed = small_region();
    let oak = seed.homes.iter().find(|h| h.id == HomeId(11)).expect("Oak House").clone();
    let oak_vacancy = seed.vacancies.iter().find(|v| v.id == VacancyId(21)).expect("Oak's vacancy").clone();
    for i in 0..extra {
        let id = 5_000 + i;
        seed.homes.push(hearth_domain::home::Home {
            id: HomeId(id),
            name: format!("Home {id}"),
            urn: Some(format!("SC{id:06}")),
            ..oak.clone()
        });
        seed.vacancies.push(Vacancy { id: VacancyId(id), home: HomeId(id), places: 1, ..oak_vacancy.clone() });
    }
    store.load_region(&system(), &seed, at(0)).await.expect("the grown region loads");
    seed
}

/// A provider's member of staff (user 3 of Midlands Care, provider 4).
fn provider_staff() -> Actor {
    crate::seeds::actor(3, 4, "staff@midlandscare.example")
}

/// A new open referral of Coventry (331) for `children`.
async fn open_referral(store: &Arc<dyn Store>, children: &[i64]) -> ReferralId {
    let input = ReferralInput {
        children: children.to_vec(),
        siblings_together: children.len() > 1,
        urgency: "planned".into(),
        needed_from: "2026-12-14".into(),
        needs: vec!["self_harm".into()],
        preferred_district: Some("CV2".into()),
        details: DetailsInput::default(),
    };
    let parsed = input.parse(jiff::civil::date(2026, 11, 25)).expect("a valid referral");
    let id = store.create_referral(&officer(), 331, &parsed, at(-60)).await.expect("created").id;
    store
        .transition_referral(&officer(), id, ReferralStatus::Draft, ReferralStatus::Open, at(-30))
        .await
        .expect("open");
    id
}

/// What a change tells: one e-mail to each address and a notice to `organisation`.
fn news(what: &str, to: &[&str], organisation: i64) -> Notify {
    Notify {
        emails: to
            .iter()
            .map(|t| NewEmail { to: (*t).to_owned(), subject: what.to_owned(), body: format!("{what}.\n") })
            .collect(),
        notices: vec![NewNotice { organisation: OrganisationId(organisation), user: None, text: what.to_owned() }],
    }
}

fn chosen(providers: &[i64], opened: Timestamp) -> NewSending {
    NewSending {
        mode: SendMode::Chosen,
        step: None,
        opened_at: opened,
        due_at: opened.checked_add(jiff::SignedDuration::from_hours(24)).expect("a deadline"),
        providers: providers.iter().copied().map(OrganisationId).collect(),
    }
}

async fn send(store: &Arc<dyn Store>, referral: ReferralId, providers: &[i64], opened: Timestamp) -> Sending {
    let notify = news("New referral", &["staff@midlandscare.example"], 4);
    store.open_sending(&officer(), referral, &chosen(providers, opened), &notify).await.expect("sent")
}

fn draft(home: i64, vacancy: Option<i64>) -> OfferDraft {
    OfferDraft {
        home: HomeId(home),
        weekly_price: WeeklyPrice::new(5_100).expect("a price"),
        start: date("2026-12-01"),
        terms: OfferTerms {
            vacancy: vacancy.map(VacancyId),
            includes: "Education on site".into(),
            notes: "Can visit on Friday".into(),
        },
    }
}

async fn offer(store: &Arc<dyn Store>, referral: ReferralId, provider: i64, home: i64, vacancy: Option<i64>) -> Offer {
    let notify = news("New offer", &["officer@coventry.gov.uk"], 1);
    store
        .make_offer(&provider_staff(), referral, OrganisationId(provider), &draft(home, vacancy), at(10), &notify)
        .await
        .expect("offered")
}

/// A placement of `child` in `home` from 1 December 2026 (ids ignored by the store).
fn placement(child: i64, home: i64, referral: ReferralId, previous: Option<i64>) -> Placement {
    Placement {
        id: PlacementId(0),
        child: ChildId(child),
        la_code: 331,
        home: Some(HomeId(home)),
        referral: Some(referral),
        placement_type: PlacementType::K2,
        provider: PlaceProvider::Pr4,
        tier: Some(ContractTier::Spot),
        start: date("2026-12-01"),
        end: None,
        reason_ceased: None,
        reason_change: None,
        planned_ending: None,
        previous: previous.map(PlacementId),
        step_down: false,
        postcode: None,
        pl_utla: Some("E08000029".into()),
        distance: Miles(4.5),
        weekly_cost: Some(WeeklyPrice::new(5_100).expect("a price")),
    }
}

fn acceptance(offer: OfferId, placements: Vec<Placement>, minutes: i64) -> Acceptance {
    Acceptance {
        offer,
        at: at(minutes),
        places: u16::try_from(placements.len()).expect("a few children"),
        placements,
        move_reason: ReasonPlaceChange::Carpl,
        move_planned: true,
        agreement: None,
    }
}

fn accepted_news() -> Notify {
    news("Offer accepted", &["staff@midlandscare.example", "manager@midlandscare.example"], 4)
}

/// The officer accepts `offer`, `minutes` into the story, placing the children as `placements` says.
async fn accept(
    store: &Arc<dyn Store>,
    offer: OfferId,
    placements: Vec<Placement>,
    minutes: i64,
) -> Result<Vec<Placement>, StoreError> {
    store.accept_offer(&officer(), &acceptance(offer, placements, minutes), &accepted_news()).await
}

/// Rows that a write adds to, counted past the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Counts {
    placements: i64,
    audit: i64,
    outbox: i64,
    notices: i64,
    events: i64,
    offers: i64,
}

async fn counts(ctx: &Ctx) -> Counts {
    let mut raw = ctx.raw().await;
    let mut n = [0; 6];
    for (i, table) in ["placements", "audit_log", "outbox", "notices", "referral_events", "offers"].iter().enumerate() {
        n[i] = raw.i64(&format!("SELECT COUNT(*) FROM {table}")).await.expect("a count");
    }
    let [placements, audit, outbox, notices, events, offers] = n;
    Counts { placements, audit, outbox, notices, events, offers }
}

async fn audit_of(store: &Arc<dyn Store>, prefix: &str) -> Vec<AuditEntry> {
    store
        .audit(&AuditQuery { action_prefix: Some(prefix.into()), ..AuditQuery::default() })
        .await
        .expect("the audit log reads")
}

async fn status_of(store: &Arc<dyn Store>, referral: ReferralId) -> ReferralStatus {
    store.referral_unaudited(referral).await.expect("the referral").status
}

async fn places_of(store: &Arc<dyn Store>, vacancy: i64) -> u16 {
    store.vacancy(VacancyId(vacancy)).await.expect("the vacancy").places
}

fn conflict(result: Result<impl std::fmt::Debug, StoreError>, says: &str) -> String {
    match result {
        Err(StoreError::Conflict(sentence)) => {
            assert!(sentence.contains(says), "the conflict should say {says:?}: {sentence}");
            sentence
        }
        other => panic!("expected a conflict saying {says:?}, got {other:?}"),
    }
}

// --- Sending ---

async fn a_sending_adds_recipients_once_and_closes_the_one_before(store: Arc<dyn Store>, ctx: &Ctx) {
    loaded(&store).await;
    let r = open_referral(&store, &[100]).await;
    let before = counts(ctx).await;

    let first = send(&store, r, &[4, 5], at(0)).await;
    assert_eq!((first.referral, first.mode, first.step), (r, SendMode::Chosen, None));
    assert_eq!((first.sent_by, first.overdue_told, first.closed_at), (Some(UserId(1)), false, None));
    assert_eq!(first.opened_at, at(0));

    let cascade = NewSending {
        mode: SendMode::Cascade,
        step: Some(ContractTier::Spot),
        opened_at: at(60),
        due_at: at(120),
        providers: vec![OrganisationId(5), OrganisationId(3)],
    };
    let notify = news("New referral", &["a@hope.example", "b@coventry-fostering.example"], 3);
    let second = store.open_sending(&system(), r, &cascade, &notify).await.expect("the cascade's step");
    assert_eq!((second.step, second.sent_by), (Some(ContractTier::Spot), None), "the job sent it");

    let sendings = store.sendings_of(r).await.expect("sendings");
    assert_eq!(sendings.iter().map(|s| s.id).collect::<Vec<_>>(), [first.id, second.id]);
    assert_eq!(sendings[0].closed_at, Some(at(60)), "the first sending closed when the second opened");
    assert_eq!(store.open_sending_of(r).await.expect("open sending"), Some(second.clone()));

    // Provider 5 was sent it first by the first sending and keeps that; provider 3 is new.
    let recipients: Vec<(i64, Timestamp)> =
        store.recipients_of(r).await.expect("recipients").iter().map(|x| (x.provider.0, x.sent_at)).collect();
    assert_eq!(recipients, [(4, at(0)), (5, at(0)), (3, at(60))]);

    let after = counts(ctx).await;
    assert_eq!(after.audit - before.audit, 2);
    assert_eq!(after.outbox - before.outbox, 3, "one outbox row per e-mail");
    assert_eq!(after.notices - before.notices, 2);
    let lines = audit_of(&store, "referral.send").await;
    assert_eq!(lines.len(), 2);
    assert_eq!((lines[0].record_type.as_str(), lines[0].record_id.clone()), ("referral", Some(r.to_string())));
    let detail = lines[0].detail.clone().unwrap_or_default();
    assert!(detail.contains("cascade") && detail.contains("spot") && detail.contains("5, 3"), "{detail}");
    for line in &lines {
        assert!(!format!("{line:?}").contains("C0001"), "no child's reference in the audit: {line:?}");
    }

    let mail = store.outbox(Some(r)).await.expect("outbox");
    assert_eq!(mail.len(), 3);
    assert!(mail.iter().all(|m| m.referral == Some(r) && m.attempts == 0 && m.sent_at.is_none()));
    assert_eq!(mail[0].created_at, at(0));
    assert_eq!(mail[2].to, "b@coventry-fostering.example");
    let notices = store.notices_for(OrganisationId(3), UserId(99), 10).await.expect("notices");
    assert_eq!(notices.len(), 1);
    assert_eq!((notices[0].referral, notices[0].created_at), (Some(r), at(60)));

    // A placed referral is not sent, and nothing is written.
    let before = counts(ctx).await;
    conflict(store.open_sending(&officer(), ReferralId(200), &chosen(&[4], at(90)), &notify).await, "placed");
    let missing = store.open_sending(&officer(), ReferralId(9_999), &chosen(&[4], at(90)), &notify).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
    assert_eq!(counts(ctx).await, before);
}

// --- Answers ---

async fn offers_move_the_referral_to_offers_and_back(store: Arc<dyn Store>, _ctx: &Ctx) {
    use ReferralStatus as S;
    loaded(&store).await;
    let r = open_referral(&store, &[100]).await;
    send(&store, r, &[4, 5], at(0)).await;

    let first = offer(&store, r, 4, 11, Some(21)).await;
    assert_eq!(
        (first.referral, first.provider, first.home, first.status),
        (r, OrganisationId(4), HomeId(11), OfferStatus::Made)
    );
    assert_eq!(first.terms, draft(11, Some(21)).terms);
    assert_eq!(store.offer(first.id).await.expect("the offer"), first);
    assert_eq!(status_of(&store, r).await, S::Offers);
    let second = offer(&store, r, 5, 12, None).await;
    assert_eq!(status_of(&store, r).await, S::Offers);

    let notify = news("Offer withdrawn", &["officer@coventry.gov.uk"], 1);
    let theirs = store.withdraw_offer(&provider_staff(), first.id, OrganisationId(5), at(20), &notify).await;
    assert!(matches!(theirs, Err(StoreError::NotFound { .. })), "another provider's offer: {theirs:?}");
    let withdrawn =
        store.withdraw_offer(&provider_staff(), first.id, OrganisationId(4), at(20), &notify).await.expect("withdrawn");
    assert_eq!(withdrawn.status, OfferStatus::Withdrawn);
    assert_eq!(status_of(&store, r).await, S::Offers, "another offer is still live");
    conflict(store.withdraw_offer(&provider_staff(), first.id, OrganisationId(4), at(21), &notify).await, "withdrawn");

    // The home may be offered again once its offer is withdrawn.
    let again = offer(&store, r, 4, 11, Some(21)).await;
    for o in [again.id, second.id] {
        let provider = if o == again.id { 4 } else { 5 };
        store.withdraw_offer(&provider_staff(), o, OrganisationId(provider), at(30), &notify).await.expect("withdrawn");
    }
    assert_eq!(status_of(&store, r).await, S::Open, "no live offer is left");

    let statuses: Vec<OfferStatus> = store.offers_of(r).await.expect("offers").iter().map(|o| o.status).collect();
    assert_eq!(statuses, [OfferStatus::Withdrawn; 3]);
    let moves: Vec<(Option<S>, Option<S>)> =
        store.referral_events(r).await.expect("events").iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(&moves[2..], [(Some(S::Open), Some(S::Offers)), (Some(S::Offers), Some(S::Open))]);
    assert_eq!(audit_of(&store, "offer.create").await.len(), 3);
    assert_eq!(audit_of(&store, "offer.withdraw").await.len(), 3);

    // Only a live referral takes offers, and only from a provider it was sent to.
    conflict(
        store
            .make_offer(&provider_staff(), ReferralId(200), OrganisationId(3), &draft(10, None), at(40), &notify)
            .await,
        "placed",
    );
    conflict(
        store.make_offer(&provider_staff(), r, OrganisationId(3), &draft(10, None), at(40), &notify).await,
        "not sent",
    );
}

async fn a_second_live_offer_of_one_home_is_a_conflict(store: Arc<dyn Store>, ctx: &Ctx) {
    loaded(&store).await;
    let r = open_referral(&store, &[100]).await;
    send(&store, r, &[4], at(0)).await;
    offer(&store, r, 4, 11, Some(21)).await;
    let before = counts(ctx).await;
    let notify = news("New offer", &["officer@coventry.gov.uk"], 1);
    let twice = store.make_offer(&provider_staff(), r, OrganisationId(4), &draft(11, Some(23)), at(11), &notify).await;
    conflict(twice, "home 11 already has a live offer");
    assert_eq!(counts(ctx).await, before, "nothing is written");
    // Another home of the same provider is another offer.
    offer(&store, r, 4, 13, None).await;
}

async fn declines_are_recorded_while_the_referral_is_live(store: Arc<dyn Store>, ctx: &Ctx) {
    loaded(&store).await;
    let r = open_referral(&store, &[100]).await;
    send(&store, r, &[4, 5], at(0)).await;
    let notify = news("Declined", &["officer@coventry.gov.uk"], 1);
    let note = "A second girl of her age arrives next week";
    let declined = store
        .decline(&provider_staff(), r, OrganisationId(5), DeclineReason::Other, note, at(5), &notify)
        .await
        .expect("declined");
    assert_eq!((declined.referral, declined.provider, declined.reason), (r, OrganisationId(5), DeclineReason::Other));
    assert_eq!((declined.declined_at, declined.note.as_str()), (at(5), note));
    assert_eq!(store.declines_of(r).await.expect("declines"), [declined]);
    assert_eq!(status_of(&store, r).await, ReferralStatus::Open, "a decline does not move the referral");

    let line = &audit_of(&store, "referral.decline").await[0];
    assert_eq!(line.record_id, Some(r.to_string()));
    assert!(!format!("{line:?}").contains("second girl"), "the note is not in the audit: {line:?}");
    assert_eq!(store.outbox(Some(r)).await.expect("outbox").len(), 2, "the sending's and the decline's");

    let before = counts(ctx).await;
    let staff = provider_staff();
    let late = store.decline(&staff, ReferralId(202), OrganisationId(4), DeclineReason::Price, "", at(6), &notify);
    conflict(late.await, "unmet");
    assert_eq!(counts(ctx).await, before);
}

// --- Acceptance ---

async fn accepting_an_offer_places_the_children(store: Arc<dyn Store>, ctx: &Ctx) {
    use ReferralStatus as S;
    loaded(&store).await;
    // Child 100 lives in placement 401 (home 10); the new home is Oak House (home 11, vacancy 21: two places).
    let r = open_referral(&store, &[100]).await;
    send(&store, r, &[4, 5], at(0)).await;
    let chosen = offer(&store, r, 4, 11, Some(21)).await;
    let other = offer(&store, r, 5, 12, None).await;
    let before = counts(ctx).await;

    let made = accept(&store, chosen.id, vec![placement(100, 11, r, Some(401))], 60).await.expect("accepted");
    assert_eq!(made.len(), 1);
    let new = &made[0];
    assert_eq!(
        (new.child, new.home, new.referral, new.previous),
        (ChildId(100), Some(HomeId(11)), Some(r), Some(PlacementId(401)))
    );
    assert_eq!(new, &store.placement(new.id).await.expect("the new placement"));
    assert!(new.id.0 > 404, "a new id, not the one passed");

    let old = store.placement(PlacementId(401)).await.expect("the old placement");
    assert_eq!(old.end, Some(date("2026-12-01")), "ends on the new one's start day");
    assert_eq!(old.reason_ceased, Some(ReasonEpisodeCeased::X1));
    assert_eq!((old.reason_change, old.planned_ending), (Some(ReasonPlaceChange::Carpl), Some(true)));

    assert_eq!(places_of(&store, 21).await, 1, "one place taken");
    assert_eq!(store.offer(chosen.id).await.expect("chosen").status, OfferStatus::Accepted);
    assert_eq!(store.offer(other.id).await.expect("other").status, OfferStatus::NotChosen);
    let referral = store.referral_unaudited(r).await.expect("the referral");
    assert_eq!((referral.status, referral.closed_at), (S::Placed, Some(at(60))));
    let last = store.referral_events(r).await.expect("events").pop().expect("an event");
    assert_eq!((last.from, last.to, last.at, last.user), (Some(S::Offers), Some(S::Placed), at(60), Some(UserId(1))));

    let after = counts(ctx).await;
    assert_eq!(after.placements - before.placements, 1);
    assert_eq!(after.audit - before.audit, 1);
    assert_eq!(after.outbox - before.outbox, 2);
    assert_eq!(after.notices - before.notices, 1);
    assert_eq!(after.events - before.events, 1);
    let line = &audit_of(&store, "offer.accept").await[0];
    assert_eq!((line.record_type.as_str(), line.record_id.clone()), ("offer", Some(chosen.id.to_string())));
    assert!(line.detail.as_deref().unwrap_or_default().contains("1 other offers not chosen"), "{line:?}");

    let accepted_by: Vec<(i64, bool)> =
        store.recipients_of(r).await.expect("recipients").iter().map(|x| (x.provider.0, x.offer_accepted)).collect();
    assert_eq!(accepted_by, [(4, true), (5, false)]);
    let council = store.placements_of_council(331, 1).await.expect("the council's placements");
    assert_eq!(council, std::slice::from_ref(new), "newest first");
    let provider: Vec<PlacementId> = store
        .placements_with(OrganisationId(4), 0)
        .await
        .expect("the provider's placements")
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(provider, [new.id, PlacementId(404)]);
}

async fn a_refused_acceptance_writes_nothing(store: Arc<dyn Store>, ctx: &Ctx) {
    loaded(&store).await;
    let r = open_referral(&store, &[100]).await;
    send(&store, r, &[4, 5], at(0)).await;
    let a = offer(&store, r, 4, 11, Some(23)).await; // vacancy 23: one place
    let b = offer(&store, r, 5, 12, None).await;
    let notify = news("Offer withdrawn", &["officer@coventry.gov.uk"], 1);
    store.withdraw_offer(&provider_staff(), b.id, OrganisationId(5), at(20), &notify).await.expect("withdrawn");

    // A withdrawn offer.
    let before = counts(ctx).await;
    let stale = accept(&store, b.id, vec![placement(100, 12, r, Some(401))], 30).await;
    conflict(stale, "withdrawn by the provider");
    assert_eq!(counts(ctx).await, before);

    // No place left.
    store.set_vacancy_places(&officer(), VacancyId(23), 0, at(0)).await.expect("filled elsewhere");
    let before = counts(ctx).await;
    let full = accept(&store, a.id, vec![placement(100, 11, r, Some(401))], 31).await;
    conflict(full, "no free place left");
    assert_eq!(counts(ctx).await, before);
    assert_eq!(store.offer(a.id).await.expect("a").status, OfferStatus::Made, "the offer's change was undone");
    assert_eq!(status_of(&store, r).await, ReferralStatus::Offers, "the referral's change was undone");
    assert_eq!(store.placement(PlacementId(401)).await.expect("401").end, None);

    // A placement to follow that has already ended: the places taken before it are given back.
    store.set_vacancy_places(&officer(), VacancyId(23), 1, at(0)).await.expect("free again");
    let before = counts(ctx).await;
    let ended = accept(&store, a.id, vec![placement(100, 11, r, Some(400))], 32).await;
    conflict(ended, "placement 400 has already ended");
    assert_eq!(counts(ctx).await, before);
    assert_eq!(places_of(&store, 23).await, 1);

    // A placed referral: a second offer made before the first acceptance cannot be accepted after it.
    let c = offer(&store, r, 5, 12, None).await;
    accept(&store, a.id, vec![placement(100, 11, r, Some(401))], 33).await.expect("accepted");
    let before = counts(ctx).await;
    let late = accept(&store, c.id, vec![placement(100, 12, r, None)], 34).await;
    conflict(late, &format!("referral {r} was placed by another officer a moment ago"));
    assert_eq!(counts(ctx).await, before);
    assert_eq!(places_of(&store, 23).await, 0);

    let missing = accept(&store, OfferId(9_999), Vec::new(), 35).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
}

async fn thirty_two_officers_accepting_at_once_place_the_referral_once(store: Arc<dyn Store>, ctx: &Ctx) {
    const CALLERS: i64 = 32;
    loaded_with_homes(&store, CALLERS).await;
    let r = open_referral(&store, &[101]).await;
    send(&store, r, &[4], at(0)).await;
    let mut offers = Vec::new();
    for home in 5_000..5_000 + CALLERS {
        offers.push(offer(&store, r, 4, home, Some(home)).await.id);
    }
    let before = counts(ctx).await;

    let callers: Vec<_> = offers
        .iter()
        .zip(5_000..)
        .map(|(&o, home)| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                let placements = vec![placement(101, home, r, None)];
                accept(&store, o, placements, 60).await
            })
        })
        .collect();
    let mut won = Vec::new();
    for (caller, o) in callers.into_iter().zip(&offers) {
        match caller.await.expect("the caller ran") {
            Ok(placements) => won.push((*o, placements)),
            Err(e) => {
                conflict(Err::<(), _>(e), "was placed by another officer a moment ago");
            }
        }
    }
    assert_eq!(won.len(), 1, "exactly one acceptance wins");
    let (winner, placements) = &won[0];
    assert_eq!(placements.len(), 1);

    let after = counts(ctx).await;
    assert_eq!(after.placements - before.placements, 1);
    assert_eq!(after.audit - before.audit, 1);
    assert_eq!(after.events - before.events, 1);
    assert_eq!(after.outbox - before.outbox, 2);
    assert_eq!(status_of(&store, r).await, ReferralStatus::Placed);
    let statuses: Vec<(OfferId, OfferStatus)> =
        store.offers_of(r).await.expect("offers").iter().map(|o| (o.id, o.status)).collect();
    for (o, status) in statuses {
        let expected = if o == *winner { OfferStatus::Accepted } else { OfferStatus::NotChosen };
        assert_eq!(status, expected, "offer {o}");
    }
    let mut places = 0;
    for i in 0..CALLERS {
        places += places_of(&store, 5_000 + i).await;
    }
    assert_eq!(places, 31, "one place taken, once");
}

async fn sixteen_referrals_racing_for_three_places_fill_exactly_three(store: Arc<dyn Store>, ctx: &Ctx) {
    const REFERRALS: usize = 16;
    loaded(&store).await;
    // Oak House: four places, one child placed; its other vacancy closes so that 21 may offer three.
    store.set_vacancy_places(&officer(), VacancyId(23), 0, at(0)).await.expect("vacancy 23 closes");
    store.set_vacancy_places(&officer(), VacancyId(21), 3, at(0)).await.expect("three places");
    let mut offers = Vec::new();
    for _ in 0..REFERRALS {
        let r = open_referral(&store, &[101]).await;
        send(&store, r, &[4], at(0)).await;
        offers.push((r, offer(&store, r, 4, 11, Some(21)).await.id));
    }
    let before = counts(ctx).await;

    let callers: Vec<_> = offers
        .iter()
        .map(|&(r, o)| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { accept(&store, o, vec![placement(101, 11, r, None)], 60).await })
        })
        .collect();
    let mut placed = HashSet::new();
    for (caller, (r, _)) in callers.into_iter().zip(&offers) {
        match caller.await.expect("the caller ran") {
            Ok(_) => {
                placed.insert(*r);
            }
            Err(e) => {
                conflict(Err::<(), _>(e), "no free place left");
            }
        }
    }
    assert_eq!(placed.len(), 3, "exactly the three places are taken");
    assert_eq!(places_of(&store, 21).await, 0, "never below zero");
    assert_eq!(counts(ctx).await.placements - before.placements, 3);
    for (r, o) in &offers {
        let (status, offer_status) = if placed.contains(r) {
            (ReferralStatus::Placed, OfferStatus::Accepted)
        } else {
            (ReferralStatus::Offers, OfferStatus::Made)
        };
        assert_eq!(status_of(&store, *r).await, status, "referral {r}");
        assert_eq!(store.offer(*o).await.expect("the offer").status, offer_status, "offer {o}");
    }
}

// --- A home's places ---

fn refused(result: Result<impl std::fmt::Debug, StoreError>, says: &str) -> String {
    match result {
        Err(StoreError::Refused(e)) => {
            assert_eq!(e.field, "places");
            assert!(e.message.contains(says), "the refusal should say {says:?}: {}", e.message);
            e.message
        }
        other => panic!("expected a refusal saying {says:?}, got {other:?}"),
    }
}

/// Open placements in a home, counted past the store.
async fn placed_in(ctx: &Ctx, home: i64) -> i64 {
    let mut raw = ctx.raw().await;
    raw.i64(&format!("SELECT COUNT(*) FROM placements WHERE home_id = {home} AND end_date IS NULL"))
        .await
        .expect("a count")
}

async fn a_homes_vacancies_never_offer_more_places_than_it_has_left(store: Arc<dyn Store>, ctx: &Ctx) {
    let seed = loaded(&store).await;
    // Oak House (home 11): four places, child 103 placed there, vacancies 21 (two) and 23 (one).
    let oak = seed.vacancies.iter().find(|v| v.id == VacancyId(21)).expect("vacancy 21").clone();
    let before = counts(ctx).await;
    let new = Vacancy { id: VacancyId(0), places: 1, ..oak.clone() };
    let sentence = refused(store.create_vacancy(&officer(), &new, at(0)).await, "no place is left to offer");
    assert_eq!(
        sentence,
        "Oak House has 4 places in all, 1 child placed there and 3 places free in its other vacancies, so no \
         place is left to offer; lower or close another vacancy first"
    );
    refused(
        store.update_vacancy(&officer(), &Vacancy { places: 3, ..oak.clone() }, at(0)).await,
        "so 2 are left; give 0 to 2",
    );
    refused(store.set_vacancy_places(&officer(), VacancyId(23), 2, at(0)).await, "so 1 is left; give 0 to 1");
    assert_eq!(counts(ctx).await, before, "a refused vacancy write leaves no audit line");
    assert_eq!((places_of(&store, 21).await, places_of(&store, 23).await), (2, 1));

    // Lowering is always allowed; what it frees may then be offered again, and a vacancy at 0 can
    // still be changed.
    store.set_vacancy_places(&officer(), VacancyId(21), 0, at(0)).await.expect("vacancy 21 filled");
    let priced = Vacancy { places: 0, weekly_price: WeeklyPrice::new(5_600).expect("a price"), ..oak.clone() };
    assert_eq!(store.update_vacancy(&officer(), &priced, at(0)).await.expect("a filled vacancy's price"), priced);
    let opened = store.create_vacancy(&officer(), &new, at(0)).await.expect("one place is free again");
    store.update_vacancy(&officer(), &Vacancy { places: 2, ..opened.clone() }, at(0)).await.expect("and a second");
    refused(store.set_vacancy_places(&officer(), VacancyId(21), 1, at(0)).await, "no place is left to offer");
}

/// Moves `child` out of its placement `from` into Oak House (home 11) on 24 November, without a vacancy.
async fn move_into_oak(store: &Arc<dyn Store>, from: i64, child: i64) -> Result<Placement, StoreError> {
    let ending = Ending {
        end: date("2026-11-24"),
        reason_ceased: ReasonEpisodeCeased::X1,
        reason_change: Some(ReasonPlaceChange::Carpl),
        planned: true,
    };
    let to = Placement { start: date("2026-11-24"), referral: None, ..placement(child, 11, ReferralId(0), None) };
    let mv = Move { from: PlacementId(from), ending, to, vacancy: None };
    store.move_placement(&officer(), &mv, at(30), &news("Moved", &["staff@midlandscare.example"], 4)).await
}

async fn a_home_never_has_more_children_placed_than_places(store: Arc<dyn Store>, ctx: &Ctx) {
    loaded(&store).await;
    // Offers of Oak House's vacancies 21 and 23 for two referrals are waiting...
    let r = open_referral(&store, &[102]).await;
    send(&store, r, &[4], at(0)).await;
    let o = offer(&store, r, 4, 11, Some(21)).await;
    let other = open_referral(&store, &[102]).await;
    send(&store, other, &[4], at(0)).await;
    let first = offer(&store, other, 4, 11, Some(23)).await;
    // ...while two children move in without taking a vacancy, and one offer is accepted: with child
    // 103, all four places are taken, though vacancy 21 still says two are free.
    move_into_oak(&store, 401, 100).await.expect("the second child moves in");
    move_into_oak(&store, 402, 101).await.expect("the third");
    accept(&store, first.id, vec![placement(102, 11, other, None)], 50).await.expect("the fourth");
    assert_eq!(placed_in(ctx, 11).await, 4);
    assert_eq!(places_of(&store, 21).await, 2);

    let before = counts(ctx).await;
    let sentence = conflict(accept(&store, o.id, vec![placement(102, 11, r, None)], 60).await, "no free place");
    assert_eq!(sentence, "the home has no free place left: Oak House has 4 places in all and 4 children placed there");
    assert_eq!(counts(ctx).await, before, "the refused accept wrote nothing");
    assert_eq!(places_of(&store, 21).await, 2, "and took no place");
    assert_eq!(status_of(&store, r).await, ReferralStatus::Offers);
    assert_eq!(placed_in(ctx, 11).await, 4);
}

async fn many_vacancies_and_accepts_at_once_never_overfill_a_home(store: Arc<dyn Store>, ctx: &Ctx) {
    const OPENERS: usize = 8;
    const REFERRALS: usize = 12;
    let seed = loaded_with_homes(&store, 1).await;
    // Home 5000: four places, nobody placed, vacancy 5000 with one. Eight vacancies opened at once:
    // exactly three more fit.
    let template = seed.vacancies.iter().find(|v| v.id == VacancyId(5000)).expect("vacancy 5000").clone();
    let openers: Vec<_> = (0..OPENERS)
        .map(|_| {
            let store = Arc::clone(&store);
            let v = Vacancy { id: VacancyId(0), ..template.clone() };
            tokio::spawn(async move { store.create_vacancy(&officer(), &v, at(0)).await })
        })
        .collect();
    let mut vacancies = vec![template.id];
    for opener in openers {
        match opener.await.expect("the opener ran") {
            Ok(v) => vacancies.push(v.id),
            Err(e) => {
                refused(Err::<(), _>(e), "no place is left to offer");
            }
        }
    }
    assert_eq!(vacancies.len(), 4, "free places never exceed the home's places: {vacancies:?}");

    // Twelve referrals offered the home, three on each vacancy, all accepted at once.
    let mut offers = Vec::new();
    for i in 0..REFERRALS {
        let r = open_referral(&store, &[101]).await;
        send(&store, r, &[4], at(0)).await;
        offers.push((r, offer(&store, r, 4, 5000, Some(vacancies[i % vacancies.len()].0)).await.id));
    }
    let callers: Vec<_> = offers
        .iter()
        .map(|&(r, o)| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { accept(&store, o, vec![placement(101, 5000, r, None)], 60).await })
        })
        .collect();
    let mut placed = 0;
    for caller in callers {
        match caller.await.expect("the caller ran") {
            Ok(_) => placed += 1,
            Err(e) => {
                conflict(Err::<(), _>(e), "no free place left");
            }
        }
    }
    assert_eq!(placed, 4, "one child per place");
    assert_eq!(placed_in(ctx, 5000).await, 4, "never more children placed than places");
    for v in vacancies {
        assert_eq!(places_of(&store, v.0).await, 0, "vacancy {v}");
    }
}

// --- One standing answer per provider ---

async fn one_standing_decline_per_provider_which_an_offer_supersedes(store: Arc<dyn Store>, ctx: &Ctx) {
    loaded(&store).await;
    let r = open_referral(&store, &[100]).await;
    send(&store, r, &[4, 5], at(0)).await;
    let notify = news("Declined", &["officer@coventry.gov.uk"], 1);
    let staff = provider_staff();
    let first =
        store.decline(&staff, r, OrganisationId(5), DeclineReason::Price, "", at(5), &notify).await.expect("declined");
    let before = counts(ctx).await;
    let again = store.decline(&staff, r, OrganisationId(5), DeclineReason::Price, "", at(6), &notify).await;
    let sentence = conflict(again, "already declined");
    assert_eq!(
        sentence,
        format!(
            "your organisation has already declined referral {r}; a referral is declined once, though you may \
             still make an offer"
        )
    );
    assert_eq!(counts(ctx).await, before, "no second e-mail, notice or audit line");
    assert_eq!(store.declines_of(r).await.expect("declines"), std::slice::from_ref(&first));

    // Provider 4 holds a live offer: it withdraws it rather than declining as well.
    let o = offer(&store, r, 4, 11, Some(21)).await;
    let holding = store.decline(&staff, r, OrganisationId(4), DeclineReason::Staffing, "", at(20), &notify).await;
    let sentence = conflict(holding, "withdraw the offer instead of declining");
    assert!(sentence.contains(&format!("offer {}", o.id)), "{sentence}");
    store.withdraw_offer(&staff, o.id, OrganisationId(4), at(21), &notify).await.expect("withdrawn");
    store
        .decline(&staff, r, OrganisationId(4), DeclineReason::Staffing, "", at(22), &notify)
        .await
        .expect("declined once the offer is withdrawn");
    assert_eq!(store.declines_of(r).await.expect("declines").len(), 2);

    // A provider that declined may still offer: the offer supersedes its decline, which is kept but no
    // longer listed or counted.
    offer(&store, r, 4, 11, Some(21)).await;
    let standing = store.declines_of(r).await.expect("declines");
    assert_eq!(standing, [first]);
    let mut raw = ctx.raw().await;
    let kept = raw.i64(&format!("SELECT COUNT(*) FROM declines WHERE referral_id = {}", r.0)).await.expect("a count");
    assert_eq!(kept, 2, "the superseded decline is kept");
    let intel = store.intel_records().await.expect("the intelligence records");
    assert_eq!(intel.declines.iter().filter(|d| d.referral == r).count(), 1, "and counted once");
}

// --- Agreements ---

fn signature(party: Party, user: i64, organisation: i64, hash: &str, minutes: i64) -> Signature {
    Signature {
        party,
        user: UserId(user),
        organisation: OrganisationId(organisation),
        name: format!("User {user}"),
        at: at(minutes),
        text_hash: hash.to_owned(),
    }
}

async fn agreements_are_versioned_and_signed_once_per_party(store: Arc<dyn Store>, ctx: &Ctx) {
    loaded(&store).await;
    // Referral 200 was placed through offer 301 (provider 3).
    let (r, o) = (ReferralId(200), OfferId(301));
    let text1 = "INDIVIDUAL PLACEMENT AGREEMENT\nVersion 1\nChild C0001\n";
    let v1 = store.create_agreement(&officer(), r, o, text1, at(0)).await.expect("version 1");
    assert_eq!((v1.referral, v1.offer, v1.version, v1.superseded), (r, o, 1, false));
    assert_eq!((v1.text.as_str(), v1.text_hash.clone(), v1.created_at), (text1, text_hash(text1), at(0)));
    assert!(v1.signatures.is_empty());

    let notify = news("Agreement signed", &["staff@coventry-fostering.example"], 3);
    let council = signature(Party::Council, 1, 1, &v1.text_hash, 5);
    let signed = store.sign_agreement(&officer(), v1.id, &council, &notify).await.expect("the council signs");
    assert_eq!(signed.signatures, std::slice::from_ref(&council));
    conflict(store.sign_agreement(&officer(), v1.id, &council, &notify).await, "already signed version 1");
    let unseen = signature(Party::Provider, 3, 4, &text_hash("other words"), 6);
    conflict(store.sign_agreement(&officer(), v1.id, &unseen, &notify).await, "not the text of version 1");

    let text2 = "INDIVIDUAL PLACEMENT AGREEMENT\nVersion 2\nChild C0001\n";
    let v2 = store.create_agreement(&officer(), r, o, text2, at(10)).await.expect("version 2");
    assert_eq!((v2.version, v2.superseded), (2, false));
    assert!(store.agreement(v1.id).await.expect("version 1").superseded);
    let before = counts(ctx).await;
    let late = signature(Party::Provider, 3, 3, &v1.text_hash, 11);
    conflict(store.sign_agreement(&officer(), v1.id, &late, &notify).await, "replaced by version 2");
    assert_eq!(counts(ctx).await, before, "a refused signature writes nothing");

    for party in [Party::Council, Party::Provider] {
        let s = signature(party, 1, 1, &v2.text_hash, 12);
        store.sign_agreement(&officer(), v2.id, &s, &notify).await.expect("signed");
    }
    let all = store.agreements_of(r).await.expect("the referral's agreements");
    assert_eq!(
        all.iter().map(|a| (a.version, a.superseded, a.signatures.len())).collect::<Vec<_>>(),
        [(1, true, 1), (2, false, 2)]
    );
    assert!(all[1].is_locked());
    assert_eq!(store.agreement(v2.id).await.expect("version 2"), all[1]);

    let elsewhere = store.create_agreement(&officer(), ReferralId(201), o, text1, at(20)).await;
    assert!(matches!(elsewhere, Err(StoreError::NotFound { .. })), "an offer of another referral: {elsewhere:?}");
    assert_eq!(audit_of(&store, "agreement.create").await.len(), 2);
    let signs = audit_of(&store, "agreement.sign").await;
    assert_eq!(signs.len(), 3);
    for line in audit_of(&store, "agreement.").await {
        assert!(!format!("{line:?}").contains("C0001"), "the text is not in the audit: {line:?}");
    }
    assert_eq!(store.outbox(Some(r)).await.expect("outbox").len(), 3, "one e-mail per signature");
}

// --- Placements ---

async fn placements_end_and_move_once(store: Arc<dyn Store>, ctx: &Ctx) {
    loaded(&store).await;
    let notify = news("Placement ended", &["staff@midlandscare.example"], 4);
    // Child 103 leaves care from Oak House (placement 404).
    let leaving =
        Ending { end: date("2026-11-20"), reason_ceased: ReasonEpisodeCeased::E13, reason_change: None, planned: true };
    let ended = store.end_placement(&officer(), PlacementId(404), &leaving, at(600), &notify).await.expect("ended");
    assert_eq!(
        (ended.end, ended.reason_ceased, ended.planned_ending),
        (Some(leaving.end), Some(ReasonEpisodeCeased::E13), Some(true))
    );
    conflict(store.end_placement(&officer(), PlacementId(404), &leaving, at(600), &notify).await, "already ended");
    let missing = store.end_placement(&officer(), PlacementId(9_999), &leaving, at(600), &notify).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
    let early = Ending { end: date("2020-01-01"), ..leaving };
    let invalid = store.end_placement(&officer(), PlacementId(402), &early, at(600), &notify).await;
    assert!(matches!(invalid, Err(StoreError::Invalid(_))), "an end before the start: {invalid:?}");

    // Child 101 moves from home 10 (placement 402) to Oak House, taking a place of vacancy 21.
    let ending = Ending {
        end: date("2026-11-24"),
        reason_ceased: ReasonEpisodeCeased::X1,
        reason_change: Some(ReasonPlaceChange::Carpl),
        planned: false,
    };
    let to = Placement { start: date("2026-11-24"), referral: None, ..placement(101, 11, ReferralId(0), None) };
    let mv = Move { from: PlacementId(402), ending, to, vacancy: Some(VacancyId(21)) };
    let new = store.move_placement(&officer(), &mv, at(600), &notify).await.expect("moved");
    assert_eq!(
        (new.child, new.home, new.previous, new.end),
        (ChildId(101), Some(HomeId(11)), Some(PlacementId(402)), None)
    );
    let old = store.placement(PlacementId(402)).await.expect("the old placement");
    assert_eq!((old.end, old.reason_ceased), (Some(date("2026-11-24")), Some(ReasonEpisodeCeased::X1)));
    assert_eq!((old.reason_change, old.planned_ending), (Some(ReasonPlaceChange::Carpl), Some(false)));
    assert_eq!(places_of(&store, 21).await, 1);

    let before = counts(ctx).await;
    conflict(store.move_placement(&officer(), &mv, at(600), &notify).await, "placement 402 has already ended");
    assert_eq!(counts(ctx).await, before);
    assert_eq!(places_of(&store, 21).await, 1, "the place taken before the refusal was given back");

    let child: Vec<PlacementId> =
        store.placements_of_child(ChildId(101)).await.expect("placements").iter().map(|p| p.id).collect();
    assert_eq!(child, [PlacementId(402), new.id]);
    assert_eq!(audit_of(&store, "placement.end").await.len(), 1);
    let moved = &audit_of(&store, "placement.move").await[0];
    assert_eq!(moved.record_id, Some(new.id.to_string()));
    assert_eq!(store.notices_for(OrganisationId(4), UserId(3), 0).await.expect("notices").len(), 2);
}

// --- Outbox ---

async fn queue_emails(store: &Arc<dyn Store>, n: usize, opened: Timestamp) -> ReferralId {
    let r = open_referral(store, &[100]).await;
    let addresses: Vec<String> = (0..n).map(|i| format!("person{i}@example.org")).collect();
    let to: Vec<&str> = addresses.iter().map(String::as_str).collect();
    let notify = news("New referral", &to, 4);
    store.open_sending(&officer(), r, &chosen(&[4], opened), &notify).await.expect("sent");
    r
}

async fn concurrent_outbox_claims_never_share_an_email(store: Arc<dyn Store>, _ctx: &Ctx) {
    const EMAILS: usize = 40;
    loaded(&store).await;
    queue_emails(&store, EMAILS, at(0)).await;
    assert!(store.claim_outbox(at(-1), at(4), 10).await.expect("nothing due yet").is_empty());

    // Rounds of four workers claiming at once; each lease ends before the next round's "now".
    for round in 0..3i64 {
        let (now, lease) = (at(1 + round * 10), at(6 + round * 10));
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let store = Arc::clone(&store);
                tokio::spawn(async move { store.claim_outbox(now, lease, 15).await })
            })
            .collect();
        let mut claimed = Vec::new();
        for w in workers {
            claimed.extend(w.await.expect("the worker ran").expect("claimed"));
        }
        // A worker that lost a race for rows may come back with fewer; whatever is left is claimed next.
        loop {
            let more = store.claim_outbox(now, lease, 15).await.expect("claimed");
            if more.is_empty() {
                break;
            }
            claimed.extend(more);
        }
        let ids: HashSet<i64> = claimed.iter().map(|m| m.id).collect();
        assert_eq!(ids.len(), claimed.len(), "round {round}: an e-mail was claimed twice");
        assert_eq!(ids.len(), EMAILS, "round {round}: every due e-mail is claimed once");
        assert!(claimed.iter().all(|m| m.attempts == u32::try_from(round + 1).expect("small")), "round {round}");
    }
    let refused = store.claim_outbox(at(100), at(100), 5).await;
    assert!(matches!(refused, Err(StoreError::Invalid(_))), "a lease that ends as it starts: {refused:?}");
}

async fn failed_emails_are_retried_or_given_up(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    let r = queue_emails(&store, 3, at(0)).await;
    let lease = |m: i64| at(m + 5);
    let claimed = store.claim_outbox(at(1), lease(1), 10).await.expect("claimed");
    assert_eq!(claimed.len(), 3);
    let (a, b, c) = (claimed[0].id, claimed[1].id, claimed[2].id);

    store.outbox_failed(a, "421 try again later", at(2), Some(at(30))).await.expect("to retry");
    store.outbox_failed(b, "550 no such mailbox", at(2), None).await.expect("given up");
    store.outbox_sent(c, at(2)).await.expect("sent");
    store.outbox_sent(c, at(3)).await.expect("a second report of the same delivery changes nothing");

    assert!(store.claim_outbox(at(20), lease(20), 10).await.expect("claim").is_empty(), "a is not due before 30");
    let retried = store.claim_outbox(at(30), lease(30), 10).await.expect("claim");
    assert_eq!(retried.iter().map(|m| (m.id, m.attempts)).collect::<Vec<_>>(), [(a, 2)]);
    store.outbox_sent(a, at(31)).await.expect("sent at last");
    assert!(store.claim_outbox(at(100), lease(100), 10).await.expect("claim").is_empty(), "nothing is left to send");

    let mail = store.outbox(Some(r)).await.expect("outbox");
    let a_row = mail.iter().find(|m| m.id == a).expect("a");
    assert_eq!((a_row.sent_at, a_row.last_error.clone(), a_row.failed_at), (Some(at(31)), None, None));
    let b_row = mail.iter().find(|m| m.id == b).expect("b");
    assert_eq!(
        (b_row.failed_at, b_row.last_error.as_deref(), b_row.sent_at),
        (Some(at(2)), Some("550 no such mailbox"), None)
    );
    let c_row = mail.iter().find(|m| m.id == c).expect("c");
    assert_eq!(c_row.sent_at, Some(at(2)), "the first delivery's time stays");
    assert_eq!(store.outbox(None).await.expect("every e-mail").len(), 3);

    let missing = store.outbox_sent(9_999, at(3)).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
    let missing = store.outbox_failed(9_999, "x", at(3), None).await;
    assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{missing:?}");
}

// --- Idempotency ---

async fn idempotency_keys_start_replay_and_refuse(store: Arc<dyn Store>, _ctx: &Ctx) {
    use IdempotencyStart as I;
    store.migrate().await.expect("migrations apply");
    let start = |owner: &'static str, key: &'static str, fingerprint: &'static str| {
        let store = Arc::clone(&store);
        async move { store.idempotency_start(owner, key, fingerprint, at(0)).await.expect("started or found") }
    };
    assert_eq!(start("token-a", "k1", "POST /offers #1").await, I::Started);
    assert_eq!(start("token-a", "k1", "POST /offers #1").await, I::InProgress);
    assert_eq!(start("token-a", "k1", "POST /offers #2").await, I::Mismatch);
    assert_eq!(start("token-b", "k1", "POST /offers #1").await, I::Started, "keys are per owner");

    store.idempotency_finish("token-a", "k1", 201, "{\"id\":7}").await.expect("finished");
    let replay = I::Replay { status: 201, body: "{\"id\":7}".into() };
    assert_eq!(start("token-a", "k1", "POST /offers #1").await, replay);
    assert_eq!(start("token-a", "k1", "POST /offers #2").await, I::Mismatch);
    store.idempotency_abandon("token-a", "k1").await.expect("a finished key is kept");
    assert_eq!(start("token-a", "k1", "POST /offers #1").await, replay);

    assert_eq!(start("token-a", "k2", "POST /declines").await, I::Started);
    store.idempotency_abandon("token-a", "k2").await.expect("abandoned");
    assert_eq!(start("token-a", "k2", "POST /declines").await, I::Started, "an abandoned key starts afresh");

    let unknown = store.idempotency_finish("token-a", "nope", 200, "").await;
    assert!(matches!(unknown, Err(StoreError::NotFound { .. })), "{unknown:?}");
}

// --- The escalation job's view ---

/// The referral's entry in the escalation job's list, if it has one.
async fn open_sending_listed(store: &Arc<dyn Store>, r: ReferralId) -> Option<OpenSending> {
    let open = store.open_sendings().await.expect("open sendings");
    let mine: Vec<_> = open.into_iter().filter(|s| s.sending.referral == r).collect();
    assert!(mine.len() <= 1, "one open sending a referral: {mine:?}");
    mine.into_iter().next()
}

async fn open_sendings_count_live_offers_and_unanswered_providers(store: Arc<dyn Store>, _ctx: &Ctx) {
    loaded(&store).await;
    let r = open_referral(&store, &[100]).await;
    let first = send(&store, r, &[4, 5, 3], at(0)).await;
    let s = open_sending_listed(&store, r).await.expect("listed");
    assert_eq!((s.sending.id, s.la_code, s.status), (first.id, 331, ReferralStatus::Open));
    assert_eq!((s.live_offers, s.unanswered), (0, 3));

    let o = offer(&store, r, 4, 11, None).await;
    let notify = news("Declined", &["officer@coventry.gov.uk"], 1);
    store
        .decline(&provider_staff(), r, OrganisationId(5), DeclineReason::Price, "", at(15), &notify)
        .await
        .expect("declined");
    let s = open_sending_listed(&store, r).await.expect("listed");
    assert_eq!((s.status, s.live_offers, s.unanswered), (ReferralStatus::Offers, 1, 1));

    // A new step reaching only providers already sent it has nobody of its own to wait for.
    let step = NewSending { mode: SendMode::Cascade, step: Some(ContractTier::Spot), ..chosen(&[3, 4], at(60)) };
    let second = store.open_sending(&system(), r, &step, &notify).await.expect("the next step");
    let s = open_sending_listed(&store, r).await.expect("listed");
    assert_eq!(
        (s.sending.id, s.sending.step, s.live_offers, s.unanswered),
        (second.id, Some(ContractTier::Spot), 1, 0)
    );

    store.withdraw_offer(&provider_staff(), o.id, OrganisationId(4), at(70), &notify).await.expect("withdrawn");
    assert_eq!(
        open_sending_listed(&store, r).await.map(|s| (s.status, s.live_offers)),
        Some((ReferralStatus::Open, 0))
    );
    store
        .transition_referral(&officer(), r, ReferralStatus::Open, ReferralStatus::Withdrawn, at(80))
        .await
        .expect("withdrawn");
    assert!(open_sending_listed(&store, r).await.is_none(), "a withdrawn referral is not the job's any more");
}

async fn unmet_and_overdue_are_told_once(store: Arc<dyn Store>, ctx: &Ctx) {
    use ReferralStatus as S;
    loaded(&store).await;
    let r = open_referral(&store, &[100]).await;
    let sending = send(&store, r, &[4], at(0)).await;
    let notify = news("No answer in time", &["officer@coventry.gov.uk", "manager@coventry.gov.uk"], 1);

    let before = counts(ctx).await;
    assert!(store.mark_overdue(&system(), sending.id, at(600), &notify).await.expect("told"));
    assert!(!store.mark_overdue(&system(), sending.id, at(600), &notify).await.expect("told once"));
    let after = counts(ctx).await;
    assert_eq!((after.audit - before.audit, after.outbox - before.outbox, after.notices - before.notices), (1, 2, 1));
    assert!(store.open_sending_of(r).await.expect("open").expect("still open").overdue_told);
    let overdue = store.outbox(Some(r)).await.expect("outbox").pop().expect("the overdue e-mail");
    assert_eq!(overdue.created_at, at(600), "dated when the job told it");

    let before = counts(ctx).await;
    assert!(store.mark_unmet(&system(), r, at(2_000), &notify).await.expect("unmet"));
    assert!(!store.mark_unmet(&system(), r, at(2_001), &notify).await.expect("unmet once"));
    let after = counts(ctx).await;
    assert_eq!((after.audit - before.audit, after.events - before.events, after.outbox - before.outbox), (1, 1, 2));
    let referral = store.referral_unaudited(r).await.expect("the referral");
    assert_eq!((referral.status, referral.closed_at), (S::Unmet, Some(at(2_000))));
    assert_eq!(store.open_sending_of(r).await.expect("open sending"), None);
    assert_eq!(store.sendings_of(r).await.expect("sendings")[0].closed_at, Some(at(2_000)));
    let last = store.referral_events(r).await.expect("events").pop().expect("an event");
    assert_eq!((last.from, last.to, last.user), (Some(S::Open), Some(S::Unmet), None));
    assert_eq!(audit_of(&store, "referral.unmet").await[0].detail.as_deref(), Some("open -> unmet"));

    // Closed sendings are not told; a referral with a live offer has moved on.
    let before = counts(ctx).await;
    assert!(!store.mark_overdue(&system(), sending.id, at(600), &notify).await.expect("closed"));
    assert_eq!(counts(ctx).await, before);
    let r2 = open_referral(&store, &[101]).await;
    send(&store, r2, &[4], at(0)).await;
    offer(&store, r2, 4, 11, None).await;
    let moved_on = counts(ctx).await;
    assert!(!store.mark_unmet(&system(), r2, at(2_000), &notify).await.expect("left alone"));
    assert_eq!(status_of(&store, r2).await, S::Offers);
    assert_eq!(counts(ctx).await, moved_on);
}
