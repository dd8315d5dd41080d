//! What rendering produces: finished files, and the files still to be made (social cards and
//! data downloads) with how to make them. `write` and `serve` use these types too.

use std::path::Path;
use std::sync::Arc;

use super::data;
use crate::charts::card::{self, Card};
use crate::diagnostics::Diagnostic;
use crate::model::ObsRef;

/// One output file, its path relative to the output root. The bytes are shared, so `serve`
/// can keep and hand out unchanged files between rebuilds without copying them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Arc<[u8]>,
}

/// A file still to be made: social cards (rasterising is most of a build's work) and the data
/// downloads (megabytes that a preview rarely fetches). Chart PNGs are made by the reader's
/// browser, not here. `render` only says what to make;
/// `build` makes them all in parallel, `serve` makes one when it is requested, and `check`
/// draws no PNG.
#[derive(Debug, Clone)]
pub struct Deferred {
    pub path: String,
    pub image: Image,
}

#[derive(Debug, Clone)]
pub enum Image {
    /// A 1200×630 social card.
    Card(Box<Card>),
    /// A CSV or JSON download of these figures.
    Data {
        encoded: Arc<data::Encoded>,
        figures: Vec<ObsRef>,
        format: data::Format,
    },
}

impl Deferred {
    /// What a PNG is drawn from, as a hash, so `write` can reuse the previous build's file when
    /// it is unchanged. `None` for data files, which are quicker to make than to compare.
    pub fn content_key(&self) -> Option<u64> {
        match &self.image {
            Image::Card(c) => Some(c.fingerprint()),
            Image::Data { .. } => None,
        }
    }

    pub fn draw(&self) -> Result<OutputFile, Diagnostic> {
        let bytes = match &self.image {
            Image::Card(c) => card::png(c),
            Image::Data {
                encoded,
                figures,
                format,
            } => Ok(match format {
                data::Format::Json => encoded.json(figures.iter().copied()),
                data::Format::Csv => encoded.csv(figures.iter().copied()),
                data::Format::PlaceCsv(kinds) => {
                    encoded.place_csv(figures.iter().copied().zip(kinds.iter().copied()))
                }
            }),
        };
        bytes
            .map(|bytes| OutputFile {
                path: self.path.clone(),
                bytes: bytes.into(),
            })
            .map_err(|e| Diagnostic::file_error(Path::new(&self.path), e))
    }
}
