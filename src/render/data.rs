//! Downloads: every figure as CSV and JSON (one row per figure), and per indicator and place.
//!
//! A figure appears in several downloads (all figures, its indicator's, each place's), so each
//! figure's CSV line and JSON object are encoded once (`Encoded`) and the files are put
//! together from them. A place's CSV adds one column, `scope_kind`, that depends on the place
//! (the same figure is one place's own and another's share of a joint total), so it is added
//! when that file is put together.

use std::borrow::Cow;

use serde::Serialize;

use super::csv_cell::cell;

use crate::model::{Number, ObsRef, Period, Qualifier, Site, SourceKind, PLACE_SEPARATOR};
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
    /// `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when the bulletin gives only the month or year.
    pub bulletin_date: String,
    pub report: Cow<'a, str>,
    pub report_title: Cow<'a, str>,
    pub kind: &'static str,
    pub metric: Cow<'a, str>,
    pub metric_label: Cow<'a, str>,
    pub value: Value,
    /// `more_than`, `about`, `almost`, or empty.
    pub qualifier: &'static str,
    pub unit: Cow<'a, str>,
    /// `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` where the bulletin gives only the month or year.
    pub period_start: String,
    pub period_end: String,
    pub as_of: String,
    pub days: Option<i64>,
    /// Whether the bulletin states the period's year; empty (`null`) for a figure with no
    /// period or date at all, where no year is at stake.
    pub year_stated: Option<bool>,
    /// Place ids: a list in JSON, separated by `;` in CSV.
    pub scope: Places<'a>,
    /// Place names, in the order of `scope`: a list in JSON, separated by `;` in CSV (the
    /// catalogue refuses a name containing `;`, so the cell can always be split).
    pub scope_names: Places<'a>,
    /// Other values the source states for this figure, separated by `;`.
    pub conflicting_values: String,
    // Columns added later go last, so scripts reading columns by position keep working.
    /// True for a total the bulletin does not state, computed from the parts it does.
    pub derived: bool,
    /// `bulletin`, `republication`, `translation` or `news`: what the source text is.
    pub source_kind: &'static str,
}

/// A figure's places. JSON keeps them as a list; `Row::for_csv` joins them into one cell.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Places<'a> {
    List(Vec<&'a str>),
    Joined(String),
}

impl Places<'_> {
    fn joined(self) -> String {
        match self {
            Places::List(names) => names.join(&PLACE_SEPARATOR.to_string()),
            Places::Joined(s) => s,
        }
    }
}

