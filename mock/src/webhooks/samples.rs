//! Plausible `data` for each of the 13 types when `POST /__mock/webhooks/emit` gets none: the
//! shape of the catalogue's example (webhooks.md §3) with every documented field present and
//! fresh ids.

use serde_json::{json, Value};

use crate::ids::random_base36;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// The sample `data` of a documented type; `None` for any other type.
pub(crate) fn sample(event_type: &str, now_ms: i64) -> Option<Value> {
    let contact_id = random_base36(8);
    Some(match event_type {
        "lead.captured" => json!({
            "id": contact_id,
            "first_name": "Jordan",
            "last_name": "Patel",
            "email": "jordan.patel@acmeanalytics.com",
            "title": "VP of Sales",
            "company_name": "Acme Analytics",
            "company_domain": "acmeanalytics.com",
            "industry": "Software",
            "employee_count": 120,
            "estimated_revenue": 12_500_000,
            "city": "Austin",
            "state": "TX",
            "country": "US",
            "linkedin": "https://www.linkedin.com/in/jordan-patel",
        }),
        "contact.job_changed" => json!({
            "contact_id": contact_id,
            "previous_title": "Account Executive",
            "new_title": "Head of Sales",
            "previous_company_id": format!("cmp_{}", random_base36(10)),
            "new_company_id": format!("cmp_{}", random_base36(10)),
        }),
        "interaction.captured" => json!({
            "id": format!("int_{}", random_base36(10)),
            "title": "Intro call with Acme Analytics",
            "summary": "Discussed the pilot scope and pricing; next step is a technical review.",
            "people": [{
                "object": "contact",
                "id": contact_id,
                "first_name": "Jordan",
                "last_name": "Patel",
                "email": "jordan.patel@acmeanalytics.com",
                "title": "VP of Sales",
            }],
            "company": company(),
        }),
        "booking.created" => booking("booked", now_ms + DAY_MS, None),
        "booking.rescheduled" => booking("rescheduled", now_ms + 2 * DAY_MS, None),
        "booking.cancelled" => booking("cancelled", now_ms + DAY_MS, Some("Schedule conflict")),
        "deal.created" => deal(now_ms),
        "deal.contact_added" => json!({
            "deal_id": format!("dl_{}", random_base36(10)),
            "contact_id": contact_id,
            "association_type": "PRIMARY",
            "supervisor_id": random_base36(8),
        }),
        "deal.moved" => {
            let mut data = with_actor(deal(now_ms));
            data["from"] = json!("Discovery");
            data["to"] = json!("Proposal");
            data
        }
        "deal.closed" => {
            let mut data = with_actor(deal(now_ms));
            data["cycle_length"] = json!(42);
            data["days_diff_from_estimate"] = json!(-3);
            data["from"] = json!("Negotiation");
            data["won"] = json!(true);
            data
        }
        "meeting.starting_soon" => json!({ "meetingId": meeting_id() }),
        "meeting.completed" => json!({ "recordingId": recording_id(), "meetingId": meeting_id(), "status": "done" }),
        "meeting.no_showed" => json!({
            "meetingId": meeting_id(),
            "recordingId": recording_id(),
            "reason": "no_external_participants",
        }),
        _ => return None,
    })
}

fn meeting_id() -> String {
    format!("mt_{}", random_base36(6))
}

fn recording_id() -> String {
    format!("rec_{}", random_base36(8))
}

/// The company shape of `interaction.captured`.
fn company() -> Value {
    json!({
        "object": "company",
        "id": format!("cmp_{}", random_base36(10)),
        "name": "Acme Analytics",
        "domain": "acmeanalytics.com",
        "industry": "Software",
        "employee_count": 120,
        "estimated_revenue": 12_500_000,
        "city": "Austin",
        "state": "TX",
        "country": "US",
        "linkedin": "https://www.linkedin.com/company/acme-analytics",
    })
}

/// A booking starting at `start_ms` (rounded to the hour), 30 minutes long.
fn booking(status: &str, start_ms: i64, cancellation_reason: Option<&str>) -> Value {
    let start = start_ms - start_ms.rem_euclid(HOUR_MS);
    json!({
        "id": random_base36(15),
        "title": "Klipy demo",
        "description": null,
        "status": status,
        "start_time": start,
        "end_time": start + HOUR_MS / 2,
        "timezone": "America/Chicago",
        "organizer": { "name": "Sam Rivera", "email": "sam@klipy-demo.example" },
        "attendee": { "name": "Jordan Patel", "email": "jordan.patel@acmeanalytics.com" },
        "guests": [],
        "external_id": random_base36(24),
        "cancellation_reason": cancellation_reason,
    })
}

/// The deal shape shared by the `deal.*` events.
fn deal(now_ms: i64) -> Value {
    json!({
        "deal_id": format!("dl_{}", random_base36(10)),
        "pipeline_id": format!("pl_{}", random_base36(8)),
        "pipeline": "New business",
        "estimated_value": 25_000,
        "currency": "USD",
        "deal_creation_date": crate::time::iso8601(now_ms),
        "estimated_close_date": crate::time::iso8601(now_ms + 30 * DAY_MS),
        "is_private": false,
        "deal_name": "Acme Analytics pilot",
        "owner_name": "Sam Rivera",
        "company": { "name": "Acme Analytics", "domain": "acmeanalytics.com" },
        "point_of_contact": {
            "first_name": "Jordan",
            "last_name": "Patel",
            "email": "jordan.patel@acmeanalytics.com",
            "title": "VP of Sales",
        },
    })
}

/// `actor_name` first, then the deal fields.
fn with_actor(deal: Value) -> Value {
    let mut map = serde_json::Map::new();
    map.insert("actor_name".into(), json!("Sam Rivera"));
    if let Value::Object(fields) = deal {
        map.extend(fields);
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhooks::events::EVENT_TYPES;

    #[test]
    fn every_type_has_a_sample_with_fresh_ids() {
        for t in EVENT_TYPES {
            let a = sample(t, 1_700_000_000_000).unwrap_or_else(|| panic!("{t}"));
            let b = sample(t, 1_700_000_000_000).unwrap();
            assert!(a.is_object(), "{t}");
            assert_ne!(a, b, "{t}: ids are fresh");
        }
        assert!(sample("custom.thing", 0).is_none());
    }

    #[test]
    fn documented_fields_are_present() {
        let has = |t: &str, fields: &[&str]| {
            let data = sample(t, 0).unwrap();
            for f in fields {
                assert!(data.get(*f).is_some(), "{t}.{f}");
            }
        };
        has("booking.cancelled", &["id", "start_time", "end_time", "guests", "external_id", "cancellation_reason"]);
        has("deal.closed", &["actor_name", "deal_id", "point_of_contact", "cycle_length", "won", "from"]);
        has("deal.moved", &["actor_name", "deal_id", "from", "to"]);
        has("meeting.completed", &["recordingId", "meetingId", "status"]);
        let cancelled = sample("booking.cancelled", 0).unwrap();
        assert_eq!(cancelled["status"], "cancelled");
        assert!(cancelled["cancellation_reason"].is_string());
        assert!(sample("booking.created", 0).unwrap()["cancellation_reason"].is_null());
    }
}
