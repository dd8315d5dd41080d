//! What templates see: plain, pre-formatted values (es-MX numbers, Spanish dates, relative
//! links) so templates only lay them out. Built from the `Site` indexes.

use serde::Serialize;

use super::charts::ChartView;
use crate::model::{
    format, Bulletin, PartialDate, Period, Qualifier, Report, ReportKind, Site, SourceKind,
};

#[derive(Serialize, Clone)]
pub struct Link {
    pub text: String,
    /// Relative to the site root; templates prefix it with `root`.
    pub href: String,
}

#[derive(Serialize)]
pub struct FigureView {
    pub metric: Link,
    /// The metric's slug: with its report's anchor, the figure's own anchor
    /// (`informe-<report>-<slug>`), which search results link to.
    pub slug: String,
    /// "6,552,794", "más de 177,000", "71.2 %".
    pub value: String,
    /// The sentence in the bulletin text that states it with its indicator's words (relative
    /// to the site root).
    pub source: Option<String>,
    /// When the text gives only its number, in a sentence that does not name the indicator:
    /// that sentence. Shown flagged, never as a verified figure.
    pub number_only: Option<String>,
    pub per_day: Option<String>,
    /// The unit as the value needs it ("1 unidad", "4 unidades"); empty for a share, whose
    /// value carries its "%".
    pub unit: String,
    pub note: Option<String>,
    pub conflict: Option<ConflictView>,
    /// What the figure sets itself instead of taking its report's: "Conteo; al 12 de
    /// septiembre de 2021". Empty when it shares its report's kind, period and scope.
    pub own: Option<String>,
    /// A total the bulletin does not state, computed from the parts it does.
    pub derived: bool,
}

#[derive(Serialize)]
pub struct ConflictView {
    pub other_values: String,
    pub note: String,
}

#[derive(Serialize)]
pub struct ReportView {
    pub id: String,
    /// The section's `id`: `informe-<id>` on its bulletin's page; with the bulletin's slug too
    /// where reports of several bulletins share a page (report ids are unique per bulletin).
    pub anchor: String,
    pub title: String,
    pub kind: &'static str,
    pub period: String,
    pub days: Option<i64>,
    pub year_note: Option<&'static str>,
    pub scope: Vec<Link>,
    pub note: Option<String>,
    pub bulletin: Link,
    pub figures: Vec<FigureView>,
    pub charts: Vec<ChartView>,
}

#[derive(Serialize)]
pub struct BulletinSummary {
    pub link: Link,
    pub kicker: Option<String>,
    pub number: Option<String>,
    pub date: String,
    /// Whether the bulletin gives its date to the day (else the date is flagged).
    pub dated: bool,
    /// "Boletín", "Republicación", "Traducción", "Nota periodística".
    pub source_kind: &'static str,
    /// What a reader should know when the text is not the institution's own bulletin.
    pub source_kind_note: Option<&'static str>,
    pub figures: usize,
    pub periods: Vec<String>,
}

pub const YEAR_NOTE: &str = "Año deducido: el boletín no lo indica.";

pub fn kind_label(k: ReportKind) -> &'static str {
    match k {
        ReportKind::Cumulative => "Acumulado",
        ReportKind::Event => "Jornada o evento",
        ReportKind::Stock => "Conteo",
        ReportKind::Target => "Meta o estimación",
    }
}

/// A figure's anchor on its bulletin's page: its report's anchor and its indicator's slug (an
/// indicator appears once per report).
pub fn figure_anchor(report: &Report, metric_slug: &str) -> String {
    format!("informe-{}-{metric_slug}", report.id)
}

pub fn bulletin_href(b: &Bulletin) -> String {
    format!("boletines/{}/", b.slug)
}

pub fn metric_href(site: &Site, m: usize) -> String {
    format!("indicadores/{}/", site.metrics[m].slug)
}

pub fn place_href(site: &Site, p: usize) -> String {
    format!("lugares/{}/", site.places[p].id)
}

pub fn place_link(site: &Site, p: usize) -> Link {
    Link {
        text: site.places[p].name.clone(),
        href: place_href(site, p),
    }
}

pub fn metric_link(site: &Site, m: usize) -> Link {
    Link {
        text: site.metrics[m].label.clone(),
        href: metric_href(site, m),
    }
}

pub fn bulletin_link(b: &Bulletin) -> Link {
    Link {
        text: b.title.clone(),
        href: bulletin_href(b),
    }
}

/// "6,552,794", "más de 177,000", "alrededor de 36,000,000".
pub fn value_text(value: crate::model::Number, q: Option<Qualifier>) -> String {
    let v = format::number(value);
    match q {
        Some(Qualifier::MoreThan) => format!("más de {v}"),
        Some(Qualifier::About) => format!("alrededor de {v}"),
        Some(Qualifier::Almost) => format!("casi {v}"),
        None => v,
    }
}

