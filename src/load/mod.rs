//! Stage 1, **load**: read every file under `content/` and parse it into the `schema` types,
//! keeping source locations. All unreadable or unparsable files are reported together.

mod recover;
pub mod schema;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos, SourceFile};
use crate::files;
use recover::Shape;
use schema::{BulletinFile, MetricsFile, PlacesFile, SiteFile};

/// The lists in each file whose entries a failed parse reads one by one (see `recover`).
const BULLETIN: Shape = Shape {
    lists: &[(
        "reports",
        &Shape {
            lists: &[("figures", &Shape::LEAF)],
        },
    )],
};
const SITE: Shape = Shape {
    lists: &[("links", &Shape::LEAF)],
};
const METRICS: Shape = Shape {
    lists: &[("metrics", &Shape::LEAF)],
};
const PLACES: Shape = Shape {
    lists: &[("places", &Shape::LEAF)],
};

/// Content files larger than this are refused: a bulletin is a few kilobytes, and a huge file
/// is a mistake (or an attack) that should not take the build down.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A parsed file together with its text, so later stages can quote it in messages.
#[derive(Debug, Clone)]
pub struct Loaded<T> {
    pub file: SourceFile,
    pub data: T,
}

#[derive(Debug, Clone)]
pub struct BulletinSource {
    /// The file stem, which becomes the bulletin's URL slug.
    pub slug: String,
    /// A hash of the slug and both files' text: what the bulletin is made from.
    pub fingerprint: u64,
    pub yaml: Loaded<BulletinFile>,
    /// The bulletin text (Markdown).
    pub text: SourceFile,
}

/// Everything in `content/`, parsed but not yet checked for meaning.
#[derive(Debug)]
pub struct Sources {
    pub site: Loaded<SiteFile>,
    pub metrics: Loaded<MetricsFile>,
    pub places: Loaded<PlacesFile>,
    /// Sorted by slug.
    /// Shared, so `serve` keeps unchanged bulletins between rebuilds without copying them.
    pub bulletins: Vec<Arc<BulletinSource>>,
}

/// Read and parse `<root>/content`. Paths in messages are relative to `root`.
pub fn load(root: &Path) -> Result<(Sources, Diagnostics), Diagnostics> {
    load_with(root, None)
}

/// `load`, reusing from `memo` the bulletins whose files did not change (for `serve`).
pub fn load_with(
    root: &Path,
    memo: Option<&crate::memo::Memo>,
) -> Result<(Sources, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let content = Path::new("content");
    match files::dir_exists(&root.join(content)) {
        Ok(true) => {}
        Ok(false) => {
            diags.push(
                Diagnostic::file_error(content, "content directory not found").with_hint(format!(
                    "run cifras from the project folder or pass --root; looked in {}",
                    root.join(content).display()
                )),
            );
            return Err(diags);
        }
        Err(e) => {
            diags.push(refused(content, &e));
            return Err(diags);
        }
    }
    let site = parse_file::<SiteFile>(root, &content.join("site.yaml"), &SITE, &mut diags);
    let metrics =
        parse_file::<MetricsFile>(root, &content.join("metrics.yaml"), &METRICS, &mut diags);
    let places = parse_file::<PlacesFile>(root, &content.join("places.yaml"), &PLACES, &mut diags);
    let bulletins = load_bulletins(root, &content.join("bulletins"), memo, &mut diags);

    // A broken bulletin file is reported, and its parts that were read whole are validated
    // with the other bulletins, so one typo does not hide the problems elsewhere. Without the
    // catalogues nothing can be checked: every metric and place would look unknown. The
    // bulletins were still read above, so their own parse errors are reported anyway.
    match (site, metrics, places) {
        (Some(site), Some(metrics), Some(places)) => Ok((
            Sources {
                site,
                metrics,
                places,
                bulletins,
            },
            diags,
        )),
        _ => Err(diags),
    }
}

