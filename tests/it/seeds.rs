//! End-to-end checks of the core engine on the bundled corpus (the five seeds).

use crate::common;

use common::{file_of, json_lines, ofsearch, seed_index};
use predicates::prelude::*;

const LETTER: &str = "002_343f57de7bfe3147.txt";

#[test]
fn management_oversight_phrase_finds_exactly_the_eight_passages() {
    let index = seed_index();
    let hits = json_lines(ofsearch(index.path()).args([
        "search",
        "\"management oversight\"",
        "--all",
        "--json",
    ]));
    assert_eq!(hits.len(), 8, "{hits:#?}");
    let from_letter: Vec<_> = hits.iter().filter(|h| file_of(h) == LETTER).collect();
    assert_eq!(from_letter.len(), 5);
    for h in &from_letter {
        assert_eq!(h["authority"], "South Gloucestershire");
        assert_eq!(h["date"], "2022-10-20");
        assert_eq!(h["visit_type"], "focused visit");
        assert_eq!(
            h["inspectors"],
            serde_json::json!(["Sarah Canto", "Tom Anthony"])
        );
        assert_eq!(h["lead_inspector"], "Sarah Canto");
        assert_eq!(h["source"], "ofsted");
    }
    for h in &hits {
        let text = h["text"].as_str().unwrap();
        let spans = h["highlights"].as_array().unwrap();
        assert!(!spans.is_empty());
        for s in spans {
            let (a, b) = (
                s[0].as_u64().unwrap() as usize,
                s[1].as_u64().unwrap() as usize,
            );
            assert_eq!(text[a..b].to_lowercase(), "management oversight");
        }
        for field in [
            "path",
            "title",
            "section",
            "paragraph",
            "snippet",
            "score",
            "judgements",
        ] {
            assert!(h.get(field).is_some(), "missing {field}");
        }
    }
    // The unquoted query ranks the same eight first.
    let loose = json_lines(ofsearch(index.path()).args([
        "search",
        "management oversight",
        "--all",
        "--json",
    ]));
    assert!(loose.len() > 8);
    let key = |h: &serde_json::Value| (h["path"].to_string(), h["paragraph"].to_string());
    let mut exact: Vec<_> = hits.iter().map(key).collect();
    let mut first8: Vec<_> = loose[..8].iter().map(key).collect();
    exact.sort();
    first8.sort();
    assert_eq!(exact, first8);
}

#[test]
fn furniture_is_not_searchable() {
    let index = seed_index();
    for phrase in [
        "Make an Enquiry",
        "Contact Us",
        "Read Full Story",
        "Mackman",
        "Subscribe Today",
        "Keep abreast",
        "Knowledge Gateway",
        "Independent Expert Psychologist",
        "ChildLine",
        "blame culture",
        "online resource for professionals",
        "linkedin",
        "Piccadilly Gate",
        "Textphone",
        "enquiries@ofsted",
        "Badminton Road",
        "Executive Director for People",
        "Dear Ms Sivers",
        "Yours sincerely",
        "His Majesty's Inspector",
        "Thank you for reading",
        "Premium Membership",
        "Rido",
        "group meeting",
        "More from Community Care",
        "One Response",
        "Xontheweb",
        "Read the report in full",
        "Monitoring report of Gloucestershire",
    ] {
        ofsearch(index.path())
            .args(["search", &format!("\"{phrase}\"")])
            .assert()
            .code(1);
    }
}

/// Body text of each seed, from its first to its last sentence.
const BODIES: &[(&str, &str, &str)] = &[
    (
        "000_d6b0fa2fa44b91d9.txt",
        "The pace of improvement",
        "the report concludes.",
    ),
    (
        "001_475266993284b877.txt",
        "Variable progress has been noted",
        "the report concluded.",
    ),
    (
        LETTER,
        "This letter summarises",
        "the next inspection or visit.",
    ),
    (
        "003_b1d9fb3104aa02ce.txt",
        "South Gloucestershire Council’s children’s",
        "young people of South Gloucestershire.”",
    ),
    (
        "004_72892bf984590581.txt",
        "‘Inadequate’ council has made",
        "the way cases are managed”.",
    ),
];

