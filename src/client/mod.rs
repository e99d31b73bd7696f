//! [`Client`] and its send loop: key → pace → attempt → classify → wait → retry. The builder,
//! the hooks, the per-call options and the loop's own errors live in the submodules.

mod builder;
mod failures;
mod hooks;
mod observe;
mod options;
mod pacing;
mod shared;

pub use builder::{ClientBuilder, KeyProvider};
pub use hooks::{Hooks, LogLevel, NoHooks, RequestEvent, ResponseEvent, RetryEvent, WaitEvent, WaitReason};
pub use options::{ApiResponse, RequestOptions};

use failures::{aborted, deadline_error, too_large, transport_error};

use crate::cancel::CancelToken;
use crate::config::{ApiKey, AuthScheme, Config};
use crate::error::{redact_text, Error, ErrorKind, RateLimitInfo};
use crate::ratelimit::Pacer;
use crate::request::Operation;
use crate::response::{decode_api_error_for, decode_success, SuccessDecoder};
use crate::retry::{backoff_ms, classify, RetryAction};
use crate::rt::{BoxFuture, Clock, Random, Sleep};
use crate::transport::{HttpRequest, HttpResponse, Transport};
use serde_json::Value;
use std::borrow::Cow;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::Arc;
use std::task::Poll;

pub(crate) struct Inner<T> {
    transport: T,
    pub(crate) config: Config,
    key: Box<dyn KeyProvider>,
    pub(crate) sleep: Box<dyn Sleep>,
    pub(crate) clock: Box<dyn Clock>,
    random: Box<dyn Random>,
    hooks: Box<dyn Hooks>,
    pacer: Pacer,
    /// The fleet's shared budget, when one was given.
    budget: Option<crate::budget::BudgetLink>,
    /// The `User-Agent` value, built once from the config.
    user_agent: String,
    /// Whether the implausible-reset warning was logged (once per client).
    warned_reset: AtomicBool,
    /// Until when (epoch ms) the last logged pacing wait lasts: concurrent workers that wait for
    /// the same window log one line between them.
    pacing_logged_until: AtomicU64,
}

/// A Klipy API client over a [`Transport`]. Cheap to clone; clones share pacing state.
pub struct Client<T: Transport> {
    pub(crate) inner: Arc<Inner<T>>,
}

impl<T: Transport> Clone for Client<T> {
    fn clone(&self) -> Self {
        Self { inner: self.inner.clone() }
    }
}

impl<T: Transport> std::fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("config", &self.inner.config).finish_non_exhaustive()
    }
}

/// What stays the same across the attempts of one call.
struct Call<'a, D> {
    op: &'a Operation,
    opts: &'a RequestOptions,
    url: String,
    deadline: Option<u64>,
    max_body: u64,
    decode: SuccessDecoder<D>,
}

enum Raced<T> {
    Done(T),
    TimedOut,
    Cancelled,
}

/// Runs `fut` until it completes, `timeout` fires, or `cancel` trips (checked first).
async fn race<F: Future>(
    fut: F,
    timeout: Option<BoxFuture<'static, ()>>,
    cancel: Option<&CancelToken>,
) -> Raced<F::Output> {
    let mut fut = pin!(fut);
    let mut timeout = timeout;
    let mut cancelled = cancel.map(CancelToken::cancelled);
    poll_fn(|cx| {
        if let Some(c) = &mut cancelled {
            if std::pin::Pin::new(c).poll(cx).is_ready() {
                return Poll::Ready(Raced::Cancelled);
            }
        }
        if let Poll::Ready(v) = fut.as_mut().poll(cx) {
            return Poll::Ready(Raced::Done(v));
        }
        if let Some(t) = &mut timeout {
            if t.as_mut().poll(cx).is_ready() {
                return Poll::Ready(Raced::TimedOut);
            }
        }
        Poll::Pending
    })
    .await
}

impl<T: Transport> Client<T> {
    fn now(&self) -> u64 {
        self.inner.clock.now_ms()
    }

