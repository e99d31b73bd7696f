//! The in-memory workspace: people, companies and interactions (contract §4 and §5).
//!
//! Records keep every field they were given (unknown ones included) in a JSON map; the server
//! owns `id`, the timestamps and the computed interaction fields. Indexes keep the hot paths
//! cheap at 100,000 people: by id and by lower-cased email in hash maps, creation order in a
//! `BTreeMap` keyed by a sequence number (a cursor is a signed sequence number, so finding the
//! next page is a `range` lookup), and people by company in ordered sets.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Bound;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Map, Value};

use crate::error::{ApiError, FieldErrors};
use crate::{ids, time};

/// Person fields of the contract, in the order they are returned.
const PERSON_FIELDS: [&str; 8] =
    ["email", "firstName", "lastName", "title", "phone", "linkedinUrl", "companyId", "remarks"];
/// Company fields of the contract, in the order they are returned.
const COMPANY_FIELDS: [&str; 5] = ["name", "domain", "industry", "size", "website"];
/// Fields the server owns on people and companies; ignored when sent.
const RECORD_SERVER_FIELDS: [&str; 3] = ["id", "createdAt", "updatedAt"];
/// Interaction fields a client sends, in the order they are returned.
const INTERACTION_FIELDS: [&str; 8] =
    ["type", "direction", "title", "summary", "mainContact", "mainContactEmail", "primaryId", "secondaryId"];
/// Interaction fields the server owns or computes; ignored when sent (`interactionDate` is
/// read separately and stored as epoch milliseconds).
const INTERACTION_SERVER_FIELDS: [&str; 8] =
    ["id", "interactionDate", "contacts", "companies", "sentiment", "source", "createdBy", "creationTime"];
/// Allowed interaction `type` values.
const INTERACTION_TYPES: [&str; 9] = [
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
const DIRECTIONS: [&str; 5] = ["INBOUND", "OUTBOUND", "HYBRID", "INTERNAL", "EVENT"];
const MAX_TITLE_CHARS: usize = 1000;
const MAX_SUMMARY_CHARS: usize = 10_000;
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: u64 = 100;

/// Which list a cursor belongs to.
#[derive(Debug, Clone, Copy)]
enum Table {
    People = 1,
    Interactions = 2,
}

/// One page of a query.
#[derive(Debug)]
pub(crate) struct Page<'a> {
    pub items: Vec<View<'a>>,
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

/// Record counts, for the seed summary and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Counts {
    pub companies: usize,
    pub people: usize,
    pub interactions: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Create,
    Patch,
}

#[derive(Debug)]
struct Person {
    id: String,
    seq: u64,
    email_key: String,
    company: Option<String>,
    fields: Map<String, Value>,
    created_ms: i64,
    updated_ms: i64,
}

impl Person {
    fn view(&self) -> View<'_> {
        View::Record {
            id: &self.id,
            known: &PERSON_FIELDS,
            fields: &self.fields,
            created_ms: self.created_ms,
            updated_ms: self.updated_ms,
        }
    }
}

#[derive(Debug, Default)]
struct People {
    by_id: HashMap<String, Person>,
    by_email: HashMap<String, String>,
    order: BTreeMap<u64, String>,
    by_company: HashMap<String, BTreeSet<u64>>,
    next_seq: u64,
}

impl People {
    fn insert_new(&mut self, mut fields: Map<String, Value>, email_key: String, now: i64) -> &Person {
        strip(&mut fields, &RECORD_SERVER_FIELDS);
        let id = unique_id("per_", |id| self.by_id.contains_key(id));
        let seq = self.next_seq;
        self.next_seq += 1;
        let company = company_of(&fields);
        if let Some(c) = &company {
            self.by_company.entry(c.clone()).or_default().insert(seq);
        }
        self.by_email.insert(email_key.clone(), id.clone());
        self.order.insert(seq, id.clone());
        self.by_id.entry(id.clone()).or_insert(Person {
            id,
            seq,
            email_key,
            company,
            fields,
            created_ms: now,
            updated_ms: now,
        })
    }

