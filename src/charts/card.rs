//! Social cards: 1200×630 PNG images for Open Graph and Twitter, showing a page's title and its
//! headline chart (or headline numbers), drawn on the palette canvas (`canvas.rs`) with the
//! bundled font, so they are identical on every machine.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos as Anchor, VPos};

use super::canvas::Picture;
use super::palette::{ACCENT, MUTED, TEXT};
use super::text::{measure, wrap, FONT, FONT_BOLD_FAMILY};
use super::{Chart, Layout, Style};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;
const LEFT: i32 = 56;

/// What a card shows under its title.
#[derive(Debug, Clone)]
pub enum Body {
    Chart(Chart),
    /// Up to three big numbers with their labels, for pages without a chart.
    Numbers(Vec<(String, String)>),
}

#[derive(Debug, Clone)]
pub struct Card {
    /// Small line at the top: the site's name.
    pub site: String,
    /// "Boletín · 30 de marzo de 2022", "Indicador".
    pub kicker: String,
    pub title: String,
    pub body: Body,
}

impl Card {
    /// A hash of everything drawn (see `BarChart::fingerprint`).
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&self.site, &self.kicker, &self.title).hash(&mut h);
        match &self.body {
            Body::Chart(c) => (0u8, c.fingerprint()).hash(&mut h),
            Body::Numbers(n) => (1u8, n).hash(&mut h),
        }
        h.finish()
    }
}

/// Render the card as PNG bytes.
pub fn png(card: &Card) -> Result<Vec<u8>, String> {
    super::canvas::png(card)
}

impl Picture for Card {
    fn size(&self) -> (u32, u32) {
        (WIDTH, HEIGHT)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) {
        let _ = root.draw(&Rectangle::new(
            [(0, 0), (16, HEIGHT as i32)],
            ACCENT.filled(),
        ));
        let small = TextStyle::from((FONT, 26).into_font()).color(&MUTED);
        let big = TextStyle::from((FONT_BOLD_FAMILY, 44).into_font()).color(&TEXT);
        let top_left = |s: &TextStyle<'static>| s.pos(Anchor::new(HPos::Left, VPos::Top));
        let _ = root.draw_text(&self.site, &top_left(&small), (LEFT, 36));
        let _ = root.draw_text(&self.kicker, &top_left(&small), (LEFT, 72));
        let width = WIDTH as i32 - LEFT - 48;
        let mut lines = wrap(&self.title, width, |t| measure(t, &big));
        if lines.len() > 2 {
            lines.truncate(2);
            lines[1] = ellipsize(&format!("{} …", lines[1]), width, &big);
        }
        let mut y = 120;
        for l in &lines {
            let _ = root.draw_text(l, &top_left(&big), (LEFT, y));
            y += 54;
        }
        y += 10;
        let area = root
            .clone()
            .shrink((LEFT - 16, y), (WIDTH - LEFT as u32, HEIGHT - y as u32));
        match &self.body {
            Body::Chart(chart) => {
                let line = ellipsize(&chart.title, width, &small);
                let _ = root.draw_text(&line, &top_left(&small), (LEFT, y));
                let y = y + 34;
                let area = root
                    .clone()
                    .shrink((LEFT - 16, y), (WIDTH - LEFT as u32, HEIGHT - y as u32));
                draw_fitting(&area, chart, HEIGHT as i32 - y)
            }
            Body::Numbers(numbers) => {
                let col = (WIDTH as i32 - LEFT) / 3;
                for (k, (v, label)) in numbers.iter().take(3).enumerate() {
                    let x = 16 + k as i32 * col;
                    // The largest size at which the number fits its column ("más de 52,000,000"
                    // does not at 64 px): a number is never cut.
                    let value = [64, 56, 48, 40, 34, 28]
                        .iter()
                        .map(|size| {
                            TextStyle::from((FONT_BOLD_FAMILY, *size).into_font()).color(&ACCENT)
                        })
                        .find(|style| measure(v, style) <= col - 24)
                        .unwrap_or_else(|| {
                            TextStyle::from((FONT_BOLD_FAMILY, 24).into_font()).color(&ACCENT)
                        });
                    let _ = area.draw_text(v, &top_left(&value), (x, 40));
                    for (j, l) in wrap(label, col - 24, |t| measure(t, &small))
                        .iter()
                        .take(3)
                        .enumerate()
                    {
                        let _ = area.draw_text(l, &top_left(&small), (x, 124 + j as i32 * 32));
                    }
                }
            }
        }
    }
}

