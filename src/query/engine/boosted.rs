//! A phrase whose score counts many times over: how a search for several
//! words ranks the passages holding them as a phrase first.
//!
//! It scores exactly as tantivy's `BoostQuery` around a `PhraseQuery`, but is
//! a type of its own so that the pruned top-k ([`super::prune`]) can see
//! the phrase and the boost inside it (a `BoostQuery` shows neither).

use tantivy::query::{BoostWeight, EnableScoring, PhraseQuery, Query, Weight};
use tantivy::{Score, Term};

/// A phrase scored `boost` times its BM25 score.
#[derive(Debug, Clone)]
pub struct BoostedPhrase {
    /// The phrase.
    pub phrase: PhraseQuery,
    /// What its score is multiplied by.
    pub boost: Score,
}

impl Query for BoostedPhrase {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weight = self.phrase.weight(scoring)?;
        Ok(if scoring.is_scoring_enabled() {
            Box::new(BoostWeight::new(weight, self.boost))
        } else {
            weight
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.phrase.query_terms(visitor)
    }
}
