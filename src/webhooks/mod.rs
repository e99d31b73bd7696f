//! Verifying Klipy's webhook deliveries (Standard Webhooks, as Svix sends them) and decoding
//! their events.
//!
//! Klipy signs each delivery the Standard Webhooks way (assumed: Klipy sends through Svix; see
//! `webhooks.md` of the project spec): the headers `webhook-id`, `webhook-timestamp` and
//! `webhook-signature` (or their `svix-` twins) carry a message id, the Unix time of the attempt
//! and `v1,<base64 HMAC-SHA256>` entries over `{id}.{timestamp}.{raw body}`, keyed with the
//! base64-decoded part of the endpoint's `whsec_…` secret.
//!
//! ```
//! # #[cfg(feature = "webhooks-rustcrypto")]
//! # futures_executor::block_on(async {
//! use klipy_sdk::webhooks::{Event, Webhook};
//!
//! let wh = Webhook::new("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX")?;
//! let body = br#"{"type":"meeting.starting_soon","object":"event","data":{"meetingId":"mt_1"}}"#;
//! let headers = [
//!     ("webhook-id", "msg_1"),
//!     ("webhook-timestamp", "1735689600"),
//!     ("webhook-signature", "v1,y6pZYk5EDv1mrM73ZcPZs/qdLRsogW0hz9uLG8vXBUo="),
//! ];
//! let now = 1_735_689_630; // Unix seconds, from your clock
//! match wh.verify(body, headers, now).await? {
//!     Event::MeetingStartingSoon(m) => assert_eq!(m.meeting_id.as_deref(), Some("mt_1")),
//!     other => panic!("unexpected {other:?}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! The checks run in a fixed order and the first failure wins: a missing header, then a
//! timestamp outside the tolerance (300 s by default, either direction), then no matching `v1`
//! signature (several are accepted, for secret rotation; compared in constant time), then, for
//! [`Webhook::verify_with`], a body that is not a JSON object with a string `type`.
//!
//! The HMAC primitive is injected through [`HmacSha256`]: [`Webhook::verify_signature_with`]
//! takes any implementation; on native targets the `webhooks-rustcrypto` feature (default)
//! supplies `RustCryptoHmac` and the `Webhook::verify` shorthand. The npm package computes the
//! HMAC with the runtime's WebCrypto around [`SignatureCheck`] instead, so the `.wasm` carries no
//! SHA-256 of its own.

mod base64;
mod data;
mod event;
mod headers;
mod hmac;

pub use data::{
    Booking, BookingParticipant, Company, ContactJobChanged, Deal, DealClosed, DealCompany, DealContactAdded,
    DealMoved, InteractionCaptured, InteractionPerson, LeadCaptured, MeetingCompleted, MeetingNoShowed,
    MeetingStartingSoon, PointOfContact,
};
pub use event::Event;

pub use hmac::HmacSha256;
#[cfg(all(feature = "webhooks-rustcrypto", not(all(target_arch = "wasm32", target_os = "unknown"))))]
pub use hmac::RustCryptoHmac;

use crate::error::Error;
use std::fmt;

/// The default clock tolerance, in seconds, either side of the current time.
pub const DEFAULT_TOLERANCE_SECS: u64 = 300;

const SECRET_PREFIX: &str = "whsec_";

/// Why a delivery was refused. The messages never contain the secret, the key or the expected
/// signature.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// A signing header (the name given, in its `webhook-` form) is absent or empty in both
    /// header families.
    MissingHeader(&'static str),
    /// The timestamp is not whole Unix seconds, or lies outside the tolerance.
    TimestampOutOfRange,
    /// No `v1` signature matches the body.
    BadSignature,
    /// The verified body is not a JSON object with a string `type`.
    BadPayload(String),
    /// The HMAC primitive failed (for example, no WebCrypto in the runtime).
    Crypto(String),
}

impl WebhookError {
    /// The reason as the JS error's `reason` says it: `missing_header`, `timestamp_out_of_range`,
    /// `bad_signature`, `bad_payload`, or `crypto_unavailable`.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::MissingHeader(_) => "missing_header",
            Self::TimestampOutOfRange => "timestamp_out_of_range",
            Self::BadSignature => "bad_signature",
            Self::BadPayload(_) => "bad_payload",
            Self::Crypto(_) => "crypto_unavailable",
        }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingHeader(name) => write!(
                f,
                "the webhook has no {name} header (nor its svix- twin): pass the request's headers as received"
            ),
            Self::TimestampOutOfRange => f.write_str(
                "the webhook timestamp is not whole Unix seconds or is outside the tolerance: a replay, or a clock out of sync",
            ),
            Self::BadSignature => f.write_str(
                "no webhook signature matches: check the endpoint secret and pass the raw body bytes, not re-serialized JSON",
            ),
            Self::BadPayload(why) => write!(f, "the webhook body is not a Klipy event: {why}"),
            Self::Crypto(why) => write!(f, "HMAC-SHA256 is unavailable: {why}"),
        }
    }
}

impl std::error::Error for WebhookError {}

/// The sans-I/O half of verification: a delivery whose headers and timestamp passed, with what
/// to sign and the signatures to compare against. [`Webhook::verify_signature_with`] is built on
/// it; a host that computes the HMAC itself (the npm package, with WebCrypto) uses it directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureCheck {
    prefix: String,
    signature: String,
}

