//! The matching engine in service: one in-memory index of every available home, built from the
//! store when first needed (and at start-up by `hearth serve`) and updated on every vacancy change
//! through this service, so that a search never offers a place that was just filled. The database
//! stays the truth; the index is rebuilt from it, never the other way round.

use crate::auth::Origin;
use crate::expiring::is_fresh;
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::contract::ContractTier;
use hearth_domain::home::HomeKind;
use hearth_domain::referral::Referral;
use hearth_domain::referral::Urgency;
use hearth_domain::{
    DomainError, GridRef, HomeId, OrganisationId, PostcodeDistrict, ReferralId, Sex, ValidationErrors,
};
/// A council's matching weights: what the weights routes read and write.
pub use hearth_matching::Weights;
use hearth_matching::{Area, Contracts, Explain, HomeBasis, MatchRequest, PlacementKind, SupplyIndex};
/// The engine's hard rules and weighted factors, so pages can put each code into words.
pub use hearth_matching::{Factor, HardRule};
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::{Mutex, RwLock};
use utoipa::ToSchema;

/// What matching keeps in memory between requests: the index with the names its answers show,
/// each referral's last search, each council's weights, and the pages' snapshot of the homes.
///
/// Every fact the engine holds in memory has one freshness rule on the service's clock (the injected
/// [`crate::Clock`]; see [`crate::expiring::is_fresh`]), listed in README's matching section:
/// - the index (homes, vacancies, organisations and the contracts in force) is rebuilt from the store
///   once [`SUPPLY_TTL`] has passed since it was read, and when the day in England has changed since
///   (contracts start and end on dates); a change made through this service applies at once (a
///   vacancy to the index, a contract by a rebuild);
/// - a council's weights are read again once [`WEIGHTS_TTL`] has passed; a change through this
///   service applies at once;
/// - a referral's search is built again once [`REQUEST_TTL`] has passed; a change to the referral
///   through this service applies at once.
#[derive(Debug, Default)]
pub struct MatchingCaches {
    state: RwLock<Option<LoadedIndex>>,
    /// One rebuild at a time: the requests that find the index stale wait for it rather than each
    /// reading the whole region.
    rebuilding: Arc<tokio::sync::Mutex<()>>,
    /// Vacancy changes made through this service while a rebuild reads the store (`Some` while one
    /// does): applied to the new index before it replaces the old, so none is lost between the read
    /// and the swap.
    pending: Mutex<Option<Vec<hearth_domain::home::Vacancy>>>,
    /// Each referral's search as last built from the store, so an officer refreshing the matches
    /// does not cost three database reads each time.
    requests: Mutex<HashMap<ReferralId, (u16, MatchRequest, Timestamp)>>,
    /// Each council's weights and when they were read.
    weights: Mutex<HashMap<u16, (Timestamp, Weights)>>,
    /// The homes and vacancies the pages list, dropped with every vacancy change below.
    pub(crate) snapshot: crate::homes_snapshot::Snapshot,
}

/// How long a referral's search serves before it is built again from the store.
pub const REQUEST_TTL: SignedDuration = SignedDuration::from_secs(15);
/// How long the index serves before it is rebuilt from the store: what another process changed (a
/// vacancy, a home, a contract) is seen within it. A rebuild of the demo region takes a fraction of a
/// second, so once a minute costs little.
pub const SUPPLY_TTL: SignedDuration = SignedDuration::from_secs(60);
/// Past this age the index still serves, but the request that finds it so starts a rebuild in the
/// background: under steady use the index is renewed before [`SUPPLY_TTL`] runs out, so no request
/// waits for the whole region to be read (which would otherwise land in every minute's slowest
/// requests). The freshness rule is unchanged: an index older than [`SUPPLY_TTL`] never serves.
pub const REFRESH_AHEAD: SignedDuration = SignedDuration::from_secs(45);
/// How long a council's weights serve before they are read again.
pub const WEIGHTS_TTL: SignedDuration = SignedDuration::from_secs(60);

