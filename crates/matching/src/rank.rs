//! Ranking: one pass over the index that applies the hard rules, scores the homes that pass, and
//! keeps the best `limit` in a bounded heap. Explanations are written only for the homes returned.

use crate::contracts::{Term, council_index};
use crate::explain::{Facts, price_basis, sentence};
use crate::index::{
    Columns, INADEQUATE, NONE, OTHER_AREA, Rec, SupplyIndex, date_of, day_number, flag, kind_index, sex_bits_needed,
};
use crate::needs::{concerns_other_children, is_disability};
use crate::request::{MatchRequest, PlacementKind};
use crate::rules::{Exclusions, HardRule};
use crate::weights::{Factor, Weights};
use hearth_domain::contract::ContractTier;
use hearth_domain::council::council_by_ons;
use hearth_domain::home::{HomeKind, Skill, Skills, WeeklyPrice};
use hearth_domain::referral::Urgency;
use hearth_domain::{GridRef, HomeId, Miles, VacancyId};
use serde::Serialize;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// Homes checked per run of the column scan: small enough that the run's results stay in L1, large
/// enough to amortise the loop.
const CHUNK: usize = 64;

/// Miles from the preferred district's centre at which the preferred-area factor is worth half.
const PREFERRED_HALF_MILES: f32 = 5.0;

/// DfE's metres in a mile (1.6093 km), so ranking distances agree with PL_DISTANCE.
const METRES_PER_MILE: f32 = 1609.3;

/// How much of "why" to write for each home returned: sentences are most of an answer's bytes and
/// of its cost, and a list of homes to scan needs only what decides each one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Explain {
    /// A sentence for every factor that applied, in factor order (a referral's matches).
    #[default]
    All,
    /// Sentences for the `n` factors that decide the home most ([`deciding`]), most first; every
    /// factor's points are still returned.
    Deciding(usize),
}

/// Factors every answer already carries as fields of their own (miles, contract tier, weekly price):
/// a list shows them in columns, so they are not what a short "why" repeats.
pub const SHOWN_AS_FIELDS: [Factor; 3] = [Factor::Distance, Factor::Tier, Factor::Price];

/// Which of a home's `contributions` decide it most: the indexes of the `n` with the largest effect
/// on its score, for good or ill, biggest first, leaving out [`SHOWN_AS_FIELDS`]. Equal effects keep
/// factor order, so the choice is the same every time. Every page and answer that gives "the one or
/// two reasons that decide it" picks them here.
pub fn deciding(contributions: &[(Factor, f32)], n: usize) -> Vec<usize> {
    let mut order: Vec<usize> =
        (0..contributions.len()).filter(|k| !SHOWN_AS_FIELDS.contains(&contributions[*k].0)).collect();
    order.sort_by(|a, b| contributions[*b].1.abs().total_cmp(&contributions[*a].1.abs()));
    order.truncate(n);
    order
}

/// One home offered for the request, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    pub home: HomeId,
    pub kind: HomeKind,
    /// The vacancy that would be used (the earliest that fits); `None` for places set on the home.
    pub vacancy: Option<VacancyId>,
    /// A connected person's home approved for this child (s22C(7)(a)): always ranked first.
    pub connected_person: bool,
    pub score: f32,
    /// Each factor that applied, with `weight × value`; they add up to `score`.
    pub contributions: Vec<(Factor, f32)>,
    /// With [`Explain::All`], one sentence per factor that applied, in the same order; with
    /// [`Explain::Deciding`], the sentences of the factors that decide it most ([`deciding`]).
    pub reasons: Vec<String>,
    /// DfE's distance from the child's home, or 999.9 when it is not known.
    pub distance_miles: Miles,
    pub school_miles: Option<Miles>,
    pub tier: ContractTier,
    /// What the council would pay: the price of its contract covering the home, else the vacancy's
    /// or home's asking price.
    pub weekly_price: WeeklyPrice,
    /// Which of those it is, in words: "contract price (block, Coventry)", "the home's own price".
    pub price_basis: String,
    /// The day the place is free from (the named vacancy's, or the home's own places'): on or
    /// before the referral's start date, since a later one is left out by the vacancy rule.
    pub available_from: jiff::civil::Date,
}

/// The ranked homes, and what happened to the rest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchResult {
    pub matches: Vec<Match>,
    /// Homes left out, by the first hard rule each failed.
    pub excluded: Exclusions,
    /// Homes that passed every hard rule (and were scored): `excluded.total() + considered` is the
    /// index's size.
    pub considered: usize,
    /// What the hard rules cost this search, in sentences an officer acts on: for a sibling group,
    /// that no foster family nearby can take them all, and the nearest that came closest.
    pub notes: Vec<String>,
}

