//! The traps a new user fell into (issue 13), pinned in the core: the 404 base-URL hint, the
//! connection-failure reason, default and reserved headers, the `on_wait` hook and log levels,
//! and messages that say what to do (in Rust terms where Rust is speaking).

mod common;
use common::*;
use klipy_sdk::{ApiKey, BulkOptions, Client, Config, ErrorKind, LogLevel, RequestOptions, Sleep, TransportError};
use serde_json::{json, Value};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A sleep that stays pending for one poll before moving the fake clock, so concurrent workers
/// are all waiting at once (as they are with a real clock).
#[derive(Clone)]
struct YieldingSleep(ManualTime);

struct YieldOnce(bool, Option<klipy_sdk::rt::BoxFuture<'static, ()>>);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if !self.0 {
            self.0 = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.1.as_mut().unwrap().as_mut().poll(cx)
    }
}

impl Sleep for YieldingSleep {
    fn sleep(&self, ms: u64) -> klipy_sdk::rt::BoxFuture<'static, ()> {
        Box::pin(YieldOnce(false, Some(self.0.sleep(ms))))
    }
}

fn client_with_hooks(t: ScriptedTransport, cfg: Config, hooks: Recorder) -> (Client<ScriptedTransport>, ManualTime) {
    let time = ManualTime::new(T0);
    let c = Client::builder_with(t)
        .config(cfg)
        .api_key(ApiKey::new(KEY).unwrap())
        .sleep(YieldingSleep(time.clone()))
        .clock(time.clone())
        .random(MaxRandom)
        .hooks(hooks)
        .build()
        .unwrap();
    (c, time)
}

fn error_body(code: &str, message: &str) -> Value {
    json!({"object": "error", "error": {"code": code, "message": message}, "meta": {"request_id": "req_1"}})
}

// --- trap 3: a base URL without /api/v1 ------------------------------------------------------

