//! The data audit of issue 15: what the downloads, the feed and the sitemap say must be what the
//! bulletins say. Builds the bundled `content/` (and copies of it with one edit) and checks:
//! `year_stated` only where a year is at stake; no feed or sitemap date that no bulletin states
//! without saying so; place lists that can be split; own and shared figures marked in the place
//! CSVs as on the place pages; every number in a bulletin's text recorded or noted.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use cifras::diagnostics::Pos;
use cifras::validate::spanish_numbers::find_numbers;

fn bundled() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn build(root: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    cifras::build(root, &out).unwrap_or_else(|d| panic!("the site must build:\n{d}"));
    (tmp, out)
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A CSV file as rows of column name -> cell.
fn csv_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The checked content of a project, as the build sees it.
fn content(root: &Path) -> cifras::model::Content {
    let (src, _) = cifras::load::load(root).unwrap_or_else(|d| panic!("{d}"));
    cifras::validate::validate(&src)
        .0
        .unwrap_or_else(|| panic!("content must validate"))
}

/// A figure with no period has no year at stake: `year_stated` is empty in CSV and null in
/// JSON, never `true`; figures with a period keep `true` or `false`.
#[test]
fn year_stated_only_where_a_period_has_a_year() {
    // The bundled content with one count whose date the bulletin does not give at all.
    let (_project, root) = common::project();
    let rel = root.join("content/bulletins/imss-rehabilitacion-post-covid.yaml");
    let yaml = fs::read_to_string(&rel).unwrap();
    let needle = "    period: { as_of: 2021 }\n    scope: [nuevo-leon]";
    assert_eq!(yaml.matches(needle).count(), 1);
    fs::write(&rel, yaml.replace(needle, "    scope: [nuevo-leon]")).unwrap();
    let (_tmp, out) = build(&root);
    let rows = csv_rows(&out.join("datos/cifras.csv"));
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&read(&out, "datos/cifras.json")).unwrap();
    assert_eq!(rows.len(), json.len());
    let mut seen = BTreeMap::new();
    for (row, obj) in rows.iter().zip(&json) {
        let has_period = !(row["period_start"].is_empty() && row["as_of"].is_empty());
        let cell = row["year_stated"].as_str();
        let expected_cell = if has_period {
            ["true", "false"].contains(&cell)
        } else {
            cell.is_empty()
        };
        assert!(
            expected_cell,
            "{} {}: year_stated = {cell:?} with period {:?}/{:?}",
            row["bulletin"], row["metric"], row["period_start"], row["as_of"]
        );
        assert_eq!(
            obj["year_stated"].is_null(),
            !has_period,
            "JSON agrees with CSV for {} {}",
            row["bulletin"],
            row["metric"]
        );
        *seen.entry(cell.to_string()).or_insert(0) += 1;
    }
    // All three cases: stated, inferred (bulletins 001 and 003), no period (the edit above).
    assert_eq!(seen.len(), 3, "{seen:?}");
}

