//! Rebuilding into the same output: social cards (PNGs) whose drawing is unchanged are taken from the previous
//! build instead of drawn again, and the result is byte for byte what a fresh build writes.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_path_buf();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

fn pngs(site: &BTreeMap<PathBuf, Vec<u8>>) -> usize {
    site.keys()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .count()
}

/// Build `root` into a new directory and return its files.
fn fresh(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let outcome = cifras::build(root, &out).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(outcome.reused, 0, "nothing to reuse in a new directory");
    files(&out)
}

#[test]
fn unchanged_pngs_are_reused_and_the_output_equals_a_fresh_build() {
    let (tmp, root) = common::project();
    let out = tmp.path().join("public");
    let first = cifras::build(&root, &out).unwrap();
    assert_eq!(first.reused, 0);
    let site = files(&out);
    let total = pngs(&site);
    // social cards: the site, each bulletin, each indicator (chart PNGs are made by browsers)
    assert!(total > 30, "{total} PNGs");

    // Nothing changed: every PNG is reused, and the site is byte-identical.
    let second = cifras::build(&root, &out).unwrap();
    assert_eq!(second.reused, total);
    assert!(files(&out) == site, "a rebuild changed the output");

    // One figure changes: the PNGs that show it are drawn again, the others reused, and the
    // result equals a fresh build of the edited content.
    let rel = "content/bulletins/imss-jornadas-recuperacion-servicios.yaml";
    let path = root.join(rel);
    let yaml = fs::read_to_string(&path).unwrap();
    let from = "value: 6552794";
    assert_eq!(yaml.matches(from).count(), 1, "{rel} states {from} once");
    fs::write(&path, yaml.replacen(from, "value: 6552795", 1)).unwrap();
    let third = cifras::build(&root, &out).unwrap_or_else(|d| panic!("{d}"));
    let edited = files(&out);
    assert!(
        third.reused > 0 && third.reused < total,
        "{} of {total} reused",
        third.reused
    );
    let redrawn: Vec<&PathBuf> = edited
        .iter()
        .filter(|(p, bytes)| {
            p.extension().is_some_and(|e| e == "png") && site.get(*p) != Some(bytes)
        })
        .map(|(p, _)| p)
        .collect();
    assert!(!redrawn.is_empty(), "the edited figure's PNGs changed");
    assert!(
        edited == fresh(&root),
        "a rebuild differs from a fresh build"
    );
}

#[test]
fn a_damaged_png_in_the_previous_output_is_drawn_again() {
    let (tmp, root) = common::project();
    let out = tmp.path().join("public");
    cifras::build(&root, &out).unwrap();
    let site = files(&out);
    let card = out.join("tarjetas/sitio.png");
    let good = fs::read(&card).unwrap();
    fs::write(&card, &good[..good.len() / 2]).unwrap();

    let again = cifras::build(&root, &out).unwrap();
    assert_eq!(again.reused, pngs(&site) - 1);
    assert_eq!(fs::read(&card).unwrap(), good);
    assert!(files(&out) == site);
}
