//! Map items on several threads and hand the results on in the items' order.
//!
//! Extracting files in fixed batches (all of a batch, then the next) leaves
//! a core idle at the end of every batch while the slowest file finishes.
//! Here each thread takes the next item as soon as it is free, and only a
//! window of results may wait ahead of the consumer, which bounds memory.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

/// Results done but not yet handed on, and how many have been.
struct Slots<R> {
    done: Vec<Option<R>>,
    handed: usize,
    stop: bool,
}

/// Call `f` on every item on `threads` threads, and `sink` with the results
/// in item order. At most `window` items are started ahead of the one
/// `sink` waits for. `sink` returning `false` stops the work early.
pub fn map_in_order<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    window: usize,
    f: impl Fn(usize, &T) -> R + Sync,
    mut sink: impl FnMut(R) -> bool,
) {
    let window = window.max(1);
    let next = AtomicUsize::new(0);
    let state = Mutex::new(Slots {
        done: (0..items.len()).map(|_| None).collect(),
        handed: 0,
        stop: false,
    });
    let changed = Condvar::new();
    let lock = || state.lock().unwrap_or_else(|e| e.into_inner());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                {
                    let mut s = lock();
                    while !s.stop && i >= s.handed + window {
                        s = changed.wait(s).unwrap_or_else(|e| e.into_inner());
                    }
                    if s.stop {
                        break;
                    }
                }
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

    #[test]
    fn results_come_in_order_whatever_the_timing() {
        let items: Vec<u64> = (0..200).collect();
        let mut seen = Vec::new();
        map_in_order(
            &items,
            4,
            8,
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
                |_, &x| if x == 7 { panic!("item seven") } else { x },
                |_| true,
            )
        });
        assert!(outcome.is_err());
    }

    #[test]
    fn no_items_no_calls() {
        let items: Vec<u8> = Vec::new();
        map_in_order(&items, 3, 2, |_, _| unreachable!(), |_: ()| unreachable!());
    }
}
