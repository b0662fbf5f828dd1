//! A national-scale synthetic history for the benchmarks: England's size (150 councils, 80,000
//! children over ten years, about a million placements, 100,000 referrals a year), in roughly
//! England's shapes. Deterministic from its seed; nothing in it is real.

use crate::model::*;
use hearth_domain::contract::ContractTier;
use hearth_domain::council::Locality;
use hearth_domain::home::{HomeKind, Judgement};
use hearth_domain::offer::{DeclineReason, OfferStatus};
use hearth_domain::referral::{Need, ReferralStatus, Urgency};
use hearth_domain::{
    EthnicGroup, LegalStatus, PlaceProvider, PlacementGroup, PlacementType as T, ReasonPlaceChange, Sex,
};
use jiff::ToSpan;
use jiff::civil::Date;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

#[derive(Debug, Clone, Copy)]
pub struct SyntheticConfig {
    pub seed: u64,
    pub councils: u16,
    pub children: u32,
    pub years: i16,
    pub referrals_per_year: u32,
    /// Mean days a placement lasts (sets how many placements there are).
    pub mean_placement_days: u32,
    pub today: Date,
}

impl SyntheticConfig {
    /// The national scale.
    pub fn national() -> Self {
        Self {
            seed: 2026,
            councils: 150,
            children: 80_000,
            years: 10,
            referrals_per_year: 100_000,
            mean_placement_days: 90,
            today: jiff::civil::date(2026, 11, 25),
        }
    }
}

/// Placement types in roughly England's mix.
const TYPES: [(T, u32); 12] = [
    (T::U6, 34),
    (T::U4, 24),
    (T::U3, 8),
    (T::U1, 6),
    (T::K2, 11),
    (T::K3, 6),
    (T::P1, 5),
    (T::A4, 2),
    (T::S1, 1),
    (T::K1, 1),
    (T::R1, 1),
    (T::Z11, 1),
];

fn pick<X: Copy>(rng: &mut ChaCha8Rng, options: &[(X, u32)]) -> X {
    let total: u32 = options.iter().map(|o| o.1).sum();
    let mut roll = rng.random_range(0..total);
    for (x, w) in options {
        if roll < *w {
            return *x;
        }
        roll -= w;
    }
    options[0].0
}

fn days(d: Date, n: i64) -> Date {
    d.checked_add(n.days()).unwrap_or(d)
}

fn cost(rng: &mut ChaCha8Rng, t: T) -> Option<u32> {
    let (lo, hi) = match t.group() {
        PlacementGroup::Foster => (350, 1_150),
        PlacementGroup::ChildrensHomes => (3_800, 7_500),
        PlacementGroup::SupportedAccommodation => (400, 2_900),
        PlacementGroup::ResidentialSchools => (4_500, 6_500),
        _ => return None,
    };
    Some(rng.random_range(lo..=hi))
}

