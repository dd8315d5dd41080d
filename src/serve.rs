//! `cifras serve`: a local preview. The site is built in memory and served over HTTP on
//! loopback (another address only when asked), under the sub-path of `base_url` exactly as
//! GitHub Pages will serve it. `content/`, `templates/` and `static/` are watched; a change
//! rebuilds the site and reloads open pages through server-sent events. A broken edit keeps the
//! last good site and shows its diagnostics in an overlay until the file is fixed.
//!
//! Only files the build produced are served: request paths are never joined to the disk.

use std::collections::HashMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::memo::Memo;
use crate::render::Deferred;
use crate::Options;

/// What a build gives the server: finished files and the PNGs to draw on request.
type Built = (HashMap<String, Arc<[u8]>>, HashMap<String, Deferred>);

pub struct ServeOptions {
    pub bind: IpAddr,
    /// `None`: the first free port from 1111 on.
    pub port: Option<u16>,
    pub options: Options,
}

/// The site as last built, and the problem of the last build if it failed.
struct State {
    files: HashMap<String, Arc<[u8]>>,
    /// PNGs (chart downloads, social cards) and data downloads are made when first requested,
    /// not on every rebuild: they are most of a build's work and a preview rarely asks for them.
    deferred: HashMap<String, Deferred>,
    drawn: Mutex<HashMap<String, Vec<u8>>>,
    error: Option<String>,
    /// The sub-path the site is served under, e.g. "/repo/".
    prefix: String,
}

type Clients = Arc<Mutex<Vec<Sender<String>>>>;

