//! Homes and vacancies: councils and commissioners see the whole market; a provider sees and keeps
//! up to date its own homes only ("Our homes", with their vacancies).

use crate::auth::{Origin, actor_of};
use crate::homes_snapshot::views_of;
use crate::views::{HomeView, VacancyView};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::home::{AgeRange, SexAccepted, Vacancy, WeeklyPrice};
use hearth_domain::{DomainError, HomeId, VacancyId, ValidationErrors};

impl Services {
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
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

    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, home = id.0))]
    pub async fn home(&self, p: &Principal, id: HomeId) -> Result<HomeView, ServiceError> {
        p.require(Capability::ViewHomes).map_err(|d| ServiceError::denied(d, format!("home {id}")))?;
        let home = self.store.home(id).await?;
        if !p.sees_all_homes() && home.provider != p.organisation {
            return Err(ServiceError::NotFound(format!("home {id}")));
        }
        Ok(home.into())
    }

    /// Sets how many places a vacancy has free; only the organisation that runs the home may.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, vacancy = id.0))]
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
        home.check_free_places(places, 0)?;
        let updated =
            self.store.set_vacancy_places(&actor_of(p, "update vacancy", origin), id, places, self.now()).await?;
        self.vacancy_changed(&updated);
        Ok(updated.into())
    }
}

/// A vacancy as a provider types it. For a change, fields not sent keep their values.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VacancyInput {
    /// Places free: at least 1 to open a vacancy, 0 (filled) on a change. Raising them past what the home
    /// has left (its places less the children placed there and its other vacancies' free places) is
    /// refused (422).
    pub places: Option<u16>,
    /// YYYY-MM-DD; not in the past.
    pub available_from: Option<String>,
    pub age_min: Option<u8>,
    pub age_max: Option<u8>,
    /// `any`, `male` or `female`.
    pub sex: Option<String>,
    /// Whole pounds a week.
    pub weekly_price: Option<i64>,
}

impl Services {
    /// Checks a vacancy as typed against its home and today, field by field. `min` is the fewest places
    /// it may have: 1 to open a vacancy, 0 to change one (a filled vacancy can still be changed, and a
    /// `PATCH` to 0 places closes it as a `PUT` does). How many places the home has left is checked by
    /// the store, inside the write.
    fn vacancy_from_input(
        &self,
        base: Vacancy,
        home: &hearth_domain::home::Home,
        input: &VacancyInput,
        min: u16,
    ) -> Result<Vacancy, ServiceError> {
        let mut errors = ValidationErrors::default();
        let mut v = base;
        if let Some(p) = input.places {
            v.places = p;
        }
        errors.check(home.check_free_places(v.places, min));
        if let Some(raw) = &input.available_from {
            match raw.trim().parse::<jiff::civil::Date>() {
                Ok(d) if d < self.today() => errors.push(DomainError::new("available_from", "the date is in the past")),
                Ok(d) => v.available_from = d,
                Err(_) => errors
                    .push(DomainError::new("available_from", format!("'{raw}' is not a date; write it as YYYY-MM-DD"))),
            }
        }
        if input.age_min.is_some() || input.age_max.is_some() {
            let lo = input.age_min.unwrap_or(v.ages.min);
            let hi = input.age_max.unwrap_or(v.ages.max);
            if let Some(r) = errors.check(AgeRange::new(lo, hi)) {
                v.ages = r;
            }
        }
        if let Some(s) = &input.sex
            && let Some(sex) = errors.check(SexAccepted::parse(s).map_err(|e| DomainError::new("sex", e.message)))
        {
            v.sex = sex;
        }
        if let Some(p) = input.weekly_price
            && let Some(price) = errors.check(WeeklyPrice::new(p))
        {
            v.weekly_price = price;
        }
        errors.into_result()?;
        Ok(v)
    }

    /// The home, if the caller's organisation runs it and may keep its vacancies.
    async fn own_home(&self, p: &Principal, id: HomeId) -> Result<hearth_domain::home::Home, ServiceError> {
        let what = format!("home {id}");
        p.require(Capability::ManageVacancies).map_err(|d| ServiceError::denied(d, what.clone()))?;
        let home = self.store.home(id).await?;
        if home.provider != p.organisation {
            return Err(ServiceError::NotFound(what));
        }
        Ok(home)
    }

    /// Opens a vacancy on one of the caller's homes; the matching index has it at once.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, home = home_id.0))]
    pub async fn create_vacancy(
        &self,
        p: &Principal,
        home_id: HomeId,
        input: &VacancyInput,
        origin: &Origin,
    ) -> Result<VacancyView, ServiceError> {
        let home = self.own_home(p, home_id).await?;
        let base = Vacancy {
            id: VacancyId(0),
            home: home.id,
            places: 0,
            available_from: self.today(),
            ages: home.ages,
            sex: home.sex,
            weekly_price: home.weekly_price,
        };
        let mut input = input.clone();
        input.places = input.places.or(Some(1));
        let v = self.vacancy_from_input(base, &home, &input, 1)?;
        let created = self.store.create_vacancy(&actor_of(p, "open vacancy", origin), &v, self.now()).await?;
        self.vacancy_changed(&created);
        Ok(created.into())
    }

    /// Changes one of the caller's vacancies; fields not sent keep their values.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, vacancy = id.0))]
    pub async fn change_vacancy(
        &self,
        p: &Principal,
        id: VacancyId,
        input: &VacancyInput,
        origin: &Origin,
    ) -> Result<VacancyView, ServiceError> {
        let what = format!("vacancy {id}");
        p.require(Capability::ManageVacancies).map_err(|d| ServiceError::denied(d, what.clone()))?;
        let current = self.store.vacancy(id).await?;
        let home = self.own_home(p, current.home).await.map_err(|_| ServiceError::NotFound(what))?;
        let v = self.vacancy_from_input(current, &home, input, 0)?;
        let updated = self.store.update_vacancy(&actor_of(p, "change vacancy", origin), &v, self.now()).await?;
        self.vacancy_changed(&updated);
        Ok(updated.into())
    }
}

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
