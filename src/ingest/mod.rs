//! Ingest: files → clean text → passages + metadata. Never touches the index.
//!
//! Each format has its cleaner (`text`, `html`, `pdf`) producing [`Block`]s;
//! `passages` turns blocks into passages; `metadata` and `report_meta` read the
//! document's facts from its content (never from its file name).

pub mod block;
pub mod detect;
pub mod guard;
pub mod html;
pub mod hyphen;
pub mod judgement_table;
pub mod kinds;
pub mod letter;
pub mod letter_meta;
pub mod metadata;
pub mod passage_kind;
pub mod passages;
pub mod pdf;
pub mod report_meta;
pub mod text;
pub mod walk;

use std::path::Path;

pub use block::{Block, BlockKind};
pub use detect::Format;

use crate::document::Document;
use metadata::Extracted;

/// Why one file could not be ingested. The run goes on without it.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The file is empty or only white space.
    #[error("empty file")]
    Empty,
    /// Binary data that is not a format ofsearch reads.
    #[error("binary data, not PDF, HTML or text")]
    Binary,
    /// A `.pdf` file that is not a PDF.
    #[error("not a PDF: {0}")]
    NotPdf(&'static str),
    /// The PDF could not be read.
    #[error("{0}")]
    Pdf(#[from] pdf::PdfError),
    /// Damaged data in a known format.
    #[error("{0}")]
    Corrupt(String),
    /// A line over the limit, in bytes: not prose.
    #[error("a line longer than {0} bytes: not a text document")]
    LineTooLong(usize),
    /// Larger than the limit, in bytes.
    #[error("too large (limit {0} bytes)")]
    TooLarge(u64),
    /// The cleaner found no text to index.
    #[error("no text found")]
    NoText,
    /// Extraction took longer than the per-file limit.
    #[error("timed out after {0} (raise the limit with --file-timeout)")]
    TimedOut(String),
    /// A PDF whose compressed streams inflate beyond the limit, in bytes.
    #[error("PDF streams inflate to more than {0} bytes (a decompression bomb?)")]
    TooLargeInflated(u64),
    /// A bug in a cleaner, caught so the run goes on.
    #[error("internal error while reading the file: {0}")]
    Panicked(String),
}

/// Largest file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Largest text file read, in bytes (PDFs may be up to [`MAX_FILE_BYTES`]).
/// Text is cleaned in pieces, so memory stays a small multiple of the file.
pub const MAX_TEXT_BYTES: u64 = 256 * 1024 * 1024;

/// Largest HTML page read, in bytes: a page is parsed whole.
pub const MAX_HTML_BYTES: u64 = 64 * 1024 * 1024;

/// Hex BLAKE3 hash of a file's bytes.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// Read a file's bytes, refusing files over [`MAX_FILE_BYTES`], and text or
/// HTML files (anything but a PDF or gzip data) over [`MAX_TEXT_BYTES`],
/// before reading them whole.
pub fn read_file(path: &Path) -> Result<Vec<u8>, IngestError> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    if len > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge(MAX_FILE_BYTES));
    }
    if len > MAX_HTML_BYTES {
        let mut head = Vec::with_capacity(1024);
        (&mut file).take(1024).read_to_end(&mut head)?;
        let pdf = head.windows(5).any(|w| w == b"%PDF-");
        if !pdf && !head.starts_with(&[0x1f, 0x8b]) {
            if html::looks_like_html(&head) {
                return Err(IngestError::TooLarge(MAX_HTML_BYTES));
            }
            if len > MAX_TEXT_BYTES {
                return Err(IngestError::TooLarge(MAX_TEXT_BYTES));
            }
        }
        let mut bytes = head;
        bytes.reserve(len as usize);
        // Read no more than the limit even if the file grows meanwhile.
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        return check_len(bytes);
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    check_len(bytes)
}

fn check_len(bytes: Vec<u8>) -> Result<Vec<u8>, IngestError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge(MAX_FILE_BYTES));
    }
    Ok(bytes)
}

/// Read and ingest one file. `display_path` is the path as the user gave it.
pub fn ingest_file(path: &Path, display_path: &str) -> Result<Document, IngestError> {
    let bytes = read_file(path)?;
    let ext = path.extension().and_then(|e| e.to_str());
    ingest_bytes(display_path, bytes, ext)
}

