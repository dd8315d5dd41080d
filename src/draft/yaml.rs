//! Writing the draft's YAML: the fields the text states, `null` with a note for those it does
//! not, and a comment quoting the sentence of every figure. Strings are written as JSON
//! strings, which YAML reads as double-quoted scalars, so no text can break the file.

use std::fmt::Write as _;

use crate::load::schema::Number;
use crate::model::date::Date;
use crate::model::words::fold;

use super::figures::Qualifier;
use super::reports::{excerpt, no_year_phrase, Found, Item, Report, When};
use super::text::Block;
use super::Catalogue;

/// What the text says about the bulletin itself.
pub struct Front {
    pub title: String,
    pub kicker: Option<String>,
    pub number: Option<String>,
    pub date: Option<Date>,
    /// The dateline as printed, when there is one.
    pub dateline: Option<String>,
    /// Whether the text names the IMSS (the only publisher the bundled bulletins have).
    pub names_imss: bool,
}

pub fn front(blocks: &[Block]) -> Front {
    let mut f = Front {
        title: String::new(),
        kicker: None,
        number: None,
        date: None,
        dateline: None,
        names_imss: blocks.iter().any(|b| {
            let f = fold(b.text());
            f.split(' ').any(|w| w == "imss") || f.contains("instituto mexicano del seguro social")
        }),
    };
    for b in blocks {
        match b {
            Block::Title(t) if f.title.is_empty() => f.title = t.clone(),
            Block::Kicker(k) if f.kicker.is_none() => f.kicker = Some(k.clone()),
            Block::Front(t) => {
                if let Some(n) = bulletin_number(t) {
                    f.number.get_or_insert(n);
                } else if f.date.is_none() {
                    f.date = full_date(t);
                    f.dateline = Some(t.clone());
                }
            }
            _ => {}
        }
    }
    if f.title.is_empty() {
        // No headline recognised: the first words of the text, for the maintainer to fix.
        let first = blocks.first().map_or("", |b| b.text());
        f.title = first.chars().take(120).collect();
        if f.title.trim().is_empty() {
            f.title = "Boletín sin título".into();
        }
    }
    f
}

/// "No. 154 /2022" → "154/2022".
fn bulletin_number(line: &str) -> Option<String> {
    let folded = fold(line);
    if !(folded.starts_with("no ") || folded.starts_with("num")) {
        return None;
    }
    let compact: String = line
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '/')
        .collect();
    let (n, y) = compact.split_once('/')?;
    (!n.is_empty() && y.len() == 4 && !y.contains('/')).then(|| format!("{n}/{y}"))
}

/// "Ciudad de México, miércoles 30 de marzo de 2022" → 2022-03-30: the first date that states
/// its year.
fn full_date(line: &str) -> Option<Date> {
    let folded = fold(line);
    let w: Vec<&str> = folded.split(' ').collect();
    (0..w.len()).find_map(|i| {
        let (dm, _) = super::periods::date_at(&w, i)?;
        Date::parse(&format!("{:04}-{:02}-{:02}", dm.year?, dm.month, dm.day)).ok()
    })
}

/// A double-quoted YAML string (JSON's escapes are YAML's).
fn q(s: &str) -> String {
    serde_json::to_string(&printable(s)).unwrap_or_else(|_| "\"\"".into())
}

/// `s` with every character YAML forbids in a file (C0 and C1 controls but tab and line
/// breaks, DEL, U+FFFE, U+FFFF) replaced by U+FFFD: they are not in a real bulletin, and one in a
/// comment or a string would make the whole draft unreadable (found by the `draft` fuzz target).
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' | '\u{85}' => c,
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect()
}

fn value(n: Number) -> String {
    if n.scale == 0 {
        return n.digits.to_string();
    }
    let s = format!("{:0>width$}", n.digits, width = n.scale as usize + 1);
    let (int, frac) = s.split_at(s.len() - n.scale as usize);
    format!("{int}.{frac}")
}

