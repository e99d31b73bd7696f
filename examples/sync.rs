//! A small CRM sync with klipy-sdk (the Rust twin of examples/sync.mjs): authenticate, upsert 200
//! people, log interactions (one of them twice, to show server-side dedupe), read them back page
//! by page, and ride out a 429.
//!
//!     KLIPY_BASE_URL=http://127.0.0.1:4010/api/v1 KLIPY_API_KEY=… cargo run --example sync
//!
//! Against klipy-mock (a loopback base URL) it also injects one 429 through the mock's fault API
//! so the retry shows. Against real Klipy (KLIPY_BASE_URL unset or https) it injects nothing —
//! and it really writes 200 people and 3 interactions into that workspace.
// Native only: `cargo clippy --target wasm32-unknown-unknown --all-targets` builds examples too.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::disallowed_methods)] // an application may read the system clock

use klipy_sdk::{
    BulkOptions, Client, Direction, Hooks, InteractionType, LogLevel, NewInteraction, NewPerson, QueryParams,
    RetryEvent, StreamExt,
};
use serde_json::{json, Map, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Prints retries and pacing waits, and counts them for the summary.
#[derive(Clone, Default)]
struct Report {
    retries: Arc<Mutex<Vec<String>>>,
    pacing_waits: Arc<AtomicUsize>,
}

impl Hooks for Report {
    fn on_retry(&self, e: &RetryEvent<'_>) {
        println!(
            "  ↻ retry: attempt {} after {} ms ({}, request {})",
            e.attempt,
            e.delay_ms,
            e.reason,
            e.request_id.unwrap_or("?")
        );
        self.retries.lock().unwrap().push(e.reason.to_string());
    }
    fn log(&self, level: LogLevel, message: &str, fields: &[(&str, Value)]) {
        // Info-level lines are the adaptive pacer's waits (it waits for the window reset instead
        // of spending requests on 429s).
        if level == LogLevel::Info {
            self.pacing_waits.fetch_add(1, Ordering::Relaxed);
            let wait = fields.iter().find(|(k, _)| *k == "waitMs").map_or(Value::Null, |(_, v)| v.clone());
            println!("  ⏸ {message}: {wait} ms");
        }
    }
}

fn step(title: &str) {
    println!("\n▸ {title}");
}

fn interaction(kind: InteractionType, direction: Direction, title: &str, primary_id: String) -> NewInteraction {
    NewInteraction {
        kind,
        direction,
        title: Some(title.into()),
        summary: None,
        main_contact: None,
        main_contact_email: None,
        primary_id: Some(primary_id),
        secondary_id: None,
        interaction_date: None,
        extra: Map::new(),
    }
}

#[tokio::main]
async fn main() {
    if let Err(e) = run().await {
        eprintln!("\n{}: {e}", e.kind().class_name());
        std::process::exit(1);
    }
}

async fn run() -> Result<(), klipy_sdk::Error> {
    let started = Instant::now();
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64);
    let base_url = std::env::var("KLIPY_BASE_URL").unwrap_or_default();
    let is_mock = ["http://127.", "http://localhost", "http://[::1]"].iter().any(|p| base_url.starts_with(p));
    let report = Report::default();
    let mut config = klipy_sdk::Config::default();
    config.user_agent = Some("klipy-sdk-example-sync/1".into());
    let client = Client::from_env_builder()?.config(config).hooks(report.clone()).build()?;

    step("authenticate");
    let team = client.authenticate().await?.team_name;
    println!("  key works for team \"{team}\"{}", if is_mock { " (klipy-mock)" } else { "" });

    step("upsert 200 people (concurrency 8)");
    let inputs: Vec<NewPerson> = (0..200)
        .map(|i| NewPerson {
            email: format!("sync.person{i:03}@example.com"),
            first_name: Some(format!("Person{i}")),
            last_name: Some("Sync".into()),
            title: Some(if i % 10 == 0 { "Buyer" } else { "Engineer" }.into()),
            ..Default::default()
        })
        .collect();
    let last_shown = Arc::new(AtomicUsize::new(0));
    let opts = BulkOptions {
        concurrency: 8,
        on_progress: Some(Box::new(move |p| {
            if p.done == p.total || p.done - last_shown.load(Ordering::Relaxed) >= 50 {
                last_shown.store(p.done, Ordering::Relaxed);
                println!("  progress: {}/{} done, {} failed", p.done, p.total, p.failed);
            }
        })),
        ..Default::default()
    };
    let upserted = client.people().upsert_many(&inputs, opts).await;
    println!("  {} upserted, {} failed", upserted.succeeded.len(), upserted.failed.len());
    for f in upserted.failed.iter().take(3) {
        println!("  ✗ #{} {}: {}", f.index, inputs[f.index].email, f.error);
    }

    step("create interactions (the last one repeats a primaryId)");
    let run_id = format!("{now_ms:x}");
    let mut first =
        interaction(InteractionType::Email, Direction::Inbound, "Question about pricing", format!("sync-{run_id}-1"));
    first.main_contact_email = Some(inputs[0].email.clone());
    first.interaction_date = Some(json!(now_ms));
    let mut second =
        interaction(InteractionType::Meeting, Direction::Outbound, "Intro call", format!("sync-{run_id}-2"));
    second.summary = Some("<p>30 minutes, next steps agreed</p>".into());
    second.main_contact = upserted.succeeded.first().map(|s| s.result.id.clone());
    second.main_contact_email = second.main_contact.is_none().then(|| inputs[0].email.clone());
    second.interaction_date = Some(json!(now_ms - 86_400_000));
    let mut third =
        interaction(InteractionType::Memo, Direction::Internal, "Follow up next week", format!("sync-{run_id}-3"));
    third.main_contact_email = Some(inputs[1].email.clone());
    let (mut created, mut duplicates) = (0, 0);
    for input in [&first, &second, &third, &first] {
        let c = client.interactions().create(input).await?;
        if c.is_duplicate {
            duplicates += 1
        } else {
            created += 1
        }
        let note = if c.is_duplicate { "  ← duplicate: the server returned the existing id" } else { "" };
        println!("  {:<8} {}{note}", input.kind.as_str(), c.id);
    }

    if is_mock {
        step("klipy-mock: inject one 429 (Retry-After: 1) on the next query");
        let faults = json!([{"match": {"method": "POST", "path": "/interactions/query"}, "times": 1, "status": 429, "retryAfter": 1}]);
        let url = format!("{}/__mock/faults", base_url.trim_end_matches('/').trim_end_matches("/api/v1"));
        let http = reqwest::Client::new();
        let sent = http.post(url).header("content-type", "application/json").body(faults.to_string()).send().await;
        if let Err(e) = sent.and_then(|r| r.error_for_status()) {
            println!("  (could not inject the fault: {e})");
        }
    }

    step("query interactions back, page by page (limit 2)");
    let query = client.interactions().query(QueryParams { limit: Some(2), ..Default::default() });
    let (mut pages, mut items, mut cursor) = (0, 0, None);
    loop {
        let page = query.page(cursor).await?;
        pages += 1;
        items += page.data.len();
        let titles: Vec<String> =
            page.data.iter().map(|i| format!("{} \"{}\"", i.kind.as_str(), i.title.as_deref().unwrap_or(""))).collect();
        println!("  page {pages}: {}{}", titles.join(", "), if page.has_next_page { " …" } else { "" });
        cursor = page.next_cursor.filter(|_| page.has_next_page);
        if cursor.is_none() || pages >= 10 {
            break;
        }
    }

    step("count people named Sync (a stream over every page, limit 100)");
    let mut sync = 0;
    let mut people = client.people().query(QueryParams { limit: Some(100), ..Default::default() }).stream();
    while let Some(p) = people.next().await {
        if p?.last_name.as_deref() == Some("Sync") {
            sync += 1;
        }
    }
    println!("  {sync} people with lastName \"Sync\"");

    let retries = report.retries.lock().unwrap().clone();
    let unplanned_429s =
        retries.iter().filter(|r| r.as_str() == "HTTP 429").count().saturating_sub(usize::from(is_mock));
    println!(
        "\nsummary: team \"{team}\"; people upserted {}/200 (failed {}); interactions created {created}, duplicates detected {duplicates}; \
         read back {items} interactions in {pages} pages; retries {}; {} pacing waits (of concurrent workers) instead of 429s, \
         {unplanned_429s} requests spent on unplanned 429s; {:.1} s",
        upserted.succeeded.len(),
        upserted.failed.len(),
        retries.len(),
        report.pacing_waits.load(Ordering::Relaxed),
        started.elapsed().as_secs_f64()
    );
    if !upserted.failed.is_empty() {
        std::process::exit(1);
    }
    Ok(())
}
