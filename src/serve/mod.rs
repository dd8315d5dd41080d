//! `cifras serve`: a local preview. The site is built in memory and served over HTTP on
//! loopback (another address only when asked, with a warning), under the sub-path of
//! `base_url` exactly as GitHub Pages will serve it. `content/`, `templates/` and `static/` are
//! watched; a change rebuilds the site and reloads open pages through server-sent events. A
//! broken edit keeps the last good site and shows its diagnostics in an overlay until the file
//! is fixed. The search index is rebuilt in the background after every good build.
//!
//! - `http.rs`: listener, connections (hyper), routing, content types;
//! - `watch.rs`: the file watcher and rebuilds;
//! - `reload.rs`: the event streams of open pages and the script that listens to them;
//! - `index.rs`: the search index, made off the rebuild's path;
//! - `write_timeout.rs`: connections whose client stopped reading are closed.

mod http;
mod index;
mod reload;
mod watch;
mod write_timeout;

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

use hyper::body::Bytes;

use crate::memo::Memo;
use crate::render::Deferred;
use crate::search::records::Record;
use crate::Options;

pub struct ServeOptions {
    pub bind: IpAddr,
    /// `None`: the first free port from 1111 on.
    pub port: Option<u16>,
    pub options: Options,
}

/// What one client may hold of the server, and how long it may take.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A client must send a request's headers within this time (slowloris); an idle
    /// keep-alive connection is closed after it too.
    pub header_timeout: Duration,
    /// A write that makes no progress for this long (the client stopped reading) closes the
    /// connection.
    pub write_timeout: Duration,
    /// Open connections at most (open pages' event streams included); more wait in the listen
    /// queue until one closes.
    pub max_connections: usize,
    /// The pause after a failed `accept` (too many open files) before trying again.
    pub accept_backoff: Duration,
    /// How long a request for the search index waits for the first index.
    pub index_wait: Duration,
}

/// `header_timeout`.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// `write_timeout`.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// The most connections, whatever the file limit.
pub const MAX_CONNECTIONS: usize = 512;
/// `accept_backoff`.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// `index_wait`.
pub const INDEX_WAIT: Duration = Duration::from_secs(10);

impl Default for Limits {
    /// Connections may use half the process's file limit: the other half stays for the
    /// rebuilds (reading the content), the watcher and the search indexer.
    fn default() -> Self {
        Limits {
            header_timeout: HEADER_TIMEOUT,
            write_timeout: WRITE_TIMEOUT,
            max_connections: open_files_limit().map_or(256, |n| (n / 2).clamp(8, MAX_CONNECTIONS)),
            accept_backoff: ACCEPT_BACKOFF,
            index_wait: INDEX_WAIT,
        }
    }
}

impl Limits {
    /// The defaults, or for tests `CIFRAS_SERVE_HEADER_TIMEOUT_MS` and
    /// `CIFRAS_SERVE_MAX_CONNECTIONS` (a test cannot wait ten seconds per slow client, and a
    /// cap above the file limit is how a test makes `accept` fail).
    pub fn from_env() -> Self {
        let mut limits = Limits::default();
        let var = |name| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
        if let Some(ms) = var("CIFRAS_SERVE_HEADER_TIMEOUT_MS") {
            limits.header_timeout = Duration::from_millis(ms.max(1));
        }
        if let Some(n) = var("CIFRAS_SERVE_MAX_CONNECTIONS") {
            limits.max_connections = (n as usize).max(1);
        }
        limits
    }
}

/// The soft limit on open files (Linux), from `/proc/self/limits`.
fn open_files_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..]
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// The site as last built, and the problem of the last build if it failed.
#[derive(Default)]
struct State {
    files: HashMap<String, Arc<[u8]>>,
    /// PNGs (social cards) and data downloads are made when first requested, not on every
    /// rebuild: they are most of a build's work and a preview rarely asks for them.
    deferred: HashMap<String, Deferred>,
    /// The deferred files made so far, for this build only (a new build gets a new map).
    drawn: Arc<Mutex<HashMap<String, Bytes>>>,
    error: Option<String>,
    /// The sub-path the site is served under, e.g. "/repo/".
    prefix: String,
    /// How many good builds the server has had (the search index says which one it is of).
    generation: u64,
}

/// What the server's tasks and the watcher's thread share.
struct Shared {
    state: RwLock<State>,
    clients: reload::Clients,
    search: Arc<index::SearchIndex>,
    limits: Limits,
}

impl Shared {
    fn state(&self) -> RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Serve a good build: swap it in and index it in the background.
    fn install(&self, built: Built) {
        let mut s = self.state.write().unwrap_or_else(|e| e.into_inner());
        s.generation += 1;
        let generation = s.generation;
        let old = (
            std::mem::replace(&mut s.files, built.files),
            std::mem::replace(&mut s.deferred, built.deferred),
            std::mem::take(&mut s.drawn),
        );
        s.error = None;
        drop(s);
        // Freeing the previous site is not on the way to the reload.
        std::thread::spawn(move || drop(old));
        self.search.submit(generation, built.search);
    }

