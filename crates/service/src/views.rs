//! What each caller is shown. A view is the data-protection decision made concrete: a provider's
//! view of a referral has no child id, reference, date of birth or address, and a home's view has no
//! exact location (a foster carer's home is their own personal data).

use hearth_domain::child::{AgeBand, Child, SenStatus};
use hearth_domain::home::{Home, Vacancy};
use hearth_domain::referral::{Need, Referral, ReferralStatus, Urgency};
use hearth_domain::referral_form::ReferralDetails;
use hearth_domain::{ChildId, Ethnicity, HomeId, LegalStatus, ReferralId, Sex, VacancyId};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use utoipa::ToSchema;

/// A child's full record, for the council that looks after them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChildView {
    #[schema(value_type = i64)]
    pub id: ChildId,
    pub la_code: u16,
    pub reference: String,
    #[schema(value_type = String, format = Date)]
    pub date_of_birth: Date,
    #[schema(value_type = String)]
    pub sex: Sex,
    #[schema(value_type = String)]
    pub ethnicity: Ethnicity,
    pub uasc: bool,
    pub disability: bool,
    #[schema(value_type = String)]
    pub sen: SenStatus,
    pub home_postcode: Option<String>,
    pub home_district: Option<String>,
    pub school_district: Option<String>,
    #[schema(value_type = String)]
    pub legal_status: LegalStatus,
    pub sibling_group: Option<i64>,
    #[schema(value_type = String, format = Date)]
    pub looked_after_since: Date,
    pub connected_persons: usize,
}

impl From<Child> for ChildView {
    fn from(c: Child) -> Self {
        Self {
            id: c.id,
            la_code: c.la_code,
            reference: c.reference.as_str().to_owned(),
            date_of_birth: c.date_of_birth,
            sex: c.sex,
            ethnicity: c.ethnicity,
            uasc: c.uasc,
            disability: c.disability,
            sen: c.sen,
            home_postcode: c.home_postcode.map(|p| p.to_string()),
            home_district: c.home_district.map(|d| d.to_string()),
            school_district: c.school_district.map(|d| d.to_string()),
            legal_status: c.legal_status,
            sibling_group: c.sibling_group.map(|g| g.0),
            looked_after_since: c.looked_after_since,
            connected_persons: c.connected_persons.len(),
        }
    }
}

/// A referral in a list: enough to pick it out, nothing about the child.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferralSummary {
    #[schema(value_type = i64)]
    pub id: ReferralId,
    pub la_code: u16,
    #[schema(value_type = String)]
    pub status: ReferralStatus,
    #[schema(value_type = String)]
    pub urgency: Urgency,
    #[schema(value_type = String, format = Date)]
    pub needed_from: Date,
    /// How many children the referral is for. Not `children`: the full view, which includes this
    /// summary, lists the children themselves under that key, and one key has one type.
    pub child_count: usize,
    #[schema(value_type = Vec<String>)]
    pub needs: Vec<Need>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

impl From<&Referral> for ReferralSummary {
    fn from(r: &Referral) -> Self {
        Self {
            id: r.id,
            la_code: r.la_code,
            status: r.status,
            urgency: r.urgency,
            needed_from: r.needed_from,
            child_count: r.children.len(),
            needs: r.needs.clone(),
            created_at: r.created_at,
        }
    }
}

/// The minimum a provider needs to decide whether it can offer: age band, sex, needs and risks,
/// area, urgency and dates. No name, reference, date of birth or address.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferralMinimised {
    #[schema(value_type = i64)]
    pub id: ReferralId,
    /// The referring council's name.
    pub council: String,
    pub children: Vec<ChildMinimised>,
    pub siblings_together: bool,
    #[schema(value_type = Vec<String>)]
    pub needs: Vec<Need>,
    /// A postcode district where the home should be (no more precise).
    pub area: Option<String>,
    #[schema(value_type = String)]
    pub urgency: Urgency,
    #[schema(value_type = String, format = Date)]
    pub needed_from: Date,
    #[schema(value_type = String)]
    pub status: ReferralStatus,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ChildMinimised {
    #[schema(value_type = String)]
    pub age_band: AgeBand,
    #[schema(value_type = String)]
    pub sex: Sex,
    pub disability: bool,
    pub uasc: bool,
}

/// A referral in full, for its council and, once its offer is accepted, the chosen provider.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferralFull {
    #[serde(flatten)]
    pub summary: ReferralSummary,
    pub siblings_together: bool,
    pub preferred_district: Option<String>,
    pub children: Vec<ChildView>,
    /// The referral form: the narrative and the Placements Data Standard answers.
    #[schema(value_type = Object)]
    pub details: ReferralDetails,
    /// Its history, oldest first: created, edited, each change of status.
    pub events: Vec<ReferralEventView>,
}

