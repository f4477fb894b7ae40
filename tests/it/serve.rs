//! `ofsearch serve`: every API endpoint in process (no port), the page's
//! escaping of hostile documents, serving while an ingest commits, and the
//! page in a real browser (headless Chromium through WebDriver).
//!
//! The browser tests need `chromium` and `chromedriver` (Debian's `chromium`
//! and `chromium-driver`); `.ci/run` installs them and under `CI=true` they
//! never skip. Screenshots of the main views are saved under
//! `target/screenshots/`.

use crate::common;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use common::{json_lines, ofsearch};
use ofsearch::serve::{router, AppState};

/// A page whose title and text try to run script.
const HOSTILE_HTML: &str = r#"<!doctype html><html><head>
<meta property="og:title" content="Hostile &lt;script&gt;window.__pwned=1&lt;/script&gt; Leeds story">
<title>x</title></head><body><article>
<h1>Hostile <script>window.__pwned=1</script> Leeds story</h1>
<p>Inspectors in Leeds found weak management oversight "><img src=x onerror="window.__pwned=2"> of plans for children, reported here at length so that the cleaner keeps it.</p>
<p>A link <a href="javascript:window.__pwned=3">javascript:window.__pwned=3</a> and &lt;script&gt;window.__pwned=4&lt;/script&gt; about supervision and management oversight in Leeds children's services.</p>
</article></body></html>"#;

const HOSTILE_TEXT: &str = "<script>window.__pwned=5</script> Leeds notes\n\n\"><img src=x onerror=\"window.__pwned=6\"> Management oversight of children in Leeds is weak, inspectors said in their letter.\n";

/// Documents, and an index of them, built once for all tests here.
fn fixture() -> &'static (PathBuf, PathBuf) {
    static DIR: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().expect("tempdir").keep();
        let docs = dir.join("docs");
        common::write_query_fixtures(&docs);
        std::fs::write(docs.join("hostile.html"), HOSTILE_HTML).expect("write");
        std::fs::write(docs.join("hostile.txt"), HOSTILE_TEXT).expect("write");
        let index = dir.join("index");
        ofsearch(&index)
            .arg("ingest")
            .arg(common::corpus())
            .arg(&docs)
            .arg("--quiet")
            .assert()
            .success();
        (index, docs)
    })
}

fn app() -> axum::Router {
    router(Arc::new(AppState::new(fixture().0.clone())), None)
}

async fn get(uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    get_on(app(), uri).await
}

