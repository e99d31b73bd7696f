//! # klipy-sdk
//!
//! A client for the [Klipy CRM](https://klipy.ai) REST API. The same core runs natively and,
//! compiled to WebAssembly, inside the `klipy-sdk` npm package (Node.js, Deno, Cloudflare
//! Workers, Bun, browsers).
//!
//! ## Quick start
//!
//! With the default `reqwest` feature the crate brings its own HTTP client; add tokio:
//!
//! ```toml
//! [dependencies]
//! klipy-sdk = "0.1"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! ```no_run
//! use klipy_sdk::{Client, NewPerson, QueryParams, StreamExt};
//!
//! #[tokio::main]
//! async fn main() -> Result<(), klipy_sdk::Error> {
//!     // KLIPY_API_KEY (required) and KLIPY_BASE_URL (optional) from the environment.
//!     let client = Client::from_env()?;
//!     println!("team: {}", client.authenticate().await?.team_name);
//!
//!     let ada = NewPerson { email: "ada@example.com".into(), first_name: Some("Ada".into()), ..Default::default() };
//!     let person = client.people().upsert(&ada).await?;
//!     println!("upserted {}", person.id);
//!
//!     // Every person, fetched lazily one page at a time.
//!     let mut people = client.people().query(QueryParams::default()).stream();
//!     while let Some(p) = people.next().await {
//!         println!("{}", p?.email);
//!     }
//!     Ok(())
//! }
//! ```
//!
//! Or build the client yourself: `Client::builder()` needs no transport argument.
//!
//! ```no_run
//! # fn demo() -> Result<(), klipy_sdk::Error> {
//! let mut config = klipy_sdk::Config::default();
//! config.max_retries = 4;
//! config.deadline_ms = Some(60_000);
//! let client = klipy_sdk::Client::builder()
//!     .config(config)
//!     .api_key("klipy_api_example")
//!     .base_url("http://127.0.0.1:4010/api/v1")        // https:, or http: to loopback
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! ## Resources
//!
//! `client.authenticate()`, `client.people()` (`get`, `query`, `create`, `upsert`, `update`,
//! `delete`, `upsert_many`), `client.companies()` (`get`, `create`, `update`, `delete`) and
//! `client.interactions()` (`get`, `query`, `create`, `create_many`). Inputs are the typed
//! `New…` structs or any `Serialize` value (a `serde_json::json!` object works); outputs are
//! typed models that keep fields this version does not know in `extra`. [`Client::request`]
//! reaches any path under the base URL.
//!
//! ## Per-call options
//!
//! [`RequestOptions`] sets a timeout, a retry count, a body cap, extra headers and a
//! [`CancelToken`] (the `AbortSignal` of the JavaScript API) for one call, or for every call of a
//! resource handle with `with_options`:
//!
//! ```no_run
//! # async fn demo(client: klipy_sdk::Client<klipy_sdk::ReqwestTransport>) -> Result<(), klipy_sdk::Error> {
//! use klipy_sdk::{CancelToken, RequestOptions};
//! let cancel = CancelToken::new();
//! let opts = RequestOptions {
//!     timeout_ms: Some(5_000),
//!     headers: vec![("x-trace-id".into(), "abc123".into())],
//!     cancel: Some(cancel.clone()),
//!     ..Default::default()
//! };
//! let team = client.authenticate_with(&opts).await?;
//! let person = client.people().with_options(opts).get("per_123").await?;
//! // cancel.cancel() from elsewhere ends the call with ErrorKind::UserAbort.
//! # Ok(()) }
//! ```
//!
//! ## Errors
//!
//! Every call returns [`Error`], whose [`ErrorKind`] matches the JavaScript error classes
//! (`NotFound` ↔ `NotFoundError`, …). API errors carry the status, the API's code, its request id
//! and the number of attempts; rate-limit errors say how long to wait. `Display` says what to do
//! next and never contains the key.
//!
//! ```no_run
//! # async fn demo(client: klipy_sdk::Client<klipy_sdk::ReqwestTransport>) {
//! use klipy_sdk::ErrorKind;
//! match client.people().get("per_missing").await {
//!     Ok(person) => println!("{}", person.email),
//!     Err(e) if e.kind() == ErrorKind::NotFound => println!("no such person ({:?})", e.request_id()),
//!     Err(e) if e.kind() == ErrorKind::RateLimit => println!("slow down for {:?}", e.retry_after()),
//!     Err(e) => println!("{e} (status {:?}, {} attempts)", e.status(), e.attempts()),
//! }
//! # }
//! ```
//!
//! ## Retries, deadlines and pacing
//!
//! Connection errors, timeouts, 408, 429 and 500/502/503/504 are retried (by default twice) for
//! operations that are safe to replay; 429 and 503 with `Retry-After` are retried for every
//! operation. The wait is the server's (`retry-after-ms`, `Retry-After`, `X-RateLimit-Reset`)
//! or full-jitter exponential backoff. [`Config::deadline_ms`] bounds a whole call, and
//! [`RateLimitMode::Adaptive`] (the default) waits for the window reset instead of spending a
//! request on a 429. Several clients, processes or hosts on one key (or one organization) can
//! draw from one shared budget instead: see the [`budget`] module.
//!
//! ## Pagination and bulk work
//!
//! Queries are lazy: [`pagination::Query::page`] fetches one [`Page`] (its `next_cursor` resumes
//! later), and [`pagination::Query::stream`] yields every item, one page at a time, as a
//! [`Stream`]. `upsert_many` and `create_many` run with bounded concurrency and account for every
//! input in a [`BulkResult`]:
//!
//! ```no_run
//! # async fn demo(client: klipy_sdk::Client<klipy_sdk::ReqwestTransport>) {
//! use klipy_sdk::{BulkOptions, NewPerson};
//! let inputs: Vec<NewPerson> = (0..100)
//!     .map(|i| NewPerson { email: format!("p{i}@example.com"), ..Default::default() })
//!     .collect();
//! let opts = BulkOptions {
//!     concurrency: 8,
//!     on_progress: Some(Box::new(|p| println!("{}/{} done, {} failed", p.done, p.total, p.failed))),
//!     ..Default::default()
//! };
//! let result = client.people().upsert_many(&inputs, opts).await;
//! for f in &result.failed {
//!     println!("#{}: {}", f.index, f.error);
//! }
//! # }
//! ```
//!
//! ## Cargo features
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `reqwest` | yes | `ReqwestTransport` (reqwest 0.13, rustls with aws-lc-rs), `TokioSleep`, `Client::builder()`, `Client::from_env()`. Needs a tokio runtime |
//! | `reqwest-ring` | no | the same with rustls on *ring* (use `default-features = false, features = ["reqwest-ring"]`); installs ring as the process-wide rustls provider unless one is installed |
//! | `budget-redis` | no | `budget::redis::RedisBudgetStore`: a rate-limit budget shared by a fleet, kept in Redis (the `redis` crate, tokio) |
//! | `test-util` | no | `transport::scripted`: a `ScriptedTransport` that plays canned responses and records requests, `ManualTime` (a clock that moves only when the client sleeps) and `MaxRandom`, for your own tests |
//!
//! With `default-features = false` the crate has no HTTP client: bring a [`Transport`]. On
//! `wasm32` reqwest and tokio are never compiled, whatever the features.
//!
//! ## Transports
//!
//! The core talks to the network only through a [`Transport`]: one method, an owned
//! [`HttpRequest`] in, a future of an [`HttpResponse`] out. Time and randomness are injected too
//! ([`Sleep`], [`Clock`], [`Random`]), with native defaults. Every transport **must**:
//!
//! - **never follow a redirect**: answer a 3xx with [`TransportError::Redirect`]; following it
//!   would carry the API key to whatever origin the `Location` names;
//! - **cap the body** at [`HttpRequest::max_response_bytes`]: refuse a larger `Content-Length`
//!   before reading, read the body incrementally and stop the moment the cap is passed, answering
//!   [`TransportError::TooLarge`];
//! - **cancel the request when its future is dropped** (the core's timeouts and cancellation
//!   drop it), and report connection failures as [`TransportError::Connect`] with the reason.
//!
//! ```
//! use klipy_sdk::rt::BoxFuture;
//! use klipy_sdk::{Client, HttpRequest, HttpResponse, Transport, TransportError};
//!
//! struct MyTransport;
//!
//! impl Transport for MyTransport {
//!     fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
//!         Box::pin(async move {
//!             // Send `request` with your HTTP client: redirects off, body capped at
//!             // `request.max_response_bytes`.
//!             let _ = request;
//!             Err(TransportError::Connect("not wired up yet".into()))
//!         })
//!     }
//! }
//!
//! let client = Client::builder_with(MyTransport).api_key("klipy_api_example").build()?;
//! # Ok::<(), klipy_sdk::Error>(())
//! ```
//!
//! ## Testing without a network
//!
//! With `klipy-sdk = { …, features = ["test-util"] }` under `[dev-dependencies]`, a
//! `ScriptedTransport` answers from a script and a `ManualTime` makes retries instant. For
//! end-to-end tests, run `klipy-mock` (this project's offline Klipy) on 127.0.0.1.
//!
//! ```
//! # #[cfg(feature = "test-util")] {
//! use klipy_sdk::transport::scripted::{ManualTime, ScriptedTransport, Step};
//! use klipy_sdk::{Client, NewPerson};
//! use serde_json::json;
//!
//! # futures_executor::block_on(async {
//! let transport = ScriptedTransport::new([
//!     Step::json(503, json!({})),
//!     Step::ok(200, json!({"id": "per_1", "email": "ada@example.com"})),
//! ]);
//! let time = ManualTime::new(0);
//! let client = Client::builder_with(transport.clone())
//!     .api_key("klipy_api_example")
//!     .sleep(time.clone())
//!     .clock(time)
//!     .build()?;
//! let person = client
//!     .people()
//!     .upsert(&NewPerson { email: "ada@example.com".into(), first_name: Some("Ada".into()), ..Default::default() })
//!     .await?;
//! assert_eq!(person.id, "per_1");
//! assert_eq!(transport.requests().len(), 2); // the 503 was retried
//! # Ok::<(), klipy_sdk::Error>(())
//! # }).unwrap();
//! # }
//! ```
//!
//! ## WebAssembly
//!
//! On `wasm32-unknown-unknown` the `wasm` module (fetch transport, `setTimeout` sleep, `Date.now`
//! clock, `crypto` randomness) is compiled in and exported through wasm-bindgen for the npm
//! package. Nothing else in the crate names a JavaScript type.

