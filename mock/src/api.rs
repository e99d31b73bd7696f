//! The `/api/v1` pipeline. In order: CORS preflight, request log, injected faults, API key
//! (401), rate limit (429), route (404/405), scope (403), body (413, `invalid_json`), the
//! operation itself. Every answer gets `X-Request-Id`; every answer after a valid key also
//! gets the `X-RateLimit-*` headers.

use std::io::Write;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{
    HeaderValue, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ACCESS_CONTROL_REQUEST_HEADERS,
    ACCESS_CONTROL_REQUEST_METHOD, CONTENT_LENGTH,
};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use serde_json::{json, Map, Value};

use crate::auth::KeyInfo;
use crate::conn::ConnHandle;
use crate::error::ApiError;
use crate::reqlog::LogEntry;
use crate::routes::{self, Op};
use crate::state::AppState;
use crate::store::{Page, Store, View};
use crate::webhooks::observe::Watch;
use crate::{envelope, ids, time, MAX_BODY_BYTES};

/// Where the API lives.
pub(crate) const API_PREFIX: &str = "/api/v1";

/// Bodies up to this size are read (and thrown away) before answering 413, so the client gets
/// the answer rather than a reset; past it the connection is closed.
const MAX_DRAIN_BYTES: usize = 16 * 1024 * 1024;

const EXPOSED_HEADERS: &str = "x-request-id, x-ratelimit-limit, x-ratelimit-remaining, \
    x-ratelimit-reset, retry-after, retry-after-ms";

/// The body of a request, read up front so it is always drained.
enum RawBody {
    Bytes(Bytes),
    TooLarge,
    Unreadable,
}

/// Writes the final status of a log entry; 0 if the request ends without a response.
struct LogGuard<'a> {
    app: &'a AppState,
    seq: u64,
    done: bool,
}

impl<'a> LogGuard<'a> {
    fn begin(app: &'a AppState, entry: LogEntry) -> Self {
        let seq = app.log.lock().push(entry);
        LogGuard { app, seq, done: false }
    }

    fn mark_fault(&self) {
        self.app.log.lock().mark_fault(self.seq);
    }

    fn finish(&mut self, status: u16) {
        self.done = true;
        self.app.log.lock().set_status(self.seq, status);
    }
}

impl Drop for LogGuard<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.app.log.lock().set_status(self.seq, 0);
        }
    }
}

/// Path relative to `/api/v1` (`""` for the prefix itself).
fn relative_path(path: &str) -> &str {
    path.strip_prefix(API_PREFIX).unwrap_or(path)
}

/// Answers one request under `/api/v1`.
pub(crate) async fn handle(app: Arc<AppState>, req: Request) -> Response {
    if req.method() == Method::OPTIONS && req.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD) {
        return preflight(req.headers());
    }
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let path = relative_path(parts.uri.path()).to_owned();
    let request_id = ids::request_id();
    let retry_count = parts
        .headers
        .get("x-klipy-retry-count")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let mut log = LogGuard::begin(
        &app,
        LogEntry {
            method: parts.method.to_string(),
            path: path.clone(),
            status: None,
            retry_count,
            time: time::now_ms(),
            request_id: request_id.clone(),
            fault: false,
        },
    );

    let fault = app.faults.lock().take(&parts.method, &path);
    if let Some(fault) = &fault {
        log.mark_fault();
        if let Some(delay) = fault.delay {
            tokio::time::sleep(delay).await;
        }
        if fault.reset {
            if let Some(conn) = parts.extensions.get::<ConnHandle>() {
                log.finish(0);
                conn.reset();
                // The connection task drops this future together with the connection.
                return std::future::pending::<Response>().await;
            }
        }
    }
    // Read the body before answering anything, so that closing the connection afterwards
    // never turns into a reset that swallows the answer.
    let raw = read_raw(body, &parts.headers).await;
    let mut response = match fault.as_ref().and_then(|f| f.response(&request_id)) {
        Some(response) => response,
        None => {
            let mut response = serve(&app, &parts.method, &parts.headers, &path, raw, &request_id);
            if let Some(fault) = &fault {
                fault.overlay(response.headers_mut());
            }
            response
        }
    };
    add_cors(response.headers_mut());
    log.finish(response.status().as_u16());
    if app.verbose {
        let _ = writeln!(
            std::io::stderr(),
            "{} {}{} -> {} ({} ms) {}",
            parts.method,
            API_PREFIX,
            path,
            response.status().as_u16(),
            started.elapsed().as_millis(),
            request_id
        );
    }
    response
}

