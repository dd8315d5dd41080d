//! Helpers shared by the integration tests.

use std::fs;
use std::path::{Path, PathBuf};

/// A copy of the bundled `content/` in a temporary project folder, to edit freely.
pub fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    for e in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let dest = root
            .join("content")
            .join(e.path().strip_prefix(&src).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
    (tmp, root)
}
