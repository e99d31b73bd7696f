//! Fixed-window rate limits per key and per organization.

mod common;

use std::time::Duration;

use common::{start_with, Harness, COMPANY_WRITER, KEY};
use serde_json::json;

/// Requests until a 429 comes back (a window may roll over once in between).
async fn until_limited(h: &Harness, key: &str, max: usize) -> common::Resp {
    for _ in 0..max {
        let r = h.call_as(Some(key), "GET", "/authenticate", None).await;
        if r.status == 429 {
            return r;
        }
        assert_eq!(r.status, 200);
    }
    panic!("no 429 after {max} requests");
}

#[tokio::test]
async fn per_key_limit_gives_429_then_resets_after_the_window() {
    let h = start_with(common::base_config().with_limits(3, 1000, 1)).await;
    let r = h.call("GET", "/authenticate", None).await;
    assert_eq!(r.header("x-ratelimit-limit"), Some("3"));
    assert_eq!(r.header("x-ratelimit-remaining"), Some("2"));
    let reset: i64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();
    let now_secs = common::now_ms() / 1000;
    assert!(reset > now_secs - 1 && reset <= now_secs + 2, "{reset} vs {now_secs}");

    let r = until_limited(&h, KEY, 8).await;
    r.assert_error(429, "rate_limited");
    let retry_after: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!(retry_after >= 1);
    assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
    assert_eq!(r.header("x-ratelimit-limit"), Some("3"));
    let reset: i64 = r.header("x-ratelimit-reset").unwrap().parse().unwrap();

    // Another key still has its own budget.
    let other = h.call_as(Some(COMPANY_WRITER), "GET", "/authenticate", None).await;
    assert_eq!(other.status, 200);

    let wait = reset * 1000 - common::now_ms() + 30;
    if wait > 0 {
        tokio::time::sleep(Duration::from_millis(wait as u64)).await;
    }
    let r = h.call("GET", "/authenticate", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn organization_limit_spans_all_keys() {
    let h = start_with(common::base_config().with_limits(100, 4, 60)).await;
    let mut statuses = Vec::new();
    for key in [KEY, COMPANY_WRITER, KEY, COMPANY_WRITER, KEY] {
        let r = h.call_as(Some(key), "GET", "/authenticate", None).await;
        statuses.push(r.status);
        if r.status == 429 {
            assert_eq!(r.header("x-ratelimit-limit"), Some("4"));
            assert!(r.header("retry-after").is_some());
        }
    }
    assert_eq!(statuses, [200, 200, 200, 200, 429]);
}

#[tokio::test]
async fn limits_can_change_at_runtime_with_fresh_windows() {
    let h = start_with(common::base_config()).await;
    let r = h.call("GET", "/authenticate", None).await;
    assert_eq!(r.header("x-ratelimit-limit"), Some("200"));
    let r = h.control("POST", "/__mock/limits", Some(json!({"perKeyRpm": 2, "windowSecs": 30}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body, json!({"perKeyRpm": 2, "perOrgRpm": 1000, "windowSecs": 30}));
    assert_eq!(h.call("GET", "/authenticate", None).await.status, 200);
    assert_eq!(h.call("GET", "/authenticate", None).await.status, 200);
    let r = h.call("GET", "/authenticate", None).await;
    r.assert_error(429, "rate_limited");
    assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() <= 30);
    // Posting limits again starts fresh windows.
    h.control("POST", "/__mock/limits", Some(json!({"perKeyRpm": 2}))).await;
    assert_eq!(h.call("GET", "/authenticate", None).await.status, 200);
    let bad = h.control("POST", "/__mock/limits", Some(json!({"perKeyRpm": 0}))).await;
    assert_eq!(bad.status, 400);
    let bad = h.control("POST", "/__mock/limits", Some(json!({"rpm": 5}))).await;
    assert_eq!(bad.status, 400);
    let r = h.control("GET", "/__mock/limits", None).await;
    assert_eq!(r.body["perKeyRpm"], 2);
}

#[tokio::test]
async fn unauthorized_requests_do_not_count() {
    let h = start_with(common::base_config().with_limits(1, 1000, 60)).await;
    for _ in 0..3 {
        assert_eq!(h.call_as(Some("klipy_api_x"), "GET", "/authenticate", None).await.status, 401);
    }
    assert_eq!(h.call("GET", "/authenticate", None).await.status, 200);
}
