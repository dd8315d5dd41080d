//! Rebuild on every change in the project's inputs and tell open pages.
//!
//! The input folders are watched recursively, and the project root on its own (not
//! recursively): a folder that is deleted loses its watch, and when it comes back (an editor or
//! `git checkout` replacing `content/`) the root's event says so and the folder is watched again
//! before the rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver};
use std::sync::Arc;
use std::time::Duration;

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::{build, reload, Shared};
use crate::memo::Memo;
use crate::Options;

/// The folders whose changes make a rebuild.
const INPUTS: [&str; 3] = ["content", "templates", "static"];

/// How long the inputs must stay quiet before a rebuild: an editor's save (write, rename,
/// chmod) arrives as a burst of events, and one rebuild should cover it.
const QUIET: Duration = Duration::from_millis(15);

/// Start watching and rebuilding, on a thread of its own that lives as long as the process.
pub(super) fn watch(
    root: &Path,
    options: Options,
    memo: Arc<Memo>,
    shared: Arc<Shared>,
) -> Result<(), String> {
    let (tx, rx) = channel::<PathBuf>();
    let top = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        // Reading a file is an event too (inotify's open/close): the rebuild's own reads
        // must not trigger the next rebuild.
        let Ok(e) = event else { return };
        if matches!(e.kind, EventKind::Access(_)) {
            return;
        }
        for p in e.paths {
            // From the root's own watch, only the input folders matter (not `public/`, nor
            // a build's staging folders).
            let beside = p.parent() == Some(top.as_path()) || p == top;
            if !beside || INPUTS.iter().any(|d| p == top.join(d)) {
                let _ = tx.send(p);
            }
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    watcher
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    for dir in INPUTS {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    let root = root.to_path_buf();
    std::thread::Builder::new()
        .name("cifras-watch".into())
        .spawn(move || rebuild_on_changes(&root, watcher, rx, &options, &memo, &shared))
        .map_err(|e| format!("cannot watch files: {e}"))?;
    Ok(())
}

fn rebuild_on_changes(
    root: &Path,
    mut watcher: RecommendedWatcher,
    rx: Receiver<PathBuf>,
    options: &Options,
    memo: &Memo,
    shared: &Shared,
) {
    let templates = root.join("templates");
    while let Ok(first) = rx.recv() {
        // Everything until the inputs go quiet, including what arrived during the last
        // rebuild, is one change.
        let mut changed = vec![first];
        while let Ok(more) = rx.recv_timeout(QUIET) {
            changed.push(more);
        }
        for dir in INPUTS {
            let path = root.join(dir);
            if changed.contains(&path) {
                rearm(&mut watcher, &path);
            }
        }
        if changed.iter().any(|p| p.starts_with(&templates)) {
            memo.forget_pages();
        }
        let (event, data) = match build(root, options, memo) {
            Ok(built) => {
                shared.install(built);
                ("reload", String::new())
            }
            Err(problems) => {
                shared.fail(&problems);
                ("problems", problems)
            }
        };
        shared.clients.send(&reload::sse(event, &data));
    }
}

/// An input folder appeared, vanished or was replaced: watch what is there now. Watching a
/// folder again is harmless; one that is gone has lost its watch already.
fn rearm(watcher: &mut RecommendedWatcher, path: &Path) {
    let _ = watcher.unwatch(path);
    if path.is_dir() {
        if let Err(e) = watcher.watch(path, RecursiveMode::Recursive) {
            crate::tell!("cannot watch {}: {e}", path.display());
        }
    }
}
