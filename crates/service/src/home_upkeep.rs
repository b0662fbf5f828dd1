//! Opening, changing and closing homes, and bulk upkeep of vacancies and prices from a CSV file
//! (issue 16). Only the organisation running a home may change it (`homes:write` for the home's
//! details, `vacancies:write` for an upkeep file); every change reaches matching before the call
//! returns, so the very next search sees it.

use crate::auth::{Origin, actor_of};
use crate::{ServiceError, Services};
use hearth_domain::access::{Capability, Principal};
use hearth_domain::home::{
    AgeRange, Home, HomeKind, Judgement, RegistrationStatus, RiskRating, SexAccepted, Skill, Skills, Vacancy,
    WeeklyPrice,
};
use hearth_domain::home_upkeep::{
    ClosureInput, HomeFields, HomeInput, HomeProfile, PriceBands, UPKEEP_COLUMNS, check_urn,
};
use hearth_domain::org::OrganisationKind;
use hearth_domain::{DomainError, GridRef, HomeId, PostcodeDistrict, VacancyId, ValidationErrors};
use hearth_reference::ofsted::ProvisionType;
use serde::Serialize;
use utoipa::ToSchema;

/// One of the caller's homes in full: what everyone allowed sees, and what only its own
/// organisation does (its postcode, accessibility, price bands, closure).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnHomeView {
    #[serde(flatten)]
    pub home: crate::views::HomeView,
    /// The full postcode: private to the home's own organisation.
    pub postcode: Option<String>,
    pub accessibility: String,
    pub emergency: bool,
    pub price_enhanced: Option<u32>,
    pub price_intensive: Option<u32>,
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_on: Option<jiff::civil::Date>,
    pub close_reason: Option<String>,
}

/// Something Ofsted's register says differently from what was typed: saved as typed, shown so the
/// provider can check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Warning {
    pub field: String,
    pub message: String,
}

/// A home as saved, with what the register disagreed on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HomeSaved {
    pub home: OwnHomeView,
    pub warnings: Vec<Warning>,
}

fn own_view(h: Home, p: HomeProfile) -> OwnHomeView {
    OwnHomeView {
        emergency: h.skills.contains(Skill::Emergency),
        home: h.into(),
        postcode: p.postcode.map(|pc| pc.as_str().to_owned()),
        accessibility: p.accessibility,
        price_enhanced: p.price_enhanced.map(WeeklyPrice::pounds),
        price_intensive: p.price_intensive.map(WeeklyPrice::pounds),
        closed_on: p.closed_on,
        close_reason: p.close_reason,
    }
}

fn fields_of(h: &Home, p: &HomeProfile) -> HomeFields {
    HomeFields {
        kind: h.kind,
        name: h.name.clone(),
        postcode: p.postcode.clone(),
        urn: h.urn.clone(),
        registration: h.registration,
        places: h.places,
        ages: h.ages,
        sex: h.sex,
        skills: h.skills,
        accessibility: p.accessibility.clone(),
        prices: PriceBands { standard: h.weekly_price, enhanced: p.price_enhanced, intensive: p.price_intensive },
    }
}

/// The kind of home an Ofsted registration is for.
const fn kind_of(t: ProvisionType) -> HomeKind {
    match t {
        ProvisionType::ChildrensHome => HomeKind::ChildrensHome,
        ProvisionType::ResidentialSpecialSchoolChildrensHome | ProvisionType::ResidentialSpecialSchool => {
            HomeKind::ResidentialSpecialSchool
        }
        ProvisionType::IndependentFosteringAgency => HomeKind::FosterAgency,
        ProvisionType::SecureChildrensHome => HomeKind::SecureChildrensHome,
    }
}

const fn risk_of(j: Option<Judgement>) -> RiskRating {
    match j {
        Some(Judgement::Outstanding | Judgement::Good) => RiskRating::Low,
        Some(Judgement::Inadequate) => RiskRating::High,
        _ => RiskRating::Medium,
    }
}

impl Services {
    /// The caller's own home, if it may change homes and its organisation runs this one.
    async fn home_to_change(&self, p: &Principal, id: HomeId, c: Capability) -> Result<Home, ServiceError> {
        let what = format!("home {id}");
        p.require(c).map_err(|d| ServiceError::denied(d, what.clone()))?;
        match self.store.home(id).await {
            Ok(h) if h.provider == p.organisation => Ok(h),
            Ok(_) | Err(hearth_store::StoreError::NotFound { .. }) => Err(ServiceError::NotFound(what)),
            Err(e) => Err(e.into()),
        }
    }

