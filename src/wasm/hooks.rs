//! The JS side of a client's key and hooks: a key function called before each request, and hook
//! events and log lines forwarded to JS functions.

use super::errors::{json_to_js, rate_limit_to_js};
use super::options::{absent, get, set};
use crate::client::{Hooks, KeyProvider, LogLevel, RequestEvent, ResponseEvent, RetryEvent, WaitEvent};
use crate::config::ApiKey;
use crate::error::Error;
use crate::rt::BoxFuture;
use js_sys::{Function, Object, Promise};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Calls the JS key function before each request; awaits it when it returns a promise.
pub(super) struct JsKey(pub(super) Function);

impl KeyProvider for JsKey {
    fn api_key(&self) -> BoxFuture<'_, Result<ApiKey, Error>> {
        let f = self.0.clone();
        Box::pin(async move {
            let failed = |e: JsValue| {
                Error::config("the apiKey function threw or rejected: fix it to return the key as a string")
                    .with_cause(super::transport::describe_js_error(&e))
            };
            let mut v = f.call0(&JsValue::UNDEFINED).map_err(failed)?;
            if v.has_type::<Promise>() || v.is_object() && get(&v, "then").is_function() {
                v = JsFuture::from(Promise::resolve(&v)).await.map_err(failed)?;
            }
            let key = v.as_string().ok_or_else(|| {
                let ty = if v.is_null() { "null".to_string() } else { v.js_typeof().as_string().unwrap_or_default() };
                Error::config(format!(
                    "the apiKey function must return the key as a string (or a promise of one), not {ty}"
                ))
            })?;
            ApiKey::new(key)
        })
    }
}

/// Forwards hook events and log lines to JS functions; a throwing hook is ignored.
pub(super) struct JsHooks {
    pub(super) on_request: Option<Function>,
    pub(super) on_response: Option<Function>,
    pub(super) on_retry: Option<Function>,
    pub(super) on_wait: Option<Function>,
    pub(super) log: Option<Function>,
}

pub(super) fn fn_opt(obj: &JsValue, key: &str) -> Result<Option<Function>, Error> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.dyn_into::<Function>().map(Some).map_err(|_| Error::config(format!("{key} must be a function")))
}

pub(super) fn obj(fields: &[(&str, JsValue)]) -> JsValue {
    let o: JsValue = Object::new().into();
    for (k, v) in fields {
        set(&o, k, v.clone());
    }
    o
}

pub(super) fn opt_str(s: Option<&str>) -> JsValue {
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
