//! Provenance: where in the bulletin text a figure is stated. The site links every figure to
//! its sentence, so a reader can check any number against the source in one click.
//!
//! A figure is traced to a mention of its number whose words name its indicator (its label or
//! one of its `aliases:` in metrics.yaml, compared as the draft compares them: folded, whole
//! words). The number's words are those right after it, up to the next number or the clause's
//! end ("956 trasplantes", "11 de riñón"); when they name no indicator, the nearest indicator
//! named before it in its clause ("las jornadas nacionales, de las cuales se han realizado
//! dos"). A number whose every mention is about something else ("23 Unidades Médicas de Alta
//! Especialidad" for a total of 23 transplants) is kept as a mention that does not name the
//! indicator: "number only", a warning, never shown as verified.

use super::spanish_numbers::{self, Found};
use crate::model::words::{fold, words, Phrases};
pub use crate::model::Mention;

/// How far around a number its clause is read for the indicator's words, in bytes: bounds
/// the work on hostile one-sentence texts.
const WINDOW: usize = 600;
/// How many mentions of one number are compared (the last ones).
const MAX_CANDIDATES: usize = 100;
/// How many words after a number its indicator may start ("cuatro unidades médicas del IMSS
/// que recibieron certificación"); a phrase further on is about something else.
const NEAR: usize = 6;

/// Words that may follow a number that stands for a count named before it: prepositions and
/// conjunctions, folded.
const ELLIPTICAL: &[&str] = &[
    "en", "de", "del", "y", "e", "o", "u", "a", "al", "con", "por", "para", "durante", "entre",
    "que", "fueron", "son", "mas",
];

/// How strongly a mention's words name the indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Naming {
    /// The words around the number are about something else, or about nothing.
    Not,
    /// The nearest indicator named before the number, in its clause, is this one.
    Before,
    /// The words right after the number name it.
    After,
}

/// Find where `text` states `value` as a figure of `metric`: a mention of the number whose words
/// name the metric (`phrases` holds every metric's label and aliases). When several do, the
/// one named right after the number, then the last: bulletins repeat their figures in the
/// headline and highlights first, and state them in full in the body. When none does, the last
/// mention of the number, with `names_indicator: false`; `None` when the number is not there.
pub fn locate(
    text: &str,
    sentences: &Sentences,
    found: &[Found],
    value: f64,
    metric: usize,
    phrases: &Phrases,
) -> Option<Mention> {
    let matches: Vec<usize> = (0..found.len())
        .filter(|&k| spanish_numbers::states(std::slice::from_ref(&found[k]), value))
        .collect();
    // A real bulletin states a number a handful of times; scoring thousands of repetitions of
    // it would only let a hostile text slow the build down.
    let candidates = &matches[matches.len().saturating_sub(MAX_CANDIDATES)..];
    candidates
        .iter()
        .map(|&k| {
            let f = &found[k];
            let sentence = sentences.around(text, f.start, f.end);
            let naming = naming(text, sentence, found, k, metric, phrases);
            (
                naming,
                Mention {
                    number: (f.start, f.end),
                    sentence,
                    names_indicator: naming != Naming::Not,
                },
            )
        })
        // max_by_key keeps the last of equal maxima
        .max_by_key(|(naming, _)| *naming)
        .map(|(_, m)| m)
}

