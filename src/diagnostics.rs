//! Located problems (`path:line:col: error: message`), collected across the whole run so a
//! maintainer sees every mistake at once instead of fixing them one build at a time.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file, 1-based. `line == 0` means "the file as a whole".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub fn new(line: u32, col: u32) -> Self {
        Pos { line, col }
    }

    pub fn of(loc: &serde_saphyr::Location) -> Self {
        Pos::new(loc.line() as u32, loc.column() as u32)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the project root when possible).
    pub path: PathBuf,
    pub pos: Pos,
    pub message: String,
    pub hint: Option<String>,
    /// The offending source line, for the snippet under the message.
    pub source_line: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = self.path.to_string_lossy();
        let path = escape_controls(&path);
        let message = escape_controls(&self.message);
        if self.pos.line == 0 {
            write!(f, "{path}: {level}: {message}")?;
        } else {
            write!(
                f,
                "{path}:{}:{}: {level}: {message}",
                self.pos.line, self.pos.col
            )?;
        }
        if let Some(line) = &self.source_line {
            let num = self.pos.line.to_string();
            let pad = " ".repeat(num.len());
            // Columns count characters; tabs are kept so the caret lines up under them, and an
            // escaped character is as wide as its escape.
            let caret_pad: String = line
                .chars()
                .take(self.pos.col.saturating_sub(1) as usize)
                .map(|c| match c {
                    '\t' => "\t".to_string(),
                    c => " ".repeat(escape_controls(c.encode_utf8(&mut [0; 4])).chars().count()),
                })
                .collect();
            let line = escape_controls(line);
            write!(f, "\n{pad} |\n{num} | {line}\n{pad} | {caret_pad}^")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {}", escape_controls(hint))?;
        }
        Ok(())
    }
}

/// `text` with every control character but the tab written as an escape (`\u{1b}`): content
/// is quoted in messages, and a terminal must show an escape sequence, not obey it (clear the
/// screen, retitle the window, fake a success line). Unicode bidirectional controls are
/// escaped too, as they can reorder what a reader sees.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if unsafe_char(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// A text file whose lines diagnostics can quote.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Path shown in messages.
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        SourceFile {
            path: path.into(),
            text: text.into(),
        }
    }

    pub fn line(&self, line: u32) -> Option<String> {
        if line == 0 {
            return None;
        }
        self.text
            .lines()
            .nth(line as usize - 1)
            .map(|l| l.trim_end_matches('\r').to_string())
    }

    /// The line and column (in characters) of a byte offset into the text.
    pub fn pos_at(&self, offset: usize) -> Pos {
        let mut at = offset.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        let before = &self.text[..at];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Pos::new(line as u32, col as u32)
    }

    pub fn error(&self, pos: Pos, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Error, pos, message)
    }

    pub fn warning(&self, pos: Pos, message: impl Into<String>) -> Diagnostic {
        self.diagnostic(Severity::Warning, pos, message)
    }

    fn diagnostic(&self, severity: Severity, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity,
            path: self.path.clone(),
            pos,
            message: message.into(),
            hint: None,
            source_line: self.line(pos.line),
        }
    }
}

impl Diagnostic {
    pub fn file_error(path: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_path_buf(),
            pos: Pos::default(),
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// Every problem found so far. Errors stop the build; warnings are printed and the build goes on.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter().filter(|d| d.severity == Severity::Warning)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sorted by file, then position, so output is stable and grouped by file.
    pub fn sorted(mut self) -> Self {
        self.0.sort_by(|a, b| {
            (&a.path, a.pos, a.severity, &a.message).cmp(&(&b.path, b.pos, b.severity, &b.message))
        });
        self
    }
}

impl Diagnostics {
    /// `--strict`: every warning becomes an error.
    pub fn strict(mut self) -> Self {
        for d in &mut self.0 {
            d.severity = Severity::Error;
        }
        self
    }

