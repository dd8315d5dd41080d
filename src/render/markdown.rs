//! Bulletin text to HTML. Policy for untrusted text: raw HTML in the Markdown is shown as
//! text, never passed through, and links may only use http(s), mailto or relative URLs.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag};

/// Render Markdown, demoting headings by `demote` levels so the text nests under the page's own
/// headings (the page already has the `<h1>`).
pub fn to_html(markdown: &str, demote: usize) -> String {
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level, demote),
            id,
            classes,
            attrs,
        }),
        Event::End(pulldown_cmark::TagEnd::Heading(level)) => {
            Event::End(pulldown_cmark::TagEnd::Heading(shift(level, demote)))
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: safe_url(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, parser);
    html
}

fn shift(level: HeadingLevel, by: usize) -> HeadingLevel {
    let n = (level as usize + by).min(6);
    HeadingLevel::try_from(n).unwrap_or(HeadingLevel::H6)
}

fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme = lower.split_once(':').map(|(s, _)| s);
    let allowed = match scheme {
        None => true,
        // "a/b:c" is a relative path, not a scheme
        Some(s) if s.contains('/') || s.contains('?') || s.contains('#') => true,
        Some(s) => matches!(s, "http" | "https" | "mailto"),
    };
    if allowed {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("Hola <script>alert(1)</script> y <b>negrita</b>", 0);
        assert!(!html.contains("<script>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;b&gt;negrita&lt;/b&gt;"));
    }

    #[test]
    fn dangerous_links_are_neutralised() {
        let html = to_html(
            "[a](javascript:alert(1)) [b](https://imss.gob.mx) [c](../x/)",
            0,
        );
        assert!(html.contains(r##"<a href="#">a</a>"##));
        assert!(html.contains(r#"href="https://imss.gob.mx""#));
        assert!(html.contains(r#"href="../x/""#));
    }

    #[test]
    fn headings_are_demoted() {
        assert_eq!(to_html("# Título", 2).trim(), "<h3>Título</h3>");
        assert_eq!(to_html("###### Seis", 2).trim(), "<h6>Seis</h6>");
    }
}
