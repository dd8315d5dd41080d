//! Finding every problem in a YAML file that does not deserialize, not just the first.
//!
//! serde stops at the first error, so a file with a typo in one figure and a wrong value in
//! another would need two runs to show both, and the good parts of the file would not be
//! checked by `validate` at all. When a file fails, `parse_parts` deserializes it again, as many
//! times as it takes, each time skipping the parts already found broken:
//!
//! - an unknown key, or a key whose value is wrong, is skipped so the rest of its mapping is
//!   still read; the entry holding it is marked broken;
//! - an entry of one of the lists named in its `Shape` (a bulletin's `reports:` and each report's
//!   `figures:`, a catalogue's `metrics:` or `places:`) that cannot be read at all (a missing
//!   field, not a mapping) is skipped as a whole.
//!
//! Every pass reads the whole text with the real deserializer, so each message has the exact
//! line and column and the same wording as a single parse; `IgnoredAny` skips the broken parts.
//! Each problem is found once: its place is skipped in every later pass, and a missing field
//! that is only the echo of an earlier problem (its value was wrong, or it is the field a
//! misspelt key meant) is not reported again. When the passes end, broken entries are left out,
//! so what is returned holds only parts that were read whole and can go on to `validate`.
//!
//! A YAML *syntax* error (an unclosed quote, bad indentation) or input over the parser's
//! budgets (nesting, aliases) cannot be skipped: the parser cannot tell where the broken part
//! ends, so nothing after it can be read. Then the file's first error is reported, as before.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer, StringDeserializer};
use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_saphyr::{Location, Spanned};

use super::{describe, options, Problem};
use crate::diagnostics::{did_you_mean, Pos};

/// Which keys of a mapping hold lists of mappings that can be read entry by entry.
pub struct Shape {
    pub lists: &'static [(&'static str, &'static Shape)],
}

impl Shape {
    /// A mapping with no such lists.
    pub const LEAF: Shape = Shape { lists: &[] };

    fn list(&self, key: &str) -> Option<&'static Shape> {
        self.lists.iter().find(|(k, _)| *k == key).map(|(_, s)| *s)
    }
}

/// After this many problems the file is given up on: a maintainer has enough to fix (a
/// bulletin has a few dozen figures), and each problem costs up to three passes over the text
/// (the problem, the missing field it leaves behind, the last read without its entry).
const MAX_PROBLEMS: usize = 100;

/// How much text all the passes together may read: a bulletin of a few kilobytes is never
/// stopped by it, a hostile file of megabytes is after a few passes. Passes read at worst about
/// 10 MB a second (release build, a 0.8 MB file of 15,000 one-line figures: 40 passes in 3.2 s),
/// so a broken file adds at most a few seconds to a check.
const MAX_BYTES_READ: usize = 32 << 20;

/// A step from a mapping to one of its keys, or from a list to one of its entries.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Key(String),
    Entry(usize),
}

type Path = Vec<Step>;

fn child(path: &Path, step: Step) -> Path {
    let mut p = path.clone();
    p.push(step);
    p
}

/// What failed, found by the innermost adapter that saw the error.
#[derive(Debug)]
enum Failed {
    /// A key that is not a field here, written at this location.
    Key(Location),
    /// The value of a key.
    Value,
    /// A mapping as a whole: a missing field (then the location of its first key, where the
    /// entry starts), or not a mapping at all.
    Mapping(Option<Location>),
}

/// What one pass skips, and what it found.
#[derive(Default)]
struct Mask {
    /// Keys and list entries the pass reads as `IgnoredAny`.
    skipped: BTreeSet<Path>,
    failure: RefCell<Option<(Path, Failed)>>,
}

impl Mask {
    /// Record where an error arose; the innermost adapter sees it first and wins.
    fn fail(&self, path: Path, what: Failed) {
        self.failure.borrow_mut().get_or_insert((path, what));
    }
}

/// Deserialize `text` as `T` part by part after a whole parse failed with `first`. Returns
/// every problem, in the order of the text, and the parts that were read whole (`None` when
/// the top-level mapping itself is broken or the YAML is unreadable).
pub(super) fn parse_parts<T: DeserializeOwned>(
    text: &str,
    shape: &'static Shape,
    first: Problem,
) -> (Option<T>, Vec<Problem>) {
    parse_parts_reading::<T>(text, shape, first, MAX_BYTES_READ)
}

