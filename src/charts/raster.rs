//! Text for PNGs, drawn from cached glyph coverage, over any bitmap backend.
//!
//! plotters rasterises every glyph's outline each time it draws a character, and text is most of
//! a chart (measured with perf: a third of a PNG's time). Here each glyph is rasterised once per
//! thread, size and sixteenth of a pixel, then blended. The pen advances as in plotters
//! (advances and kerning summed in `f32`), but each glyph is placed where the font puts it:
//! plotters drops the glyph's left bearing and its fraction of a pixel, which opened gaps inside
//! words ("Trasplan tes") and closed others.

use std::cell::RefCell;

use ab_glyph::{Font, FontRef, GlyphId, ScaleFont};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};

use super::text::{fonts, FastMap};

/// A glyph's drawn pixels, relative to where plotters places it: (x, y, coverage).
type Coverage = Vec<(i32, i32, f32)>;

thread_local! {
    static GLYPHS: RefCell<FastMap<(u64, bool, char, u8), Coverage>> = RefCell::new(FastMap::default());
}

pub struct CachedText<B>(pub B);

type Error<B> = DrawingErrorKind<<B as DrawingBackend>::ErrorType>;

/// A backend cached glyphs are drawn on: pixel by pixel (plotters' bitmap backend), or in one
/// call per glyph (`Canvas`, which then looks its colour up once, not once per pixel).
pub trait GlyphTarget: DrawingBackend {
    /// Draw `coverage` with its origin at `at`, in `colour` scaled by each pixel's coverage.
    fn draw_glyph(
        &mut self,
        at: BackendCoord,
        coverage: &[(i32, i32, f32)],
        colour: BackendColor,
    ) -> Result<(), Error<Self>> {
        let (w, h) = self.get_size();
        for &(x, y, a) in coverage {
            let (x, y) = (at.0 + x, at.1 + y);
            if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                self.draw_pixel((x, y), colour.mix(f64::from(a)))?;
            }
        }
        Ok(())
    }
}

impl GlyphTarget for BitMapBackend<'_> {}

impl<B: GlyphTarget> DrawingBackend for CachedText<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), Error<B>> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), Error<B>> {
        self.0.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), Error<B>> {
        self.0.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Error<B>> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Error<B>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        (iw, ih): (u32, u32),
        src: &[u8],
    ) -> Result<(), Error<B>> {
        self.0.blit_bitmap(pos, (iw, ih), src)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), Error<B>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        // Charts never rotate text; keep the code to the case that is used.
        debug_assert!(matches!(style.transform(), FontTransform::None));
        let bold = super::text::is_bold(style.style(), style.family());
        let size = style.size();
        let Some(fonts) = fonts() else {
            return Ok(());
        };
        let font = fonts[usize::from(bold)].as_scaled(size as f32);
        // The layout box plotters computes (`estimate_layout`): the advance width and size/1.24.
        let width = || super::text::measure_with(text, size, bold);
        let height = (size / 1.24) as i32;
        let dx = match style.anchor().h_pos {
            HPos::Left => 0, // most text: no need to measure it
            HPos::Right => -width(),
            HPos::Center => -width() / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        GLYPHS.with(|glyphs| {
            let mut glyphs = glyphs.borrow_mut();
            let mut x_shift = 0f32;
            let mut prev: Option<GlyphId> = None;
            for c in text.chars() {
                let id = font.glyph_id(c);
                if let Some(p) = prev {
                    x_shift += font.kern(p, id);
                }
                prev = Some(id);
                // The pen position in whole pixels and sixteenths.
                let steps = (x_shift * STEPS).round();
                let whole = (steps / STEPS).floor();
                let step = (steps - whole * STEPS) as u8;
                let coverage = glyphs
                    .entry((size.to_bits(), bold, c, step))
                    .or_insert_with(|| rasterise(&fonts[usize::from(bold)], size, c, step));
                let at = (pos.0 + whole as i32 + dx, pos.1 + dy);
                self.0.draw_glyph(at, coverage, color)?;
                x_shift += font.h_advance(id);
            }
            Ok(())
        })
    }
}

const LEVELS: f32 = 16.0;
/// Glyph positions are kept to a sixteenth of a pixel.
const STEPS: f32 = 16.0;

