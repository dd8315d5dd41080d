//! Reads the numbers a Spanish bulletin states, in the forms IMSS writes them:
//! `6 millones 552 mil 794`, `mil 283`, `dos mil 537`, `un millón 930 mil 913`, `1,800`,
//! `6.5 millones`, `71.2`, `siete`. Used to check that every figure in the data is stated in
//! the bulletin's text.

/// A number found in the text, with the byte range it spans.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub value: f64,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    /// A value, and whether it was written as a word ("siete") rather than digits.
    Num(f64, bool),
    Thousand,
    Million,
    And,
    Other,
}

fn word_value(w: &str) -> Option<f64> {
    const WORDS: &[(&str, u32)] = &[
        ("un", 1),
        ("uno", 1),
        ("una", 1),
        ("dos", 2),
        ("tres", 3),
        ("cuatro", 4),
        ("cinco", 5),
        ("seis", 6),
        ("siete", 7),
        ("ocho", 8),
        ("nueve", 9),
        ("diez", 10),
        ("once", 11),
        ("doce", 12),
        ("trece", 13),
        ("catorce", 14),
        ("quince", 15),
        ("dieciséis", 16),
        ("diecisiete", 17),
        ("dieciocho", 18),
        ("diecinueve", 19),
        ("veinte", 20),
        ("veintiuno", 21),
        ("veintiuna", 21),
        ("veintiún", 21),
        ("veintidós", 22),
        ("veintitrés", 23),
        ("veinticuatro", 24),
        ("veinticinco", 25),
        ("veintiséis", 26),
        ("veintisiete", 27),
        ("veintiocho", 28),
        ("veintinueve", 29),
        ("treinta", 30),
        ("cuarenta", 40),
        ("cincuenta", 50),
        ("sesenta", 60),
        ("setenta", 70),
        ("ochenta", 80),
        ("noventa", 90),
        ("cien", 100),
        ("ciento", 100),
        ("doscientos", 200),
        ("trescientos", 300),
        ("cuatrocientos", 400),
        ("quinientos", 500),
        ("seiscientos", 600),
        ("setecientos", 700),
        ("ochocientos", 800),
        ("novecientos", 900),
        // Hundreds agree in gender with what they count: "dos mil quinientas treinta y siete
        // cirugías", "doscientas consultas".
        ("doscientas", 200),
        ("trescientas", 300),
        ("cuatrocientas", 400),
        ("quinientas", 500),
        ("seiscientas", 600),
        ("setecientas", 700),
        ("ochocientas", 800),
        ("novecientas", 900),
    ];
    WORDS
        .iter()
        .find(|(k, _)| *k == w)
        .map(|(_, v)| f64::from(*v))
}

/// Digits as written: `475`, `1,800` (comma thousands), `71.2` / `6.5` (decimal point).
fn digits_value(w: &str) -> Option<f64> {
    if w.is_empty()
        || !w
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b',' || b == b'.')
    {
        return None;
    }
    if !w.as_bytes()[0].is_ascii_digit() || !w.as_bytes()[w.len() - 1].is_ascii_digit() {
        return None;
    }
    let (int, frac) = match w.split_once('.') {
        Some((i, f)) if !f.contains('.') && !f.contains(',') => (i, Some(f)),
        Some(_) => return None,
        None => (w, None),
    };
    let int_plain: String = if int.contains(',') {
        let groups: Vec<&str> = int.split(',').collect();
        let ok = (1..=3).contains(&groups[0].len()) && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return None;
        }
        groups.concat()
    } else {
        int.to_string()
    };
    let text = match frac {
        Some(f) => format!("{int_plain}.{f}"),
        None => int_plain,
    };
    text.parse().ok()
}

