//! Properties over generated supplies and requests.

use crate::support::*;
use hearth_domain::home::{
    AgeRange, Home, HomeKind, Judgement, RegistrationStatus, RiskRating, SexAccepted, Skill, Skills, Vacancy,
    WeeklyPrice,
};
use hearth_domain::referral::{Need, Urgency};
use hearth_domain::{GridRef, HomeId, Sex, VacancyId};
use hearth_matching::{
    ChildProfile, Contracts, HardRule, MatchRequest, NeedSet, PlacementKind, PlacementKinds, SupplyIndex, Target,
    Weights,
};
use jiff::ToSpan;
use proptest::prelude::*;
use proptest::sample::select;
use std::collections::BTreeMap;

/// Council areas the generated homes sit in: Coventry, two neighbours, one further, one outside.
const AREAS: [(&str, Option<u16>); 5] = [
    ("E08000026", Some(331)),
    ("E10000031", Some(937)),
    ("E08000029", Some(334)),
    ("E08000031", Some(336)),
    ("E06000062", None),
];

fn grid() -> impl Strategy<Value = GridRef> {
    (-60_000i32..60_000, -60_000i32..60_000)
        .prop_map(|(e, n)| GridRef { easting: CV1.easting + e, northing: CV1.northing + n })
}

fn ages() -> impl Strategy<Value = AgeRange> {
    (0u8..=17, 0u8..=17).prop_map(|(a, b)| AgeRange { min: a.min(b), max: a.max(b) })
}

fn sex_accepted() -> impl Strategy<Value = SexAccepted> {
    prop_oneof![4 => Just(SexAccepted::Any), 1 => Just(SexAccepted::MaleOnly), 1 => Just(SexAccepted::FemaleOnly)]
}

/// Half foster households, as in the real supply; every kind appears.
fn kind() -> impl Strategy<Value = HomeKind> {
    prop_oneof![
        3 => select(&[HomeKind::FosterAgency, HomeKind::FosterInHouse][..]),
        1 => Just(HomeKind::ChildrensHome),
        2 => select(HomeKind::ALL),
    ]
}

/// Homes biased towards passing (wide ages, registered, active), so that most cases rank something.
fn arb_home(id: i64) -> impl Strategy<Value = Home> {
    (
        (kind(), prop_oneof![5 => Just(AgeRange { min: 0, max: 17 }), 3 => ages()], sex_accepted()),
        (any::<u16>(), select(&AREAS[..]), grid()),
        (
            prop_oneof![8 => Just(RegistrationStatus::Registered), 1 => select(RegistrationStatus::ALL)],
            prop::option::of(select(Judgement::ALL)),
            select(RiskRating::ALL),
        ),
        (1u16..6, 0u8..4, prop::bool::weighted(0.3), 300i64..9_000, prop::bool::weighted(0.95)),
    )
        .prop_map(
            move |((kind, ages, sex), (skill_bits, (utla, la_code), grid), (registration, judgement, risk), extra)| {
                let (places, other_children, pets, price, active) = extra;
                Home {
                    kind,
                    ages,
                    sex,
                    skills: Skills::from_bits(u32::from(skill_bits) & ((1 << Skill::ALL.len()) - 1)),
                    utla: utla.to_owned(),
                    la_code,
                    grid,
                    registration,
                    judgement,
                    risk,
                    places,
                    other_children,
                    pets,
                    weekly_price: WeeklyPrice::new(price).expect("generated in range"),
                    active,
                    provider: hearth_domain::OrganisationId(500 + id % 4),
                    ..home(id)
                }
            },
        )
}

/// 0–2 vacancies per home, mostly open by the start date and on the home's terms.
fn arb_vacancies(h: &Home) -> impl Strategy<Value = Vec<Vacancy>> + use<> {
    let base = vacancy(h);
    prop::collection::vec((0u16..3, -10i64..10, prop::bool::weighted(0.8)), 0..3).prop_map(move |specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(k, (places, days, own_terms))| Vacancy {
                id: VacancyId(base.id.0 * 10 + k as i64),
                places,
                available_from: start().checked_add(days.days()).expect("a near date"),
                ages: if own_terms { base.ages } else { AgeRange { min: base.ages.min, max: base.ages.min } },
                ..base.clone()
            })
            .collect()
    })
}

