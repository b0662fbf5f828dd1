//! Homes: foster households, children's homes, schools, secure homes and supported accommodation, with
//! what Ofsted says of them and what they can offer.

use crate::DomainError;
use crate::code_list;
use crate::geo::{GridRef, PostcodeDistrict};
use crate::ids::{HomeId, OrganisationId, VacancyId};
use crate::ssda903::PlacementType;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

code_list! {
    /// The kinds of home Hearth places children in. Supported-accommodation kinds are the Coventry
    /// sufficiency strategy's.
    pub enum HomeKind ("home_kind") {
        FosterInHouse = "foster_in_house" => "In-house foster household",
        FosterAgency = "foster_agency" => "Independent fostering agency household",
        ConnectedPerson = "connected_person" => "Connected person (family and friends) foster carer",
        ChildrensHome = "childrens_home" => "Children's home",
        ResidentialSpecialSchool = "residential_special_school" => "Residential special school",
        SecureChildrensHome = "secure_childrens_home" => "Secure children's home",
        SaSharedHouse = "sa_shared_house" => "Supported accommodation: shared house",
        SaSingle = "sa_single" => "Supported accommodation: single occupancy",
        SaSupportedLodgings = "sa_supported_lodgings" => "Supported accommodation: supported lodgings",
        SaStaffedShared = "sa_staffed_shared" => "Supported accommodation: 24/7 staffed shared",
        SaFloatingSupport = "sa_floating_support" => "Supported accommodation: floating support",
        SaLowSupport = "sa_low_support" => "Supported accommodation: low support",
    }
}

impl HomeKind {
    pub const fn is_foster(self) -> bool {
        matches!(self, Self::FosterInHouse | Self::FosterAgency | Self::ConnectedPerson)
    }

    pub const fn is_supported_accommodation(self) -> bool {
        matches!(
            self,
            Self::SaSharedHouse
                | Self::SaSingle
                | Self::SaSupportedLodgings
                | Self::SaStaffedShared
                | Self::SaFloatingSupport
                | Self::SaLowSupport
        )
    }

    /// Settings Ofsted must register before a child may be placed there.
    pub const fn requires_ofsted_registration(self) -> bool {
        matches!(self, Self::ChildrensHome | Self::SecureChildrensHome | Self::ResidentialSpecialSchool)
            || self.is_supported_accommodation()
    }

    /// The SSDA903 PLACE code for a placement here; `long_term` for fostering that is the permanence plan.
    pub const fn placement_type(self, long_term: bool) -> PlacementType {
        match self {
            Self::ConnectedPerson if long_term => PlacementType::U1,
            Self::ConnectedPerson => PlacementType::U3,
            Self::FosterInHouse | Self::FosterAgency if long_term => PlacementType::U4,
            Self::FosterInHouse | Self::FosterAgency => PlacementType::U6,
            Self::ChildrensHome => PlacementType::K2,
            Self::SecureChildrensHome => PlacementType::K1,
            Self::ResidentialSpecialSchool => PlacementType::S1,
            _ => PlacementType::K3,
        }
    }
}

code_list! {
    /// Ofsted's overall judgement.
    pub enum Judgement ("ofsted_judgement") {
        Outstanding = "outstanding" => "Outstanding",
        Good = "good" => "Good",
        RequiresImprovement = "requires_improvement" => "Requires improvement to be good",
        Inadequate = "inadequate" => "Inadequate",
    }
}

impl Judgement {
    /// Reads Ofsted's own wording ("Requires improvement to be good") as well as the codes.
    pub fn from_ofsted(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase();
        if t.starts_with("outstanding") {
            Some(Self::Outstanding)
        } else if t.starts_with("good") {
            Some(Self::Good)
        } else if t.starts_with("requires improvement") {
            Some(Self::RequiresImprovement)
        } else if t.starts_with("inadequate") {
            Some(Self::Inadequate)
        } else {
            None
        }
    }
}

code_list! {
    pub enum RegistrationStatus ("registration_status") {
        Registered = "registered" => "Registered with Ofsted",
        Applied = "applied" => "Applied for registration",
        Suspended = "suspended" => "Registration suspended",
        NotRequired = "not_required" => "Registration not required",
    }
}