/// Every entry's `<updated>` is either its bulletin's publication date or a date its summary
/// names and explains; the sitemap gives no `<lastmod>` to a bulletin that states no date.
#[test]
fn feed_and_sitemap_dates_are_stated_or_explained() {
    let (_tmp, out) = build(bundled());
    let site = cifras::model::Site::new(content(bundled()));
    let feed = read(&out, "feed.xml");
    let sitemap = read(&out, "sitemap.xml");
    for b in &site.bulletins {
        let url = format!("boletines/{}/", b.slug);
        let entry = feed
            .split("<entry>")
            .find(|e| e.contains(&format!("{url}</id>")))
            .unwrap_or_else(|| panic!("no feed entry for {url}"));
        let updated = between(entry, "<updated>", "</updated>");
        let summary = between(entry, "<summary>", "</summary>");
        match b.date.and_then(cifras::model::PartialDate::day) {
            Some(d) => assert_eq!(updated, format!("{d}T00:00:00Z")),
            None => {
                // The summary says which date this is, in words.
                let day = cifras::model::Date::parse(&updated[..10]).unwrap();
                assert!(
                    summary.contains(&day.long_es()),
                    "{url}: <updated>{updated}</updated> not named in «{summary}»"
                );
                let said = match b.date {
                    Some(partial) => format!("indica solo {} como fecha", partial.long_es()),
                    None => "no indica fecha de publicación".to_string(),
                };
                assert!(summary.contains(&said), "{summary}");
                if b.sort_date().is_none() {
                    assert!(summary.contains("de otro boletín"), "{summary}");
                }
                if b.date.is_none() && b.sort_date() != stated_date(b) {
                    assert!(
                        summary.contains("el año se deduce del contexto"),
                        "{summary}"
                    );
                }
            }
        }
        let url_entry = sitemap
            .split("<url>")
            .find(|u| u.contains(&format!("{url}</loc>")))
            .unwrap_or_else(|| panic!("no sitemap entry for {url}"));
        match stated_date(b) {
            Some(d) => assert!(url_entry.contains(&format!("<lastmod>{d}</lastmod>"))),
            None => assert!(
                !url_entry.contains("<lastmod>"),
                "{url} states no date but the sitemap gives one: {url_entry}"
            ),
        }
    }
    // Bulletin 000 (rehabilitation) states no day at all, only its year: the case the audit
    // found. Its entry is dated by another bulletin's day and says so.
    let undated: Vec<_> = site
        .bulletins
        .iter()
        .filter(|b| stated_date(b).is_none() && b.last_reported_day().is_none())
        .collect();
    assert!(!undated.is_empty());
    for b in undated {
        let entry = feed
            .split("<entry>")
            .find(|e| e.contains(&format!("boletines/{}/</id>", b.slug)))
            .unwrap();
        assert!(entry.contains("que es de otro boletín"), "{entry}");
    }
    // Every <lastmod> in the sitemap is a date some bulletin states.
    let stated: Vec<String> = site
        .bulletins
        .iter()
        .filter_map(stated_date)
        .map(|d| d.to_string())
        .collect();
    for lastmod in sitemap.split("<lastmod>").skip(1) {
        let d = &lastmod[..10];
        assert!(
            stated.iter().any(|s| s == d),
            "lastmod {d} is stated by no bulletin"
        );
    }
}

/// The newest day a bulletin states with its year, computed here from the data and not by
/// the code under test: its publication date given to the day, else the last day of a
/// non-target period (of a report or a figure) given to the day with its year.
fn stated_date(b: &cifras::model::Bulletin) -> Option<cifras::model::Date> {
    use cifras::model::{PartialDate, Period, ReportKind};
    let day = |p: &Period| match *p {
        Period::Range {
            end: PartialDate::Day(d),
            year_stated: true,
            ..
        }
        | Period::AsOf {
            date: PartialDate::Day(d),
            year_stated: true,
        } => Some(d),
        _ => None,
    };
    b.date.and_then(PartialDate::day).or_else(|| {
        b.reports
            .iter()
            .filter(|r| r.kind != ReportKind::Target)
            .filter_map(|r| day(&r.period))
            .chain(
                b.reports
                    .iter()
                    .flat_map(|r| &r.figures)
                    .filter(|f| f.kind != ReportKind::Target)
                    .filter_map(|f| day(&f.period)),
            )
            .max()
    })
}

fn between<'a>(text: &'a str, open: &str, close: &str) -> &'a str {
    let start = text.find(open).unwrap() + open.len();
    let end = start + text[start..].find(close).unwrap();
    &text[start..end]
}

/// Place lists split back into the places: `;` in CSV, arrays in JSON, names and ids in the
/// same order, even for names with commas.
#[test]
fn scope_names_can_be_split() {
    let (_tmp, root) = common::project();
    // A real kind of name with a comma, on a place that shares a report with others.
    let places = root.join("content/places.yaml");
    let text = fs::read_to_string(&places).unwrap();
    let text = text.replace(
        "name: \"Colima\"",
        "name: \"Colima, Oficina de Representación\"",
    );
    fs::write(&places, text).unwrap();
    let (_tmp_out, out) = build(&root);
    let site = cifras::model::Site::new(content(&root));
    let rows = csv_rows(&out.join("datos/cifras.csv"));
    let json: Vec<serde_json::Value> =
        serde_json::from_str(&read(&out, "datos/cifras.json")).unwrap();
    let mut with_comma = 0;
    for (row, obj) in rows.iter().zip(&json) {
        let ids: Vec<&str> = row["scope"].split(';').collect();
        let names: Vec<&str> = row["scope_names"].split(';').collect();
        assert_eq!(ids.len(), names.len(), "{row:?}");
        for (id, name) in ids.iter().zip(&names) {
            let p = site.places.iter().find(|p| p.id == *id).unwrap();
            assert_eq!(&p.name, name);
            with_comma += usize::from(name.contains(','));
        }
        let json_ids: Vec<&str> = obj["scope"]
            .as_array()
            .unwrap_or_else(|| panic!("scope is a JSON array: {obj}"))
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let json_names: Vec<&str> = obj["scope_names"]
            .as_array()
            .unwrap_or_else(|| panic!("scope_names is a JSON array: {obj}"))
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(json_ids, ids);
        assert_eq!(json_names, names);
    }
    assert!(with_comma > 0, "the test needs a name with a comma");
}

