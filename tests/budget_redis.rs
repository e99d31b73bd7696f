//! Differential test: the Redis budget script (`src/budget/gcra.lua`, run by `RedisBudgetStore`)
//! and the core's GCRA ([`MemoryBudgetStore`]) agree on a long random sequence of reservations,
//! refunds and observations. Runs Debian's `redis-server` (scripts/setup.sh installs it) on a free
//! loopback port; the script's only change is a fixed clock instead of `TIME`, so both sides see
//! the same instants.
#![cfg(not(target_arch = "wasm32"))]

use klipy_sdk::budget::{BucketSpec, MemoryBudgetStore, Observation, ReserveRequest, REDIS_SCRIPT};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

#[path = "common/redis_server.rs"]
mod redis_server;
use redis_server::RedisServer;

#[derive(Debug, PartialEq)]
enum Reply {
    Int(i64),
    Bulk(Option<String>),
    Array(Vec<Reply>),
    Status(String),
}

struct Conn(BufReader<TcpStream>);
impl Conn {
    fn cmd(&mut self, args: &[String]) -> Reply {
        let mut out = format!("*{}\r\n", args.len());
        for a in args {
            out.push_str(&format!("${}\r\n{a}\r\n", a.len()));
        }
        self.0.get_mut().write_all(out.as_bytes()).unwrap();
        self.read()
    }
    fn line(&mut self) -> String {
        let mut l = String::new();
        self.0.read_line(&mut l).unwrap();
        l.trim_end_matches("\r\n").to_string()
    }
    fn read(&mut self) -> Reply {
        let l = self.line();
        let (kind, rest) = l.split_at(1);
        match kind {
            "+" => Reply::Status(rest.into()),
            "-" => panic!("redis error: {rest}"),
            ":" => Reply::Int(rest.parse().unwrap()),
            "$" if rest == "-1" => Reply::Bulk(None),
            "$" => Reply::Bulk(Some(self.line())),
            "*" => Reply::Array((0..rest.parse::<usize>().unwrap()).map(|_| self.read()).collect()),
            _ => panic!("unexpected reply {l}"),
        }
    }
}

fn start_redis() -> (RedisServer, Conn) {
    let server = RedisServer::start();
    let conn = Conn(BufReader::new(TcpStream::connect(("127.0.0.1", server.port)).unwrap()));
    (server, conn)
}

#[path = "common/seq.rs"]
mod seq;
use seq::{FakeClock, Rng};

#[test]
fn the_redis_script_and_the_core_agree_on_a_long_random_sequence() {
    let fixed_clock = "{ARGV[#ARGV - 1], ARGV[#ARGV]}";
    assert_eq!(REDIS_SCRIPT.matches("redis.call('TIME')").count(), 1);
    let script = REDIS_SCRIPT.replace("redis.call('TIME')", fixed_clock);
    let (_server, mut conn) = start_redis();
    let clock = Arc::new(FakeClock(AtomicU64::new(1_796_000_000_000)));
    let core = MemoryBudgetStore::new(clock.clone());
    let key = BucketSpec { name: "klipy:{t}:k:0123".into(), limit: 50, window_ms: 1000 };
    let group = BucketSpec { name: "klipy:{t}:g:acme".into(), limit: 20, window_ms: 1000 };
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut granted, mut refused) = (0, 0);
    for step in 0..3000 {
        clock.0.fetch_add(rng.next(30), Ordering::SeqCst);
        let now_ms = clock.0.load(Ordering::SeqCst);
        let time = [(now_ms / 1000).to_string(), ((now_ms % 1000) * 1000).to_string()];
        let buckets = if rng.next(3) == 0 { vec![key.clone(), group.clone()] } else { vec![key.clone()] };
        let limits: Vec<String> = buckets.iter().flat_map(|b| [b.limit.to_string(), b.window_ms.to_string()]).collect();
        let names: Vec<String> = buckets.iter().map(|b| b.name.clone()).collect();
        let eval = |op: &str, args: Vec<String>| {
            let mut v = vec!["EVAL".to_string(), script.clone(), names.len().to_string()];
            v.extend(names.iter().cloned());
            v.push(op.into());
            v.extend(args);
            v.extend(time.iter().cloned());
            v
        };
        match rng.next(20) {
            0..=11 => {
                let max_wait_ms = [0, 100, 500, 60_000][rng.next(4) as usize];
                let req = ReserveRequest { buckets: buckets.clone(), cost: 1, max_wait_ms };
                let want = core.reserve_now(&req);
                let mut args = vec!["1".to_string(), (max_wait_ms * 1000).to_string()];
                args.extend(limits.clone());
                let Reply::Array(r) = conn.cmd(&eval("reserve", args)) else { panic!("step {step}: not an array") };
                let (Reply::Int(ok), Reply::Int(wait_us)) = (&r[0], &r[1]) else { panic!("step {step}: {r:?}") };
                assert_eq!(
                    (*ok == 1, (*wait_us as u64).div_ceil(1000)),
                    (want.granted, want.wait_ms),
                    "step {step}: reserve"
                );
                if want.granted {
                    granted += 1
                } else {
                    refused += 1
                }
            }
            12..=14 => {
                let req = ReserveRequest { buckets: buckets.clone(), cost: 1, max_wait_ms: 0 };
                core.refund_now(&req);
                let mut args = vec!["1".to_string()];
                args.extend(limits.clone());
                conn.cmd(&eval("refund", args));
            }
            _ => {
                let (remaining, reset_in_ms) = (rng.next(60), rng.next(1500));
                core.observe_now(&Observation { bucket: key.clone(), remaining, reset_in_ms });
                let args = vec![
                    remaining.to_string(),
                    (reset_in_ms * 1000).to_string(),
                    key.limit.to_string(),
                    key.window_ms.to_string(),
                ];
                let mut v = vec!["EVAL".to_string(), script.clone(), "1".into(), key.name.clone(), "observe".into()];
                v.extend(args);
                v.extend(time.iter().cloned());
                conn.cmd(&v);
            }
        }
        // The stored times agree (a time in the past means the same as none).
        let now_us = now_ms as i64 * 1000;
        for b in [&key, &group] {
            let redis = match conn.cmd(&["GET".into(), b.name.clone()]) {
                Reply::Bulk(v) => v.map_or(0, |v| v.parse::<i64>().unwrap()),
                r => panic!("{r:?}"),
            };
            assert_eq!(redis.max(now_us), core.tat_us(&b.name).unwrap_or(0).max(now_us), "step {step}: {}", b.name);
        }
    }
    assert!(
        granted > 500 && refused > 100,
        "the sequence exercised both outcomes: {granted} granted, {refused} refused"
    );
    assert_eq!(conn.cmd(&["PING".into()]), Reply::Status("PONG".into()));
}
