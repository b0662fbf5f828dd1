//! Each factor's sentence, its contribution, and the orderings the factors must produce.

use crate::support::*;
use hearth_domain::contract::{Contract, ContractTier, Coverage};
use hearth_domain::home::{Home, HomeKind, Judgement, RiskRating, Skill, Vacancy, WeeklyPrice};
use hearth_domain::referral::Need;
use hearth_domain::{ContractId, GridRef, HomeId, Miles, OrganisationId, Sex};
use hearth_matching::{ChildProfile, Contracts, Factor, Match, MatchRequest, SupplyIndex, Weights};
use jiff::civil::date;

/// The one match for `home` with its vacancy, under `contracts`.
fn matched_with(home: Home, req: &MatchRequest, contracts: Contracts) -> Match {
    let v = Vacancy { places: 2, ..vacancy(&home) };
    let index = SupplyIndex::build(&[home], &[v], contracts);
    let mut result = index.rank(req, &Weights::default(), 1);
    assert_eq!(result.matches.len(), 1, "excluded: {:?}", result.excluded);
    result.matches.remove(0)
}

fn matched(home: Home, req: &MatchRequest) -> Match {
    matched_with(home, req, Contracts::none())
}

/// The sentence and contribution of `factor` in `m`.
fn reason(m: &Match, factor: Factor) -> (&str, f32) {
    let at = m.contributions.iter().position(|(f, _)| *f == factor);
    let at = at.unwrap_or_else(|| panic!("{factor:?} did not apply: {:?}", m.reasons));
    (m.reasons[at].as_str(), m.contributions[at].1)
}

#[test]
fn contributions_add_up_to_the_score_and_each_has_a_sentence() {
    let mut req = request();
    req.school_location = Some(CV1);
    req.price_ceiling = WeeklyPrice::new(1_000).ok();
    req.prefers_pets = Some(true);
    req.children[0].needs = [Need::Cse].into_iter().collect();
    let m = matched(home(1), &req);
    assert_eq!(m.contributions.len(), m.reasons.len());
    let sum: f32 = m.contributions.iter().map(|(_, c)| c).sum();
    assert!((sum - m.score).abs() < 1e-3, "{sum} vs {}", m.score);
    assert!(m.reasons.iter().all(|s| s.ends_with('.')));
    assert_eq!(m.distance_miles, Miles(0.6), "1 km is 0.6 miles, DfE-rounded");
    assert_eq!(m.vacancy, Some(hearth_domain::VacancyId(1)));
    assert_eq!(m.weekly_price.pounds(), 900);
}

#[test]
fn connected_person_sentence_cites_the_law() {
    let mut req = request();
    let h = Home { kind: HomeKind::ConnectedPerson, ..home(1) };
    req.connected_carers = vec![h.id];
    let m = matched(h, &req);
    assert!(m.connected_person);
    let (s, c) = reason(&m, Factor::ConnectedPerson);
    assert!(s.contains("s22C(7)(a)"), "{s}");
    assert_eq!(c, 100.0);
}

#[test]
fn distance_sentence_uses_dfe_miles_and_the_20_mile_line() {
    let near = matched(Home { grid: east_of_cv1(16_093), ..home(1) }, &request());
    assert_eq!(reason(&near, Factor::Distance).0, "10.0 miles from the child's home.");
    assert!((reason(&near, Factor::Distance).1 - 25.0 * 20.0 / 30.0).abs() < 0.01);
    let far = matched(Home { grid: east_of_cv1(40_000), ..home(1) }, &request());
    assert_eq!(
        reason(&far, Factor::Distance).0,
        "24.9 miles from the child's home: more than 20 miles (DfE's measure)."
    );
    let mut unknown = request();
    unknown.home_location = None;
    let m = matched(home(1), &unknown);
    assert!(m.contributions.iter().all(|(f, _)| *f != Factor::Distance));
    assert_eq!(m.distance_miles, Miles::UNKNOWN);
}

#[test]
fn inside_area_sentence_names_the_councils() {
    let own = matched(home(1), &request());
    assert_eq!(reason(&own, Factor::InsideArea), ("Inside Coventry's own area.", 8.0));
    let next = matched(Home { utla: "E10000031".into(), la_code: Some(937), ..home(1) }, &request());
    assert_eq!(reason(&next, Factor::InsideArea), ("In Warwickshire, next to Coventry.", 4.0));
    let further = matched(Home { utla: "E08000031".into(), la_code: Some(336), ..home(1) }, &request());
    assert_eq!(
        reason(&further, Factor::InsideArea),
        ("In Wolverhampton: outside Coventry's area and not next to it.", 0.0)
    );
}

