//! The contract between the core and every binding, as data: the operations, the error classes,
//! the options and the enums. The JavaScript package reads it from the generated
//! `pkg-template/src/contract.mjs` (written from these tables by `tests/contract.rs`, never by the
//! wasm build, so the `.wasm` carries no serialiser for it).
//!
//! What reads these tables at run time: the wasm dispatch and bulk lookup ([`operation`],
//! [`bulk_operation`]), the request builders (an operation's name, HTTP method and result kind
//! come from its [`OperationSpec`]), [`ErrorKind::class_name`] and [`ErrorKind::from_status`]
//! ([`ERRORS`]), and the option readers' range checks ([`OPTIONS`] via [`option`]).

mod operations;

pub use operations::*;

use crate::error::{quoted, Error, ErrorKind};
use crate::request::Operation;
use crate::transport::Method;
use serde_json::Value;

/// The version of the contract's shape (bumped when a field changes meaning).
pub const VERSION: u32 = 1;

/// One argument of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ArgSpec {
    /// The argument's name (`id`, `input`, `patch`, `params`, `inputs`).
    pub name: &'static str,
    /// `id` (non-empty string), `object` (unknown fields kept), `queryParams` (`{ filter, limit,
    /// cursor, maxItems }`), `array` (bulk inputs) or `rawParams` (`{ method, path, body, query }`).
    pub ty: &'static str,
    /// Whether the argument may be left out.
    pub optional: bool,
}

/// When an operation may be sent again after an ambiguous failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplayRule {
    /// Always (idempotent or read-only).
    Safe,
    /// Only when the server said it did not process it (a create could happen twice).
    OnlyIfUnprocessed,
    /// Safe when the input carries a `primaryId` (the API dedupes on it), else only if unprocessed.
    SafeWithPrimaryId,
    /// Decided by the HTTP method of the raw call (`POST` other than `…/query` only if unprocessed).
    ByMethod,
}

impl ReplayRule {
    /// The contract's spelling (`safe`, `onlyIfUnprocessed`, `safeWithPrimaryId`, `byMethod`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReplayRule::Safe => "safe",
            ReplayRule::OnlyIfUnprocessed => "onlyIfUnprocessed",
            ReplayRule::SafeWithPrimaryId => "safeWithPrimaryId",
            ReplayRule::ByMethod => "byMethod",
        }
    }
}

/// What a binding makes of an operation's response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    /// `{ teamName }`.
    Authenticate,
    /// One record (a JSON object).
    Record,
    /// `{ id, deleted: true }` (also when the server sent no body).
    Deleted,
    /// One page of a query, with `hasNextPage` and `nextCursor`.
    Page,
    /// `{ succeeded, failed }` of a bulk method.
    Bulk,
    /// The envelope's `data`, whatever it is (the raw call).
    Data,
}

impl ResultKind {
    /// The contract's spelling (`authenticate`, `record`, `deleted`, `page`, `bulk`, `data`).
    pub fn as_str(self) -> &'static str {
        match self {
            ResultKind::Authenticate => "authenticate",
            ResultKind::Record => "record",
            ResultKind::Deleted => "deleted",
            ResultKind::Page => "page",
            ResultKind::Bulk => "bulk",
            ResultKind::Data => "data",
        }
    }
}

/// One operation of the contract. The wasm build reads only `name`, `http`, `replay`, `result`
/// and `build`; the other fields exist natively, for the generated `contract.mjs` and the
/// contract tests (static data the `.wasm` would carry for nothing).
#[derive(Clone, Copy)]
pub struct OperationSpec {
    /// The operation's name (`people.get`): what crosses the wasm boundary and names it in logs.
    pub name: &'static str,
    /// The resource collection (`people`), or `None` for `authenticate` and `request`.
    #[cfg(not(target_arch = "wasm32"))]
    pub resource: Option<&'static str>,
    /// The JavaScript method name (`get`, `upsertMany`, …).
    #[cfg(not(target_arch = "wasm32"))]
    pub method: &'static str,
    /// The HTTP method (`None` for the raw call, whose caller picks it).
    pub http: Option<Method>,
    /// The path template (`/people/{id}`), `None` for the raw call.
    #[cfg(not(target_arch = "wasm32"))]
    pub path: Option<&'static str>,
    /// The arguments, in order (the per-call options come after them).
    #[cfg(not(target_arch = "wasm32"))]
    pub args: &'static [ArgSpec],
    /// When it may be replayed.
    pub replay: ReplayRule,
    /// What its response becomes.
    pub result: ResultKind,
    /// For a bulk method: the single operation it repeats.
    #[cfg(not(target_arch = "wasm32"))]
    pub bulk_of: Option<&'static str>,
    /// Builds the request from the JSON arguments (for a bulk method: from one input).
    pub build: Builder,
}

/// Builds a request from JSON arguments.
pub type Builder = fn(&Value) -> Result<Operation, Error>;

