//! The matching engine at England's scale: `cargo bench -p hearth-matching`.
//!
//! A synthetic national supply of 60,000 homes (see `hearth_matching::synthetic`). `rank_*` rank
//! the top 50 for one request with explanations; `baseline_filtered_scan` is the plain scan the
//! README reports them against (the machine is shared and noisy, so the ratio travels better than
//! the figure); `set_places` and `update_vacancy` are the per-change updates; `build_index` is the
//! in-memory part of a rebuild from the database.

use divan::{Bencher, black_box};
use hearth_domain::home::{HomeKind, Skill, Skills};
use hearth_domain::referral::{Need, Urgency};
use hearth_domain::{GridRef, Sex, VacancyId};
use hearth_matching::synthetic::{SyntheticConfig, SyntheticSupply, national};
use hearth_matching::{ChildProfile, Contracts, Explain, MatchRequest, SupplyIndex, Target, Weights};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::LazyLock;

const LIMIT: usize = 50;
/// Birmingham's B1 district centroid.
const B1: GridRef = GridRef { easting: 406_500, northing: 286_900 };

static SUPPLY: LazyLock<SyntheticSupply> = LazyLock::new(|| national(SyntheticConfig::default()));

fn contracts() -> Contracts {
    Contracts::new(&SUPPLY.contracts, SyntheticConfig::default().today).with_council_services(&SUPPLY.organisations)
}

static INDEX: LazyLock<SupplyIndex> =
    LazyLock::new(|| SupplyIndex::build(&SUPPLY.homes, &SUPPLY.vacancies, contracts()));

/// A planned referral: a 9-year-old boy from Birmingham with emotional and behavioural needs and
/// missing episodes, a school nearby, a price ceiling; foster care or a children's home.
fn planned_referral() -> MatchRequest {
    let today = SyntheticConfig::default().today;
    let mut child = ChildProfile::new(9, Sex::Male);
    child.needs = [Need::EmotionalBehavioural, Need::Missing].into_iter().collect();
    let mut r = MatchRequest::new(330, child, Urgency::Planned, today.tomorrow().unwrap_or(today));
    r.home_location = Some(B1);
    r.school_location = Some(GridRef { easting: B1.easting + 2_500, northing: B1.northing - 1_200 });
    r.price_ceiling = hearth_domain::home::WeeklyPrice::new(5_500).ok();
    r
}

/// The planned referral with every answer the whole form adds: two districts to avoid with a
/// two-mile radius, a preferred district, school continuity, foster care preferred and a need the
/// home must meet.
fn whole_form() -> MatchRequest {
    use hearth_domain::PostcodeDistrict;
    use hearth_matching::Area;
    let area = |d: &str, de: i32, dn: i32| Area {
        district: PostcodeDistrict::parse(d).expect("a district"),
        centre: Some(GridRef { easting: B1.easting + de, northing: B1.northing + dn }),
    };
    let mut r = planned_referral();
    r.avoid = vec![area("B6", 1_500, 3_000), area("B7", 3_000, 1_500)];
    r.avoid_radius_miles = 2;
    r.preferred_area = Some(area("B15", -1_500, -2_000));
    r.school_continuity = true;
    r.preferred_kinds = hearth_matching::PlacementKinds::only(hearth_matching::PlacementKind::Foster);
    r.children[0].primary_needs = [Need::EmotionalBehavioural].into_iter().collect();
    r
}

/// "Search without a referral": a 14-year-old girl near B1, tonight.
fn same_day() -> MatchRequest {
    MatchRequest::quick(330, 14, Sex::Female, B1, SyntheticConfig::default().today)
}

fn main() {
    // What the timed searches see, once, on stderr.
    let count = |pred: &dyn Fn(HomeKind) -> bool| SUPPLY.homes.iter().filter(|h| pred(h.kind)).count();
    eprintln!(
        "supply: {} foster, {} children's homes, {} supported, {} residential schools, {} secure",
        count(&|k| k.is_foster()),
        count(&|k| k == HomeKind::ChildrensHome),
        count(&|k| k.is_supported_accommodation()),
        count(&|k| k == HomeKind::ResidentialSpecialSchool),
        count(&|k| k == HomeKind::SecureChildrensHome),
    );
    for (name, req) in
        [("planned_referral", planned_referral()), ("whole_form", whole_form()), ("same_day", same_day())]
    {
        let r = INDEX.rank(&req, &Weights::default(), LIMIT);
        eprintln!(
            "{name}: {} homes, {} vacancies, {} pass the hard rules, {} returned",
            INDEX.len(),
            INDEX.vacancy_count(),
            r.considered,
            r.matches.len()
        );
    }
    divan::main();
}

#[divan::bench]
fn rank_top50_planned_referral(bencher: Bencher) {
    let (index, req, weights) = (&*INDEX, planned_referral(), Weights::default());
    bencher.bench(|| index.rank(black_box(&req), black_box(&weights), LIMIT));
}

#[divan::bench]
fn rank_top50_whole_form(bencher: Bencher) {
    let (index, req, weights) = (&*INDEX, whole_form(), Weights::default());
    bencher.bench(|| index.rank(black_box(&req), black_box(&weights), LIMIT));
}

#[divan::bench]
fn rank_top50_same_day(bencher: Bencher) {
    let (index, req, weights) = (&*INDEX, same_day(), Weights::default());
    bencher.bench(|| index.rank(black_box(&req), black_box(&weights), LIMIT));
}

