//! When sign-in is refused for failing too often. Failures are counted three ways within the policy's
//! window: from one address on any account (password spraying), on one account from one address
//! (guessing), and on one account from any address (a distributed attack). Nobody can lock another
//! person out by failing on their account from elsewhere: an account under attack only makes each
//! address that has failed on it wait a short back-off between attempts, while a right password
//! from an address with no recent failures still gets in.

use crate::auth::AuthPolicy;
use hearth_store::FailureCounts;
use jiff::{SignedDuration, Timestamp};

/// Why an attempt is refused, and when trying again can help.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// This address failed too often, on any accounts: refused for everyone from it.
    Address { until: Timestamp },
    /// This address failed too often on this account.
    Pair { until: Timestamp },
    /// The account is under attack and this address has failed on it lately: wait the back-off.
    Backoff { until: Timestamp },
}

impl Refusal {
    pub fn until(self) -> Timestamp {
        match self {
            Self::Address { until } | Self::Pair { until } | Self::Backoff { until } => until,
        }
    }

    /// Whole seconds from `now` until the refusal lifts, at least 1 (for `Retry-After`).
    pub fn retry_after(self, now: Timestamp) -> i64 {
        let secs = self.until().duration_since(now).as_secs_f64().ceil();
        // The cast is of a whole number of seconds within a window of minutes.
        #[allow(clippy::cast_possible_truncation)]
        (secs as i64).max(1)
    }

    /// What the audit line says (never the e-mail typed: the line names the account by id).
    pub fn audit_detail(self, now: Timestamp) -> String {
        let why = match self {
            Self::Address { .. } => "too many failures from this address",
            Self::Pair { .. } => "too many failures on this account from this address",
            Self::Backoff { .. } => "account under attack; this address must wait between attempts",
        };
        format!("{why}; retry after {} s", self.retry_after(now))
    }
}

/// A wait in words for a person: whole minutes, rounded up ("1 minute", "14 minutes").
pub fn wait_words(secs: impl std::borrow::Borrow<i64>) -> String {
    let minutes = (*secs.borrow()).max(1).saturating_add(59) / 60;
    if minutes == 1 { "1 minute".to_owned() } else { format!("{minutes} minutes") }
}

fn after(t: Option<Timestamp>, d: SignedDuration, now: Timestamp) -> Timestamp {
    t.and_then(|t| t.checked_add(d).ok()).unwrap_or(now)
}

impl AuthPolicy {
    /// Whether an attempt with these recent failures is refused. Refused attempts are not counted as
    /// failures, so a refusal lifts when its oldest counted failure leaves the window.
    pub fn refusal(&self, f: &FailureCounts, now: Timestamp) -> Option<Refusal> {
        if f.by_address >= self.max_failures_per_address {
            return Some(Refusal::Address { until: after(f.address_oldest, self.window, now) });
        }
        if f.by_pair >= self.max_failures_per_pair {
            return Some(Refusal::Pair { until: after(f.pair_oldest, self.window, now) });
        }
        if f.by_account >= self.max_failures_per_account && f.by_pair > 0 {
            let until = after(f.pair_latest, self.backoff, now);
            if until > now {
                return Some(Refusal::Backoff { until });
            }
        }
        None
    }

    /// The limits one more failure reaches, given the failures before it: for the audit trail's
    /// `session.locked` line. Empty when it reaches none.
    pub fn locks_reached(&self, before: &FailureCounts) -> Vec<String> {
        let mins = self.window.as_mins();
        let mut out = Vec::new();
        if before.by_address + 1 == self.max_failures_per_address {
            out.push(format!("address refused for {mins} minutes after {} failures", self.max_failures_per_address));
        }
        if before.by_pair + 1 == self.max_failures_per_pair {
            out.push(format!(
                "account refused from this address for {mins} minutes after {} failures",
                self.max_failures_per_pair
            ));
        }
        if before.by_account + 1 == self.max_failures_per_account {
            out.push(format!(
                "account under attack after {} failures: an address that failed waits {} minutes between attempts",
                self.max_failures_per_account,
                self.backoff.as_mins()
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn a_clean_address_gets_through_an_account_under_attack() {
        let p = AuthPolicy::default();
        let now = at("2026-11-25T10:10:00Z");
        let attacked = FailureCounts { by_account: 50, ..FailureCounts::default() };
        assert_eq!(p.refusal(&attacked, now), None);
        let failed_here = FailureCounts {
            by_account: 50,
            by_address: 1,
            by_pair: 1,
            address_oldest: Some(at("2026-11-25T10:08:00Z")),
            pair_oldest: Some(at("2026-11-25T10:08:00Z")),
            pair_latest: Some(at("2026-11-25T10:08:00Z")),
        };
        let r = p.refusal(&failed_here, now).expect("backed off");
        assert_eq!(r, Refusal::Backoff { until: at("2026-11-25T10:13:00Z") });
        assert_eq!(r.retry_after(now), 180);
        assert_eq!(p.refusal(&failed_here, at("2026-11-25T10:13:00Z")), None, "the back-off passed");
    }

    #[test]
    fn an_address_or_a_pair_that_failed_too_often_waits_for_the_window() {
        let p = AuthPolicy::default();
        let now = at("2026-11-25T10:10:00Z");
        let pair = FailureCounts {
            by_account: 5,
            by_address: 5,
            by_pair: 5,
            address_oldest: Some(at("2026-11-25T10:01:00Z")),
            pair_oldest: Some(at("2026-11-25T10:01:00Z")),
            pair_latest: Some(at("2026-11-25T10:09:00Z")),
        };
        assert_eq!(p.refusal(&pair, now), Some(Refusal::Pair { until: at("2026-11-25T10:16:00Z") }));
        let address = FailureCounts { by_address: 20, ..pair };
        assert_eq!(p.refusal(&address, now).map(|r| r.retry_after(now)), Some(360));
        assert_eq!(p.locks_reached(&FailureCounts { by_pair: 4, by_account: 4, ..FailureCounts::default() }).len(), 2);
    }
}
