//! Every built-in acronym finds its expansion and the other way round, and the
//! highlight covers whichever form matched.

use crate::common;

use common::{json_lines, ofsearch};
use ofsearch::acronyms::ACRONYMS;

#[test]
fn each_acronym_and_expansion_find_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for (i, a) in ACRONYMS.iter().enumerate() {
        let short = a.short.to_uppercase();
        let long = a.long[0];
        std::fs::write(
            docs.join(format!("{i:02}-short.txt")),
            format!("Note {i}\n\nInspectors reviewed the {short} arrangements in detail.\n"),
        )
        .unwrap();
        std::fs::write(
            docs.join(format!("{i:02}-long.txt")),
            format!("Note {i}\n\nInspectors reviewed the {long} arrangements in detail.\n"),
        )
        .unwrap();
    }
    let index = dir.path().join("index");
    ofsearch(&index)
        .arg("ingest")
        .arg(&docs)
        .arg("--quiet")
        .assert()
        .success();
    for (i, a) in ACRONYMS.iter().enumerate() {
        let expect = [format!("{i:02}-short.txt"), format!("{i:02}-long.txt")];
        for query in [a.short.to_uppercase(), format!("\"{}\"", a.long[0])] {
            let hits = json_lines(ofsearch(&index).args(["search", &query, "--all", "--json"]));
            for file in &expect {
                let hit = hits
                    .iter()
                    .find(|h| {
                        h["path"]
                            .as_str()
                            .is_some_and(|p| p.ends_with(file.as_str()))
                    })
                    .unwrap_or_else(|| panic!("{query} did not find {file}"));
                let text = hit["text"].as_str().unwrap();
                let span = &hit["highlights"][0];
                let (s, e) = (
                    span[0].as_u64().unwrap() as usize,
                    span[1].as_u64().unwrap() as usize,
                );
                let shown = text[s..e].to_lowercase();
                assert!(
                    shown == a.short || shown == a.long[0],
                    "{query} in {file}: highlighted {shown:?}"
                );
            }
        }
    }
}
