//! Which letter or report is a news story about?
//!
//! For each news document: the candidates are Ofsted's letters and reports
//! about the same authority (any of its names), dated up to [`WINDOW_DAYS`]
//! before the story (any date when the story has none). Each is scored by the
//! sentences the story quotes that are found in it (near-verbatim: quotes,
//! dashes, line breaks and ellipses folded), then by the runs of six words the
//! two share, then by the visit type the story names. A story links to the
//! best candidate only when something it quotes or repeats is found there: a
//! story whose letter is not indexed links to nothing, not to the nearest
//! letter of that council.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use regex::Regex;
use rustc_hash::FxHashSet;

use crate::document::{DocumentMeta, LinkRef};
use crate::index::links::Links;
use crate::index::IndexError;
use crate::index::{Reader, StoredDocument};
use crate::query::search::SearchError;

/// How long before a story its letter may be dated, in days.
pub const WINDOW_DAYS: i64 = 60;
/// How long after a story its letter may be dated (publication lags), in days.
pub const AFTER_DAYS: i64 = 3;
/// Words in a shared run.
const SHINGLE: usize = 6;
/// Fewest words a quoted fragment needs to count.
const MIN_QUOTE_WORDS: usize = 5;
/// Words quoted verbatim that make a link certain.
const QUOTE_SURE_WORDS: f64 = 20.0;
/// Lowest confidence that makes a link.
pub const MIN_CONFIDENCE: f64 = 0.25;

/// Lower-case words, typography folded: the form texts are compared in.
pub fn words(text: &str) -> Vec<String> {
    raw_words(text)
        .map(|w| {
            let mut folded = String::with_capacity(w.len());
            push_folded(&mut folded, w);
            folded
        })
        .collect()
}

/// The words of `text` as they stand, apostrophes at their ends trimmed.
fn raw_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}'))
        .map(|w| w.trim_matches(|c| c == '\'' || c == '\u{2019}'))
        .filter(|w| !w.is_empty())
}

/// Append one word folded: lower case, curly apostrophes straight.
fn push_folded(out: &mut String, word: &str) {
    // Nearly every word is ASCII: lowercased in place, no search for `’`.
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&word.replace('\u{2019}', "'").to_lowercase());
    }
}

/// `text`'s [`words`] joined by single spaces, with a space at each end (so
/// ` a quote ` is found only as whole words), built without a `String` per word.
fn joined_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    for w in raw_words(text) {
        push_folded(&mut out, w);
        out.push(' ');
    }
    if out.len() == 1 {
        out.push(' ');
    }
    out
}

/// Quoted fragments of a story (double quotes, straight or curly), split at
/// ellipses, each of at least [`MIN_QUOTE_WORDS`] words.
pub fn quotes(text: &str) -> Vec<Vec<String>> {
    static QUOTED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"[“"]([^“”"]{10,2000})[”"]"#).unwrap_or_else(|e| panic!("{e}"))
    });
    static ELLIPSIS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"…|\.\.\.|\[\s*\.\.\.\s*\]").unwrap_or_else(|e| panic!("{e}"))
    });
    QUOTED
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .flat_map(|m| ELLIPSIS.split(m.as_str()).map(words).collect::<Vec<_>>())
        .filter(|w| w.len() >= MIN_QUOTE_WORDS)
        .collect()
}

/// A word's 64-bit FNV-1a hash: shingles are compared by these, not by strings.
fn word_hash(w: &str) -> u64 {
    w.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The six-word runs of a [`joined_words`] text, hashed. The values are
/// hashes already, so the set hashes them cheaply (Fx, not SipHash).
fn shingles(joined: &str) -> FxHashSet<u64> {
    let ids: Vec<u64> = joined.split_ascii_whitespace().map(word_hash).collect();
    runs(&ids)
}

/// The hashes of every run of [`SHINGLE`] word hashes.
fn runs(ids: &[u64]) -> FxHashSet<u64> {
    ids.windows(SHINGLE)
        .map(|w| {
            w.iter().fold(0u64, |h, &id| {
                h.rotate_left(11) ^ id.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            })
        })
        .collect()
}

fn days(d: crate::document::Day) -> Option<i64> {
    Some(i64::from(
        d.since(jiff::civil::date(1970, 1, 1)).ok()?.get_days(),
    ))
}

/// A candidate's text, prepared once.
struct Candidate<'a> {
    doc: &'a StoredDocument,
    /// Its words joined by single spaces, padded: quotes are looked up in it.
    joined: String,
    shingles: FxHashSet<u64>,
}

