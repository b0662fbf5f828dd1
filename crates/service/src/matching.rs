//! The matching engine in service: one in-memory index of every available home, built from the
//! store when first needed (and at start-up by `hearth serve`) and updated on every vacancy change
//! through this service, so that a search never offers a place that was just filled. The database
//! stays the truth; the index is rebuilt from it, never the other way round.

use crate::auth::Origin;
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::contract::ContractTier;
use hearth_domain::home::HomeKind;
use hearth_domain::referral::Referral;
use hearth_domain::referral::Urgency;
use hearth_domain::{
    DomainError, GridRef, HomeId, OrganisationId, PostcodeDistrict, ReferralId, Sex, ValidationErrors,
};
use hearth_matching::{Contracts, MatchRequest, PlacementKind, SupplyIndex, Weights};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use utoipa::ToSchema;

/// The index and what the answers name that the index does not keep.
#[derive(Debug, Default)]
pub struct Supply {
    state: RwLock<Option<Loaded>>,
    /// Each referral's search as last built from the store, so an officer refreshing the matches
    /// does not cost three database reads each time. Dropped when the referral changes through this
    /// service; another process's change shows within [`REQUEST_TTL`].
    requests: Mutex<HashMap<ReferralId, (u16, MatchRequest, Timestamp)>>,
    /// Each council's weights, read from the store once and replaced when changed through Hearth.
    weights: Mutex<HashMap<u16, Weights>>,
    /// The homes and vacancies the pages list, dropped with every vacancy change below.
    pub(crate) snapshot: crate::supply_snapshot::Snapshot,
}

const REQUEST_TTL: SignedDuration = SignedDuration::from_secs(15);

#[derive(Debug)]
struct Loaded {
    index: SupplyIndex,
    names: HashMap<HomeId, Label>,
    /// The median asking price of the region's active homes of each kind, for comparing offers.
    medians: HashMap<HomeKind, u32>,
    /// The contracts in force when the index was built: an accepted offer's tier and contract price.
    contracts: Contracts,
    organisations: HashMap<OrganisationId, hearth_domain::org::Organisation>,
}

#[derive(Debug, Clone)]
struct Label {
    name: String,
    provider: String,
    provider_id: OrganisationId,
    district: String,
}

/// A home that passes every hard rule for a referral, with who owns it and on what terms: what
/// sending and offers are checked against.
#[derive(Debug, Clone)]
pub(crate) struct Fitting {
    pub home: HomeId,
    pub provider: OrganisationId,
    pub view: MatchView,
    pub tier: ContractTier,
}

/// One home in a ranked answer, with why it is where it is.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchView {
    pub rank: usize,
    pub home: i64,
    pub name: String,
    pub provider: String,
    pub kind: String,
    pub district: String,
    pub vacancy: Option<i64>,
    pub connected_person: bool,
    pub score: f32,
    /// DfE miles from the child's home; 999.9 when unknown.
    pub distance_miles: f64,
    pub school_miles: Option<f64>,
    /// `in_house`, `block`, `framework` or `spot`.
    pub tier: String,
    pub weekly_price: u32,
    pub contributions: Vec<Contribution>,
    /// One sentence per factor, in the order of `contributions`.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contribution {
    pub factor: String,
    pub points: f32,
}

/// A ranked answer: the homes, and how many were left out by each hard rule. An empty list with
/// its exclusion counts is an answer, not an error: it is the unmet need commissioners must see.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchesView {
    pub matches: Vec<MatchView>,
    /// Homes that passed every hard rule.
    pub considered: usize,
    /// Homes left out, by the first hard rule each failed (rule code → count).
    #[schema(value_type = Object)]
    pub excluded: serde_json::Value,
    pub excluded_total: usize,
}

