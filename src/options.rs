//! Rules about option names and headers that every binding shares: the known option names (an
//! unknown one is a [`crate::ErrorKind::Config`] error with a "did you mean"), and the headers a
//! caller may not set because the SDK owns them (the key, the user agent, the retry count).
//!
//! The JavaScript package calls these through the wasm facade, so the rules live in one place.

use crate::contract::{self, OptionSpec, Scope};
use crate::error::{quoted, Error};

/// The options of `new Klipy(options)` (JavaScript spelling).
pub const CLIENT_OPTIONS: &[&str] = &[
    "apiKey",
    "baseUrl",
    "authScheme",
    "maxRetries",
    "timeoutMs",
    "deadlineMs",
    "maxRetryWaitMs",
    "maxResponseBytes",
    "rateLimit",
    "fetch",
    "logger",
    "logLevel",
    "onRequest",
    "onResponse",
    "onRetry",
    "onWait",
    "dangerouslyAllowBrowser",
    "userAgent",
    "defaultHeaders",
];

/// The per-call options of every resource method (JavaScript spelling).
pub const REQUEST_OPTIONS: &[&str] = &["signal", "timeoutMs", "maxRetries", "maxResponseBytes", "headers"];

/// The options of `upsertMany` / `createMany` (JavaScript spelling).
pub const BULK_OPTIONS: &[&str] = &["concurrency", "onProgress", "signal", "stopOnError"];

/// The fields of `rateLimit: { … }` (JavaScript spelling).
pub const RATE_LIMIT_OPTIONS: &[&str] = &[
    "requestsPerMinute",
    "maxConcurrency",
    "store",
    "group",
    "onStoreError",
    "keyLimit",
    "groupLimit",
    "windowMs",
    "storeTimeoutMs",
];

/// Headers the SDK sets itself and no caller may override: the key (either scheme), the user
/// agent (extend it with the `userAgent` option) and the retry count.
pub const RESERVED_HEADERS: &[&str] = &["x-klipy-api-key", "authorization", "user-agent", "x-klipy-retry-count"];

/// Names people reach for that are spelled differently here.
const ALIASES: &[(&str, &str)] = &[
    ("retries", "maxRetries"),
    ("timeout", "timeoutMs"),
    ("deadline", "deadlineMs"),
    ("key", "apiKey"),
    ("token", "apiKey"),
    ("baseURL", "baseUrl"),
    ("url", "baseUrl"),
    ("headers", "defaultHeaders"),
    ("maxWaitMs", "maxRetryWaitMs"),
    ("abortSignal", "signal"),
];

