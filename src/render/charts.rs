//! Which charts the site draws, from the model: per report, per indicator (over time, and per
//! day), jornadas compared, per place. Each chart is drawn twice (a wide and a phone layout),
//! and gets downloads (SVG, PNG, CSV) and an embed page at stable URLs under `graficas/`.

use std::sync::Arc;

use serde::Serialize;

use super::views::{kind_label, source_line, value_text};
use crate::charts::{self, Bar, BarChart, Kind};
use crate::model::{format, Bulletin, Figure, Group, ObsRef, Period, Report, ReportKind, Site};

/// A chart as templates see it.
#[derive(Serialize, Clone)]
pub struct ChartView {
    /// What was drawn, for the downloads and social cards; templates use the fields below.
    #[serde(skip)]
    pub spec: BarChart,
    /// `spec.fingerprint()`, computed once: `serve` keys its memo with it.
    #[serde(skip)]
    pub fingerprint: u64,
    pub id: String,
    /// Shared: a drawing appears in pages, downloads and `serve`'s memo without copies.
    pub svg: Arc<str>,
    pub svg_narrow: Arc<str>,
    pub caption: String,
    /// Label and value of each mark, for the table beside the chart.
    pub rows: Vec<(String, String)>,
    /// Downloads and embed page, relative to the site root.
    pub files: ChartFiles,
}

#[derive(Serialize, Clone)]
pub struct ChartFiles {
    pub svg: String,
    pub png: String,
    pub csv: String,
    pub embed: String,
}

impl ChartFiles {
    fn new(id: &str) -> Self {
        ChartFiles {
            svg: format!("graficas/{id}.svg"),
            png: format!("graficas/{id}.png"),
            csv: format!("graficas/{id}.csv"),
            embed: format!("graficas/{id}/"),
        }
    }
}

/// A chart's view, its SVGs still empty: `SiteCharts::draw` draws them all in one parallel pass.
pub fn chart_view(chart: BarChart) -> ChartView {
    ChartView {
        id: chart.id.clone(),
        svg: Arc::from(""),
        svg_narrow: Arc::from(""),
        caption: chart.title.clone(),
        rows: chart
            .bars
            .iter()
            .map(|b| {
                let value = match &b.footnote {
                    Some(n) => format!("{} ({n})", b.value_label),
                    None => b.value_label.clone(),
                };
                (b.label.clone(), value)
            })
            .collect(),
        files: ChartFiles::new(&chart.id),
        fingerprint: chart.fingerprint(),
        spec: chart,
    }
}

