//! Pure request building: which method and path each operation uses, percent-encoded path ids,
//! validated and normalised JSON bodies, and whether a call may be replayed.
//!
//! Inputs are JSON values so that the Rust API (typed models, serialised) and the WebAssembly
//! facade (JSON text from JavaScript) share one validation path.

use crate::contract::{self as c, OperationSpec, ReplayRule, ResultKind};
use crate::error::{quoted, Error};
use crate::transport::Method;
use serde_json::{Map, Value};

mod raw;
pub use raw::raw;

/// Whether an operation may be sent again after an ambiguous failure (klipy-api.md §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// Idempotent or read-only: retry on any retryable failure.
    Safe,
    /// May create twice: retry only when the server said it did not process the request
    /// (429, or 503 with `Retry-After`).
    OnlyIfUnprocessed,
}

/// How the response's `data` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Any JSON value (the raw `request()`).
    Single,
    /// One record: the data must be a JSON object (get, create, upsert, update).
    Record,
    /// A delete's answer: a JSON object, or no body at all (`null`, as a 204 gives).
    Deleted,
    /// A page of items with cursor information.
    List,
    /// The authenticate body, normalised to `{"teamName": …}`.
    Authenticate,
}

/// A request, built and validated, ready to be sent any number of times.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// A short name for logs (`people.get`).
    pub name: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path relative to the base URL, starting with `/`, already percent-encoded.
    pub path: String,
    /// Query parameters (encoded when the URL is built).
    pub query: Vec<(String, String)>,
    /// JSON body bytes.
    pub body: Option<Vec<u8>>,
    /// Replay rule.
    pub replay: Replay,
    /// Response shape.
    pub shape: Shape,
}

impl Operation {
    /// The operation `spec` describes, sent to `path`: its name, HTTP method, replay rule and
    /// response shape come from the contract (a conditional rule starts at its cautious side).
    fn of(spec: &OperationSpec, path: String) -> Self {
        let replay = match spec.replay {
            ReplayRule::Safe | ReplayRule::ByMethod => Replay::Safe,
            ReplayRule::OnlyIfUnprocessed | ReplayRule::SafeWithPrimaryId => Replay::OnlyIfUnprocessed,
        };
        let shape = match spec.result {
            ResultKind::Authenticate => Shape::Authenticate,
            ResultKind::Record | ResultKind::Bulk => Shape::Record,
            ResultKind::Deleted => Shape::Deleted,
            ResultKind::Page => Shape::List,
            ResultKind::Data => Shape::Single,
        };
        let method = spec.http.unwrap_or(Method::Get);
        Self { name: spec.name, method, path, query: Vec::new(), body: None, replay, shape }
    }

    fn with_body(mut self, body: &Value) -> Self {
        self.body = Some(serde_json::to_vec(body).expect("a JSON value always serialises"));
        self
    }

    /// The absolute URL under `base_url`.
    pub fn url(&self, base_url: &str) -> String {
        let mut url = format!("{base_url}{}", self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode_component(k));
            url.push('=');
            url.push_str(&encode_component(v));
        }
        url
    }
}

/// The three resource collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// `/people`
    People,
    /// `/companies`
    Companies,
    /// `/interactions`
    Interactions,
}

impl Resource {
    fn collection(self) -> &'static str {
        match self {
            Resource::People => "people",
            Resource::Companies => "companies",
            Resource::Interactions => "interactions",
        }
    }
    fn id_field(self) -> &'static str {
        match self {
            Resource::People => "personId",
            Resource::Companies => "companyId",
            Resource::Interactions => "interactionId",
        }
    }
}

/// Percent-encodes one URL component: everything but `A-Z a-z 0-9 - . _ ~`.
pub fn encode_component(s: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// Checks an id and encodes it as one path segment.
///
/// # Errors
/// A [`crate::ErrorKind::Validation`] error for an empty or blank id, or `.`/`..` (URL parsers
/// collapse those even when percent-encoded).
pub fn path_id(field: &str, id: &str) -> Result<String, Error> {
    if id.trim().is_empty() {
        return Err(Error::validation(field, format!("{field} must be a non-empty id, got {}", quoted(id))));
    }
    if id == "." || id == ".." {
        return Err(Error::validation(field, format!("{field} cannot be {}: that is not an id", quoted(id))));
    }
    Ok(encode_component(id))
}

fn item_path(resource: Resource, id: &str) -> Result<String, Error> {
    Ok(format!("/{}/{}", resource.collection(), path_id(resource.id_field(), id)?))
}

/// `GET /authenticate`.
pub fn authenticate() -> Operation {
    Operation::of(&c::AUTHENTICATE, "/authenticate".into())
}

/// `GET /{resource}/{id}`.
pub fn get(resource: Resource, id: &str) -> Result<Operation, Error> {
    let spec = match resource {
        Resource::People => &c::PEOPLE_GET,
        Resource::Companies => &c::COMPANIES_GET,
        Resource::Interactions => &c::INTERACTIONS_GET,
    };
    Ok(Operation::of(spec, item_path(resource, id)?))
}

/// `DELETE /{resource}/{id}` (people and companies).
pub fn delete(resource: Resource, id: &str) -> Result<Operation, Error> {
    let spec = match resource {
        Resource::People => &c::PEOPLE_DELETE,
        Resource::Companies => &c::COMPANIES_DELETE,
        Resource::Interactions => return Err(Error::validation("resource", "interactions cannot be deleted")),
    };
    Ok(Operation::of(spec, item_path(resource, id)?))
}

/// `PATCH /{resource}/{id}` with the fields to change (`null` clears a field).
pub fn update(resource: Resource, id: &str, patch: &Value) -> Result<Operation, Error> {
    let spec = match resource {
        Resource::People => &c::PEOPLE_UPDATE,
        Resource::Companies => &c::COMPANIES_UPDATE,
        Resource::Interactions => return Err(Error::validation("resource", "interactions cannot be updated")),
    };
    let obj = as_object("patch", patch)?;
    if let Some(email) = obj.get("email") {
        check_string_or_null("email", email)?;
    }
    Ok(Operation::of(spec, item_path(resource, id)?).with_body(patch))
}

/// Query parameters of one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryParams {
    /// The filter object (`{"email": …}`, `{"companyId": …}`, …).
    pub filter: Option<Value>,
    /// Page size, 1..=100.
    pub limit: Option<u32>,
    /// Cursor from a previous page.
    pub cursor: Option<String>,
}

