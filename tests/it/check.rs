//! A damaged index is detected, never a panic, never a silently different
//! answer: each kind of index file is damaged in turn (200 bytes flipped in
//! its middle, `meta.json` garbled) in a copy of an index of the seeds;
//! `check` names it, `search` either refuses in one line or answers as the
//! sound index does, `ingest` refuses, `ingest --rebuild` recovers, and
//! `serve` keeps its last good commit.

use crate::common::{self, ofsearch};

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use ofsearch::serve::{router, AppState};

/// Queries whose answers are compared, sound against damaged.
const QUERIES: &[&str] = &[
    "management oversight",
    "\"social workers\"",
    "supervis*",
    "children NOT care",
    "authority:Gloucestershire",
];

/// The seed index, built once and only ever copied.
fn pristine() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| common::seed_index().keep())
}

/// A copy of the seed index in a folder of its own.
fn copy() -> tempfile::TempDir {
    let to = tempfile::tempdir().expect("tempdir");
    for entry in std::fs::read_dir(pristine()).expect("read index") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_file() {
            std::fs::copy(entry.path(), to.path().join(entry.file_name())).expect("copy");
        }
    }
    to
}

/// The index files with this extension.
fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read index")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// Replace a file's bytes with new ones through a new file (a new inode:
/// a reader that mapped the old one keeps its bytes, as after a sync tool).
fn replace(path: &Path, bytes: &[u8]) {
    let tmp = path.with_extension("damaged-tmp");
    std::fs::write(&tmp, bytes).expect("write");
    std::fs::rename(&tmp, path).expect("rename");
}

/// Flip 200 bytes in the middle of `path` (fewer in a small file).
fn flip_middle(path: &Path) {
    let mut bytes = std::fs::read(path).expect("read");
    let n = 200.min(bytes.len() / 2);
    let from = (bytes.len() - n) / 2;
    for b in &mut bytes[from..from + n] {
        *b ^= 0xa5;
    }
    replace(path, &bytes);
}

/// Flip up to 200 bytes of `path` starting at `at` (a fraction of its length).
fn flip_at(path: &Path, at: f64) {
    let mut bytes = std::fs::read(path).expect("read");
    let n = 200.min(bytes.len() / 4).max(1);
    let from = ((bytes.len() - n) as f64 * at) as usize;
    for b in &mut bytes[from..from + n] {
        *b ^= 0x5a;
    }
    replace(path, &bytes);
}

#[test]
fn check_finds_damage_anywhere_in_every_kind_of_file() {
    for ext in ["term", "idx", "pos", "fast", "fieldnorm", "store"] {
        for at in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let index = copy();
            let file = files_with(index.path(), ext).remove(0);
            flip_at(&file, at);
            let (code, v) = check_json(index.path());
            let name = file.file_name().expect("name").to_string_lossy();
            assert_eq!(code, Some(2), ".{ext} at {at}: {v}");
            assert_eq!(
                v["damaged"][0]["file"],
                name.as_ref(),
                ".{ext} at {at}: {v}"
            );
        }
    }
}

/// Each query's `--all --json` answer and `--count`, with exit statuses.
fn answers(index: &Path) -> Vec<(Option<i32>, String, String)> {
    let mut out = Vec::new();
    for q in QUERIES {
        for args in [
            vec!["search", q, "--all", "--json"],
            vec!["search", q, "--count"],
        ] {
            let o = ofsearch(index).args(&args).output().expect("runs");
            out.push((
                o.status.code(),
                String::from_utf8_lossy(&o.stdout).into_owned(),
                String::from_utf8_lossy(&o.stderr).into_owned(),
            ));
        }
    }
    out
}

/// A refusal is exit 2 and one line on stderr that names the index and
/// `ofsearch check`, with no panic report.
fn assert_refusal(index: &Path, (code, _, stderr): &(Option<i32>, String, String), what: &str) {
    assert_eq!(*code, Some(2), "{what}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{what}: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{what}: {stderr}"
    );
    assert!(
        stderr.contains(&index.display().to_string()),
        "{what}: {stderr}"
    );
    assert!(stderr.contains("ofsearch check"), "{what}: {stderr}");
}

fn check_json(index: &Path) -> (Option<i32>, serde_json::Value) {
    let o = ofsearch(index)
        .args(["check", "--json"])
        .output()
        .expect("runs");
    let v = serde_json::from_slice(&o.stdout).expect("one JSON object");
    (o.status.code(), v)
}

