//! PNGs drawn straight into palette indices.
//!
//! Charts and cards have a few flat colours and text antialiased in 16 steps, so they fit in a
//! 256-colour palette and are stored as indexed PNGs. Drawing in RGB and converting afterwards
//! passed over every pixel twice more (the conversion alone was a fifth of a build, measured
//! with perf). `Canvas` keeps one index byte per pixel from the start: fills are `memset`s, and
//! a blended text pixel is one cached lookup. Its arithmetic is plotters' bitmap backend's, so
//! the pixels are the same (tested); a picture that needs more than 256 colours is drawn again
//! with that backend and stored as RGB.

use std::convert::Infallible;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, DrawingErrorKind};

use super::raster::{CachedText, GlyphTarget};
use super::text::FastMap;

/// Something drawn onto a white bitmap, the same way whatever the backend.
pub(crate) trait Picture {
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>);
}

/// The picture as PNG bytes, on a white background.
pub(crate) fn png(picture: &impl Picture) -> Result<Vec<u8>, String> {
    super::text::register_fonts();
    let (width, height) = picture.size();
    let mut canvas = Canvas::new(width, height, [255, 255, 255]);
    draw_on(picture, &mut canvas);
    if !canvas.overflow {
        return write(width, height, Some(&canvas.palette()), &canvas.pixels);
    }
    // More than 256 colours (no chart or card of ours needs them): RGB, as plotters draws it.
    let mut rgb = vec![255u8; width as usize * height as usize * 3];
    draw_on(
        picture,
        BitMapBackend::with_buffer(&mut rgb, (width, height)),
    );
    encode(&rgb, width, height)
}

fn draw_on<DB: GlyphTarget>(picture: &impl Picture, backend: DB) {
    let root = CachedText(backend).into_drawing_area();
    picture.draw(&root);
    let _ = root.present();
}

/// A bitmap of palette indices, with plotters' drawing arithmetic.
struct Canvas {
    width: i32,
    height: i32,
    pixels: Vec<u8>,
    colours: Vec<[u8; 3]>,
    index: FastMap<[u8; 3], u8>,
    /// Per colour drawn pixel by pixel (text: a few per picture), its blends.
    inks: Vec<Ink>,
    /// A 257th colour was asked for: the pixels are wrong and must not be used.
    overflow: bool,
}

impl Canvas {
    fn new(width: u32, height: u32, background: [u8; 3]) -> Canvas {
        let mut canvas = Canvas {
            width: width as i32,
            height: height as i32,
            pixels: vec![0; width as usize * height as usize],
            colours: Vec::new(),
            index: FastMap::default(),
            inks: Vec::new(),
            overflow: false,
        };
        canvas.index_of(background);
        canvas
    }

    fn index_of(&mut self, colour: [u8; 3]) -> u8 {
        if let Some(&i) = self.index.get(&colour) {
            return i;
        }
        if self.colours.len() == 256 {
            self.overflow = true;
            return 0;
        }
        let i = self.colours.len() as u8;
        self.colours.push(colour);
        self.index.insert(colour, i);
        i
    }

    /// The blends of `colour`, made on first use (a picture has a few inks: a short search).
    fn ink(&mut self, colour: [u8; 3]) -> usize {
        match self.inks.iter().rposition(|ink| ink.colour == colour) {
            Some(i) => i,
            None => {
                let opaque = self.index_of(colour);
                self.inks.push(Ink {
                    colour,
                    opaque,
                    blends: Vec::new(),
                });
                self.inks.len() - 1
            }
        }
    }

    /// Draw pixel `at` in `ink` with `alpha` (above 0), as plotters' bitmap backend does: opaque
    /// from 255/256 up, else blended with alpha truncated to 256ths.
    fn put(&mut self, at: usize, ink: usize, alpha: f64) {
        if alpha >= 1.0 - 1.0 / 256.0 {
            self.pixels[at] = self.inks[ink].opaque;
            return;
        }
        let a = (alpha * 256.0) as usize; // positive: truncating is plotters' `floor`
        let row = usize::from(self.pixels[at]);
        if self.inks[ink].blends.len() <= row {
            self.inks[ink].blends.resize(row + 1, None);
        }
        let known = self.inks[ink].blends[row].as_ref().map(|r| r[a]);
        let i = match known {
            Some(i) if i != UNKNOWN => i,
            _ => {
                let [r, g, b] = self.colours[row];
                let over = self.inks[ink].colour;
                let blended = [
                    blend(r, over[0], a as u64),
                    blend(g, over[1], a as u64),
                    blend(b, over[2], a as u64),
                ];
                let i = u16::from(self.index_of(blended));
                let blends = &mut self.inks[ink].blends[row];
                blends.get_or_insert_with(|| Box::new([UNKNOWN; 256]))[a] = i;
                i
            }
        };
        self.pixels[at] = i as u8;
    }

