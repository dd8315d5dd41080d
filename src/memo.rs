//! Work `serve` keeps between rebuilds: parsed and checked bulletins, chart drawings, rendered
//! parts of the site, each under a hash of everything it is made from, so an edit to one bulletin parses,
//! checks, redraws and re-renders only what that edit changed. Two generations: what a rebuild does not use is dropped after the next one, so
//! memory stays bounded by about two sites' worth.
//!
//! `build` does not use it: a one-off build would only pay for the hashing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Default)]
pub struct Memo {
    svgs: Generations<(Arc<str>, Arc<str>)>,
    units: Generations<crate::render::Part>,
    sources: Generations<Arc<crate::load::BulletinSource>>,
    checked: Generations<(crate::model::Bulletin, crate::diagnostics::Diagnostics)>,
    lines: Generations<crate::render::data::BulletinLines>,
    templates: Mutex<Option<Arc<tera::Tera>>>,
    fragments: Generations<Arc<str>>,
}

struct Generations<T> {
    inner: Mutex<(HashMap<u64, T>, HashMap<u64, T>)>,
}

impl<T> Default for Generations<T> {
    fn default() -> Self {
        Generations {
            inner: Mutex::new((HashMap::new(), HashMap::new())),
        }
    }
}

impl<T: Clone> Generations<T> {
    /// The value under `key` from this or the previous rebuild, else `make()` (run unlocked,
    /// so rebuild threads draw in parallel).
    fn get_or(&self, key: u64, make: impl FnOnce() -> T) -> T {
        match self.try_get_or(key, || Ok::<T, std::convert::Infallible>(make())) {
            Ok(v) => v,
            Err(never) => match never {},
        }
    }

    fn try_get_or<E>(&self, key: u64, make: impl FnOnce() -> Result<T, E>) -> Result<T, E> {
        {
            let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(v) = g.0.get(&key) {
                return Ok(v.clone());
            }
            if let Some(v) = g.1.remove(&key) {
                g.0.insert(key, v.clone());
                return Ok(v);
            }
        }
        let v = make()?;
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.0.insert(key, v.clone());
        Ok(v)
    }

    fn next_generation(&self) {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.1 = std::mem::take(&mut g.0);
    }

    fn clear(&self) {
        let mut g = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        g.0.clear();
        g.1.clear();
    }
}

impl Memo {
    /// A chart's wide and narrow SVG.
    pub fn svgs(
        &self,
        key: u64,
        draw: impl FnOnce() -> (Arc<str>, Arc<str>),
    ) -> (Arc<str>, Arc<str>) {
        self.svgs.get_or(key, draw)
    }

    /// Everything one part of the site (a bulletin's page, an indicator's, a chart's files)
    /// produced, under a key made from exactly what that part is built from.
    pub(crate) fn unit(
        &self,
        key: u64,
        make: impl FnOnce() -> crate::render::Part,
    ) -> crate::render::Part {
        self.units.get_or(key, make)
    }

    /// A bulletin's parsed files, under a hash of their paths, sizes and modification times;
    /// `None` when they cannot be read or parsed (then nothing is kept).
    pub(crate) fn source(
        &self,
        key: u64,
        parse: impl FnOnce() -> Option<Arc<crate::load::BulletinSource>>,
    ) -> Option<Arc<crate::load::BulletinSource>> {
        self.sources.try_get_or(key, || parse().ok_or(())).ok()
    }

    /// A bulletin as validated, with what validation found, under a hash of its files and the
    /// catalogues it was checked against.
    pub(crate) fn checked(
        &self,
        key: u64,
        check: impl FnOnce() -> (crate::model::Bulletin, crate::diagnostics::Diagnostics),
    ) -> (crate::model::Bulletin, crate::diagnostics::Diagnostics) {
        self.checked.get_or(key, check)
    }

    /// A bulletin's figures encoded for the downloads.
    pub(crate) fn lines(
        &self,
        key: u64,
        encode: impl FnOnce() -> Result<crate::render::data::BulletinLines, String>,
    ) -> Result<crate::render::data::BulletinLines, String> {
        self.lines.try_get_or(key, encode)
    }

    /// Call after each rebuild: what it did not use will be dropped after the next one.
    pub fn end_rebuild(&self) {
        self.svgs.next_generation();
        self.units.next_generation();
        self.sources.next_generation();
        self.checked.next_generation();
        self.lines.next_generation();
        self.fragments.next_generation();
    }

    /// A rendered piece of a page (e.g. one report on a place page).
    pub(crate) fn fragment<E>(
        &self,
        key: u64,
        render: impl FnOnce() -> Result<Arc<str>, E>,
    ) -> Result<Arc<str>, E> {
        self.fragments.try_get_or(key, render)
    }

    /// The compiled templates, kept until `forget_pages`.
    pub(crate) fn templates<E>(
        &self,
        compile: impl FnOnce() -> Result<tera::Tera, E>,
    ) -> Result<Arc<tera::Tera>, E> {
        let mut t = self.templates.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(tera) = t.as_ref() {
            return Ok(tera.clone());
        }
        let tera = Arc::new(compile()?);
        *t = Some(tera.clone());
        Ok(tera)
    }

    /// Templates changed: no rendered page, nor the compiled templates, can be reused.
    pub fn forget_pages(&self) {
        self.units.clear();
        self.fragments.clear();
        *self.templates.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reuses_within_two_rebuilds_then_forgets() {
        let memo = Memo::default();
        let mut calls = 0;
        let mut draw = |memo: &Memo| {
            memo.svgs(7, || {
                calls += 1;
                (Arc::from("w"), Arc::from("n"))
            })
        };
        draw(&memo);
        draw(&memo);
        memo.end_rebuild();
        draw(&memo); // used again: kept
        memo.end_rebuild();
        memo.end_rebuild(); // unused for a whole rebuild: dropped
        draw(&memo);
        assert_eq!(calls, 2);
    }
}
