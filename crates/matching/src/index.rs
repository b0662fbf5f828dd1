//! The supply index: every home as a small `Copy` record the scorer scans, with its vacancies in a
//! side table. Built from the store at start-up and kept current by one call per change, so a search
//! never offers a place that has just been filled.

use crate::contracts::{COUNCILS, Contracts};
use hearth_domain::council::{BORDERING_OUTSIDE_REGION, WEST_MIDLANDS};
use hearth_domain::home::{Home, HomeKind, Judgement, RegistrationStatus, RiskRating, SexAccepted, Vacancy};
use hearth_domain::{GridRef, HomeId, OrganisationId, Sex, VacancyId};
use jiff::civil::Date;
use std::collections::HashMap;
use std::fmt;

/// "No slot", "no row": the end of a vacancy list.
pub(crate) const NONE: u32 = u32::MAX;
/// The area index of a home whose council could not be given one of its own (more than 254 areas).
pub(crate) const OTHER_AREA: u8 = u8::MAX;

pub(crate) mod flag {
    pub const ACTIVE: u8 = 1;
    pub const PETS: u8 = 2;
    /// Ofsted must register it and has not (applied, suspended, or marked as not required).
    pub const UNREGISTERED: u8 = 4;
    pub const FOSTER: u8 = 8;
}

/// The district index of a home whose district could not be given one of its own (more than 65,534).
pub(crate) const OTHER_DISTRICT: u16 = u16::MAX;

/// Sex as two bits: a home accepts the bits it has; a child needs the bits it has.
pub(crate) const fn sex_bits_accepted(s: SexAccepted) -> u8 {
    match s {
        SexAccepted::Any => 0b11,
        SexAccepted::MaleOnly => 0b01,
        SexAccepted::FemaleOnly => 0b10,
    }
}

/// A child whose sex is not recorded needs a home that takes either.
pub(crate) const fn sex_bits_needed(s: Sex) -> u8 {
    match s {
        Sex::Male => 0b01,
        Sex::Female => 0b10,
        Sex::Unknown => 0b11,
    }
}

pub(crate) fn kind_index(k: HomeKind) -> u8 {
    HomeKind::ALL.iter().position(|x| *x == k).unwrap_or(0) as u8
}

pub(crate) const fn judgement_code(j: Option<Judgement>) -> u8 {
    match j {
        None => 0,
        Some(Judgement::Outstanding) => 1,
        Some(Judgement::Good) => 2,
        Some(Judgement::RequiresImprovement) => 3,
        Some(Judgement::Inadequate) => 4,
    }
}
pub(crate) const INADEQUATE: u8 = 4;

/// Days since 1970-01-01: the index compares dates as integers.
pub(crate) fn day_number(d: Date) -> i32 {
    // Days before 1 January of year `y` since 1 January of year 1 (proleptic Gregorian).
    fn days_before_year(y: i32) -> i32 {
        let p = y - 1;
        365 * p + p.div_euclid(4) - p.div_euclid(100) + p.div_euclid(400)
    }
    days_before_year(i32::from(d.year())) + i32::from(d.day_of_year()) - 1 - days_before_year(1970)
}

/// The date of a day number: only for the homes an answer returns, never in the scan. A day outside
/// jiff's range (not one a vacancy can have) saturates at its ends.
pub(crate) fn date_of(day: i32) -> Date {
    let epoch = Date::constant(1970, 1, 1);
    epoch.checked_add(jiff::Span::new().days(i64::from(day))).unwrap_or(if day < 0 { Date::MIN } else { Date::MAX })
}

