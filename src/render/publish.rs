//! The machine-readable side of publishing: sitemap, Atom feed, robots.txt, schema.org JSON-LD,
//! and content-hashed asset names. Everything is derived from the data, never from the clock,
//! so two builds of the same content are byte-identical.

use crate::charts::escape;
use crate::model::{Bulletin, Date, PartialDate, Period, Site};

/// The date the data was last updated: the newest bulletin date given to the day, or the
/// latest day reported (never the last day of a year or month a bulletin gives alone).
pub fn last_updated(site: &Site) -> Option<Date> {
    site.bulletins
        .iter()
        .filter_map(|b| b.date.and_then(PartialDate::day).or(b.last_reported_day()))
        .max()
}

/// The newest date any bulletin states (see `Bulletin::stated_date`): the sitemap's `lastmod`
/// for pages about the whole site.
pub fn last_stated(site: &Site) -> Option<Date> {
    site.bulletins
        .iter()
        .filter_map(Bulletin::stated_date)
        .max()
}

/// sitemaps.org 0.9: one `<url>` per page, with `lastmod` where the bulletins state a date.
pub fn sitemap(base: &str, pages: &[(String, Option<Date>)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, lastmod) in pages {
        xml.push_str(&format!(
            "  <url>\n    <loc>{}</loc>\n",
            escape(&format!("{base}{path}"))
        ));
        if let Some(d) = lastmod {
            xml.push_str(&format!("    <lastmod>{d}</lastmod>\n"));
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// `https://example.github.io/repo/` -> `https://example.github.io`.
pub fn origin(base: &str) -> String {
    match base.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split('/').next().unwrap_or(rest);
            format!("{scheme}://{host}")
        }
        None => base.trim_end_matches('/').to_string(),
    }
}

/// `https://example.github.io/repo/` -> `/repo/`: the site's path on its server.
pub fn base_path(base: &str) -> String {
    let path = base
        .split_once("://")
        .map_or(base, |(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]));
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

pub fn robots(base: &str) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {base}sitemap.xml\n")
}

/// RFC 3339 timestamp for a date at midnight UTC (Atom needs a full timestamp).
fn timestamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

