//! What every request handler can reach: the pool, the settings, the clock and the keys.

use std::sync::Arc;

use actix_web::web;

use crate::auth::tokens::TokenKeys;
use crate::catalog::categories::Categories;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{AnyConnection, BackendKind, DbPool};
use crate::error::{AppError, AppResult};
use crate::ops::lifecycle::Lifecycle;
use crate::ops::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub backend: BackendKind,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    pub keys: Arc<TokenKeys>,
    pub metrics: Arc<Metrics>,
    /// The category taxonomy (seeded by a migration, never changed at run time).
    pub categories: Arc<Categories>,
    /// Whether the service is draining before it stops.
    pub lifecycle: Arc<Lifecycle>,
    /// The OpenAPI document, whose schemas name what a body that does not fit expects.
    pub api_document: &'static serde_json::Value,
    /// Recent searches' facet counts.
    pub facet_cache: Arc<crate::catalog::search::facets::FacetCache>,
}

impl AppState {
    /// Runs blocking database work on the blocking thread pool with a pooled connection.
    pub async fn db<T, F>(&self, work: F) -> AppResult<T>
    where
        F: FnOnce(&mut AnyConnection, &AppState) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let state = self.clone();
        web::block(move || {
            let mut conn = state
                .pool
                .get()
                .map_err(|e| AppError::no_connection(&state.pool, e))?;
            work(&mut conn, &state)
        })
        .await
        .map_err(AppError::from)?
    }
}
