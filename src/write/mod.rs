//! Stage 6, **write**: put the rendered files on disk without ever leaving a half-written or
//! destroyed site. Files go into a fresh sibling directory (`Staging`), which is then swapped
//! into place; the previous output is removed only after the swap.
//!
//! `build` stages each page as soon as it is rendered, so the pages of a large site are never
//! all in memory. Deferred files (PNGs, data downloads) are made at the end, in parallel, each
//! written as soon as it is made; a social card the build cache (`cache.rs`) holds is copied
//! from it instead of drawn again.
//!
//! `lock` keeps a second build from writing the same output at once and clears what killed
//! builds left; `swap` exchanges the old and new sites atomically where the system can.

mod lock;
mod swap;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::render::{Deferred, OutputFile};

/// Marks a directory as ours, so a rebuild may replace it. A non-empty directory without it
/// is refused: it may be someone's work.
pub const MARKER: &str = ".cifras-output";
const MARKER_HEADER: &str = "This folder is written by cifras build and replaced on every build.";

#[derive(Debug)]
pub enum WriteError {
    Refused(String),
    Io(PathBuf, io::Error),
    /// A deferred file could not be made.
    Make(String),
    /// Not written because an earlier file of this build could not be (already reported).
    Abandoned,
}

impl WriteError {
    /// The error as one diagnostic about the output folder `out`; `None` for `Abandoned`, so a
    /// full disk is one message, not one per file.
    pub fn diagnostic(&self, out: &Path) -> Option<crate::diagnostics::Diagnostic> {
        let d = crate::diagnostics::Diagnostic::file_error(out, self.to_string());
        match self {
            WriteError::Abandoned => None,
            WriteError::Io(_, e) if no_room(e) => Some(d.with_hint(
                "the disk (or your quota) is full: free some space and build again; the previous site is unchanged",
            )),
            _ => Some(d),
        }
    }
}

/// Whether an error means the disk, the quota or the file size limit has no room left.
fn no_room(e: &io::Error) -> bool {
    #[cfg(unix)]
    if matches!(
        e.raw_os_error(),
        Some(libc::ENOSPC | libc::EDQUOT | libc::EFBIG)
    ) {
        return true;
    }
    matches!(
        e.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge
    )
}

/// What writing took and did.
#[derive(Debug, Default)]
pub struct Written {
    /// Finishing: the marker, the swap, removing the previous output.
    pub swap: Duration,
    /// Making and writing the deferred files.
    pub deferred: Duration,
    /// The previous site, if it could not be deleted after the swap (the new site is in place).
    pub leftover: Option<String>,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Refused(why) => write!(f, "{why}"),
            WriteError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            WriteError::Make(why) => write!(f, "{why}"),
            WriteError::Abandoned => write!(f, "not written: an earlier file failed"),
        }
    }
}

