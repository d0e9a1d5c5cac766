//! The payment ledger of an order: payments allocated from bank statement lines, their
//! reversals and refunds. Every entry is kept; amounts move by guarded updates, so racing
//! requests never allocate a line twice, pay an order past its total or refund more than
//! was paid.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::store::{self, EntryRow};
use crate::auth::CurrentUser;
use crate::clock::{china_day, to_utc};
use crate::db::{write_transaction, AnyConnection, Id};
use crate::domain::{Money, OrgKind};
use crate::error::{AppError, AppResult, ProblemCode};
use crate::i18n::Text;
use crate::notifications::{notify_organization, Notice};
use crate::orders::payment::PaymentView;
use crate::orders::store::OrderRow;
use crate::state::AppState;

/// One entry of an order's ledger.
#[derive(Serialize, ToSchema, Debug, Clone)]
pub struct EntryView {
    pub id: Id,
    /// `payment`, `reversal` or `refund`.
    pub kind: String,
    pub amount_cents: i64,
    /// The bank statement line a payment came from.
    pub line_id: Option<Id>,
    /// The payment a reversal takes back.
    pub reverses_id: Option<Id>,
    /// A payment that was reversed later.
    pub reversed: bool,
    pub note: Option<String>,
    pub by: Id,
    /// The day (in China) the money moved: the bank's booking day for a payment.
    pub booked_on: NaiveDate,
    pub created_at: DateTime<Utc>,
}

impl From<EntryRow> for EntryView {
    fn from(row: EntryRow) -> Self {
        EntryView {
            id: row.id,
            kind: row.kind,
            amount_cents: row.amount_cents,
            line_id: row.line_id,
            reverses_id: row.reverses_id,
            reversed: row.reversed,
            note: row.note,
            by: row.by_user,
            booked_on: row.booked_on,
            created_at: to_utc(row.created_at),
        }
    }
}

/// An order's money and ledger, for its buyer, its seller or an admin.
#[derive(Serialize, ToSchema, Debug)]
pub struct OrderPayments {
    #[serde(flatten)]
    pub payment: PaymentView,
    pub entries: Vec<EntryView>,
}

pub fn order_payments(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    order_id: Id,
    now: NaiveDateTime,
) -> AppResult<OrderPayments> {
    let order = crate::orders::visible_order(conn, user, order_id)?;
    Ok(OrderPayments {
        payment: PaymentView::of(&order, china_day(now)),
        entries: store::entries_of(conn, order_id)?
            .into_iter()
            .map(EntryView::from)
            .collect(),
    })
}

/// The seller's own order (others' orders do not exist for it).
fn sellers_order(conn: &mut AnyConnection, user: &CurrentUser, id: Id) -> AppResult<OrderRow> {
    crate::orders::store::find_order(conn, id)?
        .filter(|o| user.belongs_to(o.seller_id))
        .ok_or_else(|| AppError::not_found("order"))
}

/// Refuses anyone but a member of an exporter.
pub fn require_seller(user: &CurrentUser) -> AppResult<()> {
    if user.org_kind() == Some(OrgKind::Exporter) {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "only a selling organization records payments",
        ))
    }
}

/// A payment to allocate: part of a statement line to one of the seller's orders.
#[derive(Debug, Clone)]
pub struct Allocation {
    pub line_id: Id,
    pub order_id: Id,
    pub amount: Money,
    pub note: Option<String>,
}

/// Allocates part of a bank statement line to an order, by hand from the review queue.
/// The line's and the order's guarded updates decide between racing allocations: one
/// wins, the others are refused (409) with what is left.
pub fn allocate(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    allocation: &Allocation,
) -> AppResult<EntryView> {
    require_seller(user)?;
    write_transaction(conn, |conn| {
        let line = store::find_line(conn, allocation.line_id)?
            .filter(|l| user.belongs_to(l.seller_id))
            .ok_or_else(|| AppError::not_found("statement line"))?;
        let order = sellers_order(conn, user, allocation.order_id)?;
        let amount = allocation.amount.cents();
        if amount <= 0 {
            return Err(AppError::validation(
                "amount_cents",
                crate::domain::Check::PositiveCents,
            ));
        }
        if !store::allocate_on_line(conn, line.id, amount)? {
            let now = store::find_line(conn, line.id)?.unwrap_or(line);
            return Err(AppError::conflict(
                ProblemCode::LineAllocated,
                format!(
                    "the line has {} left to allocate{}",
                    Money::from_cents(now.amount_cents - now.allocated_cents).unwrap_or_default(),
                    if now.status == "ignored" {
                        " and was set aside"
                    } else {
                        ""
                    }
                ),
            ));
        }
        let now = state.clock.now_naive();
        let entry = book_payment(
            conn,
            user,
            &order,
            amount,
            Some(line.id),
            line.booked_on,
            allocation.note.clone(),
            now,
        )?;
        tell_buyer_paid(conn, state, &order, amount)?;
        Ok(entry.into())
    })
}

/// Adds a payment to an order and its ledger (inside the caller's transaction), refused
/// (409) when it would pay more than the order's total.
#[allow(clippy::too_many_arguments)]
pub(super) fn book_payment(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    order: &OrderRow,
    amount: i64,
    line_id: Option<Id>,
    booked_on: NaiveDate,
    note: Option<String>,
    now: NaiveDateTime,
) -> AppResult<EntryRow> {
    if !store::add_payment(conn, order.id, amount, china_day(now))? {
        let current = crate::orders::store::find_order(conn, order.id)?
            .ok_or_else(|| AppError::not_found("order"))?;
        return Err(AppError::conflict(
            ProblemCode::PaymentExceedsDue,
            format!(
                "the order has {} left to pay; allocate at most that",
                Money::from_cents((current.total_cents - current.paid_cents).max(0))
                    .unwrap_or_default()
            ),
        ));
    }
    let entry = EntryRow {
        id: Id::new(),
        order_id: order.id,
        seller_id: order.seller_id,
        buyer_id: order.buyer_id,
        kind: "payment".into(),
        amount_cents: amount,
        line_id,
        reverses_id: None,
        reversed: false,
        note,
        by_user: user.user.id,
        booked_on,
        created_at: now,
    };
    keep(
        conn,
        user,
        &entry,
        "payment.allocated",
        serde_json::json!({"amount_cents": amount, "line_id": line_id}),
    )?;
    Ok(entry)
}

