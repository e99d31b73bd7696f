//! The operations table: every call the SDK makes, with the builder that turns its JSON
//! arguments into a [`crate::request::Operation`]. The names here are the only place an
//! operation's name is written; `request` builds its operations from these entries.

#[cfg(not(target_arch = "wasm32"))]
use super::ArgSpec;
use super::{OperationSpec, ReplayRule, ResultKind};
use crate::error::Error;
use crate::request::{self, QueryParams, Resource};
use crate::transport::Method;
use serde_json::Value;

#[cfg(not(target_arch = "wasm32"))]
const ID: ArgSpec = ArgSpec { name: "id", ty: "id", optional: false };
#[cfg(not(target_arch = "wasm32"))]
const INPUT: ArgSpec = ArgSpec { name: "input", ty: "object", optional: false };
#[cfg(not(target_arch = "wasm32"))]
const PATCH: ArgSpec = ArgSpec { name: "patch", ty: "object", optional: false };
#[cfg(not(target_arch = "wasm32"))]
const QUERY: ArgSpec = ArgSpec { name: "params", ty: "queryParams", optional: true };
#[cfg(not(target_arch = "wasm32"))]
const INPUTS: ArgSpec = ArgSpec { name: "inputs", ty: "array", optional: false };

/// The `id` argument: a string (its shape is checked by [`request::path_id`]).
fn id_arg(args: &Value) -> Result<&str, Error> {
    match args.get("id") {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(Error::validation("id", "id is required")),
        Some(other) => Err(Error::validation("id", format!("id must be a string, got {}", request::type_name(other)))),
    }
}

fn arg<'a>(args: &'a Value, key: &str) -> &'a Value {
    args.get(key).unwrap_or(&Value::Null)
}

/// `{filter, limit, cursor, maxItems}`: the page size is capped to the items still wanted.
fn query_args(resource: Resource, args: &Value) -> Result<request::Operation, Error> {
    let mut params = QueryParams::from_json(args)?;
    let remaining = request::max_items_arg(args)?;
    params.limit = request::page_limit(params.limit, remaining);
    request::query(resource, &params)
}

fn raw_args(args: &Value) -> Result<request::Operation, Error> {
    let method = arg(args, "method").as_str().unwrap_or("GET");
    let path = arg(args, "path").as_str().ok_or_else(|| Error::validation("path", "path must be a string"))?;
    request::raw(method, path, args.get("body"), args.get("query"))
}

macro_rules! spec {
    ($name:literal, $res:expr, $method:literal, $http:expr, $path:expr, $args:expr, $replay:ident, $result:ident,
     $bulk_of:expr, $build:expr) => {
        OperationSpec {
            name: $name,
            #[cfg(not(target_arch = "wasm32"))]
            resource: $res,
            #[cfg(not(target_arch = "wasm32"))]
            method: $method,
            http: $http,
            #[cfg(not(target_arch = "wasm32"))]
            path: $path,
            #[cfg(not(target_arch = "wasm32"))]
            args: $args,
            replay: ReplayRule::$replay,
            result: ResultKind::$result,
            #[cfg(not(target_arch = "wasm32"))]
            bulk_of: $bulk_of,
            build: $build,
        }
    };
}

use Method::{Delete, Get, Patch, Post, Put};
#[cfg(not(target_arch = "wasm32"))]
const P: Option<&str> = Some("people");
#[cfg(not(target_arch = "wasm32"))]
const C: Option<&str> = Some("companies");
#[cfg(not(target_arch = "wasm32"))]
const I: Option<&str> = Some("interactions");

/// `GET /authenticate`.
pub const AUTHENTICATE: OperationSpec = spec!(
    "authenticate",
    None,
    "authenticate",
    Some(Get),
    Some("/authenticate"),
    &[],
    Safe,
    Authenticate,
    None,
    |_| Ok(request::authenticate())
);
/// `klipy.request({ method, path, body, query })`.
pub const REQUEST: OperationSpec = spec!(
    "request",
    None,
    "request",
    None,
    None,
    &[ArgSpec { name: "params", ty: "rawParams", optional: false }],
    ByMethod,
    Data,
    None,
    raw_args
);
/// `GET /people/{id}`.
pub const PEOPLE_GET: OperationSpec =
    spec!("people.get", P, "get", Some(Get), Some("/people/{id}"), &[ID], Safe, Record, None, |a| request::get(
        Resource::People,
        id_arg(a)?
    ));
/// `POST /people/query`.
pub const PEOPLE_QUERY: OperationSpec =
    spec!("people.query", P, "query", Some(Post), Some("/people/query"), &[QUERY], Safe, Page, None, |a| query_args(
        Resource::People,
        a
    ));
