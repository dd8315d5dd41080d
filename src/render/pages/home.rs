//! The home page: the headline figures, the home charts and the latest bulletins; and the
//! site-wide social card, made from the same headline figures.

use serde::Serialize;
use tera::Context;

use crate::charts::card::{Body, Card};
use crate::render::charts;
use crate::render::renderer::{Meta, Renderer, SITE_CARD};
use crate::render::views::{
    bulletin_link, bulletin_summary, kind_label, metric_href, value_text, BulletinSummary, Link,
};

/// How many of the latest bulletins the home page lists (all are under `boletines/`).
const HOME_LATEST: usize = 12;

/// One of the home page's headline figures.
#[derive(Serialize)]
struct Headline {
    label: String,
    value: String,
    period: String,
    scope: String,
    kind: &'static str,
    metric_href: String,
    bulletin: Link,
    conflict: Option<String>,
}

/// The home page and the site-wide social card.
pub(in crate::render) fn render(r: &mut Renderer) {
    let site = r.site;
    // Headline: for each main indicator, the largest figure reported (the cumulative balance).
    let headline_ids = [
        "consultations.specialty",
        "consultations.family_medicine",
        "surgeries",
        "transplants",
    ];
    let headlines: Vec<Headline> = headline_ids
        .iter()
        .filter_map(|id| site.metric_index(id))
        .filter_map(|m| {
            let o = *site.by_metric[m]
                .iter()
                .max_by_key(|o| site.figure(**o).value)?;
            let rep = site.report(o);
            let f = site.figure(o);
            let b = &site.bulletins[o.bulletin];
            Some(Headline {
                label: site.metrics[m].label.clone(),
                value: value_text(f.value, f.qualifier),
                period: rep.period.long_es(),
                scope: site.scope_names(&rep.scope),
                kind: kind_label(rep.kind),
                metric_href: metric_href(site, m),
                bulletin: bulletin_link(b),
                conflict: charts::figure_bar(String::new(), f, &rep.period).footnote,
            })
        })
        .collect();

    let charts = r.charts_drawn.home.clone();
    for c in &charts {
        r.register(c, "");
    }
    let latest: Vec<BulletinSummary> = site
        .bulletins
        .iter()
        .take(HOME_LATEST)
        .map(bulletin_summary)
        .collect();
    let mut ctx = Context::new();
    ctx.insert("headlines", &headlines);
    ctx.insert("charts", &charts);
    ctx.insert("bulletins", &latest);
    ctx.insert("bulletin_count", &site.bulletins.len());
    ctx.insert("figure_count", &site.all_observations().count());
    let numbers: Vec<(String, String)> = headlines
        .iter()
        .map(|h| (h.value.clone(), h.label.clone()))
        .collect();
    r.card(
        SITE_CARD,
        Card {
            site: site.config.title.clone(),
            kicker: r
                .updated
                .as_ref()
                .map_or_else(String::new, |d| format!("Datos al {d}")),
            title: site.config.description.clone(),
            body: Body::Numbers(numbers),
        },
    );
    r.page(
        "",
        "index.html",
        Meta::new(
            &site.config.title,
            site.config.description.clone(),
            "inicio",
        ),
        ctx,
    );
}
