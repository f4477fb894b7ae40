//! Command-line arguments (clap derive). Completions and the man page are
//! generated from these definitions.
//!
//! The argument structs carry plain comments, not doc comments: clap would
//! make a doc comment the subcommand's description, and with the
//! subcommands' arguments built late (`defer`) it would replace the one
//! written on the subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Format;

/// Default index folder, relative to the working directory.
pub const DEFAULT_INDEX: &str = "index";
/// Default corpus folder, relative to the working directory.
pub const DEFAULT_CORPUS: &str = "corpus";

/// Search Ofsted children's services inspection reports and the news about them.
#[derive(Debug, Parser)]
#[command(name = "ofsearch", version, about, long_about = None)]
pub struct Cli {
    /// Index folder.
    #[arg(long, global = true, env = "OFSEARCH_INDEX", value_name = "DIR")]
    pub index: Option<PathBuf>,

    /// When to colour text output.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Only when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Subcommands.
///
/// Each one's arguments are built only when it runs (`defer`): building all
/// fifteen for every scripted query was about 7 % of a top-10's process.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Index files and folders (PDF, HTML, text, Markdown); re-running syncs the index.
    Ingest(IngestArgs),
    /// Search passages, ranked (exit 0 with hits, 1 without, 2 on error).
    #[command(after_help = QUERY_HELP)]
    Search(SearchArgs),
    /// Every passage that names an authority, by any of its names, grouped by document.
    Mentions(MentionsArgs),
    /// List indexed documents (filters and a query as for `search`; newest first).
    Docs(DocsArgs),
    /// Print one indexed document: its metadata, then every passage with its section and number.
    Show(ShowArgs),
    /// What the index holds: documents and passages by source and type, dates, authorities, size.
    Stats(StatsArgs),
    /// Serve a search page and an HTTP JSON API on this machine (read-only).
    Serve(ServeArgs),
    /// Link each news document to the letter or report it is about (ingest does this too).
    Link,
    /// Every news document with the letter or report it is about, or none.
    Links(LinksArgs),
    /// How many documents match each query per year, month, authority, type or judgement.
    #[command(after_help = QUERY_HELP)]
    Trend(TrendArgs),
    /// Show what the ingester makes of one file, without indexing it.
    Extract(ExtractArgs),
    /// Write the index for a distributed engine: OpenSearch/Elasticsearch/Quickwit
    /// (mapping and bulk NDJSON) or Sphinx/Manticore (xmlpipe2 shards and configurations).
    Export(ExportArgs),
    /// Count matching passages and documents per authority, year, type, inspector or judgement.
    #[command(after_help = QUERY_HELP)]
    Facets(FacetsArgs),
    /// Verify every file of the index; name what is damaged and how to rebuild it (exit 0 sound, 2 damaged).
    Check(CheckArgs),
    /// Saved searches: `watch add NAME QUERY`, then `watch NAME` lists the hits in documents
    /// indexed since it was last read (exit 0 with hits, 1 without, 2 on error).
    #[command(after_help = WATCH_HELP, args_conflicts_with_subcommands = true)]
    Watch(WatchArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the man page (roff).
    Man,
}

// The library's closed choices as the command line names them: clap stays in
// the front end (query and output know nothing of it).

/// `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    /// For people: ranked passages with highlights.
    Text,
    /// One JSON object per line.
    Json,
    /// Comma-separated values with a header.
    Csv,
    /// Tab-separated values with a header.
    Tsv,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Json => Format::Json,
            FormatArg::Csv => Format::Csv,
            FormatArg::Tsv => Format::Tsv,
        }
    }
}

/// `facets --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FacetSortArg {
    /// Most passages first (ties by value).
    Count,
    /// By value: time order for years and months (undated last).
    Key,
}

impl From<FacetSortArg> for crate::analysis::FacetSort {
    fn from(s: FacetSortArg) -> crate::analysis::FacetSort {
        match s {
            FacetSortArg::Count => crate::analysis::FacetSort::Count,
            FacetSortArg::Key => crate::analysis::FacetSort::Key,
        }
    }
}

