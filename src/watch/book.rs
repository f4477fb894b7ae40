//! The watches file: `watches.jsonl` in the index folder, one JSON object per
//! line (blank lines and lines starting with `#` are kept as they are). A
//! line per watch keeps a hand edit gone wrong to that watch: the others
//! still load, and the damaged line is written back untouched until it is
//! mended or removed. Every write goes to a temporary file renamed over the
//! old one, so a reader never sees half a file.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fields::FieldId;
use crate::query::request::Filters;

/// The file's name in the index folder. Not an index file: `ingest
/// --rebuild` leaves it.
pub const FILE: &str = "watches.jsonl";

/// Names the command line gives its own subcommands, so never a watch's.
const RESERVED: &[&str] = &["add", "list", "rm", "help"];

/// Longest watch name.
const MAX_NAME: usize = 64;

/// One saved search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Watch {
    /// Its name: letters, digits, `-`, `_` and `.` (it goes in URLs).
    pub name: String,
    /// The query, in the query language (empty: filters only).
    #[serde(default)]
    pub query: String,
    /// Filters as typed, by field name (`authority`, `type` …, and `since`
    /// and `until` for document dates).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub filters: BTreeMap<String, Vec<String>>,
    /// Words matched exactly (no stemming).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub exact: bool,
    /// When it was saved.
    pub created: jiff::Timestamp,
    /// Documents first indexed up to this time have been seen.
    pub seen: jiff::Timestamp,
    /// When it was last read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<jiff::Timestamp>,
}

