//! The build cache (`--cache-dir`): social cards, chart drawings and the search index are kept
//! between builds under a hash of what they are made from. A build with the cache writes byte
//! for byte what a build without it writes, whatever state the cache is in; an edit remakes
//! exactly what depends on it.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use cifras::cache::Counts;

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

/// Build `root` into `out` with the cache in `cache`: (cards, svgs, search) counts.
fn cached(root: &Path, out: &Path, cache: &Path) -> [Counts; 3] {
    let options = cifras::Options {
        cache: Some(cache.to_path_buf()),
        ..Default::default()
    };
    let outcome = cifras::build_with(root, out, &options).unwrap_or_else(|d| panic!("{d}"));
    let said = outcome.diagnostics.to_string();
    assert!(!said.contains("cache"), "{said}");
    outcome.cache.expect("the cache was used")
}

/// Build `root` into a new directory without a cache and return its files.
fn fresh(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let outcome = cifras::build(root, &out).unwrap_or_else(|d| panic!("{d}"));
    assert!(outcome.cache.is_none());
    files(&out)
}

fn all_made(c: Counts) -> bool {
    c.hits == 0 && c.made > 0
}

fn all_hit(c: Counts) -> bool {
    c.made == 0 && c.hits > 0
}

#[test]
fn a_warm_cache_remakes_nothing_and_changes_nothing() {
    let (tmp, root) = common::project();
    let (out, cache) = (tmp.path().join("public"), tmp.path().join("cache"));
    let [cards, svgs, search] = cached(&root, &out, &cache);
    assert!(all_made(cards) && all_made(svgs), "{cards:?} {svgs:?}");
    assert_eq!(search.made, usize::from(cifras::search::AVAILABLE));
    let site = files(&out);
    assert!(
        site == fresh(&root),
        "a cold cached build differs from a plain one"
    );
    // social cards: the site, each bulletin, each indicator, each place
    assert!(cards.made > 30, "{cards:?}");

    let [cards2, svgs2, search2] = cached(&root, &out, &cache);
    assert_eq!((cards2.hits, cards2.made), (cards.made, 0));
    assert_eq!((svgs2.hits, svgs2.made), (svgs.made, 0));
    assert_eq!(search2.made, 0);
    assert!(
        files(&out) == site,
        "a warm cached build changed the output"
    );
    // The cache does not grow with rebuilds: one build's worth.
    let entries = walkdir::WalkDir::new(&cache).into_iter().flatten().count();
    cached(&root, &out, &cache);
    assert_eq!(
        walkdir::WalkDir::new(&cache).into_iter().flatten().count(),
        entries
    );
}

#[test]
fn damaged_entries_and_other_versions_are_made_again() {
    let (tmp, root) = common::project();
    let (out, cache) = (tmp.path().join("public"), tmp.path().join("cache"));
    let [cards, svgs, _] = cached(&root, &out, &cache);
    let site = files(&out);
    let entries = |kind: &str| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = fs::read_dir(cache.join(kind))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    };
    // One card corrupted in place (same length), one drawing truncated, one card deleted.
    let card = &entries("cards")[0];
    let mut bytes = fs::read(card).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    fs::write(card, &bytes).unwrap();
    let svg = &entries("svg")[0];
    let text = fs::read(svg).unwrap();
    fs::write(svg, &text[..text.len() / 3]).unwrap();
    fs::remove_file(&entries("cards")[1]).unwrap();

    let [c, s, _] = cached(&root, &out, &cache);
    assert_eq!((c.hits, c.made), (cards.made - 2, 2));
    assert_eq!((s.hits, s.made), (svgs.made - 1, 1));
    assert!(files(&out) == site, "damaged entries reached the output");

    // Written by another version of cifras: nothing is trusted.
    let index = cache.join("index");
    let text = fs::read_to_string(&index).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    let other = format!(
        "{} 0000000000000001\n{rest}",
        header.rsplit_once(' ').unwrap().0
    );
    fs::write(&index, other).unwrap();
    let [c, s, _] = cached(&root, &out, &cache);
    assert!(all_made(c) && all_made(s), "{c:?} {s:?}");
    assert!(files(&out) == site);
}

#[test]
fn an_edit_remakes_exactly_what_depends_on_it() {
    let (tmp, root) = common::project();
    let (out, cache) = (tmp.path().join("public"), tmp.path().join("cache"));
    let [cards, svgs, _] = cached(&root, &out, &cache);

    // A template: pages change, but no card, drawing or search record comes from a template.
    let templates = root.join("templates");
    fs::create_dir_all(&templates).unwrap();
    let footer =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/base.html"))
            .unwrap();
    assert!(footer.contains("</footer>"));
    fs::write(
        templates.join("base.html"),
        footer.replacen("</footer>", "<p>Edición de prueba</p></footer>", 1),
    )
    .unwrap();
    let [c, s, q] = cached(&root, &out, &cache);
    assert!(all_hit(c) && all_hit(s), "{c:?} {s:?}");
    assert_eq!(q.made, 0);
    let site = files(&out);
    assert!(String::from_utf8_lossy(&site[Path::new("index.html")]).contains("Edición de prueba"));
    assert!(site == fresh(&root));

    // A static file: only that file (and pages naming its hashed path) change.
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/nota.txt"), "hola").unwrap();
    let [c, s, _] = cached(&root, &out, &cache);
    assert!(all_hit(c) && all_hit(s), "{c:?} {s:?}");
    assert!(files(&out) == fresh(&root));

    // One figure: the drawings and cards that show it are remade, the others kept, and the
    // search index is rebuilt (it holds every figure).
    let rel = "content/bulletins/imss-jornadas-recuperacion-servicios.yaml";
    let path = root.join(rel);
    let yaml = fs::read_to_string(&path).unwrap();
    let from = "value: 6552794";
    assert_eq!(yaml.matches(from).count(), 1, "{rel} states {from} once");
    fs::write(&path, yaml.replacen(from, "value: 6552795", 1)).unwrap();
    let [c, s, q] = cached(&root, &out, &cache);
    assert!(c.made > 0 && c.made < cards.made, "{c:?}");
    assert!(s.made > 0 && s.made < svgs.made, "{s:?}");
    assert_eq!(q.made, usize::from(cifras::search::AVAILABLE));
    assert!(files(&out) == fresh(&root));

    // A catalogue: an indicator's label is on the charts and cards that show it, not others.
    let metrics = root.join("content/metrics.yaml");
    let text = fs::read_to_string(&metrics).unwrap();
    let label = "label: \"Trasplantes de riñón\"";
    assert_eq!(
        text.matches(label).count(),
        1,
        "metrics.yaml has «{label}» once"
    );
    fs::write(
        &metrics,
        text.replacen(label, "label: \"Trasplantes renales\"", 1),
    )
    .unwrap();
    let [c, s, _] = cached(&root, &out, &cache);
    assert!(c.made > 0 && c.made < cards.made, "{c:?}");
    assert!(s.made > 0 && s.made < svgs.made, "{s:?}");
    assert!(files(&out) == fresh(&root));
}

#[test]
fn a_cache_inside_the_output_is_not_used() {
    let (tmp, root) = common::project();
    let out = tmp.path().join("public");
    let options = cifras::Options {
        cache: Some(out.join("cache")),
        ..Default::default()
    };
    let outcome = cifras::build_with(&root, &out, &options).unwrap();
    assert!(outcome.cache.is_none());
    let warning = outcome.diagnostics.to_string();
    assert!(warning.contains("is inside"), "{warning}");
    assert!(!out.join("cache").exists());
}
