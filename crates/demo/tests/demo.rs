//! The demo region checked against the published figures it reproduces and the rules every record
//! must keep. One region is generated and shared by the tests (a second and third only for the
//! determinism test).

use hearth_demo::{DemoConfig, GROUPS, demo_logins, generate, unique_slugs};
use hearth_domain::child::parse_child_dob;
use hearth_domain::council::{WEST_MIDLANDS, council_by_la_code};
use hearth_domain::geo::dfe_distance;
use hearth_domain::home::{AgeRange, HomeKind, WeeklyPrice};
use hearth_domain::offer::OfferStatus;
use hearth_domain::org::{OrganisationKind, Role};
use hearth_domain::placement::Placement;
use hearth_domain::referral::ReferralStatus;
use hearth_domain::seed::RegionSeed;
use hearth_domain::{PlaceProvider, PlacementGroup, Postcode};
use hearth_reference::Gazetteer;
use hearth_reference::dfe::{
    self, Boundary, DistanceBand, March31Group, March31Measure, Population, StabilityCohort, StabilityMeasure,
};
use hearth_reference::{Figure, ofsted};
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// The default demo, or another seed with `HEARTH_DEMO_SEED=7 cargo test -p hearth-demo`.
static CONFIG: LazyLock<DemoConfig> = LazyLock::new(|| {
    let seed = std::env::var("HEARTH_DEMO_SEED").ok().and_then(|s| s.parse().ok());
    DemoConfig { seed: seed.unwrap_or(DemoConfig::default().seed), ..DemoConfig::default() }
});
static REGION: LazyLock<RegionSeed> = LazyLock::new(|| generate(&CONFIG));

fn today() -> Date {
    CONFIG.today
}

fn looked_after(la: u16) -> u32 {
    dfe::children(la, 2025, Population::On31March).and_then(Figure::value).expect("published")
}

/// Today's placement of each child looked after, by council.
fn current_by_council() -> BTreeMap<u16, Vec<&'static Placement>> {
    let mut out: BTreeMap<u16, Vec<&Placement>> = BTreeMap::new();
    for p in REGION.placements.iter().filter(|p| p.end.is_none()) {
        out.entry(p.la_code).or_default().push(p);
    }
    out
}

fn share(n: usize, of: usize) -> f64 {
    100.0 * n as f64 / of.max(1) as f64
}

/// Published figure as a percentage of the council's children, `None` when suppressed.
fn published_share(la: u16, group: March31Group, measure: March31Measure) -> Option<f64> {
    let n = dfe::march31_figure(la, 2025, group, measure)?.value()?;
    Some(100.0 * f64::from(n) / f64::from(looked_after(la)))
}

#[test]
fn the_same_seed_gives_the_same_region_and_another_seed_another() {
    let again = generate(&CONFIG);
    let a = serde_json::to_vec(&*REGION).expect("serialises");
    let b = serde_json::to_vec(&again).expect("serialises");
    assert!(a == b, "two runs with seed {} differ", CONFIG.seed);
    let other = generate(&DemoConfig { seed: CONFIG.seed + 1, ..*CONFIG });
    assert_ne!(serde_json::to_vec(&other).expect("serialises"), a);
    // The councils' totals do not depend on the seed.
    assert_eq!(other.children.iter().filter(|c| c.ceased_on.is_none()).count(), 11_564);
}

#[test]
fn each_council_looks_after_exactly_dfes_2025_number() {
    let mut by_council: BTreeMap<u16, u32> = BTreeMap::new();
    for c in REGION.children.iter().filter(|c| c.ceased_on.is_none()) {
        *by_council.entry(c.la_code).or_default() += 1;
    }
    for c in WEST_MIDLANDS {
        assert_eq!(by_council.get(&c.la_code).copied().unwrap_or(0), looked_after(c.la_code), "{}", c.name);
    }
    assert_eq!(by_council.values().sum::<u32>(), 11_564);
    assert!(REGION.children.iter().any(|c| c.ceased_on.is_some()), "children who left care in the past year");
}

#[test]
fn placement_types_match_dfes_mix_per_council() {
    let current = current_by_council();
    for c in WEST_MIDLANDS {
        let mine = &current[&c.la_code];
        for g in GROUPS {
            let Some(want) = published_share(c.la_code, March31Group::Placement, March31Measure::Placement(g)) else {
                continue;
            };
            let got = share(mine.iter().filter(|p| p.placement_type.group() == g).count(), mine.len());
            assert!((got - want).abs() <= 2.0, "{} {g:?}: {got:.1}% against DfE's {want:.1}%", c.name);
        }
    }
}

