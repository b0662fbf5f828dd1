//! Organisations, users, homes, vacancies, contracts and councils' matching weights: the reference
//! data the marketplace works on, and the checks that keep a home's vacancies within its places.

use super::{Db, This};
use crate::StoreError;
use hearth_domain::HomeId;
use hearth_domain::VacancyId;
use hearth_domain::audit::Actor;
use jiff::Timestamp;

/// The vacancy a write is about: a new one on a home, or one already open.
#[derive(Debug, Clone, Copy)]
pub(crate) enum VacancyKey {
    New(HomeId),
    Existing(VacancyId),
}

impl This {
    /// Appends the audit line to the change made in `tx` and commits both: a change is never
    /// committed without its line, nor a line without its change.
    /// Takes a home's row for the rest of the transaction (`LOCK_HOME`) and counts what its places
    /// are taken by; with the home's name, for the sentence a refusal gives.
    pub(crate) async fn lock_home(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        home: HomeId,
    ) -> Result<(String, hearth_domain::capacity::Occupancy), StoreError> {
        let row: Option<(String, i32)> =
            sqlx::query_as(Self::LOCK_HOME).bind(home.0).fetch_optional(&mut *conn).await.map_err(|e| self.fail(e))?;
        let (name, places) = row.ok_or_else(|| StoreError::NotFound { what: format!("home {home}") })?;
        let (placed, advertised): (i64, i64) = sqlx::query_as(crate::sql::HOME_OCCUPANCY)
            .bind(home.0)
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        let occupancy = hearth_domain::capacity::Occupancy {
            places: crate::rows::narrow("homes.places", places)?,
            placed: u32::try_from(placed).map_err(|_| crate::error::unreadable("placements"))?,
            advertised: u32::try_from(advertised).map_err(|_| crate::error::unreadable("vacancies.places"))?,
        };
        Ok((name, occupancy))
    }

    /// Before a vacancy is written with `places` free: takes its home's row, then the vacancy's
    /// (none for a new one), and checks the home's places allow it. The places the vacancy had
    /// (0 for a new one).
    pub(crate) async fn hold_vacancy_places(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        key: super::reference::VacancyKey,
        places: u16,
    ) -> Result<u16, StoreError> {
        use super::reference::VacancyKey;
        let vacancy = match key {
            VacancyKey::Existing(id) => Some(id),
            VacancyKey::New(_) => None,
        };
        let home = match key {
            VacancyKey::Existing(id) => {
                let home: Option<i64> = sqlx::query_scalar(crate::sql::VACANCY_HOME)
                    .bind(id.0)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                HomeId(home.ok_or_else(|| StoreError::NotFound { what: format!("vacancy {id}") })?)
            }
            VacancyKey::New(home) => home,
        };
        let (name, occupancy) = self.lock_home(conn, home).await?;
        let before = match vacancy {
            Some(id) => {
                let before: i32 = sqlx::query_scalar(Self::LOCK_VACANCY)
                    .bind(id.0)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                crate::rows::narrow("vacancies.places", before)?
            }
            None => 0,
        };
        // A new vacancy needs a place; a vacancy already open may be filled (0).
        let min = u16::from(vacancy.is_none());
        occupancy.check_vacancy(&name, before, places, min).map_err(StoreError::Refused)?;
        Ok(before)
    }

    /// Opens a vacancy (`existing` None) or rewrites one, with its audit line, if its home's places
    /// allow it. No such vacancy: nothing is written.
    pub(crate) async fn write_vacancy(
        &self,
        actor: &Actor,
        existing: Option<VacancyId>,
        v: &hearth_domain::home::Vacancy,
        at: Timestamp,
    ) -> Result<hearth_domain::home::Vacancy, StoreError> {
        let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
        let key = existing.map_or(super::reference::VacancyKey::New(v.home), super::reference::VacancyKey::Existing);
        let before = self.hold_vacancy_places(&mut tx, key, v.places).await?;
        // Both statements bind the key first, then the fields.
        let (sql, key, action) = match existing {
            None => (crate::sql::INSERT_VACANCY, v.home.0, "vacancy.create"),
            Some(id) => (crate::sql::UPDATE_VACANCY, id.0, "vacancy.update"),
        };
        let row: Option<crate::rows::VacancyRow> = sqlx::query_as(sql)
            .bind(key)
            .bind(i32::from(v.places))
            .bind(crate::convert::date_to_sql(v.available_from))
            .bind(i32::from(v.ages.min))
            .bind(i32::from(v.ages.max))
            .bind(v.sex.code())
            // At most £50,000 (WeeklyPrice's own limit): always fits the INTEGER column.
            .bind(i32::try_from(v.weekly_price.pounds()).unwrap_or(i32::MAX))
            .fetch_optional(&mut *tx)
            .await
            .map_err(|e| self.fail(e))?;
        let row = row.ok_or_else(|| StoreError::NotFound { what: format!("vacancy {}", v.id) })?;
        let written: hearth_domain::home::Vacancy = row.try_into()?;
        let line = crate::sql::AuditLine {
            at,
            action,
            record_type: "vacancy",
            record_id: Some(written.id.to_string()),
            detail: Some(format!(
                "home {}, {} places from {} (had {before})",
                written.home, v.places, v.available_from
            )),
        };
        self.commit_audited(tx, actor, line).await?;
        Ok(written)
    }

