//! Outbound webhooks (webhooks.md §8): signed deliveries of the events the mock observes from
//! REST calls and of events emitted on demand, retried on a scaled Svix schedule, with a log.
//!
//! - [`config`]: endpoint URLs (loopback only), secrets, header family, retry scale;
//! - `sign`: Standard Webhooks signatures; `events` / `samples`: types, ids, envelope, payloads;
//! - `observe`: which REST calls emit what; `deliver`: the attempts; `log`: what happened;
//! - `control`: `/__mock/webhooks`.

pub mod config;
pub(crate) mod control;
mod deliver;
pub(crate) mod events;
mod log;
pub(crate) mod observe;
mod samples;
mod sign;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use parking_lot::Mutex;
use serde_json::Value;
use tokio::sync::watch;

use self::config::{HeaderFamily, WebhookSecret, WebhookUrl};
use self::deliver::Message;
use self::log::{Delivery, DeliveryLog, Source, Status};

/// Default `--webhook-retry-scale`: the Svix schedule times 0.01 (50 ms, 3 s, 18 s, …).
pub const DEFAULT_RETRY_SCALE: f64 = 0.01;

/// Default per-attempt response timeout (Svix: 15 s; the mock: 5 s).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// What deliveries need, fixed at start.
#[derive(Debug)]
pub(crate) struct Settings {
    pub urls: Vec<WebhookUrl>,
    pub secrets: Vec<WebhookSecret>,
    pub headers: HeaderFamily,
    pub retry_scale: f64,
    pub timeout: Duration,
}

/// The webhook sender: settings, the delivery log and the cancellation epoch.
#[derive(Debug)]
pub(crate) struct Webhooks {
    pub settings: Settings,
    log: Mutex<DeliveryLog>,
    /// Bumped by a clear or a shutdown: every delivery started before stops.
    epoch: watch::Sender<u64>,
    /// Set at shutdown: nothing new is sent.
    stopped: AtomicBool,
}

impl Webhooks {
    pub fn new(settings: Settings) -> Self {
        Webhooks {
            settings,
            log: Mutex::new(DeliveryLog::new(log::CAPACITY)),
            epoch: watch::Sender::new(0),
            stopped: AtomicBool::new(false),
        }
    }

    /// Whether any endpoint is configured (REST calls are observed only then) and the server
    /// is not stopping.
    pub fn active(&self) -> bool {
        !self.settings.urls.is_empty() && !self.stopped.load(Ordering::Relaxed)
    }

    /// Sends one event to every endpoint in the background; returns the message id and the
    /// number of endpoints. Must run inside the tokio runtime.
    pub fn send(self: &Arc<Self>, event_type: &str, data: Value, source: Source) -> (String, usize) {
        let message =
            Arc::new(Message { id: events::message_id(), body: Bytes::from(events::envelope(event_type, data)) });
        let epoch = *self.epoch.borrow();
        let now = crate::time::now_ms();
        if self.stopped.load(Ordering::Relaxed) {
            // A request served while the server drains: nothing may outlive the server.
            return (message.id.clone(), 0);
        }
        for url in &self.settings.urls {
            let seq = self.log.lock().push(Delivery {
                id: message.id.clone(),
                event_type: event_type.to_owned(),
                url: url.as_str().to_owned(),
                source,
                status: Status::Pending,
                attempts: Vec::new(),
                next_attempt_at: Some(now),
            });
            tokio::spawn(deliver::run(Arc::clone(self), seq, url.clone(), Arc::clone(&message), epoch));
        }
        (message.id.clone(), self.settings.urls.len())
    }

    /// Sends events observed from a REST call.
    pub fn send_observed(self: &Arc<Self>, observed: Vec<(&'static str, Value)>) {
        for (event_type, data) in observed {
            self.send(event_type, data, Source::Api);
        }
    }

    /// Cancels every pending delivery and empties the log.
    pub fn clear(&self) {
        self.cancel_all();
        self.log.lock().clear();
    }

    /// At shutdown: cancels every pending delivery and sends nothing new; the log stays.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
        self.cancel_all();
    }

    fn cancel_all(&self) {
        self.epoch.send_modify(|e| *e += 1);
    }

    /// `{"endpoints": [...], "deliveries": [...]}`, serialized.
    pub fn snapshot(&self) -> Vec<u8> {
        let urls: Vec<&str> = self.settings.urls.iter().map(WebhookUrl::as_str).collect();
        let log = self.log.lock();
        let deliveries: Vec<&Delivery> = log.entries().collect();
        serde_json::to_vec(&serde_json::json!({ "endpoints": urls, "deliveries": deliveries })).unwrap_or_default()
    }
}
