//! The maintainer's commands on a copy of the bundled content: `new`, `check --strict`,
//! `check --format json`, and rules that span reports or templates.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const B001: &str = "content/bulletins/imss-jornadas-recuperacion-servicios.yaml";

/// A copy of the real project content in a temporary directory.
fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let dest = root
            .join("content")
            .join(entry.path().strip_prefix(&src).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(entry.path(), &dest).unwrap();
        }
    }
    (tmp, root)
}

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
    text.lines().position(|l| l.contains(needle)).unwrap() as u32 + 1
}

#[test]
fn new_bulletin_scaffolds_a_checkable_pair_and_never_overwrites() {
    let (_tmp, root) = project();
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
    // The scaffold is valid as it stands: a warning (no reports yet), no error.
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
    let (_tmp, root) = project();
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
    let (_tmp, root) = project();
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
    let (_tmp, root) = project();
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
    let (_tmp, root) = project();
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
    let (_tmp, root) = project();
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
    let (_tmp, root) = project();
    fs::create_dir_all(root.join("templates")).unwrap();
    fs::write(root.join("templates/404.html"), "{% extends \"base.html\" %}{% block content %}{{ missing_variable.field }}{% endblock content %}").unwrap();
    let diags = cifras::check(&root).unwrap_err();
    let d = diags.errors().next().unwrap();
    assert_eq!(d.path, Path::new("templates/404.html"), "{d}");
    assert!(d.message.contains("missing_variable"), "{d}");
}
