//! The strength-based referral form (after Coventry's Placement Referral Form) and its export in the
//! shape of the Placements Data Standard v2 (PDS). The core [`Referral`] stays as it is (the demo
//! generator and the matching engine build it); everything else the form asks lives in
//! [`ReferralDetails`], stored beside it.
//!
//! Code lists carry Hearth's snake_case codes on the wire and the standard's own option text as their
//! label, so the export is the labels and nothing has to be translated twice.

use crate::code_list;
use crate::geo::PostcodeDistrict;
use crate::home::{Skill, WeeklyPrice};
use crate::ids::ChildId;
use crate::referral::{Need, Referral, Urgency};
use crate::text::Shape;
use crate::{DomainError, ValidationErrors};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

code_list! {
    /// PDS "Placement recommendation", one each for foster, residential and supported accommodation.
    pub enum Suitability ("placement_suitability") {
        Preferred = "preferred" => "Preferred",
        SuitableNotPreferred = "suitable_not_preferred" => "Suitable but not preferred",
        Unsuitable = "unsuitable" => "Unsuitable",
        NotSpecified = "not_specified" => "Not specified",
    }
}

code_list! {
    /// PDS "Communication, language and learning needs".
    pub enum CommunicationNeeds ("communication_needs") {
        Yes = "yes" => "Y",
        No = "no" => "N",
        NotSpecified = "not_specified" => "Not Specified",
    }
}

code_list! {
    /// PDS "Specific communication and language requirements" (one or more).
    pub enum LanguageSupport ("language_support") {
        Esol = "esol" => "ESOL",
        Bsl = "bsl" => "BSL",
        Makaton = "makaton" => "Makaton",
        Other = "other" => "Other",
        None = "none" => "None",
    }
}

code_list! {
    /// PDS "Cultural needs (e.g. place of worship)".
    pub enum CulturalNeeds ("cultural_needs") {
        Required = "required" => "Required",
        NotRequired = "not_required" => "Not required",
        NotKnown = "not_known" => "Not Known",
        Other = "other" => "Other",
    }
}

code_list! {
    /// PDS "Who can the child be cared for alongside".
    pub enum CaredForAlongside ("cared_for_alongside") {
        Solo = "solo" => "Solo placement recommended",
        WithOtherChildren = "with_other_children" => "With other children recommended",
        OnlyOlder = "only_older" => "Only with other older children",
        OnlyYounger = "only_younger" => "Only with other younger children",
        NoPreference = "no_preference" => "No preference",
    }
}

code_list! {
    /// PDS "Can child live with pets/animals?".
    pub enum Pets ("pets") {
        Must = "must" => "Yes - must",
        Can = "can" => "Yes - can",
        No = "no" => "No",
        NotKnown = "not_known" => "Not Known",
    }
}

code_list! {
    /// PDS "Additional support"; `other` comes with the officer's words.
    pub enum AdditionalSupport ("additional_support") {
        Supervision = "additional_supervision" => "additional supervision",
        Therapeutic = "therapeutic_support" => "therapeutic support",
        RespiteWorker = "respite_worker" => "a worker for respite",
        SchoolTaxis = "taxis_to_school" => "taxis to school",
        NotApplicable = "na" => "NA",
        Other = "other" => "other (specify)",
    }
}

code_list! {
    /// PDS risks that [`Need`] does not already name. The standard lists criminal exploitation both as a
    /// risk to the child (Hearth's `cce` need) and as a risk the child poses to others, which is this.
    pub enum ExtraRisk ("risks") {
        EatingDisorder = "eating_disorder" => "Eating disorder",
        FireSetting = "fire_setting" => "Fire-setting",
        HarmToAnimals = "harm_to_animals" => "Harm to animals",
        SexualHarmToOthers = "sexual_harm_to_others" => "Sexual harm to others",
        CriminalExploitationOfOthers = "criminal_exploitation_of_others" => "Criminal exploitation of others",
    }
}

/// The child's education, as the form asks it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Education {
    /// The school's postcode district (no more precise: it narrows down where the child lives).
    pub school_district: Option<PostcodeDistrict>,
    /// Has an Education, Health and Care Plan.
    pub ehcp: bool,
    /// Keeping the child at their school matters (PDS "Education continuity" on the placement).
    pub continuity_important: bool,
    pub notes: String,
}

