//! The in-memory workspace: people, companies and interactions (contract §4 and §5).
//!
//! Records keep every field they were given (unknown ones included) in a JSON map; the server
//! owns `id`, the timestamps and the computed interaction fields. Indexes keep the hot paths
//! cheap at 100,000 people: by id and by lower-cased email in hash maps, creation order in a
//! `BTreeMap` keyed by a sequence number (a cursor is a signed sequence number, so finding the
//! next page is a `range` lookup), and people by company in ordered sets.
//!
//! One file per resource (`people`, `companies`, `interactions`), each adding its operations
//! to [`Store`]; `query` holds cursors and pages, `view` the serialized form, `fields` the
//! field checks they share.

mod companies;
mod fields;
pub(crate) mod interactions;
mod people;
mod query;
mod view;

pub(crate) use query::Page;
pub(crate) use view::View;

use crate::ids;

/// Record counts, for the seed summary and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub companies: usize,
    pub people: usize,
    pub interactions: usize,
}

/// The whole workspace.
#[derive(Debug)]
pub(crate) struct Store {
    /// Random per server; with `generation`, makes cursors of other runs or resets unknown.
    salt: u64,
    generation: u64,
    people: people::People,
    companies: companies::Companies,
    interactions: interactions::Interactions,
}

impl Store {
    pub fn new() -> Self {
        Store::with_generation(ids::next_u64(), 0)
    }

    fn with_generation(salt: u64, generation: u64) -> Self {
        Store {
            salt,
            generation,
            people: people::People::new(),
            companies: companies::Companies::default(),
            interactions: interactions::Interactions::new(),
        }
    }

    /// Empties the store; cursors issued before become unknown.
    pub fn reset(&mut self) {
        *self = Store::with_generation(self.salt, self.generation + 1);
    }

    pub fn counts(&self) -> Counts {
        Counts {
            companies: self.companies.len(),
            people: self.people.by_id.len(),
            interactions: self.interactions.len(),
        }
    }
}

/// A fresh record id with `prefix` that `taken` does not know.
fn unique_id(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    loop {
        let id = ids::record_id(prefix);
        if !taken(&id) {
            return id;
        }
    }
}

#[cfg(test)]
mod testing {
    use serde::Serialize;
    use serde_json::{Map, Value};

    pub fn val(view: impl Serialize) -> Value {
        serde_json::to_value(view).unwrap()
    }

    pub fn obj(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }
}
