//! Links between news documents and the letters or reports they are about,
//! kept beside the index in one small file that `ofsearch link` (and every
//! ingest that changes the index) rewrites whole, so a reader sees either the
//! old links or the new ones.
//!
//! The file holds one JSON line per linked document, sorted by its path as
//! written: a search that shows ten hits looks up ten lines by binary search
//! instead of parsing every link of a large index.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::document::{DocumentMeta, LinkRef};

/// File name of the links beside the index.
pub const LINKS_FILE: &str = "ofsearch-links.jsonl";

/// Where indexes built before the links file was sorted kept them (one JSON
/// object): still read, and removed by the next write.
const OLD_LINKS_FILE: &str = "ofsearch-links.json";

/// The text that starts every line, before the path.
const LINE_START: &[u8] = b"{\"path\":";

/// Every document's links, by path.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Links {
    /// News document path → the letter or report it is about.
    pub reports_on: HashMap<String, LinkRef>,
    /// Letter or report path → the news documents about it.
    pub reported_by: HashMap<String, Vec<LinkRef>>,
}

/// One line of the links file: one document's links.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Line {
    path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reports_on: Option<LinkRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    reported_by: Vec<LinkRef>,
}

impl Links {
    /// Write the links beside the index in `dir`, replacing the old ones at once.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let mut lines: BTreeMap<String, Line> = BTreeMap::new();
        for (path, link) in &self.reports_on {
            line_of(&mut lines, path)?.reports_on = Some(link.clone());
        }
        for (path, stories) in &self.reported_by {
            line_of(&mut lines, path)?.reported_by = stories.clone();
        }
        let mut out = Vec::new();
        for line in lines.values() {
            serde_json::to_writer(&mut out, line).map_err(std::io::Error::other)?;
            out.push(b'\n');
        }
        let tmp = dir.join(format!("{LINKS_FILE}.tmp"));
        std::fs::write(&tmp, out)?;
        std::fs::rename(&tmp, dir.join(LINKS_FILE))?;
        match std::fs::remove_file(dir.join(OLD_LINKS_FILE)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// The links files of the index in `dir` with what is wrong with each, if
/// anything: every line of the sorted file must parse, in path order (a
/// lookup is a binary search: a line out of order hides others). Files
/// `fresh` says were verified as they are are not read again.
pub fn check(dir: &Path, fresh: &mut dyn FnMut(&str) -> bool) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for name in [LINKS_FILE, OLD_LINKS_FILE] {
        if !dir.join(name).is_file() {
            continue;
        }
        let problem = if fresh(name) {
            None
        } else {
            match std::fs::read(dir.join(name)) {
                Err(e) => Some(format!("cannot read: {e}")),
                Ok(bytes) if name == LINKS_FILE => lines_problem(&bytes),
                Ok(bytes) => serde_json::from_slice::<Links>(&bytes)
                    .err()
                    .map(|e| format!("does not parse ({e})")),
            }
        };
        out.push((name.to_string(), problem));
    }
    out
}

/// The first line of a links file that does not parse or is out of order.
fn lines_problem(bytes: &[u8]) -> Option<String> {
    let mut previous: Option<&[u8]> = None;
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        if let Err(e) = serde_json::from_slice::<Line>(line) {
            return Some(format!("line {} does not parse ({e})", n + 1));
        }
        let key = key_of(line);
        if previous.is_some_and(|p| p >= key) {
            return Some(format!("line {} is out of order", n + 1));
        }
        previous = Some(key);
    }
    None
}

/// The line of `path` among `lines`, keyed by the path as written.
fn line_of<'a>(lines: &'a mut BTreeMap<String, Line>, path: &str) -> std::io::Result<&'a mut Line> {
    let key = key(path).ok_or_else(|| std::io::Error::other("unwritable path"))?;
    Ok(lines.entry(key).or_insert_with(|| Line {
        path: path.to_string(),
        ..Line::default()
    }))
}

/// From this many lookups on, the file's lines are indexed by path first:
/// a binary search per document would cost more.
const INDEX_FROM: usize = 64;

/// A path as the links file writes it (a JSON string): the lines' sort key.
fn key(path: &str) -> Option<String> {
    serde_json::to_string(path).ok()
}

/// The links of an index, read for lookups by path.
#[derive(Debug, Default)]
pub enum LinkFile {
    /// No links.
    #[default]
    Empty,
    /// Sorted lines, parsed one at a time when looked up.
    Lines(SortedLines),
    /// A whole-object file from an older version.
    Whole(Links),
}

