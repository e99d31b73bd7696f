//! The injected HMAC-SHA256 primitive and the constant-time comparison.
//!
//! The trait is async so that the WebCrypto implementation (`crypto.subtle.sign`, which returns
//! a promise) fits; the native one, `RustCryptoHmac` (crates `hmac` + `sha2`, feature
//! `webhooks-rustcrypto`, on by default), is ready at once.

use crate::rt::{BoxFuture, MaybeSendSync};

/// Computes HMAC-SHA256. Implement it to bring your own crypto (a hardware module, a runtime's
/// WebCrypto); the verification logic stays in [`super::Webhook`].
pub trait HmacSha256: MaybeSendSync {
    /// `HMAC-SHA256(key, message)`, or a description of why the primitive is unavailable.
    fn hmac_sha256<'a>(&'a self, key: &'a [u8], message: &'a [u8]) -> BoxFuture<'a, Result<[u8; 32], String>>;
}

/// HMAC-SHA256 from the RustCrypto crates `hmac` and `sha2`.
#[cfg(all(feature = "webhooks-rustcrypto", not(all(target_arch = "wasm32", target_os = "unknown"))))]
#[derive(Debug, Default, Clone, Copy)]
pub struct RustCryptoHmac;

#[cfg(all(feature = "webhooks-rustcrypto", not(all(target_arch = "wasm32", target_os = "unknown"))))]
impl RustCryptoHmac {
    /// The MAC, computed synchronously.
    pub fn compute(key: &[u8], message: &[u8]) -> [u8; 32] {
        use hmac::{KeyInit, Mac};
        // HMAC takes keys of any length, so this cannot fail.
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
        mac.update(message);
        mac.finalize().into_bytes().into()
    }
}

#[cfg(all(feature = "webhooks-rustcrypto", not(all(target_arch = "wasm32", target_os = "unknown"))))]
impl HmacSha256 for RustCryptoHmac {
    fn hmac_sha256<'a>(&'a self, key: &'a [u8], message: &'a [u8]) -> BoxFuture<'a, Result<[u8; 32], String>> {
        let mac = Self::compute(key, message);
        Box::pin(std::future::ready(Ok(mac)))
    }
}

/// Compares two byte strings in time that depends only on their lengths (which are public: a
/// signature's length is fixed by the scheme), never on where they first differ.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    // black_box keeps the optimiser from turning the fold into an early-exit comparison.
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_compares_whole_strings() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"xbc"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }

    #[cfg(all(feature = "webhooks-rustcrypto", not(all(target_arch = "wasm32", target_os = "unknown"))))]
    #[test]
    fn rustcrypto_hmac_matches_rfc_4231_case_2() {
        let mac = RustCryptoHmac::compute(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }
}
