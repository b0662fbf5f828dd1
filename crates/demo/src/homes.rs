//! The homes: Ofsted's registered settings placed on the map, and the foster households and
//! supported-accommodation settings that have no public list, made as children need them.
//!
//! Ofsted withholds children's homes' addresses. Each is put at a real postcode inside its council,
//! and inside the district council that holds its parliamentary constituency where the council is a
//! county (see [`CONSTITUENCY_DISTRICTS`]); the choice depends only on the URN, so a home stays put
//! whatever the demo's seed. Schools and agencies keep their published postcodes. The national
//! secure homes lie outside the region and sit at a postcode-district centroid in their council.

use crate::orgs::Orgs;
use crate::profile::{self, cost};
use crate::space::{Area, Reach, Space, meets};
use crate::util::{DemoRng, between, chance, jitter, shuffle, stream, weighted};
use hearth_domain::council::WEST_MIDLANDS;
use hearth_domain::home::{
    AgeRange, Home, HomeKind, Judgement, RegistrationStatus, RiskRating, SexAccepted, Skill, Skills, WeeklyPrice,
};
use hearth_domain::{GridRef, HomeId, PlaceProvider, PostcodeDistrict, Sex};
use hearth_reference::ofsted::{self, Provider, ProvisionType};
use hearth_reference::{Gazetteer, la};
use rand::Rng;
use std::collections::BTreeMap;

/// The end of a placement that has not ended.
pub const OPEN: i32 = i32::MAX;

/// Homes stay where they are whatever the configured seed: their own stream.
const LOCATION_SEED: u64 = 0x4845_4152_5448;

/// Pre-2024 parliamentary constituencies in the three county councils with registered homes, and
/// the district council(s) holding them (a constituency split between districts names each; the
/// boundaries are the 2010 ones Ofsted's 2023 register uses). Unitary and metropolitan councils
/// are one district each, so their constituencies narrow nothing at this level.
pub const CONSTITUENCY_DISTRICTS: [(&str, &[&str]); 22] = [
    ("Burton", &["E07000193"]),
    ("Cannock Chase", &["E07000192"]),
    ("Lichfield", &["E07000194"]),
    ("Newcastle-under-Lyme", &["E07000195"]),
    ("South Staffordshire", &["E07000196"]),
    ("Stafford", &["E07000197"]),
    ("Staffordshire Moorlands", &["E07000198"]),
    ("Stoke-on-Trent North", &["E07000195"]),
    ("Stone", &["E07000197", "E07000195", "E07000198"]),
    ("Tamworth", &["E07000199", "E07000194"]),
    ("Kenilworth and Southam", &["E07000222", "E07000221"]),
    ("North Warwickshire", &["E07000218", "E07000219"]),
    ("Nuneaton", &["E07000219"]),
    ("Rugby", &["E07000220"]),
    ("Stratford-on-Avon", &["E07000221"]),
    ("Warwick and Leamington", &["E07000222"]),
    ("Bromsgrove", &["E07000234"]),
    ("Mid Worcestershire", &["E07000238"]),
    ("Redditch", &["E07000236"]),
    ("West Worcestershire", &["E07000235", "E07000238"]),
    ("Worcester", &["E07000237"]),
    ("Wyre Forest", &["E07000239"]),
];

/// What the generator knows about a home beyond the domain record.
#[derive(Debug, Clone)]
pub struct Book {
    /// The home's postcode in the gazetteer (`None` outside the region).
    pub postcode: Option<u32>,
    /// Places our children may fill: registered places less those held free today.
    pub cap: u16,
    /// Places advertised free today (registered settings).
    pub held_free: u16,
    /// Our children's stays, `[start, end)` in day offsets; `end` is [`OPEN`] for current ones.
    pub stays: Vec<(i32, i32)>,
    pub owner: usize,
    /// Places taken by young people the demo does not hold (care leavers over 18 in supported
    /// accommodation, children from outside the 14 councils).
    pub others: u16,
    /// False for short-break-only and suspended homes: no looked-after placements there.
    pub placeable: bool,
}