/// A figure's value as printed everywhere: "6,552,794", "más de 177,000", and a share with its
/// sign, "71.2 %" (a non-breaking space: it never splits across lines).
pub fn figure_value(site: &Site, f: &crate::model::Figure) -> String {
    let v = value_text(f.value, f.qualifier);
    if site.metrics[f.metric].unit == "%" {
        format!("{v}\u{a0}%")
    } else {
        v
    }
}

pub fn bulletin_date(b: &Bulletin) -> String {
    match b.date {
        Some(PartialDate::Day(d)) => d.long_es(),
        Some(d @ PartialDate::Month { .. }) => format!("{} (el boletín no da el día)", d.long_es()),
        Some(d @ PartialDate::Year(_)) => {
            format!("{} (el boletín no da día ni mes)", d.long_es())
        }
        None => "Sin fecha en el boletín".to_string(),
    }
}

pub fn source_kind_label(k: SourceKind) -> &'static str {
    match k {
        SourceKind::Bulletin => "Boletín",
        SourceKind::Republication => "Republicación",
        SourceKind::Translation => "Traducción",
        SourceKind::News => "Nota periodística",
    }
}

/// Said beside the label of a text that is not the institution's own bulletin.
fn source_kind_note(k: SourceKind) -> Option<&'static str> {
    match k {
        SourceKind::Bulletin => None,
        SourceKind::Republication => {
            Some("El boletín tal como otro medio lo volvió a publicar; puede diferir del original.")
        }
        SourceKind::Translation => {
            Some("Una traducción del boletín: las frases citadas no son las del original.")
        }
        SourceKind::News => Some(
            "Una nota periodística sobre el boletín, con sus propias palabras: cítese el boletín original cuando se pueda.",
        ),
    }
}

pub fn bulletin_summary(b: &Bulletin) -> BulletinSummary {
    BulletinSummary {
        link: bulletin_link(b),
        kicker: b.kicker.clone(),
        number: b.number.clone(),
        date: bulletin_date(b),
        dated: b.date.and_then(PartialDate::day).is_some(),
        source_kind: source_kind_label(b.source_kind),
        source_kind_note: source_kind_note(b.source_kind),
        figures: b.reports.iter().map(|r| r.figures.len()).sum(),
        periods: {
            let mut p: Vec<String> = Vec::new();
            for r in b.reports.iter().filter(|r| r.period != Period::Unstated) {
                // a goal's period is not a period the bulletin reports on
                let text = match r.kind {
                    ReportKind::Target => format!("meta para {}", r.period.long_es()),
                    _ => r.period.long_es(),
                };
                if !p.contains(&text) {
                    p.push(text);
                }
            }
            p
        },
    }
}

/// The source line printed on charts and under tables.
pub fn source_line(b: &Bulletin) -> String {
    let what = match b.source_kind {
        SourceKind::Bulletin => "boletín",
        SourceKind::Republication => "republicación del boletín",
        SourceKind::Translation => "traducción del boletín",
        SourceKind::News => "nota periodística sobre el boletín",
    };
    let of = match b.date {
        Some(PartialDate::Day(_)) => "del",
        _ => "de",
    };
    let id = match (&b.number, b.date) {
        (Some(n), Some(d)) => format!("{what} {n}, {}", d.long_es()),
        (Some(n), None) => format!("{what} {n}"),
        (None, Some(d)) => format!("{what} {of} {}", d.long_es()),
        (None, None) => format!("{what} sin número ni fecha"),
    };
    format!("Fuente: {}, {id}: «{}».", b.publisher, b.title)
}

/// A report as pages show it; `charts` are its drawn charts (none on indicator and place pages).
pub fn report_view(site: &Site, bi: usize, ri: usize, charts: Vec<ChartView>) -> ReportView {
    let b = &site.bulletins[bi];
    let r = &b.reports[ri];
    let figures = r
        .figures
        .iter()
        .map(|f| figure_view(site, b, r, f))
        .collect();
    ReportView {
        id: r.id.clone(),
        anchor: format!("informe-{}", r.id),
        title: r.title.clone(),
        kind: kind_label(r.kind),
        period: r.period.long_es(),
        days: r.period.days(),
        year_note: (!r.period.year_stated()).then_some(YEAR_NOTE),
        scope: r.scope.iter().map(|&p| place_link(site, p)).collect(),
        note: r.note.clone(),
        bulletin: bulletin_link(b),
        figures,
        charts,
    }
}

