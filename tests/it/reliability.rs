//! Reliability: hostile input. Every fixture is generated here. Each bad file
//! gets one error line naming it and the reason, the run goes on, every good
//! file is indexed, and the exit status (2) says some files failed.

use crate::common;

use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::Duration;

use common::{json_lines, ofsearch, pdf_from_objects, pdf_stream, random_bytes, simple_pdf};

fn write(dir: &Path, name: impl AsRef<std::ffi::OsStr>, bytes: &[u8]) {
    std::fs::write(dir.join(name.as_ref()), bytes).expect("write fixture");
}

fn text_doc(word: &str) -> String {
    format!(
        "A good document\n\nThis report paragraph mentions the marker {word} and goes on \
         long enough to be a real passage of text about children's services.\n"
    )
}

/// A PDF whose one content stream inflates to `gib` GiB of zeros.
fn bomb_pdf(gib: usize) -> Vec<u8> {
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..gib * 1024 {
        enc.write_all(&zeros).expect("compress");
    }
    let data = enc.finish().expect("compress");
    pdf_from_objects(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
            pdf_stream("/Filter /FlateDecode", &data),
        ],
        "",
    )
}

/// A form XObject that draws itself: pdf-extract would recurse for ever.
fn self_drawing_form_pdf() -> Vec<u8> {
    pdf_from_objects(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /X1 5 0 R >> >> >>".to_vec(),
            pdf_stream("", b"/X1 Do"),
            pdf_stream(
                "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 5 0 R >> >>",
                b"/X1 Do",
            ),
        ],
        "",
    )
}

/// A page whose /Parent chain is a cycle and never gives a MediaBox.
fn parent_cycle_pdf() -> Vec<u8> {
    pdf_from_objects(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 4 0 R >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [] /Count 0 /Parent 2 0 R >>".to_vec(),
            pdf_stream("", b"BT (x) Tj ET"),
        ],
        "",
    )
}

fn encrypted_pdf() -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
        pdf_stream("", &random_bytes(9, 64)),
    ];
    let hex = |seed| -> String {
        random_bytes(seed, 32)
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    };
    objects.push(
        format!(
            "<< /Filter /Standard /V 1 /R 2 /O <{}> /U <{}> /P -4 >>",
            hex(1),
            hex(2)
        )
        .into_bytes(),
    );
    pdf_from_objects(
        &objects,
        &format!("/Encrypt 5 0 R /ID [<{0}> <{0}>]", &hex(3)[..32]),
    )
}

struct Outcome {
    code: i32,
    stderr: String,
}

