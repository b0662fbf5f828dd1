//! A synthetic national supply for benchmarks and load tests: homes spread over England's grid extent
//! with a realistic mix of kinds and vacancies. Made-up records only; never mix them with real data.
//!
//! Deterministic for a seed (its own small generator, so the figures do not move when a random
//! number crate changes its streams).

use hearth_domain::contract::{Contract, ContractTier, Coverage};
use hearth_domain::council::WEST_MIDLANDS;
use hearth_domain::home::{
    AgeRange, Home, HomeKind, Judgement, RegistrationStatus, RiskRating, SexAccepted, Skill, Skills, Vacancy,
    WeeklyPrice,
};
use hearth_domain::org::{Organisation, OrganisationKind, Sector};
use hearth_domain::{ContractId, GridRef, HomeId, OrganisationId, PostcodeDistrict, VacancyId};
use jiff::ToSpan;
use jiff::civil::{Date, date};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct SyntheticConfig {
    pub homes: usize,
    pub seed: u64,
    /// "Today": vacancies open from here to two months on.
    pub today: Date,
}

impl Default for SyntheticConfig {
    /// England's scale: about 60,000 homes (45,000 foster households, 3,000 children's homes,
    /// 1,500 supported accommodation, the rest a mix).
    fn default() -> Self {
        Self { homes: 60_000, seed: 2026, today: date(2026, 11, 25) }
    }
}

/// A generated supply, in the shapes the store hands the index.
#[derive(Debug, Clone, Default)]
pub struct SyntheticSupply {
    pub organisations: Vec<Organisation>,
    pub homes: Vec<Home>,
    pub vacancies: Vec<Vacancy>,
    pub contracts: Vec<Contract>,
}

/// SplitMix64: tiny, fast and good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo + 1).max(1) as u64;
        lo + (self.next_u64() % span) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.range(0, items.len() as i64 - 1) as usize]
    }
}

/// Rough centres of the portal's councils (OS grid metres), in [`WEST_MIDLANDS`] order: the region is
/// denser than the rest of the country, as it is in the real register.
const REGION_CENTRES: [(i32, i32); 14] = [
    (407_000, 287_000),
    (433_500, 279_000),
    (393_000, 290_000),
    (400_000, 291_000),
    (417_000, 280_000),
    (401_000, 299_000),
    (391_000, 299_000),
    (395_000, 325_000),
    (388_000, 347_000),
    (350_000, 245_000),
    (388_000, 255_000),
    (350_000, 300_000),
    (368_000, 310_000),
    (428_000, 262_000),
];
/// Towns elsewhere in England: the rest of the supply clusters around these.
const OTHER_TOWNS: usize = 120;

const AGENCIES: i64 = 300;
const RESIDENTIAL_PROVIDERS: i64 = 600;
const SUPPORTED_PROVIDERS: i64 = 200;
const AGENCY_BASE: i64 = 1_000;
const RESIDENTIAL_BASE: i64 = 2_000;
const SUPPORTED_BASE: i64 = 3_000;
/// Councils outside the region run in-house foster carers too: one organisation per town.
const OTHER_COUNCIL_BASE: i64 = 5_000;

const SA_KINDS: [HomeKind; 6] = [
    HomeKind::SaSharedHouse,
    HomeKind::SaSingle,
    HomeKind::SaSupportedLodgings,
    HomeKind::SaStaffedShared,
    HomeKind::SaFloatingSupport,
    HomeKind::SaLowSupport,
];

fn kind_for(rng: &mut Rng, i: usize, n: usize) -> HomeKind {
    // Quotas scaled from 60,000: 45,000 foster, 3,000 children's homes, 1,500 supported; then a mix.
    let share = i as f64 / n as f64;
    let foster = |rng: &mut Rng| match rng.range(0, 99) {
        0..=47 => HomeKind::FosterAgency,
        48..=92 => HomeKind::FosterInHouse,
        _ => HomeKind::ConnectedPerson,
    };
    if share < 0.75 {
        foster(rng)
    } else if share < 0.80 {
        HomeKind::ChildrensHome
    } else if share < 0.825 {
        rng.pick(&SA_KINDS)
    } else {
        match rng.range(0, 99) {
            0..=39 => foster(rng),
            40..=64 => HomeKind::ChildrensHome,
            65..=84 => rng.pick(&SA_KINDS),
            85..=97 => HomeKind::ResidentialSpecialSchool,
            _ => HomeKind::SecureChildrensHome,
        }
    }
}