/// Within this distance a foster family counts as "nearby" for the sibling note: DfE's 20 miles.
const NEARBY_MILES: f32 = 20.0;

/// A home's usable vacancy for this request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Avail {
    /// Places open to these children by the start date.
    pub places: u16,
    /// The vacancy that would be used.
    pub slot: u32,
    /// Its asking price.
    pub price: u16,
}

/// The request, compiled into what the scan compares: masks, bounds and day numbers.
pub(crate) struct Query<'a> {
    pub req: &'a MatchRequest,
    start: i32,
    /// Home kinds (by index) the officer accepts.
    kinds: u16,
    supported: u16,
    secure_bit: u16,
    connected_bit: u16,
    youngest: u8,
    oldest: u8,
    sex_need: u8,
    required: u32,
    /// The Emergency skill's bit on a same-day request, else 0.
    emergency: u32,
    room: u16,
    pub children: u16,
    /// Record positions of the children's connected-person carers and of overridden Inadequate homes.
    connected: Vec<u32>,
    overrides: Vec<u32>,
    /// The rule bits a named connected carer, or an overridden Inadequate home, is let off: zero when
    /// the request names none, so the scan never looks them up.
    exempt_if_connected: u16,
    exempt_if_overridden: u16,
    /// Both of the above: the scan's one test for "any exception to look at".
    exemptions: u16,
    secure_order: bool,
    under_16: bool,
    no_other_children: bool,
    no_pets: bool,
    must_take_pets: bool,
    /// The referring council's column in the contracts table.
    pub col: Option<usize>,
    /// By area index: 2 the council's own area, 1 a neighbour, 0 elsewhere.
    pub area_class: [u8; 256],
    home: Option<GridRef>,
    school: Option<GridRef>,
    pub helpful: u32,
    helpful_n: u32,
    pub disabled: bool,
    pub concern: bool,
    wheelchair_bit: u32,
    disability_bit: u32,
    siblings_bit: u32,
    pub ceiling: Option<u32>,
    pub w: [f32; Factor::COUNT],
    half_home: f32,
    half_school: f32,
    /// District positions the child must avoid, the centres of the avoided districts and the radius
    /// around them (squared metres; 0 when only the districts themselves).
    avoid_districts: Vec<u16>,
    avoid_centres: Vec<GridRef>,
    avoid_r2: f32,
    pub avoiding: bool,
    /// The preferred district: its position (when a home is recorded in it) and centre.
    preferred_district: Option<u16>,
    preferred_centre: Option<GridRef>,
    pub preferring_area: bool,
    /// Home kinds (as bits by kind index) the form prefers, and the foster kinds.
    preferred_kinds: u16,
    foster_kinds: u16,
}