impl std::fmt::Debug for OperationSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OperationSpec").field("name", &self.name).finish_non_exhaustive()
    }
}

/// The operation called `name` that `call` runs (not a bulk method).
///
/// # Errors
/// A validation error (field `operation`) for a name the contract does not have.
pub fn operation(name: &str) -> Result<&'static OperationSpec, Error> {
    match OPERATIONS.iter().find(|o| o.name == name) {
        Some(o) if o.result != ResultKind::Bulk => Ok(o),
        Some(_) => Err(Error::validation("operation", format!("{} is a bulk method: use bulk()", quoted(name)))),
        None => Err(Error::validation("operation", format!("unknown operation {}", quoted(name)))),
    }
}

/// The bulk method called `name` (`people.upsertMany`, `interactions.createMany`).
///
/// # Errors
/// A validation error (field `operation`) when `name` is not a bulk method of the contract.
pub fn bulk_operation(name: &str) -> Result<&'static OperationSpec, Error> {
    OPERATIONS
        .iter()
        .find(|o| o.name == name && o.result == ResultKind::Bulk)
        .ok_or_else(|| Error::validation("operation", format!("{} has no bulk form", quoted(name))))
}

/// One error class (`parent` and `fields` exist natively only, for `contract.mjs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorSpec {
    /// The class name (`NotFoundError`).
    pub name: &'static str,
    /// The parent class (`None` for `KlipyError`).
    #[cfg(not(target_arch = "wasm32"))]
    pub parent: Option<&'static str>,
    /// The HTTP status of a status class (`InternalServerError`: 500, standing for every 5xx).
    pub status: Option<u16>,
    /// The core's kind (`None` for the abstract `KlipyError`).
    pub kind: Option<ErrorKind>,
    /// Fields an instance carries beyond its parent's.
    #[cfg(not(target_arch = "wasm32"))]
    pub fields: &'static [&'static str],
}

macro_rules! err {
    ($name:literal, $parent:literal, $status:expr, $kind:ident, $fields:expr) => {
        ErrorSpec {
            name: $name,
            #[cfg(not(target_arch = "wasm32"))]
            parent: Some($parent),
            status: $status,
            kind: Some(ErrorKind::$kind),
            #[cfg(not(target_arch = "wasm32"))]
            fields: $fields,
        }
    };
}

/// Every error class, parents before children.
pub static ERRORS: &[ErrorSpec] = &[
    ErrorSpec {
        name: "KlipyError",
        #[cfg(not(target_arch = "wasm32"))]
        parent: None,
        status: None,
        kind: None,
        #[cfg(not(target_arch = "wasm32"))]
        fields: &["retryable", "attempts", "status", "code", "requestId", "details", "headers", "rateLimit", "cause"],
    },
    err!("ConfigError", "KlipyError", None, Config, &[]),
    err!("ValidationError", "KlipyError", None, Validation, &["field"]),
    err!("APIError", "KlipyError", None, Api, &[]),
    err!("BadRequestError", "APIError", Some(400), BadRequest, &[]),
    err!("AuthenticationError", "APIError", Some(401), Authentication, &[]),
    err!("PermissionDeniedError", "APIError", Some(403), PermissionDenied, &["requiredScope"]),
    err!("NotFoundError", "APIError", Some(404), NotFound, &[]),
    err!("ConflictError", "APIError", Some(409), Conflict, &[]),
    err!("UnprocessableEntityError", "APIError", Some(422), UnprocessableEntity, &[]),
    err!("RateLimitError", "APIError", Some(429), RateLimit, &["retryAfterMs"]),
    err!("InternalServerError", "APIError", Some(500), InternalServer, &[]),
    err!("APIConnectionError", "KlipyError", None, Connection, &[]),
    err!("APIConnectionTimeoutError", "APIConnectionError", None, Timeout, &[]),
    err!("APIUserAbortError", "KlipyError", None, UserAbort, &[]),
    err!("ResponseDecodeError", "KlipyError", None, Decode, &[]),
];

/// Where an option is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// `new Klipy(options)`.
    Client,
    /// The last argument of every resource method.
    Request,
    /// The options of `upsertMany` / `createMany`.
    Bulk,
    /// `rateLimit: { … }`.
    RateLimit,
}

impl Scope {
    /// The contract's spelling (`client`, `request`, `bulk`, `rateLimit`).
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Client => "client",
            Scope::Request => "request",
            Scope::Bulk => "bulk",
            Scope::RateLimit => "rateLimit",
        }
    }
}

