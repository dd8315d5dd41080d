//! A synthetic corpus for benchmarks: `N` bulletins shaped like the real ones (1–3 reports,
//! 10–20 figures from the real indicator catalogue, 10–30 places, periods spread over years)
//! with a ~600-word Spanish text that states every figure in IMSS's own number styles
//! ("dos mil 106", "6 millones 552 mil 794", "1,800"), so provenance is exercised at scale.
//!
//! Deterministic: the same `n` and `seed` give the same files. Optionally writes the same
//! texts as a plain Hugo site, for the side-by-side benchmark in `BENCHMARKS.md`.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

use crate::load::parse_str;
use crate::load::schema::{MetricsFile, PlacesFile};
use crate::model::Date;

const METRICS_YAML: &str = include_str!("../content/metrics.yaml");
const PLACES_YAML: &str = include_str!("../content/places.yaml");

/// States the bundled catalogue does not list yet; a synthetic site spans the whole country.
const MORE_STATES: &[(&str, &str)] = &[
    ("aguascalientes", "Aguascalientes"),
    ("campeche", "Campeche"),
    ("chiapas", "Chiapas"),
    ("chihuahua", "Chihuahua"),
    ("estado-de-mexico", "Estado de México"),
    ("guanajuato", "Guanajuato"),
    ("hidalgo", "Hidalgo"),
    ("morelos", "Morelos"),
    ("queretaro", "Querétaro"),
    ("quintana-roo", "Quintana Roo"),
    ("sinaloa", "Sinaloa"),
    ("tabasco", "Tabasco"),
    ("tlaxcala", "Tlaxcala"),
    ("zacatecas", "Zacatecas"),
];

/// A small, fast, seedable generator (SplitMix64): no dependency for a benchmark fixture.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64 - 1) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.range(1, 100) <= percent
    }
    /// `k` distinct items of `items`, in their original order.
    fn sample<T: Clone>(&mut self, items: &[T], k: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        for i in 0..k.min(idx.len()) {
            let j = self.range(i as u64, idx.len() as u64 - 1) as usize;
            idx.swap(i, j);
        }
        let mut chosen = idx[..k.min(items.len())].to_vec();
        chosen.sort_unstable();
        chosen.into_iter().map(|i| items[i].clone()).collect()
    }
}

/// One indicator of the real catalogue, as far as the generator needs it.
#[derive(Clone)]
struct Metric {
    id: String,
    label: String,
    parent: Option<String>,
    decimals: bool,
}

/// The real catalogue, read with the same loader as the site's own content.
fn catalogue() -> Vec<Metric> {
    let file: MetricsFile = parse_str(METRICS_YAML).expect("the bundled metrics.yaml parses");
    file.metrics
        .into_iter()
        .map(|m| Metric {
            id: m.id.value,
            label: m.label.value,
            parent: m.parent.map(|p| p.value),
            decimals: m.decimals.is_some_and(|d| d.value > 0),
        })
        .collect()
}

/// The real places (ids and names), then the states the bundled catalogue lacks.
fn place_ids() -> Vec<(String, String)> {
    let file: PlacesFile = parse_str(PLACES_YAML).expect("the bundled places.yaml parses");
    file.places
        .into_iter()
        .map(|p| (p.id.value, p.name.value))
        .chain(
            MORE_STATES
                .iter()
                .map(|(i, n)| (i.to_string(), n.to_string())),
        )
        .collect()
}

