//! Dates and periods as a bulletin states them: to the day, the month or the year, or
//! `unknown`. Checks that a period fits its kind of figure (a balance covers days, a count is
//! at a date) and does not end after the bulletin came out. Used for reports and for figures
//! that set their own period.

use super::pos;
use crate::diagnostics::{Diagnostics, Pos, SourceFile};
use crate::load::schema::{DateText, PeriodField, ReportKind, S};
use crate::model::date::days_between;
use crate::model::{PartialDate, Period};

/// Years a figure's dates may plausibly fall in (IMSS was founded in 1943).
const YEARS: std::ops::RangeInclusive<i32> = 1943..=2100;
/// The longest period a bulletin figure may cover: ten years.
const MAX_PERIOD_DAYS: i64 = 3653;

/// A date as written (`2021-09-12`, `2021-09`, `2021`), or a located error.
pub(super) fn date(
    f: &SourceFile,
    s: &S<DateText>,
    diags: &mut Diagnostics,
) -> Option<PartialDate> {
    match PartialDate::parse(&s.value.0) {
        Ok(d) if YEARS.contains(&d.year()) => Some(d),
        Ok(d) => {
            diags.push(
                f.error(pos(s), format!("year {} is implausible", d.year()))
                    .with_hint(format!(
                        "dates must fall between {} and {}",
                        YEARS.start(),
                        YEARS.end()
                    )),
            );
            None
        }
        Err(e) => {
            diags.push(f.error(pos(s), e).with_hint(
                "write dates as YYYY-MM-DD, e.g. 2021-09-12; YYYY-MM or YYYY only when the source gives no day",
            ));
            None
        }
    }
}

/// A period as written; `None` when its dates are wrong (already reported).
pub(super) fn parse(f: &SourceFile, p: &S<PeriodField>, diags: &mut Diagnostics) -> Option<Period> {
    let spec = match &p.value {
        PeriodField::Unknown => return Some(Period::Unstated),
        PeriodField::Dates(spec) => spec,
    };
    let start = spec.start.as_ref().map(|d| date(f, d, diags));
    let end = spec.end.as_ref().map(|d| date(f, d, diags));
    let as_of = spec.as_of.as_ref().map(|d| date(f, d, diags));
    match (start, end, as_of) {
        (Some(start), Some(end), None) => {
            let (start, end) = (start?, end?);
            if start.first() > end.last() {
                diags.push(
                    f.error(
                        pos(spec.end.as_ref()?),
                        format!("the period ends ({end}) before it starts ({start})"),
                    )
                    .with_hint("swap `start` and `end`"),
                );
                return None;
            }
            let days = days_between(start.first(), end.last());
            if days > MAX_PERIOD_DAYS {
                diags.push(
                    f.error(pos(p), format!("a period of {days} days is implausible for a bulletin"))
                        .with_hint(format!("periods longer than {MAX_PERIOD_DAYS} days are almost always a typo in a year; check `start` and `end`")),
                );
                return None;
            }
            Some(Period::Range {
                start,
                end,
                year_stated: spec.year_stated,
            })
        }
        (None, None, Some(as_of)) => as_of.map(|date| Period::AsOf {
            date,
            year_stated: spec.year_stated,
        }),
        (None, None, None) => {
            diags.push(
                f.error(pos(p), "the period gives no dates")
                    .with_hint("write `{ start: …, end: … }` or `{ as_of: … }`, or `period: unknown` when the source gives none"),
            );
            None
        }
        _ => {
            diags.push(
                f.error(
                    pos(p),
                    "a period has either both `start` and `end`, or only `as_of`",
                )
                .with_hint("`start`/`end` for counts over days, `as_of` for a count at one date"),
            );
            None
        }
    }
}

/// Whether `period` (written at `at`, or missing) suits figures of `kind`, and ends no later
/// than the bulletin's date. `written` is false when no period was given at all.
pub(super) fn check_fits(
    f: &SourceFile,
    kind: ReportKind,
    period: Period,
    written: bool,
    at: Pos,
    published: Option<PartialDate>,
    diags: &mut Diagnostics,
) {
    let fits = match kind {
        ReportKind::Cumulative | ReportKind::Event => {
            matches!(period, Period::Range { .. }) || (written && period == Period::Unstated)
        }
        ReportKind::Stock => !matches!(period, Period::Range { .. }),
        ReportKind::Target => true,
    };
    if !fits && !written {
        diags.push(
            f.error(at, format!("figures of kind `{}` need a period", super::kind_name(kind)))
                .with_hint("add `period: { start: YYYY-MM-DD, end: YYYY-MM-DD }` (YYYY-MM or YYYY when the source gives no day), or `period: unknown` when the source gives no dates; use kind `stock` for a count without a period"),
        );
    } else if !fits {
        let hint = if kind == ReportKind::Stock {
            "a stock is counted at one date: use `as_of`, or kind `cumulative` for a total over days"
        } else {
            "give `start` and `end`: a total or an event covers days (or `unknown`)"
        };
        diags.push(
            f.error(
                at,
                format!(
                    "this period does not fit figures of kind `{}`",
                    super::kind_name(kind)
                ),
            )
            .with_hint(hint),
        );
    }
    let ends = match period {
        Period::Range { end, .. } | Period::AsOf { date: end, .. } => Some(end),
        Period::Unstated => None,
    };
    if let (Some(published), Some(end)) = (published, ends) {
        // Only when it certainly ends later: "2021" does not end after "2021-09-12".
        if end.first() > published.last() && kind != ReportKind::Target {
            diags.push(
                f.error(
                    at,
                    format!("the period ends on {end}, after the bulletin's date {published}"),
                )
                .with_hint(
                    "a bulletin reports the past; check both dates (use kind `target` for goals)",
                ),
            );
        }
    }
}
