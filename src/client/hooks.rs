//! What a client tells its observers: hook events, log levels and the [`Hooks`] trait.

use crate::error::RateLimitInfo;
use crate::rt::MaybeSendSync;
use serde_json::Value;

/// Severity of a log line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum LogLevel {
    /// Every attempt and response, and calls that failed (the caller gets those as errors).
    Debug,
    /// Notable events: pacing waits (one line per window).
    Info,
    /// What the caller cannot see otherwise: retries, ignored headers.
    Warn,
    /// Reserved for failures nobody else reports (the client logs none today).
    Error,
}

impl LogLevel {
    /// `"debug"`, `"info"`, `"warn"` or `"error"`.
    pub fn as_str(self) -> &'static str {
        match self {
            LogLevel::Debug => "debug",
            LogLevel::Info => "info",
            LogLevel::Warn => "warn",
            LogLevel::Error => "error",
        }
    }
}

/// An attempt about to be sent.
#[derive(Debug, Clone)]
pub struct RequestEvent<'a> {
    /// Operation name (`people.get`).
    pub operation: &'a str,
    /// HTTP method.
    pub method: &'static str,
    /// The URL (never contains the key).
    pub url: &'a str,
    /// Attempt number, 1 for the first.
    pub attempt: u32,
}

/// An attempt that ended (with a response or without).
#[derive(Debug, Clone)]
pub struct ResponseEvent<'a> {
    /// Operation name.
    pub operation: &'a str,
    /// HTTP method.
    pub method: &'static str,
    /// Path under the base URL.
    pub path: &'a str,
    /// Status, or `None` when no response came (connection error, timeout, abort).
    pub status: Option<u16>,
    /// Attempt number.
    pub attempt: u32,
    /// How long the attempt took.
    pub duration_ms: u64,
    /// Request id, when the response had one.
    pub request_id: Option<&'a str>,
    /// Rate-limit headers of the response.
    pub rate_limit: RateLimitInfo,
}

/// A retry about to be waited for.
#[derive(Debug, Clone)]
pub struct RetryEvent<'a> {
    /// The attempt that will follow the wait (2 for the first retry).
    pub attempt: u32,
    /// The wait in ms.
    pub delay_ms: u64,
    /// Why (`HTTP 503`, `timeout`, …).
    pub reason: &'a str,
    /// Request id of the failed attempt.
    pub request_id: Option<&'a str>,
}

/// Why the client is about to wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitReason {
    /// Pacing: the rate-limit window (or the client-side bucket) is spent until it resets.
    RateLimit,
    /// The backoff or server-named wait before a retry.
    Retry,
}

impl WaitReason {
    /// `"rate_limit"` or `"retry"`.
    pub fn as_str(self) -> &'static str {
        match self {
            WaitReason::RateLimit => "rate_limit",
            WaitReason::Retry => "retry",
        }
    }
}

/// A wait about to be taken (every one: pacing and retries).
#[derive(Debug, Clone)]
pub struct WaitEvent<'a> {
    /// Why.
    pub reason: WaitReason,
    /// How long, in ms.
    pub ms: u64,
    /// The request id of the failed attempt, for a retry wait that has one.
    pub request_id: Option<&'a str>,
}

/// Observers of a client's traffic. Every method has a no-op default. Nothing passed to a hook
/// contains the API key.
pub trait Hooks: MaybeSendSync {
    /// Before each attempt.
    fn on_request(&self, _event: &RequestEvent<'_>) {}
    /// After each attempt.
    fn on_response(&self, _event: &ResponseEvent<'_>) {}
    /// Before each retry wait.
    fn on_retry(&self, _event: &RetryEvent<'_>) {}
    /// Before every wait the client takes (pacing and retries), so a long pause is never silent.
    fn on_wait(&self, _event: &WaitEvent<'_>) {}
    /// A log line with structured fields (method, path, status, attempt, wait, request id).
    fn log(&self, _level: LogLevel, _message: &str, _fields: &[(&str, Value)]) {}
    /// Whether [`Hooks::log`] wants lines at all; when false the core does not build them.
    fn log_enabled(&self) -> bool {
        true
    }
}

/// Hooks that do nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoHooks;
impl Hooks for NoHooks {
    fn log_enabled(&self) -> bool {
        false
    }
}
