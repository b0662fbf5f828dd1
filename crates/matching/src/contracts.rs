//! Which tier a home is in for each council (the cascade's order: in-house, block, framework, spot)
//! and at what price, from the contract that covers it.

use hearth_domain::contract::{Contract, ContractTier};
use hearth_domain::council::WEST_MIDLANDS;
use hearth_domain::home::{HomeKind, WeeklyPrice};
use hearth_domain::org::{Organisation, OrganisationKind};
use hearth_domain::{HomeId, OrganisationId};
use jiff::civil::Date;
use std::collections::HashMap;

/// The portal's councils, by position in [`WEST_MIDLANDS`]: the column of the terms table.
pub(crate) const COUNCILS: usize = WEST_MIDLANDS.len();

pub(crate) fn council_index(la_code: u16) -> Option<usize> {
    WEST_MIDLANDS.iter().position(|c| c.la_code == la_code)
}

/// One council's terms for one home. `tier` is `None` where no contract covers it: a spot purchase
/// at the home's asking price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Term {
    pub tier: Option<ContractTier>,
    /// The contract's weekly price in pounds; 0 when the contract sets none (a council's own service
    /// has no price of its own) or there is no contract.
    pub price: u16,
    /// The contract names the home (rather than covering its kind).
    pub named: bool,
}

impl Term {
    /// Where a council holds several contracts covering a home, the best tier wins (a block
    /// contract beats the framework the provider is also on), with its price.
    fn offer(&mut self, c: &Contract, named: bool) {
        if self.tier.is_none_or(|have| c.tier < have) {
            // WeeklyPrice is at most £50,000, which fits a u16.
            let price = u16::try_from(c.weekly_price.pounds()).unwrap_or(u16::MAX);
            *self = Term { tier: Some(c.tier), price, named };
        }
    }
}

/// A row of the terms table: a provider's homes of one kind, or one home a contract names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Kind(OrganisationId, HomeKind),
    Named(HomeId, OrganisationId, HomeKind),
}

/// The contracts in force, as a table of terms by (what they cover) × council that the index looks
/// up once per home, when the home is added or the contracts change, never in the scan.
///
/// A contract covers kinds of home and named homes ([`hearth_domain::contract::Coverage`]): a home is
/// priced by a contract that names it, else by one that covers its kind, else by its own asking
/// price. Built from the store's contracts for a day ([`Contracts::new`]); the service rebuilds it
/// when a contract is recorded and when the day changes, then hands it to
/// [`crate::SupplyIndex::set_contracts`].
#[derive(Debug, Clone, Default)]
pub struct Contracts {
    rows: HashMap<Key, u32>,
    /// The terms of contracts naming a home, by (home, provider) and council: laid over the terms
    /// for the home's kind when the home's row is made.
    named: HashMap<(HomeId, OrganisationId), [Option<Term>; COUNCILS]>,
    /// `rows.len() × COUNCILS` terms, row-major.
    terms: Vec<Term>,
}

impl Contracts {
    /// No contracts: every home is a spot purchase.
    pub fn none() -> Self {
        Self::default()
    }

    /// The contracts in force on `on`.
    pub fn new(contracts: &[Contract], on: Date) -> Self {
        let mut t = Self::default();
        for c in contracts.iter().filter(|c| c.in_force(on)) {
            let Some(col) = council_index(c.la_code) else { continue };
            for kind in &c.covers.kinds {
                t.term_mut(Key::Kind(c.provider, *kind), col).offer(c, false);
            }
            for home in &c.covers.homes {
                t.named.entry((*home, c.provider)).or_insert([None; COUNCILS])[col]
                    .get_or_insert_default()
                    .offer(c, true);
            }
        }
        t
    }

    /// Counts a council's own services as in-house for that council, contract or not: a council
    /// organisation itself, or a provider organisation a council runs (`la_code` set). Their price
    /// is a contract's where one covers the home, else the home's own.
    #[must_use]
    pub fn with_council_services(mut self, organisations: &[Organisation]) -> Self {
        for o in organisations {
            let own = matches!(o.kind, OrganisationKind::Council | OrganisationKind::Provider);
            let Some(col) = o.la_code.filter(|_| own).and_then(council_index) else { continue };
            for kind in HomeKind::ALL {
                self.term_mut(Key::Kind(o.id, *kind), col).tier = Some(ContractTier::InHouse);
            }
        }
        self
    }

    /// Counts the regional framework's members as the framework tier, for every council in the
    /// region, for the kinds of home in their lots — only where no council contract (or council
    /// service) already covers them: a council's own block or spot contract says more about what it
    /// buys than the region's framework. The price stays the home's own (the framework sets no price
    /// here), and a contract naming a home still beats it.
    #[must_use]
    pub fn with_framework(mut self, lots: &[(OrganisationId, HomeKind)]) -> Self {
        for (provider, kind) in lots {
            for col in 0..COUNCILS {
                let term = self.term_mut(Key::Kind(*provider, *kind), col);
                if term.tier.is_none() {
                    *term = Term { tier: Some(ContractTier::Framework), price: 0, named: false };
                }
            }
        }
        self
    }

    fn term_mut(&mut self, key: Key, col: usize) -> &mut Term {
        let row = self.row_of(key);
        &mut self.terms[row as usize * COUNCILS + col]
    }

    fn row_of(&mut self, key: Key) -> u32 {
        let next = self.rows.len() as u32;
        let row = *self.rows.entry(key).or_insert(next);
        if row == next {
            self.terms.extend(std::iter::repeat_n(Term::default(), COUNCILS));
        }
        row
    }

