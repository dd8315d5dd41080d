//! A bulletin's charts: in each report, its figures of one group (they share a period and a
//! place), largest first.

use super::marks::{about, figure_mark, within_range, year_notes};
use super::view::ChartView;
use crate::charts::{Chart, Kind};
use crate::model::{Figure, Group, ObsRef, Site};
use crate::render::views::{kind_label, source_line, value_text};

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
            // A figure with its own kind, period or scope is not comparable with the others:
            // the report's table shows it, with its own.
            .filter(|(_, f)| site.metrics[f.metric].group == group && f.shares_report(r))
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
                    && f.shares_report(r)
                    && !site.metrics[f.metric].children.is_empty()
                    && !figs.iter().any(|(_, g)| g.metric == f.metric)
            })
            .map(|f| {
                let what = if f.derived {
                    "Total calculado (suma de las partes)"
                } else {
                    "Total"
                };
                format!(" {what}: {}.", value_text(f.value, f.qualifier))
            })
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
                .map(|(_, f)| figure_mark(site, site.metrics[f.metric].label.clone(), f))
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
