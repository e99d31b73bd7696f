//! Checks and edits on a record's JSON fields that more than one resource uses.

use serde_json::{Map, Value};

use crate::error::FieldErrors;

/// Fields the server owns on people and companies; ignored when sent.
pub(super) const RECORD_SERVER_FIELDS: [&str; 3] = ["id", "createdAt", "updatedAt"];

/// Whether a body creates a record or patches one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Create,
    Patch,
}

/// Removes fields (keeping the order of the others).
pub(super) fn strip(fields: &mut Map<String, Value>, names: &[&str]) {
    for name in names {
        fields.shift_remove(*name);
    }
}

/// A field's value unless it is absent or null.
pub(super) fn present<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    fields.get(name).filter(|v| !v.is_null())
}

/// Records an error for each of `names` that is given but neither a string nor null.
pub(super) fn check_strings(fields: &Map<String, Value>, names: &[&str], errors: &mut FieldErrors) {
    for name in names {
        if let Some(value) = fields.get(*name) {
            if !(value.is_string() || value.is_null()) {
                errors.add(name, "must be a string or null");
            }
        }
    }
}

/// Checks a string field that a create requires and a patch may leave out but not clear;
/// returns its value when it is a string, for the caller's own checks.
pub(super) fn required_string<'a>(
    fields: &'a Map<String, Value>,
    name: &str,
    mode: Mode,
    errors: &mut FieldErrors,
) -> Option<&'a str> {
    match (fields.get(name), mode) {
        (None | Some(Value::Null), Mode::Create) => errors.add(name, "is required"),
        (None, Mode::Patch) => {}
        (Some(Value::Null), Mode::Patch) => errors.add(name, "cannot be cleared"),
        (Some(Value::String(s)), _) => return Some(s),
        (Some(_), _) => errors.add(name, "must be a string"),
    }
    None
}

/// `something@something.tld`: one `@`, no spaces, a dotted domain without empty labels.
pub(super) fn is_email(s: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_shapes() {
        for ok in ["a@b.co", "ada.lovelace+crm@example.com", "x@sub.domain.example"] {
            assert!(is_email(ok), "{ok}");
        }
        for bad in ["", "a", "a@b", "@b.co", "a@.co", "a@b.", "a b@c.de", "a@b@c.de"] {
            assert!(!is_email(bad), "{bad}");
        }
    }
}
