//! Money in the browser: a seller's bank statements and review queue (`/payments`), its
//! payment terms and the credit terms it grants buyers (`/account/terms`), and the words
//! an order's payment section uses.

use actix_multipart::Multipart;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::db::Id;
use crate::domain::{CreditCode, Money, RemittanceRef};
use crate::error::{AppError, AppResult, Violations};
use crate::http::sheets::SheetFormat;
use crate::i18n::money;
use crate::orders::payment::PaymentView;
use crate::orders::terms::{self, Terms, TermsKind, TermsWithLimit};
use crate::payments::ledger::{self, Allocation, EntryView};
use crate::payments::statements::{self, LineView};
use crate::state::AppState;
use crate::web::forms::{status_tabs, Choice, Fields};
use crate::web::listings::import::RowWords;
use crate::web::render::{not_for_you, not_found, render_with};
use crate::web::visitor::{see_other, Visitor};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/payments").route(web::get().to(queue)))
        .service(web::resource("/payments/statements").route(web::post().to(import)))
        .service(web::resource("/payments/lines/{id}/allocate").route(web::post().to(allocate)))
        .service(web::resource("/payments/lines/{id}/ignore").route(web::post().to(ignore)))
        .service(web::resource("/payments/lines/{id}/restore").route(web::post().to(restore)))
        .service(
            web::resource("/account/terms")
                .route(web::get().to(terms_page))
                .route(web::post().to(save_terms)),
        )
        .service(web::resource("/account/terms/grants").route(web::post().to(grant)))
        .service(
            web::resource("/account/terms/grants/{buyer}/revoke").route(web::post().to(revoke)),
        );
}

/// A seller's form about one thing named in its path (a bank line, a buyer): its fields
/// with the CSRF token checked, the seller, and the id; or the answer for anyone else (a
/// stranger signs in first, others find nothing) or for a path that names nothing.
fn seller_form(
    v: &Visitor,
    path: &str,
    form: web::Form<Vec<(String, String)>>,
) -> Result<(Fields, crate::auth::CurrentUser, Id), Box<AppResult<HttpResponse>>> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))
        .map_err(|e| Box::new(Err(e)))?;
    let Some(user) = v.exporter().cloned() else {
        return Err(Box::new(not_for_you(v)));
    };
    let Ok(id) = path.parse::<Id>() else {
        return Err(Box::new(not_found(v)));
    };
    Ok((fields, user, id))
}

/// Terms in words: "款到发货", "货到后 30 天内付款", "预付 30% 定金，余款货到后 30 天内付清".
pub fn terms_text(v: &Visitor, terms: &Terms) -> String {
    v.locale.t_with(
        &format!("terms-{}", terms.kind.as_str()),
        &[
            ("days", terms.net_days.unwrap_or(0).into()),
            ("percent", terms.deposit_percent.unwrap_or(0).into()),
        ],
    )
}

/// An entry of an order's ledger as its page shows it.
pub struct EntryShown {
    pub id: String,
    pub kind: String,
    pub kind_class: String,
    pub amount: String,
    pub day: String,
    pub note: Option<String>,
    pub reversed: bool,
    /// The seller may reverse it (a payment not reversed yet).
    pub reversible: bool,
    /// Who paid, as the bank line names it.
    pub from: Option<String>,
}

/// An order's payment section.
pub struct PaymentShown {
    pub terms: String,
    pub reference: String,
    pub status: String,
    pub status_class: String,
    pub deposit: Option<String>,
    pub due: String,
    pub paid: String,
    pub outstanding: String,
    pub refunded: Option<String>,
    pub entries: Vec<EntryShown>,
    /// The seller may record a refund of up to `refundable`.
    pub refundable: Option<String>,
    pub as_seller: bool,
    pub as_buyer: bool,
    pub buyer_id: String,
    /// The account the seller's buyers pay into, on one line.
    pub account: Option<String>,
}

/// Who looks at an order's money: its seller, its buyer, or the platform.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Viewer {
    Seller,
    Buyer,
    Platform,
}

