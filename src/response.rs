//! Tolerant decoding of what the API sends back: success envelopes (current and older), lists
//! and their page info in every placement klipy-api.md §9 names, error bodies in five layouts,
//! and the rate-limit headers.

use crate::error::{Error, ErrorKind, RateLimitInfo};
use crate::request::Shape;
use crate::transport::HttpResponse;
use serde_json::{Map, Value};

/// A decoded 2xx response.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<T = Value> {
    /// The envelope's `data` (for lists: the array of items; for authenticate: `{"teamName"}`).
    pub data: T,
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
        if matches!(shape, Shape::Single | Shape::Deleted) {
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
        Shape::Record | Shape::Deleted => {
            if !(data.is_object() || shape == Shape::Deleted && data.is_null()) {
                let what = if shape == Shape::Deleted { "a JSON object or no body" } else { "a JSON object" };
                return Err(decode_error(
                    resp,
                    &format!(
                        "its data is {}, not {what} (the record this call returns)",
                        crate::request::type_name(&data)
                    ),
                ));
            }
            Ok(Decoded { data, request_id, has_next_page: false, next_cursor: None })
        }
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

/// A success decoder: [`decode_success`] (data as a `Value`) or [`decode_success_json`] (as text).
pub type SuccessDecoder<D> = fn(&HttpResponse, Shape) -> Result<Decoded<D>, Error>;

/// Like [`decode_success`], but `data` stays JSON text: for the common envelopes the text is cut
/// out of the body without building a tree (the wasm facade hands it to JavaScript, which parses
/// it once); anything unusual takes the tolerant path of [`decode_success`].
///
/// # Errors
/// As [`decode_success`].
pub fn decode_success_json(resp: &HttpResponse, shape: Shape) -> Result<Decoded<String>, Error> {
    if let Some(d) = decode_common_envelope(resp, shape) {
        return Ok(d);
    }
    decode_success(resp, shape).map(|d| Decoded {
        data: d.data.to_string(),
        request_id: d.request_id,
        has_next_page: d.has_next_page,
        next_cursor: d.next_cursor,
    })
}

/// The top-level fields [`decode_common_envelope`] looks at, as slices of the body.
#[derive(Default)]
struct Envelope<'a> {
    object: Option<&'a str>,
    success: bool,
    data: Option<&'a str>,
    meta: Option<&'a str>,
    page_info: Option<&'a str>,
    other_page_info: bool,
}

/// Splits a JSON object into the fields [`Envelope`] names, validating the whole text as JSON on
/// the way (a hand-written scanner: serde's typed deserialisation would link its error
/// formatting, float printing included). `None` for anything else: not an object, invalid JSON,
/// a key written with escapes, a repeated key, nesting deeper than 128.
fn scan_envelope(text: &str) -> Option<Envelope<'_>> {
    let b = text.as_bytes();
    let mut env = Envelope::default();
    let mut i = ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return (ws(b, i + 1) == b.len()).then_some(env);
    }
    loop {
        let key_end = string_end(b, i)?;
        let key = &text[i + 1..key_end - 1];
        i = ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = ws(b, i + 1);
        let end = value_end(b, start, 0)?;
        let value = &text[start..end];
        let slot = match key {
            "object" => &mut env.object,
            "data" => &mut env.data,
            "meta" => &mut env.meta,
            "page_info" => &mut env.page_info,
            "success" => {
                env.success = true;
                i = ws(b, end);
                match b.get(i)? {
                    b',' => {
                        i = ws(b, i + 1);
                        continue;
                    }
                    b'}' => break,
                    _ => return None,
                }
            }
            k if k.contains('\\') => return None,
            "pageInfo" | "pagination" => {
                env.other_page_info = true;
                &mut None
            }
            _ => &mut None,
        };
        if slot.replace(value).is_some() {
            return None; // a repeated key: let the tolerant path decide
        }
        i = ws(b, end);
        match b.get(i)? {
            b',' => i = ws(b, i + 1),
            b'}' => break,
            _ => return None,
        }
    }
    (ws(b, i + 1) == b.len()).then_some(env)
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// Index just past the string starting at `i` (a `"`), escapes checked.
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    loop {
        match *b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => match *b.get(i + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                b'u' if b.get(i + 2..i + 6)?.iter().all(u8::is_ascii_hexdigit) => i += 6,
                _ => return None,
            },
            0..=0x1f => return None,
            _ => i += 1,
        }
    }
}

