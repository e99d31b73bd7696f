//! [`Page`] and lazy, cursor-driven iteration over every item of a query.

use crate::client::{ApiResponse, Client, RequestOptions};
use crate::error::{Error, ErrorKind};
use crate::request::{query, QueryParams, Resource};
use crate::transport::Transport;
use futures_util::stream::{self, Stream};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::{HashSet, VecDeque};
use std::marker::PhantomData;

/// One page of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub data: Vec<T>,
    /// Whether another page follows.
    pub has_next_page: bool,
    /// Feed this back as `cursor` to get the next page (also to resume later).
    pub next_cursor: Option<String>,
    /// The request id of this page.
    pub request_id: Option<String>,
}

pub(crate) fn decode_items<T: DeserializeOwned>(resp: ApiResponse<Value>) -> Result<Page<T>, Error> {
    let items = match resp.data {
        Value::Array(a) => a,
        _ => Vec::new(),
    };
    let data = items
        .into_iter()
        .map(|v| crate::resources::from_data(v, resp.request_id.as_deref()))
        .collect::<Result<Vec<T>, Error>>()?;
    Ok(Page { data, has_next_page: resp.has_next_page, next_cursor: resp.next_cursor, request_id: resp.request_id })
}

/// A query that has not run yet: fetch pages one at a time, or stream every item.
pub struct Query<T: Transport, I> {
    client: Client<T>,
    resource: Resource,
    params: QueryParams,
    opts: RequestOptions,
    max_items: Option<usize>,
    _item: PhantomData<fn() -> I>,
}

impl<T: Transport, I: DeserializeOwned> Query<T, I> {
    pub(crate) fn new(client: Client<T>, resource: Resource, params: QueryParams, opts: RequestOptions) -> Self {
        Self { client, resource, params, opts, max_items: None, _item: PhantomData }
    }

    /// Stops the item stream after `n` items.
    pub fn max_items(mut self, n: usize) -> Self {
        self.max_items = Some(n);
        self
    }

    /// Fetches the page at `cursor` (`None`: the first page, or the params' cursor).
    ///
    /// # Errors
    /// Any [`Error`] of the request.
    pub async fn page(&self, cursor: Option<String>) -> Result<Page<I>, Error> {
        self.page_capped(cursor, None).await
    }

    /// The page at `cursor`, asking for no more than `remaining` items (see
    /// [`crate::request::page_limit`], which the wasm query uses too).
    async fn page_capped(&self, cursor: Option<String>, remaining: Option<u64>) -> Result<Page<I>, Error> {
        let mut params = self.params.clone();
        if cursor.is_some() {
            params.cursor = cursor;
        }
        params.limit = crate::request::page_limit(params.limit, remaining);
        let op = query(self.resource, &params)?;
        decode_items(self.client.execute(&op, &self.opts).await?)
    }

    /// Every item of every page, fetched lazily one page at a time. The stream ends after the
    /// first error (which it yields). A cursor the server already returned during this walk is
    /// such an error (a decode error with code `cursor_repeated`), not another request.
    ///
    /// The stream is `Unpin`: `while let Some(item) = stream.next().await` works as is (with
    /// [`crate::StreamExt`] in scope).
    pub fn stream(self) -> impl Stream<Item = Result<I, Error>> + Unpin {
        struct St<T: Transport, I> {
            query: Query<T, I>,
            buffer: VecDeque<I>,
            cursor: Option<String>,
            started: bool,
            done: bool,
            yielded: usize,
            seen: HashSet<String>,
            pending: Option<Error>,
        }
        let st = St {
            query: self,
            buffer: VecDeque::new(),
            cursor: None,
            started: false,
            done: false,
            yielded: 0,
            seen: HashSet::new(),
            pending: None,
        };
        Box::pin(stream::unfold(st, |mut st| async move {
            loop {
                if st.query.max_items.is_some_and(|m| st.yielded >= m) {
                    return None;
                }
                if let Some(item) = st.buffer.pop_front() {
                    st.yielded += 1;
                    return Some((Ok(item), st));
                }
                if let Some(e) = st.pending.take() {
                    st.done = true;
                    return Some((Err(e), st));
                }
                if st.done || (st.started && st.cursor.is_none()) {
                    return None;
                }
                st.started = true;
                let remaining = st.query.max_items.map(|m| (m - st.yielded) as u64);
                match st.query.page_capped(st.cursor.take(), remaining).await {
                    Ok(page) => {
                        st.cursor = if page.has_next_page { page.next_cursor } else { None };
                        // A repeated cursor is never sent: the walk ends after this page's items.
                        if st.cursor.take_if(|c| st.seen.contains(c.as_str())).is_some() {
                            let mut e = Error::new(
                                ErrorKind::Decode,
                                "Klipy returned a page cursor it had already returned during this walk, which would loop forever: the list was stopped; report the request id",
                            );
                            e.code = Some("cursor_repeated".into());
                            e.request_id = page.request_id.clone();
                            st.pending = Some(e);
                        }
                        if let Some(c) = &st.cursor {
                            st.seen.insert(c.clone());
                        }
                        st.buffer.extend(page.data);
                    }
                    Err(e) => {
                        st.done = true;
                        return Some((Err(e), st));
                    }
                }
            }
        }))
    }
}