#[test]
fn providers_match_dfes_mix_per_council() {
    let current = current_by_council();
    for c in WEST_MIDLANDS {
        let mine = &current[&c.la_code];
        for code in [PlaceProvider::Pr0, PlaceProvider::Pr1, PlaceProvider::Pr4, PlaceProvider::Pr5] {
            let Some(mut want) =
                published_share(c.la_code, March31Group::PlaceProviders, March31Measure::Provider(Some(code)))
            else {
                continue;
            };
            // Hearth records "other" placements (no provider in DfE's return) as private.
            if code == PlaceProvider::Pr4 {
                want += published_share(c.la_code, March31Group::PlaceProviders, March31Measure::Provider(None))
                    .unwrap_or(0.0);
            }
            let got = share(mine.iter().filter(|p| p.provider == code).count(), mine.len());
            assert!((got - want).abs() <= 3.0, "{} {code}: {got:.1}% against DfE's {want:.1}%", c.name);
        }
    }
}

#[test]
fn distance_and_locality_match_dfe_per_council() {
    let current = current_by_council();
    for c in WEST_MIDLANDS {
        let mine = &current[&c.la_code];
        let over =
            published_share(c.la_code, March31Group::Distance, March31Measure::Distance(DistanceBand::OverTwenty))
                .expect("published");
        let got = share(mine.iter().filter(|p| p.distance.over_twenty()).count(), mine.len());
        assert!((got - over).abs() <= 2.0, "{} over 20 miles: {got:.1}% against DfE's {over:.1}%", c.name);

        let unknown =
            published_share(c.la_code, March31Group::Distance, March31Measure::Distance(DistanceBand::NotKnown))
                .expect("published");
        let got = share(mine.iter().filter(|p| p.distance.is_unknown()).count(), mine.len());
        assert!((got - unknown).abs() <= 2.0, "{} distance unknown: {got:.1}% against DfE's {unknown:.1}%", c.name);

        let inside = published_share(c.la_code, March31Group::Locality, March31Measure::Locality(Boundary::Inside))
            .expect("published");
        let got = share(mine.iter().filter(|p| p.pl_utla.as_deref() == Some(c.ons_code)).count(), mine.len());
        assert!((got - inside).abs() <= 2.0, "{} inside the boundary: {got:.1}% against DfE's {inside:.1}%", c.name);
    }
}

#[test]
fn stability_is_close_to_dfes_per_council() {
    let year_ago = today().checked_sub(jiff::Span::new().days(365)).expect("date");
    let two_years_ago = today().checked_sub(jiff::Span::new().days(730)).expect("date");
    let long_term_start = today().checked_sub(jiff::Span::new().days(913)).expect("date");
    let mut by_child: BTreeMap<i64, Vec<&Placement>> = BTreeMap::new();
    for p in &REGION.placements {
        by_child.entry(p.child.0).or_default().push(p);
    }
    for c in WEST_MIDLANDS {
        let kids: Vec<_> = REGION.children.iter().filter(|k| k.la_code == c.la_code && k.ceased_on.is_none()).collect();
        let three_plus = kids
            .iter()
            .filter(|k| by_child[&k.id.0].iter().filter(|p| p.end.is_none_or(|e| e > year_ago)).count() >= 3)
            .count();
        let (_, pct) =
            dfe::stability_figure(c.la_code, 2025, StabilityCohort::On31March, StabilityMeasure::ThreeOrMorePlacements)
                .expect("published");
        let want = f64::from(pct.value().expect("published"));
        let got = share(three_plus, kids.len());
        assert!((got - want).abs() <= 1.5, "{} 3+ placements: {got:.1}% against DfE's {want}%", c.name);

        let cohort: Vec<_> =
            kids.iter().filter(|k| k.age_on(today()) < 16 && k.looked_after_since <= long_term_start).collect();
        let same = cohort
            .iter()
            .filter(|k| by_child[&k.id.0].iter().any(|p| p.end.is_none() && p.start <= two_years_ago))
            .count();
        let (_, pct) = dfe::stability_figure(
            c.la_code,
            2025,
            StabilityCohort::LongTermUnder16,
            StabilityMeasure::SameCarerTwoYears,
        )
        .expect("published");
        let want = f64::from(pct.value().expect("published"));
        let got = share(same, cohort.len());
        assert!((got - want).abs() <= 2.5, "{} same carer 2+ years: {got:.1}% against DfE's {want}%", c.name);
    }
}