#[test]
fn a_sound_index_checks_clean_and_answers() {
    let index = copy();
    ofsearch(index.path())
        .arg("check")
        .assert()
        .code(0)
        .stdout(predicates::str::contains("none damaged"));
    let (code, v) = check_json(index.path());
    assert_eq!(code, Some(0));
    assert_eq!(v["ok"], true);
    assert_eq!(v["damaged"].as_array().map(Vec::len), Some(0));
    assert_eq!(v["index"], index.path().display().to_string());
    // A copy answers as the original does (the copy's files are verified anew).
    assert_eq!(answers(index.path()), answers(pristine()));
}

#[test]
fn each_damaged_file_is_named_refused_and_rebuilt() {
    let sound = answers(pristine());
    assert!(sound.iter().all(|(code, _, _)| *code == Some(0)));
    for ext in ["term", "idx", "pos", "fast", "fieldnorm", "json"] {
        let index = copy();
        let dir = index.path();
        let damaged: Vec<String> = if ext == "json" {
            replace(
                &dir.join("meta.json"),
                b"{\"segments\": [{\"segment_id\": \x00\xff garbled",
            );
            vec!["meta.json".to_string()]
        } else {
            let files = files_with(dir, ext);
            assert!(!files.is_empty(), "no .{ext} file");
            files.iter().for_each(|f| flip_middle(f));
            files
                .iter()
                .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
                .collect()
        };
        let what = format!("damaged .{ext}");

        // `check` names every damaged file and the rebuild; exit 2.
        let out = ofsearch(dir).arg("check").output().expect("runs");
        assert_eq!(out.status.code(), Some(2), "{what}");
        let text = String::from_utf8_lossy(&out.stdout);
        for name in &damaged {
            assert!(text.contains(name.as_str()), "{what}: {text}");
        }
        assert!(text.contains("ofsearch ingest --rebuild"), "{what}: {text}");
        let (code, v) = check_json(dir);
        assert_eq!(code, Some(2));
        assert_eq!(v["ok"], false);
        let files: Vec<&str> = v["damaged"]
            .as_array()
            .expect("damaged")
            .iter()
            .filter_map(|d| d["file"].as_str())
            .collect();
        assert_eq!(files.len(), damaged.len(), "{what}: {v}");

        // A search refuses in one line, or answers as the sound index does.
        for (got, want) in answers(dir).iter().zip(&sound) {
            if got.0 == Some(0) || got.0 == Some(1) {
                assert_eq!(got, want, "{what}: a different answer");
            } else {
                assert_refusal(dir, got, &what);
            }
        }

        // Ingest refuses rather than merging into a damaged segment.
        ofsearch(dir)
            .args(["ingest", "--quiet"])
            .arg(common::corpus())
            .assert()
            .code(2)
            .stderr(predicates::str::contains("damaged"))
            .stderr(predicates::str::contains("ingest --rebuild"));

        // `ingest --rebuild` recovers: sound, and the same answers.
        std::fs::write(dir.join("notes.txt"), "not the index's").expect("write");
        ofsearch(dir)
            .args(["ingest", "--rebuild", "--quiet"])
            .arg(common::corpus())
            .assert()
            .code(0);
        ofsearch(dir).arg("check").assert().code(0);
        assert!(
            dir.join("notes.txt").is_file(),
            "rebuild removed a file it does not own"
        );
        assert_eq!(answers(dir), sound, "{what}: rebuilt");
    }
}

/// CRC-32 (IEEE), as tantivy's footers hold it.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Flip 200 bytes at `at` (a fraction of its length) of a segment file
/// and write the checksum of the new bytes into its footer: damage no check
/// can see, so whatever tantivy then meets inside the file reaches the search.
fn flip_with_forged_checksum(path: &Path, at: f64) {
    let bytes = std::fs::read(path).expect("read");
    let len = bytes.len();
    let footer_len =
        u32::from_le_bytes(bytes[len - 8..len - 4].try_into().expect("4 bytes")) as usize;
    let body_len = len - 8 - footer_len;
    let mut body = bytes[..body_len].to_vec();
    let n = 200.min(body.len() / 4);
    let from = ((body.len() - n) as f64 * at) as usize;
    for b in &mut body[from..from + n] {
        *b ^= 0xa5;
    }
    let mut footer: serde_json::Value =
        serde_json::from_slice(&bytes[body_len..len - 8]).expect("footer JSON");
    footer["crc"] = crc32(&body).into();
    let footer = footer.to_string();
    let mut out = body;
    out.extend_from_slice(footer.as_bytes());
    out.extend_from_slice(&(footer.len() as u32).to_le_bytes());
    out.extend_from_slice(&bytes[len - 4..]);
    replace(path, &out);
}

