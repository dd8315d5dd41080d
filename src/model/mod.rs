//! Stage 3, **model**: the checked content as plain typed values (`Content`, produced by
//! `validate`), and the immutable `Site` built from it once, with the indexes every page needs
//! (observations by indicator, reports by place) so no page scans all bulletins.

pub mod date;
pub mod format;
pub mod words;

pub use crate::load::schema::{
    Colour, Group, Number, PlaceKind, Qualifier, ReportKind, SourceKind,
};
pub use date::{Date, PartialDate};

#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub author: String,
    pub license: String,
    pub links: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub id: String,
    pub slug: String,
    pub label: String,
    pub unit: String,
    pub group: Group,
    pub definition: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    pub decimals: u8,
    pub per_day: bool,
    /// Its colour in every chart of the site.
    pub colour: Colour,
    /// Other phrases bulletins use for it (`aliases:` in metrics.yaml), trimmed.
    pub aliases: Vec<String>,
}

impl Group {
    /// The colour of a group's indicators unless `metrics.yaml` gives one: consultations blue,
    /// surgeries vermillion, transplants green, screenings purple, rehabilitation orange.
    pub fn colour(self) -> Colour {
        match self {
            Group::Consultations => Colour::Blue,
            Group::Surgeries => Colour::Vermillion,
            Group::Transplants => Colour::BluishGreen,
            Group::Screenings => Colour::ReddishPurple,
            Group::Rehabilitation => Colour::Orange,
            Group::Capacity | Group::Other => Colour::Grey,
        }
    }
}

/// What separates a figure's places in one cell of the CSV downloads. No place id (a slug)
/// contains it, and `validate` refuses a place name that does, so the cell can be split.
pub const PLACE_SEPARATOR: char = ';';

#[derive(Debug, Clone)]
pub struct Place {
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    /// For offices and units: the state they belong to.
    pub state: Option<usize>,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Bulletin {
    pub slug: String,
    pub title: String,
    pub kicker: Option<String>,
    pub number: Option<String>,
    /// Publication date, to the day, the month or the year, as the bulletin states it.
    pub date: Option<PartialDate>,
    pub date_note: Option<String>,
    /// What the text is: the institution's bulletin, or a republication, translation or news
    /// item based on it.
    pub source_kind: SourceKind,
    pub seed: Option<String>,
    pub publisher: String,
    pub url: Option<String>,
    pub places: Vec<usize>,
    pub tags: Vec<String>,
    pub notes: Vec<String>,
    pub reports: Vec<Report>,
    /// The bulletin text, Markdown.
    pub text: String,
    /// A hash of the bulletin's files: pages made only from unchanged bulletins are reused by
    /// `serve` instead of being rendered again.
    pub fingerprint: u64,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub id: String,
    pub title: String,
    pub kind: ReportKind,
    pub period: Period,
    pub scope: Vec<usize>,
    pub note: Option<String>,
    pub figures: Vec<Figure>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// An interval, both ends included. Its ends may be known only to the month or the year
    /// ("de abril a junio de 2022"); then it has no day count. `year_stated` is false when the
    /// bulletin gives only day and month and the year comes from context.
    Range {
        start: PartialDate,
        end: PartialDate,
        year_stated: bool,
    },
    /// A count at one date (or month, or year); `year_stated` as for `Range`.
    AsOf {
        date: PartialDate,
        year_stated: bool,
    },
    /// The bulletin gives no date at all (`period: unknown`, or none for a count).
    Unstated,
}

impl Period {
    /// The days an interval covers, when both its ends are known to the day (a count at a
    /// date covers none).
    pub fn days(&self) -> Option<i64> {
        match self {
            Period::Range { .. } => self.exact().map(|(s, e)| date::days_between(s, e)),
            _ => None,
        }
    }

