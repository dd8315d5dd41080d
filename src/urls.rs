//! The one URL policy for every URL the site writes from content: a bulletin's `source.url`,
//! `site.yaml`'s `links`, and links and images in bulletin texts. Only http, https and mailto
//! URLs, and relative ones, may reach a page: anything else (`javascript:`, `data:`,
//! `vbscript:`, …) could run code in a reader's browser.
//!
//! Browsers are lenient: they ignore case in schemes, strip leading spaces and control
//! characters, and drop tabs and line breaks anywhere (`java\tscript:` is `javascript:`). So the
//! policy refuses every control character and space outright, and decides the scheme the way a
//! browser would. An `&` before the first `/` is refused too: where a URL is written into HTML
//! unescaped, `javascript&colon;` is `javascript:`.

/// The longest URL accepted, in characters (browsers and servers cap URLs near 2,000 to 8,000).
pub const MAX_URL: usize = 2000;

/// The schemes a content URL may use (compared without regard to case).
pub const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Why a URL was refused, in plain words (it never quotes the URL: the caller shows it).
pub fn check(url: &str) -> Result<(), String> {
    let chars = url.chars().count();
    if chars > MAX_URL {
        return Err(format!(
            "the URL is {chars} characters long; the limit is {MAX_URL}"
        ));
    }
    if let Some(c) = url.chars().find(|c| c.is_control()) {
        return Err(format!(
            "the URL contains the control character {}",
            c.escape_default()
        ));
    }
    if url.chars().any(char::is_whitespace) {
        return Err("the URL contains a space".into());
    }
    // The part a browser reads a scheme from: up to the first `/`, `?` or `#`.
    let head = url.split(['/', '?', '#']).next().unwrap_or("");
    if head.contains('&') || head.contains('\\') {
        return Err("the URL has `&` or `\\` before its first `/`, as in an encoded scheme".into());
    }
    match head.split_once(':') {
        None => Ok(()), // relative: a path, `?query` or `#fragment`
        Some((scheme, _)) if SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme)) => Ok(()),
        Some((scheme, _)) => Err(format!(
            "the URL scheme `{}` is not allowed; only {} and relative URLs are",
            scheme.to_lowercase(),
            SCHEMES.join(", ")
        )),
    }
}

/// The Markdown dialect of bulletin texts (shared by the renderer and the link check, so both
/// see the same links).
pub const MARKDOWN: pulldown_cmark::Options =
    pulldown_cmark::Options::ENABLE_TABLES.union(pulldown_cmark::Options::ENABLE_STRIKETHROUGH);

/// Every link and image destination in a Markdown text, with the byte offset where the link
/// starts (entities and escapes already decoded, as the renderer sees them).
pub fn markdown_links(text: &str) -> Vec<(usize, String)> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(text, MARKDOWN)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some((range.start, dest_url.into_string()))
            }
            _ => None,
        })
        .collect()
}

/// Whether the policy allows `url`.
pub fn is_safe(url: &str) -> bool {
    check(url).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_web_mail_and_relative_urls() {
        for url in [
            "https://www.imss.gob.mx/prensa",
            "HTTP://example.org/",
            "mailto:prensa@imss.gob.mx",
            "../indicadores/",
            "/cifras/",
            "//cdn.example.org/x.png",
            "#tabla",
            "?q=riñón",
            "datos/a:b.csv",
            "",
        ] {
            assert_eq!(check(url), Ok(()), "{url}");
        }
    }

    #[test]
    fn refuses_script_and_data_urls_with_every_trick() {
        for url in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "javascript&colon;alert(1)",
            "javascript&#58;alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "https://x.org/\u{1b}[2J",
        ] {
            assert!(check(url).is_err(), "{url:?} must be refused");
        }
        let links = markdown_links("[a](JaVaScRiPt&colon;x) ![b](data:x)\n\n[c](/ok)");
        let refused: Vec<usize> = links
            .iter()
            .filter(|(_, u)| !is_safe(u))
            .map(|(at, _)| *at)
            .collect();
        assert_eq!(refused, [0, 24]);
        let long = format!("https://x.org/{}", "a".repeat(MAX_URL));
        assert!(check(&long).unwrap_err().contains("limit is 2000"));
    }
}
