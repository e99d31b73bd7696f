//! The webhook facade: two synchronous calls around the HMAC, which JavaScript computes with the
//! runtime's WebCrypto (`crypto.subtle`), so the `.wasm` carries no SHA-256 and no async task of
//! its own. Header parsing, the tolerance and the constant-time comparison are the core's
//! [`SignatureCheck`]; the secret is decoded and imported by JS (its `ConfigError` must be
//! synchronous even before the wasm loads) and JS parses the verified body. The typed `Event`
//! stays native-only.
//!
//! `headers` is `name\nvalue\nname\nvalue…` (JS leaves out pairs holding a line break).

use crate::webhooks::SignatureCheck;
use wasm_bindgen::prelude::*;

fn pairs(headers: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut parts = headers.split('\n');
    std::iter::from_fn(move || Some((parts.next()?, parts.next()?)))
}

/// `{id}.{timestamp}.`, the start of what is signed (it always ends with `.`), or else the
/// reason: `missing_header` or `timestamp_out_of_range` (a plain string rather than a throw,
/// which would cost the `.wasm` a catch-unwind wrapper).
#[wasm_bindgen(js_name = webhookSignedPrefix)]
pub fn webhook_signed_prefix(headers: &str, now_ms: f64, tolerance_secs: f64) -> String {
    // `as` saturates: a negative clock reads as 0, a huge tolerance as "any time".
    match SignatureCheck::new(pairs(headers), (now_ms / 1000.0) as u64, tolerance_secs as u64) {
        Ok(check) => check.signed_prefix().to_string(),
        Err(e) => e.reason().to_string(),
    }
}

/// Whether a `v1` entry of the signature header is `mac` (32 bytes); `false` for anything else.
#[wasm_bindgen(js_name = webhookSignatureMatches)]
pub fn webhook_signature_matches(headers: &str, mac: &[u8]) -> bool {
    let (Ok(check), Ok(mac)) = (SignatureCheck::new(pairs(headers), 0, u64::MAX), <&[u8; 32]>::try_from(mac)) else {
        return false;
    };
    check.matches(mac)
}
