//! Interactions: created once (deduplicated by `primaryId`/`secondaryId`), read and queried;
//! a main contact given by email that no person has creates that person.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::fields::{check_strings, is_email, present, strip};
use super::query::{take_page, CreationOrder, Page, Table};
use super::view::{View, MAX_KNOWN};
use super::{unique_id, Store};
use crate::error::{ApiError, FieldErrors};
use crate::time;

/// Interaction fields a client sends, in the order they are returned.
const INTERACTION_FIELDS: [&str; 8] =
    ["type", "direction", "title", "summary", "mainContact", "mainContactEmail", "primaryId", "secondaryId"];
const _: () = assert!(INTERACTION_FIELDS.len() <= MAX_KNOWN);
/// Interaction fields the server owns or computes; ignored when sent (`interactionDate` is
/// read separately and stored as epoch milliseconds).
const INTERACTION_SERVER_FIELDS: [&str; 8] =
    ["id", "interactionDate", "contacts", "companies", "sentiment", "source", "createdBy", "creationTime"];
/// Allowed interaction `type` values.
pub const INTERACTION_TYPES: [&str; 9] = [
    "DIRECT_MESSAGE",
    "EMAIL",
    "MEETING",
    "MEMO",
    "BOOKING_CREATED",
    "BOOKING_CANCELLED",
    "MANUAL",
    "API_EVENT",
    "VOICE_NOTE",
];
/// Allowed interaction `direction` values.
pub const DIRECTIONS: [&str; 5] = ["INBOUND", "OUTBOUND", "HYBRID", "INTERNAL", "EVENT"];
const MAX_TITLE_CHARS: usize = 1000;
const MAX_SUMMARY_CHARS: usize = 10_000;

#[derive(Debug)]
struct Interaction {
    id: String,
    fields: Map<String, Value>,
    date_ms: i64,
    contacts: Vec<String>,
    created_ms: i64,
    created_by: String,
}

#[derive(Debug)]
pub(super) struct Interactions {
    by_id: HashMap<String, Interaction>,
    pub order: CreationOrder,
    /// `(primaryId, secondaryId)` → interaction id.
    dedupe: HashMap<(String, Option<String>), String>,
}

impl Interactions {
    pub fn new() -> Self {
        Interactions { by_id: HashMap::new(), order: CreationOrder::new(Table::Interactions), dedupe: HashMap::new() }
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }
}