/// A place name containing the separator is refused, located at the name, with a hint.
#[test]
fn a_place_name_with_the_separator_is_an_error() {
    let (_tmp, root) = common::project();
    let places = root.join("content/places.yaml");
    let text = fs::read_to_string(&places).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("name: \"Colima\""))
        .unwrap()
        + 1;
    fs::write(
        &places,
        text.replace("name: \"Colima\"", "name: \"Colima; Jalisco\""),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let Err(diags) = cifras::build(&root, &out.path().join("public")) else {
        panic!("a place name with `;` must stop the build");
    };
    let d = diags
        .errors()
        .find(|d| d.message.contains("cannot contain `;`"))
        .unwrap_or_else(|| panic!("no error for the separator:\n{diags}"));
    assert!(d.path.ends_with("content/places.yaml"), "{d:?}");
    let col = text.lines().nth(line - 1).unwrap().find('"').unwrap() + 1;
    assert_eq!(d.pos, Pos::new(line as u32, col as u32), "{d:?}");
    assert!(
        d.hint.as_deref().unwrap_or("").contains("separate"),
        "{d:?}"
    );
}

/// A place's CSV marks each figure `own` or `shared`, as its page splits them: the own rows
/// are exactly the figures of reports whose scope is the place (or its parts), and summing
/// only them never counts a joint total.
#[test]
fn place_csv_marks_own_and_shared_figures_as_the_page_does() {
    let (_tmp, out) = build(bundled());
    let site = cifras::model::Site::new(content(bundled()));
    let mut shared_seen = 0;
    for (i, p) in site.places.iter().enumerate() {
        let path = out.join(format!("datos/lugares/{}.csv", p.id));
        if fs::metadata(&path).map(|m| m.len()).unwrap_or(0) == 0 {
            continue;
        }
        let rows = csv_rows(&path);
        let own_reports = cifras::render::charts::own_reports(&site, i);
        let page = read(&out, &format!("lugares/{}/index.html", p.id));
        for row in &rows {
            let scope: Vec<&str> = row["scope"].split(';').collect();
            let within = scope.iter().all(|id| {
                let q = site.places.iter().position(|q| q.id == *id).unwrap();
                q == i || site.places[q].state == Some(i)
            });
            let kind = row
                .get("scope_kind")
                .unwrap_or_else(|| panic!("{}: no scope_kind column", p.id));
            assert_eq!(kind, if within { "own" } else { "shared" }, "{row:?}");
            let (bi, b) = site
                .bulletins
                .iter()
                .enumerate()
                .find(|(_, b)| b.slug == row["bulletin"])
                .unwrap();
            let ri = b
                .reports
                .iter()
                .position(|r| r.id == row["report"])
                .unwrap();
            assert_eq!(own_reports.contains(&(bi, ri)), kind == "own");
            shared_seen += usize::from(kind == "shared");
        }
        // The page says the same: a joint-total note for each shared report, none otherwise.
        let shared_reports = rows
            .iter()
            .filter(|r| r["scope_kind"] == "shared")
            .map(|r| (&r["bulletin"], &r["report"]))
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        assert_eq!(
            page.matches("Total conjunto de").count(),
            shared_reports,
            "{}",
            p.id
        );
    }
    assert!(shared_seen > 0, "the bundled content has shared figures");
    // Jalisco: its own 1,565 mammographies, and the nine states' joint 1,576.
    let jalisco = csv_rows(&out.join("datos/lugares/jalisco.csv"));
    let mammographies = |kind: &str| -> Vec<String> {
        jalisco
            .iter()
            .filter(|r| r["metric"] == "screenings.mammography" && r["scope_kind"] == kind)
            .map(|r| r["value"].clone())
            .collect()
    };
    assert_eq!(mammographies("own"), ["1565"]);
    assert_eq!(mammographies("shared"), ["1576"]);
}

