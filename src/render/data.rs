//! Downloads: every figure as CSV and JSON (one row per figure), and per indicator and place.
//!
//! A figure appears in several downloads (all figures, its indicator's, each place's), so each
//! figure's CSV line and JSON object are encoded once (`Encoded`) and the files are put
//! together from them.

use std::borrow::Cow;

use serde::Serialize;

use super::csv_cell::cell;

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
    pub bulletin: Cow<'a, str>,
    pub bulletin_title: Cow<'a, str>,
    pub bulletin_date: String,
    pub report: Cow<'a, str>,
    pub report_title: Cow<'a, str>,
    pub kind: &'static str,
    pub metric: Cow<'a, str>,
    pub metric_label: Cow<'a, str>,
    pub value: Value,
    /// `more_than`, `about`, or empty.
    pub qualifier: &'static str,
    pub unit: Cow<'a, str>,
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
        bulletin: b.slug.as_str().into(),
        bulletin_title: b.title.as_str().into(),
        bulletin_date: b.date.map(|d| d.to_string()).unwrap_or_default(),
        report: r.id.as_str().into(),
        report_title: r.title.as_str().into(),
        kind: kind_name(r.kind),
        metric: m.id.as_str().into(),
        metric_label: m.label.as_str().into(),
        value: f.value.into(),
        qualifier: match f.qualifier {
            Some(Qualifier::MoreThan) => "more_than",
            Some(Qualifier::About) => "about",
            None => "",
        },
        unit: m.unit.as_str().into(),
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

impl Row<'_> {
    /// The row as CSV cells: every text neutralised against formulas (see `csv_cell`). Only the
    /// CSV needs it; the JSON keeps the text as written.
    pub fn for_csv(self) -> Self {
        Row {
            bulletin: cell(self.bulletin),
            bulletin_title: cell(self.bulletin_title),
            bulletin_date: cell(self.bulletin_date).into_owned(),
            report: cell(self.report),
            report_title: cell(self.report_title),
            metric: cell(self.metric),
            metric_label: cell(self.metric_label),
            unit: cell(self.unit),
            period_start: cell(self.period_start).into_owned(),
            period_end: cell(self.period_end).into_owned(),
            as_of: cell(self.as_of).into_owned(),
            scope: cell(self.scope).into_owned(),
            scope_names: cell(self.scope_names).into_owned(),
            conflicting_values: cell(self.conflicting_values).into_owned(),
            ..self
        }
    }
}

/// One figure's CSV line (with its line break) and compact JSON object. (Pretty-printed, the
/// JSON downloads were a sixth bigger for the same rows: indentation and a line per field, in
/// files of tens of megabytes on a large site.)
#[derive(Clone, Debug)]
pub struct Line {
    csv: String,
    json: String,
}

/// Every figure of one bulletin, encoded: by report, then figure. Shared, so `serve` keeps
/// unchanged bulletins' lines between rebuilds without copying them.
pub type BulletinLines = std::sync::Arc<Vec<Vec<Line>>>;

pub fn encode_bulletin(site: &Site, bulletin: usize) -> Result<BulletinLines, String> {
    let b = &site.bulletins[bulletin];
    let lines: Result<Vec<Vec<Line>>, String> = b
        .reports
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            (0..r.figures.len())
                .map(|fi| {
                    let row = row(
                        site,
                        ObsRef {
                            bulletin,
                            report: ri,
                            figure: fi,
                        },
                    );
                    let json = serde_json::to_string(&row).map_err(|e| e.to_string())?;
                    let mut w = csv::WriterBuilder::new()
                        .has_headers(false)
                        .from_writer(Vec::new());
                    w.serialize(row.for_csv()).map_err(|e| e.to_string())?;
                    let csv = w.into_inner().map_err(|e| e.to_string())?;
                    Ok(Line {
                        csv: String::from_utf8(csv).map_err(|e| e.to_string())?,
                        json,
                    })
                })
                .collect()
        })
        .collect();
    lines.map(std::sync::Arc::new)
}

/// The encoded figures of the whole site, by bulletin.
pub struct Encoded {
    pub bulletins: Vec<BulletinLines>,
    header: String,
}

impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Encoded {{ {} bulletins }}", self.bulletins.len())
    }
}

impl Encoded {
    pub fn new(bulletins: Vec<BulletinLines>) -> Encoded {
        Encoded {
            bulletins,
            header: csv_header(),
        }
    }

    fn line(&self, o: ObsRef) -> &Line {
        &self.bulletins[o.bulletin][o.report][o.figure]
    }

    /// A CSV of these figures, with a header row (empty when there are none).
    pub fn csv(&self, obs: impl Iterator<Item = ObsRef>) -> Vec<u8> {
        let mut out = String::new();
        for o in obs {
            if out.is_empty() {
                out.push_str(&self.header);
            }
            out.push_str(&self.line(o).csv);
        }
        out.into_bytes()
    }

    /// A compact JSON array of these figures, one figure per line (so a diff or `grep` of two
    /// downloads still reads figure by figure), ending with a line break.
    pub fn json(&self, obs: impl Iterator<Item = ObsRef>) -> Vec<u8> {
        let mut out = String::from("[");
        for (i, o) in obs.enumerate() {
            out.push_str(if i == 0 { "\n" } else { ",\n" });
            out.push_str(&self.line(o).json);
        }
        out.push_str(if out.len() == 1 { "]\n" } else { "\n]\n" });
        out.into_bytes()
    }
}

/// The CSV header: the names of `Row`'s fields, as the `csv` crate writes them.
fn csv_header() -> String {
    const FIELDS: &[&str] = &[
        "bulletin",
        "bulletin_title",
        "bulletin_date",
        "report",
        "report_title",
        "kind",
        "metric",
        "metric_label",
        "value",
        "qualifier",
        "unit",
        "period_start",
        "period_end",
        "as_of",
        "days",
        "year_stated",
        "scope",
        "scope_names",
        "conflicting_values",
    ];
    FIELDS.join(",") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files put together from encoded lines are exactly what serialising the rows gives.
    #[test]
    fn assembled_files_equal_direct_serialisation() {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::write(dir.path(), 6, 3, None).unwrap();
        let (src, _) = crate::load::load(dir.path()).unwrap();
        let site = crate::model::Site::new(crate::validate::validate(&src).0.unwrap());
        let enc = Encoded::new(
            (0..site.bulletins.len())
                .map(|b| encode_bulletin(&site, b).unwrap())
                .collect(),
        );
        let rows: Vec<Row> = site.all_observations().map(|o| row(&site, o)).collect();
        let mut w = csv::Writer::from_writer(Vec::new());
        for r in site.all_observations().map(|o| row(&site, o).for_csv()) {
            w.serialize(r).unwrap();
        }
        assert_eq!(enc.csv(site.all_observations()), w.into_inner().unwrap());
        // The JSON parses to exactly the rows, and is compact: one figure per line, no
        // indentation and no space after `:` or `,` outside the strings.
        let json = enc.json(site.all_observations());
        let parsed: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(parsed, serde_json::to_value(&rows).unwrap());
        let text = String::from_utf8(json).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), rows.len() + 2, "[, one line per figure, ]");
        for (line, row) in lines[1..lines.len() - 1].iter().zip(&rows) {
            assert_eq!(
                line.trim_end_matches(','),
                serde_json::to_string(row).unwrap()
            );
        }
        assert!(!text.contains("\n "), "no indentation");
        assert_eq!(enc.json(std::iter::empty()), b"[]\n");
        assert!(enc.csv(std::iter::empty()).is_empty());
    }
}
