//! Tolerant decoding: every variant of klipy-api.md §9.

mod common;
use common::*;
use klipy_sdk::request::Shape;
use klipy_sdk::response::{decode_api_error, decode_success, rate_limit_info};
use klipy_sdk::{ErrorKind, HttpResponse};
use serde_json::{json, Value};

fn resp(status: u16, body: &str, headers: &[(&str, &str)]) -> HttpResponse {
    HttpResponse {
        status,
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: body.as_bytes().to_vec(),
    }
}

#[test]
fn authenticate_name_in_every_place() {
    let bodies = [
        json!({"object": "success", "data": {"team_name": "Acme"}, "meta": {"request_id": "req_1"}}),
        json!({"object": "success", "data": {"teamName": "Acme"}}),
        json!({"object": "success", "data": {"organization_name": "Acme"}}),
        json!({"object": "success", "data": {"name": "Acme"}}),
        json!({"object": "success", "data": {"team": {"name": "Acme", "id": "t1"}}}),
        json!({"team_name": "Acme"}),
        json!({"success": true, "data": {"team_name": "Acme"}}),
    ];
    for b in bodies {
        let d = decode_success(&resp(200, &b.to_string(), &[]), Shape::Authenticate).unwrap();
        assert_eq!(d.data, json!({"teamName": "Acme"}), "{b}");
    }
    let e = decode_success(&resp(200, r#"{"data": {}}"#, &[]), Shape::Authenticate).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Decode);
}

#[test]
fn list_items_page_info_and_cursor_names() {
    let items = json!([{"id": "per_1"}, {"id": "per_2"}]);
    let cases: Vec<(Value, bool, Option<&str>)> = vec![
        (
            json!({"object": "list", "data": items, "page_info": {"has_next_page": true, "end_cursor": "c2"}}),
            true,
            Some("c2"),
        ),
        (
            json!({"data": {"people": items, "page_info": {"has_more": true, "next_cursor": "c2"}}, "meta": {}}),
            true,
            Some("c2"),
        ),
        (
            json!({"data": {"interactions": items}, "meta": {"page_info": {"hasNextPage": true, "endCursor": "c2"}}}),
            true,
            Some("c2"),
        ),
        (
            json!({"data": {"items": items}, "page_info": {"hasMore": true, "nextCursor": "c2"}, "object": "list"}),
            true,
            Some("c2"),
        ),
        (json!({"data": {"results": items}, "page_info": {"cursor": "c2"}, "object": "list"}), true, Some("c2")),
        (json!({"data": {"people": items, "has_more": true, "next_cursor": "c2"}, "meta": {}}), true, Some("c2")),
        (json!({"object": "list", "data": items, "hasMore": true, "nextCursor": "c2"}), true, Some("c2")),
        (
            json!({"success": true, "data": items, "page_info": {"has_next_page": false, "end_cursor": "c2"}}),
            false,
            None,
        ),
        (
            json!({"object": "list", "data": items, "page_info": {"has_next_page": true, "end_cursor": null}}),
            false,
            None,
        ),
        (json!({"object": "list", "data": items}), false, None),
        (json!({"object": "list", "data": [], "page_info": {"has_next_page": true, "end_cursor": "c2"}}), false, None),
    ];
    for (body, more, cursor) in cases {
        let d = decode_success(&resp(200, &body.to_string(), &[]), Shape::List).unwrap();
        assert_eq!((d.has_next_page, d.next_cursor.as_deref()), (more, cursor), "{body}");
        let n = d.data.as_array().unwrap().len();
        assert!(n == 2 || n == 0);
    }
}

#[test]
fn request_id_from_meta_or_header() {
    let d = decode_success(
        &resp(200, r#"{"object":"success","data":{},"meta":{"request_id":"req_meta"}}"#, &[("x-request-id", "req_h")]),
        Shape::Single,
    )
    .unwrap();
    assert_eq!(d.request_id.as_deref(), Some("req_meta"));
    let d =
        decode_success(&resp(200, r#"{"object":"success","data":{}}"#, &[("X-Request-Id", "req_h")]), Shape::Single)
            .unwrap();
    assert_eq!(d.request_id.as_deref(), Some("req_h"));
}

#[test]
fn unknown_fields_and_enum_values_round_trip() {
    let body = json!({"object": "success", "data": {"id": "int_1", "type": "HOLOGRAM", "direction": "SIDEWAYS",
                      "contacts": ["per_1"], "vendorScore": {"a": [1, 2]}, "interactionDate": "2024-01-01T00:00:00Z"}});
    let (c, _, _) = client(vec![Step::json(200, body)]);
    let i = block_on(c.interactions().get("int_1")).unwrap();
    assert_eq!(i.kind.as_str(), "HOLOGRAM");
    assert_eq!(i.direction.as_str(), "SIDEWAYS");
    assert_eq!(i.extra["vendorScore"], json!({"a": [1, 2]}));
    let back = serde_json::to_value(&i).unwrap();
    assert_eq!(back["type"], "HOLOGRAM");
    assert_eq!(back["vendorScore"], json!({"a": [1, 2]}));
    let (c, _, _) =
        client(vec![Step::ok(200, json!({"id": "per_1", "email": "a@b.co", "nickname": "Ada", "score": 7}))]);
    let p = block_on(c.people().get("per_1")).unwrap();
    assert_eq!(p.extra["nickname"], "Ada");
    assert_eq!(p.extra["score"], 7);
}

#[test]
fn bad_success_bodies_are_decode_errors() {
    for (body, shape) in [
        ("<html>oops</html>", Shape::Single),
        ("{\"object\":\"success\",\"data\":", Shape::Single),
        ("", Shape::List),
        ("{\"object\":\"list\",\"data\":7}", Shape::List),
        ("\u{0}\u{1}", Shape::Single),
    ] {
        let e = decode_success(&resp(200, body, &[("x-request-id", "req_9")]), shape).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Decode, "{body:?}");
        assert_eq!((e.status(), e.request_id()), (Some(200), Some("req_9")));
    }
    // An empty 2xx body for a single resource is fine (data is null).
    assert_eq!(decode_success(&resp(204, "", &[]), Shape::Single).unwrap().data, Value::Null);
    // A model that does not fit is a decode error too.
    let (c, _, _) = client(vec![Step::ok(200, json!({"email": "no-id@example.com"}))]);
    assert_eq!(block_on(c.people().get("per_1")).unwrap_err().kind(), ErrorKind::Decode);
}

#[test]
fn error_body_layouts() {
    let cases: Vec<(&str, Option<&str>, &str, Option<Value>)> = vec![
        (
            r#"{"object":"error","error":{"code":"not_found","message":"No such person","details":null},"meta":{"request_id":"req_e"}}"#,
            Some("not_found"),
            "No such person",
            None,
        ),
        (
            r#"{"code":"validation_error","message":"Bad email","details":{"email":"invalid"}}"#,
            Some("validation_error"),
            "Bad email",
            Some(json!({"email": "invalid"})),
        ),
        (
            r#"{"errors":[{"code":"conflict","message":"Email taken","details":{"field":"email"}}]}"#,
            Some("conflict"),
            "Email taken",
            Some(json!({"field": "email"})),
        ),
        (r#"{"success":false,"error":"Invalid API key"}"#, None, "Invalid API key", None),
        ("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", None, "502 Bad Gateway", None),
        ("Service Unavailable\nmore", None, "Service Unavailable", None),
        ("", None, "", None),
    ];
    for (body, code, message, details) in cases {
        let e = decode_api_error(&resp(418, body, &[]));
        assert_eq!(e.code(), code, "{body}");
        assert!(e.message().contains(message), "{body}: {}", e.message());
        assert_eq!(e.details().cloned(), details, "{body}");
        assert!(e.message().starts_with("Klipy API error 418"));
    }
}

#[test]
fn every_status_maps_to_its_kind() {
    let cases = [
        (400, ErrorKind::BadRequest),
        (401, ErrorKind::Authentication),
        (403, ErrorKind::PermissionDenied),
        (404, ErrorKind::NotFound),
        (405, ErrorKind::Api),
        (408, ErrorKind::Api),
        (409, ErrorKind::Conflict),
        (413, ErrorKind::Api),
        (422, ErrorKind::UnprocessableEntity),
        (429, ErrorKind::RateLimit),
        (500, ErrorKind::InternalServer),
        (502, ErrorKind::InternalServer),
        (503, ErrorKind::InternalServer),
        (504, ErrorKind::InternalServer),
    ];
    for (status, kind) in cases {
        let body = json!({"object": "error", "error": {"code": "c", "message": "m", "details": {"required_scope": "people:write"}},
                          "meta": {"request_id": "req_s"}});
        let mut cfg = klipy_sdk::Config::default();
        cfg.max_retries = 0;
        let steps = vec![Step::json(status, body).header("x-ratelimit-remaining", "5")];
        let (c, _) = client_with(ScriptedTransport::new(steps), cfg);
        let e = block_on(c.people().get("per_1")).unwrap_err();
        assert_eq!(e.kind(), kind, "{status}");
        assert_eq!(e.status(), Some(status));
        assert_eq!(e.code(), Some("c"));
        assert_eq!(e.request_id(), Some("req_s"));
        assert_eq!(e.attempts(), 1);
        assert_eq!(e.required_scope(), Some("people:write"));
        assert_eq!(e.rate_limit().unwrap().remaining, Some(5));
        assert!(e.to_string().contains("req_s"));
    }
}

#[test]
fn rate_limit_reset_forms() {
    let now = T0;
    let r = |v: &str| {
        rate_limit_info(
            &resp(200, "", &[("x-ratelimit-reset", v), ("x-ratelimit-limit", "200"), ("x-ratelimit-remaining", "199")]),
            Some(now),
        )
    };
    assert_eq!(r("1700000060").reset_at, Some(T0 + 60_000));
    assert_eq!(r("1700000060000").reset_at, Some(T0 + 60_000));
    assert_eq!(r("60").reset_at, Some(T0 + 60_000));
    assert_eq!(r("junk").reset_at, None);
    assert_eq!((r("1").limit, r("1").remaining), (Some(200), Some(199)));
}