/// Keeps an entry in the ledger and its action in the audit log.
fn keep(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    entry: &EntryRow,
    action: &str,
    details: serde_json::Value,
) -> AppResult<()> {
    store::insert_entries(conn, std::slice::from_ref(entry))?;
    crate::audit::record(
        conn,
        crate::audit::Actor::of(user),
        action,
        "order",
        entry.order_id,
        details,
        entry.created_at,
    )?;
    Ok(())
}

/// Tells the buyer a payment was received.
pub(super) fn tell_buyer_paid(
    conn: &mut AnyConnection,
    state: &AppState,
    order: &OrderRow,
    amount: i64,
) -> AppResult<()> {
    let number = crate::orders::order_number(order.id);
    notify_organization(
        conn,
        state,
        order.buyer_id,
        Notice {
            kind: "payment_received",
            title: Text::new("notice-payment-received-title").arg("order", number.as_str()),
            body: Text::new("notice-payment-received-body")
                .arg("order", number.as_str())
                .arg("amount", crate::i18n::money(amount)),
            link: Some(format!("/orders/{}", order.id)),
        },
    )?;
    Ok(())
}

/// Reverses a payment allocated by mistake: the order owes it again and its statement line
/// returns to the queue. Refused (409) when it was reversed already, or when refunds
/// recorded on the order would then exceed what stays paid.
pub fn reverse(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    entry_id: Id,
    note: Option<String>,
) -> AppResult<EntryView> {
    require_seller(user)?;
    write_transaction(conn, |conn| {
        let entry = store::find_entry(conn, entry_id)?
            .filter(|e| user.belongs_to(e.seller_id) && e.kind == "payment")
            .ok_or_else(|| AppError::not_found("payment"))?;
        if !store::mark_reversed(conn, entry.id)? {
            return Err(AppError::conflict(
                ProblemCode::AlreadyReversed,
                "this payment was reversed already",
            ));
        }
        if !store::remove_payment(conn, entry.order_id, entry.amount_cents)? {
            return Err(AppError::conflict(
                ProblemCode::RefundExceedsPaid,
                "refunds recorded on the order would exceed what stays paid; this payment cannot be reversed",
            ));
        }
        if let Some(line) = entry.line_id {
            store::release_on_line(conn, line, entry.amount_cents)?;
        }
        let now = state.clock.now_naive();
        let reversal = EntryRow {
            id: Id::new(),
            kind: "reversal".into(),
            reverses_id: Some(entry.id),
            reversed: false,
            note: note.clone(),
            by_user: user.user.id,
            booked_on: china_day(now),
            created_at: now,
            ..entry.clone()
        };
        keep(
            conn,
            user,
            &reversal,
            "payment.reversed",
            serde_json::json!({"amount_cents": entry.amount_cents, "entry_id": entry.id, "note": note}),
        )?;
        Ok(reversal.into())
    })
}

/// Records a refund the seller made to the buyer (by its own bank): never more than was
/// paid, however many refunds race.
pub fn refund(
    conn: &mut AnyConnection,
    state: &AppState,
    user: &CurrentUser,
    order_id: Id,
    amount: Money,
    note: Option<String>,
) -> AppResult<EntryView> {
    require_seller(user)?;
    write_transaction(conn, |conn| {
        let order = sellers_order(conn, user, order_id)?;
        let cents = amount.cents();
        if cents <= 0 {
            return Err(AppError::validation(
                "amount_cents",
                crate::domain::Check::PositiveCents,
            ));
        }
        if !store::add_refund(conn, order.id, cents)? {
            let current = crate::orders::store::find_order(conn, order.id)?
                .ok_or_else(|| AppError::not_found("order"))?;
            return Err(AppError::conflict(
                ProblemCode::RefundExceedsPaid,
                format!(
                    "at most {} can still be refunded: what was paid less what was refunded",
                    Money::from_cents((current.paid_cents - current.refunded_cents).max(0))
                        .unwrap_or_default()
                ),
            ));
        }
        let now = state.clock.now_naive();
        let entry = EntryRow {
            id: Id::new(),
            order_id: order.id,
            seller_id: order.seller_id,
            buyer_id: order.buyer_id,
            kind: "refund".into(),
            amount_cents: cents,
            line_id: None,
            reverses_id: None,
            reversed: false,
            note: note.clone(),
            by_user: user.user.id,
            booked_on: china_day(now),
            created_at: now,
        };
        keep(
            conn,
            user,
            &entry,
            "payment.refunded",
            serde_json::json!({"amount_cents": cents, "note": note}),
        )?;
        let number = crate::orders::order_number(order.id);
        notify_organization(
            conn,
            state,
            order.buyer_id,
            Notice {
                kind: "payment_refunded",
                title: Text::new("notice-payment-refunded-title").arg("order", number.as_str()),
                body: Text::new("notice-payment-refunded-body")
                    .arg("order", number.as_str())
                    .arg("amount", crate::i18n::money(cents))
                    .note(note.as_deref()),
                link: Some(format!("/orders/{}", order.id)),
            },
        )?;
        Ok(entry.into())
    })
}