code_list! {
    /// The commissioners' own view of a provider's risk, from monitoring and quality visits.
    pub enum RiskRating ("risk_rating") {
        Low = "low" => "Low",
        Medium = "medium" => "Medium",
        High = "high" => "High",
    }
}

code_list! {
    /// What a home is approved or registered for beyond the ordinary: matched against a child's needs.
    pub enum Skill ("skill") {
        Disability = "disability" => "Children with disabilities",
        WheelchairAccess = "wheelchair_access" => "Wheelchair-accessible home",
        Teenagers = "teenagers" => "Teenagers",
        ParentAndChild = "parent_and_child" => "Parent and child",
        Emergency = "emergency" => "Emergency and out-of-hours placements",
        StepDown = "step_down" => "Step-down from residential care",
        SiblingGroups = "sibling_groups" => "Sibling groups",
        Therapeutic = "therapeutic" => "Therapeutic care",
        EmotionalBehavioural = "emotional_behavioural" => "Emotional and behavioural difficulties",
        Autism = "autism" => "Autism and ADHD",
        Exploitation = "exploitation" => "Children at risk of exploitation",
        Uasc = "uasc" => "Unaccompanied asylum-seeking children",
        RemandPace = "remand_pace" => "Remand and PACE beds",
    }
}

/// A set of [`Skill`]s packed into bits: compact for the matching index, cheap to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Skills(u32);

impl Skills {
    pub const fn empty() -> Self {
        Self(0)
    }
    pub fn bit(s: Skill) -> u32 {
        let pos = Skill::ALL.iter().position(|x| *x == s).unwrap_or(0);
        1 << pos
    }
    pub fn with(mut self, s: Skill) -> Self {
        self.0 |= Self::bit(s);
        self
    }
    pub fn contains(self, s: Skill) -> bool {
        self.0 & Self::bit(s) != 0
    }
    pub const fn contains_all(self, other: Skills) -> bool {
        self.0 & other.0 == other.0
    }
    pub const fn bits(self) -> u32 {
        self.0
    }
    pub const fn from_bits(bits: u32) -> Self {
        Self(bits)
    }
    pub fn iter(self) -> impl Iterator<Item = Skill> {
        Skill::ALL.iter().copied().filter(move |s| self.contains(*s))
    }
}

impl FromIterator<Skill> for Skills {
    fn from_iter<I: IntoIterator<Item = Skill>>(iter: I) -> Self {
        iter.into_iter().fold(Skills::empty(), Skills::with)
    }
}

impl Serialize for Skills {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Skills {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<Skill>::deserialize(d)?.into_iter().collect())
    }
}

code_list! {
    /// Who a home will take: its approval or registration.
    pub enum SexAccepted ("sex_accepted") {
        Any = "any" => "Any",
        MaleOnly = "male" => "Boys and young men only",
        FemaleOnly = "female" => "Girls and young women only",
    }
}

/// An inclusive age range in whole years, 0–17 (supported accommodation: 16–17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgeRange {
    pub min: u8,
    pub max: u8,
}

impl AgeRange {
    pub fn new(min: u8, max: u8) -> Result<Self, DomainError> {
        if max > 17 {
            return Err(DomainError::new("age_max", "the oldest age a home takes is 17"));
        }
        if min > max {
            return Err(DomainError::new("age_min", format!("the youngest age ({min}) is above the oldest ({max})")));
        }
        Ok(Self { min, max })
    }
    pub fn contains(self, age: i16) -> bool {
        age >= i16::from(self.min) && age <= i16::from(self.max)
    }
}

/// A sum of whole pounds as people write it: `£12,345`. The matching engine's reasons and the pages
/// both say prices this way.
pub fn pounds(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("£{out}")
}

/// Weekly price in whole pounds. Refuses zero, negatives and amounts no placement costs (over £50,000 a week).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct WeeklyPrice(u32);

impl WeeklyPrice {
    pub const MAX: u32 = 50_000;
    pub fn new(pounds: i64) -> Result<Self, DomainError> {
        if pounds <= 0 {
            return Err(DomainError::new("weekly_price", "the weekly price must be more than £0"));
        }
        if pounds > i64::from(Self::MAX) {
            return Err(DomainError::new(
                "weekly_price",
                format!("£{pounds} a week is above £{} a week; check the figure", Self::MAX),
            ));
        }
        Ok(Self(pounds as u32))
    }
    pub const fn pounds(self) -> u32 {
        self.0
    }
    /// For constants only: panics at compile time outside 1..=MAX.
    pub const fn from_const(pounds: u32) -> Self {
        assert!(pounds > 0 && pounds <= Self::MAX, "a weekly price is £1 to £50,000");
        Self(pounds)
    }
}

