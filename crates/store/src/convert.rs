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
pub(crate) fn timestamp_to_sql(t: jiff::Timestamp) -> SqlInstant {
    SqlInstant(
        time::OffsetDateTime::from_unix_timestamp_nanos(t.as_nanosecond()).unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
    )
}

/// A moment as a statement binds it. PostgreSQL stores a TIMESTAMPTZ. SQLite stores text, and sqlx's
/// own RFC 3339 text varies in width ("…09:00:00Z", "…09:00:00.5Z"), so its text order would not be
/// time order; here every moment is written at one width (UTC, nine fractional digits, `Z`), so SQL
/// compares and orders the text as it is and the indexes on timestamp columns serve those comparisons.
/// Migration 0012 rewrote the moments stored before in the same form.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SqlInstant(time::OffsetDateTime);

/// The fixed-width text SQLite stores: `2026-11-25T09:30:15.123000000Z`. Years beyond 0–9999 have no
/// four-digit form and are refused, as sqlx's RFC 3339 encoding refuses them.
pub(crate) fn fixed_width(t: time::OffsetDateTime) -> Result<String, String> {
    let t = t.to_offset(time::UtcOffset::UTC);
    if !(0..=9999).contains(&t.year()) {
        return Err(format!("the year {} cannot be stored", t.year()));
    }
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond()
    ))
}

impl sqlx::Type<sqlx::Sqlite> for SqlInstant {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <time::OffsetDateTime as sqlx::Type<sqlx::Sqlite>>::type_info()
    }
}

impl sqlx::Encode<'_, sqlx::Sqlite> for SqlInstant {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Sqlite as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        sqlx::Encode::<sqlx::Sqlite>::encode(fixed_width(self.0)?, buf)
    }
}

impl sqlx::Type<sqlx::Postgres> for SqlInstant {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <time::OffsetDateTime as sqlx::Type<sqlx::Postgres>>::type_info()
    }
}

impl sqlx::Encode<'_, sqlx::Postgres> for SqlInstant {
    fn encode_by_ref(
        &self,
        buf: &mut <sqlx::Postgres as sqlx::Database>::ArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        sqlx::Encode::<sqlx::Postgres>::encode_by_ref(&self.0, buf)
    }
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
        let sql = timestamp_to_sql(t).0;
        assert_eq!(sql.nanosecond(), 123_456_789);
        assert_eq!(timestamp_from_sql(sql, "t").expect("a timestamp"), t);
        for t in [jiff::Timestamp::MIN, jiff::Timestamp::MAX] {
            assert_eq!(timestamp_from_sql(timestamp_to_sql(t).0, "t").expect("a timestamp"), t);
        }
    }

    #[test]
    fn sqlite_text_is_one_width_so_text_order_is_time_order() {
        let text = |s: &str| fixed_width(timestamp_to_sql(s.parse().expect("a timestamp")).0).expect("storable");
        assert_eq!(text("2026-11-25T09:00:00Z"), "2026-11-25T09:00:00.000000000Z");
        assert_eq!(text("2026-11-25T09:00:00.5+01:00"), "2026-11-25T08:00:00.500000000Z");
        let moments = ["2026-11-25T09:00:00Z", "2026-11-25T09:00:00.000000001Z", "2026-11-25T09:00:00.5Z"];
        let texts: Vec<String> = moments.iter().map(|m| text(m)).collect();
        assert!(texts.windows(2).all(|w| w[0] < w[1] && w[0].len() == w[1].len()), "{texts:?}");
    }
}
