use super::{call, to_json, Deleted};
use crate::bulk::{self, BulkOptions, BulkResult};
use crate::client::{Client, RequestOptions};
use crate::error::Error;
use crate::pagination::{Page, Query};
use crate::request::{self, QueryParams, Resource};
use crate::transport::Transport;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A person in the CRM. Fields this SDK does not know are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    /// Id (`per_…`).
    pub id: String,
    /// Email, unique per workspace. Required by the API on create and upsert, so always present
    /// on read (a record without one reads as an empty string rather than failing).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub email: String,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Job title.
    #[serde(default)]
    pub title: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// LinkedIn URL.
    #[serde(default)]
    pub linkedin_url: Option<String>,
    /// Company id.
    #[serde(default)]
    pub company_id: Option<String>,
    /// Free-form remarks.
    #[serde(default)]
    pub remarks: Option<String>,
    /// ISO-8601 creation time.
    #[serde(default)]
    pub created_at: Option<String>,
    /// ISO-8601 update time.
    #[serde(default)]
    pub updated_at: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Fields for create and upsert (`email` is required). Unset fields are not sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPerson {
    /// Email (required).
    pub email: String,
    /// First name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Job title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Phone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// LinkedIn URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub linkedin_url: Option<String>,
    /// Company id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_id: Option<String>,
    /// Remarks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<String>,
    /// Any other fields to send.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The people calls: `client.people()`.
pub struct People<T: Transport> {
    client: Client<T>,
    opts: RequestOptions,
}

impl<T: Transport> Client<T> {
    /// The people calls.
    pub fn people(&self) -> People<T> {
        People { client: self.clone(), opts: RequestOptions::default() }
    }
}

impl<T: Transport> People<T> {
    /// Uses these per-call options for the calls made through this handle.
    pub fn with_options(mut self, opts: RequestOptions) -> Self {
        self.opts = opts;
        self
    }

    /// `GET /people/{id}`.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Validation`] for an empty id; [`crate::ErrorKind::NotFound`]; any [`Error`].
    pub async fn get(&self, id: &str) -> Result<Person, Error> {
        call(&self.client, request::get(Resource::People, id), &self.opts).await
    }

    /// `POST /people/query`: a lazy query; `.page(None)` for one page, `.stream()` for every item.
    pub fn query(&self, params: QueryParams) -> Query<T, Person> {
        Query::new(self.client.clone(), Resource::People, params, self.opts.clone())
    }

    /// The first page of a query.
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn query_page(&self, params: QueryParams) -> Result<Page<Person>, Error> {
        self.query(params).page(None).await
    }

    /// `POST /people` (never replayed after an ambiguous failure).
    ///
    /// # Errors
    /// [`crate::ErrorKind::Conflict`] when the email exists; any [`Error`].
    pub async fn create(&self, input: &impl Serialize) -> Result<Person, Error> {
        let op = to_json("input", input).and_then(|v| request::create_person(&v));
        call(&self.client, op, &self.opts).await
    }

    /// `PUT /people`: create, or update the person with this email.
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn upsert(&self, input: &impl Serialize) -> Result<Person, Error> {
        let op = to_json("input", input).and_then(|v| request::upsert_person(&v));
        call(&self.client, op, &self.opts).await
    }

    /// `PATCH /people/{id}`: only the given fields change; `null` clears one.
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn update(&self, id: &str, patch: &impl Serialize) -> Result<Person, Error> {
        let op = to_json("patch", patch).and_then(|v| request::update(Resource::People, id, &v));
        call(&self.client, op, &self.opts).await
    }

    /// `DELETE /people/{id}`.
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn delete(&self, id: &str) -> Result<Deleted, Error> {
        super::delete_call(&self.client, request::delete(Resource::People, id), id, &self.opts).await
    }

    /// Upserts many people with bounded concurrency; every input index is accounted for.
    pub async fn upsert_many<I: Serialize>(&self, inputs: &[I], opts: BulkOptions) -> BulkResult<Person> {
        let ops = inputs.iter().map(|i| to_json("input", i).and_then(|v| request::upsert_person(&v))).collect();
        bulk::run(&self.client, ops, opts).await.try_map(|r, id| super::from_data(r.data, id))
    }
}
