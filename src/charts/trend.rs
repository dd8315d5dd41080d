//! Values per day on a real time axis. Each value is a dot at its height on a value axis that
//! starts at zero (position means the number), with a line across the days its period covers;
//! the period is shown by the time axis, never by a length that could be read as the number.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos as Anchor, VPos};

use super::frame::Frame;
use super::palette::{self, GRID, MUTED};
use super::text::{label_font, measure, small_font};
use super::{Chart, Style};
use crate::model::date::MONTHS;
use crate::model::{format, Date};

pub struct Layout<'a> {
    chart: &'a Chart,
    frame: Frame,
    plot_x0: i32,
    plot_x1: i32,
    plot_top: i32,
    plot_bottom: i32,
    /// Days on the axis: the first and one past the last, with a margin either side.
    days: (i64, i64),
    x_ticks: Vec<(i64, String)>,
    /// The value axis: its top and its ticks.
    y_max: f64,
    y_ticks: Vec<(f64, String)>,
    /// Each mark's value label and where its box's top-left corner goes.
    labels: Vec<(String, (i32, i32))>,
    pub width: i32,
    pub height: i32,
}

impl<'a> Layout<'a> {
    pub fn new(chart: &'a Chart, style: &Style, from: Date, to: Date) -> Layout<'a> {
        let frame = Frame::new(chart, style);
        let px = |v: f64| frame.px(v);
        let (label, small) = (label_font(frame.s), small_font(frame.s));
        let width = style.width;
        let max = chart.marks.iter().map(|m| m.value).fold(0.0, f64::max);
        let (y_max, y_ticks) = value_ticks(max);
        let tick_w = y_ticks
            .iter()
            .map(|(_, t)| measure(t, &small))
            .max()
            .unwrap_or(0);
        let plot_x0 = frame.pad + tick_w + px(8.0);
        let plot_x1 = width - frame.pad;
        // Room above the plot for the labels of the highest marks.
        let plot_top = frame.header + px(24.0);
        let plot_bottom = plot_top + px(if style.narrow { 150.0 } else { 170.0 });
        let (first, last) = (from.ordinal(), to.ordinal() + 1);
        let margin = ((last - first) / 25).max(1);
        let days = (first - margin, last + margin);
        // one tick label needs about 75 px at scale 1
        let room = ((plot_x1 - plot_x0) / px(75.0)).max(2) as usize;
        let mut layout = Layout {
            chart,
            plot_x0,
            plot_x1,
            plot_top,
            plot_bottom,
            days,
            x_ticks: ticks(
                Date::from_ordinal(days.0),
                Date::from_ordinal(days.1 - 1),
                room,
            ),
            y_max,
            y_ticks,
            labels: Vec::new(),
            width,
            height: plot_bottom + px(28.0) + frame.footer,
            frame,
        };
        layout.labels = layout.place_labels(&label);
        layout
    }

    fn x_of_day(&self, day: i64) -> i32 {
        let (first, last) = self.days;
        let span = (last - first).max(1) as f64;
        self.plot_x0
            + (((day - first) as f64 / span) * f64::from(self.plot_x1 - self.plot_x0)).round()
                as i32
    }

    fn y_of(&self, value: f64) -> i32 {
        let h = f64::from(self.plot_bottom - self.plot_top);
        self.plot_bottom - (value / self.y_max * h).round() as i32
    }

    /// Where each mark's dot and line go: (x0, x1, y), or `None` without a period.
    fn geometry(&self, i: usize) -> Option<(i32, i32, i32)> {
        let m = &self.chart.marks[i];
        let (start, end) = m.span?;
        let x0 = self.x_of_day(start.ordinal());
        // at least 3 px, so a one-day period is still a visible line under its dot
        let x1 = self
            .x_of_day(end.ordinal() + 1)
            .max(x0 + self.frame.px(3.0));
        Some((x0, x1, self.y_of(m.value)))
    }

    /// Each value's label beside its dot: above it, else below, else higher up, wherever it
    /// overlaps no other label or dot; kept inside the chart.
    fn place_labels(&self, style: &TextStyle) -> Vec<(String, (i32, i32))> {
        let px = |v: f64| self.frame.px(v);
        let (r, th) = (px(5.0), px(17.0));
        let dots: Vec<(i32, i32, i32, i32)> = (0..self.chart.marks.len())
            .filter_map(|i| self.geometry(i))
            .map(|(x0, x1, y)| ((x0 + x1) / 2 - r, y - r, (x0 + x1) / 2 + r, y + r))
            .collect();
        let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
        let mut out = Vec::new();
        for (i, m) in self.chart.marks.iter().enumerate() {
            let mut text = self.frame.value_labels[i].clone();
            if !m.label.is_empty() {
                text = format!("{text} · {}", m.label);
            }
            let Some((x0, x1, y)) = self.geometry(i) else {
                continue;
            };
            let w = measure(&text, style);
            // kept right of the value axis's numbers and inside the chart
            let left = ((x0 + x1) / 2 - w / 2)
                .min(self.width - self.frame.pad - w)
                .max(self.plot_x0);
            let above = y - r - px(3.0) - th;
            let mut tops = vec![above, y + r + px(3.0)];
            tops.extend((1..6).map(|k| above - k * (th + px(2.0))));
            tops.extend((1..6).map(|k| y + r + px(3.0) + k * (th + px(2.0))));
            let fits = |top: i32| {
                let b = (left, top, left + w, top + th);
                let inside = top >= self.frame.header && top + th <= self.plot_bottom;
                let clear =
                    |o: &(i32, i32, i32, i32)| b.2 <= o.0 || o.2 <= b.0 || b.3 <= o.1 || o.3 <= b.1;
                inside && placed.iter().all(clear) && dots.iter().all(clear)
            };
            let top = tops.iter().copied().find(|t| fits(*t)).unwrap_or(above);
            placed.push((left, top, left + w, top + th));
            out.push((text, (left, top)));
        }
        out
    }

    pub fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) {
        let f = &self.frame;
        let px = |v: f64| f.px(v);
        let (label, small) = (label_font(f.s), small_font(f.s));
        f.draw_header(area);
        // Value axis: gridlines and their values, zero included.
        for (v, text) in &self.y_ticks {
            let y = self.y_of(*v);
            let colour = if *v == 0.0 { MUTED } else { GRID };
            let _ = area.draw(&PathElement::new(
                vec![(self.plot_x0, y), (self.plot_x1, y)],
                colour.stroke_width(1),
            ));
            let _ = area.draw_text(
                text,
                &small.pos(Anchor::new(HPos::Right, VPos::Center)),
                (self.plot_x0 - px(6.0), y),
            );
        }
        // Time axis: month or year ticks under the zero line.
        for (day, text) in &self.x_ticks {
            let x = self.x_of_day(*day);
            let _ = area.draw(&PathElement::new(
                vec![(x, self.plot_bottom), (x, self.plot_bottom + px(5.0))],
                MUTED.stroke_width(1),
            ));
            let _ = area.draw_text(
                text,
                &small.pos(Anchor::new(HPos::Center, VPos::Top)),
                (x, self.plot_bottom + px(8.0)),
            );
        }
        for (i, m) in self.chart.marks.iter().enumerate() {
            let Some((x0, x1, y)) = self.geometry(i) else {
                continue;
            };
            let colour = palette::fill(m.colour);
            let _ = area.draw(&Rectangle::new(
                [(x0, y - px(1.5)), (x1, y + px(1.5))],
                colour.filled(),
            ));
            let centre = ((x0 + x1) / 2, y);
            // A qualified value's dot is hollow, beside the words that qualify it.
            let style = if m.qualified {
                colour.stroke_width(px(2.0).max(1) as u32)
            } else {
                colour.filled()
            };
            let _ = area.draw(&Circle::new(centre, px(5.0), style));
        }
        for (text, (x, y)) in &self.labels {
            let _ = area.draw_text(
                text,
                &label.pos(Anchor::new(HPos::Left, VPos::Top)),
                (*x, *y + 1),
            );
        }
        f.draw_footer(area, self.plot_bottom + px(28.0));
    }
}