/// Every number a bulletin's text states is recorded as a figure or quoted in a note (of the
/// bulletin, a report or a figure), so no stated quantity is silently left out. Not counted:
/// dates and years, identifiers (`No. 68`), the name `COVID-19` and the articles `un`, `una`.
/// A month named without a day ("en abril") dates no recorded period, so it is noted too.
#[test]
fn every_number_and_month_in_the_texts_is_recorded_or_noted() {
    let content = content(bundled());
    let mut missing = Vec::new();
    for b in &content.bulletins {
        let mut values: Vec<f64> = Vec::new();
        let mut notes: Vec<String> = b.notes.clone();
        notes.extend(b.date_note.clone());
        for r in &b.reports {
            notes.extend(r.note.clone());
            for f in &r.figures {
                values.push(f.value.as_f64());
                notes.extend(f.note.clone());
                if let Some(c) = &f.conflict {
                    values.extend(c.other_values.iter().map(|v| v.as_f64()));
                    notes.push(c.note.clone());
                }
            }
        }
        let notes = notes.join("\n");
        for n in find_numbers(&b.text) {
            let written = &b.text[n.start..n.end];
            let before = &b.text[..n.start];
            let after = &b.text[n.end..];
            if not_a_quantity(written, before, after, n.value) {
                continue;
            }
            let recorded = values.iter().any(|&v| (v - n.value).abs() < 1e-9);
            if !recorded && !quotes(&notes, written) {
                let from = before.len().saturating_sub(40);
                let from = (0..=from)
                    .rev()
                    .find(|&i| b.text.is_char_boundary(i))
                    .unwrap();
                let to = (n.end + 40).min(b.text.len());
                let to = (to..=b.text.len())
                    .find(|&i| b.text.is_char_boundary(i))
                    .unwrap();
                missing.push(format!("{}: «…{}…»", b.slug, &b.text[from..to]));
            }
        }
        for (word, month) in months_without_a_day(&b.text) {
            if !quotes(&notes, &format!("{word} {month}")) {
                missing.push(format!(
                    "{}: «{word} {month}» (a month without a day)",
                    b.slug
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "stated but neither recorded nor noted:\n{}",
        missing.join("\n")
    );
}

use cifras::model::date::MONTHS;

/// Numbers that are not quantities: a day of a date ("30 de marzo", "del 27 al 29 de"), a
/// year, an identifier ("No. 68"), the 19 of "COVID-19", and the articles "un"/"una".
fn not_a_quantity(written: &str, before: &str, after: &str, value: f64) -> bool {
    let lower_after = after.to_lowercase();
    let day = MONTHS
        .iter()
        .any(|m| lower_after.starts_with(&format!(" de {m}")))
        || lower_after.starts_with(" al ");
    let year = written.len() == 4
        && written.chars().all(|c| c.is_ascii_digit())
        && (1943.0..=2100.0).contains(&value);
    let identifier = before.trim_end().ends_with("No.");
    let disease = before.ends_with("COVID-") || before.ends_with("CoV-");
    let article = ["un", "una", "uno"].contains(&written.to_lowercase().as_str());
    day || year || identifier || disease || article
}

/// Months the text names without a day ("en abril", not "1 de abril"), each with the word
/// before it.
fn months_without_a_day(text: &str) -> Vec<(String, String)> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate().skip(1) {
        if !MONTHS.contains(&w.as_str()) {
            continue;
        }
        let day = i >= 2
            && words[i - 1] == "de"
            && (words[i - 2].chars().all(|c| c.is_ascii_digit())
                || find_numbers(&words[i - 2]).len() == 1);
        if !day {
            out.push((words[i - 1].clone(), w.clone()));
        }
    }
    out
}

/// Whether `notes` quote `written` as a whole word or words.
fn quotes(notes: &str, written: &str) -> bool {
    let notes = notes.to_lowercase();
    let written = written.to_lowercase();
    notes.match_indices(&written).any(|(i, _)| {
        let before = notes[..i].chars().next_back();
        let after = notes[i + written.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A jornada the text dates only to its month, and one it does not date at all, beside the
/// bundled ones: the jornadas chart of surgeries draws both, labelled so; the per-day chart
/// cannot and names them in a note instead of dropping them; neither is listed as the oldest.
#[test]
fn jornadas_without_days_are_charted_by_value_and_named_where_a_rate_is_impossible() {
    let (_tmp, root) = common::project();
    let dir = root.join("content/bulletins");
    for (slug, period, number) in [
        ("jornada-de-mayo", "{ start: 2022-05, end: 2022-05 }", "120"),
        ("jornada-sin-fechas", "unknown", "130"),
    ] {
        fs::write(
            dir.join(format!("{slug}.yaml")),
            format!(
                "title: \"Jornada de prueba {number}\"\nnumber: null\ndate: null\ndate_note: \"Sin fecha.\"\nsource:\n  seed: null\n  publisher: \"IMSS\"\n  url: null\nplaces: [nacional]\nreports:\n  - id: jornada\n    title: \"Jornada\"\n    kind: event\n    period: {period}\n    scope: [nacional]\n    figures:\n      - {{ metric: surgeries, value: {number} }}\n      - {{ metric: consultations.specialty, value: {number}0 }}\n"
            ),
        )
        .unwrap();
        fs::write(
            dir.join(format!("{slug}.md")),
            format!("# Jornada\n\nEn la jornada se realizaron {number} cirugías y {number}0 consultas de especialidad.\n"),
        )
        .unwrap();
    }
    let (_out_tmp, out) = build(&root);
    let page = read(&out, "indicadores/cirugias/index.html");
    let chart = |id: &str| {
        let start = page
            .find(&format!("id=\"grafica-{id}\""))
            .unwrap_or_else(|| panic!("no chart {id}"));
        let end = page[start..].find("</figure>").unwrap() + start;
        page[start..end].to_string()
    };
    let jornadas = chart("indicador-cirugias-jornadas");
    assert!(jornadas.contains("may 2022 · Nacional"), "{jornadas}");
    assert!(jornadas.contains("sin fechas · Nacional"), "{jornadas}");
    let per_day = chart("indicador-cirugias-jornadas-por-dia");
    assert!(
        per_day.contains("Sin cifra por día, porque el boletín no da sus días: may 2022 · Nacional; sin fechas · Nacional."),
        "{per_day}"
    );
    // The latest figure is the newest dated one, not the one of unknown date; the table of
    // all figures lists that one last.
    let latest = between(&page, "<div class=\"latest-figure\">", "</div>");
    assert!(latest.contains("mayo de 2022"), "{latest}");
    let table = &page[page.find("Todas las cifras").unwrap()..];
    assert!(
        table.rfind("fechas no indicadas").unwrap() > table.rfind("de 2021").unwrap(),
        "the undated figure is listed last"
    );
    // The home page's jornadas, newest first: May's leads, the undated one comes last.
    let home = read(&out, "index.html");
    let start = home
        .find("id=\"grafica-inicio-consultas-jornadas\"")
        .unwrap();
    let table = &home[start..];
    let table = &table[..table.find("</figure>").unwrap()];
    let may = table
        .find("may 2022")
        .expect("May's jornada on the home chart");
    let undated = table
        .find("sin fechas")
        .expect("the undated jornada on the home chart");
    let bundled = table.find("sep 2021").unwrap();
    assert!(may < bundled && bundled < undated, "{table}");
    // The undated bulletin is apart in the list, not the oldest; the May one the newest.
    let list = read(&out, "boletines/index.html");
    let pos = |slug: &str| list.find(&format!("boletines/{slug}/")).unwrap();
    let apart = list.find("Sin ninguna fecha").unwrap();
    assert!(pos("jornada-de-mayo") < pos("imss-154-2022-recuperacion-servicios"));
    assert!(pos("jornada-sin-fechas") > apart);
    assert!(pos("imss-jornadas-monotematicas-julio") < apart);
}
