//! A fetch transport built with gloo-net: one `AbortController` per attempt, aborted when the
//! attempt's future is dropped (timeout, cancellation), redirects never followed.

use crate::rt::BoxFuture;
use crate::transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};
use gloo_net::http::{RequestBuilder, Response};
use js_sys::{Function, Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestRedirect, ResponseType};

/// Sends requests through a fetch function (the global `fetch` or the caller's).
pub struct FetchTransport {
    fetch: Function,
}

impl FetchTransport {
    /// A transport that calls `fetch(request)`.
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

fn gloo_method(m: Method) -> gloo_net::http::Method {
    match m {
        Method::Get => gloo_net::http::Method::GET,
        Method::Post => gloo_net::http::Method::POST,
        Method::Put => gloo_net::http::Method::PUT,
        Method::Patch => gloo_net::http::Method::PATCH,
        Method::Delete => gloo_net::http::Method::DELETE,
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

async fn send(fetch: Function, req: HttpRequest) -> Result<HttpResponse, TransportError> {
    let controller = AbortController::new().map_err(|e| TransportError::Other(describe_js_error(&e)))?;
    let mut guard = AbortGuard(Some(controller.clone()));
    let mut builder = RequestBuilder::new(&req.url)
        .method(gloo_method(req.method))
        .redirect(RequestRedirect::Manual)
        .abort_signal(Some(&controller.signal()));
    for (k, v) in &req.headers {
        builder = builder.header(k, v);
    }
    let request = match &req.body {
        Some(body) => builder.body(Uint8Array::from(body.as_slice())),
        None => builder.build(),
    }
    .map_err(|e| TransportError::Other(e.to_string()))?;
    let request: web_sys::Request = request.into();
    let promise =
        fetch.call1(&JsValue::UNDEFINED, &request).map_err(|e| TransportError::Connect(describe_js_error(&e)))?;
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
    let headers = response.headers().entries().map(|(k, v)| (k.to_ascii_lowercase(), v)).collect();
    let body = response.binary().await.map_err(|e| TransportError::Connect(e.to_string()))?;
    guard.0 = None; // completed: nothing to abort
    Ok(HttpResponse { status, headers, body })
}

impl Transport for FetchTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        Box::pin(send(self.fetch.clone(), request))
    }
}
