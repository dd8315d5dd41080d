//! Layout and drawing of the two chart kinds, on any plotters backend (SVG for pages, bitmap
//! for PNG downloads and social cards). Text is measured with the bundled font, so the layout is
//! the same everywhere.
//!
//! - **Bars**: one horizontal bar per value, the value written at the bar's end.
//! - **Timeline**: one row per observation, drawn over its real period on a shared time axis,
//!   with the value in a column on the right, so periods of different lengths are never shown
//!   as if they were comparable.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos as Anchor, VPos};

use super::{wrap, BarChart, Kind, BAR, BAR_ALT, FONT, MUTED, TEXT};
use crate::model::date::MONTHS;
use crate::model::Date;

/// Sizes for one rendering.
pub struct Style {
    pub width: i32,
    /// Multiplies every size: 1.0 for a page chart, 2.0 for a PNG download.
    pub scale: f64,
    /// Whether to print the chart's own title and subtitle (a card prints its own heading).
    pub heading: bool,
    /// Phone layout: labels above their bars instead of in a column beside them.
    pub narrow: bool,
}

/// Everything measured, ready to draw.
pub struct Layout<'a> {
    chart: &'a BarChart,
    s: f64,
    narrow: bool,
    pad: i32,
    line: i32,
    title_lines: Vec<String>,
    subtitle_lines: Vec<String>,
    labels: Vec<Vec<String>>,
    value_labels: Vec<String>,
    foot_lines: Vec<String>,
    rows: Vec<i32>,
    header: i32,
    /// Where bars (or the time axis) start and end.
    plot_x0: i32,
    plot_x1: i32,
    /// Bars: pixels per unit of value.
    px_per_unit: f64,
    /// Timeline: the first and last day on the axis, and the axis ticks.
    days: Option<(i64, i64)>,
    ticks: Vec<(i64, String)>,
    axis_h: i32,
    width: i32,
    pub height: i32,
}

impl super::canvas::Picture for Layout<'_> {
    fn size(&self) -> (u32, u32) {
        (self.width as u32, self.height as u32)
    }
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) {
        Layout::draw(self, area)
    }
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

/// Text width in pixels, as plotters' ab_glyph backend computes it (advances plus kerning,
/// summed in `f32`), so layouts stay identical; but with each character's advance and each
/// pair's kerning looked up once per thread, not re-parsed from the font on every call (this
/// was the largest single cost of drawing SVG charts).
pub fn measure(text: &str, style: &TextStyle) -> i32 {
    let bold = super::is_bold(style.font.get_style(), style.font.get_family());
    measure_with(text, style.font.get_size(), bold)
}

/// The bundled regular and bold faces, parsed once.
pub(super) fn fonts() -> Option<&'static [ab_glyph::FontRef<'static>; 2]> {
    use ab_glyph::FontRef;
    static FONTS: std::sync::OnceLock<Option<[FontRef<'static>; 2]>> = std::sync::OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some([
                FontRef::try_from_slice(super::FONT_REGULAR).ok()?,
                FontRef::try_from_slice(super::FONT_BOLD).ok()?,
            ])
        })
        .as_ref()
}

pub(super) fn measure_with(text: &str, size: f64, bold: bool) -> i32 {
    use ab_glyph::{Font, GlyphId, ScaleFont};
    use std::cell::RefCell;
    type Cache = FastMap<(u64, bool), (FastMap<char, (GlyphId, f32)>, FastMap<(u16, u16), f32>)>;
    thread_local! {
        static CACHE: RefCell<Cache> = RefCell::new(FastMap::default());
    }
    let Some(fonts) = fonts() else {
        return (text.chars().count() as f64 * size * 0.6) as i32;
    };
    let font = fonts[usize::from(bold)].as_scaled(size as f32);
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let (advances, kerns) = cache.entry((size.to_bits(), bold)).or_default();
        let mut x = 0f32;
        let mut prev: Option<GlyphId> = None;
        for c in text.chars() {
            let (glyph, advance) = *advances.entry(c).or_insert_with(|| {
                let g = font.glyph_id(c);
                (g, font.h_advance(g))
            });
            x += advance;
            if let Some(p) = prev {
                x += *kerns
                    .entry((p.0, glyph.0))
                    .or_insert_with(|| font.kern(p, glyph));
            }
            prev = Some(glyph);
        }
        x as i32
    })
}

/// A hash map for small integer keys looked up per character: the default SipHash was a
/// tenth of drawing a PNG (measured with perf).
pub(super) type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

