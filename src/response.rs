//! Tolerant decoding of what the API sends back: success envelopes (current and older), lists
//! and their page info in every placement klipy-api.md §9 names, error bodies in five layouts,
//! and the rate-limit headers.

use crate::error::{Error, ErrorKind, RateLimitInfo};
use crate::request::Shape;
use crate::transport::HttpResponse;
use serde_json::{Map, Value};

/// A decoded 2xx response.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The envelope's `data` (for lists: the array of items; for authenticate: `{"teamName"}`).
    pub data: Value,
    /// The request id from `meta.request_id` or the `X-Request-Id` header.
    pub request_id: Option<String>,
    /// For lists: whether another page follows.
    pub has_next_page: bool,
    /// For lists: the cursor of the next page.
    pub next_cursor: Option<String>,
}

/// The request id of a response: `meta.request_id` (or `requestId`), else `X-Request-Id`.
fn request_id(body: Option<&Value>, resp: &HttpResponse) -> Option<String> {
    body.and_then(|b| b.get("meta"))
        .and_then(|m| m.get("request_id").or_else(|| m.get("requestId")))
        .and_then(Value::as_str)
        .or_else(|| resp.header("x-request-id"))
        .map(str::to_string)
}

/// Decodes a 2xx response of the given shape.
///
/// # Errors
/// [`ErrorKind::Decode`] when the body is not JSON of the expected form, or an API error when an
/// older `{"success": false}` envelope arrives with a 2xx status.
pub fn decode_success(resp: &HttpResponse, shape: Shape) -> Result<Decoded, Error> {
    let text = std::str::from_utf8(&resp.body).map_err(|_| decode_error(resp, "the response body is not UTF-8"))?;
    let body: Value = if text.trim().is_empty() {
        if shape == Shape::Single {
            Value::Null
        } else {
            return Err(decode_error(resp, "the response body is empty"));
        }
    } else {
        serde_json::from_str(text).map_err(|e| decode_error(resp, &format!("the response body is not JSON ({e})")))?
    };
    let request_id = request_id(Some(&body), resp);
    if body.get("success") == Some(&Value::Bool(false)) || body.get("object").and_then(Value::as_str) == Some("error") {
        let mut e = decode_api_error(resp);
        if e.request_id.is_none() {
            e.request_id = request_id;
        }
        return Err(e);
    }
    let enveloped = body.as_object().is_some_and(|o| {
        o.contains_key("data")
            && (o.contains_key("object")
                || o.contains_key("success")
                || o.contains_key("meta")
                || o.contains_key("page_info"))
    });
    let data = if enveloped { body.get("data").cloned().unwrap_or(Value::Null) } else { body.clone() };
    match shape {
        Shape::Single => Ok(Decoded { data, request_id, has_next_page: false, next_cursor: None }),
        Shape::Authenticate => {
            let name = team_name(&data).or_else(|| team_name(&body));
            match name {
                Some(n) => Ok(Decoded {
                    data: serde_json::json!({ "teamName": n }),
                    request_id,
                    has_next_page: false,
                    next_cursor: None,
                }),
                None => Err(decode_error(resp, "the authenticate response names no team")),
            }
        }
        Shape::List => {
            let items =
                list_items(&data).ok_or_else(|| decode_error(resp, "the list response has no array of items"))?;
            let (more, cursor) = page_info(&body, &data);
            let has_next = !items.is_empty() && cursor.is_some() && more != Some(false);
            Ok(Decoded {
                data: Value::Array(items),
                request_id,
                has_next_page: has_next,
                next_cursor: if has_next { cursor } else { None },
            })
        }
    }
}

fn decode_error(resp: &HttpResponse, why: &str) -> Error {
    let mut e = Error::new(
        ErrorKind::Decode,
        format!(
            "Klipy answered {} but {why}; this is a server or proxy problem, retry later or report the request id",
            resp.status
        ),
    );
    e.status = Some(resp.status);
    e.request_id = request_id(None, resp);
    e
}