    /// One of the caller's homes in full, for its edit page.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, home = id.0))]
    pub async fn own_home_details(&self, p: &Principal, id: HomeId) -> Result<OwnHomeView, ServiceError> {
        let home = self.home_to_change(p, id, Capability::ManageHomes).await?;
        let profile = self.store.home_profile(id).await?;
        Ok(own_view(home, profile))
    }

    /// Opens a home for the caller's organisation (a provider, or a council's in-house service).
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn open_home(
        &self,
        p: &Principal,
        input: &HomeInput,
        origin: &Origin,
    ) -> Result<HomeSaved, ServiceError> {
        p.require(Capability::ManageHomes).map_err(|d| ServiceError::denied(d, "homes"))?;
        if !matches!(p.organisation_kind, OrganisationKind::Provider | OrganisationKind::Council) {
            return Err(ServiceError::Forbidden(Capability::ManageHomes));
        }
        let mut input = input.clone();
        // What the register says fills what was not typed, before the fields are checked.
        let register =
            input.urn.as_deref().and_then(|u| check_urn(u).ok()).and_then(|u| hearth_reference::ofsted::provider(&u));
        if let Some(r) = register {
            if input.kind.is_none() {
                input.kind = Some(kind_of(r.provision_type).code().to_owned());
            }
            if input.places.is_none() {
                input.places = r.places.map(i64::from);
            }
            if input.registration.is_none() {
                input.registration = Some(r.registration_status.code().to_owned());
            }
        }
        let mut errs = ValidationErrors::default();
        if input.kind.is_none() {
            errs.push(DomainError::new("kind", "say what kind of home it is"));
        }
        let base = HomeFields {
            kind: HomeKind::ChildrensHome,
            name: String::new(),
            postcode: None,
            urn: None,
            registration: RegistrationStatus::Applied,
            places: 1,
            ages: AgeRange { min: 0, max: 17 },
            sex: SexAccepted::Any,
            skills: Skills::empty(),
            accessibility: String::new(),
            prices: PriceBands { standard: WeeklyPrice::from_const(1), enhanced: None, intensive: None },
        };
        let fields = input.apply(&base, true);
        let mut fields = match (fields, errs.is_empty()) {
            (Ok(f), true) => f,
            (Ok(_), false) => return Err(errs.into()),
            (Err(mut e), _) => {
                e.0.splice(0..0, errs.0);
                return Err(e.into());
            }
        };
        if input.registration.is_none() && !fields.kind.requires_ofsted_registration() {
            // Foster households are approved by their agency or council, not registered themselves.
            fields.registration = RegistrationStatus::NotRequired;
        }
        self.save(p, None, fields, origin).await
    }

    /// Changes one of the caller's homes: any of its details; what is not sent stays.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, home = id.0))]
    pub async fn change_home(
        &self,
        p: &Principal,
        id: HomeId,
        input: &HomeInput,
        origin: &Origin,
    ) -> Result<HomeSaved, ServiceError> {
        let home = self.home_to_change(p, id, Capability::ManageHomes).await?;
        let profile = self.store.home_profile(id).await?;
        if profile.closed_on.is_some() {
            return Err(ServiceError::Conflict(format!(
                "{} closed on {}: it cannot be changed",
                home.name,
                profile.closed_on.map(|d| d.to_string()).unwrap_or_default()
            )));
        }
        let fields = input.apply(&fields_of(&home, &profile), false)?;
        self.save(p, Some((home, profile)), fields, origin).await
    }

