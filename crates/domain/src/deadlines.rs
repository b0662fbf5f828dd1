//! When providers must answer a referral, and the bank holidays of England and Wales that working-day
//! deadlines skip.
//!
//! Pure: nothing here reads the clock or the network. The caller passes the moment a referral was sent, so
//! the same inputs always give the same deadline and tests can pin any date, including clock changes.
//!
//! Only England and Wales are covered: Hearth's councils are English, and Scotland and Northern Ireland keep
//! different bank holidays (2 January, St Andrew's Day, St Patrick's Day, the Twelfth).

use crate::referral::Urgency;
use jiff::civil::{Date, Time, Weekday, date, time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Deadlines are stated in the time councils and providers work to; a UTC 17:00 would be 18:00 in summer.
const LONDON: &str = "Europe/London";

/// How long providers have to answer a referral, by urgency.
///
/// The defaults (see [`Default`]) follow how placements are actually made: same-day and 72-hour
/// referrals are counted in elapsed hours, because the child needs a bed regardless of weekends or bank
/// holidays; planned referrals are counted in working days, because providers' referral teams work office
/// hours and a planned move has weeks of lead time to protect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlinePolicy {
    /// Time allowed for a same-day (emergency) referral, counted from sending.
    pub same_day: SignedDuration,
    /// Time allowed for a within-72-hours referral, counted from sending.
    pub within_72_hours: SignedDuration,
    /// Working days allowed for a planned referral; the day of sending does not count.
    pub planned_working_days: u32,
    /// The London wall-clock time on the last working day at which a planned referral's answers are due.
    pub planned_close: Time,
}

impl Default for DeadlinePolicy {
    /// * Same day: 4 hours. The child needs somewhere to sleep tonight, so the officer must still have the
    ///   evening to choose a home, arrange transport and brief the carers; providers with a vacancy can
    ///   answer within hours.
    /// * Within 72 hours: 24 hours. Half the window or more is left for the council to compare offers,
    ///   visit and plan an introduction.
    /// * Planned: 5 working days, due at 17:00 London time. A week is enough for a provider to read the
    ///   form and consult the home's manager, and closing at the end of the office day means an answer is
    ///   never due at a moment nobody is at work.
    fn default() -> Self {
        Self {
            same_day: SignedDuration::from_hours(4),
            within_72_hours: SignedDuration::from_hours(24),
            planned_working_days: 5,
            planned_close: time(17, 0, 0, 0),
        }
    }
}

/// When providers' answers to a referral sent at `sent_at` are due.
///
/// Hour-based deadlines add elapsed time, so a clock change in between does not give or take an hour of
/// real time. The planned deadline is a London wall-clock time, so it is 17:00 whether that day is in GMT
/// or BST.
pub fn response_deadline(urgency: Urgency, sent_at: Timestamp, policy: &DeadlinePolicy) -> Timestamp {
    match urgency {
        Urgency::SameDay => after(sent_at, policy.same_day),
        Urgency::Within72Hours => after(sent_at, policy.within_72_hours),
        Urgency::Planned => {
            let tz = london();
            let sent_on = sent_at.to_zoned_datetime(tz.clone()).date();
            let due_on = add_working_days(sent_on, policy.planned_working_days);
            // `compatible` resolution (inside `to_zoned_datetime`) moves a time in a spring-forward gap to
            // just after it, so even an odd closing time lands on a real instant. It only fails at the very
            // end of jiff's range, where "never" is the honest deadline.
            tz.to_zoned_datetime(due_on.to_datetime(policy.planned_close)).map_or(Timestamp::MAX, |due| due.timestamp())
        }
    }
}

/// `from` plus `d`, pinned to the ends of time rather than panicking on absurd policies.
fn after(from: Timestamp, d: SignedDuration) -> Timestamp {
    match from.checked_add(d) {
        Ok(t) => t,
        Err(_) if d.is_negative() => Timestamp::MIN,
        Err(_) => Timestamp::MAX,
    }
}