fn unique<T: Ord + Copy>(ids: impl Iterator<Item = T>, table: &str) -> BTreeSet<T> {
    let mut seen = BTreeSet::new();
    for id in ids {
        assert!(seen.insert(id), "{table}: a repeated id");
    }
    seen
}

#[test]
fn every_id_is_unique_and_every_reference_resolves() {
    let r = &*REGION;
    let orgs = unique(r.organisations.iter().map(|o| o.id), "organisations");
    let users = unique(r.users.iter().map(|u| u.id), "users");
    let homes = unique(r.homes.iter().map(|h| h.id), "homes");
    let children = unique(r.children.iter().map(|c| c.id), "children");
    let referrals = unique(r.referrals.iter().map(|x| x.id), "referrals");
    let placements = unique(r.placements.iter().map(|p| p.id), "placements");
    unique(r.vacancies.iter().map(|v| v.id), "vacancies");
    unique(r.contracts.iter().map(|c| c.id), "contracts");
    unique(r.offers.iter().map(|o| o.id), "offers");
    unique(r.quality_visits.iter().map(|q| q.id), "quality visits");
    let councils: BTreeSet<u16> = WEST_MIDLANDS.iter().map(|c| c.la_code).collect();

    for u in &r.users {
        assert!(orgs.contains(&u.organisation));
    }
    let home_owner: BTreeMap<_, _> = r.homes.iter().map(|h| (h.id, h.provider)).collect();
    for h in &r.homes {
        assert!(orgs.contains(&h.provider));
    }
    for v in &r.vacancies {
        assert!(homes.contains(&v.home));
    }
    for c in &r.contracts {
        assert!(orgs.contains(&c.provider) && councils.contains(&c.la_code));
    }
    let child_la: BTreeMap<_, _> = r.children.iter().map(|c| (c.id, c.la_code)).collect();
    for c in &r.children {
        assert!(councils.contains(&c.la_code));
        for cp in &c.connected_persons {
            assert!(cp.carer_home.is_none_or(|h| homes.contains(&h)));
        }
    }
    for l in &r.legal_statuses {
        assert!(children.contains(&l.child));
    }
    for x in &r.referrals {
        assert!(!x.children.is_empty());
        assert!(
            x.children.iter().all(|c| child_la.get(c) == Some(&x.la_code)),
            "a referral for another council's child"
        );
        assert!(x.created_by.is_none_or(|u| users.contains(&u)));
    }
    for o in &r.offers {
        assert!(referrals.contains(&o.referral) && orgs.contains(&o.provider));
        assert_eq!(home_owner.get(&o.home), Some(&o.provider), "an offer of another provider's home");
    }
    for d in &r.declines {
        assert!(referrals.contains(&d.referral) && orgs.contains(&d.provider));
    }
    let referral_children: BTreeMap<_, _> = r.referrals.iter().map(|x| (x.id, &x.children)).collect();
    for p in &r.placements {
        assert_eq!(child_la.get(&p.child), Some(&p.la_code));
        assert!(p.home.is_none_or(|h| homes.contains(&h)));
        assert!(p.previous.is_none_or(|q| placements.contains(&q)));
        if let Some(rid) = p.referral {
            assert!(referral_children[&rid].contains(&p.child));
        }
    }
    for q in &r.quality_visits {
        assert!(homes.contains(&q.home) && councils.contains(&q.la_code));
    }
    let mut groups: BTreeMap<_, Vec<u16>> = BTreeMap::new();
    for c in &r.children {
        if let Some(g) = c.sibling_group {
            groups.entry(g).or_default().push(c.la_code);
        }
    }
    assert!(!groups.is_empty());
    for members in groups.values() {
        assert!(
            members.len() >= 2 && members.iter().all(|la| *la == members[0]),
            "sibling groups are 2+ children of one council"
        );
    }
}

