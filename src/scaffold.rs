//! `cifras new bulletin <slug>`: a commented starting point for a new bulletin, so a maintainer
//! fills in fields instead of remembering them. Never overwrites.

use std::fs;
use std::path::{Path, PathBuf};

use crate::validate::is_url_slug;

const YAML: &str = r#"# Data for one bulletin. Every field is explained; delete the comments when you are done.
# Check with `cifras check`: it names the file, line and fix for anything wrong.

# The headline, exactly as the bulletin prints it (`cifras check` refuses POR COMPLETAR, so an
# untouched scaffold never publishes).
title: "POR COMPLETAR: título del boletín"
# Optional line printed above the headline (antetítulo); null when there is none.
kicker: null
# The bulletin's own number, e.g. "154/2022"; null when it has none.
number: null
# Publication date as YYYY-MM-DD, e.g. 2022-03-30; YYYY-MM or YYYY when the bulletin gives only
# the month or the year. When it states no date keep null and explain in date_note what the text
# does say; never guess a date.
date: null
date_note: "El boletín no indica fecha de publicación."
source:
  # What the text is: bulletin (the institution's own), republication, translation or news.
  kind: bulletin
  # The file the text was taken from (optional).
  seed: null
  publisher: "Instituto Mexicano del Seguro Social (IMSS)"
  # Link to the original, or null.
  url: null
# Places the bulletin mentions, by id from content/places.yaml.
places: []
# Free keywords (lowercase-with-hyphens).
tags: []
# Anything a reader should know about the source (rounded figures, inconsistencies, ...).
notes: []
# One report per set of figures that share a period and a scope. Example:
#
#   - id: jornada-10-12-sep            # unique in this file; lowercase-with-hyphens
#     title: "7ª Jornada Nacional"
#     kind: event                      # cumulative | event | stock | target
#     period: { start: 2021-09-10, end: 2021-09-12 }
#                                      # add `year_stated: false` when the year comes from context;
#                                      # a stock uses `period: { as_of: 2022-03-30 }` or no period;
#                                      # dates may be YYYY-MM or YYYY when the text gives no day;
#                                      # `period: unknown` when it gives no dates at all
#     scope: [nacional]                # where the figures apply (ids from places.yaml)
#     note: null
#     figures:                         # metric ids from content/metrics.yaml; digits only
#       - { metric: surgeries, value: 2537 }
#       - { metric: rehabilitation.patients, value: 177000, qualifier: more_than }  # "más de"
#                                      # qualifier: more_than ("más de"), about ("alrededor de",
#                                      # "cerca de"), almost ("casi"); none for an exact figure
#       - { metric: offices.participating, value: 4, scope: [colima, jalisco] }
#                                      # a figure may set its own kind, period or scope
#       - { metric: transplants, value: 23, derived: true }
#                                      # a total the text does not state, computed from the
#                                      # parts it does (given beside it); check verifies the sum
#       - metric: surgeries
#         value: 475725
#         conflict:                    # when the bulletin itself gives another value
#           other_values: [475275]
#           note: "El resumen dice 475 mil 275; el cuerpo, 475 mil 725."
reports: []
"#;

const MARKDOWN: &str = "# POR COMPLETAR: título del boletín\n\n- Primera viñeta del boletín.\n\nTexto del boletín, un párrafo por línea. Copie las cifras tal como están escritas.\n";

/// Create `content/bulletins/<slug>.yaml` and `.md` under `root`; returns the two paths.
pub fn new_bulletin(root: &Path, slug: &str) -> Result<[PathBuf; 2], String> {
    let [yaml, md] = paths(root, slug)?;
    write_new(&[(&yaml, YAML), (&md, MARKDOWN)])?;
    Ok([yaml, md])
}

/// The two files of a new bulletin, checked: a valid slug, a project folder, neither file there.
pub fn paths(root: &Path, slug: &str) -> Result<[PathBuf; 2], String> {
    if !is_url_slug(slug) {
        return Err(format!(
            "`{slug}` is not a valid slug: use lowercase letters a-z, digits and single hyphens, e.g. `jornada-24-26-septiembre`"
        ));
    }
    let dir = root.join("content").join("bulletins");
    if !root.join("content").is_dir() {
        return Err(format!(
            "no content/ folder in {}: run cifras from the project folder or pass --root",
            root.display()
        ));
    }
    let yaml = dir.join(format!("{slug}.yaml"));
    let md = dir.join(format!("{slug}.md"));
    for p in [&yaml, &md] {
        if p.exists() {
            return Err(format!(
                "{} already exists; choose another slug or edit it",
                p.display()
            ));
        }
    }
    Ok([yaml, md])
}

/// Write new files; never overwrite, even if a file appeared since `paths` looked. If a later
/// file cannot be created, the ones this call created are removed again.
pub fn write_new(files: &[(&PathBuf, &str)]) -> Result<(), String> {
    use std::io::Write;
    if let Some(dir) = files.first().and_then(|(p, _)| p.parent()) {
        fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut created: Vec<&PathBuf> = Vec::new();
    for (path, text) in files {
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .and_then(|mut f| f.write_all(text.as_bytes()));
        if let Err(e) = written {
            if e.kind() != std::io::ErrorKind::AlreadyExists {
                created.push(path);
            }
            for p in created {
                let _ = fs::remove_file(p);
            }
            return Err(format!("{}: {e}", path.display()));
        }
        created.push(path);
    }
    Ok(())
}
