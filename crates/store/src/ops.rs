//! What operating Hearth needs from its database besides the use cases: checking a SQLite file for
//! damage before serving it, pruning what is kept only for a while, and backing up while serving.
//! Implemented once in `sql_store::ops`; each backend supplies `quick_check` and `backup_into`, the two
//! things that really differ.

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
    async fn prune(&self, actor: &Actor, before: &PruneBefore, at: jiff::Timestamp) -> Result<Pruned, StoreError>;

    /// Writes a consistent copy of the whole database to a new file while it stays in use (SQLite's
    /// `VACUUM INTO`). PostgreSQL is backed up with its own tools: [`StoreError::Unsupported`].
    async fn backup_to(&self, path: &Path) -> Result<(), StoreError>;
}

pub(crate) const PRUNE_SESSIONS: &str = "DELETE FROM sessions WHERE expires_at < $1 \
     OR (revoked_at IS NOT NULL AND revoked_at < $1)";
pub(crate) const PRUNE_SIGN_IN_ATTEMPTS: &str = "DELETE FROM sign_in_attempts WHERE at < $1";
pub(crate) const PRUNE_IDEMPOTENCY_KEYS: &str = "DELETE FROM idempotency_keys \
     WHERE (status IS NOT NULL AND created_at < $1) \
     OR (status IS NULL AND created_at < $2)";
pub(crate) const PRUNE_OUTBOX: &str = "DELETE FROM outbox \
     WHERE (sent_at IS NOT NULL AND sent_at < $1) \
     OR (failed_at IS NOT NULL AND failed_at < $1)";
