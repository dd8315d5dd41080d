//! cifras: a static site generator for public-health statistics bulletins.
//!
//! The pipeline, one module per stage, data flowing one way:
//!
//! ```text
//! load -> validate -> model -> charts -> render -> search -> write
//! ```
//!
//! `build` runs all of it; `check` runs what can find a problem: every stage but `write`, with
//! every page rendered (templates included) but no chart drawn.

/// `println!` that ends quietly when stdout is a closed pipe (`cifras check | head -1`): the
/// standard macro panics there. The command still finishes and exits with its own status.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `eprintln!`, quiet on a closed pipe like `say!`.
#[macro_export]
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

pub mod cache;
pub mod charts;
pub mod diagnostics;
pub mod draft;
pub mod explain;
pub mod files;
pub mod load;
pub mod memo;
pub mod model;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod scaffold_entry;
pub mod search;
pub mod serve;
#[cfg(feature = "synth")]
pub mod synth;
pub mod urls;
pub mod validate;
pub mod write;

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use diagnostics::{Diagnostic, Diagnostics};
use render::{Deferred, OutputFile, Sink};

/// What a successful run produced.
#[derive(Debug)]
pub struct Outcome {
    /// The rendered files, in memory (`serve`; `build` writes them as it goes, and `check`
    /// lists them with empty bytes).
    pub files: Vec<OutputFile>,
    /// How many rendered files `build` wrote straight to disk instead of keeping them.
    pub staged: usize,
    /// Files made last (PNGs, data downloads): `build` has written them; from
    /// `build_in_memory` they are not made yet (`serve` makes them on request); `check` lists
    /// them in `files`, with empty bytes, leaving this empty.
    pub deferred: Vec<Deferred>,
    /// From `build_in_memory`: the search records, for `serve` to index in the background
    /// (`search::index`); `build` has written the index itself.
    pub search: Vec<search::records::Record>,
    /// Warnings only (errors make the run fail).
    pub diagnostics: Diagnostics,
    pub bulletins: usize,
    pub figures: usize,
    pub timings: Timings,
    /// With a build cache: what it gave and what was made and kept, for social cards, chart
    /// drawings and the search index.
    pub cache: Option<[cache::Counts; 3]>,
    /// With `Options::explain`: every figure and the sentence it was traced to.
    pub explained: Vec<explain::Explained>,
}

impl Outcome {
    /// Every file of the site, however it was produced.
    pub fn file_count(&self) -> usize {
        self.files.len() + self.staged + self.deferred.len()
    }
}

/// Wall time of each stage, for `--timings` and the benchmarks.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub load: Duration,
    pub validate: Duration,
    pub model: Duration,
    /// SVG charts (drawn once, before any page).
    pub charts: Duration,
    /// Pages, downloads, feeds (templates); `build` writes each file as it is rendered.
    pub render: Duration,
    /// Waiting for the search index (`pagefind/`), made alongside charts and pages.
    pub search: Duration,
    /// Files made last, in parallel: PNG chart downloads, social cards, data downloads.
    pub deferred: Duration,
    /// `build`: the swap of the new site for the old one.
    pub write: Duration,
}

impl std::fmt::Display for Timings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        write!(
            f,
            "load {:.0} ms, validate {:.0} ms, model {:.0} ms, charts {:.0} ms, render {:.0} ms, search {:.0} ms, deferred {:.0} ms, write {:.0} ms",
            ms(self.load),
            ms(self.validate),
            ms(self.model),
            ms(self.charts),
            ms(self.render),
            ms(self.search),
            ms(self.deferred),
            ms(self.write)
        )
    }
}

/// Load, validate, model and render the project at `root`, to find its problems. Every page is
/// rendered (a template can fail on any page's data), then dropped: `Outcome::files` lists
/// every file of the site with empty bytes. What cannot fail is not made: the charts are not
/// drawn (pages render with empty SVGs), and no PNG or data download is made.
pub fn check(root: &Path) -> Result<Outcome, Diagnostics> {
    check_with(root, &Options::default())
}

pub fn check_with(root: &Path, options: &Options) -> Result<Outcome, Diagnostics> {
    run(root, options, None, None, Sink::Discard)
}