impl Store {
    pub fn get_interaction(&self, id: &str) -> Result<View<'_>, ApiError> {
        self.interactions
            .by_id
            .get(id)
            .map(|i| self.interaction_view(i))
            .ok_or_else(|| ApiError::not_found("interaction", id))
    }

    /// `POST /interactions`: `(is_duplicate, {"id", "isDuplicate"})`.
    pub fn create_interaction(
        &mut self,
        mut input: Map<String, Value>,
        created_by: &str,
        now: i64,
    ) -> Result<(bool, Value), ApiError> {
        let date_ms = validate_interaction(&input, now)?;
        let primary = input.get("primaryId").and_then(Value::as_str);
        let secondary = input.get("secondaryId").and_then(Value::as_str);
        let dedupe_key = primary.map(|p| (p.to_owned(), secondary.map(str::to_owned)));
        if let Some(existing) = dedupe_key.as_ref().and_then(|k| self.interactions.dedupe.get(k)) {
            return Ok((true, json!({"id": existing, "isDuplicate": true})));
        }

        let people = &mut self.people;
        let (contact_id, contact_email) = match present(&input, "mainContact") {
            Some(Value::String(id)) => {
                let person =
                    people.by_id.get(id).ok_or_else(|| ApiError::field("mainContact", "no person has this id"))?;
                (person.record.id.clone(), person.record.fields.get("email").cloned())
            }
            _ => {
                let email = present(&input, "mainContactEmail").and_then(Value::as_str).unwrap_or_default().to_owned();
                match people.with_email(&email) {
                    Some(person) => (person.record.id.clone(), person.record.fields.get("email").cloned()),
                    None => {
                        let mut fields = Map::new();
                        fields.insert("email".into(), Value::String(email.clone()));
                        let person = people.insert_new(fields, email.to_lowercase(), now);
                        (person.record.id.clone(), Some(Value::String(email)))
                    }
                }
            }
        };

        strip(&mut input, &INTERACTION_SERVER_FIELDS);
        input.insert("mainContact".into(), Value::String(contact_id.clone()));
        input.insert("mainContactEmail".into(), contact_email.unwrap_or(Value::Null));
        let interactions = &mut self.interactions;
        let id = unique_id("int_", |id| interactions.by_id.contains_key(id));
        interactions.order.push(id.clone());
        if let Some(key) = dedupe_key {
            interactions.dedupe.insert(key, id.clone());
        }
        interactions.by_id.insert(
            id.clone(),
            Interaction {
                id: id.clone(),
                fields: input,
                date_ms,
                contacts: vec![contact_id],
                created_ms: now,
                created_by: created_by.to_owned(),
            },
        );
        Ok((false, json!({"id": id, "isDuplicate": false})))
    }

    /// The company of a contact as it is now.
    fn company_of_person(&self, person_id: &str) -> Option<&str> {
        self.people.by_id.get(person_id).and_then(|p| p.company.as_deref())
    }

    /// An interaction ready to serialize, with the company ids of its contacts as they are now.
    fn interaction_view<'a>(&'a self, interaction: &'a Interaction) -> View<'a> {
        let mut companies: Vec<&str> = Vec::new();
        for contact in &interaction.contacts {
            if let Some(c) = self.company_of_person(contact) {
                if !companies.contains(&c) {
                    companies.push(c);
                }
            }
        }
        View::Interaction {
            id: &interaction.id,
            known: &INTERACTION_FIELDS,
            fields: &interaction.fields,
            date_ms: interaction.date_ms,
            contacts: &interaction.contacts,
            companies,
            created_by: &interaction.created_by,
            created_ms: interaction.created_ms,
        }
    }

    pub fn query_interactions(&self, body: &Map<String, Value>) -> Result<Page<'_>, ApiError> {
        let q = self.parse_query(&self.interactions.order, body, &["companyId", "contactId"])?;
        let contact = q.filter.get("contactId");
        let company = q.filter.get("companyId").map(String::as_str);
        let wanted = |i: &Interaction| {
            contact.is_none_or(|c| i.contacts.contains(c))
                && company.is_none_or(|c| i.contacts.iter().any(|p| self.company_of_person(p) == Some(c)))
        };
        let interactions = &self.interactions;
        let seqs = interactions
            .order
            .after(&q)
            .filter_map(|(seq, id)| interactions.by_id.get(id).filter(|i| wanted(i)).map(|_| seq));
        let seqs = take_page(seqs, q.limit);
        Ok(self.page(&interactions.order, seqs, |id| interactions.by_id.get(id).map(|i| self.interaction_view(i))))
    }
}

