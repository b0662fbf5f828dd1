//! Regions made by hand for the stories: a small one whose every record is written out, one that uses
//! every code of every stored code list, and a synthetic one of any size (no demo generator: the
//! stories must not change when the demo does).

use hearth_domain::audit::Actor;
use hearth_domain::child::{Child, ChildReference, ConnectedPerson, LegalStatusChange, Relationship, SenStatus};
use hearth_domain::contract::{Contract, ContractTier, Coverage};
use hearth_domain::home::{
    AgeRange, Home, HomeKind, Judgement, RegistrationStatus, RiskRating, SexAccepted, Skill, Skills, Vacancy,
    WeeklyPrice,
};
use hearth_domain::offer::{Decline, DeclineReason, Offer, OfferStatus};
use hearth_domain::org::{Email, Organisation, OrganisationKind, Role, Sector, User};
use hearth_domain::placement::Placement;
use hearth_domain::quality::{QualityVisit, VisitOutcome};
use hearth_domain::referral::{Need, Referral, ReferralStatus, Urgency};
use hearth_domain::seed::RegionSeed;
use hearth_domain::*;
use jiff::Timestamp;
use jiff::civil::Date;

pub fn date(s: &str) -> Date {
    s.parse().expect("a test date")
}

pub fn ts(s: &str) -> Timestamp {
    s.parse().expect("a test timestamp")
}

fn postcode(s: &str) -> Postcode {
    Postcode::parse(s).expect("a test postcode")
}

fn district(s: &str) -> PostcodeDistrict {
    PostcodeDistrict::parse(s).expect("a test district")
}

fn price(pounds: i64) -> WeeklyPrice {
    WeeklyPrice::new(pounds).expect("a test price")
}

fn ages(min: u8, max: u8) -> AgeRange {
    AgeRange::new(min, max).expect("a test age range")
}

pub fn email(s: &str) -> Email {
    Email::parse(s).expect("a test e-mail")
}

fn reference(s: &str) -> ChildReference {
    ChildReference::parse(s).expect("a test reference")
}

/// `n` days after 1 January 2015.
fn day(n: usize) -> Date {
    date("2015-01-01").checked_add(jiff::Span::new().days(n as i64)).expect("a date in range")
}

pub fn officer() -> Actor {
    Actor {
        user: Some(UserId(1)),
        organisation: Some(OrganisationId(1)),
        label: "officer@coventry.gov.uk".into(),
        from: Some("192.0.2.10".into()),
    }
}

/// Someone acting from a request: a user of an organisation.
pub fn actor(user: i64, organisation: i64, label: &str) -> Actor {
    Actor {
        user: Some(UserId(user)),
        organisation: Some(OrganisationId(organisation)),
        label: label.into(),
        from: Some("198.51.100.7".into()),
    }
}

/// A stand-in for the hex SHA-256 of a secret: 64 hex digits, different for each `n`.
pub fn token_hash(n: u32) -> String {
    format!("{n:064x}")
}

pub fn system() -> Actor {
    Actor::system("hearth conformance")
}

/// An organisation no other seed uses.
pub fn other_provider() -> Organisation {
    org(9_000, OrganisationKind::Provider, "Unrelated Provider Ltd", None, Some(Sector::Private))
}

fn org(id: i64, kind: OrganisationKind, name: &str, la_code: Option<u16>, sector: Option<Sector>) -> Organisation {
    Organisation { id: OrganisationId(id), kind, name: name.into(), la_code, sector }
}

fn user(id: i64, organisation: i64, address: &str, name: &str, role: Role) -> User {
    User {
        id: UserId(id),
        organisation: OrganisationId(organisation),
        email: email(address),
        display_name: name.into(),
        role,
    }
}

