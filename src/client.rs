//! [`Client`] and its builder; the send loop: pace → attempt → classify → wait → retry.

use crate::cancel::CancelToken;
use crate::config::{ApiKey, AuthScheme, Config, IntoApiKey};
use crate::error::{redact_text, Error, ErrorKind, RateLimitInfo};
use crate::ratelimit::{Pacer, Permit};
use crate::request::Operation;
use crate::response::{decode_api_error_for, decode_success, read_rate_limit, SuccessDecoder};
use crate::retry::{backoff_ms, reason, server_wait_ms, should_retry};
use crate::rt::{BoxFuture, Clock, MaybeSendSync, Random, Sleep};
use crate::transport::{HttpRequest, Transport, TransportError};
use serde_json::Value;
use std::borrow::Cow;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::Poll;

/// Supplies the API key before each request (so rotated keys work).
///
/// The lookup is part of the call: it counts against the attempt's timeout and the call's
/// deadline, and holds no pacing slot while it runs.
pub trait KeyProvider: MaybeSendSync {
    /// The key to send now.
    fn api_key(&self) -> BoxFuture<'_, Result<ApiKey, Error>>;
    /// The key, when it is fixed and known without waiting (then no timer is armed for it).
    fn fixed(&self) -> Option<&ApiKey> {
        None
    }
}

impl KeyProvider for ApiKey {
    fn api_key(&self) -> BoxFuture<'_, Result<ApiKey, Error>> {
        let k = self.clone();
        Box::pin(async move { Ok(k) })
    }
    fn fixed(&self) -> Option<&ApiKey> {
        Some(self)
    }
}

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

/// Per-call options.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// Overrides the client's per-attempt timeout.
    pub timeout_ms: Option<u64>,
    /// Overrides the client's retry count.
    pub max_retries: Option<u32>,
    /// Overrides the client's response body cap, in bytes.
    pub max_response_bytes: Option<u64>,
    /// Extra headers (over the client's default headers; the key, user-agent and retry-count
    /// headers are refused).
    pub headers: Vec<(String, String)>,
    /// Cancels the call.
    pub cancel: Option<CancelToken>,
}

impl RequestOptions {
    /// Checks header names and values (no line breaks, no non-ASCII, none the SDK owns: see
    /// [`crate::options::RESERVED_HEADERS`]) and the numbers.
    ///
    /// # Errors
    /// A [`ErrorKind::Config`] error naming the bad option.
    pub fn validate(&self) -> Result<(), Error> {
        crate::options::check_headers("headers", &self.headers)?;
        if self.timeout_ms == Some(0) {
            return Err(Error::config("timeoutMs must be a positive number of milliseconds"));
        }
        if self.max_retries.is_some_and(|n| n > 10) {
            return Err(Error::config("maxRetries must be 0..=10"));
        }
        if let Some(n) = self.max_response_bytes {
            crate::config::validate_max_response_bytes(n)?;
        }
        Ok(())
    }
}

/// A decoded response with its metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse<T> {
    /// The envelope's `data`.
    pub data: T,
    /// The request id.
    pub request_id: Option<String>,
    /// HTTP status.
    pub status: u16,
    /// Rate-limit headers (`reset_at` in epoch ms).
    pub rate_limit: RateLimitInfo,
    /// For lists: whether another page follows.
    pub has_next_page: bool,
    /// For lists: the next cursor.
    pub next_cursor: Option<String>,
}

pub(crate) struct Inner<T> {
    transport: T,
    pub(crate) config: Config,
    key: Box<dyn KeyProvider>,
    pub(crate) sleep: Box<dyn Sleep>,
    pub(crate) clock: Box<dyn Clock>,
    random: Box<dyn Random>,
    hooks: Box<dyn Hooks>,
    pacer: Pacer,
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

/// Builds a [`Client`].
pub struct ClientBuilder<T: Transport> {
    transport: T,
    config: Config,
    key: Option<Box<dyn KeyProvider>>,
    sleep: Option<Box<dyn Sleep>>,
    clock: Option<Box<dyn Clock>>,
    random: Option<Box<dyn Random>>,
    hooks: Box<dyn Hooks>,
    /// The base URL given to [`ClientBuilder::base_url`] (checked), applied over the config.
    base_url: Option<String>,
    /// The first bad option given to a setter, reported by `build`.
    error: Option<Error>,
}

impl<T: Transport> Client<T> {
    /// Starts building a client over `transport`: your own [`Transport`] (see its duties), or a
    /// test double. With the `reqwest` feature, `Client::builder()` needs no transport.
    pub fn builder_with(transport: T) -> ClientBuilder<T> {
        ClientBuilder {
            transport,
            config: Config::default(),
            key: None,
            sleep: None,
            clock: None,
            random: None,
            hooks: Box::new(NoHooks),
            base_url: None,
            error: None,
        }
    }

