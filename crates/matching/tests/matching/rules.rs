//! One test per hard rule: the fixture home passes, and one change makes it fail that rule (and is
//! counted under it); where a rule has an exception, the exception lets the home back in.

use crate::support::*;
use hearth_domain::home::{Home, HomeKind, Judgement, RegistrationStatus, SexAccepted, Skill, Vacancy};
use hearth_domain::referral::{Need, Urgency};
use hearth_domain::{HomeId, Sex};
use hearth_matching::{
    ChildProfile, Contracts, HardRule, MatchRequest, PlacementKind, PlacementKinds, SupplyIndex, Weights,
};
use jiff::civil::date;

/// Ranks one home with its vacancies; returns the rule it failed, or `None` when it was shown.
fn verdict(home: &Home, vacancies: &[Vacancy], req: &MatchRequest) -> Option<HardRule> {
    let index = SupplyIndex::build(std::slice::from_ref(home), vacancies, Contracts::none());
    let result = index.rank(req, &Weights::default(), 10);
    assert_eq!(result.excluded.total() + result.considered, 1);
    let refs: Vec<&Vacancy> = vacancies.iter().collect();
    let expected = first_failure(home, &refs, req);
    match result.excluded.iter().next() {
        Some((rule, 1)) => {
            assert!(result.matches.is_empty());
            assert_eq!(Some(rule), expected, "the index and the stated rules disagree");
            Some(rule)
        }
        _ => {
            assert_eq!(result.matches.len(), 1);
            assert_eq!(expected, None, "the index shows a home the stated rules exclude");
            None
        }
    }
}

/// The fixture home with its one vacancy, after `change`.
fn one(change: impl FnOnce(&mut Home, &mut MatchRequest)) -> Option<HardRule> {
    let mut h = home(1);
    let mut r = request();
    change(&mut h, &mut r);
    let v = vacancy(&h);
    verdict(&h, &[v], &r)
}

#[test]
fn the_fixture_passes_every_rule() {
    assert_eq!(one(|_, _| {}), None);
    assert_eq!(verdict(&childrens_home(1), &[vacancy(&childrens_home(1))], &request()), None);
}

#[test]
fn inactive_homes_are_never_shown() {
    assert_eq!(one(|h, _| h.active = false), Some(HardRule::Inactive));
}

#[test]
fn only_placement_kinds_asked_for() {
    assert_eq!(
        one(|_, r| r.placement_kinds = PlacementKinds::only(PlacementKind::ChildrensHome)),
        Some(HardRule::PlacementType)
    );
    assert_eq!(
        one(|h, _| h.kind = HomeKind::ResidentialSpecialSchool),
        Some(HardRule::PlacementType),
        "not asked by default"
    );
}

#[test]
fn secure_homes_only_with_a_secure_order_and_an_order_only_in_one() {
    let secure_kinds = PlacementKinds::usual().with(PlacementKind::Secure);
    let secure = |h: &mut Home, r: &mut MatchRequest| {
        *h = Home { kind: HomeKind::SecureChildrensHome, ..childrens_home(1) };
        r.placement_kinds = secure_kinds;
    };
    assert_eq!(one(secure), Some(HardRule::SecureOrder));
    assert_eq!(
        one(|h, r| {
            secure(h, r);
            r.secure_order = true;
        }),
        None
    );
    assert_eq!(
        one(|_, r| {
            r.placement_kinds = secure_kinds;
            r.secure_order = true;
        }),
        Some(HardRule::SecureOrder),
        "a foster home cannot hold a child on a secure order"
    );
}

#[test]
fn connected_person_households_only_for_the_child_they_were_approved_for() {
    assert_eq!(one(|h, _| h.kind = HomeKind::ConnectedPerson), Some(HardRule::ConnectedPersonForAnotherChild));
    assert_eq!(
        one(|h, r| {
            h.kind = HomeKind::ConnectedPerson;
            r.connected_carers = vec![h.id];
        }),
        None
    );
}

#[test]
fn no_supported_accommodation_under_16() {
    let supported = |h: &mut Home| {
        *h = Home { kind: HomeKind::SaSharedHouse, ..childrens_home(1) };
        h.ages = hearth_domain::home::AgeRange { min: 16, max: 17 };
    };
    assert_eq!(one(|h, _| supported(h)), Some(HardRule::SupportedUnder16));
    assert_eq!(
        one(|h, r| {
            supported(h);
            r.children[0].age = 16;
        }),
        None
    );
}

