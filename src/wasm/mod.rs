//! The WebAssembly facade: [`WasmClient`] exposes the core to the JS package.
//!
//! The contract with `pkg-template/` is deliberately small and string-based (JSON text in and
//! out), so that JavaScript keeps unknown fields and big numbers exactly as sent:
//!
//! - `new WasmClient(config, key, send, hooks)`; throws a `ConfigError`-named `Error`. `key` is
//!   the key or a function returning it (or a promise of it); `send(head, body, signal)` is the
//!   fetch adapter of [`FetchTransport`].
//! - `call(op, argsJson, opts)` → `Promise<string>`: JSON text of `{ status, requestId,
//!   rateLimit: { limit, remaining, resetAt }, hasNextPage, nextCursor, data }`; `op` is the name
//!   of an operation of [`crate::contract::OPERATIONS`] (not a bulk method); `opts` is
//!   `undefined` or `{ signal, timeoutMs, maxRetries, maxResponseBytes, headers }`. For a query,
//!   `argsJson` is `{ filter, limit, cursor, maxItems }`, `maxItems` being the items still
//!   wanted: the core caps the page size to it ([`crate::request::page_limit`]).
//! - `bulk(op, inputsJson, opts)` → `Promise<string>`: JSON text of `{ succeeded: [{ index,
//!   requestId, result }], failed: [{ index, error }] }` in input order
//!   ([`crate::wire::bulk_json`]), `op` being a bulk method (`people.upsertMany`,
//!   `interactions.createMany`).
//! - Option values are checked here, type and range, with one message per rule
//!   ([`crate::options::whole`] and its siblings, ranges from [`crate::contract::OPTIONS`]).
//! - Every options object (`config`, `config.rateLimit`, `opts`, bulk `opts`) may carry
//!   `optionNames`: the keys of the caller's own object, checked against the known names of
//!   [`crate::options`] (an unknown one is a `ConfigError` with a "did you mean").
//! - Rejections are `Error`s named after the SDK's error classes, with their fields as own
//!   properties (see `errors::to_js`).

mod budget;
mod dispatch;
mod errors;
mod hooks;
mod options;
mod timers;
mod transport;
mod webhooks;

pub use timers::{JsClock, JsRandom, JsSleep};
pub use transport::FetchTransport;

use crate::bulk::{BulkOptions, BulkProgress};
use crate::client::Client;
use crate::config::ApiKey;
use crate::contract::Scope;
use crate::error::Error;
use crate::request::Operation;
use dispatch::{bulk_builder, operation, parse_json};
use errors::to_js;
use hooks::{fn_opt, obj, JsHooks, JsKey};
use js_sys::{Function, Promise};
use options::{check_names, get, given, link_signal, number_opt, read_config, request_options};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::future_to_promise;

/// The SDK version (`0.1.0`).
#[wasm_bindgen(js_name = sdkVersion)]
pub fn sdk_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// The client the JS package wraps.
#[wasm_bindgen]
pub struct WasmClient {
    client: Client<FetchTransport>,
}

#[wasm_bindgen]
impl WasmClient {
    /// Builds a client. `config` holds the options; `get_key` is the key, or a function returning
    /// it (or a promise of it) before each request; `send` is the fetch adapter of
    /// [`FetchTransport`]; `hooks` may have `onRequest`, `onResponse`, `onRetry`, `onWait` and `log`.
    #[wasm_bindgen(constructor)]
    pub fn new(config: JsValue, get_key: JsValue, send: JsValue, hooks: JsValue) -> Result<WasmClient, JsValue> {
        Self::build(&config, get_key, send, &hooks).map_err(|e| to_js(&e))
    }

