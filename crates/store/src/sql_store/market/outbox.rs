//! The e-mail outbox, in-app notices, and idempotency keys.

use super::{Db, This};
use crate::StoreError;
use hearth_domain::OrganisationId;
use hearth_domain::ReferralId;
use hearth_domain::UserId;
use jiff::Timestamp;

impl This {
    /// Commits an outbox update that changed `marked` rows. Nothing changed: an e-mail already
    /// sent (a late report, left as it is) or one that does not exist.
    pub(crate) async fn outbox_settled(
        &self,
        mut tx: crate::write_tx::WriteTx<Db>,
        id: i64,
        marked: u64,
    ) -> Result<(), StoreError> {
        if marked == 0 {
            let exists: bool = sqlx::query_scalar(crate::market_sql::OUTBOX_EXISTS)
                .bind(id)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| self.fail(e))?;
            if !exists {
                return Err(StoreError::NotFound { what: format!("e-mail {id} in the outbox") });
            }
        }
        tx.commit().await.map_err(|e| self.fail(e))
    }
}

#[tracing::instrument(skip_all)]
pub(crate) async fn claim_outbox(
    store: &This,
    now: Timestamp,
    lease_until: Timestamp,
    limit: u32,
) -> Result<Vec<crate::OutboxEmail>, StoreError> {
    use crate::convert::timestamp_to_sql;
    // A lease that ends by `now` would leave a claimed e-mail due, for another worker to claim
    // as well.
    if lease_until <= now {
        return Err(StoreError::Invalid(format!(
            "an outbox lease must end after it starts ({lease_until} is not after {now})"
        )));
    }
    if limit == 0 {
        return Ok(Vec::new());
    }
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let rows: Vec<crate::market_rows::OutboxRow> = sqlx::query_as(crate::market_sql::CLAIM_OUTBOX)
        .bind(timestamp_to_sql(now))
        .bind(timestamp_to_sql(lease_until))
        .bind(i64::from(limit))
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    tx.commit().await.map_err(|e| store.fail(e))?;
    let mut claimed = rows.into_iter().map(TryInto::try_into).collect::<Result<Vec<crate::OutboxEmail>, _>>()?;
    // RETURNING promises no order.
    claimed.sort_by_key(|e| e.id);
    Ok(claimed)
}

#[tracing::instrument(skip_all, fields(id))]
pub(crate) async fn outbox_sent(store: &This, id: i64, at: Timestamp) -> Result<(), StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let marked = sqlx::query(crate::market_sql::OUTBOX_SENT)
        .bind(id)
        .bind(crate::convert::timestamp_to_sql(at))
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?
        .rows_affected();
    store.outbox_settled(tx, id, marked).await
}

#[tracing::instrument(skip_all, fields(id))]
pub(crate) async fn outbox_failed(
    store: &This,
    id: i64,
    error: &str,
    at: Timestamp,
    retry_at: Option<Timestamp>,
) -> Result<(), StoreError> {
    let (sql, when) = match retry_at {
        Some(retry_at) => (crate::market_sql::OUTBOX_RETRY, retry_at),
        None => (crate::market_sql::OUTBOX_GIVE_UP, at),
    };
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let marked = sqlx::query(sql)
        .bind(id)
        .bind(error)
        .bind(crate::convert::timestamp_to_sql(when))
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?
        .rows_affected();
    store.outbox_settled(tx, id, marked).await
}

#[tracing::instrument(skip_all, fields(referral = referral.map(|r| r.0)))]
pub(crate) async fn outbox(store: &This, referral: Option<ReferralId>) -> Result<Vec<crate::OutboxEmail>, StoreError> {
    let query = match referral {
        Some(r) => sqlx::query_as(crate::market_sql::OUTBOX_OF).bind(r.0),
        None => sqlx::query_as(crate::market_sql::OUTBOX_ALL),
    };
    let rows: Vec<crate::market_rows::OutboxRow> = query.fetch_all(&store.pool).await.map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all, fields(organisation = organisation.0, user = user.0))]
pub(crate) async fn notices_for(
    store: &This,
    organisation: OrganisationId,
    user: UserId,
    limit: u32,
) -> Result<Vec<crate::Notice>, StoreError> {
    let limit = if limit == 0 { i64::MAX } else { i64::from(limit) };
    let rows: Vec<crate::market_rows::NoticeRow> = sqlx::query_as(crate::market_sql::NOTICES_FOR)
        .bind(organisation.0)
        .bind(user.0)
        .bind(limit)
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all, fields(user = user.0, notices = notices.len()))]
pub(crate) async fn mark_notices_read(
    store: &This,
    user: UserId,
    notices: &[i64],
    at: Timestamp,
) -> Result<(), StoreError> {
    if notices.is_empty() {
        return Ok(());
    }
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    for id in notices {
        sqlx::query(crate::market_sql::MARK_NOTICE_READ)
            .bind(user.0)
            .bind(id)
            .bind(crate::convert::timestamp_to_sql(at))
            .execute(&mut *tx)
            .await
            .map_err(|e| store.fail(e))?;
    }
    tx.commit().await.map_err(|e| store.fail(e))
}

#[tracing::instrument(skip_all)]
pub(crate) async fn idempotency_start(
    store: &This,
    owner: &str,
    key: &str,
    fingerprint: &str,
    now: Timestamp,
) -> Result<crate::IdempotencyStart, StoreError> {
    // A key abandoned between the insert and the read is gone: the next round starts it afresh.
    for _ in 0..3 {
        let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
        let inserted = sqlx::query(crate::market_sql::START_IDEMPOTENCY)
            .bind(owner)
            .bind(key)
            .bind(fingerprint)
            .bind(crate::convert::timestamp_to_sql(now))
            .execute(&mut *tx)
            .await
            .map_err(|e| store.fail(e))?
            .rows_affected();
        let found: Option<crate::market_rows::IdempotencyRow> = if inserted == 0 {
            sqlx::query_as(crate::market_sql::IDEMPOTENCY_KEY)
                .bind(owner)
                .bind(key)
                .fetch_optional(&mut *tx)
                .await
                .map_err(|e| store.fail(e))?
        } else {
            None
        };
        tx.commit().await.map_err(|e| store.fail(e))?;
        if inserted > 0 {
            return Ok(crate::IdempotencyStart::Started);
        }
        if let Some(found) = found {
            return found.start(fingerprint);
        }
    }
    Err(StoreError::Conflict("that idempotency key is being started and abandoned by other requests; try again".into()))
}

#[tracing::instrument(skip_all)]
pub(crate) async fn idempotency_finish(
    store: &This,
    owner: &str,
    key: &str,
    status: u16,
    body: &str,
) -> Result<(), StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let finished = sqlx::query(crate::market_sql::FINISH_IDEMPOTENCY)
        .bind(owner)
        .bind(key)
        .bind(i32::from(status))
        .bind(body)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?
        .rows_affected();
    if finished == 0 {
        return Err(StoreError::NotFound { what: "that idempotency key".into() });
    }
    tx.commit().await.map_err(|e| store.fail(e))
}

#[tracing::instrument(skip_all)]
pub(crate) async fn idempotency_abandon(store: &This, owner: &str, key: &str) -> Result<(), StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    sqlx::query(crate::market_sql::ABANDON_IDEMPOTENCY)
        .bind(owner)
        .bind(key)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    tx.commit().await.map_err(|e| store.fail(e))
}
