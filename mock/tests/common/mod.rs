//! Shared helpers: an in-process server on 127.0.0.1:0 and a small HTTP client wrapper.
#![allow(dead_code)]

pub mod receiver;

use std::time::{SystemTime, UNIX_EPOCH};

use klipy_mock::{ApiKey, MockConfig, MockServer, Scope};
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::Value;

/// Key with scope ALL.
pub const KEY: &str = "klipy_api_test_all";
/// Key with people:read only.
pub const READER: &str = "klipy_api_test_reader";
/// Key with companies:read and companies:write (no companies:remove).
pub const COMPANY_WRITER: &str = "klipy_api_test_cw";

pub struct Harness {
    pub server: MockServer,
    pub client: reqwest::Client,
}

pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// Asserts the error envelope and the status, and that X-Request-Id matches meta.
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.body["object"], "error", "{}", self.text);
        assert_eq!(self.code(), code, "{}", self.text);
        assert!(self.body["error"]["message"].is_string());
        assert!(self.body["error"].get("details").is_some());
        self.assert_request_id();
    }

    pub fn assert_request_id(&self) {
        let id = self.header("x-request-id").expect("x-request-id header");
        assert!(id.starts_with("req_"), "{id}");
        assert_eq!(self.body["meta"]["request_id"], id);
        assert_eq!(self.body["meta"]["api_version"], "1");
    }
}

pub fn base_config() -> MockConfig {
    MockConfig::default()
        .with_key(ApiKey::new(KEY, vec![Scope::All]))
        .with_key(ApiKey::new(READER, vec![Scope::PeopleRead]))
        .with_key(ApiKey::new(COMPANY_WRITER, vec![Scope::CompaniesRead, Scope::CompaniesWrite]))
}

pub async fn start() -> Harness {
    start_with(base_config()).await
}

pub async fn start_with(config: MockConfig) -> Harness {
    let server = klipy_mock::start(config).await.expect("server starts");
    let client = reqwest::Client::builder().no_proxy().build().expect("client");
    Harness { server, client }
}

pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64
}

async fn into_resp(response: reqwest::Response) -> Resp {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp { status, headers, text, body }
}

impl Harness {
    /// An API call with the ALL key.
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        self.call_as(Some(KEY), method, path, body).await
    }

    /// An API call with the given key (sent as X-Klipy-Api-Key) or none.
    pub async fn call_as(&self, key: Option<&str>, method: &str, path: &str, body: Option<Value>) -> Resp {
        let raw = body.map(|b| serde_json::to_vec(&b).unwrap());
        self.raw(key, method, path, raw, &[]).await
    }

    /// An API call with raw body bytes and extra headers.
    pub async fn raw(
        &self,
        key: Option<&str>,
        method: &str,
        path: &str,
        body: Option<Vec<u8>>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.client.request(method, format!("{}{}", self.server.url(), path));
        if let Some(key) = key {
            request = request.header("X-Klipy-Api-Key", key);
        }
        if let Some(body) = body {
            request = request.header("content-type", "application/json").body(body);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        into_resp(request.send().await.expect("request sent")).await
    }

    /// A call to the control API (path after the root, e.g. `/__mock/faults`).
    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Resp {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.client.request(method, format!("{}{}", self.server.root_url(), path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        into_resp(request.send().await.expect("control request sent")).await
    }

    /// Adds faults and asserts they were accepted.
    pub async fn faults(&self, faults: Value) {
        let r = self.control("POST", "/__mock/faults", Some(faults)).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }

    /// The request log entries.
    pub async fn requests(&self) -> Vec<Value> {
        let r = self.control("GET", "/__mock/requests", None).await;
        r.body["requests"].as_array().cloned().unwrap_or_default()
    }

    /// Creates a person and returns its id.
    pub async fn person(&self, email: &str) -> String {
        let r = self.call("POST", "/people", Some(serde_json::json!({ "email": email }))).await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["data"]["id"].as_str().unwrap().to_owned()
    }
}
