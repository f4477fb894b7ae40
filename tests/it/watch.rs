//! Saved searches end to end: `watch add/list/rm`, reading what is new after
//! an ingest (exactly the hits `search` finds in the new documents, never
//! twice), the lines `ingest` ends with, damaged watches, and the Atom feeds
//! of `serve` validated by a feed parser (feed-rs).

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::Value;

use common::{json_lines, ofsearch};

/// The bundled corpus copied to `dir` (so a test may add to it).
fn copy_corpus(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    for entry in std::fs::read_dir(common::corpus()).expect("corpus") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
}

fn ingest(index: &Path, docs: &Path) -> String {
    let out = ofsearch(index)
        .args(["ingest"])
        .arg(docs)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// (path, paragraph) of every hit.
fn places(hits: &[Value]) -> BTreeSet<(String, u64)> {
    hits.iter()
        .map(|h| {
            (
                h["path"].as_str().expect("path").to_string(),
                h["paragraph"].as_u64().expect("paragraph"),
            )
        })
        .collect()
}

/// Save each (name, search arguments) as a watch.
fn add_watches(index: &Path, watches: &[(&str, &[&str])]) {
    for (name, args) in watches {
        ofsearch(index)
            .args(["watch", "add", name])
            .args(*args)
            .assert()
            .success();
    }
}

fn watch_json(index: &Path, args: &[&str]) -> (i32, Vec<Value>) {
    let out = ofsearch(index)
        .arg("watch")
        .args(args)
        .arg("--json")
        .output()
        .expect("runs");
    let lines = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    (out.status.code().expect("exit code"), lines)
}

#[test]
fn a_watch_lists_exactly_the_hits_in_new_documents_and_never_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (index, old, new) = (
        dir.path().join("index"),
        dir.path().join("old"),
        dir.path().join("new"),
    );
    copy_corpus(&old);
    ingest(&index, &old);
    let queries: [(&str, &[&str]); 3] = [
        ("oversight", &["oversight"]),
        ("words", &["management oversight"]),
        ("derby-only", &["", "--authority", "Derby"]),
    ];
    add_watches(&index, &queries);
    // Nothing is new yet: exit 1, nothing printed.
    let (code, hits) = watch_json(&index, &[]);
    assert_eq!((code, hits.len()), (1, 0));

    common::write_query_fixtures(&new);
    let said = ingest(&index, &new);
    assert!(
        said.contains("ofsearch: watch \"oversight\": 2 new documents"),
        "{said}"
    );
    assert!(
        said.contains("ofsearch: watch \"derby-only\": 1 new document\n"),
        "{said}"
    );

    let new_prefix = new.display().to_string();
    for (name, args) in &queries {
        let mut search = ofsearch(&index);
        search
            .args(["search", args[0], "--all", "--json"])
            .args(&args[1..]);
        let expected: BTreeSet<_> = places(&json_lines(&mut search))
            .into_iter()
            .filter(|(p, _)| p.starts_with(&new_prefix))
            .collect();
        assert!(!expected.is_empty(), "{name}: the new documents match");
        let (code, hits) = watch_json(&index, &[name]);
        assert_eq!(code, 0, "{name}");
        assert!(hits.iter().all(|h| h["watch"] == *name));
        assert_eq!(
            places(&hits),
            expected,
            "{name}: the hits of search in the new documents"
        );
        assert_eq!(hits.len(), expected.len(), "{name}: no hit twice");
        // Newest document first.
        let dates: Vec<&str> = hits.iter().filter_map(|h| h["date"].as_str()).collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{name}: {dates:?}");
        // Read once: nothing the second time.
        let (code, again) = watch_json(&index, &[name]);
        assert_eq!((code, again.len()), (1, 0), "{name}");
    }

    // A changed file is the same document, not a new one.
    let letter = new.join("doncaster-letter.txt");
    let text = std::fs::read_to_string(&letter).expect("read")
        + "\nOversight of plans has improved since.\n";
    std::fs::write(&letter, text).expect("write");
    ingest(&index, &new);
    assert_eq!(watch_json(&index, &["oversight"]).0, 1);

    // --since looks back without marking: every hit of the search.
    let mut all = ofsearch(&index);
    all.args(["search", "oversight", "--all", "--json"]);
    let everything = places(&json_lines(&mut all));
    for _ in 0..2 {
        let (code, hits) = watch_json(&index, &["oversight", "--since", "2000-01-01"]);
        assert_eq!(code, 0);
        assert_eq!(places(&hits), everything);
    }
    // One table for every watch: the header once, the watch's name first.
    let out = ofsearch(&index)
        .args(["watch", "--since", "2000-01-01", "--format", "csv"])
        .output()
        .expect("runs");
    let csv = String::from_utf8(out.stdout).expect("utf-8");
    assert!(csv.starts_with("watch,path,"), "{csv}");
    assert_eq!(csv.matches("watch,path,").count(), 1);
    for (name, _) in &queries {
        assert!(
            csv.lines().any(|l| l.starts_with(&format!("{name},"))),
            "{name}"
        );
    }
    // Text heads each watch with what is new.
    let out = ofsearch(&index)
        .args(["watch", "--no-mark"])
        .output()
        .expect("runs");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.contains("watch \"words\": nothing indexed since "),
        "{text}"
    );

    ofsearch(&index)
        .args(["watch", "rm", "words", "derby-only"])
        .assert()
        .success();
    let (code, listed) = {
        let out = ofsearch(&index)
            .args(["watch", "list", "--json"])
            .output()
            .expect("runs");
        (
            out.status.code(),
            String::from_utf8(out.stdout).expect("utf-8"),
        )
    };
    assert_eq!(code, Some(0));
    let names: Vec<Value> = listed
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json")["name"].clone())
        .collect();
    assert_eq!(names, ["oversight"]);
}

