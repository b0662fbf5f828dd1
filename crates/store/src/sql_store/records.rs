//! Children's records, placements, and the snapshots the SSDA903 return and the intelligence figures
//! are computed from.

use super::{Db, This};
use crate::StoreError;
use hearth_domain::ChildId;
use hearth_domain::ReferralId;
use hearth_domain::audit::Actor;
use jiff::Timestamp;

impl This {
    /// Children with their connected persons, likewise.
    pub(crate) fn children_with_connected(
        children: Vec<crate::rows::ChildRow>,
        connected: Vec<crate::rows::ConnectedPersonRow>,
    ) -> Result<Vec<hearth_domain::child::Child>, StoreError> {
        let mut connected = crate::rows::connected_by_child(connected)?;
        children
            .into_iter()
            .map(|c| {
                let own = connected.remove(&c.id()).unwrap_or_default();
                c.into_child(own)
            })
            .collect()
    }

    /// The rows `sql` selects for council `$1` and the days `$2` to `$3`.
    pub(crate) async fn read_period<R>(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        sql: &'static str,
        la_code: i32,
        from: time::Date,
        to: time::Date,
    ) -> Result<Vec<R>, StoreError>
    where
        R: for<'r> sqlx::FromRow<'r, <Db as sqlx::Database>::Row> + Send + Unpin,
    {
        sqlx::query_as(sql).bind(la_code).bind(from).bind(to).fetch_all(&mut *conn).await.map_err(|e| self.fail(e))
    }

    /// A child with their connected persons: two reads, in the caller's transaction.
    pub(crate) async fn read_child(
        &self,
        conn: &mut <Db as sqlx::Database>::Connection,
        id: ChildId,
    ) -> Result<hearth_domain::child::Child, StoreError> {
        let child: Option<crate::rows::ChildRow> =
            sqlx::query_as(crate::sql::CHILD).bind(id.0).fetch_optional(&mut *conn).await.map_err(|e| self.fail(e))?;
        let child = child.ok_or_else(|| StoreError::NotFound { what: format!("child {id}") })?;
        let connected = sqlx::query_as(crate::sql::CONNECTED_OF_CHILD)
            .bind(id.0)
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| self.fail(e))?;
        Self::children_with_connected(vec![child], connected)?
            .pop()
            .ok_or_else(|| StoreError::NotFound { what: format!("child {id}") })
    }
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn child(
    store: &This,
    actor: &Actor,
    id: ChildId,
    at: Timestamp,
) -> Result<hearth_domain::child::Child, StoreError> {
    // A write transaction: the read is not returned unless its audit line is committed.
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let child = store.read_child(&mut tx, id).await?;
    let line = crate::sql::AuditLine {
        at,
        action: "child.read",
        record_type: "child",
        record_id: Some(id.to_string()),
        detail: None,
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(child)
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn child_unaudited(store: &This, id: ChildId) -> Result<hearth_domain::child::Child, StoreError> {
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let child = store.read_child(&mut tx, id).await?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    Ok(child)
}

#[tracing::instrument(skip_all, fields(la_code))]
pub(crate) async fn children_of(store: &This, la_code: u16) -> Result<Vec<hearth_domain::child::Child>, StoreError> {
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let children = sqlx::query_as(crate::sql::CHILDREN_OF)
        .bind(i32::from(la_code))
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let connected = sqlx::query_as(crate::sql::CONNECTED_OF_COUNCIL)
        .bind(i32::from(la_code))
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    This::children_with_connected(children, connected)
}

#[tracing::instrument(skip_all, fields(id = id.0))]
pub(crate) async fn placements_of_child(
    store: &This,
    id: ChildId,
) -> Result<Vec<hearth_domain::placement::Placement>, StoreError> {
    let rows: Vec<crate::rows::PlacementRow> = sqlx::query_as(crate::sql::PLACEMENTS_OF_CHILD)
        .bind(id.0)
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all, fields(la_code))]
pub(crate) async fn return_records(
    store: &This,
    la_code: u16,
    from: jiff::civil::Date,
    to: jiff::civil::Date,
) -> Result<crate::ReturnRecords, StoreError> {
    use crate::convert::date_to_sql;
    use crate::market_sql::{RETURN_CHILDREN, RETURN_LEGAL_STATUSES, RETURN_PLACEMENTS};
    // Three reads that must agree: one transaction gives them one snapshot.
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let (la, from, to) = (i32::from(la_code), date_to_sql(from), date_to_sql(to));
    let children: Vec<crate::rows::ChildRow> = store.read_period(&mut tx, RETURN_CHILDREN, la, from, to).await?;
    let legal: Vec<crate::rows::LegalStatusRow> =
        store.read_period(&mut tx, RETURN_LEGAL_STATUSES, la, from, to).await?;
    let placements: Vec<crate::rows::PlacementUrnRow> =
        store.read_period(&mut tx, RETURN_PLACEMENTS, la, from, to).await?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    Ok(crate::ReturnRecords {
        children: children.into_iter().map(|c| c.into_child(Vec::new())).collect::<Result<_, _>>()?,
        legal_statuses: legal.into_iter().map(TryInto::try_into).collect::<Result<_, _>>()?,
        placements: placements.into_iter().map(TryInto::try_into).collect::<Result<_, _>>()?,
    })
}

#[tracing::instrument(skip_all)]
pub(crate) async fn intel_records(store: &This) -> Result<crate::IntelRecords, StoreError> {
    use crate::market_sql as q;
    // Whole tables that must agree with each other: one transaction gives them one snapshot.
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let children: Vec<crate::rows::ChildRow> =
        sqlx::query_as(q::INTEL_CHILDREN).fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    let legal: Vec<crate::rows::LegalStatusRow> =
        sqlx::query_as(q::INTEL_LEGAL_STATUSES).fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    let placements: Vec<crate::rows::PlacementRow> =
        sqlx::query_as(q::INTEL_PLACEMENTS).fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    let referrals = store.read_referrals(&mut tx, &crate::sql::ALL_REFERRALS, 0, 0).await?;
    let offers: Vec<crate::market_rows::OfferRow> =
        sqlx::query_as(q::INTEL_OFFERS).fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    let declines: Vec<crate::market_rows::DeclineRow> =
        sqlx::query_as(q::INTEL_DECLINES).fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    let recipients: Vec<crate::rows::RecipientRow> =
        sqlx::query_as(q::INTEL_RECIPIENTS).fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    let details: Vec<(i64, sqlx::types::Json<hearth_domain::referral_form::ReferralDetails>)> =
        sqlx::query_as(q::INTEL_DETAILS).fetch_all(&mut *tx).await.map_err(|e| match e {
            sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
                crate::error::unreadable("referral_details.details")
            }
            other => store.fail(other),
        })?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    let mut first_sent: std::collections::BTreeMap<ReferralId, Timestamp> = std::collections::BTreeMap::new();
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
                (ReferralId(id), [d.foster_suitability, d.residential_suitability, d.supported_suitability])
            })
            .collect(),
    })
}

