//! What `ofsearch check` prints: for people, a line per damaged file and
//! the command that rebuilds the index; for scripts, one JSON object
//! `{"index", "ok", "checked", "damaged": [{"file", "reason"}], "rebuild"}`.

use std::io::{self, Write};

/// A check's outcome, as plain data.
#[derive(Debug, Clone)]
pub struct CheckOutcome<'a> {
    /// The index folder, as named.
    pub index: &'a str,
    /// How many files were verified.
    pub checked: usize,
    /// Each damaged file and what is wrong with it.
    pub damaged: Vec<(&'a str, &'a str)>,
    /// The command that rebuilds the index.
    pub rebuild: &'a str,
    /// What the command's `PATH…` stands for.
    pub rebuild_paths: &'a str,
}

/// The text form.
pub fn text(out: &mut impl Write, c: &CheckOutcome) -> io::Result<()> {
    if c.damaged.is_empty() {
        return writeln!(
            out,
            "{}: {} files verified, none damaged",
            c.index, c.checked
        );
    }
    writeln!(
        out,
        "{}: {} of {} files damaged",
        c.index,
        c.damaged.len(),
        c.checked
    )?;
    for (file, reason) in &c.damaged {
        writeln!(out, "  {file}: {reason}")?;
    }
    writeln!(out, "rebuild: {}  ({})", c.rebuild, c.rebuild_paths)
}

/// The JSON form: one object on one line.
pub fn json(out: &mut impl Write, c: &CheckOutcome) -> io::Result<()> {
    let damaged: Vec<serde_json::Value> = c
        .damaged
        .iter()
        .map(|(file, reason)| serde_json::json!({"file": file, "reason": reason}))
        .collect();
    let obj = serde_json::json!({
        "index": c.index,
        "ok": c.damaged.is_empty(),
        "checked": c.checked,
        "damaged": damaged,
        "rebuild": c.rebuild,
    });
    writeln!(out, "{obj}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(damaged: Vec<(&'static str, &'static str)>) -> CheckOutcome<'static> {
        CheckOutcome {
            index: "idx",
            checked: 9,
            damaged,
            rebuild: "ofsearch ingest --rebuild --index idx PATH…",
            rebuild_paths: "PATH: the files",
        }
    }

    #[test]
    fn text_names_each_damaged_file_and_the_rebuild() {
        let mut out = Vec::new();
        text(&mut out, &outcome(vec![])).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "idx: 9 files verified, none damaged\n"
        );
        let mut out = Vec::new();
        text(&mut out, &outcome(vec![("a.idx", "checksum mismatch")])).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "idx: 1 of 9 files damaged\n  a.idx: checksum mismatch\nrebuild: ofsearch ingest --rebuild --index idx PATH…  (PATH: the files)\n"
        );
    }

    #[test]
    fn json_is_one_object() {
        let mut out = Vec::new();
        json(&mut out, &outcome(vec![("meta.json", "not valid JSON")])).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["ok"], false);
        assert_eq!(v["damaged"][0]["file"], "meta.json");
        assert_eq!(v["index"], "idx");
    }
}
