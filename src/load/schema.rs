//! The shape of the files in `content/`, exactly as a maintainer writes them. Every field a
//! later check may complain about is `Spanned`, so the complaint can name its line and column.
//! Unknown fields are errors: a typo must not silently drop data.

use serde::Deserialize;
use serde_saphyr::Spanned;

pub type S<T> = Spanned<T>;

/// `content/site.yaml`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    pub title: S<String>,
    pub description: S<String>,
    pub base_url: S<String>,
    pub language: S<String>,
    pub author: S<String>,
    pub license: S<String>,
    #[serde(default)]
    pub links: Vec<LinkSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    pub label: S<String>,
    pub url: S<String>,
}

/// `content/metrics.yaml`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsFile {
    pub metrics: Vec<MetricSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricSpec {
    pub id: S<String>,
    pub slug: S<String>,
    pub label: S<String>,
    pub unit: S<String>,
    pub group: S<Group>,
    pub definition: S<String>,
    #[serde(default)]
    pub parent: Option<S<String>>,
    #[serde(default)]
    pub decimals: Option<S<u8>>,
    /// Whether a per-day rate means anything (`false` for counts of things such as offices
    /// taking part, which do not accumulate day by day).
    #[serde(default = "yes")]
    pub per_day: bool,
    /// The indicator's colour in every chart (default: its group's).
    #[serde(default)]
    pub colour: Option<S<Colour>>,
    /// The phrases bulletins use for this indicator besides its label ("consultas de
    /// especialidad", "trasplantes de riñón"): how a draft guesses a number's metric and how
    /// provenance recognises the sentence that names it.
    #[serde(default)]
    pub aliases: Vec<S<String>>,
}

/// A chart colour, from the Okabe–Ito palette (distinguishable with every common colour-vision
/// deficiency), plus a neutral grey.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    Blue,
    SkyBlue,
    Vermillion,
    BluishGreen,
    ReddishPurple,
    Orange,
    Yellow,
    Grey,
}

#[derive(
    Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    Consultations,
    Surgeries,
    Transplants,
    Screenings,
    Rehabilitation,
    Capacity,
    Other,
}

/// `content/places.yaml`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacesFile {
    pub places: Vec<PlaceSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceSpec {
    pub id: S<String>,
    pub name: S<String>,
    pub kind: S<PlaceKind>,
    #[serde(default)]
    pub state: Option<S<String>>,
    #[serde(default)]
    pub note: Option<S<String>>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    National,
    State,
    Office,
    Unit,
}

/// `content/bulletins/<slug>.yaml`
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulletinFile {
    pub title: S<String>,
    #[serde(default)]
    pub kicker: Option<S<String>>,
    /// The bulletin's own number, e.g. `154/2022`; `null` when it has none.
    pub number: Option<S<String>>,
    /// Publication date `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when the bulletin gives only the
    /// month or the year; `null` when it states none (then `date_note`). Spanned outside the
    /// option so that even `null` has a location to point at.
    pub date: S<Option<DateText>>,
    #[serde(default)]
    pub date_note: Option<S<String>>,
    pub source: SourceSpec,
    #[serde(default)]
    pub places: Vec<S<String>>,
    #[serde(default)]
    pub tags: Vec<S<String>>,
    #[serde(default)]
    pub notes: Vec<S<String>>,
    pub reports: Vec<ReportSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// What the text is (default `bulletin`).
    #[serde(default)]
    pub kind: Option<S<SourceKind>>,
    /// The file the text was taken from (e.g. the PDF extraction's name).
    pub seed: Option<S<String>>,
    pub publisher: S<String>,
    pub url: Option<S<String>>,
}

