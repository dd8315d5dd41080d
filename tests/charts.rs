//! The charts of the bundled site: valid, accessible SVG; one mark per data point; marks that
//! mean their numbers; the numbers in tables and downloads equal to the data; downloads and
//! embed pages; snapshots of three charts
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

fn check_svg(svg: &str, context: &str) {
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
    // Compact markup (charts are most of a large site's bytes): the font and the text colour
    // are said once on the root, and no element repeats a default.
    assert!(root.attribute("font-family").is_some(), "{context}: font");
    for n in root.descendants().filter(|n| n.is_element() && *n != root) {
        assert!(n.attribute("font-family").is_none(), "{context}: {n:?}");
        assert_ne!(n.attribute("opacity"), Some("1"), "{context}: {n:?}");
        assert_ne!(n.attribute("text-anchor"), Some("start"), "{context}");
        if n.has_tag_name("text") {
            let t = n.text().unwrap_or("");
            assert_eq!(t, t.trim(), "{context}: a label on one line");
        }
    }
}

/// A chart's marks as drawn, in drawing order: for bars, each bar's length; for a trend, each
/// dot's height above the value axis's zero line.
fn drawn_marks(svg: &str) -> (bool, Vec<f64>) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let root = doc.root_element();
    let class = root.attribute("class").unwrap();
    let num = |n: roxmltree::Node, k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
    if class.contains("chart-bars") {
        // bars: the filled rects of bar height (an outline is drawn over a bar as fill="none")
        let bars = root
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("height") == Some("18"))
            .filter(|n| n.attribute("fill") != Some("none"))
            .map(|n| num(n, "width"))
            .collect();
        (true, bars)
    } else {
        assert!(class.contains("chart-trend"), "{class}");
        // the zero line is the axis label "0" (drawn centred on its gridline)
        let zero = root
            .descendants()
            .find(|n| n.has_tag_name("text") && n.text().is_some_and(|t| t.trim() == "0"))
            .map(|n| num(n, "y"))
            .expect("a trend's value axis starts at 0");
        let dots = root
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .map(|n| zero - num(n, "cy"))
            .collect();
        (false, dots)
    }
}