fn load_bulletins(
    root: &Path,
    dir: &Path,
    memo: Option<&crate::memo::Memo>,
    diags: &mut Diagnostics,
) -> Vec<Arc<BulletinSource>> {
    match files::dir_exists(&root.join(dir)) {
        Ok(true) => {}
        Err(e) => {
            diags.push(refused(dir, &e));
            return Vec::new();
        }
        Ok(false) => {
            diags.push(
                Diagnostic::file_error(dir, "bulletins directory not found")
                    .with_hint("create it and add one <slug>.yaml + <slug>.md pair per bulletin"),
            );
            return Vec::new();
        }
    }
    // First the listing (cheap, in order), then the reading and parsing in parallel.
    let mut jobs: Vec<(String, PathBuf, PathBuf)> = Vec::new();
    let walker = WalkDir::new(root.join(dir))
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::file_error(dir, format!("cannot list: {e}")));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().to_string();
        let rel = dir.join(&name);
        if name.starts_with('.') || name.ends_with('~') {
            continue; // editor and OS litter
        }
        if entry.file_type().is_symlink() {
            diags.push(refused(&rel, &files::Refused::Link));
            continue;
        }
        if !entry.file_type().is_file() {
            diags.push(
                Diagnostic::file_error(&rel, "not a regular file")
                    .with_hint("bulletins are flat <slug>.yaml + <slug>.md pairs; subfolders and links are not read"),
            );
            continue;
        }
        let Some((slug, ext)) = name.rsplit_once('.') else {
            diags.push(unexpected_file(&rel));
            continue;
        };
        match ext {
            "yaml" => {
                let text_rel = dir.join(format!("{slug}.md"));
                match files::file_exists(&root.join(&text_rel)) {
                    Ok(true) => {}
                    // A link or folder: reported under its own name by this loop.
                    Err(_) => continue,
                    Ok(false) => {
                        diags.push(
                        Diagnostic::file_error(&rel, format!("bulletin text `{}` is missing", text_rel.display()))
                            .with_hint("every bulletin needs its Markdown text beside its data: create the .md file with the bulletin's text"),
                    );
                        continue;
                    }
                }
                jobs.push((slug.to_string(), rel, text_rel));
            }
            "md" => {
                let data = root.join(dir).join(format!("{slug}.yaml"));
                if matches!(files::file_exists(&data), Ok(false)) {
                    diags.push(
                        Diagnostic::file_error(&rel, "bulletin text has no data file").with_hint(
                            format!(
                            "create `{slug}.yaml` beside it (cifras reads only .yaml, not .yml)"
                        ),
                        ),
                    );
                }
            }
            "yml" => diags.push(
                Diagnostic::file_error(&rel, "bulletin data files must end in .yaml")
                    .with_hint(format!("rename it to `{slug}.yaml`")),
            ),
            _ => diags.push(unexpected_file(&rel)),
        }
    }
    let parsed: Vec<(Option<Arc<BulletinSource>>, Diagnostics)> = jobs
        .into_par_iter()
        .map(|(slug, rel, text_rel)| {
            use std::hash::{Hash, Hasher};
            let mut found = Diagnostics::default();
            let read = |found: &mut Diagnostics| {
                let yaml = read_text(root, &rel, found);
                let text = read_text(root, &text_rel, found);
                let (yaml, text) = (yaml?, text?);
                let mut h = std::collections::hash_map::DefaultHasher::new();
                (&slug, &yaml.text, &text.text).hash(&mut h);
                let fingerprint = h.finish();
                let yaml = parse_source::<BulletinFile>(yaml, &BULLETIN, found)?;
                if found.has_errors() && yaml.data.reports.is_empty() {
                    // Every report was broken: validating the rest would only add "the
                    // bulletin has no reports" to the messages that say why.
                    return None;
                }
                Some(Arc::new(BulletinSource {
                    slug: slug.clone(),
                    fingerprint,
                    yaml,
                    text,
                }))
            };
            let source = match memo {
                // Unchanged files (same size and modification time) are not even read again.
                Some(memo) => {
                    let stamp = |p: &Path| {
                        fs::metadata(root.join(p))
                            .ok()
                            .map(|m| (m.len(), m.modified().ok()))
                    };
                    let mut h = std::collections::hash_map::DefaultHasher::new();
                    (&rel, stamp(&rel), stamp(&text_rel)).hash(&mut h);
                    // A bulletin with parse errors is not kept: its messages must be given
                    // again on every rebuild, and the memo keeps only the parsed files.
                    let mut partial = None;
                    let kept = memo.source(h.finish(), || {
                        let source = read(&mut found);
                        if found.has_errors() {
                            partial = source;
                            return None;
                        }
                        source
                    });
                    kept.or(partial)
                }
                None => read(&mut found),
            };
            (source, found)
        })
        .collect();
    let mut bulletins = Vec::new();
    for (source, found) in parsed {
        diags.extend(found);
        bulletins.extend(source);
    }
    bulletins
}