#[test]
fn every_body_sentence_is_searchable() {
    let index = seed_index();
    let mut queries = Vec::new();
    for (file, first, last) in BODIES {
        let text = std::fs::read_to_string(common::corpus().join(file)).unwrap();
        let start = text.find(first).expect("body start");
        let end = text.find(last).expect("body end") + last.len();
        for line in text[start..end].lines() {
            let line = line.trim().trim_start_matches(['-', '•', '#', '*', ' ']);
            let words: Vec<&str> = line.split_whitespace().collect();
            let heading = words.len() <= 12 && !line.ends_with(['.', ':', '”', '?']);
            if words.is_empty() || heading {
                continue;
            }
            for sentence in line.split(". ") {
                let words: Vec<String> = sentence
                    .split_whitespace()
                    .take(10)
                    .map(|w| w.replace(['"', '“', '”', '*'], ""))
                    .collect();
                if words.len() >= 3 {
                    queries.push(format!("\"{}\"", words.join(" ")));
                }
            }
        }
    }
    assert!(queries.len() > 100, "{}", queries.len());
    let stdin = queries.join("\n");
    let counts = json_lines(
        ofsearch(index.path())
            .args(["search", "-", "--count", "--json"])
            .write_stdin(stdin),
    );
    assert_eq!(counts.len(), queries.len());
    for c in counts {
        assert!(
            c["passages"].as_u64().unwrap() >= 1,
            "not found: {}",
            c["query"]
        );
    }
}

#[test]
fn mentions_tell_gloucestershire_from_south_gloucestershire() {
    let index = seed_index();
    let glos = json_lines(ofsearch(index.path()).args(["mentions", "Gloucestershire", "--json"]));
    assert!(!glos.is_empty());
    assert!(glos
        .iter()
        .all(|h| file_of(h) == "001_475266993284b877.txt"));

    let south = json_lines(ofsearch(index.path()).args(["mentions", "South Glos", "--json"]));
    let mut files: Vec<String> = south.iter().map(file_of).collect();
    files.dedup();
    files.sort();
    files.dedup();
    assert_eq!(
        files,
        vec![
            "000_d6b0fa2fa44b91d9.txt",
            "002_343f57de7bfe3147.txt",
            "003_b1d9fb3104aa02ce.txt",
            "004_72892bf984590581.txt"
        ]
    );
    for h in &south {
        let text = h["text"].as_str().unwrap();
        for s in h["highlights"].as_array().unwrap() {
            let (a, b) = (
                s[0].as_u64().unwrap() as usize,
                s[1].as_u64().unwrap() as usize,
            );
            assert!(text[a..b].starts_with("South Glo"), "{}", &text[a..b]);
        }
    }
    ofsearch(index.path())
        .args(["mentions", "South Glos", "--count"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "{} passages in 4 documents",
            south.len()
        )));
}

#[test]
fn documents_carry_their_metadata() {
    let index = seed_index();
    let docs = json_lines(ofsearch(index.path()).args(["docs", "--json"]));
    assert_eq!(docs.len(), 5);
    let letter = docs.iter().find(|d| file_of(d) == LETTER).unwrap();
    assert_eq!(
        letter["title"],
        "Focused visit to South Gloucestershire children's services"
    );
    assert_eq!(letter["inspection_start"], "2022-09-14");
    assert_eq!(letter["inspection_end"], "2022-09-15");
    let glos = docs
        .iter()
        .find(|d| file_of(d) == "001_475266993284b877.txt")
        .unwrap();
    assert_eq!(glos["authority"], "Gloucestershire");
    assert_eq!(glos["date"], serde_json::Value::Null);
    for d in &docs {
        assert!(d["passages"].as_u64().unwrap() > 5);
    }
}

#[test]
fn reingest_does_not_duplicate() {
    let index = seed_index();
    let count = |index: &std::path::Path| {
        json_lines(ofsearch(index).args(["search", "children", "--count", "--json"]))[0]["passages"]
            .as_u64()
            .unwrap()
    };
    let before = count(index.path());
    ofsearch(index.path())
        .arg("ingest")
        .arg(common::corpus())
        .assert()
        .success()
        .stderr(predicate::str::contains("0 added, 0 updated, 5 unchanged"));
    assert_eq!(count(index.path()), before);
    let docs = json_lines(ofsearch(index.path()).args(["docs", "--json"]));
    assert_eq!(docs.len(), 5);
}

