//! `docs`, `show` and `stats`: the documents side of the index.

use std::io::Write;

use anyhow::Result;

use super::args::{Cli, DocsArgs, ShowArgs, StatsArgs};
use super::commands::{exit_for, open_reader, stdout};
use super::{filters, EXIT_NO_RESULTS, EXIT_OK};
use crate::analysis::docs::{self, DocsRequest, ShowError};
use crate::analysis::stats::stats as index_stats;
use crate::output::printer::printer;
use crate::output::{json, text};
use crate::query::{MatchOptions, SearchRequest};

/// `ofsearch docs`.
pub fn docs(cli: &Cli, args: &DocsArgs) -> Result<i32> {
    let mut notes = Vec::new();
    let filters = filters::groups(&args.filters, &mut notes)?;
    let reader = open_reader(cli)?;
    let request = DocsRequest {
        search: SearchRequest {
            query: args.query.clone().unwrap_or_default(),
            filters,
            options: MatchOptions { exact: args.exact },
            limit: None,
            detail: Default::default(),
            explain: false,
        },
        sort: args.sort.into(),
        limit: args.limit,
    };
    let list = docs::list(&reader, &request)?;
    for n in notes.iter().chain(&list.notes) {
        eprintln!("ofsearch: note: {n}");
    }
    let mut out = stdout(cli);
    let printer = printer(args.output.format());
    if args.count {
        printer.document_count(&mut out, list.total)?;
        out.flush()?;
        return Ok(exit_for(list.total > 0));
    }
    let docs: Vec<(&crate::document::DocumentMeta, u64)> =
        list.docs.iter().map(|d| (&d.meta, d.passages)).collect();
    printer.documents(&mut out, &docs)?;
    out.flush()?;
    Ok(exit_for(!list.docs.is_empty()))
}

/// `ofsearch show DOC`.
pub fn show(cli: &Cli, args: &ShowArgs) -> Result<i32> {
    let reader = open_reader(cli)?;
    let found = match docs::find(&reader, &args.doc) {
        Ok(d) => d,
        Err(e @ ShowError::Unknown { .. }) => {
            eprintln!("ofsearch: {e}");
            return Ok(EXIT_NO_RESULTS);
        }
        Err(e) => return Err(e.into()),
    };
    let mut doc = docs::read(&reader, &found)?;
    if let Some(n) = args.passage {
        let (lo, hi) = (
            n.saturating_sub(args.context),
            n.saturating_add(args.context),
        );
        doc.passages.retain(|p| (lo..=hi).contains(&p.paragraph));
        if !doc.passages.iter().any(|p| p.paragraph == n) {
            eprintln!(
                "ofsearch: {} has no passage {n} (hint: it has passages 0 to {})",
                doc.meta.path,
                found.passages.saturating_sub(1)
            );
            return Ok(EXIT_NO_RESULTS);
        }
    }
    let mut out = stdout(cli);
    if args.json {
        writeln!(
            out,
            "{}",
            json::document_with_passages(&doc.meta, &doc.passages)
        )?;
    } else {
        text::write_document(&mut out, &doc.meta, &doc.passages, args.passage)?;
    }
    out.flush()?;
    Ok(EXIT_OK)
}

/// `ofsearch stats`.
pub fn stats(cli: &Cli, args: &StatsArgs) -> Result<i32> {
    let reader = open_reader(cli)?;
    let mut s = index_stats(&reader)?;
    if !args.missing {
        s.authorities_missing.clear();
    }
    let mut out = stdout(cli);
    if args.json {
        let mut v = serde_json::to_value(&s)?;
        if !args.missing {
            if let Some(o) = v.as_object_mut() {
                o.remove("authorities_missing");
            }
        }
        writeln!(out, "{v}")?;
    } else {
        text::write_stats(&mut out, &s, args.missing)?;
    }
    out.flush()?;
    Ok(exit_for(s.total.documents > 0))
}
