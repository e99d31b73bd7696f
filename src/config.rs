//! Client options with their defaults, and the API key in a redacting wrapper.

use crate::error::{quoted, Error};
use std::fmt;

/// The production base URL.
pub const DEFAULT_BASE_URL: &str = "https://api.klipy.ai/api/v1";

/// The default cap on a response body: 16 MiB (a page of 100 people is about 36 KB).
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// The largest `max_response_bytes` a client accepts: 256 MiB. Larger bodies would not fit the
/// WebAssembly build's memory safely.
pub const MAX_RESPONSE_BYTES_LIMIT: u64 = 256 * 1024 * 1024;

/// How the key is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthScheme {
    /// `X-Klipy-Api-Key: <key>` (the default).
    #[default]
    Header,
    /// `Authorization: Bearer <key>`.
    Bearer,
}

impl AuthScheme {
    /// Parses `"header"` or `"bearer"`.
    pub fn parse(s: &str) -> Result<Self, Error> {
        match s {
            "header" => Ok(AuthScheme::Header),
            "bearer" => Ok(AuthScheme::Bearer),
            other => Err(Error::config(format!("authScheme must be \"header\" or \"bearer\", not {}", quoted(other)))),
        }
    }
}

/// Client-side pacing of requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitMode {
    /// No pacing: every request goes out at once.
    Off,
    /// Pace from `X-RateLimit-*` headers: when `remaining` reaches 0, wait for the reset instead
    /// of spending a request on a 429.
    Adaptive,
    /// Adaptive, plus a client-side token bucket and an in-flight cap.
    Bucket {
        /// Requests per minute (0 = no bucket).
        requests_per_minute: u32,
        /// Requests in flight at once (0 = unlimited).
        max_concurrency: u32,
    },
}

/// An API key. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Checks and wraps a key: surrounding whitespace (a newline left by `$(cat key)` or an env
    /// file, a space picked up when copying) is dropped; what is left must be non-empty printable
    /// ASCII without whitespace. Every binding checks keys here, and only here.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Config`] saying what is wrong with it, without echoing it.
    pub fn new(key: impl Into<String>) -> Result<Self, Error> {
        let mut key = key.into();
        if key.starts_with(char::is_whitespace) || key.ends_with(char::is_whitespace) {
            key = key.trim().to_string();
        }
        if key.is_empty() {
            return Err(Error::config(
                "the API key is empty or blank: check the value given (or KLIPY_API_KEY, where it came from)",
            ));
        }
        if key.chars().any(|c| c == '\r' || c == '\n') {
            return Err(Error::config("the API key contains a line break: copy it again without the newline"));
        }
        if key.chars().any(char::is_whitespace) {
            return Err(Error::config("the API key contains whitespace: copy it again without spaces"));
        }
        if !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(Error::config(
                "the API key contains non-ASCII or control characters: Klipy keys are plain ASCII",
            ));
        }
        Ok(Self(key))
    }

    /// The key itself. Handle with care.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// What [`crate::ClientBuilder::api_key`] accepts: an [`ApiKey`], or a string checked as
/// [`ApiKey::new`] does.
pub trait IntoApiKey {
    /// The checked key.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Config`] saying what is wrong with the key, without echoing it.
    fn into_api_key(self) -> Result<ApiKey, Error>;
}

impl IntoApiKey for ApiKey {
    fn into_api_key(self) -> Result<ApiKey, Error> {
        Ok(self)
    }
}

impl IntoApiKey for String {
    fn into_api_key(self) -> Result<ApiKey, Error> {
        if self.trim().is_empty() {
            return Err(Error::config(
                "api_key is blank: pass your Klipy API key, or set KLIPY_API_KEY and use Client::from_env()",
            ));
        }
        ApiKey::new(self)
    }
}

impl IntoApiKey for &str {
    fn into_api_key(self) -> Result<ApiKey, Error> {
        self.to_string().into_api_key()
    }
}

impl IntoApiKey for &String {
    fn into_api_key(self) -> Result<ApiKey, Error> {
        self.as_str().into_api_key()
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey([redacted])")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Every option of a client.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Base URL without a trailing slash (validated by [`Config::set_base_url`]).
    pub(crate) base_url: String,
    /// How the key is sent.
    pub auth_scheme: AuthScheme,
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Per-attempt timeout.
    pub timeout_ms: u64,
    /// The largest response body accepted, in bytes (default 16 MiB, at most
    /// [`MAX_RESPONSE_BYTES_LIMIT`]). A larger body fails the call with a decode error whose code
    /// is `response_too_large`, without being read to the end.
    pub max_response_bytes: u64,
    /// Total budget across attempts and waits.
    pub deadline_ms: Option<u64>,
    /// The longest server-requested wait the client sits out.
    pub max_retry_wait_ms: u64,
    /// Pacing.
    pub rate_limit: RateLimitMode,
    /// Appended to `klipy-sdk/<version>`.
    pub user_agent: Option<String>,
    /// Headers sent with every request (per-call headers win). The key, user-agent and
    /// retry-count headers are refused (see [`crate::options::RESERVED_HEADERS`]).
    pub default_headers: Vec<(String, String)>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_string(),
            auth_scheme: AuthScheme::Header,
            max_retries: 2,
            timeout_ms: 30_000,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            deadline_ms: None,
            max_retry_wait_ms: 60_000,
            rate_limit: RateLimitMode::Adaptive,
            user_agent: None,
            default_headers: Vec::new(),
        }
    }
}

