//! How a client uses a shared budget: `pace` reserves after the local pacer said go, the
//! response path reports what the server said, and a reservation that was not sent is refunded.
//! Every store call is raced against `timeout_ms`; a failing store means local pacing (warned
//! once) or an error, as the user chose.

use super::{
    buckets_for_digest, gcra, BucketSpec, Observation, OnStoreError, Reservation, ReserveRequest, SharedBudget,
    StoreError,
};
use crate::error::RateLimitInfo;
use crate::ratelimit::MAX_PACING_WAIT_MS;
use crate::rt::{BoxFuture, Sleep};
use futures_util::future::{select, Either};
use std::sync::atomic::{AtomicBool, Ordering};

/// Slack after a reset instant, as in the local pacer (`X-RateLimit-Reset` is often whole seconds).
const RESET_SLACK_MS: u64 = 25;

/// A client's shared budget and whether its failure was reported yet.
pub(crate) struct BudgetLink {
    pub(crate) cfg: SharedBudget,
    warned: AtomicBool,
}

/// The outcome of asking the shared budget.
pub(crate) enum Shared {
    /// Reserved: send after this wait (ms); refund the request if it is not sent.
    Reserved(ReserveRequest, u64),
    /// Nothing reserved: ask again after this wait (ms, at most one window).
    Later(u64),
    /// The store failed; `OnStoreError` says what to do.
    Failed(StoreError),
}

impl BudgetLink {
    pub(crate) fn new(cfg: SharedBudget) -> Self {
        Self { cfg, warned: AtomicBool::new(false) }
    }

    /// True the first time only: report a store failure once per client.
    pub(crate) fn first_failure(&self) -> bool {
        !self.warned.swap(true, Ordering::Relaxed)
    }

    pub(crate) fn throws(&self) -> bool {
        self.cfg.on_error == OnStoreError::Throw
    }

