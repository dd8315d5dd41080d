//! Text out of a bulletin's PDF with `lopdf` (pure Rust, no default features). The file is
//! untrusted: size, pages, objects and decompressed bytes are bounded, the parser runs on its
//! own thread under `catch_unwind` with a deadline, and every failure is a plain sentence.
//!
//! lopdf was measured by the author against pdf-extract (panicked on corrupted
//! copies) and pdf_oxide (dropped spaces, slow to build): it kept accents and column order.

use std::sync::mpsc;
use std::time::Duration;

/// Bulletins are a few pages and well under a megabyte; these leave room for scans and
/// embedded fonts while keeping a hostile file cheap to refuse.
pub const MAX_BYTES: usize = 32 * 1024 * 1024;
const MAX_PAGES: usize = 200;
const MAX_OBJECTS: usize = 200_000;
/// Per stream (lopdf's own bound while loading and extracting).
const MAX_INFLATED: usize = 32 * 1024 * 1024;
const MAX_TEXT: usize = 4 * 1024 * 1024;
const DEADLINE: Duration = Duration::from_secs(20);

/// The text of every page, pages separated by a blank line.
pub fn extract(bytes: Vec<u8>) -> Result<String, String> {
    if bytes.len() > MAX_BYTES {
        return Err(format!(
            "the PDF is {} MB; bulletins are far smaller (limit {} MB). Extract its text to a .txt file and draft from that",
            bytes.len() / (1024 * 1024),
            MAX_BYTES / (1024 * 1024)
        ));
    }
    if !bytes.starts_with(b"%PDF")
        && !bytes[..bytes.len().min(1024)]
            .windows(4)
            .any(|w| w == b"%PDF")
    {
        return Err("this is not a PDF file (it does not start with %PDF)".to_string());
    }
    let (tx, rx) = mpsc::channel();
    // A thread of its own so a parser stuck in a loop cannot hold the command: past the
    // deadline the command reports and exits, and the thread ends with the process.
    let spawned = std::thread::Builder::new()
        .name("pdf-text".into())
        .spawn(move || {
            let result = std::panic::catch_unwind(|| extract_unguarded(&bytes))
                .unwrap_or_else(|_| Err("the PDF reader failed on this file (it is probably damaged); try its text as a .txt file".to_string()));
            let _ = tx.send(result);
        });
    if spawned.is_err() {
        return Err("could not start reading the PDF".to_string());
    }
    match rx.recv_timeout(DEADLINE) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => Err(format!(
            "reading the PDF took longer than {} seconds; it may be damaged or built to be slow. Try its text as a .txt file",
            DEADLINE.as_secs()
        )),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            Err("the PDF reader stopped without a result; the file is probably damaged".to_string())
        }
    }
}

fn extract_unguarded(bytes: &[u8]) -> Result<String, String> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_INFLATED),
        ..Default::default()
    };
    let doc = lopdf::Document::load_mem_with_options(bytes, options)
        .map_err(|e| format!("the PDF cannot be read: {e}"))?;
    if doc.is_encrypted() {
        return Err("the PDF is encrypted; save an unprotected copy or its text".to_string());
    }
    if doc.objects.len() > MAX_OBJECTS {
        return Err(format!(
            "the PDF has {} objects (limit {MAX_OBJECTS}); bulletins have a few hundred",
            doc.objects.len()
        ));
    }
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err("the PDF has no pages".to_string());
    }
    if pages.len() > MAX_PAGES {
        return Err(format!(
            "the PDF has {} pages (limit {MAX_PAGES}); a bulletin has a few",
            pages.len()
        ));
    }
    let mut text = String::new();
    for page in pages {
        // One bad page loses that page only; a blank line keeps pages apart.
        if let Ok(t) = doc.extract_text_with_limit(&[page], MAX_INFLATED) {
            text.push_str(&paragraphs(&t));
            text.push_str("\n\n");
        }
        if text.len() > MAX_TEXT {
            return Err(format!(
                "the PDF holds more than {} MB of text; a bulletin holds a few KB",
                MAX_TEXT / (1024 * 1024)
            ));
        }
    }
    if text.trim().is_empty() {
        return Err(
            "the PDF has no text layer (a scanned image?); type or OCR its text into a .txt file"
                .to_string(),
        );
    }
    Ok(text)
}

/// A PDF's text has a line break at the end of every printed line and none between
/// paragraphs. A paragraph ends where a line ends a sentence well short of the column's width
/// (the widest line nearby), or where a short unpunctuated line (a heading) is followed by a
/// capital: there a blank line is put, as in a text file.
fn paragraphs(page: &str) -> String {
    let lines: Vec<&str> = page.lines().map(str::trim_end).collect();
    let len = |l: &str| l.chars().count();
    let mut out = String::with_capacity(page.len() + lines.len());
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let width = lines[i.saturating_sub(4)..(i + 5).min(lines.len())]
            .iter()
            .map(|l| len(l))
            .max()
            .unwrap_or(0);
        let next_capital = lines
            .get(i + 1)
            .and_then(|n| n.trim_start().chars().next())
            .is_some_and(char::is_uppercase);
        let ends_sentence = line.ends_with(['.', '!', '?', ':', '”', '"', '»']);
        let short = len(line) + 10 < width;
        let heading = !line.ends_with([',', ';', '-']) && len(line) * 2 < width && next_capital;
        if (ends_sentence && short) || heading {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lines_that_end_a_sentence_end_a_paragraph() {
        let page = "Un párrafo largo que ocupa toda la columna de texto\nhasta el final.\nOtro párrafo que también ocupa la columna entera y\nsigue 6 millones 552\nmil 794 consultas de especialidad en la misma frase\n";
        let text = paragraphs(page);
        assert!(text.contains("hasta el final.\n\nOtro"), "{text}");
        assert!(text.contains("552\nmil 794"), "{text}");
    }

    #[test]
    fn refuses_what_is_not_a_pdf() {
        let e = extract(b"hello".to_vec()).unwrap_err();
        assert!(e.contains("not a PDF"), "{e}");
    }

    #[test]
    fn damaged_pdfs_are_errors_not_panics() {
        let e = extract(
            b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer".to_vec(),
        )
        .unwrap_err();
        assert!(!e.is_empty());
        let too_big = vec![b' '; MAX_BYTES + 1];
        assert!(extract(too_big).unwrap_err().contains("limit"));
    }
}
