//! VAT invoices in the browser: a buyer's invoice profiles (`/account/invoice-profiles`),
//! every organization's invoices and its monthly statement (`/invoices`), and the steps
//! both sides take from an order's invoice section (`web::invoice_section`).

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::db::Id;
use crate::error::{AppError, AppResult, Violations};
use crate::http::sheets::SheetFormat;
use crate::invoices::api::{issue_with_file, reversal_of, IssueDetails};
use crate::invoices::profiles::{self, ProfileRequest};
use crate::invoices::statement::{self, Month};
use crate::invoices::store::InvoiceFilter;
use crate::invoices::{self, Close, InvoiceKind, InvoiceRequest, InvoiceStatus};
use crate::state::AppState;
use crate::web::forms::{status_tabs, Choice, Fields};
use crate::web::invoice_section::{InvoiceShown, InvoiceTyped};
use crate::web::render::{not_for_you, not_found, render_with};
use crate::web::visitor::Visitor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/account/invoice-profiles")
            .route(web::get().to(profiles_page))
            .route(web::post().to(save_profile)),
    )
    .service(web::resource("/account/invoice-profiles/{id}").route(web::post().to(save_profile_id)))
    .service(
        web::resource("/account/invoice-profiles/{id}/delete")
            .route(web::post().to(delete_profile)),
    )
    .service(web::resource("/invoices").route(web::get().to(list)))
    .service(web::resource("/invoices/statement").route(web::get().to(statement_download)))
    .service(web::resource("/orders/{id}/invoice-request").route(web::post().to(request)))
    .service(web::resource("/invoices/{id}/issue").route(web::post().to(issue)))
    .service(web::resource("/invoices/{id}/file").route(web::get().to(download)))
    .service(web::resource("/invoices/{id}/{step}").route(web::post().to(step)));
}

/// Back to the order with a notice, or its page with the refusal and what was typed.
async fn after_step(
    v: &Visitor,
    state: &web::Data<AppState>,
    order: Option<Id>,
    result: AppResult<&'static str>,
    typed: Option<InvoiceTyped>,
) -> AppResult<HttpResponse> {
    let Some(order) = order else {
        return not_found(v);
    };
    let error = match result {
        Ok(notice) => {
            return Ok(v.see_other_with(
                &format!("/orders/{order}#invoices"),
                "notice",
                &v.t(notice),
            ))
        }
        Err(AppError::NotFound(_)) => return not_found(v),
        Err(error) => error,
    };
    let Some((words, status)) = v.refused(&error) else {
        return Err(error);
    };
    crate::web::orders::order_page_with(v, state, order, Some(words), status, typed, None).await
}

/// The order an invoice belongs to, when the visitor may see it.
async fn order_of(
    state: &web::Data<AppState>,
    user: &crate::auth::CurrentUser,
    id: Id,
) -> AppResult<Option<Id>> {
    let user = user.clone();
    state
        .db(move |conn, _| {
            Ok(invoices::visible_invoice(conn, &user, id)
                .ok()
                .map(|i| i.order_id))
        })
        .await
}

/// The buyer asks for an invoice from its order's page.
pub async fn request(
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
    let typed = InvoiceTyped {
        kind: fields.get("kind"),
        profile: fields.get("profile_id"),
        note: fields.get("note"),
        ..InvoiceTyped::default()
    };
    let mut checked = Violations::new();
    let kind = checked.check("kind", InvoiceKind::parse(&typed.kind));
    let profile = match typed.profile.parse::<Id>() {
        Ok(id) => Some(id),
        Err(_) => {
            checked.add("profile_id", crate::domain::Check::InvoiceProfile);
            None
        }
    };
    let note = checked
        .check(
            "note",
            crate::domain::optional_text(Some(&typed.note), crate::domain::limits::NOTE),
        )
        .flatten();
    let result = match (checked.into_result(), kind, profile) {
        (Ok(()), Some(kind), Some(profile_id)) => {
            let asked = InvoiceRequest {
                order_id: order,
                kind,
                profile_id,
                note,
            };
            state
                .db(move |conn, state| invoices::request(conn, state, &user, &asked))
                .await
                .map(|_| "invoice-requested")
        }
        (Err(error), _, _) => Err(error),
        _ => Err(AppError::validation("kind", crate::domain::Check::Required)),
    };
    after_step(&v, &state, Some(order), result, Some(typed)).await
}