/// Whether the words of the number `found[k]`, inside `sentence`, name `metric`.
fn naming(
    text: &str,
    sentence: (usize, usize),
    found: &[Found],
    k: usize,
    metric: usize,
    phrases: &Phrases,
) -> Naming {
    let f = &found[k];
    // The clause: the sentence between semicolons, at most WINDOW bytes either side.
    let lo = text.floor_char_boundary(sentence.0.max(f.start.saturating_sub(WINDOW)));
    let lo = text[lo..f.start].rfind(';').map_or(lo, |i| lo + i + 1);
    let hi = text.floor_char_boundary(sentence.1.min(f.end + WINDOW).max(f.end));
    let hi = text[f.end..hi].find(';').map_or(hi, |i| f.end + i);
    // The number's own words end where the next number starts ("un", "una" are articles
    // more often than counts, and do not end them).
    let next = found[k + 1..]
        .iter()
        .take_while(|n| n.start < hi)
        .find(|n| !is_article(&text[n.start..n.end]))
        .map_or(hi, |n| n.start);
    let after = fold(&text[f.end..next.max(f.end)]);
    let after = words(&after);
    let named = phrases.matches(&after);
    if let Some(first) = named.first().filter(|m| m.0 <= NEAR) {
        return if named.iter().any(|m| m.0 == first.0 && m.2 == metric) {
            Naming::After
        } else {
            Naming::Not
        };
    }
    // A number followed by a word of its own ("nueve entidades", "66 directivos") counts that
    // thing; only a number standing alone ("tres en la Ciudad de México", "dos en lo que va
    // del año", "… 2 mil 537.") counts what was named before it.
    if after.first().is_some_and(|w| !ELLIPTICAL.contains(w)) {
        return Naming::Not;
    }
    let before = fold(&text[lo..f.start]);
    let before = words(&before);
    let named = phrases.matches(&before);
    match named.last() {
        Some(last) if named.iter().any(|m| m.0 == last.0 && m.2 == metric) => Naming::Before,
        _ => Naming::Not,
    }
}

fn is_article(written: &str) -> bool {
    matches!(written.to_lowercase().as_str(), "un" | "una" | "uno")
}

/// A mention's sentence for a message: at most `side` bytes either side of the number, cut
/// with "…", on one line.
pub fn quote(text: &str, m: &Mention, side: usize) -> String {
    let (s, e) = m.sentence;
    let (ns, ne) = m.number;
    let mut lo = text.ceil_char_boundary(s.max(ns.saturating_sub(side)));
    let mut hi = text.floor_char_boundary(e.min(ne + side));
    // cut between words, not inside one
    if lo > s {
        lo = text[lo..ns].find(' ').map_or(lo, |i| lo + i + 1);
    }
    if hi < e {
        hi = text[ne..hi].rfind(' ').map_or(hi, |i| ne + i);
    }
    let mut out = String::new();
    if lo > s {
        out.push('…');
    }
    out.push_str(
        &text[lo..hi]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    );
    if hi < e {
        out.push('…');
    }
    out
}

/// Where the sentences of a text start, found in one pass so that looking up the sentence of
/// any number is a binary search, whatever the text's shape.
pub struct Sentences {
    starts: Vec<usize>,
}

impl Sentences {
    /// A sentence ends at ". " before a capital letter or an opening quote, at a period that
    /// ends a line, or at a line break. "No. 1" and "6.5" do not end sentences.
    pub fn new(text: &str) -> Sentences {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends = match b {
                b'\n' => true,
                b'.' => {
                    let rest = &text[i + 1..];
                    let trimmed = rest.trim_start_matches(' ');
                    if trimmed.len() == rest.len() {
                        rest.is_empty() || rest.starts_with('\n')
                    } else {
                        trimmed.chars().next().is_some_and(|c| {
                            c.is_uppercase() || matches!(c, '“' | '"' | '«' | '¿' | '¡')
                        })
                    }
                }
                _ => false,
            };
            if ends && i + 1 < bytes.len() {
                starts.push(i + 1);
            }
        }
        Sentences { starts }
    }

    /// The sentence holding the byte range `start..end`, without leading spaces and list or
    /// heading markers, and without the line break that ends it.
    pub fn around(&self, text: &str, start: usize, end: usize) -> (usize, usize) {
        let k = self
            .starts
            .partition_point(|&s| s <= start)
            .saturating_sub(1);
        let mut s = self.starts[k];
        let mut e = self.starts[k + 1..]
            .iter()
            .copied()
            .find(|&x| x >= end)
            .unwrap_or(text.len());
        let bytes = text.as_bytes();
        while s < start && matches!(bytes[s], b' ' | b'-' | b'#' | b'*') {
            s += 1;
        }
        while e > end && matches!(bytes[e - 1], b' ' | b'\n' | b'\r') {
            e -= 1;
        }
        (s, e)
    }
}

