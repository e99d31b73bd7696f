use super::{call, open_enum, to_json};
use crate::bulk::{self, BulkOptions, BulkResult};
use crate::client::{Client, RequestOptions};
use crate::error::Error;
use crate::pagination::Query;
use crate::request::{self, QueryParams, Resource};
use crate::transport::Transport;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

open_enum! {
    /// The kind of an interaction.
    InteractionType {
        /// `DIRECT_MESSAGE`
        DirectMessage = "DIRECT_MESSAGE",
        /// `EMAIL`
        Email = "EMAIL",
        /// `MEETING`
        Meeting = "MEETING",
        /// `MEMO`
        Memo = "MEMO",
        /// `BOOKING_CREATED`
        BookingCreated = "BOOKING_CREATED",
        /// `BOOKING_CANCELLED`
        BookingCancelled = "BOOKING_CANCELLED",
        /// `MANUAL`
        Manual = "MANUAL",
        /// `API_EVENT`
        ApiEvent = "API_EVENT",
        /// `VOICE_NOTE`
        VoiceNote = "VOICE_NOTE",
    }
}

open_enum! {
    /// The direction of an interaction.
    Direction {
        /// `INBOUND`
        Inbound = "INBOUND",
        /// `OUTBOUND`
        Outbound = "OUTBOUND",
        /// `HYBRID`
        Hybrid = "HYBRID",
        /// `INTERNAL`
        Internal = "INTERNAL",
        /// `EVENT`
        Event = "EVENT",
    }
}

/// An interaction as read back. Fields this SDK does not know are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Interaction {
    /// Id (`int_…`).
    pub id: String,
    /// Kind (always present on read; a record without one reads as an empty
    /// [`InteractionType::Other`]).
    #[serde(rename = "type", default, deserialize_with = "super::null_as_default")]
    pub kind: InteractionType,
    /// Direction (always present on read; missing reads as an empty [`Direction::Other`]).
    #[serde(default, deserialize_with = "super::null_as_default")]
    pub direction: Direction,
    /// Title.
    #[serde(default)]
    pub title: Option<String>,
    /// Summary (may contain HTML).
    #[serde(default)]
    pub summary: Option<String>,
    /// Main contact's person id.
    #[serde(default)]
    pub main_contact: Option<String>,
    /// Main contact's email (as it was at creation).
    #[serde(default)]
    pub main_contact_email: Option<String>,
    /// Caller's dedupe key.
    #[serde(default)]
    pub primary_id: Option<String>,
    /// Caller's secondary dedupe key.
    #[serde(default)]
    pub secondary_id: Option<String>,
    /// When it happened: an ISO-8601 string on read (kept as JSON, since older servers may send
    /// epoch milliseconds).
    #[serde(default)]
    pub interaction_date: Option<Value>,
    /// Person ids involved.
    #[serde(default)]
    pub contacts: Vec<String>,
    /// Company ids involved.
    #[serde(default)]
    pub companies: Vec<String>,
    /// Sentiment, when Klipy computed one.
    #[serde(default)]
    pub sentiment: Option<String>,
    /// Where it came from (`API`, …).
    #[serde(default)]
    pub source: Option<String>,
    /// Who created it (never the key).
    #[serde(default)]
    pub created_by: Option<String>,
    /// ISO-8601 time it was recorded.
    #[serde(default)]
    pub creation_time: Option<String>,
    /// Every other field, as sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Fields for create. Give exactly one of `main_contact` and `main_contact_email`;
/// `interaction_date` is epoch milliseconds (or an ISO-8601 string, converted before sending).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewInteraction {
    /// Kind.
    #[serde(rename = "type")]
    pub kind: InteractionType,
    /// Direction.
    pub direction: Direction,
    /// Title (≤ 1000 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Summary (≤ 10000 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Main contact's person id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main_contact: Option<String>,
    /// Main contact's email.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub main_contact_email: Option<String>,
    /// Dedupe key: a create that repeats it returns the existing id (safe to retry).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_id: Option<String>,
    /// Secondary dedupe key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_id: Option<String>,
    /// When it happened (epoch ms or ISO-8601); now when unset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interaction_date: Option<Value>,
    /// Any other fields to send.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The answer of a create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InteractionCreated {
    /// The interaction's id (the existing one for a duplicate).
    pub id: String,
    /// Whether an interaction with the same `primaryId` already existed.
    #[serde(default)]
    pub is_duplicate: bool,
}

/// The interaction calls: `client.interactions()`.
pub struct Interactions<T: Transport> {
    client: Client<T>,
    opts: RequestOptions,
}

impl<T: Transport> Client<T> {
    /// The interaction calls.
    pub fn interactions(&self) -> Interactions<T> {
        Interactions { client: self.clone(), opts: RequestOptions::default() }
    }
}

impl<T: Transport> Interactions<T> {
    /// Uses these per-call options for the calls made through this handle.
    pub fn with_options(mut self, opts: RequestOptions) -> Self {
        self.opts = opts;
        self
    }

    /// `GET /interactions/{id}`.
    ///
    /// # Errors
    /// Any [`Error`].
    pub async fn get(&self, id: &str) -> Result<Interaction, Error> {
        call(&self.client, request::get(Resource::Interactions, id), &self.opts).await
    }

    /// `POST /interactions/query`: a lazy query.
    pub fn query(&self, params: QueryParams) -> Query<T, Interaction> {
        Query::new(self.client.clone(), Resource::Interactions, params, self.opts.clone())
    }

    /// `POST /interactions`: validated first (enums, lengths, exactly one main contact).
    ///
    /// # Errors
    /// [`crate::ErrorKind::Validation`] naming the field; any [`Error`].
    pub async fn create(&self, input: &impl Serialize) -> Result<InteractionCreated, Error> {
        let op = to_json("input", input).and_then(|v| request::create_interaction(&v));
        call(&self.client, op, &self.opts).await
    }

    /// Creates many interactions with bounded concurrency; every input index is accounted for.
    /// An input without `primaryId` is retried only when the server said it did not process it.
    pub async fn create_many<I: Serialize>(&self, inputs: &[I], opts: BulkOptions) -> BulkResult<InteractionCreated> {
        let ops = inputs.iter().map(|i| to_json("input", i).and_then(|v| request::create_interaction(&v))).collect();
        bulk::run(&self.client, ops, opts).await.try_map(|r, id| super::from_data(r.data, id))
    }
}
