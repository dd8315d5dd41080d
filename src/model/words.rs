//! Comparing Spanish phrases as a reader would: "Cirugías" and "cirugias", "COVID-19" and
//! "covid 19" are the same words. A leaf used by validation (metric aliases) and drafting.

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

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(fold("Trasplantes de Riñón"), "trasplantes de riñon");
        assert_eq!(
            fold("  COVID-19, cérvico   uterino "),
            "covid 19 cervico uterino"
        );
        assert_eq!(fold("—"), "");
    }
}
