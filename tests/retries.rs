//! Retry decisions and waits, with a fake clock (no real sleeping).

mod common;
use common::*;
use klipy_sdk::{CancelToken, Config, ErrorKind, RequestOptions, TransportError};
use serde_json::json;

fn err(status: u16) -> Step {
    Step::json(
        status,
        json!({"object": "error", "error": {"code": "x", "message": "m"}, "meta": {"request_id": format!("req_{status}")}}),
    )
}
fn ok() -> Step {
    Step::ok(200, json!({"id": "per_1"}))
}
fn conn() -> Step {
    Step::Fail(TransportError::Connect("ECONNRESET".into()))
}

fn retry_counts(t: &ScriptedTransport) -> Vec<Option<String>> {
    t.requests().iter().map(|r| r.header("x-klipy-retry-count").map(str::to_string)).collect()
}

#[test]
fn retryable_statuses_are_retried_with_backoff_and_retry_count_header() {
    for status in [408, 429, 500, 502, 503, 504] {
        let (c, t, time) = client(vec![err(status), err(status), ok()]);
        block_on(c.people().get("per_1")).unwrap_or_else(|e| panic!("{status}: {e}"));
        assert_eq!(retry_counts(&t), vec![None, Some("1".into()), Some("2".into())], "{status}");
        assert_eq!(time.sleeps(), vec![500, 1000], "{status}: full jitter at its maximum");
        // Every attempt sends the same bytes.
        let reqs = t.requests();
        assert!(reqs.windows(2).all(|w| w[0].body == w[1].body && w[0].url == w[1].url));
    }
}

#[test]
fn gives_up_after_max_retries_with_attempts() {
    let (c, t, _) = client(vec![err(503), err(503), err(503), ok()]);
    let e = block_on(c.people().get("per_1")).unwrap_err();
    assert_eq!((e.kind(), e.status(), e.attempts()), (ErrorKind::InternalServer, Some(503), 3));
    assert_eq!(t.requests().len(), 3);
    assert_eq!(e.request_id(), Some("req_503"));
}

#[test]
fn non_retryable_statuses_fail_at_once() {
    for status in [400, 401, 403, 404, 409, 422, 501] {
        let (c, t, time) = client(vec![err(status), ok()]);
        let e = block_on(c.people().get("per_1")).unwrap_err();
        assert_eq!((e.status(), e.attempts()), (Some(status), 1));
        assert_eq!(t.requests().len(), 1);
        assert!(time.sleeps().is_empty());
        assert!(!e.is_retryable());
    }
}

#[test]
fn server_named_waits_in_order_of_preference() {
    let cases: Vec<(Step, u64)> = vec![
        (err(429).header("retry-after", "2"), 2000),
        (err(429).header("retry-after", "0.25"), 250),
        (err(429).header("retry-after", "2").header("retry-after-ms", "120"), 120),
        (err(429).header("retry-after", "Tue, 14 Nov 2023 22:13:23 GMT"), 3000),
        (err(429).header("x-ratelimit-reset", "1700000004"), 4000),
        (err(429).header("x-ratelimit-reset", "1700000004500"), 4500),
        (err(429).header("x-ratelimit-reset", "7"), 7000),
        (err(503).header("retry-after", "1"), 1000),
    ];
    for (i, (step, wait)) in cases.into_iter().enumerate() {
        let mut cfg = Config::default();
        cfg.rate_limit = klipy_sdk::RateLimitMode::Off;
        let t = ScriptedTransport::new(vec![step, ok()]);
        let (c, time) = client_with(t.clone(), cfg);
        block_on(c.people().get("per_1")).unwrap();
        assert_eq!(time.sleeps(), vec![wait], "case {i}");
    }
}

