//! A fetch transport: `fetch(url, init)` through the JS layer's adapter, with one
//! `AbortController` per attempt, aborted when the attempt's future is dropped (timeout,
//! cancellation), redirects never followed; the answer is read through gloo-net's `Response`.

use crate::rt::BoxFuture;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use gloo_net::http::Response;
use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ResponseType};

/// Sends requests through the JS layer's fetch adapter, `send(head, body, signal)`, which calls
/// `fetch(url, init)` (the global `fetch` or the caller's) and returns its promise:
///
/// - `head` is the method, the URL and the headers' names and values, one per line:
///   `"GET\nhttps://…\naccept\napplication/json\n…"`. One string crosses the wasm boundary
///   instead of an init object built property by property; no part can hold a line break (the
///   core rejects them in keys, header values and URLs).
/// - `body` is a `Uint8Array` or `undefined`; `signal` is the attempt's `AbortSignal`.
///
/// The adapter sets `redirect: "manual"` and builds the attempt's only `Request` inside fetch
/// (a `Request` built here would be copied by fetch into a second one, body included).
pub struct FetchTransport {
    send: Function,
}

impl FetchTransport {
    /// A transport over a `send(head, body, signal)` adapter (see [`FetchTransport`]).
    pub fn new(send: Function) -> Self {
        Self { send }
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

/// The response headers the core reads on a 2xx: the request id and the rate-limit state
/// (`Retry-After` matters only on errors, which keep every header).
const SUCCESS_HEADERS: [&str; 4] = ["x-request-id", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"];

async fn send(send: Function, req: HttpRequest) -> Result<HttpResponse, TransportError> {
    let controller = AbortController::new().map_err(|e| TransportError::Other(describe_js_error(&e)))?;
    let mut guard = AbortGuard(Some(controller.clone()));
    let mut head = String::with_capacity(256);
    head.push_str(req.method.as_str());
    for part in std::iter::once(req.url.as_str()).chain(req.headers.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]))
    {
        if part.contains('\n') {
            return Err(TransportError::Other("a header or the URL contains a line break".into()));
        }
        head.push('\n');
        head.push_str(part);
    }
    let body = match &req.body {
        Some(body) => Uint8Array::from(body.as_slice()).into(),
        None => JsValue::UNDEFINED,
    };
    let promise = send
        .call3(&JsValue::UNDEFINED, &JsValue::from(head), &body, &controller.signal())
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
        Box::pin(send(self.send.clone(), request))
    }
}
