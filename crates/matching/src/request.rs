//! The query: one child or a sibling group, described once by the placement officer.

use crate::needs::NeedSet;
use hearth_domain::child::Child;
use hearth_domain::council::{Council, council_by_la_code};
use hearth_domain::home::{HomeKind, Skills, WeeklyPrice};
use hearth_domain::referral::{Referral, Urgency};
use hearth_domain::{GridRef, HomeId, PostcodeDistrict, Sex};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The groups of [`HomeKind`] an officer chooses between on the referral form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementKind {
    /// In-house, agency and connected-person foster households.
    Foster,
    ChildrensHome,
    ResidentialSchool,
    Secure,
    SupportedAccommodation,
}

impl PlacementKind {
    pub const ALL: [PlacementKind; 5] =
        [Self::Foster, Self::ChildrensHome, Self::ResidentialSchool, Self::Secure, Self::SupportedAccommodation];

    pub const fn of(kind: HomeKind) -> Self {
        match kind {
            HomeKind::FosterInHouse | HomeKind::FosterAgency | HomeKind::ConnectedPerson => Self::Foster,
            HomeKind::ChildrensHome => Self::ChildrensHome,
            HomeKind::ResidentialSpecialSchool => Self::ResidentialSchool,
            HomeKind::SecureChildrensHome => Self::Secure,
            HomeKind::SaSharedHouse
            | HomeKind::SaSingle
            | HomeKind::SaSupportedLodgings
            | HomeKind::SaStaffedShared
            | HomeKind::SaFloatingSupport
            | HomeKind::SaLowSupport => Self::SupportedAccommodation,
        }
    }

    pub const fn label(self) -> &'static str {
        match self {
            Self::Foster => "Foster care",
            Self::ChildrensHome => "Children's home",
            Self::ResidentialSchool => "Residential special school",
            Self::Secure => "Secure children's home",
            Self::SupportedAccommodation => "Supported accommodation (16 and 17)",
        }
    }

    const fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// The placement kinds an officer would accept. Serialises as a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Vec<PlacementKind>", into = "Vec<PlacementKind>")]
pub struct PlacementKinds(u8);

impl PlacementKinds {
    pub const fn none() -> Self {
        Self(0)
    }

    /// What an officer would usually accept when nothing more is said: a family first, a children's
    /// home, and supported accommodation (which the hard rules still refuse under 16). Residential
    /// schools and secure homes are asked for on purpose, never by default.
    pub const fn usual() -> Self {
        Self(
            PlacementKind::Foster.bit()
                | PlacementKind::ChildrensHome.bit()
                | PlacementKind::SupportedAccommodation.bit(),
        )
    }

    pub const fn only(kind: PlacementKind) -> Self {
        Self(kind.bit())
    }

    #[must_use]
    pub const fn with(self, kind: PlacementKind) -> Self {
        Self(self.0 | kind.bit())
    }

    pub const fn contains(self, kind: PlacementKind) -> bool {
        self.0 & kind.bit() != 0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn iter(self) -> impl Iterator<Item = PlacementKind> {
        PlacementKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }
}

impl FromIterator<PlacementKind> for PlacementKinds {
    fn from_iter<I: IntoIterator<Item = PlacementKind>>(iter: I) -> Self {
        iter.into_iter().fold(Self::none(), Self::with)
    }
}

serde_as_list!(PlacementKinds, PlacementKind);

/// One child in the request: only what matching needs, never a name or a date of birth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildProfile {
    /// Age in whole years on the start date.
    pub age: u8,
    pub sex: Sex,
    /// The child is disabled: the home must be approved or registered for disabled children.
    pub disability: bool,
    /// The child uses a wheelchair: the home must be wheelchair-accessible.
    #[serde(default)]
    pub wheelchair_user: bool,
    #[serde(default)]
    pub uasc: bool,
    /// Every need and risk the referral names (scored against the home's skills).
    #[serde(default)]
    pub needs: NeedSet,
    /// The needs the home must be registered or approved for (see [`crate::needs`]).
    #[serde(default)]
    pub primary_needs: NeedSet,
}

