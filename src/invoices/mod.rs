//! VAT invoices (发票). A buyer keeps invoice profiles and asks for a special (专票) or an
//! ordinary (普票) invoice on an order with one of them; the seller records the invoice it
//! issued in the tax system (number, day, amount, the e-invoice file), or declines the
//! request; an issued invoice is reversed (红冲) after a cancellation, a refund or a
//! mistake, and the order may be invoiced again for what is left. What is invoiced never
//! passes the order's total less its refunds.

pub mod api;
pub mod file;
pub mod profiles;
pub mod statement;
pub mod store;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use self::profiles::{require_buyer, ProfileDetails};
use self::store::{Closing, InvoiceRow, Issued};
use crate::auth::CurrentUser;
use crate::clock::{china_day, to_utc};
use crate::db::{lock_row, write_transaction, AnyConnection, Id, Locked};
use crate::domain::{text_enum, Check, Money, OrgRef};
use crate::error::{AppError, AppResult, FieldError, ProblemCode};
use crate::i18n::Text;
use crate::notifications::{notify_organization, Notice};
use crate::orders::rules::OrderStatus;
use crate::orders::store::OrderRow;
use crate::state::AppState;

text_enum!(
    /// A special VAT invoice (增值税专用发票), whose input VAT the buyer deducts, or an
    /// ordinary one (普通发票).
    InvoiceKind {
        Special => "special",
        Ordinary => "ordinary",
    }
);

text_enum!(
    InvoiceStatus {
        Requested => "requested",
        Issued => "issued",
        Reversed => "reversed",
        Withdrawn => "withdrawn",
        Declined => "declined",
    }
);

text_enum!(
    /// Why an issued invoice is reversed with a red-letter invoice.
    ReversalReason {
        Cancellation => "cancellation",
        Refund => "refund",
        Return => "return",
        Mistake => "mistake",
    }
);

/// The e-invoice file of an issued invoice.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct InvoiceFile {
    /// Where its buyer, its seller or an admin downloads it (with their token).
    pub url: String,
    /// `application/pdf`, `application/ofd` or `application/xml`.
    pub content_type: String,
    pub size_bytes: i32,
}

/// An invoice request and what became of it.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct InvoiceView {
    pub id: Id,
    pub order_id: Id,
    /// The order's number as pages and documents show it.
    pub order_number: String,
    pub seller: OrgRef,
    pub buyer: OrgRef,
    pub kind: InvoiceKind,
    pub status: InvoiceStatus,
    /// The buyer's details as they were when it asked (later changes of the profile do
    /// not reach an invoice asked for).
    pub invoice_title: String,
    pub taxpayer_id: String,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub bank_name: Option<String>,
    pub bank_account: Option<String>,
    /// What was left to invoice on the order when it asked, in cents.
    pub requested_cents: i64,
    pub request_note: Option<String>,
    pub requested_at: DateTime<Utc>,
    /// Once issued: the invoice's number, its day (in China), its amount and file.
    pub invoice_number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub amount_cents: Option<i64>,
    pub file: Option<InvoiceFile>,
    pub issued_at: Option<DateTime<Utc>>,
    /// Declined or reversed: why (a reversal's reason is one of `ReversalReason`), the
    /// red-letter invoice's number, and the day (in China).
    pub close_reason: Option<String>,
    pub close_note: Option<String>,
    pub reversal_number: Option<String>,
    pub closed_on: Option<NaiveDate>,
}

