//! What every chart plan shares: marks from figures, labels with periods and year flags, the
//! source line and "about this data", the 1000× rule, and the sets of figures to compare.

use super::view::{chart_view, table_rows, About, ChartView, MAX_RATIO};
use crate::charts::{Chart, Kind, Mark};
use crate::model::{format, Figure, ObsRef, Period, ReportKind, Site};
use crate::render::views::{bulletin_href, figure_value, metric_href, source_line, Link};

/// Oldest period first; ties in site order, so the output never depends on hashing.
pub(super) fn chronological(site: &Site, obs: &mut [ObsRef]) {
    obs.sort_by_key(|o| {
        (
            site.figure(*o).period.last_day(),
            o.bulletin,
            o.report,
            o.figure,
        )
    });
}

/// How many observations a chart over many bulletins draws: the most recent ones. A chart of
/// thousands of bars is unreadable (and megabytes); every observation stays in the page's table
/// of figures and in the indicator's CSV.
pub const MOST_RECENT: usize = 40;

/// Keep the `MOST_RECENT` latest observations, in chronological order; a note when some are
/// left out, for the chart's subtitle.
pub(super) fn most_recent(site: &Site, obs: &mut Vec<ObsRef>) -> String {
    chronological(site, obs);
    let total = obs.len();
    if total <= MOST_RECENT {
        return String::new();
    }
    obs.drain(..total - MOST_RECENT);
    format!(
        " Se muestran las {MOST_RECENT} cifras más recientes de {}; todas están en los datos descargables (CSV).",
        format::int(total as u64)
    )
}

/// A conflict as a mark's footnote: "El boletín también da 475,275 para esta cifra."
pub fn conflict_note(f: &Figure) -> Option<String> {
    f.conflict.as_ref().map(|c| {
        let others: Vec<String> = c.other_values.iter().map(|x| format::number(*x)).collect();
        format!(
            "El boletín también da {} para esta cifra.",
            others.join(", ")
        )
    })
}

/// A chart mark for a figure, in its indicator's colour.
pub(super) fn figure_mark(site: &Site, label: String, f: &Figure) -> Mark {
    Mark {
        label,
        group: None,
        value: f.value.as_f64(),
        value_label: figure_value(site, f),
        colour: site.metrics[f.metric].colour,
        qualified: f.qualifier.is_some(),
        // Only days the bulletin gives: a month or a year is not drawn as a line of days.
        span: f.period.exact(),
        footnote: conflict_note(f),
    }
}

/// What a year-inferred period's label carries, and the chart note that explains it.
pub(super) const YEAR_MARK: &str = "*";
pub(super) const YEAR_CHART_NOTE: &str = "* Año deducido del contexto: el boletín no lo indica.";

/// "10–12 sep 2021*": a period for a label, flagged when its year is inferred.
pub(super) fn period_label(p: &Period) -> String {
    let mut s = p.short_es();
    if !p.year_stated() {
        s.push_str(YEAR_MARK);
    }
    s
}

pub(super) fn period_with_days(p: &Period) -> String {
    match p.days() {
        Some(1) => format!("{} (1 día)", period_label(p)),
        Some(d) => format!("{} ({d} días)", period_label(p)),
        None => period_label(p),
    }
}

/// The chart notes for these observations: the year flag's meaning, where one is used.
pub(super) fn year_notes(site: &Site, obs: &[ObsRef]) -> Vec<String> {
    if obs.iter().any(|o| !site.figure(*o).period.year_stated()) {
        vec![YEAR_CHART_NOTE.to_string()]
    } else {
        Vec::new()
    }
}

pub(super) fn short_scope(site: &Site, scope: &[usize]) -> String {
    match scope {
        [one] => site.places[*one].name.clone(),
        many => format!("{} lugares", many.len()),
    }
}

