//! Where each child lives and has lived: today's placement chosen to reproduce the council's DfE
//! category (setting, provider, inside or outside the boundary, within or over 20 miles), then the
//! earlier placements back to the day care began, with the reasons each one ended.
//!
//! Stability is built in rather than left to chance: the units flagged in [`crate::plan`] get a
//! current placement of 2+ years (the long-term cohort's "same carer") or three placements in the
//! past year; everyone else has at most two placements in the past year.

use crate::homes::{Homes, OPEN, Rule, Seeker};
use crate::orgs::Orgs;
use crate::plan::{Kid, Setting, Unit, birthday};
use crate::profile;
use crate::space::{Reach, Space};
use crate::targets::{CouncilTargets, Where};
use crate::util::{Calendar, DemoRng, YEAR, between, chance, stable_hash, weighted};
use hearth_domain::council::{Council, WEST_MIDLANDS};
use hearth_domain::home::HomeKind;
use hearth_domain::org::Sector;
use hearth_domain::{GridRef, PlaceProvider, PlacementType, ReasonEpisodeCeased, ReasonPlaceChange, Sex};
use hearth_reference::dfe::DistanceBand;
use hearth_reference::la;

/// One placement of a unit (every child in the unit has it).
#[derive(Debug, Clone)]
pub struct Stay {
    pub unit: usize,
    pub setting: Setting,
    pub home: Option<usize>,
    /// Where the child lives, as a gazetteer postcode (`None` outside the region or unknown).
    pub at: Option<u32>,
    pub grid: Option<GridRef>,
    pub utla: Option<String>,
    pub start: i32,
    pub end: i32,
    pub placement_type: PlacementType,
    pub provider: PlaceProvider,
    pub reason_change: Option<ReasonPlaceChange>,
    pub planned: Option<bool>,
    pub ceased: Option<ReasonEpisodeCeased>,
    pub step_down: bool,
}

/// What a home search asks for.
#[derive(Debug, Clone, Copy)]
struct Search<'a> {
    who: &'a Seeker,
    setting: Setting,
    want: Option<PlaceProvider>,
    rule: Rule,
    stay: (i32, i32),
}

/// Placement records for all units.
pub struct Placer<'a> {
    pub cal: &'a Calendar,
    pub space: &'a Space,
    pub orgs: &'a Orgs,
    pub homes: &'a mut Homes,
    pub targets: &'a [CouncilTargets],
    /// URN of each council's own fostering registration (a trust's or council company's), by position.
    pub own_urn: Vec<Option<String>>,
    pub stays: Vec<Stay>,
}

fn rule_for(place: Where) -> Rule {
    let (inside, reach) = match place {
        Where::InsideNear => (true, Reach::Within(20.0)),
        Where::OutsideNear => (false, Reach::Within(20.0)),
        Where::InsideFar => (true, Reach::Beyond(20.0)),
        Where::OutsideFar => (false, Reach::Beyond(20.0)),
        Where::InsideUnknown => (true, Reach::Any),
        Where::OutsideUnknown => (false, Reach::Any),
    };
    Rule { inside: Some(inside), reach }
}

fn council(la_code: u16) -> &'static Council {
    WEST_MIDLANDS.iter().find(|c| c.la_code == la_code).unwrap_or(&WEST_MIDLANDS[0])
}

fn centre(c: &Council) -> GridRef {
    la::by_la_code(c.la_code).map_or(GridRef { easting: 400_000, northing: 290_000 }, |l| l.centroid)
}

