//! `klipy-mock`: the offline Klipy CRM.
//!
//! A local HTTP server that implements the Klipy REST API contract of this project
//! (`klipy-api.md`): the 14 operations under `/api/v1`, the success, list and error envelopes,
//! API keys with scopes, fixed-window rate limits, and a test-control API under `/__mock` for
//! fault injection, a request log and resets. Everything lives in memory and the server only
//! ever binds `127.0.0.1`. With webhook endpoints configured (loopback only), it also sends
//! signed webhook deliveries (`webhooks.md` §8) of what it observes and of events emitted on
//! demand, retried on a scaled schedule.
//!
//! # Starting a server in-process
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use klipy_mock::{ApiKey, MockConfig, Scope};
//!
//! let server = klipy_mock::start(
//!     MockConfig::default()                      // port 0: any free port
//!         .with_key(ApiKey::new("klipy_api_test", vec![Scope::All]))
//!         .with_key(ApiKey::new("klipy_api_readonly", vec![Scope::PeopleRead])),
//! )
//! .await?;
//! println!("{}", server.url());                  // http://127.0.0.1:PORT/api/v1
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # Webhooks
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use klipy_mock::{MockConfig, WebhookUrl};
//!
//! let server = klipy_mock::start(
//!     MockConfig::default()
//!         .with_webhook_url(WebhookUrl::parse("http://127.0.0.1:9000/hooks/klipy")?) // loopback only
//!         .with_webhook_retry_scale(0.001), // 5 ms, 300 ms, 1.8 s, …
//! )
//! .await?;
//! let secret = server.webhook_secret(); // generated: whsec_…, verify deliveries with it
//! // POST /people now sends lead.captured; POST {root}/__mock/webhooks/emit {"type": "deal.closed"}
//! // sends any of the 13 types; GET {root}/__mock/webhooks lists deliveries and attempts.
//! # let _ = secret;
//! # Ok(())
//! # }
//! ```
//!
//! The `klipy-mock` binary is a thin wrapper around [`start`] and [`cli::parse`].

#![warn(missing_docs)]

mod api;
mod auth;
pub mod cli;
mod conn;
mod control;
mod envelope;
mod error;
mod faults;
mod ids;
mod ratelimit;
mod reqlog;
mod routes;
mod scope;
mod seed;
mod server;
mod state;
mod store;
mod time;
pub mod webhooks;
mod www;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use auth::{mask_key, ApiKey};
pub use scope::Scope;
pub use seed::SeedSummary;
pub use store::interactions::{DIRECTIONS as INTERACTION_DIRECTIONS, INTERACTION_TYPES};
pub use webhooks::config::{HeaderFamily, WebhookSecret, WebhookUrl};
pub use webhooks::events::EVENT_TYPES;

/// Largest request body the API accepts (1 MiB); larger bodies get `413 payload_too_large`.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Default number of entries the request log keeps before it drops the oldest.
pub const DEFAULT_REQUEST_LOG_CAPACITY: usize = 100_000;

