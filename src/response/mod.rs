//! Tolerant decoding of what the API sends back: success envelopes (current and older), lists
//! and their page info in every placement klipy-api.md §9 names, error bodies in five layouts,
//! and the rate-limit headers.

use crate::error::{Error, ErrorKind};
use crate::request::Shape;
use crate::transport::HttpResponse;
use serde_json::{Map, Value};

mod errors;
mod rate_limit;
mod scan;

pub use errors::decode_api_error;
pub(crate) use errors::decode_api_error_for;
pub(crate) use rate_limit::{plausible_reset, read_rate_limit, reset_to_epoch_ms};
pub use rate_limit::{rate_limit_info, MAX_PLAUSIBLE_RESET_AHEAD_MS};
use scan::decode_common_envelope;

/// A decoded 2xx response.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<T = Value> {
    /// The envelope's `data` (for lists: the array of items; for authenticate: `{"teamName"}`).
    pub data: T,
    /// The request id from `meta.request_id` or the `X-Request-Id` header.
    pub request_id: Option<String>,
    /// For lists: whether another page follows.
    pub has_next_page: bool,
    /// For lists: the cursor of the next page.
    pub next_cursor: Option<String>,
}

/// The request id of a response: `meta.request_id` (or `requestId`), else `X-Request-Id`.
fn request_id(body: Option<&Value>, resp: &HttpResponse) -> Option<String> {
    body.and_then(|b| b.get("meta"))
        .and_then(|m| m.get("request_id").or_else(|| m.get("requestId")))
        .and_then(Value::as_str)
        .or_else(|| resp.header("x-request-id"))
        .map(str::to_string)
}

/// Decodes a 2xx response of the given shape.
///
/// # Errors
/// [`ErrorKind::Decode`] when the body is not JSON of the expected form, or an API error when an
/// older `{"success": false}` envelope arrives with a 2xx status.
pub fn decode_success(resp: &HttpResponse, shape: Shape) -> Result<Decoded, Error> {
    let text = std::str::from_utf8(&resp.body).map_err(|_| decode_error(resp, "the response body is not UTF-8"))?;
    let body: Value = if text.trim().is_empty() {
        if matches!(shape, Shape::Single | Shape::Deleted) {
            Value::Null
        } else {
            return Err(decode_error(resp, "the response body is empty"));
        }
    } else {
        serde_json::from_str(text).map_err(|e| decode_error(resp, &format!("the response body is not JSON ({e})")))?
    };
    let request_id = request_id(Some(&body), resp);
    if body.get("success") == Some(&Value::Bool(false)) || body.get("object").and_then(Value::as_str) == Some("error") {
        let mut e = decode_api_error(resp);
        if e.request_id.is_none() {
            e.request_id = request_id;
        }
        return Err(e);
    }
    let enveloped = body.as_object().is_some_and(|o| {
        o.contains_key("data")
            && (o.contains_key("object")
                || o.contains_key("success")
                || o.contains_key("meta")
                || o.contains_key("page_info"))
    });
    let data = if enveloped { body.get("data").cloned().unwrap_or(Value::Null) } else { body.clone() };
    match shape {
        Shape::Single => Ok(Decoded { data, request_id, has_next_page: false, next_cursor: None }),
        Shape::Record | Shape::Deleted => {
            if !(data.is_object() || shape == Shape::Deleted && data.is_null()) {
                let what = if shape == Shape::Deleted { "a JSON object or no body" } else { "a JSON object" };
                return Err(decode_error(
                    resp,
                    &format!(
                        "its data is {}, not {what} (the record this call returns)",
                        crate::request::type_name(&data)
                    ),
                ));
            }
            Ok(Decoded { data, request_id, has_next_page: false, next_cursor: None })
        }
        Shape::Authenticate => {
            let name = team_name(&data).or_else(|| team_name(&body));
            match name {
                Some(n) => Ok(Decoded {
                    data: serde_json::json!({ "teamName": n }),
                    request_id,
                    has_next_page: false,
                    next_cursor: None,
                }),
                None => Err(decode_error(resp, "the authenticate response names no team")),
            }
        }
        Shape::List => {
            let items =
                list_items(&data).ok_or_else(|| decode_error(resp, "the list response has no array of items"))?;
            let (more, cursor) = page_info(&body, &data);
            let has_next = !items.is_empty() && cursor.is_some() && more != Some(false);
            Ok(Decoded {
                data: Value::Array(items),
                request_id,
                has_next_page: has_next,
                next_cursor: if has_next { cursor } else { None },
            })
        }
    }
}

/// A success decoder: [`decode_success`] (data as a `Value`) or [`decode_success_json`] (as text).
pub type SuccessDecoder<D> = fn(&HttpResponse, Shape) -> Result<Decoded<D>, Error>;

/// Like [`decode_success`], but `data` stays JSON text: for the common envelopes the text is cut
/// out of the body without building a tree (the wasm facade hands it to JavaScript, which parses
/// it once); anything unusual takes the tolerant path of [`decode_success`].
///
/// # Errors
/// As [`decode_success`].
pub fn decode_success_json(resp: &HttpResponse, shape: Shape) -> Result<Decoded<String>, Error> {
    if let Some(d) = decode_common_envelope(resp, shape) {
        return Ok(d);
    }
    decode_success(resp, shape).map(|d| Decoded {
        data: d.data.to_string(),
        request_id: d.request_id,
        has_next_page: d.has_next_page,
        next_cursor: d.next_cursor,
    })
}

fn decode_error(resp: &HttpResponse, why: &str) -> Error {
    let mut e = Error::new(
        ErrorKind::Decode,
        format!(
            "Klipy answered {} but {why}; check that the base URL points at the Klipy API (…/api/v1) and no proxy rewrites answers, else report the request id",
            resp.status
        ),
    );
    e.status = Some(resp.status);
    e.request_id = request_id(None, resp);
    e
}