/// `docs --sort`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DocSortArg {
    /// Newest first (undated last), then path.
    Date,
    /// By authority (none last), then newest first.
    Authority,
    /// By path.
    Path,
}

impl From<DocSortArg> for crate::analysis::docs::DocSort {
    fn from(s: DocSortArg) -> crate::analysis::docs::DocSort {
        use crate::analysis::docs::DocSort;
        match s {
            DocSortArg::Date => DocSort::Date,
            DocSortArg::Authority => DocSort::Authority,
            DocSortArg::Path => DocSort::Path,
        }
    }
}

/// A facet named on the command line.
fn parse_facet(s: &str) -> Result<crate::analysis::FacetBy, String> {
    s.parse()
}

// Arguments of `facets`.
#[derive(Debug, Args)]
pub struct FacetsArgs {
    /// The query (as for `search`; may be empty when filters are given).
    #[arg(value_name = "QUERY")]
    pub query: String,
    /// What to count by: year, month, or a field (authority, type,
    /// inspector, judgement, outcome, theme, kind).
    #[arg(long, default_value = "authority", value_parser = parse_facet)]
    pub by: crate::analysis::FacetBy,
    /// Row order (default: time order for year and month, else most passages first).
    #[arg(long, value_enum)]
    pub sort: Option<FacetSortArg>,
    /// Match words exactly (no stemming).
    #[arg(long)]
    pub exact: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print one JSON object: `{"index", "ok", "checked", "damaged": [{"file", "reason"}], "rebuild"}`.
    #[arg(long)]
    pub json: bool,
}

// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// How to group search results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupBy {
    /// One entry per document, with its hit count and best passages.
    Doc,
}

/// Summary of the query language, shown by `search --help`.
pub const QUERY_HELP: &str = "\
Query language:
  management oversight          all words (stemmed: supervise finds supervision)
  \"management oversight\"        exact phrase;  \"management oversight\"~3  within 3 words
  IRO OR \"reviewing officer\"    either;  oversight NOT management, oversight -management
  (neglect OR abuse) strategy   grouping;  supervis*  prefix
  authority:\"South Glos\"  type:\"focused visit\"  inspector:\"Tom Anthony\"
  section:\"main findings\"  judgement:inadequate  kind:improvement  date:[2019 TO 2021]  date:2022-06";

// Arguments of `ingest`.
#[derive(Debug, Args)]
pub struct IngestArgs {
    /// Files or folders (default: ./corpus).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Keep indexed files that are no longer under PATH.
    #[arg(long)]
    pub no_prune: bool,
    /// Writer memory budget in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 200)]
    pub memory: usize,
    /// No progress bar and no summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Remove the index's files from the index folder first (nothing else
    /// there), then ingest PATH anew: what rebuilds a damaged index.
    #[arg(long)]
    pub rebuild: bool,
    /// Give up on a file whose extraction takes longer than this (0: no limit).
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    pub file_timeout: f64,
}

/// How watches are read, after `ofsearch watch --help`.
pub const WATCH_HELP: &str = "\
A watch is a saved search (kept in the index folder, watches.jsonl). Reading it
lists the hits in documents first indexed since it was last read, newest
document first, and marks them read; `ingest` ends with a line for each watch
with new documents. For alerts from cron:

  ofsearch ingest ~/ofsted && ofsearch watch --json >> new-hits.jsonl

Examples:
  ofsearch watch add hull-neglect neglect --authority Hull
  ofsearch watch add send-outcomes '' --type send
  ofsearch watch list
  ofsearch watch hull-neglect
  ofsearch watch hull-neglect --since 2026-11-01 --no-mark
  ofsearch watch rm hull-neglect";

// Arguments of `watch`: a subcommand, or the watch to read.
#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(subcommand)]
    pub action: Option<WatchAction>,
    /// The watch to read (every watch when left out).
    #[arg(value_name = "NAME")]
    pub name: Option<String>,
    /// Documents first indexed on or after this day (YYYY-MM-DD) or time
    /// (RFC 3339), whatever the watch has seen; the watch is not marked read.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Show what is new without marking it read.
    #[arg(long)]
    pub no_mark: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

