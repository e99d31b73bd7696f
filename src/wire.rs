//! The JSON texts a binding receives from the core: a call's result, a bulk result and the error
//! JSON inside it (the wasm facade returns these; JavaScript parses each once).

use crate::bulk::BulkResult;
use crate::client::ApiResponse;
use crate::error::{Error, ErrorKind, RateLimitInfo};
use serde_json::{Map, Value};

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

/// An error as JSON: `{"name", "message", "retryable", "attempts", "status", "code",
/// "requestId", "details", "headers", "retryAfterMs", "rateLimit", "field", "requiredScope",
/// "cause"}`, absent fields left out (`attempts` is left out for config and validation errors,
/// where nothing was sent; `cause` is the underlying failure's text).
pub fn error_value(e: &Error) -> Value {
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put("name", e.kind().class_name().into());
    put("message", e.to_string().into());
    put("retryable", e.is_retryable().into());
    if !matches!(e.kind(), ErrorKind::Config | ErrorKind::Validation) {
        put("attempts", e.attempts().into());
    }
    if let Some(s) = e.status() {
        put("status", s.into());
    }
    if let Some(c) = e.code() {
        put("code", c.into());
    }
    if let Some(id) = e.request_id() {
        put("requestId", id.into());
    }
    if let Some(d) = e.details() {
        put("details", d.clone());
    }
    if !e.headers().is_empty() {
        let h: Map<String, Value> = e.headers().iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect();
        put("headers", Value::Object(h));
    }
    if let Some(ms) = e.retry_after_ms() {
        put("retryAfterMs", ms.into());
    }
    if let Some(r) = e.rate_limit() {
        let n = |v: Option<u64>| v.map_or(Value::Null, Value::from);
        let mut o = Map::new();
        o.insert("limit".into(), n(r.limit));
        o.insert("remaining".into(), n(r.remaining));
        o.insert("resetAt".into(), n(r.reset_at));
        put("rateLimit", Value::Object(o));
    }
    if let Some(f) = e.field() {
        put("field", f.into());
    }
    if let Some(s) = e.required_scope() {
        put("requiredScope", s.into());
    }
    if let Some(c) = e.cause() {
        put("cause", c.into());
    }
    Value::Object(m)
}

/// A bulk result in input order: `{"succeeded": [{"index", "requestId", "result"}], "failed":
/// [{"index", "error"}]}`, with `result` the record's own JSON text and `error` as
/// [`error_value`].
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
        out.push_str(&format!(r#"{{"index":{},"error":{}}}"#, f.index, error_value(&f.error)));
    }
    out.push_str("]}");
    out
}
