//! Which core operation a JS call names, built from its JSON arguments.

use crate::error::{quoted, Error};
use crate::request::{self, Operation, QueryParams, Resource};
use serde_json::Value;

pub(super) fn parse_json(field: &str, text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|e| Error::validation(field, format!("{field} is not valid JSON: {e}")))
}

fn id_arg(args: &Value) -> Result<&str, Error> {
    match args.get("id") {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(Error::validation("id", "id is required")),
        Some(other) => Err(Error::validation("id", format!("id must be a string, got {other}"))),
    }
}

fn arg<'a>(args: &'a Value, key: &str) -> &'a Value {
    args.get(key).unwrap_or(&Value::Null)
}

/// Builds the operation named by `op` from its JSON arguments.
pub(super) fn operation(op: &str, args: &Value) -> Result<Operation, Error> {
    use Resource::*;
    let resource = |name: &str| match name {
        "people" => Some(People),
        "companies" => Some(Companies),
        "interactions" => Some(Interactions),
        _ => None,
    };
    let (res, verb) = op.split_once('.').map_or((None, op), |(r, v)| (resource(r), v));
    match (res, verb) {
        (None, "authenticate") => Ok(request::authenticate()),
        (None, "request") => {
            let method = arg(args, "method").as_str().unwrap_or("GET");
            let path = arg(args, "path").as_str().ok_or_else(|| Error::validation("path", "path must be a string"))?;
            request::raw(method, path, args.get("body"), args.get("query"))
        }
        (Some(r), "get") => request::get(r, id_arg(args)?),
        (Some(r @ (People | Companies)), "delete") => request::delete(r, id_arg(args)?),
        (Some(r @ (People | Companies)), "update") => request::update(r, id_arg(args)?, arg(args, "patch")),
        (Some(r @ (People | Interactions)), "query") => request::query(r, &QueryParams::from_json(args)?),
        (Some(People), "create") => request::create_person(arg(args, "input")),
        (Some(People), "upsert") => request::upsert_person(arg(args, "input")),
        (Some(Companies), "create") => request::create_company(arg(args, "input")),
        (Some(Interactions), "create") => request::create_interaction(arg(args, "input")),
        _ => Err(Error::validation("operation", format!("unknown operation {}", quoted(op)))),
    }
}