    /// Machine-readable form for editors and CI (`check --format json`).
    pub fn to_json(&self) -> serde_json::Value {
        let items: Vec<serde_json::Value> = self
            .0
            .iter()
            .map(|d| {
                serde_json::json!({
                    "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                    "path": d.path.to_string_lossy(),
                    "line": d.pos.line,
                    "column": d.pos.col,
                    "message": d.message,
                    "hint": d.hint,
                })
            })
            .collect();
        serde_json::json!({
            "errors": self.errors().count(),
            "warnings": self.warnings().count(),
            "diagnostics": items,
        })
    }
}

/// Grouped by file: a header with the file's counts, then each problem with its snippet.
impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut i = 0;
        while i < self.0.len() {
            let path = &self.0[i].path;
            let group: Vec<&Diagnostic> =
                self.0[i..].iter().take_while(|d| &d.path == path).collect();
            let errors = group
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let warnings = group.len() - errors;
            let shown = escape_controls(&path.to_string_lossy()).into_owned();
            writeln!(f, "── {shown} ({})", counts(errors, warnings))?;
            for d in &group {
                writeln!(f, "{d}\n")?;
            }
            i += group.len();
        }
        write!(
            f,
            "{}",
            counts(self.errors().count(), self.warnings().count())
        )
    }
}

fn counts(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "{}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    )
}

/// The nearest candidates to a misspelt name, for "did you mean" hints.
pub fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut scored: Vec<(usize, &str)> = candidates
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(name.chars().count()) / 3).max(2))
        .collect();
    scored.sort();
    // Only the closest (ties included): a list of near-misses is noise.
    let min = scored.first().map(|(d, _)| *d);
    let best: Vec<String> = scored
        .iter()
        .take_while(|(d, _)| Some(*d) == min)
        .take(3)
        .map(|(_, c)| format!("`{c}`"))
        .collect();
    (!best.is_empty()).then(|| format!("did you mean {}?", best.join(" or ")))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_snippet_and_hint() {
        let file = SourceFile::new("content/x.yaml", "a: 1\nmetric: transplant.kidney\n");
        let d = file
            .error(Pos::new(2, 9), "unknown metric `transplant.kidney`")
            .with_hint("did you mean `transplants.kidney`?");
        let text = d.to_string();
        assert!(text.starts_with("content/x.yaml:2:9: error: unknown metric"));
        assert!(text.contains("2 | metric: transplant.kidney\n  |         ^"));
        assert!(text.ends_with("= hint: did you mean `transplants.kidney`?"));
    }

    #[test]
    fn control_characters_are_shown_escaped_never_sent_to_the_terminal() {
        let file = SourceFile::new("content/x.yaml", "title: \"\u{1b}[2J\u{7}hola\"\n");
        let d = file
            .error(Pos::new(1, 14), "bad title `\u{1b}[2J`")
            .with_hint("not \u{9b}31m this");
        let text = Diagnostics(vec![d]).to_string();
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{9b}'));
        assert!(text.contains(r"bad title `\u{1b}[2J`"), "{text}");
        assert!(
            text.contains(r#"1 | title: "\u{1b}[2J\u{7}hola""#),
            "{text}"
        );
        // The caret stays under the `h` of `hola`: the escapes are as wide as they are shown.
        let line = text.lines().find(|l| l.starts_with("1 |")).unwrap();
        let caret = text.lines().find(|l| l.ends_with('^')).unwrap();
        assert_eq!(line.find("hola"), Some(caret.len() - 1), "{text}");
    }

    #[test]
    fn positions_of_byte_offsets() {
        let file = SourceFile::new("x.md", "año\nuno [a](x)\n");
        assert_eq!(file.pos_at(0), Pos::new(1, 1));
        assert_eq!(file.pos_at(9), Pos::new(2, 5));
        assert_eq!(file.pos_at(2), Pos::new(1, 2)); // inside `ñ`: its start
    }

    #[test]
    fn suggests_close_names_only() {
        let ids = ["transplants.kidney", "transplants.heart", "surgeries"];
        assert_eq!(
            did_you_mean("transplant.kidney", ids.iter().copied()).as_deref(),
            Some("did you mean `transplants.kidney`?")
        );
        assert_eq!(did_you_mean("zzzzzz", ids.iter().copied()), None);
    }
}
