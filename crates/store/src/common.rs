//! The [`Store`](crate::Store) methods both backends share, written once.
//!
//! sqlx's executors, query builders and bind bounds are concrete per database, so generic code over
//! `DB: Database` drowns in trait bounds; a macro that stamps the one implementation out for each pool
//! type keeps a single copy of the logic instead. A backend supplies only what really differs:
//!
//! - `self.pool`, and `self.url` (the address to name in errors),
//! - its migrations folder (the macro's `migrations` argument),
//! - `const BACKEND`, `const MAX_BINDS` (bind parameters one statement may carry),
//! - `const MIGRATIONS_TABLE_EXISTS`,
//! - `const INSTANT` (how `instant(` is spelled: how the backend compares timestamps, see `sql::INSTANT`),
//! - `const AUDIT_AT` (opens the expression that puts a bound moment in `audit_log.at`'s stored form),
//! - `const LOCK_VACANCY` (read a vacancy's places, locking the row where the dialect can),
//! - `const LOCK_HOME` (read a home's name and places, locking the row where the dialect can),
//! - `async fn begin_write(&self)` (a transaction that will write),
//! - `async fn after_load(&mut Connection)` (fix-ups after a bulk load that keeps ids).

/// The vacancy a write is about: a new one on a home, or one already open.
#[derive(Debug, Clone, Copy)]
pub(crate) enum VacancyKey {
    New(hearth_domain::HomeId),
    Existing(hearth_domain::VacancyId),
}

