//! Places a sentence names, by their names in `content/places.yaml` (accents and case aside).
//! The longest name wins where names overlap ("Veracruz Sur" over "Veracruz").

use crate::load::schema::{PlaceKind, PlacesFile};
use crate::model::words::fold;

pub struct Places {
    /// (folded name as words, place id), longest names first.
    names: Vec<(Vec<String>, String)>,
    pub national: Option<String>,
}

impl Places {
    pub fn new(file: &PlacesFile) -> Places {
        let mut names: Vec<(Vec<String>, String)> = file
            .places
            .iter()
            // "Nacional" is a word of many names ("Jornada Nacional"); national scope is the
            // default instead of a match.
            .filter(|p| p.kind.value != PlaceKind::National)
            .map(|p| {
                let words = fold(&p.name.value).split(' ').map(str::to_string).collect();
                (words, p.id.value.clone())
            })
            .collect();
        names.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.1.cmp(&b.1)));
        let national = file
            .places
            .iter()
            .find(|p| p.kind.value == PlaceKind::National)
            .map(|p| p.id.value.clone());
        Places { names, national }
    }

    /// The places `text` names, in order of appearance, each once.
    pub fn named(&self, text: &str) -> Vec<String> {
        self.named_at(&fold(text).split(' ').collect::<Vec<_>>())
            .into_iter()
            .map(|(_, id)| id)
            .collect()
    }

    /// Places named in folded words, with the index of the word each starts at.
    pub fn named_at(&self, words: &[&str]) -> Vec<(usize, String)> {
        let mut out: Vec<(usize, String)> = Vec::new();
        let mut i = 0;
        while i < words.len() {
            let hit = self.names.iter().find(|(name, _)| {
                words.len() - i >= name.len() && name.iter().zip(&words[i..]).all(|(a, b)| a == b)
            });
            match hit {
                Some((name, id)) => {
                    if !out.iter().any(|(_, o)| o == id) {
                        out.push((i, id.clone()));
                    }
                    i += name.len();
                }
                None => i += 1,
            }
        }
        out
    }
}
