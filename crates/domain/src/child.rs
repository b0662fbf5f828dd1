//! Children looked after. A child is known by a pseudonymous reference, never by name, outside the
//! council that looks after them.

use crate::DomainError;
use crate::code_list;
use crate::geo::{Postcode, PostcodeDistrict};
use crate::ids::{ChildId, SiblingGroupId};
use crate::ssda903::{CategoryOfNeed, Ethnicity, LegalStatus, Sex};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The council's identifier for a child: 1–10 letters and digits, as the SSDA903 CHILD field allows.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ChildReference(String);

impl ChildReference {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let t = raw.trim();
        if (1..=10).contains(&t.len()) && t.chars().all(|c| c.is_ascii_alphanumeric()) {
            Ok(Self(t.to_owned()))
        } else {
            Err(DomainError::new("reference", "a child's reference is 1 to 10 letters or digits, with no spaces"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ChildReference {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s).map_err(|e| e.message)
    }
}
impl From<ChildReference> for String {
    fn from(r: ChildReference) -> String {
        r.0
    }
}

code_list! {
    /// Special educational needs support.
    pub enum SenStatus ("sen") {
        None = "none" => "No special educational needs",
        SenSupport = "sen_support" => "SEN support",
        Ehcp = "ehcp" => "Education, health and care plan",
    }
}

code_list! {
    /// How a connected person is related to the child.
    pub enum Relationship ("relationship") {
        Grandparent = "grandparent" => "Grandparent",
        AuntUncle = "aunt_uncle" => "Aunt or uncle",
        AdultSibling = "adult_sibling" => "Adult sibling",
        OtherRelative = "other_relative" => "Other relative",
        FamilyFriend = "family_friend" => "Family friend",
    }
}

/// Age bands DfE's tables use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum AgeBand {
    #[serde(rename = "under 1")]
    Under1,
    #[serde(rename = "1 to 4")]
    OneToFour,
    #[serde(rename = "5 to 9")]
    FiveToNine,
    #[serde(rename = "10 to 15")]
    TenToFifteen,
    #[serde(rename = "16 and over")]
    SixteenPlus,
}

impl AgeBand {
    pub const ALL: [AgeBand; 5] =
        [Self::Under1, Self::OneToFour, Self::FiveToNine, Self::TenToFifteen, Self::SixteenPlus];

    pub fn of_age(years: i16) -> Self {
        match years {
            i16::MIN..=0 => Self::Under1,
            1..=4 => Self::OneToFour,
            5..=9 => Self::FiveToNine,
            10..=15 => Self::TenToFifteen,
            _ => Self::SixteenPlus,
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::Under1 => "Under 1 year",
            Self::OneToFour => "1 to 4 years",
            Self::FiveToNine => "5 to 9 years",
            Self::TenToFifteen => "10 to 15 years",
            Self::SixteenPlus => "16 years and over",
        }
    }
}

/// Whole years between `dob` and `on` (a birthday counts from the day itself).
pub fn age_on(dob: Date, on: Date) -> i16 {
    let mut years = on.year() - dob.year();
    if (on.month(), on.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    years
}

/// Checks a child's date of birth: not in the future and young enough to be looked after (under 18)
/// on `today`. Care leavers have their own records; Hearth places children.
pub fn parse_child_dob(raw: &str, today: Date) -> Result<Date, DomainError> {
    let dob: Date = raw.trim().parse().map_err(|_| {
        DomainError::new("date_of_birth", format!("'{}' is not a date; write it as YYYY-MM-DD", raw.trim()))
    })?;
    if dob > today {
        return Err(DomainError::new("date_of_birth", "the date of birth is in the future"));
    }
    if age_on(dob, today) >= 18 {
        return Err(DomainError::new(
            "date_of_birth",
            "the child would be 18 or over; Hearth places children aged 0 to 17",
        ));
    }
    Ok(dob)
}

/// A relative or friend who could care for the child (s22C(6)(a)); `carer_home` is set once they are
/// an approved foster carer (a connected-person home), which the law prefers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectedPerson {
    pub relationship: Relationship,
    pub district: Option<PostcodeDistrict>,
    pub carer_home: Option<crate::ids::HomeId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Child {
    pub id: ChildId,
    /// DfE LA code of the council that looks after the child.
    pub la_code: u16,
    pub reference: ChildReference,
    pub date_of_birth: Date,
    pub sex: Sex,
    pub ethnicity: Ethnicity,
    pub uasc: bool,
    pub disability: bool,
    pub sen: SenStatus,
    /// Full postcode of the home address (for DfE distance); `None` for UASC and others DfE exempts.
    pub home_postcode: Option<Postcode>,
    pub home_district: Option<PostcodeDistrict>,
    pub school_district: Option<PostcodeDistrict>,
    pub legal_status: LegalStatus,
    /// CIN: the category of need recorded when the current period of care began (SSDA903 Episodes);
    /// `None` when the council has not recorded it.
    #[serde(default)]
    pub category_of_need: Option<CategoryOfNeed>,
    pub sibling_group: Option<SiblingGroupId>,
    /// The day the current period of care began.
    pub looked_after_since: Date,
    /// The day the child left care, if they have.
    pub ceased_on: Option<Date>,
    pub connected_persons: Vec<ConnectedPerson>,
}

impl Child {
    pub fn age_on(&self, on: Date) -> i16 {
        age_on(self.date_of_birth, on)
    }
}

/// A change of legal status: the start of a run of one LS code, for the SSDA903 episode chain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LegalStatusChange {
    pub child: ChildId,
    pub legal_status: LegalStatus,
    pub from: Date,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn ages_and_bands() {
        assert_eq!(age_on(date(2010, 3, 31), date(2025, 3, 30)), 14);
        assert_eq!(age_on(date(2010, 3, 31), date(2025, 3, 31)), 15);
        assert_eq!(AgeBand::of_age(0), AgeBand::Under1);
        assert_eq!(AgeBand::of_age(16), AgeBand::SixteenPlus);
    }

    #[test]
    fn date_of_birth_rules() {
        let today = date(2026, 11, 25);
        assert!(parse_child_dob("2012-05-01", today).is_ok());
        assert!(parse_child_dob("2027-01-01", today).unwrap_err().message.contains("future"));
        assert!(parse_child_dob("2008-11-25", today).unwrap_err().message.contains("18"));
        assert!(parse_child_dob("01/05/2012", today).unwrap_err().message.contains("YYYY-MM-DD"));
        assert!(ChildReference::parse("AB 12").is_err());
        assert!(ChildReference::parse("CHILD12345X").is_err());
    }
}
