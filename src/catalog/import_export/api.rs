//! POST /listings/import and GET /listings/export.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::columns::parse_file;
use super::{import, seller_sheet, ImportResult, ANALYZE_AFTER_ROWS};
use crate::auth::CurrentUser;
use crate::catalog::require_exporter;
use crate::error::AppResult;
use crate::http::json::{content_length, read_limited};
use crate::http::sheets::{self, SheetFormat};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/listings/import").route(web::post().to(import_listings)))
        .service(web::resource("/listings/export").route(web::get().to(export_listings)));
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Validate only; write nothing.
    pub dry_run: Option<bool>,
}

#[utoipa::path(post, path = "/api/v1/listings/import", tag = "catalog", params(ImportQuery),
    request_body(description = "A header row, then one listing per row. CSV in UTF-8 (BOM optional) or GB18030/GBK (detected, or named by `charset=`), or an XLSX workbook (first sheet).",
        content(
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
    responses((status = 200, body = ImportResult),
              (status = 413, body = crate::error::Problem), (status = 415, body = crate::error::Problem),
              (status = 422, description = "`errors: [{row, field, message}]` for every bad row; nothing written", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn import_listings(
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<ImportQuery>,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let mut payload = payload.into_inner();
    require_exporter(&user)?;
    let format = SheetFormat::of_upload(&req)?;
    let charset = sheets::charset(&req);
    let body = read_limited(
        &mut payload,
        content_length(&req),
        state.settings.import_max_bytes,
    )
    .await?;
    let dry_run = query.dry_run.unwrap_or(false);
    let categories = state.categories.clone();
    // Parsed before a connection is taken: a bad file never holds one.
    let rows =
        web::block(move || parse_file(&body, format, charset.as_deref(), &categories)).await??;
    let result = state
        .db(move |conn, state| {
            let result = import(conn, state, &user, &rows, dry_run)?;
            if !dry_run && result.created + result.updated >= ANALYZE_AFTER_ROWS {
                // Fresh statistics now rather than when autovacuum comes by: until then
                // PostgreSQL plans pages of the new catalog as if it were empty.
                crate::db::analyze(conn)?;
            }
            Ok(result)
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` (default) or `xlsx`; the `Accept` header may ask for XLSX too.
    #[param(pattern = "^(csv|xlsx)$")]
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/listings/export", tag = "catalog", params(ExportQuery),
    responses((status = 200, description = "Every listing of your organization, in the import's columns: CSV (UTF-8 with BOM, CRLF) or XLSX",
        content(
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
              (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn export_listings(
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<ExportQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    require_exporter(&user)?;
    let format = SheetFormat::requested(&req, query.format.as_deref())?;
    let english = crate::http::prefers_english(&req);
    seller_sheet(&state, user.org.id, english)
        .await?
        .respond(format, "listings")
}