/// What can go wrong with a watch or the file.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// No watch of that name.
    #[error("no watch named \"{name}\" ({known})")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names there are, said for the message.
        known: String,
    },
    /// A watch of that name exists.
    #[error("a watch named \"{0}\" exists already (`ofsearch watch add --replace` changes it)")]
    Exists(String),
    /// A name that cannot be a watch's.
    #[error("\"{name}\" cannot name a watch: {reason}")]
    BadName {
        /// The name.
        name: String,
        /// Why.
        reason: String,
    },
    /// A line of the file that is not a watch.
    #[error("watch {label} of {file} is damaged: {reason}; mend the line or run `ofsearch watch rm {name}`")]
    Damaged {
        /// The file.
        file: String,
        /// Its line number (from 1).
        line: usize,
        /// The watch's name when the line gives one, else the line number.
        label: String,
        /// A name to remove it by.
        name: String,
        /// Why it does not load.
        reason: String,
    },
    /// A saved query or filter this version does not take.
    #[error("watch \"{name}\": {reason}")]
    Invalid {
        /// The watch.
        name: String,
        /// What is wrong and how to mend it.
        reason: String,
    },
    /// The file cannot be read or written.
    #[error("watches file {file}: {source}")]
    Io {
        /// The file.
        file: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl Watch {
    /// A new watch that has seen every document first indexed up to `seen`.
    pub fn new(
        name: &str,
        query: &str,
        filters: &Filters,
        exact: bool,
        seen: jiff::Timestamp,
    ) -> Watch {
        let mut map = BTreeMap::new();
        for (id, values) in &filters.values {
            let values: Vec<String> = values
                .iter()
                .filter(|v| !v.trim().is_empty())
                .cloned()
                .collect();
            if !values.is_empty() {
                map.insert(id.name().to_string(), values);
            }
        }
        for (key, value) in [("since", &filters.since), ("until", &filters.until)] {
            if let Some(v) = value.as_ref().filter(|v| !v.trim().is_empty()) {
                map.insert(key.to_string(), vec![v.clone()]);
            }
        }
        Watch {
            name: name.to_string(),
            query: query.to_string(),
            filters: map,
            exact,
            created: jiff::Timestamp::now(),
            seen,
            read: None,
        }
    }

    /// Its filters as the query takes them; a field this version does not
    /// know is an error naming the watch.
    pub fn typed_filters(&self) -> Result<Filters, WatchError> {
        let mut filters = Filters::default();
        for (key, values) in &self.filters {
            let one =
                |values: &[String]| -> Result<Option<String>, WatchError> {
                    match values {
                        [] => Ok(None),
                        [v] => Ok(Some(v.clone())),
                        _ => Err(self
                            .invalid(format!("filter {key} takes one date, not {}", values.len()))),
                    }
                };
            match key.as_str() {
                "since" => filters.since = one(values)?,
                "until" => filters.until = one(values)?,
                name => match FieldId::named(name) {
                    Some(id) => filters.of_mut(id).extend(values.iter().cloned()),
                    None => {
                        let known: Vec<&str> = FieldId::all().map(|f| f.name()).collect();
                        return Err(self.invalid(format!(
                            "unknown filter field \"{name}\" (fields: {}, since, until)",
                            known.join(", ")
                        )));
                    }
                },
            }
        }
        Ok(filters)
    }

    /// An error about this watch.
    pub fn invalid(&self, reason: impl Into<String>) -> WatchError {
        WatchError::Invalid {
            name: self.name.clone(),
            reason: reason.into(),
        }
    }

    /// The filters as one line for people (`authority=Hull type=focused visit`).
    pub fn filters_line(&self) -> String {
        self.filters
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| format!("{k}={v}")))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Refuse a name a watch cannot have.
pub fn check_name(name: &str) -> Result<(), WatchError> {
    let bad = |reason: &str| {
        Err(WatchError::BadName {
            name: name.to_string(),
            reason: reason.to_string(),
        })
    };
    if name.is_empty() {
        return bad("it is empty");
    }
    if name.chars().count() > MAX_NAME {
        return bad("it is longer than 64 characters");
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        || name.starts_with('.')
        || name.starts_with('-')
    {
        return bad("use letters, digits, '-', '_' and '.' (not first)");
    }
    if RESERVED.contains(&name) {
        return bad("it is a subcommand of `ofsearch watch`");
    }
    Ok(())
}

/// One line of the file.
#[derive(Debug, Clone)]
enum Line {
    Watch(Watch),
    /// A line that is not a watch, kept as it is.
    Damaged {
        raw: String,
        number: usize,
        name: Option<String>,
        reason: String,
    },
    /// A blank or `#` line.
    Other(String),
}

/// The watches of one index.
#[derive(Debug, Clone)]
pub struct WatchBook {
    file: PathBuf,
    lines: Vec<Line>,
}

/// The first line of a new file: what it is, for whoever opens it.
const HEADER: &str =
    "# ofsearch saved searches, one JSON object per line (see `ofsearch watch --help`)";

impl WatchBook {
    /// The watches kept in `index_dir` (none when the file does not exist).
    pub fn open(index_dir: &Path) -> Result<WatchBook, WatchError> {
        let file = index_dir.join(FILE);
        let text = match std::fs::read(&file) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(WatchError::Io {
                    file: file.display().to_string(),
                    source,
                })
            }
        };
        Ok(WatchBook {
            lines: parse(&text),
            file,
        })
    }

    /// The file's path.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Is there no watch, sound or damaged?
    pub fn is_empty(&self) -> bool {
        !self.lines.iter().any(|l| !matches!(l, Line::Other(_)))
    }

    /// Every watch in file order; a damaged line is its error.
    pub fn all(&self) -> Vec<Result<&Watch, WatchError>> {
        self.lines
            .iter()
            .filter_map(|l| match l {
                Line::Watch(w) => Some(Ok(w)),
                Line::Damaged { .. } => Some(Err(self.damaged(l))),
                Line::Other(_) => None,
            })
            .collect()
    }

    /// The names of the watches, damaged ones included.
    pub fn names(&self) -> Vec<String> {
        self.lines
            .iter()
            .filter_map(|l| match l {
                Line::Watch(w) => Some(w.name.clone()),
                Line::Damaged { name, number, .. } => {
                    Some(name.clone().unwrap_or_else(|| format!("line-{number}")))
                }
                Line::Other(_) => None,
            })
            .collect()
    }

    /// The watch called `name`.
    pub fn get(&self, name: &str) -> Result<&Watch, WatchError> {
        match self.find(name) {
            Some(i) => match &self.lines[i] {
                Line::Watch(w) => Ok(w),
                l => Err(self.damaged(l)),
            },
            None => Err(self.unknown(name)),
        }
    }

    /// Add a watch; with `replace`, one of the same name is replaced in place.
    pub fn add(&mut self, watch: Watch, replace: bool) -> Result<(), WatchError> {
        check_name(&watch.name)?;
        match self.find(&watch.name) {
            Some(i) if replace => self.lines[i] = Line::Watch(watch),
            Some(_) => return Err(WatchError::Exists(watch.name)),
            None => {
                if self.lines.is_empty() {
                    self.lines.push(Line::Other(HEADER.to_string()));
                }
                self.lines.push(Line::Watch(watch));
            }
        }
        Ok(())
    }

    /// Remove the watch called `name` (a damaged one too: by the name its
    /// line gives, or `line-N`).
    pub fn remove(&mut self, name: &str) -> Result<(), WatchError> {
        let i = self.find(name).ok_or_else(|| self.unknown(name))?;
        self.lines.remove(i);
        Ok(())
    }

    /// Replace a sound watch by its new state (after a read).
    pub fn update(&mut self, watch: &Watch) -> Result<(), WatchError> {
        match self.find(&watch.name) {
            Some(i) if matches!(self.lines[i], Line::Watch(_)) => {
                self.lines[i] = Line::Watch(watch.clone());
                Ok(())
            }
            Some(i) => Err(self.damaged(&self.lines[i])),
            None => Err(self.unknown(&watch.name)),
        }
    }

    /// Write the file: a temporary file beside it, renamed over it.
    pub fn save(&self) -> Result<(), WatchError> {
        let io = |source| WatchError::Io {
            file: self.file.display().to_string(),
            source,
        };
        let mut text = String::new();
        for line in &self.lines {
            match line {
                Line::Watch(w) => {
                    text.push_str(&serde_json::to_string(w).map_err(|e| io(e.into()))?)
                }
                Line::Damaged { raw, .. } | Line::Other(raw) => text.push_str(raw),
            }
            text.push('\n');
        }
        let dir = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io)?;
        let tmp = dir.join(format!(".{FILE}.{}.tmp", std::process::id()));
        let written = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, &self.file)
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        written.map_err(io)
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.lines.iter().position(|l| match l {
            Line::Watch(w) => w.name == name,
            Line::Damaged { name: Some(n), .. } => n == name,
            Line::Damaged { number, .. } => format!("line-{number}") == name,
            Line::Other(_) => false,
        })
    }

    fn unknown(&self, name: &str) -> WatchError {
        let names = self.names();
        let known = if names.is_empty() {
            "there are none yet: `ofsearch watch add NAME QUERY` saves one".to_string()
        } else {
            format!("watches: {}", names.join(", "))
        };
        WatchError::Unknown {
            name: name.to_string(),
            known,
        }
    }

    fn damaged(&self, line: &Line) -> WatchError {
        match line {
            Line::Damaged {
                number,
                name,
                reason,
                ..
            } => WatchError::Damaged {
                file: self.file.display().to_string(),
                line: *number,
                label: name.as_ref().map_or_else(
                    || format!("on line {number}"),
                    |n| format!("\"{n}\" (line {number})"),
                ),
                name: name.clone().unwrap_or_else(|| format!("line-{number}")),
                reason: reason.clone(),
            },
            _ => WatchError::Invalid {
                name: String::new(),
                reason: "not a damaged line".into(),
            },
        }
    }
}

