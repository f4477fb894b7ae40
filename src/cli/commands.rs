//! One function per subcommand: read the index, call the library, write output.

use std::io::{self, BufRead, Write};

use anyhow::{Context, Result};
use termcolor::{BufferedStandardStream, WriteColor};

use super::args::{
    Cli, DocsArgs, ExtractArgs, IngestArgs, MentionsArgs, SearchArgs, DEFAULT_CORPUS,
};
use super::{color_choice, index_dir, should_build_default, EXIT_ERROR, EXIT_NO_RESULTS, EXIT_OK};
use crate::index::{self, Reader};
use crate::ingest;
use crate::output::{json, table, text, Format};
use crate::pipeline::{self, IngestOptions};
use crate::query::{self, Hit, MatchOptions, SearchRequest};

fn exit_for(found: bool) -> i32 {
    if found {
        EXIT_OK
    } else {
        EXIT_NO_RESULTS
    }
}

/// Run an ingest, reporting failures on stderr as they happen.
fn run_ingest(dir: &std::path::Path, options: &IngestOptions, quiet: bool) -> Result<i32> {
    let report = pipeline::ingest_into(dir, options, |f| {
        // One line per file, whatever bytes its name or the reason holds.
        let path: String = f
            .path
            .chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect();
        eprintln!("ofsearch: {}: {}", path, super::one_line(&f.reason));
    })?;
    if !quiet {
        eprintln!("ofsearch: {}", report.summary());
    }
    Ok(if report.failed.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    })
}

/// `ofsearch ingest`.
pub fn ingest(cli: &Cli, args: &IngestArgs) -> Result<i32> {
    let paths = if args.paths.is_empty() {
        vec![std::path::PathBuf::from(DEFAULT_CORPUS)]
    } else {
        args.paths.clone()
    };
    ingest::guard::set_file_timeout(
        (args.file_timeout > 0.0)
            .then(|| std::time::Duration::try_from_secs_f64(args.file_timeout).ok())
            .flatten(),
    );
    let options = IngestOptions {
        paths,
        prune: !args.no_prune,
        memory_budget: args.memory.saturating_mul(1024 * 1024),
        progress: !args.quiet && io::IsTerminal::is_terminal(&io::stderr()),
    };
    run_ingest(&index_dir(cli), &options, args.quiet)
}

/// Open the index for reading, building the bundled corpus first when that is the default.
fn open_reader(cli: &Cli) -> Result<Reader> {
    let dir = index_dir(cli);
    if should_build_default(cli, &dir) {
        eprintln!(
            "ofsearch: no index in {} yet: building it from {DEFAULT_CORPUS}/ first",
            dir.display()
        );
        let options = IngestOptions {
            paths: vec![std::path::PathBuf::from(DEFAULT_CORPUS)],
            prune: true,
            memory_budget: crate::index::writer::DEFAULT_MEMORY_BUDGET,
            progress: io::IsTerminal::is_terminal(&io::stderr()),
        };
        run_ingest(&dir, &options, false)?;
    }
    let handle = index::open(&dir)?;
    Ok(Reader::open(&handle)?)
}

fn stdout(cli: &Cli) -> BufferedStandardStream {
    BufferedStandardStream::stdout(color_choice(cli.color))
}

/// Write hits in the chosen format; `query` is added to JSON lines in batch mode.
fn write_hits(
    out: &mut BufferedStandardStream,
    format: Format,
    hits: &[Hit],
    batch_query: Option<&str>,
    grouped: bool,
) -> Result<()> {
    match format {
        Format::Text => {
            if grouped {
                text::write_grouped(out, hits)?;
            } else {
                for (i, hit) in hits.iter().enumerate() {
                    text::write_hit(out, i + 1, hit)?;
                }
            }
        }
        Format::Json => {
            for hit in hits {
                let mut obj = json::hit_object(hit);
                if let Some(q) = batch_query {
                    obj.insert("query".into(), serde_json::json!(q));
                }
                writeln!(out, "{}", serde_json::Value::Object(obj))?;
            }
        }
        Format::Csv | Format::Tsv => {
            let mut w = table::writer(&mut *out, format == Format::Tsv, table::HIT_COLUMNS)?;
            for hit in hits {
                w.write_record(table::hit_row(hit))?;
            }
            w.flush()?;
        }
    }
    Ok(())
}

fn write_count(
    out: &mut BufferedStandardStream,
    format: Format,
    query: &str,
    passages: usize,
    documents: usize,
) -> Result<()> {
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            serde_json::json!({"query": query, "passages": passages, "documents": documents})
        )?,
        Format::Csv | Format::Tsv => {
            let mut w = table::writer(
                &mut *out,
                format == Format::Tsv,
                &["query", "passages", "documents"],
            )?;
            w.write_record([
                query.to_string(),
                passages.to_string(),
                documents.to_string(),
            ])?;
            w.flush()?;
        }
        Format::Text => writeln!(out, "{passages} passages in {documents} documents")?,
    }
    Ok(())
}

