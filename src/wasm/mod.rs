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
//!   failed: [{ index, error }] }>` for `people.upsert` and `interactions.create`.
//! - Every options object (`config`, `config.rateLimit`, `opts`, bulk `opts`) may carry
//!   `optionNames`: the keys of the caller's own object, checked against the known names of
//!   [`crate::options`] (an unknown one is a `ConfigError` with a "did you mean").
//! - Rejections are `Error`s named after the SDK's error classes, with their fields as own
//!   properties (see `errors::to_js`).

mod errors;
mod options;
mod timers;
mod transport;
mod webhooks;

pub use timers::{JsClock, JsRandom, JsSleep};
pub use transport::FetchTransport;

use crate::bulk::{BulkOptions, BulkProgress};
use crate::client::{
    Client, Hooks, KeyProvider, LogLevel, RequestEvent, RequestOptions, ResponseEvent, RetryEvent, WaitEvent,
};
use crate::config::{ApiKey, AuthScheme, Config, RateLimitMode};
use crate::error::{quoted, Error};
use crate::request::{self, Operation, QueryParams, Resource};
use crate::rt::BoxFuture;
use crate::CancelToken;
use errors::{json_to_js, rate_limit_to_js, to_js};
use js_sys::{Function, Object, Promise, Reflect};
use options::{check_names, headers_opt};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

/// The SDK version (`0.1.0`).
#[wasm_bindgen(js_name = sdkVersion)]
pub fn sdk_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() || obj.is_function() {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

fn set(obj: &JsValue, key: &str, value: JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value);
}

fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// Reads a whole, non-negative number option.
fn number_opt(obj: &JsValue, key: &str, max: f64) -> Result<Option<u64>, Error> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= max => Ok(Some(n as u64)),
        // `max as u64`: formatting an f64 would link core's float printer (~15 KB of wasm).
        _ => Err(Error::config(format!("{key} must be a whole number from 0 to {}", max as u64))),
    }
}

/// The largest `maxResponseBytes`, as the option readers take it.
const MAX_BODY: f64 = crate::config::MAX_RESPONSE_BYTES_LIMIT as f64;

fn string_opt(obj: &JsValue, key: &str) -> Result<Option<String>, Error> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or_else(|| Error::config(format!("{key} must be a string")))
}

fn read_config(obj: &JsValue) -> Result<Config, Error> {
    check_names(obj, "client option", crate::options::CLIENT_OPTIONS)?;
    let mut c = Config::default();
    if let Some(url) = string_opt(obj, "baseUrl")? {
        c.set_base_url(&url)?;
    }
    c.default_headers = headers_opt(obj, "defaultHeaders")?;
    if let Some(s) = string_opt(obj, "authScheme")? {
        c.auth_scheme = AuthScheme::parse(&s)?;
    }
    if let Some(n) = number_opt(obj, "maxRetries", 10.0)? {
        c.max_retries = n as u32;
    }
    const DAY_MS: f64 = 86_400_000.0;
    if let Some(n) = number_opt(obj, "timeoutMs", DAY_MS)? {
        c.timeout_ms = n;
    }
    c.deadline_ms = number_opt(obj, "deadlineMs", DAY_MS)?;
    if let Some(n) = number_opt(obj, "maxResponseBytes", MAX_BODY)? {
        c.max_response_bytes = n;
    }
    if let Some(n) = number_opt(obj, "maxRetryWaitMs", DAY_MS)? {
        c.max_retry_wait_ms = n;
    }
    c.user_agent = string_opt(obj, "userAgent")?;
    let rl = get(obj, "rateLimit");
    c.rate_limit = if absent(&rl) || rl.as_string().as_deref() == Some("adaptive") {
        RateLimitMode::Adaptive
    } else if rl.as_bool() == Some(false) {
        RateLimitMode::Off
    } else if rl.is_object() {
        check_names(&rl, "rateLimit option", crate::options::RATE_LIMIT_OPTIONS)?;
        let rpm = number_opt(&rl, "requestsPerMinute", 1_000_000.0)?.unwrap_or(0) as u32;
        let conc = number_opt(&rl, "maxConcurrency", 10_000.0)?.unwrap_or(0) as u32;
        RateLimitMode::Bucket { requests_per_minute: rpm, max_concurrency: conc }
    } else {
        return Err(Error::config("rateLimit must be \"adaptive\", false, or { requestsPerMinute, maxConcurrency }"));
    };
    c.validate()?;
    Ok(c)
}

