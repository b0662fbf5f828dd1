//! What each contract covers (migration 0013): its kinds of home in `contract_kinds`, its named homes
//! in `contract_homes`. Written in the same transaction as the contract (or the region's load) and
//! read back beside `contracts`, so a contract is never seen without what it buys.

use hearth_domain::contract::{Contract, Coverage};
use hearth_domain::home::HomeKind;
use hearth_domain::{ContractId, HomeId};
use std::collections::HashMap;

pub(crate) const INSERT_KINDS: &str = "INSERT INTO contract_kinds (contract_id, kind) ";
pub(crate) const INSERT_HOMES: &str = "INSERT INTO contract_homes (contract_id, home_id) ";
pub(crate) const KINDS: &str = "SELECT contract_id, kind FROM contract_kinds ORDER BY contract_id, kind";
pub(crate) const HOMES: &str = "SELECT contract_id, home_id FROM contract_homes ORDER BY contract_id, home_id";

/// `(contract id, kind code)` rows and `(contract id, home id)` rows.
type CoverageRows = (Vec<(i64, &'static str)>, Vec<(i64, i64)>);

/// The rows of `contracts`' coverage, ready for the bulk inserts.
pub(crate) fn rows(contracts: &[Contract]) -> CoverageRows {
    let kinds = contracts.iter().flat_map(|c| c.covers.kinds.iter().map(move |k| (c.id.0, k.code()))).collect();
    let homes = contracts.iter().flat_map(|c| c.covers.homes.iter().map(move |h| (c.id.0, h.0))).collect();
    (kinds, homes)
}

/// Puts each contract's coverage beside it, from the two tables' rows.
pub(crate) fn attach(
    contracts: &mut [Contract],
    kinds: Vec<(i64, String)>,
    homes: Vec<(i64, i64)>,
) -> Result<(), crate::StoreError> {
    let mut by_id: HashMap<ContractId, Coverage> = HashMap::new();
    for (id, kind) in kinds {
        let kind = crate::rows::parse("contract_kinds.kind", &kind, HomeKind::parse)?;
        by_id.entry(ContractId(id)).or_default().kinds.push(kind);
    }
    for (id, home) in homes {
        by_id.entry(ContractId(id)).or_default().homes.push(HomeId(home));
    }
    for c in contracts {
        c.covers = by_id.remove(&c.id).unwrap_or_default();
    }
    Ok(())
}
