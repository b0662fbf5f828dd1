//! The shape every lifecycle shares: referral, offer, a provider's answer to a sending, placement,
//! agreement. Each status type lists its allowed moves once, in [`Lifecycle::MOVES`]; the service,
//! the store, the pages and the reports ask it (`can_become`, `check_move`, the types' own `is_live`
//! and `LIVE`) instead of writing the same list of statuses again.
//!
//! Who may give which role is the same kind of question about people; it is answered in
//! [`crate::access`] (`Principal::may_give_role`).

use std::fmt;

/// A status with a transition table.
pub trait Lifecycle: Copy + Eq + fmt::Debug + 'static {
    /// What the status is of, in words ("referral"), for the sentence a refused move reads.
    const NOUN: &'static str;
    /// Every allowed move, `(from, to)`. A move not listed is refused.
    const MOVES: &'static [(Self, Self)];

    /// The status in words, lower case ("offers received").
    fn words(self) -> String;

    fn can_become(self, to: Self) -> bool {
        Self::MOVES.contains(&(self, to))
    }

    /// `to`, if the table allows the move.
    fn check_move(self, to: Self) -> Result<Self, NotAllowed<Self>> {
        if self.can_become(to) { Ok(to) } else { Err(NotAllowed { from: self, to }) }
    }

    /// No move leaves this status: the record's story is over.
    fn is_final(self) -> bool {
        !Self::MOVES.iter().any(|(from, _)| *from == self)
    }
}

/// A move the lifecycle's table does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub struct NotAllowed<S: Lifecycle> {
    pub from: S,
    pub to: S,
}

impl<S: Lifecycle> fmt::Display for NotAllowed<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a {} that is {} cannot become {}", S::NOUN, self.from.words(), self.to.words())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::AgreementStatus;
    use crate::dispatch::ProviderAnswer;
    use crate::offer::OfferStatus;
    use crate::placement::PlacementStatus;
    use crate::referral::ReferralStatus;

    /// Every table is well formed: no move to itself, none listed twice, none out of a final status.
    fn well_formed<S: Lifecycle>(all: &[S]) {
        for (i, (from, to)) in S::MOVES.iter().enumerate() {
            assert_ne!(from, to, "{} moves to itself", S::NOUN);
            assert!(!S::MOVES[i + 1..].contains(&(*from, *to)), "{} lists {from:?} -> {to:?} twice", S::NOUN);
        }
        for s in all {
            assert_eq!(s.is_final(), !all.iter().any(|t| s.can_become(*t)), "{s:?}");
        }
    }

    #[test]
    fn every_table_is_well_formed() {
        well_formed(ReferralStatus::ALL);
        well_formed(OfferStatus::ALL);
        well_formed(ProviderAnswer::ALL);
        well_formed(PlacementStatus::ALL);
        well_formed(AgreementStatus::ALL);
    }

    #[test]
    fn a_refused_move_says_what_of_and_from_where() {
        let e = ReferralStatus::Placed.check_move(ReferralStatus::Open).unwrap_err();
        assert_eq!(e.to_string(), "a referral that is placed cannot become open");
        assert_eq!(OfferStatus::Made.check_move(OfferStatus::Accepted), Ok(OfferStatus::Accepted));
    }
}