impl<'a> Query<'a> {
    fn new(ix: &SupplyIndex, req: &'a MatchRequest, weights: &Weights) -> Self {
        let mask_of = |pred: &dyn Fn(HomeKind) -> bool| {
            HomeKind::ALL.iter().filter(|k| pred(**k)).fold(0u16, |m, k| m | 1 << kind_index(*k))
        };
        let kinds = mask_of(&|k| req.placement_kinds.contains(PlacementKind::of(k)));
        let supported = mask_of(&|k| k.is_supported_accommodation());
        let mut required = Skills::empty();
        let mut helpful = req.needs().all_skills();
        let mut disabled = false;
        for c in &req.children {
            required = c.primary_needs.main_skills().iter().fold(required, Skills::with);
            if c.disability {
                required = required.with(Skill::Disability);
            }
            if c.wheelchair_user {
                required = required.with(Skill::WheelchairAccess);
            }
            if c.age >= 13 {
                helpful = helpful.with(Skill::Teenagers);
            }
            if c.uasc {
                helpful = helpful.with(Skill::Uasc);
            }
            disabled |= c.disability || c.wheelchair_user || c.needs.union(c.primary_needs).iter().any(is_disability);
        }
        let positions =
            |ids: &[HomeId]| -> Vec<u32> { ids.iter().filter_map(|h| ix.by_home.get(h).copied()).collect() };
        let col = council_index(req.council);
        let connected = positions(&req.connected_carers);
        let overrides = positions(&req.inadequate_overrides);
        let youngest = req.children.iter().map(|c| c.age).min().unwrap_or(0);
        let exempt_if_connected = if connected.is_empty() {
            0
        } else {
            1 << HardRule::ConnectedPersonForAnotherChild as u16 | 1 << HardRule::Emergency as u16
        };
        let exempt_if_overridden =
            if overrides.is_empty() && !req.inadequate_allowed { 0 } else { 1 << HardRule::Inadequate as u16 };
        let mut area_class = [0u8; 256];
        if let Some(council) = req.referring_council() {
            for (i, code) in ix.areas.iter().enumerate() {
                area_class[i] = if code == council.ons_code { 2 } else { u8::from(council.borders(code)) };
            }
        }
        area_class[usize::from(OTHER_AREA)] = 0;
        let (mut w, half_home, half_school) = weights.sanitised();
        if req.school_continuity {
            // Staying at the school matters: moving school is the disruption s22C(8)(b) guards against.
            w[Factor::School as usize] *= 2.0;
        }
        required = Skills::from_bits(required.bits() | req.must_offer.bits());
        let avoid_districts: Vec<u16> =
            req.avoid.iter().filter_map(|a| ix.district_index(a.district.as_str())).collect();
        let avoid_centres: Vec<GridRef> =
            if req.avoid_radius_miles > 0 { req.avoid.iter().filter_map(|a| a.centre).collect() } else { Vec::new() };
        let radius = f64::from(req.avoid_radius_miles) * f64::from(METRES_PER_MILE);
        let preferred_kinds = mask_of(&|k| req.preferred_kinds.contains(PlacementKind::of(k)));
        let foster_kinds = mask_of(&|k| PlacementKind::of(k) == PlacementKind::Foster);
        Self {
            req,
            start: day_number(req.start),
            kinds,
            supported,
            secure_bit: 1 << kind_index(HomeKind::SecureChildrensHome),
            connected_bit: 1 << kind_index(HomeKind::ConnectedPerson),
            youngest,
            oldest: req.children.iter().map(|c| c.age).max().unwrap_or(0),
            sex_need: req.children.iter().fold(0, |m, c| m | sex_bits_needed(c.sex)),
            required: required.bits(),
            emergency: if req.urgency == Urgency::SameDay { Skills::bit(Skill::Emergency) } else { 0 },
            room: req.places_needed(),
            children: req.children.len().min(usize::from(u16::MAX)) as u16,
            exempt_if_connected,
            exempt_if_overridden,
            exemptions: exempt_if_connected | exempt_if_overridden,
            connected,
            overrides,
            secure_order: req.secure_order,
            under_16: youngest < 16,
            no_other_children: req.household.no_other_children,
            no_pets: req.household.no_pets,
            must_take_pets: req.household.must_take_pets,
            col,
            area_class,
            home: req.home_location,
            school: req.school_location,
            helpful: helpful.bits(),
            helpful_n: helpful.bits().count_ones(),
            disabled,
            concern: req.needs().iter().any(concerns_other_children),
            wheelchair_bit: Skills::bit(Skill::WheelchairAccess),
            disability_bit: Skills::bit(Skill::Disability),
            siblings_bit: Skills::bit(Skill::SiblingGroups),
            ceiling: req.price_ceiling.map(WeeklyPrice::pounds),
            w,
            half_home,
            half_school,
            avoiding: !avoid_districts.is_empty() || !avoid_centres.is_empty(),
            avoid_districts,
            avoid_centres,
            avoid_r2: (radius * radius) as f32,
            preferred_district: req.preferred_area.as_ref().and_then(|a| ix.district_index(a.district.as_str())),
            preferred_centre: req.preferred_area.as_ref().and_then(|a| a.centre),
            preferring_area: req.preferred_area.is_some(),
            preferred_kinds,
            foster_kinds,
        }
    }

    /// Adds the areas-to-avoid rule to the homes `base..base + out.len()` that no earlier rule left
    /// out: in an avoided district, or within the radius of one's centre. Run only when the form
    /// names areas to avoid, so other searches pay nothing for it; each area is one pass over the
    /// chunk's columns (f32 squared metres: exact to a square metre at these radii), which the
    /// compiler vectorises.
    #[inline(always)]
    fn avoided(&self, c: &Columns, base: usize, out: &mut [u16]) {
        let end = base + out.len();
        let (east, north, district) = (&c.east[base..end], &c.north[base..end], &c.district[base..end]);
        let mut hit = [false; CHUNK];
        let hit = &mut hit[..out.len()];
        for d in &self.avoid_districts {
            for (h, x) in hit.iter_mut().zip(district) {
                *h |= *x == *d;
            }
        }
        for at in &self.avoid_centres {
            let (ae, an) = (at.easting as f32, at.northing as f32);
            for ((h, e), n) in hit.iter_mut().zip(east).zip(north) {
                let (de, dn) = (*e as f32 - ae, *n as f32 - an);
                *h |= de * de + dn * dn <= self.avoid_r2;
            }
        }
        // A home already out under an earlier rule is counted there whatever its place.
        let earlier = (1u16 << HardRule::AvoidedArea as u16) - 1;
        for (f, h) in out.iter_mut().zip(hit.iter()) {
            *f |= (u16::from(*h) & u16::from(*f & earlier == 0)) << HardRule::AvoidedArea as u16;
        }
    }

