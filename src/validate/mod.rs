//! Stage 2, **validate**: check what the files mean (references, dates, slugs, sums, figures
//! stated in the text) and turn them into the typed `model::Content`. Every problem is
//! collected, located and given a hint; errors stop the build, warnings do not.

pub mod limits;
mod period;
pub mod provenance;
pub mod spanish_numbers;
mod sums;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, Pos, SourceFile};
use crate::load::schema::{self, ReportKind, S};
use crate::load::{BulletinSource, Sources};
use limits::Field;

use crate::model::words::Phrases;
use crate::model::{
    Bulletin, Conflict, Content, Figure, Metric, Number, PartialDate, Period, Place, PlaceKind,
    Report, SiteConfig,
};

pub fn validate(src: &Sources) -> (Option<Content>, Diagnostics) {
    validate_with(src, None)
}

/// `validate`, reusing from `memo` the bulletins checked before against the same catalogues.
pub fn validate_with(
    src: &Sources,
    memo: Option<&crate::memo::Memo>,
) -> (Option<Content>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let config = site(src, &mut diags);
    let metrics = metrics(src, &mut diags);
    // A broken catalogue (e.g. an unknown parent) would make every total look wrong: report the
    // catalogue and skip the checks that depend on its structure.
    let catalogue_ok = !diags.has_errors();
    let places = places(src, &mut diags);
    let metric_ids: HashMap<&str, usize> = metrics
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let place_ids: HashMap<&str, usize> = places
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let phrases = metric_phrases(&metrics);
    let refs = Refs {
        catalogue_ok,
        metrics: &metrics,
        metric_ids,
        place_ids,
        phrases,
    };
    // Bulletins are checked independently of each other: in parallel, reported in order.
    let catalogue_key = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&src.metrics.file.text, &src.places.file.text).hash(&mut h);
        h.finish()
    };
    let checked: Vec<(Bulletin, Diagnostics)> = src
        .bulletins
        .par_iter()
        .map(|b| {
            let check = || {
                let mut found = Diagnostics::default();
                (bulletin(b, &refs, &mut found), found)
            };
            match memo {
                Some(memo) => memo.checked(b.fingerprint ^ catalogue_key.rotate_left(1), check),
                None => check(),
            }
        })
        .collect();
    let mut bulletins = Vec::with_capacity(checked.len());
    for (b, found) in checked {
        diags.extend(found);
        bulletins.push(b);
    }
    let content = (!diags.has_errors()).then_some(Content {
        config,
        metrics,
        places,
        bulletins,
    });
    (content, diags)
}

/// A bulletin's text, read once for all its figures.
struct Text<'a> {
    file: &'a SourceFile,
    numbers: &'a [spanish_numbers::Found],
    sentences: &'a provenance::Sentences,
}

struct Refs<'a> {
    catalogue_ok: bool,
    metrics: &'a [Metric],
    metric_ids: HashMap<&'a str, usize>,
    place_ids: HashMap<&'a str, usize>,
    /// Every metric's label and aliases, for provenance to recognise the words that name it.
    phrases: Phrases,
}

/// Each metric's label and aliases, naming the metric's index.
fn metric_phrases(metrics: &[Metric]) -> Phrases {
    Phrases::new(metrics.iter().enumerate().flat_map(|(i, m)| {
        std::iter::once(m.label.as_str())
            .chain(m.aliases.iter().map(String::as_str))
            .map(move |t| (i, t))
    }))
}

fn pos<T>(s: &S<T>) -> Pos {
    Pos::of(&s.referenced)
}

/// Lowercase words joined by `_`, a part nested under its total with a dot:
/// `transplants.kidney`.
pub fn is_metric_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            part.starts_with(|c: char| c.is_ascii_lowercase())
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
}

/// A text still saying what `cifras new bulletin|metric|place` wrote in it: an untouched
/// scaffold must not publish.
fn placeholder(f: &SourceFile, s: &S<String>, what: &str, diags: &mut Diagnostics) {
    if s.value.contains(crate::scaffold_entry::PLACEHOLDER) {
        diags.push(
            f.error(
                pos(s),
                format!(
                    "{what} still says {}, as the scaffold wrote it",
                    crate::scaffold_entry::PLACEHOLDER
                ),
            )
            .with_hint("write the real text; the comments above the entry say what it needs"),
        );
    }
}