#[test]
fn school_sentence() {
    let mut req = request();
    req.school_location = Some(GridRef { easting: CV1.easting + 1_000 + 4_828, northing: CV1.northing });
    let m = matched(home(1), &req);
    assert_eq!(reason(&m, Factor::School).0, "3.0 miles from the child's school.");
}

#[test]
fn siblings_sentence() {
    let mut req = request();
    req.children.push(ChildProfile::new(8, Sex::Male));
    let m = matched(Home { skills: skills(&[Skill::SiblingGroups]), ..home(1) }, &req);
    assert_eq!(
        reason(&m, Factor::Siblings),
        ("Room for all 2 children together, and approved for sibling groups.", 12.0)
    );
    let single = Home { places: 1, ..home(2) };
    let index = SupplyIndex::build(std::slice::from_ref(&single), &[vacancy(&single)], Contracts::none());
    let m = index.rank(&req, &Weights::default(), 1).matches.remove(0);
    assert_eq!(reason(&m, Factor::Siblings), ("Room for 1 of the 2 children: the siblings would live apart.", 0.0));
}

#[test]
fn adaptations_sentence() {
    let mut req = request();
    req.children[0].disability = true;
    let m = matched(Home { skills: skills(&[Skill::Disability, Skill::WheelchairAccess]), ..home(1) }, &req);
    assert_eq!(reason(&m, Factor::Adaptations), ("Wheelchair-accessible and approved for disabled children.", 10.0));
    let m = matched(Home { skills: skills(&[Skill::Disability]), ..home(1) }, &req);
    assert_eq!(reason(&m, Factor::Adaptations).0, "Approved for disabled children, but not wheelchair-accessible.");
}

#[test]
fn skills_sentence_names_what_the_home_offers_and_lacks() {
    let mut req = request();
    req.children[0].needs = [Need::Cse].into_iter().collect();
    let m = matched(Home { skills: skills(&[Skill::Exploitation]), ..home(1) }, &req);
    let (s, c) = reason(&m, Factor::Skills);
    assert_eq!(
        s,
        "Offers 1 of the 2 skills that help with the child's needs (Children at risk of exploitation); lacks Therapeutic care."
    );
    assert_eq!(c, 7.5);
    req.children[0].age = 14;
    let m =
        matched(Home { skills: skills(&[Skill::Exploitation, Skill::Therapeutic, Skill::Teenagers]), ..home(1) }, &req);
    assert_eq!(reason(&m, Factor::Skills).1, 15.0, "teenagers count for a 14-year-old");
}

#[test]
fn judgement_sentence() {
    let good = matched(childrens_home(1), &request());
    assert_eq!(reason(&good, Factor::Judgement), ("Ofsted judged it Good.", 5.0));
    let foster = matched(home(1), &request());
    assert!(reason(&foster, Factor::Judgement).0.starts_with("Not inspected as a home of its own"));
    // A foster household carries its fostering service's judgement, and says whose it is.
    let agency = matched(Home { judgement: Some(Judgement::Outstanding), ..home(1) }, &request());
    assert_eq!(
        reason(&agency, Factor::Judgement),
        ("Foster carers are inspected through their fostering service, which Ofsted judged Outstanding.", 10.0)
    );
    let mut req = request();
    req.inadequate_overrides = vec![HomeId(1)];
    let m = matched(Home { judgement: Some(Judgement::Inadequate), ..childrens_home(1) }, &req);
    assert_eq!(
        reason(&m, Factor::Judgement),
        ("Ofsted judged it Inadequate; a recorded override allows it for this child.", -10.0)
    );
}

#[test]
fn risk_sentence() {
    let m = matched(Home { risk: RiskRating::Medium, ..home(1) }, &request());
    assert_eq!(reason(&m, Factor::Risk), ("The commissioners rate the provider's risk medium.", 0.0));
}

fn contract(tier: ContractTier, pounds: i64) -> Contract {
    Contract {
        id: ContractId(1),
        la_code: COVENTRY,
        provider: OrganisationId(500),
        tier,
        weekly_price: WeeklyPrice::new(pounds).expect("a valid price"),
        block_beds: 2,
        starts: date(2025, 4, 1),
        ends: None,
        covers: Coverage::every_kind(),
    }
}