pub fn row(site: &Site, o: ObsRef) -> Row<'_> {
    let b = &site.bulletins[o.bulletin];
    let r = &b.reports[o.report];
    let f = &r.figures[o.figure];
    let m = &site.metrics[f.metric];
    let (start, end, as_of) = match f.period {
        Period::Range { start, end, .. } => (start.to_string(), end.to_string(), String::new()),
        Period::AsOf { date, .. } => (String::new(), String::new(), date.to_string()),
        Period::Unstated => Default::default(),
    };
    Row {
        bulletin: b.slug.as_str().into(),
        bulletin_title: b.title.as_str().into(),
        bulletin_date: b.date.map(|d| d.to_string()).unwrap_or_default(),
        report: r.id.as_str().into(),
        report_title: r.title.as_str().into(),
        kind: kind_name(f.kind),
        metric: m.id.as_str().into(),
        metric_label: m.label.as_str().into(),
        value: f.value.into(),
        qualifier: match f.qualifier {
            Some(Qualifier::MoreThan) => "more_than",
            Some(Qualifier::About) => "about",
            Some(Qualifier::Almost) => "almost",
            None => "",
        },
        unit: m.unit.as_str().into(),
        period_start: start,
        period_end: end,
        as_of,
        days: f.period.days(),
        year_stated: (f.period != Period::Unstated).then(|| f.period.year_stated()),
        scope: Places::List(
            f.scope
                .iter()
                .map(|&p| site.places[p].id.as_str())
                .collect(),
        ),
        scope_names: Places::List(
            f.scope
                .iter()
                .map(|&p| site.places[p].name.as_str())
                .collect(),
        ),
        conflicting_values: f
            .conflict
            .iter()
            .flat_map(|c| c.other_values.iter())
            .map(|v| crate::model::format::number(*v).replace(',', ""))
            .collect::<Vec<_>>()
            .join(";"),
        derived: f.derived,
        source_kind: match b.source_kind {
            SourceKind::Bulletin => "bulletin",
            SourceKind::Republication => "republication",
            SourceKind::Translation => "translation",
            SourceKind::News => "news",
        },
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
            scope: Places::Joined(cell(self.scope.joined()).into_owned()),
            scope_names: Places::Joined(cell(self.scope_names.joined()).into_owned()),
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

    /// A place's CSV: every column of `csv`, then `scope_kind`, saying for each figure whether it
    /// is the place's own or a total it shares with other places (summing those double-counts).
    pub fn place_csv(&self, obs: impl Iterator<Item = (ObsRef, ScopeKind)>) -> Vec<u8> {
        let mut out = String::new();
        for (o, kind) in obs {
            if out.is_empty() {
                out.push_str(self.header.trim_end_matches('\n'));
                out.push_str(",scope_kind\n");
            }
            let line = &self.line(o).csv;
            out.push_str(line.strip_suffix('\n').unwrap_or(line));
            out.push(',');
            out.push_str(kind.name());
            out.push('\n');
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

/// Whose figure a row of a place's CSV is: the place's own (its scope is the place, or the
/// place's offices and units), or a joint total of several places that includes it. The place
/// page splits its figures the same way (`render::charts::own_reports`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Own,
    Shared,
}

impl ScopeKind {
    pub fn name(self) -> &'static str {
        match self {
            ScopeKind::Own => "own",
            ScopeKind::Shared => "shared",
        }
    }
}

/// How a download is put together from the encoded lines.
#[derive(Debug, Clone)]
pub enum Format {
    Csv,
    Json,
    /// A place's CSV, with whose figure each row is.
    PlaceCsv(Vec<ScopeKind>),
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
        "derived",
        "source_kind",
    ];
    FIELDS.join(",") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A synthetic site of `n` bulletins and its figures encoded for the downloads.
    fn encoded(n: usize, seed: u64) -> (Site, Encoded) {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::write(dir.path(), n, seed, None).unwrap();
        let (src, _) = crate::load::load(dir.path()).unwrap();
        let site = crate::model::Site::new(crate::validate::validate(&src).0.unwrap());
        let enc = Encoded::new(
            (0..site.bulletins.len())
                .map(|b| encode_bulletin(&site, b).unwrap())
                .collect(),
        );
        (site, enc)
    }

    /// Files put together from encoded lines are exactly what serialising the rows gives.
    #[test]
    fn assembled_files_equal_direct_serialisation() {
        let (site, enc) = encoded(6, 3);
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

    /// A place's CSV is the common CSV with one more column, whose figure each row is.
    #[test]
    fn place_csv_adds_scope_kind_to_each_row() {
        let (site, enc) = encoded(3, 2);
        let obs: Vec<ObsRef> = site.all_observations().take(2).collect();
        let plain = String::from_utf8(enc.csv(obs.iter().copied())).unwrap();
        let kinds = [ScopeKind::Own, ScopeKind::Shared];
        let place = String::from_utf8(enc.place_csv(obs.iter().copied().zip(kinds))).unwrap();
        let expected: Vec<String> = plain
            .lines()
            .zip(["scope_kind", "own", "shared"])
            .map(|(line, extra)| format!("{line},{extra}"))
            .collect();
        assert_eq!(place.lines().collect::<Vec<_>>(), expected);
        assert!(enc.place_csv(std::iter::empty()).is_empty());
    }

    /// Places are a list in JSON and one `;`-separated cell in CSV, made safe like any text.
    #[test]
    fn places_are_a_json_list_and_one_csv_cell() {
        let list = Places::List(vec!["Jalisco", "Colima, Oficina"]);
        assert_eq!(
            serde_json::to_string(&list).unwrap(),
            r#"["Jalisco","Colima, Oficina"]"#
        );
        assert_eq!(list.joined(), "Jalisco;Colima, Oficina");
        assert_eq!(Places::List(vec![]).joined(), "");
    }
}
