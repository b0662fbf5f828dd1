//! A provider's (or a council's in-house service's) own homes with their vacancies, for the page
//! where it keeps them up to date. Kept apart from `supply.rs` so the pages need only this one
//! addition to the service layer.

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
    pub async fn own_homes(&self, p: &Principal) -> Result<Vec<OwnHome>, ServiceError> {
        p.require(Capability::ManageVacancies).map_err(|d| ServiceError::denied(d, "homes"))?;
        let mut homes: Vec<OwnHome> = self
            .store
            .homes()
            .await?
            .into_iter()
            .filter(|h| h.provider == p.organisation)
            .map(|h| OwnHome { home: h.into(), vacancies: vec![] })
            .collect();
        homes.sort_by(|a, b| a.home.name.cmp(&b.home.name).then(a.home.id.cmp(&b.home.id)));
        let index: std::collections::HashMap<_, _> = homes.iter().enumerate().map(|(i, h)| (h.home.id, i)).collect();
        for v in self.store.vacancies().await? {
            if let Some(&i) = index.get(&v.home) {
                homes[i].vacancies.push(v.into());
            }
        }
        for h in &mut homes {
            h.vacancies.sort_by_key(|v| v.id);
        }
        Ok(homes)
    }
}