    /// Sets the given fields of a person (validated, no email collision) and fixes the indexes.
    fn apply(&mut self, id: &str, mut patch: Map<String, Value>, now: i64) -> Option<&Person> {
        strip(&mut patch, &RECORD_SERVER_FIELDS);
        let person = self.by_id.get_mut(id)?;
        for (key, value) in patch {
            person.fields.insert(key, value);
        }
        person.updated_ms = now;
        let email_key = person.fields.get("email").and_then(Value::as_str).map(str::to_lowercase).unwrap_or_default();
        if email_key != person.email_key {
            self.by_email.remove(&person.email_key);
            self.by_email.insert(email_key.clone(), id.to_owned());
            person.email_key = email_key;
        }
        let company = company_of(&person.fields);
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
        self.order.remove(&person.seq);
        if let Some(c) = &person.company {
            remove_from_set(&mut self.by_company, c, person.seq);
        }
        Some(person)
    }
}

#[derive(Debug)]
struct Company {
    id: String,
    domain_key: Option<String>,
    fields: Map<String, Value>,
    created_ms: i64,
    updated_ms: i64,
}

impl Company {
    fn view(&self) -> View<'_> {
        View::Record {
            id: &self.id,
            known: &COMPANY_FIELDS,
            fields: &self.fields,
            created_ms: self.created_ms,
            updated_ms: self.updated_ms,
        }
    }
}

#[derive(Debug, Default)]
struct Companies {
    by_id: HashMap<String, Company>,
    by_domain: HashMap<String, String>,
}

#[derive(Debug)]
pub(crate) struct Interaction {
    id: String,
    fields: Map<String, Value>,
    date_ms: i64,
    contacts: Vec<String>,
    created_ms: i64,
    created_by: String,
}

#[derive(Debug, Default)]
struct Interactions {
    by_id: HashMap<String, Interaction>,
    order: BTreeMap<u64, String>,
    /// `(primaryId, secondaryId)` → interaction id.
    dedupe: HashMap<(String, Option<String>), String>,
    next_seq: u64,
}

/// The whole workspace.
#[derive(Debug)]
pub(crate) struct Store {
    /// Random per server; with `generation`, makes cursors of other runs or resets unknown.
    salt: u64,
    generation: u64,
    people: People,
    companies: Companies,
    interactions: Interactions,
}

impl Store {
    pub fn new() -> Self {
        Store {
            salt: ids::next_u64(),
            generation: 0,
            people: People::default(),
            companies: Companies::default(),
            interactions: Interactions::default(),
        }
    }

    /// Empties the store; cursors issued before become unknown.
    pub fn reset(&mut self) {
        *self = Store {
            salt: self.salt,
            generation: self.generation + 1,
            people: People::default(),
            companies: Companies::default(),
            interactions: Interactions::default(),
        };
    }

    pub fn counts(&self) -> Counts {
        Counts {
            companies: self.companies.by_id.len(),
            people: self.people.by_id.len(),
            interactions: self.interactions.by_id.len(),
        }
    }

    // ---- cursors ----

    fn mac(&self, table: Table, seq: u64) -> u64 {
        let mut hasher = DefaultHasher::new();
        (self.salt, self.generation, table as u8, seq).hash(&mut hasher);
        hasher.finish() & 0xFFFF_FFFF
    }

    fn cursor(&self, table: Table, seq: u64) -> String {
        format!("cur_{}_{}", ids::encode_base36(seq), ids::encode_base36(self.mac(table, seq)))
    }

    fn parse_cursor(&self, table: Table, cursor: &str) -> Option<u64> {
        let (seq, mac) = cursor.strip_prefix("cur_")?.split_once('_')?;
        let seq = ids::decode_base36(seq)?;
        let issued = match table {
            Table::People => self.people.next_seq,
            Table::Interactions => self.interactions.next_seq,
        };
        (ids::decode_base36(mac)? == self.mac(table, seq) && seq < issued).then_some(seq)
    }

