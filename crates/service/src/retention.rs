//! How long Hearth keeps the records that exist only to run the service — sessions, sign-in attempts,
//! idempotency keys, delivered e-mails — and the pruning that enforces it, on the service's clock.
//! Children's records, referrals, placements and the audit log are not short-lived and are never
//! pruned here.

use crate::{ServiceError, Services};
use hearth_domain::audit::Actor;
use hearth_store::{PruneBefore, Pruned};
use jiff::{SignedDuration, Timestamp};

/// The retention periods. The defaults are what a data protection officer can justify: long enough
/// to investigate a complaint or an incident from the records (a month of sessions, a quarter of
/// sign-in attempts and e-mails), no longer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPolicy {
    /// Sessions are kept this long after they ended (signed out, revoked or expired).
    pub ended_sessions: SignedDuration,
    /// Sign-in attempts (who tried, from where, whether it worked).
    pub sign_in_attempts: SignedDuration,
    /// Idempotency keys with their kept answer: a client retries within minutes, not weeks.
    pub answered_keys: SignedDuration,
    /// A key still "in progress" this long after it was first used belongs to a request that never
    /// finished (the process died mid-request); it is abandoned so the key stops answering 409.
    pub abandoned_keys: SignedDuration,
    /// E-mails after they were delivered or given up on (they hold staff addresses).
    pub finished_emails: SignedDuration,
}

const DAY: i64 = 24;

impl Default for RetentionPolicy {
    fn default() -> Self {
        Self {
            ended_sessions: SignedDuration::from_hours(30 * DAY),
            sign_in_attempts: SignedDuration::from_hours(90 * DAY),
            answered_keys: SignedDuration::from_hours(7 * DAY),
            abandoned_keys: SignedDuration::from_hours(DAY),
            finished_emails: SignedDuration::from_hours(90 * DAY),
        }
    }
}

impl RetentionPolicy {
    /// The cut-off moment for each kind at `now`.
    pub fn before(&self, now: Timestamp) -> PruneBefore {
        let ago = |d: SignedDuration| now.checked_sub(d).unwrap_or(Timestamp::MIN);
        PruneBefore {
            ended_sessions: ago(self.ended_sessions),
            sign_in_attempts: ago(self.sign_in_attempts),
            answered_keys: ago(self.answered_keys),
            abandoned_keys: ago(self.abandoned_keys),
            finished_emails: ago(self.finished_emails),
        }
    }
}

impl Services {
    /// Deletes what is past its retention period now (by the service's clock), with one audit line
    /// when anything went. Idempotent: a second run at the same moment removes nothing.
    #[tracing::instrument(skip_all)]
    pub async fn prune(&self, policy: &RetentionPolicy) -> Result<Pruned, ServiceError> {
        let actor = Actor::system("hearth retention");
        let now = self.now();
        Ok(self.store.prune(&actor, &policy.before(now), now).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::RetentionPolicy;

    #[test]
    fn cut_offs_are_the_periods_before_now() {
        let now: jiff::Timestamp = "2026-12-01T00:00:00Z".parse().expect("a moment");
        let before = RetentionPolicy::default().before(now);
        assert_eq!(before.ended_sessions.to_string(), "2026-11-01T00:00:00Z");
        assert_eq!(before.abandoned_keys.to_string(), "2026-11-30T00:00:00Z");
        assert_eq!(before.sign_in_attempts.to_string(), "2026-09-02T00:00:00Z");
    }
}
