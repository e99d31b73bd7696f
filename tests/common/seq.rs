//! What the budget's differential tests share: a clock the test moves and a small seeded
//! generator, so a failing step number names the same step on every run.

use klipy_sdk::Clock;
use std::sync::atomic::{AtomicU64, Ordering};

/// A clock at a fixed epoch-ms the test advances.
pub struct FakeClock(pub AtomicU64);
impl Clock for FakeClock {
    fn now_ms(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// xorshift64: a fixed sequence from a seed.
pub struct Rng(pub u64);
impl Rng {
    /// The next number below `n`.
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}
