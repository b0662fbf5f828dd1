//! What the intelligence figures are computed from: a compact, read-only copy of the portal's history.
//!
//! The store's rows are turned into these once per snapshot; every figure is then a scan over plain
//! vectors in memory. Records point at each other by index (`u32`), not by database id, and each
//! list is sorted so that a child's placements, or a referral's offers, are one contiguous range.

use hearth_domain::contract::ContractTier;
use hearth_domain::council::Locality;
use hearth_domain::home::{HomeKind, Judgement};
use hearth_domain::offer::{DeclineReason, OfferStatus};
use hearth_domain::referral::{Need, ReferralStatus, Urgency};
use hearth_domain::{EthnicGroup, LegalStatus, PlaceProvider, PlacementGroup, PlacementType, ReasonPlaceChange, Sex};
use jiff::Timestamp;
use jiff::civil::Date;
use std::ops::Range;

/// Distance in tenths of a mile; [`UNKNOWN_DISTANCE`] when DfE would write 999.9.
pub type Tenths = u16;
pub const UNKNOWN_DISTANCE: Tenths = 9999;

/// A council the figures can be asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct CouncilFacts {
    /// DfE 3-digit code.
    pub la_code: u16,
    pub ons_code: String,
    pub name: String,
    /// ONS mid-year estimates of children under 18 (as DfE uses for its rates), by the year ending
    /// 31 March they are published against. The latest earlier one serves later dates.
    pub population_under_18: Vec<(i16, u32)>,
}

