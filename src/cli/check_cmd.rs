//! `ofsearch check`: verify every file of the index and print what is damaged.

use std::io::Write;

use anyhow::{Context, Result};

use super::args::{CheckArgs, Cli};
use super::{index_dir, EXIT_ERROR, EXIT_OK};
use crate::index::check;
use crate::output::check::{self as print, CheckOutcome};

/// `ofsearch check`: exit 0 when every file is sound, 2 when any is damaged.
pub fn check(cli: &Cli, args: &CheckArgs) -> Result<i32> {
    let dir = index_dir(cli);
    let report =
        check::check(&dir).with_context(|| format!("checking the index in {}", dir.display()))?;
    let index = dir.display().to_string();
    let rebuild = report.rebuild();
    let outcome = CheckOutcome {
        index: &index,
        checked: report.checked,
        damaged: report
            .damaged
            .iter()
            .map(|d| (d.file.as_str(), d.reason.as_str()))
            .collect(),
        rebuild: &rebuild,
        rebuild_paths: check::REBUILD_PATHS,
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        print::json(&mut out, &outcome)?;
    } else {
        print::text(&mut out, &outcome)?;
    }
    out.flush()?;
    Ok(if report.is_ok() { EXIT_OK } else { EXIT_ERROR })
}
