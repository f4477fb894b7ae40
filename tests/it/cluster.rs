//! `export --to sphinx` and `search --engine`: a real Sphinx cluster on
//! loopback (two shard `searchd`s and an aggregator, started here) over the
//! real letters and reports, answering as ofsearch does. Skips, saying why,
//! without `searchd`/`indexer` (Debian's `sphinxsearch`) unless `CI=true`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, json_lines, ofsearch};

/// How long a daemon may take to listen, and the indexer to finish.
const START_TIMEOUT: Duration = Duration::from_secs(30);
const INDEXER_TIMEOUT: Duration = Duration::from_secs(300);

/// Whether Sphinx's programs are installed; under CI they must be.
fn sphinx_installed() -> bool {
    let found = ["searchd", "indexer"].iter().all(|p| {
        Command::new(p)
            .arg("--help")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    });
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("searchd/indexer are missing under CI: .ci/run installs sphinxsearch");
        }
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipping the Sphinx cluster test: searchd/indexer not found (apt-get install sphinxsearch)"
        );
    }
    found
}

/// The daemons started here: killed and reaped when dropped, even when a test fails.
#[derive(Default)]
struct Daemons(Vec<(String, Child)>);

impl Daemons {
    fn start(&mut self, name: &str, config: &Path, port: u16) {
        let child = Command::new("searchd")
            .arg("--config")
            .arg(config)
            .arg("--nodetach")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("searchd starts");
        self.0.push((name.to_string(), child));
        let deadline = Instant::now() + START_TIMEOUT;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(
                Instant::now() < deadline,
                "{name} does not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn stop(&mut self, name: &str) {
        if let Some(i) = self.0.iter().position(|(n, _)| n == name) {
            let (_, mut child) = self.0.remove(i);
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Daemons {
    fn drop(&mut self) {
        for (_, child) in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `n` consecutive free loopback ports.
fn free_ports(n: usize) -> u16 {
    for _ in 0..200 {
        let first = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        if usize::from(first) + n >= usize::from(u16::MAX) {
            continue;
        }
        let held: Vec<_> = (0..n as u16)
            .map(|k| TcpListener::bind(("127.0.0.1", first + k)))
            .collect();
        if held.iter().all(Result::is_ok) {
            return first;
        }
    }
    panic!("no {n} consecutive free ports on 127.0.0.1");
}

/// Run `indexer` over one shard's configuration, bounded in time.
fn index_shard(config: &Path) {
    let mut child = Command::new("indexer")
        .arg("--config")
        .arg(config)
        .arg("--all")
        .arg("--quiet")
        .stdout(Stdio::null())
        .spawn()
        .expect("indexer starts");
    let deadline = Instant::now() + INDEXER_TIMEOUT;
    loop {
        if let Some(status) = child.try_wait().expect("indexer runs") {
            assert!(status.success(), "indexer failed on {}", config.display());
            return;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "indexer took over {INDEXER_TIMEOUT:?} on {}",
                config.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The counts line of `search --count --json`, and the exit status.
fn count(index: &Path, engine: Option<&str>, args: &[&str]) -> (String, Option<i32>, String) {
    let mut cmd = ofsearch(index);
    cmd.arg("search").arg("--count").arg("--json");
    if let Some(url) = engine {
        cmd.arg("--engine").arg(url);
    }
    let out = cmd.args(args).output().expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).trim().to_string(),
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// The passages (path, paragraph) of a search's hits, sorted.
fn passages(index: &Path, engine: Option<&str>, query: &str) -> Vec<(String, u64)> {
    let mut cmd = ofsearch(index);
    cmd.args(["search", "--json", "-n", "10"]);
    if let Some(url) = engine {
        cmd.arg("--engine").arg(url);
    }
    let mut out: Vec<(String, u64)> = json_lines(cmd.arg(query))
        .iter()
        .map(|h| {
            (
                h["path"].as_str().unwrap_or_default().to_string(),
                h["paragraph"].as_u64().unwrap_or(u64::MAX),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_sphinx_cluster_counts_as_ofsearch_does_and_says_when_a_shard_is_missing() {
    let Some(shared) = common::shared_for("the Sphinx cluster test") else {
        return;
    };
    if !sphinx_installed() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let index = tmp.path().join("index");
    // Every letter and every third report: the real corpus's mix in a third of the ingest time.
    let corpus = shared.join("corpus");
    let mut files = common::pdfs(&corpus.join("ofsted-letters"), 1);
    files.extend(common::pdfs(&corpus.join("ofsted-reports"), 3));
    assert!(files.len() > 100, "too few PDFs in {}", corpus.display());
    ofsearch(&index)
        .arg("ingest")
        .args(&files)
        .arg("--quiet")
        .assert()
        .success();

    // The aggregator's port, then the shards'.
    let port = free_ports(3);
    let shard_port = port + 1;
    let out = tmp.path().join("sphinx");
    ofsearch(&index)
        .args(["export", "--to", "sphinx", "--shards", "2"])
        .arg(&out)
        .args([
            "--port",
            &port.to_string(),
            "--shard-port",
            &shard_port.to_string(),
        ])
        .assert()
        .success();
    let mut daemons = Daemons::default();
    for k in 0..2u16 {
        let config = out.join(format!("shard-{k}.conf"));
        index_shard(&config);
        daemons.start(&format!("shard-{k}"), &config, shard_port + k);
    }
    daemons.start("aggregator", &out.join("sphinx.conf"), port);
    let url = format!("sphinx://127.0.0.1:{port}");

    // Words, phrases, OR, NOT, acronyms and the filters: the same counts.
    let queries: &[&[&str]] = &[
        &["oversight"],
        &["\"management oversight\""],
        &["\"children in care\""],
        &["\"care leavers\""],
        &["decision-making"],
        &["IRO"],
        &["independent reviewing officer"],
        &["oversight -management"],
        &["oversight OR \"care leavers\""],
        &["-oversight"],
        &["neglect type:focused"],
        &["neglect date:[2019 TO 2021]"],
        &["\"management oversight\"", "--authority", "Wigan"],
        &[
            "\"children in care\"",
            "--type",
            "focused",
            "--type",
            "monitoring",
        ],
        &["inadequate judgement:inadequate"],
        &["kind:recommendation"],
        &["neglect", "--since", "2020", "--until", "2021-06"],
        &["supervision", "--inspector", "brenda mcinerney"],
        &["date:[* TO *]"],
        &["children", "--exact"],
        &["exploitation", "--type", "focused"],
    ];
    let mut compared = Vec::new();
    for args in queries {
        let (local, _, _) = count(&index, None, args);
        let (cluster, status, stderr) = count(&index, Some(&url), args);
        assert_eq!(
            status,
            Some(if local.contains("\"passages\":0") {
                1
            } else {
                0
            }),
            "{args:?}: {stderr}"
        );
        assert_eq!(cluster, local, "{args:?}");
        compared.push(format!("{args:?} {local}"));
    }
    assert!(
        compared
            .iter()
            .filter(|c| !c.contains("\"passages\":0"))
            .count()
            >= 18,
        "too many queries match nothing: {compared:#?}"
    );
    // Printed for the record (`cargo test -- --nocapture`).
    println!("cluster counts equal ofsearch's:\n{}", compared.join("\n"));

    // A rare phrase (10 hits at most): the same passages (any order).
    let rare = [
        "\"modern slavery\"",
        "\"female genital mutilation\"",
        "\"unregistered children's homes\"",
        "\"staff turnover\"",
    ]
    .into_iter()
    .find(|q| {
        let (local, _, _) = count(&index, None, &[q]);
        let n: serde_json::Value = serde_json::from_str(&local).unwrap_or_default();
        (1..=10).contains(&n["passages"].as_u64().unwrap_or(0))
    })
    .expect("a phrase with 1 to 10 hits");
    let top = passages(&index, None, rare);
    assert_eq!(passages(&index, Some(&url), rare), top, "{rare}");
    println!("{rare}: the same {} passages", top.len());

    // Proximity is near, not equal (and said so): for two words, never fewer.
    let near = ["\"care plans\"~2"];
    let (local, _, _) = count(&index, None, &near);
    let (cluster, _, stderr) = count(&index, Some(&url), &near);
    let passages = |line: &str| {
        serde_json::from_str::<serde_json::Value>(line).unwrap_or_default()["passages"]
            .as_u64()
            .unwrap_or(0)
    };
    assert!(
        passages(&cluster) >= passages(&local),
        "{cluster} vs {local}"
    );
    assert!(stderr.contains("near, not exact"), "{stderr}");

    // What the engine cannot run is refused, by name.
    let (_, status, stderr) = count(&index, Some(&url), &["supervis*"]);
    assert_eq!(status, Some(2));
    assert!(stderr.contains("cannot run 'supervis*'"), "{stderr}");

    // One shard down: the aggregator still answers, and the CLI says the answer is partial.
    let (whole, _, _) = count(&index, Some(&url), &["oversight"]);
    daemons.stop("shard-1");
    let (part, status, stderr) = count(&index, Some(&url), &["oversight"]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(stderr.contains("ofsearch: partial answer:"), "{stderr}");
    assert!(
        part.contains("\"passages\":") && part != whole,
        "{part} vs {whole}"
    );
    let out = ofsearch(&index)
        .args(["search", "--engine", &url, "oversight"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stdout.is_empty(), "the hits found are still printed");
    assert!(String::from_utf8_lossy(&out.stderr).contains("partial answer"));
}

#[test]
fn an_opensearch_export_is_chunked_and_its_ids_are_stable() {
    let index = common::seed_index();
    let export = |dir: &Path| {
        ofsearch(index.path())
            .args(["export", "--to", "opensearch"])
            .arg(dir)
            .assert()
            .success();
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("export folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "ndjson"))
            .collect();
        files.sort();
        let mut ids = Vec::new();
        for f in &files {
            let bytes = std::fs::read(f).expect("bulk file");
            assert!(
                bytes.len() <= 10_000_000,
                "{} is {} bytes",
                f.display(),
                bytes.len()
            );
            let text = String::from_utf8(bytes).expect("utf-8");
            let lines: Vec<serde_json::Value> = text
                .lines()
                .map(|l| serde_json::from_str(l).expect("a JSON line"))
                .collect();
            assert_eq!(lines.len() % 2, 0, "action and document pairs");
            for pair in lines.chunks(2) {
                let id = pair[0]["index"]["_id"].as_str().expect("an id").to_string();
                let doc = &pair[1];
                assert_eq!(
                    id,
                    format!(
                        "{}-{}",
                        doc["doc_id"].as_str().unwrap_or(""),
                        doc["paragraph"]
                    )
                );
                assert!(doc["text"].is_string() && doc["authority"].is_array());
                ids.push(id);
            }
        }
        ids
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let first = export(&tmp.path().join("a"));
    assert!(!first.is_empty());
    let mut distinct = first.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), first.len(), "ids are unique");
    assert_eq!(
        export(&tmp.path().join("b")),
        first,
        "ids are the same on every run"
    );
    let mapping: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("a").join("mapping.json")).expect("mapping"),
    )
    .expect("mapping JSON");
    let props = &mapping["mappings"]["properties"];
    assert_eq!(props["text"]["fields"]["exact"]["type"], "text");
    assert_eq!(props["authority"]["type"], "keyword");
}