#[derive(Debug)]
struct LoadedIndex {
    index: SupplyIndex,
    names: HashMap<HomeId, HomeNames>,
    /// The median asking price of the region's active homes of each kind, for comparing offers.
    medians: HashMap<HomeKind, u32>,
    /// The contracts in force when the index was built: an accepted offer's tier and contract price.
    contracts: Contracts,
    organisations: HashMap<OrganisationId, hearth_domain::org::Organisation>,
    /// The service's clock when the store was read, and the day in England the contracts are for.
    read_at: Timestamp,
    day: jiff::civil::Date,
}

/// What a ranked answer calls a home and its provider; the index itself keeps only ids.
#[derive(Debug, Clone)]
struct HomeNames {
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
    /// Its rank, name and contract tier, as the officer would see them.
    pub view: MatchView,
}

/// One home in a ranked answer, with why it is where it is.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatchView {
    pub rank: usize,
    pub home: i64,
    pub name: String,
    pub provider: String,
    #[schema(value_type = String)]
    pub kind: HomeKind,
    pub district: String,
    pub vacancy: Option<i64>,
    pub connected_person: bool,
    pub score: f32,
    /// DfE miles from the child's home; 999.9 when unknown.
    pub distance_miles: f64,
    pub school_miles: Option<f64>,
    /// `in_house`, `block`, `framework` or `spot`.
    #[schema(value_type = String)]
    pub tier: ContractTier,
    /// What the council would pay: the price of its contract covering the home, else the home's own.
    pub weekly_price: u32,
    /// Which of those `weekly_price` is, in words: "the contract price (block, Coventry)", "the
    /// contract price for this home (spot, Coventry)" or "the home's own price".
    pub price_basis: String,
    pub contributions: Vec<Contribution>,
    /// A referral's matches (and a quick search with `explain=all`): one sentence per factor, in
    /// the order of `contributions`. A quick search by default: the sentences of the two factors
    /// that decide the home most, for good or ill, biggest first, leaving out distance, contract
    /// tier and price (the answer's own fields).
    pub reasons: Vec<String>,
    /// The day the place is free from: today or earlier means free now.
    #[schema(value_type = String, format = Date)]
    pub available_from: jiff::civil::Date,
}

impl MatchView {
    /// The `n` sentences that decide this home's place most, beyond what a list already shows in its
    /// own columns (distance, contract tier, price): the factors with the largest weighted effect,
    /// for good or ill, biggest first.
    pub fn deciding_reasons(&self, n: usize) -> Vec<&str> {
        let contributions: Vec<(Factor, f32)> = self
            .contributions
            .iter()
            .filter_map(|c| Factor::ALL.into_iter().find(|f| f.code() == c.factor).map(|f| (f, c.points)))
            .collect();
        if contributions.len() != self.reasons.len() {
            // Already the deciding few (a quick search's default answer).
            return self.reasons.iter().take(n).map(String::as_str).collect();
        }
        hearth_matching::deciding(&contributions, n).into_iter().map(|k| self.reasons[k].as_str()).collect()
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Contribution {
    pub factor: &'static str,
    pub points: f32,
}

/// One of a provider's homes that cannot meet a referral, and the first hard rule it fails.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnfitHome {
    pub home: i64,
    pub name: String,
    /// The rule's code, as in a ranked answer's `excluded` (`age_or_sex`, `no_vacancy`, …).
    pub rule: String,
    /// The rule in words.
    pub why: String,
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
    /// What `distance_miles` is measured from ("the child's home", "the centre of CV2, the
    /// referral's area (…)"); `None` when nothing is known of where the child lived.
    pub distance_from: Option<String>,
    /// Sentences on what the hard rules cost this search, e.g. "No foster family within 20 miles has
    /// 3 free places; the nearest family left out only for room has 2 (4.1 miles away)."
    pub notes: Vec<String>,
}

impl MatchingCaches {
    pub(crate) fn forget_request(&self, id: ReferralId) {
        self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&id);
    }

    fn cached_request(&self, id: ReferralId, now: Timestamp) -> Option<(u16, MatchRequest)> {
        let map = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(&id).filter(|(_, _, at)| is_fresh(*at, now, REQUEST_TTL)).map(|(la, r, _)| (*la, r.clone()))
    }