/// Authentication, rate limit, then the operation; adds the rate-limit headers.
fn serve(app: &AppState, method: &Method, headers: &HeaderMap, path: &str, raw: RawBody, request_id: &str) -> Response {
    let key = match app.keys.authenticate(headers) {
        Ok(key) => key.clone(),
        Err(error) => return envelope::error(&error, request_id),
    };
    let checked = app.limiter.lock().check(key.index, time::now_ms());
    let rate = match checked {
        Ok(rate) => rate,
        Err(rate) => {
            let error = ApiError::rate_limited(rate.retry_after_secs.unwrap_or(1));
            let mut response = envelope::error(&error, request_id);
            rate.apply(response.headers_mut());
            return response;
        }
    };
    let mut response = match run(app, method, path, &key, raw, request_id) {
        Ok(response) => response,
        Err(error) => envelope::error(&error, request_id),
    };
    rate.apply(response.headers_mut());
    response
}

fn run(
    app: &AppState,
    method: &Method,
    path: &str,
    key: &KeyInfo,
    raw: RawBody,
    request_id: &str,
) -> Result<Response, ApiError> {
    let op = routes::route(method, path)?;
    if let Some(scope) = op.scope() {
        if !key.allows(scope) {
            return Err(ApiError::insufficient_scope(scope));
        }
    }
    let body = if op.has_body() { parse_body(raw, op.empty_body_ok())? } else { Map::new() };
    let now = time::now_ms();
    // Records are serialized straight from the store, under its lock (no copies).
    let mut store = app.store.lock();
    if !app.webhooks.active() {
        return execute(&mut store, op, body, key, &app.team_name, now, request_id).map(|(response, _)| response);
    }
    let watch = Watch::before(&store, &op, &body);
    let (response, touched) = execute(&mut store, op, body, key, &app.team_name, now, request_id)?;
    let events = watch.after(&store, response.status() == StatusCode::CREATED, touched.as_deref());
    drop(store);
    app.webhooks.send_observed(events);
    Ok(response)
}

/// The response, and the id of the person or interaction a write created or changed (none for
/// reads, deletes, companies and duplicate interactions): what webhooks observe.
type Executed = (Response, Option<String>);

fn execute(
    store: &mut Store,
    op: Op,
    body: Map<String, Value>,
    key: &KeyInfo,
    team_name: &str,
    now: i64,
    request_id: &str,
) -> Result<Executed, ApiError> {
    use envelope::success;
    const OK: StatusCode = StatusCode::OK;
    const CREATED: StatusCode = StatusCode::CREATED;
    let page = |page: Page<'_>| envelope::list(&page.items, page.has_next_page, page.end_cursor.as_deref(), request_id);
    let written = |status: StatusCode, view: View<'_>| (success(status, &view, request_id), Some(view.id().to_owned()));
    Ok(match op {
        Op::Authenticate => (success(OK, &json!({ "team_name": team_name }), request_id), None),
        Op::GetPerson(id) => (success(OK, &store.get_person(&id)?, request_id), None),
        Op::QueryPeople => (page(store.query_people(&body)?), None),
        Op::CreatePerson => written(CREATED, store.create_person(body, now)?),
        Op::UpsertPerson => {
            let (created, person) = store.upsert_person(body, now)?;
            written(if created { CREATED } else { OK }, person)
        }
        Op::UpdatePerson(id) => written(OK, store.update_person(&id, body, now)?),
        Op::DeletePerson(id) => (success(OK, &store.delete_person(&id)?, request_id), None),
        Op::GetCompany(id) => (success(OK, &store.get_company(&id)?, request_id), None),
        Op::CreateCompany => (success(CREATED, &store.create_company(body, now)?, request_id), None),
        Op::UpdateCompany(id) => (success(OK, &store.update_company(&id, body, now)?, request_id), None),
        Op::DeleteCompany(id) => (success(OK, &store.delete_company(&id)?, request_id), None),
        Op::GetInteraction(id) => (success(OK, &store.get_interaction(&id)?, request_id), None),
        Op::QueryInteractions => (page(store.query_interactions(&body)?), None),
        Op::CreateInteraction => {
            // A duplicate creates nothing: 200 rather than 201.
            let (duplicate, data) = store.create_interaction(body, &key.label(), now)?;
            let id = if duplicate { None } else { data["id"].as_str().map(str::to_owned) };
            (success(if duplicate { OK } else { CREATED }, &data, request_id), id)
        }
    })
}

