//! `cifras serve` as a user runs it: started on an ephemeral loopback port, fetched, edited,
//! broken and fixed, and attacked with paths that try to leave the site.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const B004: &str = "content/bulletins/imss-154-2022-recuperacion-servicios";
const PAGE: &str = "/cifras/boletines/imss-154-2022-recuperacion-servicios/";

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(root: &Path) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cifras"))
        .args(["--root", root.to_str().unwrap(), "serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    // "Sirviendo el sitio en http://127.0.0.1:PORT/cifras/  (Ctrl-C para terminar)"
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("{line}"));
    assert!(
        url.starts_with("http://127.0.0.1:"),
        "loopback by default: {url}"
    );
    assert!(
        url.ends_with("/cifras/"),
        "served under base_url's path: {url}"
    );
    let port = url["http://127.0.0.1:".len()..]
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    Server { child, port }
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
    assert!(seen.contains("unknown field `valor`"), "{seen}");
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
