//! The waits before an attempt: the key lookup (timed like the attempt, holding no slot) and the
//! pacer (header-driven waits and the token bucket), plus what a response tells the pacer.

use super::shared::{Reserved, Step};
use super::{aborted, deadline_error, race, Client, LogLevel, Raced, WaitEvent, WaitReason};
use crate::cancel::CancelToken;
use crate::config::ApiKey;
use crate::error::{Error, ErrorKind, RateLimitInfo};
use crate::ratelimit::Permit;
use crate::response::read_rate_limit;
use crate::transport::{HttpResponse, Transport};
use std::sync::atomic::Ordering;

impl<T: Transport> Client<T> {
    /// The key for the next attempt. A key provider's lookup is raced against the attempt's
    /// timeout and the deadline (and cancellation), and holds no pacing slot while it runs.
    pub(super) async fn lookup_key(
        &self,
        timeout_ms: u64,
        deadline: Option<u64>,
        cancel: Option<&CancelToken>,
        attempts: u32,
    ) -> Result<ApiKey, Error> {
        let inner = &self.inner;
        if let Some(k) = inner.key.fixed() {
            return Ok(k.clone());
        }
        let now = self.now();
        let limit = deadline.map_or(timeout_ms, |d| d.saturating_sub(now).min(timeout_ms));
        match race(inner.key.api_key(), Some(inner.sleep.sleep(limit)), cancel).await {
            Raced::Done(result) => result.map_err(|mut e| {
                e.attempts = attempts;
                e
            }),
            Raced::Cancelled => Err(aborted(attempts)),
            Raced::TimedOut if deadline.is_some_and(|d| self.now() >= d) => {
                Err(deadline_error(inner.config.deadline_ms.unwrap_or(0), attempts, None))
            }
            Raced::TimedOut => {
                let mut e = Error::new(
                    ErrorKind::Timeout,
                    format!("the API key lookup (apiKey function or KeyProvider) did not settle within {limit} ms (timeoutMs): make it resolve or fail"),
                );
                e.attempts = attempts;
                Err(e)
            }
        }
    }

    /// Waits until the pacer (and the shared budget, if any) lets one request go. Holds a pacing
    /// slot on success, and the shared reservation to refund if the request is not sent.
    pub(super) async fn pace(
        &self,
        key: &ApiKey,
        deadline: Option<u64>,
        cancel: Option<&CancelToken>,
        attempts: u32,
    ) -> Result<Reserved, Error> {
        let inner = &self.inner;
        loop {
            if let Raced::Cancelled = race(inner.pacer.slot(), None, cancel).await {
                return Err(aborted(attempts));
            }
            let now = self.now();
            let wait = match inner.pacer.try_acquire(now) {
                Permit::Go if inner.budget.is_none() => return Ok(None),
                Permit::Go => match self.reserve_shared(key, now, deadline, cancel).await {
                    Ok(Step::Go(reserved)) => return Ok(reserved),
                    Ok(Step::Wait(later)) => later,
                    Ok(Step::Cancelled) => return Err(aborted(attempts)),
                    Err(mut e) => {
                        e.attempts = attempts;
                        return Err(e);
                    }
                },
                Permit::Wait(ms) => ms,
            };
            if wait > inner.config.max_retry_wait_ms {
                let mut e = Error::new(
                    ErrorKind::RateLimit,
                    format!(
                        "the rate limit is spent for {wait} ms, longer than maxRetryWaitMs ({} ms): retry later",
                        inner.config.max_retry_wait_ms
                    ),
                );
                e.retry_after_ms = Some(wait);
                e.attempts = attempts;
                return Err(e);
            }
            if let Some(d) = deadline {
                if now + wait > d {
                    return Err(deadline_error(inner.config.deadline_ms.unwrap_or(0), attempts, None));
                }
            }
            inner.hooks.on_wait(&WaitEvent { reason: WaitReason::RateLimit, ms: wait, request_id: None });
            // One line per window, not one per worker waiting for it.
            if inner.pacing_logged_until.fetch_max(now + wait, Ordering::Relaxed) <= now {
                self.log(LogLevel::Info, "pacing: waiting for the rate-limit window to reset", || {
                    [("waitMs", wait.into())]
                });
            }
            if let Raced::Cancelled = race(inner.sleep.sleep(wait), None, cancel).await {
                return Err(aborted(attempts));
            }
        }
    }

    /// Reads a response's rate-limit headers (plausible values only; an implausible reset is
    /// warned about once per client) and hands them to the pacer.
    pub(super) fn observe_rate_limit(&self, resp: &HttpResponse, now: u64) -> RateLimitInfo {
        let (rate_limit, implausible) = read_rate_limit(resp, Some(now));
        if implausible && !self.inner.warned_reset.swap(true, Ordering::Relaxed) {
            self.log(LogLevel::Warn, "ignoring an implausible X-RateLimit-Reset: more than 120 s ahead, though the window is one minute (warned once per client)", || []);
        }
        self.inner.pacer.release(Some(rate_limit), now);
        rate_limit
    }
}
