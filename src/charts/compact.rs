//! plotters' SVG markup, written shorter without changing what it draws.
//!
//! plotters writes every attribute on every element: `opacity="1"`, the font list and the text
//! colour on each of a chart's ~20 labels, `text-anchor="start"`, font sizes to 15 decimals,
//! and each label's text on a line of its own. A chart is inlined twice in its page (wide and
//! narrow layouts), again in its embed page and once more as a download, so at 10,000
//! bulletins this was about a fifth of the site (measured in BENCHMARKS.md, "Output size").
//! Here the defaults are dropped, the font list and the text colour are said once on the root
//! `<svg>` (children inherit them), sizes keep three decimals, and each label is written on one
//! line. Text content is escaped by plotters (`"` as `&quot;`), so a `"` always closes an
//! attribute value.

use super::palette::TEXT;
use super::text::FONT;

/// The attributes said once on the root `<svg>` element for all of its children.
pub fn root_attributes() -> String {
    format!(r#"font-family="{FONT}" fill="{}""#, hex(TEXT))
}

/// plotters' colour notation: `#1F2328`.
fn hex(c: plotters::style::RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The body plotters wrote (everything after its own `<svg …>` tag), shorter. The elements,
/// their order and every value that changes the drawing stay as they were. One pass, copying
/// what is kept straight into the output: this runs twice for each of a site's ~20,000 charts.
pub fn body(svg: &str) -> String {
    let text_fill = hex(TEXT);
    let mut out = String::with_capacity(svg.len() * 2 / 3);
    let mut lines = svg.split_inclusive('\n');
    while let Some(line) = lines.next() {
        if !line.starts_with('<') || line.starts_with("</") {
            out.push_str(line);
            continue;
        }
        let text = line.starts_with("<text ") && !line.ends_with("/>\n");
        let end = push_tag(&mut out, line, text, &text_fill);
        if !text {
            out.push_str(end);
            continue;
        }
        // plotters writes a label between two line breaks; SVG drops them anyway (leading and
        // trailing white space of a label is not drawn).
        out.push_str(end.trim_end_matches('\n'));
        let mut label = String::new();
        for l in lines.by_ref() {
            if l == "</text>\n" || l == "</text>" {
                break;
            }
            label.push_str(l);
        }
        out.push_str(label.strip_suffix('\n').unwrap_or(&label));
        out.push_str("</text>\n");
    }
    out
}

/// Copies a tag's name and the attributes worth keeping into `out`; returns the rest of the
/// line (`>\n` or `/>\n`).
fn push_tag<'a>(out: &mut String, line: &'a str, text: bool, text_fill: &str) -> &'a str {
    let name_end = line.find(' ').unwrap_or(line.len());
    out.push_str(&line[..name_end]);
    let mut rest = &line[name_end..];
    while let Some(attr) = rest.strip_prefix(' ') {
        let Some((key, after)) = attr.split_once("=\"") else {
            break;
        };
        let Some((value, after)) = after.split_once('"') else {
            break;
        };
        rest = after;
        let keep = match key {
            "opacity" => value != "1",
            // A shape's stroke is none unless one is given (and no parent gives one).
            "stroke" => value != "none",
            "text-anchor" => !(text && value == "start"),
            "font-family" => !(text && value == FONT),
            "fill" => !(text && value == text_fill),
            _ => true,
        };
        if !keep {
            continue;
        }
        out.push(' ');
        out.push_str(key);
        out.push_str("=\"");
        match key {
            "font-size" if text => push_font_size(out, value),
            _ => out.push_str(value),
        }
        out.push('"');
    }
    rest
}

/// `16.935483870967744` as `16.935`. Chromium draws the same pixels with three decimals
/// (screenshots of 60 charts compared byte for byte); with two it did not.
fn push_font_size(out: &mut String, value: &str) {
    match value.parse::<f64>() {
        Ok(size) => {
            let rounded = format!("{size:.3}");
            out.push_str(rounded.trim_end_matches('0').trim_end_matches('.'));
        }
        Err(_) => out.push_str(value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLOTTERS: &str = concat!(
        "<rect x=\"0\" y=\"0\" width=\"680\" height=\"216\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>\n",
        "<text x=\"16\" y=\"16\" dy=\"0.76em\" text-anchor=\"start\" font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"16.935483870967744\" opacity=\"1\" fill=\"#1F2328\" font-weight=\"bold\">\n",
        "Trasplantes &quot;de&quot; riñón\n",
        "</text>\n",
        "<text x=\"229\" y=\"100\" dy=\"0.5ex\" text-anchor=\"end\" font-family=\"DejaVu Sans, Verdana, sans-serif\" font-size=\"14\" opacity=\"1\" fill=\"#4A515A\">\n",
        "442\n",
        "</text>\n",
        "<polyline fill=\"none\" opacity=\"1\" stroke=\"#4A515A\" stroke-width=\"1\" points=\"239,94 239,156 \"/>\n",
        "<circle cx=\"3\" cy=\"4\" r=\"5\" opacity=\"0.5\" fill=\"#E69F00\" stroke=\"none\" stroke-width=\"1\"/>\n",
    );

    #[test]
    fn drops_defaults_and_inherited_attributes_only() {
        let expected = concat!(
            "<rect x=\"0\" y=\"0\" width=\"680\" height=\"216\" fill=\"#FFFFFF\"/>\n",
            "<text x=\"16\" y=\"16\" dy=\"0.76em\" font-size=\"16.935\" font-weight=\"bold\">Trasplantes &quot;de&quot; riñón</text>\n",
            "<text x=\"229\" y=\"100\" dy=\"0.5ex\" text-anchor=\"end\" font-size=\"14\" fill=\"#4A515A\">442</text>\n",
            "<polyline fill=\"none\" stroke=\"#4A515A\" stroke-width=\"1\" points=\"239,94 239,156 \"/>\n",
            // an opacity that is not 1 stays
            "<circle cx=\"3\" cy=\"4\" r=\"5\" opacity=\"0.5\" fill=\"#E69F00\" stroke-width=\"1\"/>\n",
        );
        assert_eq!(body(PLOTTERS), expected);
        assert_eq!(
            root_attributes(),
            "font-family=\"DejaVu Sans, Verdana, sans-serif\" fill=\"#1F2328\""
        );
    }

    /// A label with a line break inside keeps it; only plotters' own two are dropped.
    #[test]
    fn keeps_line_breaks_inside_a_label() {
        let svg = "<text x=\"1\" y=\"2\" font-size=\"14\">\na\nb\n</text>\n";
        assert_eq!(
            body(svg),
            "<text x=\"1\" y=\"2\" font-size=\"14\">a\nb</text>\n"
        );
    }
}