/// The closest known name to `name`: an alias, the same name in another case or with `_`, a
/// known name it begins, or one at most two edits away.
pub fn suggest(name: &str, known: &[&'static str]) -> Option<&'static str> {
    if let Some((_, to)) = ALIASES.iter().find(|(from, to)| *from == name && known.contains(to)) {
        return Some(to);
    }
    let squash = |s: &str| s.chars().filter(|c| *c != '_' && *c != '-').collect::<String>().to_ascii_lowercase();
    let wanted = squash(name);
    if let Some(k) = known.iter().find(|k| squash(k) == wanted) {
        return Some(k);
    }
    if wanted.len() >= 4 {
        if let Some(k) = known.iter().find(|k| squash(k).starts_with(&wanted)) {
            return Some(k);
        }
    }
    known
        .iter()
        .map(|k| (edit_distance(&wanted, &squash(k)), *k))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Levenshtein distance over chars (names are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Checks that every name in `given` is one of `known`; `what` names the set in the message
/// ("client option", "request option", …).
///
/// # Errors
/// [`crate::ErrorKind::Config`]: "unknown client option `retries`: did you mean `maxRetries`?"
/// followed by the known names.
pub fn check_option_names<'a>(
    what: &str,
    given: impl IntoIterator<Item = &'a str>,
    known: &[&'static str],
) -> Result<(), Error> {
    for name in given {
        if known.contains(&name) {
            continue;
        }
        let hint = match suggest(name, known) {
            Some(s) => format!("did you mean `{s}`?"),
            None => "it is not one the SDK knows.".to_string(),
        };
        return Err(Error::config(format!("unknown {what} `{name}`: {hint} Known: {}.", known.join(", "))));
    }
    Ok(())
}

/// Checks headers a caller adds (`where_` is the option's name, `headers` or `defaultHeaders`):
/// valid names, values without line breaks or non-ASCII, and none of [`RESERVED_HEADERS`].
///
/// # Errors
/// [`crate::ErrorKind::Config`] naming the header and what to do instead.
pub fn check_headers(where_: &str, headers: &[(String, String)]) -> Result<(), Error> {
    for (k, v) in headers {
        let name_ok = !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
        if !name_ok {
            return Err(Error::config(format!("{where_}: {} is not a valid header name", quoted(k))));
        }
        if v.chars().any(|c| c == '\r' || c == '\n' || c == '\0' || !c.is_ascii()) {
            return Err(Error::config(format!(
                "{where_}: the value of {} contains a line break or non-ASCII",
                quoted(k)
            )));
        }
        let lower = k.to_ascii_lowercase();
        if RESERVED_HEADERS.contains(&lower.as_str()) {
            let instead = match lower.as_str() {
                "user-agent" => "extend it with the userAgent option instead",
                "x-klipy-retry-count" => "the SDK numbers its own retries",
                _ => "the SDK sends the key itself: set it with the apiKey option (Rust: ClientBuilder::api_key) and choose the scheme with authScheme",
            };
            return Err(Error::config(format!("{where_}: the {lower} header cannot be overridden; {instead}")));
        }
    }
    Ok(())
}

/// An option's value as a binding received it, for the checks below (the wasm facade turns a
/// JS value into one; nothing here knows JavaScript).
#[derive(Debug, Clone, PartialEq)]
pub enum Given {
    /// `undefined` or `null`: the option was not given.
    Absent,
    /// A number.
    Number(f64),
    /// A string.
    Text(String),
    /// A boolean.
    Bool(bool),
    /// Anything else, described (`an object`, `an array`, `a function`, …).
    Other(&'static str),
}

impl Given {
    /// The value for a message: `"3" (a string)`, `11`, `true (a boolean)`, `an object`.
    pub fn describe(&self) -> String {
        match self {
            Given::Absent => "null".to_string(),
            Given::Number(n) => number_text(*n),
            Given::Text(s) => format!("{} (a string)", quoted(s)),
            Given::Bool(b) => format!("{b} (a boolean)"),
            Given::Other(what) => what.to_string(),
        }
    }
}

/// A number for a message, without the float printer (about 15 KB of wasm): whole numbers
/// exactly, others to six decimals.
fn number_text(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_string();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    let a = n.abs();
    if a >= 1e12 {
        return format!("{sign}{}", a as u64);
    }
    let micros = (a * 1e6 + 0.5) as u64;
    let (whole, frac) = (micros / 1_000_000, micros % 1_000_000);
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{frac:06}");
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}

/// How an option is named in messages: `maxRetries`, `rateLimit.requestsPerMinute`.
fn label(spec: &OptionSpec) -> String {
    match spec.scope {
        Scope::RateLimit => format!("rateLimit.{}", spec.name),
        _ => spec.name.to_string(),
    }
}

/// An option's rule broken, as one sentence: ``Option `name` must be <what>, not <given>.``
fn rule(spec: &OptionSpec, what: &str, given: &Given) -> Error {
    Error::config(format!("Option `{}` must be {what}, not {}.", label(spec), given.describe()))
}

/// The rule of a whole-number option.
fn whole_rule(spec: &OptionSpec, given: &Given) -> Error {
    let (min, max) = (spec.min.unwrap_or(0), spec.max.unwrap_or(u64::MAX));
    rule(spec, &format!("a whole number from {min} to {max}"), given)
}

/// Checks a whole-number option against its range in [`crate::contract::OPTIONS`].
///
/// # Errors
/// [`crate::ErrorKind::Config`]: ``Option `maxRetries` must be a whole number from 0 to 10, not "3" (a string).``
pub fn whole(scope: Scope, name: &str, given: &Given) -> Result<Option<u64>, Error> {
    let spec = contract::option(scope, name);
    match given {
        Given::Absent => Ok(None),
        Given::Number(n) if n.is_finite() && n.fract() == 0.0 && *n >= 0.0 && *n < 1.8e19 => {
            check_range(scope, name, *n as u64).map(|()| Some(*n as u64))
        }
        other => Err(whole_rule(spec, other)),
    }
}

/// Checks a number already read (the Rust API's own `Config` and `RequestOptions`) against the
/// same range, with the same message.
///
/// # Errors
/// [`crate::ErrorKind::Config`] as [`whole`].
pub fn check_range(scope: Scope, name: &str, n: u64) -> Result<(), Error> {
    let spec = contract::option(scope, name);
    if spec.min.is_some_and(|m| n < m) || spec.max.is_some_and(|m| n > m) {
        return Err(whole_rule(spec, &Given::Number(n as f64)));
    }
    Ok(())
}

/// Checks a string option.
///
/// # Errors
/// [`crate::ErrorKind::Config`]: ``Option `userAgent` must be a string, not 7.``
pub fn text(scope: Scope, name: &str, given: Given) -> Result<Option<String>, Error> {
    let spec = contract::option(scope, name);
    match given {
        Given::Absent => Ok(None),
        Given::Text(s) => Ok(Some(s)),
        other => Err(rule(spec, "a string", &other)),
    }
}

/// Checks a boolean option.
///
/// # Errors
/// [`crate::ErrorKind::Config`]: ``Option `stopOnError` must be a boolean, not "yes" (a string).``
pub fn flag(scope: Scope, name: &str, given: &Given) -> Result<Option<bool>, Error> {
    let spec = contract::option(scope, name);
    match given {
        Given::Absent => Ok(None),
        Given::Bool(b) => Ok(Some(*b)),
        other => Err(rule(spec, "a boolean", other)),
    }
}

/// Checks an option whose values are one of [`crate::contract::ENUMS`] (its type names the enum).
///
/// # Errors
/// [`crate::ErrorKind::Config`]: ``Option `authScheme` must be one of "header", "bearer", not "basic" (a string).``
pub fn one_of(scope: Scope, name: &str, given: Given) -> Result<Option<String>, Error> {
    let spec = contract::option(scope, name);
    let values = contract::ENUMS.iter().find(|(n, _)| *n == spec.ty).map_or(&[][..], |(_, v)| *v);
    match given {
        Given::Absent => Ok(None),
        Given::Text(s) if values.contains(&s.as_str()) => Ok(Some(s)),
        other => {
            let mut list = String::from("one of ");
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    list.push_str(", ");
                }
                list.push_str(&quoted(v));
            }
            Err(rule(spec, &list, &other))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn suggests_aliases_cases_and_near_misses() {
        assert_eq!(suggest("retries", CLIENT_OPTIONS), Some("maxRetries"));
        assert_eq!(suggest("baseURL", CLIENT_OPTIONS), Some("baseUrl"));
        assert_eq!(suggest("base_url", CLIENT_OPTIONS), Some("baseUrl"));
        assert_eq!(suggest("timeoutMS", REQUEST_OPTIONS), Some("timeoutMs"));
        assert_eq!(suggest("maxRetires", REQUEST_OPTIONS), Some("maxRetries"));
        assert_eq!(suggest("onwait", CLIENT_OPTIONS), Some("onWait"));
        assert_eq!(suggest("headers", CLIENT_OPTIONS), Some("defaultHeaders"));
        assert_eq!(suggest("concurency", BULK_OPTIONS), Some("concurrency"));
        assert_eq!(suggest("stopOn", BULK_OPTIONS), Some("stopOnError"));
        assert_eq!(suggest("zzzzzzzz", CLIENT_OPTIONS), None);
    }

    #[test]
    fn unknown_names_fail_with_did_you_mean() {
        let e = check_option_names("client option", ["apiKey", "retries"], CLIENT_OPTIONS).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(e.to_string().contains("unknown client option `retries`: did you mean `maxRetries`?"), "{e}");
        assert!(check_option_names("request option", ["signal", "headers"], REQUEST_OPTIONS).is_ok());
        let e = check_option_names("request option", ["wibble"], REQUEST_OPTIONS).unwrap_err();
        assert!(e.to_string().contains("not one the SDK knows"), "{e}");
    }

    #[test]
    fn reserved_headers_cannot_be_overridden_in_any_case() {
        for name in ["X-Klipy-Api-Key", "authorization", "User-Agent", "x-klipy-retry-count"] {
            let e = check_headers("headers", &[(name.into(), "v".into())]).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Config);
            assert!(e.to_string().contains("cannot be overridden"), "{e}");
        }
        assert!(check_headers("defaultHeaders", &[("x-trace".into(), "1".into())]).is_ok());
        assert!(check_headers("headers", &[("bad name".into(), "1".into())]).is_err());
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}
