//! [`ReqwestTransport`]: the default native [`Transport`], over reqwest with rustls.

use crate::rt::BoxFuture;
use crate::transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};
use std::time::Duration;

/// The default native transport: reqwest 0.13 with rustls (aws-lc-rs by default, *ring* with
/// the `reqwest-ring` feature). Needs a tokio runtime.
///
/// It keeps the duties of every [`Transport`]: it never follows a redirect (a 3xx answers
/// [`TransportError::Redirect`], so the key never travels to another origin), refuses a body
/// whose `Content-Length` passes [`HttpRequest::max_response_bytes`] before reading it, reads
/// other bodies chunk by chunk and stops the moment the cap is passed
/// ([`TransportError::TooLarge`]), and cancels the request when its future is dropped.
/// Connection failures become [`TransportError::Connect`] with the reason (refused, reset, DNS,
/// TLS, …), timeouts [`TransportError::Timeout`].
///
/// Cloning is cheap and shares the connection pool.
///
/// With `reqwest-ring` (and not `reqwest`), reqwest carries no TLS provider of its own:
/// [`ReqwestTransport::new`] installs ring as the process-wide rustls provider when none is
/// installed. Build it before any other reqwest client of the process (or install a provider
/// yourself), or reqwest panics with "No rustls crypto provider is configured".
#[derive(Clone)]
pub struct ReqwestTransport {
    http: Result<reqwest::Client, String>,
}

impl std::fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReqwestTransport").field("ready", &self.http.is_ok()).finish()
    }
}

impl Default for ReqwestTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl ReqwestTransport {
    /// A transport with its own connection pool, redirects off.
    ///
    /// Setting up TLS can fail on an unusual system; the failure is then reported by
    /// [`crate::ClientBuilder::build`] (as a config error) and by every send, never as a panic.
    pub fn new() -> Self {
        #[cfg(all(feature = "reqwest-ring", not(feature = "reqwest")))]
        {
            // reqwest's `rustls-no-provider` takes the process-wide provider: make it ring,
            // unless the application installed one already (then that one stays).
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("the HTTP client could not be set up: {}", describe(&e)));
        Self { http }
    }

    /// Why the transport cannot send, when its setup failed.
    pub(crate) fn setup_error(&self) -> Option<&str> {
        self.http.as_ref().err().map(String::as_str)
    }
}

impl Transport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let http = self.http.clone();
        Box::pin(async move {
            let http = http.map_err(TransportError::Other)?;
            send(&http, request).await
        })
    }
}

async fn send(http: &reqwest::Client, request: HttpRequest) -> Result<HttpResponse, TransportError> {
    let method = match request.method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Patch => reqwest::Method::PATCH,
        Method::Delete => reqwest::Method::DELETE,
    };
    let mut builder = http.request(method, &request.url).timeout(Duration::from_millis(request.timeout_ms.max(1)));
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    if let Some(body) = request.body {
        builder = builder.body(body);
    }
    let mut response = builder.send().await.map_err(map_error)?;
    let status = response.status().as_u16();
    if (300..400).contains(&status) {
        // Dropping the response closes its body: nothing of the redirect is read.
        return Err(TransportError::Redirect(status));
    }
    let cap = request.max_response_bytes;
    if response.content_length().is_some_and(|len| len > cap) {
        return Err(TransportError::TooLarge(cap));
    }
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(map_error)? {
        if (body.len() + chunk.len()) as u64 > cap {
            return Err(TransportError::TooLarge(cap));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(HttpResponse { status, headers, body })
}

/// Maps a reqwest failure onto the core's kinds, naming the reason.
fn map_error(e: reqwest::Error) -> TransportError {
    if e.is_timeout() {
        return TransportError::Timeout;
    }
    if e.is_builder() {
        return TransportError::Invalid(describe(&e));
    }
    TransportError::Connect(describe(&e))
}

/// A one-line description: the reason for the common socket failures (refused, reset, …), then
/// the error and its causes, most specific last (the URL is left out: it is in the logs already).
fn describe(e: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut reason: Option<&'static str> = None;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            reason = reason.or(io_reason(io.kind()));
        }
        let text = if let Some(re) = err.downcast_ref::<reqwest::Error>() { strip_url(re) } else { err.to_string() };
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = err.source();
    }
    let chain = parts.join(": ");
    // hyper-util reports a failed name lookup as text only ("dns error: …").
    if reason.is_none() && chain.contains("dns error") {
        reason = Some("DNS lookup failed");
    }
    // The reason first, so that a reader (or a log filter) sees it at once.
    match reason {
        Some(r) => format!("{r}: {chain}"),
        None => chain,
    }
}

fn strip_url(e: &reqwest::Error) -> String {
    let kind = if e.is_connect() {
        "connection failed"
    } else if e.is_request() {
        "request failed"
    } else if e.is_body() || e.is_decode() {
        "reading the response body failed"
    } else if e.is_builder() {
        "the request could not be built"
    } else {
        "HTTP error"
    };
    kind.to_string()
}

fn io_reason(kind: std::io::ErrorKind) -> Option<&'static str> {
    use std::io::ErrorKind as K;
    Some(match kind {
        K::ConnectionRefused => "connection refused",
        K::ConnectionReset => "connection reset",
        K::ConnectionAborted => "connection aborted",
        K::NotConnected => "not connected",
        K::BrokenPipe => "broken pipe",
        K::TimedOut => "timed out",
        K::UnexpectedEof => "connection closed early",
        K::AddrNotAvailable => "address not available",
        _ => return None,
    })
}
