//! Every number of a sentence, as a figure with the metric its words name, or as a number
//! that is not a service figure (a date, a year, a phone number, "120 días", "No. 21").
//!
//! The metric is read from the words right after the number ("475 mil 725 cirugías", "442 de
//! riñón"), matched against each metric's label and `aliases:`; the nearest phrase wins, the
//! longest where two start at the same word. A number followed by a list of sibling
//! indicators ("52 mil 473 detecciones de hipertensión, diabetes, …") is their parent's total.

use crate::load::schema::{MetricsFile, Number};
use crate::model::words::{fold, words, Phrases};
use crate::validate::spanish_numbers::{self, Found};

use super::places::Places;

/// The metric catalogue as phrases to match.
pub struct Metrics {
    pub ids: Vec<String>,
    pub parents: Vec<Option<usize>>,
    /// Each metric's label and aliases, naming the metric's index.
    phrases: Phrases,
}

impl Metrics {
    pub fn new(file: &MetricsFile) -> Metrics {
        let ids: Vec<String> = file.metrics.iter().map(|m| m.id.value.clone()).collect();
        let parents = file
            .metrics
            .iter()
            .map(|m| {
                m.parent
                    .as_ref()
                    .and_then(|p| ids.iter().position(|id| *id == p.value))
            })
            .collect();
        let phrases = Phrases::new(file.metrics.iter().enumerate().flat_map(|(i, m)| {
            std::iter::once(&m.label)
                .chain(&m.aliases)
                .map(move |t| (i, t.value.as_str()))
        }));
        Metrics {
            ids,
            parents,
            phrases,
        }
    }

    /// Every phrase match in `words`: (start, length, metric).
    fn matches(&self, words: &[&str]) -> Vec<(usize, usize, usize)> {
        self.phrases.matches(words)
    }

    /// The metric the words after a number name, if one starts near enough to be about it.
    fn after(&self, words: &[&str]) -> Option<usize> {
        const NEAR: usize = 6;
        let found = self.matches(words);
        let &(start, len, metric) = found.first().filter(|f| f.0 <= NEAR)?;
        // A list of siblings after the first ("hipertensión, diabetes, cáncer …") is their total.
        let parent = self.parents[metric];
        let sibling = found.iter().any(|&(s, _, m)| {
            s >= start + len && m != metric && parent.is_some() && self.parents[m] == parent
        });
        Some(if sibling {
            parent.unwrap_or(metric)
        } else {
            metric
        })
    }

    /// The last metric named in `words` (for "jornadas nacionales, de las cuales … dos").
    fn last_named(&self, words: &[&str]) -> Option<usize> {
        let found = self.matches(words);
        let last_start = found.iter().map(|f| f.0).max()?;
        found.into_iter().find(|f| f.0 == last_start).map(|f| f.2)
    }

    pub fn is_ancestor(&self, ancestor: usize, mut of: usize) -> bool {
        while let Some(p) = self.parents[of] {
            if p == ancestor {
                return true;
            }
            of = p;
        }
        false
    }
}

/// What precedes a number and changes what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    MoreThan,
    About,
    /// "casi": an upper bound.
    Almost,
    /// A qualifier the schema cannot express yet ("menos de", "hasta", "al menos"): the figure
    /// is kept and a comment says so.
    Unrecorded(&'static str),
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub value: Number,
    /// As written: "475 mil 725".
    pub written: String,
    pub metric: Option<usize>,
    pub qualifier: Option<Qualifier>,
    /// Written in a rounded form ("177 mil", "6.5 millones", "189 mil 700").
    pub rounded: bool,
    /// A place the clause gives to this number alone ("tres en la Ciudad de México", "En
    /// Jalisco … mil 565 mastografías").
    pub place: Option<String>,
    /// An estimate or goal ("se estima", "meta").
    pub target: bool,
}

#[derive(Debug, Clone)]
pub struct NotFigure {
    pub written: String,
    pub reason: &'static str,
}

#[derive(Debug, Default)]
pub struct Read {
    pub figures: Vec<Figure>,
    pub not_figures: Vec<NotFigure>,
}

/// How far before and after a number its words are read, in bytes (as provenance reads a
/// sentence): enough for any phrase about it, and it bounds the work per number, so one endless
/// sentence of numbers (a flattened table, a hostile file) is read in linear time.
const WINDOW: usize = 600;

/// The last `n` bytes of `s` or fewer, on a character boundary.
fn tail(s: &str, n: usize) -> &str {
    &s[s.ceil_char_boundary(s.len().saturating_sub(n))..]
}

