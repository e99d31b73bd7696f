//! Records as the API returns them, serialized straight from the store.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Map, Value};

use super::fields::{strip, RECORD_SERVER_FIELDS};
use crate::time;

/// What people and companies share: the server-owned id and timestamps, and every field the
/// client gave (unknown ones included), in the order given.
#[derive(Debug)]
pub(crate) struct Record {
    pub(super) id: String,
    pub(super) fields: Map<String, Value>,
    created_ms: i64,
    updated_ms: i64,
}

impl Record {
    /// A new record; the server-owned fields of `fields` are dropped.
    pub fn new(id: String, mut fields: Map<String, Value>, now: i64) -> Self {
        strip(&mut fields, &RECORD_SERVER_FIELDS);
        Record { id, fields, created_ms: now, updated_ms: now }
    }

    /// Sets the fields of `patch` (server-owned ones dropped) and the update time.
    pub fn apply(&mut self, mut patch: Map<String, Value>, now: i64) {
        strip(&mut patch, &RECORD_SERVER_FIELDS);
        for (key, value) in patch {
            self.fields.insert(key, value);
        }
        self.updated_ms = now;
    }

    /// The record with `known`, its type's contract fields.
    pub fn view(&self, known: &'static [&'static str]) -> View<'_> {
        View::Record { record: self, known }
    }

    /// The answer to a delete.
    pub fn deleted(&self) -> Value {
        json!({"id": self.id, "deleted": true})
    }
}

/// A record serialized straight from the store, without copying it into a `Value` first.
#[derive(Debug)]
pub(crate) enum View<'a> {
    /// A person or a company: `id`, the contract fields (null when unset), the other fields in
    /// the order given, then the timestamps.
    Record { record: &'a Record, known: &'static [&'static str] },
    /// An interaction: `id`, the contract fields and the others as for a record, then the
    /// fields the server computes.
    Interaction {
        id: &'a str,
        known: &'static [&'static str],
        fields: &'a Map<String, Value>,
        date_ms: i64,
        contacts: &'a [String],
        /// The companies of the contacts as they are now.
        companies: Vec<&'a str>,
        created_by: &'a str,
        created_ms: i64,
    },
}

impl View<'_> {
    /// The record's id.
    pub fn id(&self) -> &str {
        match self {
            View::Record { record, .. } => &record.id,
            View::Interaction { id, .. } => id,
        }
    }
}

static NULL: Value = Value::Null;

/// Most contract fields a record type may have (each resource asserts it stays within).
pub(super) const MAX_KNOWN: usize = 8;

/// Writes the contract fields in their order (null when unset), then the other fields in the
/// order they were given; one pass over the record, no hashing.
fn serialize_fields<M: SerializeMap>(map: &mut M, known: &[&str], fields: &Map<String, Value>) -> Result<(), M::Error> {
    let mut slots: [Option<&Value>; MAX_KNOWN] = [None; MAX_KNOWN];
    let mut extra = false;
    for (key, value) in fields {
        match known.iter().position(|k| k == key) {
            Some(i) if i < MAX_KNOWN => slots[i] = Some(value),
            _ => extra = true,
        }
    }
    for (i, field) in known.iter().enumerate() {
        map.serialize_entry(field, slots.get(i).copied().flatten().unwrap_or(&NULL))?;
    }
    if extra {
        for (key, value) in fields {
            if !known.contains(&key.as_str()) {
                map.serialize_entry(key, value)?;
            }
        }
    }
    Ok(())
}

impl Serialize for View<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            View::Record { record, known } => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("id", &record.id)?;
                serialize_fields(&mut map, known, &record.fields)?;
                map.serialize_entry("createdAt", &time::Iso8601(record.created_ms))?;
                map.serialize_entry("updatedAt", &time::Iso8601(record.updated_ms))?;
                map.end()
            }
            View::Interaction { id, known, fields, date_ms, contacts, companies, created_by, created_ms } => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("id", id)?;
                serialize_fields(&mut map, known, fields)?;
                map.serialize_entry("interactionDate", &time::Iso8601(*date_ms))?;
                map.serialize_entry("contacts", contacts)?;
                map.serialize_entry("companies", companies)?;
                map.serialize_entry("sentiment", &NULL)?;
                map.serialize_entry("source", "API")?;
                map.serialize_entry("createdBy", created_by)?;
                map.serialize_entry("creationTime", &time::Iso8601(*created_ms))?;
                map.end()
            }
        }
    }
}
