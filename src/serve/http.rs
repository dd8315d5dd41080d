//! The preview's HTTP side: hyper 1 on one current-thread tokio runtime. A semaphore caps open
//! connections (more wait in the listen queue), headers must arrive within a timeout, and a
//! request body is never read (only GET and HEAD are answered), so no client can make the
//! server allocate what it declares, and an answer the client stops reading is given up. Accept errors (too many open files) are logged once and
//! retried after a pause: the listener never dies.
//!
//! Only files the build produced are served: request paths are never joined to the disk.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use hyper::body::{Bytes, Frame, Incoming, SizeHint};
use hyper::header::{HeaderValue, ALLOW, CACHE_CONTROL, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::mpsc::UnboundedReceiver;
use tokio::sync::Semaphore;

use super::index::Lookup;
use super::reload::{self, EVENTS};
use super::write_timeout::WriteTimeout;
use super::{Shared, State};
use crate::render::Deferred;

/// Bind the listening socket: the port asked for, or the first free one from 1111.
pub(super) fn listen(bind: IpAddr, port: Option<u16>) -> Result<TcpListener, String> {
    let listener = match port {
        Some(p) => TcpListener::bind(SocketAddr::new(bind, p)).map_err(|e| {
            format!("cannot listen on {bind} port {p}: {e}; choose another with --port (0 picks a free one)")
        })?,
        None => (1111..1131)
            .find_map(|p| TcpListener::bind(SocketAddr::new(bind, p)).ok())
            .ok_or("ports 1111 to 1130 are all in use; choose one with --port")?,
    };
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot listen: {e}"))?;
    Ok(listener)
}

/// Accept and serve connections until the process is stopped.
pub(super) async fn run(listener: TcpListener, shared: Arc<Shared>) -> Result<(), String> {
    let listener =
        tokio::net::TcpListener::from_std(listener).map_err(|e| format!("cannot listen: {e}"))?;
    let limits = shared.limits.clone();
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let clients = shared.clients.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(reload::KEEP_ALIVE);
        loop {
            every.tick().await;
            clients.keep_alive();
        }
    });
    let mut failing = false;
    loop {
        // Past the cap, clients wait in the kernel's listen queue until a connection closes.
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return Err("the connection limit was closed".into());
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => {
                failing = false;
                stream
            }
            Err(e) => {
                // EMFILE, ENFILE, ENOBUFS…: the connection waits in the queue; say it once per
                // episode, give other connections time to close, and keep accepting.
                if !failing {
                    // This accept's slot is still held: it is not an open connection.
                    let open = limits.max_connections - slots.available_permits() - 1;
                    crate::tell!(
                        "cannot accept a connection: {e}; {open} are open, new clients wait until some close"
                    );
                    failing = true;
                }
                drop(slot);
                tokio::time::sleep(limits.accept_backoff).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let shared = shared.clone();
                async move { Ok::<_, Infallible>(handle(req, &shared).await) }
            });
            // A client that leaves mid-response, breaks the protocol or is too slow with its
            // headers ends its own connection, nothing else.
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .title_case_headers(true)
                .serve_connection(
                    TokioIo::new(WriteTimeout::new(stream, limits.write_timeout)),
                    service,
                )
                .await;
            drop(slot);
        });
    }
}

/// A response body: a whole file, or an endless event stream.
pub(super) enum Body {
    Full(Option<Bytes>),
    Events(UnboundedReceiver<Bytes>),
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.get_mut() {
            Body::Full(b) => Poll::Ready(b.take().map(|b| Ok(Frame::data(b)))),
            Body::Events(rx) => rx.poll_recv(cx).map(|m| m.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Body::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Events(_) => SizeHint::default(),
        }
    }
}

/// A finished answer.
#[derive(Debug)]
pub(super) struct Reply {
    pub status: u16,
    pub body: Bytes,
    pub content_type: &'static str,
    pub location: Option<String>,
}

impl Reply {
    fn new(status: u16, body: impl Into<Bytes>, content_type: &'static str) -> Self {
        Reply {
            status,
            body: body.into(),
            content_type,
            location: None,
        }
    }

    fn text(status: u16, body: &'static str) -> Self {
        Reply::new(status, body, "text/plain; charset=utf-8")
    }

    fn redirect(status: u16, to: String) -> Self {
        Reply {
            location: Some(to),
            ..Reply::text(status, "")
        }
    }
}

/// What a request path leads to.
pub(super) enum Target {
    Reply(Reply),
    /// A deferred file of the current build, to make off the runtime's thread.
    Draw {
        key: String,
        job: Box<Deferred>,
        drawn: Arc<Mutex<std::collections::HashMap<String, Bytes>>>,
    },
    /// A file of the search index (its site path, `pagefind/…`).
    Index(String),
}

