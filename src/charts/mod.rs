//! Stage 4, **charts**: pure functions from numbers to drawings, with plotters (SVG for pages,
//! the palette canvas for social cards). Text is measured with the bundled DejaVu Sans, so the
//! layout is identical on every machine and the output is deterministic.
//!
//! Two kinds, both following the site's chart rules (README, "Chart rules"):
//! - **Bars**: one horizontal bar per value from a common zero, so length means the number;
//!   optional headings group bars (a jornada, then its indicators).
//! - **Trend**: values per day on a real time axis; each value is a mark at its height (position
//!   means the number), drawn across the days its period covers.
//!
//! Every chart carries `role="img"`, a `<title>` and a `<desc>` that states the numbers in words,
//! and a `viewBox` so it scales; the page puts a table with the same numbers beside it.

mod bars;
mod canvas;
pub mod card;
mod compact;
mod frame;
pub mod palette;
mod raster;
pub mod text;
mod trend;

use plotters::coord::Shift;
use plotters::prelude::*;

use crate::model::{Colour, Date};
use canvas::Picture;

const WIDTH: u32 = 680;
/// The phone layout's width: a 360 px screen shows it at full size.
const NARROW: u32 = 360;

/// What to draw: a title, the marks, and what a reader needs to trust them (subtitle, notes,
/// source), all printed on the chart so a cropped screenshot still carries them.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Unique across the site: names the chart's downloads and embed page, and its `aria` ids.
    pub id: String,
    pub kind: Kind,
    pub title: String,
    /// What is shown: period, scope, kind of figure.
    pub subtitle: String,
    pub source: String,
    pub marks: Vec<Mark>,
    /// Notes printed under the marks, before the source (e.g. "* Año deducido…").
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Bars,
    /// Values per day over a shared time axis from `from` to `to` (both days included).
    Trend {
        from: Date,
        to: Date,
    },
}

/// One value.
#[derive(Debug, Clone)]
pub struct Mark {
    /// Bars: the row's label. Trend: a short tag beside the value (e.g. the place), or empty.
    pub label: String,
    /// Bars: a heading printed above this mark and the following ones that share it.
    pub group: Option<String>,
    pub value: f64,
    /// The value as the reader should see it, e.g. "6,552,794" or "más de 177,000".
    pub value_label: String,
    /// The indicator's colour, the same in every chart of the site.
    pub colour: Colour,
    /// The value is a bound or rounded ("más de", "alrededor de"): drawn as a light tint with an
    /// outline, beside the words.
    pub qualified: bool,
    /// Trend: the period the value covers (both days included).
    pub span: Option<(Date, Date)>,
    /// A caveat (e.g. the source states another value): the value gets a numbered marker and
    /// the note is printed under the chart.
    pub footnote: Option<String>,
}

impl Chart {
    /// A hash of everything drawn, so `serve` can reuse a drawing when nothing in it changed.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        // `DefaultHasher::new()` has fixed keys: the same chart hashes the same in every run.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (
            &self.id,
            &self.title,
            &self.subtitle,
            &self.source,
            &self.notes,
        )
            .hash(&mut h);
        match self.kind {
            Kind::Bars => 0u8.hash(&mut h),
            Kind::Trend { from, to } => (1u8, from, to).hash(&mut h),
        }
        for m in &self.marks {
            (
                &m.label,
                &m.group,
                m.value.to_bits(),
                &m.value_label,
                m.colour,
                m.qualified,
                m.span,
                &m.footnote,
            )
                .hash(&mut h);
        }
        h.finish()
    }
}

/// Sizes for one rendering.
pub struct Style {
    pub width: i32,
    /// Multiplies every size: 1.0 for a page chart, more on a social card.
    pub scale: f64,
    /// Whether to print the chart's own title and subtitle (a card prints its own heading).
    pub heading: bool,
    /// Phone layout: labels above their bars instead of in a column beside them.
    pub narrow: bool,
}

/// A chart measured for one style, ready to draw on any backend.
pub(crate) enum Layout<'a> {
    Bars(bars::Layout<'a>),
    Trend(trend::Layout<'a>),
}

impl<'a> Layout<'a> {
    pub fn new(chart: &'a Chart, style: &Style) -> Layout<'a> {
        match chart.kind {
            Kind::Bars => Layout::Bars(bars::Layout::new(chart, style)),
            Kind::Trend { from, to } => Layout::Trend(trend::Layout::new(chart, style, from, to)),
        }
    }

    pub fn height(&self) -> i32 {
        match self {
            Layout::Bars(l) => l.height,
            Layout::Trend(l) => l.height,
        }
    }

    pub fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) {
        match self {
            Layout::Bars(l) => l.draw(area),
            Layout::Trend(l) => l.draw(area),
        }
    }
}

impl Picture for Layout<'_> {
    fn size(&self) -> (u32, u32) {
        let width = match self {
            Layout::Bars(l) => l.width,
            Layout::Trend(l) => l.width,
        };
        (width as u32, self.height() as u32)
    }
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) {
        Layout::draw(self, area)
    }
}