impl SignatureCheck {
    /// Reads the signing headers (either family, names case-insensitive) and checks the
    /// timestamp against `now_secs` (Unix seconds) with `tolerance_secs` either way.
    ///
    /// # Errors
    /// [`WebhookError::MissingHeader`], then [`WebhookError::TimestampOutOfRange`].
    pub fn new<I, K, V>(headers: I, now_secs: u64, tolerance_secs: u64) -> Result<Self, WebhookError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let h = headers::SigningHeaders::find(headers)?;
        let ts = headers::parse_timestamp(&h.timestamp).ok_or(WebhookError::TimestampOutOfRange)?;
        if now_secs.abs_diff(ts) > tolerance_secs {
            return Err(WebhookError::TimestampOutOfRange);
        }
        let mut prefix = h.id;
        prefix.push('.');
        prefix.push_str(&h.timestamp);
        prefix.push('.');
        Ok(Self { prefix, signature: h.signature })
    }

    /// `{id}.{timestamp}.`: the HMAC covers these bytes followed by the raw body.
    pub fn signed_prefix(&self) -> &str {
        &self.prefix
    }

    /// Whether any `v1` entry of the signature header is `mac` (base64), compared in constant
    /// time; every entry is compared, so timing tells nothing about which one matched.
    pub fn matches(&self, mac: &[u8; 32]) -> bool {
        let expected = base64::encode(mac);
        let mut matched = false;
        for sig in headers::v1_signatures(&self.signature) {
            matched |= hmac::constant_time_eq(sig.as_bytes(), expected.as_bytes());
        }
        matched
    }
}

/// A webhook endpoint's verifier: the decoded signing key and the clock tolerance.
///
/// `Debug` shows neither the secret nor the key.
#[derive(Clone)]
pub struct Webhook {
    key: Vec<u8>,
    tolerance_secs: u64,
}

impl fmt::Debug for Webhook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhook").field("key", &"[redacted]").field("tolerance_secs", &self.tolerance_secs).finish()
    }
}

impl Webhook {
    /// Reads a `whsec_…` secret (the prefix, then non-empty standard base64 of the key).
    ///
    /// # Errors
    /// [`crate::ErrorKind::Config`] saying what is wrong, never echoing the secret.
    pub fn new(secret: &str) -> Result<Self, Error> {
        let Some(encoded) = secret.strip_prefix(SECRET_PREFIX) else {
            return Err(Error::config(
                "the webhook secret must start with \"whsec_\": copy it whole from Klipy's webhook settings",
            ));
        };
        let key = base64::decode(encoded).filter(|k| !k.is_empty()).ok_or_else(|| {
            Error::config("the webhook secret is not \"whsec_\" followed by standard base64: copy it again, whole")
        })?;
        Ok(Self { key, tolerance_secs: DEFAULT_TOLERANCE_SECS })
    }

    /// The same verifier with another clock tolerance (seconds, either direction).
    pub fn with_tolerance_secs(mut self, secs: u64) -> Self {
        self.tolerance_secs = secs;
        self
    }

    /// The clock tolerance in seconds.
    pub fn tolerance_secs(&self) -> u64 {
        self.tolerance_secs
    }

    /// Checks the headers, the timestamp against `now_secs` (Unix seconds) and the signature,
    /// computing the HMAC with `hmac`. Does not look at the body beyond hashing it.
    ///
    /// # Errors
    /// [`WebhookError`]: `MissingHeader`, `TimestampOutOfRange`, `BadSignature`, or `Crypto`
    /// when `hmac` fails.
    pub async fn verify_signature_with<H, I, K, V>(
        &self,
        hmac: &H,
        body: &[u8],
        headers: I,
        now_secs: u64,
    ) -> Result<(), WebhookError>
    where
        H: HmacSha256 + ?Sized,
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let check = SignatureCheck::new(headers, now_secs, self.tolerance_secs)?;
        let mut signed = Vec::with_capacity(check.prefix.len() + body.len());
        signed.extend_from_slice(check.prefix.as_bytes());
        signed.extend_from_slice(body);
        let mac = hmac.hmac_sha256(&self.key, &signed).await.map_err(WebhookError::Crypto)?;
        if check.matches(&mac) {
            Ok(())
        } else {
            Err(WebhookError::BadSignature)
        }
    }

    /// [`Self::verify_signature_with`], then decodes the body into an [`Event`].
    ///
    /// # Errors
    /// As [`Self::verify_signature_with`], then `BadPayload`.
    pub async fn verify_with<H, I, K, V>(
        &self,
        hmac: &H,
        body: &[u8],
        headers: I,
        now_secs: u64,
    ) -> Result<Event, WebhookError>
    where
        H: HmacSha256 + ?Sized,
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        self.verify_signature_with(hmac, body, headers, now_secs).await?;
        Event::from_slice(body)
    }

    /// Verifies a delivery with the RustCrypto HMAC and decodes its event; `now_secs` is the
    /// current Unix time in seconds.
    ///
    /// # Errors
    /// [`WebhookError`], in the order of the module docs.
    #[cfg(all(feature = "webhooks-rustcrypto", not(all(target_arch = "wasm32", target_os = "unknown"))))]
    pub async fn verify<I, K, V>(&self, body: &[u8], headers: I, now_secs: u64) -> Result<Event, WebhookError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        self.verify_with(&RustCryptoHmac, body, headers, now_secs).await
    }

    /// Signs a delivery the way a sender does: `v1,<base64>` over `{id}.{timestamp}.{body}`
    /// (for tests and for senders such as klipy-mock).
    #[cfg(all(feature = "webhooks-rustcrypto", not(all(target_arch = "wasm32", target_os = "unknown"))))]
    pub fn sign(&self, id: &str, timestamp: u64, body: &[u8]) -> String {
        let mut signed = format!("{id}.{timestamp}.").into_bytes();
        signed.extend_from_slice(body);
        format!("v1,{}", base64::encode(&RustCryptoHmac::compute(&self.key, &signed)))
    }
}
