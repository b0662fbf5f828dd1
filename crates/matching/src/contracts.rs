//! Which tier a home is in for each council: the cascade's order (in-house, block, framework, spot).

use hearth_domain::OrganisationId;
use hearth_domain::contract::{Contract, ContractTier};
use hearth_domain::council::WEST_MIDLANDS;
use hearth_domain::home::WeeklyPrice;
use hearth_domain::org::{Organisation, OrganisationKind};
use jiff::civil::Date;
use std::collections::HashMap;

/// The portal's councils, by position in [`WEST_MIDLANDS`]: the column of the terms table.
pub(crate) const COUNCILS: usize = WEST_MIDLANDS.len();

pub(crate) fn council_index(la_code: u16) -> Option<usize> {
    WEST_MIDLANDS.iter().position(|c| c.la_code == la_code)
}

/// One council's terms with one provider. `tier` is `None` where there is no contract: a spot
/// purchase at the provider's asking price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Term {
    pub tier: Option<ContractTier>,
    /// The contract's weekly price in pounds; 0 when the contract sets none (a council's own service
    /// has no price of its own) or there is no contract.
    pub price: u16,
}

/// The contracts in force, as a provider × council table the index looks terms up in.
///
/// Built once from the store's contracts for a day ([`Contracts::new`]); rebuilt when a contract
/// changes or one starts or ends (the store knows when), then handed to
/// [`crate::SupplyIndex::set_contracts`].
#[derive(Debug, Clone, Default)]
pub struct Contracts {
    rows: HashMap<OrganisationId, u32>,
    /// `rows.len() × COUNCILS` terms, row-major.
    terms: Vec<Term>,
}

impl Contracts {
    /// No contracts: every home is a spot purchase.
    pub fn none() -> Self {
        Self::default()
    }

    /// The contracts in force on `on`. Where a council holds several with one provider the best
    /// tier wins (a block contract beats the framework the provider is also on), with its price.
    pub fn new(contracts: &[Contract], on: Date) -> Self {
        let mut t = Self::default();
        for c in contracts.iter().filter(|c| c.in_force(on)) {
            let Some(col) = council_index(c.la_code) else { continue };
            let term = t.term_mut(c.provider, col);
            if term.tier.is_none_or(|have| c.tier < have) {
                // WeeklyPrice is at most £50,000, which fits a u16.
                *term = Term { tier: Some(c.tier), price: u16::try_from(c.weekly_price.pounds()).unwrap_or(u16::MAX) };
            }
        }
        t
    }

    /// Counts a council's own services as in-house for that council, contract or not: a council
    /// organisation itself, or a provider organisation a council runs (`la_code` set).
    #[must_use]
    pub fn with_council_services(mut self, organisations: &[Organisation]) -> Self {
        for o in organisations {
            let own = matches!(o.kind, OrganisationKind::Council | OrganisationKind::Provider);
            let Some(col) = o.la_code.filter(|_| own).and_then(council_index) else { continue };
            self.term_mut(o.id, col).tier = Some(ContractTier::InHouse);
        }
        self
    }

    fn term_mut(&mut self, provider: OrganisationId, col: usize) -> &mut Term {
        let next = self.rows.len() as u32;
        let row = *self.rows.entry(provider).or_insert(next);
        if row == next {
            self.terms.extend(std::iter::repeat_n(Term::default(), COUNCILS));
        }
        &mut self.terms[row as usize * COUNCILS + col]
    }

    /// The row of `provider`'s terms, or `u32::MAX` when it has none with any council.
    pub(crate) fn row(&self, provider: OrganisationId) -> u32 {
        self.rows.get(&provider).copied().unwrap_or(u32::MAX)
    }

    #[inline]
    pub(crate) fn term(&self, row: u32, col: usize) -> Term {
        if row == u32::MAX { Term::default() } else { self.terms[row as usize * COUNCILS + col] }
    }

    /// The tier and the contract's price for a council buying from a provider.
    pub fn tier(&self, provider: OrganisationId, la_code: u16) -> (ContractTier, Option<WeeklyPrice>) {
        let term = council_index(la_code).map(|col| self.term(self.row(provider), col)).unwrap_or_default();
        (term.tier.unwrap_or(ContractTier::Spot), WeeklyPrice::new(i64::from(term.price)).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_domain::ContractId;
    use jiff::civil::date;

    fn contract(la_code: u16, provider: i64, tier: ContractTier, pounds: i64, ends: Option<Date>) -> Contract {
        Contract {
            id: ContractId(provider),
            la_code,
            provider: OrganisationId(provider),
            tier,
            weekly_price: WeeklyPrice::new(pounds).unwrap(),
            block_beds: 0,
            starts: date(2024, 4, 1),
            ends,
        }
    }

    #[test]
    fn best_tier_in_force_wins_and_default_is_spot() {
        let list = [
            contract(331, 7, ContractTier::Framework, 4_800, None),
            contract(331, 7, ContractTier::Block, 4_300, None),
            contract(330, 7, ContractTier::Block, 4_000, Some(date(2025, 3, 31))),
            contract(999, 7, ContractTier::InHouse, 900, None),
        ];
        let c = Contracts::new(&list, date(2026, 1, 1));
        assert_eq!(c.tier(OrganisationId(7), 331), (ContractTier::Block, WeeklyPrice::new(4_300).ok()));
        assert_eq!(c.tier(OrganisationId(7), 330), (ContractTier::Spot, None), "ended");
        assert_eq!(c.tier(OrganisationId(8), 331), (ContractTier::Spot, None), "no contract");
    }

    #[test]
    fn councils_own_services_are_in_house() {
        let org = Organisation {
            id: OrganisationId(3),
            kind: OrganisationKind::Provider,
            name: "Coventry Children's Services".into(),
            la_code: Some(331),
            sector: None,
        };
        let c = Contracts::none().with_council_services(&[org]);
        assert_eq!(c.tier(OrganisationId(3), 331).0, ContractTier::InHouse);
        assert_eq!(c.tier(OrganisationId(3), 330).0, ContractTier::Spot);
    }
}
