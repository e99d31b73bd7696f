//! The WebAssembly facade: [`WasmClient`] exposes the core to the JS package.
//!
//! The contract with `pkg-template/` is deliberately small and string-based (JSON text in and
//! out), so that JavaScript keeps unknown fields and big numbers exactly as sent:
//!
//! - `new WasmClient(config, key, send, hooks)`; throws a `ConfigError`-named `Error`. `key` is
//!   the key or a function returning it (or a promise of it); `send(head, body, signal)` is the
//!   fetch adapter of [`FetchTransport`].
//! - `call(op, argsJson, opts)` → `Promise<string>`: JSON text of `{ status, requestId,
//!   rateLimit: { limit, remaining, resetAt }, hasNextPage, nextCursor, data }`; `op` is
//!   `authenticate`, `people.get|query|create|upsert|update|delete`,
//!   `companies.get|create|update|delete`, `interactions.get|query|create` or `request`; `opts`
//!   is `undefined` or `{ signal, timeoutMs, maxRetries, maxResponseBytes, headers }`.
//! - `bulk(op, inputsJson, opts)` → `Promise<{ succeeded: [{ index, resultJson, requestId }],
//!   failed: [{ index, error }] }>`, in input order, for `people.upsert` and `interactions.create`.
//! - Every options object (`config`, `config.rateLimit`, `opts`, bulk `opts`) may carry
//!   `optionNames`: the keys of the caller's own object, checked against the known names of
//!   [`crate::options`] (an unknown one is a `ConfigError` with a "did you mean").
//! - Rejections are `Error`s named after the SDK's error classes, with their fields as own
//!   properties (see `errors::to_js`).

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
use crate::error::{quoted, Error};
use crate::request::{self, Operation};
use dispatch::{operation, parse_json};
use errors::to_js;
use hooks::{fn_opt, obj, opt_str, JsHooks, JsKey};
use js_sys::{Function, Promise};
use options::{check_names, get, link_signal, number_opt, read_config, request_options};
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

/// A call's result as one JSON text, which JavaScript parses once: `{"status", "requestId",
/// "rateLimit": {"limit", "remaining", "resetAt"}, "hasNextPage", "nextCursor", "data"}`, with
/// `data` the response's own JSON text. One string crosses the boundary instead of an object
/// built field by field.
fn result_json(r: crate::ApiResponse<String>) -> String {
    let num = |v: Option<u64>| v.map_or_else(|| "null".to_string(), |v| v.to_string());
    let text = |v: Option<&str>| v.map_or_else(|| "null".to_string(), |v| Value::from(v).to_string());
    let rl = r.rate_limit;
    format!(
        r#"{{"status":{},"requestId":{},"rateLimit":{{"limit":{},"remaining":{},"resetAt":{}}},"hasNextPage":{},"nextCursor":{},"data":{}}}"#,
        r.status,
        text(r.request_id.as_deref()),
        num(rl.limit),
        num(rl.remaining),
        num(rl.reset_at),
        r.has_next_page,
        text(r.next_cursor.as_deref()),
        r.data
    )
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
            Ok(JsValue::from(result_json(resp)))
        })
    }

    /// Runs many `people.upsert` or `interactions.create` calls with bounded concurrency.
    pub fn bulk(&self, op: String, inputs_json: String, opts: JsValue) -> Promise {
        let client = self.client.clone();
        let prepared = (|| {
            let inputs = match parse_json("inputs", &inputs_json)? {
                Value::Array(a) => a,
                _ => return Err(Error::validation("inputs", "inputs must be an array")),
            };
            let build: fn(&Value) -> Result<Operation, Error> = match op.as_str() {
                "people.upsert" => request::upsert_person,
                "interactions.create" => request::create_interaction,
                other => return Err(Error::validation("operation", format!("{} has no bulk form", quoted(other)))),
            };
            check_names(&opts, "bulk option", crate::options::BULK_OPTIONS)?;
            let concurrency = number_opt(&opts, "concurrency", 256.0)?.unwrap_or(4).max(1) as usize;
            let stop_on_error = get(&opts, "stopOnError").as_bool().unwrap_or(false);
            let on_progress = fn_opt(&opts, "onProgress")?;
            let (cancel, link) = link_signal(&get(&opts, "signal"))?;
            let ops: Vec<Result<Operation, Error>> = inputs.iter().map(build).collect();
            let progress = on_progress.map(|f| {
                Box::new(move |p: BulkProgress| {
                    let ev = obj(&[("done", p.done.into()), ("total", p.total.into()), ("failed", p.failed.into())]);
                    let _ = f.call1(&JsValue::UNDEFINED, &ev);
                }) as crate::bulk::ProgressFn
            });
            Ok((ops, BulkOptions { concurrency, stop_on_error, cancel, on_progress: progress }, link))
        })();
        future_to_promise(async move {
            let (ops, bulk_opts, _link) = prepared.map_err(|e| to_js(&e))?;
            let result = crate::bulk::run_with(&client, ops, bulk_opts, crate::response::decode_success_json).await;
            let succeeded = js_sys::Array::new();
            for s in result.succeeded {
                succeeded.push(&obj(&[
                    ("index", s.index.into()),
                    ("resultJson", s.result.data.into()),
                    ("requestId", opt_str(s.request_id.as_deref())),
                ]));
            }
            let failed = js_sys::Array::new();
            for f in result.failed {
                failed.push(&obj(&[("index", f.index.into()), ("error", to_js(&f.error))]));
            }
            Ok(obj(&[("succeeded", succeeded.into()), ("failed", failed.into())]))
        })
    }
}