/// Everything the referral form asks beyond the core [`Referral`]. Stored as one JSON document per
/// referral, so a field added here needs no migration; `#[serde(default)]` reads older documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReferralDetails {
    /// What is going well: the child's strengths, interests and what helps them (the form opens here).
    pub strengths: String,
    pub needs_text: String,
    pub risks_text: String,
    pub education: Education,
    pub health: String,
    /// The child's wishes and feelings, in their words where possible.
    pub wishes: String,
    /// PDS "Preferred location for home search".
    pub location_preference: String,
    pub communication_needs: CommunicationNeeds,
    /// Empty means none given; the export then says "None".
    pub language_support: Vec<LanguageSupport>,
    pub adaptation_needed: bool,
    pub cultural_needs: CulturalNeeds,
    pub cultural_needs_detail: String,
    pub cared_for_alongside: CaredForAlongside,
    pub pets: Pets,
    pub additional_support: Option<AdditionalSupport>,
    pub additional_support_other: String,
    pub deprivation_of_liberty: Option<bool>,
    pub foster_suitability: Suitability,
    pub residential_suitability: Suitability,
    pub supported_suitability: Suitability,
    pub extra_risks: Vec<ExtraRisk>,
    pub other_risk_to_child: String,
    pub other_risk_to_others: String,
    /// A secure accommodation order (s25) is in place or sought.
    pub secure_order: bool,
    /// The most the council will pay a week, if it has set a ceiling.
    pub max_weekly_price: Option<WeeklyPrice>,
    /// Homes Ofsted judged Inadequate are excluded unless a reason to consider them is recorded.
    pub inadequate_allowed_reason: Option<String>,
    /// Districts the child must not be placed in or near (exploitation, a risky adult, a gang area).
    pub avoid_districts: Vec<PostcodeDistrict>,
    /// How near to an avoided district's centre is too near, in miles; `None`: only the districts.
    pub avoid_radius_miles: Option<u8>,
    /// The child uses a wheelchair: only wheelchair-accessible homes.
    pub wheelchair_user: bool,
    /// Adaptations (and other provision from the home profile's list) the home must offer.
    pub adaptations: Vec<Skill>,
    /// The referral's needs the home must be registered or approved for, not only score on.
    pub must_meet_needs: Vec<Need>,
    /// The officer asks for residential special schools too (never offered otherwise).
    pub residential_special_school: bool,
}

impl Default for ReferralDetails {
    fn default() -> Self {
        Self {
            strengths: String::new(),
            needs_text: String::new(),
            risks_text: String::new(),
            education: Education::default(),
            health: String::new(),
            wishes: String::new(),
            location_preference: String::new(),
            communication_needs: CommunicationNeeds::NotSpecified,
            language_support: Vec::new(),
            adaptation_needed: false,
            cultural_needs: CulturalNeeds::NotKnown,
            cultural_needs_detail: String::new(),
            cared_for_alongside: CaredForAlongside::NoPreference,
            pets: Pets::NotKnown,
            additional_support: None,
            additional_support_other: String::new(),
            deprivation_of_liberty: None,
            foster_suitability: Suitability::NotSpecified,
            residential_suitability: Suitability::NotSpecified,
            supported_suitability: Suitability::NotSpecified,
            extra_risks: Vec::new(),
            other_risk_to_child: String::new(),
            other_risk_to_others: String::new(),
            secure_order: false,
            max_weekly_price: None,
            inadequate_allowed_reason: None,
            avoid_districts: Vec::new(),
            avoid_radius_miles: None,
            wheelchair_user: false,
            adaptations: Vec::new(),
            must_meet_needs: Vec::new(),
            residential_special_school: false,
        }
    }
}

/// The form's narrative and PDS answers as sent: strings and options, checked by [`DetailsInput::parse`].
/// Anything left out takes the form's default ("not specified", "not known", empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DetailsInput {
    pub strengths: String,
    pub needs_text: String,
    pub risks_text: String,
    pub school_district: Option<String>,
    pub ehcp: bool,
    pub education_continuity_important: bool,
    pub education_notes: String,
    pub health: String,
    pub wishes: String,
    pub location_preference: String,
    pub communication_needs: Option<String>,
    pub language_support: Vec<String>,
    pub adaptation_needed: bool,
    pub cultural_needs: Option<String>,
    pub cultural_needs_detail: String,
    pub cared_for_alongside: Option<String>,
    pub pets: Option<String>,
    pub additional_support: Option<String>,
    pub additional_support_other: String,
    pub deprivation_of_liberty: Option<bool>,
    pub foster_suitability: Option<String>,
    pub residential_suitability: Option<String>,
    pub supported_suitability: Option<String>,
    pub extra_risks: Vec<String>,
    pub other_risk_to_child: String,
    pub other_risk_to_others: String,
    pub secure_order: bool,
    pub max_weekly_price: Option<i64>,
    pub inadequate_allowed_reason: Option<String>,
    /// Postcode districts the child must not be placed in or near, e.g. `["CV1", "CV2"]`.
    pub avoid_districts: Vec<String>,
    /// Also leave out homes within this many miles (1 to 50) of an avoided district's centre.
    pub avoid_radius_miles: Option<i64>,
    pub wheelchair_user: bool,
    /// Codes from the home profile's list (`wheelchair_access`, `disability`, …) the home must offer.
    pub adaptations: Vec<String>,
    /// Codes of the referral's needs the home must meet (a hard rule rather than a score).
    pub must_meet_needs: Vec<String>,
    pub residential_special_school: bool,
}

/// A referral as the API sends it. `children` are Hearth child ids; whether each is the council's
/// own and of an age to be placed is for the service to check, which can see the records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralInput {
    pub children: Vec<i64>,
    pub siblings_together: bool,
    pub urgency: String,
    pub needed_from: String,
    pub needs: Vec<String>,
    pub preferred_district: Option<String>,
    pub details: DetailsInput,
}

