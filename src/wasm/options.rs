//! Options read from JS — the client's config, a call's options, signals, option names and header
//! objects; the rules themselves live in the core ([`crate::options`], [`crate::Config`]).

use crate::client::RequestOptions;
use crate::config::{AuthScheme, Config, RateLimitMode};
use crate::contract::Scope::{self, Client, RateLimit, Request};
use crate::error::{quoted, Error};
use crate::options::Given;
use crate::CancelToken;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

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
        return Err(Error::config(format!(
            "Option `{key}` must be an object of header names to strings, not {}.",
            given(&h).describe()
        )));
    }
    for name in Object::keys(h.unchecked_ref::<Object>()).iter() {
        let name = name.as_string().unwrap_or_default();
        let value = get(&h, &name).as_string().ok_or_else(|| {
            Error::config(format!("Option `{key}`: the value of header {} must be a string.", quoted(&name)))
        })?;
        headers.push((name, value));
    }
    Ok(headers)
}

pub(super) fn get(obj: &JsValue, key: &str) -> JsValue {
    if obj.is_object() || obj.is_function() {
        Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

pub(super) fn set(obj: &JsValue, key: &str, value: JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), &value);
}

pub(super) fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// A JS value as the core's option checks take it.
pub(super) fn given(v: &JsValue) -> Given {
    if absent(v) {
        Given::Absent
    } else if let Some(n) = v.as_f64() {
        Given::Number(n)
    } else if let Some(s) = v.as_string() {
        Given::Text(s)
    } else if let Some(b) = v.as_bool() {
        Given::Bool(b)
    } else if js_sys::Array::is_array(v) {
        Given::Other("an array")
    } else if v.is_function() {
        Given::Other("a function")
    } else if v.is_object() {
        Given::Other("an object")
    } else if v.is_bigint() {
        Given::Other("a bigint")
    } else {
        Given::Other("a symbol")
    }
}

/// Reads a whole-number option of `scope`, checked against the contract's range.
pub(super) fn number_opt(obj: &JsValue, scope: Scope, key: &str) -> Result<Option<u64>, Error> {
    crate::options::whole(scope, key, &given(&get(obj, key)))
}

pub(super) fn read_config(obj: &JsValue) -> Result<Config, Error> {
    use crate::options::{one_of, text};
    check_names(obj, "client option", crate::options::CLIENT_OPTIONS)?;
    let mut c = Config::default();
    if let Some(url) = text(Client, "baseUrl", given(&get(obj, "baseUrl")))? {
        c.set_base_url(&url)?;
    }
    c.default_headers = headers_opt(obj, "defaultHeaders")?;
    if let Some(s) = one_of(Client, "authScheme", given(&get(obj, "authScheme")))? {
        c.auth_scheme = AuthScheme::parse(&s)?;
    }
    if let Some(n) = number_opt(obj, Client, "maxRetries")? {
        c.max_retries = n as u32;
    }
    if let Some(n) = number_opt(obj, Client, "timeoutMs")? {
        c.timeout_ms = n;
    }
    c.deadline_ms = number_opt(obj, Client, "deadlineMs")?;
    if let Some(n) = number_opt(obj, Client, "maxResponseBytes")? {
        c.max_response_bytes = n;
    }
    if let Some(n) = number_opt(obj, Client, "maxRetryWaitMs")? {
        c.max_retry_wait_ms = n;
    }
    c.user_agent = text(Client, "userAgent", given(&get(obj, "userAgent")))?;
    let rl = get(obj, "rateLimit");
    c.rate_limit = if absent(&rl) || rl.as_string().as_deref() == Some("adaptive") {
        RateLimitMode::Adaptive
    } else if rl.as_bool() == Some(false) {
        RateLimitMode::Off
    } else if rl.is_object() && !js_sys::Array::is_array(&rl) && !rl.is_function() {
        check_names(&rl, "rateLimit option", crate::options::RATE_LIMIT_OPTIONS)?;
        let rpm = number_opt(&rl, RateLimit, "requestsPerMinute")?.unwrap_or(0) as u32;
        let conc = number_opt(&rl, RateLimit, "maxConcurrency")?.unwrap_or(0) as u32;
        RateLimitMode::Bucket { requests_per_minute: rpm, max_concurrency: conc }
    } else {
        return Err(Error::config(format!(
            "Option `rateLimit` must be \"adaptive\", false or {{ requestsPerMinute, maxConcurrency }}, not {}.",
            given(&rl).describe()
        )));
    };
    c.validate()?;
    Ok(c)
}

/// Removes the abort listener when the call ends.
pub(super) struct SignalLink {
    signal: web_sys::AbortSignal,
    listener: Closure<dyn FnMut()>,
}

impl Drop for SignalLink {
    fn drop(&mut self) {
        let _ = self.signal.remove_event_listener_with_callback("abort", self.listener.as_ref().unchecked_ref());
    }
}

/// A cancel token tripped by `signal` (if any), and the link to drop when the call ends.
pub(super) fn link_signal(signal: &JsValue) -> Result<(Option<CancelToken>, Option<SignalLink>), Error> {
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

pub(super) fn request_options(opts: &JsValue) -> Result<(RequestOptions, Option<SignalLink>), Error> {
    if absent(opts) {
        return Ok((RequestOptions::default(), None)); // the common case: no lookups across the boundary
    }
    check_names(opts, "request option", crate::options::REQUEST_OPTIONS)?;
    let (cancel, link) = link_signal(&get(opts, "signal"))?;
    let headers = headers_opt(opts, "headers")?;
    let o = RequestOptions {
        timeout_ms: number_opt(opts, Request, "timeoutMs")?,
        max_retries: number_opt(opts, Request, "maxRetries")?.map(|n| n as u32),
        max_response_bytes: number_opt(opts, Request, "maxResponseBytes")?,
        headers,
        cancel,
    };
    o.validate()?;
    Ok((o, link))
}
