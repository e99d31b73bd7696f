//! A bounded-concurrency runner that accounts for every input: each index ends up exactly once
//! in `succeeded` or `failed`.

use crate::cancel::CancelToken;
use crate::client::{ApiResponse, Client, RequestOptions};
use crate::error::Error;
use crate::request::Operation;
use crate::transport::Transport;
use futures_util::stream::{self, StreamExt};
use serde_json::Value;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Progress of a bulk call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct BulkProgress {
    /// Inputs finished (succeeded or failed).
    pub done: usize,
    /// All inputs.
    pub total: usize,
    /// Inputs that failed so far.
    pub failed: usize,
}

/// A progress callback.
#[cfg(not(target_arch = "wasm32"))]
pub type ProgressFn = Box<dyn Fn(BulkProgress) + Send + Sync>;
/// A progress callback.
#[cfg(target_arch = "wasm32")]
pub type ProgressFn = Box<dyn Fn(BulkProgress)>;

/// Options of a bulk call.
pub struct BulkOptions {
    /// Calls in flight at once (default 4).
    pub concurrency: usize,
    /// After the first failure, send nothing more (the rest fail as not sent).
    pub stop_on_error: bool,
    /// Cancels the whole run; inputs not finished fail with a user-abort error.
    pub cancel: Option<CancelToken>,
    /// Called after each input finishes.
    pub on_progress: Option<ProgressFn>,
}

impl Default for BulkOptions {
    fn default() -> Self {
        Self { concurrency: 4, stop_on_error: false, cancel: None, on_progress: None }
    }
}

impl std::fmt::Debug for BulkOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BulkOptions")
            .field("concurrency", &self.concurrency)
            .field("stop_on_error", &self.stop_on_error)
            .finish_non_exhaustive()
    }
}

/// An input that succeeded.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkSuccess<T> {
    /// Its index in the inputs.
    pub index: usize,
    /// The result.
    pub result: T,
    /// The request id of the call that succeeded.
    pub request_id: Option<String>,
}

/// An input that failed.
#[derive(Debug, Clone)]
pub struct BulkFailure {
    /// Its index in the inputs.
    pub index: usize,
    /// Why.
    pub error: Error,
}

/// The outcome of a bulk call: every input index exactly once, each list in index order.
#[derive(Debug, Clone)]
pub struct BulkResult<T> {
    /// Inputs that succeeded.
    pub succeeded: Vec<BulkSuccess<T>>,
    /// Inputs that failed.
    pub failed: Vec<BulkFailure>,
}

impl<T> BulkResult<T> {
    /// Converts each success.
    pub(crate) fn try_map<U>(self, f: impl Fn(T, Option<&str>) -> Result<U, Error>) -> BulkResult<U> {
        let mut succeeded = Vec::with_capacity(self.succeeded.len());
        let mut new_failures = Vec::new();
        for s in self.succeeded {
            match f(s.result, s.request_id.as_deref()) {
                Ok(result) => succeeded.push(BulkSuccess { index: s.index, result, request_id: s.request_id }),
                Err(error) => new_failures.push(BulkFailure { index: s.index, error }),
            }
        }
        // Both lists are in index order: merge them (no sort code in the .wasm).
        let mut failed = Vec::with_capacity(self.failed.len() + new_failures.len());
        let (mut a, mut b) = (self.failed.into_iter().peekable(), new_failures.into_iter().peekable());
        while let Some(next) = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if y.index < x.index => b.next(),
            (Some(_), _) => a.next(),
            (None, _) => b.next(),
        } {
            failed.push(next);
        }
        BulkResult { succeeded, failed }
    }
}

/// Runs each operation (validation failures already in place) and accounts for every index.
pub async fn run<T: Transport>(
    client: &Client<T>,
    ops: Vec<Result<Operation, Error>>,
    opts: BulkOptions,
) -> BulkResult<ApiResponse<Value>> {
    run_with(client, ops, opts, crate::response::decode_success).await
}

/// [`run`] with the success decoder chosen by the caller (see [`Client::execute_with`]).
pub async fn run_with<T: Transport, D>(
    client: &Client<T>,
    ops: Vec<Result<Operation, Error>>,
    opts: BulkOptions,
    decode: crate::response::SuccessDecoder<D>,
) -> BulkResult<ApiResponse<D>> {
    let total = ops.len();
    let stop = AtomicBool::new(false);
    let done = AtomicUsize::new(0);
    let failed_count = AtomicUsize::new(0);
    let cancel = opts.cancel.clone();
    let request_opts = RequestOptions { cancel: cancel.clone(), ..RequestOptions::default() };
    let concurrency = opts.concurrency.max(1);
    let (stop, done, failed_count, request_opts, cancel, on_progress) =
        (&stop, &done, &failed_count, &request_opts, &cancel, &opts.on_progress);
    let outcomes: Vec<(usize, Result<ApiResponse<D>, Error>)> = stream::iter(ops.into_iter().enumerate())
        .map(|(index, op)| async move {
            let result = match op {
                Err(e) => Err(e),
                Ok(_) if cancel.as_ref().is_some_and(CancelToken::is_cancelled) => {
                    Err(Error::user_abort("not sent: the bulk call was aborted"))
                }
                Ok(_) if stop.load(Ordering::SeqCst) => {
                    Err(Error::user_abort("not sent: stopped after an earlier input failed (stopOnError)"))
                }
                Ok(op) => client.execute_with(&op, request_opts, decode).await,
            };
            if result.is_err() {
                failed_count.fetch_add(1, Ordering::SeqCst);
                if opts.stop_on_error {
                    stop.store(true, Ordering::SeqCst);
                }
            }
            let progress = BulkProgress {
                done: done.fetch_add(1, Ordering::SeqCst) + 1,
                total,
                failed: failed_count.load(Ordering::SeqCst),
            };
            if let Some(f) = on_progress {
                f(progress);
            }
            (index, result)
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let mut result = BulkResult { succeeded: Vec::new(), failed: Vec::new() };
    // Back in input order by index (every index once; no sort code in the .wasm).
    let mut slots: Vec<Option<Result<ApiResponse<D>, Error>>> = std::iter::repeat_with(|| None).take(total).collect();
    for (index, r) in outcomes {
        slots[index] = Some(r);
    }
    for (index, r) in slots.into_iter().enumerate() {
        let Some(r) = r else { continue };
        match r {
            Ok(resp) => {
                let request_id = resp.request_id.clone();
                result.succeeded.push(BulkSuccess { index, result: resp, request_id });
            }
            Err(error) => result.failed.push(BulkFailure { index, error }),
        }
    }
    result
}