/// A change to a referral: only what is given changes. `details`, when given, replaces the form's
/// details whole (a form is sent whole); `preferred_district: ""` clears the district.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReferralPatch {
    pub children: Option<Vec<i64>>,
    pub siblings_together: Option<bool>,
    pub urgency: Option<String>,
    pub needed_from: Option<String>,
    pub needs: Option<Vec<String>>,
    pub preferred_district: Option<String>,
    pub details: Option<DetailsInput>,
}

/// A referral that parsed: every value valid, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedReferral {
    pub children: Vec<ChildId>,
    pub siblings_together: bool,
    pub urgency: Urgency,
    pub needed_from: Date,
    pub needs: Vec<Need>,
    pub preferred_district: Option<PostcodeDistrict>,
    pub details: ReferralDetails,
}

impl ParsedReferral {
    /// The referral's current values, for applying a patch to.
    pub fn of(r: &Referral, details: ReferralDetails) -> Self {
        Self {
            children: r.children.clone(),
            siblings_together: r.siblings_together,
            urgency: r.urgency,
            needed_from: r.needed_from,
            needs: r.needs.clone(),
            preferred_district: r.preferred_district.clone(),
            details,
        }
    }
}

/// Parses one code, reporting it under `field` (one code list serves several fields).
fn code<T>(
    errs: &mut ValidationErrors,
    field: &'static str,
    raw: &str,
    parse: fn(&str) -> Result<T, DomainError>,
) -> Option<T> {
    errs.check(parse(raw).map_err(|e| DomainError { field, ..e }))
}

/// Parses a list of codes, dropping repeats and keeping the order given.
fn codes<T: PartialEq>(
    errs: &mut ValidationErrors,
    field: &'static str,
    raw: &[String],
    parse: fn(&str) -> Result<T, DomainError>,
) -> Vec<T> {
    let mut out = Vec::with_capacity(raw.len());
    for r in raw {
        if let Some(v) = code(errs, field, r, parse)
            && !out.contains(&v)
        {
            out.push(v);
        }
    }
    out
}

fn code_or<T>(
    errs: &mut ValidationErrors,
    field: &'static str,
    raw: Option<&str>,
    default: T,
    parse: fn(&str) -> Result<T, DomainError>,
) -> T {
    match raw {
        Some(r) => code(errs, field, r, parse).unwrap_or(default),
        None => default,
    }
}

/// A narrative answer: paragraphs, as the text rule allows them (pages reach here without the API's check).
fn text(errs: &mut ValidationErrors, field: &'static str, raw: &str) -> String {
    errs.check(crate::text::check(field, raw, Shape::Paragraphs, crate::text::MAX_PARAGRAPH_CHARS));
    raw.trim().to_owned()
}

fn children(errs: &mut ValidationErrors, raw: &[i64]) -> Vec<ChildId> {
    // Before the repeats are looked for: that takes time in the square of the list's length.
    if let Err(e) = crate::text::check_list("children", raw.len(), crate::text::MAX_LIST_ITEMS) {
        errs.push(e);
        return Vec::new();
    }
    if raw.is_empty() {
        errs.push(DomainError::new("children", "name at least one child; a sibling group lists every child"));
    }
    let mut out: Vec<ChildId> = Vec::with_capacity(raw.len());
    for &id in raw {
        if out.contains(&ChildId(id)) {
            errs.push(DomainError::new("children", format!("child {id} is named twice")));
        } else {
            out.push(ChildId(id));
        }
    }
    out
}

fn needed_from(errs: &mut ValidationErrors, raw: &str, today: Date) -> Option<Date> {
    let t = raw.trim();
    let Ok(d) = t.parse::<Date>() else {
        errs.push(DomainError::new("needed_from", format!("'{t}' is not a date; write it as YYYY-MM-DD")));
        return None;
    };
    if d < today {
        errs.push(DomainError::new("needed_from", format!("{d} is in the past; a home can be found from {today}")));
        return None;
    }
    Some(d)
}

fn district(errs: &mut ValidationErrors, field: &'static str, raw: Option<&str>) -> Option<PostcodeDistrict> {
    let r = raw.map(str::trim).filter(|r| !r.is_empty())?;
    code(errs, field, r, PostcodeDistrict::parse)
}

