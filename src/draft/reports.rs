//! From cleaned blocks to reports: each sentence's period (stated, or carried from an earlier
//! sentence of the same part: highlights carry to highlights, body to body), each figure's
//! scope, then the clean-up a maintainer would do by hand — a figure repeated from the
//! highlights kept once, a rounded headline figure left as a comment beside the exact one, two
//! exact values for one figure recorded as a `conflict`, totals that disagree with their parts
//! left for the maintainer — so the draft passes `cifras check`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::load::schema::Number;
use crate::model::date::{days_between, Date};
use crate::model::words::fold;

use super::figures::{self, Figure, NotFigure, Qualifier};
use super::periods::{self, DayMonth, Stated};
use super::text::Block;
use super::{Catalogue, Options};

/// The two files of a draft.
#[derive(Debug, Clone)]
pub struct Draft {
    pub markdown: String,
    pub yaml: String,
    /// Figures left as comments that carry a metric (value and metric id), for measuring how
    /// much the maintainer still has to do.
    pub commented: Vec<(String, Number)>,
}

/// When a figure applies, as far as the text says.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum When {
    Range {
        start: Date,
        end: Date,
        year_stated: bool,
    },
    AsOf(Date),
    /// Days and months without a year anywhere: the maintainer must supply it.
    NoYear(DayMonth, DayMonth),
    Unstated,
}

impl When {
    /// What `cifras check` sees: a period without a year is written `period: unknown`, so all
    /// of them are one unstated period, told apart only by kind (a jornada of a few days from
    /// a running total: `check` keeps those apart).
    fn checked(&self) -> (When, Option<bool>) {
        match self {
            When::NoYear(..) => (When::Unstated, self.is_event()),
            w => (w.clone(), None),
        }
    }