/// A file or folder not read (a link, too large, unreadable), with what to do about it.
fn refused(rel: &Path, e: &files::Refused) -> Diagnostic {
    let d = Diagnostic::file_error(rel, e.to_string());
    match e {
        files::Refused::Link => {
            d.with_hint("replace the link with the file itself (copy it into the project)")
        }
        files::Refused::TooLarge(..) => {
            d.with_hint("a bulletin is a few kilobytes: check that this is the right file")
        }
        _ => d,
    }
}

fn unexpected_file(rel: &Path) -> Diagnostic {
    Diagnostic::file_error(rel, "unexpected file in the bulletins folder")
        .with_hint("only <slug>.yaml and <slug>.md files belong here")
}

/// Read a UTF-8 text file, refusing huge files and reporting the first invalid byte's position.
fn read_text(root: &Path, rel: &Path, diags: &mut Diagnostics) -> Option<SourceFile> {
    let bytes = match files::read(&root.join(rel), MAX_FILE_BYTES) {
        Ok(b) => b,
        Err(e) => {
            diags.push(refused(rel, &e));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3); // a byte-order mark is harmless; drop it
            }
            Some(SourceFile::new(rel, text))
        }
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let file = SourceFile::new(rel, String::from_utf8_lossy(valid).into_owned());
            diags.push(
                file.error(file.pos_at(file.text.len()), "invalid UTF-8")
                    .with_hint("save the file as UTF-8 (the text may be Latin-1 or Windows-1252)"),
            );
            None
        }
    }
}

/// Read and deserialize one catalogue; on failure, record every problem found in it. A
/// catalogue is used only whole: with a part missing, every reference to it would be an error.
fn parse_file<T: DeserializeOwned>(
    root: &Path,
    rel: &Path,
    shape: &'static Shape,
    diags: &mut Diagnostics,
) -> Option<Loaded<T>> {
    match files::file_exists(&root.join(rel)) {
        Ok(true) => {}
        Ok(false) => {
            diags.push(
                Diagnostic::file_error(rel, "required file is missing")
                    .with_hint("see README.md, section \"Contenido\", for what it must contain"),
            );
            return None;
        }
        Err(e) => {
            diags.push(refused(rel, &e));
            return None;
        }
    }
    let file = read_text(root, rel, diags)?;
    let mut found = Diagnostics::default();
    let parsed = parse_source(file, shape, &mut found);
    let whole = !found.has_errors();
    diags.extend(found);
    parsed.filter(|_| whole)
}

