//! The periods a sentence states: "del 14 al 16 de mayo", "del 1 de abril al 12 de
//! septiembre", "el 1 de abril … al 12 de septiembre", "del 27 al 29 de agosto del 2021",
//! "durante el 2021", "en lo que va del año", "actualmente". Days and months come from the
//! text; a year only when the text gives one (the caller decides what an unstated year means,
//! and never invents it).

use crate::model::date::MONTHS;
use crate::model::words::fold;

/// A day and month as written, with the year when the same phrase states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DayMonth {
    pub day: u8,
    pub month: u8,
    pub year: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stated {
    /// From one day to another.
    Range { start: DayMonth, end: DayMonth },
    /// A whole year: "durante el 2021".
    Year(i32),
    /// "En lo que va del año": from 1 January to the bulletin's date.
    SoFarThisYear,
    /// "Actualmente": at the bulletin's date.
    Now,
    /// "Desde el 11 de marzo", "que comenzaron el 11 de marzo": from a day to the bulletin's
    /// date.
    Since(DayMonth),
}

/// A folded month name ("septiembre", also "setiembre") as 1–12.
pub fn month(w: &str) -> Option<u8> {
    MONTHS
        .iter()
        .position(|m| *m == w || (w == "setiembre" && *m == "septiembre"))
        .map(|i| i as u8 + 1)
}

fn day(w: &str) -> Option<u8> {
    let w = w.trim_end_matches(['º', 'o']);
    let d: u8 = if w == "primero" { 1 } else { w.parse().ok()? };
    (1..=31).contains(&d).then_some(d)
}

pub fn year(w: &str) -> Option<i32> {
    if w.len() != 4 {
        return None;
    }
    let y: i32 = w.parse().ok()?;
    (1943..=2100).contains(&y).then_some(y)
}

/// "D de M [de|del YYYY]" starting at `i`: the date and the index after it.
pub fn date_at(w: &[&str], i: usize) -> Option<(DayMonth, usize)> {
    let d = day(w.get(i)?)?;
    if *w.get(i + 1)? != "de" {
        return None;
    }
    let m = month(w.get(i + 2)?)?;
    let mut next = i + 3;
    let mut y = None;
    if matches!(w.get(next), Some(&"de" | &"del")) {
        if let Some(found) = w.get(next + 1).and_then(|s| year(s)) {
            y = Some(found);
            next += 2;
        }
    }
    Some((
        DayMonth {
            day: d,
            month: m,
            year: y,
        },
        next,
    ))
}

/// The first period `sentence` states, if any.
pub fn find(sentence: &str) -> Option<Stated> {
    let folded = fold(sentence);
    let w: Vec<&str> = folded.split(' ').collect();
    for i in 0..w.len() {
        if !matches!(w[i], "del" | "desde" | "entre") {
            continue;
        }
        let from = i + 1 + usize::from(matches!(w.get(i + 1), Some(&"el")));
        // "del 10 al 12 de septiembre": the first day borrows the second's month
        if let (Some(d1), Some(&("al" | "y" | "hasta"))) =
            (w.get(from).and_then(|s| day(s)), w.get(from + 1))
        {
            let at = from + 2 + usize::from(matches!(w.get(from + 2), Some(&"el")));
            if let Some((end, _)) = date_at(&w, at) {
                let start = DayMonth { day: d1, ..end };
                return Some(Stated::Range { start, end });
            }
        }
        if let Some((start, next)) = date_at(&w, from) {
            if matches!(w.get(next), Some(&("al" | "y" | "hasta"))) {
                let at = next + 1 + usize::from(matches!(w.get(next + 1), Some(&"el")));
                if let Some((end, _)) = date_at(&w, at) {
                    return Some(Stated::Range { start, end });
                }
            }
        }
    }
    // "El 1 de abril … de esa fecha al 12 de septiembre": a date, then "al" another later on.
    let mut first: Option<DayMonth> = None;
    let mut i = 0;
    while i < w.len() {
        if let Some((dm, next)) = date_at(&w, i) {
            if let (Some(start), true) = (first, i > 0 && w[i - 1] == "al") {
                return Some(Stated::Range { start, end: dm });
            }
            first.get_or_insert(dm);
            i = next;
        } else {
            i += 1;
        }
    }
    if folded.contains("en lo que va del año") || folded.contains("en lo que va de este año") {
        return Some(Stated::SoFarThisYear);
    }
    for k in 1..w.len() {
        let prev = w[k - 1];
        if let Some(y) = year(w[k]) {
            let before = if prev == "el" && k >= 2 {
                w[k - 2]
            } else {
                prev
            };
            if matches!(before, "durante" | "en" | "para") {
                return Some(Stated::Year(y));
            }
        }
    }
    if w.contains(&"actualmente") {
        return Some(Stated::Now);
    }
    for (i, word) in w.iter().enumerate() {
        let starts = matches!(
            *word,
            "desde" | "partir" | "comenzaron" | "comenzo" | "iniciaron" | "inicio" | "arrancaron"
        );
        if starts {
            let at = i + 1 + usize::from(matches!(w.get(i + 1), Some(&("el" | "del"))));
            if let Some((dm, _)) = date_at(&w, at) {
                return Some(Stated::Since(dm));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dm(day: u8, month: u8, year: Option<i32>) -> DayMonth {
        DayMonth { day, month, year }
    }

    #[test]
    fn reads_the_bulletins_ranges() {
        assert_eq!(
            find("Del 14 al 16 de mayo se realizaron"),
            Some(Stated::Range {
                start: dm(14, 5, None),
                end: dm(16, 5, None)
            })
        );
        assert_eq!(
            find("Del 1 de abril al 12 de septiembre se han otorgado"),
            Some(Stated::Range {
                start: dm(1, 4, None),
                end: dm(12, 9, None)
            })
        );
        assert_eq!(
            find("Del 27 al 29 de agosto del 2021, se lograron"),
            Some(Stated::Range {
                start: dm(27, 8, Some(2021)),
                end: dm(29, 8, Some(2021))
            })
        );
        assert_eq!(
            find(
                "El 1 de abril el IMSS comenzó; de esa fecha al 12 de septiembre se han realizado"
            ),
            Some(Stated::Range {
                start: dm(1, 4, None),
                end: dm(12, 9, None)
            })
        );
    }

    #[test]
    fn years_so_far_and_now() {
        assert_eq!(
            find("se estima crecer a 106 durante el 2021"),
            Some(Stated::Year(2021))
        );
        assert_eq!(
            find("de las cuales se han realizado dos en lo que va del año"),
            Some(Stated::SoFarThisYear)
        );
        assert_eq!(find("actualmente se tienen 1,800 camas"), Some(Stated::Now));
        assert_eq!(find("Se otorgaron 153 cirugías."), None);
        assert_eq!(
            find("el 1 de septiembre se inauguró"),
            None,
            "a single date is not a period"
        );
        assert_eq!(
            find("a partir del 1 de septiembre"),
            Some(Stated::Since(dm(1, 9, None))),
            "a start without an end: until the bulletin's date"
        );
    }
}
