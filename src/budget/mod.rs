//! A rate-limit budget shared by a whole fleet: several processes, hosts or clients that use
//! one API key (or several keys of one organization) draw from one store instead of each pacing
//! by itself.
//!
//! One atomic step per request: [`BudgetStore::reserve`] a cost on the key's bucket (and on the
//! organization's, when a group is named), which returns a wait; [`BudgetStore::observe`] what the
//! server's `X-RateLimit-*` headers and a 429's `Retry-After` say, so the shared state follows the
//! server; [`BudgetStore::refund`] a reservation that was never sent. The maths are GCRA
//! ([`gcra`]): one stored time per bucket. Without a store (the default) a client paces by
//! itself, exactly as before; [`MemoryBudgetStore`] shares one budget between the clients of one
//! process, and with the `budget-redis` feature `redis::RedisBudgetStore` shares it through
//! Redis, running [`REDIS_SCRIPT`] (the same steps as [`gcra`], on Redis's clock).
//!
//! ```no_run
//! # #[cfg(feature = "reqwest")]
//! # fn demo() -> Result<(), klipy_sdk::Error> {
//! use klipy_sdk::budget::{MemoryBudgetStore, SharedBudget};
//! use klipy_sdk::Client;
//! use std::sync::Arc;
//! let store = Arc::new(MemoryBudgetStore::new(Arc::new(klipy_sdk::rt::SystemClock)));
//! let a = Client::builder().api_key("klipy_api_…").budget(SharedBudget::new(store.clone())).build()?;
//! let b = Client::builder().api_key("klipy_api_…").budget(SharedBudget::new(store)).build()?;
//! # Ok(()) }
//! ```
//!
//! A store that fails or answers later than [`SharedBudget::timeout_ms`] (50 ms) leaves the
//! client on its own pacing, logged once per client ([`OnStoreError::Local`]), or fails the call
//! ([`OnStoreError::Throw`]).
//!
//! Bucket names carry a SHA-256 digest of the key, never the key: `klipy:{tag}:k:<digest>` and
//! `klipy:{tag}:g:<group>`, where the `{tag}` is the group (or the digest) so Redis Cluster keeps
//! both buckets of one reservation on one slot.
//!
//! On wasm the store is written in JavaScript (`rateLimit.store`) and the digest is computed
//! there with WebCrypto ([`BudgetStore::key_digest`]): `sha2` is compiled for native targets only.

pub mod gcra;
mod link;
mod memory;
// The `redis` crate is a native-only dependency (no raw TCP on wasm32-unknown-unknown).
#[cfg(all(feature = "budget-redis", not(target_arch = "wasm32")))]
pub mod redis;

use crate::rt::{BoxFuture, MaybeSendSync};
use std::sync::Arc;

pub(crate) use link::{BudgetLink, Shared};
pub use memory::MemoryBudgetStore;

/// The Redis script of `redis::RedisBudgetStore` (and, later, of the npm package's store): the
/// same steps as [`gcra`], on Redis's clock. Its arguments are described at its top.
pub const REDIS_SCRIPT: &str = include_str!("gcra.lua");

/// One bucket of a reservation: its name and its limit of `limit` requests per `window_ms`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BucketSpec {
    /// `klipy:{tag}:k:<digest>` or `klipy:{tag}:g:<group>`.
    pub name: String,
    /// Requests allowed per window.
    pub limit: u32,
    /// The window length in ms.
    pub window_ms: u64,
}

/// Reserve (or refund) `cost` requests on every bucket at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReserveRequest {
    /// The key's bucket first, then the group's (if any).
    pub buckets: Vec<BucketSpec>,
    /// Requests to reserve (1 per HTTP request).
    pub cost: u32,
    /// Reserve nothing when the wait would be longer than this.
    pub max_wait_ms: u64,
}

/// The answer to a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reservation {
    /// Whether the cost was reserved (the request may go after `wait_ms`).
    pub granted: bool,
    /// How long to wait before sending (or, when not granted, before asking again).
    pub wait_ms: u64,
}

/// What the server said about a bucket: `remaining` requests until `reset_in_ms` from now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// The bucket the response counts against (the key's).
    pub bucket: BucketSpec,
    /// Requests left (0 after a 429).
    pub remaining: u64,
    /// Until the window resets (or the 429's `Retry-After`).
    pub reset_in_ms: u64,
}

/// A store that failed, timed out or answered nonsense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreError(pub String);

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StoreError {}

/// Where a shared budget lives. Each method is one atomic step of the store.
pub trait BudgetStore: MaybeSendSync {
    /// Reserves `cost` on all buckets at once, or nothing when the wait exceeds `max_wait_ms`.
    fn reserve(&self, req: &ReserveRequest) -> BoxFuture<'_, Result<Reservation, StoreError>>;
    /// Moves a bucket so it grants no more than the server says is left.
    fn observe(&self, obs: &Observation) -> BoxFuture<'_, Result<(), StoreError>>;
    /// Gives back a reservation that was not sent.
    fn refund(&self, req: &ReserveRequest) -> BoxFuture<'_, Result<(), StoreError>>;
    /// The digest that names `key`'s bucket (what the native function `key_digest` returns).
    /// Natively the default computes it here; on wasm (no `sha2` there) the npm package's store
    /// bridge computes it with WebCrypto.
    fn key_digest<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<String, StoreError>> {
        #[cfg(not(target_arch = "wasm32"))]
        let digest = Ok(key_digest(key));
        #[cfg(target_arch = "wasm32")]
        let digest = {
            let _ = key;
            Err(StoreError("this store cannot name a key's bucket on wasm (no key_digest)".into()))
        };
        Box::pin(std::future::ready(digest))
    }
}