impl LinkFile {
    /// Read the links of the index in `dir` (none when there is no file or it is unreadable).
    pub fn read(dir: &Path) -> LinkFile {
        if let Ok(bytes) = std::fs::read(dir.join(LINKS_FILE)) {
            return LinkFile::Lines(SortedLines {
                bytes,
                index: std::sync::OnceLock::new(),
            });
        }
        std::fs::read(dir.join(OLD_LINKS_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .map_or(LinkFile::Empty, LinkFile::Whole)
    }

    /// Put a document's links on its metadata.
    pub fn attach(&self, meta: &mut DocumentMeta) {
        match self {
            LinkFile::Empty => {}
            LinkFile::Lines(lines) => {
                let line = key(&meta.path).and_then(|key| lines.find(key.as_bytes()));
                set_links(meta, line);
            }
            LinkFile::Whole(links) => {
                meta.reports_on = links.reports_on.get(&meta.path).cloned();
                meta.reported_by = links
                    .reported_by
                    .get(&meta.path)
                    .cloned()
                    .unwrap_or_default();
            }
        }
    }

    /// Put their links on many documents' metadata.
    pub fn attach_all<'m>(&self, metas: impl ExactSizeIterator<Item = &'m mut DocumentMeta>) {
        if let LinkFile::Lines(lines) = self {
            if metas.len() >= INDEX_FROM {
                lines.index();
            }
        }
        metas.for_each(|m| self.attach(m));
    }
}

/// The links file's bytes, and where its lines start once a long listing
/// has asked for many of them.
#[derive(Debug, Default)]
pub struct SortedLines {
    bytes: Vec<u8>,
    /// Each line's key and whole line as byte ranges, in the file's (key)
    /// order. Built once, on the first batch of [`INDEX_FROM`] lookups, and
    /// kept: a listing's loaders ask again for every chunk.
    index: std::sync::OnceLock<Vec<(Range<usize>, Range<usize>)>>,
}

impl SortedLines {
    /// Index the lines (once).
    fn index(&self) -> &[(Range<usize>, Range<usize>)] {
        self.index.get_or_init(|| {
            let mut out = Vec::new();
            let mut start = 0;
            for end in memchr::memchr_iter(b'\n', &self.bytes).chain([self.bytes.len()]) {
                if end > start {
                    // A key is empty or follows `LINE_START`.
                    let len = key_of(&self.bytes[start..end]).len();
                    let from = if len == 0 {
                        start
                    } else {
                        start + LINE_START.len()
                    };
                    out.push((from..from + len, start..end));
                }
                start = end + 1;
            }
            out
        })
    }

    /// The line of `key`: by the index when there is one, else by probing the bytes.
    fn find(&self, key: &[u8]) -> Option<&[u8]> {
        let Some(index) = self.index.get() else {
            return find_line(&self.bytes, key);
        };
        index
            .binary_search_by(|(k, _)| self.bytes[k.clone()].cmp(key))
            .ok()
            .map(|at| &self.bytes[index[at].1.clone()])
    }
}

/// Put the links of `line` (none when `None` or unreadable) on `meta`.
fn set_links(meta: &mut DocumentMeta, line: Option<&[u8]>) {
    let Some(line) = line.and_then(|l| serde_json::from_slice::<Line>(l).ok()) else {
        return;
    };
    meta.reports_on = line.reports_on;
    meta.reported_by = line.reported_by;
}

/// The line whose path, as written (a JSON string), is `key`: a binary
/// search over byte offsets, each probe reading the line around it.
fn find_line<'a>(bytes: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    // Lines starting in lo..hi are left to look at; lo is always a line start.
    let (mut lo, mut hi) = (0, bytes.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let start = memchr::memrchr(b'\n', &bytes[lo..mid]).map_or(lo, |i| lo + i + 1);
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let line = &bytes[start..end];
        match key_of(line).cmp(key) {
            std::cmp::Ordering::Equal => return Some(line),
            std::cmp::Ordering::Less => lo = end + 1,
            std::cmp::Ordering::Greater => hi = start,
        }
    }
    None
}