#[test]
fn childrens_homes_and_supported_accommodation_must_be_registered() {
    for status in [RegistrationStatus::Applied, RegistrationStatus::Suspended, RegistrationStatus::NotRequired] {
        assert_eq!(
            one(|h, _| *h = Home { registration: status, ..childrens_home(1) }),
            Some(HardRule::NotRegistered),
            "{status:?}"
        );
    }
    assert_eq!(
        one(|h, r| {
            *h = Home { kind: HomeKind::SaSingle, registration: RegistrationStatus::Applied, ..childrens_home(1) };
            r.children[0].age = 17;
        }),
        Some(HardRule::NotRegistered)
    );
    assert_eq!(
        one(|h, _| h.registration = RegistrationStatus::Applied),
        None,
        "foster carers are approved, not registered"
    );
}

#[test]
fn inadequate_homes_only_with_a_recorded_override() {
    let inadequate = |h: &mut Home| *h = Home { judgement: Some(Judgement::Inadequate), ..childrens_home(1) };
    assert_eq!(one(|h, _| inadequate(h)), Some(HardRule::Inadequate));
    assert_eq!(
        one(|h, r| {
            inadequate(h);
            r.inadequate_overrides = vec![h.id];
        }),
        None
    );
    assert_eq!(
        one(|h, r| {
            inadequate(h);
            r.inadequate_overrides = vec![HomeId(99)];
        }),
        Some(HardRule::Inadequate),
        "an override is for one home"
    );
    assert_eq!(
        one(|h, r| {
            inadequate(h);
            r.inadequate_allowed = true;
        }),
        None,
        "a reason recorded on the referral lifts the rule for every home"
    );
}

#[test]
fn age_and_sex_within_the_homes_approval() {
    assert_eq!(one(|h, _| h.ages.max = 9), Some(HardRule::AgeOrSex));
    assert_eq!(one(|h, _| h.ages.min = 11), Some(HardRule::AgeOrSex));
    assert_eq!(one(|h, _| h.sex = SexAccepted::MaleOnly), Some(HardRule::AgeOrSex));
    assert_eq!(one(|h, _| h.sex = SexAccepted::FemaleOnly), None);
    assert_eq!(
        one(|h, r| {
            h.sex = SexAccepted::FemaleOnly;
            r.children[0].sex = Sex::Unknown;
        }),
        Some(HardRule::AgeOrSex),
        "a child whose sex is not recorded needs a home that takes either"
    );
    assert_eq!(
        one(|_, r| {
            r.children.push(ChildProfile::new(15, Sex::Male));
        }),
        None,
        "a boy and a girl together"
    );
    assert_eq!(
        one(|h, r| {
            h.ages.max = 12;
            r.children.push(ChildProfile::new(15, Sex::Male));
        }),
        Some(HardRule::AgeOrSex),
        "every child in the request"
    );
}

#[test]
fn registered_or_approved_for_the_primary_needs() {
    assert_eq!(one(|_, r| r.children[0].disability = true), Some(HardRule::Needs));
    assert_eq!(
        one(|h, r| {
            r.children[0].disability = true;
            h.skills = skills(&[Skill::Disability]);
        }),
        None
    );
    assert_eq!(one(|_, r| r.children[0].primary_needs = [Need::Cse].into_iter().collect()), Some(HardRule::Needs));
    assert_eq!(
        one(|h, r| {
            r.children[0].primary_needs = [Need::Cse].into_iter().collect();
            h.skills = skills(&[Skill::Exploitation]);
        }),
        None
    );
    assert_eq!(
        one(|_, r| r.children[0].needs = [Need::Cse].into_iter().collect()),
        None,
        "a need that is not primary only scores"
    );
    assert_eq!(one(|_, r| r.children[0].wheelchair_user = true), Some(HardRule::Needs));
}

#[test]
fn same_day_only_to_homes_that_take_emergencies() {
    assert_eq!(one(|_, r| r.urgency = Urgency::SameDay), Some(HardRule::Emergency));
    assert_eq!(
        one(|h, r| {
            r.urgency = Urgency::SameDay;
            h.skills = skills(&[Skill::Emergency]);
        }),
        None
    );
    assert_eq!(one(|_, r| r.urgency = Urgency::Within72Hours), None);
    assert_eq!(
        one(|h, r| {
            r.urgency = Urgency::SameDay;
            r.connected_carers = vec![h.id];
        }),
        None,
        "the child's own approved relative needs no emergency approval"
    );
}

#[test]
fn household_constraints() {
    assert_eq!(
        one(|h, r| {
            h.other_children = 1;
            r.household.no_other_children = true;
        }),
        Some(HardRule::Household)
    );
    assert_eq!(
        one(|h, r| {
            h.pets = true;
            r.household.no_pets = true;
        }),
        Some(HardRule::Household)
    );
    assert_eq!(one(|_, r| r.household.must_take_pets = true), Some(HardRule::Household));
    assert_eq!(
        one(|h, r| {
            h.pets = true;
            r.household.must_take_pets = true;
        }),
        None
    );
    // A children's home with 4 places and 1 free has 3 children living there.
    assert_eq!(
        one(|h, r| {
            *h = childrens_home(1);
            r.household.no_other_children = true;
        }),
        Some(HardRule::Household)
    );
}

