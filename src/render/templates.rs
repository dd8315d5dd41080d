//! The Tera templates: the compiled-in defaults, a project's `templates/` overriding them by
//! name, and Tera's errors turned into located diagnostics.

use std::collections::BTreeMap;
use std::path::Path;

use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos, SourceFile};

const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("index.html", include_str!("../../templates/index.html")),
    (
        "bulletins.html",
        include_str!("../../templates/bulletins.html"),
    ),
    (
        "bulletin.html",
        include_str!("../../templates/bulletin.html"),
    ),
    ("metrics.html", include_str!("../../templates/metrics.html")),
    ("metric.html", include_str!("../../templates/metric.html")),
    ("places.html", include_str!("../../templates/places.html")),
    ("place.html", include_str!("../../templates/place.html")),
    ("data.html", include_str!("../../templates/data.html")),
    (
        "methodology.html",
        include_str!("../../templates/methodology.html"),
    ),
    ("404.html", include_str!("../../templates/404.html")),
    ("search.html", include_str!("../../templates/search.html")),
    ("embed.html", include_str!("../../templates/embed.html")),
    ("report.html", include_str!("../../templates/report.html")),
];

/// Load the templates: compiled-in defaults, overridden by `<root>/templates/*.html`.
pub fn templates(root: &Path) -> Result<Tera, Diagnostics> {
    let mut sources: BTreeMap<String, (String, String)> = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, t)| {
            (
                n.to_string(),
                (format!("(built-in) templates/{n}"), t.to_string()),
            )
        })
        .collect();
    let mut diags = Diagnostics::default();
    // Other files may sit beside the templates (notes, backups): not read; a link is refused.
    let is_template = |name: &str| name.ends_with(".html");
    for (name, read) in crate::files::project_files(root, "templates", is_template) {
        let shown = Path::new("templates").join(&name);
        let text = read
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| crate::files::Refused::NotText));
        match text {
            Ok(text) => {
                sources.insert(name, (shown.display().to_string(), text));
            }
            Err(e) => diags.push(Diagnostic::file_error(&shown, e.to_string())),
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    // Tera's default also escapes `/`, which turns every link into `..&#x2F;`; escaping the
    // five HTML-significant characters is what keeps text and attributes safe.
    tera.set_escape_fn(crate::charts::escape);
    let list: Vec<(String, String)> = sources
        .iter()
        .map(|(n, (_, t))| (n.clone(), t.clone()))
        .collect();
    if let Err(e) = tera.add_raw_templates(list) {
        diags.push(template_error(&e, &sources).with_hint(
            "fix the template syntax; Tera follows Jinja2: {{ value }}, {% if %}…{% endif %}",
        ));
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(tera)
    }
}

/// A template that does not compile, located: Tera names the template (`Failed to parse
/// '404.html'`) and its parser gives the line and column (` --> 3:18`) and what it expected.
fn template_error(e: &tera::Error, sources: &BTreeMap<String, (String, String)>) -> Diagnostic {
    let msg = tera_error(e);
    let named = msg
        .split_once('\'')
        .and_then(|(_, rest)| rest.split_once('\''))
        .and_then(|(name, _)| sources.get(name));
    let Some((shown, text)) = named else {
        return Diagnostic::file_error(Path::new("templates"), msg);
    };
    let at = msg.split_once(" --> ").and_then(|(_, rest)| {
        let (line, rest) = rest.split_once(':')?;
        let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
        Some(Pos::new(line.parse().ok()?, col.parse().ok()?))
    });
    // The parser's own snippet is replaced by ours; its "= expected …" line is the message.
    let expected: Vec<&str> = msg
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("= "))
        .collect();
    match at {
        Some(pos) if !expected.is_empty() => {
            SourceFile::new(shown, text.as_str()).error(pos, expected.join("; "))
        }
        _ => Diagnostic::file_error(Path::new(shown), msg),
    }
}

/// Tera nests the useful part of a message in its error chain.
pub(super) fn tera_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}
