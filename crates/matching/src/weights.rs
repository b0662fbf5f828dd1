//! The weighted factors and the weights a council can tune.
//!
//! Every factor gives a value between −1 and 1 for a home (how well it meets that one concern); the
//! home's score is the sum of `weight × value`. The default weights follow s22C(8) of the Children
//! Act 1989 in its own order of concerns, then quality, then cost:
//!
//! | factor | default | why |
//! |---|---|---|
//! | connected person | 100 | s22C(7)(a): an approved relative or friend is preferred over every other placement. The ordering does not rest on the weight: such a home always ranks first |
//! | distance from home | 25 | s22C(8)(a) "near the child's home"; the largest single weight because distance drives contact, school and stability; DfE's "over 20 miles" measure |
//! | skills for the child's needs | 15 | s22C(6) "most appropriate placement": carers who can meet the needs keep placements stable |
//! | school distance | 12 | s22C(8)(b) "does not disrupt education"; a smaller scale than home, since a school run is shorter |
//! | siblings together | 12 | s22C(8)(c) |
//! | disability adaptations | 10 | s22C(8)(d) "suitable to the child's needs" for a disabled child |
//! | Ofsted judgement | 10 | quality of care; Inadequate is already excluded unless overridden |
//! | inside the council's area | 8 | s22C(9) "so far as reasonably practicable" within the area; smaller than distance because a near home over the border is usually better than a far one inside |
//! | contract tier | 8 | the cascade (in-house, block, framework, spot) is a duty to the budget, not to the child, so it breaks near-ties rather than deciding |
//! | provider risk | 6 | commissioners' own monitoring; softer evidence than Ofsted's |
//! | price against ceiling | 6 | cost matters, but never more than the child's needs |
//! | household fit | 5 | few other children for a child whose needs concern them |
//! | pets | 2 | a wish, not a need (a hard no-pets or must-take-pets is a rule, not this) |
//! | preferred area | 8 | the form's preferred district: where the plan wants the child (near family, a school, away from a peer group); as much as the council's own area, less than distance from home |
//! | placement type | 10 | the form's "preferred" placement type scores fully; with none preferred, a family home scores half, since the sufficiency strategy's first principle is a family setting wherever it meets the child's needs (the hard rules already left out what cannot) |

use serde::{Deserialize, Serialize};

/// One weighted factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Factor {
    ConnectedPerson,
    Distance,
    InsideArea,
    School,
    Siblings,
    Adaptations,
    Skills,
    Judgement,
    Risk,
    Tier,
    Price,
    Household,
    Pets,
    PreferredArea,
    PlacementType,
}

impl Factor {
    pub const ALL: [Factor; 15] = [
        Self::ConnectedPerson,
        Self::Distance,
        Self::InsideArea,
        Self::School,
        Self::Siblings,
        Self::Adaptations,
        Self::Skills,
        Self::Judgement,
        Self::Risk,
        Self::Tier,
        Self::Price,
        Self::Household,
        Self::Pets,
        Self::PreferredArea,
        Self::PlacementType,
    ];
    pub const COUNT: usize = Self::ALL.len();

    /// The factor's name in the API (its serde name), without building a string each time.
    pub const fn code(self) -> &'static str {
        match self {
            Self::ConnectedPerson => "connected_person",
            Self::Distance => "distance",
            Self::InsideArea => "inside_area",
            Self::School => "school",
            Self::Siblings => "siblings",
            Self::Adaptations => "adaptations",
            Self::Skills => "skills",
            Self::Judgement => "judgement",
            Self::Risk => "risk",
            Self::Tier => "tier",
            Self::Price => "price",
            Self::Household => "household",
            Self::Pets => "pets",
            Self::PreferredArea => "preferred_area",
            Self::PlacementType => "placement_type",
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::ConnectedPerson => "Connected person",
            Self::Distance => "Distance from home",
            Self::InsideArea => "Inside the council's area",
            Self::School => "Distance from school",
            Self::Siblings => "Siblings together",
            Self::Adaptations => "Disability adaptations",
            Self::Skills => "Skills for the child's needs",
            Self::Judgement => "Ofsted judgement",
            Self::Risk => "Provider risk",
            Self::Tier => "Contract tier",
            Self::Price => "Price against ceiling",
            Self::Household => "Other children in the household",
            Self::Pets => "Pets",
            Self::PreferredArea => "Preferred area",
            Self::PlacementType => "Placement type preferred",
        }
    }
}

