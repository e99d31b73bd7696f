//! Injected faults (`POST /__mock/faults`): a queue of rules, each applied to the next
//! `times` matching `/api/v1` requests, before authentication and rate limiting.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::{HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::envelope;
use crate::error::ApiError;

/// Longest accepted `delayMs` (10 minutes).
const MAX_DELAY_MS: u64 = 600_000;

/// A fault as posted (and listed back by `GET /__mock/faults`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub(crate) struct FaultSpec {
    #[serde(rename = "match", default, skip_serializing_if = "Option::is_none")]
    matcher: Option<MatchSpec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    times: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    every: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    retry_after: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    delay_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    body: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    headers: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reset: Option<bool>,
}

/// Which requests a fault applies to.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct MatchSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    path: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum PathPattern {
    Any,
    Exact(String),
    Prefix(String),
}

impl PathPattern {
    /// Parses a match path: relative to `/api/v1` (the full `/api/v1/…` form is accepted too);
    /// a trailing `*` makes it a prefix; empty or `*` matches every path.
    fn parse(raw: &str) -> Self {
        let mut p = raw.trim();
        if let Some(rest) = p.strip_prefix("/api/v1") {
            if rest.is_empty() || rest.starts_with('/') || rest.starts_with('*') {
                p = rest;
            }
        }
        let (body, prefix) = match p.strip_suffix('*') {
            Some(body) => (body, true),
            None => (p, false),
        };
        if body.is_empty() || (body == "/" && prefix) {
            return PathPattern::Any;
        }
        let body = if body.starts_with('/') { body.to_owned() } else { format!("/{body}") };
        if prefix {
            PathPattern::Prefix(body)
        } else {
            PathPattern::Exact(body)
        }
    }

    fn matches(&self, path: &str) -> bool {
        match self {
            PathPattern::Any => true,
            PathPattern::Exact(p) => p == path,
            PathPattern::Prefix(p) => path.starts_with(p.as_str()),
        }
    }
}

