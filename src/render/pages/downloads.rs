//! The data page (`datos/`) and the whole site's CSV and JSON downloads. (The page module is
//! not called `data`: `render::data` is the encoding of those downloads.)

use tera::Context;

use crate::model::ObsRef;
use crate::render::publish;
use crate::render::renderer::{Meta, Renderer};
use crate::render::views::Link;

/// The data page and the downloads of every figure.
pub(in crate::render) fn render(r: &mut Renderer) {
    let site = r.site;
    let all: Vec<ObsRef> = site.all_observations().collect();
    r.data_file("datos/cifras.csv".into(), all.clone(), false);
    r.data_file("datos/cifras.json".into(), all, true);
    let per_metric: Vec<(Link, usize)> = site
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| {
            (
                Link {
                    text: m.label.clone(),
                    href: format!("datos/indicadores/{}.csv", m.slug),
                },
                site.by_metric[i].len(),
            )
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("per_metric", &per_metric);
    ctx.insert("figure_count", &site.all_observations().count());
    let base = &site.config.base_url;
    let (csv, json) = (
        format!("{base}datos/cifras.csv"),
        format!("{base}datos/cifras.json"),
    );
    let all: Vec<ObsRef> = site.all_observations().collect();
    let periods: Vec<&crate::model::Period> = all.iter().map(|o| &site.figure(*o).period).collect();
    let places: Vec<usize> = all
        .iter()
        .flat_map(|o| site.figure(*o).scope.iter().copied())
        .collect();
    let description = format!(
        "Las {} cifras de los boletines del IMSS sobre la recuperación de servicios médicos, en CSV y JSON, una fila por cifra.",
        all.len()
    );
    let meta = Meta {
        jsonld: Some(publish::dataset(
            site,
            &site.config.title,
            &description,
            &format!("{base}datos/"),
            &[("text/csv", &csv), ("application/json", &json)],
            &periods,
            &places,
        )),
        ..Meta::new("Datos", description.clone(), "datos")
    };
    r.page("datos/", "data.html", meta, ctx);
}