#[test]
fn wait_over_max_retry_wait_throws_rate_limit_error_at_once() {
    let (c, t, time) = client(vec![err(429).header("retry-after", "120"), ok()]);
    let e = block_on(c.people().get("per_1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimit);
    assert_eq!(e.retry_after_ms(), Some(120_000));
    assert!(e.message().contains("maxRetryWaitMs"), "{e}");
    assert_eq!((t.requests().len(), e.attempts()), (1, 1));
    assert!(time.sleeps().is_empty());
}

#[test]
fn non_idempotent_creates_are_replayed_only_when_unprocessed() {
    let person = json!({"email": "ada@example.com"});
    // A reset, a 500 or a timeout: the create may have happened, so it is not replayed.
    for step in [conn(), err(500), err(503), Step::Hang] {
        let (c, t, _) = client(vec![step, Step::ok(201, json!({"id": "per_1"}))]);
        assert!(block_on(c.people().create(&person)).is_err());
        assert_eq!(t.requests().len(), 1);
    }
    // 429 and 503 + Retry-After mean "not processed": replayed.
    for step in [err(429), err(503).header("retry-after", "1")] {
        let (c, t, _) = client(vec![step, Step::ok(201, json!({"id": "per_1"}))]);
        block_on(c.people().create(&person)).unwrap();
        assert_eq!(t.requests().len(), 2);
    }
    // An interaction with primaryId is deduped server-side, so it is replayed after a reset.
    let input = json!({"type": "EMAIL", "direction": "INBOUND", "mainContact": "per_1", "primaryId": "m-1"});
    let (c, t, _) = client(vec![conn(), Step::ok(201, json!({"id": "int_1", "isDuplicate": true}))]);
    assert!(block_on(c.interactions().create(&input)).unwrap().is_duplicate);
    assert_eq!(t.requests().len(), 2);
    let mut no_key = input.clone();
    no_key.as_object_mut().unwrap().remove("primaryId");
    let (c, t, _) = client(vec![conn(), Step::ok(201, json!({"id": "int_1"}))]);
    assert_eq!(block_on(c.interactions().create(&no_key)).unwrap_err().kind(), ErrorKind::Connection);
    assert_eq!(t.requests().len(), 1);
}

#[test]
fn connection_errors_and_timeouts_are_retried_for_safe_calls() {
    let (c, t, time) = client(vec![conn(), Step::Hang, ok()]);
    block_on(c.people().get("per_1")).unwrap();
    assert_eq!(t.requests().len(), 3);
    assert_eq!(time.sleeps(), vec![500, 30_000, 1000], "backoff, the timed-out attempt, backoff");
    let (c, _, _) = client(vec![conn(), conn(), conn()]);
    let e = block_on(c.people().get("per_1")).unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Connection, 3));
    assert_eq!(e.cause(), Some("ECONNRESET"));
    assert!(std::error::Error::source(&e).is_some());
}

#[test]
fn per_call_timeout_and_max_retries() {
    let (c, t, time) = client(vec![Step::Hang, ok()]);
    let opts = RequestOptions { timeout_ms: Some(250), max_retries: Some(0), ..Default::default() };
    let e = block_on(c.people().with_options(opts).get("per_1")).unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Timeout, 1));
    assert!(e.message().contains("250 ms"));
    assert_eq!((t.requests().len(), time.sleeps()), (1, vec![250]));
}

#[test]
fn deadline_bounds_attempts_and_waits() {
    let mut cfg = Config::default();
    cfg.deadline_ms = Some(5_000);
    cfg.max_retries = 5;
    // A wait that would pass the deadline is not taken: the last error is returned.
    let t = ScriptedTransport::new(vec![err(503).header("retry-after", "10"), ok()]);
    let (c, time) = client_with(t.clone(), cfg.clone());
    let e = block_on(c.people().get("per_1")).unwrap_err();
    assert_eq!((e.status(), e.attempts(), t.requests().len()), (Some(503), 1, 1));
    assert!(time.sleeps().is_empty());
    // An attempt is cut at the deadline.
    let t = ScriptedTransport::new(vec![err(500), Step::Hang]);
    let (c, time) = client_with(t.clone(), cfg);
    let e = block_on(c.people().get("per_1")).unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Timeout, 2));
    assert!(e.message().contains("deadline of 5000 ms"), "{e}");
    assert_eq!(time.sleeps(), vec![500, 4_500]);
}

#[test]
fn a_cancelled_call_sends_nothing_more() {
    let token = CancelToken::new();
    token.cancel();
    let (c, t, _) = client(vec![ok()]);
    let opts = RequestOptions { cancel: Some(token), ..Default::default() };
    let e = block_on(c.people().with_options(opts).get("per_1")).unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::UserAbort, 0));
    assert!(t.requests().is_empty());
}

/// A sleep that trips the token (the caller aborting mid-wait) and never ends by itself.
struct AbortingSleep(CancelToken);
impl klipy_sdk::Sleep for AbortingSleep {
    fn sleep(&self, _ms: u64) -> klipy_sdk::rt::BoxFuture<'static, ()> {
        self.0.cancel();
        Box::pin(std::future::pending())
    }
}

#[test]
fn abort_mid_backoff_rejects_without_sending_more() {
    let token = CancelToken::new();
    let t = ScriptedTransport::new(vec![err(503), ok()]);
    let c = klipy_sdk::Client::builder_with(t.clone())
        .api_key(klipy_sdk::ApiKey::new(KEY).unwrap())
        .sleep(AbortingSleep(token.clone()))
        .clock(ManualTime::new(T0))
        .build()
        .unwrap();
    let opts = RequestOptions { cancel: Some(token), ..Default::default() };
    let e = block_on(c.people().with_options(opts).get("per_1")).unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::UserAbort, 1));
    assert_eq!(t.requests().len(), 1);
}
