//! es-MX number formatting: `6,552,794`, `71.2`, and abbreviated axis values (`6.5 M`).

use crate::load::schema::Number;

/// "6552794" -> "6,552,794"; decimals keep their exact digits: 712/10 -> "71.2".
pub fn number(n: Number) -> String {
    let digits = n.digits.to_string();
    let scale = n.scale as usize;
    let (int, frac) = if scale == 0 {
        (digits.as_str(), "")
    } else if digits.len() > scale {
        digits.split_at(digits.len() - scale)
    } else {
        // 0.05 is stored as 5 with scale 2
        return format!("0.{:0>width$}", digits, width = scale);
    };
    let grouped = group_thousands(int);
    if frac.is_empty() {
        grouped
    } else {
        format!("{grouped}.{frac}")
    }
}

pub fn int(n: u64) -> String {
    group_thousands(&n.to_string())
}

fn group_thousands(int: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A rate such as 706.3 per day: one decimal below 100, whole numbers above.
pub fn rate(x: f64) -> String {
    if x >= 100.0 {
        int(x.round() as u64)
    } else {
        format!("{x:.1}")
    }
}

/// Short form for chart axes and tight labels: 6,552,794 -> "6.6 M", 17,779 -> "17.8 mil".
pub fn abbreviated(x: f64) -> String {
    let (v, suffix) = if x >= 1e6 {
        (x / 1e6, " M")
    } else if x >= 1e4 {
        (x / 1e3, " mil")
    } else {
        return int(x.round() as u64);
    };
    let s = format!("{v:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s);
    format!("{s}{suffix}")
}

/// A unit for a count of one: "unidades" -> "unidad", "detecciones" -> "detección",
/// "cirugías" -> "cirugía". The catalogue writes units in the plural; Spanish plurals are
/// regular enough to undo (tested on every unit of the bundled catalogue).
pub fn singular(unit: &str) -> String {
    if let Some(stem) = unit.strip_suffix("iones") {
        return format!("{stem}ión");
    }
    if let Some(stem) = unit.strip_suffix("ces") {
        return format!("{stem}z");
    }
    if let Some(stem) = unit.strip_suffix("es") {
        if stem.ends_with(['d', 'l', 'r', 'n', 'j', 'y']) {
            return stem.to_string();
        }
    }
    unit.strip_suffix('s').unwrap_or(unit).to_string()
}

/// "1 unidad", "4 unidades", "71.2 %": a value's unit as its number needs it.
pub fn unit_for(value: Number, unit: &str) -> String {
    if value == Number::int(1) {
        singular(unit)
    } else {
        unit.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_in_the_singular() {
        for (many, one) in [
            ("consultas", "consulta"),
            ("cirugías", "cirugía"),
            ("trasplantes", "trasplante"),
            ("detecciones", "detección"),
            ("mastografías", "mastografía"),
            ("acciones", "acción"),
            ("jornadas", "jornada"),
            ("oficinas", "oficina"),
            ("unidades", "unidad"),
            ("personas", "persona"),
            ("servicios", "servicio"),
            ("camas", "cama"),
            ("derechohabientes", "derechohabiente"),
            ("hospitales", "hospital"),
            ("%", "%"),
        ] {
            assert_eq!(singular(many), one);
        }
        assert_eq!(unit_for(Number::int(1), "unidades"), "unidad");
        assert_eq!(unit_for(Number::int(4), "unidades"), "unidades");
    }

    #[test]
    fn groups_thousands_like_es_mx() {
        assert_eq!(number(Number::int(6_552_794)), "6,552,794");
        assert_eq!(number(Number::int(35_919_359)), "35,919,359");
        assert_eq!(number(Number::int(956)), "956");
        assert_eq!(number(Number::int(1000)), "1,000");
        assert_eq!(
            number(Number {
                digits: 712,
                scale: 1
            }),
            "71.2"
        );
        assert_eq!(
            number(Number {
                digits: 5,
                scale: 2
            }),
            "0.05"
        );
        assert_eq!(
            number(Number {
                digits: 12_345_675,
                scale: 1
            }),
            "1,234,567.5"
        );
    }

    #[test]
    fn abbreviates_for_axes() {
        assert_eq!(abbreviated(6_552_794.0), "6.6 M");
        assert_eq!(abbreviated(36_000_000.0), "36 M");
        assert_eq!(abbreviated(17_779.0), "17.8 mil");
        assert_eq!(abbreviated(956.0), "956");
        assert_eq!(rate(706.33), "706");
        assert_eq!(rate(51.0), "51.0");
    }
}
