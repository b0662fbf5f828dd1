//! Who each council looks after today: one child for every child in DfE's 31 March 2025 count, with
//! the council's published placement-type, provider and location mix, and the national age, sex and
//! ethnicity profile.
//!
//! DfE publishes placement type, provider and location as three separate breakdowns. They are joined
//! by proportional fitting from a starting pattern of what goes with what (a parent is never a
//! children's home's provider; own-council provision is mostly inside the boundary), so each child
//! gets a type, a provider and a location that together reproduce all three published breakdowns.

use crate::fit::{proportional_fit, round_to_total, unbounded};
use crate::profile;
use crate::targets::{CouncilTargets, GROUPS, PROVIDERS, Where};
use crate::util::{Calendar, DemoRng, YEAR, between, chance, shuffle, weighted};
use hearth_domain::child::{SenStatus, age_on};
use hearth_domain::home::HomeKind;
use hearth_domain::{
    EthnicGroup, Ethnicity, LegalStatus, PlaceProvider, PlacementGroup, PlacementType, ReasonEpisodeCeased, Sex,
};
use rand::Rng;

/// Where a child lives, at the grain the generator decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    InHouse,
    Connected,
    Agency {
        voluntary: bool,
    },
    /// Fostered by another council's carers (PR2).
    OtherCouncilFoster,
    ChildrensHome,
    Secure,
    School,
    Supported(HomeKind),
    WithParents,
    Adoption,
    OtherResidential(PlacementType),
    Other,
}

impl Setting {
    pub const fn is_family(self) -> bool {
        matches!(self, Self::InHouse | Self::Connected | Self::Agency { .. } | Self::OtherCouncilFoster)
    }

    pub const fn is_residential(self) -> bool {
        matches!(self, Self::ChildrensHome | Self::Secure | Self::School)
    }

    /// The youngest age at which a child starts a placement here: supported accommodation is for
    /// 16- and 17-year-olds, and most children's homes register for 11 and over.
    pub const fn min_start_age(self) -> i16 {
        match self {
            Self::Supported(_) => 16,
            Self::ChildrensHome => 11,
            Self::Secure => 12,
            Self::School => 8,
            Self::OtherResidential(PlacementType::R5) => 15,
            _ => 0,
        }
    }
}

/// The day a child born on `dob` reaches `age` (offsets from today; a day late rather than early).
pub fn birthday(dob: i32, age: i16) -> i32 {
    dob + (f64::from(age) * 365.2425).ceil() as i32 + 1
}

/// A child, as planned before records are written. Days are offsets from today.
#[derive(Debug, Clone)]
pub struct Kid {
    pub la_code: u16,
    pub reference: String,
    pub dob: i32,
    pub sex: Sex,
    pub ethnicity: Ethnicity,
    pub uasc: bool,
    pub disability: bool,
    pub sen: SenStatus,
    /// Start of the current (or last) period of care.
    pub since: i32,
    /// The day and reason the child left care, for those who have.
    pub ceased: Option<(i32, ReasonEpisodeCeased)>,
    /// Legal statuses, oldest first, each with the day it began.
    pub legal: Vec<(LegalStatus, i32)>,
    /// DfE's HOME_POST, as a gazetteer index; `None` for UASC and others DfE exempts.
    pub home_pc: Option<u32>,
    pub sibling_group: Option<usize>,
    /// The child's DfE location category today (current children only).
    pub place: Where,
}

impl Kid {
    pub fn age_on(&self, day: i32) -> i16 {
        age_years(self.dob, day)
    }
}

/// Whole years from `dob` to `day`, both offsets from today. Close to the calendar age (a day's
/// difference around birthdays); records use the calendar, this is for choosing.
pub fn age_years(dob: i32, day: i32) -> i16 {
    (f64::from(day - dob) / 365.2425).floor() as i16
}