macro_rules! impl_store {
    ($store:ty, $db:ty, migrations = $migrations:tt) => {
        impl $store {
            /// The backend's own migrations folder, embedded in the binary.
            fn migrator() -> &'static sqlx::migrate::Migrator {
                static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!($migrations);
                &MIGRATOR
            }

            fn fail(&self, e: sqlx::Error) -> crate::StoreError {
                crate::error::from_sqlx(&self.url, e)
            }

            /// Appends one audit line in the caller's transaction.
            async fn write_audit(
                conn: &mut <$db as sqlx::Database>::Connection,
                actor: &hearth_domain::audit::Actor,
                line: crate::sql::AuditLine<'_>,
            ) -> Result<(), sqlx::Error> {
                sqlx::query(crate::sql::INSERT_AUDIT)
                    .bind(actor.user.map(|u| u.0))
                    .bind(actor.organisation.map(|o| o.0))
                    .bind(actor.label.as_str())
                    .bind(line.action)
                    .bind(line.record_type)
                    .bind(line.record_id)
                    .bind(actor.from.as_deref())
                    .bind(line.detail)
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            }

            /// Appends the audit line to the change made in `tx` and commits both: a change is never
            /// committed without its line, nor a line without its change.
            /// Takes a home's row for the rest of the transaction (`LOCK_HOME`) and counts what its places
            /// are taken by; with the home's name, for the sentence a refusal gives.
            async fn lock_home(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                home: hearth_domain::HomeId,
            ) -> Result<(String, hearth_domain::capacity::Occupancy), crate::StoreError> {
                let row: Option<(String, i32)> = sqlx::query_as(Self::LOCK_HOME)
                    .bind(home.0)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                let (name, places) = row.ok_or_else(|| crate::StoreError::NotFound { what: format!("home {home}") })?;
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
            async fn hold_vacancy_places(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                key: crate::common::VacancyKey,
                places: u16,
            ) -> Result<u16, crate::StoreError> {
                use crate::common::VacancyKey;
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
                        hearth_domain::HomeId(
                            home.ok_or_else(|| crate::StoreError::NotFound { what: format!("vacancy {id}") })?,
                        )
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
                occupancy.check_vacancy(&name, before, places, min).map_err(crate::StoreError::Refused)?;
                Ok(before)
            }

            /// Opens a vacancy (`existing` None) or rewrites one, with its audit line, if its home's places
            /// allow it. No such vacancy: nothing is written.
            async fn write_vacancy(
                &self,
                actor: &hearth_domain::audit::Actor,
                existing: Option<hearth_domain::VacancyId>,
                v: &hearth_domain::home::Vacancy,
            ) -> Result<hearth_domain::home::Vacancy, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let key = existing.map_or(crate::common::VacancyKey::New(v.home), crate::common::VacancyKey::Existing);
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
                let row = row.ok_or_else(|| crate::StoreError::NotFound { what: format!("vacancy {}", v.id) })?;
                let written: hearth_domain::home::Vacancy = row.try_into()?;
                let line = crate::sql::AuditLine {
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

            async fn commit_audited(
                &self,
                mut tx: crate::write_tx::WriteTx<$db>,
                actor: &hearth_domain::audit::Actor,
                line: crate::sql::AuditLine<'_>,
            ) -> Result<(), crate::StoreError> {
                Self::write_audit(&mut tx, actor, line).await.map_err(|e| self.fail(e))?;
                tx.commit().await.map_err(|e| self.fail(e))
            }

            /// Inserts `rows` with multi-row INSERTs, as many rows a statement as the backend's bind
            /// limit allows.
            async fn insert_rows<T>(
                conn: &mut <$db as sqlx::Database>::Connection,
                head: &'static str,
                rows: &[T],
                mut bind: impl FnMut(&mut sqlx::query_builder::Separated<'_, $db, &'static str>, &T),
            ) -> Result<(), sqlx::Error> {
                for chunk in rows.chunks(crate::sql::rows_per_statement(head, Self::MAX_BINDS)) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(head);
                    insert.push_values(chunk, |mut row, value| bind(&mut row, value));
                    insert.build().execute(&mut *conn).await?;
                }
                Ok(())
            }

            /// Every record of a region, parents before children. Ids are the seed's own.
            async fn insert_region(
                conn: &mut <$db as sqlx::Database>::Connection,
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
                Self::insert_rows(
                    conn,
                    load::REFERRAL_CHILDREN,
                    &referral_children,
                    |b, (referral, position, child)| {
                        b.push_bind(*referral).push_bind(*position).push_bind(*child);
                    },
                )
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

            /// Homes with their skills, from a query for homes and one for their skills.
            fn homes_with_skills(
                homes: Vec<crate::rows::HomeRow>,
                skills: Vec<(i64, String)>,
            ) -> Result<Vec<hearth_domain::home::Home>, crate::StoreError> {
                let mut skills = crate::rows::skills_by_home(skills)?;
                homes
                    .into_iter()
                    .map(|h| {
                        let own = skills.remove(&h.id()).unwrap_or_default();
                        h.into_home(own)
                    })
                    .collect()
            }

            /// Children with their connected persons, likewise.
            fn children_with_connected(
                children: Vec<crate::rows::ChildRow>,
                connected: Vec<crate::rows::ConnectedPersonRow>,
            ) -> Result<Vec<hearth_domain::child::Child>, crate::StoreError> {
                let mut connected = crate::rows::connected_by_child(connected)?;
                children
                    .into_iter()
                    .map(|c| {
                        let own = connected.remove(&c.id()).unwrap_or_default();
                        c.into_child(own)
                    })
                    .collect()
            }
        }

        impl $store {
            /// Writes the audit line of a read. Only reads (actions ending in `ending`): anything else would
            /// let a caller write the line of a change that never happened, where every real change writes
            /// its own line with its rows.
            async fn audit_read(
                &self,
                actor: &hearth_domain::audit::Actor,
                ending: &str,
                line: crate::sql::AuditLine<'_>,
            ) -> Result<(), crate::StoreError> {
                if !line.action.ends_with(ending) {
                    return Err(crate::StoreError::Invalid(format!(
                        "'{}' is not a{} read; only reads are audited this way",
                        line.action,
                        if ending == ".list.read" { " list" } else { "" }
                    )));
                }
                let tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                self.commit_audited(tx, actor, line).await
            }

            /// `sql` with `instant(` spelled as this backend compares timestamps (see `sql::INSTANT`). The
            /// text is made of constants only, so asserting that it is safe is true.
            fn timed(sql: &'static str) -> sqlx::AssertSqlSafe<String> {
                sqlx::AssertSqlSafe(sql.replace(crate::sql::INSTANT, Self::INSTANT))
            }

            /// The rows `sql` selects for council `$1` and the days `$2` to `$3`.
            async fn read_period<R>(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                sql: &'static str,
                la_code: i32,
                from: time::Date,
                to: time::Date,
            ) -> Result<Vec<R>, crate::StoreError>
            where
                R: for<'r> sqlx::FromRow<'r, <$db as sqlx::Database>::Row> + Send + Unpin,
            {
                sqlx::query_as(sql)
                    .bind(la_code)
                    .bind(from)
                    .bind(to)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))
            }

            /// A child with their connected persons: two reads, in the caller's transaction.
            async fn read_child(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                id: hearth_domain::ChildId,
            ) -> Result<hearth_domain::child::Child, crate::StoreError> {
                let child: Option<crate::rows::ChildRow> = sqlx::query_as(crate::sql::CHILD)
                    .bind(id.0)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                let child = child.ok_or_else(|| crate::StoreError::NotFound { what: format!("child {id}") })?;
                let connected = sqlx::query_as(crate::sql::CONNECTED_OF_CHILD)
                    .bind(id.0)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                Self::children_with_connected(vec![child], connected)?
                    .pop()
                    .ok_or_else(|| crate::StoreError::NotFound { what: format!("child {id}") })
            }

            /// The referrals `reads` selects by `key`, newest first, at most `limit` (0: all).
            async fn read_referrals(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                reads: &crate::sql::ReferralReads,
                key: i64,
                limit: u32,
            ) -> Result<Vec<hearth_domain::referral::Referral>, crate::StoreError> {
                // LIMIT wants a number on both backends: the largest one stands for "no limit".
                let limit = if limit == 0 { i64::MAX } else { i64::from(limit) };
                let referrals = sqlx::query_as(Self::timed(reads.referrals))
                    .bind(key)
                    .bind(limit)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                let children = sqlx::query_as(Self::timed(reads.children))
                    .bind(key)
                    .bind(limit)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                let needs = sqlx::query_as(Self::timed(reads.needs))
                    .bind(key)
                    .bind(limit)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(|e| self.fail(e))?;
                crate::rows::referrals_with_parts(referrals, children, needs)
            }

            /// A referral's children, needs and details, (re)written in the caller's transaction.
            async fn write_referral_parts(
                conn: &mut <$db as sqlx::Database>::Connection,
                id: i64,
                r: &hearth_domain::referral_form::ParsedReferral,
                at: jiff::Timestamp,
            ) -> Result<(), sqlx::Error> {
                use crate::rows::int;
                use crate::sql::load;
                let children: Vec<(i32, i64)> =
                    r.children.iter().enumerate().map(|(i, c)| (int(i as u32), c.0)).collect();
                Self::insert_rows(conn, load::REFERRAL_CHILDREN, &children, |b, (position, child)| {
                    b.push_bind(id).push_bind(*position).push_bind(*child);
                })
                .await?;
                let needs: Vec<(i32, &'static str)> =
                    r.needs.iter().enumerate().map(|(i, n)| (int(i as u32), n.code())).collect();
                Self::insert_rows(conn, load::REFERRAL_NEEDS, &needs, |b, (position, need)| {
                    b.push_bind(id).push_bind(*position).push_bind(*need);
                })
                .await?;
                sqlx::query(crate::sql::UPSERT_REFERRAL_DETAILS)
                    .bind(id)
                    .bind(sqlx::types::Json(&r.details))
                    .bind(crate::convert::timestamp_to_sql(at))
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            }

            async fn write_referral_event(
                conn: &mut <$db as sqlx::Database>::Connection,
                actor: &hearth_domain::audit::Actor,
                id: i64,
                from: Option<hearth_domain::referral::ReferralStatus>,
                to: Option<hearth_domain::referral::ReferralStatus>,
                at: jiff::Timestamp,
            ) -> Result<(), sqlx::Error> {
                sqlx::query(crate::sql::INSERT_REFERRAL_EVENT)
                    .bind(id)
                    .bind(from.map(|s| s.code()))
                    .bind(to.map(|s| s.code()))
                    .bind(crate::convert::timestamp_to_sql(at))
                    .bind(actor.user.map(|u| u.0))
                    .execute(&mut *conn)
                    .await?;
                Ok(())
            }

            /// Reads the referral just written back in `tx`, then commits it with its audit line: the
            /// caller gets the referral as stored, and only if the change was committed.
            async fn commit_referral(
                &self,
                mut tx: crate::write_tx::WriteTx<$db>,
                actor: &hearth_domain::audit::Actor,
                id: i64,
                action: &str,
                detail: String,
            ) -> Result<hearth_domain::referral::Referral, crate::StoreError> {
                let referral = self
                    .read_referrals(&mut tx, &crate::sql::REFERRAL, id, 1)
                    .await?
                    .pop()
                    .ok_or_else(|| crate::StoreError::NotFound { what: format!("referral {id}") })?;
                // Counts and codes only: the children are named by the referral's own rows, never here.
                let line = crate::sql::AuditLine {
                    action,
                    record_type: "referral",
                    record_id: Some(id.to_string()),
                    detail: Some(detail),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(referral)
            }

            /// A referral that is not there, or is not in the state asked for: which of the two.
            async fn referral_not(
                &self,
                conn: &mut <$db as sqlx::Database>::Connection,
                id: hearth_domain::ReferralId,
                wanted: &str,
            ) -> crate::StoreError {
                let status: Result<Option<String>, _> =
                    sqlx::query_scalar(crate::sql::REFERRAL_STATUS).bind(id.0).fetch_optional(&mut *conn).await;
                match status {
                    Ok(None) => crate::StoreError::NotFound { what: format!("referral {id}") },
                    Ok(Some(s)) => crate::StoreError::Conflict(format!("referral {id} is {s}; {wanted}")),
                    Err(e) => self.fail(e),
                }
            }

            /// Ends record `id` (a session, a token) if `owner`'s and still going, writing `line`. One that
            /// already ended is left as it was, with nothing to audit. One that is someone else's is
            /// `NotFound`, exactly as one that does not exist, so the answer does not tell them apart.
            async fn revoke(
                &self,
                actor: &hearth_domain::audit::Actor,
                revoke: &crate::sql::Revoke,
                id: i64,
                owner: i64,
                line: crate::sql::AuditLine<'_>,
            ) -> Result<(), crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let ended = sqlx::query(revoke.revoke)
                    .bind(crate::convert::timestamp_to_sql(jiff::Timestamp::now()))
                    .bind(id)
                    .bind(owner)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?
                    .rows_affected();
                if ended == 0 {
                    let owned: bool = sqlx::query_scalar(revoke.owned)
                        .bind(id)
                        .bind(owner)
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(|e| self.fail(e))?;
                    let what = format!("{} {id}", line.record_type.replace('_', " "));
                    return if owned { Ok(()) } else { Err(crate::StoreError::NotFound { what }) };
                }
                self.commit_audited(tx, actor, line).await
            }
        }

        #[async_trait::async_trait]
        impl crate::Store for $store {
            fn backend(&self) -> crate::Backend {
                Self::BACKEND
            }

            async fn migrate(&self) -> Result<usize, crate::StoreError> {
                let migrator = Self::migrator();
                let known = migrator.iter().map(|m| m.version).max().unwrap_or_default();
                // Looked at before sqlx's migrator runs, because that creates its table and refuses an
                // unknown version only after taking its lock: a newer database must see no change at all.
                let has_table: bool = sqlx::query_scalar(Self::MIGRATIONS_TABLE_EXISTS)
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                let applied: Vec<i64> = if has_table {
                    sqlx::query_scalar(crate::sql::APPLIED_MIGRATIONS)
                        .fetch_all(&self.pool)
                        .await
                        .map_err(|e| self.fail(e))?
                } else {
                    Vec::new()
                };
                if let Some(found) = applied.iter().copied().filter(|v| *v > known).max() {
                    return Err(crate::StoreError::NewerSchema { found, known });
                }
                let pending = migrator
                    .iter()
                    .filter(|m| !m.migration_type.is_down_migration() && !applied.contains(&m.version))
                    .count();
                migrator.run(&self.pool).await.map_err(|e| crate::error::from_migrate(&self.url, e))?;
                if pending > 0 {
                    tracing::info!(backend = Self::BACKEND.name(), applied = pending, "database migrated");
                }
                Ok(pending)
            }

            async fn is_empty(&self) -> Result<bool, crate::StoreError> {
                sqlx::query_scalar(crate::sql::IS_EMPTY).fetch_one(&self.pool).await.map_err(|e| self.fail(e))
            }

            async fn load_region(
                &self,
                actor: &hearth_domain::audit::Actor,
                seed: &hearth_domain::seed::RegionSeed,
            ) -> Result<hearth_domain::seed::RegionCounts, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                // Checked inside the loading transaction, so a concurrent load cannot slip in between.
                let holds_data: bool =
                    sqlx::query_scalar(crate::sql::HOLDS_DATA).fetch_one(&mut *tx).await.map_err(|e| self.fail(e))?;
                if holds_data {
                    return Err(crate::StoreError::Conflict(
                        "the database already holds data; a region can only be loaded into an empty database".into(),
                    ));
                }
                Self::insert_region(&mut tx, seed).await.map_err(|e| self.fail(e))?;
                Self::after_load(&mut tx).await.map_err(|e| self.fail(e))?;
                let counts = seed.counts();
                let line = crate::sql::AuditLine {
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
                self.commit_audited(tx, actor, line).await?;
                Ok(counts)
            }

            async fn counts(&self) -> Result<hearth_domain::seed::RegionCounts, crate::StoreError> {
                let row: crate::rows::CountsRow =
                    sqlx::query_as(crate::sql::COUNTS).fetch_one(&self.pool).await.map_err(|e| self.fail(e))?;
                Ok(row.into())
            }

            async fn organisations(&self) -> Result<Vec<hearth_domain::org::Organisation>, crate::StoreError> {
                let rows: Vec<crate::rows::OrganisationRow> =
                    sqlx::query_as(crate::sql::ORGANISATIONS).fetch_all(&self.pool).await.map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn users(&self) -> Result<Vec<hearth_domain::org::User>, crate::StoreError> {
                let rows: Vec<crate::rows::UserRow> =
                    sqlx::query_as(crate::sql::USERS).fetch_all(&self.pool).await.map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn homes(&self) -> Result<Vec<hearth_domain::home::Home>, crate::StoreError> {
                // Two reads that must agree: one transaction gives them one snapshot.
                let mut tx = self.pool.begin().await.map_err(|e| self.fail(e))?;
                let homes = sqlx::query_as(crate::sql::HOMES).fetch_all(&mut *tx).await.map_err(|e| self.fail(e))?;
                let skills =
                    sqlx::query_as(crate::sql::ALL_SKILLS).fetch_all(&mut *tx).await.map_err(|e| self.fail(e))?;
                tx.commit().await.map_err(|e| self.fail(e))?;
                Self::homes_with_skills(homes, skills)
            }

            async fn home(&self, id: hearth_domain::HomeId) -> Result<hearth_domain::home::Home, crate::StoreError> {
                let mut tx = self.pool.begin().await.map_err(|e| self.fail(e))?;
                let home: Option<crate::rows::HomeRow> = sqlx::query_as(crate::sql::HOME)
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let home = home.ok_or_else(|| crate::StoreError::NotFound { what: format!("home {id}") })?;
                let skills = sqlx::query_as(crate::sql::SKILLS_OF_HOME)
                    .bind(id.0)
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                tx.commit().await.map_err(|e| self.fail(e))?;
                Self::homes_with_skills(vec![home], skills)?
                    .pop()
                    .ok_or_else(|| crate::StoreError::NotFound { what: format!("home {id}") })
            }

            async fn vacancies(&self) -> Result<Vec<hearth_domain::home::Vacancy>, crate::StoreError> {
                let rows: Vec<crate::rows::VacancyRow> =
                    sqlx::query_as(crate::sql::OPEN_VACANCIES).fetch_all(&self.pool).await.map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn contracts(&self) -> Result<Vec<hearth_domain::contract::Contract>, crate::StoreError> {
                let rows: Vec<crate::rows::ContractRow> =
                    sqlx::query_as(crate::sql::CONTRACTS).fetch_all(&self.pool).await.map_err(|e| self.fail(e))?;
                let mut contracts = rows.into_iter().map(TryInto::try_into).collect::<Result<Vec<_>, _>>()?;
                self.read_coverage(&mut contracts).await?;
                Ok(contracts)
            }

            async fn vacancy(
                &self,
                id: hearth_domain::VacancyId,
            ) -> Result<hearth_domain::home::Vacancy, crate::StoreError> {
                let row: Option<crate::rows::VacancyRow> = sqlx::query_as(crate::sql::VACANCY)
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                row.ok_or_else(|| crate::StoreError::NotFound { what: format!("vacancy {id}") })?.try_into()
            }

            async fn council_weights(&self, la_code: u16) -> Result<Option<String>, crate::StoreError> {
                sqlx::query_scalar(crate::sql::COUNCIL_WEIGHTS)
                    .bind(i32::from(la_code))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))
            }

            async fn create_contract(
                &self,
                actor: &hearth_domain::audit::Actor,
                c: &hearth_domain::contract::Contract,
            ) -> Result<hearth_domain::contract::Contract, crate::StoreError> {
                use crate::convert::date_to_sql;
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
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
                    .map_err(|e| self.fail(e))?;
                let mut written: hearth_domain::contract::Contract = row.try_into()?;
                written.covers = c.covers.clone();
                Self::write_coverage(&mut tx, std::slice::from_ref(&written)).await.map_err(|e| self.fail(e))?;
                let line = crate::sql::AuditLine {
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
                self.commit_audited(tx, actor, line).await?;
                Ok(written)
            }

            async fn set_council_weights(
                &self,
                actor: &hearth_domain::audit::Actor,
                la_code: u16,
                weights: &str,
            ) -> Result<(), crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                sqlx::query(crate::sql::SET_COUNCIL_WEIGHTS)
                    .bind(i32::from(la_code))
                    .bind(weights)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let line = crate::sql::AuditLine {
                    action: "weights.update",
                    record_type: "council",
                    record_id: Some(la_code.to_string()),
                    detail: None,
                };
                self.commit_audited(tx, actor, line).await
            }

            async fn create_vacancy(
                &self,
                actor: &hearth_domain::audit::Actor,
                v: &hearth_domain::home::Vacancy,
            ) -> Result<hearth_domain::home::Vacancy, crate::StoreError> {
                self.write_vacancy(actor, None, v).await
            }

            async fn update_vacancy(
                &self,
                actor: &hearth_domain::audit::Actor,
                v: &hearth_domain::home::Vacancy,
            ) -> Result<hearth_domain::home::Vacancy, crate::StoreError> {
                self.write_vacancy(actor, Some(v.id), v).await
            }

            async fn set_vacancy_places(
                &self,
                actor: &hearth_domain::audit::Actor,
                id: hearth_domain::VacancyId,
                places: u16,
            ) -> Result<hearth_domain::home::Vacancy, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                // Unknown vacancy: the transaction is dropped, so nothing (not even an audit line) is written.
                let before = self.hold_vacancy_places(&mut tx, crate::common::VacancyKey::Existing(id), places).await?;
                let row: crate::rows::VacancyRow = sqlx::query_as(crate::sql::SET_VACANCY_PLACES)
                    .bind(i32::from(places))
                    .bind(id.0)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let line = crate::sql::AuditLine {
                    action: "vacancy.update",
                    record_type: "vacancy",
                    record_id: Some(id.to_string()),
                    detail: Some(format!("places {before} -> {places}")),
                };
                self.commit_audited(tx, actor, line).await?;
                row.try_into()
            }

            async fn child(
                &self,
                actor: &hearth_domain::audit::Actor,
                id: hearth_domain::ChildId,
            ) -> Result<hearth_domain::child::Child, crate::StoreError> {
                // A write transaction: the read is not returned unless its audit line is committed.
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let child = self.read_child(&mut tx, id).await?;
                let line = crate::sql::AuditLine {
                    action: "child.read",
                    record_type: "child",
                    record_id: Some(id.to_string()),
                    detail: None,
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(child)
            }

            async fn child_unaudited(
                &self,
                id: hearth_domain::ChildId,
            ) -> Result<hearth_domain::child::Child, crate::StoreError> {
                let mut tx = self.pool.begin().await.map_err(|e| self.fail(e))?;
                let child = self.read_child(&mut tx, id).await?;
                tx.commit().await.map_err(|e| self.fail(e))?;
                Ok(child)
            }

            async fn record_read(
                &self,
                actor: &hearth_domain::audit::Actor,
                action: &str,
                record_type: &str,
                record_id: &str,
            ) -> Result<(), crate::StoreError> {
                let line =
                    crate::sql::AuditLine { action, record_type, record_id: Some(record_id.to_owned()), detail: None };
                self.audit_read(actor, ".read", line).await
            }

            async fn record_list_read(
                &self,
                actor: &hearth_domain::audit::Actor,
                action: &str,
                record_type: &str,
                detail: &str,
            ) -> Result<(), crate::StoreError> {
                let line =
                    crate::sql::AuditLine { action, record_type, record_id: None, detail: Some(detail.to_owned()) };
                self.audit_read(actor, ".list.read", line).await
            }

            async fn children_of(&self, la_code: u16) -> Result<Vec<hearth_domain::child::Child>, crate::StoreError> {
                let mut tx = self.pool.begin().await.map_err(|e| self.fail(e))?;
                let children = sqlx::query_as(crate::sql::CHILDREN_OF)
                    .bind(i32::from(la_code))
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let connected = sqlx::query_as(crate::sql::CONNECTED_OF_COUNCIL)
                    .bind(i32::from(la_code))
                    .fetch_all(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                tx.commit().await.map_err(|e| self.fail(e))?;
                Self::children_with_connected(children, connected)
            }

            async fn placements_of_child(
                &self,
                id: hearth_domain::ChildId,
            ) -> Result<Vec<hearth_domain::placement::Placement>, crate::StoreError> {
                let rows: Vec<crate::rows::PlacementRow> = sqlx::query_as(crate::sql::PLACEMENTS_OF_CHILD)
                    .bind(id.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn return_records(
                &self,
                la_code: u16,
                from: jiff::civil::Date,
                to: jiff::civil::Date,
            ) -> Result<crate::ReturnRecords, crate::StoreError> {
                use crate::convert::date_to_sql;
                use crate::market_sql::{RETURN_CHILDREN, RETURN_LEGAL_STATUSES, RETURN_PLACEMENTS};
                // Three reads that must agree: one transaction gives them one snapshot.
                let mut tx = self.pool.begin().await.map_err(|e| self.fail(e))?;
                let (la, from, to) = (i32::from(la_code), date_to_sql(from), date_to_sql(to));
                let children: Vec<crate::rows::ChildRow> =
                    self.read_period(&mut tx, RETURN_CHILDREN, la, from, to).await?;
                let legal: Vec<crate::rows::LegalStatusRow> =
                    self.read_period(&mut tx, RETURN_LEGAL_STATUSES, la, from, to).await?;
                let placements: Vec<crate::rows::PlacementUrnRow> =
                    self.read_period(&mut tx, RETURN_PLACEMENTS, la, from, to).await?;
                tx.commit().await.map_err(|e| self.fail(e))?;
                Ok(crate::ReturnRecords {
                    children: children.into_iter().map(|c| c.into_child(Vec::new())).collect::<Result<_, _>>()?,
                    legal_statuses: legal.into_iter().map(TryInto::try_into).collect::<Result<_, _>>()?,
                    placements: placements.into_iter().map(TryInto::try_into).collect::<Result<_, _>>()?,
                })
            }

            async fn intel_records(&self) -> Result<crate::IntelRecords, crate::StoreError> {
                use crate::market_sql as q;
                // Whole tables that must agree with each other: one transaction gives them one snapshot.
                let mut tx = self.pool.begin().await.map_err(|e| self.fail(e))?;
                let children: Vec<crate::rows::ChildRow> =
                    sqlx::query_as(q::INTEL_CHILDREN).fetch_all(&mut *tx).await.map_err(|e| self.fail(e))?;
                let legal: Vec<crate::rows::LegalStatusRow> =
                    sqlx::query_as(q::INTEL_LEGAL_STATUSES).fetch_all(&mut *tx).await.map_err(|e| self.fail(e))?;
                let placements: Vec<crate::rows::PlacementRow> =
                    sqlx::query_as(q::INTEL_PLACEMENTS).fetch_all(&mut *tx).await.map_err(|e| self.fail(e))?;
                let referrals = self.read_referrals(&mut tx, &crate::sql::ALL_REFERRALS, 0, 0).await?;
                let offers: Vec<crate::market_rows::OfferRow> =
                    sqlx::query_as(q::INTEL_OFFERS).fetch_all(&mut *tx).await.map_err(|e| self.fail(e))?;
                let declines: Vec<crate::market_rows::DeclineRow> =
                    sqlx::query_as(q::INTEL_DECLINES).fetch_all(&mut *tx).await.map_err(|e| self.fail(e))?;
                let recipients: Vec<crate::rows::RecipientRow> =
                    sqlx::query_as(q::INTEL_RECIPIENTS).fetch_all(&mut *tx).await.map_err(|e| self.fail(e))?;
                let details: Vec<(i64, sqlx::types::Json<hearth_domain::referral_form::ReferralDetails>)> =
                    sqlx::query_as(q::INTEL_DETAILS).fetch_all(&mut *tx).await.map_err(|e| match e {
                        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
                            crate::error::unreadable("referral_details.details")
                        }
                        other => self.fail(other),
                    })?;
                tx.commit().await.map_err(|e| self.fail(e))?;
                let mut first_sent: std::collections::BTreeMap<hearth_domain::ReferralId, jiff::Timestamp> =
                    std::collections::BTreeMap::new();
                for r in recipients {
                    let r: crate::Recipient = r.try_into()?;
                    let at = first_sent.entry(r.referral).or_insert(r.sent_at);
                    *at = (*at).min(r.sent_at);
                }
                Ok(crate::IntelRecords {
                    children: children.into_iter().map(|c| c.into_child(Vec::new())).collect::<Result<_, _>>()?,
                    legal_statuses: legal.into_iter().map(TryInto::try_into).collect::<Result<_, _>>()?,
                    placements: placements.into_iter().map(TryInto::try_into).collect::<Result<_, _>>()?,
                    referrals,
                    offers: offers.into_iter().map(TryInto::try_into).collect::<Result<_, _>>()?,
                    declines: declines.into_iter().map(TryInto::try_into).collect::<Result<_, _>>()?,
                    first_sent: first_sent.into_iter().collect(),
                    suitability: details
                        .into_iter()
                        .map(|(id, d)| {
                            let d = d.0;
                            (
                                hearth_domain::ReferralId(id),
                                [d.foster_suitability, d.residential_suitability, d.supported_suitability],
                            )
                        })
                        .collect(),
                })
            }

            async fn audit(
                &self,
                query: &crate::AuditQuery,
            ) -> Result<Vec<hearth_domain::audit::AuditEntry>, crate::StoreError> {
                let mut search = sqlx::QueryBuilder::<$db>::new(crate::sql::AUDIT_SEARCH);
                if let Some(org) = query.organisation {
                    search.push(" AND organisation_id = ").push_bind(org.0);
                }
                if let Some(prefix) = &query.action_prefix {
                    // A prefix compared as text, not LIKE: `_` and `%` in a prefix mean themselves.
                    search
                        .push(" AND substr(action, 1, ")
                        .push_bind(crate::rows::int(u32::try_from(prefix.chars().count()).unwrap_or(u32::MAX)))
                        .push(") = ")
                        .push_bind(prefix.clone());
                }
                if let Some(record_type) = &query.record_type {
                    search.push(" AND record_type = ").push_bind(record_type.clone());
                }
                if let Some(record_id) = &query.record_id {
                    search.push(" AND record_id = ").push_bind(record_id.clone());
                }
                // The bare column, so that the index on `at` serves a search by time on both backends.
                if let Some(since) = query.since {
                    search.push(" AND at >= ").push(Self::AUDIT_AT).push_bind(crate::convert::timestamp_to_sql(since));
                    search.push(")");
                }
                if let Some(until) = query.until {
                    search.push(" AND at < ").push(Self::AUDIT_AT).push_bind(crate::convert::timestamp_to_sql(until));
                    search.push(")");
                }
                search.push(" ORDER BY id DESC");
                if query.limit > 0 {
                    search.push(" LIMIT ").push_bind(i64::from(query.limit));
                }
                let rows: Vec<crate::rows::AuditRow> =
                    search.build_query_as().fetch_all(&self.pool).await.map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn referral(
                &self,
                actor: &hearth_domain::audit::Actor,
                id: hearth_domain::ReferralId,
            ) -> Result<hearth_domain::referral::Referral, crate::StoreError> {
                // A write transaction: the read is not returned unless its audit line is committed.
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let referral = self
                    .read_referrals(&mut tx, &crate::sql::REFERRAL, id.0, 1)
                    .await?
                    .pop()
                    .ok_or_else(|| crate::StoreError::NotFound { what: format!("referral {id}") })?;
                let line = crate::sql::AuditLine {
                    action: "referral.read",
                    record_type: "referral",
                    record_id: Some(id.to_string()),
                    detail: None,
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(referral)
            }

            async fn referral_unaudited(
                &self,
                id: hearth_domain::ReferralId,
            ) -> Result<hearth_domain::referral::Referral, crate::StoreError> {
                // Three reads that must agree: one transaction gives them one snapshot.
                let mut tx = self.pool.begin().await.map_err(|e| self.fail(e))?;
                let referral = self.read_referrals(&mut tx, &crate::sql::REFERRAL, id.0, 1).await?.pop();
                tx.commit().await.map_err(|e| self.fail(e))?;
                referral.ok_or_else(|| crate::StoreError::NotFound { what: format!("referral {id}") })
            }

            async fn create_referral(
                &self,
                actor: &hearth_domain::audit::Actor,
                la_code: u16,
                r: &hearth_domain::referral_form::ParsedReferral,
                at: jiff::Timestamp,
            ) -> Result<hearth_domain::referral::Referral, crate::StoreError> {
                use crate::convert::{date_to_sql, timestamp_to_sql};
                use hearth_domain::referral::ReferralStatus;
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let id: i64 = sqlx::query_scalar(crate::sql::INSERT_REFERRAL)
                    .bind(i32::from(la_code))
                    .bind(r.siblings_together)
                    .bind(r.urgency.code())
                    .bind(date_to_sql(r.needed_from))
                    .bind(r.preferred_district.as_ref().map(|d| d.as_str()))
                    .bind(ReferralStatus::Draft.code())
                    .bind(actor.user.map(|u| u.0))
                    .bind(timestamp_to_sql(at))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                Self::write_referral_parts(&mut tx, id, r, at).await.map_err(|e| self.fail(e))?;
                Self::write_referral_event(&mut tx, actor, id, None, Some(ReferralStatus::Draft), at)
                    .await
                    .map_err(|e| self.fail(e))?;
                let detail = format!("council {la_code}, {} children, urgency {}", r.children.len(), r.urgency);
                self.commit_referral(tx, actor, id, "referral.create", detail).await
            }

            async fn update_referral(
                &self,
                actor: &hearth_domain::audit::Actor,
                id: hearth_domain::ReferralId,
                r: &hearth_domain::referral_form::ParsedReferral,
                at: jiff::Timestamp,
            ) -> Result<hearth_domain::referral::Referral, crate::StoreError> {
                use crate::convert::date_to_sql;
                use hearth_domain::referral::ReferralStatus;
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let status: Option<String> = sqlx::query_scalar(crate::sql::UPDATE_REFERRAL)
                    .bind(r.siblings_together)
                    .bind(r.urgency.code())
                    .bind(date_to_sql(r.needed_from))
                    .bind(r.preferred_district.as_ref().map(|d| d.as_str()))
                    .bind(id.0)
                    .bind(ReferralStatus::Draft.code())
                    .bind(ReferralStatus::Open.code())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let Some(status) = status else {
                    return Err(self.referral_not(&mut tx, id, "only drafts and open referrals can be changed").await);
                };
                let status =
                    ReferralStatus::parse(&status).map_err(|_| crate::error::unreadable("referrals.status"))?;
                for delete in [crate::sql::DELETE_REFERRAL_CHILDREN, crate::sql::DELETE_REFERRAL_NEEDS] {
                    sqlx::query(delete).bind(id.0).execute(&mut *tx).await.map_err(|e| self.fail(e))?;
                }
                Self::write_referral_parts(&mut tx, id.0, r, at).await.map_err(|e| self.fail(e))?;
                Self::write_referral_event(&mut tx, actor, id.0, Some(status), None, at)
                    .await
                    .map_err(|e| self.fail(e))?;
                let detail = format!("{} children, {} needs", r.children.len(), r.needs.len());
                self.commit_referral(tx, actor, id.0, "referral.update", detail).await
            }

            async fn referral_details(
                &self,
                id: hearth_domain::ReferralId,
            ) -> Result<hearth_domain::referral_form::ReferralDetails, crate::StoreError> {
                let row: Option<sqlx::types::Json<hearth_domain::referral_form::ReferralDetails>> =
                    sqlx::query_scalar(crate::sql::REFERRAL_DETAILS)
                        .bind(id.0)
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(|e| match e {
                            // The document no longer parses as the form: name the column, never the text.
                            sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
                                crate::error::unreadable("referral_details.details")
                            }
                            other => self.fail(other),
                        })?;
                Ok(row.map(|j| j.0).unwrap_or_default())
            }

            async fn transition_referral(
                &self,
                actor: &hearth_domain::audit::Actor,
                id: hearth_domain::ReferralId,
                from: hearth_domain::referral::ReferralStatus,
                to: hearth_domain::referral::ReferralStatus,
                at: jiff::Timestamp,
            ) -> Result<hearth_domain::referral::Referral, crate::StoreError> {
                use crate::convert::timestamp_to_sql;
                if !from.can_become(to) {
                    return Err(crate::StoreError::Invalid(format!("a referral cannot go from {from} to {to}")));
                }
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let moved: Option<i64> = sqlx::query_scalar(crate::sql::TRANSITION_REFERRAL)
                    .bind(to.code())
                    .bind(to.is_closed().then(|| timestamp_to_sql(at)))
                    .bind(id.0)
                    .bind(from.code())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                if moved.is_none() {
                    // Dropping the transaction writes nothing, not even an audit line.
                    return Err(self.referral_not(&mut tx, id, &format!("it must be {from} to become {to}")).await);
                }
                Self::write_referral_event(&mut tx, actor, id.0, Some(from), Some(to), at)
                    .await
                    .map_err(|e| self.fail(e))?;
                if to.is_closed() {
                    // Nothing stays live on a closed referral: providers' offers lapse and the
                    // escalation job stops watching its deadline.
                    for sql in [crate::market_sql::LAPSE_OFFERS, crate::market_sql::CLOSE_OPEN_SENDING] {
                        sqlx::query(sql)
                            .bind(id.0)
                            .bind(timestamp_to_sql(at))
                            .execute(&mut *tx)
                            .await
                            .map_err(|e| self.fail(e))?;
                    }
                }
                let detail = format!("{from} -> {to}");
                self.commit_referral(tx, actor, id.0, "referral.status", detail).await
            }

            async fn referral_events(
                &self,
                id: hearth_domain::ReferralId,
            ) -> Result<Vec<crate::ReferralEvent>, crate::StoreError> {
                let rows: Vec<crate::rows::ReferralEventRow> = sqlx::query_as(crate::sql::REFERRAL_EVENTS)
                    .bind(id.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn referrals_of(
                &self,
                la_code: u16,
                limit: u32,
            ) -> Result<Vec<hearth_domain::referral::Referral>, crate::StoreError> {
                let mut tx = self.pool.begin().await.map_err(|e| self.fail(e))?;
                let referrals =
                    self.read_referrals(&mut tx, &crate::sql::REFERRALS_OF, i64::from(la_code), limit).await?;
                tx.commit().await.map_err(|e| self.fail(e))?;
                Ok(referrals)
            }

            async fn referrals_sent_to(
                &self,
                provider: hearth_domain::OrganisationId,
                limit: u32,
            ) -> Result<Vec<hearth_domain::referral::Referral>, crate::StoreError> {
                let mut tx = self.pool.begin().await.map_err(|e| self.fail(e))?;
                let referrals = self.read_referrals(&mut tx, &crate::sql::REFERRALS_SENT_TO, provider.0, limit).await?;
                tx.commit().await.map_err(|e| self.fail(e))?;
                Ok(referrals)
            }

            async fn recipient(
                &self,
                referral: hearth_domain::ReferralId,
                provider: hearth_domain::OrganisationId,
            ) -> Result<Option<crate::Recipient>, crate::StoreError> {
                let row: Option<crate::rows::RecipientRow> = sqlx::query_as(crate::sql::RECIPIENT)
                    .bind(referral.0)
                    .bind(provider.0)
                    .bind(hearth_domain::offer::OfferStatus::Accepted.code())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                row.map(TryInto::try_into).transpose()
            }

            async fn account(&self, id: hearth_domain::UserId) -> Result<crate::Account, crate::StoreError> {
                let row: Option<crate::rows::AccountRow> = sqlx::query_as(crate::sql::ACCOUNT)
                    .bind(id.0)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                row.ok_or_else(|| crate::StoreError::NotFound { what: format!("user {id}") })?.try_into()
            }

            async fn account_by_email(
                &self,
                email: &hearth_domain::org::Email,
            ) -> Result<Option<crate::Account>, crate::StoreError> {
                // `Email` is lower-cased when parsed and stored so (a CHECK says): equality is case-blind.
                let row: Option<crate::rows::AccountRow> = sqlx::query_as(crate::sql::ACCOUNT_BY_EMAIL)
                    .bind(email.as_str())
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                row.map(TryInto::try_into).transpose()
            }

            async fn accounts_of(
                &self,
                organisation: hearth_domain::OrganisationId,
            ) -> Result<Vec<crate::Account>, crate::StoreError> {
                let rows: Vec<crate::rows::AccountRow> = sqlx::query_as(crate::sql::ACCOUNTS_OF)
                    .bind(organisation.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn create_user(
                &self,
                actor: &hearth_domain::audit::Actor,
                user: &crate::NewUser,
            ) -> Result<crate::Account, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                // A taken e-mail fails here on the unique index (Conflict); the transaction is dropped.
                let id: i64 = sqlx::query_scalar(crate::sql::INSERT_USER)
                    .bind(user.organisation.0)
                    .bind(user.email.as_str())
                    .bind(user.display_name.as_str())
                    .bind(user.role.code())
                    .bind(user.password_hash.as_deref())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let row: crate::rows::AccountRow =
                    sqlx::query_as(crate::sql::ACCOUNT).bind(id).fetch_one(&mut *tx).await.map_err(|e| self.fail(e))?;
                let account = crate::Account::try_from(row)?;
                let line = crate::sql::AuditLine {
                    action: "user.create",
                    record_type: "user",
                    record_id: Some(id.to_string()),
                    detail: Some(format!("organisation {}, role {}", user.organisation, user.role.code())),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(account)
            }

            async fn update_user(
                &self,
                actor: &hearth_domain::audit::Actor,
                id: hearth_domain::UserId,
                change: &crate::UserChange,
            ) -> Result<crate::Account, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let updated: Option<i64> = sqlx::query_scalar(crate::sql::UPDATE_USER)
                    .bind(change.display_name.as_deref())
                    .bind(change.role.map(|r| r.code()))
                    .bind(change.active)
                    .bind(change.password_hash.as_deref())
                    .bind(id.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                // Unknown user: the transaction is dropped, so no audit line is written.
                let id = updated.ok_or_else(|| crate::StoreError::NotFound { what: format!("user {id}") })?;
                let row: crate::rows::AccountRow =
                    sqlx::query_as(crate::sql::ACCOUNT).bind(id).fetch_one(&mut *tx).await.map_err(|e| self.fail(e))?;
                let account = crate::Account::try_from(row)?;
                let line = crate::sql::AuditLine {
                    action: "user.update",
                    record_type: "user",
                    record_id: Some(id.to_string()),
                    detail: Some(change.audit_detail()),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(account)
            }

            async fn set_missing_password_hashes(
                &self,
                actor: &hearth_domain::audit::Actor,
                hash: &str,
            ) -> Result<u64, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let set = sqlx::query(crate::sql::SET_MISSING_PASSWORD_HASHES)
                    .bind(hash)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?
                    .rows_affected();
                let line = crate::sql::AuditLine {
                    action: "user.password_set",
                    record_type: "user",
                    record_id: None,
                    detail: Some(format!("{set} users without a password were given one")),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(set)
            }

            async fn create_session(
                &self,
                actor: &hearth_domain::audit::Actor,
                session: &crate::NewSession,
            ) -> Result<crate::SessionRecord, crate::StoreError> {
                use crate::convert::timestamp_to_sql;
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let row: crate::rows::SessionRow = sqlx::query_as(crate::sql::INSERT_SESSION)
                    .bind(session.token_hash.as_str())
                    .bind(session.user.0)
                    .bind(session.csrf_token.as_str())
                    .bind(timestamp_to_sql(session.created_at))
                    .bind(timestamp_to_sql(session.expires_at))
                    .bind(session.ip.as_deref())
                    .bind(session.user_agent.as_deref())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let record = crate::SessionRecord::try_from(row)?;
                let line = crate::sql::AuditLine {
                    action: "session.create",
                    record_type: "session",
                    record_id: Some(record.id.to_string()),
                    detail: Some(format!("user {}", session.user)),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(record)
            }

            async fn session_by_hash(
                &self,
                token_hash: &str,
            ) -> Result<Option<crate::SessionRecord>, crate::StoreError> {
                let row: Option<crate::rows::SessionRow> = sqlx::query_as(crate::sql::SESSION_BY_HASH)
                    .bind(token_hash)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                row.map(TryInto::try_into).transpose()
            }

            async fn sessions_of(
                &self,
                user: hearth_domain::UserId,
                now: jiff::Timestamp,
            ) -> Result<Vec<crate::SessionRecord>, crate::StoreError> {
                let rows: Vec<crate::rows::SessionRow> = sqlx::query_as(Self::timed(crate::sql::LIVE_SESSIONS_OF))
                    .bind(user.0)
                    .bind(crate::convert::timestamp_to_sql(now))
                    .fetch_all(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn revoke_session(
                &self,
                actor: &hearth_domain::audit::Actor,
                user: hearth_domain::UserId,
                session: i64,
            ) -> Result<(), crate::StoreError> {
                let line = crate::sql::AuditLine {
                    action: "session.revoke",
                    record_type: "session",
                    record_id: Some(session.to_string()),
                    detail: Some(format!("user {user}")),
                };
                self.revoke(actor, &crate::sql::REVOKE_SESSION, session, user.0, line).await
            }

            async fn revoke_all_sessions(
                &self,
                actor: &hearth_domain::audit::Actor,
                user: hearth_domain::UserId,
                now: jiff::Timestamp,
            ) -> Result<u64, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let known: bool = sqlx::query_scalar(crate::sql::USER_EXISTS)
                    .bind(user.0)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                if !known {
                    return Err(crate::StoreError::NotFound { what: format!("user {user}") });
                }
                let ended = sqlx::query(Self::timed(crate::sql::REVOKE_LIVE_SESSIONS_OF))
                    .bind(crate::convert::timestamp_to_sql(now))
                    .bind(user.0)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?
                    .rows_affected();
                let line = crate::sql::AuditLine {
                    action: "session.revoke_all",
                    record_type: "user",
                    record_id: Some(user.to_string()),
                    detail: Some(format!("{ended} live sessions ended")),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(ended)
            }

            async fn create_api_token(
                &self,
                actor: &hearth_domain::audit::Actor,
                token: &crate::NewApiToken,
            ) -> Result<crate::ApiTokenRecord, crate::StoreError> {
                use crate::convert::timestamp_to_sql;
                let scopes = crate::rows::scopes_to_sql(&token.scopes);
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let row: crate::rows::ApiTokenRow = sqlx::query_as(crate::sql::INSERT_API_TOKEN)
                    .bind(token.token_hash.as_str())
                    .bind(token.organisation.0)
                    .bind(token.issued_by.0)
                    .bind(token.name.as_str())
                    .bind(scopes.as_str())
                    .bind(timestamp_to_sql(token.created_at))
                    .bind(token.expires_at.map(timestamp_to_sql))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let record = crate::ApiTokenRecord::try_from(row)?;
                let line = crate::sql::AuditLine {
                    action: "token.create",
                    record_type: "api_token",
                    record_id: Some(record.id.to_string()),
                    detail: Some(if scopes.is_empty() { "no scopes".to_owned() } else { format!("scopes {scopes}") }),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(record)
            }

            async fn api_token_by_hash(
                &self,
                token_hash: &str,
            ) -> Result<Option<crate::ApiTokenRecord>, crate::StoreError> {
                let row: Option<crate::rows::ApiTokenRow> = sqlx::query_as(crate::sql::API_TOKEN_BY_HASH)
                    .bind(token_hash)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                row.map(TryInto::try_into).transpose()
            }

            async fn api_tokens_of(
                &self,
                organisation: hearth_domain::OrganisationId,
            ) -> Result<Vec<crate::ApiTokenRecord>, crate::StoreError> {
                let rows: Vec<crate::rows::ApiTokenRow> = sqlx::query_as(Self::timed(crate::sql::API_TOKENS_OF))
                    .bind(organisation.0)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                rows.into_iter().map(TryInto::try_into).collect()
            }

            async fn revoke_api_token(
                &self,
                actor: &hearth_domain::audit::Actor,
                organisation: hearth_domain::OrganisationId,
                id: i64,
            ) -> Result<(), crate::StoreError> {
                let line = crate::sql::AuditLine {
                    action: "token.revoke",
                    record_type: "api_token",
                    record_id: Some(id.to_string()),
                    detail: None,
                };
                self.revoke(actor, &crate::sql::REVOKE_API_TOKEN, id, organisation.0, line).await
            }

            async fn record_sign_in(
                &self,
                actor: &hearth_domain::audit::Actor,
                attempt: &crate::SignInAttempt,
            ) -> Result<(), crate::StoreError> {
                let email = crate::accounts::attempt_email(&attempt.email);
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                sqlx::query(crate::sql::INSERT_SIGN_IN)
                    .bind(email.as_str())
                    .bind(attempt.ip.as_str())
                    .bind(crate::convert::timestamp_to_sql(attempt.at))
                    .bind(attempt.succeeded)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                if !attempt.succeeded {
                    // The line names the account by id, never by the e-mail typed (which may be someone's
                    // password typed into the wrong box).
                    let user: Option<i64> = sqlx::query_scalar(crate::sql::USER_ID_BY_EMAIL)
                        .bind(email.as_str())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(|e| self.fail(e))?;
                    let line = crate::sql::AuditLine {
                        action: "session.sign_in_failed",
                        record_type: "user",
                        record_id: user.map(|u| u.to_string()),
                        detail: user.is_none().then(|| "no user has that e-mail".to_owned()),
                    };
                    Self::write_audit(&mut tx, actor, line).await.map_err(|e| self.fail(e))?;
                }
                tx.commit().await.map_err(|e| self.fail(e))
            }

            async fn failed_sign_ins_since(
                &self,
                email: &str,
                ip: &str,
                since: jiff::Timestamp,
            ) -> Result<crate::FailureCounts, crate::StoreError> {
                let row: crate::rows::FailureCountsRow = sqlx::query_as(Self::timed(crate::sql::FAILED_SIGN_INS))
                    .bind(crate::accounts::attempt_email(email))
                    .bind(ip)
                    .bind(crate::convert::timestamp_to_sql(since))
                    .fetch_one(&self.pool)
                    .await
                    .map_err(|e| self.fail(e))?;
                row.try_into()
            }

            async fn record_sign_in_throttle(
                &self,
                actor: &hearth_domain::audit::Actor,
                email: &str,
                action: &str,
                detail: &str,
            ) -> Result<(), crate::StoreError> {
                if !matches!(action, "session.locked" | "session.sign_in_refused") {
                    return Err(crate::StoreError::Invalid(format!("'{action}' is not a sign-in throttle line")));
                }
                let email = crate::accounts::attempt_email(email);
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                // As for a failure: the account by id, never the e-mail typed.
                let user: Option<i64> = sqlx::query_scalar(crate::sql::USER_ID_BY_EMAIL)
                    .bind(email.as_str())
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let line = crate::sql::AuditLine {
                    action,
                    record_type: "user",
                    record_id: user.map(|u| u.to_string()),
                    detail: Some(detail.to_owned()),
                };
                Self::write_audit(&mut tx, actor, line).await.map_err(|e| self.fail(e))?;
                tx.commit().await.map_err(|e| self.fail(e))
            }

            async fn clear_sign_in_failures(
                &self,
                actor: &hearth_domain::audit::Actor,
                user: hearth_domain::UserId,
            ) -> Result<u64, crate::StoreError> {
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let row: Option<crate::rows::AccountRow> = sqlx::query_as(crate::sql::ACCOUNT)
                    .bind(user.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?;
                let account: crate::Account =
                    row.ok_or_else(|| crate::StoreError::NotFound { what: format!("user {user}") })?.try_into()?;
                let cleared = sqlx::query(crate::sql::CLEAR_SIGN_IN_FAILURES)
                    .bind(crate::accounts::attempt_email(account.user.email.as_str()))
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| self.fail(e))?
                    .rows_affected();
                let line = crate::sql::AuditLine {
                    action: "user.unlock",
                    record_type: "user",
                    record_id: Some(user.to_string()),
                    detail: Some(format!("cleared {cleared} failed sign-ins")),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(cleared)
            }
        }
    };
}

pub(crate) use impl_store;