    fn parse_query(&self, table: Table, body: &Map<String, Value>, filters: &[&str]) -> Result<Query, ApiError> {
        let mut errors = FieldErrors::default();
        let after = match body.get("cursor") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => {
                let seq = self.parse_cursor(table, s);
                if seq.is_none() {
                    errors.add("cursor", "is unknown; use the end_cursor of a previous page");
                }
                seq
            }
            Some(_) => {
                errors.add("cursor", "must be a string or null");
                None
            }
        };
        let limit = match body.get("limit") {
            None | Some(Value::Null) => DEFAULT_LIMIT,
            Some(Value::Number(n)) => match n.as_u64() {
                Some(l @ 1..=MAX_LIMIT) => usize::try_from(l).unwrap_or(DEFAULT_LIMIT),
                _ => {
                    errors.add("limit", "must be an integer from 1 to 100");
                    DEFAULT_LIMIT
                }
            },
            Some(_) => {
                errors.add("limit", "must be an integer from 1 to 100");
                DEFAULT_LIMIT
            }
        };
        let mut filter = HashMap::new();
        match body.get("filter") {
            None | Some(Value::Null) => {}
            Some(Value::Object(given)) => {
                for (key, value) in given {
                    let field = format!("filter.{key}");
                    if !filters.contains(&key.as_str()) {
                        errors.add(&field, &format!("is not a filter here (known: {})", filters.join(", ")));
                    } else {
                        match value {
                            Value::String(s) => {
                                filter.insert(key.clone(), s.clone());
                            }
                            Value::Null => {}
                            _ => errors.add(&field, "must be a string"),
                        }
                    }
                }
            }
            Some(_) => errors.add("filter", "must be an object"),
        }
        errors.into_result()?;
        Ok(Query { after, limit, filter })
    }

    // ---- people ----

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
        self.people
            .remove(id)
            .map(|p| json!({"id": p.id, "deleted": true}))
            .ok_or_else(|| ApiError::not_found("person", id))
    }

    pub fn query_people(&self, body: &Map<String, Value>) -> Result<Page<'_>, ApiError> {
        let q = self.parse_query(Table::People, body, &["email", "companyId"])?;
        let people = &self.people;
        let company = q.filter.get("companyId").map(String::as_str);
        let in_company = |p: &Person| company.is_none_or(|c| p.company.as_deref() == Some(c));
        let (seqs, more) = if let Some(email) = q.filter.get("email") {
            let found = people
                .by_email
                .get(&email.to_lowercase())
                .and_then(|id| people.by_id.get(id))
                .filter(|p| in_company(p) && q.after.is_none_or(|after| p.seq > after))
                .map(|p| p.seq);
            take_page(found.into_iter(), q.limit)
        } else if let Some(company) = company {
            match people.by_company.get(company) {
                Some(seqs) => take_page(seqs.range(q.range()).copied(), q.limit),
                None => (Vec::new(), false),
            }
        } else {
            take_page(people.order.range(q.range()).map(|(seq, _)| *seq), q.limit)
        };
        let items = seqs
            .iter()
            .filter_map(|seq| people.order.get(seq))
            .filter_map(|id| people.by_id.get(id))
            .map(Person::view)
            .collect();
        Ok(Page { items, has_next_page: more, end_cursor: seqs.last().map(|seq| self.cursor(Table::People, *seq)) })
    }

    // ---- companies ----

    pub fn get_company(&self, id: &str) -> Result<View<'_>, ApiError> {
        self.companies.by_id.get(id).map(Company::view).ok_or_else(|| ApiError::not_found("company", id))
    }

    pub fn create_company(&mut self, mut input: Map<String, Value>, now: i64) -> Result<View<'_>, ApiError> {
        validate_company(&input, Mode::Create)?;
        let domain_key = normalize_domain(&mut input);
        if let Some(existing) = domain_key.as_ref().and_then(|d| self.companies.by_domain.get(d)) {
            return Err(ApiError::conflict("domain", "a company with this domain already exists", existing));
        }
        strip(&mut input, &RECORD_SERVER_FIELDS);
        let id = unique_id("cmp_", |id| self.companies.by_id.contains_key(id));
        if let Some(d) = &domain_key {
            self.companies.by_domain.insert(d.clone(), id.clone());
        }
        let company = Company { id: id.clone(), domain_key, fields: input, created_ms: now, updated_ms: now };
        Ok(self.companies.by_id.entry(id).or_insert(company).view())
    }

    pub fn update_company(&mut self, id: &str, mut patch: Map<String, Value>, now: i64) -> Result<View<'_>, ApiError> {
        if !self.companies.by_id.contains_key(id) {
            return Err(ApiError::not_found("company", id));
        }
        validate_company(&patch, Mode::Patch)?;
        let new_domain = normalize_domain(&mut patch);
        if let Some(other) = new_domain.as_ref().and_then(|d| self.companies.by_domain.get(d)) {
            if other != id {
                return Err(ApiError::conflict("domain", "another company has this domain", other));
            }
        }
        strip(&mut patch, &RECORD_SERVER_FIELDS);
        let Some(company) = self.companies.by_id.get_mut(id) else {
            return Err(ApiError::not_found("company", id));
        };
        let domain_given = patch.contains_key("domain");
        for (key, value) in patch {
            company.fields.insert(key, value);
        }
        company.updated_ms = now;
        if domain_given && new_domain != company.domain_key {
            if let Some(old) = company.domain_key.take() {
                self.companies.by_domain.remove(&old);
            }
            if let Some(new) = &new_domain {
                self.companies.by_domain.insert(new.clone(), id.to_owned());
            }
            company.domain_key = new_domain;
        }
        Ok(company.view())
    }

    pub fn delete_company(&mut self, id: &str) -> Result<Value, ApiError> {
        let company = self.companies.by_id.remove(id).ok_or_else(|| ApiError::not_found("company", id))?;
        if let Some(d) = &company.domain_key {
            self.companies.by_domain.remove(d);
        }
        Ok(json!({"id": company.id, "deleted": true}))
    }

    // ---- interactions ----

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

        let (contact_id, contact_email) = match present(&input, "mainContact") {
            Some(Value::String(id)) => {
                let person =
                    self.people.by_id.get(id).ok_or_else(|| ApiError::field("mainContact", "no person has this id"))?;
                (person.id.clone(), person.fields.get("email").cloned())
            }
            _ => {
                let email = present(&input, "mainContactEmail").and_then(Value::as_str).unwrap_or_default().to_owned();
                let key = email.to_lowercase();
                match self.people.by_email.get(&key).and_then(|id| self.people.by_id.get(id)) {
                    Some(person) => (person.id.clone(), person.fields.get("email").cloned()),
                    None => {
                        let mut fields = Map::new();
                        fields.insert("email".into(), Value::String(email.clone()));
                        let person = self.people.insert_new(fields, key, now);
                        (person.id.clone(), Some(Value::String(email)))
                    }
                }
            }
        };

        strip(&mut input, &INTERACTION_SERVER_FIELDS);
        input.insert("mainContact".into(), Value::String(contact_id.clone()));
        input.insert("mainContactEmail".into(), contact_email.unwrap_or(Value::Null));
        let id = unique_id("int_", |id| self.interactions.by_id.contains_key(id));
        let seq = self.interactions.next_seq;
        self.interactions.next_seq += 1;
        self.interactions.order.insert(seq, id.clone());
        if let Some(key) = dedupe_key {
            self.interactions.dedupe.insert(key, id.clone());
        }
        self.interactions.by_id.insert(
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

    /// An interaction ready to serialize, with the company ids of its contacts as they are now.
    fn interaction_view<'a>(&'a self, interaction: &'a Interaction) -> View<'a> {
        let mut companies: Vec<&str> = Vec::new();
        for contact in &interaction.contacts {
            if let Some(c) = self.people.by_id.get(contact).and_then(|p| p.company.as_deref()) {
                if !companies.contains(&c) {
                    companies.push(c);
                }
            }
        }
        View::Interaction { interaction, companies }
    }

    pub fn query_interactions(&self, body: &Map<String, Value>) -> Result<Page<'_>, ApiError> {
        let q = self.parse_query(Table::Interactions, body, &["companyId", "contactId"])?;
        let contact = q.filter.get("contactId");
        let company = q.filter.get("companyId");
        let wanted = |i: &Interaction| {
            contact.is_none_or(|c| i.contacts.contains(c))
                && company.is_none_or(|c| {
                    i.contacts.iter().any(|p| self.people.by_id.get(p).is_some_and(|p| p.company.as_ref() == Some(c)))
                })
        };
        let interactions = &self.interactions;
        let seqs = interactions
            .order
            .range(q.range())
            .filter_map(|(seq, id)| interactions.by_id.get(id).filter(|i| wanted(i)).map(|_| *seq));
        let (seqs, more) = take_page(seqs, q.limit);
        let items = seqs
            .iter()
            .filter_map(|seq| interactions.order.get(seq))
            .filter_map(|id| interactions.by_id.get(id))
            .map(|i| self.interaction_view(i))
            .collect();
        Ok(Page {
            items,
            has_next_page: more,
            end_cursor: seqs.last().map(|seq| self.cursor(Table::Interactions, *seq)),
        })
    }
}