/// Deserialize a file already read. On failure, record every problem found in it (see
/// `recover`) and return the parts that were read whole, if its top-level fields were.
fn parse_source<T: DeserializeOwned>(
    file: SourceFile,
    shape: &'static Shape,
    diags: &mut Diagnostics,
) -> Option<Loaded<T>> {
    let rel = file.path.clone();
    let rel = rel.as_path();
    if file.text.trim().is_empty() {
        diags.push(Diagnostic::file_error(rel, "file is empty").with_hint(
            "it must be a YAML mapping; see the files in the bundled content/ for an example",
        ));
        return None;
    }
    let (data, problems) = parse_or_recover::<T>(&file.text, shape);
    for (pos, message, hint) in problems {
        let mut d = file.error(pos, message);
        d.hint = hint;
        diags.push(d);
    }
    Some(Loaded { file, data: data? })
}

/// A located problem in a YAML file: where, what (in plain words), and what to do.
pub type Problem = (Pos, String, Option<String>);

/// A bulletin's YAML as `load` reads it: the whole file, else every problem in it and the
/// parts read whole (what the fuzz target exercises, recovery included).
pub fn parse_bulletin(text: &str) -> (Option<BulletinFile>, Vec<Problem>) {
    parse_or_recover(text, &BULLETIN)
}

/// The whole file; else, after the first error, every problem (see `recover`).
fn parse_or_recover<T: DeserializeOwned>(
    text: &str,
    shape: &'static Shape,
) -> (Option<T>, Vec<Problem>) {
    match parse_str::<T>(text) {
        Ok(data) => (Some(data), Vec::new()),
        Err(first) => recover::parse_parts::<T>(text, shape, first),
    }
}

/// serde-saphyr's options: its input budgets (alias bombs, deep nesting) left on.
fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    options.with_snippet = false; // we render our own snippet, the same for every message
    options
}

/// Deserialize YAML with serde-saphyr's input budgets (alias bombs, deep nesting) left on.
pub fn parse_str<T: DeserializeOwned>(text: &str) -> Result<T, Problem> {
    serde_saphyr::from_str_with_options::<T>(text, options()).map_err(|e| describe(text, &e, None))
}

/// A deserialization error as a located problem in plain words; `at` when the error's own
/// location is not the place to point at.
fn describe(text: &str, e: &serde_saphyr::Error, at: Option<Pos>) -> Problem {
    use serde_saphyr::MessageFormatter;
    let mut pos = at
        .or_else(|| e.location().map(|l| Pos::of(&l)))
        .unwrap_or(Pos::new(1, 1));
    let line = text
        .lines()
        .nth(pos.line.saturating_sub(1) as usize)
        .unwrap_or("");
    // Control characters would garble the terminal; everything else is shown as written.
    let mut message: String = serde_saphyr::UserMessageFormatter
        .format_message(e.without_snippet())
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if message.contains("tab") {
        if let Some(i) = line.find('\t') {
            pos.col = line[..i].chars().count() as u32 + 1; // point at the tab itself
        }
    }
    // What is written there, unless the complaint is about something not written at all.
    let token = token_at(line, pos.col);
    if !token.is_empty()
        && token.len() <= 80
        && !message.contains(token)
        && !message.starts_with("missing field")
    {
        message = format!("{message} (found `{token}`)");
    }
    let hint = hint_for(&message);
    (pos, plain(&message), hint)
}

/// serde's wording in plain words: "unknown variant `x`, expected one of a, b" becomes "`x` is
/// not one of the values accepted here: a, b" (and the same for fields and missing fields).
fn plain(message: &str) -> String {
    let rewrite = |prefix: &str, what: &str| -> Option<String> {
        let rest = message.strip_prefix(prefix)?;
        let (name, tail) = rest.split_once(", expected ")?;
        let choices = tail.strip_prefix("one of ").unwrap_or(tail);
        Some(format!(
            "{name} is not one of the {what} accepted here: {choices}"
        ))
    };
    if let Some(m) = rewrite("unknown variant ", "values") {
        return m;
    }
    if let Some(m) = rewrite("unknown field ", "fields") {
        return m;
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return format!("the field {rest} is missing");
    }
    // The YAML reader's words for a value of the wrong shape, in the maintainer's words.
    const SHAPES: [(&str, &str); 7] = [
        (
            "expected string scalar",
            "expected text here, e.g. \"154/2022\"",
        ),
        (
            "expected sequence start",
            "expected a list here, e.g. `[nacional]`",
        ),
        (
            "expected mapping start",
            "expected fields here, e.g. `{ metric: surgeries, value: 153 }`",
        ),
        ("invalid boolean", "expected `true` or `false`"),
        ("invalid u8", "expected a whole number (0 to 255)"),
        ("invalid u32", "expected a whole non-negative number"),
        ("invalid u64", "expected a whole non-negative number"),
    ];
    for (jargon, words) in SHAPES {
        if let Some(rest) = message.strip_prefix(jargon) {
            return format!("{words}{rest}");
        }
    }
    message.to_string()
}

