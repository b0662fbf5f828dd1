//! Referrals: creating and editing them, their lifecycle moves and history, and reading them.

use super::{Db, This};
use crate::StoreError;
use hearth_domain::OrganisationId;
use hearth_domain::ReferralId;
use hearth_domain::audit::Actor;
use hearth_domain::referral::ReferralStatus;
use jiff::Timestamp;

impl This {
    /// The referrals `reads` selects by `key`, newest first, at most `limit` (0: all).
    pub(crate) async fn read_referrals(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        reads: &crate::sql::ReferralReads,
        key: i64,
        limit: u32,
    ) -> Result<Vec<hearth_domain::referral::Referral>, StoreError> {
        // LIMIT wants a number on both backends: the largest one stands for "no limit".
        let limit = if limit == 0 { i64::MAX } else { i64::from(limit) };
        let referrals = sqlx::query_as(reads.referrals)
            .bind(key)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        let children = sqlx::query_as(reads.children)
            .bind(key)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        let needs =
            sqlx::query_as(reads.needs).bind(key).bind(limit).fetch_all(&mut *conn).await.map_err(|e| self.fail(e))?;
        crate::rows::referrals_with_parts(referrals, children, needs)
    }

    /// A referral's children, needs and details, (re)written in the caller's transaction.
    pub(crate) async fn write_referral_parts(
        conn: &mut <Db as sqlx::Database>::Connection,
        id: i64,
        r: &hearth_domain::referral_form::ParsedReferral,
        at: Timestamp,
    ) -> Result<(), sqlx::Error> {
        use crate::rows::int;
        use crate::sql::load;
        let children: Vec<(i32, i64)> = r.children.iter().enumerate().map(|(i, c)| (int(i as u32), c.0)).collect();
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

    pub(crate) async fn write_referral_event(
        conn: &mut <Db as sqlx::Database>::Connection,
        actor: &Actor,
        id: i64,
        from: Option<hearth_domain::referral::ReferralStatus>,
        to: Option<hearth_domain::referral::ReferralStatus>,
        at: Timestamp,
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
    pub(crate) async fn commit_referral(
        &self,
        mut tx: crate::write_tx::WriteTx<Db>,
        actor: &Actor,
        id: i64,
        action: &str,
        detail: String,
        at: Timestamp,
    ) -> Result<hearth_domain::referral::Referral, StoreError> {
        let referral = self
            .read_referrals(&mut tx, &crate::sql::REFERRAL, id, 1)
            .await?
            .pop()
            .ok_or_else(|| StoreError::NotFound { what: format!("referral {id}") })?;
        // Counts and codes only: the children are named by the referral's own rows, never here.
        let line = crate::sql::AuditLine {
            at,
            action,
            record_type: "referral",
            record_id: Some(id.to_string()),
            detail: Some(detail),
        };
        self.commit_audited(tx, actor, line).await?;
        Ok(referral)
    }

    /// A referral that is not there, or is not in the state asked for: which of the two.
    pub(crate) async fn referral_not(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        id: ReferralId,
        wanted: &str,
    ) -> StoreError {
        let status: Result<Option<String>, _> =
            sqlx::query_scalar(crate::sql::REFERRAL_STATUS).bind(id.0).fetch_optional(&mut *conn).await;
        match status {
            Ok(None) => StoreError::NotFound { what: format!("referral {id}") },
            Ok(Some(s)) => StoreError::Conflict(format!("referral {id} is {s}; {wanted}")),
            Err(e) => self.fail(e),
        }
    }
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn referral(
    store: &This,
    actor: &Actor,
    id: ReferralId,
    at: Timestamp,
) -> Result<hearth_domain::referral::Referral, StoreError> {
    // A write transaction: the read is not returned unless its audit line is committed.
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let referral = store
        .read_referrals(&mut tx, &crate::sql::REFERRAL, id.0, 1)
        .await?
        .pop()
        .ok_or_else(|| StoreError::NotFound { what: format!("referral {id}") })?;
    let line = crate::sql::AuditLine {
        at,
        action: "referral.read",
        record_type: "referral",
        record_id: Some(id.to_string()),
        detail: None,
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(referral)
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn referral_unaudited(
    store: &This,
    id: ReferralId,
) -> Result<hearth_domain::referral::Referral, StoreError> {
    // Three reads that must agree: one transaction gives them one snapshot.
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let referral = store.read_referrals(&mut tx, &crate::sql::REFERRAL, id.0, 1).await?.pop();
    tx.commit().await.map_err(|e| store.fail(e))?;
    referral.ok_or_else(|| StoreError::NotFound { what: format!("referral {id}") })
}

#[tracing::instrument(skip_all, fields(la_code))]
pub(crate) async fn create_referral(
    store: &This,
    actor: &Actor,
    la_code: u16,
    r: &hearth_domain::referral_form::ParsedReferral,
    at: Timestamp,
) -> Result<hearth_domain::referral::Referral, StoreError> {
    use crate::convert::{date_to_sql, timestamp_to_sql};
    use hearth_domain::referral::ReferralStatus;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
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
        .map_err(|e| store.fail(e))?;
    This::write_referral_parts(&mut tx, id, r, at).await.map_err(|e| store.fail(e))?;
    This::write_referral_event(&mut tx, actor, id, None, Some(ReferralStatus::Draft), at)
        .await
        .map_err(|e| store.fail(e))?;
    let detail = format!("council {la_code}, {} children, urgency {}", r.children.len(), r.urgency);
    store.commit_referral(tx, actor, id, "referral.create", detail, at).await
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn update_referral(
    store: &This,
    actor: &Actor,
    id: ReferralId,
    r: &hearth_domain::referral_form::ParsedReferral,
    at: Timestamp,
) -> Result<hearth_domain::referral::Referral, StoreError> {
    use crate::convert::date_to_sql;
    use hearth_domain::referral::ReferralStatus;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
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
        .map_err(|e| store.fail(e))?;
    let Some(status) = status else {
        return Err(store.referral_not(&mut tx, id, "only drafts and open referrals can be changed").await);
    };
    let status = ReferralStatus::parse(&status).map_err(|_| crate::error::unreadable("referrals.status"))?;
    for delete in [crate::sql::DELETE_REFERRAL_CHILDREN, crate::sql::DELETE_REFERRAL_NEEDS] {
        sqlx::query(delete).bind(id.0).execute(&mut *tx).await.map_err(|e| store.fail(e))?;
    }
    This::write_referral_parts(&mut tx, id.0, r, at).await.map_err(|e| store.fail(e))?;
    This::write_referral_event(&mut tx, actor, id.0, Some(status), None, at).await.map_err(|e| store.fail(e))?;
    let detail = format!("{} children, {} needs", r.children.len(), r.needs.len());
    store.commit_referral(tx, actor, id.0, "referral.update", detail, at).await
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn referral_details(
    store: &This,
    id: ReferralId,
) -> Result<hearth_domain::referral_form::ReferralDetails, StoreError> {
    let row: Option<sqlx::types::Json<hearth_domain::referral_form::ReferralDetails>> =
        sqlx::query_scalar(crate::sql::REFERRAL_DETAILS).bind(id.0).fetch_optional(&store.pool).await.map_err(|e| {
            match e {
                // The document no longer parses as the form: name the column, never the text.
                sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
                    crate::error::unreadable("referral_details.details")
                }
                other => store.fail(other),
            }
        })?;
    Ok(row.map(|j| j.0).unwrap_or_default())
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn transition_referral(
    store: &This,
    actor: &Actor,
    id: ReferralId,
    from: hearth_domain::referral::ReferralStatus,
    to: hearth_domain::referral::ReferralStatus,
    at: Timestamp,
) -> Result<hearth_domain::referral::Referral, StoreError> {
    use crate::convert::timestamp_to_sql;
    // The domain's table, in its words ("a referral that is draft cannot become placed").
    hearth_domain::Lifecycle::check_move(from, to).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let moved: Option<i64> = sqlx::query_scalar(crate::sql::TRANSITION_REFERRAL)
        .bind(to.code())
        .bind(to.is_closed().then(|| timestamp_to_sql(at)))
        .bind(id.0)
        .bind(from.code())
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    if moved.is_none() {
        // Dropping the transaction writes nothing, not even an audit line.
        return Err(store.referral_not(&mut tx, id, &format!("it must be {from} to become {to}")).await);
    }
    This::write_referral_event(&mut tx, actor, id.0, Some(from), Some(to), at).await.map_err(|e| store.fail(e))?;
    if to.is_closed() {
        // Nothing stays live on a closed referral: providers' offers lapse and the
        // escalation job stops watching its deadline.
        for sql in [crate::market_sql::LAPSE_OFFERS.get(), crate::market_sql::CLOSE_OPEN_SENDING] {
            sqlx::query(sql)
                .bind(id.0)
                .bind(timestamp_to_sql(at))
                .execute(&mut *tx)
                .await
                .map_err(|e| store.fail(e))?;
        }
    }
    let detail = format!("{from} -> {to}");
    store.commit_referral(tx, actor, id.0, "referral.status", detail, at).await
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn referral_events(store: &This, id: ReferralId) -> Result<Vec<crate::ReferralEvent>, StoreError> {
    let rows: Vec<crate::rows::ReferralEventRow> = sqlx::query_as(crate::sql::REFERRAL_EVENTS)
        .bind(id.0)
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all, fields(la_code))]
pub(crate) async fn referrals_of(
    store: &This,
    la_code: u16,
    limit: u32,
) -> Result<Vec<hearth_domain::referral::Referral>, StoreError> {
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let referrals = store.read_referrals(&mut tx, &crate::sql::REFERRALS_OF, i64::from(la_code), limit).await?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    Ok(referrals)
}

#[tracing::instrument(skip_all, fields(child = child.0))]
pub(crate) async fn referrals_of_child(
    store: &This,
    child: hearth_domain::ChildId,
) -> Result<Vec<(ReferralId, ReferralStatus)>, StoreError> {
    let rows: Vec<(i64, String)> = sqlx::query_as(crate::sql::REFERRALS_OF_CHILD)
        .bind(child.0)
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter()
        .map(|(id, status)| {
            let status = ReferralStatus::parse(&status).map_err(|_| crate::error::unreadable("referrals.status"))?;
            Ok((ReferralId(id), status))
        })
        .collect()
}

#[tracing::instrument(skip_all, fields(provider = provider.0))]
pub(crate) async fn referrals_sent_to(
    store: &This,
    provider: OrganisationId,
    limit: u32,
) -> Result<Vec<hearth_domain::referral::Referral>, StoreError> {
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let referrals = store.read_referrals(&mut tx, &crate::sql::REFERRALS_SENT_TO, provider.0, limit).await?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    Ok(referrals)
}

#[tracing::instrument(skip_all, fields(referral = referral.0, provider = provider.0))]
pub(crate) async fn recipient(
    store: &This,
    referral: ReferralId,
    provider: OrganisationId,
) -> Result<Option<crate::Recipient>, StoreError> {
    let row: Option<crate::rows::RecipientRow> = sqlx::query_as(crate::sql::RECIPIENT)
        .bind(referral.0)
        .bind(provider.0)
        .bind(hearth_domain::offer::OfferStatus::Accepted.code())
        .fetch_optional(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    row.map(TryInto::try_into).transpose()
}
