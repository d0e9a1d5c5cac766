//! tradezone: a B2B marketplace that moves export-oriented goods into the domestic market.
//! `Application::build` wires settings → pool → migrations → HTTP server and mail worker;
//! the binary (main.rs) and the integration tests both start the service through it.

pub mod accounts;
pub mod admin;
pub mod after_sales;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod files;
pub mod http;
pub mod i18n;
pub mod invoices;
pub mod mail;
pub mod notifications;
pub mod openapi;
pub mod ops;
pub mod orders;
pub mod payments;
pub mod purchase_requests;
pub mod reports;
pub mod state;
pub mod statements;
pub mod web;
pub mod zones;

use std::net::TcpListener;
use std::path::Path;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{middleware, web as aweb, App, HttpRequest, HttpResponse, HttpServer};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

use crate::auth::tokens::{random_token, TokenKeys};
use crate::clock::Clock;
use crate::config::Settings;
use crate::error::AppError;
use crate::mail::transport::Mailer;
use crate::ops::metrics::Metrics;
use crate::state::AppState;

/// Connects to the database named by the settings and brings its schema up to date.
pub fn connect(settings: &Settings) -> anyhow::Result<(db::BackendKind, db::DbPool)> {
    let (backend, pool) = db::build_pool(&settings.database_url, settings.db_waits())
        .context("opening the database")?;
    let mut conn = pool.get().context("connecting to the database")?;
    db::run_migrations(&mut conn)?;
    // Listings indexed by an older version of the search text are rewritten once.
    if catalog::search::index::search_index_outdated(&mut conn)? {
        let categories = catalog::categories::Categories::load(&mut conn)?;
        let reindexed = catalog::search::index::reindex_search(&mut conn, &categories)
            .context("reindexing the listings for search")?;
        tracing::info!(
            listings = reindexed,
            "search index rewritten for the new version"
        );
    }
    let referenced = orders::store::reference_old_orders(&mut conn)
        .context("giving orders placed before remittance references their reference")?;
    if referenced > 0 {
        tracing::info!(
            orders = referenced,
            "remittance references given to earlier orders"
        );
    }
    Ok((backend, pool))
}

