//! Map items on several threads and hand the results on in the items' order.
//!
//! Extracting files in fixed batches (all of a batch, then the next) leaves
//! a core idle at the end of every batch while the slowest file finishes.
//! Here each thread takes more work as soon as it is free, and only a
//! window of results may wait ahead of the consumer, which bounds memory.
//! Within the window the heaviest item goes first, so the run does not end
//! with one core busy on a large file that happened to come last.

use std::sync::{Condvar, Mutex};

/// Results done but not yet handed on, and how many have been.
struct Slots<R> {
    done: Vec<Option<R>>,
    started: Vec<bool>,
    /// Every item before this one has been started.
    first_unstarted: usize,
    handed: usize,
    stop: bool,
}

impl<R> Slots<R> {
    /// The heaviest item not yet started in the window (the first of
    /// equals), marked started.
    fn take_heaviest(&mut self, window: usize, weight: &impl Fn(usize) -> u64) -> Option<usize> {
        let end = self.started.len().min(self.handed + window);
        let mut best: Option<(u64, usize)> = None;
        for i in self.first_unstarted..end {
            if self.started[i] {
                continue;
            }
            let w = weight(i);
            if best.is_none_or(|(bw, _)| w > bw) {
                best = Some((w, i));
            }
        }
        let (_, i) = best?;
        self.started[i] = true;
        while self.started.get(self.first_unstarted) == Some(&true) {
            self.first_unstarted += 1;
        }
        Some(i)
    }
}

/// Call `f` on every item on `threads` threads, and `sink` with the results
/// in item order. At most `window` items are started ahead of the one
/// `sink` waits for, heaviest by `weight` first. `sink` returning `false`
/// stops the work early.
pub fn map_in_order<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    window: usize,
    weight: impl Fn(usize) -> u64 + Sync,
    f: impl Fn(usize, &T) -> R + Sync,
    mut sink: impl FnMut(R) -> bool,
) {
    let window = window.max(1);
    let state = Mutex::new(Slots {
        done: (0..items.len()).map(|_| None).collect(),
        started: vec![false; items.len()],
        first_unstarted: 0,
        handed: 0,
        stop: false,
    });
    let changed = Condvar::new();
    let lock = || state.lock().unwrap_or_else(|e| e.into_inner());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let i = {
                    let mut s = lock();
                    loop {
                        if s.stop || s.first_unstarted >= items.len() {
                            break None;
                        }
                        if let Some(i) = s.take_heaviest(window, &weight) {
                            break Some(i);
                        }
                        s = changed.wait(s).unwrap_or_else(|e| e.into_inner());
                    }
                };
                let Some(i) = i else { break };
                let Some(item) = items.get(i) else { break };
                let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(i, item)));
                let mut s = lock();
                match result {
                    Ok(r) => {
                        if let Some(slot) = s.done.get_mut(i) {
                            *slot = Some(r);
                        }
                    }
                    // The consumer would wait for this item for ever: stop
                    // everyone, and let the scope pass the panic on.
                    Err(panic) => {
                        s.stop = true;
                        changed.notify_all();
                        drop(s);
                        std::panic::resume_unwind(panic);
                    }
                }
                changed.notify_all();
            });
        }
        for i in 0..items.len() {
            let result = {
                let mut s = lock();
                loop {
                    if let Some(r) = s.done.get_mut(i).and_then(Option::take) {
                        s.handed = i + 1;
                        changed.notify_all();
                        break Some(r);
                    }
                    if s.stop {
                        break None;
                    }
                    s = changed.wait(s).unwrap_or_else(|e| e.into_inner());
                }
            };
            let Some(result) = result else { break };
            if !sink(result) {
                lock().stop = true;
                changed.notify_all();
                break;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn results_come_in_order_whatever_the_timing() {
        let items: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        map_in_order(
            &items,
            4,
            8,
            |i| (i as u64 * 7919) % 13,
            |_, &x| {
                // Uneven work, so threads finish out of order.
                std::thread::sleep(std::time::Duration::from_micros((x * 7919) % 500));
                x * 2
            },
            |r| {
                seen.push(r);
                true
            },
        );
        assert_eq!(seen, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    }

    #[test]
    fn the_sink_can_stop_early() {
        let items: Vec<u32> = (0..1000).collect();
        let started = AtomicUsize::new(0);
        let mut got = 0;
        map_in_order(
            &items,
            2,
            4,
            |_| 0,
            |_, _| started.fetch_add(1, Ordering::Relaxed),
            |_| {
                got += 1;
                got < 10
            },
        );
        assert_eq!(got, 10);
        assert!(started.load(Ordering::Relaxed) < 30);
    }

    #[test]
    fn a_panic_is_passed_on_not_waited_for() {
        let items: Vec<u32> = (0..50).collect();
        let outcome = std::panic::catch_unwind(|| {
            map_in_order(
                &items,
                2,
                4,
                |_| 0,
                |_, &x| if x == 7 { panic!("item seven") } else { x },
                |_| true,
            )
        });
        assert!(outcome.is_err());
    }

    #[test]
    fn no_items_no_calls() {
        let items: Vec<u8> = Vec::new();
        map_in_order(
            &items,
            3,
            2,
            |_| unreachable!(),
            |_, _| unreachable!(),
            |_: ()| unreachable!(),
        );
    }

    #[test]
    fn the_heaviest_item_in_the_window_starts_first() {
        let items: Vec<u64> = vec![1, 5, 3, 5, 9, 2, 8];
        let calls = Mutex::new(Vec::new());
        let mut seen = Vec::new();
        map_in_order(
            &items,
            1,
            4,
            |i| items[i],
            |i, _| calls.lock().unwrap().push(i),
            |()| {
                seen.push(());
                true
            },
        );
        // One thread, a window of four: 5 (the first of two) among 1 5 3 5,
        // then 5, 3, 1; nothing is handed on before item 0 is done, so the
        // window cannot move before then. The rest depend on timing.
        let mut calls = calls.into_inner().unwrap();
        assert_eq!(calls[..4], [1, 3, 2, 0]);
        calls.sort_unstable();
        assert_eq!(calls, (0..items.len()).collect::<Vec<_>>());
        assert_eq!(seen.len(), items.len());
    }
}