/// Reads a body up to 1 MiB; a larger one is drained (up to 16 MiB) and reported too large.
async fn read_raw(mut body: Body, headers: &HeaderMap) -> RawBody {
    let declared = headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > MAX_DRAIN_BYTES as u64) {
        return RawBody::TooLarge;
    }
    let mut buf = BytesMut::new();
    let mut total = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(frame) = frame else {
            return RawBody::Unreadable;
        };
        if let Ok(data) = frame.into_data() {
            total = total.saturating_add(data.len());
            if total > MAX_DRAIN_BYTES {
                return RawBody::TooLarge;
            }
            if total <= MAX_BODY_BYTES {
                buf.extend_from_slice(&data);
            }
        }
    }
    if total > MAX_BODY_BYTES {
        RawBody::TooLarge
    } else {
        RawBody::Bytes(buf.freeze())
    }
}

/// The JSON object of a request body.
fn parse_body(raw: RawBody, empty_ok: bool) -> Result<Map<String, Value>, ApiError> {
    let bytes = match raw {
        RawBody::Bytes(bytes) => bytes,
        RawBody::TooLarge => return Err(ApiError::payload_too_large()),
        RawBody::Unreadable => return Err(ApiError::invalid_json("The request body could not be read.")),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return if empty_ok {
            Ok(Map::new())
        } else {
            Err(ApiError::invalid_json("The request body is empty; send a JSON object."))
        };
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::field("body", "must be a JSON object")),
        Err(error) => Err(ApiError::invalid_json(format!("The request body is not valid JSON ({error})."))),
    }
}

/// Lets browser pages on other origins call the mock and read its headers.
fn add_cors(headers: &mut HeaderMap) {
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSED_HEADERS));
}

/// Answers a CORS preflight (not logged, no faults, no key needed).
fn preflight(request: &HeaderMap) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = StatusCode::NO_CONTENT;
    let headers = response.headers_mut();
    headers.insert(ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE"));
    let allowed = request.get(ACCESS_CONTROL_REQUEST_HEADERS).cloned().unwrap_or_else(|| {
        HeaderValue::from_static("authorization, content-type, x-klipy-api-key, x-klipy-retry-count")
    });
    headers.insert(ACCESS_CONTROL_ALLOW_HEADERS, allowed);
    headers.insert(ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_parsing() {
        let parse = |s: &'static str, empty_ok| parse_body(RawBody::Bytes(Bytes::from(s)), empty_ok);
        assert!(parse("{}", false).unwrap().is_empty());
        assert!(parse("  ", true).unwrap().is_empty());
        assert_eq!(parse("", false).unwrap_err().code, "invalid_json");
        assert_eq!(parse("{", false).unwrap_err().code, "invalid_json");
        assert_eq!(parse("[1]", false).unwrap_err().code, "validation_error");
        let deep = "[".repeat(10_000);
        assert_eq!(parse_body(RawBody::Bytes(Bytes::from(deep)), false).unwrap_err().code, "invalid_json");
        assert_eq!(parse_body(RawBody::TooLarge, false).unwrap_err().code, "payload_too_large");
    }

    #[test]
    fn relative_paths() {
        assert_eq!(relative_path("/api/v1/people"), "/people");
        assert_eq!(relative_path("/api/v1"), "");
    }
}