impl QueryParams {
    /// Reads `{filter, limit, cursor}` from JSON (other keys are ignored).
    ///
    /// # Errors
    /// A validation error for a `limit` outside 1..=100 or values of the wrong type.
    pub fn from_json(v: &Value) -> Result<Self, Error> {
        let obj = match v {
            Value::Null => return Ok(Self::default()),
            other => as_object("params", other)?,
        };
        let filter = match obj.get("filter") {
            None | Some(Value::Null) => None,
            Some(f @ Value::Object(_)) => Some(f.clone()),
            Some(_) => {
                return Err(Error::validation("filter", "filter must be an object, e.g. { companyId: \"cmp_…\" }"))
            }
        };
        let limit = match obj.get("limit") {
            None | Some(Value::Null) => None,
            Some(l) => Some(check_limit(l)?),
        };
        let cursor = match obj.get("cursor") {
            None | Some(Value::Null) => None,
            Some(Value::String(c)) => Some(c.clone()),
            Some(_) => {
                return Err(Error::validation("cursor", "cursor must be a string from a previous page's nextCursor"))
            }
        };
        Ok(Self { filter, limit, cursor })
    }

    fn body(&self) -> Value {
        let mut m = Map::new();
        if let Some(c) = &self.cursor {
            m.insert("cursor".into(), Value::String(c.clone()));
        }
        if let Some(l) = self.limit {
            m.insert("limit".into(), Value::from(l));
        }
        if let Some(f) = &self.filter {
            m.insert("filter".into(), f.clone());
        }
        Value::Object(m)
    }
}

fn check_limit(l: &Value) -> Result<u32, Error> {
    match l.as_u64() {
        Some(n @ 1..=100) => Ok(n as u32),
        _ => Err(Error::validation("limit", format!("limit must be a whole number from 1 to 100, got {l}"))),
    }
}

/// The API's page size when a query gives no `limit`.
pub const DEFAULT_PAGE_SIZE: u32 = 20;

/// The page size to ask for when `remaining` more items are wanted (`None`: no cap). With no
/// `limit`, ask for `remaining` only when it is below the API's default page size (else leave the
/// default); with a `limit`, ask for `min(limit, remaining)`. Never below 1: a walk that wants no
/// more items sends nothing, and a single page asked for with `maxItems: 0` asks for one.
pub fn page_limit(limit: Option<u32>, remaining: Option<u64>) -> Option<u32> {
    let Some(remaining) = remaining else { return limit };
    let remaining = u32::try_from(remaining.max(1)).unwrap_or(u32::MAX);
    match limit {
        None if remaining < DEFAULT_PAGE_SIZE => Some(remaining),
        None => None,
        Some(l) => Some(l.min(remaining)),
    }
}

/// The `maxItems` of query arguments: how many items are still wanted (`None`: no cap).
///
/// # Errors
/// A validation error (field `maxItems`) unless it is a whole number of 0 or more.
pub fn max_items_arg(args: &Value) -> Result<Option<u64>, Error> {
    match args.get("maxItems") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_u64().map(Some).ok_or_else(|| {
            Error::validation("maxItems", format!("maxItems must be a whole number of 0 or more, got {v}"))
        }),
    }
}

/// `POST /{resource}/query` for one page (people and interactions).
pub fn query(resource: Resource, params: &QueryParams) -> Result<Operation, Error> {
    let spec = match resource {
        Resource::People => &c::PEOPLE_QUERY,
        Resource::Interactions => &c::INTERACTIONS_QUERY,
        Resource::Companies => return Err(Error::validation("resource", "companies cannot be queried")),
    };
    if let Some(l) = params.limit {
        check_limit(&Value::from(l))?;
    }
    let path = format!("/{}/query", resource.collection());
    Ok(Operation::of(spec, path).with_body(&params.body()))
}

