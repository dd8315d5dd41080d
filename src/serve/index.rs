//! The preview's search index (`<prefix>pagefind/…`), rebuilt in the background after every
//! good build so that a rebuild's reload never waits for Pagefind (seconds on a large site).
//!
//! One indexing thread takes the newest records and drops older ones still waiting; each result
//! carries its build's generation and never replaces a newer one. Pagefind runs on its own
//! current-thread runtime with `block_on` (`crate::search::index`), which must not be called
//! from inside the server's runtime: hence a plain thread.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use hyper::body::Bytes;
use tokio::sync::watch;

use crate::search::records::Record;

/// The newest finished index.
#[derive(Default)]
pub(super) struct Snapshot {
    /// The build it was made from (0: none yet).
    generation: u64,
    /// Site path (`pagefind/…`, as `search::index` names it) -> file; `None` until the first
    /// index is finished.
    files: Option<HashMap<String, Bytes>>,
    /// Why the first index could not be made (requests stop waiting for it).
    failed: Option<String>,
}

pub(super) struct SearchIndex {
    newest: watch::Sender<Arc<Snapshot>>,
    /// Records waiting to be indexed: only the newest build's are kept.
    pending: Mutex<Option<(u64, Vec<Record>)>>,
    wake: Condvar,
}

/// What a request under `pagefind/` gets.
pub(super) enum Lookup {
    Found(Bytes),
    Missing,
    /// No index yet (the first one is still being made, or it failed): try again later.
    NotReady(String),
}

impl SearchIndex {
    fn new() -> Self {
        SearchIndex {
            newest: watch::Sender::new(Arc::new(Snapshot::default())),
            pending: Mutex::new(None),
            wake: Condvar::new(),
        }
    }

    /// Start the indexing thread.
    pub(super) fn start() -> Result<Arc<Self>, String> {
        let index = Arc::new(SearchIndex::new());
        let worker = index.clone();
        std::thread::Builder::new()
            .name("cifras-search-index".into())
            .spawn(move || worker.run())
            .map_err(|e| format!("cannot start the search indexer: {e}"))?;
        Ok(index)
    }

    /// Index these records (of build `generation`) when the thread is free.
    pub(super) fn submit(&self, generation: u64, records: Vec<Record>) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        if pending.as_ref().is_none_or(|(g, _)| *g < generation) {
            *pending = Some((generation, records));
        }
        self.wake.notify_one();
    }

    fn run(&self) {
        loop {
            let (generation, records) = {
                let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
                loop {
                    if let Some(job) = pending.take() {
                        break job;
                    }
                    pending = self.wake.wait(pending).unwrap_or_else(|e| e.into_inner());
                }
            };
            let result = crate::search::index(&records);
            if let Err(e) = &result {
                crate::tell!("search index: {e}");
            }
            self.publish(generation, result);
        }
    }

    /// Keep a finished index unless a newer one is already served.
    fn publish(&self, generation: u64, result: Result<Vec<crate::render::OutputFile>, String>) {
        self.newest.send_if_modified(|current| {
            if generation <= current.generation {
                return false;
            }
            let next = match result {
                Ok(files) => Snapshot {
                    generation,
                    files: Some(
                        files
                            .into_iter()
                            .map(|f| (f.path, Bytes::from_owner(f.bytes)))
                            .collect(),
                    ),
                    failed: None,
                },
                // A failed index keeps the last good one, if any.
                Err(e) => Snapshot {
                    generation,
                    files: current.files.clone(),
                    failed: Some(e),
                },
            };
            *current = Arc::new(next);
            true
        });
    }

    /// The file at `path` (`pagefind/…`) of the newest index. Before the first index is
    /// ready this waits for it, up to `wait`: the search page asks for `pagefind.js` as soon as
    /// it opens, and a short wait makes the first search just work, where a 503 would leave the
    /// page without search until the reader reloads it. Past `wait` (a very large site) the
    /// caller answers 503 with Retry-After.
    pub(super) async fn get(&self, path: &str, wait: Duration) -> Lookup {
        let mut rx = self.newest.subscribe();
        let ready = tokio::time::timeout(
            wait,
            rx.wait_for(|s| s.files.is_some() || s.failed.is_some()),
        )
        .await;
        let snapshot = match ready {
            Ok(Ok(s)) => Arc::clone(&s),
            _ => return Lookup::NotReady("the search index is still being built".into()),
        };
        match (&snapshot.files, &snapshot.failed) {
            (Some(files), _) => files
                .get(path)
                .map_or(Lookup::Missing, |b| Lookup::Found(b.clone())),
            (None, Some(e)) => Lookup::NotReady(format!("the search index failed: {e}")),
            (None, None) => Lookup::NotReady("the search index is still being built".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::OutputFile;

    fn file(path: &str, body: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: body.as_bytes().into(),
        }
    }

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
    }

    fn found(index: &SearchIndex, path: &str) -> Option<Bytes> {
        match runtime().block_on(index.get(path, Duration::from_millis(50))) {
            Lookup::Found(b) => Some(b),
            Lookup::Missing => None,
            Lookup::NotReady(why) => panic!("{why}"),
        }
    }

    #[test]
    fn an_older_index_never_replaces_a_newer_one() {
        let index = SearchIndex::new();
        index.publish(2, Ok(vec![file("pagefind/pagefind.js", "two")]));
        index.publish(1, Ok(vec![file("pagefind/pagefind.js", "one")]));
        assert_eq!(
            found(&index, "pagefind/pagefind.js").as_deref(),
            Some(&b"two"[..])
        );
        index.publish(3, Ok(vec![file("pagefind/pagefind.js", "three")]));
        assert_eq!(
            found(&index, "pagefind/pagefind.js").as_deref(),
            Some(&b"three"[..])
        );
        assert_eq!(found(&index, "pagefind/other.js"), None);
        // A failed index keeps serving the last good one.
        index.publish(4, Err("disk".into()));
        assert_eq!(
            found(&index, "pagefind/pagefind.js").as_deref(),
            Some(&b"three"[..])
        );
    }

    #[test]
    fn before_the_first_index_requests_wait_then_are_told_to_retry() {
        let index = SearchIndex::new();
        let started = std::time::Instant::now();
        let got = runtime().block_on(index.get("pagefind/pagefind.js", Duration::from_millis(200)));
        assert!(matches!(got, Lookup::NotReady(_)));
        assert!(started.elapsed() >= Duration::from_millis(200));
    }

    #[test]
    fn only_the_newest_waiting_records_are_kept() {
        let index = SearchIndex::new();
        index.submit(5, Vec::new());
        index.submit(4, Vec::new());
        assert_eq!(index.pending.lock().unwrap().as_ref().map(|j| j.0), Some(5));
        index.submit(6, Vec::new());
        assert_eq!(index.pending.lock().unwrap().as_ref().map(|j| j.0), Some(6));
    }
}