/// An agency office, for choosing agencies near a council.
#[derive(Debug, Clone)]
pub struct AgencyOffice {
    pub org: usize,
    pub urn: String,
    pub grid: GridRef,
    pub voluntary: bool,
}

/// Everything a home search needs to know about the child (or sibling group).
#[derive(Debug, Clone, Copy)]
pub struct Seeker {
    pub la_code: u16,
    pub utla: &'static str,
    /// Where the child lived (DfE's HOME_POST), when known.
    pub home: Option<GridRef>,
    pub age: i16,
    pub sex: Sex,
    pub uasc: bool,
    pub count: u16,
}

/// Where a placement must be: which councils, and how far from the child's home.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub inside: Option<bool>,
    pub reach: Reach,
}

impl Rule {
    pub const ANY: Rule = Rule { inside: None, reach: Reach::Any };

    pub fn area(self, utla: &str) -> Area<'_> {
        match self.inside {
            Some(true) => Area::Inside(utla),
            Some(false) => Area::Outside(utla),
            None => Area::Anywhere,
        }
    }
}

#[derive(Debug)]
pub struct Homes {
    pub list: Vec<Home>,
    pub books: Vec<Book>,
    /// Households and supported settings by (kind, council ONS code, owner for in-house carers),
    /// for reuse: an in-house carer works for one council, an agency's carers are pooled.
    households: BTreeMap<(HomeKind, &'static str, Option<usize>), Vec<usize>>,
    pub residential: Vec<usize>,
    pub schools: Vec<usize>,
    pub secure: Vec<usize>,
    pub offices: Vec<AgencyOffice>,
}

fn judgement_risk(j: Option<Judgement>) -> RiskRating {
    match j {
        Some(Judgement::Outstanding | Judgement::Good) => RiskRating::Low,
        Some(Judgement::Inadequate) => RiskRating::High,
        _ => RiskRating::Medium,
    }
}

fn age_range(min: u8, max: u8) -> AgeRange {
    AgeRange::new(min.min(max), max.min(17)).unwrap_or(AgeRange { min: 0, max: 17 })
}

fn price(pounds: i64) -> WeeklyPrice {
    WeeklyPrice::new(pounds.clamp(1, i64::from(WeeklyPrice::MAX))).unwrap_or_else(|_| unreachable!("clamped"))
}

fn pool_owner(kind: HomeKind, owner: usize) -> Option<usize> {
    (kind == HomeKind::FosterInHouse).then_some(owner)
}

fn la_of_utla(utla: &str) -> Option<u16> {
    WEST_MIDLANDS.iter().find(|c| c.ons_code == utla).map(|c| c.la_code)
}

impl Homes {
    pub fn new(space: &Space, orgs: &Orgs) -> Self {
        let mut homes = Self {
            list: Vec::new(),
            books: Vec::new(),
            households: BTreeMap::new(),
            residential: Vec::new(),
            schools: Vec::new(),
            secure: Vec::new(),
            offices: Vec::new(),
        };
        for p in ofsted::providers() {
            let Some(owner) = orgs.owner(&p.owner) else { continue };
            if p.provision_type == ProvisionType::IndependentFosteringAgency {
                homes.add_office(space.g, orgs, p, owner);
            } else {
                homes.add_registered(space, orgs, p, owner);
            }
        }
        homes
    }

