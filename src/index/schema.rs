//! The tantivy schema: one tantivy document per passage, plus one record per
//! ingested file that carries its hash, stat and passage count.
//!
//! Nothing is read from tantivy's doc store: a passage's text (with the
//! authorities it names) is the `body` fast field, compressed on its own by
//! [`super::passage_store`], so a hit reads only itself; a document's metadata
//! is kept once, as a value of the `doc_json` fast field (a dictionary column:
//! every passage of a document points at the same entry); section and
//! position are fast fields too.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST,
};

/// Bump when the schema or the meaning of a field changes: older indexes are refused.
pub const SCHEMA_VERSION: u32 = 11;

/// Tokenizer of the stemmed fields (tantivy's built-in English stemmer).
pub const STEMMED: &str = "ofs_stem";
/// Tokenizer of the exact fields: split and lower-case only.
pub const EXACT: &str = "ofs_exact";

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
    /// The PDF page a passage starts on (absent outside PDFs).
    pub page: Field,
    /// Section heading, stemmed for filters; its raw value a fast field.
    pub section: Field,
    /// Passage text, stemmed (no positions).
    pub text: Field,
    /// Passage text, unstemmed, with positions for phrases.
    pub text_exact: Field,
    /// Document title, stemmed (document records only).
    pub title: Field,
    /// Canonical authorities named in the passage (in order in `body`).
    pub mentioned: Field,
    /// Document date.
    pub date: Field,
    /// The registry's metadata fields ([`crate::fields::FIELDS`]), by
    /// [`FieldId::index`](crate::fields::FieldId::index).
    pub meta: Vec<Field>,
    /// Document metadata as JSON (fast field: stored once per distinct value).
    pub doc_json: Field,
    /// Passage text and named authorities, compressed ([`super::passage_store`]).
    pub body: Field,
    /// Number of passages (doc records).
    pub passages: Field,
    /// File size in bytes when ingested (doc records).
    pub file_size: Field,
    /// File modification time when ingested, nanoseconds since the epoch (doc records).
    pub file_mtime: Field,
    /// When the document first entered the index ([`super::stamps`]; doc records).
    pub first_indexed: Field,
}

impl Fields {
    /// The tantivy field of a registry field.
    pub fn of(&self, id: crate::fields::FieldId) -> Field {
        self.meta[id.index()]
    }
}

fn text_options(tokenizer: &str, record: IndexRecordOption) -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(record),
    )
}

/// Words used only to filter (title, section: repeated on every passage), so
/// neither frequencies, positions nor norms are kept.
fn filter_text_options() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(STEMMED)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

/// An untokenized keyword for filters and deletes: no norms (it is never ranked).
fn keyword() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    )
}

/// A value kept once per distinct value in a fast-field dictionary, not indexed.
fn dictionary_options() -> TextOptions {
    TextOptions::default().set_fast("raw")
}

/// Build the schema and its field handles.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let fields = Fields {
        kind: b.add_text_field("kind", keyword().set_fast("raw")),
        path: b.add_text_field("path", keyword().set_fast("raw")),
        content_hash: b.add_text_field("content_hash", keyword().set_fast("raw")),
        // Ranges of paragraphs and dates run on fast fields: no postings needed.
        paragraph: b.add_u64_field("paragraph", NumericOptions::default().set_fast()),
        page: b.add_u64_field("page", NumericOptions::default().set_fast()),
        section: b.add_text_field("section", filter_text_options().set_fast("raw")),
        // Word matches rank on the stemmed field; phrases (and multi-token words)
        // run on the exact field, so only it keeps positions.
        text: b.add_text_field("text", text_options(STEMMED, IndexRecordOption::WithFreqs)),
        text_exact: b.add_text_field(
            "text_exact",
            text_options(EXACT, IndexRecordOption::WithFreqsAndPositions),
        ),
        title: b.add_text_field("title", filter_text_options()),
        mentioned: b.add_text_field("mentioned", keyword()),
        date: b.add_date_field(
            "date",
            DateOptions::default()
                .set_fast()
                .set_precision(DateTimePrecision::Seconds),
        ),
        // Each registry field: a keyword to filter on, and a fast field
        // for facets, headers and ranking.
        meta: crate::fields::FIELDS
            .iter()
            .map(|m| b.add_text_field(m.index, keyword().set_fast("raw")))
            .collect(),
        doc_json: b.add_text_field("doc_json", dictionary_options()),
        body: b.add_bytes_field("body", FAST),
        passages: b.add_u64_field("passages", FAST),
        // Read for every file at the start of each ingest: fast fields, so
        // that needs no doc-store block per file.
        file_size: b.add_u64_field("file_size", FAST),
        file_mtime: b.add_u64_field("file_mtime", FAST),
        first_indexed: b.add_u64_field("first_indexed", FAST),
    };
    (b.build(), fields)
}

/// Index settings for new indexes. No field is stored (see the module
/// comment), so tantivy's doc store holds empty documents and its defaults do.
pub fn settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings::default()
}

/// Field handles for an opened index's schema.
pub fn fields_of(schema: &Schema) -> tantivy::Result<Fields> {
    let f = |name: &str| schema.get_field(name);
    Ok(Fields {
        kind: f("kind")?,
        path: f("path")?,
        content_hash: f("content_hash")?,
        paragraph: f("paragraph")?,
        page: f("page")?,
        section: f("section")?,
        text: f("text")?,
        text_exact: f("text_exact")?,
        title: f("title")?,
        mentioned: f("mentioned")?,
        date: f("date")?,
        meta: crate::fields::FIELDS
            .iter()
            .map(|m| f(m.index))
            .collect::<tantivy::Result<_>>()?,
        doc_json: f("doc_json")?,
        body: f("body")?,
        passages: f("passages")?,
        file_size: f("file_size")?,
        file_mtime: f("file_mtime")?,
        first_indexed: f("first_indexed")?,
    })
}
