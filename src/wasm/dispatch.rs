//! Which core operation a JS call names: looked up in the contract's operations table
//! ([`crate::contract::OPERATIONS`]) and built from its JSON arguments by the entry's builder.

use crate::contract;
use crate::error::Error;
use crate::request::Operation;
use serde_json::Value;

pub(super) fn parse_json(field: &str, text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::validation(field, format!("{field} is not valid JSON: {e}")))
}

/// Builds the operation named by `op` from its JSON arguments.
pub(super) fn operation(op: &str, args: &Value) -> Result<Operation, Error> {
    (contract::operation(op)?.build)(args)
}

/// The builder of one input of the bulk method named `op` (`people.upsertMany`, …).
pub(super) fn bulk_builder(op: &str) -> Result<contract::Builder, Error> {
    Ok(contract::bulk_operation(op)?.build)
}
