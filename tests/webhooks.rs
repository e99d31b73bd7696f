//! Webhook verification against the test vectors of the spec (webhooks.md §5), the check order
//! of §6, the tolerance of §7, and the decoding of the 13 documented events.
#![cfg(all(feature = "webhooks-rustcrypto", not(all(target_arch = "wasm32", target_os = "unknown"))))]

use futures_executor::block_on;
use klipy_sdk::webhooks::{Event, HmacSha256, Webhook, WebhookError};
use klipy_sdk::ErrorKind;
use serde_json::{json, Value};

const S: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";
const O: &str = "whsec_ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
const V1_BODY: &str =
    r#"{"type":"lead.captured","object":"event","data":{"id":"h7w8y2f1","email":"jordan.patel@acmeanalytics.com"}}"#;
const V1_SIG: &str = "v1,K82NQBDXyVH92yp9/NqMCGq73Qfbxupv3Uj4YlpCAcE=";
const V4_HEADER: &str =
    "v1a,AAAA v1,8miaHVtzVWocyW6w1pVcLolpWZnoJ6SHZbH8mWCQwCw= v1,K82NQBDXyVH92yp9/NqMCGq73Qfbxupv3Uj4YlpCAcE=";

fn headers(id: &str, ts: &str, sig: &str) -> Vec<(String, String)> {
    vec![
        ("webhook-id".into(), id.into()),
        ("webhook-timestamp".into(), ts.into()),
        ("webhook-signature".into(), sig.into()),
    ]
}

fn check(secret: &str, body: &str, h: Vec<(String, String)>, now: u64) -> Result<Event, WebhookError> {
    block_on(Webhook::new(secret).unwrap().verify(body.as_bytes(), h, now))
}

#[test]
fn vector_v1_verifies_and_decodes() {
    let ev = check(S, V1_BODY, headers("msg_klipyvector0001", "1735689600", V1_SIG), 1_735_689_600).unwrap();
    let Event::LeadCaptured(lead) = ev else { panic!("not a lead: {ev:?}") };
    assert_eq!(lead.id.as_deref(), Some("h7w8y2f1"));
    assert_eq!(lead.email.as_deref(), Some("jordan.patel@acmeanalytics.com"));
    assert_eq!(lead.first_name, None);
}

#[test]
fn vector_v2_hashes_utf8_bytes() {
    let body = r#"{"type":"contact.job_changed","object":"event","data":{"contact_id":"h7w8y2f1","previous_title":"Verkäuferin","new_title":"Directrice générale 🚀"}}"#;
    let ev = check(
        S,
        body,
        headers("msg_klipyvector0002", "1735689601", "v1,PvbsZEcMOZ8yaIUfqFOUCQInJJO2xMLkmmYooj3805k="),
        1_735_689_601,
    )
    .unwrap();
    let Event::ContactJobChanged(c) = ev else { panic!("{ev:?}") };
    assert_eq!(c.new_title.as_deref(), Some("Directrice générale 🚀"));
}

#[test]
fn vector_v3_signs_the_raw_pretty_printed_body() {
    let body = "{\n  \"type\": \"meeting.starting_soon\",\n  \"object\": \"event\",\n  \"data\": {\n    \"meetingId\": \"mt_4f3d2a\"\n  }\n}\n";
    let sig = "v1,eX5p5h+tvfMsBLnPhtS4/RNNbxz0iJ6RLK0ZnlcWtAE=";
    let ev = check(S, body, headers("msg_klipyvector0003", "1735689602", sig), 1_735_689_602).unwrap();
    assert_eq!(ev.event_type(), "meeting.starting_soon");
    // Re-serialised JSON is not what was signed.
    let compact: Value = serde_json::from_str(body).unwrap();
    let err = check(S, &compact.to_string(), headers("msg_klipyvector0003", "1735689602", sig), 1_735_689_602);
    assert_eq!(err, Err(WebhookError::BadSignature));
}

#[test]
fn vector_v4_rotation_accepts_either_key_and_no_other() {
    let h = || headers("msg_klipyvector0001", "1735689600", V4_HEADER);
    assert!(check(S, V1_BODY, h(), 1_735_689_600).is_ok());
    assert!(check(O, V1_BODY, h(), 1_735_689_600).is_ok());
    let other = "whsec_AQECAwQFBgcICQoLDA0ODxAREhMUFRYX";
    assert_eq!(check(other, V1_BODY, h(), 1_735_689_600), Err(WebhookError::BadSignature));
}

