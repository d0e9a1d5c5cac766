//! GET /reports/summary?from=&to=&zone=  (JSON; CSV or XLSX by `format=` or `Accept`)

use super::{parse_time, report_for};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{to_sheet, Summary};
use crate::auth::CurrentUser;
use crate::error::{AppResult, Violations};
use crate::http::sheets::SheetFormat;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/reports/summary").route(web::get().to(report_summary)));
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// First day (`YYYY-MM-DD`) or instant (RFC 3339) included.
    pub from: Option<String>,
    /// Last day included (`YYYY-MM-DD`), or the instant (RFC 3339) the report stops before.
    pub to: Option<String>,
    /// Zone id or slug.
    pub zone: Option<String>,
    /// `json` (default), `csv` or `xlsx`; `Accept: text/csv` or the XLSX type work too.
    #[param(pattern = "^(json|csv|xlsx)$")]
    pub format: Option<String>,
}

/// The table format the request asks for, or None for JSON.
fn table_format(req: &HttpRequest, format: Option<&str>) -> AppResult<Option<SheetFormat>> {
    match format {
        Some("json") => Ok(None),
        Some(other) => SheetFormat::requested(req, Some(other)).map(Some),
        None => Ok(SheetFormat::accepted(req)),
    }
}

#[utoipa::path(get, path = "/api/v1/reports/summary", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON; CSV (UTF-8 with BOM, CRLF) or XLSX by `format` or `Accept`: one table `section,key,gmv_cents,orders,units,exporters,buyers,budget_cents,spent_cents`",
        content(
            (Summary = "application/json"),
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
              (status = 403, description = "Neither an admin nor a zone operator", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn report_summary(
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<ReportQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let mut v = Violations::new();
    let from = query
        .from
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(|raw| v.check("from", parse_time(raw, false)));
    let to = query
        .to
        .as_deref()
        .filter(|s| !s.is_empty())
        .and_then(|raw| v.check("to", parse_time(raw, true)));
    v.into_result()?;
    let zone_key = query.zone.clone().filter(|s| !s.is_empty());
    let table = table_format(&req, query.format.as_deref())?;
    let report = state
        .db(move |conn, state| report_for(conn, state, &user, zone_key.as_deref(), from, to))
        .await?;
    if let Some(format) = table {
        return to_sheet(&report).respond(format, "summary");
    }
    Ok(HttpResponse::Ok().json(report))
}