/// How well a story fits one candidate.
#[derive(Debug, Clone, Default)]
struct Fit {
    quoted_words: usize,
    matched_words: usize,
    matched: Vec<String>,
    containment: f64,
    same_type: bool,
}

impl Fit {
    fn confidence(&self) -> f64 {
        // Twenty words quoted verbatim are as sure as it gets; a story's other
        // quotes (the council's reply) take nothing away.
        let quote = (self.matched_words as f64 / QUOTE_SURE_WORDS).min(1.0);
        let shared = (self.containment * 4.0).min(1.0);
        let base = if self.quoted_words > 0 {
            0.7 * quote + 0.3 * shared
        } else {
            shared
        };
        (base + if self.same_type { 0.05 } else { 0.0 }).min(1.0)
    }

    fn evidence_found(&self) -> bool {
        self.matched_words > 0 || self.containment >= 0.05
    }
}

fn fit(
    story: &DocumentMeta,
    quotes: &[Vec<String>],
    shingles: &FxHashSet<u64>,
    c: &Candidate,
) -> Fit {
    let mut f = Fit {
        same_type: story.visit_type.is_some() && story.visit_type == c.doc.meta.visit_type,
        ..Fit::default()
    };
    for q in quotes {
        f.quoted_words += q.len();
        let needle = format!(" {} ", q.join(" "));
        if c.joined.contains(&needle) {
            f.matched_words += q.len();
            f.matched.push(q.join(" "));
        }
    }
    if !shingles.is_empty() {
        let shared = shingles.iter().filter(|s| c.shingles.contains(s)).count();
        f.containment = shared as f64 / shingles.len() as f64;
    }
    f
}

fn link_ref(meta: &DocumentMeta, confidence: f64, evidence: Vec<String>) -> LinkRef {
    LinkRef {
        path: meta.path.clone(),
        title: meta.title.clone(),
        date: meta.date,
        doc_id: meta.id(),
        confidence: (confidence * 1000.0).round() / 1000.0,
        evidence,
    }
}

/// Candidates read whole at most, when the index cannot narrow them by quotes.
const NEAREST: usize = 12;
/// Words of a quote looked up in the index.
const LOOKUP_WORDS: usize = 8;

/// Paths of the authority's documents holding the first words of any quote.
fn quoting_documents(
    reader: &Reader,
    authority: &str,
    quotes: &[Vec<String>],
) -> Result<HashSet<String>, IndexError> {
    let mut longest: Vec<&Vec<String>> = quotes.iter().collect();
    longest.sort_by_key(|q| std::cmp::Reverse(q.len()));
    let mut paths = HashSet::new();
    for q in longest.into_iter().take(3) {
        let phrase: Vec<&str> = q
            .iter()
            .take(LOOKUP_WORDS)
            .map(|w| w.as_str())
            .filter(|w| w.chars().all(|c| c.is_alphanumeric() || c == '\''))
            .collect();
        if phrase.len() < 3 {
            continue;
        }
        let request = crate::query::SearchRequest {
            query: format!("\"{}\"", phrase.join(" ")),
            filters: vec![vec![crate::query::filter::Resolved::Keyword(
                crate::query::parse::FilterField::Meta(crate::fields::AUTHORITY),
                authority.to_string(),
            )]],
            options: crate::query::MatchOptions { exact: true },
            limit: None,
            detail: Default::default(),
            explain: false,
        };
        // A fragment the query language cannot take is simply not looked up.
        if let Ok((addrs, searcher, _)) = crate::query::search::matching_request(reader, &request) {
            paths.extend(reader.distinct_paths(&searcher, &addrs)?);
        }
    }
    Ok(paths)
}