#[test]
fn a_404_for_a_missing_endpoint_points_at_the_base_url_not_the_id() {
    let (c, _, _) = client(vec![Step::json(404, error_body("not_found", "No such endpoint; see the reference."))]);
    let e = block_on(c.people().get("per_1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(e.message().contains("base URL ends in /api/v1"), "{e}");
    assert!(!e.message().contains("check the id"), "{e}");

    // A web server's own HTML 404 page (no JSON at all) is the same mistake.
    let (c, _, _) = client(vec![Step::text(404, "<html><title>404 Not Found</title></html>")]);
    let e = block_on(c.people().get("per_1")).unwrap_err();
    assert!(e.message().contains("/api/v1"), "{e}");
}

#[test]
fn any_404_on_authenticate_points_at_the_base_url() {
    let (c, _, _) = client(vec![Step::json(404, error_body("not_found", "Not found."))]);
    let e = block_on(c.authenticate()).unwrap_err();
    assert!(e.message().contains("base URL ends in /api/v1"), "{e}");
}

#[test]
fn a_404_for_a_missing_record_still_points_at_the_id() {
    let (c, _, _) = client(vec![Step::json(404, error_body("not_found", "No person with id `per_9`."))]);
    let e = block_on(c.people().get("per_9")).unwrap_err();
    assert!(e.message().contains("check the id"), "{e}");
    assert!(!e.message().contains("/api/v1"), "{e}");
}

// --- trap 4: the connection error names its reason -------------------------------------------

#[test]
fn connection_errors_name_the_reason() {
    let cases = [
        ("TypeError: fetch failed (ECONNREFUSED)", "connection refused"),
        ("TypeError: error sending request for url (http://127.0.0.1:9/): client error (Connect): tcp connect error: Connection refused (os error 111)", "connection refused"),
        ("ConnectionRefused: Unable to connect. Is the computer able to access the url?", "connection refused"),
        ("TypeError: fetch failed (ENOTFOUND)", "DNS lookup failed"),
        ("TypeError: error sending request: dns error: failed to lookup address information", "DNS lookup failed"),
        ("TypeError: fetch failed (ECONNRESET)", "connection reset"),
        ("TypeError: fetch failed (UND_ERR_SOCKET)", "connection reset"),
        ("TypeError: fetch failed (ERR_SSL_WRONG_VERSION_NUMBER)", "TLS handshake failed"),
        ("TypeError: fetch failed (UNABLE_TO_VERIFY_LEAF_SIGNATURE)", "TLS handshake failed"),
        ("TypeError: fetch failed (UND_ERR_CONNECT_TIMEOUT)", "connect timed out"),
        ("TypeError: fetch failed (EHOSTUNREACH)", "network unreachable"),
        ("TypeError: something else", "connection failed"),
    ];
    for (cause, reason) in cases {
        assert_eq!(klipy_sdk::transport::connect_reason(cause), reason, "{cause}");
        let mut cfg = Config::default();
        cfg.max_retries = 0;
        let (c, _) = client_with(ScriptedTransport::new(vec![Step::Fail(TransportError::Connect(cause.into()))]), cfg);
        let e = block_on(c.people().get("per_1")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Connection);
        assert!(e.message().contains(&format!("({reason})")), "{e}");
        assert_eq!(e.cause(), Some(cause), "the transport's own description stays the cause");
    }
}

// --- trap 6: default headers; the SDK's own headers cannot be overridden ---------------------

#[test]
fn default_headers_go_on_every_request_and_per_call_headers_win() {
    let t = ScriptedTransport::new(vec![Step::ok(200, json!({"id": "per_1"})), Step::ok(200, json!({"id": "per_1"}))]);
    let mut cfg = Config::default();
    cfg.default_headers = vec![("X-Team".into(), "sales".into()), ("x-trace".into(), "a".into())];
    let (c, _) = client_with(t.clone(), cfg);
    block_on(c.people().get("per_1")).unwrap();
    let opts = RequestOptions { headers: vec![("X-Trace".into(), "b".into())], ..Default::default() };
    block_on(c.execute(&klipy_sdk::request::get(klipy_sdk::request::Resource::People, "per_1").unwrap(), &opts))
        .unwrap();
    let reqs = t.requests();
    assert_eq!((reqs[0].header("x-team"), reqs[0].header("x-trace")), (Some("sales"), Some("a")));
    assert_eq!((reqs[1].header("x-team"), reqs[1].header("x-trace")), (Some("sales"), Some("b")));
}

#[test]
fn the_key_user_agent_and_retry_count_headers_cannot_be_overridden() {
    for name in ["x-klipy-api-key", "Authorization", "user-agent", "X-Klipy-Retry-Count"] {
        let (c, t, _) = client(vec![Step::ok(200, json!({"id": "per_1"}))]);
        let opts = RequestOptions { headers: vec![(name.into(), "x".into())], ..Default::default() };
        let op = klipy_sdk::request::get(klipy_sdk::request::Resource::People, "per_1").unwrap();
        let e = block_on(c.execute(&op, &opts)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{name}");
        assert!(e.message().contains("cannot be overridden"), "{e}");
        assert!(t.requests().is_empty(), "nothing was sent");

        let mut cfg = Config::default();
        cfg.default_headers = vec![(name.into(), "x".into())];
        let built =
            Client::builder_with(ScriptedTransport::new(vec![])).config(cfg).api_key(ApiKey::new(KEY).unwrap()).build();
        let e = built.unwrap_err();
        assert!(e.message().contains("defaultHeaders") && e.message().contains("cannot be overridden"), "{e}");
    }
}

// --- trap 7: every wait is reported; one pacing line per window; failures at debug ----------

#[test]
fn every_wait_reaches_on_wait_with_its_reason() {
    let hooks = Recorder::default();
    let t = ScriptedTransport::new(vec![
        Step::json(503, error_body("unavailable", "busy")),
        Step::ok(200, json!({"id": "per_1"}))
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", "1700000010"),
        Step::ok(200, json!({"id": "per_1"})),
    ]);
    let (c, _) = client_with_hooks(t, Config::default(), hooks.clone());
    block_on(c.people().get("per_1")).unwrap();
    block_on(c.people().get("per_1")).unwrap();
    let waits = hooks.waits.lock().unwrap().clone();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert_eq!((waits[0].0.as_str(), waits[0].1, waits[0].2.as_deref()), ("retry", 500, Some("req_1")));
    assert_eq!((waits[1].0.as_str(), waits[1].2.as_deref()), ("rate_limit", None));
    assert!(waits[1].1 >= 9_000, "the wait until the window resets: {waits:?}");
}

#[test]
fn concurrent_workers_waiting_for_one_window_log_one_line() {
    let hooks = Recorder::default();
    let reset = ((T0 + 10_000) / 1000).to_string();
    let t = window_transport(3, reset);
    let (c, _) = client_with_hooks(t, Config::default(), hooks.clone());
    let inputs: Vec<_> = (0..8).map(|i| json!({"email": format!("p{i}@x.co")})).collect();
    let r = block_on(c.people().upsert_many(&inputs, BulkOptions { concurrency: 8, ..Default::default() }));
    assert_eq!(r.failed.len(), 0);
    let rate_waits = hooks.waits.lock().unwrap().iter().filter(|w| w.0 == "rate_limit").count();
    assert!(rate_waits >= 2, "several workers waited ({rate_waits}), each one told on_wait");
    let lines = hooks.lines(LogLevel::Info, "pacing: waiting for the rate-limit window to reset");
    assert_eq!(lines, 1, "one pacing line per window, not one per worker: {:?}", hooks.logs.lock().unwrap());
}

#[test]
fn a_failure_the_caller_receives_is_logged_at_debug_only() {
    let hooks = Recorder::default();
    let t = ScriptedTransport::new(vec![Step::json(404, error_body("not_found", "No person with id `x`."))]);
    let (c, _) = client_with_hooks(t, Config::default(), hooks.clone());
    block_on(c.people().get("x")).unwrap_err();
    let logs = hooks.logs.lock().unwrap().clone();
    assert!(logs.iter().all(|(l, _)| *l == LogLevel::Debug), "{logs:?}");
    assert_eq!(hooks.lines(LogLevel::Debug, "request failed"), 1);
}

// --- trap 8: messages ------------------------------------------------------------------------

#[test]
fn an_html_200_does_not_say_retry_later_when_it_is_not_retryable() {
    let (c, _, _) = client(vec![Step::text(200, "<html><body>Welcome</body></html>")]);
    let e = block_on(c.people().get("per_1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert!(!e.is_retryable());
    assert!(!e.message().contains("retry"), "{e}");
    assert!(e.message().contains("base URL"), "{e}");
}

#[test]
fn the_401_message_does_not_repeat_itself() {
    let body = error_body("invalid_api_key", "Invalid API key: it is unknown, expired or revoked.");
    let (c, _, _) = client(vec![Step::json(401, body)]);
    let e = block_on(c.people().get("per_1")).unwrap_err();
    let m = e.message();
    assert_eq!(m.matches("expired").count(), 1, "{m}");
    assert!(m.contains("KLIPY_API_KEY"), "{m}");
}

#[test]
fn rust_messages_speak_rust() {
    let e = Client::builder_with(ScriptedTransport::new(vec![])).build().unwrap_err();
    assert!(e.message().contains(".api_key(…) on the builder"), "{e}");
    assert!(!e.message().contains("apiKey"), "{e}");
    let e = ApiKey::new("  ").unwrap_err();
    assert!(!e.message().contains("apiKey"), "{e}");
    assert!(e.message().contains("KLIPY_API_KEY"), "{e}");
}

/// The key's shape is checked once, here, for every binding (the npm package hands keys over
/// as given): surrounding whitespace goes, anything inside is refused without echoing the key.
#[test]
fn a_key_is_trimmed_and_its_inside_checked_without_echoing_it() {
    assert_eq!(ApiKey::new(" klipy_api_abc123\r\n").unwrap().expose(), "klipy_api_abc123");
    for (bad, says) in [
        ("klipy_api_x\r\nX-Evil: 1", "line break"),
        ("klipy_api one", "whitespace"),
        ("klipy_api_clé", "non-ASCII"),
        (" \t\n", "empty or blank"),
    ] {
        let e = ApiKey::new(bad).unwrap_err();
        assert!(e.message().contains(says), "{e}");
        assert!(!e.message().contains("klipy_api"), "{e}");
    }
}
