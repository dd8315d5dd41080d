//! The home page's own chart: consultations of specialty and of family medicine in each
//! jornada (the surgeries one is its indicator's).

use super::marks::{
    about, figure_mark, of_kind, period_with_days, short_scope, sources_line, within_range,
    year_notes, EVENTS_ABOUT, MOST_RECENT,
};
use super::view::ChartView;
use crate::charts::{Chart, Kind, Mark};
use crate::model::{ObsRef, ReportKind, Site};

/// Home: consultations of specialty and of family medicine in each jornada, newest first,
/// each jornada a heading over its two bars (the two indicators in their own colours).
pub(super) fn consultations_by_jornada(site: &Site) -> Vec<ChartView> {
    let metrics: Vec<usize> = ["consultations.specialty", "consultations.family_medicine"]
        .iter()
        .filter_map(|id| site.metric_index(id))
        .collect();
    let mut reports: Vec<(usize, usize)> = Vec::new();
    for &m in &metrics {
        for o in of_kind(site, m, &[ReportKind::Event]) {
            let shares = site.figure(o).shares_report(site.report(o));
            if shares && !reports.contains(&(o.bulletin, o.report)) {
                reports.push((o.bulletin, o.report));
            }
        }
    }
    if reports.len() < 2 {
        return Vec::new();
    }
    // Newest first, those of unknown date last (they are not the newest); the most recent
    // `MOST_RECENT` jornadas.
    reports.sort_by_key(|&(b, r)| {
        let period = &site.bulletins[b].reports[r].period;
        (
            period.last_day().is_none(),
            std::cmp::Reverse(period.chronology()),
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
            let Some(fi) = r
                .figures
                .iter()
                .position(|f| f.metric == m && f.shares_report(r))
            else {
                continue;
            };
            let f = &r.figures[fi];
            let label = site.metrics[m]
                .label
                .trim_start_matches("Consultas de ")
                .to_string();
            let mut mark = figure_mark(site, capitalise(&label), f);
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

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}
