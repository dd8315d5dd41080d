//! The bulletins: their list, and a page for each with its reports, its charts, its text (the
//! sentences that state its figures marked) and its social card.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use tera::Context;

use crate::charts::card::{Body, Card};
use crate::render::markdown;
use crate::render::renderer::{LastMod, Meta, Renderer};
use crate::render::views::{
    bulletin_href, bulletin_summary, place_link, report_view, source_line, BulletinSummary,
    ReportView,
};

/// The list of bulletins, and a page and a social card for each.
pub(in crate::render) fn render(r: &mut Renderer) {
    let site = r.site;
    // Those with no date at all (neither theirs nor of any figure) apart, at the end: not
    // shown as the oldest.
    let (dated, undated): (Vec<_>, Vec<_>) =
        site.bulletins.iter().partition(|b| b.sort_date().is_some());
    let list: Vec<BulletinSummary> = dated.into_iter().map(bulletin_summary).collect();
    let undated: Vec<BulletinSummary> = undated.into_iter().map(bulletin_summary).collect();
    let mut ctx = Context::new();
    ctx.insert("bulletins", &list);
    ctx.insert("undated", &undated);
    let description = format!(
        "Los {} boletines de prensa del IMSS del sitio, del más reciente al más antiguo, con sus cifras.",
        site.bulletins.len()
    );
    r.page(
        "boletines/",
        "bulletins.html",
        Meta::new("Boletines", description, "boletines"),
        ctx,
    );

    // A bulletin's page shows it and links to its neighbours (by title and date).
    let neighbour = |i: Option<usize>| i.and_then(|i| site.bulletins.get(i)).map(|b| b.fingerprint);
    let key = |bi: usize, b: &crate::model::Bulletin| {
        let mut h = DefaultHasher::new();
        (
            b.fingerprint,
            neighbour(bi.checked_sub(1)),
            neighbour(Some(bi + 1)),
        )
            .hash(&mut h);
        h.finish()
    };
    r.par_each(&site.bulletins, key, |r, bi, b| {
        let reports: Vec<ReportView> = (0..b.reports.len())
            .map(|ri| report_view(site, bi, ri, r.charts_drawn.reports[bi][ri].clone()))
            .collect();
        let mut ctx = Context::new();
        ctx.insert("bulletin", &bulletin_summary(b));
        ctx.insert("date_note", &b.date_note);
        ctx.insert("publisher", &b.publisher);
        ctx.insert("url", &b.url);
        ctx.insert("tags", &b.tags);
        ctx.insert("notes", &b.notes);
        ctx.insert("source_line", &source_line(b));
        ctx.insert(
            "places",
            &b.places
                .iter()
                .map(|&p| place_link(site, p))
                .collect::<Vec<_>>(),
        );
        ctx.insert("reports", &reports);
        ctx.insert(
            "text_html",
            &markdown::to_html(&b.text, 2, &source_marks(b)),
        );
        let prev = bi
            .checked_sub(1)
            .map(|i| bulletin_summary(&site.bulletins[i]).link);
        let next = site.bulletins.get(bi + 1).map(|n| bulletin_summary(n).link);
        ctx.insert("newer", &prev);
        ctx.insert("older", &next);
        for rv in &reports {
            for c in &rv.charts {
                r.register(c, &bulletin_href(b));
            }
        }
        let summary = bulletin_summary(b);
        let card_path = format!("tarjetas/boletines/{}.png", b.slug);
        let body = match reports.iter().flat_map(|r| r.charts.iter()).next() {
            Some(c) => Body::Chart(c.spec.clone()),
            None => Body::Numbers(figure_numbers(&reports)),
        };
        r.card(
            &card_path,
            Card {
                site: site.config.title.clone(),
                kicker: format!("{} · {}", summary.source_kind, summary.date),
                title: b.title.clone(),
                body,
            },
        );
        let description = format!(
            "{}. {} cifras del IMSS{}, cada una con su periodo, lugar y la frase que la da.",
            summary.date,
            summary.figures,
            summary
                .periods
                .first()
                .map(|p| format!(", {p}"))
                .unwrap_or_default()
        );
        let meta = Meta {
            card: Some(card_path),
            lastmod: LastMod::of(std::iter::once(b)),
            ..Meta::new(&b.title, description, "boletines")
        };
        r.page(&bulletin_href(b), "bulletin.html", meta, ctx);
    });
}

/// The sentences that state the bulletin's figures, to be marked and anchored in its text.
fn source_marks(b: &crate::model::Bulletin) -> Vec<markdown::Mark> {
    b.reports
        .iter()
        .flat_map(|r| r.figures.iter())
        .filter_map(|f| f.source)
        .map(|m| markdown::Mark {
            start: m.sentence.0,
            end: m.sentence.1,
            id: m.anchor(),
        })
        .collect()
}

/// Up to three of a page's figures, for a social card without a chart.
fn figure_numbers(reports: &[ReportView]) -> Vec<(String, String)> {
    reports
        .iter()
        .flat_map(|r| r.figures.iter())
        .take(3)
        .map(|f| (f.value.clone(), f.metric.text.clone()))
        .collect()
}