/// The placement before one in `next`, for a child then aged `age`: the common routes into each
/// kind of placement (foster care before most things; residential before residential; supported
/// accommodation only from 16).
fn previous_setting(rng: &mut DemoRng, next: Setting, age: i16) -> Setting {
    let teen = |w: f64| if age >= Setting::ChildrensHome.min_start_age() { w } else { 0.0 };
    let sixteen = |w: f64| if age >= 16 { w } else { 0.0 };
    let agency = Setting::Agency { voluntary: false };
    let options: Vec<(Setting, f64)> = match next {
        Setting::ChildrensHome | Setting::Secure | Setting::School => vec![
            (Setting::InHouse, 0.3),
            (agency, 0.28),
            (Setting::ChildrensHome, teen(0.34)),
            (Setting::WithParents, 0.05),
            (Setting::Other, teen(0.03)),
        ],
        Setting::Supported(_) => vec![
            (Setting::InHouse, 0.22),
            (agency, 0.2),
            (Setting::ChildrensHome, teen(0.25)),
            (Setting::Supported(HomeKind::SaSharedHouse), sixteen(0.3)),
            (Setting::Other, 0.03),
        ],
        Setting::Adoption => vec![(Setting::InHouse, 0.6), (agency, 0.4)],
        Setting::WithParents => {
            vec![
                (Setting::InHouse, 0.45),
                (agency, 0.3),
                (Setting::Connected, 0.15),
                (Setting::ChildrensHome, teen(0.1)),
            ]
        }
        Setting::OtherResidential(_) | Setting::Other => vec![
            (Setting::ChildrensHome, teen(0.4)),
            (Setting::InHouse, 0.2),
            (agency, 0.2),
            (Setting::Supported(HomeKind::SaSharedHouse), sixteen(0.2)),
        ],
        _ => vec![
            (Setting::InHouse, 0.44),
            (agency, 0.34),
            (Setting::Connected, 0.08),
            (Setting::ChildrensHome, teen(0.07)),
            (Setting::WithParents, 0.05),
            (Setting::Supported(HomeKind::SaSharedHouse), sixteen(0.04)),
        ],
    };
    weighted(rng, &options)
}

/// Placement start days, latest first, from `since` to `end`; see the module notes for the rules.
/// The last placement starts no earlier than `floor` (the youngest child old enough for it).
fn chain(rng: &mut DemoRng, unit: &Unit, lead: &Kid, end: i32, floor: i32) -> Vec<(i32, i32)> {
    let since = lead.since.min(end - 1);
    let t = end - since;
    let current = lead.ceased.is_none();
    let cohort = lead.age_on(0) < 16 && t >= 913;
    let last_start = if !current {
        end - between(rng, 14.min(t), t.min(700))
    } else if unit.stable {
        end - between(rng, 730, t.min(2_600))
    } else if unit.many_moves {
        end - between(rng, 5, (t / 3).clamp(5, 120))
    } else if t < YEAR {
        if chance(rng, 0.6) { since } else { end - between(rng, 5, t - 1) }
    } else if cohort {
        end - between(rng, 14, 729)
    } else {
        let d = if chance(rng, 0.55) { between(rng, 30, 729) } else { between(rng, YEAR, t.min(2_400)) };
        end - d.min(t)
    };
    let last_start = last_start.max(since).max(floor).min(end - 1);
    let mut out = vec![(last_start, end)];
    let mut boundary = last_start;
    if current && unit.many_moves {
        // Two more placements that end inside the year, so three overlap it.
        for _ in 0..2 {
            if boundary - since < 14 {
                break;
            }
            let d = between(rng, 7, ((boundary - since) / 2).min(75));
            out.push((boundary - d, boundary));
            boundary -= d;
        }
    } else if current && boundary > -YEAR && boundary > since {
        // The one before began before the year, so no more than two overlap it.
        let s = (-YEAR - between(rng, 0, 500)).max(since);
        out.push((s, boundary));
        boundary = s;
    }
    while boundary > since {
        let d = if current { between(rng, 120, 1_100) } else { between(rng, 90, 900) };
        let mut s = (boundary - d).max(since);
        if s - since < 60 {
            s = since;
        }
        out.push((s, boundary));
        boundary = s;
    }
    out
}

impl Placer<'_> {
    fn seeker(&self, kids: &[Kid], unit: &Unit, day: i32) -> Seeker {
        let lead = &kids[unit.kids[0]];
        let c = council(lead.la_code);
        Seeker {
            la_code: lead.la_code,
            utla: c.ons_code,
            home: lead.home_pc.map(|i| self.space.grid(i)),
            age: unit.kids.iter().map(|&k| kids[k].age_on(day)).max().unwrap_or(0).max(0),
            sex: lead.sex,
            uasc: lead.uasc,
            count: unit.kids.len() as u16,
        }
    }

    /// The child's home postcode (DfE's HOME_POST): a sibling's, or a random one in the council.
    fn home_postcode(&self, rng: &mut DemoRng, kids: &mut [Kid], unit: &Unit, redraw: bool) {
        if unit.place.distance() == DistanceBand::NotKnown || kids[unit.kids[0]].uasc {
            return;
        }
        let lead = &kids[unit.kids[0]];
        let shared =
            lead.sibling_group.and_then(|g| kids.iter().find(|k| k.sibling_group == Some(g) && k.home_pc.is_some()));
        let pc = match (shared, redraw) {
            (Some(s), _) if !redraw => s.home_pc,
            _ if lead.home_pc.is_some() && !redraw => lead.home_pc,
            _ => self.space.g.random_in_council(rng, council(lead.la_code).ons_code).map(|u| u.index),
        };
        for &k in &unit.kids {
            kids[k].home_pc = pc;
        }
    }

    fn own_urn(&self, la_code: u16) -> Option<&str> {
        self.own_urn[Orgs::council_pos(la_code)].as_deref()
    }
}