    fn add_office(&mut self, g: &Gazetteer, orgs: &Orgs, p: &Provider, owner: usize) {
        // A council's own agency (a trust's, or Worcestershire Children First) supplies the URN of
        // that council's in-house households rather than competing with independent agencies.
        if orgs.list[owner].la_code.is_some() {
            return;
        }
        let grid = p
            .postcode
            .as_ref()
            .and_then(|pc| g.lookup(pc))
            .map(|u| u.grid)
            .or_else(|| p.postcode_district.as_ref().and_then(|d| g.district(d.as_str())).map(|d| d.grid));
        let Some(grid) = grid else { return };
        let voluntary = orgs.list[owner].sector == Some(hearth_domain::org::Sector::Voluntary);
        self.offices.push(AgencyOffice { org: owner, urn: p.urn.clone(), grid, voluntary });
    }

    /// A registered setting's location: its published postcode, else a postcode in its council
    /// (and constituency's district), else (outside the region) a district centroid in its council.
    fn locate(
        space: &Space,
        p: &Provider,
        rng: &mut DemoRng,
    ) -> Option<(Option<u32>, GridRef, String, PostcodeDistrict)> {
        let g = space.g;
        if let Some(u) = p.postcode.as_ref().and_then(|pc| g.lookup(pc)) {
            return Some((Some(u.index), u.grid, u.utla_code.to_owned(), u.to_district()));
        }
        let council = la::by_name(&p.local_authority)?;
        let pool = g.indices_in_council(&council.ons_code);
        if !pool.is_empty() {
            let county = council.ons_code.starts_with("E10");
            let districts =
                CONSTITUENCY_DISTRICTS.iter().find(|(c, _)| county && *c == p.constituency).map(|(_, d)| *d);
            let mut chosen = pool[rng.random_range(0..pool.len())];
            if let Some(lads) = districts {
                for _ in 0..400 {
                    let i = pool[rng.random_range(0..pool.len())];
                    if g.unit(i).is_some_and(|u| lads.contains(&u.lad_code)) {
                        chosen = i;
                        break;
                    }
                }
            }
            let u = g.unit(chosen)?;
            return Some((Some(u.index), u.grid, u.utla_code.to_owned(), u.to_district()));
        }
        let candidates: Vec<_> =
            g.districts().iter().filter(|d| d.main_utla_code.as_deref() == Some(council.ons_code.as_str())).collect();
        if candidates.is_empty() {
            return None;
        }
        let d = candidates[rng.random_range(0..candidates.len())];
        let district = PostcodeDistrict::parse(&d.district).ok()?;
        Some((None, d.grid, council.ons_code.clone(), district))
    }

