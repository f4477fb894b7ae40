//! Decide a file's format from its bytes, not its name, and decode text.

use std::io::Read;

use super::IngestError;

/// The formats ofsearch reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A PDF document.
    Pdf,
    /// An HTML page.
    Html,
    /// Plain text or Markdown.
    Text,
}

/// Largest decompressed size accepted from a gzip file.
const MAX_GUNZIP_BYTES: u64 = 256 * 1024 * 1024;

/// Remove a gzip wrapper (saved web pages often have one); other bytes pass through.
pub fn gunzip_if_needed(bytes: Vec<u8>) -> Result<Vec<u8>, IngestError> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(bytes);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes.as_slice())
        .take(MAX_GUNZIP_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| IngestError::Corrupt(format!("bad gzip data: {e}")))?;
    if out.len() as u64 > MAX_GUNZIP_BYTES {
        return Err(IngestError::TooLarge(MAX_GUNZIP_BYTES));
    }
    Ok(out)
}

/// The first non-blank bytes, after any byte-order mark.
fn head(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// Detect the format; `extension_hint` only explains errors (a `.pdf` that is really HTML).
pub fn detect(bytes: &[u8], extension_hint: Option<&str>) -> Result<Format, IngestError> {
    if bytes.is_empty() || head(bytes).is_empty() {
        return Err(IngestError::Empty);
    }
    let window = &bytes[..bytes.len().min(1024)];
    if window.windows(5).any(|w| w == b"%PDF-") {
        return Ok(Format::Pdf);
    }
    let is_html = super::html::looks_like_html(bytes);
    if extension_hint.is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
        return Err(IngestError::NotPdf(if is_html {
            "it is an HTML page (an error page saved as .pdf?)"
        } else {
            "no %PDF header"
        }));
    }
    if is_html {
        return Ok(Format::Html);
    }
    if looks_binary(bytes) {
        return Err(IngestError::Binary);
    }
    Ok(Format::Text)
}

/// Binary data: NUL bytes outside UTF-16 text, or many control characters.
fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return false;
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    controls * 20 > sample.len()
}

/// [`decode_text`], reusing the buffer when the bytes are already UTF-8.
pub fn decode_text_owned(bytes: Vec<u8>) -> String {
    if encoding_rs::Encoding::for_bom(&bytes).is_some() {
        return decode_text(&bytes);
    }
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => decode_text(e.as_bytes()),
    }
}

/// Decode text bytes: UTF-16 by BOM, UTF-8, else Windows-1252 (never fails).
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_with_bom_removal(bytes).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(detect(b"%PDF-1.7\n...", None).unwrap(), Format::Pdf);
        assert_eq!(
            detect(b"<!DOCTYPE html><html><body><p>x</p></body></html>", None).unwrap(),
            Format::Html
        );
        assert!(detect(b"Just words.", Some("pdf")).is_err());
        assert!(matches!(
            detect(b"<html><body>404 Not Found</body></html>", Some("pdf")),
            Err(IngestError::NotPdf(m)) if m.contains("HTML")
        ));
        assert!(matches!(detect(b"", None), Err(IngestError::Empty)));
        assert!(matches!(
            detect(b"\x00\x01\x02binary", None),
            Err(IngestError::Binary)
        ));
        assert_eq!(detect(b"Plain text.", Some("txt")).unwrap(), Format::Text);
    }

    #[test]
    fn decodes_utf16_and_latin1() {
        let utf16: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain("Hi £".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode_text(&utf16), "Hi £");
        assert_eq!(decode_text(b"caf\xe9"), "café");
    }

    #[test]
    fn gunzips() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"<html><p>x</p></html>").unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(gunzip_if_needed(gz).unwrap(), b"<html><p>x</p></html>");
        assert!(gunzip_if_needed(vec![0x1f, 0x8b, 1, 2, 3]).is_err());
    }
}