impl PaymentShown {
    /// `payers` names who paid each bank line the entries came from.
    pub fn new(
        v: &Visitor,
        payment: &PaymentView,
        entries: Vec<EntryView>,
        viewer: Viewer,
        buyer_id: Id,
        account: Option<terms::ReceivingAccount>,
        payers: &std::collections::HashMap<Id, String>,
    ) -> PaymentShown {
        let as_seller = viewer == Viewer::Seller;
        let reference = crate::domain::grouped_reference(&payment.remittance_ref);
        let refundable = payment.paid_cents - payment.refunded_cents;
        PaymentShown {
            terms: terms_text(v, &payment.terms),
            reference,
            status: v.t(&format!("payment-status-{}", payment.status.as_str())),
            status_class: payment.status.as_str().replace('_', "-"),
            deposit: payment.deposit_cents.map(money),
            due: match payment.due_on {
                Some(day) => v.locale.day(day),
                None => v.t("payment-due-after-delivery"),
            },
            paid: money(payment.paid_cents),
            outstanding: money(payment.outstanding_cents),
            refunded: (payment.refunded_cents > 0).then(|| money(payment.refunded_cents)),
            entries: entries
                .into_iter()
                .map(|e| EntryShown {
                    id: e.id.to_string(),
                    kind: v.t(&format!("payment-entry-{}", e.kind)),
                    kind_class: e.kind.clone(),
                    // Money going back to the buyer's side reads as such.
                    amount: if e.kind == "payment" {
                        money(e.amount_cents)
                    } else {
                        format!("−{}", money(e.amount_cents))
                    },
                    from: e
                        .line_id
                        .and_then(|line| payers.get(&line))
                        .map(|payer| v.t1("payment-from", "payer", payer.clone())),
                    day: v.locale.day(e.booked_on),
                    note: e.note,
                    reversed: e.reversed,
                    reversible: as_seller && e.kind == "payment" && !e.reversed,
                })
                .collect(),
            refundable: (as_seller && refundable > 0)
                .then(|| Money::from_cents(refundable).unwrap_or_default().yuan()),
            as_seller,
            as_buyer: viewer == Viewer::Buyer,
            buyer_id: buyer_id.to_string(),
            account: account.map(|a| a.line()),
        }
    }
}

/// A refund or a reversal asked for from an order's page.
pub enum MoneyStep {
    Refund { amount: Money, note: Option<String> },
    Reverse { entry: Id, note: Option<String> },
}

impl MoneyStep {
    /// The step an order page's form asks for (`refund` or `reverse`), checked.
    pub fn of(action: &str, fields: &Fields) -> Option<AppResult<MoneyStep>> {
        let mut v = Violations::new();
        let note = v
            .check(
                "note",
                crate::domain::optional_text(
                    Some(&fields.get("note")),
                    crate::domain::limits::NOTE,
                ),
            )
            .flatten();
        let step = match action {
            "refund" => {
                let amount = fields.yuan(&mut v, "amount");
                if amount.is_none() && fields.get("amount").is_empty() {
                    v.add("amount", crate::domain::Check::Required);
                }
                match amount.map(Money::from_cents) {
                    Some(Ok(amount)) if amount.cents() > 0 => {
                        Some(MoneyStep::Refund { amount, note })
                    }
                    Some(_) => {
                        v.add("amount", crate::domain::Check::PositiveYuan);
                        None
                    }
                    None => None,
                }
            }
            "reverse" => match fields.get("entry").parse::<Id>() {
                Ok(entry) => Some(MoneyStep::Reverse { entry, note }),
                Err(_) => return Some(Err(AppError::NotFound("payment".into()))),
            },
            _ => return None,
        };
        Some(v.into_result().and_then(|()| {
            step.ok_or_else(|| AppError::validation("amount", crate::domain::Check::Required))
        }))
    }

