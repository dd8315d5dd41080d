//! Layout and drawing of a horizontal bar chart on any plotters backend (SVG for pages, bitmap
//! for social cards). Text is measured with the bundled font, so layout is the same everywhere.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos as Anchor, VPos};

use super::{wrap, BarChart, BAR, BAR_ALT, FONT, MUTED, TEXT};

/// Sizes for one rendering, all multiplied by `scale` (1.0 for a page chart).
pub struct Style {
    pub width: i32,
    pub scale: f64,
    /// Whether to print the chart's own title and subtitle (a card prints its own heading).
    pub heading: bool,
}

/// Everything measured, ready to draw.
pub struct Layout<'a> {
    chart: &'a BarChart,
    s: f64,
    pad: i32,
    line: i32,
    title_lines: Vec<String>,
    subtitle_lines: Vec<String>,
    labels: Vec<Vec<String>>,
    value_labels: Vec<String>,
    foot_lines: Vec<String>,
    rows: Vec<i32>,
    header: i32,
    bar_x0: i32,
    px_per_unit: f64,
    pub height: i32,
}

// plotters writes font-size = size / 1.24 into an SVG; at scale 1 these give 14, 13 and 17 px.
fn label_font(s: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, 17.4 * s).into_font()).color(&TEXT)
}
fn title_font(s: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, 21.0 * s).into_font().style(FontStyle::Bold)).color(&TEXT)
}
fn small_font(s: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, 16.0 * s).into_font()).color(&MUTED)
}

pub fn measure(text: &str, style: &TextStyle) -> i32 {
    FontDesc::new(
        FontFamily::Name(FONT),
        style.font.get_size(),
        style.font.get_style(),
    )
    .box_size(text)
    .map(|(w, _)| w as i32)
    .unwrap_or((text.chars().count() as f64 * style.font.get_size() * 0.6) as i32)
}

impl<'a> Layout<'a> {
    pub fn new(chart: &'a BarChart, style: &Style) -> Layout<'a> {
        let s = style.scale;
        let px = |v: f64| (v * s).round() as i32;
        let (pad, line) = (px(16.0), px(17.0));
        let width = style.width;
        let (label, title, small) = (label_font(s), title_font(s), small_font(s));
        let max_label = (width as f64 * 0.40) as i32;
        let labels: Vec<Vec<String>> = chart
            .bars
            .iter()
            .map(|b| wrap(&b.label, max_label, |t| measure(t, &label)))
            .collect();
        let label_w = labels
            .iter()
            .flatten()
            .map(|l| measure(l, &label))
            .max()
            .unwrap_or(0)
            .min(max_label);
        let (title_lines, subtitle_lines) = if style.heading {
            (
                wrap(&chart.title, width - 2 * pad, |t| measure(t, &title)),
                wrap(&chart.subtitle, width - 2 * pad, |t| measure(t, &small)),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        // Numbered caveats, then the source, under the bars.
        let mut notes: Vec<String> = Vec::new();
        let value_labels: Vec<String> = chart
            .bars
            .iter()
            .map(|b| match &b.footnote {
                Some(n) => {
                    notes.push(format!("({}) {n}", notes.len() + 1));
                    format!("{} ({})", b.value_label, notes.len())
                }
                None => b.value_label.clone(),
            })
            .collect();
        notes.push(chart.source.clone());
        let foot_lines: Vec<String> = notes
            .iter()
            .flat_map(|n| wrap(n, width - 2 * pad, |t| measure(t, &small)))
            .collect();

        let header = pad
            + title_lines.len() as i32 * px(23.0)
            + subtitle_lines.len() as i32 * px(18.0)
            + px(12.0);
        let rows: Vec<i32> = labels
            .iter()
            .map(|l| (l.len() as i32 * line + px(12.0)).max(px(32.0)))
            .collect();
        let body: i32 = rows.iter().sum();
        let height = header + body + px(12.0) + foot_lines.len() as i32 * px(18.0) + pad;
        let bar_x0 = pad + label_w + px(10.0);
        // Scale so every bar plus its value label fits: the longest bar is not always the one
        // with the longest label (a conflict marker adds text).
        let avail = (width - pad - bar_x0) as f64;
        let px_per_unit = chart
            .bars
            .iter()
            .zip(&value_labels)
            .filter(|(b, _)| b.value > 0.0)
            .map(|(b, l)| (avail - measure(l, &label) as f64 - 8.0 * s).max(40.0 * s) / b.value)
            .fold(f64::INFINITY, f64::min);
        Layout {
            chart,
            s,
            pad,
            line,
            title_lines,
            subtitle_lines,
            labels,
            value_labels,
            foot_lines,
            rows,
            header,
            bar_x0,
            px_per_unit,
            height,
        }
    }

    /// Draw onto `area`, whose top-left corner is the chart's. Drawing errors can only come from
    /// the backend (a String or a pixel buffer), so they are ignored.
    pub fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) {
        let s = self.s;
        let px = |v: f64| (v * s).round() as i32;
        let (label, title, small) = (label_font(s), title_font(s), small_font(s));
        let top_left = |style: &TextStyle<'static>| style.pos(Anchor::new(HPos::Left, VPos::Top));
        let mut y = self.pad;
        for l in &self.title_lines {
            let _ = area.draw_text(l, &top_left(&title), (self.pad, y));
            y += px(23.0);
        }
        for l in &self.subtitle_lines {
            let _ = area.draw_text(l, &top_left(&small), (self.pad, y));
            y += px(18.0);
        }
        y = self.header;
        let half_bar = px(9.0);
        for (i, bar) in self.chart.bars.iter().enumerate() {
            let row = self.rows[i];
            let mid = y + row / 2;
            let lines = &self.labels[i];
            let text_top = mid - (lines.len() as i32 * self.line) / 2;
            for (k, l) in lines.iter().enumerate() {
                let _ = area.draw_text(
                    l,
                    &label.pos(Anchor::new(HPos::Right, VPos::Top)),
                    (self.bar_x0 - px(10.0), text_top + k as i32 * self.line + 1),
                );
            }
            let len = if self.px_per_unit.is_finite() {
                (bar.value * self.px_per_unit).round() as i32
            } else {
                0
            };
            // A sliver for any non-zero value, so no bar vanishes.
            let len = if bar.value > 0.0 { len.max(2) } else { 0 };
            let color = if bar.footnote.is_some() { BAR_ALT } else { BAR };
            let _ = area.draw(&Rectangle::new(
                [
                    (self.bar_x0, mid - half_bar),
                    (self.bar_x0 + len, mid + half_bar),
                ],
                color.filled(),
            ));
            let _ = area.draw_text(
                &self.value_labels[i],
                &label.pos(Anchor::new(HPos::Left, VPos::Center)),
                (self.bar_x0 + len + px(6.0), mid),
            );
            y += row;
        }
        let _ = area.draw(&PathElement::new(
            vec![
                (self.bar_x0, self.header - px(4.0)),
                (self.bar_x0, y + px(4.0)),
            ],
            MUTED.stroke_width(1),
        ));
        y += px(12.0);
        for l in &self.foot_lines {
            let _ = area.draw_text(l, &top_left(&small), (self.pad, y));
            y += px(18.0);
        }
    }
}
