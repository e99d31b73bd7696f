//! Webhook settings: endpoint URLs (loopback only), signing secrets, the header family and the
//! retry scale (webhooks.md §8).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::str::FromStr;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

/// Standard base64; padding optional on input, written on output.
pub(crate) const B64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Shortest key a secret may hold (Standard Webhooks: 24 to 64 bytes).
pub const MIN_SECRET_BYTES: usize = 24;

/// Largest allowed `--webhook-retry-scale` (1 = Svix's real schedule, hours long).
pub const MAX_RETRY_SCALE: f64 = 1.0;

/// An endpoint the mock delivers to: `http://` on a loopback host only.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookUrl {
    url: String,
    host: Host,
    port: u16,
    /// `host[:port]` as given, for the `Host` header.
    authority: String,
    /// Path and query, at least `/`.
    target: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Host {
    Ip(IpAddr),
    /// `localhost`: 127.0.0.1 first, then ::1 (never a name lookup).
    Localhost,
}

impl WebhookUrl {
    /// Parses and checks an endpoint URL.
    ///
    /// # Errors
    ///
    /// A message for anything but `http://` to `127.0.0.0/8`, `localhost` or `[::1]` (the mock
    /// never contacts another host), or a malformed URL.
    pub fn parse(url: &str) -> Result<Self, String> {
        let url = url.trim();
        let Some(scheme_end) = url.find("://") else {
            return Err(format!("`{url}` is not a URL; expected http://127.0.0.1:PORT/path"));
        };
        let scheme = &url[..scheme_end];
        if !scheme.eq_ignore_ascii_case("http") {
            return Err(format!(
                "`{url}`: only http:// is supported (the mock sends webhooks to this machine only, without TLS)"
            ));
        }
        let rest = &url[scheme_end + 3..];
        if rest.contains('#') {
            return Err(format!("`{url}`: a webhook URL cannot have a #fragment"));
        }
        if let Some(c) = rest.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("`{url}`: contains the character {c:?}"));
        }
        let split = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, target) = rest.split_at(split);
        if authority.contains('@') {
            return Err(format!("`{url}`: user names and passwords in the URL are not supported"));
        }
        let (host_text, port_text) = split_port(authority).ok_or_else(|| format!("`{url}`: bad host or port"))?;
        let host = parse_host(host_text).ok_or_else(|| {
            format!(
                "`{url}`: host `{host_text}` is not this machine; the mock only sends webhooks to \
                 127.0.0.0/8, localhost or [::1], never to another host"
            )
        })?;
        let port = match port_text {
            None => 80,
            Some(p) => p.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| format!("`{url}`: bad port `{p}`"))?,
        };
        let target = match target {
            "" => "/".to_owned(),
            t if t.starts_with('?') => format!("/{t}"),
            t => t.to_owned(),
        };
        if target.parse::<axum::http::uri::PathAndQuery>().is_err() {
            return Err(format!("`{url}`: the path is not valid in a URL"));
        }
        Ok(WebhookUrl { url: url.to_owned(), host, port, authority: authority.to_owned(), target })
    }

    /// The URL as given.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// `host[:port]`, for the `Host` header.
    pub(crate) fn authority(&self) -> &str {
        &self.authority
    }

    /// Path and query, for the request line.
    pub(crate) fn target(&self) -> &str {
        &self.target
    }

    /// Addresses to try in order (all loopback).
    pub(crate) fn addrs(&self) -> Vec<SocketAddr> {
        match self.host {
            Host::Ip(ip) => vec![SocketAddr::new(ip, self.port)],
            Host::Localhost => vec![
                SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), self.port),
                SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), self.port),
            ],
        }
    }
}

impl fmt::Debug for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WebhookUrl").field(&self.url).finish()
    }
}

impl fmt::Display for WebhookUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl FromStr for WebhookUrl {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WebhookUrl::parse(s)
    }
}

