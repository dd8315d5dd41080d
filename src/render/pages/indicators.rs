//! The indicators (`indicadores/`): the catalogue, and a page for each with its latest
//! observations, charts, social card and dataset metadata; and their CSV and JSON downloads.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use serde::Serialize;
use tera::Context;

use crate::charts::card::{Body, Card};
use crate::model::ReportKind;
use crate::model::{Group, ObsRef, Site};
use crate::render::publish;
use crate::render::renderer::{LastMod, Meta, Renderer, LISTED};
use crate::render::views::{figure_in_context, metric_href, metric_link, FigureInContext, Link};

/// An indicator in the catalogue (`depth` 1 for a part of another).
#[derive(Serialize)]
struct MetricItem {
    link: Link,
    group: &'static str,
    count: usize,
    depth: usize,
}

/// The catalogue of indicators, a page for each, and their downloads.
pub(in crate::render) fn render(r: &mut Renderer) {
    let site = r.site;
    let group_label = |g: Group| match g {
        Group::Consultations => "Consultas",
        Group::Surgeries => "Cirugías",
        Group::Transplants => "Trasplantes",
        Group::Screenings => "Detecciones",
        Group::Rehabilitation => "Rehabilitación",
        Group::Capacity => "Capacidad y cobertura",
        Group::Other => "Otros",
    };
    let items: Vec<MetricItem> = site
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| MetricItem {
            link: Link {
                text: m.label.clone(),
                href: metric_href(site, i),
            },
            group: group_label(m.group),
            count: site.by_metric[i].len(),
            depth: usize::from(m.parent.is_some()),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("metrics", &items);
    r.page(
        "indicadores/",
        "metrics.html",
        Meta::new(
            "Indicadores",
            "El catálogo de indicadores: consultas, cirugías, trasplantes, detecciones y más, con todas sus cifras en el tiempo.",
            "indicadores",
        ),
        ctx,
    );

    // The page shows the latest observations in full, and of the others only where and when
    // they are (for its dataset metadata): an edit elsewhere does not re-render it.
    let shown = |i: usize| {
        let all = &site.by_metric[i];
        &all[all.len().saturating_sub(LISTED)..]
    };
    let key = |i: usize, _: &crate::model::Metric| {
        let mut h = DefaultHasher::new();
        observations_key(site, shown(i)).hash(&mut h);
        for o in &site.by_metric[i] {
            let r = site.figure(*o);
            (r.period, &r.scope, site.bulletins[o.bulletin].sort_date()).hash(&mut h);
        }
        for c in &r.charts_drawn.metrics[i] {
            c.fingerprint.hash(&mut h);
        }
        h.finish()
    };
    r.par_each(&site.metrics, key, |r, i, m| {
        let all = &site.by_metric[i];
        // Newest first: the table starts with what a reader most likely came for. Figures
        // with no date at all (last in `by_metric`) stay last: they are not the newest.
        let dated = |o: &&ObsRef| site.figure(**o).period.last_day().is_some();
        let observations: Vec<FigureInContext> = shown(i)
            .iter()
            .rev()
            .filter(dated)
            .chain(shown(i).iter().filter(|o| !dated(o)))
            .map(|&o| figure_in_context(site, o))
            .collect();
        // The latest result (a target is not one, nor a figure of unknown date), highlighted
        // above the charts.
        let latest = all
            .iter()
            .rev()
            .filter(dated)
            .find(|o| site.figure(**o).kind != ReportKind::Target)
            .map(|&o| figure_in_context(site, o));
        let charts = &r.charts_drawn.metrics[i];
        for c in charts {
            r.register(c, &metric_href(site, i));
        }
        let mut ctx = Context::new();
        ctx.insert("label", &m.label);
        ctx.insert("id", &m.id);
        ctx.insert("unit", &m.unit);
        ctx.insert("group", group_label(m.group));
        ctx.insert("definition", &m.definition);
        ctx.insert("parent", &m.parent.map(|p| metric_link(site, p)));
        ctx.insert(
            "children",
            &m.children
                .iter()
                .map(|&c| metric_link(site, c))
                .collect::<Vec<_>>(),
        );
        ctx.insert("latest", &latest);
        ctx.insert("observations", &observations);
        ctx.insert("observations_total", &all.len());
        ctx.insert("charts", charts);
        ctx.insert("csv", &format!("datos/indicadores/{}.csv", m.slug));
        ctx.insert("json", &format!("datos/indicadores/{}.json", m.slug));
        let card_path = format!("tarjetas/indicadores/{}.png", m.slug);
        let body = match charts.first() {
            Some(c) if c.spec.marks.len() > 1 => Body::Chart(c.spec.clone()),
            _ => Body::Numbers(
                observations
                    .iter()
                    .map(|o| (o.figure.value.clone(), o.period.clone()))
                    .collect(),
            ),
        };
        r.card(
            &card_path,
            Card {
                site: site.config.title.clone(),
                kicker: match all.len() {
                    1 => "Indicador · 1 cifra".to_string(),
                    n => format!("Indicador · {n} cifras"),
                },
                title: m.label.clone(),
                body,
            },
        );
        let obs = &site.by_metric[i];
        let url = format!("{}{}", site.config.base_url, metric_href(site, i));
        let csv = format!("{}datos/indicadores/{}.csv", site.config.base_url, m.slug);
        let json = format!("{}datos/indicadores/{}.json", site.config.base_url, m.slug);
        let periods: Vec<&crate::model::Period> =
            obs.iter().map(|o| &site.figure(*o).period).collect();
        let places: Vec<usize> = obs
            .iter()
            .flat_map(|o| site.figure(*o).scope.iter().copied())
            .collect();
        let meta = Meta {
            card: Some(card_path),
            lastmod: LastMod::of(obs.iter().map(|o| &site.bulletins[o.bulletin])),
            jsonld: (!obs.is_empty()).then(|| {
                publish::dataset(
                    site,
                    &m.label,
                    &m.definition,
                    &url,
                    &[("text/csv", &csv), ("application/json", &json)],
                    &periods,
                    &places,
                )
            }),
            ..Meta::new(&m.label, m.definition.clone(), "indicadores")
        };
        r.page(&metric_href(site, i), "metric.html", meta, ctx);
    });
    // The downloads have every observation: put together from encoded lines, outside the
    // memoised pages so an edit to any figure reaches them.
    for (i, m) in site.metrics.iter().enumerate() {
        let obs = &site.by_metric[i];
        r.data_file(
            format!("datos/indicadores/{}.csv", m.slug),
            obs.clone(),
            false,
        );
        r.data_file(
            format!("datos/indicadores/{}.json", m.slug),
            obs.clone(),
            true,
        );
    }
}

/// The observations a page shows, by the bulletins they come from.
fn observations_key(site: &Site, obs: &[ObsRef]) -> u64 {
    let mut h = DefaultHasher::new();
    for o in obs {
        (site.bulletins[o.bulletin].fingerprint, o.report, o.figure).hash(&mut h);
    }
    h.finish()
}