impl TryFrom<i64> for WeeklyPrice {
    type Error = String;
    fn try_from(v: i64) -> Result<Self, String> {
        Self::new(v).map_err(|e| e.message)
    }
}
impl From<WeeklyPrice> for i64 {
    fn from(p: WeeklyPrice) -> i64 {
        i64::from(p.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Home {
    pub id: HomeId,
    pub provider: OrganisationId,
    pub kind: HomeKind,
    pub name: String,
    /// Ofsted's unique reference number: the setting's for homes, the agency's for IFA households.
    pub urn: Option<String>,
    pub registration: RegistrationStatus,
    pub judgement: Option<Judgement>,
    pub last_inspected: Option<Date>,
    pub risk: RiskRating,
    /// DfE LA code of the council whose area the home is in (`None` outside the region).
    pub la_code: Option<u16>,
    /// ONS upper-tier code of where the home is (for PL_LA).
    pub utla: String,
    pub district: PostcodeDistrict,
    /// Placement location; children's homes' real addresses are withheld, so this is a plausible point.
    pub grid: GridRef,
    pub places: u16,
    pub ages: AgeRange,
    pub sex: SexAccepted,
    pub skills: Skills,
    /// Foster households: children already living there (the carers' own and placed children).
    pub other_children: u8,
    pub pets: bool,
    /// Price the provider asks when no contract sets it.
    pub weekly_price: WeeklyPrice,
    pub active: bool,
}

impl Home {
    /// A vacancy's free places must be at least `min` (0 closes it, when allowed) and never more than
    /// the home has in all.
    pub fn check_free_places(&self, places: u16, min: u16) -> Result<(), DomainError> {
        if places < min || places > self.places {
            return Err(DomainError::new(
                "places",
                format!("{} has {} places in all; give {min} to {}", self.name, self.places, self.places),
            ));
        }
        Ok(())
    }
}

/// Places a home has free from a date. The matching index and acceptance both read these.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Vacancy {
    pub id: VacancyId,
    pub home: HomeId,
    pub places: u16,
    pub available_from: Date,
    pub ages: AgeRange,
    pub sex: SexAccepted,
    pub weekly_price: WeeklyPrice,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pounds_have_thousands_separators() {
        assert_eq!(pounds(0), "£0");
        assert_eq!(pounds(950), "£950");
        assert_eq!(pounds(4_200), "£4,200");
        assert_eq!(pounds(50_000), "£50,000");
        assert_eq!(pounds(1_234_567), "£1,234,567");
    }

    #[test]
    fn skills_pack_and_unpack() {
        let s: Skills = [Skill::Teenagers, Skill::Emergency].into_iter().collect();
        assert!(s.contains(Skill::Emergency));
        assert!(!s.contains(Skill::Disability));
        assert_eq!(Skills::from_bits(s.bits()), s);
        assert_eq!(serde_json::to_string(&s).unwrap(), r#"["teenagers","emergency"]"#);
    }

    #[test]
    fn ranges_and_prices_refuse_nonsense() {
        assert!(AgeRange::new(16, 17).is_ok());
        assert_eq!(AgeRange::new(12, 8).unwrap_err().field, "age_min");
        assert!(AgeRange::new(0, 18).is_err());
        assert!(WeeklyPrice::new(0).is_err());
        assert!(WeeklyPrice::new(-5).is_err());
        assert!(WeeklyPrice::new(1_000_000).is_err());
        assert_eq!(WeeklyPrice::new(968).unwrap().pounds(), 968);
    }

    #[test]
    fn ofsted_wording() {
        assert_eq!(Judgement::from_ofsted("Requires improvement to be good"), Some(Judgement::RequiresImprovement));
        assert_eq!(Judgement::from_ofsted(""), None);
        assert_eq!(HomeKind::SaSingle.placement_type(false), PlacementType::K3);
        assert!(HomeKind::SaSingle.requires_ofsted_registration());
        assert!(!HomeKind::FosterAgency.requires_ofsted_registration());
    }
}
