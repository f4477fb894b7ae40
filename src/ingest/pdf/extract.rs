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
    inflate_font_streams(&mut doc);
    let text = match whole_document(&doc) {
        Some(pages) => pages.join(&PAGE_BREAK.to_string()),
        None => page_by_page(&doc)?,
    };
    if text.chars().any(|c| c.is_alphanumeric()) {
        Ok(text)
    } else {
        Err(PdfError::NoText)
    }
}

/// Font programs and ToUnicode maps are read again for every page that uses
/// them (pdf-extract builds its fonts per page, and inflates a TrueType
/// program only to drop it): inflate each once, in place, so every later
/// read is a copy. A stream that does not inflate is left as it was.
fn inflate_font_streams(doc: &mut pdf_extract::Document) {
    use pdf_extract::Object;
    const KEYS: [&[u8]; 4] = [b"FontFile", b"FontFile2", b"FontFile3", b"ToUnicode"];
    let mut ids = Vec::new();
    for object in doc.objects.values() {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            _ => continue,
        };
        for key in KEYS {
            if let Ok(Object::Reference(id)) = dict.get(key) {
                ids.push(*id);
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        if let Some(Object::Stream(stream)) = doc.objects.get_mut(&id) {
            if stream.is_compressed() {
                // Unsupported filters and damaged data fail here and stay as
                // they were: pdf-extract then falls back exactly as before.
                let _ = catch_unwind(AssertUnwindSafe(|| stream.decompress()));
            }
        }
    }
}

/// All pages in one pass (the page tree is walked once, not once per page),
/// each page's text kept apart. `None` when any page fails or panics: the
/// caller then goes page by page, keeping the pages that work.
fn whole_document(doc: &pdf_extract::Document) -> Option<Vec<String>> {
    let mut out = PageSplitter::default();
    match catch_unwind(AssertUnwindSafe(|| pdf_extract::output_doc(doc, &mut out))) {
        Ok(Ok(())) => Some(out.finish()),
        _ => None,
    }
}

/// Every page on its own, a failing or panicking page skipped (left empty).
fn page_by_page(doc: &pdf_extract::Document) -> Result<String, PdfError> {
    let page_numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    let mut pages: Vec<String> = Vec::with_capacity(page_numbers.len());
    let mut first_error: Option<PdfError> = None;
    let mut any_ok = false;
    for n in page_numbers {
        let mut s = String::new();
        let r = catch_unwind(AssertUnwindSafe(|| {
            let mut out = pdf_extract::PlainTextOutput::new(&mut s);
            pdf_extract::output_doc_page(doc, &mut out, n)
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
    match first_error {
        Some(e) if !text.chars().any(|c| c.is_alphanumeric()) => Err(e),
        _ => Ok(text),
    }
}

/// A page's text, shared between [`PageSplitter`] and the plain-text output
/// it makes for that page.
#[derive(Default, Clone)]
struct PageText(std::rc::Rc<std::cell::RefCell<String>>);

impl std::fmt::Write for PageText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.borrow_mut().push_str(s);
        Ok(())
    }
}

impl pdf_extract::ConvertToFmt for PageText {
    type Writer = PageText;
    fn convert(self) -> PageText {
        self
    }
}

/// pdf-extract's plain-text output, started afresh on every page (as when
/// pages are extracted one by one), each page's text collected apart.
#[derive(Default)]
struct PageSplitter {
    page: Option<(PageText, pdf_extract::PlainTextOutput<PageText>)>,
    pages: Vec<String>,
}

impl PageSplitter {
    fn current(
        &mut self,
    ) -> Result<&mut pdf_extract::PlainTextOutput<PageText>, pdf_extract::OutputError> {
        match self.page.as_mut() {
            Some((_, out)) => Ok(out),
            None => Err(pdf_extract::OutputError::FormatError(std::fmt::Error)),
        }
    }

    fn finish(self) -> Vec<String> {
        self.pages
    }
}

impl pdf_extract::OutputDev for PageSplitter {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &pdf_extract::MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        let text = PageText::default();
        let mut out = pdf_extract::PlainTextOutput::new(text.clone());
        out.begin_page(page_num, media_box, art_box)?;
        self.page = Some((text, out));
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.current()?.end_page()?;
        if let Some((text, out)) = self.page.take() {
            drop(out);
            let s = text.0.take();
            self.pages.push(s.replace(PAGE_BREAK, "\n"));
        }
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        self.current()?
            .output_character(trm, width, spacing, font_size, char)
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.current()?.begin_word()
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.current()?.end_word()
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.current()?.end_line()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A PDF of these objects (object `i + 1` is `objects[i]`), catalog first.
    fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = Vec::new();
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
        );
        for o in offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                objects.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
        let mut s = format!("<< /Length {} {dict} >>\nstream\n", data.len()).into_bytes();
        s.extend_from_slice(data);
        s.extend_from_slice(b"\nendstream");
        s
    }

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    /// Pages showing these texts with font F1 (object 3), whose ToUnicode
    /// map (object 4, compressed) reads `A` as `Z`. A page whose text is
    /// `None` selects a font it does not have.
    fn pages_pdf(pages: &[Option<&str>]) -> Vec<u8> {
        let cmap = b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap \
            /CMapName /T def 1 begincodespacerange <00> <FF> endcodespacerange \
            1 beginbfchar <41> <005A> endbfchar endcmap \
            CMapName currentdict /CMap defineresource pop end end";
        let first = 5;
        let kids: Vec<String> = (0..pages.len())
            .map(|i| format!("{} 0 R", first + 2 * i))
            .collect();
        let mut objects = vec![
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                pages.len()
            )
            .into_bytes(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 4 0 R >>".to_vec(),
            stream("/Filter /FlateDecode", &deflate(cmap)),
        ];
        for (i, text) in pages.iter().enumerate() {
            let content = match text {
                Some(t) => format!("BT /F1 12 Tf 72 712 Td ({t}) Tj ET"),
                None => "BT /F9 12 Tf 72 712 Td (lost) Tj ET".to_string(),
            };
            objects.push(
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {} 0 R \
                     /Resources << /Font << /F1 3 0 R >> >> >>",
                    first + 2 * i + 1
                )
                .into_bytes(),
            );
            objects.push(stream("", content.as_bytes()));
        }
        pdf(&objects)
    }

    fn page_texts(text: &str) -> Vec<String> {
        text.split(PAGE_BREAK)
            .map(|p| p.trim().to_string())
            .collect()
    }

    #[test]
    fn pages_come_out_in_order_each_on_its_own() {
        let bytes = pages_pdf(&[Some("one A"), Some("two"), Some("three A")]);
        let text = extract_text(&bytes).unwrap();
        assert_eq!(page_texts(&text), ["one Z", "two", "three Z"]);
        // The same text as extracting page by page.
        let mut doc = pdf_extract::Document::load_mem(&bytes).unwrap();
        inflate_font_streams(&mut doc);
        assert_eq!(page_by_page(&doc).unwrap(), text);
    }

    #[test]
    fn font_maps_are_inflated_once_and_read_the_same() {
        let bytes = pages_pdf(&[Some("A")]);
        let mut doc = pdf_extract::Document::load_mem(&bytes).unwrap();
        let before = page_by_page(&doc).unwrap();
        inflate_font_streams(&mut doc);
        let Ok(pdf_extract::Object::Stream(map)) = doc.get_object((4, 0)) else {
            panic!("object 4 is the ToUnicode stream");
        };
        assert!(!map.is_compressed());
        assert_eq!(page_by_page(&doc).unwrap(), before);
        assert_eq!(before.trim(), "Z");
    }

    #[test]
    fn a_page_that_fails_costs_only_itself() {
        let bytes = pages_pdf(&[Some("first"), None, Some("third")]);
        let text = extract_text(&bytes).unwrap();
        assert_eq!(page_texts(&text), ["first", "", "third"]);
    }
}