    /// Homes with their skills, from a query for homes and one for their skills.
    pub(crate) fn homes_with_skills(
        homes: Vec<crate::rows::HomeRow>,
        skills: Vec<(i64, String)>,
    ) -> Result<Vec<hearth_domain::home::Home>, StoreError> {
        let mut skills = crate::rows::skills_by_home(skills)?;
        homes
            .into_iter()
            .map(|h| {
                let own = skills.remove(&h.id()).unwrap_or_default();
                h.into_home(own)
            })
            .collect()
    }
}

#[tracing::instrument(skip_all)]
pub(crate) async fn organisations(store: &This) -> Result<Vec<hearth_domain::org::Organisation>, StoreError> {
    let rows: Vec<crate::rows::OrganisationRow> =
        sqlx::query_as(crate::sql::ORGANISATIONS).fetch_all(&store.pool).await.map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all)]
pub(crate) async fn users(store: &This) -> Result<Vec<hearth_domain::org::User>, StoreError> {
    let rows: Vec<crate::rows::UserRow> =
        sqlx::query_as(crate::sql::USERS).fetch_all(&store.pool).await.map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all)]
pub(crate) async fn homes(store: &This) -> Result<Vec<hearth_domain::home::Home>, StoreError> {
    // Two reads that must agree: one transaction gives them one snapshot.
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let homes = sqlx::query_as(crate::sql::HOMES).fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    let skills = sqlx::query_as(crate::sql::ALL_SKILLS).fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    This::homes_with_skills(homes, skills)
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn home(store: &This, id: HomeId) -> Result<hearth_domain::home::Home, StoreError> {
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let home: Option<crate::rows::HomeRow> =
        sqlx::query_as(crate::sql::HOME).bind(id.0).fetch_optional(&mut *tx).await.map_err(|e| store.fail(e))?;
    let home = home.ok_or_else(|| StoreError::NotFound { what: format!("home {id}") })?;
    let skills =
        sqlx::query_as(crate::sql::SKILLS_OF_HOME).bind(id.0).fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    This::homes_with_skills(vec![home], skills)?
        .pop()
        .ok_or_else(|| StoreError::NotFound { what: format!("home {id}") })
}

#[tracing::instrument(skip_all)]
pub(crate) async fn vacancies(store: &This) -> Result<Vec<hearth_domain::home::Vacancy>, StoreError> {
    let rows: Vec<crate::rows::VacancyRow> =
        sqlx::query_as(crate::sql::OPEN_VACANCIES).fetch_all(&store.pool).await.map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all)]
pub(crate) async fn contracts(store: &This) -> Result<Vec<hearth_domain::contract::Contract>, StoreError> {
    let rows: Vec<crate::rows::ContractRow> =
        sqlx::query_as(crate::sql::CONTRACTS).fetch_all(&store.pool).await.map_err(|e| store.fail(e))?;
    let mut contracts = rows.into_iter().map(TryInto::try_into).collect::<Result<Vec<_>, _>>()?;
    read_coverage(store, &mut contracts).await?;
    Ok(contracts)
}