/// How a mock server is set up: port, keys, rate limits, demo data and static files.
///
/// Build it from [`MockConfig::default`] with the `with_*` methods; every field is public so a
/// caller can also read or set it directly.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MockConfig {
    /// TCP port on 127.0.0.1; `0` picks a free port (the default for the library).
    pub port: u16,
    /// API keys the server accepts. Empty: one random `klipy_api_demo_…` key with scope `ALL`
    /// is generated at start (see [`MockServer::keys`]).
    pub keys: Vec<ApiKey>,
    /// Requests per window allowed for each key (default 200).
    pub per_key_rpm: u32,
    /// Requests per window allowed for the whole organization, all keys together (default 1000).
    pub per_org_rpm: u32,
    /// Length of the fixed rate-limit windows in seconds (default 60).
    pub window_secs: u64,
    /// Create a few companies, people and interactions at start.
    pub seed_demo: bool,
    /// Serve the static files of this folder at `/`.
    pub www: Option<PathBuf>,
    /// Name returned by `GET /authenticate` as `team_name` (default `Klipy Mock`).
    pub team_name: String,
    /// Entries kept by the request log (`GET /__mock/requests`); the oldest are dropped first.
    pub request_log_capacity: usize,
    /// Print one line per API request to stderr.
    pub verbose: bool,
    /// Webhook endpoints (loopback `http://` only). Empty: no deliveries, nothing observed.
    pub webhook_urls: Vec<WebhookUrl>,
    /// Signing secrets; each attempt carries one `v1` signature per secret, in this order.
    /// Empty: one random secret is generated at start (see [`MockServer::webhook_secrets`]).
    pub webhook_secrets: Vec<WebhookSecret>,
    /// Which signature headers deliveries carry (default `svix-*`).
    pub webhook_headers: HeaderFamily,
    /// The Svix retry schedule times this (default 0.01: 50 ms, 3 s, 18 s, …), 0 to 1.
    pub webhook_retry_scale: f64,
    /// How long one attempt may take, connection to status line (default 5 s).
    pub webhook_timeout: Duration,
}

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            port: 0,
            keys: Vec::new(),
            per_key_rpm: 200,
            per_org_rpm: 1000,
            window_secs: 60,
            seed_demo: false,
            www: None,
            team_name: "Klipy Mock".to_owned(),
            request_log_capacity: DEFAULT_REQUEST_LOG_CAPACITY,
            verbose: false,
            webhook_urls: Vec::new(),
            webhook_secrets: Vec::new(),
            webhook_headers: HeaderFamily::default(),
            webhook_retry_scale: webhooks::DEFAULT_RETRY_SCALE,
            webhook_timeout: webhooks::DEFAULT_TIMEOUT,
        }
    }
}

impl MockConfig {
    /// Sets the port (`0` = any free port).
    pub fn with_port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Adds an accepted API key.
    pub fn with_key(mut self, key: ApiKey) -> Self {
        self.keys.push(key);
        self
    }

    /// Sets the per-key and per-organization limits and the window length in seconds.
    pub fn with_limits(mut self, per_key_rpm: u32, per_org_rpm: u32, window_secs: u64) -> Self {
        self.per_key_rpm = per_key_rpm;
        self.per_org_rpm = per_org_rpm;
        self.window_secs = window_secs;
        self
    }

    /// Seeds demo data at start when `true`.
    pub fn with_seed_demo(mut self, seed: bool) -> Self {
        self.seed_demo = seed;
        self
    }

    /// Serves the static files of `dir` at `/`.
    pub fn with_www(mut self, dir: impl Into<PathBuf>) -> Self {
        self.www = Some(dir.into());
        self
    }

    /// Sets the team name returned by `GET /authenticate`.
    pub fn with_team_name(mut self, name: impl Into<String>) -> Self {
        self.team_name = name.into();
        self
    }

    /// Prints one line per API request to stderr when `true`.
    pub fn with_verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }

    /// Adds a webhook endpoint.
    pub fn with_webhook_url(mut self, url: WebhookUrl) -> Self {
        self.webhook_urls.push(url);
        self
    }

    /// Adds a webhook signing secret (several: one signature each, for rotation tests).
    pub fn with_webhook_secret(mut self, secret: WebhookSecret) -> Self {
        self.webhook_secrets.push(secret);
        self
    }

    /// Sets which signature headers deliveries carry.
    pub fn with_webhook_headers(mut self, headers: HeaderFamily) -> Self {
        self.webhook_headers = headers;
        self
    }

    /// Sets the retry-schedule scale (0 to 1; 0 retries at once).
    pub fn with_webhook_retry_scale(mut self, scale: f64) -> Self {
        self.webhook_retry_scale = scale;
        self
    }

    /// Sets the per-attempt timeout of webhook deliveries.
    pub fn with_webhook_timeout(mut self, timeout: Duration) -> Self {
        self.webhook_timeout = timeout;
        self
    }

    fn check(&self) -> Result<(), String> {
        if self.per_key_rpm == 0 {
            return Err("per-key limit must be at least 1".into());
        }
        if self.per_org_rpm == 0 {
            return Err("per-organization limit must be at least 1".into());
        }
        if self.window_secs == 0 || self.window_secs > ratelimit::MAX_WINDOW_SECS {
            return Err(format!("window must be between 1 and {} seconds", ratelimit::MAX_WINDOW_SECS));
        }
        for (i, key) in self.keys.iter().enumerate() {
            auth::check_key(&key.key)?;
            if self.keys[..i].iter().any(|k| k.key == key.key) {
                return Err("the same API key is given twice".into());
            }
        }
        if let Some(dir) = &self.www {
            if !dir.is_dir() {
                return Err(format!("--www {}: not a directory", dir.display()));
            }
        }
        webhooks::config::check_retry_scale(self.webhook_retry_scale)?;
        if self.webhook_timeout.is_zero() {
            return Err("the webhook timeout must be positive".into());
        }
        Ok(())
    }
}