/// The first `n` bytes of `s` or fewer, on a character boundary.
fn head(s: &str, n: usize) -> &str {
    &s[..s.floor_char_boundary(n)]
}

/// Why a number is not a service figure, if it is not.
fn not_a_figure(sentence: &str, all: &[Found], k: usize) -> Option<&'static str> {
    let f = &all[k];
    let written = &sentence[f.start..f.end];
    let before = tail(&sentence[..f.start], WINDOW);
    let after = head(&sentence[f.end..], WINDOW);
    let digits_only = written.bytes().all(|b| b.is_ascii_digit());
    let glued = before.ends_with('-')
        && before[..before.len() - 1]
            .chars()
            .last()
            .is_some_and(char::is_alphanumeric);
    if glued || before.chars().last().is_some_and(char::is_alphabetic) {
        return Some("part of a name, such as COVID-19");
    }
    if before.ends_with('/') || before.trim_end().ends_with('/') {
        return Some("part of an identifier");
    }
    let prev_words = fold(before);
    let prev: Vec<&str> = words(&prev_words);
    let last = prev.last().copied().unwrap_or("");
    if matches!(last, "no" | "num" | "numero" | "n") {
        return Some("an identifier (No. …)");
    }
    if matches!(last, "opcion" | "extension" | "ext") {
        return Some("a phone option");
    }
    if after.starts_with(':') && after[1..].starts_with(|c: char| c.is_ascii_digit())
        || before.ends_with(':')
            && before[..before.len() - 1].ends_with(|c: char| c.is_ascii_digit())
    {
        return Some("a time of day");
    }
    let next_words = fold(after);
    let next: Vec<&str> = words(&next_words);
    let day = f.value >= 1.0 && f.value <= 31.0 && f.value.fract() == 0.0;
    let month_at = |i: usize| {
        next.get(i)
            .is_some_and(|w| super::periods::month(w).is_some())
    };
    if day && next.first() == Some(&"de") && month_at(1) {
        return Some("part of a date");
    }
    if day
        && matches!(next.first(), Some(&("al" | "y" | "hasta")))
        && next.get(2) == Some(&"de")
        && month_at(3)
    {
        return Some("part of a date");
    }
    if digits_only && written.len() == 4 && super::periods::year(written).is_some() {
        return Some("a year");
    }
    // "800 623 2323": digit groups separated by single spaces
    let joined_to = |a: &Found, b: &Found| {
        sentence[a.end..b.start] == *" "
            && sentence[a.start..a.end].bytes().all(|c| c.is_ascii_digit())
            && sentence[b.start..b.end].bytes().all(|c| c.is_ascii_digit())
    };
    let in_run =
        (k > 0 && joined_to(&all[k - 1], f)) || all.get(k + 1).is_some_and(|n| joined_to(f, n));
    if in_run && digits_only {
        return Some("a phone number");
    }
    const DURATIONS: &[&str] = &[
        "dias", "dia", "horas", "hora", "hrs", "minutos", "anos", "ano", "semanas", "semana",
        "meses", "mes",
    ];
    if next.first().is_some_and(|w| DURATIONS.contains(w)) {
        return Some("a duration");
    }
    let window = next.iter().take(6).copied().collect::<Vec<_>>().join(" ");
    const RATES: &[&str] = &[
        "por mes",
        "por semana",
        "al dia",
        "al mes",
        "por dia",
        "diarias",
        "diarios",
        "mensuales",
        "semanales",
    ];
    if RATES.iter().any(|r| window.contains(r)) {
        return Some("a rate (per month, per day), not a count");
    }
    None
}

fn qualifier(before: &str) -> Option<Qualifier> {
    let folded = fold(before);
    let tail: Vec<&str> = words(&folded)
        .into_iter()
        .rev()
        .take(3)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let t = tail.join(" ");
    let ends = |p: &str| t == p || t.ends_with(&format!(" {p}"));
    if ends("al menos") || ends("por lo menos") {
        Some(Qualifier::Unrecorded("al menos"))
    } else if ends("mas de") {
        Some(Qualifier::MoreThan)
    } else if ends("casi") {
        Some(Qualifier::Almost)
    } else if ends("alrededor de")
        || ends("cerca de")
        || ends("aproximadamente")
        || ends("unos")
        || ends("unas")
    {
        Some(Qualifier::About)
    } else if ends("menos de") {
        Some(Qualifier::Unrecorded("menos de"))
    } else if ends("hasta") {
        Some(Qualifier::Unrecorded("hasta"))
    } else {
        None
    }
}

