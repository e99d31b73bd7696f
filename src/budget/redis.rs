//! [`RedisBudgetStore`]: a shared budget kept in Redis (feature `budget-redis`).
//!
//! Each step is one `EVALSHA` of [`REDIS_SCRIPT`] (loaded again when Redis answers `NOSCRIPT`, as
//! after a restart) on Redis's own clock, so hosts whose clocks disagree still share one pace.
//! Both buckets of a reservation share a hash tag, so Redis Cluster keeps them on one slot.
//! The store only moves data: the client decides what a header means and races every call
//! against [`SharedBudget::timeout_ms`](super::SharedBudget::timeout_ms).
//!
//! ```no_run
//! # #[cfg(feature = "reqwest")]
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use klipy_sdk::budget::{redis::RedisBudgetStore, SharedBudget};
//! use std::sync::Arc;
//! let redis = redis::Client::open("redis://127.0.0.1:6379/")?;
//! let conn = redis.get_multiplexed_async_connection().await?;
//! let mut budget = SharedBudget::new(Arc::new(RedisBudgetStore::new(conn)));
//! budget.group = Some("acme".into()); // several keys of one organization
//! let client = klipy_sdk::Client::builder().api_key("klipy_api_…").budget(budget).build()?;
//! # Ok(()) }
//! ```

use super::{BucketSpec, BudgetStore, Observation, Reservation, ReserveRequest, StoreError, REDIS_SCRIPT};
use crate::rt::BoxFuture;
use redis::aio::ConnectionLike;
use redis::{Script, ScriptInvocation};

/// A [`BudgetStore`] in Redis, over any async connection of the `redis` crate that can be
/// cloned (a `MultiplexedConnection`, or a `ConnectionManager` that reconnects by itself).
pub struct RedisBudgetStore<C> {
    conn: C,
    script: Script,
}

impl<C> std::fmt::Debug for RedisBudgetStore<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBudgetStore").field("script", &self.script.get_hash()).finish_non_exhaustive()
    }
}

impl<C: ConnectionLike + Clone + Send + Sync + 'static> RedisBudgetStore<C> {
    /// A store that runs its steps on `conn`.
    pub fn new(conn: C) -> Self {
        Self { conn, script: Script::new(REDIS_SCRIPT) }
    }

    /// Runs one step: the buckets are the keys; the step's name, `args`, then each bucket's limit
    /// and window are the arguments (the layout at the top of the script).
    fn run<T: redis::FromRedisValue + Send + 'static>(
        &self,
        buckets: &[BucketSpec],
        step: &str,
        args: &[u64],
    ) -> BoxFuture<'_, Result<T, StoreError>> {
        let mut inv: ScriptInvocation<'_> = self.script.prepare_invoke();
        for b in buckets {
            inv.key(&b.name);
        }
        inv.arg(step);
        for a in args {
            inv.arg(*a);
        }
        for b in buckets {
            inv.arg(b.limit).arg(b.window_ms);
        }
        let mut conn = self.conn.clone();
        Box::pin(async move { inv.invoke_async(&mut conn).await.map_err(|e| StoreError(format!("Redis: {e}"))) })
    }
}

impl<C: ConnectionLike + Clone + Send + Sync + 'static> BudgetStore for RedisBudgetStore<C> {
    fn reserve(&self, req: &ReserveRequest) -> BoxFuture<'_, Result<Reservation, StoreError>> {
        let max_wait_us = req.max_wait_ms.saturating_mul(1000);
        let fut = self.run::<(i64, i64)>(&req.buckets, "reserve", &[u64::from(req.cost), max_wait_us]);
        Box::pin(async move {
            let (granted, wait_us) = fut.await?;
            Ok(Reservation { granted: granted == 1, wait_ms: (wait_us.max(0) as u64).div_ceil(1000) })
        })
    }

    fn observe(&self, obs: &Observation) -> BoxFuture<'_, Result<(), StoreError>> {
        let args = [obs.remaining, obs.reset_in_ms.saturating_mul(1000)];
        let fut = self.run::<(i64, i64)>(std::slice::from_ref(&obs.bucket), "observe", &args);
        Box::pin(async move { fut.await.map(drop) })
    }

    fn refund(&self, req: &ReserveRequest) -> BoxFuture<'_, Result<(), StoreError>> {
        let fut = self.run::<(i64, i64)>(&req.buckets, "refund", &[u64::from(req.cost)]);
        Box::pin(async move { fut.await.map(drop) })
    }
}
