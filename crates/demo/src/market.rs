//! The commercial side: contracts and what each placement costs, the referrals that led to
//! placements (with the offers and declines around them), the vacancies on offer today and
//! commissioners' quality visits.

use crate::homes::{Homes, OPEN};
use crate::orgs::Orgs;
use crate::placing::Stay;
use crate::plan::{Kid, Setting, Unit};
use crate::profile::{self, cost};
use crate::util::{Calendar, DemoRng, YEAR, between, chance, jitter, stable_hash, weighted};
use hearth_domain::contract::{Contract, ContractTier, Coverage};
use hearth_domain::council::WEST_MIDLANDS;
use hearth_domain::home::{HomeKind, RiskRating, SexAccepted, Vacancy, WeeklyPrice};
use hearth_domain::offer::{Decline, Offer, OfferStatus};
use hearth_domain::org::{OrganisationKind, Role, Sector, User};
use hearth_domain::quality::{QualityVisit, VisitOutcome};
use hearth_domain::referral::{Need, Referral, ReferralStatus, Urgency};
use hearth_domain::{ContractId, OfferId, PostcodeDistrict, QualityVisitId, ReferralId, Sex, UserId, VacancyId};
use jiff::civil::date;
use rand::Rng;
use std::collections::{BTreeMap, BTreeSet};

fn price(pounds: i64) -> WeeklyPrice {
    WeeklyPrice::new(pounds.clamp(1, i64::from(WeeklyPrice::MAX))).unwrap_or_else(|_| unreachable!("clamped"))
}

/// Who buys from whom, and on what terms.
#[derive(Debug, Default)]
pub struct Terms {
    /// (council, owner) → beds, for block contracts with a council's main residential providers.
    block: BTreeMap<(u16, usize), u16>,
    framework: BTreeSet<usize>,
}

impl Terms {
    pub fn decide(orgs: &Orgs, homes: &Homes, units: &[Unit], kids: &[Kid], stays: &[Stay]) -> Self {
        let framework = orgs
            .list
            .iter()
            .enumerate()
            .filter(|(_, o)| o.kind == OrganisationKind::Provider && o.la_code.is_none())
            .filter(|(_, o)| (stable_hash(&o.name) % 100) as f64 / 100.0 < profile::FRAMEWORK_MEMBER_SHARE)
            .map(|(i, _)| i)
            .collect();
        // Each council's two private residential providers with most of its children today hold
        // block contracts for those beds.
        let mut today: BTreeMap<(u16, usize), u16> = BTreeMap::new();
        for s in stays.iter().filter(|s| s.end == OPEN && s.setting == Setting::ChildrensHome) {
            let Some(h) = s.home else { continue };
            let owner = homes.books[h].owner;
            if orgs.list[owner].sector == Some(Sector::Private) {
                let la = kids[units[s.unit].kids[0]].la_code;
                *today.entry((la, owner)).or_default() += units[s.unit].kids.len() as u16;
            }
        }
        let mut block = BTreeMap::new();
        for c in WEST_MIDLANDS {
            let mut mine: Vec<((u16, usize), u16)> =
                today.iter().filter(|((la, _), _)| *la == c.la_code).map(|(k, v)| (*k, *v)).collect();
            mine.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            for (key, beds) in mine.into_iter().take(2).filter(|(_, beds)| *beds >= 2) {
                block.insert(key, beds);
            }
        }
        Self { block, framework }
    }

    pub fn tier(&self, orgs: &Orgs, owner: usize, la_code: u16, setting: Setting) -> ContractTier {
        let org = &orgs.list[owner];
        if orgs.is_own(owner, la_code) {
            ContractTier::InHouse
        } else if org.kind == OrganisationKind::Council || org.la_code.is_some() {
            // Another council's provision, or the secure estate: bought placement by placement.
            ContractTier::Spot
        } else if setting == Setting::ChildrensHome && self.block.contains_key(&(la_code, owner)) {
            ContractTier::Block
        } else if self.framework.contains(&owner) {
            ContractTier::Framework
        } else {
            ContractTier::Spot
        }
    }
}

