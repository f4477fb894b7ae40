//! Page numbers (issue 32): every passage of a PDF carries the page it
//! starts on, in every output and on the web page, which links it to the
//! original PDF at that page. The PDF is written here, three pages long.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use axum::http::StatusCode;
use common::{json_lines, ofsearch, pages_pdf};
use ofsearch::serve::{router, AppState};

const PAGE_ONE: &[&str] = &[
    "Focused visit to Derby local authority children's services",
    "",
    "Leaders provide strong management oversight of alpha plans.",
    "",
    "Social workers know their children well and visit them often.",
];
const PAGE_TWO: &[&str] = &[
    "Main findings",
    "",
    "Supervision of bravo practice is regular and reflective.",
    "",
    "Managers check that plans for children in need are",
];
const PAGE_THREE: &[&str] = &[
    "progressed without delay, and charlie decisions are recorded.",
    "",
    "Care leavers receive delta support from personal advisers.",
];

/// The PDF and a text file beside it, and an index of both, built once.
fn fixture() -> &'static (PathBuf, PathBuf) {
    static DIR: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let docs = dir.join("docs");
        std::fs::create_dir_all(&docs).expect("mkdir");
        std::fs::write(
            docs.join("three.pdf"),
            pages_pdf(&[PAGE_ONE, PAGE_TWO, PAGE_THREE]),
        )
        .expect("write");
        std::fs::write(
            docs.join("notes.txt"),
            "Notes\n\nA text file about echo management oversight of plans, long enough to be a passage.\n",
        )
        .expect("write");
        let index = dir.join("index");
        ofsearch(&index)
            .arg("ingest")
            .arg(&docs)
            .arg("--quiet")
            .assert()
            .success();
        (index, docs)
    })
}

fn search(index: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    json_lines(ofsearch(index).arg("search").args(args).arg("--json"))
}

/// The page of the one hit for `word`.
fn page_of(word: &str) -> serde_json::Value {
    let hits = search(&fixture().0, &[word]);
    assert_eq!(hits.len(), 1, "{word}: {hits:?}");
    hits[0]["page"].clone()
}

#[test]
fn each_passage_has_the_page_it_starts_on() {
    let (_, docs) = fixture();
    let out = ofsearch(&fixture().0)
        .arg("extract")
        .arg("--json")
        .arg(docs.join("three.pdf"))
        .output()
        .expect("runs");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let pages: Vec<(String, u64)> = doc["passages"]
        .as_array()
        .expect("passages")
        .iter()
        .map(|p| {
            let words: Vec<&str> = p["text"]
                .as_str()
                .unwrap_or("")
                .split(' ')
                .take(2)
                .collect();
            (words.join(" "), p["page"].as_u64().unwrap_or(0))
        })
        .collect();
    let want = [
        ("Leaders provide", 1),
        ("Social workers", 1),
        ("Supervision of", 2),
        // Runs over onto page three: the page it starts on.
        ("Managers check", 2),
        ("Care leavers", 3),
    ];
    let want: Vec<(String, u64)> = want.iter().map(|(w, p)| (w.to_string(), *p)).collect();
    assert_eq!(pages, want);
}

#[test]
fn hits_carry_the_page_after_the_paragraph() {
    assert_eq!(page_of("alpha"), 1);
    assert_eq!(page_of("bravo"), 2);
    assert_eq!(page_of("charlie"), 2);
    assert_eq!(page_of("delta"), 3);
    // Text files have no pages.
    assert!(page_of("echo").is_null());
    let hit = &search(&fixture().0, &["bravo"])[0];
    let keys: Vec<&str> = hit
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let at = keys
        .iter()
        .position(|k| *k == "paragraph")
        .expect("paragraph");
    assert_eq!(keys.get(at + 1), Some(&"page"));
}

#[test]
fn csv_and_text_show_the_page() {
    let index = &fixture().0;
    let out = ofsearch(index)
        .args(["search", "delta", "--format", "csv"])
        .output()
        .expect("runs");
    let csv = String::from_utf8(out.stdout).expect("utf-8");
    let mut rows = csv.lines();
    let header: Vec<&str> = rows.next().unwrap_or("").split(',').collect();
    let col = header
        .iter()
        .position(|c| *c == "page")
        .expect("page column");
    assert_eq!(header.get(col - 1), Some(&"paragraph"));
    let row: Vec<&str> = rows.next().unwrap_or("").split(',').collect();
    assert_eq!(row.get(col), Some(&"3"), "{csv}");

    let out = ofsearch(index)
        .args(["search", "bravo"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("· p. 2 ·"), "{text}");
    let out = ofsearch(index)
        .args(["search", "echo"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(!text.contains("p. "), "{text}");
}

#[test]
fn show_prints_each_passages_page() {
    let index = &fixture().0;
    let id = search(index, &["delta"])[0]["doc_id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let out = ofsearch(index).args(["show", &id]).output().expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    for want in ["¶0 · p. 1", "¶2 · p. 2", "¶4 · p. 3"] {
        assert!(text.contains(want), "{want} not in {text}");
    }
}

async fn get(uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let app = router(Arc::new(AppState::new(fixture().0.clone())), None);
    common::answer(app, uri).await
}

#[tokio::test]
async fn the_document_view_links_each_passage_to_its_pdf_page() {
    let index = &fixture().0;
    let pdf_id = search(index, &["delta"])[0]["doc_id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let text_id = search(index, &["echo"])[0]["doc_id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let (status, _, page) = get(&format!("/doc/{pdf_id}")).await;
    assert_eq!(status, StatusCode::OK);
    let page = String::from_utf8(page).expect("utf-8");
    for n in 1..=3 {
        let link = format!("href=\"/doc/{pdf_id}/pdf#page={n}\"");
        assert!(page.contains(&link), "{link} not in the page");
    }
    // The search page links a hit to its page too.
    let (_, _, results) = get("/?q=bravo").await;
    let results = String::from_utf8(results).expect("utf-8");
    assert!(results.contains(&format!("/doc/{pdf_id}/pdf#page=2")));

    // The PDF itself, shown in the browser.
    let (status, headers, bytes) = get(&format!("/doc/{pdf_id}/pdf")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap_or("")
        .starts_with("inline"));
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(bytes.starts_with(b"%PDF"));

    // No page links for a text file, and no inline view of it.
    let (_, _, page) = get(&format!("/doc/{text_id}")).await;
    assert!(!String::from_utf8(page)
        .expect("utf-8")
        .contains("/pdf#page="));
    assert_eq!(
        get(&format!("/doc/{text_id}/pdf")).await.0,
        StatusCode::NOT_FOUND
    );
    // Only documents the index holds.
    for uri in ["/doc/nothing/pdf", "/doc/..%2F..%2Fetc%2Fpasswd/pdf"] {
        assert_eq!(get(uri).await.0, StatusCode::NOT_FOUND, "{uri}");
    }
    // The download keeps its own, stricter policy.
    let (_, headers, _) = get(&format!("/doc/{text_id}/file")).await;
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap_or("")
        .contains("sandbox"));
}
