//! What the search finds: a record for every bulletin, indicator and place page, and within a
//! bulletin's record one for every figure ("Cirugías · 2,537 · 10–12 sep 2021 · Nacional") that
//! links to the figure's row on its bulletin's page. Made from the model, not from the rendered
//! pages, so each record says exactly what a reader searches for and filters by.
//!
//! Each record is a small HTML document for Pagefind: its title is the `<h1>`, each figure an
//! `<h2 id=…>` (Pagefind's sub-results, each with its own link), its filters `<meta>` tags. A
//! figure as its own Pagefind record would cost far more: Pagefind's API compares every new
//! record's URL with all earlier ones, so the time grows with the square of the record count
//! (15 figures per bulletin made the index 4× slower at 1,000 bulletins, measured).

use std::collections::BTreeMap;

use crate::model::{format, Group, Period, Site};
use crate::render::markdown::plain_text;
use crate::render::views::{
    bulletin_date, bulletin_href, figure_anchor, figure_value, kind_label, metric_href, place_href,
};

/// One search record. `url` starts at the site's root ("/boletines/x/"); the search page
/// prefixes the site's own path, so results work under any sub-path. `Hash`: the index is made
/// from the records alone, so their hash is the build cache's key for it.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Record {
    pub url: String,
    pub title: String,
    pub content: String,
    /// Filter name -> values: `tipo`, `grupo`, `lugar`, `año`, `periodo`.
    pub filters: BTreeMap<String, Vec<String>>,
    /// The figures within the record, each a result of its own.
    pub parts: Vec<Part>,
}

/// A figure within a bulletin's record: `anchor` is its row on the bulletin's page.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Part {
    pub anchor: String,
    pub title: String,
    pub content: String,
}

impl Record {
    /// The record as the HTML document Pagefind indexes (escaped: content is untrusted).
    pub fn html(&self) -> String {
        use crate::charts::escape;
        let mut html = String::from("<!DOCTYPE html><html lang=\"es\"><head>");
        for (name, values) in &self.filters {
            for v in values {
                html.push_str(&format!(
                    "<meta data-pagefind-filter=\"{}[content]\" content=\"{}\">",
                    escape(name),
                    escape(v)
                ));
            }
        }
        html.push_str(&format!("</head><body><h1>{}</h1>", escape(&self.title)));
        for p in self.content.split("\n\n") {
            html.push_str(&format!("<p>{}</p>", escape(p)));
        }
        for part in &self.parts {
            html.push_str(&format!(
                "<h2 id=\"{}\">{}</h2><p>{}</p>",
                escape(&part.anchor),
                escape(&part.title),
                escape(&part.content)
            ));
        }
        html.push_str("</body></html>");
        html
    }
}

/// The kinds of record, as the `tipo` filter names them.
const BULLETIN: &str = "Boletín";
const INDICATOR: &str = "Indicador";
const PLACE: &str = "Lugar";
const FIGURE: &str = "Cifra";

pub fn group_label(g: Group) -> &'static str {
    match g {
        Group::Consultations => "Consultas",
        Group::Surgeries => "Cirugías",
        Group::Transplants => "Trasplantes",
        Group::Screenings => "Detecciones",
        Group::Rehabilitation => "Rehabilitación",
        Group::Capacity => "Capacidad y cobertura",
        Group::Other => "Otros",
    }
}

/// The years a period covers, for the `año` filter ("2021", or "2021" and "2022").
fn years(p: &Period) -> Vec<String> {
    match *p {
        Period::Range { start, end, .. } => {
            (start.year()..=end.year()).map(|y| y.to_string()).collect()
        }
        Period::AsOf { date, .. } => vec![date.year().to_string()],
        Period::Unstated => Vec::new(),
    }
}

/// Add `values` to filter `name`, once each, in order.
fn add(
    filters: &mut BTreeMap<String, Vec<String>>,
    name: &str,
    values: impl IntoIterator<Item = String>,
) {
    let list = filters.entry(name.to_string()).or_default();
    for v in values {
        if !list.contains(&v) {
            list.push(v);
        }
    }
}

/// " También: trasplantes renales, riñón." — the aliases that are not the label written again.
fn also(label: &str, aliases: &[String]) -> String {
    use crate::model::words::fold;
    let label = fold(label);
    let other: Vec<&str> = aliases
        .iter()
        .filter(|a| fold(a) != label)
        .map(String::as_str)
        .collect();
    if other.is_empty() {
        String::new()
    } else {
        format!(" También: {}.", other.join(", "))
    }
}

