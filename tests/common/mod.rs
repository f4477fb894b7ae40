//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled corpus.
pub fn corpus() -> PathBuf {
    root().join("corpus")
}

/// `ofsearch` with the index at `index`.
pub fn ofsearch(index: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ofsearch").expect("binary built");
    cmd.env("OFSEARCH_INDEX", index).env_remove("NO_COLOR");
    cmd
}

/// A temporary index built from the bundled corpus.
pub fn seed_index() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    ofsearch(dir.path())
        .arg("ingest")
        .arg(corpus())
        .arg("--quiet")
        .assert()
        .success();
    dir
}

/// Run and parse JSON lines from stdout.
pub fn json_lines(cmd: &mut Command) -> Vec<serde_json::Value> {
    let out = cmd.output().expect("runs");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

/// `../shared` beside the repository, when present. Under CI it must exist.
pub fn shared() -> Option<PathBuf> {
    let dir = root().join("..").join("shared");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("../shared is missing under CI: {}", dir.display());
    }
    eprintln!("skipping: ../shared not found at {}", dir.display());
    None
}

/// File name of a hit's path.
pub fn file_of(hit: &serde_json::Value) -> String {
    let path = hit["path"].as_str().unwrap_or_default();
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
