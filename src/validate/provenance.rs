//! Provenance: where in the bulletin text a figure is stated. The site links every figure to
//! its sentence, so a reader can check any number against the source in one click.

use super::spanish_numbers::{self, Found};
pub use crate::model::Mention;

/// How far around a number its sentence is read for the indicator's words, in bytes: bounds
/// the work on hostile one-sentence texts.
const WINDOW: usize = 600;
/// How many mentions of one number are compared (the last ones).
const MAX_CANDIDATES: usize = 100;

/// Find where `text` states `value`. When it is stated more than once, prefer the sentence
/// that also names the indicator (its label's words), then the last: bulletins repeat their
/// figures in the headline and highlights first, and state them in full in the body.
pub fn locate(
    text: &str,
    sentences: &Sentences,
    found: &[Found],
    value: f64,
    label: &str,
) -> Option<Mention> {
    let keywords: Vec<String> = label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 3)
        .map(fold)
        .collect();
    let matches: Vec<&Found> = found
        .iter()
        .filter(|f| spanish_numbers::states(std::slice::from_ref(f), value))
        .collect();
    // A real bulletin states a number a handful of times; scoring thousands of repetitions of
    // it would only let a hostile text slow the build down.
    let candidates = &matches[matches.len().saturating_sub(MAX_CANDIDATES)..];
    candidates
        .iter()
        .map(|f| {
            let sentence = sentences.around(text, f.start, f.end);
            let lo = floor_boundary(text, sentence.0.max(f.start.saturating_sub(WINDOW)));
            let hi = floor_boundary(text, sentence.1.min(f.end + WINDOW));
            let words = fold(&text[lo..hi]);
            let score = keywords
                .iter()
                .filter(|k| words.contains(k.as_str()))
                .count();
            (
                score,
                Mention {
                    number: (f.start, f.end),
                    sentence,
                },
            )
        })
        // max_by_key keeps the last of equal maxima
        .max_by_key(|(score, _)| *score)
        .map(|(_, m)| m)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Lowercase without accents, and only the word's stem (first 6 letters), so "cirugías" matches
/// "Cirugías" and "trasplantes" matches "trasplante".
fn fold(s: &str) -> String {
    let plain: String = s
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            other => other,
        })
        .collect();
    if s.contains(' ') {
        plain
    } else {
        plain.chars().take(6).collect()
    }
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

    fn mention(text: &str, value: f64, label: &str) -> Option<(String, String)> {
        let found = spanish_numbers::find_numbers(text);
        locate(text, &Sentences::new(text), &found, value, label).map(|m| {
            (
                text[m.number.0..m.number.1].to_string(),
                text[m.sentence.0..m.sentence.1].to_string(),
            )
        })
    }

    #[test]
    fn finds_the_sentence_of_a_figure() {
        let text = "Primera frase. En este periodo se han otorgado 6 millones 552 mil 794 consultas de especialidad y 475 mil 725 cirugías. Otra frase.";
        let (number, sentence) = mention(text, 475_725.0, "Cirugías").unwrap();
        assert_eq!(number, "475 mil 725");
        assert!(sentence.starts_with("En este periodo"));
        assert!(sentence.ends_with("cirugías."));
    }

    #[test]
    fn abbreviations_and_decimals_do_not_split_sentences() {
        let text = "Hospital No. 1 de Orizaba con 6.5 millones de consultas. Fin.";
        let (_, sentence) = mention(text, 6_500_000.0, "Consultas").unwrap();
        assert_eq!(
            sentence,
            "Hospital No. 1 de Orizaba con 6.5 millones de consultas."
        );
    }

    #[test]
    fn prefers_the_sentence_naming_the_indicator() {
        let text = "Se realizaron 153 consultas.\n\nTambién se lograron 153 cirugías.";
        let (_, sentence) = mention(text, 153.0, "Cirugías").unwrap();
        assert_eq!(sentence, "También se lograron 153 cirugías.");
        let (_, last) = mention(text, 153.0, "Camas").unwrap();
        assert_eq!(
            last, "También se lograron 153 cirugías.",
            "ties go to the last mention"
        );
    }

    #[test]
    fn bullets_start_after_the_marker() {
        let text = "- Del 1 de abril se han otorgado 956 trasplantes.\n";
        let (_, sentence) = mention(text, 956.0, "Trasplantes").unwrap();
        assert_eq!(sentence, "Del 1 de abril se han otorgado 956 trasplantes.");
    }

    #[test]
    fn hostile_texts_stay_fast() {
        // One endless sentence stating the same number 50,000 times.
        let text = "5 ".repeat(50_000);
        let started = std::time::Instant::now();
        let found = spanish_numbers::find_numbers(&text);
        let m = locate(
            &text,
            &Sentences::new(&text),
            &found,
            5.0,
            "Cirugías de prueba",
        );
        assert!(m.is_some());
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn absent_values_are_not_found() {
        assert_eq!(mention("Se hicieron 10 cirugías.", 11.0, "Cirugías"), None);
    }
}
