//! Homes opened, changed and closed through Hearth, and a provider's bulk upkeep of vacancies and
//! prices (issue 16). Each write takes the home's row first (`LOCK_HOME`), so a change of places, a
//! closure or an upkeep file and a vacancy or acceptance on the same home never interleave.

use super::{Db, This};
use crate::StoreError;
use crate::convert::{date_from_sql, date_to_sql};
use crate::rows::int;
use hearth_domain::audit::Actor;
use hearth_domain::home::{Home, Vacancy, WeeklyPrice};
use hearth_domain::home_upkeep::{Closure, HomeProfile, Resident};
use hearth_domain::{DomainError, HomeId, OrganisationId, PlacementId, Postcode};
use jiff::Timestamp;

const INSERT_HOME: &str = "INSERT INTO homes (provider_id, kind, name, urn, registration, judgement, \
     last_inspected, risk, la_code, utla, district, easting, northing, places, age_min, age_max, sex, \
     other_children, pets, weekly_price, active) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) \
     RETURNING id";
// Binds in INSERT_HOME's order, with the id last.
const UPDATE_HOME: &str = "UPDATE homes SET provider_id = $1, kind = $2, name = $3, urn = $4, registration = $5, \
     judgement = $6, last_inspected = $7, risk = $8, la_code = $9, utla = $10, district = $11, easting = $12, \
     northing = $13, places = $14, age_min = $15, age_max = $16, sex = $17, other_children = $18, pets = $19, \
     weekly_price = $20, active = $21 WHERE id = $22";
const DELETE_SKILLS: &str = "DELETE FROM home_skills WHERE home_id = $1";
const INSERT_SKILL: &str = "INSERT INTO home_skills (home_id, skill) VALUES ($1, $2)";
const PROFILE: &str = "SELECT postcode, accessibility, price_enhanced, price_intensive, closed_on, close_reason \
     FROM home_profiles WHERE home_id = $1";
const UPSERT_PROFILE: &str = "INSERT INTO home_profiles (home_id, postcode, accessibility, price_enhanced, \
     price_intensive, closed_on, close_reason) VALUES ($1, $2, $3, $4, $5, $6, $7) \
     ON CONFLICT (home_id) DO UPDATE SET postcode = excluded.postcode, accessibility = excluded.accessibility, \
     price_enhanced = excluded.price_enhanced, price_intensive = excluded.price_intensive, \
     closed_on = excluded.closed_on, close_reason = excluded.close_reason";
const URN_HOLDERS: &str = "SELECT id, provider_id FROM homes WHERE urn = $1 ORDER BY id";
const RESIDENTS: &str = "SELECT id, start_date, end_date FROM placements WHERE home_id = $1 \
     AND (end_date IS NULL OR end_date > start_date) ORDER BY id";
const CLOSE_HOME: &str = "UPDATE homes SET active = $2 WHERE id = $1";
const VACANCIES_OF_HOME: &str = "SELECT id, home_id, places, available_from, age_min, age_max, sex, weekly_price \
     FROM vacancies WHERE home_id = $1 ORDER BY id";
const ZERO_VACANCY: &str = "UPDATE vacancies SET places = 0 WHERE id = $1 \
     RETURNING id, home_id, places, available_from, age_min, age_max, sex, weekly_price";
const SET_HOME_PRICE: &str = "UPDATE homes SET weekly_price = $2 WHERE id = $1";

type Profile = (Option<String>, String, Option<i32>, Option<i32>, Option<time::Date>, Option<String>);

fn price(column: &'static str, v: Option<i32>) -> Result<Option<WeeklyPrice>, StoreError> {
    v.map(|p| WeeklyPrice::new(i64::from(p)).map_err(|_| crate::error::unreadable(column))).transpose()
}

