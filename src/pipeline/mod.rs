//! Feed ingested documents into the index: the one place where the `ingest`
//! and `index` stages meet. Files are extracted in parallel and written by one
//! writer, committed in batches, so an interrupted run keeps what it committed.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::document::Document;
use crate::index::writer::{FileStat, KnownFile};
use crate::index::{self, IndexError, IndexHandle, Writer};
use crate::ingest::{self, walk};

mod in_order;

/// How to run an ingest.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files and folders to ingest.
    pub paths: Vec<PathBuf>,
    /// Remove indexed files under `paths` that no longer exist.
    pub prune: bool,
    /// Writer memory budget, bytes.
    pub memory_budget: usize,
    /// Draw a progress bar (only on a terminal).
    pub progress: bool,
    /// First-indexed stamps to keep for documents that come back (a
    /// rebuild's, read from the index before it was emptied), so saved
    /// searches do not see them as new.
    pub first_indexed: HashMap<String, crate::index::stamps::Stamp>,
}

/// A file that could not be ingested.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileFailure {
    /// The file as shown to the user.
    pub path: String,
    /// Why.
    pub reason: String,
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    /// New files indexed.
    pub added: usize,
    /// Changed files re-indexed.
    pub updated: usize,
    /// Files skipped because their content had not changed.
    pub unchanged: usize,
    /// Files removed from the index because they are gone.
    pub removed: usize,
    /// Passages written.
    pub passages: usize,
    /// Files that failed, with reasons.
    pub failed: Vec<FileFailure>,
    /// After an ingest that changed the index: news documents, and how many
    /// of them are linked to the letter or report they are about.
    pub linked: Option<(usize, usize)>,
}

impl IngestReport {
    /// One-line summary.
    pub fn summary(&self) -> String {
        format!(
            "{} added, {} updated, {} unchanged, {} removed, {} failed; {} passages written",
            self.added,
            self.updated,
            self.unchanged,
            self.removed,
            self.failed.len(),
            self.passages
        )
    }
}

/// Files handed to the writer at a time; extraction runs ahead of the writer
/// by at most two batches, so about four batches are in memory.
const BATCH_FILES: usize = 32;
/// Commit after this much input (bytes read) or this many files since the last
/// commit: fewer, larger segments than committing each batch, while an
/// interrupted run still keeps most of its work.
const COMMIT_BYTES: u64 = 256 * 1024 * 1024;
const COMMIT_FILES: usize = 8192;
/// A modification time this close to the start of the run may still change
/// within the same clock tick: such files are recorded without it, so the
/// next run compares their content hash instead.
const RACY_MTIME_NANOS: u64 = 2_000_000_000;

enum Outcome {
    Unchanged,
    /// Same content under a new size/mtime: written again only so the index
    /// records the new stat, and counted as unchanged.
    Restat(Box<Document>, Option<FileStat>),
    Doc(Box<Document>, Option<FileStat>, u64),
    Failed(String),
}