/// `parse_parts`, reading at most `max_read` bytes in all.
fn parse_parts_reading<T: DeserializeOwned>(
    text: &str,
    shape: &'static Shape,
    first: Problem,
    max_read: usize,
) -> (Option<T>, Vec<Problem>) {
    // Skipping a part relies on the parser finding where it ends: only sound on valid YAML.
    // Unreadable YAML is reported as a single parse reports it (that may be a data error
    // before the syntax error, which the next run then shows).
    if serde_saphyr::from_str_with_options::<IgnoredAny>(text, options()).is_err() {
        return (None, vec![first]);
    }
    let mut mask = Mask::default();
    let mut problems = Vec::new();
    // Keys dropped because their value was wrong, and misspelt keys by the mapping holding
    // them: a "missing field" they explain is an echo, not a new problem.
    let mut wrong_values: BTreeSet<Path> = BTreeSet::new();
    let mut unknown_keys: BTreeMap<Path, Vec<String>> = BTreeMap::new();
    // Entries with a problem of their own, left out of the result.
    let mut broken: BTreeSet<Path> = BTreeSet::new();
    let mut read = 0;
    while problems.len() < MAX_PROBLEMS && read < max_read {
        read += text.len().max(1);
        let outcome = serde_saphyr::with_deserializer_from_str_with_options(text, options(), |d| {
            Mapping {
                seed: PhantomData::<T>,
                path: Vec::new(),
                shape,
                mask: &mask,
            }
            .deserialize(d)
        });
        let error = match outcome {
            Ok(_) if broken.contains(&Vec::new()) => return (None, problems),
            Ok(data) if broken.is_subset(&mask.skipped) => return (Some(data), problems),
            Ok(_) => {
                // Read once more without the broken entries, so none of them is returned.
                mask.skipped.extend(broken.iter().cloned());
                continue;
            }
            Err(e) => e,
        };
        let Some((path, failed)) = mask.failure.take() else {
            problems.push(describe(text, &error, None));
            return (None, problems);
        };
        if mask.skipped.contains(&path) {
            // Cannot happen (a skipped part is not read), but must never loop.
            problems.push(describe(text, &error, None));
            return (None, problems);
        }
        let (at, problem) = match failed {
            Failed::Key(loc) => (path.len() - 1, describe(text, &error, Some(Pos::of(&loc)))),
            Failed::Value => (path.len() - 1, describe(text, &error, None)),
            Failed::Mapping(first) => (
                path.len(),
                describe(text, &error, first.map(|l| Pos::of(&l))),
            ),
        };
        let entry: Path = path[..at].to_vec();
        match failed {
            Failed::Key(_) => {
                if let Some(Step::Key(k)) = path.last() {
                    unknown_keys
                        .entry(entry.clone())
                        .or_default()
                        .push(k.clone());
                }
            }
            Failed::Value => {
                wrong_values.insert(path.clone());
            }
            Failed::Mapping(_) => {}
        }
        let echo = matches!(failed, Failed::Mapping(_))
            && missing_field(&error).is_some_and(|f| {
                wrong_values.contains(&child(&entry, Step::Key(f.clone())))
                    || unknown_keys.get(&entry).is_some_and(|keys| {
                        did_you_mean(&f, keys.iter().map(|k| k.as_str())).is_some()
                    })
            });
        if !echo {
            problems.push(problem);
        }
        if path.is_empty() {
            return (None, problems); // the top-level mapping cannot be read
        }
        broken.insert(entry);
        mask.skipped.insert(path);
    }
    let last = problems.last().map_or(Pos::new(1, 1), |p| p.0);
    problems.push((
        last,
        format!(
            "stopped after {} problems in this file; there may be more",
            problems.len()
        ),
        Some("fix these and run again".to_string()),
    ));
    (None, problems)
}

/// The field named by a "missing field" error.
fn missing_field(e: &serde_saphyr::Error) -> Option<String> {
    let text = e.without_snippet().to_string();
    let rest = &text[text.find("missing field `")? + "missing field `".len()..];
    Some(rest[..rest.find('`')?].to_string())
}

