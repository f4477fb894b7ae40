//! How many threads this process may run at once, asked once.

use std::sync::OnceLock;

/// [`std::thread::available_parallelism`] (1 when unknown), read once per
/// process: std reads the cgroup's CPU quota from `/proc` and `/sys` on
/// every call, which each query of a batch (`search -`) or of `serve` would
/// otherwise pay again.
pub fn available() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn at_least_one_and_the_same_each_time() {
        let n = super::available();
        assert!(n >= 1);
        assert_eq!(n, super::available());
    }
}