impl DetailsInput {
    /// Checks every answer, recording each bad one under its own field.
    pub fn parse_into(&self, errs: &mut ValidationErrors) -> ReferralDetails {
        let suitability = |errs: &mut ValidationErrors, field, raw: &Option<String>| {
            code_or(errs, field, raw.as_deref(), Suitability::NotSpecified, Suitability::parse)
        };
        let foster_suitability = suitability(errs, "details.foster_suitability", &self.foster_suitability);
        let residential_suitability =
            suitability(errs, "details.residential_suitability", &self.residential_suitability);
        let supported_suitability = suitability(errs, "details.supported_suitability", &self.supported_suitability);
        let language_support = codes(errs, "details.language_support", &self.language_support, LanguageSupport::parse);
        if language_support.len() > 1 && language_support.contains(&LanguageSupport::None) {
            errs.push(DomainError::new("details.language_support", "'none' cannot be given with other support"));
        }
        let additional_support = self
            .additional_support
            .as_deref()
            .and_then(|r| code(errs, "details.additional_support", r, AdditionalSupport::parse));
        let additional_support_other = text(errs, "details.additional_support_other", &self.additional_support_other);
        if additional_support == Some(AdditionalSupport::Other) && additional_support_other.is_empty() {
            errs.push(DomainError::new("details.additional_support_other", "say what other support is needed"));
        }
        let avoid_districts = self.avoid_districts(errs);
        let avoid_radius_miles = self.avoid_radius_miles.and_then(|m| match u8::try_from(m) {
            Ok(m) if (1..=MAX_AVOID_RADIUS_MILES).contains(&m) => Some(m),
            _ => {
                errs.push(DomainError::new(
                    "details.avoid_radius_miles",
                    format!("give a radius of 1 to {MAX_AVOID_RADIUS_MILES} miles, or none"),
                ));
                None
            }
        });
        if avoid_radius_miles.is_some() && avoid_districts.is_empty() {
            errs.push(DomainError::new(
                "details.avoid_radius_miles",
                "a radius is measured around the districts to avoid: name at least one",
            ));
        }
        if self.residential_special_school && residential_suitability == Suitability::Unsuitable {
            errs.push(DomainError::new(
                "details.residential_special_school",
                "residential care is marked unsuitable; a residential special school is residential care",
            ));
        }
        let max_weekly_price = self.max_weekly_price.and_then(|p| {
            errs.check(WeeklyPrice::new(p).map_err(|e| DomainError { field: "details.max_weekly_price", ..e }))
        });
        ReferralDetails {
            strengths: text(errs, "details.strengths", &self.strengths),
            needs_text: text(errs, "details.needs_text", &self.needs_text),
            risks_text: text(errs, "details.risks_text", &self.risks_text),
            education: Education {
                school_district: district(errs, "details.school_district", self.school_district.as_deref()),
                ehcp: self.ehcp,
                continuity_important: self.education_continuity_important,
                notes: text(errs, "details.education_notes", &self.education_notes),
            },
            health: text(errs, "details.health", &self.health),
            wishes: text(errs, "details.wishes", &self.wishes),
            location_preference: text(errs, "details.location_preference", &self.location_preference),
            communication_needs: code_or(
                errs,
                "details.communication_needs",
                self.communication_needs.as_deref(),
                CommunicationNeeds::NotSpecified,
                CommunicationNeeds::parse,
            ),
            language_support,
            adaptation_needed: self.adaptation_needed,
            cultural_needs: code_or(
                errs,
                "details.cultural_needs",
                self.cultural_needs.as_deref(),
                CulturalNeeds::NotKnown,
                CulturalNeeds::parse,
            ),
            cultural_needs_detail: text(errs, "details.cultural_needs_detail", &self.cultural_needs_detail),
            cared_for_alongside: code_or(
                errs,
                "details.cared_for_alongside",
                self.cared_for_alongside.as_deref(),
                CaredForAlongside::NoPreference,
                CaredForAlongside::parse,
            ),
            pets: code_or(errs, "details.pets", self.pets.as_deref(), Pets::NotKnown, Pets::parse),
            additional_support,
            additional_support_other,
            deprivation_of_liberty: self.deprivation_of_liberty,
            foster_suitability,
            residential_suitability,
            supported_suitability,
            extra_risks: codes(errs, "details.extra_risks", &self.extra_risks, ExtraRisk::parse),
            other_risk_to_child: text(errs, "details.other_risk_to_child", &self.other_risk_to_child),
            other_risk_to_others: text(errs, "details.other_risk_to_others", &self.other_risk_to_others),
            secure_order: self.secure_order,
            max_weekly_price,
            inadequate_allowed_reason: self
                .inadequate_allowed_reason
                .as_deref()
                .map(|r| text(errs, "details.inadequate_allowed_reason", r))
                .filter(|r| !r.is_empty()),
            avoid_districts,
            avoid_radius_miles,
            wheelchair_user: self.wheelchair_user,
            adaptations: codes(errs, "details.adaptations", &self.adaptations, Skill::parse),
            must_meet_needs: codes(errs, "details.must_meet_needs", &self.must_meet_needs, Need::parse),
            residential_special_school: self.residential_special_school,
        }
    }

    fn avoid_districts(&self, errs: &mut ValidationErrors) -> Vec<PostcodeDistrict> {
        const FIELD: &str = "details.avoid_districts";
        if let Err(e) = crate::text::check_list(FIELD, self.avoid_districts.len(), MAX_AVOID_DISTRICTS) {
            errs.push(e);
            return Vec::new();
        }
        let mut out: Vec<PostcodeDistrict> = Vec::with_capacity(self.avoid_districts.len());
        for raw in &self.avoid_districts {
            if let Some(d) = code(errs, FIELD, raw.trim(), PostcodeDistrict::parse)
                && !out.contains(&d)
            {
                out.push(d);
            }
        }
        out
    }
}