    /// Whether it is a few days (an event) rather than a long total; `None` without days.
    pub fn is_event(&self) -> Option<bool> {
        match self {
            When::Range { start, end, .. } => Some(days_between(*start, *end) <= 14),
            // any year will do to count the days between two days and months
            When::NoYear(a, b) => {
                let year = 2001 + i32::from(a.month > b.month);
                let start =
                    Date::parse(&format!("2001-{:02}-{:02}", a.month, a.day.min(28))).ok()?;
                let end =
                    Date::parse(&format!("{year}-{:02}-{:02}", b.month, b.day.min(28))).ok()?;
                Some(days_between(start, end) <= 14)
            }
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Head,
    Bullet,
    Body,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub fig: Figure,
    pub when: When,
    pub role: Role,
    /// Shared by the sentence's figures: one copy however many numbers it holds.
    pub sentence: Arc<str>,
    pub scope: Vec<String>,
    /// Why it is left as a comment, when it is.
    pub dropped: Option<String>,
    pub other_values: Vec<Number>,
}

pub struct Found {
    pub items: Vec<Item>,
    pub not_figures: Vec<(NotFigure, Arc<str>)>,
}

fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for k in 0..chars.len() {
        let (i, c) = chars[k];
        if c == '.' && chars.get(k + 1).is_some_and(|n| n.1 == ' ') {
            let next = chars.get(k + 2).map(|n| n.1);
            if next.is_some_and(|n| n.is_uppercase() || matches!(n, '“' | '"' | '«' | '¿' | '¡'))
            {
                out.push(text[start..=i].trim());
                start = i + 1;
            }
        }
    }
    out.push(text[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

fn date(y: i32, m: u8, d: u8) -> Option<Date> {
    Date::parse(&format!("{y:04}-{m:02}-{d:02}")).ok()
}

/// The year periods without one take: the bulletin's, else the one year the text states, else
/// the maintainer's `--year`. `None` when nothing says.
fn context_year(blocks: &[Block], published: Option<Date>, options: &Options) -> Option<i32> {
    if let Some(d) = published {
        return Some(d.year);
    }
    let mut years: Vec<i32> = blocks
        .iter()
        .flat_map(|b| {
            let f = fold(b.text());
            f.split(' ').filter_map(periods::year).collect::<Vec<_>>()
        })
        .collect();
    years.sort_unstable();
    years.dedup();
    match years.as_slice() {
        [y] => Some(*y),
        _ => options.year,
    }
}

/// A stated period as dates; `None` when it cannot apply to the figures (it ends after the
/// bulletin: an announcement).
fn resolve(s: Stated, published: Option<Date>, year: Option<i32>) -> Option<When> {
    let when = match s {
        Stated::Range { start, end } => {
            let stated = end.year.or(start.year);
            let end_year = stated.or(year);
            let Some(ey) = end_year else {
                return Some(When::NoYear(start, end));
            };
            let sy = start
                .year
                .unwrap_or(if start.month > end.month { ey - 1 } else { ey });
            let (s, e) = (
                date(sy, start.month, start.day)?,
                date(ey, end.month, end.day)?,
            );
            if s > e {
                return None;
            }
            When::Range {
                start: s,
                end: e,
                year_stated: stated.is_some(),
            }
        }
        Stated::Year(y) => When::Range {
            start: date(y, 1, 1)?,
            end: date(y, 12, 31)?,
            year_stated: true,
        },
        Stated::SoFarThisYear => {
            let p = published?;
            When::Range {
                start: date(p.year, 1, 1)?,
                end: p,
                year_stated: true,
            }
        }
        Stated::Now => When::AsOf(published?),
        Stated::Since(from) => {
            // until the bulletin's date; without one the period has no end the text gives
            let p = published?;
            let y = from.year.unwrap_or(if from.month > p.month {
                p.year - 1
            } else {
                p.year
            });
            let start = date(y, from.month, from.day)?;
            if start > p {
                return None;
            }
            When::Range {
                start,
                end: p,
                year_stated: from.year.is_some(),
            }
        }
    };
    Some(when)
}

/// "del 1 de abril al 12 de septiembre", for a comment.
pub fn no_year_phrase(start: DayMonth, end: DayMonth) -> String {
    let month = |m: u8| crate::model::date::MONTHS[m as usize - 1];
    if start.month == end.month {
        format!("del {} al {} de {}", start.day, end.day, month(end.month))
    } else {
        format!(
            "del {} de {} al {} de {}",
            start.day,
            month(start.month),
            end.day,
            month(end.month)
        )
    }
}

fn ends_after(when: &When, published: Option<Date>) -> bool {
    match (when, published) {
        (When::Range { end, .. }, Some(p)) => *end > p,
        _ => false,
    }
}

/// Read every sentence of the bulletin.
pub fn read(
    blocks: &[Block],
    catalogue: &Catalogue,
    published: Option<Date>,
    options: &Options,
) -> Found {
    let year = context_year(blocks, published, options);
    let mut items = Vec::new();
    let mut not_figures = Vec::new();
    let mut period_places: HashMap<When, Vec<String>> = HashMap::new();
    let (mut carry_bullet, mut carry_body): (When, When) = (When::Unstated, When::Unstated);
    for block in blocks {
        let role = match block {
            Block::Bullet(_) => Role::Bullet,
            Block::Para(_) => Role::Body,
            Block::Heading(_) => {
                carry_body = When::Unstated;
                Role::Head
            }
            _ => Role::Head,
        };
        for s in sentences(block.text()) {
            let read = figures::read_sentence(s, &catalogue.metrics, &catalogue.places);
            let target = read.figures.iter().any(|f| f.target);
            let stated = periods::find(s);
            let resolved = stated.and_then(|st| resolve(st, published, year));
            let when = match (&stated, resolved) {
                (Some(Stated::Range { .. } | Stated::Since(_)), Some(w))
                    if !ends_after(&w, published) =>
                {
                    match role {
                        Role::Bullet => carry_bullet = w.clone(),
                        Role::Body => carry_body = w.clone(),
                        Role::Head => {}
                    }
                    w
                }
                (Some(_), Some(w)) if target || !ends_after(&w, published) => w,
                // an announcement, or a date the text cannot pin down: what follows is not in
                // the earlier period either
                (Some(st), _) => {
                    if matches!(st, Stated::Since(_) | Stated::Range { .. }) {
                        match role {
                            Role::Bullet => carry_bullet = When::Unstated,
                            Role::Body => carry_body = When::Unstated,
                            Role::Head => {}
                        }
                    }
                    When::Unstated
                }
                (None, _) => match role {
                    Role::Bullet => carry_bullet.clone(),
                    Role::Body => carry_body.clone(),
                    Role::Head => When::Unstated,
                },
            };
            let named = catalogue.places.named(s);
            let known = period_places.entry(when.clone()).or_default();
            for p in named {
                if !known.contains(&p) {
                    known.push(p);
                }
            }
            let sentence: Arc<str> = Arc::from(s);
            for n in read.not_figures {
                not_figures.push((n, sentence.clone()));
            }
            for fig in read.figures {
                items.push(Item {
                    fig,
                    when: when.clone(),
                    role,
                    sentence: sentence.clone(),
                    scope: Vec::new(),
                    dropped: None,
                    other_values: Vec::new(),
                });
            }
        }
    }
    let national = catalogue
        .places
        .national
        .clone()
        .unwrap_or_else(|| "nacional".into());
    for item in &mut items {
        item.scope = match (&item.fig.place, &item.when) {
            (Some(p), _) => vec![p.clone()],
            // An event (a jornada) happens where the text says it happened.
            (None, When::Range { start, end, .. }) if days_between(*start, *end) <= 14 => {
                match period_places.get(&item.when) {
                    Some(ps) if !ps.is_empty() => ps.clone(),
                    _ => vec![national.clone()],
                }
            }
            _ => vec![national.clone()],
        };
    }
    Found { items, not_figures }
}

/// Which of two mentions of one figure to keep: one with a period, then the body's (the
/// headline and highlights repeat the body), then the later.
fn rank(it: &Item, index: usize) -> (bool, bool, usize) {
    (it.when != When::Unstated, it.role == Role::Body, index)
}

/// Keep each figure once, as the text states it most exactly.
pub fn tidy(items: &mut [Item], catalogue: &Catalogue) {
    let metrics = &catalogue.metrics;
    let n = items.len();
    // 1. Figures with no metric stay comments.
    for it in items.iter_mut() {
        if it.fig.metric.is_none() {
            it.dropped = Some("no indicator is clear from the words around it".into());
        }
    }
    // 2. A figure repeated with the same value: keep the one with a period, then the body's.
    for i in 0..n {
        if items[i].dropped.is_some() {
            continue;
        }
        for j in 0..n {
            if i == j || items[j].dropped.is_some() {
                continue;
            }
            let (a, b) = (&items[i], &items[j]);
            if a.fig.metric != b.fig.metric || a.fig.value != b.fig.value {
                continue;
            }
            // the headline's figure has no period or place of its own: it repeats the body's
            let comparable = (a.when == b.when && a.scope == b.scope)
                || a.when == When::Unstated
                || b.when == When::Unstated;
            if comparable && rank(a, i) > rank(b, j) {
                items[j].dropped = Some(format!(
                    "repeats {} stated in «{}»",
                    items[i].fig.written,
                    excerpt(&items[i].sentence, &items[i].fig.written)
                ));
            }
        }
    }
    // 3. A rounded ("más de", "casi") figure in the headline or highlights beside an exact one
    //    in the body for the same indicator (or its parts) is a summary of it.
    for i in 0..n {
        if items[i].dropped.is_some() || items[i].role == Role::Body {
            continue;
        }
        let Some(m) = items[i].fig.metric else {
            continue;
        };
        let qualified = matches!(
            items[i].fig.qualifier,
            Some(Qualifier::MoreThan | Qualifier::About | Qualifier::Almost)
        );
        if !qualified {
            continue;
        }
        let exact = (0..n).find(|&j| {
            let b = &items[j];
            j != i
                && b.dropped.is_none()
                && b.role == Role::Body
                && b.fig.qualifier.is_none()
                && b.fig.metric.is_some_and(|bm| {
                    (bm == m && rounds(&items[i].fig, &b.fig)) || metrics.is_ancestor(m, bm)
                })
        });
        if let Some(j) = exact {
            items[i].dropped = Some(format!(
                "a rounded summary of {} in «{}»",
                items[j].fig.written,
                excerpt(&items[j].sentence, &items[j].fig.written)
            ));
        }
    }
    // 4. One figure, several values in one period and place: exact beats rounded; two exact
    //    values are a conflict, the body's (the last) kept.
    for i in 0..n {
        if items[i].dropped.is_some() {
            continue;
        }
        for j in (i + 1)..n {
            if items[j].dropped.is_some() || items[i].dropped.is_some() {
                continue;
            }
            let (a, b) = (&items[i], &items[j]);
            if a.fig.metric != b.fig.metric
                || a.when.checked() != b.when.checked()
                || a.scope != b.scope
                || a.fig.target != b.fig.target
            {
                continue;
            }
            let a_round = a.fig.qualifier.is_some() && rounds(&a.fig, &b.fig);
            let b_round = b.fig.qualifier.is_some() && rounds(&b.fig, &a.fig);
            if (Arc::ptr_eq(&a.sentence, &b.sentence) || a.sentence == b.sentence)
                && !a_round
                && !b_round
            {
                // one sentence naming an indicator twice is a breakdown ("… en las Oficinas,
                // … en las UMAE"), not a contradiction
                items[j].dropped = Some(format!(
                    "the same sentence gives {} for this indicator too (a breakdown?): split it into reports by place by hand",
                    items[i].fig.written
                ));
            } else if a_round && !b_round {
                items[i].dropped = Some(format!(
                    "the text also gives the exact {}",
                    items[j].fig.written
                ));
            } else if b_round && !a_round {
                items[j].dropped = Some(format!(
                    "the text also gives the exact {}",
                    items[i].fig.written
                ));
            } else if a.when != b.when {
                // same period for `cifras check`, but the text gave two different ones
                items[j].dropped = Some(format!(
                    "same indicator and place as {} («{}») and the draft cannot tell their periods apart: give the year (`--year`) or split them by hand",
                    items[i].fig.written,
                    excerpt(&items[i].sentence, &items[i].fig.written)
                ));
            } else {
                let v = items[i].fig.value;
                items[j].other_values.push(v);
                let earlier = std::mem::take(&mut items[i].other_values);
                items[j].other_values.extend(earlier);
                items[i].dropped = Some(format!(
                    "the text states {} again as {}: recorded as a conflict",
                    items[i].fig.written, items[j].fig.written
                ));
            }
        }
    }
}

/// Whether `rounded` ("más de 6.5 millones", "casi 36 millones") can be a rounding of `exact`.
fn rounds(rounded: &Figure, exact: &Figure) -> bool {
    let (r, e) = (rounded.value.as_f64(), exact.value.as_f64());
    match rounded.qualifier {
        Some(Qualifier::MoreThan) => e >= r && e <= r * 1.5,
        Some(Qualifier::About) => (e - r).abs() <= 0.1 * r,
        _ => false,
    }
}

/// Reports by period, scope and whether they are goals, in order of first appearance.
pub struct Report {
    pub when: When,
    pub scope: Vec<String>,
    pub target: bool,
    pub items: Vec<usize>,
}

pub fn group(items: &mut [Item], catalogue: &Catalogue) -> Vec<Report> {
    let mut reports: Vec<Report> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        if it.dropped.is_some() {
            continue;
        }
        let found = reports
            .iter_mut()
            .find(|r| r.when == it.when && r.scope == it.scope && r.target == it.fig.target);
        match found {
            Some(r) => r.items.push(i),
            None => reports.push(Report {
                when: it.when.clone(),
                scope: it.scope.clone(),
                target: it.fig.target,
                items: vec![i],
            }),
        }
    }
    // A total that disagrees with its parts is for the maintainer to read, not for the draft
    // to decide; and `cifras check` refuses one recorded as if it agreed.
    let metrics = &catalogue.metrics;
    let children = |m: usize| metrics.parents.iter().filter(|p| **p == Some(m)).count();
    for r in &mut reports {
        let mut bad = Vec::new();
        for &i in &r.items {
            let Some(m) = items[i].fig.metric else {
                continue;
            };
            let parts: Vec<&Item> = r
                .items
                .iter()
                .map(|&j| &items[j])
                .filter(|p| {
                    p.fig
                        .metric
                        .is_some_and(|pm| metrics.parents[pm] == Some(m))
                })
                .collect();
            if parts.is_empty()
                || items[i].fig.value.scale > 0
                || parts.iter().any(|p| p.fig.value.scale > 0)
            {
                continue;
            }
            let sum: u64 = parts.iter().map(|p| p.fig.value.digits).sum();
            let total = items[i].fig.value.digits;
            let wrong = if parts.len() == children(m) {
                sum != total
            } else {
                sum > total
            };
            if wrong {
                bad.push((i, sum));
            }
        }
        for (i, sum) in bad {
            items[i].dropped = Some(format!(
                "its parts in this report add up to {sum}: check which the text means"
            ));
            r.items.retain(|&j| j != i);
        }
    }
    // `cifras check` sees every period it cannot use as one: the same indicator and place in
    // two such reports would be one observation twice.
    // metric, period as `check` sees it, scope, whether a goal
    type Key = (usize, (When, Option<bool>), Vec<String>, bool);
    let mut seen: BTreeMap<Key, usize> = BTreeMap::new();
    for (ri, r) in reports.iter_mut().enumerate() {
        let mut keep = Vec::new();
        for &i in &r.items {
            let Some(m) = items[i].fig.metric else {
                continue;
            };
            let key = (m, r.when.checked(), r.scope.clone(), r.target);
            match seen.get(&key) {
                Some(&other) if other != ri => {
                    items[i].dropped = Some("same indicator, place and (unusable) period as another report: give the year (`--year`) or split by hand".into());
                }
                _ => {
                    seen.insert(key, ri);
                    keep.push(i);
                }
            }
        }
        r.items = keep;
    }
    reports.retain(|r| !r.items.is_empty());
    reports
}

/// Up to ~160 characters of `sentence` around `needle`, on one line. Only a window around the
/// needle is read, so quoting every figure of one endless sentence stays linear.
pub fn excerpt(sentence: &str, needle: &str) -> String {
    let at = sentence.find(needle).unwrap_or(0);
    let lo = sentence.floor_char_boundary(at.saturating_sub(600));
    let hi = sentence.floor_char_boundary(at + needle.len() + 600);
    let window = &sentence[lo..hi];
    let one_line: String = window.split_whitespace().collect::<Vec<_>>().join(" ");
    let chars: Vec<char> = one_line.chars().collect();
    let (cut_before, cut_after) = (lo > 0, hi < sentence.len());
    if chars.len() <= 160 && !cut_before && !cut_after {
        return one_line;
    }
    let at = one_line
        .find(needle)
        .map_or(0, |b| one_line[..b].chars().count());
    let from = at.saturating_sub(70);
    let to = (from + 160).min(chars.len());
    let mut s: String = chars[from..to].iter().collect();
    if from > 0 || cut_before {
        s.insert(0, '…');
    }
    if to < chars.len() || cut_after {
        s.push('…');
    }
    s
}

/// The whole draft.
pub fn build(
    blocks: &[Block],
    source_name: &str,
    catalogue: &Catalogue,
    options: &Options,
) -> Draft {
    let front = super::yaml::front(blocks);
    let mut found = read(blocks, catalogue, front.date, options);
    tidy(&mut found.items, catalogue);
    let reports = group(&mut found.items, catalogue);
    let places = bulletin_places(blocks, catalogue, &reports);
    let yaml = super::yaml::write(&front, source_name, &places, &reports, &found, catalogue);
    let commented = found
        .items
        .iter()
        .filter(|i| i.dropped.is_some())
        .filter_map(|i| {
            i.fig
                .metric
                .map(|m| (catalogue.metrics.ids[m].clone(), i.fig.value))
        })
        .collect();
    Draft {
        markdown: super::text::markdown(blocks),
        yaml,
        commented,
    }
}

fn bulletin_places(blocks: &[Block], catalogue: &Catalogue, reports: &[Report]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let national = catalogue.places.national.clone();
    if reports
        .iter()
        .any(|r| Some(&r.scope[0]) == national.as_ref())
    {
        out.extend(national);
    }
    for b in blocks {
        if matches!(b, Block::Front(_)) {
            continue; // the dateline's city is where the office is, not what the text is about
        }
        for p in catalogue.places.named(b.text()) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    for r in reports {
        for p in &r.scope {
            if !out.contains(p) {
                out.push(p.clone());
            }
        }
    }
    out
}