/// A mapping at `path`, deserialized as `seed` wants but through `Fields`.
struct Mapping<'m, S> {
    seed: S,
    path: Path,
    shape: &'static Shape,
    mask: &'m Mask,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Mapping<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        let (mask, path) = (self.mask, self.path.clone());
        d.deserialize_map(self)
            .inspect_err(|_| mask.fail(path, Failed::Mapping(None)))
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for Mapping<'_, S> {
    type Value = S::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<S::Value, A::Error> {
        let first = Cell::new(None);
        let (mask, path) = (self.mask, self.path.clone());
        self.seed
            .deserialize(MapAccessDeserializer::new(Fields {
                inner: map,
                path: self.path,
                shape: self.shape,
                mask: self.mask,
                key: String::new(),
                first: &first,
            }))
            .inspect_err(|_| mask.fail(path, Failed::Mapping(first.get())))
    }
}

/// A mapping's keys and values, minus the skipped ones; records where an error arose.
struct Fields<'m, A> {
    inner: A,
    path: Path,
    shape: &'static Shape,
    mask: &'m Mask,
    /// The key whose value comes next.
    key: String,
    /// Where the mapping's first key is written.
    first: &'m Cell<Option<Location>>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Fields<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.inner.next_key::<Spanned<String>>()? else {
                return Ok(None);
            };
            if self.first.get().is_none() {
                self.first.set(Some(key.referenced));
            }
            let path = child(&self.path, Step::Key(key.value.clone()));
            if self.mask.skipped.contains(&path) {
                self.inner.next_value::<IgnoredAny>()?;
                continue;
            }
            self.key = key.value.clone();
            return seed
                .deserialize(StringDeserializer::<A::Error>::new(key.value))
                .map(Some)
                .inspect_err(|_| self.mask.fail(path, Failed::Key(key.referenced)));
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        let path = child(&self.path, Step::Key(std::mem::take(&mut self.key)));
        let Some(Step::Key(key)) = path.last() else {
            unreachable!("the path ends with the key just pushed")
        };
        match self.shape.list(key) {
            Some(shape) => self.inner.next_value_seed(List {
                seed,
                path: path.clone(),
                shape,
                mask: self.mask,
            }),
            None => self.inner.next_value_seed(seed),
        }
        .inspect_err(|_| self.mask.fail(path, Failed::Value))
    }
}

/// A list of mappings at `path`, deserialized as `seed` wants but through `Entries`.
struct List<'m, S> {
    seed: S,
    path: Path,
    shape: &'static Shape,
    mask: &'m Mask,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for List<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, S: DeserializeSeed<'de>> Visitor<'de> for List<'_, S> {
    type Value = S::Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<S::Value, A::Error> {
        self.seed.deserialize(SeqAccessDeserializer::new(Entries {
            inner: seq,
            path: self.path,
            shape: self.shape,
            mask: self.mask,
            next: 0,
        }))
    }
}