/// What a client does when its store fails or is slower than [`SharedBudget::timeout_ms`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnStoreError {
    /// Go on with the client's own pacing (logged once per client).
    #[default]
    Local,
    /// Fail the call with a [`crate::ErrorKind::RateLimit`] error.
    Throw,
}

/// A client's link to a shared budget (`ClientBuilder::budget`).
#[derive(Clone)]
pub struct SharedBudget {
    /// The store.
    pub store: Arc<dyn BudgetStore>,
    /// The organization's bucket, shared by all keys that name the same group.
    pub group: Option<String>,
    /// Requests per window for one key (Klipy: 200 per minute).
    pub key_limit: u32,
    /// Requests per window for the group (Klipy: 1,000 per minute).
    pub group_limit: u32,
    /// The window length (Klipy: one minute).
    pub window_ms: u64,
    /// Local pacing or an error when the store fails.
    pub on_error: OnStoreError,
    /// Every store call is given up after this long (default 50 ms).
    pub timeout_ms: u64,
}

impl SharedBudget {
    /// Klipy's limits (200/min per key, 1,000/min per organization), local fallback, 50 ms.
    pub fn new(store: Arc<dyn BudgetStore>) -> Self {
        Self {
            store,
            group: None,
            key_limit: 200,
            group_limit: 1000,
            window_ms: 60_000,
            on_error: OnStoreError::Local,
            timeout_ms: 50,
        }
    }
}

impl std::fmt::Debug for SharedBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedBudget")
            .field("group", &self.group)
            .field("key_limit", &self.key_limit)
            .field("group_limit", &self.group_limit)
            .field("window_ms", &self.window_ms)
            .field("on_error", &self.on_error)
            .field("timeout_ms", &self.timeout_ms)
            .finish_non_exhaustive()
    }
}

/// The hex SHA-256 of `klipy-budget:` + the key, first 32 digits (128 bits): names a key's bucket
/// without revealing it.
#[cfg(not(target_arch = "wasm32"))]
pub fn key_digest(key: &str) -> String {
    use sha2::Digest;
    use std::fmt::Write;
    let d = sha2::Sha256::new().chain_update(b"klipy-budget:").chain_update(key.as_bytes()).finalize();
    d.iter().take(16).fold(String::with_capacity(32), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The buckets of one request with `key`: the key's, then the group's.
#[cfg(not(target_arch = "wasm32"))]
pub fn buckets(key: &str, b: &SharedBudget) -> Vec<BucketSpec> {
    buckets_for_digest(&key_digest(key), b)
}

/// The buckets of one request with the key whose digest (`key_digest`) is `digest`.
pub fn buckets_for_digest(digest: &str, b: &SharedBudget) -> Vec<BucketSpec> {
    let digest = digest.to_string();
    let tag = b.group.as_deref().map_or_else(|| digest.clone(), |g| format!("g:{g}"));
    let mut v =
        vec![BucketSpec { name: format!("klipy:{{{tag}}}:k:{digest}"), limit: b.key_limit, window_ms: b.window_ms }];
    if let Some(g) = &b.group {
        v.push(BucketSpec { name: format!("klipy:{{{tag}}}:g:{g}"), limit: b.group_limit, window_ms: b.window_ms });
    }
    v
}

#[cfg(all(test, not(target_arch = "wasm32")))] // plain #[test]s, and key_digest is native
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::arc_with_non_send_sync)] // Send + Sync off wasm; wasm is single-threaded
    fn names_hide_the_key_and_share_a_hash_tag() {
        let mut b = SharedBudget::new(Arc::new(MemoryBudgetStore::new(Arc::new(memory::tests::FakeClock::default()))));
        let key = "klipy_api_test_not_a_real_key";
        let one = buckets(key, &b);
        assert_eq!(one.len(), 1);
        assert!(!one[0].name.contains(key) && !one[0].name.contains("not_a_real"));
        assert_eq!(one[0].name, format!("klipy:{{{0}}}:k:{0}", key_digest(key)));
        // A fixed vector for other implementations (the npm package will hash with WebCrypto).
        assert_eq!(key_digest(key), "a1d6436dbc5cc69928cf86bcb58cf622");
        assert_ne!(key_digest(key), key_digest("klipy_api_test_not_a_real_kez"));
        b.group = Some("acme".into());
        let two = buckets(key, &b);
        assert_eq!(two[1].name, "klipy:{g:acme}:g:acme");
        assert!(two[0].name.starts_with("klipy:{g:acme}:k:"));
        assert_eq!((two[0].limit, two[1].limit, two[1].window_ms), (200, 1000, 60_000));
    }
}
