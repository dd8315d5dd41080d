//! Stage 4, **charts**: pure functions from numbers to SVG strings, drawn with plotters'
//! SVG backend. Text is measured with the bundled DejaVu Sans (no system fonts, no
//! fontconfig), so the layout is identical on every machine and the output is deterministic.
//!
//! Every chart carries `role="img"`, a `<title>` and a `<desc>` that states the numbers in words,
//! and a `viewBox` so it scales; the page puts a table with the same numbers beside it.

use std::sync::Once;

use plotters::prelude::*;

mod bars;
pub mod card;

/// The CSS font list written into the SVG. It doubles as the key under which the bundled font is
/// registered, so text is measured with DejaVu Sans and browsers fall back to look-alikes.
const FONT: &str = "DejaVu Sans, Verdana, sans-serif";
/// The bold face under its own name, for raster cards (the bitmap backend draws the family's
/// regular face whatever the style asks).
const FONT_BOLD_FAMILY: &str = "DejaVu Sans Bold";
static FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const WIDTH: u32 = 680;
const TEXT: RGBColor = RGBColor(0x1f, 0x23, 0x28);
const MUTED: RGBColor = RGBColor(0x4a, 0x51, 0x5a);
/// Okabe–Ito blue and vermillion: distinguishable with every common colour-vision deficiency.
const BAR: RGBColor = RGBColor(0x00, 0x72, 0xb2);
const BAR_ALT: RGBColor = RGBColor(0xd5, 0x5e, 0x00);

fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The fonts are compiled in; failure would mean a corrupt repository file.
        let ok = plotters::style::register_font(FONT, FontStyle::Normal, FONT_REGULAR).is_ok()
            && plotters::style::register_font(FONT, FontStyle::Bold, FONT_BOLD).is_ok()
            && plotters::style::register_font(FONT_BOLD_FAMILY, FontStyle::Normal, FONT_BOLD)
                .is_ok();
        debug_assert!(ok, "bundled chart fonts failed to load");
    });
}

/// A horizontal bar chart: one labelled bar per value, the value written at the bar's end, so
/// even a bar too short to see still states its number.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// Unique within the page; used for the `aria-labelledby` ids.
    pub id: String,
    pub title: String,
    /// What is shown: period, scope, kind of figure.
    pub subtitle: String,
    /// Printed on the chart so a cropped screenshot still cites its source.
    pub source: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The value as the reader should see it, e.g. "6,552,794" or "más de 177,000".
    pub value_label: String,
    /// A caveat (e.g. the source states another value). The bar is drawn in the second colour,
    /// its value gets a numbered marker, and the note is printed under the chart: colour is
    /// never the only cue.
    pub footnote: Option<String>,
}

/// Draw the chart. Returns a standalone `<svg>` element.
pub fn bar_chart(chart: &BarChart) -> String {
    register_fonts();
    let layout = bars::Layout::new(
        chart,
        &bars::Style {
            width: WIDTH as i32,
            scale: 1.0,
            heading: true,
        },
    );
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (WIDTH, layout.height as u32)).into_drawing_area();
        let _ = root.fill(&WHITE);
        layout.draw(&root);
        let _ = root.present();
    }
    accessible(&svg, chart, layout.height)
}

/// Swap plotters' fixed-size `<svg>` header for a scalable, labelled one.
fn accessible(svg: &str, chart: &BarChart, height: i32) -> String {
    let body = svg.split_once('>').map_or("", |(_, rest)| rest);
    let desc = describe(chart);
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" "#,
            r#"aria-labelledby="{id}-title {id}-desc" class="chart">"#,
            "\n<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>{body}"
        ),
        w = WIDTH,
        h = height,
        // ids must be XML names (no leading digit): report ids such as "7a-jornada" are not
        id = escape(&format!("grafica-{}", chart.id)),
        title = escape(&chart.title),
        desc = escape(&desc),
        body = body
    )
}

/// The numbers in words, for screen readers: "Consultas de especialidad: 6,552,794; …".
fn describe(chart: &BarChart) -> String {
    let items: Vec<String> = chart
        .bars
        .iter()
        .map(|b| match &b.footnote {
            Some(n) => format!("{}: {} ({n})", b.label, b.value_label),
            None => format!("{}: {}", b.label, b.value_label),
        })
        .collect();
    format!("{}. {}. {}", chart.subtitle, items.join("; "), chart.source)
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

/// Greedy word wrap to `max` pixels as measured by `width`.
fn wrap(text: &str, max: i32, width: impl Fn(&str) -> i32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(&candidate) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> BarChart {
        BarChart {
            id: "c1".into(),
            title: "Trasplantes por órgano".into(),
            subtitle: "Acumulado nacional, 1 abr–12 sep 2021".into(),
            source: "Fuente: IMSS, boletín sin número".into(),
            bars: [("Riñón", 442.0), ("Córnea", 353.0), ("Corazón <b>", 10.0)]
                .iter()
                .map(|(l, v)| Bar {
                    label: l.to_string(),
                    value: *v,
                    value_label: format!("{v}"),
                    footnote: None,
                })
                .collect(),
        }
    }

    #[test]
    fn svg_is_accessible_scalable_and_escaped() {
        let svg = bar_chart(&sample());
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
    fn one_bar_per_value_and_deterministic() {
        let svg = bar_chart(&sample());
        // one background rect plus one per bar
        assert_eq!(svg.matches("<rect").count(), 1 + 3);
        assert_eq!(svg, bar_chart(&sample()));
    }

    #[test]
    fn wraps_long_labels() {
        let lines = wrap("uno dos tres cuatro", 30, |t| t.len() as i32 * 4);
        assert_eq!(lines, ["uno dos", "tres", "cuatro"]);
    }
}