#[test]
fn tier_sentence_and_contract_price() {
    let contracts = Contracts::new(&[contract(ContractTier::Block, 850)], start());
    let m = matched_with(home(1), &request(), contracts);
    assert_eq!(reason(&m, Factor::Tier), ("Block contract with Coventry: beds already paid for.", 6.0));
    assert_eq!(m.tier, ContractTier::Block);
    assert_eq!(m.weekly_price.pounds(), 850, "the contract's price, not the asking price");
    let m = matched(home(1), &request());
    assert_eq!(reason(&m, Factor::Tier), ("No contract with Coventry: a spot purchase.", 0.0));
    assert_eq!(m.tier, ContractTier::Spot);
}

#[test]
fn a_contract_prices_only_the_homes_it_covers_and_says_so() {
    let mut req = request();
    req.price_ceiling = WeeklyPrice::new(5_000).ok();
    let residential = Contract {
        covers: Coverage { kinds: vec![HomeKind::ChildrensHome], homes: vec![] },
        ..contract(ContractTier::Block, 4_650)
    };
    // The provider's foster home keeps its own price: the block contract buys children's homes.
    let m = matched_with(home(1), &req, Contracts::new(std::slice::from_ref(&residential), start()));
    assert_eq!((m.tier, m.weekly_price.pounds()), (ContractTier::Spot, 900));
    assert_eq!(m.price_basis, "the home's own price");
    // A contract naming the home beats the one covering its kind.
    let named = Contract {
        id: ContractId(2),
        tier: ContractTier::Spot,
        weekly_price: WeeklyPrice::new(880).expect("a price"),
        block_beds: 0,
        covers: Coverage { kinds: vec![], homes: vec![HomeId(1)] },
        ..residential.clone()
    };
    let fostering = Contract { covers: Coverage { kinds: vec![HomeKind::FosterAgency], homes: vec![] }, ..residential };
    let m = matched_with(home(1), &req, Contracts::new(&[fostering.clone(), named], start()));
    assert_eq!((m.tier, m.weekly_price.pounds()), (ContractTier::Spot, 880));
    assert_eq!(m.price_basis, "the contract price for this home (spot, Coventry)");
    let m = matched_with(home(1), &req, Contracts::new(&[fostering], start()));
    assert_eq!(m.price_basis, "the contract price (block, Coventry)");
    assert!(
        reason(&m, Factor::Price).0.starts_with("£4,650 a week, the contract price (block, Coventry): £350 under"),
        "{m:?}"
    );
}

#[test]
fn price_sentence_against_the_ceiling() {
    let mut req = request();
    req.price_ceiling = WeeklyPrice::new(1_000).ok();
    let m = matched(home(1), &req);
    let (s, c) = reason(&m, Factor::Price);
    assert_eq!(s, "£900 a week, the home's own price: £100 under Coventry's ceiling of £1,000.");
    assert!((c - 0.6).abs() < 1e-4, "{c}");
    req.price_ceiling = WeeklyPrice::new(800).ok();
    let m = matched(home(1), &req);
    let (s, c) = reason(&m, Factor::Price);
    assert_eq!(s, "£900 a week, the home's own price: £100 over Coventry's ceiling of £800.");
    assert!((c + 3.0).abs() < 1e-4, "12.5% over is half the way to −1: {c}");
}

#[test]
fn household_sentence() {
    let m = matched(home(1), &request());
    assert_eq!(reason(&m, Factor::Household), ("No other children live here.", 0.0));
    let mut req = request();
    req.children[0].needs = [Need::Aggression].into_iter().collect();
    let m = matched(Home { other_children: 1, ..home(1) }, &req);
    assert_eq!(
        reason(&m, Factor::Household),
        ("1 other child lives here; the child's needs are best met with as few as possible.", 2.5)
    );
    let m = matched(Home { other_children: 3, ..home(1) }, &req);
    assert_eq!(
        reason(&m, Factor::Household),
        ("3 other children live here: more than is best for the child's needs.", -2.5)
    );
    let m = matched(Home { other_children: 4, ..home(1) }, &request());
    assert_eq!(reason(&m, Factor::Household), ("4 other children live here: a busy household.", -2.5));
}

