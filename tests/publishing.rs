//! Publishing on GitHub Pages under a sub-path: the site is built with
//! `--base-url https://example.github.io/repo/`, served from `/repo/` on loopback by a minimal
//! HTTP server, and crawled: every link, asset and fragment must resolve. Then the sitemap, the
//! Atom feed, the JSON-LD and the social cards are checked.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};

const BASE: &str = "https://example.github.io/repo/";

fn build() -> (tempfile::TempDir, PathBuf, cifras::Outcome) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let options = cifras::Options {
        base_url: Some(BASE.into()),
        ..Default::default()
    };
    let outcome = cifras::build_with(Path::new(env!("CARGO_MANIFEST_DIR")), &out, &options)
        .unwrap_or_else(|d| panic!("{d}"));
    (tmp, out, outcome)
}

/// Serve `dir` under `/repo/` like GitHub Pages: directories answer with their index.html,
/// anything else is 404. Handles requests until the test process ends.
fn serve(dir: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = answer(stream, &dir);
        }
    });
    port
}

fn answer(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    // read the whole request head, however the client split its writes
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut buf)?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let request = String::from_utf8_lossy(&head);
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let file = path.strip_prefix("/repo/").and_then(|rel| {
        if rel.split('/').any(|c| c == "..") {
            return None;
        }
        let p = dir.join(rel);
        let p = if p.is_dir() { p.join("index.html") } else { p };
        p.is_file().then_some(p)
    });
    let (status, body) = match file {
        Some(p) => ("200 OK", fs::read(p)?),
        None => ("404 Not Found", fs::read(dir.join("404.html"))?),
    };
    let mut response = format!(
        "HTTP/1.0 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(&body);
    stream.write_all(&response)
}

fn get(port: u16, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.write_all(format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes())
        .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status: u16 = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, raw[split + 4..].to_vec())
}

/// Resolve a link found on page `from` (a URL path) to a URL path, like a browser would.
fn resolve(from: &str, link: &str) -> Option<String> {
    if let Some(rest) = link.strip_prefix(BASE) {
        return Some(format!("/repo/{rest}"));
    }
    if link.starts_with("http:") || link.starts_with("https:") || link.starts_with("mailto:") {
        return None; // external
    }
    assert!(
        !link.starts_with('/'),
        "{from}: root-relative link {link} escapes the sub-path"
    );
    let dir = &from[..from.rfind('/').unwrap() + 1];
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    let trailing = link.is_empty() || link.ends_with('/') || link.ends_with("/.") || link == ".";
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut path = format!("/{}", parts.join("/"));
    if trailing && !path.ends_with('/') {
        path.push('/');
    }
    Some(path)
}

fn attrs<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let pat = format!("{name}=\"");
    html.split(pat.as_str())
        .skip(1)
        .map(|p| &p[..p.find('"').unwrap()])
        .collect()
}

#[test]
fn every_link_works_when_served_under_the_sub_path() {
    let (_tmp, out, _) = build();
    let port = serve(out.clone());
    let mut queue: VecDeque<String> = VecDeque::from(["/repo/".to_string()]);
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut pages: BTreeMap<String, String> = BTreeMap::new();
    let mut fragments: Vec<(String, String, String)> = Vec::new();
    while let Some(url) = queue.pop_front() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let (status, body) = get(port, &url);
        assert_eq!(status, 200, "{url}");
        if !(url.ends_with('/') || url.ends_with(".html")) {
            continue;
        }
        let html = String::from_utf8(body).unwrap();
        // (a form's `action` too: the header's search box leads to the search page)
        for link in attrs(&html, "href")
            .into_iter()
            .chain(attrs(&html, "src"))
            .chain(attrs(&html, "action"))
            .chain(attrs(&html, "content"))
        {
            let (target, fragment) = link.split_once('#').unwrap_or((link, ""));
            // `content` attributes only matter when they are URLs of this site
            if html.contains(&format!("content=\"{link}\"")) && !link.starts_with(BASE) {
                continue;
            }
            let Some(path) = (if target.is_empty() {
                Some(url.clone())
            } else {
                resolve(&url, target)
            }) else {
                continue;
            };
            if !fragment.is_empty() {
                fragments.push((url.clone(), path.clone(), fragment.to_string()));
            }
            queue.push_back(path);
        }
        pages.insert(url, html);
    }
    // Every page, chart download and card was reached by clicking from the home page.
    let html_files = walk(&out)
        .into_iter()
        .filter(|p| p.ends_with(".html") && p != "404.html")
        .count();
    assert_eq!(pages.len(), html_files, "every page is reachable");
    for (from, page, fragment) in &fragments {
        let html = pages
            .get(page)
            .unwrap_or_else(|| panic!("{from}: fragment target {page} not a page"));
        assert!(
            html.contains(&format!("id=\"{fragment}\"")),
            "{from}: #{fragment} missing on {page}"
        );
    }
    assert!(
        fragments.len() > 47,
        "figures link to their sentences: {}",
        fragments.len()
    );

    // A miss under the sub-path gets the 404 page, whose links start at the server's root
    // ("/repo/…"), so they work at any depth, and reach the site's files.
    let (status, body) = get(port, "/repo/no/such/page/");
    assert_eq!(status, 404);
    let html = String::from_utf8(body).unwrap();
    let mut local = 0;
    for link in attrs(&html, "href").into_iter().chain(attrs(&html, "src")) {
        if link.starts_with("/repo/") {
            assert_eq!(get(port, link).0, 200, "404 link {link}");
            local += 1;
        } else {
            assert!(
                link.starts_with(BASE) || link.starts_with("http") || link.starts_with('#'),
                "404 link {link}"
            );
        }
    }
    assert!(local >= 8, "stylesheet, script and page links: {local}");
}