impl This {
    async fn vacancies_of_home(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        home: HomeId,
    ) -> Result<Vec<Vacancy>, StoreError> {
        let rows: Vec<crate::rows::VacancyRow> =
            sqlx::query_as(VACANCIES_OF_HOME).bind(home.0).fetch_all(&mut *conn).await.map_err(|e| self.fail(e))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn write_profile(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        home: HomeId,
        p: &HomeProfile,
    ) -> Result<(), StoreError> {
        sqlx::query(UPSERT_PROFILE)
            .bind(home.0)
            .bind(p.postcode.as_ref().map(Postcode::as_str))
            .bind(p.accessibility.as_str())
            .bind(p.price_enhanced.map(|w| int(w.pounds())))
            .bind(p.price_intensive.map(|w| int(w.pounds())))
            .bind(p.closed_on.map(date_to_sql))
            .bind(p.close_reason.as_deref())
            .execute(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        Ok(())
    }
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn home_profile(store: &This, id: HomeId) -> Result<HomeProfile, StoreError> {
    let row: Option<Profile> =
        sqlx::query_as(PROFILE).bind(id.0).fetch_optional(&store.pool).await.map_err(|e| store.fail(e))?;
    let Some((postcode, accessibility, enhanced, intensive, closed_on, close_reason)) = row else {
        return Ok(HomeProfile::default());
    };
    Ok(HomeProfile {
        postcode: postcode
            .map(|p| Postcode::parse(&p).map_err(|_| crate::error::unreadable("home_profiles.postcode")))
            .transpose()?,
        accessibility,
        price_enhanced: price("home_profiles.price_enhanced", enhanced)?,
        price_intensive: price("home_profiles.price_intensive", intensive)?,
        closed_on: closed_on.map(|d| date_from_sql(d, "home_profiles.closed_on")).transpose()?,
        close_reason,
    })
}

#[tracing::instrument(skip_all)]
pub(crate) async fn urn_holders(store: &This, urn: &str) -> Result<Vec<(HomeId, OrganisationId)>, StoreError> {
    let rows: Vec<(i64, i64)> =
        sqlx::query_as(URN_HOLDERS).bind(urn).fetch_all(&store.pool).await.map_err(|e| store.fail(e))?;
    Ok(rows.into_iter().map(|(h, o)| (HomeId(h), OrganisationId(o))).collect())
}

/// Opens a home (`h.id` 0) or rewrites one, with its skills and profile and an audit line. A home's
/// places may not fall below the children placed there and the places its vacancies advertise.
#[tracing::instrument(skip_all, fields(home = h.id.0))]
pub(crate) async fn save_home(
    store: &This,
    actor: &Actor,
    h: &Home,
    profile: &HomeProfile,
    at: Timestamp,
) -> Result<Home, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let new = h.id.0 == 0;
    if !new {
        let (_, occupancy) = store.lock_home(&mut tx, h.id).await?;
        let taken = occupancy.placed + occupancy.advertised;
        // Only a cut is checked: a home already over-advertised can still have its other details changed.
        if h.places < occupancy.places && u32::from(h.places) < taken {
            return Err(StoreError::Refused(DomainError::new(
                "places",
                format!(
                    "{} has {} children placed and {} places free in its vacancies: it needs at least {taken} places; \
                     lower its vacancies first",
                    h.name, occupancy.placed, occupancy.advertised
                ),
            )));
        }
    }
    let q = bind_home(sqlx::query(if new { INSERT_HOME } else { UPDATE_HOME }), h);
    let id = if new {
        use sqlx::Row;
        let row = q.fetch_one(&mut *tx).await.map_err(|e| store.fail(e))?;
        HomeId(row.try_get::<i64, _>(0).map_err(|e| store.fail(e))?)
    } else {
        q.bind(h.id.0).execute(&mut *tx).await.map_err(|e| store.fail(e))?;
        h.id
    };
    sqlx::query(DELETE_SKILLS).bind(id.0).execute(&mut *tx).await.map_err(|e| store.fail(e))?;
    for s in h.skills.iter() {
        sqlx::query(INSERT_SKILL).bind(id.0).bind(s.code()).execute(&mut *tx).await.map_err(|e| store.fail(e))?;
    }
    store.write_profile(&mut tx, id, profile).await?;
    let line = crate::sql::AuditLine {
        at,
        action: if new { "home.create" } else { "home.update" },
        record_type: "home",
        record_id: Some(id.to_string()),
        detail: Some(format!(
            "{}, {} places, ages {}-{}, £{} a week",
            h.kind.code(),
            h.places,
            h.ages.min,
            h.ages.max,
            h.weekly_price.pounds()
        )),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(Home { id, ..h.clone() })
}

/// Closes a home if no child will be living there on the day: it leaves matching, its vacancies
/// are filled (0 places), and the day and reason are kept. Returns the vacancies it closed.
#[tracing::instrument(skip_all, fields(home = id.0))]
pub(crate) async fn close_home(
    store: &This,
    actor: &Actor,
    id: HomeId,
    closure: &Closure,
    at: Timestamp,
) -> Result<Vec<Vacancy>, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    store.lock_home(&mut tx, id).await?;
    let rows: Vec<(i64, time::Date, Option<time::Date>)> =
        sqlx::query_as(RESIDENTS).bind(id.0).fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    let residents = rows
        .into_iter()
        .map(|(p, s, e)| {
            Ok(Resident {
                placement: PlacementId(p),
                start: date_from_sql(s, "placements.start_date")?,
                end: e.map(|e| date_from_sql(e, "placements.end_date")).transpose()?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    closure.check(id, &residents).map_err(StoreError::Refused)?;
    sqlx::query(CLOSE_HOME).bind(id.0).bind(false).execute(&mut *tx).await.map_err(|e| store.fail(e))?;
    let mut closed = Vec::new();
    for v in store.vacancies_of_home(&mut tx, id).await?.into_iter().filter(|v| v.places > 0) {
        let row: crate::rows::VacancyRow =
            sqlx::query_as(ZERO_VACANCY).bind(v.id.0).fetch_one(&mut *tx).await.map_err(|e| store.fail(e))?;
        closed.push(row.try_into()?);
    }
    let row: Option<Profile> =
        sqlx::query_as(PROFILE).bind(id.0).fetch_optional(&mut *tx).await.map_err(|e| store.fail(e))?;
    // Keep what the profile says; only the closure is new.
    let mut profile = match row {
        None => HomeProfile::default(),
        Some((postcode, accessibility, enhanced, intensive, _, _)) => HomeProfile {
            postcode: postcode.and_then(|p| Postcode::parse(&p).ok()),
            accessibility,
            price_enhanced: price("home_profiles.price_enhanced", enhanced)?,
            price_intensive: price("home_profiles.price_intensive", intensive)?,
            closed_on: None,
            close_reason: None,
        },
    };
    profile.closed_on = Some(closure.closed_on);
    profile.close_reason = Some(closure.reason.clone());
    store.write_profile(&mut tx, id, &profile).await?;
    let line = crate::sql::AuditLine {
        at,
        action: "home.close",
        record_type: "home",
        record_id: Some(id.to_string()),
        detail: Some(format!("closed on {}, {} vacancies closed", closure.closed_on, closed.len())),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(closed)
}

/// Applies an upkeep file in one transaction: for each row, the home's oldest vacancy takes the
/// row's places, date and price (one is opened when the home has none and the row has places), its
/// other vacancies are filled (0), and the home's own weekly price becomes the row's. The first row
/// the home's places cannot hold refuses the whole file, naming its line; nothing is written.
#[tracing::instrument(skip_all, fields(rows = rows.len()))]
pub(crate) async fn apply_upkeep(
    store: &This,
    actor: &Actor,
    rows: &[(usize, Vacancy)],
    at: Timestamp,
) -> Result<Vec<Vacancy>, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let mut written = Vec::new();
    for (line, v) in rows {
        let (name, occupancy) = store.lock_home(&mut tx, v.home).await?;
        let most = u32::from(occupancy.places).saturating_sub(occupancy.placed);
        if u32::from(v.places) > most {
            return Err(StoreError::Refused(DomainError::new(
                "places",
                format!(
                    "row {line}: {name} has {} places and {} children placed, so at most {most} can be free",
                    occupancy.places, occupancy.placed
                ),
            )));
        }
        let existing = store.vacancies_of_home(&mut tx, v.home).await?;
        let mut rest = existing.iter();
        let (sql, key) = match rest.next() {
            Some(first) => (crate::sql::UPDATE_VACANCY, first.id.0),
            None if v.places > 0 => (crate::sql::INSERT_VACANCY, v.home.0),
            None => ("", 0),
        };
        if !sql.is_empty() {
            let (ages, sex) = existing.first().map_or((v.ages, v.sex), |f| (f.ages, f.sex));
            let row: crate::rows::VacancyRow = sqlx::query_as(sql)
                .bind(key)
                .bind(i32::from(v.places))
                .bind(date_to_sql(v.available_from))
                .bind(i32::from(ages.min))
                .bind(i32::from(ages.max))
                .bind(sex.code())
                .bind(int(v.weekly_price.pounds()))
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| store.fail(e))?;
            written.push(row.try_into()?);
        }
        for other in rest.filter(|o| o.places > 0) {
            let row: crate::rows::VacancyRow =
                sqlx::query_as(ZERO_VACANCY).bind(other.id.0).fetch_one(&mut *tx).await.map_err(|e| store.fail(e))?;
            written.push(row.try_into()?);
        }
        sqlx::query(SET_HOME_PRICE)
            .bind(v.home.0)
            .bind(int(v.weekly_price.pounds()))
            .execute(&mut *tx)
            .await
            .map_err(|e| store.fail(e))?;
    }
    let homes: Vec<String> = rows.iter().map(|(_, v)| v.home.to_string()).collect();
    let line = crate::sql::AuditLine {
        at,
        action: "vacancy.upkeep",
        record_type: "home",
        record_id: None,
        detail: Some(format!("{} rows: homes {}", rows.len(), homes.join(" "))),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(written)
}

type Query<'q> = sqlx::query::Query<'q, Db, <Db as sqlx::Database>::Arguments>;

/// Binds a home's columns in INSERT_HOME's order (UPDATE_HOME then takes the id).
fn bind_home<'q>(q: Query<'q>, h: &'q Home) -> Query<'q> {
    q.bind(h.provider.0)
        .bind(h.kind.code())
        .bind(h.name.as_str())
        .bind(h.urn.as_deref())
        .bind(h.registration.code())
        .bind(h.judgement.map(|j| j.code()))
        .bind(h.last_inspected.map(date_to_sql))
        .bind(h.risk.code())
        .bind(h.la_code.map(i32::from))
        .bind(h.utla.as_str())
        .bind(h.district.as_str())
        .bind(h.grid.easting)
        .bind(h.grid.northing)
        .bind(i32::from(h.places))
        .bind(i32::from(h.ages.min))
        .bind(i32::from(h.ages.max))
        .bind(h.sex.code())
        .bind(i32::from(h.other_children))
        .bind(h.pets)
        .bind(int(h.weekly_price.pounds()))
        .bind(h.active)
}
