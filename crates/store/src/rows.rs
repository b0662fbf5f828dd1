//! Rows as both backends return them, and their conversion into domain values.
//!
//! The row structs use only types that SQLite and PostgreSQL decode alike (i64 for BIGINT ids, i32 for
//! INTEGER, bool, f64, String, `time` dates), so one `FromRow` derive serves both. Every stored value
//! is parsed back through the domain's own constructors: what comes out of the store is as valid as
//! what went in, and a value that no longer parses is an error naming the column, never the value.

use crate::convert::{date_from_sql, timestamp_from_sql};
use crate::error::unreadable;
use crate::{Account, ApiTokenRecord, FailureCounts, Recipient, SessionRecord, StoreError};
use hearth_domain::access::Capability;
use hearth_domain::audit::AuditEntry;
use hearth_domain::child::{Child, ChildReference, ConnectedPerson, LegalStatusChange};
use hearth_domain::home::{AgeRange, Home, Skills, Vacancy, WeeklyPrice};
use hearth_domain::org::{Email, Organisation, User};
use hearth_domain::placement::Placement;
use hearth_domain::referral::Referral;
use hearth_domain::seed::RegionCounts;
use hearth_domain::{
    AuditId, ChildId, HomeId, OrganisationId, PlacementId, ReferralId, SiblingGroupId, UserId, VacancyId,
};
use hearth_domain::{DomainError, GridRef, Miles, Postcode, PostcodeDistrict};
use std::collections::HashMap;

/// Parses a stored text with a domain constructor (`HomeKind::parse`, `Postcode::parse`, …).
pub(crate) fn parse<T>(
    column: &'static str,
    raw: &str,
    f: impl FnOnce(&str) -> Result<T, DomainError>,
) -> Result<T, StoreError> {
    f(raw).map_err(|_| unreadable(column))
}

pub(crate) fn parse_opt<T>(
    column: &'static str,
    raw: Option<String>,
    f: impl FnOnce(&str) -> Result<T, DomainError>,
) -> Result<Option<T>, StoreError> {
    raw.map(|r| parse(column, &r, f)).transpose()
}

/// Narrows a stored INTEGER into the domain's unsigned type.
pub(crate) fn narrow<T: TryFrom<i32>>(column: &'static str, v: i32) -> Result<T, StoreError> {
    T::try_from(v).map_err(|_| unreadable(column))
}

pub(crate) fn price(column: &'static str, v: i32) -> Result<WeeklyPrice, StoreError> {
    WeeklyPrice::new(i64::from(v)).map_err(|_| unreadable(column))
}

fn ages(column: &'static str, min: i32, max: i32) -> Result<AgeRange, StoreError> {
    AgeRange::new(narrow(column, min)?, narrow(column, max)?).map_err(|_| unreadable(column))
}

