//! Find the files to ingest under the paths a user gives.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A file to ingest, with the path to show for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    /// Path to open.
    pub path: PathBuf,
    /// Path as the user would write it (relative stays relative).
    pub display: String,
}

/// A path that could not be walked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    /// Path shown to the user.
    pub display: String,
    /// Why it was skipped.
    pub reason: String,
}

/// Every regular file under `roots`, recursively, in a stable order; hidden
/// files and folders are skipped, each file is listed once even if two roots
/// overlap, and symlink loops are reported rather than followed.
pub fn files(roots: &[PathBuf]) -> (Vec<FileEntry>, Vec<WalkError>) {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for root in roots {
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.path()));
        // Data files and media beside the documents (a metadata.csv, images) are not documents.
        for entry in walker {
            match entry {
                Ok(e)
                    if e.file_type().is_file()
                        && (e.depth() == 0 || !is_skipped_kind(e.path())) =>
                {
                    let key = e
                        .path()
                        .canonicalize()
                        .unwrap_or_else(|_| e.path().to_path_buf());
                    if seen.insert(key) {
                        out.push(FileEntry {
                            display: display(e.path()),
                            path: e.into_path(),
                        });
                    }
                }
                Ok(_) => {}
                Err(err) => {
                    let path = err.path().map(display).unwrap_or_else(|| display(root));
                    let reason = if err.loop_ancestor().is_some() {
                        "symlink loop, not followed".to_string()
                    } else {
                        err.io_error()
                            .map(|e| e.to_string())
                            .unwrap_or_else(|| err.to_string())
                    };
                    let error = WalkError {
                        display: path,
                        reason,
                    };
                    // Overlapping roots meet the same bad entry twice: report it once.
                    if !errors.contains(&error) {
                        errors.push(error);
                    }
                }
            }
        }
    }
    (out, errors)
}

/// Extensions of files that sit beside documents but are not documents.
const SKIPPED_EXTENSIONS: &[&str] = &[
    "csv", "tsv", "json", "jsonl", "xlsx", "xls", "zip", "tar", "7z", "png", "jpg", "jpeg", "gif",
    "webp", "svg", "ico", "mp3", "mp4", "css", "js", "woff", "woff2", "lock",
];

fn is_skipped_kind(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SKIPPED_EXTENSIONS.iter().any(|s| s.eq_ignore_ascii_case(e)))
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.'))
}

/// Show a path as the user gave it; non-UTF-8 bytes are escaped, never lost.
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_recursively_once_each() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("a.txt"), "a").unwrap();
        std::fs::write(dir.path().join("sub/b.txt"), "b").unwrap();
        std::fs::write(dir.path().join(".hidden"), "h").unwrap();
        std::fs::write(dir.path().join("metadata.csv"), "a,b").unwrap();
        let roots = vec![dir.path().to_path_buf(), dir.path().join("sub")];
        let (files, errors) = files(&roots);
        assert!(errors.is_empty());
        let names: Vec<_> = files
            .iter()
            .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["a.txt", "b.txt"]);
    }

    #[test]
    fn reports_missing_root() {
        let (files, errors) = files(&[PathBuf::from("/definitely/not/here")]);
        assert!(files.is_empty());
        assert_eq!(errors.len(), 1);
    }

    #[test]
    fn reports_a_symlink_loop_once_when_roots_overlap() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
        let roots = vec![dir.path().to_path_buf(), dir.path().to_path_buf()];
        let (_, errors) = files(&roots);
        assert_eq!(errors.len(), 1, "{errors:?}");
    }
}
