//! A hostile server must not hurt the caller: bounded bodies, plausible rate-limit state only, a key
//! lookup that is part of the call, paths that stay under the base URL, echoed secrets redacted,
//! records that are records, and pagination that cannot loop. One row per case: what the server
//! sent, what the caller got, how many requests went out.
#![cfg(not(target_arch = "wasm32"))] // plain #[test]s, and a watchdog thread

mod common;
use common::*;
use futures_util::StreamExt;
use klipy_sdk::request::{self, QueryParams, Resource};
use klipy_sdk::rt::{BoxFuture, Sleep};
use klipy_sdk::{
    ApiKey, Client, Config, Error, ErrorKind, KeyProvider, LogLevel, RateLimitMode, RequestOptions, TransportError,
};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU32, Ordering};

fn config(f: impl FnOnce(&mut Config)) -> Config {
    let mut c = Config::default();
    f(&mut c);
    c
}

fn get(c: &Client<ScriptedTransport>) -> Result<Value, Error> {
    block_on(c.execute(&request::get(Resource::People, "per_1").unwrap(), &RequestOptions::default())).map(|r| r.data)
}

// ---- body size ----------------------------------------------------------------------------

#[test]
fn a_body_over_the_cap_is_a_decode_error_and_not_retried() {
    let (c, t, _) = client(vec![Step::Fail(TransportError::TooLarge(16 * 1024 * 1024)), Step::ok(200, json!({}))]);
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
    assert_eq!(e.code(), Some("response_too_large"));
    assert!(!e.is_retryable());
    assert_eq!(e.attempts(), 1);
    assert_eq!(t.requests().len(), 1);
    assert_eq!(t.requests()[0].max_response_bytes, 16 * 1024 * 1024, "the default cap reaches the transport");
}

#[test]
fn the_core_refuses_an_over_cap_body_a_transport_let_through() {
    let (c, t, _) = client(vec![Step::text(200, &"x".repeat(2_000))]);
    let opts = RequestOptions { max_response_bytes: Some(1_000), ..Default::default() };
    let e = block_on(c.execute(&request::get(Resource::People, "per_1").unwrap(), &opts)).unwrap_err();
    assert_eq!(e.code(), Some("response_too_large"));
    assert_eq!(t.requests()[0].max_response_bytes, 1_000, "the per-call cap reaches the transport");
}

#[test]
fn max_response_bytes_out_of_range_is_a_config_error() {
    for n in [0, 256 * 1024 * 1024 + 1] {
        let cfg = config(|c| c.max_response_bytes = n);
        let e = Client::builder_with(ScriptedTransport::new([])).config(cfg).api_key(ApiKey::new(KEY).unwrap()).build();
        assert_eq!(e.unwrap_err().kind(), ErrorKind::Config, "{n}");
        let (c, t, _) = client(vec![]);
        let opts = RequestOptions { max_response_bytes: Some(n), ..Default::default() };
        let e = block_on(c.execute(&request::get(Resource::People, "p").unwrap(), &opts)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config, "{n}");
        assert!(e.message().contains("maxResponseBytes"), "{e}");
        assert!(t.requests().is_empty());
    }
}

// ---- rate-limit plausibility --------------------------------------------------------------

fn spent(reset: &str) -> Step {
    Step::ok(200, json!({"id": "per_1"}))
        .header("x-ratelimit-limit", "200")
        .header("x-ratelimit-remaining", "0")
        .header("x-ratelimit-reset", reset)
}

#[test]
fn an_implausible_reset_is_ignored_and_warned_once() {
    // seconds from now (8 h), epoch seconds (year 5138), epoch ms (year 5138): none bricks the client.
    for reset in ["30000", "99999999999", "99999999999999"] {
        let steps = vec![spent(reset), spent(reset), Step::ok(200, json!({"id": "per_1"}))];
        let t = ScriptedTransport::new(steps);
        let logs = Recorder::default();
        let time = ManualTime::new(T0);
        let c = Client::builder_with(t.clone())
            .api_key(ApiKey::new(KEY).unwrap())
            .sleep(time.clone())
            .clock(time.clone())
            .hooks(logs.clone())
            .build()
            .unwrap();
        for _ in 0..3 {
            get(&c).unwrap();
        }
        assert_eq!(t.requests().len(), 3, "{reset}");
        assert!(time.sleeps().is_empty(), "{reset}: no pacing wait, got {:?}", time.sleeps());
        let warns =
            logs.logs.lock().unwrap().iter().filter(|(l, m)| *l == LogLevel::Warn && m.contains("implausible")).count();
        assert_eq!(warns, 1, "{reset}: one warning per client");
    }
}