impl InvoiceView {
    fn of(row: InvoiceRow, names: &std::collections::HashMap<Id, String>) -> InvoiceView {
        let name = |id: Id| OrgRef {
            id,
            name: names.get(&id).cloned().unwrap_or_default(),
        };
        InvoiceView {
            id: row.id,
            order_id: row.order_id,
            order_number: crate::orders::order_number(row.order_id),
            seller: name(row.seller_id),
            buyer: name(row.buyer_id),
            kind: InvoiceKind::parse(&row.kind).unwrap_or(InvoiceKind::Ordinary),
            status: InvoiceStatus::parse(&row.status).unwrap_or(InvoiceStatus::Requested),
            invoice_title: row.title,
            taxpayer_id: row.taxpayer_id,
            address: row.address,
            phone: row.phone,
            bank_name: row.bank_name,
            bank_account: row.bank_account,
            requested_cents: row.requested_cents,
            request_note: row.request_note,
            requested_at: to_utc(row.requested_at),
            invoice_number: row.number,
            issued_on: row.issued_on,
            amount_cents: row.amount_cents,
            file: match (row.file_type, row.file_size) {
                (Some(content_type), Some(size_bytes)) => Some(InvoiceFile {
                    url: format!("/api/v1/invoices/{}/file", row.id),
                    content_type,
                    size_bytes,
                }),
                _ => None,
            },
            issued_at: row.issued_at.map(to_utc),
            close_reason: row.close_reason,
            close_note: row.close_note,
            reversal_number: row.reversal_number,
            closed_on: row.closed_on,
        }
    }
}

/// Views of invoice rows, with their parties' names.
pub fn views(conn: &mut AnyConnection, rows: Vec<InvoiceRow>) -> AppResult<Vec<InvoiceView>> {
    let mut ids: Vec<Id> = rows
        .iter()
        .flat_map(|r| [r.seller_id, r.buyer_id])
        .collect();
    ids.sort();
    ids.dedup();
    let names = crate::accounts::store::org_names(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| InvoiceView::of(row, &names))
        .collect())
}

/// An order's invoices and what is left to invoice on it.
#[derive(Serialize, ToSchema, Debug)]
pub struct OrderInvoices {
    /// The order's total less its refunds and the invoices issued and not reversed.
    pub invoiceable_cents: i64,
    /// Issued invoices add up to more than the order now comes to (it was cancelled or
    /// refunded): the seller should reverse one and, if something is left, issue again.
    pub reversal_due: bool,
    pub invoices: Vec<InvoiceView>,
}

/// What the order comes to now, for invoicing: its total less refunds; nothing when
/// cancelled.
fn invoice_due(order: &OrderRow) -> i64 {
    if order.status == OrderStatus::Cancelled.as_str() {
        0
    } else {
        order.total_cents.saturating_sub(order.refunded_cents)
    }
}

/// What is left to invoice, given what the order's issued invoices add up to (negative when
/// they pass what it comes to now).
pub fn left_to_invoice(order: &OrderRow, issued: i64) -> i64 {
    invoice_due(order).saturating_sub(issued)
}

/// What is left to invoice: the order's total less refunds and the invoices issued (not
/// reversed); nothing on a cancelled order.
pub fn invoiceable(conn: &mut AnyConnection, order: &OrderRow) -> AppResult<i64> {
    let issued = store::issued_total(conn, order.id)?;
    Ok(if order.status == OrderStatus::Cancelled.as_str() {
        0
    } else {
        left_to_invoice(order, issued)
    })
}

pub fn order_invoices(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    order_id: Id,
) -> AppResult<OrderInvoices> {
    let order = crate::orders::visible_order(conn, user, order_id)?;
    let rows = store::of_order(conn, order_id)?;
    // Read off the rows already loaded: what the issued ones add up to.
    let issued = rows
        .iter()
        .filter(|r| r.status == InvoiceStatus::Issued.as_str())
        .fold(0i64, |sum, r| {
            sum.saturating_add(r.amount_cents.unwrap_or(0))
        });
    let left = left_to_invoice(&order, issued);
    Ok(OrderInvoices {
        invoiceable_cents: left.max(0),
        reversal_due: left < 0,
        invoices: views(conn, rows)?,
    })
}

/// One invoice for its buyer, its seller or an admin; for everyone else it does not exist.
pub fn visible_invoice(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: Id,
) -> AppResult<InvoiceRow> {
    store::find(conn, id)?
        .filter(|i| user.is_admin() || user.belongs_to(i.buyer_id) || user.belongs_to(i.seller_id))
        .ok_or_else(|| AppError::not_found("invoice"))
}

pub fn invoice(conn: &mut AnyConnection, user: &CurrentUser, id: Id) -> AppResult<InvoiceView> {
    let row = visible_invoice(conn, user, id)?;
    Ok(views(conn, vec![row])?.remove(0))
}