/// `POST /people` (not replayed after an ambiguous failure: it could create twice).
pub fn create_person(input: &Value) -> Result<Operation, Error> {
    require_string(as_object("input", input)?, "email")?;
    Ok(Operation::of(&c::PEOPLE_CREATE, "/people".into()).with_body(input))
}

/// `PUT /people`: create or update by email (idempotent).
pub fn upsert_person(input: &Value) -> Result<Operation, Error> {
    require_string(as_object("input", input)?, "email")?;
    Ok(Operation::of(&c::PEOPLE_UPSERT, "/people".into()).with_body(input))
}

/// `POST /companies` (not replayed after an ambiguous failure).
pub fn create_company(input: &Value) -> Result<Operation, Error> {
    require_string(as_object("input", input)?, "name")?;
    Ok(Operation::of(&c::COMPANIES_CREATE, "/companies".into()).with_body(input))
}

/// Interaction types the API documents.
pub const INTERACTION_TYPES: [&str; 9] = [
    "DIRECT_MESSAGE",
    "EMAIL",
    "MEETING",
    "MEMO",
    "BOOKING_CREATED",
    "BOOKING_CANCELLED",
    "MANUAL",
    "API_EVENT",
    "VOICE_NOTE",
];
/// Interaction directions the API documents.
pub const INTERACTION_DIRECTIONS: [&str; 5] = ["INBOUND", "OUTBOUND", "HYBRID", "INTERNAL", "EVENT"];

/// `POST /interactions`, validated and normalised (`interactionDate` becomes epoch ms). Replayed
/// freely when it carries a `primaryId` (the API dedupes on it).
pub fn create_interaction(input: &Value) -> Result<Operation, Error> {
    let mut obj = as_object("input", input)?.clone();
    check_enum(&obj, "type", &INTERACTION_TYPES)?;
    check_enum(&obj, "direction", &INTERACTION_DIRECTIONS)?;
    check_len(&obj, "title", 1000)?;
    check_len(&obj, "summary", 10_000)?;
    let present = |k: &str| obj.get(k).is_some_and(|v| !v.is_null());
    match (present("mainContact"), present("mainContactEmail")) {
        (true, true) => {
            return Err(Error::validation(
                "mainContact",
                "give exactly one of mainContact (a person id) and mainContactEmail, not both",
            ))
        }
        (false, false) => {
            return Err(Error::validation(
                "mainContact",
                "give exactly one of mainContact (a person id) or mainContactEmail",
            ))
        }
        _ => {}
    }
    for k in ["mainContact", "mainContactEmail", "primaryId", "secondaryId"] {
        if let Some(v) = obj.get(k) {
            check_string_or_null(k, v)?;
        }
    }
    if let Some(d) = obj.get("interactionDate") {
        if !d.is_null() {
            let ms = crate::time::to_epoch_ms(d).ok_or_else(|| {
                Error::validation(
                    "interactionDate",
                    format!("interactionDate must be a Date, an ISO-8601 string or epoch milliseconds, got {d}"),
                )
            })?;
            obj.insert("interactionDate".into(), Value::from(ms));
        }
    }
    let replay = if obj.get("primaryId").is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty())) {
        Replay::Safe
    } else {
        Replay::OnlyIfUnprocessed
    };
    let mut op = Operation::of(&c::INTERACTIONS_CREATE, "/interactions".into()).with_body(&Value::Object(obj));
    op.replay = replay;
    Ok(op)
}

fn as_object<'a>(field: &str, v: &'a Value) -> Result<&'a Map<String, Value>, Error> {
    v.as_object().ok_or_else(|| Error::validation(field, format!("{field} must be an object, got {}", type_name(v))))
}

fn require_string(obj: &Map<String, Value>, field: &str) -> Result<(), Error> {
    match obj.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(()),
        None | Some(Value::Null) => Err(Error::validation(field, format!("{field} is required"))),
        Some(v) => Err(Error::validation(field, format!("{field} must be a non-empty string, got {}", type_name(v)))),
    }
}

fn check_string_or_null(field: &str, v: &Value) -> Result<(), Error> {
    match v {
        Value::String(_) | Value::Null => Ok(()),
        other => Err(Error::validation(field, format!("{field} must be a string, got {}", type_name(other)))),
    }
}

fn check_enum(obj: &Map<String, Value>, field: &str, allowed: &[&str]) -> Result<(), Error> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(s)) if allowed.contains(&s.as_str()) => Ok(()),
        Some(v) => Err(Error::validation(field, format!("{field} must be one of {}, got {v}", allowed.join(", ")))),
    }
}

fn check_len(obj: &Map<String, Value>, field: &str, max: usize) -> Result<(), Error> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(s)) => {
            let n = s.chars().count();
            if n > max {
                Err(Error::validation(field, format!("{field} is {n} characters long; the limit is {max}")))
            } else {
                Ok(())
            }
        }
        Some(v) => Err(Error::validation(field, format!("{field} must be a string, got {}", type_name(v)))),
    }
}

/// `null`, `a string`, `an object`, … for messages.
pub(crate) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
