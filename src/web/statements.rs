//! The statement of account between the visitor's organization and another
//! (`/account-statements/{org_id}`), as a page and as a download.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::db::Id;
use crate::error::AppError;
use crate::error::AppResult;
use crate::http::sheets::SheetFormat;
use crate::i18n::money;
use crate::state::AppState;
use crate::statements::{period, statement, to_sheet, AccountStatement};
use crate::web::render::{not_found, render_with};
use crate::web::visitor::Visitor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/account-statements/{org_id}").route(web::get().to(show)));
}

pub struct LineShown {
    day: String,
    kind: String,
    order_id: String,
    order_number: String,
    reference: String,
    charged: String,
    received: String,
    refunded: String,
    invoiced: String,
}

pub struct OutstandingShown {
    order_id: String,
    order_number: String,
    placed_on: String,
    due_on: String,
    total: String,
    outstanding: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "pages/account_statement.html")]
pub struct StatementPage<'a> {
    v: &'a Visitor,
    s: AccountStatement,
    other_id: String,
    from: String,
    to: String,
    /// The period in words.
    period: String,
    lines: Vec<LineShown>,
    outstanding: Vec<OutstandingShown>,
    totals: [String; 4],
    balance: String,
    overdue: String,
    uninvoiced: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct StatementQuery {
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
}

pub async fn show(
    v: Visitor,
    path: web::Path<String>,
    query: web::Query<StatementQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let Ok(other) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let today = crate::clock::china_day(state.clock.now_naive());
    let (period, error, answer) = match period(query.from.as_deref(), query.to.as_deref(), today) {
        Ok(period) => (period, None, StatusCode::OK),
        // A period that is not one: this month, and why.
        Err(error) => (
            period(None, None, today)?,
            Some(v.field_errors(&error)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    };
    let (from, to) = period;
    let found = state
        .db(move |conn, _| statement(conn, &user, other, from, to, today))
        .await;
    let s = match found {
        Ok(s) => s,
        Err(AppError::NotFound(_)) => return not_found(&v),
        Err(other) => return Err(other),
    };
    if error.is_none() {
        if let Some(format) = query.format.as_deref() {
            let format = if format == "csv" {
                SheetFormat::Csv
            } else {
                SheetFormat::Xlsx
            };
            return to_sheet(&s, v.locale).respond(format, &format!("statement-{from}-{to}"));
        }
    }
    let shown = |cents: i64| {
        if cents == 0 {
            String::new()
        } else {
            money(cents)
        }
    };
    let page = StatementPage {
        v: &v,
        other_id: other.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        period: v.t1(
            "account-period",
            "period",
            format!("{} – {}", v.locale.day(from), v.locale.day(to)),
        ),
        lines: s
            .lines
            .iter()
            .map(|l| LineShown {
                day: v.locale.day(l.day),
                kind: v.t(&format!("account-kind-{}", l.kind)),
                order_id: l.order_id.to_string(),
                order_number: l.order_number.clone(),
                reference: match (l.kind.as_str(), &l.reference) {
                    ("order", Some(status)) => v.t(&format!("order-status-{status}")),
                    (_, reference) => reference.clone().unwrap_or_default(),
                },
                charged: shown(l.charged_cents),
                received: shown(l.received_cents),
                refunded: shown(l.refunded_cents),
                invoiced: shown(l.invoiced_cents),
            })
            .collect(),
        outstanding: s
            .outstanding
            .iter()
            .map(|o| OutstandingShown {
                order_id: o.order_id.to_string(),
                order_number: o.order_number.clone(),
                placed_on: v.locale.day(o.placed_on),
                due_on: o
                    .due_on
                    .map(|d| v.locale.day(d))
                    .unwrap_or_else(|| v.t("payment-due-after-delivery")),
                total: money(o.total_cents),
                outstanding: money(o.outstanding_cents),
                overdue: o.overdue,
            })
            .collect(),
        totals: [
            money(s.ordered_cents),
            money(s.received_cents),
            money(s.refunded_cents),
            money(s.invoiced_cents),
        ],
        balance: money(s.balance_cents),
        overdue: money(s.overdue_cents),
        uninvoiced: money(s.uninvoiced_cents),
        error,
        s,
    };
    render_with(&v, HttpResponse::build(answer), &page)
}
