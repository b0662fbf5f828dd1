//! The hard rules: a home that fails one is never shown. They are checked in the order listed, and
//! a home is counted under the first it fails, so the counts add up to the homes left out. The
//! order puts what a home *is* before whether it is *free*: "37 homes could meet her needs but none
//! has a vacancy" is the sufficiency figure commissioners ask for.

use serde::Serialize;
use serde::ser::SerializeMap;

/// One hard rule, in the order they are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HardRule {
    /// The provider has closed the home or taken it off the portal.
    Inactive,
    /// Not a kind of placement the officer asked for.
    PlacementType,
    /// A secure children's home without a secure accommodation order, or any other home when one is held.
    SecureOrder,
    /// A connected-person household approved for another child.
    ConnectedPersonForAnotherChild,
    /// Supported accommodation is for 16 and 17 year olds only.
    SupportedUnder16,
    /// A children's home, secure home, residential school or supported accommodation not registered
    /// with Ofsted (applied, suspended).
    NotRegistered,
    /// Judged Inadequate, with no recorded override for this child.
    Inadequate,
    /// In, or within the form's radius of, a district the child must not be placed in or near.
    AvoidedArea,
    /// A child's age or sex is outside the home's approval or registration.
    AgeOrSex,
    /// Not registered or approved for a need the home must meet (the child's primary needs, the
    /// form's must-meet needs), or lacking what the form says the home must offer (wheelchair access
    /// for a wheelchair user, a named adaptation).
    Needs,
    /// Same-day referrals go only to homes that take emergencies.
    Emergency,
    /// Other children or pets where the plan says none, or no pets where the child brings one.
    Household,
    /// No vacancy open to these children by the start date.
    NoVacancy,
    /// A vacancy, but not room for the whole sibling group that must live together.
    SiblingRoom,
}

impl HardRule {
    pub const ALL: [HardRule; 14] = [
        Self::Inactive,
        Self::PlacementType,
        Self::SecureOrder,
        Self::ConnectedPersonForAnotherChild,
        Self::SupportedUnder16,
        Self::NotRegistered,
        Self::Inadequate,
        Self::AvoidedArea,
        Self::AgeOrSex,
        Self::Needs,
        Self::Emergency,
        Self::Household,
        Self::NoVacancy,
        Self::SiblingRoom,
    ];
    pub const COUNT: usize = Self::ALL.len();

    /// What the rule means, as a line in the "homes left out" summary.
    pub const fn label(self) -> &'static str {
        match self {
            Self::Inactive => "closed or withdrawn from the portal",
            Self::PlacementType => "not a kind of placement asked for",
            Self::SecureOrder => "secure homes need a secure accommodation order, and an order needs a secure home",
            Self::ConnectedPersonForAnotherChild => "connected-person carers approved for another child",
            Self::SupportedUnder16 => "supported accommodation does not take children under 16",
            Self::NotRegistered => "not registered with Ofsted",
            Self::Inadequate => "judged Inadequate by Ofsted, with no recorded override",
            Self::AvoidedArea => "in or near an area the child must avoid",
            Self::AgeOrSex => "the child's age or sex is outside the home's approval",
            Self::Needs => "not registered or approved for a need the home must meet, or lacks a named adaptation",
            Self::Emergency => "does not take same-day placements",
            Self::Household => "the household does not fit the plan (other children or pets)",
            Self::NoVacancy => "no vacancy for the child by the start date",
            Self::SiblingRoom => "no room for the whole sibling group",
        }
    }
}

/// How many homes each hard rule left out. Serialises as `{"no_vacancy": 41203, …}`, leaving out
/// rules that excluded nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Exclusions([u32; HardRule::COUNT]);

impl Exclusions {
    pub fn get(&self, rule: HardRule) -> u32 {
        self.0[rule as usize]
    }

    pub(crate) fn add_n(&mut self, rule: HardRule, n: u32) {
        self.0[rule as usize] += n;
    }

    /// Homes left out by any rule.
    pub fn total(&self) -> usize {
        self.0.iter().map(|n| *n as usize).sum()
    }

    /// Rules that left out at least one home, with their counts, in checking order.
    pub fn iter(&self) -> impl Iterator<Item = (HardRule, u32)> + '_ {
        HardRule::ALL.into_iter().map(|r| (r, self.get(r))).filter(|(_, n)| *n > 0)
    }
}

impl Serialize for Exclusions {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(None)?;
        for (rule, n) in self.iter() {
            map.serialize_entry(&rule, &n)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_are_listed_in_declaration_order() {
        for (i, r) in HardRule::ALL.iter().enumerate() {
            assert_eq!(*r as usize, i);
            assert!(!r.label().is_empty());
        }
    }

    #[test]
    fn exclusions_count_and_serialise_only_what_happened() {
        let mut e = Exclusions::default();
        e.add_n(HardRule::NoVacancy, 2);
        e.add_n(HardRule::Emergency, 1);
        assert_eq!(e.total(), 3);
        assert_eq!(serde_json::to_string(&e).unwrap(), r#"{"emergency":1,"no_vacancy":2}"#);
    }
}