/// A parsed query body.
struct Query {
    after: Option<u64>,
    limit: usize,
    filter: HashMap<String, String>,
}

impl Query {
    fn range(&self) -> (Bound<u64>, Bound<u64>) {
        match self.after {
            Some(seq) => (Bound::Excluded(seq), Bound::Unbounded),
            None => (Bound::Unbounded, Bound::Unbounded),
        }
    }
}

/// Up to `limit` sequence numbers, and whether more follow.
fn take_page(seqs: impl Iterator<Item = u64>, limit: usize) -> (Vec<u64>, bool) {
    let mut page = Vec::with_capacity(limit.min(MAX_LIMIT as usize));
    for seq in seqs {
        if page.len() == limit {
            return (page, true);
        }
        page.push(seq);
    }
    (page, false)
}

fn unique_id(prefix: &str, taken: impl Fn(&str) -> bool) -> String {
    loop {
        let id = ids::record_id(prefix);
        if !taken(&id) {
            return id;
        }
    }
}

/// Removes fields (keeping the order of the others).
fn strip(fields: &mut Map<String, Value>, names: &[&str]) {
    for name in names {
        fields.shift_remove(*name);
    }
}

fn remove_from_set(index: &mut HashMap<String, BTreeSet<u64>>, key: &str, seq: u64) {
    if let Some(set) = index.get_mut(key) {
        set.remove(&seq);
        if set.is_empty() {
            index.remove(key);
        }
    }
}

