//! Page numbers on the real PDFs in ../shared (issue 32): for a sample of the
//! dev letters and reports, each passage's first words must be on the page it
//! says it starts on, as `pdftotext -f N -l N` reads that page; at least 99%
//! of passages must be. `OFSEARCH_PAGES_ALL=1` checks every dev PDF
//! (letters, reports and other letters); `-- --nocapture` prints the rate.
//! Skipped, with the reason, without ../shared (a failure under CI) or
//! without `pdftotext` (poppler-utils).

use crate::common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// How many of a passage's words are looked for on its page.
const FIRST_WORDS: usize = 5;

/// Letters only, lower case, ligatures spelt out: line breaks, hyphenation,
/// quotes, footnote numbers and spacing differ between the two extractors.
fn letters(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            'ﬀ' => out.push_str("ff"),
            'ﬁ' => out.push_str("fi"),
            'ﬂ' => out.push_str("fl"),
            'ﬃ' => out.push_str("ffi"),
            'ﬄ' => out.push_str("ffl"),
            'ﬅ' | 'ﬆ' => out.push_str("st"),
            c if c.is_alphabetic() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

/// One page as pdftotext reads it, `None` when it fails.
fn pdftotext_page(file: &Path, page: u32) -> Option<String> {
    let n = page.to_string();
    let out = Command::new("pdftotext")
        .args(["-q", "-f", &n, "-l", &n])
        .arg(file)
        .arg("-")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn have_pdftotext() -> bool {
    Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
}

/// (passages checked, passages on their page, the first few misses) for one PDF.
fn check(file: &Path) -> (usize, usize, Vec<String>) {
    let doc = ofsearch::ingest::ingest_file(file, &file.display().to_string())
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut pages: HashMap<u32, String> = HashMap::new();
    let (mut checked, mut right, mut misses) = (0, 0, Vec::new());
    for p in &doc.passages {
        checked += 1;
        let Some(n) = p.page else {
            misses.push(format!("{} ¶{}: no page", file.display(), p.paragraph));
            continue;
        };
        let page = pages
            .entry(n)
            .or_insert_with(|| letters(&pdftotext_page(file, n).unwrap_or_default()));
        let first: Vec<&str> = p.text.split_whitespace().take(FIRST_WORDS).collect();
        let key = letters(&first.join(" "));
        if page.contains(&key) {
            right += 1;
        } else if misses.len() < 5 {
            misses.push(format!(
                "{} ¶{} p. {n}: {}",
                file.display(),
                p.paragraph,
                first.join(" ")
            ));
        }
    }
    (checked, right, misses)
}

#[test]
fn passages_start_on_the_page_pdftotext_finds_them_on() {
    let Some(shared) = common::shared_for("the PDF page-number test") else {
        return;
    };
    if !have_pdftotext() {
        eprintln!("skipping the PDF page-number test: pdftotext not found (apt-get install poppler-utils)");
        return;
    }
    let corpus = shared.join("corpus");
    let all = std::env::var("OFSEARCH_PAGES_ALL").is_ok_and(|v| v == "1");
    let step = if all { 1 } else { 6 };
    let mut files = common::pdfs(&corpus.join("ofsted-letters"), step);
    files.extend(common::pdfs(&corpus.join("ofsted-reports"), step));
    if all {
        files.extend(common::pdfs(&corpus.join("other-letters"), 1));
    }
    assert!(!files.is_empty(), "no PDFs under {}", corpus.display());
    let (mut checked, mut right, mut misses) = (0, 0, Vec::new());
    for file in &files {
        let (c, r, m) = check(file);
        checked += c;
        right += r;
        misses.extend(m);
    }
    let rate = right as f64 / checked.max(1) as f64;
    println!(
        "pages right: {right} of {checked} passages ({:.2}%) in {} PDFs",
        rate * 100.0,
        files.len()
    );
    for m in misses.iter().take(20) {
        println!("  miss: {m}");
    }
    assert!(checked > 500, "only {checked} passages checked");
    assert!(
        rate >= 0.99,
        "{:.2}% of passages on their page (floor 99%); first misses:\n{}",
        rate * 100.0,
        misses.join("\n")
    );
}