pub(super) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// "Fuente: IMSS, boletines 154/2022; «…»."
pub(super) fn sources_line(site: &Site, obs: &[ObsRef]) -> String {
    let mut cites: Vec<String> = Vec::new();
    for o in obs {
        let b = &site.bulletins[o.bulletin];
        let cite = b
            .number
            .clone()
            .unwrap_or_else(|| format!("«{}»", truncate(&b.title, 60)));
        if !cites.contains(&cite) {
            cites.push(cite);
        }
    }
    let word = if cites.len() == 1 {
        "boletín"
    } else {
        "boletines"
    };
    format!("Fuente: IMSS, {word} {}.", cites.join("; "))
}

/// "About this data" for a chart of these observations.
pub(super) fn about(site: &Site, obs: &[ObsRef], period: String) -> About {
    let mut measures: Vec<(Link, String)> = Vec::new();
    let mut sources: Vec<Link> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    let add = |notes: &mut Vec<String>, n: String| {
        if !notes.contains(&n) {
            notes.push(n);
        }
    };
    for &o in obs {
        let f = site.figure(o);
        let m = &site.metrics[f.metric];
        let link = Link {
            text: m.label.clone(),
            href: metric_href(site, f.metric),
        };
        if !measures.iter().any(|(l, _)| l.href == link.href) {
            measures.push((link, m.definition.clone()));
        }
        let b = &site.bulletins[o.bulletin];
        let source = Link {
            text: source_line(b),
            href: bulletin_href(b),
        };
        if !sources.iter().any(|s| s.href == source.href) {
            sources.push(source);
        }
        let r = site.figure(o);
        if let Some(c) = &f.conflict {
            add(&mut notes, c.note.clone());
        }
        if let Some(n) = &f.note {
            add(&mut notes, n.clone());
        }
        if r.scope.len() > 1 {
            add(&mut notes, "Cuando una cifra abarca varios lugares, es el total conjunto de todos ellos, no la de cada uno.".into());
        }
        if !r.period.year_stated() {
            add(
                &mut notes,
                YEAR_CHART_NOTE.trim_start_matches("* ").to_string() + " Marcado con *.",
            );
        }
        if f.qualifier.is_some() {
            add(&mut notes, "«Más de», «alrededor de» y «casi» son los redondeos del boletín: la barra se dibuja más clara y con borde.".into());
        }
    }
    About {
        measures,
        period,
        sources,
        notes,
    }
}

pub(super) const EVENTS_ABOUT: &str = "Jornadas y eventos: lo logrado en unos pocos días. Cada cifra es el total de su jornada; la duración está en su etiqueta.";
pub(super) const CUMULATIVE_ABOUT: &str = "Acumulados: el total de un periodo largo, desde el inicio de la estrategia hasta la fecha de corte que da el boletín.";
pub(super) const STOCK_ABOUT: &str =
    "Conteos: cuántos había a una fecha (camas, unidades, pacientes), no lo logrado en un periodo.";
pub(super) const PER_DAY_ABOUT: &str = "Por día: la cifra dividida entre los días de su periodo, contando el primero y el último, para comparar periodos de distinta duración. Cada punto está a la altura de su cifra por día y su línea abarca los días del periodo.";

