//! GET/PUT /payment-terms; GET /credit-terms, PUT/DELETE /credit-terms/{buyer_id};
//! POST/GET /bank-statements; GET /statement-lines, POST /statement-lines/{id}/allocations,
//! POST /statement-lines/{id}/ignore; GET /orders/{id}/payments, POST /orders/{id}/refunds;
//! POST /payments/{id}/reversal

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::ledger::{self, Allocation, EntryView, OrderPayments};
use super::statements::{self, ImportSummary, LineView};
use crate::auth::CurrentUser;
use crate::db::Id;
use crate::domain::{limits, optional_text, required_text, Money};
use crate::error::{AppError, AppResult, Violations};
use crate::http::json::{content_length, read_limited};
use crate::http::sheets::{self, SheetFormat};
use crate::http::{ApiJson, Page, PageQuery};
use crate::orders::terms::{self, GrantView, ReceivingAccount, SellerTerms, Terms, TermsWithLimit};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/payment-terms")
            .route(web::get().to(get_seller_terms))
            .route(web::put().to(put_seller_terms)),
    )
    .service(web::resource("/credit-terms").route(web::get().to(list_grants)))
    .service(
        web::resource("/credit-terms/{buyer_id}")
            .route(web::put().to(put_grant))
            .route(web::delete().to(delete_grant)),
    )
    .service(
        web::resource("/bank-statements")
            .route(web::get().to(list_statements))
            .route(web::post().to(import_statement)),
    )
    .service(web::resource("/statement-lines").route(web::get().to(list_lines)))
    .service(web::resource("/statement-lines/{id}/allocations").route(web::post().to(allocate)))
    .service(web::resource("/statement-lines/{id}/ignore").route(web::post().to(ignore_line)))
    .service(web::resource("/statement-lines/{id}/restore").route(web::post().to(restore_line)))
    .service(web::resource("/orders/{id}/payments").route(web::get().to(order_payments)))
    .service(web::resource("/orders/{id}/refunds").route(web::post().to(refund)))
    .service(web::resource("/payments/{id}/reversal").route(web::post().to(reverse)))
    .service(
        web::resource("/organizations/{id}/payment-record").route(web::get().to(payment_record)),
    );
}

/// Terms as a client sends them.
#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct TermsRequest {
    /// `prepaid`, `deposit` or `net`.
    pub kind: String,
    /// `net`: 1-365 days after delivery; `deposit`: 0-365 days for the rest.
    pub net_days: Option<i64>,
    /// `deposit`: 1-99 percent before shipping.
    pub deposit_percent: Option<i64>,
    /// The most a buyer may owe at once on terms that give credit, in cents (none: no limit).
    pub credit_limit_cents: Option<i64>,
    /// Why (credit terms for one buyer; at most 2,000 characters).
    pub note: Option<String>,
    /// The seller's defaults only: the corporate account buyers transfer to (all three
    /// parts), shown on orders and documents.
    pub receiving_account: Option<ReceivingAccount>,
}

impl TermsRequest {
    fn checked(&self, v: &mut Violations) -> Option<TermsWithLimit> {
        let terms = Terms::check(v, &self.kind, self.net_days, self.deposit_percent);
        let limit = terms::check_limit(v, self.credit_limit_cents);
        terms.map(|terms| TermsWithLimit {
            terms,
            credit_limit_cents: limit,
        })
    }
}

#[utoipa::path(get, path = "/api/v1/payment-terms", tag = "payments",
    responses((status = 200, description = "The seller's default terms for every buyer without credit terms of its own (prepaid until set), and the account buyers pay into", body = SellerTerms)),
    security(("bearer" = [])))]
pub async fn get_seller_terms(
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    crate::catalog::require_exporter(&user)?;
    let terms = state
        .db(move |conn, _| terms::seller_defaults(conn, user.org.id))
        .await?;
    Ok(HttpResponse::Ok().json(terms))
}

