//! What every chart prints around its marks: the title and subtitle above, the numbered
//! caveats, notes and source below; and each value's label with its caveat's number.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos as Anchor, VPos};

use super::text::{measure, small_font, title_font, wrap};
use super::{Chart, Style};

pub struct Frame {
    pub s: f64,
    pub pad: i32,
    title_lines: Vec<String>,
    subtitle_lines: Vec<String>,
    foot_lines: Vec<String>,
    /// Where the marks start: under the title and subtitle.
    pub header: i32,
    /// The height of the notes and source, with the space above them.
    pub footer: i32,
    /// Each mark's value as printed: "475,725 (1)" when it has a caveat.
    pub value_labels: Vec<String>,
}

impl Frame {
    pub fn new(chart: &Chart, style: &Style) -> Frame {
        let s = style.scale;
        let px = |v: f64| (v * s).round() as i32;
        let pad = px(16.0);
        let width = style.width;
        let (title, small) = (title_font(s), small_font(s));
        let (title_lines, subtitle_lines) = if style.heading {
            (
                wrap(&chart.title, width - 2 * pad, |t| measure(t, &title)),
                wrap(&chart.subtitle, width - 2 * pad, |t| measure(t, &small)),
            )
        } else {
            (Vec::new(), Vec::new())
        };
        // Numbered caveats, then the chart's notes and the source, under the marks.
        let mut notes: Vec<String> = Vec::new();
        let value_labels: Vec<String> = chart
            .marks
            .iter()
            .map(|m| match &m.footnote {
                Some(n) => {
                    notes.push(format!("({}) {n}", notes.len() + 1));
                    format!("{} ({})", m.value_label, notes.len())
                }
                None => m.value_label.clone(),
            })
            .collect();
        notes.extend(chart.notes.iter().cloned());
        notes.push(chart.source.clone());
        let foot_lines: Vec<String> = notes
            .iter()
            .flat_map(|n| wrap(n, width - 2 * pad, |t| measure(t, &small)))
            .collect();
        let header = pad
            + title_lines.len() as i32 * px(23.0)
            + subtitle_lines.len() as i32 * px(18.0)
            + px(12.0);
        let footer = px(12.0) + foot_lines.len() as i32 * px(18.0) + pad;
        Frame {
            s,
            pad,
            title_lines,
            subtitle_lines,
            foot_lines,
            header,
            footer,
            value_labels,
        }
    }

    pub fn px(&self, v: f64) -> i32 {
        (v * self.s).round() as i32
    }

    /// Title and subtitle, from the top.
    pub fn draw_header<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) {
        let (title, small) = (title_font(self.s), small_font(self.s));
        let mut y = self.pad;
        for l in &self.title_lines {
            let _ = area.draw_text(l, &top_left(&title), (self.pad, y));
            y += self.px(23.0);
        }
        for l in &self.subtitle_lines {
            let _ = area.draw_text(l, &top_left(&small), (self.pad, y));
            y += self.px(18.0);
        }
    }

    /// Caveats, notes and source, from `y` (the bottom of the marks).
    pub fn draw_footer<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, y: i32) {
        let small = small_font(self.s);
        let mut y = y + self.px(12.0);
        for l in &self.foot_lines {
            let _ = area.draw_text(l, &top_left(&small), (self.pad, y));
            y += self.px(18.0);
        }
    }
}

pub fn top_left(style: &TextStyle<'static>) -> TextStyle<'static> {
    style.pos(Anchor::new(HPos::Left, VPos::Top))
}
