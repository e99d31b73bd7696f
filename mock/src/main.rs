//! `klipy-mock`: runs the offline Klipy CRM on 127.0.0.1 until SIGINT or SIGTERM.

use std::io::Write;
use std::process::ExitCode;

use klipy_mock::cli::{self, Command};
use klipy_mock::HeaderFamily;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match cli::parse(std::env::args_os().skip(1)) {
        Ok(Command::Run(config)) => config,
        Ok(Command::Help) => {
            let _ = std::io::stdout().write_all(cli::USAGE.as_bytes());
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            let _ = writeln!(std::io::stdout(), "klipy-mock {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "klipy-mock: {error}");
            return ExitCode::from(2);
        }
    };
    let generated_key = config.keys.is_empty();
    let server = match klipy_mock::start(config.clone()).await {
        Ok(server) => server,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "klipy-mock: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };

    // Before the banner: whoever reads it may stop the server at once.
    let stop = stop_signal();

    // Write errors (a closed pipe) are ignored: the server keeps running.
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", server.url());
    let _ = out.flush();
    for key in server.keys() {
        if generated_key {
            let _ = writeln!(out, "demo key: {} (scopes: {})", key.key, key.scope_list());
        } else {
            let _ = writeln!(out, "key: {} (scopes: {})", klipy_mock::mask_key(&key.key), key.scope_list());
        }
    }
    let _ = writeln!(
        out,
        "limits: {} per key, {} per organization, per {} s window",
        config.per_key_rpm, config.per_org_rpm, config.window_secs
    );
    if let Some(seeded) = server.seed_summary() {
        let _ = writeln!(
            out,
            "demo data: {} companies, {} people, {} interactions",
            seeded.companies, seeded.people, seeded.interactions
        );
    }
    if !server.webhook_urls().is_empty() {
        for url in server.webhook_urls() {
            let _ = writeln!(out, "webhook: {url}");
        }
        for secret in server.webhook_secrets() {
            if config.webhook_secrets.is_empty() {
                let _ = writeln!(out, "webhook secret: {} (generated)", secret.expose());
            } else {
                let _ = writeln!(out, "webhook secret: {}", secret.masked());
            }
        }
        let family = match config.webhook_headers {
            HeaderFamily::Both => "webhook-* and svix-*".to_owned(),
            family => format!("{}-*", family.as_str()),
        };
        let _ = writeln!(out, "webhook headers: {family}, retry scale {}", config.webhook_retry_scale);
    }
    if let Some(dir) = &config.www {
        let _ = writeln!(out, "www: {} at {}/", dir.display(), server.root_url());
    }
    let _ = writeln!(out, "control: {}/__mock", server.root_url());
    let _ = writeln!(out, "press Ctrl-C to stop");
    let _ = out.flush();
    drop(out);

    stop.await;
    server.shutdown().await;
    ExitCode::SUCCESS
}

/// A future that resolves on SIGINT (Ctrl-C) or SIGTERM. The handlers are installed when this
/// is called, not when the future is first polled, so a signal sent right after the start
/// banner is already caught.
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let interrupt = signal(SignalKind::interrupt()).ok();
        let terminate = signal(SignalKind::terminate()).ok();
        async move {
            match (interrupt, terminate) {
                (Some(mut int), Some(mut term)) => {
                    tokio::select! {
                        _ = int.recv() => {}
                        _ = term.recv() => {}
                    }
                }
                (Some(mut int), None) => {
                    let _ = int.recv().await;
                }
                (None, Some(mut term)) => {
                    let _ = term.recv().await;
                }
                (None, None) => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
