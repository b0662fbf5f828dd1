//! Idempotency keys: an API client that retries a POST (after a timeout, a dropped connection) with
//! the same `Idempotency-Key` gets the first answer again instead of a second offer or placement.
//! Keys belong to a credential (a hash of the token or session), so two clients never collide.

use crate::{ServiceError, Services};
use hearth_store::IdempotencyStart;
use sha2::{Digest, Sha256};

/// The outcome of presenting a key.
pub type KeyState = IdempotencyStart;

/// A SHA-256, hex, of the parts in order (each length-prefixed so parts cannot run into each other).
pub fn fingerprint(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_be_bytes());
        h.update(p);
    }
    hex::encode(h.finalize())
}

impl Services {
    /// Presents a key for a request with this fingerprint.
    #[tracing::instrument(skip_all)]
    pub async fn idempotency_start(&self, owner: &str, key: &str, fingerprint: &str) -> Result<KeyState, ServiceError> {
        Ok(self.store.idempotency_start(owner, key, fingerprint, self.now()).await?)
    }

    /// Keeps the answer to replay.
    #[tracing::instrument(skip_all, fields(status))]
    pub async fn idempotency_finish(
        &self,
        owner: &str,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<(), ServiceError> {
        Ok(self.store.idempotency_finish(owner, key, status, body).await?)
    }

    /// Forgets a key whose request failed without an answer worth replaying (a 5xx): the client may
    /// retry with it.
    #[tracing::instrument(skip_all)]
    pub async fn idempotency_abandon(&self, owner: &str, key: &str) -> Result<(), ServiceError> {
        Ok(self.store.idempotency_abandon(owner, key).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::fingerprint;

    #[test]
    fn parts_do_not_run_together() {
        assert_ne!(fingerprint(&[b"ab", b"c"]), fingerprint(&[b"a", b"bc"]));
        assert_eq!(fingerprint(&[b"x"]).len(), 64);
    }
}
