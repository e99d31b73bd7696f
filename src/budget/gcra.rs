//! The GCRA maths of a shared budget, one stored time per bucket (its "theoretical arrival
//! time", TAT, in µs on the store's clock). The Redis script (`gcra.lua`) is a line-by-line
//! second implementation of these three functions; a differential test keeps them equal.
//!
//! Burst is one request: a bucket of `limit` per `window` lets one request go every
//! `window / limit` plus 2 %. The margin is for the network: requests that leave on schedule still
//! reach a fixed-window server a few ms apart from when they left, and one that crosses a window
//! boundary late would otherwise meet a full window (a 429 the server has to send).

/// The margin, in thousandths of the interval, added to `window / limit`.
pub const MARGIN_PER_MILLE: u64 = 20;

/// µs between two requests of a bucket of `limit` per `window_ms` (floor; `limit` ≥ 1).
pub fn interval_us(limit: u32, window_ms: u64) -> i64 {
    let per_mille = 1000 + MARGIN_PER_MILLE;
    (window_ms.saturating_mul(per_mille) / u64::from(limit.max(1))).min(i64::MAX as u64) as i64
}

/// Reserves `cost` on every bucket at once. `tats` are the stored times (0 when absent),
/// `intervals` their [`interval_us`]. The request may go after the returned wait (µs). When that
/// wait exceeds `max_wait_us` nothing is reserved (`granted` is false): ask again later.
pub fn reserve(tats: &mut [i64], intervals: &[i64], now: i64, cost: i64, max_wait_us: i64) -> (bool, i64) {
    let start = tats.iter().copied().fold(now, i64::max);
    let wait = start - now;
    if wait > max_wait_us {
        return (false, wait);
    }
    for (tat, t) in tats.iter_mut().zip(intervals) {
        *tat = start + cost * t;
    }
    (true, wait)
}

/// Gives back `cost` reserved on a bucket but never sent.
pub fn refund(tat: i64, interval: i64, now: i64, cost: i64) -> i64 {
    (tat - cost * interval).max(now)
}

/// Follows the server: `remaining` requests are left until `reset_in_us` from now (a 429's
/// `Retry-After` is `remaining` 0). The bucket then grants at most `remaining` before the reset.
pub fn observe(tat: i64, interval: i64, now: i64, remaining: i64, reset_in_us: i64) -> i64 {
    tat.max(now + reset_in_us - remaining * interval)
}

