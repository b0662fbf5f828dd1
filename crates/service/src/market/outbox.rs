//! Delivering the outbox: e-mails written in the same transaction as the change they tell of are
//! sent here, after the fact, and retried with growing waits when the relay is down. A restart loses
//! nothing: what was not sent is still in the table.

use crate::{ServiceError, Services};
use hearth_mail::{Email, Mailer};
use jiff::SignedDuration;
use serde::Serialize;

/// How long a claimed e-mail is left to its worker before another may try it.
const LEASE: SignedDuration = SignedDuration::from_mins(5);
/// E-mails claimed at a time.
const BATCH: u32 = 50;
/// After this many failed attempts (about a day of growing waits) delivery is given up and logged.
const MAX_ATTEMPTS: u32 = 12;

/// What one delivery run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DeliveryReport {
    pub sent: usize,
    /// Failed this time, to be tried again later.
    pub retrying: usize,
    /// Given up: a permanent refusal, or too many attempts.
    pub failed: usize,
}

/// The wait before attempt `n + 1`: 1, 2, 4 … minutes, at most 4 hours.
fn backoff(attempts: u32) -> SignedDuration {
    let mins = 1_i64 << attempts.saturating_sub(1).min(8);
    SignedDuration::from_mins(mins.min(240))
}

impl Services {
    /// Sends every e-mail that is due, in batches, until none is left for now.
    #[tracing::instrument(skip_all)]
    pub async fn deliver_outbox(&self, mailer: &dyn Mailer) -> Result<DeliveryReport, ServiceError> {
        let mut report = DeliveryReport::default();
        loop {
            let now = self.now();
            let lease = now.checked_add(LEASE).unwrap_or(now);
            let batch = self.store.claim_outbox(now, lease, BATCH).await?;
            let full = batch.len() == BATCH as usize;
            for item in batch {
                let email = Email { to: item.to.clone(), subject: item.subject.clone(), body: item.body.clone() };
                match mailer.send(&email).await {
                    Ok(()) => {
                        self.store.outbox_sent(item.id, self.now()).await?;
                        report.sent += 1;
                    }
                    Err(e) => {
                        let give_up = e.is_permanent() || item.attempts >= MAX_ATTEMPTS;
                        let at = self.now();
                        let retry = (!give_up).then(|| at.checked_add(backoff(item.attempts)).unwrap_or(at));
                        self.store.outbox_failed(item.id, &e.to_string(), at, retry).await?;
                        if give_up {
                            tracing::error!(outbox = item.id, to = %item.to, error = %e, "e-mail given up");
                            report.failed += 1;
                        } else {
                            tracing::warn!(outbox = item.id, error = %e, "e-mail will be retried");
                            report.retrying += 1;
                        }
                    }
                }
            }
            if !full {
                return Ok(report);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_and_stop_growing() {
        assert_eq!(backoff(1), SignedDuration::from_mins(1));
        assert_eq!(backoff(3), SignedDuration::from_mins(4));
        assert_eq!(backoff(40), SignedDuration::from_mins(240));
    }
}