/// Calls the JS key function before each request; awaits it when it returns a promise.
struct JsKey(Function);

impl KeyProvider for JsKey {
    fn api_key(&self) -> BoxFuture<'_, Result<ApiKey, Error>> {
        let f = self.0.clone();
        Box::pin(async move {
            let failed = |e: JsValue| {
                Error::config("the apiKey function threw or rejected: fix it to return the key as a string")
                    .with_cause(transport::describe_js_error(&e))
            };
            let mut v = f.call0(&JsValue::UNDEFINED).map_err(failed)?;
            if v.has_type::<Promise>() || v.is_object() && get(&v, "then").is_function() {
                v = JsFuture::from(Promise::resolve(&v)).await.map_err(failed)?;
            }
            let key = v.as_string().ok_or_else(|| {
                Error::config(
                    "the apiKey function must return a string (or a promise of one): set KLIPY_API_KEY or pass apiKey",
                )
            })?;
            ApiKey::new(key)
        })
    }
}

/// Forwards hook events and log lines to JS functions; a throwing hook is ignored.
struct JsHooks {
    on_request: Option<Function>,
    on_response: Option<Function>,
    on_retry: Option<Function>,
    on_wait: Option<Function>,
    log: Option<Function>,
}

fn fn_opt(obj: &JsValue, key: &str) -> Result<Option<Function>, Error> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.dyn_into::<Function>().map(Some).map_err(|_| Error::config(format!("{key} must be a function")))
}

fn obj(fields: &[(&str, JsValue)]) -> JsValue {
    let o: JsValue = Object::new().into();
    for (k, v) in fields {
        set(&o, k, v.clone());
    }
    o
}

fn opt_str(s: Option<&str>) -> JsValue {
    s.map_or(JsValue::NULL, JsValue::from_str)
}

impl Hooks for JsHooks {
    fn on_request(&self, e: &RequestEvent<'_>) {
        if let Some(f) = &self.on_request {
            let ev = obj(&[
                ("operation", e.operation.into()),
                ("method", e.method.into()),
                ("url", e.url.into()),
                ("attempt", e.attempt.into()),
            ]);
            let _ = f.call1(&JsValue::UNDEFINED, &ev);
        }
    }
    fn on_response(&self, e: &ResponseEvent<'_>) {
        if let Some(f) = &self.on_response {
            let ev = obj(&[
                ("operation", e.operation.into()),
                ("method", e.method.into()),
                ("path", e.path.into()),
                ("status", e.status.map_or(JsValue::NULL, |s| s.into())),
                ("attempt", e.attempt.into()),
                ("durationMs", (e.duration_ms as f64).into()),
                ("requestId", opt_str(e.request_id)),
                ("rateLimit", rate_limit_to_js(e.rate_limit)),
            ]);
            let _ = f.call1(&JsValue::UNDEFINED, &ev);
        }
    }
    fn on_retry(&self, e: &RetryEvent<'_>) {
        if let Some(f) = &self.on_retry {
            let ev = obj(&[
                ("attempt", e.attempt.into()),
                ("delayMs", (e.delay_ms as f64).into()),
                ("reason", e.reason.into()),
                ("requestId", opt_str(e.request_id)),
            ]);
            let _ = f.call1(&JsValue::UNDEFINED, &ev);
        }
    }
    fn on_wait(&self, e: &WaitEvent<'_>) {
        if let Some(f) = &self.on_wait {
            let mut fields = vec![("reason", e.reason.as_str().into()), ("ms", (e.ms as f64).into())];
            if let Some(id) = e.request_id {
                fields.push(("requestId", id.into()));
            }
            let _ = f.call1(&JsValue::UNDEFINED, &obj(&fields));
        }
    }
    fn log_enabled(&self) -> bool {
        self.log.is_some()
    }
    fn log(&self, level: LogLevel, message: &str, fields: &[(&str, Value)]) {
        if let Some(f) = &self.log {
            let o: JsValue = Object::new().into();
            for (k, v) in fields {
                set(&o, k, json_to_js(v));
            }
            let _ = f.call3(&JsValue::UNDEFINED, &level.as_str().into(), &message.into(), &o);
        }
    }
}