/// Why a document came out as it did: what the cleaners dropped and where
/// each metadata field was read from (`ofsearch extract --explain`).
#[derive(Debug, Clone, Default)]
pub struct Explanation {
    /// Each letter-furniture line dropped, with the rule that dropped it.
    pub dropped: Vec<(letter::DropRule, String)>,
    /// Each field read from a letter's own words, with the line or sentence.
    pub evidence: Vec<(&'static str, String)>,
}

/// The judgement table the cleaner read, as `the judgement table: row | row …`.
fn judgement_table_rows(dropped: &[(letter::DropRule, String)]) -> Option<String> {
    let lines: Vec<&str> = dropped
        .iter()
        .filter(|(rule, _)| *rule == letter::DropRule::JudgementTable)
        .map(|(_, line)| line.as_str())
        .collect();
    let rows = judgement_table::rows(&lines);
    (!rows.is_empty()).then(|| format!("the judgement table: {}", rows.join(" | ")))
}

/// [`ingest_file`], also explaining what was dropped and where the fields came from.
pub fn explain_file(
    path: &Path,
    display_path: &str,
) -> Result<(Document, Explanation), IngestError> {
    let bytes = read_file(path)?;
    let hash = content_hash(&bytes);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_string);
    let display_path = display_path.to_string();
    guard::run(guard::file_timeout(), move || {
        let bytes = detect::gunzip_if_needed(bytes)?;
        let mut extracted = extract_owned(bytes, ext.as_deref())?;
        let dropped = std::mem::take(&mut extracted.dropped);
        let mut evidence = report_meta::extract(&extracted.full_text).evidence;
        if let Some(table) = judgement_table_rows(&dropped) {
            evidence.push(("judgements", table));
        }
        let doc = document_from(&display_path, &hash, extracted)?;
        Ok((doc, Explanation { dropped, evidence }))
    })
}

/// Ingest a document from its bytes; `extension` only sharpens error messages.
///
/// Extraction runs under [`guard::run`]: on a worker thread with a big stack,
/// a panic caught, and the process-wide [`guard::file_timeout`].
pub fn ingest_bytes(
    display_path: &str,
    bytes: Vec<u8>,
    extension: Option<&str>,
) -> Result<Document, IngestError> {
    ingest_bytes_within(display_path, bytes, extension, guard::file_timeout())
}

/// [`ingest_bytes`] with an explicit time limit (`None`: no limit).
pub fn ingest_bytes_within(
    display_path: &str,
    bytes: Vec<u8>,
    extension: Option<&str>,
    timeout: Option<std::time::Duration>,
) -> Result<Document, IngestError> {
    let hash = content_hash(&bytes);
    let display_path = display_path.to_string();
    let extension = extension.map(str::to_string);
    // A cleaner bug or a pathological file must cost one file, never the run.
    guard::run(timeout, move || {
        extract_document(&display_path, &hash, bytes, extension.as_deref())
    })
}

fn extract_document(
    display_path: &str,
    hash: &str,
    bytes: Vec<u8>,
    extension: Option<&str>,
) -> Result<Document, IngestError> {
    let bytes = detect::gunzip_if_needed(bytes)?;
    // A gzip file may unpack to text far over the text limit.
    if bytes.len() as u64 > MAX_TEXT_BYTES && detect::detect(&bytes, None)? != Format::Pdf {
        return Err(IngestError::TooLarge(MAX_TEXT_BYTES));
    }
    let extracted = extract_owned(bytes, extension)?;
    document_from(display_path, hash, extracted)
}

/// Passages and metadata from what a cleaner extracted.
fn document_from(
    display_path: &str,
    hash: &str,
    mut extracted: Extracted,
) -> Result<Document, IngestError> {
    let mut passages = passages::from_blocks(std::mem::take(&mut extracted.blocks));
    if passages.is_empty() {
        return Err(IngestError::NoText);
    }
    let meta = metadata::document_meta(display_path, hash, &extracted, &passages);
    passage_kind::classify_all(&meta, &mut passages);
    Ok(Document { meta, passages })
}

/// Run the format's cleaner.
pub fn extract(bytes: &[u8], extension: Option<&str>) -> Result<Extracted, IngestError> {
    extract_owned(bytes.to_vec(), extension)
}