fn team_name(v: &Value) -> Option<String> {
    for key in ["team_name", "teamName", "organization_name", "organizationName", "name"] {
        if let Some(s) = v.get(key).and_then(Value::as_str) {
            return Some(s.to_string());
        }
    }
    v.get("team").and_then(|t| t.get("name")).and_then(Value::as_str).map(str::to_string)
}

fn list_items(data: &Value) -> Option<Vec<Value>> {
    match data {
        Value::Array(a) => Some(a.clone()),
        Value::Object(o) => ["people", "interactions", "companies", "items", "results", "data"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_array).cloned()),
        _ => None,
    }
}

/// `(more, cursor)` from `page_info` at the top level, inside `data`, or inside `meta`.
fn page_info(body: &Value, data: &Value) -> (Option<bool>, Option<String>) {
    let holders = [Some(body), Some(data), body.get("meta")];
    let mut more = None;
    let mut cursor = None;
    for holder in holders.into_iter().flatten() {
        for info_key in ["page_info", "pageInfo", "pagination"] {
            if let Some(info) = holder.get(info_key).and_then(Value::as_object) {
                read_page_info(info, &mut more, &mut cursor);
            }
        }
    }
    // Some APIs put the cursor fields straight on the body or on `data`.
    for holder in [body, data] {
        if let Some(o) = holder.as_object() {
            if more.is_none() && cursor.is_none() {
                read_page_info(o, &mut more, &mut cursor);
            }
        }
    }
    (more, cursor)
}

fn read_page_info(info: &Map<String, Value>, more: &mut Option<bool>, cursor: &mut Option<String>) {
    for k in ["has_next_page", "has_more", "hasNextPage", "hasMore"] {
        if let Some(b) = info.get(k).and_then(Value::as_bool) {
            more.get_or_insert(b);
        }
    }
    for k in ["end_cursor", "next_cursor", "endCursor", "nextCursor", "cursor"] {
        if let Some(c) = info.get(k).and_then(Value::as_str).filter(|c| !c.is_empty()) {
            cursor.get_or_insert_with(|| c.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_passthrough_agrees_with_the_tolerant_decoder() {
        let bodies = [
            r#"{"object":"success","data":{"id":"per_1","n":-1.5e-3,"s":"a\"b\\c\u00e9\n","z":[true,false,null,{}]},"meta":{"request_id":"req_1"}}"#,
            r#" { "object" : "list" , "data" : [ {"id":"a"} , {"id":"b"} ] , "page_info" : {"has_next_page":true,"end_cursor":"c1"}, "meta":{"request_id":"r"} } "#,
            r#"{"object":"list","data":[],"page_info":{"has_next_page":true,"end_cursor":"c1"}}"#,
            r#"{"object":"list","data":[{"id":"a"}],"page_info":{"has_next_page":false,"end_cursor":null}}"#,
            r#"{"object":"list","data":[{"id":"a"}],"page_info":{"has_more":true},"meta":{"page_info":{"next_cursor":"m"}}}"#,
            r#"{"object":"list","data":{"people":[{"id":"a"}]},"page_info":{"has_next_page":true,"end_cursor":"c"}}"#,
            r#"{"object":"list","data":[{"id":"a"}],"pageInfo":{"hasNextPage":true,"endCursor":"c"}}"#,
            r#"{"success":true,"data":{"id":"x"}}"#,
            r#"{"object":"success","data":null,"meta":{}}"#,
            r#"{"object":"success","data":{"id":"x"},"data":{"id":"y"},"meta":{}}"#,
            r#"{"object":"success","da\u0074a":{"id":"x"},"meta":{}}"#,
            r#"{"id":"bare","object":"person"}"#,
            r#"{"object":"success","data":{"id":"x"},"meta":{}} trailing"#,
            r#"{"object":"success","data":{"id":"x",},"meta":{}}"#,
            r#"{"object":"success","data":{"n":01},"meta":{}}"#,
            r#"{"object":"success","data":{"s":"\x"},"meta":{}}"#,
            r#"{"object":"success","data":[1,2.5,-0,1E+9,"\ud83d\ude00"],"meta":{}}"#,
            r#"{"object":"error","error":{"code":"x","message":"m"}}"#,
            r#"{"object":"\u0065rror","error":{"code":"x","message":"m"}}"#,
            "[1,2]",
            "",
            "not json",
        ];
        for body in bodies {
            for shape in [Shape::Single, Shape::List] {
                let resp = HttpResponse {
                    status: 200,
                    headers: vec![("x-request-id".into(), "hdr".into())],
                    body: body.as_bytes().to_vec(),
                };
                match (decode_success_json(&resp, shape), decode_success(&resp, shape)) {
                    (Ok(f), Ok(s)) => {
                        let f_data: Value = serde_json::from_str(&f.data).unwrap();
                        assert_eq!(f_data, s.data, "{body} {shape:?}");
                        assert_eq!(
                            (f.request_id, f.has_next_page, f.next_cursor),
                            (s.request_id, s.has_next_page, s.next_cursor),
                            "{body}"
                        );
                    }
                    (Err(f), Err(s)) => assert_eq!(f.kind, s.kind, "{body}"),
                    (f, s) => panic!("{body} {shape:?}: fast {f:?} slow {s:?}"),
                }
            }
        }
    }

    #[test]
    fn scanner_refuses_deep_nesting_and_takes_the_tolerant_path() {
        let deep = format!(r#"{{"object":"success","data":{}1{},"meta":{{}}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(scan::scan_envelope(&deep).is_none());
    }
}
