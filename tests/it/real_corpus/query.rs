//! The query language, filters, result shapes and output formats, end to end.
//! Every listing is checked against `--count` (counts equal exhaustive listings).

use serde_json::Value;

use super::common::{json_lines, ofsearch};
use super::shared_index;

/// Every hit of a query (with extra flags), checked against its `--count`.
fn all(query: &str, extra: &[&str]) -> Vec<Value> {
    let index = shared_index();
    let hits = json_lines(
        ofsearch(index)
            .args(["search", query, "--all", "--json"])
            .args(extra),
    );
    let counted = json_lines(
        ofsearch(index)
            .args(["search", query, "--count", "--json"])
            .args(extra),
    );
    assert_eq!(counted.len(), 1);
    assert_eq!(
        counted[0]["passages"].as_u64(),
        Some(hits.len() as u64),
        "--count disagrees with --all for {query} {extra:?}"
    );
    let mut docs: Vec<&str> = hits.iter().filter_map(|h| h["path"].as_str()).collect();
    docs.sort();
    docs.dedup();
    assert_eq!(counted[0]["documents"].as_u64(), Some(docs.len() as u64));
    hits
}

fn highlighted(hit: &Value) -> Vec<String> {
    let text = hit["text"].as_str().unwrap_or_default();
    hit["highlights"]
        .as_array()
        .map(|spans| {
            spans
                .iter()
                .map(|s| {
                    let a = s[0].as_u64().unwrap_or(0) as usize;
                    let b = s[1].as_u64().unwrap_or(0) as usize;
                    text.get(a..b).unwrap_or_default().to_lowercase()
                })
                .collect()
        })
        .unwrap_or_default()
}

fn texts(hits: &[Value]) -> Vec<String> {
    hits.iter()
        .map(|h| h["text"].as_str().unwrap_or_default().to_lowercase())
        .collect()
}

#[test]
fn words_all_must_match_and_phrases_rank_first() {
    let hits = all("management oversight", &[]);
    assert!(hits.len() > 8);
    for t in texts(&hits) {
        assert!(t.contains("manag") && t.contains("oversight"), "{t}");
    }
    let phrase = all("\"management oversight\"", &[]);
    let n = phrase.len();
    let mut top: Vec<String> = hits[..n].iter().map(|h| h["text"].to_string()).collect();
    let mut exact: Vec<String> = phrase.iter().map(|h| h["text"].to_string()).collect();
    top.sort();
    exact.sort();
    assert_eq!(top, exact, "phrase matches rank first");
}

#[test]
fn proximity_widens_a_phrase() {
    let exact = all("\"management oversight\"", &[]);
    let near = all("\"management oversight\"~3", &[]);
    assert!(near.len() > exact.len());
    assert!(texts(&near)
        .iter()
        .any(|t| t.contains("management discussion and oversight")));
}

#[test]
fn or_not_and_groups() {
    let iro = all("LADO", &[]).len();
    let either = all("LADO OR PLO", &[]).len();
    assert!(either > iro);
    let without = all("oversight -management", &[]);
    assert!(!without.is_empty());
    for t in texts(&without) {
        assert!(!t.contains("management"), "{t}");
    }
    assert_eq!(all("oversight NOT management", &[]).len(), without.len());
    let grouped = all("(neglect OR abuse) strategy", &[]);
    for t in texts(&grouped) {
        assert!(
            t.contains("strateg") && (t.contains("neglect") || t.contains("abuse")),
            "{t}"
        );
    }
}

#[test]
fn prefix_stemming_and_exact() {
    let prefix = all("supervis*", &[]);
    assert!(prefix
        .iter()
        .flat_map(highlighted)
        .all(|h| h.starts_with("supervis")));
    let stemmed = all("supervise", &[]);
    assert!(texts(&stemmed).iter().any(|t| t.contains("supervised")));
    let exact = all("supervise", &["--exact"]);
    assert!(exact.len() < stemmed.len());
    for h in exact.iter().flat_map(highlighted) {
        assert_eq!(h, "supervise");
    }
}

