//! Dates and times as the pages say them (money: `hearth_domain::home::pounds`). Deadlines are shown on the clock people in the
//! region read (Europe/London), not the UTC the store keeps, so "17:00" means five in the afternoon
//! in winter and summer alike.

use hearth_service::matching::{Factor, HardRule};
use jiff::Timestamp;
use jiff::civil::Date;
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

/// The code a rule or factor has in the API (`supported_under16`, `inside_area`).
fn code_of(x: impl serde::Serialize) -> String {
    serde_json::to_value(x).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// A hard rule, by the code the API's `excluded` counts are keyed by, in words
/// ("Supported accommodation does not take children under 16"); `None` for a code the engine does
/// not have, which a page then calls "another rule" rather than show the code.
pub fn rule_words(code: &str) -> Option<String> {
    HardRule::ALL.into_iter().find(|r| code_of(r) == code).map(|r| super::forms::capitalise(r.label()))
}

/// A weighted factor, by its code in the API's `contributions`, in words ("Inside the council's area").
pub fn factor_words(code: &str) -> Option<&'static str> {
    Factor::ALL.into_iter().find(|f| code_of(f) == code).map(Factor::label)
}

/// When a matching place is free, on `today`: "Now", or the day ("24 December 2026").
pub fn free_from(from: Date, today: Date) -> String {
    if from <= today { "Now".to_owned() } else { from.strftime("%-d %B %Y").to_string() }
}

#[cfg(test)]
mod tests {
    use super::{
        Factor, HardRule, code_of, factor_words, free_from, london, london_day_start, london_short, rule_words,
    };

    #[test]
    fn tables_and_histories_are_on_the_london_clock() {
        let summer: jiff::Timestamp = "2026-07-01T16:05:00Z".parse().expect("time");
        assert_eq!(london_short(summer), "1 Jul 2026 17:05 (UK time)");
        let winter: jiff::Timestamp = "2026-11-27T17:00:00Z".parse().expect("time");
        assert_eq!(london_short(winter), "27 Nov 2026 17:00 (UK time)");
        let day = london_day_start(jiff::civil::date(2026, 7, 1)).expect("a day");
        assert_eq!(day.to_string(), "2026-06-30T23:00:00Z");
    }

    /// Every rule and factor the engine can name has words of its own: never the code with its
    /// underscores turned into spaces ("supported under16").
    #[test]
    fn every_rule_and_factor_has_plain_words() {
        let plain = |code: &str, words: &str| {
            assert!(!words.is_empty() && !words.contains('_'), "{code}: {words:?}");
            // A code's run-together word ("under16") never reaches the page.
            let glued = words
                .split_whitespace()
                .any(|w| w.chars().any(|c| c.is_ascii_digit()) && w.chars().any(|c| c.is_ascii_alphabetic()));
            assert!(!glued && words.starts_with(|c: char| c.is_uppercase()), "{code}: {words}");
        };
        for r in HardRule::ALL {
            let code = code_of(r);
            assert!(!code.is_empty(), "{r:?} has a code");
            let words = rule_words(&code).unwrap_or_else(|| panic!("no words for the rule {code}"));
            plain(&code, &words);
        }
        for f in Factor::ALL {
            let code = code_of(f);
            assert!(!code.is_empty(), "{f:?} has a code");
            plain(&code, factor_words(&code).unwrap_or_else(|| panic!("no words for the factor {code}")));
        }
        assert_eq!(rule_words("no_such_rule"), None);
        assert_eq!(factor_words("no_such_factor"), None);
        assert_eq!(
            rule_words("supported_under16").as_deref(),
            Some("Supported accommodation does not take children under 16")
        );
    }

    #[test]
    fn a_place_free_today_or_before_is_free_now() {
        let today = jiff::civil::date(2026, 12, 3);
        assert_eq!(free_from(jiff::civil::date(2026, 11, 1), today), "Now");
        assert_eq!(free_from(today, today), "Now");
        assert_eq!(free_from(jiff::civil::date(2026, 12, 24), today), "24 December 2026");
    }

    #[test]
    fn deadlines_are_on_the_london_clock() {
        let summer: jiff::Timestamp = "2026-07-01T16:00:00Z".parse().expect("time");
        assert_eq!(london(summer), "17:00 on Wednesday 1 July 2026 (UK time)");
        let winter: jiff::Timestamp = "2026-11-27T17:00:00Z".parse().expect("time");
        assert_eq!(london(winter), "17:00 on Friday 27 November 2026 (UK time)");
    }
}
