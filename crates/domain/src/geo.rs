//! Postcodes and distances. Distances are DfE's: straight line on the OS National Grid, in miles to one
//! decimal place, so that Hearth's "over 20 miles" agrees with the SSDA903 PL_DISTANCE figure.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A full UK postcode in its normal form: outward code, one space, inward code (e.g. `CV1 1AH`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Postcode(String);

/// A postcode district (outward code, e.g. `CV2` or `B90`): the precision Hearth shows to anyone
/// outside the child's council.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PostcodeDistrict(String);

fn valid_outward(o: &str) -> bool {
    // A9, A99, AA9, AA99, A9A, AA9A: one or two letters, a digit, then an optional digit or letter.
    let b = o.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if !(1..=2).contains(&letters) || b.len() <= letters || b.len() > letters + 2 {
        return false;
    }
    if !b[letters].is_ascii_digit() {
        return false;
    }
    b[letters + 1..].iter().all(|c| c.is_ascii_alphanumeric())
}

fn valid_inward(i: &str) -> bool {
    let b = i.as_bytes();
    b.len() == 3 && b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic()
}

impl Postcode {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        if compact.len() < 5 || compact.len() > 7 {
            return Err(DomainError::new("postcode", format!("'{}' is not a UK postcode, e.g. CV1 1AH", raw.trim())));
        }
        let (out, inw) = compact.split_at(compact.len() - 3);
        if !valid_outward(out) || !valid_inward(inw) {
            return Err(DomainError::new("postcode", format!("'{}' is not a UK postcode, e.g. CV1 1AH", raw.trim())));
        }
        Ok(Self(format!("{out} {inw}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn district(&self) -> PostcodeDistrict {
        let out = self.0.split(' ').next().unwrap_or_default();
        PostcodeDistrict(out.to_owned())
    }

    /// The postcode sector (`CV1 1`): the most precise location the Placements Data Standard suggests sharing.
    pub fn sector(&self) -> &str {
        &self.0[..self.0.len() - 2]
    }
}

impl PostcodeDistrict {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let t = raw.trim().to_ascii_uppercase();
        if valid_outward(&t) {
            Ok(Self(t))
        } else {
            Err(DomainError::new(
                "postcode_district",
                format!("'{}' is not a postcode district; give the first half of a postcode, e.g. CV2", raw.trim()),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_serde {
    ($t:ty) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Self::parse(&s).map_err(|e| serde::de::Error::custom(e.message))
            }
        }
    };
}
string_serde!(Postcode);
string_serde!(PostcodeDistrict);

/// A point on the OS National Grid (EPSG:27700), in metres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GridRef {
    pub easting: i32,
    pub northing: i32,
}

/// Miles as DfE reports them: one decimal place.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Miles(pub f64);

impl Miles {
    /// DfE's value for "a postcode is missing or the home is outside England".
    pub const UNKNOWN: Miles = Miles(999.9);
    /// The threshold of DfE's "placed more than 20 miles from home" measure.
    pub const TWENTY: Miles = Miles(20.0);

    pub fn is_unknown(self) -> bool {
        self.0 >= 999.9
    }

    /// DfE counts a child as "more than 20 miles from home" on the rounded figure, and never when unknown.
    pub fn over_twenty(self) -> bool {
        !self.is_unknown() && self.0 > Self::TWENTY.0
    }
}

const METRES_PER_MILE_DFE: f64 = 1000.0 * 1.6093;

impl GridRef {
    /// DfE's PL_DISTANCE: `round(hypot(ΔE, ΔN) / 1000 / 1.6093, 1)`.
    pub fn dfe_miles_to(self, other: GridRef) -> Miles {
        Miles(round1(self.raw_miles_to(other)))
    }

    /// The same measure, unrounded: for ranking, where ties at 0.1 mile would lose order.
    pub fn raw_miles_to(self, other: GridRef) -> f64 {
        let de = f64::from(self.easting - other.easting);
        let dn = f64::from(self.northing - other.northing);
        de.hypot(dn) / METRES_PER_MILE_DFE
    }
}

/// DfE's distance where either end may be unknown (999.9 then).
pub fn dfe_distance(home: Option<GridRef>, placement: Option<GridRef>) -> Miles {
    match (home, placement) {
        (Some(h), Some(p)) => h.dfe_miles_to(p),
        _ => Miles::UNKNOWN,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcodes_normalise_and_reject() {
        assert_eq!(Postcode::parse(" cv11ah ").unwrap().as_str(), "CV1 1AH");
        assert_eq!(Postcode::parse("B90 4AA").unwrap().district().as_str(), "B90");
        assert_eq!(Postcode::parse("WV10 6QH").unwrap().sector(), "WV10 6");
        assert_eq!(Postcode::parse("SW1A 1AA").unwrap().district().as_str(), "SW1A");
        for bad in ["", "CV1", "12345", "CV1 1A", "CVV1 1AH", "CV1 AAH"] {
            assert!(Postcode::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(PostcodeDistrict::parse("cv2").unwrap().as_str(), "CV2");
        assert!(PostcodeDistrict::parse("CV2 1").is_err());
    }

    #[test]
    fn dfe_distance_matches_the_formula() {
        // CV1 and B90 district centroids from Code-Point Open.
        let cv1 = GridRef { easting: 433664, northing: 279160 };
        let b90 = GridRef { easting: 411961, northing: 277824 };
        // hypot(21703, 1336) = 21744.08 m → 13.51 miles → 13.5
        assert_eq!(cv1.dfe_miles_to(b90), Miles(13.5));
        assert_eq!(dfe_distance(Some(cv1), None), Miles::UNKNOWN);
        assert!(!Miles::UNKNOWN.over_twenty());
        assert!(Miles(20.1).over_twenty());
        assert!(!Miles(20.0).over_twenty());
    }
}