// What `watch` does besides reading.
#[derive(Debug, Subcommand)]
pub enum WatchAction {
    /// Save a search under a name (the query and filters as for `search`).
    Add(WatchAddArgs),
    /// List the watches, with how many new documents each has.
    List(WatchListArgs),
    /// Remove watches.
    Rm(WatchRmArgs),
}

// Arguments of `watch add`.
#[derive(Debug, Args)]
pub struct WatchAddArgs {
    /// Its name: letters, digits, '-', '_', '.'.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The query ('' for filters only).
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    /// Match words exactly (no stemming).
    #[arg(long)]
    pub exact: bool,
    /// Replace a watch of the same name (what it has seen is kept).
    #[arg(long)]
    pub replace: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
}

// Arguments of `watch list`.
#[derive(Debug, Args)]
pub struct WatchListArgs {
    #[command(flatten)]
    pub output: OutputArgs,
}

// Arguments of `watch rm`.
#[derive(Debug, Args)]
pub struct WatchRmArgs {
    /// The watches to remove.
    #[arg(value_name = "NAME", required = true)]
    pub names: Vec<String>,
}

// Output selection shared by listing commands.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<FormatArg>,
    /// Short for --format json (JSON lines).
    #[arg(long)]
    pub json: bool,
}

impl OutputArgs {
    /// The chosen format.
    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            self.format.map_or(Format::Text, Format::from)
        }
    }
}

// Filters shared by search commands: a flag per registry field
// (`crate::fields::FIELDS`), then the date bounds. Written out by hand (see
// `cli::filters`) because the flags come from the registry.
#[derive(Debug, Clone, Default)]
pub struct FilterArgs {
    /// Values given for each registry field's flag.
    pub values: std::collections::BTreeMap<crate::fields::FieldId, Vec<String>>,
    /// Only documents dated on or after this year, month or day.
    pub since: Option<String>,
    /// Only documents dated on or before this year, month or day.
    pub until: Option<String>,
}

// Arguments of `search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query ('-' reads one query per line from stdin).
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: String,
    /// Most hits to show.
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N")]
    pub limit: usize,
    /// Show every hit.
    #[arg(long, conflicts_with = "limit")]
    pub all: bool,
    /// Print only the number of matching passages and documents.
    #[arg(long, short = 'c')]
    pub count: bool,
    /// Match words exactly (no stemming).
    #[arg(long)]
    pub exact: bool,
    /// Also show N passages before and after each hit, marked as context.
    #[arg(long, short = 'C', value_name = "N", default_value_t = 0)]
    pub context: usize,
    /// Group hits: `doc` gives one entry per document (hit count, best passages).
    #[arg(long, value_enum, value_name = "GROUP")]
    pub group_by: Option<GroupBy>,
    /// For a hit in a news story linked to a letter, also show the letter's passage it quotes.
    #[arg(long)]
    pub with_letter: bool,
    /// Show how each hit's score is made: BM25 of the words, the phrase,
    /// filters, the passage's kind and length (`explain` in JSON).
    #[arg(long, conflicts_with_all = ["all", "count", "group_by"])]
    pub explain: bool,
    /// Ask a Sphinx/Manticore cluster fed by `ofsearch export --to sphinx`
    /// instead of the local index: sphinx://HOST:PORT (its aggregator's
    /// SphinxQL port). An answer missing a shard is printed, then
    /// `ofsearch: partial answer: …` on stderr and exit status 2.
    #[arg(long, value_name = "URL", conflicts_with_all = ["context", "group_by", "with_letter", "explain"])]
    pub engine: Option<String>,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The engine to write for.
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub to: ExportTarget,
    /// The folder to write into (created if missing).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Sphinx: shards to spread documents over (a document's passages stay together).
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub shards: usize,
    /// Sphinx: the address every searchd of the generated configurations listens on.
    #[arg(long, default_value = "127.0.0.1", value_name = "HOST")]
    pub host: String,
    /// Sphinx: the aggregator's SphinxQL port.
    #[arg(long, default_value_t = 9306, value_name = "PORT")]
    pub port: u16,
    /// Sphinx: the first shard's port; shard K listens on this + K.
    #[arg(long, default_value_t = 9312, value_name = "PORT")]
    pub shard_port: u16,
}