/// A plain open children's home; callers change what they test.
fn home(id: i64, provider: i64) -> Home {
    Home {
        id: HomeId(id),
        provider: OrganisationId(provider),
        kind: HomeKind::ChildrensHome,
        name: format!("Home {id}"),
        urn: Some(format!("SC{id:06}")),
        registration: RegistrationStatus::Registered,
        judgement: Some(Judgement::Good),
        last_inspected: Some(date("2025-06-12")),
        risk: RiskRating::Low,
        la_code: Some(331),
        utla: "E08000026".into(),
        district: district("CV2"),
        grid: GridRef { easting: 435_000, northing: 280_000 },
        places: 3,
        ages: ages(8, 17),
        sex: SexAccepted::Any,
        skills: Skills::empty(),
        other_children: 0,
        pets: false,
        weekly_price: price(4_800),
        active: true,
    }
}

fn vacancy(id: i64, home: i64, places: u16, from: &str) -> Vacancy {
    Vacancy {
        id: VacancyId(id),
        home: HomeId(home),
        places,
        available_from: date(from),
        ages: ages(10, 17),
        sex: SexAccepted::Any,
        weekly_price: price(4_900),
    }
}

fn child(id: i64, la_code: u16, reference_: &str, dob: &str) -> Child {
    Child {
        id: ChildId(id),
        la_code,
        reference: reference(reference_),
        date_of_birth: date(dob),
        sex: Sex::Female,
        ethnicity: Ethnicity::Wbri,
        uasc: false,
        disability: false,
        sen: SenStatus::None,
        home_postcode: Some(postcode("CV2 4AB")),
        home_district: Some(district("CV2")),
        school_district: Some(district("CV3")),
        legal_status: LegalStatus::C2,
        category_of_need: Some(CategoryOfNeed::N1),
        sibling_group: None,
        looked_after_since: date("2023-03-14"),
        ceased_on: None,
        connected_persons: Vec::new(),
    }
}

fn placement(id: i64, child: i64, la_code: u16, home: Option<i64>, start: &str) -> Placement {
    Placement {
        id: PlacementId(id),
        child: ChildId(child),
        la_code,
        home: home.map(HomeId),
        referral: None,
        placement_type: PlacementType::K2,
        provider: PlaceProvider::Pr4,
        tier: Some(ContractTier::Spot),
        start: date(start),
        end: None,
        reason_ceased: None,
        reason_change: None,
        planned_ending: None,
        previous: None,
        step_down: false,
        postcode: Some(postcode("CV2 5XY")),
        pl_utla: Some("E08000026".into()),
        distance: Miles(1.2),
        weekly_cost: Some(price(4_800)),
    }
}

fn referral(id: i64, la_code: u16, children: &[i64], status: ReferralStatus, created: &str) -> Referral {
    Referral {
        id: ReferralId(id),
        la_code,
        children: children.iter().copied().map(ChildId).collect(),
        siblings_together: children.len() > 1,
        urgency: Urgency::Planned,
        needed_from: date("2026-12-01"),
        needs: vec![Need::EmotionalBehavioural],
        preferred_district: Some(district("CV2")),
        status,
        created_by: Some(UserId(1)),
        created_at: ts(created),
        closed_at: None,
    }
}

