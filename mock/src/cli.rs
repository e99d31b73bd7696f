//! Command-line parsing for the `klipy-mock` binary (hand-written: a handful of flags).

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;

use crate::webhooks::config::{check_retry_scale, HeaderFamily, WebhookSecret, WebhookUrl};
use crate::{ApiKey, MockConfig};

/// Port the binary listens on when `--port` is not given.
pub const DEFAULT_PORT: u16 = 4010;

/// The `--help` text.
pub const USAGE: &str = "\
klipy-mock: the offline Klipy CRM API on 127.0.0.1

Usage: klipy-mock [OPTIONS]

Options:
  --port N             port to listen on (default 4010; 0 picks a free port)
  --key KEY[:SCOPES]   accept KEY, with comma-separated SCOPES (default ALL); repeatable.
                       Without any --key a random demo key with scope ALL is generated.
                       Scopes: ALL, people:read, people:write, companies:read,
                       companies:write, companies:remove, interactions:read,
                       interactions:write
  --per-key-rpm N      requests per window per key (default 200)
  --per-org-rpm N      requests per window for the organization (default 1000)
  --window-secs N      rate-limit window length in seconds (default 60)
  --seed-demo          start with a few demo companies, people and interactions
  --www DIR            serve the static files of DIR at /
  --team-name NAME     team name returned by GET /authenticate (default \"Klipy Mock\")
  --webhook-url URL    send webhooks to URL; repeatable. http:// to 127.0.0.0/8, localhost
                       or [::1] only: the mock never contacts another host
  --webhook-secret S   signing secret whsec_<base64 of >= 24 bytes>; repeatable (one v1
                       signature per secret). Default: a random secret, printed at start
  --webhook-headers F  signature headers: svix (default), webhook or both
  --webhook-retry-scale F
                       the Svix retry schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h)
                       times F, 0 to 1 (default 0.01: 50 ms, 3 s, 18 s, ...)
  -v, --verbose        print one line per API request to stderr
  -h, --help           print this help
  -V, --version        print the version