#[test]
fn a_vacancy_open_to_the_child_by_the_start_date() {
    let h = home(1);
    assert_eq!(verdict(&h, &[], &request()), Some(HardRule::NoVacancy));
    let later = Vacancy { available_from: date(2026, 12, 2), ..vacancy(&h) };
    assert_eq!(verdict(&h, &[later], &request()), Some(HardRule::NoVacancy));
    let on_the_day = Vacancy { available_from: start(), ..vacancy(&h) };
    assert_eq!(verdict(&h, &[on_the_day], &request()), None);
    let for_boys = Vacancy { sex: SexAccepted::MaleOnly, ..vacancy(&h) };
    assert_eq!(verdict(&h, &[for_boys], &request()), Some(HardRule::NoVacancy));
    let for_infants = Vacancy { ages: hearth_domain::home::AgeRange { min: 0, max: 4 }, ..vacancy(&h) };
    assert_eq!(verdict(&h, &[for_infants], &request()), Some(HardRule::NoVacancy));
    let filled = Vacancy { places: 0, ..vacancy(&h) };
    assert_eq!(verdict(&h, &[filled], &request()), Some(HardRule::NoVacancy));
}

#[test]
fn room_for_the_whole_sibling_group_that_must_live_together() {
    let h = home(1);
    let mut r = request();
    r.children.push(ChildProfile::new(7, Sex::Male));
    assert_eq!(verdict(&h, &[vacancy(&h)], &r), None, "not required to live together: one place will do");
    r.siblings_together = true;
    assert_eq!(verdict(&h, &[vacancy(&h)], &r), Some(HardRule::SiblingRoom));
    let two = Vacancy { places: 2, ..vacancy(&h) };
    assert_eq!(verdict(&h, &[two], &r), None);
    // Two vacancies of one place each add up; one not yet open does not count.
    let second = Vacancy { id: hearth_domain::VacancyId(2), ..vacancy(&h) };
    assert_eq!(verdict(&h, &[vacancy(&h), second.clone()], &r), None);
    let late = Vacancy { available_from: date(2027, 1, 1), ..second };
    assert_eq!(verdict(&h, &[vacancy(&h), late], &r), Some(HardRule::SiblingRoom));
}

#[test]
fn exclusions_count_the_first_rule_failed_and_add_up() {
    let homes: Vec<Home> = (1..=5).map(home).collect();
    let mut vacancies: Vec<Vacancy> = homes.iter().map(vacancy).collect();
    let mut homes = homes;
    homes[0].active = false;
    homes[1].ages.max = 5;
    homes[1].active = false; // fails two rules: counted once, under the first
    homes[2].ages.max = 5;
    vacancies.remove(3);
    let index = SupplyIndex::build(&homes, &vacancies, Contracts::none());
    let result = index.rank(&request(), &Weights::default(), 10);
    assert_eq!(result.excluded.get(HardRule::Inactive), 2);
    assert_eq!(result.excluded.get(HardRule::AgeOrSex), 1);
    assert_eq!(result.excluded.get(HardRule::NoVacancy), 1);
    assert_eq!(result.considered, 1);
    assert_eq!(result.excluded.total() + result.considered, index.len());
    assert_eq!(result.matches[0].home, HomeId(5));
}

#[test]
fn homes_in_or_near_an_avoided_district_are_never_shown() {
    let area = |d: &str| hearth_matching::Area {
        district: hearth_domain::PostcodeDistrict::parse(d).expect("district"),
        centre: Some(east_of_cv1(5_000)),
    };
    assert_eq!(one(|_, r| r.avoid = vec![area("CV1")]), Some(HardRule::AvoidedArea), "in the district");
    assert_eq!(one(|_, r| r.avoid = vec![area("CV2")]), None, "another district, no radius");
    // The home is 4 km from CV2's centre here: 2 miles (3.2 km) is not near enough, 3 miles is.
    let near = |miles| {
        one(move |_, r| {
            r.avoid = vec![area("CV2")];
            r.avoid_radius_miles = miles;
        })
    };
    assert_eq!(near(2), None);
    assert_eq!(near(3), Some(HardRule::AvoidedArea));
}

#[test]
fn a_named_adaptation_and_wheelchair_use_are_required() {
    assert_eq!(one(|_, r| r.must_offer = skills(&[Skill::SiblingGroups])), Some(HardRule::Needs));
    assert_eq!(
        one(|h, r| {
            r.must_offer = skills(&[Skill::SiblingGroups]);
            h.skills = skills(&[Skill::SiblingGroups]);
        }),
        None
    );
    assert_eq!(one(|_, r| r.children[0].wheelchair_user = true), Some(HardRule::Needs));
}
