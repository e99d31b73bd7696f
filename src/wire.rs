//! The JSON texts a binding receives from the core: a call's result, a bulk result and the error
//! JSON inside it (the wasm facade returns these; JavaScript parses each once).

use crate::bulk::BulkResult;
use crate::client::ApiResponse;
use crate::error::{Error, ErrorKind, RateLimitInfo};
use serde_json::Value;

fn num(v: Option<u64>) -> String {
    v.map_or_else(|| "null".to_string(), |v| v.to_string())
}

fn text(v: Option<&str>) -> String {
    v.map_or_else(|| "null".to_string(), |v| Value::from(v).to_string())
}

fn rate_limit(rl: RateLimitInfo) -> String {
    format!(r#"{{"limit":{},"remaining":{},"resetAt":{}}}"#, num(rl.limit), num(rl.remaining), num(rl.reset_at))
}

/// A call's result: `{"status", "requestId", "rateLimit": {"limit", "remaining", "resetAt"},
/// "hasNextPage", "nextCursor", "data"}`, with `data` the response's own JSON text.
pub fn result_json(r: &ApiResponse<String>) -> String {
    format!(
        r#"{{"status":{},"requestId":{},"rateLimit":{},"hasNextPage":{},"nextCursor":{},"data":{}}}"#,
        r.status,
        text(r.request_id.as_deref()),
        rate_limit(r.rate_limit),
        r.has_next_page,
        text(r.next_cursor.as_deref()),
        r.data
    )
}

/// An error as JSON text: `{"name", "message", "retryable", "attempts", "status", "code",
/// "requestId", "details", "headers", "retryAfterMs", "rateLimit", "field", "requiredScope",
/// "cause"}`, absent fields left out (`attempts` is left out for config and validation errors,
/// where nothing was sent; `cause` is the underlying failure's text). Written as text, like
/// [`result_json`], so the wasm build links no JSON map for it.
pub fn error_json(e: &Error) -> String {
    let mut out = format!(
        r#"{{"name":"{}","message":{},"retryable":{}"#,
        e.kind().class_name(),
        text(Some(&e.to_string())),
        e.is_retryable()
    );
    let mut field = |k: &str, v: String| {
        out.push_str(",\"");
        out.push_str(k);
        out.push_str("\":");
        out.push_str(&v);
    };
    if !matches!(e.kind(), ErrorKind::Config | ErrorKind::Validation) {
        field("attempts", e.attempts().to_string());
    }
    if let Some(s) = e.status() {
        field("status", u64::from(s).to_string());
    }
    let texts = [("code", e.code()), ("requestId", e.request_id())];
    for (k, v) in texts {
        if v.is_some() {
            field(k, text(v));
        }
    }
    if let Some(d) = e.details() {
        field("details", d.to_string());
    }
    if !e.headers().is_empty() {
        let mut h = String::from("{");
        for (k, v) in e.headers() {
            if h.len() > 1 {
                h.push(',');
            }
            h.push_str(&text(Some(k)));
            h.push(':');
            h.push_str(&text(Some(v)));
        }
        h.push('}');
        field("headers", h);
    }
    if let Some(ms) = e.retry_after_ms() {
        field("retryAfterMs", ms.to_string());
    }
    if let Some(r) = e.rate_limit() {
        field("rateLimit", rate_limit(r));
    }
    let texts = [("field", e.field()), ("requiredScope", e.required_scope()), ("cause", e.cause())];
    for (k, v) in texts {
        if v.is_some() {
            field(k, text(v));
        }
    }
    out.push('}');
    out
}

/// A bulk result in input order: `{"succeeded": [{"index", "requestId", "result"}], "failed":
/// [{"index", "error"}]}`, with `result` the record's own JSON text and `error` as
/// [`error_json`].
pub fn bulk_json(r: &BulkResult<ApiResponse<String>>) -> String {
    let mut out = String::from(r#"{"succeeded":["#);
    for (i, s) in r.succeeded.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            r#"{{"index":{},"requestId":{},"result":{}}}"#,
            s.index,
            text(s.request_id.as_deref()),
            if s.result.data.is_empty() { "null" } else { &s.result.data }
        ));
    }
    out.push_str(r#"],"failed":["#);
    for (i, f) in r.failed.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(r#"{{"index":{},"error":{}}}"#, f.index, error_json(&f.error)));
    }
    out.push_str("]}");
    out
}