    /// The row of a home's terms, or `u32::MAX` when no council has any for it. A home some
    /// contract names gets a row of its own (made here, once), its kind's terms overlaid with the
    /// named ones.
    pub(crate) fn row(&mut self, provider: OrganisationId, kind: HomeKind, home: HomeId) -> u32 {
        let Some(named) = self.named.get(&(home, provider)).copied() else {
            return self.rows.get(&Key::Kind(provider, kind)).copied().unwrap_or(u32::MAX);
        };
        let key = Key::Named(home, provider, kind);
        if let Some(row) = self.rows.get(&key) {
            return *row;
        }
        let base = self.rows.get(&Key::Kind(provider, kind)).copied().unwrap_or(u32::MAX);
        let merged: Vec<Term> = (0..COUNCILS).map(|col| named[col].unwrap_or(self.term(base, col))).collect();
        let row = self.row_of(key);
        self.terms[row as usize * COUNCILS..(row as usize + 1) * COUNCILS].copy_from_slice(&merged);
        row
    }

    #[inline]
    pub(crate) fn term(&self, row: u32, col: usize) -> Term {
        if row == u32::MAX { Term::default() } else { self.terms[row as usize * COUNCILS + col] }
    }

    /// The tier and the contract's price for a council buying a place in `home` (of `kind`, run by
    /// `provider`): the contract naming the home, else the one covering its kind.
    pub fn tier(
        &self,
        provider: OrganisationId,
        kind: HomeKind,
        home: HomeId,
        la_code: u16,
    ) -> (ContractTier, Option<WeeklyPrice>) {
        let term = council_index(la_code)
            .map(|col| {
                let named = self.named.get(&(home, provider)).and_then(|n| n[col]);
                let by_kind = self.rows.get(&Key::Kind(provider, kind)).copied().unwrap_or(u32::MAX);
                named.unwrap_or(self.term(by_kind, col))
            })
            .unwrap_or_default();
        (term.tier.unwrap_or(ContractTier::Spot), WeeklyPrice::new(i64::from(term.price)).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_domain::ContractId;
    use hearth_domain::contract::Coverage;
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
            covers: Coverage::every_kind(),
        }
    }

    const HOME: HomeId = HomeId(70);
    const CH: HomeKind = HomeKind::ChildrensHome;

    #[test]
    fn a_framework_member_is_framework_tier_where_no_council_contract_covers_it() {
        let list = [contract(331, 7, ContractTier::Block, 4_300, None)];
        let lots = [(OrganisationId(7), CH), (OrganisationId(8), CH)];
        let c = Contracts::new(&list, date(2026, 1, 1)).with_framework(&lots);
        assert_eq!(c.tier(OrganisationId(7), CH, HOME, 331), (ContractTier::Block, WeeklyPrice::new(4_300).ok()));
        assert_eq!(c.tier(OrganisationId(7), CH, HOME, 330), (ContractTier::Framework, None), "no contract there");
        assert_eq!(c.tier(OrganisationId(8), CH, HOME, 331), (ContractTier::Framework, None));
        assert_eq!(
            c.tier(OrganisationId(8), HomeKind::FosterAgency, HOME, 331),
            (ContractTier::Spot, None),
            "not its lot"
        );
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
        let p = OrganisationId(7);
        assert_eq!(c.tier(p, CH, HOME, 331), (ContractTier::Block, WeeklyPrice::new(4_300).ok()));
        assert_eq!(c.tier(p, CH, HOME, 330), (ContractTier::Spot, None), "ended");
        assert_eq!(c.tier(OrganisationId(8), CH, HOME, 331), (ContractTier::Spot, None), "no contract");
    }

    #[test]
    fn a_contract_prices_only_what_it_covers_and_a_named_home_beats_its_kind() {
        let fostering = Contract {
            covers: Coverage { kinds: vec![HomeKind::FosterAgency], homes: vec![] },
            ..contract(331, 7, ContractTier::Framework, 900, None)
        };
        let one_home = Contract {
            covers: Coverage { kinds: vec![], homes: vec![HOME] },
            ..contract(331, 7, ContractTier::Spot, 5_100, None)
        };
        let mut c = Contracts::new(&[fostering, one_home], date(2026, 1, 1));
        let p = OrganisationId(7);
        assert_eq!(c.tier(p, HomeKind::FosterAgency, HomeId(1), 331).1, WeeklyPrice::new(900).ok());
        assert_eq!(c.tier(p, CH, HomeId(1), 331), (ContractTier::Spot, None), "a children's home is not fostering");
        assert_eq!(c.tier(p, HomeKind::FosterAgency, HOME, 331), (ContractTier::Spot, WeeklyPrice::new(5_100).ok()));
        let row = c.row(p, HomeKind::FosterAgency, HOME);
        let col = council_index(331).unwrap();
        assert_eq!(c.term(row, col), Term { tier: Some(ContractTier::Spot), price: 5_100, named: true });
        assert_eq!(c.row(p, HomeKind::FosterAgency, HOME), row, "made once");
        let by_kind = c.row(p, HomeKind::FosterAgency, HomeId(1));
        assert_eq!(c.term(by_kind, col).price, 900);
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
        assert_eq!(c.tier(OrganisationId(3), CH, HOME, 331), (ContractTier::InHouse, None));
        assert_eq!(c.tier(OrganisationId(3), CH, HOME, 330).0, ContractTier::Spot);
    }
}
