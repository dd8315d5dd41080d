//! Fonts and text measuring for every drawing: the bundled DejaVu Sans (no system fonts, no
//! fontconfig), so a layout is identical on every machine. A leaf module: layouts, the raster
//! text and the cards all measure here.

use std::sync::Once;

use plotters::prelude::*;

use super::palette::{MUTED, TEXT};

/// The CSS font list written into the SVG. It doubles as the key under which the bundled font is
/// registered, so text is measured with DejaVu Sans and browsers fall back to look-alikes.
pub const FONT: &str = "DejaVu Sans, Verdana, sans-serif";
/// The bold face under its own name, for raster cards. (plotters' own bitmap text drew a
/// family's regular face whatever the style asked; `raster::CachedText` honours the style, so
/// bold text is bold in PNGs too.)
pub const FONT_BOLD_FAMILY: &str = "DejaVu Sans Bold";

pub static FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
pub static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Whether text is drawn in the bold face: by its style (charts) or by the bold face's own name
/// (cards). Measuring and drawing both ask this, so they always agree.
pub fn is_bold(style: FontStyle, family: FontFamily) -> bool {
    matches!(style, FontStyle::Bold)
        || matches!(family, FontFamily::Name(n) if n == FONT_BOLD_FAMILY)
}

pub fn register_fonts() {
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

// plotters writes font-size = size / 1.24 into an SVG; at scale 1 these give 14, 13 and 17 px.
pub fn label_font(s: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, 17.4 * s).into_font()).color(&TEXT)
}
pub fn bold_label_font(s: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, 17.4 * s).into_font().style(FontStyle::Bold)).color(&TEXT)
}
pub fn title_font(s: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, 21.0 * s).into_font().style(FontStyle::Bold)).color(&TEXT)
}
pub fn small_font(s: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, 16.0 * s).into_font()).color(&MUTED)
}

/// Text width in pixels, as plotters' ab_glyph backend computes it (advances plus kerning,
/// summed in `f32`), so layouts stay identical; but with each character's advance and each
/// pair's kerning looked up once per thread, not re-parsed from the font on every call (this
/// was the largest single cost of drawing SVG charts).
pub fn measure(text: &str, style: &TextStyle) -> i32 {
    let bold = is_bold(style.font.get_style(), style.font.get_family());
    measure_with(text, style.font.get_size(), bold)
}

/// The bundled regular and bold faces, parsed once.
pub fn fonts() -> Option<&'static [ab_glyph::FontRef<'static>; 2]> {
    use ab_glyph::FontRef;
    static FONTS: std::sync::OnceLock<Option<[FontRef<'static>; 2]>> = std::sync::OnceLock::new();
    FONTS
        .get_or_init(|| {
            Some([
                FontRef::try_from_slice(FONT_REGULAR).ok()?,
                FontRef::try_from_slice(FONT_BOLD).ok()?,
            ])
        })
        .as_ref()
}

pub fn measure_with(text: &str, size: f64, bold: bool) -> i32 {
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
pub type FastMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// Greedy word wrap to `max` pixels as measured by `width`.
pub fn wrap(text: &str, max: i32, width: impl Fn(&str) -> i32) -> Vec<String> {
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

    #[test]
    fn wraps_long_labels() {
        let lines = wrap("uno dos tres cuatro", 30, |t| t.len() as i32 * 4);
        assert_eq!(lines, ["uno dos", "tres", "cuatro"]);
    }

    #[test]
    fn bold_is_wider_than_regular() {
        let regular = measure_with("Cirugías", 17.4, false);
        assert!(regular > 40 && measure_with("Cirugías", 17.4, true) > regular);
    }
}
