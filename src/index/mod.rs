//! Index: the tantivy schema, the writer that stores ingested documents, and the
//! reader that loads them back. Never parses documents.

pub mod check;
pub mod dict_train;
pub mod doc_keys;
pub mod headers;
pub mod links;
pub mod loader;
pub mod memo;
pub mod open_columns;
pub mod passage_kinds;
pub mod passage_store;
pub mod reader;
pub mod rebuild;
pub mod schema;
pub mod stamps;
pub mod tokenize;
pub mod verified;
pub mod writer;

use std::path::{Path, PathBuf};

use tantivy::Index;

pub use open_columns::OpenColumns;
pub use reader::{Reader, StoredDocument};
pub use schema::Fields;
pub use writer::Writer;

/// An index with fewer documents (passages and file records) is small:
/// queries walk it on one thread (`query::every` splits only larger
/// segments across cores), so a bulk build of one ends in a single segment.
pub const SMALL_INDEX_DOCS: u32 = 1 << 16;

/// File beside tantivy's own that records the ofsearch schema version.
const VERSION_FILE: &str = "ofsearch-schema-version";

/// Errors a caller may need to tell apart.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No index has been built in this folder.
    #[error("no index in {0} (run `ofsearch ingest` first)")]
    Missing(PathBuf),
    /// Built by another version of ofsearch.
    #[error("the index in {dir} was built by another version of ofsearch (schema {found}, this one reads {expected}): `ofsearch ingest --rebuild --index {dir} PATH…` rebuilds it from the folders it was built from (saved searches are kept)")]
    Incompatible {
        /// Index folder.
        dir: PathBuf,
        /// Version found on disk.
        found: String,
        /// Version this build reads.
        expected: u32,
    },
    /// Another process is writing the index.
    #[error(
        "the index in {0} is being written by another process; try again when it has finished"
    )]
    Locked(PathBuf),
    /// Anything tantivy reports.
    #[error("index error in {dir}: {source}")]
    Tantivy {
        /// Index folder.
        dir: PathBuf,
        /// The underlying error.
        source: tantivy::TantivyError,
    },
    /// Stored data that does not read back as written.
    #[error("the index in {dir} is damaged ({what}): delete the folder's contents and run `ofsearch ingest` again")]
    Corrupt {
        /// Index folder.
        dir: PathBuf,
        /// What could not be read.
        what: String,
    },
    /// Files that no longer hold what was written (see [`check`]).
    #[error("the index in {} is damaged ({}): `ofsearch check --index {}` lists what is damaged; `{}` rebuilds it ({})", dir.display(), summary(damaged), dir.display(), check::rebuild_command(dir), check::REBUILD_PATHS)]
    Damaged {
        /// Index folder.
        dir: PathBuf,
        /// The damaged files.
        damaged: Vec<check::Damage>,
    },
    /// File system error.
    #[error("cannot use index folder {dir}: {source}")]
    Io {
        /// Index folder.
        dir: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// The first few damaged files and their reasons, on one line.
fn summary(damaged: &[check::Damage]) -> String {
    const SHOWN: usize = 3;
    let mut parts: Vec<String> = damaged
        .iter()
        .take(SHOWN)
        .map(|d| format!("{}: {}", d.file, d.reason))
        .collect();
    if damaged.len() > SHOWN {
        parts.push(format!("and {} more", damaged.len() - SHOWN));
    }
    parts.join("; ")
}

/// An opened index and its fields.
#[derive(Clone)]
pub struct IndexHandle {
    /// The tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// Where it lives.
    pub dir: PathBuf,
}

/// Does `dir` hold an index?
pub fn exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

fn tantivy_err(dir: &Path) -> impl FnOnce(tantivy::TantivyError) -> IndexError + '_ {
    move |source| IndexError::Tantivy {
        dir: dir.to_path_buf(),
        source,
    }
}

/// Open an existing index, checking its schema version and verifying its
/// files ([`check::verify`]: each file read once after it changes).
pub fn open(dir: &Path) -> Result<IndexHandle, IndexError> {
    if !exists(dir) {
        return Err(IndexError::Missing(dir.to_path_buf()));
    }
    let found = std::fs::read_to_string(dir.join(VERSION_FILE))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "none".to_string());
    if found != schema::SCHEMA_VERSION.to_string() {
        return Err(IndexError::Incompatible {
            dir: dir.to_path_buf(),
            found,
            expected: schema::SCHEMA_VERSION,
        });
    }
    let index = match Index::open_in_dir(dir) {
        Ok(index) => index,
        // A garbled `meta.json`: say which file, not the bytes tantivy quotes.
        Err(source) => {
            check::check(dir)?.into_result()?;
            return Err(tantivy_err(dir)(source));
        }
    };
    check::verify(dir, &index)?;
    tokenize::register(&index);
    let fields = schema::fields_of(&index.schema()).map_err(tantivy_err(dir))?;
    Ok(IndexHandle {
        index,
        fields,
        dir: dir.to_path_buf(),
    })
}

/// Open the index in `dir`, creating the folder and an empty index when there is none.
pub fn open_or_create(dir: &Path) -> Result<IndexHandle, IndexError> {
    if exists(dir) {
        return open(dir);
    }
    let io = |source| IndexError::Io {
        dir: dir.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    // The version goes first: a process killed between the two writes must
    // not leave an index that claims to be from another version.
    std::fs::write(
        dir.join(VERSION_FILE),
        format!("{}\n", schema::SCHEMA_VERSION),
    )
    .map_err(io)?;
    let (schema, fields) = schema::build();
    let index = Index::builder()
        .schema(schema)
        .settings(schema::settings())
        .create_in_dir(dir)
        .map_err(tantivy_err(dir))?;
    tokenize::register(&index);
    Ok(IndexHandle {
        index,
        fields,
        dir: dir.to_path_buf(),
    })
}

/// Seconds since the epoch of a `YYYY-MM-DD` date at midnight UTC.
pub fn date_to_timestamp(d: crate::document::Day) -> Option<i64> {
    d.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp().as_second())
}

/// What unit tests of the index build on.
#[cfg(test)]
pub(crate) mod test_index {
    use tantivy::TantivyDocument;

    /// An index in a temporary folder (kept while the folder is) with one
    /// segment per batch of paths: a document per path, given its `path`
    /// and whatever `fill` adds.
    pub fn with_segments(
        batches: &[&[&str]],
        fill: impl Fn(&mut TantivyDocument, &super::Fields, &str),
    ) -> (tempfile::TempDir, super::IndexHandle) {
        let dir = tempfile::tempdir().unwrap();
        let handle = super::open_or_create(dir.path()).unwrap();
        let mut writer: tantivy::IndexWriter = handle.index.writer(15_000_000).unwrap();
        for batch in batches {
            for path in *batch {
                let mut d = TantivyDocument::default();
                d.add_text(handle.fields.path, path);
                fill(&mut d, &handle.fields, path);
                writer.add_document(d).unwrap();
            }
            writer.commit().unwrap();
        }
        (dir, handle)
    }
}
