//! The native defaults (the `reqwest` feature, on by default; not on wasm): a
//! [`ReqwestTransport`], a [`TokioSleep`], and the entry points that need no transport
//! argument, [`Client::builder`] and [`Client::from_env`].

mod sleep;
mod transport;

pub use sleep::TokioSleep;
pub use transport::ReqwestTransport;

use crate::client::{Client, ClientBuilder};
use crate::config::ApiKey;
use crate::error::Error;

/// The environment variable holding the API key.
pub const ENV_API_KEY: &str = "KLIPY_API_KEY";
/// The environment variable holding the base URL (optional).
pub const ENV_BASE_URL: &str = "KLIPY_BASE_URL";

impl Client<ReqwestTransport> {
    /// Starts building a client over the default [`ReqwestTransport`], waiting on
    /// [`TokioSleep`]. Use [`Client::builder_with`] to bring another transport.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), klipy_sdk::Error> {
    /// let client = klipy_sdk::Client::builder()
    ///     .api_key("klipy_api_example")
    ///     .base_url("http://127.0.0.1:4010/api/v1")
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn builder() -> ClientBuilder<ReqwestTransport> {
        let transport = ReqwestTransport::new();
        let setup_error = transport.setup_error().map(|e| Error::config(format!("{e}: check the system's TLS setup")));
        let builder = Client::builder_with(transport).sleep(TokioSleep);
        match setup_error {
            Some(e) => builder.fail(e),
            None => builder,
        }
    }

    /// A client configured from the environment: the key from `KLIPY_API_KEY` (required), the
    /// base URL from `KLIPY_BASE_URL` (optional; the production API otherwise), the default
    /// transport and options.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), klipy_sdk::Error> {
    /// let client = klipy_sdk::Client::from_env()?;
    /// let team = client.authenticate().await?;
    /// # Ok(()) }
    /// ```
    ///
    /// # Errors
    /// [`crate::ErrorKind::Config`] when `KLIPY_API_KEY` is missing, blank or malformed, or
    /// `KLIPY_BASE_URL` is not an acceptable base URL. The messages never contain the values.
    pub fn from_env() -> Result<Self, Error> {
        Self::from_env_builder()?.build()
    }

    /// [`Client::from_env`] as a builder, to set more options before building.
    ///
    /// # Errors
    /// As [`Client::from_env`].
    pub fn from_env_builder() -> Result<ClientBuilder<ReqwestTransport>, Error> {
        from_vars(|name| std::env::var(name).ok())
    }
}

/// [`Client::from_env_builder`] over any variable lookup (tests pass a map).
fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<ClientBuilder<ReqwestTransport>, Error> {
    let key = match var(ENV_API_KEY) {
        Some(k) if !k.trim().is_empty() => k,
        Some(_) => {
            return Err(Error::config(format!(
                "{ENV_API_KEY} is blank: set it to your Klipy API key, or pass the key with Client::builder().api_key(…)"
            )))
        }
        None => {
            return Err(Error::config(format!(
                "{ENV_API_KEY} is not set: export your Klipy API key as {ENV_API_KEY}, or pass it with Client::builder().api_key(…)"
            )))
        }
    };
    let key = ApiKey::new(key).map_err(|e| Error::config(format!("{ENV_API_KEY}: {}", e.message())))?;
    let mut builder = Client::builder().api_key(key);
    if let Some(url) = var(ENV_BASE_URL).filter(|u| !u.trim().is_empty()) {
        let mut config = crate::Config::default();
        config.set_base_url(&url).map_err(|e| Error::config(format!("{ENV_BASE_URL}: {}", e.message())))?;
        builder = builder.base_url(config.base_url());
    }
    Ok(builder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    fn vars<'a>(pairs: &'a [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
    }

    #[test]
    fn from_env_needs_the_key_and_names_the_variable() {
        for env in [&[][..], &[(ENV_API_KEY, "  ")][..]] {
            let e = from_vars(vars(env)).err().expect("an error");
            assert_eq!(e.kind(), ErrorKind::Config);
            assert!(e.message().contains("KLIPY_API_KEY"), "{e}");
            assert!(e.message().contains("api_key"), "{e}");
        }
        let e = from_vars(vars(&[(ENV_API_KEY, "klipy_api_has space")])).err().expect("an error");
        assert!(e.message().starts_with("KLIPY_API_KEY: "), "{e}");
        assert!(!e.to_string().contains("has space"), "{e}");
    }

    #[test]
    fn builder_errors_name_the_rust_calls() {
        let e = Client::builder().build().unwrap_err();
        assert!(e.message().contains(".api_key(") && e.message().contains("KLIPY_API_KEY"), "{e}");
        let e = Client::builder().api_key(" ").build().unwrap_err();
        assert!(e.message().starts_with("api_key is blank"), "{e}");
        let e = Client::builder().api_key("klipy_api_x").base_url("http://10.0.0.1/api").build().unwrap_err();
        assert!(e.message().contains("baseUrl") && e.message().contains("loopback"), "{e}");
        // The first bad option is the one reported.
        let e = Client::builder().base_url("ftp://x").api_key("").build().unwrap_err();
        assert!(e.message().contains("https"), "{e}");
        // A base URL given to the builder survives a later config().
        let c =
            Client::builder().base_url("http://127.0.0.1:1/v1").config(crate::Config::default()).api_key("k").build();
        assert_eq!(c.unwrap().config().base_url(), "http://127.0.0.1:1/v1");
    }

    #[test]
    fn from_env_reads_the_base_url_and_checks_it() {
        let c = from_vars(vars(&[(ENV_API_KEY, "klipy_api_x\n"), (ENV_BASE_URL, "http://127.0.0.1:9/api/v1/")]))
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(c.config().base_url(), "http://127.0.0.1:9/api/v1");
        let c = from_vars(vars(&[(ENV_API_KEY, "klipy_api_x")])).unwrap().build().unwrap();
        assert_eq!(c.config().base_url(), crate::DEFAULT_BASE_URL);
        let e = from_vars(vars(&[(ENV_API_KEY, "klipy_api_x"), (ENV_BASE_URL, "http://10.0.0.1/api")]))
            .err()
            .expect("an error");
        assert_eq!(e.kind(), ErrorKind::Config);
        assert!(e.message().starts_with("KLIPY_BASE_URL: "), "{e}");
    }
}