impl CouncilFacts {
    /// The estimate DfE would use for a 31 March in `year_ending`: that year's, else the latest before.
    pub fn population_for(&self, year_ending: i16) -> Option<u32> {
        let mut best: Option<(i16, u32)> = None;
        for &(y, n) in &self.population_under_18 {
            if y <= year_ending && best.is_none_or(|(b, _)| y > b) {
                best = Some((y, n));
            }
        }
        best.or_else(|| self.population_under_18.iter().copied().min_by_key(|(y, _)| *y)).map(|(_, n)| n)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChildRecord {
    pub la_code: u16,
    pub date_of_birth: Date,
    pub sex: Sex,
    pub ethnic_group: EthnicGroup,
    pub uasc: bool,
    pub looked_after_since: Date,
    pub ceased_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PlacementRecord {
    /// Index into [`History::children`].
    pub child: u32,
    pub start: Date,
    pub end: Option<Date>,
    pub placement_type: PlacementType,
    pub provider: PlaceProvider,
    /// Index into [`History::providers`] of the organisation running the home, when Hearth lists one.
    pub provider_org: Option<u32>,
    pub tier: Option<ContractTier>,
    /// Where the child lives relative to their council; `None` when the placement's council is unknown.
    pub locality: Option<Locality>,
    /// DfE distance from home, tenths of a mile.
    pub distance: Tenths,
    pub weekly_cost: Option<u32>,
    pub reason_change: Option<ReasonPlaceChange>,
    pub planned_ending: Option<bool>,
}

impl PlacementRecord {
    pub fn is_open_on(&self, day: Date) -> bool {
        self.start <= day && self.end.is_none_or(|e| e > day)
    }
    pub fn group(&self) -> PlacementGroup {
        self.placement_type.group()
    }
    /// Whether this ending was a disruption: recorded unplanned, or for a reason DfE counts unplanned.
    pub fn ended_unplanned(&self) -> bool {
        self.end.is_some()
            && (self.planned_ending == Some(false) || self.reason_change.is_some_and(ReasonPlaceChange::is_unplanned))
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LegalRecord {
    pub child: u32,
    pub from: Date,
    pub legal_status: LegalStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReferralRecord {
    pub la_code: u16,
    pub created_at: Timestamp,
    pub needed_from: Date,
    pub urgency: Urgency,
    pub needs: Vec<Need>,
    pub status: ReferralStatus,
    pub closed_at: Option<Timestamp>,
    /// When it was first sent to providers, if it was.
    pub first_sent_at: Option<Timestamp>,
    /// The age, on the day needed, of the child the referral is about (the first of a sibling group).
    pub age: i16,
    pub children: u8,
    /// The council whose area the home is wanted in (the preferred district's), else the referrer.
    pub area_la: u16,
    /// The placement type the officer asked for, when the form says.
    pub sought: Option<PlacementGroup>,
}

impl ReferralRecord {
    /// Referrals still looking for a home (not drafts).
    pub fn is_live(&self) -> bool {
        self.status.is_live()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OfferRecord {
    /// Index into [`History::referrals`].
    pub referral: u32,
    pub provider: u32,
    /// Index into [`History::homes`].
    pub home: u32,
    pub weekly_price: u32,
    pub made_at: Timestamp,
    pub status: OfferStatus,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DeclineRecord {
    pub referral: u32,
    pub provider: u32,
    pub reason: DeclineReason,
    pub declined_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct HomeRecord {
    pub provider: u32,
    pub kind: HomeKind,
    /// The council whose area the home is in; `None` outside the region.
    pub la_code: Option<u16>,
    pub places: u16,
    pub active: bool,
    pub judgement: Option<Judgement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProviderRecord {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContractRecord {
    pub la_code: u16,
    pub provider: u32,
    pub tier: ContractTier,
    pub weekly_price: u32,
    pub block_beds: u16,
    pub starts: Date,
    pub ends: Option<Date>,
}

impl ContractRecord {
    pub fn in_force(&self, on: Date) -> bool {
        self.starts <= on && self.ends.is_none_or(|e| on <= e)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct VacancyRecord {
    pub home: u32,
    pub places: u16,
    pub available_from: Date,
}

/// Everything the figures are computed from, as the store (or the synthetic generator) gives it.
#[derive(Debug, Clone, Default)]
pub struct HistoryInput {
    /// The first day from which the portal holds every child who was looked after (before it,
    /// children who had already left care would be missing, so no "as at" figure is given).
    pub records_from: Date,
    /// The last day the records describe: today.
    pub today: Date,
    pub councils: Vec<CouncilFacts>,
    pub children: Vec<ChildRecord>,
    /// Sorted by child, then start, once in a [`History`].
    pub placements: Vec<PlacementRecord>,
    /// Sorted by child, then date, once in a [`History`].
    pub legal_statuses: Vec<LegalRecord>,
    pub referrals: Vec<ReferralRecord>,
    /// Sorted by referral, then time, once in a [`History`].
    pub offers: Vec<OfferRecord>,
    /// Sorted by referral, then time, once in a [`History`].
    pub declines: Vec<DeclineRecord>,
    pub homes: Vec<HomeRecord>,
    pub providers: Vec<ProviderRecord>,
    pub contracts: Vec<ContractRecord>,
    pub vacancies: Vec<VacancyRecord>,
}

/// The history, ready to be asked: its records sorted (read through `Deref`: `history.children`),
/// each child's placements and legal statuses and each referral's offers and declines found by
/// index. Build it once with [`History::new`]; it is then only read, so one copy serves every
/// request at once.
#[derive(Debug, Clone, Default)]
pub struct History {
    records: HistoryInput,
    child_placements: Vec<Range<u32>>,
    child_legal: Vec<Range<u32>>,
    referral_offers: Vec<Range<u32>>,
    referral_declines: Vec<Range<u32>>,
    /// Referral indices in the order they were made, so that a period's referrals are one range.
    referrals_by_time: Vec<u32>,
}

impl std::ops::Deref for History {
    type Target = HistoryInput;
    fn deref(&self) -> &HistoryInput {
        &self.records
    }
}

/// For each owner index `0..owners`, the range of `items` (sorted by owner) that belong to it.
fn ranges_by<T>(items: &[T], owners: usize, owner: impl Fn(&T) -> u32) -> Vec<Range<u32>> {
    let mut out = vec![0..0; owners];
    let mut i = 0usize;
    while i < items.len() {
        let o = owner(&items[i]);
        let start = i;
        while i < items.len() && owner(&items[i]) == o {
            i += 1;
        }
        if let Some(slot) = out.get_mut(o as usize) {
            *slot = u32::try_from(start).unwrap_or(u32::MAX)..u32::try_from(i).unwrap_or(u32::MAX);
        }
    }
    out
}

impl History {
    pub fn new(mut records: HistoryInput) -> Self {
        records.placements.sort_by_key(|p| (p.child, p.start));
        records.legal_statuses.sort_by_key(|l| (l.child, l.from));
        records.offers.sort_by_key(|o| (o.referral, o.made_at));
        records.declines.sort_by_key(|d| (d.referral, d.declined_at));
        let (children, referrals) = (records.children.len(), records.referrals.len());
        let child_placements = ranges_by(&records.placements, children, |p| p.child);
        let child_legal = ranges_by(&records.legal_statuses, children, |l| l.child);
        let referral_offers = ranges_by(&records.offers, referrals, |o| o.referral);
        let referral_declines = ranges_by(&records.declines, referrals, |d| d.referral);
        let mut referrals_by_time: Vec<u32> = (0..u32::try_from(referrals).unwrap_or(u32::MAX)).collect();
        referrals_by_time.sort_by_key(|&i| records.referrals[i as usize].created_at);
        Self { records, child_placements, child_legal, referral_offers, referral_declines, referrals_by_time }
    }

    /// The same history with its records complete from another day (the records themselves, and so
    /// every index, unchanged).
    pub fn with_records_from(mut self, day: Date) -> Self {
        self.records.records_from = day;
        self
    }

    /// The referrals made from `from` (included) to `to` (excluded), by index, oldest first.
    pub fn referrals_made_between(&self, from: Timestamp, to: Timestamp) -> &[u32] {
        let at = |i: &u32| self.referrals[*i as usize].created_at;
        let lo = self.referrals_by_time.partition_point(|i| at(i) < from);
        let hi = self.referrals_by_time.partition_point(|i| at(i) < to);
        &self.referrals_by_time[lo..hi.max(lo)]
    }

    fn slice<'a, T>(items: &'a [T], ranges: &[Range<u32>], i: u32) -> &'a [T] {
        ranges.get(i as usize).map_or(&[], |r| &items[r.start as usize..r.end as usize])
    }

    /// Child `i`'s placements, oldest first.
    pub fn placements_of(&self, child: u32) -> &[PlacementRecord] {
        Self::slice(&self.placements, &self.child_placements, child)
    }

    /// Child `i`'s legal-status changes, oldest first.
    pub fn legal_statuses_of(&self, child: u32) -> &[LegalRecord] {
        Self::slice(&self.legal_statuses, &self.child_legal, child)
    }

    /// Referral `i`'s offers, oldest first.
    pub fn offers_of(&self, referral: u32) -> &[OfferRecord] {
        Self::slice(&self.offers, &self.referral_offers, referral)
    }

    /// Referral `i`'s declines, oldest first.
    pub fn declines_of(&self, referral: u32) -> &[DeclineRecord] {
        Self::slice(&self.declines, &self.referral_declines, referral)
    }

    /// The child's legal status on `day`, if one was recorded by then.
    pub fn legal_status_on(&self, child: u32, day: Date) -> Option<LegalStatus> {
        let list = self.legal_statuses_of(child);
        let n = list.partition_point(|l| l.from <= day);
        n.checked_sub(1).map(|i| list[i].legal_status)
    }

    /// The placement the child lived in on `day`, if any (the later one when two touch).
    pub fn placement_on(&self, child: u32, day: Date) -> Option<&PlacementRecord> {
        let list = self.placements_of(child);
        let n = list.partition_point(|p| p.start <= day);
        list[..n].iter().rev().find(|p| p.is_open_on(day))
    }

    pub fn council(&self, la_code: u16) -> Option<&CouncilFacts> {
        self.councils.iter().find(|c| c.la_code == la_code)
    }

    /// Roughly how much memory the history holds, in bytes (the vectors' own sizes; strings aside).
    pub fn approximate_bytes(&self) -> usize {
        use std::mem::size_of;
        self.children.capacity() * size_of::<ChildRecord>()
            + self.placements.capacity() * size_of::<PlacementRecord>()
            + self.legal_statuses.capacity() * size_of::<LegalRecord>()
            + self.referrals.capacity() * size_of::<ReferralRecord>()
            + self.referrals.iter().map(|r| r.needs.capacity() * size_of::<Need>()).sum::<usize>()
            + self.offers.capacity() * size_of::<OfferRecord>()
            + self.declines.capacity() * size_of::<DeclineRecord>()
            + self.homes.capacity() * size_of::<HomeRecord>()
            + self.contracts.capacity() * size_of::<ContractRecord>()
            + self.vacancies.capacity() * size_of::<VacancyRecord>()
            + (self.child_placements.capacity()
                + self.child_legal.capacity()
                + self.referral_offers.capacity()
                + self.referral_declines.capacity())
                * size_of::<Range<u32>>()
    }
}
