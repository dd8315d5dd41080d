//! The whole in-memory pipeline on an arbitrary bulletin: YAML and Markdown separated by the
//! first NUL byte, against the bundled catalogues. Anything may fail; nothing may panic or hang.
#![no_main]

use std::path::Path;

use cifras::diagnostics::SourceFile;
use cifras::load::{parse_str, BulletinSource, Loaded, Sources};
use libfuzzer_sys::fuzz_target;

const SITE: &str = include_str!("../../content/site.yaml");
const METRICS: &str = include_str!("../../content/metrics.yaml");
const PLACES: &str = include_str!("../../content/places.yaml");

fn loaded<T: serde::de::DeserializeOwned>(name: &str, text: &str) -> Loaded<T> {
    Loaded {
        file: SourceFile::new(name, text),
        data: parse_str(text).expect("bundled catalogues parse"),
    }
}

fuzz_target!(|data: &[u8]| {
    let (yaml, md) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let (Ok(yaml), Ok(md)) = (std::str::from_utf8(yaml), std::str::from_utf8(md)) else {
        return;
    };
    // As `load` reads it: on an error, every problem and the parts read whole.
    let (Some(bulletin), _) = cifras::load::parse_bulletin(yaml) else {
        return;
    };
    let sources = Sources {
        site: loaded("content/site.yaml", SITE),
        metrics: loaded("content/metrics.yaml", METRICS),
        places: loaded("content/places.yaml", PLACES),
        bulletins: vec![std::sync::Arc::new(BulletinSource {
            slug: "fuzz".into(),
            fingerprint: 0,
            yaml: Loaded { file: SourceFile::new("content/bulletins/fuzz.yaml", yaml), data: bulletin },
            text: SourceFile::new("content/bulletins/fuzz.md", md),
        })],
    };
    let (content, diagnostics) = cifras::validate::validate(&sources);
    let _ = diagnostics.to_string();
    if let Some(content) = content {
        let site = cifras::model::Site::new(content);
        let tera = cifras::render::templates(Path::new("/nonexistent")).expect("built-in templates");
        // PNG pixels depend only on the layout code, not on the input: render lists them undrawn.
        let charts = cifras::render::charts::SiteCharts::draw(&site, None, None);
        let sink = cifras::render::Sink::Keep;
        let rendered = cifras::render::render(&site, &charts, &tera, Path::new("/nonexistent"), None, sink);
        // The data downloads (CSV, JSON) are made from content; PNGs are not drawn (see above).
        if let Ok(rendered) = rendered {
            for d in rendered.deferred.iter().filter(|d| !d.path.ends_with(".png")) {
                let _ = d.draw();
            }
        }
    }
});