fn arb_supply() -> impl Strategy<Value = (Vec<Home>, Vec<Vacancy>)> {
    (1usize..30)
        .prop_flat_map(|n| (0..n as i64).map(|i| arb_home(i + 1)).collect::<Vec<_>>())
        .prop_flat_map(|homes| {
            let vacancies: Vec<_> = homes.iter().map(arb_vacancies).collect();
            (Just(homes), vacancies)
        })
        .prop_map(|(homes, vacancies)| (homes, vacancies.into_iter().flatten().collect()))
}

fn needs() -> impl Strategy<Value = NeedSet> {
    prop::collection::vec(select(Need::ALL), 0..3).prop_map(|v| v.into_iter().collect())
}

fn arb_child() -> impl Strategy<Value = ChildProfile> {
    (
        0u8..=17,
        select(Sex::ALL),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.05),
        any::<bool>(),
        needs(),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(age, sex, disability, wheelchair_user, uasc, needs, primary)| ChildProfile {
            age,
            sex,
            disability,
            wheelchair_user,
            uasc,
            needs,
            primary_needs: if primary { needs } else { NeedSet::empty() },
        })
}

/// Usually what an officer asks by default; sometimes any other choice.
fn kinds() -> impl Strategy<Value = PlacementKinds> {
    prop_oneof![
        2 => Just(PlacementKinds::usual()),
        1 => prop::collection::vec(select(&PlacementKind::ALL[..]), 1..4).prop_map(|v| v.into_iter().collect()),
    ]
}

fn arb_request(homes: usize) -> impl Strategy<Value = MatchRequest> {
    let ids = move || prop::collection::vec((1..=homes as i64).prop_map(HomeId), 0..2);
    (
        (
            prop_oneof![3 => prop::collection::vec(arb_child(), 1..2), 1 => prop::collection::vec(arb_child(), 2..4)],
            any::<bool>(),
            select(Urgency::ALL),
        ),
        (prop::option::of(grid()), prop::option::of(grid()), select(&[331u16, 330, 937][..])),
        (kinds(), ids(), ids(), prop::bool::weighted(0.05)),
        (
            prop::bool::weighted(0.1),
            prop::bool::weighted(0.1),
            prop::bool::weighted(0.05),
            prop::option::of(any::<bool>()),
        ),
        prop::option::of(400i64..8_000),
    )
        .prop_map(
            |(
                (children, together, urgency),
                (home, school, council),
                (kinds, connected, overrides, secure),
                household,
                ceiling,
            )| {
                let (no_other_children, no_pets, must_take_pets, prefers_pets) = household;
                let mut kinds = kinds;
                if secure {
                    kinds = kinds.with(PlacementKind::Secure);
                }
                MatchRequest {
                    children,
                    siblings_together: together,
                    urgency,
                    home_location: home,
                    school_location: school,
                    placement_kinds: kinds,
                    connected_carers: connected,
                    inadequate_allowed: overrides.len() == 1 && overrides[0].0 == 1,
                    inadequate_overrides: overrides,
                    secure_order: secure,
                    household: hearth_matching::Household { no_other_children, no_pets, must_take_pets },
                    prefers_pets,
                    price_ceiling: ceiling.and_then(|p| WeeklyPrice::new(p).ok()),
                    ..MatchRequest::new(council, ChildProfile::new(0, Sex::Unknown), Urgency::Planned, start())
                }
            },
        )
}

fn case() -> impl Strategy<Value = (Vec<Home>, Vec<Vacancy>, MatchRequest)> {
    arb_supply().prop_flat_map(|(homes, vacancies)| {
        let n = homes.len();
        (Just(homes), Just(vacancies), arb_request(n))
    })
}

