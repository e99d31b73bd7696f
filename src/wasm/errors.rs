//! Turns an [`Error`] into a JS `Error` whose `name` is the SDK class name and whose own
//! properties carry the details; the JS layer re-creates the matching class from it.

use crate::error::Error;
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

/// The JS form of an SDK error: an `Error` named after its class, with the fields of
/// [`crate::wire::error_value`] as own properties (`cause` as an `Error`).
pub fn to_js(e: &Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name(e.kind().class_name());
    let js: JsValue = err.into();
    if let Value::Object(fields) = crate::wire::error_value(e) {
        for (k, v) in fields {
            match k.as_str() {
                "name" | "message" => {}
                "cause" => set(&js, "cause", js_sys::Error::new(v.as_str().unwrap_or_default()).into()),
                _ => set(&js, &k, json_to_js(&v)),
            }
        }
    }
    js
}
