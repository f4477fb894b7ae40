//! Verify every file of an index: tantivy's segment files against the
//! checksums in their footers, `meta.json` (and tantivy's `.managed.json`)
//! readable, and ofsearch's own files — the schema version, the passage
//! store's dictionaries, the news-to-letter links.
//!
//! [`check`] reads every file (what `ofsearch check` and `serve` on start
//! run). [`verify`] skips the files it verified before and that have not
//! changed since (same size, times, inode: [`super::verified`]), so every
//! command that opens the index can afford it: a search pays for reading the
//! files of a new commit once, then a stat per file.

use std::path::{Path, PathBuf};

use tantivy::index::SegmentComponent;
use tantivy::Index;

use super::verified::Verified;
use super::{schema, IndexError, VERSION_FILE};

/// One damaged file of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// The file's name inside the index folder.
    pub file: String,
    /// What is wrong with it, one line.
    pub reason: String,
}

/// What a check found.
#[derive(Debug, Clone)]
pub struct Report {
    /// The index folder.
    pub dir: PathBuf,
    /// Files looked at (read, or known unchanged since they were).
    pub checked: usize,
    /// The damaged ones, in the order they were found.
    pub damaged: Vec<Damage>,
}

impl Report {
    /// Whether nothing is damaged.
    pub fn is_ok(&self) -> bool {
        self.damaged.is_empty()
    }

    /// The command that rebuilds the index.
    pub fn rebuild(&self) -> String {
        rebuild_command(&self.dir)
    }

    /// `Ok` when nothing is damaged, else [`IndexError::Damaged`].
    pub fn into_result(self) -> Result<(), IndexError> {
        if self.is_ok() {
            Ok(())
        } else {
            Err(IndexError::Damaged {
                dir: self.dir,
                damaged: self.damaged,
            })
        }
    }
}

/// The command that rebuilds the index in `dir`; `PATH…` stands for the
/// files and folders it was built from ([`REBUILD_PATHS`]).
pub fn rebuild_command(dir: &Path) -> String {
    format!(
        "ofsearch ingest --rebuild --index {} PATH…",
        shell_word(&dir.display().to_string())
    )
}

/// What `PATH…` in [`rebuild_command`] is.
pub const REBUILD_PATHS: &str = "PATH: the files and folders it was built from";

/// A word as a shell reads it back: quoted when it holds anything but plain characters.
fn shell_word(s: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c);
    if !s.is_empty() && s.chars().all(plain) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Read every file of the index in `dir`. Errs only when there is no index
/// there; damage is in the report.
pub fn check(dir: &Path) -> Result<Report, IndexError> {
    inspect(dir, None, None)
}

/// Verify the files of the index in `dir`, opened as `index`, that changed
/// since they were last verified (all of them the first time), remembering
/// the sound ones beside the index; [`IndexError::Damaged`] names the
/// damaged ones.
pub fn verify(dir: &Path, index: &Index) -> Result<(), IndexError> {
    inspect(dir, Some(index), Some(Verified::load(dir)))?.into_result()
}

/// Files looked at and damage found so far.
#[derive(Default)]
struct Tally {
    checked: usize,
    damaged: Vec<Damage>,
}

impl Tally {
    fn damaged(&mut self, file: &str, reason: &str) {
        self.damaged.push(Damage {
            file: file.to_string(),
            reason: one_line(reason),
        });
    }
}

/// Check the index in `dir` (`opened` when the caller has it open, so its
/// `meta.json` was read), skipping the files `cache` knows unchanged.
fn inspect(
    dir: &Path,
    opened: Option<&Index>,
    mut cache: Option<Verified>,
) -> Result<Report, IndexError> {
    let has = |name: &str| dir.join(name).is_file();
    if !has("meta.json") && !has(VERSION_FILE) {
        return Err(IndexError::Missing(dir.to_path_buf()));
    }
    let mut tally = Tally::default();
    tally.checked += 1;
    if let Some(reason) = version_problem(dir) {
        tally.damaged(VERSION_FILE, &reason);
    }
    let owned;
    let index = match opened {
        Some(index) => Some(index),
        None => {
            owned = open_checked(dir, &mut tally);
            owned.as_ref()
        }
    };
    if let Some(index) = index {
        check_segments(dir, index, &mut cache, &mut tally);
    }
    check_own_files(dir, &mut cache, &mut tally);
    if let Some(cache) = cache {
        cache.save();
    }
    Ok(Report {
        dir: dir.to_path_buf(),
        checked: tally.checked,
        damaged: tally.damaged,
    })
}