    /// The palette as PNG wants it: r, g, b for each index in turn.
    fn palette(&self) -> Vec<u8> {
        self.colours.concat()
    }

    /// Fill the pixels from (x0, y0) up to, not including, (x1, y1): plotters' `fill_rect_fast`.
    fn fill(&mut self, (x0, y0): BackendCoord, (x1, y1): BackendCoord, colour: [u8; 3]) {
        let (left, right) = (x0.min(x1).max(0), x0.max(x1).min(self.width));
        let (top, bottom) = (y0.min(y1).max(0), y0.max(y1).min(self.height));
        if left >= right || top >= bottom {
            return;
        }
        let i = self.index_of(colour);
        for y in top..bottom {
            let row = (y * self.width) as usize;
            self.pixels[row + left as usize..row + right as usize].fill(i);
        }
    }
}

/// A colour drawn pixel by pixel, and its blends over the colours under it: text is most of a
/// picture's pixels, and a table lookup is much cheaper than blending and hashing each one.
struct Ink {
    colour: [u8; 3],
    opaque: u8,
    /// By index under, then alpha in 256ths: the blended colour's index, or `UNKNOWN`. Rows are
    /// made only for the colours text is drawn over (a few of the 256).
    blends: Vec<Option<Box<[u16; 256]>>>,
}

const UNKNOWN: u16 = u16::MAX;

/// plotters' per-channel blend: move `under` towards `over` by `a`/256, rounding towards `under`.
fn blend(under: u8, over: u8, a: u64) -> u8 {
    if over > under {
        under + (u64::from(over - under) * a / 256) as u8
    } else {
        under - (u64::from(under - over) * a / 256) as u8
    }
}

fn rgb(colour: BackendColor) -> [u8; 3] {
    let (r, g, b) = colour.rgb;
    [r, g, b]
}

type Error = DrawingErrorKind<Infallible>;

impl DrawingBackend for &mut Canvas {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        (self.width as u32, self.height as u32)
    }
    fn ensure_prepared(&mut self) -> Result<(), Error> {
        Ok(())
    }
    fn present(&mut self) -> Result<(), Error> {
        Ok(())
    }

    fn draw_pixel(&mut self, (x, y): BackendCoord, colour: BackendColor) -> Result<(), Error> {
        if x < 0 || y < 0 || x >= self.width || y >= self.height || colour.alpha <= 0.0 {
            return Ok(());
        }
        let ink = self.ink(rgb(colour));
        self.put((y * self.width + x) as usize, ink, colour.alpha);
        Ok(())
    }

    /// Straight one-pixel lines in a solid colour are fills, as in plotters' bitmap backend
    /// (a horizontal line includes its end; a vertical one its end too, clipped to the image).
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), Error> {
        let colour = style.color();
        let straight = from.0 == to.0 || from.1 == to.1;
        if straight && style.stroke_width() == 1 && colour.alpha >= 1.0 {
            if from.1 == to.1 {
                self.fill(from, (to.0 + 1, to.1 + 1), rgb(colour));
            } else if from.0 >= 0 && from.0 < self.width {
                let (top, bottom) = (
                    from.1.min(to.1).max(0),
                    from.1.max(to.1).min(self.height - 1),
                );
                self.fill((from.0, top), (from.0 + 1, bottom + 1), rgb(colour));
            }
            return Ok(());
        }
        plotters_backend::rasterizer::draw_line(self, from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), Error> {
        if fill && style.color().alpha >= 1.0 {
            self.fill(upper_left, bottom_right, rgb(style.color()));
            return Ok(());
        }
        plotters_backend::rasterizer::draw_rect(self, upper_left, bottom_right, style, fill)
    }
}

impl GlyphTarget for &mut Canvas {
    fn draw_glyph(
        &mut self,
        at: BackendCoord,
        coverage: &[(i32, i32, f32)],
        colour: BackendColor,
    ) -> Result<(), Error> {
        if colour.alpha <= 0.0 {
            return Ok(());
        }
        let ink = self.ink(rgb(colour));
        for &(x, y, a) in coverage {
            let (x, y) = (at.0 + x, at.1 + y);
            if x >= 0 && y >= 0 && x < self.width && y < self.height {
                // Coverage is above 0 (see `raster::rasterise`), as `colour.mix` would give it.
                self.put(
                    (y * self.width + x) as usize,
                    ink,
                    colour.alpha * f64::from(a),
                );
            }
        }
        Ok(())
    }
}