/// A running mock server; stop it with [`MockServer::shutdown`] (dropping it also stops it).
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    keys: Vec<ApiKey>,
    seeded: Option<SeedSummary>,
    webhook_secrets: Vec<WebhookSecret>,
    webhook_urls: Vec<WebhookUrl>,
    webhooks: Arc<webhooks::Webhooks>,
    shutdown: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl MockServer {
    /// Base URL of the API, e.g. `http://127.0.0.1:4010/api/v1`.
    pub fn url(&self) -> String {
        format!("http://{}/api/v1", self.addr)
    }

    /// Root URL of the server (static files and `/__mock`), e.g. `http://127.0.0.1:4010`.
    pub fn root_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address (always on 127.0.0.1).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The accepted keys, including the generated demo key when none was configured.
    pub fn keys(&self) -> &[ApiKey] {
        &self.keys
    }

    /// The first accepted key (the generated demo key when none was configured).
    pub fn demo_key(&self) -> &str {
        self.keys.first().map(|k| k.key.as_str()).unwrap_or("")
    }

    /// What `seed_demo` created at start, if it was set.
    pub fn seed_summary(&self) -> Option<SeedSummary> {
        self.seeded
    }

    /// The webhook signing secrets, including the generated one when none was configured.
    pub fn webhook_secrets(&self) -> &[WebhookSecret] {
        &self.webhook_secrets
    }

    /// The first webhook secret (`whsec_…`): the one a receiver verifies with.
    pub fn webhook_secret(&self) -> &str {
        self.webhook_secrets.first().map(WebhookSecret::expose).unwrap_or("")
    }

    /// The webhook endpoints.
    pub fn webhook_urls(&self) -> &[WebhookUrl] {
        &self.webhook_urls
    }

    /// Stops accepting connections, lets in-flight requests finish (at most about one second)
    /// and closes every connection.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        self.webhooks.stop();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        self.webhooks.stop();
    }
}

/// Starts a mock server on 127.0.0.1 in the current tokio runtime.
///
/// # Errors
///
/// `InvalidInput` for a bad configuration (a zero limit, a malformed key, a `www` path that is
/// not a folder, a webhook retry scale outside 0 … 1), or the error of binding the port.
pub async fn start(config: MockConfig) -> io::Result<MockServer> {
    config.check().map_err(|msg| io::Error::new(io::ErrorKind::InvalidInput, msg))?;
    let mut config = config;
    if config.keys.is_empty() {
        config.keys.push(ApiKey::new(ids::demo_key(), vec![Scope::All]));
    }
    if config.webhook_secrets.is_empty() {
        config.webhook_secrets.push(WebhookSecret::generate());
    }
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
    let addr = listener.local_addr()?;
    let state = Arc::new(state::AppState::new(&config));
    let seeded = if config.seed_demo { Some(state.seed_demo()) } else { None };
    let webhooks = Arc::clone(&state.webhooks);
    let router = server::router(state);
    let (shutdown, shutdown_rx) = watch::channel(false);
    let task = tokio::spawn(server::serve(listener, router, shutdown_rx));
    Ok(MockServer {
        addr,
        keys: config.keys,
        seeded,
        webhook_secrets: config.webhook_secrets,
        webhook_urls: config.webhook_urls,
        webhooks,
        shutdown,
        task: Some(task),
    })
}