#[test]
fn vector_v0_svix_example_with_svix_headers() {
    let wh = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    let h = [
        ("Svix-Id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
        ("Svix-Timestamp", "1614265330"),
        ("Svix-Signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
    ];
    // The body is not a Klipy envelope (no "type"): the signature holds, the payload does not.
    assert_eq!(
        block_on(wh.verify_signature_with(
            &klipy_sdk::webhooks::RustCryptoHmac,
            br#"{"test": 2432232314}"#,
            h,
            1_614_265_330
        )),
        Ok(())
    );
    assert!(matches!(
        block_on(wh.verify(br#"{"test": 2432232314}"#, h, 1_614_265_330)),
        Err(WebhookError::BadPayload(_))
    ));
}

#[test]
fn sign_reproduces_the_vectors() {
    let wh = Webhook::new(S).unwrap();
    assert_eq!(wh.sign("msg_klipyvector0001", 1_735_689_600, V1_BODY.as_bytes()), V1_SIG);
    let wh = Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    assert_eq!(
        wh.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1_614_265_330, br#"{"test": 2432232314}"#),
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    );
}

#[test]
fn tolerance_is_300_seconds_inclusive_in_both_directions() {
    let h = || headers("msg_klipyvector0001", "1735689600", V1_SIG);
    for now in [1_735_689_300, 1_735_689_900] {
        assert!(check(S, V1_BODY, h(), now).is_ok(), "now {now}");
    }
    for now in [1_735_689_299, 1_735_689_901, 0, u64::MAX] {
        assert_eq!(check(S, V1_BODY, h(), now), Err(WebhookError::TimestampOutOfRange), "now {now}");
    }
    let strict = Webhook::new(S).unwrap().with_tolerance_secs(0);
    assert_eq!(strict.tolerance_secs(), 0);
    assert!(block_on(strict.verify(V1_BODY.as_bytes(), h(), 1_735_689_600)).is_ok());
    assert_eq!(block_on(strict.verify(V1_BODY.as_bytes(), h(), 1_735_689_601)), Err(WebhookError::TimestampOutOfRange));
}

#[test]
fn checks_run_in_order_first_failure_wins() {
    // Missing header beats a bad timestamp and a bad signature.
    let h = vec![
        ("webhook-timestamp".to_string(), "x".to_string()),
        ("webhook-signature".to_string(), "v1,AAAA".to_string()),
    ];
    assert_eq!(check(S, "not json", h, 0), Err(WebhookError::MissingHeader("webhook-id")));
    // A bad timestamp beats a bad signature; a fractional one is out of range.
    for ts in ["1735689600.5", "abc", "-1735689600", ""] {
        let want = if ts.is_empty() {
            WebhookError::MissingHeader("webhook-timestamp")
        } else {
            WebhookError::TimestampOutOfRange
        };
        assert_eq!(check(S, "not json", headers("m", ts, "v1,AAAA"), 1_735_689_600), Err(want), "{ts:?}");
    }
    // A bad signature beats a bad payload.
    assert_eq!(
        check(S, "not json", headers("m", "1735689600", "v1,AAAA"), 1_735_689_600),
        Err(WebhookError::BadSignature)
    );
    let wh = Webhook::new(S).unwrap();
    for body in ["not json", "[1,2]", r#"{"type":7}"#, r#"{"object":"event"}"#, "\"lead.captured\""] {
        let sig = wh.sign("m", 1_735_689_600, body.as_bytes());
        let err = check(S, body, headers("m", "1735689600", &sig), 1_735_689_600).unwrap_err();
        assert_eq!(err.reason(), "bad_payload", "{body}");
    }
}

#[test]
fn tampering_with_id_timestamp_or_body_breaks_the_signature() {
    let now = 1_735_689_600;
    let tampered_body = V1_BODY.replace("h7w8y2f1", "h7w8y2f2");
    assert_eq!(
        check(S, &tampered_body, headers("msg_klipyvector0001", "1735689600", V1_SIG), now),
        Err(WebhookError::BadSignature)
    );
    assert_eq!(
        check(S, V1_BODY, headers("msg_klipyvector0002", "1735689600", V1_SIG), now),
        Err(WebhookError::BadSignature)
    );
    assert_eq!(
        check(S, V1_BODY, headers("msg_klipyvector0001", "1735689601", V1_SIG), now),
        Err(WebhookError::BadSignature)
    );
    // Only v1 entries count: the right signature under another version is refused.
    let v2 = V1_SIG.replacen("v1,", "v2,", 1);
    assert_eq!(
        check(S, V1_BODY, headers("msg_klipyvector0001", "1735689600", &v2), now),
        Err(WebhookError::BadSignature)
    );
}

#[test]
fn malformed_secrets_are_config_errors_that_never_echo_them() {
    for bad in [
        "",
        "whsec_",
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYX",
        "whsec_AAECAwQF!gcICQoLDA0O",
        "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRY",
        "WHSEC_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX",
        "whsec_AAEC AwQF",
    ] {
        let err = Webhook::new(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{bad:?}");
        let shown = format!("{err} {err:?}");
        let secret_part = bad.trim_start_matches("whsec_");
        assert!(secret_part.len() < 4 || !shown.contains(secret_part), "{bad:?} echoed in {shown}");
    }
}

#[test]
fn debug_of_a_verifier_shows_no_key_material() {
    let shown = format!("{:?}", Webhook::new(S).unwrap());
    assert!(!shown.contains("AAECAw") && !shown.contains("[0, 1, 2"), "{shown}");
    assert!(shown.contains("redacted"), "{shown}");
}

/// An injected HMAC that delegates, proving the core calls the primitive it is given.
struct Counting(std::sync::atomic::AtomicUsize);
impl HmacSha256 for Counting {
    fn hmac_sha256<'a>(
        &'a self,
        key: &'a [u8],
        msg: &'a [u8],
    ) -> klipy_sdk::rt::BoxFuture<'a, Result<[u8; 32], String>> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Box::pin(async move { Ok(klipy_sdk::webhooks::RustCryptoHmac::compute(key, msg)) })
    }
}
struct Broken;
impl HmacSha256 for Broken {
    fn hmac_sha256<'a>(&'a self, _: &'a [u8], _: &'a [u8]) -> klipy_sdk::rt::BoxFuture<'a, Result<[u8; 32], String>> {
        Box::pin(async { Err("no crypto here".to_string()) })
    }
}

#[test]
fn the_hmac_primitive_is_injected() {
    let wh = Webhook::new(S).unwrap();
    let counting = Counting(Default::default());
    let h = || headers("msg_klipyvector0001", "1735689600", V1_SIG);
    assert!(block_on(wh.verify_with(&counting, V1_BODY.as_bytes(), h(), 1_735_689_600)).is_ok());
    assert_eq!(counting.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    let err = block_on(wh.verify_with(&Broken, V1_BODY.as_bytes(), h(), 1_735_689_600)).unwrap_err();
    assert_eq!(err.reason(), "crypto_unavailable");
    // Header and timestamp checks come before any hashing.
    let no_hash = block_on(wh.verify_with(&Broken, V1_BODY.as_bytes(), h(), 0)).unwrap_err();
    assert_eq!(no_hash, WebhookError::TimestampOutOfRange);
}

fn fixture() -> Vec<Value> {
    let v: Value = serde_json::from_str(include_str!("fixtures/webhook-events.json")).unwrap();
    v["events"].as_array().unwrap().clone()
}

#[test]
fn all_13_example_events_decode_with_every_field() {
    let events = fixture();
    assert_eq!(events.len(), 13);
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, Event::TYPES);
    let wh = Webhook::new(S).unwrap();
    for raw in &events {
        let body = raw.to_string();
        let sig = wh.sign("msg_fixture", 1_700_000_000, body.as_bytes());
        let ev =
            block_on(wh.verify(body.as_bytes(), headers("msg_fixture", "1700000000", &sig), 1_700_000_000)).unwrap();
        assert_eq!(ev.event_type(), raw["type"].as_str().unwrap());
        assert!(!matches!(ev, Event::Unknown { .. }), "{ev:?}");
        let d = &raw["data"];
        let s = |k: &str| d[k].as_str().map(str::to_string);
        match ev {
            Event::LeadCaptured(x) => {
                assert_eq!((x.id, x.email, x.company_domain), (s("id"), s("email"), s("company_domain")));
                assert_eq!((x.employee_count, x.estimated_revenue), (Some(120), Some(12_500_000.0)));
                assert_eq!(
                    (x.city, x.state, x.country, x.linkedin),
                    (s("city"), s("state"), s("country"), s("linkedin"))
                );
            }
            Event::ContactJobChanged(x) => {
                assert_eq!((x.contact_id, x.new_company_id), (s("contact_id"), s("new_company_id")))
            }
            Event::InteractionCaptured(x) => {
                assert_eq!(x.people.unwrap()[0].email, Some("jordan.patel@acmeanalytics.com".into()));
                let c = x.company.unwrap();
                assert_eq!(
                    (c.id.as_deref(), c.employee_count, c.country.as_deref()),
                    (Some("cmp_7d1e"), Some(120), Some("US"))
                );
            }
            Event::BookingCreated(b) | Event::BookingRescheduled(b) | Event::BookingCancelled(b) => {
                assert_eq!(b.start_time, d["start_time"].as_i64());
                assert_eq!(b.end_time.unwrap() - b.start_time.unwrap(), 1_800_000);
                assert_eq!(b.description, None);
                assert_eq!(b.attendee.unwrap().email.as_deref(), Some("jordan.patel@acmeanalytics.com"));
                assert_eq!(b.guests, Some(vec![]));
                assert_eq!(b.cancellation_reason, s("cancellation_reason"));
                assert_eq!(b.status, s("status"));
            }
            Event::DealCreated(x) => {
                assert_eq!((x.deal_id, x.is_private, x.estimated_value), (s("deal_id"), Some(false), Some(48000.5)));
                assert_eq!(x.point_of_contact.unwrap().title.as_deref(), Some("VP Sales"));
            }
            Event::DealContactAdded(x) => {
                assert_eq!((x.association_type, x.supervisor_id), (s("association_type"), s("supervisor_id")))
            }
            Event::DealMoved(x) => {
                assert_eq!((x.from, x.to, x.actor_name), (s("from"), s("to"), s("actor_name")));
                assert_eq!(x.deal.company.unwrap().domain.as_deref(), Some("acmeanalytics.com"));
            }
            Event::DealClosed(x) => {
                assert_eq!((x.won, x.cycle_length, x.days_diff_from_estimate), (Some(true), Some(41), Some(-12)));
                assert_eq!(x.deal.deal_id, s("deal_id"));
            }
            Event::MeetingStartingSoon(x) => assert_eq!(x.meeting_id, s("meetingId")),
            Event::MeetingCompleted(x) => assert_eq!((x.recording_id, x.status), (s("recordingId"), s("status"))),
            Event::MeetingNoShowed(x) => assert_eq!(x.reason.as_deref(), Some("no_external_participants")),
            other => panic!("unexpected {other:?}"),
        }
    }
}

#[test]
fn decoding_tolerates_absent_null_mistyped_and_unknown_fields() {
    let body = json!({"type": "deal.closed", "object": "event", "extra_top": 1,
        "data": {"deal_id": "dl_1", "won": null, "cycle_length": "forty", "company": "Acme", "new_field": {"x": 1}}});
    let Event::DealClosed(x) = Event::from_slice(body.to_string().as_bytes()).unwrap() else { panic!() };
    assert_eq!(x.deal.deal_id.as_deref(), Some("dl_1"));
    assert_eq!((x.won, x.cycle_length, x.deal.company), (None, None, None));
    // No data at all, or data that is not an object: all fields absent.
    for body in [r#"{"type":"meeting.completed"}"#, r#"{"type":"meeting.completed","data":[1]}"#] {
        assert_eq!(Event::from_slice(body.as_bytes()).unwrap(), Event::MeetingCompleted(Default::default()));
    }
}

#[test]
fn unknown_types_pass_through_with_the_raw_envelope() {
    let raw =
        json!({"type": "task.completed", "object": "event", "data": {"task_id": "t_1", "n": 12345678901234567u64}});
    let ev = Event::from_slice(raw.to_string().as_bytes()).unwrap();
    assert_eq!(ev.event_type(), "task.completed");
    assert_eq!(ev, Event::Unknown { event_type: "task.completed".into(), raw });
}