    /// Takes the step as the signed-in seller.
    pub async fn take(
        self,
        state: &web::Data<AppState>,
        user: crate::auth::CurrentUser,
        order: Id,
    ) -> AppResult<()> {
        state
            .db(move |conn, state| match self {
                MoneyStep::Refund { amount, note } => {
                    ledger::refund(conn, state, &user, order, amount, note).map(|_| ())
                }
                MoneyStep::Reverse { entry, note } => {
                    let found = crate::payments::store::find_entry(conn, entry)?;
                    if found.is_none_or(|e| e.order_id != order) {
                        return Err(AppError::NotFound("payment".into()));
                    }
                    ledger::reverse(conn, state, &user, entry, note).map(|_| ())
                }
            })
            .await
    }
}

/// A statement line as the queue shows it.
pub struct LineShown {
    id: String,
    amount: String,
    left: String,
    day: String,
    payer: String,
    memo: String,
    reference: Option<String>,
    /// The order the reference names: its id and number.
    suggested: Option<(String, String)>,
    status: String,
    note: Option<String>,
    /// The allocation form's values: what was typed after a refusal, else the suggestion.
    order_typed: String,
    amount_typed: String,
    /// Why this line's allocation was refused.
    error: Option<String>,
}

impl LineShown {
    fn new(v: &Visitor, l: &LineView, typed: Option<&LineTyped>) -> LineShown {
        let left = l.left_cents;
        let suggested = l
            .suggested_order_id
            .map(|id| (id.to_string(), crate::orders::order_number(id)));
        let left_yuan = || Money::from_cents(left.max(0)).unwrap_or_default().yuan();
        let typed = typed.filter(|t| t.line == l.id.to_string());
        LineShown {
            order_typed: match typed {
                Some(t) => t.order.clone(),
                None => suggested.as_ref().map(|s| s.1.clone()).unwrap_or_default(),
            },
            amount_typed: typed.map_or_else(left_yuan, |t| t.amount.clone()),
            error: typed.map(|t| t.error.clone()),
            id: l.id.to_string(),
            amount: money(l.amount_cents),
            left: money(left),
            day: v.locale.day(l.booked_on),
            payer: [l.payer_name.as_deref(), l.payer_account.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
            memo: l.memo.clone().unwrap_or_default(),
            reference: l.reference.as_deref().map(crate::domain::grouped_reference),
            suggested,
            status: l.status.clone(),
            note: l.note.clone(),
        }
    }
}

pub struct StatementShown {
    file_name: String,
    at: String,
    lines: i32,
    matched: i32,
    review: i32,
    duplicates: i32,
}

#[derive(Template)]
#[template(path = "pages/payments.html")]
pub struct PaymentsPage<'a> {
    v: &'a Visitor,
    tabs: Vec<Choice>,
    count: String,
    lines: Vec<LineShown>,
    statements: Vec<StatementShown>,
    previous: Option<String>,
    next: Option<String>,
    notice: Option<String>,
    error: Option<String>,
    rows: Vec<RowWords>,
}

#[derive(Deserialize)]
pub struct QueueQuery {
    status: Option<String>,
    cursor: Option<String>,
    back: Option<String>,
    /// What was typed into a line's allocation form that was refused, shown again there.
    #[serde(skip)]
    typed: Option<LineTyped>,
}

const QUEUE_PAGE: i64 = 30;