/// The weekly cost of a placement of `kind` under `tier` (the Coventry finance table's averages,
/// spread around them).
pub fn weekly_cost(rng: &mut DemoRng, kind: HomeKind, tier: ContractTier) -> WeeklyPrice {
    let (base, spread) = match (kind, tier) {
        (HomeKind::ConnectedPerson, _) => (cost::CONNECTED_PERSON, 0.15),
        (HomeKind::FosterInHouse, _) => (cost::IN_HOUSE_FOSTERING, 0.15),
        (HomeKind::FosterAgency, ContractTier::Spot) => (cost::IFA_SPOT, 0.1),
        (HomeKind::FosterAgency, _) => (cost::IFA, 0.1),
        (HomeKind::ChildrensHome, ContractTier::InHouse) => (cost::IN_HOUSE_RESIDENTIAL, 0.1),
        (HomeKind::ChildrensHome, ContractTier::Block) => (cost::BLOCK_RESIDENTIAL, 0.05),
        (HomeKind::ChildrensHome, ContractTier::Framework) => (cost::FRAMEWORK_RESIDENTIAL, 0.12),
        (HomeKind::ChildrensHome, ContractTier::Spot) => (cost::SPOT_RESIDENTIAL, 0.25),
        (HomeKind::SecureChildrensHome, _) => (cost::SECURE, 0.1),
        (HomeKind::ResidentialSpecialSchool, _) => (cost::RESIDENTIAL_SCHOOL, 0.2),
        (k, _) => (profile::supported_cost(k), 0.15),
    };
    price(jitter(rng, base, spread))
}

/// The contracts the placements were made under, each for a service as councils buy them:
/// in-house fostering from the councils' own services, block contracts for children's home beds,
/// the regional framework for its members with every council (one contract per service the member
/// runs, at that service's price), and spot contracts where used. A council's own children's homes
/// have no contract of their own: they are in-house at their own cost.
pub fn contracts(
    cal: &Calendar,
    orgs: &Orgs,
    homes: &Homes,
    terms: &Terms,
    used_spot: &BTreeSet<(u16, usize)>,
) -> Vec<Contract> {
    let mut out = Vec::new();
    let mut push = |la_code, provider: usize, tier, pounds: f64, block_beds, starts, ends, kinds: Vec<HomeKind>| {
        out.push(Contract {
            id: ContractId(out.len() as i64 + 1),
            la_code,
            provider: orgs.list[provider].id,
            tier,
            weekly_price: price(pounds.round() as i64),
            block_beds,
            starts,
            ends,
            covers: Coverage { kinds, homes: Vec::new() },
        });
    };
    let fostering = || vec![HomeKind::FosterInHouse, HomeKind::ConnectedPerson];
    let framework_term = (date(2021, 4, 1), Some(date(2027, 3, 31)));
    for (pos, c) in WEST_MIDLANDS.iter().enumerate() {
        let own = orgs.own_service[pos];
        let in_house = cost::IN_HOUSE_FOSTERING;
        push(c.la_code, orgs.council[pos], ContractTier::InHouse, in_house, 0, date(2015, 4, 1), None, fostering());
        if own != orgs.council[pos] {
            push(c.la_code, own, ContractTier::InHouse, in_house, 0, date(2018, 4, 1), None, fostering());
        }
        for ((la, owner), beds) in terms.block.iter().filter(|((la, _), _)| *la == c.la_code) {
            push(
                *la,
                *owner,
                ContractTier::Block,
                cost::BLOCK_RESIDENTIAL,
                *beds,
                date(2024, 4, 1),
                Some(date(2027, 3, 31)),
                vec![HomeKind::ChildrensHome],
            );
        }
        for &member in &terms.framework {
            for (kinds, pounds) in services(homes, member) {
                push(c.la_code, member, ContractTier::Framework, pounds, 0, framework_term.0, framework_term.1, kinds);
            }
        }
    }
    for &(la, owner) in used_spot {
        for (kinds, pounds) in services(homes, owner) {
            push(la, owner, ContractTier::Spot, pounds * 1.15, 0, cal.date(-3 * YEAR), None, kinds);
        }
    }
    out
}

