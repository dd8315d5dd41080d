//! Totals and their parts: a total must agree with the parts its report gives (same period
//! and scope), and a total marked `derived` must be exactly their sum.

use std::collections::HashMap;

use super::pos;
use crate::diagnostics::{Diagnostics, Pos, SourceFile};
use crate::load::schema::FigureSpec;
use crate::model::{format, Figure, Metric};

/// The figures of `total`'s sub-indicators over the same period and scope, in catalogue order.
fn parts_of<'a>(total: &Figure, figures: &'a [Figure], metrics: &[Metric]) -> Vec<&'a Figure> {
    let by_metric: HashMap<usize, &Figure> = figures
        .iter()
        .filter(|g| g.period == total.period && g.scope == total.scope)
        .map(|g| (g.metric, g))
        .collect();
    metrics[total.metric]
        .children
        .iter()
        .filter_map(|c| by_metric.get(c).copied())
        .collect()
}

/// A total and its parts must agree: equal when every part is given, never less than the
/// parts that are given. A declared source conflict turns the error into a warning.
pub(super) fn check(
    f: &SourceFile,
    figures: &[Figure],
    spans: &[Pos],
    metrics: &[Metric],
    diags: &mut Diagnostics,
) {
    for (i, total) in figures.iter().enumerate() {
        if total.derived {
            continue; // `check_derived` holds it to the exact sum
        }
        let m = &metrics[total.metric];
        let parts = parts_of(total, figures, metrics);
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

/// A `derived: true` total is the exact sum of the parts stated beside it, none of them
/// rounded: otherwise it would look like a stated figure or hide a rounding.
pub(super) fn check_derived(
    f: &SourceFile,
    specs: &[FigureSpec],
    figures: &[Figure],
    metrics: &[Metric],
    diags: &mut Diagnostics,
) {
    // `figures` skips specs with unknown metrics; match them by the value's position.
    for total in figures.iter().filter(|g| g.derived) {
        let Some(spec) = specs.iter().find(|s| pos(&s.value) == total.at) else {
            continue;
        };
        let at = spec.derived.as_ref().map_or(total.at, pos);
        let m = &metrics[total.metric];
        let parts = parts_of(total, figures, metrics);
        if parts.is_empty() {
            let hint = if m.children.is_empty() {
                format!("`{}` has no sub-indicators in metrics.yaml; a total is derived from figures of its parts (metrics whose `parent` is `{}`)", m.id, m.id)
            } else {
                let names: Vec<&str> = m.children.iter().map(|&c| metrics[c].id.as_str()).collect();
                format!("add the parts the text states ({}) to this report, with the same period and scope", names.join(", "))
            };
            diags.push(
                f.error(
                    at,
                    format!(
                        "`{}` is marked `derived` but none of its parts is given beside it",
                        m.id
                    ),
                )
                .with_hint(hint),
            );
            continue;
        }
        if total.qualifier.is_some() || total.conflict.is_some() || total.value.scale > 0 {
            diags.push(
                f.error(
                    at,
                    "a derived total is an exact sum: it has no qualifier, conflict or decimals",
                )
                .with_hint("remove `derived`, or the qualifier/conflict"),
            );
            continue;
        }
        if let Some(p) = parts
            .iter()
            .find(|p| p.qualifier.is_some() || p.value.scale > 0)
        {
            diags.push(
                f.error(at, format!("`{}` is derived from `{}`, which the text rounds or gives with decimals", m.id, metrics[p.metric].id))
                    .with_hint("a sum of rounded parts is not an exact total: leave the total out, and say why in a note"),
            );
            continue;
        }
        let sum = parts
            .iter()
            .try_fold(0u64, |s, p| s.checked_add(p.value.digits));
        if sum != Some(total.value.digits) {
            let names: Vec<String> = parts
                .iter()
                .map(|p| format!("{} {}", metrics[p.metric].id, format::number(p.value)))
                .collect();
            diags.push(
                f.error(
                    pos(&spec.value),
                    format!(
                        "`{}` is marked `derived` as {} but its parts add up to {} ({})",
                        m.id,
                        format::number(total.value),
                        sum.map_or("more than cifras can hold".to_string(), format::int),
                        names.join(" + ")
                    ),
                )
                .with_hint("a derived total is the sum of the parts given: write that sum"),
            );
        }
    }
}