/// Two councils (Coventry 331, Solihull 334), three providers, a hub; homes of several kinds, one
/// inactive; vacancies, one closed; children with connected persons, one who has left care; a sibling
/// referral; offers (one accepted, two from one provider on one referral), declines; placements, one
/// chain of moves and one with parents.
///
/// Who was sent what (the providers that offered or declined): provider 3 referral 200 (its offer
/// accepted); provider 4 referrals 201, 202, 203 and 204; provider 5 referral 201.
pub fn small_region() -> RegionSeed {
    let organisations = vec![
        org(1, OrganisationKind::Council, "Coventry City Council", Some(331), None),
        org(2, OrganisationKind::Council, "Solihull Metropolitan Borough Council", Some(334), None),
        org(3, OrganisationKind::Provider, "Coventry Fostering Service", Some(331), Some(Sector::LocalAuthority)),
        org(4, OrganisationKind::Provider, "Midlands Care Ltd", None, Some(Sector::Private)),
        org(5, OrganisationKind::Provider, "Hope Homes Trust", None, Some(Sector::Voluntary)),
        org(6, OrganisationKind::RegionalHub, "West Midlands Regional Hub", None, None),
    ];
    let users = vec![
        user(1, 1, "officer@coventry.gov.uk", "Placement Officer", Role::PlacementOfficer),
        user(2, 2, "manager@solihull.gov.uk", "Team Manager", Role::TeamManager),
        user(3, 4, "staff@midlandscare.example", "Provider Staff", Role::ProviderStaff),
        user(4, 6, "commissioner@hub.example", "Regional Commissioner", Role::RegionalCommissioner),
    ];

    let foster = Home {
        kind: HomeKind::FosterInHouse,
        name: "Carer household 1".into(),
        urn: None,
        registration: RegistrationStatus::NotRequired,
        judgement: None,
        last_inspected: None,
        // Two children placed (100 and 101) and vacancy 20's one free place: full, as a home may be.
        places: 3,
        ages: ages(0, 17),
        skills: [Skill::SiblingGroups, Skill::Emergency].into_iter().collect(),
        other_children: 1,
        pets: true,
        weekly_price: price(450),
        ..home(10, 3)
    };
    let oak = Home {
        name: "Oak House".into(),
        risk: RiskRating::Medium,
        la_code: Some(334),
        utla: "E08000029".into(),
        district: district("B90"),
        grid: GridRef { easting: 415_000, northing: 277_000 },
        places: 4,
        ages: ages(11, 17),
        sex: SexAccepted::MaleOnly,
        skills: [Skill::Teenagers, Skill::EmotionalBehavioural, Skill::Exploitation].into_iter().collect(),
        weekly_price: price(5_200),
        ..home(11, 4)
    };
    let flat = Home {
        kind: HomeKind::SaSingle,
        name: "Flat 3".into(),
        urn: Some("2654321".into()),
        registration: RegistrationStatus::Applied,
        judgement: None,
        last_inspected: None,
        la_code: None,
        utla: "E10000031".into(),
        district: district("CV34"),
        grid: GridRef { easting: 428_000, northing: 265_000 },
        places: 1,
        ages: ages(16, 17),
        sex: SexAccepted::FemaleOnly,
        weekly_price: price(1_800),
        ..home(12, 5)
    };
    let closed = Home {
        name: "Elm House".into(),
        registration: RegistrationStatus::Suspended,
        judgement: Some(Judgement::Inadequate),
        last_inspected: Some(date("2024-01-10")),
        risk: RiskRating::High,
        skills: [Skill::Therapeutic].into_iter().collect(),
        active: false,
        ..home(13, 4)
    };
    let homes = vec![foster, oak, flat, closed];

    let vacancies = vec![
        Vacancy { ages: ages(0, 12), weekly_price: price(450), ..vacancy(20, 10, 1, "2026-11-20") },
        Vacancy { sex: SexAccepted::MaleOnly, weekly_price: price(5_400), ..vacancy(21, 11, 2, "2026-12-01") },
        Vacancy { sex: SexAccepted::FemaleOnly, ages: ages(16, 17), ..vacancy(22, 12, 0, "2026-10-01") },
        vacancy(23, 11, 1, "2027-01-04"),
    ];
    let contracts = vec![
        Contract {
            id: ContractId(30),
            la_code: 331,
            provider: OrganisationId(3),
            tier: ContractTier::InHouse,
            weekly_price: price(450),
            block_beds: 0,
            starts: date("2020-04-01"),
            ends: None,
            covers: Coverage { kinds: vec![HomeKind::FosterInHouse, HomeKind::ConnectedPerson], homes: vec![] },
        },
        Contract {
            id: ContractId(31),
            la_code: 334,
            provider: OrganisationId(4),
            tier: ContractTier::Block,
            weekly_price: price(5_000),
            block_beds: 2,
            starts: date("2025-04-01"),
            ends: Some(date("2027-03-31")),
            covers: Coverage { kinds: vec![HomeKind::ChildrensHome], homes: vec![HomeId(11)] },
        },
    ];

    let children = vec![
        Child {
            sex: Sex::Male,
            sen: SenStatus::SenSupport,
            sibling_group: Some(SiblingGroupId(7)),
            connected_persons: vec![
                ConnectedPerson {
                    relationship: Relationship::Grandparent,
                    district: Some(district("CV5")),
                    carer_home: Some(HomeId(10)),
                },
                ConnectedPerson { relationship: Relationship::AuntUncle, district: None, carer_home: None },
            ],
            ..child(100, 331, "C0001", "2012-05-01")
        },
        Child {
            ethnicity: Ethnicity::Mwbc,
            sibling_group: Some(SiblingGroupId(7)),
            ..child(101, 331, "C0002", "2014-08-19")
        },
        Child {
            sex: Sex::Male,
            ethnicity: Ethnicity::Bafr,
            uasc: true,
            home_postcode: None,
            home_district: None,
            school_district: None,
            legal_status: LegalStatus::V2,
            category_of_need: None,
            looked_after_since: date("2024-02-01"),
            ceased_on: Some(date("2025-12-01")),
            ..child(102, 331, "C0003", "2009-12-01")
        },
        Child {
            sex: Sex::Unknown,
            ethnicity: Ethnicity::Nobt,
            disability: true,
            sen: SenStatus::Ehcp,
            home_postcode: Some(postcode("B91 3QS")),
            home_district: Some(district("B91")),
            school_district: Some(district("B90")),
            legal_status: LegalStatus::C1,
            looked_after_since: date("2026-09-30"),
            connected_persons: vec![ConnectedPerson {
                relationship: Relationship::FamilyFriend,
                district: Some(district("B92")),
                carer_home: None,
            }],
            ..child(103, 334, "S0001", "2011-03-03")
        },
        // Same reference as a Coventry child: references are unique within a council, not across.
        Child { legal_status: LegalStatus::E1, ..child(104, 334, "C0001", "2016-07-07") },
    ];
    let legal_statuses = [
        (100, LegalStatus::C1, "2023-03-14"),
        (100, LegalStatus::C2, "2023-09-01"),
        (101, LegalStatus::C1, "2023-03-14"),
        (101, LegalStatus::C2, "2023-09-01"),
        (102, LegalStatus::V2, "2024-02-01"),
        (103, LegalStatus::C1, "2026-09-30"),
        (104, LegalStatus::E1, "2023-03-14"),
    ]
    .into_iter()
    .map(|(c, ls, from)| LegalStatusChange { child: ChildId(c), legal_status: ls, from: date(from) })
    .collect();

    let referrals = vec![
        Referral {
            needed_from: date("2023-03-14"),
            closed_at: Some(ts("2023-03-13T16:30:00Z")),
            ..referral(200, 331, &[100, 101], ReferralStatus::Placed, "2023-03-10T09:00:00Z")
        },
        Referral {
            urgency: Urgency::SameDay,
            needed_from: date("2026-09-30"),
            needs: vec![Need::Missing, Need::Cce, Need::SelfHarm],
            preferred_district: Some(district("B90")),
            created_by: Some(UserId(2)),
            ..referral(201, 334, &[103], ReferralStatus::Offers, "2026-09-30T08:15:00.5Z")
        },
        Referral {
            urgency: Urgency::Within72Hours,
            needs: Vec::new(),
            preferred_district: None,
            created_by: None,
            closed_at: Some(ts("2024-02-05T12:00:00Z")),
            ..referral(202, 331, &[102], ReferralStatus::Unmet, "2024-02-01T10:00:00Z")
        },
        // Half a second apart, the newer one with the lower id: newest-first must order by time, and by
        // time rather than by text ("…09:00:00Z" sorts after "…09:00:00.5Z" as text).
        Referral {
            needs: vec![Need::Aggression, Need::EmotionalBehavioural],
            ..referral(203, 331, &[101], ReferralStatus::Offers, "2026-10-01T09:00:00.5Z")
        },
        referral(204, 331, &[100], ReferralStatus::Open, "2026-10-01T09:00:00Z"),
    ];
    let offers = vec![
        Offer {
            id: OfferId(300),
            referral: ReferralId(201),
            provider: OrganisationId(4),
            home: HomeId(11),
            weekly_price: price(5_400),
            start: date("2026-10-01"),
            status: OfferStatus::Made,
            made_at: ts("2026-09-30T11:00:00Z"),
            terms: Default::default(),
        },
        Offer {
            id: OfferId(301),
            referral: ReferralId(200),
            provider: OrganisationId(3),
            home: HomeId(10),
            weekly_price: price(450),
            start: date("2023-03-14"),
            status: OfferStatus::Accepted,
            made_at: ts("2023-03-11T10:00:00Z"),
            terms: Default::default(),
        },
        // Two offers from one provider on one referral: it was sent the referral once.
        Offer {
            id: OfferId(302),
            referral: ReferralId(204),
            provider: OrganisationId(4),
            home: HomeId(11),
            weekly_price: price(5_300),
            start: date("2026-11-01"),
            status: OfferStatus::Withdrawn,
            made_at: ts("2026-10-02T09:00:00Z"),
            terms: Default::default(),
        },
        Offer {
            id: OfferId(303),
            referral: ReferralId(204),
            provider: OrganisationId(4),
            home: HomeId(11),
            weekly_price: price(5_250),
            start: date("2026-11-01"),
            status: OfferStatus::Made,
            made_at: ts("2026-10-02T10:00:00Z"),
            terms: Default::default(),
        },
    ];
    let declines = vec![
        Decline {
            referral: ReferralId(201),
            provider: OrganisationId(5),
            reason: DeclineReason::CannotMeetNeeds,
            declined_at: ts("2026-09-30T10:00:00Z"),
            note: String::new(),
        },
        Decline {
            referral: ReferralId(202),
            provider: OrganisationId(4),
            reason: DeclineReason::NoVacancy,
            declined_at: ts("2024-02-02T09:00:00Z"),
            note: String::new(),
        },
        Decline {
            referral: ReferralId(203),
            provider: OrganisationId(4),
            reason: DeclineReason::Price,
            declined_at: ts("2026-10-01T12:00:00Z"),
            note: String::new(),
        },
    ];

    let placements = vec![
        // Listed before the placement it follows: the load must not depend on order.
        Placement {
            placement_type: PlacementType::U4,
            provider: PlaceProvider::Pr1,
            tier: Some(ContractTier::InHouse),
            previous: Some(PlacementId(400)),
            weekly_cost: Some(price(450)),
            ..placement(401, 100, 331, Some(10), "2024-06-30")
        },
        Placement {
            referral: Some(ReferralId(200)),
            placement_type: PlacementType::U6,
            provider: PlaceProvider::Pr1,
            tier: Some(ContractTier::InHouse),
            end: Some(date("2024-06-30")),
            reason_ceased: Some(ReasonEpisodeCeased::X1),
            reason_change: Some(ReasonPlaceChange::Carpl),
            planned_ending: Some(true),
            weekly_cost: Some(price(450)),
            ..placement(400, 100, 331, Some(10), "2023-03-14")
        },
        Placement {
            referral: Some(ReferralId(200)),
            placement_type: PlacementType::U6,
            provider: PlaceProvider::Pr1,
            tier: Some(ContractTier::InHouse),
            weekly_cost: Some(price(450)),
            ..placement(402, 101, 331, Some(10), "2023-03-14")
        },
        Placement {
            placement_type: PlacementType::P1,
            provider: PlaceProvider::Pr0,
            tier: None,
            end: Some(date("2025-12-01")),
            reason_ceased: Some(ReasonEpisodeCeased::E4a),
            planned_ending: Some(false),
            postcode: None,
            pl_utla: None,
            distance: Miles::UNKNOWN,
            weekly_cost: None,
            ..placement(403, 102, 331, None, "2024-02-01")
        },
        Placement {
            step_down: true,
            postcode: Some(postcode("B90 4AA")),
            pl_utla: Some("E08000029".into()),
            distance: Miles(13.5),
            weekly_cost: Some(price(5_400)),
            ..placement(404, 103, 334, Some(11), "2026-09-30")
        },
    ];
    let quality_visits = vec![
        QualityVisit {
            id: QualityVisitId(500),
            home: HomeId(11),
            la_code: 334,
            due: date("2026-10-01"),
            visited: Some(date("2026-09-28")),
            outcome: Some(VisitOutcome::NoConcerns),
        },
        QualityVisit {
            id: QualityVisitId(501),
            home: HomeId(13),
            la_code: 331,
            due: date("2026-11-01"),
            visited: None,
            outcome: None,
        },
    ];

    RegionSeed {
        organisations,
        users,
        homes,
        vacancies,
        contracts,
        children,
        legal_statuses,
        referrals,
        offers,
        declines,
        placements,
        quality_visits,
    }
}