/// A record serialized straight from the store, without copying it into a `Value` first.
#[derive(Debug)]
pub(crate) enum View<'a> {
    /// A person or a company: `id`, the contract fields (null when unset), the other fields in
    /// the order given, then the timestamps.
    Record {
        id: &'a str,
        known: &'static [&'static str],
        fields: &'a Map<String, Value>,
        created_ms: i64,
        updated_ms: i64,
    },
    /// An interaction with its computed fields.
    Interaction { interaction: &'a Interaction, companies: Vec<&'a str> },
}

impl View<'_> {
    /// The record's id.
    pub fn id(&self) -> &str {
        match self {
            View::Record { id, .. } => id,
            View::Interaction { interaction, .. } => &interaction.id,
        }
    }
}

static NULL: Value = Value::Null;

/// Most contract fields a record type has (people and interactions: 8).
const MAX_KNOWN: usize = 8;
const _: () = assert!(
    PERSON_FIELDS.len() <= MAX_KNOWN && COMPANY_FIELDS.len() <= MAX_KNOWN && INTERACTION_FIELDS.len() <= MAX_KNOWN
);

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
            View::Record { id, known, fields, created_ms, updated_ms } => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("id", id)?;
                serialize_fields(&mut map, known, fields)?;
                map.serialize_entry("createdAt", &time::Iso8601(*created_ms))?;
                map.serialize_entry("updatedAt", &time::Iso8601(*updated_ms))?;
                map.end()
            }
            View::Interaction { interaction, companies } => {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("id", &interaction.id)?;
                serialize_fields(&mut map, &INTERACTION_FIELDS, &interaction.fields)?;
                map.serialize_entry("interactionDate", &time::Iso8601(interaction.date_ms))?;
                map.serialize_entry("contacts", &interaction.contacts)?;
                map.serialize_entry("companies", companies)?;
                map.serialize_entry("sentiment", &NULL)?;
                map.serialize_entry("source", "API")?;
                map.serialize_entry("createdBy", &interaction.created_by)?;
                map.serialize_entry("creationTime", &time::Iso8601(interaction.created_ms))?;
                map.end()
            }
        }
    }
}

fn company_of(fields: &Map<String, Value>) -> Option<String> {
    fields.get("companyId").and_then(Value::as_str).map(str::to_owned)
}

fn email_key(fields: &Map<String, Value>) -> String {
    fields.get("email").and_then(Value::as_str).map(str::to_lowercase).unwrap_or_default()
}

/// A field's value unless it is absent or null.
fn present<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    fields.get(name).filter(|v| !v.is_null())
}

/// `something@something.tld`: one `@`, no spaces, a dotted domain without empty labels.
pub(crate) fn is_email(s: &str) -> bool {
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|label| !label.is_empty())
}

fn check_strings(fields: &Map<String, Value>, names: &[&str], errors: &mut FieldErrors) {
    for name in names {
        if let Some(value) = fields.get(*name) {
            if !(value.is_string() || value.is_null()) {
                errors.add(name, "must be a string or null");
            }
        }
    }
}

