//! [`ClientBuilder`] and the [`KeyProvider`] trait.

use super::{Client, Hooks, Inner, NoHooks};
use crate::config::{ApiKey, Config, IntoApiKey};
use crate::error::Error;
use crate::ratelimit::Pacer;
use crate::rt::{BoxFuture, Clock, MaybeSendSync, Random, Sleep};
use crate::transport::Transport;
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::Arc;

/// Supplies the API key before each request (so rotated keys work).
///
/// The lookup is part of the call: it counts against the attempt's timeout and the call's
/// deadline, and holds no pacing slot while it runs.
pub trait KeyProvider: MaybeSendSync {
    /// The key to send now.
    fn api_key(&self) -> BoxFuture<'_, Result<ApiKey, Error>>;
    /// The key, when it is fixed and known without waiting (then no timer is armed for it).
    fn fixed(&self) -> Option<&ApiKey> {
        None
    }
}

impl KeyProvider for ApiKey {
    fn api_key(&self) -> BoxFuture<'_, Result<ApiKey, Error>> {
        let k = self.clone();
        Box::pin(async move { Ok(k) })
    }
    fn fixed(&self) -> Option<&ApiKey> {
        Some(self)
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder<T: Transport> {
    transport: T,
    config: Config,
    key: Option<Box<dyn KeyProvider>>,
    sleep: Option<Box<dyn Sleep>>,
    clock: Option<Box<dyn Clock>>,
    random: Option<Box<dyn Random>>,
    hooks: Box<dyn Hooks>,
    /// The base URL given to [`ClientBuilder::base_url`] (checked), applied over the config.
    base_url: Option<String>,
    /// The first bad option given to a setter, reported by `build`.
    error: Option<Error>,
    budget: Option<crate::budget::SharedBudget>,
}

impl<T: Transport> Client<T> {
    /// Starts building a client over `transport`: your own [`Transport`] (see its duties), or a
    /// test double. With the `reqwest` feature, `Client::builder()` needs no transport.
    pub fn builder_with(transport: T) -> ClientBuilder<T> {
        ClientBuilder {
            transport,
            config: Config::default(),
            key: None,
            sleep: None,
            clock: None,
            random: None,
            hooks: Box::new(NoHooks),
            base_url: None,
            error: None,
            budget: None,
        }
    }

    /// The options in use.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }
}

impl<T: Transport> ClientBuilder<T> {
    /// Sets all options at once (a base URL given to [`ClientBuilder::base_url`], before or
    /// after, wins over the config's).
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }
    /// Sets a fixed API key: an [`ApiKey`] or a string (checked by [`ClientBuilder::build`]).
    pub fn api_key(mut self, key: impl IntoApiKey) -> Self {
        match key.into_api_key() {
            Ok(k) => self.key = Some(Box::new(k)),
            Err(e) => self = self.fail(e),
        }
        self
    }
    /// Sets the base URL: `https:`, or `http:` to a loopback host (checked by
    /// [`ClientBuilder::build`]).
    pub fn base_url(mut self, url: &str) -> Self {
        let mut checked = Config::default();
        match checked.set_base_url(url) {
            Ok(()) => self.base_url = Some(checked.base_url),
            Err(e) => self = self.fail(e),
        }
        self
    }
    /// Records a bad option; `build` reports the first one.
    pub(crate) fn fail(mut self, e: Error) -> Self {
        self.error.get_or_insert(e);
        self
    }
    /// Sets a provider called before each request.
    pub fn key_provider(mut self, provider: impl KeyProvider + 'static) -> Self {
        self.key = Some(Box::new(provider));
        self
    }
    /// Injects the sleep.
    pub fn sleep(mut self, sleep: impl Sleep + 'static) -> Self {
        self.sleep = Some(Box::new(sleep));
        self
    }
    /// Injects the clock.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Box::new(clock));
        self
    }
    /// Injects randomness.
    pub fn random(mut self, random: impl Random + 'static) -> Self {
        self.random = Some(Box::new(random));
        self
    }
    /// Sets the hooks.
    pub fn hooks(mut self, hooks: impl Hooks + 'static) -> Self {
        self.hooks = Box::new(hooks);
        self
    }

    /// Shares one rate-limit budget with other clients, processes and hosts through
    /// `budget.store` (see [`crate::budget`]); without it the client paces by itself.
    pub fn budget(mut self, budget: crate::budget::SharedBudget) -> Self {
        self.budget = Some(budget);
        self
    }

    /// Builds the client.
    ///
    /// # Errors
    /// [`ErrorKind::Config`](crate::ErrorKind::Config) when no key was given, the key or base URL was refused, an option
    /// is out of range, or (on wasm) no sleep or clock was injected.
    pub fn build(mut self) -> Result<Client<T>, Error> {
        if let Some(e) = self.error {
            return Err(e);
        }
        if let Some(url) = self.base_url {
            self.config.base_url = url;
        }
        self.config.validate()?;
        let key = self.key.ok_or_else(|| {
            Error::config(
                "no API key: call .api_key(…) on the builder, or set KLIPY_API_KEY and use Client::from_env()",
            )
        })?;
        #[cfg(not(target_arch = "wasm32"))]
        let (sleep, clock): (Box<dyn Sleep>, Box<dyn Clock>) = (
            self.sleep.unwrap_or_else(|| Box::new(crate::rt::ThreadSleep)),
            self.clock.unwrap_or_else(|| Box::new(crate::rt::SystemClock)),
        );
        #[cfg(target_arch = "wasm32")]
        let (sleep, clock) = match (self.sleep, self.clock) {
            (Some(s), Some(c)) => (s, c),
            _ => return Err(Error::config("on wasm a Sleep and a Clock must be injected")),
        };
        let random = self.random.unwrap_or_else(|| Box::new(crate::rt::XorShiftRandom::new(clock.now_ms())));
        let pacer = Pacer::new(self.config.rate_limit);
        let user_agent = self.config.user_agent_header();
        Ok(Client {
            inner: Arc::new(Inner {
                transport: self.transport,
                config: self.config,
                key,
                sleep,
                clock,
                random,
                hooks: self.hooks,
                pacer,
                budget: self.budget.map(crate::budget::BudgetLink::new),
                user_agent,
                warned_reset: AtomicBool::new(false),
                pacing_logged_until: AtomicU64::new(0),
            }),
        })
    }
}