/// The services a provider sells, from the kinds of home it runs, each with its usual weekly price:
/// fostering (all its foster households), and each other kind of home on its own.
fn services(homes: &Homes, owner: usize) -> Vec<(Vec<HomeKind>, f64)> {
    let kinds: BTreeSet<HomeKind> =
        homes.books.iter().zip(&homes.list).filter(|(b, _)| b.owner == owner).map(|(_, h)| h.kind).collect();
    let foster: Vec<HomeKind> = kinds.iter().copied().filter(|k| k.is_foster()).collect();
    let mut out = Vec::new();
    if !foster.is_empty() {
        // A council's own carers (bought by another council) cost what councils pay their carers.
        let pounds = if foster.contains(&HomeKind::FosterInHouse) { cost::IN_HOUSE_FOSTERING } else { cost::IFA };
        out.push((foster, pounds));
    }
    for k in kinds.into_iter().filter(|k| !k.is_foster()) {
        let pounds = match k {
            HomeKind::ChildrensHome => cost::FRAMEWORK_RESIDENTIAL,
            HomeKind::ResidentialSpecialSchool => cost::RESIDENTIAL_SCHOOL,
            HomeKind::SecureChildrensHome => cost::SECURE,
            k => profile::supported_cost(k),
        };
        out.push((vec![k], pounds));
    }
    out
}

/// What a referral form would name for a child heading to `setting`.
fn needs(rng: &mut DemoRng, setting: Setting) -> Vec<Need> {
    let (list, scale): (&[(Need, f64)], f64) = match setting {
        Setting::ChildrensHome | Setting::Secure => (&profile::RESIDENTIAL_NEEDS, 1.0),
        Setting::Supported(_) => (&profile::RESIDENTIAL_NEEDS, 0.5),
        _ => (&profile::FAMILY_NEEDS, 1.0),
    };
    list.iter().filter(|(_, p)| chance(rng, p * scale)).map(|(n, _)| *n).collect()
}

/// Builds referrals, offers and declines. `placement_of` maps a stay to its children's placement
/// indexes (to set each placement's referral).
pub struct Referrals<'a> {
    pub cal: &'a Calendar,
    pub orgs: &'a Orgs,
    pub homes: &'a Homes,
    pub kids: &'a [Kid],
    pub officer: BTreeMap<u16, UserId>,
    pub referrals: Vec<Referral>,
    pub offers: Vec<Offer>,
    pub declines: Vec<Decline>,
    by_kind: BTreeMap<HomeKind, Vec<usize>>,
}

/// What a referral needs from the home it asks for.
struct Ask<'a> {
    la_code: u16,
    children: &'a [usize],
    kind: HomeKind,
}

impl<'a> Referrals<'a> {
    pub fn new(cal: &'a Calendar, orgs: &'a Orgs, homes: &'a Homes, kids: &'a [Kid], users: &[User]) -> Self {
        let mut officer = BTreeMap::new();
        for u in users.iter().filter(|u| u.role == Role::PlacementOfficer) {
            if let Some(la) = orgs.list.iter().find(|o| o.id == u.organisation).and_then(|o| o.la_code) {
                officer.entry(la).or_insert(u.id);
            }
        }
        let mut by_kind: BTreeMap<HomeKind, Vec<usize>> = BTreeMap::new();
        for (i, (h, b)) in homes.list.iter().zip(&homes.books).enumerate() {
            if b.placeable && h.active && h.kind != HomeKind::ConnectedPerson {
                by_kind.entry(h.kind).or_default().push(i);
            }
        }
        Self {
            cal,
            orgs,
            homes,
            kids,
            officer,
            referrals: Vec::new(),
            offers: Vec::new(),
            declines: Vec::new(),
            by_kind,
        }
    }

    fn district(&self, kid: usize) -> Option<PostcodeDistrict> {
        let g = hearth_reference::Gazetteer::get();
        self.kids[kid].home_pc.and_then(|i| g.unit(i)).map(|u| u.to_district())
    }