/// One home: 44 bytes, no pointers. The scorer reads these for the homes that pass; the hard rules
/// read the same fields from [`Columns`]. Vacancy fields hold the home's only open vacancy when it
/// has one; with several, the scan walks the side table instead (rare).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Rec {
    pub east: i32,
    pub north: i32,
    /// [`hearth_domain::home::Skills`] bits.
    pub skills: u32,
    /// Open vacancy: the day it is free from (the first's, with several).
    pub vac_from: i32,
    /// Open vacancy: its slot (the first in offering order, with several).
    pub vac_slot: u32,
    /// The provider's row in the contracts table.
    pub terms_row: u32,
    pub home_price: u16,
    pub vac_price: u16,
    /// Open vacancy: its places (the total, with several).
    pub vac_places: u16,
    /// Open vacancies (with at least one place), saturating at 255.
    pub vac_count: u8,
    pub vac_age_min: u8,
    pub vac_age_max: u8,
    pub vac_sex: u8,
    pub kind: u8,
    pub flags: u8,
    pub judgement: u8,
    pub risk: u8,
    pub age_min: u8,
    pub age_max: u8,
    pub sex: u8,
    /// Children already living there: a foster household's own figure; a home's places not free.
    pub others: u8,
    /// Index of the home's council area (ONS code) in the index's area table.
    pub area: u8,
    /// Index of the home's postcode district in the index's district table.
    pub district: u16,
}

/// Declares [`Columns`]: one `Vec` per field the hard rules read, filled from a [`Rec`]: most copied
/// as they are, a few derived.
macro_rules! columns {
    ($($name:ident: $ty:ty),+; $($derived:ident: $dty:ty = |$r:ident| $val:expr;)+) => {
        /// The hard rules' inputs as columns (struct of arrays), copied from the records: the scan
        /// checks a run of homes field by field, which the compiler turns into vector instructions.
        #[derive(Debug, Clone, Default)]
        pub(crate) struct Columns {
            $(pub $name: Vec<$ty>,)+
            $(pub $derived: Vec<$dty>,)+
        }

        impl Columns {
            fn push(&mut self, rec: &Rec) {
                $(self.$name.push(rec.$name);)+
                $(let $r = rec; self.$derived.push($val);)+
            }

            fn set(&mut self, i: usize, rec: &Rec) {
                $(self.$name[i] = rec.$name;)+
                $(let $r = rec; self.$derived[i] = $val;)+
            }

            fn swap_remove(&mut self, i: usize) {
                $(self.$name.swap_remove(i);)+
                $(self.$derived.swap_remove(i);)+
            }

            fn reserve(&mut self, n: usize) {
                $(self.$name.reserve(n);)+
                $(self.$derived.reserve(n);)+
            }
        }
    };
}

columns! {
    flags: u8, judgement: u8, age_min: u8, age_max: u8, sex: u8, skills: u32, others: u8,
    vac_count: u8, vac_from: i32, vac_age_min: u8, vac_age_max: u8, vac_sex: u8, vac_places: u16,
    // Where the home is, for the areas-to-avoid rule: 10 bytes a home rather than a whole record.
    east: i32, north: i32, district: u16;
    // A bit rather than the kind's index: the kind tests become ANDs, which vectorise.
    kind_bit: u16 = |r| 1 << r.kind;
}

/// What the scan does not read: identity, and what updates need to recompute a record.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cold {
    pub id: HomeId,
    pub provider: OrganisationId,
    pub places: u16,
    pub other_children: u8,
    pub first_vac: u32,
}

/// One vacancy in the side table. `id` is `None` for places set on a home with none listed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct VacSlot {
    pub id: Option<VacancyId>,
    pub home: u32,
    pub next: u32,
    pub from: i32,
    pub places: u16,
    pub price: u16,
    pub age_min: u8,
    pub age_max: u8,
    pub sex: u8,
}

impl VacSlot {
    /// The order vacancies are offered in: the earliest first, then the lowest id (places set on a
    /// home, without an id, last), so the answer never depends on the order updates came in.
    pub fn before(&self, other: &VacSlot) -> bool {
        let key = |v: &VacSlot| (v.from, v.id.map_or(i64::MAX, |id| id.0));
        key(self) < key(other)
    }
}

/// Where [`SupplyIndex::set_places`] applies: one vacancy, or a home as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Home(HomeId),
    Vacancy(VacancyId),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexError {
    #[error("home {0} is not in the matching index")]
    UnknownHome(HomeId),
    #[error("vacancy {0} is not in the matching index")]
    UnknownVacancy(VacancyId),
}

