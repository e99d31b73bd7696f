//! Fault injection (status, retryAfter, headers, delayMs, body, reset), the request log and
//! the other control endpoints.

mod common;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use common::{start, start_with, KEY};
use serde_json::json;

#[tokio::test]
async fn status_fault_with_retry_after_applies_times_then_stops() {
    let h = start().await;
    h.faults(json!([{"match": {"method": "GET", "path": "/people/*"}, "times": 2,
                     "status": 503, "retryAfter": 1}]))
        .await;
    // Non-matching requests (other path, other method) pass.
    assert_eq!(h.call("GET", "/authenticate", None).await.status, 200);
    assert_eq!(h.call("POST", "/people/query", Some(json!({}))).await.status, 200);
    for _ in 0..2 {
        let r = h.call("GET", "/people/per_x", None).await;
        r.assert_error(503, "unavailable");
        assert_eq!(r.header("retry-after"), Some("1"));
    }
    let r = h.call("GET", "/people/per_x", None).await;
    assert_eq!(r.status, 404, "faults used up");
}

#[tokio::test]
async fn match_accepts_full_path_exact_paths_and_any() {
    let h = start().await;
    h.faults(json!([
        {"match": {"path": "/api/v1/authenticate"}, "status": 500},
        {"match": {"path": "/people"}, "status": 502},
        {"status": 504}
    ]))
    .await;
    h.call("GET", "/authenticate", None).await.assert_error(500, "internal_error");
    // `/people` is exact: /people/query goes to the catch-all fault.
    h.call("POST", "/people/query", Some(json!({}))).await.assert_error(504, "gateway_timeout");
    h.call("PUT", "/people", Some(json!({}))).await.assert_error(502, "bad_gateway");
    let pending = h.control("GET", "/__mock/faults", None).await;
    assert_eq!(pending.body["faults"], json!([]));
}

#[tokio::test]
async fn html_body_json_body_and_garbage_2xx() {
    let h = start().await;
    h.faults(json!([
        {"status": 502, "body": "<html><body>Bad gateway</body></html>"},
        {"status": 400, "body": "{\"errors\":[{\"code\":\"x\"}]}"},
        {"status": 200, "body": "not json"},
        {"status": 200, "body": {"success": true, "data": {"team_name": "Old"}}}
    ]))
    .await;
    let r = h.call("GET", "/authenticate", None).await;
    assert_eq!(r.status, 502);
    assert_eq!(r.text, "<html><body>Bad gateway</body></html>");
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.header("x-request-id").is_some());
    let r = h.call("GET", "/authenticate", None).await;
    assert_eq!(r.status, 400);
    assert_eq!(r.body["errors"][0]["code"], "x");
    assert_eq!(r.header("content-type"), Some("application/json"));
    let r = h.call("GET", "/authenticate", None).await;
    assert_eq!((r.status, r.text.as_str()), (200, "not json"));
    let r = h.call("GET", "/authenticate", None).await;
    assert_eq!(r.body["data"]["team_name"], "Old");
}