/// What the stated rules say of each home: its first failure, or `None` when it passes.
fn verdicts(homes: &[Home], vacancies: &[Vacancy], req: &MatchRequest) -> BTreeMap<HomeId, Option<HardRule>> {
    homes
        .iter()
        .map(|h| {
            let own: Vec<&Vacancy> = vacancies.iter().filter(|v| v.home == h.id).collect();
            (h.id, first_failure(h, &own, req))
        })
        .collect()
}

fn build(homes: &[Home], vacancies: &[Vacancy]) -> SupplyIndex {
    SupplyIndex::build(homes, vacancies, Contracts::none())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// A home failing a hard rule never appears; every home passing does (when the limit allows);
    /// the counts per rule are the stated rules' first failures; and they add up to the supply.
    #[test]
    fn hard_rules_exclude_and_the_counts_add_up((homes, vacancies, req) in case()) {
        let index = build(&homes, &vacancies);
        let result = index.rank(&req, &Weights::default(), homes.len());
        prop_assert_eq!(result.excluded.total() + result.considered, homes.len());
        let expected = verdicts(&homes, &vacancies, &req);
        for m in &result.matches {
            prop_assert_eq!(expected[&m.home], None, "home {} shown despite a rule", m.home);
        }
        prop_assert_eq!(result.matches.len(), expected.values().filter(|v| v.is_none()).count());
        for rule in HardRule::ALL {
            let n = expected.values().filter(|v| **v == Some(rule)).count() as u32;
            prop_assert_eq!(result.excluded.get(rule), n, "{:?}", rule);
        }
    }

    /// Two homes alike in everything but distance from the child's home: the nearer ranks higher,
    /// whatever their ids.
    #[test]
    fn nearer_ranks_higher_all_else_equal(
        (homes, vacancies, mut req) in case(),
        near in 0i32..40_000,
        further in 1i32..40_000,
        angle in 0usize..4,
    ) {
        req.school_location = None;
        req.connected_carers.clear();
        let expected = verdicts(&homes, &vacancies, &req);
        let Some(template) = homes.iter().find(|h| expected[&h.id].is_none()) else { return Ok(()) };
                let origin = req.home_location.unwrap_or(CV1);
        req.home_location = Some(origin);
        let at = |d: i32| {
            let (de, dn) = [(d, 0), (0, d), (-d, 0), (0, -d)][angle];
            GridRef { easting: origin.easting + de, northing: origin.northing + dn }
        };
        // The further home gets the lower id, so a tie-break by id alone would put it first.
        let (far_id, near_id) = (HomeId(1_000), HomeId(1_001));
        if req.inadequate_overrides.contains(&template.id) {
            req.inadequate_overrides.extend([far_id, near_id]);
        }
        let mut homes = homes.clone();
        let mut vacancies = vacancies.clone();
        for (id, d) in [(far_id, near + further), (near_id, near)] {
            homes.push(Home { id, grid: at(d), ..template.clone() });
            for (k, v) in vacancies.clone().iter().filter(|v| v.home == template.id).enumerate() {
                vacancies.push(Vacancy { id: VacancyId(id.0 * 10 + k as i64), home: id, ..v.clone() });
            }
        }
        let result = build(&homes, &vacancies).rank(&req, &Weights::default(), homes.len());
        let pos = |id| result.matches.iter().position(|m| m.home == id);
        prop_assert!(pos(near_id).is_some() && pos(far_id).is_some());
        prop_assert!(pos(near_id) < pos(far_id));
    }

    /// A connected person's home that passes the hard rules is always first: the first home, from a
    /// random place on, that passes once named as the child's carer (and one that fails never shows).
    #[test]
    fn a_connected_carer_who_passes_ranks_first((homes, vacancies, mut req) in case(), pick in any::<prop::sample::Index>()) {
        let n = homes.len();
        let start_at = pick.index(n);
        let passes_when_named = |id: HomeId| {
            let mut named = req.clone();
            named.connected_carers = vec![id];
            verdicts(&homes, &vacancies, &named)[&id].is_none()
        };
        let carer = (0..n)
            .map(|k| homes[(start_at + k) % n].id)
            .find(|id| passes_when_named(*id))
            .unwrap_or(homes[start_at].id);
        req.connected_carers = vec![carer];
        let passes = verdicts(&homes, &vacancies, &req)[&carer].is_none();
        let result = build(&homes, &vacancies).rank(&req, &Weights::default(), 3);
        if passes {
            prop_assert_eq!(result.matches[0].home, carer);
            prop_assert!(result.matches[0].connected_person);
            prop_assert!(result.matches[1..].iter().all(|m| !m.connected_person));
        } else {
            prop_assert!(result.matches.iter().all(|m| m.home != carer));
        }
    }

    /// After a vacancy is filled (`set_places(…, 0)`) the next search never offers it, nor a home
    /// filled as a whole.
    #[test]
    fn a_filled_vacancy_never_appears((homes, vacancies, req) in case()) {
        let mut index = build(&homes, &vacancies);
        let first = index.rank(&req, &Weights::default(), homes.len());
        let Some(filled_home) = first.matches.first().map(|m| m.home) else { return Ok(()) };
                let filled: Vec<VacancyId> = first.matches.iter().filter_map(|m| m.vacancy).collect();
        for v in &filled {
            index.set_places(Target::Vacancy(*v), 0, req.start).unwrap();
        }
        index.set_places(Target::Home(filled_home), 0, req.start).unwrap();
        let next = index.rank(&req, &Weights::default(), homes.len());
        prop_assert!(next.matches.iter().all(|m| m.vacancy.is_none_or(|v| !filled.contains(&v))));
        prop_assert!(next.matches.iter().all(|m| m.home != filled_home));
        prop_assert_eq!(next.excluded.total() + next.considered, homes.len());
    }

    /// Updates applied one by one give the same answer as building afresh from the changed lists.
    #[test]
    fn updates_agree_with_a_rebuild(
        (homes, vacancies, req) in case(),
        ops in prop::collection::vec((0u8..5, any::<prop::sample::Index>(), 0u16..3, -5i64..5), 1..12),
    ) {
        let mut index = build(&homes, &vacancies);
        let (mut homes, mut vacancies) = (homes, vacancies);
        for (op, pick, places, days) in ops {
            let from = start().checked_add(days.days()).unwrap();
            match op {
                0 if !vacancies.is_empty() => {
                    let at = pick.index(vacancies.len());
                    let v = &mut vacancies[at];
                    v.places = places;
                    v.available_from = from;
                    index.update_vacancy(v).unwrap();
                }
                1 if !vacancies.is_empty() => {
                    let v = vacancies.remove(pick.index(vacancies.len()));
                    index.remove_vacancy(v.id).unwrap();
                }
                2 if !vacancies.is_empty() => {
                    let at = pick.index(vacancies.len());
                    let v = &mut vacancies[at];
                    v.places = places;
                    v.available_from = from;
                    index.set_places(Target::Vacancy(v.id), places, from).unwrap();
                }
                3 if homes.len() > 1 => {
                    let h = homes.remove(pick.index(homes.len()));
                    vacancies.retain(|v| v.home != h.id);
                    index.remove_home(h.id).unwrap();
                }
                _ if !homes.is_empty() => {
                    let at = pick.index(homes.len());
                    let h = &mut homes[at];
                    h.pets = !h.pets;
                    h.grid.easting += i32::from(places) * 1_000;
                    h.judgement = None;
                    index.upsert_home(h);
                }
                _ => {}
            }
        }
        let fresh = build(&homes, &vacancies);
        let a = index.rank(&req, &Weights::default(), homes.len());
        let b = fresh.rank(&req, &Weights::default(), homes.len());
        prop_assert_eq!(a, b);
        prop_assert_eq!(index.len(), homes.len());
    }
}
