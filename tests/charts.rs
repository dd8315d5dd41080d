//! The charts of the bundled site: valid, accessible SVG; one mark per data point; the numbers
//! in tables and downloads equal to the data; downloads and embed pages; snapshots of two charts
//! so an unintended change shows up in review (`UPDATE_SNAPSHOTS=1 cargo test` rewrites them).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn build() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    cifras::build(Path::new(env!("CARGO_MANIFEST_DIR")), &out).unwrap_or_else(|d| panic!("{d}"));
    (tmp, out)
}

fn files(out: &Path, ext: &str) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == ext))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .to_string();
            (rel, fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// Every `<svg …>…</svg>` in a page.
fn inline_svgs(html: &str) -> Vec<&str> {
    html.match_indices("<svg ")
        .map(|(i, _)| {
            let end = html[i..].find("</svg>").unwrap() + "</svg>".len();
            &html[i..i + end]
        })
        .collect()
}

fn check_svg(svg: &str, context: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{context}: not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.attribute("role"), Some("img"), "{context}");
    assert!(root.attribute("viewBox").is_some(), "{context}: viewBox");
    assert!(
        root.attribute("width").is_none(),
        "{context}: a fixed width stops it scaling"
    );
    let labelled: Vec<&str> = root
        .attribute("aria-labelledby")
        .unwrap()
        .split(' ')
        .collect();
    let [title_id, desc_id] = labelled[..] else {
        panic!("{context}: aria-labelledby")
    };
    let title = root.children().find(|n| n.has_tag_name("title")).unwrap();
    let desc = root.children().find(|n| n.has_tag_name("desc")).unwrap();
    assert_eq!(title.attribute("id"), Some(title_id), "{context}");
    assert_eq!(desc.attribute("id"), Some(desc_id), "{context}");
    assert!(
        !title.text().unwrap_or("").is_empty() && desc.text().unwrap_or("").len() > 20,
        "{context}"
    );
    // marks: every rect but the white background
    root.descendants()
        .filter(|n| n.has_tag_name("rect"))
        .count()
        - 1
}

#[test]
fn every_svg_is_valid_accessible_and_has_one_mark_per_data_point() {
    let (_tmp, out) = build();
    let mut inline = 0;
    for (page, html) in files(&out, "html") {
        for svg in inline_svgs(&html) {
            check_svg(svg, &page);
            inline += 1;
        }
    }
    assert!(inline > 50, "charts on pages: {inline}");

    let csvs = files(&out, "csv");
    let svgs: BTreeMap<String, String> = files(&out, "svg")
        .into_iter()
        .filter(|(p, _)| p.starts_with("graficas/"))
        .collect();
    assert!(svgs.len() > 30, "chart downloads: {}", svgs.len());
    for (path, svg) in &svgs {
        let marks = check_svg(svg, path);
        let csv = &csvs[&path.replace(".svg", ".csv")];
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        // indicator timelines draw only rows with a period; bar charts only positive values
        let timeline = path.starts_with("graficas/indicador-")
            && ["-acumulados.svg", "-jornadas.svg", "-conteos.svg"]
                .iter()
                .any(|end| path.ends_with(end));
        let drawable = rows
            .iter()
            .filter(|r| {
                if timeline {
                    !r[3].is_empty()
                } else {
                    r[1].parse::<f64>().unwrap() > 0.0
                }
            })
            .count();
        assert_eq!(marks, drawable, "{path}: marks vs data points");
        // The table beside the chart on its page has the same rows.
        let id = path
            .trim_start_matches("graficas/")
            .trim_end_matches(".svg");
        let embed = fs::read_to_string(out.join(format!("graficas/{id}/index.html"))).unwrap();
        for r in &rows {
            let label = r[0]
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            assert!(
                embed.contains(&format!("<th scope=\"row\">{label}</th>")),
                "{path}: table row {label}"
            );
        }
        let png = fs::read(out.join(format!("graficas/{id}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{id}.png");
        assert_eq!(
            u32::from_be_bytes(png[16..20].try_into().unwrap()),
            1360,
            "{id}.png width"
        );
    }
}

#[test]
fn chart_numbers_equal_the_data() {
    let (_tmp, out) = build();
    // Each indicator's timelines together show exactly the indicator's figures.
    for entry in fs::read_dir(out.join("datos/indicadores")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "csv") {
            continue;
        }
        let slug = path.file_stem().unwrap().to_string_lossy().to_string();
        let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&path)
            .unwrap()
            .records()
            .map(|r| r.unwrap())
            .collect();
        let mut data: Vec<String> = rows.iter().map(|r| r[8].to_string()).collect();
        // columns 12 and 13: period_end, as_of; a figure with neither has no place on a time axis
        let dated = rows
            .iter()
            .filter(|r| !r[12].is_empty() || !r[13].is_empty())
            .count();
        let mut drawn: Vec<String> = Vec::new();
        for set in ["acumulados", "jornadas", "conteos"] {
            let chart = out.join(format!("graficas/indicador-{slug}-{set}.csv"));
            if chart.is_file() {
                drawn.extend(
                    csv::Reader::from_path(&chart)
                        .unwrap()
                        .records()
                        .map(|r| r.unwrap()[1].to_string()),
                );
            }
        }
        data.sort();
        drawn.sort();
        if dated == 0 {
            assert!(drawn.is_empty(), "{slug}: nothing to draw over time");
        } else {
            assert_eq!(drawn, data, "{slug}");
        }
    }
    // And against the YAML text itself: kidney transplants, 1 April – 12 September 2021.
    let yaml = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content/bulletins/imss-jornadas-recuperacion-servicios.yaml"),
    )
    .unwrap();
    assert!(yaml.contains("{ metric: transplants.kidney, value: 442 }"));
    let chart = fs::read_to_string(out.join("graficas/indicador-trasplantes-rinon-acumulados.csv"))
        .unwrap();
    assert!(chart.contains(",442,442,2021-04-01,2021-09-12,"), "{chart}");
    // Per-day rates are the value over the days of the period: 2,537 surgeries in 3 days.
    let per_day = fs::read_to_string(out.join("graficas/indicador-cirugias-por-dia.csv")).unwrap();
    assert!(
        per_day.contains("845.666667,\"846 por día (2,537 en 3 días)\""),
        "{per_day}"
    );
    assert!(
        per_day.contains("51,51.0 por día (153 en 3 días)"),
        "{per_day}"
    );
}

