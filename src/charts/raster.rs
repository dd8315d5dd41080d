//! Text for PNGs, drawn from cached glyph coverage, over any bitmap backend.
//!
//! plotters rasterises every glyph's outline each time it draws a character, and text is most of
//! a chart (measured with perf: a third of a PNG's time). Here each glyph is rasterised once per
//! thread and size, then blended; the placement is plotters' own (whole-pixel glyph positions,
//! advances and kerning summed in `f32`), so the images look the same.

use std::cell::RefCell;

use ab_glyph::{Font, FontRef, GlyphId, ScaleFont};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform,
};

use super::bars::{fonts, FastMap};

/// A glyph's drawn pixels, relative to where plotters places it: (x, y, coverage).
type Coverage = Vec<(i32, i32, f32)>;

thread_local! {
    static GLYPHS: RefCell<FastMap<(u64, bool, char), Coverage>> = RefCell::new(FastMap::default());
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
        let bold = super::is_bold(style.style(), style.family());
        let size = style.size();
        let Some(fonts) = fonts() else {
            return Ok(());
        };
        let font = fonts[usize::from(bold)].as_scaled(size as f32);
        // The layout box plotters computes (`estimate_layout`): the advance width and size/1.24.
        let width = || super::bars::measure_with(text, size, bold);
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
                let coverage = glyphs
                    .entry((size.to_bits(), bold, c))
                    .or_insert_with(|| rasterise(&fonts[usize::from(bold)], size, c));
                let at = (pos.0 + x_shift as i32 + dx, pos.1 + dy);
                self.0.draw_glyph(at, coverage, color)?;
                x_shift += font.h_advance(id);
            }
            Ok(())
        })
    }
}

const LEVELS: f32 = 16.0;

/// Rasterise one glyph as plotters' ab_glyph backend does, keeping only covered pixels.
fn rasterise(font: &FontRef<'static>, size: f64, c: char) -> Coverage {
    let font = font.as_scaled(size as f32);
    let mut out = Vec::new();
    if let Some(q) = font.outline_glyph(font.scaled_glyph(c)) {
        let rect = q.px_bounds();
        let y_shift = ((size as f32) / 2.0 + rect.min.y) as i32;
        q.draw(|x, y, a| {
            // Coverage in 1/16 steps: too fine a difference to see at the PNGs' 2× scale, and
            // it keeps a chart within 256 colours, so it is stored as a palette image (a third
            // of the bytes to compress and write).
            let a = (a.clamp(0.0, 1.0) * LEVELS).round() / LEVELS;
            if a > 0.0 {
                out.push((x as i32, y as i32 + y_shift, a));
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::style::text_anchor::Pos;

    fn draw(cached: bool, anchor: Pos) -> Vec<u8> {
        super::super::register_fonts();
        let (w, h) = (400u32, 60u32);
        let mut pixels = vec![255u8; (w * h * 3) as usize];
        {
            let style = TextStyle::from((super::super::FONT, 34.8).into_font())
                .color(&super::super::TEXT)
                .pos(anchor);
            let text = "Consultas de especialidad: 6,552,794 (ñ, «»)";
            if cached {
                let root =
                    CachedText(BitMapBackend::with_buffer(&mut pixels, (w, h))).into_drawing_area();
                root.draw_text(text, &style, (200, 30)).unwrap();
                root.present().unwrap();
            } else {
                let root = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
                root.draw_text(text, &style, (200, 30)).unwrap();
                root.present().unwrap();
            }
        }
        pixels
    }

    /// Cached glyphs give plotters' own pixels, whatever the anchor, but for coverage rounded to
    /// 1/16: no channel is off by more than half a step (255 / 32, plus rounding).
    #[test]
    fn same_pixels_as_plotters_within_coverage_steps() {
        for anchor in [
            Pos::new(HPos::Left, VPos::Top),
            Pos::new(HPos::Right, VPos::Center),
            Pos::new(HPos::Center, VPos::Bottom),
        ] {
            let ours = draw(true, anchor);
            let theirs = draw(false, anchor);
            assert!(ours.iter().any(|&b| b < 128), "some text was drawn");
            let worst = ours.iter().zip(&theirs).map(|(a, b)| a.abs_diff(*b)).max();
            assert!(worst <= Some(9), "pixels differ by {worst:?}");
            assert!(ours != theirs, "coverage is rounded");
            // Few shades: the text's colour over white in 17 steps at most.
            let shades: std::collections::BTreeSet<&[u8]> = ours.chunks_exact(3).collect();
            assert!(shades.len() <= 17, "{} shades", shades.len());
        }
    }
}
