#![allow(dead_code)]
//! Shared helpers: a client over a scripted transport with a fake clock.

pub use futures_executor::block_on;
pub use klipy_sdk::transport::scripted::{ManualTime, MaxRandom, ScriptedTransport, Step};
use klipy_sdk::{ApiKey, Client, Config};

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
