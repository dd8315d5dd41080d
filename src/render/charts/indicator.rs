//! An indicator's charts: its jornadas compared by value, their per-day rates over time, its
//! balances and their rates, its counts.

use super::marks::{
    about, bars_chart, figure_mark, most_recent, of_kind, period_label, period_with_days, rated,
    short_scope, sources_line, within_range, year_notes, CUMULATIVE_ABOUT, EVENTS_ABOUT,
    PER_DAY_ABOUT, STOCK_ABOUT, YEAR_MARK,
};
use super::view::ChartView;
use crate::charts::{Chart, Kind};
use crate::model::{format, ObsRef, ReportKind, Site};
use crate::render::views::value_text;

/// One kind of figure an indicator's page compares among themselves.
struct Set {
    kind: ReportKind,
    slug: &'static str,
    /// After the indicator's label: "Cirugías en cada jornada".
    title: &'static str,
    subtitle: &'static str,
    about: &'static str,
    /// Largest first (jornadas are compared by value); else oldest first.
    by_value: bool,
    /// The per-day trend's title after the label, for kinds whose figures accrue by day.
    per_day: Option<&'static str>,
    /// The places compared: "jornadas", "balances acumulados".
    places: &'static str,
}

const SETS: [Set; 3] = [
    Set {
        kind: ReportKind::Event,
        slug: "jornadas",
        title: " en cada jornada",
        subtitle: "Jornadas y eventos de pocos días, de mayor a menor. Entre paréntesis, los días de cada uno.",
        about: EVENTS_ABOUT,
        by_value: true,
        per_day: Some(" por día en cada jornada"),
        places: "jornadas",
    },
    Set {
        kind: ReportKind::Cumulative,
        slug: "acumulados",
        title: ": balances acumulados",
        subtitle: "Totales de periodos largos, del más antiguo al más reciente.",
        about: CUMULATIVE_ABOUT,
        by_value: false,
        per_day: Some(" por día en cada balance acumulado"),
        places: "balances acumulados",
    },
    Set {
        kind: ReportKind::Stock,
        slug: "conteos",
        title: ": conteos",
        subtitle: "Cuántos había a cada fecha, del conteo más antiguo al más reciente.",
        about: STOCK_ABOUT,
        by_value: false,
        per_day: None,
        places: "conteos",
    },
];

/// An indicator's charts, each comparing like with like: its jornadas by value, their per-day
/// rates over time, its cumulative balances and their per-day rates, its counts. Targets are
/// never drawn beside results. A set of fewer than two figures has nothing to compare: the
/// page's table shows it.
pub fn metric_charts(site: &Site, m: usize) -> Vec<ChartView> {
    let metric = &site.metrics[m];
    let mut out = Vec::new();
    let label = |o: ObsRef| {
        let r = site.figure(o);
        format!(
            "{} · {}",
            period_with_days(&r.period),
            short_scope(site, &r.scope)
        )
    };
    for set in &SETS {
        let all = of_kind(site, m, &[set.kind]);
        if all.len() >= 2 {
            let mut obs = all.clone();
            let note = most_recent(site, &mut obs);
            if set.by_value {
                obs.sort_by(|a, b| {
                    let value = |o: &ObsRef| site.figure(*o).value.as_f64();
                    value(b).total_cmp(&value(a))
                });
            }
            out.extend(bars_chart(
                site,
                &obs,
                format!("indicador-{}-{}", metric.slug, set.slug),
                format!("{}{}", metric.label, set.title),
                format!("{}{note}", set.subtitle),
                set.about,
                label,
            ));
        }
        // The places that report it on their own (not national, not a joint total), compared
        // by value within this kind of figure.
        let own: Vec<ObsRef> = all
            .iter()
            .copied()
            .filter(|o| match site.figure(*o).scope[..] {
                [p] => site.places[p].kind != crate::model::PlaceKind::National,
                _ => false,
            })
            .collect();
        let mut places: Vec<usize> = own.iter().map(|o| site.figure(*o).scope[0]).collect();
        places.sort_unstable();
        places.dedup();
        if places.len() >= 2 {
            let mut obs = own;
            let note = most_recent(site, &mut obs);
            obs.sort_by(|a, b| {
                let value = |o: &ObsRef| site.figure(*o).value.as_f64();
                value(b).total_cmp(&value(a))
            });
            out.extend(bars_chart(
                site,
                &obs,
                format!("indicador-{}-lugares-{}", metric.slug, set.slug),
                format!("{} por lugar: {}", metric.label, set.places),
                format!(
                    "Cifras de un solo lugar (no las conjuntas de varios), de mayor a menor.{note}"
                ),
                set.about,
                |o| {
                    let r = site.figure(o);
                    format!(
                        "{} · {}",
                        short_scope(site, &r.scope),
                        period_with_days(&r.period)
                    )
                },
            ));
        }
        if let Some(title) = set.per_day {
            out.extend(per_day_chart(
                site,
                &all,
                format!("indicador-{}-{}-por-dia", metric.slug, set.slug),
                format!("{}{title}", metric.label),
            ));
        }
    }
    out
}

