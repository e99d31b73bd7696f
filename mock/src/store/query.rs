//! Lists: creation order, opaque cursors, query bodies and pages (contract §5).
//!
//! A cursor is a record's sequence number with a short MAC over the server's salt, the store's
//! generation and the list it belongs to, so cursors of another list, another run or a store
//! reset before are unknown; finding the next page is a `range` lookup.

use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Bound;

use serde_json::{Map, Value};

use super::{Store, View};
use crate::error::{ApiError, FieldErrors};
use crate::ids;

const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: u64 = 100;

/// Which list a cursor belongs to.
#[derive(Debug, Clone, Copy)]
pub(super) enum Table {
    People = 1,
    Interactions = 2,
}

/// One page of a query.
#[derive(Debug)]
pub(crate) struct Page<'a> {
    pub items: Vec<View<'a>>,
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

/// The record ids of one list in creation order, by sequence number.
#[derive(Debug)]
pub(super) struct CreationOrder {
    table: Table,
    ids: BTreeMap<u64, String>,
    next_seq: u64,
}

impl CreationOrder {
    pub fn new(table: Table) -> Self {
        CreationOrder { table, ids: BTreeMap::new(), next_seq: 0 }
    }

    /// Appends `id`; returns its sequence number.
    pub fn push(&mut self, id: String) -> u64 {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.ids.insert(seq, id);
        seq
    }

    pub fn remove(&mut self, seq: u64) {
        self.ids.remove(&seq);
    }

    /// `(seq, id)` of the records after the query's cursor, oldest first.
    pub fn after<'a>(&'a self, q: &Query) -> impl Iterator<Item = (u64, &'a str)> + 'a {
        self.ids.range(q.range()).map(|(seq, id)| (*seq, id.as_str()))
    }
}

/// A parsed query body.
pub(super) struct Query {
    pub after: Option<u64>,
    pub limit: usize,
    pub filter: HashMap<String, String>,
}

impl Query {
    /// The sequence numbers after the cursor.
    pub fn range(&self) -> (Bound<u64>, Bound<u64>) {
        match self.after {
            Some(seq) => (Bound::Excluded(seq), Bound::Unbounded),
            None => (Bound::Unbounded, Bound::Unbounded),
        }
    }
}

/// Up to `limit` sequence numbers, and whether more follow.
pub(super) fn take_page(seqs: impl Iterator<Item = u64>, limit: usize) -> (Vec<u64>, bool) {
    let mut page = Vec::with_capacity(limit.min(MAX_LIMIT as usize));
    for seq in seqs {
        if page.len() == limit {
            return (page, true);
        }
        page.push(seq);
    }
    (page, false)
}

impl Store {
    fn mac(&self, table: Table, seq: u64) -> u64 {
        let mut hasher = DefaultHasher::new();
        (self.salt, self.generation, table as u8, seq).hash(&mut hasher);
        hasher.finish() & 0xFFFF_FFFF
    }

    fn cursor(&self, table: Table, seq: u64) -> String {
        format!("cur_{}_{}", ids::encode_base36(seq), ids::encode_base36(self.mac(table, seq)))
    }

    fn parse_cursor(&self, order: &CreationOrder, cursor: &str) -> Option<u64> {
        let (seq, mac) = cursor.strip_prefix("cur_")?.split_once('_')?;
        let seq = ids::decode_base36(seq)?;
        (ids::decode_base36(mac)? == self.mac(order.table, seq) && seq < order.next_seq).then_some(seq)
    }