#![warn(missing_docs)]

// Native only for now: the wasm build has no room left for it (see the module docs).
pub mod budget;
pub mod bulk;
mod cancel;
mod client;
mod config;
pub mod contract;
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
pub mod wire;

#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub mod wasm;

#[cfg(all(any(feature = "reqwest", feature = "reqwest-ring"), not(target_arch = "wasm32")))]
pub mod native;
#[cfg(all(any(feature = "reqwest", feature = "reqwest-ring"), not(target_arch = "wasm32")))]
pub use native::{ReqwestTransport, TokioSleep};

pub use bulk::{BulkFailure, BulkOptions, BulkProgress, BulkResult, BulkSuccess};
pub use cancel::CancelToken;
pub use client::{
    ApiResponse, Client, ClientBuilder, Hooks, KeyProvider, LogLevel, NoHooks, RequestEvent, RequestOptions,
    ResponseEvent, RetryEvent, WaitEvent, WaitReason,
};
pub use config::{
    ApiKey, AuthScheme, Config, IntoApiKey, RateLimitMode, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BYTES,
    MAX_RESPONSE_BYTES_LIMIT,
};
pub use error::{Error, ErrorKind, RateLimitInfo};
/// Re-exported so that `query(…).stream()` can be walked with `.next().await` without adding
/// `futures` to your dependencies.
pub use futures_util::stream::{Stream, StreamExt};
pub use pagination::Page;
pub use request::QueryParams;
pub use resources::{
    Companies, Company, Deleted, Direction, Interaction, InteractionCreated, InteractionType, Interactions, NewCompany,
    NewInteraction, NewPerson, People, Person, Team,
};
pub use rt::{Clock, Random, Sleep};
pub use transport::{HttpRequest, HttpResponse, Method, Transport, TransportError};
