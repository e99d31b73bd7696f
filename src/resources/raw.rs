use crate::client::{Client, RequestOptions};
use crate::error::Error;
use crate::request;
use crate::transport::{Method, Transport};
use serde_json::Value;

impl<T: Transport> Client<T> {
    /// Any request under the base URL, for endpoints this SDK does not wrap yet: the envelope's
    /// `data` comes back as JSON. `path` starts with `/` and stays under the base URL.
    ///
    /// ```no_run
    /// # async fn demo<T: klipy_sdk::Transport>(client: klipy_sdk::Client<T>) -> Result<(), klipy_sdk::Error> {
    /// use klipy_sdk::Method;
    /// let page = client.request(Method::Post, "/people/query", Some(&serde_json::json!({ "limit": 5 }))).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`crate::ErrorKind::Validation`] for a path that would leave the base URL; any [`Error`].
    pub async fn request(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value, Error> {
        self.request_with(method, path, body, None, &RequestOptions::default()).await
    }

    /// [`Client::request`] with query parameters (a JSON object of names to values) and
    /// per-call options.
    ///
    /// # Errors
    /// As [`Client::request`]; [`crate::ErrorKind::Validation`] for a `query` that is not an object.
    pub async fn request_with(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        query: Option<&Value>,
        opts: &RequestOptions,
    ) -> Result<Value, Error> {
        let op = request::raw(method.as_str(), path, body, query)?;
        Ok(self.execute(&op, opts).await?.data)
    }
}
