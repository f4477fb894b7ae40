//! Helpers shared by the end-to-end tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root.
pub fn root() -> PathBuf {
    // Read when the test runs, not when it was compiled: two checkouts that
    // share a target folder may run one build of the tests.
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// The bundled corpus.
pub fn corpus() -> PathBuf {
    root().join("corpus")
}

/// `ofsearch` with the index at `index`.
pub fn ofsearch(index: &Path) -> Command {
    let mut cmd = Command::cargo_bin("ofsearch").expect("binary built");
    cmd.env("OFSEARCH_INDEX", index).env_remove("NO_COLOR");
    cmd
}

/// A temporary index built from the bundled corpus.
pub fn seed_index() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    ofsearch(dir.path())
        .arg("ingest")
        .arg(corpus())
        .arg("--quiet")
        .assert()
        .success();
    dir
}

/// Run and parse JSON lines from stdout.
pub fn json_lines(cmd: &mut Command) -> Vec<serde_json::Value> {
    let out = cmd.output().expect("runs");
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

/// `../shared` beside the repository, when present. Under CI it must exist;
/// elsewhere its absence skips `what`, said in one line on the terminal.
/// `OFSEARCH_SHARED` names another place for it: `.ci/run` points it at
/// nothing to run the tests as a clone alone would, without a second build.
pub fn shared_for(what: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("OFSEARCH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("..").join("shared"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("../shared is missing under CI: {}", dir.display());
    }
    // Straight to stderr: the test harness captures eprintln!, and a skip must be seen.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipping {what}: ../shared not found at {} (it holds the real letters, reports and news pages)",
        dir.display()
    );
    None
}

/// The PDFs of `folder` in name order, every `step`-th of them.
pub fn pdfs(folder: &Path, step: usize) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    files.into_iter().step_by(step.max(1)).collect()
}

/// [`shared_for`] for a test that does not say what it skips.
pub fn shared() -> Option<PathBuf> {
    shared_for("a test over ../shared")
}

/// Documents made for the query-language tests, so they test something real
/// without ../shared: an inspection report and a focused-visit letter as text.
pub fn write_query_fixtures(dir: &Path) {
    let report = "Inspection of Derby local authority children's services

Inspection dates: 7 to 18 November 2022

Lead inspector: Alex Example, His Majesty's Inspector

Judgement Grade

The impact of leaders on social work practice with children and families Inadequate

The experiences and progress of children who need help and protection Inadequate

The experiences and progress of children in care Requires improvement to be good

The experiences and progress of care leavers Requires improvement to be good

Overall effectiveness Inadequate

Main findings

Team managers hold regular management discussion and oversight of children's plans, but it does not improve practice.

Children are supervised during family time. Managers supervise newly qualified workers closely.

The LADO responds to allegations against staff quickly.

Work under the PLO is timely.

Strategy meetings for children at risk of neglect are prompt, and the abuse strategy is clear.

Oversight by senior leaders of the front door is not strong enough.
";
    let letter = "12 March 2020

Dear Director

Focused visit to Doncaster children's services

This letter summarises the findings of the focused visit to Doncaster children's services on 4 and 5 February 2020. Her Majesty's Inspectors for this visit were Ann Example and Bob Example.

Headline findings

Independent reviewing officers have good oversight of plans for children in care.

Yours sincerely

Ann Example
Her Majesty's Inspector
";
    std::fs::create_dir_all(dir).expect("fixture folder");
    std::fs::write(dir.join("derby-report.txt"), report).expect("write fixture");
    std::fs::write(dir.join("doncaster-letter.txt"), letter).expect("write fixture");
}

/// File name of a hit's path.
pub fn file_of(hit: &serde_json::Value) -> String {
    let path = hit["path"].as_str().unwrap_or_default();
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A PDF built by hand from numbered object bodies (object `i + 1` is
/// `objects[i]`), with a correct xref table; `trailer_extra` is added to the
/// trailer dictionary (e.g. an `/Encrypt` entry).
pub fn pdf_from_objects(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A stream object body holding `data`.
pub fn pdf_stream(dict_extra: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< /Length {} {dict_extra} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

/// A one-page PDF that shows `text` (plain ASCII, no parentheses).
pub fn simple_pdf(text: &str) -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 72 712 Td ({text}) Tj ET");
    pdf_from_objects(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_vec(),
            pdf_stream("", content.as_bytes()),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
        ],
        "",
    )
}

/// A PDF of several pages, each showing its lines top to bottom (plain
/// ASCII, no parentheses); an empty line leaves a paragraph's gap.
pub fn pages_pdf(pages: &[&[&str]]) -> Vec<u8> {
    let first = 4; // objects 1-3: catalog, page tree, font
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", first + 2 * i))
        .collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        )
        .into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for (i, lines) in pages.iter().enumerate() {
        let mut content = String::from("BT /F1 11 Tf 72 740 Td");
        for line in *lines {
            if line.is_empty() {
                content.push_str(" 0 -16 Td");
            } else {
                content.push_str(&format!(" ({line}) Tj 0 -14 Td"));
            }
        }
        content.push_str(" ET");
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {} 0 R \
                 /Resources << /Font << /F1 3 0 R >> >> >>",
                first + 2 * i + 1
            )
            .into_bytes(),
        );
        objects.push(pdf_stream("", content.as_bytes()));
    }
    pdf_from_objects(&objects, "")
}

/// Deterministic pseudo-random bytes (xorshift), for fixtures.
pub fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// One request answered by a router in process: status, headers and body.
pub async fn answer(
    app: axum::Router,
    uri: &str,
) -> (axum::http::StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .uri(uri)
        .body(axum::body::Body::empty())
        .expect("request");
    let resp = app.oneshot(request).await.expect("answered");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.expect("body").to_bytes();
    (status, headers, bytes.to_vec())
}