    /// Homes of the kind that would take the children, other than `besides`'s owner's.
    fn others(&self, rng: &mut DemoRng, ask: &Ask<'_>, day: i32, besides: Option<usize>, want: usize) -> Vec<usize> {
        let Some(pool) = self.by_kind.get(&ask.kind) else { return Vec::new() };
        let lead = &self.kids[ask.children[0]];
        let age = lead.age_on(day).max(0);
        let mut seen = BTreeSet::new();
        if let Some(b) = besides {
            seen.insert(self.homes.books[b].owner);
        }
        let mut out = Vec::new();
        for _ in 0..want * 6 {
            if out.len() == want {
                break;
            }
            let h = pool[rng.random_range(0..pool.len())];
            let home = &self.homes.list[h];
            let sex_ok = match home.sex {
                SexAccepted::Any => true,
                SexAccepted::MaleOnly => lead.sex == Sex::Male,
                SexAccepted::FemaleOnly => lead.sex == Sex::Female,
            };
            if home.ages.contains(age) && sex_ok && seen.insert(self.homes.books[h].owner) {
                out.push(h);
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn referral(
        &mut self,
        ask: &Ask<'_>,
        urgency: Urgency,
        needed: i32,
        created: (i32, i32),
        status: ReferralStatus,
        closed: Option<(i32, i32)>,
        needs: Vec<Need>,
    ) -> ReferralId {
        let id = ReferralId(self.referrals.len() as i64 + 1);
        self.referrals.push(Referral {
            id,
            la_code: ask.la_code,
            children: ask.children.iter().map(|&k| hearth_domain::ChildId(k as i64 + 1)).collect(),
            siblings_together: ask.children.len() > 1,
            urgency,
            needed_from: self.cal.date(needed),
            needs,
            preferred_district: self.district(ask.children[0]),
            status,
            created_by: self.officer.get(&ask.la_code).copied(),
            created_at: self.cal.at(created.0, created.1),
            closed_at: closed.map(|(d, m)| self.cal.at(d, m)),
        });
        id
    }

    fn offer(
        &mut self,
        referral: ReferralId,
        home: usize,
        pounds: WeeklyPrice,
        start: i32,
        status: OfferStatus,
        at: (i32, i32),
    ) {
        self.offers.push(Offer {
            id: OfferId(self.offers.len() as i64 + 1),
            referral,
            provider: self.orgs.list[self.homes.books[home].owner].id,
            home: self.homes.list[home].id,
            weekly_price: pounds,
            start: self.cal.date(start),
            status,
            made_at: self.cal.at(at.0, at.1),
            terms: Default::default(),
        });
    }

    fn declines_from(
        &mut self,
        rng: &mut DemoRng,
        referral: ReferralId,
        homes: &[usize],
        window: (i32, i32),
        minute: i32,
        no_vacancy_bias: f64,
    ) {
        for &h in homes {
            let mut w = profile::DECLINE_REASONS.to_vec();
            w[0].1 += no_vacancy_bias;
            let day = between(rng, window.0, window.1);
            self.declines.push(Decline {
                referral,
                provider: self.orgs.list[self.homes.books[h].owner].id,
                reason: weighted(rng, &w),
                declined_at: self.cal.at(day, minute + between(rng, 30, 240)),
                note: String::new(),
            });
        }
    }

    /// A referral that ended in `stay`: the accepted offer is the placement's home and price.
    pub fn placed(
        &mut self,
        rng: &mut DemoRng,
        unit: &Unit,
        stay: &Stay,
        cost: WeeklyPrice,
        after_unplanned: bool,
    ) -> Option<ReferralId> {
        let home = stay.home?;
        let ask =
            Ask { la_code: self.kids[unit.kids[0]].la_code, children: &unit.kids, kind: self.homes.list[home].kind };
        let urgency = if after_unplanned || stay.start == self.kids[unit.kids[0]].since {
            weighted(rng, &[(Urgency::SameDay, 0.45), (Urgency::Within72Hours, 0.35), (Urgency::Planned, 0.2)])
        } else {
            weighted(rng, &[(Urgency::SameDay, 0.15), (Urgency::Within72Hours, 0.25), (Urgency::Planned, 0.6)])
        };
        let lead_days = match urgency {
            Urgency::SameDay => 0,
            Urgency::Within72Hours => between(rng, 1, 3),
            Urgency::Planned => between(rng, 7, 35),
        };
        let created = (stay.start - lead_days, between(rng, 8 * 60, 12 * 60));
        let accepted_at = if lead_days == 0 {
            (stay.start, created.1 + between(rng, 60, 300))
        } else {
            (stay.start - between(rng, 0, lead_days.min(3)), between(rng, 13 * 60, 17 * 60))
        };
        let needs = needs(rng, stay.setting);
        let id = self.referral(&ask, urgency, stay.start, created, ReferralStatus::Placed, Some(accepted_at), needs);
        let window = (created.0, accepted_at.0);
        self.offer(
            id,
            home,
            cost,
            stay.start,
            OfferStatus::Accepted,
            (accepted_at.0, (accepted_at.1 - between(rng, 30, 120)).max(created.1)),
        );
        let n_offers = weighted(rng, &[(0, 0.35), (1, 0.35), (2, 0.2), (3, 0.1)]);
        let rivals = self.others(rng, &ask, stay.start, Some(home), n_offers);
        for &h in &rivals {
            let status = if chance(rng, 0.08) { OfferStatus::Withdrawn } else { OfferStatus::NotChosen };
            let pounds = self.homes.list[h].weekly_price;
            let day = between(rng, window.0, window.1);
            self.offer(
                id,
                h,
                pounds,
                stay.start,
                status,
                (day, (created.1 + between(rng, 30, 200)).min(accepted_at.1.max(created.1 + 31))),
            );
        }
        let n_declines = between(rng, 1, 6) as usize;
        let decliners = self.others(rng, &ask, stay.start, Some(home), n_declines + rivals.len());
        let decliners: Vec<usize> = decliners
            .into_iter()
            .filter(|h| !rivals.iter().any(|r| self.homes.books[*r].owner == self.homes.books[*h].owner))
            .take(n_declines)
            .collect();
        self.declines_from(rng, id, &decliners, window, created.1, 0.0);
        Some(id)
    }

    /// Referrals that found no home or were withdrawn, over the past year, and those open today.
    pub fn unplaced(&mut self, rng: &mut DemoRng, la_code: u16, current_kids: &[usize], placed_count: usize) {
        if current_kids.is_empty() {
            return;
        }
        let unmet = (placed_count as f64 * 0.09).round() as usize;
        let withdrawn = (placed_count as f64 * 0.05).round() as usize;
        let open = 2 + current_kids.len() / 250;
        for i in 0..unmet + withdrawn + open {
            let kid = current_kids[rng.random_range(0..current_kids.len())];
            let age = self.kids[kid].age_on(0);
            let (kind, setting) = if age >= 16 && chance(rng, 0.4) {
                (HomeKind::SaSharedHouse, Setting::Supported(HomeKind::SaSharedHouse))
            } else if age >= 11 && chance(rng, 0.55) {
                (HomeKind::ChildrensHome, Setting::ChildrensHome)
            } else {
                (HomeKind::FosterAgency, Setting::Agency { voluntary: false })
            };
            let children = [kid];
            let ask = Ask { la_code, children: &children, kind };
            let needs = needs(rng, setting);
            let is_open = i >= unmet + withdrawn;
            let created = if is_open { -between(rng, 0, 6) } else { -between(rng, 12, YEAR + 10) };
            let minute = between(rng, 8 * 60, 15 * 60);
            let urgency =
                weighted(rng, &[(Urgency::SameDay, 0.25), (Urgency::Within72Hours, 0.3), (Urgency::Planned, 0.45)]);
            // One draw whatever the urgency, so the rest of the stream (and the region) stays put.
            let offset = between(rng, 0, 14);
            let needed = created
                + match urgency {
                    Urgency::SameDay => 0,
                    Urgency::Within72Hours => offset % 4,
                    Urgency::Planned => 7 + offset,
                };
            let (status, closed) = if is_open {
                (if chance(rng, 0.5) { ReferralStatus::Offers } else { ReferralStatus::Open }, None)
            } else {
                let closed = (created + between(rng, 3, 28)).min(-1);
                (
                    if i < unmet { ReferralStatus::Unmet } else { ReferralStatus::Withdrawn },
                    Some((closed, between(rng, 9 * 60, 17 * 60))),
                )
            };
            let id = self.referral(&ask, urgency, needed, (created, minute), status, closed, needs);
            let last_day = closed.map_or(0, |(d, _)| d);
            let window = (created, last_day.max(created));
            let offers = match status {
                ReferralStatus::Offers => between(rng, 1, 3) as usize,
                ReferralStatus::Withdrawn => between(rng, 0, 2) as usize,
                ReferralStatus::Unmet => usize::from(chance(rng, 0.2)),
                _ => 0,
            };
            let asked = offers + between(rng, 2, 8) as usize;
            let homes = self.others(rng, &ask, needed, None, asked);
            let (offering, declining) = homes.split_at(offers.min(homes.len()));
            for &h in offering {
                let status = match status {
                    ReferralStatus::Offers => OfferStatus::Made,
                    ReferralStatus::Unmet => OfferStatus::Withdrawn,
                    _ => OfferStatus::Lapsed,
                };
                let pounds = self.homes.list[h].weekly_price;
                let day = between(rng, window.0, window.1);
                self.offer(id, h, pounds, needed.max(day), status, (day, minute + between(rng, 60, 300)));
            }
            let bias = if status == ReferralStatus::Unmet { 0.3 } else { 0.0 };
            self.declines_from(rng, id, declining, window, minute, bias);
        }
    }
}

/// Free places on offer today: registered homes' held-back places, and (for a share of them) the
/// spare places of foster households and supported settings. Households with nobody placed are
/// sometimes resting (inactive) rather than on offer.
pub fn vacancies(rng: &mut DemoRng, cal: &Calendar, homes: &mut Homes) -> Vec<Vacancy> {
    let mut out = Vec::new();
    for i in 0..homes.list.len() {
        let b = &homes.books[i];
        let h = &homes.list[i];
        let ours = b.stays.iter().filter(|(_, e)| *e == OPEN).count() as u16;
        let registered = h.urn.is_some() && !h.kind.is_foster();
        let free = if registered {
            b.held_free
        } else if ours + b.others == 0
            && (h.kind == HomeKind::ConnectedPerson || chance(rng, profile::EMPTY_HOUSEHOLD_RESTING_RATE))
        {
            // Connected carers are approved for their own child; other empty households are resting.
            homes.list[i].active = false;
            continue;
        } else if h.kind == HomeKind::ConnectedPerson {
            0
        } else {
            let spare = h.places.saturating_sub(ours + b.others);
            // A household offers one place at a time; a supported setting every free room.
            if b.others > 0 {
                spare
            } else if chance(rng, profile::HOUSEHOLD_VACANCY_OFFER_RATE) {
                spare.min(1)
            } else {
                0
            }
        };
        if free == 0 || !h.active || !b.placeable {
            continue;
        }
        out.push(Vacancy {
            id: VacancyId(out.len() as i64 + 1),
            home: h.id,
            places: free,
            available_from: cal.date(between(rng, -14, 21)),
            ages: h.ages,
            sex: h.sex,
            weekly_price: h.weekly_price,
        });
    }
    out
}

/// Commissioners visit the private, voluntary and other councils' homes where their children live:
/// one visit in the past year, and the next one due (overdue where it has not happened).
pub fn quality_visits(
    rng: &mut DemoRng,
    cal: &Calendar,
    orgs: &Orgs,
    homes: &Homes,
    kids: &[Kid],
    units: &[Unit],
    stays: &[Stay],
) -> Vec<QualityVisit> {
    let mut pairs = BTreeSet::new();
    for s in stays.iter().filter(|s| s.end == OPEN) {
        let Some(h) = s.home else { continue };
        let home = &homes.list[h];
        let la = kids[units[s.unit].kids[0]].la_code;
        let registered = home.urn.is_some() && !home.kind.is_foster();
        if (registered || home.kind.is_supported_accommodation()) && !orgs.is_own(homes.books[h].owner, la) {
            pairs.insert((la, h));
        }
    }
    let mut out = Vec::new();
    for (la, h) in pairs {
        let home = &homes.list[h];
        let visited = -between(rng, 15, 330);
        let serious = match home.risk {
            RiskRating::High => 0.3,
            RiskRating::Medium => 0.1,
            RiskRating::Low => 0.02,
        };
        let outcome = weighted(
            rng,
            &[
                (VisitOutcome::NoConcerns, 0.75 - serious),
                (VisitOutcome::MinorConcerns, 0.25),
                (VisitOutcome::SeriousConcerns, serious),
            ],
        );
        let interval = if home.risk == RiskRating::Low && outcome == VisitOutcome::NoConcerns { YEAR } else { 180 };
        let mut push = |due: i32, visited: Option<i32>, outcome: Option<VisitOutcome>| {
            out.push(QualityVisit {
                id: QualityVisitId(out.len() as i64 + 1),
                home: home.id,
                la_code: la,
                due: cal.date(due),
                visited: visited.map(|d| cal.date(d)),
                outcome,
            });
        };
        push(visited + between(rng, -10, 20), Some(visited), Some(outcome));
        push(visited + interval, None, None);
    }
    out
}
