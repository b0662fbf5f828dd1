//! The regional fostering framework: which providers the hub has on it, and for which lots (kinds of
//! home). Recorded by the regional hub (its regional commissioners and administrators) and read by
//! the cascade: a member's homes in its lots rank as the framework tier for every council in the
//! region wherever no council contract covers them (see `hearth_matching::Contracts::with_framework`).

use crate::auth::{Origin, actor_of};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::contract::Coverage;
use hearth_domain::home::HomeKind;
use hearth_domain::org::{OrganisationKind, Role};
use hearth_domain::{DomainError, OrganisationId, ValidationErrors};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A provider on the framework, with its lots.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FrameworkMemberView {
    pub provider: i64,
    pub provider_name: String,
    /// The kinds of home it is on the framework for (home kind codes).
    pub lots: Vec<String>,
}

/// A provider's lots as the hub records them; an empty list takes it off the framework.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FrameworkLotsInput {
    /// Home kind codes, or `fostering` / `supported_accommodation` for every kind of those.
    pub lots: Vec<String>,
}

impl FrameworkLotsInput {
    fn parse(&self) -> Result<Vec<HomeKind>, ValidationErrors> {
        let mut errs = ValidationErrors::default();
        let mut kinds = Vec::new();
        for word in &self.lots {
            match Coverage::service(word) {
                Ok(k) => kinds.extend(k),
                Err(e) => errs.push(DomainError::new("lots", e.message)),
            }
        }
        kinds.sort_unstable();
        kinds.dedup();
        if errs.is_empty() { Ok(kinds) } else { Err(errs) }
    }
}

/// The hub's people: its regional commissioners and administrators. Nobody else records or reads
/// the framework's membership through these routes (councils see its effect as the tier of a match).
fn require_hub(p: &Principal) -> Result<(), ServiceError> {
    let hub_role = matches!(p.role, Role::RegionalCommissioner | Role::Administrator);
    if p.organisation_kind == OrganisationKind::RegionalHub && hub_role {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(Capability::ViewRegionFigures))
    }
}

impl Services {
    /// Every provider on the framework, by id.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn framework_members(&self, p: &Principal) -> Result<Vec<FrameworkMemberView>, ServiceError> {
        require_hub(p)?;
        let mut out: Vec<FrameworkMemberView> = Vec::new();
        for (provider, kind) in self.store.framework_lots().await? {
            if out.last().is_none_or(|m| m.provider != provider.0) {
                let provider_name = self.organisation(provider).await.map(|o| o.name).unwrap_or_default();
                out.push(FrameworkMemberView { provider: provider.0, provider_name, lots: Vec::new() });
            }
            if let Some(m) = out.last_mut() {
                m.lots.push(kind.code().to_owned());
            }
        }
        Ok(out)
    }

    /// Puts a provider on the framework for `lots` (replacing what it had), or takes it off with
    /// none; the cascade follows at once.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, provider = provider.0))]
    pub async fn set_framework_lots(
        &self,
        p: &Principal,
        provider: OrganisationId,
        input: &FrameworkLotsInput,
        origin: &Origin,
    ) -> Result<FrameworkMemberView, ServiceError> {
        require_hub(p)?;
        let org = self.organisation(provider).await.ok().filter(|o| o.kind == OrganisationKind::Provider);
        let Some(org) = org else {
            return Err(DomainError::new("provider", format!("organisation {provider} is not a provider")).into());
        };
        let lots = input.parse()?;
        self.store.set_framework_lots(&actor_of(p, "set framework lots", origin), provider, &lots, self.now()).await?;
        self.load_supply().await?;
        Ok(FrameworkMemberView {
            provider: provider.0,
            provider_name: org.name,
            lots: lots.iter().map(|k| k.code().to_owned()).collect(),
        })
    }
}

impl Services {
    /// Every provider organisation by id, with its name: whom the hub may put on the framework.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn provider_names(&self, p: &Principal) -> Result<Vec<(OrganisationId, String)>, ServiceError> {
        require_hub(p)?;
        let mut v: Vec<(OrganisationId, String)> = self
            .with_indexed_organisations(|all| {
                all.map(|all| {
                    all.values()
                        .filter(|o| o.kind == OrganisationKind::Provider)
                        .map(|o| (o.id, o.name.clone()))
                        .collect()
                })
                .unwrap_or_default()
            })
            .await?;
        v.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        Ok(v)
    }
}
