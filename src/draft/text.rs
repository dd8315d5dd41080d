//! Cleaning a bulletin's text as the bundled bulletins were cleaned by hand: lines re-joined
//! into paragraphs (also across page breaks), bullets as list items, page furniture and running
//! headers dropped, look-alike characters fixed, the headline (and a kicker above it) kept.
//!
//! Input is plain text as a PDF extraction gives it, or Markdown; the HTML and PDF readers
//! produce the same shape (`# ` headings, `- ` bullets, blank lines between blocks).

use crate::model::words::fold;

/// One block of the cleaned bulletin, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A short line printed above the headline (antetítulo).
    Kicker(String),
    Title(String),
    /// The dateline ("Ciudad de México, miércoles 30 de marzo de 2022") or the bulletin's
    /// number ("No. 154/2022"): kept as printed, before the headline.
    Front(String),
    Bullet(String),
    Heading(String),
    Para(String),
}

impl Block {
    pub fn text(&self) -> &str {
        match self {
            Block::Kicker(t)
            | Block::Title(t)
            | Block::Front(t)
            | Block::Bullet(t)
            | Block::Heading(t)
            | Block::Para(t) => t,
        }
    }
}

/// Characters that look like Latin letters but are not (PDFs made from Word documents mix in
/// Cyrillic capitals: "UMAЕ"); a reader cannot see them, but search and matching break.
fn plain_char(c: char) -> Option<char> {
    Some(match c {
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'Х' => 'X',
        'а' => 'a',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'х' => 'x',
        'у' => 'y',
        'і' => 'i',
        'Ι' => 'I',
        'Ο' => 'O',
        'Α' => 'A',
        'Ε' => 'E',
        // spaces and invisible characters
        '\u{a0}' | '\u{2007}' | '\u{202f}' | '\t' => ' ',
        '\u{ad}' | '\u{200b}' | '\u{feff}' | '\r' => return None,
        c => c,
    })
}

/// Bullet marks seen in extractions: the Symbol-font bullet in a private-use code point, the
/// middle dot, and the usual ones.
const BULLETS: &[char] = &[
    '\u{f0b7}', '\u{f0a7}', '•', '·', '▪', '●', '◦', '-', '*', '–',
];

/// Lines that are page furniture wherever they appear.
fn is_furniture(line: &str) -> bool {
    let f = fold(line);
    if f.is_empty() {
        // only punctuation: "---", "---oOo---", "* * *"
        return true;
    }
    if matches!(f.as_str(), "ooo" | "o0o" | "boletin de prensa" | "boletin") {
        return true;
    }
    // page numbers: "3", "3 / 4", "Página 3 de 4"
    let words: Vec<&str> = f.split(' ').collect();
    let numeric = words.iter().all(|w| w.bytes().all(|b| b.is_ascii_digit()));
    let page_n_of_m = words.first() == Some(&"pagina")
        && words.len() <= 4
        && words[1..]
            .iter()
            .all(|w| *w == "de" || w.bytes().all(|b| b.is_ascii_digit()));
    numeric && words.len() <= 2 || page_n_of_m
}

