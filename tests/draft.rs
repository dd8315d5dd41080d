//! `cifras new bulletin --from`: drafts of the five seeds measured against the bundled,
//! hand-made YAML (the ground truth), the draft passing `cifras check`, never overwriting, and
//! the PDF and HTML readers on files made by Chromium from a seed.
//!
//! Run the measurement with `cargo test --test draft -- --nocapture accuracy` (it prints a table).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use cifras::draft::{self, Catalogue, Options};
use cifras::load::parse_str;
use cifras::load::schema::{BulletinFile, MetricsFile, Number, PlacesFile};

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn catalogue() -> Catalogue {
    let read = |n: &str| fs::read_to_string(manifest().join("content").join(n)).unwrap();
    let metrics: MetricsFile = parse_str(&read("metrics.yaml")).unwrap();
    let places: PlacesFile = parse_str(&read("places.yaml")).unwrap();
    Catalogue::new(&metrics, &places)
}

/// (metric, value) of every figure of a bulletin file.
fn figures(yaml: &str) -> Vec<(String, Number)> {
    let b: BulletinFile = parse_str(yaml).unwrap_or_else(|e| panic!("{e:?}\n{yaml}"));
    b.reports
        .iter()
        .flat_map(|r| r.figures.iter())
        .map(|f| (f.metric.value.clone(), f.value.value))
        .collect()
}

#[derive(Default, Debug, Clone, Copy)]
struct Score {
    truth: usize,
    value: usize,
    metric: usize,
    extra: usize,
}

impl Score {
    fn add(&mut self, o: Score) {
        self.truth += o.truth;
        self.value += o.value;
        self.metric += o.metric;
        self.extra += o.extra;
    }
    fn pct(n: usize, d: usize) -> f64 {
        100.0 * n as f64 / d.max(1) as f64
    }
}

/// Match drafted figures to true ones one to one: same value, same metric preferred.
fn score(truth: &[(String, Number)], drafted: &[(String, Number)]) -> Score {
    let mut used = vec![false; drafted.len()];
    let mut s = Score {
        truth: truth.len(),
        ..Score::default()
    };
    // exact matches first, so a value stated twice pairs with its own metric
    let mut matched = vec![false; truth.len()];
    for (ti, (m, v)) in truth.iter().enumerate() {
        if let Some(k) = (0..drafted.len()).find(|&k| !used[k] && drafted[k].1 == *v && drafted[k].0 == *m) {
            used[k] = true;
            matched[ti] = true;
            s.value += 1;
            s.metric += 1;
        }
    }
    for (ti, (_, v)) in truth.iter().enumerate() {
        if matched[ti] {
            continue;
        }
        if let Some(k) = (0..drafted.len()).find(|&k| !used[k] && drafted[k].1 == *v) {
            used[k] = true;
            s.value += 1;
        }
    }
    s.extra = used.iter().filter(|u| !**u).count();
    s
}

const SEEDS: [(&str, &str); 5] = [
    ("000_718d8f33821276fe.txt", "imss-rehabilitacion-post-covid"),
    ("001_4e7f88594abcbb5c.txt", "imss-jornadas-recuperacion-servicios"),
    ("002_181dca95cbf6482a.txt", "imss-jornadas-monotematicas-agosto"),
    ("003_09f615f913ce48ba.txt", "imss-jornadas-monotematicas-julio"),
    ("004_aafd1ed5760d9463.txt", "imss-154-2022-recuperacion-servicios"),
];

fn seed(name: &str) -> String {
    fs::read_to_string(manifest().join("tests/fixtures/seeds").join(name)).unwrap()
}

#[test]
fn accuracy_on_the_five_seeds() {
    let cat = catalogue();
    let mut total = Score::default();
    let mut with_comments = Score::default();
    println!("seed | figures | right value | right metric | non-figures drafted | (+ commented entries: value, metric)");
    for (file, slug) in SEEDS {
        let d = draft::draft(&seed(file), file, &cat, &Options::default());
        let truth = figures(&fs::read_to_string(manifest().join(format!("content/bulletins/{slug}.yaml"))).unwrap());
        let drafted = figures(&d.yaml);
        let s = score(&truth, &drafted);
        let mut all = drafted.clone();
        all.extend(d.commented.iter().cloned());
        let c = score(&truth, &all);
        println!(
            "{file} | {} | {} | {} | {} | ({}, {})",
            s.truth, s.value, s.metric, s.extra, c.value, c.metric
        );
        total.add(s);
        with_comments.add(c);
    }
    let value = Score::pct(total.value, total.truth);
    let metric = Score::pct(total.metric, total.truth);
    let extra = Score::pct(total.extra, total.truth);
    println!(
        "all | {} | {value:.1} % | {metric:.1} % | {extra:.1} % | ({:.1} %, {:.1} % counting commented entries)",
        total.truth,
        Score::pct(with_comments.value, total.truth),
        Score::pct(with_comments.metric, total.truth),
    );
    assert!(value >= 95.0, "right value {value:.1} % < 95 %");
    assert!(metric >= 85.0, "right metric {metric:.1} % < 85 %");
    assert!(extra <= 10.0, "non-figures {extra:.1} % > 10 %");
}