#[test]
fn exit_codes_follow_grep() {
    let index = seed_index();
    ofsearch(index.path())
        .args(["search", "oversight"])
        .assert()
        .code(0);
    ofsearch(index.path())
        .args(["search", "zzyzzyva"])
        .assert()
        .code(1)
        .stdout("");
    for bad in ["\"unbalanced", "(a b", "foo:bar", "date:[2020 TO x]", "OR"] {
        let out = ofsearch(index.path())
            .args(["search", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{bad}: {err}");
        assert!(err.contains("hint"), "{err}");
    }
    ofsearch(index.path())
        .args(["mentions", "Atlantis Borough"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("hint"));
}

#[test]
fn embedded_default_builds_index_from_corpus() {
    let work = tempfile::tempdir().unwrap();
    let corpus = work.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for entry in std::fs::read_dir(common::corpus()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), corpus.join(entry.file_name())).unwrap();
    }
    let mut cmd = assert_cmd::Command::cargo_bin("ofsearch").unwrap();
    cmd.current_dir(work.path())
        .env_remove("OFSEARCH_INDEX")
        .args(["search", "\"management oversight\"", "--count"])
        .assert()
        .success()
        .stdout("8 passages in 4 documents\n")
        .stderr(predicate::str::contains("building it from corpus/"));
    assert!(work.path().join("index").join("meta.json").is_file());
}

/// A listing (`--all`: ranked from fast fields, loaded a chunk at a time on
/// several threads) gives its hits in the ranked search's order. Every hit
/// here ties on score, so the order is all tie-breaks: date (newest first,
/// undated last), then path, then position; over two segments and more than
/// one chunk.
#[test]
fn listing_order_is_the_ranked_order() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("index");
    let dates = ["12 March 2020", "3 June 2021", "", "12 March 2020"];
    for (half, files) in [("a", 20), ("b", 19)] {
        let corpus = tmp.path().join(half);
        std::fs::create_dir(&corpus).expect("mkdir");
        for f in 0..files {
            let date = dates[f % dates.len()];
            let mut text = if date.is_empty() {
                format!("Notes {half}{f}\n\n")
            } else {
                format!(
                    "{date}\n\nDear Director\n\nFocused visit to Doncaster children's services\n\n\
                     This letter summarises the findings of the focused visit to Doncaster \
                     children's services on 4 and 5 February 2020.\n\n"
                )
            };
            for p in 0..30 {
                text.push_str(&format!(
                    "Managers provide management oversight of plan {p:02}.\n\n"
                ));
            }
            std::fs::write(corpus.join(format!("{half}{f:02}.txt")), text).expect("write");
        }
        // One ingest per half: a segment each (the second writes less than
        // half of the index, so it is not merged with the first).
        ofsearch(&index)
            .args(["ingest", "--quiet"])
            .arg(&corpus)
            .assert()
            .code(0);
    }
    let segments = std::fs::read_dir(&index)
        .expect("index dir")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "store"))
        })
        .count();
    assert!(segments >= 2, "{segments} segment(s): the test needs two");
    let key = |h: &serde_json::Value| {
        (
            h["date"].as_str().map(str::to_string),
            h["path"].as_str().unwrap_or_default().to_string(),
            h["paragraph"].as_u64().unwrap_or_default(),
        )
    };
    let phrase = "\"management oversight\"";
    let listed: Vec<_> = json_lines(ofsearch(&index).args(["search", phrase, "--all", "--json"]))
        .iter()
        .map(key)
        .collect();
    let ranked: Vec<_> =
        json_lines(ofsearch(&index).args(["search", phrase, "--limit", "100000", "--json"]))
            .iter()
            .map(key)
            .collect();
    assert_eq!(listed.len(), 1170, "two chunks of the CLI's 1024");
    assert_eq!(listed, ranked);
    // A top k among more ties than the ranked search's margin holds: the
    // best k by the same tie-breaks, whichever ties the margin met first.
    for k in [10usize, 40, 100] {
        let top: Vec<_> = json_lines(ofsearch(&index).args([
            "search",
            phrase,
            "--limit",
            &k.to_string(),
            "--json",
        ]))
        .iter()
        .map(key)
        .collect();
        assert_eq!(top, listed[..k], "top {k}");
    }
    let dated_first: Vec<Option<&str>> = listed.iter().map(|k| k.0.as_deref()).collect();
    assert_eq!(dated_first.first(), Some(&Some("2021-06-03")));
    assert_eq!(dated_first.last(), Some(&None));
    let mut sorted = listed.clone();
    sorted.sort_by(|a, b| {
        (b.0.is_some(), &b.0)
            .cmp(&(a.0.is_some(), &a.0))
            .then_with(|| (&a.1, a.2).cmp(&(&b.1, b.2)))
    });
    assert_eq!(listed, sorted);
}

