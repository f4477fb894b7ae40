//! `trend`: every bucket's counts agree with `search --count` under the same
//! filters; empty years are said to have no documents; the chart is drawn.

use serde_json::Value;

use super::common::{json_lines, ofsearch};
use super::shared_index;

fn count(query: &str, extra: &[&str]) -> (u64, u64) {
    let c = json_lines(
        ofsearch(shared_index())
            .args(["search", query, "--count", "--json"])
            .args(extra),
    );
    (
        c[0]["passages"].as_u64().unwrap_or(0),
        c[0]["documents"].as_u64().unwrap_or(0),
    )
}

fn docs_count(extra: &[&str]) -> u64 {
    json_lines(
        ofsearch(shared_index())
            .args(["docs", "--json"])
            .args(extra),
    )
    .len() as u64
}

#[test]
fn trend_by_year_agrees_with_search_count() {
    let rows = json_lines(ofsearch(shared_index()).args([
        "trend",
        "\"management oversight\"",
        "oversight",
        "--by",
        "year",
        "--json",
    ]));
    assert!(!rows.is_empty());
    let mut total_docs = 0;
    for r in &rows {
        let bucket = r["bucket"].as_str().unwrap_or_default();
        let query = r["query"].as_str().unwrap_or_default();
        if bucket == "(none)" {
            continue;
        }
        let day = ["--since", bucket, "--until", bucket];
        let (passages, documents) = count(query, &day);
        assert_eq!(r["passages"].as_u64(), Some(passages), "{r}");
        assert_eq!(r["documents"].as_u64(), Some(documents), "{r}");
        assert_eq!(
            r["bucket_documents"].as_u64(),
            Some(docs_count(&day)),
            "{r}"
        );
        match r["bucket_documents"].as_u64() {
            Some(0) => assert!(r["share"].is_null(), "an empty year has no share: {r}"),
            Some(n) => {
                let share = r["share"].as_f64().unwrap_or(-1.0);
                assert!((share - documents as f64 / n as f64).abs() < 1e-3, "{r}");
            }
            None => panic!("{r}"),
        }
        if query == "oversight" {
            total_docs += documents;
        }
    }
    // Dated plus undated buckets cover every matching document once.
    let undated: u64 = rows
        .iter()
        .filter(|r| r["bucket"] == "(none)" && r["query"] == "oversight")
        .filter_map(|r| r["documents"].as_u64())
        .sum();
    assert_eq!(total_docs + undated, count("oversight", &[]).1);
    // Years run without gaps, in order.
    let years: Vec<i64> = rows
        .iter()
        .filter(|r| r["query"] == "oversight")
        .filter_map(|r| r["bucket"].as_str()?.parse().ok())
        .collect();
    assert!(years.windows(2).all(|w| w[1] == w[0] + 1), "{years:?}");
}

#[test]
fn trend_by_authority_with_filters_and_a_plot() {
    let dir = tempfile::tempdir().expect("tempdir");
    let svg = dir.path().join("t.svg");
    let png = dir.path().join("t.png");
    let rows: Vec<Value> = json_lines(
        ofsearch(shared_index())
            .args([
                "trend",
                "children",
                "--by",
                "authority",
                "--type",
                "focused",
                "--json",
                "--plot",
            ])
            .arg(&svg),
    );
    for r in &rows {
        let a = r["bucket"].as_str().unwrap_or_default();
        if a == "(none)" {
            continue;
        }
        let (_, documents) = count("children", &["--type", "focused", "--authority", a]);
        assert_eq!(r["documents"].as_u64(), Some(documents), "{r}");
    }
    let text = std::fs::read_to_string(&svg).expect("svg written");
    assert!(text.contains("<title>") && text.contains("Documents matching children, by authority"));
    ofsearch(shared_index())
        .args(["trend", "oversight", "--plot"])
        .arg(&png)
        .assert()
        .success();
    assert!(std::fs::read(&png).expect("png").starts_with(b"\x89PNG"));
    let table = ofsearch(shared_index())
        .args(["trend", "oversight", "--by", "year"])
        .output()
        .expect("runs");
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table
        .lines()
        .nth(1)
        .is_some_and(|l| l.contains("matching") && l.contains("share")));
}
