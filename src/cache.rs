//! The build cache: work kept on disk between builds (`--cache-dir`, default `.cifras-cache/`
//! in the project), so a build redoes only what changed since the last one. It keeps what costs
//! the most to make and depends only on the content: social cards (PNG), chart drawings (SVG)
//! and the search index.
//!
//! Each entry is stored under a hash of everything it is made from (the caller's key) and is
//! trusted only if it is exactly what was stored: the `index` file lists every entry with its
//! size and checksum, and names the executable that wrote them, so an entry from another
//! version, or one that is missing, truncated, corrupt or half-written, is made again, never
//! used. Writes go to a temporary name and are renamed into place. When a build succeeds,
//! `finish` writes the new index and removes every entry that build did not use, so the cache
//! holds one build's worth and no more.
//!
//! The cache changes how fast a build is, never what it writes: a build with it is
//! byte-identical to one without (tests/cache.rs).

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use rustc_hash::FxHashMap;

/// What the cache keeps, each in a folder of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A social card, as PNG.
    Card,
    /// A chart's wide and narrow SVG.
    Svg,
    /// The whole search index.
    Search,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Card, Kind::Svg, Kind::Search];

    fn dir(self) -> &'static str {
        match self {
            Kind::Card => "cards",
            Kind::Svg => "svg",
            Kind::Search => "search",
        }
    }

    fn from_dir(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.dir() == s)
    }
}

/// The first line of `index`; the executable's hash follows it.
const HEADER: &str = "cifras-cache 1";
/// The largest entry read back (a search index of a very large site stays below it).
const MAX_ENTRY: u64 = 1 << 30;

/// How many entries of a kind were used and made in one build.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub hits: usize,
    pub made: usize,
}

pub struct Cache {
    dir: PathBuf,
    /// The executable that wrote the entries: another one may draw differently.
    version: u64,
    /// The entries the previous build left: (kind, key) -> (size, checksum).
    old: FxHashMap<(Kind, u64), (u64, u64)>,
    /// The entries this build used or made.
    used: Mutex<FxHashMap<(Kind, u64), (u64, u64)>>,
    hits: [AtomicUsize; 3],
    made: [AtomicUsize; 3],
    /// Why a write failed, kept once: the build goes on without caching.
    failed: Mutex<Option<String>>,
}

