//! A deterministic, realistic West Midlands for demos, tests and benchmarks, built from the real
//! public data in `hearth-reference`: the 14 councils' children looked after today in DfE's 2025
//! numbers and mix, Ofsted's registered homes and agencies, foster households and supported
//! accommodation where no public list exists, and a year and more of placements, referrals, offers,
//! contracts and quality visits.
//!
//! `generate` with the same [`DemoConfig`] gives a byte-identical [`RegionSeed`]: every random draw
//! comes from ChaCha streams derived from the seed, never from the clock. What is real, what is
//! invented and why is set out in `crates/demo/README.md`.

mod fit;
mod homes;
mod market;
mod orgs;
mod placing;
mod plan;
mod profile;
mod space;
mod targets;
mod util;

pub use orgs::{HUB_NAME, MAX_ORG_SLUG, PLATFORM_NAME, demo_email, slug, unique_slugs};
pub use targets::{CouncilTargets, DFE_YEAR, GROUPS, PROVIDERS, Where};

use crate::homes::{Homes, OPEN};
use crate::market::{Referrals, Terms};
use crate::placing::Placer;
use crate::plan::Setting;
use crate::space::{Area, Reach, Space};
use crate::util::{Calendar, stream};
use hearth_domain::LegalStatus;
use hearth_domain::child::{Child, ChildReference, ConnectedPerson, LegalStatusChange};
use hearth_domain::contract::ContractTier;
use hearth_domain::council::WEST_MIDLANDS;
use hearth_domain::geo::dfe_distance;
use hearth_domain::org::Role;
use hearth_domain::placement::Placement;
use hearth_domain::seed::RegionSeed;
use hearth_domain::{ChildId, PlacementId, SiblingGroupId};
use hearth_reference::Gazetteer;
use hearth_reference::ofsted::{self, ProvisionType};
use jiff::civil::Date;
use std::collections::BTreeSet;
use std::ops::Range;

/// The password every demo login uses (hashed by the store when it loads the demo).
pub const DEMO_PASSWORD: &str = "hearth-demo-password";

/// What to generate: the seed for every random choice, and the day the region is "as at".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoConfig {
    pub seed: u64,
    pub today: Date,
}

impl Default for DemoConfig {
    fn default() -> Self {
        Self { seed: 2026, today: jiff::civil::date(2026, 11, 25) }
    }
}

/// One demo login, for printing: role, e-mail (password [`DEMO_PASSWORD`]) and organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLogin {
    pub role: Role,
    pub email: String,
    pub organisation: String,
}

/// Every user in a generated region as a login line, in user order.
pub fn demo_logins(seed: &RegionSeed) -> Vec<DemoLogin> {
    seed.users
        .iter()
        .map(|u| DemoLogin {
            role: u.role,
            email: u.email.as_str().to_owned(),
            organisation: seed
                .organisations
                .iter()
                .find(|o| o.id == u.organisation)
                .map_or_else(String::new, |o| o.name.clone()),
        })
        .collect()
}

