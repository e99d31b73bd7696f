//! # klipy-sdk
//!
//! A client for the [Klipy CRM](https://klipy.ai) REST API. The same core runs natively and,
//! compiled to WebAssembly, inside the `klipy-sdk` npm package (Node.js, Deno, Cloudflare
//! Workers, Bun, browsers).
//!
//! ## Usage
//!
//! The core talks to the network only through a [`Transport`]; bring your HTTP client of choice.
//! Time and randomness are injected too ([`Sleep`], [`Clock`], [`Random`]), with native defaults.
//!
//! ```
//! use klipy_sdk::{ApiKey, Client, NewPerson};
//! use klipy_sdk::transport::scripted::{ScriptedTransport, Step};
//! use serde_json::json;
//!
//! # futures_executor::block_on(async {
//! let transport = ScriptedTransport::new([Step::ok(200, json!({"id": "per_1", "email": "ada@example.com"}))]);
//! let client = Client::builder(transport)
//!     .api_key(ApiKey::new("klipy_api_example")?)
//!     .build()?;
//! let person = client
//!     .people()
//!     .upsert(&NewPerson { email: "ada@example.com".into(), first_name: Some("Ada".into()), ..Default::default() })
//!     .await?;
//! assert_eq!(person.id, "per_1");
//! # Ok::<(), klipy_sdk::Error>(())
//! # }).unwrap();
//! ```
//!
//! ## Errors
//!
//! Every call returns [`Error`], whose [`ErrorKind`] matches the JavaScript error classes
//! (`NotFound` ↔ `NotFoundError`, …). API errors carry the status, the API's code, its request id
//! and the number of attempts. `Display` says what to do next and never contains the key.
//!
//! ## Retries, deadlines and pacing
//!
//! Connection errors, timeouts, 408, 429 and 500/502/503/504 are retried (by default twice) for
//! operations that are safe to replay; 429 and 503 with `Retry-After` are retried for every
//! operation. The wait is the server's (`retry-after-ms`, `Retry-After`, `X-RateLimit-Reset`)
//! or full-jitter exponential backoff. [`Config::deadline_ms`] bounds a whole call, and
//! [`RateLimitMode::Adaptive`] (the default) waits for the window reset instead of spending a
//! request on a 429.
//!
//! ## Pagination and bulk work
//!
//! Queries are lazy: [`pagination::Query::page`] fetches one [`Page`], and
//! [`pagination::Query::stream`] yields every item, one page at a time. `upsert_many` and
//! `create_many` run with bounded concurrency and account for every input in a [`BulkResult`].
//!
//! ## WebAssembly
//!
//! On `wasm32-unknown-unknown` the `wasm` module (fetch transport, `setTimeout` sleep, `Date.now`
//! clock, `crypto` randomness) is compiled in and exported through wasm-bindgen for the npm
//! package. Nothing else in the crate names a JavaScript type.

#![warn(missing_docs)]

pub mod bulk;
mod cancel;
mod client;
mod config;
mod error;
pub mod options;
pub mod pagination;
mod ratelimit;
pub mod request;
pub mod resources;
pub mod response;
pub mod retry;
pub mod rt;
mod time;
pub mod transport;
pub mod webhooks;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub mod wasm;

pub use bulk::{BulkFailure, BulkOptions, BulkProgress, BulkResult, BulkSuccess};
pub use cancel::CancelToken;
pub use client::{
    ApiResponse, Client, ClientBuilder, Hooks, KeyProvider, LogLevel, NoHooks, RequestEvent, RequestOptions,
    ResponseEvent, RetryEvent, WaitEvent, WaitReason,
};
pub use config::{
    ApiKey, AuthScheme, Config, RateLimitMode, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES, MAX_RESPONSE_BYTES_LIMIT,
};
pub use error::{Error, ErrorKind, RateLimitInfo};
pub use pagination::Page;
pub use request::QueryParams;
pub use resources::{
    Companies, Company, Deleted, Direction, Interaction, InteractionCreated, InteractionType, Interactions, NewCompany,
    NewInteraction, NewPerson, People, Person, Team,
};
pub use rt::{Clock, Random, Sleep};
pub use transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};