    /// Its first and last day, when the bulletin gives both to the day.
    pub fn exact(&self) -> Option<(Date, Date)> {
        match *self {
            Period::Range { start, end, .. } => Some((start.day()?, end.day()?)),
            Period::AsOf { date, .. } => date.day().map(|d| (d, d)),
            Period::Unstated => None,
        }
    }

    /// The last day the period may cover, for ordering.
    pub fn last_day(&self) -> Option<Date> {
        match *self {
            Period::Range { end, .. } => Some(end.last()),
            Period::AsOf { date, .. } => Some(date.last()),
            Period::Unstated => None,
        }
    }

    /// For sorting oldest first: by the last day it may cover, then the first; a period the
    /// bulletin does not give comes after every dated one (it is not "the oldest").
    pub fn chronology(&self) -> (bool, Option<Date>, Option<Date>) {
        let first = match *self {
            Period::Range { start, .. } => Some(start.first()),
            Period::AsOf { date, .. } => Some(date.first()),
            Period::Unstated => None,
        };
        (self.last_day().is_none(), self.last_day(), first)
    }

    /// Whether its dates are known only to the month or year (the label says so).
    pub fn partial(&self) -> bool {
        match *self {
            Period::Range { start, end, .. } => start.day().is_none() || end.day().is_none(),
            Period::AsOf { date, .. } => date.day().is_none(),
            Period::Unstated => false,
        }
    }

    pub fn year_stated(&self) -> bool {
        match *self {
            Period::Range { year_stated, .. } | Period::AsOf { year_stated, .. } => year_stated,
            Period::Unstated => true,
        }
    }

    /// "del 10 al 12 de septiembre de 2021", "al 30 de marzo de 2022", "mayo de 2022",
    /// "fechas no indicadas".
    pub fn long_es(&self) -> String {
        match *self {
            Period::Range { start, end, .. } => date::partial_range_es(start, end),
            Period::AsOf {
                date: d @ PartialDate::Day(_),
                ..
            } => format!("al {}", d.long_es()),
            Period::AsOf { date, .. } => format!("en {}", date.long_es()),
            Period::Unstated => "fechas no indicadas".to_string(),
        }
    }

