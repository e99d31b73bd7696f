//! The test-control API under `/__mock`: no key, no rate limit, not in the request log.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{HeaderValue, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use crate::faults;
use crate::ratelimit::{Limits, MAX_WINDOW_SECS};
use crate::state::AppState;

type App = State<Arc<AppState>>;

pub(crate) fn reply(status: StatusCode, body: &Value) -> Response {
    let mut response = Response::new(axum::body::Body::from(serde_json::to_vec(body).unwrap_or_default()));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

pub(crate) fn bad_request(message: impl Into<String>) -> Response {
    reply(StatusCode::BAD_REQUEST, &json!({ "ok": false, "error": message.into() }))
}

/// Parses an optional JSON body (`None` when empty).
fn optional_json(body: &Bytes) -> Result<Option<Value>, String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    serde_json::from_slice(body).map(Some).map_err(|e| format!("invalid JSON: {e}"))
}

/// `GET /__mock/health`.
pub(crate) async fn health() -> Response {
    reply(StatusCode::OK, &json!({ "ok": true }))
}

/// `GET /__mock/faults`: the pending faults.
pub(crate) async fn list_faults(State(app): App) -> Response {
    let faults = app.faults.lock().list();
    reply(StatusCode::OK, &json!({ "faults": faults }))
}

/// `POST /__mock/faults`: appends one fault or a list of them.
pub(crate) async fn add_faults(State(app): App, body: Bytes) -> Response {
    let value = match optional_json(&body) {
        Ok(Some(value)) => value,
        Ok(None) => return bad_request("send a fault object or a list of them"),
        Err(message) => return bad_request(message),
    };
    let specs = match faults::parse_list(value) {
        Ok(specs) => specs,
        Err(message) => return bad_request(message),
    };
    let mut queue = app.faults.lock();
    match queue.add(specs) {
        Ok(added) => reply(StatusCode::OK, &json!({ "ok": true, "added": added, "pending": queue.len() })),
        Err(message) => bad_request(message),
    }
}

/// `DELETE /__mock/faults`.
pub(crate) async fn clear_faults(State(app): App) -> Response {
    app.faults.lock().clear();
    reply(StatusCode::OK, &json!({ "ok": true }))
}

/// `GET /__mock/requests`: the request log.
pub(crate) async fn list_requests(State(app): App) -> Response {
    let body = {
        let log = app.log.lock();
        let requests: Vec<&crate::reqlog::LogEntry> = log.entries().collect();
        serde_json::to_vec(&json!({ "requests": requests })).unwrap_or_default()
    };
    let mut response = Response::new(axum::body::Body::from(body));
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// `DELETE /__mock/requests`.
pub(crate) async fn clear_requests(State(app): App) -> Response {
    app.log.lock().clear();
    reply(StatusCode::OK, &json!({ "ok": true }))
}

/// `POST /__mock/reset`: empty store, log and faults; startup limits with fresh windows.
/// Body (optional): `{"seedDemo": true}`.
pub(crate) async fn reset(State(app): App, body: Bytes) -> Response {
    let seed = match optional_json(&body) {
        Ok(None) => false,
        Ok(Some(Value::Object(map))) => match map.get("seedDemo") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(seed)) => *seed,
            Some(_) => return bad_request("seedDemo must be a boolean"),
        },
        Ok(Some(_)) => return bad_request("send a JSON object or nothing"),
        Err(message) => return bad_request(message),
    };
    let seeded = app.reset(seed);
    let seeded =
        seeded.map(|s| json!({ "companies": s.companies, "people": s.people, "interactions": s.interactions }));
    reply(StatusCode::OK, &json!({ "ok": true, "seeded": seeded }))
}

fn limits_json(limits: Limits) -> Value {
    serde_json::to_value(limits).unwrap_or(Value::Null)
}

/// `GET /__mock/limits`.
pub(crate) async fn get_limits(State(app): App) -> Response {
    let limits = app.limiter.lock().limits();
    reply(StatusCode::OK, &limits_json(limits))
}

/// `POST /__mock/limits` with any of `perKeyRpm`, `perOrgRpm`, `windowSecs`; starts fresh
/// windows.
pub(crate) async fn set_limits(State(app): App, body: Bytes) -> Response {
    let map = match optional_json(&body) {
        Ok(None) => serde_json::Map::new(),
        Ok(Some(Value::Object(map))) => map,
        Ok(Some(_)) => return bad_request("send a JSON object"),
        Err(message) => return bad_request(message),
    };
    let mut limiter = app.limiter.lock();
    let mut limits = limiter.limits();
    for (key, value) in &map {
        let number = value.as_u64().filter(|n| *n >= 1);
        match (key.as_str(), number) {
            ("perKeyRpm", Some(n)) => limits.per_key_rpm = u32::try_from(n).unwrap_or(u32::MAX),
            ("perOrgRpm", Some(n)) => limits.per_org_rpm = u32::try_from(n).unwrap_or(u32::MAX),
            ("windowSecs", Some(n)) if n <= MAX_WINDOW_SECS => limits.window_secs = n,
            ("perKeyRpm" | "perOrgRpm", None) => return bad_request(format!("{key} must be a positive integer")),
            ("windowSecs", _) => {
                return bad_request(format!("windowSecs must be an integer from 1 to {MAX_WINDOW_SECS}"))
            }
            _ => return bad_request(format!("unknown field `{key}` (known: perKeyRpm, perOrgRpm, windowSecs)")),
        }
    }
    limiter.set(limits);
    reply(StatusCode::OK, &limits_json(limits))
}
