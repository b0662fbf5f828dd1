//! Contracts between a council and a provider: the tier decides the order of the s22C cascade
//! (in-house, then block beds already paid for, then framework, then spot).

use crate::code_list;
use crate::home::WeeklyPrice;
use crate::ids::{ContractId, OrganisationId};
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
