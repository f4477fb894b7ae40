//! The joint targeted area inspection and area SEND letters in
//! ../shared/corpus/other-letters (37 real PDFs), scored field by field with
//! the floors issue 32 sets (`-- --nocapture` prints the table): authority,
//! visit type, the exact set of inspectors (no role or organisation as a
//! person), the lead, the area SEND outcome, the JTAI theme, a date; and no
//! passage is a table's header, a team list or a repeated heading.
//!
//! `metadata.csv` there gives the authority, kind and date; the people,
//! outcomes and themes below were read from the PDFs' own text.

use crate::common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::{file_of, json_lines, ofsearch};
use regex::Regex;
use serde_json::Value;

/// (file, lead, the other people ';'-separated, area SEND outcome, JTAI theme).
const READ_FROM_THE_PDFS: &[(&str, &str, &str, &str, &str)] = &[
    ("145df39aca09.pdf", "Yvette Stanley", "Ursula Gallagher;Wendy Williams;Helen Mercer", "", "child sexual exploitation and missing"),
    ("2575d477fbd8.pdf", "Yvette Stanley", "Ursula Gallagher;Wendy Williams;Helen Davies", "", "sexual abuse in the family"),
    ("30eaf78fdb1d.pdf", "Yvette Stanley", "Rosie Benneyworth;Wendy Williams", "", "initial need and risk"),
    ("3c3a8f322b91.pdf", "Yvette Stanley", "Sean O'Kelly;Michelle Skeer", "", "initial need and risk"),
    ("3e48cfcbde71.pdf", "Yvette Stanley", "Ursula Gallagher;Wendy Williams;Helen Davies", "", "domestic abuse"),
    ("88dc6a76fdf4.pdf", "Eleanor Schooling", "Ursula Gallagher;Wendy Williams;Alan MacDonald", "", "neglect"),
    ("9d610eb47a88.pdf", "Yvette Stanley", "Sean O'Kelly;Wendy Williams", "", "children who need help"),
    ("9e752f032359.pdf", "Yvette Stanley", "Ursula Gallagher;Wendy Williams;Helen Davies", "", "sexual abuse in the family"),
    ("9f88db0d7386.pdf", "Yvette Stanley", "Sean O'Kelly;Michelle Skeer;Martin Jones", "", "serious youth violence"),
    ("a3f846e6998f.pdf", "Yvette Stanley", "Sean O'Kelly;Wendy Williams", "", "child exploitation"),
    ("a72ecd6a46dc.pdf", "Yvette Stanley", "Sean O'Kelly;Michelle Skeer;Martin Jones", "", "domestic abuse"),
    ("b796abb60d76.pdf", "Yvette Stanley", "Ursula Gallagher;Wendy Williams;Helen Davies", "", "child exploitation"),
    ("be27890969b7.pdf", "Nick Hudson", "Sue McMillan;Wendy Williams;Helen Davies", "", "child sexual exploitation and missing"),
    ("ccd71e5d2a24.pdf", "Eleanor Schooling", "Ursula Gallagher;Wendy Williams;Helen Mercer", "", "domestic abuse"),
    ("de91e005545d.pdf", "Yvette Stanley", "Ursula Gallagher;Wendy Williams;Helen Davies", "", "sexual abuse in the family"),
    ("df3d645c3dd6.pdf", "Yvette Stanley", "Sean O'Kelly;Michelle Skeer", "", "initial need and risk"),
    ("ea3b52acd7fc.pdf", "Yvette Stanley", "Ursula Gallagher;Wendy Williams;Helen Davies", "", "domestic abuse"),
    ("f07db8a4ddb0.pdf", "Yvette Stanley", "Rosie Benneyworth;Wendy Williams", "", "initial need and risk"),
    ("faf11b13133e.pdf", "Yvette Stanley", "Sean O'Kelly;Michelle Skeer", "", "initial need and risk"),
    ("0ab612ae21cd.pdf", "Dave Gilkerson", "Claire Mason;Anne Maingay;Deana Fowle;Brenda Mclaughlin", "widespread and/or systemic failings", ""),
    ("0c81f8f4cd65.pdf", "Gareth Morgan", "Lesley Perry;Julie Knight;Harriet Doran;Chris Pollitt", "inconsistent experiences and outcomes", ""),
    ("124fa7830448.pdf", "Katherine Douglas", "Liz Fox;Margaret Burke;David Roberts;Dave Gilkerson", "inconsistent experiences and outcomes", ""),
    ("132cd2b27f71.pdf", "Rebecca Sharples", "Geraldine Bates;Joanna Warburton;Louise Holland;Andy Lawrence", "widespread and/or systemic failings", ""),
    ("1a5c7806831d.pdf", "Jo Petch", "Sarah Smith;Amanda Maxwell;Geraldine Bates;Esther Brooks", "inconsistent experiences and outcomes", ""),
    ("1e71da55150d.pdf", "David Mills", "Claire Mason;Jo Warburton;Rebecca Hogan;Jacquie Brown", "positive experiences and outcomes", ""),
    ("437fea5b8ab7.pdf", "David Mills", "Jessica Taylor-Beirne;Kathryn Grindrod;Louise Holland;Angela Spencer-Brooke;Natalie Palmer", "inconsistent experiences and outcomes", ""),
    ("54d6a9c43525.pdf", "Chris Pollitt", "Claire Mason;Nick Bennison;Natalie Palmer;Helen Forrest", "inconsistent experiences and outcomes", ""),
    ("806179afb924.pdf", "Jenny Thomas", "Lesley Perry;Jacquie Brown;Sandra Smith;Patricia Head;Janet Fraser", "positive experiences and outcomes", ""),
    ("91a43e9e944d.pdf", "Emma Leavey", "Tessa Valpy;Amanda Maxwell;Lesley Perry;Keith Tysoe", "inconsistent experiences and outcomes", ""),
    ("971cc5996961.pdf", "Leanne Thirlby", "Daniel Carrick;Sarah Canto;Lea Pickerill;Karina Kulawik", "positive experiences and outcomes", ""),
    ("a52427e41492.pdf", "Andrew Wright", "Claire Mason;Sam Hainey;Lesley Perry;Janet Fraser", "inconsistent experiences and outcomes", ""),
    ("a97f4bca5893.pdf", "Leanne Thirlby", "Tessa Valpy;Jen Southall;Sarah Smith;Anna Gravelle", "inconsistent experiences and outcomes", ""),
    ("ca16cfe12f65.pdf", "Jenny Thomas", "Louise Holland;Jacquie Brown;Lea Pickerill;Nick Bennison", "positive experiences and outcomes", ""),
    ("cb209b7faacb.pdf", "Wayne Simner", "Lyndsey McGeary;Helen Forrest;Karen Beckett;Louise Hocking", "inconsistent experiences and outcomes", ""),
    ("cef275a375e9.pdf", "Sue Eastwood", "Kaye Goodfellow;Janet Fraser;Lesley Perry;Andy Lawrence;Gerry Bates", "inconsistent experiences and outcomes", ""),
    ("e0ef5b39ebee.pdf", "Joanna Walters", "Lesley Perry;Una Buckley;Andrea Crosby-Josephs;Janet Fraser", "positive experiences and outcomes", ""),
    ("f4e81b5ebf9e.pdf", "Helen Forrest", "Louise Holland;Wayne Simner;Lesley Perry;Janet Fraser", "widespread and/or systemic failings", ""),
];