/// The whole synthetic history.
pub fn national(cfg: &SyntheticConfig) -> HistoryInput {
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let start = cfg.today.checked_sub(i64::from(cfg.years).years()).unwrap_or(cfg.today);
    let span_days = i64::from(cfg.years) * 365;
    let councils: Vec<CouncilFacts> = (0..cfg.councils)
        .map(|i| CouncilFacts {
            la_code: 100 + i,
            ons_code: format!("E09{:06}", i),
            name: format!("Synthetic council {}", i + 1),
            population_under_18: (2021..=2025).map(|y| (y, 25_000 + u32::from(i) * 700)).collect(),
        })
        .collect();
    let providers: Vec<ProviderRecord> =
        (0..3_000).map(|i| ProviderRecord { name: format!("Synthetic provider {}", i + 1) }).collect();
    let homes: Vec<HomeRecord> = (0..25_000u32)
        .map(|i| HomeRecord {
            provider: i % 3_000,
            kind: [HomeKind::FosterAgency, HomeKind::FosterInHouse, HomeKind::ChildrensHome, HomeKind::SaSharedHouse]
                [(i % 4) as usize],
            la_code: Some(councils[(i % u32::from(cfg.councils)) as usize].la_code),
            places: 1 + (i % 4) as u16,
            active: i % 17 != 0,
            judgement: [
                Some(Judgement::Good),
                Some(Judgement::Outstanding),
                Some(Judgement::RequiresImprovement),
                None,
            ][(i % 4) as usize],
        })
        .collect();

    let mut children = Vec::with_capacity(cfg.children as usize);
    let mut placements = Vec::new();
    let mut legal_statuses = Vec::new();
    for c in 0..cfg.children {
        let la_code = councils[rng.random_range(0..councils.len())].la_code;
        let since = days(start, rng.random_range(-365..span_days - 1));
        let dob = days(since, -rng.random_range(0..17 * 365));
        // Care lasts until 18 at the latest; some children are still looked after today.
        let eighteen = days(dob, 18 * 365);
        let length = rng.random_range(60..(6 * 365));
        let ends = days(since, length).min(eighteen);
        let ceased = (ends <= cfg.today).then_some(ends);
        children.push(ChildRecord {
            la_code,
            date_of_birth: dob,
            sex: if rng.random_bool(0.56) { Sex::Male } else { Sex::Female },
            ethnic_group: pick(
                &mut rng,
                &[
                    (EthnicGroup::White, 72),
                    (EthnicGroup::Mixed, 11),
                    (EthnicGroup::Asian, 5),
                    (EthnicGroup::Black, 7),
                    (EthnicGroup::Other, 4),
                    (EthnicGroup::NotKnown, 1),
                ],
            ),
            uasc: rng.random_bool(0.07),
            looked_after_since: since,
            ceased_on: ceased,
        });
        legal_statuses.push(LegalRecord {
            child: c,
            from: since,
            legal_status: pick(
                &mut rng,
                &[
                    (LegalStatus::C2, 60),
                    (LegalStatus::C1, 15),
                    (LegalStatus::V2, 15),
                    (LegalStatus::E1, 6),
                    (LegalStatus::J1, 2),
                    (LegalStatus::V3, 2),
                ],
            ),
        });
        let mut from = since;
        let last = ceased.unwrap_or(cfg.today);
        loop {
            let t = pick(&mut rng, &TYPES);
            let stay = rng.random_range(1..=2 * i64::from(cfg.mean_placement_days));
            let to = days(from, stay);
            let end = if to >= last { ceased } else { Some(to) };
            let home = rng.random_range(0..homes.len() as u32);
            placements.push(PlacementRecord {
                child: c,
                start: from,
                end,
                placement_type: t,
                provider: pick(
                    &mut rng,
                    &[
                        (PlaceProvider::Pr1, 40),
                        (PlaceProvider::Pr4, 45),
                        (PlaceProvider::Pr5, 10),
                        (PlaceProvider::Pr2, 5),
                    ],
                ),
                provider_org: Some(homes[home as usize].provider),
                tier: Some(pick(
                    &mut rng,
                    &[
                        (ContractTier::InHouse, 40),
                        (ContractTier::Block, 10),
                        (ContractTier::Framework, 30),
                        (ContractTier::Spot, 20),
                    ],
                )),
                locality: Some(pick(
                    &mut rng,
                    &[(Locality::InsideCouncil, 58), (Locality::NeighbouringCouncil, 25), (Locality::Further, 17)],
                )),
                distance: if rng.random_bool(0.03) { UNKNOWN_DISTANCE } else { rng.random_range(0..600) },
                weekly_cost: cost(&mut rng, t),
                reason_change: end.filter(|_| to < last).map(|_| {
                    pick(
                        &mut rng,
                        &[
                            (ReasonPlaceChange::Carpl, 50),
                            (ReasonPlaceChange::Creqb, 15),
                            (ReasonPlaceChange::Place, 10),
                            (ReasonPlaceChange::Child, 10),
                            (ReasonPlaceChange::Other, 15),
                        ],
                    )
                }),
                planned_ending: end.map(|_| rng.random_bool(0.7)),
            });
            if to >= last {
                break;
            }
            from = to;
        }
    }

    let total_referrals = cfg.referrals_per_year as usize * cfg.years as usize;
    let mut referrals = Vec::with_capacity(total_referrals);
    let mut offers = Vec::new();
    let mut declines = Vec::new();
    let start_ts = jiff::tz::TimeZone::UTC.to_timestamp(start.at(0, 0, 0, 0)).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let span_secs = span_days * 86_400;
    let mut created: Vec<i64> = (0..total_referrals).map(|_| rng.random_range(0..span_secs)).collect();
    created.sort_unstable();
    for (i, secs) in created.into_iter().enumerate() {
        let at = |s: i64| start_ts.checked_add(jiff::SignedDuration::from_secs(s)).unwrap_or(start_ts);
        let made = at(secs);
        let recent = span_secs - secs < 14 * 86_400;
        let status = if recent {
            pick(&mut rng, &[(ReferralStatus::Open, 2), (ReferralStatus::Offers, 2), (ReferralStatus::Placed, 6)])
        } else {
            pick(
                &mut rng,
                &[
                    (ReferralStatus::Placed, 80),
                    (ReferralStatus::Unmet, 12),
                    (ReferralStatus::Withdrawn, 6),
                    (ReferralStatus::Draft, 2),
                ],
            )
        };
        let n_needs = rng.random_range(1..=4);
        let needs: Vec<Need> = (0..n_needs).map(|_| Need::ALL[rng.random_range(0..Need::ALL.len())]).collect();
        let sent = secs + rng.random_range(60..3_600);
        let t = pick(&mut rng, &TYPES);
        let r = u32::try_from(i).unwrap_or(u32::MAX);
        let n_offers = rng.random_range(0..=3);
        for k in 0..n_offers {
            let home = rng.random_range(0..homes.len() as u32);
            // The first offer on a placed referral is the one accepted; the others closed with it.
            let status = match (status, k) {
                (ReferralStatus::Placed, 0) => OfferStatus::Accepted,
                (s, _) if s.is_live() => OfferStatus::Made,
                // A draft's offers cannot exist; drawn anyway, they lapse as a closed referral's do.
                (s, _) => OfferStatus::when_referral_becomes(s).unwrap_or(OfferStatus::Lapsed),
            };
            offers.push(OfferRecord {
                referral: r,
                provider: homes[home as usize].provider,
                home,
                weekly_price: cost(&mut rng, t).unwrap_or(900),
                made_at: at(sent + rng.random_range(600..172_800)),
                status,
            });
        }
        for _ in 0..rng.random_range(1..=4) {
            declines.push(DeclineRecord {
                referral: r,
                provider: rng.random_range(0..3_000),
                reason: pick(
                    &mut rng,
                    &[
                        (DeclineReason::NoVacancy, 42),
                        (DeclineReason::CannotMeetNeeds, 24),
                        (DeclineReason::ImpactOnCurrentChildren, 12),
                        (DeclineReason::Location, 8),
                        (DeclineReason::Other, 6),
                        (DeclineReason::Staffing, 5),
                        (DeclineReason::Price, 3),
                    ],
                ),
                declined_at: at(sent + rng.random_range(600..172_800)),
            });
        }
        let la_code = councils[rng.random_range(0..councils.len())].la_code;
        referrals.push(ReferralRecord {
            la_code,
            created_at: made,
            needed_from: made.to_zoned_datetime(jiff::tz::TimeZone::UTC).date(),
            urgency: pick(&mut rng, &[(Urgency::SameDay, 30), (Urgency::Within72Hours, 25), (Urgency::Planned, 45)]),
            needs,
            status,
            closed_at: status.is_closed().then(|| at(sent + rng.random_range(3_600..30 * 86_400))),
            first_sent_at: Some(at(sent)),
            age: rng.random_range(0..18),
            children: 1,
            area_la: la_code,
            sought: Some(t.group()).filter(|_| rng.random_bool(0.8)),
        });
    }

    let mut contracts = Vec::new();
    for c in &councils {
        for k in 0..20u32 {
            contracts.push(ContractRecord {
                la_code: c.la_code,
                provider: (u32::from(c.la_code) * 7 + k * 13) % 3_000,
                tier: [ContractTier::Block, ContractTier::Framework, ContractTier::Spot, ContractTier::Framework]
                    [(k % 4) as usize],
                weekly_price: 1_000 + k * 150,
                block_beds: if k % 4 == 0 { 2 + (k % 5) as u16 } else { 0 },
                starts: start,
                ends: None,
            });
        }
    }
    let vacancies = (0..2_000u32)
        .map(|i| VacancyRecord {
            home: (i * 11) % homes.len() as u32,
            places: 1 + (i % 2) as u16,
            available_from: cfg.today,
        })
        .collect();
    HistoryInput {
        records_from: start,
        today: cfg.today,
        councils,
        children,
        placements,
        legal_statuses,
        referrals,
        offers,
        declines,
        homes,
        providers,
        contracts,
        vacancies,
    }
}
