//! What the wasm facade hands JavaScript, built natively: `call`'s result JSON, `bulk`'s JSON
//! text (input order, error JSON), and a query's page size capped to the items still wanted.

mod common;
use common::*;
use klipy_sdk::bulk::{run_with, BulkOptions};
use klipy_sdk::contract;
use klipy_sdk::request::{page_limit, Operation};
use klipy_sdk::response::decode_success_json;
use klipy_sdk::transport::TransportError;
use klipy_sdk::{wire, Config, Error, ErrorKind};
use serde_json::{json, Value};

fn build(op: &str, args: Value) -> Result<Operation, Error> {
    (contract::operation(op)?.build)(&args)
}

#[test]
fn bulk_json_lists_successes_and_failures_in_input_order_with_error_json() {
    let t = ScriptedTransport::with_handler(|req| {
        let email = body_json(req)["email"].as_str().unwrap().to_string();
        if email.starts_with("gone") {
            Step::json(
                404,
                json!({"object": "error", "error": {"code": "not_found", "message": "no such person"},
                "meta": {"request_id": "req_404"}}),
            )
        } else {
            Step::json(
                200,
                json!({"object": "person", "data": {"id": format!("per_{email}"), "email": email, "n": 12345678901234567890u64},
                "meta": {"request_id": format!("req_{email}")}}),
            )
        }
    });
    let (c, _) = client_with(t, Config::default());
    let build = contract::bulk_operation("people.upsertMany").unwrap().build;
    let inputs =
        [json!({"email": "a"}), json!({"email": "gone"}), json!({"firstName": "no email"}), json!({"email": "b"})];
    let ops = inputs.iter().map(build).collect();
    let result =
        block_on(run_with(&c, ops, BulkOptions { concurrency: 3, ..BulkOptions::default() }, decode_success_json));
    let text = wire::bulk_json(&result);
    // The record's own JSON text is embedded as is (a big number keeps its digits).
    assert!(text.contains(r#""n":12345678901234567890"#), "{text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    let ok: Vec<_> =
        v["succeeded"].as_array().unwrap().iter().map(|s| (s["index"].clone(), s["requestId"].clone())).collect();
    assert_eq!(ok, [(json!(0), json!("req_a")), (json!(3), json!("req_b"))]);
    assert_eq!(v["succeeded"][1]["result"]["id"], "per_b");
    let failed = v["failed"].as_array().unwrap();
    assert_eq!(failed.len(), 2);
    assert_eq!(failed[0]["index"], 1);
    let e = &failed[0]["error"];
    assert_eq!(
        (&e["name"], &e["status"], &e["code"], &e["requestId"], &e["retryable"], &e["attempts"]),
        (&json!("NotFoundError"), &json!(404), &json!("not_found"), &json!("req_404"), &json!(false), &json!(1))
    );
    assert!(e["message"].as_str().unwrap().contains("no such person"));
    assert!(e.get("field").is_none() && e.get("retryAfterMs").is_none(), "absent fields are left out: {e}");
    let e = &failed[1]["error"];
    assert_eq!((&failed[1]["index"], &e["name"], &e["field"]), (&json!(2), &json!("ValidationError"), &json!("email")));
    assert!(e.get("attempts").is_none(), "nothing was sent: {e}");
    assert!(contract::bulk_operation("people.upsert").is_err(), "the bulk method is named, not the single call");
}

#[test]
fn error_json_carries_the_rate_limit_fields_and_the_cause_as_text() {
    let (c, _, _) = client(vec![Step::json(
        429,
        json!({"object": "error", "error": {"code": "rate_limited", "message": "slow down"}}),
    )
    .header("retry-after", "120")
    .header("x-ratelimit-limit", "60")]);
    let op = build("people.get", json!({"id": "per_1"})).unwrap();
    let err = block_on(c.execute(&op, &Default::default())).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimit);
    let e: Value = serde_json::from_str(&wire::error_json(&err)).unwrap();
    assert_eq!(e["name"], "RateLimitError");
    assert_eq!(e["retryAfterMs"], 120_000);
    assert_eq!(e["rateLimit"]["limit"], 60);
    assert_eq!(e["headers"]["retry-after"], "120");

    let mut config = Config::default();
    config.max_retries = 0;
    let (c, _) =
        client_with(ScriptedTransport::new([Step::Fail(TransportError::Connect("ECONNREFUSED".into()))]), config);
    let err = block_on(c.execute(&op, &Default::default())).unwrap_err();
    let e: Value = serde_json::from_str(&wire::error_json(&err)).unwrap();
    assert_eq!((&e["name"], &e["attempts"], &e["retryable"]), (&json!("APIConnectionError"), &json!(1), &json!(true)));
    assert!(e["cause"].as_str().unwrap().contains("ECONNREFUSED"), "{e}");
}

#[test]
fn result_json_is_one_text_with_the_response_metadata() {
    let (c, _, _) = client(vec![Step::json(
        200,
        json!({"object": "list", "data": [{"id": "per_1"}],
        "page_info": {"has_next_page": true, "end_cursor": "c2"}, "meta": {"request_id": "req_q"}}),
    )]);
    let op = build("people.query", json!({})).unwrap();
    let resp = block_on(c.execute_with(&op, &Default::default(), decode_success_json)).unwrap();
    let v: Value = serde_json::from_str(&wire::result_json(&resp)).unwrap();
    assert_eq!(
        (&v["status"], &v["requestId"], &v["hasNextPage"], &v["nextCursor"]),
        (&json!(200), &json!("req_q"), &json!(true), &json!("c2"))
    );
    assert_eq!(v["data"][0]["id"], "per_1");
}

fn limit_sent(args: Value) -> Option<Value> {
    let op = build("people.query", args).unwrap();
    let body: Value = serde_json::from_slice(op.body.as_deref().unwrap()).unwrap();
    body.get("limit").cloned()
}

#[test]
fn query_max_items_caps_the_page_size_in_the_core() {
    // No limit: ask for what is still wanted only when that is under the API's default of 20.
    assert_eq!(limit_sent(json!({"maxItems": 5})), Some(json!(5)));
    assert_eq!(limit_sent(json!({"maxItems": 20})), None);
    assert_eq!(limit_sent(json!({"maxItems": null})), None);
    // A limit: never more than is still wanted.
    assert_eq!(limit_sent(json!({"limit": 50, "maxItems": 7})), Some(json!(7)));
    assert_eq!(limit_sent(json!({"limit": 3, "maxItems": 7})), Some(json!(3)));
    assert_eq!(limit_sent(json!({"limit": 3})), Some(json!(3)));
    // Nothing more wanted: a single page asks for one (a walk sends nothing then).
    assert_eq!(limit_sent(json!({"maxItems": 0})), Some(json!(1)));
    for bad in [json!(-1), json!(2.5), json!("5"), json!(true)] {
        let e = build("people.query", json!({"maxItems": bad})).unwrap_err();
        assert_eq!((e.kind(), e.field()), (ErrorKind::Validation, Some("maxItems")), "{bad}");
    }
    assert_eq!(page_limit(Some(100), Some(250)), Some(100));
    assert_eq!(page_limit(None, None), None);
}