const EVENTS: &str = "/__cifras/events";
/// Injected before `</body>` in served HTML only; `cifras build` never writes it.
const RELOAD_SCRIPT: &str = r#"<script>
(() => {
  const events = new EventSource("/__cifras/events");
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("problems", (e) => {
    let box = document.getElementById("cifras-problems");
    if (!box) {
      box = document.createElement("pre");
      box.id = "cifras-problems";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;margin:0;padding:16px;background:#3b0d0d;color:#fff;font:13px/1.4 monospace;z-index:9999;white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "cifras: la última edición no se pudo construir. Corrija el archivo y la página se recargará sola.\n\n" + JSON.parse(e.data);
  });
})();
</script>
"#;

/// Build, serve and watch until the process is stopped (Ctrl-C).
pub fn serve(root: &Path, serve: ServeOptions) -> Result<(), String> {
    let prefix = match &serve.options.base_url {
        Some(url) => url_path(url).unwrap_or_else(|| "/".to_string()),
        None => site_prefix(root),
    };
    let server = listen(serve.bind, serve.port)?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or("the server has no IP address")?;
    // Absolute URLs (the 404 page's links, canonical links) point at this preview.
    let mut options = serve.options.clone();
    options.base_url = Some(format!("http://{}{prefix}", display_addr(addr)));
    let memo = Arc::new(Memo::default());
    let ((files, deferred), error) = match build(root, &options, &memo) {
        Ok(built) => (built, None),
        Err(e) => {
            eprintln!("{e}");
            ((HashMap::new(), HashMap::new()), Some(e))
        }
    };
    let state = Arc::new(RwLock::new(State {
        files,
        deferred,
        drawn: Mutex::new(HashMap::new()),
        error,
        prefix: prefix.clone(),
    }));
    println!(
        "Sirviendo el sitio en http://{}{prefix}  (Ctrl-C para terminar)",
        display_addr(addr)
    );
    let _ = std::io::stdout().flush();

    let clients: Clients = Arc::new(Mutex::new(Vec::new()));
    let _watcher = watch(root, options, memo, state.clone(), clients.clone())?;
    for request in server.incoming_requests() {
        let state = state.clone();
        let clients = clients.clone();
        std::thread::spawn(move || handle(request, &state, &clients));
    }
    Ok(())
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

fn listen(bind: IpAddr, port: Option<u16>) -> Result<tiny_http::Server, String> {
    match port {
        Some(p) => tiny_http::Server::http(SocketAddr::new(bind, p)).map_err(|e| {
            format!("cannot listen on {bind} port {p}: {e}; choose another with --port (0 picks a free one)")
        }),
        None => (1111..1131)
            .find_map(|p| tiny_http::Server::http(SocketAddr::new(bind, p)).ok())
            .ok_or_else(|| "ports 1111 to 1130 are all in use; choose one with --port".to_string()),
    }
}

fn build(root: &Path, options: &Options, memo: &Memo) -> Result<Built, String> {
    let started = Instant::now();
    match crate::build_in_memory(root, options, Some(memo)) {
        Ok(outcome) => {
            memo.end_rebuild();
            if !outcome.diagnostics.is_empty() {
                eprintln!("{}", outcome.diagnostics);
            }
            eprintln!(
                "Construido: {} archivos en {} ms ({})",
                outcome.files.len(),
                started.elapsed().as_millis(),
                outcome.timings
            );
            let files = outcome
                .files
                .into_iter()
                .map(|f| (f.path, f.bytes))
                .collect();
            let deferred = outcome
                .deferred
                .into_iter()
                .map(|r| (r.path.clone(), r))
                .collect();
            Ok((files, deferred))
        }
        Err(diags) => Err(diags.to_string()),
    }
}

/// How long the inputs must stay quiet before a rebuild: an editor's save (write, rename,
/// chmod) arrives as a burst of events, and one rebuild should cover it.
const QUIET: Duration = Duration::from_millis(15);

/// Rebuild on every change in the project's inputs and tell open pages.
fn watch(
    root: &Path,
    options: Options,
    memo: Arc<Memo>,
    state: Arc<RwLock<State>>,
    clients: Clients,
) -> Result<RecommendedWatcher, String> {
    let (tx, rx) = channel::<PathBuf>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        // Reading a file is an event too (inotify's open/close): the rebuild's own reads
        // must not trigger the next rebuild.
        if let Ok(e) = event {
            if !matches!(e.kind, EventKind::Access(_)) {
                for p in e.paths {
                    let _ = tx.send(p);
                }
            }
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    for dir in ["content", "templates", "static"] {
        let path = root.join(dir);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }
    let root: PathBuf = root.to_path_buf();
    std::thread::spawn(move || {
        let templates = root.join("templates");
        while let Ok(first) = rx.recv() {
            // Everything until the inputs go quiet, including what arrived during the last
            // rebuild, is one change.
            let mut changed = vec![first];
            while let Ok(more) = rx.recv_timeout(QUIET) {
                changed.push(more);
            }
            if changed.iter().any(|p| p.starts_with(&templates)) {
                memo.forget_pages();
            }
            let (event, data) = match build(&root, &options, &memo) {
                Ok((files, deferred)) => {
                    let mut s = state.write().unwrap_or_else(|e| e.into_inner());
                    let old = (
                        std::mem::replace(&mut s.files, files),
                        std::mem::replace(&mut s.deferred, deferred),
                        std::mem::replace(&mut s.drawn, Mutex::new(HashMap::new())),
                    );
                    s.error = None;
                    drop(s);
                    // Freeing the previous site is not on the way to the reload.
                    std::thread::spawn(move || drop(old));
                    ("reload", String::new())
                }
                Err(problems) => {
                    eprintln!("{problems}");
                    let mut s = state.write().unwrap_or_else(|e| e.into_inner());
                    s.error = Some(problems.clone());
                    ("problems", problems)
                }
            };
            let message = sse(event, &data);
            let mut list = clients.lock().unwrap_or_else(|e| e.into_inner());
            list.retain(|c| c.send(message.clone()).is_ok());
        }
    });
    Ok(watcher)
}

/// One server-sent event; the data is a JSON string so newlines survive.
fn sse(event: &str, data: &str) -> String {
    format!(
        "event: {event}\ndata: {}\n\n",
        serde_json::Value::String(data.to_string())
    )
}

fn handle(request: tiny_http::Request, state: &RwLock<State>, clients: &Clients) {
    let url = request.url().to_string();
    if url == EVENTS {
        return events(request, state, clients);
    }
    let (status, body, content_type, location) = {
        let s = state.read().unwrap_or_else(|e| e.into_inner());
        route(&s, &url)
    };
    let mut response = tiny_http::Response::from_data(body).with_status_code(status);
    if let Ok(h) = tiny_http::Header::from_bytes("Content-Type", content_type) {
        response.add_header(h);
    }
    if let Some(loc) = location {
        if let Ok(h) = tiny_http::Header::from_bytes("Location", loc.as_bytes()) {
            response.add_header(h);
        }
    }
    if let Ok(h) = tiny_http::Header::from_bytes("Cache-Control", "no-store") {
        response.add_header(h);
    }
    let _ = request.respond(response);
}

/// Keep the connection open and forward build events; the current problem, if any, first.
fn events(request: tiny_http::Request, state: &RwLock<State>, clients: &Clients) {
    let (tx, rx) = channel();
    if let Some(problem) = &state.read().unwrap_or_else(|e| e.into_inner()).error {
        let _ = tx.send(sse("problems", problem));
    }
    clients.lock().unwrap_or_else(|e| e.into_inner()).push(tx);
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\n";
    if w.write_all(head.as_bytes())
        .and_then(|_| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let message = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(m) => m,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(_) => return,
        };
        if w.write_all(message.as_bytes())
            .and_then(|_| w.flush())
            .is_err()
        {
            return; // the page was closed
        }
    }
}

/// Map a request URL to a response: (status, body, content type, redirect).
fn route(s: &State, url: &str) -> (u16, Vec<u8>, &'static str, Option<String>) {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let not_found = |s: &State| {
        // Before any successful build there is no 404 page: say why, the overlay says what.
        let body = s.files.get("404.html").map(|b| b.to_vec()).unwrap_or_else(|| {
            b"<!DOCTYPE html><html lang=\"es\"><title>cifras</title><body><p>El sitio no se pudo construir todav\xc3\xada.</p></body></html>".to_vec()
        });
        (404, inject(body), "text/html; charset=utf-8", None)
    };
    let Some(decoded) = percent_decode(path) else {
        return (
            400,
            b"bad request".to_vec(),
            "text/plain; charset=utf-8",
            None,
        );
    };
    // Never a path that could climb out of the site, whatever the encoding.
    if decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.split('/').any(|seg| seg == ".." || seg == ".")
    {
        return (
            400,
            b"bad request".to_vec(),
            "text/plain; charset=utf-8",
            None,
        );
    }
    if !s.prefix.is_empty()
        && (decoded == "/" || decoded == s.prefix.trim_end_matches('/'))
        && s.prefix != "/"
    {
        return (
            302,
            Vec::new(),
            "text/plain; charset=utf-8",
            Some(s.prefix.clone()),
        );
    }
    let Some(rel) = decoded.strip_prefix(&s.prefix) else {
        return not_found(s);
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    match s
        .files
        .get(&key)
        .map(|b| b.to_vec())
        .or_else(|| s.draw(&key))
    {
        Some(body) => {
            let ct = content_type(&key);
            let body = if ct.starts_with("text/html") {
                inject(body)
            } else {
                body
            };
            (200, body, ct, None)
        }
        // "boletines" without its slash: send the browser to the directory
        None if s.files.contains_key(&format!("{rel}/index.html")) => (
            301,
            Vec::new(),
            "text/plain; charset=utf-8",
            Some(format!("{}{rel}/", s.prefix)),
        ),
        None => not_found(s),
    }
}

impl State {
    /// A deferred file of the current build (a PNG, a data download), made on its first request
    /// and kept until the next build.
    fn draw(&self, key: &str) -> Option<Vec<u8>> {
        let job = self.deferred.get(key)?;
        if let Some(png) = self
            .drawn
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(key)
        {
            return Some(png.clone());
        }
        let png = job.draw().ok()?.bytes.to_vec();
        self.drawn
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.to_string(), png.clone());
        Some(png)
    }
}

fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let at = html
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    html.splice(at..at, RELOAD_SCRIPT.bytes());
    html
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("ttf") => "font/ttf",
        _ => "application/octet-stream",
    }
}