#[test]
fn field_filters_in_the_query_and_as_flags() {
    let in_query = all("oversight authority:\"South Glos\"", &[]);
    let as_flag = all("oversight", &["--authority", "South Glos"]);
    assert_eq!(in_query.len(), as_flag.len());
    assert!(!in_query.is_empty());
    assert!(in_query
        .iter()
        .all(|h| h["authority"] == "South Gloucestershire"));

    let focused = all("children type:\"focused visit\"", &[]);
    assert!(!focused.is_empty() && focused.iter().all(|h| h["visit_type"] == "focused visit"));
    assert_eq!(all("children", &["--type", "focused"]).len(), focused.len());

    let tom = all("inspector:\"Tom Anthony\" children", &[]);
    assert!(!tom.is_empty());
    assert!(tom.iter().all(|h| h["inspectors"]
        .as_array()
        .is_some_and(|a| a.iter().any(|n| n == "Tom Anthony"))));
    assert_eq!(
        all("children", &["--inspector", "tom anthony"]).len(),
        tom.len()
    );

    // Titles are indexed on document records only: the filter still narrows
    // passages to the documents whose title has every word (stemmed).
    let titled = all("children title:\"focused visits\"", &[]);
    assert!(!titled.is_empty());
    assert!(titled.iter().all(|h| h["title"]
        .as_str()
        .is_some_and(|t| t.to_lowercase().contains("focused visit"))));
    assert!(all("children title:nosuchtitleword", &[]).is_empty());

    let section = all("section:\"main findings\" children", &[]);
    assert!(!section.is_empty());
    assert!(section.iter().all(|h| h["section"]
        .as_str()
        .is_some_and(|s| s.to_lowercase().contains("main finding"))));

    // Two authorities given: either matches.
    let two = all(
        "oversight",
        &[
            "--authority",
            "South Glos",
            "--authority",
            "Gloucestershire",
        ],
    );
    assert!(two.len() >= as_flag.len());
}

#[test]
fn judgement_and_date_filters() {
    let inadequate = all("oversight judgement:inadequate", &[]);
    assert!(!inadequate.is_empty());
    assert!(inadequate
        .iter()
        .all(|h| h["judgements"]["overall_effectiveness"] == "inadequate"));

    let since = all("oversight", &["--since", "2022"]);
    assert!(
        !since.is_empty()
            && since
                .iter()
                .all(|h| h["date"].as_str().is_some_and(|d| d >= "2022-01-01"))
    );
    let until = all("oversight", &["--until", "2023-06"]);
    assert!(
        !until.is_empty()
            && until
                .iter()
                .all(|h| h["date"].as_str().is_some_and(|d| d <= "2023-06-30"))
    );
    let range = all("oversight date:[2019 TO 2021]", &[]);
    assert!(!range.is_empty());
    assert!(range.iter().all(|h| h["date"]
        .as_str()
        .is_some_and(|d| ("2019-01-01"..="2021-12-31").contains(&d))));
    let month = all("oversight date:2022-10", &[]);
    assert!(month
        .iter()
        .all(|h| h["date"].as_str().is_some_and(|d| d.starts_with("2022-10"))));
}