#[tokio::test]
async fn headers_and_http_date_retry_after_are_sent_verbatim() {
    let h = start().await;
    h.faults(json!([
        {"status": 429, "retryAfter": "Wed, 21 Oct 2015 07:28:00 GMT",
         "headers": {"X-RateLimit-Reset": "1700000000000", "retry-after-ms": "1500", "X-Custom": 7}},
        {"headers": {"X-RateLimit-Remaining": "0"}}
    ]))
    .await;
    let r = h.call("GET", "/authenticate", None).await;
    r.assert_error(429, "rate_limited");
    assert_eq!(r.header("retry-after"), Some("Wed, 21 Oct 2015 07:28:00 GMT"));
    assert_eq!(r.header("x-ratelimit-reset"), Some("1700000000000"));
    assert_eq!(r.header("retry-after-ms"), Some("1500"));
    assert_eq!(r.header("x-custom"), Some("7"));
    // Without a status the request is served normally, with the headers laid over.
    let r = h.call("GET", "/authenticate", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    assert_eq!(r.header("x-ratelimit-limit"), Some("200"));
}

#[tokio::test]
async fn delay_alone_delays_then_serves() {
    let h = start().await;
    h.faults(json!({"delayMs": 200})).await;
    let started = Instant::now();
    let r = h.call("GET", "/authenticate", None).await;
    assert_eq!(r.status, 200);
    assert!(started.elapsed() >= Duration::from_millis(200));
    let log = h.requests().await;
    assert_eq!(log[0]["fault"], true);
    assert_eq!(log[0]["status"], 200);
    // Delay plus status.
    h.faults(json!({"delayMs": 100, "status": 503})).await;
    let started = Instant::now();
    assert_eq!(h.call("GET", "/authenticate", None).await.status, 503);
    assert!(started.elapsed() >= Duration::from_millis(100));
}

#[tokio::test]
async fn reset_drops_the_connection_without_a_response() {
    let h = start().await;
    h.faults(json!({"match": {"path": "/authenticate"}, "reset": true})).await;
    let result = h.client.get(format!("{}/authenticate", h.server.url())).header("x-klipy-api-key", KEY).send().await;
    assert!(result.is_err(), "expected a transport error");
    let log = h.requests().await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["status"], 0);
    assert_eq!(log[0]["fault"], true);
    // The server goes on serving.
    assert_eq!(h.call("GET", "/authenticate", None).await.status, 200);

    // On the wire it is a TCP reset.
    h.faults(json!({"reset": true})).await;
    let addr = h.server.addr();
    let outcome = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        stream.write_all(b"GET /api/v1/authenticate HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let mut buf = [0u8; 64];
        stream.read(&mut buf)
    })
    .await
    .unwrap();
    match outcome {
        Err(e) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
        Ok(n) => panic!("expected a reset, read {n} bytes"),
    }
}

#[tokio::test]
async fn faults_skip_auth_and_do_not_use_rate_limit_budget() {
    let h = start_with(common::base_config().with_limits(2, 1000, 60)).await;
    h.faults(json!({"status": 503, "times": 3})).await;
    for _ in 0..3 {
        assert_eq!(h.call_as(None, "GET", "/authenticate", None).await.status, 503);
    }
    assert_eq!(h.call("GET", "/authenticate", None).await.status, 200);
    let r = h.call("GET", "/authenticate", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
}

#[tokio::test]
async fn bad_faults_are_rejected_whole() {
    let h = start().await;
    for bad in [
        json!({"stauts": 503}),
        json!([{"status": 503}, {"times": 0}]),
        json!({"status": 42}),
        json!({"match": {"method": "GE T"}}),
        json!({"headers": {"bad name": "x"}}),
        json!("nope"),
    ] {
        let r = h.control("POST", "/__mock/faults", Some(bad.clone())).await;
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.body["error"].is_string());
    }
    let r = h.control("GET", "/__mock/faults", None).await;
    assert_eq!(r.body["faults"], json!([]));
}

#[tokio::test]
async fn faults_list_and_clear() {
    let h = start().await;
    h.faults(json!([{"match": {"method": "get", "path": "/people/*"}, "times": 3, "status": 500},
                    {"reset": true}]))
        .await;
    let r = h.control("GET", "/__mock/faults", None).await;
    let faults = r.body["faults"].as_array().unwrap();
    assert_eq!(faults.len(), 2);
    assert_eq!(faults[0]["times"], 3);
    assert_eq!(faults[0]["status"], 500);
    assert_eq!(faults[1]["reset"], true);
    h.call("GET", "/people/x", None).await;
    let r = h.control("GET", "/__mock/faults", None).await;
    assert_eq!(r.body["faults"][0]["times"], 2);
    let r = h.control("DELETE", "/__mock/faults", None).await;
    assert_eq!(r.status, 200);
    let r = h.control("GET", "/__mock/faults", None).await;
    assert_eq!(r.body["faults"], json!([]));
}

