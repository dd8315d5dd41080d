//! A place's charts: only its own figures, never the joint totals it shares with other places.

use super::marks::{
    bars_chart, most_recent, of_kind, period_with_days, CUMULATIVE_ABOUT, EVENTS_ABOUT, STOCK_ABOUT,
};
use super::view::ChartView;
use crate::model::{ObsRef, ReportKind, Site};

/// A place's charts: for each indicator, its own figures (not joint totals with other places)
/// of one kind, when there are two or more to compare.
pub fn place_charts(site: &Site, p: usize, own: &[(usize, usize)]) -> Vec<ChartView> {
    let place = &site.places[p];
    let (where_, whose) = match place.kind {
        crate::model::PlaceKind::National => (
            "en todo el país".to_string(),
            "de alcance nacional".to_string(),
        ),
        _ => (
            format!("en {}", place.name),
            format!("propias de {}", place.name),
        ),
    };
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
                .filter(|o| own_scope(site, p, &site.figure(*o).scope))
                .collect();
            if obs.len() < 2 {
                continue;
            }
            let note = most_recent(site, &mut obs);
            out.extend(bars_chart(
                site,
                &obs,
                format!("lugar-{}-{}-{slug}", place.id, metric.slug),
                format!("{} {where_}: {words}", metric.label),
                format!("Solo las cifras {whose}, del periodo más antiguo al más reciente.{note}"),
                about_text,
                |o| period_with_days(&site.figure(o).period),
            ));
        }
    }
    out
}

/// The reports that concern place `p` alone (its own figures): their scope is the place, or
/// its own offices and units.
pub fn own_reports(site: &Site, p: usize) -> Vec<(usize, usize)> {
    site.reports_by_place[p]
        .iter()
        .copied()
        .filter(|&(b, r)| own_scope(site, p, &site.bulletins[b].reports[r].scope))
        .collect()
}

/// Whether a scope is place `p` alone, or its own offices and units.
pub fn own_scope(site: &Site, p: usize, scope: &[usize]) -> bool {
    scope
        .iter()
        .all(|&q| q == p || site.places[q].state == Some(p))
}
