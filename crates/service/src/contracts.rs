//! A council's contracts with providers: in-house, block, framework and spot, each for the kinds of
//! home (and the named homes) it covers. Their tier orders the cascade and their price is what the
//! homes they cover are ranked and offered at, so recording one rebuilds the matching index at once.
//! Their terms change from a date (the earlier terms kept) and they end on a last day; both take
//! effect on the service clock's date, through the same rebuild.

use crate::auth::{Origin, actor_of};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::contract::{
    Contract, ContractInput, ContractTier, ContractVersion, EndContractInput, TermsChangeInput,
};
use hearth_domain::org::OrganisationKind;
use hearth_domain::{ContractId, DomainError, OrganisationId};
use serde::Serialize;
use utoipa::ToSchema;

/// A contract as its council sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContractView {
    pub id: i64,
    pub provider: i64,
    pub provider_name: String,
    /// `in_house`, `block`, `framework` or `spot`.
    pub tier: String,
    /// The weekly price in force today (or, before the contract starts, its first).
    pub weekly_price: u32,
    /// Block beds in force today.
    pub block_beds: u16,
    #[schema(value_type = String, format = Date)]
    pub starts: jiff::civil::Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub ends: Option<jiff::civil::Date>,
    /// In force today.
    pub in_force: bool,
    /// The kinds of home it buys (home kind codes): every home of the provider of these kinds.
    pub kinds: Vec<String>,
    /// The homes it buys by name (ids): priced by this contract over one covering their kind.
    pub homes: Vec<i64>,
    /// Its terms over time, oldest first: the first from its start, then each change from its date.
    pub terms: Vec<TermsView>,
}

/// A contract's terms from a date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermsView {
    #[schema(value_type = String, format = Date)]
    pub from: jiff::civil::Date,
    pub weekly_price: u32,
    pub block_beds: u16,
    /// These are the terms in force today.
    pub current: bool,
}

