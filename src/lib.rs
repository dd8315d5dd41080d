//! cifras: a static site generator for public-health statistics bulletins.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! ```text
//! load -> validate -> model -> charts -> render -> write
//! ```
//!
//! `build` runs all of it; `check` runs everything but `write` (templates included).

pub mod charts;
pub mod diagnostics;
pub mod load;
pub mod model;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod validate;
pub mod write;

use std::path::Path;

use diagnostics::{Diagnostic, Diagnostics};
use render::OutputFile;

/// What a successful run produced.
#[derive(Debug)]
pub struct Outcome {
    pub files: Vec<OutputFile>,
    /// Warnings only (errors make the run fail).
    pub diagnostics: Diagnostics,
    pub bulletins: usize,
    pub figures: usize,
}

/// Load, validate, model, chart and render the project at `root`, in memory.
pub fn check(root: &Path) -> Result<Outcome, Diagnostics> {
    check_with(root, &Options::default())
}

pub fn check_with(root: &Path, options: &Options) -> Result<Outcome, Diagnostics> {
    run(root, options, false)
}

/// Everything `build` produces, kept in memory (for `serve`).
pub fn build_in_memory(root: &Path, options: &Options) -> Result<Outcome, Diagnostics> {
    run(root, options, true)
}

/// The whole pipeline but `write`. Social-card pixels are drawn only for a build: nothing in
/// the content can make them fail, and they are most of a check's time.
fn run(root: &Path, options: &Options, draw_cards: bool) -> Result<Outcome, Diagnostics> {
    let (sources, mut diags) = load::load(root)?;
    let (content, found) = validate::validate(&sources);
    diags.extend(found);
    if let Some(url) = &options.base_url {
        if !validate::is_base_url(url) {
            diags.push(
                Diagnostic::file_error(
                    Path::new("--base-url"),
                    format!("`{url}` is not an absolute URL ending in `/`"),
                )
                .with_hint("for GitHub Pages write e.g. `https://OWNER.github.io/REPO/`"),
            );
        }
    }
    let mut content = match content {
        Some(c) if !diags.has_errors() => c,
        _ => return Err(diags.sorted()),
    };
    if let Some(url) = &options.base_url {
        content.config.base_url = url.clone();
    }
    let site = model::Site::new(content);
    // A template problem is reported together with the content's warnings.
    let with_earlier = |later: Diagnostics| {
        let mut all = diags.clone();
        all.extend(later);
        all.sorted()
    };
    let tera = render::templates(root).map_err(with_earlier)?;
    let files = render::render(&site, &tera, root, draw_cards).map_err(with_earlier)?;
    Ok(Outcome {
        files,
        diagnostics: diags.sorted(),
        bulletins: site.bulletins.len(),
        figures: site.all_observations().count(),
    })
}

/// Choices that change what counts as success.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Warnings are errors: nothing is built unless the content is clean.
    pub strict: bool,
    /// Overrides `base_url` from `content/site.yaml` (e.g. for a preview deploy).
    pub base_url: Option<String>,
}

/// `check`, then write the site into `out`, replacing a previous build only on success.
pub fn build(root: &Path, out: &Path) -> Result<Outcome, Diagnostics> {
    build_with(root, out, &Options::default())
}

pub fn build_with(root: &Path, out: &Path, options: &Options) -> Result<Outcome, Diagnostics> {
    let refuse = |e: write::WriteError| {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::file_error(out, e.to_string()));
        d
    };
    write::check_output_dir(root, out).map_err(refuse)?;
    let outcome = run(root, options, true)?;
    if options.strict && !outcome.diagnostics.is_empty() {
        return Err(outcome.diagnostics.strict());
    }
    write::write_site(out, &outcome.files).map_err(refuse)?;
    Ok(outcome)
}