/// `ofsearch search`.
pub fn search(cli: &Cli, args: &SearchArgs) -> Result<i32> {
    let filters = super::filters::groups(&args.filters)?;
    let reader = open_reader(cli)?;
    let format = args.output.format();
    let mut out = stdout(cli);
    let make = |q: &str| SearchRequest {
        query: q.to_string(),
        filters: filters.clone(),
        options: MatchOptions { exact: args.exact },
        limit: if args.all { None } else { Some(args.limit) },
    };
    if args.query == "-" {
        return search_batch(&reader, &mut out, format, args, &make);
    }
    let request = make(&args.query);
    if args.count {
        let (passages, documents) = query::count(&reader, &request)?;
        write_count(&mut out, format, &args.query, passages, documents)?;
        out.flush()?;
        return Ok(exit_for(passages > 0));
    }
    let hits = query::search(&reader, &request)?;
    write_hits(&mut out, format, &hits, None, false)?;
    out.flush()?;
    Ok(exit_for(!hits.is_empty()))
}

/// One query per stdin line; JSON lines (or counts) carry their query. A bad
/// query is reported on stderr and the batch goes on.
fn search_batch(
    reader: &Reader,
    out: &mut BufferedStandardStream,
    format: Format,
    args: &SearchArgs,
    make: &dyn Fn(&str) -> SearchRequest,
) -> Result<i32> {
    let format = if format == Format::Text {
        Format::Json
    } else {
        format
    };
    let mut any_hit = false;
    let mut any_error = false;
    for line in io::stdin().lock().lines() {
        let line = line.context("reading queries from stdin")?;
        let q = line.trim();
        if q.is_empty() {
            continue;
        }
        let request = make(q);
        if args.count {
            match query::count(reader, &request) {
                Ok((p, d)) => {
                    any_hit |= p > 0;
                    write_count(out, format, q, p, d)?;
                }
                Err(e) => {
                    any_error = true;
                    eprintln!("ofsearch: query {q:?}: {e}");
                }
            }
            continue;
        }
        match query::search(reader, &request) {
            Ok(hits) => {
                any_hit |= !hits.is_empty();
                write_hits(out, format, &hits, Some(q), false)?;
            }
            Err(e) => {
                any_error = true;
                eprintln!("ofsearch: query {q:?}: {e}");
            }
        }
    }
    out.flush()?;
    Ok(if any_error {
        EXIT_ERROR
    } else {
        exit_for(any_hit)
    })
}

/// `ofsearch mentions`.
pub fn mentions(cli: &Cli, args: &MentionsArgs) -> Result<i32> {
    let reader = open_reader(cli)?;
    let hits = query::mentions(&reader, &args.authority, &[])?;
    let format = args.output.format();
    let mut out = stdout(cli);
    if args.count {
        let docs: std::collections::HashSet<&str> =
            hits.iter().map(|h| h.meta.path.as_str()).collect();
        write_count(&mut out, format, &args.authority, hits.len(), docs.len())?;
    } else {
        write_hits(&mut out, format, &hits, None, true)?;
    }
    out.flush()?;
    Ok(exit_for(!hits.is_empty()))
}

/// `ofsearch docs`.
pub fn docs(cli: &Cli, args: &DocsArgs) -> Result<i32> {
    let reader = open_reader(cli)?;
    let docs = reader.documents()?;
    let mut out = stdout(cli);
    let format = args.output.format();
    match format {
        Format::Text => {
            for d in &docs {
                writeln!(
                    out,
                    "{}  ({} passages)  {}",
                    text::header(&d.meta),
                    d.passages,
                    d.meta.title
                )?;
            }
        }
        Format::Json => {
            for d in &docs {
                let mut obj = json::document_object(&d.meta);
                obj.insert("passages".into(), serde_json::json!(d.passages));
                writeln!(out, "{}", serde_json::Value::Object(obj))?;
            }
        }
        Format::Csv | Format::Tsv => {
            let columns = table::DOC_COLUMNS;
            let mut w = table::writer(&mut out, format == Format::Tsv, columns)?;
            for d in &docs {
                w.write_record(table::doc_row(&d.meta, d.passages))?;
            }
            w.flush()?;
        }
    }
    out.flush()?;
    Ok(exit_for(!docs.is_empty()))
}

/// `ofsearch extract`.
pub fn extract(cli: &Cli, args: &ExtractArgs) -> Result<i32> {
    let display = ingest::walk::display(&args.file);
    let doc = ingest::ingest_file(&args.file, &display).with_context(|| display.clone())?;
    let mut out = stdout(cli);
    if args.json {
        let passages: Vec<serde_json::Value> = doc
            .passages
            .iter()
            .map(|p| {
                serde_json::json!({
                    "paragraph": p.paragraph,
                    "section": p.section,
                    "text": p.text,
                    "authorities_mentioned": p.authorities_mentioned,
                })
            })
            .collect();
        let obj = serde_json::json!({
            "document": serde_json::Value::Object(json::document_object(&doc.meta)),
            "passages": passages,
        });
        writeln!(out, "{obj}")?;
    } else {
        let mut section: Option<&str> = None;
        for p in &doc.passages {
            if p.section.as_deref() != section {
                section = p.section.as_deref();
                if let Some(s) = section {
                    writeln!(out, "{s}\n")?;
                }
            }
            writeln!(out, "{}\n", p.text)?;
        }
    }
    out.flush()?;
    let _ = out.supports_color();
    Ok(EXIT_OK)
}