impl Supply {
    pub(crate) fn forget_request(&self, id: ReferralId) {
        self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&id);
    }

    fn cached_request(&self, id: ReferralId, now: Timestamp) -> Option<(u16, MatchRequest)> {
        let map = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(&id).filter(|(_, _, at)| now.duration_since(*at) < REQUEST_TTL).map(|(la, r, _)| (*la, r.clone()))
    }

    fn remember_request(&self, id: ReferralId, la_code: u16, request: &MatchRequest, now: Timestamp) {
        let mut map = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= 10_000 {
            map.clear();
        }
        map.insert(id, (la_code, request.clone(), now));
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Option<Loaded>> {
        self.state.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Option<Loaded>> {
        self.state.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Services {
    /// (Re)builds the index from the store: every home, vacancy, contract in force today and the
    /// councils' own services. Returns how many homes it holds.
    pub async fn load_supply(&self) -> Result<usize, ServiceError> {
        let homes = self.store.homes().await?;
        let vacancies = self.store.vacancies().await?;
        let organisations = self.store.organisations().await?;
        let contracts = self.store.contracts().await?;
        let contracts = Contracts::new(&contracts, self.today()).with_council_services(&organisations);
        let org_names: HashMap<_, _> = organisations.iter().map(|o| (o.id, o.name.clone())).collect();
        let names = homes
            .iter()
            .map(|h| {
                let provider = org_names.get(&h.provider).cloned().unwrap_or_default();
                let label =
                    Label { name: h.name.clone(), provider, provider_id: h.provider, district: h.district.to_string() };
                (h.id, label)
            })
            .collect();
        let medians = median_prices(&homes);
        let index = SupplyIndex::build(&homes, &vacancies, contracts.clone());
        let organisations = organisations.into_iter().map(|o| (o.id, o)).collect();
        // Searches geocode postcodes: parse the embedded gazetteer now, not in the first request.
        hearth_reference::Gazetteer::get();
        let n = index.len();
        *self.supply.write() = Some(Loaded { index, names, medians, contracts, organisations });
        Ok(n)
    }

    async fn ensure_supply(&self) -> Result<(), ServiceError> {
        if self.supply.read().is_none() {
            self.load_supply().await?;
        }
        Ok(())
    }

    /// Keeps the index in step with a vacancy the store has just changed.
    pub(crate) fn vacancy_changed(&self, v: &hearth_domain::home::Vacancy) {
        self.supply.snapshot.forget();
        let mut guard = self.supply.write();
        let stale = guard.as_mut().is_some_and(|l| l.index.update_vacancy(v).is_err());
        if stale {
            // A vacancy of a home the index does not hold (added since it was built): rebuild on next use.
            tracing::warn!(vacancy = v.id.0, "vacancy of an unindexed home; the index will be rebuilt");
            *guard = None;
        }
    }

    /// The weights a council ranks with: its own where it has tuned them, else the defaults.
    async fn weights_of(&self, la_code: u16) -> Result<Weights, ServiceError> {
        if let Some(w) = self.supply.weights.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&la_code) {
            return Ok(*w);
        }
        let weights = match self.store.council_weights(la_code).await? {
            // Stored weights were checked when saved; if they no longer parse (a factor renamed by an
            // upgrade), rank with the defaults rather than refuse to rank at all.
            Some(json) => serde_json::from_str::<Weights>(&json).unwrap_or_else(|e| {
                tracing::warn!(la_code, error = %e, "stored matching weights unreadable; using the defaults");
                Weights::default()
            }),
            None => Weights::default(),
        };
        self.supply.weights.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(la_code, weights);
        Ok(weights)
    }

    /// A council's matching weights: its commissioners and team managers may read and tune them.
    pub async fn council_weights(&self, p: &Principal, la_code: u16) -> Result<Weights, ServiceError> {
        p.require_council(Capability::ManageWeights, la_code).map_err(|d| ServiceError::denied(d, "council"))?;
        self.weights_of(la_code).await
    }

    /// Replaces a council's weights. Fields not sent take their defaults; unknown ones are refused.
    pub async fn set_council_weights(
        &self,
        p: &Principal,
        la_code: u16,
        sent: serde_json::Value,
        origin: &Origin,
    ) -> Result<Weights, ServiceError> {
        p.require_council(Capability::ManageWeights, la_code).map_err(|d| ServiceError::denied(d, "council"))?;
        // Weights are named: a list (even an empty one) would be read field by field in order, and `[]`
        // would quietly put every weight back to its default.
        if !sent.is_object() {
            return Err(ServiceError::Invalid(
                DomainError::new("weights", "send an object of factor names and weights, e.g. {\"distance\": 40}")
                    .into(),
            ));
        }
        let weights: Weights = serde_json::from_value(sent)
            .map_err(|e| ServiceError::Invalid(DomainError::new("weights", format!("{e}")).into()))?;
        weights.validate().map_err(|e| ServiceError::Invalid(DomainError::new("weights", e.to_string()).into()))?;
        let json = serde_json::to_string(&weights).map_err(|e| ServiceError::Internal(e.to_string()))?;
        self.store
            .set_council_weights(&crate::auth::actor_of(p, "tune weights", origin), la_code, &json, self.now())
            .await?;
        self.supply.weights.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(la_code, weights);
        Ok(weights)
    }

    fn rank(&self, request: &MatchRequest, weights: &Weights, limit: usize) -> Result<MatchesView, ServiceError> {
        let guard = self.supply.read();
        let Some(loaded) = guard.as_ref() else {
            return Err(ServiceError::Internal("the supply index is not loaded".into()));
        };
        let result = loaded.index.rank(request, weights, limit);
        let matches = result
            .matches
            .into_iter()
            .enumerate()
            .map(|(i, m)| {
                let label = loaded.names.get(&m.home).cloned().unwrap_or(Label {
                    name: format!("Home {}", m.home),
                    provider: String::new(),
                    provider_id: OrganisationId(0),
                    district: String::new(),
                });
                MatchView {
                    rank: i + 1,
                    home: m.home.0,
                    name: label.name,
                    provider: label.provider,
                    kind: m.kind.code().to_owned(),
                    district: label.district,
                    vacancy: m.vacancy.map(|v| v.0),
                    connected_person: m.connected_person,
                    score: m.score,
                    distance_miles: m.distance_miles.0,
                    school_miles: m.school_miles.map(|x| x.0),
                    tier: m.tier.code().to_owned(),
                    weekly_price: m.weekly_price.pounds(),
                    contributions: m
                        .contributions
                        .iter()
                        .map(|(f, p)| Contribution { factor: factor_code(*f), points: *p })
                        .collect(),
                    reasons: m.reasons,
                }
            })
            .collect();
        Ok(MatchesView {
            matches,
            considered: result.considered,
            excluded_total: result.excluded.total(),
            excluded: serde_json::to_value(result.excluded).unwrap_or_default(),
        })
    }

    /// The ranked homes for one of the council's referrals.
    pub async fn matches(
        &self,
        p: &Principal,
        id: ReferralId,
        limit: usize,
        _origin: &Origin,
    ) -> Result<MatchesView, ServiceError> {
        // Searching and ranking is the placement officer's work on a referral: it needs the right to
        // write referrals, not only to read them. The capability is checked before anything is read,
        // and the council once the referral's is known.
        p.require(Capability::EditReferrals).map_err(|d| ServiceError::denied(d, format!("referral {id}")))?;
        let (la_code, request) = self.request_for(id).await?;
        p.require_council(Capability::EditReferrals, la_code)
            .map_err(|d| ServiceError::denied(d, format!("referral {id}")))?;
        self.ensure_supply().await?;
        let weights = self.weights_of(la_code).await?;
        self.rank(&request, &weights, limit.clamp(1, 200))
    }

    /// A referral's search, as last built (within [`REQUEST_TTL`]) or built now from the store. Checks
    /// no permission: callers do.
    async fn request_for(&self, id: ReferralId) -> Result<(u16, MatchRequest), ServiceError> {
        let now = self.clock.now();
        if let Some(cached) = self.supply.cached_request(id, now) {
            return Ok(cached);
        }
        let referral = self.store.referral_unaudited(id).await?;
        let request = self.build_request(&referral).await?;
        self.supply.remember_request(id, referral.la_code, &request, now);
        Ok((referral.la_code, request))
    }

    async fn build_request(&self, referral: &Referral) -> Result<MatchRequest, ServiceError> {
        let mut children = Vec::with_capacity(referral.children.len());
        for c in &referral.children {
            children.push(self.store.child_unaudited(*c).await?);
        }
        let first = children.first();
        let home = first.and_then(|c| locate(c.home_postcode.as_ref(), c.home_district.as_ref()));
        let school = first.and_then(|c| locate(None, c.school_district.as_ref()));
        let details = self.store.referral_details(referral.id).await?;
        let mut request = MatchRequest::from_referral(referral, &children, home, school);
        apply_details(&mut request, &details);
        request.validate().map_err(|e| ServiceError::Invalid(DomainError::new("referral", e.to_string()).into()))?;
        Ok(request)
    }

    /// Every home that passes the hard rules for a referral, best first. Sending and offers are
    /// checked against this, so a provider only ever receives a referral one of its homes could meet.
    pub(crate) async fn fitting(&self, id: ReferralId) -> Result<Vec<Fitting>, ServiceError> {
        let (la_code, request) = self.request_for(id).await?;
        self.ensure_supply().await?;
        let weights = self.weights_of(la_code).await?;
        let all = self.supply.read().as_ref().map_or(1, |l| l.index.len().max(1));
        let view = self.rank(&request, &weights, all)?;
        let guard = self.supply.read();
        let names = guard.as_ref().map(|l| &l.names);
        Ok(view
            .matches
            .into_iter()
            .filter_map(|m| {
                let home = HomeId(m.home);
                let provider = names?.get(&home)?.provider_id;
                let tier = ContractTier::parse(&m.tier).unwrap_or(ContractTier::Spot);
                Some(Fitting { home, provider, view: m, tier })
            })
            .collect())
    }

    /// The places a home has free in its vacancies, as the index holds them (kept in step with every
    /// vacancy change), rather than reading every vacancy of the region from the store.
    pub(crate) async fn free_places(&self, home: HomeId) -> Result<u32, ServiceError> {
        self.ensure_supply().await?;
        Ok(self
            .supply
            .read()
            .as_ref()
            .map_or(0, |l| l.index.vacancies_of(home).iter().map(|(_, places, _)| u32::from(*places)).sum()))
    }

    /// The median asking price of the region's homes of `kind`, when there are any.
    pub(crate) async fn median_price(&self, kind: HomeKind) -> Result<Option<u32>, ServiceError> {
        self.ensure_supply().await?;
        Ok(self.supply.read().as_ref().and_then(|l| l.medians.get(&kind).copied()))
    }

    /// A provider's tier and contract price with a council, as the index knows them.
    pub(crate) async fn contract_terms(
        &self,
        provider: OrganisationId,
        la_code: u16,
    ) -> Result<(ContractTier, Option<hearth_domain::home::WeeklyPrice>), ServiceError> {
        self.ensure_supply().await?;
        Ok(self.supply.read().as_ref().map_or((ContractTier::Spot, None), |l| l.contracts.tier(provider, la_code)))
    }

    /// The organisations that match `keep`, from the index's copy, by id.
    pub(crate) async fn organisations_where(
        &self,
        keep: impl Fn(&hearth_domain::org::Organisation) -> bool,
    ) -> Result<Vec<OrganisationId>, ServiceError> {
        self.ensure_supply().await?;
        let guard = self.supply.read();
        let mut ids: Vec<OrganisationId> = guard
            .as_ref()
            .map(|l| l.organisations.values().filter(|o| keep(o)).map(|o| o.id).collect())
            .unwrap_or_default();
        ids.sort();
        Ok(ids)
    }

    /// An organisation, from the index's copy (organisations change rarely; a new one is picked up
    /// when the index is rebuilt), else from the store.
    pub(crate) async fn organisation(
        &self,
        id: OrganisationId,
    ) -> Result<hearth_domain::org::Organisation, ServiceError> {
        self.ensure_supply().await?;
        if let Some(o) = self.supply.read().as_ref().and_then(|l| l.organisations.get(&id).cloned()) {
            return Ok(o);
        }
        self.store
            .organisations()
            .await?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or_else(|| ServiceError::NotFound(format!("organisation {id}")))
    }

    /// "What is free near CV2 for a 14-year-old tonight?": the same engine without a referral.
    pub async fn quick_search(&self, p: &Principal, q: &QuickSearch) -> Result<MatchesView, ServiceError> {
        p.require(Capability::EditReferrals).map_err(|d| ServiceError::denied(d, "search"))?;
        let Some(la_code) = p.la_code else {
            return Err(ServiceError::Forbidden(Capability::EditReferrals));
        };
        let mut errors = ValidationErrors::default();
        let sex = errors.check(Sex::parse(&q.sex));
        let urgency = errors.check(Urgency::parse(q.urgency.as_deref().unwrap_or("same_day")));
        let near = errors.check(PostcodeDistrict::parse(&q.near));
        if q.age > 17 {
            errors.push(DomainError::new("age", "Hearth places children aged 0 to 17"));
        }
        let grid = near.as_ref().and_then(|d| hearth_reference::Gazetteer::get().district(d.as_str())).map(|c| c.grid);
        if near.is_some() && grid.is_none() {
            errors.push(DomainError::new(
                "near",
                "that postcode district is not one we know; try the first half of a postcode, e.g. CV2",
            ));
        }
        errors.into_result()?;
        let (Some(sex), Some(urgency), Some(grid)) = (sex, urgency, grid) else {
            return Err(ServiceError::Internal("validated values missing".into()));
        };
        let mut request = MatchRequest::quick(la_code, q.age, sex, grid, self.today());
        request.urgency = urgency;
        self.ensure_supply().await?;
        let weights = self.weights_of(la_code).await?;
        self.rank(&request, &weights, q.limit.unwrap_or(20).clamp(1, 200))
    }
}

/// A quick search as typed.
#[derive(Debug, Clone, serde::Deserialize, utoipa::IntoParams)]
pub struct QuickSearch {
    /// Age in years, 0–17.
    pub age: u8,
    /// `M`, `F` or `U`.
    pub sex: String,
    /// A postcode district, e.g. `CV2`.
    pub near: String,
    /// `same_day` (default), `within_72_hours` or `planned`.
    pub urgency: Option<String>,
    pub limit: Option<usize>,
}

/// Where a postcode is, else the centre of its district: how a child's home and school are placed on
/// the map for ranking and for DfE's distance.
pub(crate) fn locate(pc: Option<&hearth_domain::Postcode>, d: Option<&PostcodeDistrict>) -> Option<GridRef> {
    let gazetteer = hearth_reference::Gazetteer::get();
    pc.and_then(|pc| gazetteer.lookup(pc))
        .map(|u| u.grid)
        .or_else(|| d.and_then(|d| gazetteer.district(d.as_str())).map(|c| c.grid))
}

/// The middle asking price of each kind of active home (the lower middle for an even count).
fn median_prices(homes: &[hearth_domain::home::Home]) -> HashMap<HomeKind, u32> {
    let mut by_kind: HashMap<HomeKind, Vec<u32>> = HashMap::new();
    for h in homes.iter().filter(|h| h.active) {
        by_kind.entry(h.kind).or_default().push(h.weekly_price.pounds());
    }
    by_kind
        .into_iter()
        .map(|(k, mut prices)| {
            prices.sort_unstable();
            (k, prices[(prices.len() - 1) / 2])
        })
        .collect()
}

fn factor_code(f: hearth_matching::Factor) -> String {
    serde_json::to_value(f).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// What the officer wrote on the referral form that narrows or steers the search: the placement
/// recommendation (an "unsuitable" type is never offered), who the child can live alongside, pets,
/// a secure order, the price ceiling and a recorded decision to allow Inadequate homes.
pub fn apply_details(request: &mut MatchRequest, d: &hearth_domain::referral_form::ReferralDetails) {
    use hearth_domain::referral_form::{CaredForAlongside, Pets, Suitability};
    use hearth_matching::{PlacementKind as K, PlacementKinds};
    let mut kinds = request.placement_kinds;
    let drop = |kinds: PlacementKinds, suitability: Suitability, of: &[K]| {
        if suitability == Suitability::Unsuitable {
            PlacementKind::ALL
                .iter()
                .filter(|k| kinds.contains(**k) && !of.contains(k))
                .fold(PlacementKinds::none(), |a, k| a.with(*k))
        } else {
            kinds
        }
    };
    kinds = drop(kinds, d.foster_suitability, &[K::Foster]);
    kinds = drop(kinds, d.residential_suitability, &[K::ChildrensHome, K::ResidentialSchool]);
    kinds = drop(kinds, d.supported_suitability, &[K::SupportedAccommodation]);
    if d.secure_order {
        kinds = kinds.with(K::Secure);
    }
    request.placement_kinds = kinds;
    request.secure_order = d.secure_order;
    request.household.no_other_children = d.cared_for_alongside == CaredForAlongside::Solo;
    request.household.no_pets = d.pets == Pets::No;
    request.household.must_take_pets = d.pets == Pets::Must;
    request.price_ceiling = d.max_weekly_price;
    request.inadequate_allowed = d.inadequate_allowed_reason.as_ref().is_some_and(|r| !r.trim().is_empty());
}
