//! Every row of the error table (contract §6), 401 vs 403, and hostile input.

mod common;

use common::{start, COMPANY_WRITER, KEY, READER};
use serde_json::json;

#[tokio::test]
async fn validation_errors_name_the_field() {
    let h = start().await;
    let long_title = "t".repeat(1001);
    let long_summary = "s".repeat(10_001);
    let cases = [
        ("POST", "/people", json!({}), "email"),
        ("POST", "/people", json!({"email": "not-an-email"}), "email"),
        ("POST", "/people", json!({"email": "a@b"}), "email"),
        ("POST", "/people", json!({"email": "a@b.example", "firstName": 3}), "firstName"),
        ("PUT", "/people", json!({"firstName": "x"}), "email"),
        ("POST", "/companies", json!({"domain": "x.example"}), "name"),
        ("POST", "/interactions", json!({"direction": "INBOUND", "mainContactEmail": "a@b.co"}), "type"),
        ("POST", "/interactions", json!({"type": "FAX", "direction": "INBOUND", "mainContactEmail": "a@b.co"}), "type"),
        (
            "POST",
            "/interactions",
            json!({"type": "EMAIL", "direction": "SIDEWAYS", "mainContactEmail": "a@b.co"}),
            "direction",
        ),
        (
            "POST",
            "/interactions",
            json!({"type": "EMAIL", "direction": "INBOUND", "mainContactEmail": "a@b.co", "title": long_title}),
            "title",
        ),
        (
            "POST",
            "/interactions",
            json!({"type": "EMAIL", "direction": "INBOUND", "mainContactEmail": "a@b.co", "summary": long_summary}),
            "summary",
        ),
        ("POST", "/interactions", json!({"type": "EMAIL", "direction": "INBOUND"}), "mainContact"),
        (
            "POST",
            "/interactions",
            json!({"type": "EMAIL", "direction": "INBOUND", "mainContact": "per_x", "mainContactEmail": "a@b.co"}),
            "mainContact",
        ),
        (
            "POST",
            "/interactions",
            json!({"type": "EMAIL", "direction": "INBOUND", "mainContactEmail": "a@b.co", "interactionDate": "2024-05-01T00:00:00Z"}),
            "interactionDate",
        ),
        ("POST", "/people/query", json!({"limit": 0}), "limit"),
        ("POST", "/people/query", json!({"limit": 101}), "limit"),
        ("POST", "/people/query", json!({"cursor": "garbled"}), "cursor"),
        ("POST", "/interactions/query", json!({"cursor": "cur_1_2"}), "cursor"),
        ("POST", "/people/query", json!({"filter": {"name": "x"}}), "filter.name"),
    ];
    for (method, path, body, field) in cases {
        let r = h.call(method, path, Some(body.clone())).await;
        r.assert_error(400, "validation_error");
        assert!(r.body["error"]["details"][field].is_string(), "{method} {path} {body}: {}", r.text);
    }
    // At the limits it is fine.
    let r = h
        .call(
            "POST",
            "/interactions",
            Some(json!({"type": "EMAIL", "direction": "INBOUND",
            "mainContactEmail": "a@b.co", "title": "t".repeat(1000), "summary": "s".repeat(10_000)})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = h.call("POST", "/people/query", Some(json!({"limit": 100}))).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn malformed_json_is_invalid_json() {
    let h = start().await;
    for body in [&b"{"[..], b"not json", b"", b"{\"email\": }", &[0xff, 0xfe][..]] {
        let r = h.raw(Some(KEY), "POST", "/people", Some(body.to_vec()), &[]).await;
        r.assert_error(400, "invalid_json");
    }
    // Valid JSON that is not an object is a validation error.
    let r = h.raw(Some(KEY), "POST", "/people", Some(b"[1,2]".to_vec()), &[]).await;
    r.assert_error(400, "validation_error");
    // Deep nesting does not crash the server.
    let deep = "[".repeat(100_000).into_bytes();
    let r = h.raw(Some(KEY), "POST", "/companies", Some(deep), &[]).await;
    r.assert_error(400, "invalid_json");
    assert_eq!(h.call("GET", "/authenticate", None).await.status, 200);
}

#[tokio::test]
async fn missing_unknown_or_malformed_key_is_401() {
    let h = start().await;
    let r = h.call_as(None, "GET", "/authenticate", None).await;
    r.assert_error(401, "unauthorized");
    assert!(r.header("x-ratelimit-limit").is_none());
    let r = h.call_as(Some("klipy_api_nope"), "GET", "/people/x", None).await;
    r.assert_error(401, "unauthorized");
    assert!(!r.text.contains("klipy_api_nope"), "never echoes the key");
    let r = h.raw(None, "GET", "/authenticate", None, &[("authorization", "Basic abc")]).await;
    r.assert_error(401, "unauthorized");
    let r = h.raw(None, "GET", "/authenticate", None, &[("authorization", "Bearer ")]).await;
    r.assert_error(401, "unauthorized");
    // Unknown paths need a key first.
    let r = h.call_as(None, "GET", "/nowhere", None).await;
    r.assert_error(401, "unauthorized");
}

#[tokio::test]
async fn missing_scope_is_403_with_required_scope() {
    let h = start().await;
    let cases = [
        (READER, "POST", "/people", "people:write"),
        (READER, "PUT", "/people", "people:write"),
        (READER, "PATCH", "/people/per_x", "people:write"),
        (READER, "DELETE", "/people/per_x", "people:write"),
        (READER, "GET", "/companies/cmp_x", "companies:read"),
        (READER, "POST", "/interactions", "interactions:write"),
        (READER, "POST", "/interactions/query", "interactions:read"),
        (READER, "GET", "/interactions/int_x", "interactions:read"),
        (COMPANY_WRITER, "DELETE", "/companies/cmp_x", "companies:remove"),
        (COMPANY_WRITER, "POST", "/people/query", "people:read"),
    ];
    for (key, method, path, scope) in cases {
        let r = h.call_as(Some(key), method, path, Some(json!({}))).await;
        r.assert_error(403, "insufficient_scope");
        assert_eq!(r.body["error"]["details"]["required_scope"], scope, "{method} {path}");
    }
    // What the scopes allow works, and authenticate needs no particular scope.
    assert_eq!(h.call_as(Some(READER), "GET", "/authenticate", None).await.status, 200);
    assert_eq!(h.call_as(Some(READER), "POST", "/people/query", Some(json!({}))).await.status, 200);
    let r = h.call_as(Some(COMPANY_WRITER), "POST", "/companies", Some(json!({"name": "X"}))).await;
    assert_eq!(r.status, 201);
}

#[tokio::test]
async fn unknown_ids_and_paths_are_404() {
    let h = start().await;
    for (method, path) in [
        ("GET", "/people/per_000000000000"),
        ("PATCH", "/people/per_000000000000"),
        ("DELETE", "/companies/cmp_000000000000"),
        ("PATCH", "/companies/cmp_000000000000"),
        ("GET", "/companies/cmp_000000000000"),
        ("GET", "/interactions/int_000000000000"),
        ("GET", "/nothing-here"),
        ("GET", "/people/a/b"),
        ("GET", ""),
    ] {
        let body = (method == "PATCH").then(|| json!({"title": "x"}));
        let r = h.call(method, path, body).await;
        r.assert_error(404, "not_found");
    }
    // Outside /api/v1 too.
    let r = h.client.get(format!("{}/elsewhere", h.server.root_url())).send().await.unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn wrong_method_on_known_path_is_405_with_allow() {
    let h = start().await;
    for (method, path, allow) in [
        ("GET", "/people", "POST, PUT"),
        ("DELETE", "/people", "POST, PUT"),
        ("GET", "/people/query", "POST"),
        ("PUT", "/people/per_x", "GET, PATCH, DELETE"),
        ("POST", "/authenticate", "GET"),
        ("GET", "/companies", "POST"),
        ("DELETE", "/interactions/int_x", "GET"),
        ("GET", "/interactions", "POST"),
    ] {
        let r = h.call(method, path, None).await;
        r.assert_error(405, "method_not_allowed");
        assert_eq!(r.header("allow"), Some(allow), "{method} {path}");
    }
}

#[tokio::test]
async fn duplicates_are_409_naming_the_field() {
    let h = start().await;
    h.person("ada@example.com").await;
    let r = h.call("POST", "/people", Some(json!({"email": "ADA@example.COM"}))).await;
    r.assert_error(409, "conflict");
    assert!(r.body["error"]["details"]["email"].is_string());

    let other = h.person("grace@example.com").await;
    let r = h.call("PATCH", &format!("/people/{other}"), Some(json!({"email": "Ada@Example.com"}))).await;
    r.assert_error(409, "conflict");
    assert!(r.body["error"]["details"]["email"].is_string());
    // Changing only the case of one's own email is fine.
    let r = h.call("PATCH", &format!("/people/{other}"), Some(json!({"email": "GRACE@example.com"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);

    let r = h.call("POST", "/companies", Some(json!({"name": "A", "domain": "acme.example"}))).await;
    assert_eq!(r.status, 201);
    let r = h.call("POST", "/companies", Some(json!({"name": "B", "domain": "ACME.example"}))).await;
    r.assert_error(409, "conflict");
    assert!(r.body["error"]["details"]["domain"].is_string());
}

#[tokio::test]
async fn bodies_over_one_mebibyte_are_413() {
    let h = start().await;
    let pad = "x".repeat(1024 * 1024);
    let body = serde_json::to_vec(&json!({"email": "big@example.com", "pad": pad})).unwrap();
    assert!(body.len() > 1024 * 1024);
    let r = h.raw(Some(KEY), "POST", "/people", Some(body), &[]).await;
    r.assert_error(413, "payload_too_large");
    // Just under the limit is accepted.
    let pad = "x".repeat(1024 * 1024 - 100);
    let body = serde_json::to_vec(&json!({"email": "big@example.com", "pad": pad})).unwrap();
    assert!(body.len() <= 1024 * 1024);
    let r = h.raw(Some(KEY), "POST", "/people", Some(body), &[]).await;
    assert_eq!(r.status, 201, "{}", &r.text[..200.min(r.text.len())]);
}

#[tokio::test]
async fn server_error_rows_via_faults() {
    let h = start().await;
    for (status, code) in [
        (500, "internal_error"),
        (502, "bad_gateway"),
        (503, "unavailable"),
        (504, "gateway_timeout"),
        (429, "rate_limited"),
    ] {
        h.faults(json!({"status": status})).await;
        let r = h.call("GET", "/authenticate", None).await;
        r.assert_error(status, code);
    }
}

#[tokio::test]
async fn rate_limit_headers_on_errors_after_a_valid_key() {
    let h = start().await;
    let r = h.call("GET", "/people/per_x", None).await;
    assert_eq!(r.status, 404);
    assert!(r.header("x-ratelimit-limit").is_some());
    assert!(r.header("x-ratelimit-remaining").is_some());
    assert!(r.header("x-ratelimit-reset").is_some());
}
