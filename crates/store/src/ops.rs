//! What operating Hearth needs from its database besides the use cases: checking a SQLite file for
//! damage before serving it, pruning what is kept only for a while, and backing up while serving.
//! Stamped out per backend by `impl_ops_store!` beside `impl_store!` (whose helpers it uses); each
//! backend supplies `quick_check` and `backup_into`, the two things that really differ.

use crate::StoreError;
use async_trait::async_trait;
use hearth_domain::audit::Actor;
use jiff::Timestamp;
use std::path::Path;

/// The moments before which each kind of short-lived record goes. The periods themselves are the
/// service's policy; the store only deletes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PruneBefore {
    /// Sessions that ended (signed out, revoked or expired) before this.
    pub ended_sessions: Timestamp,
    /// Sign-in attempts, successful or not, made before this.
    pub sign_in_attempts: Timestamp,
    /// Idempotency keys whose answer was kept, first used before this.
    pub answered_keys: Timestamp,
    /// Idempotency keys still "in progress" (their request never finished: a crash), first used
    /// before this.
    pub abandoned_keys: Timestamp,
    /// E-mails delivered, or given up on, before this.
    pub finished_emails: Timestamp,
}

/// How many records one prune removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    pub sessions: u64,
    pub sign_in_attempts: u64,
    pub idempotency_keys: u64,
    pub emails: u64,
}

impl Pruned {
    pub const fn total(&self) -> u64 {
        self.sessions + self.sign_in_attempts + self.idempotency_keys + self.emails
    }
}

#[async_trait]
pub trait OpsStore {
    /// Refuses a SQLite file whose pages are damaged ([`StoreError::Damaged`]), reading the whole
    /// file once (SQLite's `quick_check`: 0.1 s for the demo region). PostgreSQL checks its own pages
    /// as it reads them, so there it does nothing.
    async fn check_integrity(&self) -> Result<(), StoreError>;

    /// Deletes the records older than `before` in one transaction, with one `retention.prune` audit
    /// line naming the counts. The audit log itself is never pruned.
    async fn prune(&self, actor: &Actor, before: &PruneBefore) -> Result<Pruned, StoreError>;

    /// Writes a consistent copy of the whole database to a new file while it stays in use (SQLite's
    /// `VACUUM INTO`). PostgreSQL is backed up with its own tools: [`StoreError::Unsupported`].
    async fn backup_to(&self, path: &Path) -> Result<(), StoreError>;
}

pub(crate) const PRUNE_SESSIONS: &str = "DELETE FROM sessions WHERE instant(expires_at) < instant($1) \
     OR (revoked_at IS NOT NULL AND instant(revoked_at) < instant($1))";
pub(crate) const PRUNE_SIGN_IN_ATTEMPTS: &str = "DELETE FROM sign_in_attempts WHERE instant(at) < instant($1)";
pub(crate) const PRUNE_IDEMPOTENCY_KEYS: &str = "DELETE FROM idempotency_keys \
     WHERE (status IS NOT NULL AND instant(created_at) < instant($1)) \
     OR (status IS NULL AND instant(created_at) < instant($2))";
pub(crate) const PRUNE_OUTBOX: &str = "DELETE FROM outbox \
     WHERE (sent_at IS NOT NULL AND instant(sent_at) < instant($1)) \
     OR (failed_at IS NOT NULL AND instant(failed_at) < instant($1))";

macro_rules! impl_ops_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl crate::ops::OpsStore for $store {
            async fn check_integrity(&self) -> Result<(), crate::StoreError> {
                self.quick_check().await
            }

            async fn prune(
                &self,
                actor: &hearth_domain::audit::Actor,
                before: &crate::ops::PruneBefore,
            ) -> Result<crate::ops::Pruned, crate::StoreError> {
                use crate::convert::timestamp_to_sql as at;
                let mut tx = self.begin_write().await.map_err(|e| self.fail(e))?;
                let mut delete = async |sql: &'static str, first: jiff::Timestamp, second: Option<jiff::Timestamp>| {
                    let mut q = sqlx::query(Self::timed(sql)).bind(at(first));
                    if let Some(second) = second {
                        q = q.bind(at(second));
                    }
                    q.execute(&mut *tx).await.map(|r| r.rows_affected())
                };
                let pruned = crate::ops::Pruned {
                    sessions: delete(crate::ops::PRUNE_SESSIONS, before.ended_sessions, None)
                        .await
                        .map_err(|e| self.fail(e))?,
                    sign_in_attempts: delete(crate::ops::PRUNE_SIGN_IN_ATTEMPTS, before.sign_in_attempts, None)
                        .await
                        .map_err(|e| self.fail(e))?,
                    idempotency_keys: delete(
                        crate::ops::PRUNE_IDEMPOTENCY_KEYS,
                        before.answered_keys,
                        Some(before.abandoned_keys),
                    )
                    .await
                    .map_err(|e| self.fail(e))?,
                    emails: delete(crate::ops::PRUNE_OUTBOX, before.finished_emails, None)
                        .await
                        .map_err(|e| self.fail(e))?,
                };
                if pruned.total() == 0 {
                    // Nothing changed, so nothing to audit: an idle portal's log is not filled with no-ops.
                    return Ok(pruned);
                }
                let line = crate::sql::AuditLine {
                    action: "retention.prune",
                    record_type: "retention",
                    record_id: None,
                    detail: Some(format!(
                        "{} sessions, {} sign-in attempts, {} idempotency keys, {} e-mails",
                        pruned.sessions, pruned.sign_in_attempts, pruned.idempotency_keys, pruned.emails
                    )),
                };
                self.commit_audited(tx, actor, line).await?;
                Ok(pruned)
            }

            async fn backup_to(&self, path: &std::path::Path) -> Result<(), crate::StoreError> {
                self.backup_into(path).await
            }
        }
    };
}
pub(crate) use impl_ops_store;
