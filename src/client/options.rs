//! Per-call options and what a call returns with its metadata.

use crate::cancel::CancelToken;
use crate::error::{Error, RateLimitInfo};

/// Per-call options.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// Overrides the client's per-attempt timeout.
    pub timeout_ms: Option<u64>,
    /// Overrides the client's retry count.
    pub max_retries: Option<u32>,
    /// Overrides the client's response body cap, in bytes.
    pub max_response_bytes: Option<u64>,
    /// Extra headers (over the client's default headers; the key, user-agent and retry-count
    /// headers are refused).
    pub headers: Vec<(String, String)>,
    /// Cancels the call.
    pub cancel: Option<CancelToken>,
}

impl RequestOptions {
    /// Checks header names and values (no line breaks, no non-ASCII, none the SDK owns: see
    /// [`crate::options::RESERVED_HEADERS`]) and the numbers.
    ///
    /// # Errors
    /// A [`ErrorKind::Config`](crate::ErrorKind::Config) error naming the bad option.
    pub fn validate(&self) -> Result<(), Error> {
        crate::options::check_headers("headers", &self.headers)?;
        use crate::contract::Scope::Request;
        use crate::options::check_range;
        if let Some(n) = self.timeout_ms {
            check_range(Request, "timeoutMs", n)?;
        }
        if let Some(n) = self.max_retries {
            check_range(Request, "maxRetries", u64::from(n))?;
        }
        if let Some(n) = self.max_response_bytes {
            check_range(Request, "maxResponseBytes", n)?;
        }
        Ok(())
    }
}

/// A decoded response with its metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse<T> {
    /// The envelope's `data`.
    pub data: T,
    /// The request id.
    pub request_id: Option<String>,
    /// HTTP status.
    pub status: u16,
    /// Rate-limit headers (`reset_at` in epoch ms).
    pub rate_limit: RateLimitInfo,
    /// For lists: whether another page follows.
    pub has_next_page: bool,
    /// For lists: the next cursor.
    pub next_cursor: Option<String>,
}
