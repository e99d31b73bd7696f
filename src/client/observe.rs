//! What the send loop tells its observers: hook events and log lines (built only when a logger
//! listens; nothing in them carries the key).

use super::{Client, LogLevel, ResponseEvent, RetryEvent, WaitEvent, WaitReason};
use crate::error::{Error, RateLimitInfo};
use crate::request::Operation;
use crate::retry::reason;
use crate::transport::Transport;
use serde_json::Value;

impl<T: Transport> Client<T> {
    /// Logs a line; `fields` is only evaluated when a logger listens (the hot path stays
    /// allocation-free otherwise).
    pub(super) fn log<const N: usize>(
        &self,
        level: LogLevel,
        message: &str,
        fields: impl FnOnce() -> [(&'static str, Value); N],
    ) {
        if self.inner.hooks.log_enabled() {
            self.inner.hooks.log(level, message, &fields());
        }
    }

    pub(super) fn report(
        &self,
        op: &Operation,
        status: Option<u16>,
        attempt: u32,
        duration_ms: u64,
        request_id: Option<&str>,
        rate_limit: RateLimitInfo,
    ) {
        self.inner.hooks.on_response(&ResponseEvent {
            operation: op.name,
            method: op.method.as_str(),
            path: &op.path,
            status,
            attempt,
            duration_ms,
            request_id,
            rate_limit,
        });
        self.log(LogLevel::Debug, "response", || {
            [
                ("method", op.method.as_str().into()),
                ("path", op.path.clone().into()),
                ("status", status.map_or(Value::Null, Value::from)),
                ("attempt", attempt.into()),
                ("durationMs", duration_ms.into()),
                ("requestId", request_id.map_or(Value::Null, Value::from)),
            ]
        });
    }

    pub(super) fn log_failure(&self, op: &Operation, err: &Error) {
        // The caller gets this error: a debug line only (warn is for what the caller cannot see).
        self.log(LogLevel::Debug, "request failed", || {
            [
                ("method", op.method.as_str().into()),
                ("path", op.path.clone().into()),
                ("status", err.status.map_or(Value::Null, Value::from)),
                ("attempt", err.attempts.into()),
                ("error", err.kind.class_name().into()),
                ("requestId", err.request_id.clone().map_or(Value::Null, Value::String)),
            ]
        });
    }

    /// Tells the hooks and the log about a retry about to be waited for.
    pub(super) fn announce_retry(&self, op: &Operation, err: &Error, wait: u64) {
        let why = reason(err);
        let attempt = err.attempts + 1;
        self.inner.hooks.on_retry(&RetryEvent {
            attempt,
            delay_ms: wait,
            reason: &why,
            request_id: err.request_id.as_deref(),
        });
        self.log(LogLevel::Warn, "retrying", || {
            [
                ("method", op.method.as_str().into()),
                ("path", op.path.clone().into()),
                ("attempt", attempt.into()),
                ("waitMs", wait.into()),
                ("reason", why.into()),
                ("requestId", err.request_id.clone().map_or(Value::Null, Value::String)),
            ]
        });
        self.inner.hooks.on_wait(&WaitEvent {
            reason: WaitReason::Retry,
            ms: wait,
            request_id: err.request_id.as_deref(),
        });
    }
}
