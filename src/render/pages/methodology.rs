//! The methodology page (`metodologia/`): how the figures are counted, and the data's known
//! problems (contradictions, undated bulletins, inferred years) listed from the site itself.

use serde::Serialize;
use tera::Context;

use crate::model::ObsRef;
use crate::render::renderer::{Meta, Renderer};
use crate::render::views::{bulletin_link, metric_link, value_text, Link};

/// A figure its bulletin contradicts, for the list of contradictions.
#[derive(Serialize)]
struct ConflictItem {
    metric: Link,
    value: String,
    others: String,
    note: String,
    bulletin: Link,
    period: String,
}

/// The methodology page.
pub(in crate::render) fn render(r: &mut Renderer) {
    let site = r.site;
    let conflicts: Vec<ConflictItem> = site
        .all_observations()
        .filter_map(|o| {
            let f = site.figure(o);
            let c = f.conflict.as_ref()?;
            let b = &site.bulletins[o.bulletin];
            Some(ConflictItem {
                metric: metric_link(site, f.metric),
                value: value_text(f.value, f.qualifier),
                others: c
                    .other_values
                    .iter()
                    .map(|v| crate::model::format::number(*v))
                    .collect::<Vec<_>>()
                    .join(", "),
                note: c.note.clone(),
                bulletin: bulletin_link(b),
                period: site.figure(o).period.long_es(),
            })
        })
        .collect();
    let undated: Vec<(Link, String)> = site
        .bulletins
        .iter()
        .filter(|b| b.date.and_then(crate::model::PartialDate::day).is_none())
        .map(|b| (bulletin_link(b), b.date_note.clone().unwrap_or_default()))
        .collect();
    let inferred_years = site
        .bulletins
        .iter()
        .flat_map(|b| b.reports.iter())
        .filter(|rep| !rep.period.year_stated())
        .count();
    let partial_dates = site
        .all_observations()
        .filter(|o| site.figure(*o).period.partial())
        .count();
    let unknown_dates = site
        .all_observations()
        .filter(|o| {
            let f = site.figure(*o);
            f.period == crate::model::Period::Unstated
                && matches!(
                    f.kind,
                    crate::model::ReportKind::Event | crate::model::ReportKind::Cumulative
                )
        })
        .count();
    let all: Vec<ObsRef> = site.all_observations().collect();
    // Four apart: stated with the indicator's words, only the number (in a sentence about
    // something else), computed from stated parts, not in the text at all.
    let derived = all.iter().filter(|o| site.figure(**o).derived).count();
    let stated = |o: &&ObsRef| !site.figure(**o).derived;
    let traced = all
        .iter()
        .filter(stated)
        .filter(|o| site.figure(**o).traced().is_some())
        .count();
    let number_only = all
        .iter()
        .filter(stated)
        .filter(|o| site.figure(**o).number_only().is_some())
        .count();
    let qualified = all
        .iter()
        .filter(|o| site.figure(**o).qualifier.is_some())
        .count();
    let mut ctx = Context::new();
    ctx.insert("figure_count", &all.len());
    ctx.insert("traced", &traced);
    ctx.insert("number_only", &number_only);
    ctx.insert("derived", &derived);
    ctx.insert("not_found", &(all.len() - traced - number_only - derived));
    ctx.insert("partial_dates", &partial_dates);
    ctx.insert("unknown_dates", &unknown_dates);
    ctx.insert("qualified", &qualified);
    ctx.insert("conflicts", &conflicts);
    ctx.insert("undated", &undated);
    ctx.insert("inferred_years", &inferred_years);
    r.page(
        "metodologia/",
        "methodology.html",
        Meta::new(
            "Metodología y calidad de los datos",
            "Qué son las cifras, cómo se comparan periodos distintos, qué falta en la fuente y sus contradicciones.",
            "metodologia",
        ),
        ctx,
    );
}
