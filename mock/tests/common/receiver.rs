//! A webhook receiver on 127.0.0.1 for the webhook tests: records every request, answers with
//! scripted statuses (204 once the script runs out), optionally after a delay; plus an
//! independent Standard Webhooks check of what it got.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use hmac::{Hmac, KeyInit, Mac};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::header::HeaderMap;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use parking_lot::Mutex;
use serde_json::Value;
use sha2::Sha256;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tokio::task::JoinHandle;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    pub fn event_type(&self) -> String {
        self.json()["type"].as_str().unwrap_or_default().to_owned()
    }
}

#[derive(Default)]
struct Inner {
    received: Mutex<Vec<Received>>,
    script: Mutex<VecDeque<u16>>,
    delay: Mutex<Duration>,
    notify: Notify,
}

pub struct Receiver {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
    task: JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Receiver {
    /// A receiver on a free port.
    pub async fn start() -> Receiver {
        Receiver::start_on("127.0.0.1:0".parse().unwrap()).await
    }

    /// A receiver on the given address (e.g. a port that was down before).
    pub async fn start_on(addr: SocketAddr) -> Receiver {
        let listener = TcpListener::bind(addr).await.expect("receiver binds");
        let addr = listener.local_addr().unwrap();
        let inner = Arc::new(Inner::default());
        let shared = Arc::clone(&inner);
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { continue };
                let shared = Arc::clone(&shared);
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |req| handle(Arc::clone(&shared), req));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Receiver { addr, inner, task }
    }

    pub fn url(&self) -> String {
        format!("http://{}/hooks/klipy", self.addr)
    }

    /// The statuses of the next answers, in order; 204 after them.
    pub fn answer(&self, statuses: &[u16]) {
        self.inner.script.lock().extend(statuses.iter().copied());
    }

    /// Waits this long before answering.
    pub fn delay(&self, delay: Duration) {
        *self.inner.delay.lock() = delay;
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.received.lock().clone()
    }

    /// Waits until at least `n` requests came (panics after `timeout`).
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        loop {
            let notified = self.inner.notify.notified();
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "expected {n} webhook requests within {timeout:?}, got {}", got.len());
            let _ = tokio::time::timeout(left, notified).await;
        }
    }
}

async fn handle(inner: Arc<Inner>, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, hyper::Error> {
    let (parts, body) = req.into_parts();
    let body = body.collect().await?.to_bytes();
    let delay = *inner.delay.lock();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let status = inner.script.lock().pop_front().unwrap_or(204);
    inner.received.lock().push(Received {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        headers: parts.headers,
        body,
        at: Instant::now(),
    });
    inner.notify.notify_waiters();
    let mut response = Response::new(Full::new(Bytes::from_static(b"ok")));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap();
    Ok(response)
}

/// `v1,` + base64 HMAC-SHA256 of `{id}.{ts}.{body}` with the decoded secret: computed here,
/// not with the mock's signer.
pub fn expected_signature(secret: &str, id: &str, timestamp: &str, body: &[u8]) -> String {
    let key = STANDARD.decode(secret.strip_prefix("whsec_").expect("whsec_ prefix")).expect("base64 secret");
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(body);
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// Whether any `v1` entry of the `{prefix}-signature` header matches `secret`.
pub fn verifies(r: &Received, prefix: &str, secret: &str) -> bool {
    let id = r.header(&format!("{prefix}-id"));
    let ts = r.header(&format!("{prefix}-timestamp"));
    let expected = expected_signature(secret, id, ts, &r.body);
    !id.is_empty() && r.header(&format!("{prefix}-signature")).split(' ').any(|entry| entry == expected)
}