The first line printed is the API base URL, e.g. http://127.0.0.1:4010/api/v1.
Test control: /__mock/health, /__mock/faults, /__mock/requests, /__mock/reset, /__mock/limits,
/__mock/webhooks (GET, DELETE) and /__mock/webhooks/emit (POST {\"type\", \"data\"?}).
";

/// What the command line asks for.
#[derive(Debug)]
pub enum Command {
    /// Run a server with this configuration.
    Run(MockConfig),
    /// Print [`USAGE`].
    Help,
    /// Print the version.
    Version,
}

/// A command-line mistake, with a message naming the argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError(pub String);

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CliError {}

fn number<T>(flag: &str, value: &str, min: T) -> Result<T, CliError>
where
    T: std::str::FromStr + PartialOrd + fmt::Display,
{
    match value.trim().parse::<T>() {
        Ok(n) if n >= min => Ok(n),
        _ => Err(CliError(format!("{flag} needs a whole number of at least {min}, got `{value}`"))),
    }
}

/// Parses the arguments after the program name.
///
/// # Errors
///
/// [`CliError`] for an unknown flag, a missing or bad value, or a bad key spec.
pub fn parse<I, S>(args: I) -> Result<Command, CliError>
where
    I: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let mut config = MockConfig::default().with_port(DEFAULT_PORT);
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        let arg = arg
            .into_string()
            .map_err(|a| CliError(format!("argument `{}` is not valid UTF-8", a.to_string_lossy())))?;
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag.to_owned(), Some(value.to_owned())),
            _ => (arg.clone(), None),
        };
        let takes_value = matches!(
            flag.as_str(),
            "--port"
                | "--key"
                | "--per-key-rpm"
                | "--per-org-rpm"
                | "--window-secs"
                | "--www"
                | "--team-name"
                | "--webhook-url"
                | "--webhook-secret"
                | "--webhook-headers"
                | "--webhook-retry-scale"
        );
        let value = if takes_value {
            match inline {
                Some(v) => v,
                None => match args.next() {
                    Some(v) => v.into_string().map_err(|v| {
                        CliError(format!("value `{}` of {flag} is not valid UTF-8", v.to_string_lossy()))
                    })?,
                    None => return Err(CliError(format!("{flag} needs a value"))),
                },
            }
        } else {
            if inline.is_some() {
                return Err(CliError(format!("{flag} takes no value")));
            }
            String::new()
        };
        match flag.as_str() {
            "--port" => config.port = number("--port", &value, 0u16)?,
            "--key" => config.keys.push(ApiKey::parse(&value).map_err(|e| CliError(format!("--key: {e}")))?),
            "--per-key-rpm" => config.per_key_rpm = number("--per-key-rpm", &value, 1u32)?,
            "--per-org-rpm" => config.per_org_rpm = number("--per-org-rpm", &value, 1u32)?,
            "--window-secs" => {
                config.window_secs = number("--window-secs", &value, 1u64)?;
                if config.window_secs > crate::ratelimit::MAX_WINDOW_SECS {
                    return Err(CliError(format!(
                        "--window-secs must be at most {}",
                        crate::ratelimit::MAX_WINDOW_SECS
                    )));
                }
            }
            "--www" => {
                let dir = PathBuf::from(&value);
                if !dir.is_dir() {
                    return Err(CliError(format!("--www {value}: not a directory")));
                }
                config.www = Some(dir);
            }
            "--team-name" => config.team_name = value,
            "--webhook-url" => {
                config.webhook_urls.push(WebhookUrl::parse(&value).map_err(|e| CliError(format!("--webhook-url {e}")))?)
            }
            // The message never repeats the value: it is a secret.
            "--webhook-secret" => config
                .webhook_secrets
                .push(WebhookSecret::parse(&value).map_err(|e| CliError(format!("--webhook-secret: {e}")))?),
            "--webhook-headers" => {
                config.webhook_headers =
                    value.parse::<HeaderFamily>().map_err(|e| CliError(format!("--webhook-headers: {e}")))?
            }
            "--webhook-retry-scale" => {
                let scale = value.trim().parse::<f64>().map_err(|_| {
                    CliError(format!("--webhook-retry-scale needs a number from 0 to 1, got `{value}`"))
                })?;
                check_retry_scale(scale).map_err(|e| CliError(format!("--webhook-retry-scale: {e}")))?;
                config.webhook_retry_scale = scale;
            }
            "--seed-demo" => config.seed_demo = true,
            "-v" | "--verbose" => config.verbose = true,
            "-h" | "--help" => return Ok(Command::Help),
            "-V" | "--version" => return Ok(Command::Version),
            other => return Err(CliError(format!("unknown argument `{other}` (see --help)"))),
        }
    }
    Ok(Command::Run(config))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scope;

    fn run(args: &[&str]) -> MockConfig {
        match parse(args.iter().copied()).unwrap() {
            Command::Run(config) => config,
            other => panic!("{other:?}"),
        }
    }

    fn err(args: &[&str]) -> String {
        parse(args.iter().copied()).unwrap_err().0
    }

    #[test]
    fn defaults() {
        let c = run(&[]);
        assert_eq!(c.port, 4010);
        assert!(c.keys.is_empty());
        assert_eq!((c.per_key_rpm, c.per_org_rpm, c.window_secs), (200, 1000, 60));
        assert!(!c.seed_demo);
    }

    #[test]
    fn all_flags() {
        let c = run(&[
            "--port",
            "0",
            "--key",
            "k1",
            "--key=k2:people:read,people:write",
            "--per-key-rpm",
            "5",
            "--per-org-rpm=7",
            "--window-secs",
            "2",
            "--seed-demo",
            "--team-name",
            "Acme",
            "-v",
        ]);
        assert_eq!(c.port, 0);
        assert_eq!(c.keys[0].scopes, vec![Scope::All]);
        assert_eq!(c.keys[1].scopes, vec![Scope::PeopleRead, Scope::PeopleWrite]);
        assert_eq!((c.per_key_rpm, c.per_org_rpm, c.window_secs), (5, 7, 2));
        assert!(c.seed_demo && c.verbose);
        assert_eq!(c.team_name, "Acme");
    }

    #[test]
    fn clear_errors() {
        assert!(err(&["--port"]).contains("needs a value"));
        assert!(err(&["--port", "70000"]).contains("--port"));
        assert!(err(&["--per-key-rpm", "0"]).contains("at least 1"));
        assert!(err(&["--key", "k:nope"]).contains("unknown scope"));
        assert!(err(&["--bogus"]).contains("unknown argument"));
        assert!(err(&["--seed-demo=yes"]).contains("takes no value"));
        assert!(err(&["--www", "/definitely/not/here"]).contains("not a directory"));
        assert!(matches!(parse(["--help"]), Ok(Command::Help)));
    }

    #[test]
    fn webhook_flags() {
        let c = run(&[
            "--webhook-url",
            "http://127.0.0.1:9000/hook",
            "--webhook-url=http://localhost:9001",
            "--webhook-secret",
            "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYX",
            "--webhook-headers",
            "both",
            "--webhook-retry-scale",
            "0.001",
        ]);
        let urls: Vec<&str> = c.webhook_urls.iter().map(|u| u.as_str()).collect();
        assert_eq!(urls, ["http://127.0.0.1:9000/hook", "http://localhost:9001"]);
        assert_eq!(c.webhook_secrets[0].key().len(), 24);
        assert_eq!(c.webhook_headers, HeaderFamily::Both);
        assert_eq!(c.webhook_retry_scale, 0.001);
        let d = run(&[]);
        assert!(d.webhook_urls.is_empty() && d.webhook_secrets.is_empty());
        assert_eq!((d.webhook_headers, d.webhook_retry_scale), (HeaderFamily::Svix, 0.01));
    }

    #[test]
    fn webhook_flag_errors_are_clear_and_never_echo_a_secret() {
        assert!(err(&["--webhook-url", "http://example.com/x"]).contains("never to another host"));
        assert!(err(&["--webhook-url", "https://127.0.0.1/x"]).contains("only http://"));
        let short = err(&["--webhook-secret", "whsec_c2hvcnRzZWNyZXQ="]);
        assert!(short.contains("at least 24") && !short.contains("c2hvcnRzZWNyZXQ"), "{short}");
        assert!(err(&["--webhook-secret", "topsecretvalue"]).contains("whsec_"));
        assert!(!err(&["--webhook-secret", "topsecretvalue"]).contains("topsecretvalue"));
        assert!(err(&["--webhook-headers", "x"]).contains("svix, webhook, both"));
        assert!(err(&["--webhook-retry-scale", "fast"]).contains("0 to 1"));
        assert!(err(&["--webhook-retry-scale", "2"]).contains("0 to 1"));
    }
}
