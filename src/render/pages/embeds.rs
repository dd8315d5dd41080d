//! Every chart's own files: the SVG, the numbers as CSV and a minimal page to embed (the PNG is
//! made in the reader's browser). Rendered after the sections, from the charts they registered.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use tera::Context;

use crate::render::charts::{self, ChartView};
use crate::render::renderer::{Meta, Renderer};
use crate::render::OutputFile;

/// For every chart: the SVG, the numbers as CSV, and a minimal page to embed.
pub(in crate::render) fn render(r: &mut Renderer) {
    let charts: Vec<(ChartView, String)> =
        std::mem::take(&mut r.made.charts).into_values().collect();
    let key = |_: usize, (chart, page): &(ChartView, String)| {
        let mut h = DefaultHasher::new();
        (chart.fingerprint, page).hash(&mut h);
        h.finish()
    };
    r.par_each(&charts, key, |r, _, (chart, page)| {
        let f = &chart.files;
        r.emit(OutputFile {
            path: f.svg.clone(),
            bytes: Arc::<[u8]>::from(chart.svg.clone()),
        });
        r.file(f.csv.clone(), charts::csv(chart));
        let mut ctx = Context::new();
        ctx.insert("chart", chart);
        ctx.insert("page", page);
        let meta = Meta::new(&chart.caption, chart.spec.subtitle.clone(), "grafica");
        r.page(&f.embed, "embed.html", meta, ctx);
    });
}
