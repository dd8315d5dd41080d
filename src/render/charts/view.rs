//! A chart as pages, downloads and embeds see it: the drawing, its table, its files and "about
//! this data"; and its numbers as CSV.

use std::sync::Arc;

use serde::Serialize;

use crate::charts::{Chart, Mark};
use crate::render::views::Link;

/// A chart as templates see it: the drawing, its table, downloads and "about this data".
#[derive(Serialize, Clone)]
pub struct ChartView {
    /// What was drawn, for the downloads and social cards; templates use the fields below.
    #[serde(skip)]
    pub spec: Chart,
    /// A hash of the drawing, its table and "about this data", computed once: `serve` keys its
    /// memo with it (a conflict's note, say, changes the embed page but not the drawing).
    #[serde(skip)]
    pub fingerprint: u64,
    pub id: String,
    /// Shared: a drawing appears in pages, downloads and `serve`'s memo without copies.
    pub svg: Arc<str>,
    pub svg_narrow: Arc<str>,
    pub caption: String,
    /// Label and value of each mark, for the table under the chart.
    pub rows: Vec<(String, String)>,
    /// Downloads and embed page, relative to the site root.
    pub files: ChartFiles,
    pub about: About,
    /// The embed snippet's height without script: the taller of the two layouts plus the page
    /// around it (a script in the snippet then fits the frame to its content).
    pub embed_height: i32,
}

/// "About this data": what a reader needs to use the chart's numbers.
#[derive(Serialize, Clone, Default)]
pub struct About {
    /// Each indicator shown, with its definition.
    pub measures: Vec<(Link, String)>,
    /// The kind of figures and how their periods compare.
    pub period: String,
    pub sources: Vec<Link>,
    pub notes: Vec<String>,
}

#[derive(Serialize, Clone)]
pub struct ChartFiles {
    pub svg: String,
    pub csv: String,
    pub embed: String,
}

impl ChartFiles {
    fn new(id: &str) -> Self {
        ChartFiles {
            svg: format!("graficas/{id}.svg"),
            csv: format!("graficas/{id}.csv"),
            embed: format!("graficas/{id}/"),
        }
    }
}

/// No chart holds numbers more than this many times apart: the smaller ones would be slivers.
pub const MAX_RATIO: f64 = 1000.0;

/// A chart's view, its SVGs still empty: `SiteCharts::draw` draws them all in one parallel pass.
/// `rows` are its table, one per mark.
pub(super) fn chart_view(chart: Chart, about: About, rows: Vec<(String, String)>) -> ChartView {
    let fingerprint = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        chart.fingerprint().hash(&mut h);
        rows.hash(&mut h);
        serde_json::to_string(&about)
            .unwrap_or_default()
            .hash(&mut h);
        h.finish()
    };
    ChartView {
        id: chart.id.clone(),
        svg: Arc::from(""),
        svg_narrow: Arc::from(""),
        caption: chart.title.clone(),
        rows,
        files: ChartFiles::new(&chart.id),
        fingerprint,
        about,
        embed_height: 640,
        spec: chart,
    }
}

/// The table of a chart: each mark's name and value as drawn, with its caveat.
pub(super) fn table_rows(chart: &Chart) -> Vec<(String, String)> {
    chart
        .marks
        .iter()
        .map(|m| {
            let value = match &m.footnote {
                Some(n) => format!("{} ({n})", m.value_label),
                None => m.value_label.clone(),
            };
            (mark_name(m), value)
        })
        .collect()
}

/// A mark as a table row or CSV line names it: "10–12 sep 2021 · Nacional · Especialidad".
pub(super) fn mark_name(m: &Mark) -> String {
    match (&m.group, m.label.is_empty()) {
        (Some(g), false) => format!("{g} · {}", m.label),
        (Some(g), true) => g.clone(),
        (None, _) => m.label.clone(),
    }
}

/// The chart's numbers as CSV: one row per mark, in drawing order, named as in its table.
pub fn csv(view: &ChartView) -> Result<Vec<u8>, String> {
    let chart = &view.spec;
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "label",
        "value",
        "value_text",
        "period_start",
        "period_end",
        "note",
    ];
    w.write_record(header).map_err(|e| e.to_string())?;
    for (m, (name, _)) in chart.marks.iter().zip(&view.rows) {
        let (start, end) = m
            .span
            .map(|(s, e)| (s.to_string(), e.to_string()))
            .unwrap_or_default();
        let value = format!("{}", (m.value * 1e6).round() / 1e6);
        // Text cells are neutralised against formulas; `value` is a number and stays one.
        use crate::render::csv_cell::cell;
        w.write_record([
            &cell(name),
            value.as_str(),
            &cell(&m.value_label),
            &cell(&start),
            &cell(&end),
            &cell(m.footnote.as_deref().unwrap_or("")),
        ])
        .map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}
