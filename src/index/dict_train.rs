//! Training the passage store's zstd dictionary with fixed fastCover
//! parameters.
//!
//! `zstd::dict::from_continuous` runs zstd's parameter search
//! (`ZDICT_optimizeTrainFromBuffer_fastCover`), which builds the dictionary
//! once per candidate segment size and keeps the best: about 50 ms on the
//! half-megabyte sample, on the path of every new index's first passage (a
//! tenth of a 1x build's CPU). On this corpus the search settles on k = 1024,
//! and one build with that value stores the passages as small (measured on
//! the 1x reports: 1.848 MB against 1.860 MB) in a quarter of the time. The
//! zstd crate does not wrap the fixed-parameter entry point, hence the one
//! call into `zstd-sys` below.

use zstd::zstd_safe::zstd_sys as sys;

/// Segment size, in bytes: what zstd's search chose on report text.
const SEGMENT: u32 = 1024;
/// Length of the d-mers the segments are scored by (zstd's default).
const DMER: u32 = 8;
/// log2 of the frequency table's size. zstd's default (20) zeroes a 4 MiB table
/// (and a 2 MiB one) for a half-megabyte sample; 17 stores the 1x reports as
/// small (5 508 908 bytes against 5 511 968) and spares a 1x build ~10 ms.
const FREQ_LOG: u32 = 17;

/// A dictionary of at most `capacity` bytes trained on `samples`, the
/// concatenation of pieces of the lengths in `sizes`; `None` when zstd
/// cannot learn one (too few or too small samples) or the sizes do not add
/// up to the samples.
pub fn train(samples: &[u8], sizes: &[usize], capacity: usize, level: i32) -> Option<Vec<u8>> {
    if sizes.iter().sum::<usize>() != samples.len() || sizes.is_empty() {
        return None;
    }
    let count = u32::try_from(sizes.len()).ok()?;
    let params = sys::ZDICT_fastCover_params_t {
        k: SEGMENT,
        d: DMER,
        f: FREQ_LOG,
        steps: 0,
        nbThreads: 0,
        splitPoint: 1.0,
        accel: 1,
        shrinkDict: 0,
        shrinkDictMaxRegression: 0,
        zParams: sys::ZDICT_params_t {
            compressionLevel: level,
            notificationLevel: 0,
            dictID: 0,
        },
    };
    let mut dict = vec![0u8; capacity];
    // SAFETY: `dict` is writable for `capacity` bytes; `samples` is readable
    // for the sum of `sizes` (checked above), and `sizes` holds `count`
    // lengths. zstd reads and writes nothing else and keeps no pointer.
    let written = unsafe {
        sys::ZDICT_trainFromBuffer_fastCover(
            dict.as_mut_ptr().cast(),
            dict.len(),
            samples.as_ptr().cast(),
            sizes.as_ptr(),
            count,
            params,
        )
    };
    // SAFETY: a pure function of its argument.
    if unsafe { sys::ZDICT_isError(written) } != 0 || written == 0 || written > capacity {
        return None;
    }
    dict.truncate(written);
    Some(dict)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trains_a_dictionary_that_compresses_alike_text() {
        let pieces: Vec<String> = (0..4000)
            .map(|i| {
                format!(
                    "Passage {i}: leaders provide management oversight of {} plans, and \
                     social workers visit children every {} weeks.",
                    ["children's", "care leavers'", "family help"][i % 3],
                    i % 9 + 2
                )
            })
            .collect();
        let samples: Vec<u8> = pieces.iter().flat_map(|p| p.bytes()).collect();
        let sizes: Vec<usize> = pieces.iter().map(String::len).collect();
        let dict = train(&samples, &sizes, 16 * 1024, 3).expect("a dictionary");
        assert!(!dict.is_empty() && dict.len() <= 16 * 1024);
        let plain = zstd::bulk::compress(pieces[17].as_bytes(), 3)
            .unwrap()
            .len();
        let mut with = zstd::bulk::Compressor::with_dictionary(3, &dict).unwrap();
        assert!(with.compress(pieces[17].as_bytes()).unwrap().len() < plain);
        // Inconsistent sizes and nothing to learn from are refused, not read past.
        assert!(train(&samples, &[samples.len() + 1], 1024, 3).is_none());
        assert!(train(b"", &[], 1024, 3).is_none());
        assert!(train(b"abc", &[3], 1024, 3).is_none());
    }
}
