//! Builds the bundled `content/` (the five IMSS bulletins) into a temporary directory and checks
//! the real output: pages, figures on the right pages, the CSV, and that every figure is
//! stated in its bulletin's text.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn project() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn build() -> (tempfile::TempDir, PathBuf, cifras::Outcome) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let outcome =
        cifras::build(project(), &out).unwrap_or_else(|d| panic!("bundled site must build:\n{d}"));
    (tmp, out, outcome)
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn all_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn builds_without_warnings_and_with_every_page() {
    let (_tmp, out, outcome) = build();
    assert!(
        outcome.diagnostics.is_empty(),
        "the bundled content must be clean:\n{}",
        outcome.diagnostics
    );
    assert_eq!(outcome.bulletins, 5);
    let bulletins: Vec<_> = fs::read_dir(out.join("boletines"))
        .unwrap()
        .filter(|e| e.as_ref().unwrap().path().is_dir())
        .collect();
    assert_eq!(bulletins.len(), 5, "one page per bulletin");

    let metrics = fs::read_to_string(project().join("content/metrics.yaml")).unwrap();
    let slugs: Vec<&str> = metrics
        .lines()
        .filter_map(|l| l.trim().strip_prefix("slug: "))
        .collect();
    assert!(slugs.len() >= 20);
    for slug in &slugs {
        assert!(
            out.join(format!("indicadores/{slug}/index.html")).is_file(),
            "indicator page {slug}"
        );
        assert!(
            out.join(format!("datos/indicadores/{slug}.csv")).is_file(),
            "indicator CSV {slug}"
        );
    }
    let places = fs::read_to_string(project().join("content/places.yaml")).unwrap();
    for id in places
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- id: "))
    {
        assert!(
            out.join(format!("lugares/{id}/index.html")).is_file(),
            "place page {id}"
        );
    }
    for page in [
        "index.html",
        "boletines/index.html",
        "indicadores/index.html",
        "lugares/index.html",
        "datos/index.html",
        "metodologia/index.html",
        "404.html",
        "datos/cifras.csv",
        "datos/cifras.json",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        ".nojekyll",
        "tarjetas/sitio.png",
    ] {
        assert!(out.join(page).is_file(), "{page}");
    }
}

#[test]
fn seed_figures_appear_on_the_right_pages() {
    let (_tmp, out, _) = build();
    let home = read(&out, "index.html");
    // the home page leads with the latest bulletin, 154/2022, and what it says
    let latest = &home[home.find("class=\"latest\"").unwrap()..];
    let latest = &latest[..latest.find("</section>").unwrap()];
    assert!(latest.contains("Boletín 154/2022") && latest.contains("30 de marzo de 2022"));
    for figure in [">1,800<", ">más de 52,000,000<", ">2<", ">4<"] {
        assert!(latest.contains(figure), "latest bulletin's {figure}");
    }
    assert!(latest.contains("al 30 de marzo de 2022 · Nacional"));
    // then the jornadas compared: surgeries (its indicator's chart) and consultations
    for id in ["indicador-cirugias-jornadas", "inicio-consultas-jornadas"] {
        assert!(
            home.contains(&format!(
                "aria-labelledby=\"grafica-{id}-title grafica-{id}-desc\""
            )),
            "chart {id}"
        );
    }

    let b001 = read(
        &out,
        "boletines/imss-jornadas-recuperacion-servicios/index.html",
    );
    for figure in [
        "956",
        "442",
        "353",
        "120",
        "211,946",
        "139,157",
        "17,779",
        "2,537",
        "52,473",
        "2,615,789",
    ] {
        assert!(
            b001.contains(&format!(">{figure} <")) || b001.contains(&format!(">{figure}<")),
            "001 states {figure}"
        );
    }
    // the source conflict is shown, both values
    assert!(b001.contains("Dato en conflicto"));
    assert!(b001.contains("475,275") && b001.contains("475,725"));
    // no date, and the page says so
    assert!(b001.contains("Sin fecha en el boletín"));
    assert!(b001.contains("Año deducido: el boletín no lo indica."));

    let b002 = read(
        &out,
        "boletines/imss-jornadas-monotematicas-agosto/index.html",
    );
    assert!(b002.contains("del 27 al 29 de agosto de 2021"));
    assert!(b002.contains(">153</a>"));

    let b004 = read(
        &out,
        "boletines/imss-154-2022-recuperacion-servicios/index.html",
    );
    assert!(b004.contains("30 de marzo de 2022"));
    assert!(b004.contains("1,800"));
    assert!(
        b004.contains("UMAE") && !b004.contains('\u{0415}'),
        "Cyrillic Е corrected"
    );

    let kidney = read(&out, "indicadores/trasplantes-rinon/index.html");
    assert!(kidney.contains(">442<"));
    let jalisco = read(&out, "lugares/jalisco/index.html");
    // Jalisco's own figure, then the joint totals it shares with eight other states
    let shared_at = jalisco.find("id=\"compartidas\"").unwrap();
    let (own, shared) = jalisco.split_at(shared_at);
    assert!(own.contains(">1,565<"), "Jalisco's own mammographies");
    assert!(
        !own.contains(">1,576<") && !own.contains(">153<"),
        "no joint total among its own"
    );
    assert!(shared.contains(">1,576<") && shared.contains("Total conjunto de 9 lugares."));
    assert!(
        shared.contains(">2,106<"),
        "the July jornadas included the Jalisco office"
    );
    let methodology = read(&out, "metodologia/index.html");
    assert!(
        methodology.contains("475,275"),
        "conflicts gathered on the methodology page"
    );
}