/// A line of the input, classified before paragraphs are joined.
enum Line<'a> {
    Blank,
    Heading(&'a str),
    Bullet(&'a str),
    Text(&'a str),
}

fn classify(line: &str) -> Line<'_> {
    let t = line.trim();
    if t.is_empty() {
        return Line::Blank;
    }
    if let Some(rest) = t.strip_prefix('#') {
        return Line::Heading(rest.trim_start_matches('#').trim());
    }
    let mut chars = t.chars();
    if let Some(first) = chars.next() {
        let rest = chars.as_str();
        // "- item" is a bullet; "-5" or "--" is not
        if BULLETS.contains(&first) && (rest.starts_with(' ') || !first.is_ascii()) {
            let item = rest.trim();
            if !item.is_empty() {
                return Line::Bullet(item);
            }
            return Line::Blank;
        }
    }
    Line::Text(t)
}

/// Whether `prev` visibly goes on in the next line although a blank line (or a page break)
/// separates them: it does not end a sentence, and the next starts in lower case or `prev` ends
/// on a word that cannot end a phrase ("en la", "de").
fn continues(prev: &str, next: &str) -> bool {
    let p = prev.trim_end();
    if p.ends_with(['.', ':', ';', '!', '?', '”', '"', '»', ')']) {
        return false;
    }
    let starts_lower = next.chars().next().is_some_and(|c| c.is_lowercase());
    let last = fold(p.rsplit(' ').next().unwrap_or(""));
    const OPEN: &[&str] = &[
        "a", "al", "de", "del", "el", "la", "las", "los", "en", "y", "o", "con", "por", "para",
        "que", "se", "su", "sus", "un", "una", "e", "entre", "sin", "sobre",
    ];
    starts_lower || OPEN.contains(&last.as_str())
}

fn join(into: &mut String, next: &str) {
    // "COVID-" + "19": a word broken at its own hyphen
    let hyphen = into.ends_with('-')
        && into[..into.len() - 1]
            .chars()
            .last()
            .is_some_and(char::is_alphanumeric);
    if !hyphen && !into.is_empty() {
        into.push(' ');
    }
    into.push_str(next);
}

/// Collapse runs of spaces and fix look-alike characters.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter_map(plain_char) {
        if c == ' ' && out.ends_with(' ') {
            continue;
        }
        out.push(c);
    }
    out
}

/// A raw block before the headline is recognised.
enum Raw {
    Heading(String),
    Bullet(String),
    /// A paragraph, and whether its first line was indented.
    Para(String, bool),
}

/// Clean a bulletin's text into blocks.
pub fn clean(input: &str) -> Vec<Block> {
    let text = normalise(&input.replace('\u{c}', "\n\n"));
    let lines: Vec<&str> = text.lines().collect();
    // Running headers: a short line that is not a sentence and comes back on several pages.
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for l in &lines {
        let body = l.trim_start_matches('#').trim();
        if !body.is_empty() && body.chars().count() <= 80 && !body.ends_with('.') {
            *counts.entry(fold(body)).or_default() += 1;
        }
    }
    // A number alone on a line is a page number only at a page's edge (next to a blank line);
    // inside a paragraph it is part of a number broken across lines ("552 / mil 794").
    let at_edge = |i: usize| {
        i == 0
            || i + 1 >= lines.len()
            || lines[i - 1].trim().is_empty()
            || lines[i + 1].trim().is_empty()
    };
    let running = |l: &str| {
        let body = l.trim_start_matches('#').trim();
        counts.get(&fold(body)).is_some_and(|&n| n >= 2)
    };

    let mut raw: Vec<Raw> = Vec::new();
    // Whether a blank line (or dropped furniture) came since the last text line.
    let mut gap = true;
    for (i, raw_line) in lines.iter().enumerate() {
        let line = raw_line.trim();
        let indented = raw_line.starts_with(char::is_whitespace);
        let page_number = at_edge(i) || !line.bytes().all(|b| b.is_ascii_digit());
        if !line.is_empty() && ((is_furniture(line) && page_number) || running(line)) {
            gap = true;
            continue;
        }
        match classify(line) {
            Line::Blank => gap = true,
            Line::Heading(h) => {
                if !h.is_empty() && !is_furniture(h) {
                    raw.push(Raw::Heading(h.to_string()));
                }
                gap = true;
            }
            Line::Bullet(b) => {
                raw.push(Raw::Bullet(b.to_string()));
                gap = false;
            }
            Line::Text(t) => {
                match raw.last_mut() {
                    Some(Raw::Para(p, _) | Raw::Bullet(p)) if !gap || continues(p, t) => join(p, t),
                    Some(Raw::Heading(h)) if !gap => join(h, t),
                    _ => raw.push(Raw::Para(t.to_string(), indented)),
                }
                gap = false;
            }
        }
    }
    headline(raw)
}