/// The page as it stands, with what the last form did.
async fn payments_page(
    v: &Visitor,
    state: &web::Data<AppState>,
    query: &QueueQuery,
    error: Option<String>,
    rows: Vec<RowWords>,
    answer: actix_web::http::StatusCode,
) -> AppResult<HttpResponse> {
    let Some(user) = v.exporter().cloned() else {
        return not_for_you(v);
    };
    let status = crate::payments::api::line_status(query.status.as_deref()).unwrap_or("review");
    let request =
        crate::http::pagination::PageRequest::from_link(query.cursor.as_deref(), QUEUE_PAGE);
    let seller = user.org.id;
    let (page, count, recent) = state
        .db(move |conn, _| {
            let rows = crate::payments::store::lines_page(
                conn,
                seller,
                status,
                request.after,
                request.limit,
            )?;
            let page = crate::http::Page::from_rows(rows, request, |l| l.id, |l| l);
            let views = statements::line_views(conn, seller, page.items)?;
            let count = crate::payments::store::lines_count(conn, seller, status)?;
            let recent = crate::payments::store::statements_of(conn, seller, 10)?;
            Ok(((views, page.next_cursor), count, recent))
        })
        .await?;
    let base = format!("/payments?status={status}");
    let (previous, next) = crate::web::forms::cursor_pages(
        &base,
        query.cursor.as_deref(),
        query.back.as_deref(),
        page.1.as_deref(),
    );
    let page_view = PaymentsPage {
        v,
        tabs: status_tabs(
            v,
            "/payments",
            "statement-line",
            &["review", "allocated", "ignored"],
            Some(status),
            false,
        ),
        count: v.t1("statement-lines-count", "count", count),
        lines: page
            .0
            .iter()
            .map(|l| LineShown::new(v, l, query.typed.as_ref()))
            .collect(),
        statements: recent
            .into_iter()
            .map(|s| StatementShown {
                file_name: s.file_name,
                at: v.date_time(&s.imported_at),
                lines: s.line_count,
                matched: s.matched_count,
                review: s.review_count,
                duplicates: s.duplicate_count,
            })
            .collect(),
        previous,
        next,
        notice: v.flash("notice"),
        error,
        rows,
    };
    render_with(v, HttpResponse::build(answer), &page_view)
}

pub async fn queue(
    v: Visitor,
    query: web::Query<QueueQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    payments_page(
        &v,
        &state,
        &query,
        None,
        Vec::new(),
        actix_web::http::StatusCode::OK,
    )
    .await
}

fn first_page() -> QueueQuery {
    QueueQuery {
        status: None,
        cursor: None,
        back: None,
        typed: None,
    }
}

/// A line's refused allocation: the line, what was typed, and why it was refused.
#[derive(Clone, Default)]
pub struct LineTyped {
    line: String,
    order: String,
    amount: String,
    error: String,
}