/// The region's (or the country's) homes and vacancies, ready to rank.
///
/// Rebuilt from the store, never the other way round: the database is the truth. Wrap it in a
/// `RwLock` (or swap an `Arc`) to share it between requests; every update is O(1) apart from
/// walking one home's vacancies.
#[derive(Clone)]
pub struct SupplyIndex {
    pub(crate) recs: Vec<Rec>,
    pub(crate) cols: Columns,
    pub(crate) cold: Vec<Cold>,
    pub(crate) by_home: HashMap<HomeId, u32>,
    pub(crate) vacs: Vec<VacSlot>,
    free_slots: Vec<u32>,
    by_vac: HashMap<VacancyId, u32>,
    /// ONS codes of the homes' council areas; a record holds the position.
    pub(crate) areas: Vec<String>,
    area_ix: HashMap<String, u8>,
    /// Postcode districts of the homes; a record holds the position.
    pub(crate) districts: Vec<String>,
    district_ix: HashMap<String, u16>,
    pub(crate) contracts: Contracts,
    skipped_vacancies: usize,
}

impl fmt::Debug for SupplyIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SupplyIndex")
            .field("homes", &self.recs.len())
            .field("vacancies", &self.by_vac.len())
            .field("areas", &self.areas.len())
            .finish_non_exhaustive()
    }
}

impl SupplyIndex {
    fn empty(contracts: Contracts) -> Self {
        let mut ix = Self {
            recs: Vec::new(),
            cols: Columns::default(),
            cold: Vec::new(),
            by_home: HashMap::new(),
            vacs: Vec::new(),
            free_slots: Vec::new(),
            by_vac: HashMap::new(),
            areas: Vec::new(),
            area_ix: HashMap::new(),
            districts: Vec::new(),
            district_ix: HashMap::new(),
            contracts,
            skipped_vacancies: 0,
        };
        // The portal's councils and their outside neighbours first, so they always get an area of
        // their own however many other areas the homes bring.
        for code in WEST_MIDLANDS.iter().map(|c| c.ons_code).chain(BORDERING_OUTSIDE_REGION.iter().map(|(c, _)| *c)) {
            ix.area(code);
        }
        ix
    }

    /// Builds the index from the store's homes, vacancies and contracts. A vacancy whose home is not
    /// among `homes` is skipped and counted ([`SupplyIndex::skipped_vacancies`]); a home listed twice
    /// keeps its last version.
    pub fn build(homes: &[Home], vacancies: &[Vacancy], contracts: Contracts) -> Self {
        let mut ix = Self::empty(contracts);
        ix.recs.reserve(homes.len());
        ix.cols.reserve(homes.len());
        ix.cold.reserve(homes.len());
        ix.by_home.reserve(homes.len());
        ix.vacs.reserve(vacancies.len());
        ix.by_vac.reserve(vacancies.len());
        for h in homes {
            ix.upsert_home(h);
        }
        for v in vacancies {
            if ix.update_vacancy(v).is_err() {
                ix.skipped_vacancies += 1;
            }
        }
        ix
    }