    pub fn short_es(&self) -> String {
        match *self {
            Period::Range { start, end, .. } => date::partial_range_short_es(start, end),
            Period::AsOf {
                date: d @ PartialDate::Day(_),
                ..
            } => format!("al {}", d.short_es()),
            Period::AsOf { date, .. } => date.short_es(),
            Period::Unstated => "sin fechas".to_string(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub metric: usize,
    pub value: Number,
    pub qualifier: Option<Qualifier>,
    /// Its kind, period and scope: its report's, unless it sets its own (`shares_report`).
    pub kind: ReportKind,
    pub period: Period,
    pub scope: Vec<usize>,
    /// A total the bulletin does not state, computed from the parts it does state (`validate`
    /// checks the sum). Shown as computed everywhere; provenance does not look for it.
    pub derived: bool,
    pub note: Option<String>,
    pub conflict: Option<Conflict>,
    /// Where the bulletin text states it; `None` when it does not (a warning at build time).
    /// A mention that does not name the indicator (`names_indicator: false`) is a warning too.
    pub source: Option<Mention>,
    /// Where the figure is in its bulletin's YAML file (`check --explain` names it).
    pub at: crate::diagnostics::Pos,
}

/// A figure's mention in the bulletin's Markdown text, as byte ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// The number as written, e.g. `475 mil 725`.
    pub number: (usize, usize),
    /// The sentence that contains it.
    pub sentence: (usize, usize),
    /// Whether the number's words name the figure's indicator (its label or an alias). When
    /// they do not, only the number was found, in a sentence about something else: the figure
    /// is not verified ("number only").
    pub names_indicator: bool,
}

impl Mention {
    /// A stable anchor for the mention's sentence; figures stated in one sentence share it.
    pub fn anchor(&self) -> String {
        format!("fuente-{}", self.sentence.0)
    }
}

#[derive(Debug, Clone)]
pub struct Conflict {
    pub other_values: Vec<Number>,
    pub note: String,
}

/// Everything `validate` has checked, in typed form.
#[derive(Debug, Clone)]
pub struct Content {
    pub config: SiteConfig,
    pub metrics: Vec<Metric>,
    pub places: Vec<Place>,
    pub bulletins: Vec<Bulletin>,
}

/// One figure, addressed by where it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ObsRef {
    pub bulletin: usize,
    pub report: usize,
    pub figure: usize,
}

/// The whole site's data, indexed. Built once; read by charts and render.
#[derive(Debug)]
pub struct Site {
    pub config: SiteConfig,
    pub metrics: Vec<Metric>,
    pub places: Vec<Place>,
    /// Newest first (by publication date, else by the latest day any report covers).
    pub bulletins: Vec<Bulletin>,
    /// For each metric, its observations, oldest period first.
    pub by_metric: Vec<Vec<ObsRef>>,
    /// For each place, the (bulletin, report) pairs whose scope includes it or one of its
    /// offices and units.
    pub reports_by_place: Vec<Vec<(usize, usize)>>,
    /// For each place, the bulletins that mention it.
    pub bulletins_by_place: Vec<Vec<usize>>,
}

impl Site {
    pub fn new(content: Content) -> Site {
        let Content {
            config,
            metrics,
            places,
            mut bulletins,
        } = content;
        bulletins.sort_by(|a, b| {
            b.sort_date()
                .cmp(&a.sort_date())
                .then_with(|| a.slug.cmp(&b.slug))
        });

        let mut by_metric = vec![Vec::new(); metrics.len()];
        let mut reports_by_place = vec![Vec::new(); places.len()];
        let mut bulletins_by_place = vec![Vec::new(); places.len()];
        for (bi, b) in bulletins.iter().enumerate() {
            for &p in &b.places {
                bulletins_by_place[p].push(bi);
            }
            for (ri, r) in b.reports.iter().enumerate() {
                for (fi, f) in r.figures.iter().enumerate() {
                    by_metric[f.metric].push(ObsRef {
                        bulletin: bi,
                        report: ri,
                        figure: fi,
                    });
                }
                let mut concerned: Vec<usize> = Vec::new();
                let scopes = r.figures.iter().flat_map(|f| &f.scope);
                for &p in r.scope.iter().chain(scopes) {
                    concerned.push(p);
                    concerned.extend(places[p].state);
                }
                concerned.sort_unstable();
                concerned.dedup();
                for p in concerned {
                    reports_by_place[p].push((bi, ri));
                }
            }
        }
        for list in &mut by_metric {
            list.sort_by_key(|o| {
                let f = &bulletins[o.bulletin].reports[o.report].figures[o.figure];
                (f.period.chronology(), o.bulletin, o.report)
            });
        }
        for list in &mut bulletins_by_place {
            list.dedup();
        }
        Site {
            config,
            metrics,
            places,
            bulletins,
            by_metric,
            reports_by_place,
            bulletins_by_place,
        }
    }

    pub fn report(&self, o: ObsRef) -> &Report {
        &self.bulletins[o.bulletin].reports[o.report]
    }

    pub fn figure(&self, o: ObsRef) -> &Figure {
        &self.report(o).figures[o.figure]
    }

    pub fn metric_index(&self, id: &str) -> Option<usize> {
        self.metrics.iter().position(|m| m.id == id)
    }

    /// Every figure in site order: bulletins newest first, reports and figures as written.
    pub fn all_observations(&self) -> impl Iterator<Item = ObsRef> + '_ {
        self.bulletins.iter().enumerate().flat_map(|(bi, b)| {
            b.reports.iter().enumerate().flat_map(move |(ri, r)| {
                (0..r.figures.len()).map(move |fi| ObsRef {
                    bulletin: bi,
                    report: ri,
                    figure: fi,
                })
            })
        })
    }

