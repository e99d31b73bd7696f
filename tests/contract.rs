//! The contract tables (`klipy_sdk::contract`) are consistent with the core, and
//! `pkg-template/src/contract.mjs` is what they generate. `KLIPY_UPDATE_CONTRACT=1` (or
//! `make contract`) rewrites the file instead of failing.
#![cfg(not(target_arch = "wasm32"))]

use klipy_sdk::bulk::BulkOptions;
use klipy_sdk::contract::{self, OperationSpec, ResultKind, Scope, ENUMS, ERRORS, OPERATIONS, OPTIONS};
use klipy_sdk::{options, AuthScheme, Config, ErrorKind, RateLimitMode};
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::PathBuf;

const CONTRACT_MJS: &str = "pkg-template/src/contract.mjs";

fn op_json(o: &OperationSpec) -> Value {
    let args: Vec<Value> = o
        .args
        .iter()
        .map(|a| {
            let mut v = json!({"name": a.name, "type": a.ty});
            if a.optional {
                v["optional"] = json!(true);
            }
            v
        })
        .collect();
    let mut v = json!({
        "name": o.name,
        "resource": o.resource,
        "method": o.method,
        "http": o.http.map(|m| m.as_str()),
        "path": o.path,
        "args": args,
        "replay": o.replay.as_str(),
        "result": o.result.as_str(),
    });
    if let Some(b) = o.bulk_of {
        v["bulkOf"] = json!(b);
    }
    v
}

/// The text of `contract.mjs`: one entry per line, in table order.
fn generate() -> String {
    let list = |items: Vec<Value>| {
        let lines: Vec<String> = items.iter().map(|v| format!("    {v}")).collect();
        format!("[\n{}\n  ]", lines.join(",\n"))
    };
    let ops = list(OPERATIONS.iter().map(op_json).collect());
    let errors = list(
        ERRORS
            .iter()
            .map(|e| json!({"name": e.name, "parent": e.parent, "status": e.status, "fields": e.fields}))
            .collect(),
    );
    let opts = list(
        OPTIONS
            .iter()
            .map(|o| {
                let default: Value = serde_json::from_str(o.default).expect("an option default is JSON");
                let mut v = json!({"scope": o.scope.as_str(), "name": o.name, "type": o.ty, "default": default});
                if let (Some(min), Some(max)) = (o.min, o.max) {
                    v["min"] = json!(min);
                    v["max"] = json!(max);
                }
                v
            })
            .collect(),
    );
    let enums: Vec<String> =
        ENUMS.iter().map(|(name, values)| format!("    {}: {}", json!(name), json!(values))).collect();
    format!(
        "// Generated from src/contract/ by `make contract`; do not edit (tests/contract.rs checks it).\n\
         export default {{\n  \"version\": {},\n  \"operations\": {ops},\n  \"errors\": {errors},\n  \
         \"options\": {opts},\n  \"enums\": {{\n{}\n  }}\n}};\n",
        contract::VERSION,
        enums.join(",\n")
    )
}

#[test]
fn contract_mjs_is_what_the_tables_generate() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(CONTRACT_MJS);
    let want = generate();
    if std::env::var("KLIPY_UPDATE_CONTRACT").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &want).expect("write contract.mjs");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "{CONTRACT_MJS} is stale: run `make contract` (KLIPY_UPDATE_CONTRACT=1) and commit it");
}

/// Arguments that build each operation.
fn sample_args(o: &OperationSpec) -> Value {
    let input = match o.resource {
        Some("people") => json!({"email": "ada@example.com"}),
        Some("companies") => json!({"name": "Acme"}),
        _ => json!({"type": "EMAIL", "mainContact": "per_1"}),
    };
    match o.result {
        ResultKind::Bulk => input,
        _ if o.name == "request" => json!({"method": "GET", "path": "/people/per_1"}),
        _ => json!({"id": "x_1", "input": input, "patch": {"note": 1}}),
    }
}