/// The seller records the invoice it issued, with its file.
pub async fn issue(
    v: Visitor,
    path: web::Path<String>,
    payload: Multipart,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let form = crate::http::upload::read(
        payload,
        crate::invoices::file::MAX_INVOICE_FILE_BYTES,
        &v.t("invoice-file-too-large"),
    )
    .await;
    let form = match form {
        Ok(form) => form,
        Err(error) => {
            // The form could not be read (too large): the order is found again by the invoice.
            let order = match (v.user.as_ref(), path.parse::<Id>()) {
                (Some(user), Ok(id)) => order_of(&state, user, id).await?,
                _ => None,
            };
            return after_step(&v, &state, order, Err(error), None).await;
        }
    };
    let field = |name: &str| {
        form.fields
            .get(name)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    v.check_csrf(&field("csrf"))?;
    let Some(user) = v.exporter().cloned() else {
        return not_for_you(&v);
    };
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let order = order_of(&state, &user, id).await?;
    let typed = InvoiceTyped {
        number: field("invoice_number"),
        issued_on: field("issued_on"),
        amount: field("amount"),
        ..InvoiceTyped::default()
    };
    let mut checked = Violations::new();
    let fields = Fields(vec![("amount".into(), typed.amount.clone())]);
    let cents = fields.yuan(&mut checked, "amount");
    let details = IssueDetails::check(&mut checked, &typed.number, &typed.issued_on, cents);
    let bytes = form.file.map(|f| f.bytes).filter(|b| !b.is_empty());
    if bytes.is_none() {
        checked.add("file", crate::domain::Check::Required);
    }
    let result = match (checked.into_result(), details, bytes) {
        (Ok(()), Some(details), Some(bytes)) => issue_with_file(&state, user, id, details, bytes)
            .await
            .map(|_| "invoice-issued"),
        (Err(error), _, _) => Err(error),
        _ => Err(AppError::validation("file", crate::domain::Check::Required)),
    };
    after_step(&v, &state, order, result, Some(typed)).await
}

/// Withdraw (the buyer), decline or reverse (the seller).
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
    let order = order_of(&state, &user, id).await?;
    let typed = InvoiceTyped {
        note: fields.get("note"),
        reversal_number: fields.get("reversal_number"),
        ..InvoiceTyped::default()
    };
    let close = match step.as_str() {
        "withdraw" => Ok((Close::Withdraw, "invoice-withdrawn")),
        "decline" => crate::domain::required_text(&typed.note, crate::domain::limits::NOTE)
            .map(|note| (Close::Decline { note }, "invoice-declined"))
            .map_err(|check| AppError::validation("reason", check)),
        "reverse" => reversal_of(
            &fields.get("reason"),
            Some(&typed.reversal_number),
            Some(&typed.note),
        )
        .map(|close| (close, "invoice-reversed")),
        _ => return not_found(&v),
    };
    let result = match close {
        Ok((close, notice)) => state
            .db(move |conn, state| invoices::close(conn, state, &user, id, &close))
            .await
            .map(|_| notice),
        Err(error) => Err(error),
    };
    after_step(&v, &state, order, result, Some(typed)).await
}

pub async fn download(
    v: Visitor,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    match crate::invoices::api::file_response(&state, user, id).await {
        Err(AppError::NotFound(_)) => not_found(&v),
        other => other,
    }
}

#[derive(Template)]
#[template(path = "pages/invoices.html")]
pub struct InvoicesPage<'a> {
    v: &'a Visitor,
    tabs: Vec<Choice>,
    count: String,
    invoices: Vec<InvoiceShown>,
    as_seller: bool,
    previous: Option<String>,
    next: Option<String>,
    month: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    cursor: Option<String>,
    back: Option<String>,
}

const PAGE: i64 = 30;

pub async fn list(
    v: Visitor,
    query: web::Query<ListQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    show_list(&v, &state, &query, None, StatusCode::OK).await
}

