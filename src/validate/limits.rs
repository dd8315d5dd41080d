//! Size limits on what content may write into the site, and the URL policy applied to content
//! fields. A text is copied into many pages (a bulletin's title into lists, feeds, the search
//! index, every data download), so a field of a megabyte would make a site of hundreds: each
//! kind of field has a cap far above any real bulletin's, stated in the error.
//!
//! Slugs become file and folder names, and file systems refuse names over 255 bytes (a long
//! slug used to pass `check` and fail `build` with "File name too long").

use crate::diagnostics::{Diagnostics, SourceFile};
use crate::load::schema::S;

use super::pos;

/// Slugs and ids that become part of a URL or a file name, in characters.
pub const MAX_SLUG: usize = 100;
/// Titles, labels, names, units, tags, numbers, publishers.
pub const MAX_TITLE: usize = 300;
/// Notes, definitions and descriptions.
pub const MAX_NOTE: usize = 5000;

/// What a field is, for the message and its limit.
#[derive(Clone, Copy)]
pub enum Field {
    Slug,
    Title,
    Note,
}

impl Field {
    fn limit(self) -> usize {
        match self {
            Field::Slug => MAX_SLUG,
            Field::Title => MAX_TITLE,
            Field::Note => MAX_NOTE,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Field::Slug => "slug or id",
            Field::Title => "title, label or name",
            Field::Note => "note, definition or description",
        }
    }
}

/// Whether `text` fits its field's limit; if not, a located error saying the limit.
pub fn fits(f: &SourceFile, s: &S<String>, field: Field, diags: &mut Diagnostics) -> bool {
    let chars = s.value.chars().count();
    let limit = field.limit();
    if chars <= limit {
        return true;
    }
    diags.push(
        f.error(
            pos(s),
            format!(
                "this {} is {chars} characters long; the limit is {limit}",
                field.name()
            ),
        )
        .with_hint("shorten it; see README.md, section \"Safety\", for every limit"),
    );
    false
}

/// `fits` for an optional field.
pub fn fits_opt(f: &SourceFile, s: &Option<S<String>>, field: Field, diags: &mut Diagnostics) {
    if let Some(s) = s {
        fits(f, s, field, diags);
    }
}

/// A URL written from content must pass the policy in `crate::urls`.
pub fn url(f: &SourceFile, s: &S<String>, diags: &mut Diagnostics) -> bool {
    match crate::urls::check(&s.value) {
        Ok(()) => true,
        Err(why) => {
            diags.push(f.error(pos(s), why).with_hint(
                "write a full http:// or https:// address, a mailto: address, or a relative path",
            ));
            false
        }
    }
}

/// Every unsafe link or image in a bulletin text, located at the link.
pub fn markdown_links(text: &SourceFile, diags: &mut Diagnostics) {
    for (at, url) in crate::urls::markdown_links(&text.text) {
        if let Err(why) = crate::urls::check(&url) {
            diags.push(text.error(text.pos_at(at), why).with_hint(
                "links may only point to http://, https://, mailto: or relative addresses",
            ));
        }
    }
}
