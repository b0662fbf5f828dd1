//! The domain keeps time in jiff; sqlx encodes only `time` (and chrono). Every date and timestamp
//! crosses the database boundary through these four functions, so there is one place to get it right.

use crate::StoreError;
use crate::error::unreadable;

/// jiff's dates span the years -9999 to 9999 and `time`'s at least the same, so every domain date
/// has a `time` twin; the fallback is unreachable and would be refused by the schema's date checks.
pub(crate) fn date_to_sql(d: jiff::civil::Date) -> time::Date {
    let month = time::Month::try_from(d.month().unsigned_abs()).unwrap_or(time::Month::January);
    time::Date::from_calendar_date(i32::from(d.year()), month, d.day().unsigned_abs()).unwrap_or(time::Date::MIN)
}

pub(crate) fn date_from_sql(d: time::Date, column: &'static str) -> Result<jiff::civil::Date, StoreError> {
    let year = i16::try_from(d.year()).map_err(|_| unreadable(column))?;
    jiff::civil::Date::new(year, u8::from(d.month()) as i8, d.day() as i8).map_err(|_| unreadable(column))
}

/// Timestamps go across as nanoseconds since the Unix epoch, which both libraries hold exactly for
/// every instant jiff can represent. PostgreSQL keeps microseconds, so sub-microsecond digits of a
/// domain timestamp do not survive a PostgreSQL round trip (SQLite keeps them).
pub(crate) fn timestamp_to_sql(t: jiff::Timestamp) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(t.as_nanosecond()).unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

pub(crate) fn timestamp_from_sql(t: time::OffsetDateTime, column: &'static str) -> Result<jiff::Timestamp, StoreError> {
    jiff::Timestamp::from_nanosecond(t.unix_timestamp_nanos()).map_err(|_| unreadable(column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_across_the_range() {
        for d in [
            jiff::civil::date(2026, 11, 25),
            jiff::civil::date(2024, 2, 29),
            jiff::civil::Date::MIN,
            jiff::civil::Date::MAX,
        ] {
            assert_eq!(date_from_sql(date_to_sql(d), "d").expect("a date"), d);
        }
        assert_eq!(date_to_sql(jiff::civil::date(2026, 11, 25)).to_string(), "2026-11-25");
    }

    #[test]
    fn timestamps_round_trip_to_the_nanosecond() {
        let t: jiff::Timestamp = "2026-11-25T09:30:15.123456789Z".parse().expect("a timestamp");
        let sql = timestamp_to_sql(t);
        assert_eq!(sql.nanosecond(), 123_456_789);
        assert_eq!(timestamp_from_sql(sql, "t").expect("a timestamp"), t);
        for t in [jiff::Timestamp::MIN, jiff::Timestamp::MAX] {
            assert_eq!(timestamp_from_sql(timestamp_to_sql(t), "t").expect("a timestamp"), t);
        }
    }
}