fn validate_person(input: &Map<String, Value>, mode: Mode) -> Result<(), ApiError> {
    let mut errors = FieldErrors::default();
    match (input.get("email"), mode) {
        (None, Mode::Create) | (Some(Value::Null), Mode::Create) => errors.add("email", "is required"),
        (None, Mode::Patch) => {}
        (Some(Value::Null), Mode::Patch) => errors.add("email", "cannot be cleared"),
        (Some(Value::String(s)), _) if is_email(s) => {}
        (Some(Value::String(_)), _) => errors.add("email", "must be an email address like name@example.com"),
        (Some(_), _) => errors.add("email", "must be a string"),
    }
    check_strings(input, &PERSON_FIELDS[1..], &mut errors);
    errors.into_result()
}

fn validate_company(input: &Map<String, Value>, mode: Mode) -> Result<(), ApiError> {
    let mut errors = FieldErrors::default();
    match (input.get("name"), mode) {
        (None, Mode::Create) | (Some(Value::Null), Mode::Create) => errors.add("name", "is required"),
        (None, Mode::Patch) => {}
        (Some(Value::Null), Mode::Patch) => errors.add("name", "cannot be cleared"),
        (Some(Value::String(s)), _) if !s.trim().is_empty() => {}
        (Some(Value::String(_)), _) => errors.add("name", "must not be empty"),
        (Some(_), _) => errors.add("name", "must be a string"),
    }
    if let Some(Value::String(domain)) = input.get("domain") {
        let domain = domain.trim();
        if domain.is_empty() || domain.chars().any(char::is_whitespace) {
            errors.add("domain", "must be a domain like example.com");
        }
    }
    check_strings(input, &COMPANY_FIELDS[1..], &mut errors);
    errors.into_result()
}

/// Lower-cases (and trims) a given `domain` in place; returns the index key if one is set.
fn normalize_domain(fields: &mut Map<String, Value>) -> Option<String> {
    match fields.get_mut("domain") {
        Some(Value::String(domain)) => {
            *domain = domain.trim().to_lowercase();
            Some(domain.clone())
        }
        _ => None,
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
        Some(Value::Number(n)) => match n.as_i64() {
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
        Some(_) => {
            errors.add("interactionDate", "must be an integer (epoch milliseconds)");
            now
        }
    };
    errors.into_result()?;
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn val(view: impl Serialize) -> Value {
        serde_json::to_value(view).unwrap()
    }

    fn obj(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn email_shapes() {
        for ok in ["a@b.co", "ada.lovelace+crm@example.com", "x@sub.domain.example"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["", "a", "a@b", "@b.co", "a@.co", "a@b.", "a b@c.de", "a@b@c.de"] {
            assert!(!is_email(bad), "{bad}");
        }
    }

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

    #[test]
    fn pages_follow_creation_order_and_survive_deletes() {
        let mut store = Store::new();
        let ids: Vec<String> = (0..45)
            .map(|i| {
                store.create_person(obj(json!({"email": format!("p{i}@example.com")})), i).unwrap().id().to_owned()
            })
            .collect();
        let (more, cursor) = {
            let first = store.query_people(&obj(json!({"limit": 20}))).unwrap();
            (first.has_next_page, first.end_cursor)
        };
        assert!(more);
        // Deleting the cursor's own record does not break the next page.
        store.delete_person(&ids[19]).unwrap();
        let second = store.query_people(&obj(json!({"limit": 20, "cursor": cursor}))).unwrap();
        assert_eq!(second.items[0].id(), ids[20]);
        let third = store.query_people(&obj(json!({"limit": 20, "cursor": second.end_cursor}))).unwrap();
        assert_eq!(third.items.len(), 5);
        assert!(!third.has_next_page);
    }

    #[test]
    fn bad_cursors_and_limits_are_validation_errors() {
        let mut store = Store::new();
        store.create_person(obj(json!({"email": "a@example.com"})), 1).unwrap();
        let cursor = store.query_people(&obj(json!({"limit": 1}))).unwrap().end_cursor.unwrap();
        for body in [
            json!({"cursor": "nope"}),
            json!({"cursor": "cur_0_0"}),
            json!({"limit": 0}),
            json!({"limit": 101}),
            json!({"limit": "5"}),
            json!({"filter": {"name": "x"}}),
        ] {
            let err = store.query_people(&obj(body.clone())).unwrap_err();
            assert_eq!(err.code, "validation_error", "{body}");
        }
        // A people cursor is unknown to interactions, and to a reset store.
        assert!(store.query_interactions(&obj(json!({"cursor": cursor}))).is_err());
        store.reset();
        assert!(store.query_people(&obj(json!({"cursor": cursor}))).is_err());
    }

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