#[test]
fn pages_offer_downloads_and_an_embed_snippet() {
    let (_tmp, out) = build();
    let page = fs::read_to_string(out.join("indicadores/cirugias/index.html")).unwrap();
    let id = "indicador-cirugias-jornadas";
    for href in [
        format!("{id}.svg"),
        format!("{id}.png"),
        format!("{id}.csv"),
        format!("{id}/"),
    ] {
        assert!(
            page.contains(&format!("href=\"../../graficas/{href}\"")),
            "{href}"
        );
        let target = out.join("graficas").join(&href);
        assert!(
            target.is_file() || target.join("index.html").is_file(),
            "{href}"
        );
    }
    assert!(page.contains(&format!(
        "&lt;iframe src=\"https://example.github.io/cifras/graficas/{id}/\""
    )));
    let embed = fs::read_to_string(out.join(format!("graficas/{id}/index.html"))).unwrap();
    assert!(embed.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(!embed.contains("<nav"), "an embed page is only the chart");
    assert!(embed.contains("href=\"../../indicadores/cirugias/\" target=\"_top\""));
    // Both layouts are in the page; CSS shows one.
    assert!(
        page.contains("class=\"chart chart-wide\"")
            && page.contains("class=\"chart chart-narrow\"")
    );
}

#[test]
fn snapshots_of_two_charts() {
    let (_tmp, out) = build();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for id in [
        "imss-jornadas-recuperacion-servicios-balance-1-abr-12-sep-trasplantes",
        "indicador-cirugias-jornadas",
    ] {
        let svg = fs::read_to_string(out.join(format!("graficas/{id}.svg"))).unwrap();
        let snapshot = dir.join(format!("{id}.svg"));
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            fs::create_dir_all(&dir).unwrap();
            fs::write(&snapshot, &svg).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&snapshot).unwrap_or_else(|_| {
            panic!(
                "no snapshot {}: run UPDATE_SNAPSHOTS=1 cargo test",
                snapshot.display()
            )
        });
        assert!(svg == expected, "{id} changed; if intended, run UPDATE_SNAPSHOTS=1 cargo test --test charts and review the diff");
    }
}