/// Refuse output directories whose replacement would destroy something that is not a site.
pub fn check_output_dir(project: &Path, out: &Path) -> Result<(), WriteError> {
    let out_abs = resolved(out);
    let project_abs = resolved(project);
    let mut forbidden = vec![project_abs.clone(), PathBuf::from("/")];
    for d in ["src", "assets"] {
        forbidden.push(project_abs.join(d));
    }
    if let Some(home) = std::env::var_os("HOME") {
        forbidden.push(resolved(Path::new(&home)));
    }
    if forbidden.contains(&out_abs) || project_abs.starts_with(&out_abs) {
        return Err(WriteError::Refused(format!(
            "refusing to write the site into {}: replacing it would delete your files; choose a dedicated folder such as public/",
            out.display()
        )));
    }
    // Inside the project's sources, the site would be read back as content by the next build
    // (or deleted with the folder): never.
    for d in ["content", "templates", "static"] {
        if out_abs.starts_with(project_abs.join(d)) {
            return Err(WriteError::Refused(format!(
                "refusing to write the site into {}: it is inside the project's {d}/ folder, which cifras reads; choose a folder outside content/, templates/ and static/, such as public/",
                out.display()
            )));
        }
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

/// Whether the build cache may live in `cache`: not inside the output (each build replaces it)
/// nor inside a folder cifras reads as the project's sources.
pub fn check_cache_dir(project: &Path, out: &Path, cache: &Path) -> Result<(), String> {
    let cache_abs = resolved(cache);
    let project_abs = resolved(project);
    let mut inside = vec![resolved(out)];
    inside.extend(["content", "templates", "static"].map(|d| project_abs.join(d)));
    match inside.iter().find(|d| cache_abs.starts_with(d)) {
        Some(d) => Err(format!(
            "the build cache {} is inside {}; give a folder of its own with --cache-dir",
            cache.display(),
            d.display()
        )),
        None => Ok(()),
    }
}

/// `p` made absolute, with every link and `..` in the part that exists resolved (the rest,
/// not yet created, appended as written): so `content/../content/x` and a link to `content/`
/// are recognised before anything is created.
fn resolved(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut existing = abs.as_path();
    let mut rest: Vec<&std::ffi::OsStr> = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            let mut out = real;
            for c in rest.iter().rev() {
                match *c {
                    c if c == ".." => {
                        out.pop();
                    }
                    c if c == "." => {}
                    c => out.push(c),
                }
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name);
                existing = parent;
            }
            // A trailing `..` or `.` has no file name: resolve it with the parent.
            (Some(parent), None) => {
                rest.push(
                    existing
                        .components()
                        .next_back()
                        .map_or("".as_ref(), |c| c.as_os_str()),
                );
                existing = parent;
            }
            _ => return abs,
        }
    }
}

/// Write `files` and make and write `deferred`, so that `out` holds exactly them, atomically
/// replacing any previous build.
pub fn write_site(
    out: &Path,
    files: &[OutputFile],
    deferred: &[Deferred],
) -> Result<Written, WriteError> {
    let staging = Staging::new(out)?;
    files.par_iter().try_for_each(|f| staging.put(f))?;
    staging.finish(deferred, None, None)
}

/// A build being written: a fresh directory beside `out`, swapped into place by `finish`, and
/// removed if the build is abandoned (dropped unfinished), leaving `out` as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// Directories already created in `dir`, so each file costs one `write`.
    made: Mutex<FxHashSet<String>>,
    /// Set by the first file that could not be written: the build has failed, and the files
    /// after it are not attempted (a full disk is one error, not one per file).
    failed: std::sync::atomic::AtomicBool,
    finished: bool,
    /// The output's lock, held until the staging is finished or abandoned.
    _lock: lock::Lock,
}

impl Staging {
    pub fn new(out: &Path) -> Result<Staging, WriteError> {
        let (parent, name) = beside(out);
        fs::create_dir_all(&parent).map_err(|e| WriteError::Io(parent.clone(), e))?;
        let lock = lock::lock(&parent, &name, out)?;
        lock::clear_debris(&parent, &name, out)?;
        let dir = parent.join(lock::new_name(&name));
        fs::create_dir(&dir).map_err(|e| WriteError::Io(dir.clone(), e))?;
        Ok(Staging {
            out: out.to_path_buf(),
            dir,
            made: Mutex::default(),
            failed: Default::default(),
            finished: false,
            _lock: lock,
        })
    }

    /// The output folder this build replaces.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Write one file now. Called from many threads at once.
    pub fn put(&self, f: &OutputFile) -> Result<(), WriteError> {
        self.guard(|| {
            let p = self.place(&f.path)?;
            fs::write(&p, &f.bytes).map_err(|e| WriteError::Io(p, e))
        })
    }

    /// Run one write unless an earlier one failed; the first failure is returned as it is,
    /// every later call gets `Abandoned`.
    fn guard<T>(&self, write: impl FnOnce() -> Result<T, WriteError>) -> Result<T, WriteError> {
        use std::sync::atomic::Ordering;
        if self.failed.load(Ordering::Relaxed) {
            return Err(WriteError::Abandoned);
        }
        write().map_err(|e| {
            if self.failed.swap(true, Ordering::Relaxed) {
                WriteError::Abandoned
            } else {
                e
            }
        })
    }