/// Fills in what each contract covers (migration 0013's two tables).
async fn read_coverage(store: &This, contracts: &mut [hearth_domain::contract::Contract]) -> Result<(), StoreError> {
    let kinds: Vec<(i64, String)> =
        sqlx::query_as(crate::contract_coverage::KINDS).fetch_all(&store.pool).await.map_err(|e| store.fail(e))?;
    let homes: Vec<(i64, i64)> =
        sqlx::query_as(crate::contract_coverage::HOMES).fetch_all(&store.pool).await.map_err(|e| store.fail(e))?;
    crate::contract_coverage::attach(contracts, kinds, homes)
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn vacancy(store: &This, id: VacancyId) -> Result<hearth_domain::home::Vacancy, StoreError> {
    let row: Option<crate::rows::VacancyRow> =
        sqlx::query_as(crate::sql::VACANCY).bind(id.0).fetch_optional(&store.pool).await.map_err(|e| store.fail(e))?;
    row.ok_or_else(|| StoreError::NotFound { what: format!("vacancy {id}") })?.try_into()
}

#[tracing::instrument(skip_all, fields(la_code))]
pub(crate) async fn council_weights(store: &This, la_code: u16) -> Result<Option<String>, StoreError> {
    sqlx::query_scalar(crate::sql::COUNCIL_WEIGHTS)
        .bind(i32::from(la_code))
        .fetch_optional(&store.pool)
        .await
        .map_err(|e| store.fail(e))
}

#[tracing::instrument(skip_all, fields(provider = c.provider.0, la_code = c.la_code))]
pub(crate) async fn create_contract(
    store: &This,
    actor: &Actor,
    c: &hearth_domain::contract::Contract,
    at: Timestamp,
) -> Result<hearth_domain::contract::Contract, StoreError> {
    use crate::convert::date_to_sql;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let row: crate::rows::ContractRow = sqlx::query_as(crate::sql::INSERT_CONTRACT)
        .bind(i32::from(c.la_code))
        .bind(c.provider.0)
        .bind(c.tier.code())
        .bind(crate::rows::int(c.weekly_price.pounds()))
        .bind(i32::from(c.block_beds))
        .bind(date_to_sql(c.starts))
        .bind(c.ends.map(date_to_sql))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let mut written: hearth_domain::contract::Contract = row.try_into()?;
    written.covers = c.covers.clone();
    This::write_coverage(&mut tx, std::slice::from_ref(&written)).await.map_err(|e| store.fail(e))?;
    let line = crate::sql::AuditLine {
        at,
        action: "contract.create",
        record_type: "contract",
        record_id: Some(written.id.to_string()),
        detail: Some(format!(
            "council {}, provider {}, {}, £{} a week, {} block beds, from {}, {} kinds, {} named homes",
            written.la_code,
            written.provider,
            written.tier.code(),
            written.weekly_price.pounds(),
            written.block_beds,
            written.starts,
            written.covers.kinds.len(),
            written.covers.homes.len()
        )),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(written)
}

#[tracing::instrument(skip_all)]
pub(crate) async fn contract_versions(
    store: &This,
) -> Result<Vec<hearth_domain::contract::ContractVersion>, StoreError> {
    let rows: Vec<crate::rows::ContractVersionRow> =
        sqlx::query_as(crate::sql::CONTRACT_VERSIONS).fetch_all(&store.pool).await.map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all, fields(contract = v.contract.0))]
pub(crate) async fn change_contract_terms(
    store: &This,
    actor: &Actor,
    v: &hearth_domain::contract::ContractVersion,
    at: Timestamp,
) -> Result<(), StoreError> {
    use crate::convert::date_to_sql;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    sqlx::query(crate::sql::UPSERT_CONTRACT_VERSION)
        .bind(v.contract.0)
        .bind(date_to_sql(v.takes_effect))
        .bind(crate::rows::int(v.weekly_price.pounds()))
        .bind(i32::from(v.block_beds))
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let line = crate::sql::AuditLine {
        at,
        action: "contract.change",
        record_type: "contract",
        record_id: Some(v.contract.to_string()),
        detail: Some(format!(
            "from {}: £{} a week, {} block beds",
            v.takes_effect,
            v.weekly_price.pounds(),
            v.block_beds
        )),
    };
    store.commit_audited(tx, actor, line).await
}

#[tracing::instrument(skip_all, fields(contract = id.0))]
pub(crate) async fn end_contract(
    store: &This,
    actor: &Actor,
    id: hearth_domain::ContractId,
    ends: jiff::civil::Date,
    at: Timestamp,
) -> Result<(), StoreError> {
    use crate::convert::date_to_sql;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let found: Option<i64> = sqlx::query_scalar(crate::sql::END_CONTRACT)
        .bind(id.0)
        .bind(date_to_sql(ends))
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    if found.is_none() {
        return Err(StoreError::NotFound { what: format!("contract {id}") });
    }
    let line = crate::sql::AuditLine {
        at,
        action: "contract.end",
        record_type: "contract",
        record_id: Some(id.to_string()),
        detail: Some(format!("last day {ends}")),
    };
    store.commit_audited(tx, actor, line).await
}

#[tracing::instrument(skip_all)]
pub(crate) async fn framework_lots(
    store: &This,
) -> Result<Vec<(hearth_domain::OrganisationId, hearth_domain::home::HomeKind)>, StoreError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as(crate::sql::FRAMEWORK_LOTS).fetch_all(&store.pool).await.map_err(|e| store.fail(e))?;
    rows.into_iter()
        .map(|(p, k)| {
            let kind = crate::rows::parse("framework_lots.kind", &k, hearth_domain::home::HomeKind::parse)?;
            Ok((hearth_domain::OrganisationId(p), kind))
        })
        .collect()
}