    fn add_registered(&mut self, space: &Space, orgs: &Orgs, p: &Provider, owner: usize) {
        let mut rng = stream(LOCATION_SEED, &p.urn, 0);
        let Some((postcode, grid, utla, district)) = Self::locate(space, p, &mut rng) else { return };
        let kind = match p.provision_type {
            ProvisionType::ResidentialSpecialSchool => HomeKind::ResidentialSpecialSchool,
            ProvisionType::SecureChildrensHome => HomeKind::SecureChildrensHome,
            _ => HomeKind::ChildrensHome,
        };
        let places = p.places.unwrap_or(4).max(1);
        let sector = orgs.list[owner].sector.unwrap_or(hearth_domain::org::Sector::Private);
        let la_council = orgs.list[owner].la_code.is_some() && sector == hearth_domain::org::Sector::LocalAuthority;
        let dual = p.provision_type == ProvisionType::ResidentialSpecialSchoolChildrensHome;
        // Registrations state ages and needs; the register does not publish them, so they are drawn
        // from what such homes commonly take.
        let (ages, mut skills, base) = match kind {
            HomeKind::SecureChildrensHome => (
                age_range(10, 17),
                Skills::empty().with(Skill::RemandPace).with(Skill::Exploitation).with(Skill::Therapeutic),
                cost::SECURE,
            ),
            HomeKind::ResidentialSpecialSchool => (
                age_range(weighted(&mut rng, &[(7, 0.4), (8, 0.3), (11, 0.3)]), 17),
                Skills::empty().with(Skill::Disability).with(Skill::Autism),
                cost::RESIDENTIAL_SCHOOL,
            ),
            _ => {
                let min = if p.short_break_only || dual {
                    5
                } else {
                    weighted(&mut rng, &[(8, 0.3), (10, 0.35), (11, 0.2), (12, 0.15)])
                };
                let skills = Skills::empty().with(Skill::EmotionalBehavioural).with(Skill::Teenagers);
                let base = if la_council { cost::IN_HOUSE_RESIDENTIAL } else { cost::SPOT_RESIDENTIAL };
                (age_range(min, 17), skills, base)
            }
        };
        if p.short_break_only || dual {
            skills = skills.with(Skill::Disability).with(Skill::Autism);
        }
        for (skill, share) in [
            (Skill::Therapeutic, 0.3),
            (Skill::Exploitation, 0.25),
            (Skill::Autism, 0.2),
            (Skill::Emergency, 0.1),
            (Skill::WheelchairAccess, 0.05),
        ] {
            if chance(&mut rng, share) {
                skills = skills.with(skill);
            }
        }
        let sex = weighted(
            &mut rng,
            &[(SexAccepted::Any, 0.86), (SexAccepted::MaleOnly, 0.09), (SexAccepted::FemaleOnly, 0.05)],
        );
        let held_free = (0..places).filter(|_| chance(&mut rng, profile::RESIDENTIAL_VACANCY_RATE)).count() as u16;
        let registration = p.registration_status;
        let placeable = registration == RegistrationStatus::Registered && !p.short_break_only;
        let name = match (&p.name, kind) {
            (Some(n), _) => n.clone(),
            (None, HomeKind::SecureChildrensHome) => {
                format!("Secure children's home, {} ({})", p.local_authority, p.urn)
            }
            (None, _) if p.short_break_only => format!("Short-break children's home, {} ({})", p.constituency, p.urn),
            (None, _) if dual => {
                format!("Residential special school and children's home, {} ({})", p.constituency, p.urn)
            }
            (None, _) => format!("Children's home, {} ({})", p.constituency, p.urn),
        };
        let home = Home {
            id: HomeId(0),
            provider: orgs.list[owner].id,
            kind,
            name,
            urn: Some(p.urn.clone()),
            registration,
            judgement: p.judgement,
            last_inspected: p.inspection_date,
            risk: judgement_risk(p.judgement),
            la_code: la_of_utla(&utla),
            utla,
            district,
            grid,
            places,
            ages,
            sex,
            skills,
            other_children: 0,
            pets: chance(&mut rng, 0.1),
            weekly_price: price(jitter(&mut rng, base, 0.15)),
            active: registration == RegistrationStatus::Registered,
        };
        let cap = places.saturating_sub(held_free);
        let book = Book { postcode, cap, held_free, stays: Vec::new(), owner, others: 0, placeable };
        let i = self.push(home, book);
        match kind {
            HomeKind::ResidentialSpecialSchool => self.schools.push(i),
            HomeKind::SecureChildrensHome => self.secure.push(i),
            _ => self.residential.push(i),
        }
    }

    fn push(&mut self, mut home: Home, book: Book) -> usize {
        home.id = HomeId(self.list.len() as i64 + 1);
        self.list.push(home);
        self.books.push(book);
        self.list.len() - 1
    }

    /// Whether `home` can take `who` for `[start, end)`: open to placements, the right age and sex,
    /// and a free place for each child on every day of the stay.
    pub fn fits(&self, home: usize, who: &Seeker, start: i32, end: i32) -> bool {
        let h = &self.list[home];
        let b = &self.books[home];
        let sex_ok = match h.sex {
            SexAccepted::Any => true,
            SexAccepted::MaleOnly => who.sex == Sex::Male,
            SexAccepted::FemaleOnly => who.sex == Sex::Female,
        };
        // Counting every overlapping stay overstates the busiest day, which errs on the safe side.
        let busy = b.stays.iter().filter(|(s, e)| *s < end && start < *e).count();
        b.placeable && sex_ok && h.ages.contains(who.age) && busy + usize::from(who.count) <= usize::from(b.cap)
    }

