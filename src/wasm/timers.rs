//! `setTimeout` sleep (cleared when dropped), `Date.now` clock, `crypto.getRandomValues` jitter.

use crate::rt::{BoxFuture, Clock, Random, Sleep};
use js_sys::{Function, Reflect, Uint32Array};
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;

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

/// What a timer's callback and its future share.
#[derive(Default)]
struct TimerState {
    fired: bool,
    waker: Option<Waker>,
}

/// A pending `setTimeout` whose callback wakes the future directly (one closure per timer, no
/// promise); dropping it clears the timer, so no stray timer keeps a process alive.
struct Timer {
    id: Option<JsValue>,
    state: Rc<RefCell<TimerState>>,
    _callback: Closure<dyn FnMut()>,
}

impl Future for Timer {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.borrow_mut();
        if state.fired {
            drop(state);
            self.id = None;
            return Poll::Ready(());
        }
        state.waker = Some(cx.waker().clone());
        Poll::Pending
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
        let state = Rc::new(RefCell::new(TimerState::default()));
        let shared = state.clone();
        let callback = Closure::<dyn FnMut()>::new(move || {
            let mut s = shared.borrow_mut();
            s.fired = true;
            if let Some(waker) = s.waker.take() {
                drop(s);
                waker.wake();
            }
        });
        let id = set_timeout(callback.as_ref().unchecked_ref(), ms as f64);
        Box::pin(Timer { id: Some(id), state, _callback: callback })
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