/// One figure as pages show it: value, source sentence link, per-day rate, notes.
pub fn figure_view(site: &Site, b: &Bulletin, r: &Report, f: &crate::model::Figure) -> FigureView {
    let m = &site.metrics[f.metric];
    let (value, unit) = match m.unit.as_str() {
        // a non-breaking space: "71.2 %" never splits across lines
        "%" => (
            format!("{}\u{a0}%", value_text(f.value, f.qualifier)),
            String::new(),
        ),
        unit => (
            value_text(f.value, f.qualifier),
            format::unit_for(f.value, unit),
        ),
    };
    FigureView {
        metric: Link {
            text: m.label.clone(),
            href: metric_href(site, f.metric),
        },
        slug: m.slug.clone(),
        value,
        source: f
            .traced()
            .map(|s| format!("{}#{}", bulletin_href(b), s.anchor())),
        number_only: f
            .number_only()
            .map(|s| format!("{}#{}", bulletin_href(b), s.anchor())),
        per_day: per_day_text(f).filter(|_| m.per_day),
        unit,
        note: f.note.clone(),
        conflict: f.conflict.as_ref().map(|c| ConflictView {
            other_values: c
                .other_values
                .iter()
                .map(|v| format::number(*v))
                .collect::<Vec<_>>()
                .join(", "),
            note: c.note.clone(),
        }),
        own: own_text(site, r, f),
        derived: f.derived,
    }
}

/// "Conteo; al 12 de septiembre de 2021; abarca Colima, Jalisco": what a figure sets itself
/// instead of taking from its report (its row says so, as the report's heading does not).
fn own_text(site: &Site, r: &Report, f: &crate::model::Figure) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    if f.kind != r.kind {
        parts.push(kind_label(f.kind).to_string());
    }
    if f.period != r.period {
        let mut p = f.period.long_es();
        if let Some(d) = f.period.days() {
            p.push_str(&format!(" ({d} {})", if d == 1 { "día" } else { "días" }));
        }
        if !f.period.year_stated() {
            p.push_str(" (año deducido)");
        }
        parts.push(p);
    }
    if f.scope != r.scope {
        parts.push(format!("abarca {}", site.scope_names(&f.scope)));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

fn per_day_text(f: &crate::model::Figure) -> Option<String> {
    if f.kind == ReportKind::Target || f.value.scale > 0 {
        return None;
    }
    let days = f.period.days()?;
    (days > 1).then(|| format::rate(f.value.as_f64() / days as f64))
}

/// A figure with its when, where and source: the home page's headlines, an indicator's latest
/// figure.
#[derive(Serialize)]
pub struct FigureInContext {
    #[serde(flatten)]
    pub figure: FigureView,
    pub kind: &'static str,
    pub period: String,
    pub days: Option<i64>,
    pub year_note: Option<&'static str>,
    pub scope: Vec<Link>,
    /// "Nacional", "9 lugares".
    pub scope_short: String,
    pub bulletin: Link,
    pub report_anchor: String,
}

pub fn figure_in_context(site: &Site, o: crate::model::ObsRef) -> FigureInContext {
    let b = &site.bulletins[o.bulletin];
    let r = site.report(o);
    let f = site.figure(o);
    let mut figure = figure_view(site, b, r, f);
    // Shown with its own kind, period and scope: nothing to add beside them.
    figure.own = None;
    FigureInContext {
        figure,
        kind: kind_label(f.kind),
        period: f.period.long_es(),
        days: f.period.days(),
        year_note: (!f.period.year_stated()).then_some(YEAR_NOTE),
        scope: f.scope.iter().map(|&p| place_link(site, p)).collect(),
        scope_short: match f.scope[..] {
            [one] => site.places[one].name.clone(),
            _ => format!("{} lugares", f.scope.len()),
        },
        bulletin: bulletin_link(b),
        report_anchor: r.id.clone(),
    }
}

/// What a bulletin says first: its figures in report order, a total standing for its parts
/// (the parts are on its page), at most `max`.
pub fn headline_figures(site: &Site, bi: usize, max: usize) -> Vec<crate::model::ObsRef> {
    let b = &site.bulletins[bi];
    let mut out = Vec::new();
    for (ri, r) in b.reports.iter().enumerate() {
        for (fi, f) in r.figures.iter().enumerate() {
            if f.kind == ReportKind::Target {
                continue;
            }
            let parent_given = site.metrics[f.metric]
                .parent
                .is_some_and(|p| r.figures.iter().any(|g| g.metric == p));
            if !parent_given && out.len() < max {
                out.push(crate::model::ObsRef {
                    bulletin: bi,
                    report: ri,
                    figure: fi,
                });
            }
        }
    }
    out
}