    fn http_request(
        &self,
        op: &Operation,
        url: &str,
        key: &ApiKey,
        opts: &RequestOptions,
        retry: u32,
        timeout_ms: u64,
    ) -> HttpRequest {
        let cfg = &self.inner.config;
        let mut headers: Vec<(String, String)> = vec![("accept".into(), "application/json".into())];
        match cfg.auth_scheme {
            AuthScheme::Header => headers.push(("x-klipy-api-key".into(), key.expose().to_string())),
            AuthScheme::Bearer => headers.push(("authorization".into(), format!("Bearer {}", key.expose()))),
        }
        headers.push(("user-agent".into(), self.inner.user_agent.clone()));
        if op.body.is_some() {
            headers.push(("content-type".into(), "application/json".into()));
        }
        if retry > 0 {
            headers.push(("x-klipy-retry-count".into(), retry.to_string()));
        }
        for (k, v) in cfg.default_headers.iter().chain(&opts.headers) {
            headers.retain(|(name, _)| !name.eq_ignore_ascii_case(k));
            headers.push((k.to_ascii_lowercase(), v.clone()));
        }
        HttpRequest {
            method: op.method,
            url: url.to_string(),
            headers,
            body: op.body.clone(),
            timeout_ms,
            max_response_bytes: opts.max_response_bytes.unwrap_or(cfg.max_response_bytes),
        }
    }

    /// Sends `op` with retries, pacing, timeouts and the deadline, and decodes the answer.
    ///
    /// # Errors
    /// Any [`Error`]: API errors carry status, code, request id and the number of attempts.
    pub async fn execute(&self, op: &Operation, opts: &RequestOptions) -> Result<ApiResponse<Value>, Error> {
        self.execute_with(op, opts, decode_success).await
    }

    /// [`Client::execute`] with the success decoder chosen by the caller (the wasm facade keeps
    /// `data` as JSON text).
    ///
    /// # Errors
    /// As [`Client::execute`].
    pub async fn execute_with<D>(
        &self,
        op: &Operation,
        opts: &RequestOptions,
        decode: SuccessDecoder<D>,
    ) -> Result<ApiResponse<D>, Error> {
        opts.validate()?;
        let cfg = &self.inner.config;
        let cancel = opts.cancel.as_ref();
        let call = Call {
            op,
            opts,
            url: op.url(&cfg.base_url),
            deadline: cfg.deadline_ms.map(|d| self.now() + d),
            max_body: opts.max_response_bytes.unwrap_or(cfg.max_response_bytes),
            decode,
        };
        let max_retries = opts.max_retries.unwrap_or(cfg.max_retries);
        let timeout_ms = opts.timeout_ms.unwrap_or(cfg.timeout_ms);
        let mut attempts: u32 = 0;
        let mut last_error: Option<Error> = None;
        loop {
            if cancel.is_some_and(CancelToken::is_cancelled) {
                return Err(aborted(attempts));
            }
            let key_started = self.now();
            let key = self.lookup_key(timeout_ms, call.deadline, cancel, attempts).await?;
            let key_ms = self.now().saturating_sub(key_started);
            // What the shared budget reserved (refunded if the request is not sent).
            let reserved = self.pace(&key, call.deadline, cancel, attempts).await?;
            let remaining = call.deadline.map(|d| d.saturating_sub(self.now()));
            if remaining == Some(0) {
                self.inner.pacer.release_unsent();
                self.refund_shared(&reserved).await;
                return Err(deadline_error(cfg.deadline_ms.unwrap_or(0), attempts, last_error.as_ref()));
            }
            // The key lookup counted against this attempt's timeout.
            let budget = timeout_ms.saturating_sub(key_ms).max(1);
            attempts += 1;
            let timeout = remaining.map_or(budget, |r| r.min(budget));
            let mut err = match self.attempt(&call, &key, attempts, timeout, last_error.as_ref()).await? {
                Ok(response) => return Ok(response),
                Err(e) => e,
            };
            err.attempts = attempts;
            let Some(wait) = self.retry_wait(op, &mut err, max_retries, call.deadline) else {
                self.log_failure(op, &err);
                return Err(err);
            };
            self.announce_retry(op, &err, wait);
            last_error = Some(err);
            if let Raced::Cancelled = race(self.inner.sleep.sleep(wait), None, cancel).await {
                return Err(aborted(attempts));
            }
        }
    }

