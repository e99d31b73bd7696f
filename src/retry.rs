//! Retry policy as small pure functions: [`classify`] turns a failure into a [`RetryAction`]
//! (is it retryable, did the server name a wait?); the send loop then only checks its budget
//! (retries left, `maxRetryWaitMs`, the deadline). [`crate::Error::is_retryable`] is derived from
//! the same rule.

use crate::error::{Error, ErrorKind};
use crate::request::Replay;
use crate::response::{plausible_reset, reset_to_epoch_ms};
use crate::rt::Random;
use crate::transport::find_header;

/// What to do about a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryAction {
    /// Not retryable for this operation.
    NoRetry,
    /// Retryable after the wait the server named, in ms.
    RetryAfter(u64),
    /// Retryable after full-jitter backoff ([`backoff_ms`]).
    RetryBackoff,
}

/// The one retry decision: whether `err` may be retried for an operation with replay rule
/// `replay` (sdk.md "Retries"), and after which wait.
pub fn classify(err: &Error, replay: Replay, now_ms: u64) -> RetryAction {
    if !should_retry(err, replay) {
        return RetryAction::NoRetry;
    }
    match server_wait_ms(&err.headers, err.status, now_ms) {
        Some(ms) => RetryAction::RetryAfter(ms),
        None => RetryAction::RetryBackoff,
    }
}

/// Whether `err` may be retried for an operation with replay rule `replay`: [`classify`] without
/// the wait.
pub fn should_retry(err: &Error, replay: Replay) -> bool {
    let unprocessed = match err.status {
        Some(429) => true,
        // Raised by the client's own pacing: nothing was sent.
        None if err.kind == ErrorKind::RateLimit => true,
        Some(503) => {
            find_header(&err.headers, "retry-after").is_some() || find_header(&err.headers, "retry-after-ms").is_some()
        }
        _ => false,
    };
    if unprocessed {
        return true;
    }
    if replay == Replay::OnlyIfUnprocessed {
        return false;
    }
    match err.kind {
        ErrorKind::Connection | ErrorKind::Timeout => err.status.is_none(),
        _ => matches!(err.status, Some(408 | 500 | 502 | 503 | 504)),
    }
}

/// The wait the server asked for, in ms: `retry-after-ms`, else `Retry-After` (seconds, integer
/// or decimal, or an HTTP-date), else — for 429 only — `X-RateLimit-Reset` when it is plausible
/// (at most [`crate::response::MAX_PLAUSIBLE_RESET_AHEAD_MS`] ahead; otherwise backoff applies).
pub fn server_wait_ms(headers: &[(String, String)], status: Option<u16>, now_ms: u64) -> Option<u64> {
    if let Some(ms) = find_header(headers, "retry-after-ms").and_then(parse_non_negative) {
        return Some(ms.ceil() as u64);
    }
    if let Some(v) = find_header(headers, "retry-after") {
        if let Some(secs) = parse_non_negative(v) {
            return Some((secs * 1000.0).ceil() as u64);
        }
        if let Some(at) = crate::time::parse_http_date(v) {
            return Some(at.saturating_sub(now_ms));
        }
    }
    if status == Some(429) {
        let reset = find_header(headers, "x-ratelimit-reset").and_then(parse_non_negative)?;
        let at = reset_to_epoch_ms(reset, Some(now_ms)).filter(|at| plausible_reset(*at, Some(now_ms)))?;
        return Some(at.saturating_sub(now_ms));
    }
    None
}

fn parse_non_negative(v: &str) -> Option<f64> {
    crate::time::parse_decimal(v).filter(|f| *f < 1e13)
}

/// Cap of the exponential backoff, in ms.
pub const MAX_BACKOFF_MS: u64 = 8000;

/// Full-jitter backoff before retry number `retry` (0 for the first retry):
/// `random(0, min(8000, 500 · 2^retry))` ms.
pub fn backoff_ms(retry: u32, random: &dyn Random) -> u64 {
    let ceiling = 500u64.saturating_mul(1u64 << retry.min(20)).min(MAX_BACKOFF_MS);
    random.up_to(ceiling)
}

