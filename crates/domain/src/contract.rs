//! Contracts between a council and a provider: the tier decides the order of the s22C cascade
//! (in-house, then block beds already paid for, then framework, then spot).

use crate::code_list;
use crate::home::WeeklyPrice;
use crate::ids::{ContractId, OrganisationId};
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
}

impl Contract {
    pub fn in_force(&self, on: Date) -> bool {
        self.starts <= on && self.ends.is_none_or(|e| on <= e)
    }
}

/// A contract as a commissioner records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
}
