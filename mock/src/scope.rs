//! Scopes: the permissions an API key may carry (contract §2).

use std::fmt;
use std::str::FromStr;

/// A permission a key may carry; `ALL` grants every other one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// `ALL`: everything.
    All,
    /// `people:read`: get and query people.
    PeopleRead,
    /// `people:write`: create, upsert, update and delete people.
    PeopleWrite,
    /// `companies:read`: get companies.
    CompaniesRead,
    /// `companies:write`: create and update companies.
    CompaniesWrite,
    /// `companies:remove`: delete companies.
    CompaniesRemove,
    /// `interactions:read`: get and query interactions.
    InteractionsRead,
    /// `interactions:write`: create interactions.
    InteractionsWrite,
}

impl Scope {
    /// Every scope, `ALL` first.
    pub const EVERY: [Scope; 8] = [
        Scope::All,
        Scope::PeopleRead,
        Scope::PeopleWrite,
        Scope::CompaniesRead,
        Scope::CompaniesWrite,
        Scope::CompaniesRemove,
        Scope::InteractionsRead,
        Scope::InteractionsWrite,
    ];

    /// The scope's name as the API spells it, e.g. `people:read`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::All => "ALL",
            Scope::PeopleRead => "people:read",
            Scope::PeopleWrite => "people:write",
            Scope::CompaniesRead => "companies:read",
            Scope::CompaniesWrite => "companies:write",
            Scope::CompaniesRemove => "companies:remove",
            Scope::InteractionsRead => "interactions:read",
            Scope::InteractionsWrite => "interactions:write",
        }
    }

    /// The scope as one bit of a key's scope set.
    pub(crate) fn bit(self) -> u8 {
        match self {
            Scope::All => 1,
            Scope::PeopleRead => 1 << 1,
            Scope::PeopleWrite => 1 << 2,
            Scope::CompaniesRead => 1 << 3,
            Scope::CompaniesWrite => 1 << 4,
            Scope::CompaniesRemove => 1 << 5,
            Scope::InteractionsRead => 1 << 6,
            Scope::InteractionsWrite => 1 << 7,
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = String;

    /// Parses a scope name, ignoring ASCII case (`ALL`, `people:read`, …).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        Scope::EVERY.into_iter().find(|scope| scope.as_str().eq_ignore_ascii_case(s)).ok_or_else(|| {
            let names: Vec<&str> = Scope::EVERY.iter().map(|s| s.as_str()).collect();
            format!("unknown scope `{s}` (known: {})", names.join(", "))
        })
    }
}
