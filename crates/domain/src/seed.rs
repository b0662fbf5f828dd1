//! A whole region's records at once: what the demo generator produces and the store loads in bulk.

use crate::child::{Child, LegalStatusChange};
use crate::contract::Contract;
use crate::home::{Home, Vacancy};
use crate::offer::{Decline, Offer};
use crate::org::{Organisation, User};
use crate::placement::Placement;
use crate::quality::QualityVisit;
use crate::referral::Referral;
use serde::Serialize;

/// Everything in a region, with ids already assigned (the store keeps them, so that a seeded region is
/// the same region on SQLite and PostgreSQL).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RegionSeed {
    pub organisations: Vec<Organisation>,
    pub users: Vec<User>,
    pub homes: Vec<Home>,
    pub vacancies: Vec<Vacancy>,
    pub contracts: Vec<Contract>,
    pub children: Vec<Child>,
    pub legal_statuses: Vec<LegalStatusChange>,
    pub referrals: Vec<Referral>,
    pub offers: Vec<Offer>,
    pub declines: Vec<Decline>,
    pub placements: Vec<Placement>,
    pub quality_visits: Vec<QualityVisit>,
}

/// How many of each record a region holds: printed by `hearth demo`, served by the API, compared in tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct RegionCounts {
    pub organisations: u64,
    pub users: u64,
    pub homes: u64,
    pub vacancies: u64,
    pub contracts: u64,
    pub children: u64,
    pub referrals: u64,
    pub offers: u64,
    pub placements: u64,
    pub quality_visits: u64,
}

impl RegionSeed {
    pub fn counts(&self) -> RegionCounts {
        let n = |l: usize| l as u64;
        RegionCounts {
            organisations: n(self.organisations.len()),
            users: n(self.users.len()),
            homes: n(self.homes.len()),
            vacancies: n(self.vacancies.len()),
            contracts: n(self.contracts.len()),
            children: n(self.children.len()),
            referrals: n(self.referrals.len()),
            offers: n(self.offers.len()),
            placements: n(self.placements.len()),
            quality_visits: n(self.quality_visits.len()),
        }
    }
}
