//! The events REST calls emit (webhooks.md §8): a person created → `lead.captured`, a title or
//! company change → `contact.job_changed`, an interaction created → `interaction.captured`.
//! Nothing else emits. Runs under the store lock, before and after the operation.

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::routes::Op;
use crate::store::Store;

/// Events found, in the order to send them.
pub(crate) type Observed = Vec<(&'static str, Value)>;

/// What an operation looked like before it ran, as far as events care.
#[derive(Debug)]
pub(crate) enum Watch {
    Nothing,
    CreatePerson,
    /// `PUT /people`: the job of the person with that email, if one exists.
    Upsert(Option<Job>),
    /// `PATCH /people/{id}`.
    Update(Option<Job>),
    /// `POST /interactions`: the number of people (a new one means a person was created).
    Interaction(usize),
}

/// A person's title and company id (null when unset).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Job {
    title: Value,
    company_id: Value,
}

impl Watch {
    /// Looks at the store before `op` runs.
    pub fn before(store: &Store, op: &Op, body: &Map<String, Value>) -> Watch {
        match op {
            Op::CreatePerson => Watch::CreatePerson,
            Op::UpsertPerson => {
                Watch::Upsert(body.get("email").and_then(Value::as_str).and_then(|e| by_email(store, e)))
            }
            Op::UpdatePerson(id) => Watch::Update(person(store, id).map(|p| job(&p))),
            Op::CreateInteraction => Watch::Interaction(store.counts().people),
            _ => Watch::Nothing,
        }
    }

    /// The events of a successful operation. `created`: it answered 201; `touched`: the id of
    /// the person or interaction it wrote (none for a duplicate interaction).
    pub fn after(self, store: &Store, created: bool, touched: Option<&str>) -> Observed {
        let Some(id) = touched else {
            return Vec::new();
        };
        let mut events = Vec::new();
        match self {
            Watch::Nothing => {}
            Watch::CreatePerson => events.extend(lead(store, id)),
            Watch::Upsert(_) if created => events.extend(lead(store, id)),
            Watch::Upsert(before) | Watch::Update(before) => events.extend(job_changed(store, id, before)),
            Watch::Interaction(people_before) => {
                let Some(interaction) = to_value(store.get_interaction(id).ok()) else {
                    return events;
                };
                let contact = text(&interaction, "mainContact");
                if store.counts().people > people_before {
                    events.extend(contact.as_deref().and_then(|c| lead(store, c)));
                }
                events.push(("interaction.captured", captured(store, &interaction, contact.as_deref())));
            }
        }
        events
    }
}

fn to_value(view: Option<impl Serialize>) -> Option<Value> {
    view.and_then(|v| serde_json::to_value(v).ok())
}

fn person(store: &Store, id: &str) -> Option<Value> {
    to_value(store.get_person(id).ok())
}

fn company(store: &Store, person: &Value) -> Option<Value> {
    let id = text(person, "companyId")?;
    to_value(store.get_company(&id).ok())
}

fn by_email(store: &Store, email: &str) -> Option<Job> {
    let mut query = Map::new();
    query.insert("filter".into(), json!({ "email": email }));
    query.insert("limit".into(), json!(1));
    let page = store.query_people(&query).ok()?;
    to_value(page.items.first()).map(|p| job(&p))
}

fn field(value: &Value, name: &str) -> Value {
    value.get(name).cloned().unwrap_or(Value::Null)
}

fn text(value: &Value, name: &str) -> Option<String> {
    value.get(name).and_then(Value::as_str).map(str::to_owned)
}

fn job(person: &Value) -> Job {
    Job { title: field(person, "title"), company_id: field(person, "companyId") }
}

/// A company's `size` as a whole number, when it is one (`120` or `"120"`).
fn employee_count(company: &Value) -> Value {
    match company.get("size") {
        Some(Value::Number(n)) if n.is_u64() || n.is_i64() => Value::Number(n.clone()),
        Some(Value::String(s)) => s.trim().parse::<u64>().map(Value::from).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// `lead.captured` for a person, with the flat company fields of their company.
fn lead(store: &Store, id: &str) -> Option<(&'static str, Value)> {
    let p = person(store, id)?;
    let c = company(store, &p).unwrap_or(Value::Null);
    Some((
        "lead.captured",
        json!({
            "id": id,
            "first_name": field(&p, "firstName"),
            "last_name": field(&p, "lastName"),
            "email": field(&p, "email"),
            "title": field(&p, "title"),
            "company_name": field(&c, "name"),
            "company_domain": field(&c, "domain"),
            "industry": field(&c, "industry"),
            "employee_count": employee_count(&c),
            "estimated_revenue": null,
            "city": null,
            "state": null,
            "country": null,
            "linkedin": field(&p, "linkedinUrl"),
        }),
    ))
}

/// `contact.job_changed` when the title or company id differs from before.
fn job_changed(store: &Store, id: &str, before: Option<Job>) -> Option<(&'static str, Value)> {
    let before = before?;
    let after = job(&person(store, id)?);
    (after != before).then(|| {
        (
            "contact.job_changed",
            json!({
                "contact_id": id,
                "previous_title": before.title,
                "new_title": after.title,
                "previous_company_id": before.company_id,
                "new_company_id": after.company_id,
            }),
        )
    })
}

/// `interaction.captured`: the main contact as the contact shape, their company as the company
/// shape (or null).
fn captured(store: &Store, interaction: &Value, contact: Option<&str>) -> Value {
    let p = contact.and_then(|c| person(store, c));
    let people: Vec<Value> = p
        .iter()
        .map(|p| {
            json!({
                "object": "contact",
                "id": field(p, "id"),
                "first_name": field(p, "firstName"),
                "last_name": field(p, "lastName"),
                "email": field(p, "email"),
                "title": field(p, "title"),
            })
        })
        .collect();
    let company = p.as_ref().and_then(|p| company(store, p)).map(|c| {
        json!({
            "object": "company",
            "id": field(&c, "id"),
            "name": field(&c, "name"),
            "domain": field(&c, "domain"),
            "industry": field(&c, "industry"),
            "employee_count": employee_count(&c),
            "estimated_revenue": null,
            "city": null,
            "state": null,
            "country": null,
            "linkedin": null,
        })
    });
    json!({
        "id": field(interaction, "id"),
        "title": field(interaction, "title"),
        "summary": field(interaction, "summary"),
        "people": people,
        "company": company,
    })
}