    /// The options in use.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }
}

impl<T: Transport> ClientBuilder<T> {
    /// Sets all options at once (a base URL given to [`ClientBuilder::base_url`], before or
    /// after, wins over the config's).
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }
    /// Sets a fixed API key: an [`ApiKey`] or a string (checked by [`ClientBuilder::build`]).
    pub fn api_key(mut self, key: impl IntoApiKey) -> Self {
        match key.into_api_key() {
            Ok(k) => self.key = Some(Box::new(k)),
            Err(e) => self = self.fail(e),
        }
        self
    }
    /// Sets the base URL: `https:`, or `http:` to a loopback host (checked by
    /// [`ClientBuilder::build`]).
    pub fn base_url(mut self, url: &str) -> Self {
        let mut checked = Config::default();
        match checked.set_base_url(url) {
            Ok(()) => self.base_url = Some(checked.base_url),
            Err(e) => self = self.fail(e),
        }
        self
    }
    /// Records a bad option; `build` reports the first one.
    pub(crate) fn fail(mut self, e: Error) -> Self {
        self.error.get_or_insert(e);
        self
    }
    /// Sets a provider called before each request.
    pub fn key_provider(mut self, provider: impl KeyProvider + 'static) -> Self {
        self.key = Some(Box::new(provider));
        self
    }
    /// Injects the sleep.
    pub fn sleep(mut self, sleep: impl Sleep + 'static) -> Self {
        self.sleep = Some(Box::new(sleep));
        self
    }
    /// Injects the clock.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Box::new(clock));
        self
    }
    /// Injects randomness.
    pub fn random(mut self, random: impl Random + 'static) -> Self {
        self.random = Some(Box::new(random));
        self
    }
    /// Sets the hooks.
    pub fn hooks(mut self, hooks: impl Hooks + 'static) -> Self {
        self.hooks = Box::new(hooks);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`ErrorKind::Config`] when no key was given, the key or base URL was refused, an option
    /// is out of range, or (on wasm) no sleep or clock was injected.
    pub fn build(mut self) -> Result<Client<T>, Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if let Some(url) = self.base_url {
            self.config.base_url = url;
        }
        self.config.validate()?;
        let key = self.key.ok_or_else(|| {
            Error::config(
                "no API key: call .api_key(…) on the builder, or set KLIPY_API_KEY and use Client::from_env()",
            )
        })?;
        #[cfg(not(target_arch = "wasm32"))]
        let (sleep, clock): (Box<dyn Sleep>, Box<dyn Clock>) = (
            self.sleep.unwrap_or_else(|| Box::new(crate::rt::ThreadSleep)),
            self.clock.unwrap_or_else(|| Box::new(crate::rt::SystemClock)),
        );
        #[cfg(target_arch = "wasm32")]
        let (sleep, clock) = match (self.sleep, self.clock) {
            (Some(s), Some(c)) => (s, c),
            _ => return Err(Error::config("on wasm a Sleep and a Clock must be injected")),
        };
        let random = self.random.unwrap_or_else(|| Box::new(crate::rt::XorShiftRandom::new(clock.now_ms())));
        let pacer = Pacer::new(self.config.rate_limit);
        let user_agent = self.config.user_agent_header();
        Ok(Client {
            inner: Arc::new(Inner {
                transport: self.transport,
                config: self.config,
                key,
                sleep,
                clock,
                random,
                hooks: self.hooks,
                pacer,
                user_agent,
                warned_reset: AtomicBool::new(false),
                pacing_logged_until: AtomicU64::new(0),
            }),
        })
    }
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

fn aborted(attempts: u32) -> Error {
    let mut e = Error::user_abort("the call was aborted by its signal; nothing more was sent");
    e.attempts = attempts;
    e
}

fn deadline_error(deadline_ms: u64, attempts: u32, last: Option<&Error>) -> Error {
    let mut e = Error::new(
        ErrorKind::Timeout,
        format!("the call's deadline of {deadline_ms} ms passed: raise deadlineMs or retry later"),
    );
    e.attempts = attempts;
    if let Some(last) = last {
        e.request_id = last.request_id.clone();
        e.cause = Some(crate::error::Cause::new(last.to_string()));
    }
    e
}

impl<T: Transport> Client<T> {
    fn now(&self) -> u64 {
        self.inner.clock.now_ms()
    }