    fn build(config: &JsValue, get_key: JsValue, send: JsValue, hooks: &JsValue) -> Result<WasmClient, Error> {
        let shared = budget::read_shared(&get(config, "rateLimit"))?;
        let config = read_config(config)?;
        let send: Function = send.dyn_into().map_err(|_| {
            Error::config("fetch must be a function: pass options.fetch where there is no global fetch")
        })?;
        let hooks = JsHooks {
            on_request: fn_opt(hooks, "onRequest")?,
            on_response: fn_opt(hooks, "onResponse")?,
            on_retry: fn_opt(hooks, "onRetry")?,
            on_wait: fn_opt(hooks, "onWait")?,
            log: fn_opt(hooks, "log")?,
        };
        let builder = Client::builder_with(FetchTransport::new(send)).config(config);
        let builder = match get_key.as_string() {
            Some(key) => builder.api_key(ApiKey::new(key)?),
            None => builder.key_provider(JsKey(
                get_key.dyn_into().map_err(|_| Error::config("apiKey must be a string or a function"))?,
            )),
        };
        let builder = match shared {
            Some(b) => builder.budget(b),
            None => builder,
        };
        let client = builder.sleep(JsSleep).clock(JsClock).random(JsRandom).hooks(hooks).build()?;
        Ok(WasmClient { client })
    }

    /// Runs one operation; see the module docs for `op` and `args_json`.
    pub fn call(&self, op: String, args_json: String, opts: JsValue) -> Promise {
        let client = self.client.clone();
        let prepared = parse_json("args", &args_json)
            .and_then(|args| operation(&op, &args))
            .and_then(|operation| Ok((operation, request_options(&opts)?)));
        future_to_promise(async move {
            let (operation, (options, _link)) = prepared.map_err(|e| to_js(&e))?;
            let resp = client
                .execute_with(&operation, &options, crate::response::decode_success_json)
                .await
                .map_err(|e| to_js(&e))?;
            Ok(JsValue::from(crate::wire::result_json(&resp)))
        })
    }

    /// Runs a bulk method (`people.upsertMany`, `interactions.createMany`) with bounded
    /// concurrency; resolves to the JSON text of [`crate::wire::bulk_json`].
    pub fn bulk(&self, op: String, inputs_json: String, opts: JsValue) -> Promise {
        let client = self.client.clone();
        let prepared = (|| {
            let build = bulk_builder(&op)?;
            let inputs = match parse_json("inputs", &inputs_json)? {
                Value::Array(a) => a,
                _ => return Err(Error::validation("inputs", "inputs must be an array")),
            };
            check_names(&opts, "bulk option", crate::options::BULK_OPTIONS)?;
            let concurrency = number_opt(&opts, Scope::Bulk, "concurrency")?.unwrap_or(4) as usize;
            let stop_on_error = crate::options::flag(Scope::Bulk, "stopOnError", &given(&get(&opts, "stopOnError")))?;
            let on_progress = fn_opt(&opts, "onProgress")?;
            let (cancel, link) = link_signal(&get(&opts, "signal"))?;
            let ops: Vec<Result<Operation, Error>> = inputs.iter().map(build).collect();
            let progress = on_progress.map(|f| {
                Box::new(move |p: BulkProgress| {
                    let ev = obj(&[("done", p.done.into()), ("total", p.total.into()), ("failed", p.failed.into())]);
                    let _ = f.call1(&JsValue::UNDEFINED, &ev);
                }) as crate::bulk::ProgressFn
            });
            let stop_on_error = stop_on_error.unwrap_or(false);
            Ok((ops, BulkOptions { concurrency, stop_on_error, cancel, on_progress: progress }, link))
        })();
        future_to_promise(async move {
            let (ops, bulk_opts, _link) = prepared.map_err(|e| to_js(&e))?;
            let result = crate::bulk::run_with(&client, ops, bulk_opts, crate::response::decode_success_json).await;
            Ok(JsValue::from(crate::wire::bulk_json(&result)))
        })
    }
}

/// The allocator: talc instead of std's dlmalloc, ~7 KB smaller in the .wasm (~3 KB gzipped),
/// and faster. It grows the wasm memory as dlmalloc does; single-threaded wasm only (no atomics).
#[cfg(not(target_feature = "atomics"))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
