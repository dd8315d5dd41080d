//! Stage 5, **render**: every page and download of the site, as in-memory files. Templates are
//! Tera (1.x, autoescape on); the defaults are compiled in, and a project's own `templates/` and
//! `static/` files override them by name.
//!
//! Each kind of page has its own module under `pages/`, with one entry function; they all
//! render through the `Renderer` (`renderer.rs`), and this module runs them in a fixed order.

mod assets;
pub mod charts;
mod csv_cell;
pub mod data;
pub mod markdown;
mod output;
mod pages;
pub mod publish;
mod renderer;
mod templates;
pub mod views;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;

use rayon::prelude::*;
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::write::Staging;
use charts::SiteCharts;
use pages::{
    bulletins, downloads, embeds, home, indicators, methodology, not_found, places, publishing,
    search,
};
use renderer::Renderer;

pub use output::{Deferred, Image, OutputFile};
pub(crate) use renderer::Part;
pub use templates::templates;

/// Where rendered files go.
#[derive(Clone, Copy)]
pub enum Sink<'a> {
    /// Kept in `Rendered::files` (`serve`, and tests that read the pages).
    Keep,
    /// Written to the staging directory as soon as each is rendered (`build`): a large site's
    /// pages are never all in memory.
    Disk(&'a Staging),
    /// Rendered, then dropped, and listed by path with no bytes (`check`, which wants only the
    /// problems). The data downloads are not encoded either: see `render`.
    Discard,
}

/// What `render` produces: finished files, and the PNGs to draw.
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<OutputFile>,
    /// How many files were written to the staging directory instead (`build`).
    pub staged: usize,
    pub deferred: Vec<Deferred>,
}

/// Render the whole site. Templates are exercised here, so `check` runs this too.
pub fn render(
    site: &Site,
    charts_drawn: &SiteCharts,
    tera: &Tera,
    root: &Path,
    memo: Option<&crate::memo::Memo>,
    sink: Sink,
) -> Result<Rendered, Diagnostics> {
    // Encoding is plain strings and numbers into memory: it cannot fail, so `check`, which
    // makes no download, skips it.
    let data = match sink {
        Sink::Discard => data::Encoded::new(Vec::new()),
        Sink::Keep | Sink::Disk(_) => encode_figures(site, memo)?,
    };
    let mut r = Renderer::new(site, data, memo, charts_drawn, tera, sink);
    assets::static_files(&mut r, root);
    // The sections are independent: rendered in parallel, merged in this order. Bulletins
    // first: a chart belongs to the first page that shows it (the home reuses one).
    let sections: [fn(&mut Renderer); 8] = [
        bulletins::render,
        home::render,
        indicators::render,
        places::render,
        downloads::render,
        methodology::render,
        not_found::render,
        search::render,
    ];
    let parts: Vec<Part> = sections
        .par_iter()
        .map(|section| {
            let mut part = r.fork();
            section(&mut part);
            part.made
        })
        .collect();
    for part in parts {
        r.made.merge(part);
    }
    embeds::render(&mut r);
    publishing::render(&mut r);
    let mut made = r.made;
    if made.diags.has_errors() {
        return Err(made.diags);
    }
    made.out.sort_by(|a, b| a.path.cmp(&b.path));
    made.deferred.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered {
        files: made.out,
        staged: made.staged,
        deferred: made.deferred,
    })
}

/// Encode every figure for the downloads, bulletin by bulletin (in parallel; from the memo
/// when the bulletin and the catalogues are unchanged).
fn encode_figures(
    site: &Site,
    memo: Option<&crate::memo::Memo>,
) -> Result<data::Encoded, Diagnostics> {
    let catalogue = {
        let mut h = DefaultHasher::new();
        format!("{:?}{:?}", site.metrics, site.places).hash(&mut h);
        h.finish()
    };
    let lines: Result<Vec<data::BulletinLines>, String> = (0..site.bulletins.len())
        .into_par_iter()
        .map(|b| {
            let encode = || data::encode_bulletin(site, b);
            match memo {
                Some(m) => m.lines(site.bulletins[b].fingerprint ^ catalogue, encode),
                None => encode(),
            }
        })
        .collect();
    lines.map(data::Encoded::new).map_err(|e| {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::file_error(Path::new("datos"), e));
        d
    })
}
