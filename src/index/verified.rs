//! Which files of an index were verified sound, and as what: a file is
//! known by its size, modification and change times, inode and device, so
//! a file written, copied or restored since (a copy is a new inode with a new
//! change time, whatever `cp -a` or `rsync` keep) is verified again.
//!
//! Kept beside the index (`ofsearch-verified`, one `name<TAB>stamp` line per
//! file), written whole through a temporary file. A folder that cannot be
//! written (read-only media) simply verifies every time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file's name in the index folder.
pub const FILE: &str = "ofsearch-verified";

/// Files verified sound, by name, with the stamp each had.
#[derive(Debug)]
pub struct Verified {
    dir: PathBuf,
    known: BTreeMap<String, String>,
    /// Files verified or confirmed in this round: only they are kept.
    seen: BTreeMap<String, String>,
    changed: bool,
}

impl Verified {
    /// What was verified in `dir` before (nothing when the file is absent or unreadable).
    pub fn load(dir: &Path) -> Verified {
        let known = std::fs::read_to_string(dir.join(FILE))
            .map(|text| {
                text.lines()
                    .filter_map(|line| line.split_once('\t'))
                    .map(|(name, stamp)| (name.to_string(), stamp.to_string()))
                    .collect()
            })
            .unwrap_or_default();
        Verified {
            dir: dir.to_path_buf(),
            known,
            seen: BTreeMap::new(),
            changed: false,
        }
    }

    /// Whether `name` was verified as it is now.
    pub fn is_fresh(&mut self, name: &str) -> bool {
        let Some(now) = stamp(&self.dir.join(name)) else {
            return false;
        };
        if self.known.get(name) == Some(&now) {
            self.seen.insert(name.to_string(), now);
            return true;
        }
        false
    }

    /// Record `name` as verified sound as it is now.
    pub fn mark(&mut self, name: &str) {
        if let Some(now) = stamp(&self.dir.join(name)) {
            self.changed |= self.known.get(name) != Some(&now);
            self.seen.insert(name.to_string(), now);
        }
    }

    /// Write what this round verified, when it differs from what was there.
    pub fn save(self) {
        if !self.changed && self.seen.len() == self.known.len() {
            return;
        }
        let mut text = String::new();
        for (name, stamp) in &self.seen {
            text.push_str(name);
            text.push('\t');
            text.push_str(stamp);
            text.push('\n');
        }
        static ROUND: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let round = ROUND.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = self
            .dir
            .join(format!(".{FILE}.{}.{round}.tmp", std::process::id()));
        if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, self.dir.join(FILE)).is_err()
        {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// What identifies a file's present bytes without reading them.
fn stamp(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    let nanos = |t: std::io::Result<std::time::SystemTime>| {
        t.ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos())
    };
    let mut out = format!("{} {}", meta.len(), nanos(meta.modified()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        out.push_str(&format!(
            " {}.{} {} {}",
            meta.ctime(),
            meta.ctime_nsec(),
            meta.ino(),
            meta.dev()
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_fresh_until_it_is_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), "one").unwrap();
        let mut v = Verified::load(dir.path());
        assert!(!v.is_fresh("a"));
        v.mark("a");
        v.save();
        let mut v = Verified::load(dir.path());
        assert!(v.is_fresh("a"));
        // Same size, rewritten: a new change time (and usually inode).
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(dir.path().join("a"), "two").unwrap();
        assert!(!v.is_fresh("a"));
        assert!(!v.is_fresh("gone"));
    }
}
