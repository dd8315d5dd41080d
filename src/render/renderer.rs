//! The `Renderer`: what every page is rendered with (the site, templates, assets, where files
//! go) and what it has produced so far (`Part`). Pages call its methods to emit pages, files,
//! cards and downloads; sections and items render on forks of it, in parallel.

use std::collections::hash_map::DefaultHasher;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::charts::{ChartView, SiteCharts};
use super::templates::tera_error;
use super::views::Link;
use super::{data, publish, Deferred, Image, OutputFile, Sink};
use crate::charts::card::Card;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Date, ObsRef, Site};

#[derive(Serialize, Clone)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    language: &'a str,
    author: &'a str,
    license: &'a str,
    links: Vec<Link>,
    /// `https://example.github.io`: the only origin an embed snippet accepts resize messages
    /// from.
    origin: String,
}

/// What one part of the site produced: merged into the whole, and kept by `serve`'s memo.
#[derive(Clone, Default)]
pub(crate) struct Part {
    pub(super) sitemap: Vec<(String, Option<Date>)>,
    /// Every chart drawn, by id, with the page it belongs to: for downloads and embed pages.
    pub(super) charts: BTreeMap<String, (ChartView, String)>,
    pub(super) out: Vec<OutputFile>,
    /// Files written straight to the staging directory instead of kept in `out`.
    pub(super) staged: usize,
    pub(super) deferred: Vec<Deferred>,
    pub(super) diags: Diagnostics,
}

impl Part {
    pub(super) fn merge(&mut self, part: Part) {
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

pub(super) struct Renderer<'a> {
    pub(super) site: &'a Site,
    /// See `site_key`; shared by the forks, which are made after the assets are known.
    site_key: Arc<std::sync::OnceLock<u64>>,
    /// Every figure encoded once for the CSV and JSON downloads.
    data: Arc<data::Encoded>,
    memo: Option<&'a crate::memo::Memo>,
    pub(super) charts_drawn: &'a SiteCharts,
    tera: &'a Tera,
    sink: Sink<'a>,
    site_view: SiteView<'a>,
    /// Static file name -> content-hashed output path, for templates (`assets["style.css"]`).
    pub(super) assets: BTreeMap<String, String>,
    /// "30 de marzo de 2022": when the data was last updated.
    pub(super) updated: Option<String>,
    /// What this renderer (or fork) has produced so far.
    pub(super) made: Part,
}

/// What a page says about itself: for `<head>`, social cards and the sitemap.
pub(super) struct Meta<'m> {
    pub(super) title: &'m str,
    pub(super) description: String,
    pub(super) section: &'m str,
    /// The page's social card, relative to the site root; the site's card when `None`.
    pub(super) card: Option<String>,
    pub(super) jsonld: Option<serde_json::Value>,
    pub(super) lastmod: LastMod,
}

/// The sitemap's `<lastmod>` for a page: only a date some bulletin states, never a stand-in.
pub(super) enum LastMod {
    /// A page about the whole site (home, lists, data): the newest date any bulletin states.
    Site,
    /// A page about some bulletins: the newest date they state; none (no `<lastmod>`, which
    /// the sitemap protocol allows) when they state no date at all.
    Stated(Option<Date>),
}

impl LastMod {
    /// The newest date the given bulletins state.
    pub(super) fn of<'b>(bulletins: impl Iterator<Item = &'b crate::model::Bulletin>) -> Self {
        LastMod::Stated(bulletins.filter_map(|b| b.stated_date()).max())
    }
}

impl<'m> Meta<'m> {
    pub(super) fn new(title: &'m str, description: impl Into<String>, section: &'m str) -> Self {
        Meta {
            title,
            description: description.into(),
            section,
            card: None,
            jsonld: None,
            lastmod: LastMod::Site,
        }
    }
}

/// How many entries an indicator or place page lists in full: the most recent. A page of
/// thousands of tables helps no reader; every figure stays on its bulletin's page and in the
/// CSV and JSON downloads the page links to.
pub(super) const LISTED: usize = 100;

