//! The fuzz targets' bodies, shared by `fuzz/fuzz_targets/*.rs` (cargo fuzz,
//! nightly, outside CI) and `tests/reliability_fuzz.rs` (random inputs and the
//! saved crash corpus, in CI). Each must return without panicking, hanging or
//! overflowing the stack, whatever the bytes.
#![allow(dead_code)]

use ofsearch::ingest::{self, Block, BlockKind};

/// Bytes as text, the way ingest decodes text files.
fn text_of(data: &[u8]) -> String {
    ingest::detect::decode_text(data)
}

/// The plain-text cleaner.
pub fn text_cleaner(data: &[u8]) {
    let cleaned = ingest::text::clean(&text_of(data));
    let _ = ingest::passages::passages(&cleaned.blocks);
}

/// The HTML cleaner.
pub fn html_cleaner(data: &[u8]) {
    let _ = ingest::html::extract(data);
    let _ = ingest::extract(data, Some("html"));
}

/// The PDF path: detection, inflation and structure guards, pdf-extract, the
/// PDF cleaner. Inputs not starting with `%PDF-` get the header prepended so
/// the fuzzer spends its time inside the PDF reader.
pub fn pdf_path(data: &[u8]) {
    let mut bytes = data.to_vec();
    if !bytes.starts_with(b"%PDF-") {
        bytes.splice(0..0, b"%PDF-1.4\n".iter().copied());
    }
    let _ = ingest::extract(&bytes, Some("pdf"));
    // The cleaner alone, on the bytes as extracted text.
    let _ = ingest::pdf::clean(&String::from_utf8_lossy(data));
}

/// The metadata extractors: report facts, authority, dates, title.
pub fn metadata(data: &[u8]) {
    let text = text_of(data);
    let _ = ingest::report_meta::extract(&text);
    let blocks: Vec<Block> = text
        .split("\n\n")
        .map(|t| Block {
            kind: if t.len() < 60 {
                BlockKind::Heading
            } else {
                BlockKind::Paragraph
            },
            text: t.to_string(),
            page: None,
        })
        .collect();
    let title = text.lines().next().unwrap_or_default();
    let passages = ingest::passages::passages(&blocks);
    let _ = ingest::metadata::about_authority(title, &passages);
    let extracted = ingest::metadata::Extracted {
        title: Some(title.to_string()),
        full_text: text.clone(),
        blocks,
        published: None,
        publisher: None,
        dropped: Vec::new(),
    };
    let _ = ingest::metadata::document_meta("fuzz.txt", "0", &extracted, &passages);
}

/// The query parser.
pub fn query_parser(data: &[u8]) {
    let q = String::from_utf8_lossy(data);
    if let Err(e) = ofsearch::query::parse(&q) {
        assert!(!e.message.is_empty() && !e.hint.is_empty());
    }
}

/// A target's body.
pub type Target = fn(&[u8]);

/// Every target, by name (the names of `fuzz/fuzz_targets/*.rs`).
pub const TARGETS: &[(&str, Target)] = &[
    ("text_cleaner", text_cleaner),
    ("html_cleaner", html_cleaner),
    ("pdf_path", pdf_path),
    ("metadata", metadata),
    ("query_parser", query_parser),
];
