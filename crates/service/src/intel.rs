//! Commissioner intelligence. Who may: a council's commissioners and team managers (`figures:council`)
//! for their own council, and the regional hub (`figures:region`) for every council and the region.
//! Every view is audited as `intel.read`.
//!
//! The figures are computed in memory ([`hearth_intel`]) from a snapshot of the whole history, read
//! from the store at most once per [`SNAPSHOT_TTL`]: at national scale computing every table from
//! memory takes milliseconds, where the same tables in SQL take far longer (BENCHMARKS.md).
//!
//! What leaves the portal is protected by disclosure control: the API, CSV downloads and every page
//! shown to someone who sees more than one council. A council's own people see their own council's
//! page with exact figures, since those children are already theirs to know.

use crate::auth::{Origin, actor_of};
use crate::expiring::Expiring;
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::council::{WEST_MIDLANDS, council, council_by_la_code, council_by_ons};
use hearth_domain::org::OrganisationKind;
use hearth_domain::referral_form::Suitability;
use hearth_domain::{DomainError, PlacementGroup};
use hearth_intel::dashboard::Dashboard;
use hearth_intel::model::*;
use hearth_intel::{History, HistoryInput, IntelError, Query, Scope};
use hearth_reference::dfe::{self, Population};
use jiff::SignedDuration;
use std::collections::HashMap;
use std::sync::Arc;

/// How old the figures may be, on the service's clock. Real time for a commissioner is "this morning's
/// referrals are in": half a minute keeps a busy page from re-reading the whole history on every view.
pub const SNAPSHOT_TTL: SignedDuration = SignedDuration::from_secs(30);

#[derive(Debug)]
pub(crate) struct IntelSnapshot(Expiring<History>);

impl Default for IntelSnapshot {
    fn default() -> Self {
        Self(Expiring::new(SNAPSHOT_TTL))
    }
}

/// What is asked for, as typed: the council (DfE or ONS code) or `region`, and two optional dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntelRequest {
    pub scope: String,
    pub as_at: Option<String>,
    pub from: Option<String>,
}

/// Where the figures are going: a page inside the portal, or out of it (API, CSV).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Page,
    Published,
}

/// The answer: the dashboard (protected unless the caller may see exact figures) and its labels.
#[derive(Debug, Clone)]
pub struct IntelAnswer {
    pub dashboard: Dashboard,
    /// "Coventry" or "West Midlands region".
    pub scope_name: String,
    /// When the snapshot the figures come from was read.
    pub read_at: jiff::Timestamp,
}

fn invalid(e: &IntelError) -> ServiceError {
    ServiceError::Invalid(DomainError::new(e.field(), e.to_string()).into())
}

/// The scope a request names, or a sentence saying why not.
pub fn parse_scope(raw: &str) -> Result<Scope, ServiceError> {
    let raw = raw.trim();
    if raw.eq_ignore_ascii_case("region") {
        return Ok(Scope::Region);
    }
    council(raw).map(|c| Scope::Council(c.la_code)).map_err(|_| {
        ServiceError::Invalid(
            DomainError::new("council", format!("there is no council '{raw}' in the portal; give a DfE code (331), an ONS code (E08000026) or 'region'")).into(),
        )
    })
}

