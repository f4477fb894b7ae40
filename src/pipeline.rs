//! Feed ingested documents into the index: the one place where the `ingest`
//! and `index` stages meet. Files are extracted in parallel and written by one
//! writer, committed in batches, so an interrupted run keeps what it committed.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::document::Document;
use crate::index::{self, IndexError, IndexHandle, Writer};
use crate::ingest::{self, walk};

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

/// Files extracted between commits.
const BATCH_FILES: usize = 256;

enum Outcome {
    Unchanged,
    Doc(Box<Document>),
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
    let known: HashMap<String, bool> = writer
        .indexed_paths()
        .into_iter()
        .map(|p| (p, true))
        .collect();

    let bar = progress_bar(options.progress, files.len() as u64);
    for chunk in files.chunks(BATCH_FILES) {
        let outcomes: Vec<(String, Outcome)> = chunk
            .par_iter()
            .map(|f| (f.display.clone(), process(f, &writer)))
            .collect();
        for (path, outcome) in outcomes {
            bar.inc(1);
            match outcome {
                Outcome::Unchanged => report.unchanged += 1,
                Outcome::Doc(doc) => {
                    writer.put(&doc)?;
                    report.passages += doc.passages.len();
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
        writer.commit()?;
    }
    bar.finish_and_clear();

    if options.prune {
        let seen: HashSet<&str> = files.iter().map(|f| f.display.as_str()).collect();
        let roots: Vec<String> = options.paths.iter().map(|p| walk::display(p)).collect();
        for path in known.keys() {
            let under_root = roots.iter().any(|r| is_under(path, r));
            if under_root && !seen.contains(path.as_str()) {
                writer.remove(path);
                report.removed += 1;
            }
        }
    }
    writer.finish()?;
    Ok(report)
}

fn is_under(path: &str, root: &str) -> bool {
    let root = root.trim_end_matches('/');
    root.is_empty() || root == "." || path == root || path.starts_with(&format!("{root}/"))
}

fn process(file: &walk::FileEntry, writer: &Writer) -> Outcome {
    let bytes = match ingest::read_file(&file.path) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(e.to_string()),
    };
    let hash = ingest::content_hash(&bytes);
    if writer.is_unchanged(&file.display, &hash) {
        return Outcome::Unchanged;
    }
    let ext = file.path.extension().and_then(|e| e.to_str());
    match ingest::ingest_bytes(&file.display, bytes, ext) {
        Ok(doc) => Outcome::Doc(Box::new(doc)),
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
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed} {wide_msg}")
    {
        bar.set_style(style);
    }
    bar
}

/// Open (or create) the index at `dir` and ingest into it.
pub fn ingest_into(
    dir: &std::path::Path,
    options: &IngestOptions,
    on_failure: impl FnMut(&FileFailure),
) -> Result<IngestReport, IndexError> {
    let handle = index::open_or_create(dir)?;
    ingest(&handle, options, on_failure)
}
