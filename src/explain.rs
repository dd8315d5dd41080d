//! `cifras check --explain`: for each figure, the sentence of its bulletin it was traced to, so
//! a maintainer can see what provenance matched, not only what it could not.

use std::path::PathBuf;

use serde::Serialize;

use crate::diagnostics::escape_controls;
use crate::model::{format, Site};
use crate::validate::provenance;

/// How far either side of the number a sentence is quoted, in bytes.
const QUOTE_SIDE: usize = 150;

/// One figure and where its bulletin states it.
#[derive(Debug, Clone, Serialize)]
pub struct Explained {
    /// The bulletin's YAML file, relative to the project.
    pub path: PathBuf,
    pub line: u32,
    pub column: u32,
    pub metric: String,
    pub value: String,
    /// `found` (its number with its indicator's words), `number_only`, `not_found`, or
    /// `derived` (a total computed from its stated parts, not looked for in the text).
    pub trace: &'static str,
    /// The sentence, when the number is found.
    pub sentence: Option<String>,
}

/// Every figure of the site, in file order.
pub fn figures(site: &Site) -> Vec<Explained> {
    let mut out = Vec::new();
    let mut bulletins: Vec<_> = site.bulletins.iter().collect();
    bulletins.sort_by(|a, b| a.slug.cmp(&b.slug));
    for b in bulletins {
        let path = PathBuf::from("content")
            .join("bulletins")
            .join(format!("{}.yaml", b.slug));
        for f in b.reports.iter().flat_map(|r| &r.figures) {
            let trace = match f.source {
                _ if f.derived => "derived",
                None => "not_found",
                Some(m) if m.names_indicator => "found",
                Some(_) => "number_only",
            };
            out.push(Explained {
                path: path.clone(),
                line: f.at.line,
                column: f.at.col,
                metric: site.metrics[f.metric].id.clone(),
                value: format::number(f.value),
                trace,
                sentence: f
                    .source
                    .filter(|_| !f.derived)
                    .map(|m| provenance::quote(&b.text, &m, QUOTE_SIDE)),
            });
        }
    }
    out
}

/// One line per figure: `path:line:col: metric value: «sentence»`, or `number only: «…»`, or
/// `not found`.
impl std::fmt::Display for Explained {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {} {}: ",
            escape_controls(&self.path.to_string_lossy()),
            self.line,
            self.column,
            self.metric,
            self.value
        )?;
        let sentence = self.sentence.as_deref().map(escape_controls);
        match (self.trace, sentence) {
            ("found", Some(s)) => write!(f, "«{s}»"),
            ("number_only", Some(s)) => write!(f, "number only: «{s}»"),
            ("derived", _) => write!(f, "derived: the sum of its parts, not stated in the text"),
            _ => write!(f, "not found"),
        }
    }
}