    /// Checks what needs the rest of the region (where the postcode is, who else holds the URN, what
    /// Ofsted says), writes the home and brings matching up to date.
    async fn save(
        &self,
        p: &Principal,
        current: Option<(Home, HomeProfile)>,
        f: HomeFields,
        origin: &Origin,
    ) -> Result<HomeSaved, ServiceError> {
        let mut errs = ValidationErrors::default();
        let mut warnings = Vec::new();
        let gazetteer = hearth_reference::Gazetteer::get();
        let located = f.postcode.as_ref().map(|pc| (pc, gazetteer.lookup(pc)));
        let place: Option<(GridRef, String, PostcodeDistrict)> = match located {
            Some((_, Some(u))) => Some((u.grid, u.utla_code.to_owned(), u.to_district())),
            Some((pc, None)) => {
                errs.push(DomainError::new(
                    "postcode",
                    format!("{} is not a postcode Hearth knows; check it", pc.as_str()),
                ));
                None
            }
            None => None,
        };
        let mut judgement = current.as_ref().and_then(|(h, _)| h.judgement);
        let mut last_inspected = current.as_ref().and_then(|(h, _)| h.last_inspected);
        if let Some(urn) = &f.urn {
            let theirs = self
                .store
                .urn_holders(urn)
                .await?
                .into_iter()
                .any(|(h, org)| org != p.organisation && current.as_ref().is_none_or(|(c, _)| c.id != h));
            if theirs {
                errs.push(DomainError::new("urn", format!("URN {urn} belongs to another provider's home")));
            }
            if let Some(r) = hearth_reference::ofsted::provider(urn) {
                let registered = kind_of(r.provision_type);
                let kind_agrees = registered == f.kind || (registered.is_foster() && f.kind.is_foster());
                if !kind_agrees {
                    warnings.push(Warning {
                        field: "kind".into(),
                        message: format!("Ofsted registers URN {urn} as a {}", registered.label().to_lowercase()),
                    });
                }
                if let Some(places) = r.places
                    && places != f.places
                {
                    warnings.push(Warning {
                        field: "places".into(),
                        message: format!("Ofsted registers {places} places for URN {urn}, not {}", f.places),
                    });
                }
                if r.registration_status != f.registration {
                    warnings.push(Warning {
                        field: "registration".into(),
                        message: format!("Ofsted's register says '{}' for URN {urn}", r.registration_status.label()),
                    });
                }
                judgement = r.judgement;
                last_inspected = r.inspection_date;
            }
        }
        errs.into_result()?;
        let (grid, utla, district) = match (place, &current) {
            (Some(pl), _) => pl,
            (None, Some((h, _))) => (h.grid, h.utla.clone(), h.district.clone()),
            (None, None) => return Err(DomainError::new("postcode", "give the home's postcode").into()),
        };
        let la_code = hearth_reference::la::by_ons_code(&utla).filter(|l| l.west_midlands_portal).map(|l| l.la_code);
        let home = Home {
            id: current.as_ref().map_or(HomeId(0), |(h, _)| h.id),
            provider: current.as_ref().map_or(p.organisation, |(h, _)| h.provider),
            kind: f.kind,
            name: f.name,
            urn: f.urn,
            registration: f.registration,
            judgement,
            last_inspected,
            risk: current.as_ref().map_or(risk_of(judgement), |(h, _)| h.risk),
            la_code,
            utla,
            district,
            grid,
            places: f.places,
            ages: f.ages,
            sex: f.sex,
            skills: f.skills,
            other_children: current.as_ref().map_or(0, |(h, _)| h.other_children),
            pets: current.as_ref().is_some_and(|(h, _)| h.pets),
            weekly_price: f.prices.standard,
            // A setting Ofsted must register takes children once registered; others unless suspended.
            active: if f.kind.requires_ofsted_registration() {
                f.registration == RegistrationStatus::Registered
            } else {
                f.registration != RegistrationStatus::Suspended
            },
        };
        let profile = HomeProfile {
            postcode: f.postcode,
            accessibility: f.accessibility,
            price_enhanced: f.prices.enhanced,
            price_intensive: f.prices.intensive,
            closed_on: None,
            close_reason: None,
        };
        let label = if current.is_some() { "change home" } else { "open home" };
        let saved = self.store.save_home(&actor_of(p, label, origin), &home, &profile, self.now()).await?;
        self.homes_changed().await?;
        Ok(HomeSaved { home: own_view(saved, profile), warnings })
    }

    /// Closes one of the caller's homes on a day, with the reason; refused while a child will still
    /// be living there (their placements named by number) or before a placement there began.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0, home = id.0))]
    pub async fn close_home(
        &self,
        p: &Principal,
        id: HomeId,
        input: &ClosureInput,
        origin: &Origin,
    ) -> Result<OwnHomeView, ServiceError> {
        let home = self.home_to_change(p, id, Capability::ManageHomes).await?;
        if let Some(d) = self.store.home_profile(id).await?.closed_on {
            return Err(ServiceError::Conflict(format!("{} already closed on {d}", home.name)));
        }
        let closure = input.parse(self.today())?;
        self.store.close_home(&actor_of(p, "close home", origin), id, &closure, self.now()).await?;
        self.homes_changed().await?;
        self.own_home_details(p, id).await
    }