/// "1 informe", "3 informes".
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Every record of the site, in site order (deterministic: the index is too).
pub fn records(site: &Site) -> Vec<Record> {
    let mut out = Vec::new();
    for b in &site.bulletins {
        let mut filters = BTreeMap::new();
        add(&mut filters, "tipo", [BULLETIN.to_string()]);
        add(
            &mut filters,
            "lugar",
            b.places.iter().map(|&p| site.places[p].name.clone()),
        );
        if let Some(d) = b.date {
            add(&mut filters, "año", [d.year().to_string()]);
        }
        for r in &b.reports {
            for f in &r.figures {
                add(&mut filters, "año", years(&f.period));
                add(&mut filters, "periodo", [kind_label(f.kind).to_string()]);
                add(
                    &mut filters,
                    "grupo",
                    [group_label(site.metrics[f.metric].group).to_string()],
                );
            }
        }
        let number = b
            .number
            .as_deref()
            .map(|n| format!("Boletín {n}. "))
            .unwrap_or_default();
        // Its figures, each named as a journalist would search for it.
        let mut parts = Vec::new();
        for r in &b.reports {
            for f in &r.figures {
                let scope = site.scope_names(&f.scope);
                let short_scope = match f.scope[..] {
                    [one] => site.places[one].name.clone(),
                    _ => format!("{} lugares", f.scope.len()),
                };
                let m = &site.metrics[f.metric];
                let value = figure_value(site, f);
                let unit = match m.unit.as_str() {
                    "%" => String::new(),
                    u => format!(" {}", format::unit_for(f.value, u)),
                };
                add(
                    &mut filters,
                    "lugar",
                    f.scope.iter().map(|&p| site.places[p].name.clone()),
                );
                parts.push(Part {
                    anchor: figure_anchor(r, &m.slug),
                    title: format!(
                        "{} · {value} · {} · {short_scope}",
                        m.label,
                        f.period.short_es()
                    ),
                    // What the title does not say: the unit, the kind of figure, the whole
                    // period and every place (the bulletin is the record it belongs to).
                    content: format!(
                        "{}: {value}{unit}. {}, {}. {scope}.",
                        m.label,
                        kind_label(f.kind),
                        f.period.long_es(),
                    ),
                });
            }
        }
        if !parts.is_empty() {
            add(&mut filters, "tipo", [FIGURE.to_string()]);
        }
        out.push(Record {
            url: format!("/{}", bulletin_href(b)),
            title: b.title.clone(),
            content: format!(
                "{}{number}{}.\n\n{}",
                b.kicker
                    .as_deref()
                    .map(|k| format!("{k}. "))
                    .unwrap_or_default(),
                bulletin_date(b),
                plain_text(&b.text)
            ),
            filters,
            parts,
        });
    }
    for (i, m) in site.metrics.iter().enumerate() {
        let mut filters = BTreeMap::new();
        add(&mut filters, "tipo", [INDICATOR.to_string()]);
        add(&mut filters, "grupo", [group_label(m.group).to_string()]);
        out.push(Record {
            url: format!("/{}", metric_href(site, i)),
            title: m.label.clone(),
            // The title is indexed already (the record's `<h1>`); the aliases are the other words
            // bulletins use for it ("trasplantes renales"), so they find it too.
            content: format!(
                "{} Indicador del grupo {}, en {}. {}.{}",
                m.definition,
                group_label(m.group).to_lowercase(),
                m.unit,
                count(
                    site.by_metric[i].len(),
                    "cifra en los boletines",
                    "cifras en los boletines"
                ),
                also(&m.label, &m.aliases)
            ),
            filters,
            parts: Vec::new(),
        });
    }
    for (i, p) in site.places.iter().enumerate() {
        let mut filters = BTreeMap::new();
        add(&mut filters, "tipo", [PLACE.to_string()]);
        add(&mut filters, "lugar", [p.name.clone()]);
        let state = p
            .state
            .map(|s| format!(" en {}", site.places[s].name))
            .unwrap_or_default();
        out.push(Record {
            url: format!("/{}", place_href(site, i)),
            title: p.name.clone(),
            content: format!(
                "{}{state}. {} y {}.{}",
                p.name,
                count(
                    site.reports_by_place[i].len(),
                    "informe con cifras",
                    "informes con cifras"
                ),
                count(
                    site.bulletins_by_place[i].len(),
                    "boletín que lo menciona",
                    "boletines que lo mencionan"
                ),
                p.note
                    .as_deref()
                    .map(|n| format!(" {n}"))
                    .unwrap_or_default()
            ),
            filters,
            parts: Vec::new(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_escaped_html_with_their_filters_and_figures() {
        let record = Record {
            url: "/boletines/x/".into(),
            title: "<script>alert(1)</script> Jornada".into(),
            content: "Primer párrafo.\n\nSegundo & último.".into(),
            filters: BTreeMap::from([(
                "lugar".to_string(),
                vec!["UMAE Hospital No. 21, Nuevo León".to_string()],
            )]),
            parts: vec![Part {
                anchor: "informe-a-cirugias".into(),
                title: "Cirugías · 2,537 · 10–12 sep 2021 · Nacional".into(),
                content: "Cirugías: 2,537 cirugías.".into(),
            }],
        };
        let html = record.html();
        assert!(html.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; Jornada</h1>"));
        assert!(!html.contains("<script>"));
        assert!(html.contains("<p>Primer párrafo.</p><p>Segundo &amp; último.</p>"));
        // a value with a comma stays whole: it is read from the attribute
        assert!(html.contains(
            "<meta data-pagefind-filter=\"lugar[content]\" content=\"UMAE Hospital No. 21, Nuevo León\">"
        ));
        assert!(html.contains(
            "<h2 id=\"informe-a-cirugias\">Cirugías · 2,537 · 10–12 sep 2021 · Nacional</h2>"
        ));
    }

    #[test]
    fn aliases_other_than_the_label_are_searchable() {
        let aliases = ["trasplantes de Riñón", "trasplantes renales", "riñón"].map(String::from);
        assert_eq!(
            also("Trasplantes de riñón", &aliases),
            " También: trasplantes renales, riñón."
        );
        assert_eq!(also("Cirugías", &["cirugias".to_string()]), "");
    }

    #[test]
    fn years_of_a_period() {
        let d = |s: &str| crate::model::PartialDate::parse(s).unwrap();
        let p = Period::Range {
            start: d("2021-12-27"),
            end: d("2022-01-02"),
            year_stated: true,
        };
        assert_eq!(years(&p), ["2021", "2022"]);
        assert!(years(&Period::Unstated).is_empty());
    }
}
