//! Error bodies in every layout of the API contract (§9), turned into API errors with messages
//! that say what to do next.

use super::{rate_limit_info, request_id};
use crate::error::{Error, ErrorKind};
use crate::transport::HttpResponse;
use serde_json::Value;

/// Decodes a non-2xx response into an API error of the matching kind.
pub fn decode_api_error(resp: &HttpResponse) -> Error {
    decode_api_error_for(resp, false)
}

/// [`decode_api_error`] for a call whose endpoint always exists (`authenticate`): a 404 there
/// means the base URL is wrong, and the message says so.
pub(crate) fn decode_api_error_for(resp: &HttpResponse, endpoint_always_exists: bool) -> Error {
    let status = resp.status;
    let text = String::from_utf8_lossy(&resp.body);
    let body: Option<Value> = serde_json::from_str(&text).ok();
    let (code, message, details) = body.as_ref().map(error_fields).unwrap_or_default();
    let kind = ErrorKind::from_status(status);
    let message = message.or_else(|| plain_text_message(&text));
    let wrong_base = status == 404 && (endpoint_always_exists || endpoint_missing(message.as_deref(), body.is_some()));
    let mut e = Error::new(kind, api_message(status, code.as_deref(), message.as_deref(), wrong_base));
    e.status = Some(status);
    e.code = code;
    e.details = details;
    e.request_id = request_id(body.as_ref(), resp);
    e.headers = resp.headers.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone())).collect();
    e.rate_limit = Some(rate_limit_info(resp, None)).filter(|r| r.limit.is_some() || r.remaining.is_some());
    e
}

/// `(code, message, details)` from any of the error layouts.
fn error_fields(v: &Value) -> (Option<String>, Option<String>, Option<Value>) {
    let from_obj = |o: &Value| {
        let code = o.get("code").or_else(|| o.get("type")).and_then(scalar_string);
        let message =
            o.get("message").or_else(|| o.get("detail")).or_else(|| o.get("error_description")).and_then(scalar_string);
        let details = o.get("details").filter(|d| !d.is_null()).cloned();
        (code, message, details)
    };
    match v.get("error") {
        Some(inner @ Value::Object(_)) => return from_obj(inner),
        Some(Value::String(s)) => {
            let (code, message, details) = from_obj(v);
            return (
                code.or_else(|| Some(s.clone()).filter(|s| !s.contains(' '))),
                message.or_else(|| Some(s.clone())),
                details,
            );
        }
        _ => {}
    }
    if let Some(first) = v.get("errors").and_then(Value::as_array).and_then(|a| a.first()) {
        let (code, message, details) = match first {
            Value::String(s) => (None, Some(s.clone()), None),
            other => from_obj(other),
        };
        let all = v.get("errors").cloned();
        return (code, message, details.or(all));
    }
    from_obj(v)
}

fn scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A short message from a text or HTML body (a proxy's page): its `<title>` or first line.
fn plain_text_message(text: &str) -> Option<String> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let candidate = if let (Some(a), Some(b)) = (lower.find("<title>"), lower.find("</title>")) {
        if b > a + 7 {
            t.get(a + 7..b).unwrap_or("").trim().to_string()
        } else {
            String::new()
        }
    } else if lower.starts_with('<') {
        String::new()
    } else {
        t.lines().next().unwrap_or("").trim().to_string()
    };
    let short: String = candidate.chars().take(200).collect();
    Some(short).filter(|s| !s.is_empty())
}

/// The hint of a 404 whose endpoint does not exist.
const BASE_URL_HINT: &str =
    "no such endpoint: check that the base URL ends in /api/v1, as in https://api.klipy.ai/api/v1";

/// Whether a 404 says the path itself is unknown (rather than a record): its message speaks of an
/// endpoint, route or path, or the body is not JSON at all (a web server's own 404 page).
fn endpoint_missing(message: Option<&str>, json_body: bool) -> bool {
    if !json_body {
        return true;
    }
    let m = message.unwrap_or("").to_ascii_lowercase();
    ["endpoint", "route", "no such path", "unknown path", "cannot get", "cannot post", "cannot put"]
        .iter()
        .any(|w| m.contains(w))
}

fn api_message(status: u16, code: Option<&str>, message: Option<&str>, wrong_base: bool) -> String {
    let hint = match status {
        404 if wrong_base => BASE_URL_HINT,
        400 => "check the request fields named in details",
        401 => "check the key passed to the client or in KLIPY_API_KEY",
        403 => "the API key lacks the scope this call needs: create a key with that scope",
        404 => "no such resource: check the id",
        409 => "it collides with an existing record: update that one instead",
        422 => "the request was understood but rejected: check its fields",
        429 => "rate limited: slow down or retry after the wait the server named",
        s if s >= 500 => "Klipy had a server problem: retry later",
        _ => "see the status and code",
    };
    let mut m = format!("Klipy API error {status}");
    if let Some(c) = code {
        m.push(' ');
        m.push_str(c);
    }
    m.push_str(": ");
    match message {
        Some(text) => {
            m.push_str(text.trim_end_matches('.'));
            m.push_str(" (");
            m.push_str(hint);
            m.push(')');
        }
        None => m.push_str(hint),
    }
    m
}
