//! # diun-server
//!
//! The thin HTTP layer over diun-core: [`app`] assembles the poem endpoint
//! (API, webhook, spec, Swagger UI, dashboard files), [`serve`] runs it
//! with the environment's [`Config`] until SIGTERM/SIGINT.

#![warn(missing_docs)]

pub mod api;
pub mod config;
pub mod healthcheck;
mod static_files;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use poem::http::{Method, StatusCode, header};
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::middleware::Compression;
use poem::{Endpoint, EndpointExt, IntoEndpoint, Request, Response, Route, Server, get, handler};

pub use api::{AppState, spec_json};
pub use config::Config;

/// How long shutdown waits for in-flight requests: less than the 10 s
/// `docker stop` waits before SIGKILL, far more than any request takes.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(8);
/// A connection that sends nothing for this long is closed (stalled or
/// abandoned clients must not hold sockets, or shutdown, forever).
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole application: routes, error rendering and request logging.
pub fn app(state: AppState, frontend_dir: &Path) -> impl Endpoint<Output = Response> + use<> {
    let service = api::service();
    let swagger_ui = service.swagger_ui();
    // One service instance answers under /api, /webhook and /healthz.
    let api = Arc::new(service.into_endpoint());
    Route::new()
        .at("/api/openapi.json", get(openapi_json))
        .nest("/api/docs", swagger_ui.with(Compression::new()))
        .at("/api/updates/", empty_image)
        .nest_no_strip("/api", api.clone())
        .at("/webhook", api.clone())
        .at("/healthz", api)
        .nest(
            "/",
            static_files::StaticFiles::new(frontend_dir).with(Compression::new()),
        )
        .around(|ep, req| async move { ep.call(webhook_method_alias(req)).await })
        .around(not_modified)
        .data(state)
        .catch_all_error(api::json_error)
        .around(log_request)
}

/// DIUN's default webhook method is GET (with a JSON body) and some users
/// configure PUT: both are aliases of the documented `POST /webhook`.
fn webhook_method_alias(mut req: Request) -> Request {
    if req.uri().path() == "/webhook" && matches!(*req.method(), Method::GET | Method::PUT) {
        req.set_method(Method::POST);
    }
    req
}

/// `PATCH /api/updates/` (an empty image name) is a 400, as in the original.
#[handler]
fn empty_image() -> poem::Result<Response> {
    Err(api::ApiError::bad_request("image name must not be empty").into())
}

/// The spec, byte-identical to the committed `openapi.json`.
#[handler]
fn openapi_json() -> Response {
    Response::builder()
        .content_type("application/json")
        .body(spec_json())
}

/// Answers 304 (no body) when a response's `ETag` equals the request's
/// `If-None-Match`: the dashboard's 5-second poll of an unchanged list.
async fn not_modified<E: Endpoint<Output = Response>>(
    ep: Arc<E>,
    req: Request,
) -> poem::Result<Response> {
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let response = ep.call(req).await?;
    let unchanged = match (&if_none_match, response.headers().get(header::ETAG)) {
        // Weak comparison (RFC 9110 §13.1.2): a `W/` prefix does not matter.
        (Some(wanted), Some(etag)) => wanted.to_str().is_ok_and(|w| {
            w.split(',')
                .map(|tag| tag.trim().trim_start_matches("W/"))
                .any(|tag| tag == etag || tag == "*")
        }),
        _ => false,
    };
    if !unchanged {
        return Ok(response);
    }
    let mut not_modified = Response::builder().status(StatusCode::NOT_MODIFIED);
    for name in [header::ETAG, header::CACHE_CONTROL, header::VARY] {
        if let Some(value) = response.headers().get(&name) {
            not_modified = not_modified.header(name, value.clone());
        }
    }
    Ok(not_modified.finish())
}

/// One log line per request: method, path, status, latency.
async fn log_request<E: Endpoint<Output = Response>>(
    ep: Arc<E>,
    req: Request,
) -> poem::Result<Response> {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = ep.call(req).await?;
    tracing::info!(
        %method,
        path,
        status = response.status().as_u16(),
        latency = ?started.elapsed(),
        "request"
    );
    Ok(response)
}

/// Opens the database, binds the listener and serves until SIGTERM/SIGINT,
/// letting in-flight requests finish.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    let shutdown = shutdown_signal()?;
    // Listen first: a port in use must not leave a migrated database behind
    // (someone trying us while the Go original still holds the port).
    let acceptor = TcpListener::bind((config.bind_addr, config.port))
        .into_acceptor()
        .await
        .with_context(|| {
            format!(
                "cannot listen on {}:{} (BIND_ADDR / PORT)",
                config.bind_addr, config.port
            )
        })?;
    let store = diun_core::Store::connect(&config.database_url)
        .await
        .with_context(|| {
            format!(
                "cannot open the database {} (DB_PATH / DATABASE_URL)",
                config::redact(&config.database_url)
            )
        })?;
    if config.webhook_secret.is_empty() {
        tracing::warn!("WEBHOOK_SECRET is empty: anyone who can reach /webhook can post events");
    }
    if !config.frontend_dir.join("index.html").is_file() {
        tracing::warn!(
            frontend_dir = %config.frontend_dir.display(),
            "FRONTEND_DIR has no index.html: the dashboard is not built (the API works)"
        );
    }
    let store = Arc::new(store);
    let state = AppState::new(store.clone(), &config.webhook_secret);
    tracing::info!(
        addr = %acceptor.local_addr()[0],
        database = %config::redact(&config.database_url),
        frontend_dir = %config.frontend_dir.display(),
        "DiunDashboard listening"
    );
    Server::new_with_acceptor(acceptor)
        .idle_timeout(IDLE_TIMEOUT)
        .run_with_graceful_shutdown(
            app(state, &config.frontend_dir),
            shutdown,
            Some(SHUTDOWN_GRACE),
        )
        .await
        .context("while serving")?;
    tracing::info!("shut down");
    if let Ok(store) = Arc::try_unwrap(store) {
        store.close().await.context("while closing the database")?;
    }
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (`docker stop`). The handlers
/// are installed when this is called, not when the future is first polled,
/// so a signal that arrives while the server starts is not lost (nor fatal).
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate()).context("while installing SIGTERM")?;
        let mut int = signal(SignalKind::interrupt()).context("while installing SIGINT")?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {},
                _ = int.recv() => {},
            }
            tracing::info!("shutdown signal received, finishing in-flight requests");
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        tokio::signal::ctrl_c().await.ok();
        tracing::info!("shutdown signal received, finishing in-flight requests");
    })
}