/// Shrink the text, then drop bars from the end, until the chart fits under the title. Dropped
/// bars are said in the source line: a card never silently shows less than the page.
fn draw_fitting<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, chart: &Chart, space: i32) {
    let total = chart.marks.len();
    let mut chart = chart.clone();
    let source = chart.source.clone();
    loop {
        for scale in [1.5, 1.25, 1.0] {
            let style = Style {
                width: WIDTH as i32 - LEFT,
                scale,
                heading: false,
                narrow: false,
            };
            let layout = Layout::new(&chart, &style);
            if layout.height() <= space || (scale == 1.0 && chart.marks.len() <= 1) {
                layout.draw(area);
                return;
            }
        }
        chart.marks.pop();
        chart.source = format!(
            "Se muestran {} de {total} cifras; todas están en el sitio. {source}",
            chart.marks.len()
        );
    }
}

fn ellipsize(line: &str, width: i32, style: &TextStyle) -> String {
    if measure(line, style) <= width {
        return line.to_string();
    }
    let mut chars: Vec<char> = line.chars().collect();
    while !chars.is_empty()
        && measure(&format!("{}…", chars.iter().collect::<String>()), style) > width
    {
        chars.pop();
    }
    format!("{}…", chars.iter().collect::<String>().trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::canvas::tests::decode;

    /// A long title in the bold face wraps inside the card: nothing is drawn in the right
    /// margin. (The title was once measured in the regular face and ran off the edge, losing
    /// words.)
    #[test]
    fn long_titles_wrap_inside_the_card() {
        let title = "Corpus sintético para medir el rendimiento de cifras; no son datos reales.";
        let card = png(&Card {
            site: "Cifras".into(),
            kicker: "Indicador".into(),
            title: title.into(),
            body: Body::Numbers(Vec::new()),
        })
        .unwrap();
        let (_, rgb) = decode(&card);
        let width = WIDTH as usize;
        let inked = |x: usize, y: usize| rgb[(y * width + x) * 3..][..3] != [255, 255, 255];
        let right_margin = (110..300).any(|y| (width - 40..width).any(|x| inked(x, y)));
        assert!(!right_margin, "the title runs into the right margin");
        assert!((110..300).any(|y| (LEFT as usize..width / 2).any(|x| inked(x, y))));
    }

    /// A long number shrinks to fit its column instead of running off the card.
    #[test]
    fn long_numbers_fit_their_column() {
        let card = png(&Card {
            site: "Cifras".into(),
            kicker: "Datos".into(),
            title: "Título".into(),
            body: Body::Numbers(vec![
                ("1,800".into(), "Camas".into()),
                ("2".into(), "Jornadas".into()),
                ("más de 52,000,000".into(), "Derechohabientes".into()),
            ]),
        })
        .unwrap();
        let (_, rgb) = decode(&card);
        let width = WIDTH as usize;
        let inked = |x: usize, y: usize| rgb[(y * width + x) * 3..][..3] != [255, 255, 255];
        let right_margin = (200..400).any(|y| (width - 24..width).any(|x| inked(x, y)));
        assert!(!right_margin, "a number runs off the card");
    }

    /// A real card fits in a palette.
    #[test]
    fn cards_are_palette_images() {
        let card = card_with(Body::Numbers(vec![(
            "6,552,794".into(),
            "Consultas".into(),
        )]));
        assert_eq!(decode(&card).0, png::ColorType::Indexed);
    }

    fn card_with(body: Body) -> Vec<u8> {
        png(&Card {
            site: "Cifras".into(),
            kicker: "Boletín · 30 de marzo de 2022".into(),
            title:
                "Un título largo que ocupa más de una línea en la tarjeta para comprobar el ajuste"
                    .into(),
            body,
        })
        .unwrap()
    }

    #[test]
    fn cards_are_1200_by_630_png_and_deterministic() {
        let chart = Chart {
            id: "c".into(),
            kind: crate::charts::Kind::Bars,
            title: "t".into(),
            subtitle: "s".into(),
            source: "Fuente: IMSS".into(),
            marks: (0..12)
                .map(|i| crate::charts::tests::mark(&format!("Barra {i}"), f64::from(i + 1)))
                .collect(),
            notes: Vec::new(),
        };
        let a = card_with(Body::Chart(chart.clone()));
        assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, right after the 8-byte signature and chunk header
        assert_eq!(u32::from_be_bytes(a[16..20].try_into().unwrap()), 1200);
        assert_eq!(u32::from_be_bytes(a[20..24].try_into().unwrap()), 630);
        assert_eq!(a, card_with(Body::Chart(chart.clone())));
        let numbers = card_with(Body::Numbers(vec![(
            "1,800".into(),
            "Camas reconvertidas".into(),
        )]));
        assert_ne!(a, numbers);
    }
}