/// What a fault does to a matching request.
#[derive(Debug)]
pub(crate) struct FaultAction {
    /// Sleep first.
    pub delay: Option<Duration>,
    /// Drop the connection without any response.
    pub reset: bool,
    status: Option<StatusCode>,
    body: Option<(Bytes, &'static str)>,
    retry_after: Option<HeaderValue>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl FaultAction {
    /// The response the fault substitutes, or `None` when the request is to be served
    /// normally (a fault with neither `status` nor `body`).
    pub fn response(&self, request_id: &str) -> Option<Response> {
        if self.status.is_none() && self.body.is_none() {
            return None;
        }
        let status = self.status.unwrap_or(StatusCode::OK);
        let mut response = match &self.body {
            Some((bytes, content_type)) => {
                let mut r = envelope::json_response(status, Vec::new(), request_id);
                *r.body_mut() = Body::from(bytes.clone());
                r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
                r
            }
            None if status.as_u16() >= 400 => envelope::error(&ApiError::for_status(status), request_id),
            None => envelope::success(status, &Value::Null, request_id),
        };
        self.overlay(response.headers_mut());
        Some(response)
    }

    /// Adds the fault's `Retry-After` and extra headers (replacing same-named ones).
    pub fn overlay(&self, headers: &mut HeaderMap) {
        if let Some(value) = &self.retry_after {
            headers.insert(RETRY_AFTER, value.clone());
        }
        for (name, value) in &self.headers {
            headers.insert(name.clone(), value.clone());
        }
    }
}

#[derive(Debug)]
struct Fault {
    spec: FaultSpec,
    method: Option<String>,
    path: PathPattern,
    remaining: u64,
    /// Applies to every `every`-th matching request (1: each one).
    every: u64,
    /// Matching requests seen so far.
    seen: u64,
    action: Arc<FaultAction>,
}

/// Compiles a posted fault; the message names what is wrong.
fn compile(spec: FaultSpec) -> Result<Fault, String> {
    let matcher = spec.matcher.clone().unwrap_or_default();
    let method = match matcher.method.as_deref().map(str::trim) {
        None | Some("") | Some("*") => None,
        Some(m) => {
            let upper = m.to_ascii_uppercase();
            Method::from_bytes(upper.as_bytes()).map_err(|_| format!("match.method `{m}` is not an HTTP method"))?;
            Some(upper)
        }
    };
    let path = PathPattern::parse(matcher.path.as_deref().unwrap_or(""));
    let times = spec.times.unwrap_or(1);
    if times == 0 {
        return Err("times must be at least 1".into());
    }
    let every = spec.every.unwrap_or(1);
    if every == 0 {
        return Err("every must be at least 1".into());
    }
    let status = match spec.status {
        None => None,
        Some(code) if (200..=599).contains(&code) => StatusCode::from_u16(code).ok(),
        Some(code) => return Err(format!("status {code} is outside 200..=599")),
    };
    let delay = match spec.delay_ms {
        Some(ms) if ms > MAX_DELAY_MS => return Err(format!("delayMs must be at most {MAX_DELAY_MS}")),
        Some(ms) => Some(Duration::from_millis(ms)),
        None => None,
    };
    let retry_after = match &spec.retry_after {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) => {
            let text = match (n.as_u64(), n.as_f64()) {
                (Some(whole), _) => whole.to_string(),
                (None, Some(f)) if f.is_finite() && f >= 0.0 => f.to_string(),
                _ => return Err("retryAfter must be a non-negative number or a string".into()),
            };
            HeaderValue::from_str(&text).ok()
        }
        Some(Value::String(s)) => Some(HeaderValue::from_str(s).map_err(|_| "retryAfter is not a valid header value")?),
        Some(_) => return Err("retryAfter must be a number or a string".into()),
    };
    let body = match &spec.body {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            let content_type =
                if s.trim_start().starts_with('<') { "text/html; charset=utf-8" } else { "application/json" };
            Some((Bytes::from(s.clone()), content_type))
        }
        Some(other) => Some((Bytes::from(serde_json::to_vec(other).map_err(|e| e.to_string())?), "application/json")),
    };
    let mut headers = Vec::new();
    for (name, value) in spec.headers.iter().flatten() {
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| format!("headers: `{name}` is not a valid header name"))?;
        let text = match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Err(format!("headers.{name} must be a string or a number")),
        };
        let header_value =
            HeaderValue::from_str(&text).map_err(|_| format!("headers.{name} is not a valid header value"))?;
        headers.push((header_name, header_value));
    }
    Ok(Fault {
        method,
        path,
        remaining: times,
        every,
        seen: 0,
        action: Arc::new(FaultAction { delay, reset: spec.reset.unwrap_or(false), status, body, retry_after, headers }),
        spec,
    })
}

/// Parses the body of `POST /__mock/faults`: one fault object or a list of them.
pub(crate) fn parse_list(value: Value) -> Result<Vec<FaultSpec>, String> {
    let items = match value {
        Value::Array(items) => items,
        obj @ Value::Object(_) => vec![obj],
        _ => return Err("send a fault object or a JSON list of fault objects".into()),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| serde_json::from_value::<FaultSpec>(item).map_err(|e| format!("fault {i}: {e}")))
        .collect()
}

/// The pending faults, in the order they were posted.
#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    faults: Vec<Fault>,
}

