//! Event types, message ids and the envelope (webhooks.md §2, §3).

use serde_json::{Map, Value};

/// The 13 documented event types, in the order of the catalogue.
pub const EVENT_TYPES: [&str; 13] = [
    "lead.captured",
    "contact.job_changed",
    "interaction.captured",
    "booking.created",
    "booking.rescheduled",
    "booking.cancelled",
    "deal.created",
    "deal.contact_added",
    "deal.moved",
    "deal.closed",
    "meeting.starting_soon",
    "meeting.completed",
    "meeting.no_showed",
];

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Whether `t` matches `^[a-z0-9_]+(\.[a-z0-9_]+)+$` (dotted lowercase words).
pub(crate) fn is_well_formed(t: &str) -> bool {
    let mut parts = 0;
    for part in t.split('.') {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
            return false;
        }
        parts += 1;
    }
    parts >= 2
}

/// A message id: `msg_` + 27 base-62 characters, shared by every attempt and endpoint.
pub(crate) fn message_id() -> String {
    let mut id = String::with_capacity(31);
    id.push_str("msg_");
    for _ in 0..27 {
        id.push(char::from(BASE62[(crate::ids::next_u64() % 62) as usize]));
    }
    id
}

/// The compact JSON envelope `{"type","object":"event","data"}`: the exact bytes every
/// attempt sends and signs.
pub(crate) fn envelope(event_type: &str, data: Value) -> Vec<u8> {
    let mut map = Map::new();
    map.insert("type".into(), Value::String(event_type.to_owned()));
    map.insert("object".into(), Value::String("event".into()));
    map.insert("data".into(), data);
    serde_json::to_vec(&Value::Object(map)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_shapes() {
        for t in EVENT_TYPES {
            assert!(is_well_formed(t), "{t}");
        }
        for ok in ["custom.thing", "a.b.c", "x_1.y_2"] {
            assert!(is_well_formed(ok) && !EVENT_TYPES.contains(&ok), "{ok}");
        }
        for bad in ["", "lead", "Lead.captured", "lead.", ".lead", "lead..x", "lead.cap tured", "lead-x.y"] {
            assert!(!is_well_formed(bad), "{bad}");
        }
    }

    #[test]
    fn message_ids_are_msg_plus_27_base62() {
        let a = message_id();
        assert_eq!(a.len(), 31);
        assert!(a.starts_with("msg_") && a[4..].bytes().all(|b| b.is_ascii_alphanumeric()), "{a}");
        assert_ne!(a, message_id());
    }

    #[test]
    fn envelope_is_compact_and_ordered() {
        let body = envelope("deal.moved", serde_json::json!({"deal_id": "dl_1", "to": "Won"}));
        assert_eq!(
            String::from_utf8(body).unwrap(),
            r#"{"type":"deal.moved","object":"event","data":{"deal_id":"dl_1","to":"Won"}}"#
        );
    }
}
