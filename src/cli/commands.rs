//! One function per subcommand: read the index, call the library, write output.

use std::io::{self, Write};

use anyhow::{Context, Result};
use termcolor::BufferedStandardStream;

use super::args::{Cli, CompletionsArgs, ExtractArgs, IngestArgs, DEFAULT_CORPUS};
use super::{color_choice, index_dir, should_build_default, EXIT_ERROR, EXIT_NO_RESULTS, EXIT_OK};
use crate::index::{self, Reader};
use crate::ingest;
use crate::output::json;
use crate::pipeline::{self, IngestOptions};

/// Exit status for a listing: 0 with results, 1 without.
pub fn exit_for(found: bool) -> i32 {
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
    if let Some((news, linked)) = report.linked {
        if !quiet && news > 0 {
            eprintln!("ofsearch: {linked} of {news} news documents linked to a letter or report");
        }
    }
    if !quiet {
        super::watch_cmd::report_after_ingest(dir);
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
    let mut options = IngestOptions {
        first_indexed: Default::default(),
        paths,
        prune: !args.no_prune,
        memory_budget: args.memory.saturating_mul(1024 * 1024),
        progress: !args.quiet && io::IsTerminal::is_terminal(&io::stderr()),
    };
    let dir = index_dir(cli);
    if args.rebuild {
        // Saved searches keep knowing what they have seen: documents that
        // come back keep when they were first indexed (when the old index
        // can still say).
        options.first_indexed = first_indexed_of(&dir);
        let removed = index::rebuild::empty(&dir)?;
        if !args.quiet {
            eprintln!(
                "ofsearch: rebuilding the index in {}: {removed} of its files removed",
                dir.display()
            );
        }
    }
    run_ingest(&dir, &options, args.quiet)
}

/// Each document's first-indexed stamp in the index in `dir`, if it can be read.
fn first_indexed_of(
    dir: &std::path::Path,
) -> std::collections::HashMap<String, index::stamps::Stamp> {
    index::open(dir)
        .and_then(|h| Reader::open(&h))
        .and_then(|r| index::stamps::first_indexed(&r, &r.searcher()))
        .map(|f| f.documents.into_iter().collect())
        .unwrap_or_default()
}

/// Open the index for reading, building the bundled corpus first when that is the default.
pub fn open_reader(cli: &Cli) -> Result<Reader> {
    let dir = index_dir(cli);
    if should_build_default(cli, &dir) {
        eprintln!(
            "ofsearch: no index in {} yet: building it from {DEFAULT_CORPUS}/ first",
            dir.display()
        );
        let options = IngestOptions {
            first_indexed: Default::default(),
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

/// Buffered stdout with the colour choice applied.
pub fn stdout(cli: &Cli) -> BufferedStandardStream {
    BufferedStandardStream::stdout(color_choice(cli.color))
}

/// `ofsearch extract`.
pub fn extract(cli: &Cli, args: &ExtractArgs) -> Result<i32> {
    let display = ingest::walk::display(&args.file);
    let (doc, why) = ingest::explain_file(&args.file, &display).with_context(|| display.clone())?;
    let mut out = stdout(cli);
    if args.explain && !args.json {
        write_explanation(&mut out, &doc.meta, &why)?;
    }
    if args.json {
        let mut obj = json::document_with_passages(&doc.meta, &doc.passages);
        if args.explain {
            obj["dropped"] = why
                .dropped
                .iter()
                .map(|(rule, text)| serde_json::json!({"rule": rule.name(), "text": text}))
                .collect();
            obj["evidence"] = why
                .evidence
                .iter()
                .map(|(field, text)| serde_json::json!({"field": field, "from": text}))
                .collect();
        }
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
    Ok(EXIT_OK)
}

/// The `--explain` header: fields with their sources, then dropped lines.
fn write_explanation(
    out: &mut impl Write,
    meta: &crate::document::DocumentMeta,
    why: &ingest::Explanation,
) -> Result<()> {
    let source = |field: &str| {
        why.evidence
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, s)| format!("  ← {s}"))
            .unwrap_or_default()
    };
    let dash = |v: Option<&str>| v.unwrap_or("-").to_string();
    writeln!(out, "== fields")?;
    let rows = [
        ("title", meta.title.clone(), source("title")),
        ("authority", dash(meta.authority.as_deref()), String::new()),
        (
            "visit_type",
            dash(meta.visit_type.map(|v| v.name())),
            source("visit_type"),
        ),
        (
            "date",
            dash(meta.date.map(|d| d.to_string()).as_deref()),
            source("date"),
        ),
        (
            "inspection dates",
            format!(
                "{} to {}",
                dash(meta.inspection_start.map(|d| d.to_string()).as_deref()),
                dash(meta.inspection_end.map(|d| d.to_string()).as_deref())
            ),
            source("inspection dates"),
        ),
        (
            "inspectors",
            meta.inspectors.join("; "),
            source("inspectors"),
        ),
        (
            "lead_inspector",
            dash(meta.lead_inspector.as_deref()),
            source("lead_inspector"),
        ),
        (
            "judgements",
            judgements(&meta.judgements),
            source("judgements"),
        ),
    ];
    for (name, value, from) in rows {
        writeln!(out, "{name:>16}: {value}{from}")?;
    }
    writeln!(out, "== dropped ({} lines)", why.dropped.len())?;
    for (rule, text) in &why.dropped {
        writeln!(out, "{:>28}: {text}", rule.name())?;
    }
    writeln!(out, "== passages")?;
    Ok(())
}

/// `leaders good; overall_effectiveness good …`, or `-` when none is known.
fn judgements(j: &crate::document::Judgements) -> String {
    let known: Vec<String> = j
        .iter()
        .filter_map(|(name, grade)| Some(format!("{name} {}", grade?.name())))
        .collect();
    if known.is_empty() {
        "-".to_string()
    } else {
        known.join("; ")
    }
}

/// `ofsearch serve`.
pub fn serve(cli: &Cli, args: &super::args::ServeArgs) -> Result<i32> {
    // Builds ./index from ./corpus first when that is the default and it is empty.
    drop(open_reader(cli)?);
    crate::serve::run(crate::serve::ServeOptions {
        index: index_dir(cli),
        bind: args.bind,
        cors: args.cors.clone(),
        open: args.open,
    })?;
    Ok(EXIT_OK)
}

/// `ofsearch completions SHELL`.
pub fn completions(args: &CompletionsArgs) -> Result<i32> {
    let mut cmd = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(args.shell, &mut cmd, "ofsearch", &mut io::stdout());
    Ok(EXIT_OK)
}

/// `ofsearch man`.
pub fn man() -> Result<i32> {
    let cmd = <Cli as clap::CommandFactory>::command();
    clap_mangen::Man::new(cmd).render(&mut io::stdout())?;
    Ok(EXIT_OK)
}
