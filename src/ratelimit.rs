//! Client-side pacing shared by every call of one client: header-driven ("adaptive") waiting for
//! the window reset when the budget is spent, plus an optional token bucket and in-flight cap.

use crate::config::RateLimitMode;
use crate::error::RateLimitInfo;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll, Waker};

/// Slack added after a reset instant, since `X-RateLimit-Reset` is often whole seconds.
const RESET_SLACK_MS: u64 = 25;

/// No pacing wait the SDK derives by itself exceeds one documented window.
pub(crate) const MAX_PACING_WAIT_MS: u64 = 60_000;

#[derive(Debug, Default)]
struct State {
    /// Budget left in the current window, as far as this client knows (headers minus what it
    /// has sent since).
    remaining: Option<u64>,
    /// When the current window ends (epoch ms).
    reset_at: Option<u64>,
    /// Requests sent and not yet answered.
    in_flight: u64,
    /// Token bucket: tokens and when they were counted.
    tokens: f64,
    tokens_at: Option<u64>,
    /// Tasks waiting for an in-flight slot.
    slot_waiters: Vec<Waker>,
}

/// The shared pacing state of one client.
#[derive(Debug)]
pub(crate) struct Pacer {
    mode: RateLimitMode,
    state: Mutex<State>,
}

/// The outcome of asking the pacer for permission.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Permit {
    /// Go now (a slot is held until [`Pacer::release`]).
    Go,
    /// Ask again after this many ms.
    Wait(u64),
}

impl Pacer {
    pub(crate) fn new(mode: RateLimitMode) -> Self {
        Self { mode, state: Mutex::new(State::default()) }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn max_concurrency(&self) -> u64 {
        match self.mode {
            RateLimitMode::Bucket { max_concurrency, .. } if max_concurrency > 0 => max_concurrency as u64,
            _ => u64::MAX,
        }
    }

    /// Waits until an in-flight slot is free (only with `maxConcurrency`).
    pub(crate) fn slot(&self) -> SlotFuture<'_> {
        SlotFuture(self)
    }

    /// Asks to send one request at `now`. Call only while holding a slot.
    pub(crate) fn try_acquire(&self, now: u64) -> Permit {
        if self.mode == RateLimitMode::Off {
            self.lock().in_flight += 1;
            return Permit::Go;
        }
        let mut s = self.lock();
        if let (Some(remaining), Some(reset_at)) = (s.remaining, s.reset_at) {
            if now >= reset_at + RESET_SLACK_MS {
                s.remaining = None; // a new window: the next response tells its budget
                s.reset_at = None;
            } else if remaining == 0 {
                return Permit::Wait((reset_at + RESET_SLACK_MS - now).min(MAX_PACING_WAIT_MS));
            }
        }
        if let RateLimitMode::Bucket { requests_per_minute, .. } = self.mode {
            if requests_per_minute > 0 {
                let rate = requests_per_minute as f64 / 60_000.0; // tokens per ms
                let capacity = (requests_per_minute as f64 / 60.0).max(1.0);
                let elapsed = s.tokens_at.map_or(f64::INFINITY, |t| now.saturating_sub(t) as f64);
                s.tokens = (s.tokens + elapsed * rate).min(capacity);
                s.tokens_at = Some(now);
                if s.tokens < 1.0 {
                    let wait = ((1.0 - s.tokens) / rate).ceil().max(1.0) as u64;
                    return Permit::Wait(wait.min(MAX_PACING_WAIT_MS));
                }
                s.tokens -= 1.0;
            }
        }
        if let Some(r) = &mut s.remaining {
            *r = r.saturating_sub(1);
        }
        s.in_flight += 1;
        Permit::Go
    }

    /// Records the end of a request and what its headers said (`None` when no response came).
    pub(crate) fn release(&self, info: Option<RateLimitInfo>, now: u64) {
        let waiters = {
            let mut s = self.lock();
            s.in_flight = s.in_flight.saturating_sub(1);
            if let Some(RateLimitInfo { remaining: Some(remaining), reset_at, .. }) = info {
                // Requests still in flight may not be counted by the server yet: stay cautious.
                let estimate = remaining.saturating_sub(s.in_flight);
                // A plausible reset may still lie up to two minutes ahead: wait at most one window
                // for it, then count a new window.
                let reset_at = reset_at.filter(|r| *r > now).map(|r| r.min(now + MAX_PACING_WAIT_MS - RESET_SLACK_MS));
                let newer_window = match (reset_at, s.reset_at) {
                    (Some(new), Some(old)) => new > old,
                    (Some(_), None) => true,
                    _ => false,
                };
                if newer_window || s.remaining.is_none() {
                    s.remaining = Some(estimate);
                    s.reset_at = reset_at;
                } else {
                    s.remaining = Some(s.remaining.unwrap_or(estimate).min(estimate));
                }
            }
            std::mem::take(&mut s.slot_waiters)
        };
        waiters.into_iter().for_each(Waker::wake);
    }

    /// Gives back a slot that was held but not used to send (an aborted wait).
    pub(crate) fn release_unsent(&self) {
        self.release(None, 0);
    }

    /// Requests in flight (for tests).
    #[cfg(test)]
    pub(crate) fn in_flight(&self) -> u64 {
        self.lock().in_flight
    }
}

/// Resolves once fewer than `maxConcurrency` requests are in flight.
pub(crate) struct SlotFuture<'a>(&'a Pacer);

impl Future for SlotFuture<'_> {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let max = self.0.max_concurrency();
        let mut s = self.0.lock();
        if s.in_flight < max {
            Poll::Ready(())
        } else {
            s.slot_waiters.push(cx.waker().clone());
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(remaining: u64, reset_at: u64) -> Option<RateLimitInfo> {
        Some(RateLimitInfo { limit: Some(10), remaining: Some(remaining), reset_at: Some(reset_at) })
    }

    #[test]
    fn adaptive_waits_for_reset_when_budget_is_spent() {
        let p = Pacer::new(RateLimitMode::Adaptive);
        assert_eq!(p.try_acquire(1000), Permit::Go);
        p.release(info(1, 5000), 1000);
        assert_eq!(p.try_acquire(1100), Permit::Go); // uses the last request of the window
        assert_eq!(p.try_acquire(1200), Permit::Wait(5000 + RESET_SLACK_MS - 1200));
        p.release(info(0, 5000), 1300);
        assert_eq!(p.try_acquire(5000 + RESET_SLACK_MS), Permit::Go); // a new window
        assert_eq!(p.in_flight(), 1);
    }

    #[test]
    fn adaptive_shares_the_budget_across_concurrent_calls() {
        let p = Pacer::new(RateLimitMode::Adaptive);
        assert_eq!(p.try_acquire(0), Permit::Go);
        p.release(info(3, 60_000), 10);
        let goes = (0..5).filter(|_| p.try_acquire(20) == Permit::Go).count();
        assert_eq!(goes, 3);
    }

    #[test]
    fn off_never_waits() {
        let p = Pacer::new(RateLimitMode::Off);
        p.release(info(0, 60_000), 0);
        assert_eq!(p.try_acquire(1), Permit::Go);
    }

    #[test]
    fn bucket_spaces_requests() {
        let p = Pacer::new(RateLimitMode::Bucket { requests_per_minute: 60, max_concurrency: 0 });
        assert_eq!(p.try_acquire(0), Permit::Go);
        assert_eq!(p.try_acquire(0), Permit::Wait(1000));
        assert_eq!(p.try_acquire(1000), Permit::Go);
    }
}