/// Is this document Ofsted's own (a letter or report), not news?
fn is_ofsted(meta: &DocumentMeta) -> bool {
    meta.source.as_deref() == Some("ofsted")
}

/// Every news document with the letter or report it is about, if any.
///
/// Stories are linked an authority at a time, the authorities in parallel:
/// only one authority's stories and candidate letters are held in memory per
/// thread, and a candidate's text is read only when its date fits a story.
pub fn link_all(reader: &Reader) -> Result<Vec<Linked>, IndexError> {
    use rayon::prelude::*;
    let docs = reader.documents()?;
    let mut by_authority: HashMap<&str, Vec<&StoredDocument>> = HashMap::new();
    for d in docs.iter().filter(|d| is_ofsted(&d.meta)) {
        if let Some(a) = &d.meta.authority {
            by_authority.entry(a.as_str()).or_default().push(d);
        }
    }
    let mut groups: HashMap<Option<&str>, Vec<(usize, &StoredDocument)>> = HashMap::new();
    for (i, d) in docs.iter().filter(|d| !is_ofsted(&d.meta)).enumerate() {
        groups
            .entry(d.meta.authority.as_deref())
            .or_default()
            .push((i, d));
    }
    let mut groups: Vec<_> = groups.into_iter().collect();
    // Larger groups first, so the last thread to finish is not left with the biggest.
    groups.sort_by_key(|(_, stories)| std::cmp::Reverse(stories.len()));
    let searcher = reader.searcher();
    let linked: Vec<Vec<(usize, DocumentMeta, Option<LinkRef>)>> = groups
        .par_iter()
        .map(|(authority, stories)| {
            let letters = authority
                .and_then(|a| by_authority.get(a))
                .map(Vec::as_slice)
                .unwrap_or_default();
            link_authority(reader, &searcher, *authority, stories, letters)
        })
        .collect::<Result<_, _>>()?;
    let mut out: Vec<(usize, DocumentMeta, Option<LinkRef>)> =
        linked.into_iter().flatten().collect();
    out.sort_by_key(|(i, _, _)| *i);
    Ok(out.into_iter().map(|(_, m, l)| (m, l)).collect())
}

/// A news document and the letter or report it is about, if any.
pub type Linked = (DocumentMeta, Option<LinkRef>);

/// Every news document with the letter or report it is about, as the last
/// ingest (or `ofsearch link`) linked them and kept beside the index; `None`
/// when the index keeps none written since its last commit ([`link_all`]
/// then works them out).
///
/// Every ingest that changes the index relinks it, so these are what
/// `link_all` would find, and what searches show on their hits; reading them
/// costs a listing of the documents where linking scores every story
/// against its council's letters (1.1 s at the benchmark's 100x).
pub fn stored_links(reader: &Reader) -> Result<Option<Vec<Linked>>, SearchError> {
    if !reader.keeps_current_links() {
        return Ok(None);
    }
    Ok(Some(
        reader
            .documents()?
            .into_iter()
            .filter(|d| !is_ofsted(&d.meta))
            .map(|d| {
                let link = d.meta.reports_on.clone();
                (d.meta, link)
            })
            .collect(),
    ))
}

/// A story's date in days, and whether a letter's date fits its window.
fn in_window(story_day: Option<i64>, letter: &StoredDocument) -> bool {
    match (story_day, letter.meta.date.and_then(days)) {
        (Some(s), Some(l)) => l >= s - WINDOW_DAYS && l <= s + AFTER_DAYS,
        (None, _) => true,
        (Some(_), None) => false,
    }
}

/// Days between a story and a letter (unknown: as far as can be).
fn gap_days(story_day: Option<i64>, letter: &StoredDocument) -> i64 {
    match (story_day, letter.meta.date.and_then(days)) {
        (Some(s), Some(l)) => (s - l).abs(),
        _ => i64::MAX,
    }
}

