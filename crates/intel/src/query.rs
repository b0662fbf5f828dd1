//! What a commissioner asks for: a council or the region, a date the figures are "as at", and the
//! period the market figures cover. Checked against what the records hold before anything is counted.

use crate::model::History;
use jiff::ToSpan;
use jiff::civil::Date;

/// Whose figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// One council's children and referrals (by DfE code).
    Council(u16),
    /// Every council in the portal.
    Region,
}

impl Scope {
    pub fn includes(self, la_code: u16) -> bool {
        match self {
            Self::Council(own) => own == la_code,
            Self::Region => true,
        }
    }

    /// The scope's name in URLs and file names: the DfE code, or `region`.
    pub fn slug(self) -> String {
        match self {
            Self::Council(la) => la.to_string(),
            Self::Region => "region".into(),
        }
    }
}

/// A checked question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    pub scope: Scope,
    /// The day the "as at" figures describe (children looked after on that day).
    pub as_at: Date,
    /// The first day of the period the flow figures (referrals, endings, spend) cover; the period
    /// ends on `as_at`.
    pub from: Date,
}

/// Why a question cannot be answered; each says which field and what to do, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntelError {
    #[error("{field} {date} is before the portal's records begin on {records_from}: ask for a date from then on")]
    BeforeRecords { field: &'static str, date: Date, records_from: Date },
    #[error("{field} {date} is after today ({today}): figures cannot describe the future")]
    AfterToday { field: &'static str, date: Date, today: Date },
    #[error("the period runs backwards: it starts on {from}, after it ends on {to}")]
    Backwards { from: Date, to: Date },
    #[error("there is no council {0} in the portal")]
    UnknownCouncil(String),
    #[error("'{raw}' is not a date; write {field} as YYYY-MM-DD")]
    NotADate { field: &'static str, raw: String },
}

impl IntelError {
    /// The request field the error is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::BeforeRecords { field, .. } | Self::AfterToday { field, .. } | Self::NotADate { field, .. } => field,
            Self::Backwards { .. } => "from",
            Self::UnknownCouncil(_) => "council",
        }
    }
}

/// A year of flow figures by default: the 365 days ending on the "as at" day.
pub fn default_from(as_at: Date) -> Date {
    as_at.checked_sub(1.year()).and_then(|d| d.checked_add(1.day())).unwrap_or(as_at)
}

/// Parses an optional date parameter.
pub fn parse_date(field: &'static str, raw: Option<&str>) -> Result<Option<Date>, IntelError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| IntelError::NotADate { field, raw: s.to_owned() }),
    }
}

impl Query {
    /// `as_at` must lie within the records (from `records_from` to today); the period may start no
    /// earlier than the records and no later than `as_at`. `from` defaults to a year before `as_at`,
    /// cut to the records' start.
    pub fn new(history: &History, scope: Scope, as_at: Date, from: Option<Date>) -> Result<Self, IntelError> {
        if let Scope::Council(la) = scope
            && history.council(la).is_none()
        {
            return Err(IntelError::UnknownCouncil(la.to_string()));
        }
        let within = |field, date: Date| {
            if date < history.records_from {
                Err(IntelError::BeforeRecords { field, date, records_from: history.records_from })
            } else if date > history.today {
                Err(IntelError::AfterToday { field, date, today: history.today })
            } else {
                Ok(date)
            }
        };
        let as_at = within("as_at", as_at)?;
        let from = match from {
            Some(f) => {
                if f > as_at {
                    return Err(IntelError::Backwards { from: f, to: as_at });
                }
                within("from", f)?
            }
            None => default_from(as_at).max(history.records_from),
        };
        Ok(Self { scope, as_at, from })
    }

    /// The 365 days ending on `as_at`: the year DfE's stability measures look back over.
    pub fn year_start(&self) -> Date {
        default_from(self.as_at)
    }

    /// The five 31 Marches up to `as_at` (oldest first), then `as_at` itself when it is not one:
    /// the points of every trend.
    pub fn trend_dates(&self) -> Vec<Date> {
        let y = self.as_at.year();
        let last_march = if (self.as_at.month(), self.as_at.day()) >= (3, 31) { y } else { y - 1 };
        let mut dates: Vec<Date> = (0..5).rev().filter_map(|k| Date::new(last_march - k, 3, 31).ok()).collect();
        if dates.last() != Some(&self.as_at) {
            dates.push(self.as_at);
        }
        dates
    }
}

/// Days between two dates (`to` after `from` gives a positive number). Plain arithmetic on day
/// numbers: it runs once per placement in the cost tables, where a calendar span would dominate.
pub fn days_between(from: Date, to: Date) -> i64 {
    day_number(to) - day_number(from)
}

/// Days since 1 March of year 0 in the proleptic Gregorian calendar (the usual civil-to-days formula).
fn day_number(d: Date) -> i64 {
    let (m, day) = (i64::from(d.month()), i64::from(d.day()));
    let y = i64::from(d.year()) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe
}

/// `d`'s label in tables and charts: "31 Mar 2026".
pub fn date_label(d: Date) -> String {
    d.strftime("%-d %b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn day_arithmetic_agrees_with_the_calendar() {
        for (a, b) in [
            (date(2025, 4, 1), date(2026, 3, 31)),
            (date(2024, 2, 28), date(2024, 3, 1)),
            (date(1999, 12, 31), date(2000, 3, 1)),
            (date(2026, 11, 25), date(2016, 1, 1)),
        ] {
            let span = a.until(b).unwrap();
            assert_eq!(days_between(a, b), i64::from(span.get_days()), "{a} to {b}");
        }
    }
}