fn classify(word: &str) -> Tok {
    // Most words are already lower case: no copy for them (this runs on every word of every
    // bulletin).
    let lower = match word.chars().any(char::is_uppercase) {
        true => std::borrow::Cow::Owned(word.to_lowercase()),
        false => std::borrow::Cow::Borrowed(word),
    };
    match lower.as_ref() {
        "mil" => Tok::Thousand,
        "millón" | "millon" | "millones" => Tok::Million,
        "y" => Tok::And,
        _ => match digits_value(word) {
            Some(n) => Tok::Num(n, false),
            None => word_value(&lower).map_or(Tok::Other, |n| Tok::Num(n, true)),
        },
    }
}

/// Split into words, keeping `1,800` and `71.2` whole but dropping sentence punctuation.
fn words(text: &str) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let part_of_word = c.is_alphanumeric() || c == ',' || c == '.';
        match (part_of_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push_word(text, s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push_word(text, s, text.len(), &mut out);
    }
    out
}

fn push_word<'a>(text: &'a str, s: usize, e: usize, out: &mut Vec<(usize, usize, &'a str)>) {
    let w = text[s..e].trim_end_matches([',', '.']);
    let lead = w.len() - w.trim_start_matches([',', '.']).len();
    let w = &w[lead..];
    if !w.is_empty() {
        out.push((s + lead, s + lead + w.len(), w));
    }
}

/// Every number stated in `text`, in order.
pub fn find_numbers(text: &str) -> Vec<Found> {
    let words = words(text);
    let toks: Vec<(usize, usize, Tok)> = words
        .iter()
        .enumerate()
        .map(|(k, &(s, e, w))| {
            // "por ciento" is "percent", not a hundred
            let percent = k > 0
                && w.eq_ignore_ascii_case("ciento")
                && words[k - 1].2.eq_ignore_ascii_case("por");
            (s, e, if percent { Tok::Other } else { classify(w) })
        })
        .collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        // A number starts at a digit or number word, or at a bare "mil" ("mil 283").
        if !matches!(toks[i].2, Tok::Num(..) | Tok::Thousand) {
            i += 1;
            continue;
        }
        let start = toks[i].0;
        let mut end = toks[i].1;
        let (mut total, mut current) = (0.0_f64, 0.0_f64);
        // What the previous token was, to tell "552 mil 794" (one number) from "442, 353" (two).
        let mut prev: Option<Tok> = None;
        while i < toks.len() {
            let tok = toks[i].2;
            match tok {
                Tok::Num(n, is_word) => {
                    let joins = match prev {
                        None | Some(Tok::Thousand) | Some(Tok::Million) | Some(Tok::And) => true,
                        // "ciento veinte": a smaller number word after a larger one
                        Some(Tok::Num(p, true)) => is_word && p >= 100.0 && n < 100.0,
                        _ => false,
                    };
                    if !joins {
                        break;
                    }
                    current += n;
                }
                Tok::Thousand => {
                    if matches!(prev, Some(Tok::Thousand)) {
                        break;
                    }
                    current = if current == 0.0 { 1.0 } else { current } * 1e3;
                    total += current;
                    current = 0.0;
                }
                Tok::Million => {
                    if prev.is_none() {
                        break;
                    }
                    total = (total + if current == 0.0 { 1.0 } else { current }) * 1e6;
                    current = 0.0;
                }
                Tok::And => {
                    // "y" joins "treinta y cinco" only; otherwise it ends the number
                    let next_is_unit =
                        matches!(toks.get(i + 1).map(|t| t.2), Some(Tok::Num(n, true)) if n < 10.0);
                    let prev_is_tens = matches!(prev, Some(Tok::Num(p, true)) if p >= 20.0);
                    if !(prev_is_tens && next_is_unit) {
                        break;
                    }
                }
                Tok::Other => break,
            }
            if tok != Tok::And {
                end = toks[i].1;
            }
            prev = Some(tok);
            i += 1;
        }
        found.push(Found {
            value: total + current,
            start,
            end,
        });
    }
    found
}