#[test]
fn damaged_watches_name_themselves_and_spare_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (index, docs) = (dir.path().join("index"), dir.path().join("docs"));
    copy_corpus(&docs);
    ingest(&index, &docs);
    ofsearch(&index)
        .args(["watch", "add", "good", "oversight"])
        .assert()
        .success();
    for (args, why) in [
        (&["watch", "add", "good", "x"][..], "exists already"),
        (&["watch", "add", "a b", "x"][..], "cannot name a watch"),
        (&["watch", "add", "list", "x"][..], "cannot name a watch"),
        (
            &["watch", "add", "empty", ""][..],
            "give a query or a filter",
        ),
        (
            &["watch", "add", "bad", "(unclosed"][..],
            "unbalanced parenthesis",
        ),
    ] {
        let out = ofsearch(&index).args(args).output().expect("runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            err.contains(why) && err.lines().count() == 1,
            "{args:?}: {err}"
        );
    }
    let file = index.join("watches.jsonl");
    let mut text = std::fs::read_to_string(&file).expect("watches file");
    let created = r#""created":"2026-01-01T00:00:00Z","seen":"2026-01-01T00:00:00Z""#;
    text.push_str(&format!("{{\"name\":\"old-field\",\"query\":\"x\",\"filters\":{{\"region\":[\"north\"]}},{created}}}\n"));
    text.push_str(&format!(
        "{{\"name\":\"old-query\",\"query\":\"region:north oversight\",{created}}}\n"
    ));
    text.push_str("{\"name\":\"mangled\",\"query\":\n");
    std::fs::write(&file, text).expect("write");

    let out = ofsearch(&index)
        .args(["watch", "--since", "2000-01-01"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("watch \"good\": "),
        "the sound watch still answers: {stdout}"
    );
    assert!(
        err.contains("watch \"old-field\": unknown filter field \"region\""),
        "{err}"
    );
    assert!(
        err.contains(
            "watch \"old-query\": its query does not parse: bad query: unknown field 'region:'"
        ),
        "{err}"
    );
    assert!(
        err.contains("watch on line 5 of ") && err.contains("ofsearch watch rm line-5"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 3, "one line each: {err}");

    let out = ofsearch(&index)
        .args(["watch", "old-field"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let out = ofsearch(&index)
        .args(["watch", "nope"])
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no watch named \"nope\" (watches: good, old-field, old-query, line-5)"),
        "{err}"
    );
    let out = ofsearch(&index)
        .args(["watch", "list"])
        .output()
        .expect("runs");
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(
        listed.contains("line-5") && listed.contains("damaged"),
        "{listed}"
    );
    // Reading marks the sound watch and keeps the damaged lines as they were.
    ofsearch(&index).args(["watch", "good"]).assert().code(1);
    let after = std::fs::read_to_string(&file).expect("watches file");
    assert!(
        after.ends_with("{\"name\":\"mangled\",\"query\":\n"),
        "{after}"
    );
    ofsearch(&index)
        .args(["watch", "rm", "line-5", "old-field"])
        .assert()
        .success();
    let after = std::fs::read_to_string(&file).expect("watches file");
    assert!(
        !after.contains("mangled") && !after.contains("old-field") && after.contains("old-query")
    );
}

#[tokio::test]
async fn feeds_are_valid_atom_of_the_newest_matching_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (index, docs) = (dir.path().join("index"), dir.path().join("docs"));
    copy_corpus(&docs);
    common::write_query_fixtures(&docs);
    ingest(&index, &docs);
    ofsearch(&index)
        .args([
            "watch",
            "add",
            "oversight-sg",
            "oversight",
            "--authority",
            "South Glos",
        ])
        .assert()
        .success();
    let app = || {
        ofsearch::serve::router(
            Arc::new(ofsearch::serve::AppState::new(index.clone())),
            None,
        )
    };

    for (uri, cli) in [
        ("/feed.atom?q=oversight", &["oversight"][..]),
        (
            "/watch/oversight-sg.atom",
            &["oversight", "--authority", "South Glos"][..],
        ),
    ] {
        let (status, headers, body) = common::answer(app(), uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert_eq!(
            headers["content-type"],
            "application/atom+xml; charset=utf-8"
        );
        let feed =
            feed_rs::parser::parse(&body[..]).unwrap_or_else(|e| panic!("{uri}: not a feed: {e}"));
        assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
        assert!(feed.id.starts_with("http://") && feed.title.is_some() && feed.updated.is_some());
        // Every entry carries its own id, title, updated and link (feed-rs
        // would make up an id that is missing, so they are counted too).
        let xml = String::from_utf8(body.clone()).expect("utf-8");
        assert_eq!(xml.matches("<entry>").count(), feed.entries.len());
        assert_eq!(
            xml.matches("<id>urn:ofsearch:doc:").count(),
            feed.entries.len()
        );
        let mut grouped = ofsearch(&index);
        grouped
            .args(["search", "--group-by", "doc", "--all", "--json"])
            .args(cli);
        let groups = json_lines(&mut grouped);
        assert_eq!(
            feed.entries.len(),
            groups.len(),
            "{uri}: one entry per matching document"
        );
        let ids: BTreeSet<String> = feed.entries.iter().map(|e| e.id.clone()).collect();
        let want: BTreeSet<String> = groups
            .iter()
            .map(|g| format!("urn:ofsearch:doc:{}", g["doc_id"].as_str().expect("doc_id")))
            .collect();
        assert_eq!(ids, want, "{uri}");
        let mut last = None;
        for e in &feed.entries {
            assert!(e.title.is_some() && e.updated.is_some(), "{uri}: {e:?}");
            let summary = e.summary.as_ref().expect("summary").content.to_lowercase();
            assert!(
                summary.contains("oversight"),
                "{uri}: the best passage: {summary}"
            );
            let link = &e.links[0].href;
            assert!(
                link.starts_with("http://") && link.contains("/doc/"),
                "{link}"
            );
            // Newest first: dated documents by date, undated after.
            if let Some(p) = e.published {
                assert!(last.is_none_or(|l| l >= p), "{uri}: not newest first");
                last = Some(p);
            }
        }
    }
    let (status, _, body) = common::answer(app(), "/watch/nope.atom").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(String::from_utf8_lossy(&body).contains("no watch named \\\"nope\\\""));

    // The results page's subscribe link is the same search as a feed.
    let page_query = "q=%22management+oversight%22&authority=South+Gloucestershire&type=focused&since=2019&exact=1&sort=date&page=2";
    let (_, _, page) = common::answer(app(), &format!("/?{page_query}")).await;
    let page = String::from_utf8(page).expect("utf-8");
    let href = page
        .split("class=\"subscribe\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a subscribe link")
        .replace("&amp;", "&");
    let (path, query) = href.split_once('?').expect("a query string");
    assert_eq!(path, "/feed.atom");
    let linked = ofsearch::serve::params::Params::parse(Some(query)).expect("parses");
    let asked = ofsearch::serve::params::Params::parse(Some(page_query)).expect("parses");
    assert_eq!(
        (&linked.q, &linked.filters, linked.exact),
        (&asked.q, &asked.filters, asked.exact)
    );
    assert!(page.contains(&format!("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"New matching documents\" href=\"{}\"", href.replace('&', "&amp;"))));
    let (status, _, body) = common::answer(app(), &href).await;
    assert_eq!(status, StatusCode::OK);
    feed_rs::parser::parse(&body[..]).expect("the subscribed feed parses");
}

#[test]
fn on_the_real_letters_a_watch_reads_exactly_the_new_letters_hits() {
    let Some(shared) = common::shared_for("watches over the real focused-visit letters") else {
        return;
    };
    let mut letters = common::pdfs(&shared.join("corpus/ofsted-letters"), 1);
    let later = letters.split_off(letters.len() * 2 / 3);
    let dir = tempfile::tempdir().expect("tempdir");
    let index = dir.path().join("index");
    ofsearch(&index)
        .arg("ingest")
        .arg("--quiet")
        .args(&letters)
        .assert()
        .success();
    let watches: [(&str, &[&str]); 4] = [
        ("phrase", &["\"management oversight\""]),
        ("filtered", &["neglect", "--since", "2022"]),
        ("prefix", &["child* AND plan*"]),
        ("filters-only", &["", "--inspector", "Tom Anthony"]),
    ];
    add_watches(&index, &watches);
    ofsearch(&index)
        .arg("ingest")
        .arg("--quiet")
        .args(&later)
        .assert()
        .success();
    let new: BTreeSet<String> = later.iter().map(|p| p.display().to_string()).collect();
    let mut listed = 0;
    for (name, args) in &watches {
        let mut search = ofsearch(&index);
        search
            .args(["search", args[0], "--all", "--json"])
            .args(&args[1..]);
        let expected: BTreeSet<_> = places(&json_lines(&mut search))
            .into_iter()
            .filter(|(p, _)| new.contains(p))
            .collect();
        let (code, hits) = watch_json(&index, &[name]);
        assert_eq!(code, if expected.is_empty() { 1 } else { 0 }, "{name}");
        assert_eq!(places(&hits), expected, "{name}");
        assert_eq!(hits.len(), expected.len(), "{name}: no hit twice");
        assert_eq!(watch_json(&index, &[name]).1.len(), 0, "{name}: read once");
        listed += hits.len();
    }
    assert!(listed > 20, "the new letters match: {listed} hits");
}