fn chart_csv(out: &Path, svg_path: &str) -> Vec<csv::StringRecord> {
    let csv = fs::read_to_string(out.join(svg_path.replace(".svg", ".csv"))).unwrap();
    csv::Reader::from_reader(csv.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .collect()
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
    assert!(inline > 40, "charts on pages: {inline}");

    let svgs: BTreeMap<String, String> = files(&out, "svg")
        .into_iter()
        .filter(|(p, _)| p.starts_with("graficas/"))
        .collect();
    assert!(svgs.len() > 15, "chart downloads: {}", svgs.len());
    for (path, svg) in &svgs {
        check_svg(svg, path);
        let rows = chart_csv(&out, path);
        let (_, marks) = drawn_marks(svg);
        assert_eq!(marks.len(), rows.len(), "{path}: marks vs data points");
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
        // PNGs are made in the reader's browser: the build draws none.
        assert!(!out.join(format!("graficas/{id}.png")).exists(), "{id}.png");
    }
}

/// The chart rules, checked on every chart the site draws: a longer bar (or a higher dot) is a
/// larger number, in proportion, from zero; and no chart holds numbers more than 1000× apart.
#[test]
fn marks_mean_their_numbers_and_no_chart_spans_more_than_a_thousandfold() {
    let (_tmp, out) = build();
    let svgs: BTreeMap<String, String> = files(&out, "svg")
        .into_iter()
        .filter(|(p, _)| p.starts_with("graficas/"))
        .collect();
    let (mut bar_charts, mut trends) = (0, 0);
    for (path, svg) in &svgs {
        let values: Vec<f64> = chart_csv(&out, path)
            .iter()
            .map(|r| r[1].parse().unwrap())
            .collect();
        let (bars, marks) = drawn_marks(svg);
        if bars {
            bar_charts += 1;
        } else {
            trends += 1;
        }
        let positive: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
        let max = positive.iter().copied().fold(0.0, f64::max);
        let min = positive.iter().copied().fold(f64::INFINITY, f64::min);
        assert!(
            max / min <= 1000.0,
            "{path}: {max} and {min} are more than 1000× apart"
        );
        // pixels per unit: the same for every mark, within rounding to whole pixels (measured
        // on the largest mark, the most precise); a bar is at least a 2 px sliver
        let largest = (0..values.len())
            .max_by(|a, b| values[*a].total_cmp(&values[*b]))
            .unwrap();
        let k = marks[largest] / values[largest];
        for (m, v) in marks.iter().zip(&values) {
            let expected = if bars { (v * k).max(2.0) } else { v * k };
            assert!(
                (m - expected).abs() <= 1.5,
                "{path}: a mark of {m} px for {v} is not in proportion (expected {expected:.1} px)"
            );
        }
        for (i, a) in values.iter().enumerate() {
            for (j, b) in values.iter().enumerate() {
                if a > b {
                    assert!(marks[i] >= marks[j], "{path}: {a} drawn smaller than {b}");
                }
            }
        }
    }
    assert!(
        bar_charts >= 10 && trends >= 3,
        "{bar_charts} bar charts, {trends} trends"
    );
}

#[test]
fn chart_numbers_equal_the_data() {
    let (_tmp, out) = build();
    // Each indicator's jornadas chart shows exactly its jornadas' figures (events, when two or
    // more), and its balances chart its cumulative figures.
    let mut checked = 0;
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
        for (kind, set) in [("event", "jornadas"), ("cumulative", "acumulados")] {
            // columns 5 and 8: kind, value
            let mut data: Vec<String> = rows
                .iter()
                .filter(|r| &r[5] == kind)
                .map(|r| r[8].to_string())
                .collect();
            let chart = out.join(format!("graficas/indicador-{slug}-{set}.csv"));
            if data.len() < 2 {
                assert!(
                    !chart.exists(),
                    "{slug}: nothing to compare, yet {set} is drawn"
                );
                continue;
            }
            let mut drawn: Vec<String> = csv::Reader::from_path(&chart)
                .unwrap()
                .records()
                .map(|r| r.unwrap()[1].to_string())
                .collect();
            data.sort();
            drawn.sort();
            assert_eq!(drawn, data, "{slug} {set}");
            checked += 1;
        }
    }
    assert!(checked >= 4, "{checked} charts checked");
    // And against the YAML text itself: surgeries in the 7th national jornada, 10–12 September.
    let yaml = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("content/bulletins/imss-jornadas-recuperacion-servicios.yaml"),
    )
    .unwrap();
    assert!(yaml.contains("{ metric: surgeries, value: 2537 }"));
    let chart = fs::read_to_string(out.join("graficas/indicador-cirugias-jornadas.csv")).unwrap();
    assert!(
        chart.contains(",2537,\"2,537\",2021-09-10,2021-09-12,"),
        "{chart}"
    );
    // Jornadas are compared by value: the largest first.
    let first = chart.lines().nth(1).unwrap();
    assert!(first.contains(",2537,"), "{chart}");
    // Per-day rates are the value over the days of the period: 2,537 surgeries in 3 days.
    let per_day =
        fs::read_to_string(out.join("graficas/indicador-cirugias-jornadas-por-dia.csv")).unwrap();
    assert!(
        per_day.contains(",845.666667,846/día*,2021-09-10,2021-09-12,"),
        "{per_day}"
    );
    assert!(
        per_day.contains(",51,51.0/día,2021-08-27,2021-08-29,"),
        "{per_day}"
    );
}

#[test]
fn pages_offer_downloads_and_an_embed_snippet() {
    let (_tmp, out) = build();
    let page = fs::read_to_string(out.join("indicadores/cirugias/index.html")).unwrap();
    let id = "indicador-cirugias-jornadas";
    for href in [format!("{id}.svg"), format!("{id}.csv"), format!("{id}/")] {
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
    // the snippet resizes only frames of this site, on messages from its origin
    assert!(page.contains("if(e.origin!==\"https://example.github.io\"||"));
    // PNGs are made by the reader's browser: a button that script reveals
    assert!(page.contains(&format!(
        "<button type=\"button\" class=\"chart-png\" data-name=\"{id}\" hidden>PNG</button>"
    )));
    let embed = fs::read_to_string(out.join(format!("graficas/{id}/index.html"))).unwrap();
    assert!(embed.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(!embed.contains("<nav"), "an embed page is only the chart");
    assert!(embed.contains("href=\"../../indicadores/cirugias/\" target=\"_top\""));
    // Both layouts are in the page; CSS shows one.
    assert!(
        page.contains("class=\"chart chart-bars chart-wide\"")
            && page.contains("class=\"chart chart-bars chart-narrow\"")
    );
}

#[test]
fn snapshots_of_three_charts() {
    let (_tmp, out) = build();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for id in [
        "imss-jornadas-recuperacion-servicios-balance-1-abr-12-sep-trasplantes",
        "indicador-cirugias-jornadas",
        "indicador-cirugias-jornadas-por-dia",
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
