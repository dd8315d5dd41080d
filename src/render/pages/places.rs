//! The places (`lugares/`): their list, and a page for each with its own figures (charted
//! where two or more compare), apart from the joint totals it shares with other places, and the
//! bulletins that mention it; and each place's CSV download.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use serde::Serialize;
use tera::Context;

use crate::model::{ObsRef, Site};
use crate::render::charts::{own_reports, own_scope};
use crate::render::data::ScopeKind;
use crate::render::renderer::{LastMod, Meta, Renderer, LISTED};
use crate::render::views::{
    bulletin_summary, place_href, place_link, report_view, BulletinSummary, Link,
};

/// How many reports a place page shows in full (each with all its figures): the most recent.
const PLACE_REPORTS: usize = 30;

/// A place in the list of places.
#[derive(Serialize)]
struct PlaceItem {
    link: Link,
    kind: &'static str,
    reports: usize,
    bulletins: usize,
}

/// A report shared with other places, and how many places its figures cover together.
#[derive(Serialize)]
struct SharedReport {
    places: usize,
    html: String,
}

/// One report as place pages show it (templates/report.html), rendered on its own: a report
/// appears on several place pages, and `serve` keeps it between rebuilds while it is unchanged.
fn report_fragment(r: &mut Renderer, site: &Site, bi: usize, ri: usize) -> Option<String> {
    let key = (site.bulletins[bi].fingerprint, ri);
    r.fragment("report.html", "../../", key, || {
        let mut view = report_view(site, bi, ri, Vec::new());
        view.anchor = format!("informe-{}-{}", site.bulletins[bi].slug, view.id);
        let mut ctx = Context::new();
        ctx.insert("r", &view);
        ctx
    })
}

/// The list of places, a page for each, and their downloads.
pub(in crate::render) fn render(r: &mut Renderer) {
    let site = r.site;
    let kind_label = |k: crate::model::PlaceKind| match k {
        crate::model::PlaceKind::National => "Todo el país",
        crate::model::PlaceKind::State => "Entidad federativa",
        crate::model::PlaceKind::Office => "Oficina de Representación del IMSS",
        crate::model::PlaceKind::Unit => "Unidad médica",
    };
    let items: Vec<PlaceItem> = site
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| PlaceItem {
            link: Link {
                text: p.name.clone(),
                href: place_href(site, i),
            },
            kind: kind_label(p.kind),
            reports: site.reports_by_place[i].len(),
            bulletins: site.bulletins_by_place[i].len(),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("places", &items);
    r.page(
        "lugares/",
        "places.html",
        Meta::new(
            "Lugares",
            "Entidades, Oficinas de Representación y unidades médicas del IMSS que nombran los boletines.",
            "lugares",
        ),
        ctx,
    );

    // What a place page shows: its latest reports and bulletins, their totals, its chart.
    let key = |i: usize, _: &crate::model::Place| {
        let mut h = DefaultHasher::new();
        let (reports, bulletins) = (&site.reports_by_place[i], &site.bulletins_by_place[i]);
        (reports.len(), bulletins.len()).hash(&mut h);
        for &(b, ri) in reports.iter().take(PLACE_REPORTS) {
            (site.bulletins[b].fingerprint, ri).hash(&mut h);
        }
        for &b in bulletins.iter().take(LISTED) {
            site.bulletins[b].fingerprint.hash(&mut h);
        }
        for &(b, _) in reports {
            let b = &site.bulletins[b];
            (b.sort_date(), b.stated_date()).hash(&mut h);
        }
        for c in &r.charts_drawn.places[i] {
            c.fingerprint.hash(&mut h);
        }
        h.finish()
    };
    r.par_each(&site.places, key, |r, i, p| {
        // Its own reports and those it shares with other places, each newest first.
        let own_all = own_reports(site, i);
        let shared_all: Vec<(usize, usize)> = site.reports_by_place[i]
            .iter()
            .copied()
            .filter(|br| !own_all.contains(br))
            .collect();
        let own: Vec<String> = own_all
            .iter()
            .take(PLACE_REPORTS)
            .filter_map(|&(bi, ri)| report_fragment(r, site, bi, ri))
            .collect();
        let shared: Vec<SharedReport> = shared_all
            .iter()
            .take(PLACE_REPORTS)
            .filter_map(|&(bi, ri)| {
                Some(SharedReport {
                    places: site.bulletins[bi].reports[ri].scope.len(),
                    html: report_fragment(r, site, bi, ri)?,
                })
            })
            .collect();
        let bulletins: Vec<BulletinSummary> = site.bulletins_by_place[i]
            .iter()
            .take(LISTED)
            .map(|&b| bulletin_summary(&site.bulletins[b]))
            .collect();
        let parts: Vec<Link> = site
            .places
            .iter()
            .enumerate()
            .filter(|(_, q)| q.state == Some(i))
            .map(|(j, q)| Link {
                text: q.name.clone(),
                href: place_href(site, j),
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("name", &p.name);
        ctx.insert("national", &(p.kind == crate::model::PlaceKind::National));
        ctx.insert("kind", kind_label(p.kind));
        ctx.insert("note", &p.note);
        ctx.insert("state", &p.state.map(|s| place_link(site, s)));
        ctx.insert("parts", &parts);
        let charts = &r.charts_drawn.places[i];
        for c in charts {
            r.register(c, &place_href(site, i));
        }
        ctx.insert("charts", charts);
        ctx.insert("own", &own);
        ctx.insert("own_total", &own_all.len());
        ctx.insert("shared", &shared);
        ctx.insert("shared_total", &shared_all.len());
        ctx.insert("bulletins", &bulletins);
        ctx.insert("bulletins_total", &site.bulletins_by_place[i].len());
        ctx.insert("csv", &format!("datos/lugares/{}.csv", p.id));
        let meta = Meta {
            lastmod: LastMod::of(
                site.reports_by_place[i]
                    .iter()
                    .map(|&(b, _)| &site.bulletins[b]),
            ),
            ..Meta::new(
                &p.name,
                format!("Cifras de los boletines del IMSS que abarcan {}.", p.name),
                "lugares",
            )
        };
        r.page(&place_href(site, i), "place.html", meta, ctx);
    });
    // Each place's CSV marks its own figures apart from the joint totals, as its page does:
    // summing a place's rows without that column would count the shared totals too.
    // Figure by figure: a figure may have its own scope, narrower than its report's.
    for (i, p) in site.places.iter().enumerate() {
        let in_place = site.reports_by_place[i].iter().flat_map(|&(bi, ri)| {
            let figures = &site.bulletins[bi].reports[ri].figures;
            (0..figures.len()).filter_map(move |fi| {
                let scope = &figures[fi].scope;
                let concerned = scope
                    .iter()
                    .any(|&q| q == i || site.places[q].state == Some(i));
                let kind = if own_scope(site, i, scope) {
                    ScopeKind::Own
                } else {
                    ScopeKind::Shared
                };
                let o = ObsRef {
                    bulletin: bi,
                    report: ri,
                    figure: fi,
                };
                concerned.then_some((o, kind))
            })
        });
        r.place_csv(format!("datos/lugares/{}.csv", p.id), in_place.collect());
    }
}