#[test]
fn a_plausible_reset_is_honoured_and_pacing_waits_are_capped_at_one_window() {
    for (reset, expected_wait) in [("10", 10_025), ("119", 60_000)] {
        let (c, t, time) = client(vec![spent(reset), Step::ok(200, json!({"id": "per_1"}))]);
        get(&c).unwrap();
        get(&c).unwrap();
        assert_eq!(t.requests().len(), 2);
        assert_eq!(time.sleeps(), vec![expected_wait], "reset {reset}");
    }
}

#[test]
fn a_429_with_an_implausible_reset_backs_off_instead() {
    let (c, t, time) = client(vec![
        Step::json(429, json!({"error": {"code": "rate_limited"}})).header("x-ratelimit-reset", "99999999999"),
        Step::ok(200, json!({"id": "per_1"})),
    ]);
    get(&c).unwrap();
    assert_eq!(t.requests().len(), 2);
    assert_eq!(time.sleeps(), vec![500], "full-jitter backoff (MaxRandom), not the implausible reset");
}

#[test]
fn garbage_rate_limit_numbers_are_ignored() {
    for bad in ["-1", "abc", "1e400", "NaN", "0x10", ""] {
        let step = Step::ok(200, json!({"id": "p"}))
            .header("x-ratelimit-limit", bad)
            .header("x-ratelimit-remaining", bad)
            .header("x-ratelimit-reset", "30");
        let (c, t, time) = client(vec![step, Step::ok(200, json!({"id": "p"}))]);
        let r = block_on(c.execute(&request::get(Resource::People, "p").unwrap(), &RequestOptions::default())).unwrap();
        assert_eq!((r.rate_limit.limit, r.rate_limit.remaining), (None, None), "{bad:?}");
        get(&c).unwrap();
        assert_eq!(t.requests().len(), 2);
        assert!(time.sleeps().is_empty(), "{bad:?}");
    }
}

#[test]
fn a_rate_limit_error_raised_before_sending_has_no_status() {
    let cfg = config(|c| c.max_retry_wait_ms = 1_000);
    let (c, time) = client_with(ScriptedTransport::new(vec![spent("30")]), cfg);
    get(&c).unwrap();
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimit);
    assert_eq!(e.status(), None, "nothing was sent: no fake status");
    assert_eq!(e.attempts(), 0);
    assert!(time.sleeps().is_empty());
}

// ---- the key lookup is part of the call ---------------------------------------------------

/// A key provider that never settles on its first call and answers at once afterwards.
struct HangsOnce(AtomicU32);
impl KeyProvider for HangsOnce {
    fn api_key(&self) -> BoxFuture<'_, Result<ApiKey, Error>> {
        if self.0.fetch_add(1, Ordering::SeqCst) == 0 {
            Box::pin(futures_util::future::pending())
        } else {
            Box::pin(async { ApiKey::new(KEY) })
        }
    }
}

fn hanging_key_client(
    cfg: Config,
    sleep: impl Sleep + 'static,
    clock: ManualTime,
) -> (Client<ScriptedTransport>, ScriptedTransport) {
    let t = ScriptedTransport::with_handler(|_| Step::ok(200, json!({"id": "per_1"})));
    let c = Client::builder_with(t.clone())
        .config(cfg)
        .key_provider(HangsOnce(AtomicU32::new(0)))
        .sleep(sleep)
        .clock(clock)
        .build()
        .unwrap();
    (c, t)
}

#[test]
fn a_key_function_that_never_settles_times_out_with_timeout_ms() {
    let cfg = config(|c| c.timeout_ms = 1_500);
    let time = ManualTime::new(T0);
    let (c, t) = hanging_key_client(cfg, time.clone(), time.clone());
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.message().contains("1500 ms"), "{e}");
    assert_eq!(time.sleeps(), vec![1_500]);
    assert!(t.requests().is_empty());
    get(&c).unwrap(); // the next call's lookup answers: nothing was left held
}

#[test]
fn a_key_function_that_never_settles_is_bounded_by_the_deadline() {
    let cfg = config(|c| c.deadline_ms = Some(1_000));
    let time = ManualTime::new(T0);
    let (c, t) = hanging_key_client(cfg, time.clone(), time.clone());
    let e = get(&c).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert!(e.message().contains("deadline"), "{e}");
    assert_eq!(time.sleeps(), vec![1_000]);
    assert!(t.requests().is_empty());
}