/// Lowercase ASCII words joined by single hyphens: safe in any URL and file system.
pub fn is_url_slug(s: &str) -> bool {
    !s.is_empty()
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// An absolute http(s) URL ending in `/`, as every page URL is built by appending to it.
pub fn is_base_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| r.len() > 1 && !r.starts_with('/'))
        && url.ends_with('/')
        && !url.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\\'))
}

const SLUG_HINT: &str =
    "use lowercase letters a-z, digits and single hyphens, e.g. `trasplantes-rinon`";

fn site(src: &Sources, diags: &mut Diagnostics) -> SiteConfig {
    let f = &src.site.file;
    let s = &src.site.data;
    let base = &s.base_url;
    if !is_base_url(&base.value) {
        diags.push(
            f.error(
                pos(base),
                format!(
                    "base_url `{}` is not an absolute URL ending in `/`",
                    base.value
                ),
            )
            .with_hint("for GitHub Pages write e.g. `https://OWNER.github.io/REPO/`"),
        );
    }
    for text in [&s.title, &s.language, &s.author] {
        non_empty(f, text, diags);
        limits::fits(f, text, Field::Title, diags);
    }
    for text in [&s.description, &s.license] {
        limits::fits(f, text, Field::Note, diags);
    }
    for link in &s.links {
        limits::fits(f, &link.label, Field::Title, diags);
        limits::url(f, &link.url, diags);
    }
    SiteConfig {
        title: s.title.value.clone(),
        description: s.description.value.trim().to_string(),
        base_url: base.value.clone(),
        language: s.language.value.clone(),
        author: s.author.value.clone(),
        license: s.license.value.trim().to_string(),
        links: s
            .links
            .iter()
            .map(|l| (l.label.value.clone(), l.url.value.clone()))
            .collect(),
    }
}

fn non_empty(f: &SourceFile, s: &S<String>, diags: &mut Diagnostics) {
    if s.value.trim().is_empty() {
        diags.push(f.error(pos(s), "this text must not be empty"));
    }
}

