//! `cifras new metric <id>` and `cifras new place <id>`: append a commented entry to
//! `content/metrics.yaml` or `content/places.yaml`, for the maintainer to fill in.
//!
//! The catalogue is only ever appended to: its existing bytes stay as they were (comments,
//! order, spacing), an id that is already there is refused, and the new text is parsed with
//! the file before anything is written, so a file whose shape does not allow appending is left
//! alone with a clear error. The entry's texts say `POR COMPLETAR` until edited, and `check`
//! refuses them (an untouched scaffold must not publish).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::files;
use crate::load::parse_str;
use crate::load::schema::{MetricsFile, PlacesFile};
use crate::validate::{is_metric_id, is_url_slug};

/// The text every scaffolded field to fill in carries; `check` reports any text containing it.
pub const PLACEHOLDER: &str = "POR COMPLETAR";

/// A catalogue file is read whole; the same bound as every content file.
const LIMIT: u64 = 4 * 1024 * 1024;

/// Append a new indicator `id` to `content/metrics.yaml`; returns the file's path.
pub fn new_metric(root: &Path, id: &str) -> Result<PathBuf, String> {
    if !is_metric_id(id) {
        return Err(format!(
            "`{id}` is not a valid metric id: use lowercase words joined by `_`, a part nested \
             under its total with a dot, e.g. `transplants.kidney` or `screenings.colon_cancer`"
        ));
    }
    let slug = id.replace(['.', '_'], "-");
    let parent = id.rsplit_once('.').map(|(p, _)| p);
    let path = root.join("content").join("metrics.yaml");
    let text = read(&path)?;
    let file: MetricsFile = parse(&path, &text)?;
    if let Some(m) = file.metrics.iter().find(|m| m.id.value == id) {
        return Err(format!(
            "{}:{}: metric `{id}` is already there; edit that entry instead",
            path.display(),
            m.id.referenced.line()
        ));
    }
    if let Some(m) = file.metrics.iter().find(|m| m.slug.value == slug) {
        return Err(format!(
            "{}:{}: the slug `{slug}` this id would get is taken by `{}`; choose another id",
            path.display(),
            m.slug.referenced.line(),
            m.id.value
        ));
    }
    let parent_line = match parent {
        Some(p) if file.metrics.iter().any(|m| m.id.value == p) => format!("parent: {p}"),
        _ => "# parent: transplants".to_string(),
    };
    let indent = entry_indent(&text, &path)?;
    let entry = format!(
        r#"
# Added by `cifras new metric {id}`:
# replace every {PLACEHOLDER}, then run `cifras check`.
- id: {id}
  # The indicator page's URL, indicadores/<slug>/, and its CSV's name; readers see it, so
  # Spanish is better, e.g. trasplantes-pulmon.
  slug: {slug}
  # The name readers see, in Spanish, e.g. "Trasplantes de riñón".
  label: "{PLACEHOLDER}: nombre del indicador"
  # What one unit of the figure counts, plural, e.g. consultas, cirugías, personas.
  unit: "{PLACEHOLDER}"
  # consultations | surgeries | transplants | screenings | rehabilitation | capacity | other
  group: other
  # What the indicator measures, as the bulletins define it.
  definition: "{PLACEHOLDER}: qué cuenta este indicador."
  # The total this indicator is a part of (a total must equal the sum of its parts).
  {parent_line}
  # decimals: 1        # when the source gives decimals, e.g. a percentage
  # per_day: false     # for counts that do not accrue day by day (offices taking part)
  # colour: sky_blue   # blue, sky_blue, vermillion, bluish_green, reddish_purple, orange,
  #                    # yellow, grey; default: the group's
  # The phrases bulletins write after a number for this indicator, besides its label, e.g.
  # "de riñón", "renales": drafts guess a number's indicator from them, and `check` needs one
  # of them in the sentence that states each figure.
  aliases: []
"#
    );
    let added = append(&path, &text, &indent_lines(&entry, &indent), |all| {
        let f: MetricsFile = parse_str(all).map_err(|e| e.1)?;
        Ok(f.metrics.len() == file.metrics.len() + 1
            && f.metrics.last().is_some_and(|m| m.id.value == id))
    })?;
    Ok(added)
}

