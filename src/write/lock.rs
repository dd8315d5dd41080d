//! One build at a time per output folder, and no debris from builds that were killed.
//!
//! A build writes into `.<name>.cifras-new-<pid>` beside the output and, on the two-rename
//! path, moves the old site to `.<name>.cifras-old-<pid>`. A killed build leaves these behind
//! (hundreds of megabytes on a large site). Holding the lock, a build knows no other build is
//! using them, so it deletes them first, after putting back an old site that a build killed
//! between its two renames left aside. The lock file itself is deleted when the build ends.

use std::fs;
use std::path::{Path, PathBuf};

use super::{swap, WriteError, MARKER};

/// The names beside the output that belong to cifras.
pub(super) fn lock_name(name: &str) -> String {
    format!(".{name}.cifras-lock")
}

pub(super) fn new_name(name: &str) -> String {
    format!(".{name}.cifras-new-{}", std::process::id())
}

pub(super) fn old_name(name: &str) -> String {
    format!(".{name}.cifras-old-{}", std::process::id())
}

/// The output's lock: a file beside it, locked while a build writes, deleted when it ends.
pub(super) struct Lock {
    path: PathBuf,
    _file: fs::File,
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Deleted while still locked; a build that opened it meanwhile sees that it is stale.
        let _ = fs::remove_file(&self.path);
    }
}

/// Take the output's lock. The system releases it when the process ends, however it ends, so
/// a killed build never blocks the next one.
pub(super) fn lock(parent: &Path, name: &str, out: &Path) -> Result<Lock, WriteError> {
    let path = parent.join(lock_name(name));
    let busy = || {
        WriteError::Refused(format!(
            "another cifras build is writing {} right now; wait for it to finish, or build into another folder",
            out.display()
        ))
    };
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| WriteError::Io(path.clone(), e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => return Err(busy()),
        Err(fs::TryLockError::Error(e)) => return Err(WriteError::Io(path, e)),
    }
    // The file locked must still be the one at `path`: a build that just finished deletes it,
    // and a third build may already have made and locked a new one.
    if !same_file(&file, &path) {
        return Err(busy());
    }
    Ok(Lock { path, _file: file })
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_: &fs::File, path: &Path) -> bool {
    path.is_file()
}

/// Delete what killed builds left beside `out` (called holding the lock). If `out` is missing
/// and a killed build had moved a complete old site aside, that site is put back first.
pub(super) fn clear_debris(parent: &Path, name: &str, out: &Path) -> Result<(), WriteError> {
    let new_prefix = format!(".{name}.cifras-new-");
    let old_prefix = format!(".{name}.cifras-old-");
    let entries = fs::read_dir(parent).map_err(|e| WriteError::Io(parent.to_path_buf(), e))?;
    let mut debris: Vec<PathBuf> = Vec::new();
    for entry in entries.flatten() {
        let n = entry.file_name().to_string_lossy().into_owned();
        let pid = n
            .strip_prefix(&new_prefix)
            .or_else(|| n.strip_prefix(&old_prefix));
        if pid.is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
            debris.push(entry.path());
        }
    }
    debris.sort();
    if fs::symlink_metadata(out).is_err() {
        let aside = debris.iter().position(|d| {
            let n = d.file_name().map(|n| n.to_string_lossy().into_owned());
            n.is_some_and(|n| n.starts_with(&old_prefix)) && d.join(MARKER).is_file()
        });
        if let Some(i) = aside {
            let old = debris.remove(i);
            fs::rename(&old, out).map_err(|e| WriteError::Io(old, e))?;
        }
    }
    for d in debris {
        swap::remove_all(&d).map_err(|e| WriteError::Io(d.clone(), e))?;
    }
    Ok(())
}