/// `host` and the optional port of an authority; `[v6]` hosts keep their brackets off.
fn split_port(authority: &str) -> Option<(&str, Option<&str>)> {
    if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']')?;
        return match after {
            "" => Some((host, None)),
            _ => Some((host, Some(after.strip_prefix(':')?))),
        };
    }
    match authority.split_once(':') {
        Some((host, port)) => Some((host, Some(port))),
        None => Some((authority, None)),
    }
}

fn parse_host(host: &str) -> Option<Host> {
    if host.eq_ignore_ascii_case("localhost") {
        return Some(Host::Localhost);
    }
    match host.parse::<IpAddr>().ok()? {
        IpAddr::V4(v4) if v4.is_loopback() => Some(Host::Ip(IpAddr::V4(v4))),
        IpAddr::V6(v6) if v6 == Ipv6Addr::LOCALHOST => Some(Host::Ip(IpAddr::V6(v6))),
        _ => None,
    }
}

/// A signing secret: `whsec_` + base64 of a key of at least 24 bytes. `Debug` and
/// [`WebhookSecret::masked`] never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret {
    text: String,
    key: Vec<u8>,
}

impl WebhookSecret {
    /// Parses `whsec_<base64>`.
    ///
    /// # Errors
    ///
    /// A message (never containing the secret) for a missing prefix, bad base64 or a key
    /// shorter than 24 bytes.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let Some(encoded) = text.strip_prefix("whsec_") else {
            return Err("a webhook secret must start with `whsec_`".into());
        };
        let key = B64.decode(encoded).map_err(|_| "a webhook secret must be `whsec_` + standard base64".to_owned())?;
        if key.len() < MIN_SECRET_BYTES {
            return Err(format!(
                "a webhook secret must hold at least {MIN_SECRET_BYTES} bytes of key (this one has {})",
                key.len()
            ));
        }
        Ok(WebhookSecret { text: text.to_owned(), key })
    }

    /// A fresh random secret with a 24-byte key (from the operating system's generator).
    pub fn generate() -> Self {
        let mut key = vec![0u8; MIN_SECRET_BYTES];
        if getrandom::fill(&mut key).is_err() {
            // No OS randomness (practically never on a host that runs a server): fall back to
            // the id generator, which is random enough for a test secret.
            for chunk in key.chunks_mut(8) {
                let bytes = crate::ids::next_u64().to_le_bytes();
                chunk.copy_from_slice(&bytes[..chunk.len()]);
            }
        }
        let text = format!("whsec_{}", B64.encode(&key));
        WebhookSecret { text, key }
    }

    /// The secret as written (`whsec_…`).
    pub fn expose(&self) -> &str {
        &self.text
    }

    /// The decoded key bytes (the HMAC key).
    pub fn key(&self) -> &[u8] {
        &self.key
    }

    /// `whsec_… (N chars)`: safe to print.
    pub fn masked(&self) -> String {
        format!("whsec_… ({} chars)", self.text.chars().count())
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("WebhookSecret").field(&self.masked()).finish()
    }
}

/// Which signature headers each delivery carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HeaderFamily {
    /// `svix-id`, `svix-timestamp`, `svix-signature` (Svix's default; the mock's default).
    #[default]
    Svix,
    /// `webhook-id`, `webhook-timestamp`, `webhook-signature` (Standard Webhooks names).
    Webhook,
    /// Both families, with the same values.
    Both,
}

impl HeaderFamily {
    /// The flag value: `svix`, `webhook` or `both`.
    pub fn as_str(self) -> &'static str {
        match self {
            HeaderFamily::Svix => "svix",
            HeaderFamily::Webhook => "webhook",
            HeaderFamily::Both => "both",
        }
    }

    /// The header-name prefixes to send (`svix`, `webhook`).
    pub(crate) fn prefixes(self) -> &'static [&'static str] {
        match self {
            HeaderFamily::Svix => &["svix"],
            HeaderFamily::Webhook => &["webhook"],
            HeaderFamily::Both => &["webhook", "svix"],
        }
    }
}

impl FromStr for HeaderFamily {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "svix" => Ok(HeaderFamily::Svix),
            "webhook" => Ok(HeaderFamily::Webhook),
            "both" => Ok(HeaderFamily::Both),
            _ => Err(format!("unknown header family `{s}` (known: svix, webhook, both)")),
        }
    }
}

