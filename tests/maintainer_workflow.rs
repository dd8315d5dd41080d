//! The maintainer's commands on a copy of the bundled content: `new`, `check --strict`,
//! `check --format json`, and rules that span reports or templates.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

const B001: &str = "content/bulletins/imss-jornadas-recuperacion-servicios.yaml";

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn cifras(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cifras"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn line_of(root: &Path, rel: &str, needle: &str) -> u32 {
    let text = fs::read_to_string(root.join(rel)).unwrap();
    // the last occurrence: for a duplicate, that is where the error is
    text.lines()
        .collect::<Vec<_>>()
        .iter()
        .rposition(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in {rel}")) as u32
        + 1
}

#[test]
fn new_bulletin_scaffolds_a_checkable_pair_and_never_overwrites() {
    let (_tmp, root) = common::project();
    let (code, stdout, _) = cifras(&root, &["new", "bulletin", "jornada-24-26-septiembre"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("jornada-24-26-septiembre.yaml"));
    let yaml =
        fs::read_to_string(root.join("content/bulletins/jornada-24-26-septiembre.yaml")).unwrap();
    for field in [
        "title:",
        "kicker:",
        "number:",
        "date:",
        "date_note:",
        "source:",
        "places:",
        "tags:",
        "notes:",
        "reports:",
        "kind:",
        "period:",
        "scope:",
        "figures:",
        "qualifier:",
        "conflict:",
        "year_stated",
    ] {
        assert!(yaml.contains(field), "scaffold explains {field}");
    }
    // Untouched, it does not publish: the placeholder title and text are located errors.
    let d = cifras::check(&root).expect_err("an untouched scaffold must not build");
    let said = d.to_string();
    assert!(
        said.contains("jornada-24-26-septiembre.yaml:")
            && said.contains("the bulletin's title still says POR COMPLETAR"),
        "{said}"
    );
    assert!(
        said.contains("jornada-24-26-septiembre.md:1:3: error")
            && said.contains("the bulletin's text still says POR COMPLETAR"),
        "{said}"
    );
    // With its title and text written, it is valid: a warning (no reports yet), no error.
    let at = |ext: &str| root.join(format!("content/bulletins/jornada-24-26-septiembre.{ext}"));
    let yaml = fs::read_to_string(at("yaml")).unwrap();
    fs::write(
        at("yaml"),
        yaml.replace("POR COMPLETAR: título del boletín", "8ª Jornada Nacional"),
    )
    .unwrap();
    fs::write(
        at("md"),
        "# 8ª Jornada Nacional\n\nEl IMSS realizó la jornada.\n",
    )
    .unwrap();
    let outcome = cifras::check(&root).unwrap_or_else(|d| panic!("{d}"));
    let warnings: Vec<_> = outcome.diagnostics.warnings().collect();
    assert_eq!(warnings.len(), 1, "{}", outcome.diagnostics);
    assert!(warnings[0].message.contains("no reports"));

    // A second time: refused, files untouched.
    fs::write(
        root.join("content/bulletins/jornada-24-26-septiembre.md"),
        "mine",
    )
    .unwrap();
    let (code, _, stderr) = cifras(&root, &["new", "bulletin", "jornada-24-26-septiembre"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert_eq!(
        fs::read_to_string(root.join("content/bulletins/jornada-24-26-septiembre.md")).unwrap(),
        "mine"
    );

    for bad in ["../fuera", "Mayúsculas", "con espacio", "a/b"] {
        let (code, _, stderr) = cifras(&root, &["new", "bulletin", bad]);
        assert_eq!(code, 1, "{bad}");
        assert!(stderr.contains("not a valid slug"), "{bad}: {stderr}");
    }
    assert!(!root.join("content/fuera.yaml").exists());
}

#[test]
fn strict_turns_warnings_into_a_failure() {
    let (_tmp, root) = common::project();
    edit(&root, B001, "value: 6552794", "value: 6552795");
    let (code, stdout, stderr) = cifras(&root, &["check"]);
    assert_eq!(code, 0, "warnings alone pass: {stderr}");
    assert!(stdout.starts_with("OK:"));
    let line = line_of(&root, B001, "6552795");
    assert!(stderr.contains(&format!("{B001}:{line}:")), "{stderr}");
    assert!(
        stderr.contains("warning: 6,552,795 (consultations.specialty) is not stated"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "── {}/{B001} (0 errors, 1 warning)",
            root.display()
        )),
        "grouped by file: {stderr}"
    );

    let (code, _, stderr) = cifras(&root, &["check", "--strict"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error: 6,552,795"), "{stderr}");

    let out = root.join("public");
    let (code, _, _) = cifras(
        &root,
        &["build", "--strict", "--output", out.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert!(!out.exists(), "a strict build with warnings writes nothing");
}

#[test]
fn json_diagnostics_for_editors() {
    let (_tmp, root) = common::project();
    edit(
        &root,
        B001,
        "metric: transplants.kidney",
        "metric: transplant.kidney",
    );
    let (code, stdout, _) = cifras(&root, &["check", "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["errors"], 1);
    let d = &v["diagnostics"][0];
    assert_eq!(d["severity"], "error");
    assert!(d["path"].as_str().unwrap().ends_with(B001));
    assert_eq!(d["line"], line_of(&root, B001, "transplant.kidney"));
    assert_eq!(d["column"], 19);
    assert_eq!(d["message"], "unknown metric `transplant.kidney`");
    assert_eq!(d["hint"], "did you mean `transplants.kidney`?");
}

#[test]
fn the_same_figure_in_two_reports_is_an_error() {
    let (_tmp, root) = common::project();
    // Give the 7th jornada the cumulative report's period: its surgeries now repeat a figure.
    edit(
        &root,
        B001,
        "start: 2021-09-10, end: 2021-09-12",
        "start: 2021-04-01, end: 2021-09-12",
    );
    let diags = cifras::check(&root).unwrap_err();
    let errors: Vec<_> = diags.errors().collect();
    assert!(errors.len() >= 3, "{diags}");
    let surgeries = errors
        .iter()
        .find(|d| {
            d.message
                .starts_with("`surgeries` repeats a figure of report `balance-1-abr-12-sep`")
        })
        .unwrap_or_else(|| panic!("{diags}"));
    assert_eq!(surgeries.path, Path::new(B001));
    assert_eq!(
        surgeries.pos.line,
        line_of(&root, B001, "metric: surgeries, value: 2537")
    );
}

#[test]
fn path_characters_in_ids_are_refused() {
    let (_tmp, root) = common::project();
    edit(&root, B001, "id: 7a-jornada-nacional", "id: ../7a-jornada");
    edit(
        &root,
        "content/places.yaml",
        "id: colima",
        "id: colima/norte",
    );
    let diags = cifras::check(&root).unwrap_err();
    let messages: Vec<String> = diags
        .errors()
        .map(|d| format!("{}:{}: {}", d.path.display(), d.pos.line, d.message))
        .collect();
    let report_line = line_of(&root, B001, "id: ../7a-jornada");
    assert!(
        messages.contains(&format!(
            "{B001}:{report_line}: report id `../7a-jornada` is not URL-safe"
        )),
        "{messages:?}"
    );
    let place_line = line_of(&root, "content/places.yaml", "id: colima/norte");
    assert!(
        messages.contains(&format!(
            "content/places.yaml:{place_line}: place id `colima/norte` is not URL-safe"
        )),
        "{messages:?}"
    );
}

#[test]
fn implausible_periods_are_errors() {
    let (_tmp, root) = common::project();
    edit(
        &root,
        B001,
        "start: 2021-04-01, end: 2021-09-12",
        "start: 2001-04-01, end: 2021-09-12",
    );
    let diags = cifras::check(&root).unwrap_err();
    let d = diags.errors().next().unwrap();
    assert_eq!(d.pos.line, line_of(&root, B001, "start: 2001-04-01"));
    assert!(d.message.contains("days is implausible"), "{d}");
}

#[test]
fn check_renders_templates_and_locates_their_errors() {
    let (_tmp, root) = common::project();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(root.join("templates/404.html"), "{% extends \"base.html\" %}{% block content %}{{ missing_variable.field }}{% endblock content %}").unwrap();
    let diags = cifras::check(&root).unwrap_err();
    let d = diags.errors().next().unwrap();
    assert_eq!(d.path, Path::new("templates/404.html"), "{d}");
    assert!(d.message.contains("missing_variable"), "{d}");
}

/// A template that does not compile is reported at its line and column, with what the parser
/// expected there, like a content error.
#[test]
fn template_syntax_errors_are_located() {
    let (_tmp, root) = common::project();
    fs::create_dir_all(root.join("templates")).unwrap();
    let template = "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ page_title }</p>\n{% endblock content %}\n";
    fs::write(root.join("templates/404.html"), template).unwrap();
    let diags = cifras::check(&root).unwrap_err();
    let errors: Vec<_> = diags.errors().collect();
    assert_eq!(errors.len(), 1, "{diags}");
    let d = errors[0];
    assert_eq!(d.path, Path::new("templates/404.html"), "{d}");
    assert_eq!((d.pos.line, d.pos.col), (3, 18), "{d}");
    assert!(d.message.contains("a variable end (`}}`)"), "{d}");
    let shown = diags.to_string();
    assert!(shown.contains("3 | <p>{{ page_title }</p>"), "{shown}");
}

/// Edit the bundled content once and expect exactly one error, at `needle`'s line in `rel`.
fn expect_one_error(
    edits: &[(&str, &str, &str)],
    rel: &str,
    needle: &str,
    message: &str,
    hint: &str,
) {
    let (_tmp, root) = common::project();
    for (file, from, to) in edits {
        edit(&root, file, from, to);
    }
    let diags = cifras::check(&root).unwrap_err();
    let errors: Vec<_> = diags.errors().collect();
    assert_eq!(errors.len(), 1, "{diags}");
    let d = errors[0];
    assert_eq!(d.path, Path::new(rel), "{d}");
    assert_eq!(d.pos.line, line_of(&root, rel, needle), "{d}");
    assert!(d.message.contains(message), "{d}");
    assert!(d.hint.as_deref().unwrap_or("").contains(hint), "{d}");
}

const METRICS: &str = "content/metrics.yaml";
const PLACES: &str = "content/places.yaml";
const B004: &str = "content/bulletins/imss-154-2022-recuperacion-servicios.yaml";

#[test]
fn decimals_need_a_declaration() {
    expect_one_error(
        &[(B001, "value: 956 }", "value: 956.5 }")],
        B001,
        "value: 956.5",
        "`transplants` counts whole trasplantes; this value has decimals",
        "declare `decimals:`",
    );
}

#[test]
fn years_outside_plausible_bounds() {
    expect_one_error(
        &[(B004, "date: 2022-03-30", "date: 2202-03-30")],
        B004,
        "date: 2202-03-30",
        "year 2202 is implausible",
        "between 1943 and 2100",
    );
}

#[test]
fn a_period_cannot_end_after_the_bulletin() {
    expect_one_error(
        &[(
            B004,
            "period: { start: 2022-01-01, end: 2022-03-30 }",
            "period: { start: 2022-01-01, end: 2022-04-30 }",
        )],
        B004,
        "end: 2022-04-30",
        "the period ends on 2022-04-30, after the bulletin's date 2022-03-30",
        "a bulletin reports the past",
    );
}

#[test]
fn a_stock_has_no_start_and_end() {
    expect_one_error(
        &[(B004, "kind: stock\n    period: { as_of: 2022-03-30 }\n    scope: [nacional]\n    note: \"«Actualmente»", "kind: stock\n    period: { start: 2022-03-01, end: 2022-03-30 }\n    scope: [nacional]\n    note: \"«Actualmente»")],
        B004,
        "period: { start: 2022-03-01",
        "this period does not fit figures of kind `stock`",
        "use `as_of`",
    );
}

#[test]
fn metric_ids_and_slugs_are_unique() {
    expect_one_error(
        &[(
            METRICS,
            "slug: trasplantes-corazon",
            "slug: trasplantes-rinon",
        )],
        METRICS,
        "slug: trasplantes-rinon",
        "slug `trasplantes-rinon` is used twice",
        "also on line",
    );
}

#[test]
fn unknown_parent_metric() {
    expect_one_error(
        &[(
            METRICS,
            "parent: transplants\n    definition: \"Trasplantes de corazón.\"",
            "parent: transplant\n    definition: \"Trasplantes de corazón.\"",
        )],
        METRICS,
        "parent: transplant",
        "unknown parent metric `transplant`",
        "did you mean `transplants`",
    );
}

#[test]
fn place_ids_are_unique_and_states_are_states() {
    expect_one_error(
        &[(
            PLACES,
            "    state: sonora\n",
            "    state: sonora\n  - id: colima\n    name: \"Colima bis\"\n    kind: state\n",
        )],
        PLACES,
        "id: colima",
        "place id `colima` is defined twice",
        "first definition",
    );
    expect_one_error(
        &[(
            PLACES,
            "state: veracruz\n\n  - id: umae",
            "state: veracruz-sur\n\n  - id: umae",
        )],
        PLACES,
        "state: veracruz-sur",
        "`veracruz-sur` is not a place of kind `state`",
        "",
    );
}

#[test]
fn parts_given_without_all_siblings_cannot_exceed_the_total() {
    expect_one_error(
        &[
            (B001, "value: 956 }", "value: 900 }"),
            (
                B001,
                "      - { metric: transplants.heart, value: 10 }\n",
                "",
            ),
        ],
        B001,
        "metric: transplants, value: 900",
        "`transplants` is 900 but its parts",
        "record it under `conflict`",
    );
}

#[test]
fn empty_scope_and_unknown_bulletin_place() {
    expect_one_error(
        &[(
            B004,
            "places:\n  - nacional\n  - puebla",
            "places:\n  - nacional\n  - pueblaa",
        )],
        B004,
        "  - pueblaa",
        "unknown place `pueblaa`",
        "did you mean `puebla`",
    );
    expect_one_error(
        &[(
            B004,
            "scope: [nacional]\n    note: \"«Actualmente»",
            "scope: []\n    note: \"«Actualmente»",
        )],
        B004,
        "scope: []",
        "the scope is empty",
        "scope: [nacional]",
    );
}

#[test]
fn build_refuses_to_overwrite_the_project_or_its_content() {
    let (_tmp, root) = common::project();
    for target in [root.clone(), root.join("content")] {
        let (code, _, stderr) = cifras(&root, &["build", "--output", target.to_str().unwrap()]);
        assert_eq!(code, 1, "{stderr}");
        assert!(
            stderr.contains("refusing to write the site into"),
            "{stderr}"
        );
    }
    assert!(
        root.join("content/site.yaml").is_file(),
        "nothing was deleted"
    );
}

#[test]
fn markup_in_catalogue_labels_is_escaped_everywhere() {
    let (_tmp, root) = common::project();
    edit(
        &root,
        METRICS,
        "label: \"Trasplantes de riñón\"",
        "label: \"<script>alert('riñón')</script> <b>Riñón</b>\"",
    );
    edit(
        &root,
        PLACES,
        "name: \"Jalisco\"",
        "name: \"Jalisco <img src=x onerror=alert(1)>\"",
    );
    let outcome = cifras::build_in_memory(&root, &cifras::Options::default(), None)
        .unwrap_or_else(|d| panic!("{d}"));
    let mut seen = 0;
    for f in &outcome.files {
        if !(f.path.ends_with(".html") || f.path.ends_with(".xml")) {
            continue;
        }
        let text = String::from_utf8_lossy(&f.bytes);
        assert!(!text.contains("<script>alert"), "{}", f.path);
        assert!(!text.contains("<b>Riñón"), "{}", f.path);
        assert!(!text.contains("<img src=x"), "{}", f.path);
        if text.contains("&lt;script&gt;alert") || text.contains("&lt;img src=x") {
            seen += 1;
        }
    }
    assert!(seen > 3, "the labels appear, escaped, on several pages");
}

#[test]
fn new_metric_and_place_append_entries_that_check_refuses_until_written() {
    let (_tmp, root) = common::project();
    let metrics = "content/metrics.yaml";
    let places = "content/places.yaml";
    let before = |rel: &str| fs::read(root.join(rel)).unwrap();
    let (metrics_before, places_before) = (before(metrics), before(places));

    let (code, stdout, stderr) = cifras(&root, &["new", "metric", "transplants.lung"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Added metric `transplants.lung`"),
        "{stdout}"
    );
    let (code, _, stderr) = cifras(&root, &["new", "place", "veracruz-norte"]);
    assert_eq!(code, 0, "{stderr}");
    // Appended only: the catalogues' own text is kept byte for byte.
    let metrics_after = before(metrics);
    assert!(metrics_after.starts_with(&metrics_before));
    assert!(before(places).starts_with(&places_before));
    let added = String::from_utf8(metrics_after[metrics_before.len()..].to_vec()).unwrap();
    assert!(added.contains("  - id: transplants.lung\n"), "{added}");
    assert!(added.contains("    parent: transplants\n"), "{added}");
    assert!(added.contains("    aliases: []\n"), "{added}");

    // Untouched, the entries do not publish: every placeholder is a located error.
    let (code, _, stderr) = cifras(&root, &["check"]);
    assert_eq!(code, 1, "{stderr}");
    for (rel, needle, what) in [
        (
            metrics,
            "label: \"POR COMPLETAR",
            "the label of metric `transplants.lung`",
        ),
        (
            metrics,
            "unit: \"POR COMPLETAR",
            "the unit of metric `transplants.lung`",
        ),
        (
            metrics,
            "definition: \"POR COMPLETAR",
            "the definition of metric `transplants.lung`",
        ),
        (
            places,
            "name: \"POR COMPLETAR",
            "the name of place `veracruz-norte`",
        ),
    ] {
        let line = line_of(&root, rel, needle);
        let text = fs::read_to_string(root.join(rel)).unwrap();
        let col = text
            .lines()
            .nth(line as usize - 1)
            .unwrap()
            .find('"')
            .unwrap()
            + 1;
        let expected = format!("{rel}:{line}:{col}: error: {what} still says POR COMPLETAR");
        assert!(stderr.contains(&expected), "{expected}: {stderr}");
    }

    // An id already there is refused, and nothing is written.
    let snapshot = before(metrics);
    for (args, message) in [
        (
            &["new", "metric", "transplants.lung"][..],
            "metric `transplants.lung` is already there",
        ),
        (
            &["new", "metric", "consultations"][..],
            "metric `consultations` is already there",
        ),
        (
            &["new", "place", "nacional"][..],
            "place `nacional` is already there",
        ),
        (
            &["new", "metric", "Trasplantes"][..],
            "not a valid metric id",
        ),
        (&["new", "place", "../fuera"][..], "not a valid place id"),
    ] {
        let (code, _, stderr) = cifras(&root, args);
        assert_eq!(code, 1, "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    // the refusal names the line of the entry already there
    let text = fs::read_to_string(root.join(metrics)).unwrap();
    let line = 1 + text
        .lines()
        .position(|l| l == "  - id: consultations")
        .unwrap();
    let (_, _, stderr) = cifras(&root, &["new", "metric", "consultations"]);
    assert!(
        stderr.contains(&format!("metrics.yaml:{line}: metric `consultations`")),
        "{stderr}"
    );
    assert_eq!(before(metrics), snapshot);

    // Written in, the project is clean, and the new indicator and place have pages.
    edit(
        &root,
        metrics,
        "\"POR COMPLETAR: nombre del indicador\"",
        "\"Trasplantes de pulmón\"",
    );
    edit(
        &root,
        metrics,
        "unit: \"POR COMPLETAR\"",
        "unit: trasplantes",
    );
    edit(
        &root,
        metrics,
        "\"POR COMPLETAR: qué cuenta este indicador.\"",
        "\"Trasplantes de pulmón.\"",
    );
    edit(
        &root,
        places,
        "\"POR COMPLETAR: nombre del lugar\"",
        "\"Veracruz Norte\"",
    );
    edit(
        &root,
        places,
        "kind: state\n    # An office",
        "kind: office\n    state: veracruz\n    # An office",
    );
    let (code, stdout, stderr) = cifras(&root, &["check", "--strict"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("OK:"), "{stdout}");
    let outcome = cifras::build_in_memory(&root, &cifras::Options::default(), None).unwrap();
    for page in [
        "indicadores/transplants-lung/index.html",
        "lugares/veracruz-norte/index.html",
    ] {
        assert!(outcome.files.iter().any(|f| f.path == page), "{page}");
    }
}

#[test]
fn every_bundled_figure_is_traced_with_its_words() {
    let (_tmp, root) = common::project();
    let (code, stdout, stderr) = cifras(
        &root,
        &["check", "--strict", "--explain", "--format", "json"],
    );
    assert_eq!(code, 0, "{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let figures = v["figures"].as_array().unwrap();
    // as many as the bulletins' YAML files list
    let listed: usize = fs::read_dir(root.join("content/bulletins"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| fs::read_to_string(p).unwrap().matches("metric: ").count())
        .sum();
    assert_eq!(figures.len(), listed);
    for f in figures {
        assert_eq!(f["trace"], "found", "{f}");
    }
    // The plain-text form: one line per figure, located, with its sentence.
    let (_, stdout, _) = cifras(&root, &["check", "--explain"]);
    let line = line_of(&root, B001, "value: 475725");
    assert!(
        stdout.contains(&format!("{B001}:{line}:16: surgeries 475,725: «")),
        "{stdout}"
    );
}

/// `qualifier: almost` («casi»): accepted, written «casi» beside the number on the bulletin's
/// page, and `almost` in the downloads; an unknown qualifier is a located error.
#[test]
fn almost_is_a_qualifier_shown_as_casi() {
    let (tmp, root) = common::project();
    let rel = "content/bulletins/imss-jornadas-recuperacion-servicios.yaml";
    let yaml = fs::read_to_string(root.join(rel)).unwrap();
    let from = "{ metric: consultations.specialty, value: 6552794 }";
    assert_eq!(yaml.matches(from).count(), 1);
    let with = |q: &str| {
        yaml.replacen(
            from,
            &format!("{{ metric: consultations.specialty, value: 6552794, qualifier: {q} }}"),
            1,
        )
    };
    fs::write(root.join(rel), with("almost")).unwrap();
    let out = tmp.path().join("public");
    cifras::build(&root, &out).unwrap_or_else(|d| panic!("{d}"));
    let page =
        fs::read_to_string(out.join("boletines/imss-jornadas-recuperacion-servicios/index.html"))
            .unwrap();
    assert!(page.contains("casi 6,552,794"), "the page says «casi»");
    let csv = fs::read_to_string(out.join("datos/cifras.csv")).unwrap();
    let row = csv.lines().find(|l| l.contains(",6552794,")).unwrap();
    assert!(row.contains(",almost,"), "{row}");

    fs::write(root.join(rel), with("nearly")).unwrap();
    let said = cifras::check(&root).unwrap_err().to_string();
    let line = 1 + with("nearly")
        .lines()
        .position(|l| l.contains("nearly"))
        .unwrap();
    assert!(
        said.contains(&format!("{rel}:{line}:")) && said.contains("almost"),
        "{said}"
    );
}