/// Imports an uploaded statement; what it matched and queued is said on the page, a file it
/// cannot read is refused with its rows.
pub async fn import(
    v: Visitor,
    payload: Multipart,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let form = crate::http::upload::read(
        payload,
        state.settings.import_max_bytes,
        &v.t("import-too-large"),
    )
    .await?;
    v.check_csrf(form.fields.get("csrf").map(String::as_str).unwrap_or(""))?;
    let Some(user) = v.exporter().cloned() else {
        return not_for_you(&v);
    };
    let unprocessable = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    let Some(file) = form.file.filter(|f| !f.bytes.is_empty()) else {
        return payments_page(
            &v,
            &state,
            &first_page(),
            Some(v.t("import-no-file")),
            Vec::new(),
            unprocessable,
        )
        .await;
    };
    let format = if file.file_name.to_ascii_lowercase().ends_with(".xlsx") {
        SheetFormat::Xlsx
    } else {
        SheetFormat::Csv
    };
    let name: String = file
        .file_name
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    let name = if name.trim().is_empty() {
        "statement".to_string()
    } else {
        name
    };
    let read = web::block(move || statements::read_statement(&file.bytes, format, None)).await?;
    let result = match read {
        Ok(read) => {
            state
                .db(move |conn, state| {
                    statements::import_statement(conn, state, &user, &name, &read)
                })
                .await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(done) => Ok(v.see_other_with(
            "/payments",
            "notice",
            &v.locale.t_with(
                "statement-imported",
                &[
                    ("lines", done.lines.into()),
                    ("matched", done.matched.into()),
                    ("review", done.review.into()),
                    ("duplicates", done.duplicates.into()),
                ],
            ),
        )),
        Err(AppError::RowValidation(rows)) => {
            let words = rows.iter().map(|e| RowWords::new(&v, e)).collect();
            payments_page(
                &v,
                &state,
                &first_page(),
                Some(v.t1("statement-bad-rows", "count", rows.len())),
                words,
                unprocessable,
            )
            .await
        }
        Err(
            error @ (AppError::Validation(_)
            | AppError::Unprocessable { .. }
            | AppError::UnsupportedMediaType(_)
            | AppError::BadRequest(_)
            | AppError::PayloadTooLarge(_)
            | AppError::Conflict { .. }),
        ) => {
            payments_page(
                &v,
                &state,
                &first_page(),
                Some(v.refusal(&error)),
                Vec::new(),
                unprocessable,
            )
            .await
        }
        Err(other) => Err(other),
    }
}

/// The seller's order a clerk names: its number (the 8 characters pages show), its whole id,
/// or its remittance reference.
fn named_order(
    conn: &mut crate::db::AnyConnection,
    seller: Id,
    typed: &str,
) -> AppResult<Option<Id>> {
    let typed = typed.trim();
    if let Ok(id) = typed.parse::<Id>() {
        return Ok(Some(id));
    }
    if let Ok(reference) = RemittanceRef::parse(typed) {
        return Ok(
            crate::payments::store::order_by_ref(conn, seller, reference.as_str())?.map(|o| o.id),
        );
    }
    let number = typed.trim_start_matches('#').to_uppercase();
    if number.len() != 8 || !number.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let filter = crate::orders::store::OrderFilter {
        party: Some((seller, true)),
        status: None,
        search: Some(number),
    };
    let (rows, total) = crate::orders::store::orders_page(conn, &filter, 0, 2)?;
    Ok((total == 1).then(|| rows[0].id))
}

pub async fn allocate(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let (fields, user, line) = match seller_form(&v, &path, form) {
        Ok(form) => form,
        Err(answer) => return *answer,
    };
    let mut checked = Violations::new();
    let amount = fields.yuan(&mut checked, "amount");
    if fields.get("amount").is_empty() {
        checked.add("amount", crate::domain::Check::Required);
    }
    let note = checked
        .check(
            "note",
            crate::domain::optional_text(Some(&fields.get("note")), crate::domain::limits::NOTE),
        )
        .flatten();
    let typed = fields.get("order");
    if typed.is_empty() {
        checked.add("order_id", crate::domain::Check::Required);
    }
    let result = match checked.into_result() {
        Err(error) => Err(error),
        Ok(()) => {
            state
                .db(move |conn, state| {
                    let Some(order) = named_order(conn, user.org.id, &typed)? else {
                        return Err(AppError::validation(
                            "order_id",
                            crate::domain::Check::OrderNotFound,
                        ));
                    };
                    let amount = Money::from_cents(amount.unwrap_or(0))
                        .ok()
                        .filter(|m| m.cents() > 0)
                        .ok_or_else(|| {
                            AppError::validation("amount", crate::domain::Check::PositiveYuan)
                        })?;
                    ledger::allocate(
                        conn,
                        state,
                        &user,
                        &Allocation {
                            line_id: line,
                            order_id: order,
                            amount,
                            note,
                        },
                    )
                })
                .await
        }
    };
    let typed = LineTyped {
        line: line.to_string(),
        order: fields.get("order"),
        amount: fields.get("amount"),
        error: String::new(),
    };
    after_line_step(
        &v,
        &state,
        result.map(|_| "statement-allocated"),
        Some(typed),
    )
    .await
}

pub async fn ignore(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let (fields, user, line) = match seller_form(&v, &path, form) {
        Ok(form) => form,
        Err(answer) => return *answer,
    };
    let note = fields.get("note");
    let result = match crate::domain::required_text(&note, crate::domain::limits::NOTE) {
        Err(check) => Err(AppError::validation("reason", check)),
        Ok(note) => {
            state
                .db(move |conn, state| statements::ignore(conn, state, &user, line, &note))
                .await
        }
    };
    after_line_step(&v, &state, result.map(|_| "statement-ignored"), None).await
}

/// Puts a line set aside back in the queue.
pub async fn restore(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let (_, user, line) = match seller_form(&v, &path, form) {
        Ok(form) => form,
        Err(answer) => return *answer,
    };
    let result = state
        .db(move |conn, state| statements::restore(conn, state, &user, line))
        .await;
    after_line_step(&v, &state, result.map(|_| "statement-restored"), None).await
}

/// Back to the queue with a notice, or the queue with the refusal in the reader's words; a
/// refused allocation keeps what was typed, with the refusal next to its line.
async fn after_line_step(
    v: &Visitor,
    state: &web::Data<AppState>,
    result: AppResult<&'static str>,
    typed: Option<LineTyped>,
) -> AppResult<HttpResponse> {
    let again = |words: &str| QueueQuery {
        typed: typed.clone().map(|t| LineTyped {
            error: words.to_string(),
            ..t
        }),
        ..first_page()
    };
    match result {
        Ok(notice) => Ok(v.see_other_with("/payments", "notice", &v.t(notice))),
        Err(AppError::NotFound(_)) => not_found(v),
        Err(error @ AppError::Validation(_)) => {
            let words = v.field_errors(&error);
            payments_page(
                v,
                state,
                &again(&words),
                Some(words),
                Vec::new(),
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(
            error @ (AppError::Conflict { .. }
            | AppError::InvalidTransition(_)
            | AppError::Forbidden { .. }),
        ) => {
            let status = actix_web::ResponseError::status_code(&error);
            let words = v.refusal(&error);
            payments_page(v, state, &again(&words), Some(words), Vec::new(), status).await
        }
        Err(other) => Err(other),
    }
}

/// A grant as the terms page lists it.
pub struct GrantShown {
    buyer_id: String,
    buyer: String,
    terms: String,
    limit: String,
    owed: String,
    note: Option<String>,
}

/// The values a terms form shows: what was typed after a refusal, else what is saved.
#[derive(Default, Clone)]
pub struct TermsTyped {
    kind: String,
    net_days: String,
    deposit_percent: String,
    limit: String,
    credit_code: String,
    note: String,
    bank_name: String,
    bank_account_name: String,
    bank_account_no: String,
}

impl TermsTyped {
    /// A seller's saved defaults with its account.
    fn of_seller(saved: &terms::SellerTerms) -> TermsTyped {
        let account = saved.receiving_account.clone();
        TermsTyped {
            bank_name: account.as_ref().map(|a| a.bank.clone()).unwrap_or_default(),
            bank_account_name: account.as_ref().map(|a| a.name.clone()).unwrap_or_default(),
            bank_account_no: account.map(|a| a.number).unwrap_or_default(),
            ..TermsTyped::of(&saved.terms)
        }
    }

    fn of(saved: &TermsWithLimit) -> TermsTyped {
        TermsTyped {
            kind: saved.terms.kind.as_str().into(),
            net_days: saved
                .terms
                .net_days
                .map(|d| d.to_string())
                .unwrap_or_default(),
            deposit_percent: saved
                .terms
                .deposit_percent
                .map(|d| d.to_string())
                .unwrap_or_default(),
            limit: saved
                .credit_limit_cents
                .map(|c| Money::from_cents(c).unwrap_or_default().yuan())
                .unwrap_or_default(),
            ..TermsTyped::default()
        }
    }

    fn typed(fields: &Fields) -> TermsTyped {
        TermsTyped {
            kind: fields.get("kind"),
            net_days: fields.get("net_days"),
            deposit_percent: fields.get("deposit_percent"),
            limit: fields.get("credit_limit"),
            credit_code: fields.get("credit_code"),
            note: fields.get("note"),
            bank_name: fields.get("bank_name"),
            bank_account_name: fields.get("bank_account_name"),
            bank_account_no: fields.get("bank_account_no"),
        }
    }

    /// The terms and limit typed, checked; what is wrong goes to `v`.
    fn checked(fields: &Fields, v: &mut Violations) -> Option<TermsWithLimit> {
        let days = fields.number(v, "net_days");
        let percent = fields.number(v, "deposit_percent");
        // A form sends every field; the ones the chosen kind does not take are ignored.
        let kind = TermsKind::parse(&fields.get("kind")).unwrap_or(TermsKind::Prepaid);
        let (days, percent) = match kind {
            TermsKind::Prepaid => (None, None),
            TermsKind::Net => (days, None),
            TermsKind::Deposit => (days, percent),
        };
        let terms = Terms::check(v, &fields.get("kind"), days, percent);
        let limit = fields.yuan(v, "credit_limit");
        let limit = terms::check_limit(v, limit);
        terms.map(|terms| TermsWithLimit {
            terms,
            credit_limit_cents: limit,
        })
    }
}

#[derive(Template)]
#[template(path = "pages/terms.html")]
pub struct TermsPage<'a> {
    v: &'a Visitor,
    current: String,
    defaults: TermsTyped,
    grant: TermsTyped,
    kinds: Vec<&'static str>,
    grants: Vec<GrantShown>,
    notice: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct TermsQuery {
    buyer: Option<String>,
}

async fn show_terms(
    v: &Visitor,
    state: &web::Data<AppState>,
    typed: Option<(bool, TermsTyped)>,
    prefill_buyer: Option<Id>,
    error: Option<String>,
    answer: actix_web::http::StatusCode,
) -> AppResult<HttpResponse> {
    let Some(user) = v.exporter().cloned() else {
        return not_for_you(v);
    };
    let seller = user.org.id;
    let (seller_saved, grants, prefill) = state
        .db(move |conn, _| {
            let saved = terms::seller_defaults(conn, seller)?;
            let grants = terms::grants_of(conn, seller)?;
            // A buyer named in the address: its code, and its terms when it has some (to
            // change them rather than start again).
            let prefill = match prefill_buyer {
                Some(id) => crate::accounts::store::find_organization(conn, id)?
                    .filter(|o| o.kind == "buyer")
                    .map(|o| {
                        let grant = grants.iter().find(|g| g.buyer.id == o.id);
                        let mut typed = match grant {
                            Some(g) => TermsTyped {
                                note: g.note.clone().unwrap_or_default(),
                                ..TermsTyped::of(&g.terms)
                            },
                            None => TermsTyped {
                                kind: "net".into(),
                                net_days: "30".into(),
                                ..TermsTyped::default()
                            },
                        };
                        typed.credit_code = o.credit_code;
                        typed
                    }),
                None => None,
            };
            Ok((saved, grants, prefill))
        })
        .await?;
    let saved = seller_saved.terms.clone();
    let mut current = terms_text(v, &saved.terms);
    if let Some(limit) = saved
        .credit_limit_cents
        .filter(|_| saved.terms.gives_credit())
    {
        current.push_str(&v.t1("terms-limit-each", "limit", money(limit)));
    }
    let (defaults, grant) = match typed {
        Some((true, typed)) => (typed, TermsTyped::default()),
        Some((false, typed)) => (TermsTyped::of_seller(&seller_saved), typed),
        None => (
            TermsTyped::of_seller(&seller_saved),
            prefill.unwrap_or_else(|| TermsTyped {
                kind: "net".into(),
                net_days: "30".into(),
                ..TermsTyped::default()
            }),
        ),
    };
    let page = TermsPage {
        v,
        current,
        defaults,
        grant,
        kinds: TermsKind::ALL.iter().map(|k| k.as_str()).collect(),
        grants: grants
            .into_iter()
            .map(|g| GrantShown {
                buyer_id: g.buyer.id.to_string(),
                buyer: g.buyer.name,
                terms: terms_text(v, &g.terms.terms),
                limit: g
                    .terms
                    .credit_limit_cents
                    .map(money)
                    .unwrap_or_else(|| v.t("terms-no-limit")),
                owed: money(g.owed_cents),
                note: g.note,
            })
            .collect(),
        notice: v.flash("notice"),
        error,
    };
    render_with(v, HttpResponse::build(answer), &page)
}

pub async fn terms_page(
    v: Visitor,
    query: web::Query<TermsQuery>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let buyer = query.buyer.as_deref().and_then(|b| b.parse::<Id>().ok());
    show_terms(
        &v,
        &state,
        None,
        buyer,
        None,
        actix_web::http::StatusCode::OK,
    )
    .await
}

/// A refused terms form again, with what was typed and why.
async fn refused_terms(
    v: &Visitor,
    state: &web::Data<AppState>,
    defaults: bool,
    fields: &Fields,
    error: &AppError,
) -> AppResult<HttpResponse> {
    let words = match error {
        AppError::Validation(_) => v.field_errors(error),
        other => v.refusal(other),
    };
    let status = actix_web::ResponseError::status_code(error);
    show_terms(
        v,
        state,
        Some((defaults, TermsTyped::typed(fields))),
        None,
        Some(words),
        status,
    )
    .await
}

pub async fn save_terms(
    v: Visitor,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.exporter().cloned() else {
        return not_for_you(&v);
    };
    let mut checked = Violations::new();
    let terms = TermsTyped::checked(&fields, &mut checked);
    let account = terms::ReceivingAccount::check(
        &mut checked,
        &fields.get("bank_name"),
        &fields.get("bank_account_name"),
        &fields.get("bank_account_no"),
    );
    let result = match (checked.into_result(), terms) {
        (Err(error), _) => Err(error),
        (Ok(()), None) => Err(AppError::validation("kind", crate::domain::Check::Required)),
        (Ok(()), Some(terms)) => state
            .db(move |conn, state| {
                let terms = terms::SellerTerms {
                    terms,
                    receiving_account: account,
                };
                terms::set_seller_terms(conn, &user, &terms, state.clock.now_naive())
            })
            .await
            .map(|_| ()),
    };
    match result {
        Ok(()) => Ok(v.see_other_with("/account/terms", "notice", &v.t("terms-saved"))),
        Err(error @ (AppError::Validation(_) | AppError::Forbidden { .. })) => {
            refused_terms(&v, &state, true, &fields, &error).await
        }
        Err(other) => Err(other),
    }
}

pub async fn grant(
    v: Visitor,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let fields = Fields(form.into_inner());
    v.check_csrf(&fields.get("csrf"))?;
    let Some(user) = v.exporter().cloned() else {
        return not_for_you(&v);
    };
    let mut checked = Violations::new();
    let code = checked.check("credit_code", CreditCode::parse(&fields.get("credit_code")));
    let terms = TermsTyped::checked(&fields, &mut checked);
    let note = checked
        .check(
            "note",
            crate::domain::optional_text(Some(&fields.get("note")), crate::domain::limits::NOTE),
        )
        .flatten();
    let result = match (checked.into_result(), terms, code) {
        (Err(error), _, _) => Err(error),
        (Ok(()), Some(terms), Some(code)) => {
            state
                .db(move |conn, state| {
                    let buyer = crate::accounts::store::find_by_credit_code(conn, code.as_str())?
                        .filter(|o| o.kind == "buyer" && o.status == "verified")
                        .ok_or_else(|| {
                            AppError::validation(
                                "credit_code",
                                crate::domain::Check::NotAVerifiedBuyer,
                            )
                        })?;
                    terms::grant(conn, &user, buyer.id, &terms, note, state.clock.now_naive())
                        .map(|_| ())
                })
                .await
        }
        (Ok(()), _, _) => Err(AppError::validation("kind", crate::domain::Check::Required)),
    };
    match result {
        Ok(()) => Ok(v.see_other_with("/account/terms", "notice", &v.t("terms-granted"))),
        Err(
            error @ (AppError::Validation(_) | AppError::Forbidden { .. } | AppError::NotFound(_)),
        ) => refused_terms(&v, &state, false, &fields, &error).await,
        Err(other) => Err(other),
    }
}

pub async fn revoke(
    v: Visitor,
    path: web::Path<String>,
    form: web::Form<Vec<(String, String)>>,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let (fields, user, buyer) = match seller_form(&v, &path, form) {
        Ok(form) => form,
        Err(answer) => return *answer,
    };
    let result = state
        .db(move |conn, state| terms::revoke(conn, &user, buyer, state.clock.now_naive()))
        .await;
    match result {
        Ok(()) => Ok(v.see_other_with("/account/terms", "notice", &v.t("terms-revoked"))),
        Err(AppError::NotFound(_)) => Ok(see_other("/account/terms")),
        Err(error @ AppError::Forbidden { .. }) => {
            refused_terms(&v, &state, false, &fields, &error).await
        }
        Err(other) => Err(other),
    }
}
