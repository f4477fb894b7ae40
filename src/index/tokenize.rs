//! The analyzers of the text fields: tantivy's word splitting, with gaps in
//! token positions where punctuation stands between two words.
//!
//! A phrase matches consecutive positions, so a gap keeps `"management
//! oversight"` from matching `…performance management. Oversight of…` or
//! `the management, oversight and…`. A clause mark (`,` `;` `:` brackets,
//! spaced dashes) opens a gap of one: a phrase never crosses it, `~1` may. A
//! sentence end (`.` `?` `!`) opens a gap wider than any slop the query
//! language allows, so proximity never crosses it. Line and page breaks,
//! hyphens inside words and apostrophes open no gap.

use rustc_hash::FxHashMap;

use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// Position gap at a clause mark.
pub const CLAUSE_GAP: usize = 1;

/// The largest `~N` a phrase query may ask for.
pub const MAX_SLOP: u32 = 10;

/// Position gap at a sentence end: more than [`MAX_SLOP`], so proximity never
/// crosses it. Every position of a term is stored as its distance from the
/// one before, so a wider gap costs bits on all of them: 128 made the index
/// 1.04× its text at 1x, 11 keeps it at 0.99×.
pub const SENTENCE_GAP: usize = MAX_SLOP as usize + 1;

/// Longest token indexed, in bytes (tantivy's default analyzers' limit).
const MAX_TOKEN_BYTES: usize = 40;

/// The gap that the characters between two tokens open.
pub fn gap(between: &str) -> usize {
    let mut gap = 0;
    let bytes = between.as_bytes();
    for (i, c) in between.char_indices() {
        match c {
            '.' | '?' | '!' | '…' => return SENTENCE_GAP,
            ',' | ';' | ':' | '(' | ')' | '[' | ']' | '{' | '}' | '–' | '—' | '―' => {
                gap = CLAUSE_GAP
            }
            // A hyphen joins the words of a compound; with a space beside it, it is a dash.
            '-' => {
                // `between` starts and ends at a word, so its edges are not spaces.
                let spaced_before = i > 0 && bytes[i - 1].is_ascii_whitespace();
                let spaced_after = bytes.get(i + 1).is_some_and(|b| b.is_ascii_whitespace());
                if spaced_before || spaced_after {
                    gap = CLAUSE_GAP;
                }
            }
            _ => {}
        }
    }
    gap
}

/// Tantivy's [`SimpleTokenizer`] with punctuation gaps in positions.
#[derive(Clone, Default)]
pub struct ClauseTokenizer {
    inner: SimpleTokenizer,
}

/// The token stream of [`ClauseTokenizer`].
pub struct ClauseTokenStream<'a> {
    text: &'a str,
    inner: <SimpleTokenizer as Tokenizer>::TokenStream<'a>,
    last_end: Option<usize>,
}

impl Tokenizer for ClauseTokenizer {
    type TokenStream<'a> = ClauseTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ClauseTokenStream<'a> {
        ClauseTokenStream {
            text,
            inner: self.inner.token_stream(text),
            last_end: None,
        }
    }
}

impl TokenStream for ClauseTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let (from, to) = {
            let t = self.inner.token();
            (t.offset_from, t.offset_to)
        };
        // The inner tokenizer numbers each token from the one before as we
        // left it, so adding this gap shifts every later token too.
        if let Some(end) = self.last_end {
            self.inner.token_mut().position += gap(self.text.get(end..from).unwrap_or(""));
        }
        self.last_end = Some(to);
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// Lower-cased words, not stemmed (the `text_exact` field and phrases).
pub fn exact_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ClauseTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .build()
}

/// Lower-cased English stems (the `text` field, sections and titles).
pub fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(ClauseTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(CachedStemmer)
        .build()
}

/// Words a [`Stems`] remembers before it starts again: a corpus uses a few
/// tens of thousands of distinct words, most of them again and again.
const STEM_CACHE_WORDS: usize = 200_000;

/// The English Snowball stemmer (the one tantivy's `Stemmer` runs), with the
/// stem of each word it has seen kept: stemming was a sixth of an ingest's
/// time, nearly all of it on words already stemmed many times.
#[derive(Clone)]
pub struct Stems {
    // Short keys looked up once per token: SipHash was a fifth of the lookup.
    stems: FxHashMap<String, String>,
    stemmer: frostem::Stemmer,
}

impl Default for Stems {
    fn default() -> Self {
        Stems {
            stems: FxHashMap::default(),
            stemmer: frostem::Stemmer::new(frostem::Algorithm::English),
        }
    }
}

