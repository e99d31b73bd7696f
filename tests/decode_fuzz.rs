//! Property tests: arbitrary bytes and arbitrary JSON fed to every decoder never panic and
//! always end in a value or a typed error, and the wasm facade's JSON-text decoder agrees with the
//! tolerant one.
#![cfg(not(target_arch = "wasm32"))]

use klipy_sdk::request::Shape;
use klipy_sdk::response::{decode_api_error, decode_success, decode_success_json, rate_limit_info};
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

/// Envelopes close to what the API sends, so the fast path of `decode_success_json` is taken
/// often: `object`, `data`, `meta` and `page_info` each present or not, with arbitrary values.
fn envelope() -> impl Strategy<Value = Value> {
    let object = prop_oneof![Just("success"), Just("list"), Just("error"), Just("person")];
    let page_info = prop_oneof![
        json_value(),
        (any::<bool>(), prop::option::of("[a-z0-9]{0,6}"))
            .prop_map(|(more, cursor)| { serde_json::json!({ "has_next_page": more, "end_cursor": cursor }) }),
    ];
    let meta = prop_oneof![json_value(), "[a-z_0-9]{0,8}".prop_map(|id| serde_json::json!({ "request_id": id }))];
    (
        prop::option::of(object),
        prop::option::of(json_value()),
        prop::option::of(meta),
        prop::option::of(page_info),
        any::<bool>(),
    )
        .prop_map(|(object, data, meta, page_info, items)| {
            let mut o = serde_json::Map::new();
            if let Some(x) = object {
                o.insert("object".into(), x.into());
            }
            if let Some(d) = data {
                o.insert("data".into(), if items { Value::Array(vec![d]) } else { d });
            }
            if let Some(m) = meta {
                o.insert("meta".into(), m);
            }
            if let Some(p) = page_info {
                o.insert("page_info".into(), p);
            }
            Value::Object(o)
        })
}

/// Equal, except that floats may differ in the last bit: serde_json's default float parser is not
/// correctly rounded, and the tolerant path parses (and, for the text form, prints) each number
/// once more than the JSON-text path does.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x - y).abs() <= x.abs().max(y.abs()) * 1e-15
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// `decode_success_json` (data as text, for JavaScript) says what `decode_success` says.
fn check_json_decoder_agrees(body: Vec<u8>) -> Result<(), TestCaseError> {
    let resp = HttpResponse { status: 200, headers: vec![("x-request-id".into(), "hdr".into())], body };
    for shape in [Shape::Single, Shape::List, Shape::Authenticate] {
        match (decode_success_json(&resp, shape), decode_success(&resp, shape)) {
            (Ok(fast), Ok(slow)) => {
                let data: Value = serde_json::from_str(&fast.data).expect("data is JSON text");
                prop_assert!(same(&data, &slow.data), "{shape:?}: json decoder {data}, tolerant decoder {}", slow.data);
                prop_assert_eq!(
                    (fast.request_id, fast.has_next_page, fast.next_cursor),
                    (slow.request_id, slow.has_next_page, slow.next_cursor)
                );
            }
            (Err(fast), Err(slow)) => prop_assert_eq!(fast.kind(), slow.kind()),
            (fast, slow) => prop_assert!(false, "{shape:?}: json decoder {fast:?}, tolerant decoder {slow:?}"),
        }
    }
    Ok(())
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
    fn the_json_text_decoder_agrees_on_envelopes(v in envelope(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
        check_json_decoder_agrees(text.into_bytes())?;
    }

    #[test]
    fn the_json_text_decoder_agrees_on_anything(v in json_value(), body in prop::collection::vec(any::<u8>(), 0..120)) {
        check_json_decoder_agrees(v.to_string().into_bytes())?;
        check_json_decoder_agrees(body)?;
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
