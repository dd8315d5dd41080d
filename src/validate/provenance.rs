//! Provenance: where in the bulletin text a figure is stated. The site links every figure to
//! its sentence, so a reader can check any number against the source in one click.

use super::spanish_numbers::{self, Found};
pub use crate::model::Mention;

/// Find where `text` states `value`. When it is stated more than once, prefer the sentence
/// that also names the indicator (its label's words), then the last: bulletins repeat their
/// figures in the headline and highlights first, and state them in full in the body.
pub fn locate(text: &str, found: &[Found], value: f64, label: &str) -> Option<Mention> {
    let keywords: Vec<String> = label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 3)
        .map(fold)
        .collect();
    found
        .iter()
        .filter(|f| spanish_numbers::states(std::slice::from_ref(f), value))
        .map(|f| {
            let sentence = sentence_around(text, f.start, f.end);
            let words = fold(&text[sentence.0..sentence.1]);
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

/// The sentence around a byte range: from after the previous sentence end (". " before a
/// capital letter, or a line break) to the next one. "No. 1" and "6.5" do not end sentences.
pub fn sentence_around(text: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let is_boundary = |i: usize| -> bool {
        // a period at i, followed by spaces and an uppercase letter or an opening quote
        if bytes[i] != b'.' {
            return false;
        }
        let rest = &text[i + 1..];
        let trimmed = rest.trim_start_matches(' ');
        if trimmed.len() == rest.len() {
            return rest.is_empty() || rest.starts_with('\n');
        }
        trimmed
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || matches!(c, '“' | '"' | '«' | '¿' | '¡'))
    };
    let mut s = start;
    while s > 0 {
        let prev = s - 1;
        if bytes[prev] == b'\n' {
            break;
        }
        if is_boundary(prev) {
            break;
        }
        s = prev;
    }
    // skip the spaces and list/heading markers at the start
    while s < start && matches!(bytes[s], b' ' | b'-' | b'#' | b'*') {
        s += 1;
    }
    let mut e = end;
    while e < bytes.len() && bytes[e] != b'\n' {
        if is_boundary(e) {
            e += 1; // keep the period
            break;
        }
        e += 1;
    }
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    while !text.is_char_boundary(e) {
        e += 1;
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(text: &str, value: f64, label: &str) -> Option<(String, String)> {
        let found = spanish_numbers::find_numbers(text);
        locate(text, &found, value, label).map(|m| {
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
    fn absent_values_are_not_found() {
        assert_eq!(mention("Se hicieron 10 cirugías.", 11.0, "Cirugías"), None);
    }
}