/// An Atom (RFC 4287) feed with one entry per bulletin, newest first. Atom requires every
/// entry to have an `<updated>` date, but bulletins may state none, so each entry's summary
/// says what its date is (`entry_date`). Only a bulletin with a publication date gets
/// `<published>`.
pub fn atom(site: &Site) -> String {
    let c = &site.config;
    let base = &c.base_url;
    let latest = last_updated(site);
    let updated = latest.map_or_else(|| timestamp(EPOCH), timestamp);
    let mut xml = format!(
        concat!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n",
            "  <title>{title}</title>\n",
            "  <subtitle>{desc}</subtitle>\n",
            "  <id>{base}</id>\n",
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}feed.xml\"/>\n",
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{base}\"/>\n",
            "  <updated>{updated}</updated>\n",
            "  <author><name>{author}</name></author>\n",
            "  <rights>{rights}</rights>\n",
        ),
        lang = escape(&c.language),
        title = escape(&c.title),
        desc = escape(&c.description),
        base = escape(base),
        updated = updated,
        author = escape(&c.author),
        rights = escape(&c.license),
    );
    for b in &site.bulletins {
        let url = format!("{base}boletines/{}/", b.slug);
        let (when, mut summary) = entry_date(b, latest);
        let figures: usize = b.reports.iter().map(|r| r.figures.len()).sum();
        summary.push_str(&format!(" {figures} cifras"));
        let periods: Vec<String> = b
            .reports
            .iter()
            .filter(|r| r.period != Period::Unstated)
            .map(|r| r.period.long_es())
            .collect();
        if let Some(first) = periods.first() {
            summary.push_str(&format!(", {first}"));
        }
        summary.push('.');
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n    <updated>{}</updated>\n",
            escape(&b.title),
            escape(&url),
            escape(&url),
            timestamp(when),
        ));
        if let Some(d) = b.date.and_then(PartialDate::day) {
            xml.push_str(&format!("    <published>{}</published>\n", timestamp(d)));
        }
        xml.push_str(&format!(
            "    <author><name>{}</name></author>\n    <summary>{}</summary>\n  </entry>\n",
            escape(&b.publisher),
            escape(&summary)
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// Atom's stand-in when no bulletin of the site gives any date: the Unix epoch, which no reader
/// could mistake for a bulletin's date (and the entries say it is none).
const EPOCH: Date = Date {
    year: 1970,
    month: 1,
    day: 1,
};

/// A feed entry's `<updated>` date, and the sentence that says what that date is: the
/// publication date; without one, the last day the bulletin reports (saying when its year is
/// inferred); with no date at all, the newest date of the site's data (`latest`), which is
/// another bulletin's, or the epoch when the site has none.
fn entry_date(b: &Bulletin, latest: Option<Date>) -> (Date, String) {
    if let Some(d) = b.date.and_then(PartialDate::day) {
        return (d, format!("Boletín del {}.", d.long_es()));
    }
    let stated = match b.date {
        Some(partial) => format!(
            "El boletín indica solo {} como fecha de publicación, sin el día",
            partial.long_es()
        ),
        None => "El boletín no indica fecha de publicación".to_string(),
    };
    match (b.last_reported_day(), latest) {
        (Some(d), _) => {
            let inferred = if b.stated_date() != Some(d) {
                " (el año se deduce del contexto)"
            } else {
                ""
            };
            (
                d,
                format!(
                    "{stated}; esta entrada se fecha por el último día que informa, el {}{inferred}.",
                    d.long_es()
                ),
            )
        }
        (None, Some(d)) => (
            d,
            format!(
                "{stated} ni la fecha de sus cifras; esta entrada se fecha por la fecha más reciente de los datos del sitio, el {}, que es de otro boletín, no de este.",
                d.long_es()
            ),
        ),
        (None, None) => (
            EPOCH,
            format!("{stated}, y ningún boletín del sitio indica un día; la fecha de esta entrada (1 de enero de 1970) es solo la que exige el formato Atom."),
        ),
    }
}

/// JSON for a `<script type="application/ld+json">`: `</` is escaped so the text can never
/// close the script element, whatever the data says.
pub fn json_ld(value: &serde_json::Value) -> String {
    // `<`, `>` and `&` only occur inside JSON strings, where \u escapes mean the same text:
    // nothing in the data can then open a comment or close the script element.
    serde_json::to_string_pretty(value)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// schema.org `Dataset` describing some of the site's figures and their downloads.
pub fn dataset(
    site: &Site,
    name: &str,
    description: &str,
    page_url: &str,
    downloads: &[(&str, &str)],
    periods: &[&Period],
    places: &[usize],
) -> serde_json::Value {
    let c = &site.config;
    let days: Vec<Date> = periods
        .iter()
        .flat_map(|p| match **p {
            Period::Range { start, end, .. } => vec![start.first(), end.last()],
            Period::AsOf { date, .. } => vec![date.first(), date.last()],
            Period::Unstated => vec![],
        })
        .collect();
    let mut places: Vec<&str> = places
        .iter()
        .map(|&p| site.places[p].name.as_str())
        .collect();
    places.sort_unstable();
    places.dedup();
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": name,
        "description": description,
        "url": page_url,
        "inLanguage": c.language,
        "isAccessibleForFree": true,
        "creator": { "@type": "Organization", "name": c.author },
        "license": c.license,
        "isBasedOn": "Boletines de prensa del Instituto Mexicano del Seguro Social (IMSS)",
        "distribution": downloads.iter().map(|(format, url)| serde_json::json!({
            "@type": "DataDownload",
            "encodingFormat": format,
            "contentUrl": url,
        })).collect::<Vec<_>>(),
        "spatialCoverage": places.iter().map(|p| serde_json::json!({
            "@type": "Place", "name": p,
        })).collect::<Vec<_>>(),
    });
    if let (Some(first), Some(last)) = (days.iter().min(), days.iter().max()) {
        v["temporalCoverage"] = serde_json::Value::String(format!("{first}/{last}"));
    }
    v
}

/// A short content hash for cache-busting asset names (FNV-1a, 64 bits): a new stylesheet
/// gets a new URL, so a deploy is never mixed with a cached old one.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")[..10].to_string()
}

/// `style.css` -> `style.<hash>.css`.
pub fn hashed_name(name: &str, bytes: &[u8]) -> String {
    let hash = content_hash(bytes);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => format!("{stem}.{hash}.{ext}"),
        _ => format!("{name}.{hash}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_change_with_content() {
        assert_eq!(
            hashed_name("style.css", b"a"),
            hashed_name("style.css", b"a")
        );
        assert_ne!(
            hashed_name("style.css", b"a"),
            hashed_name("style.css", b"b")
        );
        assert!(hashed_name("img/logo.svg", b"x").starts_with("img/logo."));
        assert!(hashed_name("img/logo.svg", b"x").ends_with(".svg"));
    }

    #[test]
    fn origins_and_paths_of_the_base_url() {
        let base = "https://example.github.io/repo/";
        assert_eq!(origin(base), "https://example.github.io");
        assert_eq!(base_path(base), "/repo/");
        assert_eq!(base_path("https://cifras.example.org/"), "/");
        assert_eq!(
            origin("http://127.0.0.1:1111/cifras/"),
            "http://127.0.0.1:1111"
        );
    }

    #[test]
    fn json_ld_cannot_close_its_script() {
        let v = serde_json::json!({ "name": "</script><script>alert(1)</script>" });
        let text = json_ld(&v);
        assert!(!text.contains('<') && !text.contains('>'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v, "the escapes keep the same data");
    }

    #[test]
    fn sitemap_escapes_and_dates() {
        let d = Date::parse("2022-03-30").unwrap();
        let xml = sitemap(
            "https://x.github.io/r/",
            &[("a&b/".into(), Some(d)), ("".into(), None)],
        );
        assert!(xml.contains("<loc>https://x.github.io/r/a&amp;b/</loc>"));
        assert!(xml.contains("<lastmod>2022-03-30</lastmod>"));
        assert_eq!(xml.matches("<url>").count(), 2);
    }
}
