//! Lazy pagination across several pages.

mod common;
use common::*;
use futures_util::StreamExt;
use klipy_sdk::{Person, QueryParams};
use serde_json::json;

fn page(ids: &[&str], next: Option<&str>) -> Step {
    let data: Vec<_> = ids.iter().map(|id| json!({"id": id, "email": format!("{id}@example.com")})).collect();
    Step::json(
        200,
        json!({"object": "list", "data": data,
        "page_info": {"has_next_page": next.is_some(), "end_cursor": next}, "meta": {"request_id": "req_p"}}),
    )
}

#[test]
fn stream_walks_every_page_lazily() {
    let (c, t, _) =
        client(vec![page(&["per_1", "per_2"], Some("c2")), page(&["per_3"], Some("c3")), page(&["per_4"], None)]);
    let q = c.people().query(QueryParams { limit: Some(2), filter: Some(json!({"companyId": "cmp_1"})), cursor: None });
    assert!(t.requests().is_empty(), "nothing is sent before the stream is polled");
    let items: Vec<Person> = block_on(q.stream().map(Result::unwrap).collect());
    assert_eq!(items.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["per_1", "per_2", "per_3", "per_4"]);
    let bodies: Vec<_> = t.requests().iter().map(body_json).collect();
    assert_eq!(bodies[0], json!({"limit": 2, "filter": {"companyId": "cmp_1"}}));
    assert_eq!(bodies[1], json!({"cursor": "c2", "limit": 2, "filter": {"companyId": "cmp_1"}}));
    assert_eq!(bodies[2]["cursor"], "c3");
}

#[test]
fn max_items_stops_fetching() {
    let (c, t, _) = client(vec![page(&["per_1", "per_2"], Some("c2")), page(&["per_3", "per_4"], Some("c3"))]);
    let items: Vec<_> = block_on(c.people().query(QueryParams::default()).max_items(3).stream().collect::<Vec<_>>());
    assert_eq!(items.len(), 3);
    assert_eq!(t.requests().len(), 2);
}

#[test]
fn max_items_caps_each_page_size_to_the_items_still_wanted() {
    let (c, t, _) = client(vec![page(&["per_1", "per_2"], Some("c2")), page(&["per_3"], Some("c3"))]);
    let q = c.people().query(QueryParams { limit: Some(2), ..QueryParams::default() }).max_items(3);
    let items: Vec<_> = block_on(q.stream().collect::<Vec<_>>());
    assert_eq!(items.len(), 3);
    let limits: Vec<_> = t.requests().iter().map(|r| body_json(r)["limit"].clone()).collect();
    assert_eq!(limits, [json!(2), json!(1)], "the second page asks only for the one item still wanted");
    // Without a limit, under the API's default page size of 20: ask for exactly that many.
    let (c, t, _) = client(vec![page(&["per_1"], Some("c2")), page(&["per_2"], None)]);
    let _ = block_on(c.people().query(QueryParams::default()).max_items(5).stream().collect::<Vec<_>>());
    let limits: Vec<_> = t.requests().iter().map(|r| body_json(r)["limit"].clone()).collect();
    assert_eq!(limits, [json!(5), json!(4)]);
}

#[test]
fn a_page_resumes_from_a_cursor_and_errors_end_the_stream() {
    let (c, t, _) = client(vec![page(&["per_3"], None)]);
    let p = block_on(c.people().query(QueryParams::default()).page(Some("c2".into()))).unwrap();
    assert_eq!((p.data.len(), p.has_next_page, p.request_id.as_deref()), (1, false, Some("req_p")));
    assert_eq!(body_json(&t.requests()[0])["cursor"], "c2");

    let bad =
        Step::json(400, json!({"object": "error", "error": {"code": "validation_error", "message": "unknown cursor"}}));
    let (c, _, _) = client(vec![page(&["per_1"], Some("c2")), bad]);
    let items: Vec<_> = block_on(c.people().query(QueryParams::default()).stream().collect::<Vec<_>>());
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert_eq!(items[1].as_ref().unwrap_err().status(), Some(400));
}