/// Everything `build` produces, kept in memory (for `serve`, and tests that read pages), with
/// the PNGs and data downloads left unmade in `Outcome::deferred`.
/// `memo` keeps drawings and pages between calls, so a rebuild redoes only what changed.
pub fn build_in_memory(
    root: &Path,
    options: &Options,
    memo: Option<&memo::Memo>,
) -> Result<Outcome, Diagnostics> {
    run(root, options, memo, None, Sink::Keep)
}

/// The whole pipeline but the end of `write`; `sink` says where rendered files go.
fn run(
    root: &Path,
    options: &Options,
    memo: Option<&memo::Memo>,
    cache: Option<&std::sync::Arc<cache::Cache>>,
    sink: Sink,
) -> Result<Outcome, Diagnostics> {
    let mut timings = Timings::default();
    let mut clock = Instant::now();
    let mut lap = |into: &mut Duration| {
        *into = clock.elapsed();
        clock = Instant::now();
    };
    stage(options, "reading the content");
    let (sources, mut diags) = load::load_with(root, memo)?;
    lap(&mut timings.load);
    stage(options, "checking every figure against its text");
    let (content, found) = validate::validate_with(&sources, memo);
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
    // `build --strict` stops here, before writing anything, if there is any warning.
    if matches!(sink, Sink::Disk(_)) && options.strict && !diags.is_empty() {
        return Err(diags.sorted().strict());
    }
    // Only `serve` reuses the parsed files; elsewhere they are freed before the heavy stages.
    let sources = memo.map(|_| sources);
    lap(&mut timings.validate);
    let site = model::Site::new(content);
    let explained = if options.explain {
        explain::figures(&site)
    } else {
        Vec::new()
    };
    lap(&mut timings.model);
    // `build` indexes the site for search on a thread of its own, from the model, while charts
    // and pages are made: Pagefind's indexer works one page at a time, and overlapping it with
    // the parallel stages hides most of its cost (BENCHMARKS.md, "Search"). `serve` gets the
    // records to index in the background; `check` neither, as nothing in the content can make
    // the index fail.
    let mut search_records = Vec::new();
    let indexing = match sink {
        Sink::Discard => None,
        Sink::Keep => {
            search_records = search::records::records(&site);
            None
        }
        Sink::Disk(_) => {
            let records = search::records::records(&site);
            let cache = cache.cloned();
            Some(std::thread::spawn(move || match cache {
                Some(cache) => search::cached_index(&cache, &records),
                None => search::index(&records),
            }))
        }
    };
    stage(options, "drawing the charts");
    let charts = match sink {
        Sink::Discard => render::charts::SiteCharts::plan(&site),
        Sink::Keep | Sink::Disk(_) => {
            render::charts::SiteCharts::draw(&site, memo, cache.map(|c| &**c))
        }
    };
    lap(&mut timings.charts);
    // A template problem is reported together with the content's warnings.
    let with_earlier = |later: Diagnostics| {
        let mut all = diags.clone();
        all.extend(later);
        all.sorted()
    };
    let tera = match memo {
        Some(m) => m.templates(|| render::templates(root)),
        None => render::templates(root).map(std::sync::Arc::new),
    }
    .map_err(with_earlier)?;
    stage(options, "writing the pages");
    let rendered = render::render(&site, &charts, &tera, root, memo, sink).map_err(with_earlier)?;
    lap(&mut timings.render);
    let mut files = rendered.files;
    let mut staged = rendered.staged;
    // The search index, waited for only now: `timings.search` is what it adds to the build.
    stage(options, "finishing the search index");
    if let (Sink::Disk(staging), Some(indexing)) = (sink, indexing) {
        let index = indexing
            .join()
            .unwrap_or_else(|_| Err("the search indexer stopped unexpectedly".to_string()))
            .map_err(|e| {
                with_earlier(Diagnostics(vec![Diagnostic::file_error(
                    Path::new(search::DIR),
                    e,
                )]))
            })?;
        for f in &index {
            staging.put(f).map_err(|e| {
                with_earlier(Diagnostics(
                    e.diagnostic(staging.out()).into_iter().collect(),
                ))
            })?;
            staged += 1;
        }
    }
    lap(&mut timings.search);
    let mut deferred = Vec::new();
    match sink {
        Sink::Keep | Sink::Disk(_) => deferred = rendered.deferred,
        // Nothing in the content can make a PNG or a data file fail (each is drawn the same way
        // from data `render` already used), so `check` only lists them.
        Sink::Discard => files.extend(rendered.deferred.into_iter().map(|d| OutputFile {
            path: d.path,
            bytes: Vec::new().into(),
        })),
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    lap(&mut timings.deferred);
    let outcome = Outcome {
        files,
        staged,
        deferred,
        search: search_records,
        diagnostics: diags.sorted(),
        bulletins: site.bulletins.len(),
        figures: site.all_observations().count(),
        timings,
        cache: None,
        explained,
    };
    if memo.is_some() {
        // `serve` is waiting to show the result: free this build's working data elsewhere.
        std::thread::spawn(move || drop((sources, site, charts)));
    }
    Ok(outcome)
}

/// Choices that change what counts as success.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Warnings are errors: nothing is built unless the content is clean.
    pub strict: bool,
    /// Overrides `base_url` from `content/site.yaml` (e.g. for a preview deploy).
    pub base_url: Option<String>,
    /// The build cache's folder (`build` only); `None` builds everything afresh.
    pub cache: Option<std::path::PathBuf>,
    /// Where `build` shows which stage it is in and how many social cards and downloads are
    /// made (the command line gives one that draws only on a terminal).
    pub progress: Option<indicatif::ProgressBar>,
    /// Say, for each figure, which sentence of its bulletin it was traced to
    /// (`Outcome::explained`).
    pub explain: bool,
}