// `export --to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportTarget {
    /// OpenSearch, Elasticsearch 8 or Quickwit: mapping.json, quickwit-index.yaml, bulk-NNNNN.ndjson.
    Opensearch,
    /// Sphinx 2.2 or Manticore: shard-K.xml, shard-K.conf, sphinx.conf.
    Sphinx,
}

// Arguments of `mentions`.
#[derive(Debug, Args)]
pub struct MentionsArgs {
    /// Authority name or alias, e.g. "South Glos".
    #[arg(value_name = "AUTHORITY")]
    pub name: String,
    /// Print only the number of passages and documents.
    #[arg(long, short = 'c')]
    pub count: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

// Arguments of `docs`.
#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Only documents with a passage matching this query (the query language of `search`).
    #[arg(value_name = "QUERY", allow_hyphen_values = true)]
    pub query: Option<String>,
    /// Order: newest first, by authority, or by path.
    #[arg(long, value_enum, default_value = "date")]
    pub sort: DocSortArg,
    /// Most documents to list.
    #[arg(long, short = 'n', value_name = "N")]
    pub limit: Option<usize>,
    /// Print only the number of documents.
    #[arg(long, short = 'c')]
    pub count: bool,
    /// Match words exactly (no stemming).
    #[arg(long)]
    pub exact: bool,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The document: its path as `docs` lists it, its file name when unique, or its `doc_id`.
    #[arg(value_name = "DOC")]
    pub doc: String,
    /// Print one object: `{"document": {…}, "passages": [{paragraph, section, text, authorities_mentioned}, …]}`.
    #[arg(long)]
    pub json: bool,
    /// Only this passage (its number, as `¶N` in search results).
    #[arg(long, value_name = "N")]
    pub passage: Option<usize>,
    /// With --passage: also N passages before and after it.
    #[arg(long, short = 'C', value_name = "N", default_value_t = 0)]
    pub context: usize,
}

// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on. The default answers this machine only;
    /// binding to another address (e.g. 0.0.0.0:7878) lets anyone who can reach
    /// it search the index and download its files: do that deliberately.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:7878")]
    pub bind: std::net::SocketAddr,
    /// Open the page in a browser once serving.
    #[arg(long)]
    pub open: bool,
    /// Let pages from this origin call the API from a browser (CORS); none by default.
    #[arg(long, value_name = "ORIGIN")]
    pub cors: Option<String>,
}

// Arguments of `links`.
#[derive(Debug, Args)]
pub struct LinksArgs {
    #[command(flatten)]
    pub output: OutputArgs,
}

// Arguments of `trend`.
#[derive(Debug, Args)]
pub struct TrendArgs {
    /// One or more queries, compared side by side (a query starting with `-` goes after `--`).
    #[arg(value_name = "QUERY", required = true)]
    pub queries: Vec<String>,
    /// What a bucket is: year, month, or a field (authority, type, judgement …).
    #[arg(long, default_value = "year", value_parser = parse_facet)]
    pub by: crate::analysis::FacetBy,
    /// Match words exactly (no stemming).
    #[arg(long)]
    pub exact: bool,
    /// Also draw the chart to this file: SVG for .svg, else PNG.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// Bars drawn for authorities, types or judgements (the most matching).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,
    #[command(flatten)]
    pub filters: FilterArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

// Arguments of `stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Also list the children's services authorities with no document.
    #[arg(long)]
    pub missing: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

// Arguments of `extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// The file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print document metadata and passages as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Also show each dropped line of letter furniture with the rule that
    /// dropped it, and the line or sentence each metadata field came from.
    #[arg(long)]
    pub explain: bool,
}

#[cfg(test)]
mod tests {
    #[test]
    fn definitions_are_consistent() {
        <super::Cli as clap::CommandFactory>::command().debug_assert();
    }
}
