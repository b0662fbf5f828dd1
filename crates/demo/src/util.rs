//! Randomness and dates, kept deterministic: every random choice comes from a ChaCha stream derived
//! from the configured seed and a label, never from the clock or the thread RNG, and no choice depends
//! on a `HashMap`'s iteration order.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub(crate) type DemoRng = ChaCha8Rng;

/// FNV-1a: a stable hash (std's `DefaultHasher` may change between Rust releases).
pub(crate) fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// An independent random stream for one stage (and one council), so that changing how one stage
/// draws leaves the others' draws as they were.
pub(crate) fn stream(seed: u64, label: &str, part: u64) -> DemoRng {
    let mixed = splitmix(seed ^ splitmix(stable_hash(label) ^ part.rotate_left(17)));
    DemoRng::seed_from_u64(mixed)
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// One of `items`, with probability proportional to its weight. Weights need not sum to one;
/// all-zero weights pick the first item.
pub(crate) fn weighted<T: Copy>(rng: &mut DemoRng, items: &[(T, f64)]) -> T {
    let total: f64 = items.iter().map(|(_, w)| w.max(0.0)).sum();
    if total <= 0.0 {
        return items[0].0;
    }
    let mut x = rng.random::<f64>() * total;
    for (item, w) in items {
        x -= w.max(0.0);
        if x < 0.0 {
            return *item;
        }
    }
    items[items.len() - 1].0
}

pub(crate) fn chance(rng: &mut DemoRng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// `base` moved up or down by up to `spread` (a fraction), rounded to whole pounds.
pub(crate) fn jitter(rng: &mut DemoRng, base: f64, spread: f64) -> i64 {
    (base * (1.0 + rng.random_range(-spread..=spread))).round() as i64
}

/// A whole number in `lo..=hi` (either order).
pub(crate) fn between(rng: &mut DemoRng, lo: i32, hi: i32) -> i32 {
    if hi <= lo { lo } else { rng.random_range(lo..=hi) }
}

/// Shuffles in place (Fisher–Yates), so the order depends only on the stream.
pub(crate) fn shuffle<T>(rng: &mut DemoRng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

/// Dates as whole days relative to `today` (negative in the past): arithmetic on plain integers,
/// turned into calendar dates once, when a record is written.
#[derive(Debug, Clone)]
pub(crate) struct Calendar {
    pub today: Date,
    london: TimeZone,
}

pub(crate) const YEAR: i32 = 365;

impl Calendar {
    pub fn new(today: Date) -> Self {
        // The bundled tz database always has Europe/London; UTC is a harmless fallback.
        let london = TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC);
        Self { today, london }
    }

    pub fn date(&self, offset: i32) -> Date {
        self.today.checked_add(Span::new().days(offset)).unwrap_or(self.today)
    }

    /// Days from `today` to `d` (negative when `d` is earlier).
    pub fn offset(&self, d: Date) -> i32 {
        self.today.until(d).map_or(0, |s| s.get_days())
    }

    /// An instant on day `offset`, `minute` minutes after midnight London time.
    pub fn at(&self, offset: i32, minute: i32) -> Timestamp {
        let day = self.date(offset);
        let minute = minute.clamp(0, 24 * 60 - 1);
        let dt = day.at((minute / 60) as i8, (minute % 60) as i8, 0, 0);
        self.london.to_timestamp(dt).unwrap_or(Timestamp::UNIX_EPOCH)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn streams_are_stable_and_distinct() {
        let a: u64 = stream(1, "children", 331).random();
        let b: u64 = stream(1, "children", 331).random();
        let c: u64 = stream(1, "children", 330).random();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(stable_hash("hearth"), stable_hash("hearth"));
    }

    #[test]
    fn calendar_round_trips() {
        let cal = Calendar::new(date(2026, 11, 25));
        assert_eq!(cal.date(-365), date(2025, 11, 25));
        assert_eq!(cal.offset(date(2025, 11, 25)), -365);
        assert_eq!(cal.offset(cal.date(1234)), 1234);
        assert_eq!(cal.at(0, 9 * 60).to_string(), "2026-11-25T09:00:00Z");
    }
}