/// Index just past the JSON value starting at `i`, or `None` when it is not valid JSON.
fn value_end(b: &[u8], i: usize, depth: u32) -> Option<usize> {
    if depth > 128 {
        return None;
    }
    let (open, close) = match *b.get(i)? {
        b'"' => return string_end(b, i),
        b'{' => (b'{', b'}'),
        b'[' => (b'[', b']'),
        b't' => return b[i..].starts_with(b"true").then_some(i + 4),
        b'f' => return b[i..].starts_with(b"false").then_some(i + 5),
        b'n' => return b[i..].starts_with(b"null").then_some(i + 4),
        _ => return number_end(b, i),
    };
    let mut j = ws(b, i + 1);
    if b.get(j) == Some(&close) {
        return Some(j + 1);
    }
    loop {
        if open == b'{' {
            j = ws(b, string_end(b, j)?);
            if b.get(j) != Some(&b':') {
                return None;
            }
            j = ws(b, j + 1);
        }
        j = ws(b, value_end(b, j, depth + 1)?);
        match *b.get(j)? {
            b',' => j = ws(b, j + 1),
            c if c == close => return Some(j + 1),
            _ => return None,
        }
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
fn number_end(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |b: &[u8], i: usize| i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match *b.get(i)? {
        b'0' => i += 1,
        b'1'..=b'9' => i = digits(b, i),
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        let j = digits(b, i + 1);
        if j == i + 1 {
            return None;
        }
        i = j;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let j = digits(b, i);
        if j == i {
            return None;
        }
        i = j;
    }
    Some(i)
}

/// The fast path of [`decode_success_json`]: `{"object", "data", "meta", "page_info"?}` with the
/// items of a list directly in `data` and both page fields in a top-level `page_info`. `None`
/// sends the response down the tolerant path.
fn decode_common_envelope(resp: &HttpResponse, shape: Shape) -> Option<Decoded<String>> {
    if shape == Shape::Authenticate {
        return None;
    }
    let text = std::str::from_utf8(&resp.body).ok()?;
    let top = scan_envelope(text)?;
    // An escaped `object` value might spell "error": the tolerant path decodes it.
    if top.success || top.object.is_some_and(|o| o == "\"error\"" || o.contains('\\')) {
        return None;
    }
    if !(top.object.is_some() || top.meta.is_some() || top.page_info.is_some()) {
        return None;
    }
    let data = top.data?;
    if data == "null" {
        return None;
    }
    let request_id = match top.meta {
        Some(m) => {
            let meta: Value = serde_json::from_str(m).ok()?;
            meta.get("request_id").or_else(|| meta.get("requestId")).and_then(Value::as_str).map(str::to_string)
        }
        None => None,
    }
    .or_else(|| resp.header("x-request-id").map(str::to_string));
    match shape {
        Shape::Single => Some(Decoded { data: data.to_string(), request_id, has_next_page: false, next_cursor: None }),
        // Anything but an object takes the tolerant path, which says what is wrong.
        Shape::Record | Shape::Deleted if data.starts_with('{') => {
            Some(Decoded { data: data.to_string(), request_id, has_next_page: false, next_cursor: None })
        }
        Shape::Record | Shape::Deleted => None,
        Shape::List => {
            let rest = data.strip_prefix('[')?;
            if top.other_page_info {
                return None;
            }
            let info: Value = serde_json::from_str(top.page_info?).ok()?;
            let (mut more, mut cursor) = (None, None);
            read_page_info(info.as_object()?, &mut more, &mut cursor);
            if more.is_none() || cursor.is_none() && more == Some(true) {
                return None; // incomplete here: the tolerant path looks elsewhere too
            }
            let empty = rest.trim_start().starts_with(']');
            let has_next = !empty && cursor.is_some() && more != Some(false);
            Some(Decoded {
                data: data.to_string(),
                request_id,
                has_next_page: has_next,
                next_cursor: if has_next { cursor } else { None },
            })
        }
        Shape::Authenticate => None,
    }
}

fn decode_error(resp: &HttpResponse, why: &str) -> Error {
    let mut e = Error::new(
        ErrorKind::Decode,
        format!(
            "Klipy answered {} but {why}; check that the base URL points at the Klipy API (…/api/v1) and no proxy rewrites answers, else report the request id",
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

/// Reads `X-RateLimit-*`; `reset` may be epoch seconds, epoch milliseconds or seconds from now.
pub fn rate_limit_info(resp: &HttpResponse, now_ms: Option<u64>) -> RateLimitInfo {
    read_rate_limit(resp, now_ms).0
}

/// The documented window is one minute: a reset further ahead than this (after reading any of the
/// three forms) is implausible, ignored and never stored.
pub const MAX_PLAUSIBLE_RESET_AHEAD_MS: u64 = 120_000;

/// Whether an instant (epoch ms) lies no further ahead of `now_ms` than a plausible reset.
pub(crate) fn plausible_reset(at: u64, now_ms: Option<u64>) -> bool {
    now_ms.is_none_or(|now| at <= now.saturating_add(MAX_PLAUSIBLE_RESET_AHEAD_MS))
}

/// [`rate_limit_info`], and whether an implausible `X-RateLimit-Reset` was ignored. Garbage,
/// negative or absurdly large numbers are ignored too.
pub(crate) fn read_rate_limit(resp: &HttpResponse, now_ms: Option<u64>) -> (RateLimitInfo, bool) {
    let num = |name: &str| resp.header(name).and_then(crate::time::parse_decimal);
    let reset_at = num("x-ratelimit-reset").and_then(|r| reset_to_epoch_ms(r, now_ms));
    let implausible = reset_at.is_some_and(|at| !plausible_reset(at, now_ms));
    let info = RateLimitInfo {
        limit: num("x-ratelimit-limit").map(|f| f as u64),
        remaining: num("x-ratelimit-remaining").map(|f| f as u64),
        reset_at: reset_at.filter(|at| plausible_reset(*at, now_ms)),
    };
    (info, implausible)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_passthrough_agrees_with_the_tolerant_decoder() {
        let bodies = [
            r#"{"object":"success","data":{"id":"per_1","n":-1.5e-3,"s":"a\"b\\c\u00e9\n","z":[true,false,null,{}]},"meta":{"request_id":"req_1"}}"#,
            r#" { "object" : "list" , "data" : [ {"id":"a"} , {"id":"b"} ] , "page_info" : {"has_next_page":true,"end_cursor":"c1"}, "meta":{"request_id":"r"} } "#,
            r#"{"object":"list","data":[],"page_info":{"has_next_page":true,"end_cursor":"c1"}}"#,
            r#"{"object":"list","data":[{"id":"a"}],"page_info":{"has_next_page":false,"end_cursor":null}}"#,
            r#"{"object":"list","data":[{"id":"a"}],"page_info":{"has_more":true},"meta":{"page_info":{"next_cursor":"m"}}}"#,
            r#"{"object":"list","data":{"people":[{"id":"a"}]},"page_info":{"has_next_page":true,"end_cursor":"c"}}"#,
            r#"{"object":"list","data":[{"id":"a"}],"pageInfo":{"hasNextPage":true,"endCursor":"c"}}"#,
            r#"{"success":true,"data":{"id":"x"}}"#,
            r#"{"object":"success","data":null,"meta":{}}"#,
            r#"{"object":"success","data":{"id":"x"},"data":{"id":"y"},"meta":{}}"#,
            r#"{"object":"success","da\u0074a":{"id":"x"},"meta":{}}"#,
            r#"{"id":"bare","object":"person"}"#,
            r#"{"object":"success","data":{"id":"x"},"meta":{}} trailing"#,
            r#"{"object":"success","data":{"id":"x",},"meta":{}}"#,
            r#"{"object":"success","data":{"n":01},"meta":{}}"#,
            r#"{"object":"success","data":{"s":"\x"},"meta":{}}"#,
            r#"{"object":"success","data":[1,2.5,-0,1E+9,"\ud83d\ude00"],"meta":{}}"#,
            r#"{"object":"error","error":{"code":"x","message":"m"}}"#,
            r#"{"object":"\u0065rror","error":{"code":"x","message":"m"}}"#,
            "[1,2]",
            "",
            "not json",
        ];
        for body in bodies {
            for shape in [Shape::Single, Shape::List] {
                let resp = HttpResponse {
                    status: 200,
                    headers: vec![("x-request-id".into(), "hdr".into())],
                    body: body.as_bytes().to_vec(),
                };
                match (decode_success_json(&resp, shape), decode_success(&resp, shape)) {
                    (Ok(f), Ok(s)) => {
                        let f_data: Value = serde_json::from_str(&f.data).unwrap();
                        assert_eq!(f_data, s.data, "{body} {shape:?}");
                        assert_eq!(
                            (f.request_id, f.has_next_page, f.next_cursor),
                            (s.request_id, s.has_next_page, s.next_cursor),
                            "{body}"
                        );
                    }
                    (Err(f), Err(s)) => assert_eq!(f.kind, s.kind, "{body}"),
                    (f, s) => panic!("{body} {shape:?}: fast {f:?} slow {s:?}"),
                }
            }
        }
    }

    #[test]
    fn scanner_refuses_deep_nesting_and_takes_the_tolerant_path() {
        let deep = format!(r#"{{"object":"success","data":{}1{},"meta":{{}}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(scan_envelope(&deep).is_none());
    }
}