/// One entry in a referral's history. `from` is empty for the creation, `to` for an edit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReferralEventView {
    #[schema(value_type = Option<String>)]
    pub from: Option<ReferralStatus>,
    #[schema(value_type = Option<String>)]
    pub to: Option<ReferralStatus>,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    #[schema(value_type = Option<i64>)]
    pub user: Option<hearth_domain::UserId>,
}

impl From<hearth_store::ReferralEvent> for ReferralEventView {
    fn from(e: hearth_store::ReferralEvent) -> Self {
        Self { from: e.from, to: e.to, at: e.at, user: e.user }
    }
}

/// What a caller is shown of one referral.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "view", rename_all = "snake_case")]
pub enum ReferralView {
    /// Boxed: the full view carries the form, several times the size of the minimised one.
    Full(Box<ReferralFull>),
    Minimised(ReferralMinimised),
}

impl ChildMinimised {
    pub fn of(c: &Child, on: Date) -> Self {
        Self { age_band: AgeBand::of_age(c.age_on(on)), sex: c.sex, disability: c.disability, uasc: c.uasc }
    }
}

/// A home as anyone allowed to see it sees it: no exact location.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HomeView {
    #[schema(value_type = i64)]
    pub id: HomeId,
    pub provider: i64,
    pub kind: String,
    pub name: String,
    pub urn: Option<String>,
    pub registration: String,
    pub judgement: Option<String>,
    pub la_code: Option<u16>,
    pub district: String,
    pub places: u16,
    pub age_min: u8,
    pub age_max: u8,
    pub sex: String,
    pub skills: Vec<String>,
    pub weekly_price: u32,
    pub active: bool,
}

impl From<Home> for HomeView {
    fn from(h: Home) -> Self {
        Self {
            id: h.id,
            provider: h.provider.0,
            kind: h.kind.code().to_owned(),
            name: h.name,
            urn: h.urn,
            registration: h.registration.code().to_owned(),
            judgement: h.judgement.map(|j| j.code().to_owned()),
            la_code: h.la_code,
            district: h.district.to_string(),
            places: h.places,
            age_min: h.ages.min,
            age_max: h.ages.max,
            sex: h.sex.code().to_owned(),
            skills: h.skills.iter().map(|s| s.code().to_owned()).collect(),
            weekly_price: h.weekly_price.pounds(),
            active: h.active,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VacancyView {
    #[schema(value_type = i64)]
    pub id: VacancyId,
    #[schema(value_type = i64)]
    pub home: HomeId,
    pub places: u16,
    #[schema(value_type = String, format = Date)]
    pub available_from: Date,
    pub age_min: u8,
    pub age_max: u8,
    pub sex: String,
    pub weekly_price: u32,
}

impl From<Vacancy> for VacancyView {
    fn from(v: Vacancy) -> Self {
        Self {
            id: v.id,
            home: v.home,
            places: v.places,
            available_from: v.available_from,
            age_min: v.ages.min,
            age_max: v.ages.max,
            sex: v.sex.code().to_owned(),
            weekly_price: v.weekly_price.pounds(),
        }
    }
}

/// A placement, as the child's council sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlacementView {
    pub id: i64,
    pub child: i64,
    pub home: Option<i64>,
    /// SSDA903 PLACE code.
    pub placement_type: String,
    /// SSDA903 PLACE_PROVIDER code.
    pub provider: String,
    pub tier: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub start: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub end: Option<Date>,
    pub reason_ceased: Option<String>,
    pub reason_change: Option<String>,
    pub planned_ending: Option<bool>,
    pub previous: Option<i64>,
    pub step_down: bool,
    /// DfE distance from home in miles; 999.9 when unknown.
    pub distance_miles: f64,
    pub weekly_cost: Option<u32>,
}

impl From<hearth_domain::placement::Placement> for PlacementView {
    fn from(p: hearth_domain::placement::Placement) -> Self {
        Self {
            id: p.id.0,
            child: p.child.0,
            home: p.home.map(|h| h.0),
            placement_type: p.placement_type.code().to_owned(),
            provider: p.provider.code().to_owned(),
            tier: p.tier.map(|t| t.code().to_owned()),
            start: p.start,
            end: p.end,
            reason_ceased: p.reason_ceased.map(|r| r.code().to_owned()),
            reason_change: p.reason_change.map(|r| r.code().to_owned()),
            planned_ending: p.planned_ending,
            previous: p.previous.map(|x| x.0),
            step_down: p.step_down,
            distance_miles: p.distance.0,
            weekly_cost: p.weekly_cost.map(|w| w.pounds()),
        }
    }
}
