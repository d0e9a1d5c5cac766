//! GET/POST /invoice-profiles, PUT/DELETE /invoice-profiles/{id};
//! GET/POST /orders/{id}/invoices; GET /invoices, GET /invoices/{id},
//! POST /invoices/{id}/issue (multipart), /withdrawal, /decline, /reversal,
//! GET /invoices/{id}/file; GET /invoice-statement?month=

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::file::{check_invoice_file, MAX_INVOICE_FILE_BYTES};
use super::profiles::{self, ProfileRequest, ProfileView};
use super::statement::{self, InvoiceStatement, Month};
use super::store::{InvoiceFilter, Issued};
use super::{
    Close, InvoiceKind, InvoiceRequest, InvoiceStatus, InvoiceView, OrderInvoices, ReversalReason,
};
use crate::auth::CurrentUser;
use crate::db::Id;
use crate::domain::{limits, optional_text, required_text, Check, Money};
use crate::error::{AppError, AppResult, Violations};
use crate::files::Folder;
use crate::http::sheets::SheetFormat;
use crate::http::{created, ApiJson, Page, PageQuery};
use crate::state::AppState;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/invoice-profiles")
            .route(web::get().to(list_invoice_profiles))
            .route(web::post().to(create_invoice_profile)),
    )
    .service(
        web::resource("/invoice-profiles/{id}")
            .route(web::put().to(update_invoice_profile))
            .route(web::delete().to(delete_invoice_profile)),
    )
    .service(
        web::resource("/orders/{id}/invoices")
            .route(web::get().to(order_invoices))
            .route(web::post().to(request_invoice)),
    )
    .service(web::resource("/invoices").route(web::get().to(list_invoices)))
    .service(web::resource("/invoice-statement").route(web::get().to(invoice_statement)))
    .service(web::resource("/invoices/{id}").route(web::get().to(get_invoice)))
    .service(web::resource("/invoices/{id}/issue").route(web::post().to(issue_invoice)))
    .service(web::resource("/invoices/{id}/withdrawal").route(web::post().to(withdraw_invoice)))
    .service(web::resource("/invoices/{id}/decline").route(web::post().to(decline_invoice)))
    .service(web::resource("/invoices/{id}/reversal").route(web::post().to(reverse_invoice)))
    .service(web::resource("/invoices/{id}/file").route(web::get().to(download_invoice)));
}

