//! The Spanish-number reader and the sentence finder on arbitrary text.
#![no_main]

use cifras::model::words::Phrases;
use cifras::validate::{provenance, spanish_numbers};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let found = spanish_numbers::find_numbers(text);
    let sentences = provenance::Sentences::new(text);
    let phrases = Phrases::new([(0, "Cirugías de prueba"), (0, "cirugías"), (1, "consultas")]);
    for (k, f) in found.iter().enumerate() {
        assert!(f.start < f.end && f.end <= text.len(), "range inside the text");
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        let (s, e) = sentences.around(text, f.start, f.end);
        assert!(s <= f.start && f.end <= e && e <= text.len(), "the sentence holds the number");
        let _ = &text[s..e];
        // A bulletin looks up one value per figure: a few dozen, not one per number in the text.
        if k < 32 {
            let m = provenance::locate(text, &sentences, &found, f.value, 0, &phrases);
            assert!(m.is_some(), "a found value can be located");
            let m = m.unwrap();
            assert!(m.sentence.0 <= m.number.0 && m.number.1 <= m.sentence.1);
            let _ = provenance::quote(text, &m, 70);
        }
    }
});
