//! Quickstart: read the environment, authenticate, upsert a person, stream a query.
//!
//!     KLIPY_API_KEY=… KLIPY_BASE_URL=http://127.0.0.1:4010/api/v1 cargo run --example quickstart
// Native only: `cargo clippy --target wasm32-unknown-unknown --all-targets` builds examples too.
#![cfg_attr(target_arch = "wasm32", no_main)]
#![cfg(not(target_arch = "wasm32"))]
use klipy_sdk::{Client, NewPerson, QueryParams, StreamExt};

#[tokio::main]
async fn main() -> Result<(), klipy_sdk::Error> {
    let client = Client::from_env()?;
    println!("authenticated: team {}", client.authenticate().await?.team_name);
    let ada = NewPerson { email: "ada@example.com".into(), first_name: Some("Ada".into()), ..Default::default() };
    let person = client.people().upsert(&ada).await?;
    println!("upserted {} <{}>", person.id, person.email);
    let mut people = client.people().query(QueryParams { limit: Some(50), ..Default::default() }).stream();
    while let Some(p) = people.next().await {
        let p = p?;
        println!("person {} <{}>", p.id, p.email);
    }
    Ok(())
}