fn ingest(index: &Path, args: &[&std::ffi::OsStr]) -> Outcome {
    let out = ofsearch(index)
        .arg("ingest")
        .arg("--quiet")
        .args(args)
        .timeout(Duration::from_secs(240))
        .output()
        .expect("runs");
    Outcome {
        code: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The one stderr line about `name`, which must also contain `reason`.
fn assert_failed(stderr: &str, name: &str, reason: &str) {
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains(name)).collect();
    assert_eq!(lines.len(), 1, "one line for {name:?} in:\n{stderr}");
    assert!(
        lines[0].starts_with("ofsearch: ") && lines[0].contains(reason),
        "{name}: expected {reason:?} in {:?}",
        lines[0]
    );
}

#[test]
fn hostile_files_fail_one_by_one_and_good_files_are_indexed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).expect("mkdir");
    let index = tmp.path().join("index");

    // Good files, including awkward names and awkward (but decodable) text.
    let mut good = vec![];
    let mut add_good = |name: &std::ffi::OsStr, bytes: Vec<u8>, word: &str| {
        write(&dir, name, &bytes);
        good.push(word.to_string());
    };
    add_good(
        "plain.txt".as_ref(),
        text_doc("zebrafinch").into(),
        "zebrafinch",
    );
    add_good(
        "with space and 'quotes' \"double\".txt".as_ref(),
        text_doc("quokka").into(),
        "quokka",
    );
    add_good(
        "new\nline.txt".as_ref(),
        text_doc("narwhal").into(),
        "narwhal",
    );
    add_good(
        std::ffi::OsStr::from_bytes(b"latin1-\xe9t\xe9.txt"),
        text_doc("axolotl").into(),
        "axolotl",
    );
    let latin1: Vec<u8> = text_doc("pangolin")
        .into_bytes()
        .into_iter()
        .chain(b" caf\xe9 na\xefve \xff\xfe\x80".iter().copied())
        .collect();
    add_good("invalid-utf8.txt".as_ref(), latin1, "pangolin");
    let mut utf16: Vec<u8> = vec![0xff, 0xfe];
    utf16.extend(text_doc("wombat").encode_utf16().flat_map(u16::to_le_bytes));
    utf16.extend([0x00, 0xd8, 0x41]); // unpaired surrogate, odd length
    add_good("utf16.txt".as_ref(), utf16, "wombat");
    add_good(
        "report.pdf".as_ref(),
        simple_pdf("The marker ibis is in this PDF report, and it goes on for a while."),
        "ibis",
    );
    let deep = format!(
        "<html><body>{}<p>{}</p>{}</body></html>",
        "<div>".repeat(100_000),
        text_doc("okapi").replace('\n', " "),
        "</div>".repeat(100_000)
    );
    add_good("deep.html".as_ref(), deep.into_bytes(), "okapi");
    add_good(
        "article.html".as_ref(),
        format!(
            "<!DOCTYPE html><html><head><title>News</title></head><body><article><p>{}</p></article></body></html>",
            text_doc("tapir").replace('\n', " ")
        )
        .into_bytes(),
        "tapir",
    );

    // Bad files: (name, expected words in the reason).
    let mut bad: Vec<(String, &str)> = vec![];
    for ext in ["txt", "pdf", "html"] {
        write(&dir, format!("empty.{ext}"), b"");
        bad.push((format!("empty.{ext}"), "empty"));
        write(&dir, format!("random.{ext}"), &random_bytes(42, 4096));
    }
    bad.push(("random.txt".into(), "binary"));
    bad.push(("random.html".into(), "binary"));
    bad.push(("random.pdf".into(), "not a PDF"));
    write(&dir, "bad\nname.pdf", &random_bytes(7, 100));
    bad.push(("bad\\nname.pdf".into(), "not a PDF"));
    write(
        &dir,
        "error-page.pdf",
        b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>",
    );
    bad.push(("error-page.pdf".into(), "HTML"));
    let full = simple_pdf("Truncated text here");
    write(&dir, "truncated.pdf", &full[..full.len() / 3]);
    bad.push(("truncated.pdf".into(), "PDF"));
    write(&dir, "encrypted.pdf", &encrypted_pdf());
    bad.push(("encrypted.pdf".into(), "PDF"));
    write(&dir, "bomb.pdf", &bomb_pdf(1));
    bad.push(("bomb.pdf".into(), "inflate to more than"));
    write(&dir, "form-cycle.pdf", &self_drawing_form_pdf());
    bad.push(("form-cycle.pdf".into(), "cycle"));
    write(&dir, "parent-cycle.pdf", &parent_cycle_pdf());
    bad.push(("parent-cycle.pdf".into(), "cycle"));
    {
        let mut f = std::fs::File::create(dir.join("huge-line.txt")).expect("create");
        let chunk = vec![b'a'; 1 << 20];
        for _ in 0..200 {
            f.write_all(&chunk).expect("write");
        }
    }
    bad.push(("huge-line.txt".into(), "a line longer than"));
    write(
        &dir,
        "million.html",
        format!("<html><body>{}</body></html>", "<p></p>".repeat(1_000_000)).as_bytes(),
    );
    bad.push(("million.html".into(), "no text"));
    std::os::unix::fs::symlink(&dir, dir.join("loop")).expect("symlink");
    bad.push(("loop".into(), "symlink loop"));
    std::os::unix::fs::symlink("self-link", dir.join("self-link")).expect("symlink");
    bad.push(("self-link".into(), "symbolic links"));
    write(&dir, "locked.txt", text_doc("forbidden").as_bytes());
    let locked = dir.join("locked.txt");
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000))
        .expect("chmod");
    // root reads anything: then the file is simply good.
    if std::fs::read(&locked).is_err() {
        bad.push(("locked.txt".into(), "cannot read"));
    } else {
        good.push("forbidden".into());
    }

    // The directory is given twice: each file is still indexed once.
    let out = ingest(&index, &[dir.as_os_str(), dir.as_os_str()]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    for (name, reason) in &bad {
        assert_failed(&out.stderr, name, reason);
    }
    assert_eq!(
        out.stderr.lines().count(),
        bad.len(),
        "one line per bad file:\n{}",
        out.stderr
    );

    let docs = json_lines(ofsearch(&index).args(["docs", "--json"]));
    assert_eq!(docs.len(), good.len(), "{docs:#?}");
    for word in &good {
        ofsearch(&index)
            .args(["search", word, "--count", "--json"])
            .assert()
            .success()
            .stdout(predicates::str::contains("\"documents\":1"));
    }
    let _ = std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o644));
}

#[test]
fn per_file_timeout_is_reported_and_configurable() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("corpus");
    std::fs::create_dir(&dir).expect("mkdir");
    write(
        &dir,
        "slow.html",
        format!("<html><body>{}</body></html>", "<p>x</p>".repeat(300_000)).as_bytes(),
    );
    write(&dir, "fast.txt", text_doc("gecko").as_bytes());
    let index = tmp.path().join("index");
    let out = ofsearch(&index)
        .args(["ingest", "--quiet", "--file-timeout", "0.001"])
        .arg(&dir)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_failed(&stderr, "slow.html", "timed out after 0.001s");
    // With the default limit the same file goes through.
    let out = ingest(&index, &[dir.as_os_str()]);
    assert!(!out.stderr.contains("slow.html"), "{}", out.stderr);
}

#[test]
fn extract_reports_bad_files_with_exit_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("cycle.pdf", self_drawing_form_pdf(), "cycle"),
        ("random.pdf", random_bytes(3, 1000), "not a PDF"),
        ("empty.txt", vec![], "empty"),
    ];
    for (name, bytes, reason) in cases {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let out = ofsearch(&tmp.path().join("index"))
            .arg("extract")
            .arg(&path)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(name) && stderr.contains(reason), "{stderr}");
    }
}