/// A list's entries, minus the skipped ones, each read through `Mapping`.
struct Entries<'m, A> {
    inner: A,
    path: Path,
    shape: &'static Shape,
    mask: &'m Mask,
    /// The index of the next entry in the text (skipped ones included).
    next: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Entries<'_, A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        loop {
            let path = child(&self.path, Step::Entry(self.next));
            self.next += 1;
            if !self.mask.skipped.contains(&path) {
                return self.inner.next_element_seed(Mapping {
                    seed,
                    path,
                    shape: self.shape,
                    mask: self.mask,
                });
            }
            if self.inner.next_element::<IgnoredAny>()?.is_none() {
                return Ok(None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse_str;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        name: Spanned<String>,
        #[serde(default)]
        #[allow(dead_code)] // read only to check its type
        note: Option<String>,
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Item {
        id: String,
        parts: Vec<Part>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Part {
        n: u32,
    }

    const SHAPE: Shape = Shape {
        lists: &[(
            "items",
            &Shape {
                lists: &[("parts", &Shape::LEAF)],
            },
        )],
    };

    /// The problems as (line, column, message), and the parts read whole.
    fn parts(text: &str) -> (Option<Doc>, Vec<(u32, u32, String)>) {
        let first = parse_str::<Doc>(text).expect_err("the text is broken");
        let (doc, problems) = parse_parts::<Doc>(text, &SHAPE, first);
        let problems = problems
            .into_iter()
            .map(|(p, m, _)| (p.line, p.col, m))
            .collect();
        (doc, problems)
    }

    fn ids(doc: &Doc) -> Vec<(String, Vec<u32>)> {
        doc.items
            .iter()
            .map(|i| (i.id.clone(), i.parts.iter().map(|p| p.n).collect()))
            .collect()
    }

    #[test]
    fn every_broken_part_is_reported_once_and_the_rest_is_returned() {
        let text = "name: x
items:
  - id: a
    parts:
      - n: 1
      - n: minus
      - n: 3
  - id: b
    parts:
      - m: 4
  - id: c
    parts: [{n: 5}, {n: six}]
";
        let (doc, problems) = parts(text);
        let at: Vec<(u32, u32)> = problems.iter().map(|p| (p.0, p.1)).collect();
        // The misspelt `m` is one message, not also "the field `n` is missing".
        assert_eq!(at, [(6, 12), (10, 9), (12, 25)], "{problems:?}");
        assert!(problems[0].2.contains("minus"), "{problems:?}");
        assert!(
            problems[1].2.contains("`m` is not one of the fields"),
            "{problems:?}"
        );
        assert!(problems[2].2.contains("six"), "{problems:?}");
        let doc = doc.expect("the top level parsed");
        assert_eq!(
            ids(&doc),
            [
                ("a".to_string(), vec![1, 3]),
                ("b".to_string(), vec![]),
                ("c".to_string(), vec![5])
            ]
        );
        // What was kept keeps its real location.
        assert_eq!(
            (doc.name.referenced.line(), doc.name.referenced.column()),
            (1, 7)
        );
    }

    #[test]
    fn an_entry_missing_a_field_is_left_out_and_located_where_it_starts() {
        let text = "name: x
items:
  - id: a
    parts: []
  - parts:
      - n: 2
  - id: c
    parts: []
";
        let (doc, problems) = parts(text);
        assert_eq!(problems, [(5, 5, "the field `id` is missing".to_string())]);
        assert_eq!(
            ids(&doc.unwrap()),
            [("a".to_string(), vec![]), ("c".to_string(), vec![])]
        );
    }

    #[test]
    fn a_wrong_value_is_not_also_a_missing_field_and_its_entry_is_left_out() {
        let text = "name: x
items:
  - id: [a]
    parts:
      - n: 1
      - n: -1
  - id: b
    parts: []
";
        let (doc, problems) = parts(text);
        let at: Vec<(u32, u32)> = problems.iter().map(|p| (p.0, p.1)).collect();
        // The entry's other problems are still found; the entry itself is not returned.
        assert_eq!(at, [(3, 9), (6, 12)], "{problems:?}");
        assert_eq!(ids(&doc.unwrap()), [("b".to_string(), vec![])]);
    }

    #[test]
    fn a_broken_top_level_returns_nothing_but_every_problem() {
        let text = "nam: x
note: [1, 2]
items:
  - id: a
    parts: [{n: x}]
";
        let (doc, problems) = parts(text);
        let at: Vec<(u32, u32)> = problems.iter().map(|p| (p.0, p.1)).collect();
        assert_eq!(at, [(1, 1), (2, 7), (5, 17)], "{problems:?}");
        assert!(doc.is_none());
    }

    #[test]
    fn unreadable_yaml_gives_its_first_error_only() {
        let text = "name: x
items:
  - id: a
    parts: [{n: x}]
  - id: \"b
    parts: []
";
        let (doc, problems) = parts(text);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(doc.is_none());
    }

    #[test]
    fn passes_are_bounded() {
        let mut text = String::from("name: x\nitems:\n  - id: a\n    parts:\n");
        for _ in 0..(MAX_PROBLEMS + 50) {
            text.push_str("      - n: x\n");
        }
        let (doc, problems) = parts(&text);
        assert!(doc.is_none());
        assert_eq!(problems.len(), MAX_PROBLEMS + 1);
        assert!(problems[MAX_PROBLEMS].2.contains("there may be more"));
    }

    #[test]
    fn a_large_file_is_read_a_bounded_number_of_times() {
        let mut text = String::from("name: x\nitems:\n  - id: a\n    parts:\n");
        for _ in 0..20 {
            text.push_str("      - n: x\n");
        }
        let first = parse_str::<Doc>(&text).unwrap_err();
        // Room for ten passes: some problems, then the notice, never all twenty.
        let (doc, problems) = parse_parts_reading::<Doc>(&text, &SHAPE, first, 10 * text.len());
        assert!(doc.is_none());
        assert!((2..=11).contains(&problems.len()), "{problems:?}");
        assert!(problems.last().unwrap().1.contains("there may be more"));
    }
}
