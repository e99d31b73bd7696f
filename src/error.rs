//! One error type for everything the SDK can report, with a non-exhaustive [`ErrorKind`].

use serde_json::Value;
use std::fmt;

/// What went wrong, matching the JavaScript error classes of the SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad options, a missing or malformed key, a refused base URL.
    Config,
    /// The SDK rejected an input before sending anything.
    Validation,
    /// HTTP 400.
    BadRequest,
    /// HTTP 401.
    Authentication,
    /// HTTP 403.
    PermissionDenied,
    /// HTTP 404.
    NotFound,
    /// HTTP 409.
    Conflict,
    /// HTTP 422.
    UnprocessableEntity,
    /// HTTP 429, or a server-requested wait longer than the client accepts.
    RateLimit,
    /// HTTP 500 and above.
    InternalServer,
    /// Any other non-2xx status.
    Api,
    /// The request could not be sent or no response arrived (DNS, refused, reset, TLS). A redirect
    /// is an [`ErrorKind::Api`] error carrying its 3xx status (the SDK never follows one).
    Connection,
    /// An attempt timed out, or the call's deadline passed.
    Timeout,
    /// The caller cancelled.
    UserAbort,
    /// A 2xx response whose body is not the expected JSON.
    Decode,
}

impl ErrorKind {
    /// The kind for a non-2xx HTTP status: the status class of [`crate::contract::ERRORS`] with
    /// that status (`InternalServerError` for every 5xx), else [`ErrorKind::Api`].
    pub fn from_status(status: u16) -> Self {
        let wanted = if status >= 500 { 500 } else { status };
        crate::contract::ERRORS.iter().find(|e| e.status == Some(wanted)).and_then(|e| e.kind).unwrap_or(ErrorKind::Api)
    }

    /// The name of the matching JavaScript error class (`NotFoundError`, …), from
    /// [`crate::contract::ERRORS`].
    pub fn class_name(self) -> &'static str {
        crate::contract::ERRORS.iter().find(|e| e.kind == Some(self)).map_or("KlipyError", |e| e.name)
    }
}

/// Rate-limit state read from `X-RateLimit-*` headers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimitInfo {
    /// Requests allowed per window.
    pub limit: Option<u64>,
    /// Requests left in the window.
    pub remaining: Option<u64>,
    /// When the window resets, epoch milliseconds.
    pub reset_at: Option<u64>,
}

/// An error from the SDK. `Display` is a short sentence with what to do next; it never contains
/// the API key.
#[derive(Clone)]
pub struct Error(Box<ErrorInner>);

/// The fields of an [`Error`], boxed so that `Result<T, Error>` stays small.
#[doc(hidden)]
#[derive(Clone)]
pub struct ErrorInner {
    pub(crate) kind: ErrorKind,
    pub(crate) message: String,
    pub(crate) status: Option<u16>,
    pub(crate) code: Option<String>,
    pub(crate) request_id: Option<String>,
    pub(crate) details: Option<Value>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) attempts: u32,
    pub(crate) retry_after_ms: Option<u64>,
    pub(crate) rate_limit: Option<RateLimitInfo>,
    pub(crate) field: Option<String>,
    pub(crate) cause: Option<Cause>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self(Box::new(ErrorInner {
            kind,
            message: message.into(),
            status: None,
            code: None,
            request_id: None,
            details: None,
            headers: Vec::new(),
            attempts: 0,
            retry_after_ms: None,
            rate_limit: None,
            field: None,
            cause: None,
        }))
    }

    /// A configuration error (bad option, missing key).
    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::Config, message)
    }

    /// An input rejected before sending; `field` names the offending input.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = Self::new(ErrorKind::Validation, message);
        e.field = Some(field.into());
        e
    }

    pub(crate) fn user_abort(message: impl Into<String>) -> Self {
        Self::new(ErrorKind::UserAbort, message)
    }

    pub(crate) fn with_cause(mut self, cause: impl Into<String>) -> Self {
        self.cause = Some(Cause(cause.into()));
        self
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// The message without any prefix.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// HTTP status, for API and decode errors.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
    /// The API's machine-readable code (`not_found`, `validation_error`, …).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }
    /// The request id the API gave (quote it to Klipy support).
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
    /// The API's error details, as sent.
    pub fn details(&self) -> Option<&Value> {
        self.details.as_ref()
    }
    /// Response headers of the failed response (lower-case names).
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
    /// How many attempts were made (0 when nothing was sent).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
    /// For rate-limit errors: how long the server asked to wait.
    pub fn retry_after_ms(&self) -> Option<u64> {
        self.retry_after_ms
    }
    /// For rate-limit errors: how long the server asked to wait (or the pacer found the window
    /// spent for), as a [`std::time::Duration`]. Retry no sooner.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.retry_after_ms.map(std::time::Duration::from_millis)
    }
    /// Rate-limit headers of the failed response.
    pub fn rate_limit(&self) -> Option<RateLimitInfo> {
        self.rate_limit
    }
    /// For validation errors: the offending field.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }
    /// For 403: the scope the key lacks, when the API named it.
    pub fn required_scope(&self) -> Option<&str> {
        self.details.as_ref()?.get("required_scope").or_else(|| self.details.as_ref()?.get("requiredScope"))?.as_str()
    }
    /// A description of the underlying failure (for connection errors).
    pub fn cause(&self) -> Option<&str> {
        self.cause.as_ref().map(|c| c.0.as_str())
    }
    /// Whether the same request might succeed if sent again later: the retry rule of
    /// [`crate::retry::classify`] for an operation that is safe to replay (a create without a
    /// dedupe key may still not be replayed by the client itself).
    pub fn is_retryable(&self) -> bool {
        crate::retry::should_retry(self, crate::request::Replay::Safe)
    }
    /// Whether this is a timeout (per attempt or deadline).
    pub fn is_timeout(&self) -> bool {
        self.kind == ErrorKind::Timeout
    }

    /// Removes `secret` (as is, JSON-escaped, or percent-encoded) and anything shaped like a Klipy
    /// key from every text of this error: message, code, request id, cause, header names and
    /// values, and every string and key inside `details`.
    pub(crate) fn redact(mut self, secret: &str) -> Self {
        let inner = &mut *self.0;
        let scrub = |s: &mut String| {
            if let std::borrow::Cow::Owned(clean) = redact_text(s, secret) {
                *s = clean;
            }
        };
        scrub(&mut inner.message);
        inner.code.iter_mut().for_each(scrub);
        inner.request_id.iter_mut().for_each(scrub);
        if let Some(c) = &mut inner.cause {
            scrub(&mut c.0);
        }
        for (k, v) in &mut inner.headers {
            scrub(k);
            scrub(v);
        }
        if let Some(d) = &mut inner.details {
            redact_value(d, secret);
        }
        self
    }
}