/// How much each factor counts, per council. Stored as JSON; a missing field takes its default, an
/// unknown one is refused (a misspelt weight should not silently do nothing).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weights {
    pub connected_person: f32,
    pub distance: f32,
    pub inside_area: f32,
    pub school: f32,
    pub siblings: f32,
    pub adaptations: f32,
    pub skills: f32,
    pub judgement: f32,
    pub risk: f32,
    pub tier: f32,
    pub price: f32,
    pub household: f32,
    pub pets: f32,
    pub preferred_area: f32,
    pub placement_type: f32,
    /// Miles from home at which the distance factor is worth half: 20, DfE's "placed more than 20
    /// miles from home" line. A rural council may want more.
    pub distance_half_miles: f32,
    /// Miles from school at which the school factor is worth half: 10, about the longest school
    /// run a council would arrange as routine.
    pub school_half_miles: f32,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            connected_person: 100.0,
            distance: 25.0,
            inside_area: 8.0,
            school: 12.0,
            siblings: 12.0,
            adaptations: 10.0,
            skills: 15.0,
            judgement: 10.0,
            risk: 6.0,
            tier: 8.0,
            price: 6.0,
            household: 5.0,
            pets: 2.0,
            preferred_area: 8.0,
            placement_type: 10.0,
            distance_half_miles: 20.0,
            school_half_miles: 10.0,
        }
    }
}

/// A weight that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the weight '{0}' must be a number of 0 or more (scales: more than 0)")]
pub struct WeightsError(pub &'static str);

impl Weights {
    pub fn get(&self, f: Factor) -> f32 {
        match f {
            Factor::ConnectedPerson => self.connected_person,
            Factor::Distance => self.distance,
            Factor::InsideArea => self.inside_area,
            Factor::School => self.school,
            Factor::Siblings => self.siblings,
            Factor::Adaptations => self.adaptations,
            Factor::Skills => self.skills,
            Factor::Judgement => self.judgement,
            Factor::Risk => self.risk,
            Factor::Tier => self.tier,
            Factor::Price => self.price,
            Factor::Household => self.household,
            Factor::Pets => self.pets,
            Factor::PreferredArea => self.preferred_area,
            Factor::PlacementType => self.placement_type,
        }
    }

    /// Refuses negative or non-numeric weights (a negative distance weight would send children
    /// further away) and scales of zero or less.
    pub fn validate(&self) -> Result<(), WeightsError> {
        for f in Factor::ALL {
            let w = self.get(f);
            if !w.is_finite() || w < 0.0 {
                return Err(WeightsError(factor_key(f)));
            }
        }
        for (name, v) in
            [("distance_half_miles", self.distance_half_miles), ("school_half_miles", self.school_half_miles)]
        {
            if !v.is_finite() || v <= 0.0 {
                return Err(WeightsError(name));
            }
        }
        Ok(())
    }

    /// The weights as the scorer uses them: anything [`Weights::validate`] refuses becomes its
    /// default, so ranking never fails or returns NaN scores.
    pub(crate) fn sanitised(&self) -> ([f32; Factor::COUNT], f32, f32) {
        let d = Weights::default();
        let pick = |v: f32, default: f32, min_exclusive: bool| {
            let ok = v.is_finite() && if min_exclusive { v > 0.0 } else { v >= 0.0 };
            if ok { v } else { default }
        };
        let w = Factor::ALL.map(|f| pick(self.get(f), d.get(f), false));
        (
            w,
            pick(self.distance_half_miles, d.distance_half_miles, true),
            pick(self.school_half_miles, d.school_half_miles, true),
        )
    }
}

/// The JSON field name of a factor's weight.
fn factor_key(f: Factor) -> &'static str {
    match f {
        Factor::ConnectedPerson => "connected_person",
        Factor::Distance => "distance",
        Factor::InsideArea => "inside_area",
        Factor::School => "school",
        Factor::Siblings => "siblings",
        Factor::Adaptations => "adaptations",
        Factor::Skills => "skills",
        Factor::Judgement => "judgement",
        Factor::Risk => "risk",
        Factor::Tier => "tier",
        Factor::Price => "price",
        Factor::Household => "household",
        Factor::Pets => "pets",
        Factor::PreferredArea => "preferred_area",
        Factor::PlacementType => "placement_type",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate_and_round_trip() {
        let w = Weights::default();
        assert!(w.validate().is_ok());
        let json = serde_json::to_string(&w).unwrap();
        assert_eq!(serde_json::from_str::<Weights>(&json).unwrap(), w);
        // A council's stored weights may name only what it changed.
        let partial: Weights = serde_json::from_str(r#"{"distance": 40}"#).unwrap();
        assert_eq!(partial.distance, 40.0);
        assert_eq!(partial.school, w.school);
        assert!(serde_json::from_str::<Weights>(r#"{"distnace": 40}"#).is_err());
    }

    #[test]
    fn bad_weights_are_refused_and_sanitised() {
        let w = Weights { distance: -1.0, school_half_miles: 0.0, ..Weights::default() };
        assert_eq!(w.validate(), Err(WeightsError("distance")));
        let (arr, _, school_half) = w.sanitised();
        assert_eq!(arr[Factor::Distance as usize], 25.0);
        assert_eq!(school_half, 10.0);
        let w = Weights { price: f32::NAN, ..Weights::default() };
        assert_eq!(w.validate(), Err(WeightsError("price")));
    }

    #[test]
    fn factor_keys_match_the_serialised_field_names() {
        let json = serde_json::to_value(Weights::default()).unwrap();
        for f in Factor::ALL {
            assert!(json.get(factor_key(f)).is_some(), "{f:?}");
        }
    }
}