/// The file's lines: each a watch, a damaged watch, or a blank/comment line.
fn parse(text: &str) -> Vec<Line> {
    let mut seen_names: Vec<String> = Vec::new();
    text.lines()
        .enumerate()
        .map(|(i, raw)| {
            let number = i + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                return Line::Other(raw.to_string());
            }
            let damaged = |reason: String| Line::Damaged {
                raw: raw.to_string(),
                number,
                name: name_in(trimmed),
                reason,
            };
            let watch: Watch = match serde_json::from_str(trimmed) {
                Ok(w) => w,
                Err(e) => return damaged(e.to_string()),
            };
            if let Err(e) = check_name(&watch.name) {
                return damaged(e.to_string());
            }
            if seen_names.contains(&watch.name) {
                return damaged(format!("a second watch named \"{}\"", watch.name));
            }
            seen_names.push(watch.name.clone());
            Line::Watch(watch)
        })
        .collect()
}

/// The `"name"` a damaged line still gives, if any.
fn name_in(line: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(line).ok()?;
    let name = value.get("name")?.as_str()?;
    check_name(name).ok()?;
    Some(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> jiff::Timestamp {
        jiff::Timestamp::from_second(secs).unwrap()
    }

    fn watch(name: &str) -> Watch {
        let mut f = Filters::default();
        f.push(FieldId::named("authority").unwrap(), "Hull");
        f.since = Some("2020".into());
        Watch::new(name, "neglect", &f, false, at(1_700_000_000))
    }

    #[test]
    fn saves_and_reads_back_one_line_per_watch() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = WatchBook::open(dir.path()).unwrap();
        assert!(book.is_empty());
        book.add(watch("hull-neglect"), false).unwrap();
        book.add(watch("b"), false).unwrap();
        assert!(matches!(
            book.add(watch("b"), false),
            Err(WatchError::Exists(_))
        ));
        book.save().unwrap();
        let text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.lines().nth(1).unwrap().starts_with(r#"{"name":"hull-neglect","query":"neglect","filters":{"authority":["Hull"],"since":["2020"]}"#), "{text}");
        let again = WatchBook::open(dir.path()).unwrap();
        let w = again.get("hull-neglect").unwrap();
        assert_eq!(w, book.get("hull-neglect").unwrap());
        let typed = w.typed_filters().unwrap();
        assert_eq!(typed.since.as_deref(), Some("2020"));
        assert_eq!(typed.of(FieldId::named("authority").unwrap()), ["Hull"]);
        assert_eq!(w.filters_line(), "authority=Hull since=2020");
    }

    #[test]
    fn a_damaged_line_names_its_watch_and_spares_the_others() {
        let dir = tempfile::tempdir().unwrap();
        let mut book = WatchBook::open(dir.path()).unwrap();
        book.add(watch("good"), false).unwrap();
        book.save().unwrap();
        let path = dir.path().join(FILE);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("{\"name\": \"broken\", \"query\": 3}\nnot json at all\n");
        std::fs::write(&path, &text).unwrap();
        let mut book = WatchBook::open(dir.path()).unwrap();
        assert_eq!(book.names(), ["good", "broken", "line-4"]);
        assert!(book.get("good").is_ok());
        let e = book.get("broken").unwrap_err().to_string();
        assert!(e.starts_with("watch \"broken\" (line 3) of "), "{e}");
        assert!(
            e.contains(" is damaged: ") && e.contains("ofsearch watch rm broken"),
            "{e}"
        );
        assert!(!e.contains('\n'));
        // Saving keeps the damaged lines as they were; removing one drops it.
        let mut good = book.get("good").unwrap().clone();
        good.read = Some(at(1_800_000_000));
        book.update(&good).unwrap();
        book.remove("line-4").unwrap();
        book.save().unwrap();
        let saved = std::fs::read_to_string(&path).unwrap();
        assert!(saved.contains("{\"name\": \"broken\", \"query\": 3}\n"));
        assert!(!saved.contains("not json"));
        assert!(matches!(book.get("nope"), Err(WatchError::Unknown { .. })));
    }

    #[test]
    fn names_fit_urls_and_spare_the_subcommands() {
        assert!(check_name("hull-neglect_2.0").is_ok());
        for bad in ["", "add", "a b", "a/b", ".hidden", "-x", &"x".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_unknown_field_is_an_error_naming_the_watch() {
        let mut w = watch("w");
        w.filters.insert("region".into(), vec!["north".into()]);
        let e = w.typed_filters().unwrap_err().to_string();
        assert!(
            e.starts_with("watch \"w\": unknown filter field \"region\""),
            "{e}"
        );
    }
}