/// Checks a retry scale: a finite number from 0 to [`MAX_RETRY_SCALE`].
pub(crate) fn check_retry_scale(scale: f64) -> Result<(), String> {
    if scale.is_finite() && (0.0..=MAX_RETRY_SCALE).contains(&scale) {
        Ok(())
    } else {
        Err(format!("the webhook retry scale must be a number from 0 to {MAX_RETRY_SCALE}, got {scale}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_http_urls_are_accepted() {
        let u = WebhookUrl::parse("http://127.0.0.1:9000/hooks/klipy?x=1").unwrap();
        assert_eq!((u.authority(), u.target()), ("127.0.0.1:9000", "/hooks/klipy?x=1"));
        assert_eq!(u.addrs(), vec!["127.0.0.1:9000".parse().unwrap()]);
        let u = WebhookUrl::parse("HTTP://localhost:8080").unwrap();
        assert_eq!(u.target(), "/");
        assert_eq!(u.addrs().len(), 2);
        assert!(u.addrs().iter().all(|a| a.ip().is_loopback()));
        let u = WebhookUrl::parse("http://[::1]:7000/h").unwrap();
        assert_eq!(u.addrs(), vec!["[::1]:7000".parse().unwrap()]);
        assert_eq!(WebhookUrl::parse("http://127.9.8.7").unwrap().addrs()[0].port(), 80);
        assert_eq!(WebhookUrl::parse("http://127.0.0.1:1?a").unwrap().target(), "/?a");
    }

    #[test]
    fn other_hosts_and_schemes_are_refused_clearly() {
        let err = |u: &str| WebhookUrl::parse(u).unwrap_err();
        assert!(err("http://example.com/hook").contains("not this machine"));
        assert!(err("http://10.0.0.1:80/").contains("not this machine"));
        assert!(err("http://0.0.0.0:80/").contains("not this machine"));
        assert!(err("http://[::2]:80/").contains("not this machine"));
        assert!(err("http://127.0.0.1.nip.io/").contains("not this machine"));
        assert!(err("https://127.0.0.1/").contains("only http://"));
        assert!(err("127.0.0.1:9000").contains("not a URL"));
        assert!(err("http://u:p@127.0.0.1/").contains("user names"));
        assert!(err("http://127.0.0.1:0/").contains("bad port"));
        assert!(err("http://127.0.0.1:99999/").contains("bad port"));
        assert!(err("http://127.0.0.1/a#b").contains("fragment"));
        assert!(err("http://127.0.0.1/a b").contains("character"));
    }

    #[test]
    fn secrets_parse_generate_and_stay_masked() {
        let s = WebhookSecret::parse("whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX").unwrap();
        assert_eq!(s.key(), (0u8..24).collect::<Vec<_>>());
        assert!(!format!("{s:?}").contains("AAEC"));
        assert!(WebhookSecret::parse("AAECAwQFBgcICQoLDA0ODxAREhMUFRYX").unwrap_err().contains("whsec_"));
        assert!(WebhookSecret::parse("whsec_!!!").unwrap_err().contains("base64"));
        let short = WebhookSecret::parse("whsec_AAECAwQFBgcICQoL").unwrap_err();
        assert!(short.contains("at least 24") && !short.contains("AAEC"), "{short}");
        let g = WebhookSecret::generate();
        assert_eq!(g.key().len(), 24);
        assert_eq!(WebhookSecret::parse(g.expose()).unwrap(), g);
        assert_ne!(WebhookSecret::generate(), g);
    }

    #[test]
    fn header_families_and_scales() {
        assert_eq!("Both".parse::<HeaderFamily>().unwrap(), HeaderFamily::Both);
        assert!("x".parse::<HeaderFamily>().unwrap_err().contains("svix, webhook, both"));
        assert!(check_retry_scale(0.0).is_ok() && check_retry_scale(1.0).is_ok());
        assert!(check_retry_scale(-0.1).is_err() && check_retry_scale(f64::NAN).is_err());
        assert!(check_retry_scale(2.0).is_err());
    }
}