/// Write a synthetic project (`content/` under `dir`) of `n` bulletins; with `hugo`, also the
/// same bulletin texts as a minimal Hugo site there.
pub fn write(dir: &Path, n: usize, seed: u64, hugo: Option<&Path>) -> io::Result<()> {
    let content = dir.join("content");
    let bulletins_dir = content.join("bulletins");
    std::fs::create_dir_all(&bulletins_dir)?;
    std::fs::write(content.join("site.yaml"), SITE_YAML)?;
    std::fs::write(content.join("metrics.yaml"), METRICS_YAML)?;
    let mut places = PLACES_YAML.to_string();
    for (id, name) in MORE_STATES {
        writeln!(
            places,
            "  - id: {id}\n    name: \"{name}\"\n    kind: state"
        )
        .unwrap();
    }
    std::fs::write(content.join("places.yaml"), places)?;

    let hugo_pages = match hugo {
        Some(h) => Some(write_hugo_skeleton(h)?),
        None => None,
    };
    let metrics = catalogue();
    let all_places = place_ids();
    let mut rng = Rng(seed);
    for i in 0..n {
        let b = bulletin(&mut rng, i, n, &metrics, &all_places);
        std::fs::write(bulletins_dir.join(format!("{}.yaml", b.slug)), &b.yaml)?;
        std::fs::write(bulletins_dir.join(format!("{}.md", b.slug)), &b.markdown)?;
        if let Some(pages) = &hugo_pages {
            let front = format!(
                "---\ntitle: \"{}\"\n{}---\n\n",
                b.title,
                b.date.map(|d| format!("date: {d}\n")).unwrap_or_default()
            );
            std::fs::write(pages.join(format!("{}.md", b.slug)), front + &b.markdown)?;
        }
    }
    Ok(())
}

const SITE_YAML: &str = r#"title: "Cifras sintéticas"
description: "Corpus sintético para medir el rendimiento de cifras; no son datos reales."
base_url: "https://example.github.io/cifras/"
language: es-MX
author: "Equipo de Cifras"
license: "Datos sintéticos, generados para pruebas de rendimiento."
"#;

/// A minimal Hugo site: one plain page per bulletin and a home page listing them, nothing
/// else (no taxonomies, feeds or sitemap), so Hugo does the least work for the same pages.
fn write_hugo_skeleton(h: &Path) -> io::Result<std::path::PathBuf> {
    let pages = h.join("content").join("boletines");
    std::fs::create_dir_all(&pages)?;
    let layouts = h.join("layouts").join("_default");
    std::fs::create_dir_all(&layouts)?;
    std::fs::write(
        h.join("hugo.toml"),
        "baseURL = 'https://example.github.io/cifras/'\nlanguageCode = 'es-MX'\ntitle = 'Cifras sintéticas'\ndisableKinds = ['taxonomy', 'term', 'RSS', 'sitemap', 'robotsTXT', '404']\n",
    )?;
    let page = |body: &str| {
        format!(
            "<!DOCTYPE html>\n<html lang=\"es-MX\"><head><meta charset=\"utf-8\"><title>{{{{ .Title }}}}</title></head>\n<body><main>{body}</main></body></html>\n"
        )
    };
    std::fs::write(
        layouts.join("single.html"),
        page("<h1>{{ .Title }}</h1>{{ .Content }}"),
    )?;
    std::fs::write(
        layouts.join("list.html"),
        page("<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>"),
    )?;
    std::fs::write(
        h.join("layouts").join("index.html"),
        page("<h1>{{ .Site.Title }}</h1><ul>{{ range .Site.RegularPages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>"),
    )?;
    Ok(pages)
}

struct Generated {
    slug: String,
    title: String,
    date: Option<Date>,
    yaml: String,
    markdown: String,
}

struct Fig {
    metric: usize,
    value: u64,
    /// Tenths, for an indicator with one decimal.
    tenths: bool,
}

struct Rep {
    id: String,
    title: String,
    start: Date,
    end: Date,
    scope: Vec<(String, String)>,
    figures: Vec<Fig>,
}

/// The first day synthetic bulletins cover, and how many years they span.
const FIRST_DAY: &str = "2012-01-01";
const YEARS: i64 = 14;

