//! Webhook deliveries (webhooks.md §8) to a receiver on 127.0.0.1: signatures checked
//! independently, all 13 types, the emit API, retries with the same id, the log, clearing.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use common::receiver::{expected_signature, verifies, Receiver};
use common::{base_config, start_with, Harness};
use klipy_mock::{HeaderFamily, WebhookSecret, WebhookUrl, EVENT_TYPES};
use serde_json::{json, Value};

const WAIT: Duration = Duration::from_secs(10);
const SECRET: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";
const OTHER: &str = "whsec_ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";

fn url(u: &str) -> WebhookUrl {
    WebhookUrl::parse(u).unwrap()
}

async fn mock_for(receiver: &Receiver, scale: f64) -> Harness {
    start_with(base_config().with_webhook_url(url(&receiver.url())).with_webhook_retry_scale(scale)).await
}

async fn emit(h: &Harness, body: Value) -> common::Resp {
    h.control("POST", "/__mock/webhooks/emit", Some(body)).await
}

async fn deliveries(h: &Harness) -> Vec<Value> {
    let r = h.control("GET", "/__mock/webhooks", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["deliveries"].as_array().cloned().unwrap()
}

/// Polls the log until `done` holds for it.
async fn wait_log(h: &Harness, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + WAIT;
    loop {
        let log = deliveries(h).await;
        if done(&log) {
            return log;
        }
        assert!(Instant::now() < deadline, "log never got there: {log:#?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn statuses(delivery: &Value) -> Vec<u64> {
    delivery["attempts"].as_array().unwrap().iter().map(|a| a["status"].as_u64().unwrap()).collect()
}

#[tokio::test]
async fn a_delivery_is_a_signed_post_that_verifies_independently() {
    let receiver = Receiver::start().await;
    let h = start_with(
        base_config().with_webhook_url(url(&receiver.url())).with_webhook_secret(WebhookSecret::parse(SECRET).unwrap()),
    )
    .await;
    assert_eq!(h.server.webhook_secret(), SECRET);
    let data = json!({"id": "h7w8y2f1", "email": "jordan.patel@acmeanalytics.com", "note": "Grüße 🚀"});
    let r = emit(&h, json!({"type": "lead.captured", "data": data})).await;
    assert_eq!(r.status, 202, "{}", r.text);
    assert_eq!(r.body["ok"], true);
    assert_eq!(r.body["endpoints"], 1);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("msg_") && id.len() == 31, "{id}");

    let got = receiver.wait_for(1, WAIT).await;
    let d = &got[0];
    assert_eq!((d.method.as_str(), d.path.as_str()), ("POST", "/hooks/klipy"));
    assert_eq!(d.header("content-type"), "application/json");
    assert_eq!(d.header("svix-id"), id);
    assert!(d.header("webhook-id").is_empty(), "svix-* only by default");
    // The exact compact envelope, and the signature over those bytes.
    let body = format!(r#"{{"type":"lead.captured","object":"event","data":{data}}}"#);
    assert_eq!(std::str::from_utf8(&d.body).unwrap(), body);
    let ts = d.header("svix-timestamp");
    assert_eq!(d.header("svix-signature"), expected_signature(SECRET, &id, ts, body.as_bytes()));
    let now = common::now_ms() / 1000;
    assert!((now - ts.parse::<i64>().unwrap()).abs() <= 5, "timestamp {ts} is the attempt time");
    assert!(!verifies(d, "svix", OTHER), "another secret does not verify");

    let log = wait_log(&h, |l| l.len() == 1 && l[0]["status"] == "delivered").await;
    assert_eq!(log[0]["id"], id.as_str());
    assert_eq!(log[0]["type"], "lead.captured");
    assert_eq!(log[0]["url"], receiver.url());
    assert_eq!(log[0]["source"], "emit");
    assert_eq!(log[0]["nextAttemptAt"], Value::Null);
    assert_eq!(statuses(&log[0]), [204]);
    let attempt = &log[0]["attempts"][0];
    assert_eq!(attempt["n"], 1);
    assert!(attempt["time"].as_i64().unwrap() > 1_700_000_000_000);
    assert!(attempt["durationMs"].is_u64());
}

#[tokio::test]
async fn both_header_families_and_one_signature_per_secret() {
    let receiver = Receiver::start().await;
    let h = start_with(
        base_config()
            .with_webhook_url(url(&receiver.url()))
            .with_webhook_secret(WebhookSecret::parse(OTHER).unwrap())
            .with_webhook_secret(WebhookSecret::parse(SECRET).unwrap())
            .with_webhook_headers(HeaderFamily::Both),
    )
    .await;
    emit(&h, json!({"type": "meeting.starting_soon"})).await;
    let d = &receiver.wait_for(1, WAIT).await[0];
    for name in ["id", "timestamp", "signature"] {
        assert_eq!(d.header(&format!("webhook-{name}")), d.header(&format!("svix-{name}")), "{name}");
    }
    let entries: Vec<&str> = d.header("webhook-signature").split(' ').collect();
    let (id, ts) = (d.header("webhook-id"), d.header("webhook-timestamp"));
    assert_eq!(entries, [expected_signature(OTHER, id, ts, &d.body), expected_signature(SECRET, id, ts, &d.body)]);
    assert!(verifies(d, "webhook", SECRET) && verifies(d, "svix", OTHER));
}

#[tokio::test]
async fn all_thirteen_types_emit_with_a_plausible_payload() {
    let receiver = Receiver::start().await;
    let h = mock_for(&receiver, 0.01).await;
    let mut ids = BTreeSet::new();
    for t in EVENT_TYPES {
        let r = emit(&h, json!({ "type": t })).await;
        assert_eq!(r.status, 202, "{t}: {}", r.text);
        assert_eq!(r.body["type"], t);
        ids.insert(r.body["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ids.len(), 13, "a fresh message id per event");
    let got = receiver.wait_for(13, WAIT).await;
    let secret = h.server.webhook_secret().to_owned();
    let types: BTreeSet<String> = got.iter().map(|d| d.event_type()).collect();
    assert_eq!(types, EVENT_TYPES.iter().map(|t| t.to_string()).collect());
    for d in &got {
        assert!(verifies(d, "svix", &secret), "{}", d.event_type());
        let event = d.json();
        assert_eq!(event["object"], "event");
        assert!(!event["data"].as_object().unwrap().is_empty(), "{event}");
        assert!(ids.contains(d.header("svix-id")));
    }
    let by_type = |t: &str| got.iter().find(|d| d.event_type() == t).unwrap().json()["data"].clone();
    assert_eq!(by_type("meeting.no_showed")["reason"], "no_external_participants");
    assert_eq!(by_type("deal.closed")["won"], true);
    assert!(by_type("booking.rescheduled")["start_time"].is_i64());
    assert!(by_type("interaction.captured")["people"][0]["object"] == "contact");
    let log = wait_log(&h, |l| l.len() == 13 && l.iter().all(|d| d["status"] == "delivered")).await;
    let logged: Vec<&str> = log.iter().map(|d| d["type"].as_str().unwrap()).collect();
    assert_eq!(logged, EVENT_TYPES, "creation order");
}

#[tokio::test]
async fn emit_refuses_bad_requests_and_passes_new_types_through() {
    let receiver = Receiver::start().await;
    let h = mock_for(&receiver, 0.01).await;
    let bad = |r: common::Resp, needle: &str| {
        assert_eq!(r.status, 400, "{}", r.text);
        assert_eq!(r.body["ok"], false);
        assert!(r.body["error"].as_str().unwrap().contains(needle), "{}", r.text);
    };
    bad(emit(&h, json!({"type": "lead.created"})).await, "unknown type `lead.created`");
    bad(emit(&h, json!({"type": "Lead Captured", "data": {}})).await, "not an event type");
    bad(emit(&h, json!({"data": {}})).await, "`type` is required");
    bad(emit(&h, json!({"type": "deal.moved", "data": "x"})).await, "`data` must be a JSON object");
    bad(emit(&h, json!(["deal.moved"])).await, "JSON object");
    let r = h.client.post(format!("{}/__mock/webhooks/emit", h.server.root_url())).body("{").send().await.unwrap();
    assert_eq!(r.status(), 400);

    let r = emit(&h, json!({"type": "contact.archived", "data": {"contact_id": "c1"}})).await;
    assert_eq!(r.status, 202, "{}", r.text);
    let d = &receiver.wait_for(1, WAIT).await[0];
    assert_eq!(d.json(), json!({"type": "contact.archived", "object": "event", "data": {"contact_id": "c1"}}));
    assert_eq!(receiver.received().len(), 1, "refused emits send nothing");
}

#[tokio::test]
async fn a_receiver_that_answers_500_once_gets_the_retry_with_the_same_id() {
    let receiver = Receiver::start().await;
    receiver.answer(&[500]);
    let h = mock_for(&receiver, 0.01).await;
    let r = emit(&h, json!({"type": "deal.created"})).await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    let got = receiver.wait_for(2, WAIT).await;
    assert_eq!(got[0].header("svix-id"), id);
    assert_eq!(got[1].header("svix-id"), id, "same message id on the retry");
    assert_eq!(got[0].body, got[1].body, "same bytes");
    let gap = got[1].at - got[0].at;
    assert!(gap >= Duration::from_millis(45), "5 s x 0.01 = 50 ms between attempts, got {gap:?}");
    let secret = h.server.webhook_secret().to_owned();
    assert!(got.iter().all(|d| verifies(d, "svix", &secret)), "each attempt is signed for its own timestamp");

    let log = wait_log(&h, |l| l.first().is_some_and(|d| d["status"] == "delivered")).await;
    assert_eq!(statuses(&log[0]), [500, 204]);
    let attempts = log[0]["attempts"].as_array().unwrap();
    assert_eq!((attempts[0]["n"].as_u64(), attempts[1]["n"].as_u64()), (Some(1), Some(2)));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(receiver.received().len(), 2, "nothing after a 2xx");
}

#[tokio::test]
async fn a_receiver_that_is_down_gets_retried_until_it_is_up() {
    // A port with nothing listening: connection refused.
    let addr = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let target = format!("http://{addr}/hooks/klipy");
    // Waits x 0.002: 10 ms, then 600 ms (the receiver comes up in between), then 3.6 s.
    let h = start_with(base_config().with_webhook_url(url(&target)).with_webhook_retry_scale(0.002)).await;
    let r = emit(&h, json!({"type": "booking.created"})).await;
    let id = r.body["id"].as_str().unwrap().to_owned();
    let log = wait_log(&h, |l| l[0]["attempts"].as_array().unwrap().len() == 2).await;
    assert_eq!(statuses(&log[0]), [0, 0]);
    assert_eq!(log[0]["status"], "pending");
    assert!(log[0]["attempts"][0]["error"].as_str().unwrap().contains("connect"), "{}", log[0]);
    let second = log[0]["attempts"][1]["time"].as_i64().unwrap();
    assert!(log[0]["nextAttemptAt"].as_i64().unwrap() >= second + 590, "{}", log[0]);

    let receiver = Receiver::start_on(addr).await;
    let got = receiver.wait_for(1, WAIT).await;
    assert_eq!(got[0].header("svix-id"), id, "the retry keeps the message id");
    assert!(verifies(&got[0], "svix", h.server.webhook_secret()));
    let log = wait_log(&h, |l| l[0]["status"] == "delivered").await;
    // [0, 0, 204] unless this machine was too busy to start the receiver within 600 ms.
    let (last, before) = statuses(&log[0]).split_last().map(|(l, b)| (*l, b.to_vec())).unwrap();
    assert_eq!(last, 204);
    assert!(before.len() >= 2 && before.iter().all(|s| *s == 0), "{}", log[0]);
    assert_eq!(log[0]["nextAttemptAt"], Value::Null);
}

#[tokio::test]
async fn eight_failed_attempts_make_a_failed_delivery() {
    let receiver = Receiver::start().await;
    receiver.answer(&[500, 502, 503, 504, 404, 429, 301, 400, 204]);
    let h = mock_for(&receiver, 0.0).await;
    emit(&h, json!({"type": "deal.moved"})).await;
    let log = wait_log(&h, |l| l[0]["status"] == "failed").await;
    assert_eq!(statuses(&log[0]), [500, 502, 503, 504, 404, 429, 301, 400]);
    assert_eq!(log[0]["nextAttemptAt"], Value::Null);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(receiver.received().len(), 8);
}

#[tokio::test]
async fn clearing_the_log_or_resetting_cancels_pending_retries() {
    for clear in ["DELETE /__mock/webhooks", "POST /__mock/reset"] {
        let receiver = Receiver::start().await;
        receiver.answer(&[500; 8]);
        // 5 s x 0.2 = 1 s before the second attempt.
        let h = mock_for(&receiver, 0.2).await;
        emit(&h, json!({"type": "deal.moved"})).await;
        receiver.wait_for(1, WAIT).await;
        wait_log(&h, |l| l[0]["attempts"].as_array().unwrap().len() == 1).await;
        let (method, path) = clear.split_once(' ').unwrap();
        let r = h.control(method, path, None).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert!(deliveries(&h).await.is_empty(), "{clear} empties the log");
        tokio::time::sleep(Duration::from_millis(1300)).await;
        assert_eq!(receiver.received().len(), 1, "{clear} cancels the retry");
        assert!(deliveries(&h).await.is_empty());
    }
}

#[tokio::test]
async fn deliveries_run_in_the_background_with_a_per_attempt_timeout() {
    let receiver = Receiver::start().await;
    receiver.delay(Duration::from_millis(3000));
    let h = start_with(
        base_config()
            .with_webhook_url(url(&receiver.url()))
            .with_webhook_timeout(Duration::from_millis(1000))
            .with_webhook_retry_scale(1.0),
    )
    .await;
    let started = Instant::now();
    let r = h.call("POST", "/people", Some(json!({"email": "slow@example.com"}))).await;
    assert_eq!(r.status, 201);
    let r = emit(&h, json!({"type": "deal.created"})).await;
    assert_eq!(r.status, 202);
    assert!(started.elapsed() < Duration::from_millis(1000), "REST and emit do not wait: {:?}", started.elapsed());
    let log = wait_log(&h, |l| l.len() == 2 && l.iter().all(|d| !d["attempts"].as_array().unwrap().is_empty())).await;
    for d in &log {
        assert_eq!(statuses(d), [0]);
        assert!(d["attempts"][0]["error"].as_str().unwrap().contains("no response within 1000 ms"), "{d}");
        assert_eq!(d["status"], "pending", "retried in 5 s (scale 1)");
    }
    assert_eq!(log[0]["source"], "api");
    assert_eq!(log[1]["source"], "emit");
}

/// The data of every logged delivery, in log order, as the receiver got it.
async fn observed(h: &Harness, receiver: &Receiver, n: usize) -> Vec<(String, Value)> {
    wait_log(h, |l| l.len() >= n && l.iter().all(|d| d["status"] == "delivered")).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let log = deliveries(h).await;
    assert_eq!(log.len(), n, "exactly {n} events: {log:#?}");
    let got = receiver.received();
    log.iter()
        .map(|d| {
            assert_eq!(d["source"], "api");
            let r = got.iter().find(|r| r.header("svix-id") == d["id"].as_str().unwrap()).expect("received");
            (r.event_type(), r.json()["data"].clone())
        })
        .collect()
}

#[tokio::test]
async fn rest_writes_emit_lead_job_change_and_interaction_events() {
    let receiver = Receiver::start().await;
    let h = mock_for(&receiver, 0.01).await;
    let company = json!({"name": "Acme", "domain": "acme.example", "industry": "Software", "size": "120"});
    let cmp = h.call("POST", "/companies", Some(company)).await.body["data"]["id"].as_str().unwrap().to_owned();
    let person = json!({"email": "jo@acme.example", "firstName": "Jo", "lastName": "Patel", "title": "AE",
        "companyId": cmp, "linkedinUrl": "https://www.linkedin.com/in/jo"});
    let r = h.call("POST", "/people", Some(person)).await;
    let jo = r.body["data"]["id"].as_str().unwrap().to_owned();
    // No change of title or company: nothing.
    h.call("PATCH", &format!("/people/{jo}"), Some(json!({"title": "AE", "phone": "+1 555"}))).await;
    h.call("PATCH", &format!("/people/{jo}"), Some(json!({"title": "Head of Sales"}))).await;
    let upsert = json!({"email": "JO@acme.example", "companyId": "cmp_other"});
    assert_eq!(h.call("PUT", "/people", Some(upsert)).await.status, 200);
    assert_eq!(h.call("PUT", "/people", Some(json!({"email": "new@acme.example"}))).await.status, 201);
    let call = json!({"type": "EMAIL", "direction": "INBOUND", "title": "Intro", "summary": "Pilot",
        "mainContact": jo, "primaryId": "m1"});
    assert_eq!(h.call("POST", "/interactions", Some(call.clone())).await.status, 201);
    assert_eq!(h.call("POST", "/interactions", Some(call)).await.status, 200, "a duplicate: nothing");
    let memo = json!({"type": "MEMO", "direction": "INTERNAL", "mainContactEmail": "stranger@else.example"});
    assert_eq!(h.call("POST", "/interactions", Some(memo)).await.status, 201);
    // Not observed: conflicts, reads, queries, companies, deletes, faulted writes.
    assert_eq!(h.call("POST", "/people", Some(json!({"email": "jo@acme.example"}))).await.status, 409);
    h.call("GET", &format!("/people/{jo}"), None).await;
    h.call("POST", "/people/query", Some(json!({}))).await;
    h.call("PATCH", &format!("/companies/{cmp}"), Some(json!({"name": "Acme Inc"}))).await;
    h.faults(json!({"match": {"method": "POST", "path": "/people"}, "status": 503})).await;
    assert_eq!(h.call("POST", "/people", Some(json!({"email": "x@acme.example"}))).await.status, 503);
    h.call("DELETE", &format!("/people/{jo}"), None).await;

    let events = observed(&h, &receiver, 7).await;
    let types: Vec<&str> = events.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        types,
        [
            "lead.captured",
            "contact.job_changed",
            "contact.job_changed",
            "lead.captured",
            "interaction.captured",
            "lead.captured",
            "interaction.captured"
        ]
    );
    assert_eq!(
        events[0].1,
        json!({"id": jo, "first_name": "Jo", "last_name": "Patel", "email": "jo@acme.example", "title": "AE",
            "company_name": "Acme", "company_domain": "acme.example", "industry": "Software", "employee_count": 120,
            "estimated_revenue": null, "city": null, "state": null, "country": null,
            "linkedin": "https://www.linkedin.com/in/jo"})
    );
    assert_eq!(
        events[1].1,
        json!({"contact_id": jo, "previous_title": "AE", "new_title": "Head of Sales",
            "previous_company_id": cmp, "new_company_id": cmp})
    );
    assert_eq!(events[2].1["previous_company_id"], cmp.as_str());
    assert_eq!(events[2].1["new_company_id"], "cmp_other");
    assert_eq!(events[2].1["new_title"], "Head of Sales");
    assert_eq!(events[3].1["email"], "new@acme.example");
    assert_eq!(events[3].1["company_name"], Value::Null);
    let captured = &events[4].1;
    assert!(captured["id"].as_str().unwrap().starts_with("int_"));
    assert_eq!((&captured["title"], &captured["summary"]), (&json!("Intro"), &json!("Pilot")));
    assert_eq!(
        captured["people"],
        json!([{"object": "contact", "id": jo, "first_name": "Jo", "last_name": "Patel",
            "email": "JO@acme.example", "title": "Head of Sales"}])
    );
    assert_eq!(captured["company"], Value::Null, "cmp_other does not exist");
    assert_eq!(events[5].1["email"], "stranger@else.example");
    let stranger = events[5].1["id"].as_str().unwrap();
    assert_eq!(events[6].1["people"][0]["id"], stranger);
    assert_eq!(events[6].1["title"], Value::Null);
}

#[tokio::test]
async fn an_interaction_names_the_company_of_its_contact() {
    let receiver = Receiver::start().await;
    let h = mock_for(&receiver, 0.01).await;
    let company = json!({"name": "Acme", "domain": "acme.example", "industry": "Software", "size": "51-200"});
    let cmp = h.call("POST", "/companies", Some(company)).await.body["data"]["id"].as_str().unwrap().to_owned();
    let r = h.call("PUT", "/people", Some(json!({"email": "kim@acme.example", "companyId": cmp}))).await;
    let kim = r.body["data"]["id"].as_str().unwrap().to_owned();
    let call = json!({"type": "MEETING", "direction": "OUTBOUND", "mainContactEmail": "kim@acme.example"});
    assert_eq!(h.call("POST", "/interactions", Some(call)).await.status, 201);
    let events = observed(&h, &receiver, 2).await;
    assert_eq!(events[0].0, "lead.captured");
    assert_eq!(events[0].1["employee_count"], Value::Null, "a size range is not a count");
    assert_eq!(events[1].0, "interaction.captured", "the contact existed: no second lead");
    assert_eq!(
        events[1].1["company"],
        json!({"object": "company", "id": cmp, "name": "Acme", "domain": "acme.example", "industry": "Software",
            "employee_count": null, "estimated_revenue": null, "city": null, "state": null, "country": null,
            "linkedin": null})
    );
    assert_eq!(events[1].1["people"][0]["id"], kim);
}

#[tokio::test]
async fn without_endpoints_nothing_is_sent_or_observed() {
    let h = common::start().await;
    assert!(h.server.webhook_secret().starts_with("whsec_"), "a secret is generated");
    let r = emit(&h, json!({"type": "deal.moved"})).await;
    assert_eq!((r.status, &r.body["endpoints"]), (202, &json!(0)));
    h.person("solo@example.com").await;
    let r = h.control("GET", "/__mock/webhooks", None).await;
    assert_eq!(r.body, json!({"endpoints": [], "deliveries": []}));
}

#[tokio::test]
async fn every_endpoint_gets_the_event_under_one_message_id() {
    let (a, b) = (Receiver::start().await, Receiver::start().await);
    let config = base_config().with_webhook_url(url(&a.url())).with_webhook_url(url(&b.url()));
    let h = start_with(config).await;
    let r = emit(&h, json!({"type": "deal.contact_added"})).await;
    assert_eq!(r.body["endpoints"], 2);
    let (ga, gb) = (a.wait_for(1, WAIT).await, b.wait_for(1, WAIT).await);
    assert_eq!(ga[0].header("svix-id"), r.body["id"].as_str().unwrap());
    assert_eq!((ga[0].header("svix-id"), &ga[0].body), (gb[0].header("svix-id"), &gb[0].body));
    let log = wait_log(&h, |l| l.len() == 2 && l.iter().all(|d| d["status"] == "delivered")).await;
    assert_eq!((&log[0]["url"], &log[1]["url"]), (&json!(a.url()), &json!(b.url())));
}

#[tokio::test]
async fn a_connection_closed_without_an_answer_is_a_failed_attempt() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = format!("http://{}/", listener.local_addr().unwrap());
    let closer = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            drop(stream);
        }
    });
    let h = start_with(base_config().with_webhook_url(url(&target)).with_webhook_retry_scale(0.0)).await;
    emit(&h, json!({"type": "meeting.completed"})).await;
    let log = wait_log(&h, |l| l[0]["status"] == "failed").await;
    assert_eq!(statuses(&log[0]), [0; 8]);
    assert!(log[0]["attempts"].as_array().unwrap().iter().all(|a| a["error"].is_string()), "{}", log[0]);
    closer.abort();
}
