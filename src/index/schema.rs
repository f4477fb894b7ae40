//! The tantivy schema: one tantivy document per passage, plus one record per
//! ingested file that carries its metadata, hash and passage count.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

/// Bump when the schema or the meaning of a field changes: older indexes are refused.
pub const SCHEMA_VERSION: u32 = 3;

/// Tokenizer of the stemmed fields (tantivy's built-in English stemmer).
pub const STEMMED: &str = "en_stem";
/// Tokenizer of the exact fields: split and lower-case only.
pub const EXACT: &str = "default";

/// `kind` value of a passage.
pub const KIND_PASSAGE: &str = "passage";
/// `kind` value of a per-file record.
pub const KIND_DOC: &str = "doc";

/// Handles to every field of the schema.
#[derive(Debug, Clone)]
pub struct Fields {
    /// `passage` or `doc`.
    pub kind: Field,
    /// Path as given to ingest: the document's key.
    pub path: Field,
    /// BLAKE3 of the file (doc records).
    pub content_hash: Field,
    /// Passage position.
    pub paragraph: Field,
    /// Section heading, stemmed.
    pub section: Field,
    /// Passage text, stemmed (no positions), stored.
    pub text: Field,
    /// Passage text, unstemmed, with positions for phrases.
    pub text_exact: Field,
    /// Document title, stemmed.
    pub title: Field,
    /// Canonical authority the document is about.
    pub authority: Field,
    /// Canonical authorities named in the passage.
    pub mentioned: Field,
    /// Visit type.
    pub visit_type: Field,
    /// Inspector names, lower case.
    pub inspector: Field,
    /// Overall judgement, lower case.
    pub judgement: Field,
    /// Source (`ofsted` or publisher), lower case.
    pub source: Field,
    /// Document date.
    pub date: Field,
    /// Document metadata as JSON.
    pub doc_json: Field,
    /// Passage as JSON (section, mentioned).
    pub passage_json: Field,
    /// Number of passages (doc records).
    pub passages: Field,
    /// File size in bytes when ingested (doc records).
    pub file_size: Field,
    /// File modification time when ingested, nanoseconds since the epoch (doc records).
    pub file_mtime: Field,
}

fn text_options(tokenizer: &str, record: IndexRecordOption, stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// Words used only to filter (title, section: repeated on every passage), so
/// neither frequencies nor positions are kept.
fn filter_text_options() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(STEMMED)
            .set_index_option(IndexRecordOption::Basic),
    )
}

/// Build the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        kind: b.add_text_field("kind", STRING | FAST),
        path: b.add_text_field("path", STRING | STORED | FAST),
        content_hash: b.add_text_field("content_hash", STRING | STORED),
        paragraph: b.add_u64_field(
            "paragraph",
            NumericOptions::default()
                .set_indexed()
                .set_fast()
                .set_stored(),
        ),
        section: b.add_text_field("section", filter_text_options()),
        // Word matches rank on the stemmed field; phrases (and multi-token words)
        // run on the exact field, so only it keeps positions.
        text: b.add_text_field(
            "text",
            text_options(STEMMED, IndexRecordOption::WithFreqs, true),
        ),
        text_exact: b.add_text_field(
            "text_exact",
            text_options(EXACT, IndexRecordOption::WithFreqsAndPositions, false),
        ),
        title: b.add_text_field("title", filter_text_options()),
        authority: b.add_text_field("authority", STRING | FAST),
        mentioned: b.add_text_field("mentioned", STRING),
        visit_type: b.add_text_field("visit_type", STRING | FAST),
        inspector: b.add_text_field("inspector", STRING),
        judgement: b.add_text_field("judgement", STRING | FAST),
        source: b.add_text_field("source", STRING),
        date: b.add_date_field(
            "date",
            DateOptions::default()
                .set_indexed()
                .set_fast()
                .set_stored()
                .set_precision(DateTimePrecision::Seconds),
        ),
        doc_json: b.add_text_field("doc_json", STORED),
        passage_json: b.add_text_field("passage_json", STORED),
        passages: b.add_u64_field("passages", STORED),
        file_size: b.add_u64_field("file_size", STORED),
        file_mtime: b.add_u64_field("file_mtime", STORED),
    };
    (b.build(), fields)
}

/// Doc-store block size: passages of one document repeat its metadata, and a
/// larger block lets the compressor share it (smaller index, same speed for top-k).
pub const DOCSTORE_BLOCKSIZE: usize = 64 * 1024;

/// Settings for a new index.
/// zstd level of the document store: passages are written once and read often.
const ZSTD_LEVEL: i32 = 9;

/// Index settings for new indexes.
pub fn settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_blocksize: DOCSTORE_BLOCKSIZE,
        // Passages repeat their document's metadata: zstd over 64 KiB blocks
        // squeezes that out far better than lz4, at little cost per hit loaded.
        docstore_compression: tantivy::store::Compressor::Zstd(tantivy::store::ZstdCompressor {
            compression_level: Some(ZSTD_LEVEL),
        }),
        ..tantivy::IndexSettings::default()
    }
}

/// Field handles for an opened index's schema.
pub fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        kind: f("kind")?,
        path: f("path")?,
        content_hash: f("content_hash")?,
        paragraph: f("paragraph")?,
        section: f("section")?,
        text: f("text")?,
        text_exact: f("text_exact")?,
        title: f("title")?,
        authority: f("authority")?,
        mentioned: f("mentioned")?,
        visit_type: f("visit_type")?,
        inspector: f("inspector")?,
        judgement: f("judgement")?,
        source: f("source")?,
        date: f("date")?,
        doc_json: f("doc_json")?,
        passage_json: f("passage_json")?,
        passages: f("passages")?,
        file_size: f("file_size")?,
        file_mtime: f("file_mtime")?,
    })
}