impl Cache {
    /// The cache in `dir`, made if missing. `version` names the program (`program_version`).
    pub fn open(dir: &Path, version: u64) -> Result<Cache, String> {
        let refuse = |e: io::Error| format!("cannot use the build cache {}: {e}", dir.display());
        if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(format!(
                "the build cache {} is a symbolic link; give a real folder with --cache-dir, or build with --no-cache",
                dir.display()
            ));
        }
        for kind in Kind::ALL {
            fs::create_dir_all(dir.join(kind.dir())).map_err(refuse)?;
        }
        let tag = dir.join("CACHEDIR.TAG");
        if !tag.exists() {
            // The standard marker backup tools skip; and git ignores the folder by itself.
            fs::write(
                &tag,
                "Signature: 8a477f597d28d172789f06886806bc55\n# The build cache of cifras (see README, \"Build cache\"). Safe to delete.\n",
            )
            .map_err(refuse)?;
            fs::write(dir.join(".gitignore"), "*\n").map_err(refuse)?;
        }
        let old = read_index(dir, version);
        Ok(Cache {
            dir: dir.to_path_buf(),
            version,
            old,
            used: Mutex::default(),
            hits: Default::default(),
            made: Default::default(),
            failed: Mutex::default(),
        })
    }

    fn path(&self, kind: Kind, key: u64) -> PathBuf {
        self.dir.join(kind.dir()).join(format!("{key:016x}"))
    }

    /// The entry under `key`, if the previous build left it intact.
    pub fn get(&self, kind: Kind, key: u64) -> Option<Vec<u8>> {
        let &(size, sum) = self.old.get(&(kind, key))?;
        let bytes = crate::files::read(&self.path(kind, key), MAX_ENTRY).ok()?;
        if bytes.len() as u64 != size || checksum(&bytes) != sum {
            return None;
        }
        self.lock_used().insert((kind, key), (size, sum));
        self.hits[kind as usize].fetch_add(1, Ordering::Relaxed);
        Some(bytes)
    }

    /// Keep `bytes` under `key`. A failure (a full disk, a read-only folder) is remembered for
    /// `warning`, and the build goes on: the cache only ever saves time.
    pub fn put(&self, kind: Kind, key: u64, bytes: &[u8]) {
        self.made[kind as usize].fetch_add(1, Ordering::Relaxed);
        let path = self.path(kind, key);
        // Unique per thread and entry, so parallel writers never share a temporary file.
        let tmp = path.with_extension(format!(
            "tmp-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        // The kinds' folders were made by `open`.
        let written = fs::write(&tmp, bytes).and_then(|()| fs::rename(&tmp, &path));
        match written {
            Ok(()) => {
                let entry = (bytes.len() as u64, checksum(bytes));
                self.lock_used().insert((kind, key), entry);
            }
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                let mut failed = self.failed.lock().unwrap_or_else(|e| e.into_inner());
                failed.get_or_insert_with(|| format!("{}: {e}", path.display()));
            }
        }
    }

    /// The entry under `key`, else `make()`'s, kept for the next build.
    pub fn get_or<E>(
        &self,
        kind: Kind,
        key: u64,
        make: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Vec<u8>, E> {
        if let Some(bytes) = self.get(kind, key) {
            return Ok(bytes);
        }
        let bytes = make()?;
        self.put(kind, key, &bytes);
        Ok(bytes)
    }

    pub fn counts(&self, kind: Kind) -> Counts {
        Counts {
            hits: self.hits[kind as usize].load(Ordering::Relaxed),
            made: self.made[kind as usize].load(Ordering::Relaxed),
        }
    }

    /// After a successful build: write the index of what it used and remove everything else.
    /// A warning to show if the cache could not be written (the site is fine either way).
    pub fn finish(self) -> Option<String> {
        let used = self.used.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut lines: Vec<String> = used
            .iter()
            .map(|((kind, key), (size, sum))| {
                format!("{} {key:016x} {size} {sum:016x}", kind.dir())
            })
            .collect();
        lines.sort();
        let index = format!("{HEADER} {:016x}\n{}\n", self.version, lines.join("\n"));
        let tmp = self.dir.join("index.tmp");
        let written =
            fs::write(&tmp, index).and_then(|()| fs::rename(&tmp, self.dir.join("index")));
        let mut failed = self.failed.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Err(e) = written {
            failed.get_or_insert_with(|| format!("{}: {e}", self.dir.join("index").display()));
        }
        collect(&self.dir, &used);
        failed.map(|why| {
            format!("the build cache could not be written ({why}); the site is complete, the next build will just take longer")
        })
    }
}

impl Cache {
    fn lock_used(&self) -> std::sync::MutexGuard<'_, FxHashMap<(Kind, u64), (u64, u64)>> {
        self.used.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// The entries listed by `dir/index`, if the same executable wrote it; else none.
fn read_index(dir: &Path, version: u64) -> FxHashMap<(Kind, u64), (u64, u64)> {
    let Ok(bytes) = crate::files::read(&dir.join("index"), MAX_ENTRY) else {
        return FxHashMap::default();
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines();
    if lines.next() != Some(&format!("{HEADER} {version:016x}")) {
        return FxHashMap::default();
    }
    let hex = |s: Option<&str>| u64::from_str_radix(s?, 16).ok();
    lines
        .filter_map(|line| {
            let mut f = line.split(' ');
            let kind = Kind::from_dir(f.next()?)?;
            let key = hex(f.next())?;
            let size = f.next()?.parse().ok()?;
            let sum = hex(f.next())?;
            Some(((kind, key), (size, sum)))
        })
        .collect()
}

/// Remove every file of the cache's folders that `keep` does not list (entries of older
/// builds, other versions, temporary files of killed builds).
fn collect(dir: &Path, keep: &FxHashMap<(Kind, u64), (u64, u64)>) {
    for kind in Kind::ALL {
        let Ok(entries) = fs::read_dir(dir.join(kind.dir())) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let kept = name
                .to_str()
                // exactly 16 hex digits, so `00ff` and `ff` are never one entry twice
                .filter(|n| n.len() == 16)
                .and_then(|n| u64::from_str_radix(n, 16).ok())
                .is_some_and(|key| keep.contains_key(&(kind, key)));
            if !kept {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Several byte strings as one entry, and back: (length as 8 bytes LE, bytes) each.
pub fn pack<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut out = Vec::new();
    for p in parts {
        out.extend_from_slice(&(p.len() as u64).to_le_bytes());
        out.extend_from_slice(p);
    }
    out
}

/// The parts of a `pack`ed entry; `None` if it is not one (the checksum makes that unlikely).
pub fn unpack(mut bytes: &[u8]) -> Option<Vec<&[u8]>> {
    let mut parts = Vec::new();
    while !bytes.is_empty() {
        let (len, rest) = bytes.split_at_checked(8)?;
        let len = usize::try_from(u64::from_le_bytes(len.try_into().ok()?)).ok()?;
        let (part, rest) = rest.split_at_checked(len)?;
        parts.push(part);
        bytes = rest;
    }
    Some(parts)
}

/// A hash of the running executable: the build cache trusts only entries the same program made
/// (a new version may draw differently). Read once per process (12 MB; measured 15–18 ms).
/// `None` if the executable cannot be read: then no cache is used.
pub fn program_version() -> Option<u64> {
    use std::hash::{Hash, Hasher};
    static KEY: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    *KEY.get_or_init(|| {
        let bytes = std::env::current_exe().and_then(fs::read).ok()?;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut h);
        Some(h.finish())
    })
}

/// The cache's folder when none is given: inside the project, beside `content/`.
pub fn default_dir(root: &Path) -> PathBuf {
    root.join(".cifras-cache")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_survive_one_build_and_damaged_ones_are_not_used() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("c");
        let c = Cache::open(&dir, 1).unwrap();
        c.put(Kind::Card, 1, b"one");
        c.put(Kind::Card, 2, b"two");
        c.put(Kind::Svg, 3, b"three");
        assert_eq!(c.finish(), None);

        let c = Cache::open(&dir, 1).unwrap();
        assert_eq!(c.get(Kind::Card, 1).as_deref(), Some(&b"one"[..]));
        assert_eq!(c.get(Kind::Svg, 1), None, "kinds do not share keys");
        // Corrupted, same length: the checksum refuses it.
        fs::write(dir.join("cards/0000000000000002"), b"twO").unwrap();
        assert_eq!(c.get(Kind::Card, 2), None);
        // Truncated.
        fs::write(dir.join("svg/0000000000000003"), b"thr").unwrap();
        assert_eq!(c.get(Kind::Svg, 3), None);
        assert_eq!(c.counts(Kind::Card), Counts { hits: 1, made: 0 });
        c.finish();
        // Only what the last build used is left.
        let left: Vec<_> = fs::read_dir(dir.join("cards")).unwrap().flatten().collect();
        assert_eq!(left.len(), 1);
        assert!(!dir.join("svg/0000000000000003").exists());

        // Another version of the program: nothing is trusted, everything goes.
        let c = Cache::open(&dir, 2).unwrap();
        assert_eq!(c.get(Kind::Card, 1), None);
        c.finish();
        assert_eq!(fs::read_dir(dir.join("cards")).unwrap().count(), 0);
    }

    #[test]
    fn an_entry_written_but_not_indexed_is_not_trusted() {
        // A build killed after writing an entry and before `finish`: the entry is not listed.
        let tmp = tempfile::tempdir().unwrap();
        let c = Cache::open(tmp.path(), 1).unwrap();
        c.put(Kind::Search, 9, b"half");
        drop(c);
        let c = Cache::open(tmp.path(), 1).unwrap();
        assert_eq!(c.get(Kind::Search, 9), None);
    }

    #[test]
    fn packs_and_unpacks() {
        let packed = pack([&b"ab"[..], b"", b"cde"]);
        assert_eq!(unpack(&packed).unwrap(), vec![&b"ab"[..], b"", b"cde"]);
        assert_eq!(unpack(&packed[..packed.len() - 1]), None);
    }

    #[test]
    fn a_link_is_not_used_as_the_cache() {
        let tmp = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(tmp.path(), tmp.path().join("l")).unwrap();
        assert!(Cache::open(&tmp.path().join("l"), 1)
            .err()
            .unwrap()
            .contains("symbolic link"));
    }
}