fn walk(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .to_string()
        })
        .collect()
}

#[test]
fn sitemap_lists_every_page_with_dates_from_the_data() {
    let (_tmp, out, _) = build();
    let xml = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let urls: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    let pages = walk(&out)
        .into_iter()
        .filter(|p| p.ends_with("index.html") && !p.starts_with("graficas/"))
        .count();
    assert_eq!(
        urls.len(),
        pages,
        "every page but the chart embeds (noindex) is listed"
    );
    for u in &urls {
        assert_eq!(u.tag_name().name(), "url");
        let loc = u
            .children()
            .find(|n| n.has_tag_name("loc"))
            .unwrap()
            .text()
            .unwrap();
        let rel = loc.strip_prefix(BASE).unwrap_or_else(|| panic!("{loc}"));
        assert!(out.join(rel).join("index.html").is_file(), "{loc}");
        // `lastmod` is optional: left out where the bulletins state no date (tests/data_audit.rs).
        if let Some(lastmod) = u.children().find(|n| n.has_tag_name("lastmod")) {
            let lastmod = lastmod.text().unwrap();
            assert!(cifras::model::Date::parse(lastmod).is_ok(), "{lastmod}");
        }
    }
    let bulletin = urls
        .iter()
        .find(|u| {
            u.children().any(|n| {
                n.text()
                    == Some(&*format!(
                        "{BASE}boletines/imss-154-2022-recuperacion-servicios/"
                    ))
            })
        })
        .unwrap();
    assert!(
        bulletin.children().any(|n| n.text() == Some("2022-03-30")),
        "lastmod is the bulletin's date"
    );
    let robots = fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(robots.contains(&format!("Sitemap: {BASE}sitemap.xml")));
    assert!(out.join(".nojekyll").is_file());
}

