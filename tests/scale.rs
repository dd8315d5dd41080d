//! The synthetic corpus the benchmarks use (`cifras synth`): it must be a valid, fully traced
//! site, and pages over many bulletins must stay readable (capped lists and charts).

use cifras::Options;

fn page<'a>(outcome: &'a cifras::Outcome, path: &str) -> &'a str {
    let f = outcome
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not produced"));
    std::str::from_utf8(&f.bytes).unwrap()
}

#[test]
fn synthetic_corpus_is_clean_traced_and_capped() {
    let dir = tempfile::tempdir().unwrap();
    let n = 150;
    cifras::synth::write(dir.path(), n, 7, None).unwrap();
    let strict = Options {
        strict: true,
        ..Default::default()
    };
    let checked = cifras::check_with(dir.path(), &strict).unwrap_or_else(|d| panic!("{d}"));
    // No warnings at all: in particular, every figure was found in its bulletin's text.
    assert!(checked.diagnostics.is_empty(), "{}", checked.diagnostics);
    assert_eq!(checked.bulletins, n);
    assert!(checked.figures >= n * 10, "{} figures", checked.figures);
    // `check` renders every page but keeps none, and lists every file a build makes.
    let outcome = cifras::build_in_memory(dir.path(), &strict, None).unwrap();
    assert!(checked.files.iter().all(|f| f.bytes.is_empty()));
    let paths = |files: &[cifras::render::OutputFile]| -> Vec<String> {
        files.iter().map(|f| f.path.clone()).collect()
    };
    let mut built = paths(&outcome.files);
    built.extend(outcome.deferred.iter().map(|d| d.path.clone()));
    built.sort();
    assert_eq!(paths(&checked.files), built);
    // The home page lists the latest bulletins and links to all of them.
    let home = page(&outcome, "index.html");
    assert!(
        home.contains(&format!("{n} boletines")),
        "home counts every bulletin"
    );
    let listed = home.matches("class=\"bulletin-item").count();
    assert!(
        listed > 0 && listed <= 12,
        "{listed} bulletins listed on the home page"
    );

    // An indicator over ~80 reports (~40 of them balances) lists the most recent 100 at most and
    // charts the latest 40 balances.
    // (a chart whose numbers are more than 1000× apart is split: its parts together)
    let id = "graficas/indicador-consultas-acumulados-por-dia";
    page(&outcome, &format!("{id}.csv"));
    let rows: usize = outcome
        .files
        .iter()
        .filter(|f| f.path.starts_with(id) && f.path.ends_with(".csv"))
        .map(|f| std::str::from_utf8(&f.bytes).unwrap().lines().count() - 1)
        .sum();
    assert_eq!(rows, cifras::render::charts::MOST_RECENT);
    let metric = page(&outcome, "indicadores/consultas/index.html");
    assert!(
        metric.contains("cifras más recientes de"),
        "the chart says it is capped"
    );

    // The national place (every bulletin's first report) caps its list and offers the CSV.
    let national = page(&outcome, "lugares/nacional/index.html");
    assert!(national.contains("datos/lugares/nacional.csv"));
    assert!(national.contains(&format!("más recientes de {n}")));
    // Reports of many bulletins share the page, and their ids (unique per bulletin) must not
    // collide on it.
    let ids: Vec<&str> = national
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert!(ids.len() > 30, "{} ids", ids.len());
    assert_eq!(unique.len(), ids.len(), "duplicate ids on the place page");
    // `serve`'s in-memory build makes a data download on request.
    let csv = outcome
        .deferred
        .iter()
        .find(|d| d.path == "datos/lugares/nacional.csv")
        .expect("the place CSV is deferred")
        .draw()
        .unwrap();
    let rows = std::str::from_utf8(&csv.bytes).unwrap().lines().count();
    assert!(rows > n, "the place CSV has every figure ({rows} rows)");
}