/// `%2e%2e` -> `..`; `None` for malformed escapes or invalid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        let mut files = HashMap::new();
        files.insert(
            "index.html".into(),
            b"<html><body>home</body></html>"[..].into(),
        );
        files.insert(
            "boletines/index.html".into(),
            b"<body>list</body>"[..].into(),
        );
        files.insert("static/a.css".into(), b"body{}"[..].into());
        files.insert("404.html".into(), b"<body>missing</body>"[..].into());
        State {
            files,
            deferred: HashMap::new(),
            drawn: Mutex::new(HashMap::new()),
            error: None,
            prefix: "/repo/".into(),
        }
    }

    #[test]
    fn serves_under_the_sub_path_with_types() {
        let s = state();
        let (status, body, ct, _) = route(&s, "/repo/");
        assert_eq!((status, ct), (200, "text/html; charset=utf-8"));
        assert!(String::from_utf8(body)
            .unwrap()
            .contains("EventSource(\"/__cifras/events\")"));
        assert_eq!(route(&s, "/repo/static/a.css").2, "text/css; charset=utf-8");
        assert_eq!(route(&s, "/repo/static/a.css").1, b"body{}");
        assert_eq!(route(&s, "/").3.as_deref(), Some("/repo/"));
        assert_eq!(
            route(&s, "/repo/boletines").3.as_deref(),
            Some("/repo/boletines/")
        );
        assert_eq!(route(&s, "/repo/no/").0, 404);
        assert_eq!(route(&s, "/elsewhere/index.html").0, 404);
    }

    #[test]
    fn refuses_paths_that_climb_out() {
        let s = state();
        for bad in [
            "/repo/../Cargo.toml",
            "/repo/%2e%2e/Cargo.toml",
            "/repo/%2E%2E%2FCargo.toml",
            "/repo/static/..%5c..%5cCargo.toml",
            "/repo/%00",
            "/repo/%zz",
            "/repo/./index.html",
        ] {
            let status = route(&s, bad).0;
            assert!(status == 400 || status == 404, "{bad}: {status}");
        }
        assert_eq!(route(&s, "//etc/passwd").0, 404);
    }

    #[test]
    fn base_url_paths() {
        assert_eq!(
            url_path("https://x.github.io/repo/").as_deref(),
            Some("/repo/")
        );
        assert_eq!(url_path("https://example.org").as_deref(), Some("/"));
        assert_eq!(url_path("http://h/a/b").as_deref(), Some("/a/b/"));
    }
}