fn team_name(v: &Value) -> Option<String> {
    for key in ["team_name", "teamName", "organization_name", "organizationName", "name"] {
        if let Some(s) = v.get(key).and_then(Value::as_str) {
            return Some(s.to_string());
        }
    }
    v.get("team").and_then(|t| t.get("name")).and_then(Value::as_str).map(str::to_string)
}

fn list_items(data: &Value) -> Option<Vec<Value>> {
    match data {
        Value::Array(a) => Some(a.clone()),
        Value::Object(o) => ["people", "interactions", "companies", "items", "results", "data"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_array).cloned()),
        _ => None,
    }
}

/// `(more, cursor)` from `page_info` at the top level, inside `data`, or inside `meta`.
fn page_info(body: &Value, data: &Value) -> (Option<bool>, Option<String>) {
    let holders = [Some(body), Some(data), body.get("meta")];
    let mut more = None;
    let mut cursor = None;
    for holder in holders.into_iter().flatten() {
        for info_key in ["page_info", "pageInfo", "pagination"] {
            if let Some(info) = holder.get(info_key).and_then(Value::as_object) {
                read_page_info(info, &mut more, &mut cursor);
            }
        }
    }
    // Some APIs put the cursor fields straight on the body or on `data`.
    for holder in [body, data] {
        if let Some(o) = holder.as_object() {
            if more.is_none() && cursor.is_none() {
                read_page_info(o, &mut more, &mut cursor);
            }
        }
    }
    (more, cursor)
}

fn read_page_info(info: &Map<String, Value>, more: &mut Option<bool>, cursor: &mut Option<String>) {
    for k in ["has_next_page", "has_more", "hasNextPage", "hasMore"] {
        if let Some(b) = info.get(k).and_then(Value::as_bool) {
            more.get_or_insert(b);
        }
    }
    for k in ["end_cursor", "next_cursor", "endCursor", "nextCursor", "cursor"] {
        if let Some(c) = info.get(k).and_then(Value::as_str).filter(|c| !c.is_empty()) {
            cursor.get_or_insert_with(|| c.to_string());
        }
    }
}

/// Decodes a non-2xx response into an API error of the matching kind.
pub fn decode_api_error(resp: &HttpResponse) -> Error {
    let status = resp.status;
    let text = String::from_utf8_lossy(&resp.body);
    let body: Option<Value> = serde_json::from_str(&text).ok();
    let (code, message, details) = body.as_ref().map(error_fields).unwrap_or_default();
    let kind = ErrorKind::from_status(status);
    let message = message.or_else(|| plain_text_message(&text));
    let mut e = Error::new(kind, api_message(status, code.as_deref(), message.as_deref()));
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

fn api_message(status: u16, code: Option<&str>, message: Option<&str>) -> String {
    let hint = match status {
        400 => "check the request fields named in details",
        401 => "check the API key (KLIPY_API_KEY): it is missing, unknown, expired or revoked",
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

/// Reads `X-RateLimit-*`; `reset` may be epoch seconds, epoch milliseconds or seconds from now.
pub fn rate_limit_info(resp: &HttpResponse, now_ms: Option<u64>) -> RateLimitInfo {
    let num = |name: &str| {
        resp.header(name).and_then(|v| v.trim().parse::<f64>().ok()).filter(|f| f.is_finite() && *f >= 0.0)
    };
    RateLimitInfo {
        limit: num("x-ratelimit-limit").map(|f| f as u64),
        remaining: num("x-ratelimit-remaining").map(|f| f as u64),
        reset_at: num("x-ratelimit-reset").and_then(|r| reset_to_epoch_ms(r, now_ms)),
    }
}

/// Interprets an `X-RateLimit-Reset` value as an epoch-ms instant.
pub(crate) fn reset_to_epoch_ms(r: f64, now_ms: Option<u64>) -> Option<u64> {
    if r >= 1e12 {
        Some(r as u64) // epoch milliseconds
    } else if r >= 1e9 {
        Some((r * 1000.0) as u64) // epoch seconds
    } else {
        now_ms.map(|now| now + (r * 1000.0) as u64) // seconds from now
    }
}