/// The scalar written at a 1-based column, for quoting it in messages.
fn token_at(line: &str, col: u32) -> &str {
    let start = line
        .char_indices()
        .nth(col.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let end = rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']' | '#'))
        .unwrap_or(rest.len());
    rest[..end].trim_end_matches(':')
}

fn hint_for(message: &str) -> Option<String> {
    let m = message.to_lowercase();
    let hint = if m.contains("unknown field") {
        "check the spelling against the fields listed; see README.md for the format"
    } else if m.contains("missing field") {
        "add the field; see README.md for the format and an example"
    } else if m.contains("tab") {
        "YAML indentation must use spaces, not tabs"
    } else if m.contains("budget") || m.contains("alias") || m.contains("depth") {
        "the file is too deeply nested or uses too many aliases; write the values out plainly"
    } else if m.contains("unknown variant") {
        "use one of the values listed"
    } else if m.contains("invalid u64") || m.contains("invalid u8") {
        "write a whole non-negative number below 2^64, digits only"
    } else if m.contains("duplicate") {
        "a key may appear once per mapping; remove or merge the repeated one"
    } else {
        return None;
    };
    Some(hint.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_bomb_is_stopped_by_the_budget_even_when_any_shape_is_accepted() {
        // "Billion laughs": 9 levels of 9 aliases expand to 9^9 strings if nothing stops them.
        let mut yaml = String::from(
            "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for i in 1..10 {
            let p = i - 1;
            yaml.push_str(&format!(
                "a{i}: &a{i} [*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p},*a{p}]\n"
            ));
        }
        let started = std::time::Instant::now();
        let result = parse_str::<serde::de::IgnoredAny>(&yaml);
        assert!(result.is_err(), "the expansion must be refused");
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn serde_wording_becomes_plain() {
        assert_eq!(
            plain("unknown variant `nearly`, expected one of more_than, about, almost"),
            "`nearly` is not one of the values accepted here: more_than, about, almost"
        );
        assert_eq!(
            plain("unknown field `titel`, expected one of title, kicker"),
            "`titel` is not one of the fields accepted here: title, kicker"
        );
        assert_eq!(
            plain("missing field `title`"),
            "the field `title` is missing"
        );
        assert_eq!(plain("invalid type"), "invalid type");
        assert_eq!(
            plain("expected sequence start (found `camas`)"),
            "expected a list here, e.g. `[nacional]` (found `camas`)"
        );
        assert_eq!(
            plain("invalid boolean (found `yes`)"),
            "expected `true` or `false` (found `yes`)"
        );
    }

    #[test]
    fn messages_quote_what_was_written() {
        #[derive(Debug, serde::Deserialize)]
        struct T {
            #[allow(dead_code)]
            value: schema::Number,
        }
        let (pos, message, _) = parse_str::<T>("value: \"6,552,794\"\n").unwrap_err();
        assert_eq!(pos, Pos::new(1, 8));
        assert!(
            message.contains("found the text \"6,552,794\""),
            "{message}"
        );
        assert!(!message.contains('\\'), "{message}");
    }
}