/// A sleep that never ends: nothing times out, so only the slot logic decides.
struct NeverSleep;
impl Sleep for NeverSleep {
    fn sleep(&self, _ms: u64) -> BoxFuture<'static, ()> {
        Box::pin(futures_util::future::pending())
    }
}

#[test]
fn a_pending_key_lookup_holds_no_concurrency_slot() {
    let cfg = config(|c| c.rate_limit = RateLimitMode::Bucket { requests_per_minute: 0, max_concurrency: 1 });
    let (c, t) = hanging_key_client(cfg, NeverSleep, ManualTime::new(T0));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // The first call's key never comes; the second must still go out.
        let (a, b) = (request::get(Resource::People, "a").unwrap(), request::get(Resource::People, "b").unwrap());
        let opts = RequestOptions::default();
        let first = c.execute(&a, &opts);
        let second = c.execute(&b, &opts);
        let done = block_on(async {
            futures_util::pin_mut!(first);
            futures_util::pin_mut!(second);
            futures_util::future::select(first, second).await.factor_first().0.is_ok()
        });
        let _ = tx.send(done);
    });
    let done = rx.recv_timeout(std::time::Duration::from_secs(10)).expect("the second call hung behind the first");
    assert!(done);
    assert_eq!(t.requests().len(), 1);
    assert!(t.requests()[0].url.ends_with("/people/b"));
}

// ---- paths stay under the base URL --------------------------------------------------------

#[test]
fn raw_paths_that_escape_the_base_path_are_refused() {
    let escapes = [
        "/.%2e/.%2e/admin",
        "/%2e./%2E./admin",
        "/x\\..\\..\\admin",
        "/%2e%2e/admin",
        "/../admin",
        "/./people",
        "/people/%2E",
        "/people%2F..%2Fadmin",
        "/people/%2f",
        "/people/%5c..",
        "/people/a%5Cb",
    ];
    for path in escapes {
        let (c, t, _) = client(vec![]);
        let e = request::raw("GET", path, None, None)
            .and_then(|op| block_on(c.execute(&op, &RequestOptions::default())))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Validation, "{path}");
        assert_eq!(e.field(), Some("path"), "{path}");
        assert!(t.requests().is_empty(), "{path}");
    }
    for fine in ["/people/query", "/people/per_1", "/people/a%20b", "/x/.well", "/a/..b", "/%2e%2e%2e"] {
        assert!(request::raw("GET", fine, None, None).is_ok(), "{fine}");
    }
}

// ---- echoed secrets -----------------------------------------------------------------------

#[test]
fn secrets_echoed_anywhere_in_a_response_are_redacted() {
    // A key with a quote and a backslash, so its JSON-escaped form differs from it.
    let key = "sk_q\"uo\\te_9f8e7d";
    let escaped = &Value::from(key).to_string()[1..key.len() + 3];
    let echo = |status: u16| {
        Step::json(
            status,
            json!({
                "error": {"code": format!("bad_{key}"), "message": format!("key {key}"), "details": {key: [key], "n": format!("x{escaped}x")}},
                "meta": {"request_id": format!("req_{key}")}
            }),
        )
        .header(&format!("x-{key}"), key)
        .header("x-request-id", &format!("req_{key}"))
    };
    let steps = vec![
        echo(503).header("retry-after", "1"),
        echo(404),
        Step::ok(200, json!({"id": "p"})).header("x-request-id", key),
        Step::json(
            200,
            json!({"object": "success", "data": {"id": "p"}, "meta": {"request_id": format!("r {escaped}")}}),
        ),
    ];
    let rec = Recorder::default();
    let time = ManualTime::new(T0);
    let c = Client::builder_with(ScriptedTransport::new(steps))
        .api_key(ApiKey::new(key).unwrap())
        .sleep(time.clone())
        .clock(time)
        .hooks(rec.clone())
        .build()
        .unwrap();
    let e = get(&c).unwrap_err();
    let mut texts = vec![
        e.to_string(),
        format!("{e:?}"),
        format!("{:?}", e.code()),
        format!("{:?}", e.request_id()),
        format!("{:?}", e.headers()),
        format!("{:?}", e.details()),
    ];
    for _ in 0..2 {
        let r = block_on(c.execute(&request::get(Resource::People, "p").unwrap(), &RequestOptions::default())).unwrap();
        texts.push(format!("{:?}", r.request_id));
    }
    texts.extend(rec.texts.lock().unwrap().iter().cloned());
    for t in &texts {
        assert!(!t.contains(key) && !t.contains(escaped), "leaked: {t}");
    }
    assert_eq!(e.request_id(), Some("req_[redacted]"));
    assert_eq!(e.code(), Some("bad_[redacted]"));
    assert!(e.headers().iter().any(|(k, v)| k == "x-[redacted]" && v == "[redacted]"));
    assert_eq!(e.details().unwrap()["[redacted]"], json!(["[redacted]"]));
}