#[test]
fn placements_never_overlap_and_each_child_in_care_has_one_open() {
    let mut by_child: BTreeMap<_, Vec<&Placement>> = BTreeMap::new();
    for p in &REGION.placements {
        by_child.entry(p.child).or_default().push(p);
    }
    for c in &REGION.children {
        let mut ps = by_child.remove(&c.id).expect("every child has placements");
        ps.sort_by_key(|p| p.start);
        let open = ps.iter().filter(|p| p.end.is_none()).count();
        assert_eq!(open, usize::from(c.ceased_on.is_none()), "child {}: {open} open placements", c.id);
        assert_eq!(ps[0].start, c.looked_after_since, "the first placement starts the period of care");
        assert!(ps[0].previous.is_none());
        for w in ps.windows(2) {
            let end = w[0].end.expect("only the last may be open");
            assert!(end <= w[1].start, "child {}: placements overlap", c.id);
            assert_eq!(w[1].previous, Some(w[0].id));
        }
        for p in &ps {
            assert!(p.end.is_none_or(|e| Placement::check_end(p.start, e).is_ok()));
            assert!(p.start <= today() && p.end.is_none_or(|e| e <= today()));
        }
        if let Some(left) = c.ceased_on {
            let last = ps.last().expect("placements");
            assert_eq!(last.end, Some(left));
            assert!(last.reason_ceased.is_some_and(|r| r.leaves_care()));
        }
    }
}

#[test]
fn every_child_is_0_to_17_today_and_every_value_is_valid() {
    for c in &REGION.children {
        assert!(
            parse_child_dob(&c.date_of_birth.to_string(), today()).is_ok(),
            "child {} born {}",
            c.id,
            c.date_of_birth
        );
        assert!(c.looked_after_since >= c.date_of_birth);
        if let Some(pc) = &c.home_postcode {
            assert_eq!(Postcode::parse(pc.as_str()).as_ref(), Ok(pc));
            let u = Gazetteer::get().lookup(pc).expect("a real West Midlands postcode");
            assert_eq!(Some(u.utla_code), council_by_la_code(c.la_code).map(|k| k.ons_code), "home within the council");
        }
        assert!(c.uasc.then_some(()).is_none() || c.home_postcode.is_none(), "DfE records no home postcode for UASC");
    }
    for h in &REGION.homes {
        assert_eq!(AgeRange::new(h.ages.min, h.ages.max), Ok(h.ages), "{}", h.name);
        assert!(WeeklyPrice::new(i64::from(h.weekly_price.pounds())).is_ok());
        assert!(h.places >= 1);
    }
    let places: BTreeMap<_, _> = REGION.homes.iter().map(|h| (h.id, h.places)).collect();
    for v in &REGION.vacancies {
        assert!(v.places >= 1 && v.places <= places[&v.home]);
        assert!((v.available_from - today()).get_days().abs() <= 31, "available from near today");
    }
}

#[test]
fn placements_agree_with_their_homes_and_dfes_rules() {
    let g = Gazetteer::get();
    let homes: BTreeMap<_, _> = REGION.homes.iter().map(|h| (h.id, h)).collect();
    let orgs: BTreeMap<_, _> = REGION.organisations.iter().map(|o| (o.id, o)).collect();
    let children: BTreeMap<_, _> = REGION.children.iter().map(|c| (c.id, c)).collect();
    let mut open_per_home: BTreeMap<_, u16> = BTreeMap::new();
    for p in &REGION.placements {
        // A code must be valid in the last collection year the placement is reported in (councils recode
        // open placements when DfE withdraws a code, as with Z1 on 1 April 2025).
        let last_day = p.end.unwrap_or_else(today);
        let year_ending = last_day.year() + i16::from(last_day.month() >= 4);
        assert!(p.placement_type.valid_in(year_ending), "{} not valid in {year_ending}", p.placement_type);
        let child = children[&p.child];
        let home_grid = child.home_postcode.as_ref().and_then(|pc| g.lookup(pc)).map(|u| u.grid);
        let place_grid = match (p.postcode.as_ref(), p.home) {
            (Some(pc), _) => g.lookup(pc).map(|u| u.grid),
            (None, Some(h)) => Some(homes[&h].grid),
            (None, None) => None,
        };
        assert_eq!(p.distance, dfe_distance(home_grid, place_grid), "DfE's distance, recomputed");
        let Some(h) = p.home else {
            assert!(matches!(
                p.placement_type.group(),
                PlacementGroup::WithParents
                    | PlacementGroup::PlacedForAdoption
                    | PlacementGroup::OtherResidential
                    | PlacementGroup::Other
            ));
            continue;
        };
        let home = homes[&h];
        assert!([home.kind.placement_type(true), home.kind.placement_type(false)].contains(&p.placement_type));
        let owner = orgs[&home.provider];
        let own = owner.la_code == Some(p.la_code);
        assert_eq!(Some(p.provider), owner.sector.map(|s| s.place_provider(own)), "PLACE_PROVIDER from the owner");
        assert_eq!(p.pl_utla.as_deref(), Some(home.utla.as_str()), "PL_LA is the home's council");
        assert!(p.weekly_cost.is_some() && p.tier.is_some());
        if p.end.is_none() {
            *open_per_home.entry(h).or_default() += 1;
        }
    }
    for (h, n) in open_per_home {
        assert!(n <= homes[&h].places, "{} holds {n} children in {} places", homes[&h].name, homes[&h].places);
    }
}

