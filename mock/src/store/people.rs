//! People: records indexed by id, lower-cased email, creation order and company.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::fields::{check_strings, is_email, required_string, Mode};
use super::query::{take_page, CreationOrder, Page, Table};
use super::view::{Record, View, MAX_KNOWN};
use super::{unique_id, Store};
use crate::error::{ApiError, FieldErrors};

/// Person fields of the contract, in the order they are returned.
const PERSON_FIELDS: [&str; 8] =
    ["email", "firstName", "lastName", "title", "phone", "linkedinUrl", "companyId", "remarks"];
const _: () = assert!(PERSON_FIELDS.len() <= MAX_KNOWN);

#[derive(Debug)]
pub(super) struct Person {
    pub record: Record,
    seq: u64,
    email_key: String,
    pub company: Option<String>,
}

impl Person {
    fn view(&self) -> View<'_> {
        self.record.view(&PERSON_FIELDS)
    }
}

#[derive(Debug)]
pub(super) struct People {
    pub by_id: HashMap<String, Person>,
    pub by_email: HashMap<String, String>,
    pub order: CreationOrder,
    by_company: HashMap<String, BTreeSet<u64>>,
}

impl People {
    pub fn new() -> Self {
        People {
            by_id: HashMap::new(),
            by_email: HashMap::new(),
            order: CreationOrder::new(Table::People),
            by_company: HashMap::new(),
        }
    }

    /// The person with this email (any case).
    pub fn with_email(&self, email: &str) -> Option<&Person> {
        self.by_email.get(&email.to_lowercase()).and_then(|id| self.by_id.get(id))
    }

    /// Adds a person (validated, email not taken); `email_key` is its lower-cased email.
    pub fn insert_new(&mut self, fields: Map<String, Value>, email_key: String, now: i64) -> &Person {
        let record = Record::new(unique_id("per_", |id| self.by_id.contains_key(id)), fields, now);
        let id = record.id.clone();
        let seq = self.order.push(id.clone());
        let company = company_of(&record.fields);
        if let Some(c) = &company {
            self.by_company.entry(c.clone()).or_default().insert(seq);
        }
        self.by_email.insert(email_key.clone(), id.clone());
        self.by_id.entry(id).or_insert(Person { record, seq, email_key, company })
    }

    /// Sets the given fields of a person (validated, no email collision) and fixes the indexes.
    fn apply(&mut self, id: &str, patch: Map<String, Value>, now: i64) -> Option<&Person> {
        let person = self.by_id.get_mut(id)?;
        person.record.apply(patch, now);
        let email_key = email_key(&person.record.fields);
        if email_key != person.email_key {
            self.by_email.remove(&person.email_key);
            self.by_email.insert(email_key.clone(), id.to_owned());
            person.email_key = email_key;
        }
        let company = company_of(&person.record.fields);
        if company != person.company {
            if let Some(old) = person.company.take() {
                remove_from_set(&mut self.by_company, &old, person.seq);
            }
            if let Some(new) = &company {
                self.by_company.entry(new.clone()).or_default().insert(person.seq);
            }
            person.company = company;
        }
        Some(person)
    }

    fn remove(&mut self, id: &str) -> Option<Person> {
        let person = self.by_id.remove(id)?;
        self.by_email.remove(&person.email_key);
        self.order.remove(person.seq);
        if let Some(c) = &person.company {
            remove_from_set(&mut self.by_company, c, person.seq);
        }
        Some(person)
    }
}

