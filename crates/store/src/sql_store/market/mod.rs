//! The marketplace: sending referrals, answers, agreements, placements, the outbox. The helpers here
//! are shared by its parts.
//!
//! Each write is one transaction holding the change, its audit line, and the e-mails and notices it
//! causes. Rows another request may change at the same moment are taken in one order everywhere (the
//! referral, then its offers, then the home, then the vacancy, then placements; see `market_sql` for how a row is
//! taken), so two requests never wait for each other in a circle, and a fact that changed first is
//! answered with a [`StoreError::Conflict`] that says what happened.

mod agreements;
mod answers;
mod lists;
mod outbox;
mod placements;
mod sending;

pub(crate) use agreements::*;
pub(crate) use answers::*;
pub(crate) use lists::*;
pub(crate) use outbox::*;
pub(crate) use placements::*;
pub(crate) use sending::*;

use super::{Db, This};
use crate::StoreError;
use hearth_domain::HomeId;
use hearth_domain::PlacementId;
use hearth_domain::ReferralId;
use hearth_domain::VacancyId;
use hearth_domain::audit::Actor;
use hearth_domain::placement::EndingRefused;
use jiff::Timestamp;

impl This {
    /// Takes the referral's row for the rest of the transaction (see `market_sql`); its status now.
    pub(crate) async fn lock_referral(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        id: ReferralId,
    ) -> Result<hearth_domain::referral::ReferralStatus, StoreError> {
        let status: Option<String> = sqlx::query_scalar(crate::market_sql::LOCK_REFERRAL)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        let status = status.ok_or_else(|| StoreError::NotFound { what: format!("referral {id}") })?;
        hearth_domain::referral::ReferralStatus::parse(&status)
            .map_err(|_| crate::error::unreadable("referrals.status"))
    }