    pub fn occupy(&mut self, home: usize, count: u16, start: i32, end: i32) {
        for _ in 0..count {
            self.books[home].stays.push((start, end));
        }
    }

    /// Whether `home` is where `rule` allows, seen from `who`'s home.
    pub fn meets(&self, home: usize, who: &Seeker, rule: Rule) -> bool {
        let h = &self.list[home];
        meets(rule.area(who.utla), who.home, rule.reach, &h.utla, h.grid)
    }

    /// A registered setting from `pool` for `who`: the first (in a random order) that fits, meets
    /// the rule and whose owner passes `owner_ok`. `None` when there is none.
    pub fn find_registered(
        &self,
        rng: &mut DemoRng,
        pool: &[usize],
        who: &Seeker,
        rule: Rule,
        stay: (i32, i32),
        owner_ok: &dyn Fn(usize) -> bool,
    ) -> Option<usize> {
        let mut order: Vec<usize> = pool.to_vec();
        shuffle(rng, &mut order);
        order
            .into_iter()
            .find(|&h| owner_ok(self.books[h].owner) && self.meets(h, who, rule) && self.fits(h, who, stay.0, stay.1))
    }

    /// A foster household or supported setting for `who`: one already on the books, in the council
    /// the rule points to, whose owner passes `reuse` and where a place is free; or else a new one of
    /// `owner` at a postcode meeting `rule`.
    #[allow(clippy::too_many_arguments)]
    pub fn household(
        &mut self,
        rng: &mut DemoRng,
        space: &Space,
        orgs: &Orgs,
        kind: HomeKind,
        reuse: &dyn Fn(usize) -> bool,
        owner: (usize, Option<&str>),
        who: &Seeker,
        rule: Rule,
        stay: (i32, i32),
    ) -> usize {
        let area = rule.area(who.utla);
        let at = space.pick(rng, area, who.home, rule.reach).unwrap_or(0);
        let utla = space.utla(at);
        // Connected carers are the child's own family: never someone else's household.
        let pool = self.households.get(&(kind, utla, pool_owner(kind, owner.0)));
        if let Some(list) = pool.filter(|_| kind != HomeKind::ConnectedPerson) {
            for _ in 0..16 {
                let h = list[rng.random_range(0..list.len())];
                if reuse(self.books[h].owner) && self.fits(h, who, stay.0, stay.1) && self.meets(h, who, rule) {
                    self.occupy(h, who.count, stay.0, stay.1);
                    return h;
                }
            }
        }
        let h = self.new_household(rng, space, orgs, kind, owner.0, who, at, owner.1);
        self.occupy(h, who.count, stay.0, stay.1);
        h
    }