/// The widest circle an officer may draw around an avoided district: beyond it, "near" has lost its
/// meaning and the rule would empty the region.
pub const MAX_AVOID_RADIUS_MILES: u8 = 50;
/// Districts an officer may list to avoid (a city's worth).
pub const MAX_AVOID_DISTRICTS: usize = 20;

/// The checks that join two answers: a same-day referral starts today, and a need the home must meet
/// is one the referral names.
fn check_together(p: &ParsedReferral, today: Date, errs: &mut ValidationErrors) {
    if p.urgency == Urgency::SameDay && p.needed_from > today {
        errs.push(DomainError::new(
            "urgency",
            format!(
                "a same-day referral needs a home today, but the start date is {}; choose planned or within 72 hours, or start today",
                p.needed_from
            ),
        ));
    }
    for n in p.details.must_meet_needs.iter().filter(|n| !p.needs.contains(n)) {
        errs.push(DomainError::new(
            "details.must_meet_needs",
            format!("'{}' is not among the referral's needs; add it to the needs first", n.code()),
        ));
    }
    if p.details.preferred_is_avoided(p.preferred_district.as_ref()) {
        errs.push(DomainError::new("preferred_district", "the preferred district is one the child must avoid"));
    }
}

impl ReferralDetails {
    fn preferred_is_avoided(&self, preferred: Option<&PostcodeDistrict>) -> bool {
        preferred.is_some_and(|p| self.avoid_districts.contains(p))
    }
}

impl ReferralInput {
    /// Checks the whole form against `today` (England), returning every field error at once.
    pub fn parse(&self, today: Date) -> Result<ParsedReferral, ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let children = children(&mut errs, &self.children);
        let urgency = code(&mut errs, "urgency", &self.urgency, Urgency::parse);
        let needed_from = needed_from(&mut errs, &self.needed_from, today);
        let needs = codes(&mut errs, "needs", &self.needs, Need::parse);
        let preferred_district = district(&mut errs, "preferred_district", self.preferred_district.as_deref());
        let details = self.details.parse_into(&mut errs);
        let (Some(urgency), Some(needed_from)) = (urgency, needed_from) else { return Err(errs) };
        let parsed = ParsedReferral {
            children,
            // One child has no siblings to be placed with; the answer is kept as given.
            siblings_together: self.siblings_together,
            urgency,
            needed_from,
            needs,
            preferred_district,
            details,
        };
        check_together(&parsed, today, &mut errs);
        errs.into_result().map(|()| parsed)
    }
}

impl ReferralPatch {
    /// Applies the change to `current`, checking what was given as [`ReferralInput::parse`] would.
    pub fn apply(&self, mut current: ParsedReferral, today: Date) -> Result<ParsedReferral, ValidationErrors> {
        let mut errs = ValidationErrors::default();
        if let Some(raw) = &self.children {
            current.children = children(&mut errs, raw);
        }
        if let Some(s) = self.siblings_together {
            current.siblings_together = s;
        }
        if let Some(raw) = &self.urgency
            && let Some(u) = code(&mut errs, "urgency", raw, Urgency::parse)
        {
            current.urgency = u;
        }
        if let Some(raw) = &self.needed_from
            && let Some(d) = needed_from(&mut errs, raw, today)
        {
            current.needed_from = d;
        }
        if let Some(raw) = &self.needs {
            current.needs = codes(&mut errs, "needs", raw, Need::parse);
        }
        if let Some(raw) = &self.preferred_district {
            current.preferred_district = district(&mut errs, "preferred_district", Some(raw));
        }
        if let Some(d) = &self.details {
            current.details = d.parse_into(&mut errs);
        }
        if errs.is_empty() {
            check_together(&current, today, &mut errs);
        }
        errs.into_result().map(|()| current)
    }
}

/// PDS "When do you need this placement by", from the urgency and how far the start date is from the
/// day the referral was made (`as_of`): a planned referral needed tomorrow is still "<5 days".
pub fn needed_by(urgency: Urgency, needed_from: Date, as_of: Date) -> &'static str {
    let days = (needed_from - as_of).get_days();
    match urgency {
        Urgency::SameDay => "Today",
        _ if days <= 0 => "Today",
        Urgency::Within72Hours => "<5 days",
        Urgency::Planned if days < 5 => "<5 days",
        Urgency::Planned => ">5 days",
    }
}

/// What the standard records of the placement made, when there is one (filled by the service from
/// the placement record; all optional so that an open referral exports too).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PdsPlacement {
    #[serde(rename = "Total weekly cost (actual weekly fee paid)")]
    pub weekly_cost: Option<u32>,
    /// No more precise than a postcode sector, as the standard suggests.
    #[serde(rename = "Placement location")]
    pub location: Option<String>,
    #[serde(rename = "Preferability of placement location")]
    pub location_preferred: Option<&'static str>,
    #[serde(rename = "Education continuity")]
    pub education_continuity: Option<&'static str>,
    #[serde(rename = "Provider URN (Ofsted)")]
    pub provider_urn: Option<String>,
    #[serde(rename = "How many siblings were placed together")]
    pub siblings_placed_together: Option<usize>,
    #[serde(rename = "Placement type")]
    pub placement_type: Option<&'static str>,
}