/// "177 mil", "6.5 millones", "189 mil 700": forms a bulletin uses for rounded values.
fn rounded(written: &str, value: f64) -> bool {
    let words_form = written.contains("mil") || written.contains("mill");
    let decimal_millions = written.contains('.') && written.contains("mill");
    decimal_millions || (words_form && value >= 10_000.0 && value % 100.0 == 0.0)
}

fn number(value: f64) -> Option<Number> {
    if !(0.0..1e15).contains(&value) {
        return None;
    }
    Number::parse(&format!("{}", (value * 1e6).round() / 1e6))
}

/// Read one sentence. `places` names the places a clause may give to a number.
pub fn read_sentence(sentence: &str, metrics: &Metrics, places: &Places) -> Read {
    let found = spanish_numbers::find_numbers(sentence);
    let folded_sentence = fold(sentence);
    let target = [
        "se estima",
        "meta ",
        "se espera",
        "se preve",
        "se proyecta",
        "se pretende",
    ]
    .iter()
    .any(|p| folded_sentence.contains(p));
    let mut read = Read::default();
    // where the clause of the current number starts (after the last ';' before it)
    let (mut clause_start, mut scanned) = (0, 0);
    for k in 0..found.len() {
        let f = &found[k];
        if let Some(i) = sentence[scanned..f.start].rfind(';') {
            clause_start = scanned + i + 1;
        }
        scanned = f.start;
        let written = sentence[f.start..f.end].to_string();
        if let Some(reason) = not_a_figure(sentence, &found, k) {
            read.not_figures.push(NotFigure { written, reason });
            continue;
        }
        let Some(value) = number(f.value) else {
            read.not_figures.push(NotFigure {
                written,
                reason: "out of range",
            });
            continue;
        };
        // The words that belong to this number: up to the next number or the clause's end.
        let stop = found.get(k + 1).map_or(sentence.len(), |n| n.start);
        let after_text = &sentence[f.end..stop];
        let after_text = after_text.split(';').next().unwrap_or("");
        let after_folded = fold(after_text);
        let after: Vec<&str> = words(&after_folded).into_iter().take(14).collect();
        let article = matches!(fold(&written).as_str(), "un" | "una" | "uno");
        let before = tail(&sentence[..f.start], WINDOW);
        let clause = head(&sentence[clause_start..stop], WINDOW);
        let mut metric = if article { None } else { metrics.after(&after) };
        let mut place = subject_place(clause, places);
        // "cuatro Unidades …, tres en la Ciudad de México y una en Nuevo León": the previous
        // number's indicator, in a place of its own.
        let in_place = place_after(&after, places);
        if metric.is_none() {
            if let (Some(p), Some(prev)) = (&in_place, read.figures.last()) {
                metric = prev.metric;
                place = Some(p.clone());
            }
        }
        if metric.is_none() && !article {
            // "las jornadas nacionales, de las cuales se han realizado dos"
            let b = fold(before);
            if let Some(at) = b
                .rfind("de las cuales")
                .or_else(|| b.rfind("de los cuales"))
            {
                metric = metrics_before(&b[..at], metrics);
            }
        }
        if article && metric.is_none() {
            continue; // "un", "una": an article, not a count
        }
        read.figures.push(Figure {
            value,
            rounded: rounded(&written, f.value),
            written,
            metric,
            qualifier: qualifier(before),
            place,
            target,
        });
    }
    read
}

fn metrics_before(folded: &str, metrics: &Metrics) -> Option<usize> {
    let w = words(folded);
    let from = w.len().saturating_sub(8);
    metrics.last_named(&w[from..])
}

/// "En Jalisco se otorgó …": a clause whose subject is a place.
fn subject_place(clause: &str, places: &Places) -> Option<String> {
    let folded = fold(clause);
    let w = words(&folded);
    let skip = usize::from(matches!(w.first(), Some(&"en")));
    places
        .named_at(&w[skip.min(w.len())..])
        .into_iter()
        .find(|(at, _)| *at == 0)
        .map(|(_, id)| id)
}

/// "… en la Ciudad de México": a place right after a number.
fn place_after(after: &[&str], places: &Places) -> Option<String> {
    if after.first() != Some(&"en") {
        return None;
    }
    let skip = 1 + usize::from(matches!(after.get(1), Some(&("la" | "el" | "los" | "las"))));
    places
        .named_at(&after[skip.min(after.len())..])
        .into_iter()
        .find(|(at, _)| *at == 0)
        .map(|(_, id)| id)
}