fn metrics(src: &Sources, diags: &mut Diagnostics) -> Vec<Metric> {
    let f = &src.metrics.file;
    let specs = &src.metrics.data.metrics;
    let mut seen_ids: HashMap<&str, u32> = HashMap::new();
    let mut seen_slugs: HashMap<&str, u32> = HashMap::new();
    for m in specs {
        let id = &m.id;
        if limits::fits(f, id, Field::Slug, diags) && !is_metric_id(&id.value) {
            diags.push(
                f.error(pos(id), format!("metric id `{}` is not valid", id.value))
                    .with_hint(
                        "use lowercase words with `_`, nested with dots, e.g. `transplants.kidney`",
                    ),
            );
        }
        if let Some(line) = seen_ids.insert(&id.value, id.referenced.line() as u32) {
            diags.push(
                f.error(
                    pos(id),
                    format!("metric id `{}` is defined twice", id.value),
                )
                .with_hint(format!(
                    "the first definition is on line {line}; ids must be unique"
                )),
            );
        }
        if limits::fits(f, &m.slug, Field::Slug, diags) && !is_url_slug(&m.slug.value) {
            diags.push(
                f.error(
                    pos(&m.slug),
                    format!("slug `{}` is not URL-safe", m.slug.value),
                )
                .with_hint(SLUG_HINT),
            );
        }
        if let Some(line) = seen_slugs.insert(&m.slug.value, m.slug.referenced.line() as u32) {
            diags.push(
                f.error(
                    pos(&m.slug),
                    format!("slug `{}` is used twice", m.slug.value),
                )
                .with_hint(format!(
                    "also on line {line}; each indicator needs its own page"
                )),
            );
        }
        for text in [&m.label, &m.unit, &m.definition] {
            non_empty(f, text, diags);
        }
        let what = format!("metric `{}`", m.id.value);
        placeholder(f, &m.label, &format!("the label of {what}"), diags);
        placeholder(f, &m.unit, &format!("the unit of {what}"), diags);
        placeholder(
            f,
            &m.definition,
            &format!("the definition of {what}"),
            diags,
        );
        limits::fits(f, &m.label, Field::Title, diags);
        limits::fits(f, &m.unit, Field::Title, diags);
        limits::fits(f, &m.definition, Field::Note, diags);
        if let Some(d) = &m.decimals {
            if d.value > 6 {
                diags.push(f.error(pos(d), "at most 6 decimals are supported"));
            }
        }
    }
    let index: HashMap<&str, usize> = specs
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.value.as_str(), i))
        .collect();
    let mut out: Vec<Metric> = specs
        .iter()
        .map(|m| Metric {
            id: m.id.value.clone(),
            slug: m.slug.value.clone(),
            label: m.label.value.clone(),
            unit: m.unit.value.clone(),
            group: m.group.value,
            definition: m.definition.value.trim().to_string(),
            parent: None,
            children: Vec::new(),
            decimals: m.decimals.as_ref().map_or(0, |d| d.value),
            per_day: m.per_day,
            colour: m
                .colour
                .as_ref()
                .map_or_else(|| m.group.value.colour(), |c| c.value),
            aliases: m
                .aliases
                .iter()
                .map(|a| a.value.trim().to_string())
                .collect(),
        })
        .collect();
    aliases(f, specs, diags);
    for (i, m) in specs.iter().enumerate() {
        let Some(parent) = &m.parent else { continue };
        match index.get(parent.value.as_str()) {
            Some(&p) if p == i => {
                diags.push(f.error(pos(parent), "a metric cannot be its own parent"));
            }
            Some(&p) => {
                out[i].parent = Some(p);
                out[p].children.push(i);
            }
            None => {
                let mut d = f.error(
                    pos(parent),
                    format!("unknown parent metric `{}`", parent.value),
                );
                d.hint = did_you_mean(&parent.value, index.keys().copied());
                diags.push(d);
            }
        }
    }
    // A chain of parents must end: a cycle would make "total = sum of parts" meaningless.
    for (i, m) in specs.iter().enumerate() {
        let mut at = out[i].parent;
        for _ in 0..out.len() {
            match at {
                Some(p) if p == i => {
                    let parent = m.parent.as_ref().map_or(Pos::default(), pos);
                    diags.push(
                        f.error(
                            parent,
                            format!("metric `{}` is its own ancestor", m.id.value),
                        )
                        .with_hint("parents must form a tree: a total, its parts, their parts"),
                    );
                    break;
                }
                Some(p) => at = out[p].parent,
                None => break,
            }
        }
    }
    out
}

/// An alias must say something and name one indicator only: the same phrase under two metrics
/// (or an alias equal to another metric's label) would make drafts and provenance guess.
fn aliases(f: &SourceFile, specs: &[schema::MetricSpec], diags: &mut Diagnostics) {
    let mut owner: HashMap<String, (&str, u32)> = HashMap::new();
    for m in specs {
        let label = crate::model::words::fold(&m.label.value);
        owner.insert(label, (&m.id.value, m.label.referenced.line() as u32));
    }
    for m in specs {
        for a in &m.aliases {
            let key = crate::model::words::fold(&a.value);
            if key.trim().is_empty() {
                diags.push(
                    f.error(pos(a), "an alias is empty")
                        .with_hint("write the phrase bulletins use, e.g. \"consultas de especialidad\", or remove it"),
                );
                continue;
            }
            match owner.get(&key) {
                Some(&(id, _)) if id == m.id.value => {}
                Some(&(id, line)) => diags.push(
                    f.error(
                        pos(a),
                        format!(
                            "the alias \"{}\" also names `{id}` (line {line})",
                            a.value.trim()
                        ),
                    )
                    .with_hint("a phrase can name one indicator only; keep it on the one it means"),
                ),
                None => {
                    owner.insert(key, (&m.id.value, a.referenced.line() as u32));
                }
            }
        }
    }
}

