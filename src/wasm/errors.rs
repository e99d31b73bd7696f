//! Turns an [`Error`] into a JS `Error` whose `name` is the SDK class name and whose own
//! properties carry the details; the JS layer re-creates the matching class from it.

use crate::error::Error;
use js_sys::{Object, Reflect};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

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

/// The JS form of an SDK error: an `Error` named after its class, with the fields of
/// [`crate::wire::error_json`] as own properties (`cause` as an `Error`).
pub fn to_js(e: &Error) -> JsValue {
    let err: JsValue = js_sys::Error::new("").into();
    if let Ok(fields) = js_sys::JSON::parse(&crate::wire::error_json(e)) {
        Object::assign(err.unchecked_ref::<Object>(), fields.unchecked_ref::<Object>());
        let cause = Reflect::get(&fields, &JsValue::from_str("cause")).unwrap_or(JsValue::UNDEFINED);
        if let Some(c) = cause.as_string() {
            set(&err, "cause", js_sys::Error::new(&c).into());
        }
    }
    err
}