    /// Reads `cursor`, `limit` and `filter` (only the names in `filters`) of a query body
    /// over the list `order`.
    pub(super) fn parse_query(
        &self,
        order: &CreationOrder,
        body: &Map<String, Value>,
        filters: &[&str],
    ) -> Result<Query, ApiError> {
        let mut errors = FieldErrors::default();
        let after = match body.get("cursor") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(Value::String(s)) => {
                let seq = self.parse_cursor(order, s);
                if seq.is_none() {
                    errors.add("cursor", "is unknown; use the end_cursor of a previous page");
                }
                seq
            }
            Some(_) => {
                errors.add("cursor", "must be a string or null");
                None
            }
        };
        let limit = match body.get("limit") {
            None | Some(Value::Null) => DEFAULT_LIMIT,
            Some(value) => match value.as_u64() {
                Some(l @ 1..=MAX_LIMIT) => usize::try_from(l).unwrap_or(DEFAULT_LIMIT),
                _ => {
                    errors.add("limit", "must be an integer from 1 to 100");
                    DEFAULT_LIMIT
                }
            },
        };
        let mut filter = HashMap::new();
        match body.get("filter") {
            None | Some(Value::Null) => {}
            Some(Value::Object(given)) => {
                for (key, value) in given {
                    let field = format!("filter.{key}");
                    if !filters.contains(&key.as_str()) {
                        errors.add(&field, &format!("is not a filter here (known: {})", filters.join(", ")));
                    } else {
                        match value {
                            Value::String(s) => {
                                filter.insert(key.clone(), s.clone());
                            }
                            Value::Null => {}
                            _ => errors.add(&field, "must be a string"),
                        }
                    }
                }
            }
            Some(_) => errors.add("filter", "must be an object"),
        }
        errors.into_result()?;
        Ok(Query { after, limit, filter })
    }

    /// The page of `seqs` of the list `order` (`more`: whether others follow), each record
    /// shown by `view`.
    pub(super) fn page<'a>(
        &'a self,
        order: &'a CreationOrder,
        (seqs, more): (Vec<u64>, bool),
        view: impl Fn(&'a str) -> Option<View<'a>>,
    ) -> Page<'a> {
        Page {
            items: seqs.iter().filter_map(|seq| order.ids.get(seq)).filter_map(|id| view(id)).collect(),
            has_next_page: more,
            end_cursor: seqs.last().map(|seq| self.cursor(order.table, *seq)),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::testing::obj;
    use super::*;

    #[test]
    fn pages_follow_creation_order_and_survive_deletes() {
        let mut store = Store::new();
        let ids: Vec<String> = (0..45)
            .map(|i| {
                store.create_person(obj(json!({"email": format!("p{i}@example.com")})), i).unwrap().id().to_owned()
            })
            .collect();
        let (more, cursor) = {
            let first = store.query_people(&obj(json!({"limit": 20}))).unwrap();
            (first.has_next_page, first.end_cursor)
        };
        assert!(more);
        // Deleting the cursor's own record does not break the next page.
        store.delete_person(&ids[19]).unwrap();
        let second = store.query_people(&obj(json!({"limit": 20, "cursor": cursor}))).unwrap();
        assert_eq!(second.items[0].id(), ids[20]);
        let third = store.query_people(&obj(json!({"limit": 20, "cursor": second.end_cursor}))).unwrap();
        assert_eq!(third.items.len(), 5);
        assert!(!third.has_next_page);
    }

    #[test]
    fn bad_cursors_and_limits_are_validation_errors() {
        let mut store = Store::new();
        store.create_person(obj(json!({"email": "a@example.com"})), 1).unwrap();
        let cursor = store.query_people(&obj(json!({"limit": 1}))).unwrap().end_cursor.unwrap();
        for body in [
            json!({"cursor": "nope"}),
            json!({"cursor": "cur_0_0"}),
            json!({"limit": 0}),
            json!({"limit": 101}),
            json!({"limit": "5"}),
            json!({"filter": {"name": "x"}}),
        ] {
            let err = store.query_people(&obj(body.clone())).unwrap_err();
            assert_eq!(err.code, "validation_error", "{body}");
        }
        // A people cursor is unknown to interactions, and to a reset store.
        assert!(store.query_interactions(&obj(json!({"cursor": cursor}))).is_err());
        store.reset();
        assert!(store.query_people(&obj(json!({"cursor": cursor}))).is_err());
    }
}
