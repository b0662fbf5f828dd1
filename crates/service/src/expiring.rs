//! A value read from the store and kept for a while, on the service's clock.
//!
//! The service keeps a few whole-region reads in memory (the homes snapshot, the intelligence history)
//! so that a busy page does not re-read the region on every view. How long each may serve is one rule,
//! written here once: it is fresh while the service's clock — the injected [`crate::Clock`], never the
//! machine's — says less than its time to live has passed since it was read. Tests move the clock to
//! expire it; a clock that moves backwards (a corrected system clock) makes it stale rather than
//! fresh for longer.

use jiff::{SignedDuration, Timestamp};
use std::sync::{Arc, Mutex, PoisonError};

/// The one freshness rule: something read at `read_at` may serve at `now` while less than `ttl` has
/// passed on the service's clock, and never once the clock reads earlier than the read.
pub(crate) fn is_fresh(read_at: Timestamp, now: Timestamp, ttl: SignedDuration) -> bool {
    let age = now.duration_since(read_at);
    !age.is_negative() && age < ttl
}

#[derive(Debug)]
pub(crate) struct Expiring<T> {
    ttl: SignedDuration,
    held: Mutex<Option<(Timestamp, Arc<T>)>>,
}

impl<T> Expiring<T> {
    pub(crate) const fn new(ttl: SignedDuration) -> Self {
        Self { ttl, held: Mutex::new(None) }
    }

    /// The value and when it was read, while it is fresh at `now`.
    pub(crate) fn fresh(&self, now: Timestamp) -> Option<(Timestamp, Arc<T>)> {
        let held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        held.as_ref()
            .filter(|(read_at, _)| is_fresh(*read_at, now, self.ttl))
            .map(|(read_at, value)| (*read_at, Arc::clone(value)))
    }

    /// Keeps `value`, read at `read_at` (the service's clock when the read began, so a change that
    /// committed during the read is never hidden for longer than the time to live).
    pub(crate) fn keep(&self, read_at: Timestamp, value: Arc<T>) {
        *self.held.lock().unwrap_or_else(PoisonError::into_inner) = Some((read_at, value));
    }

    /// Drops the value: the next reader reads again (after a change made through this service).
    pub(crate) fn forget(&self) {
        *self.held.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::Expiring;
    use jiff::{SignedDuration, Timestamp};
    use std::sync::Arc;

    #[test]
    fn fresh_for_its_time_to_live_on_the_given_clock_only() {
        let cache = Expiring::new(SignedDuration::from_secs(10));
        let t0: Timestamp = "2026-11-25T12:00:00Z".parse().expect("a time");
        let at = |s: i64| t0.checked_add(SignedDuration::from_secs(s)).expect("in range");
        assert!(cache.fresh(t0).is_none(), "nothing read yet");
        cache.keep(t0, Arc::new(7));
        assert_eq!(cache.fresh(at(9)).map(|(r, v)| (r, *v)), Some((t0, 7)));
        assert!(cache.fresh(at(10)).is_none(), "expired at exactly its time to live");
        assert!(cache.fresh(at(-1)).is_none(), "a clock that went back does not extend it");
        cache.forget();
        assert!(cache.fresh(t0).is_none(), "forgotten");
    }
}
