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

/// "1 Jul 2026 17:00 (UK time)": a moment in a table or a history, on the region's clock (British
/// Summer Time in summer), never the UTC the store keeps.
pub fn london_short(t: Timestamp) -> String {
    let tz = TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC);
    t.to_zoned_datetime(tz).strftime("%-d %b %Y %H:%M (UK time)").to_string()
}

/// The start of a day in England as a moment: what "from 1 July" means to a person searching.
pub fn london_day_start(d: jiff::civil::Date) -> Option<Timestamp> {
    let tz = TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC);
    tz.to_timestamp(d.at(0, 0, 0, 0)).ok()
}

#[cfg(test)]
mod tests {
    use super::{london, london_day_start, london_short};

    #[test]
    fn tables_and_histories_are_on_the_london_clock() {
        let summer: jiff::Timestamp = "2026-07-01T16:05:00Z".parse().expect("time");
        assert_eq!(london_short(summer), "1 Jul 2026 17:05 (UK time)");
        let winter: jiff::Timestamp = "2026-11-27T17:00:00Z".parse().expect("time");
        assert_eq!(london_short(winter), "27 Nov 2026 17:00 (UK time)");
        let day = london_day_start(jiff::civil::date(2026, 7, 1)).expect("a day");
        assert_eq!(day.to_string(), "2026-06-30T23:00:00Z");
    }

    #[test]
    fn deadlines_are_on_the_london_clock() {
        let summer: jiff::Timestamp = "2026-07-01T16:00:00Z".parse().expect("time");
        assert_eq!(london(summer), "17:00 on Wednesday 1 July 2026 (UK time)");
        let winter: jiff::Timestamp = "2026-11-27T17:00:00Z".parse().expect("time");
        assert_eq!(london(winter), "17:00 on Friday 27 November 2026 (UK time)");
    }
}