/// A value axis from zero: a round step (1, 2, 2.5 or 5 times a power of ten) giving at most
/// five intervals, and the axis top at the first step above the largest value.
fn value_ticks(max: f64) -> (f64, Vec<(f64, String)>) {
    let max = if max > 0.0 { max } else { 1.0 };
    let magnitude = 10f64.powf((max / 5.0).log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| (max / s).ceil() <= 5.0)
        .unwrap_or(10.0 * magnitude);
    let n = (max / step).ceil().max(1.0) as u32;
    let ticks = (0..=n)
        .map(|k| {
            let v = f64::from(k) * step;
            let text = if step < 1.0 {
                format!("{v:.1}")
            } else if step.fract() != 0.0 && v < 1e4 {
                format!("{v:.1}").trim_end_matches(".0").to_string()
            } else {
                format::abbreviated(v)
            };
            (v, text)
        })
        .collect();
    (f64::from(n) * step, ticks)
}

/// Axis ticks on month starts, every 1, 2, 3, 6, 12 or 24 months: the smallest step that
/// leaves room for every label.
fn ticks(from: Date, to: Date, room: usize) -> Vec<(i64, String)> {
    let mut firsts = Vec::new();
    let (mut year, mut month) = (from.year, from.month);
    loop {
        let first = Date {
            year,
            month,
            day: 1,
        };
        if first > to {
            break;
        }
        if first >= from {
            firsts.push(first);
        }
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    for step in [1, 2, 3, 6, 12, 24] {
        let picked: Vec<&Date> = firsts
            .iter()
            .filter(|d| (d.year * 12 + i32::from(d.month) - 1) % step == 0)
            .collect();
        if picked.len() <= room {
            return picked
                .into_iter()
                .map(|d| {
                    let text = if step >= 12 {
                        d.year.to_string()
                    } else {
                        format!("{} {}", &MONTHS[d.month as usize - 1][..3], d.year)
                    };
                    (d.ordinal(), text)
                })
                .collect();
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_axes_are_round_and_start_at_zero() {
        let (top, ticks) = value_ticks(2883.0);
        assert_eq!(top, 3000.0);
        let texts: Vec<&str> = ticks.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(texts, ["0", "1,000", "2,000", "3,000"]);
        assert_eq!(value_ticks(846.0).0, 1000.0);
        assert_eq!(value_ticks(51.0).0, 60.0);
        let (top, ticks) = value_ticks(2.2);
        assert_eq!(top, 2.5);
        assert_eq!(ticks[1].1, "0.5");
        assert_eq!(value_ticks(217_693.0).1.last().unwrap().1, "250 mil");
    }
}
