//! Stage 5, **render**: every page and download of the site, as in-memory files. Templates are
//! Tera (1.x, autoescape on); the defaults are compiled in, and a project's own `templates/` and
//! `static/` files override them by name.

pub mod charts;
pub mod data;
pub mod markdown;
pub mod publish;
pub mod views;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;
use tera::{Context, Tera};

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::charts::card::{self, Body, Card};
use crate::charts::BarChart;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos, SourceFile};
use crate::model::{Date, Group, ObsRef, Site};
use crate::write::Staging;
use charts::{ChartView, SiteCharts};
use views::*;

/// One output file, its path relative to the output root. The bytes are shared, so `serve`
/// can keep and hand out unchanged files between rebuilds without copying them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Arc<[u8]>,
}

/// A file still to be made: PNGs (rasterising is most of a build's work) and the data
/// downloads (megabytes that a preview rarely fetches). `render` only says what to make;
/// `build` makes them all in parallel, `serve` makes one when it is requested, and `check`
/// draws no PNG.
#[derive(Debug, Clone)]
pub struct Deferred {
    pub path: String,
    pub image: Image,
}

#[derive(Debug, Clone)]
pub enum Image {
    /// A chart's PNG download (the page layout at twice the size).
    Chart(BarChart),
    /// A 1200×630 social card.
    Card(Card),
    /// A CSV or JSON download of these figures.
    Data {
        encoded: Arc<data::Encoded>,
        figures: Vec<ObsRef>,
        json: bool,
    },
}

impl Deferred {
    /// What a PNG is drawn from, as a hash, so `write` can reuse the previous build's file when
    /// it is unchanged. `None` for data files, which are quicker to make than to compare.
    pub fn content_key(&self) -> Option<u64> {
        match &self.image {
            Image::Chart(c) => Some(c.fingerprint()),
            Image::Card(c) => Some(c.fingerprint()),
            Image::Data { .. } => None,
        }
    }

    pub fn draw(&self) -> Result<OutputFile, Diagnostic> {
        let bytes = match &self.image {
            Image::Chart(c) => crate::charts::png(c),
            Image::Card(c) => card::png(c),
            Image::Data {
                encoded,
                figures,
                json,
            } => Ok(match json {
                true => encoded.json(figures.iter().copied()),
                false => encoded.csv(figures.iter().copied()),
            }),
        };
        bytes
            .map(|bytes| OutputFile {
                path: self.path.clone(),
                bytes: bytes.into(),
            })
            .map_err(|e| Diagnostic::file_error(Path::new(&self.path), e))
    }
}

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
    ("embed.html", include_str!("../../templates/embed.html")),
    ("report.html", include_str!("../../templates/report.html")),
];

const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
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
    let dir = root.join("templates");
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            let p = entry.path();
            if entry.file_type().is_file() && p.extension().is_some_and(|e| e == "html") {
                let name = p
                    .strip_prefix(&dir)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/");
                let shown = Path::new("templates").join(&name);
                match std::fs::read_to_string(p) {
                    Ok(text) => {
                        sources.insert(name, (shown.display().to_string(), text));
                    }
                    Err(e) => diags.push(Diagnostic::file_error(
                        &shown,
                        format!("cannot read template: {e}"),
                    )),
                }
            }
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
fn tera_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}

#[derive(Serialize, Clone)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    author: &'a str,
    license: &'a str,
    links: Vec<Link>,
}

/// What one part of the site produced: merged into the whole, and kept by `serve`'s memo.
#[derive(Clone, Default)]
pub(crate) struct Part {
    sitemap: Vec<(String, Option<Date>)>,
    /// Every chart drawn, by id, with the page it belongs to: for downloads and embed pages.
    charts: BTreeMap<String, (ChartView, String)>,
    out: Vec<OutputFile>,
    /// Files written straight to the staging directory instead of kept in `out`.
    staged: usize,
    deferred: Vec<Deferred>,
    diags: Diagnostics,
}

impl Part {
    fn merge(&mut self, part: Part) {
        self.sitemap.extend(part.sitemap);
        for (id, chart) in part.charts {
            self.charts.entry(id).or_insert(chart);
        }
        self.out.extend(part.out);
        self.staged += part.staged;
        self.deferred.extend(part.deferred);
        self.diags.extend(part.diags);
    }
}

struct Renderer<'a> {
    site: &'a Site,
    /// See `site_key`; shared by the forks, which are made after the assets are known.
    site_key: Arc<std::sync::OnceLock<u64>>,
    /// Every figure encoded once for the CSV and JSON downloads.
    data: Arc<data::Encoded>,
    memo: Option<&'a crate::memo::Memo>,
    charts_drawn: &'a SiteCharts,
    tera: &'a Tera,
    sink: Sink<'a>,
    site_view: SiteView<'a>,
    /// Static file name -> content-hashed output path, for templates (`assets["style.css"]`).
    assets: BTreeMap<String, String>,
    /// "30 de marzo de 2022": when the data was last updated.
    updated: Option<String>,
    /// What this renderer (or fork) has produced so far.
    made: Part,
}

