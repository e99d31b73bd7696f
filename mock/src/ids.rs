//! Random identifiers: record ids, request ids and demo keys (lowercase base 36).
//!
//! A small SplitMix64 generator per thread, seeded from the standard library's random hasher
//! keys and the clock. The ids only need to be unique, not secret.

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::time::{SystemTime, UNIX_EPOCH};

const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

thread_local! {
    static STATE: Cell<u64> = Cell::new(seed());
}

fn seed() -> u64 {
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    RandomState::new().hash_one(nanos)
}

/// Next pseudo-random 64-bit number of this thread's generator.
pub(crate) fn next_u64() -> u64 {
    STATE.with(|state| {
        let x = state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        state.set(x);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    })
}

/// `len` random lowercase base-36 characters.
pub(crate) fn random_base36(len: usize) -> String {
    (0..len).map(|_| char::from(ALPHABET[(next_u64() % 36) as usize])).collect()
}

/// A record id: `prefix` followed by 12 random base-36 characters.
pub(crate) fn record_id(prefix: &str) -> String {
    let mut id = String::with_capacity(prefix.len() + 12);
    id.push_str(prefix);
    id.push_str(&random_base36(12));
    id
}

/// A request id: `req_` followed by 16 random base-36 characters.
pub(crate) fn request_id() -> String {
    format!("req_{}", random_base36(16))
}

/// A generated demo key. Deliberately short: 8 random characters after `klipy_api_demo_`.
pub(crate) fn demo_key() -> String {
    format!("klipy_api_demo_{}", random_base36(8))
}

/// `n` in lowercase base 36.
pub(crate) fn encode_base36(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(ALPHABET[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).unwrap_or_default()
}

/// Parses lowercase base 36; `None` for empty, foreign characters or overflow.
pub(crate) fn decode_base36(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 13 {
        return None;
    }
    s.bytes().try_fold(0u64, |acc, b| {
        let digit = match b {
            b'0'..=b'9' => b - b'0',
            b'a'..=b'z' => b - b'a' + 10,
            _ => return None,
        };
        acc.checked_mul(36)?.checked_add(u64::from(digit))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_ids_have_prefix_and_twelve_base36_chars() {
        let id = record_id("per_");
        assert_eq!(id.len(), 16);
        assert!(id.starts_with("per_"));
        assert!(id[4..].bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()));
    }

    #[test]
    fn demo_keys_stay_short() {
        let key = demo_key();
        assert!(key.starts_with("klipy_api_demo_"));
        assert_eq!(key.len(), "klipy_api_demo_".len() + 8);
    }

    #[test]
    fn base36_round_trips() {
        for n in [0, 1, 35, 36, 1295, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(decode_base36(&encode_base36(n)), Some(n));
        }
        assert_eq!(decode_base36(""), None);
        assert_eq!(decode_base36("A"), None);
        assert_eq!(decode_base36("zzzzzzzzzzzzz"), None);
    }
}