/// Rasterise one glyph with its pen `step` sixteenths of a pixel right of a whole pixel,
/// keeping only covered pixels, relative to the whole pixel. The vertical placement is
/// plotters' (the glyph box's top at half the size above the baseline).
fn rasterise(font: &FontRef<'static>, size: f64, c: char, step: u8) -> Coverage {
    let font = font.as_scaled(size as f32);
    let mut out = Vec::new();
    let mut glyph = font.scaled_glyph(c);
    glyph.position = ab_glyph::point(f32::from(step) / STEPS, 0.0);
    if let Some(q) = font.outline_glyph(glyph) {
        let rect = q.px_bounds();
        let y_shift = ((size as f32) / 2.0 + rect.min.y) as i32;
        let x_shift = rect.min.x as i32; // the left bearing, which plotters drops
        q.draw(|x, y, a| {
            // Coverage in 1/16 steps: too fine a difference to see at the PNGs' 2× scale, and
            // it keeps a chart within 256 colours, so it is stored as a palette image (a third
            // of the bytes to compress and write).
            let a = (a.clamp(0.0, 1.0) * LEVELS).round() / LEVELS;
            if a > 0.0 {
                out.push((x as i32 + x_shift, y as i32 + y_shift, a));
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::style::text_anchor::Pos;

    const TEXT: &str = "Trasplantes de córnea: 6,552,794 (ñ, «»)";
    const SIZE: f64 = 26.0;
    const AT: (i32, i32) = (200, 30);

    fn canvas(draw: impl FnOnce(BitMapBackend)) -> Vec<u8> {
        super::super::text::register_fonts();
        let (w, h) = (420u32, 60u32);
        let mut pixels = vec![255u8; (w * h * 3) as usize];
        draw(BitMapBackend::with_buffer(&mut pixels, (w, h)));
        pixels
    }

    fn style(anchor: Pos) -> TextStyle<'static> {
        TextStyle::from((super::super::text::FONT, SIZE).into_font())
            .color(&super::super::palette::TEXT)
            .pos(anchor)
    }

    /// The text as the font lays it out: every glyph at its exact pen position (advances and
    /// kerning as plotters sums them), its bearing included, its coverage not rounded.
    fn exact(anchor: Pos) -> Vec<u8> {
        canvas(|mut backend| {
            let font = fonts().unwrap()[0].as_scaled(SIZE as f32);
            let width = super::super::text::measure_with(TEXT, SIZE, false);
            let height = (SIZE / 1.24) as i32;
            let dx = match anchor.h_pos {
                HPos::Left => 0,
                HPos::Right => -width,
                HPos::Center => -width / 2,
            };
            let dy = match anchor.v_pos {
                VPos::Top => 0,
                VPos::Center => -height / 2,
                VPos::Bottom => -height,
            };
            let (mut pen, mut prev) = (0f32, None);
            for c in TEXT.chars() {
                let id = font.glyph_id(c);
                if let Some(p) = prev {
                    pen += font.kern(p, id);
                }
                prev = Some(id);
                let mut glyph = font.scaled_glyph(c);
                glyph.position = ab_glyph::point(pen, 0.0);
                if let Some(q) = font.outline_glyph(glyph) {
                    let r = q.px_bounds();
                    let (x0, y0) = (r.min.x as i32, (SIZE as f32 / 2.0 + r.min.y) as i32);
                    q.draw(|x, y, a| {
                        let at = (AT.0 + dx + x0 + x as i32, AT.1 + dy + y0 + y as i32);
                        let ink = BackendColor {
                            alpha: f64::from(a.clamp(0.0, 1.0)),
                            rgb: (0x1f, 0x23, 0x28),
                        };
                        backend.draw_pixel(at, ink).unwrap();
                    });
                }
                pen += font.h_advance(id);
            }
        })
    }

    /// Cached glyphs are where the font puts them, whatever the anchor: within a sixteenth of a
    /// pixel and a sixteenth of coverage of the exact rendering. plotters' own text is not (it
    /// drops each glyph's bearing and fraction of a pixel), which the last assertion shows.
    #[test]
    fn glyphs_are_placed_as_the_font_lays_them_out() {
        for anchor in [
            Pos::new(HPos::Left, VPos::Top),
            Pos::new(HPos::Right, VPos::Center),
            Pos::new(HPos::Center, VPos::Bottom),
        ] {
            let ours = canvas(|b| {
                let mut cached = CachedText(b);
                cached.draw_text(TEXT, &style(anchor), AT).unwrap();
            });
            let exact = exact(anchor);
            let worst = |a: &[u8], b: &[u8]| a.iter().zip(b).map(|(x, y)| x.abs_diff(*y)).max();
            assert!(ours.iter().any(|&b| b < 128), "some text was drawn");
            let off = worst(&ours, &exact);
            assert!(off <= Some(24), "pixels differ by {off:?}");
            // Few shades: the text's colour over white in 17 steps at most.
            let shades: std::collections::BTreeSet<&[u8]> = ours.chunks_exact(3).collect();
            assert!(shades.len() <= 17, "{} shades", shades.len());
            let plotters = canvas(|mut b| b.draw_text(TEXT, &style(anchor), AT).unwrap());
            let off = worst(&plotters, &exact);
            assert!(
                off > Some(100),
                "plotters' own text differs by {off:?} only"
            );
        }
    }
}