/// Append a new place `id` to `content/places.yaml`; returns the file's path.
pub fn new_place(root: &Path, id: &str) -> Result<PathBuf, String> {
    if !is_url_slug(id) {
        return Err(format!(
            "`{id}` is not a valid place id: it is the page's URL (lugares/<id>/), so use \
             lowercase letters a-z, digits and single hyphens, e.g. `veracruz-norte`"
        ));
    }
    let path = root.join("content").join("places.yaml");
    let text = read(&path)?;
    let file: PlacesFile = parse(&path, &text)?;
    if let Some(p) = file.places.iter().find(|p| p.id.value == id) {
        return Err(format!(
            "{}:{}: place `{id}` is already there; edit that entry instead",
            path.display(),
            p.id.referenced.line()
        ));
    }
    let indent = entry_indent(&text, &path)?;
    let entry = format!(
        r#"
# Added by `cifras new place {id}`:
# replace {PLACEHOLDER}, then run `cifras check`.
- id: {id}
  # The name readers see, as the bulletins write it, e.g. "Ciudad de México Sur".
  name: "{PLACEHOLDER}: nombre del lugar"
  # national | state | office (an IMSS representation office smaller than a state) | unit (a
  # hospital or high-specialty unit, UMAE)
  kind: state
  # An office or unit names its state by id, e.g. `state: veracruz`.
  # state: veracruz
  # note: "Anything a reader should know, e.g. another name bulletins use for it."
"#
    );
    let added = append(&path, &text, &indent_lines(&entry, &indent), |all| {
        let f: PlacesFile = parse_str(all).map_err(|e| e.1)?;
        Ok(f.places.len() == file.places.len() + 1
            && f.places.last().is_some_and(|p| p.id.value == id))
    })?;
    Ok(added)
}

