//! The site's pages, one module per kind, each with one entry function, `render`, that emits
//! its pages, cards and downloads through the `Renderer`. `render::render` runs them.

pub(super) mod bulletins;
pub(super) mod downloads;
pub(super) mod embeds;
pub(super) mod home;
pub(super) mod indicators;
pub(super) mod methodology;
pub(super) mod not_found;
pub(super) mod places;
pub(super) mod publishing;
pub(super) mod search;