impl Services {
    /// A council's contracts, for those who record them (its commissioners).
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, la = la_code))]
    pub async fn contracts(&self, p: &Principal, la_code: u16) -> Result<Vec<ContractView>, ServiceError> {
        p.require_council(Capability::ManageContracts, la_code).map_err(|d| ServiceError::denied(d, "council"))?;
        let versions = self.store.contract_versions().await?;
        let mut out = Vec::new();
        for c in self.store.contracts().await?.into_iter().filter(|c| c.la_code == la_code) {
            out.push(self.contract_view(c, &versions).await);
        }
        Ok(out)
    }

    /// One contract with its terms over time, for its council's commissioners; to anyone outside
    /// the council it does not exist.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, contract = id.0))]
    pub async fn contract(&self, p: &Principal, id: ContractId) -> Result<ContractView, ServiceError> {
        let c = self.own_contract(p, id).await?;
        let versions = self.store.contract_versions().await?;
        Ok(self.contract_view(c, &versions).await)
    }

    /// Changes a contract's weekly price and block beds from a date (today or later, within the
    /// contract); the earlier terms are kept. The cascade and prices follow on that date.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, contract = id.0))]
    pub async fn change_contract_terms(
        &self,
        p: &Principal,
        id: ContractId,
        input: &TermsChangeInput,
        origin: &Origin,
    ) -> Result<ContractView, ServiceError> {
        let c = self.own_contract(p, id).await?;
        let version = input.parse(&c, self.today())?;
        self.store.change_contract_terms(&actor_of(p, "change contract terms", origin), &version, self.now()).await?;
        self.load_supply().await?;
        self.contract(p, id).await
    }

    /// Ends a contract on a last day (today or later): it leaves the cascade and prices the day after.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, contract = id.0))]
    pub async fn end_contract(
        &self,
        p: &Principal,
        id: ContractId,
        input: &EndContractInput,
        origin: &Origin,
    ) -> Result<ContractView, ServiceError> {
        let c = self.own_contract(p, id).await?;
        let ends = input.parse(&c, self.today())?;
        self.store.end_contract(&actor_of(p, "end contract", origin), id, ends, self.now()).await?;
        self.load_supply().await?;
        self.contract(p, id).await
    }

    /// A contract of the caller's council, checked as a council record: another council's, or none,
    /// is not found; inside the council only those who record contracts may.
    async fn own_contract(&self, p: &Principal, id: ContractId) -> Result<Contract, ServiceError> {
        let what = || format!("contract {id}");
        let c = self.store.contracts().await?.into_iter().find(|c| c.id == id);
        let c = c.ok_or_else(|| ServiceError::NotFound(what()))?;
        p.require_council_record(Capability::ManageContracts, c.la_code)
            .map_err(|d| ServiceError::denied(d, what()))?;
        Ok(c)
    }

    /// Records a contract of the caller's council with a provider (or, in-house, with the council's
    /// own service), and brings the matching index's tiers and prices up to date.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, la = la_code))]
    pub async fn create_contract(
        &self,
        p: &Principal,
        la_code: u16,
        input: &ContractInput,
        origin: &Origin,
    ) -> Result<ContractView, ServiceError> {
        p.require_council(Capability::ManageContracts, la_code).map_err(|d| ServiceError::denied(d, "council"))?;
        let contract = input.parse(la_code)?;
        let provider = self.organisation(OrganisationId(input.provider)).await.ok();
        let fits = provider.is_some_and(|o| match o.kind {
            OrganisationKind::Provider => true,
            // A council is its own in-house service.
            OrganisationKind::Council => o.la_code == Some(la_code) && contract.tier == ContractTier::InHouse,
            _ => false,
        });
        if !fits {
            return Err(DomainError::new(
                "provider",
                format!("organisation {} is not a provider this council can contract with", input.provider),
            )
            .into());
        }
        for home in &contract.covers.homes {
            let theirs = match self.store.home(*home).await {
                Ok(h) => h.provider == contract.provider,
                Err(hearth_store::StoreError::NotFound { .. }) => false,
                Err(e) => return Err(e.into()),
            };
            if !theirs {
                return Err(DomainError::new(
                    "homes",
                    format!("home {home} is not one of organisation {}'s homes", input.provider),
                )
                .into());
            }
        }
        let actor = actor_of(p, "record contract", origin);
        let written = self.store.create_contract(&actor, &contract, self.now()).await?;
        // Tiers and contract prices live in the index: rebuild it now rather than rank with stale terms.
        self.load_supply().await?;
        Ok(self.contract_view(written, &[]).await)
    }

    async fn contract_view(&self, c: Contract, versions: &[ContractVersion]) -> ContractView {
        let today = self.today();
        let mut terms = vec![TermsView {
            from: c.starts,
            weekly_price: c.weekly_price.pounds(),
            block_beds: c.block_beds,
            current: false,
        }];
        terms.extend(versions.iter().filter(|v| v.contract == c.id).map(|v| TermsView {
            from: v.takes_effect,
            weekly_price: v.weekly_price.pounds(),
            block_beds: v.block_beds,
            current: false,
        }));
        terms.sort_by_key(|t| t.from);
        // The latest that has begun; before the contract starts, its first terms.
        let current = terms.iter().rposition(|t| t.from <= today).unwrap_or(0);
        terms[current].current = true;
        let c = c.on(versions, today);
        let provider_name = self.organisation(c.provider).await.map(|o| o.name).unwrap_or_default();
        ContractView {
            id: c.id.0,
            provider: c.provider.0,
            provider_name,
            tier: c.tier.code().to_owned(),
            weekly_price: c.weekly_price.pounds(),
            block_beds: c.block_beds,
            starts: c.starts,
            ends: c.ends,
            in_force: c.in_force(self.today()),
            kinds: c.covers.kinds.iter().map(|k| k.code().to_owned()).collect(),
            homes: c.covers.homes.iter().map(|h| h.0).collect(),
            terms,
        }
    }
}
