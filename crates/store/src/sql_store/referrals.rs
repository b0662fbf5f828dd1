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

/// The conditions a referral list's query sets, after `FROM referrals r …`: the same for its count
/// and its page, so the count is always the count of what paging walks through.
fn push_referral_filter(b: &mut sqlx::QueryBuilder<Db>, q: &crate::ReferralQuery) {
    use hearth_domain::referral::ReferralStatus;
    match q.scope {
        crate::ReferralScope::Council(la) => {
            b.push(" WHERE r.la_code = ").push_bind(i32::from(la));
        }
        crate::ReferralScope::SentTo(provider) => {
            b.push(
                " WHERE EXISTS (SELECT 1 FROM referral_recipients s WHERE s.referral_id = r.id AND s.provider_id = ",
            )
            .push_bind(provider.0)
            .push(")");
        }
    }
    if let Some(status) = q.status {
        b.push(" AND r.status = ").push_bind(status.code());
    }
    if let Some(urgency) = q.urgency {
        b.push(" AND r.urgency = ").push_bind(urgency.code());
    }
    if let Some(from) = q.needed_from {
        b.push(" AND r.needed_from >= ").push_bind(crate::convert::date_to_sql(from));
    }
    if let Some(to) = q.needed_to {
        b.push(" AND r.needed_from <= ").push_bind(crate::convert::date_to_sql(to));
    }
    let council = matches!(q.scope, crate::ReferralScope::Council(_));
    if let (Some(child), true) = (q.child, council) {
        b.push(" AND EXISTS (SELECT 1 FROM referral_children rc WHERE rc.referral_id = r.id AND rc.child_id = ")
            .push_bind(child.0)
            .push(")");
    }
    if let Some(reference) = &q.reference {
        let reference = reference.trim().trim_start_matches('#');
        b.push(" AND (");
        match reference.parse::<i64>() {
            Ok(id) => b.push("r.id = ").push_bind(id),
            Err(_) => b.push("1 = 0"),
        };
        // A child's reference is 1 to 10 letters or digits (SSDA903's CHILD); anything else cannot
        // be one, and a provider never searches by a child's reference.
        let child_reference =
            (1..=10).contains(&reference.len()) && reference.bytes().all(|c| c.is_ascii_alphanumeric());
        if council && child_reference {
            b.push(
                " OR EXISTS (SELECT 1 FROM referral_children rc JOIN children c ON c.id = rc.child_id \
                 WHERE rc.referral_id = r.id AND upper(c.reference) = ",
            )
            .push_bind(reference.to_ascii_uppercase())
            .push(")");
        }
        b.push(")");
    }
    if let Some(provider) = q.awaiting_answer_from {
        b.push(" AND r.status IN (");
        let mut live = b.separated(", ");
        for status in ReferralStatus::LIVE {
            live.push_bind(status.code());
        }
        b.push(") AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.referral_id = r.id AND o.provider_id = ")
            .push_bind(provider.0)
            .push(") AND NOT EXISTS (SELECT 1 FROM declines x WHERE x.referral_id = r.id AND x.provider_id = ")
            .push_bind(provider.0)
            .push(")");
    }
}