#[test]
fn registered_homes_are_the_real_register() {
    let register = ofsted::providers();
    let mut seen = BTreeSet::new();
    for h in &REGION.homes {
        if let Some(urn) = &h.urn {
            let p = ofsted::provider(urn).unwrap_or_else(|| panic!("{urn} is not in Ofsted's register"));
            if matches!(
                h.kind,
                HomeKind::ChildrensHome | HomeKind::ResidentialSpecialSchool | HomeKind::SecureChildrensHome
            ) {
                assert!(seen.insert(urn.clone()), "{urn} listed twice");
                assert_eq!(h.places, p.places.unwrap_or(0));
                assert_eq!(h.judgement, p.judgement);
            }
        } else {
            assert!(!matches!(
                h.kind,
                HomeKind::ChildrensHome | HomeKind::ResidentialSpecialSchool | HomeKind::SecureChildrensHome
            ));
        }
    }
    let settings =
        register.iter().filter(|p| p.provision_type != ofsted::ProvisionType::IndependentFosteringAgency).count();
    assert_eq!(seen.len(), settings, "every registered setting shipped is a home");
    assert!(REGION.homes.iter().any(|h| h.kind == HomeKind::FosterAgency && h.urn.is_some()));
}

#[test]
fn users_follow_the_demo_pattern() {
    let slugs = unique_slugs(&REGION.organisations);
    let slug_of: BTreeMap<_, _> = REGION.organisations.iter().zip(&slugs).map(|(o, s)| (o.id, s.as_str())).collect();
    let mut emails = BTreeSet::new();
    for u in &REGION.users {
        let want = format!("{}.{}@hearth.test", u.role.code().replace('_', "-"), slug_of[&u.organisation]);
        assert_eq!(u.email.as_str(), want);
        // RFC 5321, which mail servers enforce: every demo login is a deliverable address.
        let local = u.email.as_str().split('@').next().expect("local part");
        assert!(local.len() <= 64, "{} has {} characters before the @", u.email.as_str(), local.len());
        assert!(emails.insert(u.email.as_str()), "{} twice", u.email.as_str());
        let org = REGION.organisations.iter().find(|o| o.id == u.organisation).expect("organisation");
        assert!(u.role.fits(org.kind), "{:?} in a {:?}", u.role, org.kind);
    }
    for s in &slugs {
        assert!(s.len() <= hearth_demo::MAX_ORG_SLUG, "{s}");
        assert!(
            s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !s.starts_with('-')
                && !s.ends_with('-')
        );
    }
    let logins = demo_logins(&REGION);
    let has = |email: &str| logins.iter().any(|l| l.email == email);
    assert!(has("placement-officer.coventry@hearth.test"));
    assert!(has("platform-administrator.hearth@hearth.test"));
    assert!(has("regional-commissioner.west-midlands-regional-commissioning-hub@hearth.test"));
    let per_kind = |kind: OrganisationKind| REGION.organisations.iter().filter(|o| o.kind == kind).count();
    assert_eq!(per_kind(OrganisationKind::Council), 14);
    assert_eq!(REGION.users.iter().filter(|u| u.role == Role::PlacementOfficer).count(), 14);
    assert_eq!(
        REGION.users.iter().filter(|u| u.role == Role::ProviderManager).count(),
        per_kind(OrganisationKind::Provider)
    );
}

