//! Response bodies: the success, list and error envelopes of contract §5 and §6.

use axum::body::Body;
use axum::http::header::{HeaderValue, ALLOW, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;

use crate::error::ApiError;
use crate::time;

/// Name of the request id header.
pub(crate) const X_REQUEST_ID: &str = "x-request-id";

#[derive(Serialize)]
struct Meta<'a> {
    request_id: &'a str,
    api_version: &'static str,
    timestamp: String,
}

impl<'a> Meta<'a> {
    fn new(request_id: &'a str) -> Self {
        Meta { request_id, api_version: "1", timestamp: time::iso8601(time::now_ms()) }
    }
}

#[derive(Serialize)]
struct Success<'a, T: Serialize + ?Sized> {
    object: &'static str,
    data: &'a T,
    meta: Meta<'a>,
}

#[derive(Serialize)]
struct List<'a, T: Serialize> {
    object: &'static str,
    data: &'a [T],
    page_info: PageInfo<'a>,
    meta: Meta<'a>,
}

#[derive(Serialize)]
struct PageInfo<'a> {
    has_next_page: bool,
    end_cursor: Option<&'a str>,
}

#[derive(Serialize)]
struct ErrorEnvelope<'a> {
    object: &'static str,
    error: ErrorBody<'a>,
    meta: Meta<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    code: &'a str,
    message: &'a str,
    details: Option<&'a Value>,
}

/// A JSON response with `Content-Type` and `X-Request-Id` set.
pub(crate) fn json_response(status: StatusCode, body: Vec<u8>, request_id: &str) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    if let Ok(value) = HeaderValue::from_str(request_id) {
        headers.insert(X_REQUEST_ID, value);
    }
    response
}

fn to_bytes<T: Serialize>(body: &T) -> Vec<u8> {
    serde_json::to_vec(body).unwrap_or_else(|_| {
        br#"{"object":"error","error":{"code":"internal_error","message":"serialization failed","details":null}}"#
            .to_vec()
    })
}

/// `{"object":"success","data":…,"meta":…}`.
pub(crate) fn success<T: Serialize + ?Sized>(status: StatusCode, data: &T, request_id: &str) -> Response {
    let body = to_bytes(&Success { object: "success", data, meta: Meta::new(request_id) });
    json_response(status, body, request_id)
}

/// `{"object":"list","data":[…],"page_info":{…},"meta":…}`.
pub(crate) fn list<T: Serialize>(
    items: &[T],
    has_next_page: bool,
    end_cursor: Option<&str>,
    request_id: &str,
) -> Response {
    let body = to_bytes(&List {
        object: "list",
        data: items,
        page_info: PageInfo { has_next_page, end_cursor },
        meta: Meta::new(request_id),
    });
    json_response(StatusCode::OK, body, request_id)
}

/// The error envelope bytes for `error`.
pub(crate) fn error_body(error: &ApiError, request_id: &str) -> Vec<u8> {
    to_bytes(&ErrorEnvelope {
        object: "error",
        error: ErrorBody { code: error.code, message: &error.message, details: error.details.as_deref() },
        meta: Meta::new(request_id),
    })
}

/// `{"object":"error","error":{…},"meta":…}` with the error's status (and `Allow` for 405).
pub(crate) fn error(error: &ApiError, request_id: &str) -> Response {
    let mut response = json_response(error.status, error_body(error, request_id), request_id);
    if let Some(allow) = error.allow {
        response.headers_mut().insert(ALLOW, HeaderValue::from_static(allow));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_envelope_has_code_message_details_and_meta() {
        let err = ApiError::field("email", "is required");
        let body: Value = serde_json::from_slice(&error_body(&err, "req_abc")).unwrap();
        assert_eq!(body["object"], "error");
        assert_eq!(body["error"]["code"], "validation_error");
        assert_eq!(body["error"]["details"]["email"], "is required");
        assert_eq!(body["meta"]["request_id"], "req_abc");
        assert_eq!(body["meta"]["api_version"], "1");
        assert!(body["meta"]["timestamp"].as_str().unwrap().ends_with('Z'));
    }

    #[test]
    fn error_envelope_details_null_when_absent() {
        let body: Value = serde_json::from_slice(&error_body(&ApiError::unknown_path(), "req_x")).unwrap();
        assert!(body["error"]["details"].is_null());
    }
}
