//! The native client against injected faults: a real klipy-mock on 127.0.0.1 (429 with
//! `Retry-After`, 503s, a connection reset, a redirect) and raw loopback listeners (a witness
//! for where the key travels, an endless body, a closed port).
#![cfg(all(any(feature = "reqwest", feature = "reqwest-ring"), not(target_arch = "wasm32")))]
#![allow(clippy::disallowed_methods)] // these tests measure real waits with Instant::now

mod mock_harness;

use klipy_sdk::{Client, ErrorKind, RequestOptions};
use mock_harness::{config, EndlessBody, Mock, Witness, KEY};
use serde_json::json;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_a_429_after_its_retry_after() {
    let mock = Mock::start().await;
    let client = mock.client();
    mock.faults(json!([{"match": {"path": "/authenticate"}, "status": 429, "retryAfter": 1}])).await;
    let t = Instant::now();
    assert_eq!(client.authenticate().await.unwrap().team_name, "Klipy Mock");
    assert!(t.elapsed() >= Duration::from_millis(950), "waited {:?}", t.elapsed());
    assert_eq!(mock.log_for("/authenticate").await, vec![("GET".into(), 429, None), ("GET".into(), 200, Some(1))]);

    // With no retries left, the 429 surfaces with its wait.
    mock.faults(json!([{"match": {"path": "/authenticate"}, "status": 429, "retryAfter": 2}])).await;
    let e = client.authenticate_with(&RequestOptions { max_retries: Some(0), ..Default::default() }).await.unwrap_err();
    assert_eq!((e.kind(), e.status(), e.code()), (ErrorKind::RateLimit, Some(429), Some("rate_limited")));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(2)));
    assert!(e.request_id().is_some_and(|id| id.starts_with("req_")), "{e:?}");
    assert!(e.is_retryable());

    // A wait longer than max_retry_wait_ms is not sat out.
    let impatient = mock.client_with(config(|c| c.max_retry_wait_ms = 500));
    mock.faults(json!([{"match": {"path": "/authenticate"}, "status": 429, "retryAfter": 30}])).await;
    let t = Instant::now();
    let e = impatient.authenticate().await.unwrap_err();
    assert_eq!((e.kind(), e.retry_after(), e.attempts()), (ErrorKind::RateLimit, Some(Duration::from_secs(30)), 1));
    assert!(t.elapsed() < Duration::from_secs(5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_503s_then_succeeds_and_gives_up_after_max_retries() {
    let mock = Mock::start().await;
    let client = mock.client();
    let ada = client.people().upsert(&json!({"email": "ada@example.com"})).await.unwrap();
    let path = format!("/people/{}", ada.id);
    mock.faults(json!([{"match": {"method": "GET", "path": "/people/*"}, "times": 2, "status": 503}])).await;
    assert_eq!(client.people().get(&ada.id).await.unwrap().id, ada.id);
    let log = mock.log_for(&path).await;
    assert_eq!(log, vec![("GET".into(), 503, None), ("GET".into(), 503, Some(1)), ("GET".into(), 200, Some(2))]);

    mock.faults(json!([{"match": {"method": "GET", "path": "/people/*"}, "times": 3, "status": 503}])).await;
    let e = client.people().get(&ada.id).await.unwrap_err();
    assert_eq!((e.kind(), e.status(), e.attempts()), (ErrorKind::InternalServer, Some(503), 3));
    assert_eq!(e.code(), Some("unavailable"));

    // A create without a dedupe key is not replayed after a plain 503 (it might have happened).
    mock.faults(json!([{"match": {"method": "POST", "path": "/companies"}, "status": 503}])).await;
    let e = client.companies().create(&json!({"name": "Acme"})).await.unwrap_err();
    assert_eq!((e.status(), e.attempts()), (Some(503), 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_reset_is_a_connection_error_and_is_retried() {
    let mock = Mock::start().await;
    let client = mock.client();
    mock.faults(json!([{"match": {"path": "/authenticate"}, "reset": true}])).await;
    assert_eq!(client.authenticate().await.unwrap().team_name, "Klipy Mock");
    let log = mock.log_for("/authenticate").await;
    assert_eq!(log, vec![("GET".into(), 0, None), ("GET".into(), 200, Some(1))]);

    mock.faults(json!([{"match": {"path": "/authenticate"}, "reset": true}])).await;
    let e = client.authenticate_with(&RequestOptions { max_retries: Some(0), ..Default::default() }).await.unwrap_err();
    assert_eq!((e.kind(), e.status(), e.attempts()), (ErrorKind::Connection, None, 1), "{e:?}");
    let cause = e.cause().unwrap_or_default().to_ascii_lowercase();
    assert!(cause.contains("reset") || cause.contains("closed"), "the cause names the reason: {cause}");
    assert!(std::error::Error::source(&e).is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_connection_names_the_reason() {
    // A port that was just free: bind, read the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = Client::builder().base_url(&format!("http://127.0.0.1:{port}/api/v1")).api_key(KEY).build().unwrap();
    let e = client.authenticate_with(&RequestOptions { max_retries: Some(0), ..Default::default() }).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connection, "{e:?}");
    assert!(e.cause().unwrap_or_default().contains("connection refused"), "{:?}", e.cause());
    assert!(!e.to_string().contains(KEY) && !format!("{e:?}").contains(KEY));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_is_not_followed_and_the_key_stays_home() {
    let mock = Mock::start().await;
    let elsewhere = Witness::start().await;
    let client = mock.client();
    for status in [301, 302, 307, 308] {
        mock.faults(json!([{
            "match": {"path": "/authenticate"}, "status": status,
            "headers": {"Location": format!("{}/steal", elsewhere.url)}
        }]))
        .await;
        let e = client.authenticate().await.unwrap_err();
        assert_eq!((e.kind(), e.status(), e.attempts()), (ErrorKind::Api, Some(status), 1), "{e:?}");
        assert!(e.message().contains("redirect"), "{e}");
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(elsewhere.connections(), 0, "nothing, and so no key, went to the Location");

    // The witness itself, as a base URL, shows what a request carries: the key and the caller's
    // header go to the base URL's host (and only there).
    let direct = Client::builder().base_url(&format!("{}/api/v1", elsewhere.url)).api_key(KEY).build().unwrap();
    let opts =
        RequestOptions { headers: vec![("x-trace".into(), "abc".into())], max_retries: Some(0), ..Default::default() };
    let _ = direct.authenticate_with(&opts).await;
    let seen = elsewhere.seen.lock().unwrap().join("\n").to_ascii_lowercase();
    assert!(seen.contains(&format!("x-klipy-api-key: {KEY}")), "{seen}");
    assert!(seen.contains("x-trace: abc"), "{seen}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_over_cap_body_is_refused_by_length_or_while_streaming() {
    // Content-Length over the cap: refused before reading.
    let mock = Mock::start().await;
    let small = mock.client_with(config(|c| c.max_response_bytes = 1000));
    let big = json!({"object": "success", "data": {"teamName": "x".repeat(5000)}});
    mock.faults(json!([{"match": {"path": "/authenticate"}, "status": 200, "body": big}])).await;
    let e = small.authenticate().await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.attempts()), (ErrorKind::Decode, Some("response_too_large"), 1), "{e:?}");
    // The per-call cap overrides the client's.
    mock.faults(json!([{"match": {"path": "/authenticate"}, "status": 200, "body": big}])).await;
    let roomy = RequestOptions { max_response_bytes: Some(100_000), ..Default::default() };
    assert_eq!(small.authenticate_with(&roomy).await.unwrap().team_name.len(), 5000);

    // No Content-Length and a body that never ends: reading stops at the cap.
    let endless = EndlessBody::start().await;
    let client = Client::builder()
        .config(config(|c| c.max_response_bytes = 64 * 1024))
        .base_url(&endless.base_url)
        .api_key(KEY)
        .build()
        .unwrap();
    let t = Instant::now();
    let e = client.authenticate().await.unwrap_err();
    assert_eq!((e.kind(), e.code()), (ErrorKind::Decode, Some("response_too_large")), "{e:?}");
    tokio::time::timeout(Duration::from_secs(10), endless.closed.notified())
        .await
        .expect("the server saw the client go");
    let written = endless.written.load(std::sync::atomic::Ordering::SeqCst);
    assert!(written < 32 * 1024 * 1024, "the client hung up early, not after {written} bytes");
    assert!(t.elapsed() < Duration::from_secs(10));
}