#[test]
fn every_operation_builds_the_request_its_entry_describes() {
    let mut names = HashSet::new();
    for o in OPERATIONS {
        assert!(names.insert(o.name), "{} twice", o.name);
        let built = (o.build)(&sample_args(o)).unwrap_or_else(|e| panic!("{}: {e}", o.name));
        assert_eq!(built.name, o.bulk_of.unwrap_or(o.name), "{}", o.name);
        if let Some(http) = o.http {
            assert_eq!(built.method, http, "{}", o.name);
        }
        if let Some(path) = o.path {
            assert_eq!(built.path, path.replace("{id}", "x_1"), "{}", o.name);
        }
        match o.resource {
            Some(r) => assert!(o.name.starts_with(&format!("{r}.")) && o.name.ends_with(o.method), "{}", o.name),
            None => assert_eq!(o.name, o.method),
        }
        // The lookups the wasm facade uses.
        if o.result == ResultKind::Bulk {
            assert!(contract::bulk_operation(o.name).is_ok());
            assert!(contract::operation(o.name).is_err(), "{} is not callable alone", o.name);
            let single = contract::operation(o.bulk_of.expect("a bulk method names its operation")).unwrap();
            assert_eq!((single.resource, single.http, single.path), (o.resource, o.http, o.path));
            assert_eq!(o.args.len(), 1);
        } else {
            assert!(contract::operation(o.name).is_ok());
            assert!(o.bulk_of.is_none());
        }
    }
    let api = OPERATIONS.iter().filter(|o| o.resource.is_some() && o.result != ResultKind::Bulk).count();
    assert_eq!((api + 1, OPERATIONS.len()), (14, 17), "14 API operations (authenticate included), request, 2 bulk");
    let e = contract::operation("people.wibble").unwrap_err();
    assert_eq!((e.kind(), e.field()), (ErrorKind::Validation, Some("operation")));
    assert!(contract::bulk_operation("people.get").is_err());
}

const KINDS: [ErrorKind; 15] = [
    ErrorKind::Config,
    ErrorKind::Validation,
    ErrorKind::BadRequest,
    ErrorKind::Authentication,
    ErrorKind::PermissionDenied,
    ErrorKind::NotFound,
    ErrorKind::Conflict,
    ErrorKind::UnprocessableEntity,
    ErrorKind::RateLimit,
    ErrorKind::InternalServer,
    ErrorKind::Api,
    ErrorKind::Connection,
    ErrorKind::Timeout,
    ErrorKind::UserAbort,
    ErrorKind::Decode,
];

#[test]
fn every_error_kind_has_one_class_and_parents_come_first() {
    for k in KINDS {
        let classes: Vec<_> = ERRORS.iter().filter(|e| e.kind == Some(k)).collect();
        assert_eq!(classes.len(), 1, "{k:?}");
        assert_eq!(k.class_name(), classes[0].name);
    }
    assert_eq!(ERRORS.len(), KINDS.len() + 1, "KlipyError plus one class per kind");
    let mut seen = HashSet::new();
    for e in ERRORS {
        if let Some(p) = e.parent {
            assert!(seen.contains(p), "{}'s parent {p} comes first", e.name);
        }
        seen.insert(e.name);
        if let Some(s) = e.status {
            assert_eq!(Some(ErrorKind::from_status(s)), e.kind, "{}", e.name);
            assert_eq!(e.parent, Some("APIError"));
        }
    }
    assert_eq!(ErrorKind::from_status(503), ErrorKind::InternalServer);
    assert_eq!(ErrorKind::from_status(418), ErrorKind::Api);
    assert_eq!(ErrorKind::from_status(302), ErrorKind::Api);
}

fn default_of(scope: Scope, name: &str) -> Value {
    serde_json::from_str(contract::option(scope, name).default).unwrap()
}

#[test]
fn client_defaults_equal_config_default() {
    let c = Config::default();
    let d = |n| default_of(Scope::Client, n);
    assert_eq!(d("baseUrl"), json!(c.base_url()));
    assert_eq!(d("authScheme"), json!("header"));
    assert_eq!(c.auth_scheme, AuthScheme::Header);
    assert_eq!(d("maxRetries"), json!(c.max_retries));
    assert_eq!(d("timeoutMs"), json!(c.timeout_ms));
    assert_eq!(d("deadlineMs"), json!(c.deadline_ms));
    assert_eq!(d("maxRetryWaitMs"), json!(c.max_retry_wait_ms));
    assert_eq!(d("maxResponseBytes"), json!(c.max_response_bytes));
    assert_eq!(d("userAgent"), json!(c.user_agent));
    assert_eq!((d("rateLimit"), c.rate_limit), (json!("adaptive"), RateLimitMode::Adaptive));
    assert!(c.default_headers.is_empty() && d("defaultHeaders").is_null());
    let b = BulkOptions::default();
    assert_eq!(default_of(Scope::Bulk, "concurrency"), json!(b.concurrency));
    assert_eq!(default_of(Scope::Bulk, "stopOnError"), json!(b.stop_on_error));
    shared_budget_defaults_equal_the_contract();
    // Every default is inside its own range.
    for o in OPTIONS {
        if let (Some(n), Some(min), Some(max)) = (default_of(o.scope, o.name).as_u64(), o.min, o.max) {
            assert!((min..=max).contains(&n), "{}", o.name);
        }
    }
}

