//! Organisations as the other use cases look them up (who made an offer, which council a referral's
//! officers belong to). Read from the copy the matching index keeps, since they are asked for on
//! every offer and decline and change rarely; a new one is seen when the index is rebuilt.

use crate::{ServiceError, Services};
use hearth_domain::OrganisationId;
use hearth_domain::org::{Organisation, OrganisationKind};

impl Services {
    /// The organisations that match `keep`, by id.
    pub(crate) async fn organisations_where(
        &self,
        keep: impl Fn(&Organisation) -> bool,
    ) -> Result<Vec<OrganisationId>, ServiceError> {
        let mut ids: Vec<OrganisationId> = self
            .with_indexed_organisations(|all| {
                all.map(|all| all.values().filter(|o| keep(o)).map(|o| o.id).collect()).unwrap_or_default()
            })
            .await?;
        ids.sort();
        Ok(ids)
    }

    /// One organisation; from the store when the index does not have it yet.
    pub(crate) async fn organisation(&self, id: OrganisationId) -> Result<Organisation, ServiceError> {
        if let Some(o) = self.with_indexed_organisations(|all| all.and_then(|all| all.get(&id).cloned())).await? {
            return Ok(o);
        }
        self.store
            .organisations()
            .await?
            .into_iter()
            .find(|o| o.id == id)
            .ok_or_else(|| ServiceError::NotFound(format!("organisation {id}")))
    }

    /// The council's own organisation (where its officers and team managers are).
    pub(crate) async fn council_organisation(&self, la_code: u16) -> Result<Option<OrganisationId>, ServiceError> {
        Ok(self
            .organisations_where(|o| o.kind == OrganisationKind::Council && o.la_code == Some(la_code))
            .await?
            .first()
            .copied())
    }
}