/// One option (`default` exists natively only, for `contract.mjs`; the core's defaults are
/// [`crate::Config::default`], which a contract test compares with it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// Where it is given.
    pub scope: Scope,
    /// Its JavaScript name.
    pub name: &'static str,
    /// `integer`, `string`, `boolean`, `function`, `headers`, `signal`, `logger`, `apiKey`,
    /// `rateLimit`, `budgetStore` (`rateLimit.store`: an object with `reserve`, `observe` and
    /// `refund`; the JS layer hands the core its bridge), or the name of one of [`ENUMS`].
    pub ty: &'static str,
    /// The default as JSON text (`null` when there is none, or it is inherited from the client).
    #[cfg(not(target_arch = "wasm32"))]
    pub default: &'static str,
    /// The smallest value of a numeric option.
    pub min: Option<u64>,
    /// The largest value of a numeric option.
    pub max: Option<u64>,
}

const DAY_MS: u64 = 86_400_000;

macro_rules! opt {
    ($scope:ident, $name:literal, $ty:literal, $default:literal) => {
        opt!($scope, $name, $ty, $default, None, None)
    };
    ($scope:ident, $name:literal, $ty:literal, $default:literal, $min:expr, $max:expr) => {
        OptionSpec {
            scope: $scope,
            name: $name,
            ty: $ty,
            #[cfg(not(target_arch = "wasm32"))]
            default: $default,
            min: $min,
            max: $max,
        }
    };
}

macro_rules! int {
    ($scope:ident, $name:literal, $default:literal, $min:expr, $max:expr) => {
        opt!($scope, $name, "integer", $default, Some($min), Some($max))
    };
}

use Scope::{Bulk, Client, RateLimit, Request};

/// Every option of every scope (the `Client` defaults equal [`crate::Config::default`]).
pub static OPTIONS: &[OptionSpec] = &[
    opt!(Client, "apiKey", "apiKey", "null"),
    opt!(Client, "baseUrl", "string", "\"https://api.klipy.ai/api/v1\""),
    opt!(Client, "authScheme", "AuthScheme", "\"header\""),
    int!(Client, "maxRetries", "2", 0, 10),
    int!(Client, "timeoutMs", "30000", 1, DAY_MS),
    int!(Client, "deadlineMs", "null", 1, DAY_MS),
    int!(Client, "maxRetryWaitMs", "60000", 0, DAY_MS),
    int!(Client, "maxResponseBytes", "16777216", 1, crate::config::MAX_RESPONSE_BYTES_LIMIT),
    opt!(Client, "rateLimit", "rateLimit", "\"adaptive\""),
    opt!(Client, "fetch", "function", "null"),
    opt!(Client, "logger", "logger", "null"),
    opt!(Client, "logLevel", "LogLevel", "\"off\""),
    opt!(Client, "onRequest", "function", "null"),
    opt!(Client, "onResponse", "function", "null"),
    opt!(Client, "onRetry", "function", "null"),
    opt!(Client, "onWait", "function", "null"),
    opt!(Client, "dangerouslyAllowBrowser", "boolean", "false"),
    opt!(Client, "userAgent", "string", "null"),
    opt!(Client, "defaultHeaders", "headers", "null"),
    opt!(Request, "signal", "signal", "null"),
    int!(Request, "timeoutMs", "null", 1, DAY_MS),
    int!(Request, "maxRetries", "null", 0, 10),
    int!(Request, "maxResponseBytes", "null", 1, crate::config::MAX_RESPONSE_BYTES_LIMIT),
    opt!(Request, "headers", "headers", "null"),
    int!(Bulk, "concurrency", "4", 1, 256),
    opt!(Bulk, "onProgress", "function", "null"),
    opt!(Bulk, "signal", "signal", "null"),
    opt!(Bulk, "stopOnError", "boolean", "false"),
    int!(RateLimit, "requestsPerMinute", "0", 0, 1_000_000),
    int!(RateLimit, "maxConcurrency", "0", 0, 10_000),
    opt!(RateLimit, "store", "budgetStore", "null"),
    opt!(RateLimit, "group", "string", "null"),
    opt!(RateLimit, "onStoreError", "OnStoreError", "\"local\""),
    int!(RateLimit, "keyLimit", "200", 1, 1_000_000),
    int!(RateLimit, "groupLimit", "1000", 1, 1_000_000),
    int!(RateLimit, "windowMs", "60000", 1, DAY_MS),
    int!(RateLimit, "storeTimeoutMs", "50", 1, 60_000),
];

/// The option `name` of `scope`.
///
/// # Panics
/// When the table has no such option (a programming error, caught by the contract tests).
pub fn option(scope: Scope, name: &str) -> &'static OptionSpec {
    OPTIONS.iter().find(|o| o.scope == scope && o.name == name).expect("the option is in the contract table")
}

/// The string enums a binding needs, by name.
pub static ENUMS: &[(&str, &[&str])] = &[
    ("InteractionType", &crate::request::INTERACTION_TYPES),
    ("InteractionDirection", &crate::request::INTERACTION_DIRECTIONS),
    ("AuthScheme", &["header", "bearer"]),
    ("LogLevel", &["debug", "info", "warn", "error", "off"]),
    ("OnStoreError", &["local", "throw"]),
    ("WebhookEventType", &crate::webhooks::Event::TYPES),
];