/// The sentence around a byte range (see [`Sentences`]); for one-off lookups.
pub fn sentence_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    Sentences::new(text).around(text, start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small catalogue: each metric's label and aliases, by index.
    const CATALOGUE: &[&[&str]] = &[
        &["Consultas", "consultas"],
        &["Consultas de especialidad", "de especialidad"],
        &["Cirugías", "cirugías"],
        &["Trasplantes", "trasplantes"],
        &[
            "UMAE participantes",
            "umae",
            "unidades médicas de alta especialidad",
        ],
        &["Jornadas nacionales realizadas", "jornadas nacionales"],
        &["Unidades de Medicina Física y Rehabilitación"],
        &["Camas reconvertidas", "camas"],
        &["Oficinas participantes", "entidades"],
    ];

    fn metric(label: &str) -> usize {
        CATALOGUE.iter().position(|m| m[0] == label).unwrap()
    }

    /// (the number as written, its sentence, whether its words name the metric)
    fn mention(text: &str, value: f64, label: &str) -> Option<(String, String, bool)> {
        let phrases = Phrases::new(
            CATALOGUE
                .iter()
                .enumerate()
                .flat_map(|(i, m)| m.iter().map(move |p| (i, *p))),
        );
        let found = spanish_numbers::find_numbers(text);
        locate(
            text,
            &Sentences::new(text),
            &found,
            value,
            metric(label),
            &phrases,
        )
        .map(|m| {
            (
                text[m.number.0..m.number.1].to_string(),
                text[m.sentence.0..m.sentence.1].to_string(),
                m.names_indicator,
            )
        })
    }

    #[test]
    fn finds_the_sentence_of_a_figure() {
        let text = "Primera frase. En este periodo se han otorgado 6 millones 552 mil 794 consultas de especialidad y 475 mil 725 cirugías. Otra frase.";
        let (number, sentence, named) = mention(text, 475_725.0, "Cirugías").unwrap();
        assert_eq!(number, "475 mil 725");
        assert!(sentence.starts_with("En este periodo"));
        assert!(sentence.ends_with("cirugías."));
        assert!(named);
    }

    #[test]
    fn abbreviations_and_decimals_do_not_split_sentences() {
        let text = "Hospital No. 1 de Orizaba con 6.5 millones de consultas. Fin.";
        let (_, sentence, named) = mention(text, 6_500_000.0, "Consultas").unwrap();
        assert_eq!(
            sentence,
            "Hospital No. 1 de Orizaba con 6.5 millones de consultas."
        );
        assert!(named, "«de consultas» names them");
    }

    #[test]
    fn prefers_the_sentence_naming_the_indicator() {
        let text = "Se realizaron 153 cirugías.\n\nTambién se dieron 153 consultas.";
        let (_, sentence, named) = mention(text, 153.0, "Cirugías").unwrap();
        assert_eq!(sentence, "Se realizaron 153 cirugías.");
        assert!(named);
    }

    #[test]
    fn a_number_in_a_sentence_about_something_else_is_number_only() {
        // The issue's case: a total of 23 transplants is not "23 Unidades Médicas de Alta
        // Especialidad", even in a sentence that speaks of transplants further on.
        let text =
            "Participaron 23 Unidades Médicas de Alta Especialidad, donde se realizan trasplantes.";
        let (number, sentence, named) = mention(text, 23.0, "Trasplantes").unwrap();
        assert_eq!((number.as_str(), sentence.as_str()), ("23", text));
        assert!(!named, "the 23 counts units, not transplants");
        assert!(mention(text, 23.0, "UMAE participantes").unwrap().2);
        // "nueve entidades" counts states, not the surgeries named before it
        let text = "Con más de 6 mil consultas y 153 cirugías en nueve entidades.";
        assert!(!mention(text, 9.0, "Cirugías").unwrap().2);
        assert!(mention(text, 9.0, "Oficinas participantes").unwrap().2);
        // ties among sentences that do not name it go to the last mention
        let text = "Se realizaron 153 consultas.\n\nTambién se lograron 153 cirugías.";
        let (_, last, named) = mention(text, 153.0, "Camas reconvertidas").unwrap();
        assert_eq!(last, "También se lograron 153 cirugías.");
        assert!(!named);
    }

    #[test]
    fn a_number_standing_alone_counts_what_was_named_before_it() {
        let text = "Se impulsan las jornadas nacionales, de las cuales se han realizado dos en lo que va del año.";
        assert!(
            mention(text, 2.0, "Jornadas nacionales realizadas")
                .unwrap()
                .2
        );
        let text = "El Instituto cuenta con cuatro Unidades de Medicina Física y Rehabilitación, tres en la Ciudad de México y una en Nuevo León.";
        for value in [4.0, 3.0, 1.0] {
            let m = mention(text, value, "Unidades de Medicina Física y Rehabilitación");
            assert!(m.unwrap().2, "{value}");
        }
        // not across a clause: after ";" the surgeries are no longer what is counted
        let text = "Se lograron 300 cirugías; en cambio 12 en la Ciudad de México.";
        assert!(!mention(text, 12.0, "Cirugías").unwrap().2);
        // words after the number come first: "de especialidad" is not the consultations total
        let text = "En consultas se realizaron mil 283 de especialidad.";
        assert!(
            mention(text, 1283.0, "Consultas de especialidad")
                .unwrap()
                .2
        );
        assert!(!mention(text, 1283.0, "Consultas").unwrap().2);
    }

    #[test]
    fn bullets_start_after_the_marker() {
        let text = "- Del 1 de abril se han otorgado 956 trasplantes.\n";
        let (_, sentence, _) = mention(text, 956.0, "Trasplantes").unwrap();
        assert_eq!(sentence, "Del 1 de abril se han otorgado 956 trasplantes.");
    }

    #[test]
    fn hostile_texts_stay_fast() {
        // One endless sentence stating the same number 50,000 times, bare and with words.
        let started = std::time::Instant::now();
        let bare = "5 ".repeat(50_000);
        assert!(mention(&bare, 5.0, "Cirugías").is_some_and(|m| !m.2));
        let text = "5 cirugías ".repeat(50_000);
        let m = mention(&text, 5.0, "Cirugías");
        assert!(m.is_some_and(|m| m.2));
        let m = mention(&text, 5.0, "Camas reconvertidas");
        assert!(m.is_some_and(|m| !m.2));
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn absent_values_are_not_found() {
        assert_eq!(mention("Se hicieron 10 cirugías.", 11.0, "Cirugías"), None);
    }

    #[test]
    fn quotes_are_cut_around_the_number_between_words_on_one_line() {
        let text = format!(
            "{}23 Unidades\nMédicas {}.",
            "palabra ".repeat(20),
            "otra ".repeat(20)
        );
        let m = Mention {
            number: (160, 162),
            sentence: (0, text.len()),
            names_indicator: false,
        };
        assert_eq!(&text[160..162], "23");
        let q = quote(&text, &m, 30);
        assert!(q.starts_with("…palabra ") && q.ends_with(" otra…"), "{q}");
        assert!(q.contains("23 Unidades Médicas"), "{q}");
        let words: Vec<&str> = q.trim_matches('…').split(' ').collect();
        assert!(
            words
                .iter()
                .all(|w| ["palabra", "23", "Unidades", "Médicas", "otra"].contains(w)),
            "{q}"
        );
        assert!(q.chars().count() < 70, "{q}");
    }
}
