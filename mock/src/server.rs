//! The HTTP server: routes, the accept loop, and per-connection handling that can drop a
//! connection abruptly (a TCP reset) when a `reset` fault asks for it.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower_service::Service;

use crate::conn::ConnHandle;
use crate::error::ApiError;
use crate::state::AppState;
use crate::{api, control, envelope, ids, webhooks, www};

/// How long in-flight requests may run on after shutdown starts.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// All routes: the control API, `/api/v1`, static files, and a 404 envelope for the rest.
pub(crate) fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/__mock/health", get(control::health))
        .route("/__mock/faults", get(control::list_faults).post(control::add_faults).delete(control::clear_faults))
        .route("/__mock/requests", get(control::list_requests).delete(control::clear_requests))
        .route("/__mock/reset", post(control::reset))
        .route("/__mock/limits", get(control::get_limits).post(control::set_limits))
        .route("/__mock/webhooks", get(webhooks::control::list).delete(webhooks::control::clear))
        .route("/__mock/webhooks/emit", post(webhooks::control::emit))
        .fallback(dispatch)
        .with_state(state)
}

async fn dispatch(State(app): State<Arc<AppState>>, req: Request) -> Response {
    let path = req.uri().path();
    if path == api::API_PREFIX || path.starts_with("/api/v1/") {
        return api::handle(app, req).await;
    }
    if let Some(root) = &app.www {
        if req.method() == Method::GET || req.method() == Method::HEAD {
            return www::serve(root, path).await;
        }
    }
    envelope::error(&ApiError::unknown_path(), &ids::request_id())
}

/// Accepts connections until `shutdown` turns true, then drains them.
pub(crate) async fn serve(listener: TcpListener, router: Router, shutdown: watch::Receiver<bool>) {
    let mut connections = JoinSet::new();
    let mut stop = shutdown.clone();
    loop {
        tokio::select! {
            () = stopped(&mut stop) => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => {
                    connections.spawn(connection(stream, router.clone(), shutdown.clone()));
                }
                // Out of file descriptors or a similar passing trouble: breathe, then go on.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
        }
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let drained = async { while connections.join_next().await.is_some() {} };
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, drained).await;
    connections.shutdown().await;
}

/// Resolves once shutdown starts (or the server handle is gone).
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns is not `Send`: drop it here, before any other await.
    let _ = shutdown.wait_for(|stop| *stop).await;
}

async fn connection(stream: TcpStream, router: Router, mut shutdown: watch::Receiver<bool>) {
    let _ = stream.set_nodelay(true);
    // A second descriptor of the same socket, to set SO_LINGER on a reset after hyper owns
    // the stream. Both close when this task ends.
    #[cfg(unix)]
    let socket = {
        use std::os::fd::AsFd;
        stream.as_fd().try_clone_to_owned().ok()
    };
    let handle = ConnHandle::new();
    let kill = handle.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let mut req = req.map(Body::new);
        req.extensions_mut().insert(handle.clone());
        let mut router = router.clone();
        async move { router.call(req).await }
    });
    let mut builder = http1::Builder::new();
    builder.keep_alive(true).header_read_timeout(None);
    let conn = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(conn);
    let mut draining = false;
    loop {
        tokio::select! {
            _ = conn.as_mut() => break,
            () = kill.reset_requested() => {
                #[cfg(unix)]
                if let Some(fd) = &socket {
                    let _ = socket2::SockRef::from(fd).set_linger(Some(Duration::ZERO));
                }
                break;
            }
            () = stopped(&mut shutdown), if !draining => {
                conn.as_mut().graceful_shutdown();
                draining = true;
            }
        }
    }
}
