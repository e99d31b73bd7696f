//! The errors the send loop makes itself: aborts, deadlines, and transport failures.

use crate::error::{Error, ErrorKind};
use crate::transport::TransportError;

pub(super) fn aborted(attempts: u32) -> Error {
    let mut e = Error::user_abort("the call was aborted by its signal; nothing more was sent");
    e.attempts = attempts;
    e
}

pub(super) fn deadline_error(deadline_ms: u64, attempts: u32, last: Option<&Error>) -> Error {
    let mut e = Error::new(
        ErrorKind::Timeout,
        format!("the call's deadline of {deadline_ms} ms passed: raise deadlineMs or retry later"),
    );
    e.attempts = attempts;
    if let Some(last) = last {
        e.request_id = last.request_id.clone();
        e.cause = Some(crate::error::Cause::new(last.to_string()));
    }
    e
}

pub(super) fn transport_error(te: TransportError) -> Error {
    match te {
        TransportError::Connect(c) => Error::new(
            ErrorKind::Connection,
            format!(
                "could not reach Klipy ({}): check the network and the base URL, then retry",
                crate::transport::connect_reason(&c)
            ),
        )
        .with_cause(c),
        TransportError::Timeout => Error::new(ErrorKind::Timeout, "the request timed out: raise timeoutMs or retry"),
        TransportError::Aborted => Error::user_abort("the request was aborted"),
        TransportError::Redirect(status) => {
            let mut e = Error::new(
                ErrorKind::Api,
                format!("Klipy answered with a redirect ({status}); the SDK does not follow redirects, which would carry the API key elsewhere: check baseUrl"),
            );
            e.status = Some(status);
            e
        }
        TransportError::Invalid(c) => Error::config(format!("the fetch option misbehaved: {c}")),
        TransportError::TooLarge(limit) => too_large(limit),
        TransportError::Other(c) => Error::new(ErrorKind::Connection, "the request could not be sent").with_cause(c),
    }
}

/// The error for a body over the cap: a decode error, never retried.
pub(super) fn too_large(limit: u64) -> Error {
    let mut e = Error::new(
        ErrorKind::Decode,
        format!("the response body is larger than maxResponseBytes ({limit} bytes) and was not read: raise maxResponseBytes if the body is expected to be that large"),
    );
    e.code = Some("response_too_large".into());
    e
}
