//! Reading the three signing headers out of whatever header list the caller has.

use super::WebhookError;

/// The message id, timestamp and signature list of one delivery, as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SigningHeaders {
    pub id: String,
    pub timestamp: String,
    pub signature: String,
}

/// The `svix-` names, then the `webhook-` names, in the order id, timestamp, signature.
const NAMES: [&str; 6] =
    ["svix-id", "svix-timestamp", "svix-signature", "webhook-id", "webhook-timestamp", "webhook-signature"];

impl SigningHeaders {
    /// Picks the headers out of `(name, value)` pairs, names compared case-insensitively. Per
    /// header the `svix-` name is read first, then `webhook-` (as Svix's own library does); the
    /// first non-empty value of a name wins.
    ///
    /// # Errors
    /// [`WebhookError::MissingHeader`] naming the first header absent (or empty) in both families.
    pub fn find<I, K, V>(headers: I) -> Result<Self, WebhookError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut found: [Option<String>; 6] = Default::default();
        for (name, value) in headers {
            let (name, value) = (name.as_ref(), value.as_ref());
            if let Some(i) = NAMES.iter().position(|n| name.eq_ignore_ascii_case(n)) {
                if !value.is_empty() && found[i].is_none() {
                    found[i] = Some(value.to_string());
                }
            }
        }
        let mut take =
            |i: usize| found[i].take().or_else(|| found[i + 3].take()).ok_or(WebhookError::MissingHeader(NAMES[i + 3]));
        Ok(Self { id: take(0)?, timestamp: take(1)?, signature: take(2)? })
    }
}

/// The timestamp header as Unix seconds: ASCII digits only (no sign, no fraction, no spaces).
pub(crate) fn parse_timestamp(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| {
        let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
        n.checked_mul(10)?.checked_add(u64::from(digit))
    })
}

/// The base64 signatures of the `v1` entries of a signature header: a space-separated list of
/// `<version>,<signature>`; other versions (`v1a`, `v2`, …) and malformed entries are skipped.
pub(crate) fn v1_signatures(header: &str) -> impl Iterator<Item = &str> {
    header.split_ascii_whitespace().filter_map(|entry| match entry.split_once(',') {
        Some(("v1", sig)) if !sig.is_empty() => Some(sig),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_either_family_in_any_case_svix_first() {
        let h = SigningHeaders::find([
            ("Webhook-Id", "msg_std"),
            ("SVIX-ID", "msg_svix"),
            ("webhook-timestamp", "17"),
            ("Svix-Signature", "v1,abc"),
        ])
        .unwrap();
        assert_eq!(h.id, "msg_svix");
        assert_eq!(h.timestamp, "17");
        assert_eq!(h.signature, "v1,abc");
    }

    #[test]
    fn empty_values_count_as_absent() {
        let h = SigningHeaders::find([
            ("svix-id", ""),
            ("webhook-id", "msg_1"),
            ("svix-timestamp", "1"),
            ("svix-signature", "v1,a"),
        ])
        .unwrap();
        assert_eq!(h.id, "msg_1");
    }

    #[test]
    fn names_the_first_missing_header() {
        let pairs: [(&str, &str); 2] = [("webhook-id", "m"), ("webhook-signature", "v1,a")];
        assert_eq!(SigningHeaders::find(pairs), Err(WebhookError::MissingHeader("webhook-timestamp")));
        let none: [(&str, &str); 0] = [];
        assert_eq!(SigningHeaders::find(none), Err(WebhookError::MissingHeader("webhook-id")));
    }

    #[test]
    fn timestamps_are_whole_unsigned_seconds() {
        assert_eq!(parse_timestamp("1735689600"), Some(1_735_689_600));
        assert_eq!(parse_timestamp("0017"), Some(17));
        for bad in ["", "+1", "-1", "1.5", " 1", "1e3", "abc", "99999999999999999999999"] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn keeps_only_v1_entries() {
        let sigs: Vec<_> = v1_signatures("v1a,AAAA v1,one  v2,two v1, v1,three bogus v1,four").collect();
        assert_eq!(sigs, ["one", "three", "four"]);
    }
}
