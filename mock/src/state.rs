//! Shared server state: keys, store, limiter, faults and request log, each behind its own lock
//! so a request holds each one only for a moment.

use std::path::PathBuf;
use std::sync::Arc;

use parking_lot::Mutex;

use crate::auth::KeyTable;
use crate::faults::FaultQueue;
use crate::ratelimit::{Limits, RateLimiter};
use crate::reqlog::RequestLog;
use crate::seed::{self, SeedSummary};
use crate::store::Store;
use crate::webhooks::{Settings, Webhooks};
use crate::MockConfig;

#[derive(Debug)]
pub(crate) struct AppState {
    pub keys: KeyTable,
    pub store: Mutex<Store>,
    pub limiter: Mutex<RateLimiter>,
    pub faults: Mutex<FaultQueue>,
    pub log: Mutex<RequestLog>,
    pub webhooks: Arc<Webhooks>,
    /// Limits given at start; `POST /__mock/reset` returns to them.
    pub startup_limits: Limits,
    pub team_name: String,
    pub www: Option<PathBuf>,
    pub verbose: bool,
}

impl AppState {
    pub fn new(config: &MockConfig) -> Self {
        let limits = Limits {
            per_key_rpm: config.per_key_rpm,
            per_org_rpm: config.per_org_rpm,
            window_secs: config.window_secs,
        };
        AppState {
            keys: KeyTable::new(&config.keys),
            store: Mutex::new(Store::new()),
            limiter: Mutex::new(RateLimiter::new(limits, config.keys.len())),
            faults: Mutex::new(FaultQueue::default()),
            log: Mutex::new(RequestLog::new(config.request_log_capacity)),
            webhooks: Arc::new(Webhooks::new(Settings {
                urls: config.webhook_urls.clone(),
                secrets: config.webhook_secrets.clone(),
                headers: config.webhook_headers,
                retry_scale: config.webhook_retry_scale,
                timeout: config.webhook_timeout,
            })),
            startup_limits: limits,
            team_name: config.team_name.clone(),
            www: config.www.clone(),
            verbose: config.verbose,
        }
    }

    /// Adds the demo data to the store.
    pub fn seed_demo(&self) -> SeedSummary {
        seed::demo(&mut self.store.lock())
    }

    /// Back to the start state: empty store, logs and faults, no pending webhook retries,
    /// startup limits with fresh windows.
    pub fn reset(&self, seed_demo: bool) -> Option<SeedSummary> {
        {
            let mut store = self.store.lock();
            store.reset();
        }
        self.log.lock().clear();
        self.faults.lock().clear();
        self.webhooks.clear();
        self.limiter.lock().set(self.startup_limits);
        seed_demo.then(|| self.seed_demo())
    }
}