/// Generates the whole region.
pub fn generate(config: &DemoConfig) -> RegionSeed {
    let cal = Calendar::new(config.today);
    let g = Gazetteer::get();
    let space = Space::new(g);
    let orgs = orgs::Orgs::build();
    let mut homes = Homes::new(&space, &orgs);
    let targets = CouncilTargets::all();

    let mut kids = Vec::new();
    let mut units = Vec::new();
    let residential_demand: u32 = targets.iter().map(|t| t.groups[1]).sum();
    for t in &targets {
        let trust = orgs.own_service_of(t.council) != orgs.council_of(t.council.la_code);
        let share = f64::from(t.groups[1]) / f64::from(residential_demand.max(1));
        let home_places = homes.residential_places(&orgs, t.council.la_code, share);
        let mut rng = stream(config.seed, "children", u64::from(t.council.la_code));
        plan::plan_current(&mut rng, &cal, t, trust, &home_places, &mut kids, &mut units);
    }
    for t in &targets {
        let mut rng = stream(config.seed, "ceased", u64::from(t.council.la_code));
        plan::plan_ceased(&mut rng, &cal, t, &mut kids, &mut units);
    }

    // Registered settings are scarce, so the children who need them today choose first (those
    // going to their own council's homes before all others); then everyone else today; then the
    // children who have left care.
    let mut order: Vec<usize> = (0..units.len()).collect();
    order.sort_by_key(|&u| {
        let ceased = kids[units[u].kids[0]].ceased.is_some();
        let own = units[u].want == Some(hearth_domain::PlaceProvider::Pr1);
        (ceased, !units[u].setting.is_residential(), !own, u)
    });
    let own_urn = orgs
        .own_service
        .iter()
        .map(|&org| {
            ofsted::providers()
                .iter()
                .find(|p| {
                    p.provision_type == ProvisionType::IndependentFosteringAgency && orgs.owner(&p.owner) == Some(org)
                })
                .map(|p| p.urn.clone())
        })
        .collect();
    let mut placer = Placer {
        cal: &cal,
        space: &space,
        orgs: &orgs,
        homes: &mut homes,
        targets: &targets,
        own_urn,
        stays: Vec::new(),
    };
    let mut unit_stays: Vec<Range<usize>> = vec![0..0; units.len()];
    for &ui in &order {
        let first = placer.stays.len();
        let mut rng = stream(config.seed, "placements", ui as u64);
        placer.place_unit(&mut rng, &mut kids, &units, ui);
        unit_stays[ui] = first..placer.stays.len();
    }
    let mut rng = stream(config.seed, "supported", 0);
    placer.top_up_supported(&mut rng);
    let stays = std::mem::take(&mut placer.stays);

    // Terms and costs.
    let terms = Terms::decide(&orgs, &homes, &units, &kids, &stays);
    let mut cost_rng = stream(config.seed, "costs", 0);
    let mut used_spot = BTreeSet::new();
    let priced: Vec<(Option<ContractTier>, Option<hearth_domain::home::WeeklyPrice>)> = stays
        .iter()
        .map(|s| {
            let Some(h) = s.home else { return (None, None) };
            let la = kids[units[s.unit].kids[0]].la_code;
            let owner = homes.books[h].owner;
            let tier = terms.tier(&orgs, owner, la, s.setting);
            if tier == ContractTier::Spot {
                used_spot.insert((la, owner));
            }
            (Some(tier), Some(market::weekly_cost(&mut cost_rng, homes.list[h].kind, tier)))
        })
        .collect();

    // Children and their placements.
    let mut kid_unit = vec![0; kids.len()];
    for (ui, u) in units.iter().enumerate() {
        for &k in &u.kids {
            kid_unit[k] = ui;
        }
    }
    let mut stay_placements: Vec<Vec<usize>> = vec![Vec::new(); stays.len()];
    let mut placements = Vec::with_capacity(stays.len() + kids.len());
    let mut children = Vec::with_capacity(kids.len());
    let mut legal_statuses = Vec::new();
    let mut school_rng = stream(config.seed, "schools", 0);
    // A stream of its own, so that adding CIN left every other draw of the region as it was.
    let mut need_rng = stream(config.seed, "category_of_need", 0);
    for (k, kid) in kids.iter().enumerate() {
        let id = ChildId(k as i64 + 1);
        let home_unit = kid.home_pc.and_then(|i| g.unit(i));
        let range = unit_stays[kid_unit[k]].clone();
        let mut previous = None;
        for si in range.clone() {
            let s = &stays[si];
            let pid = PlacementId(placements.len() as i64 + 1);
            let postcode = s.at.and_then(|i| g.unit(i)).map(|u| u.to_postcode());
            placements.push(Placement {
                id: pid,
                child: id,
                la_code: kid.la_code,
                home: s.home.map(|h| homes.list[h].id),
                referral: None,
                placement_type: s.placement_type,
                provider: s.provider,
                tier: priced[si].0,
                start: cal.date(s.start),
                end: (s.end != OPEN).then(|| cal.date(s.end)),
                reason_ceased: s.ceased,
                reason_change: s.reason_change,
                planned_ending: s.planned,
                previous,
                step_down: s.step_down,
                postcode,
                pl_utla: s.utla.clone(),
                distance: dfe_distance(home_unit.map(|u| u.grid), s.grid),
                weekly_cost: priced[si].1,
            });
            previous = Some(pid);
            stay_placements[si].push(placements.len() - 1);
        }
        let last = range.end.checked_sub(1).map(|i| &stays[i]);
        // School: near home, or near the placement when the child lives far from home (or DfE
        // has no home address); none before school age.
        let school_near = match (home_unit, last) {
            (Some(h), Some(s)) if s.grid.is_none_or(|g| h.grid.dfe_miles_to(g).0 <= 20.0) => Some(h.grid),
            (_, Some(s)) => s.grid,
            (Some(h), None) => Some(h.grid),
            (None, None) => None,
        };
        let school_district = school_near
            .filter(|_| kid.age_on(0) >= 4)
            .and_then(|c| space.pick(&mut school_rng, Area::Anywhere, Some(c), Reach::Within(3.0)))
            .and_then(|i| g.unit(i))
            .map(|u| u.to_district());
        let mut connected_persons = Vec::new();
        if let Some(s) = last.filter(|s| s.setting == Setting::Connected) {
            let home = s.home.map(|h| &homes.list[h]);
            connected_persons.push(ConnectedPerson {
                relationship: util::weighted(&mut school_rng, &profile::RELATIONSHIPS),
                district: home.map(|h| h.district.clone()),
                carer_home: home.map(|h| h.id),
            });
        } else if util::chance(&mut school_rng, 0.25) {
            connected_persons.push(ConnectedPerson {
                relationship: util::weighted(&mut school_rng, &profile::RELATIONSHIPS),
                district: home_unit.map(|u| u.to_district()),
                carer_home: None,
            });
        }
        // One legal status a day: where the history gives two on one day, the later stands (the
        // 903 has no episode that starts and ends on the same day).
        let mut legal: Vec<(LegalStatus, i32)> = kid.legal.clone();
        legal.sort_by_key(|(_, day)| *day);
        legal.reverse();
        legal.dedup_by_key(|(_, day)| *day);
        legal.reverse();
        for (status, day) in &legal {
            legal_statuses.push(LegalStatusChange { child: id, legal_status: *status, from: cal.date(*day) });
        }
        children.push(Child {
            id,
            la_code: kid.la_code,
            reference: ChildReference::parse(&kid.reference).expect("references are 10 digits or fewer"),
            date_of_birth: cal.date(kid.dob),
            sex: kid.sex,
            ethnicity: kid.ethnicity,
            uasc: kid.uasc,
            disability: kid.disability,
            sen: kid.sen,
            home_postcode: home_unit.map(|u| u.to_postcode()),
            home_district: home_unit.map(|u| u.to_district()),
            school_district,
            legal_status: kid.legal.last().map_or(hearth_domain::LegalStatus::C2, |(s, _)| *s),
            category_of_need: Some(if kid.uasc {
                hearth_domain::CategoryOfNeed::N8
            } else {
                util::weighted(&mut need_rng, &profile::CATEGORY_OF_NEED)
            }),
            sibling_group: kid.sibling_group.map(|gid| SiblingGroupId(gid as i64 + 1)),
            looked_after_since: cal.date(kid.since),
            ceased_on: kid.ceased.map(|(d, _)| cal.date(d)),
            connected_persons,
        });
    }

    let mut region = RegionSeed { children, legal_statuses, ..RegionSeed::default() };
    region.organisations = orgs.list.clone();
    region.users = orgs::users(&region.organisations);

    // Referrals: every placement in a listed home (but a connected carer's, and a change of status
    // with the same carer) since Hearth's records begin, 400 days ago.
    let mut market = Referrals::new(&cal, &orgs, &homes, &kids, &region.users);
    let mut placed_per_council = vec![0usize; WEST_MIDLANDS.len()];
    for (ui, unit) in units.iter().enumerate() {
        let mut rng = stream(config.seed, "referrals", ui as u64);
        let range = unit_stays[ui].clone();
        for si in range.clone() {
            let s = &stays[si];
            let prior = (si > range.start).then(|| &stays[si - 1]);
            let same_carer = prior.is_some_and(|p| p.home.is_some() && p.home == s.home);
            if s.start < -400 || s.home.is_none() || s.setting == Setting::Connected || same_carer {
                continue;
            }
            let Some(cost) = priced[si].1 else { continue };
            let after_unplanned = prior.is_some_and(|p| p.planned == Some(false));
            if let Some(rid) = market.placed(&mut rng, unit, s, cost, after_unplanned) {
                for &p in &stay_placements[si] {
                    placements[p].referral = Some(rid);
                }
                placed_per_council[orgs::Orgs::council_pos(kids[unit.kids[0]].la_code)] += 1;
            }
        }
    }
    for (pos, c) in WEST_MIDLANDS.iter().enumerate() {
        let mut rng = stream(config.seed, "unplaced", u64::from(c.la_code));
        let current: Vec<usize> =
            (0..kids.len()).filter(|&k| kids[k].la_code == c.la_code && kids[k].ceased.is_none()).collect();
        market.unplaced(&mut rng, c.la_code, &current, placed_per_council[pos]);
    }
    (region.referrals, region.offers, region.declines) = (market.referrals, market.offers, market.declines);
    region.placements = placements;

    region.contracts = market::contracts(&cal, &orgs, &homes, &terms, &used_spot);
    let mut rng = stream(config.seed, "quality", 0);
    region.quality_visits = market::quality_visits(&mut rng, &cal, &orgs, &homes, &kids, &units, &stays);
    let mut rng = stream(config.seed, "vacancies", 0);
    region.vacancies = market::vacancies(&mut rng, &cal, &mut homes);
    region.homes = homes.list;
    region
}
