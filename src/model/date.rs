//! Calendar dates: parsing `YYYY-MM-DD`, day counts for per-day rates, and Spanish formatting.
//! Small enough to keep here rather than pull in a date-time crate.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

pub const MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

const MONTHS_SHORT: [&str; 12] = [
    "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic",
];

impl Date {
    /// Parse an ISO date `YYYY-MM-DD`, checking that the day exists in that month.
    pub fn parse(s: &str) -> Result<Date, String> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !shape_ok {
            return Err(format!("`{s}` is not a date in the form YYYY-MM-DD"));
        }
        let year: i32 = s[0..4].parse().map_err(|_| format!("bad year in `{s}`"))?;
        let month: u8 = s[5..7].parse().map_err(|_| format!("bad month in `{s}`"))?;
        let day: u8 = s[8..10].parse().map_err(|_| format!("bad day in `{s}`"))?;
        if !(1..=12).contains(&month) {
            return Err(format!("`{s}` has month {month}; months go from 01 to 12"));
        }
        let max = days_in_month(year, month);
        if day == 0 || day > max {
            return Err(format!(
                "`{s}` does not exist: month {month:02} of {year} has {max} days"
            ));
        }
        Ok(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    pub fn ordinal(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01: the inverse of `ordinal` (Hinnant's civil_from_days).
    pub fn from_ordinal(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// "12 de septiembre de 2021"
    pub fn long_es(self) -> String {
        format!(
            "{} de {} de {}",
            self.day,
            MONTHS[self.month as usize - 1],
            self.year
        )
    }

    /// "12 sep 2021", for chart labels where space is short.
    pub fn short_es(self) -> String {
        format!(
            "{} {} {}",
            self.day,
            MONTHS_SHORT[self.month as usize - 1],
            self.year
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A date the source gives to the day, only to the month ("en mayo de 2022") or only to the
/// year ("durante 2021"). Written `YYYY-MM-DD`, `YYYY-MM` or `YYYY` in the YAML. It covers the
/// days from `first` to `last`; sorting uses both so it is never placed before days it could
/// be after, and nothing that needs a day (a per-day rate, a feed date) gets one invented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartialDate {
    Day(Date),
    Month { year: i32, month: u8 },
    Year(i32),
}

impl PartialDate {
    /// Parse `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub fn parse(s: &str) -> Result<PartialDate, String> {
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        match s.len() {
            4 if digits(s) => Ok(PartialDate::Year(s.parse().map_err(|_| bad(s))?)),
            7 if digits(&s[..4]) && &s[4..5] == "-" && digits(&s[5..]) => {
                let year: i32 = s[..4].parse().map_err(|_| bad(s))?;
                let month: u8 = s[5..].parse().map_err(|_| bad(s))?;
                if !(1..=12).contains(&month) {
                    return Err(format!("`{s}` has month {month}; months go from 01 to 12"));
                }
                Ok(PartialDate::Month { year, month })
            }
            10 => Date::parse(s).map(PartialDate::Day),
            _ => Err(bad(s)),
        }
    }

    /// The first day it may be.
    pub fn first(self) -> Date {
        match self {
            PartialDate::Day(d) => d,
            PartialDate::Month { year, month } => Date {
                year,
                month,
                day: 1,
            },
            PartialDate::Year(year) => Date {
                year,
                month: 1,
                day: 1,
            },
        }
    }

    /// The last day it may be.
    pub fn last(self) -> Date {
        match self {
            PartialDate::Day(d) => d,
            PartialDate::Month { year, month } => Date {
                year,
                month,
                day: days_in_month(year, month),
            },
            PartialDate::Year(year) => Date {
                year,
                month: 12,
                day: 31,
            },
        }
    }

    /// The day, when the source gives it.
    pub fn day(self) -> Option<Date> {
        match self {
            PartialDate::Day(d) => Some(d),
            _ => None,
        }
    }

    pub fn year(self) -> i32 {
        self.first().year
    }

    /// "12 de septiembre de 2021", "septiembre de 2021", "2021".
    pub fn long_es(self) -> String {
        match self {
            PartialDate::Day(d) => d.long_es(),
            PartialDate::Month { year, month } => {
                format!("{} de {year}", MONTHS[month as usize - 1])
            }
            PartialDate::Year(year) => year.to_string(),
        }
    }

    /// "12 sep 2021", "sep 2021", "2021".
    pub fn short_es(self) -> String {
        match self {
            PartialDate::Day(d) => d.short_es(),
            PartialDate::Month { year, month } => {
                format!("{} {year}", MONTHS_SHORT[month as usize - 1])
            }
            PartialDate::Year(year) => year.to_string(),
        }
    }
}

fn bad(s: &str) -> String {
    format!("`{s}` is not a date in the form YYYY-MM-DD (or YYYY-MM, or YYYY, when the source gives only the month or the year)")
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Day(d) => d.fmt(f),
            PartialDate::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            PartialDate::Year(year) => write!(f, "{year:04}"),
        }
    }
}

/// "del 10 al 12 de septiembre de 2021", "de abril a junio de 2022", "de 3 de mayo de 2022 a
/// 2023": a range whose ends may be partial.
pub fn partial_range_es(start: PartialDate, end: PartialDate) -> String {
    partial_range(start, end, true)
}

/// "10–12 sep 2021", "abr–jun 2022": compact, for chart labels.
pub fn partial_range_short_es(start: PartialDate, end: PartialDate) -> String {
    partial_range(start, end, false)
}

fn partial_range(start: PartialDate, end: PartialDate, long: bool) -> String {
    let text = |d: PartialDate| if long { d.long_es() } else { d.short_es() };
    match (start, end) {
        (PartialDate::Day(s), PartialDate::Day(e)) if long => range_es(s, e),
        (PartialDate::Day(s), PartialDate::Day(e)) => range_short_es(s, e),
        _ if start == end => text(start),
        (
            PartialDate::Month {
                year: ys,
                month: ms,
            },
            PartialDate::Month {
                year: ye,
                month: me,
            },
        ) if ys == ye => {
            let names = if long { &MONTHS } else { &MONTHS_SHORT };
            let (a, b) = (names[ms as usize - 1], names[me as usize - 1]);
            if long {
                format!("de {a} a {b} de {ye}")
            } else {
                format!("{a}–{b} {ye}")
            }
        }
        _ if long => format!("de {} a {}", text(start), text(end)),
        _ => format!("{}–{}", text(start), text(end)),
    }
}

/// Inclusive day count: 10–12 September is 3 days.
pub fn days_between(start: Date, end: Date) -> i64 {
    end.ordinal() - start.ordinal() + 1
}

/// "del 10 al 12 de septiembre de 2021", "del 1 de abril al 12 de septiembre de 2021".
pub fn range_es(start: Date, end: Date) -> String {
    if start == end {
        return start.long_es();
    }
    if start.year == end.year && start.month == end.month {
        format!("del {} al {}", start.day, end.long_es())
    } else if start.year == end.year {
        format!(
            "del {} de {} al {}",
            start.day,
            MONTHS[start.month as usize - 1],
            end.long_es()
        )
    } else {
        format!("del {} al {}", start.long_es(), end.long_es())
    }
}

/// "10–12 sep 2021", "1 abr–12 sep 2021": compact, for chart labels.
pub fn range_short_es(start: Date, end: Date) -> String {
    if start == end {
        return start.short_es();
    }
    if start.year == end.year && start.month == end.month {
        format!("{}–{}", start.day, end.short_es())
    } else if start.year == end.year {
        format!(
            "{} {}–{}",
            start.day,
            MONTHS_SHORT[start.month as usize - 1],
            end.short_es()
        )
    } else {
        format!("{}–{}", start.short_es(), end.short_es())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(d("2021-09-12").long_es(), "12 de septiembre de 2021");
        assert!(Date::parse("2021-02-29").unwrap_err().contains("28 days"));
        assert!(Date::parse("2020-02-29").is_ok());
        assert!(Date::parse("2021-13-01").is_err());
        assert!(Date::parse("12/09/2021").is_err());
        assert!(Date::parse("2021-9-12").is_err());
    }

    #[test]
    fn counts_days_inclusively() {
        assert_eq!(days_between(d("2021-09-10"), d("2021-09-12")), 3);
        assert_eq!(days_between(d("2021-04-01"), d("2021-09-12")), 165);
        assert_eq!(d("1970-01-01").ordinal(), 0);
        assert_eq!(days_between(d("2020-12-31"), d("2021-01-01")), 2);
        for s in [
            "1970-01-01",
            "2000-02-29",
            "2021-12-31",
            "1943-01-19",
            "2100-03-01",
        ] {
            assert_eq!(Date::from_ordinal(d(s).ordinal()), d(s));
        }
    }

    #[test]
    fn partial_dates_parse_cover_their_days_and_read_in_spanish() {
        let p = |s: &str| PartialDate::parse(s).unwrap();
        assert_eq!(p("2021"), PartialDate::Year(2021));
        assert_eq!(
            (p("2021").first(), p("2021").last()),
            (d("2021-01-01"), d("2021-12-31"))
        );
        assert_eq!(
            (p("2024-02").first(), p("2024-02").last()),
            (d("2024-02-01"), d("2024-02-29"))
        );
        assert_eq!(p("2021-09-12"), PartialDate::Day(d("2021-09-12")));
        assert_eq!(p("2022-05").long_es(), "mayo de 2022");
        assert_eq!(p("2022-05").short_es(), "may 2022");
        assert_eq!(p("2021").long_es(), "2021");
        assert_eq!(p("2022-05").to_string(), "2022-05");
        assert_eq!(p("2022-05").day(), None);
        assert!(PartialDate::parse("2022-13")
            .unwrap_err()
            .contains("month 13"));
        assert!(PartialDate::parse("22").unwrap_err().contains("YYYY-MM"));
        assert!(PartialDate::parse("2021-02-30").is_err());
        assert!(PartialDate::parse("unknown").is_err());
        assert_eq!(
            partial_range_es(p("2022-04"), p("2022-06")),
            "de abril a junio de 2022"
        );
        assert_eq!(
            partial_range_short_es(p("2022-04"), p("2022-06")),
            "abr–jun 2022"
        );
        assert_eq!(partial_range_es(p("2022-05"), p("2022-05")), "mayo de 2022");
        assert_eq!(
            partial_range_es(p("2021-09-10"), p("2021-09-12")),
            "del 10 al 12 de septiembre de 2021"
        );
    }

    #[test]
    fn formats_ranges_in_spanish() {
        assert_eq!(
            range_es(d("2021-09-10"), d("2021-09-12")),
            "del 10 al 12 de septiembre de 2021"
        );
        assert_eq!(
            range_es(d("2021-04-01"), d("2021-09-12")),
            "del 1 de abril al 12 de septiembre de 2021"
        );
        assert_eq!(
            range_short_es(d("2021-04-01"), d("2021-09-12")),
            "1 abr–12 sep 2021"
        );
    }
}
