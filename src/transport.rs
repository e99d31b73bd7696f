//! The HTTP boundary: the core hands an owned [`HttpRequest`] to a [`Transport`] and gets an
//! [`HttpResponse`] back. Nothing else in the core touches the network.

use crate::rt::{BoxFuture, MaybeSendSync};

/// HTTP methods the Klipy API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Parses a method name (case-insensitive).
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.to_ascii_uppercase().as_str() {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }
}

/// One attempt of a request, fully built: absolute URL, headers, body bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// HTTP method.
    pub method: Method,
    /// Absolute URL.
    pub url: String,
    /// Header names and values, in order. Contains the API key: never log this as is.
    pub headers: Vec<(String, String)>,
    /// The JSON body, identical on every attempt of one call.
    pub body: Option<Vec<u8>>,
    /// How long this attempt may take, in milliseconds (the core also enforces it).
    pub timeout_ms: u64,
    /// The largest body the transport may read. A transport refuses a `Content-Length` above it
    /// before reading, reads the body incrementally otherwise, and stops reading (cancelling the
    /// body) the moment the cap is passed: it answers [`TransportError::TooLarge`] in both cases
    /// and never buffers more than the cap.
    pub max_response_bytes: u64,
}

impl HttpRequest {
    /// The value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), if is_secret_header(k) { "[redacted]" } else { v.as_str() }))
            .collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .field("timeout_ms", &self.timeout_ms)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

/// Whether a header carries a credential.
pub(crate) fn is_secret_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("x-klipy-api-key") || name.eq_ignore_ascii_case("authorization")
}

/// A response as the transport received it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Header names (lower-cased by the transport or not; lookups ignore case) and values.
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

pub(crate) fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// The reason a connection failed, read from a transport's description of it (error codes and
/// messages of Node, Deno, Bun, workerd and native stacks): `"connection refused"`, `"DNS lookup
/// failed"`, `"TLS handshake failed"`, `"connect timed out"`, `"network unreachable"`,
/// `"connection reset"`, else `"connection failed"`.
pub fn connect_reason(description: &str) -> &'static str {
    const REASONS: &[(&[&str], &str)] = &[
        (&["econnrefused", "connection refused", "connectionrefused"], "connection refused"),
        (
            &[
                "enotfound",
                "eai_again",
                "eai_noname",
                "eai_fail",
                "dns error",
                "dns lookup",
                "failed to lookup address",
                "getaddrinfo",
                "name resolution",
                "name or service not known",
            ],
            "DNS lookup failed",
        ),
        (
            &["tls", "ssl", "cert", "handshake", "eproto", "unable_to_verify", "self_signed", "self-signed"],
            "TLS handshake failed",
        ),
        (
            &["und_err_connect_timeout", "etimedout", "connect timeout", "connectiontimedout", "timed out"],
            "connect timed out",
        ),
        (&["enetunreach", "ehostunreach", "network is unreachable", "no route to host"], "network unreachable"),
        (
            &[
                "econnreset",
                "connection reset",
                "connectionreset",
                "und_err_socket",
                "other side closed",
                "socket hang up",
                "epipe",
                "connection closed",
                "connection lost",
                "broken pipe",
            ],
            "connection reset",
        ),
    ];
    let text = description.to_ascii_lowercase();
    REASONS.iter().find(|(needles, _)| needles.iter().any(|n| text.contains(n))).map_or("connection failed", |(_, r)| r)
}

/// Why a transport could not produce a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// The connection failed (DNS, refused, reset, TLS, a fetch that rejected).
    Connect(String),
    /// The transport's own timeout fired.
    Timeout,
    /// The caller aborted.
    Aborted,
    /// The server answered with a redirect, which the SDK does not follow (it would carry the key).
    Redirect(u16),
    /// The fetch function (or transport) misbehaved, e.g. resolved to something that is not a
    /// response: a programming error, never retried.
    Invalid(String),
    /// The response body is larger than [`HttpRequest::max_response_bytes`] (the cap, in bytes):
    /// it was not read to the end. Never retried.
    TooLarge(u64),
    /// Something else, described.
    Other(String),
}

/// Sends one HTTP request. Implement it for your HTTP client of choice.
///
/// Every transport must:
///
/// - **never follow a redirect**: answer a 3xx with [`TransportError::Redirect`] (following one
///   would carry the API key to another origin);
/// - **cap the body** at [`HttpRequest::max_response_bytes`]: refuse a larger `Content-Length`
///   before reading, read incrementally and stop the moment the cap is passed, answering
///   [`TransportError::TooLarge`] (a hostile server must not be able to exhaust memory);
/// - **cancel the request when the returned future is dropped** (timeouts and cancellation are
///   the core's: it drops the future).
pub trait Transport: MaybeSendSync {
    /// Sends `request` and resolves to the complete response.
    fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>>;
}

impl<T: Transport + ?Sized> Transport for std::sync::Arc<T> {
    fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        (**self).send(request)
    }
}

#[cfg(any(test, feature = "test-util"))]
pub mod scripted;