impl ChildProfile {
    pub fn new(age: u8, sex: Sex) -> Self {
        Self {
            age,
            sex,
            disability: false,
            wheelchair_user: false,
            uasc: false,
            needs: NeedSet::empty(),
            primary_needs: NeedSet::empty(),
        }
    }
}

/// What the household must (not) be like: hard rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Household {
    /// The child must be the only child in the household (besides their siblings).
    pub no_other_children: bool,
    /// No pets in the home (an allergy, a fear).
    pub no_pets: bool,
    /// The child brings a pet, so only a household that keeps pets.
    pub must_take_pets: bool,
}

/// A postcode district and its centre (the store's gazetteer places it; `None` when it does not
/// know the district, which then matches only homes recorded in it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub district: PostcodeDistrict,
    pub centre: Option<GridRef>,
}

/// Where "home" was measured from, so the distance sentence says so.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HomeBasis {
    /// The child's home postcode (or nothing is known: the sentence then says so).
    #[default]
    ChildsHome,
    /// The child's home postcode is not known; the centre of their last known home district.
    ChildsDistrict(PostcodeDistrict),
    /// Nothing is known of the child's home; the centre of the referral's preferred district.
    ReferralArea(PostcodeDistrict),
    /// A quick search near a district, with no child's home at all.
    SearchArea(PostcodeDistrict),
}

impl HomeBasis {
    /// What distances are measured from, as a noun phrase: "the child's home", "the centre of CV2".
    pub fn place(&self) -> String {
        match self {
            Self::ChildsHome => "the child's home".to_owned(),
            Self::ChildsDistrict(d) => {
                format!("the centre of {d}, the child's home district (the home postcode is not known)")
            }
            Self::ReferralArea(d) => {
                format!("the centre of {d}, the referral's area (where the child lived is not known)")
            }
            Self::SearchArea(d) => format!("the centre of {d}"),
        }
    }
}

/// A search: one child or a sibling group, and what the council will accept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchRequest {
    pub children: Vec<ChildProfile>,
    /// The plan says the children must live together: a home must have room for them all.
    pub siblings_together: bool,
    pub urgency: Urgency,
    /// The day the placement would start.
    pub start: Date,
    /// Where the child lived (their home postcode's grid reference), for DfE's distance.
    pub home_location: Option<GridRef>,
    pub school_location: Option<GridRef>,
    /// DfE LA code of the referring council; its ONS code comes from [`hearth_domain::council`].
    pub council: u16,
    pub placement_kinds: PlacementKinds,
    /// Homes of the children's connected persons who are approved foster carers
    /// (`ConnectedPerson::carer_home`).
    #[serde(default)]
    pub connected_carers: Vec<HomeId>,
    #[serde(default)]
    pub household: Household,
    /// A softer wish than [`Household`]: `Some(true)` the child would like animals, `Some(false)`
    /// would rather not. (A missing `Option` reads as `None`.)
    pub prefers_pets: Option<bool>,
    /// The most the council expects to pay a week for this placement.
    pub price_ceiling: Option<WeeklyPrice>,
    /// A secure accommodation order (s25) is held: only secure children's homes, and they only then.
    #[serde(default)]
    pub secure_order: bool,
    /// Inadequate homes a senior manager has recorded a decision to allow for this child.
    #[serde(default)]
    pub inadequate_overrides: Vec<HomeId>,
    /// A reason to consider any Inadequate home is recorded on the referral (the referral form's
    /// "inadequate allowed" answer): the rule is lifted for every home, not one.
    #[serde(default)]
    pub inadequate_allowed: bool,
    /// What `home_location` is: the child's postcode, or a fallback the sentences name.
    #[serde(default)]
    pub home_basis: HomeBasis,
    /// Staying at the school matters (the form's education answer): the school factor counts double.
    #[serde(default)]
    pub school_continuity: bool,
    /// Districts the child must not be placed in, and homes within `avoid_radius_miles` of their
    /// centres: a hard rule.
    #[serde(default)]
    pub avoid: Vec<Area>,
    #[serde(default)]
    pub avoid_radius_miles: u8,
    /// The form's preferred district: a weighted factor.
    #[serde(default)]
    pub preferred_area: Option<Area>,
    /// Placement types the form marks "preferred": a weighted factor (family first when none is).
    #[serde(default = "PlacementKinds::none")]
    pub preferred_kinds: PlacementKinds,
    /// What the home must offer besides the children's primary needs: named adaptations.
    #[serde(default)]
    pub must_offer: Skills,
}

