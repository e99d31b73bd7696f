//! A fetch transport: `fetch(url, init)` through the JS layer's adapter, with one
//! `AbortController` per attempt, aborted when the attempt's future is dropped (timeout,
//! cancellation), redirects never followed; the body is read chunk by chunk and refused the
//! moment it passes the call's `maxResponseBytes` (a `Content-Length` over the cap is refused
//! before reading), so an over-cap body is never copied into wasm memory.

use crate::rt::BoxFuture;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader, Response, ResponseType};

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
    let response: Response = value.dyn_into().map_err(|_| {
        TransportError::Invalid("it did not resolve to a Response; pass a fetch-compatible function".into())
    })?;
    let status = response.status();
    if response.type_() == ResponseType::Error {
        return Err(TransportError::Connect("the fetch function answered a network error (Response.error())".into()));
    }
    if response.type_() == ResponseType::Opaqueredirect || (300..400).contains(&status) {
        return Err(TransportError::Redirect(status));
    }
    let h = response.headers();
    let header = |name: &str| h.get(name).ok().flatten();
    let headers = if (200..300).contains(&status) {
        // A success is read for its request id and rate-limit state only; errors keep every
        // header (APIError.headers).
        SUCCESS_HEADERS.iter().filter_map(|name| header(name).map(|v| ((*name).to_string(), v))).collect()
    } else {
        let mut all = Vec::new();
        if let Ok(Some(entries)) = js_sys::try_iter(&h) {
            for entry in entries.flatten() {
                let pair: js_sys::Array = entry.unchecked_into();
                if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                    all.push((k.to_ascii_lowercase(), v));
                }
            }
        }
        all
    };
    let cap = req.max_response_bytes;
    let declared = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > cap) {
        if let Some(stream) = response.body() {
            let _ = JsFuture::from(stream.cancel()).await;
        }
        return Err(TransportError::TooLarge(cap));
    }
    let body = read_capped(&response, cap, declared).await?;
    guard.0 = None; // completed: nothing to abort
    Ok(HttpResponse { status, headers, body })
}

/// Reads the body chunk by chunk; past `cap` bytes it cancels the stream and answers
/// [`TransportError::TooLarge`] without copying the chunk that crossed the cap.
async fn read_capped(response: &Response, cap: u64, declared: Option<u64>) -> Result<Vec<u8>, TransportError> {
    let failed = |e: JsValue| TransportError::Connect(format!("reading the body failed: {}", describe_js_error(&e)));
    let Some(stream) = response.body() else {
        return Ok(Vec::new());
    };
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut body = Vec::with_capacity(declared.unwrap_or(0).min(cap) as usize);
    loop {
        let chunk = JsFuture::from(reader.read()).await.map_err(failed)?;
        if Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()) == Some(true) {
            return Ok(body);
        }
        let bytes: Uint8Array = Reflect::get(&chunk, &"value".into()).map_err(failed)?.unchecked_into();
        let len = bytes.length() as usize;
        if (body.len() + len) as u64 > cap {
            let _ = JsFuture::from(reader.cancel()).await;
            return Err(TransportError::TooLarge(cap));
        }
        let start = body.len();
        body.resize(start + len, 0);
        bytes.copy_to(&mut body[start..]);
    }
}

impl Transport for FetchTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        Box::pin(send(self.send.clone(), request))
    }
}