/// Ingest `options.paths` into the index at `handle`, calling `on_failure` for
/// each file that fails as soon as it does.
pub fn ingest(
    handle: &IndexHandle,
    options: &IngestOptions,
    mut on_failure: impl FnMut(&FileFailure),
) -> Result<IngestReport, IndexError> {
    let mut writer = Writer::open(handle, options.memory_budget)?;
    writer.keep_first_indexed(options.first_indexed.clone());
    let (files, walk_errors) = walk::files(&options.paths);
    let mut report = IngestReport::default();
    for e in walk_errors {
        let failure = FileFailure {
            path: e.display,
            reason: e.reason,
        };
        on_failure(&failure);
        report.failed.push(failure);
    }
    let known: HashMap<String, KnownFile> = writer.known_files().clone();
    let started = now_nanos();

    // The bar moves as files are extracted, by bytes, so its rate and ETA
    // follow the work (a batch is extracted long before it is written).
    let sizes: Vec<u64> = files
        .iter()
        .map(|f| std::fs::metadata(&f.path).map_or(0, |m| m.len()))
        .collect();
    let bar = progress_bar(options.progress, sizes.iter().sum());
    let extracted = std::sync::atomic::AtomicUsize::new(0);
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(String, Outcome)>>(1);
    let result = std::thread::scope(|scope| -> Result<(), IndexError> {
        let known = &known;
        let files = &files;
        let (bar, sizes, extracted) = (&bar, &sizes, &extracted);
        scope.spawn(move || {
            let threads = crate::cores::available();
            let mut batch: Vec<(String, Outcome)> = Vec::with_capacity(BATCH_FILES);
            let mut open = true;
            in_order::map_in_order(
                files,
                threads,
                2 * BATCH_FILES,
                |i| sizes.get(i).copied().unwrap_or(0),
                |i, f| {
                    let outcome = process(f, known.get(&f.display), started);
                    bar.inc(sizes.get(i).copied().unwrap_or(0));
                    let n = extracted.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                    bar.set_message(format!("{n}/{} files", files.len()));
                    (f.display.clone(), outcome)
                },
                |done| {
                    batch.push(done);
                    if batch.len() == BATCH_FILES {
                        open = tx.send(std::mem::take(&mut batch)).is_ok();
                    }
                    open
                },
            );
            if open && !batch.is_empty() {
                let _ = tx.send(batch);
            }
        });
        let mut since_commit_bytes = 0u64;
        let mut since_commit_files = 0usize;
        for outcomes in rx {
            // The first batch may train the passage store's dictionary.
            writer.prepare(outcomes.iter().filter_map(|(_, o)| match o {
                Outcome::Doc(doc, ..) | Outcome::Restat(doc, ..) => Some(&**doc),
                _ => None,
            }))?;
            for (path, outcome) in outcomes {
                match outcome {
                    Outcome::Unchanged => report.unchanged += 1,
                    Outcome::Restat(doc, stat) => {
                        writer.put_with_stat(&doc, stat)?;
                        report.unchanged += 1;
                    }
                    Outcome::Doc(doc, stat, bytes) => {
                        writer.put_with_stat(&doc, stat)?;
                        report.passages += doc.passages.len();
                        since_commit_bytes += bytes;
                        since_commit_files += 1;
                        if known.contains_key(&path) {
                            report.updated += 1;
                        } else {
                            report.added += 1;
                        }
                    }
                    Outcome::Failed(reason) => {
                        let failure = FileFailure { path, reason };
                        bar.suspend(|| on_failure(&failure));
                        report.failed.push(failure);
                    }
                }
            }
            if since_commit_bytes >= COMMIT_BYTES || since_commit_files >= COMMIT_FILES {
                writer.commit()?;
                since_commit_bytes = 0;
                since_commit_files = 0;
            }
        }
        Ok(())
    });
    // On error the receiver is dropped above, so the extractor stops at its next send.
    result?;
    bar.finish_and_clear();

    if options.prune {
        let seen: HashSet<&str> = files.iter().map(|f| f.display.as_str()).collect();
        let roots: Vec<String> = options.paths.iter().map(|p| walk::display(p)).collect();
        let mut gone: Vec<&String> = known
            .keys()
            .filter(|path| roots.iter().any(|r| is_under(path, r)) && !seen.contains(path.as_str()))
            .collect();
        gone.sort();
        for path in gone {
            writer.remove(path);
            report.removed += 1;
        }
    }
    writer.finish()?;
    if report.added + report.updated + report.removed > 0 {
        // News documents and the letters they report on may have come or gone.
        report.linked = Some(relink(handle)?);
    }
    Ok(report)
}

fn is_under(path: &str, root: &str) -> bool {
    let root = root.trim_end_matches('/');
    root.is_empty() || root == "." || path == root || path.starts_with(&format!("{root}/"))
}

fn now_nanos() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
        .unwrap_or(0)
}

