use crate::Ssda903Error;
use jiff::civil::{Date, date};

/// A collection year, 1 April to 31 March, named by the year it ends in as DfE's code lists are
/// (`2026` is 1 April 2025 – 31 March 2026, the "2025 to 2026" return). The same convention as
/// [`hearth_domain::PlacementType::valid_in`], so a code's validity is read for the year as named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CollectionYear {
    ending: i16,
}

impl CollectionYear {
    /// The first year whose codes Hearth knows (the 2022/23 lists); the last one is a guard against typos.
    pub const EARLIEST: i16 = 2023;
    pub const LATEST: i16 = 2100;

    pub fn new(ending: i16) -> Result<Self, Ssda903Error> {
        if (Self::EARLIEST..=Self::LATEST).contains(&ending) {
            Ok(Self { ending })
        } else {
            Err(Ssda903Error::BadYear(format!(
                "{ending} is not a collection year Hearth can export; give the year it ends in, from {} (1 April {} to 31 March {})",
                Self::EARLIEST,
                Self::EARLIEST - 1,
                Self::EARLIEST
            )))
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Ssda903Error> {
        let t = raw.trim();
        let ending = t.parse::<i16>().map_err(|_| {
            Ssda903Error::BadYear(format!("'{t}' is not a year; give the year the collection ends in, e.g. 2026"))
        })?;
        Self::new(ending)
    }

    /// The year it ends in (`2026`).
    pub const fn ending(self) -> i16 {
        self.ending
    }

    /// 1 April of the year before.
    pub fn start(self) -> Date {
        date(self.ending - 1, 4, 1)
    }

    /// 31 March: the return describes care as it stood at the end of this day.
    pub fn end(self) -> Date {
        date(self.ending, 3, 31)
    }

    /// "2025 to 2026", as DfE names the collection.
    pub fn label(self) -> String {
        format!("{} to {}", self.ending - 1, self.ending)
    }

    /// SEX is `M`/`F`/`U` from 2024/25, `1`/`2` before.
    pub const fn letter_sex_codes(self) -> bool {
        self.ending >= 2025
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_run_april_to_march_and_refuse_nonsense() {
        let y = CollectionYear::parse("2026").unwrap();
        assert_eq!((y.start(), y.end()), (date(2025, 4, 1), date(2026, 3, 31)));
        assert_eq!(y.label(), "2025 to 2026");
        assert!(CollectionYear::parse("26x").is_err());
        assert!(CollectionYear::new(1999).unwrap_err().to_string().contains("2023"));
    }
}