fn places(src: &Sources, diags: &mut Diagnostics) -> Vec<Place> {
    let f = &src.places.file;
    let specs = &src.places.data.places;
    let mut seen: HashMap<&str, u32> = HashMap::new();
    for p in specs {
        if limits::fits(f, &p.id, Field::Slug, diags) && !is_url_slug(&p.id.value) {
            diags.push(
                f.error(
                    pos(&p.id),
                    format!("place id `{}` is not URL-safe", p.id.value),
                )
                .with_hint(SLUG_HINT),
            );
        }
        if let Some(line) = seen.insert(&p.id.value, p.id.referenced.line() as u32) {
            diags.push(
                f.error(
                    pos(&p.id),
                    format!("place id `{}` is defined twice", p.id.value),
                )
                .with_hint(format!("the first definition is on line {line}")),
            );
        }
        non_empty(f, &p.name, diags);
        placeholder(
            f,
            &p.name,
            &format!("the name of place `{}`", p.id.value),
            diags,
        );
        limits::fits(f, &p.name, Field::Title, diags);
        limits::fits_opt(f, &p.note, Field::Note, diags);
        // The downloads list a figure's places in one cell, separated by `;`: a name with one
        // would make that cell impossible to split back into places.
        let sep = crate::model::PLACE_SEPARATOR;
        if p.name.value.contains(sep) {
            diags.push(
                f.error(
                    pos(&p.name),
                    format!("a place name cannot contain `{sep}`"),
                )
                .with_hint(format!("the downloads separate place names with `{sep}`; write it with a comma or a dash instead")),
            );
        }
    }
    let index: HashMap<&str, usize> = specs
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.value.as_str(), i))
        .collect();
    specs
        .iter()
        .map(|p| {
            let needs_state = matches!(p.kind.value, PlaceKind::Office | PlaceKind::Unit);
            let state = match (&p.state, needs_state) {
                (None, true) => {
                    diags.push(
                        f.error(
                            pos(&p.kind),
                            format!("place `{}` needs a `state`", p.id.value),
                        )
                        .with_hint(
                            "offices and units name the state they are in, e.g. `state: veracruz`",
                        ),
                    );
                    None
                }
                (Some(s), false) => {
                    diags.push(
                        f.error(pos(s), "only offices and units have a `state`")
                            .with_hint("remove the field, or change `kind` to office or unit"),
                    );
                    None
                }
                (Some(s), true) => match index.get(s.value.as_str()) {
                    Some(&i) if specs[i].kind.value == PlaceKind::State => Some(i),
                    Some(_) => {
                        diags.push(f.error(
                            pos(s),
                            format!("`{}` is not a place of kind `state`", s.value),
                        ));
                        None
                    }
                    None => {
                        let mut d = f.error(pos(s), format!("unknown state `{}`", s.value));
                        d.hint = did_you_mean(&s.value, index.keys().copied());
                        diags.push(d);
                        None
                    }
                },
                (None, false) => None,
            };
            Place {
                id: p.id.value.clone(),
                name: p.name.value.clone(),
                kind: p.kind.value,
                state,
                note: p.note.as_ref().map(|n| n.value.trim().to_string()),
            }
        })
        .collect()
}

fn place_ref(
    f: &SourceFile,
    id: &S<String>,
    refs: &Refs,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let found = refs.place_ids.get(id.value.as_str()).copied();
    if found.is_none() {
        let mut d = f.error(pos(id), format!("unknown place `{}`", id.value));
        d.hint = did_you_mean(&id.value, refs.place_ids.keys().copied())
            .or_else(|| Some("add it to content/places.yaml".to_string()));
        diags.push(d);
    }
    found
}