/// A provider of supported accommodation for a council: its own (PR1), a neighbour's (PR2), a
/// charity (PR5) or a company (PR4), each council favouring a few.
fn supported_owner(orgs: &Orgs, rng: &mut DemoRng, la_code: u16, want: Option<PlaceProvider>) -> usize {
    let pick = |list: &[usize], rng: &mut DemoRng| {
        let w: Vec<(usize, f64)> =
            list.iter().map(|&o| (o, 1.0 + (stable_hash(&format!("{la_code}{o}")) % 5) as f64)).collect();
        weighted(rng, &w)
    };
    match want {
        Some(PlaceProvider::Pr1) => orgs.council_of(la_code),
        Some(PlaceProvider::Pr2) => neighbour_service(orgs, rng, la_code),
        Some(PlaceProvider::Pr5) => pick(&orgs.supported_voluntary, rng),
        _ => pick(&orgs.supported_private, rng),
    }
}

/// Another portal council's own service (a council, not a trust, so the placement is PR2),
/// preferring councils next door.
fn neighbour_service(orgs: &Orgs, rng: &mut DemoRng, la_code: u16) -> usize {
    let me = council(la_code);
    let options: Vec<(usize, f64)> = WEST_MIDLANDS
        .iter()
        .filter(|c| c.la_code != la_code)
        .map(|c| {
            let org = orgs.own_service_of(c);
            let council_run = orgs.list[org].sector == Some(Sector::LocalAuthority);
            let w = if !council_run {
                0.0
            } else if me.borders(c.ons_code) {
                4.0
            } else {
                1.0
            };
            (org, w)
        })
        .collect();
    weighted(rng, &options)
}

