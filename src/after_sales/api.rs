//! POST/GET /orders/{id}/after-sales; GET /after-sales; POST /after-sales/{id}/{step}

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{CaseStatus, CaseStep, CaseView, Claim, Remedy, StepInput};
use crate::auth::CurrentUser;
use crate::db::Id;
use crate::domain::{limits, optional_text, required_text, Check};
use crate::error::{AppError, AppResult, Violations};
use crate::http::{created, ApiJson, Page, PageQuery};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/orders/{id}/after-sales")
            .route(web::get().to(order_cases))
            .route(web::post().to(open_case)),
    )
    .service(web::resource("/after-sales").route(web::get().to(list_cases)))
    .service(web::resource("/after-sales/{id}/{step}").route(web::post().to(take_step)));
}

#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct ClaimLine {
    /// The order line's number (1 for the first).
    pub line_no: i32,
    pub quantity: i32,
}

#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct ClaimRequest {
    /// `refund`, `return_refund` or `replacement`.
    pub remedy: String,
    /// What is wrong (required, at most 2,000 characters).
    pub reason: String,
    /// The lines concerned, each once, and how many (at most what was bought).
    pub lines: Vec<ClaimLine>,
    /// The refund asked for, in cents: above nothing and at most what those lines cost; none
    /// for a replacement.
    pub refund_cents: Option<i64>,
}

/// A claim as typed, checked (the lines against the order come later).
pub fn claim_of(
    remedy: &str,
    reason: &str,
    lines: Vec<(i32, i32)>,
    refund_cents: Option<i64>,
) -> AppResult<Claim> {
    let mut v = Violations::new();
    let remedy = v.check("remedy", Remedy::parse(remedy.trim()));
    let reason = v.check("reason", required_text(reason, limits::NOTE));
    if lines.is_empty() || lines.len() > limits::CHECKOUT_LINES {
        v.add(
            "lines",
            Check::Between {
                min: 1,
                max: limits::CHECKOUT_LINES as i64,
            },
        );
    }
    let mut seen = std::collections::HashSet::new();
    for (n, (line_no, _)) in lines.iter().enumerate() {
        if !seen.insert(*line_no) {
            v.add(format!("lines[{n}].line_no"), Check::NotOneOf(vec![]));
        }
    }
    v.into_result()?;
    let remedy = remedy.unwrap_or(Remedy::Refund);
    Ok(Claim {
        remedy,
        reason: reason.unwrap_or_default(),
        lines,
        asked_cents: refund_cents.unwrap_or(0),
    })
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/after-sales", tag = "orders", request_body = ClaimRequest,
    params(("id" = Id, Path)),
    responses((status = 201, description = "The case, open for the seller's answer; the order is disputed", body = CaseView),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "`case_open` (one is open already), or the order is not shipped or delivered (`invalid_transition`)", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn open_case(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<ClaimRequest>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let claim = claim_of(
        &body.remedy,
        &body.reason,
        body.lines.iter().map(|l| (l.line_no, l.quantity)).collect(),
        body.refund_cents,
    )?;
    let order = path.into_inner();
    let view = state
        .db(move |conn, state| super::open(conn, state, &user, order, &claim))
        .await?;
    Ok(created(
        format!("/api/v1/orders/{order}/after-sales"),
        &view,
    ))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}/after-sales", tag = "orders", params(("id" = Id, Path)),
    responses((status = 200, description = "The order's after-sales cases, oldest first", body = Vec<CaseView>),
              (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn order_cases(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let order = path.into_inner();
    let cases = state
        .db(move |conn, _| super::order_cases(conn, &user, order))
        .await?;
    Ok(HttpResponse::Ok().json(cases))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CasesQuery {
    /// One status (`escalated`: the platform's queue).
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/after-sales", tag = "orders", params(CasesQuery, PageQuery),
    responses((status = 200, description = "The organization's cases (every case for admins), newest first", body = inline(Page<CaseView>)),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_cases(
    user: CurrentUser,
    query: web::Query<CasesQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = page.parse()?;
    let status =
        crate::http::optional_choice("status", query.status.as_deref(), CaseStatus::parse)?;
    let party = user.party();
    let page = state
        .db(move |conn, _| {
            let rows = super::store::page(
                conn,
                party,
                status.map(|s| s.as_str()),
                request.after,
                request.limit,
            )?;
            let page = Page::from_rows(rows, request, |r| r.id, |r| r);
            Ok(Page {
                items: super::views(conn, page.items)?,
                next_cursor: page.next_cursor,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct StepRequest {
    /// The case's version as it was shown: a step on a case that moved since is refused.
    pub version: i32,
    /// `offer` and `decide`: the remedy (`decide` without one rejects the claim).
    pub remedy: Option<String>,
    /// `offer` and `decide`: the refund, in cents (none for a replacement).
    pub refund_cents: Option<i64>,
    /// Why (required to `refuse` and `decide`), or a return's or a settlement's tracking.
    pub note: Option<String>,
}

/// A step as typed, checked.
pub fn step_of(
    step: &str,
    version: i32,
    remedy: Option<&str>,
    refund_cents: Option<i64>,
    note: Option<&str>,
) -> AppResult<Option<StepInput>> {
    let Ok(step) = CaseStep::parse(step) else {
        return Ok(None);
    };
    let mut v = Violations::new();
    let remedy = match remedy
        .map(str::trim)
        .filter(|r| !r.is_empty() && *r != "none")
    {
        Some(raw) => v.check("remedy", Remedy::parse(raw)),
        None => None,
    };
    let note = v.check("note", optional_text(note, limits::NOTE)).flatten();
    if step == CaseStep::Offer && remedy.is_none() {
        v.add("remedy", Check::Required);
    }
    v.into_result()?;
    Ok(Some(StepInput {
        step,
        version,
        remedy,
        refund_cents: refund_cents.unwrap_or(0),
        note,
    }))
}

#[utoipa::path(post, path = "/api/v1/after-sales/{id}/{step}", tag = "orders", request_body = StepRequest,
    params(("id" = Id, Path), ("step" = String, Path, description = "`agree`, `offer`, `refuse` (the seller, while open); `accept` (the buyer, an offer); `escalate` (the buyer after a refusal or an offer, either side once the seller's time to answer has passed); `decide` (an admin, escalated); `return` (the buyer, a return agreed); `settle` (the seller: the refund recorded, returned goods back in stock, a replacement sent); `withdraw` (the buyer)")),
    responses((status = 200, body = CaseView),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "`case_changed` (another version), `too_early` (the seller still has time to answer), `refund_exceeds_paid` (settling a refund past what was paid), or the step does not fit the case's state", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn take_step(
    user: CurrentUser,
    path: web::Path<(Id, String)>,
    state: web::Data<AppState>,
    body: ApiJson<StepRequest>,
) -> AppResult<HttpResponse> {
    let (id, step) = path.into_inner();
    let Some(input) = step_of(
        &step,
        body.version,
        body.remedy.as_deref(),
        body.refund_cents,
        body.note.as_deref(),
    )?
    else {
        return Err(AppError::not_found("after-sales step"));
    };
    let view = state
        .db(move |conn, state| super::take(conn, state, &user, id, &input))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