/// tantivy's own small files, plain JSON read whole on every open, then the
/// index opened on them (`None` when they are damaged).
fn open_checked(dir: &Path, tally: &mut Tally) -> Option<Index> {
    let mut readable = true;
    for name in ["meta.json", ".managed.json"] {
        let bytes = match std::fs::read(dir.join(name)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && name != "meta.json" => continue,
            Err(e) => {
                tally.damaged(name, &format!("cannot read: {e}"));
                readable = false;
                continue;
            }
        };
        tally.checked += 1;
        if let Err(e) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            tally.damaged(name, &format!("not valid JSON ({e})"));
            readable = false;
        }
    }
    if !readable {
        return None;
    }
    Index::open_in_dir(dir)
        .map_err(|e| tally.damaged("meta.json", &format!("tantivy cannot read it: {e}")))
        .ok()
}

/// The segment files of the last commit against their footers' checksums.
fn check_segments(dir: &Path, index: &Index, cache: &mut Option<Verified>, tally: &mut Tally) {
    let metas = match index.load_metas() {
        Ok(metas) => metas,
        Err(e) => return tally.damaged("meta.json", &format!("tantivy cannot read it: {e}")),
    };
    let mut found = Vec::new();
    for file in segment_files(&metas) {
        tally.checked += 1;
        let name = file.display().to_string();
        if cache.as_mut().is_some_and(|c| c.is_fresh(&name)) {
            continue;
        }
        match segment_file_problem(index, dir, &file) {
            Some(reason) => found.push((file, reason)),
            None => {
                if let Some(c) = cache.as_mut() {
                    c.mark(&name);
                }
            }
        }
    }
    // An ingest may have committed meanwhile and collected the files of
    // segments it merged: only the files of the commit now in place count.
    if !found.is_empty() {
        if let Ok(now) = index.load_metas() {
            let current = segment_files(&now);
            found.retain(|(file, _)| current.contains(file));
        }
    }
    for (file, reason) in found {
        tally.damaged(&file.display().to_string(), &reason);
    }
}

/// ofsearch's own files: the passage store's dictionaries, the links.
fn check_own_files(dir: &Path, cache: &mut Option<Verified>, tally: &mut Tally) {
    let mut fresh = |name: &str| cache.as_mut().is_some_and(|c| c.is_fresh(name));
    let mut own = super::passage_store::check_dictionaries(dir, &mut fresh);
    own.extend(super::links::check(dir, &mut fresh));
    for (name, problem) in own {
        tally.checked += 1;
        match problem {
            Some(reason) => tally.damaged(&name, &reason),
            None => {
                if let Some(c) = cache.as_mut() {
                    c.mark(&name);
                }
            }
        }
    }
}

/// What is wrong with the schema version file, if anything.
fn version_problem(dir: &Path) -> Option<String> {
    let text = match std::fs::read(dir.join(VERSION_FILE)) {
        Ok(bytes) => bytes,
        Err(e) => return Some(format!("cannot read: {e}")),
    };
    let text = String::from_utf8_lossy(&text);
    match text.trim().parse::<u32>() {
        Ok(v) if v == schema::SCHEMA_VERSION => None,
        Ok(v) => Some(format!(
            "built by another version of ofsearch (schema {v}, this one reads {})",
            schema::SCHEMA_VERSION
        )),
        Err(_) => Some("not a schema version number".to_string()),
    }
}