/// What a bulletin's text is, labelled on the site: a reader weighs an institution's own
/// bulletin differently from a news item about it.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// The institution's own press bulletin.
    #[default]
    Bulletin,
    /// The bulletin as published again by someone else (a government portal, a newspaper).
    Republication,
    /// The bulletin in another language.
    Translation,
    /// A news item reporting the bulletin's figures in its own words.
    News,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSpec {
    pub id: S<String>,
    pub title: S<String>,
    pub kind: S<ReportKind>,
    #[serde(default)]
    pub period: Option<S<PeriodField>>,
    pub scope: S<Vec<S<String>>>,
    #[serde(default)]
    pub note: Option<S<String>>,
    pub figures: Vec<FigureSpec>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// A running total over a period (e.g. 1 April – 12 September).
    Cumulative,
    /// One event such as a jornada (e.g. 10–12 September).
    Event,
    /// A count at a moment, or with no period at all (beds, units, patients).
    Stock,
    /// A goal or estimate, not a result.
    Target,
}

/// A period as written: its dates, or `unknown` when the source gives none (an event whose
/// days the text does not say is still an event, not a count).
#[derive(Debug, Clone)]
pub enum PeriodField {
    Unknown,
    Dates(Box<PeriodSpec>),
}

impl<'de> Deserialize<'de> for PeriodField {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = PeriodField;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`{ start: …, end: … }`, `{ as_of: … }` or `unknown`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PeriodField, E> {
                if v == "unknown" {
                    Ok(PeriodField::Unknown)
                } else {
                    Err(E::custom(format!(
                        "a period is `{{ start: YYYY-MM-DD, end: YYYY-MM-DD }}`, `{{ as_of: YYYY-MM-DD }}` or `unknown`, not \"{v}\""
                    )))
                }
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<PeriodField, A::Error> {
                PeriodSpec::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|spec| PeriodField::Dates(Box::new(spec)))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodSpec {
    #[serde(default)]
    pub start: Option<S<DateText>>,
    #[serde(default)]
    pub end: Option<S<DateText>>,
    #[serde(default)]
    pub as_of: Option<S<DateText>>,
    /// `false` when the bulletin gives day and month but the year comes from context.
    #[serde(default = "yes")]
    pub year_stated: bool,
}

fn yes() -> bool {
    true
}

/// A date as written: `2021-09-12`, `2021-09` or `2021` (which YAML reads as a number).
/// `validate` parses it, so a bad date is reported with the others.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateText(pub String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = DateText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date such as 2021-09-12, 2021-09 or 2021")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureSpec {
    pub metric: S<String>,
    pub value: S<Number>,
    #[serde(default)]
    pub qualifier: Option<S<Qualifier>>,
    /// The figure's own kind, period and scope where they differ from its report's ("las 35
    /// Oficinas" counted in a balance; "cuatro Oficinas" among six places).
    #[serde(default)]
    pub kind: Option<S<ReportKind>>,
    #[serde(default)]
    pub period: Option<S<PeriodField>>,
    #[serde(default)]
    pub scope: Option<S<Vec<S<String>>>>,
    /// A total the text does not state, computed from the parts it does.
    #[serde(default)]
    pub derived: Option<S<bool>>,
    #[serde(default)]
    pub note: Option<S<String>>,
    #[serde(default)]
    pub conflict: Option<S<ConflictSpec>>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Qualifier {
    /// "más de 177 mil": the value is a lower bound.
    MoreThan,
    /// "alrededor de", "cerca de": the value is rounded, either way.
    About,
    /// "casi 36 millones": the value is an upper bound the real one comes close to.
    Almost,
}

/// The source states other values for the same figure.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictSpec {
    pub other_values: Vec<S<Number>>,
    pub note: S<String>,
}

/// A non-negative figure: a whole number, or a decimal such as `71.2`, kept exact as
/// `digits / 10^scale` so formatting never shows float noise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Number {
    pub digits: u64,
    pub scale: u8,
}

impl Number {
    pub fn int(n: u64) -> Self {
        Number {
            digits: n,
            scale: 0,
        }
    }

    pub fn as_f64(self) -> f64 {
        self.digits as f64 / 10f64.powi(self.scale as i32)
    }