#[test]
fn pets_sentence() {
    let mut req = request();
    req.prefers_pets = Some(true);
    let m = matched(Home { pets: true, ..home(1) }, &req);
    assert_eq!(reason(&m, Factor::Pets), ("Has pets, as the child would like.", 2.0));
    req.prefers_pets = Some(false);
    let m = matched(Home { pets: true, ..home(1) }, &req);
    assert_eq!(reason(&m, Factor::Pets), ("Has pets; the child would rather not live with animals.", -2.0));
    assert!(matched(home(1), &request()).contributions.iter().all(|(f, _)| *f != Factor::Pets));
}

/// Ranks `homes` (each with a two-place vacancy) and returns their ids in order.
fn order(homes: &[Home], req: &MatchRequest, contracts: Contracts) -> Vec<i64> {
    let vacancies: Vec<Vacancy> = homes.iter().map(|h| Vacancy { places: 2, ..vacancy(h) }).collect();
    let index = SupplyIndex::build(homes, &vacancies, contracts);
    index.rank(req, &Weights::default(), 10).matches.iter().map(|m| m.home.0).collect()
}

#[test]
fn a_connected_person_ranks_first_however_far_and_however_weighted() {
    let far = Home { kind: HomeKind::ConnectedPerson, grid: east_of_cv1(150_000), risk: RiskRating::High, ..home(9) };
    let homes = vec![home(1), childrens_home(2), far];
    let mut req = request();
    req.connected_carers = vec![HomeId(9)];
    assert_eq!(order(&homes, &req, Contracts::none())[0], 9);
    let vacancies: Vec<Vacancy> = homes.iter().map(vacancy).collect();
    let index = SupplyIndex::build(&homes, &vacancies, Contracts::none());
    let zero = Weights { connected_person: 0.0, ..Weights::default() };
    assert_eq!(index.rank(&req, &zero, 3).matches[0].home, HomeId(9));
}

#[test]
fn the_cascade_orders_otherwise_equal_homes() {
    let providers = [
        (1, 501, ContractTier::Spot),
        (2, 502, ContractTier::Framework),
        (3, 503, ContractTier::Block),
        (4, 504, ContractTier::InHouse),
    ];
    let homes: Vec<Home> =
        providers.iter().map(|(id, p, _)| Home { provider: OrganisationId(*p), ..home(*id) }).collect();
    let contracts: Vec<Contract> =
        providers.iter().map(|(_, p, t)| Contract { provider: OrganisationId(*p), ..contract(*t, 900) }).collect();
    assert_eq!(order(&homes, &request(), Contracts::new(&contracts, start())), vec![4, 3, 2, 1]);
}

#[test]
fn ties_break_by_distance_then_home_id() {
    let homes = vec![home(3), home(1), home(2)];
    assert_eq!(order(&homes, &request(), Contracts::none()), vec![1, 2, 3]);
    let mut req = request();
    req.home_location = None;
    assert_eq!(order(&homes, &req, Contracts::none()), vec![1, 2, 3]);
}

#[test]
fn nearer_ranks_higher_and_quality_counts() {
    let homes = vec![
        Home { grid: east_of_cv1(30_000), ..home(1) },
        Home { grid: east_of_cv1(5_000), ..home(2) },
        Home { grid: east_of_cv1(15_000), ..home(3) },
    ];
    assert_eq!(order(&homes, &request(), Contracts::none()), vec![2, 3, 1]);
    let homes = vec![
        Home { judgement: Some(Judgement::RequiresImprovement), ..childrens_home(1) },
        Home { judgement: Some(Judgement::Outstanding), ..childrens_home(2) },
        childrens_home(3),
    ];
    assert_eq!(order(&homes, &request(), Contracts::none()), vec![2, 3, 1]);
}

#[test]
fn results_serialise_for_the_api() {
    let m = matched(home(1), &request());
    let json = serde_json::to_value(&m).unwrap();
    assert_eq!(json["home"], 1);
    assert_eq!(json["tier"], "spot");
    assert_eq!(json["contributions"][0][0], "distance");
}

#[test]
fn one_skill_is_counted_in_words() {
    let mut req = request();
    req.children[0].needs = [Need::Missing].into_iter().collect();
    let has = matched(Home { skills: skills(&[Skill::Exploitation]), ..home(1) }, &req);
    assert_eq!(
        reason(&has, Factor::Skills).0,
        "Offers the one skill that helps with the child's needs: Children at risk of exploitation."
    );
    let lacks = matched(home(1), &req);
    assert_eq!(
        reason(&lacks, Factor::Skills).0,
        "Lacks the one skill that would help with the child's needs: Children at risk of exploitation."
    );
}