    /// The placement-type factor: 1 for a kind the form prefers; with none preferred, ½ for a family
    /// home (family first), else 0.
    #[inline]
    fn placement_value(&self, kind: u8) -> f32 {
        let bit = 1u16 << kind;
        if self.preferred_kinds != 0 {
            f32::from(u8::from(self.preferred_kinds & bit != 0))
        } else if self.foster_kinds & bit != 0 {
            0.5
        } else {
            0.0
        }
    }

    /// The preferred-area factor: 1 inside the preferred district, else falling to ½ at 5 miles
    /// from its centre (a district is a few miles across); 0 when its centre is not known.
    #[inline]
    fn area_value(&self, r: &Rec, here: GridRef) -> f32 {
        if self.preferred_district == Some(r.district) {
            return 1.0;
        }
        self.preferred_centre.map_or(0.0, |c| PREFERRED_HALF_MILES / (PREFERRED_HALF_MILES + miles(dist2(c, here))))
    }

    /// The hard rules for the homes `base..base + out.len()`: each home's failures as bits at their
    /// [`HardRule`] positions (the lowest set is the first failed; 0 passes, pending its vacancies
    /// when it has several). Every rule is evaluated, without branches, over columns, so the
    /// compiler checks many homes per instruction; the exceptions for homes the request names are
    /// applied after ([`Query::exempt`]).
    #[inline(always)]
    fn fails(&self, c: &Columns, base: usize, out: &mut [u16]) {
        let end = base + out.len();
        let (kind_bit, flags, judgement) = (&c.kind_bit[base..end], &c.flags[base..end], &c.judgement[base..end]);
        let (age_min, age_max, sex, skills) =
            (&c.age_min[base..end], &c.age_max[base..end], &c.sex[base..end], &c.skills[base..end]);
        let (others, vac_count, vac_from) = (&c.others[base..end], &c.vac_count[base..end], &c.vac_from[base..end]);
        let (vac_age_min, vac_age_max, vac_sex, vac_places) =
            (&c.vac_age_min[base..end], &c.vac_age_max[base..end], &c.vac_sex[base..end], &c.vac_places[base..end]);
        let bit = |fails: bool, rule: HardRule| u16::from(fails) << rule as u16;
        for (k, out) in out.iter_mut().enumerate() {
            let pets = flags[k] & flag::PETS != 0;
            let single = vac_count[k] == 1;
            *out = bit(flags[k] & flag::ACTIVE == 0, HardRule::Inactive)
                | bit(self.kinds & kind_bit[k] == 0, HardRule::PlacementType)
                | bit((kind_bit[k] == self.secure_bit) != self.secure_order, HardRule::SecureOrder)
                | bit(kind_bit[k] == self.connected_bit, HardRule::ConnectedPersonForAnotherChild)
                | bit((self.supported & kind_bit[k] != 0) & self.under_16, HardRule::SupportedUnder16)
                | bit(flags[k] & flag::UNREGISTERED != 0, HardRule::NotRegistered)
                | bit(judgement[k] == INADEQUATE, HardRule::Inadequate)
                | bit(!self.fits(age_min[k], age_max[k], sex[k]), HardRule::AgeOrSex)
                | bit(skills[k] & self.required != self.required, HardRule::Needs)
                | bit(skills[k] & self.emergency != self.emergency, HardRule::Emergency)
                | bit(
                    (self.no_other_children & (others[k] > 0)) | (self.no_pets & pets) | (self.must_take_pets & !pets),
                    HardRule::Household,
                )
                // With several vacancies these two are decided by walking them (SupplyIndex::avail).
                | bit(
                    (vac_count[k] == 0)
                        | (single & ((vac_from[k] > self.start) | !self.fits(vac_age_min[k], vac_age_max[k], vac_sex[k]))),
                    HardRule::NoVacancy,
                )
                | bit(single & (vac_places[k] < self.room), HardRule::SiblingRoom);
        }
    }

    /// The exceptions, for the few homes a request names. A connected-person household is only for
    /// the child it was approved for, and that child's own approved relative needs no emergency
    /// approval to take them tonight; an Inadequate home only under a recorded override.
    #[cold]
    fn exempt(&self, i: usize, mut fails: u16) -> u16 {
        if fails & self.exempt_if_connected != 0 && self.is_connected(i) {
            fails &= !self.exempt_if_connected;
        }
        if fails & self.exempt_if_overridden != 0
            && (self.req.inadequate_allowed || self.overrides.contains(&(i as u32)))
        {
            fails &= !self.exempt_if_overridden;
        }
        fails
    }

