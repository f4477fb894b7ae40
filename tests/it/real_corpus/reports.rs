//! The 111 real Ofsted reports in ../shared: metadata accuracy against the fact
//! sheet, no page furniture in passages, and phrases that span PDF line or page
//! breaks still found. Prints a per-field accuracy table (`-- --nocapture`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::common::{file_of, json_lines, ofsearch};
use super::{reports_dir, shared_index};

fn report_index() -> Option<&'static PathBuf> {
    reports_dir()?;
    Some(shared_index())
}

/// Fair comparison of names: case, "&"/"and", "City of", punctuation, hyphen spacing.
fn norm(s: &str) -> String {
    let s = s
        .to_lowercase()
        .replace('&', " and ")
        .replace(" -", "-")
        .replace(['’', '\'', ','], "");
    let s = s.replace("london corporation", "city of london");
    let s = s.trim_start_matches("city of ").to_string();
    let s = s.replace("county durham", "durham");
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn dmy(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.trim().split('/').collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    let mut y: u32 = y.parse().ok()?;
    if y < 100 {
        y += 2000;
    }
    Some(format!(
        "{y:04}-{:02}-{:02}",
        m.parse::<u32>().ok()?,
        d.parse::<u32>().ok()?
    ))
}

/// Facts in metadata.csv that the reports themselves contradict (checked by
/// reading the PDFs): (file, field, value the report states).
const SHEET_ERRORS: &[(&str, &str, &str)] = &[
    // Judgement table and body: "in care and care leavers ... Good".
    ("eeb657cbdd41.pdf", "in_care", "good"),
    // "Report published: 3 February 2015".
    ("a3b3349cc862.pdf", "publication_date", "2015-02-03"),
    // "Report published: 19 October 2015".
    ("a4ed99d961ed.pdf", "publication_date", "2015-10-19"),
    // A review of the Local Safeguarding Children Board, not an inspection.
    ("558706eb0952.pdf", "visit_type", ""),
    // 2013 inspections of looked after children services, before the single
    // inspection framework: none of the contract's visit types.
    ("80292dea6461.pdf", "visit_type", ""),
    ("8254f5fbf483.pdf", "visit_type", ""),
];

#[derive(Default)]
struct Tally {
    ok: usize,
    total: usize,
    misses: Vec<String>,
}

#[test]
fn metadata_matches_the_fact_sheet() {
    let (Some(index), Some(reports)) = (report_index(), reports_dir()) else {
        return;
    };
    let docs = json_lines(ofsearch(index).args(["docs", "--json"]));
    let by_file: BTreeMap<String, serde_json::Value> =
        docs.into_iter().map(|d| (file_of(&d), d)).collect();
    let mut sheet = csv::Reader::from_path(reports.join("metadata.csv")).expect("metadata.csv");
    let mut tally: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut rows = 0;
    for rec in sheet.deserialize::<BTreeMap<String, String>>() {
        let rec = rec.expect("csv row");
        rows += 1;
        let col = |k: &str| rec.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
        let file = col("path");
        let doc = by_file
            .get(&file)
            .unwrap_or_else(|| panic!("{file} not indexed"));
        let got = |k: &str| doc[k].as_str().map(str::to_string);
        let corrected = |field: &str| {
            SHEET_ERRORS
                .iter()
                .find(|(f, k, _)| *f == file && *k == field)
                .map(|(_, _, v)| v.to_string())
        };
        let mut check = |field: &'static str, expected: Option<String>, got: Option<String>| {
            let expected = corrected(field).or(expected);
            let Some(expected) = expected else { return };
            let t = tally.entry(field).or_default();
            t.total += 1;
            if Some(&expected) == got.as_ref() {
                t.ok += 1;
            } else {
                t.misses
                    .push(format!("{file}: expected {expected:?}, got {got:?}"));
            }
        };
        check(
            "authority",
            Some(norm(&col("local_authority"))),
            got("authority").map(|a| norm(&a)),
        );
        // The stated publication date, else the last inspection day.
        let date = got("date");
        let published = corrected("publication_date").or_else(|| dmy(&col("publication_date")));
        let date_ok = date.is_some() && (date == published || date == got("inspection_end"));
        check(
            "date",
            Some("ok".into()),
            Some(if date_ok { "ok" } else { "wrong" }.into()),
        );
        let visit = match col("inspection_framework").as_str() {
            "standard" => "standard inspection",
            "short" => "short inspection",
            _ => "single inspection",
        };
        check(
            "visit_type",
            Some(visit.into()),
            Some(got("visit_type").unwrap_or_default()),
        );
        let lead = col("inspector_name");
        if !lead.is_empty() {
            check(
                "lead_inspector",
                Some(norm(&lead)),
                got("lead_inspector").map(|l| norm(&l)),
            );
            let inspectors: Vec<String> = doc["inspectors"]
                .as_array()
                .map(|a| a.iter().filter_map(|v| v.as_str()).map(norm).collect())
                .unwrap_or_default();
            check(
                "inspectors include lead",
                Some("yes".into()),
                Some(
                    if inspectors.contains(&norm(&lead)) {
                        "yes"
                    } else {
                        "no"
                    }
                    .into(),
                ),
            );
        }
        check(
            "inspection_start",
            dmy(&col("inspection_start_date")),
            got("inspection_start"),
        );
        check(
            "inspection_end",
            dmy(&col("inspection_end_date")),
            got("inspection_end"),
        );
        for (field, column) in [
            ("overall_effectiveness", "overall_effectiveness_grade"),
            ("leaders", "impact_of_leaders_grade"),
            ("help_and_protection", "help_and_protection_grade"),
            ("in_care", "in_care_grade"),
            ("care_leavers", "care_leavers_grade"),
        ] {
            let v = col(column).to_lowercase();
            let fact = ["outstanding", "good", "requires improvement", "inadequate"]
                .contains(&v.as_str())
                .then_some(v);
            let got = doc["judgements"][field].as_str().map(str::to_string);
            check(field, fact, got);
        }
        let title = got("title").unwrap_or_default();
        check(
            "title",
            Some("present".into()),
            Some(
                if title.len() > 10 {
                    "present"
                } else {
                    "missing"
                }
                .into(),
            ),
        );
    }
    assert_eq!(rows, 111);
    println!("\n| field | right | of | accuracy |\n|---|---|---|---|");
    let mut failures = Vec::new();
    for (field, t) in &tally {
        let acc = t.ok as f64 / t.total as f64;
        println!("| {field} | {} | {} | {:.1}% |", t.ok, t.total, 100.0 * acc);
        // Floors: what this engine reaches today (100% on every field once the
        // sheet's own errors are set aside); a drop fails the build.
        if acc < 1.0 {
            failures.push(format!("{field}: {:.1}%: {:?}", 100.0 * acc, t.misses));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn no_page_furniture_in_passages() {
    let Some(index) = report_index() else { return };
    for phrase in [
        "\"Crown copyright\"",
        "\"ofsted.gov.uk\"",
        "\"Open Government Licence\"",
        "\"different format\"",
    ] {
        ofsearch(index)
            .args(["search", phrase, "--all"])
            .assert()
            .code(1);
    }
    let handle = ofsearch::index::open(index).expect("index opens");
    let reader = ofsearch::index::Reader::open(&handle).expect("reader");
    let passages = reader.all_passages().expect("passages");
    assert!(passages.len() > 5000, "{}", passages.len());
    let mut bad = Vec::new();
    for p in &passages {
        let text = p.passage.text.trim();
        let page_number = text
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace());
        let running_header = text.starts_with("Inspection of ")
            && text.contains("children’s services")
            && text.split_whitespace().count() <= 14;
        if page_number || running_header || text.is_empty() {
            bad.push(format!("{}: {text:?}", p.meta.path));
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn phrases_split_by_line_and_page_breaks_are_found() {
    let (Some(index), Some(reports)) = (report_index(), reports_dir()) else {
        return;
    };
    let hits =
        json_lines(ofsearch(index).args(["search", "\"management oversight\"", "--all", "--json"]));
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for h in &hits {
        *found.entry(file_of(h)).or_default() += h["highlights"].as_array().map_or(0, Vec::len);
    }
    // Every occurrence in the raw PDF text (words separated by any white space).
    let mut missing = Vec::new();
    let mut total = 0;
    for entry in std::fs::read_dir(&reports).expect("reports") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "pdf") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        let raw = ofsearch::ingest::pdf::extract_text(&bytes).expect("pdf text");
        let count = |text: &str| {
            let words: Vec<String> = text.split_whitespace().map(|w| w.to_lowercase()).collect();
            words
                .windows(2)
                .filter(|w| w[0].ends_with("management") && w[1].starts_with("oversight"))
                .count()
        };
        // Headings (a short line standing alone, no sentence punctuation) become
        // sections, not passages: they are not body text.
        let headings: usize = raw
            .split("\n\n")
            .map(str::trim)
            .filter(|b| !b.contains('\n') && b.split_whitespace().count() <= 12)
            .filter(|b| !b.ends_with(['.', ':', ';', '?']))
            .map(count)
            .sum();
        let raw_count = count(&raw) - headings;
        total += raw_count;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let got = found.get(&name).copied().unwrap_or(0);
        if got < raw_count {
            missing.push(format!("{name}: {got} of {raw_count}"));
        }
    }
    assert!(total > 300, "{total}");
    assert!(missing.is_empty(), "{missing:#?}");
}