/// `get`, answered by `app` (one server's state across requests).
async fn get_on(app: axum::Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let (status, headers, bytes) = common::answer(app, uri).await;
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

async fn get_json(uri: &str) -> (StatusCode, Value) {
    let (status, _, body) = get(uri).await;
    let v = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{uri}: {e}: {body}"));
    (status, v)
}

fn cli_json(args: &[&str]) -> Vec<Value> {
    json_lines(ofsearch(&fixture().0).args(args))
}

#[tokio::test]
async fn search_and_count_agree_with_the_cli() {
    let (status, v) = get_json("/api/search?q=%22management+oversight%22&n=3").await;
    assert_eq!(status, StatusCode::OK);
    let cli = cli_json(&["search", "\"management oversight\"", "-n", "3", "--json"]);
    assert_eq!(v["hits"].as_array().cloned().unwrap_or_default(), cli);
    let count = cli_json(&["search", "\"management oversight\"", "--count", "--json"]);
    assert_eq!(v["passages"], count[0]["passages"]);
    assert_eq!(v["documents"], count[0]["documents"]);
    let (_, c) = get_json("/api/count?q=%22management+oversight%22").await;
    assert_eq!(c["passages"], count[0]["passages"]);

    // Pages cover every hit once, in the CLI's order.
    let all = cli_json(&["search", "oversight", "--all", "--json"]);
    let mut paged = Vec::new();
    for page in 1..=all.len().div_ceil(4) {
        let (_, v) = get_json(&format!("/api/search?q=oversight&n=4&page={page}")).await;
        paged.extend(v["hits"].as_array().cloned().unwrap_or_default());
    }
    assert_eq!(paged, all);
}

#[tokio::test]
async fn filters_context_grouping_and_sort() {
    let (_, v) = get_json("/api/search?q=children&authority=South+Glos&type=focused&n=50").await;
    let hits = v["hits"].as_array().cloned().unwrap_or_default();
    assert!(!hits.is_empty());
    assert!(hits
        .iter()
        .all(|h| h["authority"] == "South Gloucestershire" && h["visit_type"] == "focused visit"));
    let (_, v) =
        get_json("/api/search?q=oversight&judgement=inadequate&since=2022&until=2022-12").await;
    assert!(v["hits"].as_array().is_some_and(|h| !h.is_empty()
        && h.iter()
            .all(|h| h["judgements"]["overall_effectiveness"] == "inadequate")));
    let (_, v) = get_json("/api/search?q=oversight&context=1&n=1").await;
    assert!(v["hits"][0]["context_before"].is_array());
    let (_, v) = get_json("/api/search?q=oversight&group_by=doc&n=2").await;
    assert_eq!(v["groups"].as_array().map(Vec::len), Some(2));
    assert!(v["groups"][0]["hits"].as_u64().is_some());
    let (_, v) = get_json("/api/search?q=oversight&sort=date&n=50").await;
    let dates: Vec<String> = v["hits"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|h| h["date"].as_str().unwrap_or("").to_string())
        .collect();
    let dated: Vec<&String> = dates.iter().filter(|d| !d.is_empty()).collect();
    assert!(dated.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
}

#[tokio::test]
async fn grouped_pages_cover_the_clis_groups() {
    // Groups are ranked from the index's columns and only their shown
    // passages loaded: pages of them must still be the CLI's groups, in order.
    let all = cli_json(&[
        "search",
        "oversight",
        "--group-by",
        "doc",
        "--all",
        "--json",
    ]);
    assert!(all.len() > 2, "{all:?}");
    let mut paged = Vec::new();
    for page in 1..=all.len().div_ceil(2) {
        let (_, v) = get_json(&format!(
            "/api/search?q=oversight&group_by=doc&n=2&page={page}"
        ))
        .await;
        paged.extend(v["groups"].as_array().cloned().unwrap_or_default());
    }
    assert_eq!(paged, all);
    let hits: u64 = all.iter().filter_map(|g| g["hits"].as_u64()).sum();
    let (_, c) = get_json("/api/count?q=oversight").await;
    assert_eq!(c["passages"].as_u64(), Some(hits));
    let (_, v) = get_json("/api/search?q=oversight&group_by=doc&sort=date&n=100").await;
    let groups = v["groups"].as_array().cloned().unwrap_or_default();
    assert_eq!(groups.len(), all.len());
    let dates: Vec<&str> = groups
        .iter()
        .map(|g| g["date"].as_str().unwrap_or(""))
        .collect();
    let dated = dates.iter().take_while(|d| !d.is_empty()).count();
    assert!(dates[dated..].iter().all(|d| d.is_empty()), "{dates:?}");
    assert!(dates[..dated].windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
}

#[tokio::test]
async fn trends_on_one_snapshot_agree_with_the_cli() {
    // One server answers every request, twice: what it keeps for a snapshot
    // (each bucket's documents under a filter) must not leak from one filter
    // or kind of bucket to another.
    let app = app();
    let asks: [(&str, &[&str]); 4] = [
        ("q=oversight&by=year", &["--by", "year"]),
        (
            "q=oversight&by=year&type=focused",
            &["--by", "year", "--type", "focused"],
        ),
        ("q=oversight&by=authority", &["--by", "authority"]),
        (
            "q=oversight&by=authority&since=2020-01-01",
            &["--by", "authority", "--since", "2020-01-01"],
        ),
    ];
    for round in 0..2 {
        for (uri, args) in asks {
            let (status, _, body) = get_on(app.clone(), &format!("/api/trend?{uri}")).await;
            assert_eq!(status, StatusCode::OK, "{uri}: {body}");
            let v: Value = serde_json::from_str(&body).expect("json");
            let mut cli_args = vec!["trend", "oversight", "--json"];
            cli_args.extend_from_slice(args);
            let cli = cli_json(&cli_args);
            assert!(!cli.is_empty(), "{uri}");
            assert_eq!(
                v["rows"].as_array().cloned().unwrap_or_default(),
                cli,
                "{uri}, round {round}"
            );
        }
    }
}

#[tokio::test]
async fn facets_mentions_and_documents() {
    let (_, v) = get_json("/api/facets?q=oversight&by=year").await;
    let cli = cli_json(&["facets", "oversight", "--by", "year", "--json"]);
    let rows = v["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), cli.len());
    for (r, c) in rows.iter().zip(&cli) {
        assert_eq!(
            (&r["value"], &r["passages"], &r["documents"]),
            (&c["value"], &c["passages"], &c["documents"])
        );
    }
    // Passage kinds: a facet, a filter and an explained score, as on the CLI.
    let (_, v) = get_json("/api/facets?q=oversight&by=kind").await;
    let cli = cli_json(&["facets", "oversight", "--by", "kind", "--json"]);
    let rows = v["rows"].as_array().cloned().unwrap_or_default();
    assert!(!rows.is_empty());
    for (r, c) in rows.iter().zip(&cli) {
        assert_eq!((&r["value"], &r["passages"]), (&c["value"], &c["passages"]));
    }
    let (_, v) = get_json("/api/search?q=oversight&kind=improvement&explain=1&n=50").await;
    let cli = cli_json(&[
        "search",
        "oversight",
        "--kind",
        "improvement",
        "--explain",
        "-n",
        "50",
        "--json",
    ]);
    assert_eq!(v["hits"].as_array().cloned().unwrap_or_default(), cli);
    assert!(!cli.is_empty());
    for h in &cli {
        assert_eq!(h["kind"], "improvement");
        assert_eq!(h["explain"]["kind"], "improvement");
    }
    let (_, v) = get_json("/api/mentions?name=South+Glos").await;
    assert!(v["passages"].as_u64().is_some_and(|n| n > 0));
    let (status, all) = get_json("/api/docs?n=500").await;
    assert_eq!(status, StatusCode::OK, "{all}");
    let cli = cli_json(&["docs", "--json"]);
    assert_eq!(all["documents"].as_u64(), Some(cli.len() as u64));
    assert_eq!(all["docs"].as_array().cloned().unwrap_or_default(), cli);
    let (_, v) = get_json("/api/docs?type=focused").await;
    let docs = v["docs"].as_array().cloned().unwrap_or_default();
    assert!(!docs.is_empty() && docs.iter().all(|d| d["visit_type"] == "focused visit"));
    let id = docs[0]["doc_id"].as_str().unwrap_or_default().to_string();
    let (status, d) = get_json(&format!("/api/docs/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(d["document"]["doc_id"], id.as_str());
    assert!(d["passages"].as_array().is_some_and(|p| !p.is_empty()));
}

#[tokio::test]
async fn exports_are_what_the_cli_prints() {
    let (status, headers, csv) = get("/api/export.csv?q=%22management+oversight%22").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap_or("")
        .starts_with("text/csv"));
    let cli = ofsearch(&fixture().0)
        .args([
            "search",
            "\"management oversight\"",
            "--all",
            "--format",
            "csv",
        ])
        .output()
        .expect("runs");
    assert_eq!(csv, String::from_utf8_lossy(&cli.stdout));
    let (_, _, jsonl) = get("/api/export.jsonl?q=%22management+oversight%22").await;
    let cli = ofsearch(&fixture().0)
        .args(["search", "\"management oversight\"", "--all", "--json"])
        .output()
        .expect("runs");
    assert_eq!(jsonl, String::from_utf8_lossy(&cli.stdout));
}

#[tokio::test]
async fn errors_are_json_with_a_hint() {
    for (uri, want) in [
        (
            "/api/search?q=date:%5B2019+TO+oops%5D",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/search?q=%22unbalanced", StatusCode::BAD_REQUEST),
        ("/api/search?q=x&n=0", StatusCode::BAD_REQUEST),
        ("/api/search?q=x&page=abc", StatusCode::BAD_REQUEST),
        (
            "/api/search?q=x&authority=Qwertyuiopland",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/search", StatusCode::BAD_REQUEST),
        ("/api/facets?q=x&by=colour", StatusCode::BAD_REQUEST),
        ("/api/mentions", StatusCode::BAD_REQUEST),
        ("/api/docs/000000000000", StatusCode::NOT_FOUND),
        ("/api/nothing-here", StatusCode::NOT_FOUND),
        ("/api/export.exe?q=x", StatusCode::NOT_FOUND),
        ("/api/export.csv?q=%22unbalanced", StatusCode::BAD_REQUEST),
    ] {
        let (status, v) = get_json(uri).await;
        assert_eq!(status, want, "{uri}: {v}");
        assert!(
            v["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{uri}: {v}"
        );
        assert!(v["hint"].is_string(), "{uri}: {v}");
    }
    let long = format!("/api/search?q={}", "a".repeat(5000));
    assert_eq!(get(&long).await.0, StatusCode::BAD_REQUEST);
    // Read-only: nothing but GET.
    let resp = app()
        .oneshot(
            Request::post("/api/search?q=x")
                .body(Body::from("x"))
                .expect("request"),
        )
        .await
        .expect("answered");
    assert_eq!(resp.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn pages_escape_hostile_documents_and_forbid_inline_script() {
    let (status, headers, html) = get("/?q=Leeds+oversight").await;
    assert_eq!(status, StatusCode::OK);
    let csp = headers["content-security-policy"].to_str().unwrap_or("");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert!(headers.get("access-control-allow-origin").is_none());
    assert!(html.contains("Hostile"), "the hostile documents are found");
    for bad in [
        "<script>window",
        "<img src=x",
        "onerror=\"window",
        "href=\"javascript:",
    ] {
        assert!(!html.contains(bad), "{bad} reached the page unescaped");
    }
    assert!(html.contains("&lt;script&gt;") || html.contains("&lt;img"));
    // The document view and the original file.
    let (_, v) = get_json("/api/docs?q=Hostile").await;
    for d in v["docs"].as_array().cloned().unwrap_or_default() {
        let id = d["doc_id"].as_str().unwrap_or_default();
        let (status, _, page) = get(&format!("/doc/{id}?q=oversight")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!page.contains("<script>window") && !page.contains("<img src=x"));
        let (status, headers, _) = get(&format!("/doc/{id}/file")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers["content-disposition"]
            .to_str()
            .unwrap_or("")
            .starts_with("attachment"));
        assert!(headers["content-security-policy"]
            .to_str()
            .unwrap_or("")
            .contains("sandbox"));
    }
    // No path from the request is ever read.
    for uri in [
        "/doc/..%2F..%2Fetc%2Fpasswd/file",
        "/doc/%2Fetc%2Fpasswd/file",
    ] {
        assert_eq!(get(uri).await.0, StatusCode::NOT_FOUND, "{uri}");
    }
}

#[tokio::test]
async fn cors_only_when_asked() {
    let app = router(
        Arc::new(AppState::new(fixture().0.clone())),
        Some("https://example.org"),
    );
    let resp = app
        .oneshot(
            Request::builder()
                .uri("/api/count?q=oversight")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("answered");
    assert_eq!(
        resp.headers()["access-control-allow-origin"],
        "https://example.org"
    );
}

/// A server on a free loopback port, in a thread of its own, for as long as the test runs.
fn spawn_server(index: &Path) -> String {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    std_listener.set_nonblocking(true).expect("nonblocking");
    let addr = std_listener.local_addr().expect("addr");
    let index = index.to_path_buf();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(std_listener).expect("listener");
            let app = router(Arc::new(AppState::new(index)), None);
            let _ = axum::serve(listener, app).await;
        });
    });
    format!("http://{addr}")
}

/// One HTTP GET with a plain client (hyper), returning status and body.
async fn fetch(url: &str) -> Result<(u16, String), String> {
    use hyper_util::client::legacy::Client;
    use hyper_util::rt::TokioExecutor;
    let client: Client<_, http_body_util::Empty<bytes_alias::Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let resp = client
        .get(url.parse().map_err(|e| format!("{e}"))?)
        .await
        .map_err(|e| format!("{e}"))?;
    let status = resp.status().as_u16();
    let body = resp
        .into_body()
        .collect()
        .await
        .map_err(|e| format!("{e}"))?
        .to_bytes();
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}

mod bytes_alias {
    pub use axum::body::Bytes;
}

#[tokio::test]
async fn serves_while_an_ingest_commits_and_sees_the_new_commit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let index = dir.path().join("index");
    ofsearch(&index)
        .arg("ingest")
        .arg(common::corpus())
        .arg("--quiet")
        .assert()
        .success();
    let base = spawn_server(&index);
    let count_url = format!("{base}/api/count?q=oversight");
    let (_, before) = fetch(&count_url).await.expect("first request");
    let before: Value = serde_json::from_str(&before).expect("json");

    let more = dir.path().join("more");
    common::write_query_fixtures(&more);
    let mut ingest = std::process::Command::new(assert_cmd::cargo::cargo_bin("ofsearch"))
        .env("OFSEARCH_INDEX", &index)
        .arg("ingest")
        .arg("--no-prune")
        .arg("--quiet")
        .arg(&more)
        .spawn()
        .expect("ingest starts");
    // Bounded: at most 400 requests or 30 seconds.
    let started = Instant::now();
    let (mut failed, mut sent) = (0, 0);
    let mut seen_new = false;
    while sent < 400 && started.elapsed() < Duration::from_secs(30) {
        sent += 1;
        match fetch(&count_url).await {
            Ok((200, body)) => {
                let v: Value = serde_json::from_str(&body).unwrap_or_default();
                if v["passages"].as_u64() > before["passages"].as_u64() {
                    seen_new = true;
                    break;
                }
            }
            _ => failed += 1,
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ingest.wait().expect("ingest ends").success());
    if !seen_new {
        // The ingest may have finished between two requests: one more look.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let (_, body) = fetch(&count_url).await.expect("request");
        let v: Value = serde_json::from_str(&body).expect("json");
        seen_new = v["passages"].as_u64() > before["passages"].as_u64();
    }
    assert_eq!(
        failed, 0,
        "{failed} of {sent} requests failed during the ingest"
    );
    assert!(seen_new, "the new commit was not served");
}

/// chromedriver on a free port, when installed.
struct Driver {
    child: std::process::Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromedriver() -> Option<Driver> {
    let bin = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    let Some(bin) = bin else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("chromedriver is missing under CI: .ci/run installs chromium-driver");
        }
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipping the browser tests: no chromedriver (apt-get install chromium chromium-driver)"
        );
        return None;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port");
    let child = std::process::Command::new(bin)
        .arg(format!("--port={port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(Driver { child, url })
}

async fn browser(driver: &Driver) -> fantoccini::Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1280,1000"]
        }),
    );
    fantoccini::ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a browser session")
}

fn screenshot_dir() -> PathBuf {
    let dir = common::root().join("target").join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// Save a screenshot of the browser's window under `dir`.
async fn shot(c: &fantoccini::Client, dir: &Path, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join(name), png).expect("save the screenshot");
}

/// The text of an element just looked up (the test fails naming `what` when
/// it is missing).
async fn text_of(
    found: Result<fantoccini::elements::Element, fantoccini::error::CmdError>,
    what: &str,
) -> String {
    let element = found.unwrap_or_else(|e| panic!("{what}: {e}"));
    element
        .text()
        .await
        .unwrap_or_else(|e| panic!("text of {what}: {e}"))
}

async fn active_id(c: &fantoccini::Client) -> String {
    c.execute("return document.activeElement ? (document.activeElement.id || document.activeElement.tagName) : ''", vec![])
        .await
        .expect("script")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_in_a_real_browser() {
    let Some(driver) = chromedriver() else {
        return;
    };
    use fantoccini::{key::Key, Locator};
    let base = spawn_server(&fixture().0);
    let c = browser(&driver).await;
    let shots = screenshot_dir();

    // Type a query.
    c.goto(&format!("{base}/")).await.expect("home");
    shot(&c, &shots, "home.png").await;
    let q = c.find(Locator::Id("q")).await.expect("search box");
    q.send_keys("\"management oversight\"").await.expect("type");
    q.send_keys(&String::from(char::from(Key::Enter)))
        .await
        .expect("enter");
    let count = c
        .wait()
        .for_element(Locator::Id("count"))
        .await
        .expect("count");
    let said = count.text().await.expect("text");
    let cli = cli_json(&["search", "\"management oversight\"", "--count", "--json"]);
    assert!(
        said.starts_with(&format!(
            "{} passages in {} documents",
            cli[0]["passages"], cli[0]["documents"]
        )),
        "{said}"
    );
    assert_eq!(
        count.attr("aria-live").await.expect("attr").as_deref(),
        Some("polite")
    );
    let marks = c
        .find_all(Locator::Css("li.hit mark"))
        .await
        .expect("marks");
    assert!(!marks.is_empty(), "matches are highlighted");
    shot(&c, &shots, "results.png").await;
    // The query's trend, drawn as `ofsearch trend` draws it, with tooltips.
    c.find(Locator::Css("details.trend summary"))
        .await
        .expect("trend")
        .click()
        .await
        .expect("open");
    let tips = c
        .find_all(Locator::Css("details.trend svg title"))
        .await
        .expect("tooltips");
    assert!(!tips.is_empty(), "each point has its counts");
    shot(&c, &shots, "trend.png").await;

    // The CSV link of this view gives what the CLI prints.
    let href = c
        .find(Locator::LinkText("CSV"))
        .await
        .expect("CSV link")
        .attr("href")
        .await
        .expect("href")
        .unwrap_or_default();
    let csv = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done, e => done('ERR ' + e));",
            vec![Value::String(href)],
        )
        .await
        .expect("fetch");
    let cli_csv = ofsearch(&fixture().0)
        .args([
            "search",
            "\"management oversight\"",
            "--all",
            "--format",
            "csv",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        csv.as_str().unwrap_or_default(),
        String::from_utf8_lossy(&cli_csv.stdout)
    );

    // Click a facet, then click it again to remove it.
    let facet = c
        .find(Locator::Css("section.facet a[data-param=authority]"))
        .await
        .expect("an authority facet");
    let value = text_of(facet.find(Locator::Css(".value")).await, "value").await;
    facet.click().await.expect("click");
    let on = c
        .wait()
        .for_element(Locator::Css("section.facet a.on"))
        .await
        .expect("active facet");
    assert_eq!(
        text_of(on.find(Locator::Css(".value")).await, "value").await,
        value
    );
    let url = c.current_url().await.expect("url");
    assert!(url.query().unwrap_or("").contains("authority="), "{url}");
    on.click().await.expect("click again");
    c.wait()
        .for_element(Locator::Id("count"))
        .await
        .expect("page");
    assert!(!c
        .current_url()
        .await
        .expect("url")
        .query()
        .unwrap_or("")
        .contains("authority="));

    // Page through.
    c.goto(&format!("{base}/?q=oversight&n=2"))
        .await
        .expect("page 1");
    c.find(Locator::Css("a[rel=next]"))
        .await
        .expect("next")
        .click()
        .await
        .expect("click");
    c.wait()
        .for_element(Locator::Css("nav.pages [aria-current=page]"))
        .await
        .expect("pager");
    let current = text_of(
        c.find(Locator::Css("nav.pages [aria-current=page]")).await,
        "current",
    )
    .await;
    assert_eq!(current, "2");

    // Keyboard: "/" focuses the box; j moves to a result; Enter opens it.
    let body = c.find(Locator::Css("body")).await.expect("body");
    body.send_keys("/").await.expect("slash");
    assert_eq!(active_id(&c).await, "q");
    c.execute("document.activeElement.blur()", vec![])
        .await
        .expect("blur");
    body.send_keys("j").await.expect("j");
    assert_eq!(active_id(&c).await, "LI");
    body.send_keys("j").await.expect("j");
    body.send_keys("k").await.expect("k");
    body.send_keys(&String::from(char::from(Key::Enter)))
        .await
        .expect("enter");
    c.wait()
        .for_element(Locator::Css("main.document"))
        .await
        .expect("document view");
    assert!(c
        .current_url()
        .await
        .expect("url")
        .path()
        .starts_with("/doc/"));
    let focus = c
        .find_all(Locator::Css("p.passage.focus"))
        .await
        .expect("focus");
    assert_eq!(focus.len(), 1, "the clicked passage is marked");
    shot(&c, &shots, "document.png").await;

    // A bad query keeps what was typed and says what is wrong.
    c.goto(&format!("{base}/?q=date:%5B2019+TO+oops%5D"))
        .await
        .expect("bad");
    let err = text_of(c.find(Locator::Id("error")).await, "error").await;
    assert!(
        err.contains("impossible date 'oops'") && err.contains("hint:"),
        "{err}"
    );
    let typed = c
        .find(Locator::Id("q"))
        .await
        .expect("box")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(typed.as_deref(), Some("date:[2019 TO oops]"));

    // The hostile documents are shown, and none of their script runs.
    c.goto(&format!("{base}/?q=Leeds+oversight"))
        .await
        .expect("hostile");
    let shown = c.find_all(Locator::Css("li.hit")).await.expect("hits");
    assert!(!shown.is_empty());
    for link in c
        .find_all(Locator::Css("li.hit a.open"))
        .await
        .expect("links")
    {
        let href = link.attr("href").await.expect("href").unwrap_or_default();
        c.goto(&format!("{base}{}", href.trim_start_matches(&base)))
            .await
            .expect("open");
        let pwned = c
            .execute(
                "return window.__pwned === undefined ? null : window.__pwned",
                vec![],
            )
            .await
            .expect("script");
        assert!(pwned.is_null(), "a hostile document ran script: {pwned}");
        c.back().await.expect("back");
    }
    let pwned = c
        .execute(
            "return window.__pwned === undefined ? null : window.__pwned",
            vec![],
        )
        .await
        .expect("script");
    assert!(pwned.is_null());

    // A phone-width window: the layout stacks.
    c.set_window_size(390, 844).await.expect("resize");
    c.goto(&format!("{base}/?q=%22management+oversight%22"))
        .await
        .expect("phone");
    shot(&c, &shots, "phone.png").await;
    let width: f64 = c
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .expect("width")
        .as_f64()
        .unwrap_or(9999.0);
    assert!(
        width <= 400.0,
        "no sideways scrolling on a phone: {width}px"
    );
    c.close().await.expect("close");
}
