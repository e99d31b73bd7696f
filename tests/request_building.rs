//! Every operation's method, path, headers and body.

mod common;
use common::*;
use klipy_sdk::{AuthScheme, Config, Method, NewPerson, QueryParams};
use serde_json::{json, Value};

fn person() -> Value {
    json!({"id": "per_1", "email": "ada@example.com"})
}

#[test]
fn every_operation_builds_its_request() {
    let (c, t, _) = client(vec![
        Step::ok(200, json!({"team_name": "Acme"})),
        Step::ok(200, person()),
        Step::json(
            200,
            json!({"object": "list", "data": [], "page_info": {"has_next_page": false, "end_cursor": null}}),
        ),
        Step::ok(201, person()),
        Step::ok(200, person()),
        Step::ok(200, person()),
        Step::ok(200, json!({"id": "per_1", "deleted": true})),
        Step::ok(200, json!({"id": "cmp_1", "name": "Acme"})),
        Step::ok(201, json!({"id": "cmp_1", "name": "Acme"})),
        Step::ok(200, json!({"id": "cmp_1", "name": "Acme"})),
        Step::ok(200, json!({"id": "cmp_1", "deleted": true})),
        Step::ok(200, json!({"id": "int_1"})),
        Step::json(200, json!({"object": "list", "data": [], "page_info": {"has_next_page": false}})),
        Step::ok(201, json!({"id": "int_1", "isDuplicate": false})),
    ]);
    block_on(async {
        c.authenticate().await.unwrap();
        c.people().get("per_1").await.unwrap();
        c.people()
            .query_page(QueryParams {
                filter: Some(json!({"companyId": "cmp_1"})),
                limit: Some(50),
                cursor: Some("c1".into()),
            })
            .await
            .unwrap();
        c.people().create(&NewPerson { email: "ada@example.com".into(), ..Default::default() }).await.unwrap();
        c.people().upsert(&json!({"email": "ada@example.com", "firstName": "Ada"})).await.unwrap();
        c.people().update("per_1", &json!({"title": null})).await.unwrap();
        c.people().delete("per_1").await.unwrap();
        c.companies().get("cmp_1").await.unwrap();
        c.companies().create(&json!({"name": "Acme", "domain": "acme.test"})).await.unwrap();
        c.companies().update("cmp_1", &json!({"industry": "Tools"})).await.unwrap();
        c.companies().delete("cmp_1").await.unwrap();
        c.interactions().get("int_1").await.unwrap();
        c.interactions()
            .query(QueryParams { filter: Some(json!({"contactId": "per_1"})), ..Default::default() })
            .page(None)
            .await
            .unwrap();
        c.interactions()
            .create(
                &json!({"type": "EMAIL", "direction": "INBOUND", "title": "Hi", "mainContactEmail": "ada@example.com",
                            "interactionDate": "2024-01-01T00:00:00Z", "primaryId": "m-1"}),
            )
            .await
            .unwrap();
    });
    let base = "https://api.klipy.ai/api/v1";
    let want: Vec<(Method, &str, Option<Value>)> = vec![
        (Method::Get, "/authenticate", None),
        (Method::Get, "/people/per_1", None),
        (Method::Post, "/people/query", Some(json!({"cursor": "c1", "limit": 50, "filter": {"companyId": "cmp_1"}}))),
        (Method::Post, "/people", Some(json!({"email": "ada@example.com"}))),
        (Method::Put, "/people", Some(json!({"email": "ada@example.com", "firstName": "Ada"}))),
        (Method::Patch, "/people/per_1", Some(json!({"title": null}))),
        (Method::Delete, "/people/per_1", None),
        (Method::Get, "/companies/cmp_1", None),
        (Method::Post, "/companies", Some(json!({"name": "Acme", "domain": "acme.test"}))),
        (Method::Patch, "/companies/cmp_1", Some(json!({"industry": "Tools"}))),
        (Method::Delete, "/companies/cmp_1", None),
        (Method::Get, "/interactions/int_1", None),
        (Method::Post, "/interactions/query", Some(json!({"filter": {"contactId": "per_1"}}))),
        (
            Method::Post,
            "/interactions",
            Some(json!({"type": "EMAIL", "direction": "INBOUND", "title": "Hi", "mainContactEmail": "ada@example.com",
                        "interactionDate": 1_704_067_200_000_i64, "primaryId": "m-1"})),
        ),
    ];
    let seen = t.requests();
    assert_eq!(seen.len(), want.len());
    for (req, (method, path, body)) in seen.iter().zip(want) {
        assert_eq!(req.method, method, "{path}");
        assert_eq!(req.url, format!("{base}{path}"));
        assert_eq!(req.header("x-klipy-api-key"), Some(KEY));
        assert_eq!(req.header("authorization"), None);
        assert!(req.header("user-agent").unwrap().starts_with("klipy-sdk/0."));
        assert_eq!(req.header("accept"), Some("application/json"));
        assert_eq!(req.header("x-klipy-retry-count"), None);
        match body {
            Some(b) => {
                assert_eq!(body_json(req), b, "{path}");
                assert_eq!(req.header("content-type"), Some("application/json"));
            }
            None => {
                assert!(req.body.is_none(), "{path}");
                assert_eq!(req.header("content-type"), None);
            }
        }
    }
}

