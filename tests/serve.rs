//! `cifras serve` as a user runs it: started on an ephemeral loopback port, fetched, edited,
//! broken and fixed, and attacked with paths that try to leave the site.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const B004: &str = "content/bulletins/imss-154-2022-recuperacion-servicios";
const PAGE: &str = "/cifras/boletines/imss-154-2022-recuperacion-servicios/";

struct Server {
    child: Child,
    port: u16,
    /// Everything the server printed on stderr so far.
    stderr: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Resident memory, in kB (Linux).
    fn rss_kb(&self) -> u64 {
        let status = fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

fn start(root: &Path) -> Server {
    launch(root, &[], &[], None)
}

/// `cifras serve --port 0` with more arguments, environment, and optionally a lower limit on
/// open files (set by the shell, as `ulimit -n` would for a user).
fn launch(root: &Path, args: &[&str], env: &[(&str, &str)], nofile: Option<u32>) -> Server {
    let bin = env!("CARGO_BIN_EXE_cifras");
    let mut command = match nofile {
        Some(n) => {
            let mut c = Command::new("sh");
            c.args(["-c", &format!("ulimit -n {n} && exec \"$0\" \"$@\""), bin]);
            c
        }
        None => Command::new(bin),
    };
    let mut child = command
        .args(["--root", root.to_str().unwrap(), "serve", "--port", "0"])
        .args(args)
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = Arc::new(Mutex::new(String::new()));
    let mut pipe = BufReader::new(child.stderr.take().unwrap());
    let into = stderr.clone();
    std::thread::spawn(move || {
        let mut line = String::new();
        while pipe.read_line(&mut line).is_ok_and(|n| n > 0) {
            into.lock().unwrap().push_str(&line);
            line.clear();
        }
    });
    let stdout = child.stdout.take().unwrap();
    // Killed on drop, even if a check below fails.
    let mut server = Server {
        child,
        port: 0,
        stderr,
    };
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    // "Sirviendo el sitio en http://127.0.0.1:PORT/cifras/  (Ctrl-C para terminar)"
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("{line}{}", server.stderr()));
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "loopback by default: {url}"
    );
    assert!(
        url.ends_with("/cifras/"),
        "served under base_url's path: {url}"
    );
    server.port = url["http://127.0.0.1:".len()..]
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    server
}

fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").as_bytes())
        .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text
        .split_whitespace()
        .nth(1)
        .unwrap_or("0")
        .parse()
        .unwrap_or(0);
    (status, text)
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let p = root.join(rel);
    let text = fs::read_to_string(&p).unwrap();
    assert!(text.contains(from), "{rel}: {from}");
    fs::write(&p, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn serves_rebuilds_and_survives_a_broken_edit() {
    let (_tmp, root) = common::project();
    let server = start(&root);
    let port = server.port;

    let (status, home) = get(port, "/cifras/");
    assert_eq!(status, 200);
    assert!(home.contains("Content-Type: text/html"), "{}", &home[..200]);
    assert!(
        home.contains("new EventSource(\"/__cifras/events\")"),
        "live reload injected"
    );
    let (_, page) = get(port, PAGE);
    assert!(page.contains("1,800"));
    assert!(get(port, "/").1.contains("Location: /cifras/"));
    let (status, css) = get(port, "/cifras/sitemap.xml");
    assert_eq!(status, 200);
    assert!(css.contains("Content-Type: application/xml"));
    // Social cards are drawn on first request, not on every rebuild: they must still be served
    // whole. (Chart PNGs are made by the reader's browser, from the SVG and the chart font.)
    for png in [
        "/cifras/tarjetas/sitio.png",
        "/cifras/tarjetas/indicadores/cirugias.png",
    ] {
        let (status, body) = get(port, png);
        assert_eq!(status, 200, "{png}");
        assert!(body.contains("Content-Type: image/png"), "{png}");
        assert!(body.contains("IHDR"), "{png} is a PNG");
    }
    let (status, body) = get(port, "/cifras/graficas/indicador-cirugias-jornadas.png");
    assert_eq!(status, 404, "no chart PNG is built: {}", &body[..80]);
    // So are the data downloads, whole.
    let (status, csv) = get(port, "/cifras/datos/cifras.csv");
    assert_eq!(status, 200);
    assert!(csv.contains("Content-Type: text/csv"), "{}", &csv[..200]);
    assert!(csv.contains("bulletin,bulletin_title,"), "CSV header");
    assert_eq!(csv.matches("\nimss-").count(), 47, "one row per figure");

    // An edit shows up without restarting.
    edit(&root, &format!("{B004}.md"), "1,800 camas", "1,900 camas");
    edit(&root, &format!("{B004}.yaml"), "value: 1800", "value: 1900");
    wait_for("the edit", || get(port, PAGE).1.contains("1,900"));

    // Listen for build events, then break the file: the old page stays, the overlay gets the problem.
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    events
        .write_all(b"GET /__cifras/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    edit(&root, &format!("{B004}.yaml"), "value: 1900", "valor: 1900");
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    while !seen.contains("event: problems") {
        let n = events.read(&mut buf).unwrap();
        assert!(n > 0, "event stream closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(
        seen.contains("imss-154-2022-recuperacion-servicios.yaml"),
        "{seen}"
    );
    assert!(
        seen.contains("`valor` is not one of the fields accepted here"),
        "{seen}"
    );
    let (status, page) = get(port, PAGE);
    assert_eq!(status, 200, "the last good site is still served");
    assert!(page.contains("1,900"));

    // Fixing it reloads open pages.
    edit(&root, &format!("{B004}.yaml"), "valor: 1900", "value: 1900");
    while !seen.contains("event: reload") {
        let n = events.read(&mut buf).unwrap();
        assert!(n > 0, "event stream closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

/// Reading the content is itself a file event on Linux: a watcher that does not ignore it
/// rebuilds forever. With nothing edited, open pages must hear nothing.
#[test]
fn stays_idle_while_nothing_changes() {
    let (_tmp, root) = common::project();
    let server = start(&root);
    let (status, _) = get(server.port, PAGE); // the site is built and served
    assert_eq!(status, 200);
    let mut events = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    events
        .write_all(b"GET /__cifras/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    events
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3) {
        if let Ok(n) = events.read(&mut buf) {
            assert!(n > 0, "event stream closed: {seen}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }
    assert!(seen.starts_with("HTTP/1.1 200"), "{seen}");
    assert!(
        !seen.contains("event:"),
        "no rebuild without an edit: {seen}"
    );
    // …and an edit is still noticed.
    edit(&root, &format!("{B004}.yaml"), "value: 1800", "value: 1900");
    events
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    while !seen.contains("event: reload") {
        let n = events.read(&mut buf).unwrap();
        assert!(n > 0, "event stream closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

#[test]
fn serves_nothing_outside_the_site() {
    let (_tmp, root) = common::project();
    fs::write(root.join("secret.txt"), "do not serve").unwrap();
    let server = start(&root);
    for path in [
        "/cifras/../secret.txt",
        "/cifras/%2e%2e/secret.txt",
        "/cifras/%2E%2E%2Fsecret.txt",
        "/cifras/..%5csecret.txt",
        "/cifras/content/site.yaml",
        "//etc/passwd",
        "/etc/passwd",
        "/cifras/static/",
    ] {
        let (status, body) = get(server.port, path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("do not serve") && !body.contains("root:"),
            "{path}"
        );
    }
    // A miss gets the site's 404 page, and no directory is ever listed.
    let (status, body) = get(server.port, "/cifras/no-existe/");
    assert_eq!(status, 404);
    assert!(body.contains("Página no encontrada"));
}

#[test]
fn build_output_has_no_reload_script() {
    let (tmp, root) = common::project();
    let out = tmp.path().join("out");
    cifras::build(&root, &out).unwrap();
    for e in walkdir::WalkDir::new(&out).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "html") {
            assert!(
                !fs::read_to_string(e.path()).unwrap().contains("__cifras"),
                "{}",
                e.path().display()
            );
        }
    }
}

#[test]
fn a_taken_port_is_reported() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let (_tmp, root) = common::project();
    let out = Command::new(env!("CARGO_BIN_EXE_cifras"))
        .args([
            "--root",
            root.to_str().unwrap(),
            "serve",
            "--port",
            &port.to_string(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("cannot listen on 127.0.0.1 port {port}")),
        "{stderr}"
    );
}

/// Send `request` on a new connection and read the answer's status line and headers.
fn head_of(port: u16, request: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = s.read(&mut buf).unwrap();
        assert!(n > 0, "closed without an answer: {request}");
        seen.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&seen).to_string()
}

/// tiny_http allocated a declared body before answering: 30 GB aborted the process.
#[test]
fn a_huge_declared_body_is_never_read() {
    let (_tmp, root) = common::project();
    let mut server = start(&root);
    let port = server.port;
    assert_eq!(get(port, PAGE).0, 200);
    let before = server.rss_kb();
    for (method, extra, status) in [
        ("GET", "Content-Length: 30000000000", "200"),
        ("POST", "Content-Length: 30000000000", "405"),
        ("PUT", "Transfer-Encoding: chunked", "405"),
    ] {
        let head = head_of(
            port,
            &format!(
                "{method} /cifras/ HTTP/1.1\r\nHost: localhost\r\n{extra}\r\n\r\nffffffff\r\nabc"
            ),
        );
        assert!(
            head.starts_with(&format!("HTTP/1.1 {status}")),
            "{method}: {head}"
        );
        if status == "405" {
            assert!(head.contains("Allow: GET, HEAD"), "{head}");
        }
    }
    assert!(server.alive(), "{}", server.stderr());
    let (status, page) = get(port, PAGE);
    assert_eq!(status, 200, "still serving");
    assert!(page.contains("1,800"));
    let after = server.rss_kb();
    assert!(
        after < before + 50_000,
        "memory flat: {before} kB before, {after} kB after"
    );
}

/// Many idle connections against a low limit on open files (64, as with `ulimit -n 64`):
/// `connections` is the cap (`None`: the default, half the file limit). Returns the server's
/// stderr once a normal request has succeeded after the idle connections closed.
fn outlast_idle_connections(connections: Option<&str>) -> String {
    let (_tmp, root) = common::project();
    let env: Vec<(&str, &str)> = connections
        .map(|n| ("CIFRAS_SERVE_MAX_CONNECTIONS", n))
        .into_iter()
        .collect();
    let mut server = launch(&root, &[], &env, Some(64));
    let port = server.port;
    assert_eq!(get(port, PAGE).0, 200);
    let idle: Vec<TcpStream> = (0..100)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).unwrap())
        .collect();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(get(port, PAGE).0));
    assert!(
        rx.recv_timeout(Duration::from_secs(1)).is_err(),
        "with 100 idle connections and 64 files, a new client waits"
    );
    assert!(server.alive(), "{}", server.stderr());
    drop(idle);
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(30)),
        Ok(200),
        "served once the idle connections went: {}",
        server.stderr()
    );
    assert_eq!(get(port, PAGE).0, 200, "and the next one too");
    assert!(server.alive());
    let stderr = server.stderr();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn idle_connections_beyond_the_cap_wait_their_turn() {
    let stderr = outlast_idle_connections(None);
    // The cap (32 of 64 files) is reached before the file limit: accept never failed.
    assert!(!stderr.contains("cannot accept"), "{stderr}");
}

#[test]
fn running_out_of_files_is_said_once_and_the_listener_lives() {
    // A cap above the file limit: `accept` itself fails (too many open files).
    let stderr = outlast_idle_connections(Some("1000"));
    assert_eq!(
        stderr.matches("cannot accept a connection").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains("Too many open files"), "{stderr}");
}

#[test]
fn a_client_slow_with_its_headers_is_dropped() {
    let (_tmp, root) = common::project();
    let server = launch(
        &root,
        &[],
        &[("CIFRAS_SERVE_HEADER_TIMEOUT_MS", "1000")],
        None,
    );
    let port = server.port;
    // Slowloris: a header line every 200 ms, never the blank line that ends them.
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    slow.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    slow.write_all(b"GET /cifras/ HTTP/1.1\r\nHost: localhost\r\n")
        .unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 1024];
    loop {
        assert!(
            started.elapsed() < Duration::from_secs(8),
            "a client that never ends its headers is still connected"
        );
        if slow.write_all(b"X-Slow: 1\r\n").is_err() {
            break;
        }
        match slow.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {} // an error page, before the close
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900),
        "dropped too early: {took:?}"
    );
    // A client that connects and says nothing is dropped the same way.
    let mut silent = TcpStream::connect(("127.0.0.1", port)).unwrap();
    silent
        .set_read_timeout(Some(Duration::from_secs(8)))
        .unwrap();
    let started = Instant::now();
    match silent.read(&mut buf) {
        Ok(0) | Err(_) => {}
        Ok(n) => panic!("{}", String::from_utf8_lossy(&buf[..n])),
    }
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a silent client is still connected"
    );
    assert_eq!(get(port, PAGE).0, 200, "others are served meanwhile");
}

fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().flatten() {
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).unwrap();
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn read_until(events: &mut TcpStream, seen: &mut String, what: &str) {
    let mut buf = [0u8; 4096];
    while !seen.contains(what) {
        let n = events.read(&mut buf).unwrap();
        assert!(n > 0, "event stream closed: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

/// notify drops the watch of a deleted folder: before, the preview went deaf for good.
#[test]
fn the_watcher_survives_content_being_replaced() {
    let (tmp, root) = common::project();
    let server = start(&root);
    let port = server.port;
    assert!(get(port, PAGE).1.contains("1,800"));
    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    events
        .write_all(b"GET /__cifras/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let saved = tmp.path().join("saved");
    copy_dir(&root.join("content"), &saved);
    fs::remove_dir_all(root.join("content")).unwrap();
    let mut seen = String::new();
    read_until(&mut events, &mut seen, "event: problems");
    assert_eq!(get(port, PAGE).0, 200, "the last good site stays");
    // Recreated, with an edit.
    copy_dir(&saved, &root.join("content"));
    edit(&root, &format!("{B004}.md"), "1,800 camas", "1,900 camas");
    edit(&root, &format!("{B004}.yaml"), "value: 1800", "value: 1900");
    wait_for("the rebuild of the recreated content", || {
        get(port, PAGE).1.contains("1,900")
    });
    read_until(&mut events, &mut seen, "event: reload");
    // …and it keeps watching.
    edit(&root, &format!("{B004}.yaml"), "value: 1900", "value: 2000");
    edit(&root, &format!("{B004}.md"), "1,900 camas", "2,000 camas");
    wait_for("a later edit", || get(port, PAGE).1.contains("2,000"));
}

#[test]
fn another_address_is_warned_about_and_a_working_url_printed() {
    let (_tmp, root) = common::project();
    // `launch` checks the printed URL is a loopback one, not http://0.0.0.0:…
    let server = launch(&root, &["--bind", "0.0.0.0"], &[], None);
    assert_eq!(get(server.port, "/cifras/").0, 200, "the printed URL works");
    wait_for("the warning", || {
        server.stderr().contains("reachable from the network")
    });
    let stderr = server.stderr();
    assert!(
        stderr.contains("listening on all addresses (0.0.0.0)"),
        "{stderr}"
    );
    // Loopback is quiet.
    let (_other, quiet_root) = common::project();
    let quiet = start(&quiet_root);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        !quiet.stderr().contains("warning: listening"),
        "{}",
        quiet.stderr()
    );
}

/// The body of a GET, as bytes.
#[cfg(feature = "search")]
fn get_bytes(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").as_bytes())
        .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let status = String::from_utf8_lossy(&raw[..end])
        .split_whitespace()
        .nth(1)
        .unwrap_or("0")
        .parse()
        .unwrap_or(0);
    (status, raw[end..].to_vec())
}

#[cfg(feature = "search")]
fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// Pagefind's index as served: its entry file's index hash, and the text of every page's
/// fragment (the meta file lists the fragments; both are gzip).
#[cfg(feature = "search")]
fn served_index(port: u16) -> (String, String) {
    let (status, entry) = get_bytes(port, "/cifras/pagefind/pagefind-entry.json");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&entry));
    let entry: serde_json::Value = serde_json::from_slice(&entry).unwrap();
    let hash = entry["languages"]["es"]["hash"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, meta) = get_bytes(port, &format!("/cifras/pagefind/pagefind.{hash}.pf_meta"));
    assert_eq!(status, 200);
    let meta = String::from_utf8_lossy(&gunzip(&meta)).to_string();
    let mut text = String::new();
    let mut pages = 0;
    for (at, _) in meta.match_indices("es_") {
        let id: String = meta[at + 3..]
            .chars()
            .take_while(|c| c.is_ascii_hexdigit())
            .collect();
        if id.len() < 6 {
            continue;
        }
        let (status, fragment) = get_bytes(
            port,
            &format!("/cifras/pagefind/fragment/es_{id}.pf_fragment"),
        );
        if status == 404 {
            continue; // the meta file names the word index's and the filters' chunks too
        }
        assert_eq!(status, 200, "fragment es_{id}");
        text.push_str(&String::from_utf8_lossy(&gunzip(&fragment)));
        pages += 1;
    }
    assert_eq!(
        Some(pages),
        entry["languages"]["es"]["page_count"].as_u64(),
        "one fragment per page: {meta}"
    );
    (hash, text)
}

/// Issue 17: search works in serve, "updated on every rebuild".
#[cfg(feature = "search")]
#[test]
fn the_search_index_is_served_and_follows_edits() {
    let (_tmp, root) = common::project();
    let server = start(&root);
    let port = server.port;
    // The first request may wait for the first index (made in the background).
    let (status, js) = get(port, "/cifras/pagefind/pagefind.js");
    assert_eq!(status, 200, "{}", server.stderr());
    assert!(
        js.contains("Content-Type: text/javascript"),
        "{}",
        &js[..200]
    );
    let (hash, text) = served_index(port);
    assert!(
        text.contains("1,800 camas"),
        "the bulletin's text is indexed"
    );
    assert!(!text.contains("zumbaquetzal"));
    assert_eq!(get(port, "/cifras/pagefind/no-such.js").0, 404);

    edit(
        &root,
        &format!("{B004}.md"),
        "1,800 camas",
        "1,800 camas (zumbaquetzal)",
    );
    let mut latest = (hash.clone(), text);
    wait_for("the new word in the served index", || {
        latest = served_index(port);
        latest.1.contains("zumbaquetzal")
    });
    assert_ne!(latest.0, hash, "a new index, under a new name");
}

#[test]
fn clients_that_leave_mid_response_do_no_harm() {
    let (_tmp, root) = common::project();
    let mut server = start(&root);
    let port = server.port;
    for i in 0..40 {
        let path = if i % 2 == 0 {
            "/cifras/datos/cifras.csv"
        } else {
            "/cifras/tarjetas/sitio.png"
        };
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())
            .unwrap();
        let _ = s.read(&mut [0u8; 16]);
        // Closed with most of the answer unread.
    }
    for _ in 0..20 {
        head_of(
            port,
            "GET /__cifras/events HTTP/1.1\r\nHost: localhost\r\n\r\n",
        );
    }
    // The event streams that went away are not in the way of a rebuild.
    edit(&root, &format!("{B004}.md"), "1,800 camas", "1,900 camas");
    edit(&root, &format!("{B004}.yaml"), "value: 1800", "value: 1900");
    wait_for("the edit", || get(port, PAGE).1.contains("1,900"));
    // HEAD: the headers of GET, no body.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(b"HEAD /cifras/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut all = String::new();
    s.read_to_string(&mut all).unwrap();
    assert!(all.starts_with("HTTP/1.1 200"), "{all}");
    assert!(all.contains("Content-Type: text/html"), "{all}");
    assert!(all.ends_with("\r\n\r\n"), "no body: {all}");
    assert!(server.alive(), "{}", server.stderr());
}
