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

/// New terms for a contract from a date: its weekly price and block beds from `takes_effect` on.
/// The terms before stay as they were (the contract's own row holds its first terms), so a price
/// agreed last year still reads as it was, and the cascade and prices use the terms in force on the
/// day they are asked about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContractVersion {
    pub contract: ContractId,
    pub takes_effect: Date,
    pub weekly_price: WeeklyPrice,
    pub block_beds: u16,
}

impl Contract {
    /// The contract with the terms in force on `day`: its first terms, changed by the latest version
    /// that has taken effect by then. `versions` may hold other contracts' versions too.
    #[must_use]
    pub fn on(mut self, versions: &[ContractVersion], day: Date) -> Self {
        let latest =
            versions.iter().filter(|v| v.contract == self.id && v.takes_effect <= day).max_by_key(|v| v.takes_effect);
        if let Some(v) = latest {
            self.weekly_price = v.weekly_price;
            self.block_beds = v.block_beds;
        }
        self
    }

    /// Whether the contract can still be changed on `today`: not once its last day has passed.
    fn still_open(&self, today: Date, field: &'static str) -> Result<(), DomainError> {
        match self.ends {
            Some(e) if e < today => {
                Err(DomainError::new(field, format!("the contract ended on {e}; it cannot be changed")))
            }
            _ => Ok(()),
        }
    }
}

/// Every contract with the terms in force on `day` (see [`Contract::on`]).
pub fn terms_on(contracts: Vec<Contract>, versions: &[ContractVersion], day: Date) -> Vec<Contract> {
    contracts.into_iter().map(|c| c.on(versions, day)).collect()
}

fn parse_date(field: &'static str, raw: &str) -> Result<Date, DomainError> {
    raw.trim()
        .parse::<Date>()
        .map_err(|_| DomainError::new(field, format!("'{}' is not a date; write it as YYYY-MM-DD", raw.trim())))
}

/// A change of a contract's terms as a commissioner asks for it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermsChangeInput {
    /// `YYYY-MM-DD`: the first day of the new terms; today or later, within the contract's dates.
    pub takes_effect: String,
    /// The new weekly price in pounds.
    pub weekly_price: i64,
    /// Beds bought outright from then: block contracts only, at least one.
    #[serde(default)]
    pub block_beds: u16,
}

impl TermsChangeInput {
    /// Checks every field at once against the contract and the service's `today`: a change cannot
    /// take effect in the past (what was paid then stays as it was), nor outside the contract.
    pub fn parse(&self, contract: &Contract, today: Date) -> Result<ContractVersion, ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let price = errs.check(WeeklyPrice::new(self.weekly_price));
        let mut day = errs.check(parse_date("takes_effect", &self.takes_effect));
        errs.check(contract.still_open(today, "takes_effect"));
        if let Some(d) = day {
            let refusal = if d < today {
                Some(format!("a change cannot take effect before today ({today}): earlier terms stay as they were"))
            } else if d < contract.starts {
                Some(format!("the contract starts on {}; a change cannot take effect before it", contract.starts))
            } else {
                contract
                    .ends
                    .filter(|e| d > *e)
                    .map(|e| format!("the contract ends on {e}; a change must take effect by then"))
            };
            if let Some(m) = refusal {
                errs.push(DomainError::new("takes_effect", m));
                day = None;
            }
        }
        match contract.tier {
            ContractTier::Block if self.block_beds == 0 => {
                errs.push(DomainError::new("block_beds", "a block contract buys at least one bed"));
            }
            t if t != ContractTier::Block && self.block_beds > 0 => {
                errs.push(DomainError::new("block_beds", "only block contracts buy beds outright; give 0"));
            }
            _ => {}
        }
        match (price, day) {
            (Some(weekly_price), Some(takes_effect)) if errs.is_empty() => {
                Ok(ContractVersion { contract: contract.id, takes_effect, weekly_price, block_beds: self.block_beds })
            }
            _ => Err(errs),
        }
    }
}

/// Ending a contract: its last day in force.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EndContractInput {
    /// `YYYY-MM-DD`: the contract's last day; today or later, and not before it starts. It leaves
    /// the cascade and prices the day after.
    pub ends: String,
}

impl EndContractInput {
    /// The contract's new last day, checked against the contract and the service's `today`.
    pub fn parse(&self, contract: &Contract, today: Date) -> Result<Date, ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let day = errs.check(parse_date("ends", &self.ends));
        errs.check(contract.still_open(today, "ends"));
        if let Some(d) = day {
            if d < today {
                errs.push(DomainError::new("ends", format!("a contract cannot end before today ({today})")));
            } else if d < contract.starts {
                errs.push(DomainError::new(
                    "ends",
                    format!("the contract starts on {}; it cannot end before it", contract.starts),
                ));
            }
        }
        match day {
            Some(d) if errs.is_empty() => Ok(d),
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
    #[test]
    fn terms_change_on_their_date_and_the_old_ones_are_kept() {
        let mut c = input().parse(331).unwrap();
        c.id = ContractId(7);
        let today = jiff::civil::date(2026, 12, 10);
        let change = TermsChangeInput { takes_effect: "2027-01-01".into(), weekly_price: 4500, block_beds: 3 };
        let v = change.parse(&c, today).unwrap();
        let versions = [v, ContractVersion { contract: ContractId(8), ..v }];
        assert_eq!(c.clone().on(&versions, jiff::civil::date(2026, 12, 31)).weekly_price.pounds(), 4200);
        let later = c.clone().on(&versions, jiff::civil::date(2027, 1, 1));
        assert_eq!((later.weekly_price.pounds(), later.block_beds), (4500, 3));
        let past = TermsChangeInput { takes_effect: "2026-12-01".into(), ..change.clone() };
        assert_eq!(past.parse(&c, today).unwrap_err().0[0].field, "takes_effect");
        let after_end = TermsChangeInput { takes_effect: "2028-01-01".into(), block_beds: 0, ..change };
        let fields: Vec<_> = after_end.parse(&c, today).unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["takes_effect", "block_beds"]);
    }

    #[test]
    fn a_contract_ends_today_or_later_and_not_once_ended() {
        let c = input().parse(331).unwrap();
        let today = jiff::civil::date(2026, 12, 10);
        assert_eq!(EndContractInput { ends: "2026-12-10".into() }.parse(&c, today), Ok(today));
        assert!(EndContractInput { ends: "2026-12-09".into() }.parse(&c, today).is_err());
        let ended = Contract { ends: Some(jiff::civil::date(2026, 12, 1)), ..c };
        let refused = EndContractInput { ends: "2027-01-01".into() }.parse(&ended, today).unwrap_err();
        assert!(refused.0[0].message.contains("ended on 2026-12-01"), "{refused:?}");
    }
}
