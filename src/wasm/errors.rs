//! Turns an [`Error`] into a JS `Error` whose `name` is the SDK class name and whose own
//! properties carry the details; the JS layer re-creates the matching class from it.

use crate::error::{Error, ErrorKind};
use js_sys::{Object, Reflect};
use serde_json::Value;
use wasm_bindgen::JsValue;

/// Parses JSON text into a JS value (`undefined` when it cannot).
pub(crate) fn json_to_js(v: &Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).unwrap_or(JsValue::UNDEFINED)
}

fn set(target: &JsValue, key: &str, value: JsValue) {
    // Setting a property on a fresh Error or Object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value);
}

fn opt_num(v: Option<u64>) -> JsValue {
    v.map_or(JsValue::NULL, |n| JsValue::from_f64(n as f64))
}

/// A JS object `{ limit, remaining, resetAt }`.
pub(crate) fn rate_limit_to_js(r: crate::RateLimitInfo) -> JsValue {
    let o: JsValue = Object::new().into();
    set(&o, "limit", opt_num(r.limit));
    set(&o, "remaining", opt_num(r.remaining));
    set(&o, "resetAt", opt_num(r.reset_at));
    o
}

/// The JS form of an SDK error.
pub fn to_js(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name(e.kind().class_name());
    let js: JsValue = err.into();
    set(&js, "retryable", JsValue::from_bool(e.is_retryable()));
    if !matches!(e.kind(), ErrorKind::Config | ErrorKind::Validation) {
        set(&js, "attempts", JsValue::from_f64(e.attempts() as f64));
    }
    if let Some(s) = e.status() {
        set(&js, "status", JsValue::from_f64(s as f64));
    }
    if let Some(c) = e.code() {
        set(&js, "code", JsValue::from_str(c));
    }
    if let Some(id) = e.request_id() {
        set(&js, "requestId", JsValue::from_str(id));
    }
    if let Some(d) = e.details() {
        set(&js, "details", json_to_js(d));
    }
    if !e.headers().is_empty() {
        let h: JsValue = Object::new().into();
        for (k, v) in e.headers() {
            set(&h, k, JsValue::from_str(v));
        }
        set(&js, "headers", h);
    }
    if let Some(ms) = e.retry_after_ms() {
        set(&js, "retryAfterMs", JsValue::from_f64(ms as f64));
    }
    if let Some(r) = e.rate_limit() {
        set(&js, "rateLimit", rate_limit_to_js(r));
    }
    if let Some(f) = e.field() {
        set(&js, "field", JsValue::from_str(f));
    }
    if let Some(s) = e.required_scope() {
        set(&js, "requiredScope", JsValue::from_str(s));
    }
    if let Some(c) = e.cause() {
        set(&js, "cause", js_sys::Error::new(c).into());
    }
    js
}
