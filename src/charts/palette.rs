//! The colours charts are drawn in. An indicator has one colour site-wide (`Metric::colour`);
//! text and axes are neutral. A leaf module.

use plotters::style::RGBColor;

use crate::model::Colour;

pub const TEXT: RGBColor = RGBColor(0x1f, 0x23, 0x28);
pub const MUTED: RGBColor = RGBColor(0x4a, 0x51, 0x5a);
/// Gridlines and guides: light enough to stay behind the marks.
pub const GRID: RGBColor = RGBColor(0xd0, 0xd7, 0xde);
/// The accent stripe of social cards and their big numbers.
pub const ACCENT: RGBColor = RGBColor(0x00, 0x72, 0xb2);

/// The fill of an indicator's marks.
pub fn fill(c: Colour) -> RGBColor {
    match c {
        Colour::Blue => RGBColor(0x00, 0x72, 0xb2),
        Colour::SkyBlue => RGBColor(0x56, 0xb4, 0xe9),
        Colour::Vermillion => RGBColor(0xd5, 0x5e, 0x00),
        Colour::BluishGreen => RGBColor(0x00, 0x9e, 0x73),
        Colour::ReddishPurple => RGBColor(0xcc, 0x79, 0xa7),
        Colour::Orange => RGBColor(0xe6, 0x9f, 0x00),
        Colour::Yellow => RGBColor(0xf0, 0xe4, 0x42),
        Colour::Grey => RGBColor(0x6e, 0x77, 0x81),
    }
}

/// Fills lighter than 3:1 against white (WCAG's contrast for graphics) get a dark outline, so the
/// mark's extent is visible to everyone.
pub fn outline(c: Colour) -> Option<RGBColor> {
    (contrast_with_white(fill(c)) < 3.0).then_some(MUTED)
}

/// A qualified value ("más de", "alrededor de") is drawn in a light tint of its colour with a
/// solid outline, beside the words that qualify it.
pub fn tint(c: Colour) -> RGBColor {
    let RGBColor(r, g, b) = fill(c);
    let light = |v: u8| ((u16::from(v) + 2 * 255) / 3) as u8;
    RGBColor(light(r), light(g), light(b))
}

fn contrast_with_white(RGBColor(r, g, b): RGBColor) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let l = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    1.05 / (l + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn light_fills_and_only_they_are_outlined() {
        assert!(outline(Colour::Blue).is_none());
        assert!(outline(Colour::Vermillion).is_none());
        assert!(outline(Colour::SkyBlue).is_some());
        assert!(outline(Colour::Orange).is_some());
        assert!(outline(Colour::Yellow).is_some());
        // text colours are far above 4.5:1
        assert!(contrast_with_white(TEXT) > 12.0 && contrast_with_white(MUTED) > 7.0);
    }
}