fn price(pounds: i64) -> WeeklyPrice {
    WeeklyPrice::new(pounds.clamp(1, i64::from(WeeklyPrice::MAX))).unwrap_or_else(|_| unreachable!("clamped"))
}

fn ages(rng: &mut Rng, kind: HomeKind) -> AgeRange {
    let (min, max) = match kind {
        k if k.is_supported_accommodation() => (16, 17),
        k if k.is_foster() => (rng.range(0, 5), rng.range(10, 17)),
        HomeKind::ChildrensHome => (rng.range(7, 12), 17),
        _ => (rng.range(8, 11), 17),
    };
    AgeRange { min: min as u8, max: max as u8 }
}

fn skills(rng: &mut Rng, kind: HomeKind) -> Skills {
    let residential = !kind.is_foster();
    let odds: [(Skill, f64, f64); 13] = [
        // (skill, foster household, residential)
        (Skill::Disability, 0.08, 0.12),
        (Skill::WheelchairAccess, 0.04, 0.08),
        (Skill::Teenagers, 0.40, 0.80),
        (Skill::ParentAndChild, 0.03, 0.01),
        (Skill::Emergency, 0.25, 0.15),
        (Skill::StepDown, 0.05, 0.05),
        (Skill::SiblingGroups, 0.20, 0.05),
        (Skill::Therapeutic, 0.10, 0.30),
        (Skill::EmotionalBehavioural, 0.30, 0.70),
        (Skill::Autism, 0.10, 0.20),
        (Skill::Exploitation, 0.10, 0.30),
        (Skill::Uasc, 0.05, 0.10),
        (Skill::RemandPace, 0.02, 0.05),
    ];
    odds.iter().filter(|(_, f, r)| rng.chance(if residential { *r } else { *f })).map(|(s, _, _)| *s).collect()
}

fn weekly_price(rng: &mut Rng, kind: HomeKind) -> WeeklyPrice {
    let (lo, hi) = match kind {
        HomeKind::FosterInHouse | HomeKind::ConnectedPerson => (380, 620),
        HomeKind::FosterAgency => (850, 1_150),
        HomeKind::ChildrensHome => (4_500, 8_000),
        HomeKind::SecureChildrensHome => (8_000, 12_000),
        HomeKind::ResidentialSpecialSchool => (5_000, 9_000),
        _ => (1_200, 2_500),
    };
    price(rng.range(lo, hi))
}