fn other_letters_dir() -> Option<PathBuf> {
    common::shared_for("the JTAI and area SEND letter floors")
        .map(|s| s.join("corpus").join("other-letters"))
}

/// An index of the letters in `dir`.
fn indexed(dir: &std::path::Path) -> tempfile::TempDir {
    let index = tempfile::tempdir().expect("tempdir");
    ofsearch(index.path())
        .arg("ingest")
        .arg(dir)
        .arg("--quiet")
        .assert()
        .success();
    index
}

fn norm(s: &str) -> String {
    s.to_lowercase()
        .replace('\u{2019}', "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn norm_authority(s: &str) -> String {
    let s = norm(s).replace('&', " and ");
    let s = s.replace("county durham", "durham");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Passages that are a metadata table, a team list, a signer's role or a repeated heading.
fn table_passages(passages: &[Value]) -> Vec<String> {
    let rules = [
        r"Local [Aa]uthority\s+Integrated [Cc]are [Bb]oard",
        r"\b(?:Ofsted|CQC) (?:HMI,? )?[Ll]ead [Ii]nspector",
        r"\bCQC [Ii]nspector\b",
        r"^Ofsted\s+Care Quality Commission",
        r"(?i)\b(areas for (?:improvement|priority action))\s+areas for (?:improvement|priority action)",
        r"(?i)local area partnership report",
        r"National Director,? (?:Regulation and )?Social Care",
        r"(?:Deputy|Assistant) Chief Inspector",
    ];
    let rules: Vec<Regex> = rules
        .iter()
        .map(|r| Regex::new(r).expect("regex"))
        .collect();
    passages
        .iter()
        .filter_map(|p| {
            let text = p["text"].as_str().unwrap_or_default();
            rules.iter().any(|r| r.is_match(text)).then(|| {
                format!(
                    "{} ¶{}: {}",
                    file_of(p),
                    p["paragraph"],
                    text.chars().take(100).collect::<String>()
                )
            })
        })
        .collect()
}

/// Words no person's name holds: a role or an organisation.
fn role_or_organisation(name: &str) -> bool {
    let l = name.to_lowercase();
    [
        "inspector",
        "director",
        "chief",
        "commission",
        "services",
        "rescue",
        "constabulary",
        "probation",
        "ofsted",
        "cqc",
        "hmi",
        "council",
        "board",
    ]
    .iter()
    .any(|w| l.split_whitespace().any(|x| x == *w))
}

#[test]
fn jtai_and_area_send_letters_meet_the_floors() {
    let Some(dir) = other_letters_dir() else {
        return;
    };
    let index = indexed(&dir);
    let docs: BTreeMap<String, Value> = json_lines(ofsearch(index.path()).args(["docs", "--json"]))
        .into_iter()
        .map(|d| (file_of(&d), d))
        .collect();
    let read: BTreeMap<&str, _> = READ_FROM_THE_PDFS.iter().map(|r| (r.0, r)).collect();
    let mut sheet = csv::Reader::from_path(dir.join("metadata.csv")).expect("metadata.csv");
    // (kind, field) -> (right, scored, first misses)
    let mut tally: BTreeMap<(String, &str), (usize, usize, Vec<String>)> = BTreeMap::new();
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    for rec in sheet.deserialize::<BTreeMap<String, String>>() {
        let rec = rec.expect("row");
        let file = rec["path"].clone();
        let kind = rec["kind"].clone();
        let d = docs.get(&file).cloned().unwrap_or_default();
        let mut score = |field: &'static str, ok: bool, why: String| {
            let t = tally.entry((kind.clone(), field)).or_default();
            t.1 += 1;
            if ok {
                t.0 += 1;
            } else if t.2.len() < 3 {
                t.2.push(format!("{file}: {why}"));
            }
        };
        score(
            "authority",
            norm_authority(&s(&d["authority"])) == norm_authority(&rec["local_authority"]),
            d["authority"].to_string(),
        );
        let want_type = match kind.as_str() {
            "jtai" => "joint targeted area inspection",
            _ => "area SEND inspection",
        };
        score(
            "visit_type",
            s(&d["visit_type"]) == want_type,
            d["visit_type"].to_string(),
        );
        score("date", !s(&d["date"]).is_empty(), d["date"].to_string());
        if kind == "jtai" {
            // A JTAI letter's date is its date line, the one its file was published under.
            score(
                "letter date",
                s(&d["date"]) == rec["date_in_name"],
                d["date"].to_string(),
            );
        }
        let title = s(&d["title"]);
        score(
            "title",
            !title.is_empty() && !norm(&title).contains("partnership report"),
            title.clone(),
        );
        let names: Vec<String> = d["inspectors"]
            .as_array()
            .map(|a| a.iter().map(&s).collect())
            .unwrap_or_default();
        score(
            "no role or organisation as a person",
            !names.is_empty() && !names.iter().any(|n| role_or_organisation(n)),
            format!("{names:?}"),
        );
        let Some(&&(_, lead, others, outcome, theme)) = read.get(file.as_str()) else {
            panic!("{file} is not in READ_FROM_THE_PDFS");
        };
        let mut want: Vec<String> = std::iter::once(lead)
            .chain(others.split(';'))
            .map(norm)
            .collect();
        want.sort();
        let mut got: Vec<String> = names.iter().map(|n| norm(n)).collect();
        got.sort();
        score("inspectors", got == want, format!("{names:?}"));
        score(
            "lead",
            norm(&s(&d["lead_inspector"])) == norm(lead),
            d["lead_inspector"].to_string(),
        );
        if !outcome.is_empty() {
            score(
                "send_outcome",
                s(&d["send_outcome"]) == outcome,
                d["send_outcome"].to_string(),
            );
        }
        if !theme.is_empty() {
            score("theme", s(&d["theme"]) == theme, d["theme"].to_string());
        }
    }
    let floors: &[(&str, f64)] = &[
        ("authority", 1.0),
        ("visit_type", 1.0),
        ("date", 1.0),
        ("letter date", 1.0),
        ("title", 1.0),
        ("no role or organisation as a person", 1.0),
        ("inspectors", 0.97),
        ("lead", 0.98),
        ("send_outcome", 0.98),
        ("theme", 0.95),
    ];
    let mut failed = Vec::new();
    for ((kind, field), (right, n, misses)) in &tally {
        let rate = *right as f64 / (*n).max(1) as f64;
        let floor = floors.iter().find(|f| f.0 == *field).map_or(1.0, |f| f.1);
        println!("{kind:9} {field:36} {right:3}/{n:3} {:6.1}%", rate * 100.0);
        if rate < floor {
            failed.push(format!(
                "{kind} {field}: {right}/{n} under {floor}: {misses:?}"
            ));
        }
    }
    let passages =
        json_lines(ofsearch(index.path()).args(["search", "date:[* TO *]", "--all", "--json"]));
    assert!(passages.len() > 1000, "{} passages", passages.len());
    let tables = table_passages(&passages);
    println!(
        "table, team-list or repeated-heading passages: {}",
        tables.len()
    );
    if !tables.is_empty() {
        failed.push(format!(
            "{} table passages, e.g. {:?}",
            tables.len(),
            &tables[..tables.len().min(3)]
        ));
    }
    assert!(failed.is_empty(), "{failed:#?}");
}

/// The area SEND outcome and the JTAI theme filter and facet like any other
/// field: every document a filter keeps has the value, and the facet counts
/// agree with `docs`.
#[test]
fn outcome_and_theme_filter_and_facet() {
    let Some(dir) = other_letters_dir() else {
        return;
    };
    let index = indexed(&dir);
    let docs = json_lines(ofsearch(index.path()).args(["docs", "--json"]));
    for (flag, key, value) in [
        (
            "--outcome",
            "send_outcome",
            "inconsistent experiences and outcomes",
        ),
        ("--theme", "theme", "domestic abuse"),
    ] {
        let typed = value.split_whitespace().next().unwrap_or(value);
        let kept = json_lines(ofsearch(index.path()).args(["docs", "--json", flag, typed]));
        let want = docs.iter().filter(|d| d[key] == value).count();
        assert!(want > 0, "no document has {key} {value}");
        assert_eq!(kept.len(), want, "{flag} {typed}");
        assert!(kept.iter().all(|d| d[key] == value));
        let by = flag.trim_start_matches("--");
        let rows =
            json_lines(ofsearch(index.path()).args(["facets", "children", "--by", by, "--json"]));
        let row = rows
            .iter()
            .find(|r| r["value"] == value)
            .expect("facet row");
        assert_eq!(row["documents"].as_u64(), Some(want as u64), "{rows:?}");
        // The same filter in the query language.
        let hits = json_lines(ofsearch(index.path()).args([
            "search",
            &format!("children {by}:\"{value}\""),
            "--all",
            "--json",
        ]));
        assert!(!hits.is_empty() && hits.iter().all(|h| h[key] == value));
    }
}
