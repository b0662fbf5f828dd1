//! A home's places: how many are filled, how many are advertised free, and so how many a provider may
//! still offer or a council still fill. The one rule the store applies inside every write that changes
//! them (opening or changing a vacancy, accepting an offer, moving a child in), and the sentences people
//! read when it refuses.
//!
//! What counts:
//! - **placed**: placements in the home that have not ended, including ones that start later (the place
//!   is promised);
//! - **advertised**: the free places of all the home's vacancies;
//! - the rule: placed + advertised never exceeds the home's places, and placed never does.

use crate::DomainError;

/// A home's places as the database finds them inside the write that would change them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occupancy {
    /// The places the home has in all (its registration or approval).
    pub places: u16,
    /// Children placed there: placements in the home not yet ended.
    pub placed: u32,
    /// Free places across all the home's vacancies.
    pub advertised: u32,
}

impl Occupancy {
    /// Places neither filled by a child nor advertised in a vacancy.
    pub fn unclaimed(&self) -> u32 {
        u32::from(self.places).saturating_sub(self.placed + self.advertised)
    }

    /// Changing one vacancy of the home from `before` free places (0 for a new one) to `after`. Keeping or
    /// lowering a vacancy's places is always allowed, so a home that was over-advertised before this rule
    /// can still be corrected (or have its price changed); raising them may not take the home past its
    /// places. `min` is the fewest places the write allows (1 to open a vacancy, 0 to change one).
    pub fn check_vacancy(&self, home: &str, before: u16, after: u16, min: u16) -> Result<(), DomainError> {
        if after <= before {
            return Ok(());
        }
        let others = self.advertised.saturating_sub(u32::from(before));
        let most = u32::from(self.places).saturating_sub(self.placed + others);
        if u32::from(after) <= most {
            return Ok(());
        }
        let taken =
            format!("{} placed there and {} free in its other vacancies", count_children(self.placed), places(others));
        let message = if most == 0 {
            format!(
                "{home} has {} in all, {taken}, so no place is left to offer; lower or close another vacancy first",
                places(u32::from(self.places))
            )
        } else {
            format!(
                "{home} has {} in all, {taken}, so {} left; give {min} to {most}",
                places(u32::from(self.places)),
                if most == 1 { "1 is".to_owned() } else { format!("{most} are") }
            )
        };
        Err(DomainError::new("places", message))
    }

    /// Placing `children` more in the home (accepting an offer, moving a child in). Refused when the
    /// home would hold more children than it has places; the message says how many are free.
    pub fn check_placing(&self, home: &str, children: u16) -> Result<(), DomainError> {
        if self.placed + u32::from(children) <= u32::from(self.places) {
            return Ok(());
        }
        let free = u32::from(self.places).saturating_sub(self.placed);
        let message = if free == 0 {
            format!(
                "the home has no free place left: {home} has {} in all and {} placed there",
                places(u32::from(self.places)),
                count_children(self.placed)
            )
        } else {
            format!(
                "{home} has only {} free ({} in all, {} placed there), and {} would be placed",
                places(free),
                places(u32::from(self.places)),
                count_children(self.placed),
                count_children(u32::from(children))
            )
        };
        Err(DomainError::new("places", message))
    }
}

fn places(n: u32) -> String {
    if n == 1 { "1 place".to_owned() } else { format!("{n} places") }
}

fn count_children(n: u32) -> String {
    if n == 1 { "1 child".to_owned() } else { format!("{n} children") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn home(places: u16, placed: u32, advertised: u32) -> Occupancy {
        Occupancy { places, placed, advertised }
    }

    #[test]
    fn a_full_home_cannot_open_a_vacancy() {
        // The case: one place, one child.
        let e = home(1, 1, 0).check_vacancy("Ash House", 0, 1, 1).unwrap_err();
        assert_eq!(e.field, "places");
        assert_eq!(
            e.message,
            "Ash House has 1 place in all, 1 child placed there and 0 places free in its other vacancies, so no \
             place is left to offer; lower or close another vacancy first"
        );
    }

    #[test]
    fn vacancies_add_up_to_the_places_left() {
        // A 3-place household with 3 advertised may not advertise 2 more...
        let e = home(3, 0, 3).check_vacancy("Oak", 0, 2, 1).unwrap_err();
        assert!(e.message.contains("no place is left"), "{}", e.message);
        // ...but one vacancy of the three may be raised to what the others leave.
        let h = home(5, 1, 2);
        assert!(h.check_vacancy("Oak", 1, 3, 0).is_ok());
        let e = h.check_vacancy("Oak", 1, 4, 0).unwrap_err();
        assert_eq!(
            e.message,
            "Oak has 5 places in all, 1 child placed there and 1 place free in its other vacancies, so 3 are \
             left; give 0 to 3"
        );
    }

    #[test]
    fn lowering_or_keeping_is_always_allowed() {
        // Over-advertised before the rule: still correctable, and its price can change.
        let h = home(3, 1, 8);
        assert!(h.check_vacancy("Oak", 3, 3, 0).is_ok());
        assert!(h.check_vacancy("Oak", 3, 0, 0).is_ok());
        assert!(home(1, 1, 0).check_vacancy("Oak", 0, 0, 0).is_ok());
    }

    #[test]
    fn placing_never_exceeds_the_places() {
        assert!(home(2, 1, 0).check_placing("Oak", 1).is_ok());
        let e = home(1, 1, 0).check_placing("Oak", 1).unwrap_err();
        assert_eq!(e.message, "the home has no free place left: Oak has 1 place in all and 1 child placed there");
        let e = home(3, 1, 0).check_placing("Oak", 4).unwrap_err();
        assert_eq!(
            e.message,
            "Oak has only 2 places free (3 places in all, 1 child placed there), and 4 children would be placed"
        );
    }
}