    /// A home's own facts changed: the pages' snapshot is dropped and the matching index rebuilt
    /// before the caller hears back, so the very next search, referral's matches or page sees it
    /// (read-your-writes; the rebuild waits its turn behind any rebuild already reading).
    async fn homes_changed(&self) -> Result<(), ServiceError> {
        self.matching.snapshot.forget();
        self.load_supply().await?;
        self.matching.snapshot.forget();
        Ok(())
    }
}

/// One row of an upkeep file as it would change its home's vacancy.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UpkeepChange {
    /// The row's line in the file (the header is line 1).
    pub row: usize,
    #[schema(value_type = i64)]
    pub home: HomeId,
    pub name: String,
    /// Free places, from-date and price now (the home's oldest open vacancy); none when it has none.
    pub places_before: u16,
    #[schema(value_type = Option<String>, format = Date)]
    pub available_from_before: Option<jiff::civil::Date>,
    pub weekly_price_before: u32,
    pub places: u16,
    #[schema(value_type = String, format = Date)]
    pub available_from: jiff::civil::Date,
    pub weekly_price: u32,
}

/// What an upkeep file did (or, previewed, would do).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UpkeepResult {
    /// False for a preview: nothing was written.
    pub saved: bool,
    pub changes: Vec<UpkeepChange>,
}

/// The most rows one file may have: a large provider's homes, with room to spare.
pub const UPKEEP_MAX_ROWS: usize = 1000;

