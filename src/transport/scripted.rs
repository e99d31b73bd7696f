//! Test doubles: a [`ScriptedTransport`] that plays canned responses and records every request,
//! and [`ManualTime`], a clock that only moves when the client sleeps.

use super::{HttpRequest, HttpResponse, Transport, TransportError};
use crate::rt::{BoxFuture, Clock, Random, Sleep};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// One scripted step: what the transport answers to the next request.
#[derive(Debug, Clone)]
pub enum Step {
    /// Answer with this response.
    Respond(HttpResponse),
    /// Fail with this transport error.
    Fail(TransportError),
    /// Never answer (until the core's timeout or the caller's abort drops the future).
    Hang,
}

impl Step {
    /// A JSON response with the given status and body.
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Step::Respond(HttpResponse {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        })
    }

    /// A success envelope around `data`, with request id `req_test`.
    pub fn ok(status: u16, data: serde_json::Value) -> Self {
        Self::json(status, serde_json::json!({"object": "success", "data": data, "meta": {"request_id": "req_test"}}))
    }

    /// A raw response with text body.
    pub fn text(status: u16, body: &str) -> Self {
        Step::Respond(HttpResponse { status, headers: vec![], body: body.as_bytes().to_vec() })
    }

    /// Adds a response header (no effect on `Fail` and `Hang`).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let Step::Respond(r) = &mut self {
            r.headers.push((name.to_ascii_lowercase(), value.to_string()));
        }
        self
    }
}

type Handler = dyn Fn(&HttpRequest) -> Step + Send + Sync;

/// A transport that answers from a script and records every request it was given.
#[derive(Clone, Default)]
pub struct ScriptedTransport {
    steps: Arc<Mutex<VecDeque<Step>>>,
    handler: Option<Arc<Handler>>,
    seen: Arc<Mutex<Vec<HttpRequest>>>,
}

impl ScriptedTransport {
    /// A transport that answers with `steps` in order (and fails once they run out).
    pub fn new(steps: impl IntoIterator<Item = Step>) -> Self {
        Self { steps: Arc::new(Mutex::new(steps.into_iter().collect())), ..Self::default() }
    }

    /// A transport that computes each answer from the request.
    pub fn with_handler(f: impl Fn(&HttpRequest) -> Step + Send + Sync + 'static) -> Self {
        Self { handler: Some(Arc::new(f)), ..Self::default() }
    }

    /// Every request sent so far.
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.seen.lock().unwrap().clone()
    }
}

impl Transport for ScriptedTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> {
        let step = match &self.handler {
            Some(h) => h(&request),
            None => self
                .steps
                .lock()
                .unwrap()
                .pop_front()
                .unwrap_or_else(|| Step::Fail(TransportError::Other("script exhausted".into()))),
        };
        self.seen.lock().unwrap().push(request);
        match step {
            Step::Respond(r) => Box::pin(async move { Ok(r) }),
            Step::Fail(e) => Box::pin(async move { Err(e) }),
            Step::Hang => Box::pin(futures_util::future::pending()),
        }
    }
}

/// A fake clock: `sleep` returns at once and moves the clock forward; every wait is recorded.
#[derive(Debug, Clone)]
pub struct ManualTime {
    state: Arc<Mutex<(u64, Vec<u64>)>>,
}

impl ManualTime {
    /// A clock that starts at `start_ms` (epoch milliseconds).
    pub fn new(start_ms: u64) -> Self {
        Self { state: Arc::new(Mutex::new((start_ms, Vec::new()))) }
    }
    /// Every sleep requested so far, in milliseconds.
    pub fn sleeps(&self) -> Vec<u64> {
        self.state.lock().unwrap().1.clone()
    }
    /// Moves the clock forward.
    pub fn advance(&self, ms: u64) {
        self.state.lock().unwrap().0 += ms;
    }
}

impl Clock for ManualTime {
    fn now_ms(&self) -> u64 {
        self.state.lock().unwrap().0
    }
}

impl Sleep for ManualTime {
    fn sleep(&self, ms: u64) -> BoxFuture<'static, ()> {
        // The clock moves when the sleep is first polled, not when it is created, so a timeout
        // raced against an immediate answer leaves no trace.
        let state = self.state.clone();
        Box::pin(async move {
            let mut s = state.lock().unwrap();
            s.0 += ms;
            s.1.push(ms);
        })
    }
}

/// Randomness that always answers the maximum (so backoff waits are predictable in tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct MaxRandom;

impl Random for MaxRandom {
    fn up_to(&self, max: u64) -> u64 {
        max
    }
}
