//! The routing table of the 14 operations (contract §3): a pure function from method and path
//! (relative to `/api/v1`) to an operation, or 404 / 405.

use axum::http::Method;
use percent_encoding::percent_decode_str;

use crate::error::ApiError;
use crate::scope::Scope;

/// One API operation, with the decoded path id where it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    Authenticate,
    GetPerson(String),
    QueryPeople,
    CreatePerson,
    UpsertPerson,
    UpdatePerson(String),
    DeletePerson(String),
    GetCompany(String),
    CreateCompany,
    UpdateCompany(String),
    DeleteCompany(String),
    GetInteraction(String),
    QueryInteractions,
    CreateInteraction,
}

impl Op {
    /// The scope the operation needs (`None`: any valid key).
    pub fn scope(&self) -> Option<Scope> {
        Some(match self {
            Op::Authenticate => return None,
            Op::GetPerson(_) | Op::QueryPeople => Scope::PeopleRead,
            Op::CreatePerson | Op::UpsertPerson | Op::UpdatePerson(_) | Op::DeletePerson(_) => Scope::PeopleWrite,
            Op::GetCompany(_) => Scope::CompaniesRead,
            Op::CreateCompany | Op::UpdateCompany(_) => Scope::CompaniesWrite,
            Op::DeleteCompany(_) => Scope::CompaniesRemove,
            Op::GetInteraction(_) | Op::QueryInteractions => Scope::InteractionsRead,
            Op::CreateInteraction => Scope::InteractionsWrite,
        })
    }

    /// Whether the operation reads a JSON body.
    pub fn has_body(&self) -> bool {
        matches!(
            self,
            Op::QueryPeople
                | Op::CreatePerson
                | Op::UpsertPerson
                | Op::UpdatePerson(_)
                | Op::CreateCompany
                | Op::UpdateCompany(_)
                | Op::QueryInteractions
                | Op::CreateInteraction
        )
    }

    /// Whether an empty body stands for `{}` (the query operations).
    pub fn empty_body_ok(&self) -> bool {
        matches!(self, Op::QueryPeople | Op::QueryInteractions)
    }
}

/// Decodes one percent-encoded path segment; `None` if it is not UTF-8.
fn decode_id(segment: &str) -> Option<String> {
    percent_decode_str(segment).decode_utf8().ok().map(|s| s.into_owned())
}

