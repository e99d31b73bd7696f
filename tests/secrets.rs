//! The key never appears in an error, its Debug form, a log line or a hook event.

mod common;
use common::*;
use klipy_sdk::{ApiKey, Client, Config, TransportError};
use serde_json::json;

#[test]
fn no_error_log_or_event_contains_the_key() {
    // Servers that echo the key back in messages, details, headers and HTML.
    let echo = |status: u16| {
        Step::json(
            status,
            json!({"error": {"code": "x", "message": format!("bad key {KEY}"), "details": {"key": KEY}}}),
        )
        .header("x-echo", KEY)
    };
    let steps = vec![
        echo(401),
        echo(403),
        echo(404),
        echo(429).header("retry-after", "999"),
        Step::text(502, &format!("<html><title>proxy saw {KEY}</title></html>")),
        Step::Fail(TransportError::Connect(format!("connect failed for {KEY}"))),
        Step::Hang,
        Step::text(200, &format!("not json {KEY}")),
    ];
    let n = steps.len();
    let rec = Recorder::default();
    let mut cfg = Config::default();
    cfg.max_retries = 0;
    let c = Client::builder_with(ScriptedTransport::new(steps))
        .config(cfg)
        .api_key(ApiKey::new(KEY).unwrap())
        .sleep(ManualTime::new(T0))
        .clock(ManualTime::new(T0))
        .hooks(rec.clone())
        .build()
        .unwrap();
    let mut texts = vec![format!("{c:?}")];
    for _ in 0..n {
        let e = block_on(c.people().get("per_1")).unwrap_err();
        texts.push(e.to_string());
        texts.push(format!("{e:?}"));
        texts.push(format!("{:?} {:?} {:?}", e.details(), e.headers(), e.cause()));
    }
    texts.extend(rec.texts.lock().unwrap().iter().cloned());
    assert!(texts.len() > 3 * n);
    for t in &texts {
        assert!(!t.contains(KEY), "leaked: {t}");
    }
    assert!(texts.iter().any(|t| t.contains("[redacted]")), "the echoed key was replaced");
}

#[test]
fn requests_debug_redacts_credentials() {
    let (c, t, _) = client(vec![Step::ok(200, json!({"team_name": "A"}))]);
    block_on(c.authenticate()).unwrap();
    let dbg = format!("{:?}", t.requests()[0]);
    assert!(!dbg.contains(KEY) && dbg.contains("[redacted]"), "{dbg}");
}
