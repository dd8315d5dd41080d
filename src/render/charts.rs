//! Which charts the site shows, planned from the model by the chart rules (README, "Chart
//! rules"): like with like (a report's figures of one group; jornadas with jornadas; balances
//! with balances; counts with counts), per-day rates on a real time axis, one colour per
//! indicator, nothing more than 1000× apart in one chart. Drawing is `crate::charts`'s job.
//! Each chart is drawn twice (a wide and a phone layout) and gets downloads (SVG, CSV) and an
//! embed page at stable URLs under `graficas/`.

use std::sync::Arc;

use serde::Serialize;

use super::views::{bulletin_href, kind_label, metric_href, source_line, value_text, Link};
use crate::charts::{self, Chart, Kind, Mark};
use crate::model::{format, Figure, Group, ObsRef, Period, ReportKind, Site};

/// A chart as templates see it: the drawing, its table, downloads and "about this data".
#[derive(Serialize, Clone)]
pub struct ChartView {
    /// What was drawn, for the downloads and social cards; templates use the fields below.
    #[serde(skip)]
    pub spec: Chart,
    /// `spec.fingerprint()`, computed once: `serve` keys its memo with it.
    #[serde(skip)]
    pub fingerprint: u64,
    pub id: String,
    /// Shared: a drawing appears in pages, downloads and `serve`'s memo without copies.
    pub svg: Arc<str>,
    pub svg_narrow: Arc<str>,
    pub caption: String,
    /// Label and value of each mark, for the table under the chart.
    pub rows: Vec<(String, String)>,
    /// Downloads and embed page, relative to the site root.
    pub files: ChartFiles,
    pub about: About,
    /// The embed snippet's height without script: the taller of the two layouts plus the page
    /// around it (a script in the snippet then fits the frame to its content).
    pub embed_height: i32,
}

/// "About this data": what a reader needs to use the chart's numbers.
#[derive(Serialize, Clone, Default)]
pub struct About {
    /// Each indicator shown, with its definition.
    pub measures: Vec<(Link, String)>,
    /// The kind of figures and how their periods compare.
    pub period: String,
    pub sources: Vec<Link>,
    pub notes: Vec<String>,
}

#[derive(Serialize, Clone)]
pub struct ChartFiles {
    pub svg: String,
    pub csv: String,
    pub embed: String,
}

impl ChartFiles {
    fn new(id: &str) -> Self {
        ChartFiles {
            svg: format!("graficas/{id}.svg"),
            csv: format!("graficas/{id}.csv"),
            embed: format!("graficas/{id}/"),
        }
    }
}

/// No chart holds numbers more than this many times apart: the smaller ones would be slivers.
pub const MAX_RATIO: f64 = 1000.0;

/// A chart's view, its SVGs still empty: `SiteCharts::draw` draws them all in one parallel pass.
/// `rows` are its table, one per mark.
fn chart_view(chart: Chart, about: About, rows: Vec<(String, String)>) -> ChartView {
    ChartView {
        id: chart.id.clone(),
        svg: Arc::from(""),
        svg_narrow: Arc::from(""),
        caption: chart.title.clone(),
        rows,
        files: ChartFiles::new(&chart.id),
        fingerprint: chart.fingerprint(),
        about,
        embed_height: 640,
        spec: chart,
    }
}

/// The table of a chart: each mark's name and value as drawn, with its caveat.
fn table_rows(chart: &Chart) -> Vec<(String, String)> {
    chart
        .marks
        .iter()
        .map(|m| {
            let value = match &m.footnote {
                Some(n) => format!("{} ({n})", m.value_label),
                None => m.value_label.clone(),
            };
            (mark_name(m), value)
        })
        .collect()
}

/// A mark as a table row or CSV line names it: "10–12 sep 2021 · Nacional · Especialidad".
fn mark_name(m: &Mark) -> String {
    match (&m.group, m.label.is_empty()) {
        (Some(g), false) => format!("{g} · {}", m.label),
        (Some(g), true) => g.clone(),
        (None, _) => m.label.clone(),
    }
}

