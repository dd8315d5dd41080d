//! The home page: what the latest bulletin says (its headline figures with period, place, year
//! flag and source sentence), then the jornadas compared, then the latest bulletins; and the
//! site-wide social card, made from the same headline figures.

use serde::Serialize;
use tera::Context;

use crate::charts::card::{Body, Card};
use crate::render::renderer::{Meta, Renderer, SITE_CARD};
use crate::render::views::{
    bulletin_summary, figure_in_context, headline_figures, BulletinSummary, FigureInContext,
};

/// How many of the latest bulletins the home page lists (all are under `boletines/`).
const HOME_LATEST: usize = 12;
/// How many of the latest bulletin's figures lead the page.
const HEADLINES: usize = 4;

/// The latest bulletin and what it says first.
#[derive(Serialize)]
struct Latest {
    bulletin: BulletinSummary,
    headlines: Vec<FigureInContext>,
    /// How many of its figures are not among the headlines.
    more: usize,
}

/// The home page and the site-wide social card.
pub(in crate::render) fn render(r: &mut Renderer) {
    let site = r.site;
    let latest = site.bulletins.first().map(|b| {
        let headlines: Vec<FigureInContext> = headline_figures(site, 0, HEADLINES)
            .into_iter()
            .map(|o| figure_in_context(site, o))
            .collect();
        let bulletin = bulletin_summary(b);
        Latest {
            more: bulletin.figures.saturating_sub(headlines.len()),
            bulletin,
            headlines,
        }
    });
    // The comparisons belong to the pages that own them (the surgeries chart is its
    // indicator's), so only the home's own chart is registered from here.
    let charts = r.charts_drawn.home.clone();
    for c in charts.iter().filter(|c| c.id.starts_with("inicio-")) {
        r.register(c, "");
    }
    let listed: Vec<BulletinSummary> = site
        .bulletins
        .iter()
        .take(HOME_LATEST)
        .map(bulletin_summary)
        .collect();
    let mut ctx = Context::new();
    ctx.insert("latest", &latest);
    ctx.insert("charts", &charts);
    ctx.insert("bulletins", &listed);
    ctx.insert("bulletin_count", &site.bulletins.len());
    ctx.insert("figure_count", &site.all_observations().count());
    let numbers: Vec<(String, String)> = latest
        .iter()
        .flat_map(|l| l.headlines.iter())
        .map(|h| (h.figure.value.clone(), h.figure.metric.text.clone()))
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
