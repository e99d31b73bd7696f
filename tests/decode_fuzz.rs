//! Property tests: arbitrary bytes and arbitrary JSON fed to every decoder never panic and
//! always end in a value or a typed error.
#![cfg(not(target_arch = "wasm32"))]

use klipy_sdk::request::Shape;
use klipy_sdk::response::{decode_api_error, decode_success, rate_limit_info};
use klipy_sdk::retry::server_wait_ms;
use klipy_sdk::{ErrorKind, HttpResponse, QueryParams};
use proptest::prelude::*;
use serde_json::Value;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        "[a-z_]{0,12}".prop_map(Value::String),
        prop_oneof![Just("data"), Just("page_info"), Just("error"), Just("errors"), Just("meta"), Just("end_cursor")]
            .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        let keys = prop_oneof![
            Just("object".to_string()),
            Just("data".to_string()),
            Just("meta".to_string()),
            Just("page_info".to_string()),
            Just("has_next_page".to_string()),
            Just("end_cursor".to_string()),
            Just("error".to_string()),
            Just("errors".to_string()),
            Just("code".to_string()),
            Just("message".to_string()),
            Just("details".to_string()),
            Just("success".to_string()),
            Just("people".to_string()),
            Just("team".to_string()),
            Just("name".to_string()),
            Just("request_id".to_string()),
            "[a-z]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((keys, inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn headers() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        Just("retry-after"),
        Just("retry-after-ms"),
        Just("x-ratelimit-reset"),
        Just("x-ratelimit-limit"),
        Just("x-ratelimit-remaining"),
        Just("x-request-id"),
        Just("content-type"),
    ];
    prop::collection::vec((name.prop_map(str::to_string), "\\PC{0,40}"), 0..6)
}

fn check_all(status: u16, headers: Vec<(String, String)>, body: Vec<u8>) {
    let resp = HttpResponse { status, headers, body };
    for shape in [Shape::Single, Shape::List, Shape::Authenticate] {
        if let Err(e) = decode_success(&resp, shape) {
            assert!(!e.to_string().is_empty());
            let _ = e.kind();
        }
    }
    let e = decode_api_error(&resp);
    assert_eq!(e.status(), Some(status));
    assert!(e.message().starts_with("Klipy API error"));
    let _ = rate_limit_info(&resp, Some(1_700_000_000_000));
    let _ = server_wait_ms(&resp.headers, Some(status), 1_700_000_000_000);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(status in 100u16..600, headers in headers(), body in prop::collection::vec(any::<u8>(), 0..300)) {
        check_all(status, headers, body);
    }

    #[test]
    fn arbitrary_json_never_panics(status in prop_oneof![Just(200u16), Just(201), Just(400), Just(429), Just(503)], headers in headers(), v in json_value()) {
        check_all(status, headers, v.to_string().into_bytes());
        let _ = QueryParams::from_json(&v);
        let _ = klipy_sdk::request::create_interaction(&v);
        let _ = klipy_sdk::request::create_person(&v);
        let _ = klipy_sdk::request::update(klipy_sdk::request::Resource::People, "per_1", &v);
    }

    #[test]
    fn truncated_success_bodies_are_decode_errors(v in json_value(), cut in 1usize..40) {
        let text = serde_json::json!({"object": "success", "data": v}).to_string();
        let cut = text.len().saturating_sub(cut).max(1);
        let resp = HttpResponse { status: 200, headers: vec![], body: text.as_bytes()[..cut].to_vec() };
        // The outer object's closing brace is always cut, so this is never valid JSON.
        let e = decode_success(&resp, Shape::Single).unwrap_err();
        prop_assert_eq!(e.kind(), ErrorKind::Decode);
    }
}
