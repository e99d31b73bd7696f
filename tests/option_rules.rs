//! Option rules live once, in the core: type and range with one message per rule, the ranges
//! taken from the contract's options table. The wasm facade and the Rust builders use the same
//! checks (`klipy_sdk::options::{whole, text, flag, one_of, check_range}`).

use klipy_sdk::contract::Scope::{Bulk, Client as ClientScope, RateLimit, Request};
use klipy_sdk::options::{check_range, flag, one_of, text, whole, Given};
use klipy_sdk::transport::scripted::ScriptedTransport;
use klipy_sdk::{ApiKey, Client, Config, ErrorKind, RequestOptions};

const KEY: &str = "klipy_api_testkey123";

fn message(r: Result<impl std::fmt::Debug, klipy_sdk::Error>) -> String {
    let e = r.expect_err("a ConfigError");
    assert_eq!(e.kind(), ErrorKind::Config, "{e}");
    e.to_string()
}

#[test]
fn whole_numbers_are_checked_for_type_and_range_with_one_message() {
    let cases: [(Given, &str); 7] = [
        (Given::Text("3".into()), "Option `maxRetries` must be a whole number from 0 to 10, not \"3\" (a string)."),
        (Given::Number(11.0), "Option `maxRetries` must be a whole number from 0 to 10, not 11."),
        (Given::Number(-1.0), "Option `maxRetries` must be a whole number from 0 to 10, not -1."),
        (Given::Number(2.5), "Option `maxRetries` must be a whole number from 0 to 10, not 2.5."),
        (Given::Number(f64::NAN), "Option `maxRetries` must be a whole number from 0 to 10, not NaN."),
        (Given::Bool(true), "Option `maxRetries` must be a whole number from 0 to 10, not true (a boolean)."),
        (Given::Other("an object"), "Option `maxRetries` must be a whole number from 0 to 10, not an object."),
    ];
    for (given, want) in cases {
        assert_eq!(message(whole(ClientScope, "maxRetries", &given)), want);
    }
    assert_eq!(whole(ClientScope, "maxRetries", &Given::Number(10.0)).unwrap(), Some(10));
    assert_eq!(whole(ClientScope, "maxRetries", &Given::Absent).unwrap(), None);
    // Ranges come from the table: 0 is no timeout, a rate-limit field is named with its parent.
    assert_eq!(
        message(whole(Request, "timeoutMs", &Given::Number(0.0))),
        "Option `timeoutMs` must be a whole number from 1 to 86400000, not 0."
    );
    assert_eq!(
        message(whole(RateLimit, "requestsPerMinute", &Given::Text("lots".into()))),
        "Option `rateLimit.requestsPerMinute` must be a whole number from 0 to 1000000, not \"lots\" (a string)."
    );
    assert_eq!(
        message(whole(Bulk, "concurrency", &Given::Number(0.0))),
        "Option `concurrency` must be a whole number from 1 to 256, not 0."
    );
}

#[test]
fn strings_booleans_and_enums_have_one_message_each() {
    assert_eq!(
        message(text(ClientScope, "userAgent", Given::Number(7.0))),
        "Option `userAgent` must be a string, not 7."
    );
    assert_eq!(text(ClientScope, "baseUrl", Given::Text("x".into())).unwrap().as_deref(), Some("x"));
    assert_eq!(
        message(flag(Bulk, "stopOnError", &Given::Text("yes".into()))),
        "Option `stopOnError` must be a boolean, not \"yes\" (a string)."
    );
    assert_eq!(flag(Bulk, "stopOnError", &Given::Bool(true)).unwrap(), Some(true));
    assert_eq!(
        message(one_of(ClientScope, "authScheme", Given::Text("basic".into()))),
        "Option `authScheme` must be one of \"header\", \"bearer\", not \"basic\" (a string)."
    );
    assert_eq!(
        message(one_of(ClientScope, "authScheme", Given::Bool(true))),
        "Option `authScheme` must be one of \"header\", \"bearer\", not true (a boolean)."
    );
    assert_eq!(one_of(ClientScope, "authScheme", Given::Text("bearer".into())).unwrap().as_deref(), Some("bearer"));
}

#[test]
fn the_rust_builders_give_the_same_messages() {
    assert_eq!(
        message(check_range(ClientScope, "maxRetries", 11)),
        "Option `maxRetries` must be a whole number from 0 to 10, not 11."
    );
    let build = |config: Config| {
        Client::builder_with(ScriptedTransport::new([])).config(config).api_key(ApiKey::new(KEY).unwrap()).build()
    };
    let mut c = Config::default();
    c.max_retries = 11;
    assert_eq!(message(build(c)), "Option `maxRetries` must be a whole number from 0 to 10, not 11.");
    let mut c = Config::default();
    c.timeout_ms = 0;
    assert_eq!(message(build(c)), "Option `timeoutMs` must be a whole number from 1 to 86400000, not 0.");
    let mut c = Config::default();
    c.max_response_bytes = 0;
    assert!(message(build(c)).starts_with("Option `maxResponseBytes` must be a whole number from 1 to "));
    let o = RequestOptions { max_retries: Some(11), ..RequestOptions::default() };
    assert_eq!(message(o.validate()), "Option `maxRetries` must be a whole number from 0 to 10, not 11.");
}
