//! Putting the new site in the old one's place. On Linux both folders are exchanged in one
//! system call (`renameat2` with `RENAME_EXCHANGE`): at every instant `out` is a whole site, the
//! old or the new. Elsewhere, or on a file system without it, two renames: the old site moves
//! aside, the new one moves in; a build killed between the two leaves the old site aside, and
//! the next build puts it back (`lock::clear_debris`) before anything else.

use std::fs;
use std::io;
use std::path::Path;

/// Exchange `new` and `out` (both existing folders): afterwards `out` holds the new site and
/// `new` the old one. `Ok(false)` when the system cannot exchange (then nothing moved).
#[cfg(target_os = "linux")]
pub fn exchange(new: &Path, out: &Path) -> io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "NUL in a path"))
    };
    let (from, to) = (c(new)?, c(out)?);
    // SAFETY: both are valid NUL-terminated paths, alive for the call; no memory is shared.
    let done = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        return Ok(true);
    }
    let e = io::Error::last_os_error();
    // Not supported by this kernel or file system: fall back to two renames.
    match e.raw_os_error() {
        Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP) => Ok(false),
        _ => Err(e),
    }
}

/// Elsewhere there is no exchange: always the two renames.
#[cfg(not(target_os = "linux"))]
pub fn exchange(_new: &Path, _out: &Path) -> io::Result<bool> {
    Ok(false)
}

/// Delete a previous site completely, even one whose folders were made read-only (a
/// read-only folder's entries cannot be deleted until it is writable again).
pub fn remove_all(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Ok(()) => return Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(_) => {}
    }
    make_writable(dir);
    fs::remove_dir_all(dir)
}

/// Give every folder under `dir` (not following links) its owner's write permission.
fn make_writable(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_dir() {
            if let Ok(m) = entry.metadata() {
                let mut p = m.permissions();
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    p.set_mode(p.mode() | 0o700);
                }
                #[cfg(not(unix))]
                #[allow(clippy::permissions_set_readonly_false)]
                p.set_readonly(false);
                let _ = fs::set_permissions(entry.path(), p);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_two_folders_or_says_it_cannot() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(a.join("new"), "").unwrap();
        fs::write(b.join("old"), "").unwrap();
        if exchange(&a, &b).unwrap() {
            assert!(b.join("new").exists() && a.join("old").exists());
        } else {
            // Nothing moved: the caller falls back to two renames.
            assert!(a.join("new").exists() && b.join("old").exists());
            eprintln!("RENAME_EXCHANGE is not supported here; the fallback was used");
        }
        assert!(exchange(&a, &tmp.path().join("missing")).is_err());
    }
}
