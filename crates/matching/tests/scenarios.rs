//! A placement officer's day on the demo West Midlands: five real situations, searched against the
//! region's supply, with what a sensible answer must look like. The region is generated once.

use hearth_demo::DemoConfig;
use hearth_domain::home::{Home, HomeKind, Skill};
use hearth_domain::referral::{Need, Urgency};
use hearth_domain::seed::RegionSeed;
use hearth_domain::{GridRef, HomeId, Sex};
use hearth_matching::{
    ChildProfile, Contracts, HardRule, MatchRequest, MatchResult, PlacementKind, PlacementKinds, SupplyIndex, Weights,
};
use jiff::civil::{Date, date};
use std::collections::HashMap;
use std::sync::LazyLock;

const TODAY: Date = date(2026, 11, 25);

struct Region {
    seed: RegionSeed,
    index: SupplyIndex,
    homes: HashMap<HomeId, Home>,
}

static REGION: LazyLock<Region> = LazyLock::new(|| {
    let seed = hearth_demo::generate(&DemoConfig { seed: 2026, today: TODAY });
    let contracts = Contracts::new(&seed.contracts, TODAY).with_council_services(&seed.organisations);
    let index = SupplyIndex::build(&seed.homes, &seed.vacancies, contracts);
    let homes = seed.homes.iter().map(|h| (h.id, h.clone())).collect();
    Region { seed, index, homes }
});

fn district(d: &str) -> GridRef {
    hearth_reference::Gazetteer::get().district(d).expect("a known district").grid
}

fn home(id: HomeId) -> &'static Home {
    &REGION.homes[&id]
}

fn rank(request: &MatchRequest) -> MatchResult {
    request.validate().expect("a valid request");
    let result = REGION.index.rank(request, &Weights::default(), 20);
    assert_eq!(result.excluded.total() + result.considered, REGION.index.len(), "every home accounted for");
    for w in result.matches.windows(2) {
        assert!(w[0].score >= w[1].score || w[0].connected_person, "ranked by score");
    }
    for m in &result.matches {
        assert_eq!(m.contributions.len(), m.reasons.len(), "a sentence for every factor");
        assert!(!m.reasons.is_empty());
    }
    result
}

fn child(age: u8, sex: Sex) -> ChildProfile {
    ChildProfile::new(age, sex)
}

/// 6 pm: the police bring a 15-year-old boy from Coventry (CV2) who cannot go home tonight.
#[test]
fn emergency_fifteen_year_old_at_six_pm() {
    let request = MatchRequest::quick(331, 15, Sex::Male, district("CV2"), TODAY);
    let result = rank(&request);
    assert!(!result.matches.is_empty(), "the region has an emergency bed for a 15-year-old tonight");
    for m in &result.matches {
        let h = home(m.home);
        assert!(h.skills.contains(Skill::Emergency), "{} does not take emergencies", h.name);
        assert!(!h.kind.is_supported_accommodation(), "no supported accommodation under 16");
        assert!(h.ages.contains(15));
    }
    assert!(result.excluded.get(HardRule::Emergency) > 0, "homes that do not take emergencies are counted");
    assert!(result.matches[0].distance_miles.0 < 30.0, "the best answer is not across England");
}

/// Three siblings aged 4, 7 and 9 from Birmingham (B23) who must stay together, planned for a fortnight on.
#[test]
fn three_siblings_stay_together() {
    let mut request = MatchRequest::new(
        330,
        child(4, Sex::Female),
        Urgency::Planned,
        TODAY.saturating_add(jiff::Span::new().days(14)),
    );
    request.children.push(child(7, Sex::Male));
    request.children.push(child(9, Sex::Female));
    request.siblings_together = true;
    request.home_location = Some(district("B23"));
    request.placement_kinds = PlacementKinds::only(PlacementKind::Foster);
    let result = rank(&request);
    for m in &result.matches {
        let h = home(m.home);
        assert!(h.kind.is_foster(), "{} is not a family", h.name);
        let free: u16 = REGION.index.vacancies_of(m.home).iter().map(|(_, places, _)| *places).sum();
        assert!(free >= 3, "{} has room for {free}, not all three", h.name);
        assert!(h.ages.contains(4) && h.ages.contains(9));
    }
    assert!(result.excluded.get(HardRule::SiblingRoom) + result.excluded.get(HardRule::NoVacancy) > 0);
}

