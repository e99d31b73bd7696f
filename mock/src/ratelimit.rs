//! Fixed-window rate limits per key and per organization (contract §7).
//!
//! A window starts on the whole second of the first request after the previous one ended and
//! lasts `window_secs`, so `X-RateLimit-Reset` (epoch seconds) is exactly the window's end.
//! Requests refused with 429 do not count.

use axum::http::{HeaderMap, HeaderValue};
use serde::Serialize;

/// Longest window accepted (one day).
pub(crate) const MAX_WINDOW_SECS: u64 = 86_400;

/// The configured limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Limits {
    pub per_key_rpm: u32,
    pub per_org_rpm: u32,
    pub window_secs: u64,
}

#[derive(Debug, Clone, Copy)]
struct Window {
    start_ms: i64,
    count: u32,
}

impl Window {
    const EXPIRED: Window = Window { start_ms: i64::MIN / 2, count: 0 };

    fn roll(&mut self, now_ms: i64, window_ms: i64) {
        if now_ms >= self.start_ms.saturating_add(window_ms) || now_ms < self.start_ms {
            self.start_ms = now_ms - now_ms.rem_euclid(1000);
            self.count = 0;
        }
    }

    fn end_ms(&self, window_ms: i64) -> i64 {
        self.start_ms.saturating_add(window_ms)
    }
}

/// What the rate-limit headers of one response say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RateInfo {
    pub limit: u32,
    pub remaining: u32,
    /// Epoch seconds at which the reported window ends.
    pub reset_secs: i64,
    /// Whole seconds to wait (at least 1); set only when the request was refused.
    pub retry_after_secs: Option<u64>,
}

impl RateInfo {
    /// Adds `X-RateLimit-Limit`, `-Remaining`, `-Reset` (and `Retry-After` when refused).
    pub fn apply(&self, headers: &mut HeaderMap) {
        headers.insert("x-ratelimit-limit", HeaderValue::from(self.limit));
        headers.insert("x-ratelimit-remaining", HeaderValue::from(self.remaining));
        headers.insert("x-ratelimit-reset", HeaderValue::from(self.reset_secs));
        if let Some(secs) = self.retry_after_secs {
            headers.insert("retry-after", HeaderValue::from(secs));
        }
    }
}

/// The windows of the organization and of each key (by key index).
#[derive(Debug)]
pub(crate) struct RateLimiter {
    limits: Limits,
    org: Window,
    keys: Vec<Window>,
}

impl RateLimiter {
    pub fn new(limits: Limits, key_count: usize) -> Self {
        RateLimiter { limits, org: Window::EXPIRED, keys: vec![Window::EXPIRED; key_count] }
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Sets new limits and starts fresh windows.
    pub fn set(&mut self, limits: Limits) {
        self.limits = limits;
        self.fresh();
    }

    /// Starts fresh windows (counts back to zero).
    pub fn fresh(&mut self) {
        self.org = Window::EXPIRED;
        self.keys.fill(Window::EXPIRED);
    }

    /// Counts one request of key `key` at `now_ms`: `Ok` with the headers to send, or `Err`
    /// with the 429 headers when a limit is reached (nothing is counted then).
    pub fn check(&mut self, key: usize, now_ms: i64) -> Result<RateInfo, RateInfo> {
        let window_ms = i64::try_from(self.limits.window_secs.saturating_mul(1000)).unwrap_or(i64::MAX / 4);
        let Limits { per_key_rpm, per_org_rpm, .. } = self.limits;
        let Some(key_window) = self.keys.get_mut(key) else {
            // Unknown key index: cannot happen for keys from the key table; refuse nothing.
            return Ok(RateInfo {
                limit: per_key_rpm,
                remaining: per_key_rpm,
                reset_secs: now_ms / 1000,
                retry_after_secs: None,
            });
        };
        key_window.roll(now_ms, window_ms);
        self.org.roll(now_ms, window_ms);

        let key_full = key_window.count >= per_key_rpm;
        let org_full = self.org.count >= per_org_rpm;
        if key_full || org_full {
            let key_end = key_window.end_ms(window_ms);
            let org_end = self.org.end_ms(window_ms);
            // Report the window that blocks; when both do, the one that ends last.
            let (limit, end) = match (key_full, org_full) {
                (true, true) if org_end > key_end => (per_org_rpm, org_end),
                (true, _) => (per_key_rpm, key_end),
                _ => (per_org_rpm, org_end),
            };
            let wait_ms = (end - now_ms).max(1);
            return Err(RateInfo {
                limit,
                remaining: 0,
                reset_secs: ceil_div(end, 1000),
                retry_after_secs: Some(u64::try_from(ceil_div(wait_ms, 1000)).unwrap_or(1).max(1)),
            });
        }

        key_window.count += 1;
        self.org.count += 1;
        let key_left = per_key_rpm - key_window.count;
        let org_left = per_org_rpm - self.org.count;
        let (limit, remaining, end) = if org_left < key_left {
            (per_org_rpm, org_left, self.org.end_ms(window_ms))
        } else {
            (per_key_rpm, key_left, key_window.end_ms(window_ms))
        };
        Ok(RateInfo { limit, remaining, reset_secs: ceil_div(end, 1000), retry_after_secs: None })
    }
}

fn ceil_div(a: i64, b: i64) -> i64 {
    a.div_euclid(b) + i64::from(a.rem_euclid(b) != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter(per_key: u32, per_org: u32, window_secs: u64, keys: usize) -> RateLimiter {
        RateLimiter::new(Limits { per_key_rpm: per_key, per_org_rpm: per_org, window_secs }, keys)
    }

    #[test]
    fn counts_down_then_refuses_until_the_window_ends() {
        let mut rl = limiter(2, 100, 60, 1);
        let t = 1_700_000_000_250;
        let first = rl.check(0, t).unwrap();
        assert_eq!((first.limit, first.remaining), (2, 1));
        assert_eq!(first.reset_secs, 1_700_000_060);
        assert_eq!(rl.check(0, t + 10).unwrap().remaining, 0);
        let refused = rl.check(0, t + 20).unwrap_err();
        assert_eq!(refused.remaining, 0);
        assert_eq!(refused.reset_secs, 1_700_000_060);
        assert_eq!(refused.retry_after_secs, Some(60));
        // Refusals do not count; the next window is fresh.
        assert_eq!(rl.check(0, 1_700_000_060_000).unwrap().remaining, 1);
    }

    #[test]
    fn organization_limit_spans_keys() {
        let mut rl = limiter(10, 3, 60, 2);
        let t = 1_000_000;
        rl.check(0, t).unwrap();
        rl.check(1, t).unwrap();
        let third = rl.check(0, t).unwrap();
        assert_eq!((third.limit, third.remaining), (3, 0));
        let refused = rl.check(1, t).unwrap_err();
        assert_eq!(refused.limit, 3);
    }

    #[test]
    fn retry_after_is_at_least_one_second() {
        let mut rl = limiter(1, 10, 1, 1);
        rl.check(0, 5_000).unwrap();
        let refused = rl.check(0, 5_999).unwrap_err();
        assert_eq!(refused.retry_after_secs, Some(1));
        assert_eq!(refused.reset_secs, 6);
    }

    #[test]
    fn fresh_resets_counts() {
        let mut rl = limiter(1, 10, 60, 1);
        rl.check(0, 0).unwrap();
        assert!(rl.check(0, 1).is_err());
        rl.fresh();
        assert!(rl.check(0, 2).is_ok());
    }
}
