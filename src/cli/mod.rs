//! The `ofsearch` command line: argument definitions and one function per
//! subcommand. `main.rs` only parses arguments and calls [`run`].

// Doc comments on clap's argument types become help text, so these types
// carry plain comments; the help (`ofsearch COMMAND --help`) is their doc.
#[allow(missing_docs)]
pub mod args;
mod check_cmd;
mod commands;
mod docs_cmd;
mod engine_cmd;
mod filters;
mod link_cmd;
mod panics;
mod search_cmd;
mod trend_cmd;
mod watch_cmd;

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

pub use args::Cli;
use args::{ColorWhen, Command, DEFAULT_CORPUS, DEFAULT_INDEX};

/// Exit status: results found or success.
pub const EXIT_OK: i32 = 0;
/// Exit status: no results.
pub const EXIT_NO_RESULTS: i32 = 1;
/// Exit status: error.
pub const EXIT_ERROR: i32 = 2;

/// Run a parsed command line; returns the process exit status. A panic,
/// wherever it happens, is one line on stderr and status 2 (a backtrace
/// only when `RUST_BACKTRACE` is set).
pub fn run(cli: Cli) -> i32 {
    panics::install_hook();
    let result =
        panics::catch(|| dispatch(&cli)).unwrap_or_else(|panic| Err(panicked(&cli, &panic)));
    match result {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => EXIT_OK,
        Err(err) => {
            eprintln!("ofsearch: {}", message(&err));
            EXIT_ERROR
        }
    }
}

/// The error a panic while running `cli` reports: for a command that reads
/// the index, most likely a damaged index file, so it says how to find out.
fn panicked(cli: &Cli, panic: &str) -> anyhow::Error {
    let reads_index = !matches!(
        cli.command,
        Command::Extract(_) | Command::Completions(_) | Command::Man
    );
    if reads_index {
        let dir = index_dir(cli);
        anyhow::anyhow!(
            "internal error while using the index in {} ({panic}): it may be damaged; \
             `ofsearch check --index {}` verifies it",
            dir.display(),
            dir.display()
        )
    } else {
        anyhow::anyhow!("internal error ({panic}); please report it with the command")
    }
}

/// Run one command.
fn dispatch(cli: &Cli) -> anyhow::Result<i32> {
    match &cli.command {
        Command::Ingest(a) => commands::ingest(cli, a),
        Command::Search(a) if a.engine.is_some() => engine_cmd::search(cli, a),
        Command::Search(a) => search_cmd::search(cli, a),
        Command::Mentions(a) => search_cmd::mentions(cli, a),
        Command::Facets(a) => search_cmd::facets(cli, a),
        Command::Docs(a) => docs_cmd::docs(cli, a),
        Command::Show(a) => docs_cmd::show(cli, a),
        Command::Stats(a) => docs_cmd::stats(cli, a),
        Command::Serve(a) => commands::serve(cli, a),
        Command::Trend(a) => trend_cmd::trend(cli, a),
        Command::Link => link_cmd::link(cli),
        Command::Links(a) => link_cmd::links(cli, a),
        Command::Extract(a) => commands::extract(cli, a),
        Command::Export(a) => engine_cmd::export(cli, a),
        Command::Check(a) => check_cmd::check(cli, a),
        Command::Watch(a) => watch_cmd::watch(cli, a),
        Command::Completions(a) => commands::completions(a),
        Command::Man => commands::man(),
    }
}

/// An error and its causes on one line, each said once: some errors (the
/// index's) quote their source in their own message already.
fn message(err: &anyhow::Error) -> String {
    let mut out = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if !out.contains(&text) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
    }
    one_line(&out)
}

/// Errors are one line: newlines inside a message are folded.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<csv::Error>().is_some_and(|c| {
                matches!(c.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::BrokenPipe)
            })
    })
}

/// The index folder: `--index`, `$OFSEARCH_INDEX`, or `./index`.
fn index_dir(cli: &Cli) -> PathBuf {
    cli.index
        .clone()
        .unwrap_or_else(|| PathBuf::from(DEFAULT_INDEX))
}

/// True when the embedded default applies: no index chosen, none built yet, and a
/// corpus beside it.
fn should_build_default(cli: &Cli, dir: &Path) -> bool {
    cli.index.is_none() && !crate::index::exists(dir) && Path::new(DEFAULT_CORPUS).is_dir()
}

/// Colour choice for stdout.
fn color_choice(when: ColorWhen) -> termcolor::ColorChoice {
    let auto_ok = io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match when {
        ColorWhen::Always => termcolor::ColorChoice::Always,
        ColorWhen::Auto if auto_ok => termcolor::ColorChoice::Always,
        _ => termcolor::ColorChoice::Never,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_says_each_cause_once_on_one_line() {
        let io = io::Error::other("dict-1.zdict: damaged\n(rebuild the index)");
        let err = anyhow::Error::new(crate::index::IndexError::Io {
            dir: "idx".into(),
            source: io,
        })
        .context("searching");
        assert_eq!(
            message(&err),
            "searching: cannot use index folder idx: dict-1.zdict: damaged (rebuild the index)"
        );
        let plain = anyhow::anyhow!("no such file").context("reading a.pdf");
        assert_eq!(message(&plain), "reading a.pdf: no such file");
    }
}