fn is_dateline(text: &str) -> bool {
    let f = fold(text);
    let has_month = crate::model::date::MONTHS
        .iter()
        .any(|m| f.contains(&format!(" de {m} de ")));
    has_month && text.chars().count() < 90 && !text.ends_with('.')
}

fn is_number_line(text: &str) -> bool {
    let f = fold(text);
    (f.starts_with("no ") || f.starts_with("num ") || f.starts_with("numero "))
        && text.contains('/')
        && text.chars().count() < 30
}

fn ends_sentence(t: &str) -> bool {
    t.trim_end().ends_with(['.', '!', '?', '”', '"', '»'])
}

/// The headline is the last of the blocks before the first bullet (or, without bullets, before
/// the first sentence); a block before it is the kicker. Short unpunctuated lines in the body
/// are section headings.
fn headline(mut raw: Vec<Raw>) -> Vec<Block> {
    lost_bullets(&mut raw);
    let head_end = raw
        .iter()
        .position(|r| match r {
            Raw::Bullet(_) => true,
            Raw::Para(p, _) => ends_sentence(p),
            Raw::Heading(_) => false,
        })
        .unwrap_or(raw.len());
    let candidates: Vec<usize> = (0..head_end)
        .filter(|&i| match &raw[i] {
            Raw::Para(p, _) | Raw::Heading(p) => !is_dateline(p) && !is_number_line(p),
            Raw::Bullet(_) => false,
        })
        .collect();
    let title = candidates.last().copied();
    let kicker = match candidates.len() {
        n if n >= 2 => Some(candidates[n - 2]),
        _ => None,
    };
    let mut out = Vec::with_capacity(raw.len());
    let mut kicker_text = None;
    for (i, r) in raw.into_iter().enumerate() {
        let text = match r {
            Raw::Heading(t) | Raw::Bullet(t) | Raw::Para(t, _) if t.trim().is_empty() => continue,
            Raw::Bullet(t) => {
                out.push(Block::Bullet(t.trim().to_string()));
                continue;
            }
            Raw::Heading(t) | Raw::Para(t, _) => t.trim().to_string(),
        };
        if Some(i) == kicker {
            // printed above the headline, whatever blocks sit between them
            kicker_text = Some(text);
        } else if Some(i) == title {
            if let Some(k) = kicker_text.take() {
                out.push(Block::Kicker(k));
            }
            out.push(Block::Title(text));
        } else if i < head_end && (is_dateline(&text) || is_number_line(&text)) {
            out.push(Block::Front(text));
        } else if i >= head_end && is_section_heading(&text) {
            out.push(Block::Heading(text));
        } else {
            out.push(Block::Para(text));
        }
    }
    out
}

/// Extractions sometimes lose the bullet glyph but keep its indent: indented sentences right
/// after the headline, before a body that is not indented, are the highlights.
fn lost_bullets(raw: &mut [Raw]) {
    if raw.iter().any(|r| matches!(r, Raw::Bullet(_))) {
        return;
    }
    let Some(first) = raw
        .iter()
        .position(|r| matches!(r, Raw::Para(p, _) if ends_sentence(p)))
    else {
        return;
    };
    let run = raw[first..]
        .iter()
        .take_while(|r| matches!(r, Raw::Para(p, true) if ends_sentence(p)))
        .count();
    let body_flush = matches!(raw.get(first + run), Some(Raw::Para(_, false)));
    if run == 0 || !body_flush {
        return;
    }
    for r in &mut raw[first..first + run] {
        if let Raw::Para(p, _) = r {
            *r = Raw::Bullet(std::mem::take(p));
        }
    }
}

