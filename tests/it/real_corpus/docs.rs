//! The documents side: `docs` with filters, a query, sorting and counts;
//! `show` by path or id; `stats`; facets in time order.

use serde_json::Value;

use super::common::{json_lines, ofsearch};
use super::shared_index;

fn docs(args: &[&str]) -> Vec<Value> {
    json_lines(
        ofsearch(shared_index())
            .arg("docs")
            .args(args)
            .arg("--json"),
    )
}

#[test]
fn docs_filter_sort_count_and_query() {
    let all = docs(&[]);
    let dates: Vec<&str> = all.iter().filter_map(|d| d["date"].as_str()).collect();
    let mut newest_first = dates.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, newest_first, "newest first by default");
    assert!(all
        .iter()
        .all(|d| d["doc_id"].as_str().is_some_and(|i| i.len() == 12)));

    let focused = docs(&["--type", "focused"]);
    assert!(!focused.is_empty());
    assert!(focused.iter().all(|d| d["visit_type"] == "focused visit"));
    let derby = docs(&["--authority", "Derby", "--judgement", "inadequate"]);
    assert!(derby
        .iter()
        .any(|d| d["title"].as_str().is_some_and(|t| t.contains("Derby"))));
    assert!(derby
        .iter()
        .all(|d| d["judgements"]["overall_effectiveness"] == "inadequate"));

    let since = docs(&["--since", "2020", "--sort", "path"]);
    let paths: Vec<&str> = since.iter().filter_map(|d| d["path"].as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert!(since
        .iter()
        .all(|d| d["date"].as_str().is_some_and(|x| x >= "2020-01-01")));

    // A query keeps documents with a matching passage; --count agrees with the listing.
    let with = docs(&["\"management oversight\""]);
    let searched = json_lines(ofsearch(shared_index()).args([
        "search",
        "\"management oversight\"",
        "--count",
        "--json",
    ]));
    assert_eq!(Some(with.len() as u64), searched[0]["documents"].as_u64());
    let count = ofsearch(shared_index())
        .args(["docs", "\"management oversight\"", "--count"])
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&count.stdout).trim(),
        format!("{} documents", with.len())
    );
    assert_eq!(docs(&["-n", "2"]).len(), 2);
    ofsearch(shared_index())
        .args(["docs", "--authority", "Derby", "--type", "jtai"])
        .assert()
        .code(1);
}

#[test]
fn show_by_path_or_id_with_passages_in_order() {
    let letter = docs(&["--authority", "Doncaster", "--type", "focused"]);
    let d = letter
        .iter()
        .find(|d| {
            d["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("doncaster-letter.txt"))
        })
        .expect("the fixture letter");
    let path = d["path"].as_str().unwrap_or_default();
    let id = d["doc_id"].as_str().unwrap_or_default();
    let by_path = json_lines(ofsearch(shared_index()).args(["show", path, "--json"]));
    let by_id = json_lines(ofsearch(shared_index()).args(["show", id, "--json"]));
    assert_eq!(by_path, by_id);
    let passages = by_path[0]["passages"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(Some(passages.len() as u64), d["passages"].as_u64());
    let numbers: Vec<u64> = passages
        .iter()
        .filter_map(|p| p["paragraph"].as_u64())
        .collect();
    assert_eq!(numbers, (0..numbers.len() as u64).collect::<Vec<_>>());
    assert_eq!(by_path[0]["document"]["lead_inspector"], "Ann Example");

    let report = docs(&["--authority", "Derby"]);
    let report = report
        .iter()
        .find(|d| {
            d["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("derby-report.txt"))
        })
        .expect("the fixture report");
    let rid = report["doc_id"].as_str().unwrap_or_default();
    let one = ofsearch(shared_index())
        .args(["show", rid, "--passage", "2", "-C", "1"])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&one.stdout);
    assert!(
        text.contains("¶1") && text.contains("¶2") && text.contains("¶3"),
        "{text}"
    );
    assert!(!text.contains("¶0") && !text.contains("¶4"));
    ofsearch(shared_index())
        .args(["show", rid, "--passage", "999"])
        .assert()
        .code(1);

    let unknown = ofsearch(shared_index())
        .args(["show", "corpus/002_343f57de7bfe3147.tx"])
        .output()
        .expect("runs");
    assert_eq!(unknown.status.code(), Some(1));
    let err = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        err.contains("did you mean ") && err.contains("corpus/002_343f57de7bfe3147.txt?"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn stats_say_what_the_index_holds() {
    let out = json_lines(ofsearch(shared_index()).args(["stats", "--json", "--missing"]));
    let s = &out[0];
    let n = docs(&[]).len() as u64;
    assert_eq!(s["total"]["documents"].as_u64(), Some(n));
    assert_eq!(s["schema_version"], ofsearch::index::schema::SCHEMA_VERSION);
    assert!(s["index_bytes"].as_u64().is_some_and(|b| b > 0));
    assert!(s["last_ingest"].as_str().is_some_and(|t| t.ends_with('Z')));
    let covered = s["authorities_covered"].as_u64().unwrap_or(0);
    let missing = s["authorities_missing"].as_array().map_or(0, Vec::len) as u64;
    assert_eq!(covered + missing, 153);
    assert!(!s["authorities_missing"]
        .as_array()
        .is_some_and(|m| m.iter().any(|a| a == "Derby")));
    let by_type: u64 = s["by_visit_type"]
        .as_object()
        .map(|m| m.values().filter_map(|t| t["documents"].as_u64()).sum())
        .unwrap_or(0);
    assert_eq!(by_type, n);
}

#[test]
fn facets_by_year_and_month_are_in_time_order() {
    for by in ["year", "month"] {
        let rows = json_lines(ofsearch(shared_index()).args([
            "facets",
            "oversight",
            "--by",
            by,
            "--json",
        ]));
        let keys: Vec<&str> = rows
            .iter()
            .filter_map(|r| r["value"].as_str())
            .filter(|v| *v != "(none)")
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{by}");
        assert!(!keys.is_empty());
    }
    let by_count = json_lines(ofsearch(shared_index()).args([
        "facets",
        "oversight",
        "--by",
        "year",
        "--sort",
        "count",
        "--json",
    ]));
    let counts: Vec<u64> = by_count
        .iter()
        .filter_map(|r| r["passages"].as_u64())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]));
}
