//! Raw text extraction with `pdf-extract`, guarded against panics.
//!
//! Pages are extracted one by one and joined with a form feed (`'\u{c}'`), so that the
//! cleaner can see page boundaries (pdf-extract's own whole-document output has no
//! page separator). A page that fails or panics is skipped; the rest are kept.

use std::panic::{catch_unwind, AssertUnwindSafe};

use super::PdfError;

/// Page separator inserted between pages.
pub const PAGE_BREAK: char = '\u{c}';

/// Does the buffer start with a `%PDF` header (allowing leading whitespace or a BOM within the first 1 KB)?
pub fn has_pdf_header(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(1024)).unwrap_or(bytes);
    let mut rest = head;
    // Skip a UTF-8 BOM and ASCII whitespace / NULs before the header.
    if let Some(r) = rest.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        rest = r;
    }
    let start = rest
        .iter()
        .position(|b| !(b.is_ascii_whitespace() || *b == 0))
        .unwrap_or(rest.len());
    let rest = rest.get(start..).unwrap_or(&[]);
    if rest.starts_with(b"%PDF") {
        return true;
    }
    // Some producers put junk before the header; readers accept it within the first 1 KB.
    head.windows(5).any(|w| w == b"%PDF-")
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}

/// Extract raw text (pdf-extract behind `catch_unwind`), pages separated by form feeds.
pub fn extract_text(bytes: &[u8]) -> Result<String, PdfError> {
    if !has_pdf_header(bytes) {
        return Err(PdfError::NotPdf);
    }
    let loaded = catch_unwind(AssertUnwindSafe(|| pdf_extract::Document::load_mem(bytes)));
    let mut doc = match loaded {
        Ok(Ok(doc)) => doc,
        Ok(Err(e)) => {
            let msg = e.to_string();
            if msg.to_ascii_lowercase().contains("encrypt") {
                return Err(PdfError::Encrypted);
            }
            return Err(PdfError::Extract(msg));
        }
        Err(p) => return Err(PdfError::Panicked(panic_message(p))),
    };
    if doc.is_encrypted() {
        let ok = catch_unwind(AssertUnwindSafe(|| doc.decrypt("").is_ok())).unwrap_or(false);
        if !ok {
            return Err(PdfError::Encrypted);
        }
    }
    // A cycle would recurse until the stack overflows, which aborts the process.
    crate::ingest::guard::check_pdf_structure(&doc).map_err(PdfError::Extract)?;
    let page_numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut pages: Vec<String> = Vec::with_capacity(page_numbers.len());
    let mut first_error: Option<PdfError> = None;
    let mut any_ok = false;
    for n in page_numbers {
        let mut s = String::new();
        let r = catch_unwind(AssertUnwindSafe(|| {
            let mut out = pdf_extract::PlainTextOutput::new(&mut s);
            pdf_extract::output_doc_page(&doc, &mut out, n)
        }));
        match r {
            Ok(Ok(())) => any_ok = true,
            Ok(Err(e)) => {
                first_error.get_or_insert(PdfError::Extract(e.to_string()));
                s.clear();
            }
            Err(p) => {
                first_error.get_or_insert(PdfError::Panicked(panic_message(p)));
                s.clear();
            }
        }
        pages.push(s.replace(PAGE_BREAK, "\n"));
    }
    if !any_ok {
        return Err(first_error.unwrap_or(PdfError::NoText));
    }
    let text = pages.join(&PAGE_BREAK.to_string());
    if text.chars().any(|c| c.is_alphanumeric()) {
        Ok(text)
    } else {
        Err(first_error.unwrap_or(PdfError::NoText))
    }
}