#[test]
fn csv_rows_match_the_data_and_the_bulletin_text() {
    let (_tmp, out, outcome) = build();
    let mut reader = csv::Reader::from_path(out.join("datos/cifras.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), outcome.figures);

    let find = |metric: &str, start: &str| {
        rows.iter()
            .find(|r| &r[col("metric")] == metric && &r[col("period_start")] == start)
            .map(|r| r[col("value")].to_string())
    };
    assert_eq!(
        find("consultations.specialty", "2021-04-01").as_deref(),
        Some("6552794")
    );
    assert_eq!(
        find("consultations.family_medicine", "2021-04-01").as_deref(),
        Some("35919359")
    );
    assert_eq!(find("transplants", "2021-04-01").as_deref(), Some("956"));
    assert_eq!(
        find("transplants.kidney", "2021-04-01").as_deref(),
        Some("442")
    );
    assert_eq!(find("actions", "2021-09-10").as_deref(), Some("211946"));
    assert_eq!(find("surgeries", "2021-08-27").as_deref(), Some("153"));
    assert_eq!(
        find("recovery.productivity_share", "2021-04-01").as_deref(),
        Some("71.2")
    );

    // Every value in the CSV is stated in its bulletin's Markdown text.
    for r in &rows {
        let text = fs::read_to_string(
            project().join(format!("content/bulletins/{}.md", &r[col("bulletin")])),
        )
        .unwrap();
        let found = cifras::validate::spanish_numbers::find_numbers(&text);
        let value: f64 = r[col("value")].parse().unwrap();
        assert!(
            cifras::validate::spanish_numbers::states(&found, value),
            "{} = {} not stated in {}",
            &r[col("metric")],
            value,
            &r[col("bulletin")]
        );
    }

    // Per-indicator CSV holds exactly that indicator's rows.
    let kidney = fs::read_to_string(out.join("datos/indicadores/trasplantes-rinon.csv")).unwrap();
    assert_eq!(kidney.lines().count(), 2);
    assert!(kidney.contains(",442,"));

    let json: serde_json::Value = serde_json::from_str(&read(&out, "datos/cifras.json")).unwrap();
    assert_eq!(json.as_array().unwrap().len(), outcome.figures);
}

#[test]
fn every_internal_link_resolves() {
    let (_tmp, out, _) = build();
    let files = all_files(&out);
    for (rel, bytes) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".html") && p.as_str() != "404.html")
    {
        let html = String::from_utf8(bytes.clone()).unwrap();
        let dir = Path::new(rel).parent().unwrap().to_path_buf();
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let url = &part[..part.find('"').unwrap()];
                if url.starts_with("http") || url.starts_with("mailto:") || url.starts_with('#') {
                    continue;
                }
                let (path, _fragment) = url.split_once('#').unwrap_or((url, ""));
                let mut target = dir.join(path);
                if path.is_empty() || path.ends_with('/') {
                    target = target.join("index.html");
                }
                let normal = normalize(&target);
                assert!(
                    files.contains_key(&normal),
                    "{rel}: broken link {url} -> {normal}"
                );
            }
        }
    }
}

fn normalize(p: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in p.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::Normal(s) => parts.push(s.to_string_lossy().to_string()),
            _ => {}
        }
    }
    parts.join("/")
}

#[test]
fn output_is_deterministic() {
    let (_a, out_a, _) = build();
    let (_b, out_b, _) = build();
    assert_eq!(all_files(&out_a), all_files(&out_b));
}