/// The domain's unsigned amounts as the INTEGER columns store them (every one fits).
pub(crate) fn int<T: Into<i64>>(v: T) -> i32 {
    i32::try_from(v.into()).unwrap_or(i32::MAX)
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct OrganisationRow {
    id: i64,
    kind: String,
    name: String,
    la_code: Option<i32>,
    sector: Option<String>,
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = StoreError;
    fn try_from(r: OrganisationRow) -> Result<Self, StoreError> {
        use hearth_domain::org::{OrganisationKind, Sector};
        Ok(Organisation {
            id: OrganisationId(r.id),
            kind: parse("organisations.kind", &r.kind, OrganisationKind::parse)?,
            name: r.name,
            la_code: r.la_code.map(|c| narrow("organisations.la_code", c)).transpose()?,
            sector: parse_opt("organisations.sector", r.sector, Sector::parse)?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct UserRow {
    id: i64,
    organisation_id: i64,
    email: String,
    display_name: String,
    role: String,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> Result<Self, StoreError> {
        Ok(User {
            id: UserId(r.id),
            organisation: OrganisationId(r.organisation_id),
            email: parse("users.email", &r.email, Email::parse)?,
            display_name: r.display_name,
            role: parse("users.role", &r.role, hearth_domain::org::Role::parse)?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct HomeRow {
    id: i64,
    provider_id: i64,
    kind: String,
    name: String,
    urn: Option<String>,
    registration: String,
    judgement: Option<String>,
    last_inspected: Option<time::Date>,
    risk: String,
    la_code: Option<i32>,
    utla: String,
    district: String,
    easting: i32,
    northing: i32,
    places: i32,
    age_min: i32,
    age_max: i32,
    sex: String,
    other_children: i32,
    pets: bool,
    weekly_price: i32,
    active: bool,
}

impl HomeRow {
    pub(crate) fn id(&self) -> i64 {
        self.id
    }

    /// A home with its skills, which live in their own table.
    pub(crate) fn into_home(self, skills: Skills) -> Result<Home, StoreError> {
        use hearth_domain::home::{HomeKind, Judgement, RegistrationStatus, RiskRating, SexAccepted};
        Ok(Home {
            id: HomeId(self.id),
            provider: OrganisationId(self.provider_id),
            kind: parse("homes.kind", &self.kind, HomeKind::parse)?,
            name: self.name,
            urn: self.urn,
            registration: parse("homes.registration", &self.registration, RegistrationStatus::parse)?,
            judgement: parse_opt("homes.judgement", self.judgement, Judgement::parse)?,
            last_inspected: self.last_inspected.map(|d| date_from_sql(d, "homes.last_inspected")).transpose()?,
            risk: parse("homes.risk", &self.risk, RiskRating::parse)?,
            la_code: self.la_code.map(|c| narrow("homes.la_code", c)).transpose()?,
            utla: self.utla,
            district: parse("homes.district", &self.district, PostcodeDistrict::parse)?,
            grid: GridRef { easting: self.easting, northing: self.northing },
            places: narrow("homes.places", self.places)?,
            ages: ages("homes.age_min", self.age_min, self.age_max)?,
            sex: parse("homes.sex", &self.sex, SexAccepted::parse)?,
            skills,
            other_children: narrow("homes.other_children", self.other_children)?,
            pets: self.pets,
            weekly_price: price("homes.weekly_price", self.weekly_price)?,
            active: self.active,
        })
    }
}

/// Skill rows `(home_id, skill)`, gathered into each home's set.
pub(crate) fn skills_by_home(rows: Vec<(i64, String)>) -> Result<HashMap<i64, Skills>, StoreError> {
    let mut by_home: HashMap<i64, Skills> = HashMap::new();
    for (home, skill) in rows {
        let skill = parse("home_skills.skill", &skill, hearth_domain::home::Skill::parse)?;
        let set = by_home.entry(home).or_default();
        *set = set.with(skill);
    }
    Ok(by_home)
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct VacancyRow {
    id: i64,
    home_id: i64,
    places: i32,
    available_from: time::Date,
    age_min: i32,
    age_max: i32,
    sex: String,
    weekly_price: i32,
}

impl TryFrom<VacancyRow> for Vacancy {
    type Error = StoreError;
    fn try_from(r: VacancyRow) -> Result<Self, StoreError> {
        Ok(Vacancy {
            id: VacancyId(r.id),
            home: HomeId(r.home_id),
            places: narrow("vacancies.places", r.places)?,
            available_from: date_from_sql(r.available_from, "vacancies.available_from")?,
            ages: ages("vacancies.age_min", r.age_min, r.age_max)?,
            sex: parse("vacancies.sex", &r.sex, hearth_domain::home::SexAccepted::parse)?,
            weekly_price: price("vacancies.weekly_price", r.weekly_price)?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ContractRow {
    id: i64,
    la_code: i32,
    provider_id: i64,
    tier: String,
    weekly_price: i32,
    block_beds: i32,
    starts: time::Date,
    ends: Option<time::Date>,
}

impl TryFrom<ContractRow> for hearth_domain::contract::Contract {
    type Error = StoreError;
    fn try_from(r: ContractRow) -> Result<Self, StoreError> {
        Ok(hearth_domain::contract::Contract {
            id: hearth_domain::ContractId(r.id),
            la_code: narrow("contracts.la_code", r.la_code)?,
            provider: hearth_domain::OrganisationId(r.provider_id),
            tier: parse("contracts.tier", &r.tier, hearth_domain::contract::ContractTier::parse)?,
            weekly_price: price("contracts.weekly_price", r.weekly_price)?,
            block_beds: narrow("contracts.block_beds", r.block_beds)?,
            starts: date_from_sql(r.starts, "contracts.starts")?,
            ends: r.ends.map(|d| date_from_sql(d, "contracts.ends")).transpose()?,
            // In its own tables: `contract_coverage` fills it in.
            covers: hearth_domain::contract::Coverage::default(),
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ContractVersionRow {
    contract_id: i64,
    takes_effect: time::Date,
    weekly_price: i32,
    block_beds: i32,
}

impl TryFrom<ContractVersionRow> for hearth_domain::contract::ContractVersion {
    type Error = StoreError;
    fn try_from(r: ContractVersionRow) -> Result<Self, StoreError> {
        Ok(hearth_domain::contract::ContractVersion {
            contract: hearth_domain::ContractId(r.contract_id),
            takes_effect: date_from_sql(r.takes_effect, "contract_versions.takes_effect")?,
            weekly_price: price("contract_versions.weekly_price", r.weekly_price)?,
            block_beds: narrow("contract_versions.block_beds", r.block_beds)?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ChildRow {
    id: i64,
    la_code: i32,
    reference: String,
    date_of_birth: time::Date,
    sex: String,
    ethnicity: String,
    uasc: bool,
    disability: bool,
    sen: String,
    home_postcode: Option<String>,
    home_district: Option<String>,
    school_district: Option<String>,
    legal_status: String,
    sibling_group: Option<i64>,
    looked_after_since: time::Date,
    ceased_on: Option<time::Date>,
    category_of_need: Option<String>,
}

impl ChildRow {
    pub(crate) fn id(&self) -> i64 {
        self.id
    }

    /// A child with their connected persons, which live in their own table.
    pub(crate) fn into_child(self, connected_persons: Vec<ConnectedPerson>) -> Result<Child, StoreError> {
        use hearth_domain::child::SenStatus;
        use hearth_domain::{Ethnicity, LegalStatus, Sex};
        Ok(Child {
            id: ChildId(self.id),
            la_code: narrow("children.la_code", self.la_code)?,
            reference: parse("children.reference", &self.reference, ChildReference::parse)?,
            date_of_birth: date_from_sql(self.date_of_birth, "children.date_of_birth")?,
            sex: parse("children.sex", &self.sex, Sex::parse)?,
            ethnicity: parse("children.ethnicity", &self.ethnicity, Ethnicity::parse)?,
            uasc: self.uasc,
            disability: self.disability,
            sen: parse("children.sen", &self.sen, SenStatus::parse)?,
            home_postcode: parse_opt("children.home_postcode", self.home_postcode, Postcode::parse)?,
            home_district: parse_opt("children.home_district", self.home_district, PostcodeDistrict::parse)?,
            school_district: parse_opt("children.school_district", self.school_district, PostcodeDistrict::parse)?,
            legal_status: parse("children.legal_status", &self.legal_status, LegalStatus::parse)?,
            category_of_need: parse_opt(
                "children.category_of_need",
                self.category_of_need,
                hearth_domain::CategoryOfNeed::parse,
            )?,
            sibling_group: self.sibling_group.map(SiblingGroupId),
            looked_after_since: date_from_sql(self.looked_after_since, "children.looked_after_since")?,
            ceased_on: self.ceased_on.map(|d| date_from_sql(d, "children.ceased_on")).transpose()?,
            connected_persons,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ConnectedPersonRow {
    child_id: i64,
    relationship: String,
    district: Option<String>,
    carer_home_id: Option<i64>,
}

/// Connected-person rows, ordered by child and position, gathered into each child's list.
pub(crate) fn connected_by_child(
    rows: Vec<ConnectedPersonRow>,
) -> Result<HashMap<i64, Vec<ConnectedPerson>>, StoreError> {
    let mut by_child: HashMap<i64, Vec<ConnectedPerson>> = HashMap::new();
    for r in rows {
        let person = ConnectedPerson {
            relationship: parse(
                "connected_persons.relationship",
                &r.relationship,
                hearth_domain::child::Relationship::parse,
            )?,
            district: parse_opt("connected_persons.district", r.district, PostcodeDistrict::parse)?,
            carer_home: r.carer_home_id.map(HomeId),
        };
        by_child.entry(r.child_id).or_default().push(person);
    }
    Ok(by_child)
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct PlacementRow {
    id: i64,
    child_id: i64,
    la_code: i32,
    home_id: Option<i64>,
    referral_id: Option<i64>,
    placement_type: String,
    provider: String,
    tier: Option<String>,
    start_date: time::Date,
    end_date: Option<time::Date>,
    reason_ceased: Option<String>,
    reason_change: Option<String>,
    planned_ending: Option<bool>,
    previous_id: Option<i64>,
    step_down: bool,
    postcode: Option<String>,
    pl_utla: Option<String>,
    distance: f64,
    weekly_cost: Option<i32>,
}

impl TryFrom<PlacementRow> for Placement {
    type Error = StoreError;
    fn try_from(r: PlacementRow) -> Result<Self, StoreError> {
        use hearth_domain::contract::ContractTier;
        use hearth_domain::{PlaceProvider, PlacementType, ReasonEpisodeCeased, ReasonPlaceChange};
        Ok(Placement {
            id: PlacementId(r.id),
            child: ChildId(r.child_id),
            la_code: narrow("placements.la_code", r.la_code)?,
            home: r.home_id.map(HomeId),
            referral: r.referral_id.map(ReferralId),
            placement_type: parse("placements.placement_type", &r.placement_type, PlacementType::parse)?,
            provider: parse("placements.provider", &r.provider, PlaceProvider::parse)?,
            tier: parse_opt("placements.tier", r.tier, ContractTier::parse)?,
            start: date_from_sql(r.start_date, "placements.start_date")?,
            end: r.end_date.map(|d| date_from_sql(d, "placements.end_date")).transpose()?,
            reason_ceased: parse_opt("placements.reason_ceased", r.reason_ceased, ReasonEpisodeCeased::parse)?,
            reason_change: parse_opt("placements.reason_change", r.reason_change, ReasonPlaceChange::parse)?,
            planned_ending: r.planned_ending,
            previous: r.previous_id.map(PlacementId),
            step_down: r.step_down,
            postcode: parse_opt("placements.postcode", r.postcode, Postcode::parse)?,
            pl_utla: r.pl_utla,
            distance: Miles(r.distance),
            weekly_cost: r.weekly_cost.map(|p| price("placements.weekly_cost", p)).transpose()?,
        })
    }
}

/// A placement with its home's Ofsted URN, for the SSDA903 return.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct PlacementUrnRow {
    #[sqlx(flatten)]
    placement: PlacementRow,
    urn: Option<String>,
}

impl TryFrom<PlacementUrnRow> for (Placement, Option<String>) {
    type Error = StoreError;
    fn try_from(r: PlacementUrnRow) -> Result<Self, StoreError> {
        Ok((r.placement.try_into()?, r.urn))
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct LegalStatusRow {
    child_id: i64,
    from_date: time::Date,
    legal_status: String,
}

impl TryFrom<LegalStatusRow> for LegalStatusChange {
    type Error = StoreError;
    fn try_from(r: LegalStatusRow) -> Result<Self, StoreError> {
        Ok(LegalStatusChange {
            child: ChildId(r.child_id),
            legal_status: parse("legal_statuses.legal_status", &r.legal_status, hearth_domain::LegalStatus::parse)?,
            from: date_from_sql(r.from_date, "legal_statuses.from_date")?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AuditRow {
    id: i64,
    at: time::OffsetDateTime,
    user_id: Option<i64>,
    organisation_id: Option<i64>,
    actor_label: String,
    action: String,
    record_type: String,
    record_id: Option<String>,
    from_addr: Option<String>,
    detail: Option<String>,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = StoreError;
    fn try_from(r: AuditRow) -> Result<Self, StoreError> {
        Ok(AuditEntry {
            id: AuditId(r.id),
            at: timestamp_from_sql(r.at, "audit_log.at")?,
            user: r.user_id.map(UserId),
            organisation: r.organisation_id.map(OrganisationId),
            actor_label: r.actor_label,
            action: r.action,
            record_type: r.record_type,
            record_id: r.record_id,
            from: r.from_addr,
            detail: r.detail,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct CountsRow {
    organisations: i64,
    users: i64,
    homes: i64,
    vacancies: i64,
    contracts: i64,
    children: i64,
    referrals: i64,
    offers: i64,
    placements: i64,
    quality_visits: i64,
}

impl From<CountsRow> for RegionCounts {
    fn from(r: CountsRow) -> Self {
        // COUNT(*) is never negative.
        let n = |v: i64| u64::try_from(v).unwrap_or_default();
        RegionCounts {
            organisations: n(r.organisations),
            users: n(r.users),
            homes: n(r.homes),
            vacancies: n(r.vacancies),
            contracts: n(r.contracts),
            children: n(r.children),
            referrals: n(r.referrals),
            offers: n(r.offers),
            placements: n(r.placements),
            quality_visits: n(r.quality_visits),
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ReferralRow {
    id: i64,
    la_code: i32,
    siblings_together: bool,
    urgency: String,
    needed_from: time::Date,
    preferred_district: Option<String>,
    status: String,
    created_by: Option<i64>,
    created_at: time::OffsetDateTime,
    closed_at: Option<time::OffsetDateTime>,
}

/// Referrals with their children and needs, which live in their own tables: rows `(referral_id, …)`
/// ordered by referral and position.
pub(crate) fn referrals_with_parts(
    referrals: Vec<ReferralRow>,
    children: Vec<(i64, i64)>,
    needs: Vec<(i64, String)>,
) -> Result<Vec<Referral>, StoreError> {
    use hearth_domain::referral::{Need, ReferralStatus, Urgency};
    let mut children_of: HashMap<i64, Vec<ChildId>> = HashMap::new();
    for (referral, child) in children {
        children_of.entry(referral).or_default().push(ChildId(child));
    }
    let mut needs_of: HashMap<i64, Vec<Need>> = HashMap::new();
    for (referral, need) in needs {
        needs_of.entry(referral).or_default().push(parse("referral_needs.need", &need, Need::parse)?);
    }
    referrals
        .into_iter()
        .map(|r| {
            Ok(Referral {
                id: ReferralId(r.id),
                la_code: narrow("referrals.la_code", r.la_code)?,
                children: children_of.remove(&r.id).unwrap_or_default(),
                siblings_together: r.siblings_together,
                urgency: parse("referrals.urgency", &r.urgency, Urgency::parse)?,
                needed_from: date_from_sql(r.needed_from, "referrals.needed_from")?,
                needs: needs_of.remove(&r.id).unwrap_or_default(),
                preferred_district: parse_opt(
                    "referrals.preferred_district",
                    r.preferred_district,
                    PostcodeDistrict::parse,
                )?,
                status: parse("referrals.status", &r.status, ReferralStatus::parse)?,
                created_by: r.created_by.map(UserId),
                created_at: timestamp_from_sql(r.created_at, "referrals.created_at")?,
                closed_at: r.closed_at.map(|t| timestamp_from_sql(t, "referrals.closed_at")).transpose()?,
            })
        })
        .collect()
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct RecipientRow {
    referral_id: i64,
    provider_id: i64,
    sent_at: time::OffsetDateTime,
    offer_accepted: bool,
}

impl TryFrom<RecipientRow> for Recipient {
    type Error = StoreError;
    fn try_from(r: RecipientRow) -> Result<Self, StoreError> {
        Ok(Recipient {
            referral: ReferralId(r.referral_id),
            provider: OrganisationId(r.provider_id),
            sent_at: timestamp_from_sql(r.sent_at, "referral_recipients.sent_at")?,
            offer_accepted: r.offer_accepted,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AccountRow {
    #[sqlx(flatten)]
    user: UserRow,
    password_hash: Option<String>,
    active: bool,
    organisation_kind: String,
    la_code: Option<i32>,
}

impl TryFrom<AccountRow> for Account {
    type Error = StoreError;
    fn try_from(r: AccountRow) -> Result<Self, StoreError> {
        Ok(Account {
            user: r.user.try_into()?,
            password_hash: r.password_hash,
            active: r.active,
            organisation_kind: parse(
                "organisations.kind",
                &r.organisation_kind,
                hearth_domain::org::OrganisationKind::parse,
            )?,
            la_code: r.la_code.map(|c| narrow("organisations.la_code", c)).transpose()?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct SessionRow {
    id: i64,
    user_id: i64,
    csrf_token: String,
    created_at: time::OffsetDateTime,
    expires_at: time::OffsetDateTime,
    revoked_at: Option<time::OffsetDateTime>,
    ip: Option<String>,
    user_agent: Option<String>,
}

impl TryFrom<SessionRow> for SessionRecord {
    type Error = StoreError;
    fn try_from(r: SessionRow) -> Result<Self, StoreError> {
        Ok(SessionRecord {
            id: r.id,
            user: UserId(r.user_id),
            csrf_token: r.csrf_token,
            created_at: timestamp_from_sql(r.created_at, "sessions.created_at")?,
            expires_at: timestamp_from_sql(r.expires_at, "sessions.expires_at")?,
            revoked_at: r.revoked_at.map(|t| timestamp_from_sql(t, "sessions.revoked_at")).transpose()?,
            ip: r.ip,
            user_agent: r.user_agent,
        })
    }
}

/// A token's scopes as `api_tokens.scopes` keeps them: their codes, separated by single spaces.
pub(crate) fn scopes_to_sql(scopes: &[Capability]) -> String {
    scopes.iter().map(|c| c.code()).collect::<Vec<_>>().join(" ")
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ApiTokenRow {
    id: i64,
    organisation_id: i64,
    issued_by: i64,
    name: String,
    scopes: String,
    created_at: time::OffsetDateTime,
    expires_at: Option<time::OffsetDateTime>,
    revoked_at: Option<time::OffsetDateTime>,
}

impl TryFrom<ApiTokenRow> for ApiTokenRecord {
    type Error = StoreError;
    fn try_from(r: ApiTokenRow) -> Result<Self, StoreError> {
        Ok(ApiTokenRecord {
            id: r.id,
            organisation: OrganisationId(r.organisation_id),
            issued_by: UserId(r.issued_by),
            name: r.name,
            scopes: r
                .scopes
                .split_whitespace()
                .map(|code| parse("api_tokens.scopes", code, Capability::parse))
                .collect::<Result<_, _>>()?,
            created_at: timestamp_from_sql(r.created_at, "api_tokens.created_at")?,
            expires_at: r.expires_at.map(|t| timestamp_from_sql(t, "api_tokens.expires_at")).transpose()?,
            revoked_at: r.revoked_at.map(|t| timestamp_from_sql(t, "api_tokens.revoked_at")).transpose()?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct FailureCountsRow {
    by_account: i64,
    by_address: i64,
    by_pair: i64,
    address_oldest: Option<time::OffsetDateTime>,
    pair_oldest: Option<time::OffsetDateTime>,
    pair_latest: Option<time::OffsetDateTime>,
}

impl TryFrom<FailureCountsRow> for FailureCounts {
    type Error = StoreError;
    fn try_from(r: FailureCountsRow) -> Result<Self, StoreError> {
        // COUNT(*) is never negative; a count past u32 is as good as u32::MAX to a throttle.
        let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        let at = |t: Option<time::OffsetDateTime>| t.map(|t| timestamp_from_sql(t, "sign_in_attempts.at")).transpose();
        Ok(FailureCounts {
            by_account: n(r.by_account),
            by_address: n(r.by_address),
            by_pair: n(r.by_pair),
            address_oldest: at(r.address_oldest)?,
            pair_oldest: at(r.pair_oldest)?,
            pair_latest: at(r.pair_latest)?,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct ReferralEventRow {
    id: i64,
    referral_id: i64,
    from_status: Option<String>,
    to_status: Option<String>,
    at: time::OffsetDateTime,
    user_id: Option<i64>,
}

impl TryFrom<ReferralEventRow> for crate::ReferralEvent {
    type Error = StoreError;
    fn try_from(r: ReferralEventRow) -> Result<Self, StoreError> {
        use hearth_domain::referral::ReferralStatus;
        Ok(Self {
            id: r.id,
            referral: ReferralId(r.referral_id),
            from: parse_opt("referral_events.from_status", r.from_status, ReferralStatus::parse)?,
            to: parse_opt("referral_events.to_status", r.to_status, ReferralStatus::parse)?,
            at: crate::convert::timestamp_from_sql(r.at, "referral_events.at")?,
            user: r.user_id.map(UserId),
        })
    }
}