fn london() -> TimeZone {
    // The workspace builds jiff with `tzdb-bundle-always`, so the zone is compiled in and the lookup cannot
    // fail on any host; a missing zone would mean a broken build, which must not yield silently wrong hours.
    TimeZone::get(LONDON).expect("Europe/London is in jiff's bundled tz database")
}

/// Monday to Friday and not a bank holiday in England and Wales.
pub fn is_working_day(d: Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_bank_holiday(d)
}

/// The `n`th working day after `d` (`d` itself does not count, whether or not it is a working day);
/// `n = 0` gives `d` back unchanged. Stops at the last date jiff can represent instead of panicking.
pub fn add_working_days(d: Date, n: u32) -> Date {
    let mut day = d;
    let mut left = n;
    while left > 0 {
        day = match day.tomorrow() {
            Ok(next) => next,
            Err(_) => return day,
        };
        if is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// Whether `d` is a bank holiday in England and Wales.
pub fn is_bank_holiday(d: Date) -> bool {
    bank_holidays(d.year()).contains(&d)
}

/// The bank holidays of England and Wales in `year`, in date order.
///
/// Computed from the rules in force since 1978 (when the early May holiday began), with substitute days
/// for New Year, Christmas and Boxing Day at a weekend, plus the one-off changes proclaimed from 2012 to
/// 2030 that are known today. Earlier years get today's rules, not their historical ones; a future one-off
/// (a coronation, a state funeral) must be added to [`ONE_OFFS`] when it is proclaimed.
pub fn bank_holidays(year: i16) -> Vec<Date> {
    let easter = easter_sunday(year);
    let mut days = vec![substitute(date(year, 1, 1), &[]), shift_in_spring(easter, -2), shift_in_spring(easter, 1)];

    let early_may = one_off(year, Moved::EarlyMay).unwrap_or_else(|| first_monday(year, 5));
    days.push(early_may);
    let spring = one_off(year, Moved::Spring).unwrap_or_else(|| last_monday(year, 5));
    days.push(spring);
    days.push(last_monday(year, 8));

    // Boxing Day's own date counts first, so when Christmas is a Sunday, Christmas's substitute is the
    // Tuesday (Monday 26th is already Boxing Day), and when both fall at the weekend they take the Monday
    // and Tuesday in order.
    let christmas = date(year, 12, 25);
    let boxing = date(year, 12, 26);
    let boxing_fixed = if is_weekend(boxing) { None } else { Some(boxing) };
    let christmas_day = substitute(christmas, boxing_fixed.as_slice());
    let boxing_day = boxing_fixed.unwrap_or_else(|| substitute(boxing, &[christmas_day]));
    days.push(christmas_day);
    days.push(boxing_day);

    days.extend(ONE_OFFS.iter().filter(|o| o.kind == Moved::Extra && o.date.year() == year).map(|o| o.date));
    days.sort_unstable();
    days
}

/// What a proclaimed one-off does to the regular pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Moved {
    /// Replaces the first Monday of May.
    EarlyMay,
    /// Replaces the last Monday of May.
    Spring,
    /// An additional day; nothing regular moves.
    Extra,
}

#[derive(Debug, Clone, Copy)]
struct OneOff {
    date: Date,
    kind: Moved,
}

/// Changes made by royal proclamation, which no rule can predict.
const ONE_OFFS: &[OneOff] = &[
    // Diamond Jubilee: the spring holiday moved to the Monday and a Tuesday was added.
    OneOff { date: date(2012, 6, 4), kind: Moved::Spring },
    OneOff { date: date(2012, 6, 5), kind: Moved::Extra },
    // VE Day's 75th anniversary: the early May holiday moved to Friday 8 May.
    OneOff { date: date(2020, 5, 8), kind: Moved::EarlyMay },
    // Platinum Jubilee: the spring holiday moved to the Thursday and the Friday was added.
    OneOff { date: date(2022, 6, 2), kind: Moved::Spring },
    OneOff { date: date(2022, 6, 3), kind: Moved::Extra },
    // The state funeral of Queen Elizabeth II.
    OneOff { date: date(2022, 9, 19), kind: Moved::Extra },
    // The coronation of King Charles III; the early May holiday stayed on 1 May.
    OneOff { date: date(2023, 5, 8), kind: Moved::Extra },
];

fn one_off(year: i16, kind: Moved) -> Option<Date> {
    ONE_OFFS.iter().find(|o| o.kind == kind && o.date.year() == year).map(|o| o.date)
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// `d` if it is a weekday, else the next weekday not in `taken`. Only used for 1 January and 25–26
/// December, so the answer never leaves the month (at latest the 3rd or the 28th) and day-of-month
/// arithmetic is safe.
fn substitute(d: Date, taken: &[Date]) -> Date {
    let mut day = d.day();
    loop {
        let candidate = date(d.year(), d.month(), day);
        if !is_weekend(candidate) && !taken.contains(&candidate) {
            return candidate;
        }
        day += 1;
    }
}

/// First Monday of `month`.
fn first_monday(year: i16, month: i8) -> Date {
    let first = date(year, month, 1);
    let to_monday = (7 - first.weekday().to_monday_zero_offset()) % 7;
    date(year, month, 1 + to_monday)
}

/// Last Monday of `month`.
fn last_monday(year: i16, month: i8) -> Date {
    let last = date(year, month, 1).last_of_month();
    date(year, month, last.day() - last.weekday().to_monday_zero_offset())
}

/// Easter Sunday plus `offset` days. Easter is between 22 March and 25 April, so Good Friday (-2) and
/// Easter Monday (+1) stay in March or April and plain day counting suffices.
fn shift_in_spring(easter: Date, offset: i8) -> Date {
    // Count days from 1 March so March and April form one run of 61 days.
    let from_march = if easter.month() == 3 { easter.day() } else { easter.day() + 31 } + offset;
    if from_march <= 31 { date(easter.year(), 3, from_march) } else { date(easter.year(), 4, from_march - 31) }
}

/// Western (Gregorian) Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
///
/// The names follow the published algorithm so it can be checked line by line against it: the year's
/// place in the 19-year Metonic cycle gives the paschal full moon (`h`, corrected for the century's solar
/// and lunar drift), and `l` then steps forward to the following Sunday.
fn easter_sunday(year: i16) -> Date {
    // Euclidean division keeps every step non-negative for the (meaningless but representable) years
    // before 1 AD, so no input can panic.
    let y = i32::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    let n = h + l - 7 * m + 114;
    // n / 31 is 3 or 4 and n % 31 + 1 is at most 31, so the narrowing casts cannot truncate.
    let month = (n / 31) as i8;
    let day = (n % 31 + 1) as i8;
    date(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn easter_sunday_matches_known_dates() {
        assert_eq!(easter_sunday(2024), date(2024, 3, 31));
        assert_eq!(easter_sunday(2025), date(2025, 4, 20));
        assert_eq!(easter_sunday(2026), date(2026, 4, 5));
        assert_eq!(easter_sunday(2027), date(2027, 3, 28));
        // The algorithm's extremes: earliest and latest possible dates.
        assert_eq!(easter_sunday(1818), date(1818, 3, 22));
        assert_eq!(easter_sunday(2038), date(2038, 4, 25));
    }

    #[test]
    fn easter_straddling_months_gives_good_friday_and_monday_across_the_boundary() {
        // Easter 2024 was 31 March: Good Friday 29 March, Easter Monday 1 April.
        let hols = bank_holidays(2024);
        assert!(hols.contains(&date(2024, 3, 29)));
        assert!(hols.contains(&date(2024, 4, 1)));
    }

    #[test]
    fn bank_holidays_2026_are_exactly_the_eight() {
        assert_eq!(
            bank_holidays(2026),
            vec![
                date(2026, 1, 1),
                date(2026, 4, 3),
                date(2026, 4, 6),
                date(2026, 5, 4),
                date(2026, 5, 25),
                date(2026, 8, 31),
                date(2026, 12, 25),
                // Boxing Day is a Saturday: substitute Monday.
                date(2026, 12, 28),
            ]
        );
        assert!(!is_bank_holiday(date(2026, 12, 26)));
    }

    #[test]
    fn christmas_2027_at_the_weekend_gives_monday_and_tuesday() {
        let hols = bank_holidays(2027);
        assert!(hols.contains(&date(2027, 12, 27)));
        assert!(hols.contains(&date(2027, 12, 28)));
        assert!(!hols.contains(&date(2027, 12, 25)));
        assert!(!hols.contains(&date(2027, 12, 26)));
        assert_eq!(hols.len(), 8);
    }

    #[test]
    fn christmas_on_a_sunday_is_substituted_by_the_tuesday() {
        // 2022: Christmas Sunday, Boxing Day Monday 26th, Christmas's substitute Tuesday 27th.
        let hols = bank_holidays(2022);
        assert!(hols.contains(&date(2022, 12, 26)));
        assert!(hols.contains(&date(2022, 12, 27)));
        assert!(!hols.contains(&date(2022, 12, 25)));
    }

    #[test]
    fn new_year_at_the_weekend_moves_to_monday() {
        // 1 January 2022 was a Saturday, 2023 a Sunday.
        assert!(is_bank_holiday(date(2022, 1, 3)));
        assert!(!is_bank_holiday(date(2022, 1, 1)));
        assert!(is_bank_holiday(date(2023, 1, 2)));
        assert!(!is_bank_holiday(date(2023, 1, 1)));
    }

    #[test]
    fn one_offs_of_2022_replace_the_spring_holiday_and_add_two_days() {
        let hols = bank_holidays(2022);
        assert!(hols.contains(&date(2022, 6, 2)));
        assert!(hols.contains(&date(2022, 6, 3)));
        assert!(hols.contains(&date(2022, 9, 19)));
        // The last Monday of May was not a holiday that year.
        assert!(!hols.contains(&date(2022, 5, 30)));
        assert!(hols.contains(&date(2022, 5, 2)));
        // 8 regular (with two substitutes) + the extra jubilee day + the funeral.
        assert_eq!(hols.len(), 10);
    }

    #[test]
    fn other_one_offs_2012_2020_2023() {
        let y2012 = bank_holidays(2012);
        assert!(y2012.contains(&date(2012, 6, 4)) && y2012.contains(&date(2012, 6, 5)));
        assert!(!y2012.contains(&date(2012, 5, 28)));

        let y2020 = bank_holidays(2020);
        assert!(y2020.contains(&date(2020, 5, 8)));
        assert!(!y2020.contains(&date(2020, 5, 4)));
        assert!(y2020.contains(&date(2020, 5, 25)));

        let y2023 = bank_holidays(2023);
        assert!(y2023.contains(&date(2023, 5, 1)));
        assert!(y2023.contains(&date(2023, 5, 8)));
        assert!(y2023.contains(&date(2023, 5, 29)));
    }

    #[test]
    fn working_days_skip_weekends_and_bank_holidays() {
        assert!(is_working_day(date(2026, 12, 24)));
        assert!(!is_working_day(date(2026, 12, 25)));
        assert!(!is_working_day(date(2026, 12, 26)));
        assert!(!is_working_day(date(2026, 12, 27)));
        assert!(!is_working_day(date(2026, 12, 28)));
        assert!(is_working_day(date(2026, 12, 29)));
    }

    #[test]
    fn add_working_days_over_christmas_2026() {
        assert_eq!(add_working_days(date(2026, 12, 24), 1), date(2026, 12, 29));
        // Into the new year: Thursday 31 Dec, then Friday 1 Jan 2027 is New Year's Day.
        assert_eq!(add_working_days(date(2026, 12, 24), 3), date(2026, 12, 31));
        assert_eq!(add_working_days(date(2026, 12, 24), 4), date(2027, 1, 4));
    }

    #[test]
    fn add_working_days_zero_and_from_a_weekend() {
        assert_eq!(add_working_days(date(2026, 12, 26), 0), date(2026, 12, 26));
        // Saturday 10 Oct 2026 + 1 = Monday 12 Oct.
        assert_eq!(add_working_days(date(2026, 10, 10), 1), date(2026, 10, 12));
        // Does not panic at the end of the calendar.
        assert_eq!(add_working_days(Date::MAX, 3), Date::MAX);
    }

    #[test]
    fn same_day_is_four_hours_after_sending() {
        let sent = ts("2026-06-10T14:30:00Z");
        let due = response_deadline(Urgency::SameDay, sent, &DeadlinePolicy::default());
        assert_eq!(due, ts("2026-06-10T18:30:00Z"));
    }

    #[test]
    fn within_72_hours_is_a_day_of_elapsed_time_even_across_a_clock_change() {
        // Saturday 24 Oct 2026 12:00 BST; clocks go back overnight, so 24 real hours later reads 11:00 GMT.
        let sent = ts("2026-10-24T11:00:00Z");
        let due = response_deadline(Urgency::Within72Hours, sent, &DeadlinePolicy::default());
        assert_eq!(due, ts("2026-10-25T11:00:00Z"));
    }

    #[test]
    fn planned_across_october_clock_change_is_17_00_gmt() {
        // Monday 19 Oct 2026 10:00 BST; clocks go back on Sunday 25 Oct; five working days is Monday 26 Oct,
        // when London is on GMT, so 17:00 local is 17:00 UTC.
        let sent = ts("2026-10-19T09:00:00Z");
        let due = response_deadline(Urgency::Planned, sent, &DeadlinePolicy::default());
        assert_eq!(due, ts("2026-10-26T17:00:00Z"));
        assert_eq!(due.to_zoned_datetime(london()).time(), time(17, 0, 0, 0));
    }

    #[test]
    fn planned_across_march_clock_change_is_17_00_bst() {
        // Wednesday 25 Mar 2026 (GMT); clocks go forward Sunday 29 Mar; due Wednesday 1 April at 17:00 BST.
        let sent = ts("2026-03-25T10:00:00Z");
        let due = response_deadline(Urgency::Planned, sent, &DeadlinePolicy::default());
        assert_eq!(due, ts("2026-04-01T16:00:00Z"));
    }

    #[test]
    fn planned_uses_the_london_date_of_sending() {
        // 23:30 UTC on Friday 3 July 2026 is already Saturday 00:30 in London, so counting starts from
        // Saturday: due Friday 10 July, not Thursday 9 July.
        let sent = ts("2026-07-03T23:30:00Z");
        let due = response_deadline(Urgency::Planned, sent, &DeadlinePolicy::default());
        assert_eq!(due, ts("2026-07-10T16:00:00Z"));
    }

    #[test]
    fn planned_skips_easter() {
        // Thursday 2 Apr 2026: Good Friday and Easter Monday do not count, so due Monday 13 April.
        let sent = ts("2026-04-02T09:00:00Z");
        let due = response_deadline(Urgency::Planned, sent, &DeadlinePolicy::default());
        assert_eq!(due, ts("2026-04-13T16:00:00Z"));
    }

    #[test]
    fn policy_is_honoured() {
        let policy = DeadlinePolicy {
            same_day: SignedDuration::from_hours(2),
            within_72_hours: SignedDuration::from_hours(48),
            planned_working_days: 1,
            planned_close: time(12, 0, 0, 0),
        };
        let sent = ts("2026-12-24T10:00:00Z");
        assert_eq!(response_deadline(Urgency::SameDay, sent, &policy), ts("2026-12-24T12:00:00Z"));
        assert_eq!(response_deadline(Urgency::Within72Hours, sent, &policy), ts("2026-12-26T10:00:00Z"));
        assert_eq!(response_deadline(Urgency::Planned, sent, &policy), ts("2026-12-29T12:00:00Z"));
        assert_eq!(response_deadline(Urgency::SameDay, Timestamp::MAX, &policy), Timestamp::MAX);
    }
}
