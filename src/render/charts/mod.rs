//! Which charts the site shows, planned from the model by the chart rules (README, "Chart
//! rules"): like with like (a report's figures of one group; jornadas with jornadas; balances
//! with balances; counts with counts), per-day rates on a real time axis, one colour per
//! indicator, nothing more than 1000× apart in one chart. Drawing is `crate::charts`'s job.
//! Each chart is drawn twice (a wide and a phone layout) and gets downloads (SVG, CSV) and an
//! embed page at stable URLs under `graficas/`.

mod home;
mod indicator;
mod marks;
mod place;
mod report;
mod view;

use std::sync::Arc;

use crate::charts;
use crate::model::Site;

pub use indicator::metric_charts;
pub use marks::{conflict_note, MOST_RECENT};
pub use place::{own_reports, own_scope, place_charts};
pub use report::report_charts;
pub use view::{csv, About, ChartFiles, ChartView, MAX_RATIO};

/// Stage 4 as the site sees it: every chart the pages show, drawn once (in parallel), before
/// any page is rendered. Pages and the home page look their charts up here.
pub struct SiteCharts {
    /// By bulletin, then report.
    pub reports: Vec<Vec<Vec<ChartView>>>,
    pub metrics: Vec<Vec<ChartView>>,
    pub places: Vec<Vec<ChartView>>,
    /// The home page's comparisons, in page order (the surgeries one is its indicator's).
    pub home: Vec<ChartView>,
}

impl SiteCharts {
    /// With a `memo` (in `serve`) or a build `cache`, a chart whose content did not change is
    /// not redrawn.
    pub fn draw(
        site: &Site,
        memo: Option<&crate::memo::Memo>,
        cache: Option<&crate::cache::Cache>,
    ) -> SiteCharts {
        Self::make(site, memo, cache, true)
    }

    /// Every chart with its caption, table and files, but no drawing: for `check`, as drawing
    /// cannot fail (it is the same for every chart, and writes to a string) and pages render
    /// the same way with an empty SVG.
    pub fn plan(site: &Site) -> SiteCharts {
        Self::make(site, None, None, false)
    }

    fn make(
        site: &Site,
        memo: Option<&crate::memo::Memo>,
        cache: Option<&crate::cache::Cache>,
        svgs: bool,
    ) -> SiteCharts {
        use rayon::prelude::*;
        let reports: Vec<Vec<Vec<ChartView>>> = (0..site.bulletins.len())
            .into_par_iter()
            .map(|bi| {
                (0..site.bulletins[bi].reports.len())
                    .map(|ri| report_charts(site, bi, ri))
                    .collect()
            })
            .collect();
        let metrics: Vec<Vec<ChartView>> = (0..site.metrics.len())
            .into_par_iter()
            .map(|m| metric_charts(site, m))
            .collect();
        let places = (0..site.places.len())
            .into_par_iter()
            .map(|p| place_charts(site, p, &own_reports(site, p)))
            .collect();
        let mut home = Vec::new();
        home.extend(home::consultations_by_jornada(site));
        let mut all = SiteCharts {
            reports,
            metrics,
            places,
            home,
        };
        if svgs {
            let views: Vec<&mut ChartView> = all
                .reports
                .iter_mut()
                .flatten()
                .flatten()
                .chain(all.metrics.iter_mut().flatten())
                .chain(all.places.iter_mut().flatten())
                .chain(all.home.iter_mut())
                .collect();
            views.into_par_iter().for_each(|v| {
                let draw = || {
                    (
                        Arc::from(charts::svg(&v.spec, false)),
                        Arc::from(charts::svg(&v.spec, true)),
                    )
                };
                (v.svg, v.svg_narrow) = match (memo, cache) {
                    (Some(m), _) => m.svgs(v.fingerprint, draw),
                    (None, Some(c)) => cached_svgs(c, v.fingerprint, draw),
                    (None, None) => draw(),
                };
                v.embed_height = embed_height(&v.svg, &v.svg_narrow);
            });
        }
        // The surgeries chart on the home page is its indicator's, drawn once.
        let surgeries = site.metric_index("surgeries").and_then(|m| {
            all.metrics[m]
                .iter()
                .find(|c| c.id.ends_with("-jornadas"))
                .cloned()
        });
        if let Some(c) = surgeries {
            all.home.insert(0, c);
        }
        all
    }
}

/// A chart's two drawings from the build cache, or drawn and kept there.
fn cached_svgs(
    cache: &crate::cache::Cache,
    key: u64,
    draw: impl FnOnce() -> (Arc<str>, Arc<str>),
) -> (Arc<str>, Arc<str>) {
    use crate::cache::{pack, unpack, Kind};
    let from_cache = cache
        .get(Kind::Svg, key)
        .and_then(|bytes| match unpack(&bytes)?.as_slice() {
            [wide, narrow] => Some((
                Arc::from(std::str::from_utf8(wide).ok()?),
                Arc::from(std::str::from_utf8(narrow).ok()?),
            )),
            _ => None,
        });
    from_cache.unwrap_or_else(|| {
        let (wide, narrow) = draw();
        cache.put(Kind::Svg, key, &pack([wide.as_bytes(), narrow.as_bytes()]));
        (wide, narrow)
    })
}

/// A frame's height for the embed snippet without script: the taller layout (the phone one is
/// shown below 560 px) plus the page around the chart (its summary lines and links).
fn embed_height(wide: &str, narrow: &str) -> i32 {
    let height = |svg: &str| {
        svg.split_once("viewBox=\"0 0 ")
            .and_then(|(_, rest)| rest.split_once('"'))
            .and_then(|(vb, _)| vb.split_once(' '))
            .and_then(|(w, h)| Some(h.parse::<f64>().ok()? * 340.0 / w.parse::<f64>().ok()?))
            .unwrap_or(400.0)
    };
    let wide_at_680 = height(wide) * 680.0 / 340.0;
    (wide_at_680.max(height(narrow) * 360.0 / 340.0) + 190.0).round() as i32
}