    #[inline]
    pub fn is_connected(&self, i: usize) -> bool {
        self.connected.contains(&(i as u32))
    }

    #[inline]
    fn fits(&self, age_min: u8, age_max: u8, sex: u8) -> bool {
        (age_min <= self.youngest) & (self.oldest <= age_max) & (sex & self.sex_need == self.sex_need)
    }
}

/// For a sibling group that must live together: whether a foster family nearby can take them all,
/// and if none can, the nearest that came closest (left out only for room).
struct SiblingNote {
    on: bool,
    /// A foster home within [`NEARBY_MILES`] passed every rule.
    family_nearby: bool,
    /// The nearest foster home left out only for room: squared metres and its places.
    nearest: Option<(i64, u16)>,
}

impl SiblingNote {
    fn new(q: &Query<'_>) -> Self {
        let on = q.req.siblings_together && q.children >= 2 && q.home.is_some();
        Self { on, family_nearby: false, nearest: None }
    }

    fn is_family(ix: &SupplyIndex, i: usize) -> bool {
        ix.recs[i].flags & flag::FOSTER != 0
    }

    fn miles_to(ix: &SupplyIndex, q: &Query<'_>, i: usize) -> i64 {
        q.home.map_or(0, |h| dist2(h, ix.grid(i)))
    }

    #[cold]
    fn fits(&mut self, ix: &SupplyIndex, q: &Query<'_>, i: usize) {
        if !self.family_nearby && Self::is_family(ix, i) && miles(Self::miles_to(ix, q, i)) <= NEARBY_MILES {
            self.family_nearby = true;
        }
    }

    #[cold]
    fn near_miss(&mut self, ix: &SupplyIndex, q: &Query<'_>, i: usize) {
        if !Self::is_family(ix, i) {
            return;
        }
        let d2 = Self::miles_to(ix, q, i);
        let places = ix.open_places(q, i);
        if places > 0 && self.nearest.is_none_or(|(best, _)| d2 < best) {
            self.nearest = Some((d2, places));
        }
    }

    fn sentence(&self, q: &Query<'_>) -> Option<String> {
        if !self.on || self.family_nearby {
            return None;
        }
        let n = q.children;
        let head = format!("No foster family within {NEARBY_MILES:.0} miles has {n} free places");
        Some(match self.nearest {
            Some((d2, places)) => {
                let at = Miles((f64::from(miles(d2)) * 10.0).round() / 10.0);
                format!("{head}; the nearest family left out only for room has {places} ({:.1} miles away).", at.0)
            }
            None => format!("{head}, and none nearer or further has room for part of the group."),
        })
    }
}

/// The order of the ranking: connected person first, then score, then nearer, then lower home id.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    connected: bool,
    score: f32,
    /// Squared metres from the child's home (0 when unknown): exact, so ties at f32 precision still
    /// favour the nearer home.
    dist2: i64,
    id: i64,
    idx: u32,
    avail: Avail,
}