/// The site-wide social card, used by pages without their own.
pub(super) const SITE_CARD: &str = "tarjetas/sitio.png";

impl<'a> Renderer<'a> {
    /// The renderer for the whole site, with nothing produced yet; `data` is every figure
    /// encoded for the downloads.
    pub(super) fn new(
        site: &'a Site,
        data: data::Encoded,
        memo: Option<&'a crate::memo::Memo>,
        charts_drawn: &'a SiteCharts,
        tera: &'a Tera,
        sink: Sink<'a>,
    ) -> Self {
        let c = &site.config;
        Renderer {
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
                origin: publish::origin(&c.base_url),
            },
            assets: BTreeMap::new(),
            updated: publish::last_updated(site).map(|d| d.long_es()),
            made: Part::default(),
        }
    }

    /// A renderer for part of the site, sharing everything read-only and collecting its own
    /// output: parts render in parallel and are merged back in a fixed order.
    pub(super) fn fork(&self) -> Self {
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
    pub(super) fn par_each<T: Sync>(
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
    pub(super) fn page(&mut self, dir: &str, template: &str, meta: Meta, mut ctx: Context) {
        let path = if dir.ends_with(".html") {
            dir.to_string()
        } else {
            format!("{dir}index.html")
        };
        let base = &self.site.config.base_url;
        // Relative links work under any sub-path; the 404 page is served at arbitrary depths,
        // so it links from the server's root ("/repo/"), which also works in a local preview
        // where the public host is out of reach.
        let root = if path == "404.html" {
            publish::base_path(base)
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
            let lastmod = match meta.lastmod {
                LastMod::Site => publish::last_stated(self.site),
                LastMod::Stated(d) => d,
            };
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

    pub(super) fn file(&mut self, path: String, bytes: Result<Vec<u8>, String>) {
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
    pub(super) fn emit(&mut self, file: OutputFile) {
        match self.sink {
            Sink::Disk(staging) => match staging.put(&file) {
                Ok(()) => self.made.staged += 1,
                // About the output folder, and once: not once per page, named as a project file.
                Err(e) => self.made.diags.0.extend(e.diagnostic(staging.out())),
            },
            Sink::Keep => self.made.out.push(file),
            Sink::Discard => self.made.out.push(OutputFile {
                path: file.path,
                bytes: Arc::from([]),
            }),
        }
    }

    /// Remember a chart for its downloads and embed page (the first page showing it owns it).
    pub(super) fn register(&mut self, chart: &ChartView, page: &str) {
        self.made
            .charts
            .entry(chart.id.clone())
            .or_insert_with(|| (chart.clone(), page.to_string()));
    }

    /// A piece of a page rendered from `template` on its own (from the memo when `key`, the
    /// site and `root` are unchanged), for a page to include as HTML.
    pub(super) fn fragment(
        &mut self,
        template: &str,
        root: &str,
        key: impl Hash,
        context: impl FnOnce() -> Context,
    ) -> Option<String> {
        let render = || {
            let mut ctx = context();
            ctx.insert("root", root);
            ctx.insert("site", &self.site_view);
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

    pub(super) fn data_file(&mut self, path: String, figures: Vec<ObsRef>, json: bool) {
        let format = if json {
            data::Format::Json
        } else {
            data::Format::Csv
        };
        self.download(path, figures, format);
    }

    /// A place's CSV: `figures`, each marked as the place's own or shared with other places.
    pub(super) fn place_csv(&mut self, path: String, figures: Vec<(ObsRef, data::ScopeKind)>) {
        let (figures, kinds) = figures.into_iter().unzip();
        self.download(path, figures, data::Format::PlaceCsv(kinds));
    }

    fn download(&mut self, path: String, figures: Vec<ObsRef>, format: data::Format) {
        self.made.deferred.push(Deferred {
            path,
            image: Image::Data {
                encoded: self.data.clone(),
                figures,
                format,
            },
        });
    }

    pub(super) fn card(&mut self, path: &str, card: Card) {
        self.made.deferred.push(Deferred {
            path: path.to_string(),
            image: Image::Card(Box::new(card)),
        });
    }
}