    fn remember_request(&self, id: ReferralId, la_code: u16, request: &MatchRequest, now: Timestamp) {
        let mut map = self.requests.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= 10_000 {
            map.clear();
        }
        map.insert(id, (la_code, request.clone(), now));
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Option<LoadedIndex>> {
        self.state.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Option<LoadedIndex>> {
        self.state.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Services {
    /// (Re)builds the index from the store: every home, vacancy, contract in force today and the
    /// councils' own services. Returns how many homes it holds.
    #[tracing::instrument(skip_all)]
    pub async fn load_supply(&self) -> Result<usize, ServiceError> {
        let _one = self.matching.rebuilding.lock().await;
        self.rebuild_supply().await
    }

    async fn rebuild_supply(&self) -> Result<usize, ServiceError> {
        // The clock before the read: a change committed during it is never hidden past the TTL.
        let (read_at, day) = (self.now(), self.today());
        *self.matching.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Vec::new());
        let read = self.read_supply(read_at, day).await;
        let mut guard = self.matching.write();
        let pending = self.matching.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        let mut loaded = read?;
        for v in pending.unwrap_or_default() {
            // A vacancy of a home added after the read is picked up by the next rebuild.
            let _ = loaded.index.update_vacancy(&v);
        }
        let n = loaded.index.len();
        *guard = Some(loaded);
        Ok(n)
    }

    async fn read_supply(&self, read_at: Timestamp, day: jiff::civil::Date) -> Result<LoadedIndex, ServiceError> {
        let homes = self.store.homes().await?;
        let vacancies = self.store.vacancies().await?;
        let organisations = self.store.organisations().await?;
        // Each contract with the terms in force today (its changes of price and beds by date).
        let versions = self.store.contract_versions().await?;
        let contracts = hearth_domain::contract::terms_on(self.store.contracts().await?, &versions, day);
        let framework = self.store.framework_lots().await?;
        let contracts =
            Contracts::new(&contracts, day).with_council_services(&organisations).with_framework(&framework);
        let org_names: HashMap<_, _> = organisations.iter().map(|o| (o.id, o.name.clone())).collect();
        let names = homes
            .iter()
            .map(|h| {
                let provider = org_names.get(&h.provider).cloned().unwrap_or_default();
                let label = HomeNames {
                    name: h.name.clone(),
                    provider,
                    provider_id: h.provider,
                    district: h.district.to_string(),
                };
                (h.id, label)
            })
            .collect();
        let medians = median_prices(&homes);
        let homes: Vec<_> = homes.into_iter().map(with_service_judgement).collect();
        let index = SupplyIndex::build(&homes, &vacancies, contracts.clone());
        let organisations = organisations.into_iter().map(|o| (o.id, o)).collect();
        // Searches geocode postcodes: parse the embedded gazetteer now, not in the first request.
        hearth_reference::Gazetteer::get();
        Ok(LoadedIndex { index, names, medians, contracts, organisations, read_at, day })
    }

    /// Whether the index may serve now (see [`MatchingCaches`] for the rule).
    fn supply_fresh(&self) -> bool {
        let (now, today) = (self.now(), self.today());
        self.matching.read().as_ref().is_some_and(|l| is_fresh(l.read_at, now, SUPPLY_TTL) && l.day == today)
    }

    async fn ensure_supply(&self) -> Result<(), ServiceError> {
        if self.supply_fresh() {
            self.refresh_ahead();
            return Ok(());
        }
        let _one = self.matching.rebuilding.lock().await;
        // Another request may have rebuilt it while this one waited.
        if !self.supply_fresh() {
            self.rebuild_supply().await?;
        }
        Ok(())
    }

    /// Starts a rebuild in the background when the index is past [`REFRESH_AHEAD`] and no rebuild
    /// runs; the rebuild holds the one-rebuild lock from before this returns, so a request that finds
    /// the index expired meanwhile waits for it rather than reading the region again.
    fn refresh_ahead(&self) {
        let now = self.now();
        let due = self.matching.read().as_ref().is_some_and(|l| !is_fresh(l.read_at, now, REFRESH_AHEAD));
        if !due {
            return;
        }
        let Ok(one) = Arc::clone(&self.matching.rebuilding).try_lock_owned() else {
            return;
        };
        let services = self.clone();
        tokio::spawn(async move {
            let _one = one;
            if let Err(e) = services.rebuild_supply().await {
                // The index keeps serving until SUPPLY_TTL; the next request past it rebuilds and says why.
                tracing::warn!(error = %e, "refreshing the matching index ahead of expiry failed");
            }
        });
    }

    /// Waits for a rebuild of the index running now, if any, to finish (for tests and tools that
    /// need the background refresh done before they look).
    pub async fn supply_settled(&self) {
        let _one = self.matching.rebuilding.lock().await;
    }

    /// Keeps the index in step with a vacancy the store has just changed.
    pub(crate) fn vacancy_changed(&self, v: &hearth_domain::home::Vacancy) {
        self.matching.snapshot.forget();
        let mut guard = self.matching.write();
        if let Some(pending) = self.matching.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner).as_mut()
        {
            pending.push(v.clone());
        }
        let stale = guard.as_mut().is_some_and(|l| l.index.update_vacancy(v).is_err());
        if stale {
            // A vacancy of a home the index does not hold (added since it was built): rebuild on next use.
            tracing::warn!(vacancy = v.id.0, "vacancy of an unindexed home; the index will be rebuilt");
            *guard = None;
        }
    }

    /// The weights a council ranks with: its own where it has tuned them, else the defaults.
    async fn weights_of(&self, la_code: u16) -> Result<Weights, ServiceError> {
        let now = self.now();
        if let Some((_, w)) = self
            .matching
            .weights
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&la_code)
            .filter(|(read_at, _)| is_fresh(*read_at, now, WEIGHTS_TTL))
        {
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
        self.matching.weights.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(la_code, (now, weights));
        Ok(weights)
    }

    /// A council's matching weights: its commissioners and team managers may read and tune them.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, la = la_code))]
    pub async fn council_weights(&self, p: &Principal, la_code: u16) -> Result<Weights, ServiceError> {
        p.require_council(Capability::ManageWeights, la_code).map_err(|d| ServiceError::denied(d, "council"))?;
        self.weights_of(la_code).await
    }

    /// Replaces a council's weights. Fields not sent take their defaults; unknown ones are refused.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, la = la_code))]
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
        let now = self.now();
        self.store.set_council_weights(&crate::auth::actor_of(p, "tune weights", origin), la_code, &json, now).await?;
        self.matching.weights.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(la_code, (now, weights));
        Ok(weights)
    }

    fn rank(
        &self,
        request: &MatchRequest,
        weights: &Weights,
        limit: usize,
        explain: Explain,
    ) -> Result<MatchesView, ServiceError> {
        let guard = self.matching.read();
        let Some(loaded) = guard.as_ref() else {
            return Err(ServiceError::Internal("the supply index is not loaded".into()));
        };
        let result = loaded.index.rank_explained(request, weights, limit, explain);
        let matches = result
            .matches
            .into_iter()
            .enumerate()
            .map(|(i, m)| {
                let label = loaded.names.get(&m.home).cloned().unwrap_or(HomeNames {
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
                    kind: m.kind,
                    district: label.district,
                    vacancy: m.vacancy.map(|v| v.0),
                    connected_person: m.connected_person,
                    score: m.score,
                    distance_miles: m.distance_miles.0,
                    school_miles: m.school_miles.map(|x| x.0),
                    tier: m.tier,
                    weekly_price: m.weekly_price.pounds(),
                    price_basis: m.price_basis,
                    contributions: m
                        .contributions
                        .iter()
                        .map(|(f, p)| Contribution { factor: f.code(), points: *p })
                        .collect(),
                    reasons: m.reasons,
                    available_from: m.available_from,
                }
            })
            .collect();
        Ok(MatchesView {
            matches,
            considered: result.considered,
            excluded_total: result.excluded.total(),
            excluded: serde_json::to_value(result.excluded).unwrap_or_default(),
            distance_from: request.home_location.map(|_| request.home_basis.place()),
            notes: result.notes,
        })
    }

    /// The ranked homes for one of the council's referrals.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0, limit))]
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
        self.rank(&request, &weights, limit.clamp(1, 200), Explain::All)
    }

    /// One page of the ranked homes for one of the council's referrals: `take` homes after the
    /// best `skip`, ranks counted from the best. Beyond the API's 200 a page reaches every home that
    /// passed the hard rules, so the pages can say "showing 241–249 of 249" and mean it.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, referral = id.0, skip, take))]
    pub async fn matches_page(
        &self,
        p: &Principal,
        id: ReferralId,
        skip: usize,
        take: usize,
    ) -> Result<MatchesView, ServiceError> {
        p.require(Capability::EditReferrals).map_err(|d| ServiceError::denied(d, format!("referral {id}")))?;
        let (la_code, request) = self.request_for(id).await?;
        p.require_council(Capability::EditReferrals, la_code)
            .map_err(|d| ServiceError::denied(d, format!("referral {id}")))?;
        self.ensure_supply().await?;
        let weights = self.weights_of(la_code).await?;
        let all = self.matching.read().as_ref().map_or(1, |l| l.index.len().max(1));
        let take = take.clamp(1, 200);
        let mut view = self.rank(&request, &weights, skip.saturating_add(take).min(all), Explain::All)?;
        view.matches.drain(..skip.min(view.matches.len()));
        Ok(view)
    }

    /// A referral's search, as last built (within [`REQUEST_TTL`]) or built now from the store. Checks
    /// no permission: callers do.
    async fn request_for(&self, id: ReferralId) -> Result<(u16, MatchRequest), ServiceError> {
        let now = self.clock.now();
        if let Some(cached) = self.matching.cached_request(id, now) {
            return Ok(cached);
        }
        let referral = self.store.referral_unaudited(id).await?;
        let request = self.build_request(&referral).await?;
        self.matching.remember_request(id, referral.la_code, &request, now);
        Ok((referral.la_code, request))
    }

    async fn build_request(&self, referral: &Referral) -> Result<MatchRequest, ServiceError> {
        let mut children = Vec::with_capacity(referral.children.len());
        for c in &referral.children {
            children.push(self.store.child_unaudited(*c).await?);
        }
        let details = self.store.referral_details(referral.id).await?;
        let first = children.first();
        let (home, basis) = home_of(first, referral.preferred_district.as_ref());
        // The form's school wins over the child's record: the officer wrote it for this placement.
        let school_district =
            details.education.school_district.as_ref().or(first.and_then(|c| c.school_district.as_ref()));
        let school = locate(None, school_district);
        let mut request = MatchRequest::from_referral(referral, &children, home, school);
        request.home_basis = basis;
        request.preferred_area = referral.preferred_district.as_ref().map(area);
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
        let all = self.matching.read().as_ref().map_or(1, |l| l.index.len().max(1));
        let view = self.rank(&request, &weights, all, Explain::All)?;
        let guard = self.matching.read();
        let names = guard.as_ref().map(|l| &l.names);
        Ok(view
            .matches
            .into_iter()
            .filter_map(|m| {
                let home = HomeId(m.home);
                let provider = names?.get(&home)?.provider_id;
                Some(Fitting { home, provider, view: m })
            })
            .collect())
    }

    /// A provider's homes that cannot meet a referral, each with the first hard rule it fails, by
    /// name: what the respond page explains rather than offers. Checks no permission: callers do.
    pub(crate) async fn unfit_homes(
        &self,
        id: ReferralId,
        provider: OrganisationId,
    ) -> Result<Vec<UnfitHome>, ServiceError> {
        let (la_code, request) = self.request_for(id).await?;
        self.ensure_supply().await?;
        let weights = self.weights_of(la_code).await?;
        let guard = self.matching.read();
        let Some(loaded) = guard.as_ref() else {
            return Err(ServiceError::Internal("the supply index is not loaded".into()));
        };
        let own: Vec<HomeId> =
            loaded.names.iter().filter(|(_, n)| n.provider_id == provider).map(|(h, _)| *h).collect();
        let mut unfit: Vec<UnfitHome> = loaded
            .index
            .first_failed(&request, &weights, &own)
            .into_iter()
            .filter_map(|(home, rule)| {
                let rule = rule?;
                let name = loaded.names.get(&home).map(|n| n.name.clone()).unwrap_or_default();
                let rule_code = serde_json::to_value(rule).ok()?.as_str()?.to_owned();
                Some(UnfitHome { home: home.0, name, rule: rule_code, why: rule.label().to_owned() })
            })
            .collect();
        unfit.sort_by(|a, b| a.name.cmp(&b.name).then(a.home.cmp(&b.home)));
        Ok(unfit)
    }

    /// The places a home has free in its vacancies, as the index holds them (kept in step with every
    /// vacancy change), rather than reading every vacancy of the region from the store.
    pub(crate) async fn free_places(&self, home: HomeId) -> Result<u32, ServiceError> {
        self.ensure_supply().await?;
        Ok(self
            .matching
            .read()
            .as_ref()
            .map_or(0, |l| l.index.vacancies_of(home).iter().map(|(_, places, _)| u32::from(*places)).sum()))
    }

    /// The median asking price of the region's homes of `kind`, when there are any.
    pub(crate) async fn median_price(&self, kind: HomeKind) -> Result<Option<u32>, ServiceError> {
        self.ensure_supply().await?;
        Ok(self.matching.read().as_ref().and_then(|l| l.medians.get(&kind).copied()))
    }

    /// A council's tier and contract price for a place in `home`, as the ranking uses them: from the
    /// contract naming the home, else the one covering its kind.
    pub(crate) async fn contract_terms(
        &self,
        home: &hearth_domain::home::Home,
        la_code: u16,
    ) -> Result<(ContractTier, Option<hearth_domain::home::WeeklyPrice>), ServiceError> {
        self.ensure_supply().await?;
        Ok(self
            .matching
            .read()
            .as_ref()
            .map_or((ContractTier::Spot, None), |l| l.contracts.tier(home.provider, home.kind, home.id, la_code)))
    }

    /// Reads the index's copy of the organisations (see `organisations.rs`).
    pub(crate) async fn with_indexed_organisations<T>(
        &self,
        read: impl FnOnce(Option<&HashMap<OrganisationId, hearth_domain::org::Organisation>>) -> T,
    ) -> Result<T, ServiceError> {
        self.ensure_supply().await?;
        Ok(read(self.matching.read().as_ref().map(|l| &l.organisations)))
    }

    /// "What is free near CV2 for a 14-year-old tonight?": the same engine without a referral.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
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
        request.home_basis = near.map_or(HomeBasis::ChildsHome, HomeBasis::SearchArea);
        self.ensure_supply().await?;
        let weights = self.weights_of(la_code).await?;
        let explain = match q.explain.as_deref() {
            None | Some("deciding") => Explain::Deciding(DECIDING_REASONS),
            Some("all") => Explain::All,
            Some(_) => {
                return Err(ServiceError::Invalid(
                    DomainError::new("explain", "explain is \"deciding\" (the default) or \"all\"").into(),
                ));
            }
        };
        self.rank(&request, &weights, q.limit.unwrap_or(20).clamp(1, 200), explain)
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
    /// `deciding` (default): each home's reasons are the sentences of the two factors that decide it
    /// most (the largest effect either way, leaving out distance, contract tier and price, which
    /// are fields of their own); `all`: a sentence for every factor, in the order of
    /// `contributions`. Every factor's points are returned either way.
    pub explain: Option<String>,
}

/// How many sentences a quick search gives each home by default: what decides it, not all of it.
const DECIDING_REASONS: usize = 2;

/// Where a postcode is, else the centre of its district: how a child's home and school are placed on
/// the map for ranking and for DfE's distance.
pub(crate) fn locate(pc: Option<&hearth_domain::Postcode>, d: Option<&PostcodeDistrict>) -> Option<GridRef> {
    let gazetteer = hearth_reference::Gazetteer::get();
    pc.and_then(|pc| gazetteer.lookup(pc))
        .map(|u| u.grid)
        .or_else(|| d.and_then(|d| gazetteer.district(d.as_str())).map(|c| c.grid))
}

/// Where the child's home is for DfE's distance, and what that is: their home postcode, else the
/// centre of their last known home district, else the centre of the referral's preferred district
/// (a child with no address on record), else not known.
fn home_of(
    child: Option<&hearth_domain::child::Child>,
    preferred: Option<&PostcodeDistrict>,
) -> (Option<GridRef>, HomeBasis) {
    let gazetteer = hearth_reference::Gazetteer::get();
    if let Some(g) = child.and_then(|c| c.home_postcode.as_ref()).and_then(|pc| gazetteer.lookup(pc)) {
        return (Some(g.grid), HomeBasis::ChildsHome);
    }
    if let Some(d) = child.and_then(|c| c.home_district.as_ref())
        && let Some(c) = gazetteer.district(d.as_str())
    {
        return (Some(c.grid), HomeBasis::ChildsDistrict(d.clone()));
    }
    if let Some(d) = preferred
        && let Some(c) = gazetteer.district(d.as_str())
    {
        return (Some(c.grid), HomeBasis::ReferralArea(d.clone()));
    }
    (None, HomeBasis::ChildsHome)
}

/// A foster household is inspected through its fostering service, not as a home of its own: it carries
/// the service's latest Ofsted judgement, found by the URN the household is recorded under (an
/// agency's; a council's own service when it is registered), so foster carers and children's homes
/// are compared on the same footing.
fn with_service_judgement(mut h: hearth_domain::home::Home) -> hearth_domain::home::Home {
    if h.kind.is_foster() && h.judgement.is_none() {
        h.judgement = h.urn.as_deref().and_then(hearth_reference::ofsted::provider).and_then(|p| p.judgement);
    }
    h
}

/// A district with its centre, for the avoided and preferred areas.
fn area(d: &PostcodeDistrict) -> Area {
    Area { district: d.clone(), centre: hearth_reference::Gazetteer::get().district(d.as_str()).map(|c| c.grid) }
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

/// What the officer wrote on the referral form that narrows or steers the search: the placement
/// recommendation (an "unsuitable" type is never offered, a "preferred" one scores), residential
/// special schools when asked for, who the child can live alongside, pets, a secure order, the price
/// ceiling, a recorded decision to allow Inadequate homes, the school's continuity, areas to avoid,
/// wheelchair use, named adaptations and the needs the home must meet.
pub fn apply_details(request: &mut MatchRequest, d: &hearth_domain::referral_form::ReferralDetails) {
    use hearth_domain::referral_form::{CaredForAlongside, Pets, Suitability};
    use hearth_matching::{NeedSet, PlacementKind as K, PlacementKinds};
    let mut kinds = request.placement_kinds;
    if d.residential_special_school {
        kinds = kinds.with(K::ResidentialSchool);
    }
    let mut preferred = PlacementKinds::none();
    for (suitability, of) in [
        (d.foster_suitability, &[K::Foster][..]),
        (d.residential_suitability, &[K::ChildrensHome, K::ResidentialSchool][..]),
        (d.supported_suitability, &[K::SupportedAccommodation][..]),
    ] {
        match suitability {
            Suitability::Unsuitable => {
                kinds = PlacementKind::ALL.iter().filter(|k| kinds.contains(**k) && !of.contains(k)).copied().collect();
            }
            Suitability::Preferred => preferred = of.iter().fold(preferred, |p, k| p.with(*k)),
            Suitability::SuitableNotPreferred | Suitability::NotSpecified => {}
        }
    }
    if d.secure_order {
        kinds = kinds.with(K::Secure);
    }
    request.placement_kinds = kinds;
    // Only what can be offered counts as preferred (a residential school unless asked for is not).
    request.preferred_kinds = preferred.iter().filter(|k| kinds.contains(*k)).collect();
    request.secure_order = d.secure_order;
    request.household.no_other_children = d.cared_for_alongside == CaredForAlongside::Solo;
    request.household.no_pets = d.pets == Pets::No;
    request.household.must_take_pets = d.pets == Pets::Must;
    request.price_ceiling = d.max_weekly_price;
    request.inadequate_allowed = d.inadequate_allowed_reason.as_ref().is_some_and(|r| !r.trim().is_empty());
    request.school_continuity = d.education.continuity_important && request.school_location.is_some();
    request.avoid = d.avoid_districts.iter().map(area).collect();
    request.avoid_radius_miles = d.avoid_radius_miles.unwrap_or(0);
    request.must_offer = d.adaptations.iter().copied().collect();
    let must_meet: NeedSet = d.must_meet_needs.iter().copied().collect();
    for c in &mut request.children {
        c.wheelchair_user |= d.wheelchair_user;
        c.primary_needs = c.primary_needs.union(must_meet);
    }
}