    /// Where `path` goes in the staging directory, with its parent directories created.
    fn place(&self, path: &str) -> Result<PathBuf, WriteError> {
        // Paths come from our own renderer, but never let one escape the output.
        if path.split('/').any(|c| c == ".." || c.is_empty()) || path.starts_with('/') {
            return Err(WriteError::Refused(format!("unsafe output path {path}")));
        }
        if let Some((dir, _)) = path.rsplit_once('/') {
            let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made.contains(dir) {
                let d = self.dir.join(dir);
                fs::create_dir_all(&d).map_err(|e| WriteError::Io(d, e))?;
                made.insert(dir.to_string());
            }
        }
        Ok(self.dir.join(path))
    }

    /// Make and write the deferred files (social cards from the build `cache` when it has
    /// them), then swap the staged site into place.
    pub fn finish(
        mut self,
        deferred: &[Deferred],
        cache: Option<&crate::cache::Cache>,
        progress: Option<&indicatif::ProgressBar>,
    ) -> Result<Written, WriteError> {
        use crate::cache::Kind;
        crate::progress::counted(progress, "social cards and downloads", deferred.len());
        let mut written = Written::default();
        let started = Instant::now();
        let results: Vec<Result<(), WriteError>> = deferred
            .par_iter()
            .map(|d| {
                self.guard(|| {
                    if let Some(p) = progress {
                        p.inc(1);
                    }
                    let p = self.place(&d.path)?;
                    let key = cache.zip(d.content_key());
                    if let Some(bytes) = key.and_then(|(c, k)| c.get(Kind::Card, k)) {
                        return fs::write(&p, &bytes).map_err(|e| WriteError::Io(p, e));
                    }
                    let made = d.draw().map_err(|e| WriteError::Make(e.to_string()))?;
                    fs::write(&p, &made.bytes).map_err(|e| WriteError::Io(p, e))?;
                    if let Some((c, k)) = key {
                        c.put(Kind::Card, k, &made.bytes);
                    }
                    Ok(())
                })
            })
            .collect();
        // The files are made in parallel: report the error that stopped the build, not an
        // `Abandoned` that happens to come before it in the list.
        let mut abandoned = false;
        for r in results {
            match r {
                Ok(()) => {}
                Err(WriteError::Abandoned) => abandoned = true,
                Err(e) => return Err(e),
            }
        }
        if abandoned {
            return Err(WriteError::Abandoned);
        }
        written.deferred = started.elapsed();

        let started = Instant::now();
        let m = self.dir.join(MARKER);
        fs::write(&m, format!("{MARKER_HEADER}\n")).map_err(|e| WriteError::Io(m, e))?;
        written.leftover = self.swap()?;
        written.swap = started.elapsed();
        Ok(written)
    }

    /// Exchange the old site and the new one (or move the old aside and the new in), then
    /// delete the old one; a message if it could not be deleted.
    fn swap(&mut self) -> Result<Option<String>, WriteError> {
        let (parent, name) = beside(&self.out);
        let had_old = fs::symlink_metadata(&self.out).is_ok();
        let io = |p: &Path| {
            let p = p.to_path_buf();
            move |e| WriteError::Io(p, e)
        };
        let old = if had_old && swap::exchange(&self.dir, &self.out).map_err(io(&self.out))? {
            self.dir.clone() // the staging folder's name now holds the old site
        } else if had_old {
            let old = parent.join(lock::old_name(&name));
            fs::rename(&self.out, &old).map_err(io(&self.out))?;
            if let Err(e) = fs::rename(&self.dir, &self.out) {
                let _ = fs::rename(&old, &self.out); // put the previous site back
                return Err(WriteError::Io(self.out.clone(), e));
            }
            old
        } else {
            fs::rename(&self.dir, &self.out).map_err(io(&self.out))?;
            self.finished = true;
            return Ok(None);
        };
        self.finished = true;
        Ok(swap::remove_all(&old).err().map(|e| {
            format!(
                "the new site is in place, but the previous one could not be deleted from {}: {e}; the next build deletes it, or delete it yourself",
                old.display()
            )
        }))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// The directory `out` is in, and its name.
fn beside(out: &Path) -> (PathBuf, String) {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    (parent, name)
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
