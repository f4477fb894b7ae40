//! Export the index to a distributed engine: OpenSearch / Elasticsearch /
//! Quickwit ([`opensearch`]: a mapping and bulk NDJSON) or Sphinx / Manticore
//! ([`sphinx`]: xmlpipe2 per shard and a generated configuration).
//!
//! Documents are read from the index a few at a time with their passages
//! ([`for_each_document`]): an export holds one batch in memory, never the
//! whole index.

pub mod form;
pub mod opensearch;
pub mod sphinx;

use std::path::{Path, PathBuf};

use crate::document::{DocumentMeta, Passage};
use crate::index::{IndexError, Reader};

/// Documents read from the index at once.
const BATCH_DOCUMENTS: usize = 32;

/// An export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// A file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// An argument makes no export.
    #[error("{0}")]
    Invalid(String),
}

/// An I/O error on `path` as an [`ExportError`].
pub(crate) fn write_err(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// What an export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Documents exported.
    pub documents: usize,
    /// Passages exported.
    pub passages: usize,
    /// Bytes written, every file together.
    pub bytes: u64,
    /// The files written, in order.
    pub files: Vec<PathBuf>,
}

/// Call `each` with every document of the index and its passages (in
/// order), document by document, in path order; a batch of
/// [`BATCH_DOCUMENTS`] documents' passages is in memory at a time.
pub fn for_each_document(
    reader: &Reader,
    mut each: impl FnMut(&DocumentMeta, &[Passage]) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let documents = reader.documents()?;
    let searcher = reader.searcher();
    for batch in documents.chunks(BATCH_DOCUMENTS) {
        let paths: Vec<&str> = batch.iter().map(|d| d.meta.path.as_str()).collect();
        let mut passages = reader.passages_of(&searcher, &paths)?;
        for d in batch {
            let mine = passages.remove(&d.meta.path).unwrap_or_default();
            each(&d.meta, &mine)?;
        }
    }
    Ok(())
}

/// Remove the files a previous export left in `dir` whose names start with
/// `prefix` and end with one of `suffixes` (a smaller export must not leave
/// the last run's extra chunks or shards to be loaded beside it).
pub(crate) fn remove_stale(dir: &Path, prefix: &str, suffixes: &[&str]) -> Result<(), ExportError> {
    let entries = std::fs::read_dir(dir).map_err(write_err(dir))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && suffixes.iter().any(|s| name.ends_with(s)) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(write_err(&path))?;
        }
    }
    Ok(())
}

/// Create `dir` (and its parents).
pub(crate) fn make_dir(dir: &Path) -> Result<(), ExportError> {
    std::fs::create_dir_all(dir).map_err(write_err(dir))
}
