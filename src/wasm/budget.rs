//! The shared budget's store on wasm: the npm package's store bridge (`pkg-template/src/budget.mjs`)
//! behind the core's [`BudgetStore`], and the `rateLimit` options that link a client to it.
//!
//! The bridge is one JS function taking one array (plain values: cheaper in the .wasm than JSON),
//! `[kind, keyBucket, groupBucket | null, keyLimit, groupLimit, windowMs, a, b]`, and returning
//! a value or a promise of one:
//! - `["digest", key]` → the key's digest, 32 hex digits (WebCrypto: the wasm has no `sha2`);
//! - `"reserve"`, `a` = cost, `b` = maxWaitMs → the wait in ms, or `-1 - wait` when nothing was
//!   reserved (the bridge checks the store's `{ granted, waitMs }`);
//! - `"observe"`, `a` = remaining, `b` = resetInMs (the key's bucket only); `"refund"`, `a` = cost.
//!
//! It only moves data to the user's store (`{ reserve, observe, refund }`): the GCRA maths and
//! what a header means stay in the core, and in the Redis script that mirrors it.

use super::options::{get, number_opt};
use crate::budget::{
    BucketSpec, BudgetStore, Observation, OnStoreError, Reservation, ReserveRequest, SharedBudget, StoreError,
};
use crate::contract::Scope::RateLimit;
use crate::error::Error;
use crate::rt::BoxFuture;
use js_sys::{Array, Function, Promise};
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

struct JsBudgetStore(Function);

/// `[kind, keyBucket, groupBucket | null, keyLimit, groupLimit, windowMs, a, b]`: the bridge
/// builds the store's objects from this (cheaper in the .wasm than JSON).
fn args(kind: &str, buckets: &[BucketSpec], a: u64, b: u64) -> Array {
    let arr = Array::new();
    arr.push(&JsValue::from_str(kind));
    for i in 0..2 {
        arr.push(&buckets.get(i).map_or(JsValue::NULL, |b| JsValue::from_str(&b.name)));
    }
    for i in 0..2 {
        arr.push(&JsValue::from_f64(buckets.get(i).map_or(0.0, |b| f64::from(b.limit))));
    }
    for n in [buckets.first().map_or(0, |b| b.window_ms), a, b] {
        arr.push(&JsValue::from_f64(n as f64));
    }
    arr
}

impl JsBudgetStore {
    fn step(&self, args: Array) -> BoxFuture<'static, Result<JsValue, StoreError>> {
        let called = self.0.call1(&JsValue::UNDEFINED, &args);
        Box::pin(async move {
            let failed = |e: JsValue| StoreError(super::transport::describe_js_error(&e));
            JsFuture::from(Promise::resolve(&called.map_err(failed)?)).await.map_err(failed)
        })
    }
}

impl BudgetStore for JsBudgetStore {
    fn reserve(&self, req: &ReserveRequest) -> BoxFuture<'_, Result<Reservation, StoreError>> {
        let fut = self.step(args("reserve", &req.buckets, u64::from(req.cost), req.max_wait_ms));
        Box::pin(async move {
            // The bridge resolves to the wait in ms, negative (−1 − wait) when nothing was reserved.
            match fut.await?.as_f64() {
                Some(w) if w >= 0.0 && w.is_finite() => Ok(Reservation { granted: true, wait_ms: w.ceil() as u64 }),
                Some(w) if w < 0.0 && w.is_finite() => {
                    Ok(Reservation { granted: false, wait_ms: (-1.0 - w).ceil() as u64 })
                }
                _ => Err(StoreError("the store's reserve did not resolve to { granted, waitMs }".into())),
            }
        })
    }
    fn observe(&self, obs: &Observation) -> BoxFuture<'_, Result<(), StoreError>> {
        let fut = self.step(args("observe", std::slice::from_ref(&obs.bucket), obs.remaining, obs.reset_in_ms));
        Box::pin(async move { fut.await.map(drop) })
    }
    fn refund(&self, req: &ReserveRequest) -> BoxFuture<'_, Result<(), StoreError>> {
        let fut = self.step(args("refund", &req.buckets, u64::from(req.cost), 0));
        Box::pin(async move { fut.await.map(drop) })
    }
    fn key_digest<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<String, StoreError>> {
        let arr = Array::new();
        arr.push(&JsValue::from_str("digest"));
        arr.push(&JsValue::from_str(key));
        let fut = self.step(arr);
        Box::pin(async move {
            let d = fut.await?.as_string().unwrap_or_default();
            match d.len() == 32 && d.bytes().all(|b| b.is_ascii_hexdigit()) {
                true => Ok(d),
                false => Err(StoreError("the store bridge's digest is not 32 hex digits".into())),
            }
        })
    }
}

/// `rateLimit: { store, group, onStoreError, keyLimit, groupLimit, windowMs, storeTimeoutMs }`
/// (names already checked by `read_config`); `store` is the JS layer's bridge function.
pub(super) fn read_shared(rl: &JsValue) -> Result<Option<SharedBudget>, Error> {
    use super::options::given;
    use crate::options::{one_of, text};
    let Ok(step) = get(rl, "store").dyn_into::<Function>() else { return Ok(None) };
    let mut b = SharedBudget::new(Arc::new(JsBudgetStore(step)));
    b.group = text(RateLimit, "group", given(&get(rl, "group")))?.filter(|g| !g.is_empty());
    let num = |name| number_opt(rl, RateLimit, name);
    if let Some(n) = num("keyLimit")? {
        b.key_limit = n as u32;
    }
    if let Some(n) = num("groupLimit")? {
        b.group_limit = n as u32;
    }
    if let Some(n) = num("windowMs")? {
        b.window_ms = n;
    }
    if let Some(n) = num("storeTimeoutMs")? {
        b.timeout_ms = n;
    }
    if one_of(RateLimit, "onStoreError", given(&get(rl, "onStoreError")))?.as_deref() == Some("throw") {
        b.on_error = OnStoreError::Throw;
    }
    Ok(Some(b))
}

/// One step of a budget whose bucket times JavaScript keeps: the Workers Durable Object
/// (`KlipyBudget`, `pkg-template/src/budget-durable.mjs`) holds them in a `Map` and runs the
/// core's GCRA here ([`crate::budget::gcra::plain_step`], which says what the numbers are), so
/// Redis's Lua script stays the only second implementation.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = budgetStep)]
pub fn budget_step(
    step: u32,
    out: u32,
    now_ms: f64,
    a: f64,
    b: f64,
    l0: f64,
    w0: f64,
    t0: f64,
    l1: f64,
    w1: f64,
    t1: f64,
) -> f64 {
    crate::budget::gcra::plain_step(step, out, now_ms, a, b, [l0, w0, t0], [l1, w1, t1])
}
