//! Stage 2, **validate**: check what the files mean (references, dates, slugs, sums, figures
//! stated in the text) and turn them into the typed `model::Content`. Every problem is
//! collected, located and given a hint; errors stop the build, warnings do not.

pub mod limits;
pub mod provenance;
pub mod spanish_numbers;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, Pos, SourceFile};
use crate::load::schema::{self, ReportKind, S};
use crate::load::{BulletinSource, Sources};
use limits::Field;

use crate::model::words::Phrases;
use crate::model::{
    Bulletin, Conflict, Content, Date, Figure, Metric, Number, Period, Place, PlaceKind, Report,
    SiteConfig,
};

/// Years a figure's dates may plausibly fall in (IMSS was founded in 1943).
const YEARS: std::ops::RangeInclusive<i32> = 1943..=2100;
/// The longest period a bulletin figure may cover: ten years.
const MAX_PERIOD_DAYS: i64 = 3653;

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

fn date(f: &SourceFile, s: &S<String>, diags: &mut Diagnostics) -> Option<Date> {
    match Date::parse(&s.value) {
        Ok(d) if YEARS.contains(&d.year) => Some(d),
        Ok(d) => {
            diags.push(
                f.error(pos(s), format!("year {} is implausible", d.year))
                    .with_hint(format!(
                        "dates must fall between {} and {}",
                        YEARS.start(),
                        YEARS.end()
                    )),
            );
            None
        }
        Err(e) => {
            diags.push(
                f.error(pos(s), e)
                    .with_hint("write dates as YYYY-MM-DD, e.g. 2021-09-12"),
            );
            None
        }
    }
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
        date(f, &spanned, diags)
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
    duplicate_observations(f, &y.reports, &reports, refs, diags);
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
        url: y.source.url.as_ref().map(|s| s.value.clone()),
        places,
        tags: y.tags.iter().map(|t| t.value.clone()).collect(),
        notes: y.notes.iter().map(|n| n.value.trim().to_string()).collect(),
        reports,
        text: b.text.text.clone(),
        fingerprint: b.fingerprint,
    }
}

