use super::call;
use crate::client::{Client, RequestOptions};
use crate::error::Error;
use crate::request;
use crate::transport::Transport;
use serde::{Deserialize, Serialize};

/// The workspace a key belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    /// The team (workspace) name.
    pub team_name: String,
}

impl<T: Transport> Client<T> {
    /// `GET /authenticate`: checks the key and names its workspace.
    ///
    /// # Errors
    /// [`crate::ErrorKind::Authentication`] for a bad key, or any other [`Error`].
    pub async fn authenticate(&self) -> Result<Team, Error> {
        self.authenticate_with(&RequestOptions::default()).await
    }

    /// [`Client::authenticate`] with per-call options (timeout, cancellation, headers).
    ///
    /// # Errors
    /// As [`Client::authenticate`].
    pub async fn authenticate_with(&self, opts: &RequestOptions) -> Result<Team, Error> {
        call(self, Ok(request::authenticate()), opts).await
    }
}
