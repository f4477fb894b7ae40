//! Ingest: files → clean text → passages + metadata. Never touches the index.
//!
//! Each format has its cleaner (`text`, `html`, `pdf`) producing [`Block`]s;
//! `passages` turns blocks into passages; `metadata` and `report_meta` read the
//! document's facts from its content (never from its file name).

pub mod block;
pub mod detect;
pub mod html;
pub mod metadata;
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
    /// Larger than the limit, in bytes.
    #[error("too large (limit {0} bytes)")]
    TooLarge(u64),
    /// The cleaner found no text to index.
    #[error("no text found")]
    NoText,
    /// A bug in a cleaner, caught so the run goes on.
    #[error("internal error while reading the file: {0}")]
    Panicked(String),
}

/// Largest file read, in bytes.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Hex BLAKE3 hash of a file's bytes.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// Read a file's bytes, refusing files over [`MAX_FILE_BYTES`].
pub fn read_file(path: &Path) -> Result<Vec<u8>, IngestError> {
    let len = std::fs::metadata(path)?.len();
    if len > MAX_FILE_BYTES {
        return Err(IngestError::TooLarge(MAX_FILE_BYTES));
    }
    Ok(std::fs::read(path)?)
}

/// Read and ingest one file. `display_path` is the path as the user gave it.
pub fn ingest_file(path: &Path, display_path: &str) -> Result<Document, IngestError> {
    let bytes = read_file(path)?;
    let ext = path.extension().and_then(|e| e.to_str());
    ingest_bytes(display_path, bytes, ext)
}

/// Ingest a document from its bytes; `extension` only sharpens error messages.
pub fn ingest_bytes(
    display_path: &str,
    bytes: Vec<u8>,
    extension: Option<&str>,
) -> Result<Document, IngestError> {
    let hash = content_hash(&bytes);
    // A cleaner bug must cost one file, never the run.
    let result =
        std::panic::catch_unwind(move || extract_document(display_path, &hash, bytes, extension));
    match result {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panic".to_string());
            Err(IngestError::Panicked(msg))
        }
    }
}

fn extract_document(
    display_path: &str,
    hash: &str,
    bytes: Vec<u8>,
    extension: Option<&str>,
) -> Result<Document, IngestError> {
    let bytes = detect::gunzip_if_needed(bytes)?;
    let extracted = extract(&bytes, extension)?;
    let meta = metadata::document_meta(display_path, hash, &extracted);
    let passages = passages::passages(&extracted.blocks);
    if passages.is_empty() {
        return Err(IngestError::NoText);
    }
    Ok(Document { meta, passages })
}

/// Run the format's cleaner.
pub fn extract(bytes: &[u8], extension: Option<&str>) -> Result<Extracted, IngestError> {
    match detect::detect(bytes, extension)? {
        Format::Pdf => {
            let raw = pdf::extract_text(bytes)?;
            let blocks = pdf::clean(&raw);
            Ok(Extracted {
                full_text: raw,
                blocks,
                ..Extracted::default()
            })
        }
        Format::Html => {
            let article = html::extract(bytes);
            let blocks = article.blocks;
            let full_text = blocks
                .iter()
                .map(|b| b.text.as_str())
                .collect::<Vec<_>>()
                .join("\n\n");
            Ok(Extracted {
                title: article.title,
                full_text,
                blocks,
                published: article.published_date,
                publisher: article.site_name,
            })
        }
        Format::Text => {
            let cleaned = text::clean(&detect::decode_text(bytes));
            Ok(Extracted {
                title: cleaned.title,
                full_text: cleaned.full_text,
                blocks: cleaned.blocks,
                ..Extracted::default()
            })
        }
    }
}