    /// Moves a referral whose row this transaction holds, with its event (as `transition_referral`
    /// does); closing it sets `closed_at`.
    pub(crate) async fn move_referral(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        actor: &Actor,
        id: ReferralId,
        from: hearth_domain::referral::ReferralStatus,
        to: hearth_domain::referral::ReferralStatus,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let moved: Option<i64> = sqlx::query_scalar(crate::sql::TRANSITION_REFERRAL)
            .bind(to.code())
            .bind(to.is_closed().then(|| crate::convert::timestamp_to_sql(at)))
            .bind(id.0)
            .bind(from.code())
            .fetch_optional(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        if moved.is_none() {
            // Unreachable while the row is held; said as a conflict rather than trusted.
            return Err(StoreError::Conflict(format!(
                "referral {id} changed while it was being updated; reload it and try again"
            )));
        }
        Self::write_referral_event(conn, actor, id.0, Some(from), Some(to), at).await.map_err(|e| self.fail(e))
    }

    /// Queues what a change tells people, in the change's transaction, dated `at`: each e-mail is
    /// due at once.
    pub(crate) async fn write_notify(
        conn: &mut <Db as sqlx::Database>::Connection,
        notify: &crate::Notify,
        referral: Option<ReferralId>,
        at: Timestamp,
    ) -> Result<(), sqlx::Error> {
        let at = crate::convert::timestamp_to_sql(at);
        let referral = referral.map(|r| r.0);
        Self::insert_rows(conn, crate::market_sql::INSERT_OUTBOX, &notify.emails, |b, m| {
            b.push_bind(m.to.as_str())
                .push_bind(m.subject.as_str())
                .push_bind(m.body.as_str())
                .push_bind(referral)
                .push_bind(at)
                .push_bind(at);
        })
        .await?;
        Self::insert_rows(conn, crate::market_sql::INSERT_NOTICES, &notify.notices, |b, n| {
            b.push_bind(n.organisation.0)
                .push_bind(n.user.map(|u| u.0))
                .push_bind(referral)
                .push_bind(n.text.as_str())
                .push_bind(at);
        })
        .await
    }

    /// Takes the home's row and checks it has room for `children` more placed there.
    pub(crate) async fn hold_home_for(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        home: HomeId,
        children: u16,
    ) -> Result<(), StoreError> {
        let (name, occupancy) = self.lock_home(conn, home).await?;
        occupancy.check_placing(&name, children).map_err(|e| StoreError::Conflict(e.message))
    }

    /// Takes `places` from a vacancy, never below zero; the places left.
    pub(crate) async fn take_places(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        vacancy: VacancyId,
        places: u16,
    ) -> Result<u16, StoreError> {
        let left: Option<i32> = sqlx::query_scalar(crate::market_sql::TAKE_PLACES)
            .bind(vacancy.0)
            .bind(i32::from(places))
            .fetch_optional(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        if let Some(left) = left {
            return crate::rows::narrow("vacancies.places", left);
        }
        let free: Option<i32> = sqlx::query_scalar(crate::market_sql::VACANCY_PLACES)
            .bind(vacancy.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        Err(match free {
            None => StoreError::NotFound { what: format!("vacancy {vacancy}") },
            Some(0) => StoreError::Conflict(format!(
                "the home has no free place left: vacancy {vacancy} was filled a moment ago"
            )),
            Some(free) => StoreError::Conflict(format!(
                "the home has only {free} free places left in vacancy {vacancy}, and {places} are needed"
            )),
        })
    }

    /// Ends a placement that is still open.
    pub(crate) async fn end_open_placement(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        id: PlacementId,
        ending: &hearth_domain::placement::Ending,
    ) -> Result<hearth_domain::placement::Placement, StoreError> {
        let row: Option<crate::rows::PlacementRow> = sqlx::query_as(crate::market_sql::END_PLACEMENT)
            .bind(id.0)
            .bind(crate::convert::date_to_sql(ending.end))
            .bind(ending.reason_ceased.code())
            .bind(ending.reason_change.map(|r| r.code()))
            .bind(ending.planned)
            .fetch_optional(&mut *conn)
            .await
            .map_err(|e| {
                if crate::market_rules::is_check_violation(&e) {
                    StoreError::Invalid(EndingRefused::BeforeStart { placement: id, end: ending.end }.to_string())
                } else {
                    self.fail(e)
                }
            })?;
        if let Some(row) = row {
            return row.try_into();
        }
        let end: Option<Option<time::Date>> = sqlx::query_scalar(crate::market_sql::PLACEMENT_END)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        Err(match end {
            None => StoreError::NotFound { what: format!("placement {id}") },
            Some(end) => {
                let end = end.map(|d| crate::convert::date_from_sql(d, "placements.end_date")).transpose()?;
                StoreError::Conflict(EndingRefused::AlreadyEnded { placement: id, end }.to_string())
            }
        })
    }

    /// Writes a new placement (its id is the database's).
    pub(crate) async fn insert_placement(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        p: &hearth_domain::placement::Placement,
    ) -> Result<hearth_domain::placement::Placement, StoreError> {
        use crate::convert::date_to_sql;
        let row: crate::rows::PlacementRow = sqlx::query_as(crate::market_sql::INSERT_PLACEMENT)
            .bind(p.child.0)
            .bind(i32::from(p.la_code))
            .bind(p.home.map(|h| h.0))
            .bind(p.referral.map(|r| r.0))
            .bind(p.placement_type.code())
            .bind(p.provider.code())
            .bind(p.tier.map(|t| t.code()))
            .bind(date_to_sql(p.start))
            .bind(p.end.map(date_to_sql))
            .bind(p.reason_ceased.map(|r| r.code()))
            .bind(p.reason_change.map(|r| r.code()))
            .bind(p.planned_ending)
            .bind(p.previous.map(|r| r.0))
            .bind(p.step_down)
            .bind(p.postcode.as_ref().map(|c| c.as_str()))
            .bind(p.pl_utla.as_deref())
            .bind(p.distance.0)
            .bind(p.weekly_cost.map(|w| crate::rows::int(w.pounds())))
            .fetch_one(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        row.try_into()
    }

    /// One version of an agreement with its signatures.
    pub(crate) async fn read_agreement(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        id: i64,
    ) -> Result<hearth_domain::agreement::Agreement, StoreError> {
        let row: Option<crate::market_rows::AgreementRow> = sqlx::query_as(crate::market_sql::AGREEMENT)
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        let row = row.ok_or_else(|| StoreError::NotFound { what: format!("agreement {id}") })?;
        let signatures = sqlx::query_as(crate::market_sql::SIGNATURES_OF_AGREEMENT)
            .bind(id)
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        crate::market_rows::agreements_with_signatures(vec![row], signatures)?
            .pop()
            .ok_or_else(|| StoreError::NotFound { what: format!("agreement {id}") })
    }

    /// Placements by a selection taking a key as `$1` and a limit as `$2` (0: all).
    pub(crate) async fn read_placements(
        &self,
        sql: &'static str,
        key: i64,
        limit: u32,
    ) -> Result<Vec<hearth_domain::placement::Placement>, StoreError> {
        // LIMIT wants a number on both backends: the largest one stands for "no limit".
        let limit = if limit == 0 { i64::MAX } else { i64::from(limit) };
        let rows: Vec<crate::rows::PlacementRow> =
            sqlx::query_as(sql).bind(key).bind(limit).fetch_all(&self.pool).await.map_err(|e| self.fail(e))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }
}
