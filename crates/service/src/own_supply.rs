//! A provider's (or a council's in-house service's) own homes with their vacancies, for the page
//! where it keeps them up to date. Kept apart from `supply.rs` so the pages need only this one
//! addition to the service layer.

use crate::supply_snapshot::views_of;
use crate::views::{HomeView, VacancyView};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};

/// One of the caller's homes and its vacancies, oldest first.
#[derive(Debug, Clone)]
pub struct OwnHome {
    pub home: HomeView,
    pub vacancies: Vec<VacancyView>,
}

impl Services {
    /// The homes the caller's organisation runs, each with its vacancies; for those who keep them
    /// (`vacancies:write`). Ordered by name so the page reads the same on every visit.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn own_homes(&self, p: &Principal) -> Result<Vec<OwnHome>, ServiceError> {
        p.require(Capability::ManageVacancies).map_err(|d| ServiceError::denied(d, "homes"))?;
        // From the in-memory snapshot: this page is reloaded after every save, and the snapshot is
        // dropped by each vacancy change, so the person always sees their own edit.
        let held = self.supply_snapshot().await?;
        let mut homes: Vec<OwnHome> = views_of(&held, |h| h.provider == p.organisation)
            .into_iter()
            .map(|(home, vacancies)| OwnHome { home, vacancies })
            .collect();
        homes.sort_by(|a, b| a.home.name.cmp(&b.home.name).then(a.home.id.cmp(&b.home.id)));
        for h in &mut homes {
            h.vacancies.sort_by_key(|v| v.id);
        }
        Ok(homes)
    }
}