    /// Sends attempt number `attempt` and decodes its answer. The outer `Err` means the call was
    /// cancelled (nothing more may happen); the inner result is the attempt's own outcome, with
    /// everything taken from the response scrubbed of the key (a hostile server may echo it
    /// anywhere) before any hook, log line or error sees it.
    async fn attempt<D>(
        &self,
        call: &Call<'_, D>,
        key: &ApiKey,
        attempt: u32,
        timeout: u64,
        last_error: Option<&Error>,
    ) -> Result<Result<ApiResponse<D>, Error>, Error> {
        let (inner, op) = (&self.inner, call.op);
        let request = self.http_request(op, &call.url, key, call.opts, attempt - 1, timeout);
        inner.hooks.on_request(&RequestEvent {
            operation: op.name,
            method: op.method.as_str(),
            url: &request.url,
            attempt,
        });
        self.log(LogLevel::Debug, "sending request", || {
            [("method", op.method.as_str().into()), ("path", op.path.clone().into()), ("attempt", attempt.into())]
        });
        let sent_at = self.now();
        let outcome =
            race(inner.transport.send(request), Some(inner.sleep.sleep(timeout)), call.opts.cancel.as_ref()).await;
        let now = self.now();
        let duration_ms = now.saturating_sub(sent_at);
        let mut status = None;
        let mut rate_limit = RateLimitInfo::default();
        let result = match outcome {
            Raced::Cancelled => {
                inner.pacer.release(None, now);
                self.report(op, None, attempt, duration_ms, None, rate_limit);
                return Err(aborted(attempt));
            }
            Raced::TimedOut => {
                inner.pacer.release(None, now);
                Err(match call.deadline {
                    Some(d) if now >= d => deadline_error(inner.config.deadline_ms.unwrap_or(0), attempt, last_error),
                    _ => Error::new(
                        ErrorKind::Timeout,
                        format!("no response within {timeout} ms (timeoutMs): the network or Klipy is slow; raise timeoutMs or retry"),
                    ),
                })
            }
            Raced::Done(Err(te)) => {
                inner.pacer.release(None, now);
                Err(transport_error(te))
            }
            Raced::Done(Ok(resp)) if resp.body.len() as u64 > call.max_body => {
                // A transport that ignored the cap: refuse the body all the same.
                inner.pacer.release(None, now);
                Err(too_large(call.max_body))
            }
            Raced::Done(Ok(resp)) => {
                rate_limit = self.observe_rate_limit(&resp, now);
                self.observe_shared(key, &resp, &rate_limit, now).await;
                status = Some(resp.status);
                self.decode(call, &resp, rate_limit)
            }
        };
        let result = match result {
            Ok(mut r) => {
                if let Some(id) = &mut r.request_id {
                    if let Cow::Owned(clean) = redact_text(id, key.expose()) {
                        *id = clean;
                    }
                }
                Ok(r)
            }
            Err(e) => Err(e.redact(key.expose())),
        };
        let request_id = match &result {
            Ok(r) => r.request_id.as_deref(),
            Err(e) => e.request_id.as_deref(),
        };
        self.report(op, status, attempt, duration_ms, request_id, rate_limit);
        Ok(result)
    }

    /// A response's data (2xx) or its API error.
    fn decode<D>(
        &self,
        call: &Call<'_, D>,
        resp: &HttpResponse,
        rate_limit: RateLimitInfo,
    ) -> Result<ApiResponse<D>, Error> {
        if !(200..300).contains(&resp.status) {
            let mut e = decode_api_error_for(resp, call.op.name == "authenticate");
            e.rate_limit =
                Some(rate_limit).filter(|r| r.limit.is_some() || r.remaining.is_some() || r.reset_at.is_some());
            return Err(e);
        }
        (call.decode)(resp, call.op.shape).map(|d| ApiResponse {
            data: d.data,
            request_id: d.request_id,
            status: resp.status,
            rate_limit,
            has_next_page: d.has_next_page,
            next_cursor: d.next_cursor,
        })
    }

    /// The wait before the next attempt, or `None` when `err` is final: [`classify`] decides
    /// whether it is retryable and after which wait; this checks the budget (retries left,
    /// `maxRetryWaitMs`, the deadline).
    fn retry_wait(&self, op: &Operation, err: &mut Error, max_retries: u32, deadline: Option<u64>) -> Option<u64> {
        let cfg = &self.inner.config;
        let now = self.now();
        let action = classify(err, op.replay, now);
        if err.status == Some(429) {
            err.retry_after_ms = match action {
                RetryAction::RetryAfter(ms) => Some(ms),
                _ => None,
            };
        }
        let wait = match action {
            RetryAction::NoRetry => return None,
            _ if err.attempts > max_retries => return None,
            RetryAction::RetryAfter(w) if w > cfg.max_retry_wait_ms => {
                if err.status == Some(429) {
                    err.message = format!(
                        "rate limited: Klipy asked to wait {w} ms, longer than maxRetryWaitMs ({} ms); retry after that",
                        cfg.max_retry_wait_ms
                    );
                }
                return None;
            }
            RetryAction::RetryAfter(w) => w,
            RetryAction::RetryBackoff => backoff_ms(err.attempts - 1, self.inner.random.as_ref()),
        };
        deadline.is_none_or(|d| now + wait < d).then_some(wait)
    }
}