/// `s` in double quotes, JSON-escaped, for messages (not `{:?}`: Rust's `Debug` for strings
/// links Unicode tables the wasm build does not need).
pub(crate) fn quoted(s: &str) -> String {
    Value::from(s).to_string()
}

/// What stands in for a secret.
pub(crate) const REDACTED: &str = "[redacted]";

/// `text` without `secret` (also in its JSON-escaped and percent-encoded forms) and without any
/// token shaped like a Klipy key (`klipy_api_…`, `klipy_pk_…`), which covers rotated keys and a
/// key function's own error text. Borrowed when there was nothing to remove.
pub(crate) fn redact_text<'a>(text: &'a str, secret: &str) -> std::borrow::Cow<'a, str> {
    let mut out = std::borrow::Cow::Borrowed(text);
    let scrub = |out: &mut std::borrow::Cow<'a, str>, form: &str| {
        if out.contains(form) {
            *out = std::borrow::Cow::Owned(out.replace(form, REDACTED));
        }
    };
    if !secret.is_empty() {
        scrub(&mut out, secret);
        // This runs on every response's request id: the JSON-escaped form can only differ from
        // the key (and be present) in a text holding a `\`, the percent-encoded one in a text
        // holding a `%`, so each is built only then.
        if out.contains('\\') {
            let escaped = Value::from(secret).to_string();
            scrub(&mut out, &escaped[1..escaped.len() - 1]);
        }
        if out.contains('%') {
            let encoded = percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC).to_string();
            scrub(&mut out, &encoded);
        }
    }
    if out.contains("klipy_api_") || out.contains("klipy_pk_") {
        out = std::borrow::Cow::Owned(redact_key_shapes(&out));
    }
    out
}

fn redact_key_shapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = ["klipy_api_", "klipy_pk_"].iter().filter_map(|p| rest.find(p).map(|i| (i, p.len()))).min();
        let Some((i, plen)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..i]);
        let tail = &rest[i + plen..];
        let end = tail.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')).unwrap_or(tail.len());
        if end == 0 {
            out.push_str(&rest[i..i + plen]); // a bare prefix is no key
        } else {
            out.push_str(REDACTED);
        }
        rest = &tail[end..];
    }
}

/// [`redact_text`] on every string and object key inside a JSON value.
pub(crate) fn redact_value(v: &mut Value, secret: &str) {
    match v {
        Value::String(s) => {
            if let std::borrow::Cow::Owned(clean) = redact_text(s, secret) {
                *s = clean;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| redact_value(i, secret)),
        Value::Object(map) => {
            let dirty = map.keys().any(|k| matches!(redact_text(k, secret), std::borrow::Cow::Owned(_)));
            if dirty {
                let old = std::mem::take(map);
                for (k, val) in old {
                    map.insert(redact_text(&k, secret).into_owned(), val);
                }
            }
            map.values_mut().for_each(|val| redact_value(val, secret));
        }
        _ => {}
    }
}

impl std::ops::Deref for Error {
    type Target = ErrorInner;
    fn deref(&self) -> &ErrorInner {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut ErrorInner {
        &mut self.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("code", &self.code)
            .field("request_id", &self.request_id)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// The underlying failure of a connection error, exposed through `source()`.
#[derive(Debug, Clone)]
pub(crate) struct Cause(String);

impl Cause {
    pub(crate) fn new(text: String) -> Self {
        Self(text)
    }
}
impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Cause {}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause.as_ref().map(|c| c as _)
    }
}
