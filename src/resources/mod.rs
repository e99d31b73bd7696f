//! Typed models and the calls of each resource collection.

mod authenticate;
mod companies;
mod interactions;
mod people;
mod raw;

pub use authenticate::Team;
pub use companies::{Companies, Company, NewCompany};
pub use interactions::{Direction, Interaction, InteractionCreated, InteractionType, Interactions, NewInteraction};
pub use people::{NewPerson, People, Person};

use crate::client::{Client, RequestOptions};
use crate::error::{Error, ErrorKind};
use crate::request::Operation;
use crate::transport::Transport;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The answer of a delete.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deleted {
    /// The id that was deleted.
    pub id: String,
    /// Always `true` on success.
    #[serde(default)]
    pub deleted: bool,
}

/// Decodes the envelope's `data` into a model.
pub(crate) fn from_data<T: DeserializeOwned>(data: Value, request_id: Option<&str>) -> Result<T, Error> {
    serde_json::from_value(data).map_err(|e| {
        let mut err = Error::new(
            ErrorKind::Decode,
            format!("Klipy's response does not have the expected shape ({e}): report the request id"),
        );
        err.request_id = request_id.map(str::to_string);
        err
    })
}

/// Serialises a caller's input into JSON for validation.
pub(crate) fn to_json(field: &str, input: &impl Serialize) -> Result<Value, Error> {
    serde_json::to_value(input)
        .map_err(|e| Error::validation(field, format!("{field} could not be serialised to JSON: {e}")))
}

/// Sends `op` and decodes its data.
pub(crate) async fn call<T: Transport, R: DeserializeOwned>(
    client: &Client<T>,
    op: Result<Operation, Error>,
    opts: &RequestOptions,
) -> Result<R, Error> {
    let resp = client.execute(&op?, opts).await?;
    from_data(resp.data, resp.request_id.as_deref())
}

/// Runs a delete: the answer is the `{ id, deleted }` record, or no body at all (a 204, or
/// `data: null`), which means the same as `{ id, deleted: true }` for the id asked for.
pub(crate) async fn delete_call<T: Transport>(
    client: &Client<T>,
    op: Result<Operation, Error>,
    id: &str,
    opts: &RequestOptions,
) -> Result<Deleted, Error> {
    let resp = client.execute(&op?, opts).await?;
    if resp.data.is_null() {
        return Ok(Deleted { id: id.to_string(), deleted: true });
    }
    from_data(resp.data, resp.request_id.as_deref())
}

/// Reads a required string-like field tolerantly: a missing field or `null` becomes the type's
/// default (an empty string), so one odd record does not fail a whole page (klipy-api.md §9).
pub(crate) fn null_as_default<'de, D, V>(d: D) -> Result<V, D::Error>
where
    D: serde::Deserializer<'de>,
    V: Deserialize<'de> + Default,
{
    Ok(Option::<V>::deserialize(d)?.unwrap_or_default())
}

/// Declares a string enum that keeps unknown values (`Other`) instead of failing on them.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this SDK version does not know, passed through as sent.
            Other(String),
        }
        impl Default for $name {
            /// An empty unknown value: what a missing field reads as.
            fn default() -> Self {
                Self::Other(String::new())
            }
        }
        impl $name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self { $(Self::$variant => $text,)+ Self::Other(s) => s }
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s { $($text => Self::$variant,)+ other => Self::Other(other.to_string()) }
            }
        }
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                Ok(Self::from(s.as_str()))
            }
        }
    };
}
pub(crate) use open_enum;
