//! Happy paths of all 14 operations, unknown-field round trips, pagination, upsert and dedupe.

mod common;

use common::{start, KEY};
use serde_json::{json, Value};

fn is_id(value: &Value, prefix: &str) -> bool {
    value.as_str().is_some_and(|id| {
        id.len() == prefix.len() + 12
            && id.starts_with(prefix)
            && id[prefix.len()..].bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    })
}

#[tokio::test]
async fn authenticate_returns_team_name_in_the_success_envelope() {
    let h = start().await;
    let r = h.call("GET", "/authenticate", None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["object"], "success");
    assert_eq!(r.body["data"]["team_name"], "Klipy Mock");
    assert!(r.body["meta"]["timestamp"].as_str().unwrap().ends_with('Z'));
    r.assert_request_id();
    // Bearer works too, with any case of the scheme and header name.
    let r = h.raw(None, "GET", "/authenticate", None, &[("authorization", "Bearer klipy_api_test_all")]).await;
    assert_eq!(r.status, 200);
    let r = h.raw(None, "GET", "/authenticate", None, &[("X-KLIPY-API-KEY", KEY)]).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn people_create_get_update_delete() {
    let h = start().await;
    let r = h
        .call(
            "POST",
            "/people",
            Some(json!({
                "email": "Ada@Example.com", "firstName": "Ada", "lastName": "Lovelace",
                "title": "CTO", "phone": "+1 555", "linkedinUrl": "https://li.example/ada",
                "remarks": "hi", "customField": {"nested": [1, "two"]}, "score": 9.5
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let person = &r.body["data"];
    assert!(is_id(&person["id"], "per_"), "{}", person["id"]);
    assert_eq!(person["email"], "Ada@Example.com");
    assert_eq!(person["customField"], json!({"nested": [1, "two"]}));
    assert_eq!(person["score"], 9.5);
    assert!(person["companyId"].is_null());
    assert!(person["createdAt"].as_str().unwrap().ends_with('Z'));
    let id = person["id"].as_str().unwrap().to_owned();

    let r = h.call("GET", &format!("/people/{id}"), None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["data"], *person);

    let r = h
        .call("PATCH", &format!("/people/{id}"), Some(json!({"title": null, "firstName": "Augusta", "another": true})))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let updated = &r.body["data"];
    assert!(updated["title"].is_null());
    assert_eq!(updated["firstName"], "Augusta");
    assert_eq!(updated["lastName"], "Lovelace");
    assert_eq!(updated["customField"], person["customField"]);
    assert_eq!(updated["another"], true);

    let r = h.call("DELETE", &format!("/people/{id}"), None).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["data"], json!({"id": id, "deleted": true}));
    let r = h.call("DELETE", &format!("/people/{id}"), None).await;
    r.assert_error(404, "not_found");
    let r = h.call("GET", &format!("/people/{id}"), None).await;
    r.assert_error(404, "not_found");
}

#[tokio::test]
async fn people_upsert_creates_201_then_updates_200() {
    let h = start().await;
    let r = h.call("PUT", "/people", Some(json!({"email": "grace@example.com", "firstName": "Grace", "x": 1}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["data"]["id"].clone();
    let r = h.call("PUT", "/people", Some(json!({"email": "GRACE@example.com", "lastName": "Hopper"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["data"]["id"], id);
    assert_eq!(r.body["data"]["firstName"], "Grace");
    assert_eq!(r.body["data"]["lastName"], "Hopper");
    assert_eq!(r.body["data"]["x"], 1);
    assert_eq!(r.body["data"]["email"], "GRACE@example.com");
}

#[tokio::test]
async fn people_query_filters_by_email_and_company() {
    let h = start().await;
    let company = h.call("POST", "/companies", Some(json!({"name": "Acme"}))).await.body["data"]["id"].clone();
    for i in 0..5 {
        let company_id = if i % 2 == 0 { company.clone() } else { Value::Null };
        let r = h
            .call("POST", "/people", Some(json!({"email": format!("p{i}@example.com"), "companyId": company_id})))
            .await;
        assert_eq!(r.status, 201);
    }
    let r = h.call("POST", "/people/query", Some(json!({"filter": {"email": "P3@EXAMPLE.COM"}}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["object"], "list");
    assert_eq!(r.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["data"][0]["email"], "p3@example.com");
    assert_eq!(r.body["page_info"]["has_next_page"], false);
    r.assert_request_id();

    let r = h.call("POST", "/people/query", Some(json!({"filter": {"companyId": company}}))).await;
    let emails: Vec<&str> = r.body["data"].as_array().unwrap().iter().map(|p| p["email"].as_str().unwrap()).collect();
    assert_eq!(emails, ["p0@example.com", "p2@example.com", "p4@example.com"]);

    // An empty body is the first page with default limit.
    let r = h.raw(Some(KEY), "POST", "/people/query", None, &[]).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["data"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn people_pagination_walks_45_items_in_pages_of_20() {
    let h = start().await;
    let mut created = Vec::new();
    for i in 0..45 {
        created.push(h.person(&format!("user{i}@example.com")).await);
    }
    let mut seen = Vec::new();
    let mut cursor = Value::Null;
    let mut pages = Vec::new();
    loop {
        let r = h.call("POST", "/people/query", Some(json!({"limit": 20, "cursor": cursor}))).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let items = r.body["data"].as_array().unwrap();
        pages.push(items.len());
        seen.extend(items.iter().map(|p| p["id"].as_str().unwrap().to_owned()));
        if r.body["page_info"]["has_next_page"] != true {
            break;
        }
        cursor = r.body["page_info"]["end_cursor"].clone();
        assert!(cursor.is_string());
    }
    assert_eq!(pages, [20, 20, 5]);
    assert_eq!(seen, created);
    // Default limit is 20.
    let r = h.call("POST", "/people/query", Some(json!({}))).await;
    assert_eq!(r.body["data"].as_array().unwrap().len(), 20);
}

#[tokio::test]
async fn companies_create_get_update_delete() {
    let h = start().await;
    let r = h
        .call(
            "POST",
            "/companies",
            Some(json!({"name": "Acme", "domain": "ACME.Example", "industry": "Tools",
                        "size": "11-50", "website": "https://acme.example", "tier": "gold"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let company = r.body["data"].clone();
    assert!(is_id(&company["id"], "cmp_"));
    assert_eq!(company["domain"], "acme.example");
    assert_eq!(company["tier"], "gold");
    let id = company["id"].as_str().unwrap().to_owned();

    let r = h.call("GET", &format!("/companies/{id}"), None).await;
    assert_eq!(r.body["data"], company);

    let r = h.call("PATCH", &format!("/companies/{id}"), Some(json!({"industry": null, "tier": "platinum"}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body["data"]["industry"].is_null());
    assert_eq!(r.body["data"]["tier"], "platinum");
    assert_eq!(r.body["data"]["name"], "Acme");

    let r = h.call("DELETE", &format!("/companies/{id}"), None).await;
    assert_eq!(r.body["data"], json!({"id": id, "deleted": true}));
    // The domain is free again.
    let r = h.call("POST", "/companies", Some(json!({"name": "Acme 2", "domain": "acme.example"}))).await;
    assert_eq!(r.status, 201, "{}", r.text);
}

#[tokio::test]
async fn interactions_create_get_query_with_computed_fields() {
    let h = start().await;
    let company = h.call("POST", "/companies", Some(json!({"name": "Acme"}))).await.body["data"]["id"].clone();
    let r = h.call("POST", "/people", Some(json!({"email": "ada@acme.example", "companyId": company}))).await;
    let person = r.body["data"]["id"].clone();

    let r = h
        .call(
            "POST",
            "/interactions",
            Some(json!({
                "type": "EMAIL", "direction": "INBOUND", "title": "Hello",
                "summary": "<p>Hi</p>", "mainContact": person,
                "interactionDate": 1_700_000_000_000_i64, "primaryId": "msg-1",
                "secondaryId": "thread-9", "labels": ["a", "b"]
            })),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(r.body["data"]["isDuplicate"], false);
    let id = r.body["data"]["id"].clone();
    assert!(is_id(&id, "int_"));

    let r = h.call("GET", &format!("/interactions/{}", id.as_str().unwrap()), None).await;
    assert_eq!(r.status, 200);
    let it = &r.body["data"];
    assert_eq!(it["type"], "EMAIL");
    assert_eq!(it["interactionDate"], "2023-11-14T22:13:20.000Z");
    assert_eq!(it["contacts"], json!([person]));
    assert_eq!(it["companies"], json!([company]));
    assert!(it["sentiment"].is_null());
    assert_eq!(it["source"], "API");
    assert!(it["createdBy"].is_string());
    assert!(it["creationTime"].as_str().unwrap().ends_with('Z'));
    assert_eq!(it["labels"], json!(["a", "b"]));
    assert_eq!(it["mainContactEmail"], "ada@acme.example");

    // mainContactEmail of an unknown person creates that person; omitted date = now.
    let before = common::now_ms();
    let r = h
        .call(
            "POST",
            "/interactions",
            Some(json!({"type": "MEMO", "direction": "INTERNAL", "mainContactEmail": "new@else.example"})),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = h.call("POST", "/people/query", Some(json!({"filter": {"email": "new@else.example"}}))).await;
    let new_person = r.body["data"][0]["id"].clone();
    assert!(new_person.is_string(), "{}", r.text);

    let r = h.call("POST", "/interactions/query", Some(json!({"filter": {"contactId": new_person}}))).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let items = r.body["data"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert!(items[0]["companies"].as_array().unwrap().is_empty());
    let date = items[0]["interactionDate"].as_str().unwrap();
    assert!(date >= "2020" && date.ends_with('Z'), "{date} vs {before}");

    let r = h.call("POST", "/interactions/query", Some(json!({"filter": {"companyId": company}}))).await;
    assert_eq!(r.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["data"][0]["id"], id);

    let r = h.call("POST", "/interactions/query", Some(json!({"limit": 1}))).await;
    assert_eq!(r.body["page_info"]["has_next_page"], true);
    let r = h
        .call("POST", "/interactions/query", Some(json!({"limit": 1, "cursor": r.body["page_info"]["end_cursor"]})))
        .await;
    assert_eq!(r.body["data"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["page_info"]["has_next_page"], false);
}

#[tokio::test]
async fn interaction_with_known_primary_id_is_a_duplicate() {
    let h = start().await;
    let body = json!({"type": "EMAIL", "direction": "OUTBOUND", "mainContactEmail": "a@b.example",
                      "primaryId": "m-1"});
    let first = h.call("POST", "/interactions", Some(body.clone())).await;
    assert_eq!(first.status, 201);
    let again = h.call("POST", "/interactions", Some(body.clone())).await;
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.body["data"]["id"], first.body["data"]["id"]);
    assert_eq!(again.body["data"]["isDuplicate"], true);
    // Another secondaryId is another interaction; so is no primaryId at all.
    let mut other = body.clone();
    other["secondaryId"] = json!("s-2");
    let r = h.call("POST", "/interactions", Some(other.clone())).await;
    assert_eq!(r.status, 201);
    let r2 = h.call("POST", "/interactions", Some(other)).await;
    assert_eq!(r2.body["data"]["id"], r.body["data"]["id"]);
    let mut plain = body;
    plain.as_object_mut().unwrap().remove("primaryId");
    let a = h.call("POST", "/interactions", Some(plain.clone())).await;
    let b = h.call("POST", "/interactions", Some(plain)).await;
    assert_ne!(a.body["data"]["id"], b.body["data"]["id"]);
}

#[tokio::test]
async fn seeded_demo_data_is_queryable() {
    let h = common::start_with(common::base_config().with_seed_demo(true)).await;
    let summary = h.server.seed_summary().unwrap();
    assert_eq!((summary.companies, summary.people, summary.interactions), (3, 10, 4));
    let r = h.call("POST", "/people/query", Some(json!({"limit": 100}))).await;
    assert_eq!(r.body["data"].as_array().unwrap().len(), 10);
    let r = h.call("POST", "/interactions/query", Some(json!({}))).await;
    assert_eq!(r.body["data"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn path_ids_are_percent_decoded() {
    let h = start().await;
    let r = h.call("GET", "/people/a%2Fb%20c", None).await;
    r.assert_error(404, "not_found");
    assert!(r.body["error"]["message"].as_str().unwrap().contains("a/b c"));
}