/// Draw the chart as a standalone `<svg>` element: 680 units wide, or 360 for the phone layout
/// (labels above bars), which gets its own `aria` ids so both can sit in one page.
pub fn svg(chart: &Chart, narrow: bool) -> String {
    text::register_fonts();
    let width = if narrow { NARROW } else { WIDTH };
    let layout = Layout::new(
        chart,
        &Style {
            width: width as i32,
            scale: 1.0,
            heading: true,
            narrow,
        },
    );
    let height = layout.height();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height as u32)).into_drawing_area();
        let _ = root.fill(&WHITE);
        layout.draw(&root);
        let _ = root.present();
    }
    let body = svg.split_once('>').map_or("", |(_, rest)| rest);
    // ids must be XML names (no leading digit): report ids such as "7a-jornada" are not
    let id = escape(&format!(
        "grafica-{}{}",
        chart.id,
        if narrow { "-estrecha" } else { "" }
    ));
    let kind = match chart.kind {
        Kind::Bars => "chart-bars",
        Kind::Trend { .. } => "chart-trend",
    };
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" "#,
            r#"aria-labelledby="{id}-title {id}-desc" class="chart {kind} {class}" {inherited}>"#,
            "\n<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>{body}"
        ),
        w = width,
        h = height,
        id = id,
        kind = kind,
        class = if narrow { "chart-narrow" } else { "chart-wide" },
        title = escape(&chart.title),
        desc = escape(&describe(chart)),
        inherited = compact::root_attributes(),
        body = compact::body(body)
    )
}