impl Store {
    pub fn get_person(&self, id: &str) -> Result<View<'_>, ApiError> {
        self.people.by_id.get(id).map(Person::view).ok_or_else(|| ApiError::not_found("person", id))
    }

    pub fn create_person(&mut self, input: Map<String, Value>, now: i64) -> Result<View<'_>, ApiError> {
        validate_person(&input, Mode::Create)?;
        let key = email_key(&input);
        if let Some(existing) = self.people.by_email.get(&key) {
            return Err(ApiError::conflict("email", "a person with this email already exists", existing));
        }
        Ok(self.people.insert_new(input, key, now).view())
    }

    /// `PUT /people`: `(created, person)`.
    pub fn upsert_person(&mut self, input: Map<String, Value>, now: i64) -> Result<(bool, View<'_>), ApiError> {
        validate_person(&input, Mode::Create)?;
        let key = email_key(&input);
        match self.people.by_email.get(&key).cloned() {
            Some(id) => self
                .people
                .apply(&id, input, now)
                .map(|p| (false, p.view()))
                .ok_or_else(|| ApiError::not_found("person", &id)),
            None => Ok((true, self.people.insert_new(input, key, now).view())),
        }
    }

    pub fn update_person(&mut self, id: &str, patch: Map<String, Value>, now: i64) -> Result<View<'_>, ApiError> {
        if !self.people.by_id.contains_key(id) {
            return Err(ApiError::not_found("person", id));
        }
        validate_person(&patch, Mode::Patch)?;
        if let Some(Value::String(email)) = patch.get("email") {
            if let Some(other) = self.people.by_email.get(&email.to_lowercase()) {
                if other != id {
                    return Err(ApiError::conflict("email", "another person has this email", other));
                }
            }
        }
        self.people.apply(id, patch, now).map(Person::view).ok_or_else(|| ApiError::not_found("person", id))
    }

    pub fn delete_person(&mut self, id: &str) -> Result<Value, ApiError> {
        self.people.remove(id).map(|p| p.record.deleted()).ok_or_else(|| ApiError::not_found("person", id))
    }

    pub fn query_people(&self, body: &Map<String, Value>) -> Result<Page<'_>, ApiError> {
        let q = self.parse_query(&self.people.order, body, &["email", "companyId"])?;
        let people = &self.people;
        let company = q.filter.get("companyId").map(String::as_str);
        let in_company = |p: &Person| company.is_none_or(|c| p.company.as_deref() == Some(c));
        let seqs = if let Some(email) = q.filter.get("email") {
            let found = people
                .with_email(email)
                .filter(|p| in_company(p) && q.after.is_none_or(|after| p.seq > after))
                .map(|p| p.seq);
            take_page(found.into_iter(), q.limit)
        } else if let Some(company) = company {
            match people.by_company.get(company) {
                Some(seqs) => take_page(seqs.range(q.range()).copied(), q.limit),
                None => (Vec::new(), false),
            }
        } else {
            take_page(people.order.after(&q).map(|(seq, _)| seq), q.limit)
        };
        Ok(self.page(&people.order, seqs, |id| people.by_id.get(id).map(Person::view)))
    }
}

fn company_of(fields: &Map<String, Value>) -> Option<String> {
    fields.get("companyId").and_then(Value::as_str).map(str::to_owned)
}

/// The email index key: the lower-cased email, empty when there is none.
fn email_key(fields: &Map<String, Value>) -> String {
    fields.get("email").and_then(Value::as_str).map(str::to_lowercase).unwrap_or_default()
}

fn remove_from_set(index: &mut HashMap<String, BTreeSet<u64>>, key: &str, seq: u64) {
    if let Some(set) = index.get_mut(key) {
        set.remove(&seq);
        if set.is_empty() {
            index.remove(key);
        }
    }
}

fn validate_person(input: &Map<String, Value>, mode: Mode) -> Result<(), ApiError> {
    let mut errors = FieldErrors::default();
    if let Some(email) = required_string(input, "email", mode, &mut errors) {
        if !is_email(email) {
            errors.add("email", "must be an email address like name@example.com");
        }
    }
    check_strings(input, &PERSON_FIELDS[1..], &mut errors);
    errors.into_result()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::{obj, val};
    use super::*;

    #[test]
    fn people_round_trip_unknown_fields_and_index_email() {
        let mut store = Store::new();
        let p = val(store
            .create_person(obj(json!({"email": "Ada@Example.com", "custom": {"x": 1}, "id": "mine"})), 5)
            .unwrap());
        let id = p["id"].as_str().unwrap().to_owned();
        assert!(id.starts_with("per_"));
        assert_eq!(p["custom"]["x"], 1);
        assert!(p["firstName"].is_null());
        let err = store.create_person(obj(json!({"email": "ada@example.COM"})), 6).unwrap_err();
        assert_eq!(err.code, "conflict");
        let (created, updated) =
            store.upsert_person(obj(json!({"email": "ADA@example.com", "firstName": "Ada"})), 7).unwrap();
        assert!(!created);
        let updated = val(updated);
        assert_eq!(updated["id"], id.as_str());
        assert_eq!(updated["custom"]["x"], 1);
        let patched =
            val(store.update_person(&id, obj(json!({"firstName": null, "email": "ada@new.example"})), 8).unwrap());
        assert!(patched["firstName"].is_null());
        let found = store.query_people(&obj(json!({"filter": {"email": "ADA@NEW.example"}}))).unwrap();
        assert_eq!(found.items.len(), 1);
        store.delete_person(&id).unwrap();
        assert_eq!(store.delete_person(&id).unwrap_err().code, "not_found");
        assert!(store.query_people(&obj(json!({"filter": {"email": "ada@new.example"}}))).unwrap().items.is_empty());
    }
}