/// Validates a create-interaction body; returns the interaction date in epoch milliseconds.
fn validate_interaction(input: &Map<String, Value>, now: i64) -> Result<i64, ApiError> {
    let mut errors = FieldErrors::default();
    for (field, allowed) in [("type", &INTERACTION_TYPES[..]), ("direction", &DIRECTIONS[..])] {
        match present(input, field) {
            None => errors.add(field, "is required"),
            Some(Value::String(s)) if allowed.contains(&s.as_str()) => {}
            Some(_) => errors.add(field, &format!("must be one of {}", allowed.join(", "))),
        }
    }
    for (field, max) in [("title", MAX_TITLE_CHARS), ("summary", MAX_SUMMARY_CHARS)] {
        match input.get(field) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.chars().count() <= max => {}
            Some(Value::String(_)) => errors.add(field, &format!("must be at most {max} characters")),
            Some(_) => errors.add(field, "must be a string or null"),
        }
    }
    match (present(input, "mainContact"), present(input, "mainContactEmail")) {
        (Some(_), Some(_)) => errors.add("mainContact", "give either mainContact or mainContactEmail, not both"),
        (None, None) => errors.add("mainContact", "mainContact or mainContactEmail is required"),
        (Some(Value::String(id)), None) if !id.is_empty() => {}
        (Some(_), None) => errors.add("mainContact", "must be a person id"),
        (None, Some(Value::String(email))) if is_email(email) => {}
        (None, Some(_)) => errors.add("mainContactEmail", "must be an email address like name@example.com"),
    }
    check_strings(input, &["primaryId", "secondaryId"], &mut errors);
    let date = match input.get("interactionDate") {
        None | Some(Value::Null) => now,
        Some(value) => match value.as_i64() {
            Some(ms) if (0..=time::MAX_EPOCH_MS).contains(&ms) => ms,
            Some(_) => {
                errors.add("interactionDate", "must be epoch milliseconds between 1970 and 9999");
                now
            }
            None => {
                errors.add("interactionDate", "must be an integer (epoch milliseconds)");
                now
            }
        },
    };
    errors.into_result()?;
    Ok(date)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::{obj, val};
    use super::*;

    #[test]
    fn interactions_dedupe_and_create_contacts() {
        let mut store = Store::new();
        let company = val(store.create_company(obj(json!({"name": "Acme", "domain": "ACME.example"})), 1).unwrap());
        assert_eq!(company["domain"], "acme.example");
        let body = json!({
            "type": "EMAIL", "direction": "INBOUND", "title": "Hi",
            "mainContactEmail": "new@acme.example", "primaryId": "m1",
            "interactionDate": 1_700_000_000_000_i64, "extra": [1, 2]
        });
        let (dup, created) = store.create_interaction(obj(body.clone()), "apikey_1", 2).unwrap();
        assert!(!dup);
        let (dup, again) = store.create_interaction(obj(body), "apikey_1", 3).unwrap();
        assert!(dup);
        assert_eq!(again["id"], created["id"]);
        let pid = store.query_people(&obj(json!({"filter": {"email": "new@acme.example"}}))).unwrap().items[0]
            .id()
            .to_owned();
        store.update_person(&pid, obj(json!({"companyId": company["id"].clone()})), 4).unwrap();
        let read = val(store.get_interaction(created["id"].as_str().unwrap()).unwrap());
        assert_eq!(read["interactionDate"], "2023-11-14T22:13:20.000Z");
        assert_eq!(read["contacts"], json!([pid]));
        assert_eq!(read["companies"], json!([company["id"]]));
        assert_eq!(read["source"], "API");
        assert_eq!(read["extra"], json!([1, 2]));
        let by_company = store.query_interactions(&obj(json!({"filter": {"companyId": company["id"]}}))).unwrap();
        assert_eq!(by_company.items.len(), 1);
    }

    #[test]
    fn interaction_validation() {
        let mut store = Store::new();
        for (body, field) in [
            (json!({"direction": "INBOUND", "mainContactEmail": "a@b.co"}), "type"),
            (json!({"type": "FAX", "direction": "INBOUND", "mainContactEmail": "a@b.co"}), "type"),
            (json!({"type": "EMAIL", "direction": "INBOUND"}), "mainContact"),
            (
                json!({"type": "EMAIL", "direction": "INBOUND", "mainContact": "per_x", "mainContactEmail": "a@b.co"}),
                "mainContact",
            ),
            (
                json!({"type": "EMAIL", "direction": "INBOUND", "mainContactEmail": "a@b.co", "interactionDate": "2024-01-01"}),
                "interactionDate",
            ),
            (
                json!({"type": "EMAIL", "direction": "INBOUND", "mainContactEmail": "a@b.co", "interactionDate": 1.5}),
                "interactionDate",
            ),
            (
                json!({"type": "EMAIL", "direction": "INBOUND", "mainContactEmail": "a@b.co", "title": "x".repeat(1001)}),
                "title",
            ),
            (json!({"type": "EMAIL", "direction": "INBOUND", "mainContact": "per_unknown"}), "mainContact"),
        ] {
            let err = store.create_interaction(obj(body), "k", 1).unwrap_err();
            assert_eq!(err.code, "validation_error");
            assert!(err.details.unwrap().get(field).is_some(), "{field}");
        }
    }
}
