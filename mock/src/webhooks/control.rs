//! `/__mock/webhooks`: emit an event, list deliveries, clear the log.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header::{HeaderValue, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::events::{self, EVENT_TYPES};
use super::log::Source;
use super::samples;
use crate::control::{bad_request, reply};
use crate::state::AppState;

type App = State<Arc<AppState>>;

/// An emit request, checked.
#[derive(Debug, PartialEq)]
pub(crate) struct Emit {
    pub event_type: String,
    pub data: Value,
}

/// Checks `{"type", "data"?}`; fills the sample payload when `data` is absent or null.
pub(crate) fn parse_emit(body: &[u8], now_ms: i64) -> Result<Emit, String> {
    let known = || EVENT_TYPES.join(", ");
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(format!("send {{\"type\": \"…\", \"data\": {{…}}}}; known types: {}", known()));
    }
    let map: Map<String, Value> = match serde_json::from_slice(body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Err("send a JSON object: {\"type\": \"…\", \"data\": {…}}".into()),
        Err(e) => return Err(format!("invalid JSON: {e}")),
    };
    if let Some(other) = map.keys().find(|k| *k != "type" && *k != "data") {
        return Err(format!("unknown field `{other}` (known: type, data)"));
    }
    let event_type = match map.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(_) => return Err("`type` must be a string".into()),
        None => return Err(format!("`type` is required; known types: {}", known())),
    };
    if !events::is_well_formed(&event_type) {
        return Err(format!(
            "`type` `{event_type}` is not an event type (dotted lowercase words, e.g. lead.captured); known types: {}",
            known()
        ));
    }
    let data = match map.get("data") {
        None | Some(Value::Null) => samples::sample(&event_type, now_ms).ok_or_else(|| {
            format!(
                "unknown type `{event_type}`: send `data` to emit a type the mock does not know; known types: {}",
                known()
            )
        })?,
        Some(Value::Object(data)) => Value::Object(data.clone()),
        Some(_) => return Err("`data` must be a JSON object".into()),
    };
    Ok(Emit { event_type, data })
}

/// `POST /__mock/webhooks/emit`: 202 with the message id and the number of endpoints.
pub(crate) async fn emit(State(app): App, body: Bytes) -> Response {
    let emit = match parse_emit(&body, crate::time::now_ms()) {
        Ok(emit) => emit,
        Err(message) => return bad_request(message),
    };
    let (id, endpoints) = app.webhooks.send(&emit.event_type, emit.data, Source::Emit);
    reply(StatusCode::ACCEPTED, &json!({ "ok": true, "id": id, "type": emit.event_type, "endpoints": endpoints }))
}

/// `GET /__mock/webhooks`: endpoints and deliveries with their attempts.
pub(crate) async fn list(State(app): App) -> Response {
    let mut response = Response::new(Body::from(app.webhooks.snapshot()));
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// `DELETE /__mock/webhooks`: empties the log and cancels pending retries.
pub(crate) async fn clear(State(app): App) -> Response {
    app.webhooks.clear();
    reply(StatusCode::OK, &json!({ "ok": true }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(body: &str) -> String {
        parse_emit(body.as_bytes(), 0).unwrap_err()
    }

    #[test]
    fn emit_bodies() {
        let e = parse_emit(br#"{"type":"deal.moved"}"#, 0).unwrap();
        assert_eq!(e.event_type, "deal.moved");
        assert!(e.data["deal_id"].as_str().unwrap().starts_with("dl_"));
        let e = parse_emit(br#"{"type":"lead.captured","data":{"id":"x"}}"#, 0).unwrap();
        assert_eq!(e.data, json!({"id": "x"}));
        let e = parse_emit(br#"{"type":"custom.future_event","data":{"a":1}}"#, 0).unwrap();
        assert_eq!(e.event_type, "custom.future_event");
        assert!(parse_emit(br#"{"type":"meeting.no_showed","data":null}"#, 0).is_ok());
    }

    #[test]
    fn bad_emit_bodies_say_why() {
        assert!(err("").contains("known types: lead.captured"));
        assert!(err("{").contains("invalid JSON"));
        assert!(err("[]").contains("JSON object"));
        assert!(err("{}").contains("`type` is required"));
        assert!(err(r#"{"type":1}"#).contains("must be a string"));
        assert!(err(r#"{"type":"Lead.Captured"}"#).contains("not an event type"));
        assert!(err(r#"{"type":"lead.created"}"#).contains("unknown type `lead.created`"));
        assert!(err(r#"{"type":"deal.moved","data":[1]}"#).contains("`data` must be a JSON object"));
        assert!(err(r#"{"type":"deal.moved","extra":1}"#).contains("unknown field `extra`"));
    }
}
