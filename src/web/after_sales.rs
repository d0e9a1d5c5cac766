//! After-sales in the browser: the buyer opens a claim from the order's page, each side
//! takes its steps there, and admins find the claims brought to them at
//! `/admin/after-sales`.

use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::after_sales::api::{claim_of, step_of};
use crate::after_sales::{self, CaseStatus};
use crate::db::Id;
use crate::error::{AppError, AppResult, Violations};
use crate::i18n::money;
use crate::state::AppState;
use crate::web::after_sales_section::CaseTyped;
use crate::web::forms::Fields;
use crate::web::render::{not_for_you, not_found, render_with};
use crate::web::visitor::Visitor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/orders/{id}/after-sales").route(web::post().to(open)))
        .service(web::resource("/after-sales/{id}/{step}").route(web::post().to(step)))
        .service(web::resource("/admin/after-sales").route(web::get().to(queue)));
}

/// Back to the order's after-sales section with a notice, or the order's page with the
/// refusal and what was typed.
async fn after_step(
    v: &Visitor,
    state: &web::Data<AppState>,
    order: Id,
    result: AppResult<String>,
    typed: CaseTyped,
) -> AppResult<HttpResponse> {
    let error = match result {
        Ok(notice) => {
            return Ok(v.see_other_with(&format!("/orders/{order}#after-sales"), "notice", &notice))
        }
        Err(AppError::NotFound(_)) => return not_found(v),
        Err(error) => error,
    };
    let Some((words, status)) = v.refused(&error) else {
        return Err(error);
    };
    crate::web::orders::order_page_with(v, state, order, Some(words), status, None, Some(typed))
        .await
}

pub async fn open(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let Ok(order) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let mut quantities = Vec::new();
    let mut lines = Vec::new();
    let mut checked = Violations::new();
    for (name, value) in &fields.0 {
        let Some(line_no) = name
            .strip_prefix("qty_")
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        let value = value.trim().to_string();
        quantities.push((line_no, value.clone()));
        if value.is_empty() || value == "0" {
            continue;
        }
        match value.parse::<i32>() {
            Ok(q) => lines.push((line_no, q)),
            Err(_) => checked.add(
                format!("lines[{}].quantity", lines.len()),
                crate::domain::Check::PositiveWholeNumber,
            ),
        }
    }
    let refund = fields.yuan(&mut checked, "refund");
    let typed = CaseTyped {
        remedy: fields.get("remedy"),
        reason: fields.get("reason"),
        refund: fields.get("refund"),
        note: String::new(),
        quantities,
    };
    let result = match checked
        .into_result()
        .and_then(|()| claim_of(&typed.remedy, &typed.reason, lines, refund))
    {
        Ok(claim) => state
            .db(move |conn, state| after_sales::open(conn, state, &user, order, &claim))
            .await
            .map(|_| v.t("after-sales-opened")),
        Err(error) => Err(error),
    };
    after_step(&v, &state, order, result, typed).await
}

pub async fn step(
    v: Visitor,
    path: web::Path<(String, String)>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let (id, step) = path.into_inner();
    let Ok(id) = id.parse::<Id>() else {
        return not_found(&v);
    };
    let viewer = user.clone();
    let Ok(order) = state
        .db(move |conn, _| Ok(after_sales::visible_case(conn, &viewer, id)?.order_id))
        .await
    else {
        return not_found(&v);
    };
    let typed = CaseTyped {
        remedy: fields.get("remedy"),
        refund: fields.get("refund"),
        note: fields.get("note"),
        ..CaseTyped::default()
    };
    let mut checked = Violations::new();
    let refund = fields.yuan(&mut checked, "refund");
    let version = fields.get("version").parse::<i32>().unwrap_or(0);
    let input = checked.into_result().and_then(|()| {
        step_of(
            &step,
            version,
            Some(&typed.remedy),
            refund,
            Some(&typed.note),
        )
    });
    let result = match input {
        Ok(None) => return not_found(&v),
        Ok(Some(input)) => {
            let words = v.t1(
                "after-sales-step-done",
                "step",
                v.t(after_sales::step_message(input.step)),
            );
            state
                .db(move |conn, state| after_sales::take(conn, state, &user, id, &input))
                .await
                .map(|_| words)
        }
        Err(error) => Err(error),
    };
    after_step(&v, &state, order, result, typed).await
}

pub struct QueuedCase {
    order_id: String,
    order_number: String,
    parties: String,
    asked: String,
    offer: Option<String>,
    reason: String,
    at: String,
}

#[derive(Template)]
#[template(path = "pages/after_sales_queue.html")]
pub struct QueuePage<'a> {
    v: &'a Visitor,
    cases: Vec<QueuedCase>,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct QueueQuery {
    cursor: Option<String>,
    back: Option<String>,
}

/// The claims brought to the platform, newest first.
pub async fn queue(
    v: Visitor,
    query: web::Query<QueueQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if v.admin().is_none() {
        return not_for_you(&v);
    }
    let request = crate::http::pagination::PageRequest::from_link(query.cursor.as_deref(), 30);
    let (views, next_cursor) = state
        .db(move |conn, _| {
            let rows = after_sales::store::page(
                conn,
                None,
                Some(CaseStatus::Escalated.as_str()),
                request.after,
                request.limit,
            )?;
            let page = crate::http::Page::from_rows(rows, request, |r| r.id, |r| r);
            Ok((after_sales::views(conn, page.items)?, page.next_cursor))
        })
        .await?;
    let (previous, next) = crate::web::forms::cursor_pages(
        "/admin/after-sales",
        query.cursor.as_deref(),
        query.back.as_deref(),
        next_cursor.as_deref(),
    );
    let page = QueuePage {
        v: &v,
        cases: views
            .iter()
            .map(|c| QueuedCase {
                order_id: c.order_id.to_string(),
                order_number: c.order_number.clone(),
                parties: format!(
                    "{} {} · {} {}",
                    v.t("order-buyer"),
                    c.buyer.name,
                    v.t("order-seller"),
                    c.seller.name
                ),
                offer: c.offer_remedy.map(|r| {
                    format!(
                        "{} {}",
                        v.t(after_sales::remedy_message(r)),
                        c.offer_cents
                            .filter(|c| *c > 0)
                            .map(money)
                            .unwrap_or_default()
                    )
                    .trim()
                    .to_string()
                }),
                asked: format!(
                    "{} {}",
                    v.t(after_sales::remedy_message(c.remedy)),
                    if c.asked_cents > 0 {
                        money(c.asked_cents)
                    } else {
                        String::new()
                    }
                ),
                reason: c.reason.clone(),
                at: v.date_time(&c.opened_at.naive_utc()),
            })
            .collect(),
        previous,
        next,
    };
    render_with(&v, HttpResponse::Ok(), &page)
}
