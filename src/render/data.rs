//! Downloads: every figure as CSV and JSON (one row per figure), and one CSV per indicator.

use serde::Serialize;

use crate::model::{Number, ObsRef, Period, Qualifier, Site};
use crate::validate::kind_name;

/// A figure's value as a JSON/CSV number: whole numbers stay integers, decimals stay exact.
#[derive(Serialize, Clone, Copy)]
#[serde(untagged)]
pub enum Value {
    Int(u64),
    Dec(f64),
}

impl From<Number> for Value {
    fn from(n: Number) -> Self {
        if n.scale == 0 {
            Value::Int(n.digits)
        } else {
            Value::Dec(n.as_f64())
        }
    }
}

/// One row per figure. Field order is the CSV column order.
#[derive(Serialize)]
pub struct Row<'a> {
    pub bulletin: &'a str,
    pub bulletin_title: &'a str,
    pub bulletin_date: String,
    pub report: &'a str,
    pub report_title: &'a str,
    pub kind: &'static str,
    pub metric: &'a str,
    pub metric_label: &'a str,
    pub value: Value,
    /// `more_than`, `about`, or empty.
    pub qualifier: &'static str,
    pub unit: &'a str,
    pub period_start: String,
    pub period_end: String,
    pub as_of: String,
    pub days: Option<i64>,
    pub year_stated: bool,
    /// Place ids separated by `;`.
    pub scope: String,
    pub scope_names: String,
    /// Other values the source states for this figure, separated by `;`.
    pub conflicting_values: String,
}

pub fn row(site: &Site, o: ObsRef) -> Row<'_> {
    let b = &site.bulletins[o.bulletin];
    let r = &b.reports[o.report];
    let f = &r.figures[o.figure];
    let m = &site.metrics[f.metric];
    let (start, end, as_of) = match r.period {
        Period::Range { start, end, .. } => (start.to_string(), end.to_string(), String::new()),
        Period::AsOf(d) => (String::new(), String::new(), d.to_string()),
        Period::Unstated => Default::default(),
    };
    Row {
        bulletin: &b.slug,
        bulletin_title: &b.title,
        bulletin_date: b.date.map(|d| d.to_string()).unwrap_or_default(),
        report: &r.id,
        report_title: &r.title,
        kind: kind_name(r.kind),
        metric: &m.id,
        metric_label: &m.label,
        value: f.value.into(),
        qualifier: match f.qualifier {
            Some(Qualifier::MoreThan) => "more_than",
            Some(Qualifier::About) => "about",
            None => "",
        },
        unit: &m.unit,
        period_start: start,
        period_end: end,
        as_of,
        days: r.period.days(),
        year_stated: r.period.year_stated(),
        scope: r
            .scope
            .iter()
            .map(|&p| site.places[p].id.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        scope_names: site.scope_names(&r.scope),
        conflicting_values: f
            .conflict
            .iter()
            .flat_map(|c| c.other_values.iter())
            .map(|v| crate::model::format::number(*v).replace(',', ""))
            .collect::<Vec<_>>()
            .join(";"),
    }
}

pub fn csv(site: &Site, obs: impl Iterator<Item = ObsRef>) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for o in obs {
        w.serialize(row(site, o)).map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

pub fn json(site: &Site, obs: impl Iterator<Item = ObsRef>) -> Result<Vec<u8>, String> {
    let rows: Vec<Row> = obs.map(|o| row(site, o)).collect();
    let mut out = serde_json::to_vec_pretty(&rows).map_err(|e| e.to_string())?;
    out.push(b'\n');
    Ok(out)
}
