//! The link between a request and the connection it came on, so that an injected `reset` fault
//! can drop the connection. The server's connection task creates it; handlers only use it.

use std::sync::Arc;

use tokio::sync::Notify;

/// Lets a request drop its own connection: the connection task closes the socket with
/// `SO_LINGER` 0, which sends a TCP RST instead of any response.
#[derive(Debug, Clone, Default)]
pub(crate) struct ConnHandle(Arc<Notify>);

impl ConnHandle {
    /// A handle for a new connection.
    pub fn new() -> Self {
        ConnHandle::default()
    }

    /// Asks the connection task to reset the connection now.
    pub fn reset(&self) {
        self.0.notify_one();
    }

    /// Resolves once a request asked for a reset (also when it asked before this was awaited).
    pub async fn reset_requested(&self) {
        self.0.notified().await;
    }
}
