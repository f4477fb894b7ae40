//! Reliability of the index: SIGKILL mid-ingest, a second writer, searches
//! during an ingest, and indexes written by another ofsearch version.

use crate::common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{json_lines, ofsearch, random_bytes};

const MARKER: &str = "commonmarker";

/// `n` small text files, each one passage holding [`MARKER`].
fn corpus(dir: &Path, n: usize) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for i in 0..n {
        std::fs::write(
            dir.join(format!("doc{i:04}.txt")),
            format!(
                "Document number {i}\n\nThis paragraph holds the shared {MARKER} and the unique \
                 word uniq{i} so each file is exactly one passage of text.\n"
            ),
        )
        .expect("write");
    }
}

/// A temporary folder with a corpus of `n` files (see [`corpus`]) and the
/// path for an index beside it: (folder, corpus, index).
fn workspace(n: usize) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("corpus");
    let index = tmp.path().join("index");
    corpus(&dir, n);
    (tmp, dir, index)
}

/// (passages, documents) matching the marker, or `None` if search failed.
fn marker_count(index: &Path) -> (i32, u64, u64, String) {
    let out = ofsearch(index)
        .args(["search", MARKER, "--count", "--json"])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let v: serde_json::Value = serde_json::from_str(stdout.trim()).unwrap_or_default();
    (
        code,
        v["passages"].as_u64().unwrap_or(0),
        v["documents"].as_u64().unwrap_or(0),
        stderr,
    )
}

/// The index answers, holds each file at most once, and every listed
/// document's passage is searchable (a consistent commit).
fn assert_consistent(index: &Path) -> u64 {
    let out = ofsearch(index)
        .args(["docs", "--json"])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "docs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let docs: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    let paths: HashSet<&str> = docs.iter().filter_map(|d| d["path"].as_str()).collect();
    assert_eq!(paths.len(), docs.len(), "duplicate documents");
    let (code, passages, documents, stderr) = marker_count(index);
    assert!(code == 0 || code == 1, "search failed: {stderr}");
    assert_eq!(passages, documents, "duplicate passages");
    assert_eq!(documents, docs.len() as u64);
    documents
}

#[test]
fn sigkill_at_random_moments_loses_nothing_and_a_rerun_completes() {
    // 600 files: commits after 256, 512 and 600 files.
    const N: usize = 600;
    let (_tmp, dir, index) = workspace(N);
    // Random delays (seeded) spread over a debug-build ingest (~0.5 s).
    let delays: Vec<u64> = random_bytes(2024, 8)
        .iter()
        .map(|b| 5 + u64::from(*b) * 2)
        .collect();
    let mut last = 0;
    for (round, delay) in delays.iter().enumerate() {
        // Change an eighth of the files so every round has updates to write.
        if round > 0 {
            for i in (round % 8..N).step_by(8) {
                std::fs::write(
                    dir.join(format!("doc{i:04}.txt")),
                    format!(
                        "Document number {i}\n\nRevision {round}: the shared {MARKER} and \
                         the unique word uniq{i}, still one passage of text.\n"
                    ),
                )
                .expect("rewrite");
            }
        }
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ofsearch"))
            .env("OFSEARCH_INDEX", &index)
            .args(["ingest", "--quiet", "--memory", "15"])
            .arg(&dir)
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(*delay));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if !index.join("meta.json").exists() {
            continue; // killed before the index was created
        }
        let now = assert_consistent(&index);
        eprintln!("round {round}: killed after {delay} ms, {now} documents");
        assert!(now >= last, "round {round}: {now} < {last} documents");
        last = now;
    }
    ofsearch(&index)
        .args(["ingest", "--quiet", "--memory", "15"])
        .arg(&dir)
        .assert()
        .code(0);
    assert_eq!(assert_consistent(&index), N as u64);
    let (_, passages, documents, _) = marker_count(&index);
    assert_eq!((passages, documents), (N as u64, N as u64));
}

#[test]
fn a_second_writer_fails_fast_with_a_clear_message() {
    let (_tmp, dir, index) = workspace(3);
    let handle = ofsearch::index::open_or_create(&index).expect("index");
    let writer = ofsearch::index::Writer::open(&handle, 15_000_000).expect("writer");
    let started = Instant::now();
    ofsearch(&index)
        .args(["ingest", "--quiet"])
        .arg(&dir)
        .timeout(Duration::from_secs(30))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "is being written by another process",
        ));
    assert!(started.elapsed() < Duration::from_secs(30));
    // Readers are not blocked by the writer.
    ofsearch(&index).args(["docs"]).assert().code(1);
    drop(writer);
    ofsearch(&index)
        .args(["ingest", "--quiet"])
        .arg(&dir)
        .assert()
        .code(0);
}

#[test]
fn searches_during_an_ingest_never_fail_and_see_whole_commits() {
    const N: usize = 600;
    let (_tmp, dir, index) = workspace(N);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ofsearch"))
        .env("OFSEARCH_INDEX", &index)
        .args(["ingest", "--quiet", "--memory", "15"])
        .arg(&dir)
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + Duration::from_secs(120);
    while !index.join("meta.json").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let mut last = 0;
    let mut searches = 0;
    loop {
        let done = child.try_wait().expect("wait").is_some();
        let (code, passages, documents, stderr) = marker_count(&index);
        assert!(code == 0 || code == 1, "search failed mid-ingest: {stderr}");
        assert_eq!(passages, documents, "a half-written document");
        assert!(documents >= last, "snapshot went backwards");
        last = documents;
        searches += 1;
        if done || Instant::now() > deadline {
            break;
        }
    }
    assert!(child.wait().expect("wait").success());
    assert!(searches > 1);
    assert_eq!(marker_count(&index).2, N as u64);
}

#[test]
fn an_index_from_another_version_is_refused_with_a_rebuild_message() {
    let (_tmp, dir, index) = workspace(2);
    ofsearch(&index)
        .args(["ingest", "--quiet"])
        .arg(&dir)
        .assert()
        .code(0);
    let version = index.join("ofsearch-schema-version");
    assert_eq!(
        std::fs::read_to_string(&version)
            .expect("version file")
            .trim(),
        ofsearch::index::schema::SCHEMA_VERSION.to_string()
    );
    for old in [Some("0\n"), None] {
        match old {
            Some(v) => std::fs::write(&version, v).expect("write"),
            None => std::fs::remove_file(&version).expect("rm"),
        }
        for args in [vec!["search", MARKER], vec!["docs"]] {
            ofsearch(&index)
                .args(&args)
                .assert()
                .code(2)
                .stderr(predicates::str::contains("another version of ofsearch"))
                .stderr(predicates::str::contains("ofsearch ingest"));
        }
        // Ingest refuses to write into it too, rather than mixing schemas.
        ofsearch(&index)
            .args(["ingest", "--quiet"])
            .arg(&dir)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("another version of ofsearch"));
    }
    // Rebuilt as the message says, it works again.
    std::fs::remove_dir_all(&index).expect("rm");
    ofsearch(&index)
        .args(["ingest", "--quiet"])
        .arg(&dir)
        .assert()
        .code(0);
    assert_eq!(
        json_lines(ofsearch(&index).args(["docs", "--json"])).len(),
        2
    );
}