#[tracing::instrument(skip_all, fields(offset = query.offset, limit = query.limit))]
pub(crate) async fn referral_page(
    store: &This,
    query: &crate::ReferralQuery,
) -> Result<crate::ReferralPage, StoreError> {
    use hearth_domain::referral::ReferralStatus;
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let mut count = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM referrals r");
    push_referral_filter(&mut count, query);
    let (total,): (i64,) = count.build_query_as().fetch_one(&mut *tx).await.map_err(|e| store.fail(e))?;
    let mut page = crate::ReferralPage { total: u64::try_from(total).unwrap_or(0), ..Default::default() };
    if query.limit == 0 || total == 0 {
        tx.commit().await.map_err(|e| store.fail(e))?;
        return Ok(page);
    }
    // At most one sending per referral is open (a unique index), so the join adds no rows.
    let mut select = sqlx::QueryBuilder::<Db>::new(
        "SELECT r.id, d.due_at FROM referrals r \
         LEFT JOIN referral_sendings d ON d.referral_id = r.id AND d.closed_at IS NULL",
    );
    push_referral_filter(&mut select, query);
    select.push(" ORDER BY ");
    if query.action_first {
        select.push("CASE WHEN r.status IN (");
        let mut live = select.separated(", ");
        for status in ReferralStatus::LIVE {
            live.push_bind(status.code());
        }
        select
            .push(") THEN 0 WHEN r.status = ")
            .push_bind(ReferralStatus::Draft.code())
            // NULLs sort first on SQLite and last on PostgreSQL: say which explicitly.
            .push(" THEN 1 ELSE 2 END, CASE WHEN d.due_at IS NULL THEN 1 ELSE 0 END, d.due_at, ");
    }
    select
        .push("r.created_at DESC, r.id DESC LIMIT ")
        .push_bind(i64::from(query.limit))
        .push(" OFFSET ")
        .push_bind(i64::from(query.offset));
    let rows: Vec<(i64, Option<time::OffsetDateTime>)> =
        select.build_query_as().fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    for (id, due) in &rows {
        if let Some(due) = due {
            page.deadlines
                .insert(ReferralId(*id), crate::convert::timestamp_from_sql(*due, "referral_sendings.due_at")?);
        }
    }
    if ids.is_empty() {
        tx.commit().await.map_err(|e| store.fail(e))?;
        return Ok(page);
    }
    let mut referrals = store.read_referrals_by_ids(&mut tx, &ids).await?;
    if matches!(query.scope, crate::ReferralScope::Council(_)) {
        let mut refs = sqlx::QueryBuilder::<Db>::new(
            "SELECT rc.referral_id, c.reference FROM referral_children rc JOIN children c ON c.id = rc.child_id \
             WHERE rc.referral_id IN (",
        );
        let mut list = refs.separated(", ");
        for id in &ids {
            list.push_bind(*id);
        }
        refs.push(") ORDER BY rc.referral_id, rc.position");
        let rows: Vec<(i64, String)> = refs.build_query_as().fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
        for (id, reference) in rows {
            page.child_references.entry(ReferralId(id)).or_default().push(reference);
        }
    }
    tx.commit().await.map_err(|e| store.fail(e))?;
    // Back into the page's order.
    let position: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    referrals.sort_by_key(|r| position.get(&r.id.0).copied().unwrap_or(usize::MAX));
    page.referrals = referrals;
    Ok(page)
}

impl This {
    /// The referrals with these ids (a page's worth), in any order.
    pub(crate) async fn read_referrals_by_ids(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        ids: &[i64],
    ) -> Result<Vec<hearth_domain::referral::Referral>, StoreError> {
        // One query per part, each for every id of the page at once.
        macro_rules! with_ids {
            ($head:expr, $tail:expr) => {{
                let mut b = sqlx::QueryBuilder::<Db>::new($head);
                let mut list = b.separated(", ");
                for id in ids {
                    list.push_bind(*id);
                }
                b.push($tail);
                b.build_query_as().fetch_all(&mut *conn).await.map_err(|e| self.fail(e))?
            }};
        }
        let referrals = with_ids!(
            "SELECT id, la_code, siblings_together, urgency, needed_from, preferred_district, status, created_by, \
             created_at, closed_at FROM referrals WHERE id IN (",
            ")"
        );
        let children = with_ids!(
            "SELECT referral_id, child_id FROM referral_children WHERE referral_id IN (",
            ") ORDER BY referral_id, position"
        );
        let needs = with_ids!(
            "SELECT referral_id, need FROM referral_needs WHERE referral_id IN (",
            ") ORDER BY referral_id, position"
        );
        crate::rows::referrals_with_parts(referrals, children, needs)
    }
}