/// Decide whether a file changed (size and mtime first, then content hash)
/// and extract it when it did.
fn process(file: &walk::FileEntry, known: Option<&KnownFile>, started: u64) -> Outcome {
    let stat = FileStat::of(&file.path).ok().map(|mut s| {
        if s.mtime.saturating_add(RACY_MTIME_NANOS) >= started {
            s.mtime = 0;
        }
        s
    });
    if let (Some(k), Some(st)) = (known, &stat) {
        if k.same_stat(st) {
            return Outcome::Unchanged;
        }
    }
    let bytes = match ingest::read_file(&file.path) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let len = bytes.len() as u64;
    let hash = ingest::content_hash(&bytes);
    let same_content = known.is_some_and(|k| k.content_hash == hash);
    // A touched file (checkout, copy) would be read and hashed on every run
    // until its new stat is recorded; that needs its record written again.
    let restat = same_content && stat.is_some_and(|s| s.mtime != 0);
    if same_content && !restat {
        return Outcome::Unchanged;
    }
    let ext = file.path.extension().and_then(|e| e.to_str());
    match ingest::ingest_bytes(&file.display, bytes, ext) {
        Ok(doc) if restat => Outcome::Restat(Box::new(doc), stat),
        Ok(doc) => Outcome::Doc(Box::new(doc), stat, len),
        Err(_) if restat => Outcome::Unchanged,
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

fn progress_bar(enabled: bool, len: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(len),
        if enabled {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    if let Ok(style) = ProgressStyle::with_template(
        "{bar:24} {msg} · {binary_bytes}/{binary_total_bytes} · {binary_bytes_per_sec} · eta {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

/// Link every news document of the index to the letter or report it is
/// about, and keep the links beside the index; returns (news documents,
/// linked). Every ingest that changes the index does this.
pub fn relink(handle: &IndexHandle) -> Result<(usize, usize), IndexError> {
    let reader = index::Reader::open(handle)?;
    let linked = crate::analysis::link::link_all(&reader)?;
    let links = crate::analysis::link::links_of(&linked);
    links.write(&handle.dir).map_err(|source| IndexError::Io {
        dir: handle.dir.clone(),
        source,
    })?;
    Ok((linked.len(), links.reports_on.len()))
}

/// Open (or create) the index at `dir` and ingest into it; the files it
/// wrote are verified before it returns.
pub fn ingest_into(
    dir: &std::path::Path,
    options: &IngestOptions,
    on_failure: impl FnMut(&FileFailure),
) -> Result<IngestReport, IndexError> {
    let handle = index::open_or_create(dir)?;
    let report = ingest(&handle, options, on_failure)?;
    // The files just written are read once now, so the first search after
    // an ingest does not pay for verifying them (`index::check::verify`).
    index::check::verify(dir, &handle.index)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "Inspection of Leeds children's services\n\nManagement oversight of casework is regular and purposeful, and plans progress.\n\nSocial workers know their children well and visit them often.\n";

    fn options(root: &std::path::Path) -> IngestOptions {
        IngestOptions {
            first_indexed: HashMap::new(),
            paths: vec![root.to_path_buf()],
            prune: true,
            memory_budget: 20 * 1024 * 1024,
            progress: false,
        }
    }

    fn set_old_mtime(path: &std::path::Path) {
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(old).unwrap();
    }

    #[test]
    fn an_ingest_that_changes_the_index_relinks_it() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let idx = dir.path().join("index");
        std::fs::create_dir(&corpus).unwrap();
        std::fs::write(corpus.join("a.txt"), BODY).unwrap();
        let links = idx.join(crate::index::links::LINKS_FILE);
        let first = ingest_into(&idx, &options(&corpus), |_| {}).unwrap();
        assert!(first.linked.is_some(), "{first:?}");
        assert!(links.exists());
        // Nothing changed: nothing to link again.
        std::fs::remove_file(&links).unwrap();
        let again = ingest_into(&idx, &options(&corpus), |_| {}).unwrap();
        assert_eq!(again.linked, None);
        assert!(!links.exists());
    }

    #[test]
    fn resync_skips_replaces_and_prunes() {
        let dir = tempfile::tempdir().unwrap();
        let corpus = dir.path().join("corpus");
        let idx = dir.path().join("index");
        std::fs::create_dir(&corpus).unwrap();
        for name in ["a.txt", "b.txt", "c.txt"] {
            let p = corpus.join(name);
            std::fs::write(&p, BODY.replace("Leeds", name)).unwrap();
            set_old_mtime(&p);
        }
        let first = ingest_into(&idx, &options(&corpus), |_| {}).unwrap();
        assert_eq!((first.added, first.unchanged), (3, 0));

        let again = ingest_into(&idx, &options(&corpus), |_| {}).unwrap();
        assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 3));

        // Same content, new mtime: hashed, still unchanged.
        let a = corpus.join("a.txt");
        std::fs::write(&a, BODY.replace("Leeds", "a.txt")).unwrap();
        set_old_mtime(&a);
        // Changed content, same size: replaced.
        let b = corpus.join("b.txt");
        std::fs::write(&b, BODY.replace("Leeds", "B.txt")).unwrap();
        std::fs::remove_file(corpus.join("c.txt")).unwrap();
        let sync = ingest_into(&idx, &options(&corpus), |_| {}).unwrap();
        assert_eq!(
            (sync.added, sync.updated, sync.unchanged, sync.removed),
            (0, 1, 1, 1)
        );
        let handle = index::open(&idx).unwrap();
        // The touched file's new stat is recorded: the next run skips it unread.
        let known = Writer::open(&handle, 20 * 1024 * 1024).unwrap();
        let a_key = walk::display(&a);
        assert_eq!(
            known.known_files().get(&a_key).and_then(|k| k.stat),
            Some(FileStat::of(&a).unwrap())
        );
        drop(known);
        let reader = index::Reader::open(&handle).unwrap();
        let paths: Vec<String> = reader
            .documents()
            .unwrap()
            .into_iter()
            .map(|d| d.meta.path)
            .collect();
        assert_eq!(paths.len(), 2);
        assert!(paths.iter().all(|p| !p.ends_with("c.txt")));
    }
}