/// One PDS v2 record: the standard describes one child, so a sibling group exports one record each.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PdsRecord {
    #[serde(rename = "Child ID")]
    pub child_id: i64,
    #[serde(rename = "When do you need this placement by")]
    pub needed_by: &'static str,
    #[serde(rename = "Number of siblings to place with")]
    pub siblings_to_place_with: usize,
    #[serde(rename = "Preferred location for home search")]
    pub preferred_location: Option<String>,
    #[serde(rename = "Communication, language and learning needs")]
    pub communication_needs: &'static str,
    #[serde(rename = "Specific communication and language requirements")]
    pub language_support: Vec<&'static str>,
    #[serde(rename = "Adaptation to the home")]
    pub adaptation: &'static str,
    #[serde(rename = "Cultural needs (e.g. place of worship)")]
    pub cultural_needs: &'static str,
    #[serde(rename = "Who can the child be cared for alongside")]
    pub cared_for_alongside: &'static str,
    #[serde(rename = "Can child live with pets/animals?")]
    pub pets: &'static str,
    #[serde(rename = "Additional support")]
    pub additional_support: Option<String>,
    #[serde(rename = "Deprivation of Liberty Order")]
    pub deprivation_of_liberty: Option<&'static str>,
    #[serde(rename = "Foster care suitability")]
    pub foster_suitability: &'static str,
    #[serde(rename = "Residential care suitability")]
    pub residential_suitability: &'static str,
    #[serde(rename = "Supported accommodation suitability")]
    pub supported_suitability: &'static str,
    #[serde(rename = "Risks to the child")]
    pub risks_to_child: PdsRisksToChild,
    #[serde(rename = "Risks to others or property")]
    pub risks_to_others: PdsRisksToOthers,
    #[serde(rename = "Actual placement")]
    pub placement: PdsPlacement,
    #[serde(rename = "Officer entering the referral")]
    pub entered_by: Option<i64>,
    #[serde(rename = "Date of data entry for the referral")]
    pub entered_on: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PdsRisksToChild {
    #[serde(rename = "Self-harm")]
    pub self_harm: &'static str,
    #[serde(rename = "Sexual exploitation")]
    pub sexual_exploitation: &'static str,
    #[serde(rename = "Criminal exploitation")]
    pub criminal_exploitation: &'static str,
    #[serde(rename = "Drug and alcohol use")]
    pub drugs_and_alcohol: &'static str,
    #[serde(rename = "Eating disorder")]
    pub eating_disorder: &'static str,
    #[serde(rename = "Going missing")]
    pub missing: &'static str,
    #[serde(rename = "Other")]
    pub other: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PdsRisksToOthers {
    #[serde(rename = "Physical harm")]
    pub physical_harm: &'static str,
    #[serde(rename = "Sexual harm")]
    pub sexual_harm: &'static str,
    #[serde(rename = "Fire-setting")]
    pub fire_setting: &'static str,
    #[serde(rename = "Harm to animals")]
    pub harm_to_animals: &'static str,
    #[serde(rename = "Criminal exploitation")]
    pub criminal_exploitation: &'static str,
    #[serde(rename = "Other")]
    pub other: Option<String>,
}

fn risk(present: bool) -> &'static str {
    if present { "Risk present" } else { "No known risk" }
}

fn yes_no(b: bool) -> &'static str {
    if b { "Yes" } else { "No" }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

