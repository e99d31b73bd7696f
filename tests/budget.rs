//! A shared budget seen from the client: two clients drawing from one store, the server's 429
//! followed by every client, waits that would pass the deadline reserve nothing, and a failing
//! store (local pacing or an error, as chosen). Fake clock, scripted transport.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use klipy_sdk::budget::{
    BudgetStore, MemoryBudgetStore, Observation, OnStoreError, Reservation, ReserveRequest, SharedBudget, StoreError,
};
use klipy_sdk::rt::BoxFuture;
use klipy_sdk::{ApiKey, Client, Config, ErrorKind, LogLevel};
use serde_json::json;
use std::sync::Arc;

fn ok() -> Step {
    Step::ok(200, json!({"id": "per_1"}))
}

fn shared(store: Arc<dyn BudgetStore>) -> SharedBudget {
    let mut b = SharedBudget::new(store);
    b.key_limit = 2; // 2 per second: 510 ms apart with the 2 % margin
    b.window_ms = 1000;
    b
}

fn client_on(
    t: &ScriptedTransport,
    time: &ManualTime,
    budget: SharedBudget,
    config: Config,
) -> Client<ScriptedTransport> {
    client_with_hooks(t, time, budget, config, Recorder::default())
}

fn client_with_hooks(
    t: &ScriptedTransport,
    time: &ManualTime,
    budget: SharedBudget,
    config: Config,
    hooks: Recorder,
) -> Client<ScriptedTransport> {
    Client::builder_with(t.clone())
        .hooks(hooks)
        .config(config)
        .api_key(ApiKey::new(KEY).unwrap())
        .sleep(time.clone())
        .clock(time.clone())
        .random(MaxRandom)
        .budget(budget)
        .build()
        .unwrap()
}

#[test]
fn two_clients_draw_from_one_budget() {
    let time = ManualTime::new(T0);
    let store: Arc<dyn BudgetStore> = Arc::new(MemoryBudgetStore::new(Arc::new(time.clone())));
    let t = ScriptedTransport::with_handler(|_| ok());
    let a = client_on(&t, &time, shared(store.clone()), Config::default());
    let b = client_on(&t, &time, shared(store), Config::default());
    block_on(a.people().get("per_1")).unwrap();
    block_on(b.people().get("per_1")).unwrap();
    block_on(a.people().get("per_1")).unwrap();
    assert_eq!(time.sleeps(), vec![510, 510], "each client waited for the other's reservation");
    assert_eq!(t.requests().len(), 3);
}

#[test]
fn a_429_seen_by_one_client_holds_back_the_others() {
    let time = ManualTime::new(T0);
    let store: Arc<dyn BudgetStore> = Arc::new(MemoryBudgetStore::new(Arc::new(time.clone())));
    let t = ScriptedTransport::new(vec![
        Step::json(429, json!({"object": "error", "error": {"code": "rate_limited", "message": "slow down"}}))
            .header("retry-after", "3"),
        ok(),
    ]);
    let mut no_retry = Config::default();
    no_retry.max_retries = 0;
    let a = client_on(&t, &time, shared(store.clone()), no_retry);
    let b = client_on(&t, &time, shared(store), Config::default());
    let e = block_on(a.people().get("per_1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimit);
    block_on(b.people().get("per_1")).unwrap();
    assert_eq!(time.sleeps(), vec![3000], "the other client waited out the server's Retry-After");
}

#[test]
fn a_wait_past_the_deadline_reserves_nothing_and_sends_nothing() {
    let time = ManualTime::new(T0);
    let mem = Arc::new(MemoryBudgetStore::new(Arc::new(time.clone())));
    let store: Arc<dyn BudgetStore> = mem.clone();
    let t = ScriptedTransport::with_handler(|_| ok());
    let a = client_on(&t, &time, shared(store.clone()), Config::default());
    let mut hurry = Config::default();
    hurry.deadline_ms = Some(100);
    let hurried = client_on(&t, &time, shared(store), hurry);
    block_on(a.people().get("per_1")).unwrap();
    let before = mem.tat_us(&klipy_sdk::budget::buckets(KEY, &shared(mem.clone()))[0].name);
    let e = block_on(hurried.people().get("per_1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout);
    assert_eq!(t.requests().len(), 1, "nothing sent");
    let after = mem.tat_us(&klipy_sdk::budget::buckets(KEY, &shared(mem.clone()))[0].name);
    assert_eq!(before, after, "nothing reserved");
}

struct Broken;
impl BudgetStore for Broken {
    fn reserve(&self, _: &ReserveRequest) -> BoxFuture<'_, Result<Reservation, StoreError>> {
        Box::pin(async { Err(StoreError("connection refused".into())) })
    }
    fn observe(&self, _: &Observation) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async { Err(StoreError("connection refused".into())) })
    }
    fn refund(&self, _: &ReserveRequest) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async { Err(StoreError("connection refused".into())) })
    }
}

#[test]
fn a_failing_store_means_local_pacing_or_an_error_as_chosen() {
    let time = ManualTime::new(T0);
    let t = ScriptedTransport::with_handler(|_| ok());
    let local = client_on(&t, &time, shared(Arc::new(Broken)), Config::default());
    block_on(local.people().get("per_1")).unwrap();
    block_on(local.people().get("per_1")).unwrap();
    assert_eq!(t.requests().len(), 2);

    let mut strict = shared(Arc::new(Broken));
    strict.on_error = OnStoreError::Throw;
    let strict = client_on(&t, &time, strict, Config::default());
    let e = block_on(strict.people().get("per_1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimit);
    assert!(e.to_string().contains("store failed"), "{e}");
    assert_eq!(t.requests().len(), 2, "nothing sent");
}

#[test]
fn shared_waits_reach_on_wait_and_a_failing_store_is_warned_once() {
    let time = ManualTime::new(T0);
    let store: Arc<dyn BudgetStore> = Arc::new(MemoryBudgetStore::new(Arc::new(time.clone())));
    let t = ScriptedTransport::with_handler(|_| ok());
    let hooks = Recorder::default();
    let a = client_with_hooks(&t, &time, shared(store), Config::default(), hooks.clone());
    block_on(a.people().get("per_1")).unwrap();
    block_on(a.people().get("per_1")).unwrap();
    assert_eq!(*hooks.waits.lock().unwrap(), vec![("rate_limit".to_string(), 510, None)]);

    let hooks = Recorder::default();
    let broken = client_with_hooks(&t, &time, shared(Arc::new(Broken)), Config::default(), hooks.clone());
    for _ in 0..3 {
        block_on(broken.people().get("per_1")).unwrap();
    }
    let warning = "the shared rate-limit budget store failed: pacing this process by itself until it answers again (warned once per client)";
    assert_eq!(hooks.lines(LogLevel::Warn, warning), 1);
    assert!(hooks.texts.lock().unwrap().iter().all(|l| !l.contains(KEY)), "the key never reaches a hook");
}