/// A 16-year-old unaccompanied asylum-seeking boy arriving in Sandwell (B70), within 72 hours.
#[test]
fn sixteen_year_old_uasc() {
    let mut c = child(16, Sex::Male);
    c.uasc = true;
    let mut request =
        MatchRequest::new(333, c, Urgency::Within72Hours, TODAY.saturating_add(jiff::Span::new().days(2)));
    request.home_location = Some(district("B70"));
    let result = rank(&request);
    assert!(!result.matches.is_empty());
    // Families rank first when they can take him; registered supported accommodation is open to him
    // too, as the officer sees when asking for it alone.
    request.placement_kinds = PlacementKinds::only(PlacementKind::SupportedAccommodation);
    let supported = rank(&request);
    assert!(!supported.matches.is_empty(), "registered supported accommodation is open to a 16-year-old");
    for m in result.matches.iter().chain(&supported.matches) {
        let h = home(m.home);
        if h.kind.requires_ofsted_registration() {
            assert_eq!(h.registration, hearth_domain::home::RegistrationStatus::Registered, "{}", h.name);
        }
    }
}

/// A 12-year-old girl in Wolverhampton (WV10) with autism who uses a wheelchair.
#[test]
fn twelve_year_old_with_autism_and_a_wheelchair() {
    let mut c = child(12, Sex::Female);
    c.disability = true;
    c.wheelchair_user = true;
    c.needs = [Need::AutismAdhd, Need::PhysicalDisability].into_iter().collect();
    c.primary_needs = [Need::PhysicalDisability].into_iter().collect();
    let mut request = MatchRequest::new(336, c, Urgency::Planned, TODAY.saturating_add(jiff::Span::new().days(28)));
    request.home_location = Some(district("WV10"));
    let result = rank(&request);
    for m in &result.matches {
        let h = home(m.home);
        assert!(h.skills.contains(Skill::WheelchairAccess), "{} is not wheelchair accessible", h.name);
        assert!(h.skills.contains(Skill::Disability), "{} is not approved for disability", h.name);
    }
    assert!(result.excluded.get(HardRule::Needs) > 0, "homes not approved for her needs are counted");
    // An empty answer is allowed (it is the unmet need commissioners must see), but then it says why.
    if result.matches.is_empty() {
        assert!(result.excluded.total() == REGION.index.len());
    }
}

/// Step-down: a 13-year-old boy from Stoke-on-Trent (ST4) ready to leave his children's home for a family.
#[test]
fn step_down_from_residential_to_fostering() {
    let mut request = MatchRequest::new(
        861,
        child(13, Sex::Male),
        Urgency::Planned,
        TODAY.saturating_add(jiff::Span::new().days(42)),
    );
    request.home_location = Some(district("ST4"));
    request.placement_kinds = PlacementKinds::only(PlacementKind::Foster);
    let result = rank(&request);
    assert!(!result.matches.is_empty(), "foster families are free for a 13-year-old in six weeks");
    for m in &result.matches {
        assert!(home(m.home).kind.is_foster());
        assert_ne!(home(m.home).kind, HomeKind::ConnectedPerson, "another child's relatives are not offered");
    }
    assert!(result.excluded.get(HardRule::PlacementType) > 0, "children's homes were left out on purpose");
}

#[test]
fn the_demo_supply_is_indexed_whole() {
    assert_eq!(REGION.index.len(), REGION.seed.homes.len());
}

/// Asking why one home was left out gives the rule the ranking counted it under: across the whole
/// region, the homes that pass are exactly those ranked, and the rules add up to the exclusions.
#[test]
fn first_failed_agrees_with_the_ranking() {
    let mut siblings = MatchRequest::new(330, child(4, Sex::Female), Urgency::Planned, TODAY);
    siblings.children.push(child(7, Sex::Male));
    siblings.siblings_together = true;
    siblings.home_location = Some(district("B23"));
    let mut avoiding = MatchRequest::quick(331, 15, Sex::Male, district("CV2"), TODAY);
    avoiding.avoid = vec![hearth_matching::Area {
        district: hearth_domain::PostcodeDistrict::parse("CV1").expect("district"),
        centre: Some(district("CV1")),
    }];
    avoiding.avoid_radius_miles = 3;
    for request in [MatchRequest::quick(331, 15, Sex::Male, district("CV2"), TODAY), siblings, avoiding] {
        let all: Vec<HomeId> = REGION.seed.homes.iter().map(|h| h.id).collect();
        let ranked = REGION.index.rank(&request, &Weights::default(), all.len());
        let why = REGION.index.first_failed(&request, &Weights::default(), &all);
        assert_eq!(why.len(), REGION.index.len(), "every indexed home answered");
        let passing: std::collections::BTreeSet<HomeId> =
            why.iter().filter(|(_, r)| r.is_none()).map(|(h, _)| *h).collect();
        let ranked_homes: std::collections::BTreeSet<HomeId> = ranked.matches.iter().map(|m| m.home).collect();
        assert_eq!(passing, ranked_homes, "the homes that pass are the homes ranked");
        for rule in HardRule::ALL {
            let n = why.iter().filter(|(_, r)| *r == Some(rule)).count() as u32;
            assert_eq!(n, ranked.excluded.get(rule), "{rule:?} counted alike");
        }
    }
}
