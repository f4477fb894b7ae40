//! Empty an index folder of the index's files, for `ingest --rebuild`: only
//! the files an index owns go (tantivy's `meta.json`, `.managed.json`, its
//! segment files, ofsearch's `ofsearch-*` files and their temporary files);
//! anything else a user keeps there stays, and folders are never entered.
//! Also the temporary files an interrupted ingest left, which the next one
//! removes.

use std::path::Path;

use tantivy::directory::{Directory, MmapDirectory, INDEX_WRITER_LOCK};

use super::IndexError;

/// Whether a file of this name belongs to an index.
pub fn is_index_file(name: &str) -> bool {
    if matches!(name, "meta.json" | ".managed.json" | ".tantivy-meta.lock") {
        return true;
    }
    if name.starts_with("ofsearch-") || name.starts_with(".ofsearch-") {
        return true;
    }
    // A segment file: a 32-digit hex segment id, a dot, its component.
    match (name.get(..32), name.get(32..)) {
        (Some(id), Some(rest)) => {
            id.bytes().all(|b| b.is_ascii_hexdigit()) && rest.starts_with('.')
        }
        _ => false,
    }
}

/// Remove the index's files from `dir`, under the index's write lock (an
/// ingest running elsewhere makes this fail with [`IndexError::Locked`]).
/// Returns how many files went. A folder that does not exist is empty.
pub fn empty(dir: &Path) -> Result<usize, IndexError> {
    if !dir.is_dir() {
        return Ok(0);
    }
    let io = |source| IndexError::Io {
        dir: dir.to_path_buf(),
        source,
    };
    let directory = MmapDirectory::open(dir).map_err(|e| io(std::io::Error::other(e)))?;
    let _lock = directory
        .acquire_lock(&INDEX_WRITER_LOCK)
        .map_err(|_| IndexError::Locked(dir.to_path_buf()))?;
    let mut removed = 0;
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let is_file = entry.file_type().map_err(io)?.is_file();
        let name = entry.file_name();
        if is_file && name.to_str().is_some_and(is_index_file) {
            std::fs::remove_file(entry.path()).map_err(io)?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// Remove the temporary files an interrupted write of the index left in
/// `dir` (a dictionary, its digest, the links, a verification record being
/// written); call with the write lock held. Returns how many went.
pub fn remove_leftovers(dir: &Path) -> std::io::Result<usize> {
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let leftover = name
            .to_str()
            .is_some_and(|n| n.ends_with(".tmp") && is_index_file(n));
        if leftover && entry.file_type()?.is_file() {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                // A reader's verification record, renamed meanwhile.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_index_files_go() {
        let (dir, handle) = super::super::test_index::with_segments(&[&["a.txt"]], |_, _, _| {});
        drop(handle);
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(empty(dir.path()).unwrap() > 5);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".tantivy-writer.lock", "notes.txt", "sub"]);
        assert_eq!(empty(&dir.path().join("none")).unwrap(), 0);
    }

    #[test]
    fn leftovers_are_the_index_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            ".ofsearch-dict-1.tmp",
            "ofsearch-links.jsonl.tmp",
            ".ofsearch-verified.12.0.tmp",
            "ofsearch-links.jsonl",
            "mine.tmp",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        assert_eq!(remove_leftovers(dir.path()).unwrap(), 3);
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, ["mine.tmp", "ofsearch-links.jsonl"]);
    }

    #[test]
    fn segment_and_ofsearch_names_are_the_index_files() {
        assert!(is_index_file("0123456789abcdef0123456789abcdef.idx"));
        assert!(is_index_file("0123456789abcdef0123456789abcdef.12.del"));
        assert!(is_index_file("ofsearch-links.jsonl"));
        assert!(is_index_file(".ofsearch-dict-1.tmp"));
        assert!(!is_index_file("0123456789abcdef0123456789abcdeg.idx"));
        assert!(!is_index_file("report.pdf"));
        assert!(!is_index_file("ééééééééééééééééé.idx"));
        assert!(!is_index_file(".tantivy-writer.lock"));
    }
}
