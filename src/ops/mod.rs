//! Operations endpoints: liveness, readiness and metrics.

pub mod lifecycle;
pub mod metrics;

use crate::error::ProblemCode;
use actix_web::{web, HttpRequest, HttpResponse};
use diesel::prelude::*;
use diesel::sql_types::Integer;

use crate::db::schema::outbox;
use crate::error::{AppError, AppResult};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/healthz").route(web::get().to(healthz)))
        .service(web::resource("/readyz").route(web::get().to(readyz)))
        .service(web::resource("/metrics").route(web::get().to(metrics_text)));
}

/// What the health endpoints answer.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok` (healthz) or `ready` (readyz).
    pub status: &'static str,
}

#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, description = "The process is up", body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

#[derive(QueryableByName)]
struct One {
    #[diesel(sql_type = Integer)]
    #[allow(dead_code)]
    one: i32,
}

#[utoipa::path(get, path = "/readyz", tag = "operations", responses(
    (status = 200, description = "The database answers", body = Health),
    (status = 503, description = "The database does not answer, or the service is stopping", body = crate::error::Problem)))]
pub async fn readyz(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    if state.lifecycle.is_draining() {
        return Ok(crate::error::Problem::new(
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            ProblemCode::ShuttingDown,
            "the service is stopping; requests still in flight are answered",
        )
        .into_response());
    }
    state
        .db(|conn, _| {
            diesel::sql_query("SELECT 1 AS one")
                .get_result::<One>(conn)
                .map_err(|e| AppError::DatabaseUnavailable {
                    cause: format!("the database does not answer: {e}"),
                })
        })
        .await?;
    Ok(HttpResponse::Ok().json(Health { status: "ready" }))
}

#[utoipa::path(get, path = "/metrics", tag = "operations", responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"),
    (status = 403, description = "Not a loopback client, and metrics are not public", body = crate::error::Problem)))]
pub async fn metrics_text(req: HttpRequest, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    let loopback = req.peer_addr().is_some_and(|addr| addr.ip().is_loopback());
    if !loopback && !state.settings.metrics_public {
        return Err(AppError::forbidden(
            "metrics are served to loopback clients only",
        ));
    }
    let pool = state.pool.state();
    let (pending, failed) = state
        .db(|conn, _| {
            let pending = outbox::table
                .filter(outbox::status.eq("pending"))
                .count()
                .get_result::<i64>(conn)?;
            let failed = outbox::table
                .filter(outbox::status.eq("failed"))
                .count()
                .get_result::<i64>(conn)?;
            Ok((pending, failed))
        })
        .await
        .unwrap_or((-1, -1));
    let text = state.metrics.render(&metrics::Gauges {
        pool_connections: pool.connections,
        pool_idle: pool.idle_connections,
        pool_max: state.pool.max_size(),
        outbox_pending: pending,
        outbox_failed: failed,
        requests_received: state.lifecycle.requests_received(),
    });
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(text))
}
