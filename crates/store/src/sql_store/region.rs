//! The database as a whole: its migrations, whether it holds anything, and loading a whole region.

use super::{Db, This};
use crate::StoreError;
use hearth_domain::audit::Actor;
use jiff::Timestamp;

impl This {
    /// Every record of a region, parents before children. Ids are the seed's own.
    pub(crate) async fn insert_region(
        conn: &mut <Db as sqlx::Database>::Connection,
        seed: &hearth_domain::seed::RegionSeed,
    ) -> Result<(), sqlx::Error> {
        use crate::convert::{date_to_sql, timestamp_to_sql};
        use crate::rows::int;
        use crate::sql::load;

        Self::insert_rows(conn, load::ORGANISATIONS, &seed.organisations, |b, o| {
            b.push_bind(o.id.0)
                .push_bind(o.kind.code())
                .push_bind(o.name.as_str())
                .push_bind(o.la_code.map(i32::from))
                .push_bind(o.sector.map(|s| s.code()));
        })
        .await?;
        Self::insert_rows(conn, load::USERS, &seed.users, |b, u| {
            b.push_bind(u.id.0)
                .push_bind(u.organisation.0)
                .push_bind(u.email.as_str())
                .push_bind(u.display_name.as_str())
                .push_bind(u.role.code());
        })
        .await?;
        Self::insert_rows(conn, load::HOMES, &seed.homes, |b, h| {
            b.push_bind(h.id.0)
                .push_bind(h.provider.0)
                .push_bind(h.kind.code())
                .push_bind(h.name.as_str())
                .push_bind(h.urn.as_deref())
                .push_bind(h.registration.code())
                .push_bind(h.judgement.map(|j| j.code()))
                .push_bind(h.last_inspected.map(date_to_sql))
                .push_bind(h.risk.code())
                .push_bind(h.la_code.map(i32::from))
                .push_bind(h.utla.as_str())
                .push_bind(h.district.as_str())
                .push_bind(h.grid.easting)
                .push_bind(h.grid.northing)
                .push_bind(i32::from(h.places))
                .push_bind(i32::from(h.ages.min))
                .push_bind(i32::from(h.ages.max))
                .push_bind(h.sex.code())
                .push_bind(i32::from(h.other_children))
                .push_bind(h.pets)
                .push_bind(int(h.weekly_price.pounds()))
                .push_bind(h.active);
        })
        .await?;
        let skills: Vec<(i64, &'static str)> =
            seed.homes.iter().flat_map(|h| h.skills.iter().map(move |s| (h.id.0, s.code()))).collect();
        Self::insert_rows(conn, load::HOME_SKILLS, &skills, |b, (home, skill)| {
            b.push_bind(*home).push_bind(*skill);
        })
        .await?;
        Self::insert_rows(conn, load::VACANCIES, &seed.vacancies, |b, v| {
            b.push_bind(v.id.0)
                .push_bind(v.home.0)
                .push_bind(i32::from(v.places))
                .push_bind(date_to_sql(v.available_from))
                .push_bind(i32::from(v.ages.min))
                .push_bind(i32::from(v.ages.max))
                .push_bind(v.sex.code())
                .push_bind(int(v.weekly_price.pounds()));
        })
        .await?;
        Self::insert_rows(conn, load::CONTRACTS, &seed.contracts, |b, c| {
            b.push_bind(c.id.0)
                .push_bind(i32::from(c.la_code))
                .push_bind(c.provider.0)
                .push_bind(c.tier.code())
                .push_bind(int(c.weekly_price.pounds()))
                .push_bind(i32::from(c.block_beds))
                .push_bind(date_to_sql(c.starts))
                .push_bind(c.ends.map(date_to_sql));
        })
        .await?;
        Self::write_coverage(conn, &seed.contracts).await?;
        Self::insert_rows(conn, load::CHILDREN, &seed.children, |b, c| {
            b.push_bind(c.id.0)
                .push_bind(i32::from(c.la_code))
                .push_bind(c.reference.as_str())
                .push_bind(date_to_sql(c.date_of_birth))
                .push_bind(c.sex.code())
                .push_bind(c.ethnicity.code())
                .push_bind(c.uasc)
                .push_bind(c.disability)
                .push_bind(c.sen.code())
                .push_bind(c.home_postcode.as_ref().map(|p| p.as_str()))
                .push_bind(c.home_district.as_ref().map(|d| d.as_str()))
                .push_bind(c.school_district.as_ref().map(|d| d.as_str()))
                .push_bind(c.legal_status.code())
                .push_bind(c.sibling_group.map(|g| g.0))
                .push_bind(date_to_sql(c.looked_after_since))
                .push_bind(c.ceased_on.map(date_to_sql))
                .push_bind(c.category_of_need.map(|n| n.code()));
        })
        .await?;
        let connected: Vec<(i64, i32, &hearth_domain::child::ConnectedPerson)> = seed
            .children
            .iter()
            .flat_map(|c| c.connected_persons.iter().enumerate().map(move |(i, p)| (c.id.0, int(i as u32), p)))
            .collect();
        Self::insert_rows(conn, load::CONNECTED_PERSONS, &connected, |b, (child, position, p)| {
            b.push_bind(*child)
                .push_bind(*position)
                .push_bind(p.relationship.code())
                .push_bind(p.district.as_ref().map(|d| d.as_str()))
                .push_bind(p.carer_home.map(|h| h.0));
        })
        .await?;
        Self::insert_rows(conn, load::LEGAL_STATUSES, &seed.legal_statuses, |b, l| {
            b.push_bind(l.child.0).push_bind(date_to_sql(l.from)).push_bind(l.legal_status.code());
        })
        .await?;
        Self::insert_rows(conn, load::REFERRALS, &seed.referrals, |b, r| {
            b.push_bind(r.id.0)
                .push_bind(i32::from(r.la_code))
                .push_bind(r.siblings_together)
                .push_bind(r.urgency.code())
                .push_bind(date_to_sql(r.needed_from))
                .push_bind(r.preferred_district.as_ref().map(|d| d.as_str()))
                .push_bind(r.status.code())
                .push_bind(r.created_by.map(|u| u.0))
                .push_bind(timestamp_to_sql(r.created_at))
                .push_bind(r.closed_at.map(timestamp_to_sql));
        })
        .await?;
        let referral_children: Vec<(i64, i32, i64)> = seed
            .referrals
            .iter()
            .flat_map(|r| r.children.iter().enumerate().map(move |(i, c)| (r.id.0, int(i as u32), c.0)))
            .collect();
        Self::insert_rows(conn, load::REFERRAL_CHILDREN, &referral_children, |b, (referral, position, child)| {
            b.push_bind(*referral).push_bind(*position).push_bind(*child);
        })
        .await?;
        let needs: Vec<(i64, i32, &'static str)> = seed
            .referrals
            .iter()
            .flat_map(|r| r.needs.iter().enumerate().map(move |(i, n)| (r.id.0, int(i as u32), n.code())))
            .collect();
        Self::insert_rows(conn, load::REFERRAL_NEEDS, &needs, |b, (referral, position, need)| {
            b.push_bind(*referral).push_bind(*position).push_bind(*need);
        })
        .await?;
        Self::insert_rows(conn, load::OFFERS, &seed.offers, |b, o| {
            b.push_bind(o.id.0)
                .push_bind(o.referral.0)
                .push_bind(o.provider.0)
                .push_bind(o.home.0)
                .push_bind(int(o.weekly_price.pounds()))
                .push_bind(date_to_sql(o.start))
                .push_bind(o.status.code())
                .push_bind(timestamp_to_sql(o.made_at))
                .push_bind(o.terms.vacancy.map(|v| v.0))
                .push_bind(o.terms.includes.as_str())
                .push_bind(o.terms.notes.as_str());
        })
        .await?;
        Self::insert_rows(conn, load::DECLINES, &seed.declines, |b, d| {
            b.push_bind(d.referral.0)
                .push_bind(d.provider.0)
                .push_bind(d.reason.code())
                .push_bind(timestamp_to_sql(d.declined_at))
                .push_bind(d.note.as_str());
        })
        .await?;
        sqlx::query(crate::sql::RECIPIENTS_FROM_ANSWERS).execute(&mut *conn).await?;
        Self::insert_rows(conn, load::PLACEMENTS, &seed.placements, |b, p| {
            b.push_bind(p.id.0)
                .push_bind(p.child.0)
                .push_bind(i32::from(p.la_code))
                .push_bind(p.home.map(|h| h.0))
                .push_bind(p.referral.map(|r| r.0))
                .push_bind(p.placement_type.code())
                .push_bind(p.provider.code())
                .push_bind(p.tier.map(|t| t.code()))
                .push_bind(date_to_sql(p.start))
                .push_bind(p.end.map(date_to_sql))
                .push_bind(p.reason_ceased.map(|r| r.code()))
                .push_bind(p.reason_change.map(|r| r.code()))
                .push_bind(p.planned_ending)
                .push_bind(p.previous.map(|r| r.0))
                .push_bind(p.step_down)
                .push_bind(p.postcode.as_ref().map(|c| c.as_str()))
                .push_bind(p.pl_utla.as_deref())
                .push_bind(p.distance.0)
                .push_bind(p.weekly_cost.map(|w| int(w.pounds())));
        })
        .await?;
        Self::insert_rows(conn, load::QUALITY_VISITS, &seed.quality_visits, |b, q| {
            b.push_bind(q.id.0)
                .push_bind(q.home.0)
                .push_bind(i32::from(q.la_code))
                .push_bind(date_to_sql(q.due))
                .push_bind(q.visited.map(date_to_sql))
                .push_bind(q.outcome.map(|o| o.code()));
        })
        .await?;
        Ok(())
    }
}

#[tracing::instrument(skip_all)]
pub(crate) async fn migrate(store: &This) -> Result<usize, StoreError> {
    let migrator = This::migrator();
    let known = migrator.iter().map(|m| m.version).max().unwrap_or_default();
    // Looked at before sqlx's migrator runs, because that creates its table and refuses an
    // unknown version only after taking its lock: a newer database must see no change at all.
    let has_table: bool =
        sqlx::query_scalar(This::MIGRATIONS_TABLE_EXISTS).fetch_one(&store.pool).await.map_err(|e| store.fail(e))?;
    let applied: Vec<i64> = if has_table {
        sqlx::query_scalar(crate::sql::APPLIED_MIGRATIONS).fetch_all(&store.pool).await.map_err(|e| store.fail(e))?
    } else {
        Vec::new()
    };
    if let Some(found) = applied.iter().copied().filter(|v| *v > known).max() {
        return Err(StoreError::NewerSchema { found, known });
    }
    let pending =
        migrator.iter().filter(|m| !m.migration_type.is_down_migration() && !applied.contains(&m.version)).count();
    migrator.run(&store.pool).await.map_err(|e| crate::error::from_migrate(&store.url, e))?;
    if pending > 0 {
        tracing::info!(backend = This::BACKEND.name(), applied = pending, "database migrated");
    }
    Ok(pending)
}

#[tracing::instrument(skip_all)]
pub(crate) async fn is_empty(store: &This) -> Result<bool, StoreError> {
    sqlx::query_scalar(crate::sql::IS_EMPTY).fetch_one(&store.pool).await.map_err(|e| store.fail(e))
}

#[tracing::instrument(skip_all)]
pub(crate) async fn load_region(
    store: &This,
    actor: &Actor,
    seed: &hearth_domain::seed::RegionSeed,
    at: Timestamp,
) -> Result<hearth_domain::seed::RegionCounts, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    // Checked inside the loading transaction, so a concurrent load cannot slip in between.
    let holds_data: bool =
        sqlx::query_scalar(crate::sql::HOLDS_DATA).fetch_one(&mut *tx).await.map_err(|e| store.fail(e))?;
    if holds_data {
        return Err(StoreError::Conflict(
            "the database already holds data; a region can only be loaded into an empty database".into(),
        ));
    }
    This::insert_region(&mut tx, seed).await.map_err(|e| store.fail(e))?;
    This::after_load(&mut tx).await.map_err(|e| store.fail(e))?;
    let counts = seed.counts();
    let line = crate::sql::AuditLine {
        at,
        action: "region.load",
        record_type: "region",
        record_id: None,
        detail: Some(format!(
            "{} organisations, {} users, {} homes, {} vacancies, {} children, {} referrals, {} placements",
            counts.organisations,
            counts.users,
            counts.homes,
            counts.vacancies,
            counts.children,
            counts.referrals,
            counts.placements
        )),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(counts)
}

#[tracing::instrument(skip_all)]
pub(crate) async fn counts(store: &This) -> Result<hearth_domain::seed::RegionCounts, StoreError> {
    let row: crate::rows::CountsRow =
        sqlx::query_as(crate::sql::COUNTS).fetch_one(&store.pool).await.map_err(|e| store.fail(e))?;
    Ok(row.into())
}
