//! The client's side of a shared rate-limit budget ([`crate::budget`]): reserve after the local
//! pacer said go, tell the store what the server said, refund what was not sent. On wasm the
//! store is the npm package's JS bridge (`src/wasm/budget.rs`).

use super::{race, Client, LogLevel, Raced, WaitEvent, WaitReason};
use crate::budget::{BudgetLink, ReserveRequest, Shared, StoreError};
use crate::cancel::CancelToken;
use crate::config::ApiKey;
use crate::error::{Error, ErrorKind, RateLimitInfo};
use crate::ratelimit::MAX_PACING_WAIT_MS;
use crate::retry::server_wait_ms;
use crate::rt::BoxFuture;
use crate::transport::{HttpResponse, Transport};

/// A reservation held on the shared budget (none without a store, or when it failed).
pub(super) type Reserved = Option<ReserveRequest>;

/// What `pace` does after asking the shared budget.
pub(super) enum Step {
    /// Send now (holding this reservation, if the store answered).
    Go(Reserved),
    /// Nothing reserved: the pacing slot is given back; ask again after this wait (ms).
    Wait(u64),
    /// Cancelled while waiting for the reserved slot (refunded, slot given back).
    Cancelled,
}

impl<T: Transport> Client<T> {
    /// Reserves one request on the shared budget, if there is one. Called holding a pacing
    /// slot; gives it back unless the answer is [`Step::Go`].
    ///
    /// Boxed, so its state machine is not inlined into the send loop's (the .wasm's size).
    pub(super) fn reserve_shared<'a>(
        &'a self,
        key: &'a ApiKey,
        now: u64,
        deadline: Option<u64>,
        cancel: Option<&'a CancelToken>,
    ) -> BoxFuture<'a, Result<Step, Error>> {
        Box::pin(self.reserve_shared_inner(key, now, deadline, cancel))
    }

    async fn reserve_shared_inner(
        &self,
        key: &ApiKey,
        now: u64,
        deadline: Option<u64>,
        cancel: Option<&CancelToken>,
    ) -> Result<Step, Error> {
        let inner = &self.inner;
        let Some(b) = &inner.budget else { return Ok(Step::Go(None)) };
        let sleep = inner.sleep.as_ref();
        let mut max_wait = inner.config.max_retry_wait_ms.min(MAX_PACING_WAIT_MS);
        if let Some(d) = deadline {
            max_wait = max_wait.min(d.saturating_sub(now));
        }
        match b.reserve(key.expose(), max_wait, sleep).await {
            Shared::Reserved(req, 0) => Ok(Step::Go(Some(req))),
            Shared::Reserved(req, wait) => {
                inner.hooks.on_wait(&WaitEvent { reason: WaitReason::RateLimit, ms: wait, request_id: None });
                self.log(LogLevel::Info, "pacing: waiting for the fleet's shared rate-limit budget", || {
                    [("waitMs", wait.into())]
                });
                if let Raced::Cancelled = race(sleep.sleep(wait), None, cancel).await {
                    b.refund(&req, sleep).await;
                    inner.pacer.release_unsent();
                    return Ok(Step::Cancelled);
                }
                Ok(Step::Go(Some(req)))
            }
            Shared::Later(wait) => {
                inner.pacer.release_unsent();
                Ok(Step::Wait(wait))
            }
            Shared::Failed(e) if b.throws() => {
                inner.pacer.release_unsent();
                Err(Error::new(
                    ErrorKind::RateLimit,
                    format!(
                        "the shared rate-limit budget store failed ({e}); nothing was sent (onStoreError: \"throw\")"
                    ),
                ))
            }
            Shared::Failed(e) => {
                self.store_failed(b, &e);
                Ok(Step::Go(None))
            }
        }
    }

    /// Gives back a reservation that will not be sent (best effort).
    pub(super) async fn refund_shared(&self, reserved: &Reserved) {
        if let (Some(b), Some(r)) = (&self.inner.budget, reserved) {
            b.refund(r, self.inner.sleep.as_ref()).await;
        }
    }

    /// Tells the shared budget what the server said, when that is stricter than its own pace.
    pub(super) async fn observe_shared(&self, key: &ApiKey, resp: &HttpResponse, info: &RateLimitInfo, now: u64) {
        let Some(b) = &self.inner.budget else { return };
        let retry_after = if resp.status == 429 { server_wait_ms(&resp.headers, Some(429), now) } else { None };
        if let Some(obs) = b.observation(resp.status, info, retry_after, now) {
            if let Err(e) = b.observe(key.expose(), obs, self.inner.sleep.as_ref()).await {
                self.store_failed(b, &e);
            }
        }
    }

    fn store_failed(&self, b: &BudgetLink, e: &StoreError) {
        if b.first_failure() {
            let why = e.to_string();
            self.log(
                LogLevel::Warn,
                "the shared rate-limit budget store failed: pacing this process by itself until it answers again (warned once per client)",
                || [("error", why.into())],
            );
        }
    }
}