    /// Logs a line; `fields` is only evaluated when a logger listens (the hot path stays
    /// allocation-free otherwise).
    fn log<const N: usize>(&self, level: LogLevel, message: &str, fields: impl FnOnce() -> [(&'static str, Value); N]) {
        if self.inner.hooks.log_enabled() {
            self.inner.hooks.log(level, message, &fields());
        }
    }

    /// Waits until the pacer lets one request go. Holds a pacing slot on success.
    async fn pace(&self, deadline: Option<u64>, cancel: Option<&CancelToken>, attempts: u32) -> Result<(), Error> {
        let inner = &self.inner;
        loop {
            if let Raced::Cancelled = race(inner.pacer.slot(), None, cancel).await {
                return Err(aborted(attempts));
            }
            let now = self.now();
            let wait = match inner.pacer.try_acquire(now) {
                Permit::Go => return Ok(()),
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

    /// The key for the next attempt. A key provider's lookup is raced against the attempt's
    /// timeout and the deadline (and cancellation), and holds no pacing slot while it runs.
    async fn lookup_key(
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
        let inner = &self.inner;
        let cfg = &inner.config;
        let cancel = opts.cancel.as_ref();
        let start = self.now();
        let deadline = cfg.deadline_ms.map(|d| start + d);
        let max_retries = opts.max_retries.unwrap_or(cfg.max_retries);
        let timeout_ms = opts.timeout_ms.unwrap_or(cfg.timeout_ms);
        let max_body = opts.max_response_bytes.unwrap_or(cfg.max_response_bytes);
        let url = op.url(&cfg.base_url);
        let mut attempts: u32 = 0;
        let mut last_error: Option<Error> = None;
        loop {
            if cancel.is_some_and(CancelToken::is_cancelled) {
                return Err(aborted(attempts));
            }
            let key_started = self.now();
            let key = self.lookup_key(timeout_ms, deadline, cancel, attempts).await?;
            let key_ms = self.now().saturating_sub(key_started);
            self.pace(deadline, cancel, attempts).await?;
            let now = self.now();
            let remaining = deadline.map(|d| d.saturating_sub(now));
            if remaining == Some(0) {
                inner.pacer.release_unsent();
                return Err(deadline_error(cfg.deadline_ms.unwrap_or(0), attempts, last_error.as_ref()));
            }
            // The key lookup counted against this attempt's timeout.
            let budget = timeout_ms.saturating_sub(key_ms).max(1);
            let attempt_timeout = remaining.map_or(budget, |r| r.min(budget));
            let request = self.http_request(op, &url, &key, opts, attempts, attempt_timeout);
            attempts += 1;
            inner.hooks.on_request(&RequestEvent {
                operation: op.name,
                method: op.method.as_str(),
                url: &request.url,
                attempt: attempts,
            });
            self.log(LogLevel::Debug, "sending request", || {
                [("method", op.method.as_str().into()), ("path", op.path.clone().into()), ("attempt", attempts.into())]
            });
            let sent_at = self.now();
            let outcome = race(inner.transport.send(request), Some(inner.sleep.sleep(attempt_timeout)), cancel).await;
            let now = self.now();
            let duration_ms = now.saturating_sub(sent_at);
            let mut status = None;
            let mut rate_limit = RateLimitInfo::default();
            let result: Result<ApiResponse<D>, Error> = match outcome {
                Raced::Cancelled => {
                    inner.pacer.release(None, now);
                    self.report(op, None, attempts, duration_ms, None, rate_limit);
                    return Err(aborted(attempts));
                }
                Raced::TimedOut => {
                    inner.pacer.release(None, now);
                    if deadline.is_some_and(|d| now >= d) {
                        Err(deadline_error(cfg.deadline_ms.unwrap_or(0), attempts, last_error.as_ref()))
                    } else {
                        Err(Error::new(
                            ErrorKind::Timeout,
                            format!("no response within {attempt_timeout} ms (timeoutMs): the network or Klipy is slow; raise timeoutMs or retry"),
                        ))
                    }
                }
                Raced::Done(Err(te)) => {
                    inner.pacer.release(None, now);
                    Err(transport_error(te))
                }
                Raced::Done(Ok(resp)) if resp.body.len() as u64 > max_body => {
                    // A transport that ignored the cap: refuse the body all the same.
                    inner.pacer.release(None, now);
                    Err(too_large(max_body))
                }
                Raced::Done(Ok(resp)) => {
                    let implausible;
                    (rate_limit, implausible) = read_rate_limit(&resp, Some(now));
                    if implausible && !inner.warned_reset.swap(true, Ordering::Relaxed) {
                        self.log(LogLevel::Warn, "ignoring an implausible X-RateLimit-Reset: more than 120 s ahead, though the window is one minute (warned once per client)", || []);
                    }
                    inner.pacer.release(Some(rate_limit), now);
                    status = Some(resp.status);
                    if (200..300).contains(&resp.status) {
                        decode(&resp, op.shape).map(|d| ApiResponse {
                            data: d.data,
                            request_id: d.request_id,
                            status: resp.status,
                            rate_limit,
                            has_next_page: d.has_next_page,
                            next_cursor: d.next_cursor,
                        })
                    } else {
                        let mut e = decode_api_error_for(&resp, op.name == "authenticate");
                        e.rate_limit = Some(rate_limit)
                            .filter(|r| r.limit.is_some() || r.remaining.is_some() || r.reset_at.is_some());
                        Err(e)
                    }
                }
            };
            // Everything taken from the response is scrubbed of the key before any hook, log
            // line or error sees it (a hostile server may echo it anywhere).
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
                Ok(r) => r.request_id.clone(),
                Err(e) => e.request_id.clone(),
            };
            self.report(op, status, attempts, duration_ms, request_id.as_deref(), rate_limit);
            let mut err = match result {
                Ok(r) => return Ok(r),
                Err(e) => e,
            };
            err.attempts = attempts;
            let server_wait = server_wait_ms(&err.headers, err.status, now);
            if err.status == Some(429) {
                err.retry_after_ms = server_wait;
            }
            let decode_failure = err.kind == ErrorKind::Decode;
            if decode_failure || !should_retry(&err, op.replay) || attempts > max_retries {
                self.log_failure(op, &err);
                return Err(err);
            }
            if let Some(w) = server_wait.filter(|w| *w > cfg.max_retry_wait_ms) {
                if err.status == Some(429) {
                    err.message = format!(
                        "rate limited: Klipy asked to wait {w} ms, longer than maxRetryWaitMs ({} ms); retry after that",
                        cfg.max_retry_wait_ms
                    );
                }
                self.log_failure(op, &err);
                return Err(err);
            }
            let wait = server_wait.unwrap_or_else(|| backoff_ms(attempts - 1, inner.random.as_ref()));
            if deadline.is_some_and(|d| now + wait >= d) {
                self.log_failure(op, &err);
                return Err(err);
            }
            let why = reason(&err);
            inner.hooks.on_retry(&RetryEvent {
                attempt: attempts + 1,
                delay_ms: wait,
                reason: &why,
                request_id: err.request_id.as_deref(),
            });
            self.log(LogLevel::Warn, "retrying", || {
                [
                    ("method", op.method.as_str().into()),
                    ("path", op.path.clone().into()),
                    ("attempt", (attempts + 1).into()),
                    ("waitMs", wait.into()),
                    ("reason", why.into()),
                    ("requestId", err.request_id.clone().map_or(Value::Null, Value::String)),
                ]
            });
            inner.hooks.on_wait(&WaitEvent {
                reason: WaitReason::Retry,
                ms: wait,
                request_id: err.request_id.as_deref(),
            });
            last_error = Some(err);
            if let Raced::Cancelled = race(inner.sleep.sleep(wait), None, cancel).await {
                return Err(aborted(attempts));
            }
        }
    }

    fn report(
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

    fn log_failure(&self, op: &Operation, err: &Error) {
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
}

fn transport_error(te: TransportError) -> Error {
    match te {
        TransportError::Connect(c) => Error::new(
            ErrorKind::Connection,
            format!(
                "could not reach Klipy ({}): check the network and the base URL, then retry",
                crate::transport::connect_reason(&c)
            ),
        )
        .with_cause(c),
        TransportError::Timeout => Error::new(ErrorKind::Timeout, "the request timed out: raise timeoutMs or retry"),
        TransportError::Aborted => Error::user_abort("the request was aborted"),
        TransportError::Redirect(status) => {
            let mut e = Error::new(
                ErrorKind::Api,
                format!("Klipy answered with a redirect ({status}); the SDK does not follow redirects, which would carry the API key elsewhere: check baseUrl"),
            );
            e.status = Some(status);
            e
        }
        TransportError::Invalid(c) => Error::config(format!("the fetch option misbehaved: {c}")),
        TransportError::TooLarge(limit) => too_large(limit),
        TransportError::Other(c) => Error::new(ErrorKind::Connection, "the request could not be sent").with_cause(c),
    }
}

/// The error for a body over the cap: a decode error, never retried.
fn too_large(limit: u64) -> Error {
    let mut e = Error::new(
        ErrorKind::Decode,
        format!("the response body is larger than maxResponseBytes ({limit} bytes) and was not read: raise maxResponseBytes if the body is expected to be that large"),
    );
    e.code = Some("response_too_large".into());
    e
}
