//! The native client (`ReqwestTransport` + `TokioSleep`) against a real klipy-mock on
//! 127.0.0.1: every operation, a multi-page stream, bulk with progress, raw requests.
#![cfg(all(any(feature = "reqwest", feature = "reqwest-ring"), not(target_arch = "wasm32")))]
#![allow(clippy::disallowed_methods)] // these tests measure real waits with Instant::now

mod mock_harness;

use klipy_sdk::{
    BulkOptions, CancelToken, Direction, ErrorKind, InteractionType, Method, NewCompany, NewInteraction, NewPerson,
    QueryParams, RequestOptions, StreamExt,
};
use mock_harness::Mock;
use serde_json::{json, Map};
use std::sync::{Arc, Mutex};

fn person(email: &str, first: &str) -> NewPerson {
    NewPerson { email: email.into(), first_name: Some(first.into()), ..Default::default() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_round_trips_through_the_mock() {
    let mock = Mock::start().await;
    let client = mock.client();

    let team = client.authenticate().await.unwrap();
    assert_eq!(team.team_name, "Klipy Mock");

    // people: create, conflict, get, upsert (update), update, query, delete
    let ada = client.people().create(&person("ada@example.com", "Ada")).await.unwrap();
    assert!(ada.id.starts_with("per_"), "{}", ada.id);
    assert_eq!((ada.email.as_str(), ada.first_name.as_deref()), ("ada@example.com", Some("Ada")));
    let dup = client.people().create(&person("ADA@example.com", "Again")).await.unwrap_err();
    assert_eq!((dup.kind(), dup.status(), dup.code()), (ErrorKind::Conflict, Some(409), Some("conflict")));
    assert!(dup.request_id().is_some_and(|id| id.starts_with("req_")), "{dup:?}");
    assert_eq!(dup.attempts(), 1, "a create is not replayed after a 409");

    let got = client.people().get(&ada.id).await.unwrap();
    assert_eq!(got, ada);
    let upserted = client.people().upsert(&person("ada@example.com", "Augusta")).await.unwrap();
    assert_eq!((upserted.id.as_str(), upserted.first_name.as_deref()), (ada.id.as_str(), Some("Augusta")));
    let patched =
        client.people().update(&ada.id, &json!({"title": "Countess", "favouriteEngine": "analytical"})).await.unwrap();
    assert_eq!(patched.title.as_deref(), Some("Countess"));
    assert_eq!(patched.extra.get("favouriteEngine"), Some(&json!("analytical")), "unknown fields are kept");
    let page = client
        .people()
        .query_page(QueryParams { filter: Some(json!({"email": "ada@example.com"})), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(page.data.len(), 1);
    assert!(page.request_id.is_some());

    // companies: create, get, update, delete, then 404
    let acme = client
        .companies()
        .create(&NewCompany { name: "Acme".into(), domain: Some("ACME.example".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!((acme.name.as_str(), acme.domain.as_deref()), ("Acme", Some("acme.example")));
    assert_eq!(client.companies().get(&acme.id).await.unwrap().id, acme.id);
    let renamed = client.companies().update(&acme.id, &json!({"name": "Acme Ltd"})).await.unwrap();
    assert_eq!(renamed.name, "Acme Ltd");
    let gone = client.companies().delete(&acme.id).await.unwrap();
    assert_eq!((gone.id.as_str(), gone.deleted), (acme.id.as_str(), true));
    let e = client.companies().get(&acme.id).await.unwrap_err();
    assert_eq!((e.kind(), e.status(), e.code()), (ErrorKind::NotFound, Some(404), Some("not_found")));

    // interactions: create (and its dedupe), get, query
    let input = NewInteraction {
        kind: InteractionType::Email,
        direction: Direction::Inbound,
        title: Some("Hello".into()),
        summary: None,
        main_contact: None,
        main_contact_email: Some("ada@example.com".into()),
        primary_id: Some("msg-1".into()),
        secondary_id: None,
        interaction_date: Some(json!(1_700_000_000_000u64)),
        extra: Map::new(),
    };
    let created = client.interactions().create(&input).await.unwrap();
    assert!(!created.is_duplicate);
    let again = client.interactions().create(&input).await.unwrap();
    assert_eq!((again.id.as_str(), again.is_duplicate), (created.id.as_str(), true));
    let read = client.interactions().get(&created.id).await.unwrap();
    assert_eq!((read.kind, read.direction), (InteractionType::Email, Direction::Inbound));
    assert_eq!(read.main_contact.as_deref(), Some(ada.id.as_str()));
    assert_eq!(read.main_contact_email.as_deref(), Some("ada@example.com"));
    assert_eq!(read.interaction_date, Some(json!("2023-11-14T22:13:20.000Z")));
    assert_eq!(read.source.as_deref(), Some("API"));
    let all: Vec<_> = client.interactions().query(QueryParams::default()).stream().collect().await;
    assert_eq!(all.len(), 1);

    // raw request, then delete the person
    let raw = client.request(Method::Get, &format!("/people/{}", ada.id), None).await.unwrap();
    assert_eq!(raw["email"], "ada@example.com");
    let deleted = client.people().delete(&ada.id).await.unwrap();
    assert!(deleted.deleted);
    let e = client.people().get(&ada.id).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    let e = client.request(Method::Get, "/people/../companies", None).await.unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::Validation, Some("path")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upsert_many_reports_progress_and_the_stream_walks_every_page() {
    let mock = Mock::start().await;
    let client = mock.client();
    let mut inputs: Vec<NewPerson> =
        (0..45).map(|i| person(&format!("p{i:02}@example.com"), &format!("P{i}"))).collect();
    inputs[7].email = "not-an-email".into();
    let progress = Arc::new(Mutex::new(Vec::new()));
    let seen = progress.clone();
    let result = client
        .people()
        .upsert_many(
            &inputs,
            BulkOptions {
                concurrency: 4,
                on_progress: Some(Box::new(move |p| seen.lock().unwrap().push((p.done, p.failed)))),
                ..Default::default()
            },
        )
        .await;
    assert_eq!(result.succeeded.len(), 44);
    assert_eq!(result.failed.len(), 1);
    assert_eq!(result.failed[0].index, 7);
    assert_eq!(result.failed[0].error.kind(), ErrorKind::BadRequest);
    let progress = progress.lock().unwrap().clone();
    assert_eq!(progress.len(), 45);
    assert_eq!(progress.last(), Some(&(45, 1)));
    assert!(progress.windows(2).all(|w| w[0].0 < w[1].0), "{progress:?}");

    let emails: Vec<String> = client
        .people()
        .query(QueryParams { limit: Some(10), ..Default::default() })
        .stream()
        .map(|p| p.unwrap().email)
        .collect()
        .await;
    let mut want: Vec<String> = inputs.iter().map(|p| p.email.clone()).filter(|e| e.contains('@')).collect();
    want.sort();
    let mut got = emails.clone();
    got.sort();
    assert_eq!(got, want);
    // 44 items, 10 a page: five pages with items (the mock's cursor on the last page leads to
    // no sixth request, since has_next_page is false there).
    let pages = mock.log_for("/people/query").await;
    assert_eq!(pages.len(), 5, "{pages:?}");

    // create_many: every input accounted for, a bad one named, the repeat deduplicated.
    let first =
        json!({"type": "MEMO", "direction": "INTERNAL", "mainContactEmail": "p00@example.com", "primaryId": "m-1"});
    let inputs = vec![
        first.clone(),
        json!({"type": "MEMO", "direction": "SIDEWAYS", "mainContactEmail": "p01@example.com"}),
        first,
    ];
    let created =
        client.interactions().create_many(&inputs, BulkOptions { concurrency: 1, ..Default::default() }).await;
    assert_eq!(created.succeeded.iter().map(|s| s.index).collect::<Vec<_>>(), vec![0, 2]);
    assert_eq!((created.failed[0].index, created.failed[0].error.kind()), (1, ErrorKind::Validation));
    assert_eq!(created.failed[0].error.attempts(), 0, "refused before sending");
    assert_eq!(created.succeeded[1].result.id, created.succeeded[0].result.id);
    assert!(created.succeeded[1].result.is_duplicate);

    // max_items stops early, and a page's cursor resumes
    let first3: Vec<_> = client
        .people()
        .query(QueryParams { limit: Some(2), ..Default::default() })
        .max_items(3)
        .stream()
        .collect()
        .await;
    assert_eq!(first3.len(), 3);
    let p1 = client.people().query_page(QueryParams { limit: Some(40), ..Default::default() }).await.unwrap();
    assert!(p1.has_next_page);
    let rest = client
        .people()
        .query_page(QueryParams { limit: Some(40), cursor: p1.next_cursor, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(p1.data.len() + rest.data.len(), 44);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_options_time_out_cancel_and_check_headers() {
    let mock = Mock::start().await;
    let client = mock.client();
    mock.faults(json!([{"match": {"path": "/authenticate"}, "times": 3, "delayMs": 1500}])).await;
    let t = std::time::Instant::now();
    let e = client
        .authenticate_with(&RequestOptions { timeout_ms: Some(200), max_retries: Some(0), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e:?}");
    assert!(e.is_timeout() && e.is_retryable());
    assert!(t.elapsed() < std::time::Duration::from_millis(1200), "{:?}", t.elapsed());

    let cancel = CancelToken::new();
    let trip = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        trip.cancel();
    });
    let t = std::time::Instant::now();
    let e = client.authenticate_with(&RequestOptions { cancel: Some(cancel), ..Default::default() }).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::UserAbort, "{e:?}");
    assert!(t.elapsed() < std::time::Duration::from_millis(1200), "{:?}", t.elapsed());

    // A caller header reaches the server (a bad one is refused before sending).
    let e = client
        .authenticate_with(&RequestOptions { headers: vec![("x-bad\n".into(), "1".into())], ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
}