    /// Homes in the index (the "supply size" the exclusion counts add up to).
    pub fn len(&self) -> usize {
        self.recs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// Vacancies listed (including those filled down to 0 places).
    pub fn vacancy_count(&self) -> usize {
        self.by_vac.len()
    }

    /// Vacancies [`SupplyIndex::build`] skipped because their home was missing.
    pub fn skipped_vacancies(&self) -> usize {
        self.skipped_vacancies
    }

    pub fn contains_home(&self, id: HomeId) -> bool {
        self.by_home.contains_key(&id)
    }

    /// Replaces the contracts table and re-points every home at the terms that cover it.
    pub fn set_contracts(&mut self, contracts: Contracts) {
        self.contracts = contracts;
        for (r, c) in self.recs.iter_mut().zip(&self.cold) {
            r.terms_row = self.contracts.row(c.provider, HomeKind::ALL[usize::from(r.kind)], c.id);
        }
    }

    fn area(&mut self, ons: &str) -> u8 {
        if let Some(i) = self.area_ix.get(ons) {
            return *i;
        }
        if self.areas.len() >= usize::from(OTHER_AREA) {
            return OTHER_AREA;
        }
        let i = self.areas.len() as u8;
        self.areas.push(ons.to_owned());
        self.area_ix.insert(ons.to_owned(), i);
        i
    }

    fn district(&mut self, d: &str) -> u16 {
        if let Some(i) = self.district_ix.get(d) {
            return *i;
        }
        if self.districts.len() >= usize::from(OTHER_DISTRICT) {
            return OTHER_DISTRICT;
        }
        let i = self.districts.len() as u16;
        self.districts.push(d.to_owned());
        self.district_ix.insert(d.to_owned(), i);
        i
    }

    /// The position of a postcode district in the district table, when a home is recorded in it.
    pub(crate) fn district_index(&self, d: &str) -> Option<u16> {
        self.district_ix.get(d).copied()
    }

    /// Adds a home, or replaces what the index knows of it (its vacancies stay). A foster household
    /// is never inspected as a home of its own: a judgement on one is its fostering service's (the
    /// agency's, or the council's own fostering service's), and is shown as such.
    pub fn upsert_home(&mut self, h: &Home) {
        let mut flags = 0;
        if h.active {
            flags |= flag::ACTIVE;
        }
        if h.pets {
            flags |= flag::PETS;
        }
        if h.kind.requires_ofsted_registration() && h.registration != RegistrationStatus::Registered {
            flags |= flag::UNREGISTERED;
        }
        if h.kind.is_foster() {
            flags |= flag::FOSTER;
        }
        let rec = Rec {
            east: h.grid.easting,
            north: h.grid.northing,
            skills: h.skills.bits(),
            vac_from: 0,
            vac_slot: NONE,
            terms_row: self.contracts.row(h.provider, h.kind, h.id),
            home_price: price_u16(h.weekly_price.pounds()),
            vac_price: 0,
            vac_places: 0,
            vac_count: 0,
            vac_age_min: 0,
            vac_age_max: 0,
            vac_sex: 0,
            kind: kind_index(h.kind),
            flags,
            judgement: judgement_code(h.judgement),
            risk: match h.risk {
                RiskRating::Low => 0,
                RiskRating::Medium => 1,
                RiskRating::High => 2,
            },
            age_min: h.ages.min,
            age_max: h.ages.max,
            sex: sex_bits_accepted(h.sex),
            others: 0,
            area: self.area(&h.utla),
            district: self.district(h.district.as_str()),
        };
        let cold = Cold {
            id: h.id,
            provider: h.provider,
            places: h.places,
            other_children: h.other_children,
            first_vac: NONE,
        };
        let i = match self.by_home.get(&h.id) {
            Some(&i) => {
                self.recs[i as usize] = rec;
                self.cold[i as usize] = Cold { first_vac: self.cold[i as usize].first_vac, ..cold };
                i
            }
            None => {
                let i = self.recs.len() as u32;
                self.recs.push(rec);
                self.cols.push(&rec);
                self.cold.push(cold);
                self.by_home.insert(h.id, i);
                i
            }
        };
        self.summarise(i);
    }

    /// Removes a home and its vacancies.
    pub fn remove_home(&mut self, id: HomeId) -> Result<(), IndexError> {
        let i = self.by_home.remove(&id).ok_or(IndexError::UnknownHome(id))?;
        let mut s = self.cold[i as usize].first_vac;
        while s != NONE {
            let slot = self.vacs[s as usize];
            if let Some(v) = slot.id {
                self.by_vac.remove(&v);
            }
            self.free_slots.push(s);
            s = slot.next;
        }
        let last = self.recs.len() as u32 - 1;
        self.recs.swap_remove(i as usize);
        self.cols.swap_remove(i as usize);
        self.cold.swap_remove(i as usize);
        if i != last {
            // The last home moved into `i`: point its id and its vacancies at the new place.
            self.by_home.insert(self.cold[i as usize].id, i);
            let mut s = self.cold[i as usize].first_vac;
            while s != NONE {
                self.vacs[s as usize].home = i;
                s = self.vacs[s as usize].next;
            }
        }
        Ok(())
    }

    /// Adds a vacancy or replaces it (its places, date, ages, sex, price, even its home).
    pub fn update_vacancy(&mut self, v: &Vacancy) -> Result<(), IndexError> {
        let home = *self.by_home.get(&v.home).ok_or(IndexError::UnknownHome(v.home))?;
        let slot = VacSlot {
            id: Some(v.id),
            home,
            next: NONE,
            from: day_number(v.available_from),
            places: v.places,
            price: price_u16(v.weekly_price.pounds()),
            age_min: v.ages.min,
            age_max: v.ages.max,
            sex: sex_bits_accepted(v.sex),
        };
        match self.by_vac.get(&v.id).copied() {
            Some(s) if self.vacs[s as usize].home == home => {
                let next = self.vacs[s as usize].next;
                self.vacs[s as usize] = VacSlot { next, ..slot };
            }
            Some(s) => {
                let old = self.vacs[s as usize].home;
                self.unlink(old, s);
                self.summarise(old);
                self.vacs[s as usize] = slot;
                self.link(home, s);
            }
            None => {
                let s = self.alloc(slot);
                self.by_vac.insert(v.id, s);
                self.link(home, s);
            }
        }
        self.summarise(home);
        Ok(())
    }

    /// Takes a vacancy off the index (withdrawn or filled and closed).
    pub fn remove_vacancy(&mut self, id: VacancyId) -> Result<(), IndexError> {
        let s = self.by_vac.remove(&id).ok_or(IndexError::UnknownVacancy(id))?;
        let home = self.vacs[s as usize].home;
        self.unlink(home, s);
        self.free_slots.push(s);
        self.summarise(home);
        Ok(())
    }

    /// Sets the free places (0 when filled) and the day they are free from.
    ///
    /// For a vacancy, just that vacancy. For a home, the home's places as a whole: its earliest
    /// vacancy takes `places` and `from` and any others are closed; a home with none listed gets one
    /// on its own terms (ages, sex, price).
    pub fn set_places(&mut self, target: Target, places: u16, from: Date) -> Result<(), IndexError> {
        let from = day_number(from);
        let home = match target {
            Target::Vacancy(v) => {
                let s = *self.by_vac.get(&v).ok_or(IndexError::UnknownVacancy(v))?;
                let slot = &mut self.vacs[s as usize];
                slot.places = places;
                slot.from = from;
                slot.home
            }
            Target::Home(h) => {
                let i = *self.by_home.get(&h).ok_or(IndexError::UnknownHome(h))?;
                self.set_home_places(i, places, from);
                i
            }
        };
        self.summarise(home);
        Ok(())
    }

    fn set_home_places(&mut self, i: u32, places: u16, from: i32) {
        let first = self.earliest_slot(i);
        let mut s = self.cold[i as usize].first_vac;
        while s != NONE {
            let slot = &mut self.vacs[s as usize];
            if s == first {
                slot.places = places;
                slot.from = from;
            } else {
                slot.places = 0;
            }
            s = slot.next;
        }
        if first == NONE && places > 0 {
            let r = self.recs[i as usize];
            let s = self.alloc(VacSlot {
                id: None,
                home: i,
                next: NONE,
                from,
                places,
                price: r.home_price,
                age_min: r.age_min,
                age_max: r.age_max,
                sex: r.sex,
            });
            self.link(i, s);
        }
    }

    /// The home's first vacancy in offering order ([`VacSlot::before`]), whatever its places.
    fn earliest_slot(&self, i: u32) -> u32 {
        let mut best = NONE;
        let mut s = self.cold[i as usize].first_vac;
        while s != NONE {
            let slot = &self.vacs[s as usize];
            if best == NONE || slot.before(&self.vacs[best as usize]) {
                best = s;
            }
            s = slot.next;
        }
        best
    }

    fn alloc(&mut self, slot: VacSlot) -> u32 {
        match self.free_slots.pop() {
            Some(s) => {
                self.vacs[s as usize] = slot;
                s
            }
            None => {
                self.vacs.push(slot);
                self.vacs.len() as u32 - 1
            }
        }
    }

    fn link(&mut self, home: u32, s: u32) {
        self.vacs[s as usize].home = home;
        self.vacs[s as usize].next = self.cold[home as usize].first_vac;
        self.cold[home as usize].first_vac = s;
    }

    fn unlink(&mut self, home: u32, s: u32) {
        let next = self.vacs[s as usize].next;
        if self.cold[home as usize].first_vac == s {
            self.cold[home as usize].first_vac = next;
            return;
        }
        let mut p = self.cold[home as usize].first_vac;
        while p != NONE {
            if self.vacs[p as usize].next == s {
                self.vacs[p as usize].next = next;
                return;
            }
            p = self.vacs[p as usize].next;
        }
    }

    /// Recomputes a home's vacancy fields after any change to it or its vacancies, and copies the
    /// record into the columns: every change to a home ends here.
    fn summarise(&mut self, i: u32) {
        let (mut count, mut total, mut all_places, mut first) = (0u32, 0u32, 0u32, NONE);
        let mut s = self.cold[i as usize].first_vac;
        while s != NONE {
            let slot = &self.vacs[s as usize];
            all_places += u32::from(slot.places);
            if slot.places > 0 {
                count += 1;
                total += u32::from(slot.places);
                if first == NONE || slot.before(&self.vacs[first as usize]) {
                    first = s;
                }
            }
            s = slot.next;
        }
        let cold = self.cold[i as usize];
        let r = &mut self.recs[i as usize];
        r.vac_count = count.min(255) as u8;
        r.vac_places = total.min(u32::from(u16::MAX)) as u16;
        r.vac_slot = first;
        if first != NONE {
            let f = self.vacs[first as usize];
            r.vac_from = f.from;
            r.vac_price = f.price;
            r.vac_age_min = f.age_min;
            r.vac_age_max = f.age_max;
            r.vac_sex = f.sex;
        }
        // Foster carers say who lives with them; for a home, the places not free are taken.
        r.others = if r.flags & flag::FOSTER != 0 {
            cold.other_children
        } else {
            u32::from(cold.places).saturating_sub(all_places).min(255) as u8
        };
        let r = *r;
        self.cols.set(i as usize, &r);
    }

    /// The index's view of one home's vacancies: `(id, places, available-from day)`, for tests and
    /// diagnostics.
    pub fn vacancies_of(&self, home: HomeId) -> Vec<(Option<VacancyId>, u16, i32)> {
        let Some(&i) = self.by_home.get(&home) else { return Vec::new() };
        let mut out = Vec::new();
        let mut s = self.cold[i as usize].first_vac;
        while s != NONE {
            let v = &self.vacs[s as usize];
            out.push((v.id, v.places, v.from));
            s = v.next;
        }
        out
    }

    /// A council's tier and contract price for a place in `home`, as the ranking uses them: from the
    /// contract naming the home, else the one covering its kind; `None` for a home not indexed.
    pub fn terms_of(
        &self,
        home: HomeId,
        la_code: u16,
    ) -> Option<(hearth_domain::contract::ContractTier, Option<hearth_domain::home::WeeklyPrice>)> {
        let i = *self.by_home.get(&home)? as usize;
        let kind = HomeKind::ALL[usize::from(self.recs[i].kind)];
        Some(self.contracts.tier(self.cold[i].provider, kind, home, la_code))
    }

    pub(crate) fn grid(&self, i: usize) -> GridRef {
        GridRef { easting: self.recs[i].east, northing: self.recs[i].north }
    }
}

fn price_u16(pounds: u32) -> u16 {
    u16::try_from(pounds).unwrap_or(u16::MAX)
}

const _: () = assert!(COUNCILS < OTHER_AREA as usize);

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn day_numbers_count_from_1970() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(1970, 12, 31)), 364);
        assert_eq!(day_number(date(2000, 3, 1)), 11_017);
        let a = date(2026, 2, 28);
        assert_eq!(day_number(a.tomorrow().unwrap()), day_number(a) + 1);
        assert_eq!(day_number(date(2024, 12, 31)) - day_number(date(2024, 1, 1)), 365, "leap year");
    }

    #[test]
    fn day_numbers_turn_back_into_their_dates() {
        for d in [date(1970, 1, 1), date(2000, 2, 29), date(2026, 12, 3), date(1969, 12, 31)] {
            assert_eq!(date_of(day_number(d)), d);
        }
    }

    #[test]
    fn records_stay_small() {
        assert!(std::mem::size_of::<Rec>() <= 48, "{}", std::mem::size_of::<Rec>());
    }
}