/// The chart as drawn, split where its numbers are more than `MAX_RATIO` apart: the larger ones
/// first, then the smaller on their own scale ("cifras menores"), so no bar is a sliver. `rows`
/// (one per mark) are the table, when it says more than the marks.
pub(super) fn within_range(
    chart: Chart,
    about: &About,
    rows: Option<Vec<(String, String)>>,
) -> Vec<ChartView> {
    let rows = rows.unwrap_or_else(|| table_rows(&chart));
    let max = chart.marks.iter().map(|m| m.value).fold(0.0, f64::max);
    let (mut big, mut small) = (Vec::new(), Vec::new());
    for (m, row) in chart.marks.iter().cloned().zip(rows) {
        if m.value <= 0.0 || m.value * MAX_RATIO >= max {
            big.push((m, row));
        } else {
            small.push((m, row));
        }
    }
    let split = |marks: Vec<(Mark, (String, String))>| -> (Vec<Mark>, Vec<(String, String)>) {
        marks.into_iter().unzip()
    };
    let (marks, rows) = split(big);
    let mut first = Chart {
        marks,
        ..chart.clone()
    };
    if small.is_empty() {
        return vec![chart_view(first, about.clone(), rows)];
    }
    first.notes.push(format!(
        "Las cifras menores que la milésima parte de {} están en otra gráfica, a su escala.",
        format::abbreviated(max)
    ));
    let mut out = vec![chart_view(first, about.clone(), rows)];
    let (marks, rows) = split(small);
    let rest = Chart {
        id: format!("{}-menores", chart.id),
        title: format!("{} (cifras menores)", chart.title),
        marks,
        ..chart
    };
    out.extend(within_range(rest, about, Some(rows)));
    out
}

/// The observations of metric `m` of one kind, oldest first.
pub(super) fn of_kind(site: &Site, m: usize, kinds: &[ReportKind]) -> Vec<ObsRef> {
    site.by_metric[m]
        .iter()
        .copied()
        .filter(|o| kinds.contains(&site.figure(*o).kind))
        .collect()
}

/// One bar per observation, in the order given.
pub(super) fn bars_chart(
    site: &Site,
    obs: &[ObsRef],
    id: String,
    title: String,
    subtitle: String,
    about_period: &str,
    label: impl Fn(ObsRef) -> String,
) -> Vec<ChartView> {
    let chart = Chart {
        id,
        kind: Kind::Bars,
        title,
        subtitle,
        source: sources_line(site, obs),
        marks: obs
            .iter()
            .map(|&o| figure_mark(site, label(o), site.figure(o)))
            .collect(),
        notes: year_notes(site, obs),
    };
    within_range(chart, &about(site, obs, about_period.to_string()), None)
}

/// The figures a per-day rate means something for: of an indicator that accrues by day, whole
/// numbers, over a period with days (jornadas and balances, not counts or targets).
pub(super) fn rated(site: &Site, obs: &[ObsRef]) -> Vec<ObsRef> {
    obs.iter()
        .copied()
        .filter(|o| {
            let r = site.figure(*o);
            let f = site.figure(*o);
            site.metrics[f.metric].per_day
                && f.value.scale == 0
                && matches!(r.kind, ReportKind::Cumulative | ReportKind::Event)
                && r.period.days().is_some()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::Kind;

    fn chart(values: &[f64]) -> Chart {
        Chart {
            id: "c".into(),
            kind: Kind::Bars,
            title: "t".into(),
            subtitle: "s".into(),
            source: "Fuente".into(),
            marks: values
                .iter()
                .map(|v| crate::charts::tests::mark("m", *v))
                .collect(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn numbers_more_than_a_thousand_times_apart_are_split() {
        let one = within_range(chart(&[35_919_359.0, 6_552_794.0]), &About::default(), None);
        assert_eq!(one.len(), 1);
        let two = within_range(
            chart(&[35_919_359.0, 471.0, 139_157.0, 17_779.0]),
            &About::default(),
            None,
        );
        let values: Vec<Vec<f64>> = two
            .iter()
            .map(|c| c.spec.marks.iter().map(|m| m.value).collect())
            .collect();
        assert_eq!(
            values,
            [vec![35_919_359.0, 139_157.0], vec![471.0, 17_779.0]]
        );
        assert_eq!(two[1].id, "c-menores");
        assert!(two[0].spec.notes[0].contains("otra gráfica"));
        assert!(two[1].spec.notes.is_empty());
        for c in &two {
            let v: Vec<f64> = c.spec.marks.iter().map(|m| m.value).collect();
            let (max, min) = (
                v.iter().cloned().fold(0.0, f64::max),
                v.iter().cloned().fold(f64::INFINITY, f64::min),
            );
            assert!(max / min <= MAX_RATIO);
        }
    }
}
