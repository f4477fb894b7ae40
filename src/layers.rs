//! The arrows between the library's parts, checked: data flows one way,
//! `ingest` → `index` → `query` → `output` → front ends, and the domain
//! words depend on nothing. Each part's non-test source is read for the
//! parts it names (`crate::part`); an arrow the design does not allow fails.

use std::path::Path;

/// Each part and the parts it may name. Front ends (`cli`, `serve`) may
/// name any part, so they are not listed.
const ALLOWED: &[(&str, &[&str])] = &[
    // Domain words: plain data and the two matchers.
    ("document", &[]),
    ("gazetteer", &["document"]),
    ("acronyms", &["document", "gazetteer"]),
    ("fields", &["document", "gazetteer"]),
    ("cores", &[]),
    // Formats → passages + metadata; never tantivy (checked apart).
    (
        "ingest",
        &["document", "gazetteer", "acronyms", "fields", "cores"],
    ),
    // tantivy; never parses a document.
    (
        "index",
        &["document", "gazetteer", "acronyms", "fields", "cores"],
    ),
    // The query language and the engine; knows no printer and no front end.
    (
        "query",
        &[
            "document",
            "gazetteer",
            "acronyms",
            "fields",
            "cores",
            "index",
        ],
    ),
    // Built on search: facets, trends, statistics, listings, news links.
    (
        "analysis",
        &[
            "document",
            "gazetteer",
            "acronyms",
            "fields",
            "cores",
            "index",
            "query",
        ],
    ),
    // Exports for distributed engines: the index read document by document.
    ("export", &["document", "fields", "index"]),
    // A Sphinx cluster's client: the query language as SphinxQL over the
    // export's form of the text, answers as the query's hits.
    (
        "cluster",
        &["document", "fields", "acronyms", "index", "query", "export"],
    ),
    // Saved searches: a file beside the index and the search for what is new.
    ("watch", &["document", "fields", "index", "query"]),
    // Printers: format answers, never ask the index.
    (
        "output",
        &[
            "document",
            "gazetteer",
            "fields",
            "query",
            "analysis",
            "watch",
        ],
    ),
    // An ingest end to end.
    (
        "pipeline",
        &[
            "document",
            "gazetteer",
            "fields",
            "cores",
            "ingest",
            "index",
            "analysis",
        ],
    ),
];

/// The source of every `.rs` file under `dir` (or the file `dir.rs`), less
/// its tests (from the first `#[cfg(test)]` on).
fn sources(root: &Path, part: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let file = root.join(format!("{part}.rs"));
    let mut paths = vec![file];
    let dir = root.join(part);
    if dir.is_dir() {
        for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
            if entry.path().extension().is_some_and(|e| e == "rs") {
                paths.push(entry.path().to_path_buf());
            }
        }
    }
    for path in paths {
        if let Ok(text) = std::fs::read_to_string(&path) {
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            out.push((path.display().to_string(), code.to_string()));
        }
    }
    out
}

/// The parts a source names as `crate::part`.
fn named_parts(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
    }
    found
}

#[test]
fn every_part_names_only_the_parts_below_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (part, allowed) in ALLOWED {
        let files = sources(&root, part);
        assert!(!files.is_empty(), "no source for {part}");
        for (path, code) in files {
            for named in named_parts(&code) {
                if named != *part && !allowed.contains(&named.as_str()) {
                    wrong.push(format!("{path}: {part} names crate::{named}"));
                }
            }
            if *part == "ingest" && code.contains("tantivy") {
                wrong.push(format!("{path}: ingest names tantivy"));
            }
            // Arguments are the front ends' business.
            if code.contains("clap::") {
                wrong.push(format!("{path}: {part} names clap"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows the design does not allow:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_an_arrow() {
    assert_eq!(
        named_parts("use crate::index::Reader; crate::query::search(x); crate::index::y"),
        ["index", "query"]
    );
}
