//! The in-memory budget store: [`super::gcra`] over a map of bucket times, on an injected clock.
//! It shares one budget between the clients of one process, and it is the state a Workers
//! Durable Object keeps for a whole fleet of isolates.

use super::{gcra, BudgetStore, Observation, Reservation, ReserveRequest, StoreError};
use crate::rt::{BoxFuture, Clock};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A [`BudgetStore`] in this process's memory.
pub struct MemoryBudgetStore {
    clock: Arc<dyn Clock>,
    tats: Mutex<HashMap<String, i64>>,
}

impl std::fmt::Debug for MemoryBudgetStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryBudgetStore").finish_non_exhaustive()
    }
}

impl MemoryBudgetStore {
    /// An empty store reading time from `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self { clock, tats: Mutex::new(HashMap::new()) }
    }

    fn now_us(&self) -> i64 {
        (self.clock.now_ms() as i64).saturating_mul(1000)
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, i64>> {
        self.tats.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The stored time (µs) of a bucket, if any (for inspection and tests).
    pub fn tat_us(&self, bucket: &str) -> Option<i64> {
        self.map().get(bucket).copied()
    }

    /// [`BudgetStore::reserve`], synchronously.
    pub fn reserve_now(&self, req: &ReserveRequest) -> Reservation {
        let now = self.now_us();
        let mut map = self.map();
        let mut tats: Vec<i64> = req.buckets.iter().map(|b| map.get(&b.name).copied().unwrap_or(0)).collect();
        let intervals: Vec<i64> = req.buckets.iter().map(|b| gcra::interval_us(b.limit, b.window_ms)).collect();
        let max_wait = (req.max_wait_ms as i64).saturating_mul(1000);
        let (granted, wait) = gcra::reserve(&mut tats, &intervals, now, i64::from(req.cost), max_wait);
        if granted {
            for (b, t) in req.buckets.iter().zip(tats) {
                map.insert(b.name.clone(), t);
            }
        }
        // Forget buckets long past (their time is the past: an absent bucket means the same).
        map.retain(|_, t| *t > now);
        Reservation { granted, wait_ms: (wait.max(0) as u64).div_ceil(1000) }
    }

    /// [`BudgetStore::observe`], synchronously.
    pub fn observe_now(&self, o: &Observation) {
        let now = self.now_us();
        let mut map = self.map();
        let tat = map.get(&o.bucket.name).copied().unwrap_or(0);
        let t = gcra::interval_us(o.bucket.limit, o.bucket.window_ms);
        let reset_in = (o.reset_in_ms as i64).saturating_mul(1000);
        let next = gcra::observe(tat, t, now, o.remaining.min(i64::MAX as u64 / 2) as i64, reset_in);
        if next > now {
            map.insert(o.bucket.name.clone(), next);
        }
    }

    /// [`BudgetStore::refund`], synchronously.
    pub fn refund_now(&self, req: &ReserveRequest) {
        let now = self.now_us();
        let mut map = self.map();
        for b in &req.buckets {
            if let Some(tat) = map.get_mut(&b.name) {
                *tat = gcra::refund(*tat, gcra::interval_us(b.limit, b.window_ms), now, i64::from(req.cost));
            }
        }
    }
}

impl BudgetStore for MemoryBudgetStore {
    fn reserve(&self, req: &ReserveRequest) -> BoxFuture<'_, Result<Reservation, StoreError>> {
        let r = self.reserve_now(req);
        Box::pin(async move { Ok(r) })
    }
    fn observe(&self, obs: &Observation) -> BoxFuture<'_, Result<(), StoreError>> {
        self.observe_now(obs);
        Box::pin(async { Ok(()) })
    }
    fn refund(&self, req: &ReserveRequest) -> BoxFuture<'_, Result<(), StoreError>> {
        self.refund_now(req);
        Box::pin(async { Ok(()) })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::BucketSpec;
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    #[derive(Default)]
    pub(crate) struct FakeClock(pub AtomicU64);
    impl Clock for FakeClock {
        fn now_ms(&self) -> u64 {
            self.0.load(Ordering::SeqCst)
        }
    }

    fn req(group: bool) -> ReserveRequest {
        let mut buckets = vec![BucketSpec { name: "k".into(), limit: 10, window_ms: 1000 }];
        if group {
            buckets.push(BucketSpec { name: "g".into(), limit: 4, window_ms: 1000 });
        }
        ReserveRequest { buckets, cost: 1, max_wait_ms: 1000 }
    }

    /// Steps: (at ms, action, expected (granted, wait)) where action is reserve with or without
    /// the group, a refund, or an observation (remaining, reset in ms).
    #[test]
    fn steps_on_a_fake_clock() {
        enum A {
            R(bool),
            Refund,
            Obs(u64, u64),
        }
        let clock = Arc::new(FakeClock::default());
        let store = MemoryBudgetStore::new(clock.clone());
        // 10/s → 102 ms apart (with the 2 % margin); the group's 4/s → 255 ms apart.
        #[allow(clippy::type_complexity)]
        let steps: &[(u64, A, Option<(bool, u64)>)] = &[
            (0, A::R(false), Some((true, 0))),
            (0, A::R(false), Some((true, 102))),
            (0, A::R(false), Some((true, 204))),
            (0, A::Refund, None), // gives the 204 ms slot back
            (0, A::R(false), Some((true, 204))),
            (300, A::R(false), Some((true, 6))),
            (300, A::R(true), Some((true, 108))), // the key's bucket decides
            (300, A::R(true), Some((true, 363))), // the group's (255 ms apart) decides
            (400, A::Obs(0, 900), None),          // a 429: nothing before 1,300
            (400, A::R(false), Some((true, 900))),
            (400, A::R(false), Some((false, 1002))), // beyond max wait: not reserved
            (400, A::R(false), Some((false, 1002))),
            (5000, A::R(true), Some((true, 0))), // long idle: a fresh start
        ];
        for (i, (at, action, want)) in steps.iter().enumerate() {
            clock.0.store(*at, Ordering::SeqCst);
            match action {
                A::R(g) => {
                    let r = store.reserve_now(&req(*g));
                    assert_eq!(Some((r.granted, r.wait_ms)), *want, "step {i}");
                }
                A::Refund => store.refund_now(&req(false)),
                A::Obs(rem, reset) => store.observe_now(&Observation {
                    bucket: req(false).buckets[0].clone(),
                    remaining: *rem,
                    reset_in_ms: *reset,
                }),
            }
        }
    }
}