impl Stems {
    /// The stem of a lower-cased word, as the stemmed analyzer gives it.
    pub fn stem(&mut self, word: &str) -> &str {
        if self.stems.len() > STEM_CACHE_WORDS {
            self.stems.clear();
        }
        // Looked up twice on a miss: the entry API would build a key for every hit.
        if !self.stems.contains_key(word) {
            let stem = self.stemmer.stem(word).into_owned();
            self.stems.insert(word.to_owned(), stem);
        }
        self.stems.get(word).map_or("", String::as_str)
    }

    /// Stems remembered from earlier queries of this process (a batch's
    /// queries share their words), given back to the pool when dropped.
    pub fn lend() -> LentStems {
        LentStems(lent_pool().pop().unwrap_or_default())
    }
}

/// Stems idle between queries, one per query that ran at once.
fn lent_pool() -> std::sync::MutexGuard<'static, Vec<Stems>> {
    static POOL: std::sync::Mutex<Vec<Stems>> = std::sync::Mutex::new(Vec::new());
    // A cache: what a panicking holder left is still a valid map.
    POOL.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// [`Stems`] borrowed from the process's pool by [`Stems::lend`].
pub struct LentStems(Stems);

impl std::ops::Deref for LentStems {
    type Target = Stems;
    fn deref(&self) -> &Stems {
        &self.0
    }
}

impl std::ops::DerefMut for LentStems {
    fn deref_mut(&mut self) -> &mut Stems {
        &mut self.0
    }
}

impl Drop for LentStems {
    fn drop(&mut self) {
        // An empty map in its place allocates nothing.
        lent_pool().push(std::mem::take(&mut self.0));
    }
}

/// The token filter of the stemmed analyzer: [`Stems`] per analyzer.
#[derive(Clone, Copy, Debug, Default)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter {
            inner,
            stems: Stems::default(),
        }
    }
}

/// The tokenizer a [`CachedStemmer`] wraps; each clone (one per indexing
/// thread) keeps its own stems.
#[derive(Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
    stems: Stems,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream {
            inner: self.inner.token_stream(text),
            stems: &mut self.stems,
        }
    }
}

/// The token stream of [`CachedStemmerFilter`].
pub struct CachedStemmerStream<'a, S> {
    inner: S,
    stems: &'a mut Stems,
}

impl<S: TokenStream> TokenStream for CachedStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        let word = std::mem::take(&mut token.text);
        token.text.push_str(self.stems.stem(&word));
        true
    }

    fn token(&self) -> &Token {
        self.inner.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

/// Register both analyzers on an index under the schema's tokenizer names.
pub fn register(index: &tantivy::Index) {
    let m = index.tokenizers();
    m.register(super::schema::EXACT, exact_analyzer());
    m.register(super::schema::STEMMED, stemmed_analyzer());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn positions(text: &str) -> Vec<(String, usize)> {
        let mut a = exact_analyzer();
        let mut s = a.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push((s.token().text.clone(), s.token().position));
        }
        out
    }

    #[test]
    fn punctuation_opens_gaps_and_breaks_do_not() {
        let p = positions("management\noversight, of multi-agency work. Then (this) - that");
        let pos: Vec<usize> = p.iter().map(|(_, p)| *p).collect();
        // management oversight | , | of multi agency work | . | then ( this ) - that
        assert_eq!(pos[1], pos[0] + 1, "a line break is no gap");
        assert_eq!(pos[2], pos[1] + 1 + CLAUSE_GAP);
        assert_eq!(pos[4], pos[3] + 1, "a hyphen inside a word is no gap");
        assert_eq!(pos[6], pos[5] + 1 + SENTENCE_GAP);
        assert_eq!(pos[7], pos[6] + 1 + CLAUSE_GAP);
        assert_eq!(pos[8], pos[7] + 1 + CLAUSE_GAP);
        assert_eq!(p[8].0, "that");
        assert_eq!(gap(" children's "), 0);
        assert_eq!(gap(" – "), CLAUSE_GAP);
    }

    #[test]
    fn the_cached_stemmer_stems_as_tantivys_does() {
        use tantivy::tokenizer::{Language, Stemmer};
        let mut plain = TextAnalyzer::builder(ClauseTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
            .filter(LowerCaser)
            .filter(Stemmer::new(Language::English))
            .build();
        let mut cached = stemmed_analyzer();
        let text = "Managers managed the management of children's services; \
                    leaders' oversight, inspections and inspected plans. Managers again.";
        let tokens = |a: &mut TextAnalyzer| {
            let mut s = a.token_stream(text);
            let mut out = Vec::new();
            while s.advance() {
                out.push((s.token().text.clone(), s.token().position));
            }
            out
        };
        let want = tokens(&mut plain);
        assert_eq!(tokens(&mut cached), want);
        assert_eq!(tokens(&mut cached), want, "the same from the cache");
    }
}
