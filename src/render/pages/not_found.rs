//! The 404 page, which hosts serve at any depth (so it links absolutely: see
//! `Renderer::page`).

use tera::Context;

use crate::render::renderer::{Meta, Renderer};

/// The page for a missing path.
pub(in crate::render) fn render(r: &mut Renderer) {
    r.page(
        "404.html",
        "404.html",
        Meta::new("Página no encontrada", "La página que busca no existe.", ""),
        Context::new(),
    );
}