#[utoipa::path(put, path = "/api/v1/payment-terms", tag = "payments", request_body = TermsRequest,
    responses((status = 200, description = "Orders placed from now on take these terms; placed orders keep theirs", body = SellerTerms),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn put_seller_terms(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<TermsRequest>,
) -> AppResult<HttpResponse> {
    let mut v = Violations::new();
    let terms = body.checked(&mut v);
    if body.note.is_some() {
        v.add("note", crate::domain::Check::NotWithTerms);
    }
    let account = body
        .receiving_account
        .as_ref()
        .and_then(|a| ReceivingAccount::check(&mut v, &a.bank, &a.name, &a.number));
    v.into_result()?;
    let terms =
        terms.ok_or_else(|| AppError::validation("kind", crate::domain::Check::Required))?;
    let terms = SellerTerms {
        terms,
        receiving_account: account,
    };
    let saved = state
        .db(move |conn, state| {
            terms::set_seller_terms(conn, &user, &terms, state.clock.now_naive())
        })
        .await?;
    Ok(HttpResponse::Ok().json(saved))
}

#[utoipa::path(get, path = "/api/v1/credit-terms", tag = "payments",
    responses((status = 200, description = "The seller's credit terms by buyer, with what each owes now", body = Vec<GrantView>)),
    security(("bearer" = [])))]
pub async fn list_grants(user: CurrentUser, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    crate::catalog::require_exporter(&user)?;
    let grants = state
        .db(move |conn, _| terms::grants_of(conn, user.org.id))
        .await?;
    Ok(HttpResponse::Ok().json(grants))
}

