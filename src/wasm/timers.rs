//! `setTimeout` sleep (cleared when dropped), `Date.now` clock, `crypto.getRandomValues` jitter.

use crate::rt::{BoxFuture, Clock, Random, Sleep};
use js_sys::{Function, Promise, Reflect, Uint32Array};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Sleeps with the host's `setTimeout`.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsSleep;

/// A pending `setTimeout`; dropping it clears the timer so no stray timer keeps a process alive.
struct Timer {
    id: Option<JsValue>,
    done: JsFuture,
}

impl Future for Timer {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match Pin::new(&mut self.done).poll(cx) {
            Poll::Ready(_) => {
                self.id = None;
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            clear_timeout(&id);
        }
    }
}

impl Sleep for JsSleep {
    fn sleep(&self, ms: u64) -> BoxFuture<'static, ()> {
        let mut id = None;
        let promise = Promise::new(&mut |resolve, _reject| {
            id = Some(set_timeout(&resolve, ms as f64));
        });
        Box::pin(Timer { id, done: JsFuture::from(promise) })
    }
}

/// `Date.now()`.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsClock;

impl Clock for JsClock {
    fn now_ms(&self) -> u64 {
        js_sys::Date::now() as u64
    }
}

/// `crypto.getRandomValues`, falling back to `Math.random` where there is no Web Crypto.
#[derive(Debug, Default, Clone, Copy)]
pub struct JsRandom;

fn crypto_u32() -> Option<u32> {
    let crypto = Reflect::get(&js_sys::global(), &"crypto".into()).ok().filter(|c| c.is_object())?;
    let get = Reflect::get(&crypto, &"getRandomValues".into()).ok()?.dyn_into::<Function>().ok()?;
    let buf = Uint32Array::new_with_length(1);
    get.call1(&crypto, &buf).ok()?;
    Some(buf.get_index(0))
}

impl Random for JsRandom {
    fn up_to(&self, max: u64) -> u64 {
        let unit = match crypto_u32() {
            Some(n) => n as f64 / (u32::MAX as f64 + 1.0),
            None => js_sys::Math::random(),
        };
        ((max as f64 + 1.0) * unit).floor().min(max as f64) as u64
    }
}