#[test]
fn anything_shaped_like_a_klipy_key_is_redacted_even_a_rotated_one() {
    let old = "klipy_api_0ldRotatedKey9";
    let (c, _, _) =
        client(vec![Step::json(401, json!({"error": {"code": "unauthorized", "message": format!("{old} expired")}}))]);
    let e = get(&c).unwrap_err();
    assert!(!e.to_string().contains(old), "{e}");
    assert!(e.to_string().contains("[redacted]"), "{e}");
}

// ---- records are records ------------------------------------------------------------------

#[test]
fn record_operations_demand_a_json_object() {
    let bodies = [
        Step::text(200, ""),
        Step::text(204, ""),
        Step::text(200, "\"hello\""),
        Step::text(200, "42"),
        Step::text(200, "[1,2]"),
        Step::text(200, "null"),
        Step::json(200, json!({"object": "success", "data": "x", "meta": {}})),
        Step::json(200, json!({"object": "success", "data": null, "meta": {}})),
        Step::json(200, json!({"success": true, "data": [1]})),
    ];
    let ops: [fn() -> request::Operation; 5] = [
        || request::get(Resource::People, "p").unwrap(),
        || request::get(Resource::Interactions, "i").unwrap(),
        || request::upsert_person(&json!({"email": "a@b.c"})).unwrap(),
        || request::update(Resource::Companies, "c", &json!({"name": "n"})).unwrap(),
        || request::create_company(&json!({"name": "n"})).unwrap(),
    ];
    for op in ops {
        for body in &bodies {
            let (c, t, _) = client(vec![body.clone(), Step::ok(200, json!({"id": "p"}))]);
            let e = block_on(c.execute(&op(), &RequestOptions::default())).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Decode, "{} {body:?}", op().name);
            assert_eq!(t.requests().len(), 1, "a decode error is not retried");
        }
    }
}

#[test]
fn delete_accepts_a_record_or_no_body_and_nothing_else() {
    for (body, ok) in [
        (Step::text(204, ""), true),
        (Step::json(200, json!({"object": "success", "data": null, "meta": {}})), true),
        (Step::ok(200, json!({"id": "per_1", "deleted": true})), true),
        (Step::text(200, "\"gone\""), false),
        (Step::text(200, "[1]"), false),
    ] {
        let (c, _, _) = client(vec![body.clone()]);
        let r = block_on(c.people().delete("per_1"));
        match r {
            Ok(d) => {
                assert!(ok, "{body:?}");
                assert_eq!((d.id.as_str(), d.deleted), ("per_1", true));
            }
            Err(e) => {
                assert!(!ok, "{body:?}: {e}");
                assert_eq!(e.kind(), ErrorKind::Decode);
            }
        }
    }
}

// ---- pagination cannot loop ---------------------------------------------------------------

#[test]
fn a_repeated_cursor_ends_the_walk_with_an_error() {
    let page = |id: &str, cursor: &str| {
        Step::json(
            200,
            json!({"object": "list", "data": [{"id": id, "email": "a@b.c"}], "page_info": {"has_next_page": true, "end_cursor": cursor}}),
        )
    };
    let (c, t, _) = client(vec![page("a", "c1"), page("b", "c2"), page("c", "c1"), page("d", "c2")]);
    let items: Vec<_> = block_on(c.people().query(QueryParams::default()).stream().collect());
    let ids: Vec<_> = items.iter().filter_map(|r| r.as_ref().ok().map(|p| p.id.clone())).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let e = items.last().unwrap().as_ref().unwrap_err();
    assert_eq!(e.code(), Some("cursor_repeated"));
    assert_eq!(t.requests().len(), 3, "the repeated cursor is never sent");
}