/// What a page says about itself: for `<head>`, social cards and the sitemap.
struct Meta<'m> {
    title: &'m str,
    description: String,
    section: &'m str,
    /// The page's social card, relative to the site root; the site's card when `None`.
    card: Option<String>,
    jsonld: Option<serde_json::Value>,
    lastmod: Option<Date>,
}

impl<'m> Meta<'m> {
    fn new(title: &'m str, description: impl Into<String>, section: &'m str) -> Self {
        Meta {
            title,
            description: description.into(),
            section,
            card: None,
            jsonld: None,
            lastmod: None,
        }
    }
}

/// How many entries an indicator or place page lists in full: the most recent. A page of
/// thousands of tables helps no reader; every figure stays on its bulletin's page and in the
/// CSV and JSON downloads the page links to.
const LISTED: usize = 100;
/// How many reports a place page shows in full (each with all its figures): the most recent.
const PLACE_REPORTS: usize = 30;
/// How many of the latest bulletins the home page lists (all are under `boletines/`).
const HOME_LATEST: usize = 12;

/// The site-wide social card, used by pages without their own.
const SITE_CARD: &str = "tarjetas/sitio.png";

impl Renderer<'_> {
    /// A renderer for part of the site, sharing everything read-only and collecting its own
    /// output: parts render in parallel and are merged back in a fixed order.
    fn fork(&self) -> Self {
        Renderer {
            site: self.site,
            site_key: self.site_key.clone(),
            data: self.data.clone(),
            memo: self.memo,
            charts_drawn: self.charts_drawn,
            tera: self.tera,
            sink: self.sink,
            site_view: self.site_view.clone(),
            assets: self.assets.clone(),
            updated: self.updated.clone(),
            made: Part::default(),
        }
    }

    /// Run `each` for every item on its own fork, in parallel, and merge in item order.
    /// `key` names everything an item's output is made from: with a memo (`serve`), an item
    /// whose key is unchanged since the last rebuild is not rendered again.
    fn par_each<T: Sync>(
        &mut self,
        items: &[T],
        key: impl Fn(usize, &T) -> u64 + Sync,
        each: impl Fn(&mut Self, usize, &T) + Sync,
    ) {
        let unit = |i: usize, item: &T| {
            let mut part = self.fork();
            each(&mut part, i, item);
            part.made
        };
        let site_key = self.memo.map(|_| self.site_key());
        let parts: Vec<Part> = items
            .par_iter()
            .enumerate()
            .map(|(i, item)| match (self.memo, site_key) {
                (Some(memo), Some(site_key)) => {
                    let mut h = DefaultHasher::new();
                    (site_key, std::any::type_name::<T>(), key(i, item)).hash(&mut h);
                    memo.unit(h.finish(), || unit(i, item))
                }
                _ => unit(i, item),
            })
            .collect();
        for part in parts {
            self.made.merge(part);
        }
    }

    /// What every page shows from the site as a whole: settings, catalogues, assets, the date.
    /// Computed once per build (it formats the catalogues), when a memo is in use.
    fn site_key(&self) -> u64 {
        *self.site_key.get_or_init(|| {
            let mut h = DefaultHasher::new();
            let s = self.site;
            format!("{:?}{:?}{:?}", s.config, s.metrics, s.places).hash(&mut h);
            (&self.assets, &self.updated).hash(&mut h);
            h.finish()
        })
    }

    /// Render `template` to `<dir>/index.html` (or `dir` itself when it ends in `.html`).
    fn page(&mut self, dir: &str, template: &str, meta: Meta, mut ctx: Context) {
        let path = if dir.ends_with(".html") {
            dir.to_string()
        } else {
            format!("{dir}index.html")
        };
        let base = &self.site.config.base_url;
        // Relative links work under any sub-path; the 404 page is served at arbitrary depths,
        // so it links absolutely.
        let root = if path == "404.html" {
            base.clone()
        } else {
            match path.matches('/').count() {
                0 => "./".to_string(),
                depth => "../".repeat(depth),
            }
        };
        ctx.insert("root", &root);
        ctx.insert("site", &self.site_view);
        ctx.insert("assets", &self.assets);
        ctx.insert("updated", &self.updated);
        ctx.insert("page_title", meta.title);
        ctx.insert("description", &meta.description);
        ctx.insert("section", meta.section);
        ctx.insert(
            "canonical",
            &format!("{base}{}", dir.trim_end_matches("404.html")),
        );
        ctx.insert(
            "card",
            &format!("{base}{}", meta.card.as_deref().unwrap_or(SITE_CARD)),
        );
        ctx.insert("jsonld", &meta.jsonld.as_ref().map(publish::json_ld));
        if path != "404.html" && meta.section != "grafica" {
            let lastmod = meta.lastmod.or_else(|| publish::last_updated(self.site));
            self.made.sitemap.push((dir.to_string(), lastmod));
        }
        match self.tera.render(template, &ctx) {
            Ok(html) => self.emit(OutputFile {
                path,
                bytes: html.into_bytes().into(),
            }),
            Err(e) => self.made.diags.push(
                Diagnostic::file_error(&Path::new("templates").join(template), tera_error(&e))
                    .with_hint(format!("while rendering {path}")),
            ),
        }
    }

    fn file(&mut self, path: String, bytes: Result<Vec<u8>, String>) {
        match bytes {
            Ok(bytes) => self.emit(OutputFile {
                path,
                bytes: bytes.into(),
            }),
            Err(e) => self
                .made
                .diags
                .push(Diagnostic::file_error(Path::new(&path), e)),
        }
    }

    /// A finished file: written now when building to disk, else kept.
    fn emit(&mut self, file: OutputFile) {
        match self.sink {
            Sink::Disk(staging) => match staging.put(&file) {
                Ok(()) => self.made.staged += 1,
                Err(e) => self
                    .made
                    .diags
                    .push(Diagnostic::file_error(Path::new(&file.path), e.to_string())),
            },
            Sink::Keep => self.made.out.push(file),
            Sink::Discard => self.made.out.push(OutputFile {
                path: file.path,
                bytes: Arc::from([]),
            }),
        }
    }

    /// Remember a chart for its downloads and embed page (the first page showing it owns it).
    fn register(&mut self, chart: &ChartView, page: &str) {
        self.made
            .charts
            .entry(chart.id.clone())
            .or_insert_with(|| (chart.clone(), page.to_string()));
    }

    /// A piece of a page rendered from `template` on its own (from the memo when `key`, the
    /// site and `root` are unchanged), for a page to include as HTML.
    fn fragment(
        &mut self,
        template: &str,
        root: &str,
        key: impl Hash,
        context: impl FnOnce() -> Context,
    ) -> Option<String> {
        let render = || {
            let mut ctx = context();
            ctx.insert("root", root);
            self.tera.render(template, &ctx).map(Arc::<str>::from)
        };
        let rendered = match self.memo {
            Some(memo) => {
                let mut h = DefaultHasher::new();
                (self.site_key(), template, root, key).hash(&mut h);
                memo.fragment(h.finish(), render)
            }
            None => render(),
        };
        match rendered {
            Ok(html) => Some(html.to_string()),
            Err(e) => {
                self.made.diags.push(
                    Diagnostic::file_error(&Path::new("templates").join(template), tera_error(&e))
                        .with_hint("while rendering a part of a page"),
                );
                None
            }
        }
    }

    fn data_file(&mut self, path: String, figures: Vec<ObsRef>, json: bool) {
        self.made.deferred.push(Deferred {
            path,
            image: Image::Data {
                encoded: self.data.clone(),
                figures,
                json,
            },
        });
    }

    fn card(&mut self, path: &str, card: Card) {
        self.made.deferred.push(Deferred {
            path: path.to_string(),
            image: Image::Card(card),
        });
    }
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
    let c = &site.config;
    // Encoding is plain strings and numbers into memory: it cannot fail, so `check`, which
    // makes no download, skips it.
    let data = match sink {
        Sink::Discard => data::Encoded::new(Vec::new()),
        Sink::Keep | Sink::Disk(_) => encode_figures(site, memo)?,
    };
    let mut r = Renderer {
        site,
        site_key: Arc::default(),
        data: Arc::new(data),
        memo,
        charts_drawn,
        tera,
        sink,
        site_view: SiteView {
            title: &c.title,
            description: &c.description,
            base_url: &c.base_url,
            language: &c.language,
            author: &c.author,
            license: &c.license,
            links: c
                .links
                .iter()
                .map(|(t, h)| Link {
                    text: t.clone(),
                    href: h.clone(),
                })
                .collect(),
        },
        assets: BTreeMap::new(),
        updated: publish::last_updated(site).map(|d| d.long_es()),
        made: Part::default(),
    };
    static_files(&mut r, root);
    // The sections are independent: rendered in parallel, merged in this order. Bulletins
    // first: a chart belongs to the first page that shows it (the home reuses one).
    let sections: [fn(&mut Renderer); 7] = [
        bulletins,
        home,
        metrics,
        places,
        downloads,
        methodology,
        not_found,
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
    chart_files(&mut r);
    publishing(&mut r);
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

fn home(r: &mut Renderer) {
    let site = r.site;
    // Headline: for each main indicator, the largest figure reported (the cumulative balance).
    let headline_ids = [
        "consultations.specialty",
        "consultations.family_medicine",
        "surgeries",
        "transplants",
    ];
    #[derive(Serialize)]
    struct Headline {
        label: String,
        value: String,
        period: String,
        scope: String,
        kind: &'static str,
        metric_href: String,
        bulletin: Link,
        conflict: Option<String>,
    }
    let headlines: Vec<Headline> = headline_ids
        .iter()
        .filter_map(|id| site.metric_index(id))
        .filter_map(|m| {
            let o = *site.by_metric[m]
                .iter()
                .max_by_key(|o| site.figure(**o).value)?;
            let rep = site.report(o);
            let f = site.figure(o);
            let b = &site.bulletins[o.bulletin];
            Some(Headline {
                label: site.metrics[m].label.clone(),
                value: value_text(f.value, f.qualifier),
                period: rep.period.long_es(),
                scope: site.scope_names(&rep.scope),
                kind: kind_label(rep.kind),
                metric_href: metric_href(site, m),
                bulletin: bulletin_link(b),
                conflict: charts::figure_bar(String::new(), f, &rep.period).footnote,
            })
        })
        .collect();

    let charts = r.charts_drawn.home.clone();
    for c in &charts {
        r.register(c, "");
    }
    let latest: Vec<BulletinSummary> = site
        .bulletins
        .iter()
        .take(HOME_LATEST)
        .map(bulletin_summary)
        .collect();
    let mut ctx = Context::new();
    ctx.insert("headlines", &headlines);
    ctx.insert("charts", &charts);
    ctx.insert("bulletins", &latest);
    ctx.insert("bulletin_count", &site.bulletins.len());
    ctx.insert("figure_count", &site.all_observations().count());
    let numbers: Vec<(String, String)> = headlines
        .iter()
        .map(|h| (h.value.clone(), h.label.clone()))
        .collect();
    r.card(
        SITE_CARD,
        Card {
            site: site.config.title.clone(),
            kicker: r
                .updated
                .as_ref()
                .map_or_else(String::new, |d| format!("Datos al {d}")),
            title: site.config.description.clone(),
            body: Body::Numbers(numbers),
        },
    );
    r.page(
        "",
        "index.html",
        Meta::new(
            &site.config.title,
            site.config.description.clone(),
            "inicio",
        ),
        ctx,
    );
}

fn bulletins(r: &mut Renderer) {
    let site = r.site;
    let list: Vec<BulletinSummary> = site.bulletins.iter().map(bulletin_summary).collect();
    let mut ctx = Context::new();
    ctx.insert("bulletins", &list);
    let description = format!(
        "Los {} boletines de prensa del IMSS del sitio, del más reciente al más antiguo, con sus cifras.",
        site.bulletins.len()
    );
    r.page(
        "boletines/",
        "bulletins.html",
        Meta::new("Boletines", description, "boletines"),
        ctx,
    );

    // A bulletin's page shows it and links to its neighbours (by title and date).
    let neighbour = |i: Option<usize>| i.and_then(|i| site.bulletins.get(i)).map(|b| b.fingerprint);
    let key = |bi: usize, b: &crate::model::Bulletin| {
        let mut h = DefaultHasher::new();
        (
            b.fingerprint,
            neighbour(bi.checked_sub(1)),
            neighbour(Some(bi + 1)),
        )
            .hash(&mut h);
        h.finish()
    };
    r.par_each(&site.bulletins, key, |r, bi, b| {
        let reports: Vec<ReportView> = (0..b.reports.len())
            .map(|ri| report_view(site, bi, ri, r.charts_drawn.reports[bi][ri].clone()))
            .collect();
        let mut ctx = Context::new();
        ctx.insert("bulletin", &bulletin_summary(b));
        ctx.insert("date_note", &b.date_note);
        ctx.insert("publisher", &b.publisher);
        ctx.insert("seed", &b.seed);
        ctx.insert("url", &b.url);
        ctx.insert("tags", &b.tags);
        ctx.insert("notes", &b.notes);
        ctx.insert("source_line", &source_line(b));
        ctx.insert(
            "places",
            &b.places
                .iter()
                .map(|&p| place_link(site, p))
                .collect::<Vec<_>>(),
        );
        ctx.insert("reports", &reports);
        ctx.insert(
            "text_html",
            &markdown::to_html(&b.text, 2, &source_marks(b)),
        );
        let prev = bi
            .checked_sub(1)
            .map(|i| bulletin_summary(&site.bulletins[i]).link);
        let next = site.bulletins.get(bi + 1).map(|n| bulletin_summary(n).link);
        ctx.insert("newer", &prev);
        ctx.insert("older", &next);
        for rv in &reports {
            for c in &rv.charts {
                r.register(c, &bulletin_href(b));
            }
        }
        let summary = bulletin_summary(b);
        let card_path = format!("tarjetas/boletines/{}.png", b.slug);
        let body = match reports.iter().flat_map(|r| r.charts.iter()).next() {
            Some(c) => Body::Chart(c.spec.clone()),
            None => Body::Numbers(figure_numbers(&reports)),
        };
        r.card(
            &card_path,
            Card {
                site: site.config.title.clone(),
                kicker: format!("Boletín · {}", summary.date),
                title: b.title.clone(),
                body,
            },
        );
        let description = format!(
            "{}. {} cifras del IMSS{}, cada una con su periodo, lugar y la frase que la da.",
            summary.date,
            summary.figures,
            summary
                .periods
                .first()
                .map(|p| format!(", {p}"))
                .unwrap_or_default()
        );
        let meta = Meta {
            card: Some(card_path),
            lastmod: b.sort_date(),
            ..Meta::new(&b.title, description, "boletines")
        };
        r.page(&bulletin_href(b), "bulletin.html", meta, ctx);
    });
}

/// The sentences that state the bulletin's figures, to be marked and anchored in its text.
fn source_marks(b: &crate::model::Bulletin) -> Vec<markdown::Mark> {
    b.reports
        .iter()
        .flat_map(|r| r.figures.iter())
        .filter_map(|f| f.source)
        .map(|m| markdown::Mark {
            start: m.sentence.0,
            end: m.sentence.1,
            id: m.anchor(),
        })
        .collect()
}

fn metrics(r: &mut Renderer) {
    let site = r.site;
    #[derive(Serialize)]
    struct MetricItem {
        link: Link,
        group: &'static str,
        count: usize,
        depth: usize,
    }
    let group_label = |g: Group| match g {
        Group::Consultations => "Consultas",
        Group::Surgeries => "Cirugías",
        Group::Transplants => "Trasplantes",
        Group::Screenings => "Detecciones",
        Group::Rehabilitation => "Rehabilitación",
        Group::Capacity => "Capacidad y cobertura",
        Group::Other => "Otros",
    };
    let items: Vec<MetricItem> = site
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| MetricItem {
            link: Link {
                text: m.label.clone(),
                href: metric_href(site, i),
            },
            group: group_label(m.group),
            count: site.by_metric[i].len(),
            depth: usize::from(m.parent.is_some()),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("metrics", &items);
    r.page(
        "indicadores/",
        "metrics.html",
        Meta::new(
            "Indicadores",
            "El catálogo de indicadores: consultas, cirugías, trasplantes, detecciones y más, con todas sus cifras en el tiempo.",
            "indicadores",
        ),
        ctx,
    );

    #[derive(Serialize)]
    struct Observation {
        value: String,
        source: Option<String>,
        per_day: Option<String>,
        period: String,
        days: Option<i64>,
        year_note: Option<&'static str>,
        kind: &'static str,
        scope: Vec<Link>,
        bulletin: Link,
        report_anchor: String,
        note: Option<String>,
        conflict: Option<String>,
    }
    // The page shows the latest observations in full, and of the others only where and when
    // they are (for its dataset metadata): an edit elsewhere does not re-render it.
    let shown = |i: usize| {
        let all = &site.by_metric[i];
        &all[all.len().saturating_sub(LISTED)..]
    };
    let key = |i: usize, _: &crate::model::Metric| {
        let mut h = DefaultHasher::new();
        observations_key(site, shown(i)).hash(&mut h);
        for o in &site.by_metric[i] {
            let r = site.report(*o);
            (r.period, &r.scope, site.bulletins[o.bulletin].sort_date()).hash(&mut h);
        }
        for c in &r.charts_drawn.metrics[i] {
            c.fingerprint.hash(&mut h);
        }
        h.finish()
    };
    r.par_each(&site.metrics, key, |r, i, m| {
        let all = &site.by_metric[i];
        let observations: Vec<Observation> = shown(i)
            .iter()
            .map(|&o| {
                let b = &site.bulletins[o.bulletin];
                let rep = site.report(o);
                let f = site.figure(o);
                let fv = figure_view(site, b, rep, f);
                Observation {
                    value: fv.value,
                    source: fv.source,
                    per_day: fv.per_day,
                    period: rep.period.long_es(),
                    days: rep.period.days(),
                    year_note: (!rep.period.year_stated()).then_some(YEAR_NOTE),
                    kind: kind_label(rep.kind),
                    scope: rep.scope.iter().map(|&p| place_link(site, p)).collect(),
                    bulletin: bulletin_link(b),
                    report_anchor: rep.id.clone(),
                    note: f.note.clone(),
                    conflict: fv
                        .conflict
                        .as_ref()
                        .map(|c| format!("El boletín también da {}. {}", c.other_values, c.note)),
                }
            })
            .collect();
        let charts = &r.charts_drawn.metrics[i];
        for c in charts {
            r.register(c, &metric_href(site, i));
        }
        let mut ctx = Context::new();
        ctx.insert("label", &m.label);
        ctx.insert("id", &m.id);
        ctx.insert("unit", &m.unit);
        ctx.insert("group", group_label(m.group));
        ctx.insert("definition", &m.definition);
        ctx.insert("parent", &m.parent.map(|p| metric_link(site, p)));
        ctx.insert(
            "children",
            &m.children
                .iter()
                .map(|&c| metric_link(site, c))
                .collect::<Vec<_>>(),
        );
        ctx.insert("observations", &observations);
        ctx.insert("observations_total", &all.len());
        ctx.insert("charts", charts);
        ctx.insert("csv", &format!("datos/indicadores/{}.csv", m.slug));
        ctx.insert("json", &format!("datos/indicadores/{}.json", m.slug));
        let card_path = format!("tarjetas/indicadores/{}.png", m.slug);
        let body = match charts.first() {
            Some(c) if c.spec.bars.len() > 1 => Body::Chart(c.spec.clone()),
            _ => Body::Numbers(
                observations
                    .iter()
                    .map(|o| (o.value.clone(), o.period.clone()))
                    .collect(),
            ),
        };
        r.card(
            &card_path,
            Card {
                site: site.config.title.clone(),
                kicker: format!("Indicador · {} cifras", all.len()),
                title: m.label.clone(),
                body,
            },
        );
        let obs = &site.by_metric[i];
        let url = format!("{}{}", site.config.base_url, metric_href(site, i));
        let csv = format!("{}datos/indicadores/{}.csv", site.config.base_url, m.slug);
        let json = format!("{}datos/indicadores/{}.json", site.config.base_url, m.slug);
        let periods: Vec<&crate::model::Period> =
            obs.iter().map(|o| &site.report(*o).period).collect();
        let places: Vec<usize> = obs
            .iter()
            .flat_map(|o| site.report(*o).scope.iter().copied())
            .collect();
        let meta = Meta {
            card: Some(card_path),
            lastmod: obs
                .iter()
                .filter_map(|o| site.bulletins[o.bulletin].sort_date())
                .max(),
            jsonld: (!obs.is_empty()).then(|| {
                publish::dataset(
                    site,
                    &m.label,
                    &m.definition,
                    &url,
                    &[("text/csv", &csv), ("application/json", &json)],
                    &periods,
                    &places,
                )
            }),
            ..Meta::new(&m.label, m.definition.clone(), "indicadores")
        };
        r.page(&metric_href(site, i), "metric.html", meta, ctx);
    });
    // The downloads have every observation: put together from encoded lines, outside the
    // memoised pages so an edit to any figure reaches them.
    for (i, m) in site.metrics.iter().enumerate() {
        let obs = &site.by_metric[i];
        r.data_file(
            format!("datos/indicadores/{}.csv", m.slug),
            obs.clone(),
            false,
        );
        r.data_file(
            format!("datos/indicadores/{}.json", m.slug),
            obs.clone(),
            true,
        );
    }
}

fn places(r: &mut Renderer) {
    let site = r.site;
    let kind_label = |k: crate::model::PlaceKind| match k {
        crate::model::PlaceKind::National => "Nacional",
        crate::model::PlaceKind::State => "Entidad federativa",
        crate::model::PlaceKind::Office => "Oficina de Representación del IMSS",
        crate::model::PlaceKind::Unit => "Unidad médica",
    };
    #[derive(Serialize)]
    struct PlaceItem {
        link: Link,
        kind: &'static str,
        reports: usize,
        bulletins: usize,
    }
    let items: Vec<PlaceItem> = site
        .places
        .iter()
        .enumerate()
        .map(|(i, p)| PlaceItem {
            link: Link {
                text: p.name.clone(),
                href: place_href(site, i),
            },
            kind: kind_label(p.kind),
            reports: site.reports_by_place[i].len(),
            bulletins: site.bulletins_by_place[i].len(),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("places", &items);
    r.page(
        "lugares/",
        "places.html",
        Meta::new(
            "Lugares",
            "Entidades, Oficinas de Representación y unidades médicas del IMSS que nombran los boletines.",
            "lugares",
        ),
        ctx,
    );

    // What a place page shows: its latest reports and bulletins, their totals, its chart.
    let key = |i: usize, _: &crate::model::Place| {
        let mut h = DefaultHasher::new();
        let (reports, bulletins) = (&site.reports_by_place[i], &site.bulletins_by_place[i]);
        (reports.len(), bulletins.len()).hash(&mut h);
        for &(b, ri) in reports.iter().take(PLACE_REPORTS) {
            (site.bulletins[b].fingerprint, ri).hash(&mut h);
        }
        for &b in bulletins.iter().take(LISTED) {
            site.bulletins[b].fingerprint.hash(&mut h);
        }
        for &(b, _) in reports {
            site.bulletins[b].sort_date().hash(&mut h);
        }
        r.charts_drawn.places[i]
            .as_ref()
            .map(|c| c.fingerprint)
            .hash(&mut h);
        h.finish()
    };
    r.par_each(&site.places, key, |r, i, p| {
        // Each report is rendered on its own (templates/report.html): a report appears on
        // several place pages, and `serve` keeps it between rebuilds while it is unchanged.
        let reports: Vec<String> = site.reports_by_place[i]
            .iter()
            .take(PLACE_REPORTS)
            .filter_map(|&(bi, ri)| {
                let key = (site.bulletins[bi].fingerprint, ri);
                r.fragment("report.html", "../../", key, || {
                    let mut view = report_view(site, bi, ri, Vec::new());
                    view.anchor = format!("informe-{}-{}", site.bulletins[bi].slug, view.id);
                    let mut ctx = Context::new();
                    ctx.insert("r", &view);
                    ctx
                })
            })
            .collect();
        let bulletins: Vec<BulletinSummary> = site.bulletins_by_place[i]
            .iter()
            .take(LISTED)
            .map(|&b| bulletin_summary(&site.bulletins[b]))
            .collect();
        let parts: Vec<Link> = site
            .places
            .iter()
            .enumerate()
            .filter(|(_, q)| q.state == Some(i))
            .map(|(j, q)| Link {
                text: q.name.clone(),
                href: place_href(site, j),
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("name", &p.name);
        ctx.insert("kind", kind_label(p.kind));
        ctx.insert("note", &p.note);
        ctx.insert("state", &p.state.map(|s| place_link(site, s)));
        ctx.insert("parts", &parts);
        let chart = &r.charts_drawn.places[i];
        if let Some(c) = chart {
            r.register(c, &place_href(site, i));
        }
        ctx.insert("chart", chart);
        ctx.insert("reports", &reports);
        ctx.insert("reports_total", &site.reports_by_place[i].len());
        ctx.insert("bulletins", &bulletins);
        ctx.insert("bulletins_total", &site.bulletins_by_place[i].len());
        ctx.insert("csv", &format!("datos/lugares/{}.csv", p.id));
        let meta = Meta {
            lastmod: site.reports_by_place[i]
                .iter()
                .filter_map(|&(b, _)| site.bulletins[b].sort_date())
                .max(),
            ..Meta::new(
                &p.name,
                format!("Cifras de los boletines del IMSS que abarcan {}.", p.name),
                "lugares",
            )
        };
        r.page(&place_href(site, i), "place.html", meta, ctx);
    });
    for (i, p) in site.places.iter().enumerate() {
        let in_place = site.reports_by_place[i].iter().flat_map(|&(bi, ri)| {
            (0..site.bulletins[bi].reports[ri].figures.len()).map(move |fi| ObsRef {
                bulletin: bi,
                report: ri,
                figure: fi,
            })
        });
        r.data_file(
            format!("datos/lugares/{}.csv", p.id),
            in_place.collect(),
            false,
        );
    }
}

fn downloads(r: &mut Renderer) {
    let site = r.site;
    let all: Vec<ObsRef> = site.all_observations().collect();
    r.data_file("datos/cifras.csv".into(), all.clone(), false);
    r.data_file("datos/cifras.json".into(), all, true);
    let per_metric: Vec<(Link, usize)> = site
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| {
            (
                Link {
                    text: m.label.clone(),
                    href: format!("datos/indicadores/{}.csv", m.slug),
                },
                site.by_metric[i].len(),
            )
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("per_metric", &per_metric);
    ctx.insert("figure_count", &site.all_observations().count());
    let base = &site.config.base_url;
    let (csv, json) = (
        format!("{base}datos/cifras.csv"),
        format!("{base}datos/cifras.json"),
    );
    let all: Vec<ObsRef> = site.all_observations().collect();
    let periods: Vec<&crate::model::Period> = all.iter().map(|o| &site.report(*o).period).collect();
    let places: Vec<usize> = all
        .iter()
        .flat_map(|o| site.report(*o).scope.iter().copied())
        .collect();
    let description = format!(
        "Las {} cifras de los boletines del IMSS sobre la recuperación de servicios médicos, en CSV y JSON, una fila por cifra.",
        all.len()
    );
    let meta = Meta {
        jsonld: Some(publish::dataset(
            site,
            &site.config.title,
            &description,
            &format!("{base}datos/"),
            &[("text/csv", &csv), ("application/json", &json)],
            &periods,
            &places,
        )),
        ..Meta::new("Datos", description.clone(), "datos")
    };
    r.page("datos/", "data.html", meta, ctx);
}

fn not_found(r: &mut Renderer) {
    r.page(
        "404.html",
        "404.html",
        Meta::new("Página no encontrada", "La página que busca no existe.", ""),
        Context::new(),
    );
}

fn methodology(r: &mut Renderer) {
    let site = r.site;
    #[derive(Serialize)]
    struct ConflictItem {
        metric: Link,
        value: String,
        others: String,
        note: String,
        bulletin: Link,
        period: String,
    }
    let conflicts: Vec<ConflictItem> = site
        .all_observations()
        .filter_map(|o| {
            let f = site.figure(o);
            let c = f.conflict.as_ref()?;
            let b = &site.bulletins[o.bulletin];
            Some(ConflictItem {
                metric: metric_link(site, f.metric),
                value: value_text(f.value, f.qualifier),
                others: c
                    .other_values
                    .iter()
                    .map(|v| crate::model::format::number(*v))
                    .collect::<Vec<_>>()
                    .join(", "),
                note: c.note.clone(),
                bulletin: bulletin_link(b),
                period: site.report(o).period.long_es(),
            })
        })
        .collect();
    let undated: Vec<(Link, String)> = site
        .bulletins
        .iter()
        .filter(|b| b.date.is_none())
        .map(|b| (bulletin_link(b), b.date_note.clone().unwrap_or_default()))
        .collect();
    let inferred_years = site
        .bulletins
        .iter()
        .flat_map(|b| b.reports.iter())
        .filter(|rep| !rep.period.year_stated())
        .count();
    let all: Vec<ObsRef> = site.all_observations().collect();
    let traced = all
        .iter()
        .filter(|o| site.figure(**o).source.is_some())
        .count();
    let qualified = all
        .iter()
        .filter(|o| site.figure(**o).qualifier.is_some())
        .count();
    let mut ctx = Context::new();
    ctx.insert("figure_count", &all.len());
    ctx.insert("traced", &traced);
    ctx.insert("qualified", &qualified);
    ctx.insert("conflicts", &conflicts);
    ctx.insert("undated", &undated);
    ctx.insert("inferred_years", &inferred_years);
    r.page(
        "metodologia/",
        "methodology.html",
        Meta::new(
            "Metodología y calidad de los datos",
            "Qué son las cifras, cómo se comparan periodos distintos, qué falta en la fuente y sus contradicciones.",
            "metodologia",
        ),
        ctx,
    );
}

fn static_files(r: &mut Renderer, root: &Path) {
    let mut files: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
        .iter()
        .map(|(n, b)| (format!("static/{n}"), b.to_vec()))
        .collect();
    let dir = root.join("static");
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let name = format!("static/{}", rel.to_string_lossy().replace('\\', "/"));
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    files.insert(name, bytes);
                }
                Err(e) => r.made.diags.push(Diagnostic::file_error(
                    Path::new(&name),
                    format!("cannot read: {e}"),
                )),
            }
        }
    }
    // Content-hashed names: a new deploy never mixes with a cached old stylesheet.
    for (path, bytes) in files {
        let name = path.trim_start_matches("static/").to_string();
        let hashed = format!("static/{}", publish::hashed_name(&name, &bytes));
        r.assets.insert(name, hashed.clone());
        r.emit(OutputFile {
            path: hashed,
            bytes: bytes.into(),
        });
    }
}

/// For every chart: the SVG, a PNG, the numbers as CSV, and a minimal page to embed.
fn chart_files(r: &mut Renderer) {
    let charts: Vec<(ChartView, String)> =
        std::mem::take(&mut r.made.charts).into_values().collect();
    let key = |_: usize, (chart, page): &(ChartView, String)| {
        let mut h = DefaultHasher::new();
        (chart.fingerprint, page).hash(&mut h);
        h.finish()
    };
    r.par_each(&charts, key, |r, _, (chart, page)| {
        let f = &chart.files;
        r.emit(OutputFile {
            path: f.svg.clone(),
            bytes: Arc::<[u8]>::from(chart.svg.clone()),
        });
        r.made.deferred.push(Deferred {
            path: f.png.clone(),
            image: Image::Chart(chart.spec.clone()),
        });
        r.file(f.csv.clone(), charts::csv(&chart.spec));
        let mut ctx = Context::new();
        ctx.insert("chart", chart);
        ctx.insert("page", page);
        let meta = Meta::new(&chart.caption, chart.spec.subtitle.clone(), "grafica");
        r.page(&f.embed, "embed.html", meta, ctx);
    });
}

/// Files for crawlers, feed readers and GitHub Pages.
fn publishing(r: &mut Renderer) {
    let base = r.site.config.base_url.clone();
    let sitemap = publish::sitemap(&base, &r.made.sitemap);
    r.file("sitemap.xml".into(), Ok(sitemap.into_bytes()));
    r.file("feed.xml".into(), Ok(publish::atom(r.site).into_bytes()));
    r.file("robots.txt".into(), Ok(publish::robots(&base).into_bytes()));
    // GitHub Pages runs Jekyll unless told not to; the site is already built.
    r.file(".nojekyll".into(), Ok(Vec::new()));
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

/// The observations a page shows, by the bulletins they come from.
fn observations_key(site: &Site, obs: &[ObsRef]) -> u64 {
    let mut h = DefaultHasher::new();
    for o in obs {
        (site.bulletins[o.bulletin].fingerprint, o.report, o.figure).hash(&mut h);
    }
    h.finish()
}

/// Up to three of a page's figures, for a social card without a chart.
fn figure_numbers(reports: &[ReportView]) -> Vec<(String, String)> {
    reports
        .iter()
        .flat_map(|r| r.figures.iter())
        .take(3)
        .map(|f| (f.value.clone(), f.metric.text.clone()))
        .collect()
}
