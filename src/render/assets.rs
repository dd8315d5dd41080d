//! The static files (stylesheet, favicon, the chart scripts and the chart font for PNGs made in
//! the browser): compiled-in defaults, a project's `static/` overriding them by name, each
//! written under a content-hashed name for templates to link.

use std::collections::BTreeMap;
use std::path::Path;

use super::publish;
use super::renderer::Renderer;
use super::OutputFile;
use crate::diagnostics::Diagnostic;

const DEFAULT_STATIC: &[(&str, &[u8])] = &[
    ("style.css", include_bytes!("../../static/style.css")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
    ("graficas.js", include_bytes!("../../static/graficas.js")),
    ("insertar.js", include_bytes!("../../static/insertar.js")),
    ("buscar.js", include_bytes!("../../static/buscar.js")),
    // The fonts the charts are drawn with, embedded into a chart's SVG when it becomes a PNG.
    ("DejaVuSans.ttf", crate::charts::text::FONT_REGULAR),
    ("DejaVuSans-Bold.ttf", crate::charts::text::FONT_BOLD),
];

pub(super) fn static_files(r: &mut Renderer, root: &Path) {
    let mut files: BTreeMap<String, Vec<u8>> = DEFAULT_STATIC
        .iter()
        .map(|(n, b)| (format!("static/{n}"), b.to_vec()))
        .collect();
    for (name, read) in crate::files::project_files(root, "static", |_| true) {
        let name = format!("static/{name}");
        match read {
            Ok(bytes) => {
                files.insert(name, bytes);
            }
            Err(e) => r
                .made
                .diags
                .push(Diagnostic::file_error(Path::new(&name), e.to_string())),
        }
    }
    // Content-hashed names: a new deploy never mixes with a cached old stylesheet.
    for (path, bytes) in files {
        let name = path.trim_start_matches("static/").to_string();
        let hashed = format!("static/{}", publish::hashed_name(&name, &bytes));
        r.assets.insert(name, hashed.clone());
        r.emit(OutputFile {
            path: hashed,
            bytes: bytes.into(),
        });
    }
}
