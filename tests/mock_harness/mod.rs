#![allow(dead_code)]
//! A real klipy-mock on 127.0.0.1 (in-process, one per test) and a native client pointed at it,
//! plus a few raw loopback listeners for what the mock cannot do (count connections, stream an
//! endless chunked body).

use klipy_mock::{ApiKey as MockKey, MockConfig, MockServer, Scope};
use klipy_sdk::{Client, Config, ReqwestTransport};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The key the mock accepts in these tests (not a real key's shape).
pub const KEY: &str = "klipy_api_native_e2e";

pub struct Mock {
    pub server: MockServer,
    control: reqwest::Client,
}

impl Mock {
    pub async fn start() -> Self {
        let server = klipy_mock::start(MockConfig::default().with_key(MockKey::new(KEY, vec![Scope::All])))
            .await
            .expect("klipy-mock starts");
        // With `reqwest-ring` alone, reqwest has no TLS provider until ReqwestTransport::new()
        // installs ring, and building any reqwest client before that panics (documented).
        let _ = ReqwestTransport::new();
        let control = reqwest::Client::builder().no_proxy().build().expect("control client");
        Self { server, control }
    }

    /// A client over the default transport, with `config` (its base URL replaced by the mock's).
    pub fn client_with(&self, config: Config) -> Client<ReqwestTransport> {
        Client::builder().config(config).base_url(&self.server.url()).api_key(KEY).build().expect("client builds")
    }

    pub fn client(&self) -> Client<ReqwestTransport> {
        self.client_with(Config::default())
    }

    /// Queues faults (`POST /__mock/faults`).
    pub async fn faults(&self, faults: Value) {
        let r = self
            .control
            .post(format!("{}/__mock/faults", self.server.root_url()))
            .header("content-type", "application/json")
            .body(faults.to_string())
            .send()
            .await
            .expect("fault request");
        assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap_or_default());
    }

    /// The request log (`GET /__mock/requests`).
    pub async fn requests(&self) -> Vec<Value> {
        let r = self.control.get(format!("{}/__mock/requests", self.server.root_url())).send().await.expect("log");
        let v: Value = serde_json::from_str(&r.text().await.expect("log body")).expect("log json");
        v["requests"].as_array().cloned().unwrap_or_default()
    }

    /// `(method, path, status, retryCount)` of every logged request to `path`.
    pub async fn log_for(&self, path: &str) -> Vec<(String, u64, Option<u64>)> {
        self.requests()
            .await
            .into_iter()
            .filter(|r| r["path"] == path)
            .map(|r| {
                (
                    r["method"].as_str().unwrap_or("").to_string(),
                    r["status"].as_u64().unwrap_or(0),
                    r["retryCount"].as_u64(),
                )
            })
            .collect()
    }
}

/// The default config with one change.
pub fn config(change: impl FnOnce(&mut Config)) -> Config {
    let mut c = Config::default();
    change(&mut c);
    c
}

/// A loopback listener that counts connections and keeps the first bytes each one sent.
pub struct Witness {
    pub url: String,
    pub connections: Arc<AtomicUsize>,
    pub seen: Arc<std::sync::Mutex<Vec<String>>>,
}

impl Witness {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let (c, s) = (connections.clone(), seen.clone());
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                c.fetch_add(1, Ordering::SeqCst);
                let mut buf = vec![0u8; 4096];
                let n = sock.read(&mut buf).await.unwrap_or(0);
                s.lock().unwrap().push(String::from_utf8_lossy(&buf[..n]).into_owned());
                let _ = sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}").await;
            }
        });
        Self { url, connections, seen }
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// A loopback server that answers every request with a 200 whose chunked body never ends;
/// `written` counts the body bytes it managed to write before the client went away.
pub struct EndlessBody {
    pub base_url: String,
    pub written: Arc<AtomicUsize>,
    pub closed: Arc<tokio::sync::Notify>,
}

impl EndlessBody {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}/api/v1", listener.local_addr().unwrap());
        let written = Arc::new(AtomicUsize::new(0));
        let closed = Arc::new(tokio::sync::Notify::new());
        let (w, done) = (written.clone(), closed.clone());
        tokio::spawn(async move {
            while let Ok((mut sock, _)) = listener.accept().await {
                let (w, done) = (w.clone(), done.clone());
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 4096];
                    let _ = sock.read(&mut buf).await;
                    let head =
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
                    if sock.write_all(head.as_bytes()).await.is_err() {
                        done.notify_one();
                        return;
                    }
                    let chunk = format!("{:x}\r\n{}\r\n", 1024, " ".repeat(1024));
                    // Stop on our own after 64 MiB so a broken client cannot hang the test.
                    for _ in 0..65_536 {
                        if sock.write_all(chunk.as_bytes()).await.is_err() {
                            break;
                        }
                        w.fetch_add(1024, Ordering::SeqCst);
                    }
                    done.notify_one();
                });
            }
        });
        Self { base_url, written, closed }
    }
}
