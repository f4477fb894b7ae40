//! Values worked out from one snapshot of the index and kept with its
//! reader: a server answers many requests on one snapshot, and some of what
//! they need (how many documents each year has, under a filter) does not
//! depend on the query. Keyed by the snapshot's generation, so a value is
//! never served for another snapshot.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Values kept at most: each is small (a row per bucket), but keys come from
/// requests, so their number is bounded; past it the memo starts again.
const MAX_VALUES: usize = 256;

type Values = HashMap<String, Arc<dyn Any + Send + Sync>>;

/// Values of one snapshot, by key.
#[derive(Default)]
pub struct Memo {
    kept: Mutex<Option<(u64, Values)>>,
}

impl std::fmt::Debug for Memo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Memo").finish_non_exhaustive()
    }
}

impl Memo {
    /// The value kept under `key` for snapshot `generation`, else `make`'s
    /// (kept when it succeeds). `make` runs without the lock held: two
    /// requests for a missing value may both work it out.
    pub fn get_or_try<T: Any + Send + Sync, E>(
        &self,
        generation: u64,
        key: &str,
        make: impl FnOnce() -> Result<T, E>,
    ) -> Result<Arc<T>, E> {
        // The type is part of the key: one key never names two kinds of value.
        let key = format!("{}\u{0}{key}", std::any::type_name::<T>());
        if let Some(found) = self.lookup(generation, &key) {
            if let Ok(value) = found.downcast::<T>() {
                return Ok(value);
            }
        }
        let value = Arc::new(make()?);
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let values = match kept.as_mut() {
            Some((g, values)) if *g == generation && values.len() < MAX_VALUES => values,
            _ => &mut kept.insert((generation, Values::new())).1,
        };
        values.insert(key, value.clone());
        Ok(value)
    }

    fn lookup(&self, generation: u64, key: &str) -> Option<Arc<dyn Any + Send + Sync>> {
        let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        match kept.as_ref() {
            Some((g, values)) if *g == generation => values.get(key).cloned(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_kept_per_snapshot_and_key() {
        let memo = Memo::default();
        let mut made = 0;
        let mut get = |generation: u64, key: &str, value: u32| {
            memo.get_or_try(generation, key, || {
                made += 1;
                Ok::<_, ()>(value)
            })
            .map(|v| *v)
        };
        assert_eq!(get(1, "a", 10), Ok(10));
        assert_eq!(get(1, "a", 99), Ok(10), "kept");
        assert_eq!(get(1, "b", 20), Ok(20));
        assert_eq!(
            get(2, "a", 30),
            Ok(30),
            "another snapshot works it out again"
        );
        assert_eq!(get(2, "a", 99), Ok(30));
        assert_eq!(made, 3);
    }

    #[test]
    fn failures_are_not_kept_and_the_number_kept_is_bounded() {
        let memo = Memo::default();
        assert_eq!(memo.get_or_try(1, "x", || Err::<u8, _>("no")), Err("no"));
        assert_eq!(
            memo.get_or_try(1, "x", || Ok::<_, ()>(7)).map(|v| *v),
            Ok(7)
        );
        for i in 0..(MAX_VALUES * 2) {
            memo.get_or_try(1, &i.to_string(), || Ok::<_, ()>(i))
                .unwrap();
        }
        let kept = memo.kept.lock().unwrap();
        assert!(kept.as_ref().is_some_and(|(_, v)| v.len() <= MAX_VALUES));
    }
}