/// The files the segments of a commit are made of.
fn segment_files(metas: &tantivy::IndexMeta) -> Vec<PathBuf> {
    let mut components = vec![
        SegmentComponent::Terms,
        SegmentComponent::Postings,
        SegmentComponent::Positions,
        SegmentComponent::FieldNorms,
        SegmentComponent::FastFields,
        SegmentComponent::Store,
    ];
    components.extend(
        metas
            .persisted_custom_extensions
            .iter()
            .map(|ext| SegmentComponent::Custom(ext.clone())),
    );
    let mut files = Vec::new();
    for segment in &metas.segments {
        files.extend(components.iter().map(|c| segment.relative_path(c.clone())));
        if segment.has_deletes() {
            files.push(segment.relative_path(SegmentComponent::Delete));
        }
    }
    files
}

/// What is wrong with one segment file, if anything: missing, or its bytes
/// no longer match the checksum tantivy wrote in its footer.
fn segment_file_problem(index: &Index, dir: &Path, file: &Path) -> Option<String> {
    if !dir.join(file).is_file() {
        return Some("missing".to_string());
    }
    match index.directory().validate_checksum(file) {
        Ok(true) => None,
        Ok(false) => Some("checksum mismatch: its bytes changed after it was written".to_string()),
        Err(e) => Some(format!("unreadable ({e})")),
    }
}

/// One line, and not too long: a reason may quote a parser's message.
fn one_line(s: &str) -> String {
    let line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(200) {
        Some((at, _)) => format!("{}…", &line[..at]),
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_without_an_index_is_missing_not_damaged() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(check(dir.path()), Err(IndexError::Missing(_))));
    }

    #[test]
    fn a_sound_index_passes_and_each_damaged_segment_file_is_named() {
        let (dir, handle) =
            super::super::test_index::with_segments(&[&["a.txt", "b.txt"]], |_, _, _| {});
        let report = check(dir.path()).unwrap();
        assert!(report.is_ok(), "{:?}", report.damaged);
        assert!(report.checked > 6);
        let idx = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "idx"))
            .unwrap();
        let mut bytes = std::fs::read(&idx).unwrap();
        bytes[0] ^= 0xff;
        std::fs::write(&idx, bytes).unwrap();
        let report = check(dir.path()).unwrap();
        let name = idx.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(report.damaged.len(), 1, "{:?}", report.damaged);
        assert_eq!(report.damaged[0].file, name);
        assert!(matches!(
            verify(dir.path(), &handle.index),
            Err(IndexError::Damaged { damaged, .. }) if damaged[0].file == name
        ));
    }

    #[test]
    fn verify_remembers_sound_files_and_rereads_changed_ones() {
        let (dir, handle) = super::super::test_index::with_segments(&[&["a.txt"]], |_, _, _| {});
        verify(dir.path(), &handle.index).unwrap();
        assert!(dir.path().join(super::super::verified::FILE).is_file());
        let fast = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "fast"))
            .unwrap();
        let mut bytes = std::fs::read(&fast).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x55;
        std::fs::write(&fast, bytes).unwrap();
        assert!(verify(dir.path(), &handle.index).is_err());
    }

    #[test]
    fn garbled_meta_and_version_are_named() {
        let (dir, _handle) = super::super::test_index::with_segments(&[&["a.txt"]], |_, _, _| {});
        std::fs::write(dir.path().join("meta.json"), b"{\"segments\": [\x00\xff").unwrap();
        std::fs::write(dir.path().join(VERSION_FILE), b"\x00\x01").unwrap();
        let report = check(dir.path()).unwrap();
        let files: Vec<&str> = report.damaged.iter().map(|d| d.file.as_str()).collect();
        assert_eq!(files, [VERSION_FILE, "meta.json"]);
        assert!(report.damaged.iter().all(|d| !d.reason.contains('\n')));
    }

    #[test]
    fn the_rebuild_command_quotes_odd_folders() {
        assert!(rebuild_command(Path::new("idx"))
            .starts_with("ofsearch ingest --rebuild --index idx PATH"));
        assert!(rebuild_command(Path::new("my index")).contains("--index 'my index' PATH"));
    }
}