/// The referral in the PDS v2 shape, one record per child. Risks come from the referral's needs where
/// [`Need`] names them (aggression is the standard's physical harm) and from the form's extra risks.
pub fn pds_export(r: &Referral, d: &ReferralDetails, placement: &PdsPlacement) -> Vec<PdsRecord> {
    let as_of = r
        .created_at
        .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC))
        .date();
    let need = |n: Need| risk(r.needs.contains(&n));
    let extra = |x: ExtraRisk| risk(d.extra_risks.contains(&x));
    let siblings = if r.siblings_together { r.children.len().saturating_sub(1) } else { 0 };
    let preferred_location =
        non_empty(&d.location_preference).or_else(|| r.preferred_district.as_ref().map(|p| p.to_string()));
    let additional_support = d.additional_support.map(|a| match a {
        AdditionalSupport::Other => format!("other: {}", d.additional_support_other),
        other => other.label().to_owned(),
    });
    let language_support = if d.language_support.is_empty() {
        vec![LanguageSupport::None.label()]
    } else {
        d.language_support.iter().map(|l| l.label()).collect()
    };
    r.children
        .iter()
        .map(|child| PdsRecord {
            child_id: child.0,
            needed_by: needed_by(r.urgency, r.needed_from, as_of),
            siblings_to_place_with: siblings,
            preferred_location: preferred_location.clone(),
            communication_needs: d.communication_needs.label(),
            language_support: language_support.clone(),
            adaptation: if d.adaptation_needed { "Y" } else { "N" },
            cultural_needs: d.cultural_needs.label(),
            cared_for_alongside: d.cared_for_alongside.label(),
            pets: d.pets.label(),
            additional_support: additional_support.clone(),
            deprivation_of_liberty: d.deprivation_of_liberty.map(yes_no),
            foster_suitability: d.foster_suitability.label(),
            residential_suitability: d.residential_suitability.label(),
            supported_suitability: d.supported_suitability.label(),
            risks_to_child: PdsRisksToChild {
                self_harm: need(Need::SelfHarm),
                sexual_exploitation: need(Need::Cse),
                criminal_exploitation: need(Need::Cce),
                drugs_and_alcohol: need(Need::SubstanceMisuse),
                eating_disorder: extra(ExtraRisk::EatingDisorder),
                missing: need(Need::Missing),
                other: non_empty(&d.other_risk_to_child),
            },
            risks_to_others: PdsRisksToOthers {
                physical_harm: need(Need::Aggression),
                sexual_harm: extra(ExtraRisk::SexualHarmToOthers),
                fire_setting: extra(ExtraRisk::FireSetting),
                harm_to_animals: extra(ExtraRisk::HarmToAnimals),
                criminal_exploitation: extra(ExtraRisk::CriminalExploitationOfOthers),
                other: non_empty(&d.other_risk_to_others),
            },
            placement: placement.clone(),
            entered_by: r.created_by.map(|u| u.0),
            entered_on: as_of,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ReferralId;
    use crate::referral::ReferralStatus;
    use jiff::civil::date;

    fn today() -> Date {
        date(2026, 11, 25)
    }

    fn input() -> ReferralInput {
        ReferralInput {
            children: vec![7, 8],
            siblings_together: true,
            urgency: "planned".into(),
            needed_from: "2026-12-10".into(),
            needs: vec!["self_harm".into(), "aggression".into(), "self_harm".into()],
            preferred_district: Some(" cv2 ".into()),
            details: DetailsInput {
                strengths: "  Loves football; close to her brother. ".into(),
                school_district: Some("CV3".into()),
                ehcp: true,
                communication_needs: Some("yes".into()),
                language_support: vec!["bsl".into()],
                pets: Some("must".into()),
                additional_support: Some("other".into()),
                additional_support_other: "a mentor".into(),
                deprivation_of_liberty: Some(false),
                foster_suitability: Some("preferred".into()),
                residential_suitability: Some("unsuitable".into()),
                extra_risks: vec!["fire_setting".into()],
                max_weekly_price: Some(1_800),
                inadequate_allowed_reason: Some("   ".into()),
                ..DetailsInput::default()
            },
        }
    }

    #[test]
    fn narrative_answers_and_lists_follow_the_text_rule() {
        let mut i = input();
        i.details.health = "Asthma\u{0}".into();
        i.details.wishes = "To stay at school.\n\tAnd see her brother.".into();
        i.children = (1..=101).collect();
        let fields: Vec<_> = i.parse(today()).unwrap_err().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["children", "details.health"], "line breaks and tabs are kept in a paragraph");
    }

    #[test]
    fn a_good_form_parses_and_tidies() {
        let p = input().parse(today()).expect("parses");
        assert_eq!(p.children, vec![ChildId(7), ChildId(8)]);
        assert_eq!(p.needs, vec![Need::SelfHarm, Need::Aggression], "repeats dropped, order kept");
        assert_eq!(p.preferred_district.as_ref().map(|d| d.as_str()), Some("CV2"));
        assert_eq!(p.details.strengths, "Loves football; close to her brother.");
        assert_eq!(p.details.education.school_district.as_ref().map(|d| d.as_str()), Some("CV3"));
        assert_eq!(p.details.pets, Pets::Must);
        assert_eq!(p.details.cultural_needs, CulturalNeeds::NotKnown, "left out: the form's default");
        assert_eq!(p.details.max_weekly_price.map(WeeklyPrice::pounds), Some(1_800));
        assert_eq!(p.details.inadequate_allowed_reason, None, "blank is no reason");
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let mut i = input();
        i.children.clear();
        i.needed_from = "2026-11-24".into();
        i.urgency = "soonish".into();
        i.needs.push("dragons".into());
        i.details.pets = Some("cats".into());
        i.details.residential_suitability = Some("maybe".into());
        i.details.max_weekly_price = Some(0);
        let errs = i.parse(today()).expect_err("refused");
        let fields: Vec<&str> = errs.0.iter().map(|e| e.field).collect();
        for f in [
            "children",
            "needed_from",
            "urgency",
            "needs",
            "details.pets",
            "details.residential_suitability",
            "details.max_weekly_price",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        assert!(errs.0.iter().any(|e| e.message.contains("in the past")));
    }

    #[test]
    fn one_child_with_siblings_together_is_fine_and_today_is_not_the_past() {
        let mut i = input();
        i.children = vec![7];
        i.needed_from = "2026-11-25".into();
        let p = i.parse(today()).expect("parses");
        assert!(p.siblings_together);
        i.children = vec![7, 7];
        assert_eq!(i.parse(today()).expect_err("twice").0[0].field, "children");
    }

    #[test]
    fn other_support_needs_words() {
        let mut i = input();
        i.details.additional_support_other = " ".into();
        assert_eq!(i.parse(today()).expect_err("refused").0[0].field, "details.additional_support_other");
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let current = input().parse(today()).expect("parses");
        let patch = ReferralPatch {
            urgency: Some("same_day".into()),
            needed_from: Some("2026-11-25".into()),
            preferred_district: Some(String::new()),
            ..ReferralPatch::default()
        };
        let next = patch.apply(current.clone(), today()).expect("applies");
        assert_eq!(next.urgency, Urgency::SameDay);
        assert_eq!(next.preferred_district, None);
        assert_eq!((&next.needs, &next.details), (&current.needs, &current.details));
        let bad = ReferralPatch { needed_from: Some("2020-01-01".into()), ..ReferralPatch::default() };
        assert_eq!(bad.apply(current, today()).expect_err("past").0[0].field, "needed_from");
    }

    #[test]
    fn answers_that_must_agree_are_checked_together() {
        let mut i = input();
        i.urgency = "same_day".into();
        let e = i.parse(today()).expect_err("same day, two weeks ahead");
        assert_eq!(e.0[0].field, "urgency");
        assert!(e.0[0].message.contains("2026-12-10"), "{}", e.0[0].message);
        i.needed_from = "2026-11-25".into();
        i.details.must_meet_needs = vec!["cse".into()];
        i.details.avoid_districts = vec!["cv2".into(), "CV1".into(), "nonsense!".into()];
        i.details.avoid_radius_miles = Some(80);
        i.details.residential_special_school = true;
        let fields: Vec<&str> = i.parse(today()).expect_err("refused").0.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "details.avoid_districts",
                "details.avoid_radius_miles",
                "details.residential_special_school",
                "details.must_meet_needs",
                "preferred_district"
            ],
            "every error at once, the checks across answers last"
        );
        i.details.avoid_districts.pop();
        i.details.avoid_radius_miles = Some(2);
        i.details.residential_suitability = None;
        let fields: Vec<&str> = i.parse(today()).expect_err("refused").0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["details.must_meet_needs", "preferred_district"]);
        i.details.must_meet_needs = vec!["self_harm".into()];
        i.preferred_district = Some("CV3".into());
        let p = i.parse(today()).expect("parses");
        assert_eq!(p.details.avoid_districts.len(), 2);
        assert_eq!(p.details.avoid_radius_miles, Some(2));
        i.details.avoid_districts.clear();
        assert_eq!(i.parse(today()).expect_err("radius alone").0[0].field, "details.avoid_radius_miles");
    }

    #[test]
    fn needed_by_follows_urgency_and_dates() {
        let d = today();
        assert_eq!(needed_by(Urgency::SameDay, date(2026, 12, 30), d), "Today");
        assert_eq!(needed_by(Urgency::Planned, d, d), "Today");
        assert_eq!(needed_by(Urgency::Within72Hours, date(2026, 11, 27), d), "<5 days");
        assert_eq!(needed_by(Urgency::Planned, date(2026, 11, 29), d), "<5 days");
        assert_eq!(needed_by(Urgency::Planned, date(2026, 11, 30), d), ">5 days");
    }

    #[test]
    fn details_survive_json_and_old_documents_read_as_defaults() {
        let p = input().parse(today()).expect("parses");
        let json = serde_json::to_string(&p.details).expect("serialises");
        assert_eq!(serde_json::from_str::<ReferralDetails>(&json).expect("reads"), p.details);
        assert_eq!(serde_json::from_str::<ReferralDetails>("{}").expect("reads"), ReferralDetails::default());
    }

    #[test]
    fn the_export_has_the_standards_fields() {
        let p = input().parse(today()).expect("parses");
        let r = Referral {
            id: ReferralId(1),
            la_code: 331,
            children: p.children.clone(),
            siblings_together: true,
            urgency: p.urgency,
            needed_from: p.needed_from,
            needs: p.needs.clone(),
            preferred_district: p.preferred_district.clone(),
            status: ReferralStatus::Open,
            created_by: None,
            created_at: "2026-11-25T10:00:00Z".parse().expect("a time"),
            closed_at: None,
        };
        let records = pds_export(&r, &p.details, &PdsPlacement::default());
        assert_eq!(records.len(), 2, "one record per child");
        let v = serde_json::to_value(&records[0]).expect("serialises");
        assert_eq!(v["Child ID"], 7);
        assert_eq!(v["When do you need this placement by"], ">5 days");
        assert_eq!(v["Number of siblings to place with"], 1);
        assert_eq!(v["Specific communication and language requirements"], serde_json::json!(["BSL"]));
        assert_eq!(v["Can child live with pets/animals?"], "Yes - must");
        assert_eq!(v["Additional support"], "other: a mentor");
        assert_eq!(v["Deprivation of Liberty Order"], "No");
        assert_eq!(v["Foster care suitability"], "Preferred");
        assert_eq!(v["Risks to the child"]["Self-harm"], "Risk present");
        assert_eq!(v["Risks to the child"]["Going missing"], "No known risk");
        assert_eq!(v["Risks to others or property"]["Physical harm"], "Risk present");
        assert_eq!(v["Risks to others or property"]["Fire-setting"], "Risk present");
        assert!(v["Actual placement"].get("Placement type").is_some());
    }
}