/// The conditions of a page of children, after `FROM children`: the same for its count and its rows.
fn push_children_filter(b: &mut sqlx::QueryBuilder<Db>, la_code: u16, prefix: Option<&str>) {
    b.push(" WHERE la_code = ").push_bind(i32::from(la_code)).push(" AND ceased_on IS NULL");
    if let Some(prefix) = prefix {
        // A prefix compared as text, not LIKE: nothing in it is a wildcard.
        let prefix = prefix.to_ascii_uppercase();
        b.push(" AND substr(upper(reference), 1, ")
            .push_bind(i32::try_from(prefix.chars().count()).unwrap_or(i32::MAX))
            .push(") = ")
            .push_bind(prefix);
    }
}

#[tracing::instrument(skip_all, fields(la_code, offset, limit))]
pub(crate) async fn children_page(
    store: &This,
    la_code: u16,
    prefix: Option<&str>,
    offset: u32,
    limit: u32,
) -> Result<(Vec<hearth_domain::child::Child>, u64), StoreError> {
    let mut tx = store.pool.begin().await.map_err(|e| store.fail(e))?;
    let mut count = sqlx::QueryBuilder::<Db>::new("SELECT COUNT(*) FROM children");
    push_children_filter(&mut count, la_code, prefix);
    let (total,): (i64,) = count.build_query_as().fetch_one(&mut *tx).await.map_err(|e| store.fail(e))?;
    let mut select = sqlx::QueryBuilder::<Db>::new(concat!("SELECT ", crate::sql::child_columns!(), " FROM children"));
    push_children_filter(&mut select, la_code, prefix);
    select
        .push(" ORDER BY reference, id LIMIT ")
        .push_bind(i64::from(limit))
        .push(" OFFSET ")
        .push_bind(i64::from(offset));
    let children: Vec<crate::rows::ChildRow> =
        select.build_query_as().fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    let mut connected = Vec::new();
    if !children.is_empty() {
        let mut read = sqlx::QueryBuilder::<Db>::new(
            "SELECT child_id, relationship, district, carer_home_id FROM connected_persons WHERE child_id IN (",
        );
        let mut list = read.separated(", ");
        for c in &children {
            list.push_bind(c.id());
        }
        read.push(") ORDER BY child_id, position");
        connected = read.build_query_as().fetch_all(&mut *tx).await.map_err(|e| store.fail(e))?;
    }
    tx.commit().await.map_err(|e| store.fail(e))?;
    Ok((This::children_with_connected(children, connected)?, u64::try_from(total).unwrap_or(0)))
}