/// What is wrong with a request, in a sentence for the officer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("a search needs at least one child")]
    NoChildren,
    #[error("Hearth places children aged 0 to 17; one child is {0}")]
    TooOld(u8),
    #[error("'{0}' is not one of the portal's councils")]
    UnknownCouncil(u16),
    #[error("choose at least one kind of placement")]
    NoPlacementKinds,
}

impl MatchRequest {
    /// The most children a request may name: the largest sibling groups councils place together.
    pub const MAX_CHILDREN: usize = 8;

    /// A request for one child with everything else at its usual value.
    pub fn new(council: u16, child: ChildProfile, urgency: Urgency, start: Date) -> Self {
        Self {
            children: vec![child],
            siblings_together: false,
            urgency,
            start,
            home_location: None,
            school_location: None,
            council,
            placement_kinds: PlacementKinds::usual(),
            connected_carers: Vec::new(),
            household: Household::default(),
            prefers_pets: None,
            price_ceiling: None,
            secure_order: false,
            inadequate_overrides: Vec::new(),
            inadequate_allowed: false,
            home_basis: HomeBasis::ChildsHome,
            school_continuity: false,
            avoid: Vec::new(),
            avoid_radius_miles: 0,
            preferred_area: None,
            preferred_kinds: PlacementKinds::none(),
            must_offer: Skills::empty(),
        }
    }

    /// "Search without a referral": a child of `age` and `sex`, near a point (usually a postcode
    /// district's centroid), needing a home tonight.
    pub fn quick(council: u16, age: u8, sex: Sex, near: GridRef, today: Date) -> Self {
        let mut r = Self::new(council, ChildProfile::new(age, sex), Urgency::SameDay, today);
        r.home_location = Some(near);
        r
    }

    /// A request from a referral and its children. Locations come from the store's postcode look-up,
    /// which this crate does not do. The referral's needs apply to every child; the disability
    /// needs (and a child's disability flag) are taken as primary, since they are what homes are
    /// registered for; an officer marks any other primary need on the request.
    pub fn from_referral(
        referral: &Referral,
        children: &[Child],
        home_location: Option<GridRef>,
        school_location: Option<GridRef>,
    ) -> Self {
        let needs: NeedSet = referral.needs.iter().copied().collect();
        let primary: NeedSet = needs.iter().filter(|n| crate::needs::is_disability(*n)).collect();
        let profiles = children
            .iter()
            .map(|c| ChildProfile {
                age: u8::try_from(c.age_on(referral.needed_from).clamp(0, 255)).unwrap_or(u8::MAX),
                sex: c.sex,
                disability: c.disability,
                wheelchair_user: false,
                uasc: c.uasc,
                needs,
                primary_needs: primary,
            })
            .collect();
        let connected_carers =
            children.iter().flat_map(|c| c.connected_persons.iter().filter_map(|p| p.carer_home)).collect();
        Self {
            children: profiles,
            siblings_together: referral.siblings_together,
            home_location,
            school_location,
            connected_carers,
            ..Self::new(referral.la_code, ChildProfile::new(0, Sex::Unknown), referral.urgency, referral.needed_from)
        }
    }

