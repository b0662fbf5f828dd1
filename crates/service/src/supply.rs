//! Homes and vacancies: councils and commissioners see the whole market; a provider sees and keeps
//! up to date its own homes only.

use crate::auth::{Origin, actor_of};
use crate::views::{HomeView, VacancyView};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::{HomeId, VacancyId};

impl Services {
    pub async fn homes(&self, p: &Principal) -> Result<Vec<HomeView>, ServiceError> {
        p.require(Capability::ViewHomes).map_err(|d| ServiceError::denied(d, "homes"))?;
        let all = p.sees_all_homes();
        Ok(self
            .store
            .homes()
            .await?
            .into_iter()
            .filter(|h| all || h.provider == p.organisation)
            .map(HomeView::from)
            .collect())
    }

    pub async fn home(&self, p: &Principal, id: HomeId) -> Result<HomeView, ServiceError> {
        p.require(Capability::ViewHomes).map_err(|d| ServiceError::denied(d, format!("home {id}")))?;
        let home = self.store.home(id).await?;
        if !p.sees_all_homes() && home.provider != p.organisation {
            return Err(ServiceError::NotFound(format!("home {id}")));
        }
        Ok(home.into())
    }

    /// Sets how many places a vacancy has free; only the organisation that runs the home may.
    pub async fn set_vacancy_places(
        &self,
        p: &Principal,
        id: VacancyId,
        places: u16,
        origin: &Origin,
    ) -> Result<VacancyView, ServiceError> {
        let what = format!("vacancy {id}");
        p.require(Capability::ManageVacancies).map_err(|d| ServiceError::denied(d, what.clone()))?;
        let vacancy = self.store.vacancy(id).await?;
        let home = self.store.home(vacancy.home).await?;
        if home.provider != p.organisation {
            return Err(ServiceError::NotFound(what));
        }
        if places > home.places {
            return Err(hearth_domain::DomainError::new(
                "places",
                format!("{} has {} places in all; free places cannot be more", home.name, home.places),
            )
            .into());
        }
        let updated = self.store.set_vacancy_places(&actor_of(p, "update vacancy", origin), id, places).await?;
        self.vacancy_changed(&updated);
        Ok(updated.into())
    }
}
