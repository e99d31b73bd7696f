//! A fetch transport: `fetch(url, init)` with one `AbortController` per attempt, aborted when the
//! attempt's future is dropped (timeout, cancellation), redirects never followed; the answer is
//! read through gloo-net's `Response`.

use crate::rt::BoxFuture;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use gloo_net::http::Response;
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ResponseType};

/// Sends requests through a fetch function (the global `fetch` or the caller's).
pub struct FetchTransport {
    fetch: Function,
}

impl FetchTransport {
    /// A transport that calls `fetch(url, init)`.
    pub fn new(fetch: Function) -> Self {
        Self { fetch }
    }
}

/// Aborts the attempt's controller unless the attempt completed.
struct AbortGuard(Option<AbortController>);

impl Drop for AbortGuard {
    fn drop(&mut self) {
        if let Some(c) = self.0.take() {
            c.abort();
        }
    }
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// A short description of a thrown JS value (`TypeError: fetch failed (ECONNRESET)`).
pub(crate) fn describe_js_error(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        let mut text = format!("{}: {}", String::from(err.name()), String::from(err.message()));
        if let Ok(cause) = Reflect::get(err, &"cause".into()) {
            if !cause.is_undefined() && !cause.is_null() {
                let code = Reflect::get(&cause, &"code".into()).ok().and_then(|c| c.as_string());
                let msg = Reflect::get(&cause, &"message".into()).ok().and_then(|c| c.as_string());
                if let Some(detail) = code.or(msg) {
                    text.push_str(&format!(" ({detail})"));
                }
            }
        }
        text
    } else {
        e.as_string().unwrap_or_else(|| "a non-Error value was thrown".into())
    }
}

/// The response headers the core reads on a 2xx.
const SUCCESS_HEADERS: [&str; 6] = [
    "x-request-id",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "retry-after",
    "retry-after-ms",
];

async fn send(fetch: Function, req: HttpRequest) -> Result<HttpResponse, TransportError> {
    let controller = AbortController::new().map_err(|e| TransportError::Other(describe_js_error(&e)))?;
    let mut guard = AbortGuard(Some(controller.clone()));
    // fetch(url, init) with a plain init object, so fetch builds the attempt's only Request:
    // gloo-net's RequestBuilder would build one that fetch then copies into a second (with a
    // second body stream), measured at 10-40 % of the SDK's CPU per call in bench/ANALYSIS.md.
    let headers = Object::new();
    for (k, v) in &req.headers {
        set(&headers, k, &JsValue::from_str(v));
    }
    let init = Object::new();
    set(&init, "method", &JsValue::from_str(req.method.as_str()));
    set(&init, "headers", &headers);
    set(&init, "redirect", &JsValue::from_str("manual"));
    set(&init, "signal", &controller.signal());
    if let Some(body) = &req.body {
        set(&init, "body", &Uint8Array::from(body.as_slice()));
    }
    let promise = fetch
        .call2(&JsValue::UNDEFINED, &JsValue::from_str(&req.url), &init)
        .map_err(|e| TransportError::Connect(describe_js_error(&e)))?;
    let value =
        JsFuture::from(Promise::resolve(&promise)).await.map_err(|e| TransportError::Connect(describe_js_error(&e)))?;
    let raw: web_sys::Response = value.dyn_into().map_err(|_| {
        TransportError::Invalid("it did not resolve to a Response; pass a fetch-compatible function".into())
    })?;
    let response = Response::from(raw);
    let status = response.status();
    if response.type_() == ResponseType::Opaqueredirect || (300..400).contains(&status) {
        return Err(TransportError::Redirect(status));
    }
    let h = response.headers();
    let headers = if (200..300).contains(&status) {
        // A success is read for its request id and rate-limit state only; errors keep every
        // header (APIError.headers).
        SUCCESS_HEADERS.iter().filter_map(|name| h.get(name).map(|v| ((*name).to_string(), v))).collect()
    } else {
        h.entries().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect()
    };
    let body = response.binary().await.map_err(|e| TransportError::Connect(e.to_string()))?;
    guard.0 = None; // completed: nothing to abort
    Ok(HttpResponse { status, headers, body })
}

impl Transport for FetchTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        Box::pin(send(self.fetch.clone(), request))
    }
}
