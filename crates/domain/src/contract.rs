//! Contracts between a council and a provider: the tier decides the order of the s22C cascade
//! (in-house, then block beds already paid for, then framework, then spot), and what the contract
//! covers decides which of the provider's homes it prices: a contract is for a service (fostering,
//! children's homes, supported accommodation, …) and may name homes, never "everything the provider
//! runs" by accident.

use crate::code_list;
use crate::home::{HomeKind, WeeklyPrice};
use crate::ids::{ContractId, HomeId, OrganisationId};
use crate::{DomainError, ValidationErrors};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

code_list! {
    /// Listed in cascade order.
    pub enum ContractTier ("contract_tier") {
        InHouse = "in_house" => "In-house",
        Block = "block" => "Block contract",
        Framework = "framework" => "Regional framework",
        Spot = "spot" => "Spot purchase",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contract {
    pub id: ContractId,
    /// DfE LA code of the commissioning council.
    pub la_code: u16,
    pub provider: OrganisationId,
    pub tier: ContractTier,
    pub weekly_price: WeeklyPrice,
    /// Beds bought outright (block contracts only).
    pub block_beds: u16,
    pub starts: Date,
    pub ends: Option<Date>,
    /// The provider's homes it is for.
    pub covers: Coverage,
}

impl Contract {
    pub fn in_force(&self, on: Date) -> bool {
        self.starts <= on && self.ends.is_none_or(|e| on <= e)
    }
}

/// What a contract buys: every home of the provider of the kinds listed (a service), and the homes
/// named. A home named is priced by this contract even where another of the council's contracts
/// with the provider covers its kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub kinds: Vec<HomeKind>,
    pub homes: Vec<HomeId>,
}

/// How a contract covers one home: by name beats by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Covered {
    ByKind,
    ByName,
}

impl Coverage {
    /// Every kind of home: what contracts recorded before coverage existed were taken to mean.
    pub fn every_kind() -> Self {
        Self { kinds: HomeKind::ALL.to_vec(), homes: Vec::new() }
    }

    /// The kinds a service word stands for: a home kind's own code, or `fostering` (every foster
    /// household) or `supported_accommodation` (every kind of it), as commissioners buy them.
    pub fn service(word: &str) -> Result<Vec<HomeKind>, DomainError> {
        match word.trim() {
            w if w.eq_ignore_ascii_case("fostering") => {
                Ok(HomeKind::ALL.iter().copied().filter(|k| k.is_foster()).collect())
            }
            w if w.eq_ignore_ascii_case("supported_accommodation") => {
                Ok(HomeKind::ALL.iter().copied().filter(|k| k.is_supported_accommodation()).collect())
            }
            w => HomeKind::parse(w).map(|k| vec![k]).map_err(|e| {
                DomainError::new("kinds", format!("{}; or fostering, supported_accommodation", e.message))
            }),
        }
    }

    /// Whether the contract covers a home of `kind`, and how.
    pub fn covers(&self, home: HomeId, kind: HomeKind) -> Option<Covered> {
        if self.homes.contains(&home) {
            Some(Covered::ByName)
        } else if self.kinds.contains(&kind) {
            Some(Covered::ByKind)
        } else {
            None
        }
    }

    /// The kinds, each once, in the code list's order (so a stored contract reads back the same).
    fn normalised(mut self) -> Self {
        self.kinds.sort_unstable();
        self.kinds.dedup();
        self.homes.sort_unstable();
        self.homes.dedup();
        self
    }
}

/// A contract as a commissioner records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractInput {
    /// The provider organisation's id.
    pub provider: i64,
    /// `in_house`, `block`, `framework` or `spot`.
    pub tier: String,
    /// The agreed weekly price in pounds.
    pub weekly_price: i64,
    /// Beds bought outright: block contracts only, at least one.
    #[serde(default)]
    pub block_beds: u16,
    /// `YYYY-MM-DD`.
    pub starts: String,
    /// `YYYY-MM-DD`, or absent for an open-ended contract.
    pub ends: Option<String>,
    /// The services it buys: home kind codes (`foster_agency`, `childrens_home`, …), or `fostering`
    /// or `supported_accommodation` for every kind of those. At least one kind or one named home.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Homes of the provider it buys by name (ids); these beat another contract covering their kind.
    #[serde(default)]
    pub homes: Vec<i64>,
}

