//! Comparing Spanish phrases as a reader would: "Cirugías" and "cirugias", "COVID-19" and
//! "covid 19" are the same words. A leaf used by validation (metric aliases, provenance) and
//! drafting, so that both read an indicator's words the same way.

/// Lowercase, without accents, words (letters and digits) joined by single spaces.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = match c {
            'á' | 'à' | 'ä' | 'â' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            other => other,
        };
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// The words of a folded text.
pub fn words(folded: &str) -> Vec<&str> {
    folded.split(' ').filter(|w| !w.is_empty()).collect()
}

/// Phrases to find in running text, each naming something by index: an indicator's label and
/// aliases (`metrics.yaml`). Matched word by word on folded text, so "Trasplantes de Riñón"
/// finds "trasplantes de riñon", and no word is cut: "camas" does not match "camaras".
#[derive(Debug, Clone, Default)]
pub struct Phrases {
    /// (folded words, what the phrase names)
    phrases: Vec<(Vec<String>, usize)>,
}

impl Phrases {
    /// `items`: (what the phrase names, the phrase as written). Empty phrases are skipped.
    pub fn new<'a>(items: impl IntoIterator<Item = (usize, &'a str)>) -> Phrases {
        let phrases = items
            .into_iter()
            .filter_map(|(id, text)| {
                let folded = fold(text);
                (!folded.is_empty()).then(|| (folded.split(' ').map(str::to_string).collect(), id))
            })
            .collect();
        Phrases { phrases }
    }

    /// Every phrase found in `words` (folded): (start word, length in words, what it names),
    /// by start, the longest first where two start at the same word.
    pub fn matches(&self, words: &[&str]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for i in 0..words.len() {
            for (phrase, id) in &self.phrases {
                if words.len() - i >= phrase.len()
                    && phrase.iter().zip(&words[i..]).all(|(a, b)| a == b)
                {
                    out.push((i, phrase.len(), *id));
                }
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(fold("Trasplantes de Riñón"), "trasplantes de riñon");
        assert_eq!(
            fold("  COVID-19, cérvico   uterino "),
            "covid 19 cervico uterino"
        );
        assert_eq!(fold("—"), "");
    }

    #[test]
    fn phrases_match_whole_folded_words() {
        let p = Phrases::new([
            (0, "Trasplantes de Riñón"),
            (1, "trasplantes"),
            (2, "camas"),
        ]);
        let text = fold("Se lograron 11 trasplantes de riñón en cámaras");
        let found = p.matches(&words(&text));
        assert_eq!(found, [(3, 3, 0), (3, 1, 1)]);
    }
}
