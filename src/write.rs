//! Stage 6, **write**: put the rendered files on disk without ever leaving a half-written or
//! destroyed site. Files go into a fresh sibling directory, which is then swapped into place;
//! the previous output is removed only after the swap.
//!
//! Deferred files (PNGs, data downloads) are made here, in parallel, each written as soon as
//! it is made: the gigabytes of PNGs of a large site are never all in memory at once.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::render::{Deferred, OutputFile};

/// Marks a directory as ours, so a rebuild may replace it. A non-empty directory without it
/// is refused: it may be someone's work.
pub const MARKER: &str = ".cifras-output";

#[derive(Debug)]
pub enum WriteError {
    Refused(String),
    Io(PathBuf, io::Error),
    /// A deferred file could not be made.
    Make(String),
}

/// How long writing took: the rendered files, and making and writing the deferred ones.
#[derive(Debug, Default)]
pub struct Written {
    pub files: Duration,
    pub deferred: Duration,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Refused(why) => write!(f, "{why}"),
            WriteError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            WriteError::Make(why) => write!(f, "{why}"),
        }
    }
}

/// Refuse output directories whose replacement would destroy something that is not a site.
pub fn check_output_dir(project: &Path, out: &Path) -> Result<(), WriteError> {
    let abs = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let out_abs = abs(out);
    let project_abs = abs(project);
    let mut forbidden = vec![project_abs.clone(), PathBuf::from("/")];
    for d in ["content", "templates", "static", "src", "assets"] {
        forbidden.push(project_abs.join(d));
    }
    if let Some(home) = std::env::var_os("HOME") {
        forbidden.push(abs(Path::new(&home)));
    }
    if forbidden.contains(&out_abs) || project_abs.starts_with(&out_abs) {
        return Err(WriteError::Refused(format!(
            "refusing to write the site into {}: replacing it would delete your files; choose a dedicated folder such as public/",
            out.display()
        )));
    }
    if out.is_dir() {
        let mut entries = fs::read_dir(out).map_err(|e| WriteError::Io(out.to_path_buf(), e))?;
        let non_empty = entries.next().is_some();
        if non_empty && !out.join(MARKER).is_file() {
            return Err(WriteError::Refused(format!(
                "refusing to replace {}: it is not empty and was not created by cifras (no {MARKER} file); empty it or choose another folder",
                out.display()
            )));
        }
    } else if out.exists() {
        return Err(WriteError::Refused(format!(
            "{} exists and is not a directory",
            out.display()
        )));
    }
    Ok(())
}

/// Write `files` and make and write `deferred`, so that `out` holds exactly them, atomically
/// replacing any previous build.
pub fn write_site(
    out: &Path,
    files: &[OutputFile],
    deferred: &[Deferred],
) -> Result<Written, WriteError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
    let staging = parent.join(format!(".{name}.cifras-new-{}", std::process::id()));
    let old = parent.join(format!(".{name}.cifras-old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);

    let mut written = Written::default();
    let result = (|| {
        fs::create_dir(&staging).map_err(|e| WriteError::Io(staging.clone(), e))?;
        let started = Instant::now();
        // Paths come from our own renderer, but never let one escape the output.
        let paths = files
            .iter()
            .map(|f| &f.path)
            .chain(deferred.iter().map(|d| &d.path));
        let mut dirs = BTreeSet::new();
        for path in paths {
            if path.split('/').any(|c| c == ".." || c.is_empty()) || path.starts_with('/') {
                return Err(WriteError::Refused(format!("unsafe output path {path}")));
            }
            if let Some((dir, _)) = path.rsplit_once('/') {
                dirs.insert(dir);
            }
        }
        // Directories once, then the files in parallel.
        for dir in dirs {
            let d = staging.join(dir);
            fs::create_dir_all(&d).map_err(|e| WriteError::Io(d, e))?;
        }
        let put = |f: &OutputFile| {
            let p = staging.join(&f.path);
            fs::write(&p, &f.bytes).map_err(|e| WriteError::Io(p, e))
        };
        files.par_iter().try_for_each(put)?;
        written.files = started.elapsed();
        let started = Instant::now();
        deferred.par_iter().try_for_each(|d| {
            let made = d.draw().map_err(|e| WriteError::Make(e.to_string()))?;
            put(&made)
        })?;
        written.deferred = started.elapsed();
        fs::write(
            staging.join(MARKER),
            b"This folder is written by cifras build and replaced on every build.\n",
        )
        .map_err(|e| WriteError::Io(staging.join(MARKER), e))
    })();
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    // Swap: move the old site aside, move the new one in, then delete the old one.
    let had_old = out.exists();
    if had_old {
        fs::rename(out, &old).map_err(|e| {
            let _ = fs::remove_dir_all(&staging);
            WriteError::Io(out.to_path_buf(), e)
        })?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        if had_old {
            let _ = fs::rename(&old, out); // put the previous site back
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(WriteError::Io(out.to_path_buf(), e));
    }
    if had_old {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().into(),
        }
    }

    #[test]
    fn replaces_previous_build_completely() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("a.html", "1"), file("d/b.html", "2")], &[]).unwrap();
        write_site(&out, &[file("c.html", "3")], &[]).unwrap();
        assert!(!out.join("a.html").exists());
        assert_eq!(fs::read_to_string(out.join("c.html")).unwrap(), "3");
        let leftovers: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(
            leftovers.len(),
            1,
            "no staging or old directories left behind"
        );
    }

    #[test]
    fn refuses_foreign_or_precious_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let foreign = tmp.path().join("mine");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("thesis.txt"), "x").unwrap();
        assert!(matches!(
            check_output_dir(tmp.path(), &foreign),
            Err(WriteError::Refused(_))
        ));
        assert!(check_output_dir(tmp.path(), tmp.path()).is_err());
        assert!(check_output_dir(tmp.path(), &tmp.path().join("content")).is_err());
        assert!(check_output_dir(tmp.path(), &tmp.path().join("public")).is_ok());
    }

    #[test]
    fn failed_write_keeps_previous_site() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        write_site(&out, &[file("a.html", "old")], &[]).unwrap();
        let err = write_site(&out, &[file("../escape.html", "x")], &[]);
        assert!(err.is_err());
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old");
    }
}