/// Tell the progress bar, if any, which stage the build is in.
fn stage(options: &Options, what: &'static str) {
    progress::stage(options.progress.as_ref(), what);
}

/// `check`, then write the site into `out`, replacing a previous build only on success.
pub fn build(root: &Path, out: &Path) -> Result<Outcome, Diagnostics> {
    build_with(root, out, &Options::default())
}

pub fn build_with(root: &Path, out: &Path, options: &Options) -> Result<Outcome, Diagnostics> {
    let refuse = |e: write::WriteError| {
        let d = e.diagnostic(out).unwrap_or_else(|| {
            Diagnostic::file_error(
                out,
                "the site could not be written (an earlier file failed)",
            )
        });
        Diagnostics(vec![d])
    };
    write::check_output_dir(root, out).map_err(refuse)?;
    let mut warnings = Vec::new();
    // A cache this build creates is removed again if the build fails: a failed build leaves
    // the project as it found it.
    let new_cache = options
        .cache
        .as_deref()
        .filter(|dir| fs::symlink_metadata(dir).is_err());
    let cache = options.cache.as_deref().and_then(|dir| {
        let version = cache::program_version()?;
        let opened =
            write::check_cache_dir(root, out, dir).and_then(|()| cache::Cache::open(dir, version));
        match opened {
            Ok(c) => Some(std::sync::Arc::new(c)),
            Err(e) => {
                warnings.push((dir.to_path_buf(), format!("{e}; building without it")));
                None
            }
        }
    });
    // Dropped unfinished on any error below: the staged files go, `out` stays as it was.
    let staging = write::Staging::new(out).map_err(refuse)?;
    let mut outcome = match run(root, options, None, cache.as_ref(), Sink::Disk(&staging)) {
        Ok(o) => o,
        Err(d) => {
            if let Some(dir) = new_cache {
                drop(cache);
                let _ = fs::remove_dir_all(dir);
            }
            return Err(d);
        }
    };
    let written = staging
        .finish(
            &outcome.deferred,
            cache.as_deref(),
            options.progress.as_ref(),
        )
        .map_err(refuse)?;
    if let Some(cache) = cache {
        use cache::Kind;
        outcome.cache = Some([Kind::Card, Kind::Svg, Kind::Search].map(|k| cache.counts(k)));
        // The search thread, the last other holder, has been joined by now.
        if let Some(w) = std::sync::Arc::into_inner(cache).and_then(cache::Cache::finish) {
            warnings.push((options.cache.clone().unwrap_or_default(), w));
        }
    }
    for (path, w) in warnings {
        let mut warning = Diagnostic::file_error(&path, w);
        warning.severity = diagnostics::Severity::Warning;
        outcome.diagnostics.push(warning);
    }
    outcome.timings.write = written.swap;
    outcome.timings.deferred = written.deferred;
    if let Some(leftover) = written.leftover {
        let mut warning = Diagnostic::file_error(out, leftover);
        warning.severity = diagnostics::Severity::Warning;
        outcome.diagnostics.push(warning);
    }
    Ok(outcome)
}