/// Maps a method and a path relative to `/api/v1` (e.g. `/people/per_1`) to an operation.
pub(crate) fn route(method: &Method, path: &str) -> Result<Op, ApiError> {
    // HEAD is answered like GET (hyper drops the body).
    let method = if method == Method::HEAD { &Method::GET } else { method };
    let Some(rest) = path.strip_prefix('/') else {
        return Err(ApiError::unknown_path());
    };
    let segments: Vec<&str> = rest.split('/').collect();
    let id = |segment: &str| decode_id(segment).ok_or_else(ApiError::unknown_path);
    match segments.as_slice() {
        ["authenticate"] => match *method {
            Method::GET => Ok(Op::Authenticate),
            _ => Err(ApiError::method_not_allowed("GET")),
        },
        ["people"] => match *method {
            Method::POST => Ok(Op::CreatePerson),
            Method::PUT => Ok(Op::UpsertPerson),
            _ => Err(ApiError::method_not_allowed("POST, PUT")),
        },
        ["people", "query"] | ["interactions", "query"] => match *method {
            Method::POST if segments[0] == "people" => Ok(Op::QueryPeople),
            Method::POST => Ok(Op::QueryInteractions),
            _ => Err(ApiError::method_not_allowed("POST")),
        },
        ["people", segment] if !segment.is_empty() => match *method {
            Method::GET => Ok(Op::GetPerson(id(segment)?)),
            Method::PATCH => Ok(Op::UpdatePerson(id(segment)?)),
            Method::DELETE => Ok(Op::DeletePerson(id(segment)?)),
            _ => Err(ApiError::method_not_allowed("GET, PATCH, DELETE")),
        },
        ["companies"] => match *method {
            Method::POST => Ok(Op::CreateCompany),
            _ => Err(ApiError::method_not_allowed("POST")),
        },
        ["companies", segment] if !segment.is_empty() => match *method {
            Method::GET => Ok(Op::GetCompany(id(segment)?)),
            Method::PATCH => Ok(Op::UpdateCompany(id(segment)?)),
            Method::DELETE => Ok(Op::DeleteCompany(id(segment)?)),
            _ => Err(ApiError::method_not_allowed("GET, PATCH, DELETE")),
        },
        ["interactions"] => match *method {
            Method::POST => Ok(Op::CreateInteraction),
            _ => Err(ApiError::method_not_allowed("POST")),
        },
        ["interactions", segment] if !segment.is_empty() => match *method {
            Method::GET => Ok(Op::GetInteraction(id(segment)?)),
            _ => Err(ApiError::method_not_allowed("GET")),
        },
        _ => Err(ApiError::unknown_path()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(method: Method, path: &str) -> Op {
        route(&method, path).unwrap()
    }

    fn status(method: Method, path: &str) -> u16 {
        route(&method, path).unwrap_err().status.as_u16()
    }

    #[test]
    fn maps_all_fourteen_operations() {
        assert_eq!(ok(Method::GET, "/authenticate"), Op::Authenticate);
        assert_eq!(ok(Method::GET, "/people/p1"), Op::GetPerson("p1".into()));
        assert_eq!(ok(Method::POST, "/people/query"), Op::QueryPeople);
        assert_eq!(ok(Method::POST, "/people"), Op::CreatePerson);
        assert_eq!(ok(Method::PUT, "/people"), Op::UpsertPerson);
        assert_eq!(ok(Method::PATCH, "/people/p1"), Op::UpdatePerson("p1".into()));
        assert_eq!(ok(Method::DELETE, "/people/p1"), Op::DeletePerson("p1".into()));
        assert_eq!(ok(Method::GET, "/companies/c1"), Op::GetCompany("c1".into()));
        assert_eq!(ok(Method::POST, "/companies"), Op::CreateCompany);
        assert_eq!(ok(Method::PATCH, "/companies/c1"), Op::UpdateCompany("c1".into()));
        assert_eq!(ok(Method::DELETE, "/companies/c1"), Op::DeleteCompany("c1".into()));
        assert_eq!(ok(Method::GET, "/interactions/i1"), Op::GetInteraction("i1".into()));
        assert_eq!(ok(Method::POST, "/interactions/query"), Op::QueryInteractions);
        assert_eq!(ok(Method::POST, "/interactions"), Op::CreateInteraction);
    }

    #[test]
    fn decodes_path_ids() {
        assert_eq!(ok(Method::GET, "/people/a%2Fb%20c"), Op::GetPerson("a/b c".into()));
        assert_eq!(status(Method::GET, "/people/%FF"), 404);
    }

    #[test]
    fn unknown_paths_404_wrong_methods_405() {
        for path in ["", "/", "/nope", "/people/", "/people/a/b", "/companies/query/x"] {
            assert_eq!(status(Method::GET, path), 404, "{path}");
        }
        assert_eq!(status(Method::GET, "/people"), 405);
        assert_eq!(status(Method::GET, "/people/query"), 405);
        assert_eq!(status(Method::PUT, "/people/p1"), 405);
        assert_eq!(status(Method::POST, "/authenticate"), 405);
        assert_eq!(status(Method::PATCH, "/interactions/i1"), 405);
        assert_eq!(route(&Method::DELETE, "/people").unwrap_err().allow, Some("POST, PUT"));
    }

    #[test]
    fn scopes_follow_the_contract_table() {
        assert_eq!(Op::Authenticate.scope(), None);
        assert_eq!(Op::DeletePerson("x".into()).scope(), Some(Scope::PeopleWrite));
        assert_eq!(Op::DeleteCompany("x".into()).scope(), Some(Scope::CompaniesRemove));
        assert_eq!(Op::QueryInteractions.scope(), Some(Scope::InteractionsRead));
    }
}