async fn show_list(
    v: &Visitor,
    state: &web::Data<AppState>,
    query: &ListQuery,
    error: Option<String>,
    answer: StatusCode,
) -> AppResult<HttpResponse> {
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    if !(v.is_buyer() || v.is_exporter() || user.is_admin()) {
        return not_for_you(v);
    }
    let status = query
        .status
        .as_deref()
        .and_then(|s| InvoiceStatus::parse(s).ok());
    let request = crate::http::pagination::PageRequest::from_link(query.cursor.as_deref(), PAGE);
    let party = user.party();
    let (views, next_cursor, count) = state
        .db(move |conn, _| {
            let statuses: Vec<&str> = status.map(|s| s.as_str()).into_iter().collect();
            let filter = InvoiceFilter {
                party,
                statuses: &statuses,
                order: None,
            };
            let rows = crate::invoices::store::page(conn, &filter, request.after, request.limit)?;
            let page = crate::http::Page::from_rows(rows, request, |r| r.id, |r| r);
            let count = crate::invoices::store::count(conn, &filter)?;
            Ok((invoices::views(conn, page.items)?, page.next_cursor, count))
        })
        .await?;
    let base = match status {
        Some(s) => format!("/invoices?status={}", s.as_str()),
        None => "/invoices".to_string(),
    };
    let (previous, next) = crate::web::forms::cursor_pages(
        &base,
        query.cursor.as_deref(),
        query.back.as_deref(),
        next_cursor.as_deref(),
    );
    let as_seller = party.is_some_and(|(_, seller)| seller);
    let statuses: Vec<&str> = InvoiceStatus::ALL.iter().map(|s| s.as_str()).collect();
    let page = InvoicesPage {
        v,
        tabs: status_tabs(
            v,
            "/invoices",
            "invoice-status",
            &statuses,
            status.map(|s| s.as_str()),
            true,
        ),
        count: v.t1("invoices-count", "count", count),
        invoices: views
            .iter()
            .map(|i| InvoiceShown::new(v, i, as_seller))
            .collect(),
        as_seller,
        previous,
        next,
        month: Month::of(crate::clock::china_day(state.clock.now_naive())).label(),
        error,
    };
    render_with(v, HttpResponse::build(answer), &page)
}

#[derive(Deserialize)]
pub struct StatementQuery {
    month: Option<String>,
    format: Option<String>,
}

