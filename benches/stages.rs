//! Per-stage benchmarks on a synthetic corpus (`cifras::synth`), so the next bottleneck is
//! visible: `cargo bench --bench stages`. Whole builds against Hugo: `bench/whole_build.py`.

use std::path::Path;

use cifras::{load, model, render, validate};
use criterion::{criterion_group, criterion_main, Criterion};

/// Bulletins in the benchmark corpus: enough for every indicator and place page to be busy.
const N: usize = 200;

fn stages(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let root = dir.path();
    cifras::synth::write(root, N, 1, None).expect("synthetic corpus");
    let tera = render::templates(root).expect("templates");
    let (sources, _) = load::load(root).expect("load");
    let content = || validate::validate(&sources).0.expect("valid corpus");
    let site = model::Site::new(content());
    let charts = render::charts::SiteCharts::draw(&site, None, None);
    let rendered =
        render::render(&site, &charts, &tera, root, None, render::Sink::Keep).expect("render");

    let mut g = c.benchmark_group(format!("{N} bulletins"));
    g.sample_size(10);
    g.bench_function("load", |b| b.iter(|| load::load(root).expect("load")));
    g.bench_function("validate", |b| b.iter(|| validate::validate(&sources)));
    g.bench_function("model", |b| {
        b.iter_batched(content, model::Site::new, criterion::BatchSize::LargeInput)
    });
    g.bench_function("charts (SVG)", |b| {
        b.iter(|| render::charts::SiteCharts::draw(&site, None, None))
    });
    g.bench_function("render", |b| {
        b.iter(|| {
            render::render(&site, &charts, &tera, root, None, render::Sink::Keep).expect("render")
        })
    });
    // One social card: drawing all of them is the build's largest cost (chart PNGs are made
    // in the reader's browser).
    let card = rendered
        .deferred
        .iter()
        .find(|r| matches!(r.image, render::Image::Card(_)))
        .expect("a social card");
    g.bench_function("draw (one social card)", |b| b.iter(|| card.draw()));
    let out = root.join("public");
    g.bench_function("write", |b| {
        b.iter(|| cifras::write::write_site(Path::new(&out), &rendered.files, &[]).expect("write"))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
