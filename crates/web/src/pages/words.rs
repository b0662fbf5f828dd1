//! Dates, times and money as the pages say them. Deadlines are shown on the clock people in the
//! region read (Europe/London), not the UTC the store keeps, so "17:00" means five in the afternoon
//! in winter and summer alike.

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// "17:00 on Friday 27 November 2026 (UK time)".
pub fn london(t: Timestamp) -> String {
    let tz = TimeZone::get("Europe/London").unwrap_or(TimeZone::UTC);
    t.to_zoned_datetime(tz).strftime("%H:%M on %A %-d %B %Y (UK time)").to_string()
}

/// "£1,234".
pub fn pounds(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("£{out}")
}

#[cfg(test)]
mod tests {
    use super::{london, pounds};

    #[test]
    fn money_has_thousands_separators() {
        assert_eq!(pounds(0), "£0");
        assert_eq!(pounds(950), "£950");
        assert_eq!(pounds(4_250), "£4,250");
        assert_eq!(pounds(1_234_567), "£1,234,567");
    }

    #[test]
    fn deadlines_are_on_the_london_clock() {
        let summer: jiff::Timestamp = "2026-07-01T16:00:00Z".parse().expect("time");
        assert_eq!(london(summer), "17:00 on Wednesday 1 July 2026 (UK time)");
        let winter: jiff::Timestamp = "2026-11-27T17:00:00Z".parse().expect("time");
        assert_eq!(london(winter), "17:00 on Friday 27 November 2026 (UK time)");
    }
}