/// Joined texts of these documents, read in one pass over the index.
fn texts_of(
    reader: &Reader,
    searcher: &tantivy::Searcher,
    paths: &[&str],
) -> Result<HashMap<String, String>, IndexError> {
    if paths.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(reader
        .passages_of(searcher, paths)?
        .into_iter()
        .map(|(path, ps)| {
            let text = ps
                .into_iter()
                .map(|p| p.text)
                .collect::<Vec<_>>()
                .join("\n");
            (path, text)
        })
        .collect())
}

/// Link the stories about one authority to its letters and reports.
fn link_authority(
    reader: &Reader,
    searcher: &tantivy::Searcher,
    authority: Option<&str>,
    stories: &[(usize, &StoredDocument)],
    letters: &[&StoredDocument],
) -> Result<Vec<(usize, DocumentMeta, Option<LinkRef>)>, IndexError> {
    let unlinked = || {
        stories
            .iter()
            .map(|(i, s)| (*i, s.meta.clone(), None))
            .collect()
    };
    let Some(authority) = authority else {
        return Ok(unlinked());
    };
    if letters.is_empty() {
        return Ok(unlinked());
    }
    let story_paths: Vec<&str> = stories.iter().map(|(_, s)| s.meta.path.as_str()).collect();
    let story_texts = texts_of(reader, searcher, &story_paths)?;
    // Each story's candidates first; then every candidate text they need, in one read.
    let mut plans = Vec::with_capacity(stories.len());
    for (i, story) in stories {
        let story_day = story.meta.date.and_then(days);
        let text = story_texts
            .get(&story.meta.path)
            .map(String::as_str)
            .unwrap_or("");
        let story_quotes = quotes(text);
        let mut candidates: Vec<&StoredDocument> = letters
            .iter()
            .copied()
            .filter(|c| in_window(story_day, c))
            .collect();
        // Reading every candidate whole costs; the index says at once which
        // of them hold what the story quotes. Without quotes, the nearest in date.
        if candidates.len() > NEAREST {
            let quoting = quoting_documents(reader, authority, &story_quotes)?;
            if quoting.is_empty() {
                candidates.sort_by_key(|d| gap_days(story_day, d));
                candidates.truncate(NEAREST);
            } else {
                candidates.retain(|c| quoting.contains(&c.meta.path));
            }
        }
        let story_shingles = if candidates.is_empty() {
            FxHashSet::default()
        } else {
            shingles(&joined_words(text))
        };
        plans.push((
            *i,
            *story,
            story_day,
            story_quotes,
            story_shingles,
            candidates,
        ));
    }
    drop(story_texts);
    let mut needed: Vec<&str> = plans
        .iter()
        .flat_map(|p| p.5.iter().map(|c| c.meta.path.as_str()))
        .collect();
    needed.sort_unstable();
    needed.dedup();
    let prepared: HashMap<&str, Candidate> = texts_of(reader, searcher, &needed)?
        .into_iter()
        .filter_map(|(path, text)| {
            let doc = letters.iter().copied().find(|d| d.meta.path == path)?;
            let joined = joined_words(&text);
            Some((
                doc.meta.path.as_str(),
                Candidate {
                    doc,
                    shingles: shingles(&joined),
                    joined,
                },
            ))
        })
        .collect();
    let mut out = Vec::with_capacity(plans.len());
    for (i, story, story_day, story_quotes, story_shingles, candidates) in plans {
        let meta = &story.meta;
        let mut best: Option<(f64, Fit, &StoredDocument)> = None;
        for c in candidates {
            let Some(prep) = prepared.get(c.meta.path.as_str()) else {
                continue;
            };
            let f = fit(meta, &story_quotes, &story_shingles, prep);
            if !f.evidence_found() {
                continue;
            }
            let conf = f.confidence();
            let better = match &best {
                None => true,
                Some((b, _, bd)) => {
                    conf > *b + 1e-9
                        || ((conf - *b).abs() < 1e-9
                            && gap_days(story_day, c) < gap_days(story_day, bd))
                }
            };
            if better {
                best = Some((conf, f, c));
            }
        }
        let link = best
            .filter(|(conf, _, _)| *conf >= MIN_CONFIDENCE)
            .map(|(conf, f, c)| {
                let mut evidence: Vec<String> = f
                    .matched
                    .iter()
                    .take(3)
                    .map(|q| format!("quoted: \"{q}\""))
                    .collect();
                if f.matched.is_empty() {
                    evidence.push(format!(
                        "{:.0}% of the story's six-word runs are in the letter",
                        f.containment * 100.0
                    ));
                }
                evidence.push(format!("authority: {authority}"));
                if let (Some(s), Some(l)) = (story_day, c.meta.date.and_then(days)) {
                    evidence.push(format!("dated {} day(s) before the story", s - l));
                }
                if f.same_type {
                    if let Some(v) = c.meta.visit_type {
                        evidence.push(format!("visit type: {v}"));
                    }
                }
                link_ref(&c.meta, conf, evidence)
            });
        out.push((i, meta.clone(), link));
    }
    Ok(out)
}