fn bulletin(b: &BulletinSource, refs: &Refs, diags: &mut Diagnostics) -> Bulletin {
    let f = &b.yaml.file;
    let y = &b.yaml.data;
    let slug_chars = b.slug.chars().count();
    if slug_chars > limits::MAX_SLUG {
        diags.push(
            crate::diagnostics::Diagnostic::file_error(
                &f.path,
                format!(
                    "the file name's slug is {slug_chars} characters long; the limit is {}",
                    limits::MAX_SLUG
                ),
            )
            .with_hint("rename the .yaml and .md pair to a shorter slug: it becomes the page's URL and folder name"),
        );
    } else if !is_url_slug(&b.slug) {
        diags.push(
            crate::diagnostics::Diagnostic::file_error(
                &f.path,
                format!("file name `{}` is not a URL-safe slug", b.slug),
            )
            .with_hint(format!("rename the .yaml and .md pair; {SLUG_HINT}")),
        );
    }
    non_empty(f, &y.title, diags);
    placeholder(f, &y.title, "the bulletin's title", diags);
    placeholder(f, &y.source.publisher, "the publisher", diags);
    if let Some(at) = b.text.text.find(crate::scaffold_entry::PLACEHOLDER) {
        diags.push(
            b.text
                .error(
                    b.text.pos_at(at),
                    format!(
                        "the bulletin's text still says {}, as the scaffold wrote it",
                        crate::scaffold_entry::PLACEHOLDER
                    ),
                )
                .with_hint("paste the bulletin's text here, as published"),
        );
    }
    limits::fits(f, &y.title, Field::Title, diags);
    for field in [&y.kicker, &y.number, &y.source.seed] {
        limits::fits_opt(f, field, Field::Title, diags);
    }
    limits::fits(f, &y.source.publisher, Field::Title, diags);
    limits::fits_opt(f, &y.date_note, Field::Note, diags);
    for tag in &y.tags {
        limits::fits(f, tag, Field::Title, diags);
    }
    for note in &y.notes {
        limits::fits(f, note, Field::Note, diags);
    }
    if let Some(url) = &y.source.url {
        limits::url(f, url, diags);
    }
    limits::markdown_links(&b.text, diags);
    let pub_date = y.date.value.as_ref().and_then(|d| {
        let spanned = S::new(d.clone(), y.date.referenced, y.date.defined);
        period::date(f, &spanned, diags)
    });
    if y.date.value.is_none() && y.date_note.is_none() {
        diags.push(
            f.error(pos(&y.date), "the bulletin has no `date` and no `date_note`")
                .with_hint("when the bulletin states no date, keep `date: null` and say so in `date_note`; never guess a date"),
        );
    }
    let places = y
        .places
        .iter()
        .filter_map(|p| place_ref(f, p, refs, diags))
        .collect();
    let numbers = spanish_numbers::find_numbers(&b.text.text);
    let sentences = provenance::Sentences::new(&b.text.text);
    let mut report_ids: HashMap<&str, u32> = HashMap::new();
    let mut reports = Vec::new();
    for r in &y.reports {
        limits::fits(f, &r.title, Field::Title, diags);
        limits::fits_opt(f, &r.note, Field::Note, diags);
        if limits::fits(f, &r.id, Field::Slug, diags) && !is_url_slug(&r.id.value) {
            diags.push(
                f.error(
                    pos(&r.id),
                    format!("report id `{}` is not URL-safe", r.id.value),
                )
                .with_hint(SLUG_HINT),
            );
        }
        if let Some(line) = report_ids.insert(&r.id.value, r.id.referenced.line() as u32) {
            diags.push(
                f.error(
                    pos(&r.id),
                    format!("report id `{}` is used twice", r.id.value),
                )
                .with_hint(format!(
                    "also on line {line}; report ids must be unique within a bulletin"
                )),
            );
        }
        let text = Text {
            file: &b.text,
            numbers: &numbers,
            sentences: &sentences,
        };
        reports.push(report(f, r, pub_date, refs, &text, diags));
    }
    duplicate_observations(f, &reports, refs, diags);
    if reports.is_empty() {
        diags.push(
            f.warning(
                pos(&y.title),
                "the bulletin has no reports, so it adds no figures",
            )
            .with_hint("add a report with the figures the bulletin states"),
        );
    }
    Bulletin {
        slug: b.slug.clone(),
        title: y.title.value.trim().to_string(),
        kicker: y.kicker.as_ref().map(|k| k.value.trim().to_string()),
        number: y.number.as_ref().map(|n| n.value.trim().to_string()),
        date: pub_date,
        date_note: y.date_note.as_ref().map(|n| n.value.trim().to_string()),
        seed: y.source.seed.as_ref().map(|s| s.value.clone()),
        publisher: y.source.publisher.value.clone(),
        source_kind: y.source.kind.as_ref().map(|k| k.value).unwrap_or_default(),
        url: y.source.url.as_ref().map(|s| s.value.clone()),
        places,
        tags: y.tags.iter().map(|t| t.value.clone()).collect(),
        notes: y.notes.iter().map(|n| n.value.trim().to_string()).collect(),
        reports,
        text: b.text.text.clone(),
        fingerprint: b.fingerprint,
    }
}

