//! The `klipy-mock` binary: first stdout line, a request, and a clean exit on SIGTERM.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_klipy-mock"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary starts")
}

/// A plain HTTP/1.1 request over a fresh connection; returns the whole answer.
fn http_get(url: &str, path: &str, key: &str) -> String {
    let authority = url.strip_prefix("http://").and_then(|rest| rest.split('/').next()).unwrap();
    let mut stream = TcpStream::connect(authority).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        stream,
        "GET /api/v1{path} HTTP/1.1\r\nHost: {authority}\r\nX-Klipy-Api-Key: {key}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

fn terminate(child: &mut Child) -> ExitStatus {
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("klipy-mock did not exit after SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn prints_url_first_serves_and_exits_zero_on_sigterm() {
    let mut child = spawn(&["--port", "0", "--key", "klipy_api_bin:people:read", "--seed-demo"]);
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let url = first.trim_end();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(url.ends_with("/api/v1"), "{url}");
    let mut second = String::new();
    stdout.read_line(&mut second).unwrap();
    assert!(second.starts_with("key: klipy_api_"), "{second}");
    assert!(second.contains("people:read"), "{second}");
    assert!(!second.contains("klipy_api_bin"), "given keys are masked: {second}");

    let answer = http_get(url, "/authenticate", "klipy_api_bin");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"team_name\""), "{answer}");
    let answer = http_get(url, "/companies/cmp_x", "klipy_api_bin");
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");

    let status = terminate(&mut child);
    assert_eq!(status.code(), Some(0));
}

#[test]
fn generates_a_short_demo_key_when_none_is_given() {
    let mut child = spawn(&["--port", "0"]);
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = String::new();
    stdout.read_line(&mut url).unwrap();
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let key = line
        .strip_prefix("demo key: ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    let suffix = key.strip_prefix("klipy_api_demo_").unwrap();
    assert_eq!(suffix.len(), 8);
    assert!(line.contains("scopes: ALL"), "{line}");
    let answer = http_get(url.trim_end(), "/authenticate", &key);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(terminate(&mut child).code(), Some(0));
}

#[test]
fn bad_arguments_exit_2_with_a_clear_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_klipy-mock")).args(["--per-key-rpm", "zero"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--per-key-rpm"), "{stderr}");
    assert!(output.stdout.is_empty());

    let output = Command::new(env!("CARGO_BIN_EXE_klipy-mock")).arg("--help").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stdout).contains("--window-secs"));
}

/// Reads stdout lines until `press Ctrl-C to stop`.
fn banner(child: &mut Child) -> Vec<String> {
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "stdout ended: {lines:?}");
        lines.push(line.trim_end().to_owned());
        if line.starts_with("press Ctrl-C") {
            return lines;
        }
    }
}

#[test]
fn prints_webhook_endpoints_and_a_generated_secret_masks_a_given_one() {
    let mut child = spawn(&["--port", "0", "--webhook-url", "http://127.0.0.1:9/hook"]);
    let lines = banner(&mut child);
    assert!(lines[0].ends_with("/api/v1"), "{lines:?}");
    assert!(lines.contains(&"webhook: http://127.0.0.1:9/hook".to_owned()), "{lines:?}");
    let secret = lines.iter().find_map(|l| l.strip_prefix("webhook secret: ")).expect("secret line");
    assert!(secret.starts_with("whsec_") && secret.ends_with(" (generated)"), "{secret}");
    assert!(lines.contains(&"webhook headers: svix-*, retry scale 0.01".to_owned()), "{lines:?}");
    assert_eq!(terminate(&mut child).code(), Some(0));

    let given = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX";
    let args = ["--port", "0", "--webhook-url", "http://localhost:9", "--webhook-secret", given];
    let mut child = spawn(&[&args[..], &["--webhook-headers", "both"]].concat());
    let lines = banner(&mut child);
    assert!(lines.contains(&"webhook secret: whsec_… (38 chars)".to_owned()), "{lines:?}");
    assert!(!lines.concat().contains("AAECAwQF"), "given secrets are masked: {lines:?}");
    assert!(lines.contains(&"webhook headers: webhook-* and svix-*, retry scale 0.01".to_owned()), "{lines:?}");
    assert_eq!(terminate(&mut child).code(), Some(0));
}

#[test]
fn refuses_webhook_urls_off_this_machine_with_exit_2() {
    for (args, needle) in [
        (&["--webhook-url", "http://example.com/hook"][..], "never to another host"),
        (&["--webhook-url", "http://192.168.1.10:80/"][..], "never to another host"),
        (&["--webhook-url", "https://127.0.0.1/hook"][..], "only http://"),
        (&["--webhook-secret", "whsec_tooshort"][..], "--webhook-secret"),
        (&["--webhook-retry-scale", "-1"][..], "--webhook-retry-scale"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_klipy-mock")).args(args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!stderr.contains("tooshort"), "a secret is never echoed: {stderr}");
        assert!(output.stdout.is_empty());
    }
}
