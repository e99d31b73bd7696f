#![allow(dead_code)]
//! Shared helpers: a client over a scripted transport with a fake clock.

pub use futures_executor::block_on;
pub use klipy_sdk::transport::scripted::{ManualTime, MaxRandom, ScriptedTransport, Step};
use klipy_sdk::{ApiKey, Client, Config, Hooks, LogLevel, RequestEvent, ResponseEvent, RetryEvent, WaitEvent};
use serde_json::Value;
use std::sync::{Arc, Mutex};

/// The fake key every test uses; tests assert it never leaks.
pub const KEY: &str = "klipy_api_testkey123";
/// Start of the fake clock: 2023-11-14T22:13:20Z.
pub const T0: u64 = 1_700_000_000_000;

pub fn client_with(transport: ScriptedTransport, config: Config) -> (Client<ScriptedTransport>, ManualTime) {
    let time = ManualTime::new(T0);
    let client = Client::builder_with(transport)
        .config(config)
        .api_key(ApiKey::new(KEY).unwrap())
        .sleep(time.clone())
        .clock(time.clone())
        .random(MaxRandom)
        .build()
        .unwrap();
    (client, time)
}

pub fn client(steps: Vec<Step>) -> (Client<ScriptedTransport>, ScriptedTransport, ManualTime) {
    let t = ScriptedTransport::new(steps);
    let (c, time) = client_with(t.clone(), Config::default());
    (c, t, time)
}

pub fn body_json(req: &klipy_sdk::HttpRequest) -> serde_json::Value {
    serde_json::from_slice(req.body.as_deref().expect("a body")).unwrap()
}

/// (reason, ms, request id) of each wait.
pub type Waits = Vec<(String, u64, Option<String>)>;

/// Hooks that record everything: each event and log line as text (`texts`, for leak checks), the
/// log lines by level (`logs`) and the waits (`waits`).
#[derive(Default, Clone)]
pub struct Recorder {
    pub texts: Arc<Mutex<Vec<String>>>,
    pub logs: Arc<Mutex<Vec<(LogLevel, String)>>>,
    pub waits: Arc<Mutex<Waits>>,
}

impl Recorder {
    fn text(&self, t: String) {
        self.texts.lock().unwrap().push(t);
    }
    /// How many lines of `level` say exactly `message`.
    pub fn lines(&self, level: LogLevel, message: &str) -> usize {
        self.logs.lock().unwrap().iter().filter(|(l, m)| *l == level && m == message).count()
    }
}

impl Hooks for Recorder {
    fn on_request(&self, e: &RequestEvent<'_>) {
        self.text(format!("{e:?}"));
    }
    fn on_response(&self, e: &ResponseEvent<'_>) {
        self.text(format!("{e:?}"));
    }
    fn on_retry(&self, e: &RetryEvent<'_>) {
        self.text(format!("{e:?}"));
    }
    fn on_wait(&self, e: &WaitEvent<'_>) {
        self.text(format!("{e:?}"));
        self.waits.lock().unwrap().push((e.reason.as_str().into(), e.ms, e.request_id.map(str::to_string)));
    }
    fn log(&self, level: LogLevel, message: &str, fields: &[(&str, Value)]) {
        self.text(format!("{level:?} {message} {fields:?}"));
        self.logs.lock().unwrap().push((level, message.to_string()));
    }
}

/// A server that allows `limit` requests in a window resetting at `reset` (epoch seconds), as
/// `X-RateLimit-*` headers say.
pub fn window_transport(limit: u32, reset: String) -> ScriptedTransport {
    let n = Arc::new(Mutex::new(0u32));
    ScriptedTransport::with_handler(move |_| {
        let mut n = n.lock().unwrap();
        *n += 1;
        let remaining = limit.saturating_sub(*n).to_string();
        Step::ok(200, serde_json::json!({"id": "per_1", "email": "a@b.co"}))
            .header("x-ratelimit-limit", &limit.to_string())
            .header("x-ratelimit-remaining", &remaining)
            .header("x-ratelimit-reset", &reset)
    })
}