/// Generates a supply. About 15–30 % of homes have a vacancy (more in supported accommodation, fewer
/// in fostering), most open today, the rest within two months; one in twenty of those has a second.
pub fn national(config: SyntheticConfig) -> SyntheticSupply {
    let mut rng = Rng::new(config.seed);
    let mut out = SyntheticSupply { organisations: organisations(), ..SyntheticSupply::default() };
    let towns: Vec<(i32, i32)> =
        (0..OTHER_TOWNS).map(|_| (rng.range(150_000, 650_000) as i32, rng.range(20_000, 620_000) as i32)).collect();
    let districts = ["B1", "CV2", "WV10", "ST4", "HR1", "WR5", "SY1", "TF3", "DY1", "WS1", "M1", "LS6", "NE1", "BS3"];
    for i in 0..config.homes {
        let kind = kind_for(&mut rng, i, config.homes);
        // A sixth of the homes in the region, as in the real register's share around Birmingham.
        let in_region = rng.chance(1.0 / 6.0);
        let town = rng.range(0, OTHER_TOWNS as i64 - 1) as usize;
        let (centre, council) = if in_region {
            let c = rng.range(0, 13) as usize;
            (REGION_CENTRES[c], Some(c))
        } else {
            (towns[town], None)
        };
        // Two uniforms make a rough bell around the town centre, within about 15 km.
        let jitter = |rng: &mut Rng| (rng.range(-7_500, 7_500) + rng.range(-7_500, 7_500)) as i32;
        let grid = GridRef { easting: centre.0 + jitter(&mut rng), northing: centre.1 + jitter(&mut rng) };
        let (la_code, utla) = match council {
            Some(c) => (Some(WEST_MIDLANDS[c].la_code), WEST_MIDLANDS[c].ons_code.to_owned()),
            None => (None, format!("E99{town:06}")),
        };
        let provider = match kind {
            HomeKind::FosterInHouse | HomeKind::ConnectedPerson => match council {
                Some(c) => OrganisationId(c as i64 + 1),
                None => OrganisationId(OTHER_COUNCIL_BASE + town as i64),
            },
            HomeKind::FosterAgency => OrganisationId(AGENCY_BASE + rng.range(0, AGENCIES - 1)),
            k if k.is_supported_accommodation() => {
                OrganisationId(SUPPORTED_BASE + rng.range(0, SUPPORTED_PROVIDERS - 1))
            }
            _ => OrganisationId(RESIDENTIAL_BASE + rng.range(0, RESIDENTIAL_PROVIDERS - 1)),
        };
        let registration = if kind.requires_ofsted_registration() {
            match rng.range(0, 99) {
                0..=94 => RegistrationStatus::Registered,
                95..=97 => RegistrationStatus::Applied,
                _ => RegistrationStatus::Suspended,
            }
        } else {
            RegistrationStatus::NotRequired
        };
        let judgement = if kind.is_foster() {
            None
        } else {
            match rng.range(0, 99) {
                0..=14 => Some(Judgement::Outstanding),
                15..=74 => Some(Judgement::Good),
                75..=92 => Some(Judgement::RequiresImprovement),
                93..=96 => Some(Judgement::Inadequate),
                _ => None,
            }
        };
        let places = match kind {
            k if k.is_foster() => rng.range(1, 3),
            HomeKind::ChildrensHome => rng.range(2, 6),
            HomeKind::ResidentialSpecialSchool => rng.range(10, 40),
            HomeKind::SecureChildrensHome => rng.range(6, 12),
            _ => rng.range(1, 8),
        } as u16;
        let sex = match rng.range(0, 99) {
            0..=79 => SexAccepted::Any,
            80..=89 => SexAccepted::MaleOnly,
            _ => SexAccepted::FemaleOnly,
        };
        let home = Home {
            id: HomeId(i as i64 + 1),
            provider,
            kind,
            name: format!("Synthetic home {}", i + 1),
            urn: None,
            registration,
            judgement,
            last_inspected: None,
            risk: match rng.range(0, 9) {
                0..=5 => RiskRating::Low,
                6..=8 => RiskRating::Medium,
                _ => RiskRating::High,
            },
            la_code,
            utla,
            district: PostcodeDistrict::parse(rng.pick(&districts)).unwrap_or_else(|_| unreachable!("valid districts")),
            grid,
            places,
            ages: ages(&mut rng, kind),
            sex,
            skills: skills(&mut rng, kind),
            other_children: if kind.is_foster() { rng.range(0, 3) as u8 } else { 0 },
            pets: rng.chance(if kind.is_foster() { 0.4 } else { 0.05 }),
            weekly_price: weekly_price(&mut rng, kind),
            active: rng.chance(0.98),
        };
        let vacancy_odds = match kind {
            k if k.is_foster() => 0.15,
            k if k.is_supported_accommodation() => 0.30,
            HomeKind::ChildrensHome => 0.20,
            _ => 0.15,
        };
        let listed = if rng.chance(vacancy_odds) { if rng.chance(0.05) { 2 } else { 1 } } else { 0 };
        for _ in 0..listed {
            let days = if rng.chance(0.7) { 0 } else { rng.range(1, 60) };
            out.vacancies.push(Vacancy {
                id: VacancyId(out.vacancies.len() as i64 + 1),
                home: home.id,
                places: rng.range(1, i64::from(places.min(2))) as u16,
                available_from: config.today.checked_add(days.days()).unwrap_or(config.today),
                ages: home.ages,
                sex: home.sex,
                weekly_price: home.weekly_price,
            });
        }
        out.homes.push(home);
    }
    out.contracts = contracts(&mut rng);
    out
}

