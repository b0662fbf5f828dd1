//! Operating the database: the integrity check, pruning short-lived records, backups.

use super::This;
use crate::StoreError;
use hearth_domain::audit::Actor;
use jiff::Timestamp;

#[tracing::instrument(skip_all)]
pub(crate) async fn check_integrity(store: &This) -> Result<(), StoreError> {
    store.quick_check().await
}

#[tracing::instrument(skip_all)]
pub(crate) async fn prune(
    store: &This,
    actor: &Actor,
    before: &crate::ops::PruneBefore,
    at: Timestamp,
) -> Result<crate::ops::Pruned, StoreError> {
    use crate::convert::timestamp_to_sql;
    let mut tx = store.begin_write().await.map_err(|e| store.fail(e))?;
    let mut delete = async |sql: &'static str, first: Timestamp, second: Option<Timestamp>| {
        let mut q = sqlx::query(sql).bind(timestamp_to_sql(first));
        if let Some(second) = second {
            q = q.bind(timestamp_to_sql(second));
        }
        q.execute(&mut *tx).await.map(|r| r.rows_affected())
    };
    let pruned = crate::ops::Pruned {
        sessions: delete(crate::ops::PRUNE_SESSIONS, before.ended_sessions, None).await.map_err(|e| store.fail(e))?,
        sign_in_attempts: delete(crate::ops::PRUNE_SIGN_IN_ATTEMPTS, before.sign_in_attempts, None)
            .await
            .map_err(|e| store.fail(e))?,
        idempotency_keys: delete(crate::ops::PRUNE_IDEMPOTENCY_KEYS, before.answered_keys, Some(before.abandoned_keys))
            .await
            .map_err(|e| store.fail(e))?,
        emails: delete(crate::ops::PRUNE_OUTBOX, before.finished_emails, None).await.map_err(|e| store.fail(e))?,
    };
    if pruned.total() == 0 {
        // Nothing changed, so nothing to audit: an idle portal's log is not filled with no-ops.
        return Ok(pruned);
    }
    let line = crate::sql::AuditLine {
        at,
        action: "retention.prune",
        record_type: "retention",
        record_id: None,
        detail: Some(format!(
            "{} sessions, {} sign-in attempts, {} idempotency keys, {} e-mails",
            pruned.sessions, pruned.sign_in_attempts, pruned.idempotency_keys, pruned.emails
        )),
    };
    store.commit_audited(tx, actor, line).await?;
    Ok(pruned)
}

#[tracing::instrument(skip_all)]
pub(crate) async fn backup_to(store: &This, path: &std::path::Path) -> Result<(), StoreError> {
    store.backup_into(path).await
}