    /// Parse the shortest decimal form, e.g. "71.2" or "442".
    pub fn parse(text: &str) -> Option<Number> {
        let (int, frac) = text.split_once('.').unwrap_or((text, ""));
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 6 {
            return None;
        }
        let frac = frac.trim_end_matches('0');
        let digits: u64 = format!("{int}{frac}").parse().ok()?;
        Some(Number {
            digits,
            scale: frac.len() as u8,
        })
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a non-negative number such as 442 or 71.2 (no thousands separators)")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number::int(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Number, E> {
                u64::try_from(v).map(Number::int).map_err(|_| {
                    E::custom(format!(
                        "negative figure {v}: figures count things and cannot be negative"
                    ))
                })
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Number, E> {
                if !v.is_finite() || v < 0.0 {
                    return Err(E::custom(format!(
                        "{v} is not a non-negative finite number"
                    )));
                }
                // Rust prints the shortest representation that round-trips, e.g. "71.2".
                Number::parse(&format!("{v}")).ok_or_else(|| {
                    E::custom("number out of range: figures are whole numbers below 2^64, or decimals with at most 6 places")
                })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Number, E> {
                Err(E::custom(format!(
                    "expected a number, found the text \"{v}\"; write digits only, e.g. 6552794 (not \"6,552,794\" or \"6 millones\")"
                )))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parse_exactly() {
        assert_eq!(
            Number::parse("71.2"),
            Some(Number {
                digits: 712,
                scale: 1
            })
        );
        assert_eq!(Number::parse("442"), Some(Number::int(442)));
        assert_eq!(
            Number::parse("1.50"),
            Some(Number {
                digits: 15,
                scale: 1
            })
        );
        assert_eq!(Number::parse("-1"), None);
        assert_eq!(Number::parse("1e5"), None);
        assert_eq!(Number::parse("99999999999999999999999"), None);
    }

    #[test]
    fn figure_values_deserialize_from_yaml() {
        #[derive(Deserialize)]
        struct T {
            a: Number,
            b: Number,
        }
        let t: T = serde_saphyr::from_str("a: 6552794\nb: 71.2\n").unwrap();
        assert_eq!(t.a, Number::int(6_552_794));
        assert_eq!(t.b.as_f64(), 71.2);
        assert!(serde_saphyr::from_str::<T>("a: -5\nb: 1\n").is_err());
        assert!(serde_saphyr::from_str::<T>("a: \"6,552,794\"\nb: 1\n").is_err());
    }
}

#[cfg(test)]
mod period_tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct T {
        period: S<PeriodField>,
        #[serde(default)]
        date: Option<S<DateText>>,
    }

    #[test]
    fn a_period_is_dates_or_unknown_and_dates_may_be_years() {
        let t: T = serde_saphyr::from_str("period: unknown\ndate: 2021\n").unwrap();
        assert!(matches!(t.period.value, PeriodField::Unknown));
        assert_eq!(t.date.unwrap().value, DateText("2021".into()));
        let t: T = serde_saphyr::from_str("period: { start: 2022-05, end: 2022-05-12 }\n").unwrap();
        let PeriodField::Dates(spec) = t.period.value else {
            panic!("dates expected")
        };
        assert_eq!(spec.start.unwrap().value.0, "2022-05");
        assert_eq!(spec.end.as_ref().unwrap().value.0, "2022-05-12");
        // the spans inside the map are kept: the end's value is at column 32
        assert_eq!(spec.end.unwrap().referenced.column(), 32);
        let err = serde_saphyr::from_str::<T>("period: soon\n").unwrap_err();
        assert!(err.to_string().contains("not \"soon\""), "{err}");
        let err = serde_saphyr::from_str::<T>("period: { start: 2021, ends: 2021 }\n").unwrap_err();
        assert!(err.to_string().contains("ends"), "{err}");
    }
}
