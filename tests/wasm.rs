//! The wasm facade and its fetch transport on Node, against a scripted `fetch` that returns real
//! `Response` objects. Run with `make test-wasm`.
#![cfg(all(target_arch = "wasm32", target_os = "unknown"))]

use js_sys::{Function, Promise, Reflect};
use klipy_sdk::wasm::WasmClient;
use serde_json::{json, Value};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const KEY: &str = "klipy_api_wasmkey42";

/// Evaluates JS source that returns a value (a fetch function, a config object, …).
fn js(src: &str) -> JsValue {
    Function::new_no_args(&format!("return ({src});")).call0(&JsValue::UNDEFINED).unwrap()
}

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &k.into()).unwrap()
}

/// A client whose key is a string (kept in the core).
fn client(fetch: &JsValue, config: &str) -> WasmClient {
    client_with_key(fetch, config, JsValue::from_str(KEY))
}

/// A client whose key is a function the core calls before each request.
fn client_with_key(fetch: &JsValue, config: &str, key: JsValue) -> WasmClient {
    WasmClient::new(js(config), key, fetch.clone(), js("{}")).map_err(|e| format!("{e:?}")).unwrap()
}

async fn settle(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

/// A fetch that records requests in `globalThis.__seen` and answers from a list of
/// `[status, body, headers]` (or "hang" to wait for the abort signal), in the shape of the
/// transport's `send(head, body, signal)` adapter.
fn scripted(steps: &str) -> JsValue {
    js(&format!(
        r#"(() => {{
        const steps = {steps};
        globalThis.__seen = [];
        return async (head, sent, signal) => {{
            // The transport's send(head, body, signal): method, URL, then header names and values.
            const [method, url, ...h] = head.split("\n");
            const sentHeaders = {{}};
            for (let i = 0; i < h.length; i += 2) sentHeaders[h[i]] = h[i + 1];
            const req = new Request(url, {{ method, headers: sentHeaders, body: sent, signal, redirect: "manual" }});
            globalThis.__seen.push({{ url: req.url, method: req.method, redirect: req.redirect,
                key: req.headers.get("x-klipy-api-key"), retry: req.headers.get("x-klipy-retry-count"),
                body: req.body ? await req.text() : null, signal: req.signal }});
            const step = steps.shift();
            if (step === "hang") return new Promise((_, reject) =>
                req.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
            if (step === "reject") throw new TypeError("fetch failed");
            if (step === "not-a-response") return {{ status: 200 }};
            const [status, body, headers] = step;
            return new Response(typeof body === "string" ? body : JSON.stringify(body), {{ status, headers: headers || {{}} }});
        }};
    }})()"#
    ))
}

/// A call's result, parsed.
async fn call_json(c: &WasmClient, op: &str, args: &str) -> Result<Value, JsValue> {
    let text = settle(c.call(op.into(), args.into(), JsValue::UNDEFINED)).await?;
    Ok(serde_json::from_str(&text.as_string().expect("call resolves to JSON text")).unwrap())
}

fn seen() -> js_sys::Array {
    js("globalThis.__seen").unchecked_into()
}

const BASE: &str = r#"{ baseUrl: "http://127.0.0.1:9/api/v1", maxRetries: 2 }"#;