    /// "Nacional", "Baja California Sur, Coahuila, …": the scope in words.
    pub fn scope_names(&self, scope: &[usize]) -> String {
        scope
            .iter()
            .map(|&p| self.places[p].name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Bulletin {
    /// Publication date, else the latest day a report covers (the bulletin came out after it).
    pub fn sort_date(&self) -> Option<Date> {
        self.date
            .map(PartialDate::last)
            .or_else(|| self.result_periods().filter_map(|p| p.last_day()).max())
    }

    /// The newest day the bulletin states in full: its publication date when given to the
    /// day, else the last day of a period it reports to the day with its year (not a
    /// target's). `None` when it states none: nothing may then be dated as its own.
    pub fn stated_date(&self) -> Option<Date> {
        self.date
            .and_then(PartialDate::day)
            .or_else(|| self.last_day_reported(true))
    }

    /// The last day a period of its results covers, when given to the day.
    pub fn last_reported_day(&self) -> Option<Date> {
        self.last_day_reported(false)
    }

    /// The last day given to the day of a period of its results; with `year_stated`, only of
    /// periods whose year the bulletin states.
    fn last_day_reported(&self, year_stated: bool) -> Option<Date> {
        self.result_periods()
            .filter(|p| !year_stated || p.year_stated())
            .filter_map(|p| p.exact().map(|(_, end)| end))
            .max()
    }

    /// The periods of its figures that report results (not targets). Each figure carries its
    /// report's period unless it has its own, so the reports need not be read as well.
    fn result_periods(&self) -> impl Iterator<Item = &Period> {
        self.reports
            .iter()
            .flat_map(|r| &r.figures)
            .filter(|f| f.kind != ReportKind::Target)
            .map(|f| &f.period)
    }
}

impl Figure {
    /// Whether it has its report's kind, period and scope (it does unless it sets its own).
    pub fn shares_report(&self, r: &Report) -> bool {
        self.kind == r.kind && self.period == r.period && self.scope == r.scope
    }

    /// The mention that states this figure with its indicator's words, if there is one.
    pub fn traced(&self) -> Option<Mention> {
        self.source.filter(|m| m.names_indicator)
    }

    /// The mention of the number alone, in a sentence that does not name the indicator.
    pub fn number_only(&self) -> Option<Mention> {
        self.source.filter(|m| !m.names_indicator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    fn range(a: &str, b: &str) -> Period {
        Period::Range {
            start: p(a),
            end: p(b),
            year_stated: true,
        }
    }

    #[test]
    fn periods_sort_by_their_last_possible_day_and_unknown_ones_last() {
        let mut periods = [
            Period::Unstated,
            range("2022-05", "2022-05"),
            range("2022-05-10", "2022-05-12"),
            range("2021-04-01", "2021-09-12"),
            Period::AsOf {
                date: p("2021"),
                year_stated: true,
            },
        ];
        periods.sort_by_key(Period::chronology);
        assert_eq!(
            periods.map(|x| x.short_es()),
            [
                "1 abr–12 sep 2021",
                "2021",
                "10–12 may 2022",
                "may 2022",
                "sin fechas"
            ]
        );
    }

    #[test]
    fn only_periods_given_to_the_day_have_days() {
        assert_eq!(range("2021-09-10", "2021-09-12").days(), Some(3));
        assert_eq!(range("2021-09", "2021-09").days(), None);
        assert_eq!(range("2021-09-01", "2021-09").days(), None);
        assert!(range("2021-09-01", "2021-09").partial());
        let at = Period::AsOf {
            date: p("2021-09-12"),
            year_stated: false,
        };
        assert_eq!((at.days(), at.exact().is_some()), (None, true));
        assert!(!at.year_stated());
        assert_eq!(Period::Unstated.long_es(), "fechas no indicadas");
        assert_eq!(
            Period::AsOf {
                date: p("2021"),
                year_stated: true
            }
            .long_es(),
            "en 2021"
        );
    }
}
