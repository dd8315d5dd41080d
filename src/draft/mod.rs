//! `cifras new bulletin <slug> --from FILE`: a first draft of a bulletin from its published
//! text (PDF, plain text, HTML or Markdown), so the maintainer checks figures instead of typing
//! them. Stages, one file each:
//!
//! ```text
//! pdf / html -> text (clean) -> periods + figures + places -> reports (group, dedupe) -> yaml
//! ```
//!
//! The draft states only what the text states: a date, number or year the text does not give
//! stays `null` (or a comment) and is never guessed; a number whose indicator is not clear
//! stays a commented entry. The project with the draft added passes `cifras check`.

mod figures;
mod html;
mod pdf;
mod periods;
mod places;
mod reports;
pub mod text;
mod yaml;

use std::fs;
use std::path::{Path, PathBuf};

use crate::load::parse_str;
use crate::load::schema::{MetricsFile, PlacesFile};

pub use figures::Metrics;
pub use places::Places;
pub use reports::Draft;

/// The catalogues a draft needs, read from the project.
pub struct Catalogue {
    pub metrics: Metrics,
    pub places: Places,
}

impl Catalogue {
    pub fn load(root: &Path) -> Result<Catalogue, String> {
        let read = |name: &str| {
            let path = root.join("content").join(name);
            fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
        };
        let metrics: MetricsFile = parse_str(&read("metrics.yaml")?).map_err(|(_, msg, _)| {
            format!("content/metrics.yaml cannot be read ({msg}); run `cifras check` to see where")
        })?;
        let places: PlacesFile = parse_str(&read("places.yaml")?).map_err(|(_, msg, _)| {
            format!("content/places.yaml cannot be read ({msg}); run `cifras check` to see where")
        })?;
        Ok(Catalogue::new(&metrics, &places))
    }

    pub fn new(metrics: &MetricsFile, places: &PlacesFile) -> Catalogue {
        Catalogue {
            metrics: Metrics::new(metrics),
            places: Places::new(places),
        }
    }
}

/// What the maintainer asked for beyond the text itself.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The year of periods the text gives only as day and month ("del 12 al 18 de julio"),
    /// when the text states no year at all: the maintainer's knowledge, recorded as
    /// `year_stated: false`. Without it such periods stay comments.
    pub year: Option<i32>,
}

/// The bulletin's text out of a file, by its extension.
pub fn read_source(path: &Path) -> Result<String, String> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let meta = fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?;
    if meta.len() > pdf::MAX_BYTES as u64 {
        return Err(format!(
            "{} is {} MB; a bulletin is far smaller (limit {} MB)",
            path.display(),
            meta.len() / (1024 * 1024),
            pdf::MAX_BYTES / (1024 * 1024)
        ));
    }
    let bytes = fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text_from_bytes(&ext, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// The text of a file's bytes, by its kind (`pdf`, `txt`, `md`, `html`, `htm`).
pub fn text_from_bytes(kind: &str, bytes: Vec<u8>) -> Result<String, String> {
    let as_text = |bytes: Vec<u8>| {
        String::from_utf8(bytes).map_err(|e| {
            format!(
                "not UTF-8 text (invalid byte at {}); save it as UTF-8",
                e.utf8_error().valid_up_to()
            )
        })
    };
    match kind {
        "pdf" => pdf::extract(bytes),
        "txt" | "md" | "markdown" => as_text(bytes),
        "html" | "htm" => Ok(html::to_text(&as_text(bytes)?)),
        _ => Err("unknown kind of file; give a .pdf, .txt, .html/.htm or .md file".to_string()),
    }
}

/// Draft the `.md` and `.yaml` of a bulletin from its text. Pure: the same text gives the
/// same bytes.
pub fn draft(text: &str, source_name: &str, catalogue: &Catalogue, options: &Options) -> Draft {
    let blocks = text::clean(text);
    reports::build(&blocks, source_name, catalogue, options)
}

/// Write `content/bulletins/<slug>.{yaml,md}` drafted from `from`; never overwrites.
pub fn new_bulletin_from(
    root: &Path,
    slug: &str,
    from: &Path,
    options: &Options,
) -> Result<[PathBuf; 2], String> {
    let [yaml_path, md_path] = crate::scaffold::paths(root, slug)?;
    let catalogue = Catalogue::load(root)?;
    let text = read_source(from)?;
    if text.trim().is_empty() {
        return Err(format!("{} has no text to draft from", from.display()));
    }
    let name = from
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let d = draft(&text, &name, &catalogue, options);
    crate::scaffold::write_new(&[(&yaml_path, &d.yaml), (&md_path, &d.markdown)])?;
    Ok([yaml_path, md_path])
}