#[wasm_bindgen_test]
async fn success_returns_data_request_id_and_rate_limit() {
    let fetch = scripted(
        r#"[[200, {object: "success", data: {id: "per_1", email: "a@b.co", extra: 1}, meta: {request_id: "req_1"}},
             {"x-ratelimit-limit": "200", "x-ratelimit-remaining": "199", "x-ratelimit-reset": "1700000060"}]]"#,
    );
    let c = client(&fetch, BASE);
    let text = settle(c.call("people.get".into(), r#"{"id":"per 1"}"#.into(), JsValue::UNDEFINED))
        .await
        .unwrap()
        .as_string()
        .expect("call resolves to JSON text");
    // `data` is the server's own text, passed through.
    assert!(text.ends_with(r#""data":{"id":"per_1","email":"a@b.co","extra":1}}"#), "{text}");
    let r: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(r["requestId"], "req_1");
    assert_eq!(r["status"], 200);
    assert_eq!(r["rateLimit"], json!({ "limit": 200, "remaining": 199, "resetAt": 1_700_000_060_000u64 }));
    let req = seen().get(0);
    assert_eq!(get(&req, "url").as_string().unwrap(), "http://127.0.0.1:9/api/v1/people/per%201");
    assert_eq!(get(&req, "method").as_string().unwrap(), "GET");
    assert_eq!(get(&req, "redirect").as_string().unwrap(), "manual");
    assert_eq!(get(&req, "key").as_string().unwrap(), KEY);
}

#[wasm_bindgen_test]
async fn a_page_carries_its_cursor_and_an_unusual_envelope_takes_the_tolerant_path() {
    let fetch = scripted(
        r#"[[200, {object: "list", data: [{id: "a"}, {id: "b"}], page_info: {has_next_page: true, end_cursor: "c2"}}],
            [200, {object: "list", data: {people: [{id: "c"}]}, pageInfo: {hasNextPage: false}}]]"#,
    );
    let c = client(&fetch, BASE);
    let first = call_json(&c, "people.query", r#"{"limit":2}"#).await.unwrap();
    assert_eq!(first["data"], json!([{ "id": "a" }, { "id": "b" }]));
    assert_eq!((&first["hasNextPage"], &first["nextCursor"]), (&json!(true), &json!("c2")));
    let last = call_json(&c, "people.query", r#"{"cursor":"c2"}"#).await.unwrap();
    assert_eq!(last["data"], json!([{ "id": "c" }]));
    assert_eq!((&last["hasNextPage"], &last["nextCursor"]), (&json!(false), &Value::Null));
    assert!(get(&seen().get(1), "body").as_string().unwrap().contains(r#""cursor":"c2""#));
}

#[wasm_bindgen_test]
async fn a_4xx_rejects_with_a_named_error_without_the_key() {
    let fetch = scripted(
        r#"[[404, {object: "error", error: {code: "not_found", message: "No person"}, meta: {request_id: "req_404"}}]]"#,
    );
    let c = client(&fetch, BASE);
    let e = settle(c.call("people.get".into(), r#"{"id":"per_x"}"#.into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&e, "name").as_string().unwrap(), "NotFoundError");
    assert_eq!(get(&e, "status").as_f64(), Some(404.0));
    assert_eq!(get(&e, "code").as_string().unwrap(), "not_found");
    assert_eq!(get(&e, "requestId").as_string().unwrap(), "req_404");
    assert_eq!(get(&e, "retryable").as_bool(), Some(false));
    let text = js_sys::JSON::stringify(&e).unwrap().as_string().unwrap() + &get(&e, "message").as_string().unwrap();
    assert!(!text.contains(KEY));
    assert_eq!(seen().length(), 1);
}

#[wasm_bindgen_test]
async fn a_429_is_retried_after_retry_after_then_succeeds() {
    let fetch = scripted(
        r#"[[429, {error: {code: "rate_limited", message: "slow down"}}, {"retry-after": "0.05"}],
            [200, {object: "success", data: {team_name: "Acme"}}]]"#,
    );
    // A key function (here async) is asked again before every attempt.
    let key = js(&format!(
        "(() => {{ globalThis.__keyCalls = 0; return async () => {{ globalThis.__keyCalls++; return {KEY:?}; }}; }})()"
    ));
    let c = client_with_key(&fetch, BASE, key);
    let r = call_json(&c, "authenticate", "{}").await.unwrap();
    assert_eq!(r["data"], json!({ "teamName": "Acme" }));
    assert_eq!(seen().length(), 2);
    assert_eq!(js("globalThis.__keyCalls").as_f64(), Some(2.0));
    assert_eq!(get(&seen().get(1), "key").as_string().as_deref(), Some(KEY));
    assert!(get(&seen().get(0), "retry").is_null());
    assert_eq!(get(&seen().get(1), "retry").as_string().as_deref(), Some("1"));
}

#[wasm_bindgen_test]
async fn a_hanging_response_times_out_and_aborts_the_fetch() {
    let fetch = scripted(r#"["hang"]"#);
    let c = client(&fetch, r#"{ baseUrl: "http://127.0.0.1:9/api/v1", maxRetries: 0, timeoutMs: 30 }"#);
    let e = settle(c.call("people.get".into(), r#"{"id":"per_1"}"#.into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get(&e, "name").as_string().unwrap(), "APIConnectionTimeoutError");
    assert_eq!(get(&e, "retryable").as_bool(), Some(true));
    let signal = get(&seen().get(0), "signal");
    assert_eq!(get(&signal, "aborted").as_bool(), Some(true), "the attempt's AbortController fired");
}

#[wasm_bindgen_test]
async fn the_callers_signal_aborts_mid_request() {
    let fetch = scripted(r#"["hang", [200, {data: {}}]]"#);
    let c = client(&fetch, BASE);
    let opts = js("(() => { const ac = new AbortController(); setTimeout(() => ac.abort(), 20); return { signal: ac.signal }; })()");
    let e = settle(c.call("people.get".into(), r#"{"id":"per_1"}"#.into(), opts)).await.unwrap_err();
    assert_eq!(get(&e, "name").as_string().unwrap(), "APIUserAbortError");
    assert_eq!(seen().length(), 1, "nothing more is sent after the abort");
}

#[wasm_bindgen_test]
async fn a_rejected_fetch_is_a_connection_error_and_bad_input_never_panics() {
    let fetch = scripted(r#"["reject", "not-a-response"]"#);
    let c = client(&fetch, r#"{ baseUrl: "http://127.0.0.1:9/api/v1", maxRetries: 0 }"#);
    let e = settle(c.call("people.get".into(), r#"{"id":"per_1"}"#.into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get(&e, "name").as_string().unwrap(), "APIConnectionError");
    assert!(get(&get(&e, "cause"), "message").as_string().unwrap().contains("fetch failed"));
    assert_eq!(get(&e, "attempts").as_f64(), Some(1.0));
    let e = settle(c.call("people.get".into(), r#"{"id":"per_1"}"#.into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(
        get(&e, "name").as_string().unwrap(),
        "ConfigError",
        "a fetch that returns no Response is a bug, not a blip"
    );
    assert!(get(&e, "attempts").is_undefined());
    for (op, args) in
        [("people.get", "{"), ("people.get", r#"{"id": 5}"#), ("nope", "{}"), ("people.query", r#"{"limit": 0}"#)]
    {
        let e = settle(c.call(op.into(), args.into(), JsValue::UNDEFINED)).await.unwrap_err();
        assert_eq!(get(&e, "name").as_string().unwrap(), "ValidationError", "{op} {args}");
    }
    let bad = WasmClient::new(js(r#"{ baseUrl: "http://example.com/api" }"#), js("() => 'k'"), fetch.clone(), js("{}"));
    let e = bad.err().unwrap();
    assert_eq!(get(&e, "name").as_string().unwrap(), "ConfigError");
}

#[wasm_bindgen_test]
async fn bulk_resolves_to_json_text_in_input_order_with_error_json() {
    let fetch = scripted(
        r#"[[200, '{"object": "success", "data": {"id": "per_a", "n": 12345678901234567890}, "meta": {"request_id": "req_a"}}'],
            [404, {object: "error", error: {code: "not_found", message: "gone"}, meta: {request_id: "req_404"}}]]"#,
    );
    let c = client(&fetch, BASE);
    let inputs = r#"[{"email":"a@x.co"},{"email":"b@x.co"},{"firstName":"no email"}]"#;
    let opts = js(r#"{ concurrency: 1, optionNames: ["concurrency"] }"#);
    let text = settle(c.bulk("people.upsertMany".into(), inputs.into(), opts)).await.unwrap();
    let text = text.as_string().expect("bulk resolves to JSON text");
    assert!(text.contains(r#""result":{"id": "per_a", "n": 12345678901234567890}"#), "the record's own text: {text}");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        v["succeeded"],
        json!([{ "index": 0, "requestId": "req_a", "result": { "id": "per_a", "n": 12345678901234567890u64 } }])
    );
    assert_eq!(v["failed"][0]["index"], 1);
    assert_eq!(
        (&v["failed"][0]["error"]["name"], &v["failed"][0]["error"]["status"]),
        (&json!("NotFoundError"), &json!(404))
    );
    assert_eq!((&v["failed"][1]["index"], &v["failed"][1]["error"]["field"]), (&json!(2), &json!("email")));
    // The operation is the bulk method's name from the contract.
    let e = settle(c.bulk("people.upsert".into(), "[]".into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get(&e, "name").as_string().unwrap(), "ValidationError");
}

#[wasm_bindgen_test]
async fn option_types_and_ranges_are_checked_in_the_core_with_one_message() {
    let fetch = scripted("[]");
    let message = |config: &str| {
        let e = WasmClient::new(js(config), JsValue::from_str(KEY), fetch.clone(), js("{}")).err().unwrap();
        assert_eq!(get(&e, "name").as_string().unwrap(), "ConfigError", "{config}");
        get(&e, "message").as_string().unwrap()
    };
    let base = r#"baseUrl: "http://127.0.0.1:9/api/v1""#;
    assert_eq!(
        message(&format!(r#"{{ {base}, maxRetries: "3" }}"#)),
        "Option `maxRetries` must be a whole number from 0 to 10, not \"3\" (a string)."
    );
    assert_eq!(
        message(&format!("{{ {base}, maxRetries: 11 }}")),
        "Option `maxRetries` must be a whole number from 0 to 10, not 11."
    );
    assert_eq!(
        message(&format!("{{ {base}, timeoutMs: 2.5 }}")),
        "Option `timeoutMs` must be a whole number from 1 to 86400000, not 2.5."
    );
    assert!(message(&format!("{{ {base}, rateLimit: {{ requestsPerMinute: 'lots' }} }}"))
        .contains("rateLimit.requestsPerMinute"));
    assert!(message(&format!("{{ {base}, authScheme: true }}")).starts_with("Option `authScheme` must be one of"));
    assert_eq!(message("{ baseUrl: 42 }"), "Option `baseUrl` must be a string, not 42.");
    let c = client(&fetch, BASE);
    let e = settle(c.call("authenticate".into(), "{}".into(), js("{ maxRetries: '1' }"))).await.unwrap_err();
    assert_eq!(
        get(&e, "message").as_string().unwrap(),
        "Option `maxRetries` must be a whole number from 0 to 10, not \"1\" (a string)."
    );
    let e = settle(c.bulk("people.upsertMany".into(), "[]".into(), js("{ stopOnError: 'yes' }"))).await.unwrap_err();
    assert_eq!(
        get(&e, "message").as_string().unwrap(),
        "Option `stopOnError` must be a boolean, not \"yes\" (a string)."
    );
}

#[wasm_bindgen_test]
async fn query_max_items_caps_the_page_size() {
    let fetch = scripted(r#"[[200, {object: "list", data: [], page_info: {has_next_page: false}}]]"#);
    let c = client(&fetch, BASE);
    call_json(&c, "people.query", r#"{"limit":50,"maxItems":7}"#).await.unwrap();
    assert!(get(&seen().get(0), "body").as_string().unwrap().contains(r#""limit":7"#));
    let e = settle(c.call("people.query".into(), r#"{"maxItems":-1}"#.into(), JsValue::UNDEFINED)).await.unwrap_err();
    assert_eq!(get(&e, "field").as_string().unwrap(), "maxItems");
}