#[test]
fn a_panic_inside_tantivy_is_one_line_never_a_panic_report() {
    let mut panics = 0;
    for ext in ["term", "idx", "pos", "fast"] {
        for at in [0.1, 0.3, 0.5, 0.7, 0.9] {
            let index = copy();
            files_with(index.path(), ext)
                .iter()
                .for_each(|f| flip_with_forged_checksum(f, at));
            for q in QUERIES {
                let o = ofsearch(index.path())
                    .env_remove("RUST_BACKTRACE")
                    .args(["search", q, "--count"])
                    .output()
                    .expect("runs");
                let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
                let what = format!(".{ext} forged at {at}, {q}");
                let code = o.status.code();
                assert!(
                    matches!(code, Some(0..=2)),
                    "{what}: exit {code:?}: {stderr}"
                );
                assert!(stderr.lines().count() <= 1, "{what}: {stderr}");
                assert!(!stderr.contains("panicked"), "{what}: {stderr}");
                if stderr.contains("internal error") {
                    panics += 1;
                    assert_refusal(index.path(), &(code, String::new(), stderr), &what);
                }
            }
        }
    }
    // The damage above makes tantivy panic (in the term dictionary's FST):
    // the path under test was taken.
    assert!(panics > 0, "no damage made tantivy panic");
}

#[tokio::test]
async fn serve_keeps_its_last_good_commit_and_refuses_a_damaged_start() {
    let index = copy();
    let dir = index.path();
    let app = router(Arc::new(AppState::new(dir.to_path_buf())), None);
    let count = "/api/count?q=children";
    let (status, _, before) = common::answer(app.clone(), count).await;
    assert_eq!(status, 200);
    // A new commit whose files are damaged: meta.json rewritten (a new
    // stamp), a segment file replaced by damaged bytes.
    for f in files_with(dir, "idx") {
        flip_middle(&f);
    }
    std::thread::sleep(std::time::Duration::from_millis(20));
    let meta = std::fs::read(dir.join("meta.json")).expect("meta");
    replace(&dir.join("meta.json"), &meta);
    for _ in 0..3 {
        let (status, _, after) = common::answer(app.clone(), count).await;
        assert_eq!(status, 200);
        assert_eq!(
            after, before,
            "served something else than the last good commit"
        );
    }
    // A server started on it refuses, in one line.
    let out = ofsearch(dir)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");
    assert_refusal(
        dir,
        &(
            out.status.code(),
            String::new(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ),
        "serve",
    );
}

/// Documents with enough text (over 256 KiB in the first batch) for the
/// passage store to train its dictionary.
fn write_dictionary_corpus(dir: &Path) {
    const WORDS: &[&str] = &[
        "children",
        "social",
        "workers",
        "management",
        "oversight",
        "plans",
        "care",
        "leavers",
        "supervision",
        "assessment",
        "timely",
        "effective",
        "families",
        "inspectors",
        "found",
        "practice",
        "leaders",
        "partners",
        "quality",
        "help",
        "protection",
    ];
    std::fs::create_dir_all(dir).expect("mkdir");
    let mut state = 7u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    for i in 0..40 {
        let mut text = format!("Inspection of Leeds children's services number {i}\n\n");
        for _ in 0..30 {
            let words: Vec<&str> = (0..60).map(|_| WORDS[next() % WORDS.len()]).collect();
            text.push_str(&words.join(" "));
            text.push_str(".\n\n");
        }
        std::fs::write(dir.join(format!("doc{i:03}.txt")), text).expect("write");
    }
}

#[test]
fn a_damaged_dictionary_is_named_refused_and_rebuilt() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let docs = tmp.path().join("docs");
    let index = tmp.path().join("index");
    write_dictionary_corpus(&docs);
    ofsearch(&index)
        .args(["ingest", "--quiet"])
        .arg(&docs)
        .assert()
        .code(0);
    let dict = index.join("ofsearch-dict-1.zdict");
    assert!(dict.is_file(), "no dictionary was trained");
    let sound = answers(&index);
    flip_middle(&dict);
    ofsearch(&index)
        .arg("check")
        .assert()
        .code(2)
        .stdout(predicates::str::contains(
            "ofsearch-dict-1.zdict: checksum mismatch",
        ));
    for got in answers(&index) {
        assert_refusal(&index, &got, "damaged dictionary");
    }
    ofsearch(&index)
        .args(["ingest", "--rebuild", "--quiet"])
        .arg(&docs)
        .assert()
        .code(0);
    ofsearch(&index).arg("check").assert().code(0);
    assert_eq!(answers(&index), sound);
}
