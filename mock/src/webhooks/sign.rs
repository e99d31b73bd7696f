//! Standard Webhooks signing (webhooks.md §5): `v1,` + base64 of HMAC-SHA256 over
//! `{id}.{timestamp}.{body}`, keyed with the decoded bytes of the `whsec_` secret.

use base64::Engine;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::config::{WebhookSecret, B64};

/// `v1,<base64>` for one key.
pub(crate) fn sign(key: &[u8], id: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC accepts keys of any length; this cannot fail.
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("v1,{}", B64.encode(mac.finalize().into_bytes()))
}

/// The signature header's value: one `v1` entry per secret, in the order given, space-separated.
pub(crate) fn signature_header(secrets: &[WebhookSecret], id: &str, timestamp: i64, body: &[u8]) -> String {
    let entries: Vec<String> = secrets.iter().map(|s| sign(s.key(), id, timestamp, body)).collect();
    entries.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: &str = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";
    const O: &str = "whsec_ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";
    const V1_BODY: &str = r#"{"type":"lead.captured","object":"event","data":{"id":"h7w8y2f1","email":"jordan.patel@acmeanalytics.com"}}"#;

    fn key(secret: &str) -> Vec<u8> {
        WebhookSecret::parse(secret).unwrap().key().to_vec()
    }

    #[test]
    fn spec_vector_v1() {
        assert_eq!(
            sign(&key(S), "msg_klipyvector0001", 1_735_689_600, V1_BODY.as_bytes()),
            "v1,K82NQBDXyVH92yp9/NqMCGq73Qfbxupv3Uj4YlpCAcE="
        );
    }

    #[test]
    fn spec_vector_v2_non_ascii_body() {
        let body = r#"{"type":"contact.job_changed","object":"event","data":{"contact_id":"h7w8y2f1","previous_title":"Verkäuferin","new_title":"Directrice générale 🚀"}}"#;
        assert_eq!(
            sign(&key(S), "msg_klipyvector0002", 1_735_689_601, body.as_bytes()),
            "v1,PvbsZEcMOZ8yaIUfqFOUCQInJJO2xMLkmmYooj3805k="
        );
    }

    #[test]
    fn spec_vector_v3_pretty_body_with_trailing_newline() {
        let body = "{\n  \"type\": \"meeting.starting_soon\",\n  \"object\": \"event\",\n  \"data\": {\n    \"meetingId\": \"mt_4f3d2a\"\n  }\n}\n";
        assert_eq!(
            sign(&key(S), "msg_klipyvector0003", 1_735_689_602, body.as_bytes()),
            "v1,eX5p5h+tvfMsBLnPhtS4/RNNbxz0iJ6RLK0ZnlcWtAE="
        );
    }

    #[test]
    fn spec_vector_v4_one_entry_per_secret_in_order() {
        let secrets = [WebhookSecret::parse(O).unwrap(), WebhookSecret::parse(S).unwrap()];
        assert_eq!(
            signature_header(&secrets, "msg_klipyvector0001", 1_735_689_600, V1_BODY.as_bytes()),
            "v1,8miaHVtzVWocyW6w1pVcLolpWZnoJ6SHZbH8mWCQwCw= v1,K82NQBDXyVH92yp9/NqMCGq73Qfbxupv3Uj4YlpCAcE="
        );
    }

    #[test]
    fn spec_vector_v0_svix_example() {
        assert_eq!(
            sign(
                &key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1_614_265_330,
                br#"{"test": 2432232314}"#
            ),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn any_change_changes_the_signature() {
        let base = sign(&key(S), "msg_a", 1, b"{}");
        assert_ne!(sign(&key(S), "msg_b", 1, b"{}"), base);
        assert_ne!(sign(&key(S), "msg_a", 2, b"{}"), base);
        assert_ne!(sign(&key(S), "msg_a", 1, b"{ }"), base);
        assert_ne!(sign(&key(O), "msg_a", 1, b"{}"), base);
    }
}