impl Services {
    /// The intelligence dashboard for the caller, checked, audited and protected as its audience needs.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn intel(
        &self,
        p: &Principal,
        request: &IntelRequest,
        audience: Audience,
        origin: &Origin,
    ) -> Result<IntelAnswer, ServiceError> {
        let scope = parse_scope(&request.scope)?;
        match scope {
            Scope::Region => {
                p.require(Capability::ViewRegionFigures).map_err(|d| ServiceError::denied(d, "the region"))?
            }
            Scope::Council(la) => {
                p.require_council_figures(la).map_err(|d| ServiceError::denied(d, format!("council {la}")))?;
            }
        }
        let as_at = hearth_intel::query::parse_date("as_at", request.as_at.as_deref()).map_err(|e| invalid(&e))?;
        let from = hearth_intel::query::parse_date("from", request.from.as_deref()).map_err(|e| invalid(&e))?;
        let (read_at, history) = self.intel_history().await?;
        let query = Query::new(&history, scope, as_at.unwrap_or(history.today), from).map_err(|e| invalid(&e))?;
        let what = format!("{} {}", scope.slug(), query.as_at);
        self.store
            .record_read(&actor_of(p, "intelligence", origin), "intel.read", scope_record(scope), &what, self.now())
            .await?;
        let own_council = matches!(scope, Scope::Council(la)
            if p.organisation_kind == OrganisationKind::Council && p.la_code == Some(la));
        let exact = audience == Audience::Page && own_council;
        // Tens of milliseconds at national scale: off the async threads.
        let dashboard = tokio::task::spawn_blocking(move || {
            let d = hearth_intel::dashboard(&history, &query);
            if exact { d } else { d.protected() }
        })
        .await
        .map_err(|e| ServiceError::Internal(format!("the figures stopped: {e}")))?;
        let scope_name = match scope {
            Scope::Region => "West Midlands region".to_owned(),
            Scope::Council(la) => hearth_domain::council::council_name(la),
        };
        Ok(IntelAnswer { dashboard, scope_name, read_at })
    }

    /// The history snapshot, read again when older than [`SNAPSHOT_TTL`].
    async fn intel_history(&self) -> Result<(jiff::Timestamp, Arc<History>), ServiceError> {
        let read_at = self.now();
        if let Some(fresh) = self.intel.0.fresh(read_at) {
            return Ok(fresh);
        }
        let today = self.today();
        let records = self.store.intel_records().await?;
        let homes = self.store.homes().await?;
        let organisations = self.store.organisations().await?;
        // Block beds and prices as agreed today (each contract's latest change of terms by then).
        let versions = self.store.contract_versions().await?;
        let contracts = hearth_domain::contract::terms_on(self.store.contracts().await?, &versions, today);
        let vacancies = self.store.vacancies().await?;
        let history = tokio::task::spawn_blocking(move || {
            Arc::new(History::new(history_input(today, records, &homes, &organisations, &contracts, &vacancies)))
        })
        .await
        .map_err(|e| ServiceError::Internal(format!("reading the figures stopped: {e}")))?;
        self.intel.0.keep(read_at, Arc::clone(&history));
        Ok((read_at, history))
    }
}

fn scope_record(scope: Scope) -> &'static str {
    match scope {
        Scope::Region => "region",
        Scope::Council(_) => "council",
    }
}

/// The fourteen councils with their under-18 populations (ONS mid-year estimates, from DfE's table).
fn councils() -> Vec<CouncilFacts> {
    WEST_MIDLANDS
        .iter()
        .map(|c| CouncilFacts {
            la_code: c.la_code,
            ons_code: c.ons_code.to_owned(),
            name: c.name.to_owned(),
            population_under_18: dfe::numbers()
                .iter()
                .filter(|r| r.area.la_code == Some(c.la_code) && r.population == Population::On31March)
                .filter_map(|r| r.population_estimate.value().map(|n| (r.year, n)))
                .collect(),
        })
        .collect()
}

/// The type the form asks for: the one marked "preferred", when exactly one is.
fn preferred(s: &[Suitability; 3]) -> Option<PlacementGroup> {
    const GROUPS: [PlacementGroup; 3] =
        [PlacementGroup::Foster, PlacementGroup::ChildrensHomes, PlacementGroup::SupportedAccommodation];
    let mut marked = s.iter().zip(GROUPS).filter(|(s, _)| **s == Suitability::Preferred).map(|(_, g)| g);
    match (marked.next(), marked.next()) {
        (Some(g), None) => Some(g),
        _ => None,
    }
}

fn index<K: std::hash::Hash + Eq>(keys: impl Iterator<Item = K>) -> HashMap<K, u32> {
    keys.enumerate().map(|(i, k)| (k, u32::try_from(i).unwrap_or(u32::MAX))).collect()
}