/// The JWT secret: from the settings, or generated once and kept under the data folder.
fn jwt_secret(settings: &Settings) -> anyhow::Result<String> {
    if let Some(secret) = settings.jwt_secret.as_ref().filter(|s| !s.is_empty()) {
        return Ok(secret.clone());
    }
    let path = Path::new(&settings.data_dir).join("jwt_secret");
    if let Ok(secret) = std::fs::read_to_string(&path) {
        if !secret.trim().is_empty() {
            return Ok(secret.trim().to_string());
        }
    }
    tracing::warn!(path = %path.display(), "TRADEZONE_JWT_SECRET is not set; using a generated secret kept in the data folder");
    std::fs::create_dir_all(&settings.data_dir)?;
    let secret = random_token();
    std::fs::write(&path, &secret).with_context(|| format!("writing {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(secret)
}

pub fn build_state(settings: Settings, clock: Clock) -> anyhow::Result<AppState> {
    let (backend, pool) = connect(&settings)?;
    let secret = jwt_secret(&settings)?;
    let categories = catalog::categories::Categories::load(&mut *pool.get()?)?;
    Ok(AppState {
        pool,
        backend,
        clock,
        keys: Arc::new(TokenKeys::from_secret(secret.as_bytes())),
        metrics: Arc::new(Metrics::default()),
        categories: Arc::new(categories),
        lifecycle: Arc::new(ops::lifecycle::Lifecycle::default()),
        api_document: openapi::document(),
        facet_cache: Arc::new(catalog::search::facets::FacetCache::new(
            std::time::Duration::from_millis(settings.facet_cache_ms),
        )),
        settings: Arc::new(settings),
    })
}

/// A pass of background work, by name.
type Pass = (&'static str, fn(&AppState) -> anyhow::Result<usize>);

/// Runs every pass each `every` until `shutdown` fires; a pass that fails is logged and tried
/// again next time.
async fn periodic(
    state: AppState,
    every: std::time::Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
    passes: &'static [Pass],
) {
    loop {
        for (name, pass) in passes {
            let state = state.clone();
            match tokio::task::spawn_blocking(move || pass(&state)).await {
                Ok(Err(error)) => tracing::warn!(%error, pass = name, "background pass failed"),
                Err(error) => tracing::error!(%error, pass = name, "background pass panicked"),
                Ok(Ok(_)) => {}
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => break,
        }
    }
}

/// Every route of the service.
pub fn routes(cfg: &mut aweb::ServiceConfig) {
    cfg.configure(ops::routes)
        .service(
            aweb::scope("/api/v1")
                .service(aweb::resource("/openapi.json").route(aweb::get().to(openapi_json)))
                .configure(auth::api::routes)
                .configure(accounts::api::routes)
                .configure(catalog::api::routes)
                .configure(zones::api::routes)
                .configure(after_sales::api::routes)
                .configure(orders::api::routes)
                .configure(payments::api::routes)
                .configure(invoices::api::routes)
                .configure(statements::api::routes)
                .configure(purchase_requests::api::routes)
                .configure(reports::api::routes)
                .configure(admin::api::routes)
                .configure(notifications::api::routes),
        )
        .configure(openapi::docs::routes)
        .configure(catalog::images::file_routes)
        .configure(web::routes)
        .default_service(aweb::to(unknown_path));
}

async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(openapi::document_json())
}

async fn unknown_path(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let wants_page = !req.path().starts_with("/api/")
        && req
            .headers()
            .get(actix_web::http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    if wants_page {
        return web::not_found_page(req).await;
    }
    Err(AppError::NotFound(format!("no resource at {}", req.path())))
}

fn query_error(err: actix_web::error::QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    let message = err.to_string();
    let field = message
        .split('`')
        .nth(1)
        .filter(|_| message.contains("field"))
        .unwrap_or("query")
        .to_string();
    AppError::validation(field, message).into()
}

fn path_error(_: actix_web::error::PathError, req: &HttpRequest) -> actix_web::Error {
    AppError::NotFound(format!("no resource at {}", req.path())).into()
}

fn form_error(err: actix_web::error::UrlencodedError, _: &HttpRequest) -> actix_web::Error {
    AppError::BadRequest(format!("the form could not be read: {err}")).into()
}

/// A running service: its port, the server handle and the mail worker.
pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
    shutdown: tokio::sync::watch::Sender<bool>,
    worker: tokio::task::JoinHandle<()>,
    reminders: tokio::task::JoinHandle<()>,
}

impl Application {
    pub async fn build(settings: Settings, clock: Clock) -> anyhow::Result<Self> {
        let mailer = Mailer::from_url(&settings.mail_url).context("setting up mail")?;
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("listening on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let state = build_state(settings, clock)?;
        let settings = state.settings.clone();
        let data = aweb::Data::new(state.clone());
        let max_body = settings.max_body_bytes;
        let lifecycle = state.lifecycle.clone();
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(aweb::QueryConfig::default().error_handler(query_error))
                .app_data(aweb::PathConfig::default().error_handler(path_error))
                .app_data(
                    aweb::FormConfig::default()
                        .limit(max_body)
                        .error_handler(form_error),
                )
                .wrap(middleware::from_fn(http::middleware::request_context))
                .wrap(TracingLogger::default())
                .configure(routes)
        })
        .on_connect(move |_, _| lifecycle.connection_accepted())
        // Signals are ours: the service drains before actix stops listening.
        .disable_signals()
        .shutdown_timeout(settings.shutdown_timeout_secs);
        if settings.workers > 0 {
            server = server.workers(settings.workers);
        }
        let server = server.listen(listener)?.run();
        let (shutdown, shutdown_rx) = tokio::sync::watch::channel(false);
        // Reminders, a pass every ten minutes: payments falling due (due days are days, in
        // China time) and after-sales claims the seller left unanswered.
        let reminders = tokio::spawn(periodic(
            state.clone(),
            std::time::Duration::from_secs(600),
            shutdown_rx.clone(),
            &[
                ("payment reminders", payments::reminders::run_once),
                ("after-sales deadlines", after_sales::reminders::run_once),
            ],
        ));
        let worker = tokio::spawn(mail::worker::run(state.clone(), mailer, shutdown_rx));
        Ok(Application {
            port,
            server,
            state,
            shutdown,
            worker,
            reminders,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until SIGTERM or SIGINT (or `Lifecycle::request_stop`): drains, stops listening,
    /// lets every received request finish, then stops the mail worker.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run(true).await
    }

    /// The same, stopped by `Lifecycle::request_stop` only: for tests and programs that embed
    /// the service and keep the process's signals to themselves.
    pub async fn run_until_requested(self) -> anyhow::Result<()> {
        self.run(false).await
    }

    async fn run(self, signals: bool) -> anyhow::Result<()> {
        let handle = self.server.handle();
        let lifecycle = self.state.lifecycle.clone();
        let drain_for = std::time::Duration::from_millis(self.state.settings.shutdown_drain_ms);
        let mut server = self.server;
        let result = tokio::select! {
            result = &mut server => result,
            _ = lifecycle.stop_requested(signals) => {
                lifecycle.drain(drain_for).await;
                tracing::info!("no longer accepting connections; finishing requests in flight");
                // The command is sent at once; the server future carries it out.
                let stopped = handle.stop(true);
                let result = server.await;
                stopped.await;
                result
            }
        };
        let _ = self.shutdown.send(true);
        let _ = self.worker.await;
        let _ = self.reminders.await;
        Ok(result?)
    }
}