/// A line's path as written: the JSON string after `{"path":`, quotes included.
fn key_of(line: &[u8]) -> &[u8] {
    let Some(rest) = line.strip_prefix(LINE_START) else {
        return &[];
    };
    let mut escaped = false;
    for (i, &b) in rest.iter().enumerate().skip(1) {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            b'"' => return &rest[..=i],
            _ => {}
        }
    }
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_a_links_file_with_a_bad_line() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check(dir.path(), &mut |_| false).is_empty());
        let mut links = Links::default();
        links.reports_on.insert("a.html".into(), link("a.pdf"));
        links.reports_on.insert("b.html".into(), link("a.pdf"));
        links.write(dir.path()).unwrap();
        assert_eq!(
            check(dir.path(), &mut |_| false),
            [(LINKS_FILE.to_string(), None)]
        );
        let path = dir.path().join(LINKS_FILE);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen("\"path\"", "\"pa\u{1}h\"", 1)).unwrap();
        let found = check(dir.path(), &mut |_| false);
        assert!(found[0]
            .1
            .as_deref()
            .unwrap()
            .starts_with("line 1 does not parse"));
    }

    fn link(path: &str) -> LinkRef {
        LinkRef {
            path: path.to_string(),
            title: format!("about {path}"),
            ..LinkRef::default()
        }
    }

    fn meta(path: &str) -> DocumentMeta {
        DocumentMeta {
            path: path.to_string(),
            ..DocumentMeta::default()
        }
    }

    #[test]
    fn every_written_link_is_found_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let mut links = Links::default();
        let news: Vec<String> = (0..300)
            .map(|i| format!("news/{i:03} \"quoted\" \\ é.html"))
            .collect();
        for (i, path) in news.iter().enumerate() {
            let letter = format!("letters/{}.pdf", i % 7);
            links.reports_on.insert(path.clone(), link(&letter));
            links
                .reported_by
                .entry(letter)
                .or_default()
                .push(link(path));
        }
        links.write(dir.path()).unwrap();
        let file = LinkFile::read(dir.path());
        assert!(matches!(file, LinkFile::Lines(_)));
        for path in &news {
            let mut m = meta(path);
            file.attach(&mut m);
            assert_eq!(m.reports_on, links.reports_on.get(path).cloned(), "{path}");
        }
        for i in 0..7 {
            let letter = format!("letters/{i}.pdf");
            let mut m = meta(&letter);
            file.attach(&mut m);
            assert_eq!(m.reported_by, links.reported_by[&letter]);
        }
        for missing in ["", "a", "news/", "news/000", "zzz", "letters/7.pdf"] {
            let mut m = meta(missing);
            file.attach(&mut m);
            assert_eq!((m.reports_on, m.reported_by.len()), (None, 0), "{missing}");
        }
    }

    #[test]
    fn many_lookups_at_once_find_the_same_links() {
        let dir = tempfile::tempdir().unwrap();
        let mut links = Links::default();
        for i in 0..200 {
            links.reports_on.insert(
                format!("n/{i}\\\"x\".html"),
                link(&format!("l/{}.pdf", i % 9)),
            );
        }
        links.write(dir.path()).unwrap();
        let file = LinkFile::read(dir.path());
        let paths: Vec<String> = (0..400).map(|i| format!("n/{i}\\\"x\".html")).collect();
        let mut one_by_one: Vec<DocumentMeta> = paths.iter().map(|p| meta(p)).collect();
        one_by_one.iter_mut().for_each(|m| file.attach(m));
        let mut all: Vec<DocumentMeta> = paths.iter().map(|p| meta(p)).collect();
        file.attach_all(all.iter_mut());
        assert_eq!(all, one_by_one);
        assert_eq!(all.iter().filter(|m| m.reports_on.is_some()).count(), 200);
        // Once indexed, single lookups and small batches use the index.
        let mut again: Vec<DocumentMeta> = paths.iter().map(|p| meta(p)).collect();
        again.iter_mut().for_each(|m| file.attach(m));
        file.attach_all(again[..3].iter_mut());
        assert_eq!(again, one_by_one);
    }

    #[test]
    fn an_old_whole_file_is_still_read_and_replaced_by_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut links = Links::default();
        links.reports_on.insert("n.html".into(), link("l.pdf"));
        std::fs::write(
            dir.path().join(OLD_LINKS_FILE),
            serde_json::to_vec(&links).unwrap(),
        )
        .unwrap();
        let mut m = meta("n.html");
        LinkFile::read(dir.path()).attach(&mut m);
        assert_eq!(m.reports_on, Some(link("l.pdf")));
        links.write(dir.path()).unwrap();
        assert!(!dir.path().join(OLD_LINKS_FILE).exists());
        let mut m = meta("n.html");
        LinkFile::read(dir.path()).attach(&mut m);
        assert_eq!(m.reports_on, Some(link("l.pdf")));
    }

    #[test]
    fn no_file_or_a_damaged_one_means_no_links() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = meta("n.html");
        LinkFile::read(dir.path()).attach(&mut m);
        assert_eq!(m.reports_on, None);
        std::fs::write(
            dir.path().join(LINKS_FILE),
            b"{\"path\":\"n.html\",\"rep\n\xff\n",
        )
        .unwrap();
        LinkFile::read(dir.path()).attach(&mut m);
        assert_eq!(m.reports_on, None);
    }
}
