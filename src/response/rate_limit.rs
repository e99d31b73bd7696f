//! The `X-RateLimit-*` headers, read tolerantly and kept only when plausible.

use crate::error::RateLimitInfo;
use crate::transport::HttpResponse;

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
