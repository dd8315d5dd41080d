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
        if let Some(k) =
            (0..drafted.len()).find(|&k| !used[k] && drafted[k].1 == *v && drafted[k].0 == *m)
        {
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
    (
        "001_4e7f88594abcbb5c.txt",
        "imss-jornadas-recuperacion-servicios",
    ),
    (
        "002_181dca95cbf6482a.txt",
        "imss-jornadas-monotematicas-agosto",
    ),
    (
        "003_09f615f913ce48ba.txt",
        "imss-jornadas-monotematicas-julio",
    ),
    (
        "004_aafd1ed5760d9463.txt",
        "imss-154-2022-recuperacion-servicios",
    ),
];

fn seed(name: &str) -> String {
    fs::read_to_string(manifest().join("tests/fixtures/seeds").join(name)).unwrap()
}

/// Draft every seed and score it against the bundled YAML; prints one row per seed.
fn measure(options: &Options, label: &str) -> (Score, Score) {
    let cat = catalogue();
    let mut total = Score::default();
    let mut with_comments = Score::default();
    println!("\n{label}\nseed | figures | right value | right metric | non-figures drafted | with commented entries: value, metric");
    for (file, slug) in SEEDS {
        let d = draft::draft(&seed(file), file, &cat, options);
        let truth = figures(
            &fs::read_to_string(manifest().join(format!("content/bulletins/{slug}.yaml"))).unwrap(),
        );
        let drafted = figures(&d.yaml);
        let s = score(&truth, &drafted);
        let mut all = drafted.clone();
        all.extend(d.commented.iter().cloned());
        let c = score(&truth, &all);
        println!(
            "{file} | {} | {} | {} | {} | {}, {}",
            s.truth, s.value, s.metric, s.extra, c.value, c.metric
        );
        total.add(s);
        with_comments.add(c);
    }
    println!(
        "all | {} | {:.1} % | {:.1} % | {:.1} % | {:.1} %, {:.1} %",
        total.truth,
        Score::pct(total.value, total.truth),
        Score::pct(total.metric, total.truth),
        Score::pct(total.extra, total.truth),
        Score::pct(with_comments.value, total.truth),
        Score::pct(with_comments.metric, total.truth),
    );
    (total, with_comments)
}

/// The targets: ≥ 95 % right value, ≥ 85 % right metric, ≤ 10 % non-figures drafted.
#[test]
fn accuracy_on_the_five_seeds() {
    // As a maintainer runs it for year-less bulletins: `--year 2021` (the bundled YAML takes
    // 2021 from context for seeds 001 and 003, whose texts state no year). Seeds whose text
    // states a year or a date ignore it.
    let (s, _) = measure(&Options { year: Some(2021) }, "with --year 2021");
    let (value, metric, extra) = (
        Score::pct(s.value, s.truth),
        Score::pct(s.metric, s.truth),
        Score::pct(s.extra, s.truth),
    );
    assert!(value >= 95.0, "right value {value:.1} % < 95 %");
    assert!(metric >= 85.0, "right metric {metric:.1} % < 85 %");
    assert!(extra <= 10.0, "non-figures {extra:.1} % > 10 %");

    // From the text alone. Seed 001 states two periods and no year: both are drafted
    // `period: unknown`, a jornada (`event`) and a balance (`cumulative`), which `check` keeps
    // apart by kind, so no figure stays behind as a commented entry.
    let (s, c) = measure(&Options::default(), "from the text alone");
    assert!(Score::pct(s.value, s.truth) >= 95.0, "{s:?}");
    assert!(Score::pct(s.metric, s.truth) >= 85.0, "{s:?}");
    assert!(Score::pct(s.extra, s.truth) <= 10.0, "{s:?}");
    assert_eq!(
        c.value, c.truth,
        "every figure is at least a commented entry: {c:?}"
    );
}

