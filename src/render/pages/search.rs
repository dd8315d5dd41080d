//! The search page (`buscar/`): Pagefind's search UI over the index `crate::search` builds,
//! filled in from `?q=` so a search can be shared as a link. Without JavaScript (or in a build
//! without the `search` feature) it says what search needs and links the lists to browse.

use tera::Context;

use crate::render::renderer::{Meta, Renderer};

pub(in crate::render) fn render(r: &mut Renderer) {
    let mut ctx = Context::new();
    ctx.insert("available", &crate::search::AVAILABLE);
    ctx.insert("bundle", &format!("{}/", crate::search::DIR));
    ctx.insert("bulletin_count", &r.site.bulletins.len());
    ctx.insert("metric_count", &r.site.metrics.len());
    ctx.insert("place_count", &r.site.places.len());
    r.page(
        "buscar/",
        "search.html",
        Meta::new(
            "Buscar",
            "Busque boletines, indicadores, lugares y cada cifra de los boletines del IMSS.",
            "buscar",
        ),
        ctx,
    );
}