async fn handle(req: Request<Incoming>, shared: &Shared) -> Response<Body> {
    // The body, whatever its declared length, is never read: hyper discards the connection
    // instead of draining a body nobody polled.
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = respond(Reply::text(405, "only GET and HEAD\n"));
        r.headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let path = req.uri().path();
    if path == EVENTS {
        let problem = shared.state().error.clone();
        let body = shared
            .clients
            .subscribe(problem.map(|p| reload::sse("problems", &p)));
        let mut r = Response::new(body);
        let h = r.headers_mut();
        h.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return r;
    }
    let target = resolve(&shared.state(), path);
    let reply = match target {
        Target::Reply(r) => r,
        Target::Draw { key, job, drawn } => {
            // PNGs take tens of milliseconds: off the thread that serves everyone else.
            let made = tokio::task::spawn_blocking(move || {
                let made = job.draw().map_err(|e| crate::tell!("{e}")).ok()?;
                let bytes = Bytes::from_owner(made.bytes);
                drawn
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(key.clone(), bytes.clone());
                Some((key, bytes))
            })
            .await;
            match made {
                Ok(Some((key, bytes))) => Reply::new(200, bytes, content_type(&key)),
                _ => Reply::text(500, "this file could not be made; see the terminal\n"),
            }
        }
        Target::Index(file) => match shared.search.get(&file, shared.limits.index_wait).await {
            Lookup::Found(bytes) => Reply::new(200, bytes, content_type(&file)),
            Lookup::Missing => Reply::text(404, "not in the search index\n"),
            Lookup::NotReady(why) => {
                let mut r = respond(Reply::new(
                    503,
                    format!("{why}\n"),
                    "text/plain; charset=utf-8",
                ));
                r.headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from_static("2"));
                return r;
            }
        },
    };
    respond(reply)
}

fn respond(reply: Reply) -> Response<Body> {
    let mut r = Response::new(Body::Full(Some(reply.body)));
    *r.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Some(loc) = reply.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        h.insert(LOCATION, loc);
    }
    r
}

/// Map a request path to what answers it.
pub(super) fn resolve(s: &State, path: &str) -> Target {
    let not_found = |s: &State| {
        // Before any successful build there is no 404 page: say why, the overlay says what.
        let page = s.files.get("404.html").map_or(
            &b"<!DOCTYPE html><html lang=\"es\"><title>cifras</title><body><p>El sitio no se pudo construir todav\xc3\xada.</p></body></html>"[..],
            |b| &b[..],
        );
        Target::Reply(Reply::new(
            404,
            reload::inject(page),
            "text/html; charset=utf-8",
        ))
    };
    let Some(decoded) = percent_decode(path) else {
        return Target::Reply(Reply::text(400, "bad request\n"));
    };
    // Never a path that could climb out of the site, whatever the encoding.
    if decoded.contains('\\')
        || decoded.contains('\0')
        || decoded.split('/').any(|seg| seg == ".." || seg == ".")
    {
        return Target::Reply(Reply::text(400, "bad request\n"));
    }
    if s.prefix != "/" && (decoded == "/" || decoded == s.prefix.trim_end_matches('/')) {
        return Target::Reply(Reply::redirect(302, s.prefix.clone()));
    }
    let Some(rel) = decoded.strip_prefix(&s.prefix) else {
        return not_found(s);
    };
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(body) = s.files.get(&key) {
        let ct = content_type(&key);
        let body = if ct.starts_with("text/html") {
            Bytes::from(reload::inject(body))
        } else {
            Bytes::from_owner(body.clone())
        };
        return Target::Reply(Reply::new(200, body, ct));
    }
    if key
        .strip_prefix(crate::search::DIR)
        .is_some_and(|k| k.starts_with('/'))
    {
        return Target::Index(key);
    }
    if let Some(job) = s.deferred.get(&key) {
        let drawn = s.drawn.clone();
        if let Some(bytes) = drawn.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return Target::Reply(Reply::new(200, bytes.clone(), content_type(&key)));
        }
        return Target::Draw {
            key,
            job: Box::new(job.clone()),
            drawn,
        };
    }
    // "boletines" without its slash: send the browser to the directory
    if s.files.contains_key(&format!("{rel}/index.html")) {
        return Target::Reply(Reply::redirect(301, format!("{}{rel}/", s.prefix)));
    }
    not_found(s)
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
        Some("js") | Some("mjs") => "text/javascript; charset=utf-8",
        Some("ttf") => "font/ttf",
        Some("wasm") => "application/wasm",
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
    use std::collections::HashMap;

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
            prefix: "/repo/".into(),
            ..State::default()
        }
    }

    fn reply(s: &State, path: &str) -> Reply {
        match resolve(s, path) {
            Target::Reply(r) => r,
            Target::Draw { key, .. } => panic!("{path}: draw {key}"),
            Target::Index(f) => panic!("{path}: index {f}"),
        }
    }

    #[test]
    fn serves_under_the_sub_path_with_types() {
        let s = state();
        let home = reply(&s, "/repo/");
        assert_eq!(
            (home.status, home.content_type),
            (200, "text/html; charset=utf-8")
        );
        assert!(String::from_utf8_lossy(&home.body).contains("EventSource(\"/__cifras/events\")"));
        let css = reply(&s, "/repo/static/a.css");
        assert_eq!(css.content_type, "text/css; charset=utf-8");
        assert_eq!(&css.body[..], b"body{}");
        assert_eq!(reply(&s, "/").location.as_deref(), Some("/repo/"));
        assert_eq!(
            reply(&s, "/repo/boletines").location.as_deref(),
            Some("/repo/boletines/")
        );
        assert_eq!(reply(&s, "/repo/no/").status, 404);
        assert_eq!(reply(&s, "/elsewhere/index.html").status, 404);
    }

    #[test]
    fn the_search_index_is_asked_for_its_own_files_only() {
        let s = state();
        assert!(
            matches!(resolve(&s, "/repo/pagefind/pagefind.js"), Target::Index(f) if f == "pagefind/pagefind.js")
        );
        assert!(matches!(
            resolve(&s, "/repo/pagefind/%2e%2e/index.html"),
            Target::Reply(Reply { status: 400, .. })
        ));
        assert_eq!(reply(&s, "/pagefind/pagefind.js").status, 404);
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
            let status = reply(&s, bad).status;
            assert!(status == 400 || status == 404, "{bad}: {status}");
        }
        assert_eq!(reply(&s, "//etc/passwd").status, 404);
    }
}