/// The month's statement as a download; a month that is not one says so on the list.
pub async fn statement_download(
    v: Visitor,
    query: web::Query<StatementQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Some(user) = v.user.clone() else {
        return Ok(v.sign_in_first());
    };
    if !(v.is_buyer() || v.is_exporter()) {
        return not_for_you(&v);
    }
    let format = match query.format.as_deref() {
        None | Some("") | Some("xlsx") => Ok(SheetFormat::Xlsx),
        Some("csv") => Ok(SheetFormat::Csv),
        Some(_) => Err(AppError::validation(
            "format",
            crate::domain::Check::NotOneOf(vec!["xlsx", "csv"]),
        )),
    };
    let month = Month::parse(query.month.as_deref().unwrap_or_default())
        .map_err(|check| AppError::validation("month", check));
    let (month, format) = match (month, format) {
        (Ok(month), Ok(format)) => (month, format),
        (Err(error), _) | (_, Err(error)) => {
            let words = v.field_errors(&error);
            let first = ListQuery {
                status: None,
                cursor: None,
                back: None,
            };
            return show_list(
                &v,
                &state,
                &first,
                Some(words),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let report = state
        .db(move |conn, _| statement::month_statement(conn, &user, month, None))
        .await?;
    statement::to_sheet(&report, v.locale).respond(format, &format!("invoices-{}", report.month))
}

/// A profile as the profiles page lists it.
pub struct ProfileShown {
    id: String,
    title: String,
    taxpayer_id: String,
    details: Vec<String>,
    complete: bool,
}

#[derive(Template)]
#[template(path = "pages/invoice_profiles.html")]
pub struct ProfilesPage<'a> {
    v: &'a Visitor,
    profiles: Vec<ProfileShown>,
    /// The profile being changed (its id), or none for a new one.
    editing: Option<String>,
    typed: ProfileRequest,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct ProfilesQuery {
    edit: Option<String>,
}

async fn show_profiles(
    v: &Visitor,
    state: &web::Data<AppState>,
    editing: Option<Id>,
    typed: Option<ProfileRequest>,
    error: Option<String>,
    answer: StatusCode,
) -> AppResult<HttpResponse> {
    let Some(user) = v.buyer().cloned() else {
        return not_for_you(v);
    };
    let rows = state
        .db(move |conn, _| Ok(profiles::profiles_of(conn, user.org.id)?))
        .await?;
    let editing = editing.filter(|id| rows.iter().any(|r| r.id == *id));
    let typed = typed.unwrap_or_else(|| {
        editing
            .and_then(|id| rows.iter().find(|r| r.id == id))
            .map(|r| ProfileRequest {
                invoice_title: r.title.clone(),
                taxpayer_id: r.taxpayer_id.clone(),
                address: r.address.clone(),
                phone: r.phone.clone(),
                bank_name: r.bank_name.clone(),
                bank_account: r.bank_account.clone(),
            })
            .unwrap_or_default()
    });
    let page = ProfilesPage {
        v,
        profiles: rows
            .into_iter()
            .map(|r| {
                let details = crate::invoices::profiles::ProfileDetails::from(&r);
                ProfileShown {
                    id: r.id.to_string(),
                    complete: details.missing_for_special().is_empty(),
                    title: r.title,
                    taxpayer_id: r.taxpayer_id,
                    details: [[r.address, r.phone], [r.bank_name, r.bank_account]]
                        .into_iter()
                        .map(|pair| pair.into_iter().flatten().collect::<Vec<_>>().join(" "))
                        .filter(|line| !line.is_empty())
                        .collect(),
                }
            })
            .collect(),
        editing: editing.map(|id| id.to_string()),
        typed,
        notice: v.flash("notice"),
        error,
    };
    render_with(v, HttpResponse::build(answer), &page)
}

pub async fn profiles_page(
    v: Visitor,
    query: web::Query<ProfilesQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let editing = query.edit.as_deref().and_then(|e| e.parse::<Id>().ok());
    show_profiles(&v, &state, editing, None, None, StatusCode::OK).await
}

fn typed_profile(fields: &Fields) -> ProfileRequest {
    let optional = |name: &str| Some(fields.get(name)).filter(|s| !s.is_empty());
    ProfileRequest {
        invoice_title: fields.get("invoice_title"),
        taxpayer_id: fields.get("taxpayer_id"),
        address: optional("address"),
        phone: optional("phone"),
        bank_name: optional("bank_name"),
        bank_account: optional("bank_account"),
    }
}

async fn saved_profile(
    v: &Visitor,
    state: &web::Data<AppState>,
    form: web::Form<Vec<(String, String)>>,
    id: Option<Id>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.buyer().cloned() else {
        return not_for_you(v);
    };
    let typed = typed_profile(&fields);
    let result = match typed.checked() {
        Err(error) => Err(error),
        Ok(details) => {
            state
                .db(move |conn, state| {
                    let now = state.clock.now_naive();
                    match id {
                        Some(id) => profiles::update(conn, &user, id, &details, now),
                        None => profiles::create(conn, &user, &details, now),
                    }
                })
                .await
        }
    };
    match result {
        Ok(_) => Ok(v.see_other_with(
            "/account/invoice-profiles",
            "notice",
            &v.t("invoice-profile-saved"),
        )),
        Err(AppError::NotFound(_)) => not_found(v),
        Err(error @ AppError::Validation(_)) => {
            let words = v.field_errors(&error);
            show_profiles(
                v,
                state,
                id,
                Some(typed),
                Some(words),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error @ (AppError::Unprocessable { .. } | AppError::Forbidden { .. })) => {
            let status = actix_web::ResponseError::status_code(&error);
            let words = v.refusal(&error);
            show_profiles(v, state, id, Some(typed), Some(words), status).await
        }
        Err(other) => Err(other),
    }
}

pub async fn save_profile(
    v: Visitor,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    saved_profile(&v, &state, form, None).await
}

pub async fn save_profile_id(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    saved_profile(&v, &state, form, Some(id)).await
}

pub async fn delete_profile(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.buyer().cloned() else {
        return not_for_you(&v);
    };
    let Ok(id) = path.parse::<Id>() else {
        return not_found(&v);
    };
    let result = state
        .db(move |conn, state| profiles::delete(conn, &user, id, state.clock.now_naive()))
        .await;
    match result {
        Ok(()) | Err(AppError::NotFound(_)) => Ok(v.see_other_with(
            "/account/invoice-profiles",
            "notice",
            &v.t("invoice-profile-deleted"),
        )),
        Err(other) => Err(other),
    }
}