/// `all[i]`, cycling: the i-th record takes the i-th code.
fn nth<T: Copy>(all: &[T], i: usize) -> T {
    all[i % all.len()]
}

/// The small region plus records that between them use every code of every code list the store keeps,
/// so a CHECK list that drifts from the domain's code list fails a load or a round trip.
pub fn every_code_region() -> RegionSeed {
    let mut seed = small_region();
    let base = 1_000;
    for i in 0..8 {
        let id = base + i as i64;
        seed.organisations.push(org(
            id,
            nth(&[OrganisationKind::Provider, OrganisationKind::RegionalHub, OrganisationKind::Platform], i),
            &format!("Organisation {id}"),
            None,
            Some(nth(Sector::ALL, i)),
        ));
        seed.users.push(user(id, 6, &format!("user{id}@hearth.example"), "Someone", Role::ALL[i]));
    }
    for i in 0..Skill::ALL.len() {
        let id = base + i as i64;
        seed.homes.push(Home {
            kind: nth(HomeKind::ALL, i),
            registration: nth(RegistrationStatus::ALL, i),
            judgement: (i % 5 != 4).then(|| nth(Judgement::ALL, i)),
            risk: nth(RiskRating::ALL, i),
            sex: nth(SexAccepted::ALL, i),
            skills: [Skill::ALL[i]].into_iter().collect(),
            ..home(id, 4)
        });
        seed.vacancies.push(Vacancy { sex: nth(SexAccepted::ALL, i), ..vacancy(id, id, 1, "2026-12-01") });
        seed.quality_visits.push(QualityVisit {
            id: QualityVisitId(id),
            home: HomeId(id),
            la_code: 331,
            due: date("2026-10-01"),
            visited: Some(date("2026-09-30")),
            outcome: Some(nth(VisitOutcome::ALL, i)),
        });
    }
    for (i, tier) in ContractTier::ALL.iter().enumerate() {
        seed.contracts.push(Contract { id: ContractId(base + i as i64), tier: *tier, ..seed.contracts[0].clone() });
    }
    let children = Ethnicity::ALL.len();
    for i in 0..children {
        let id = base + i as i64;
        seed.children.push(Child {
            sex: nth(Sex::ALL, i),
            ethnicity: Ethnicity::ALL[i],
            sen: nth(SenStatus::ALL, i),
            legal_status: nth(LegalStatus::ALL, i),
            category_of_need: Some(nth(CategoryOfNeed::ALL, i)),
            connected_persons: vec![ConnectedPerson {
                relationship: nth(Relationship::ALL, i),
                district: None,
                carer_home: None,
            }],
            ..child(id, 331, &format!("E{id}"), "2012-01-01")
        });
        seed.legal_statuses.push(LegalStatusChange {
            child: ChildId(id),
            legal_status: nth(LegalStatus::ALL, i),
            from: date("2023-03-14"),
        });
    }
    for i in 0..PlacementType::ALL.len() {
        let ended = i % 2 == 0;
        seed.placements.push(Placement {
            placement_type: PlacementType::ALL[i],
            provider: nth(PlaceProvider::ALL, i),
            tier: (i % 5 != 4).then(|| nth(ContractTier::ALL, i)),
            end: ended.then(|| date("2024-01-01")),
            reason_ceased: Some(nth(ReasonEpisodeCeased::ALL, i)),
            reason_change: Some(nth(ReasonPlaceChange::ALL, i)),
            planned_ending: Some(ended),
            ..placement(base + i as i64, base + (i % children) as i64, 331, Some(base), "2023-03-14")
        });
    }
    for i in 0..Need::ALL.len() {
        let id = base + i as i64;
        seed.referrals.push(Referral {
            urgency: nth(Urgency::ALL, i),
            needs: vec![Need::ALL[i]],
            ..referral(id, 331, &[base + i as i64], nth(ReferralStatus::ALL, i), "2026-01-01T00:00:00Z")
        });
        seed.offers.push(Offer {
            id: OfferId(id),
            referral: ReferralId(id),
            provider: OrganisationId(4),
            home: HomeId(base),
            weekly_price: price(4_000),
            start: date("2026-02-01"),
            status: nth(OfferStatus::ALL, i),
            made_at: ts("2026-01-02T00:00:00Z"),
            terms: Default::default(),
        });
        seed.declines.push(Decline {
            referral: ReferralId(id),
            provider: OrganisationId(5),
            reason: nth(DeclineReason::ALL, i),
            declined_at: ts("2026-01-02T00:00:00Z"),
            note: String::new(),
        });
    }
    seed
}