    async fn timed<'a, T>(
        &self,
        fut: BoxFuture<'a, Result<T, StoreError>>,
        sleep: &dyn Sleep,
    ) -> Result<T, StoreError> {
        let fut = match select(fut, sleep.sleep(self.cfg.timeout_ms)).await {
            Either::Left((r, _)) => return r,
            Either::Right((_, fut)) => fut,
        };
        // One more turn of the event loop before giving up: when the process itself stalled (a
        // busy CPU, a GC pause), the timer fires before an answer that already arrived is read.
        match select(fut, sleep.sleep(0)).await {
            Either::Left((r, _)) => r,
            Either::Right(_) => Err(StoreError(format!("no answer within {} ms", self.cfg.timeout_ms))),
        }
    }

    /// The buckets of one request with `key` (its digest comes from the store: see
    /// [`super::BudgetStore::key_digest`]).
    async fn buckets(&self, key: &str, sleep: &dyn Sleep) -> Result<Vec<BucketSpec>, StoreError> {
        let digest = self.timed(self.cfg.store.key_digest(key), sleep).await?;
        Ok(buckets_for_digest(&digest, &self.cfg))
    }

    /// Reserves one request for `key`, waiting at most `max_wait_ms`.
    /// A store that fails is asked again by the next request: a store that is down should refuse
    /// at once (the Redis store does while its client is disconnected), so this costs little.
    pub(crate) async fn reserve(&self, key: &str, max_wait_ms: u64, sleep: &dyn Sleep) -> Shared {
        let buckets = match self.buckets(key, sleep).await {
            Ok(b) => b,
            Err(e) => return Shared::Failed(e),
        };
        let req = ReserveRequest { buckets, cost: 1, max_wait_ms: max_wait_ms.min(MAX_PACING_WAIT_MS) };
        match self.timed(self.cfg.store.reserve(&req), sleep).await {
            Ok(Reservation { granted: true, wait_ms }) => Shared::Reserved(req, wait_ms),
            Ok(Reservation { granted: false, wait_ms }) => Shared::Later(wait_ms.clamp(1, MAX_PACING_WAIT_MS)),
            Err(e) => Shared::Failed(e),
        }
    }

    /// Gives back a reservation that was not sent (best effort: a lost refund only slows the fleet
    /// by one request).
    pub(crate) async fn refund(&self, req: &ReserveRequest, sleep: &dyn Sleep) {
        let _ = self.timed(self.cfg.store.refund(req), sleep).await;
    }

    /// What the server said about the key's bucket, when it is stricter than an even pace: a 429
    /// (its `Retry-After`, else the reset) means nothing before then; otherwise `remaining`
    /// requests until the reset, as `(remaining, reset_in_ms)`. Reset instants beyond one window
    /// are held to one window.
    ///
    /// A 2xx is skipped (no store round trip) when the store's own pace could not send more than
    /// `remaining` before the reset: one request per interval from now. Then the observation
    /// could move the bucket by at most the reset slack, and a fleet on pace would otherwise pay a
    /// second round trip for nearly every response.
    pub(crate) fn observation(
        &self,
        status: u16,
        info: &RateLimitInfo,
        retry_after_ms: Option<u64>,
        now: u64,
    ) -> Option<(u64, u64)> {
        let reset_in = info.reset_at.filter(|at| *at > now).map(|at| at - now);
        let (remaining, reset_in_ms) = if status == 429 {
            // `Retry-After` is whole seconds; a plausible reset names the window's end exactly.
            (0, [retry_after_ms, reset_in.map(|r| r + RESET_SLACK_MS)].into_iter().flatten().min()?)
        } else {
            let (r, reset_in) = (info.remaining?, reset_in?);
            let interval_us = gcra::interval_us(self.cfg.key_limit, self.cfg.window_ms) as u64;
            if r.saturating_mul(interval_us) >= reset_in.saturating_mul(1000) {
                return None; // no stricter than the store's own pace: skip the round trip
            }
            (r, reset_in + RESET_SLACK_MS)
        };
        Some((remaining, reset_in_ms.min(MAX_PACING_WAIT_MS)))
    }

    /// Moves `key`'s bucket to what [`Self::observation`] found.
    pub(crate) async fn observe(
        &self,
        key: &str,
        (remaining, reset_in_ms): (u64, u64),
        sleep: &dyn Sleep,
    ) -> Result<(), StoreError> {
        let bucket = self.buckets(key, sleep).await?.swap_remove(0);
        self.timed(self.cfg.store.observe(&Observation { bucket, remaining, reset_in_ms }), sleep).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::memory::tests::FakeClock;
    use crate::budget::MemoryBudgetStore;
    use std::sync::Arc;

    #[allow(clippy::arc_with_non_send_sync)] // Send + Sync off wasm; wasm is single-threaded
    fn link() -> BudgetLink {
        let mut cfg = SharedBudget::new(Arc::new(MemoryBudgetStore::new(Arc::new(FakeClock::default()))));
        cfg.key_limit = 100;
        cfg.window_ms = 1000; // 10 ms apart
        BudgetLink::new(cfg)
    }

    #[test]
    fn observations_only_when_stricter_than_the_pace() {
        let l = link();
        let info = |remaining, reset_at| RateLimitInfo {
            limit: Some(100),
            remaining: Some(remaining),
            reset_at: Some(reset_at),
        };
        // (status, remaining, reset_at, retry-after) at now = 1,000 → (remaining, reset in) or none
        #[allow(clippy::type_complexity)]
        let cases: &[(u16, u64, u64, Option<u64>, Option<(u64, u64)>)] = &[
            (200, 55, 1_500, None, None),            // 55 left for 0.5 s: the store's pace is stricter
            (200, 50, 1_500, None, None),            // a fleet on pace: 50 left, the pace sends 49 in 0.5 s
            (200, 48, 1_500, None, Some((48, 525))), // fewer left than the pace would send
            (200, 0, 1_500, None, Some((0, 525))),   // spent until the reset (+ slack)
            (200, 10, 1_500, None, Some((10, 525))), // fewer left than the pace allows
            (429, 0, 1_500, Some(2_000), Some((0, 525))), // the sooner of the two
            (429, 0, 1_500, Some(300), Some((0, 300))),
            (429, 0, 1_500, None, Some((0, 525))),               // else the reset
            (429, 0, 900, None, None),                           // nothing to go by
            (429, 0, 900_000, Some(600_000), Some((0, 60_000))), // capped at one window
        ];
        for (i, (status, rem, at, ra, want)) in cases.iter().enumerate() {
            let got = l.observation(*status, &info(*rem, *at), *ra, 1_000);
            assert_eq!(got, *want, "case {i}");
        }
    }
}