fn period(
    f: &SourceFile,
    r: &schema::ReportSpec,
    pub_date: Option<Date>,
    diags: &mut Diagnostics,
) -> Period {
    let kind = r.kind.value;
    let Some(p) = &r.period else {
        if matches!(kind, ReportKind::Cumulative | ReportKind::Event) {
            diags.push(
                f.error(pos(&r.kind), format!("a `{}` report needs a period", kind_name(kind)))
                    .with_hint("add `period: { start: YYYY-MM-DD, end: YYYY-MM-DD }`; use kind `stock` for a count without a period"),
            );
        }
        return Period::Unstated;
    };
    let spec = &p.value;
    let start = spec.start.as_ref().and_then(|d| date(f, d, diags));
    let end = spec.end.as_ref().and_then(|d| date(f, d, diags));
    let as_of = spec.as_of.as_ref().and_then(|d| date(f, d, diags));
    let period = match (&spec.start, &spec.end, &spec.as_of) {
        (Some(_), Some(_), None) => match (start, end) {
            (Some(s), Some(e)) if s > e => {
                diags.push(
                    f.error(
                        pos(spec.end.as_ref().unwrap_or(&r.id)),
                        format!("the period ends ({e}) before it starts ({s})"),
                    )
                    .with_hint("swap `start` and `end`"),
                );
                Period::Unstated
            }
            (Some(s), Some(e)) if crate::model::date::days_between(s, e) > MAX_PERIOD_DAYS => {
                diags.push(
                    f.error(pos(p), format!("a period of {} days is implausible for a bulletin", crate::model::date::days_between(s, e)))
                        .with_hint(format!("periods longer than {MAX_PERIOD_DAYS} days are almost always a typo in a year; check `start` and `end`")),
                );
                Period::Unstated
            }
            (Some(start), Some(end)) => Period::Range {
                start,
                end,
                year_stated: spec.year_stated,
            },
            _ => Period::Unstated, // bad dates, already reported
        },
        (None, None, Some(_)) => as_of.map_or(Period::Unstated, Period::AsOf),
        (None, None, None) => Period::Unstated,
        _ => {
            diags.push(
                f.error(
                    pos(p),
                    "a period has either both `start` and `end`, or only `as_of`",
                )
                .with_hint("`start`/`end` for counts over days, `as_of` for a count at one date"),
            );
            Period::Unstated
        }
    };
    let shape_ok = match kind {
        ReportKind::Cumulative | ReportKind::Event => matches!(period, Period::Range { .. }),
        ReportKind::Stock => !matches!(period, Period::Range { .. }),
        ReportKind::Target => true,
    };
    if !shape_ok && !diags.has_errors_at(&f.path, pos(p)) {
        let hint = if kind == ReportKind::Stock {
            "a stock is counted at one date: use `as_of`, or kind `cumulative` for a total over days"
        } else {
            "give `start` and `end`: a total or an event covers days"
        };
        diags.push(
            f.error(
                pos(p),
                format!("this period does not fit a `{}` report", kind_name(kind)),
            )
            .with_hint(hint),
        );
    }
    if let (Some(published), Some(last)) = (pub_date, period.last_day()) {
        if last > published && kind != ReportKind::Target {
            diags.push(
                f.error(
                    pos(p),
                    format!("the period ends on {last}, after the bulletin's date {published}"),
                )
                .with_hint(
                    "a bulletin reports the past; check both dates (use kind `target` for goals)",
                ),
            );
        }
    }
    period
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
    pub_date: Option<Date>,
    refs: &Refs,
    text: &Text,
    diags: &mut Diagnostics,
) -> Report {
    let period = period(f, r, pub_date, diags);
    if r.scope.value.is_empty() {
        diags.push(
            f.error(pos(&r.scope), "the scope is empty")
                .with_hint("list where the figures apply, e.g. `scope: [nacional]`"),
        );
    }
    let scope = r
        .scope
        .value
        .iter()
        .filter_map(|p| place_ref(f, p, refs, diags))
        .collect();
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
        spans.push(pos(&fig.metric));
        figures.push(Figure {
            metric,
            value: fig.value.value,
            qualifier: fig.qualifier.as_ref().map(|q| q.value),
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
        check_sums(f, &figures, &spans, refs.metrics, diags);
    }
    Report {
        id: r.id.value.clone(),
        title: r.title.value.trim().to_string(),
        kind: r.kind.value,
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
/// observation recorded twice (the same slip within one report is caught in `report`).
fn duplicate_observations(
    f: &SourceFile,
    specs: &[schema::ReportSpec],
    reports: &[Report],
    refs: &Refs,
    diags: &mut Diagnostics,
) {
    let mut seen: HashMap<(usize, Period, Vec<usize>), (usize, &str)> = HashMap::new();
    for (ri, (spec, rep)) in specs.iter().zip(reports).enumerate() {
        let mut scope = rep.scope.clone();
        scope.sort_unstable();
        for fig in &spec.figures {
            let Some(&metric) = refs.metric_ids.get(fig.metric.value.as_str()) else {
                continue; // already reported as unknown
            };
            match seen.get(&(metric, rep.period, scope.clone())) {
                Some(&(first, first_id)) if first != ri => diags.push(
                    f.error(
                        pos(&fig.metric),
                        format!("`{}` repeats a figure of report `{first_id}`: same period and scope", fig.metric.value),
                    )
                    .with_hint("record each figure once; if the bulletin gives two values, keep one and list the other under `conflict`"),
                ),
                Some(_) => {}
                None => {
                    seen.insert((metric, rep.period, scope.clone()), (ri, spec.id.value.as_str()));
                }
            }
        }
    }
}

/// A total and its parts must agree: equal when every part is given, never less than the
/// parts that are given. A declared source conflict turns the error into a warning.
fn check_sums(
    f: &SourceFile,
    figures: &[Figure],
    spans: &[Pos],
    metrics: &[Metric],
    diags: &mut Diagnostics,
) {
    let by_metric: HashMap<usize, usize> = figures
        .iter()
        .enumerate()
        .map(|(i, fig)| (fig.metric, i))
        .collect();
    for (i, total) in figures.iter().enumerate() {
        let m = &metrics[total.metric];
        let parts: Vec<&Figure> = m
            .children
            .iter()
            .filter_map(|c| by_metric.get(c).map(|&j| &figures[j]))
            .collect();
        if parts.is_empty() || parts.iter().any(|p| p.value.scale > 0) || total.value.scale > 0 {
            continue;
        }
        // Checked: parts of 18446744073709551615 and 2 must not wrap round to "equal" 1.
        let Some(sum) = parts
            .iter()
            .try_fold(0u64, |sum, p| sum.checked_add(p.value.digits))
        else {
            diags.push(
                f.error(
                    spans[i],
                    format!(
                        "the parts of `{}` add up to more than {}, the largest figure cifras can hold",
                        m.id,
                        u64::MAX
                    ),
                )
                .with_hint("check the parts' values: one is far larger than any real count"),
            );
            continue;
        };
        let all = parts.len() == m.children.len();
        let bad = if all {
            sum != total.value.digits
        } else {
            sum > total.value.digits
        };
        if !bad {
            continue;
        }
        let declared = total.conflict.is_some() || parts.iter().any(|p| p.conflict.is_some());
        let names: Vec<&str> = parts
            .iter()
            .map(|p| metrics[p.metric].id.as_str())
            .collect();
        let msg = format!(
            "`{}` is {} but its parts ({}) add up to {}",
            m.id,
            crate::model::format::number(total.value),
            names.join(" + "),
            crate::model::format::int(sum)
        );
        let d = if declared {
            f.warning(spans[i], msg)
        } else {
            f.error(spans[i], msg)
        };
        diags.push(d.with_hint(
            "check the figures against the text; if the source itself is inconsistent, record it under `conflict` on the figure",
        ));
    }
}

impl Diagnostics {
    /// Whether an error was already reported at this spot (to avoid two messages for one slip).
    fn has_errors_at(&self, path: &std::path::Path, at: Pos) -> bool {
        self.errors().any(|d| d.path == path && d.pos >= at)
    }
}
