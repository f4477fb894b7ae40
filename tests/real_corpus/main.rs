//! End-to-end tests over one index of the bundled corpus plus, when present,
//! the 111 real Ofsted reports in ../shared (built once for all tests here).

#[path = "../common/mod.rs"]
mod common;
mod query;
mod reports;

use std::path::PathBuf;
use std::sync::OnceLock;

/// The real reports folder, when ../shared is there.
fn reports_dir() -> Option<PathBuf> {
    common::shared().map(|s| s.join("corpus").join("ofsted-reports"))
}

/// One index of the bundled corpus and the reports, built once.
fn shared_index() -> &'static PathBuf {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let mut cmd = common::ofsearch(&dir);
        cmd.arg("ingest").arg(common::corpus());
        if let Some(reports) = reports_dir() {
            cmd.arg(reports);
        }
        cmd.arg("--quiet").assert().success();
        dir
    })
}