#[utoipa::path(get, path = "/api/v1/invoice-profiles", tag = "invoices",
    responses((status = 200, description = "The buying organization's invoice profiles, oldest first", body = Vec<ProfileView>),
              (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_invoice_profiles(
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let profiles = state.db(move |conn, _| profiles::list(conn, &user)).await?;
    Ok(HttpResponse::Ok().json(profiles))
}

#[utoipa::path(post, path = "/api/v1/invoice-profiles", tag = "invoices", request_body = ProfileRequest,
    responses((status = 201, body = ProfileView), (status = 403, body = crate::error::Problem),
              (status = 422, description = "A field is wrong (the taxpayer id is checked like a unified social credit code), or the organization keeps 20 profiles already", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_invoice_profile(
    user: CurrentUser,
    state: web::Data<AppState>,
    body: ApiJson<ProfileRequest>,
) -> AppResult<HttpResponse> {
    profiles::require_buyer(&user)?;
    let details = body.checked()?;
    let view = state
        .db(move |conn, state| profiles::create(conn, &user, &details, state.clock.now_naive()))
        .await?;
    Ok(created(
        format!("/api/v1/invoice-profiles/{}", view.id),
        &view,
    ))
}

#[utoipa::path(put, path = "/api/v1/invoice-profiles/{id}", tag = "invoices", request_body = ProfileRequest,
    params(("id" = Id, Path)),
    responses((status = 200, description = "Invoices asked for earlier keep the details they were asked with", body = ProfileView),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn update_invoice_profile(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<ProfileRequest>,
) -> AppResult<HttpResponse> {
    profiles::require_buyer(&user)?;
    let details = body.checked()?;
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| profiles::update(conn, &user, id, &details, state.clock.now_naive()))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(delete, path = "/api/v1/invoice-profiles/{id}", tag = "invoices",
    params(("id" = Id, Path)),
    responses((status = 204, description = "Removed; invoices asked with it keep its details"),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_invoice_profile(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    state
        .db(move |conn, state| profiles::delete(conn, &user, id, state.clock.now_naive()))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(get, path = "/api/v1/orders/{id}/invoices", tag = "invoices", params(("id" = Id, Path)),
    responses((status = 200, description = "The order's invoices, oldest first, and what is left to invoice", body = OrderInvoices),
              (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn order_invoices(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .db(move |conn, _| super::order_invoices(conn, &user, id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct InvoiceRequestBody {
    /// `special` (专票: the profile must hold the address, phone, bank and account) or
    /// `ordinary` (普票).
    pub kind: String,
    /// One of the buyer's invoice profiles: its details are copied onto the request.
    pub profile_id: Id,
    /// For the seller (at most 2,000 characters).
    pub note: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/invoices", tag = "invoices", request_body = InvoiceRequestBody,
    params(("id" = Id, Path)),
    responses((status = 201, description = "The request, for what is left to invoice on the order", body = InvoiceView),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "`invoice_requested` (one is waiting already) or `nothing_to_invoice`", body = crate::error::Problem),
              (status = 422, description = "A field is wrong, or a special invoice's profile lacks a part it needs (each named)", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn request_invoice(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<InvoiceRequestBody>,
) -> AppResult<HttpResponse> {
    let mut v = Violations::new();
    let kind = v.check("kind", InvoiceKind::parse(&body.kind));
    let note = v.check("note", optional_text(body.note.as_deref(), limits::NOTE));
    v.into_result()?;
    let asked = InvoiceRequest {
        order_id: path.into_inner(),
        kind: kind.unwrap_or(InvoiceKind::Ordinary),
        profile_id: body.profile_id,
        note: note.flatten(),
    };
    let view = state
        .db(move |conn, state| super::request(conn, state, &user, &asked))
        .await?;
    Ok(created(format!("/api/v1/invoices/{}", view.id), &view))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoicesQuery {
    /// `requested`, `issued`, `reversed`, `withdrawn` or `declined` (default: all).
    pub status: Option<String>,
    /// The invoices of one order.
    pub order_id: Option<Id>,
}

#[utoipa::path(get, path = "/api/v1/invoices", tag = "invoices", params(InvoicesQuery, PageQuery),
    responses((status = 200, description = "The organization's invoices (as seller or as buyer; every invoice for admins), newest first", body = inline(Page<InvoiceView>)),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_invoices(
    user: CurrentUser,
    query: web::Query<InvoicesQuery>,
    page: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let request = page.parse()?;
    let status =
        crate::http::optional_choice("status", query.status.as_deref(), InvoiceStatus::parse)?;
    let order = query.order_id;
    let page = state
        .db(move |conn, _| {
            let statuses: Vec<&str> = status.map(|s| s.as_str()).into_iter().collect();
            let filter = InvoiceFilter {
                party: user.party(),
                statuses: &statuses,
                order,
            };
            let rows = super::store::page(conn, &filter, request.after, request.limit)?;
            let page = Page::from_rows(rows, request, |r| r.id, |r| r);
            Ok(Page {
                items: super::views(conn, page.items)?,
                next_cursor: page.next_cursor,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

#[utoipa::path(get, path = "/api/v1/invoices/{id}", tag = "invoices", params(("id" = Id, Path)),
    responses((status = 200, body = InvoiceView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_invoice(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .db(move |conn, _| super::invoice(conn, &user, id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The fields of an issued invoice, checked (its file comes apart).
#[derive(Debug, Clone)]
pub struct IssueDetails {
    pub number: String,
    pub issued_on: NaiveDate,
    pub amount_cents: i64,
}

impl IssueDetails {
    /// Checks the fields as typed; `amount` is in cents for the API, in yuan on pages.
    pub fn check(
        v: &mut Violations,
        number: &str,
        issued_on: &str,
        amount_cents: Option<i64>,
    ) -> Option<IssueDetails> {
        let number: String = number.chars().filter(|c| !c.is_whitespace()).collect();
        let number = if matches!(number.len(), 8 | 20) && number.chars().all(|c| c.is_ascii_digit())
        {
            Some(number)
        } else {
            v.add("invoice_number", Check::InvoiceNumber);
            None
        };
        let day = match NaiveDate::parse_from_str(issued_on.trim(), "%Y-%m-%d") {
            Ok(day) => Some(day),
            Err(_) => {
                v.add("issued_on", Check::StatementDay);
                None
            }
        };
        let amount = match amount_cents {
            Some(cents) if cents > 0 && Money::from_cents(cents).is_ok() => Some(cents),
            _ => {
                v.add("amount_cents", Check::PositiveCents);
                None
            }
        };
        Some(IssueDetails {
            number: number?,
            issued_on: day?,
            amount_cents: amount?,
        })
    }
}

/// Records an issued invoice with its file: the request is checked to be the seller's and
/// open before the file is looked at; the file is checked, kept, and removed again when the
/// record is refused (another request won the race, the amount is too high).
pub async fn issue_with_file(
    state: &web::Data<AppState>,
    user: CurrentUser,
    id: Id,
    details: IssueDetails,
    bytes: Vec<u8>,
) -> AppResult<InvoiceView> {
    let owner = user.clone();
    state
        .db(move |conn, _| super::open_request_of_seller(conn, &owner, id).map(|_| ()))
        .await?;
    let (bytes, checked) = web::block(move || {
        let checked = check_invoice_file(&bytes);
        (bytes, checked)
    })
    .await?;
    let (content_type, extension) = checked.map_err(|check| AppError::validation("file", check))?;
    let stored = crate::files::stored_name(Id::new(), extension);
    let size = i32::try_from(bytes.len()).unwrap_or(i32::MAX);
    crate::files::write(state, Folder::Invoices, &stored, bytes).await?;
    let issued = Issued {
        number: details.number,
        issued_on: details.issued_on,
        amount_cents: details.amount_cents,
        file_name: stored.clone(),
        file_type: content_type.to_string(),
        file_size: size,
    };
    let result = state
        .db(move |conn, state| super::issue(conn, state, &user, id, &issued))
        .await;
    if result.is_err() {
        crate::files::remove(state, Folder::Invoices, &stored);
    }
    result
}

/// The multipart form of an issued invoice (for the API document).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct IssueUpload {
    /// The invoice's number: 8 digits, or 20 for a fully digital invoice.
    invoice_number: String,
    /// The day it was issued (`YYYY-MM-DD`, China), not after today.
    issued_on: String,
    /// Its amount with tax, in cents: at most what is left to invoice on the order.
    amount_cents: i64,
    /// The e-invoice: a PDF, an OFD or an XML document, 5 MB at most.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    file: Vec<u8>,
}

#[utoipa::path(post, path = "/api/v1/invoices/{id}/issue", tag = "invoices", params(("id" = Id, Path)),
    request_body(content = IssueUpload, content_type = "multipart/form-data"),
    responses((status = 200, description = "The invoice as issued; the buyer is told", body = InvoiceView),
              (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
              (status = 409, description = "`invoice_closed` (issued, withdrawn or declined meanwhile), `invoice_exceeds_total` or `invoice_number_taken`", body = crate::error::Problem),
              (status = 413, body = crate::error::Problem),
              (status = 422, description = "A field is wrong, or the file is not a whole PDF, OFD or XML document", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn issue_invoice(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    crate::payments::ledger::require_seller(&user)?;
    let form = crate::http::upload::read(
        payload,
        MAX_INVOICE_FILE_BYTES,
        "an e-invoice file may be at most 5 MB",
    )
    .await?;
    let field = |name: &str| form.fields.get(name).cloned().unwrap_or_default();
    let mut v = Violations::new();
    let amount = field("amount_cents").trim().parse::<i64>().ok();
    let details = IssueDetails::check(
        &mut v,
        &field("invoice_number"),
        &field("issued_on"),
        amount,
    );
    let bytes = form.file.map(|f| f.bytes).filter(|b| !b.is_empty());
    if bytes.is_none() {
        v.add("file", Check::Required);
    }
    v.into_result()?;
    let (Some(details), Some(bytes)) = (details, bytes) else {
        return Err(AppError::validation("file", Check::Required));
    };
    let view = issue_with_file(&state, user, path.into_inner(), details, bytes).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[utoipa::path(post, path = "/api/v1/invoices/{id}/withdrawal", tag = "invoices", params(("id" = Id, Path)),
    responses((status = 200, description = "The buyer takes back its request", body = InvoiceView),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "`invoice_closed`: it was issued or declined meanwhile", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn withdraw_invoice(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| super::close(conn, state, &user, id, &Close::Withdraw))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct DeclineRequest {
    /// Why (required, at most 2,000 characters): shown to the buyer.
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/invoices/{id}/decline", tag = "invoices", params(("id" = Id, Path)),
    request_body = DeclineRequest,
    responses((status = 200, description = "The seller will not issue it (a wrong title, say); the buyer may ask again", body = InvoiceView),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "`invoice_closed`", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn decline_invoice(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<DeclineRequest>,
) -> AppResult<HttpResponse> {
    crate::payments::ledger::require_seller(&user)?;
    let mut v = Violations::new();
    let note = v.check("note", required_text(&body.note, limits::NOTE));
    v.into_result()?;
    let step = Close::Decline {
        note: note.unwrap_or_default(),
    };
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| super::close(conn, state, &user, id, &step))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, Serialize, ToSchema, Debug)]
pub struct ReversalBody {
    /// `cancellation`, `refund`, `return` or `mistake`.
    pub reason: String,
    /// The red-letter invoice's number (8 or 20 digits), when there is one.
    pub reversal_number: Option<String>,
    pub note: Option<String>,
}

/// A reversal as typed, checked.
pub fn reversal_of(
    reason: &str,
    reversal_number: Option<&str>,
    note: Option<&str>,
) -> AppResult<Close> {
    let mut v = Violations::new();
    let reason = v.check("reason", ReversalReason::parse(reason.trim()));
    let number: Option<String> = reversal_number
        .map(|n| n.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|n| !n.is_empty());
    if let Some(n) = &number {
        if !matches!(n.len(), 8 | 20) || !n.chars().all(|c| c.is_ascii_digit()) {
            v.add("reversal_number", Check::InvoiceNumber);
        }
    }
    let note = v.check("note", optional_text(note, limits::NOTE));
    v.into_result()?;
    Ok(Close::Reverse {
        reason: reason.unwrap_or(ReversalReason::Mistake),
        note: note.flatten(),
        reversal_number: number,
    })
}

#[utoipa::path(post, path = "/api/v1/invoices/{id}/reversal", tag = "invoices", params(("id" = Id, Path)),
    request_body = ReversalBody,
    responses((status = 200, description = "The seller reversed the invoice with a red-letter one (红冲); what it came to may be invoiced again", body = InvoiceView),
              (status = 404, body = crate::error::Problem),
              (status = 409, description = "`invoice_closed`: it is not issued (reversed already, or never issued)", body = crate::error::Problem),
              (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn reverse_invoice(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
    body: ApiJson<ReversalBody>,
) -> AppResult<HttpResponse> {
    crate::payments::ledger::require_seller(&user)?;
    let step = reversal_of(
        &body.reason,
        body.reversal_number.as_deref(),
        body.note.as_deref(),
    )?;
    let id = path.into_inner();
    let view = state
        .db(move |conn, state| super::close(conn, state, &user, id, &step))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// An invoice's file as a download: its own type, never shown inline, never run.
pub async fn file_response(
    state: &web::Data<AppState>,
    user: CurrentUser,
    id: Id,
) -> AppResult<HttpResponse> {
    let (stored, content_type, download) = state
        .db(move |conn, _| super::file_of(conn, &user, id))
        .await?;
    let bytes = crate::files::read(state, Folder::Invoices, &stored)
        .await?
        .ok_or_else(|| AppError::not_found("invoice file"))?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{download}\""),
        ))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "sandbox; default-src 'none'",
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

#[utoipa::path(get, path = "/api/v1/invoices/{id}/file", tag = "invoices", params(("id" = Id, Path)),
    responses((status = 200, description = "The e-invoice file (PDF, OFD or XML) as an attachment",
        content(
            (String = "application/pdf"),
            (String = "application/ofd"),
            (String = "application/xml"),
        )),
              (status = 404, description = "No such invoice for you, or not issued", body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn download_invoice(
    user: CurrentUser,
    path: web::Path<Id>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    file_response(&state, user, path.into_inner()).await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// The month, `YYYY-MM` (default: this month in China).
    pub month: Option<String>,
    /// Only the invoices with this organization (a buyer on a seller's statement).
    pub counterparty: Option<Id>,
    /// `json` (default), `csv` or `xlsx`; headings in the user's language.
    #[param(pattern = "^(json|csv|xlsx)$")]
    pub format: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/invoice-statement", tag = "invoices", params(StatementQuery),
    responses((status = 200, description = "The month's invoices issued (by a seller) or received (by a buyer), reversals as negative lines, and the net total; CSV or XLSX by `format`",
        content(
            (InvoiceStatement = "application/json"),
            (String = "text/csv"),
            (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
              (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn invoice_statement(
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<StatementQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let month = match query.month.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(raw) => Month::parse(raw).map_err(|check| AppError::validation("month", check))?,
        None => Month::of(crate::clock::china_day(state.clock.now_naive())),
    };
    let format = match query.format.as_deref() {
        None | Some("") | Some("json") => None,
        Some(other) => Some(SheetFormat::requested(&req, Some(other))?),
    };
    let locale = crate::i18n::Locale::of_user(user.user.locale.as_deref());
    let counterparty = query.counterparty;
    let report = state
        .db(move |conn, _| statement::month_statement(conn, &user, month, counterparty))
        .await?;
    match format {
        Some(format) => statement::to_sheet(&report, locale)
            .respond(format, &format!("invoices-{}", report.month)),
        None => Ok(HttpResponse::Ok().json(report)),
    }
}