#[tokio::test]
async fn request_log_records_every_api_request_but_never_the_key() {
    let h = start().await;
    let before = common::now_ms();
    h.call("GET", "/authenticate", None).await;
    h.raw(Some(KEY), "POST", "/people/query?x=1", Some(b"{}".to_vec()), &[("x-klipy-retry-count", "2")]).await;
    h.call_as(None, "GET", "/people/per_x", None).await;
    h.raw(None, "GET", "/authenticate", None, &[("authorization", "Bearer klipy_api_test_all")]).await;
    h.faults(json!({"status": 503})).await;
    let faulted = h.call("DELETE", "/people/per_y", None).await;
    // Control calls and static paths are not logged.
    h.control("GET", "/__mock/health", None).await;

    let r = h.control("GET", "/__mock/requests", None).await;
    assert!(!r.text.contains(KEY), "the log must never hold a key");
    let log = r.body["requests"].as_array().unwrap();
    let summary: Vec<(String, String, i64, bool)> = log
        .iter()
        .map(|e| {
            (
                e["method"].as_str().unwrap().to_owned(),
                e["path"].as_str().unwrap().to_owned(),
                e["status"].as_i64().unwrap(),
                e["fault"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            ("GET".into(), "/authenticate".into(), 200, false),
            ("POST".into(), "/people/query".into(), 200, false),
            ("GET".into(), "/people/per_x".into(), 401, false),
            ("GET".into(), "/authenticate".into(), 200, false),
            ("DELETE".into(), "/people/per_y".into(), 503, true),
        ]
    );
    assert!(log[0]["retryCount"].is_null());
    assert_eq!(log[1]["retryCount"], 2);
    assert!(log[0]["time"].as_i64().unwrap() >= before);
    assert_eq!(log[4]["requestId"], faulted.header("x-request-id").unwrap());

    let r = h.control("DELETE", "/__mock/requests", None).await;
    assert_eq!(r.status, 200);
    assert!(h.requests().await.is_empty());
}

#[tokio::test]
async fn reset_empties_everything_and_can_reseed() {
    let h = start_with(common::base_config().with_limits(3, 1000, 60)).await;
    h.person("a@example.com").await;
    h.faults(json!({"match": {"path": "/nothing"}, "status": 500})).await;
    h.call("GET", "/authenticate", None).await;
    let r = h.call("GET", "/authenticate", None).await;
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));

    let r = h.control("POST", "/__mock/reset", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = h.call("POST", "/people/query", Some(json!({}))).await;
    assert_eq!(r.body["data"], json!([]));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("2"), "fresh windows");
    assert_eq!(h.control("GET", "/__mock/faults", None).await.body["faults"], json!([]));
    assert_eq!(h.requests().await.len(), 1);
    // Keys stay.
    assert_eq!(h.call("GET", "/authenticate", None).await.status, 200);

    let r = h.control("POST", "/__mock/reset", Some(json!({"seedDemo": true}))).await;
    assert_eq!(r.body["seeded"]["people"], 10);
    let r = h.call("POST", "/people/query", Some(json!({"limit": 100}))).await;
    assert_eq!(r.body["data"].as_array().unwrap().len(), 10);
}

#[tokio::test]
async fn health_is_ok() {
    let h = start().await;
    let r = h.control("GET", "/__mock/health", None).await;
    assert_eq!((r.status, r.body.clone()), (200, json!({"ok": true})));
}

#[tokio::test]
async fn in_process_shutdown_closes_the_port() {
    let h = start().await;
    let url = h.server.url();
    assert_eq!(h.call("GET", "/authenticate", None).await.status, 200);
    let started = Instant::now();
    h.server.shutdown().await;
    assert!(started.elapsed() < Duration::from_secs(2));
    let fresh = reqwest::Client::new();
    assert!(fresh.get(format!("{url}/authenticate")).send().await.is_err());
}

#[tokio::test]
async fn www_serves_static_files_with_content_types() {
    let dir = std::env::temp_dir().join(format!("klipy-mock-www-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("pkg")).unwrap();
    std::fs::write(dir.join("index.html"), "<h1>hi</h1>").unwrap();
    std::fs::write(dir.join("pkg/app.wasm"), [0u8, 97, 115, 109]).unwrap();
    std::fs::write(dir.join("pkg/app.mjs"), "export {}").unwrap();
    let h = start_with(common::base_config().with_www(&dir)).await;
    let get = |path: &str| {
        let url = format!("{}{}", h.server.root_url(), path);
        let client = h.client.clone();
        async move { client.get(url).send().await.unwrap() }
    };
    let r = get("/").await;
    assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(r.text().await.unwrap(), "<h1>hi</h1>");
    let r = get("/pkg/app.wasm").await;
    assert_eq!(r.headers()["content-type"], "application/wasm");
    let r = get("/pkg/app.mjs").await;
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/javascript"));
    assert_eq!(get("/missing.js").await.status(), 404);
    assert_eq!(get("/%2e%2e/etc/passwd").await.status(), 404);
    // The API still lives under /api/v1.
    assert_eq!(h.call("GET", "/authenticate", None).await.status, 200);
    let _ = std::fs::remove_dir_all(&dir);
}