/// The store's records as the intelligence model holds them.
fn history_input(
    today: jiff::civil::Date,
    r: hearth_store::IntelRecords,
    homes: &[hearth_domain::home::Home],
    organisations: &[hearth_domain::org::Organisation],
    contracts: &[hearth_domain::contract::Contract],
    vacancies: &[hearth_domain::home::Vacancy],
) -> HistoryInput {
    let child_ix = index(r.children.iter().map(|c| c.id));
    let org_ix = index(organisations.iter().map(|o| o.id));
    let home_ix = index(homes.iter().map(|h| h.id));
    let referral_ix = index(r.referrals.iter().map(|x| x.id));
    let home_org: HashMap<_, _> = homes.iter().map(|h| (h.id, h.provider)).collect();
    let first_sent: HashMap<_, _> = r.first_sent.iter().copied().collect();
    let sought: HashMap<_, _> = r.suitability.iter().map(|(id, s)| (*id, preferred(s))).collect();
    let dob: HashMap<_, _> = r.children.iter().map(|c| (c.id, c.date_of_birth)).collect();
    let gazetteer = hearth_reference::Gazetteer::get();

    // Before the first child recorded leaving care, children who had already left would be missing.
    let records_from = r
        .children
        .iter()
        .filter_map(|c| c.ceased_on)
        .min()
        .or_else(|| r.placements.iter().map(|p| p.start).min())
        .unwrap_or(today)
        .min(today);

    let placements = r
        .placements
        .iter()
        .filter_map(|p| {
            let child = *child_ix.get(&p.child)?;
            let locality = p.pl_utla.as_deref().and_then(|u| council_by_la_code(p.la_code).map(|c| c.locality_of(u)));
            Some(PlacementRecord {
                child,
                start: p.start,
                end: p.end,
                placement_type: p.placement_type,
                provider: p.provider,
                provider_org: p.home.and_then(|h| home_org.get(&h)).and_then(|o| org_ix.get(o)).copied(),
                tier: p.tier,
                locality,
                distance: if p.distance.is_unknown() {
                    UNKNOWN_DISTANCE
                } else {
                    (p.distance.0 * 10.0).round().clamp(0.0, f64::from(UNKNOWN_DISTANCE - 1)) as u16
                },
                weekly_cost: p.weekly_cost.map(|c| c.pounds()),
                reason_change: p.reason_change,
                planned_ending: p.planned_ending,
            })
        })
        .collect();

    let referrals = r
        .referrals
        .iter()
        .map(|x| {
            let first = x.children.first();
            let age = first.and_then(|c| dob.get(c)).map_or(0, |d| hearth_domain::child::age_on(*d, x.needed_from));
            let area_la = x
                .preferred_district
                .as_ref()
                .and_then(|d| gazetteer.district(d.as_str()))
                .and_then(|d| d.main_utla_code.as_deref())
                .and_then(council_by_ons)
                .map_or(x.la_code, |c| c.la_code);
            ReferralRecord {
                la_code: x.la_code,
                created_at: x.created_at,
                needed_from: x.needed_from,
                urgency: x.urgency,
                needs: x.needs.clone(),
                status: x.status,
                closed_at: x.closed_at,
                first_sent_at: first_sent.get(&x.id).copied(),
                age,
                children: u8::try_from(x.children.len()).unwrap_or(u8::MAX),
                area_la,
                sought: sought.get(&x.id).copied().flatten(),
            }
        })
        .collect();

    HistoryInput {
        records_from,
        today,
        councils: councils(),
        children: r
            .children
            .iter()
            .map(|c| ChildRecord {
                la_code: c.la_code,
                date_of_birth: c.date_of_birth,
                sex: c.sex,
                ethnic_group: c.ethnicity.group(),
                uasc: c.uasc,
                looked_after_since: c.looked_after_since,
                ceased_on: c.ceased_on,
            })
            .collect(),
        placements,
        legal_statuses: r
            .legal_statuses
            .iter()
            .filter_map(|l| {
                Some(LegalRecord { child: *child_ix.get(&l.child)?, from: l.from, legal_status: l.legal_status })
            })
            .collect(),
        referrals,
        offers: r
            .offers
            .iter()
            .filter_map(|o| {
                Some(OfferRecord {
                    referral: *referral_ix.get(&o.referral)?,
                    provider: *org_ix.get(&o.provider)?,
                    home: *home_ix.get(&o.home)?,
                    weekly_price: o.weekly_price.pounds(),
                    made_at: o.made_at,
                    status: o.status,
                })
            })
            .collect(),
        declines: r
            .declines
            .iter()
            .filter_map(|d| {
                Some(DeclineRecord {
                    referral: *referral_ix.get(&d.referral)?,
                    provider: *org_ix.get(&d.provider)?,
                    reason: d.reason,
                    declined_at: d.declined_at,
                })
            })
            .collect(),
        homes: homes
            .iter()
            // Every home keeps its place, so that indices into this list stay those of `home_ix`.
            .map(|h| HomeRecord {
                provider: org_ix.get(&h.provider).copied().unwrap_or(0),
                kind: h.kind,
                la_code: h.la_code,
                places: h.places,
                active: h.active,
                judgement: h.judgement,
            })
            .collect(),
        providers: organisations.iter().map(|o| ProviderRecord { name: o.name.clone() }).collect(),
        contracts: contracts
            .iter()
            .filter_map(|c| {
                Some(ContractRecord {
                    la_code: c.la_code,
                    provider: *org_ix.get(&c.provider)?,
                    tier: c.tier,
                    weekly_price: c.weekly_price.pounds(),
                    block_beds: c.block_beds,
                    starts: c.starts,
                    ends: c.ends,
                })
            })
            .collect(),
        vacancies: vacancies
            .iter()
            .filter_map(|v| {
                Some(VacancyRecord { home: *home_ix.get(&v.home)?, places: v.places, available_from: v.available_from })
            })
            .collect(),
    }
}