/// [`extract`], taking the bytes so a large text file is decoded in place.
fn extract_owned(bytes: Vec<u8>, extension: Option<&str>) -> Result<Extracted, IngestError> {
    match detect::detect(&bytes, extension)? {
        Format::Text => extract_text(bytes),
        Format::Pdf => extract_pdf(&bytes),
        Format::Html => extract_html(&bytes),
    }
}

/// Text and Markdown: decoded in place, cleaned in pieces when large.
fn extract_text(bytes: Vec<u8>) -> Result<Extracted, IngestError> {
    let text = detect::decode_text_owned(bytes);
    let (cleaned, dropped) = text::clean_large(&text, text::CHUNK_BYTES)
        .map_err(|_| IngestError::LineTooLong(text::MAX_LINE_BYTES))?;
    Ok(Extracted {
        title: cleaned.title,
        full_text: cleaned.full_text,
        blocks: cleaned.blocks,
        dropped,
        ..Extracted::default()
    })
}

/// PDF: checked for decompression bombs, then text extracted and cleaned.
fn extract_pdf(bytes: &[u8]) -> Result<Extracted, IngestError> {
    guard::check_pdf_inflation(bytes)?;
    let raw = pdf::extract_text(bytes)?;
    let (blocks, dropped) = pdf::clean_explained(&raw);
    Ok(Extracted {
        full_text: raw,
        blocks,
        dropped,
        ..Extracted::default()
    })
}

/// HTML: the article and the metadata in its markup (a page is parsed whole, hence the cap).
fn extract_html(bytes: &[u8]) -> Result<Extracted, IngestError> {
    if bytes.len() as u64 > MAX_HTML_BYTES {
        return Err(IngestError::TooLarge(MAX_HTML_BYTES));
    }
    let article = html::extract(bytes);
    let full_text = article
        .blocks
        .iter()
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    // A letter reprinted in a page: each block is a group of its own.
    let (blocks, dropped) = letter::drop_from_blocks(article.blocks);
    Ok(Extracted {
        title: article.title,
        full_text,
        blocks,
        dropped,
        published: article.published_date,
        publisher: article.site_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gzip_unpacking_to_huge_text_is_refused() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let line = vec![b'a'; 1 << 20];
        for _ in 0..=(MAX_TEXT_BYTES >> 20) {
            enc.write_all(&line).unwrap();
        }
        let gz = enc.finish().unwrap();
        let r = ingest_bytes_within("big.txt.gz", gz, Some("gz"), None);
        assert!(
            matches!(r, Err(IngestError::TooLarge(MAX_TEXT_BYTES))),
            "{r:?}"
        );
    }

    #[test]
    fn a_story_naming_the_visit_gets_its_inspectors_and_days() {
        let page = r#"<html><head><title>Council services still inadequate</title>
            <meta property="og:site_name" content="Local News"></head><body><article>
            <h1>Council services still inadequate, says Ofsted</h1>
            <p>Children's services in the borough are still not good enough, according to a new report published this week by the education watchdog.</p>
            <p>The inspectors, Jane Smith and Tom Brown, visited the council on 14 and 15 September 2022 and looked at the help given to children in care.</p>
            <p>The council said it accepted the findings and had already set aside money in its budget for 2023, agreed on 1 March 2023.</p>
            </article></body></html>"#;
        let doc = ingest_bytes_within("story.html", page.as_bytes().to_vec(), Some("html"), None)
            .expect("a story");
        assert_ne!(doc.meta.source.as_deref(), Some("ofsted"));
        assert_eq!(doc.meta.inspectors, ["Jane Smith", "Tom Brown"]);
        assert_eq!(
            doc.meta.inspection_start.map(|d| d.to_string()).as_deref(),
            Some("2022-09-14")
        );
        assert_eq!(
            doc.meta.inspection_end.map(|d| d.to_string()).as_deref(),
            Some("2022-09-15")
        );
    }

    #[test]
    fn timeouts_and_panics_cost_one_file() {
        let r = ingest_bytes_within(
            "slow.html",
            format!("<html><body>{}</body></html>", "<p>x</p>".repeat(200_000)).into_bytes(),
            Some("html"),
            Some(std::time::Duration::from_millis(1)),
        );
        assert!(matches!(r, Err(IngestError::TimedOut(_))), "{r:?}");
        let ok = ingest_bytes_within(
            "ok.txt",
            b"Title\n\nA paragraph of ordinary text about children's services.\n".to_vec(),
            Some("txt"),
            None,
        );
        assert!(ok.is_ok(), "{ok:?}");
    }
}
