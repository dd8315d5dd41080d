//! HTML to the plain shape `text::clean` reads: block elements end lines, `<li>` becomes a
//! `- ` bullet, `<h1>`–`<h6>` become `# ` headings, scripts, styles and navigation are dropped,
//! entities are decoded. Bulletins are simple pages; a tolerant scanner is enough and never
//! fails (malformed markup just becomes text).

/// Elements whose content is never bulletin text.
const SKIPPED: &[&str] = &[
    "script", "style", "head", "nav", "header", "footer", "noscript", "template", "svg", "form",
    "button", "select", "iframe",
];
/// Elements that end a line (and so separate blocks).
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "aside",
    "blockquote",
    "ul",
    "ol",
    "table",
    "tr",
    "figure",
    "figcaption",
    "pre",
    "hr",
    "dl",
    "dd",
    "dt",
    "address",
];

pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    // the element whose content is being skipped, and how deeply it is nested
    let mut skipping: Option<(String, usize)> = None;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            out.push_str(&decode(&rest[..lt]));
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else {
            rest = "";
            break;
        };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some((skipped, depth)) = &mut skipping {
            if *skipped == name {
                if closing {
                    *depth -= 1;
                    if *depth == 0 {
                        skipping = None;
                    }
                } else if !tag.ends_with('/') {
                    *depth += 1;
                }
            }
            continue;
        }
        if !closing && SKIPPED.contains(&name.as_str()) && !tag.ends_with('/') {
            skipping = Some((name, 1));
            continue;
        }
        match name.as_str() {
            "br" => out.push('\n'),
            "li" if !closing => out.push_str("\n\n- "),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                out.push_str(if closing { "\n\n" } else { "\n\n# " })
            }
            n if BLOCKS.contains(&n) || n == "li" => out.push_str("\n\n"),
            "td" | "th" if closing => out.push(' '),
            _ => {}
        }
    }
    if skipping.is_none() {
        out.push_str(&decode(rest));
    }
    // Source line breaks inside a paragraph are just spaces in HTML; tags made the real ones.
    out.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// HTML text: whitespace runs (including source line breaks) are one space.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        push_spaced(&mut out, &rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|e| e + 1);
        match end.filter(|&e| rest[e..].starts_with(';')) {
            Some(e) => match entity(&rest[1..e]) {
                Some(c) => {
                    out.push(c);
                    rest = &rest[e + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            },
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    push_spaced(&mut out, rest);
    out
}

fn push_spaced(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| !c.is_control() || *c == '\n');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "aacute" => 'á',
        "eacute" => 'é',
        "iacute" => 'í',
        "oacute" => 'ó',
        "uacute" => 'ú',
        "Aacute" => 'Á',
        "Eacute" => 'É',
        "Iacute" => 'Í',
        "Oacute" => 'Ó',
        "Uacute" => 'Ú',
        "ntilde" => 'ñ',
        "Ntilde" => 'Ñ',
        "uuml" => 'ü',
        "Uuml" => 'Ü',
        "laquo" => '«',
        "raquo" => '»',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "bull" => '•',
        "middot" => '·',
        "ordf" => 'ª',
        "ordm" => 'º',
        "iquest" => '¿',
        "iexcl" => '¡',
        "deg" => '°',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_bullets_headings_and_entities() {
        let html = "<html><head><title>x</title><style>p{}</style></head><body><nav>Menú</nav>\
            <h1>IMSS fortalece</h1><ul><li>Se realizaron 153\n cirug&iacute;as.</li></ul>\
            <p>Del 27 al 29 de agosto &amp; m&aacute;s.<br>Otra l&iacute;nea &#8220;x&#x201D;</p>\
            <script>var a = '<p>no</p>';</script></body></html>";
        let text = to_text(html);
        assert!(text.contains("# IMSS fortalece"), "{text}");
        assert!(text.contains("- Se realizaron 153 cirugías."), "{text}");
        assert!(
            text.contains("Del 27 al 29 de agosto & más.\nOtra línea “x”"),
            "{text}"
        );
        assert!(!text.contains("Menú") && !text.contains("var a"), "{text}");
    }

    #[test]
    fn malformed_markup_is_text_not_an_error() {
        let text = to_text("<p>Hola &bogus; & <b>mundo <i");
        assert!(text.contains("Hola &bogus; & mundo"), "{text}");
    }
}