#[test]
fn atom_feed_has_one_entry_per_bulletin_newest_first() {
    let (_tmp, out, outcome) = build();
    let xml = fs::read_to_string(out.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let feed = doc.root_element();
    let atom = Some("http://www.w3.org/2005/Atom");
    assert_eq!(
        (feed.tag_name().name(), feed.tag_name().namespace()),
        ("feed", atom)
    );
    for required in ["id", "title", "updated", "author"] {
        assert!(
            feed.children().any(|n| n.has_tag_name(required)),
            "feed <{required}>"
        );
    }
    let self_link = feed
        .children()
        .find(|n| n.has_tag_name("link") && n.attribute("rel") == Some("self"))
        .unwrap();
    assert_eq!(
        self_link.attribute("href"),
        Some(&*format!("{BASE}feed.xml"))
    );
    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(entries.len(), outcome.bulletins);
    let mut previous = "9999".to_string();
    for e in &entries {
        for required in ["id", "title", "updated", "link", "summary"] {
            assert!(
                e.children().any(|n| n.has_tag_name(required)),
                "entry <{required}>"
            );
        }
        let updated = e
            .children()
            .find(|n| n.has_tag_name("updated"))
            .unwrap()
            .text()
            .unwrap()
            .to_string();
        assert!(updated.ends_with("T00:00:00Z"), "{updated}");
        let summary = e
            .children()
            .find(|n| n.has_tag_name("summary"))
            .unwrap()
            .text()
            .unwrap();
        // A bulletin with no day of its own borrows another's and says so: listed last when it
        // has no date at all, else where its month or year puts it (bulletin 000: 2021). The
        // others go newest first.
        if summary.contains("que es de otro boletín") {
            assert!(
                std::ptr::eq(e, entries.last().unwrap()) || summary.contains("indica solo"),
                "undated entries go last: {summary}"
            );
        } else {
            assert!(updated <= previous, "newest first");
            previous = updated;
        }
    }
    // Only the dated bulletin claims a publication date.
    let published: Vec<_> = entries
        .iter()
        .filter(|e| e.children().any(|n| n.has_tag_name("published")))
        .collect();
    assert_eq!(published.len(), 1);
    // Every page advertises the feed.
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains(r#"<link rel="alternate" type="application/atom+xml""#));
}

#[test]
fn pages_carry_social_cards_and_dataset_metadata() {
    let (_tmp, out, _) = build();
    for page in walk(&out).into_iter().filter(|p| p.ends_with(".html")) {
        let html = fs::read_to_string(out.join(&page)).unwrap();
        assert!(html.contains("<html lang=\"es-MX\">"), "{page}");
        assert!(
            html.contains("<meta name=\"description\" content=\""),
            "{page}"
        );
        if page.starts_with("graficas/") {
            // embed pages are the chart alone, meant for an iframe, not for sharing
            assert!(
                html.contains("<meta name=\"robots\" content=\"noindex\">"),
                "{page}"
            );
            continue;
        }
        assert!(
            html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"),
            "{page}"
        );
        let image = attrs(&html, "content")
            .into_iter()
            .find(|c| c.ends_with(".png"))
            .unwrap_or_else(|| panic!("{page}: og:image"));
        let png = fs::read(out.join(image.strip_prefix(BASE).unwrap())).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(
            u32::from_be_bytes(png[16..20].try_into().unwrap()),
            1200,
            "{image}"
        );
        assert_eq!(
            u32::from_be_bytes(png[20..24].try_into().unwrap()),
            630,
            "{image}"
        );
    }
    // Bulletins and indicators have their own cards.
    assert!(out
        .join("tarjetas/boletines/imss-jornadas-recuperacion-servicios.png")
        .is_file());
    assert!(out
        .join("tarjetas/indicadores/trasplantes-rinon.png")
        .is_file());

    for (page, downloads) in [
        ("datos/index.html", 2),
        ("indicadores/trasplantes-rinon/index.html", 2),
    ] {
        let html = fs::read_to_string(out.join(page)).unwrap();
        let json = html
            .split("<script type=\"application/ld+json\">")
            .nth(1)
            .unwrap();
        let json = &json[..json.find("</script>").unwrap()];
        let v: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(v["@type"], "Dataset", "{page}");
        for key in [
            "name",
            "description",
            "creator",
            "license",
            "temporalCoverage",
            "spatialCoverage",
            "url",
        ] {
            assert!(!v[key].is_null(), "{page}: {key}");
        }
        let dist = v["distribution"].as_array().unwrap();
        assert_eq!(dist.len(), downloads, "{page}");
        for d in dist {
            assert_eq!(d["@type"], "DataDownload");
            let url = d["contentUrl"].as_str().unwrap();
            assert!(out.join(url.strip_prefix(BASE).unwrap()).is_file(), "{url}");
        }
    }
    let kidney = fs::read_to_string(out.join("indicadores/trasplantes-rinon/index.html")).unwrap();
    assert!(kidney.contains("\"temporalCoverage\": \"2021-04-01/2021-09-12\""));
}

#[test]
fn asset_names_change_with_their_content() {
    let (_tmp, out, _) = build();
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    let css = attrs(&home, "href")
        .into_iter()
        .find(|h| h.ends_with(".css"))
        .unwrap()
        .trim_start_matches("./")
        .to_string();
    assert!(
        css.starts_with("static/style.") && css.len() > "static/style..css".len() + 8,
        "{css}"
    );

    // A project stylesheet overrides the built-in one, and gets a new name.
    let (_tmp, root) = common::project();
    let root = root.as_path();
    fs::create_dir_all(root.join("static")).unwrap();
    fs::write(root.join("static/style.css"), "body { color: red }").unwrap();
    let outcome = cifras::build_in_memory(root, &cifras::Options::default(), None).unwrap();
    let index = outcome
        .files
        .iter()
        .find(|f| f.path == "index.html")
        .unwrap();
    let html = String::from_utf8(index.bytes.to_vec()).unwrap();
    let new_css = attrs(&html, "href")
        .into_iter()
        .find(|h| h.ends_with(".css"))
        .unwrap()
        .trim_start_matches("./")
        .to_string();
    assert_ne!(new_css, css);
    let file = outcome.files.iter().find(|f| f.path == new_css).unwrap();
    assert_eq!(&*file.bytes, b"body { color: red }");
}