fn bulletin(
    rng: &mut Rng,
    i: usize,
    n: usize,
    metrics: &[Metric],
    all_places: &[(String, String)],
) -> Generated {
    let first = Date::parse(FIRST_DAY).expect("constant date").ordinal();
    // Spread over the years in order, as a press office publishes them.
    let day = first + 60 + (i as i64 * (YEARS * 365 - 60)) / n.max(1) as i64;
    let date = Date::from_ordinal(day);
    let dated = !rng.chance(5);
    let slug = format!("sintetico-{:05}", i + 1);
    let theme = *rng.pick(THEMES);
    let title = format!("IMSS informa avances en {theme} ({})", i + 1);

    let national = all_places[0].clone();
    let k = rng.range(10, 30) as usize;
    let mut places = vec![national.clone()];
    places.extend(rng.sample(&all_places[1..], k - 1));

    let n_reports = rng.range(1, 3) as usize;
    let n_figures = rng.range(10, 20) as usize;
    let mut reports = Vec::new();
    let mut left = n_figures;
    for r in 0..n_reports {
        let here = if r + 1 == n_reports {
            left
        } else {
            (left / (n_reports - r)).max(1)
        };
        left -= here;
        // A period ending on or before the bulletin's date: a week of jornadas or months.
        let end = day - rng.range(0, 20) as i64;
        let len = if rng.chance(50) {
            rng.range(1, 7)
        } else {
            rng.range(30, 300)
        } as i64;
        let scope = if r == 0 {
            vec![national.clone()]
        } else {
            let k = rng.range(1, 5) as usize;
            rng.sample(&places[1..], k)
        };
        let figures = figures(rng, metrics, here);
        reports.push(Rep {
            id: format!("reporte-{}", r + 1),
            title: if r == 0 {
                format!("Servicios otorgados en todo el país ({theme})")
            } else {
                format!("Jornadas en {}", names(&scope))
            },
            start: Date::from_ordinal(end - len + 1),
            end: Date::from_ordinal(end),
            scope,
            figures,
        });
    }

    let yaml = bulletin_yaml(&title, i, date, dated, &places, &reports, metrics);
    let markdown = bulletin_text(rng, &title, i, date, dated, &reports, metrics);
    Generated {
        slug,
        title,
        date: dated.then_some(date),
        yaml,
        markdown,
    }
}

/// `count` figures of distinct indicators; a total given with every part equals their sum.
fn figures(rng: &mut Rng, metrics: &[Metric], count: usize) -> Vec<Fig> {
    let chosen: Vec<usize> = rng.sample(&(0..metrics.len()).collect::<Vec<_>>(), count);
    let mut figs: Vec<Fig> = chosen
        .iter()
        .map(|&m| Fig {
            metric: m,
            value: if metrics[m].decimals {
                rng.range(300, 999)
            } else {
                magnitude(rng, &metrics[m].id)
            },
            tenths: metrics[m].decimals,
        })
        .collect();
    for t in 0..figs.len() {
        let total_id = &metrics[figs[t].metric].id;
        let parts: Vec<usize> = (0..metrics.len())
            .filter(|&m| metrics[m].parent.as_deref() == Some(total_id))
            .collect();
        if parts.is_empty() {
            continue;
        }
        let given: u64 = figs
            .iter()
            .filter(|f| parts.contains(&f.metric))
            .map(|f| f.value)
            .sum();
        if parts.iter().all(|p| chosen.contains(p)) {
            figs[t].value = given;
        } else {
            // Some parts are not reported: the total is at least what the others add up to.
            figs[t].value = figs[t].value.max(given + 1);
        }
    }
    figs
}

/// Plausible sizes per indicator family, from a handful to millions.
fn magnitude(rng: &mut Rng, id: &str) -> u64 {
    let (lo, hi) = match id.split('.').next().unwrap_or(id) {
        "consultations" | "beneficiaries" => (1_000, 7_000_000),
        "screenings" | "actions" => (500, 2_000_000),
        "surgeries" => (100, 400_000),
        "transplants" => (5, 3_000),
        "rehabilitation" => (10, 60_000),
        "jornadas" => (1, 12),
        "offices" => (1, 35),
        "umae" => (1, 25),
        _ => (1, 5_000),
    };
    // Log-uniform: small and large counts are equally likely to be reported.
    let (l, h) = ((lo as f64).ln(), (hi as f64).ln());
    let x = l + (h - l) * (rng.next() % 1_000_000) as f64 / 1_000_000.0;
    (x.exp() as u64).clamp(lo, hi)
}