#[test]
fn bearer_scheme_and_user_agent_suffix() {
    let t = ScriptedTransport::new(vec![Step::ok(200, json!({"team_name": "Acme"}))]);
    let mut config = Config::default();
    config.auth_scheme = AuthScheme::Bearer;
    config.user_agent = Some("sync-job/3".into());
    config.set_base_url("http://127.0.0.1:4010/api/v1/").unwrap();
    let (c, _) = client_with(t.clone(), config);
    block_on(c.authenticate()).unwrap();
    let req = &t.requests()[0];
    assert_eq!(req.url, "http://127.0.0.1:4010/api/v1/authenticate");
    assert_eq!(req.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(req.header("x-klipy-api-key"), None);
    assert!(req.header("user-agent").unwrap().ends_with(" sync-job/3"));
}

#[test]
fn ids_are_encoded_as_one_segment() {
    let cases = [
        ("a/b", "a%2Fb"),
        ("a..b", "a..b"),
        ("x?y=1", "x%3Fy%3D1"),
        ("x#y", "x%23y"),
        ("100%", "100%25"),
        ("with space", "with%20space"),
        ("naïve-日本", "na%C3%AFve-%E6%97%A5%E6%9C%AC"),
        ("per_AZaz09-._~", "per_AZaz09-._~"),
    ];
    for (id, encoded) in cases {
        let (c, t, _) = client(vec![Step::ok(200, json!({"id": id}))]);
        block_on(c.people().get(id)).unwrap();
        assert_eq!(t.requests()[0].url, format!("https://api.klipy.ai/api/v1/people/{encoded}"), "{id}");
    }
}

#[test]
fn bad_ids_are_rejected_before_sending() {
    for id in ["", "   ", ".", ".."] {
        let (c, t, _) = client(vec![]);
        let e = block_on(c.people().get(id)).unwrap_err();
        assert_eq!(e.kind(), klipy_sdk::ErrorKind::Validation, "{id:?}");
        assert_eq!(e.field(), Some("personId"));
        assert!(t.requests().is_empty());
        let e = block_on(c.companies().delete(id)).unwrap_err();
        assert_eq!(e.field(), Some("companyId"));
    }
}

#[test]
fn interaction_inputs_are_validated_with_named_fields() {
    let base = json!({"type": "EMAIL", "direction": "INBOUND", "mainContact": "per_1"});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let mut both = base.clone();
    both["mainContactEmail"] = json!("a@b.co");
    let mut neither = base.clone();
    neither.as_object_mut().unwrap().remove("mainContact");
    let cases: Vec<(Value, &str, &str)> = vec![
        (with("type", json!("FAX")), "type", "DIRECT_MESSAGE, EMAIL, MEETING"),
        (with("direction", json!("SIDEWAYS")), "direction", "INBOUND, OUTBOUND, HYBRID, INTERNAL, EVENT"),
        (both, "mainContact", "not both"),
        (neither, "mainContact", "exactly one"),
        (with("title", json!("x".repeat(1001))), "title", "1001 characters"),
        (with("summary", json!("é".repeat(10_001))), "summary", "10001 characters"),
        (with("interactionDate", json!("last tuesday")), "interactionDate", "ISO-8601"),
        (with("interactionDate", json!(true)), "interactionDate", "epoch milliseconds"),
        (json!([1, 2]), "input", "must be an object"),
    ];
    for (input, field, text) in cases {
        let (c, t, _) = client(vec![]);
        let e = block_on(c.interactions().create(&input)).unwrap_err();
        assert_eq!(e.kind(), klipy_sdk::ErrorKind::Validation);
        assert_eq!(e.field(), Some(field), "{e}");
        assert!(e.message().contains(text), "{field}: {e}");
        assert!(t.requests().is_empty());
    }
    // Limits are inclusive.
    let (c, _, _) = client(vec![Step::ok(201, json!({"id": "int_1", "isDuplicate": false}))]);
    block_on(c.interactions().create(&with("title", json!("x".repeat(1000))))).unwrap();
}

#[test]
fn query_limit_and_required_fields() {
    for bad in [json!(0), json!(101), json!(2.5), json!("10")] {
        let e = QueryParams::from_json(&json!({"limit": bad})).unwrap_err();
        assert_eq!(e.field(), Some("limit"));
        assert!(e.message().contains("1 to 100"));
    }
    let (c, t, _) = client(vec![]);
    let e = block_on(c.people().create(&json!({"firstName": "Ada"}))).unwrap_err();
    assert_eq!((e.field(), e.message()), (Some("email"), "email is required"));
    let e = block_on(c.companies().create(&json!({"name": 5}))).unwrap_err();
    assert_eq!(e.field(), Some("name"));
    assert!(t.requests().is_empty());
}

#[test]
fn raw_requests_stay_under_the_base_url() {
    use klipy_sdk::request::raw;
    for bad in ["people", "//evil.com/x", "/people/../admin", "/a/%2e%2e/b", "/x?y=1", "/naïve"] {
        assert_eq!(raw("GET", bad, None, None).unwrap_err().field(), Some("path"), "{bad}");
    }
    assert_eq!(raw("TRACE", "/x", None, None).unwrap_err().field(), Some("method"));
    let op = raw("post", "/people/query", Some(&json!({"limit": 1})), Some(&json!({"a b": "c&d", "n": 1}))).unwrap();
    assert_eq!(op.url("https://h/api/v1"), "https://h/api/v1/people/query?a%20b=c%26d&n=1");
    assert_eq!(op.replay, klipy_sdk::request::Replay::Safe);
    assert_eq!(raw("POST", "/people", None, None).unwrap().replay, klipy_sdk::request::Replay::OnlyIfUnprocessed);
}
