//! The fast path of [`super::decode_success_json`]: a validating scanner that cuts a common
//! envelope's `data` out of the body as text, without building a JSON tree.

use super::{read_page_info, Decoded};
use crate::request::Shape;
use crate::transport::HttpResponse;
use serde_json::Value;

/// The top-level fields [`decode_common_envelope`] looks at, as slices of the body.
#[derive(Default)]
pub(super) struct Envelope<'a> {
    object: Option<&'a str>,
    success: bool,
    data: Option<&'a str>,
    meta: Option<&'a str>,
    page_info: Option<&'a str>,
    other_page_info: bool,
}

/// Splits a JSON object into the fields [`Envelope`] names, validating the whole text as JSON on
/// the way (a hand-written scanner: serde's typed deserialisation would link its error
/// formatting, float printing included). `None` for anything else: not an object, invalid JSON,
/// a key written with escapes, a repeated key, nesting deeper than 128.
pub(super) fn scan_envelope(text: &str) -> Option<Envelope<'_>> {
    let b = text.as_bytes();
    let mut env = Envelope::default();
    let mut i = ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return (ws(b, i + 1) == b.len()).then_some(env);
    }
    loop {
        let key_end = string_end(b, i)?;
        let key = &text[i + 1..key_end - 1];
        i = ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = ws(b, i + 1);
        let end = value_end(b, start, 0)?;
        let value = &text[start..end];
        let slot = match key {
            "object" => &mut env.object,
            "data" => &mut env.data,
            "meta" => &mut env.meta,
            "page_info" => &mut env.page_info,
            "success" => {
                env.success = true;
                i = ws(b, end);
                match b.get(i)? {
                    b',' => {
                        i = ws(b, i + 1);
                        continue;
                    }
                    b'}' => break,
                    _ => return None,
                }
            }
            k if k.contains('\\') => return None,
            "pageInfo" | "pagination" => {
                env.other_page_info = true;
                &mut None
            }
            _ => &mut None,
        };
        if slot.replace(value).is_some() {
            return None; // a repeated key: let the tolerant path decide
        }
        i = ws(b, end);
        match b.get(i)? {
            b',' => i = ws(b, i + 1),
            b'}' => break,
            _ => return None,
        }
    }
    (ws(b, i + 1) == b.len()).then_some(env)
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// Index just past the string starting at `i` (a `"`), escapes checked.
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    loop {
        match *b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => match *b.get(i + 1)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => i += 2,
                b'u' if b.get(i + 2..i + 6)?.iter().all(u8::is_ascii_hexdigit) => i += 6,
                _ => return None,
            },
            0..=0x1f => return None,
            _ => i += 1,
        }
    }
}

/// Index just past the JSON value starting at `i`, or `None` when it is not valid JSON.
fn value_end(b: &[u8], i: usize, depth: u32) -> Option<usize> {
    if depth > 128 {
        return None;
    }
    let (open, close) = match *b.get(i)? {
        b'"' => return string_end(b, i),
        b'{' => (b'{', b'}'),
        b'[' => (b'[', b']'),
        b't' => return b[i..].starts_with(b"true").then_some(i + 4),
        b'f' => return b[i..].starts_with(b"false").then_some(i + 5),
        b'n' => return b[i..].starts_with(b"null").then_some(i + 4),
        _ => return number_end(b, i),
    };
    let mut j = ws(b, i + 1);
    if b.get(j) == Some(&close) {
        return Some(j + 1);
    }
    loop {
        if open == b'{' {
            j = ws(b, string_end(b, j)?);
            if b.get(j) != Some(&b':') {
                return None;
            }
            j = ws(b, j + 1);
        }
        j = ws(b, value_end(b, j, depth + 1)?);
        match *b.get(j)? {
            b',' => j = ws(b, j + 1),
            c if c == close => return Some(j + 1),
            _ => return None,
        }
    }
}

/// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
fn number_end(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |b: &[u8], i: usize| i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match *b.get(i)? {
        b'0' => i += 1,
        b'1'..=b'9' => i = digits(b, i),
        _ => return None,
    }
    if b.get(i) == Some(&b'.') {
        let j = digits(b, i + 1);
        if j == i + 1 {
            return None;
        }
        i = j;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let j = digits(b, i);
        if j == i {
            return None;
        }
        i = j;
    }
    Some(i)
}

/// The fast path of [`decode_success_json`]: `{"object", "data", "meta", "page_info"?}` with the
/// items of a list directly in `data` and both page fields in a top-level `page_info`. `None`
/// sends the response down the tolerant path.
pub(super) fn decode_common_envelope(resp: &HttpResponse, shape: Shape) -> Option<Decoded<String>> {
    if shape == Shape::Authenticate {
        return None;
    }
    let text = std::str::from_utf8(&resp.body).ok()?;
    let top = scan_envelope(text)?;
    // An escaped `object` value might spell "error": the tolerant path decodes it.
    if top.success || top.object.is_some_and(|o| o == "\"error\"" || o.contains('\\')) {
        return None;
    }
    if !(top.object.is_some() || top.meta.is_some() || top.page_info.is_some()) {
        return None;
    }
    let data = top.data?;
    if data == "null" {
        return None;
    }
    let request_id = match top.meta {
        Some(m) => {
            let meta: Value = serde_json::from_str(m).ok()?;
            meta.get("request_id").or_else(|| meta.get("requestId")).and_then(Value::as_str).map(str::to_string)
        }
        None => None,
    }
    .or_else(|| resp.header("x-request-id").map(str::to_string));
    match shape {
        Shape::Single => Some(Decoded { data: data.to_string(), request_id, has_next_page: false, next_cursor: None }),
        // Anything but an object takes the tolerant path, which says what is wrong.
        Shape::Record | Shape::Deleted if data.starts_with('{') => {
            Some(Decoded { data: data.to_string(), request_id, has_next_page: false, next_cursor: None })
        }
        Shape::Record | Shape::Deleted => None,
        Shape::List => {
            let rest = data.strip_prefix('[')?;
            if top.other_page_info {
                return None;
            }
            let info: Value = serde_json::from_str(top.page_info?).ok()?;
            let (mut more, mut cursor) = (None, None);
            read_page_info(info.as_object()?, &mut more, &mut cursor);
            if more.is_none() || cursor.is_none() && more == Some(true) {
                return None; // incomplete here: the tolerant path looks elsewhere too
            }
            let empty = rest.trim_start().starts_with(']');
            let has_next = !empty && cursor.is_some() && more != Some(false);
            Some(Decoded {
                data: data.to_string(),
                request_id,
                has_next_page: has_next,
                next_cursor: if has_next { cursor } else { None },
            })
        }
        Shape::Authenticate => None,
    }
}