#[test]
fn misspelt_names_are_corrected_and_said() {
    let index = shared_index();
    let out = ofsearch(index)
        .args([
            "search",
            "oversight",
            "--authority",
            "South Glocestershire",
            "--count",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("taken as 'South Gloucestershire'"));
    let out = ofsearch(index)
        .args(["search", "children", "--inspector", "Tom Antony", "--count"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("taken as 'tom anthony'"));
}

#[test]
fn context_passages_are_marked() {
    let index = shared_index();
    let hits = json_lines(ofsearch(index).args([
        "search",
        "\"management oversight\"",
        "-C",
        "1",
        "--json",
        "-n",
        "5",
    ]));
    assert_eq!(hits.len(), 5);
    for h in &hits {
        let p = h["paragraph"].as_u64().unwrap();
        for c in h["context_before"].as_array().unwrap() {
            assert_eq!(c["paragraph"].as_u64(), Some(p - 1));
            assert_eq!(c["context"], true);
        }
        for c in h["context_after"].as_array().unwrap() {
            assert_eq!(c["paragraph"].as_u64(), Some(p + 1));
        }
    }
    let out = ofsearch(index)
        .args(["search", "\"management oversight\"", "-C", "1", "-n", "1"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("(context)"));
}

#[test]
fn group_by_document() {
    let index = shared_index();
    let groups = json_lines(ofsearch(index).args([
        "search",
        "\"management oversight\"",
        "--group-by",
        "doc",
        "--all",
        "--json",
    ]));
    let hits = all("\"management oversight\"", &[]);
    let total: u64 = groups.iter().map(|g| g["hits"].as_u64().unwrap()).sum();
    assert_eq!(total, hits.len() as u64);
    let mut paths: Vec<&str> = groups.iter().map(|g| g["path"].as_str().unwrap()).collect();
    let n = paths.len();
    paths.sort();
    paths.dedup();
    assert_eq!(paths.len(), n, "one entry per document");
    assert!(groups
        .iter()
        .all(|g| !g["passages"].as_array().unwrap().is_empty()));
    let top3 = json_lines(ofsearch(index).args([
        "search",
        "\"management oversight\"",
        "--group-by",
        "doc",
        "-n",
        "3",
        "--json",
    ]));
    assert_eq!(top3.len(), 3.min(n));
}

#[test]
fn facets_count_passages_and_documents() {
    let index = shared_index();
    let total = all("\"management oversight\"", &[]).len() as u64;
    for by in ["authority", "year", "type", "judgement"] {
        let rows = json_lines(ofsearch(index).args([
            "facets",
            "\"management oversight\"",
            "--by",
            by,
            "--json",
        ]));
        assert!(!rows.is_empty());
        let sum: u64 = rows.iter().map(|r| r["passages"].as_u64().unwrap()).sum();
        assert_eq!(sum, total, "{by}");
    }
    let rows = json_lines(ofsearch(index).args([
        "facets",
        "\"management oversight\"",
        "--by",
        "inspector",
        "--json",
    ]));
    assert!(rows.iter().any(|r| r["value"] == "Sarah Canto"));
    let table = ofsearch(index)
        .args(["facets", "\"management oversight\"", "--by", "authority"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.starts_with("authority") && text.contains("South Gloucestershire"));
}

#[test]
fn csv_and_tsv_carry_the_json_fields() {
    let index = shared_index();
    let json = all("\"management oversight\"", &[]);
    let out = ofsearch(index)
        .args([
            "search",
            "\"management oversight\"",
            "--all",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header = reader.headers().unwrap().clone();
    for field in [
        "path",
        "title",
        "authority",
        "date",
        "visit_type",
        "inspectors",
        "section",
        "paragraph",
        "text",
        "snippet",
        "score",
    ] {
        assert!(header.iter().any(|h| h == field), "{field}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), json.len());
    let text_col = header.iter().position(|h| h == "text").unwrap();
    let insp_col = header.iter().position(|h| h == "inspectors").unwrap();
    for (row, hit) in rows.iter().zip(&json) {
        assert_eq!(&row[text_col], hit["text"].as_str().unwrap());
        let joined: Vec<&str> = hit["inspectors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(&row[insp_col], joined.join("; "));
    }
    let tsv = ofsearch(index)
        .args([
            "search",
            "\"management oversight\"",
            "-n",
            "2",
            "--format",
            "tsv",
        ])
        .output()
        .unwrap();
    let first = String::from_utf8_lossy(&tsv.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(first.starts_with("path\ttitle\t"));
}

#[test]
fn batch_queries_from_stdin() {
    let index = shared_index();
    let lines = json_lines(
        ofsearch(index)
            .args(["search", "-", "-n", "2"])
            .write_stdin("\"management oversight\"\nIRO\n\nzzyzzyva\n"),
    );
    assert_eq!(lines.len(), 4);
    assert!(lines[..2]
        .iter()
        .all(|l| l["query"] == "\"management oversight\""));
    assert!(lines[2..].iter().all(|l| l["query"] == "IRO"));
    let counts = json_lines(
        ofsearch(index)
            .args(["search", "-", "--count"])
            .write_stdin("oversight\n(bad\n"),
    );
    assert_eq!(counts.len(), 1);
}

#[test]
fn results_are_stable() {
    let index = shared_index();
    let run = || {
        ofsearch(index)
            .args(["search", "children", "-n", "50", "--json"])
            .output()
            .unwrap()
            .stdout
    };
    assert_eq!(run(), run());
}

#[test]
fn bad_queries_fail_with_a_hint() {
    let index = shared_index();
    for bad in [
        "\"open",
        "(a OR b",
        "a)",
        "colour:red",
        "date:2023-13",
        "date:[2019 TO 2021-02-30]",
        "type:party",
        "-",
        "judgement:great",
    ] {
        let out = ofsearch(index)
            .args(["search", bad])
            .write_stdin("")
            .output()
            .unwrap();
        if bad == "-" {
            continue;
        }
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.trim().lines().count(), 1, "{bad}: {err}");
        assert!(err.contains("hint:"), "{bad}: {err}");
    }
}

#[test]
fn chunked_listing_is_the_full_listing() {
    use ofsearch::query::{self, search::for_each_chunk, MatchOptions, MetaDetail, SearchRequest};
    let handle = ofsearch::index::open(shared_index()).expect("index");
    let reader = ofsearch::index::Reader::open(&handle).expect("reader");
    for q in ["oversight", "\"management oversight\"", "children"] {
        let request = SearchRequest {
            query: q.to_string(),
            filters: Vec::new(),
            options: MatchOptions::default(),
            limit: None,
            detail: MetaDetail::Full,
            explain: false,
        };
        let whole: Vec<(String, usize)> = query::search(&reader, &request)
            .expect("search")
            .hits
            .iter()
            .map(|h| (h.meta.path.clone(), h.passage.paragraph))
            .collect();
        // Small chunks (loaded on several threads, taken back in order) and
        // one chunk holding everything give the same listing.
        for size in [7, 100_000] {
            let mut chunked = Vec::new();
            for_each_chunk(
                &reader,
                &request,
                size,
                |_| {},
                |hits| {
                    assert!(hits.len() <= size);
                    chunked.extend(
                        hits.iter()
                            .map(|h| (h.meta.path.clone(), h.passage.paragraph)),
                    );
                    true
                },
            )
            .expect("chunks");
            assert_eq!(chunked, whole, "{q} in chunks of {size}");
        }
        // Stopping early stops the loaders too.
        let mut seen = 0;
        for_each_chunk(
            &reader,
            &request,
            7,
            |_| {},
            |hits| {
                seen += hits.len();
                false
            },
        )
        .expect("stopped");
        assert!(seen <= 7);
    }
}

/// A listing that reads only documents' headers (as text output does)
/// lists the same passages, with the same path, authority, date and visit
/// type, as one that reads their whole metadata: over letters, reports and
/// news pages, with and without the chunked pipeline.
#[test]
fn header_only_listing_matches_the_full_one() {
    use ofsearch::query::{self, search::for_each_chunk, MatchOptions, MetaDetail, SearchRequest};
    let handle = ofsearch::index::open(shared_index()).expect("index");
    let reader = ofsearch::index::Reader::open(&handle).expect("reader");
    type Row = (
        String,
        Option<String>,
        Option<ofsearch::document::Day>,
        Option<&'static str>,
        usize,
        String,
    );
    let row = |h: &query::Hit| -> Row {
        (
            h.meta.path.clone(),
            h.meta.authority.clone(),
            h.meta.date,
            h.meta.visit_type.map(|v| v.name()),
            h.passage.paragraph,
            h.passage.text.clone(),
        )
    };
    // Small chunks: without ../shared the index holds only the bundled corpus.
    const CHUNK: usize = 4;
    for q in ["oversight", "children", "\"social workers\""] {
        let request = |detail| SearchRequest {
            query: q.to_string(),
            filters: Vec::new(),
            options: MatchOptions::default(),
            limit: None,
            detail,
            explain: false,
        };
        let listed = |detail| {
            let mut rows = Vec::new();
            for_each_chunk(
                &reader,
                &request(detail),
                CHUNK,
                |_| {},
                |hits| {
                    rows.extend(hits.iter().map(row));
                    true
                },
            )
            .expect("chunks");
            rows
        };
        let full = listed(MetaDetail::Full);
        // Several chunks, with every header fact present somewhere.
        assert!(full.len() > 2 * CHUNK, "{q}: {} hits", full.len());
        assert!(full
            .iter()
            .any(|r| r.1.is_some() && r.2.is_some() && r.3.is_some()));
        assert_eq!(listed(MetaDetail::Header), full, "{q}");
        let ranked = query::search(&reader, &request(MetaDetail::Header)).expect("search");
        let ranked: Vec<Row> = ranked.hits.iter().map(row).collect();
        assert_eq!(ranked, full, "{q}, ranked");
    }
}

#[test]
fn a_prefix_ranks_passages_by_how_much_they_use_its_words() {
    // Each word a prefix stands for is scored and the scores summed, as for
    // any word: matching them all alike left the date to rank them.
    let ranked = json_lines(ofsearch(shared_index()).args([
        "search",
        "supervis*",
        "--limit",
        "1000",
        "--json",
    ]));
    let scores: Vec<f64> = ranked.iter().filter_map(|h| h["score"].as_f64()).collect();
    assert_eq!(scores.len(), ranked.len());
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(scores.first() > scores.last(), "{scores:?}");
    // The fixture's short passage using two of the words is among the
    // first ten (of hundreds with the real reports; it ranked by its date before).
    let at = texts(&ranked)
        .iter()
        .position(|t| t.starts_with("children are supervised during family time"))
        .expect("the fixture's passage is found");
    assert!(at < 10, "ranked {at} of {}", ranked.len());
}
