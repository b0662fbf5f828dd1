//! Dates and times as the pages say them (money: `hearth_domain::home::pounds`). Deadlines are shown on the clock people in the
//! region read (Europe/London), not the UTC the store keeps, so "17:00" means five in the afternoon
//! in winter and summer alike.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// "17:00 on Friday 27 November 2026 (UK time)".
pub fn london(t: Timestamp) -> String {
    let tz = TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC);
    t.to_zoned_datetime(tz).strftime("%H:%M on %A %-d %B %Y (UK time)").to_string()
}

#[cfg(test)]
mod tests {
    use super::london;

    #[test]
    fn deadlines_are_on_the_london_clock() {
        let summer: jiff::Timestamp = "2026-07-01T16:00:00Z".parse().expect("time");
        assert_eq!(london(summer), "17:00 on Wednesday 1 July 2026 (UK time)");
        let winter: jiff::Timestamp = "2026-11-27T17:00:00Z".parse().expect("time");
        assert_eq!(london(winter), "17:00 on Friday 27 November 2026 (UK time)");
    }
}