fn names(scope: &[(String, String)]) -> String {
    let names: Vec<&str> = scope.iter().map(|(_, n)| n.as_str()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} y {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

#[allow(clippy::too_many_arguments)]
fn bulletin_yaml(
    title: &str,
    i: usize,
    date: Date,
    dated: bool,
    places: &[(String, String)],
    reports: &[Rep],
    metrics: &[Metric],
) -> String {
    let mut y = String::new();
    writeln!(y, "title: \"{title}\"").unwrap();
    if dated {
        writeln!(y, "number: \"{}/{}\"\ndate: {date}", i + 1, date.year).unwrap();
    } else {
        y.push_str(
            "number: null\ndate: null\ndate_note: \"El boletín sintético no indica fecha.\"\n",
        );
    }
    y.push_str("source:\n  seed: null\n  publisher: \"Corpus sintético\"\n  url: null\nplaces:\n");
    for (id, _) in places {
        writeln!(y, "  - {id}").unwrap();
    }
    y.push_str("tags: [sintetico]\nreports:\n");
    for r in reports {
        writeln!(
            y,
            "  - id: {}\n    title: \"{}\"\n    kind: {}\n    period: {{ start: {}, end: {} }}\n    scope: [{}]\n    figures:",
            r.id,
            r.title,
            if r.start == r.end || r.end.ordinal() - r.start.ordinal() < 7 { "event" } else { "cumulative" },
            r.start,
            r.end,
            r.scope.iter().map(|(id, _)| id.as_str()).collect::<Vec<_>>().join(", ")
        )
        .unwrap();
        for f in &r.figures {
            let value = if f.tenths {
                format!("{}.{}", f.value / 10, f.value % 10)
            } else {
                f.value.to_string()
            };
            writeln!(
                y,
                "      - {{ metric: {}, value: {value} }}",
                metrics[f.metric].id
            )
            .unwrap();
        }
    }
    y
}

const THEMES: &[&str] = &[
    "la recuperación de servicios médicos",
    "las jornadas de continuidad de servicios",
    "la atención de padecimientos diferidos",
    "la detección oportuna de enfermedades",
    "la donación y el trasplante de órganos",
];

/// Sentences without figures, in the bulletins' register, to bring a text to ~600 words.
const FILLER: &[&str] = &[
    "El Instituto Mexicano del Seguro Social (IMSS) informó que continúa con la estrategia de recuperación de los servicios médicos que fueron diferidos por la emergencia sanitaria.",
    "La directora de Prestaciones Médicas señaló que el objetivo es acercar la atención a la población derechohabiente sin descuidar las medidas de prevención.",
    "Las jornadas se realizan en fines de semana y en turnos vespertinos y nocturnos, con la participación del personal de salud de las unidades médicas de los tres niveles de atención.",
    "Se dio prioridad a los pacientes con enfermedades crónicas no transmisibles, como diabetes e hipertensión, y a quienes esperaban una cirugía programada.",
    "El Seguro Social reiteró su reconocimiento al personal médico, de enfermería, de trabajo social y administrativo que hace posible esta estrategia.",
    "Los derechohabientes pueden consultar la disponibilidad de citas en su Unidad de Medicina Familiar o a través de los canales digitales del Instituto.",
    "La estrategia se acompaña de un seguimiento puntual de los indicadores de productividad en cada Oficina de Representación y en las Unidades Médicas de Alta Especialidad.",
    "El Instituto recordó que las unidades mantienen los filtros sanitarios, el uso de cubrebocas y la sana distancia en las salas de espera.",
    "Asimismo, se fortalecieron los programas de donación de órganos y tejidos con fines de trasplante, con apoyo de las coordinaciones hospitalarias.",
    "Las acciones forman parte del plan institucional para reducir el rezago en consulta externa, cirugía y detección oportuna de enfermedades.",
    "Los equipos de salud revisaron los expedientes de los pacientes para programar sus citas de acuerdo con la urgencia de cada caso.",
    "El IMSS invitó a la población a acudir a sus unidades médicas para retomar sus tratamientos y sus revisiones periódicas.",
];

const VERBS: &[&str] = &[
    "se otorgaron",
    "se registraron",
    "se sumaron",
    "se alcanzaron",
    "se llevaron a cabo",
];

fn bulletin_text(
    rng: &mut Rng,
    title: &str,
    i: usize,
    date: Date,
    dated: bool,
    reports: &[Rep],
    metrics: &[Metric],
) -> String {
    let mut t = String::new();
    if dated {
        writeln!(
            t,
            "Ciudad de México, {}\n\nNo. {}/{}\n",
            date.long_es(),
            i + 1,
            date.year
        )
        .unwrap();
    }
    writeln!(t, "# {title}\n").unwrap();
    t.push_str("- El Instituto mantiene la recuperación de los servicios médicos diferidos.\n");
    t.push_str("- Participan unidades médicas de los tres niveles de atención.\n\n");
    let mut words = 0;
    let mut filler = rng.range(0, FILLER.len() as u64 - 1) as usize;
    let mut push_filler = |t: &mut String, words: &mut usize| {
        let s = FILLER[filler % FILLER.len()];
        filler += 1;
        *words += s.split_whitespace().count();
        t.push_str(s);
        t.push(' ');
    };
    for r in reports {
        push_filler(&mut t, &mut words);
        t.push_str("\n\n");
        let period = crate::model::date::range_es(r.start, r.end);
        let place = if r.scope.len() == 1 && r.scope[0].0 == "nacional" {
            "en todo el país".to_string()
        } else {
            format!("en {}", names(&r.scope))
        };
        let mut para = format!(
            "{}, {place}, las unidades médicas del IMSS reportaron sus resultados.",
            capitalise(&period),
        );
        for f in &r.figures {
            let m = &metrics[f.metric];
            let n = spanish(rng, f.value, f.tenths);
            let label = m.label.to_lowercase();
            let s = if f.tenths {
                format!(" El indicador de {label} llegó a {n} por ciento en ese periodo.")
            } else {
                format!(
                    " En ese lapso {} {n} {}, de acuerdo con el informe.",
                    rng.pick(VERBS),
                    label
                )
            };
            para.push_str(&s);
        }
        words += para.split_whitespace().count();
        t.push_str(&para);
        t.push_str("\n\n");
    }
    while words < 600 {
        push_filler(&mut t, &mut words);
        if rng.chance(30) {
            t.push_str("\n\n");
        }
    }
    t.push('\n');
    t
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

const SMALL: &[&str] = &[
    "cero", "un", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez",
];

/// A number the way IMSS bulletins write it: digits with commas ("1,800"), digits and words
/// ("dos mil 106", "6 millones 552 mil 794", "mil 283"), or a small number in words.
fn spanish(rng: &mut Rng, v: u64, tenths: bool) -> String {
    if tenths {
        return format!("{}.{}", v / 10, v % 10);
    }
    if (2..=10).contains(&v) && rng.chance(50) {
        return SMALL[v as usize].to_string();
    }
    if v < 1_000 || rng.chance(40) {
        return crate::model::format::int(v);
    }
    let (millions, thousands, rest) = (v / 1_000_000, v / 1_000 % 1_000, v % 1_000);
    let mut parts = Vec::new();
    match millions {
        0 => {}
        1 => parts.push("un millón".to_string()),
        m => parts.push(format!("{m} millones")),
    }
    match thousands {
        0 => {}
        1 => parts.push("mil".to_string()),
        t if t <= 10 && rng.chance(50) => parts.push(format!("{} mil", SMALL[t as usize])),
        t => parts.push(format!("{t} mil")),
    }
    if rest > 0 {
        parts.push(rest.to_string());
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_as_written() {
        let mut rng = Rng(7);
        for v in [
            1, 4, 12, 999, 1_000, 1_283, 2_106, 52_000, 1_000_000, 6_552_794,
        ] {
            for _ in 0..8 {
                let text = spanish(&mut rng, v, false);
                let found = crate::validate::spanish_numbers::find_numbers(&text);
                assert!(
                    crate::validate::spanish_numbers::states(&found, v as f64),
                    "{text:?} should read as {v}"
                );
            }
        }
    }

    #[test]
    fn same_seed_same_corpus() {
        let metrics = catalogue();
        let places = place_ids();
        let a = bulletin(&mut Rng(1), 3, 10, &metrics, &places);
        let b = bulletin(&mut Rng(1), 3, 10, &metrics, &places);
        assert_eq!((a.yaml.clone(), a.markdown.clone()), (b.yaml, b.markdown));
        let words = a.markdown.split_whitespace().count();
        assert!((550..=900).contains(&words), "{words} words");
    }
}