/// The client the JS package wraps.
#[wasm_bindgen]
pub struct WasmClient {
    client: Client<FetchTransport>,
}

fn parse_json(field: &str, text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::validation(field, format!("{field} is not valid JSON: {e}")))
}

fn id_arg(args: &Value) -> Result<&str, Error> {
    match args.get("id") {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(Error::validation("id", "id is required")),
        Some(other) => Err(Error::validation("id", format!("id must be a string, got {other}"))),
    }
}

fn arg<'a>(args: &'a Value, key: &str) -> &'a Value {
    args.get(key).unwrap_or(&Value::Null)
}

/// Builds the operation named by `op` from its JSON arguments.
fn operation(op: &str, args: &Value) -> Result<Operation, Error> {
    use Resource::*;
    let resource = |name: &str| match name {
        "people" => Some(People),
        "companies" => Some(Companies),
        "interactions" => Some(Interactions),
        _ => None,
    };
    let (res, verb) = op.split_once('.').map_or((None, op), |(r, v)| (resource(r), v));
    match (res, verb) {
        (None, "authenticate") => Ok(request::authenticate()),
        (None, "request") => {
            let method = arg(args, "method").as_str().unwrap_or("GET");
            let path = arg(args, "path").as_str().ok_or_else(|| Error::validation("path", "path must be a string"))?;
            request::raw(method, path, args.get("body"), args.get("query"))
        }
        (Some(r), "get") => request::get(r, id_arg(args)?),
        (Some(r @ (People | Companies)), "delete") => request::delete(r, id_arg(args)?),
        (Some(r @ (People | Companies)), "update") => request::update(r, id_arg(args)?, arg(args, "patch")),
        (Some(r @ (People | Interactions)), "query") => request::query(r, &QueryParams::from_json(args)?),
        (Some(People), "create") => request::create_person(arg(args, "input")),
        (Some(People), "upsert") => request::upsert_person(arg(args, "input")),
        (Some(Companies), "create") => request::create_company(arg(args, "input")),
        (Some(Interactions), "create") => request::create_interaction(arg(args, "input")),
        _ => Err(Error::validation("operation", format!("unknown operation {}", quoted(op)))),
    }
}

/// Removes the abort listener when the call ends.
struct SignalLink {
    signal: web_sys::AbortSignal,
    listener: Closure<dyn FnMut()>,
}

impl Drop for SignalLink {
    fn drop(&mut self) {
        let _ = self.signal.remove_event_listener_with_callback("abort", self.listener.as_ref().unchecked_ref());
    }
}

/// A cancel token tripped by `signal` (if any), and the link to drop when the call ends.
fn link_signal(signal: &JsValue) -> Result<(Option<CancelToken>, Option<SignalLink>), Error> {
    if absent(signal) {
        return Ok((None, None));
    }
    let signal: web_sys::AbortSignal =
        signal.clone().dyn_into().map_err(|_| Error::config("signal must be an AbortSignal"))?;
    let token = CancelToken::new();
    if signal.aborted() {
        token.cancel();
        return Ok((Some(token), None));
    }
    let t = token.clone();
    let listener = Closure::<dyn FnMut()>::new(move || t.cancel());
    signal
        .add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref())
        .map_err(|_| Error::config("signal must be an AbortSignal"))?;
    Ok((Some(token), Some(SignalLink { signal, listener })))
}

fn request_options(opts: &JsValue) -> Result<(RequestOptions, Option<SignalLink>), Error> {
    if absent(opts) {
        return Ok((RequestOptions::default(), None)); // the common case: no lookups across the boundary
    }
    check_names(opts, "request option", crate::options::REQUEST_OPTIONS)?;
    let (cancel, link) = link_signal(&get(opts, "signal"))?;
    let headers = headers_opt(opts, "headers")?;
    let o = RequestOptions {
        timeout_ms: number_opt(opts, "timeoutMs", 86_400_000.0)?,
        max_retries: number_opt(opts, "maxRetries", 10.0)?.map(|n| n as u32),
        max_response_bytes: number_opt(opts, "maxResponseBytes", MAX_BODY)?,
        headers,
        cancel,
    };
    o.validate()?;
    Ok((o, link))
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