/// The links to keep beside the index: each story's, and each letter's stories.
pub fn links_of(linked: &[(DocumentMeta, Option<LinkRef>)]) -> Links {
    let mut links = Links::default();
    for (story, link) in linked {
        let Some(link) = link else { continue };
        links
            .reported_by
            .entry(link.path.clone())
            .or_default()
            .push(link_ref(story, link.confidence, link.evidence.clone()));
        links.reports_on.insert(story.path.clone(), link.clone());
    }
    links
}

/// The passage of `letter` that a news passage quotes or repeats most, with
/// the share of the news passage's six-word runs found in it.
pub fn quoted_passage(
    reader: &Reader,
    letter_path: &str,
    news_text: &str,
) -> Result<Option<(crate::document::Passage, f64)>, SearchError> {
    let wanted = shingles(&joined_words(news_text));
    let quoted = quotes(news_text);
    if wanted.is_empty() && quoted.is_empty() {
        return Ok(None);
    }
    let searcher = reader.searcher();
    let passages = reader.passages_between(&searcher, letter_path, 0, usize::MAX)?;
    let mut best: Option<(crate::document::Passage, f64)> = None;
    for p in passages {
        let joined = joined_words(&p.passage.text);
        let have = shingles(&joined);
        let shared = if wanted.is_empty() {
            0.0
        } else {
            wanted.iter().filter(|s| have.contains(s)).count() as f64 / wanted.len() as f64
        };
        let quote_hit = quoted
            .iter()
            .any(|q| joined.contains(&format!(" {} ", q.join(" "))));
        let score = shared + if quote_hit { 1.0 } else { 0.0 };
        if score > 0.0 && best.as_ref().is_none_or(|(_, b)| score > *b) {
            best = Some((p.passage, score));
        }
    }
    Ok(best.filter(|(_, s)| *s >= 0.2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_split_at_ellipses_and_folded() {
        let q = quotes("Ofsted said: “Leaders have a clear vision … but practice is not yet consistently good.” And \"short\".");
        assert_eq!(q.len(), 2, "{q:?}");
        assert_eq!(q[1], words("but practice is not yet consistently good"));
        assert_eq!(
            words("Children’s  services\nare—weak"),
            vec!["children's", "services", "are", "weak"]
        );
    }

    #[test]
    fn joined_words_are_the_words_joined() {
        for text in [
            "Children’s  services\nare—weak",
            "’Quoted’ ÉCOLE Straße, İstanbul; 'twas ... 42 × 7",
            "",
            "— –",
            "one two three four five six seven, eight’s NINE",
        ] {
            assert_eq!(joined_words(text), format!(" {} ", words(text).join(" ")));
            // Runs hashed from the word list itself.
            let ids: Vec<u64> = words(text).iter().map(|w| word_hash(w)).collect();
            assert_eq!(shingles(&joined_words(text)), runs(&ids));
        }
    }
}
