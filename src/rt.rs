//! Time and randomness, injected: the core never reads the system clock or sleeps on its own.
//!
//! `std::time::Instant::now` and `SystemTime::now` panic or lie on `wasm32-unknown-unknown`, so
//! the client asks a [`Clock`] for the time, a [`Sleep`] to wait and a [`Random`] for jitter.
//! Natively, `SystemClock`, `ThreadSleep` and [`XorShiftRandom`] are the defaults; the wasm
//! layer supplies `Date.now`, `setTimeout` and `crypto.getRandomValues`.

use std::future::Future;
use std::pin::Pin;

/// A boxed future; `Send` off wasm, where the SDK may be used from multi-threaded runtimes.
#[cfg(not(target_arch = "wasm32"))]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;
/// A boxed future; on wasm nothing is `Send` (JS values are single-threaded).
#[cfg(target_arch = "wasm32")]
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// `Send + Sync` off wasm, nothing on wasm.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSendSync: Send + Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + Sync + ?Sized> MaybeSendSync for T {}
/// `Send + Sync` off wasm, nothing on wasm.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSendSync {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSendSync for T {}

/// Waits for a number of milliseconds.
pub trait Sleep: MaybeSendSync {
    /// A future that completes after `ms` milliseconds.
    fn sleep(&self, ms: u64) -> BoxFuture<'static, ()>;
}

/// Tells the wall-clock time.
pub trait Clock: MaybeSendSync {
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
}

/// Supplies randomness for backoff jitter.
pub trait Random: MaybeSendSync {
    /// A uniformly distributed number in `0..=max`.
    fn up_to(&self, max: u64) -> u64;
}

/// The operating system's wall clock (native only).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

#[cfg(not(target_arch = "wasm32"))]
impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place the native wall clock is read
    fn now_ms(&self) -> u64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
    }
}

/// A runtime-agnostic sleep (native only): a timer thread wakes the future.
///
/// It works under any executor; inject your runtime's own sleep through
/// [`crate::ClientBuilder::sleep`] to avoid a thread per wait (`Client::builder()` of the
/// `reqwest` feature uses `TokioSleep`, on tokio's timer).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Default, Clone, Copy)]
pub struct ThreadSleep;

#[cfg(not(target_arch = "wasm32"))]
impl Sleep for ThreadSleep {
    fn sleep(&self, ms: u64) -> BoxFuture<'static, ()> {
        let (tx, rx) = futures_channel_oneshot();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(ms));
            tx.fire();
        });
        Box::pin(rx)
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn futures_channel_oneshot() -> (Fire, Fired) {
    let state = std::sync::Arc::new(std::sync::Mutex::new((false, None::<std::task::Waker>)));
    (Fire(state.clone()), Fired(state))
}

#[cfg(not(target_arch = "wasm32"))]
type FireState = std::sync::Arc<std::sync::Mutex<(bool, Option<std::task::Waker>)>>;
#[cfg(not(target_arch = "wasm32"))]
struct Fire(FireState);
#[cfg(not(target_arch = "wasm32"))]
struct Fired(FireState);

#[cfg(not(target_arch = "wasm32"))]
impl Fire {
    fn fire(self) {
        let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        s.0 = true;
        if let Some(w) = s.1.take() {
            w.wake();
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl Future for Fired {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        let mut s = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if s.0 {
            std::task::Poll::Ready(())
        } else {
            s.1 = Some(cx.waker().clone());
            std::task::Poll::Pending
        }
    }
}

/// A small xorshift generator, good enough for jitter (not for cryptography).
#[derive(Debug)]
pub struct XorShiftRandom(std::sync::atomic::AtomicU64);

impl XorShiftRandom {
    /// A generator from a seed (0 is replaced by a fixed non-zero constant).
    pub fn new(seed: u64) -> Self {
        Self(std::sync::atomic::AtomicU64::new(if seed == 0 { 0x9E37_79B9_7F4A_7C15 } else { seed }))
    }
}

impl Random for XorShiftRandom {
    fn up_to(&self, max: u64) -> u64 {
        use std::sync::atomic::Ordering;
        let mut x = self.0.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0.store(x, Ordering::Relaxed);
        if max == u64::MAX {
            x
        } else {
            x % (max + 1)
        }
    }
}