    /// The referring council, when it is one of the portal's.
    pub fn referring_council(&self) -> Option<&'static Council> {
        council_by_la_code(self.council)
    }

    /// The council's ONS code (what homes' `utla` is compared with).
    pub fn council_ons(&self) -> Option<&'static str> {
        self.referring_council().map(|c| c.ons_code)
    }

    /// Checks what a form would: the API validates before ranking. [`crate::SupplyIndex::rank`]
    /// still answers an unchecked request (ranking has no way to fail).
    pub fn validate(&self) -> Result<(), RequestError> {
        if self.children.is_empty() {
            return Err(RequestError::NoChildren);
        }
        if let Some(c) = self.children.iter().find(|c| c.age > 17) {
            return Err(RequestError::TooOld(c.age));
        }
        if self.referring_council().is_none() {
            return Err(RequestError::UnknownCouncil(self.council));
        }
        if self.placement_kinds.is_empty() {
            return Err(RequestError::NoPlacementKinds);
        }
        Ok(())
    }

    /// How many places a home needs: the whole group when they must live together, else one.
    pub fn places_needed(&self) -> u16 {
        if self.siblings_together { self.children.len().clamp(1, usize::from(u16::MAX)) as u16 } else { 1 }
    }

    /// All the children's needs.
    pub fn needs(&self) -> NeedSet {
        self.children.iter().fold(NeedSet::empty(), |s, c| s.union(c.needs).union(c.primary_needs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hearth_domain::referral::{Need, ReferralStatus};
    use hearth_domain::{ChildId, ReferralId};
    use jiff::civil::date;

    #[test]
    fn placement_kinds_cover_every_home_kind_and_serialise() {
        for k in HomeKind::ALL {
            let _ = PlacementKind::of(*k);
        }
        assert_eq!(PlacementKind::of(HomeKind::ConnectedPerson), PlacementKind::Foster);
        let usual = PlacementKinds::usual();
        assert!(usual.contains(PlacementKind::Foster) && !usual.contains(PlacementKind::Secure));
        let json = serde_json::to_string(&usual).unwrap();
        assert_eq!(json, r#"["foster","childrens_home","supported_accommodation"]"#);
        assert_eq!(serde_json::from_str::<PlacementKinds>(&json).unwrap(), usual);
    }

    #[test]
    fn quick_search_is_same_day_near_a_point() {
        let p = GridRef { easting: 433_664, northing: 279_160 };
        let r = MatchRequest::quick(331, 14, Sex::Female, p, date(2026, 11, 25));
        assert_eq!(r.urgency, Urgency::SameDay);
        assert_eq!(r.home_location, Some(p));
        assert_eq!(r.council_ons(), Some("E08000026"));
        assert_eq!(r.places_needed(), 1);
        assert!(r.validate().is_ok());
    }

    #[test]
    fn validation_names_the_problem() {
        let mut r = MatchRequest::new(331, ChildProfile::new(18, Sex::Male), Urgency::Planned, date(2026, 1, 1));
        assert_eq!(r.validate(), Err(RequestError::TooOld(18)));
        r.children.clear();
        assert_eq!(r.validate(), Err(RequestError::NoChildren));
        r.children.push(ChildProfile::new(3, Sex::Male));
        r.council = 999;
        assert_eq!(r.validate(), Err(RequestError::UnknownCouncil(999)));
        r.council = 330;
        r.placement_kinds = PlacementKinds::none();
        assert_eq!(r.validate(), Err(RequestError::NoPlacementKinds));
    }

    #[test]
    fn from_referral_takes_ages_on_the_start_date_and_connected_carers() {
        let needed_from = date(2026, 12, 1);
        let referral = Referral {
            id: ReferralId(1),
            la_code: 331,
            children: vec![ChildId(1)],
            siblings_together: true,
            urgency: Urgency::Within72Hours,
            needed_from,
            needs: vec![Need::PhysicalDisability, Need::Missing],
            preferred_district: None,
            status: ReferralStatus::Open,
            created_by: None,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            closed_at: None,
        };
        let child: Child = serde_json::from_value(serde_json::json!({
            "id": 1, "la_code": 331, "reference": "A1", "date_of_birth": "2012-12-01", "sex": "F",
            "ethnicity": "WBRI", "uasc": false, "disability": true, "sen": "none",
            "home_postcode": null, "home_district": null, "school_district": null, "legal_status": "C2",
            "sibling_group": null, "looked_after_since": "2026-01-01", "ceased_on": null,
            "connected_persons": [{"relationship": "grandparent", "district": null, "carer_home": 77}]
        }))
        .unwrap();
        let r = MatchRequest::from_referral(&referral, &[child], None, None);
        assert_eq!(r.children[0].age, 14, "the birthday falls on the start date");
        assert!(r.children[0].primary_needs.contains(Need::PhysicalDisability));
        assert!(!r.children[0].primary_needs.contains(Need::Missing));
        assert_eq!(r.connected_carers, vec![HomeId(77)]);
        assert!(r.siblings_together);
        assert_eq!(r.urgency, Urgency::Within72Hours);
    }
}
