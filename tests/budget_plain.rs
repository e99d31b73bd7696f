//! Differential test: the plain-number step the Workers Durable Object runs through the wasm
//! (`gcra::plain_step`, with its bucket times in a map the way `pkg-template/src/budget-durable.mjs`
//! keeps them) and the core's memory store ([`MemoryBudgetStore`]) agree on a long random
//! sequence of reservations, refunds and observations, with and without a group bucket.
//! (`tests/budget_redis.rs` holds the Redis script to the same store.)

use klipy_sdk::budget::gcra::plain_step;
use klipy_sdk::budget::{BucketSpec, MemoryBudgetStore, Observation, ReserveRequest};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

#[path = "common/seq.rs"]
mod seq;
use seq::{FakeClock, Rng};

/// What budget-durable.mjs does around the wasm: read the times (0 when absent), ask for the
/// answer and each bucket's new time, store them, and drop every time not after now.
fn object_step(
    times: &mut HashMap<String, f64>,
    now_ms: u64,
    step: u32,
    a: u64,
    b: u64,
    buckets: &[BucketSpec],
) -> f64 {
    let spec = |i: usize| {
        buckets
            .get(i)
            .map_or([0.0; 3], |b| [f64::from(b.limit), b.window_ms as f64, times.get(&b.name).copied().unwrap_or(0.0)])
    };
    let (k, g) = (spec(0), spec(1));
    let ask = |out| plain_step(step, out, now_ms as f64, a as f64, b as f64, k, g);
    let answer = ask(0);
    for (i, bucket) in buckets.iter().enumerate() {
        times.insert(bucket.name.clone(), ask(i as u32 + 1));
    }
    times.retain(|_, tat| *tat > (now_ms * 1000) as f64);
    answer
}

#[test]
fn the_durable_object_step_and_the_memory_store_agree_on_a_long_random_sequence() {
    let clock = Arc::new(FakeClock(AtomicU64::new(1_796_000_000_000)));
    let store = MemoryBudgetStore::new(clock.clone());
    let mut times = HashMap::new();
    let key = BucketSpec { name: "klipy:{t}:k:0123".into(), limit: 50, window_ms: 1000 };
    let group = BucketSpec { name: "klipy:{t}:g:acme".into(), limit: 20, window_ms: 1000 };
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut granted, mut refused) = (0, 0);
    for step in 0..5000 {
        clock.0.fetch_add(rng.next(30), Ordering::SeqCst);
        let now_ms = clock.0.load(Ordering::SeqCst);
        let buckets = if rng.next(3) == 0 { vec![key.clone(), group.clone()] } else { vec![key.clone()] };
        match rng.next(20) {
            0..=11 => {
                let (cost, max_wait_ms) = (1 + rng.next(2), [0, 100, 500, 60_000][rng.next(4) as usize]);
                let want =
                    store.reserve_now(&ReserveRequest { buckets: buckets.clone(), cost: cost as u32, max_wait_ms });
                let got = object_step(&mut times, now_ms, 0, cost, max_wait_ms, &buckets);
                let got = if got >= 0.0 { (true, got as u64) } else { (false, (-1.0 - got) as u64) };
                assert_eq!(got, (want.granted, want.wait_ms), "step {step}: reserve");
                if want.granted {
                    granted += 1
                } else {
                    refused += 1
                }
            }
            12..=14 => {
                store.refund_now(&ReserveRequest { buckets: buckets.clone(), cost: 1, max_wait_ms: 0 });
                object_step(&mut times, now_ms, 2, 1, 0, &buckets);
            }
            _ => {
                let (remaining, reset_in_ms) = (rng.next(60), rng.next(1500));
                store.observe_now(&Observation { bucket: key.clone(), remaining, reset_in_ms });
                object_step(&mut times, now_ms, 1, remaining, reset_in_ms, std::slice::from_ref(&key));
            }
        }
        // A time not after now means the same as none: compare what each bucket would grant from.
        let now_us = (now_ms * 1000) as i64;
        for b in [&key, &group] {
            let memory = store.tat_us(&b.name).unwrap_or(0).max(now_us);
            let object = (times.get(&b.name).copied().unwrap_or(0.0) as i64).max(now_us);
            assert_eq!(object, memory, "step {step}: {}'s time", b.name);
        }
    }
    assert!(
        granted > 500 && refused > 500,
        "the sequence exercised both answers: {granted} granted, {refused} refused"
    );
}