#[test]
fn option_names_equal_the_core_lists() {
    let names = |scope| OPTIONS.iter().filter(|o| o.scope == scope).map(|o| o.name).collect::<HashSet<_>>();
    let set = |l: &[&'static str]| l.iter().copied().collect::<HashSet<_>>();
    assert_eq!(names(Scope::Client), set(options::CLIENT_OPTIONS));
    assert_eq!(names(Scope::Request), set(options::REQUEST_OPTIONS));
    assert_eq!(names(Scope::Bulk), set(options::BULK_OPTIONS));
    assert_eq!(names(Scope::RateLimit), set(options::RATE_LIMIT_OPTIONS));
    let plain = [
        "integer",
        "string",
        "boolean",
        "function",
        "headers",
        "signal",
        "logger",
        "apiKey",
        "rateLimit",
        "budgetStore",
    ];
    for o in OPTIONS {
        let known = plain.contains(&o.ty) || ENUMS.iter().any(|(n, _)| *n == o.ty);
        assert!(known, "{}: type {}", o.name, o.ty);
        assert_eq!(o.ty == "integer", o.min.is_some() && o.max.is_some(), "{}: a range exactly for integers", o.name);
    }
}

#[test]
fn enums_have_their_documented_values() {
    let e = |name| ENUMS.iter().find(|(n, _)| *n == name).map(|(_, v)| v.len());
    assert_eq!(e("InteractionType"), Some(9));
    assert_eq!(e("InteractionDirection"), Some(5));
    assert_eq!(e("AuthScheme"), Some(2));
    assert_eq!(e("LogLevel"), Some(5));
    assert_eq!(e("WebhookEventType"), Some(13));
    for (_, values) in ENUMS {
        assert_eq!(values.iter().collect::<HashSet<_>>().len(), values.len());
    }
}

/// klipy-mock is the server side, written on its own from the spec (so it can catch the client's
/// mistakes, it shares no code with the core); its lists must still name the same values.
#[test]
fn klipy_mock_accepts_the_same_enum_values() {
    let set = |v: &[&'static str]| v.iter().copied().collect::<HashSet<&str>>();
    let e = |name| set(ENUMS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v).unwrap_or(&[]));
    assert_eq!(e("InteractionType"), set(&klipy_mock::INTERACTION_TYPES));
    assert_eq!(e("InteractionDirection"), set(&klipy_mock::INTERACTION_DIRECTIONS));
    assert_eq!(e("WebhookEventType"), set(&klipy_mock::EVENT_TYPES));
}

/// `rateLimit: { store, … }` defaults are `SharedBudget::new`'s.
#[allow(clippy::arc_with_non_send_sync)] // Send + Sync off wasm; wasm is single-threaded
fn shared_budget_defaults_equal_the_contract() {
    use klipy_sdk::budget::{MemoryBudgetStore, OnStoreError, SharedBudget};
    use std::sync::Arc;
    let b = SharedBudget::new(Arc::new(MemoryBudgetStore::new(Arc::new(klipy_sdk::rt::SystemClock))));
    let d = |n| default_of(Scope::RateLimit, n);
    assert_eq!(d("keyLimit"), json!(b.key_limit));
    assert_eq!(d("groupLimit"), json!(b.group_limit));
    assert_eq!(d("windowMs"), json!(b.window_ms));
    assert_eq!(d("storeTimeoutMs"), json!(b.timeout_ms));
    assert_eq!((d("onStoreError"), b.on_error), (json!("local"), OnStoreError::Local));
    assert!(d("store").is_null() && d("group").is_null() && b.group.is_none());
}