impl Ord for Ranked {
    /// Greater is better.
    fn cmp(&self, o: &Self) -> Ordering {
        self.connected
            .cmp(&o.connected)
            .then(self.score.total_cmp(&o.score))
            .then(o.dist2.cmp(&self.dist2))
            .then(o.id.cmp(&self.id))
    }
}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl PartialEq for Ranked {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Ranked {}

fn dist2(a: GridRef, b: GridRef) -> i64 {
    let de = i64::from(a.easting) - i64::from(b.easting);
    let dn = i64::from(a.northing) - i64::from(b.northing);
    de * de + dn * dn
}

/// Miles as the scorer uses them (f32, unrounded).
fn miles(d2: i64) -> f32 {
    (d2 as f32).sqrt() / METRES_PER_MILE
}

impl SupplyIndex {
    /// Ranks the homes for `request`: the best `limit`, each with its score, factor contributions and
    /// reasons, and how many homes each hard rule left out. Never fails: an odd request (no
    /// children, an unknown council) simply finds what it can; [`MatchRequest::validate`] first.
    pub fn rank(&self, request: &MatchRequest, weights: &Weights, limit: usize) -> MatchResult {
        self.rank_explained(request, weights, limit, Explain::All)
    }

    /// As [`SupplyIndex::rank`], writing as much of each home's "why" as `explain` asks.
    pub fn rank_explained(
        &self,
        request: &MatchRequest,
        weights: &Weights,
        limit: usize,
        explain: Explain,
    ) -> MatchResult {
        let q = Query::new(self, request, weights);
        let mut counts = [0u32; 16];
        let mut considered = 0usize;
        // Sized once (never beyond the supply, whatever limit is asked): the loop below never allocates.
        let limit = limit.min(self.recs.len());
        let mut heap: BinaryHeap<Reverse<Ranked>> = BinaryHeap::with_capacity(limit);
        let mut fails = [0u16; CHUNK];
        let mut siblings = SiblingNote::new(&q);
        for base in (0..self.recs.len()).step_by(CHUNK) {
            let end = (base + CHUNK).min(self.recs.len());
            let fails = &mut fails[..end - base];
            q.fails(&self.cols, base, fails);
            if q.avoiding {
                q.avoided(&self.cols, base, fails);
            }
            for (k, f) in fails.iter().enumerate() {
                let i = base + k;
                let f = if f & q.exemptions != 0 { q.exempt(i, *f) } else { *f };
                let avail = if f != 0 { Err(f) } else { self.avail(&q, i) };
                let avail = match avail {
                    Ok(a) => a,
                    Err(f) => {
                        counts[(f.trailing_zeros() & 15) as usize] += 1;
                        if siblings.on && f == 1 << HardRule::SiblingRoom as u16 {
                            siblings.near_miss(self, &q, i);
                        }
                        continue;
                    }
                };
                considered += 1;
                if siblings.on {
                    siblings.fits(self, &q, i);
                }
                if limit == 0 {
                    continue;
                }
                let r = &self.recs[i];
                let (values, d2) = self.values(&q, i, r, &avail);
                let score = dot(&q.w, &values);
                let id = self.cold[i].id.0;
                let cand = Ranked { connected: q.is_connected(i), score, dist2: d2, id, idx: i as u32, avail };
                if heap.len() < limit {
                    heap.push(Reverse(cand));
                } else if let Some(mut worst) = heap.peek_mut()
                    && cand > worst.0
                {
                    *worst = Reverse(cand);
                }
            }
        }
        let mut best: Vec<Ranked> = heap.into_iter().map(|r| r.0).collect();
        best.sort_unstable_by(|a, b| b.cmp(a));
        let matches = best.iter().map(|r| self.explain(&q, r, explain)).collect();
        let mut excluded = Exclusions::default();
        for rule in HardRule::ALL {
            excluded.add_n(rule, counts[rule as usize]);
        }
        let notes = siblings.sentence(&q).into_iter().collect();
        MatchResult { matches, excluded, considered, notes }
    }

    /// The first hard rule each of `homes` fails for `request` (`None` when it passes every one), by
    /// the same checks and in the same order as [`SupplyIndex::rank`]: a provider choosing which of
    /// its homes to offer is told why the others cannot meet the referral. A home the index does not
    /// hold is left out of the answer.
    pub fn first_failed(
        &self,
        request: &MatchRequest,
        weights: &Weights,
        homes: &[HomeId],
    ) -> Vec<(HomeId, Option<HardRule>)> {
        let q = Query::new(self, request, weights);
        let mut out = Vec::with_capacity(homes.len());
        for home in homes {
            let Some(&i) = self.by_home.get(home) else { continue };
            let i = i as usize;
            let mut fails = [0u16; 1];
            q.fails(&self.cols, i, &mut fails);
            if q.avoiding {
                q.avoided(&self.cols, i, &mut fails);
            }
            let f = if fails[0] & q.exemptions != 0 { q.exempt(i, fails[0]) } else { fails[0] };
            let f = if f != 0 { f } else { self.avail(&q, i).err().unwrap_or(0) };
            let rule = (f != 0).then(|| HardRule::ALL[(f.trailing_zeros() as usize).min(HardRule::COUNT - 1)]);
            out.push((*home, rule));
        }
        out
    }

    /// The places open to these children by the start date in a home's vacancies, whatever the room
    /// needed: for the near-miss sentence.
    fn open_places(&self, q: &Query<'_>, i: usize) -> u16 {
        let r = &self.recs[i];
        if r.vac_count == 1 {
            return r.vac_places;
        }
        let mut places = 0u32;
        let mut s = self.cold[i].first_vac;
        while s != NONE {
            let v = &self.vacs[s as usize];
            if v.places > 0 && v.from <= q.start && q.fits(v.age_min, v.age_max, v.sex) {
                places += u32::from(v.places);
            }
            s = v.next;
        }
        places.min(u32::from(u16::MAX)) as u16
    }

    /// The usable vacancy of a home that passed every other rule: the record's own when it has one
    /// open vacancy, else from walking its vacancies.
    #[inline(always)]
    fn avail(&self, q: &Query<'_>, i: usize) -> Result<Avail, u16> {
        let r = &self.recs[i];
        if r.vac_count == 1 {
            Ok(Avail { places: r.vac_places, slot: r.vac_slot, price: r.vac_price })
        } else {
            self.walk_vacancies(q, i).map_err(|rule| 1 << rule as u16)
        }
    }

    /// A home with several open vacancies: the places open to these children by the start date,
    /// from vacancies each child fits. The first of them in offering order is the one named.
    #[cold]
    fn walk_vacancies(&self, q: &Query<'_>, i: usize) -> Result<Avail, HardRule> {
        let mut places = 0u32;
        let mut first = NONE;
        let mut s = self.cold[i].first_vac;
        while s != NONE {
            let v = &self.vacs[s as usize];
            if v.places > 0 && v.from <= q.start && q.fits(v.age_min, v.age_max, v.sex) {
                places += u32::from(v.places);
                if first == NONE || v.before(&self.vacs[first as usize]) {
                    first = s;
                }
            }
            s = v.next;
        }
        if first == NONE {
            return Err(HardRule::NoVacancy);
        }
        let places = places.min(u32::from(u16::MAX)) as u16;
        if places < q.room {
            return Err(HardRule::SiblingRoom);
        }
        Ok(Avail { places, slot: first, price: self.vacs[first as usize].price })
    }

    /// Each factor's value (−1 to 1) for a home that passed, and its exact squared distance.
    #[inline(always)]
    fn values(&self, q: &Query<'_>, i: usize, r: &Rec, a: &Avail) -> ([f32; Factor::COUNT], i64) {
        let mut v = [0f32; Factor::COUNT];
        let here = GridRef { easting: r.east, northing: r.north };
        v[Factor::ConnectedPerson as usize] = f32::from(u8::from(q.is_connected(i)));
        let mut d2 = 0;
        if let Some(home) = q.home {
            d2 = dist2(home, here);
            v[Factor::Distance as usize] = q.half_home / (q.half_home + miles(d2));
        }
        if q.col.is_some() {
            v[Factor::InsideArea as usize] = f32::from(q.area_class[usize::from(r.area)]) * 0.5;
        }
        if let Some(school) = q.school {
            v[Factor::School as usize] = q.half_school / (q.half_school + miles(dist2(school, here)));
        }
        if q.children >= 2 {
            v[Factor::Siblings as usize] =
                if a.places >= q.children { 0.7 } else { 0.0 } + if r.skills & q.siblings_bit != 0 { 0.3 } else { 0.0 };
        }
        if q.disabled {
            v[Factor::Adaptations as usize] = if r.skills & q.wheelchair_bit != 0 { 0.6 } else { 0.0 }
                + if r.skills & q.disability_bit != 0 { 0.4 } else { 0.0 };
        }
        if q.helpful_n > 0 {
            v[Factor::Skills as usize] = (r.skills & q.helpful).count_ones() as f32 / q.helpful_n as f32;
        }
        v[Factor::Judgement as usize] = [0.0, 1.0, 0.5, -0.5, -1.0][usize::from(r.judgement.min(4))];
        v[Factor::Risk as usize] = [1.0, 0.0, -1.0][usize::from(r.risk.min(2))];
        let term = q.col.map(|c| self.contracts.term(r.terms_row, c)).unwrap_or_default();
        if q.col.is_some() {
            v[Factor::Tier as usize] = tier_value(term.tier);
        }
        if let Some(ceiling) = q.ceiling {
            v[Factor::Price as usize] = price_value(effective_price(term, a, r), ceiling);
        }
        v[Factor::Household as usize] = household_value(q.concern, r.others);
        if q.preferring_area {
            v[Factor::PreferredArea as usize] = q.area_value(r, here);
        }
        v[Factor::PlacementType as usize] = q.placement_value(r.kind);
        if let Some(likes) = q.req.prefers_pets {
            let pets = r.flags & flag::PETS != 0;
            v[Factor::Pets as usize] = match (likes, pets) {
                (true, true) => 1.0,
                (false, true) => -1.0,
                _ => 0.0,
            };
        }
        (v, d2)
    }

    /// The full answer for one returned home: contributions and a sentence for each factor that
    /// applied.
    fn explain(&self, q: &Query<'_>, ranked: &Ranked, explain: Explain) -> Match {
        let i = ranked.idx as usize;
        let r = &self.recs[i];
        let (values, _) = self.values(q, i, r, &ranked.avail);
        let term = q.col.map(|c| self.contracts.term(r.terms_row, c)).unwrap_or_default();
        let here = self.grid(i);
        let facts = Facts {
            q,
            rec: r,
            kind: HomeKind::ALL[usize::from(r.kind)],
            distance: q.home.map(|h| h.dfe_miles_to(here)),
            school: q.school.map(|s| s.dfe_miles_to(here)),
            area_code: self.areas.get(usize::from(r.area)).map(String::as_str),
            district: self.districts.get(usize::from(r.district)).map(String::as_str),
            area_value: values[Factor::PreferredArea as usize],
            places: ranked.avail.places,
            term,
            price: effective_price(term, &ranked.avail, r),
        };
        let contributions: Vec<(Factor, f32)> = Factor::ALL
            .into_iter()
            .filter(|f| applies(q, *f, ranked.connected))
            .map(|f| (f, q.w[f as usize] * values[f as usize]))
            .collect();
        let reasons = match explain {
            Explain::All => contributions.iter().map(|(f, _)| sentence(*f, &facts)).collect(),
            Explain::Deciding(n) => {
                deciding(&contributions, n).into_iter().map(|k| sentence(contributions[k].0, &facts)).collect()
            }
        };
        Match {
            home: self.cold[i].id,
            kind: facts.kind,
            vacancy: self.vacs.get(ranked.avail.slot as usize).and_then(|v| v.id),
            connected_person: ranked.connected,
            score: ranked.score,
            contributions,
            reasons,
            distance_miles: facts.distance.unwrap_or(Miles::UNKNOWN),
            school_miles: facts.school,
            tier: term.tier.unwrap_or(ContractTier::Spot),
            weekly_price: pounds(facts.price),
            price_basis: price_basis(term, q.req.referring_council().map_or("the council", |c| c.name)),
            available_from: self.vacs.get(ranked.avail.slot as usize).map_or(q.req.start, |v| date_of(v.from)),
        }
    }
}

/// Σ weight × value, in factor order (the same order every time, so a score is reproducible).
#[inline(always)]
fn dot(w: &[f32; Factor::COUNT], v: &[f32; Factor::COUNT]) -> f32 {
    w.iter().zip(v).fold(0.0, |s, (w, v)| s + w * v)
}

/// Whether a factor says anything about this request (one that doesn't is left out of the answer).
fn applies(q: &Query<'_>, f: Factor, connected: bool) -> bool {
    match f {
        Factor::ConnectedPerson => connected,
        Factor::Distance => q.home.is_some(),
        Factor::InsideArea | Factor::Tier => q.col.is_some(),
        Factor::School => q.school.is_some(),
        Factor::Siblings => q.children >= 2,
        Factor::Adaptations => q.disabled,
        Factor::Skills => q.helpful_n > 0,
        Factor::Price => q.ceiling.is_some(),
        Factor::Pets => q.req.prefers_pets.is_some(),
        Factor::PreferredArea => q.preferring_area,
        Factor::Judgement | Factor::Risk | Factor::Household | Factor::PlacementType => true,
    }
}

/// The cascade as values: in-house first, then block beds already paid for, framework, spot.
pub(crate) fn tier_value(t: Option<ContractTier>) -> f32 {
    match t {
        Some(ContractTier::InHouse) => 1.0,
        Some(ContractTier::Block) => 0.75,
        Some(ContractTier::Framework) => 0.4,
        Some(ContractTier::Spot) | None => 0.0,
    }
}

/// Under the ceiling earns up to 1 (the saving as a share of it); over it costs fast, reaching −1
/// at a quarter over, since a council cannot usually pay that without a manager's approval.
pub(crate) fn price_value(price: u16, ceiling: u32) -> f32 {
    let (p, c) = (f32::from(price), ceiling.max(1) as f32);
    if p <= c { (c - p) / c } else { (-4.0 * (p - c) / c).max(-1.0) }
}

/// For a child whose needs concern other children: none is best, two is neutral, four or more
/// counts fully against. For others: only a busy household (more than three) counts against.
pub(crate) fn household_value(concern: bool, others: u8) -> f32 {
    if concern {
        (1.0 - f32::from(others) / 2.0).max(-1.0)
    } else if others > 3 {
        -0.5
    } else {
        0.0
    }
}

/// The council's price: that of its contract covering the home where it sets one, else the vacancy's
/// asking price.
pub(crate) fn effective_price(term: Term, a: &Avail, r: &Rec) -> u16 {
    if term.tier.is_some() && term.price > 0 {
        term.price
    } else if a.price > 0 {
        a.price
    } else {
        r.home_price
    }
}

fn pounds(p: u16) -> WeeklyPrice {
    WeeklyPrice::new(i64::from(p).clamp(1, i64::from(WeeklyPrice::MAX)))
        .unwrap_or_else(|_| unreachable!("clamped to the valid range"))
}

/// The name of a council area for a sentence.
pub(crate) fn area_name(code: &str) -> Option<&'static str> {
    council_by_ons(code)
        .map(|c| c.name)
        .or_else(|| hearth_domain::council::BORDERING_OUTSIDE_REGION.iter().find(|(c, _)| *c == code).map(|(_, n)| *n))
}
