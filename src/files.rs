//! Reading the project's files: content, templates and static files must be regular files
//! inside the project. A symbolic link is refused, never followed, wherever it is: a link in
//! `content/` to `/proc/self/environ` or `~/.ssh/id_rsa` would otherwise be read, quoted in
//! error messages (CI logs) or even published. A refused file is never read, so no message can
//! quote it.
//!
//! The folders are checked with `symlink_metadata`, and each file is opened with `O_NOFOLLOW`
//! (on Unix), so a link is refused by the system call itself, even one swapped in after the
//! folder was listed.

use std::fs;
use std::io::{self, Read};
use std::path::Path;

/// Why a project file or folder was not read. The message never includes the file's content.
#[derive(Debug)]
pub enum Refused {
    Missing,
    Link,
    NotFile,
    NotDir,
    TooLarge(u64, u64),
    NotText,
    Io(io::Error),
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refused::Missing => write!(f, "not found"),
            Refused::Link => write!(
                f,
                "is a symbolic link; cifras reads only regular files inside the project, never what a link points to"
            ),
            Refused::NotFile => write!(f, "is not a regular file"),
            Refused::NotDir => write!(f, "is not a folder"),
            Refused::TooLarge(size, limit) => {
                write!(f, "file is too large ({size} bytes; the limit is {limit})")
            }
            Refused::NotText => write!(f, "is not UTF-8 text"),
            Refused::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

/// What is at `path`, without following a link there.
pub fn kind(path: &Path) -> Result<fs::FileType, Refused> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(Refused::Link),
        Ok(m) => Ok(m.file_type()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(Refused::Missing),
        Err(e) => Err(Refused::Io(e)),
    }
}

/// Whether `path` is a real folder (not a link to one). `Ok(false)` when it does not exist.
pub fn dir_exists(path: &Path) -> Result<bool, Refused> {
    match kind(path) {
        Ok(t) if t.is_dir() => Ok(true),
        Ok(_) => Err(Refused::NotDir),
        Err(Refused::Missing) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Whether `path` is a real file (not a link to one). `Ok(false)` when it does not exist.
pub fn file_exists(path: &Path) -> Result<bool, Refused> {
    match kind(path) {
        Ok(t) if t.is_file() => Ok(true),
        Ok(_) => Err(Refused::NotFile),
        Err(Refused::Missing) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The bytes of the regular file at `path`, at most `limit` of them; a link is refused.
///
/// On Unix the file is checked once, by the open itself: `O_NOFOLLOW` refuses a link, and the
/// open file's own metadata refuses anything but a regular file. Elsewhere the path is looked
/// at first (without following a link), then opened.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    #[cfg(not(unix))]
    if !file_exists(path)? {
        return Err(Refused::Missing);
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK: a FIFO opens at once (and is refused below) instead of waiting for a writer.
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| {
        #[cfg(unix)]
        match e.raw_os_error() {
            Some(libc::ELOOP) => return Refused::Link,
            Some(libc::ENXIO) => return Refused::NotFile, // a socket
            _ => {}
        }
        match e.kind() {
            io::ErrorKind::NotFound => Refused::Missing,
            _ => Refused::Io(e),
        }
    })?;
    let meta = file.metadata().map_err(Refused::Io)?;
    if !meta.is_file() {
        return Err(Refused::NotFile); // a folder, FIFO or device (or swapped for one)
    }
    if meta.len() > limit {
        return Err(Refused::TooLarge(meta.len(), limit));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // A file that grows while it is read is cut at the limit and refused.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Refused::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

/// The largest template or static file read (fonts and images included).
pub const MAX_PROJECT_FILE: u64 = 32 * 1024 * 1024;

/// Every file under `<root>/<folder>` (`templates`, `static`) whose name is `wanted`, by path
/// relative to it with `/` separators, sorted, each read or refused; other regular files are
/// passed over unread. A link anywhere (the folder itself, a subfolder, a file, wanted or not)
/// is refused and not followed. Nothing when the folder does not exist.
pub fn project_files(
    root: &Path,
    folder: &str,
    wanted: impl Fn(&str) -> bool,
) -> Vec<(String, Result<Vec<u8>, Refused>)> {
    let dir = root.join(folder);
    match dir_exists(&dir) {
        Ok(true) => {}
        Ok(false) => return Vec::new(),
        Err(e) => return vec![(String::new(), Err(e))],
    }
    let mut out = Vec::new();
    // walkdir does not follow links (below the root, checked above): a link is listed as one.
    for entry in walkdir::WalkDir::new(&dir).min_depth(1).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let at = e.path().unwrap_or(&dir);
                let name = slashed(at.strip_prefix(&dir).unwrap_or(at));
                let io = e
                    .into_io_error()
                    .unwrap_or_else(|| io::Error::other("loop"));
                out.push((name, Err(Refused::Io(io))));
                continue;
            }
        };
        let name = slashed(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
        let t = entry.file_type();
        if t.is_symlink() {
            out.push((name, Err(Refused::Link)));
        } else if t.is_file() {
            if wanted(&name) {
                out.push((name, read(entry.path(), MAX_PROJECT_FILE)));
            }
        } else if !t.is_dir() {
            out.push((name, Err(Refused::NotFile)));
        }
    }
    out
}

fn slashed(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_are_refused_and_never_read() {
        let tmp = tempfile::tempdir().unwrap();
        let secret = tmp.path().join("secret");
        fs::write(&secret, "TOKEN=hunter2").unwrap();
        let link = tmp.path().join("site.yaml");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        let err = read(&link, 1 << 20).unwrap_err();
        assert!(matches!(err, Refused::Link), "{err}");
        assert!(!err.to_string().contains("hunter2"));
        assert!(matches!(file_exists(&link), Err(Refused::Link)));
        let dir_link = tmp.path().join("content");
        std::os::unix::fs::symlink(tmp.path(), &dir_link).unwrap();
        assert!(matches!(dir_exists(&dir_link), Err(Refused::Link)));
        assert_eq!(read(&secret, 1 << 20).unwrap(), b"TOKEN=hunter2");
        assert!(matches!(read(&secret, 4), Err(Refused::TooLarge(13, 4))));
        assert!(matches!(
            read(&tmp.path().join("nada"), 4),
            Err(Refused::Missing)
        ));
        assert!(matches!(read(tmp.path(), 4), Err(Refused::NotFile)));
        let fifo = tmp.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(read(&fifo, 4), Err(Refused::NotFile)));
    }
}