#[tracing::instrument(skip_all, fields(provider = provider.0))]
pub(crate) async fn set_framework_lots(
    store: &This,
    actor: &Actor,
    provider: hearth_domain::OrganisationId,
    lots: &[hearth_domain::home::HomeKind],
    at: Timestamp,
) -> Result<(), StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    sqlx::query(crate::sql::CLEAR_FRAMEWORK_LOTS)
        .bind(provider.0)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    for kind in lots {
        sqlx::query(crate::sql::INSERT_FRAMEWORK_LOT)
            .bind(provider.0)
            .bind(kind.code())
            .execute(&mut *tx)
            .await
            .map_err(|e| store.fail(e))?;
    }
    let codes: Vec<&str> = lots.iter().map(|k| k.code()).collect();
    let line = crate::sql::AuditLine {
        at,
        action: "framework.set",
        record_type: "organisation",
        record_id: Some(provider.to_string()),
        detail: Some(if codes.is_empty() {
            "left the framework".to_owned()
        } else {
            format!("lots {}", codes.join(", "))
        }),
    };
    store.commit_audited(tx, actor, line).await
}

#[tracing::instrument(skip_all, fields(la_code))]
pub(crate) async fn set_council_weights(
    store: &This,
    actor: &Actor,
    la_code: u16,
    weights: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    sqlx::query(crate::sql::SET_COUNCIL_WEIGHTS)
        .bind(i32::from(la_code))
        .bind(weights)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let line = crate::sql::AuditLine {
        at,
        action: "weights.update",
        record_type: "council",
        record_id: Some(la_code.to_string()),
        detail: None,
    };
    store.commit_audited(tx, actor, line).await
}

#[tracing::instrument(skip_all, fields(vacancy = v.id.0, home = v.home.0))]
pub(crate) async fn create_vacancy(
    store: &This,
    actor: &Actor,
    v: &hearth_domain::home::Vacancy,
    at: Timestamp,
) -> Result<hearth_domain::home::Vacancy, StoreError> {
    store.write_vacancy(actor, None, v, at).await
}

#[tracing::instrument(skip_all, fields(vacancy = v.id.0, home = v.home.0))]
pub(crate) async fn update_vacancy(
    store: &This,
    actor: &Actor,
    v: &hearth_domain::home::Vacancy,
    at: Timestamp,
) -> Result<hearth_domain::home::Vacancy, StoreError> {
    store.write_vacancy(actor, Some(v.id), v, at).await
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn set_vacancy_places(
    store: &This,
    actor: &Actor,
    id: VacancyId,
    places: u16,
    at: Timestamp,
) -> Result<hearth_domain::home::Vacancy, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    // Unknown vacancy: the transaction is dropped, so nothing (not even an audit line) is written.
    let before = store.hold_vacancy_places(&mut tx, super::reference::VacancyKey::Existing(id), places).await?;
    let row: crate::rows::VacancyRow = sqlx::query_as(crate::sql::SET_VACANCY_PLACES)
        .bind(i32::from(places))
        .bind(id.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let line = crate::sql::AuditLine {
        at,
        action: "vacancy.update",
        record_type: "vacancy",
        record_id: Some(id.to_string()),
        detail: Some(format!("places {before} -> {places}")),
    };
    store.commit_audited(tx, actor, line).await?;
    row.try_into()
}