impl FaultQueue {
    /// Appends faults; all or none (the message names the first bad one).
    pub fn add(&mut self, specs: Vec<FaultSpec>) -> Result<usize, String> {
        let compiled = specs
            .into_iter()
            .enumerate()
            .map(|(i, spec)| compile(spec).map_err(|e| format!("fault {i}: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let added = compiled.len();
        self.faults.extend(compiled);
        Ok(added)
    }

    pub fn clear(&mut self) {
        self.faults.clear();
    }

    pub fn len(&self) -> usize {
        self.faults.len()
    }

    /// The pending faults as JSON, `times` being what is left of each.
    pub fn list(&self) -> Vec<Value> {
        self.faults
            .iter()
            .map(|f| {
                let mut spec = f.spec.clone();
                spec.times = Some(f.remaining);
                serde_json::to_value(spec).unwrap_or(Value::Null)
            })
            .collect()
    }

    /// Takes one use of the first fault that matches `method` and `path` (relative to
    /// /api/v1) and is due (a fault with `every: n` is due on every n-th match).
    pub fn take(&mut self, method: &Method, path: &str) -> Option<Arc<FaultAction>> {
        let index = self.faults.iter_mut().position(|f| {
            if f.method.as_deref().is_some_and(|m| m != method.as_str()) || !f.path.matches(path) {
                return false;
            }
            f.seen += 1;
            f.seen % f.every == 0
        })?;
        let fault = &mut self.faults[index];
        fault.remaining -= 1;
        let action = Arc::clone(&fault.action);
        if fault.remaining == 0 {
            self.faults.remove(index);
        }
        Some(action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn queue(value: Value) -> FaultQueue {
        let mut q = FaultQueue::default();
        q.add(parse_list(value).unwrap()).unwrap();
        q
    }

    #[test]
    fn path_patterns() {
        assert_eq!(PathPattern::parse(""), PathPattern::Any);
        assert_eq!(PathPattern::parse("*"), PathPattern::Any);
        assert_eq!(PathPattern::parse("/api/v1/*"), PathPattern::Any);
        assert_eq!(PathPattern::parse("/api/v1/people/*"), PathPattern::Prefix("/people/".into()));
        assert_eq!(PathPattern::parse("people/query"), PathPattern::Exact("/people/query".into()));
        let p = PathPattern::parse("/people/*");
        assert!(p.matches("/people/per_1"));
        assert!(!p.matches("/people"));
    }

    #[test]
    fn takes_matching_faults_in_order_and_counts_down() {
        let mut q = queue(json!([
            {"match": {"method": "get", "path": "/people/*"}, "times": 2, "status": 503},
            {"status": 500}
        ]));
        assert!(q.take(&Method::POST, "/people").unwrap().status == Some(StatusCode::INTERNAL_SERVER_ERROR));
        assert_eq!(q.len(), 1);
        assert!(q.take(&Method::GET, "/people/x").is_some());
        assert_eq!(q.list()[0]["times"], 1);
        assert!(q.take(&Method::GET, "/people/y").is_some());
        assert!(q.take(&Method::GET, "/people/z").is_none());
    }

    #[test]
    fn rejects_bad_faults_whole() {
        let mut q = FaultQueue::default();
        let specs = parse_list(json!([{"status": 503}, {"times": 0}])).unwrap();
        assert!(q.add(specs).unwrap_err().contains("fault 1"));
        assert_eq!(q.len(), 0);
        assert!(parse_list(json!({"stauts": 503})).unwrap_err().contains("unknown field"));
        assert!(q.add(parse_list(json!({"status": 99})).unwrap()).is_err());
        assert!(q.add(parse_list(json!({"headers": {"bad name": "x"}})).unwrap()).is_err());
    }

    #[test]
    fn every_nth_match_gets_the_fault() {
        let mut q = queue(json!({"match": {"method": "PUT"}, "every": 3, "times": 2, "status": 503}));
        let hits: Vec<bool> = (0..9).map(|_| q.take(&Method::PUT, "/people").is_some()).collect();
        assert_eq!(hits, [false, false, true, false, false, true, false, false, false]);
        assert!(q.take(&Method::GET, "/people").is_none());
    }

    #[test]
    fn delay_only_fault_serves_normally() {
        let mut q = queue(json!({"delayMs": 5}));
        let action = q.take(&Method::GET, "/authenticate").unwrap();
        assert!(action.response("req_x").is_none());
        assert_eq!(action.delay, Some(Duration::from_millis(5)));
    }

    #[test]
    fn retry_after_number_or_string() {
        let mut q = queue(json!([
            {"status": 429, "retryAfter": 2},
            {"status": 429, "retryAfter": 0.5},
            {"status": 503, "retryAfter": "Wed, 21 Oct 2015 07:28:00 GMT"}
        ]));
        let values: Vec<String> = (0..3)
            .map(|_| {
                let r = q.take(&Method::GET, "/x").unwrap().response("req_x").unwrap();
                r.headers()[RETRY_AFTER].to_str().unwrap().to_owned()
            })
            .collect();
        assert_eq!(values, ["2", "0.5", "Wed, 21 Oct 2015 07:28:00 GMT"]);
    }
}