/// A project with every seed's draft added passes `cifras check`, and the drafts never
/// overwrite anything.
#[test]
fn drafts_pass_check_and_never_overwrite() {
    let (_tmp, root) = common::project();
    for (file, _) in SEEDS {
        let slug = format!("draft-{}", &file[..3]);
        let from = manifest().join("tests/fixtures/seeds").join(file);
        draft::new_bulletin_from(&root, &slug, &from, &Options::default()).unwrap();
    }
    let pdf = manifest().join("tests/fixtures/draft/seed-001.pdf");
    draft::new_bulletin_from(&root, "draft-pdf", &pdf, &Options::default()).unwrap();
    let html = manifest().join("tests/fixtures/draft/seed-001.html");
    draft::new_bulletin_from(&root, "draft-html", &html, &Options::default()).unwrap();
    match cifras::check(&root) {
        Ok(o) => {
            let errors: Vec<_> = o.diagnostics.errors().collect();
            assert!(errors.is_empty(), "{errors:?}");
            assert_eq!(o.bulletins, 12);
        }
        Err(d) => panic!("check failed:\n{d}"),
    }
    // never overwrites: a second draft to the same slug fails and leaves both files alone
    let yaml = root.join("content/bulletins/draft-000.yaml");
    let md = root.join("content/bulletins/draft-000.md");
    fs::write(&md, "edited by hand").unwrap();
    let before = fs::read(&yaml).unwrap();
    let from = manifest().join("tests/fixtures/seeds").join(SEEDS[1].0);
    let e = draft::new_bulletin_from(&root, "draft-000", &from, &Options::default()).unwrap_err();
    assert!(e.contains("already exists"), "{e}");
    assert_eq!(fs::read(&yaml).unwrap(), before);
    assert_eq!(fs::read_to_string(&md).unwrap(), "edited by hand");
    // only the .md there: still refused, and no .yaml appears
    fs::remove_file(&yaml).unwrap();
    assert!(draft::new_bulletin_from(&root, "draft-000", &from, &Options::default()).is_err());
    assert!(!yaml.exists());
}

/// The same seed printed by Chromium to a two-column PDF with a page break and "552 / mil 794"
/// broken across lines: the draft reads it as the text file does.
#[test]
fn pdf_and_html_read_like_the_text() {
    let cat = catalogue();
    let text = draft::draft(&seed(SEEDS[1].0), "t", &cat, &Options::default());
    for file in ["seed-001.pdf", "seed-001.html"] {
        let source =
            draft::read_source(&manifest().join("tests/fixtures/draft").join(file)).unwrap();
        let d = draft::draft(&source, file, &cat, &Options::default());
        assert!(
            d.markdown
                .contains("6 millones 552 mil 794 consultas de especialidad"),
            "{file}:\n{}",
            d.markdown
        );
        assert!(d.markdown.contains("Con Jornadas de Recuperación de Servicios, IMSS intensifica consultas y cirugías diferidas por la pandemia"), "{file}");
        assert!(
            !d.markdown.contains("Unidad de Comunicación Social"),
            "{file}: running header kept"
        );
        let got = figures(&d.yaml);
        assert!(
            got.contains(&(
                "consultations.specialty".to_string(),
                Number::int(6_552_794)
            )),
            "{file}: {got:?}"
        );
        let truth = figures(&text.yaml);
        let s = score(&truth, &got);
        assert!(
            s.metric * 10 >= s.truth * 9,
            "{file}: {s:?} against the .txt draft"
        );
    }
}

/// Damaged PDFs (truncated, bytes overwritten) give an error or a text, never a panic, and
/// each within the reader's deadline.
#[test]
fn damaged_pdfs_fail_cleanly() {
    let good = fs::read(manifest().join("tests/fixtures/draft/seed-001.pdf")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut x: u64 = 7;
    for k in 0..24 {
        let mut bytes = good.clone();
        if k % 2 == 0 {
            bytes.truncate(good.len() * (k + 1) / 26);
        } else {
            for _ in 0..40 {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let at = (x >> 33) as usize % bytes.len();
                bytes[at] = (x >> 20) as u8;
            }
        }
        let path: &Path = &dir.path().join(format!("bad-{k}.pdf"));
        fs::write(path, &bytes).unwrap();
        let started = std::time::Instant::now();
        match draft::read_source(path) {
            Ok(t) => assert!(!t.trim().is_empty()),
            Err(e) => assert!(e.contains("bad-") && e.len() > 20, "{e}"),
        }
        assert!(started.elapsed().as_secs() < 25);
    }
    let not_pdf = dir.path().join("x.pdf");
    fs::write(&not_pdf, "hola").unwrap();
    assert!(draft::read_source(&not_pdf)
        .unwrap_err()
        .contains("not a PDF"));
    let unknown = dir.path().join("x.docx");
    fs::write(&unknown, "hola").unwrap();
    assert!(draft::read_source(&unknown)
        .unwrap_err()
        .contains(".pdf, .txt"));
}

/// One endless sentence of numbers (a table flattened by an extraction, or a hostile file):
/// the draft's work per number is bounded, so the whole stays fast.
#[test]
fn long_sentences_stay_fast() {
    let cat = catalogue();
    let text = format!(
        "Título\n\nSe hicieron {}y 7 cirugías.\n",
        "5 cirugías, ".repeat(5_000)
    );
    let started = std::time::Instant::now();
    let d = draft::draft(&text, "t", &cat, &Options::default());
    assert!(
        d.yaml.contains("surgeries"),
        "{}",
        &d.yaml[..d.yaml.len().min(2000)]
    );
    assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
}