/// The chart's numbers as CSV: one row per mark.
pub fn csv(chart: &BarChart) -> Result<Vec<u8>, String> {
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
    for b in &chart.bars {
        let (start, end) = b
            .span
            .map(|(s, e)| (s.to_string(), e.to_string()))
            .unwrap_or_default();
        let value = format!("{}", (b.value * 1e6).round() / 1e6);
        w.write_record([
            b.label.as_str(),
            value.as_str(),
            b.value_label.as_str(),
            start.as_str(),
            end.as_str(),
            b.footnote.as_deref().unwrap_or(""),
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

/// One bar per observation, oldest period first; `None` when there is nothing to draw.
fn chronological_bars(
    site: &Site,
    obs: &mut Vec<ObsRef>,
    label: impl Fn(ObsRef) -> String,
) -> Option<(Vec<Bar>, String)> {
    if obs.is_empty() {
        return None;
    }
    let note = most_recent(site, obs);
    let bars = obs
        .iter()
        .map(|&o| figure_bar(label(o), site.figure(o), &site.report(o).period))
        .collect();
    Some((bars, note))
}

/// A chart bar for a figure. A source conflict becomes the bar's footnote.
pub fn figure_bar(label: String, f: &Figure, period: &Period) -> Bar {
    Bar {
        label,
        value: f.value.as_f64(),
        span: match *period {
            Period::Range { start, end, .. } => Some((start, end)),
            Period::AsOf(d) => Some((d, d)),
            Period::Unstated => None,
        },
        value_label: value_text(f.value, f.qualifier),
        footnote: f.conflict.as_ref().map(|c| {
            let others: Vec<String> = c.other_values.iter().map(|x| format::number(*x)).collect();
            format!(
                "El boletín también da {} para esta cifra.",
                others.join(", ")
            )
        }),
    }
}

/// One chart per group of comparable figures (same group, two or more figures), leaving out a
/// total when its parts are drawn: the bars must be comparable, and a total would dwarf them.
pub fn report_charts(site: &Site, b: &Bulletin, r: &Report) -> Vec<ChartView> {
    let groups = [
        (Group::Consultations, "Consultas"),
        (Group::Surgeries, "Cirugías"),
        (Group::Transplants, "Trasplantes por órgano"),
        (Group::Screenings, "Detecciones"),
    ];
    let mut out = Vec::new();
    for (group, title) in groups {
        let mut figs: Vec<&Figure> = r
            .figures
            .iter()
            .filter(|f| site.metrics[f.metric].group == group)
            .collect();
        let drawn: Vec<usize> = figs.iter().map(|f| f.metric).collect();
        figs.retain(|f| {
            let children = &site.metrics[f.metric].children;
            children.is_empty() || !children.iter().any(|c| drawn.contains(c))
        });
        if figs.len() < 2 {
            continue;
        }
        figs.sort_by_key(|f| std::cmp::Reverse(f.value));
        let total_note = r
            .figures
            .iter()
            .find(|f| {
                site.metrics[f.metric].group == group
                    && !site.metrics[f.metric].children.is_empty()
                    && !figs.iter().any(|g| g.metric == f.metric)
            })
            .map(|f| format!(" Total: {}.", value_text(f.value, f.qualifier)))
            .unwrap_or_default();
        out.push(chart_view(BarChart {
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
            bars: figs
                .iter()
                .map(|f| figure_bar(site.metrics[f.metric].label.clone(), f, &r.period))
                .collect(),
        }));
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
    format!("Fuente: IMSS, boletines {}.", cites.join("; "))
}

fn short_scope(site: &Site, scope: &[usize]) -> String {
    match scope {
        [one] => site.places[*one].name.clone(),
        many => format!("{} lugares", many.len()),
    }
}

/// "Cirugías · 10–12 sep 2021 · Jalisco": a bar label when bars mix indicators and places.
fn metric_period_scope(site: &Site, o: ObsRef) -> String {
    let r = site.report(o);
    format!(
        "{} · {} · {}",
        site.metrics[site.figure(o).metric].label,
        r.period.short_es(),
        short_scope(site, &r.scope)
    )
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// A timeline of observations: each drawn over its own period on one time axis.
fn timeline(
    site: &Site,
    mut obs: Vec<ObsRef>,
    id: String,
    title: String,
    subtitle: String,
    label: impl Fn(ObsRef) -> String,
) -> Option<ChartView> {
    let subtitle = subtitle + &most_recent(site, &mut obs);
    let obs = &obs;
    let spans: Vec<(crate::model::Date, crate::model::Date)> = obs
        .iter()
        .filter_map(|o| match site.report(*o).period {
            Period::Range { start, end, .. } => Some((start, end)),
            Period::AsOf(d) => Some((d, d)),
            Period::Unstated => None,
        })
        .collect();
    let from = spans.iter().map(|s| s.0).min()?;
    let to = spans.iter().map(|s| s.1).max()?;
    Some(chart_view(BarChart {
        id,
        kind: Kind::Timeline { from, to },
        title,
        subtitle,
        source: sources_line(site, obs),
        bars: obs
            .iter()
            .map(|&o| figure_bar(label(o), site.figure(o), &site.report(o).period))
            .collect(),
    }))
}

/// An indicator's charts: its observations over their true periods, cumulative totals apart
/// from single events and from counts, then the per-day rate that makes periods comparable.
pub fn metric_charts(site: &Site, m: usize) -> Vec<ChartView> {
    let metric = &site.metrics[m];
    let obs: &[ObsRef] = &site.by_metric[m];
    let mut out = Vec::new();
    let sets: [(&str, &str, &[ReportKind]); 3] = [
        ("acumulados", "acumulados", &[ReportKind::Cumulative]),
        ("jornadas", "en jornadas y eventos", &[ReportKind::Event]),
        (
            "conteos",
            "en conteos a una fecha y metas",
            &[ReportKind::Stock, ReportKind::Target],
        ),
    ];
    for (slug, words, kinds) in sets {
        let set: Vec<ObsRef> = obs
            .iter()
            .copied()
            .filter(|o| kinds.contains(&site.report(*o).kind))
            .collect();
        let dated = set
            .iter()
            .filter(|o| site.report(**o).period != Period::Unstated)
            .count();
        let undated = set.len() - dated;
        let note = if undated > 0 {
            format!(" {undated} cifra(s) sin fecha aparecen sin barra.")
        } else {
            String::new()
        };
        let subtitle = format!(
            "{} ({}), {words}. Cada barra abarca el periodo que informa el boletín; la cifra está a la derecha.{note}",
            metric.label, metric.unit
        );
        if let Some(c) = timeline(
            site,
            set,
            format!("indicador-{}-{slug}", metric.slug),
            format!("{}: {words}", metric.label),
            subtitle,
            |o| {
                let r = site.report(o);
                format!("{} · {}", r.period.short_es(), short_scope(site, &r.scope))
            },
        ) {
            out.push(c);
        }
    }
    if let Some(c) = per_day_chart(
        site,
        obs,
        format!("indicador-{}-por-dia", metric.slug),
        format!("{}: por día de cada periodo", metric.label),
        |o| {
            let r = site.report(o);
            format!(
                "{} ({}) · {}",
                r.period.short_es(),
                kind_label(r.kind).to_lowercase(),
                short_scope(site, &r.scope)
            )
        },
    ) {
        out.push(c);
    }
    out
}

/// Value per day of each observation's period, so a 3-day jornada and a 7-day week compare
/// honestly. Needs two or more observations over periods, of a metric that accrues by day.
fn per_day_chart(
    site: &Site,
    obs: &[ObsRef],
    id: String,
    title: String,
    label: impl Fn(ObsRef) -> String,
) -> Option<ChartView> {
    let mut rated: Vec<ObsRef> = obs
        .iter()
        .copied()
        .filter(|o| {
            let r = site.report(*o);
            let f = site.figure(*o);
            site.metrics[f.metric].per_day
                && f.value.scale == 0
                && matches!(r.kind, ReportKind::Cumulative | ReportKind::Event)
                && r.period.days().is_some()
        })
        .collect();
    if rated.len() < 2 {
        return None;
    }
    let note = most_recent(site, &mut rated);
    let bars = rated
        .iter()
        .map(|&o| {
            let r = site.report(o);
            let f = site.figure(o);
            let days = r.period.days().unwrap_or(1);
            let rate = f.value.as_f64() / days as f64;
            let mut bar = figure_bar(label(o), f, &r.period);
            bar.value = rate;
            bar.value_label = format!(
                "{} por día ({} en {days} días)",
                format::rate(rate),
                value_text(f.value, f.qualifier)
            );
            bar
        })
        .collect();
    Some(chart_view(BarChart {
        id,
        kind: Kind::Bars,
        title,
        subtitle: format!("Cifra dividida entre los días de su periodo (contando el primero y el último): compara periodos de distinta duración.{note}"),
        source: sources_line(site, &rated),
        bars,
    }))
}

/// Home: the jornadas compared, per day, for surgeries and for consultations.
pub fn jornadas_charts(site: &Site) -> Vec<ChartView> {
    let events = |ids: &[&str]| -> Vec<ObsRef> {
        let mut v: Vec<ObsRef> = ids
            .iter()
            .filter_map(|id| site.metric_index(id))
            .flat_map(|m| site.by_metric[m].iter().copied())
            .filter(|o| site.report(*o).kind == ReportKind::Event)
            .collect();
        chronological(site, &mut v);
        v
    };
    let label = |o: ObsRef| metric_period_scope(site, o);
    let mut out = Vec::new();
    for (id, title, metrics) in [
        (
            "inicio-jornadas-cirugias",
            "Cirugías por día en cada jornada",
            &["surgeries"][..],
        ),
        (
            "inicio-jornadas-consultas",
            "Consultas por día en cada jornada",
            &["consultations.specialty", "consultations.family_medicine"][..],
        ),
    ] {
        if let Some(c) = per_day_chart(
            site,
            &events(metrics),
            id.to_string(),
            title.to_string(),
            label,
        ) {
            out.push(c);
        }
    }
    out
}

/// Bars for every observation of the given metrics, oldest first (the home page's overview).
pub fn observations_chart(
    site: &Site,
    metrics: &[usize],
    id: &str,
    title: &str,
) -> Option<ChartView> {
    let mut obs: Vec<ObsRef> = metrics
        .iter()
        .flat_map(|&m| site.by_metric[m].iter().copied())
        .collect();
    let (bars, note) = chronological_bars(site, &mut obs, |o| {
        let rep = site.report(o);
        let label = if metrics.len() > 1 {
            format!(
                "{} · {}",
                site.metrics[site.figure(o).metric].label,
                rep.period.short_es()
            )
        } else {
            rep.period.short_es()
        };
        format!("{label} ({})", kind_label(rep.kind).to_lowercase())
    })?;
    Some(chart_view(BarChart {
        id: id.to_string(),
        kind: Kind::Bars,
        title: title.to_string(),
        subtitle: format!("Cada barra es la cifra de un informe: un acumulado de meses y una jornada de tres días no son comparables directamente; vea la cifra por día debajo y en cada indicador.{note}"),
        source: sources_line(site, &obs),
        bars,
    }))
}

/// A place's page: what the jornadas that include it achieved: surgeries and consultations of
/// every jornada that includes it, and every figure of a jornada that concerns it alone (such
/// as Jalisco's mammographies).
pub fn place_chart(site: &Site, p: usize) -> Option<ChartView> {
    let place = &site.places[p];
    let wanted: Vec<usize> = [
        "surgeries",
        "consultations.specialty",
        "consultations.family_medicine",
    ]
    .iter()
    .filter_map(|id| site.metric_index(id))
    .collect();
    let mut obs: Vec<ObsRef> = Vec::new();
    for &(bi, ri) in &site.reports_by_place[p] {
        let r = &site.bulletins[bi].reports[ri];
        if r.kind != ReportKind::Event {
            continue;
        }
        let only_here = r.scope == [p];
        for (fi, f) in r.figures.iter().enumerate() {
            if only_here || wanted.contains(&f.metric) {
                obs.push(ObsRef {
                    bulletin: bi,
                    report: ri,
                    figure: fi,
                });
            }
        }
    }
    let (bars, note) = chronological_bars(site, &mut obs, |o| metric_period_scope(site, o))?;
    Some(chart_view(BarChart {
        id: format!("lugar-{}-jornadas", place.id),
        kind: Kind::Bars,
        title: format!("Jornadas que incluyen {}", place.name),
        subtitle: format!(
            "Cuando una jornada abarca varios lugares, la cifra es el total conjunto, no la de {} sola.{note}",
            place.name
        ),
        source: sources_line(site, &obs),
        bars,
    }))
}

/// Stage 4 as the site sees it: every chart the pages show, drawn once (in parallel), before
/// any page is rendered. Pages and the home page look their charts up here.
pub struct SiteCharts {
    /// By bulletin, then report.
    pub reports: Vec<Vec<Vec<ChartView>>>,
    pub metrics: Vec<Vec<ChartView>>,
    pub places: Vec<Option<ChartView>>,
    /// The home page's own charts, in page order (a bulletin's transplant chart is reused).
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
        let reports: Vec<Vec<Vec<ChartView>>> = site
            .bulletins
            .par_iter()
            .map(|b| {
                b.reports
                    .iter()
                    .map(|r| report_charts(site, b, r))
                    .collect()
            })
            .collect();
        let metrics = (0..site.metrics.len())
            .into_par_iter()
            .map(|m| metric_charts(site, m))
            .collect();
        let places = (0..site.places.len())
            .into_par_iter()
            .map(|p| place_chart(site, p))
            .collect();
        let (home, reused) = home_charts(site);
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
            });
        }
        // The home's transplant chart is the one already drawn for its bulletin's page.
        if let Some((at, o)) = reused {
            let b = &site.bulletins[o.bulletin];
            let id = format!("{}-{}-trasplantes", b.slug, b.reports[o.report].id);
            let drawn = all.reports[o.bulletin][o.report]
                .iter()
                .find(|c| c.id == id);
            if let Some(c) = drawn.cloned() {
                all.home.insert(at, c);
            }
        }
        all
    }
}

/// Consultations by type and surgeries in every report, then the jornadas compared per day;
/// and where transplants by organ go among them, from which report (the first that breaks them
/// down), for the chart drawn for that bulletin's page.
fn home_charts(site: &Site) -> (Vec<ChartView>, Option<(usize, ObsRef)>) {
    let mut charts = Vec::new();
    let consult: Vec<usize> = ["consultations.specialty", "consultations.family_medicine"]
        .iter()
        .filter_map(|id| site.metric_index(id))
        .collect();
    charts.extend(observations_chart(
        site,
        &consult,
        "inicio-consultas",
        "Consultas de especialidad y de medicina familiar en cada informe",
    ));
    if let Some(m) = site.metric_index("surgeries") {
        charts.extend(observations_chart(
            site,
            &[m],
            "inicio-cirugias",
            "Cirugías en cada informe",
        ));
    }
    let organ_report = site.all_observations().find(|o| {
        let m = &site.metrics[site.figure(*o).metric];
        m.group == Group::Transplants && m.parent.is_some()
    });
    let reused = organ_report.map(|o| (charts.len(), o));
    charts.extend(jornadas_charts(site));
    (charts, reused)
}