fn organisations() -> Vec<Organisation> {
    let org = |id: i64, kind, la_code, sector| Organisation {
        id: OrganisationId(id),
        kind,
        name: format!("Synthetic organisation {id}"),
        la_code,
        sector: Some(sector),
    };
    let councils = WEST_MIDLANDS
        .iter()
        .enumerate()
        .map(|(i, c)| org(i as i64 + 1, OrganisationKind::Council, Some(c.la_code), Sector::LocalAuthority));
    let providers = (0..AGENCIES)
        .map(|i| AGENCY_BASE + i)
        .chain((0..RESIDENTIAL_PROVIDERS).map(|i| RESIDENTIAL_BASE + i))
        .chain((0..SUPPORTED_PROVIDERS).map(|i| SUPPORTED_BASE + i))
        .map(|id| org(id, OrganisationKind::Provider, None, Sector::Private));
    councils.chain(providers).collect()
}

/// Each council: its in-house service, two block contracts with residential providers, and a
/// framework with about a third of the providers.
fn contracts(rng: &mut Rng) -> Vec<Contract> {
    let mut out = Vec::new();
    // Each contract is for a service, as councils buy them: fostering from councils' own services and
    // agencies, children's homes from residential providers.
    let fostering: Vec<HomeKind> = HomeKind::ALL.iter().copied().filter(|k| k.is_foster()).collect();
    let mut push = |la_code: u16, provider: i64, tier, pounds, kinds: &[HomeKind]| {
        out.push(Contract {
            id: ContractId(out.len() as i64 + 1),
            la_code,
            provider: OrganisationId(provider),
            tier,
            weekly_price: price(pounds),
            block_beds: if tier == ContractTier::Block { 4 } else { 0 },
            starts: date(2024, 4, 1),
            ends: Some(date(2028, 3, 31)),
            covers: Coverage { kinds: kinds.to_vec(), homes: Vec::new() },
        });
    };
    let residential = [HomeKind::ChildrensHome];
    for (i, c) in WEST_MIDLANDS.iter().enumerate() {
        push(c.la_code, i as i64 + 1, ContractTier::InHouse, 520, &fostering);
        for _ in 0..2 {
            let provider = RESIDENTIAL_BASE + rng.range(0, RESIDENTIAL_PROVIDERS - 1);
            push(c.la_code, provider, ContractTier::Block, 4_600, &residential);
        }
        for p in (0..AGENCIES).map(|i| AGENCY_BASE + i).filter(|p| p % 3 == 0) {
            push(c.la_code, p, ContractTier::Framework, 980, &[HomeKind::FosterAgency]);
        }
        for p in (0..RESIDENTIAL_PROVIDERS).map(|i| RESIDENTIAL_BASE + i).filter(|p| p % 3 == 0) {
            push(c.la_code, p, ContractTier::Framework, 5_400, &residential);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_supply_has_the_asked_for_shape() {
        let s = national(SyntheticConfig { homes: 6_000, ..SyntheticConfig::default() });
        assert_eq!(s.homes.len(), 6_000);
        let foster = s.homes.iter().filter(|h| h.kind.is_foster()).count();
        assert!((4_800..=5_050).contains(&foster), "{foster}");
        let with_vacancy = s.vacancies.len() as f64 / s.homes.len() as f64;
        assert!((0.12..0.30).contains(&with_vacancy), "{with_vacancy}");
        assert!(s.homes.iter().all(|h| (0..700_000).contains(&h.grid.easting)));
        // Deterministic for a seed.
        let again = national(SyntheticConfig { homes: 6_000, ..SyntheticConfig::default() });
        assert_eq!(again.homes[5_999], s.homes[5_999]);
    }
}
