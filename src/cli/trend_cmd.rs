//! `trend`: documents matching each query per bucket, as a table, rows for
//! scripts, and a chart.

use std::io::Write;

use anyhow::{Context, Result};

use super::args::{Cli, TrendArgs};
use super::commands::{exit_for, open_reader, stdout};
use super::filters;
use crate::analysis::trend::{trend as run_trend, TrendRequest};
use crate::output::plot;
use crate::output::printer::printer;
use crate::query::MatchOptions;

/// `ofsearch trend`.
pub fn trend(cli: &Cli, args: &TrendArgs) -> Result<i32> {
    let mut notes = Vec::new();
    let filters = filters::groups(&args.filters, &mut notes)?;
    let reader = open_reader(cli)?;
    let t = run_trend(
        &reader,
        &TrendRequest {
            queries: args.queries.clone(),
            filters,
            options: MatchOptions { exact: args.exact },
            by: args.by,
        },
    )?;
    for n in notes.iter().chain(&t.notes) {
        eprintln!("ofsearch: note: {n}");
    }
    if let Some(path) = &args.plot {
        plot::write(&t, path, args.top).with_context(|| path.display().to_string())?;
        eprintln!("ofsearch: chart written to {}", path.display());
    }
    let mut out = stdout(cli);
    printer(args.output.format()).trend(&mut out, &t)?;
    out.flush()?;
    let any = t
        .buckets
        .iter()
        .any(|b| b.cells.iter().any(|c| c.documents > 0));
    Ok(exit_for(any))
}
