//! API errors: the status, code, message and details of the error envelope (contract §6).

use axum::http::StatusCode;
use serde_json::{Map, Value};

use crate::scope::Scope;

/// An error answer of the API, turned into the error envelope by `envelope::error`.
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Option<Box<Value>>,
    /// `Allow` header value for 405.
    pub allow: Option<&'static str>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), details: None, allow: None }
    }

    fn with_details(mut self, details: Value) -> Self {
        self.details = Some(Box::new(details));
        self
    }

    /// 400 `validation_error` for a single field.
    pub fn field(field: &str, reason: &str) -> Self {
        let mut errors = FieldErrors::default();
        errors.add(field, reason);
        errors.into_error()
    }

    /// 400 `invalid_json`.
    pub fn invalid_json(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", message)
    }

    /// 401 `unauthorized`.
    pub fn unauthorized(message: &str) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403 `insufficient_scope` with `details.required_scope`.
    pub fn insufficient_scope(scope: Scope) -> Self {
        let mut details = Map::new();
        details.insert("required_scope".into(), scope.as_str().into());
        ApiError::new(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            format!("This API key lacks the `{scope}` scope needed here."),
        )
        .with_details(Value::Object(details))
    }

    /// 404 `not_found` for an unknown record.
    pub fn not_found(kind: &str, id: &str) -> Self {
        let mut shown: String = id.chars().take(100).collect();
        if shown.len() < id.len() {
            shown.push('…');
        }
        ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("No {kind} with id `{shown}`."))
    }

    /// 404 `not_found` for an unknown path.
    pub fn unknown_path() -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "No such endpoint; see the Klipy API reference for the paths under /api/v1.",
        )
    }

    /// 405 `method_not_allowed`, with the allowed methods.
    pub fn method_not_allowed(allow: &'static str) -> Self {
        let mut e = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("This path accepts only {allow}."),
        );
        e.allow = Some(allow);
        e
    }

    /// 409 `conflict` naming the colliding field.
    pub fn conflict(field: &str, reason: &str, existing_id: &str) -> Self {
        let mut details = Map::new();
        details.insert(field.into(), reason.into());
        details.insert("existingId".into(), existing_id.into());
        ApiError::new(StatusCode::CONFLICT, "conflict", format!("Conflict on `{field}`: {reason}."))
            .with_details(Value::Object(details))
    }

    /// 413 `payload_too_large`.
    pub fn payload_too_large() -> Self {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "The request body is larger than 1 MiB.")
    }

    /// 429 `rate_limited`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("Rate limit reached; retry in {retry_after_secs} s."),
        )
    }

    /// The error for an arbitrary status (used by injected faults).
    pub fn for_status(status: StatusCode) -> Self {
        ApiError::new(status, code_for_status(status.as_u16()), "Injected fault (klipy-mock).")
    }
}

/// The error code the mock uses for an HTTP status.
pub(crate) fn code_for_status(status: u16) -> &'static str {
    match status {
        400 => "validation_error",
        401 => "unauthorized",
        403 => "insufficient_scope",
        404 => "not_found",
        405 => "method_not_allowed",
        408 => "request_timeout",
        409 => "conflict",
        413 => "payload_too_large",
        422 => "unprocessable_entity",
        429 => "rate_limited",
        500 => "internal_error",
        502 => "bad_gateway",
        503 => "unavailable",
        504 => "gateway_timeout",
        s if s >= 500 => "internal_error",
        _ => "error",
    }
}

/// Field errors collected while validating a body: `{"field": "reason", …}`.
#[derive(Debug, Default)]
pub(crate) struct FieldErrors {
    fields: Map<String, Value>,
}

impl FieldErrors {
    /// Records `reason` for `field` unless the field already has one.
    pub fn add(&mut self, field: &str, reason: &str) {
        if !self.fields.contains_key(field) {
            self.fields.insert(field.to_owned(), reason.into());
        }
    }

    /// `Ok` when nothing was recorded, else the 400 `validation_error`.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.fields.is_empty() {
            Ok(())
        } else {
            Err(self.into_error())
        }
    }

    fn into_error(self) -> ApiError {
        let mut message = match self.fields.iter().next() {
            Some((field, Value::String(reason))) => format!("Invalid request: `{field}` {reason}"),
            _ => "Invalid request".to_owned(),
        };
        if self.fields.len() > 1 {
            message.push_str(&format!(" (and {} more)", self.fields.len() - 1));
        }
        message.push('.');
        ApiError::new(StatusCode::BAD_REQUEST, "validation_error", message).with_details(Value::Object(self.fields))
    }
}