    /// Adds supported settings of `kind` in a council until it has `target` places, every new place
    /// taken by someone the demo does not hold except a few left free.
    #[allow(clippy::too_many_arguments)]
    pub fn top_up_supported(
        &mut self,
        rng: &mut DemoRng,
        space: &Space,
        orgs: &Orgs,
        who: &Seeker,
        kind: HomeKind,
        target: u32,
        owner: &mut dyn FnMut(&mut DemoRng) -> usize,
    ) {
        let have = |homes: &Self| -> u32 {
            homes.list.iter().filter(|h| h.kind == kind && h.utla == who.utla).map(|h| u32::from(h.places)).sum()
        };
        let mut total = have(self);
        while total < target {
            let Some(at) = space.g.random_in_council(rng, who.utla).map(|u| u.index) else { return };
            let o = owner(rng);
            let h = self.new_household(rng, space, orgs, kind, o, who, at, None);
            let places = self.list[h].places;
            let free = (0..places).filter(|_| chance(rng, profile::RESIDENTIAL_VACANCY_RATE)).count() as u16;
            self.books[h].others = places - free;
            total += u32::from(places);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn new_household(
        &mut self,
        rng: &mut DemoRng,
        space: &Space,
        orgs: &Orgs,
        kind: HomeKind,
        owner: usize,
        who: &Seeker,
        at: u32,
        urn: Option<&str>,
    ) -> usize {
        let unit = space.g.unit(at).expect("picked postcodes exist");
        let age = u8::try_from(who.age.clamp(0, 17)).unwrap_or(0);
        let need = i32::from(who.count);
        let org = &orgs.list[owner];
        let (places, ages, base, label) = match kind {
            HomeKind::ConnectedPerson => {
                (need, age_range(0, 17), cost::CONNECTED_PERSON, "Family and friends carers".to_owned())
            }
            HomeKind::FosterInHouse | HomeKind::FosterAgency => {
                let places = weighted(rng, &[(1, 0.3), (2, 0.42), (3, 0.22), (4, 0.06)]).max(need);
                // Carers are approved for a band of ages around the children they take.
                let lo = age.saturating_sub(between(rng, 3, 10) as u8);
                let hi = age.saturating_add(between(rng, 3, 10) as u8);
                let (base, label) = if kind == HomeKind::FosterInHouse {
                    (cost::IN_HOUSE_FOSTERING, format!("{} foster carers", org.name))
                } else {
                    (cost::IFA, format!("{} foster carers", org.name))
                };
                (places, age_range(lo, hi), base, label)
            }
            _ => {
                let (lo, hi) = profile::supported_places(kind);
                (
                    between(rng, lo, hi).max(need),
                    age_range(16, 17),
                    profile::supported_cost(kind),
                    kind.label().to_owned(),
                )
            }
        };
        let mut skills = Skills::empty();
        if kind.is_foster() && kind != HomeKind::ConnectedPerson {
            for (skill, share) in [
                (Skill::Emergency, 0.15),
                (Skill::SiblingGroups, if places >= 2 { 0.5 } else { 0.0 }),
                (Skill::StepDown, 0.1),
                (Skill::Therapeutic, if kind == HomeKind::FosterAgency { 0.15 } else { 0.05 }),
                (Skill::Disability, 0.06),
                (Skill::ParentAndChild, 0.03),
            ] {
                if chance(rng, share) {
                    skills = skills.with(skill);
                }
            }
            if age >= 11 {
                skills = skills.with(Skill::Teenagers);
            }
        }
        if kind.is_supported_accommodation() {
            skills = skills.with(Skill::Teenagers);
            if chance(rng, 0.1) {
                skills = skills.with(Skill::Exploitation);
            }
        }
        if who.uasc {
            skills = skills.with(Skill::Uasc);
        }
        if who.count >= 2 {
            skills = skills.with(Skill::SiblingGroups);
        }
        let foster = kind.is_foster();
        let district = unit.to_district();
        let home = Home {
            id: HomeId(0),
            provider: org.id,
            kind,
            name: format!("{label}, {} (H{})", district.as_str(), self.list.len() + 1),
            urn: urn.map(str::to_owned),
            registration: if foster { RegistrationStatus::NotRequired } else { RegistrationStatus::Registered },
            judgement: None,
            last_inspected: None,
            risk: if foster || chance(rng, 0.8) { RiskRating::Low } else { RiskRating::Medium },
            la_code: la_of_utla(unit.utla_code),
            utla: unit.utla_code.to_owned(),
            district,
            grid: unit.grid,
            places: places as u16,
            ages,
            sex: SexAccepted::Any,
            skills,
            other_children: if foster { weighted(rng, &[(0, 0.4), (1, 0.35), (2, 0.2), (3, 0.05)]) } else { 0 },
            pets: foster && chance(rng, 0.45),
            weekly_price: price(jitter(rng, base, 0.1)),
            active: true,
        };
        let book = Book {
            postcode: Some(at),
            cap: places as u16,
            held_free: 0,
            stays: Vec::new(),
            owner,
            others: 0,
            placeable: true,
        };
        let i = self.push(home, book);
        self.households.entry((kind, unit.utla_code, pool_owner(kind, owner))).or_default().push(i);
        i
    }

    /// An independent fostering agency for a council: agencies nearer the council are likelier.
    pub fn agency(&self, rng: &mut DemoRng, council_centre: GridRef, voluntary: bool) -> Option<&AgencyOffice> {
        let weights: Vec<(usize, f64)> = self
            .offices
            .iter()
            .enumerate()
            .filter(|(_, o)| o.voluntary == voluntary)
            .map(|(i, o)| (i, 1.0 / (1.0 + council_centre.raw_miles_to(o.grid) / 15.0)))
            .collect();
        if weights.is_empty() {
            return None;
        }
        Some(&self.offices[weighted(rng, &weights)])
    }

    /// Places children's homes could give one council's children today, per DfE provider column
    /// (PR0, PR1, PR2, PR3, PR4, PR5, not reported): all of its own homes' places, `share` of other
    /// councils' and voluntary homes' (they serve everyone), and no limit on private homes, which
    /// are most of the market and take children from across England.
    pub fn residential_places(&self, orgs: &Orgs, la_code: u16, share: f64) -> [f64; 7] {
        let mut places = [0.0; 7];
        for &h in self.residential.iter().chain(&self.secure) {
            let b = &self.books[h];
            if !b.placeable {
                continue;
            }
            let code = self.provider_code(orgs, h, la_code);
            let column = match code {
                PlaceProvider::Pr0 => 0,
                PlaceProvider::Pr1 => 1,
                PlaceProvider::Pr2 => 2,
                PlaceProvider::Pr3 => 3,
                PlaceProvider::Pr4 => 4,
                PlaceProvider::Pr5 => 5,
            };
            let mine = if code == PlaceProvider::Pr1 { 1.0 } else { share };
            places[column] += f64::from(b.cap) * mine;
        }
        // Ages and sexes never line up perfectly: leave a tenth spare.
        places.iter_mut().for_each(|p| *p = (*p * 0.9).floor());
        places[4] = f64::INFINITY;
        places
    }

    /// PLACE_PROVIDER for a child of `la_code` placed in `home`.
    pub fn provider_code(&self, orgs: &Orgs, home: usize, la_code: u16) -> PlaceProvider {
        let org = &orgs.list[self.books[home].owner];
        org.sector.unwrap_or(hearth_domain::org::Sector::Private).place_provider(org.la_code == Some(la_code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_homes_are_real_and_placed_in_their_council() {
        let g = Gazetteer::get();
        let space = Space::new(g);
        let orgs = Orgs::build();
        let homes = Homes::new(&space, &orgs);
        assert!(homes.residential.len() > 490);
        assert_eq!(homes.secure.len(), 13);
        assert!(homes.offices.len() >= 50);
        for (h, b) in homes.list.iter().zip(&homes.books) {
            let p = ofsted::provider(h.urn.as_deref().unwrap_or("")).expect("a real URN");
            if let Some(council) = la::by_name(&p.local_authority).filter(|l| l.west_midlands_portal) {
                assert_eq!(h.utla, council.ons_code, "{}", h.name);
                assert!(b.postcode.is_some());
            }
            let county = h.utla.starts_with("E10");
            if let Some((_, lads)) = CONSTITUENCY_DISTRICTS.iter().find(|(c, _)| county && *c == p.constituency) {
                let u = b.postcode.and_then(|i| g.unit(i)).expect("county homes are in the region");
                assert!(lads.contains(&u.lad_code), "{} in {}", p.urn, p.constituency);
            }
        }
        // The same URN lands on the same postcode every time.
        let again = Homes::new(&space, &orgs);
        assert!(homes.books.iter().zip(&again.books).all(|(a, b)| a.postcode == b.postcode));
    }
}
