//! GET /account-statements/{org_id}?from=&to=&format=

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{period, statement, to_sheet, AccountStatement};
use crate::auth::CurrentUser;
use crate::db::Id;
use crate::error::AppResult;
use crate::http::sheets::SheetFormat;
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/account-statements/{org_id}").route(web::get().to(account_statement)),
    );
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// First day (`YYYY-MM-DD`, China; default: the first of `to`'s month).
    pub from: Option<String>,
    /// Last day included (default: today in China); at most 366 days after `from`.
    pub to: Option<String>,
    /// `json` (default), `csv` or `xlsx`; headings in the user's language.
    #[param(pattern = "^(json|csv|xlsx)$")]
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/account-statements/{org_id}", tag = "payments", params(("org_id" = Id, Path, description = "The other side: a buyer for a seller, a seller for a buyer"), StatementQuery),
    responses((status = 200, description = "The statement of account between the two: the period's orders, payments, reversals, refunds and invoices, what is owed now, overdue and not invoiced; CSV or XLSX by `format`",
        content(
            (AccountStatement = "application/json"),
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
              (status = 404, description = "No such organization on the other side", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn account_statement(
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<Id>,
    query: web::Query<StatementQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let today = crate::clock::china_day(state.clock.now_naive());
    let (from, to) = period(query.from.as_deref(), query.to.as_deref(), today)?;
    let format = match query.format.as_deref() {
        None | Some("") | Some("json") => None,
        Some(other) => Some(SheetFormat::requested(&req, Some(other))?),
    };
    let locale = crate::i18n::Locale::of_user(user.user.locale.as_deref());
    let other = path.into_inner();
    let found = state
        .db(move |conn, _| statement(conn, &user, other, from, to, today))
        .await?;
    match format {
        Some(format) => to_sheet(&found, locale).respond(format, &format!("statement-{from}-{to}")),
        None => Ok(HttpResponse::Ok().json(found)),
    }
}
