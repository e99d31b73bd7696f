//! The raw call (`klipy.request(…)`): any method and path under the base URL, and the check that
//! keeps the path there.

use super::{Operation, Replay};
use crate::error::{quoted, Error};
use crate::transport::Method;
use serde_json::Value;

/// Any request under the base URL (`klipy.request(…)`): `path` must start with `/` and stay
/// under the base URL.
pub fn raw(method: &str, path: &str, body: Option<&Value>, query: Option<&Value>) -> Result<Operation, Error> {
    let m = Method::parse(method).ok_or_else(|| {
        Error::validation("method", format!("method must be GET, POST, PUT, PATCH or DELETE, not {}", quoted(method)))
    })?;
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(Error::validation(
            "path",
            format!("path must start with a single \"/\", e.g. \"/people/query\", not {}", quoted(path)),
        ));
    }
    if path.contains(['?', '#']) {
        return Err(Error::validation("path", "path must not contain ? or #: pass query parameters as query"));
    }
    if path.chars().any(|c| c.is_whitespace() || c.is_control() || !c.is_ascii()) {
        return Err(Error::validation("path", "path must be percent-encoded ASCII without spaces"));
    }
    check_segments(path)?;
    let replay = match m {
        Method::Post if !path.ends_with("/query") => Replay::OnlyIfUnprocessed,
        _ => Replay::Safe,
    };
    let mut op = Operation::of(&crate::contract::REQUEST, path.to_string());
    op.method = m;
    op.replay = replay;
    if let Some(b) = body {
        if !b.is_null() {
            op = op.with_body(b);
        }
    }
    match query {
        None | Some(Value::Null) => {}
        Some(Value::Object(q)) => {
            for (k, v) in q {
                let v = match v {
                    Value::String(s) => s.clone(),
                    Value::Null => continue,
                    other => other.to_string(),
                };
                op.query.push((k.clone(), v));
            }
        }
        Some(_) => return Err(Error::validation("query", "query must be an object of parameter names to values")),
    }
    Ok(op)
}

/// Keeps a raw path under the base path: each segment is percent-decoded before it is checked,
/// since URL parsers (fetch's among them) collapse `.`/`..` segments even when encoded, and some
/// treat `\` as `/`. Refused: a segment that is `.` or `..` after decoding, any `\`, and an
/// encoded `/` or `\` inside a segment.
fn check_segments(path: &str) -> Result<(), Error> {
    for seg in path.split('/') {
        let decoded: Vec<u8> = percent_encoding::percent_decode_str(seg).collect();
        if decoded.contains(&b'\\') {
            return Err(Error::validation("path", "path must not contain \\ (raw or percent-encoded)"));
        }
        if decoded.contains(&b'/') {
            return Err(Error::validation("path", "path must not contain an encoded / (%2F) inside a segment"));
        }
        if decoded == b"." || decoded == b".." {
            return Err(Error::validation(
                "path",
                "path must not contain . or .. segments (percent-encoded or not): it must stay under baseUrl",
            ));
        }
    }
    Ok(())
}
