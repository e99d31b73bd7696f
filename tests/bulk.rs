//! Bulk work: bounded concurrency, every index accounted for, pacing shared by concurrent calls.

mod common;
use common::*;
use klipy_sdk::{BulkOptions, Config, ErrorKind, RateLimitMode};
use serde_json::json;
use std::sync::{Arc, Mutex};

#[test]
fn every_input_index_appears_exactly_once() {
    let t = ScriptedTransport::with_handler(|req| {
        let body: serde_json::Value = serde_json::from_slice(req.body.as_ref().unwrap()).unwrap();
        let email = body["email"].as_str().unwrap().to_string();
        if email.starts_with("bad") {
            Step::json(409, json!({"object": "error", "error": {"code": "conflict", "message": "taken"}}))
        } else {
            Step::ok(200, json!({"id": format!("per_{email}"), "email": email}))
        }
    });
    let (c, _) = client_with(t.clone(), Config::default());
    let inputs: Vec<_> =
        (0..20)
            .map(|i| {
                if i % 7 == 3 {
                    json!({"email": format!("bad{i}@x.co")})
                } else {
                    json!({"email": format!("p{i}@x.co")})
                }
            })
            .chain([json!({"firstName": "no email"})])
            .collect();
    let progress = Arc::new(Mutex::new(Vec::new()));
    let seen = progress.clone();
    let opts = BulkOptions {
        concurrency: 3,
        on_progress: Some(Box::new(move |p| seen.lock().unwrap().push(p))),
        ..Default::default()
    };
    let r = block_on(c.people().upsert_many(&inputs, opts));
    let mut indexes: Vec<usize> = r.succeeded.iter().map(|s| s.index).chain(r.failed.iter().map(|f| f.index)).collect();
    indexes.sort();
    assert_eq!(indexes, (0..21).collect::<Vec<_>>());
    assert_eq!(r.failed.iter().map(|f| f.index).collect::<Vec<_>>(), [3, 10, 17, 20]);
    assert_eq!(r.failed[0].error.kind(), ErrorKind::Conflict);
    assert_eq!(r.failed[3].error.kind(), ErrorKind::Validation);
    assert_eq!(r.succeeded[0].result.id, "per_p0@x.co");
    assert_eq!(t.requests().len(), 20, "the invalid input is never sent");
    let p = progress.lock().unwrap();
    assert_eq!(p.len(), 21);
    assert_eq!((p[20].done, p[20].total, p[20].failed), (21, 21, 4));
}

#[test]
fn stop_on_error_sends_nothing_after_the_first_failure() {
    let t = ScriptedTransport::new(vec![
        Step::json(409, json!({"error": {"code": "conflict", "message": "x"}})),
        Step::ok(200, json!({"id": "per_2"})),
    ]);
    let (c, _) = client_with(t.clone(), Config::default());
    let inputs: Vec<_> = (0..5).map(|i| json!({"email": format!("p{i}@x.co")})).collect();
    let r = block_on(
        c.people().upsert_many(&inputs, BulkOptions { concurrency: 1, stop_on_error: true, ..Default::default() }),
    );
    assert_eq!(t.requests().len(), 1);
    assert_eq!(r.failed.len(), 5);
    assert_eq!(r.failed[1].error.kind(), ErrorKind::UserAbort);
    assert!(r.failed[1].error.message().contains("stopOnError"));
}

#[test]
fn adaptive_pacing_waits_for_the_reset_instead_of_spending_a_429() {
    // The server allows 3 requests per window; the window resets 10 s after T0.
    let reset = ((T0 + 10_000) / 1000).to_string();
    let t = window_transport(3, reset);
    let (c, time) = client_with(t.clone(), Config::default());
    let inputs: Vec<_> = (0..5).map(|i| json!({"email": format!("p{i}@x.co")})).collect();
    let r = block_on(c.people().upsert_many(&inputs, BulkOptions { concurrency: 1, ..Default::default() }));
    assert_eq!((r.succeeded.len(), r.failed.len()), (5, 0));
    assert_eq!(t.requests().len(), 5, "no request was spent on a 429");
    assert_eq!(time.sleeps(), vec![10_025], "one wait until the window reset (+25 ms slack)");
}

#[test]
fn pacing_off_sends_without_waiting() {
    let t = ScriptedTransport::with_handler(|_| {
        Step::ok(200, json!({"id": "per_1"}))
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", "1700000010")
    });
    let mut cfg = Config::default();
    cfg.rate_limit = RateLimitMode::Off;
    let (c, time) = client_with(t, cfg);
    for _ in 0..3 {
        block_on(c.people().get("per_1")).unwrap();
    }
    assert!(time.sleeps().is_empty());
}