/// What a buyer asks for.
#[derive(Debug, Clone)]
pub struct InvoiceRequest {
    pub order_id: Id,
    pub kind: InvoiceKind,
    pub profile_id: Id,
    pub note: Option<String>,
}

/// Refuses a special invoice for a profile without everything one carries, naming each
/// missing field.
pub fn refuse_incomplete(kind: InvoiceKind, details: &ProfileDetails) -> AppResult<()> {
    let missing = details.missing_for_special();
    if kind == InvoiceKind::Special && !missing.is_empty() {
        return Err(AppError::Validation(
            missing
                .into_iter()
                .map(|field| FieldError::new(field, Check::NeededForSpecialInvoice))
                .collect(),
        ));
    }
    Ok(())
}

/// The buyer asks for an invoice for what is left to invoice on its order. The order's row
/// is locked first, so a request racing another (or an issue) waits, and finds it.
pub fn request(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    asked: &InvoiceRequest,
) -> AppResult<InvoiceView> {
    require_buyer(user)?;
    let now = state.clock.now_naive();
    let row = write_transaction(conn, |conn| {
        lock_row(conn, Locked::Orders, asked.order_id)?;
        let order = crate::orders::store::find_order(conn, asked.order_id)?
            .filter(|o| user.belongs_to(o.buyer_id))
            .ok_or_else(|| AppError::not_found("order"))?;
        let profile = profiles::own_profile(conn, user.org.id, asked.profile_id)
            .map_err(|_| AppError::validation("profile_id", Check::InvoiceProfile))?;
        let details = ProfileDetails::from(&profile);
        refuse_incomplete(asked.kind, &details)?;
        if store::has_open_request(conn, order.id)? {
            return Err(AppError::conflict(
                ProblemCode::InvoiceRequested,
                "an invoice was asked for on this order already and is waiting for the seller",
            ));
        }
        let left = invoiceable(conn, &order)?;
        if left <= 0 {
            return Err(AppError::conflict(
                ProblemCode::NothingToInvoice,
                "nothing is left to invoice on this order",
            ));
        }
        let row = InvoiceRow {
            id: Id::new(),
            order_id: order.id,
            seller_id: order.seller_id,
            buyer_id: order.buyer_id,
            kind: asked.kind.as_str().into(),
            status: InvoiceStatus::Requested.as_str().into(),
            title: details.title,
            taxpayer_id: details.taxpayer_id,
            address: details.address,
            phone: details.phone,
            bank_name: details.bank_name,
            bank_account: details.bank_account,
            requested_cents: left,
            request_note: asked.note.clone(),
            requested_by: user.user.id,
            requested_at: now,
            number: None,
            issued_on: None,
            amount_cents: None,
            file_name: None,
            file_type: None,
            file_size: None,
            issued_by: None,
            issued_at: None,
            close_reason: None,
            close_note: None,
            reversal_number: None,
            closed_by: None,
            closed_at: None,
            closed_on: None,
        };
        store::insert(conn, &row)?;
        audit(
            conn,
            user,
            "invoice.requested",
            &row,
            serde_json::json!({"kind": row.kind, "requested_cents": left}),
            now,
        )?;
        tell(
            conn,
            state,
            row.seller_id,
            &row,
            "invoice_requested",
            Text::new("notice-invoice-requested-title"),
            Text::new("notice-invoice-requested-body")
                .arg("kind", crate::i18n::Arg::Message(kind_message(asked.kind)))
                .arg("amount", crate::i18n::money(left))
                .note(asked.note.as_deref()),
        )?;
        Ok(row)
    })?;
    Ok(views(conn, vec![row])?.remove(0))
}

/// The message id of an invoice kind's name.
pub fn kind_message(kind: InvoiceKind) -> &'static str {
    match kind {
        InvoiceKind::Special => "invoice-kind-special",
        InvoiceKind::Ordinary => "invoice-kind-ordinary",
    }
}

/// The seller's open request on one of its orders: checked before an uploaded file is
/// read, so a stranger's upload costs nothing.
pub fn open_request_of_seller(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: Id,
) -> AppResult<InvoiceRow> {
    crate::payments::ledger::require_seller(user)?;
    let row = store::find(conn, id)?
        .filter(|i| user.belongs_to(i.seller_id))
        .ok_or_else(|| AppError::not_found("invoice"))?;
    if row.status != InvoiceStatus::Requested.as_str() {
        return Err(closed(&row));
    }
    Ok(row)
}

