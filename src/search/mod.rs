//! Stage 5b, **search**: the site's search index, built at build time with Pagefind as a library
//! (no Node, no network) from records made from the model (`records.rs`): every bulletin,
//! indicator and place page, and every figure. Spanish stemming; accents are ignored. The index
//! is written under `pagefind/`, with Pagefind's own search UI, for the `/buscar/` page.
//!
//! Built only with the `search` cargo feature (on by default); without it the site has no index
//! and its search page says so.

pub mod records;

use crate::render::OutputFile;

/// Where the index and Pagefind's UI files go in the site.
pub const DIR: &str = "pagefind";

/// Whether this build of `cifras` makes a search index.
pub const AVAILABLE: bool = cfg!(feature = "search");

/// The index files for these records (`records::records(site)`), relative to the site's root.
#[cfg(feature = "search")]
pub fn index(records: &[records::Record]) -> Result<Vec<OutputFile>, String> {
    use pagefind::api::PagefindIndex;
    use pagefind::options::PagefindServiceConfig;

    // Pagefind's API is async; a current-thread runtime runs it here, without a thread pool.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| format!("cannot start the search indexer: {e}"))?;
    runtime.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language("es".to_string())
            .build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        for r in records {
            index
                .add_html_file(None, Some(r.url.clone()), r.html())
                .await
                .map_err(|e| format!("search index: {e}"))?;
        }
        let files = index
            .get_files()
            .await
            .map_err(|e| format!("search index: {e}"))?;

        let mut out: Vec<OutputFile> = files
            .into_iter()
            .map(|f| OutputFile {
                path: format!("{DIR}/{}", f.filename.to_string_lossy().replace('\\', "/")),
                bytes: f.contents.into(),
            })
            .collect();
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    })
}

/// The index for these records from the build cache, or built and kept there: it depends on
/// nothing but the records (and the program, which the cache checks).
pub fn cached_index(
    cache: &crate::cache::Cache,
    records: &[records::Record],
) -> Result<Vec<OutputFile>, String> {
    use crate::cache::{pack, unpack, Kind};
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    records.hash(&mut h);
    let key = h.finish();
    let from_cache = cache.get(Kind::Search, key).and_then(|bytes| {
        unpack(&bytes)?
            .chunks(2)
            .map(|pair| match pair {
                [path, bytes] => Some(OutputFile {
                    path: std::str::from_utf8(path).ok()?.to_string(),
                    bytes: bytes.to_vec().into(),
                }),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
    });
    if let Some(files) = from_cache {
        return Ok(files);
    }
    let files = index(records)?;
    let parts = files.iter().flat_map(|f| [f.path.as_bytes(), &f.bytes[..]]);
    cache.put(Kind::Search, key, &pack(parts));
    Ok(files)
}

/// Without the `search` feature: no index.
#[cfg(not(feature = "search"))]
pub fn index(_: &[records::Record]) -> Result<Vec<OutputFile>, String> {
    Ok(Vec::new())
}
