//! The README's Rust section quotes examples/quickstart.rs verbatim, and its `main` stays short
//! (the issue's bar: ≤ 15 lines to read the environment, authenticate, upsert and stream).

const README: &str = include_str!("../README.md");
const QUICKSTART: &str = include_str!("../examples/quickstart.rs");

#[test]
fn readme_quotes_the_quickstart_verbatim() {
    let quoted = format!("```rust\n{}\n```", QUICKSTART.trim_end());
    assert!(README.contains(&quoted), "README.md's Rust section must quote examples/quickstart.rs as it is");
}

#[test]
fn quickstart_main_is_at_most_15_lines() {
    let start = QUICKSTART.find("async fn main()").expect("an async main");
    let body = &QUICKSTART[start..];
    let end = body.find("\n}\n").expect("main ends");
    let lines = body[..end].lines().count() - 1; // without the signature line
    assert!(lines <= 15, "main has {lines} lines");
    for step in ["Client::from_env()", ".authenticate()", ".upsert(", ".stream()"] {
        assert!(body[..end].contains(step), "main does {step}");
    }
}
