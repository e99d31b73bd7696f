//! `RedisBudgetStore` (feature `budget-redis`) against a real `redis-server` on a free loopback
//! port: reservations on Redis's clock under names that hide the key, refunds, a 429 that holds
//! back every client, a script cache flushed as by a restart, and clients that share the budget,
//! keep working when Redis dies (local pacing) or fail as asked (`OnStoreError::Throw`).
#![cfg(not(target_arch = "wasm32"))]

#[path = "common/redis_server.rs"]
mod redis_server;

use klipy_sdk::budget::redis::RedisBudgetStore;
use klipy_sdk::budget::{buckets, BudgetStore, Observation, OnStoreError, ReserveRequest, SharedBudget};
use klipy_sdk::rt::SystemClock;
use klipy_sdk::transport::scripted::{ScriptedTransport, Step};
use klipy_sdk::{Client, Clock, ErrorKind};
use redis::aio::MultiplexedConnection;
use redis_server::RedisServer;
use serde_json::json;
use std::sync::Arc;

/// A fake key (tests assert bucket names never contain it).
const KEY: &str = "klipy_api_testkey123";

async fn connect(server: &RedisServer) -> MultiplexedConnection {
    redis::Client::open(server.url()).unwrap().get_multiplexed_async_connection().await.unwrap()
}

/// 10 per second on the key (102 ms apart with the 2 % margin), 4 per second on the group.
fn budget(store: Arc<dyn BudgetStore>, group: bool) -> SharedBudget {
    let mut b = SharedBudget::new(store);
    b.key_limit = 10;
    b.group_limit = 4;
    b.window_ms = 1000;
    b.group = group.then(|| "acme".to_string());
    b.timeout_ms = 2000; // a loaded test machine, not a production setting
    b
}

fn request(b: &SharedBudget, max_wait_ms: u64) -> ReserveRequest {
    ReserveRequest { buckets: buckets(KEY, b), cost: 1, max_wait_ms }
}

async fn keys(conn: &mut MultiplexedConnection) -> Vec<String> {
    let mut k: Vec<String> = redis::cmd("KEYS").arg("klipy:*").query_async(conn).await.unwrap();
    k.sort();
    k
}

#[tokio::test]
async fn reservations_follow_redis_and_name_no_key() {
    let server = RedisServer::start();
    let mut conn = connect(&server).await;
    let store = Arc::new(RedisBudgetStore::new(conn.clone()));
    let b = budget(store.clone(), true);
    let waits: Vec<_> = {
        let mut v = Vec::new();
        for _ in 0..3 {
            let r = store.reserve(&request(&b, 60_000)).await.unwrap();
            assert!(r.granted);
            v.push(r.wait_ms);
        }
        v
    };
    // The group's 255 ms spacing decides; a few ms pass between the calls.
    assert_eq!(waits[0], 0);
    assert!((200..=255).contains(&waits[1]), "{waits:?}");
    assert!((450..=510).contains(&waits[2]), "{waits:?}");
    let names = keys(&mut conn).await;
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.iter().all(|n| n.starts_with("klipy:{g:acme}:") && !n.contains(KEY)), "{names:?}");

    // Past the caller's limit: nothing is reserved.
    let before: String = redis::cmd("GET").arg(&names[0]).query_async(&mut conn).await.unwrap();
    let r = store.reserve(&request(&b, 100)).await.unwrap();
    assert!(!r.granted && r.wait_ms > 600, "{r:?}");
    let after: String = redis::cmd("GET").arg(&names[0]).query_async(&mut conn).await.unwrap();
    assert_eq!(before, after);

    // A refund gives the last slot back.
    store.refund(&request(&b, 0)).await.unwrap();
    let r = store.reserve(&request(&b, 60_000)).await.unwrap();
    assert!((400..=510).contains(&r.wait_ms), "{r:?}");
}

#[tokio::test]
async fn a_429_observed_holds_back_the_key_until_the_reset() {
    let server = RedisServer::start();
    let store = Arc::new(RedisBudgetStore::new(connect(&server).await));
    let b = budget(store.clone(), false);
    let bucket = buckets(KEY, &b).swap_remove(0);
    store.observe(&Observation { bucket, remaining: 0, reset_in_ms: 3000 }).await.unwrap();
    let r = store.reserve(&request(&b, 60_000)).await.unwrap();
    assert!(r.granted && (2900..=3000).contains(&r.wait_ms), "{r:?}");
}

#[tokio::test]
async fn a_flushed_script_cache_is_loaded_again() {
    let server = RedisServer::start();
    let mut conn = connect(&server).await;
    let store = RedisBudgetStore::new(conn.clone());
    let b = budget(Arc::new(RedisBudgetStore::new(conn.clone())), false);
    assert!(store.reserve(&request(&b, 60_000)).await.unwrap().granted);
    let () = redis::cmd("SCRIPT").arg("FLUSH").query_async(&mut conn).await.unwrap(); // as after a restart
    let r = store.reserve(&request(&b, 60_000)).await.unwrap();
    assert!(r.granted && r.wait_ms > 50, "{r:?}");
}

fn client(t: &ScriptedTransport, b: SharedBudget) -> Client<ScriptedTransport> {
    Client::builder_with(t.clone()).api_key(KEY).budget(b).build().unwrap()
}

#[tokio::test]
async fn clients_share_the_budget_and_fall_back_when_redis_dies() {
    let mut server = RedisServer::start();
    let store: Arc<dyn BudgetStore> = Arc::new(RedisBudgetStore::new(connect(&server).await));
    let t = ScriptedTransport::with_handler(|_| Step::ok(200, json!({"id": "per_1"})));
    let (a, c) = (client(&t, budget(store.clone(), false)), client(&t, budget(store.clone(), false)));
    let started = SystemClock.now_ms(); // real time: the store runs on Redis's clock
    for i in 0..6 {
        let who = if i % 2 == 0 { &a } else { &c };
        who.people().get("per_1").await.unwrap();
    }
    // Six requests on one 10/s budget: the last goes five intervals (5 × 102 ms) after the first.
    let elapsed = SystemClock.now_ms() - started;
    assert!(elapsed >= 500, "{elapsed} ms");
    assert_eq!(t.requests().len(), 6);

    server.kill();
    let mut strict = budget(store.clone(), false);
    strict.on_error = OnStoreError::Throw;
    let e = client(&t, strict).people().get("per_1").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RateLimit);
    assert!(e.to_string().contains("store failed"), "{e}");
    assert_eq!(t.requests().len(), 6, "nothing sent");
    a.people().get("per_1").await.unwrap(); // local pacing
    assert_eq!(t.requests().len(), 7);
}