fn read(path: &Path) -> Result<String, String> {
    let bytes = files::read(path, LIMIT).map_err(|e| {
        format!(
            "{} {e}; run cifras from the project folder or pass --root",
            path.display()
        )
    })?;
    String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, String> {
    parse_str(text).map_err(|(pos, message, _)| {
        format!(
            "{}:{}:{}: {message}; fix the file (`cifras check` explains) before adding to it",
            path.display(),
            pos.line,
            pos.col
        )
    })
}

/// The indentation of the catalogue's entries ("  " in `metrics:\n  - id: …`), from its last
/// entry, so the new one joins the same list.
fn entry_indent(text: &str, path: &Path) -> Result<String, String> {
    text.lines()
        .rev()
        .find_map(|l| {
            let rest = l.trim_start_matches(' ');
            rest.starts_with("- id:")
                .then(|| l[..l.len() - rest.len()].to_string())
        })
        .ok_or_else(|| {
            format!(
                "{} has no entry written as `- id: …` to add after; add the first one by hand",
                path.display()
            )
        })
}

fn indent_lines(entry: &str, indent: &str) -> String {
    entry
        .lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{indent}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// Append `entry` to the file at `path`, whose text is `text`, once `fits` says the file with it
/// still parses as the catalogue with one more entry. A file without a final line break gets
/// one first. The existing bytes are never rewritten: the file is opened to append only, and
/// refused if it changed since it was read.
fn append(
    path: &Path,
    text: &str,
    entry: &str,
    fits: impl Fn(&str) -> Result<bool, String>,
) -> Result<PathBuf, String> {
    let mut added = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        added.push('\n');
    }
    added.push_str(entry);
    let all = format!("{text}{added}");
    match fits(&all) {
        Ok(true) => {}
        Ok(false) | Err(_) => {
            return Err(format!(
                "{} does not end with its list of entries, so an entry appended there would not \
                 join it; add it by hand (nothing was written)",
                path.display()
            ))
        }
    }
    let mut options = std::fs::OpenOptions::new();
    options.append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let mut file = options
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let len = file
        .metadata()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    if len != text.len() as u64 {
        return Err(format!(
            "{} changed while it was read; run the command again",
            path.display()
        ));
    }
    file.write_all(added.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(metrics: &str, places: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/metrics.yaml"), metrics).unwrap();
        std::fs::write(dir.path().join("content/places.yaml"), places).unwrap();
        dir
    }

    const METRICS: &str = "# comment kept\nmetrics:\n  - id: transplants\n    slug: trasplantes\n    label: \"Trasplantes\"\n    unit: trasplantes\n    group: transplants\n    definition: \"Trasplantes.\"";
    const PLACES: &str = "places:\n- id: nacional\n  name: \"Nacional\"\n  kind: national\n";

    #[test]
    fn appends_at_the_lists_indentation_keeping_every_byte() {
        let dir = project(METRICS, PLACES);
        new_metric(dir.path(), "transplants.lung").unwrap();
        let after = std::fs::read_to_string(dir.path().join("content/metrics.yaml")).unwrap();
        assert!(after.starts_with(METRICS), "the old text is kept as it was");
        assert!(
            after[METRICS.len()..].starts_with('\n'),
            "a final line break first"
        );
        assert!(after.contains("\n  - id: transplants.lung\n"), "{after}");
        assert!(after.contains("    parent: transplants\n"), "{after}");
        assert!(after.contains("    slug: transplants-lung\n"), "{after}");
        let f: MetricsFile = parse_str(&after).unwrap();
        assert_eq!(f.metrics.len(), 2);
        assert!(f.metrics[1].label.value.contains(PLACEHOLDER));

        new_place(dir.path(), "veracruz-norte").unwrap();
        let after = std::fs::read_to_string(dir.path().join("content/places.yaml")).unwrap();
        assert!(after.starts_with(PLACES));
        assert!(after.contains("\n- id: veracruz-norte\n"), "{after}");
        let f: PlacesFile = parse_str(&after).unwrap();
        assert_eq!(f.places.len(), 2);
    }

    #[test]
    fn refuses_what_it_cannot_add_cleanly_and_writes_nothing() {
        let dir = project(METRICS, PLACES);
        let e = new_metric(dir.path(), "transplants").unwrap_err();
        assert!(
            e.contains("metrics.yaml:3: metric `transplants` is already there"),
            "{e}"
        );
        let e = new_place(dir.path(), "nacional").unwrap_err();
        assert!(
            e.contains("places.yaml:2: place `nacional` is already there"),
            "{e}"
        );
        assert!(new_metric(dir.path(), "Trasplantes")
            .unwrap_err()
            .contains("not a valid metric id"));
        assert!(new_place(dir.path(), "Veracruz Norte")
            .unwrap_err()
            .contains("not a valid place id"));
        // the last "- id:" is inside a note: an entry appended there would not join the list
        let odd = format!("{PLACES}  note: |\n    - id: ejemplo\n");
        let dir = project(METRICS, &odd);
        let e = new_place(dir.path(), "veracruz-norte").unwrap_err();
        assert!(e.contains("nothing was written"), "{e}");
        let e = new_place(dir.path(), "veracruz-norte").unwrap_err();
        assert!(e.contains("nothing was written"), "{e}");
        let kept = std::fs::read_to_string(dir.path().join("content/places.yaml")).unwrap();
        assert_eq!(kept, odd);
        // a list written in flow style has no line to follow
        let dir = project(
            METRICS,
            "places: [{id: nacional, name: Nacional, kind: national}]\n",
        );
        let e = new_place(dir.path(), "veracruz-norte").unwrap_err();
        assert!(e.contains("add the first one by hand"), "{e}");
        // a broken file is reported, not appended to
        let dir = project("metrics: [", PLACES);
        let e = new_metric(dir.path(), "surgeries").unwrap_err();
        assert!(e.contains("metrics.yaml:"), "{e}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("content/metrics.yaml")).unwrap(),
            "metrics: ["
        );
    }
}