/// Explaining a hit scores each clause alone from the hit on: a clause
/// whose first match lies past the hit (here the phrase, found only in later
/// passages) is no part of its score, not a seek backwards (which panicked).
#[test]
fn hits_before_the_first_phrase_match_explain_themselves() {
    let index = seed_index();
    let hits = json_lines(ofsearch(index.path()).args([
        "search",
        "children in care",
        "-n",
        "50",
        "--json",
        "--explain",
    ]));
    assert!(hits.len() > 10);
    assert!(hits.iter().any(|h| h["explain"]["phrase"] == 0.0));
    for h in &hits {
        assert!(h["explain"]["score"].as_f64().is_some(), "{h:#?}");
    }
}

#[test]
fn passages_have_kinds_findings_rank_first_and_scores_explain_themselves() {
    let index = seed_index();
    let hits = json_lines(ofsearch(index.path()).args([
        "search",
        "management oversight",
        "-n",
        "3",
        "--json",
        "--explain",
    ]));
    // The letter's "What needs to improve" item is the phrase and little
    // else; the findings that say what inspectors found come first.
    for h in &hits {
        assert!(h["kind"] == "finding" || h["kind"] == "news", "{h:#?}");
        let e = &h["explain"];
        let parts = ["words", "phrase", "filters"]
            .iter()
            .map(|k| e[k].as_f64().unwrap())
            .sum::<f64>();
        let weights = ["kind_weight", "length_weight", "lead_weight"]
            .iter()
            .map(|k| e[k].as_f64().unwrap())
            .product::<f64>();
        let score = h["score"].as_f64().unwrap();
        assert!(
            (parts * weights - score).abs() < 1e-3 * score.max(1.0),
            "{e}"
        );
    }
    let items = json_lines(ofsearch(index.path()).args([
        "search",
        "management oversight",
        "--kind",
        "improvement",
        "--json",
    ]));
    assert_eq!(items.len(), 1, "{items:#?}");
    assert!(items[0]["text"]
        .as_str()
        .unwrap()
        .starts_with("Management oversight, including by independent reviewing officers"));
    assert_eq!(
        items[0]["section"],
        "What needs to improve in this area of social work practice?"
    );
    // The same filter in the query language, and a kind nobody has.
    let in_query = json_lines(ofsearch(index.path()).args([
        "search",
        "management oversight kind:improvement",
        "--json",
    ]));
    let texts = |hits: &[serde_json::Value]| -> Vec<String> {
        hits.iter().map(|h| h["text"].to_string()).collect()
    };
    assert_eq!(texts(&in_query), texts(&items));
    ofsearch(index.path())
        .args(["search", "oversight", "--kind", "gossip"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown passage kind 'gossip'"));
    // Facets count passages of each kind.
    let facets = json_lines(ofsearch(index.path()).args([
        "facets",
        "management oversight",
        "--by",
        "kind",
        "--json",
    ]));
    let count = |kind: &str| {
        facets
            .iter()
            .find(|r| r["value"] == kind)
            .map(|r| r["passages"].as_u64().unwrap())
    };
    assert_eq!(count("improvement"), Some(1), "{facets:#?}");
    assert!(count("finding").unwrap() >= 5, "{facets:#?}");
    // Every passage of the letter has a kind; its opening is about the visit.
    let shown: serde_json::Value = serde_json::from_slice(
        &ofsearch(index.path())
            .args(["show", "--json", items[0]["doc_id"].as_str().unwrap()])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let passages = shown["passages"].as_array().unwrap();
    assert!(passages.iter().all(|p| p["kind"].is_string()));
    assert_eq!(passages[0]["kind"], "context", "{:#?}", passages[0]);
}