/// A list of place ids, which may not be empty.
fn places_of(
    f: &SourceFile,
    ids: &S<Vec<S<String>>>,
    refs: &Refs,
    diags: &mut Diagnostics,
) -> Vec<usize> {
    if ids.value.is_empty() {
        diags.push(
            f.error(pos(ids), "the scope is empty")
                .with_hint("list where the figures apply, e.g. `scope: [nacional]`"),
        );
    }
    ids.value
        .iter()
        .filter_map(|p| place_ref(f, p, refs, diags))
        .collect()
}

pub fn kind_name(k: ReportKind) -> &'static str {
    match k {
        ReportKind::Cumulative => "cumulative",
        ReportKind::Event => "event",
        ReportKind::Stock => "stock",
        ReportKind::Target => "target",
    }
}

fn report(
    f: &SourceFile,
    r: &schema::ReportSpec,
    pub_date: Option<PartialDate>,
    refs: &Refs,
    text: &Text,
    diags: &mut Diagnostics,
) -> Report {
    let kind = r.kind.value;
    // `None` when its dates are wrong (already reported): then nothing more is said about it.
    let parsed = match &r.period {
        Some(p) => period::parse(f, p, diags),
        None => Some(Period::Unstated),
    };
    if let Some(p) = parsed {
        let at = r.period.as_ref().map_or(pos(&r.kind), pos);
        period::check_fits(f, kind, p, r.period.is_some(), at, pub_date, diags);
    }
    let period = parsed.unwrap_or(Period::Unstated);
    let scope = places_of(f, &r.scope, refs, diags);
    let mut figures: Vec<Figure> = Vec::new();
    let mut seen: HashMap<usize, u32> = HashMap::new();
    let mut spans: Vec<Pos> = Vec::new();
    for fig in &r.figures {
        let Some(&metric) = refs.metric_ids.get(fig.metric.value.as_str()) else {
            let mut d = f.error(
                pos(&fig.metric),
                format!("unknown metric `{}`", fig.metric.value),
            );
            d.hint = did_you_mean(&fig.metric.value, refs.metric_ids.keys().copied())
                .or_else(|| Some("add it to content/metrics.yaml".to_string()));
            diags.push(d);
            continue;
        };
        if let Some(line) = seen.insert(metric, fig.metric.referenced.line() as u32) {
            diags.push(
                f.error(pos(&fig.metric), format!("metric `{}` appears twice in this report", fig.metric.value))
                    .with_hint(format!("also on line {line}; if the source gives two values, keep one and record the other under `conflict`")),
            );
        }
        let m = &refs.metrics[metric];
        let derived = fig.derived.as_ref().is_some_and(|d| d.value);
        let mut values = vec![&fig.value];
        limits::fits_opt(f, &fig.note, Field::Note, diags);
        if let Some(c) = &fig.conflict {
            limits::fits(f, &c.value.note, Field::Note, diags);
            if c.value.other_values.is_empty() {
                diags.push(
                    f.error(
                        pos(c),
                        "a conflict lists the other values the source states",
                    )
                    .with_hint("add `other_values: [..]`"),
                );
            }
            values.extend(c.value.other_values.iter());
        }
        let source = provenance::locate(
            &text.file.text,
            text.sentences,
            text.numbers,
            fig.value.value.as_f64(),
            metric,
            &refs.phrases,
        );
        for (k, v) in values.into_iter().enumerate() {
            if v.value.scale > m.decimals {
                diags.push(
                    f.error(pos(v), format!("`{}` counts whole {}; this value has decimals", m.id, m.unit))
                        .with_hint("declare `decimals:` on the metric in metrics.yaml if the source gives decimals"),
                );
            }
            if k > 0 {
                // A conflict's other value is the same figure stated again: its number is enough.
                if !spanish_numbers::states(text.numbers, v.value.as_f64()) {
                    diags.push(not_stated(f, v, m, text));
                }
                continue;
            }
            match source {
                // A derived total is computed, not stated: the text need not contain it.
                None if derived => {}
                Some(s) if derived && s.names_indicator => diags.push(
                    f.warning(pos(v), format!(
                        "{} ({}) is marked `derived` but the text states it: «{}»",
                        crate::model::format::number(v.value), m.id,
                        provenance::quote(&text.file.text, &s, 70),
                    ))
                    .with_hint("remove `derived: true`: the figure is stated, not computed"),
                ),
                Some(_) if derived => {}
                None => diags.push(not_stated(f, v, m, text)),
                Some(s) if !s.names_indicator => diags.push(
                    f.warning(pos(v), format!(
                        "{} ({}) is stated in {} only where the text is about something else: «{}»",
                        crate::model::format::number(v.value), m.id, text.file.path.display(),
                        provenance::quote(&text.file.text, &s, 70),
                    ))
                    .with_hint(format!(
                        "check that this figure is `{}` (\"{}\"); if that sentence does name it, in words metrics.yaml does not list, add them to its `aliases:`",
                        m.id, m.label
                    )),
                ),
                Some(_) => {}
            }
        }
        let fig_kind = fig.kind.as_ref().map_or(kind, |k| k.value);
        let fig_period = match &fig.period {
            Some(p) => period::parse(f, p, diags),
            None => Some(period),
        };
        if let (Some(p), true) = (fig_period, fig.kind.is_some() || fig.period.is_some()) {
            let at = fig
                .period
                .as_ref()
                .map(pos)
                .or(fig.kind.as_ref().map(pos))
                .unwrap_or(pos(&fig.metric));
            let written = fig.period.is_some() || r.period.is_some();
            period::check_fits(f, fig_kind, p, written, at, pub_date, diags);
        }
        spans.push(pos(&fig.metric));
        figures.push(Figure {
            metric,
            value: fig.value.value,
            qualifier: fig.qualifier.as_ref().map(|q| q.value),
            kind: fig_kind,
            period: fig_period.unwrap_or(Period::Unstated),
            scope: match &fig.scope {
                Some(own) => places_of(f, own, refs, diags),
                None => scope.clone(),
            },
            derived,
            note: fig.note.as_ref().map(|n| n.value.trim().to_string()),
            conflict: fig.conflict.as_ref().map(|c| Conflict {
                other_values: c.value.other_values.iter().map(|v| v.value).collect(),
                note: c.value.note.value.trim().to_string(),
            }),
            source,
            at: pos(&fig.value),
        });
    }
    if refs.catalogue_ok {
        sums::check(f, &figures, &spans, refs.metrics, diags);
        sums::check_derived(f, &r.figures, &figures, refs.metrics, diags);
    }
    Report {
        id: r.id.value.clone(),
        title: r.title.value.trim().to_string(),
        kind,
        period,
        scope,
        note: r.note.as_ref().map(|n| n.value.trim().to_string()),
        figures,
    }
}