#[test]
fn referrals_offers_and_contracts_hang_together() {
    let r = &*REGION;
    let mut accepted: BTreeMap<_, Vec<_>> = BTreeMap::new();
    for o in &r.offers {
        if o.status == OfferStatus::Accepted {
            accepted.entry(o.referral).or_default().push(o);
        }
    }
    let placed_placements: BTreeMap<_, Vec<&Placement>> =
        r.placements.iter().filter_map(|p| p.referral.map(|x| (x, p))).fold(BTreeMap::new(), |mut m, (x, p)| {
            m.entry(x).or_insert_with(Vec::new).push(p);
            m
        });
    let mut statuses: BTreeMap<ReferralStatus, usize> = BTreeMap::new();
    for x in &r.referrals {
        *statuses.entry(x.status).or_default() += 1;
        assert!(x.closed_at.is_none_or(|c| c >= x.created_at));
        match x.status {
            ReferralStatus::Placed => {
                let offer = &accepted[&x.id];
                assert_eq!(offer.len(), 1, "one accepted offer");
                let ps = &placed_placements[&x.id];
                assert!(ps.iter().all(|p| p.home == Some(offer[0].home)
                    && p.start == offer[0].start
                    && p.weekly_cost == Some(offer[0].weekly_price)));
            }
            s => assert!(!accepted.contains_key(&x.id), "{s:?} referral with an accepted offer"),
        }
        assert_eq!(x.closed_at.is_none(), !x.status.is_closed());
    }
    let total = r.referrals.len();
    assert!(statuses[&ReferralStatus::Placed] * 100 / total >= 75, "mostly placed: {statuses:?}");
    for s in [ReferralStatus::Unmet, ReferralStatus::Withdrawn, ReferralStatus::Open] {
        assert!(statuses.get(&s).copied().unwrap_or(0) > 0, "some {s:?}");
    }
    assert!(r.declines.len() > total / 2);
    let first_referral = r.referrals.iter().map(|x| x.created_at).min().expect("referrals");
    let year_ago =
        jiff::civil::date(2025, 11, 25).to_zoned_datetime(jiff::tz::TimeZone::UTC).expect("date").timestamp();
    assert!(first_referral < year_ago, "a year or more of referrals");
    let tiers: BTreeSet<_> = r.contracts.iter().map(|c| c.tier).collect();
    assert_eq!(tiers.len(), 4, "in-house, block, framework and spot contracts");
    assert!(r.quality_visits.iter().any(|q| q.is_overdue(today())));
    assert!(r.quality_visits.iter().any(|q| q.visited.is_some()));
}

/// Each contract is for a service its provider runs, and prices the homes it covers near what they
/// ask: no foster home at a children's home's price, no children's home at a foster carer's.
#[test]
fn contracts_price_the_homes_they_cover_near_their_own_price() {
    let r = &*REGION;
    for c in &r.contracts {
        assert!(!c.covers.kinds.is_empty() || !c.covers.homes.is_empty(), "contract {} covers nothing", c.id);
        let covered: Vec<_> =
            r.homes.iter().filter(|h| h.provider == c.provider && c.covers.covers(h.id, h.kind).is_some()).collect();
        for h in covered {
            let ratio = f64::from(c.weekly_price.pounds()) / f64::from(h.weekly_price.pounds());
            assert!(
                (0.5..=2.0).contains(&ratio),
                "contract {} ({:?}, £{}) prices {} ({}, £{})",
                c.id,
                c.tier,
                c.weekly_price.pounds(),
                h.id,
                h.kind.code(),
                h.weekly_price.pounds()
            );
        }
    }
}

/// The store keeps one legal status a day per child (the 903 has no same-day episode), and every
/// organisation needs a name: a region that breaks either cannot be loaded.
#[test]
fn legal_statuses_are_one_a_day_and_every_organisation_is_named() {
    let mut seen = BTreeSet::new();
    for ls in &REGION.legal_statuses {
        assert!(seen.insert((ls.child, ls.from)), "child {} has two legal statuses on {}", ls.child, ls.from);
    }
    assert!(REGION.organisations.iter().all(|o| !o.name.trim().is_empty()));
    assert!(REGION.homes.iter().all(|h| !h.name.trim().is_empty()));
}

/// A referral's start date follows its urgency: same day on the day it was made, within 72 hours
/// within three days, planned a week or more ahead.
#[test]
fn referral_start_dates_follow_their_urgency() {
    use hearth_domain::referral::Urgency;
    let tz = jiff::tz::TimeZone::get("Europe/London").expect("tz");
    for r in &REGION.referrals {
        let made = r.created_at.to_zoned_datetime(tz.clone()).date();
        let lead = (r.needed_from - made).get_days();
        let ok = match r.urgency {
            Urgency::SameDay => lead == 0,
            Urgency::Within72Hours => (0..=3).contains(&lead),
            Urgency::Planned => lead >= 7,
        };
        assert!(ok, "referral {} is {} but needed {lead} days after it was made", r.id, r.urgency);
    }
}
