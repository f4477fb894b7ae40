//! `export` and `search --engine`: the index written for a distributed
//! engine, and a search answered by a Sphinx cluster.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result};

use super::args::{Cli, ExportArgs, ExportTarget, SearchArgs};
use super::commands::{exit_for, open_reader, stdout};
use super::search_cmd::print_notes;
use super::{filters, EXIT_ERROR};
use crate::cluster::{self, Engine};
use crate::export::{self, sphinx::Layout};
use crate::output::printer::{printer, HitRow, Listing};
use crate::query::MatchOptions;

/// `ofsearch export`.
pub fn export(cli: &Cli, args: &ExportArgs) -> Result<i32> {
    let reader = open_reader(cli)?;
    let started = Instant::now();
    let summary = match args.to {
        ExportTarget::Opensearch => export::opensearch::export(&reader, &args.dir),
        ExportTarget::Sphinx => export::sphinx::export(
            &reader,
            &args.dir,
            &Layout {
                shards: args.shards,
                host: args.host.clone(),
                port: args.port,
                shard_port: args.shard_port,
            },
        ),
    }
    .with_context(|| format!("export to {}", args.dir.display()))?;
    let secs = started.elapsed().as_secs_f64();
    let mb = summary.bytes as f64 / 1e6;
    eprintln!(
        "ofsearch: exported {} documents, {} passages: {} files, {mb:.1} MB in {secs:.1} s ({:.1} MB/s) to {}",
        summary.documents,
        summary.passages,
        summary.files.len(),
        mb / secs.max(1e-6),
        args.dir.display()
    );
    Ok(exit_for(summary.passages > 0))
}

/// `ofsearch search --engine sphinx://HOST:PORT`.
pub fn search(cli: &Cli, args: &SearchArgs) -> Result<i32> {
    let url = args.engine.as_deref().unwrap_or_default();
    let engine = Engine::parse(url)?;
    if args.query == "-" {
        anyhow::bail!("--engine: one query per run ('-' reads a batch from the local index only)");
    }
    let mut notes = Vec::new();
    let groups = filters::groups(&args.filters, &mut notes)?;
    let translated =
        cluster::translate_query(&args.query, &groups, MatchOptions { exact: args.exact })?;
    notes.extend(translated.notes.iter().cloned());
    print_notes(&notes);
    let mut out = stdout(cli);
    let printer = printer(args.output.format());
    let (found, partial) = if args.count {
        let (count, partial) = engine.count(&translated)?;
        printer.count(&mut out, &args.query, count.passages, count.documents)?;
        (count.passages > 0, partial)
    } else {
        let limit = if args.all {
            cluster::MAX_HITS
        } else {
            args.limit
        };
        let answer = engine.search(&translated, limit)?;
        if args.all && answer.total > answer.hits.len() {
            notes.push(format!(
                "{} passages match; the cluster returns at most {}",
                answer.total,
                cluster::MAX_HITS
            ));
            print_notes(&notes[notes.len() - 1..]);
        }
        printer.hits(
            &mut out,
            &HitRow::plain(&answer.hits),
            &Listing::default(),
            1,
        )?;
        (!answer.hits.is_empty(), answer.partial)
    };
    out.flush()?;
    if !partial.is_empty() {
        eprintln!(
            "ofsearch: partial answer: {} (the counts and hits above lack what that shard holds)",
            partial.join("; ")
        );
        return Ok(EXIT_ERROR);
    }
    Ok(exit_for(found))
}