/// A short reason for logs and the `onRetry` hook.
pub fn reason(err: &Error) -> String {
    match (err.kind, err.status) {
        (_, Some(s)) => format!("HTTP {s}"),
        (ErrorKind::Timeout, _) => "timeout".into(),
        (ErrorKind::Connection, _) => "connection error".into(),
        (k, None) => k.class_name().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::decode_api_error;
    use crate::transport::HttpResponse;

    fn api(status: u16, headers: &[(&str, &str)]) -> Error {
        decode_api_error(&HttpResponse {
            status,
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: vec![],
        })
    }

    #[test]
    fn retry_table() {
        use Replay::*;
        let conn = Error::new(ErrorKind::Connection, "x");
        let timeout = Error::new(ErrorKind::Timeout, "x");
        let cases: Vec<(Error, Replay, bool)> = vec![
            (conn.clone(), Safe, true),
            (conn, OnlyIfUnprocessed, false),
            (timeout.clone(), Safe, true),
            (timeout, OnlyIfUnprocessed, false),
            (api(408, &[]), Safe, true),
            (api(408, &[]), OnlyIfUnprocessed, false),
            (api(429, &[]), Safe, true),
            (api(429, &[]), OnlyIfUnprocessed, true),
            (api(500, &[]), Safe, true),
            (api(500, &[]), OnlyIfUnprocessed, false),
            (api(501, &[]), Safe, false),
            (api(502, &[]), Safe, true),
            (api(503, &[]), Safe, true),
            (api(503, &[]), OnlyIfUnprocessed, false),
            (api(503, &[("Retry-After", "1")]), OnlyIfUnprocessed, true),
            (api(504, &[]), Safe, true),
            (api(400, &[]), Safe, false),
            (api(401, &[]), Safe, false),
            (api(404, &[]), Safe, false),
            (api(409, &[]), Safe, false),
            (Error::user_abort("x"), Safe, false),
            (Error::validation("f", "x"), Safe, false),
        ];
        for (i, (err, replay, want)) in cases.into_iter().enumerate() {
            assert_eq!(should_retry(&err, replay), want, "case {i}: {:?} {replay:?}", err.status());
        }
    }

    #[test]
    fn wait_header_preference_and_forms() {
        let now = 1_700_000_000_000;
        let h = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        type Headers = Vec<(String, String)>;
        let cases: Vec<(Headers, Option<u16>, Option<u64>)> = vec![
            (h(&[("retry-after-ms", "250"), ("retry-after", "3")]), Some(429), Some(250)),
            (h(&[("Retry-After", "3")]), Some(429), Some(3000)),
            (h(&[("retry-after", "1.5")]), Some(503), Some(1500)),
            (h(&[("retry-after", "Tue, 14 Nov 2023 22:13:25 GMT")]), Some(429), Some(5000)),
            (h(&[("retry-after", "Tue, 14 Nov 2023 22:13:00 GMT")]), Some(429), Some(0)),
            (h(&[("x-ratelimit-reset", "1700000007")]), Some(429), Some(7000)),
            (h(&[("x-ratelimit-reset", "1700000002500")]), Some(429), Some(2500)),
            (h(&[("x-ratelimit-reset", "4")]), Some(429), Some(4000)),
            (h(&[("x-ratelimit-reset", "4")]), Some(503), None),
            (h(&[("retry-after", "soon")]), Some(429), None),
            (h(&[("retry-after", "-1")]), Some(429), None),
            (h(&[]), Some(500), None),
        ];
        for (i, (headers, status, want)) in cases.into_iter().enumerate() {
            assert_eq!(server_wait_ms(&headers, status, now), want, "case {i}");
        }
    }

    #[test]
    fn backoff_is_capped_full_jitter() {
        use crate::transport::scripted::MaxRandom;
        let waits: Vec<u64> = (0..8).map(|n| backoff_ms(n, &MaxRandom)).collect();
        assert_eq!(waits, vec![500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]);
        assert_eq!(backoff_ms(60, &MaxRandom), 8000);
        struct Zero;
        impl Random for Zero {
            fn up_to(&self, _: u64) -> u64 {
                0
            }
        }
        assert_eq!(backoff_ms(3, &Zero), 0);
    }
}
