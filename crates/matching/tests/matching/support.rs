//! Fixtures: a home and a request that pass every hard rule, so that each test changes one thing,
//! and an independent statement of the hard rules over the domain types to check the index against.

use hearth_domain::home::{
    AgeRange, Home, HomeKind, Judgement, RegistrationStatus, RiskRating, SexAccepted, Skill, Skills, Vacancy,
    WeeklyPrice,
};
use hearth_domain::referral::Urgency;
use hearth_domain::{GridRef, HomeId, OrganisationId, PostcodeDistrict, Sex, VacancyId};
use hearth_matching::{ChildProfile, Contracts, HardRule, MatchRequest, PlacementKind, SupplyIndex};
use jiff::civil::{Date, date};

pub const COVENTRY: u16 = 331;
pub const COVENTRY_ONS: &str = "E08000026";
/// Coventry's CV1 district centroid.
pub const CV1: GridRef = GridRef { easting: 433_664, northing: 279_160 };

pub fn start() -> Date {
    date(2026, 12, 1)
}

/// `metres` east of CV1.
pub fn east_of_cv1(metres: i32) -> GridRef {
    GridRef { easting: CV1.easting + metres, northing: CV1.northing }
}

/// An agency foster household in Coventry, 1 km from CV1, taking any child.
pub fn home(id: i64) -> Home {
    Home {
        id: HomeId(id),
        provider: OrganisationId(500),
        kind: HomeKind::FosterAgency,
        name: format!("Home {id}"),
        urn: None,
        registration: RegistrationStatus::NotRequired,
        judgement: None,
        last_inspected: None,
        risk: RiskRating::Low,
        la_code: Some(COVENTRY),
        utla: COVENTRY_ONS.to_owned(),
        district: PostcodeDistrict::parse("CV1").expect("a district"),
        grid: east_of_cv1(1_000),
        places: 2,
        ages: AgeRange { min: 0, max: 17 },
        sex: SexAccepted::Any,
        skills: Skills::empty(),
        other_children: 0,
        pets: false,
        weekly_price: WeeklyPrice::new(900).expect("a price"),
        active: true,
    }
}

/// A children's home registered with Ofsted and judged Good.
pub fn childrens_home(id: i64) -> Home {
    Home {
        kind: HomeKind::ChildrensHome,
        registration: RegistrationStatus::Registered,
        judgement: Some(Judgement::Good),
        places: 4,
        weekly_price: WeeklyPrice::new(5_200).expect("a price"),
        ..home(id)
    }
}

/// One place, free a week before the start date, on the home's terms. Its id is the home's.
pub fn vacancy(h: &Home) -> Vacancy {
    Vacancy {
        id: VacancyId(h.id.0),
        home: h.id,
        places: 1,
        available_from: date(2026, 11, 24),
        ages: h.ages,
        sex: h.sex,
        weekly_price: h.weekly_price,
    }
}

/// A planned placement for a 10-year-old girl from Coventry who lived at CV1.
pub fn request() -> MatchRequest {
    let mut r = MatchRequest::new(COVENTRY, ChildProfile::new(10, Sex::Female), Urgency::Planned, start());
    r.home_location = Some(CV1);
    r
}

/// Homes, each with the vacancy of [`vacancy`], and no contracts.
pub fn index_of(homes: &[Home]) -> SupplyIndex {
    let vacancies: Vec<Vacancy> = homes.iter().map(vacancy).collect();
    SupplyIndex::build(homes, &vacancies, Contracts::none())
}

pub fn skills(list: &[Skill]) -> Skills {
    list.iter().copied().collect()
}

/// The hard rules as the README states them, over the domain types: the first one `home` fails.
pub fn first_failure(home: &Home, vacancies: &[&Vacancy], req: &MatchRequest) -> Option<HardRule> {
    let named = req.connected_carers.contains(&home.id);
    let youngest = req.children.iter().map(|c| c.age).min().unwrap_or(0);
    let takes_all = |ages: AgeRange, sex: SexAccepted| {
        req.children.iter().all(|c| {
            let sex_ok = match sex {
                SexAccepted::Any => true,
                SexAccepted::MaleOnly => c.sex == Sex::Male,
                SexAccepted::FemaleOnly => c.sex == Sex::Female,
            };
            ages.contains(i16::from(c.age)) && sex_ok
        })
    };
    let mut required = Skills::empty();
    for c in &req.children {
        for n in c.primary_needs.iter() {
            required = required.with(hearth_matching::needs::main_skill(n));
        }
        if c.disability {
            required = required.with(Skill::Disability);
        }
        if c.wheelchair_user {
            required = required.with(Skill::WheelchairAccess);
        }
    }
    required = Skills::from_bits(required.bits() | req.must_offer.bits());
    let radius = f64::from(req.avoid_radius_miles) * 1609.3;
    let avoided = req.avoid.iter().any(|a| {
        a.district == home.district
            || (req.avoid_radius_miles > 0
                && a.centre.is_some_and(|c| {
                    let (de, dn) =
                        (f64::from(c.easting - home.grid.easting), f64::from(c.northing - home.grid.northing));
                    de * de + dn * dn <= radius * radius
                }))
    });
    let listed: u32 = vacancies.iter().map(|v| u32::from(v.places)).sum();
    let others = if home.kind.is_foster() {
        u32::from(home.other_children)
    } else {
        u32::from(home.places).saturating_sub(listed)
    };
    let usable: u32 = vacancies
        .iter()
        .filter(|v| v.places > 0 && v.available_from <= req.start && takes_all(v.ages, v.sex))
        .map(|v| u32::from(v.places))
        .sum();
    let h = req.household;
    let rules = [
        (HardRule::Inactive, !home.active),
        (HardRule::PlacementType, !req.placement_kinds.contains(PlacementKind::of(home.kind))),
        (HardRule::SecureOrder, (home.kind == HomeKind::SecureChildrensHome) != req.secure_order),
        (HardRule::ConnectedPersonForAnotherChild, home.kind == HomeKind::ConnectedPerson && !named),
        (HardRule::SupportedUnder16, home.kind.is_supported_accommodation() && youngest < 16),
        (
            HardRule::NotRegistered,
            home.kind.requires_ofsted_registration() && home.registration != RegistrationStatus::Registered,
        ),
        (
            HardRule::Inadequate,
            home.judgement == Some(Judgement::Inadequate)
                && !req.inadequate_allowed
                && !req.inadequate_overrides.contains(&home.id),
        ),
        (HardRule::AvoidedArea, avoided),
        (HardRule::AgeOrSex, !takes_all(home.ages, home.sex)),
        (HardRule::Needs, !home.skills.contains_all(required)),
        (HardRule::Emergency, req.urgency == Urgency::SameDay && !home.skills.contains(Skill::Emergency) && !named),
        (
            HardRule::Household,
            (h.no_other_children && others > 0) || (h.no_pets && home.pets) || (h.must_take_pets && !home.pets),
        ),
        (HardRule::NoVacancy, usable == 0),
        (HardRule::SiblingRoom, usable < u32::from(req.places_needed())),
    ];
    rules.iter().find(|(_, fails)| *fails).map(|(rule, _)| *rule)
}