/// The note naming the figures a per-day chart leaves out because the bulletin does not give
/// their days (only a month or a year, or no dates): they are not dropped silently.
fn without_days(site: &Site, obs: &[ObsRef]) -> Option<String> {
    let rated = rated(site, obs);
    let left: Vec<String> = obs
        .iter()
        .filter(|o| !rated.contains(o))
        .filter(|o| {
            let f = site.figure(**o);
            site.metrics[f.metric].per_day && f.value.scale == 0 && f.period.days().is_none()
        })
        .map(|&o| {
            let f = site.figure(o);
            format!(
                "{} · {}",
                period_label(&f.period),
                short_scope(site, &f.scope)
            )
        })
        .collect();
    (!left.is_empty()).then(|| {
        format!(
            "Sin cifra por día, porque el boletín no da sus días: {}.",
            left.join("; ")
        )
    })
}

/// Value per day of each observation (all of one kind), on a real time axis, so a 3-day and a
/// 7-day jornada compare honestly. Needs two or more.
pub(super) fn per_day_chart(
    site: &Site,
    obs: &[ObsRef],
    id: String,
    title: String,
) -> Vec<ChartView> {
    let undated = without_days(site, obs);
    let mut obs = rated(site, obs);
    // A trend needs two periods: rates of one jornada (a place and its part) are the table's.
    let first = obs.first().map(|o| site.figure(*o).period);
    if !obs.iter().any(|o| Some(site.figure(*o).period) != first) {
        return Vec::new();
    }
    let note = most_recent(site, &mut obs);
    let spans: Vec<(crate::model::Date, crate::model::Date)> = obs
        .iter()
        .filter_map(|o| site.figure(*o).period.exact())
        .collect();
    let (Some(from), Some(to)) = (
        spans.iter().map(|s| s.0).min(),
        spans.iter().map(|s| s.1).max(),
    ) else {
        return Vec::new();
    };
    let scopes_differ = obs
        .iter()
        .any(|o| site.figure(*o).scope != site.figure(obs[0]).scope);
    let marks = obs
        .iter()
        .map(|&o| {
            let r = site.figure(o);
            let f = site.figure(o);
            let days = r.period.days().unwrap_or(1);
            let rate = f.value.as_f64() / days as f64;
            let tag = if scopes_differ {
                short_scope(site, &r.scope)
            } else {
                String::new()
            };
            let mut mark = figure_mark(site, tag, f);
            mark.value = rate;
            let year = if r.period.year_stated() {
                ""
            } else {
                YEAR_MARK
            };
            mark.value_label = format!("{}/día{year}", format::rate(rate));
            mark
        })
        .collect::<Vec<_>>();
    let scope = if scopes_differ {
        String::new()
    } else {
        format!(" {}.", site.scope_names(&site.figure(obs[0]).scope))
    };
    let chart = Chart {
        id,
        kind: Kind::Trend { from, to },
        title,
        subtitle: format!(
            "Cifra dividida entre los días de su periodo; cada línea abarca esos días.{scope}{note}"
        ),
        source: sources_line(site, &obs),
        marks,
        notes: year_notes(site, &obs).into_iter().chain(undated).collect(),
    };
    // The table states each rate with the figure and days it comes from.
    let rows = obs
        .iter()
        .zip(&chart.marks)
        .map(|(o, m)| {
            let r = site.figure(*o);
            let f = site.figure(*o);
            let value = match &m.footnote {
                Some(n) => format!("{} ({n})", m.value_label),
                None => m.value_label.clone(),
            };
            (
                format!(
                    "{} · {}",
                    period_with_days(&r.period),
                    short_scope(site, &r.scope)
                ),
                format!(
                    "{value} ({} en {} días)",
                    value_text(f.value, f.qualifier),
                    r.period.days().unwrap_or(1)
                ),
            )
        })
        .collect();
    within_range(
        chart,
        &about(site, &obs, PER_DAY_ABOUT.to_string()),
        Some(rows),
    )
}