impl Config {
    /// The base URL in use.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sets the base URL: `https:` anywhere, `http:` only to a loopback host.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Config`] naming what is wrong.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), Error> {
        self.base_url = validate_base_url(url)?;
        Ok(())
    }

    /// Checks the numeric options.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        // The ranges of the contract's options table, with the messages the bindings get.
        use crate::contract::Scope::Client;
        use crate::options::check_range;
        check_range(Client, "maxRetries", u64::from(self.max_retries))?;
        check_range(Client, "timeoutMs", self.timeout_ms)?;
        check_range(Client, "maxResponseBytes", self.max_response_bytes)?;
        if let Some(ms) = self.deadline_ms {
            check_range(Client, "deadlineMs", ms)?;
        }
        check_range(Client, "maxRetryWaitMs", self.max_retry_wait_ms)?;
        crate::options::check_headers("defaultHeaders (default_headers)", &self.default_headers)?;
        if let Some(ua) = &self.user_agent {
            if !ua.chars().all(|c| c.is_ascii() && !c.is_ascii_control()) {
                return Err(Error::config("userAgent must be printable ASCII"));
            }
        }
        Ok(())
    }

    /// The `User-Agent` header value.
    pub(crate) fn user_agent_header(&self) -> String {
        let base = concat!("klipy-sdk/", env!("CARGO_PKG_VERSION"));
        match &self.user_agent {
            Some(extra) if !extra.trim().is_empty() => format!("{base} {}", extra.trim()),
            _ => base.to_string(),
        }
    }
}

/// Validates and normalises a base URL (no trailing slash).
fn validate_base_url(url: &str) -> Result<String, Error> {
    let url = url.trim();
    let bad = |why: &str| Err(Error::config(format!("baseUrl {} {why}", quoted(url))));
    let (scheme, rest) = match url.split_once("://") {
        Some((s, r)) => (s.to_ascii_lowercase(), r),
        None => return bad("is not an absolute URL: use e.g. https://api.klipy.ai/api/v1"),
    };
    if scheme != "https" && scheme != "http" {
        return bad("must use https:");
    }
    if url.contains('?') || url.contains('#') {
        return bad("must not contain a query string or fragment");
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii()) {
        return bad("contains spaces or characters that are not plain ASCII");
    }
    let authority = rest.split('/').next().unwrap_or("");
    if authority.contains('@') {
        return bad("must not contain credentials: give the key to the client separately, never in the URL");
    }
    let host = host_of(authority);
    if host.is_empty() {
        return bad("has no host");
    }
    if let Some(port) = authority.strip_prefix(host).and_then(|p| p.strip_prefix(':')) {
        if port.parse::<u16>().is_err() {
            return bad("has an invalid port");
        }
    } else if authority.len() != host.len() {
        return bad("has an invalid host");
    }
    if scheme == "http" && !is_loopback(host) {
        return bad("uses http: to a host that is not loopback: use https: (http: is allowed only for localhost, 127.0.0.0/8 and [::1])");
    }
    Ok(format!("{scheme}://{}", rest.trim_end_matches('/')))
}

/// The host part of `host[:port]` (IPv6 literals keep their brackets).
fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        match authority.find(']') {
            Some(i) => &authority[..=i],
            None => "",
        }
    } else {
        authority.split(':').next().unwrap_or("")
    }
}

fn is_loopback(host: &str) -> bool {
    if host.eq_ignore_ascii_case("localhost") || host == "[::1]" {
        return true;
    }
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4 && parts[0] == "127" && parts.iter().all(|p| p.parse::<u8>().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        let ok = [
            ("https://api.klipy.ai/api/v1/", "https://api.klipy.ai/api/v1"),
            ("http://127.0.0.1:4010/api/v1", "http://127.0.0.1:4010/api/v1"),
            ("http://localhost:1/x", "http://localhost:1/x"),
            ("http://[::1]:8080/api/v1", "http://[::1]:8080/api/v1"),
            ("https://example.com:8443", "https://example.com:8443"),
        ];
        for (input, want) in ok {
            let mut c = Config::default();
            c.set_base_url(input).unwrap();
            assert_eq!(c.base_url(), want);
        }
        let bad = [
            "http://api.klipy.ai/api/v1",
            "http://10.0.0.1/api",
            "https://api.klipy.ai/api/v1?x=1",
            "https://api.klipy.ai/#frag",
            "api.klipy.ai/api/v1",
            "ftp://x/",
            "https://",
            "https://user:pw@host/",
            "https://host:99999/",
            "https://ho st/",
            "http://127.0.0.1.evil.com/",
        ];
        for input in bad {
            let mut c = Config::default();
            let e = c.set_base_url(input).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Config, "{input}");
            assert!(e.message().contains("baseUrl"), "{input}: {e}");
        }
    }

    #[test]
    fn key_rules_never_echo_the_key() {
        for bad in ["", "   ", "abc def", "abc\r\ndef", "klé", "a\tb"] {
            let e = ApiKey::new(bad).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Config);
            if !bad.trim().is_empty() {
                assert!(!e.to_string().contains(bad.trim()), "{e}");
            }
        }
        let k = ApiKey::new("klipy_api_secret42").unwrap();
        assert_eq!(format!("{k:?} {k}"), "ApiKey([redacted]) [redacted]");
        // Surrounding whitespace (a newline from `$(cat key)`) is not part of the key.
        assert_eq!(ApiKey::new("\tklipy_api_secret42\r\n").unwrap(), k);
    }

    #[test]
    fn user_agent_appends() {
        let mut c = Config::default();
        assert!(c.user_agent_header().starts_with("klipy-sdk/"));
        c.user_agent = Some("my-app/2".into());
        assert!(c.user_agent_header().ends_with(" my-app/2"));
    }
}
