//! Sending a referral to providers, and the escalation job's deadlines.

use super::This;
use crate::StoreError;
use hearth_domain::ReferralId;
use hearth_domain::audit::Actor;
use jiff::Timestamp;

#[tracing::instrument(skip_all, fields(referral = referral.0))]
pub(crate) async fn open_sending(
    store: &This,
    actor: &Actor,
    referral: ReferralId,
    sending: &crate::NewSending,
    notify: &crate::Notify,
) -> Result<crate::Sending, StoreError> {
    use crate::convert::timestamp_to_sql;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let status = store.lock_referral(&mut tx, referral).await?;
    status.check_live(referral, hearth_domain::referral::ReferralAction::Send)?;
    let opened = timestamp_to_sql(sending.opened_at);
    sqlx::query(crate::market_sql::CLOSE_OPEN_SENDING)
        .bind(referral.0)
        .bind(opened)
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let row: crate::market_rows::SendingRow = sqlx::query_as(crate::market_sql::INSERT_SENDING)
        .bind(referral.0)
        .bind(sending.mode.code())
        .bind(sending.step.map(|s| s.code()))
        .bind(opened)
        .bind(timestamp_to_sql(sending.due_at))
        .bind(actor.user.map(|u| u.0))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    let opened_sending = crate::Sending::try_from(row)?;
    let mut added = 0;
    for provider in &sending.providers {
        added += sqlx::query(crate::market_sql::ADD_RECIPIENT)
            .bind(referral.0)
            .bind(provider.0)
            .bind(opened)
            .bind(opened_sending.id)
            .execute(&mut *tx)
            .await
            .map_err(|e| store.fail(e))?
            .rows_affected();
    }
    This::write_notify(&mut tx, notify, Some(referral), sending.opened_at).await.map_err(|e| store.fail(e))?;
    let providers: Vec<String> = sending.providers.iter().map(ToString::to_string).collect();
    let line = crate::sql::AuditLine {
        at: sending.opened_at,
        action: "referral.send",
        record_type: "referral",
        record_id: Some(referral.to_string()),
        detail: Some(format!(
            "sending {}, mode {}, step {}, providers {} ({added} not sent it before)",
            opened_sending.id,
            sending.mode,
            sending.step.map_or("none", |s| s.code()),
            providers.join(", ")
        )),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(opened_sending)
}

#[tracing::instrument(skip_all, fields(referral = referral.0))]
pub(crate) async fn open_sending_of(store: &This, referral: ReferralId) -> Result<Option<crate::Sending>, StoreError> {
    let row: Option<crate::market_rows::SendingRow> = sqlx::query_as(crate::market_sql::OPEN_SENDING_OF)
        .bind(referral.0)
        .fetch_optional(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    row.map(TryInto::try_into).transpose()
}

#[tracing::instrument(skip_all, fields(referral = referral.0))]
pub(crate) async fn sendings_of(store: &This, referral: ReferralId) -> Result<Vec<crate::Sending>, StoreError> {
    let rows: Vec<crate::market_rows::SendingRow> = sqlx::query_as(crate::market_sql::SENDINGS_OF)
        .bind(referral.0)
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all)]
pub(crate) async fn open_sendings(store: &This) -> Result<Vec<crate::OpenSending>, StoreError> {
    let rows: Vec<crate::market_rows::OpenSendingRow> = sqlx::query_as(crate::market_sql::OPEN_SENDINGS.get())
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}

#[tracing::instrument(skip_all, fields(sending))]
pub(crate) async fn mark_overdue(
    store: &This,
    actor: &Actor,
    sending: i64,
    at: Timestamp,
    notify: &crate::Notify,
) -> Result<bool, StoreError> {
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let marked: Option<(i64, time::OffsetDateTime)> = sqlx::query_as(crate::market_sql::MARK_OVERDUE)
        .bind(sending)
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    // Told already, or closed: dropping the transaction writes nothing.
    let Some((referral, due_at)) = marked else { return Ok(false) };
    let due_at = crate::convert::timestamp_from_sql(due_at, "referral_sendings.due_at")?;
    This::write_notify(&mut tx, notify, Some(ReferralId(referral)), at).await.map_err(|e| store.fail(e))?;
    let line = crate::sql::AuditLine {
        at,
        action: "referral.overdue",
        record_type: "referral",
        record_id: Some(referral.to_string()),
        detail: Some(format!("sending {sending}, due {due_at}")),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(true)
}

#[tracing::instrument(skip_all, fields(referral = referral.0))]
pub(crate) async fn mark_unmet(
    store: &This,
    actor: &Actor,
    referral: ReferralId,
    at: Timestamp,
    notify: &crate::Notify,
) -> Result<bool, StoreError> {
    use hearth_domain::referral::ReferralStatus;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let status = store.lock_referral(&mut tx, referral).await?;
    if !status.is_live() {
        return Ok(false);
    }
    // An offer made since the job looked means the referral has moved on: the officer has
    // something to decide on, which unmet would throw away.
    let live: i64 = sqlx::query_scalar(crate::market_sql::LIVE_OFFER_COUNT.get())
        .bind(referral.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    if live > 0 {
        return Ok(false);
    }
    sqlx::query(crate::market_sql::CLOSE_OPEN_SENDING)
        .bind(referral.0)
        .bind(crate::convert::timestamp_to_sql(at))
        .execute(&mut *tx)
        .await
        .map_err(|e| store.fail(e))?;
    store.move_referral(&mut tx, actor, referral, status, ReferralStatus::Unmet, at).await?;
    This::write_notify(&mut tx, notify, Some(referral), at).await.map_err(|e| store.fail(e))?;
    let line = crate::sql::AuditLine {
        at,
        action: "referral.unmet",
        record_type: "referral",
        record_id: Some(referral.to_string()),
        detail: Some(format!("{status} -> {}", ReferralStatus::Unmet)),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(true)
}

#[tracing::instrument(skip_all, fields(referral = referral.0))]
pub(crate) async fn recipients_of(store: &This, referral: ReferralId) -> Result<Vec<crate::Recipient>, StoreError> {
    let rows: Vec<crate::rows::RecipientRow> = sqlx::query_as(crate::market_sql::RECIPIENTS_OF)
        .bind(referral.0)
        .fetch_all(&store.pool)
        .await
        .map_err(|e| store.fail(e))?;
    rows.into_iter().map(TryInto::try_into).collect()
}