impl Placer<'_> {
    /// A family placement or supported setting for `unit`: owner by setting, location by `rule`.
    /// An existing household may be reused if its owner is of the same kind: the council's own
    /// service, any agency of the same sector, any supported provider of the same sector.
    fn family_home(
        &mut self,
        rng: &mut DemoRng,
        who: &Seeker,
        setting: Setting,
        want: Option<PlaceProvider>,
        rule: Rule,
        stay: (i32, i32),
    ) -> usize {
        let c = council(who.la_code);
        let orgs = self.orgs;
        let own = orgs.own_service_of(c);
        let same_sector = |owner: usize, new: usize| {
            let (a, b) = (&orgs.list[owner], &orgs.list[new]);
            a.sector == b.sector && a.la_code == b.la_code
        };
        let (kind, owner, urn) = match setting {
            Setting::Connected => (HomeKind::ConnectedPerson, own, None),
            Setting::OtherCouncilFoster => (HomeKind::FosterInHouse, neighbour_service(orgs, rng, who.la_code), None),
            Setting::Agency { voluntary } => match self.homes.agency(rng, centre(c), voluntary) {
                Some(office) => (HomeKind::FosterAgency, office.org, Some(office.urn.clone())),
                None => (HomeKind::FosterInHouse, own, None),
            },
            Setting::Supported(kind) => (kind, supported_owner(orgs, rng, who.la_code, want), None),
            _ => (HomeKind::FosterInHouse, own, self.own_urn(who.la_code).map(str::to_owned)),
        };
        let reuse = |o: usize| same_sector(o, owner);
        self.homes.household(rng, self.space, orgs, kind, &reuse, (owner, urn.as_deref()), who, rule, stay)
    }

    fn pool(&self, setting: Setting) -> &[usize] {
        match setting {
            Setting::Secure => &self.homes.secure,
            Setting::School => &self.homes.schools,
            _ => &self.homes.residential,
        }
    }

    /// A registered home that meets the rule exactly: the provider DfE's mix asks for if one fits,
    /// any provider otherwise.
    fn strict_registered(&self, rng: &mut DemoRng, q: &Search<'_>) -> Option<usize> {
        let orgs = self.orgs;
        let (la_code, want) = (q.who.la_code, q.want);
        let wanted = move |owner: usize| {
            let org = &orgs.list[owner];
            want.is_none_or(|w| org.sector.unwrap_or(Sector::Private).place_provider(org.la_code == Some(la_code)) == w)
        };
        let pool = self.pool(q.setting);
        self.homes
            .find_registered(rng, pool, q.who, q.rule, q.stay, &wanted)
            .or_else(|| self.homes.find_registered(rng, pool, q.who, q.rule, q.stay, &|_| true))
    }

    /// A registered home, relaxing the distance, then the boundary, when nothing meets the rule.
    fn registered_home(&self, rng: &mut DemoRng, q: &Search<'_>) -> Option<usize> {
        let loose = Search { rule: Rule { inside: q.rule.inside, reach: Reach::Any }, ..*q };
        let anywhere = Search { rule: Rule::ANY, ..*q };
        self.strict_registered(rng, q)
            .or_else(|| self.strict_registered(rng, &loose))
            .or_else(|| self.strict_registered(rng, &anywhere))
    }

    /// A place with no listed home (parents, adopters, hospital, custody, other): a postcode.
    fn location(
        &self,
        rng: &mut DemoRng,
        who: &Seeker,
        setting: Setting,
        rule: Rule,
        home_pc: Option<u32>,
    ) -> Option<u32> {
        if setting == Setting::WithParents && rule.inside != Some(false) && home_pc.is_some() {
            return home_pc;
        }
        if rule.reach.is_any() && who.home.is_none() && setting == Setting::Other && chance(rng, 0.5) {
            // "Other" placements DfE cannot measure often have no recorded address either.
            return None;
        }
        self.space.pick(rng, rule.area(who.utla), who.home, rule.reach)
    }

    fn history_rule(&self, rng: &mut DemoRng, la_code: u16, known_home: bool) -> Rule {
        if !known_home {
            return Rule { inside: Some(chance(rng, 0.75)), reach: Reach::Any };
        }
        let t = &self.targets[Orgs::council_pos(la_code)];
        let w: Vec<(Where, f64)> =
            Where::ALL[..4].iter().zip(t.new_placement_places).map(|(w, n)| (*w, f64::from(n) + 0.5)).collect();
        rule_for(weighted(rng, &w))
    }

    /// Places a unit's stay in `setting`; returns the home, the postcode and the setting used
    /// (which differs from the one asked when no registered home fitted).
    #[allow(clippy::too_many_arguments)]
    fn put(
        &mut self,
        rng: &mut DemoRng,
        kids: &[Kid],
        unit: &Unit,
        setting: Setting,
        want: Option<PlaceProvider>,
        rule: Rule,
        stay: (i32, i32),
    ) -> (Option<usize>, Option<u32>, Setting) {
        let who = self.seeker(kids, unit, stay.0);
        if setting.is_residential() {
            if let Some(h) = self.registered_home(rng, &Search { who: &who, setting, want, rule, stay }) {
                self.homes.occupy(h, who.count, stay.0, stay.1);
                return (Some(h), self.homes.books[h].postcode, setting);
            }
            let fallback = Setting::Agency { voluntary: false };
            let h = self.family_home(rng, &who, fallback, None, rule, stay);
            return (Some(h), self.homes.books[h].postcode, fallback);
        }
        match setting {
            Setting::WithParents | Setting::Adoption | Setting::OtherResidential(_) | Setting::Other => {
                (None, self.location(rng, &who, setting, rule, kids[unit.kids[0]].home_pc), setting)
            }
            _ => {
                let h = self.family_home(rng, &who, setting, want, rule, stay);
                (Some(h), self.homes.books[h].postcode, setting)
            }
        }
    }

    fn provider(
        &self,
        setting: Setting,
        home: Option<usize>,
        want: Option<PlaceProvider>,
        la_code: u16,
    ) -> PlaceProvider {
        match (home, setting) {
            (Some(h), _) => self.homes.provider_code(self.orgs, h, la_code),
            (None, Setting::WithParents) => PlaceProvider::Pr0,
            (None, Setting::Adoption) => want.filter(|p| *p != PlaceProvider::Pr0).unwrap_or(PlaceProvider::Pr1),
            (None, Setting::OtherResidential(_)) => want.unwrap_or(PlaceProvider::Pr3),
            // DfE records no provider for "other" placements; Hearth's record needs one, and these
            // are mostly unregistered private settings.
            _ => PlaceProvider::Pr4,
        }
    }

    /// `end` is the day the stay ends (or today, or [`OPEN`], while it goes on).
    fn placement_type(&self, setting: Setting, home: Option<usize>, long_term: bool, end: i32) -> PlacementType {
        if let Some(h) = home {
            return self.homes.list[h].kind.placement_type(long_term);
        }
        match setting {
            Setting::WithParents => PlacementType::P1,
            Setting::Adoption => {
                if long_term {
                    PlacementType::A5
                } else {
                    PlacementType::A6
                }
            }
            Setting::OtherResidential(t) => t,
            // Z1 gave way to Z11–Z14 in 2025/26; their labels await DfE's guide, so Z11 stands for all.
            // A placement still going on 1 April 2025 was recoded then (the 2025/26 return refuses Z1),
            // so only one that ended before keeps Z1.
            _ => {
                let z1_until = self.cal.offset(jiff::civil::date(2025, 4, 1));
                if end < z1_until { PlacementType::Z1 } else { PlacementType::Z11 }
            }
        }
    }

    fn reason(&self, rng: &mut DemoRng, la_code: u16, no_place: bool) -> ReasonPlaceChange {
        let t = &self.targets[Orgs::council_pos(la_code)];
        let w: Vec<(ReasonPlaceChange, f64)> = t
            .change_reasons
            .iter()
            .filter(|(r, _)| !(no_place && *r == ReasonPlaceChange::Place))
            .map(|(r, n)| (*r, f64::from(*n) + 0.2))
            .collect();
        weighted(rng, &w)
    }

    /// Supported accommodation to the Coventry strategy's mix: each council's places of each kind
    /// are Coventry's counts scaled by the council's supported-accommodation placements (DfE).
    pub fn top_up_supported(&mut self, rng: &mut DemoRng) {
        for t in self.targets {
            let c = t.council;
            let scale = f64::from(t.groups[2]) / f64::from(profile::COVENTRY_SUPPORTED_PLACEMENTS);
            let who = Seeker {
                la_code: c.la_code,
                utla: c.ons_code,
                home: None,
                age: 17,
                sex: Sex::Male,
                uasc: false,
                count: 1,
            };
            for (kind, coventry) in profile::COVENTRY_SUPPORTED {
                let target = (f64::from(coventry) * scale).round() as u32;
                let orgs = self.orgs;
                let mut want = |rng: &mut DemoRng| {
                    let code = weighted(
                        rng,
                        &[(PlaceProvider::Pr1, 0.25), (PlaceProvider::Pr4, 0.6), (PlaceProvider::Pr5, 0.15)],
                    );
                    supported_owner(orgs, rng, c.la_code, Some(code))
                };
                self.homes.top_up_supported(rng, self.space, orgs, &who, kind, target, &mut want);
            }
        }
    }

    /// Every placement of one unit, oldest first.
    pub fn place_unit(&mut self, rng: &mut DemoRng, kids: &mut [Kid], units: &[Unit], ui: usize) {
        let unit = &units[ui];
        let end = kids[unit.kids[0]].ceased.map_or(0, |(d, _)| d);
        let youngest = unit.kids.iter().map(|&k| kids[k].dob).max().unwrap_or(0);
        let floor = birthday(youngest, unit.setting.min_start_age());
        let spans = chain(rng, unit, &kids[unit.kids[0]], end, floor);
        let current = kids[unit.kids[0]].ceased.is_none();
        let close = if current { OPEN } else { end };

        // Today's (or the last) placement first: it must match DfE's category. For a registered
        // home the child's address is drawn again (a sibling's stays) until a home fits the rule.
        let mut placed = None;
        if current && unit.setting.is_residential() {
            for attempt in 0..3 {
                self.home_postcode(rng, kids, unit, attempt > 0 && kids[unit.kids[0]].sibling_group.is_none());
                let who = self.seeker(kids, unit, spans[0].0);
                let rule = rule_for(unit.place);
                let q = Search { who: &who, setting: unit.setting, want: unit.want, rule, stay: (spans[0].0, close) };
                if let Some(h) = self.strict_registered(rng, &q) {
                    self.homes.occupy(h, who.count, spans[0].0, close);
                    placed = Some((Some(h), self.homes.books[h].postcode, unit.setting));
                    break;
                }
            }
        } else {
            self.home_postcode(rng, kids, unit, false);
        }
        let lead = kids[unit.kids[0]].clone();
        let rule =
            if current { rule_for(unit.place) } else { self.history_rule(rng, lead.la_code, lead.home_pc.is_some()) };
        let (home, at, setting) = match placed {
            Some(p) => p,
            None => self.put(rng, kids, unit, unit.setting, unit.want, rule, (spans[0].0, close)),
        };
        let long_term = current && (end - spans[0].0 >= YEAR || chance(rng, 0.3));
        let mut stays = vec![self.stay(ui, unit, &lead, setting, home, at, spans[0], long_term)];
        if let Some((_, why)) = lead.ceased {
            stays[0].ceased = Some(why);
            stays[0].planned =
                Some(!matches!(why, ReasonEpisodeCeased::E4b | ReasonEpisodeCeased::E14 | ReasonEpisodeCeased::E9));
        }
        if current {
            stays[0].end = OPEN;
        }

        // Then back through the earlier ones.
        for &span in &spans[1..] {
            let next = stays.last().map(|s| (s.setting, s.home, s.placement_type)).unwrap_or((
                setting,
                home,
                PlacementType::U6,
            ));
            let age = lead.age_on(span.0).max(0);
            let mut reason = self.reason(rng, lead.la_code, false);
            let who = self.seeker(kids, unit, span.0);
            let same_carer = reason == ReasonPlaceChange::Place
                && next.0.is_family()
                && next.1.is_some_and(|h| self.homes.fits(h, &who, span.0, span.1));
            let (home, at, prev_setting) = if same_carer {
                let h = next.1.unwrap_or(0);
                self.homes.occupy(h, who.count, span.0, span.1);
                (Some(h), self.homes.books[h].postcode, next.0)
            } else {
                if reason == ReasonPlaceChange::Place {
                    reason = self.reason(rng, lead.la_code, true);
                }
                let s = previous_setting(rng, next.0, age);
                let rule = self.history_rule(rng, lead.la_code, lead.home_pc.is_some());
                self.put(rng, kids, unit, s, None, rule, span)
            };
            let mut stay = self.stay(ui, unit, &lead, prev_setting, home, at, span, !same_carer && chance(rng, 0.15));
            stay.reason_change = Some(reason);
            stay.planned = Some(match reason {
                ReasonPlaceChange::Other => chance(rng, 0.5),
                r => !r.is_unplanned(),
            });
            stay.ceased = Some(ReasonEpisodeCeased::MOVE);
            if same_carer {
                // Same carer, new status: short-term fostering became the long-term plan.
                if let Some(last) = stays.last_mut() {
                    last.placement_type = self.placement_type(last.setting, last.home, true, last.end);
                }
            }
            // Leaving residential care for a family is a step-down.
            if let Some(last) = stays.last_mut().filter(|s| s.setting.is_family() && prev_setting.is_residential()) {
                last.step_down = true;
            }
            stays.push(stay);
        }
        stays.reverse();
        self.stays.extend(stays);
    }

    #[allow(clippy::too_many_arguments)]
    fn stay(
        &self,
        ui: usize,
        unit: &Unit,
        lead: &Kid,
        setting: Setting,
        home: Option<usize>,
        at: Option<u32>,
        span: (i32, i32),
        long_term: bool,
    ) -> Stay {
        let (grid, utla) = match (home, at) {
            (Some(h), _) => (Some(self.homes.list[h].grid), Some(self.homes.list[h].utla.clone())),
            (None, Some(pc)) => (Some(self.space.grid(pc)), Some(self.space.utla(pc).to_owned())),
            (None, None) => (None, None),
        };
        Stay {
            unit: ui,
            setting,
            home,
            at,
            grid,
            utla,
            start: span.0,
            end: span.1,
            placement_type: self.placement_type(setting, home, long_term, span.1),
            provider: self.provider(setting, home, unit.want, lead.la_code),
            reason_change: None,
            planned: None,
            ceased: None,
            step_down: false,
        }
    }
}