#[test]
fn distance_sentence_names_what_it_was_measured_from() {
    let mut req = request();
    let cv1 = hearth_domain::PostcodeDistrict::parse("CV1").expect("district");
    req.home_basis = hearth_matching::HomeBasis::ReferralArea(cv1.clone());
    assert_eq!(
        reason(&matched(home(1), &req), Factor::Distance).0,
        "0.6 miles from the centre of CV1, the referral's area (where the child lived is not known)."
    );
    req.home_basis = hearth_matching::HomeBasis::SearchArea(cv1);
    assert_eq!(reason(&matched(home(1), &req), Factor::Distance).0, "0.6 miles from the centre of CV1.");
}

#[test]
fn school_continuity_doubles_the_school_and_says_why() {
    let mut req = request();
    req.school_location = Some(CV1);
    let (_, plain) = reason(&matched(home(1), &req), Factor::School);
    req.school_continuity = true;
    let m = matched(home(1), &req);
    let (s, doubled) = reason(&m, Factor::School);
    assert!((doubled - 2.0 * plain).abs() < 1e-4, "{plain} → {doubled}");
    assert_eq!(s, "0.6 miles from the child's school; staying at this school matters.");
}

#[test]
fn preferred_area_scores_inside_fully_and_falls_with_distance() {
    let mut req = request();
    let area = |d: &str, centre| hearth_matching::Area {
        district: hearth_domain::PostcodeDistrict::parse(d).expect("district"),
        centre: Some(centre),
    };
    req.preferred_area = Some(area("CV1", CV1));
    assert_eq!(reason(&matched(home(1), &req), Factor::PreferredArea), ("In CV1, the preferred area.", 8.0));
    req.preferred_area = Some(area("CV3", east_of_cv1(8_047)));
    let m = matched(home(1), &req);
    let (s, c) = reason(&m, Factor::PreferredArea);
    assert_eq!(s, "In CV1, 4.4 miles from the centre of CV3, the preferred area.");
    assert!(c > 4.0 && c < 4.5, "about half at 5 miles: {c}");
}

#[test]
fn a_preferred_placement_type_scores_and_family_comes_first_otherwise() {
    let mut req = request();
    let foster = matched(home(1), &req);
    assert_eq!(
        reason(&foster, Factor::PlacementType),
        ("A family home: a family setting comes first wherever it meets the child's needs.", 5.0)
    );
    assert_eq!(reason(&matched(childrens_home(1), &req), Factor::PlacementType).1, 0.0);
    req.preferred_kinds = hearth_matching::PlacementKinds::only(hearth_matching::PlacementKind::ChildrensHome);
    assert_eq!(
        reason(&matched(childrens_home(1), &req), Factor::PlacementType),
        ("Children's home: the placement type the referral prefers.", 10.0)
    );
    assert_eq!(
        reason(&matched(home(1), &req), Factor::PlacementType),
        ("Foster care: the referral prefers Children's home.", 0.0)
    );
}

#[test]
fn a_sibling_group_hears_that_no_family_nearby_can_take_them_all() {
    let mut req = request();
    req.children.push(ChildProfile::new(8, Sex::Male));
    req.children.push(ChildProfile::new(6, Sex::Male));
    req.siblings_together = true;
    let family = Home { places: 3, ..home(1) };
    let two = Vacancy { places: 2, ..vacancy(&family) };
    let far_home = Home { grid: east_of_cv1(60_000), places: 4, ..childrens_home(2) };
    let room = Vacancy { places: 3, ..vacancy(&far_home) };
    let index = SupplyIndex::build(&[family, far_home], &[two, room], Contracts::none());
    let result = index.rank(&req, &Weights::default(), 10);
    assert_eq!(result.matches.len(), 1, "only the children's home has room for all three");
    assert_eq!(
        result.notes,
        [
            "No foster family within 20 miles has 3 free places; the nearest family left out only for room has 2 (0.6 miles away)."
        ]
    );
    // A family with room nearby: nothing to say.
    req.children.pop();
    assert!(index.rank(&req, &Weights::default(), 10).notes.is_empty());
}
