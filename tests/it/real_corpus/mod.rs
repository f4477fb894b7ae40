//! End-to-end tests over one index of the bundled corpus, query fixtures the
//! tests write, and, when present, the 111 real Ofsted reports in ../shared
//! (built once for all tests here). The query tests hold with or without them.

use crate::common;
mod docs;
mod query;
mod reports;
mod sections;
mod trend;

use std::path::PathBuf;
use std::sync::OnceLock;

/// The real reports folder, when ../shared is there.
fn reports_dir() -> Option<PathBuf> {
    // Asked once, so a missing ../shared is said once.
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        common::shared_for("the real-report tests").map(|s| s.join("corpus").join("ofsted-reports"))
    })
    .clone()
}

/// One index of the bundled corpus and the reports, built once.
fn shared_index() -> &'static PathBuf {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let fixtures = dir.join("fixtures");
        common::write_query_fixtures(&fixtures);
        let index = dir.join("index");
        let mut cmd = common::ofsearch(&index);
        cmd.arg("ingest").arg(common::corpus()).arg(&fixtures);
        if let Some(reports) = reports_dir() {
            cmd.arg(reports);
        }
        cmd.arg("--quiet").assert().success();
        index
    })
}