/// The same search as the quick search answers it by default: the two deciding sentences a home.
#[divan::bench]
fn rank_top50_same_day_deciding_reasons(bencher: Bencher) {
    let (index, req, weights) = (&*INDEX, same_day(), Weights::default());
    bencher.bench(|| index.rank_explained(black_box(&req), black_box(&weights), LIMIT, Explain::Deciding(2)));
}

/// The least a search must do: one pass over 60,000 compact records with a handful of filters
/// (active, kind, age, sex, a vacancy by the date), the distance for those that pass, and the
/// nearest 50 in a bounded heap; no rules attributed, no factors, no explanations.
mod baseline {
    use super::*;

    #[derive(Clone, Copy)]
    pub struct Plain {
        east: i32,
        north: i32,
        from: i32,
        places: u16,
        age_min: u8,
        age_max: u8,
        kind: u8,
        ok: bool,
    }

    pub static RECORDS: LazyLock<Vec<Plain>> = LazyLock::new(|| {
        let mut first: std::collections::HashMap<hearth_domain::HomeId, (i32, u16)> = Default::default();
        for v in &SUPPLY.vacancies {
            let day = i32::from(v.available_from.day_of_year()) + 366 * i32::from(v.available_from.year() - 2026);
            first.entry(v.home).or_insert((day, v.places));
        }
        SUPPLY
            .homes
            .iter()
            .map(|h| {
                let (from, places) = first.get(&h.id).copied().unwrap_or((i32::MAX, 0));
                Plain {
                    east: h.grid.easting,
                    north: h.grid.northing,
                    from,
                    places,
                    age_min: h.ages.min,
                    age_max: h.ages.max,
                    kind: HomeKind::ALL.iter().position(|k| *k == h.kind).unwrap_or(0) as u8,
                    ok: h.active && h.sex != hearth_domain::home::SexAccepted::FemaleOnly,
                }
            })
            .collect()
    });

    pub fn scan(records: &[Plain], age: u8, kinds: u16, start: i32, at: GridRef) -> Vec<(u64, u32)> {
        let mut heap: BinaryHeap<(u64, u32)> = BinaryHeap::with_capacity(LIMIT);
        for (i, r) in records.iter().enumerate() {
            if !r.ok || kinds & (1 << r.kind) == 0 || r.age_min > age || r.age_max < age {
                continue;
            }
            if r.places == 0 || r.from > start {
                continue;
            }
            let (de, dn) = (f64::from(r.east - at.easting), f64::from(r.north - at.northing));
            let d = de.hypot(dn) as u64;
            if heap.len() < LIMIT {
                heap.push((d, i as u32));
            } else if let Some(mut worst) = heap.peek_mut()
                && d < worst.0
            {
                *worst = (d, i as u32);
            }
        }
        let mut out = heap.into_vec();
        out.sort_unstable_by_key(|x| Reverse(Reverse(*x)));
        out
    }
}

#[divan::bench]
fn baseline_filtered_scan(bencher: Bencher) {
    let records = &*baseline::RECORDS;
    let kinds = [HomeKind::FosterInHouse, HomeKind::FosterAgency, HomeKind::ChildrensHome]
        .iter()
        .map(|k| 1u16 << HomeKind::ALL.iter().position(|x| x == k).unwrap_or(0))
        .fold(0, |m, b| m | b);
    let start = i32::from(SyntheticConfig::default().today.day_of_year()) + 1;
    bencher.bench(|| baseline::scan(black_box(records), black_box(9), kinds, start, B1));
}

/// Times one change at a time to a copy of the index, cycling through `items` (spread over the
/// supply, so no one home stays in cache): `change` edits the item and applies it.
fn each_change<T, R>(bencher: Bencher, items: Vec<T>, mut change: impl FnMut(&mut SupplyIndex, &mut T) -> R) {
    let mut index = INDEX.clone();
    let mut items = items;
    let mut k = 0usize;
    bencher.bench_local(|| {
        k = (k + 1) % items.len();
        change(&mut index, &mut items[k])
    });
}

/// One vacancy filled and reopened, alternately: what the store calls on every placement.
#[divan::bench(sample_size = 256)]
fn set_places(bencher: Bencher) {
    let today = SyntheticConfig::default().today;
    let items: Vec<(VacancyId, u16)> = SUPPLY.vacancies.iter().step_by(97).map(|v| (v.id, v.places)).collect();
    each_change(bencher, items, |index, (id, places)| {
        *places = u16::from(*places == 0);
        index.set_places(Target::Vacancy(black_box(*id)), *places, today)
    });
}

/// One vacancy replaced in full (places, date, ages, sex, price).
#[divan::bench(sample_size = 256)]
fn update_vacancy(bencher: Bencher) {
    let items: Vec<_> = SUPPLY.vacancies.iter().step_by(97).cloned().collect();
    each_change(bencher, items, |index, v| {
        v.places = u16::from(v.places == 0);
        index.update_vacancy(black_box(v))
    });
}

/// A home's details changed (the provider edited its skills).
#[divan::bench(sample_size = 256)]
fn upsert_home(bencher: Bencher) {
    let items: Vec<_> = SUPPLY.homes.iter().step_by(101).cloned().collect();
    each_change(bencher, items, |index, h| {
        h.skills = Skills::from_bits(h.skills.bits() ^ Skills::bit(Skill::Emergency));
        index.upsert_home(black_box(h));
    });
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn build_index(bencher: Bencher) {
    let supply = &*SUPPLY;
    let contracts = contracts();
    bencher.bench(|| SupplyIndex::build(black_box(&supply.homes), &supply.vacancies, contracts.clone()));
}