/// One step over up to two buckets whose stored times the caller keeps, in plain numbers: what
/// the Workers Durable Object (the npm package's `KlipyBudget`) runs through the wasm's
/// `budgetStep`, since JavaScript holds its times in a `Map`. The units and limits are those of
/// `MemoryBudgetStore`, and `tests/budget_plain.rs` checks the two agree on a long sequence.
///
/// Each bucket is `[limit, windowMs, tat]` (`tat` in µs, 0 for a bucket not held); a second bucket
/// whose limit is 0 is absent. `step` 0 reserves (`a` = cost, `b` = maxWaitMs), 1 observes the
/// first bucket (`a` = remaining, `b` = resetInMs), 2 refunds (`a` = cost). `out` picks the
/// answer: 0 the step's (for a reservation the wait in ms, or `-1 − wait` when nothing was
/// reserved), 1 and 2 the first and second bucket's new time. The step is a pure function, so a
/// caller asks once per answer it needs; plain numbers in and out keep the `.wasm` small. Numbers
/// are whole, and `as` saturates: NaN and negatives count as 0.
pub fn plain_step(step: u32, out: u32, now_ms: f64, a: f64, b: f64, k: [f64; 3], g: [f64; 3]) -> f64 {
    let now = (now_ms as i64).saturating_mul(1000);
    let (a, b) = (a as u64, b as u64);
    let cost = a.min(u64::from(u32::MAX)) as i64;
    let b_us = (b.min(i64::MAX as u64) as i64).saturating_mul(1000);
    let n = if g[0] as u32 == 0 { 1 } else { 2 };
    let intervals = [interval_us(k[0] as u32, k[1] as u64), interval_us(g[0] as u32, g[1] as u64)];
    let mut tats = [k[2] as i64, g[2] as i64];
    let mut answer = 0.0;
    match step {
        0 => {
            let (granted, wait) = reserve(&mut tats[..n], &intervals[..n], now, cost, b_us);
            let wait_ms = (wait.max(0) as u64).div_ceil(1000) as f64;
            answer = if granted { wait_ms } else { -1.0 - wait_ms };
        }
        1 => tats[0] = observe(tats[0], intervals[0], now, a.min(i64::MAX as u64 / 2) as i64, b_us),
        _ => {
            for i in 0..n {
                tats[i] = refund(tats[i], intervals[i], now, cost);
            }
        }
    }
    match out {
        0 => answer,
        1 => tats[0] as f64,
        _ => tats[1] as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_is_window_over_limit() {
        for (limit, window, want) in
            [(200, 60_000, 306_000), (100, 1000, 10_200), (3, 1000, 340_000), (0, 1000, 1_020_000)]
        {
            assert_eq!(interval_us(limit, window), want, "{limit}/{window}");
        }
    }

    /// (stored tats, now, cost, max wait) → (granted, wait, new tats)
    #[test]
    fn reserve_table() {
        let t = [10_000, 2_000];
        #[allow(clippy::type_complexity)]
        let cases: &[(&[i64], i64, i64, i64, (bool, i64), &[i64])] = &[
            (&[0], 1_000, 1, i64::MAX, (true, 0), &[11_000]), // empty bucket: go now
            (&[11_000], 1_000, 1, i64::MAX, (true, 10_000), &[21_000]), // the next slot
            (&[5_000], 9_000, 1, i64::MAX, (true, 0), &[19_000]), // an old TAT is the past
            (&[50_000], 0, 1, 20_000, (false, 50_000), &[50_000]), // too long: nothing kept
            (&[0], 0, 3, i64::MAX, (true, 0), &[30_000]),     // cost 3
            (&[0, 7_000], 1_000, 1, i64::MAX, (true, 6_000), &[17_000, 9_000]), // the group waits
            (&[30_000, 7_000], 0, 1, i64::MAX, (true, 30_000), &[40_000, 32_000]),
        ];
        for (i, (tats, now, cost, max, want, after)) in cases.iter().enumerate() {
            let mut v = tats.to_vec();
            let n = v.len();
            assert_eq!(reserve(&mut v, &t[..n], *now, *cost, *max), *want, "case {i}");
            assert_eq!(v, *after, "case {i}");
        }
    }

    #[test]
    fn refund_and_observe_table() {
        for (tat, now, cost, want) in [(30_000, 0, 1, 20_000), (15_000, 10_000, 1, 10_000), (0, 5, 2, 5)] {
            assert_eq!(refund(tat, 10_000, now, cost), want);
        }
        // (tat, now, remaining, reset in) → tat
        for (tat, now, rem, reset, want) in [
            (0, 1_000, 0, 500_000, 501_000),       // spent: nothing before the reset
            (0, 1_000, 10, 500_000, 401_000),      // 10 left in 0.5 s
            (900_000, 1_000, 0, 500_000, 900_000), // the store is already stricter
            (0, 1_000, 100, 500_000, 0),           // plenty left: no change
        ] {
            assert_eq!(observe(tat, 10_000, now, rem, reset), want);
        }
    }

    #[test]
    fn a_fleet_never_exceeds_the_limit_in_any_window() {
        // 8 callers asking as fast as they are allowed for 3 s of a 100/s bucket.
        let t = [interval_us(100, 1000)]; // 10.2 ms
        let mut tat = [0i64];
        let mut sent = Vec::new();
        let mut next = [0i64; 8];
        while sent.len() < 300 {
            let (who, now) = next.iter().copied().enumerate().min_by_key(|(_, n)| *n).unwrap();
            let (ok, wait) = reserve(&mut tat, &t, now, 1, i64::MAX);
            assert!(ok);
            sent.push(now + wait);
            next[who] = now + wait + 1_000; // 1 ms round trip
        }
        for w in sent.windows(100) {
            assert!(w[99] - w[0] >= 1_000_000, "100 requests within one second");
        }
    }
}