#[test]
fn every_chart_has_a_table_with_the_same_numbers() {
    let (_tmp, out, _) = build();
    let b001 = read(
        &out,
        "boletines/imss-jornadas-recuperacion-servicios/index.html",
    );
    let figure = b001
        .split("<figure class=\"chart-card\" id=\"grafica-imss-jornadas-recuperacion-servicios-balance-1-abr-12-sep-trasplantes\">")
        .nth(1)
        .unwrap();
    let figure = &figure[..figure.find("</figure>").unwrap()];
    // five organs: five bars (plus the background rect) in each of the two layouts, and five
    // table rows
    assert_eq!(figure.matches("<rect").count(), 2 * 6);
    assert_eq!(figure.matches("<tr><th scope=\"row\">").count(), 5);
    for (organ, n) in [
        ("riñón", "442"),
        ("córnea", "353"),
        ("médula ósea", "120"),
        ("hepáticos", "31"),
        ("corazón", "10"),
    ] {
        assert!(figure.contains(organ), "{organ}");
        assert!(
            figure.contains(&format!("<td class=\"num\">{n}</td>")),
            "{organ} {n} in table"
        );
    }
    assert!(figure.contains("<title id=") && figure.contains("<desc id="));
    assert!(figure.contains("Total: 956"));
}

#[test]
fn every_figure_links_to_the_sentence_that_states_it() {
    let (_tmp, out, outcome) = build();
    let mut links = 0;
    for entry in fs::read_dir(out.join("boletines")).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let html = fs::read_to_string(dir.join("index.html")).unwrap();
        let slug = dir.file_name().unwrap().to_string_lossy().to_string();
        let prefix = format!("href=\"../../boletines/{slug}/#");
        for part in html.split(prefix.as_str()).skip(1) {
            let anchor = &part[..part.find('"').unwrap()];
            let value = &part[part.find('>').unwrap() + 1..part.find("</a>").unwrap()];
            // the anchor exists, on a marked sentence, and that sentence states the number
            let open = format!("<mark class=\"fuente\" id=\"{anchor}\">");
            let at = html
                .find(&open)
                .unwrap_or_else(|| panic!("{slug}: no anchor {anchor}"));
            let sentence = &html[at..];
            let sentence = &sentence[..sentence
                .find("</p>")
                .or_else(|| sentence.find("</li>"))
                .unwrap()];
            let text: String = sentence
                .split('<')
                .map(|p| p.split_once('>').map_or(p, |(_, t)| t))
                .collect();
            let found = cifras::validate::spanish_numbers::find_numbers(&text);
            let number: f64 = value
                .trim_start_matches("más de ")
                .trim_end_matches("\u{a0}%")
                .replace(',', "")
                .parse()
                .unwrap_or_else(|_| panic!("{slug}: value {value}"));
            assert!(
                cifras::validate::spanish_numbers::states(&found, number),
                "{slug}: {value} not in its linked sentence: {text}"
            );
            links += 1;
        }
    }
    assert_eq!(
        links, outcome.figures,
        "every figure on its bulletin page links to its source"
    );
}

#[test]
fn the_search_index_covers_every_page_and_figure_and_lands_on_the_number() {
    let (_tmp, out, outcome) = build();
    // Pagefind's index, in Spanish, with its UI, under pagefind/
    let entry = read(&out, "pagefind/pagefind-entry.json");
    assert!(entry.contains("\"es\""), "{entry}");
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-ui.js",
        "pagefind/wasm.es.pagefind",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    // A record for every bulletin, indicator and place page; within each bulletin's, one per
    // figure, whose anchor is the figure's row on the bulletin's page.
    let root = project();
    let site = {
        let (sources, _) = cifras::load::load(root).unwrap();
        let content = cifras::validate::validate(&sources).0.unwrap();
        cifras::model::Site::new(content)
    };
    let records = cifras::search::records::records(&site);
    assert_eq!(
        records.len(),
        site.bulletins.len() + site.metrics.len() + site.places.len()
    );
    let parts: usize = records.iter().map(|r| r.parts.len()).sum();
    assert_eq!(parts, outcome.figures, "a result per figure");
    for r in &records {
        let page = read(
            &out,
            &format!("{}index.html", r.url.trim_start_matches('/')),
        );
        for p in &r.parts {
            assert!(
                page.contains(&format!("<tr id=\"{}\"", p.anchor)),
                "{}#{} is not a figure's row",
                r.url,
                p.anchor
            );
        }
    }
    let surgeries = records
        .iter()
        .flat_map(|r| r.parts.iter())
        .find(|p| p.anchor == "informe-7a-jornada-nacional-cirugias")
        .expect("the 7th jornada's surgeries");
    assert_eq!(
        surgeries.title,
        "Cirugías · 2,537 · 10–12 sep 2021 · Nacional"
    );
    // The search page, and a search box on every other page leading to it
    let search = read(&out, "buscar/index.html");
    assert!(search.contains("data-bundle=\"../pagefind/\""));
    assert!(search.contains("<noscript>") && search.contains("href=\"../boletines/\""));
    let home = read(&out, "index.html");
    assert!(home.contains(
        "<form class=\"site-search\" role=\"search\" action=\"./buscar/\" method=\"get\">"
    ));
    assert!(home.contains("name=\"q\""));
}