fn is_section_heading(text: &str) -> bool {
    let words = text.split_whitespace().count();
    !text.ends_with(['.', ':', ';', ',', '”', '"', '»'])
        && (2..=15).contains(&words)
        && text.chars().next().is_some_and(char::is_uppercase)
}

/// The cleaned text as the bulletin's Markdown file.
pub fn markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut prev_bullet = false;
    for b in blocks {
        let is_bullet = matches!(b, Block::Bullet(_));
        if !(out.is_empty() || is_bullet && prev_bullet) {
            out.push('\n');
        }
        let line = match b {
            Block::Kicker(t) => format!("**{}**", t),
            Block::Title(t) => format!("# {t}"),
            Block::Heading(t) => format!("## {t}"),
            Block::Bullet(t) => format!("- {}", escape_list_start(t)),
            Block::Front(t) | Block::Para(t) => escape_list_start(t),
        };
        out.push_str(&line);
        out.push('\n');
        prev_bullet = is_bullet;
    }
    out
}

/// A paragraph that happens to start like Markdown syntax ("1. ", "# ", "- ") must stay a
/// paragraph.
fn escape_list_start(t: &str) -> String {
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let numbered = digits > 0 && t[digits..].starts_with(". ");
    if numbered || t.starts_with(['#', '>', '-', '+', '*', '=']) {
        format!("\\{t}")
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_lines_and_page_breaks_into_paragraphs() {
        let text = " Título del boletín \n\n Primera viñeta que sigue \nen otra línea. \n\nEl texto sigue en la \n\n\n \n\npágina siguiente. Fin.\n";
        let blocks = clean(text);
        assert_eq!(
            blocks,
            [
                Block::Title("Título del boletín".into()),
                Block::Bullet("Primera viñeta que sigue en otra línea.".into()),
                Block::Para("El texto sigue en la página siguiente. Fin.".into()),
            ]
        );
    }

    #[test]
    fn drops_furniture_and_running_headers() {
        let text = "## Unidad de Comunicación Social\n\nCiudad de México, miércoles 30 de marzo de 2022\n\nNo. 154 /2022\n\n# BOLETÍN DE PRENSA\n\n## El titular\n\n- Viñeta.\n\nUn párrafo.\n\n---\n\n## Unidad de Comunicación Social\n\nOtro párrafo.\n\n---oOo---\n";
        let md = markdown(&clean(text));
        assert_eq!(
            md,
            "Ciudad de México, miércoles 30 de marzo de 2022\n\nNo. 154 /2022\n\n# El titular\n\n- Viñeta.\n\nUn párrafo.\n\nOtro párrafo.\n"
        );
    }

    #[test]
    fn fixes_look_alike_letters_and_keeps_the_kicker() {
        let blocks =
            clean("Con 6 mil consultas en nueve entidades\n\nIMSS fortalece la UMAЕ\n\n Viñeta.\n");
        assert_eq!(
            blocks[0],
            Block::Kicker("Con 6 mil consultas en nueve entidades".into())
        );
        assert_eq!(blocks[1], Block::Title("IMSS fortalece la UMAE".into()));
        assert!(!markdown(&blocks).contains('Е'));
    }

    #[test]
    fn a_number_broken_across_lines_is_not_a_page_number() {
        let blocks = clean(
            "Título\n\n- Viñeta.\n\nSe han otorgado 6 millones 552\nmil 794 consultas.\n\n3\n",
        );
        assert_eq!(
            blocks[2],
            Block::Para("Se han otorgado 6 millones 552 mil 794 consultas.".into())
        );
        assert_eq!(blocks.len(), 3, "the page number 3 is dropped");
    }

    #[test]
    fn words_broken_at_their_hyphen_rejoin() {
        let blocks = clean("Título\n\n- Viñeta.\n\nEn el micrositio de COVID-\n19, materiales.\n");
        assert_eq!(
            blocks[2],
            Block::Para("En el micrositio de COVID-19, materiales.".into())
        );
    }
}
