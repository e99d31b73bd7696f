//! Option names and header objects read from JS: the rules themselves live in the core
//! ([`crate::options`]).

use super::{absent, get};
use crate::error::{quoted, Error};
use js_sys::Object;
use wasm_bindgen::{JsCast, JsValue};

/// Checks the names in `obj.optionNames` (the keys of the caller's own options object, which the
/// JS layer passes along) against `known`.
pub(super) fn check_names(obj: &JsValue, what: &str, known: &[&'static str]) -> Result<(), Error> {
    let names = get(obj, "optionNames");
    if absent(&names) {
        return Ok(());
    }
    let names: Vec<String> = js_sys::Array::from(&names).iter().filter_map(|n| n.as_string()).collect();
    crate::options::check_option_names(what, names.iter().map(String::as_str), known)
}

/// Header pairs from a JS object of names to strings.
pub(super) fn headers_opt(obj: &JsValue, key: &str) -> Result<Vec<(String, String)>, Error> {
    let h = get(obj, key);
    let mut headers = Vec::new();
    if absent(&h) {
        return Ok(headers);
    }
    if !h.is_object() {
        return Err(Error::config(format!("{key} must be an object of header names to strings")));
    }
    for name in Object::keys(h.unchecked_ref::<Object>()).iter() {
        let name = name.as_string().unwrap_or_default();
        let value = get(&h, &name)
            .as_string()
            .ok_or_else(|| Error::config(format!("{key}: the value of {} must be a string", quoted(&name))))?;
        headers.push((name, value));
    }
    Ok(headers)
}
