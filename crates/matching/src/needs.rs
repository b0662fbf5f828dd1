//! What a child's needs ask of a home: the mapping from the referral form's [`Need`]s to the
//! [`Skill`]s homes are registered or approved for, and a compact set of needs.
//!
//! Each need names one **main** skill. When the officer marks a need as *primary* the home must have
//! that skill (a hard rule: it is what Ofsted registers a children's home for, or what a foster
//! carer's approval says). Every need, primary or not, also counts in the "carer skills" factor,
//! with its main skill and any **helpful** skills.
//!
//! | need | main skill (required when primary) | also helpful | why |
//! |---|---|---|---|
//! | emotional and behavioural | emotional and behavioural | therapeutic | Ofsted's EBD registration category |
//! | learning disability | disability | autism | Ofsted's LD category; many children with LD are autistic |
//! | physical disability | disability | wheelchair access | Ofsted's PD category; the adaptation usually matters |
//! | sensory impairment | disability | — | Ofsted's SD category |
//! | mental health | therapeutic | emotional and behavioural | Hearth has no separate MH skill; therapeutic homes are the nearest |
//! | autism or ADHD traits | autism | disability | |
//! | aggression | emotional and behavioural | therapeutic | |
//! | missing episodes | exploitation | — | going missing is the first sign of exploitation in most local protocols |
//! | substance misuse | therapeutic | exploitation | substance misuse and criminal exploitation travel together |
//! | child sexual exploitation | exploitation | therapeutic | |
//! | child criminal exploitation | exploitation | — | |
//! | self-harm | therapeutic | — | |
//! | offending | emotional and behavioural | remand and PACE | |

use hearth_domain::home::{Skill, Skills};
use hearth_domain::referral::Need;
use serde::{Deserialize, Serialize};

/// The skill a home must have when `need` is one of the child's primary needs.
pub const fn main_skill(need: Need) -> Skill {
    match need {
        Need::EmotionalBehavioural | Need::Aggression | Need::Offending => Skill::EmotionalBehavioural,
        Need::LearningDisability | Need::PhysicalDisability | Need::SensoryImpairment => Skill::Disability,
        Need::MentalHealth | Need::SubstanceMisuse | Need::SelfHarm => Skill::Therapeutic,
        Need::AutismAdhd => Skill::Autism,
        Need::Missing | Need::Cse | Need::Cce => Skill::Exploitation,
    }
}

/// Skills that help with `need` besides its main one (they score, never exclude).
pub const fn helpful_skills(need: Need) -> &'static [Skill] {
    match need {
        Need::EmotionalBehavioural | Need::Aggression | Need::Cse => &[Skill::Therapeutic],
        Need::LearningDisability => &[Skill::Autism],
        Need::PhysicalDisability => &[Skill::WheelchairAccess],
        Need::MentalHealth => &[Skill::EmotionalBehavioural],
        Need::AutismAdhd => &[Skill::Disability],
        Need::SubstanceMisuse => &[Skill::Exploitation],
        Need::Offending => &[Skill::RemandPace],
        Need::SensoryImpairment | Need::Missing | Need::Cce | Need::SelfHarm => &[],
    }
}

/// Needs that make other children in the household a concern: a risk to them or from them. The
/// "household" factor prefers fewer other children for a child with any of these.
pub const fn concerns_other_children(need: Need) -> bool {
    matches!(need, Need::Aggression | Need::Offending | Need::SubstanceMisuse | Need::Cse | Need::Cce | Need::Missing)
}

/// Needs that make disability adaptations relevant.
pub const fn is_disability(need: Need) -> bool {
    matches!(need, Need::LearningDisability | Need::PhysicalDisability | Need::SensoryImpairment)
}

/// A set of [`Need`]s packed into bits (13 needs fit a `u16`). Serialises as the list of codes, like
/// [`Skills`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(from = "Vec<Need>", into = "Vec<Need>")]
pub struct NeedSet(u16);

impl NeedSet {
    pub const fn empty() -> Self {
        Self(0)
    }

    fn bit(need: Need) -> u16 {
        // Need::ALL lists every variant, so the position is always found.
        let pos = Need::ALL.iter().position(|n| *n == need).unwrap_or(0);
        1 << pos
    }

    #[must_use]
    pub fn with(self, need: Need) -> Self {
        Self(self.0 | Self::bit(need))
    }

    pub fn contains(self, need: Need) -> bool {
        self.0 & Self::bit(need) != 0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    #[must_use]
    pub const fn union(self, other: NeedSet) -> Self {
        Self(self.0 | other.0)
    }

    pub fn iter(self) -> impl Iterator<Item = Need> {
        Need::ALL.iter().copied().filter(move |n| self.contains(*n))
    }

    /// The main skills of every need in the set.
    pub fn main_skills(self) -> Skills {
        self.iter().map(main_skill).collect()
    }

    /// The main and helpful skills of every need in the set.
    pub fn all_skills(self) -> Skills {
        self.iter().flat_map(|n| std::iter::once(main_skill(n)).chain(helpful_skills(n).iter().copied())).collect()
    }
}

impl FromIterator<Need> for NeedSet {
    fn from_iter<I: IntoIterator<Item = Need>>(iter: I) -> Self {
        iter.into_iter().fold(NeedSet::empty(), NeedSet::with)
    }
}

serde_as_list!(NeedSet, Need);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_need_maps_to_a_skill_other_than_its_helpers() {
        for need in Need::ALL {
            assert!(!helpful_skills(*need).contains(&main_skill(*need)), "{need:?}");
        }
        assert_eq!(main_skill(Need::PhysicalDisability), Skill::Disability);
    }

    #[test]
    fn need_sets_pack_and_serialise_as_codes() {
        let s: NeedSet = [Need::Cse, Need::SelfHarm].into_iter().collect();
        assert!(s.contains(Need::Cse) && !s.contains(Need::Missing));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"["cse","self_harm"]"#);
        assert_eq!(serde_json::from_str::<NeedSet>(&json).unwrap(), s);
        assert!(s.all_skills().contains(Skill::Therapeutic));
        assert!(s.main_skills().contains(Skill::Exploitation));
    }
}
