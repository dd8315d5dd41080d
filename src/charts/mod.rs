//! Stage 4, **charts**: pure functions from numbers to SVG strings, drawn with plotters'
//! SVG backend. Text is measured with the bundled DejaVu Sans (no system fonts, no
//! fontconfig), so the layout is identical on every machine and the output is deterministic.
//!
//! Every chart carries `role="img"`, a `<title>` and a `<desc>` that states the numbers in words,
//! and a `viewBox` so it scales; the page puts a table with the same numbers beside it.

use std::sync::Once;

use plotters::prelude::*;

mod bars;
mod canvas;
pub mod card;
mod raster;

use crate::model::Date;

/// The CSS font list written into the SVG. It doubles as the key under which the bundled font is
/// registered, so text is measured with DejaVu Sans and browsers fall back to look-alikes.
const FONT: &str = "DejaVu Sans, Verdana, sans-serif";
/// The bold face under its own name, for raster cards. (plotters' own bitmap text drew a
/// family's regular face whatever the style asked; `raster::CachedText` honours the style, so
/// PNG chart titles are bold like the SVG ones.)
const FONT_BOLD_FAMILY: &str = "DejaVu Sans Bold";

/// Whether text is drawn in the bold face: by its style (charts) or by the bold face's own name
/// (cards). Measuring and drawing both ask this, so they always agree.
fn is_bold(style: FontStyle, family: FontFamily) -> bool {
    matches!(style, FontStyle::Bold)
        || matches!(family, FontFamily::Name(n) if n == FONT_BOLD_FAMILY)
}
static FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const WIDTH: u32 = 680;
/// The phone layout's width: a 360 px screen shows it at full size.
const NARROW: u32 = 360;
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

/// A chart: labelled horizontal bars (values compared by length) or a timeline (each value
/// drawn over its period). Every value is also written out, so even a bar too short to see
/// still states its number.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// Unique across the site: names the chart's downloads and embed page, and its `aria` ids.
    pub id: String,
    pub kind: Kind,
    pub title: String,
    /// What is shown: period, scope, kind of figure.
    pub subtitle: String,
    /// Printed on the chart so a cropped screenshot still cites its source.
    pub source: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Bars,
    /// A shared time axis from `from` to `to` (both days included).
    Timeline {
        from: Date,
        to: Date,
    },
}

#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// For a timeline: the period the value covers (rows without one show only their value).
    pub span: Option<(Date, Date)>,
    /// The value as the reader should see it, e.g. "6,552,794" or "más de 177,000".
    pub value_label: String,
    /// A caveat (e.g. the source states another value). The bar is drawn in the second colour,
    /// its value gets a numbered marker, and the note is printed under the chart: colour is
    /// never the only cue.
    pub footnote: Option<String>,
}

impl BarChart {
    /// A hash of everything drawn, so `serve` can reuse a drawing when nothing in it changed.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        // `DefaultHasher::new()` has fixed keys: the same chart hashes the same in every run.
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&self.id, &self.title, &self.subtitle, &self.source).hash(&mut h);
        match self.kind {
            Kind::Bars => 0u8.hash(&mut h),
            Kind::Timeline { from, to } => (1u8, from, to).hash(&mut h),
        }
        for b in &self.bars {
            (
                &b.label,
                b.value.to_bits(),
                b.span,
                &b.value_label,
                &b.footnote,
            )
                .hash(&mut h);
        }
        h.finish()
    }
}

/// Draw the chart as a standalone `<svg>` element: 680 units wide, or 360 for the phone layout
/// (labels above bars), which gets its own `aria` ids so both can sit in one page.
pub fn svg(chart: &BarChart, narrow: bool) -> String {
    register_fonts();
    let width = if narrow { NARROW } else { WIDTH };
    let layout = bars::Layout::new(
        chart,
        &bars::Style {
            width: width as i32,
            scale: 1.0,
            heading: true,
            narrow,
        },
    );
    let mut svg = String::new();
    {
        let root =
            SVGBackend::with_string(&mut svg, (width, layout.height as u32)).into_drawing_area();
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
    format!(
        concat!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" "#,
            r#"aria-labelledby="{id}-title {id}-desc" class="chart{class}">"#,
            "\n<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>{body}"
        ),
        w = width,
        h = layout.height,
        id = id,
        class = if narrow {
            " chart-narrow"
        } else {
            " chart-wide"
        },
        title = escape(&chart.title),
        desc = escape(&describe(chart)),
        body = body
    )
}

/// The page chart at twice the size, as PNG, for pasting into documents.
pub fn png(chart: &BarChart) -> Result<Vec<u8>, String> {
    let style = bars::Style {
        width: (WIDTH * 2) as i32,
        scale: 2.0,
        heading: true,
        narrow: false,
    };
    canvas::png(&bars::Layout::new(chart, &style))
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
    format!(
        "{}. {}. {}",
        chart.subtitle.trim_end_matches('.'),
        items.join("; "),
        chart.source
    )
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
            kind: Kind::Bars,
            title: "Trasplantes por órgano".into(),
            subtitle: "Acumulado nacional, 1 abr–12 sep 2021".into(),
            source: "Fuente: IMSS, boletín sin número".into(),
            bars: [("Riñón", 442.0), ("Córnea", 353.0), ("Corazón <b>", 10.0)]
                .iter()
                .map(|(l, v)| Bar {
                    label: l.to_string(),
                    value: *v,
                    span: None,
                    value_label: format!("{v}"),
                    footnote: None,
                })
                .collect(),
        }
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
    fn one_bar_per_value_and_deterministic() {
        for narrow in [false, true] {
            let svg = svg(&sample(), narrow);
            // one background rect plus one per bar
            assert_eq!(svg.matches("<rect").count(), 1 + 3);
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
    fn timelines_place_marks_by_date() {
        let d = |s: &str| Date::parse(s).unwrap();
        let mut chart = sample();
        chart.kind = Kind::Timeline {
            from: d("2021-01-01"),
            to: d("2021-12-31"),
        };
        chart.bars[0].span = Some((d("2021-01-01"), d("2021-06-30")));
        chart.bars[1].span = Some((d("2021-07-01"), d("2021-12-31")));
        chart.bars[2].span = None; // no period: value only, no mark
        let svg = svg(&chart, false);
        let rects: Vec<(i32, i32)> = svg
            .match_indices("<rect x=\"")
            .skip(1) // background
            .map(|(i, _)| {
                let attr = |name: &str| -> i32 {
                    let at = svg[i..].find(&format!(" {name}=\"")).unwrap() + i + name.len() + 3;
                    svg[at..at + svg[at..].find('"').unwrap()].parse().unwrap()
                };
                (attr("x"), attr("width"))
            })
            .collect();
        assert_eq!(rects.len(), 2, "{svg}");
        // the two halves of the year meet: the second starts where the first ends
        assert!(
            (rects[0].0 + rects[0].1 - rects[1].0).abs() <= 1,
            "{rects:?}"
        );
        // widths proportional to the days covered: 181 and 184
        let per_day = (rects[0].1 as f64 / 181.0, rects[1].1 as f64 / 184.0);
        assert!((per_day.0 - per_day.1).abs() < 0.01, "{rects:?}");
        assert!(svg.contains("\njul 2021\n"), "month ticks: {svg}");
    }

    #[test]
    fn wraps_long_labels() {
        let lines = wrap("uno dos tres cuatro", 30, |t| t.len() as i32 * 4);
        assert_eq!(lines, ["uno dos", "tres", "cuatro"]);
    }
}
