//! The files for crawlers, feed readers and hosts: sitemap, Atom feed, robots.txt and
//! `.nojekyll`. Rendered last: the sitemap lists every page the others made.

use crate::render::publish;
use crate::render::renderer::Renderer;

/// Files for crawlers, feed readers and GitHub Pages.
pub(in crate::render) fn render(r: &mut Renderer) {
    let base = r.site.config.base_url.clone();
    let sitemap = publish::sitemap(&base, &r.made.sitemap);
    r.file("sitemap.xml".into(), Ok(sitemap.into_bytes()));
    r.file("feed.xml".into(), Ok(publish::atom(r.site).into_bytes()));
    r.file("robots.txt".into(), Ok(publish::robots(&base).into_bytes()));
    // GitHub Pages runs Jekyll unless told not to; the site is already built.
    r.file(".nojekyll".into(), Ok(Vec::new()));
}