    /// A build failed: keep serving the last good site, and tell (the terminal, and pages that
    /// open from now on) what is wrong.
    fn fail(&self, problems: &str) {
        crate::tell!("{problems}");
        self.state.write().unwrap_or_else(|e| e.into_inner()).error = Some(problems.to_string());
    }
}

/// What a build gives the server.
struct Built {
    files: HashMap<String, Arc<[u8]>>,
    deferred: HashMap<String, Deferred>,
    search: Vec<Record>,
}

/// Build, serve and watch until the process is stopped (Ctrl-C).
pub fn serve(root: &Path, serve: ServeOptions) -> Result<(), String> {
    let prefix = match &serve.options.base_url {
        Some(url) => url_path(url).unwrap_or_else(|| "/".to_string()),
        None => site_prefix(root),
    };
    let listener = http::listen(serve.bind, serve.port)?;
    let bound = listener
        .local_addr()
        .map_err(|e| format!("cannot listen: {e}"))?;
    let shown = reachable(bound);
    if let Some(warning) = exposure_warning(bound) {
        crate::tell!("{warning}");
    }
    // Absolute URLs (the 404 page's links, canonical links) point at this preview.
    let mut options = serve.options.clone();
    options.base_url = Some(format!("http://{}{prefix}", display_addr(shown)));
    let shared = Arc::new(Shared {
        state: RwLock::new(State {
            prefix: prefix.clone(),
            ..State::default()
        }),
        clients: reload::Clients::default(),
        search: index::SearchIndex::start()?,
        limits: Limits::from_env(),
    });
    let memo = Arc::new(Memo::default());
    match build(root, &options, &memo) {
        Ok(built) => shared.install(built),
        Err(e) => shared.fail(&e),
    }
    crate::say!(
        "Sirviendo el sitio en http://{}{prefix}  (Ctrl-C para terminar)",
        display_addr(shown)
    );
    let _ = std::io::stdout().flush();

    watch::watch(root, options, memo, shared.clone())?;
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?
        .block_on(http::run(listener, shared))
}

/// The served path of a base URL: "https://x.github.io/repo/" -> "/repo/".
fn url_path(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    Some(if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    })
}

fn site_prefix(root: &Path) -> String {
    crate::load::load(root)
        .ok()
        .and_then(|(s, _)| url_path(&s.site.data.base_url.value))
        .unwrap_or_else(|| "/".to_string())
}

fn display_addr(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
        SocketAddr::V4(a) => a.to_string(),
    }
}

/// An address a browser on this machine can open: "all addresses" is not one.
fn reachable(bound: SocketAddr) -> SocketAddr {
    match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv4Addr::LOCALHOST.into(), bound.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(Ipv6Addr::LOCALHOST.into(), bound.port())
        }
        _ => bound,
    }
}

/// What to say when the preview can be reached from other machines.
fn exposure_warning(bound: SocketAddr) -> Option<String> {
    let ip = bound.ip();
    if ip.is_loopback() {
        return None;
    }
    let where_ = if ip.is_unspecified() {
        format!("on all addresses ({ip})")
    } else {
        format!("on {ip}")
    };
    Some(format!(
        "warning: listening {where_}: the preview is reachable from the network, by anyone who can reach this machine on port {}; drop --bind (or use --bind 127.0.0.1) to keep it to yourself",
        bound.port()
    ))
}

fn build(root: &Path, options: &Options, memo: &Memo) -> Result<Built, String> {
    let started = Instant::now();
    match crate::build_in_memory(root, options, Some(memo)) {
        Ok(outcome) => {
            memo.end_rebuild();
            if !outcome.diagnostics.is_empty() {
                crate::tell!("{}", outcome.diagnostics);
            }
            crate::tell!(
                "Construido: {} archivos en {} ms ({})",
                outcome.files.len(),
                started.elapsed().as_millis(),
                outcome.timings
            );
            Ok(Built {
                files: outcome
                    .files
                    .into_iter()
                    .map(|f| (f.path, f.bytes))
                    .collect(),
                deferred: outcome
                    .deferred
                    .into_iter()
                    .map(|r| (r.path.clone(), r))
                    .collect(),
                search: outcome.search,
            })
        }
        Err(diags) => Err(diags.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_paths() {
        assert_eq!(
            url_path("https://x.github.io/repo/").as_deref(),
            Some("/repo/")
        );
        assert_eq!(url_path("https://example.org").as_deref(), Some("/"));
        assert_eq!(url_path("http://h/a/b").as_deref(), Some("/a/b/"));
    }

    #[test]
    fn other_addresses_are_warned_about_and_shown_reachable() {
        let at = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert_eq!(exposure_warning(at("127.0.0.1:1111")), None);
        assert_eq!(exposure_warning(at("[::1]:1111")), None);
        let all = exposure_warning(at("0.0.0.0:1111")).unwrap();
        assert!(all.contains("all addresses") && all.contains("reachable from the network"));
        assert!(exposure_warning(at("192.168.1.5:1111"))
            .unwrap()
            .contains("on 192.168.1.5"));
        assert_eq!(reachable(at("0.0.0.0:7")), at("127.0.0.1:7"));
        assert_eq!(reachable(at("[::]:7")), at("[::1]:7"));
        assert_eq!(reachable(at("192.168.1.5:7")), at("192.168.1.5:7"));
    }
}
