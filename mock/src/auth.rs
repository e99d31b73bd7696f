//! API keys, scopes and request authentication.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;

use crate::error::ApiError;
use crate::scope::Scope;

/// An API key the mock accepts, with its scopes.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey {
    /// The key itself, as sent in `X-Klipy-Api-Key` or `Authorization: Bearer`.
    pub key: String,
    /// Its scopes; an empty list means `ALL`.
    pub scopes: Vec<Scope>,
}

impl fmt::Debug for ApiKey {
    // Never print the key itself, even in debug output.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey").field("key", &mask_key(&self.key)).field("scopes", &self.scopes).finish()
    }
}

impl ApiKey {
    /// A key with the given scopes (an empty list means `ALL`).
    pub fn new(key: impl Into<String>, scopes: Vec<Scope>) -> Self {
        let scopes = if scopes.is_empty() { vec![Scope::All] } else { scopes };
        ApiKey { key: key.into(), scopes }
    }

    /// Parses the CLI form `KEY[:SCOPE,SCOPE…]`; no scopes means `ALL`.
    ///
    /// # Errors
    ///
    /// A message for an empty key, a key with spaces or control characters, or an unknown scope.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (key, scopes) = match spec.split_once(':') {
            Some((key, scopes)) => (key, Some(scopes)),
            None => (spec, None),
        };
        check_key(key)?;
        let scopes = match scopes {
            None => Vec::new(),
            Some(list) => {
                list.split(',').filter(|s| !s.trim().is_empty()).map(Scope::from_str).collect::<Result<Vec<_>, _>>()?
            }
        };
        Ok(ApiKey::new(key, scopes))
    }

    /// Whether this key may use an operation that needs `scope`.
    pub fn allows(&self, scope: Scope) -> bool {
        self.scopes.iter().any(|s| *s == Scope::All || *s == scope)
    }

    /// The scope names joined with `, `.
    pub fn scope_list(&self) -> String {
        let names: Vec<&str> = self.scopes.iter().map(|s| s.as_str()).collect();
        names.join(", ")
    }
}

/// A shortened form of a key for display: its `klipy_api_`/`klipy_pk_` prefix (or first three
/// characters), an ellipsis and the length.
pub fn mask_key(key: &str) -> String {
    let prefix = ["klipy_api_", "klipy_pk_"].into_iter().find(|p| key.starts_with(p)).unwrap_or_else(|| {
        let end = key.char_indices().nth(3).map(|(i, _)| i).unwrap_or(0);
        &key[..end]
    });
    format!("{prefix}… ({} chars)", key.chars().count())
}

/// Checks that a key can be sent in an HTTP header: non-empty visible ASCII without spaces.
pub(crate) fn check_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("an API key must not be empty".into());
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("an API key must be visible ASCII without spaces".into());
    }
    Ok(())
}

/// What the server knows about an accepted key.
#[derive(Debug, Clone)]
pub(crate) struct KeyInfo {
    /// Position in the configured key list (rate-limit window index).
    pub index: usize,
    scopes: u8,
}

impl KeyInfo {
    /// Whether the key carries `scope` (or `ALL`).
    pub fn allows(&self, scope: Scope) -> bool {
        self.scopes & (Scope::All.bit() | scope.bit()) != 0
    }

    /// The label recorded as an interaction's `createdBy` (never the key itself).
    pub fn label(&self) -> String {
        format!("apikey_{}", self.index + 1)
    }
}

/// Accepted keys by their text.
#[derive(Debug)]
pub(crate) struct KeyTable {
    keys: HashMap<String, KeyInfo>,
}

impl KeyTable {
    pub fn new(keys: &[ApiKey]) -> Self {
        let keys = keys
            .iter()
            .enumerate()
            .map(|(index, k)| {
                let scopes = k.scopes.iter().fold(0, |acc, s| acc | s.bit());
                (k.key.clone(), KeyInfo { index, scopes })
            })
            .collect();
        KeyTable { keys }
    }

    /// Finds the key of a request: `X-Klipy-Api-Key` first, else `Authorization: Bearer`.
    pub fn authenticate(&self, headers: &HeaderMap) -> Result<&KeyInfo, ApiError> {
        let presented = match headers.get("x-klipy-api-key") {
            Some(value) => Some(value.to_str().ok().map(str::trim)),
            None => headers.get(AUTHORIZATION).map(|value| {
                value.to_str().ok().and_then(|v| {
                    let (scheme, token) = v.trim().split_once(' ')?;
                    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
                })
            }),
        };
        match presented {
            None => Err(ApiError::unauthorized(
                "Missing API key: send it in the X-Klipy-Api-Key header or as Authorization: Bearer.",
            )),
            Some(None) | Some(Some("")) => Err(ApiError::unauthorized(
                "Malformed API key header: send X-Klipy-Api-Key: <key> or Authorization: Bearer <key>.",
            )),
            Some(Some(key)) => self
                .keys
                .get(key)
                .ok_or_else(|| ApiError::unauthorized("Invalid API key: it is unknown, expired or revoked.")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn parses_key_specs() {
        let k = ApiKey::parse("klipy_api_a").unwrap();
        assert_eq!(k.scopes, vec![Scope::All]);
        let k = ApiKey::parse("klipy_api_b:people:read,companies:write").unwrap();
        assert_eq!(k.key, "klipy_api_b");
        assert_eq!(k.scopes, vec![Scope::PeopleRead, Scope::CompaniesWrite]);
        let k = ApiKey::parse("k:").unwrap();
        assert_eq!(k.scopes, vec![Scope::All]);
        assert!(ApiKey::parse("k:people:nope").is_err());
        assert!(ApiKey::parse(":ALL").is_err());
        assert!(ApiKey::parse("has space").is_err());
    }

    #[test]
    fn debug_output_masks_the_key() {
        let k = ApiKey::new("klipy_api_secretvalue", vec![]);
        let shown = format!("{k:?}");
        assert!(!shown.contains("secretvalue"), "{shown}");
    }

    #[test]
    fn authenticates_by_header_or_bearer() {
        let table = KeyTable::new(&[ApiKey::new("k1", vec![]), ApiKey::new("k2", vec![Scope::PeopleRead])]);
        let mut h = HeaderMap::new();
        assert_eq!(table.authenticate(&h).unwrap_err().code, "unauthorized");
        h.insert("X-KLIPY-API-KEY", HeaderValue::from_static("k1"));
        assert_eq!(table.authenticate(&h).unwrap().index, 0);
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_static("bearer k2"));
        let info = table.authenticate(&h).unwrap();
        assert!(info.allows(Scope::PeopleRead));
        assert!(!info.allows(Scope::PeopleWrite));
        h.insert(AUTHORIZATION, HeaderValue::from_static("Basic k2"));
        assert!(table.authenticate(&h).is_err());
    }
}