/// `POST /people`.
pub const PEOPLE_CREATE: OperationSpec =
    spec!("people.create", P, "create", Some(Post), Some("/people"), &[INPUT], OnlyIfUnprocessed, Record, None, |a| {
        request::create_person(arg(a, "input"))
    });
/// `PUT /people`.
pub const PEOPLE_UPSERT: OperationSpec =
    spec!("people.upsert", P, "upsert", Some(Put), Some("/people"), &[INPUT], Safe, Record, None, |a| {
        request::upsert_person(arg(a, "input"))
    });
/// `PATCH /people/{id}`.
pub const PEOPLE_UPDATE: OperationSpec =
    spec!("people.update", P, "update", Some(Patch), Some("/people/{id}"), &[ID, PATCH], Safe, Record, None, |a| {
        request::update(Resource::People, id_arg(a)?, arg(a, "patch"))
    });
/// `DELETE /people/{id}`.
pub const PEOPLE_DELETE: OperationSpec =
    spec!("people.delete", P, "delete", Some(Delete), Some("/people/{id}"), &[ID], Safe, Deleted, None, |a| {
        request::delete(Resource::People, id_arg(a)?)
    });
/// `people.upsert` for many inputs (the builder takes one input).
pub const PEOPLE_UPSERT_MANY: OperationSpec = spec!(
    "people.upsertMany",
    P,
    "upsertMany",
    Some(Put),
    Some("/people"),
    &[INPUTS],
    Safe,
    Bulk,
    Some("people.upsert"),
    request::upsert_person
);
/// `GET /companies/{id}`.
pub const COMPANIES_GET: OperationSpec =
    spec!("companies.get", C, "get", Some(Get), Some("/companies/{id}"), &[ID], Safe, Record, None, |a| request::get(
        Resource::Companies,
        id_arg(a)?
    ));
/// `POST /companies`.
pub const COMPANIES_CREATE: OperationSpec = spec!(
    "companies.create",
    C,
    "create",
    Some(Post),
    Some("/companies"),
    &[INPUT],
    OnlyIfUnprocessed,
    Record,
    None,
    |a| request::create_company(arg(a, "input"))
);
/// `PATCH /companies/{id}`.
pub const COMPANIES_UPDATE: OperationSpec = spec!(
    "companies.update",
    C,
    "update",
    Some(Patch),
    Some("/companies/{id}"),
    &[ID, PATCH],
    Safe,
    Record,
    None,
    |a| request::update(Resource::Companies, id_arg(a)?, arg(a, "patch"))
);
/// `DELETE /companies/{id}`.
pub const COMPANIES_DELETE: OperationSpec =
    spec!("companies.delete", C, "delete", Some(Delete), Some("/companies/{id}"), &[ID], Safe, Deleted, None, |a| {
        request::delete(Resource::Companies, id_arg(a)?)
    });
/// `GET /interactions/{id}`.
pub const INTERACTIONS_GET: OperationSpec =
    spec!("interactions.get", I, "get", Some(Get), Some("/interactions/{id}"), &[ID], Safe, Record, None, |a| {
        request::get(Resource::Interactions, id_arg(a)?)
    });
/// `POST /interactions/query`.
pub const INTERACTIONS_QUERY: OperationSpec =
    spec!("interactions.query", I, "query", Some(Post), Some("/interactions/query"), &[QUERY], Safe, Page, None, |a| {
        query_args(Resource::Interactions, a)
    });
/// `POST /interactions` (replayed freely only with a `primaryId`).
pub const INTERACTIONS_CREATE: OperationSpec = spec!(
    "interactions.create",
    I,
    "create",
    Some(Post),
    Some("/interactions"),
    &[INPUT],
    SafeWithPrimaryId,
    Record,
    None,
    |a| request::create_interaction(arg(a, "input"))
);
/// `interactions.create` for many inputs (the builder takes one input).
pub const INTERACTIONS_CREATE_MANY: OperationSpec = spec!(
    "interactions.createMany",
    I,
    "createMany",
    Some(Post),
    Some("/interactions"),
    &[INPUTS],
    SafeWithPrimaryId,
    Bulk,
    Some("interactions.create"),
    request::create_interaction
);

/// Every operation: the 14 API calls, the raw `request`, and the two bulk methods.
pub static OPERATIONS: &[OperationSpec] = &[
    AUTHENTICATE,
    REQUEST,
    PEOPLE_GET,
    PEOPLE_QUERY,
    PEOPLE_CREATE,
    PEOPLE_UPSERT,
    PEOPLE_UPDATE,
    PEOPLE_DELETE,
    PEOPLE_UPSERT_MANY,
    COMPANIES_GET,
    COMPANIES_CREATE,
    COMPANIES_UPDATE,
    COMPANIES_DELETE,
    INTERACTIONS_GET,
    INTERACTIONS_QUERY,
    INTERACTIONS_CREATE,
    INTERACTIONS_CREATE_MANY,
];
