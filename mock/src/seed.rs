//! Demo data for `--seed-demo`: three companies, ten people and four interactions, all on
//! reserved `.example` domains.

use serde_json::{json, Map, Value};

use crate::store::Store;
use crate::time;

/// What the demo seed created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedSummary {
    /// Companies created.
    pub companies: usize,
    /// People created.
    pub people: usize,
    /// Interactions created.
    pub interactions: usize,
}

fn obj(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Adds the demo records to `store` and counts what was added.
pub(crate) fn demo(store: &mut Store) -> SeedSummary {
    let before = store.counts();
    let now = time::now_ms();
    let companies = [
        ("Acme Corporation", "acme.example", "Manufacturing", "51-200"),
        ("Globex", "globex.example", "Energy", "1001-5000"),
        ("Initech", "initech.example", "Software", "11-50"),
    ];
    let mut company_ids = Vec::new();
    for (name, domain, industry, size) in companies {
        let body = json!({
            "name": name, "domain": domain, "industry": industry, "size": size,
            "website": format!("https://{domain}")
        });
        // A reseed on a non-empty store may collide on a domain: keep what is there.
        if let Ok(company) = store.create_company(obj(body), now) {
            company_ids.push((domain, Value::String(company.id().to_owned())));
        }
    }
    let people = [
        ("Ada", "Lovelace", "CTO", "acme.example"),
        ("Grace", "Hopper", "Head of Engineering", "acme.example"),
        ("Alan", "Turing", "Researcher", "acme.example"),
        ("Katherine", "Johnson", "Analyst", "globex.example"),
        ("Edsger", "Dijkstra", "Architect", "globex.example"),
        ("Barbara", "Liskov", "VP Product", "globex.example"),
        ("Donald", "Knuth", "Author", "initech.example"),
        ("Margaret", "Hamilton", "Director", "initech.example"),
        ("John", "Backus", "Engineer", "initech.example"),
        ("Frances", "Allen", "Advisor", "initech.example"),
    ];
    let mut emails = Vec::new();
    for (first, last, title, domain) in people {
        let email = format!("{}@{domain}", first.to_lowercase());
        let company = company_ids.iter().find(|(d, _)| *d == domain).map(|(_, id)| id.clone());
        let body = json!({
            "email": email, "firstName": first, "lastName": last, "title": title,
            "companyId": company, "remarks": "Demo contact"
        });
        if store.create_person(obj(body), now).is_ok() {
            emails.push(email);
        }
    }
    let interactions = [
        ("EMAIL", "INBOUND", "Question about pricing", 0),
        ("MEETING", "HYBRID", "Quarterly review", 3),
        ("MEMO", "INTERNAL", "Follow up next week", 6),
        ("DIRECT_MESSAGE", "OUTBOUND", "Welcome aboard", 1),
    ];
    for (n, (kind, direction, title, who)) in interactions.into_iter().enumerate() {
        let Some(email) = emails.get(who) else {
            continue;
        };
        let body = json!({
            "type": kind, "direction": direction, "title": title,
            "summary": format!("<p>{title}</p>"),
            "mainContactEmail": email,
            "primaryId": format!("demo-{n}"),
            "interactionDate": now - 86_400_000 * (4 - n as i64)
        });
        let _ = store.create_interaction(obj(body), "apikey_1", now);
    }
    let after = store.counts();
    SeedSummary {
        companies: after.companies - before.companies,
        people: after.people - before.people,
        interactions: after.interactions - before.interactions,
    }
}
