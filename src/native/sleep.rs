//! [`TokioSleep`]: waits on tokio's timer instead of a thread.

use crate::rt::{BoxFuture, Sleep};
use std::time::Duration;

/// A [`Sleep`] on tokio's timer (the default with the `reqwest` feature). Needs a tokio runtime
/// with the time driver enabled, as `#[tokio::main]` sets up.
#[derive(Debug, Default, Clone, Copy)]
pub struct TokioSleep;

impl Sleep for TokioSleep {
    fn sleep(&self, ms: u64) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(Duration::from_millis(ms)))
    }
}