/// The numbers in words, for screen readers: "Consultas de especialidad: 6,552,794; …".
fn describe(chart: &Chart) -> String {
    let items: Vec<String> = chart
        .marks
        .iter()
        .map(|m| {
            let label = match (&m.group, m.label.is_empty()) {
                (Some(g), false) => format!("{g}, {}", m.label),
                (Some(g), true) => g.clone(),
                (None, _) => m.label.clone(),
            };
            let value = match &m.footnote {
                Some(n) => format!("{} ({n})", m.value_label),
                None => m.value_label.clone(),
            };
            if label.is_empty() {
                value
            } else {
                format!("{label}: {value}")
            }
        })
        .collect();
    let mut parts = vec![chart.subtitle.trim_end_matches('.').to_string()];
    parts.push(items.join("; "));
    parts.extend(
        chart
            .notes
            .iter()
            .map(|n| n.trim_end_matches('.').to_string()),
    );
    format!("{}. {}", parts.join(". "), chart.source)
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn mark(label: &str, value: f64) -> Mark {
        Mark {
            label: label.to_string(),
            group: None,
            value,
            value_label: crate::model::format::int(value as u64),
            colour: Colour::BluishGreen,
            qualified: false,
            span: None,
            footnote: None,
        }
    }

    fn sample() -> Chart {
        Chart {
            id: "c1".into(),
            kind: Kind::Bars,
            title: "Trasplantes por órgano".into(),
            subtitle: "Acumulado nacional, 1 abr–12 sep 2021".into(),
            source: "Fuente: IMSS, boletín sin número".into(),
            marks: vec![
                mark("Riñón", 442.0),
                mark("Córnea", 353.0),
                mark("Corazón <b>", 10.0),
            ],
            notes: Vec::new(),
        }
    }

    /// The bars of an SVG: (y, width) of every filled rect of bar height, in drawing order.
    fn bars(svg: &str) -> Vec<(i32, i32)> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("height") == Some("18"))
            .filter(|n| n.attribute("fill") != Some("none"))
            .map(|n| {
                let a = |k: &str| n.attribute(k).unwrap().parse::<i32>().unwrap();
                (a("y"), a("width"))
            })
            .collect()
    }

    #[test]
    fn svg_is_accessible_scalable_and_escaped() {
        let svg = svg(&sample(), false);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 680 "));
        assert!(svg.contains(r#"role="img" aria-labelledby="grafica-c1-title grafica-c1-desc""#));
        assert!(svg.contains("<title id=\"grafica-c1-title\">Trasplantes por órgano</title>"));
        assert!(svg.contains("Riñón: 442"));
        assert!(svg.contains("Corazón &lt;b&gt;"));
        assert!(!svg.contains("<b>"));
        let root_tag = svg.split('>').next().unwrap();
        assert!(
            !root_tag.contains("width="),
            "a fixed size would stop it scaling"
        );
    }

    #[test]
    fn bar_length_is_proportional_to_the_value_and_deterministic() {
        for narrow in [false, true] {
            let svg = svg(&sample(), narrow);
            let drawn = bars(&svg);
            assert_eq!(drawn.len(), 3, "{svg}");
            let per_unit: Vec<f64> = drawn
                .iter()
                .zip([442.0, 353.0, 10.0])
                .map(|((_, w), v)| f64::from(*w) / v)
                .collect();
            // whole pixels: within a pixel of proportional
            assert!(
                (per_unit[0] - per_unit[1]).abs() * 442.0 < 1.0,
                "{per_unit:?}"
            );
            assert!((per_unit[0] * 10.0 - f64::from(drawn[2].1)).abs() <= 2.0);
            assert_eq!(svg, super::svg(&sample(), narrow));
        }
        let narrow = svg(&sample(), true);
        assert!(narrow.contains("viewBox=\"0 0 360 "));
        assert!(
            narrow.contains("aria-labelledby=\"grafica-c1-estrecha-title"),
            "unique ids"
        );
    }

    #[test]
    fn groups_get_a_heading_and_light_colours_an_outline() {
        let mut chart = sample();
        chart.marks[0].group = Some("10–12 sep 2021 · Nacional".into());
        chart.marks[1].group = Some("10–12 sep 2021 · Nacional".into());
        chart.marks[1].colour = Colour::SkyBlue;
        chart.marks[2].group = Some("27–29 ago 2021 · 9 lugares".into());
        let svg = svg(&chart, false);
        assert_eq!(svg.matches(">10–12 sep 2021 · Nacional</text>").count(), 1);
        assert_eq!(svg.matches(">27–29 ago 2021 · 9 lugares</text>").count(), 1);
        assert_eq!(bars(&svg).len(), 3);
        assert!(svg.contains("fill=\"#56B4E9\""), "{svg}");
        assert!(
            svg.contains("fill=\"none\" stroke=\"#4A515A\""),
            "outline: {svg}"
        );
    }

    #[test]
    fn qualified_values_look_qualified() {
        let mut chart = sample();
        chart.marks[0].qualified = true;
        chart.marks[0].value_label = "más de 442".into();
        let svg = svg(&chart, false);
        assert!(svg.contains("más de 442"));
        // drawn as a light tint with an outline, not in the full colour
        assert_eq!(svg.matches("fill=\"#009E73\"").count(), 2, "{svg}");
        assert!(svg.contains("stroke=\"#009E73\""), "{svg}");
    }

    #[test]
    fn trends_place_marks_by_value_and_date() {
        let d = |s: &str| Date::parse(s).unwrap();
        let mut chart = sample();
        chart.kind = Kind::Trend {
            from: d("2021-07-12"),
            to: d("2021-09-12"),
        };
        let spans = [
            ("2021-07-12", "2021-07-18"),
            ("2021-08-27", "2021-08-29"),
            ("2021-09-10", "2021-09-12"),
        ];
        for (m, (a, b)) in chart.marks.iter_mut().zip(spans) {
            m.span = Some((d(a), d(b)));
        }
        for narrow in [false, true] {
            let svg = svg(&chart, narrow);
            let doc = roxmltree::Document::parse(&svg).unwrap();
            let dots: Vec<(f64, f64)> = doc
                .descendants()
                .filter(|n| n.has_tag_name("circle"))
                .map(|n| {
                    let a = |k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
                    (a("cx"), a("cy"))
                })
                .collect();
            assert_eq!(dots.len(), 3, "{svg}");
            // later periods further right; larger values higher (smaller y)
            assert!(dots[0].0 < dots[1].0 && dots[1].0 < dots[2].0, "{dots:?}");
            assert!(dots[0].1 < dots[1].1 && dots[1].1 < dots[2].1, "{dots:?}");
            // heights proportional to the values, from a zero baseline
            let zero = doc
                .descendants()
                .find(|n| {
                    n.attribute("class").is_none()
                        && n.has_tag_name("text")
                        && n.text().is_some_and(|t| t.trim() == "0")
                })
                .is_some();
            assert!(zero, "the value axis starts at 0");
            assert!(svg.contains(">ago 2021</text>"), "month ticks: {svg}");
        }
    }
}