/// Whether `text` states `value` anywhere.
pub fn states(found: &[Found], value: f64) -> bool {
    found
        .iter()
        .any(|f| (f.value - value).abs() <= 1e-9 * value.abs().max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<f64> {
        find_numbers(text).into_iter().map(|f| f.value).collect()
    }

    #[test]
    fn reads_the_bulletins_forms() {
        assert_eq!(values("6 millones 552 mil 794 consultas"), [6_552_794.0]);
        assert_eq!(
            values("35 millones 919 mil 359 de medicina"),
            [35_919_359.0]
        );
        assert_eq!(values("se realizaron mil 283 de Especialidad"), [1283.0]);
        assert_eq!(values("dos mil 537 cirugías"), [2537.0]);
        assert_eq!(
            values("dos millones 615 mil 789 detecciones"),
            [2_615_789.0]
        );
        assert_eq!(values("un millón 930 mil 913 detecciones"), [1_930_913.0]);
        assert_eq!(values("475 mil 725 cirugías"), [475_725.0]);
        assert_eq!(values("se tienen 1,800 camas"), [1800.0]);
        assert_eq!(values("más de 6.5 millones de consultas"), [6_500_000.0]);
        assert_eq!(values("represente un 71.2 por ciento"), [1.0, 71.2]);
        assert_eq!(values("más de 177 mil derechohabientes"), [177_000.0]);
        assert_eq!(values("se han realizado siete Jornadas"), [7.0]);
        assert_eq!(values("treinta y cinco oficinas"), [35.0]);
    }

    #[test]
    fn reads_feminine_hundreds_and_veintiuna() {
        assert_eq!(
            values("dos mil quinientas treinta y siete cirugías"),
            [2537.0]
        );
        assert_eq!(values("doscientas consultas"), [200.0]);
        assert_eq!(values("novecientas noventa y nueve camas"), [999.0]);
        assert_eq!(values("veintiuna jornadas"), [21.0]);
        assert_eq!(values("veintiuna mil detecciones"), [21_000.0]);
    }

    #[test]
    fn numbers_split_across_a_line_break_read_whole() {
        // PDF extraction and hard-wrapped text break lines inside a number.
        assert_eq!(values("6 millones 552\nmil 794 consultas"), [6_552_794.0]);
        assert_eq!(values("955 mil\n952 de cáncer"), [955_952.0]);
    }

    #[test]
    fn keeps_separate_numbers_apart() {
        assert_eq!(
            values("442 fueron de riñón, 353 de córnea, 120 de médula ósea, 31 hepáticos y 10 de corazón."),
            [442.0, 353.0, 120.0, 31.0, 10.0]
        );
        assert_eq!(
            values("teléfono 800 2222 668, opción 2"),
            [800.0, 2222.0, 668.0, 2.0]
        );
        assert_eq!(values("del 10 al 12 de septiembre"), [10.0, 12.0]);
        assert_eq!(
            values("mil 576 Mastografías, 66 Exploraciones"),
            [1576.0, 66.0]
        );
    }

    #[test]
    fn ranges_cover_the_words() {
        let text = "fueron 475 mil 725 cirugías";
        let f = &find_numbers(text)[0];
        assert_eq!(&text[f.start..f.end], "475 mil 725");
    }

    #[test]
    fn round_trips_numbers_written_the_bulletin_way() {
        // Property: for many values, the bulletin's style ("N millones M mil K") reads back.
        let mut x: u64 = 12345;
        for _ in 0..2000 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let n = (x >> 33) % 100_000_000;
            let text = format!("se otorgaron {} consultas", bulletin_style(n));
            assert_eq!(values(&text), [n as f64], "{text}");
        }
    }

    fn bulletin_style(n: u64) -> String {
        let (m, rest) = (n / 1_000_000, n % 1_000_000);
        let (k, u) = (rest / 1000, rest % 1000);
        let mut parts = Vec::new();
        if m > 0 {
            parts.push(format!(
                "{m} {}",
                if m == 1 { "millón" } else { "millones" }
            ));
        }
        if k > 0 {
            parts.push(if k == 1 {
                "mil".to_string()
            } else {
                format!("{k} mil")
            });
        }
        if u > 0 || parts.is_empty() {
            parts.push(u.to_string());
        }
        parts.join(" ")
    }
}