impl Services {
    /// Reads and checks an upkeep file row by row against the caller's homes; every error at once,
    /// each named by row and column (`row 3: …` on the column's field).
    async fn read_upkeep(&self, p: &Principal, csv_text: &str) -> Result<Vec<(UpkeepChange, Vacancy)>, ServiceError> {
        p.require(Capability::ManageVacancies).map_err(|d| ServiceError::denied(d, "homes"))?;
        // From the store, not the pages' snapshot: a file is checked against the homes as they are.
        let homes = self.store.homes().await?;
        let vacancies = self.store.vacancies().await?;
        let own: Vec<&Home> = homes.iter().filter(|h| h.provider == p.organisation).collect();
        let mut errs = ValidationErrors::default();
        let mut reader = csv::ReaderBuilder::new().flexible(true).trim(csv::Trim::All).from_reader(csv_text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => h.iter().map(|c| c.to_ascii_lowercase()).collect(),
            Err(_) => return Err(DomainError::new("file", "the file is not CSV text").into()),
        };
        let mut at = [usize::MAX; 4];
        for (i, col) in UPKEEP_COLUMNS.iter().enumerate() {
            match header.iter().position(|h| h == col) {
                Some(j) => at[i] = j,
                None => errs.push(DomainError::new(
                    UPKEEP_COLUMNS[i],
                    format!("row 1: the header has no '{col}' column (it needs {})", UPKEEP_COLUMNS.join(", ")),
                )),
            }
        }
        errs.into_result()?;
        let mut errs = ValidationErrors::default();
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let today = self.today();
        for (n, record) in reader.records().enumerate() {
            let row = n + 2;
            if out.len() + errs.0.len() >= UPKEEP_MAX_ROWS {
                errs.push(DomainError::new("file", format!("row {row}: a file has at most {UPKEEP_MAX_ROWS} rows")));
                break;
            }
            let Ok(record) = record else {
                errs.push(DomainError::new("file", format!("row {row}: the row is not CSV")));
                continue;
            };
            let cell = |i: usize| record.get(at[i]).unwrap_or("");
            let mut bad = |column: &'static str, message: String| {
                errs.push(DomainError::new(column, format!("row {row}: {message}")))
            };
            let mut fine = true;
            for (i, col) in UPKEEP_COLUMNS.iter().enumerate() {
                if let Err(e) = hearth_domain::text::check_line(col, cell(i)) {
                    bad(col, e.message);
                    fine = false;
                }
            }
            if !fine {
                continue;
            }
            let key = cell(0);
            let home = if let Ok(urn) = check_urn(key) {
                let mine: Vec<&&Home> = own.iter().filter(|h| h.urn.as_deref() == Some(urn.as_str())).collect();
                match mine.as_slice() {
                    [h] => Some(**h),
                    [] => {
                        bad("home", format!("no home of yours has URN {urn}"));
                        None
                    }
                    _ => {
                        bad("home", format!("{} of your homes share URN {urn}; give the home's id", mine.len()));
                        None
                    }
                }
            } else {
                match key.parse::<i64>() {
                    Ok(id) => match own.iter().find(|h| h.id.0 == id) {
                        Some(h) => Some(*h),
                        None => {
                            bad("home", format!("{id} is not the id of one of your homes"));
                            None
                        }
                    },
                    Err(_) => {
                        bad("home", format!("'{key}' is neither a home id nor an Ofsted URN"));
                        None
                    }
                }
            };
            if let Some(h) = home
                && !seen.insert(h.id)
            {
                bad("home", format!("{} is already in an earlier row", h.name));
            }
            if let Some(h) = home
                && !h.active
            {
                bad("home", format!("{} is closed", h.name));
            }
            let places = match cell(1).parse::<u16>() {
                Ok(n) => match home {
                    Some(h) if n > h.places => {
                        bad("places", format!("{} has {} places in all; {n} cannot be free", h.name, h.places));
                        None
                    }
                    _ => Some(n),
                },
                Err(_) => {
                    bad("places", format!("'{}' is not a number of places", cell(1)));
                    None
                }
            };
            let from = match cell(2).parse::<jiff::civil::Date>() {
                Ok(d) if d < today => {
                    bad("available_from", format!("{d} is in the past"));
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    bad("available_from", format!("'{}' is not a date; write it as YYYY-MM-DD", cell(2)));
                    None
                }
            };
            let price = match cell(3).parse::<i64>() {
                Ok(v) => match WeeklyPrice::new(v) {
                    Ok(p) => Some(p),
                    Err(e) => {
                        bad("weekly_price", e.message);
                        None
                    }
                },
                Err(_) => {
                    bad("weekly_price", format!("'{}' is not a whole number of pounds", cell(3)));
                    None
                }
            };
            if let (Some(h), Some(places), Some(from), Some(price)) = (home, places, from, price) {
                let before = vacancies.iter().filter(|v| v.home == h.id).min_by_key(|v| v.id);
                out.push((
                    UpkeepChange {
                        row,
                        home: h.id,
                        name: h.name.clone(),
                        places_before: before.map_or(0, |v| v.places),
                        available_from_before: before.map(|v| v.available_from),
                        weekly_price_before: before.map_or(h.weekly_price, |v| v.weekly_price).pounds(),
                        places,
                        available_from: from,
                        weekly_price: price.pounds(),
                    },
                    Vacancy {
                        id: VacancyId(0),
                        home: h.id,
                        places,
                        available_from: from,
                        ages: h.ages,
                        sex: h.sex,
                        weekly_price: price,
                    },
                ));
            }
        }
        if out.is_empty() && errs.is_empty() {
            errs.push(DomainError::new("file", "the file has no rows after its header"));
        }
        errs.into_result()?;
        Ok(out)
    }

    /// Checks an upkeep file and says what it would change, writing nothing.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn preview_upkeep(&self, p: &Principal, csv_text: &str) -> Result<UpkeepResult, ServiceError> {
        let rows = self.read_upkeep(p, csv_text).await?;
        Ok(UpkeepResult { saved: false, changes: rows.into_iter().map(|(c, _)| c).collect() })
    }

    /// Checks an upkeep file and saves it whole in one transaction, or nothing; matching has the
    /// new vacancies before this returns.
    #[tracing::instrument(skip_all, fields(user = p.user.0, org = p.organisation.0))]
    pub async fn apply_upkeep(
        &self,
        p: &Principal,
        csv_text: &str,
        origin: &Origin,
    ) -> Result<UpkeepResult, ServiceError> {
        let rows = self.read_upkeep(p, csv_text).await?;
        let writes: Vec<(usize, Vacancy)> = rows.iter().map(|(c, v)| (c.row, v.clone())).collect();
        let written = self.store.apply_upkeep(&actor_of(p, "upkeep file", origin), &writes, self.now()).await?;
        for v in &written {
            self.vacancy_changed(v);
        }
        // Home prices changed too: the index ranks with them.
        self.homes_changed().await?;
        Ok(UpkeepResult { saved: true, changes: rows.into_iter().map(|(c, _)| c).collect() })
    }
}
