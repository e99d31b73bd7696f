use super::{call, to_json, Deleted};
use crate::client::{Client, RequestOptions};
use crate::error::Error;
use crate::request::{self, Resource};
use crate::transport::Transport;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A company in the CRM. Fields this SDK does not know are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Company {
    /// Id (`cmp_…`).
    pub id: String,
    /// Name. Required by the API on create and never cleared, so always present on read (a
    /// record without one reads as an empty string rather than failing).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub name: String,
    /// Domain, unique per workspace.
    #[serde(default)]
    pub domain: Option<String>,
    /// Industry.
    #[serde(default)]
    pub industry: Option<String>,
    /// Size.
    #[serde(default)]
    pub size: Option<String>,
    /// Website.
    #[serde(default)]
    pub website: Option<String>,
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

/// Fields for create (`name` is required). Unset fields are not sent.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewCompany {
    /// Name (required).
    pub name: String,
    /// Domain.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Industry.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    /// Size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// Website.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Any other fields to send.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The company calls: `client.companies()`.
pub struct Companies<T: Transport> {
    client: Client<T>,
    opts: RequestOptions,
}

impl<T: Transport> Client<T> {
    /// The company calls.
    pub fn companies(&self) -> Companies<T> {
        Companies { client: self.clone(), opts: RequestOptions::default() }
    }
}

impl<T: Transport> Companies<T> {
    /// Uses these per-call options for the calls made through this handle.
    pub fn with_options(mut self, opts: RequestOptions) -> Self {
        self.opts = opts;
        self
    }

    /// `GET /companies/{id}`.
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn get(&self, id: &str) -> Result<Company, Error> {
        call(&self.client, request::get(Resource::Companies, id), &self.opts).await
    }

    /// `POST /companies` (never replayed after an ambiguous failure).
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn create(&self, input: &impl Serialize) -> Result<Company, Error> {
        let op = to_json("input", input).and_then(|v| request::create_company(&v));
        call(&self.client, op, &self.opts).await
    }

    /// `PATCH /companies/{id}`.
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn update(&self, id: &str, patch: &impl Serialize) -> Result<Company, Error> {
        let op = to_json("patch", patch).and_then(|v| request::update(Resource::Companies, id, &v));
        call(&self.client, op, &self.opts).await
    }

    /// `DELETE /companies/{id}`.
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn delete(&self, id: &str) -> Result<Deleted, Error> {
        super::delete_call(&self.client, request::delete(Resource::Companies, id), id, &self.opts).await
    }
}