/// A figure's value that the text does not state at all.
fn not_stated(f: &SourceFile, v: &S<Number>, m: &Metric, text: &Text) -> Diagnostic {
    f.warning(
        pos(v),
        format!(
            "{} ({}) is not stated in the bulletin text {}",
            crate::model::format::number(v.value),
            m.id,
            text.file.path.display()
        ),
    )
    .with_hint("check the figure against the text; every figure must be traceable to the bulletin")
}

/// The same metric over the same period and scope, in two reports of one bulletin, is the same
/// observation recorded twice (the same slip within one report is caught in `report`). Where
/// the period is `unknown`, kind counts too: a jornada and a running total whose dates the text
/// does not give are two observations.
fn duplicate_observations(
    f: &SourceFile,
    reports: &[Report],
    refs: &Refs,
    diags: &mut Diagnostics,
) {
    type Key = (usize, Option<ReportKind>, Period, Vec<usize>);
    let mut seen: HashMap<Key, (usize, &str)> = HashMap::new();
    for (ri, rep) in reports.iter().enumerate() {
        for fig in &rep.figures {
            let mut scope = fig.scope.clone();
            scope.sort_unstable();
            let kind = (fig.period == Period::Unstated).then_some(fig.kind);
            match seen.get(&(fig.metric, kind, fig.period, scope.clone())) {
                Some(&(first, first_id)) if first != ri => diags.push(
                    f.error(
                        fig.at,
                        format!("`{}` repeats a figure of report `{first_id}`: same period and scope", refs.metrics[fig.metric].id),
                    )
                    .with_hint("record each figure once; if the bulletin gives two values, keep one and list the other under `conflict`"),
                ),
                Some(_) => {}
                None => {
                    seen.insert((fig.metric, kind, fig.period, scope), (ri, rep.id.as_str()));
                }
            }
        }
    }
}
