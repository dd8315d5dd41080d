//! Horizontal bars from a common zero: length means the number. Each value is written at its
//! bar's end, so even a short bar states its number. Headings group bars (a jornada, then its
//! indicators). Two layouts: labels in a column beside the bars, or (narrow) above them.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos as Anchor, VPos};

use super::frame::Frame;
use super::palette::{self, MUTED};
use super::text::{bold_label_font, label_font, measure, wrap};
use super::{Chart, Style};

/// A row of the chart, top to bottom.
enum Row {
    /// A group's heading, wrapped.
    Heading(Vec<String>),
    /// Mark `i`, with its label wrapped.
    Bar(usize, Vec<String>),
}

/// Everything measured, ready to draw.
pub struct Layout<'a> {
    chart: &'a Chart,
    frame: Frame,
    narrow: bool,
    line: i32,
    rows: Vec<(Row, i32)>,
    /// Where bars start (the zero line) and the longest may end.
    plot_x0: i32,
    /// Pixels per unit of value.
    px_per_unit: f64,
    pub width: i32,
    pub height: i32,
}

impl<'a> Layout<'a> {
    pub fn new(chart: &'a Chart, style: &Style) -> Layout<'a> {
        let frame = Frame::new(chart, style);
        let px = |v: f64| frame.px(v);
        let (pad, line) = (frame.pad, px(17.0));
        let width = style.width;
        let (label, heading) = (label_font(frame.s), bold_label_font(frame.s));
        let max_label = if style.narrow {
            width - 2 * pad
        } else {
            (f64::from(width) * 0.36) as i32
        };
        let mut rows: Vec<(Row, i32)> = Vec::new();
        let mut group: Option<&String> = None;
        for (i, m) in chart.marks.iter().enumerate() {
            if m.group.is_some() && m.group.as_ref() != group {
                let lines = wrap(m.group.as_deref().unwrap_or(""), width - 2 * pad, |t| {
                    measure(t, &heading)
                });
                let gap = if rows.is_empty() { 0 } else { px(8.0) };
                let h = lines.len() as i32 * line + px(6.0) + gap;
                rows.push((Row::Heading(lines), h));
            }
            group = m.group.as_ref();
            let lines = wrap(&m.label, max_label, |t| measure(t, &label));
            let h = if style.narrow {
                lines.len() as i32 * line + px(18.0) + px(12.0)
            } else {
                (lines.len() as i32 * line + px(12.0)).max(px(30.0))
            };
            rows.push((Row::Bar(i, lines), h));
        }
        let label_w = if style.narrow {
            0
        } else {
            rows.iter()
                .filter_map(|(r, _)| match r {
                    Row::Bar(_, lines) => lines.iter().map(|l| measure(l, &label)).max(),
                    Row::Heading(_) => None,
                })
                .max()
                .unwrap_or(0)
                .min(max_label)
        };
        let plot_x0 = if style.narrow || label_w == 0 {
            pad
        } else {
            pad + label_w + px(10.0)
        };
        // Scale so every bar plus its value label fits: the longest bar is not always the one
        // with the longest label (a caveat's marker adds text).
        let avail = f64::from(width - pad - plot_x0);
        let px_per_unit = chart
            .marks
            .iter()
            .zip(&frame.value_labels)
            .filter(|(m, _)| m.value > 0.0)
            .map(|(m, l)| {
                (avail - f64::from(measure(l, &label)) - 8.0 * frame.s).max(40.0 * frame.s)
                    / m.value
            })
            .fold(f64::INFINITY, f64::min);
        let body: i32 = rows.iter().map(|(_, h)| h).sum();
        let height = frame.header + body + frame.footer;
        Layout {
            chart,
            frame,
            narrow: style.narrow,
            line,
            rows,
            plot_x0,
            px_per_unit,
            width,
            height,
        }
    }

    /// Draw onto `area`, whose top-left corner is the chart's. Drawing errors can only come from
    /// the backend (a String or a pixel buffer), so they are ignored.
    pub fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) {
        let f = &self.frame;
        let px = |v: f64| f.px(v);
        let (label, heading) = (label_font(f.s), bold_label_font(f.s));
        f.draw_header(area);
        let half_bar = px(9.0);
        let mut y = f.header;
        let mut first_bar: Option<i32> = None;
        for (row, h) in &self.rows {
            match row {
                Row::Heading(lines) => {
                    let top = y + h - lines.len() as i32 * self.line - px(6.0);
                    for (k, l) in lines.iter().enumerate() {
                        let _ = area.draw_text(
                            l,
                            &heading.pos(Anchor::new(HPos::Left, VPos::Top)),
                            (f.pad, top + k as i32 * self.line),
                        );
                    }
                }
                Row::Bar(i, lines) => {
                    let mark = &self.chart.marks[*i];
                    // Narrow: the label on its own lines, the bar under it. Wide: side by side.
                    let (mid, text_top, anchor, text_x) = if self.narrow {
                        let mid = y + lines.len() as i32 * self.line + half_bar + px(2.0);
                        (mid, y + px(2.0), HPos::Left, f.pad)
                    } else {
                        let mid = y + h / 2;
                        let top = mid - (lines.len() as i32 * self.line) / 2;
                        (mid, top, HPos::Right, self.plot_x0 - px(10.0))
                    };
                    first_bar.get_or_insert(mid - half_bar);
                    for (k, l) in lines.iter().enumerate() {
                        let _ = area.draw_text(
                            l,
                            &label.pos(Anchor::new(anchor, VPos::Top)),
                            (text_x, text_top + k as i32 * self.line + 1),
                        );
                    }
                    let len = if self.px_per_unit.is_finite() {
                        (mark.value * self.px_per_unit).round() as i32
                    } else {
                        0
                    };
                    // A sliver for any non-zero value, so no bar vanishes.
                    let len = if mark.value > 0.0 { len.max(2) } else { 0 };
                    let (x0, x1) = (self.plot_x0, self.plot_x0 + len);
                    if len > 0 {
                        let corners = [(x0, mid - half_bar), (x1, mid + half_bar)];
                        let (fill, stroke) = if mark.qualified {
                            (palette::tint(mark.colour), Some(palette::fill(mark.colour)))
                        } else {
                            (palette::fill(mark.colour), palette::outline(mark.colour))
                        };
                        let _ = area.draw(&Rectangle::new(corners, fill.filled()));
                        if let Some(stroke) = stroke {
                            let _ = area.draw(&Rectangle::new(corners, stroke.stroke_width(1)));
                        }
                    }
                    let _ = area.draw_text(
                        &f.value_labels[*i],
                        &label.pos(Anchor::new(HPos::Left, VPos::Center)),
                        (x1 + px(6.0), mid),
                    );
                }
            }
            y += h;
        }
        // The zero line all bars start from.
        let top = first_bar.unwrap_or(f.header) - px(4.0);
        let _ = area.draw(&PathElement::new(
            vec![(self.plot_x0, top), (self.plot_x0, y + px(4.0))],
            MUTED.stroke_width(1),
        ));
        f.draw_footer(area, y);
    }
}