impl ContractInput {
    /// Checks every field at once, for council `la_code`.
    pub fn parse(&self, la_code: u16) -> Result<Contract, ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let tier = errs.check(ContractTier::parse(&self.tier));
        let price = errs.check(WeeklyPrice::new(self.weekly_price));
        let date = |field: &'static str, raw: &str| {
            raw.trim()
                .parse::<Date>()
                .map_err(|_| DomainError::new(field, format!("'{}' is not a date; write it as YYYY-MM-DD", raw.trim())))
        };
        let starts = errs.check(date("starts", &self.starts));
        let ends = match self.ends.as_deref().filter(|e| !e.trim().is_empty()) {
            Some(raw) => errs.check(date("ends", raw)).map(Some),
            None => Some(None),
        };
        if let (Some(s), Some(Some(e))) = (starts, ends)
            && e < s
        {
            errs.push(DomainError::new("ends", format!("a contract that starts on {s} cannot end before it")));
        }
        let mut kinds = Vec::new();
        for word in &self.kinds {
            if let Some(k) = errs.check(Coverage::service(word)) {
                kinds.extend(k);
            }
        }
        if self.kinds.is_empty() && self.homes.is_empty() {
            errs.push(DomainError::new(
                "kinds",
                "say what the contract buys: kinds of home (e.g. fostering, childrens_home, supported_accommodation) or named homes",
            ));
        }
        let covers = Coverage { kinds, homes: self.homes.iter().map(|h| HomeId(*h)).collect() }.normalised();
        match tier {
            Some(ContractTier::Block) if self.block_beds == 0 => {
                errs.push(DomainError::new("block_beds", "a block contract buys at least one bed"));
            }
            Some(t) if t != ContractTier::Block && self.block_beds > 0 => {
                errs.push(DomainError::new("block_beds", "only block contracts buy beds outright; give 0"));
            }
            _ => {}
        }
        match (tier, price, starts, ends) {
            (Some(tier), Some(weekly_price), Some(starts), Some(ends)) if errs.is_empty() => Ok(Contract {
                id: ContractId(0),
                la_code,
                provider: OrganisationId(self.provider),
                tier,
                weekly_price,
                block_beds: self.block_beds,
                starts,
                ends,
                covers,
            }),
            _ => Err(errs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ContractInput {
        ContractInput {
            provider: 9,
            tier: "block".into(),
            weekly_price: 4200,
            block_beds: 2,
            starts: "2026-12-01".into(),
            ends: Some("2027-11-30".into()),
            kinds: vec!["childrens_home".into()],
            homes: vec![],
        }
    }

    #[test]
    fn a_block_contract_buys_beds_and_ends_after_it_starts() {
        let c = input().parse(331).unwrap();
        assert_eq!((c.tier, c.block_beds, c.la_code), (ContractTier::Block, 2, 331));
        let bad = ContractInput { block_beds: 0, ends: Some("2026-01-01".into()), weekly_price: 0, ..input() };
        let fields: Vec<_> = bad.parse(331).unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["weekly_price", "ends", "block_beds"]);
        let spot = ContractInput { tier: "spot".into(), ..input() };
        assert!(spot.parse(331).is_err(), "spot buys no beds");
    }

    #[test]
    fn a_contract_covers_a_service_or_named_homes_and_says_so() {
        let fostering = ContractInput { kinds: vec!["fostering".into(), "foster_agency".into()], ..input() };
        let c = fostering.parse(331).unwrap();
        assert_eq!(c.covers.kinds, [HomeKind::FosterInHouse, HomeKind::FosterAgency, HomeKind::ConnectedPerson]);
        assert_eq!(c.covers.covers(HomeId(1), HomeKind::FosterAgency), Some(Covered::ByKind));
        assert_eq!(c.covers.covers(HomeId(1), HomeKind::ChildrensHome), None);
        let named = ContractInput { kinds: vec![], homes: vec![5, 5], ..input() }.parse(331).unwrap();
        assert_eq!(named.covers.homes, [HomeId(5)]);
        assert_eq!(named.covers.covers(HomeId(5), HomeKind::ChildrensHome), Some(Covered::ByName));
        let nothing = ContractInput { kinds: vec![], ..input() }.parse(331).unwrap_err();
        assert_eq!(nothing.0.iter().map(|e| e.field).collect::<Vec<_>>(), ["kinds"]);
        let unknown = ContractInput { kinds: vec!["castles".into()], ..input() }.parse(331).unwrap_err();
        assert!(unknown.0[0].message.contains("fostering"), "{:?}", unknown.0);
    }
}