/// A region shaped like the demo's, `children` children and the rest in the demo's proportions
/// (12,000 children: ~600 organisations, ~1,000 users, 5,000 homes and vacancies, 40,000 placements,
/// 15,000 referrals, 60,000 offers and declines). Each child's placements are listed latest first, so
/// "previous" points forward in the load, across statement boundaries too.
pub fn synthetic_region(children: usize) -> RegionSeed {
    let councils: Vec<u16> = council::WEST_MIDLANDS.iter().map(|c| c.la_code).collect();
    let providers = (children * 586 / 12_000).max(1);
    let homes = children * 5 / 12;
    let users = children / 12;
    let referrals = children * 5 / 4;
    let offers = children * 15 / 4;
    let declines = children * 5 / 4;
    let mut seed = RegionSeed::default();

    for (i, la) in councils.iter().enumerate() {
        seed.organisations.push(org(
            i as i64 + 1,
            OrganisationKind::Council,
            &format!("Council {la}"),
            Some(*la),
            None,
        ));
    }
    let first_provider = councils.len() as i64 + 1;
    for p in 0..providers {
        let id = first_provider + p as i64;
        seed.organisations.push(org(
            id,
            OrganisationKind::Provider,
            &format!("Provider {id}"),
            None,
            Some(nth(Sector::ALL, p)),
        ));
    }
    for u in 0..users {
        let id = u as i64 + 1;
        seed.users.push(user(
            id,
            1 + (u % councils.len()) as i64,
            &format!("user{id}@hearth.example"),
            "A user",
            Role::PlacementOfficer,
        ));
    }
    for h in 0..homes {
        let id = h as i64 + 1;
        seed.homes.push(Home {
            kind: nth(HomeKind::ALL, h),
            skills: [nth(Skill::ALL, h), nth(Skill::ALL, h + 5)].into_iter().collect(),
            la_code: Some(nth(&councils, h)),
            ..home(id, first_provider + (h % providers) as i64)
        });
        seed.vacancies.push(vacancy(id, id, (h % 3) as u16, "2026-12-01"));
    }
    for c in 0..users {
        seed.contracts.push(Contract {
            id: ContractId(c as i64 + 1),
            la_code: nth(&councils, c),
            provider: OrganisationId(first_provider + (c % providers) as i64),
            tier: nth(ContractTier::ALL, c),
            weekly_price: price(4_000),
            block_beds: 1,
            starts: date("2024-04-01"),
            ends: None,
            covers: Coverage::every_kind(),
        });
    }
    let mut placement_id = 0;
    for c in 0..children {
        let id = c as i64 + 1;
        let la = nth(&councils, c);
        let moves = 3 + c % 2; // 3 or 4 placements: 3.5 a child, as the demo's 40,000 for 12,000
        seed.children.push(Child {
            connected_persons: if c % 3 == 0 {
                vec![ConnectedPerson { relationship: nth(Relationship::ALL, c), district: None, carer_home: None }]
            } else {
                Vec::new()
            },
            looked_after_since: day(c % 2_000),
            ..child(id, la, &format!("R{id:07}"), "2012-01-01")
        });
        seed.legal_statuses.push(LegalStatusChange {
            child: ChildId(id),
            legal_status: LegalStatus::C2,
            from: day(c % 2_000),
        });
        let first = placement_id + 1;
        placement_id += moves as i64;
        for m in (0..moves).rev() {
            let start = day(c % 2_000 + m * 100);
            seed.placements.push(Placement {
                end: (m + 1 < moves).then(|| day(c % 2_000 + (m + 1) * 100)),
                previous: (m > 0).then(|| PlacementId(first + m as i64 - 1)),
                ..placement(first + m as i64, id, la, Some(1 + (c % homes.max(1)) as i64), &start.to_string())
            });
        }
    }
    for r in 0..referrals {
        let id = r as i64 + 1;
        seed.referrals.push(Referral {
            needs: vec![nth(Need::ALL, r), nth(Need::ALL, r + 1)],
            created_by: Some(UserId(1 + (r % users.max(1)) as i64)),
            ..referral(id, 331, &[1 + (r % children) as i64], nth(ReferralStatus::ALL, r), "2026-01-01T00:00:00Z")
        });
    }
    for o in 0..offers {
        let home = 1 + o % homes.max(1);
        seed.offers.push(Offer {
            id: OfferId(o as i64 + 1),
            referral: ReferralId(1 + (o % referrals) as i64),
            provider: seed.homes[home - 1].provider,
            home: HomeId(home as i64),
            weekly_price: price(4_000),
            start: date("2026-02-01"),
            // A referral's offers all name one home; shifting the status by the round (`o / referrals`)
            // gives each of them a different one, so no referral has two live offers of one home nor two
            // accepted offers (the database's unique indexes refuse both).
            status: nth(OfferStatus::ALL, o % referrals + o / referrals),
            made_at: ts("2026-01-02T00:00:00Z"),
            terms: Default::default(),
        });
    }
    for d in 0..declines {
        seed.declines.push(Decline {
            referral: ReferralId(1 + (d % referrals) as i64),
            provider: OrganisationId(first_provider + (d % providers) as i64),
            reason: nth(DeclineReason::ALL, d),
            declined_at: ts("2026-01-02T00:00:00Z"),
            note: String::new(),
        });
    }
    for q in 0..children / 6 {
        seed.quality_visits.push(QualityVisit {
            id: QualityVisitId(q as i64 + 1),
            home: HomeId(1 + (q % homes.max(1)) as i64),
            la_code: nth(&councils, q),
            due: date("2026-10-01"),
            visited: None,
            outcome: None,
        });
    }
    seed
}