impl<'a> Layout<'a> {
    pub fn new(chart: &'a BarChart, style: &Style) -> Layout<'a> {
        let s = style.scale;
        let px = |v: f64| (v * s).round() as i32;
        let (pad, line) = (px(16.0), px(17.0));
        let width = style.width;
        let (label, title, small) = (label_font(s), title_font(s), small_font(s));
        let max_label = if style.narrow {
            width - 2 * pad
        } else {
            (width as f64 * 0.36) as i32
        };
        let labels: Vec<Vec<String>> = chart
            .bars
            .iter()
            .map(|b| wrap(&b.label, max_label, |t| measure(t, &label)))
            .collect();
        let label_w = if style.narrow {
            0
        } else {
            labels
                .iter()
                .flatten()
                .map(|l| measure(l, &label))
                .max()
                .unwrap_or(0)
                .min(max_label)
        };
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
        let bar_h = px(18.0);
        let rows: Vec<i32> = labels
            .iter()
            .map(|l| {
                if style.narrow {
                    l.len() as i32 * line + bar_h + px(12.0)
                } else {
                    (l.len() as i32 * line + px(12.0)).max(px(32.0))
                }
            })
            .collect();
        let body: i32 = rows.iter().sum();
        let plot_x0 = if style.narrow {
            pad
        } else {
            pad + label_w + px(10.0)
        };
        let widest_value = value_labels
            .iter()
            .map(|l| measure(l, &label))
            .max()
            .unwrap_or(0);

        let (plot_x1, px_per_unit, days, ticks, axis_h) = match chart.kind {
            Kind::Bars => {
                // Scale so every bar plus its value label fits: the longest bar is not always
                // the one with the longest label (a conflict marker adds text).
                let avail = (width - pad - plot_x0) as f64;
                let px_per_unit = chart
                    .bars
                    .iter()
                    .zip(&value_labels)
                    .filter(|(b, _)| b.value > 0.0)
                    .map(|(b, l)| {
                        (avail - measure(l, &label) as f64 - 8.0 * s).max(40.0 * s) / b.value
                    })
                    .fold(f64::INFINITY, f64::min);
                (width - pad, px_per_unit, None, Vec::new(), 0)
            }
            Kind::Timeline { from, to } => {
                let plot_x1 = width - pad - widest_value - px(10.0);
                let (first, last) = (from.ordinal(), to.ordinal() + 1);
                // one tick label needs about 75 px at scale 1
                let room = ((plot_x1 - plot_x0) / px(75.0)).max(2) as usize;
                (
                    plot_x1,
                    0.0,
                    Some((first, last)),
                    ticks(from, to, room),
                    px(26.0),
                )
            }
        };
        let height = header + body + axis_h + px(12.0) + foot_lines.len() as i32 * px(18.0) + pad;
        Layout {
            chart,
            s,
            narrow: style.narrow,
            pad,
            line,
            title_lines,
            subtitle_lines,
            labels,
            value_labels,
            foot_lines,
            rows,
            header,
            plot_x0,
            plot_x1,
            px_per_unit,
            days,
            ticks,
            axis_h,
            width,
            height,
        }
    }

    fn x_of_day(&self, day: i64) -> i32 {
        let (first, last) = self.days.unwrap_or((0, 1));
        let span = (last - first).max(1) as f64;
        self.plot_x0
            + (((day - first) as f64 / span) * (self.plot_x1 - self.plot_x0) as f64).round() as i32
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
            let lines = &self.labels[i];
            // Narrow: the label on its own lines, the bar under it. Wide: side by side.
            let (mid, text_top, anchor, text_x) = if self.narrow {
                let mid = y + lines.len() as i32 * self.line + half_bar + px(2.0);
                (mid, y + px(2.0), HPos::Left, self.pad)
            } else {
                let mid = y + row / 2;
                let top = mid - (lines.len() as i32 * self.line) / 2;
                (mid, top, HPos::Right, self.plot_x0 - px(10.0))
            };
            for (k, l) in lines.iter().enumerate() {
                let _ = area.draw_text(
                    l,
                    &label.pos(Anchor::new(anchor, VPos::Top)),
                    (text_x, text_top + k as i32 * self.line + 1),
                );
            }
            let color = if bar.footnote.is_some() { BAR_ALT } else { BAR };
            let (x0, x1, value_x) = match (self.days, bar.span) {
                (Some(_), Some((start, end))) => {
                    let x0 = self.x_of_day(start.ordinal());
                    // at least 3 px, so a one-day jornada is still a visible mark
                    let x1 = self.x_of_day(end.ordinal() + 1).max(x0 + px(3.0));
                    (x0, x1, self.plot_x1 + px(10.0))
                }
                (Some(_), None) => (self.plot_x0, self.plot_x0, self.plot_x1 + px(10.0)),
                (None, _) => {
                    let len = if self.px_per_unit.is_finite() {
                        (bar.value * self.px_per_unit).round() as i32
                    } else {
                        0
                    };
                    // A sliver for any non-zero value, so no bar vanishes.
                    let len = if bar.value > 0.0 { len.max(2) } else { 0 };
                    (
                        self.plot_x0,
                        self.plot_x0 + len,
                        self.plot_x0 + len + px(6.0),
                    )
                }
            };
            if x1 > x0 {
                let _ = area.draw(&Rectangle::new(
                    [(x0, mid - half_bar), (x1, mid + half_bar)],
                    color.filled(),
                ));
            }
            let _ = area.draw_text(
                &self.value_labels[i],
                &label.pos(Anchor::new(HPos::Left, VPos::Center)),
                (value_x, mid),
            );
            y += row;
        }
        if self.days.is_some() {
            // Time axis: a baseline, month or year ticks, light guides up through the rows.
            let _ = area.draw(&PathElement::new(
                vec![(self.plot_x0, y + px(2.0)), (self.plot_x1, y + px(2.0))],
                MUTED.stroke_width(1),
            ));
            for (day, text) in &self.ticks {
                let x = self.x_of_day(*day);
                let _ = area.draw(&PathElement::new(
                    vec![(x, self.header - px(4.0)), (x, y + px(6.0))],
                    RGBColor(0xd0, 0xd7, 0xde).stroke_width(1),
                ));
                let _ = area.draw_text(
                    text,
                    &small.pos(Anchor::new(HPos::Center, VPos::Top)),
                    (x, y + px(8.0)),
                );
            }
            y += self.axis_h;
        } else {
            let _ = area.draw(&PathElement::new(
                vec![
                    (self.plot_x0, self.header - px(4.0)),
                    (self.plot_x0, y + px(4.0)),
                ],
                MUTED.stroke_width(1),
            ));
        }
        y += px(12.0);
        for l in &self.foot_lines {
            let _ = area.draw_text(l, &top_left(&small), (self.pad, y));
            y += px(18.0);
        }
    }
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
