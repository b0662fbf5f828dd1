//! Keeping the index current without a rebuild.

use crate::support::*;
use hearth_domain::contract::{Contract, ContractTier, Coverage};
use hearth_domain::home::{Home, Vacancy, WeeklyPrice};
use hearth_domain::{ContractId, HomeId, OrganisationId, VacancyId};
use hearth_matching::{Contracts, HardRule, IndexError, SupplyIndex, Target, Weights};
use jiff::civil::date;

fn shown(index: &SupplyIndex) -> Vec<i64> {
    index.rank(&request(), &Weights::default(), 10).matches.iter().map(|m| m.home.0).collect()
}

#[test]
fn set_places_on_a_vacancy_fills_and_reopens_it() {
    let mut index = index_of(&[home(1), home(2)]);
    assert_eq!(shown(&index), vec![1, 2]);
    index.set_places(Target::Vacancy(VacancyId(1)), 0, start()).unwrap();
    assert_eq!(shown(&index), vec![2]);
    index.set_places(Target::Vacancy(VacancyId(1)), 1, date(2027, 1, 1)).unwrap();
    assert_eq!(shown(&index), vec![2], "open only after the start date");
    index.set_places(Target::Vacancy(VacancyId(1)), 1, start()).unwrap();
    assert_eq!(shown(&index), vec![1, 2]);
}

#[test]
fn set_places_on_a_home_sets_its_places_as_a_whole() {
    let h = home(1);
    let later = Vacancy { id: VacancyId(7), available_from: date(2026, 11, 30), ..vacancy(&h) };
    let mut index = SupplyIndex::build(std::slice::from_ref(&h), &[vacancy(&h), later], Contracts::none());
    index.set_places(Target::Home(h.id), 0, start()).unwrap();
    assert!(index.vacancies_of(h.id).iter().all(|(_, places, _)| *places == 0));
    assert_eq!(shown(&index), Vec::<i64>::new());
    index.set_places(Target::Home(h.id), 2, start()).unwrap();
    let places: Vec<u16> = index.vacancies_of(h.id).iter().map(|(_, p, _)| *p).collect();
    assert_eq!(places.iter().sum::<u16>(), 2, "the earliest vacancy takes the places: {places:?}");
    assert_eq!(shown(&index), vec![1]);

    // A home with no vacancy listed gets one on its own terms.
    let mut index = SupplyIndex::build(&[home(2)], &[], Contracts::none());
    assert_eq!(index.rank(&request(), &Weights::default(), 1).excluded.get(HardRule::NoVacancy), 1);
    index.set_places(Target::Home(HomeId(2)), 1, start()).unwrap();
    let m = &index.rank(&request(), &Weights::default(), 1).matches[0];
    assert_eq!((m.home, m.vacancy, m.weekly_price.pounds()), (HomeId(2), None, 900));
}

#[test]
fn update_vacancy_replaces_and_can_move_a_vacancy() {
    let (a, b) = (home(1), Home { ages: hearth_domain::home::AgeRange { min: 0, max: 4 }, ..home(2) });
    let mut index = SupplyIndex::build(&[a.clone(), b.clone()], &[vacancy(&a)], Contracts::none());
    assert_eq!(index.vacancy_count(), 1);
    let moved = Vacancy { home: HomeId(2), ..vacancy(&a) };
    index.update_vacancy(&moved).unwrap();
    assert!(index.vacancies_of(HomeId(1)).is_empty());
    assert_eq!(index.vacancies_of(HomeId(2)).len(), 1);
    let priced = Vacancy { weekly_price: WeeklyPrice::new(990).unwrap(), home: HomeId(1), ..vacancy(&a) };
    index.update_vacancy(&priced).unwrap();
    let m = &index.rank(&request(), &Weights::default(), 1).matches[0];
    assert_eq!((m.home, m.weekly_price.pounds()), (HomeId(1), 990));
    index.remove_vacancy(VacancyId(1)).unwrap();
    assert_eq!(index.vacancy_count(), 0);
    assert_eq!(shown(&index), Vec::<i64>::new());
}

#[test]
fn upsert_and_remove_homes() {
    let mut index = index_of(&[home(1), home(2), home(3)]);
    index.remove_home(HomeId(1)).unwrap();
    assert_eq!(index.len(), 2);
    assert_eq!(shown(&index), vec![2, 3], "the home moved into the gap keeps its vacancy");
    index.set_places(Target::Vacancy(VacancyId(3)), 0, start()).unwrap();
    assert_eq!(shown(&index), vec![2]);
    index.upsert_home(&Home { active: false, ..home(2) });
    assert_eq!(shown(&index), Vec::<i64>::new(), "replacing a home keeps its vacancies but not its old facts");
    index.upsert_home(&home(2));
    assert_eq!(shown(&index), vec![2]);
    index.upsert_home(&home(4));
    index.update_vacancy(&vacancy(&home(4))).unwrap();
    assert_eq!(shown(&index), vec![2, 4]);
}

#[test]
fn any_limit_is_safe() {
    let index = index_of(&[home(1), home(2)]);
    assert_eq!(index.rank(&request(), &Weights::default(), usize::MAX).matches.len(), 2);
    let none = index.rank(&request(), &Weights::default(), 0);
    assert!(none.matches.is_empty());
    assert_eq!(none.considered, 2, "a limit of 0 still counts");
}

#[test]
fn unknown_ids_are_errors_and_orphans_are_counted() {
    let mut index = SupplyIndex::build(&[home(1)], &[vacancy(&home(1)), vacancy(&home(2))], Contracts::none());
    assert_eq!(index.skipped_vacancies(), 1);
    assert_eq!(
        index.set_places(Target::Vacancy(VacancyId(9)), 0, start()),
        Err(IndexError::UnknownVacancy(VacancyId(9)))
    );
    assert_eq!(index.set_places(Target::Home(HomeId(9)), 0, start()), Err(IndexError::UnknownHome(HomeId(9))));
    assert_eq!(index.remove_home(HomeId(9)), Err(IndexError::UnknownHome(HomeId(9))));
    assert_eq!(index.update_vacancy(&vacancy(&home(2))), Err(IndexError::UnknownHome(HomeId(2))));
    assert!(index.contains_home(HomeId(1)) && !index.is_empty());
}

#[test]
fn new_contracts_change_tiers_without_a_rebuild() {
    let mut index = index_of(&[home(1)]);
    let first = &index.rank(&request(), &Weights::default(), 1).matches[0];
    assert_eq!(first.tier, ContractTier::Spot);
    let framework = Contract {
        id: ContractId(1),
        la_code: COVENTRY,
        provider: OrganisationId(500),
        tier: ContractTier::Framework,
        weekly_price: WeeklyPrice::new(870).unwrap(),
        block_beds: 0,
        starts: date(2024, 4, 1),
        ends: None,
        covers: Coverage::every_kind(),
    };
    index.set_contracts(Contracts::new(&[framework], start()));
    let m = &index.rank(&request(), &Weights::default(), 1).matches[0];
    assert_eq!((m.tier, m.weekly_price.pounds()), (ContractTier::Framework, 870));
}