/// The chart's numbers as CSV: one row per mark, in drawing order, named as in its table.
pub fn csv(view: &ChartView) -> Result<Vec<u8>, String> {
    let chart = &view.spec;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "label",
        "value",
        "value_text",
        "period_start",
        "period_end",
        "note",
    ];
    w.write_record(header).map_err(|e| e.to_string())?;
    for (m, (name, _)) in chart.marks.iter().zip(&view.rows) {
        let (start, end) = m
            .span
            .map(|(s, e)| (s.to_string(), e.to_string()))
            .unwrap_or_default();
        let value = format!("{}", (m.value * 1e6).round() / 1e6);
        w.write_record([
            name.as_str(),
            value.as_str(),
            m.value_label.as_str(),
            start.as_str(),
            end.as_str(),
            m.footnote.as_deref().unwrap_or(""),
        ])
        .map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// Oldest period first; ties in site order, so the output never depends on hashing.
fn chronological(site: &Site, obs: &mut [ObsRef]) {
    obs.sort_by_key(|o| {
        (
            site.report(*o).period.last_day(),
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
fn most_recent(site: &Site, obs: &mut Vec<ObsRef>) -> String {
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
fn figure_mark(site: &Site, label: String, f: &Figure, period: &Period) -> Mark {
    Mark {
        label,
        group: None,
        value: f.value.as_f64(),
        value_label: value_text(f.value, f.qualifier),
        colour: site.metrics[f.metric].colour,
        qualified: f.qualifier.is_some(),
        span: match *period {
            Period::Range { start, end, .. } => Some((start, end)),
            Period::AsOf(d) => Some((d, d)),
            Period::Unstated => None,
        },
        footnote: conflict_note(f),
    }
}

/// What a year-inferred period's label carries, and the chart note that explains it.
const YEAR_MARK: &str = "*";
const YEAR_CHART_NOTE: &str = "* Año deducido del contexto: el boletín no lo indica.";

/// "10–12 sep 2021*": a period for a label, flagged when its year is inferred.
fn period_label(p: &Period) -> String {
    let mut s = p.short_es();
    if !p.year_stated() {
        s.push_str(YEAR_MARK);
    }
    s
}

fn period_with_days(p: &Period) -> String {
    match p.days() {
        Some(1) => format!("{} (1 día)", period_label(p)),
        Some(d) => format!("{} ({d} días)", period_label(p)),
        None => period_label(p),
    }
}

/// The chart notes for these observations: the year flag's meaning, where one is used.
fn year_notes(site: &Site, obs: &[ObsRef]) -> Vec<String> {
    if obs.iter().any(|o| !site.report(*o).period.year_stated()) {
        vec![YEAR_CHART_NOTE.to_string()]
    } else {
        Vec::new()
    }
}

fn short_scope(site: &Site, scope: &[usize]) -> String {
    match scope {
        [one] => site.places[*one].name.clone(),
        many => format!("{} lugares", many.len()),
    }
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// "Fuente: IMSS, boletines 154/2022; «…»."
fn sources_line(site: &Site, obs: &[ObsRef]) -> String {
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
fn about(site: &Site, obs: &[ObsRef], period: String) -> About {
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
        let r = site.report(o);
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
            add(&mut notes, "«Más de» y «alrededor de» son los redondeos del boletín: la barra se dibuja más clara y con borde.".into());
        }
    }
    About {
        measures,
        period,
        sources,
        notes,
    }
}

const EVENTS_ABOUT: &str = "Jornadas y eventos: lo logrado en unos pocos días. Cada cifra es el total de su jornada; la duración está en su etiqueta.";
const CUMULATIVE_ABOUT: &str = "Acumulados: el total de un periodo largo, desde el inicio de la estrategia hasta la fecha de corte que da el boletín.";
const STOCK_ABOUT: &str =
    "Conteos: cuántos había a una fecha (camas, unidades, pacientes), no lo logrado en un periodo.";
const PER_DAY_ABOUT: &str = "Por día: la cifra dividida entre los días de su periodo, contando el primero y el último, para comparar periodos de distinta duración. Cada punto está a la altura de su cifra por día y su línea abarca los días del periodo.";

/// One chart per group of comparable figures in a report (same group, two or more figures: they
/// share a period and a scope), leaving out a total when its parts are drawn, as a total would
/// dwarf them.
pub fn report_charts(site: &Site, bi: usize, ri: usize) -> Vec<ChartView> {
    let b = &site.bulletins[bi];
    let r = &b.reports[ri];
    let groups = [
        (Group::Consultations, "Consultas"),
        (Group::Surgeries, "Cirugías"),
        (Group::Transplants, "Trasplantes por órgano"),
        (Group::Screenings, "Detecciones"),
    ];
    let mut out = Vec::new();
    for (group, title) in groups {
        let mut figs: Vec<(usize, &Figure)> = r
            .figures
            .iter()
            .enumerate()
            .filter(|(_, f)| site.metrics[f.metric].group == group)
            .collect();
        let drawn: Vec<usize> = figs.iter().map(|(_, f)| f.metric).collect();
        figs.retain(|(_, f)| {
            let children = &site.metrics[f.metric].children;
            children.is_empty() || !children.iter().any(|c| drawn.contains(c))
        });
        if figs.len() < 2 {
            continue;
        }
        figs.sort_by_key(|(_, f)| std::cmp::Reverse(f.value));
        let total_note = r
            .figures
            .iter()
            .find(|f| {
                site.metrics[f.metric].group == group
                    && !site.metrics[f.metric].children.is_empty()
                    && !figs.iter().any(|(_, g)| g.metric == f.metric)
            })
            .map(|f| format!(" Total: {}.", value_text(f.value, f.qualifier)))
            .unwrap_or_default();
        let obs: Vec<ObsRef> = figs
            .iter()
            .map(|(fi, _)| ObsRef {
                bulletin: bi,
                report: ri,
                figure: *fi,
            })
            .collect();
        let mut notes = year_notes(site, &obs);
        if !notes.is_empty() {
            notes =
                vec!["Año del periodo deducido del contexto: el boletín no lo indica.".to_string()];
        }
        let chart = Chart {
            id: format!("{}-{}-{}", b.slug, r.id, group_slug(group)),
            kind: Kind::Bars,
            title: format!("{title}: {}", r.title),
            subtitle: format!(
                "{}, {}. {}.{total_note}",
                kind_label(r.kind),
                r.period.long_es(),
                site.scope_names(&r.scope)
            ),
            source: source_line(b),
            marks: figs
                .iter()
                .map(|(_, f)| figure_mark(site, site.metrics[f.metric].label.clone(), f, &r.period))
                .collect(),
            notes,
        };
        let period = format!(
            "{} {}, {}: cifras del mismo periodo y lugar.",
            kind_label(r.kind),
            r.period.long_es(),
            site.scope_names(&r.scope)
        );
        out.extend(within_range(chart, &about(site, &obs, period), None));
    }
    out
}

fn group_slug(g: Group) -> &'static str {
    match g {
        Group::Consultations => "consultas",
        Group::Surgeries => "cirugias",
        Group::Transplants => "trasplantes",
        Group::Screenings => "detecciones",
        Group::Rehabilitation => "rehabilitacion",
        Group::Capacity => "capacidad",
        Group::Other => "otros",
    }
}

/// The chart as drawn, split where its numbers are more than `MAX_RATIO` apart: the larger ones
/// first, then the smaller on their own scale ("cifras menores"), so no bar is a sliver. `rows`
/// (one per mark) are the table, when it says more than the marks.
fn within_range(
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
fn of_kind(site: &Site, m: usize, kinds: &[ReportKind]) -> Vec<ObsRef> {
    site.by_metric[m]
        .iter()
        .copied()
        .filter(|o| kinds.contains(&site.report(*o).kind))
        .collect()
}

/// An indicator's charts, each comparing like with like: its jornadas by value, their per-day
/// rates over time, its cumulative balances and their per-day rates, its counts. Targets are
/// never drawn beside results. A set of fewer than two figures has nothing to compare: the
/// page's table shows it.
pub fn metric_charts(site: &Site, m: usize) -> Vec<ChartView> {
    let metric = &site.metrics[m];
    let mut out = Vec::new();
    let label = |o: ObsRef| {
        let r = site.report(o);
        format!(
            "{} · {}",
            period_with_days(&r.period),
            short_scope(site, &r.scope)
        )
    };
    let events = of_kind(site, m, &[ReportKind::Event]);
    if events.len() >= 2 {
        let mut obs = events.clone();
        let note = most_recent(site, &mut obs);
        // Compared by value: the largest first.
        obs.sort_by(|a, b| {
            site.figure(*b)
                .value
                .as_f64()
                .total_cmp(&site.figure(*a).value.as_f64())
        });
        out.extend(bars_chart(
            site,
            &obs,
            format!("indicador-{}-jornadas", metric.slug),
            format!("{} en cada jornada", metric.label),
            format!("Jornadas y eventos de pocos días, de mayor a menor. Entre paréntesis, los días de cada uno.{note}"),
            EVENTS_ABOUT,
            label,
        ));
    }
    out.extend(per_day_chart(
        site,
        &events,
        format!("indicador-{}-jornadas-por-dia", metric.slug),
        format!("{} por día en cada jornada", metric.label),
    ));
    let balances = of_kind(site, m, &[ReportKind::Cumulative]);
    if balances.len() >= 2 {
        let mut obs = balances.clone();
        let note = most_recent(site, &mut obs);
        out.extend(bars_chart(
            site,
            &obs,
            format!("indicador-{}-acumulados", metric.slug),
            format!("{}: balances acumulados", metric.label),
            format!("Totales de periodos largos, del más antiguo al más reciente.{note}"),
            CUMULATIVE_ABOUT,
            label,
        ));
    }
    out.extend(per_day_chart(
        site,
        &balances,
        format!("indicador-{}-acumulados-por-dia", metric.slug),
        format!("{} por día en cada balance acumulado", metric.label),
    ));
    let mut counts = of_kind(site, m, &[ReportKind::Stock]);
    if counts.len() >= 2 {
        let note = most_recent(site, &mut counts);
        out.extend(bars_chart(
            site,
            &counts,
            format!("indicador-{}-conteos", metric.slug),
            format!("{}: conteos", metric.label),
            format!("Cuántos había a cada fecha, del conteo más antiguo al más reciente.{note}"),
            STOCK_ABOUT,
            |o| {
                let r = site.report(o);
                format!(
                    "{} · {}",
                    period_label(&r.period),
                    short_scope(site, &r.scope)
                )
            },
        ));
    }
    out
}

/// One bar per observation, in the order given.
fn bars_chart(
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
            .map(|&o| figure_mark(site, label(o), site.figure(o), &site.report(o).period))
            .collect(),
        notes: year_notes(site, obs),
    };
    within_range(chart, &about(site, obs, about_period.to_string()), None)
}

/// The figures a per-day rate means something for: of an indicator that accrues by day, whole
/// numbers, over a period with days (jornadas and balances, not counts or targets).
fn rated(site: &Site, obs: &[ObsRef]) -> Vec<ObsRef> {
    obs.iter()
        .copied()
        .filter(|o| {
            let r = site.report(*o);
            let f = site.figure(*o);
            site.metrics[f.metric].per_day
                && f.value.scale == 0
                && matches!(r.kind, ReportKind::Cumulative | ReportKind::Event)
                && r.period.days().is_some()
        })
        .collect()
}

/// Value per day of each observation (all of one kind), on a real time axis, so a 3-day and a
/// 7-day jornada compare honestly. Needs two or more.
fn per_day_chart(site: &Site, obs: &[ObsRef], id: String, title: String) -> Vec<ChartView> {
    let mut obs = rated(site, obs);
    // A trend needs two periods: rates of one jornada (a place and its part) are the table's.
    let first = obs.first().map(|o| site.report(*o).period);
    if !obs.iter().any(|o| Some(site.report(*o).period) != first) {
        return Vec::new();
    }
    let note = most_recent(site, &mut obs);
    let spans: Vec<(crate::model::Date, crate::model::Date)> = obs
        .iter()
        .filter_map(|o| match site.report(*o).period {
            Period::Range { start, end, .. } => Some((start, end)),
            _ => None,
        })
        .collect();
    let (Some(from), Some(to)) = (
        spans.iter().map(|s| s.0).min(),
        spans.iter().map(|s| s.1).max(),
    ) else {
        return Vec::new();
    };
    let scopes_differ = obs
        .iter()
        .any(|o| site.report(*o).scope != site.report(obs[0]).scope);
    let marks = obs
        .iter()
        .map(|&o| {
            let r = site.report(o);
            let f = site.figure(o);
            let days = r.period.days().unwrap_or(1);
            let rate = f.value.as_f64() / days as f64;
            let tag = if scopes_differ {
                short_scope(site, &r.scope)
            } else {
                String::new()
            };
            let mut mark = figure_mark(site, tag, f, &r.period);
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
        format!(" {}.", site.scope_names(&site.report(obs[0]).scope))
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
        notes: year_notes(site, &obs),
    };
    // The table states each rate with the figure and days it comes from.
    let rows = obs
        .iter()
        .zip(&chart.marks)
        .map(|(o, m)| {
            let r = site.report(*o);
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

/// Home: consultations of specialty and of family medicine in each jornada, newest first,
/// each jornada a heading over its two bars (the two indicators in their own colours).
fn consultations_by_jornada(site: &Site) -> Vec<ChartView> {
    let metrics: Vec<usize> = ["consultations.specialty", "consultations.family_medicine"]
        .iter()
        .filter_map(|id| site.metric_index(id))
        .collect();
    let mut reports: Vec<(usize, usize)> = Vec::new();
    for &m in &metrics {
        for o in of_kind(site, m, &[ReportKind::Event]) {
            if !reports.contains(&(o.bulletin, o.report)) {
                reports.push((o.bulletin, o.report));
            }
        }
    }
    if reports.len() < 2 {
        return Vec::new();
    }
    // Newest first; the most recent `MOST_RECENT` jornadas.
    reports.sort_by_key(|&(b, r)| {
        (
            std::cmp::Reverse(site.bulletins[b].reports[r].period.last_day()),
            b,
            r,
        )
    });
    reports.truncate(MOST_RECENT);
    let mut obs: Vec<ObsRef> = Vec::new();
    let mut marks: Vec<Mark> = Vec::new();
    for &(bi, ri) in &reports {
        let r = &site.bulletins[bi].reports[ri];
        let heading = format!(
            "{} · {}",
            period_with_days(&r.period),
            short_scope(site, &r.scope)
        );
        for &m in &metrics {
            let Some(fi) = r.figures.iter().position(|f| f.metric == m) else {
                continue;
            };
            let f = &r.figures[fi];
            let label = site.metrics[m]
                .label
                .trim_start_matches("Consultas de ")
                .to_string();
            let mut mark = figure_mark(site, capitalise(&label), f, &r.period);
            mark.group = Some(heading.clone());
            marks.push(mark);
            obs.push(ObsRef {
                bulletin: bi,
                report: ri,
                figure: fi,
            });
        }
    }
    let chart = Chart {
        id: "inicio-consultas-jornadas".into(),
        kind: Kind::Bars,
        title: "Consultas en cada jornada".into(),
        subtitle: "De especialidad y de medicina familiar, de la jornada más reciente a la más antigua. Entre paréntesis, los días de cada una.".into(),
        source: sources_line(site, &obs),
        marks,
        notes: year_notes(site, &obs),
    };
    within_range(chart, &about(site, &obs, EVENTS_ABOUT.to_string()), None)
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// A place's charts: for each indicator, its own figures (not joint totals with other places)
/// of one kind, when there are two or more to compare.
pub fn place_charts(site: &Site, p: usize, own: &[(usize, usize)]) -> Vec<ChartView> {
    let place = &site.places[p];
    let mut out = Vec::new();
    for (m, metric) in site.metrics.iter().enumerate() {
        for (kinds, slug, words, about_text) in [
            (
                &[ReportKind::Event][..],
                "jornadas",
                "en cada jornada",
                EVENTS_ABOUT,
            ),
            (
                &[ReportKind::Cumulative][..],
                "acumulados",
                "acumulados",
                CUMULATIVE_ABOUT,
            ),
            (&[ReportKind::Stock][..], "conteos", "conteos", STOCK_ABOUT),
        ] {
            let mut obs: Vec<ObsRef> = of_kind(site, m, kinds)
                .into_iter()
                .filter(|o| own.contains(&(o.bulletin, o.report)))
                .collect();
            if obs.len() < 2 {
                continue;
            }
            let note = most_recent(site, &mut obs);
            out.extend(bars_chart(
                site,
                &obs,
                format!("lugar-{}-{}-{slug}", place.id, metric.slug),
                format!("{} en {}: {words}", metric.label, place.name),
                format!(
                    "Solo las cifras propias de {}, del periodo más antiguo al más reciente.{note}",
                    place.name
                ),
                about_text,
                |o| period_with_days(&site.report(o).period),
            ));
        }
    }
    out
}

/// Stage 4 as the site sees it: every chart the pages show, drawn once (in parallel), before
/// any page is rendered. Pages and the home page look their charts up here.
pub struct SiteCharts {
    /// By bulletin, then report.
    pub reports: Vec<Vec<Vec<ChartView>>>,
    pub metrics: Vec<Vec<ChartView>>,
    pub places: Vec<Vec<ChartView>>,
    /// The home page's comparisons, in page order (the surgeries one is its indicator's).
    pub home: Vec<ChartView>,
}

impl SiteCharts {
    /// With a `memo` (in `serve`), a chart whose content did not change is not redrawn.
    pub fn draw(site: &Site, memo: Option<&crate::memo::Memo>) -> SiteCharts {
        Self::make(site, memo, true)
    }

    /// Every chart with its caption, table and files, but no drawing: for `check`, as drawing
    /// cannot fail (it is the same for every chart, and writes to a string) and pages render
    /// the same way with an empty SVG.
    pub fn plan(site: &Site) -> SiteCharts {
        Self::make(site, None, false)
    }

    fn make(site: &Site, memo: Option<&crate::memo::Memo>, svgs: bool) -> SiteCharts {
        use rayon::prelude::*;
        let reports: Vec<Vec<Vec<ChartView>>> = (0..site.bulletins.len())
            .into_par_iter()
            .map(|bi| {
                (0..site.bulletins[bi].reports.len())
                    .map(|ri| report_charts(site, bi, ri))
                    .collect()
            })
            .collect();
        let metrics: Vec<Vec<ChartView>> = (0..site.metrics.len())
            .into_par_iter()
            .map(|m| metric_charts(site, m))
            .collect();
        let places = (0..site.places.len())
            .into_par_iter()
            .map(|p| place_charts(site, p, &own_reports(site, p)))
            .collect();
        let mut home = Vec::new();
        home.extend(consultations_by_jornada(site));
        let mut all = SiteCharts {
            reports,
            metrics,
            places,
            home,
        };
        if svgs {
            let views: Vec<&mut ChartView> = all
                .reports
                .iter_mut()
                .flatten()
                .flatten()
                .chain(all.metrics.iter_mut().flatten())
                .chain(all.places.iter_mut().flatten())
                .chain(all.home.iter_mut())
                .collect();
            views.into_par_iter().for_each(|v| {
                let draw = || {
                    (
                        Arc::from(charts::svg(&v.spec, false)),
                        Arc::from(charts::svg(&v.spec, true)),
                    )
                };
                (v.svg, v.svg_narrow) = match memo {
                    Some(m) => m.svgs(v.fingerprint, draw),
                    None => draw(),
                };
                v.embed_height = embed_height(&v.svg, &v.svg_narrow);
            });
        }
        // The surgeries chart on the home page is its indicator's, drawn once.
        let surgeries = site.metric_index("surgeries").and_then(|m| {
            all.metrics[m]
                .iter()
                .find(|c| c.id.ends_with("-jornadas"))
                .cloned()
        });
        if let Some(c) = surgeries {
            all.home.insert(0, c);
        }
        all
    }
}

/// The reports that concern place `p` alone (its own figures): their scope is the place, or
/// its own offices and units.
pub fn own_reports(site: &Site, p: usize) -> Vec<(usize, usize)> {
    site.reports_by_place[p]
        .iter()
        .copied()
        .filter(|&(b, r)| {
            site.bulletins[b].reports[r]
                .scope
                .iter()
                .all(|&q| q == p || site.places[q].state == Some(p))
        })
        .collect()
}

/// A frame's height for the embed snippet without script: the taller layout (the phone one is
/// shown below 560 px) plus the page around the chart (its summary lines and links).
fn embed_height(wide: &str, narrow: &str) -> i32 {
    let height = |svg: &str| {
        svg.split_once("viewBox=\"0 0 ")
            .and_then(|(_, rest)| rest.split_once('"'))
            .and_then(|(vb, _)| vb.split_once(' '))
            .and_then(|(w, h)| Some(h.parse::<f64>().ok()? * 340.0 / w.parse::<f64>().ok()?))
            .unwrap_or(400.0)
    };
    let wide_at_680 = height(wide) * 680.0 / 340.0;
    (wide_at_680.max(height(narrow) * 360.0 / 340.0) + 190.0).round() as i32
}

#[cfg(test)]
mod tests {
    use super::*;

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