fn closed(row: &InvoiceRow) -> AppError {
    AppError::conflict(
        ProblemCode::InvoiceClosed,
        format!("this invoice is {} now", row.status),
    )
}

/// Records the invoice issued for a request. Of requests to issue racing, one records it
/// and the rest find the request issued (409); its amount may not pass what is left to
/// invoice, nor its number be one the seller used before.
pub fn issue(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    id: Id,
    issued: &Issued,
) -> AppResult<InvoiceView> {
    crate::payments::ledger::require_seller(user)?;
    let now = state.clock.now_naive();
    if issued.issued_on > china_day(now) {
        return Err(AppError::validation("issued_on", Check::NotAfterToday));
    }
    let row = write_transaction(conn, |conn| {
        let found = store::find(conn, id)?
            .filter(|i| user.belongs_to(i.seller_id))
            .ok_or_else(|| AppError::not_found("invoice"))?;
        lock_row(conn, Locked::Orders, found.order_id)?;
        let row = open_request_of_seller(conn, user, id)?;
        let order = crate::orders::store::find_order(conn, row.order_id)?
            .ok_or_else(|| AppError::not_found("order"))?;
        let left = invoiceable(conn, &order)?;
        if issued.amount_cents > left {
            return Err(AppError::conflict(
                ProblemCode::InvoiceExceedsTotal,
                format!(
                    "at most {} is left to invoice on this order: its total less refunds and invoices issued",
                    Money::from_cents(left.max(0)).unwrap_or_default()
                ),
            ));
        }
        if store::number_taken(conn, row.seller_id, &issued.number)? {
            return Err(AppError::conflict(
                ProblemCode::InvoiceNumberTaken,
                "you recorded an invoice with this number already",
            ));
        }
        if !store::mark_issued(conn, row.id, issued, user.user.id, now)? {
            return Err(closed(&store::find(conn, id)?.unwrap_or(row)));
        }
        let row = store::find(conn, id)?.ok_or_else(|| AppError::not_found("invoice"))?;
        audit(
            conn,
            user,
            "invoice.issued",
            &row,
            serde_json::json!({"number": issued.number, "amount_cents": issued.amount_cents}),
            now,
        )?;
        tell(
            conn,
            state,
            row.buyer_id,
            &row,
            "invoice_issued",
            Text::new("notice-invoice-issued-title"),
            Text::new("notice-invoice-issued-body")
                .arg("number", issued.number.as_str())
                .arg("amount", crate::i18n::money(issued.amount_cents)),
        )?;
        Ok(row)
    })?;
    Ok(views(conn, vec![row])?.remove(0))
}

/// A step that ends a request or an invoice.
#[derive(Debug, Clone)]
pub enum Close {
    /// The buyer takes back its request.
    Withdraw,
    /// The seller will not issue it, and says why.
    Decline { note: String },
    /// The seller reversed it with a red-letter invoice.
    Reverse {
        reason: ReversalReason,
        note: Option<String>,
        reversal_number: Option<String>,
    },
}