/// Children who share every placement: one child, or siblings placed together.
#[derive(Debug, Clone)]
pub struct Unit {
    pub kids: Vec<usize>,
    pub setting: Setting,
    /// The provider DfE's mix asks for (the home chosen may differ when none fits).
    pub want: Option<PlaceProvider>,
    pub place: Where,
    /// In DfE's long-term cohort and with the same carer for 2+ years.
    pub stable: bool,
    /// 3 or more placements in the past year.
    pub many_moves: bool,
}

/// Starting pattern of placement group × provider (PR0, PR1, PR2, PR3, PR4, PR5, not reported).
fn provider_seed(group: PlacementGroup) -> [f64; 7] {
    match group {
        PlacementGroup::Foster => [0.0, 1.0, 0.02, 0.0, 0.8, 0.1, 0.0],
        PlacementGroup::ChildrensHomes => [0.0, 0.12, 0.05, 0.0, 1.0, 0.12, 0.0],
        PlacementGroup::SupportedAccommodation => [0.0, 0.4, 0.02, 0.0, 1.0, 0.35, 0.0],
        PlacementGroup::ResidentialSchools => [0.0, 0.3, 0.2, 0.0, 1.0, 0.4, 0.0],
        PlacementGroup::PlacedForAdoption => [0.0, 1.0, 0.5, 0.0, 0.02, 0.4, 0.0],
        PlacementGroup::WithParents => [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        PlacementGroup::OtherResidential => [0.0, 0.2, 0.1, 1.0, 0.5, 0.3, 0.0],
        PlacementGroup::Other => [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
    }
}

/// Starting pattern of placement group × location, in [`Where::ALL`] order.
fn where_seed(group: PlacementGroup, provider: Option<PlaceProvider>) -> [f64; 6] {
    let mut w = match group {
        PlacementGroup::Foster => [1.0, 0.5, 0.15, 0.25, 0.06, 0.03],
        PlacementGroup::ChildrensHomes => [0.45, 0.6, 0.2, 1.0, 0.04, 0.04],
        PlacementGroup::SupportedAccommodation => [0.8, 0.5, 0.1, 0.3, 0.35, 0.2],
        PlacementGroup::ResidentialSchools => [0.3, 0.5, 0.2, 1.0, 0.02, 0.02],
        PlacementGroup::PlacedForAdoption => [0.4, 0.6, 0.2, 0.8, 0.05, 0.05],
        PlacementGroup::WithParents => [1.0, 0.12, 0.04, 0.04, 0.05, 0.02],
        PlacementGroup::OtherResidential => [0.3, 0.4, 0.1, 0.6, 0.3, 0.3],
        _ => [0.3, 0.3, 0.1, 0.3, 0.6, 0.6],
    };
    let (inside, outside) = match provider {
        Some(PlaceProvider::Pr1) => (2.0, 1.0),
        Some(PlaceProvider::Pr2) => (0.1, 1.0),
        Some(PlaceProvider::Pr4) => (1.0, 1.3),
        _ => (1.0, 1.0),
    };
    for (x, place) in w.iter_mut().zip(Where::ALL) {
        *x *= if place.inside() { inside } else { outside };
    }
    w
}

/// Every child's (group, provider, location), reproducing the three published breakdowns.
/// `home_places` caps the children's-homes row by provider: a council cannot have more children in
/// its own (or in voluntary) homes than such homes have places.
fn slots(t: &CouncilTargets, home_places: &[f64; 7]) -> Vec<(PlacementGroup, Option<PlaceProvider>, Where, u32)> {
    let rows: Vec<f64> = t.groups.iter().map(|&n| f64::from(n)).collect();
    let cols: Vec<f64> = t.providers.iter().map(|&n| f64::from(n)).collect();
    let seed: Vec<Vec<f64>> = GROUPS.iter().map(|g| provider_seed(*g).to_vec()).collect();
    let mut cap = unbounded(GROUPS.len(), PROVIDERS.len());
    cap[1] = home_places.to_vec();
    let fitted = proportional_fit(&seed, &rows, &cols, &cap);
    let mut cells = Vec::new();
    for (gi, row) in fitted.iter().enumerate() {
        // A row no published provider could take keeps its starting pattern.
        let row = if row.iter().sum::<f64>() > 0.0 { row.clone() } else { seed[gi].clone() };
        for (pi, n) in round_to_total(&row, t.groups[gi]).into_iter().enumerate() {
            if n > 0 {
                cells.push((GROUPS[gi], PROVIDERS[pi], n));
            }
        }
    }
    let rows: Vec<f64> = cells.iter().map(|c| f64::from(c.2)).collect();
    let cols: Vec<f64> = t.places.iter().map(|&n| f64::from(n)).collect();
    let seed: Vec<Vec<f64>> = cells.iter().map(|(g, p, _)| where_seed(*g, *p).to_vec()).collect();
    let fitted = proportional_fit(&seed, &rows, &cols, &unbounded(cells.len(), Where::ALL.len()));
    let mut out = Vec::new();
    for ((g, p, n), row) in cells.iter().zip(&fitted) {
        for (wi, k) in round_to_total(row, *n).into_iter().enumerate() {
            if k > 0 {
                out.push((*g, *p, Where::ALL[wi], k));
            }
        }
    }
    out
}

/// The setting for one child of a (group, provider) cell.
fn setting(
    rng: &mut DemoRng,
    t: &CouncilTargets,
    trust: bool,
    g: PlacementGroup,
    p: Option<PlaceProvider>,
    place: Where,
) -> Setting {
    let foster = f64::from(t.groups[0]);
    match g {
        PlacementGroup::Foster => {
            let own_code = if trust { PlaceProvider::Pr5 } else { PlaceProvider::Pr1 };
            if trust && p == Some(PlaceProvider::Pr5) && chance(rng, voluntary_agency_share(t)) {
                return Setting::Agency { voluntary: true };
            }
            match p {
                Some(code) if code == own_code => {
                    let own = own_foster(t, trust).max(1.0);
                    if chance(rng, (profile::CONNECTED_SHARE_OF_FOSTER * foster / own).min(0.95)) {
                        Setting::Connected
                    } else {
                        Setting::InHouse
                    }
                }
                Some(PlaceProvider::Pr2) => Setting::OtherCouncilFoster,
                Some(PlaceProvider::Pr5) => Setting::Agency { voluntary: true },
                _ => Setting::Agency { voluntary: false },
            }
        }
        PlacementGroup::ChildrensHomes => {
            if p == Some(PlaceProvider::Pr2) && place == Where::OutsideFar && chance(rng, 0.6) {
                Setting::Secure
            } else {
                Setting::ChildrensHome
            }
        }
        PlacementGroup::SupportedAccommodation => {
            let mix: Vec<(HomeKind, f64)> =
                profile::COVENTRY_SUPPORTED.iter().map(|(k, n)| (*k, f64::from(*n))).collect();
            Setting::Supported(weighted(rng, &mix))
        }
        PlacementGroup::ResidentialSchools => Setting::School,
        PlacementGroup::PlacedForAdoption => Setting::Adoption,
        PlacementGroup::WithParents => Setting::WithParents,
        PlacementGroup::OtherResidential => Setting::OtherResidential(match p {
            Some(PlaceProvider::Pr3) => weighted(rng, &[(PlacementType::R2, 0.4), (PlacementType::R5, 0.6)]),
            _ => weighted(rng, &[(PlacementType::R3, 0.5), (PlacementType::R1, 0.5)]),
        }),
        PlacementGroup::Other => Setting::Other,
    }
}

/// Foster placements the council's own service provides (PR1, or PR5 where a trust runs it).
fn own_foster(t: &CouncilTargets, trust: bool) -> f64 {
    // The fitted table is not kept; the provider share of fostering is close enough for a share.
    let own = if trust { t.providers[5] } else { t.providers[1] };
    let foster = f64::from(t.groups[0]);
    let total = f64::from(t.looked_after.max(1));
    f64::from(own) * foster / total * 1.25
}

fn voluntary_agency_share(t: &CouncilTargets) -> f64 {
    let foster = f64::from(t.groups[0]);
    (profile::VOLUNTARY_AGENCY_SHARE_OF_FOSTER * foster / own_foster(t, true).max(1.0)).min(1.0)
}

/// An age (whole years today) for a child in `setting`, or `None` to take the council's residual
/// profile (foster care and placements with parents, which span every age).
fn fixed_age(rng: &mut DemoRng, setting: Setting, uasc: bool) -> Option<i16> {
    if uasc {
        return Some(weighted(rng, &[(14, 0.08), (15, 0.2), (16, 0.36), (17, 0.36)]));
    }
    Some(match setting {
        Setting::Adoption => {
            weighted(rng, &[(0, 0.2), (1, 0.3), (2, 0.22), (3, 0.13), (4, 0.08), (5, 0.04), (6, 0.03)])
        }
        Setting::Supported(_) => weighted(rng, &[(16, 0.45), (17, 0.55)]),
        Setting::ChildrensHome => weighted(
            rng,
            &[
                (9, 0.03),
                (10, 0.04),
                (11, 0.06),
                (12, 0.09),
                (13, 0.13),
                (14, 0.17),
                (15, 0.18),
                (16, 0.16),
                (17, 0.14),
            ],
        ),
        Setting::Secure => between(rng, 13, 17) as i16,
        Setting::School => between(rng, 9, 17) as i16,
        Setting::OtherResidential(PlacementType::R3) => 0,
        Setting::OtherResidential(PlacementType::R5) => between(rng, 15, 17) as i16,
        Setting::OtherResidential(_) | Setting::Other => between(rng, 13, 17) as i16,
        _ => return None,
    })
}

/// A date of birth giving exactly `age` on today (checked on the calendar).
fn dob_for(rng: &mut DemoRng, cal: &Calendar, age: i16) -> i32 {
    let mut dob = -((f64::from(age) * 365.2425).round() as i32) - between(rng, 1, 364);
    for _ in 0..8 {
        let actual = age_on(cal.date(dob), cal.today);
        if actual == age {
            break;
        }
        dob += if actual > age { 2 } else { -2 };
    }
    dob
}

fn ethnicity(rng: &mut DemoRng, groups: &[(EthnicGroup, f64)]) -> Ethnicity {
    let group = weighted(rng, groups);
    weighted(rng, profile::ethnic_codes(group))
}

/// How long a child has been looked after, in days: a share under a year, a share one to two
/// years, the rest longer (up to the whole of their life). `long_share` is tuned per council so
/// that the long-term cohort is about DfE's size.
fn time_in_care(rng: &mut DemoRng, age_days: i32, setting: Setting, uasc: bool, long_share: f64) -> i32 {
    let life = age_days.max(1);
    if uasc {
        return between(rng, 14, (life - 14 * YEAR).clamp(14, 900));
    }
    if setting == Setting::Adoption {
        return between(rng, 90.min(life), life.min(1_100));
    }
    let r: f64 = rng.random();
    let days = if r < (1.0 - long_share) * 0.65 {
        between(rng, 1, YEAR - 1)
    } else if r < 1.0 - long_share {
        between(rng, YEAR, 2 * YEAR - 1)
    } else {
        let spare = f64::from((life - 2 * YEAR).max(0));
        2 * YEAR + (spare * rng.random::<f64>().powf(1.4)) as i32
    };
    days.min(life)
}

fn legal_history(rng: &mut DemoRng, kid_setting: Setting, uasc: bool, age: i16, since: i32) -> Vec<(LegalStatus, i32)> {
    use LegalStatus as L;
    let t = -since;
    let current = if uasc {
        weighted(rng, &[(L::V2, 0.9), (L::C2, 0.1)])
    } else if kid_setting == Setting::Adoption {
        weighted(rng, &[(L::E1, 0.9), (L::C2, 0.1)])
    } else if kid_setting == Setting::WithParents {
        if t < 220 { L::C1 } else { L::C2 }
    } else if t < 60 {
        let youth = if age >= 10 { 0.06 } else { 0.0 };
        weighted(rng, &[(L::C1, 0.35), (L::V2, 0.45), (L::L1, 0.04), (L::L2, 0.04), (L::J1, youth), (L::C2, 0.05)])
    } else if t < 270 {
        weighted(rng, &[(L::C1, 0.55), (L::V2, 0.25), (L::C2, 0.15), (L::J1, if age >= 10 { 0.02 } else { 0.0 })])
    } else {
        let placement_order = if age < 6 { 0.08 } else { 0.0 };
        weighted(
            rng,
            &[
                (L::C2, 0.84),
                (L::V2, 0.11),
                (L::C1, 0.02),
                (L::E1, placement_order),
                (L::J1, if age >= 12 { 0.01 } else { 0.0 }),
            ],
        )
    };
    // A full care order follows an interim one (or a period under s20) some months after care began.
    match current {
        L::C2 | L::E1 if t > 150 => {
            let first = if chance(rng, 0.75) { L::C1 } else { L::V2 };
            let full = since + between(rng, 90, (t - 30).min(330));
            let mut h = vec![(first, since), (L::C2, full)];
            if current == L::E1 {
                h.push((L::E1, between(rng, full + 30, (full + 400).min(-1)).max(full + 1).min(0)));
            }
            h
        }
        _ => vec![(current, since)],
    }
}

/// Plans one council's children looked after today, into `kids` and `units`.
pub fn plan_current(
    rng: &mut DemoRng,
    cal: &Calendar,
    t: &CouncilTargets,
    trust: bool,
    home_places: &[f64; 7],
    kids: &mut Vec<Kid>,
    units: &mut Vec<Unit>,
) {
    let slots = slots(t, home_places);
    let mut plans: Vec<(Setting, Option<PlaceProvider>, Where)> = Vec::with_capacity(t.looked_after as usize);
    for (g, p, place, n) in slots {
        for _ in 0..n {
            plans.push((setting(rng, t, trust, g, p, place), p, place));
        }
    }
    shuffle(rng, &mut plans);

    // UASC: most of the children DfE could not measure a distance for, in settings that take them.
    let unknown =
        plans.iter().filter(|(_, _, w)| w.distance() == hearth_reference::dfe::DistanceBand::NotKnown).count();
    let mut uasc_left = (unknown as f64 * profile::UASC_SHARE_OF_UNKNOWN_DISTANCE).round() as usize;
    let uasc: Vec<bool> = plans
        .iter()
        .map(|(s, _, w)| {
            let fits =
                matches!(s, Setting::InHouse | Setting::Agency { .. } | Setting::Supported(_) | Setting::ChildrensHome);
            let take = uasc_left > 0 && fits && w.distance() == hearth_reference::dfe::DistanceBand::NotKnown;
            uasc_left -= usize::from(take);
            take
        })
        .collect();

    // Ages: settings that fix an age take theirs; foster care and parents fill the rest of the
    // national profile.
    let mut ages: Vec<Option<i16>> = plans.iter().zip(&uasc).map(|((s, _, _), u)| fixed_age(rng, *s, *u)).collect();
    let n = plans.len() as f64;
    let residual: Vec<(usize, f64)> = profile::AGE_BANDS
        .iter()
        .enumerate()
        .map(|(b, (lo, hi, share))| {
            let taken = ages.iter().flatten().filter(|a| (*lo..=*hi).contains(*a)).count() as f64;
            (b, (share * n - taken).max(share * n * 0.05))
        })
        .collect();
    for a in ages.iter_mut().filter(|a| a.is_none()) {
        let (lo, hi, _) = profile::AGE_BANDS[weighted(rng, &residual)];
        *a = Some(between(rng, i32::from(lo), i32::from(hi)) as i16);
    }

    // Sex and ethnicity: UASC first, the rest filling the national profile around them.
    let uasc_n = uasc.iter().filter(|u| **u).count() as f64;
    let male = ((profile::MALE_SHARE * n - profile::UASC_MALE_SHARE * uasc_n) / (n - uasc_n).max(1.0)).clamp(0.3, 0.8);
    let others: Vec<(EthnicGroup, f64)> = profile::ETHNIC_GROUPS
        .iter()
        .map(|(g, share)| {
            let from_uasc = profile::UASC_ETHNIC_GROUPS.iter().find(|(u, _)| u == g).map_or(0.0, |(_, s)| s * uasc_n);
            (*g, (share * n - from_uasc).max(share * n * 0.2))
        })
        .collect();

    let long_share = (0.66 * t.long_term_share / 0.40).clamp(0.4, 0.85);
    let first = kids.len();
    for (i, ((s, p, place), is_uasc)) in plans.iter().zip(&uasc).enumerate() {
        let age = ages[i].unwrap_or(10);
        let dob = dob_for(rng, cal, age);
        let since = -time_in_care(rng, -dob, *s, *is_uasc, long_share);
        let sex = if *is_uasc {
            if chance(rng, profile::UASC_MALE_SHARE) { Sex::Male } else { Sex::Female }
        } else if chance(rng, male) {
            Sex::Male
        } else {
            Sex::Female
        };
        let ethnicity = if *is_uasc { ethnicity(rng, &profile::UASC_ETHNIC_GROUPS) } else { ethnicity(rng, &others) };
        kids.push(new_kid(rng, t.council.la_code, kids.len(), dob, sex, ethnicity, *is_uasc, since, *s, age));
        kids.last_mut().expect("just pushed").place = *place;
        units.push(Unit {
            kids: vec![kids.len() - 1],
            setting: *s,
            want: *p,
            place: *place,
            stable: false,
            many_moves: false,
        });
    }
    let first_unit = units.len() - plans.len();
    form_siblings(rng, kids, units, first_unit);
    flag_stability(rng, t, kids, &mut units[first_unit..]);
    debug_assert!(kids[first..].iter().all(|k| k.la_code == t.council.la_code));
}

#[allow(clippy::too_many_arguments)]
fn new_kid(
    rng: &mut DemoRng,
    la_code: u16,
    serial: usize,
    dob: i32,
    sex: Sex,
    ethnicity: Ethnicity,
    uasc: bool,
    since: i32,
    setting: Setting,
    age: i16,
) -> Kid {
    let school_age = age >= 5;
    let special = matches!(setting, Setting::School);
    let sen = if !school_age {
        SenStatus::None
    } else if special {
        SenStatus::Ehcp
    } else {
        weighted(
            rng,
            &[
                (SenStatus::Ehcp, profile::EHCP_SHARE),
                (SenStatus::SenSupport, profile::SEN_SUPPORT_SHARE),
                (SenStatus::None, 0.45),
            ],
        )
    };
    Kid {
        la_code,
        // The council's code then a serial: unique, and says nothing about the child.
        reference: format!("{la_code}{serial:07}"),
        dob,
        sex,
        ethnicity,
        uasc,
        disability: special || (!uasc && chance(rng, profile::DISABILITY_SHARE)),
        sen,
        since,
        ceased: None,
        legal: legal_history(rng, setting, uasc, age, since),
        home_pc: None,
        sibling_group: None,
        place: Where::InsideNear,
    }
}

/// Sibling groups among a council's children: a share of children in groups of 2–4, most placed
/// together (same setting, provider and location, so one household), the rest apart. Siblings share
/// a home address, an ethnicity and the day they came into care.
fn form_siblings(rng: &mut DemoRng, kids: &mut [Kid], units: &mut Vec<Unit>, first_unit: usize) {
    let council_units: Vec<usize> = (first_unit..units.len()).collect();
    let eligible = |u: &Unit, k: &Kid| {
        !k.uasc
            && matches!(
                u.setting,
                Setting::InHouse
                    | Setting::Agency { .. }
                    | Setting::Connected
                    | Setting::WithParents
                    | Setting::Adoption
            )
    };
    let mut free: Vec<usize> =
        council_units.iter().copied().filter(|&u| eligible(&units[u], &kids[units[u].kids[0]])).collect();
    shuffle(rng, &mut free);
    let target = (council_units.len() as f64 * profile::SIBLING_SHARE) as usize;
    let mut grouped = 0;
    let mut taken = vec![false; units.len()];
    let mut merged_away = Vec::new();
    let mut next_group = kids.iter().filter_map(|k| k.sibling_group).max().map_or(0, |g| g + 1);
    for &lead in &free {
        if grouped >= target {
            break;
        }
        if taken[lead] {
            continue;
        }
        let size = weighted(rng, &profile::SIBLING_SIZES);
        let together = chance(rng, 0.65);
        let lead_kid = units[lead].kids[0];
        let lead_age = kids[lead_kid].age_on(0);
        let mut members = vec![lead];
        for &other in &free {
            if members.len() == size {
                break;
            }
            if taken[other] || other == lead {
                continue;
            }
            let same_cell = units[other].setting == units[lead].setting
                && units[other].want == units[lead].want
                && units[other].place == units[lead].place;
            let known = |u: usize| units[u].place.distance() != hearth_reference::dfe::DistanceBand::NotKnown;
            let age_gap = (kids[units[other].kids[0]].age_on(0) - lead_age).abs();
            if age_gap <= 9 && same_cell == together && known(other) == known(lead) {
                members.push(other);
            }
        }
        if members.len() < 2 {
            continue;
        }
        let group = next_group;
        next_group += 1;
        let youngest_life = members.iter().map(|&u| -kids[units[u].kids[0]].dob).min().unwrap_or(0);
        let since = kids[lead_kid].since.max(-youngest_life);
        for &u in &members {
            taken[u] = true;
            let k = units[u].kids[0];
            kids[k].sibling_group = Some(group);
            kids[k].ethnicity = kids[lead_kid].ethnicity;
            kids[k].since = since;
            let first_status = kids[k].legal.first().map(|(_, d)| *d);
            if let Some(d) = first_status {
                let shift = since - d;
                for (_, day) in &mut kids[k].legal {
                    *day = (*day + shift).min(-1).max(since);
                }
            }
        }
        grouped += members.len();
        if together {
            let rest: Vec<usize> = members[1..].iter().map(|&u| units[u].kids[0]).collect();
            units[lead].kids.extend(rest);
            merged_away.extend(members[1..].iter().copied());
        }
    }
    merged_away.sort_unstable();
    for u in merged_away.into_iter().rev() {
        units.remove(u);
    }
}

/// Marks the units that must reproduce DfE's stability figures: in the long-term cohort (under 16,
/// looked after 2.5+ years) the published share lives with the same carer for 2+ years; across all
/// children the published share has had 3+ placements in the year.
fn flag_stability(rng: &mut DemoRng, t: &CouncilTargets, kids: &[Kid], units: &mut [Unit]) {
    let in_cohort = |k: usize| kids[k].age_on(0) < 16 && -kids[k].since >= 913;
    // Siblings placed together share a placement but not always the cohort: count children.
    let cohort_kids = |u: &Unit| u.kids.iter().filter(|&&k| in_cohort(k)).count();
    let cohort: usize = units.iter().map(cohort_kids).sum();
    let mut stable_left = (t.same_carer_share * cohort as f64).round() as usize;
    let total: usize = units.iter().map(|u| u.kids.len()).sum();
    let mut moves_left = (t.three_plus_share * total as f64).round() as usize;
    let mut order: Vec<usize> = (0..units.len()).collect();
    shuffle(rng, &mut order);
    for &i in &order {
        let u = &mut units[i];
        // Two years in today's placement must not start it below the setting's youngest age.
        let youngest = u.kids.iter().map(|&k| kids[k].dob).max().unwrap_or(0);
        let old_enough = birthday(youngest, u.setting.min_start_age()) <= -2 * YEAR;
        let n = cohort_kids(u);
        if n > 0 && old_enough && stable_left >= n {
            u.stable = true;
            stable_left -= n;
        }
    }
    for &i in &order {
        let u = &mut units[i];
        let k = &kids[u.kids[0]];
        let settled = matches!(u.setting, Setting::Adoption | Setting::WithParents);
        if !u.stable && !settled && -k.since >= 40 && moves_left >= u.kids.len() {
            u.many_moves = true;
            moves_left -= u.kids.len();
        }
    }
}

/// Children who left care during the past year (the under-18s among DfE's ceasing count).
pub fn plan_ceased(rng: &mut DemoRng, cal: &Calendar, t: &CouncilTargets, kids: &mut Vec<Kid>, units: &mut Vec<Unit>) {
    let n = (f64::from(t.ceasing) * profile::CEASED_UNDER_18_SHARE).round() as usize;
    for _ in 0..n {
        let reason = weighted(rng, &profile::REASONS_CEASED);
        // Their age today: under 18, and old enough for the way they left.
        let age = match reason {
            ReasonEpisodeCeased::E11 | ReasonEpisodeCeased::E12 => between(rng, 1, 6),
            ReasonEpisodeCeased::E5 | ReasonEpisodeCeased::E14 => 17,
            _ => {
                let (lo, hi) = weighted(rng, &[((0, 4), 0.3), ((5, 9), 0.3), ((10, 15), 0.3), ((16, 17), 0.1)]);
                between(rng, lo, hi)
            }
        } as i16;
        let mut dob = dob_for(rng, cal, age);
        if -dob < 70 {
            // Too young to have been in care and left again; a one-year-old instead.
            dob = dob_for(rng, cal, 1);
        }
        let left = -between(rng, 2, (-dob - 40).min(YEAR - 1));
        let age_then = age_years(dob, left).max(0);
        let setting = match reason {
            ReasonEpisodeCeased::E11 | ReasonEpisodeCeased::E12 => Setting::Adoption,
            ReasonEpisodeCeased::E45 | ReasonEpisodeCeased::E47 | ReasonEpisodeCeased::E41 => Setting::Connected,
            ReasonEpisodeCeased::E4a | ReasonEpisodeCeased::E4b => {
                if chance(rng, 0.7) {
                    Setting::WithParents
                } else {
                    Setting::InHouse
                }
            }
            ReasonEpisodeCeased::E5 => Setting::Supported(HomeKind::SaSharedHouse),
            ReasonEpisodeCeased::E14 if age_then >= 10 => Setting::ChildrensHome,
            _ => {
                if chance(rng, 0.6) {
                    Setting::InHouse
                } else {
                    Setting::Agency { voluntary: false }
                }
            }
        };
        let care_days = between(rng, 30, (left - dob).min(3 * YEAR));
        let since = left - care_days;
        let sex = if chance(rng, profile::MALE_SHARE) { Sex::Male } else { Sex::Female };
        let eth = ethnicity(rng, &profile::ETHNIC_GROUPS);
        let mut kid =
            new_kid(rng, t.council.la_code, kids.len(), dob, sex, eth, false, since, setting, age_years(dob, 0));
        kid.legal.retain(|(_, d)| *d < left);
        if kid.legal.is_empty() {
            kid.legal.push((LegalStatus::C2, since));
        }
        kid.ceased = Some((left, reason));
        kids.push(kid);
        units.push(Unit {
            kids: vec![kids.len() - 1],
            setting,
            want: None,
            place: Where::InsideNear,
            stable: false,
            many_moves: false,
        });
    }
}
