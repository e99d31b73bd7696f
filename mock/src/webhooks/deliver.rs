//! One delivery (a message to one endpoint): signed attempts over HTTP/1.1 on the scaled Svix
//! schedule until a 2xx or the 8th attempt (webhooks.md §4, §8).

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, USER_AGENT};
use axum::http::{Method, Request};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use super::config::WebhookUrl;
use super::log::{Attempt, Status};
use super::{sign, Webhooks};
use crate::time;

/// Svix's waits after each failed attempt, in seconds: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
/// With the first (immediate) attempt that makes 8 attempts.
pub(crate) const SCHEDULE_SECS: [u64; 7] = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];

/// Attempts before a delivery is `failed`.
pub(crate) const MAX_ATTEMPTS: u32 = SCHEDULE_SECS.len() as u32 + 1;

/// Response bodies are read (and dropped) up to this size.
const MAX_RESPONSE_BYTES: usize = 64 * 1024;

const AGENT: &str = concat!("klipy-mock/", env!("CARGO_PKG_VERSION"));

/// One message, the same bytes for every attempt and endpoint.
#[derive(Debug)]
pub(crate) struct Message {
    pub id: String,
    pub body: Bytes,
}

/// The wait after failed attempt `n` (1-based), scaled.
pub(crate) fn retry_delay(n: u32, scale: f64) -> Option<Duration> {
    let secs = *SCHEDULE_SECS.get(usize::try_from(n).ok()?.checked_sub(1)?)?;
    Some(Duration::from_secs_f64(secs as f64 * scale))
}

/// Runs every attempt of one delivery; returns early when the log is cleared or the server
/// stops (`epoch` changes).
pub(crate) async fn run(hooks: Arc<Webhooks>, seq: u64, url: WebhookUrl, message: Arc<Message>, epoch: u64) {
    let mut cancel = hooks.epoch.subscribe();
    let cancelled = |rx: &tokio::sync::watch::Receiver<u64>| *rx.borrow() != epoch;
    for n in 1..=MAX_ATTEMPTS {
        if cancelled(&cancel) {
            return;
        }
        let time = time::now_ms();
        let started = Instant::now();
        let outcome = tokio::select! {
            outcome = attempt(&hooks, &url, &message) => outcome,
            _ = cancel.wait_for(|e| *e != epoch) => return,
        };
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (status, error) = match outcome {
            Ok(status) => (status, None),
            Err(error) => (0, Some(error)),
        };
        let delivered = (200..300).contains(&status);
        let wait = if delivered { None } else { retry_delay(n, hooks.settings.retry_scale) };
        {
            let mut log = hooks.log.lock();
            if cancelled(&cancel) {
                return;
            }
            let Some(entry) = log.get_mut(seq) else {
                return; // evicted: nobody is watching this one any more
            };
            entry.attempts.push(Attempt { n, time, status, duration_ms, error });
            entry.next_attempt_at = wait.map(|w| time::now_ms() + i64::try_from(w.as_millis()).unwrap_or(i64::MAX));
            entry.status = match (delivered, wait) {
                (true, _) => Status::Delivered,
                (false, Some(_)) => Status::Pending,
                (false, None) => Status::Failed,
            };
        }
        let Some(wait) = wait else {
            return;
        };
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = cancel.wait_for(|e| *e != epoch) => return,
        }
    }
}

/// One signed POST with a fresh timestamp; the status, or why there was none.
async fn attempt(hooks: &Webhooks, url: &WebhookUrl, message: &Message) -> Result<u16, String> {
    let timestamp = time::now_ms().div_euclid(1000);
    let signature = sign::signature_header(&hooks.settings.secrets, &message.id, timestamp, &message.body);
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(url.target())
        .header(HOST, url.authority())
        .header(CONTENT_TYPE, "application/json")
        .header(CONTENT_LENGTH, message.body.len())
        .header(USER_AGENT, AGENT);
    for prefix in hooks.settings.headers.prefixes() {
        request = request
            .header(format!("{prefix}-id"), &message.id)
            .header(format!("{prefix}-timestamp"), timestamp)
            .header(format!("{prefix}-signature"), &signature);
    }
    let request = request.body(Full::new(message.body.clone())).map_err(|e| format!("bad request: {e}"))?;
    let timeout = hooks.settings.timeout;
    match tokio::time::timeout(timeout, exchange(url, request)).await {
        Ok(result) => result,
        Err(_) => Err(format!("no response within {} ms", timeout.as_millis())),
    }
}

async fn connect(url: &WebhookUrl) -> Result<TcpStream, String> {
    let addrs = url.addrs();
    let mut last = None;
    for addr in &addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                let _ = stream.set_nodelay(true);
                return Ok(stream);
            }
            Err(e) => last = Some(e),
        }
    }
    let tried: Vec<String> = addrs.iter().map(ToString::to_string).collect();
    Err(format!("cannot connect to {}: {}", tried.join(" or "), last.map(|e| e.to_string()).unwrap_or_default()))
}

/// Says why a request got no response, in words a test log reader understands.
fn no_response(error: &hyper::Error) -> String {
    if error.is_canceled() || error.is_incomplete_message() {
        "the connection closed before a response".to_owned()
    } else if error.is_parse() {
        format!("not an HTTP response: {error}")
    } else {
        format!("no response: {error}")
    }
}

/// Connects, sends, reads the status and drains the body (up to 64 KiB).
async fn exchange(url: &WebhookUrl, request: Request<Full<Bytes>>) -> Result<u16, String> {
    let stream = connect(url).await?;
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| format!("HTTP error: {e}"))?;
    let talk = async move {
        let response = sender.send_request(request).await.map_err(|e| no_response(&e))?;
        let status = response.status().as_u16();
        let mut body = response.into_body();
        let mut read = 0usize;
        // The status decides; a body cut short afterwards does not undo it.
        while read <= MAX_RESPONSE_BYTES {
            match body.frame().await {
                Some(Ok(frame)) => read += frame.data_ref().map_or(0, Bytes::len),
                _ => break,
            }
        }
        Ok(status)
    };
    tokio::pin!(talk);
    tokio::pin!(conn);
    tokio::select! {
        biased;
        result = &mut talk => result,
        ended = &mut conn => {
            // The connection ended (closed or failed); the response may still be buffered.
            match (talk.await, ended) {
                (Ok(status), _) => Ok(status),
                (Err(_), Err(e)) => Err(no_response(&e)),
                (Err(e), Ok(())) => Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schedule_scales() {
        let at = |n, scale| retry_delay(n, scale).map(|d| d.as_millis());
        assert_eq!(at(1, 0.01), Some(50));
        assert_eq!(at(2, 0.01), Some(3_000));
        assert_eq!(at(3, 0.01), Some(18_000));
        assert_eq!(at(4, 0.01), Some(72_000));
        assert_eq!(at(7, 0.01), Some(360_000));
        assert_eq!(at(8, 0.01), None);
        assert_eq!(at(0, 0.01), None);
        assert_eq!(at(1, 1.0), Some(5_000));
        assert_eq!(at(3, 0.0), Some(0));
        assert_eq!(MAX_ATTEMPTS, 8);
    }
}