/// RGB pixels as PNG: a palette image when they have at most 256 colours.
pub(crate) fn encode(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, String> {
    match palette(rgb, width as usize) {
        Some((colours, pixels)) => write(width, height, Some(&colours), &pixels),
        None => write(width, height, None, rgb),
    }
}

fn write(width: u32, height: u32, palette: Option<&[u8]>, data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_depth(png::BitDepth::Eight);
    // fdeflate: an order of magnitude faster than the default zlib level on these flat
    // images (measured: it was two thirds of a build).
    encoder.set_compression(png::Compression::Fast);
    match palette {
        Some(colours) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(colours.to_vec());
        }
        None => encoder.set_color(png::ColorType::Rgb),
    }
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(data).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// The image as a palette and one index per pixel, when it has at most 256 colours (charts
/// do: a few flat fills, and text antialiased in 16 steps). Lossless: the same pixels in a
/// third of the bytes, so encoding is faster and the file about a quarter of the size. The
/// palette is in order of first appearance, so the same image always gives the same file.
fn palette(rgb: &[u8], width: usize) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut index: rustc_hash::FxHashMap<[u8; 3], u8> = Default::default();
    let mut colours = Vec::new();
    let mut pixels: Vec<u8> = Vec::with_capacity(rgb.len() / 3);
    let mut last: Option<([u8; 3], u8)> = None;
    let row_bytes = width * 3;
    for (y, row) in rgb.chunks_exact(row_bytes).enumerate() {
        // Charts repeat whole rows (margins, the inside of bars): one comparison, one copy.
        if y > 0 && row == &rgb[(y - 1) * row_bytes..y * row_bytes] {
            pixels.extend_from_within((y - 1) * width..y * width);
            continue;
        }
        let mut rest = row;
        while !rest.is_empty() {
            // Runs of one colour, four pixels at a time.
            if let (Some((lc, li)), Some(four)) = (last, rest.get(..12)) {
                if four.chunks_exact(3).all(|px| px == lc) {
                    pixels.extend_from_slice(&[li; 4]);
                    rest = &rest[12..];
                    continue;
                }
            }
            let c = [rest[0], rest[1], rest[2]];
            rest = &rest[3..];
            let i = match last {
                // Most pixels repeat their left neighbour: no lookup.
                Some((lc, li)) if lc == c => li,
                _ => {
                    let i = match index.get(&c) {
                        Some(i) => *i,
                        None if colours.len() == 256 * 3 => return None,
                        None => {
                            let i = (colours.len() / 3) as u8;
                            colours.extend_from_slice(&c);
                            index.insert(c, i);
                            i
                        }
                    };
                    last = Some((c, i));
                    i
                }
            };
            pixels.push(i);
        }
    }
    Some((colours, pixels))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::charts::card::{Body, Card};
    use crate::charts::{Chart, Kind, Layout, Mark, Style};
    use crate::model::Date;

    /// A PNG's colour type and its pixels as RGB (palettes expanded).
    pub(crate) fn decode(png_bytes: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let colour = reader.info().color_type;
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut buf).unwrap();
        buf.truncate(frame.buffer_size());
        (colour, buf)
    }

    /// Up to 256 colours are stored as a palette image, more as RGB; both give back exactly the
    /// pixels drawn.
    #[test]
    fn encoding_is_lossless_with_or_without_a_palette() {
        let (w, h) = (300u32, 40u32);
        let few: Vec<u8> = (0..w * h)
            .flat_map(|i| {
                let (x, y) = (i % w, i / w);
                let shade = ((x / 20 + y / 10) % 7) as u8 * 30;
                [shade, 255 - shade, 40]
            })
            .collect();
        let (colour, pixels) = decode(&encode(&few, w, h).unwrap());
        assert_eq!(colour, png::ColorType::Indexed);
        assert!(pixels == few);

        let many: Vec<u8> = (0..w * h)
            .flat_map(|i| [(i % 256) as u8, (i / 256) as u8, 7])
            .collect();
        let (colour, pixels) = decode(&encode(&many, w, h).unwrap());
        assert_eq!(colour, png::ColorType::Rgb);
        assert!(pixels == many);
    }

    /// What plotters' own RGB bitmap backend draws (with the same cached text).
    fn plotters_pixels(picture: &impl Picture) -> Vec<u8> {
        super::super::text::register_fonts();
        let (w, h) = picture.size();
        let mut rgb = vec![255u8; (w * h * 3) as usize];
        draw_on(picture, BitMapBackend::with_buffer(&mut rgb, (w, h)));
        rgb
    }

    fn chart(kind: Kind) -> Chart {
        let d = |s: &str| Date::parse(s).unwrap();
        Chart {
            id: "c".into(),
            kind,
            title: "Consultas de especialidad, por jornada «nacional»".into(),
            subtitle: "Del 1 de abril al 12 de septiembre de 2021. Todo el país.".into(),
            source: "Fuente: IMSS, boletines 154/2022; 433/2021.".into(),
            notes: vec!["* Año deducido.".into()],
            marks: [
                ("Riñón", 6_552_794.0),
                ("Córnea", 475_725.0),
                ("Corazón", 10.0),
            ]
            .iter()
            .enumerate()
            .map(|(i, (label, v))| Mark {
                label: label.to_string(),
                group: (i < 2).then(|| "Una jornada".to_string()),
                value: *v,
                colour: [
                    crate::model::Colour::Blue,
                    crate::model::Colour::SkyBlue,
                    crate::model::Colour::Vermillion,
                ][i],
                qualified: i == 2,
                span: Some((
                    d("2021-04-01"),
                    d(["2021-06-30", "2021-09-12", "2021-12-31"][i]),
                )),
                value_label: format!("{v}"),
                footnote: (i == 1).then(|| "El boletín también da 475,275.".to_string()),
            })
            .collect(),
        }
    }

    /// The palette canvas gives exactly the pixels plotters' RGB backend gives, for the charts
    /// (bars and timelines, with their lines, fills and text) and the cards, and stores them as
    /// a palette image.
    #[test]
    fn canvas_draws_plotters_pixels() {
        let d = |s: &str| Date::parse(s).unwrap();
        let timeline = Kind::Trend {
            from: d("2021-01-01"),
            to: d("2021-12-31"),
        };
        let style = Style {
            width: 1360,
            scale: 2.0,
            heading: true,
            narrow: false,
        };
        let card = |body| {
            Card {
            site: "Cifras de salud".into(),
            kicker: "Boletín · 30 de marzo de 2022".into(),
            title: "Con Jornadas de Recuperación de Servicios, el IMSS otorgó más de 6.5 millones de consultas".into(),
            body,
        }
        };
        let (bars_chart, timeline_chart) = (chart(Kind::Bars), chart(timeline));
        for chart in [&bars_chart, &timeline_chart] {
            assert_plotters_pixels(&Layout::new(chart, &style));
        }
        for body in [
            Body::Chart(timeline_chart.clone()),
            Body::Numbers(vec![("6,552,794".into(), "Consultas".into())]),
        ] {
            assert_plotters_pixels(&card(body));
        }
    }

    /// The picture's PNG is a palette image with exactly the pixels plotters' RGB backend draws.
    fn assert_plotters_pixels(picture: &impl Picture) {
        let (colour, ours) = decode(&png(picture).unwrap());
        assert_eq!(colour, png::ColorType::Indexed);
        assert!(ours.iter().any(|&b| b < 100), "something was drawn");
        assert!(
            ours == plotters_pixels(picture),
            "pixels differ from plotters'"
        );
    }

    /// Light text on a dark fill blends the other way (towards a lighter colour), and lines
    /// run in both directions: the same pixels as plotters' too.
    #[test]
    fn light_on_dark_and_lines_match_plotters() {
        struct Negative;
        impl Picture for Negative {
            fn size(&self) -> (u32, u32) {
                (300, 60)
            }
            fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) {
                let _ = area.fill(&RGBColor(0x1f, 0x23, 0x28));
                let style =
                    TextStyle::from((super::super::text::FONT, 30).into_font()).color(&WHITE);
                let _ = area.draw_text("Riñón 6,552,794", &style, (4, 10));
                let _ = area.draw(&PathElement::new(vec![(290, 50), (10, 50)], WHITE));
                let _ = area.draw(&PathElement::new(vec![(295, 58), (295, -5)], WHITE));
            }
        }
        let (_, ours) = decode(&png(&Negative).unwrap());
        let light = ours.iter().filter(|&&b| b > 200).count();
        assert!(light > 100, "text and lines drawn");
        assert_plotters_pixels(&Negative);
    }

    /// A picture with more than 256 colours is drawn again in RGB, not stored wrong.
    #[test]
    fn too_many_colours_fall_back_to_rgb() {
        struct Rainbow;
        impl Picture for Rainbow {
            fn size(&self) -> (u32, u32) {
                (40, 10)
            }
            fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>) {
                for x in 0..40 {
                    for y in 0..10 {
                        let c = RGBColor(x as u8 * 6, y as u8 * 25, 7);
                        let _ = area.draw_pixel((x, y), &c);
                    }
                }
            }
        }
        let (colour, pixels) = decode(&png(&Rainbow).unwrap());
        assert_eq!(colour, png::ColorType::Rgb);
        assert!(pixels == plotters_pixels(&Rainbow));
        assert_eq!(&pixels[3 * 41..3 * 42], &[6, 25, 7]);
    }
}