/// Withdraws, declines or reverses, once: of racing steps one wins, the others find the
/// invoice moved (409).
pub fn close(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    id: Id,
    step: &Close,
) -> AppResult<InvoiceView> {
    let now = state.clock.now_naive();
    let row = write_transaction(conn, |conn| {
        let row = store::find(conn, id)?
            .filter(|i| match step {
                Close::Withdraw => user.belongs_to(i.buyer_id),
                _ => user.belongs_to(i.seller_id),
            })
            .ok_or_else(|| AppError::not_found("invoice"))?;
        let (from, closing, action) = match step {
            Close::Withdraw => (
                InvoiceStatus::Requested,
                Closing {
                    status: InvoiceStatus::Withdrawn.as_str(),
                    reason: None,
                    note: None,
                    reversal_number: None,
                },
                "invoice.withdrawn",
            ),
            Close::Decline { note } => (
                InvoiceStatus::Requested,
                Closing {
                    status: InvoiceStatus::Declined.as_str(),
                    reason: None,
                    note: Some(note.clone()),
                    reversal_number: None,
                },
                "invoice.declined",
            ),
            Close::Reverse {
                reason,
                note,
                reversal_number,
            } => (
                InvoiceStatus::Issued,
                Closing {
                    status: InvoiceStatus::Reversed.as_str(),
                    reason: Some(reason.as_str().into()),
                    note: note.clone(),
                    reversal_number: reversal_number.clone(),
                },
                "invoice.reversed",
            ),
        };
        if !store::close(
            conn,
            row.id,
            from.as_str(),
            &closing,
            user.user.id,
            now,
            china_day(now),
        )? {
            return Err(closed(&store::find(conn, id)?.unwrap_or(row)));
        }
        let row = store::find(conn, id)?.ok_or_else(|| AppError::not_found("invoice"))?;
        audit(
            conn,
            user,
            action,
            &row,
            serde_json::json!({"reason": closing.reason, "note": closing.note, "reversal_number": closing.reversal_number}),
            now,
        )?;
        match step {
            Close::Withdraw => tell(
                conn,
                state,
                row.seller_id,
                &row,
                "invoice_withdrawn",
                Text::new("notice-invoice-withdrawn-title"),
                Text::new("notice-invoice-withdrawn-body"),
            )?,
            Close::Decline { note } => tell(
                conn,
                state,
                row.buyer_id,
                &row,
                "invoice_declined",
                Text::new("notice-invoice-declined-title"),
                Text::new("notice-invoice-declined-body").note(Some(note)),
            )?,
            Close::Reverse { reason, note, .. } => tell(
                conn,
                state,
                row.buyer_id,
                &row,
                "invoice_reversed",
                Text::new("notice-invoice-reversed-title"),
                Text::new("notice-invoice-reversed-body")
                    .arg("number", row.number.clone().unwrap_or_default())
                    .arg("reason", crate::i18n::Arg::Message(reason_message(*reason)))
                    .note(note.as_deref()),
            )?,
        }
        Ok(row)
    })?;
    Ok(views(conn, vec![row])?.remove(0))
}

/// The message id of a reversal reason.
pub fn reason_message(reason: ReversalReason) -> &'static str {
    match reason {
        ReversalReason::Cancellation => "invoice-reason-cancellation",
        ReversalReason::Refund => "invoice-reason-refund",
        ReversalReason::Return => "invoice-reason-return",
        ReversalReason::Mistake => "invoice-reason-mistake",
    }
}

/// Keeps the step in the audit log, on the order it concerns.
fn audit(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    action: &str,
    row: &InvoiceRow,
    mut details: serde_json::Value,
    now: NaiveDateTime,
) -> AppResult<()> {
    details["invoice_id"] = serde_json::json!(row.id);
    crate::audit::record(
        conn,
        crate::audit::Actor::of(user),
        action,
        "order",
        row.order_id,
        details,
        now,
    )?;
    Ok(())
}

/// Tells the other side, with a link to the order.
fn tell(
    conn: &mut AnyConnection,
    state: &AppState,
    to: Id,
    row: &InvoiceRow,
    kind: &'static str,
    title: Text,
    body: Text,
) -> AppResult<()> {
    let number = crate::orders::order_number(row.order_id);
    notify_organization(
        conn,
        state,
        to,
        Notice {
            kind,
            title: title.arg("order", number.as_str()),
            body: body.arg("order", number.as_str()),
            link: Some(format!("/orders/{}", row.order_id)),
        },
    )?;
    Ok(())
}

/// An invoice's file for its buyer, its seller or an admin: the stored name, its type and
/// the name a download gets.
pub fn file_of(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: Id,
) -> AppResult<(String, String, String)> {
    let row = visible_invoice(conn, user, id)?;
    match (row.file_name, row.file_type, row.number) {
        (Some(stored), Some(content_type), Some(number)) => {
            let extension = stored.rsplit('.').next().unwrap_or("pdf").to_string();
            Ok((
                stored,
                content_type,
                format!("invoice-{number}.{extension}"),
            ))
        }
        _ => Err(AppError::not_found("invoice file")),
    }
}