#[utoipa::path(put, path = "/api/v1/credit-terms/{buyer_id}", tag = "payments", request_body = TermsRequest,
    params(("buyer_id" = Id, Path, description = "A verified buyer organization")),
    responses((status = 200, body = GrantView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn put_grant(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<TermsRequest>,
) -> AppResult<HttpResponse> {
    let mut v = Violations::new();
    let terms = body.checked(&mut v);
    let note = v.check("note", optional_text(body.note.as_deref(), limits::NOTE));
    if body.receiving_account.is_some() {
        v.add("receiving_account", crate::domain::Check::NotWithTerms);
    }
    v.into_result()?;
    let terms =
        terms.ok_or_else(|| AppError::validation("kind", crate::domain::Check::Required))?;
    let buyer = path.into_inner();
    let view = state
        .db(move |conn, state| {
            terms::grant(
                conn,
                &user,
                buyer,
                &terms,
                note.flatten(),
                state.clock.now_naive(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(delete, path = "/api/v1/credit-terms/{buyer_id}", tag = "payments",
    params(("buyer_id" = Id, Path)),
    responses((status = 204, description = "The buyer's next orders take the seller's defaults"),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_grant(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let buyer = path.into_inner();
    state
        .db(move |conn, state| terms::revoke(conn, &user, buyer, state.clock.now_naive()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// The file's name, kept with the statement (at most 200 characters).
    pub file_name: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/bank-statements", tag = "payments", params(StatementQuery),
    request_body(description = "A bank's statement export: CSV in UTF-8 or GB18030/GBK (detected, or named by `charset=`), or an XLSX workbook (first sheet). The header row may sit below the bank's title lines; it names a day (交易日期 …) and money received (贷方发生额, 收入金额 …, or a signed 交易金额 / Amount), and may name the payer (对方户名), its account, the memo (摘要, 附言, 用途 …) and the bank's serial. Lines of money paid out are skipped; lines an earlier import brought are skipped.",
        content(
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
    responses((status = 201, body = ImportSummary),
              (status = 403, body = crate::error::Problem), (status = 413, body = crate::error::Problem),
              (status = 415, body = crate::error::Problem),
              (status = 422, description = "`errors: [{row, field, message}]` for every unreadable row; nothing imported", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn import_statement(
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<StatementQuery>,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let mut payload = payload.into_inner();
    ledger::require_seller(&user)?;
    let format = SheetFormat::of_upload(&req)?;
    let charset = sheets::charset(&req);
    let body = read_limited(
        &mut payload,
        content_length(&req),
        state.settings.import_max_bytes,
    )
    .await?;
    let file_name = query
        .file_name
        .clone()
        .unwrap_or_else(|| "statement".into());
    let mut v = Violations::new();
    let file_name = v.check("file_name", required_text(&file_name, 200));
    v.into_result()?;
    let file_name = file_name.unwrap_or_default();
    // Read before a connection is taken: a bad file never holds one.
    let read =
        web::block(move || statements::read_statement(&body, format, charset.as_deref())).await??;
    let summary = state
        .db(move |conn, state| statements::import_statement(conn, state, &user, &file_name, &read))
        .await?;
    Ok(HttpResponse::Created().json(summary))
}

/// A statement as listed.
#[derive(Serialize, ToSchema, Debug)]
pub struct StatementView {
    pub id: Id,
    pub file_name: String,
    pub imported_at: chrono::DateTime<chrono::Utc>,
    pub lines: i32,
    pub matched: i32,
    pub review: i32,
    pub duplicates: i32,
}

impl From<super::store::StatementRow> for StatementView {
    fn from(r: super::store::StatementRow) -> Self {
        StatementView {
            id: r.id,
            file_name: r.file_name,
            imported_at: crate::clock::to_utc(r.imported_at),
            lines: r.line_count,
            matched: r.matched_count,
            review: r.review_count,
            duplicates: r.duplicate_count,
        }
    }
}

#[utoipa::path(get, path = "/api/v1/bank-statements", tag = "payments",
    responses((status = 200, description = "The latest 50 statements the seller imported, newest first", body = Vec<StatementView>)),
    security(("bearer" = [])))]
pub async fn list_statements(
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    ledger::require_seller(&user)?;
    let rows = state
        .db(move |conn, _| Ok(super::store::statements_of(conn, user.org.id, 50)?))
        .await?;
    Ok(HttpResponse::Ok().json(
        rows.into_iter()
            .map(StatementView::from)
            .collect::<Vec<_>>(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LinesQuery {
    /// `review` (default: money left to allocate), `allocated` or `ignored`.
    #[param(pattern = "^(review|allocated|ignored)$")]
    pub status: Option<String>,
}

/// A line status as asked for.
pub fn line_status(raw: Option<&str>) -> AppResult<&'static str> {
    match raw {
        None | Some("") | Some("review") => Ok("review"),
        Some("allocated") => Ok("allocated"),
        Some("ignored") => Ok("ignored"),
        Some(_) => Err(AppError::validation(
            "status",
            crate::domain::Check::NotOneOf(vec!["review", "allocated", "ignored"]),
        )),
    }
}

#[utoipa::path(get, path = "/api/v1/statement-lines", tag = "payments", params(LinesQuery, PageQuery),
    responses((status = 200, description = "The seller's statement lines by status, newest first", body = inline(Page<LineView>)),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_lines(
    user: CurrentUser,
    query: web::Query<LinesQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    ledger::require_seller(&user)?;
    let request = page.parse()?;
    let status = line_status(query.status.as_deref())?;
    let page = state
        .db(move |conn, _| {
            let rows =
                super::store::lines_page(conn, user.org.id, status, request.after, request.limit)?;
            let page = Page::from_rows(rows, request, |l| l.id, |l| l);
            Ok(Page {
                items: statements::line_views(conn, user.org.id, page.items)?,
                next_cursor: page.next_cursor,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct AllocationRequest {
    /// One of the seller's orders.
    pub order_id: Id,
    /// At most what is left on the line and what the order has left to pay.
    pub amount_cents: i64,
    pub note: Option<String>,
}

fn positive_money(v: &mut Violations, field: &str, cents: i64) -> Option<Money> {
    match Money::from_cents(cents) {
        Ok(m) if cents > 0 => Some(m),
        _ => {
            v.add(field, crate::domain::Check::PositiveCents);
            None
        }
    }
}

#[utoipa::path(post, path = "/api/v1/statement-lines/{id}/allocations", tag = "payments", request_body = AllocationRequest,
    params(("id" = Id, Path)),
    responses((status = 201, body = EntryView), (status = 403, body = crate::error::Problem),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "`line_allocated` (less is left on the line, or it was set aside) or `payment_exceeds_due` (the order has less left to pay)", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn allocate(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<AllocationRequest>,
) -> AppResult<HttpResponse> {
    let mut v = Violations::new();
    let amount = positive_money(&mut v, "amount_cents", body.amount_cents);
    let note = v.check("note", optional_text(body.note.as_deref(), limits::NOTE));
    v.into_result()?;
    let allocation = Allocation {
        line_id: path.into_inner(),
        order_id: body.order_id,
        amount: amount.unwrap_or_default(),
        note: note.flatten(),
    };
    let entry = state
        .db(move |conn, state| ledger::allocate(conn, state, &user, &allocation))
        .await?;
    Ok(HttpResponse::Created().json(entry))
}

#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct IgnoreRequest {
    /// Why the money pays no order (required, at most 2,000 characters).
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/statement-lines/{id}/ignore", tag = "payments", request_body = IgnoreRequest,
    params(("id" = Id, Path)),
    responses((status = 200, body = LineView), (status = 404, body = crate::error::Problem),
              (status = 409, description = "The line is not in the review queue", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn ignore_line(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<IgnoreRequest>,
) -> AppResult<HttpResponse> {
    let mut v = Violations::new();
    let note = v.check("note", required_text(&body.note, limits::NOTE));
    v.into_result()?;
    let note = note.unwrap_or_default();
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| statements::ignore(conn, state, &user, id, &note))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/statement-lines/{id}/restore", tag = "payments",
    params(("id" = Id, Path)),
    responses((status = 200, description = "The line set aside is back in the review queue", body = LineView),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "The line is not set aside", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn restore_line(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| statements::restore(conn, state, &user, id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(get, path = "/api/v1/orders/{id}/payments", tag = "payments", params(("id" = Id, Path)),
    responses((status = 200, description = "The order's terms, payment state and ledger, oldest first", body = OrderPayments),
              (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn order_payments(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| ledger::order_payments(conn, &user, id, state.clock.now_naive()))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct RefundRequest {
    /// At most what was paid less what was refunded.
    pub amount_cents: i64,
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/refunds", tag = "payments", request_body = RefundRequest,
    params(("id" = Id, Path)),
    responses((status = 201, description = "The seller records a refund it made", body = EntryView),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "`refund_exceeds_paid`", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn refund(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<RefundRequest>,
) -> AppResult<HttpResponse> {
    let mut v = Violations::new();
    let amount = positive_money(&mut v, "amount_cents", body.amount_cents);
    let note = v.check("note", optional_text(body.note.as_deref(), limits::NOTE));
    v.into_result()?;
    let id = path.into_inner();
    let entry = state
        .db(move |conn, state| {
            ledger::refund(
                conn,
                state,
                &user,
                id,
                amount.unwrap_or_default(),
                note.flatten(),
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(entry))
}

#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct ReversalRequest {
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/payments/{id}/reversal", tag = "payments", request_body = ReversalRequest,
    params(("id" = Id, Path, description = "A payment entry of the order's ledger")),
    responses((status = 201, description = "The reversal entry; the order owes the amount again and its statement line returns to the queue", body = EntryView),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "`already_reversed`, or `refund_exceeds_paid`", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn reverse(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<ReversalRequest>,
) -> AppResult<HttpResponse> {
    let mut v = Violations::new();
    let note = v.check("note", optional_text(body.note.as_deref(), limits::NOTE));
    v.into_result()?;
    let id = path.into_inner();
    let entry = state
        .db(move |conn, state| ledger::reverse(conn, state, &user, id, note.flatten()))
        .await?;
    Ok(HttpResponse::Created().json(entry))
}

#[utoipa::path(get, path = "/api/v1/organizations/{id}/payment-record", tag = "payments",
    params(("id" = Id, Path, description = "A buyer organization")),
    responses((status = 200, description = "How the buyer has paid: orders that fell due, paid on time or late, overdue now, green-channel pledges kept and broken. For verified exporters, admins and the buyer itself", body = super::record::PaymentRecord),
              (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn payment_record(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let record = state
        .db(move |conn, state| {
            super::record::visible_record(
                conn,
                &user,
                id,
                crate::clock::china_day(state.clock.now_naive()),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(record))
}
