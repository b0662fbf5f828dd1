//! One cell of a published statistics table: a number, or one of the GSS symbols that stand where
//! a number is withheld or meaningless.

use serde::{Deserialize, Deserializer};
use std::fmt;

/// A published figure. DfE and Ofsted follow the Government Statistical Service's symbols: a parser
/// that only accepted digits would fail on the first suppressed cell, and one that read the symbols
/// as zero would overstate how much is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Figure {
    Value(u32),
    /// `c`: suppressed to protect confidentiality (a small number, or one that would reveal one).
    Suppressed,
    /// `z`: not applicable.
    NotApplicable,
    /// `x`: not available.
    NotAvailable,
    /// `k`: rounds to zero but is not zero (percentages below 0.5).
    RoundsToZero,
}

impl Figure {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let t = raw.trim();
        match t {
            "c" => Ok(Self::Suppressed),
            "z" => Ok(Self::NotApplicable),
            "x" => Ok(Self::NotAvailable),
            "k" => Ok(Self::RoundsToZero),
            _ => t
                .parse()
                .map(Self::Value)
                .map_err(|_| format!("'{t}' is neither a count nor a GSS symbol (c, z, x, k)")),
        }
    }

    /// The number, when one was published.
    pub const fn value(self) -> Option<u32> {
        match self {
            Self::Value(v) => Some(v),
            _ => None,
        }
    }

    pub const fn is_suppressed(self) -> bool {
        matches!(self, Self::Suppressed)
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Value(v) => write!(f, "{v}"),
            Self::Suppressed => f.write_str("c"),
            Self::NotApplicable => f.write_str("z"),
            Self::NotAvailable => f.write_str("x"),
            Self::RoundsToZero => f.write_str("k"),
        }
    }
}

impl<'de> Deserialize<'de> for Figure {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_every_symbol() {
        assert_eq!(Figure::parse("684"), Ok(Figure::Value(684)));
        assert_eq!(Figure::parse(" 0 "), Ok(Figure::Value(0)));
        assert_eq!(Figure::parse("c"), Ok(Figure::Suppressed));
        assert_eq!(Figure::parse("z"), Ok(Figure::NotApplicable));
        assert_eq!(Figure::parse("x"), Ok(Figure::NotAvailable));
        assert_eq!(Figure::parse("k"), Ok(Figure::RoundsToZero));
        assert_eq!(Figure::Suppressed.value(), None);
        assert_eq!(Figure::Value(7).value(), Some(7));
        for bad in ["", "C", "-3", "1.5", "n/a"] {
            assert!(Figure::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Figure::RoundsToZero.to_string(), "k");
    }
}