/// A comment line: one line, whatever the text holds.
fn comment(out: &mut String, indent: &str, text: &str) {
    let one: String = printable(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let _ = writeln!(out, "{indent}# {one}");
}

fn slug_part(s: &str) -> String {
    fold(s)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

fn report_id(r: &Report, taken: &mut Vec<String>) -> String {
    let mut id = match &r.when {
        When::Range { start, end, .. } => format!("periodo-{start}-{end}"),
        When::AsOf(d) => format!("al-{d}"),
        When::NoYear(..) => "periodo-sin-ano".into(),
        When::Unstated => "sin-periodo".into(),
    };
    if r.target {
        id = format!("meta-{id}");
    }
    if let [one] = r.scope.as_slice() {
        if one != "nacional" {
            id = format!("{id}-{}", slug_part(one));
        }
    } else {
        id = format!("{id}-{}-y-otros", slug_part(&r.scope[0]));
    }
    let base = id.clone();
    let mut k = 2;
    while taken.contains(&id) {
        id = format!("{base}-{k}");
        k += 1;
    }
    taken.push(id.clone());
    id
}

fn kind(r: &Report) -> &'static str {
    if r.target {
        return "target";
    }
    match r.when.is_event() {
        Some(true) => "event",
        Some(false) => "cumulative",
        None => "stock",
    }
}

fn title(r: &Report) -> String {
    let base = match &r.when {
        When::Range { start, end, .. } => {
            let range = crate::model::date::range_es(*start, *end);
            let mut c = range.chars();
            c.next()
                .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
        }
        When::AsOf(d) => format!("Al {}", d.long_es()),
        When::NoYear(a, b) => format!("Periodo sin año: {}", no_year_phrase(*a, *b)),
        When::Unstated => "Cifras sin periodo indicado".into(),
    };
    if r.target {
        format!("Meta: {base}")
    } else {
        base
    }
}

fn figure_lines(out: &mut String, it: &Item, catalogue: &Catalogue) {
    let metric = it
        .fig
        .metric
        .map_or("?", |m| catalogue.metrics.ids[m].as_str());
    comment(
        out,
        "      ",
        &format!("«{}»", excerpt(&it.sentence, &it.fig.written)),
    );
    let qualifier = match it.fig.qualifier {
        Some(Qualifier::MoreThan) => ", qualifier: more_than",
        Some(Qualifier::About) => ", qualifier: about",
        Some(Qualifier::Almost) => ", qualifier: almost",
        _ => "",
    };
    if let Some(Qualifier::Unrecorded(words)) = it.fig.qualifier {
        comment(out, "      ", &format!("The text says «{words}» {}: the schema has no qualifier for it yet; the value is recorded as written.", it.fig.written));
    }
    if it.fig.rounded && it.fig.qualifier.is_none() {
        comment(
            out,
            "      ",
            &format!(
                "«{}» looks rounded; add `qualifier: about` if the text rounds it.",
                it.fig.written
            ),
        );
    }
    if it.other_values.is_empty() {
        let _ = writeln!(
            out,
            "      - {{ metric: {metric}, value: {}{qualifier} }}",
            value(it.fig.value)
        );
    } else {
        let others: Vec<String> = it.other_values.iter().map(|v| value(*v)).collect();
        let _ = writeln!(out, "      - metric: {metric}");
        let _ = writeln!(out, "        value: {}", value(it.fig.value));
        if let Some(q) = qualifier.strip_prefix(", ") {
            let _ = writeln!(out, "        {q}");
        }
        let _ = writeln!(out, "        conflict:");
        let _ = writeln!(out, "          other_values: [{}]", others.join(", "));
        let note = format!(
            "El texto da también {} para esta cifra; el borrador registra la última mención ({}). Revise cuál vale.",
            others.join(", "),
            it.fig.written
        );
        let _ = writeln!(out, "          note: {}", q(&note));
    }
}

fn commented_figure(out: &mut String, indent: &str, it: &Item, catalogue: &Catalogue) {
    let metric = it
        .fig
        .metric
        .map_or("?", |m| catalogue.metrics.ids[m].as_str());
    let why = it.dropped.as_deref().unwrap_or("");
    comment(
        out,
        indent,
        &format!(
            "- {{ metric: {metric}, value: {} }}  # {why}",
            value(it.fig.value)
        ),
    );
    comment(
        out,
        indent,
        &format!("  «{}»", excerpt(&it.sentence, &it.fig.written)),
    );
}

pub fn write(
    front: &Front,
    source_name: &str,
    places: &[String],
    reports: &[Report],
    found: &Found,
    catalogue: &Catalogue,
) -> String {
    let mut out = String::new();
    out.push_str("# Draft made by `cifras new bulletin --from`: every value below was read from the text, but\n");
    out.push_str("# check each one against it (the comment above each figure quotes its sentence), then delete\n");
    out.push_str("# these comments. Run `cifras check` after every edit.\n");
    let _ = writeln!(out, "title: {}", q(&front.title));
    if let Some(k) = &front.kicker {
        let _ = writeln!(out, "kicker: {}", q(k));
    }
    match &front.number {
        Some(n) => {
            let _ = writeln!(out, "number: {}", q(n));
        }
        None => out.push_str("number: null  # the text gives no bulletin number\n"),
    }
    match front.date {
        Some(d) => {
            let _ = writeln!(
                out,
                "date: {d}  # {}",
                front.dateline.as_deref().unwrap_or("")
            );
        }
        None => {
            out.push_str("date: null\n");
            let _ = writeln!(
                out,
                "date_note: {}",
                q("El boletín no indica fecha de publicación.")
            );
        }
    }
    out.push_str("source:\n");
    out.push_str("  kind: bulletin  # or republication, translation, news\n");
    let _ = writeln!(out, "  seed: {}", q(source_name));
    // Never a guess: a text that does not name the IMSS gets a placeholder to fill in.
    let publisher = if front.names_imss {
        "Instituto Mexicano del Seguro Social (IMSS)"
    } else {
        "Por completar: quién publica el boletín"
    };
    let _ = writeln!(out, "  publisher: {}", q(publisher));
    out.push_str("  url: null  # the original's address, if it is online\n");
    let _ = writeln!(out, "places: [{}]", places.join(", "));
    out.push_str("tags: []\n");
    out.push_str("notes: []\n");
    if reports.is_empty() {
        out.push_str(
            "# No figure with a clear indicator was found; see the commented numbers below.\n",
        );
        out.push_str("reports: []\n");
    } else {
        out.push_str("reports:\n");
    }
    let mut taken = Vec::new();
    for r in reports {
        let id = report_id(r, &mut taken);
        let _ = writeln!(out, "  - id: {id}");
        let _ = writeln!(out, "    title: {}", q(&title(r)));
        let _ = writeln!(out, "    kind: {}", kind(r));
        match &r.when {
            When::Range {
                start,
                end,
                year_stated,
            } => {
                let ys = if *year_stated {
                    ""
                } else {
                    ", year_stated: false"
                };
                let _ = writeln!(out, "    period: {{ start: {start}, end: {end}{ys} }}");
                if !year_stated {
                    out.push_str("    # the year is not in this phrase: it comes from the bulletin's date, the one year the text names, or --year\n");
                }
            }
            When::AsOf(d) => {
                let _ = writeln!(
                    out,
                    "    period: {{ as_of: {d} }}  # «actualmente»: the bulletin's date"
                );
            }
            When::NoYear(a, b) => {
                let p = no_year_phrase(*a, *b);
                out.push_str("    period: unknown\n");
                comment(&mut out, "    ", &format!("The text says «{p}» but gives no year anywhere: once you know it, replace `unknown` with `{{ start: YYYY-MM-DD, end: YYYY-MM-DD, year_stated: false }}`, or draft again with `--year YYYY`."));
            }
            When::Unstated => out.push_str("    # the text gives no period for these figures\n"),
        }
        let _ = writeln!(out, "    scope: [{}]", r.scope.join(", "));
        out.push_str("    figures:\n");
        for &i in &r.items {
            figure_lines(&mut out, &found.items[i], catalogue);
        }
        out.push('\n');
    }
    let left: Vec<&Item> = found.items.iter().filter(|i| i.dropped.is_some()).collect();
    if !left.is_empty() {
        out.push_str("# Numbers left as comments (uncomment into a report and fix `metric` if they are figures):\n");
        for it in left {
            commented_figure(&mut out, "", it, catalogue);
        }
        out.push('\n');
    }
    if !found.not_figures.is_empty() {
        out.push_str("# Numbers in the text that are not service figures:\n");
        for (n, sentence) in &found.not_figures {
            comment(
                &mut out,
                "",
                &format!(
                    "- {} ({}): «{}»",
                    n.written,
                    n.reason,
                    excerpt(sentence, &n.written)
                ),
            );
        }
    }
    // Whatever line a piece of the text ended up on (a trailing comment, a quote), none may
    // hold a character YAML forbids.
    printable(&out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_never_reach_the_yaml() {
        let mut out = String::new();
        super::comment(&mut out, "  ", "se\u{1}\u{0} realizaron\u{7f} \u{9b}x");
        out.push_str(&format!("t: {}\n", super::q("a\u{1}b\u{FFFF}")));
        assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
        let v: serde_json::Value = serde_saphyr::from_str(&out).expect("still YAML");
        assert_eq!(v["t"], "a\u{FFFD}b\u{FFFD}");
    }

    use super::*;

    #[test]
    fn number_and_date_only_when_stated() {
        assert_eq!(
            bulletin_number("No. 154 /2022").as_deref(),
            Some("154/2022")
        );
        assert_eq!(bulletin_number("No. 21"), None);
        assert_eq!(
            full_date("Ciudad de México, miércoles 30 de marzo de 2022"),
            Date::parse("2022-03-30").ok()
        );
        assert_eq!(
            full_date("Ciudad de México, 30 de marzo"),
            None,
            "no year, no date"
        );
        let blocks =
            crate::draft::text::clean("Título\n\n- Del 12 al 18 de julio se hizo.\n\nTexto.\n");
        let f = front(&blocks);
        assert_eq!((f.title.as_str(), f.date, f.number), ("Título", None, None));
        assert!(!f.names_imss);
    }

    #[test]
    fn decimals_print_exactly() {
        assert_eq!(
            value(Number {
                digits: 712,
                scale: 1
            }),
            "71.2"
        );
        assert_eq!(
            value(Number {
                digits: 5,
                scale: 2
            }),
            "0.05"
        );
        assert_eq!(value(Number::int(6_552_794)), "6552794");
    }
}
